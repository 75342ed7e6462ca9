// Strict reading of arrival trace CSV files: every problem is reported at its line and column, nothing crashes.
#include "scenario/trace_csv.hpp"

#include "util/units.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <string_view>

namespace i1sim::scenario {
namespace {

constexpr std::array<std::string_view, 3> kColumns{"at", "product", "customer"};
constexpr std::size_t kShownChars = 40;

// A field as it may be echoed in a one-line message: bounded in length and free of control bytes, since the
// file may hold anything (the loader is fuzzed).
std::string shown(std::string_view field) {
  std::string out;
  for (const char c : field.substr(0, kShownChars)) {
    const auto u = static_cast<unsigned char>(c);
    out += u >= 0x20 && u < 0x7f ? c : '?';
  }
  if (field.size() > kShownChars)
    out += "...";
  return out;
}

bool blank(char c) { return c == ' ' || c == '\t'; }

struct Field {
  std::string_view text; // without the blanks around it
  int column = 0;        // 1-based position of its first character
};

// Splits one line at commas. No quoting: no field of a trace needs a comma.
std::vector<Field> split(std::string_view line) {
  std::vector<Field> fields;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t comma = line.find(',', begin);
    const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
    std::size_t b = begin;
    std::size_t e = end;
    while (b < e && blank(line[b]))
      ++b;
    while (e > b && blank(line[e - 1]))
      --e;
    // An empty field is placed where it starts, an other one at its first character.
    fields.push_back({line.substr(b, e - b), static_cast<int>(b == e ? begin : b) + 1});
    if (comma == std::string_view::npos)
      return fields;
    begin = comma + 1;
  }
}

bool product_name(std::string_view s) {
  if (s.empty())
    return false;
  for (const char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  return true;
}

class Reader {
public:
  Reader(const std::string& text, const std::string& file, std::size_t max_rows)
      : text_(text)
      , file_(file)
      , max_rows_(max_rows) {}

  TraceCsv read(bool with_places) {
    TraceCsv out;
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") // a byte order mark, as some spreadsheets write
      pos_ = 3;
    std::string_view line;
    int header_line = 0;
    while (next_line(line)) {
      if (skipped(line))
        continue;
      header(line);
      header_line = line_;
      break;
    }
    if (header_line == 0)
      throw util::LocatedError(file_, 0, 0, "empty trace: expected the header line 'at,product[,customer]'");
    // At most one row per line left, and no row is shorter than "0s,a\n": reserving that once spares a large
    // trace the copies of a growing vector, without letting a file of blank lines reserve much.
    const auto lines_left =
        static_cast<std::size_t>(std::count(text_.begin() + static_cast<std::ptrdiff_t>(pos_), text_.end(), '\n')) + 1;
    const std::size_t room = std::min({lines_left, (text_.size() - pos_) / 5 + 1, max_rows_});
    out.arrivals.reserve(room);
    if (with_places)
      out.places.reserve(room);
    std::string_view previous_at;
    int previous_line = 0;
    double previous = 0;
    while (next_line(line)) {
      if (skipped(line))
        continue;
      if (out.arrivals.size() >= max_rows_)
        fail(1, fmt::format("too many rows: a trace holds at most {} orders", max_rows_));
      const std::vector<Field> fields = split(line);
      if (fields.size() > columns_)
        fail(fields[columns_].column,
             fmt::format("unexpected field '{}': the header has {} columns", shown(fields[columns_].text), columns_));
      if (fields.size() < columns_)
        fail(static_cast<int>(line.size()) + 1,
             fmt::format("{}: missing (the header has {} columns)", kColumns[fields.size()], columns_));
      TraceArrival row;
      TraceRowPlace place;
      place.line = line_;
      row.line = line_;
      row.at = duration(fields[0]);
      if (out.arrivals.size() > 0 && row.at < previous)
        fail(fields[0].column, fmt::format("at: '{}' is earlier than the previous row's '{}' (line {}): rows must be "
                                           "in time order",
                                           shown(fields[0].text), shown(previous_at), previous_line));
      previous = row.at;
      previous_at = fields[0].text;
      previous_line = line_;
      if (!product_name(fields[1].text))
        fail(fields[1].column, fields[1].text.empty()
                                   ? std::string("product: empty: expected a product id")
                                   : fmt::format("product: '{}' is not a product id (letters, digits, '-' and '_')",
                                                 shown(fields[1].text)));
      row.product = std::string(fields[1].text);
      place.product_column = fields[1].column;
      if (columns_ == 3) {
        place.customer_column = fields[2].column;
        row.customer = customer(fields[2]);
      }
      out.arrivals.push_back(std::move(row));
      if (with_places)
        out.places.push_back(place);
    }
    if (out.arrivals.empty())
      throw util::LocatedError(file_, header_line, 1, "empty trace: no order after the header");
    return out;
  }

private:
  // The next line without its end (LF or CRLF); false at the end of the text.
  bool next_line(std::string_view& line) {
    if (pos_ >= text_.size())
      return false;
    if (line_ == INT_MAX)
      throw util::LocatedError(file_, 0, 0, "too many lines");
    ++line_;
    const std::size_t end = text_.find('\n', pos_);
    const std::size_t stop = end == std::string_view::npos ? text_.size() : end;
    line = text_.substr(pos_, stop - pos_);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    pos_ = end == std::string_view::npos ? text_.size() : end + 1;
    return true;
  }

  static bool skipped(std::string_view line) {
    std::size_t i = 0;
    while (i < line.size() && blank(line[i]))
      ++i;
    return i == line.size() || line[i] == '#';
  }

  void header(std::string_view line) {
    const std::vector<Field> fields = split(line);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i >= kColumns.size())
        fail(fields[i].column,
             fmt::format("header: unexpected column '{}' (expected at,product[,customer])", shown(fields[i].text)));
      if (fields[i].text != kColumns[i])
        fail(fields[i].column, fmt::format("header: expected column '{}', found '{}' (expected at,product[,customer])",
                                           kColumns[i], shown(fields[i].text)));
    }
    if (fields.size() < 2)
      fail(static_cast<int>(line.size()) + 1, "header: missing column 'product' (expected at,product[,customer])");
    columns_ = fields.size();
  }

