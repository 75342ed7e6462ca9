// Unit tests of the arrival trace reader (sim/scenario/trace_csv.hpp): valid files round-trip, every problem is
// reported at its line and column, and no input crashes it.
#include "scenario/trace_csv.hpp"
#include "util/random.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <optional>
#include <string>
#include <vector>

namespace i1sim::scenario::trace_csv_test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::optional<util::LocatedError> error_of(const std::string& text) {
  try {
    read_trace_csv(text, "trace.csv");
  } catch (const util::LocatedError& e) {
    return e;
  }
  return std::nullopt;
}

// Expects `text` to be refused at line:column with a message starting with `field`.
void expect_error(const std::string& text, int line, int column, const std::string& message_start) {
  const auto e = error_of(text);
  ASSERT_TRUE(e.has_value()) << "accepted:\n" << text;
  EXPECT_EQ(e->file(), "trace.csv");
  EXPECT_EQ(e->line(), line) << e->what();
  EXPECT_EQ(e->column(), column) << e->what();
  EXPECT_THAT(e->message(), StartsWith(message_start)) << e->what();
  EXPECT_EQ(std::string(e->what()), line > 0 ? fmt::format("trace.csv:{}:{}: {}", line, column, e->message())
                                             : fmt::format("trace.csv: {}", e->message()));
}

TEST(TraceCsv, ReadsRowsWithUnitsCommentsBlankLinesAndCrlf) {
  const std::string text = "# replayed from the March peak\r\n"
                           "at,product,customer\r\n"
                           "90s,office,3\r\n"
                           "\r\n"
                           "  # a comment after blanks\n"
                           "1.5h, studio ,\n"
                           "1.5h,office-2_b,12\n"
                           "2d,studio,1";
  const TraceCsv t = read_trace_csv(text, "trace.csv");
  ASSERT_EQ(t.arrivals.size(), 4u);
  ASSERT_EQ(t.places.size(), 4u);
  EXPECT_EQ(t.arrivals[0].at, 90.0);
  EXPECT_EQ(t.arrivals[0].product, "office");
  EXPECT_EQ(t.arrivals[0].customer, 3);
  EXPECT_EQ(t.arrivals[1].at, 5400.0);
  EXPECT_EQ(t.arrivals[1].product, "studio");
  EXPECT_EQ(t.arrivals[1].customer, 0) << "an empty customer cell is drawn";
  EXPECT_EQ(t.arrivals[2].product, "office-2_b");
  EXPECT_EQ(t.arrivals[2].customer, 12);
  EXPECT_EQ(t.arrivals[3].at, 172800.0);
  const int lines[4] = {3, 6, 7, 8};
  const int product_columns[4] = {5, 7, 6, 4};
  const int customer_columns[4] = {12, 15, 17, 11};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(t.arrivals[static_cast<std::size_t>(i)].line, lines[i]);
    EXPECT_EQ(t.places[static_cast<std::size_t>(i)].line, lines[i]);
    EXPECT_EQ(t.places[static_cast<std::size_t>(i)].product_column, product_columns[i]) << "row " << i;
    EXPECT_EQ(t.places[static_cast<std::size_t>(i)].customer_column, customer_columns[i]) << "row " << i;
  }
}

