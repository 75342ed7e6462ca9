// End to end: the shipped probe scenarios, run against the reference implementation, send every probe they name and
// every probe.* check passes when their saved event stream is replayed through the probe oracles.
#include "conformance/oracles/oracle.hpp"
#include "i1/spec.hpp"
#include "scenario/scenario.hpp"
#include "support/child.hpp"
#include "trace/event_stream.hpp"

#include <gtest/gtest.h>
#include <map>
#include <set>
#include <sstream>
#include <string>

namespace i1sim::test::probes_test {
namespace {

struct Replayed {
  std::vector<conformance::CheckResult> results;
  std::set<std::string> probes_sent; // the probe kinds announced by probe.sent events
  std::size_t skipped = 0;
};

Replayed run_and_replay(const std::string& name, const std::string& seed) {
  Replayed out;
  const std::string dir = fresh_dir("probes-" + name + "-" + seed);
  const std::string path = source_path("scenarios/" + name + ".yaml");
  const auto r = run_child({i1sim_binary(), "run", path, "--seed", seed, "--out", dir}, 300);
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  const scenario::Scenario sc = scenario::load(path);
  conformance::OracleContext ctx;
  ctx.scenario = &sc;
  ctx.spec = &spec::builtin();
  ctx.timers = conformance::timers_in_force(spec::builtin(), sc);
  auto oracles = conformance::make_probe_oracles(ctx);
  std::istringstream lines(slurp(dir + "/events.jsonl"));
  std::string line;
  double end = 0;
  std::size_t events = 0;
  while (std::getline(lines, line)) {
    const trace::Event e = trace::from_json_line(line);
    ++events;
    end = e.t;
    if (e.type == "probe.sent")
      out.probes_sent.insert(e.data.at("probe").get<std::string>());
    if (e.type == "probe.skipped")
      ++out.skipped;
    for (auto& o : oracles)
      o->on_event(e);
  }
  EXPECT_GT(events, 0u) << "no events in " << dir;
  for (auto& o : oracles) {
    o->finish(end);
    for (auto& res : o->results())
      out.results.push_back(res);
  }
  return out;
}

void expect_every_named_probe_passes(const std::string& name, const std::string& seed) {
  const scenario::Scenario sc = scenario::load(source_path("scenarios/" + name + ".yaml"));
  std::set<std::string> named;
  for (const auto& p : sc.telecom.probes)
    named.insert(std::string(scenario::probe_name(p.kind)));
  const Replayed r = run_and_replay(name, seed);
  EXPECT_EQ(r.probes_sent, named) << "every probe the scenario names is sent";
  EXPECT_EQ(r.skipped, 0u);
  // The checks of the probes this scenario sends pass; the others never applied.
  static const std::map<std::string, std::string> check_of{{"invalidBody", "probe.invalid_body"},
                                                           {"unknownSpec", "probe.unknown_spec"},
                                                           {"hubQuery", "probe.hub_query"},
                                                           {"hubDelete", "probe.hub_delete"},
                                                           {"listServices", "probe.list_services"},
                                                           {"alarmAck", "probe.alarm_ack"},
                                                           {"alarmList", "probe.alarm_list"},
                                                           {"customerUpdate", "probe.customer_update"},
                                                           {"unknownCustomer", "probe.unknown_customer"},
                                                           {"retention", "probe.retention"},
                                                           {"unauthenticated", "probe.unauthenticated"},
                                                           {"foreignAccess", "probe.foreign_access"},
                                                           {"jobDelete", "probe.job_delete"}};
  std::set<std::string> applied;
  for (const auto& probe : named)
    applied.insert(check_of.at(probe));
  ASSERT_EQ(r.results.size(), check_of.size());
  for (const auto& res : r.results) {
    if (applied.count(res.check)) {
      EXPECT_EQ(res.verdict, conformance::Verdict::pass) << res.check << ": " << res.reason;
      EXPECT_GT(res.observed, 0u) << res.check;
    } else {
      EXPECT_EQ(res.verdict, conformance::Verdict::none) << res.check << ": " << res.reason;
    }
  }
}

TEST(Probes, EveryProbeOfTheQProfilePassesAgainstTheReference) { expect_every_named_probe_passes("probes-q", "3"); }

TEST(Probes, EveryProbeOfTheXProfilePassesAgainstTheReference) { expect_every_named_probe_passes("probes-x", "4"); }

TEST(Probes, PassWithOtherSeedsToo) {
  expect_every_named_probe_passes("probes-q", "17");
  expect_every_named_probe_passes("probes-x", "18");
}

TEST(Probes, BetweenThemTheScenariosSendEveryProbe) {
  std::set<std::string> all;
  for (const char* name : {"probes-q", "probes-x"})
    for (const auto& p : scenario::load(source_path(std::string("scenarios/") + name + ".yaml")).telecom.probes)
      all.insert(std::string(scenario::probe_name(p.kind)));
  EXPECT_EQ(all.size(), conformance::probe_checks().size());
}

} // namespace
} // namespace i1sim::test::probes_test