  double duration(const Field& f) const {
    double seconds = 0;
    try {
      seconds = units::parse_duration(f.text);
    } catch (const units::UnitError&) {
      seconds = -1;
    }
    // parse_duration refuses signs, so a negative value only marks a failure; a huge number times a large unit
    // can still overflow to infinity.
    if (!(seconds >= 0) || !std::isfinite(seconds))
      fail(f.column, fmt::format("at: '{}' is not a duration (a number then one of ns, us, ms, s, min, h, d, w; "
                                 "e.g. 90s)",
                                 shown(f.text)));
    return seconds;
  }

  int customer(const Field& f) const {
    if (f.text.empty())
      return 0; // drawn like any other order's customer
    std::int64_t value = 0;
    for (const char c : f.text) {
      if (c < '0' || c > '9')
        fail(f.column, fmt::format("customer: '{}' is not a customer number (an integer from 1)", shown(f.text)));
      value = value * 10 + (c - '0');
      if (value > INT_MAX)
        fail(f.column, fmt::format("customer: '{}' is too large (at most {})", shown(f.text), INT_MAX));
    }
    if (value < 1)
      fail(f.column, fmt::format("customer: '{}' is not a customer number (an integer from 1)", shown(f.text)));
    return static_cast<int>(value);
  }

  [[noreturn]] void fail(int column, const std::string& message) const {
    throw util::LocatedError(file_, line_, column, message);
  }

  std::string_view text_;
  const std::string& file_;
  std::size_t max_rows_;
  std::size_t pos_ = 0;
  int line_ = 0;
  std::size_t columns_ = 0;
};

} // namespace

TraceCsv read_trace_csv(const std::string& text, const std::string& file, std::size_t max_rows) {
  return Reader(text, file, max_rows).read(true);
}

std::vector<TraceArrival> parse_trace_csv(const std::string& text, const std::string& file) {
  // Without the places: on a trace of millions of rows they would cost memory nobody reads.
  return Reader(text, file, kMaxTraceRows).read(false).arrivals;
}

std::vector<util::LocatedError> check_trace(const TraceCsv& trace, const Catalogue& catalogue, int customer_count,
                                            const std::string& file) {
  // A trace of millions of rows with a misspelt product would list millions of errors: the first ones say it.
  constexpr std::size_t kMaxErrors = 20;
  std::vector<util::LocatedError> errors;
  std::size_t more = 0;
  auto add = [&](int line, int column, std::string message) {
    if (errors.size() < kMaxErrors)
      errors.emplace_back(file, line, column, std::move(message));
    else
      ++more;
  };
  for (std::size_t i = 0; i < trace.arrivals.size() && i < trace.places.size(); ++i) {
    const TraceArrival& row = trace.arrivals[i];
    const TraceRowPlace& place = trace.places[i];
    if (!catalogue.find_product(row.product))
      add(place.line, place.product_column, fmt::format("product: unknown product '{}'", shown(row.product)));
    if (row.customer > customer_count)
      add(place.line, place.customer_column,
          fmt::format("customer: {} is beyond customers.count ({})", row.customer, customer_count));
  }
  if (more > 0)
    errors.emplace_back(file, 0, 0, fmt::format("{} further problems in the trace not listed", more));
  return errors;
}

} // namespace i1sim::scenario
