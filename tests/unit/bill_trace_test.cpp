// Unit tests of the bill oracle's compact trace and usage ledger: on a small hand-built trace they must judge as the
// rules do on the events, with the expected amounts worked out by hand from the catalogue.
#include "conformance/oracles/bill_oracle.hpp"
#include "conformance/oracles/billing_oracle.hpp"
#include "scenario/scenario.hpp"

#include <cstdint>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace i1sim::conformance::bill_trace_test {
namespace {

using Json = nlohmann::ordered_json;
using ::testing::HasSubstr;

const scenario::Scenario& converged_bill() {
  static const scenario::Scenario sc = scenario::load(I1SIM_SOURCE_DIR "/scenarios/converged-bill.yaml");
  return sc;
}

constexpr double kHour = 3600;
constexpr std::int64_t kGiB = 1024LL * 1024 * 1024;

trace::Event tester(double t, std::string type, Json data) {
  return {0, t, trace::Category::tester, std::move(type), std::move(data)};
}

trace::Event vm(double t, std::string type, std::uint64_t id, const std::string& owner) {
  Json d = {{"dc", "dc-paris"}, {"vm", id}, {"owner", owner}, {"host", "dc-paris.std-00000"}};
  if (type == "vm.booted") {
    d["vcpu"] = 2;
    d["ram"] = static_cast<double>(4 * kGiB); // as the simulator writes it
    d["disk"] = static_cast<double>(40 * kGiB);
  }
  return {0, t, trace::Category::truth, std::move(type), std::move(d)};
}

Json usage_record(const std::string& id, const std::string& service, const std::string& from, const std::string& to,
                  std::int64_t amount) {
  return {{"id", id},
          {"service", {{"id", service}}},
          {"relatedParty", Json::array({{{"id", "CUST-A"}, {"role", "customer"}}})},
          {"usagePeriod", {{"startDateTime", from}, {"endDateTime", to}}},
          {"usageCharacteristic", Json::array({{{"name", "vcpuMilliseconds"}, {"value", 1}},
                                               {{"name", "ramMiBMilliseconds"}, {"value", 2}},
                                               {{"name", "storageMiBMilliseconds"}, {"value", 3}}})},
          {"ratedProductUsage", Json::array({{{"taxExcludedRatingAmount", {{"value", amount}}}}})}};
}

trace::Event pushed(double t, const Json& usage) {
  trace::Event e{0, t, trace::Category::i1, "i1.notification", Json{{"name", "UsageCreateEvent"}}};
  e.set_body(nlohmann::json{{"event", {{"usage", nlohmann::json(usage)}}}}); // beside the fields, as recorded
  return e;
}

/// One office-bundle order of CUST-A, its VM held for the first 6 h (one usage period of converged-bill) and the
/// product ended then. By hand: cloud 2 vCPU x 6 h x 1.25 + 4 GiB x 6 h x 0.35 + 40 GiB x 6 h x 0.0055 = 24.72,
/// so 25; telecom (2999 + 1999) x 6 h / 240 h = 124.95, so 125; total 150. The bill issued says 151, the period's
/// record never comes, and a record for a period nothing was held in comes instead.
std::vector<trace::Event> built_trace() {
  return {
      tester(1, "order.submitted", {{"productOrder", "PO-1"}, {"customer", "CUST-A"}, {"product", "office-bundle"}}),
      vm(0, "vm.placed", 1, "SVC-1"),
      vm(0, "vm.booted", 1, "SVC-1"),
      tester(0, "service.ordered", {{"productOrder", "PO-1"}, {"service", "SVC-1"}}),
      tester(0, "product.active", {{"productOrder", "PO-1"}}),
      {0, 1, trace::Category::i1, "i1.request", Json{{"name", "createServiceOrder"}, {"body", Json::object()}}},
      vm(6 * kHour, "vm.destroyed", 1, "SVC-1"),
      tester(6 * kHour, "product.terminated", {{"productOrder", "PO-1"}}),
      pushed(12 * kHour,
             usage_record("USG-9", "SVC-1", "2026-01-01T06:00:00.000000Z", "2026-01-01T12:00:00.000000Z", 3)),
      tester(10 * 24 * kHour, "bill.issued",
             {{"customer", "CUST-A"}, {"cycle", 0}, {"telecom", 125}, {"cloud", 25}, {"credits", 0}, {"total", 151}}),
  };
}

TEST(BillTrace, KeepsOnlyTheEventsTheRulesRead) {
  const BillTrace kept(built_trace());
  EXPECT_EQ(kept.size(), 8u); // all but the I1 request and the usage push
  EXPECT_EQ(kept.bills().size(), 1u);
  EXPECT_TRUE(kept.errors().empty());
}

TEST(BillTrace, GivesTheBillsWorkedOutByHand) {
  const auto bills = expected_bills(converged_bill(), BillTrace(built_trace()));
  const std::map<BillKey, ExpectedBill> want{{{"CUST-A", 0}, ExpectedBill{125, 25, 0, 150}}};
  EXPECT_EQ(bills, want);
  EXPECT_EQ(bills, expected_bills(converged_bill(), built_trace()));
}

TEST(BillTrace, FindsTheWrongTotalAsTheEventFormDoes) {
  const BillTrace kept(built_trace());
  const auto compact = bill_differences(expected_bills(converged_bill(), kept), kept);
  ASSERT_EQ(compact.size(), 1u) << difference_table(compact);
  EXPECT_EQ(compact[0].bill, (BillKey{"CUST-A", 0}));
  EXPECT_EQ(compact[0].what, "total");
  EXPECT_EQ(compact[0].expected, 150);
  EXPECT_EQ(compact[0].issued, 151);
  const auto events = bill_differences(expected_bills(converged_bill(), built_trace()), built_trace());
  EXPECT_EQ(difference_table(compact), difference_table(events));
}

TEST(BillTrace, ExpectsTheUsageRecordWorkedOutByHand) {
  const auto usage = expected_usage(converged_bill(), BillTrace(built_trace()));
  ASSERT_EQ(usage.size(), 1u);
  EXPECT_EQ(usage[0].service, "SVC-1");
  EXPECT_EQ(usage[0].customer, "CUST-A");
  EXPECT_EQ(usage[0].start_ms, 0);
  EXPECT_EQ(usage[0].end_ms, 6 * 3'600'000);
  EXPECT_EQ(usage[0].vcpu_ms, 2LL * 6 * 3'600'000);
  EXPECT_EQ(usage[0].ram_mib_ms, 4096LL * 6 * 3'600'000);
  EXPECT_EQ(usage[0].storage_mib_ms, 40960LL * 6 * 3'600'000);
  EXPECT_EQ(usage[0].amount, 25);
}

TEST(BillTrace, FindsTheMissingAndTheUnheldRecordAsTheEventFormDoes) {
  StringTable names;
  BillTrace kept(names);
  UsageLedger ledger(names);
  for (const auto& e : built_trace()) {
    kept.add(e);
    ledger.observe(e);
  }
  const auto compact = usage_differences(converged_bill(), kept, ledger);
  ASSERT_EQ(compact.size(), 2u);
  EXPECT_EQ(compact[0].first, (BillKey{"CUST-A", 0}));
  EXPECT_EQ(compact[0].second, "SVC-1 [0, 21600000) ms: no record delivered");
  EXPECT_EQ(compact[1].first, (BillKey{"CUST-A", 0}));
  EXPECT_EQ(compact[1].second, "USG-9 SVC-1 [21600000, 43200000) ms: delivered but nothing was held");
  EXPECT_EQ(compact, usage_differences(converged_bill(), built_trace()));
  // A ledger with its own table reads alike.
  UsageLedger apart;
  for (const auto& e : built_trace())
    apart.observe(e);
  EXPECT_EQ(compact, usage_differences(converged_bill(), built_trace(), apart));
}

TEST(BillTrace, RebuildsEventsThatJudgeAlike) {
  const BillTrace kept(built_trace());
  const auto rebuilt = kept.events();
  ASSERT_EQ(rebuilt.size(), kept.size());
  EXPECT_EQ(expected_bills(converged_bill(), rebuilt), expected_bills(converged_bill(), built_trace()));
  const auto a = bill_differences(expected_bills(converged_bill(), rebuilt), rebuilt);
  EXPECT_EQ(difference_table(a),
            difference_table(bill_differences(expected_bills(converged_bill(), built_trace()), built_trace())));
  for (const auto& e : rebuilt) {
    if (e.type == "vm.booted") {
      EXPECT_EQ(e.data.at("ram").get<std::int64_t>(), 4 * kGiB);
    }
  }
}

constexpr std::int64_t kHourMs = 3'600'000;

/// A usage record as the Cloud BSS writes it, with everything it meters given.
Json metered_record(const std::string& id, const std::string& service, const std::string& customer,
                    const std::string& from, const std::string& to, std::int64_t vm_hours, std::int64_t amount) {
  return {{"id", id},
          {"service", {{"id", service}}},
          {"relatedParty", Json::array({{{"id", customer}, {"role", "customer"}}})},
          {"usagePeriod", {{"startDateTime", from}, {"endDateTime", to}}},
          {"usageCharacteristic",
           Json::array({{{"name", "vcpuMilliseconds"}, {"value", 2 * vm_hours * kHourMs}},
                        {{"name", "ramMiBMilliseconds"}, {"value", 4096 * vm_hours * kHourMs}},
                        {{"name", "storageMiBMilliseconds"}, {"value", 40960 * vm_hours * kHourMs}}})},
          {"ratedProductUsage", Json::array({{{"taxExcludedRatingAmount", {{"value", amount}}}}})}};
}

/// Two customers' services whose VMs come in the trace neither grouped by service nor in the order of the
/// services' names: SVC-B (CUST-A) holds VM 1 from 0 to 9 h and VM 3 from 4 to 7 h, SVC-A (CUST-B) VM 2 from 3 to
/// 6 h. Periods are 6 h, and a VM-hour costs 4.12 (see built_trace). By hand, by service name then period: SVC-A
/// [0, 6 h) 3 VM-hours, 12.36 so 12; SVC-B [0, 6 h) 6 + 2 = 8 VM-hours, 32.96 so 33; SVC-B [6 h, 12 h) 3 + 1 = 4
/// VM-hours, 16.48 so 16. The Cloud BSS delivers all three, the last one rated 17.
std::vector<trace::Event> two_services_trace() {
  return {
      tester(0, "order.submitted", {{"productOrder", "PO-1"}, {"customer", "CUST-A"}, {"product", "office-bundle"}}),
      tester(0, "service.ordered", {{"productOrder", "PO-1"}, {"service", "SVC-B"}}),
      tester(0, "order.submitted", {{"productOrder", "PO-2"}, {"customer", "CUST-B"}, {"product", "office-bundle"}}),
      tester(0, "service.ordered", {{"productOrder", "PO-2"}, {"service", "SVC-A"}}),
      vm(0, "vm.booted", 1, "SVC-B"),
      vm(3 * kHour, "vm.booted", 2, "SVC-A"),
      vm(4 * kHour, "vm.booted", 3, "SVC-B"),
      vm(6 * kHour, "vm.destroyed", 2, "SVC-A"),
      vm(7 * kHour, "vm.destroyed", 3, "SVC-B"),
      vm(9 * kHour, "vm.destroyed", 1, "SVC-B"),
      pushed(12 * kHour, metered_record("USG-1", "SVC-B", "CUST-A", "2026-01-01T00:00:00.000000Z",
                                        "2026-01-01T06:00:00.000000Z", 8, 33)),
      pushed(12 * kHour, metered_record("USG-2", "SVC-A", "CUST-B", "2026-01-01T00:00:00.000000Z",
                                        "2026-01-01T06:00:00.000000Z", 3, 12)),
      pushed(12 * kHour, metered_record("USG-3", "SVC-B", "CUST-A", "2026-01-01T06:00:00.000000Z",
                                        "2026-01-01T12:00:00.000000Z", 4, 17)),
  };
}

TEST(BillTrace, ExpectsEachServicesRecordsInNameOrderWithItsVmsSummed) {
  const auto usage = expected_usage(converged_bill(), two_services_trace());
  ASSERT_EQ(usage.size(), 3u);
  const struct {
    const char* service;
    const char* customer;
    std::int64_t start_h, vm_hours, amount;
  } want[] = {{"SVC-A", "CUST-B", 0, 3, 12}, {"SVC-B", "CUST-A", 0, 8, 33}, {"SVC-B", "CUST-A", 6, 4, 16}};
  for (std::size_t i = 0; i < usage.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(usage[i].service, want[i].service);
    EXPECT_EQ(usage[i].customer, want[i].customer);
    EXPECT_EQ(usage[i].start_ms, want[i].start_h * kHourMs);
    EXPECT_EQ(usage[i].end_ms, (want[i].start_h + 6) * kHourMs);
    EXPECT_EQ(usage[i].vcpu_ms, 2 * want[i].vm_hours * kHourMs);
    EXPECT_EQ(usage[i].ram_mib_ms, 4096 * want[i].vm_hours * kHourMs);
    EXPECT_EQ(usage[i].storage_mib_ms, 40960 * want[i].vm_hours * kHourMs);
    EXPECT_EQ(usage[i].amount, want[i].amount);
  }
  // The bills sum the same records.
  const std::map<BillKey, ExpectedBill> bills{{{"CUST-A", 0}, ExpectedBill{0, 33 + 16, 0, 49}},
                                              {{"CUST-B", 0}, ExpectedBill{0, 12, 0, 12}}};
  EXPECT_EQ(expected_bills(converged_bill(), two_services_trace()), bills);
}

TEST(BillTrace, MatchesEachServicesRecordsWhetherOrNotTheLedgerSharesTheTable) {
  const std::vector<UsageDifference> want{
      {{"CUST-A", 0},
       "USG-3 SVC-B [21600000, 43200000) ms: expected end 43200000 vcpu 28800000 ram 58982400000 storage "
       "589824000000 amount 16 of CUST-A; delivered end 43200000 vcpu 28800000 ram 58982400000 storage "
       "589824000000 amount 17 of CUST-A"}};
  EXPECT_EQ(usage_differences(converged_bill(), two_services_trace()), want);
  UsageLedger apart; // names interned in another order than the trace's
  for (const auto& e : two_services_trace())
    apart.observe(e);
  EXPECT_EQ(usage_differences(converged_bill(), two_services_trace(), apart), want);
}

TEST(BillTrace, NamesTheFirstServiceByNameThatCannotBeRated) {
  auto events = two_services_trace();
  events.push_back(vm(0, "vm.booted", 4, "SVC-0")); // never ordered: no customer, no catalogue entry
  events.push_back(vm(0, "vm.booted", 5, "SVC-9"));
  try {
    usage_differences(converged_bill(), events);
    ADD_FAILURE() << "judged a trace with services that cannot be rated";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "service SVC-0 has no customer or no cloud service in the trace");
  }
}

