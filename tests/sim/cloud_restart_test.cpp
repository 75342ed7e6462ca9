// The Cloud side's process faults of the timeline, run in a forked engine: a cloud_restart stops the process
// (frames refused, timers gone, DC reports held) and starts it again through the restart hook, after which
// the reference finishes what was in flight and bills exactly as the oracle says; a clock_skew shifts the
// Cloud side's clock, and only its clock.
#include "cloud/reference_cloud.hpp"
#include "conformance/oracles/bill_oracle.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"
#include "support/child.hpp"
#include "trace/event_stream.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <iostream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace i1sim::run::cloud_restart_test {
namespace {

using Events = std::vector<trace::Event>;

/// Twelve orders, one every 10 s, two bill cycles of 2 h with 30 min usage periods, measurement jobs every
/// 15 min and a third of the products ended after a while; `timeline` is appended as written.
std::string scenario_text(const std::string& timeline) {
  return R"(name: cloud-restart
seed: 3
platform:
  operator_site: {name: operator, host_speed: 10Gf, lan_bandwidth: 10Gbps, lan_latency: 100us}
  cloud_site: {name: cloud, host_speed: 10Gf, lan_bandwidth: 10Gbps, lan_latency: 100us}
  data_centres:
    - name: dc-paris
      jurisdiction: FR
      network: {nic_bandwidth: 10Gbps, nic_latency: 2us, fabric_bandwidth: 40Gbps, fabric_latency: 5us, store_bandwidth: 20Gbps}
      hosts:
        - {name: std, count: 20, cores: 32, speed: 3Gf, ram: 256GiB, disk: 4TiB}
  wan:
    - {between: [operator, cloud], bandwidth: 1Gbps, latency: 10ms}
    - {between: [cloud, dc-paris], bandwidth: 10Gbps, latency: 1ms}
cloud_oss:
  service_time: 2ms
catalogue:
  telecom_services:
    - {id: fibre-1g, fee: 2999}
  cloud_services:
    - id: vm-small
      name: Small virtual server
      vcpu: 2
      ram: 4GiB
      storage: 40GiB
      image: {size: 2GiB, boot_work: 60Gf}
      performance: {min_core_speed: 2.5Gf, max_activation_time: 10min}
      rates: {vcpu_hour: 1.25, ram_gib_hour: 0.35, storage_gib_hour: 0.0055}
  products:
    - id: office-bundle
      name: Fibre with a small cloud server
      telecom_services: [fibre-1g]
      cloud_services: [vm-small]
customers:
  count: 5
workload:
  orders: 12
  arrival: {process: fixed, rate: 0.1/s}
  mix:
    - {product: office-bundle, weight: 1}
  changes:
    terminate: {share: 0.3, after: [40min, 3h]}
billing:
  currency: EUR
  cycle: 2h
  cycles: 2
telecom:
  measurement_granularity: 15min
i1:
  profile: Q
  timers: {T_usage_period: 30min}
timeline:
)" + timeline;
}

/// What the audited implementation saw, kept outside it: the run destroys the implementation when it returns.
struct Audit {
  std::vector<double> calls;     // simulated times of every call
  std::vector<double> restarts;  // times of the restart hook
  std::size_t stale_pending = 0; // timers set before a stop that were still to come at the restart
  std::size_t stale_fired = 0;   // such timers that fired anyway
  std::size_t current_fired = 0; // timers of the current process that fired
};
Audit audit;

/// The harness's context as the reference sees it through the audit: every timer gets a token of the audit's
/// own, remembered with the process generation that set it.
class AuditContext : public CloudContext {
public:
  CloudContext* outer = nullptr;
  int generation = 0;
  struct Set {
    std::uint64_t inner;
    int generation;
    double due;
  };
  std::map<std::uint64_t, Set> timers;
  std::uint64_t next = 0;

