// The expectation grammar (METRIC OP VALUE) and the one table of metrics a scenario may assert on.
#include "scenario/expectation.hpp"

#include "util/units.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <vector>

namespace i1sim::scenario {
namespace {

using K = MetricKind;

// A missing counter reads 0 because Metrics leaves out sections with nothing to count; a missing ratio or
// oracle finding was never measured, and an expectation on it must fail rather than pass on a zero.
constexpr std::string_view kNoOrders = "no order was submitted";
constexpr std::string_view kNoOracle = "no bill oracle ran (the scenario has no billing cycles)";

constexpr std::array<MetricInfo, 48> kCatalogue{{
    {"orders.submitted", K::count, "/metrics/orders/submitted", false, "", "product orders the Telecom side sent"},
    {"orders.completed", K::count, "/metrics/orders/completed", false, "", "product orders that became active"},
    {"orders.failed", K::count, "/metrics/orders/failed", false, "", "product orders that failed"},
    {"orders.unresolved", K::count, "/metrics/orders/unresolved", false, "",
     "product orders neither active nor failed"},
    {"orders.unmatched_outcomes", K::count, "/metrics/orders/unmatched_outcomes", false, "",
     "outcomes of orders never submitted or resolved twice"},
    {"order_to_active", K::duration, "/metrics/order_to_active_s", true, "",
     "time from submitting a product order to its activation"},
    {"i1.messages", K::count, "/metrics/i1/messages", false, "", "I1 messages of every kind"},
    {"i1.requests", K::count, "/metrics/i1/by_kind/request/messages", false, "", "I1 requests"},
    {"i1.responses", K::count, "/metrics/i1/by_kind/response/messages", false, "", "I1 responses"},
    {"i1.notifications", K::count, "/metrics/i1/by_kind/notification/messages", false, "", "I1 notifications"},
    {"i1.bytes", K::size, "/metrics/i1/bytes", false, "", "bytes of every I1 message"},
    {"i1.messages_per_order", K::ratio, "/metrics/i1/messages_per_order", false, kNoOrders,
     "I1 messages per product order submitted"},
    {"i1.bytes_per_order", K::size, "/metrics/i1/bytes_per_order", false, kNoOrders,
     "I1 bytes per product order submitted"},
    {"vms.placed", K::count, "/metrics/vms/placed", false, "", "VMs placed on a host"},
    {"vms.booted", K::count, "/metrics/vms/booted", false, "", "VMs that finished booting"},
    {"vms.failed", K::count, "/metrics/vms/failed", false, "", "VMs that failed to come up"},
    {"vms.destroyed", K::count, "/metrics/vms/destroyed", false, "", "VMs destroyed"},
    {"failures.hosts", K::count, "/metrics/failures/hosts", false, "", "host failures (host.down)"},
    {"failures.vms_down", K::count, "/metrics/failures/vms_down", false, "", "VMs stopped by a host failure"},
    {"failures.alarms", K::count, "/metrics/failures/alarms", false, "", "alarms notified over I1"},
    {"failures.sla_violations", K::count, "/metrics/failures/sla_violations", false, "",
     "SLA violations notified over I1"},
    {"billing.bills", K::count, "/metrics/billing/bills", false, "", "converged bills issued"},
    {"billing.bills_with_credits", K::count, "/metrics/billing/bills_with_credits", false, "",
     "converged bills with SLA credits"},
    {"billing.telecom", K::money, "/metrics/billing/telecom", false, "", "telecom charges of every bill"},
    {"billing.cloud", K::money, "/metrics/billing/cloud", false, "", "cloud charges of every bill"},
    {"billing.credits", K::money, "/metrics/billing/credits", false, "", "SLA credits of every bill"},
    {"billing.total", K::money, "/metrics/billing/total", false, "", "totals of every bill"},
    {"billing.usage_records", K::count, "/metrics/billing/usage_records", false, "", "usage records notified over I1"},
    {"billing.discrepancy", K::count, "/oracles/billing/discrepancy", false, kNoOracle,
     "differences between the issued bills and the bills recomputed from ground truth"},
    {"usage.discrepancy", K::count, "/oracles/usage/discrepancy", false, kNoOracle,
     "differences between the usage records delivered and those recomputed from ground truth"},
    {"faults.injected", K::count, "/metrics/faults/injected", false, "", "timeline faults injected"},
    {"faults.cleared", K::count, "/metrics/faults/cleared", false, "", "timeline faults undone"},
    {"faults.host_crash", K::count, "/metrics/faults/by_kind/host_crash", false, "", "host crashes injected"},
    {"faults.dc_outage", K::count, "/metrics/faults/by_kind/dc_outage", false, "", "data-centre outages injected"},
    {"faults.link_cut", K::count, "/metrics/faults/by_kind/link_cut", false, "", "WAN link cuts injected"},
    {"faults.channel", K::count, "/metrics/faults/by_kind/channel", false, "", "I1 channel faults injected"},
    {"faults.cloud_restart", K::count, "/metrics/faults/by_kind/cloud_restart", false, "",
     "Cloud BSS/OSS restarts injected"},
    {"faults.clock_skew", K::count, "/metrics/faults/by_kind/clock_skew", false, "", "clock skews injected"},
    {"channel.lost", K::count, "/metrics/faults/channel/lost", false, "",
     "I1 frames lost (also those refused while the Cloud side was down)"},
    {"channel.refused", K::count, "/metrics/faults/channel/refused", false, "",
     "I1 frames refused while the Cloud side was down"},
    {"channel.duplicated", K::count, "/metrics/faults/channel/duplicated", false, "", "I1 frames delivered twice"},
    {"channel.delayed", K::count, "/metrics/faults/channel/delayed", false, "", "I1 frames held back"},
    {"cloud.restarts", K::count, "/metrics/faults/cloud/restarts", false, "", "times the Cloud BSS/OSS went down"},
    {"links.cut", K::count, "/metrics/faults/links/cut", false, "", "times a WAN link went down"},
    {"links.restored", K::count, "/metrics/faults/links/restored", false, "", "times a WAN link came back"},
    {"dcs.down", K::count, "/metrics/faults/dcs/down", false, "", "times a whole data centre went down"},
    {"dcs.up", K::count, "/metrics/faults/dcs/up", false, "", "times a data centre came back"},
    {"clock.skews", K::count, "/metrics/faults/clock/skews", false, "", "times the Cloud side's clock went off"},
}};

constexpr std::array<std::string_view, 8> kFunctions{"p50", "p90", "p95", "p99", "mean", "min", "max", "count"};

const MetricInfo* find(std::string_view name) {
  for (const MetricInfo& m : kCatalogue)
    if (m.name == name)
      return &m;
  return nullptr;
}

bool is_function(std::string_view f) { return std::find(kFunctions.begin(), kFunctions.end(), f) != kFunctions.end(); }

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string function_list() {
  std::vector<std::string> out(kFunctions.begin(), kFunctions.end());
  return joined(out);
}

std::string sample_list() {
  std::vector<std::string> out;
  for (const MetricInfo& m : kCatalogue)
    if (m.sample)
      out.emplace_back(m.name);
  return joined(out);
}

/// How a catalogue entry is written in lists of names.
std::string shown(const MetricInfo& m) { return m.sample ? fmt::format("FUNC({})", m.name) : std::string(m.name); }

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view head(std::string_view name) { return name.substr(0, name.find('.')); }
std::string_view tail(std::string_view name) {
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

/// "unknown metric 'x' (did you mean a, b?)" or, with nothing close, every name of its section or of all.
std::string unknown_metric(std::string_view name) {
  std::vector<std::string> close;
  for (const MetricInfo& m : kCatalogue)
    if (edit_distance(name, m.name) <= std::max<std::size_t>(2, name.size() / 5) ||
        (tail(name) == tail(m.name) && name.find('.') != std::string_view::npos))
      close.push_back(shown(m));
  if (!close.empty())
    return fmt::format("unknown metric '{}' (did you mean {}?)", name, joined(close));
  std::vector<std::string> section;
  for (const MetricInfo& m : kCatalogue)
    if (head(m.name) == head(name))
      section.push_back(shown(m));
  if (!section.empty())
    return fmt::format("unknown metric '{}' (known in {}: {})", name, head(name), joined(section));
  std::vector<std::string> all;
  for (const MetricInfo& m : kCatalogue)
    all.push_back(shown(m));
  return fmt::format("unknown metric '{}' (known: {})", name, joined(all));
}

std::string_view unit_word(MetricKind k) {
  switch (k) {
  case K::count:
    return "a count";
  case K::duration:
    return "a duration";
  case K::size:
    return "a size";
  case K::ratio:
    return "a ratio";
  case K::money:
    return "an amount in minor units";
  }
  return "";
}

/// Reads the text a character at a time; every error names the character it is at.
class Parser {
public:
  explicit Parser(const std::string& text) : text_(text) {}

  Expectation parse() {
    Expectation e;
    e.text = text_;
    skip_spaces();
    if (at_end())
      fail(pos_, "empty expectation: write METRIC OP VALUE, e.g. orders.failed == 0");
    e.metric = metric();
    const ResolvedMetric resolved = *resolve_metric(e.metric);
    skip_spaces();
    e.op = op();
    skip_spaces();
    e.value = value(e.metric, resolved.kind);
    return e;
  }

private:
  [[noreturn]] void fail(std::size_t at, const std::string& message) const { throw ExpectationError(at, message); }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_spaces() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t'))
      ++pos_;
  }
  static bool word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
  static bool word_char(char c) { return word_start(c) || (c >= '0' && c <= '9'); }

  std::string word() {
    const std::size_t from = pos_;
    if (!word_start(peek()))
      return {};
    while (word_char(peek()))
      ++pos_;
    return text_.substr(from, pos_ - from);
  }

  /// a.b.c; empty when the text does not start with a name here.
  std::string dotted() {
    const std::size_t from = pos_;
    if (word().empty())
      return {};
    while (peek() == '.') {
      const std::size_t dot = pos_++;
      if (word().empty())
        fail(pos_, fmt::format("expected a name after '.' in '{}'", text_.substr(from, dot - from + 1)));
    }
    return text_.substr(from, pos_ - from);
  }

  std::string metric() {
    const std::size_t from = pos_;
    const std::string first = word();
    if (first.empty())
      fail(from, "expected a metric, e.g. orders.failed or p99(order_to_active)");
    std::size_t paren = pos_;
    skip_spaces();
    if (peek() == '(') {
      if (!is_function(first))
        fail(from, fmt::format("unknown function '{}' (known: {})", first, function_list()));
      paren = pos_++;
      skip_spaces();
      const std::size_t name_at = pos_;
      const std::string name = dotted();
      if (name.empty())
        fail(name_at, fmt::format("expected a sample inside {}( ), e.g. {}({})", first, first, sample_list()));
      const MetricInfo* m = find(name);
      if (!m)
        fail(name_at, fmt::format("unknown sample '{}' (samples: {})", name, sample_list()));
      if (!m->sample)
        fail(name_at,
             fmt::format("{} is not a sample: {}() applies to {}; write {} alone", name, first, sample_list(), name));
      skip_spaces();
      if (peek() != ')')
        fail(pos_, fmt::format("expected ')' to close the '(' at character {}", paren + 1));
      ++pos_;
      return name + "." + first;
    }
    pos_ = from;
    const std::string name = dotted();
    if (const MetricInfo* m = find(name)) {
      if (m->sample)
        fail(from, fmt::format("{} is a sample: assert on one figure of it, e.g. p99({}) (figures: {})", name, name,
                               function_list()));
      return name;
    }
    const auto dot = name.rfind('.');
    if (dot != std::string::npos) {
      const MetricInfo* m = find(name.substr(0, dot));
      if (m && m->sample && is_function(name.substr(dot + 1)))
        return name; // the canonical form, as results.json keys it
    }
    fail(from, unknown_metric(name));
  }

  Expectation::Op op() {
    static constexpr std::array<std::pair<std::string_view, Expectation::Op>, 6> ops{{{"<=", Expectation::Op::le},
                                                                                      {">=", Expectation::Op::ge},
                                                                                      {"==", Expectation::Op::eq},
                                                                                      {"!=", Expectation::Op::ne},
                                                                                      {"<", Expectation::Op::lt},
                                                                                      {">", Expectation::Op::gt}}};
    const std::string_view rest = std::string_view(text_).substr(pos_);
    for (const auto& [symbol, op] : ops)
      if (rest.starts_with(symbol)) {
        pos_ += symbol.size();
        return op;
      }
    if (rest.starts_with("="))
      fail(pos_, "'=' is not a comparison: write == to test equality");
    if (rest.empty())
      fail(pos_, "expected a comparison (<, <=, ==, !=, >=, >) and a value after the metric");
    fail(pos_, fmt::format("expected a comparison (<, <=, ==, !=, >=, >), not '{}'", rest.substr(0, 1)));
  }

  double value(const std::string& metric, MetricKind kind) {
    const std::size_t from = pos_;
    if (at_end())
      fail(from, fmt::format("expected a value after the comparison, e.g. {}", example(kind)));
    std::size_t end = text_.size();
    while (end > from && (text_[end - 1] == ' ' || text_[end - 1] == '\t'))
      --end;
    const std::string_view token = std::string_view(text_).substr(from, end - from);
    const bool negative = token.front() == '-';
    std::size_t i = negative ? 1 : 0;
    const std::size_t digits_from = i;
    bool digits = false, dot = false;
    for (; i < token.size(); ++i) {
      const char c = token[i];
      if (c >= '0' && c <= '9')
        digits = true;
      else if (c == '.' && !dot)
        dot = true;
      else
        break;
    }
    if (!digits)
      fail(from, fmt::format("expected a number, not '{}'", token));
    std::size_t unit_at = i;
    while (unit_at < token.size() && (token[unit_at] == ' ' || token[unit_at] == '\t'))
      ++unit_at;
    const std::string_view unit = token.substr(unit_at);
    const std::string number(token.substr(digits_from, i - digits_from));
    double v = std::strtod(number.c_str(), nullptr);
    if (kind == K::duration || kind == K::size) {
      if (unit.empty())
        fail(from + i, fmt::format("{} is {}: give the value a unit, e.g. {} ({})", written_metric(metric),
                                   unit_word(kind), example(kind), unit_list(kind)));
      try {
        v = kind == K::duration ? units::parse_duration(token.substr(digits_from))
                                : units::parse_size(token.substr(digits_from));
      } catch (const units::UnitError&) {
        fail(from + unit_at, fmt::format("unknown {} unit '{}' (known: {})", kind == K::duration ? "duration" : "size",
                                         unit, unit_list(kind)));
      }
    } else if (!unit.empty()) {
      fail(from + unit_at,
           fmt::format("{} is {}: write a bare number, without '{}'", written_metric(metric), unit_word(kind), unit));
    }
    return negative ? -v : v;
  }

  static std::string_view example(MetricKind kind) {
    switch (kind) {
    case K::duration:
      return "120s";
    case K::size:
      return "10MB";
    case K::ratio:
      return "2.5";
    default:
      return "0";
    }
  }
  static std::string_view unit_list(MetricKind kind) {
    return kind == K::duration ? "ns, us, ms, s, min, h, d, w" : "B, kB, MB, GB, TB, KiB, MiB, GiB, TiB";
  }

  const std::string& text_;
  std::size_t pos_ = 0;
};

std::string trimmed(std::string s) {
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0')
      s.pop_back();
    if (!s.empty() && s.back() == '.')
      s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

} // namespace

Expectation parse_expectation(const std::string& text) { return Parser(text).parse(); }

std::span<const MetricInfo> metric_catalogue() { return kCatalogue; }

std::span<const std::string_view> sample_functions() { return kFunctions; }

std::optional<ResolvedMetric> resolve_metric(std::string_view canonical) {
  if (const MetricInfo* m = find(canonical); m && !m->sample)
    return ResolvedMetric{m, "", m->kind};
  const auto dot = canonical.rfind('.');
  if (dot == std::string_view::npos)
    return std::nullopt;
  const MetricInfo* m = find(canonical.substr(0, dot));
  const std::string_view function = canonical.substr(dot + 1);
  if (!m || !m->sample || !is_function(function))
    return std::nullopt;
  // The size of a sample is a count whatever the sample measures.
  return ResolvedMetric{m, std::string(function), function == "count" ? K::count : m->kind};
}

std::string written_metric(std::string_view canonical) {
  const auto r = resolve_metric(canonical);
  if (!r || r->function.empty())
    return std::string(canonical);
  return fmt::format("{}({})", r->function, r->info->name);
}

std::string_view to_string(Expectation::Op op) {
  switch (op) {
  case Expectation::Op::lt:
    return "<";
  case Expectation::Op::le:
    return "<=";
  case Expectation::Op::eq:
    return "==";
  case Expectation::Op::ne:
    return "!=";
  case Expectation::Op::ge:
    return ">=";
  case Expectation::Op::gt:
    return ">";
  }
  return "?";
}

std::string format_value(MetricKind kind, double value) {
  const bool whole = std::fabs(value - std::round(value)) < 1e-9 && std::fabs(value) < 1e15;
  switch (kind) {
  case K::duration:
    return (std::fabs(value) >= 1 ? trimmed(fmt::format("{:.3f}", value)) : fmt::format("{:.6g}", value)) + "s";
  case K::size:
    return (whole ? fmt::format("{:.0f}", value) : fmt::format("{:.1f}", value)) + "B";
  case K::count:
  case K::money:
    return whole ? fmt::format("{:.0f}", value) : fmt::format("{:.6g}", value);
  case K::ratio:
    return fmt::format("{:.6g}", value);
  }
  return fmt::format("{}", value);
}

} // namespace i1sim::scenario
