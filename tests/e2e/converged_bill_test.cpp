// End to end: converged-bill run by the i1sim executable; every converged bill reconciled with an oracle.
#include "conformance/oracles/bill_oracle.hpp"
#include "support/child.hpp"
#include "support/shared_run.hpp"
#include "support/trace_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <functional>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace i1sim::test::converged_bill_test {
namespace {

using conformance::bill_differences;
using conformance::BillDifference;
using conformance::BillKey;
using conformance::difference_table;
using conformance::expected_bills;
using conformance::ExpectedBill;
using conformance::issued_bills;
using conformance::usage_differences;
using testing::IsEmpty;

struct BillRun {
  ChildResult child;
  std::string dir;
  std::vector<trace::Event> events;
};

const scenario::Scenario& converged_bill() {
  static const scenario::Scenario sc = scenario::load(source_path("scenarios/converged-bill.yaml"));
  return sc;
}

/// Each seed runs once per test process, whichever test asks first.
const BillRun& bill_run(int seed) {
  static std::map<int, BillRun> runs;
  auto found = runs.find(seed);
  if (found != runs.end())
    return found->second;
  BillRun r;
  const std::string scenario = source_path("scenarios/converged-bill.yaml");
  SharedRun shared = shared_run({scenario, "--iut", "ref", "--seed", std::to_string(seed)}, scenario);
  r.dir = shared.dir;
  r.child = shared.child;
  if (r.child.exit_code == 0)
    r.events = read_trace(r.dir + "/events.jsonl");
  return runs.emplace(seed, std::move(r)).first->second;
}

std::string lines(const std::vector<std::pair<BillKey, std::string>>& items) {
  std::string out;
  for (const auto& [key, what] : items)
    out += fmt::format("{} cycle {}: {}\n", key.first, key.second, what);
  return out;
}

std::set<BillKey> keys_of(const std::map<BillKey, ExpectedBill>& bills) {
  std::set<BillKey> out;
  for (const auto& [key, bill] : bills)
    out.insert(key);
  return out;
}

class ConvergedBillSeed : public testing::TestWithParam<int> {
protected:
  void SetUp() override {
    const BillRun& r = run();
    ASSERT_EQ(r.child.exit_code, 0) << r.child.err;
    ASSERT_FALSE(r.events.empty());
  }
  const BillRun& run() const { return bill_run(GetParam()); }
  const std::vector<trace::Event>& events() const { return run().events; }
};

TEST_P(ConvergedBillSeed, IssuedBillsAreExactlyTheCustomerCyclesWithChargesOrUsage) {
  std::vector<BillKey> duplicates;
  const auto issued = issued_bills(events(), &duplicates);
  EXPECT_THAT(duplicates, IsEmpty());
  EXPECT_EQ(keys_of(issued), keys_of(expected_bills(converged_bill(), events())));
}

TEST_P(ConvergedBillSeed, EveryIssuedBillEqualsTheIndependentComputationToTheUnit) {
  const auto expected = expected_bills(converged_bill(), events());
  const auto differences = bill_differences(expected, events());
  EXPECT_THAT(differences, IsEmpty()) << differences.size() << " differences over " << expected.size()
                                      << " expected bills:\n"
                                      << difference_table(differences);
}

TEST_P(ConvergedBillSeed, EveryUsageRecordMetersWhatItsServiceHeldInGroundTruth) {
  const auto differences = usage_differences(converged_bill(), events());
  EXPECT_THAT(differences, IsEmpty()) << differences.size() << " differences:\n" << lines(differences);
}

// Without these, an oracle and an implementation that both ignore a feature would agree vacuously.
TEST_P(ConvergedBillSeed, TheRunExercisesCreditsModificationsTerminationsAndTwoCycles) {
  std::size_t terminated = 0, modified = 0, credited = 0;
  for (const auto& e : events()) {
    terminated += e.type == "product.terminated" ? 1 : 0;
    modified += e.type == "product.modified" ? 1 : 0;
  }
  std::set<int> cycles;
  for (const auto& [key, bill] : issued_bills(events())) {
    cycles.insert(key.second);
    credited += bill.credits > 0 ? 1 : 0;
  }
  EXPECT_GE(terminated, 1u);
  EXPECT_GE(modified, 1u);
  EXPECT_GE(credited, 1u);
  EXPECT_EQ(cycles, (std::set<int>{0, 1}));
  std::size_t expected_credited = 0;
  for (const auto& [key, bill] : expected_bills(converged_bill(), events()))
    expected_credited += bill.credits > 0 ? 1 : 0;
  EXPECT_GE(expected_credited, 1u);
}

TEST_P(ConvergedBillSeed, AnOrderSentTwiceIsAnsweredWithTheOriginalAndCreatedOnce) {
  std::size_t replayed = 0, created = 0;
  std::set<std::string> external_ids;
  for (const auto& e : events()) {
    const auto& d = e.data;
    if (e.type == "order.replayed") {
      ++replayed;
      EXPECT_EQ(d.value("same", false), true) << "event " << e.id;
      EXPECT_EQ(d.value("status", 0), 200) << "event " << e.id;
    }
    if (e.type == "i1.request" && d.value("name", "") == "createServiceOrder")
      external_ids.insert(e.body()->value("externalId", ""));
    if (e.type == "i1.response" && d.value("name", "") == "createServiceOrder" && d.value("status", 0) == 201)
      ++created;
  }
  EXPECT_GE(replayed, 1u);
  EXPECT_EQ(created, external_ids.size());
}

TEST_P(ConvergedBillSeed, UsageDeliveredTwiceIsBilledOnce) {
  std::int64_t duplicates = 0;
  std::size_t collections = 0;
  for (const auto& e : events())
    if (e.type == "usage.collected") {
      ++collections;
      duplicates += e.data.value("duplicates", std::int64_t{0});
    }
  EXPECT_GE(collections, 1u);
  EXPECT_GT(duplicates, 0);
  const auto differences = bill_differences(expected_bills(converged_bill(), events()), events());
  EXPECT_THAT(differences, IsEmpty()) << difference_table(differences);
}

// Seeds 16 and 17 add what 11-13 lack: VMs still down when the run ends (16), outages across a cycle boundary
// and VMs destroyed while down (17).
INSTANTIATE_TEST_SUITE_P(ConvergedBill, ConvergedBillSeed, testing::Values(11, 12, 13, 16, 17),
                         [](const testing::TestParamInfo<int>& seed) { return "seed" + std::to_string(seed.param); });

// The oracle must be able to fail: each tampered copy of seed 11's trace carries one defect, and the check
// must name the customer and cycle it touches.

// Each of the two delayed-destruction tests recomputes every usage record of the month twice: 40 s apiece under
// the sanitizers, a tenth of CI's sanitizer suite, for code the other tampering tests run there too.
#ifdef __SANITIZE_ADDRESS__
#define SKIP_UNDER_SANITIZERS() GTEST_SKIP() << "runs in the normal build (two full recomputations of the month)"
#else
#define SKIP_UNDER_SANITIZERS() static_cast<void>(0)
#endif

class ConvergedBillTampering : public testing::Test {
protected:
  void SetUp() override { ASSERT_EQ(bill_run(11).child.exit_code, 0) << bill_run(11).child.err; }
  static const std::vector<trace::Event>& events() { return bill_run(11).events; }
  static std::string customer_of_service(const std::string& service) {
    std::map<std::string, std::string> order_customer;
    for (const auto& e : events())
      if (e.type == "order.submitted")
        order_customer[e.data["productOrder"].get<std::string>()] = e.data["customer"].get<std::string>();
    for (const auto& e : events())
      if (e.type == "service.ordered" && e.data["service"] == service)
        return order_customer[e.data["productOrder"].get<std::string>()];
    return "";
  }
  /// The first destruction of a VM that had booted, early enough in its cycle that `delay` later is still in it.
  static std::size_t destruction_to_delay(double delay) {
    const scenario::Scenario& sc = converged_bill();
    std::set<std::string> booted;
    for (std::size_t i = 0; i < events().size(); ++i) {
      const auto& e = events()[i];
      if (e.category != trace::Category::truth)
        continue;
      const std::string vm = e.data.value("dc", "") + "/" + e.data.value("vm", nlohmann::ordered_json()).dump();
      if (e.type == "vm.booted")
        booted.insert(vm);
      if (e.type == "vm.destroyed" && booted.contains(vm) && e.t / sc.billing.cycle < sc.billing.cycles &&
          std::fmod(e.t, sc.billing.cycle) + delay + 1 < sc.billing.cycle)
        return i;
    }
    return events().size();
  }
  /// The bill differences the tampering brings that the real trace does not have.
  static std::vector<BillDifference> new_bill_differences(const std::vector<trace::Event>& truth,
                                                          const std::vector<trace::Event>& issued) {
    const auto before = bill_differences(expected_bills(converged_bill(), events()), events());
    std::vector<BillDifference> out;
    for (const auto& d : bill_differences(expected_bills(converged_bill(), truth), issued))
      if (std::none_of(before.begin(), before.end(), [&](const BillDifference& b) {
            return b.bill == d.bill && b.what == d.what && b.expected == d.expected && b.issued == d.issued;
          }))
        out.push_back(d);
    return out;
  }
};

TEST_F(ConvergedBillTampering, AVmDestroyedOneSecondLaterIsCaughtInItsCustomersCycle) {
  SKIP_UNDER_SANITIZERS();
  const scenario::Scenario& sc = converged_bill();
  const std::size_t at = destruction_to_delay(1);
  ASSERT_LT(at, events().size()) << "no booted VM destroyed within the billed cycles";
  auto tampered = events();
  tampered[at].t += 1;
  const std::string service = tampered[at].data["owner"].get<std::string>();
  const BillKey where{customer_of_service(service), static_cast<int>(events()[at].t / sc.billing.cycle)};
  // One second of a VM is worth about a thousandth of a cent, so the rounded bill rarely moves; the metered
  // quantities, kept to the millisecond, always do.
  const auto before = usage_differences(sc, events());
  auto differences = usage_differences(sc, tampered);
  std::erase_if(differences, [&](const auto& d) { return std::find(before.begin(), before.end(), d) != before.end(); });
  ASSERT_EQ(differences.size(), 1u) << lines(differences);
  EXPECT_EQ(differences[0].first, where) << lines(differences);
  EXPECT_THAT(differences[0].second, testing::HasSubstr(service + " ["));
}

TEST_F(ConvergedBillTampering, AVmDestroyedAnHourLaterChangesItsCustomersBill) {
  SKIP_UNDER_SANITIZERS();
  const scenario::Scenario& sc = converged_bill();
  const std::size_t at = destruction_to_delay(3600);
  ASSERT_LT(at, events().size()) << "no booted VM destroyed within the billed cycles";
  auto tampered = events();
  tampered[at].t += 3600;
  const std::string service = tampered[at].data["owner"].get<std::string>();
  const BillKey where{customer_of_service(service), static_cast<int>(events()[at].t / sc.billing.cycle)};
  const auto differences = new_bill_differences(tampered, events());
  ASSERT_FALSE(differences.empty());
  for (const auto& d : differences)
    EXPECT_EQ(d.bill, where) << difference_table(differences);
  EXPECT_TRUE(std::any_of(differences.begin(), differences.end(), [](const BillDifference& d) {
    return d.what == "cloud";
  })) << difference_table(differences);
}

TEST_F(ConvergedBillTampering, AHostOutageLeftOutOfTheTraceRemovesACreditTheBillHas) {
  // The outage to drop: the only one, in its cycle, of a service with a single machine, and longer than the
  // service's objective allows, so that without it the service complies and its credit must disappear.
  const scenario::Scenario& sc = converged_bill();
  const double cycle = sc.billing.cycle;
  std::map<std::string, std::set<std::string>> machines; // service -> "dc/vm"
  std::map<std::string, std::string> service_product;    // service -> product
  std::map<std::string, std::string> order_product;
  for (const auto& e : events()) {
    if (e.type == "order.submitted")
      order_product[e.data["productOrder"].get<std::string>()] = e.data["product"].get<std::string>();
    if (e.type == "service.ordered")
      service_product[e.data["service"].get<std::string>()] = order_product[e.data["productOrder"].get<std::string>()];
    if (e.type == "vm.booted")
      machines[e.data["owner"].get<std::string>()].insert(e.data["dc"].get<std::string>() + "/" + e.data["vm"].dump());
  }
  struct Outage {
    std::size_t down = 0, up = 0;
  };
  std::map<std::pair<std::string, int>, std::vector<Outage>> outages; // (service, cycle)
  std::map<std::string, std::size_t> open;                            // "dc/vm" -> index of vm.down
  for (std::size_t i = 0; i < events().size(); ++i) {
    const auto& e = events()[i];
    if (e.category != trace::Category::truth || (e.type != "vm.down" && e.type != "vm.up"))
      continue;
    const std::string vm = e.data["dc"].get<std::string>() + "/" + e.data["vm"].dump();
    if (e.type == "vm.down") {
      open[vm] = i;
      continue;
    }
    const auto down = open.find(vm);
    if (down == open.end())
      continue;
    const auto& d = events()[down->second];
    const int c = static_cast<int>(d.t / cycle);
    if (static_cast<int>(e.t / cycle) == c && c < sc.billing.cycles)
      outages[{e.data["owner"].get<std::string>(), c}].push_back({down->second, i});
    else
      outages[{e.data["owner"].get<std::string>(), c}].push_back({0, 0}); // spans cycles: not a clean case
    open.erase(down);
  }
  std::string service;
  int c = -1;
  Outage chosen;
  for (const auto& [key, list] : outages) {
    const auto* product = sc.catalogue.find_product(service_product[key.first]);
    if (list.size() != 1 || list[0].up == 0 || machines[key.first].size() != 1 || !product)
      continue;
    const auto* spec = sc.catalogue.find_cloud_service(product->cloud_services.front());
    const double allowed = cycle * static_cast<double>(100000 - spec->sla.availability_millipercent) / 100000;
    if (events()[list[0].up].t - events()[list[0].down].t > allowed + 1) {
      std::tie(service, c) = key;
      chosen = list[0];
      break;
    }
  }
  ASSERT_FALSE(service.empty()) << "no outage alone breaks a single-machine service's objective";
  const BillKey where{customer_of_service(service), c};
  ASSERT_GT(issued_bills(events()).at(where).credits, 0) << where.first << " cycle " << c;

  auto tampered = events();
  tampered.erase(tampered.begin() + static_cast<std::ptrdiff_t>(chosen.up));
  tampered.erase(tampered.begin() + static_cast<std::ptrdiff_t>(chosen.down));
  const auto differences = new_bill_differences(tampered, events());
  ASSERT_FALSE(differences.empty());
  for (const auto& d : differences)
    EXPECT_EQ(d.bill, where) << difference_table(differences);
  EXPECT_TRUE(std::any_of(differences.begin(), differences.end(), [](const BillDifference& d) {
    return d.what == "credits" && d.expected < d.issued;
  })) << difference_table(differences);
}

TEST_F(ConvergedBillTampering, ABillTotalOneUnitOffIsCaught) {
  auto tampered = events();
  BillKey where;
  for (auto& e : tampered)
    if (e.type == "bill.issued") {
      where = {e.data["customer"].get<std::string>(), e.data["cycle"].get<int>()};
      e.data["total"] = e.data["total"].get<std::int64_t>() + 1;
      break;
    }
  ASSERT_FALSE(where.first.empty());
  const auto differences = new_bill_differences(events(), tampered);
  ASSERT_EQ(differences.size(), 1u) << difference_table(differences);
  EXPECT_EQ(differences[0].bill, where);
  EXPECT_EQ(differences[0].what, "total");
  EXPECT_EQ(differences[0].issued, differences[0].expected + 1) << difference_table(differences);
}

} // namespace
} // namespace i1sim::test::converged_bill_test