  double now() const override { return outer->now(); }
  std::string timestamp() const override { return outer->timestamp(); }
  void respond(const Message& request, int status, nlohmann::json body) override {
    outer->respond(request, status, std::move(body));
  }
  void notify(const std::string& callback, std::string_view event_type, std::string correlation_id,
              nlohmann::json envelope) override {
    outer->notify(callback, event_type, std::move(correlation_id), std::move(envelope));
  }
  DcControl& dc() override { return outer->dc(); }
  void set_timer(double delay, std::uint64_t token) override {
    timers[++next] = Set{token, generation, outer->now() + delay};
    outer->set_timer(delay, next);
  }
};

/// The reference, with every call, timer and restart recorded in `audit`.
class AuditedCloud : public CloudIut {
public:
  explicit AuditedCloud(const CloudSetup& setup) : inner_(setup) {}
  std::string name() const override { return "audited-ref"; }
  void start(CloudContext& ctx) override { inner_.start(enter(ctx)); }
  void on_request(CloudContext& ctx, const Message& request) override { inner_.on_request(enter(ctx), request); }
  void on_response(CloudContext& ctx, const Message& response) override { inner_.on_response(enter(ctx), response); }
  void on_dc_event(CloudContext& ctx, const DcEvent& event) override { inner_.on_dc_event(enter(ctx), event); }
  void on_timer(CloudContext& ctx, std::uint64_t token) override {
    enter(ctx);
    const auto it = ctx_.timers.find(token);
    if (it == ctx_.timers.end())
      return;
    const auto set = it->second;
    ctx_.timers.erase(it);
    if (set.generation != ctx_.generation) {
      ++audit.stale_fired;
      return;
    }
    ++audit.current_fired;
    inner_.on_timer(ctx_, set.inner);
  }
  void restart(CloudContext& ctx) override {
    enter(ctx);
    audit.restarts.push_back(ctx.now());
    for (const auto& [token, set] : ctx_.timers)
      audit.stale_pending += set.generation == ctx_.generation && set.due > ctx.now() ? 1 : 0;
    ++ctx_.generation;
    inner_.restart(ctx_);
  }

private:
  CloudContext& enter(CloudContext& ctx) {
    ctx_.outer = &ctx;
    audit.calls.push_back(ctx.now());
    return ctx_;
  }
  cloud::ReferenceCloud inner_;
  AuditContext ctx_;
};

Events run(const std::string& yaml, const std::string& tag, scenario::Scenario& sc, bool audited) {
  sc = scenario::load_from_string(yaml, tag + ".yaml");
  RunOptions options;
  options.out_dir = test::fresh_dir(tag);
  if (audited) {
    options.iut = "audited-ref";
    options.make_iut = [](const CloudSetup& setup) { return std::make_unique<AuditedCloud>(setup); };
  }
  const auto r = run_simulation(sc, yaml, options);
  Events events;
  std::ifstream in(r.events_path);
  for (std::string line; std::getline(in, line);)
    events.push_back(trace::from_json_line(line));
  return events;
}

