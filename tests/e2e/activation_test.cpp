// End to end: activation-basic run by the i1sim executable, judged against the ground truth in its trace.
#include "support/child.hpp"
#include "support/ground_truth.hpp"
#include "support/trace_file.hpp"

#include <algorithm>
#include <functional>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace i1sim::test::activation_test {
namespace {

using testing::Contains;
using testing::HasSubstr;
using testing::IsEmpty;
using testing::Not;

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
    r.child = run_child(
        {i1sim_binary(), "run", source_path("scenarios/activation-basic.yaml"), "--seed", "7", "--out", r.dir});
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
  EXPECT_NE(outcome().child.out.find("results: " + outcome().dir + "/results.json"), std::string::npos)
      << outcome().child.out;
  EXPECT_NE(outcome().child.out.find("events:  " + outcome().dir + "/events.jsonl"), std::string::npos)
      << outcome().child.out;
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
  std::size_t placements = 0;
  for (const auto& e : outcome().events)
    placements += e.type == "vm.placed" ? 1 : 0;
  EXPECT_EQ(placements, 200u);
  EXPECT_THAT(capacity_problems(outcome().events), IsEmpty());
}

TEST_F(ActivationBasic, EveryServiceReportedActiveRunsTheCapacityItsOrderAskedForInGroundTruth) {
  std::size_t active = 0;
  EXPECT_THAT(activation_problems(outcome().events, &active), IsEmpty());
  EXPECT_EQ(active, 200u);
}

TEST_F(ActivationBasic, EveryRequestAndNotificationGetsExactlyOneResponse) {
  EXPECT_THAT(correlation_problems(outcome().events), IsEmpty());
}

// The checks above must be able to fail: each tampered copy of the real trace carries one defect that an
// implementation or the world could have, and its check must name it.

std::vector<trace::Event> tampered(const std::function<bool(trace::Event&)>& change) {
  auto events = activation_run().events;
  bool changed = false;
  for (auto& e : events)
    if (!changed && change(e))
      changed = true;
  EXPECT_TRUE(changed) << "the tampering found nothing to change";
  return events;
}

TEST_F(ActivationBasic, CapacityCheckCatchesAnOvercommittedHost) {
  const auto events = tampered([](trace::Event& e) {
    if (e.type != "vm.placed")
      return false;
    e.data["vcpu"] = e.data["host_cores"].get<long long>() + 1;
    return true;
  });
  EXPECT_THAT(capacity_problems(events), Not(IsEmpty()));
}

TEST_F(ActivationBasic, CapacityCheckCatchesAHostSlowerThanRequired) {
  const auto events = tampered([](trace::Event& e) {
    if (e.type != "vm.placed")
      return false;
    e.data["host_speed"] = e.data["min_core_speed"].get<double>() / 2;
    return true;
  });
  EXPECT_THAT(capacity_problems(events), Not(IsEmpty()));
}

TEST_F(ActivationBasic, ActivationCheckCatchesActiveReportedBeforeTheVmBooted) {
  const auto events = tampered([](trace::Event& e) {
    if (e.type != "vm.booted")
      return false;
    e.t += 1e6;
    return true;
  });
  EXPECT_THAT(activation_problems(events), Contains(HasSubstr("before it booted")));
}

TEST_F(ActivationBasic, ActivationCheckCatchesAVmSmallerThanOrdered) {
  const auto events = tampered([](trace::Event& e) {
    if (e.type != "vm.placed")
      return false;
    e.data["ram"] = e.data["ram"].get<double>() / 2;
    return true;
  });
  EXPECT_THAT(activation_problems(events), Contains(HasSubstr("shape differs")));
}

TEST_F(ActivationBasic, ActivationCheckCatchesAServiceWhoseVmNeverBooted) {
  const auto events = tampered([](trace::Event& e) {
    if (e.type != "vm.booted")
      return false;
    e.type = "vm.placed.again"; // the boot never happened
    return true;
  });
  EXPECT_THAT(activation_problems(events), Contains(HasSubstr("never booted")));
}

TEST_F(ActivationBasic, ActivationCheckCatchesAVmDestroyedWhileReportedActive) {
  auto events = activation_run().events;
  for (const auto& e : activation_run().events)
    if (e.type == "vm.booted") {
      trace::Event gone = e;
      gone.type = "vm.destroyed";
      events.push_back(gone);
      break;
    }
  EXPECT_THAT(activation_problems(events), Contains(HasSubstr("no longer runs")));
}

TEST_F(ActivationBasic, CorrelationCheckCatchesAMissingAndADuplicatedResponse) {
  auto events = activation_run().events;
  const auto first =
      std::find_if(events.begin(), events.end(), [](const trace::Event& e) { return e.type == "i1.response"; });
  ASSERT_NE(first, events.end());
  const auto at = first - events.begin();
  const trace::Event copy = *first;
  events.push_back(copy);
  EXPECT_THAT(correlation_problems(events), Contains(HasSubstr("second response")));
  events.pop_back();
  events.erase(events.begin() + at);
  EXPECT_THAT(correlation_problems(events), Contains(HasSubstr("never answered")));
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
} // namespace i1sim::test::activation_test
