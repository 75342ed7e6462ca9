// When a billed run ends: once its last cycle is billed and the Telecom OSS has an answer to every request it
// sent, and no later than billing.settle after that. An implementation that answers the close's bill updates
// slowly, or never, is run in a forked engine against the reference.
#include "cloud/reference_cloud.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"
#include "support/child.hpp"
#include "trace/event_stream.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace i1sim::run::run_end_test {
namespace {

using Events = std::vector<trace::Event>;

/// Six orders, one cycle of 2 h; `settle` is written under billing and `changes` under workload when not empty.
/// The close is at 7200 s, the bills at 7200 + T_bill (1 h) + 60 s, and the billed run's end is due 60 s after
/// that: 10920 s.
std::string scenario_text(const std::string& settle, const std::string& changes = "") {
  return R"(name: run-end
seed: 5
platform:
  operator_site: {name: operator, host_speed: 10Gf, lan_bandwidth: 10Gbps, lan_latency: 100us}
  cloud_site: {name: cloud, host_speed: 10Gf, lan_bandwidth: 10Gbps, lan_latency: 100us}
  data_centres:
    - name: dc-paris
      jurisdiction: FR
      network: {nic_bandwidth: 10Gbps, nic_latency: 2us, fabric_bandwidth: 40Gbps, fabric_latency: 5us, store_bandwidth: 20Gbps}
      hosts:
        - {name: std, count: 10, cores: 32, speed: 3Gf, ram: 256GiB, disk: 4TiB}
  wan:
    - {between: [operator, cloud], bandwidth: 1Gbps, latency: 10ms}
    - {between: [cloud, dc-paris], bandwidth: 10Gbps, latency: 1ms}
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
  count: 3
workload:
  orders: 6
  arrival: {process: fixed, rate: 0.1/s}
  mix:
    - {product: office-bundle, weight: 1}
)" + (changes.empty() ? std::string() : "  changes:\n    " + changes + "\n") +
         R"(billing:
  currency: EUR
  cycle: 2h
  cycles: 1
)" + (settle.empty() ? std::string() : "  settle: " + settle + "\n") +
         R"(i1:
  profile: Q
  timers: {T_usage_period: 30min}
)";
}

constexpr double kEndDue = 10920; // see scenario_text
constexpr double kBilled = 10860; // the last bills, and the Telecom OSS's last audit, which unsubscribes

/// How the implementation under test departs from the reference.
struct Departure {
  double bill_delay = 0; // a bill update (updateCustomerBill) is handled this long after it arrives; < 0: never
  int burst = 0;         // notifications of an unlisted type sent to the operator's listener 1 s before the due end
};

/// The reference, departing from it as `departure` says.
class Departing : public CloudIut {
public:
  Departing(const CloudSetup& setup, Departure departure) : inner_(setup), d_(departure) {}
  std::string name() const override { return "departing-ref"; }
  void start(CloudContext& ctx) override {
    inner_.start(ctx);
    if (d_.burst > 0)
      ctx.set_timer(kEndDue - 1 - ctx.now(), kBurst);
  }
  void on_request(CloudContext& ctx, const Message& request) override {
    if (request.type == "createHub" && callback_.empty())
      callback_ = request.body.value("callback", "");
    if (request.type != "updateCustomerBill" || d_.bill_delay == 0) {
      inner_.on_request(ctx, request);
      return;
    }
    if (d_.bill_delay < 0)
      return;
    const std::uint64_t token = kHeld + held_.size();
    held_.emplace(token, request);
    ctx.set_timer(d_.bill_delay, token);
  }
  void on_response(CloudContext& ctx, const Message& response) override { inner_.on_response(ctx, response); }
  void on_dc_event(CloudContext& ctx, const DcEvent& event) override { inner_.on_dc_event(ctx, event); }
  void on_timer(CloudContext& ctx, std::uint64_t token) override {
    if (token == kBurst) {
      for (int i = 0; i < d_.burst; ++i)
        ctx.notify(callback_, "LateBurstEvent", "LB-" + std::to_string(i),
                   {{"eventId", "LB-" + std::to_string(i)}, {"eventType", "LateBurstEvent"}, {"event", {{"n", i}}}});
      return;
    }
    if (const auto it = held_.find(token); it != held_.end()) {
      inner_.on_request(ctx, it->second);
      return;
    }
    inner_.on_timer(ctx, token);
  }

private:
  // Tokens of its own, far above the reference's (counted from 1).
  static constexpr std::uint64_t kBurst = std::uint64_t{1} << 62;
  static constexpr std::uint64_t kHeld = kBurst + 1;
  cloud::ReferenceCloud inner_;
  Departure d_;
  std::string callback_;
  std::map<std::uint64_t, Message> held_;
};

