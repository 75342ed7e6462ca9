// End to end: a service whose VMs cannot all be placed is torn down (its placed VMs destroyed, capacity given
// back), and a run that hits stop.max_time ends there with its unfinished orders counted as unresolved.
#include "support/child.hpp"
#include "support/ground_truth.hpp"
#include "support/trace_file.hpp"

#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>

namespace i1sim::test::lifecycle_test {
namespace {

using testing::IsEmpty;

std::string scenario(const std::string& instances, const std::string& orders, const std::string& max_time) {
  return R"(name: lifecycle
seed: 3
platform:
  operator_site: {name: operator}
  cloud_site: {name: cloud}
  data_centres:
    - name: dc
      jurisdiction: NL
      network: {nic_bandwidth: 10Gbps, fabric_bandwidth: 40Gbps}
      hosts:
        - {name: h, count: 2, cores: 8, speed: 3Gf, ram: 64GiB, disk: 1TiB}
  wan:
    - {between: [operator, cloud], bandwidth: 1Gbps, latency: 5ms}
    - {between: [cloud, dc], bandwidth: 10Gbps, latency: 1ms}
catalogue:
  cloud_services:
    - {id: cluster, instances: )" +
         instances + R"(, vcpu: 4, ram: 8GiB, storage: 50GiB, image: {size: 8GiB, boot_work: 90Gf}}
  products:
    - {id: p, cloud_services: [cluster]}
workload:
  orders: )" +
         orders +
         R"(
  arrival: {process: fixed, rate: 1/s}
  mix: [{product: p}]
stop:
  max_time: )" +
         max_time + "\n";
}

struct Outcome {
  ChildResult child;
  nlohmann::json results;
  std::vector<trace::Event> events;
};

Outcome run_scenario(const std::string& name, const std::string& text) {
  const auto dir = fresh_dir(name);
  std::ofstream(dir + "/s.yaml") << text;
  Outcome o;
  o.child = run_child({i1sim_binary(), "run", dir + "/s.yaml", "--out", dir + "/out"});
  if (o.child.exit_code == 0) {
    o.results = nlohmann::json::parse(slurp(dir + "/out/results.json"));
    o.events = read_trace(dir + "/out/events.jsonl");
  }
  return o;
}

TEST(Lifecycle, AServiceThatCannotGetAllItsVmsIsTornDownAndItsCapacityReturned) {
  // 2 hosts x 8 cores hold four 4-vCPU VMs; a service of 5 cannot be completed.
  const Outcome o = run_scenario("teardown", scenario("5", "1", "1h"));
  ASSERT_EQ(o.child.exit_code, 0) << o.child.err;
  EXPECT_EQ(o.results["metrics"]["orders"]["failed"], 1);
  EXPECT_EQ(o.results["metrics"]["vms"]["failed"], 1);
  EXPECT_EQ(o.results["metrics"]["vms"]["destroyed"], 4); // every VM that had been placed
  EXPECT_THAT(capacity_problems(o.events), IsEmpty());
  EXPECT_THAT(correlation_problems(o.events), IsEmpty());
  // At the end no host holds anything: capacity in ground truth is back to zero use.
  std::map<std::string, long long> used;
  for (const auto& e : o.events) {
    if (e.type == "vm.placed")
      used[e.data["host"].get<std::string>()] += e.data["vcpu"].get<long long>();
    if ((e.type == "vm.destroyed" || e.type == "vm.failed") && !e.data["host"].get<std::string>().empty())
      used[e.data["host"].get<std::string>()] -= e.data["vcpu"].get<long long>();
  }
  for (const auto& [host, cores] : used)
    EXPECT_EQ(cores, 0) << host;
  // The service was reported terminated, and never active.
  std::vector<std::string> states;
  for (const auto& e : o.events)
    if (e.type == "i1.notification" && e.data["name"] == "ServiceStateChangeEvent")
      states.push_back(e.body()->at("event").at("service").at("state").get<std::string>());
  EXPECT_THAT(states, testing::Not(testing::Contains("active")));
  EXPECT_THAT(states, testing::Contains("terminated"));
}

TEST(Lifecycle, ARunThatReachesMaxTimeEndsThereWithUnfinishedOrdersUnresolved) {
  // Three orders one second apart, room for all; each needs over half a minute to provision. Stop after 10 s.
  const Outcome o = run_scenario("max-time", scenario("1", "3", "10s"));
  ASSERT_EQ(o.child.exit_code, 0) << o.child.err;
  EXPECT_EQ(o.results["run"]["simulated_end_s"], 10.0);
  EXPECT_EQ(o.results["metrics"]["orders"]["submitted"], 3);
  EXPECT_EQ(o.results["metrics"]["orders"]["unresolved"], 3);
  EXPECT_EQ(o.results["metrics"]["vms"]["booted"], 0);
  EXPECT_EQ(o.results["metrics"]["order_to_active_s"], nlohmann::json({{"count", 0}}));
  ASSERT_FALSE(o.events.empty());
  EXPECT_EQ(o.events.back().type, "run.end");
  EXPECT_EQ(o.events.back().data["reason"], "stop.max_time reached");
}

} // namespace
} // namespace i1sim::test::lifecycle_test