std::string str(const trace::Event& e, const char* key) {
  const auto it = e.data.find(key);
  return it != e.data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double num(const trace::Event& e, const char* key) {
  const auto it = e.data.find(key);
  return it != e.data.end() && it->is_number() ? it->get<double>() : std::numeric_limits<double>::quiet_NaN();
}

std::size_t count(const Events& events, const std::string& type) {
  return static_cast<std::size_t>(
      std::count_if(events.begin(), events.end(), [&](const trace::Event& e) { return e.type == type; }));
}

/// Bills and usage as the oracle computes them from ground truth; no bill twice, on either side.
void expect_billed_once(const scenario::Scenario& sc, const Events& events, std::ostringstream& problems);

/// Runs `check`, reporting an exception it throws (an oracle that cannot place a record) as a problem.
void guard(std::ostringstream& problems, const std::function<void()>& check) {
  try {
    check();
  } catch (const std::exception& e) {
    problems << "the oracle could not judge the run: " << e.what() << "\n";
  }
}

void finish(const std::ostringstream& problems) {
  std::cerr << problems.str();
  std::exit(problems.str().empty() ? 0 : 1);
}

void expect_billed_once(const scenario::Scenario& sc, const Events& events, std::ostringstream& problems) {
  guard(problems, [&] {
    for (const auto& [bill, what] : conformance::usage_differences(sc, events))
      problems << "usage " << bill.first << " cycle " << bill.second << ": " << what << "\n";
    const auto differences = conformance::bill_differences(conformance::expected_bills(sc, events), events);
    if (!differences.empty())
      problems << conformance::difference_table(differences);
    std::vector<conformance::BillKey> twice;
    const auto issued = conformance::issued_bills(events, &twice);
    if (!twice.empty() || issued.size() < 5)
      problems << twice.size() << " converged bills issued twice, " << issued.size()
               << " in all (5 or more expected)\n";
  });
  // The Cloud side: one bill per customer and cycle, and no usage record in two bills.
  std::map<std::string, std::string> bill_of_usage;
  std::map<std::string, std::set<std::string>> bills_of; // customer + period start -> bill ids
  for (const auto& e : events) {
    if (e.type != "i1.notification" || str(e, "name") != "CustomerBillCreateEvent")
      continue;
    const auto& bill = (*e.body())["event"]["customerBill"];
    const std::string id = bill.value("id", "");
    bills_of[bill["relatedParty"][0].value("id", "") + " " + bill["billingPeriod"].value("startDateTime", "")].insert(
        id);
    for (const auto& rate : bill["appliedBillingRate"])
      for (const auto& u : rate.value("usage", nlohmann::json::array())) {
        const auto [it, fresh] = bill_of_usage.emplace(u.value("id", ""), id);
        if (!fresh && it->second != id)
          problems << "usage record " << it->first << " is in bills " << it->second << " and " << id << "\n";
      }
  }
  for (const auto& [who, ids] : bills_of)
    if (ids.size() != 1)
      problems << who << ": " << ids.size() << " Cloud bills\n";
}

// -------------------------------------------------------------------------------------------- restart

void restart_mid_run() {
  scenario::Scenario sc;
  const Events events = run(scenario_text("  - at: 55s\n    cloud_restart: {down: 30s}\n"), "restart", sc, true);
  std::ostringstream problems;
  double down = -1, up = -1;
  std::size_t refused = 0, held_boots = 0;
  for (const auto& e : events) {
    if (e.type == "cloud.down")
      down = e.t;
    if (e.type == "cloud.up")
      up = e.t;
    if (e.type == "channel.lost") {
      if (str(e, "reason") != "cloudDown" || e.t < 55 || e.t >= 85)
        problems << "a frame lost at " << e.t << " s for '" << str(e, "reason") << "'\n";
      ++refused;
    }
    // Nothing reaches the process while it is down.
    if (e.category == trace::Category::i1 && str(e, "dir") == "t2c" && e.t > 55 && e.t < 85)
      problems << e.type << " " << str(e, "name") << " reached the Cloud side at " << e.t << " s, while down\n";
    held_boots += e.type == "vm.booted" && e.t > 55 && e.t < 85 ? 1 : 0;
  }
  if (std::abs(down - 55) > 1e-9 || std::abs(up - 85) > 1e-9)
    problems << "cloud.down at " << down << " s and cloud.up at " << up << " s, 55 and 85 expected\n";
  if (refused == 0 || held_boots == 0)
    problems << refused << " frames refused and " << held_boots
             << " VMs booted while down: the restart hit nothing in flight\n";
  for (double t : audit.calls)
    if (t > 55 && t < 85)
      problems << "the implementation was called at " << t << " s, while down\n";
  if (audit.restarts.size() != 1 || std::abs(audit.restarts.front() - 85) > 1e-9)
    problems << audit.restarts.size() << " restarts, one at 85 s expected\n";
  if (audit.stale_pending == 0 || audit.stale_fired != 0)
    problems << audit.stale_pending << " timers set before the stop were due after it, " << audit.stale_fired
             << " of them fired (none may)\n";
  if (audit.current_fired == 0)
    problems << "no timer fired after the restart: nothing was re-armed\n";
  // Orders in flight at the stop complete after the restart, and every order completes.
  std::map<std::string, double> acknowledged; // productOrder -> time of its service order's first answer
  for (const auto& e : events)
    if (e.type == "i1.response" && str(e, "name") == "createServiceOrder")
      acknowledged.emplace(e.body()->value("externalId", ""), e.t);
  std::size_t across = 0;
  for (const auto& e : events)
    if (e.type == "product.active") {
      const auto ack = acknowledged.find(str(e, "productOrder"));
      across += ack != acknowledged.end() && ack->second < 55 && e.t > 85 ? 1 : 0;
    }
  if (across == 0)
    problems << "no order acknowledged before the stop completed after the restart\n";
  if (count(events, "product.active") != 12 || count(events, "product.failed") != 0)
    problems << count(events, "product.active") << " products active, " << count(events, "product.failed")
             << " failed: 12 active expected\n";
  if (count(events, "iut.exception") != 0)
    problems << "the implementation threw\n";
  expect_billed_once(sc, events, problems);
  finish(problems);
}

TEST(CloudRestartDeathStyle, OrdersInFlightCompleteStaleTimersNeverFireAndNothingIsBilledTwice) {
  EXPECT_EXIT(restart_mid_run(), testing::ExitedWithCode(0), "");
}

// -------------------------------------------------------------------------------------------- clock skew

void skewed_clock() {
  scenario::Scenario sc;
  const Events events = run(scenario_text("  - at: 20s\n    clock_skew: {offset: 90s, for: 60s}\n"
                                          "  - at: 1750s\n    clock_skew: {offset: -300s, for: 200s}\n"),
                            "skew", sc, false);
  std::ostringstream problems;
  std::vector<std::pair<double, double>> skews; // (time, offset)
  for (const auto& e : events)
    if (e.type == "clock.skew")
      skews.emplace_back(e.t, num(e, "offset"));
  const std::vector<std::pair<double, double>> want{{20, 90}, {80, 0}, {1750, -300}, {1950, 0}};
  bool same = skews.size() == want.size();
  for (std::size_t i = 0; same && i < want.size(); ++i)
    same = std::abs(skews[i].first - want[i].first) < 1e-9 && skews[i].second == want[i].second;
  if (!same) {
    problems << "clock.skew events:";
    for (const auto& [t, o] : skews)
      problems << " (" << t << " s, " << o << ")";
    problems << "\n";
  }
  // Every notification's eventTime is its true sending time plus the offset in force then.
  auto offset_at = [](double t) { return t >= 20 && t < 80 ? 90.0 : t >= 1750 && t < 1950 ? -300.0 : 0.0; };
  std::map<double, std::size_t> seen; // offset -> notifications
  for (const auto& e : events) {
    if (e.type != "i1.notification")
      continue;
    const double sent = num(e, "sent");
    const double stamped = parse_iso_timestamp(e.body()->value("eventTime", ""));
    if (std::abs(stamped - sent - offset_at(sent)) > 2e-6)
      problems << str(e, "name") << " " << str(e, "corr") << " sent at " << sent << " s carries eventTime " << stamped
               << " s\n";
    ++seen[offset_at(sent)];
  }
  if (seen[90] == 0 || seen[-300] == 0 || seen[0] == 0)
    problems << "notifications sent: " << seen[90] << " at +90 s, " << seen[-300] << " at -300 s, " << seen[0]
             << " unskewed\n";
  if (count(events, "product.active") != 12 || count(events, "iut.exception") != 0)
    problems << count(events, "product.active") << " products active, 12 expected; " << count(events, "iut.exception")
             << " exceptions\n";
  // Metering follows the data centres' clock and the fixed period grid: amounts do not move.
  expect_billed_once(sc, events, problems);
  finish(problems);
}

TEST(ClockSkewDeathStyle, NotificationsCarryTheSkewedTimeAndBillsDoNotMove) {
  EXPECT_EXIT(skewed_clock(), testing::ExitedWithCode(0), "");
}

} // namespace
} // namespace i1sim::run::cloud_restart_test
