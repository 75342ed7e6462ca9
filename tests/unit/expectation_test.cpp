// Unit tests of scenario expectations: the parser, the metric catalogue, evaluation, and the metrics they read.
#include "run/expectations.hpp"
#include "scenario/expectation.hpp"
#include "trace/metrics.hpp"

#include <algorithm>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace i1sim::expectation_test {
namespace {

using scenario::Expectation;
using scenario::ExpectationError;
using scenario::parse_expectation;
using ::testing::HasSubstr;
using Json = nlohmann::ordered_json;
using Op = Expectation::Op;

struct Failure {
  std::size_t offset = 0;
  std::string message;
};

/// The error parsing `text` raises; a test fails if it parses.
Failure failure_of(const std::string& text) {
  try {
    const Expectation e = parse_expectation(text);
    ADD_FAILURE() << "'" << text << "' parsed as metric " << e.metric;
  } catch (const ExpectationError& e) {
    return {e.offset(), e.what()};
  }
  return {};
}

// Parsing: what is accepted and what it means.

TEST(ExpectationParser, ReadsAPercentileOfTheOrderToActiveSampleInSeconds) {
  const Expectation e = parse_expectation("p99(order_to_active) < 120s");
  EXPECT_EQ(e.text, "p99(order_to_active) < 120s");
  EXPECT_EQ(e.metric, "order_to_active.p99");
  EXPECT_EQ(e.op, Op::lt);
  EXPECT_DOUBLE_EQ(e.value, 120);
}

TEST(ExpectationParser, ConvertsDurationUnitsToSeconds) {
  EXPECT_DOUBLE_EQ(parse_expectation("p95(order_to_active) <= 2min").value, 120);
  EXPECT_DOUBLE_EQ(parse_expectation("max(order_to_active) < 1.5h").value, 5400);
  EXPECT_DOUBLE_EQ(parse_expectation("min(order_to_active) > 250ms").value, 0.25);
}

TEST(ExpectationParser, ReadsCountsAsBareNumbers) {
  const Expectation e = parse_expectation("orders.failed == 0");
  EXPECT_EQ(e.metric, "orders.failed");
  EXPECT_EQ(e.op, Op::eq);
  EXPECT_EQ(e.value, 0);
  EXPECT_EQ(parse_expectation("billing.discrepancy == 0").metric, "billing.discrepancy");
  EXPECT_DOUBLE_EQ(parse_expectation("i1.messages_per_order <= 12.5").value, 12.5);
  EXPECT_DOUBLE_EQ(parse_expectation("billing.total > -250").value, -250);
}

TEST(ExpectationParser, ReadsEveryComparison) {
  const std::vector<std::pair<std::string, Op>> cases{{"<", Op::lt},  {"<=", Op::le}, {"==", Op::eq},
                                                      {"!=", Op::ne}, {">=", Op::ge}, {">", Op::gt}};
  for (const auto& [symbol, op] : cases) {
    EXPECT_EQ(parse_expectation("orders.failed " + symbol + " 1").op, op) << symbol;
    EXPECT_EQ(parse_expectation("orders.failed" + symbol + "1").op, op) << symbol << " without spaces";
  }
}

TEST(ExpectationParser, AllowsSpacesAroundEveryToken) {
  const Expectation e = parse_expectation("  p90 ( order_to_active )   >=   3 min  ");
  EXPECT_EQ(e.metric, "order_to_active.p90");
  EXPECT_EQ(e.op, Op::ge);
  EXPECT_DOUBLE_EQ(e.value, 180);
}

TEST(ExpectationParser, AcceptsTheCanonicalNameOfASampleFigure) {
  EXPECT_EQ(parse_expectation("order_to_active.p50 < 30s").metric, "order_to_active.p50");
}

TEST(ExpectationParser, TheSizeOfASampleIsACount) {
  const Expectation e = parse_expectation("count(order_to_active) >= 10");
  EXPECT_EQ(e.metric, "order_to_active.count");
  EXPECT_EQ(e.value, 10);
  EXPECT_THAT(failure_of("count(order_to_active) >= 10s").message, HasSubstr("count"));
}

TEST(ExpectationParser, ReadsSizesWithTheirUnits) {
  EXPECT_DOUBLE_EQ(parse_expectation("i1.bytes < 10MB").value, 10e6);
  EXPECT_DOUBLE_EQ(parse_expectation("i1.bytes_per_order < 2KiB").value, 2048);
}

// Parsing: what is refused, and the character each refusal points at.

TEST(ExpectationParser, RefusesAnEmptyText) {
  EXPECT_EQ(failure_of("").offset, 0u);
  EXPECT_EQ(failure_of("   ").offset, 3u);
}

TEST(ExpectationParser, AnUnknownMetricIsNamedWithTheCloseOnes) {
  const Failure f = failure_of("orders.faild == 0");
  EXPECT_EQ(f.offset, 0u);
  EXPECT_THAT(f.message, HasSubstr("'orders.faild'"));
  EXPECT_THAT(f.message, HasSubstr("orders.failed"));
  EXPECT_THAT(f.message, ::testing::Not(HasSubstr("billing.total")));
}

TEST(ExpectationParser, AnUnknownMetricOfAKnownSectionListsTheSection) {
  const Failure f = failure_of("  vms.teleported > 0");
  EXPECT_EQ(f.offset, 2u);
  for (const char* name : {"vms.placed", "vms.booted", "vms.failed", "vms.destroyed"})
    EXPECT_THAT(f.message, HasSubstr(name));
}

TEST(ExpectationParser, AnUnknownMetricOfNoSectionListsEveryName) {
  const Failure f = failure_of("weather.rain < 3");
  EXPECT_EQ(f.offset, 0u);
  EXPECT_THAT(f.message, HasSubstr("known:"));
  EXPECT_THAT(f.message, HasSubstr("orders.failed"));
  EXPECT_THAT(f.message, HasSubstr("FUNC(order_to_active)"));
}

TEST(ExpectationParser, AnUnknownFunctionIsRefusedAtItsName) {
  const Failure f = failure_of("p98(order_to_active) < 1s");
  EXPECT_EQ(f.offset, 0u);
  EXPECT_THAT(f.message, HasSubstr("'p98'"));
  EXPECT_THAT(f.message, HasSubstr("p99"));
}

TEST(ExpectationParser, AFunctionOfAPlainCounterIsRefusedAtTheCounter) {
  const std::string text = "p99(orders.failed) < 1";
  const Failure f = failure_of(text);
  EXPECT_EQ(f.offset, text.find("orders"));
  EXPECT_THAT(f.message, HasSubstr("not a sample"));
}

TEST(ExpectationParser, AFunctionOfAnUnknownSampleIsRefusedAtTheSample) {
  const std::string text = "p99( order_to_bill ) < 1s";
  const Failure f = failure_of(text);
  EXPECT_EQ(f.offset, text.find("order_to_bill"));
  EXPECT_THAT(f.message, HasSubstr("order_to_active"));
}

TEST(ExpectationParser, AnUnclosedParenthesisIsRefusedWhereTheCloseShouldBe) {
  const std::string text = "p99(order_to_active < 120s";
  EXPECT_EQ(failure_of(text).offset, text.find('<'));
}

TEST(ExpectationParser, ASampleWithoutAFunctionIsRefused) {
  const Failure f = failure_of("order_to_active < 120s");
  EXPECT_EQ(f.offset, 0u);
  EXPECT_THAT(f.message, HasSubstr("p99(order_to_active)"));
}

TEST(ExpectationParser, ANameEndingInADotIsRefusedAfterTheDot) { EXPECT_EQ(failure_of("orders. == 0").offset, 7u); }

TEST(ExpectationParser, ASingleEqualsSignIsRefusedWithTheRightOperator) {
  const std::string text = "orders.failed = 0";
  const Failure f = failure_of(text);
  EXPECT_EQ(f.offset, text.find('='));
  EXPECT_THAT(f.message, HasSubstr("=="));
}

TEST(ExpectationParser, AMissingOperatorIsRefusedWhereItShouldBe) {
  const std::string text = "orders.failed 0";
  EXPECT_EQ(failure_of(text).offset, text.find('0'));
  EXPECT_EQ(failure_of("orders.failed").offset, 13u);
}

TEST(ExpectationParser, AMissingValueIsRefusedAtTheEnd) {
  const std::string text = "orders.failed == ";
  EXPECT_EQ(failure_of(text).offset, text.size());
}

TEST(ExpectationParser, AValueThatIsNoNumberIsRefusedAtTheValue) {
  const std::string text = "orders.failed == none";
  const Failure f = failure_of(text);
  EXPECT_EQ(f.offset, text.find("none"));
  EXPECT_THAT(f.message, HasSubstr("number"));
  EXPECT_THAT(f.message, ::testing::Not(HasSubstr("known"))) << "a bare word far from any metric lists none";
}

TEST(ExpectationParser, ADurationWithoutAUnitIsRefusedNamingTheUnit) {
  const std::string text = "p99(order_to_active) < 120";
  const Failure f = failure_of(text);
  EXPECT_EQ(f.offset, text.size()); // where the unit should be
  EXPECT_THAT(f.message, HasSubstr("duration"));
  EXPECT_THAT(f.message, HasSubstr("120s"));
  EXPECT_THAT(f.message, HasSubstr("min"));
}

TEST(ExpectationParser, ADurationWithAnUnknownUnitIsRefusedAtTheUnit) {
  const std::string text = "p99(order_to_active) < 12parsecs";
  const Failure f = failure_of(text);
  EXPECT_EQ(f.offset, text.find("parsecs"));
  EXPECT_THAT(f.message, HasSubstr("'parsecs'"));
}

TEST(ExpectationParser, ACountWithAUnitIsRefusedAtTheUnit) {
  const std::string text = "orders.failed < 3s";
  const Failure f = failure_of(text);
  EXPECT_EQ(f.offset, text.find('s', text.find('3')));
  EXPECT_THAT(f.message, HasSubstr("count"));
  EXPECT_THAT(f.message, HasSubstr("bare number"));
}

TEST(ExpectationParser, AnAmountWithACurrencyIsRefused) {
  const std::string text = "billing.total > 100 EUR";
  EXPECT_EQ(failure_of(text).offset, text.find("EUR"));
}

// Parsing: another metric on the right.

TEST(ExpectationParser, ReadsAMetricOnTheRightSide) {
  const Expectation e = parse_expectation("vms.destroyed == vms.booted");
  EXPECT_EQ(e.metric, "vms.destroyed");
  EXPECT_EQ(e.op, Op::eq);
  EXPECT_EQ(e.rhs_metric, "vms.booted");
  EXPECT_EQ(parse_expectation("orders.failed==orders.rejected_jurisdiction  ").rhs_metric,
            "orders.rejected_jurisdiction");
  EXPECT_TRUE(parse_expectation("orders.failed == 0").rhs_metric.empty());
}

TEST(ExpectationParser, ReadsAFigureOfASampleOnTheRightSide) {
  const Expectation e = parse_expectation("p99(order_to_active) < max(order_to_active)");
  EXPECT_EQ(e.metric, "order_to_active.p99");
  EXPECT_EQ(e.op, Op::lt);
  EXPECT_EQ(e.rhs_metric, "order_to_active.max");
  EXPECT_EQ(parse_expectation("p50(order_to_active) <= order_to_active.p90").rhs_metric, "order_to_active.p90");
  // The size of a sample is a count, so it compares with counters.
  EXPECT_EQ(parse_expectation("count(order_to_active) == orders.completed").rhs_metric, "orders.completed");
}

TEST(ExpectationParser, RefusesMetricsOfDifferentKindsAtTheRightSide) {
  const std::string text = "p99(order_to_active) > orders.failed";
  const Failure f = failure_of(text);
  EXPECT_EQ(f.offset, text.find("orders.failed"));
  EXPECT_THAT(f.message, HasSubstr("p99(order_to_active) is a duration"));
  EXPECT_THAT(f.message, HasSubstr("orders.failed is a count"));
  EXPECT_THAT(f.message, HasSubstr("same kind"));
  const std::string money = "billing.total >= billing.bills";
  EXPECT_EQ(failure_of(money).offset, money.find("billing.bills"));
  const std::string ratio = "i1.messages_per_order < i1.messages";
  EXPECT_EQ(failure_of(ratio).offset, ratio.find("i1.messages", 5));
  const std::string size = "orders.failed < count(order_to_active)";
  EXPECT_NO_THROW(parse_expectation(size));
  const std::string bytes = "i1.bytes > i1.messages";
  EXPECT_EQ(failure_of(bytes).offset, bytes.find("i1.messages"));
}

TEST(ExpectationParser, RefusesAMetricComparedWithItself) {
  const std::string text = "vms.booted == vms.booted";
  const Failure f = failure_of(text);
  EXPECT_EQ(f.offset, text.rfind("vms.booted"));
  EXPECT_THAT(f.message, HasSubstr("both sides"));
}

TEST(ExpectationParser, RefusesAnythingAfterTheRightMetric) {
  const std::string text = "vms.destroyed == vms.booted + 1";
  const Failure f = failure_of(text);
  EXPECT_EQ(f.offset, text.find('+'));
  EXPECT_THAT(f.message, HasSubstr("'+ 1'"));
}

TEST(ExpectationParser, AnUnknownMetricOnTheRightIsRefusedThereWithTheCloseOnes) {
  const std::string text = "orders.failed == orders.faild";
  const Failure f = failure_of(text);
  EXPECT_EQ(f.offset, text.rfind("orders.faild"));
  EXPECT_THAT(f.message, HasSubstr("number or a metric"));
  EXPECT_THAT(f.message, HasSubstr("'orders.faild'"));
  EXPECT_THAT(f.message, HasSubstr("orders.failed"));
}

TEST(ExpectationParser, ASampleWithoutAFunctionOnTheRightIsRefusedThere) {
  const std::string text = "p99(order_to_active) < order_to_active";
  const Failure f = failure_of(text);
  EXPECT_EQ(f.offset, text.rfind("order_to_active"));
  EXPECT_THAT(f.message, HasSubstr("order_to_active is a sample"));
}

// The catalogue.

TEST(MetricCatalogue, NamesEachMetricOnceAndPointsIntoResults) {
  std::set<std::string_view> names;
  for (const auto& m : scenario::metric_catalogue()) {
    EXPECT_TRUE(names.insert(m.name).second) << m.name;
    EXPECT_TRUE(m.path.starts_with("/metrics/") || m.path.starts_with("/oracles/")) << m.name << ": " << m.path;
    EXPECT_FALSE(m.meaning.empty()) << m.name;
  }
}

TEST(MetricCatalogue, HasEveryMetricTheIssueNames) {
  std::set<std::string_view> names;
  for (const auto& m : scenario::metric_catalogue())
    names.insert(m.name);
  for (const char* name : {"orders.submitted",    "orders.completed",  "orders.failed",   "orders.unresolved",
                           "order_to_active",     "i1.messages",       "i1.bytes",        "i1.messages_per_order",
                           "vms.placed",          "vms.booted",        "vms.failed",      "vms.destroyed",
                           "failures.hosts",      "failures.vms_down", "failures.alarms", "failures.sla_violations",
                           "billing.bills",       "billing.total",     "billing.credits", "billing.usage_records",
                           "billing.discrepancy", "usage.discrepancy", "faults.injected", "channel.lost",
                           "channel.duplicated",  "channel.delayed",   "cloud.restarts",  "links.cut"})
    EXPECT_TRUE(names.contains(name)) << name;
}

/// A value of the right form for a metric of kind `k`.
std::string value_for(scenario::MetricKind k) {
  switch (k) {
  case scenario::MetricKind::duration:
    return "1s";
  case scenario::MetricKind::size:
    return "1B";
  default:
    return "1";
  }
}

TEST(MetricCatalogue, EveryEntryParsesAndResolvesToItself) {
  for (const auto& m : scenario::metric_catalogue()) {
    if (m.sample) {
      for (const auto f : scenario::sample_functions()) {
        const std::string text = std::string(f) + "(" + std::string(m.name) +
                                 ") >= " + value_for(f == "count" ? scenario::MetricKind::count : m.kind);
        const Expectation e = parse_expectation(text);
        EXPECT_EQ(e.metric, std::string(m.name) + "." + std::string(f));
        const auto r = scenario::resolve_metric(e.metric);
        ASSERT_TRUE(r) << e.metric;
        EXPECT_EQ(r->info, &m);
        EXPECT_EQ(r->function, f);
        EXPECT_EQ(scenario::written_metric(e.metric), std::string(f) + "(" + std::string(m.name) + ")");
      }
      continue;
    }
    const Expectation e = parse_expectation(std::string(m.name) + " >= " + value_for(m.kind));
    EXPECT_EQ(e.metric, m.name);
    const auto r = scenario::resolve_metric(e.metric);
    ASSERT_TRUE(r) << e.metric;
    EXPECT_EQ(r->info, &m);
    EXPECT_TRUE(r->function.empty());
  }
}

TEST(MetricCatalogue, SampleFiguresAreTheKeysOfADistribution) {
  const Json figures = trace::Distribution::of({1, 2, 3}).to_json();
  for (const auto f : scenario::sample_functions())
    EXPECT_TRUE(figures.contains(std::string(f))) << f;
}

TEST(MetricCatalogue, RendersOneRowPerMetricForTheDocumentationAndTheHelp) {
  const std::string markdown = scenario::metric_table_markdown();
  const std::string text = scenario::metric_table_text();
  const auto lines = [](const std::string& s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
  };
  EXPECT_EQ(lines(markdown), scenario::metric_catalogue().size() + 2);
  EXPECT_EQ(lines(text), scenario::metric_catalogue().size());
  for (const auto& m : scenario::metric_catalogue()) {
    EXPECT_THAT(markdown, HasSubstr(std::string(m.path))) << m.name;
    EXPECT_THAT(text, HasSubstr(std::string(m.name))) << m.name;
  }
  EXPECT_THAT(markdown, HasSubstr("| `FUNC(order_to_active)` | duration (s) |"));
  EXPECT_THAT(markdown, HasSubstr("| `billing.total` | minor units |"));
}

// Evaluation.

Expectation expectation(const std::string& text, int line = 0) {
  Expectation e = parse_expectation(text);
  e.line = line;
  return e;
}

run::Outcome judge(const std::string& text, const Json& results) {
  return run::evaluate({expectation(text)}, results).at(0);
}

Json results_with_failed(int failed) { return {{"metrics", {{"orders", {{"failed", failed}}}}}}; }

TEST(ExpectationEvaluation, EachComparisonHoldsExactlyOnItsSideOfTheBoundary) {
  const Json results = results_with_failed(3);
  // The truth of `3 OP v` for v = 2, 3, 4, written out by hand.
  const std::vector<std::pair<std::string, std::vector<bool>>> table{
      {"<", {false, false, true}}, {"<=", {false, true, true}}, {"==", {false, true, false}},
      {"!=", {true, false, true}}, {">=", {true, true, false}}, {">", {true, false, false}}};
  for (const auto& [symbol, truth] : table)
    for (int v = 2; v <= 4; ++v) {
      const auto o = judge("orders.failed " + symbol + " " + std::to_string(v), results);
      ASSERT_TRUE(o.measured);
      EXPECT_EQ(*o.measured, 3);
      EXPECT_EQ(o.met, truth[static_cast<std::size_t>(v - 2)]) << "3 " << symbol << " " << v;
    }
}

TEST(ExpectationEvaluation, ComparesDurationsInSeconds) {
  const Json results = {{"metrics", {{"order_to_active_s", {{"count", 5}, {"p99", 131.2}}}}}};
  EXPECT_FALSE(judge("p99(order_to_active) < 2min", results).met);
  EXPECT_TRUE(judge("p99(order_to_active) < 2.5min", results).met);
  EXPECT_DOUBLE_EQ(*judge("p99(order_to_active) < 2min", results).measured, 131.2);
}

TEST(ExpectationEvaluation, AMissingCounterReadsZero) {
  const Json results = results_with_failed(0); // no faults section at all
  const auto none = judge("channel.lost == 0", results);
  ASSERT_TRUE(none.measured);
  EXPECT_EQ(*none.measured, 0);
  EXPECT_TRUE(none.met);
  EXPECT_FALSE(judge("channel.lost > 0", results).met);
}

TEST(ExpectationEvaluation, APercentileOfAnEmptySampleFailsWhateverTheBound) {
  const Json results = {{"metrics", {{"order_to_active_s", {{"count", 0}}}}}};
  for (const char* text :
       {"p99(order_to_active) < 120s", "p99(order_to_active) >= 0s", "mean(order_to_active) != 1s"}) {
    const auto o = judge(text, results);
    EXPECT_FALSE(o.met) << text;
    EXPECT_FALSE(o.measured) << text;
    EXPECT_THAT(o.reason, HasSubstr("no sample")) << text;
  }
  const auto size = judge("count(order_to_active) == 0", results);
  EXPECT_TRUE(size.met);
}

TEST(ExpectationEvaluation, APercentileFailsWhenTheSampleIsAbsentAltogether) {
  const auto o = judge("p50(order_to_active) < 1h", Json::object());
  EXPECT_FALSE(o.met);
  EXPECT_THAT(o.reason, HasSubstr("no sample"));
}

TEST(ExpectationEvaluation, ARatioWithoutOrdersIsNotMeasured) {
  const auto o = judge("i1.messages_per_order < 100", results_with_failed(0));
  EXPECT_FALSE(o.met);
  EXPECT_FALSE(o.measured);
  EXPECT_THAT(o.reason, HasSubstr("no order"));
}

TEST(ExpectationEvaluation, ADiscrepancyWithoutAnOracleFailsAndSaysWhy) {
  const auto o = judge("billing.discrepancy == 0", results_with_failed(0));
  EXPECT_FALSE(o.met);
  EXPECT_THAT(o.reason, HasSubstr("oracle"));
  Json broken = results_with_failed(0);
  broken["oracles"]["billing"]["error"] = "trace event lacks the string field customer";
  EXPECT_THAT(judge("billing.discrepancy == 0", broken).reason, HasSubstr("lacks the string field customer"));
  Json judged = results_with_failed(0);
  judged["oracles"]["billing"]["discrepancy"] = 2;
  EXPECT_EQ(*judge("billing.discrepancy == 2", judged).measured, 2);
}

TEST(ExpectationEvaluation, AddsASectionToTheResultsOnlyWhenThereAreExpectations) {
  Json results = results_with_failed(1);
  run::add_expectations({}, results);
  EXPECT_FALSE(results.contains("expectations"));
  run::add_expectations({expectation("orders.failed == 0", 7), expectation("orders.failed < 5", 8)}, results);
  const Json& s = results.at("expectations");
  EXPECT_EQ(s.at("met"), 1);
  EXPECT_EQ(s.at("failed"), 1);
  ASSERT_EQ(s.at("outcomes").size(), 2u);
  EXPECT_EQ(s["outcomes"][0]["text"], "orders.failed == 0");
  EXPECT_EQ(s["outcomes"][0]["metric"], "orders.failed");
  EXPECT_EQ(s["outcomes"][0]["line"], 7);
  EXPECT_EQ(s["outcomes"][0]["met"], false);
  EXPECT_EQ(s["outcomes"][0]["measured"], 1);
  EXPECT_TRUE(s["outcomes"][0]["measured"].is_number_integer()) << "a count reads as an integer";
  EXPECT_EQ(s["outcomes"][1]["met"], true);
}

TEST(ExpectationEvaluation, ADurationIsStoredAsMeasuredAndNothingMeasuredIsNull) {
  Json results = {{"metrics", {{"order_to_active_s", {{"count", 2}, {"p50", 12.25}}}}}};
  run::add_expectations({expectation("p50(order_to_active) < 1min"), expectation("p99(order_to_active) < 1min")},
                        results);
  const Json& outcomes = results["expectations"]["outcomes"];
  EXPECT_EQ(outcomes[0]["measured"].get<double>(), 12.25);
  EXPECT_TRUE(outcomes[1]["measured"].is_null());
  EXPECT_THAT(outcomes[1]["reason"].get<std::string>(), HasSubstr("p99"));
}

TEST(ExpectationEvaluation, AFailureNamesTheExpectationItsLineAndTheMeasuredValue) {
  run::Outcome o;
  o.text = "p99(order_to_active) < 120s";
  o.metric = "order_to_active.p99";
  o.measured = 131.2;
  o.line = 31;
  EXPECT_EQ(run::failure_line(o, "scenario.yaml"),
            "expectation failed: p99(order_to_active) < 120s (scenario.yaml:31): measured 131.2s");
  o.measured.reset();
  o.reason = "no sample: no order_to_active was measured";
  EXPECT_EQ(run::failure_line(o, "scenario.yaml"),
            "expectation failed: p99(order_to_active) < 120s (scenario.yaml:31): "
            "no sample: no order_to_active was measured");
}

TEST(ExpectationEvaluation, ReportsEveryFailureAndCountsThem) {
  Json results = results_with_failed(2);
  results["run"]["scenario"] = "scenarios/x.yaml";
  run::add_expectations(
      {expectation("orders.failed == 0", 4), expectation("orders.failed <= 2", 5), expectation("vms.booted > 0", 6)},
      results);
  std::ostringstream err;
  EXPECT_EQ(run::report_expectations(results, err), 2);
  EXPECT_EQ(err.str(), "expectation failed: orders.failed == 0 (scenarios/x.yaml:4): measured 2\n"
                       "expectation failed: vms.booted > 0 (scenarios/x.yaml:6): measured 0\n");
  std::ostringstream quiet;
  EXPECT_EQ(run::report_expectations(results_with_failed(2), quiet), 0);
  EXPECT_EQ(quiet.str(), "");
}

Json vm_results(int destroyed, int booted) {
  return {{"run", {{"scenario", "s.yaml"}}}, {"metrics", {{"vms", {{"destroyed", destroyed}, {"booted", booted}}}}}};
}

TEST(ExpectationEvaluation, ComparesTwoMetricsOnEachSideOfTheBoundary) {
  // The truth of `booted OP 13` for booted = 12, 13, 14, written out by hand.
  const std::vector<std::pair<std::string, std::vector<bool>>> table{
      {"<", {true, false, false}}, {"<=", {true, true, false}}, {"==", {false, true, false}},
      {"!=", {true, false, true}}, {">=", {false, true, true}}, {">", {false, false, true}}};
  for (const auto& [symbol, truth] : table)
    for (int booted = 12; booted <= 14; ++booted) {
      const auto o = judge("vms.booted " + symbol + " vms.destroyed", vm_results(13, booted));
      ASSERT_TRUE(o.measured && o.rhs_measured);
      EXPECT_EQ(*o.measured, booted);
      EXPECT_EQ(*o.rhs_measured, 13);
      EXPECT_EQ(o.rhs_metric, "vms.destroyed");
      EXPECT_EQ(o.met, truth[static_cast<std::size_t>(booted - 12)]) << booted << " " << symbol << " 13";
    }
}

TEST(ExpectationEvaluation, AFailedComparisonOfTwoMetricsReportsBothValues) {
  Json results = vm_results(12, 13);
  run::add_expectations({expectation("vms.destroyed == vms.booted", 9)}, results);
  const Json& o = results["expectations"]["outcomes"][0];
  EXPECT_EQ(o["met"], false);
  EXPECT_EQ(o["metric"], "vms.destroyed");
  EXPECT_EQ(o["measured"], 12);
  EXPECT_EQ(o["rhs_metric"], "vms.booted");
  EXPECT_EQ(o["rhs_measured"], 13);
  EXPECT_TRUE(o["rhs_measured"].is_number_integer());
  std::ostringstream err;
  EXPECT_EQ(run::report_expectations(results, err), 1);
  EXPECT_EQ(err.str(), "expectation failed: vms.destroyed == vms.booted (s.yaml:9): measured 12 vs 13\n");
}

TEST(ExpectationEvaluation, TwoDurationsAreShownWithTheirUnit) {
  const Json results = {{"metrics", {{"order_to_active_s", {{"count", 3}, {"p99", 40.5}, {"max", 40.5}}}}}};
  const auto o = judge("p99(order_to_active) < max(order_to_active)", results);
  EXPECT_FALSE(o.met);
  EXPECT_EQ(run::failure_line(o, "s.yaml"),
            "expectation failed: p99(order_to_active) < max(order_to_active) (s.yaml): measured 40.5s vs 40.5s");
  EXPECT_TRUE(judge("p99(order_to_active) <= max(order_to_active)", results).met);
}

TEST(ExpectationEvaluation, ASideThatCannotBeMeasuredFailsTheComparisonAndIsNamed) {
  const Json results = {{"metrics", {{"orders", {{"completed", 0}}}, {"order_to_active_s", {{"count", 0}}}}}};
  const auto right = judge("count(order_to_active) <= orders.completed", results);
  EXPECT_TRUE(right.met) << "a count of an empty sample is 0, measured";
  const auto o = judge("p50(order_to_active) <= max(order_to_active)", results);
  EXPECT_FALSE(o.met);
  EXPECT_FALSE(o.measured);
  EXPECT_THAT(o.reason, ::testing::StartsWith("p50(order_to_active): no sample"));
}

TEST(ExpectationEvaluation, ARightSideThatCannotBeMeasuredIsNamedInTheReason) {
  Json results = {{"metrics", {{"i1", {{"messages", 2}}}}}};
  results["oracles"]["billing"]["error"] = "the trace lacks bills";
  const auto o = judge("orders.failed <= billing.discrepancy", results);
  EXPECT_FALSE(o.met);
  ASSERT_TRUE(o.measured);
  EXPECT_EQ(*o.measured, 0);
  EXPECT_FALSE(o.rhs_measured);
  EXPECT_EQ(o.reason, "billing.discrepancy: not measured: the trace lacks bills");
  EXPECT_EQ(run::failure_line(o, "s.yaml"), "expectation failed: orders.failed <= billing.discrepancy (s.yaml): "
                                            "billing.discrepancy: not measured: the trace lacks bills");
  const Json j = run::to_json({o});
  EXPECT_TRUE(j["outcomes"][0]["rhs_measured"].is_null());
}

TEST(ExpectationEvaluation, FormatsEachKindOfValueForPeople) {
  using scenario::MetricKind;
  EXPECT_EQ(scenario::format_value(MetricKind::duration, 131.2), "131.2s");
  EXPECT_EQ(scenario::format_value(MetricKind::duration, 120), "120s");
  EXPECT_EQ(scenario::format_value(MetricKind::count, 3), "3");
  EXPECT_EQ(scenario::format_value(MetricKind::ratio, 258.5111111), "258.511");
  EXPECT_EQ(scenario::format_value(MetricKind::money, -1250), "-1250");
  EXPECT_EQ(scenario::format_value(MetricKind::size, 15784882), "15784882B");
}

// The metrics expectations read.

trace::Event truth_event(const std::string& type, Json data = Json::object()) {
  trace::Event e;
  e.category = trace::Category::truth;
  e.type = type;
  e.data = std::move(data);
  return e;
}

TEST(MetricsForExpectations, TheNinetiethPercentileIsTheNearestRank) {
  std::vector<double> hundred;
  for (int i = 100; i >= 1; --i)
    hundred.push_back(i);
  EXPECT_EQ(trace::Distribution::of(hundred).p90, 90);
  EXPECT_EQ(trace::Distribution::of({5, 1, 4, 2, 3, 10, 9, 8, 7, 6, 11}).p90, 10); // ceil(0.9 * 11) = 10th
  EXPECT_EQ(trace::Distribution::of({1, 2, 3}).to_json().at("p90"), 3);
}

TEST(MetricsForExpectations, CountsEveryFaultTruthEvent) {
  trace::Metrics m;
  m.on_event(truth_event("fault.injected", {{"fault", "host_crash"}, {"line", 3}}));
  m.on_event(truth_event("fault.injected", {{"fault", "channel"}, {"line", 5}}));
  m.on_event(truth_event("fault.injected", {{"fault", "channel"}, {"line", 7}}));
  m.on_event(truth_event("fault.cleared", {{"fault", "host_crash"}}));
  for (int i = 0; i < 4; ++i)
    m.on_event(truth_event("channel.lost", {{"dir", "t2c"}}));
  m.on_event(truth_event("channel.lost", {{"reason", "cloudDown"}}));
  m.on_event(truth_event("channel.duplicated"));
  m.on_event(truth_event("channel.delayed", {{"delay", 0.2}}));
  m.on_event(truth_event("channel.delayed", {{"delay", 0.3}}));
  m.on_event(truth_event("cloud.down"));
  m.on_event(truth_event("cloud.up"));
  m.on_event(truth_event("link.down", {{"between", {"cloud", "dc-paris"}}}));
  m.on_event(truth_event("link.up", {{"between", {"cloud", "dc-paris"}}}));
  m.on_event(truth_event("dc.down", {{"dc", "dc-paris"}}));
  m.on_event(truth_event("clock.skew", {{"offset", -90}}));
  m.on_event(truth_event("clock.skew", {{"offset", 0}}));
  const Json results = {{"metrics", m.to_json()}};
  const std::vector<std::pair<std::string, double>> want{
      {"faults.injected", 3},  {"faults.cleared", 1}, {"faults.host_crash", 1}, {"faults.channel", 2},
      {"faults.dc_outage", 0}, {"channel.lost", 5},   {"channel.refused", 1},   {"channel.duplicated", 1},
      {"channel.delayed", 2},  {"cloud.restarts", 1}, {"links.cut", 1},         {"links.restored", 1},
      {"dcs.down", 1},         {"dcs.up", 0},         {"clock.skews", 1}};
  for (const auto& [metric, n] : want) {
    const auto o = judge(metric + " == " + std::to_string(static_cast<int>(n)), results);
    EXPECT_TRUE(o.met) << metric << " measured " << o.measured.value_or(-1);
  }
}

TEST(MetricsForExpectations, EveryFaultMetricOfTheCatalogueIsWrittenOnceAFaultHappens) {
  trace::Metrics m;
  for (const char* kind : {"host_crash", "dc_outage", "link_cut", "channel", "cloud_restart", "clock_skew"})
    m.on_event(truth_event("fault.injected", {{"fault", kind}}));
  for (const char* type : {"fault.cleared", "channel.lost", "channel.duplicated", "channel.delayed", "cloud.down",
                           "link.down", "link.up", "dc.down", "dc.up"})
    m.on_event(truth_event(type));
  m.on_event(truth_event("clock.skew", {{"offset", 5}}));
  const Json results = {{"metrics", m.to_json()}};
  // A misspelt path would silently read 0: every counter under /metrics/faults must be there for real.
  for (const auto& info : scenario::metric_catalogue()) {
    if (!info.path.starts_with("/metrics/faults/"))
      continue;
    EXPECT_TRUE(results.contains(Json::json_pointer(std::string(info.path)))) << info.name << ": " << info.path;
  }
}

TEST(MetricsForExpectations, WithoutFaultsThereIsNoFaultSection) {
  trace::Metrics m;
  m.on_event(truth_event("vm.placed"));
  EXPECT_FALSE(m.to_json().contains("faults"));
}

TEST(MetricsForExpectations, AlarmsAloneOpenTheFailureSection) {
  trace::Metrics m;
  trace::Event alarm;
  alarm.category = trace::Category::i1;
  alarm.type = "i1.notification";
  alarm.data = {{"name", "AlarmCreateEvent"}, {"bytes", 10}};
  m.on_event(alarm);
  const Json j = m.to_json();
  ASSERT_TRUE(j.contains("failures"));
  EXPECT_EQ(j["failures"]["alarms"], 1);
  EXPECT_EQ(j["failures"]["hosts"], 0);
}

} // namespace
} // namespace i1sim::expectation_test
