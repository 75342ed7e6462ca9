// End to end: a data centre too small for its orders. Orders beyond its capacity fail, with the reason the
// data centre gave, and no host is ever overcommitted.
#include "support/child.hpp"
#include "support/ground_truth.hpp"
#include "support/trace_file.hpp"

#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace i1sim::test::capacity_test {
namespace {

using testing::HasSubstr;
using testing::IsEmpty;

// One host of 4 cores takes two 2-vCPU VMs; five orders arrive one second apart.
constexpr const char* kTinyDc = R"(name: tiny-dc
seed: 5
platform:
  operator_site: {name: operator}
  cloud_site: {name: cloud}
  data_centres:
    - name: dc-tiny
      jurisdiction: DE
      network: {nic_bandwidth: 10Gbps, fabric_bandwidth: 10Gbps}
      hosts:
        - {name: h, count: 1, cores: 4, speed: 3Gf, ram: 64GiB, disk: 1TiB}
  wan:
    - {between: [operator, cloud], bandwidth: 1Gbps, latency: 5ms}
    - {between: [cloud, dc-tiny], bandwidth: 10Gbps, latency: 1ms}
catalogue:
  cloud_services:
    - {id: vm, vcpu: 2, ram: 4GiB, storage: 20GiB, image: {size: 1GiB, boot_work: 30Gf}}
  products:
    - {id: p, cloud_services: [vm]}
workload:
  orders: 5
  arrival: {process: fixed, rate: 1/s}
  mix: [{product: p}]
stop:
  max_time: 1h
)";

TEST(Capacity, OrdersBeyondTheDataCentresCapacityFailWithItsReason) {
  const auto dir = fresh_dir("tiny-dc");
  std::ofstream(dir + "/tiny.yaml") << kTinyDc;
  const auto r = run_child({i1sim_binary(), "run", dir + "/tiny.yaml", "--out", dir + "/out"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto results = nlohmann::json::parse(slurp(dir + "/out/results.json"));
  EXPECT_EQ(results["metrics"]["orders"]["completed"], 2);
  EXPECT_EQ(results["metrics"]["orders"]["failed"], 3);
  EXPECT_EQ(results["metrics"]["orders"]["unresolved"], 0);
  EXPECT_EQ(results["metrics"]["vms"]["booted"], 2);
  EXPECT_EQ(results["metrics"]["vms"]["failed"], 3);

  const auto events = read_trace(dir + "/out/events.jsonl");
  EXPECT_THAT(capacity_problems(events), IsEmpty());
  EXPECT_THAT(activation_problems(events), IsEmpty());
  EXPECT_THAT(correlation_problems(events), IsEmpty());
  int failed = 0;
  for (const auto& e : events)
    if (e.type == "product.failed") {
      ++failed;
      EXPECT_THAT(e.data["reason"].get<std::string>(), HasSubstr("service order failed: noCapacity"));
    }
  EXPECT_EQ(failed, 3);
}

} // namespace
} // namespace i1sim::test::capacity_test