TEST(TraceCsv, TheCustomerColumnIsOptional) {
  const auto rows = parse_trace_csv("at,product\n0s,a\n0s,b\n", "trace.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at, 0.0);
  EXPECT_EQ(rows[1].product, "b");
  EXPECT_EQ(rows[1].customer, 0);
}

TEST(TraceCsv, AByteOrderMarkIsSkippedAndColumnsCountFromAfterIt) {
  const TraceCsv t = read_trace_csv("\xEF\xBB\xBF"
                                    "at,product\n10s,a\n",
                                    "trace.csv");
  ASSERT_EQ(t.arrivals.size(), 1u);
  expect_error("\xEF\xBB\xBF"
               "at,prod\n10s,a\n",
               1, 4, "header: expected column 'product'");
}

TEST(TraceCsv, AValidFileRoundTrips) {
  // Rows made up by the test, written in every unit, read back to the same values.
  Random r(99);
  const char* units[] = {"ms", "s", "min", "h"};
  const double factor[] = {1e-3, 1.0, 60.0, 3600.0};
  std::vector<TraceArrival> rows;
  std::string text = "at,product,customer\n";
  std::uint64_t ticks = 0;
  for (int i = 0; i < 2000; ++i) {
    ticks += r.below(5); // ties included
    const std::size_t u = static_cast<std::size_t>(r.below(4));
    // The time is written as a whole number of the unit when it divides, else in ms.
    const std::uint64_t per_unit = u == 0 ? 1 : u == 1 ? 1000 : u == 2 ? 60000 : 3600000;
    TraceArrival row;
    std::string at;
    if (ticks % per_unit == 0) {
      at = fmt::format("{}{}", ticks / per_unit, units[u]);
      row.at = static_cast<double>(ticks / per_unit) * factor[u];
    } else {
      at = fmt::format("{}ms", ticks);
      row.at = static_cast<double>(ticks) * 1e-3;
    }
    row.product = fmt::format("p{}-{}", r.below(7), i % 3 == 0 ? "x_y" : "z");
    row.customer = static_cast<int>(r.below(4)); // 0: drawn
    row.line = i + 2;
    rows.push_back(row);
    text += fmt::format("{},{},{}\n", at, row.product, row.customer == 0 ? "" : std::to_string(row.customer));
  }
  const auto read = parse_trace_csv(text, "trace.csv");
  ASSERT_EQ(read.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(read[i].at, rows[i].at) << "row " << i;
    EXPECT_EQ(read[i].product, rows[i].product) << "row " << i;
    EXPECT_EQ(read[i].customer, rows[i].customer) << "row " << i;
    EXPECT_EQ(read[i].line, rows[i].line) << "row " << i;
  }
}

TEST(TraceCsv, AnEmptyTraceIsAnError) {
  expect_error("", 0, 0, "empty trace");
  expect_error("\n\n# nothing here\n   \n", 0, 0, "empty trace");
  expect_error("# header only\nat,product\n\n# no rows\n", 2, 1, "empty trace: no order after the header");
  EXPECT_EQ(std::string(error_of("")->what()),
            "trace.csv: empty trace: expected the header line 'at,product[,customer]'");
}

TEST(TraceCsv, ReportsAWrongHeaderAtItsColumn) {
  expect_error("time,product\n1s,a\n", 1, 1, "header: expected column 'at', found 'time'");
  expect_error("at, prod\n1s,a\n", 1, 5, "header: expected column 'product', found 'prod'");
  expect_error("at,customer\n1s,1\n", 1, 4, "header: expected column 'product', found 'customer'");
  expect_error("product,at\n1s,a\n", 1, 1, "header: expected column 'at'");
  expect_error("at,product,client\n1s,a,1\n", 1, 12, "header: expected column 'customer', found 'client'");
  expect_error("at,product,customer,extra\n1s,a,1,2\n", 1, 21, "header: unexpected column 'extra'");
  expect_error("at\n1s\n", 1, 3, "header: missing column 'product'");
  expect_error("\n# c\nat;product\n1s;a\n", 3, 1, "header: expected column 'at', found 'at;product'");
}

TEST(TraceCsv, ReportsABadTimeAtItsLineAndColumn) {
  const std::string head = "at,product\n0s,a\n";
  expect_error(head + "# c\n\n12x,a\n", 5, 1, "at: '12x' is not a duration");
  EXPECT_EQ(std::string(error_of("at,product\n  12x,a\n")->what()).substr(0, 39),
            "trace.csv:2:3: at: '12x' is not a durat");
  expect_error(head + "12,a\n", 3, 1, "at: '12' is not a duration");
  expect_error(head + "-5s,a\n", 3, 1, "at: '-5s' is not a duration");
  expect_error(head + "1e3s,a\n", 3, 1, "at: '1e3s' is not a duration");
  expect_error(head + ",a\n", 3, 1, "at: '' is not a duration");
  expect_error(head + "s,a\n", 3, 1, "at: 's' is not a duration");
  // A number too large for a double, and one that overflows only once multiplied by its unit.
  expect_error(head + std::string(400, '9') + "s,a\n", 3, 1, "at: '9999");
  expect_error(head + "1" + std::string(307, '0') + "w,a\n", 3, 1, "at: '1000");
  EXPECT_LT(error_of(head + std::string(400, '9') + "s,a\n")->message().size(), 200u) << "the echo is bounded";
}

TEST(TraceCsv, ReportsRowsOutOfTimeOrder) {
  expect_error("at,product\n1min,a\n# c\n60s,b\n59s,c\n", 5, 1,
               "at: '59s' is earlier than the previous row's '60s' (line 4)");
  expect_error("at,product\n1h,a\n  30min ,b\n", 3, 3, "at: '30min' is earlier than the previous row's '1h' (line 2)");
}

TEST(TraceCsv, ReportsABadProductAtItsColumn) {
  const std::string head = "at,product,customer\n";
  expect_error(head + "10s,foo bar,1\n", 2, 5, "product: 'foo bar' is not a product id");
  expect_error(head + "10s,foo/bar,1\n", 2, 5, "product: 'foo/bar' is not a product id");
  expect_error(head + "10s,\"a\",1\n", 2, 5, "product: '\"a\"' is not a product id");
  expect_error(head + "10s,,1\n", 2, 5, "product: empty");
  expect_error(head + "10s,   ,1\n", 2, 5, "product: empty");
  expect_error(head + "10s,caf\xC3\xA9,1\n", 2, 5,
               "product: 'caf?"
               "?' is not a product id");
  expect_error(head + std::string("10s,a\0b,1\n", 10), 2, 5, "product: 'a?b' is not a product id");
}

TEST(TraceCsv, ReportsMissingAndExtraFields) {
  expect_error("at,product\n10s\n", 2, 4, "product: missing");
  expect_error("at,product,customer\n10s,a\n", 2, 6, "customer: missing");
  expect_error("at,product\n10s,a,3\n", 2, 7, "unexpected field '3': the header has 2 columns");
  expect_error("at,product,customer\n10s,a,3,\n", 2, 9, "unexpected field ''");
}

TEST(TraceCsv, ReportsABadCustomerAtItsColumn) {
  const std::string head = "at,product,customer\n1s,a,1\n";
  expect_error(head + "2s,a,0\n", 3, 6, "customer: '0' is not a customer number");
  expect_error(head + "2s,a,-1\n", 3, 6, "customer: '-1' is not a customer number");
  expect_error(head + "2s,a,1.5\n", 3, 6, "customer: '1.5' is not a customer number");
  expect_error(head + "2s,a,x\n", 3, 6, "customer: 'x' is not a customer number");
  expect_error(head + "2s,a,2147483648\n", 3, 6, "customer: '2147483648' is too large");
  expect_error(head + "2s,a,99999999999999999999999\n", 3, 6, "customer: '99999999999999999999999' is too large");
  EXPECT_EQ(parse_trace_csv(head + "2s,a,2147483647\n", "trace.csv")[1].customer, 2147483647);
  EXPECT_EQ(parse_trace_csv(head + "2s,a,007\n", "trace.csv")[1].customer, 7);
}

TEST(TraceCsv, RefusesMoreRowsThanTheLimit) {
  EXPECT_EQ(kMaxTraceRows, 10'000'000u);
  std::string text = "at,product\n";
  for (int i = 0; i < 5; ++i)
    text += "1s,a\n# between\n";
  EXPECT_EQ(read_trace_csv(text, "trace.csv", 5).arrivals.size(), 5u);
  try {
    read_trace_csv(text + "\n2s,b\n", "trace.csv", 5);
    FAIL() << "a sixth row was accepted";
  } catch (const util::LocatedError& e) {
    EXPECT_EQ(e.line(), 13);
    EXPECT_EQ(e.column(), 1);
    EXPECT_THAT(e.message(), HasSubstr("too many rows: a trace holds at most 5 orders"));
  }
}

TEST(TraceCsv, NoInputCrashesIt) {
  // Random bytes biased towards the format's own characters, and random damage to a valid file: each must
  // either parse or be refused at a place inside the text.
  Random r(7);
  const std::string alphabet = "at,productcustomer0123456789.smhdw#\n\r -_\t\"\xEF\xBB\xBF";
  const std::string valid = "at,product,customer\n1s,a,1\n2s,b,\n3min,c,4\n";
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    if (i % 2 == 0) {
      const auto n = r.below(60);
      for (std::uint64_t k = 0; k < n; ++k)
        text += r.below(4) == 0 ? static_cast<char>(r.below(256)) : alphabet[r.below(alphabet.size())];
    } else {
      text = valid;
      const auto edits = 1 + r.below(4);
      for (std::uint64_t k = 0; k < edits; ++k)
        text[r.below(text.size())] = static_cast<char>(r.below(256));
    }
    int lines = 1;
    for (char c : text)
      lines += c == '\n';
    try {
      const TraceCsv t = read_trace_csv(text, "fuzz.csv");
      ASSERT_FALSE(t.arrivals.empty());
      ASSERT_EQ(t.arrivals.size(), t.places.size());
      for (std::size_t k = 1; k < t.arrivals.size(); ++k)
        ASSERT_GE(t.arrivals[k].at, t.arrivals[k - 1].at);
    } catch (const util::LocatedError& e) {
      ASSERT_GE(e.line(), 0);
      ASSERT_LE(e.line(), lines);
      ASSERT_GE(e.column(), 0);
      ASSERT_LE(e.column(), static_cast<int>(text.size()) + 1);
      ASSERT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "one line per error";
    }
  }
}

