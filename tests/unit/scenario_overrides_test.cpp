// `--set PATH=VALUE` overrides: malformed ones are refused, valid ones change the loaded scenario, and a problem
// they bring is reported against the override's own text.
#include "scenario/scenario.hpp"
#include "support/text_edit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace i1sim::scenario::scenario_overrides_test {
namespace {

using test::line_of;
using test::read_file;
using test::replace_once;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kActivation = I1SIM_SOURCE_DIR "/scenarios/activation-basic.yaml";

std::string activation() {
  const std::string text = read_file(kActivation);
  EXPECT_FALSE(text.empty()) << kActivation << " could not be read";
  return text;
}

// The overrides as `i1sim --set` would give them, each parsed from its command-line text.
std::vector<Override> sets(const std::vector<std::string>& texts) {
  std::vector<Override> out;
  for (const auto& t : texts)
    out.push_back(parse_override(t));
  return out;
}

struct Outcome {
  std::optional<Scenario> scenario;
  std::vector<util::LocatedError> errors;
  std::string what;
  std::string other; // anything but a ScenarioErrors: a bug
};

Outcome load_with(const std::vector<std::string>& overrides, const std::string& text = activation()) {
  Outcome o;
  try {
    o.scenario = load_from_string(text, "a.yaml", sets(overrides));
  } catch (const ScenarioErrors& e) {
    o.errors = e.errors();
    o.what = e.what();
  } catch (const std::exception& e) {
    o.other = std::string("not a ScenarioErrors: ") + e.what();
  }
  return o;
}

Scenario loaded(const std::vector<std::string>& overrides, const std::string& text = activation()) {
  Outcome o = load_with(overrides, text);
  EXPECT_TRUE(o.scenario.has_value()) << o.what << o.other;
  return o.scenario ? *o.scenario : Scenario{};
}

// The one error of a refused override: as the README shows it, "--set PATH=VALUE: key.path: message", no line.
util::LocatedError refused_override(const std::vector<std::string>& overrides, const std::string& culprit,
                                    const std::string& key_path, const std::string& text = activation()) {
  const Outcome o = load_with(overrides, text);
  EXPECT_TRUE(o.other.empty()) << o.other;
  EXPECT_FALSE(o.scenario.has_value()) << "the override was accepted";
  EXPECT_EQ(o.errors.size(), 1u) << o.what;
  if (o.errors.empty())
    return util::LocatedError("", 0, 0, "");
  const util::LocatedError& e = o.errors[0];
  const std::string label = "--set " + culprit;
  EXPECT_EQ(e.file(), label) << e.what();
  EXPECT_EQ(e.line(), 0) << e.what();
  EXPECT_EQ(e.message().rfind(key_path, 0), 0u) << "expected the key path '" << key_path << "' first: " << e.what();
  EXPECT_EQ(std::string(e.what()), label + ": " + e.message());
  EXPECT_EQ(std::string(e.what()).find("a.yaml"), std::string::npos) << "the file has no part in it: " << e.what();
  return e;
}

// ---- parse_override ----

TEST(ParseOverride, SplitsAtTheFirstEqualsSign) {
  const Override o = parse_override("workload.arrival.rate=50/s");
  EXPECT_EQ(o.path, "workload.arrival.rate");
  EXPECT_EQ(o.value, "50/s");
  const Override eq = parse_override("description=a=b");
  EXPECT_EQ(eq.path, "description");
  EXPECT_EQ(eq.value, "a=b");
}

TEST(ParseOverride, KeepsListIndexesAndFlowValues) {
  const Override o = parse_override("platform.data_centres[0].hosts[1].count=2000");
  EXPECT_EQ(o.path, "platform.data_centres[0].hosts[1].count");
  EXPECT_EQ(o.value, "2000");
  const Override flow = parse_override("workload.arrival={size: 10, every: 1h}");
  EXPECT_EQ(flow.path, "workload.arrival");
  EXPECT_EQ(flow.value, "{size: 10, every: 1h}");
}

TEST(ParseOverride, RefusesTextWithoutAnEqualsSign) {
  EXPECT_THROW(parse_override("workload.orders"), std::invalid_argument);
  EXPECT_THROW(parse_override(""), std::invalid_argument);
  try {
    parse_override("workload.orders");
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("workload.orders"));
  }
}