struct Outcome {
  Events events;
  double end = -1;
  std::string reason;
};

/// Runs the scenario with the reference itself, or with Departing when `departure` departs from it.
Outcome run(const std::string& settle, Departure departure, const std::string& tag, const std::string& changes = "") {
  const std::string yaml = scenario_text(settle, changes);
  const scenario::Scenario sc = scenario::load_from_string(yaml, tag + ".yaml");
  RunOptions options;
  options.out_dir = test::fresh_dir(tag);
  if (departure.bill_delay != 0 || departure.burst != 0) {
    options.iut = "departing-ref";
    options.make_iut = [departure](const CloudSetup& setup) { return std::make_unique<Departing>(setup, departure); };
  }
  const auto r = run_simulation(sc, yaml, options);
  Outcome o;
  std::ifstream in(r.events_path);
  for (std::string line; std::getline(in, line);)
    o.events.push_back(trace::from_json_line(line));
  o.end = r.results["run"]["simulated_end_s"].get<double>();
  for (const auto& e : o.events)
    if (e.type == "run.end")
      o.reason = e.data.value("reason", "");
  return o;
}

/// Bill updates the Telecom OSS sent (by correlation id) and the times of the answers it got.
struct BillUpdates {
  std::set<std::string> asked;
  std::map<std::string, double> answered;
  double last_asked = -1;
};

BillUpdates bill_updates(const Events& events) {
  BillUpdates u;
  for (const auto& e : events) {
    if (e.category != trace::Category::i1 || e.data.value("name", "") != "updateCustomerBill")
      continue;
    const std::string corr = e.data.value("corr", "");
    if (e.type == "i1.request") {
      u.asked.insert(corr);
      u.last_asked = std::max(u.last_asked, e.t);
    } else if (e.type == "i1.response") {
      u.answered.emplace(corr, e.t);
    }
  }
  return u;
}

void finish(const std::ostringstream& problems) {
  std::cerr << problems.str();
  std::exit(problems.str().empty() ? 0 : 1);
}

// An implementation that answers at once: the run ends when it always did, every bill update answered.
void answered_at_once() {
  const Outcome o = run("", {}, "at-once");
  const BillUpdates u = bill_updates(o.events);
  std::ostringstream problems;
  if (u.asked.empty() || u.answered.size() != u.asked.size())
    problems << u.asked.size() << " bill updates sent, " << u.answered.size() << " answered; some of each expected\n";
  if (std::abs(o.end - kEndDue) > 1e-6 || o.reason != "last bill cycle billed")
    problems << "the run ended at " << o.end << " s (" << o.reason << "), at " << kEndDue << " s expected\n";
  finish(problems);
}

