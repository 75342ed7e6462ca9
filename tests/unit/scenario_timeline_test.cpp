// Loading of `timeline:`: each fault kind becomes a scenario::Fault with its fields in SI units, and the timeline
// is ordered by time, keeping file order between faults at the same time.
#include "scenario/scenario.hpp"
#include "support/text_edit.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace i1sim::scenario::scenario_timeline_test {
namespace {

using test::line_of;
using test::read_file;
using test::replace_once;
using ::testing::AnyOf;
using ::testing::Eq;

std::string shipped(const std::string& name) {
  const std::string text = read_file(I1SIM_SOURCE_DIR "/scenarios/" + name + ".yaml");
  EXPECT_FALSE(text.empty()) << name << " could not be read";
  return text;
}

// activation-basic (one data centre dc-paris: std-00000..00039, fast-00000..00023; runs 2h) with `items` as
// its timeline.
std::string activation_with(const std::string& items) {
  return replace_once(shipped("activation-basic"), "stop:\n  max_time: 2h\n",
                      "stop:\n  max_time: 2h\ntimeline:\n" + items);
}

Scenario load_ok(const std::string& text) {
  try {
    return load_from_string(text, "timeline.yaml");
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
  }
  return {};
}

// The one fault of a timeline holding `item` only.
Fault only_fault(const std::string& item) {
  const Scenario sc = load_ok(activation_with("  - " + item + "\n"));
  EXPECT_EQ(sc.timeline.size(), 1u);
  return sc.timeline.empty() ? Fault{} : sc.timeline[0];
}

TEST(TimelineFault, HostCrashNamesTheHostAndHowLongItIsDown) {
  const Fault f = only_fault("{at: 90min, host_crash: {host: dc-paris.fast-00023, for: 30min}}");
  EXPECT_EQ(f.kind, Fault::Kind::host_crash);
  EXPECT_DOUBLE_EQ(f.at, 5400.0);
  EXPECT_EQ(f.host, "dc-paris.fast-00023"); // the last host of its class
  EXPECT_DOUBLE_EQ(f.duration, 1800.0);
}

TEST(TimelineFault, HostCrashWithoutForLastsUntilTheEnd) {
  const Fault f = only_fault("{at: 10min, host_crash: {host: dc-paris.std-00000}}");
  EXPECT_EQ(f.host, "dc-paris.std-00000");
  EXPECT_DOUBLE_EQ(f.duration, 0.0);
}

TEST(TimelineFault, DcOutageNamesTheDataCentre) {
  const Fault f = only_fault("{at: 10min, dc_outage: {dc: dc-paris, for: 2min}}");
  EXPECT_EQ(f.kind, Fault::Kind::dc_outage);
  EXPECT_EQ(f.dc, "dc-paris");
  EXPECT_DOUBLE_EQ(f.at, 600.0);
  EXPECT_DOUBLE_EQ(f.duration, 120.0);
}

TEST(TimelineFault, LinkCutKeepsItsEndsAsWritten) {
  // The WAN link is written [cloud, dc-paris]; the cut names it the other way round.
  const Fault f = only_fault("{at: 1h, link_cut: {between: [dc-paris, cloud], for: 45s}}");
  EXPECT_EQ(f.kind, Fault::Kind::link_cut);
  EXPECT_EQ(f.a, "dc-paris");
  EXPECT_EQ(f.b, "cloud");
  EXPECT_DOUBLE_EQ(f.duration, 45.0);
  const Fault i1 = only_fault("{at: 1h, link_cut: {between: [operator, cloud]}}");
  EXPECT_EQ(i1.a, "operator");
  EXPECT_EQ(i1.b, "cloud");
  EXPECT_DOUBLE_EQ(i1.duration, 0.0);
}

TEST(TimelineFault, ChannelCarriesEveryKnob) {
  const Fault f = only_fault("{at: 20min, channel: {for: 5min, loss: 0.1, duplicate: 0.05, delay: 20ms, "
                             "reorder: 500ms, direction: cloud_to_telecom}}");
  EXPECT_EQ(f.kind, Fault::Kind::channel);
  EXPECT_DOUBLE_EQ(f.at, 1200.0);
  EXPECT_DOUBLE_EQ(f.duration, 300.0);
  EXPECT_DOUBLE_EQ(f.loss, 0.1);
  EXPECT_DOUBLE_EQ(f.duplicate, 0.05);
  EXPECT_DOUBLE_EQ(f.delay, 0.02);
  EXPECT_DOUBLE_EQ(f.reorder, 0.5);
  EXPECT_EQ(f.direction, ChannelDirection::cloud_to_telecom);
}

TEST(TimelineFault, ChannelDefaultsToBothDirectionsAndNothingElse) {
  const Fault f = only_fault("{at: 20min, channel: {for: 5min, reorder: 1ms}}");
  EXPECT_EQ(f.direction, ChannelDirection::both);
  EXPECT_DOUBLE_EQ(f.reorder, 0.001);
  EXPECT_DOUBLE_EQ(f.loss, 0.0);
  EXPECT_DOUBLE_EQ(f.duplicate, 0.0);
  EXPECT_DOUBLE_EQ(f.delay, 0.0);
  EXPECT_EQ(only_fault("{at: 1s, channel: {loss: 1, direction: telecom_to_cloud}}").direction,
            ChannelDirection::telecom_to_cloud);
  EXPECT_DOUBLE_EQ(only_fault("{at: 1s, channel: {loss: 1}}").duration, 0.0);
  EXPECT_EQ(only_fault("{at: 1s, channel: {duplicate: 1, direction: both}}").direction, ChannelDirection::both);
}

TEST(TimelineFault, CloudRestartIsDownForItsDowntime) {
  const Fault f = only_fault("{at: 30min, cloud_restart: {down: 45s}}");
  EXPECT_EQ(f.kind, Fault::Kind::cloud_restart);
  EXPECT_DOUBLE_EQ(f.at, 1800.0);
  EXPECT_DOUBLE_EQ(f.duration, 45.0);
  EXPECT_DOUBLE_EQ(only_fault("{at: 30min, cloud_restart: {down: 0s}}").duration, 0.0);
}

TEST(TimelineFault, ClockSkewMayBeNegativeAndLastsUntilTheEndWithoutFor) {
  const Fault f = only_fault("{at: 40min, clock_skew: {offset: -90s}}");
  EXPECT_EQ(f.kind, Fault::Kind::clock_skew);
  EXPECT_DOUBLE_EQ(f.offset, -90.0);
  EXPECT_DOUBLE_EQ(f.duration, 0.0);
  const Fault ahead = only_fault("{at: 40min, clock_skew: {offset: 2min, for: 1h}}");
  EXPECT_DOUBLE_EQ(ahead.offset, 120.0);
  EXPECT_DOUBLE_EQ(ahead.duration, 3600.0);
  EXPECT_DOUBLE_EQ(only_fault("{at: 1s, clock_skew: {offset: -1500ms}}").offset, -1.5);
}

TEST(TimelineFault, AtTakesAnyDurationUnit) {
  EXPECT_DOUBLE_EQ(only_fault("{at: 1500ms, cloud_restart: {down: 1s}}").at, 1.5);
  EXPECT_DOUBLE_EQ(only_fault("{at: 0s, cloud_restart: {down: 1s}}").at, 0.0);
  EXPECT_DOUBLE_EQ(only_fault("{at: 7199s, cloud_restart: {down: 1s}}").at, 7199.0); // the last second of a 2h run
}

TEST(TimelineFault, MayLastBeyondTheEndOfTheRun) {
  // Only `at` must fall before the end; the fault is then in force until the run stops.
  EXPECT_DOUBLE_EQ(only_fault("{at: 110min, dc_outage: {dc: dc-paris, for: 1h}}").duration, 3600.0);
}

TEST(TimelineFault, RemembersTheLineItIsWrittenOn) {
  const std::string text = activation_with("  - {at: 1h, cloud_restart: {down: 1s}}\n"
                                           "  - {at: 2min, dc_outage: {dc: dc-paris, for: 1min}}\n");
  const Scenario sc = load_ok(text);
  ASSERT_EQ(sc.timeline.size(), 2u);
  EXPECT_EQ(sc.timeline[0].line, line_of(text, "{at: 2min,"));
  EXPECT_EQ(sc.timeline[1].line, line_of(text, "{at: 1h,"));
}

TEST(TimelineFault, InBlockStyleRemembersALineOfItsItem) {
  const std::string valid = activation_with("  - at: 119min\n"
                                            "    cloud_restart: {down: 1s}\n");
  const Scenario sc = load_ok(valid);
  ASSERT_EQ(sc.timeline.size(), 1u);
  EXPECT_THAT(sc.timeline[0].line, AnyOf(Eq(line_of(valid, "at: 119min")), Eq(line_of(valid, "cloud_restart:"))));
}

TEST(Timeline, IsOrderedByTimeAndStableForEqualTimes) {
  const std::string text = activation_with("  - {at: 90min, host_crash: {host: dc-paris.fast-00023, for: 30min}}\n"
                                           "  - {at: 10min, dc_outage: {dc: dc-paris, for: 2min}}\n"
                                           "  - {at: 1h, link_cut: {between: [dc-paris, cloud], for: 45s}}\n"
                                           "  - {at: 20min, channel: {for: 5min, loss: 0.1}}\n"
                                           "  - {at: 10min, host_crash: {host: dc-paris.std-00000}}\n"
                                           "  - {at: 600s, cloud_restart: {down: 0s}}\n"
                                           "  - {at: 0s, clock_skew: {offset: -90s}}\n"
                                           "  - {at: 10min, channel: {for: 1s, delay: 1s}}\n");
  const std::string& valid = text;
  const Scenario sc = load_ok(valid);
  ASSERT_EQ(sc.timeline.size(), 8u);
  struct Want {
    Fault::Kind kind;
    double at;
    const char* written; // identifies the item's line
  };
  const std::vector<Want> want{
      {Fault::Kind::clock_skew, 0, "{at: 0s,"},
      {Fault::Kind::dc_outage, 600, "{at: 10min, dc_outage"},
      {Fault::Kind::host_crash, 600, "{at: 10min, host_crash"},
      {Fault::Kind::cloud_restart, 600, "{at: 600s,"},
      {Fault::Kind::channel, 600, "{at: 10min, channel"},
      {Fault::Kind::channel, 1200, "{at: 20min,"},
      {Fault::Kind::link_cut, 3600, "{at: 1h,"},
      {Fault::Kind::host_crash, 5400, "{at: 90min,"},
  };
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(sc.timeline[i].kind, want[i].kind);
    EXPECT_DOUBLE_EQ(sc.timeline[i].at, want[i].at);
    EXPECT_EQ(sc.timeline[i].line, line_of(valid, want[i].written));
  }
}