TEST(ParseOverride, RefusesAnEmptyPath) {
  EXPECT_THROW(parse_override("=5"), std::invalid_argument);
  EXPECT_THROW(parse_override("="), std::invalid_argument);
}

TEST(ParseOverride, RefusesMalformedPaths) {
  for (const char* text : {"a[=1", "a[]=1", "a[x]=1", "a[1=1", "a[-1]=1", "a]=1", "[0]=1", "a.=1", ".a=1", "a..b=1",
                           "a[0]b=1", "a b=1", "a[1][=1", "a[0x1]=1", "a[ 1]=1", "a.[0]=1"}) {
    SCOPED_TRACE(text);
    EXPECT_THROW(parse_override(text), std::invalid_argument);
  }
}

TEST(ParseOverride, AcceptsNestedIndexes) {
  EXPECT_EQ(parse_override("a[0][1].b=x").path, "a[0][1].b");
  EXPECT_EQ(parse_override("T_usage_period=1h").path, "T_usage_period");
}

// ---- Overrides change the scenario ----

TEST(Overrides, ChangeTheArrivalRate) {
  const Scenario sc = loaded({"workload.arrival.rate=50/s"});
  EXPECT_DOUBLE_EQ(sc.workload.rate, 50.0);
  EXPECT_EQ(sc.workload.orders, 200); // the rest is the file's
  EXPECT_DOUBLE_EQ(loaded({"workload.arrival.rate=120/min"}).workload.rate, 2.0);
}

TEST(Overrides, ChangeTheHostCountOfOneClass) {
  const Scenario sc = loaded({"platform.data_centres[0].hosts[0].count=2000"});
  ASSERT_EQ(sc.platform.data_centres[0].host_classes.size(), 2u);
  EXPECT_EQ(sc.platform.data_centres[0].host_classes[0].count, 2000);
  EXPECT_EQ(sc.platform.data_centres[0].host_classes[1].count, 24);
}

TEST(Overrides, ChangeOneFieldOfAListItem) {
  const Scenario sc = loaded({"workload.mix[1].weight=5"});
  ASSERT_EQ(sc.workload.mix.size(), 2u);
  EXPECT_DOUBLE_EQ(sc.workload.mix[1].weight, 5.0);
  EXPECT_DOUBLE_EQ(sc.workload.mix[0].weight, 3.0);
}

TEST(Overrides, ReplaceAWholeListItem) {
  const Scenario sc = loaded({"workload.mix[0]={product: studio-bundle}"});
  ASSERT_EQ(sc.workload.mix.size(), 2u);
  EXPECT_EQ(sc.workload.mix[0].product, "studio-bundle");
  EXPECT_DOUBLE_EQ(sc.workload.mix[0].weight, 1.0);
}

TEST(Overrides, AddANewTimeline) {
  const Scenario sc =
      loaded({"timeline=[{at: 1h, cloud_restart: {down: 30s}}, {at: 10min, dc_outage: {dc: dc-paris, for: 5min}}]"});
  ASSERT_EQ(sc.timeline.size(), 2u);
  EXPECT_EQ(sc.timeline[0].kind, Fault::Kind::dc_outage);
  EXPECT_DOUBLE_EQ(sc.timeline[0].at, 600.0);
  EXPECT_DOUBLE_EQ(sc.timeline[0].duration, 300.0);
  EXPECT_EQ(sc.timeline[1].kind, Fault::Kind::cloud_restart);
  EXPECT_DOUBLE_EQ(sc.timeline[1].duration, 30.0);
}

TEST(Overrides, SetAListValue) {
  const Scenario sc = loaded({"customers.jurisdictions=[{allowed: [FR, DE], weight: 2}, {allowed: [FR]}]"});
  ASSERT_EQ(sc.customers.jurisdictions.size(), 2u);
  EXPECT_THAT(sc.customers.jurisdictions[0].allowed, ElementsAre("FR", "DE"));
  EXPECT_DOUBLE_EQ(sc.customers.jurisdictions[0].weight, 2.0);
  EXPECT_THAT(sc.customers.jurisdictions[1].allowed, ElementsAre("FR"));
}

TEST(Overrides, SetAMappingValue) {
  const Scenario sc = loaded({"workload.arrival={process: burst, size: 10, every: 1h}"});
  EXPECT_EQ(sc.workload.arrival, ArrivalProcess::burst);
  EXPECT_EQ(sc.workload.burst_size, 10);
  EXPECT_DOUBLE_EQ(sc.workload.burst_every, 3600.0);
}