// Answers 5 min late: the run goes on past its due end until the last answer is in, then ends within a second.
// From the last bills on it only listens: the products' terminations fall on both sides of them, and only those
// before are sent.
void answered_late() {
  const Outcome o = run("", {300, 0}, "late", "terminate: {share: 1, after: [175min, 185min]}");
  const BillUpdates u = bill_updates(o.events);
  std::ostringstream problems;
  if (u.asked.empty() || u.answered.size() != u.asked.size())
    problems << u.asked.size() << " bill updates sent, " << u.answered.size() << " answered by the end\n";
  double last = -1;
  for (const auto& [corr, t] : u.answered)
    last = std::max(last, t);
  if (!(last > kEndDue) || !(last >= u.last_asked + 300))
    problems << "the last answer came at " << last << " s, after " << kEndDue << " s and 300 s after the last update ("
             << u.last_asked << " s) expected\n";
  if (!(o.end >= last && o.end <= last + 1) || o.reason != "last bill cycle billed")
    problems << "the run ended at " << o.end << " s (" << o.reason << "), within 1 s after the last answer (" << last
             << " s) expected\n";
  std::size_t before = 0, after = 0, due_after = 0;
  for (const auto& e : o.events) {
    if (e.type == "i1.request" && e.data.value("name", "") == "createServiceOrder" && e.t > 9000)
      ++(e.data.value("sent", 0.0) <= kBilled ? before : after);
    if (e.type == "product.active" && e.t + 185 * 60 > kBilled)
      ++due_after; // its termination may fall past the last bills
  }
  if (before == 0 || after != 0 || due_after == 0)
    problems << before << " terminations sent before the last bills, " << after << " after them (none may be), "
             << due_after << " products whose termination could fall after them (some expected)\n";
  finish(problems);
}

// Never answers: the run ends billing.settle after its due end, saying how many requests went unanswered.
void never_answered() {
  const Outcome o = run("10min", {-1, 0}, "never");
  const BillUpdates u = bill_updates(o.events);
  std::ostringstream problems;
  if (u.asked.empty() || !u.answered.empty())
    problems << u.asked.size() << " bill updates sent, " << u.answered.size() << " answered; none answered expected\n";
  const std::string want = "last bill cycle billed; billing.settle over with " + std::to_string(u.asked.size()) +
                           " requests unanswered and 0 frames under way";
  if (std::abs(o.end - (kEndDue + 600)) > 1e-6 || o.reason != want)
    problems << "the run ended at " << o.end << " s (" << o.reason << "), at " << kEndDue + 600 << " s (" << want
             << ") expected\n";
  finish(problems);
}

// 2,000 notifications sent 1 s before the due end take longer than that to cross the operator's 8 connections:
// the run waits until every one of them, and every answer the listener gave, has been taken.
void notifications_under_way() {
  const Outcome o = run("", {0, 2000}, "burst");
  std::ostringstream problems;
  std::size_t heard = 0, acked = 0;
  double last = -1;
  for (const auto& e : o.events) {
    if (e.data.value("name", "") != "LateBurstEvent")
      continue;
    if (e.type == "i1.notification") {
      ++heard;
      last = std::max(last, e.t);
    }
    acked += e.type == "i1.response" ? 1 : 0;
  }
  if (heard != 2000 || acked != 2000)
    problems << heard << " notifications of the burst heard and " << acked << " answers taken, 2000 each expected\n";
  if (!(last > kEndDue) || !(o.end >= last && o.end <= last + 1) || o.reason != "last bill cycle billed")
    problems << "the last notification was heard at " << last << " s and the run ended at " << o.end << " s ("
             << o.reason << "); after " << kEndDue << " s and within 1 s after the last expected\n";
  finish(problems);
}

TEST(BilledRunEndDeathStyle, WaitsForNotificationsUnderWayAndTheirAnswers) {
  EXPECT_EXIT(notifications_under_way(), testing::ExitedWithCode(0), "");
}

TEST(BilledRunEndDeathStyle, EndsWhenDueWhenEveryRequestIsAnswered) {
  EXPECT_EXIT(answered_at_once(), testing::ExitedWithCode(0), "");
}

TEST(BilledRunEndDeathStyle, WaitsForLateAnswersToTheCloseRequests) {
  EXPECT_EXIT(answered_late(), testing::ExitedWithCode(0), "");
}

TEST(BilledRunEndDeathStyle, EndsAfterBillingSettleWhenAnswersNeverCome) {
  EXPECT_EXIT(never_answered(), testing::ExitedWithCode(0), "");
}

} // namespace
} // namespace i1sim::run::run_end_test