std::string error_of(const std::vector<trace::Event>& events) {
  try {
    expected_bills(converged_bill(), BillTrace(events));
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(BillTrace, AnUnreadableEventFailsTheJudgementWithTheFieldItLacks) {
  auto events = built_trace();
  events[2].data.erase("vcpu");
  EXPECT_EQ(error_of(events), "trace event lacks the number field vcpu");
  events = built_trace();
  events[0].data.erase("product");
  EXPECT_EQ(error_of(events), "trace event lacks the string field product");
  events = built_trace();
  events[3].data.erase("service");
  EXPECT_EQ(error_of(events), "trace event lacks the string field service");
  EXPECT_NO_THROW(issued_bills(BillTrace(events))) << "the bill is readable";
}

TEST(BillTrace, AVmWithoutOwnerIsUnreadableOnlyWhenTheOwnerIsNotKnownYet) {
  auto events = built_trace();
  events[6].data.erase("owner"); // the destroyed event: the VM's owner came with its placement
  EXPECT_EQ(error_of(events), "");
  EXPECT_EQ(expected_bills(converged_bill(), BillTrace(events)), expected_bills(converged_bill(), built_trace()));
  events[1].data.erase("owner");
  events[2].data.erase("owner");
  EXPECT_EQ(error_of(events), "trace event lacks the string field owner");
}

TEST(BillTrace, AnUnreadableBillFailsOnlyTheIssuedBills) {
  auto events = built_trace();
  events.back().data["cloud"] = "25";
  const BillTrace kept(events);
  EXPECT_NO_THROW(expected_bills(converged_bill(), kept));
  try {
    issued_bills(kept);
    FAIL() << "an unreadable bill was read";
  } catch (const std::exception& e) {
    EXPECT_STREQ(e.what(), "trace event lacks the number field cloud");
  }
}

TEST(UsageLedger, ReadsARecordsPeriodInEveryFormItsDatesComeIn) {
  const auto read = [](const nlohmann::json& start, const nlohmann::json& end) {
    return UsageLedger::read({{"id", "USG-1"}, {"usagePeriod", {{"startDateTime", start}, {"endDateTime", end}}}});
  };
  // Simulated time 0 is 2026-01-01T00:00:00Z; microseconds round to the nearest millisecond.
  const auto a = read("2026-01-01T00:00:00.000000Z", "2026-01-01T00:00:01.094560Z");
  EXPECT_EQ(a.start_ms, 0);
  EXPECT_EQ(a.end_ms, 1'095);
  const std::int64_t day = 86'400'000;
  const auto b = read("2026-03-01T06:30:00.000499Z", "2028-02-29T23:59:59.999999Z"); // 2028 is a leap year
  EXPECT_EQ(b.start_ms, (31 + 28) * day + 6 * 3'600'000 + 30 * 60'000);
  EXPECT_EQ(b.end_ms, (365 + 365 + 31 + 29) * day);
  const auto before = read("2025-12-31T23:59:59.000000Z", "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(before.start_ms, -1000);
  EXPECT_EQ(before.end_ms, -20454 * day);
  // Forms with a sign or a space where a digit goes read as a scanf of the form reads them; others are -1.
  const auto lenient = read("2026-01-01T00:00:00.+94060Z", "2026-01-01T00:00: 1.000000Z");
  EXPECT_EQ(lenient.start_ms, 94);
  EXPECT_EQ(lenient.end_ms, 1'000);
  const auto refused = read("2026-01-01T00:00:00Z", "2026-01-01 00:00:00.000000Z");
  EXPECT_EQ(refused.start_ms, -1);
  EXPECT_EQ(refused.end_ms, -1);
  // A member of the wrong type is refused as nlohmann's value() refuses it.
  EXPECT_THROW(read(7, "2026-01-01T00:00:00.000000Z"), nlohmann::json::type_error);
  EXPECT_THROW(UsageLedger::read({{"id", 12}}), nlohmann::json::type_error);
  EXPECT_THROW(
      UsageLedger::read({{"id", "USG-1"}, {"ratedProductUsage", {{{"taxExcludedRatingAmount", {{"value", "12"}}}}}}}),
      nlohmann::json::type_error);
  const auto rated = UsageLedger::read(
      {{"id", "USG-2"},
       {"service", {{"id", "SVC-1"}}},
       {"relatedParty", {{{"role", "owner"}, {"id", "X"}}, {{"role", "customer"}, {"id", "CUST-A"}}}},
       {"usageCharacteristic", {{{"name", "vcpuMilliseconds"}, {"value", 5}}, {{"name", "ramMiBMilliseconds"}}}},
       {"ratedProductUsage", {{{"taxExcludedRatingAmount", {{"value", 25}}}}}}});
  EXPECT_EQ(rated.id, "USG-2");
  EXPECT_EQ(rated.service, "SVC-1");
  EXPECT_EQ(rated.customer, "CUST-A");
  EXPECT_EQ(rated.vcpu_ms, 5);
  EXPECT_EQ(rated.ram_mib_ms, -1);
  EXPECT_EQ(rated.amount, 25);
}

TEST(UsageLedger, KeepsEachIdOnceAndReportsAConflictingSecondDelivery) {
  UsageLedger ledger;
  const Json first = usage_record("USG-1", "SVC-1", "2026-01-01T00:00:00.000000Z", "2026-01-01T06:00:00.000000Z", 25);
  ledger.add(first);
  ledger.add(first);
  EXPECT_TRUE(ledger.problems().empty());
  ledger.add(usage_record("USG-1", "SVC-1", "2026-01-01T00:00:00.000000Z", "2026-01-01T06:00:00.000000Z", 26));
  ASSERT_EQ(ledger.problems().size(), 1u);
  EXPECT_THAT(ledger.problems()[0], HasSubstr("USG-1 delivered twice"));
  ASSERT_EQ(ledger.size(), 1u);
  const DeliveredUsage want{"USG-1", "SVC-1", "CUST-A", 0, 6 * 3'600'000, 1, 2, 3, 25};
  EXPECT_EQ(ledger.records().at("USG-1"), want);
}

TEST(UsageLedger, FindsEveryIdAmongManyOfAnyLength) {
  UsageLedger ledger;
  std::map<std::string, std::int64_t> amounts;
  for (int i = 0; i < 3000; ++i) {
    const std::string id = "USG-" + std::string(static_cast<std::size_t>(i % 300), 'x') + std::to_string(i);
    amounts[id] = i;
    ledger.add(usage_record(id, "SVC-1", "2026-01-01T00:00:00.000000Z", "2026-01-01T06:00:00.000000Z", i));
  }
  for (const auto& [id, amount] : amounts) // again, the same: no problem, no new record
    ledger.add(usage_record(id, "SVC-1", "2026-01-01T00:00:00.000000Z", "2026-01-01T06:00:00.000000Z", amount));
  EXPECT_TRUE(ledger.problems().empty());
  const auto records = ledger.records();
  ASSERT_EQ(records.size(), amounts.size());
  for (const auto& [id, amount] : amounts)
    EXPECT_EQ(records.at(id).amount, amount) << id;
}

TEST(UsageLedger, GivesBackEveryRecordExactlyAsReadFromItsPackedForm) {
  // Extreme and missing values, and ids long and short, over enough records to fill several chunks.
  const std::vector<std::int64_t> values = {0,
                                            1,
                                            -1,
                                            127,
                                            128,
                                            -64,
                                            -65,
                                            std::numeric_limits<std::int64_t>::max(),
                                            std::numeric_limits<std::int64_t>::min(),
                                            3'600'000,
                                            1'700'000'000'000};
  UsageLedger ledger;
  std::map<std::string, DeliveredUsage> want;
  for (int i = 0; i < 4000; ++i) {
    const std::string id = "USG-" + std::string(static_cast<std::size_t>(i % 150), 'y') + std::to_string(i);
    Json u =
        usage_record(id, "SVC-" + std::to_string(i % 13), i % 5 ? "2026-01-01T00:00:00.000000Z" : "never",
                     i % 7 ? "2026-01-31T23:59:59.999999Z" : "", values[static_cast<std::size_t>(i) % values.size()]);
    u["usageCharacteristic"][0]["value"] = values[static_cast<std::size_t>(i + 1) % values.size()];
    u["usageCharacteristic"][1]["value"] = values[static_cast<std::size_t>(i + 2) % values.size()];
    u["usageCharacteristic"][2]["value"] = values[static_cast<std::size_t>(i + 3) % values.size()];
    if (i % 11 == 0)
      u["relatedParty"][0]["id"] = "CUST-" + std::to_string(i);
    want[id] = UsageLedger::read(u);
    ledger.add(u);
  }
  EXPECT_TRUE(ledger.problems().empty());
  EXPECT_EQ(ledger.records(), want);
  EXPECT_GT(ledger.bytes(), std::size_t{4} << 16) << "several chunks";
}

TEST(BillingOracle, StreamsToTheSameJudgementAsTheEvents) {
  BillingOracle oracle(converged_bill());
  for (const auto& e : built_trace())
    oracle.on_event(e);
  const Json out = oracle.to_json();
  EXPECT_EQ(out["billing"]["bills_expected"], 1);
  EXPECT_EQ(out["billing"]["discrepancy"], 1);
  EXPECT_EQ(out["billing"]["differences"][0]["field"], "total");
  EXPECT_EQ(out["usage"]["records_delivered"], 1);
  EXPECT_EQ(out["usage"]["discrepancy"], 2);
  EXPECT_EQ(out["usage"]["differences"][1]["what"],
            "USG-9 SVC-1 [21600000, 43200000) ms: delivered but nothing was held");
}

} // namespace
} // namespace i1sim::conformance::bill_trace_test