TEST(Overrides, CreateMissingMappingsOnTheWay) {
  // activation-basic has no i1, telecom or expect section.
  const Scenario sc =
      loaded({"i1.profile=X", "i1.operators=[op-a, op-b]", "telecom.resend_share=0.25", "i1.timers.T_usage_period=2h"});
  EXPECT_EQ(sc.i1.profile, "X");
  EXPECT_THAT(sc.i1.operators, ElementsAre("op-a", "op-b"));
  EXPECT_DOUBLE_EQ(sc.telecom.resend_share, 0.25);
  ASSERT_EQ(sc.i1.timers.size(), 1u);
  EXPECT_EQ(sc.i1.timers[0].first, "T_usage_period");
  EXPECT_DOUBLE_EQ(sc.i1.timers[0].second, 7200.0);
}

TEST(Overrides, SetAKeyTheFileLeftToItsDefault) {
  EXPECT_DOUBLE_EQ(loaded({"stop.drain=1min"}).stop.drain, 60.0);
  EXPECT_EQ(loaded({"seed=42"}).seed, 42u);
}

TEST(Overrides, SetHowLongABilledRunWaitsForAnswersAfterItsLastBills) {
  const std::string billed = read_file(I1SIM_SOURCE_DIR "/scenarios/converged-bill.yaml");
  ASSERT_FALSE(billed.empty());
  EXPECT_DOUBLE_EQ(loaded({}, billed).billing.settle, 3600.0); // the default
  EXPECT_DOUBLE_EQ(loaded({"billing.settle=5min"}, billed).billing.settle, 300.0);
  EXPECT_DOUBLE_EQ(loaded({"billing.settle=0s"}, billed).billing.settle, 0.0);
  refused_override({"billing.settle=-1s"}, "billing.settle=-1s", "billing.settle", billed);
  refused_override({"billing.settle=soon"}, "billing.settle=soon", "billing.settle", billed);
}

TEST(Overrides, TakeAPlainStringWithSpaces) {
  EXPECT_EQ(loaded({"description=Sweep point 3"}).description, "Sweep point 3");
}

TEST(Overrides, AddExpectations) {
  const Scenario sc = loaded({"expect=[orders.failed == 0, p99(order_to_active) < 2min]"});
  ASSERT_EQ(sc.expect.size(), 2u);
  EXPECT_EQ(sc.expect[1].op, Expectation::Op::lt);
  EXPECT_DOUBLE_EQ(sc.expect[1].value, 120.0);
}

TEST(Overrides, ApplyToAFileLoadedByPath) {
  const Scenario sc = load(kActivation, sets({"workload.orders=5"}));
  EXPECT_EQ(sc.workload.orders, 5);
  EXPECT_EQ(sc.file, kActivation);
}

// ---- The last override of a path wins ----

TEST(Overrides, TheLaterOfTwoOnOnePathWins) {
  EXPECT_EQ(loaded({"workload.orders=5", "workload.orders=7"}).workload.orders, 7);
  EXPECT_EQ(loaded({"workload.orders=7", "workload.orders=5"}).workload.orders, 5);
}

TEST(Overrides, ABadValueReplacedByALaterOverrideIsNoError) {
  EXPECT_EQ(loaded({"workload.orders=0", "workload.orders=7"}).workload.orders, 7);
}

TEST(Overrides, AGoodValueReplacedByALaterBadOneIsReportedAgainstTheLaterOne) {
  refused_override({"workload.orders=7", "workload.orders=0"}, "workload.orders=0", "workload.orders");
}

TEST(Overrides, AFieldOverrideAppliesOnTopOfAnEarlierMappingOverride) {
  const Scenario sc = loaded({"workload.arrival={process: fixed, rate: 2/s}", "workload.arrival.rate=3/s"});
  EXPECT_EQ(sc.workload.arrival, ArrivalProcess::fixed);
  EXPECT_DOUBLE_EQ(sc.workload.rate, 3.0);
}

TEST(Overrides, AProblemLeftByAnEarlierMappingOverrideIsReportedAgainstIt) {
  // The later override sets the rate only; the stray `to` came with the earlier one.
  refused_override({"workload.arrival={process: fixed, rate: 2/s, to: 1/s}", "workload.arrival.rate=3/s"},
                   "workload.arrival={process: fixed, rate: 2/s, to: 1/s}", "workload.arrival");
}

