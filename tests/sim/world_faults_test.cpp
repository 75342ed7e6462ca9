// The world faults of the timeline (host_crash, dc_outage, link_cut) inside real SimGrid engines. Daemon-level
// tests run their engine in a forked child and report through the exit code; scenario tests run the whole
// simulation in a forked child that writes events.jsonl, and the parent checks the stream against
// expectations worked out from the scenario text and the fault semantics.
#include "faults/link_faults.hpp"
#include "i1/codec.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"
#include "support/child.hpp"
#include "support/sim_engine.hpp"
#include "world/daemon.hpp"
#include "world/platform.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace sg = simgrid::s4u;
using nlohmann::json;

namespace i1sim::world_faults_test {
namespace {

// A small world: 4 hosts of 8 cores in one data centre, VMs of 2 vCPU that take about 22 s to provision,
// one order every 10 s. TIMELINE, FAILURES, ORDERS and RATE are replaced per test.
const std::string kScenario = R"(name: world-faults
seed: 5
platform:
  operator_site: {name: operator, host_speed: 10Gf, lan_bandwidth: 10Gbps, lan_latency: 100us}
  cloud_site: {name: cloud, host_speed: 10Gf, lan_bandwidth: 10Gbps, lan_latency: 100us}
  data_centres:
    - name: dc-paris
      jurisdiction: FR
      network: {nic_bandwidth: 10Gbps, nic_latency: 2us, fabric_bandwidth: 40Gbps, fabric_latency: 5us, store_bandwidth: 20Gbps}
      hosts:
        - {name: std, count: 4, cores: 8, speed: 3Gf, ram: 64GiB, disk: 1TiB}
  wan:
    - {between: [operator, cloud], bandwidth: 1Gbps, latency: 10ms}
    - {between: [cloud, dc-paris], bandwidth: 10Gbps, latency: 1ms}
cloud_oss: {service_time: 2ms}
catalogue:
  cloud_services:
    - id: vm-small
      name: Small virtual server
      vcpu: 2
      ram: 4GiB
      storage: 40GiB
      image: {size: 2GiB, boot_work: 60Gf}
      performance: {min_core_speed: 2.5Gf, max_activation_time: 10min}
  products:
    - {id: office, name: Office bundle, telecom_services: [fibre-1g], cloud_services: [vm-small]}
customers: {count: 50}
workload:
  orders: ORDERS
  arrival: {process: fixed, rate: RATE}
  mix: [{product: office}]
stop: {max_time: 2h}
FAILURES
TIMELINE
)";

std::string replace(std::string text, const std::string& what, const std::string& with) {
  const auto at = text.find(what);
  if (at == std::string::npos)
    throw std::logic_error("no " + what + " in the scenario template");
  return text.replace(at, what.size(), with);
}

std::string scenario_text(const std::string& timeline, const std::string& failures = "", int orders = 12,
                          const std::string& rate = "6/min") {
  std::string t = replace(kScenario, "TIMELINE", timeline);
  t = replace(t, "FAILURES", failures);
  t = replace(t, "ORDERS", std::to_string(orders));
  return replace(t, "RATE", rate);
}

/// The 1-based line of `text` that contains `needle`: where the loader must say the fault is written.
int line_of(const std::string& text, const std::string& needle) {
  std::istringstream lines(text);
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    ++n;
    if (line.find(needle) != std::string::npos)
      return n;
  }
  throw std::logic_error("no line with " + needle);
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string out_dir(const std::string& name) { return test::fresh_dir("world-faults-" + name); }

[[noreturn]] void run_and_exit(const std::string& text, const std::string& out) {
  try {
    const auto sc = scenario::load_from_string(text, "world-faults.yaml");
    run::RunOptions options;
    options.out_dir = out;
    run::run_simulation(sc, text, options);
  } catch (const std::exception& e) {
    std::cerr << "run failed: " << e.what() << "\n";
    std::exit(1);
  }
  std::exit(0);
}

struct Outcome {
  std::vector<json> events;
  json results;
  /// Events of `type`, in stream order.
  std::vector<json> of(const std::string& type) const {
    std::vector<json> out;
    for (const auto& e : events)
      if (e["type"] == type)
        out.push_back(e);
    return out;
  }
};

/// Runs the scenario in a forked child (one engine per process) and reads what it wrote.
Outcome simulate(const std::string& text, const std::string& name) {
  const std::string out = out_dir(name);
  EXPECT_EXIT(run_and_exit(text, out), testing::ExitedWithCode(0), "");
  Outcome r;
  std::istringstream lines(read(out + "/events.jsonl"));
  for (std::string line; std::getline(lines, line);)
    r.events.push_back(json::parse(line));
  r.results = json::parse(read(out + "/results.json"));
  return r;
}

std::string host_name(int index) {
  std::ostringstream s;
  s << "dc-paris.std-" << std::string(5 - std::to_string(index).size(), '0') << index;
  return s.str();
}

/// VM ids that `run` shows on `host` in state `state` at time `t` (just before events at t): "placed" (not
/// yet booted) or "booted" (running or down), from vm.placed / vm.booted / vm.failed / vm.destroyed.
std::set<std::uint64_t> vms_at(const Outcome& run, const std::string& host, double t, const std::string& state) {
  std::map<std::uint64_t, std::string> now;
  for (const auto& e : run.events) {
    if (e["t"].get<double>() >= t)
      break;
    if (!e.contains("vm") || e.value("host", "") != host)
      continue;
    const auto id = e["vm"].get<std::uint64_t>();
    if (e["type"] == "vm.placed")
      now[id] = "placed";
    else if (e["type"] == "vm.booted")
      now[id] = "booted";
    else if (e["type"] == "vm.failed" || e["type"] == "vm.destroyed")
      now.erase(id);
  }
  std::set<std::uint64_t> out;
  for (const auto& [id, s] : now)
    if (s == state)
      out.insert(id);
  return out;
}

std::set<std::uint64_t> vms_of(const std::vector<json>& events, double t, const std::string& reason = "") {
  std::set<std::uint64_t> out;
  for (const auto& e : events)
    if (e["t"].get<double>() == t && (reason.empty() || e.value("reason", "") == reason))
      out.insert(e["vm"].get<std::uint64_t>());
  return out;
}

/// Each host's down/up transitions must alternate, starting with a down: never two downs (or ups) in a row.
void expect_alternating(const Outcome& run) {
  std::map<std::string, std::string> last;
  for (const auto& e : run.events) {
    if (e["type"] != "host.down" && e["type"] != "host.up")
      continue;
    const std::string host = e["host"];
    const std::string before = last.count(host) ? last[host] : "host.up";
    EXPECT_NE(before, e["type"]) << host << " had " << e["type"] << " twice in a row, the second at t=" << e["t"];
    last[host] = e["type"];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Scenario tests.

TEST(WorldFaultsDeathStyle, AHostCrashTakesTheHostAndItsVmsDownAtItsTimeAndBringsThemBack) {
  // The run lasts until about 140 s (12 orders, 10 s apart, then the drain).
  const double at = 25, duration = 60;
  const std::string host = host_name(0);
  const std::string timeline = "timeline:\n  - {at: 25s, host_crash: {host: " + host + ", for: 1min}}";
  const std::string text = scenario_text(timeline);
  const Outcome run = simulate(text, "crash");

  // The fault itself, with the line it is written on.
  const auto injected = run.of("fault.injected");
  ASSERT_EQ(injected.size(), 1u);
  EXPECT_EQ(injected[0]["t"], at);
  EXPECT_EQ(injected[0]["fault"], "host_crash");
  EXPECT_EQ(injected[0]["host"], host);
  EXPECT_EQ(injected[0]["line"], line_of(text, "host_crash"));
  const auto cleared = run.of("fault.cleared");
  ASSERT_EQ(cleared.size(), 1u);
  EXPECT_EQ(cleared[0]["t"], at + duration);
  EXPECT_EQ(cleared[0]["host"], host);

  // The host, once down at `at` and once up at `at + for`.
  const auto downs = run.of("host.down");
  const auto ups = run.of("host.up");
  ASSERT_EQ(downs.size(), 1u);
  ASSERT_EQ(ups.size(), 1u);
  EXPECT_EQ(downs[0]["host"], host);
  EXPECT_EQ(downs[0]["t"], at);
  EXPECT_EQ(ups[0]["host"], host);
  EXPECT_EQ(ups[0]["t"], at + duration);

  // Its running VMs stop and come back; the ones still provisioning fail with hostFailure.
  const auto running = vms_at(run, host, at, "booted");
  const auto provisioning = vms_at(run, host, at, "placed");
  ASSERT_FALSE(running.empty()) << "the scenario must have a running VM on the host when it crashes";
  ASSERT_FALSE(provisioning.empty()) << "the scenario must have a VM being provisioned on the host when it crashes";
  EXPECT_EQ(vms_of(run.of("vm.down"), at), running);
  EXPECT_EQ(run.of("vm.down").size(), running.size());
  EXPECT_EQ(vms_of(run.of("vm.up"), at + duration), running);
  EXPECT_EQ(run.of("vm.up").size(), running.size());
  EXPECT_EQ(vms_of(run.of("vm.failed"), at, "hostFailure"), provisioning);

  // Nothing is placed on it meanwhile.
  for (const auto& e : run.of("vm.placed")) {
    if (e["host"] == host) {
      EXPECT_FALSE(e["t"] >= at && e["t"] < at + duration) << "VM " << e["vm"] << " placed at " << e["t"];
    }
  }
}

/// Down intervals of `host` in `run` as (down, up) transitions before `until`.
std::vector<std::pair<double, std::string>> transitions(const Outcome& run, const std::string& host, double until) {
  std::vector<std::pair<double, std::string>> out;
  for (const auto& e : run.events)
    if ((e["type"] == "host.down" || e["type"] == "host.up") && e["host"] == host && e["t"] < until)
      out.emplace_back(e["t"].get<double>(), e["type"].get<std::string>());
  return out;
}

TEST(WorldFaultsDeathStyle, ACrashOverlappingRandomFailuresKeepsTheHostDownWhileEitherHoldsIt) {
  // Random failures every few minutes on every host, and a crash of host 0 from 2 min to 12 min.
  const double at = 120, until = 720;
  const std::string failures = "failures:\n  - {dc: dc-paris, mtbf: 3min, repair: 3min}";
  const std::string crash = "timeline:\n  - {at: 2min, host_crash: {host: " + host_name(0) + ", for: 10min}}";
  const Outcome plain = simulate(scenario_text("", failures, 30, "2/min"), "random");
  const Outcome crashed = simulate(scenario_text(crash, failures, 30, "2/min"), "random-and-crash");

  expect_alternating(plain);
  expect_alternating(crashed);
  // The runs end at different times (failed orders resolve differently): compare before both ended.
  const double horizon = std::min(plain.events.back()["t"].get<double>(), crashed.events.back()["t"].get<double>());
  ASSERT_GT(horizon, until + 60);

  // The random failures draw the same times with or without the crash: the other hosts are unchanged...
  for (int h = 1; h < 4; ++h)
    EXPECT_EQ(transitions(crashed, host_name(h), horizon), transitions(plain, host_name(h), horizon)) << host_name(h);

  // ... and host 0 is down over the union of its random down times and the crash.
  std::vector<std::pair<double, int>> changes; // +1: a cause starts, -1: it ends
  for (const auto& [t, type] : transitions(plain, host_name(0), horizon))
    changes.emplace_back(t, type == "host.down" ? 1 : -1);
  changes.emplace_back(at, 1);
  changes.emplace_back(until, -1);
  std::stable_sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<double, std::string>> expected;
  int causes = 0;
  for (const auto& [t, delta] : changes) {
    const int before = causes;
    causes += delta;
    if (before == 0 && causes == 1)
      expected.emplace_back(t, "host.down");
    if (before == 1 && causes == 0)
      expected.emplace_back(t, "host.up");
  }
  int overlapping = 0; // random down periods of host 0 that overlap the crash
  const auto plain0 = transitions(plain, host_name(0), horizon);
  for (std::size_t i = 0; i + 1 < plain0.size(); i += 2)
    if (plain0[i].first < until && plain0[i + 1].first > at)
      ++overlapping;
  ASSERT_GT(overlapping, 0) << "no random failure of host 0 overlaps the crash: the test proves nothing";
  EXPECT_EQ(transitions(crashed, host_name(0), horizon), expected);
}

TEST(WorldFaultsDeathStyle, ADcOutageTakesEveryHostDownAndBackAndNothingIsPlacedThere) {
  const double at = 25, duration = 60;
  const std::string text = scenario_text("timeline:\n  - {at: 25s, dc_outage: {dc: dc-paris, for: 1min}}");
  const Outcome run = simulate(text, "outage");

  const auto injected = run.of("fault.injected");
  ASSERT_EQ(injected.size(), 1u);
  EXPECT_EQ(injected[0]["fault"], "dc_outage");
  EXPECT_EQ(injected[0]["dc"], "dc-paris");
  EXPECT_EQ(injected[0]["line"], line_of(text, "dc_outage"));
  ASSERT_EQ(run.of("fault.cleared").size(), 1u);
  EXPECT_EQ(run.of("fault.cleared")[0]["t"], at + duration);

  const auto dc_down = run.of("dc.down");
  const auto dc_up = run.of("dc.up");
  ASSERT_EQ(dc_down.size(), 1u);
  ASSERT_EQ(dc_up.size(), 1u);
  EXPECT_EQ(dc_down[0]["t"], at);
  EXPECT_EQ(dc_up[0]["t"], at + duration);
  EXPECT_EQ(dc_down[0]["dc"], "dc-paris");

  // Every host of the platform (4 in the scenario) goes down at `at`, after dc.down, and up at `at + for`,
  // before dc.up.
  std::set<std::string> all;
  for (int h = 0; h < 4; ++h)
    all.insert(host_name(h));
  std::set<std::string> down, up;
  for (const auto& e : run.of("host.down")) {
    EXPECT_EQ(e["t"], at);
    EXPECT_GT(e["id"], dc_down[0]["id"]);
    down.insert(e["host"].get<std::string>());
  }
  for (const auto& e : run.of("host.up")) {
    EXPECT_EQ(e["t"], at + duration);
    EXPECT_LT(e["id"], dc_up[0]["id"]);
    up.insert(e["host"].get<std::string>());
  }
  EXPECT_EQ(down, all);
  EXPECT_EQ(up, all);
  EXPECT_EQ(run.of("host.down").size(), 4u);
  EXPECT_EQ(run.of("host.up").size(), 4u);

  // Running VMs stop and come back; provisioning ones fail; orders during the outage get no VM there.
  std::set<std::uint64_t> running, provisioning;
  for (const auto& h : all) {
    for (auto id : vms_at(run, h, at, "booted"))
      running.insert(id);
    for (auto id : vms_at(run, h, at, "placed"))
      provisioning.insert(id);
  }
  ASSERT_FALSE(running.empty());
  EXPECT_EQ(vms_of(run.of("vm.down"), at), running);
  EXPECT_EQ(vms_of(run.of("vm.up"), at + duration), running);
  EXPECT_EQ(vms_of(run.of("vm.failed"), at, "hostFailure"), provisioning);
  for (const auto& e : run.of("vm.placed"))
    EXPECT_FALSE(e["t"] >= at && e["t"] < at + duration) << "VM " << e["vm"] << " placed at " << e["t"];
  int refused = 0;
  for (const auto& e : run.of("vm.failed"))
    if (e["t"] > at && e["t"] < at + duration && e["reason"] == "noCapacity")
      ++refused;
  EXPECT_GT(refused, 0) << "orders arrive during the outage and must find no capacity";
}

TEST(WorldFaultsDeathStyle, ALinkCutToADataCentreDelaysVmCommandsUntilTheLinkIsBackAndLosesNone) {
  // Orders every 10 s from 0 to 110 s; the cloud loses its link to the DC from 15 s to 75 s.
  const double at = 15, duration = 60;
  const std::string text = scenario_text("timeline:\n  - {at: 15s, link_cut: {between: [dc-paris, cloud], for: 1min}}");
  const Outcome run = simulate(text, "cut-dc");

  const auto injected = run.of("fault.injected");
  ASSERT_EQ(injected.size(), 1u);
  EXPECT_EQ(injected[0]["fault"], "link_cut");
  EXPECT_EQ(injected[0]["between"], json::array({"dc-paris", "cloud"}));
  EXPECT_EQ(injected[0]["line"], line_of(text, "link_cut"));
  const auto down = run.of("link.down");
  const auto up = run.of("link.up");
  ASSERT_EQ(down.size(), 1u);
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(down[0]["t"], at);
  EXPECT_EQ(up[0]["t"], at + duration);
  EXPECT_EQ(down[0]["between"], json::array({"dc-paris", "cloud"}));
  ASSERT_EQ(run.of("fault.cleared").size(), 1u);
  EXPECT_EQ(run.of("fault.cleared")[0]["t"], at + duration);

  // No command reaches the DC while the link is cut; those held arrive once it is back, within the retry
  // period (1 s) and a transfer.
  int late = 0;
  for (const auto& e : run.of("vm.placed")) {
    const double t = e["t"];
    EXPECT_FALSE(t > at && t < at + duration) << "VM " << e["vm"] << " placed at " << t << " during the cut";
    if (t >= at + duration && t <= at + duration + 1.5)
      ++late;
  }
  EXPECT_GE(late, 5) << "orders sent at 20..70 s wait for the link";
  EXPECT_TRUE(run.of("channel.lost").empty()) << "the I1 link is not cut: no frame may be lost";

  // Every order is resolved, and none lost its VM to the cut.
  const auto& orders = run.results["metrics"]["orders"];
  EXPECT_EQ(orders["submitted"], 12) << orders.dump();
  EXPECT_EQ(orders["completed"], 12) << orders.dump();
  EXPECT_EQ(run.of("vm.booted").size(), 12u);
  EXPECT_TRUE(run.of("vm.failed").empty());
}

TEST(WorldFaultsDeathStyle, ALinkCutOnTheI1LinkLosesTheFramesThatWouldCrossItAndTheRunStillEnds) {
  const double at = 15, duration = 30;
  const std::string text = scenario_text("timeline:\n  - {at: 15s, link_cut: {between: [operator, cloud], for: 30s}}");
  const Outcome run = simulate(text, "cut-i1");

  EXPECT_EQ(run.of("link.down").size(), 1u);
  EXPECT_EQ(run.of("link.up").size(), 1u);
  const auto lost = run.of("channel.lost");
  ASSERT_FALSE(lost.empty()) << "orders are sent during the cut: their frames must be lost";
  for (const auto& e : lost) {
    EXPECT_EQ(e["reason"], "linkCut");
    EXPECT_TRUE(e["dir"] == "t2c" || e["dir"] == "c2t") << e.dump();
    EXPECT_TRUE(e.contains("name") && e.contains("corr")) << e.dump();
    EXPECT_GE(e["t"], at);
    EXPECT_LE(e["t"], at + duration);
  }
  // No frame crosses the cut: none sent before its end arrives after its start.
  for (const auto& e : run.events) {
    if (e["cat"] == "i1" && e.contains("sent")) {
      EXPECT_FALSE(e["sent"] < at + duration && e["t"] > at) << e.dump();
    }
  }
  EXPECT_LT(run.results["run"]["simulated_end_s"].get<double>(), 7200) << "the run hung until max_time";
}

// ---------------------------------------------------------------------------------------------------------
// Daemon-level tests: the transport's semantics on a cut link, with a link cut between two probes.

/// Keeps every event.
class Recorder : public trace::Observer {
public:
  void on_event(const trace::Event& e) override { events.push_back(e); }
  std::vector<trace::Event> events;
};

/// A daemon whose reactions are given as functions.
class Probe : public world::Daemon {
public:
  using Daemon::after;
  using Daemon::finish;
  Probe(std::string name, sg::Host* host, std::function<void(Probe&)> start = {})
      : Daemon(std::move(name), host)
      , start_(std::move(start)) {}
  std::vector<std::pair<double, world::Envelope>> received;

protected:
  void on_start() override {
    if (start_)
      start_(*this);
  }
  void on_envelope(world::Envelope&& e) override { received.emplace_back(now(), std::move(e)); }

private:
  std::function<void(Probe&)> start_;
};

/// An engine with the platform of kScenario and a link cut from 5 s to 15 s between `a` and `b`.
struct CutWorld {
  std::unique_ptr<sg::Engine> engine;
  world::World world;
  scenario::Scenario sc;
  trace::EventStream events{[] { return sg::Engine::get_clock(); }};
  Recorder recorder;
  std::unique_ptr<faults::LinkFaults> links;

  CutWorld(const std::string& a, const std::string& b) {
    engine = test::make_engine_with({"world_faults_test", "--log=root.thresh:critical", "--cfg=network/model:CM02"});
    sc = scenario::load_from_string(
        scenario_text("timeline:\n  - {at: 5s, link_cut: {between: [" + a + ", " + b + "], for: 10s}}"), "t.yaml");
    world = world::build_world(sc.platform);
    events.add_observer(&recorder);
    links = std::make_unique<faults::LinkFaults>(world.cloud_oss, world, sc.timeline, events);
    links->spawn(true);
  }
};

[[noreturn]] void report(const std::string& problems) {
  std::cerr << problems;
  std::exit(problems.empty() ? 0 : 1);
}

void ManagementMessagesWaitForTheLinkAndArriveOnceInTheOrderSent() {
  CutWorld cw("cloud", "dc-paris");
  Probe dc("dc", cw.world.dcs[0].controller);
  // One command every 0.5 s from 0.25 s to 20.25 s (never at the instants the link changes), and at 4.9 s one
  // of 200 MB that is still crossing at the cut.
  Probe cloud("cloud", cw.world.cloud_oss, [&](Probe& self) {
    for (int i = 0; i <= 40; ++i)
      self.after(0.5 * i + 0.25, [&self, &dc, i] {
        self.send(dc, world::DcCommand{world::DcCommand::Op::create_vm, static_cast<VmId>(2 * i), {}}, 512);
      });
    self.after(4.9, [&self, &dc] {
      self.send(dc, world::DcCommand{world::DcCommand::Op::create_vm, 19, {}}, 200'000'000);
    });
    self.after(40, [&self] { self.finish(); });
  });
  for (auto* d : std::initializer_list<world::Daemon*>{&dc, &cloud})
    d->set_transport(cw.links.get());
  dc.spawn(true);
  cloud.spawn(false);
  cw.engine->run();

  std::ostringstream problems;
  // Sent in the order 0, 2, ..., 18 (at 4.75 s), 19 (at 4.9 s), 20, ..., 80.
  std::vector<VmId> want;
  for (int i = 0; i <= 9; ++i)
    want.push_back(static_cast<VmId>(2 * i));
  want.push_back(19);
  for (int i = 10; i <= 40; ++i)
    want.push_back(static_cast<VmId>(2 * i));
  std::vector<VmId> got;
  for (const auto& [t, e] : dc.received) {
    const auto& command = std::get<world::DcCommand>(e);
    got.push_back(command.vm);
    if (t > 5 && t < 15)
      problems << "command " << command.vm << " arrived at " << t << ", during the cut\n";
    const double sent = command.vm == 19 ? 4.9 : 0.25 * static_cast<double>(command.vm) + 0.25;
    if (((sent > 5 && sent < 15) || command.vm == 19) && (t < 15 || t > 16.5))
      problems << "command " << command.vm << " sent at " << sent << " arrived at " << t
               << ", not within the retry period after the link came back at 15\n";
  }
  if (got != want) {
    problems << "arrival order:";
    for (auto v : got)
      problems << " " << v;
    problems << "\n";
  }
  report(problems.str());
}

TEST(WorldFaultsDeathStyle, ManagementMessagesWaitForTheLinkAndArriveOnceInTheOrderSent) {
  EXPECT_EXIT(ManagementMessagesWaitForTheLinkAndArriveOnceInTheOrderSent(), testing::ExitedWithCode(0), "");
}

world::I1Frame frame(int n, double size) {
  Message m{MessageKind::request, "createServiceOrder", "corr-" + std::to_string(n), 0, "/serviceOrder", {}, {}};
  m.body = {{"pad", std::string(static_cast<std::size_t>(size), 'x')}};
  return world::I1Frame{i1::encode(m), Direction::telecom_to_cloud, sg::Engine::get_clock()};
}

void I1FramesThatCannotCrossAreLostAndEachLossIsRecorded() {
  CutWorld cw("operator", "cloud");
  Probe cloud("cloud", cw.world.cloud_oss);
  // One frame every 0.5 s from 0.25 s to 20.25 s, and at 4.9 s one of 100 MB still crossing at the cut.
  Probe oss("oss", cw.world.telecom_oss, [&](Probe& self) {
    for (int i = 0; i <= 40; ++i)
      self.after(0.5 * i + 0.25, [&self, &cloud, i] { self.send(cloud, frame(i, 10), 1000); });
    self.after(4.9, [&self, &cloud] { self.send(cloud, frame(99, 10), 100'000'000); });
    self.after(40, [&self] { self.finish(); });
  });
  for (auto* d : std::initializer_list<world::Daemon*>{&cloud, &oss})
    d->set_transport(cw.links.get());
  cloud.spawn(true);
  oss.spawn(false);
  cw.engine->run();

  std::ostringstream problems;
  std::set<std::string> arrived, lost;
  for (const auto& [t, e] : cloud.received)
    arrived.insert(i1::decode(std::get<world::I1Frame>(e).wire).correlation_id);
  for (const auto& e : cw.recorder.events) {
    if (e.type != "channel.lost")
      continue;
    lost.insert(e.data["corr"].get<std::string>());
    if (e.data["reason"] != "linkCut" || e.data["dir"] != "t2c" || e.data["name"] != "createServiceOrder")
      problems << "channel.lost " << e.data.dump() << "\n";
    const std::string corr = e.data["corr"];
    const double sent = corr == "corr-99" ? 4.9 : 0.5 * std::stoi(corr.substr(5)) + 0.25;
    if (e.t != std::max(sent, 5.0))
      problems << corr << " sent at " << sent << " recorded lost at " << e.t << "\n";
  }
  // Expected: frames sent in [5, 15) and the big one in flight at 5 are lost; every other one arrives.
  for (int i = 0; i <= 40; ++i) {
    const std::string corr = "corr-" + std::to_string(i);
    const bool cut = 0.5 * i + 0.25 > 5 && 0.5 * i + 0.25 < 15;
    if (cut != (lost.count(corr) == 1) || cut == (arrived.count(corr) == 1))
      problems << corr << (cut ? " was sent during the cut" : " was sent outside the cut") << " but arrived "
               << arrived.count(corr) << ", lost " << lost.count(corr) << "\n";
  }
  if (!lost.count("corr-99") || arrived.count("corr-99"))
    problems << "the frame in flight at the cut was not lost\n";
  if (lost.size() + arrived.size() != 42)
    problems << lost.size() << " lost + " << arrived.size() << " arrived of 42\n";
  report(problems.str());
}

TEST(WorldFaultsDeathStyle, I1FramesThatCannotCrossAreLostAndEachLossIsRecorded) {
  EXPECT_EXIT(I1FramesThatCannotCrossAreLostAndEachLossIsRecorded(), testing::ExitedWithCode(0), "");
}

} // namespace
} // namespace i1sim::world_faults_test
