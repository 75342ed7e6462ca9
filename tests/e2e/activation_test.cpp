// End to end: activation-basic run by the i1sim executable, judged against the ground truth in its trace.
#include "support/child.hpp"
#include "support/trace_file.hpp"

#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace i1sim::test {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

struct ActivationRun {
  ChildResult child;
  std::string dir;
  nlohmann::json results;
  std::vector<trace::Event> events;
};

const ActivationRun& activation_run() {
  static const ActivationRun outcome = [] {
    ActivationRun r;
    r.dir = fresh_dir("activation-basic");
    r.child = run_child({i1sim_binary(), "run", source_path("scenarios/activation-basic.yaml"), "--seed", "7", "--out", r.dir});
    if (r.child.exit_code == 0) {
      r.results = nlohmann::json::parse(slurp(r.dir + "/results.json"));
      r.events = read_trace(r.dir + "/events.jsonl");
    }
    return r;
  }();
  return outcome;
}

class ActivationBasic : public testing::Test {
protected:
  void SetUp() override {
    const ActivationRun& r = activation_run();
    ASSERT_EQ(r.child.exit_code, 0) << r.child.err;
  }
  static const ActivationRun& outcome() { return activation_run(); }
};

TEST_F(ActivationBasic, PrintsWhereTheResultsAre) {
  EXPECT_NE(outcome().child.out.find("results: " + outcome().dir + "/results.json"), std::string::npos) << outcome().child.out;
  EXPECT_NE(outcome().child.out.find("events:  " + outcome().dir + "/events.jsonl"), std::string::npos) << outcome().child.out;
}

TEST_F(ActivationBasic, EveryOneOfThe200OrdersCompletes) {
  const auto& orders = outcome().results["metrics"]["orders"];
  EXPECT_EQ(orders["submitted"], 200);
  EXPECT_EQ(orders["completed"], 200);
  EXPECT_EQ(orders["failed"], 0);
  EXPECT_EQ(orders["unresolved"], 0);
  std::set<std::string> submitted, active;
  for (const auto& e : outcome().events) {
    if (e.type == "order.submitted")
      submitted.insert(e.data["productOrder"].get<std::string>());
    if (e.type == "product.active")
      active.insert(e.data["productOrder"].get<std::string>());
  }
  EXPECT_EQ(submitted.size(), 200u);
  EXPECT_EQ(active, submitted);
}

TEST_F(ActivationBasic, NoHostIsEverAllocatedBeyondItsCapacity) {
  struct Used {
    long long cores = 0;
    double ram = 0, disk = 0;
  };
  std::map<std::string, Used> used;
  std::size_t placements = 0;
  for (const auto& e : outcome().events) {
    if (e.category != trace::Category::truth)
      continue;
    const auto& d = e.data;
    if (e.type == "vm.placed") {
      ++placements;
      Used& u = used[d["host"].get<std::string>()];
      u.cores += d["vcpu"].get<long long>();
      u.ram += d["ram"].get<double>();
      u.disk += d["disk"].get<double>();
      EXPECT_LE(u.cores, d["host_cores"].get<long long>()) << "event " << e.id;
      EXPECT_LE(u.ram, d["host_ram"].get<double>()) << "event " << e.id;
      EXPECT_LE(u.disk, d["host_disk"].get<double>()) << "event " << e.id;
      EXPECT_GE(d["host_speed"].get<double>(), d["min_core_speed"].get<double>()) << "event " << e.id;
    } else if ((e.type == "vm.destroyed" || e.type == "vm.failed") && !d["host"].get<std::string>().empty()) {
      Used& u = used[d["host"].get<std::string>()];
      u.cores -= d["vcpu"].get<long long>();
      u.ram -= d["ram"].get<double>();
      u.disk -= d["disk"].get<double>();
    }
  }
  EXPECT_EQ(placements, 200u);
}