// ---- Problems brought by an override ----

TEST(OverrideErrors, ABadValueIsReportedAgainstTheOverride) {
  const auto e =
      refused_override({"workload.arrival.rate=fast"}, "workload.arrival.rate=fast", "workload.arrival.rate");
  EXPECT_THAT(e.message(), HasSubstr("'fast'"));
}

TEST(OverrideErrors, AZeroHostCountIsReportedAgainstTheOverride) {
  refused_override({"platform.data_centres[0].hosts[0].count=0"}, "platform.data_centres[0].hosts[0].count=0",
                   "platform.data_centres[0].hosts[0].count");
}

TEST(OverrideErrors, AWrongTypeIsReportedAgainstTheOverride) {
  refused_override({"workload.orders=[5]"}, "workload.orders=[5]", "workload.orders");
  refused_override({"stop={max_time: 2h, drain: [1s]}"}, "stop={max_time: 2h, drain: [1s]}", "stop.drain");
}

TEST(OverrideErrors, AnEmptyValueIsReportedAgainstTheOverride) {
  refused_override({"stop.max_time="}, "stop.max_time=", "stop.max_time");
}

TEST(OverrideErrors, AMisspeltLeafKeyIsReportedAgainstTheOverride) {
  const auto e = refused_override({"stop.max_tme=3h"}, "stop.max_tme=3h", "stop");
  EXPECT_THAT(e.message(), HasSubstr("max_tme"));
}

TEST(OverrideErrors, AMisspeltIntermediateKeyIsReportedAgainstTheOverride) {
  const auto e = refused_override({"workload.arival.rate=5/s"}, "workload.arival.rate=5/s", "workload");
  EXPECT_THAT(e.message(), HasSubstr("arival"));
}

TEST(OverrideErrors, AMisspeltTopLevelKeyIsReportedAgainstTheOverride) {
  const auto e = refused_override({"wrkload.orders=5"}, "wrkload.orders=5", "");
  EXPECT_THAT(e.message(), HasSubstr("wrkload"));
}

TEST(OverrideErrors, AListIndexOutOfRangeIsReportedAgainstTheOverride) {
  for (const char* text : {"platform.data_centres[1].name=dc-lyon", "workload.mix[2].weight=1",
                           "platform.data_centres[0].hosts[5].count=1"}) {
    SCOPED_TRACE(text);
    const Outcome o = load_with({text});
    ASSERT_EQ(o.errors.size(), 1u) << o.what << o.other;
    EXPECT_EQ(o.errors[0].file(), std::string("--set ") + text);
    EXPECT_EQ(o.errors[0].line(), 0);
  }
}

TEST(OverrideErrors, AnIndexIntoSomethingThatIsNoListIsReportedAgainstTheOverride) {
  for (const char* text : {"workload.orders[0]=1", "workload.arrival[0]=1", "failures[0].dc=dc-paris"}) {
    SCOPED_TRACE(text);
    const Outcome o = load_with({text});
    ASSERT_EQ(o.errors.size(), 1u) << o.what << o.other;
    EXPECT_EQ(o.errors[0].file(), std::string("--set ") + text);
  }
}

TEST(OverrideErrors, AKeyUnderAScalarIsReportedAgainstTheOverride) {
  const Outcome o = load_with({"workload.orders.count=1"});
  ASSERT_EQ(o.errors.size(), 1u) << o.what << o.other;
  EXPECT_EQ(o.errors[0].file(), "--set workload.orders.count=1");
}

TEST(OverrideErrors, AValueThatIsNoYamlIsReportedAgainstTheOverride) {
  const Outcome o = load_with({"workload.mix=[a, "});
  ASSERT_EQ(o.errors.size(), 1u) << o.what << o.other;
  EXPECT_EQ(o.errors[0].file(), "--set workload.mix=[a, ");
}

TEST(OverrideErrors, AProblemInsideAMappingValueIsReportedAgainstTheOverride) {
  const auto e = refused_override({"workload.arrival={process: poisson, rate: 1/s, to: 5/s}"},
                                  "workload.arrival={process: poisson, rate: 1/s, to: 5/s}", "workload.arrival");
  EXPECT_THAT(e.message(), HasSubstr("'to'"));
}

