// Loading of `telecom.probes`: each {at, kinds} item becomes one scenario::Probe per kind, by time; unknown kinds,
// probes of the wrong profile, a hubDelete with nothing to delete and probes after the end are errors at file:line:col.
#include "scenario/scenario.hpp"
#include "support/text_edit.hpp"

#include <gtest/gtest.h>
#include <string>
#include <utility>
#include <vector>

namespace i1sim::scenario::scenario_probes_test {
namespace {

using test::line_of;
using test::read_file;
using test::replace_once;

std::string shipped(const std::string& name) {
  const std::string text = read_file(I1SIM_SOURCE_DIR "/scenarios/" + name + ".yaml");
  EXPECT_FALSE(text.empty()) << name << " could not be read";
  return text;
}

// activation-basic (Q profile, one operator, runs 2h) with `probes` as its telecom.probes list, and `i1` (if any)
// as its i1 block.
std::string with_probes(const std::string& probes, const std::string& i1 = "") {
  return replace_once(shipped("activation-basic"), "stop:\n  max_time: 2h\n",
                      "stop:\n  max_time: 2h\ntelecom:\n  probes:\n" + probes + i1);
}

const std::string kTwoOperators = "i1:\n  profile: X\n  operators: [op-a, op-b]\n";

/// The 1-based column of the first `needle` in its line.
int column_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  const auto line_start = text.rfind('\n', at);
  return static_cast<int>(at - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
}

struct Located {
  int line = 0, column = 0;
  std::string message;
};

/// The first error loading `text` reports (a test failure when it loads).
Located first_error(const std::string& text) {
  try {
    load_from_string(text, "probes.yaml");
    ADD_FAILURE() << "the scenario loaded";
  } catch (const ScenarioErrors& e) {
    EXPECT_EQ(e.errors().front().file(), "probes.yaml");
    return {e.errors().front().line(), e.errors().front().column(), e.errors().front().message()};
  }
  return {};
}

Scenario load_ok(const std::string& text) {
  try {
    return load_from_string(text, "probes.yaml");
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
  }
  return {};
}

TEST(ScenarioProbes, ReadsEveryKindAtItsTimeInTimeOrder) {
  const Scenario sc = load_ok(with_probes("    - {at: 30min, kinds: [retention, hubDelete]}\n"
                                          "    - {at: 10min, kinds: [invalidBody, unknownSpec, unknownCustomer, "
                                          "hubQuery]}\n"
                                          "    - at: 20min\n"
                                          "      kinds: [listServices, alarmList, alarmAck, customerUpdate, "
                                          "jobDelete]\n"));
  using K = Probe::Kind;
  const std::vector<std::pair<K, double>> want{
      {K::invalid_body, 600},   {K::unknown_spec, 600}, {K::unknown_customer, 600}, {K::hub_query, 600},
      {K::list_services, 1200}, {K::alarm_list, 1200},  {K::alarm_ack, 1200},       {K::customer_update, 1200},
      {K::job_delete, 1200},    {K::retention, 1800},   {K::hub_delete, 1800}};
  ASSERT_EQ(sc.telecom.probes.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(sc.telecom.probes[i].kind, want[i].first) << i;
    EXPECT_DOUBLE_EQ(sc.telecom.probes[i].at, want[i].second) << i;
  }
}

TEST(ScenarioProbes, NamesEveryKindAsTheScenarioWritesIt) {
  using K = Probe::Kind;
  EXPECT_EQ(probe_name(K::invalid_body), "invalidBody");
  EXPECT_EQ(probe_name(K::foreign_access), "foreignAccess");
  EXPECT_EQ(probe_name(K::job_delete), "jobDelete");
  EXPECT_EQ(probe_name(K::unknown_customer), "unknownCustomer");
}

TEST(ScenarioProbes, AcceptsTheOperatorProbesInTheXProfile) {
  const Scenario sc = load_ok(with_probes("    - {at: 1h, kinds: [unauthenticated, foreignAccess]}\n", kTwoOperators));
  ASSERT_EQ(sc.telecom.probes.size(), 2u);
  EXPECT_EQ(sc.telecom.probes[0].kind, Probe::Kind::unauthenticated);
  EXPECT_EQ(sc.telecom.probes[1].kind, Probe::Kind::foreign_access);
}

TEST(ScenarioProbes, AScenarioWithoutProbesSendsNone) {
  EXPECT_TRUE(load_ok(shipped("activation-basic")).telecom.probes.empty());
}

TEST(ScenarioProbes, ReportsAnUnknownKindAtItsLineAndColumn) {
  const std::string text = with_probes("    - {at: 10min, kinds: [invalidBody, badProbe]}\n");
  const Located e = first_error(text);
  EXPECT_EQ(e.line, line_of(text, "badProbe"));
  EXPECT_EQ(e.column, column_of(text, "badProbe"));
  EXPECT_NE(e.message.find("telecom.probes[0].kinds[1]: unknown probe 'badProbe' (known: invalidBody,"),
            std::string::npos)
      << e.message;
}

TEST(ScenarioProbes, RefusesAnXProfileProbeInTheQProfile) {
  const std::string text = with_probes("    - at: 10min\n      kinds:\n        - unauthenticated\n");
  const Located e = first_error(text);
  EXPECT_EQ(e.line, line_of(text, "- unauthenticated"));
  EXPECT_EQ(e.column, column_of(text, "unauthenticated"));
  EXPECT_NE(e.message.find("unauthenticated probes operators of the X profile (i1.profile is Q)"), std::string::npos)
      << e.message;
}

TEST(ScenarioProbes, RefusesForeignAccessWithOneOperator) {
  const std::string text =
      with_probes("    - {at: 10min, kinds: [foreignAccess]}\n", "i1:\n  profile: X\n  operators: [op-a]\n");
  const Located e = first_error(text);
  EXPECT_EQ(e.line, line_of(text, "foreignAccess"));
  EXPECT_EQ(e.column, column_of(text, "foreignAccess"));
  EXPECT_NE(e.message.find("foreignAccess needs at least two operators"), std::string::npos) << e.message;
}

TEST(ScenarioProbes, RefusesAHubDeleteWithNoEarlierHubQuery) {
  // At the same time is not earlier: the subscription's answer is not in yet.
  const std::string text = with_probes("    - {at: 10min, kinds: [hubQuery, hubDelete]}\n");
  const Located e = first_error(text);
  EXPECT_EQ(e.line, line_of(text, "hubDelete"));
  EXPECT_EQ(e.column, column_of(text, "hubDelete"));
  EXPECT_NE(e.message.find("telecom.probes[0].kinds[1]: hubDelete deletes the subscription of a hubQuery probe"),
            std::string::npos)
      << e.message;
  load_ok(with_probes("    - {at: 10min, kinds: [hubQuery]}\n    - {at: 11min, kinds: [hubDelete]}\n"));
}

TEST(ScenarioProbes, RefusesAProbeAtOrAfterTheEndOfTheRun) {
  const std::string text = with_probes("    - {at: 10min, kinds: [retention]}\n    - {at: 2h, kinds: [alarmList]}\n");
  const Located e = first_error(text);
  EXPECT_EQ(e.line, line_of(text, "at: 2h"));
  EXPECT_EQ(e.column, column_of(text, "2h, kinds"));
  EXPECT_NE(e.message.find("telecom.probes[1].at: 2h is not before the end of the run"), std::string::npos)
      << e.message;
}

TEST(ScenarioProbes, RefusesAnEmptyKindListAndAnUnknownKey) {
  const std::string empty = with_probes("    - {at: 10min, kinds: []}\n");
  const Located e = first_error(empty);
  EXPECT_EQ(e.line, line_of(empty, "kinds: []"));
  EXPECT_NE(e.message.find("telecom.probes[0].kinds: name at least one probe"), std::string::npos) << e.message;

  const std::string extra = with_probes("    - {at: 10min, kinds: [retention], every: 5min}\n");
  const Located u = first_error(extra);
  EXPECT_EQ(u.line, line_of(extra, "every: 5min"));
  EXPECT_EQ(u.column, column_of(extra, "every: 5min"));
  EXPECT_NE(u.message.find("every"), std::string::npos) << u.message;
}

TEST(ScenarioProbes, RefusesAProbeWithoutItsTime) {
  const std::string text = with_probes("    - {kinds: [retention]}\n");
  const Located e = first_error(text);
  EXPECT_EQ(e.line, line_of(text, "{kinds: [retention]}"));
  EXPECT_NE(e.message.find("at"), std::string::npos) << e.message;
}

TEST(ScenarioProbes, ShippedProbeScenariosSendEveryProbeBetweenThem) {
  const Scenario q = load_ok(shipped("probes-q"));
  const Scenario x = load_ok(shipped("probes-x"));
  std::vector<bool> sent(static_cast<std::size_t>(Probe::Kind::job_delete) + 1, false);
  for (const auto* sc : {&q, &x})
    for (const auto& p : sc->telecom.probes)
      sent[static_cast<std::size_t>(p.kind)] = true;
  for (std::size_t k = 0; k < sent.size(); ++k)
    EXPECT_TRUE(sent[k]) << probe_name(static_cast<Probe::Kind>(k));
  EXPECT_EQ(q.i1.profile, "Q");
  EXPECT_EQ(x.i1.profile, "X");
}

} // namespace
} // namespace i1sim::scenario::scenario_probes_test