TEST(Timeline, OverlappingFaultsOfOneKindAreAllKept) {
  const Scenario sc = load_ok(activation_with("  - {at: 10min, host_crash: {host: dc-paris.std-00003, for: 30min}}\n"
                                              "  - {at: 20min, host_crash: {host: dc-paris.std-00003, for: 30min}}\n"
                                              "  - {at: 15min, dc_outage: {dc: dc-paris, for: 1min}}\n"));
  ASSERT_EQ(sc.timeline.size(), 3u);
  EXPECT_EQ(sc.timeline[0].host, "dc-paris.std-00003");
  EXPECT_EQ(sc.timeline[2].host, "dc-paris.std-00003");
}

TEST(Timeline, IsEmptyWhenAbsentOrEmpty) {
  EXPECT_TRUE(load_ok(shipped("activation-basic")).timeline.empty());
  EXPECT_TRUE(load_ok(replace_once(shipped("activation-basic"), "stop:\n  max_time: 2h\n",
                                   "stop:\n  max_time: 2h\ntimeline: []\n"))
                  .timeline.empty());
}

TEST(Timeline, WithBillingEndsAfterTheLastCycle) {
  // converged-bill: two cycles of 10d, so the run lasts 20d and a fault at 19d is still in it.
  const std::string text = shipped("converged-bill") + "timeline:\n"
                                                       "  - {at: 19d, dc_outage: {dc: dc-frankfurt, for: 1w}}\n"
                                                       "  - {at: 1d, host_crash: {host: dc-frankfurt.std-00015}}\n";
  const Scenario sc = load_ok(text);
  ASSERT_EQ(sc.timeline.size(), 2u);
  EXPECT_DOUBLE_EQ(sc.timeline[0].at, 86400.0);
  EXPECT_EQ(sc.timeline[0].host, "dc-frankfurt.std-00015");
  EXPECT_DOUBLE_EQ(sc.timeline[1].at, 19 * 86400.0);
  EXPECT_EQ(sc.timeline[1].dc, "dc-frankfurt");
  EXPECT_DOUBLE_EQ(sc.timeline[1].duration, 7 * 86400.0);
}

TEST(Timeline, HostsOfEveryDataCentreAndClassCanCrash) {
  const std::string text = shipped("x-profile-two-operators") +
                           "timeline:\n"
                           "  - {at: 1h, host_crash: {host: dc-paris.fast-00007}}\n"
                           "  - {at: 2h, host_crash: {host: dc-frankfurt.std-00000}}\n"
                           "  - {at: 3h, link_cut: {between: [cloud, dc-frankfurt]}}\n";
  const Scenario sc = load_ok(text);
  ASSERT_EQ(sc.timeline.size(), 3u);
  EXPECT_EQ(sc.timeline[0].host, "dc-paris.fast-00007");
  EXPECT_EQ(sc.timeline[1].host, "dc-frankfurt.std-00000");
  EXPECT_EQ(sc.timeline[2].b, "dc-frankfurt");
}

} // namespace
} // namespace i1sim::scenario::scenario_timeline_test