TEST(OverrideErrors, ADanglingReferenceIsReportedAgainstTheOverride) {
  const auto e =
      refused_override({"workload.mix[0].product=gold"}, "workload.mix[0].product=gold", "workload.mix[0].product");
  EXPECT_THAT(e.message(), HasSubstr("'gold'"));
}

TEST(OverrideErrors, ABadTimelineIsReportedAgainstTheOverride) {
  refused_override({"timeline=[{at: 3h, cloud_restart: {down: 1s}}]"}, "timeline=[{at: 3h, cloud_restart: {down: 1s}}]",
                   "timeline[0].at");
}

TEST(OverrideErrors, ABadExpectationIsReportedAgainstTheOverride) {
  refused_override({"expect=[orders.lost == 0]"}, "expect=[orders.lost == 0]", "expect[0]");
}

TEST(OverrideErrors, DoNotHideTheFileErrorsNorEachOther) {
  const std::string text = replace_once(activation(), "{name: fast, count: 24,", "{name: fast, count: 0,");
  const Outcome o = load_with({"workload.arrival.rate=fast", "stop.max_tme=3h"}, text);
  ASSERT_EQ(o.errors.size(), 3u) << o.what << o.other;
  int from_file = 0, rate = 0, stop = 0;
  for (const auto& e : o.errors) {
    if (e.file() == "a.yaml") {
      ++from_file;
      EXPECT_EQ(e.line(), line_of(text, "{name: fast, count: 0,"));
      EXPECT_THAT(e.message(), HasSubstr("platform.data_centres[0].hosts[1].count"));
    }
    rate += e.file() == "--set workload.arrival.rate=fast";
    stop += e.file() == "--set stop.max_tme=3h";
  }
  EXPECT_EQ(from_file, 1);
  EXPECT_EQ(rate, 1);
  EXPECT_EQ(stop, 1);
}

TEST(OverrideErrors, AFileErrorElsewhereKeepsItsFilePosition) {
  // An override on one part of a list item must not claim the errors of its siblings.
  const std::string text =
      replace_once(activation(), "{name: std, count: 40, cores: 32,", "{name: std, count: 40, cores: 0,");
  const Outcome o = load_with({"platform.data_centres[0].hosts[0].count=3"}, text);
  ASSERT_EQ(o.errors.size(), 1u) << o.what;
  EXPECT_EQ(o.errors[0].file(), "a.yaml");
  EXPECT_EQ(o.errors[0].line(), line_of(text, "cores: 0,"));
}

// ---- Overrides that fix a broken file ----

TEST(Overrides, FixAZeroHostCount) {
  const std::string text = replace_once(activation(), "{name: std, count: 40,", "{name: std, count: 0,");
  ASSERT_FALSE(load_with({}, text).scenario.has_value());
  const Scenario sc = loaded({"platform.data_centres[0].hosts[0].count=3"}, text);
  EXPECT_EQ(sc.platform.data_centres[0].host_classes[0].count, 3);
}

TEST(Overrides, FixADanglingProduct) {
  const std::string text =
      replace_once(activation(), "{product: studio-bundle, weight: 1}", "{product: gold, weight: 1}");
  ASSERT_FALSE(load_with({}, text).scenario.has_value());
  EXPECT_EQ(loaded({"workload.mix[1].product=studio-bundle"}, text).workload.mix[1].product, "studio-bundle");
}

TEST(Overrides, SupplyAMissingSection) {
  const std::string text = replace_once(activation(), "stop:\n  max_time: 2h\n", "");
  ASSERT_FALSE(load_with({}, text).scenario.has_value());
  EXPECT_DOUBLE_EQ(loaded({"stop.max_time=1h"}, text).stop.max_time, 3600.0);
}

TEST(Overrides, ReplaceAnUnknownKeyOfTheFileByOverridingItsMapping) {
  const std::string text =
      replace_once(activation(), "{process: poisson, rate: 1/s}", "{process: poisson, rate: 1/s, to: 5/s}");
  ASSERT_FALSE(load_with({}, text).scenario.has_value());
  EXPECT_EQ(loaded({"workload.arrival={process: fixed, rate: 1/s}"}, text).workload.arrival, ArrivalProcess::fixed);
}

} // namespace
} // namespace i1sim::scenario::scenario_overrides_test