TEST_F(ActivationBasic, EveryServiceReportedActiveRunsTheCapacityItsOrderAskedForInGroundTruth) {
  // What the Telecom OSS asked for, by externalId: one entry per order item.
  std::map<std::string, nlohmann::json> requested;
  // What the Cloud side said: service id -> (externalId, item id), and when the service was reported active.
  std::map<std::string, std::pair<std::string, std::string>> service_item;
  std::map<std::string, double> reported_active;
  // What really happened: VMs per owner, with their shape and boot time; destroyed or failed VMs.
  struct Vm {
    nlohmann::ordered_json placed;
    double booted = -1;
    bool gone = false;
  };
  std::map<std::string, std::map<std::uint64_t, Vm>> vms;
  for (const auto& e : outcome().events) {
    const auto& d = e.data;
    if (e.type == "i1.request" && d["name"] == "createServiceOrder")
      requested[d["body"]["externalId"].get<std::string>()] = d["body"]["serviceOrderItem"];
    if (e.type == "i1.notification" && d["name"] == "ServiceOrderStateChangeEvent") {
      const auto& order = d["body"]["event"]["serviceOrder"];
      for (const auto& item : order["serviceOrderItem"])
        service_item[item["service"]["id"].get<std::string>()] = {order["externalId"].get<std::string>(),
                                                                  item["id"].get<std::string>()};
    }
    if (e.type == "i1.notification" && d["name"] == "ServiceStateChangeEvent" &&
        d["body"]["event"]["service"]["state"] == "active")
      reported_active[d["body"]["event"]["service"]["id"].get<std::string>()] = e.t;
    if (e.type == "vm.placed")
      vms[d["owner"].get<std::string>()][d["vm"].get<std::uint64_t>()].placed = d;
    if (e.type == "vm.booted")
      vms[d["owner"].get<std::string>()][d["vm"].get<std::uint64_t>()].booted = e.t;
    if (e.type == "vm.destroyed" || e.type == "vm.failed")
      vms[d["owner"].get<std::string>()][d["vm"].get<std::uint64_t>()].gone = true;
  }
  ASSERT_EQ(reported_active.size(), 200u);
  for (const auto& [service, when] : reported_active) {
    SCOPED_TRACE(service);
    ASSERT_TRUE(service_item.count(service));
    const auto& [external_id, item_id] = service_item.at(service);
    nlohmann::json chars;
    for (const auto& item : requested.at(external_id))
      if (item["id"] == item_id)
        chars = item["service"]["serviceCharacteristic"];
    std::map<std::string, double> want;
    for (const auto& c : chars)
      want[c["name"].get<std::string>()] = c["value"].get<double>();
    const auto& mine = vms[service];
    ASSERT_EQ(static_cast<double>(mine.size()), want.at("instances"));
    for (const auto& [id, vm] : mine) {
      EXPECT_FALSE(vm.gone) << "vm " << id << " no longer runs";
      ASSERT_GE(vm.booted, 0) << "vm " << id << " never booted";
      EXPECT_LE(vm.booted, when) << "service reported active before vm " << id << " booted";
      EXPECT_EQ(vm.placed["vcpu"].get<double>(), want.at("vCPU"));
      EXPECT_EQ(vm.placed["ram"].get<double>(), want.at("memoryMiB") * kMiB);
      EXPECT_EQ(vm.placed["disk"].get<double>(), want.at("storageMiB") * kMiB);
      EXPECT_GE(vm.placed["host_speed"].get<double>(), want.at("minCoreSpeedGflops") * 1e9);
    }
  }
}

TEST_F(ActivationBasic, EveryRequestAndNotificationGetsExactlyOneResponse) {
  std::map<std::string, int> open; // correlation id -> responses still expected
  for (const auto& e : outcome().events) {
    if (e.category != trace::Category::i1)
      continue;
    const std::string corr = e.data["corr"].get<std::string>();
    if (e.type == "i1.request" || e.type == "i1.notification") {
      EXPECT_EQ(open.count(corr), 0u) << "correlation id reused: " << corr;
      open[corr] = 1;
    } else if (e.type == "i1.response") {
      ASSERT_EQ(open.count(corr), 1u) << "response to nothing: " << corr;
      EXPECT_EQ(--open[corr], 0) << "second response to " << corr;
    } else {
      ADD_FAILURE() << "unexpected " << e.type << " in event " << e.id;
    }
  }
  for (const auto& [corr, left] : open)
    EXPECT_EQ(left, 0) << corr << " never answered";
}

TEST_F(ActivationBasic, EventTimesNeverGoBackwardsAndIdsCountUp) {
  double t = 0;
  std::uint64_t id = 0;
  for (const auto& e : outcome().events) {
    EXPECT_GE(e.t, t) << "event " << e.id;
    EXPECT_EQ(e.id, ++id);
    t = e.t;
  }
  EXPECT_EQ(outcome().results["run"]["events"].get<std::uint64_t>(), id);
}

} // namespace
} // namespace i1sim::test
