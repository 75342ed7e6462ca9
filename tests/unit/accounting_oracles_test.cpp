// Unit tests of the accounting oracles (conformance/oracles/accounting): usage, bills and SLA compliance checks.
#include "conformance/oracles/oracle.hpp"
#include "i1/spec.hpp"
#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace i1sim::conformance::accounting_oracles_test {
namespace {

using Json = nlohmann::ordered_json;

// The world of every test: one customer C1 with one service SVC-1 (2 vCPU, 4 GiB RAM, 40 GiB storage) priced
// 1 cent per vCPU-hour, 0.5 cent per GiB-hour of RAM and 0.025 cent per GiB-hour of storage, with a 99.5 %
// objective and a 10 % credit. Bill cycles of 2 h (two of them), usage periods of 1 h. Its one VM boots at
// 1800 s, is down from 3600 s to 3672 s and is destroyed at 9000 s.
//
// Hand-computed records (per hour of the VM: 2 vCPU x 1 = 2 cents, 4 GiB x 0.5 = 2 cents, 40 GiB x 0.025 = 1):
//   USG-1 [0 s, 3600 s):    half an hour held: 1 + 1 + 0.5 = 2.5 cents -> 2 (half-even; half-up would give 3)
//   USG-2 [3600 s, 7200 s): a full hour: 5 cents
//   USG-3 [7200 s, 9000 s): half an hour: 2.5 -> 2
// Cycle 0 bill: usage 2 + 5 = 7; down 72 s of 7200 s = availability 99 % < 99.5 %: credit 10 % of 7 = 0.7 -> 1;
// amount due 6. Cycle 1 bill: usage 2, availability 100 %, no credit, amount due 2.
scenario::Scenario world() {
  scenario::Scenario sc;
  sc.name = "accounting-unit";
  scenario::CloudServiceSpec vm;
  vm.id = "vm";
  vm.vcpu = 2;
  vm.ram = 4.0 * (1 << 30);
  vm.storage = 40.0 * (1 << 30);
  vm.rates = {1'000'000, 500'000, 25'000};
  vm.sla = {99'500, 10};
  sc.catalogue.cloud_services.push_back(vm);
  scenario::Product p;
  p.id = "p";
  p.cloud_services = {"vm"};
  sc.catalogue.products.push_back(p);
  sc.billing = {"EUR", 7200, 2};
  sc.i1.timers = {{"T_usage_period", 3600}};
  return sc;
}

std::string iso(double s) {
  const auto ms = static_cast<long long>(s * 1000 + 0.5);
  return fmt::format("2026-01-01T{:02}:{:02}:{:02}.{:03}000Z", ms / 3'600'000, ms / 60'000 % 60, ms / 1000 % 60,
                     ms % 1000);
}

Json usage(const std::string& id, double from, double to, long long vcpu, long long ram, long long storage,
           long long amount) {
  auto ch = [](const char* name, long long v) { return Json{{"name", name}, {"valueType", "integer"}, {"value", v}}; };
  return {{"id", id},
          {"href", "/tmf-api/usageManagement/v4/usage/" + id},
          {"usageDate", iso(to)},
          {"usageType", "cloudAllocation"},
          {"status", "rated"},
          {"service", {{"id", "SVC-1"}}},
          {"usagePeriod", {{"startDateTime", iso(from)}, {"endDateTime", iso(to)}}},
          {"relatedParty", Json::array({{{"id", "C1"}, {"role", "customer"}}})},
          {"usageCharacteristic", Json::array({ch("vcpuMilliseconds", vcpu), ch("ramMiBMilliseconds", ram),
                                               ch("storageMiBMilliseconds", storage)})},
          {"ratedProductUsage", Json::array({{{"ratingDate", iso(to + 60)},
                                              {"isBilled", false},
                                              {"taxExcludedRatingAmount", {{"unit", "EUR"}, {"value", amount}}}}})}};
}

// Half an hour and a full hour of the VM, in the record's units (ms x vCPU, ms x MiB).
Json usage1() { return usage("USG-1", 0, 3600, 2 * 1'800'000LL, 4096 * 1'800'000LL, 40960 * 1'800'000LL, 2); }
Json usage2() { return usage("USG-2", 3600, 7200, 2 * 3'600'000LL, 4096 * 3'600'000LL, 40960 * 3'600'000LL, 5); }
Json usage3() { return usage("USG-3", 7200, 9000, 2 * 1'800'000LL, 4096 * 1'800'000LL, 40960 * 1'800'000LL, 2); }

Json money(long long v) { return {{"unit", "EUR"}, {"value", v}}; }

Json bill(const std::string& id, const std::string& run_type, double from, double to, Json rates, Json compliance,
          long long due) {
  return {{"id", id},
          {"href", "/tmf-api/customerBillManagement/v4/customerBill/" + id},
          {"billNo", id.substr(5)},
          {"state", run_type == "onCycle" ? "sent" : "new"},
          {"runType", run_type},
          {"billDate", iso(to)},
          {"billingPeriod", {{"startDateTime", iso(from)}, {"endDateTime", iso(to)}}},
          {"relatedParty", Json::array({{{"id", "C1"}, {"role", "customer"}}})},
          {"appliedBillingRate", std::move(rates)},
          {"serviceLevelCompliance", std::move(compliance)},
          {"amountDue", money(due)}};
}

Json usage_rate(long long amount, std::vector<std::string> ids) {
  Json refs = Json::array();
  for (const auto& id : ids)
    refs.push_back({{"id", id}});
  return {{"type", "usage"}, {"service", {{"id", "SVC-1"}}}, {"amount", money(amount)}, {"usage", refs}};
}

Json compliance(double measured, bool compliant, long long credit) {
  return {{"service", {{"id", "SVC-1"}}},
          {"objective", 99.5},
          {"measured", measured},
          {"compliant", compliant},
          {"credit", money(credit)}};
}

/// A stream under construction: lines with ids 1, 2, 3... in the order they are added.
struct Stream {
  std::vector<Json> lines;
  std::uint64_t add(double t, const char* cat, const char* type, Json fields) {
    Json line{{"id", lines.size() + 1}, {"t", t}, {"cat", cat}, {"type", type}};
    for (auto it = fields.begin(); it != fields.end(); ++it)
      line[it.key()] = it.value();
    lines.push_back(std::move(line));
    return lines.size();
  }
  std::uint64_t notify(double t, const std::string& name, const char* key, Json resource) {
    const std::string corr = fmt::format("EV-{}", lines.size() + 1);
    return add(t, "i1", "i1.notification",
               {{"dir", "c2t"},
                {"name", name},
                {"corr", corr},
                {"target", "sim://operator.oss/listener/operator"},
                {"sent", t},
                {"body", {{"event", {{key, std::move(resource)}}}, {"eventId", corr}, {"eventType", name}}}});
  }
  Json& at(std::uint64_t id) { return lines.at(id - 1); }
  Json& body(std::uint64_t id) { return at(id)["body"]; }
};

// Ids of the events of the base stream, in the order world_stream() adds them.
enum Id : std::uint64_t {
  kSubmitted = 1,
  kCustomer,
  kOrdered,
  kBoot,
  kDown,
  kPush1,
  kUp,
  kPush2,
  kBill0,
  kDestroyed,
  kTerminated,
  kPush3,
  kOnDemandRequest,
  kOnDemandResponse,
  kBill1,
  kListRequest,
  kListResponse,
  kEnd,
};

Stream world_stream() {
  Stream s;
  s.add(0, "tester", "order.submitted", {{"productOrder", "PO-1"}, {"customer", "C1"}, {"product", "p"}});
  s.add(0, "i1", "i1.request",
        {{"dir", "t2c"},
         {"name", "createCustomer"},
         {"corr", "REQ-1"},
         {"target", "/tmf-api/customerManagement/v4/customer"},
         {"sent", 0},
         {"body", {{"id", "C1"}, {"currency", "EUR"}}}});
  s.add(1, "tester", "service.ordered", {{"service", "SVC-1"}, {"productOrder", "PO-1"}});
  const Json vm{{"dc", "dc1"},          {"vm", 1},   {"owner", "SVC-1"},
                {"host", "h1"},         {"vcpu", 2}, {"ram", 4294967296.0},
                {"disk", 42949672960.0}};
  s.add(1800, "truth", "vm.booted", vm);
  s.add(3600, "truth", "vm.down", vm);
  s.notify(3660, "UsageCreateEvent", "usage", usage1());
  s.add(3672, "truth", "vm.up", vm);
  s.notify(7260, "UsageCreateEvent", "usage", usage2());
  s.notify(7260, "CustomerBillCreateEvent", "customerBill",
           bill("BILL-000001", "onCycle", 0, 7200,
                Json::array({usage_rate(7, {"USG-1", "USG-2"}),
                             {{"type", "slaCredit"}, {"service", {{"id", "SVC-1"}}}, {"amount", money(-1)}}}),
                Json::array({compliance(99.0, false, 1)}), 6));
  s.add(9000, "truth", "vm.destroyed", vm);
  s.notify(9000, "ServiceStateChangeEvent", "service", {{"id", "SVC-1"}, {"state", "terminated"}});
  s.notify(9060, "UsageCreateEvent", "usage", usage3());
  s.add(10000, "i1", "i1.request",
        {{"dir", "t2c"},
         {"name", "createCustomerBillOnDemand"},
         {"corr", "REQ-9"},
         {"target", "/tmf-api/customerBillManagement/v4/customerBillOnDemand"},
         {"sent", 10000},
         {"body", {{"relatedParty", Json::array({{{"id", "C1"}, {"role", "customer"}}})}}}});
  s.add(10000.01, "i1", "i1.response",
        {{"dir", "c2t"},
         {"name", "createCustomerBillOnDemand"},
         {"corr", "REQ-9"},
         {"status", 201},
         {"sent", 10000.005},
         {"body",
          {{"id", "CBOD-1"},
           {"state", "done"},
           {"relatedParty", Json::array({{{"id", "C1"}, {"role", "customer"}}})},
           {"customerBill", bill("BILL-000002", "offCycle", 7200, 10000, Json::array({usage_rate(2, {"USG-3"})}),
                                 Json::array(), 2)}}}});
  s.notify(14460, "CustomerBillCreateEvent", "customerBill",
           bill("BILL-000003", "onCycle", 7200, 14400, Json::array({usage_rate(2, {"USG-3"})}),
                Json::array({compliance(100.0, true, 0)}), 2));
  s.add(14500, "i1", "i1.request",
        {{"dir", "t2c"},
         {"name", "listUsage"},
         {"corr", "REQ-10"},
         {"target", "/tmf-api/usageManagement/v4/usage?relatedParty.id=C1&usageDate.gt=2026-01-01T02:00:00.000000Z"
                    "&usageDate.lt=2026-01-01T04:00:00.001000Z"},
         {"sent", 14500},
         {"body", nullptr}});
  s.add(14500.01, "i1", "i1.response",
        {{"dir", "c2t"},
         {"name", "listUsage"},
         {"corr", "REQ-10"},
         {"status", 200},
         {"sent", 14500.005},
         {"body", Json::array({usage3()})}});
  s.add(18060, "tester", "run.end", {{"reason", "last bill cycle billed"}});
  return s;
}

std::map<std::string, CheckResult> judge(const scenario::Scenario& sc, const Stream& s) {
  OracleContext ctx;
  ctx.scenario = &sc;
  ctx.spec = &spec::builtin();
  ctx.timers = timers_in_force(spec::builtin(), sc);
  auto oracles = make_accounting_oracles(ctx);
  double end = 0;
  for (const auto& line : s.lines) {
    const trace::Event e = trace::from_json_line(line.dump());
    for (auto& o : oracles)
      o->on_event(e);
    end = e.t;
  }
  std::map<std::string, CheckResult> out;
  for (auto& o : oracles) {
    o->finish(end);
    for (auto& r : o->results())
      out[r.check] = r;
  }
  return out;
}

const std::vector<std::string> kChecks{"usage.timely",     "usage.accurate",  "usage.unique",   "usage.coverage",
                                       "usage.rating",     "usage.listed",    "usage.pushed",   "bill.sent",
                                       "bill.usage_sum",   "bill.amount_due", "bill.on_demand", "bill.cycle",
                                       "sla.availability", "sla.credit"};

TEST(AccountingOracles, ListTheirChecksInCatalogueOrder) {
  std::vector<std::string> ids;
  for (const auto& c : accounting_checks())
    ids.push_back(c.id);
  EXPECT_EQ(ids, kChecks);
  const auto sc = world();
  OracleContext ctx{&sc, &spec::builtin(), timers_in_force(spec::builtin(), sc)};
  auto oracles = make_accounting_oracles(ctx);
  ASSERT_EQ(oracles.size(), 1U);
  EXPECT_EQ(oracles[0]->checks().size(), kChecks.size());
}

TEST(AccountingOracles, PassEveryCheckOnAHandComputedCorrectRun) {
  const auto results = judge(world(), world_stream());
  for (const auto& id : kChecks) {
    ASSERT_TRUE(results.count(id)) << id;
    EXPECT_EQ(results.at(id).verdict, Verdict::pass) << id << ": " << results.at(id).reason;
    EXPECT_GT(results.at(id).observed, 0U) << id;
    EXPECT_EQ(results.at(id).violations, 0U) << id;
  }
}

TEST(AccountingOracles, SayNoneWhenNothingWasMeteredOrBilled) {
  Stream s;
  s.add(0, "tester", "order.submitted", {{"productOrder", "PO-1"}, {"customer", "C1"}, {"product", "p"}});
  s.add(5, "tester", "run.end", {{"reason", "done"}});
  const auto results = judge(world(), s);
  for (const auto& id : kChecks) {
    EXPECT_EQ(results.at(id).verdict, Verdict::none) << id << ": " << results.at(id).reason;
    EXPECT_EQ(results.at(id).observed, 0U) << id;
  }
}

TEST(AccountingOracles, SayNoneForListingsAndBillsOnDemandNobodyAskedFor) {
  Stream s = world_stream();
  s.lines.resize(kBill1); // up to the cycle-1 bill, without the listing
  s.lines.erase(s.lines.begin() + (kOnDemandRequest - 1), s.lines.begin() + kOnDemandResponse);
  for (std::size_t i = 0; i < s.lines.size(); ++i)
    s.lines[i]["id"] = i + 1;
  const auto results = judge(world(), s);
  EXPECT_EQ(results.at("usage.listed").verdict, Verdict::none);
  EXPECT_EQ(results.at("bill.on_demand").verdict, Verdict::none);
  EXPECT_EQ(results.at("bill.sent").verdict, Verdict::pass) << results.at("bill.sent").reason;
}

/// One broken variant of the base stream: the check it must fail, the evidence and a word of the reason.
struct Broken {
  const char* name;
  const char* check;
  std::function<void(Stream&)> breaks;
  std::vector<std::uint64_t> evidence;
  const char* says;
};

void usage_field(Json& usage, const char* name, long long value) {
  for (auto& c : usage["usageCharacteristic"])
    if (c["name"] == name)
      c["value"] = value;
}

Json& bill_of(Stream& s, std::uint64_t id) { return s.body(id)["event"]["customerBill"]; }

const std::vector<Broken>& broken_runs() {
  static const std::vector<Broken> all{
      {"UsageSentAfterTUsage",
       "usage.timely",
       [](Stream& s) { // due 7200 s + 900 s
         s.at(kPush2)["sent"] = 8100.5;
         s.at(kPush2)["t"] = 8100.6;
       },
       {kPush2},
       "after its deadline"},
      {"HeldTimeNeverMetered",
       "usage.timely",
       [](Stream& s) { s.at(kPush2)["name"] = "SomethingElse"; }, // the second hour's record never comes
       {kBoot},
       "no usage record covers"},
      {"VcpuMillisecondsOffByOne",
       "usage.accurate",
       [](Stream& s) { usage_field(s.body(kPush1)["event"]["usage"], "vcpuMilliseconds", 3'600'001); },
       {kBoot, kPush1},
       "really held 3600000/"},
      {"SameIdDifferentAmount",
       "usage.unique",
       [](Stream& s) { // USG-3 listed again with another amount
         s.body(kListResponse)[0]["ratedProductUsage"][0]["taxExcludedRatingAmount"]["value"] = 3;
       },
       {kPush3, kListResponse},
       "differs from its first delivery"},
      {"SamePeriodUnderANewId",
       "usage.unique",
       [](Stream& s) { s.body(kListResponse)[0]["id"] = "USG-9"; }, // USG-3 again, as USG-9
       {kPush3, kListResponse},
       "under two ids"},
      {"RecordLongerThanTUsagePeriod",
       "usage.coverage",
       [](Stream& s) { // one record for the whole first cycle instead of two
         s.body(kPush1)["event"]["usage"] =
             usage("USG-1", 0, 7200, 2 * 5'400'000LL, 4096 * 5'400'000LL, 40960 * 5'400'000LL, 7);
         s.at(kPush2)["name"] = "SomethingElse";
       },
       {kPush1},
       "longer than T_usage_period"},
      {"OverlappingRecords",
       "usage.coverage",
       [](Stream& s) { // a new id for the first half of the second hour
         s.body(kListResponse)[0] =
             usage("USG-8", 3600, 5400, 2 * 1'800'000LL, 4096 * 1'800'000LL, 40960 * 1'800'000LL, 2);
         s.at(kListRequest)["target"] = "/tmf-api/usageManagement/v4/usage?relatedParty.id=C1";
       },
       {kPush2, kListResponse},
       "metered twice"},
      {"RecordAfterTermination",
       "usage.coverage",
       [](Stream& s) { // terminated at 9000 s, yet metered (at zero) for 9000-10800 s
         s.body(kListResponse).push_back(usage("USG-4", 9000, 10800, 0, 0, 0, 0));
       },
       {kTerminated, kListResponse},
       "after it was terminated"},
      {"UncoveredHour",
       "usage.coverage",
       [](Stream& s) { s.at(kPush2)["name"] = "SomethingElse"; },
       {kBoot},
       "no usage record covers"},
      {"RoundedHalfUp",
       "usage.rating",
       [](Stream& s) {
         s.body(kPush1)["event"]["usage"]["ratedProductUsage"][0]["taxExcludedRatingAmount"]["value"] = 3;
       },
       {kPush1},
       "give 2"},
      {"ListingMissesAPushedRecord",
       "usage.listed",
       [](Stream& s) { s.body(kListResponse) = Json::array(); },
       {kPush3, kListRequest, kListResponse},
       "lacks USG-3"},
      {"ListingIgnoresTheDateFilter",
       "usage.listed",
       [](Stream& s) { s.body(kListResponse).push_back(usage2()); },
       {kListRequest, kListResponse},
       "usageDate"},
      {"RecordOnlyListedNeverPushed",
       "usage.pushed",
       [](Stream& s) { s.at(kPush3)["name"] = "SomethingElse"; },
       {kListResponse},
       "never pushed"},
      {"CycleBillMissing",
       "bill.sent",
       [](Stream& s) { s.at(kBill1)["name"] = "SomethingElse"; },
       {kBoot},
       "no bill for it"},
      {"CycleBillLate",
       "bill.sent",
       [](Stream& s) { // due 7200 s + 3600 s
         s.at(kBill0)["sent"] = 10800.5;
       },
       {kBill0},
       "after its deadline"},
      {"TwoBillsForOneCycle",
       "bill.sent",
       [](Stream& s) {
         Json again = bill_of(s, kBill1);
         again["id"] = "BILL-000004";
         s.notify(14470, "CustomerBillCreateEvent", "customerBill", again);
       },
       {kBill1, kEnd + 1},
       "got 2 bills"},
      {"UsageChargeIsNotTheSum",
       "bill.usage_sum",
       [](Stream& s) {
         bill_of(s, kBill0)["appliedBillingRate"][0]["amount"]["value"] = 8;
         bill_of(s, kBill0)["amountDue"]["value"] = 7;
       },
       {kBill0},
       "sum to 7"},
      {"RecordBilledTwice",
       "bill.usage_sum",
       [](Stream& s) {
         Json again = bill_of(s, kBill1);
         again["id"] = "BILL-000004";
         s.notify(14470, "CustomerBillCreateEvent", "customerBill", again);
       },
       {kBill1, kEnd + 1},
       "billed in bill BILL-000003"},
      {"AmountDueIsNotTheSumOfRates",
       "bill.amount_due",
       [](Stream& s) { bill_of(s, kBill0)["amountDue"]["value"] = 7; },
       {kBill0},
       "sum to 6"},
      {"AmountDueInAnotherCurrency",
       "bill.amount_due",
       [](Stream& s) { bill_of(s, kBill1)["amountDue"]["unit"] = "USD"; },
       {kBill1},
       "currency EUR"},
      {"BillOnDemandIsOnCycle",
       "bill.on_demand",
       [](Stream& s) { s.body(kOnDemandResponse)["customerBill"]["runType"] = "onCycle"; },
       {kOnDemandRequest, kOnDemandResponse},
       "not offCycle"},
      {"BillOnDemandMissesCharges",
       "bill.on_demand",
       [](Stream& s) {
         auto& b = s.body(kOnDemandResponse)["customerBill"];
         b["appliedBillingRate"] = Json::array();
         b["amountDue"]["value"] = 0;
       },
       {kOnDemandRequest, kOnDemandResponse},
       "sum to 2"},
      {"BillOnDemandBilledTheRecords",
       "bill.on_demand",
       [](Stream& s) { // the cycle's bill no longer holds USG-3: the bill on demand consumed it
         bill_of(s, kBill1)["appliedBillingRate"] = Json::array();
         bill_of(s, kBill1)["amountDue"]["value"] = 0;
       },
       {kOnDemandRequest, kOnDemandResponse, kBill1},
       "billed it"},
      {"BillCoversHalfACycle",
       "bill.cycle",
       [](Stream& s) { bill_of(s, kBill0)["billingPeriod"]["endDateTime"] = iso(3600); },
       {kBill0},
       "not one whole cycle"},
      {"AvailabilityIgnoresTheOutage",
       "sla.availability",
       [](Stream& s) { bill_of(s, kBill0)["serviceLevelCompliance"][0]["measured"] = 100.0; },
       {kBill0},
       "down 72000 ms"},
      {"AvailabilityOffByOneSecond",
       "sla.availability",
       [](Stream& s) { // 73 s of downtime instead of the 72 s the VM really was down
         bill_of(s, kBill0)["serviceLevelCompliance"][0]["measured"] = 100.0 * (7200.0 - 73.0) / 7200.0;
       },
       {kBill0},
       "so 99"},
      {"ComplianceFlagWrong",
       "sla.availability",
       [](Stream& s) { bill_of(s, kBill0)["serviceLevelCompliance"][0]["compliant"] = true; },
       {kBill0},
       "compliant=true"},
      {"ComplianceMissing",
       "sla.availability",
       [](Stream& s) { bill_of(s, kBill1)["serviceLevelCompliance"] = Json::array(); },
       {kBill1},
       "states no availability"},
      {"CreditNotGranted",
       "sla.credit",
       [](Stream& s) {
         auto& b = bill_of(s, kBill0);
         b["serviceLevelCompliance"][0]["credit"]["value"] = 0;
         b["appliedBillingRate"].erase(1);
         b["amountDue"]["value"] = 7;
       },
       {kBill0},
       "owed 1"},
      {"CreditRateMissing",
       "sla.credit",
       [](Stream& s) {
         auto& b = bill_of(s, kBill0);
         b["appliedBillingRate"].erase(1);
         b["amountDue"]["value"] = 7;
       },
       {kBill0},
       "slaCredit rates of 0"},
  };
  return all;
}

class BrokenRun : public ::testing::TestWithParam<Broken> {};

TEST_P(BrokenRun, FailsItsCheckWithEvidence) {
  const Broken& b = GetParam();
  Stream s = world_stream();
  b.breaks(s);
  const auto results = judge(world(), s);
  const CheckResult& r = results.at(b.check);
  EXPECT_EQ(r.verdict, Verdict::fail) << r.reason;
  EXPECT_GE(r.violations, 1U);
  EXPECT_EQ(r.events, b.evidence) << r.reason;
  EXPECT_NE(r.reason.find(b.says), std::string::npos) << r.reason;
}

INSTANTIATE_TEST_SUITE_P(AccountingOracles, BrokenRun, ::testing::ValuesIn(broken_runs()),
                         [](const ::testing::TestParamInfo<Broken>& param) { return std::string(param.param.name); });

TEST(AccountingOracles, FailARecordAcrossABillCycleBoundary) {
  auto sc = world();
  sc.i1.timers = {{"T_usage_period", 10800}}; // periods of 3 h are allowed, but not across the cycle at 7200 s
  Stream s = world_stream();
  // 3600-9000 s: 1.5 h of the VM, 3 + 3 + 1.5 = 7.5 cents -> 8 (half-even), rightly metered and rated.
  s.body(kPush2)["event"]["usage"] =
      usage("USG-2", 3600, 9000, 2 * 5'400'000LL, 4096 * 5'400'000LL, 40960 * 5'400'000LL, 8);
  const auto results = judge(sc, s);
  const CheckResult& r = results.at("usage.coverage");
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_NE(r.reason.find("USG-2"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find("across the bill cycle boundary at 7200000 ms"), std::string::npos) << r.reason;
  EXPECT_NE(std::find(r.events.begin(), r.events.end(), kPush2), r.events.end());
  EXPECT_EQ(results.at("usage.accurate").verdict, Verdict::pass) << results.at("usage.accurate").reason;
  EXPECT_EQ(results.at("usage.rating").verdict, Verdict::pass) << results.at("usage.rating").reason;
}

TEST(AccountingOracles, ExtendDeadlinesByTheTimeTheCloudProcessWasDown) {
  Stream s = world_stream();
  s.at(kPush2)["sent"] = 8100.5; // late by 0.5 s, but the Cloud process was stopped 600 s before its deadline
  s.add(7300, "truth", "cloud.down", {{"timers", 1}});
  s.add(7900, "truth", "cloud.up", {{"held", 0}});
  const auto results = judge(world(), s);
  EXPECT_EQ(results.at("usage.timely").verdict, Verdict::pass) << results.at("usage.timely").reason;
}

TEST(AccountingOracles, JudgeARedeliveredRecordByItsLostFirstSending) {
  Stream s = world_stream();
  // The first push of USG-2 was lost by the channel at 7260 s; the redelivery leaves long after the deadline.
  s.at(kPush2)["sent"] = 9500;
  s.at(kPush2)["t"] = 9500.01;
  const Json lost{{"id", 0},
                  {"t", 7260},
                  {"cat", "truth"},
                  {"type", "channel.lost"},
                  {"dir", "c2t"},
                  {"name", "UsageCreateEvent"},
                  {"corr", s.at(kPush2)["corr"]},
                  {"kind", "notification"},
                  {"reason", "channel"}};
  s.lines.insert(s.lines.begin() + (kPush2 - 1), lost);
  // ... and the channel duplicated USG-1: same id, same content.
  s.lines.push_back(s.at(kPush1));
  for (std::size_t i = 0; i < s.lines.size(); ++i)
    s.lines[i]["id"] = i + 1;
  const auto results = judge(world(), s);
  EXPECT_EQ(results.at("usage.timely").verdict, Verdict::pass) << results.at("usage.timely").reason;
  EXPECT_EQ(results.at("usage.unique").verdict, Verdict::pass) << results.at("usage.unique").reason;

  // Without the loss, the same late sending is the producer's failure.
  Stream late = world_stream();
  late.at(kPush2)["sent"] = 9500;
  EXPECT_EQ(judge(world(), late).at("usage.timely").verdict, Verdict::fail);
}

TEST(AccountingOracles, SayInconclusiveWhenTheRunEndsBeforeABillIsDue) {
  Stream s = world_stream();
  s.at(kBill1)["name"] = "SomethingElse";
  s.lines.resize(kListResponse); // the run ends at 14500 s, before the cycle-1 bill's deadline 18000 s
  const auto results = judge(world(), s);
  EXPECT_EQ(results.at("bill.sent").verdict, Verdict::inconc) << results.at("bill.sent").reason;
}

TEST(AccountingOracles, RoundCreditsHalfEven) {
  // Make the first cycle's usage 5 (USG-1 2.5 -> 2 and USG-2 at 3 with a cheaper second hour is awkward), so
  // instead bill a usage charge of 5 and expect a credit of 0.5 -> 0 (half-even) rather than 1 (half-up).
  Stream s = world_stream();
  auto& b = bill_of(s, kBill0);
  b["appliedBillingRate"][0]["amount"]["value"] = 5;
  b["appliedBillingRate"].erase(1);
  b["serviceLevelCompliance"][0]["credit"]["value"] = 0;
  b["amountDue"]["value"] = 5;
  const auto results = judge(world(), s);
  EXPECT_EQ(results.at("sla.credit").verdict, Verdict::pass) << results.at("sla.credit").reason;
  EXPECT_EQ(results.at("bill.usage_sum").verdict, Verdict::fail); // 5 is not 2 + 5, as expected
}

TEST(AccountingOracles, ReportAnUnreadableEventAsAnErrorOfEveryCheck) {
  Stream s = world_stream();
  s.at(kBoot)["vm"] = "not a number";
  const auto results = judge(world(), s);
  for (const auto& id : kChecks)
    EXPECT_EQ(results.at(id).verdict, Verdict::error) << id;
}

// Replays saved runs through the oracles when I1SIM_ACCOUNTING_REPLAY names them ("scenario.yaml=events.jsonl"
// pairs separated by commas): the false-alarm sweep over the reference implementation.
TEST(AccountingReplay, JudgesSavedReferenceRunsWithoutFalseAlarms) {
  const char* list = std::getenv("I1SIM_ACCOUNTING_REPLAY");
  if (!list)
    GTEST_SKIP() << "I1SIM_ACCOUNTING_REPLAY not set";
  std::stringstream pairs(list);
  std::string pair;
  while (std::getline(pairs, pair, ',')) {
    const auto eq = pair.find('=');
    ASSERT_NE(eq, std::string::npos) << pair;
    const auto sc = scenario::load(pair.substr(0, eq));
    OracleContext ctx{&sc, &spec::builtin(), timers_in_force(spec::builtin(), sc)};
    auto oracles = make_accounting_oracles(ctx);
    std::ifstream in(pair.substr(eq + 1));
    ASSERT_TRUE(in) << pair;
    std::string line;
    double end = 0;
    while (std::getline(in, line)) {
      const auto e = trace::from_json_line(line);
      for (auto& o : oracles)
        o->on_event(e);
      end = e.t;
    }
    for (auto& o : oracles) {
      o->finish(end);
      for (const auto& r : o->results()) {
        std::printf("%s %-18s %-7s observed %llu violations %llu %s\n", pair.substr(eq + 1).c_str(), r.check.c_str(),
                    std::string(to_string(r.verdict)).c_str(), static_cast<unsigned long long>(r.observed),
                    static_cast<unsigned long long>(r.violations), r.reason.c_str());
        EXPECT_TRUE(r.verdict == Verdict::pass || r.verdict == Verdict::none)
            << pair << " " << r.check << ": " << r.reason;
      }
    }
  }
}

} // namespace
} // namespace i1sim::conformance::accounting_oracles_test
