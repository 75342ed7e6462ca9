// The ground-truth description of timeline faults: the fields fault.injected and fault.cleared carry.
#include "faults/fault_events.hpp"

#include <gtest/gtest.h>

namespace i1sim::faults::fault_events_test {
namespace {

using scenario::Fault;

Fault make(Fault::Kind kind, int line) {
  Fault f;
  f.kind = kind;
  f.line = line;
  f.at = 7200;
  f.duration = 1800;
  return f;
}

TEST(FaultEvents, NamesEachKindAsTheScenarioWritesIt) {
  EXPECT_EQ(kind_name(Fault::Kind::host_crash), "host_crash");
  EXPECT_EQ(kind_name(Fault::Kind::dc_outage), "dc_outage");
  EXPECT_EQ(kind_name(Fault::Kind::link_cut), "link_cut");
  EXPECT_EQ(kind_name(Fault::Kind::channel), "channel");
  EXPECT_EQ(kind_name(Fault::Kind::cloud_restart), "cloud_restart");
  EXPECT_EQ(kind_name(Fault::Kind::clock_skew), "clock_skew");
}

TEST(FaultEvents, AHostCrashNamesItsHostAndLine) {
  Fault f = make(Fault::Kind::host_crash, 12);
  f.host = "dc-paris.std-00003";
  EXPECT_EQ(describe(f).dump(), R"({"fault":"host_crash","line":12,"host":"dc-paris.std-00003"})");
}

TEST(FaultEvents, AnOutageNamesItsDataCentre) {
  Fault f = make(Fault::Kind::dc_outage, 4);
  f.dc = "dc-paris";
  EXPECT_EQ(describe(f).dump(), R"({"fault":"dc_outage","line":4,"dc":"dc-paris"})");
}

TEST(FaultEvents, ALinkCutNamesItsEndsInTheOrderWritten) {
  Fault f = make(Fault::Kind::link_cut, 9);
  f.a = "dc-paris";
  f.b = "cloud";
  EXPECT_EQ(describe(f).dump(), R"({"fault":"link_cut","line":9,"between":["dc-paris","cloud"]})");
}

TEST(FaultEvents, AChannelFaultGivesItsProbabilitiesDelaysAndDirection) {
  Fault f = make(Fault::Kind::channel, 20);
  f.loss = 0.25;
  f.duplicate = 0.5;
  f.delay = 0.2;
  f.reorder = 1.5;
  f.direction = scenario::ChannelDirection::cloud_to_telecom;
  EXPECT_EQ(describe(f).dump(), R"({"fault":"channel","line":20,"loss":0.25,"duplicate":0.5,"delay":0.2,)"
                                R"("reorder":1.5,"direction":"cloud_to_telecom"})");
}

TEST(FaultEvents, ARestartGivesItsDowntimeAndASkewItsOffset) {
  const Fault restart = make(Fault::Kind::cloud_restart, 3);
  EXPECT_EQ(describe(restart).dump(), R"({"fault":"cloud_restart","line":3,"down":1800.0})");
  Fault skew = make(Fault::Kind::clock_skew, 5);
  skew.offset = -90;
  EXPECT_EQ(describe(skew).dump(), R"({"fault":"clock_skew","line":5,"offset":-90.0})");
}

} // namespace
} // namespace i1sim::faults::fault_events_test