TEST(TraceCsv, CheckNamesUnknownProductsAndCustomersBeyondTheCountAtTheirColumns) {
  Catalogue catalogue;
  catalogue.products = {Product{"office", "Office", {}, {}}, Product{"studio", "Studio", {}, {}}};
  const TraceCsv t =
      read_trace_csv("at,product,customer\n1s,office,2\n2s, offise,1\n3s,studio, 9\n4s,studio,\n", "trace.csv");
  const auto errors = check_trace(t, catalogue, 5, "trace.csv");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(std::string(errors[0].what()), "trace.csv:3:5: product: unknown product 'offise'");
  EXPECT_EQ(std::string(errors[1].what()), "trace.csv:4:12: customer: 9 is beyond customers.count (5)");
  EXPECT_TRUE(check_trace(t, catalogue, 9, "trace.csv").size() == 1u);
}

TEST(TraceCsv, CheckListsTheFirstProblemsOfAHugeBadTraceOnly) {
  Catalogue catalogue;
  catalogue.products = {Product{"office", "Office", {}, {}}};
  std::string text = "at,product\n";
  for (int i = 0; i < 1000; ++i)
    text += "1s,nope\n";
  const auto errors = check_trace(read_trace_csv(text, "trace.csv"), catalogue, 1, "trace.csv");
  ASSERT_EQ(errors.size(), 21u);
  EXPECT_EQ(errors[19].line(), 21);
  EXPECT_EQ(std::string(errors[20].what()), "trace.csv: 980 further problems in the trace not listed");
}

} // namespace
} // namespace i1sim::scenario::trace_csv_test
