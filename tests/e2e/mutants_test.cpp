// End to end: the mutants. Each is listed with its defect and the requirements it breaks, runs with
// --iut mutant:NAME, and shows its defect on a shipped scenario where the reference does not.
#include "cloud/mutants.hpp"
#include "i1/spec.hpp"
#include "i1sim/iut.hpp"
#include "support/child.hpp"
#include "support/shared_run.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace i1sim::test::mutants_test {
namespace {

using nlohmann::json;

struct IutRun {
  ChildResult child;
  std::vector<json> events;
};

/// `i1sim run scenarios/SCENARIO.yaml --iut IUT`, once per process and shared across test processes.
const IutRun& run(const std::string& scenario, const std::string& iut) {
  static std::map<std::pair<std::string, std::string>, IutRun> cache;
  const auto key = std::make_pair(scenario, iut);
  if (const auto it = cache.find(key); it != cache.end())
    return it->second;
  const std::string path = source_path("scenarios/" + scenario + ".yaml");
  const SharedRun shared = shared_run({path, "--iut", iut}, path);
  IutRun r;
  r.child = shared.child;
  std::ifstream in(shared.dir + "/events.jsonl");
  for (std::string line; std::getline(in, line);)
    r.events.push_back(json::parse(line));
  return cache[key] = std::move(r);
}

/// Runs both and checks that each ran to its end (exit 0, or 1 when a scenario expectation failed).
void ran(const IutRun& r, const std::string& what) {
  ASSERT_TRUE(r.child.exit_code == 0 || r.child.exit_code == 1) << what << ": exit " << r.child.exit_code << "\n"
                                                                << r.child.err;
  ASSERT_FALSE(r.events.empty()) << what;
}

std::string text(const json& j, std::initializer_list<const char*> path) {
  const json* at = &j;
  for (const char* key : path) {
    if (!at->is_object() || !at->contains(key))
      return {};
    at = &(*at)[key];
  }
  return at->is_string() ? at->get<std::string>() : std::string();
}

bool is(const json& e, const char* type, const char* name) {
  return e.value("type", "") == type && e.value("name", "") == name;
}

std::vector<const json*> notifications(const IutRun& r, const char* name) {
  std::vector<const json*> out;
  for (const auto& e : r.events)
    if (is(e, "i1.notification", name))
      out.push_back(&e);
  return out;
}

std::string customer_of(const json& related) {
  if (related.is_array())
    for (const auto& p : related)
      if (p.is_object() && p.value("role", "") == "customer")
        return p.value("id", "");
  return {};
}

/// Service id -> customer, from the service state notifications.
std::map<std::string, std::string> customers_of_services(const IutRun& r) {
  std::map<std::string, std::string> out;
  for (const json* n : notifications(r, "ServiceStateChangeEvent")) {
    const json& s = (*n)["body"]["event"]["service"];
    out[s.value("id", "")] = customer_of(s.value("relatedParty", json()));
  }
  return out;
}

int order_notifications_in(const IutRun& r, const std::set<std::string>& states) {
  int n = 0;
  for (const json* e : notifications(r, "ServiceOrderStateChangeEvent"))
    n += states.count(text((*e)["body"], {"event", "serviceOrder", "state"})) ? 1 : 0;
  return n;
}

/// The services notified terminated.
std::set<std::string> terminated_services(const IutRun& r) {
  std::set<std::string> out;
  for (const json* n : notifications(r, "ServiceStateChangeEvent"))
    if (text((*n)["body"], {"event", "service", "state"}) == "terminated")
      out.insert(text((*n)["body"], {"event", "service", "id"}));
  return out;
}

// ---- the table ---------------------------------------------------------------------------------------------------

TEST(MutantTable, ListsAtLeastSixteenDistinctMutantsInNameOrder) {
  const auto& all = cloud::mutants();
  ASSERT_GE(all.size(), 16u);
  for (std::size_t i = 1; i < all.size(); ++i)
    EXPECT_LT(all[i - 1].name, all[i].name) << "names must be unique and sorted";
}

TEST(MutantTable, EveryMutantHasADefectAndRequirementsOfTheSpecification) {
  for (const auto& m : cloud::mutants()) {
    EXPECT_FALSE(m.defect.empty()) << m.name;
    EXPECT_EQ(m.defect.find('\n'), std::string::npos) << m.name << ": the defect is one line";
    ASSERT_FALSE(m.requirements.empty()) << m.name;
    for (const auto& id : m.requirements)
      EXPECT_NE(spec::builtin().requirement(id), nullptr) << m.name << ": no requirement " << id;
  }
}

TEST(MutantTable, EveryMutantIsBuiltAndSelectableByIut) {
  const auto names = cloud_iut_names();
  EXPECT_EQ(names.front(), "ref");
  for (const auto& m : cloud::mutants()) {
    const auto built = cloud::make_mutant(m.name, CloudSetup{});
    ASSERT_NE(built, nullptr) << m.name;
    EXPECT_EQ(built->name(), "mutant:" + m.name);
    EXPECT_NE(make_cloud_iut("mutant:" + m.name, CloudSetup{}), nullptr) << m.name;
    EXPECT_NE(std::find(names.begin(), names.end(), "mutant:" + m.name), names.end()) << m.name;
  }
  EXPECT_EQ(cloud::make_mutant("nope", CloudSetup{}), nullptr);
  EXPECT_EQ(make_cloud_iut("nope", CloudSetup{}), nullptr);
}

TEST(MutantCli, AnUnknownMutantIsAUsageErrorListingTheMutants) {
  const auto r = run_child({i1sim_binary(), "run", source_path("scenarios/terminate.yaml"), "--iut", "mutant:nope",
                            "--out", fresh_dir("mutant-nope")});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;
  for (const auto& m : cloud::mutants())
    EXPECT_NE(r.err.find(m.name), std::string::npos) << "the message should list " << m.name << ":\n" << r.err;
}

TEST(MutantCli, AMutantRunRecordsTheImplementationItRan) {
  const std::string path = source_path("scenarios/terminate.yaml");
  const SharedRun shared = shared_run({path, "--iut", "mutant:no-in-progress"}, path);
  ASSERT_TRUE(shared.child.exit_code == 0 || shared.child.exit_code == 1) << shared.child.err;
  std::ifstream in(shared.dir + "/results.json");
  const json results = json::parse(in);
  EXPECT_EQ(results["run"]["iut"], "mutant:no-in-progress");
}

// ---- each defect shows --------------------------------------------------------------------------------------------

TEST(MutantDefect, NoInProgressNeverNotifiesAnOrderInProgress) {
  const IutRun& ref = run("terminate", "ref");
  const IutRun& mut = run("terminate", "mutant:no-in-progress");
  ran(ref, "ref");
  ran(mut, "mutant");
  EXPECT_GT(order_notifications_in(ref, {"inProgress"}), 0);
  EXPECT_EQ(order_notifications_in(mut, {"inProgress"}), 0);
  EXPECT_GT(order_notifications_in(mut, {"completed"}), 0) << "the orders still end";
}

TEST(MutantDefect, OrderWithoutHrefAnswersOrdersWithoutTheirHref) {
  const IutRun& ref = run("terminate", "ref");
  const IutRun& mut = run("terminate", "mutant:order-without-href");
  ran(ref, "ref");
  ran(mut, "mutant");
  auto count = [](const IutRun& r, bool with) {
    int n = 0;
    for (const auto& e : r.events)
      if (is(e, "i1.response", "createServiceOrder") && e.value("status", 0) == 201)
        n += e["body"].contains("href") == with ? 1 : 0;
    return n;
  };
  EXPECT_GT(count(ref, true), 0);
  EXPECT_EQ(count(ref, false), 0);
  EXPECT_GT(count(mut, false), 0);
  EXPECT_EQ(count(mut, true), 0);
}

/// Services reported active (by the `sent` time of the notification) before one of their VMs really booted.
int active_before_boot(const IutRun& r) {
  std::map<std::string, double> last_boot; // service -> latest vm.booted
  for (const auto& e : r.events)
    if (e.value("type", "") == "vm.booted")
      last_boot[e.value("owner", "")] = std::max(last_boot[e.value("owner", "")], e["t"].get<double>());
  int early = 0;
  for (const json* n : notifications(r, "ServiceStateChangeEvent")) {
    const json& s = (*n)["body"]["event"]["service"];
    if (s.value("state", "") != "active")
      continue;
    const auto boot = last_boot.find(s.value("id", ""));
    early += boot == last_boot.end() || (*n)["sent"].get<double>() < boot->second ? 1 : 0;
  }
  return early;
}

TEST(MutantDefect, ActiveBeforeBootReportsServicesActiveBeforeTheirMachinesBooted) {
  const IutRun& ref = run("terminate", "ref");
  const IutRun& mut = run("terminate", "mutant:active-before-boot");
  ran(ref, "ref");
  ran(mut, "mutant");
  EXPECT_EQ(active_before_boot(ref), 0);
  EXPECT_GT(active_before_boot(mut), 0);
}

TEST(MutantDefect, DestroyNotSentLeavesTerminatedServicesRunning) {
  const IutRun& ref = run("terminate", "ref");
  const IutRun& mut = run("terminate", "mutant:destroy-not-sent");
  ran(ref, "ref");
  ran(mut, "mutant");
  auto count = [](const IutRun& r, const char* type) {
    int n = 0;
    for (const auto& e : r.events)
      n += e.value("type", "") == type ? 1 : 0;
    return n;
  };
  EXPECT_GT(terminated_services(ref).size(), 0u);
  EXPECT_EQ(static_cast<std::size_t>(count(ref, "vm.destroyed")), terminated_services(ref).size());
  EXPECT_GT(terminated_services(mut).size(), 0u);
  EXPECT_EQ(count(mut, "vm.destroyed"), 0);
}

/// The longest time from a service's last VM boot (truth) to the `sent` time of its active notification.
std::pair<double, double> activation_notice_delays(const IutRun& r) {
  std::map<std::string, double> last_boot;
  for (const auto& e : r.events)
    if (e.value("type", "") == "vm.booted")
      last_boot[e.value("owner", "")] = std::max(last_boot[e.value("owner", "")], e["t"].get<double>());
  double shortest = 1e18, longest = -1;
  for (const json* n : notifications(r, "ServiceStateChangeEvent")) {
    const json& s = (*n)["body"]["event"]["service"];
    const auto boot = last_boot.find(s.value("id", ""));
    if (s.value("state", "") != "active" || boot == last_boot.end())
      continue;
    const double delay = (*n)["sent"].get<double>() - boot->second;
    shortest = std::min(shortest, delay);
    longest = std::max(longest, delay);
  }
  return {shortest, longest};
}

TEST(MutantDefect, LateServiceEventsNotifiesLaterThanTNotify) {
  const IutRun& ref = run("terminate", "ref");
  const IutRun& mut = run("terminate", "mutant:late-service-events");
  ran(ref, "ref");
  ran(mut, "mutant");
  const double t_notify = 5; // the specification's default; the scenario sets no other
  const auto [ref_short, ref_long] = activation_notice_delays(ref);
  const auto [mut_short, mut_long] = activation_notice_delays(mut);
  ASSERT_GE(ref_long, 0) << "the reference activated nothing";
  EXPECT_LT(ref_long, t_notify);
  ASSERT_GE(mut_long, 0) << "the mutant activated nothing";
  EXPECT_GT(mut_short, t_notify);
  (void)ref_short, (void)mut_long;
}

TEST(MutantDefect, CancelSkipsStatesGoesFromInProgressStraightToCancelled) {
  const IutRun& ref = run("cancel-in-flight", "ref");
  const IutRun& mut = run("cancel-in-flight", "mutant:cancel-skips-states");
  ran(ref, "ref");
  ran(mut, "mutant");
  const std::set<std::string> cancelling{"assessingCancellation", "pendingCancellation"};
  EXPECT_GT(order_notifications_in(ref, cancelling), 0);
  EXPECT_GT(order_notifications_in(mut, {"cancelled"}), 0) << "orders are still cancelled";
  EXPECT_EQ(order_notifications_in(mut, cancelling), 0);
}

/// Orders notified completed although their errorMessage names a failed item.
int completed_with_errors(const IutRun& r) {
  int n = 0;
  for (const json* e : notifications(r, "ServiceOrderStateChangeEvent")) {
    const json& o = (*e)["body"]["event"]["serviceOrder"];
    n += o.value("state", "") == "completed" && o.contains("errorMessage") && !o["errorMessage"].empty() ? 1 : 0;
  }
  return n;
}

TEST(MutantDefect, CompletedDespiteFailureEndsFailedOrdersCompleted) {
  const IutRun& ref = run("jurisdiction-reject", "ref");
  const IutRun& mut = run("jurisdiction-reject", "mutant:completed-despite-failure");
  ran(ref, "ref");
  ran(mut, "mutant");
  EXPECT_GT(order_notifications_in(ref, {"failed"}), 0);
  EXPECT_EQ(completed_with_errors(ref), 0);
  EXPECT_EQ(order_notifications_in(mut, {"failed", "partial"}), 0);
  EXPECT_GT(completed_with_errors(mut), 0);
}

// The data centres of scenarios/jurisdiction-reject.yaml and their jurisdictions.
const std::map<std::string, std::string> kJurisdictionOf{{"dc-paris", "FR"}, {"dc-frankfurt", "DE"}};

/// VMs placed (truth) in a data centre of a jurisdiction their customer does not allow.
int unlawful_placements(const IutRun& r) {
  std::map<std::string, std::set<std::string>> allowed; // customer -> jurisdictions, as the Telecom side created it
  for (const auto& e : r.events)
    if (is(e, "i1.request", "createCustomer"))
      for (const auto& j : e["body"]["allowedJurisdiction"])
        allowed[e["body"].value("id", "")].insert(j.get<std::string>());
  const auto customers = customers_of_services(r);
  int n = 0;
  for (const auto& e : r.events) {
    if (e.value("type", "") != "vm.placed")
      continue;
    const auto c = customers.find(e.value("owner", ""));
    const std::string where = kJurisdictionOf.at(e.value("dc", ""));
    n += c == customers.end() || !allowed[c->second].count(where) ? 1 : 0;
  }
  return n;
}

TEST(MutantDefect, IgnoresJurisdictionPlacesServicesWhereTheCustomerForbids) {
  const IutRun& ref = run("jurisdiction-reject", "ref");
  const IutRun& mut = run("jurisdiction-reject", "mutant:ignores-jurisdiction");
  ran(ref, "ref");
  ran(mut, "mutant");
  EXPECT_EQ(unlawful_placements(ref), 0);
  EXPECT_GT(unlawful_placements(mut), 0);
}

/// retrieveService answers that name a data centre where none of the service's VMs was placed (truth).
int misreported_places(const IutRun& r) {
  std::map<std::string, std::set<std::string>> placed; // service -> data centres
  for (const auto& e : r.events)
    if (e.value("type", "") == "vm.placed")
      placed[e.value("owner", "")].insert(e.value("dc", ""));
  int n = 0, read = 0;
  for (const auto& e : r.events) {
    if (!is(e, "i1.response", "retrieveService") || e.value("status", 0) != 200)
      continue;
    const auto& s = e["body"];
    for (const auto& p : s["place"]) {
      ++read;
      n += placed[s.value("id", "")].count(p.value("id", "")) ? 0 : 1;
    }
  }
  return read == 0 ? -1 : n;
}

TEST(MutantDefect, WrongPlaceReportsADataCentreTheServiceDoesNotRunIn) {
  const IutRun& ref = run("jurisdiction-reject", "ref");
  const IutRun& mut = run("jurisdiction-reject", "mutant:wrong-place");
  ran(ref, "ref");
  ran(mut, "mutant");
  EXPECT_EQ(misreported_places(ref), 0);
  EXPECT_GT(misreported_places(mut), 0);
}

TEST(MutantDefect, ForeignNotificationsTellsAnOperatorOfAnotherOperatorsOrders) {
  const IutRun& ref = run("x-profile-two-operators", "ref");
  const IutRun& mut = run("x-profile-two-operators", "mutant:foreign-notifications");
  ran(ref, "ref");
  ran(mut, "mutant");
  auto foreign = [](const IutRun& r) {
    std::map<std::string, std::string> listener_of; // credential -> its callback
    std::map<std::string, std::string> owner_of;    // customer -> credential that created it
    for (const auto& e : r.events) {
      if (is(e, "i1.request", "createHub"))
        listener_of[e.value("credential", "")] = e["body"].value("callback", "");
      if (is(e, "i1.request", "createCustomer"))
        owner_of[e["body"].value("id", "")] = e.value("credential", "");
    }
    int n = 0;
    for (const json* e : notifications(r, "ServiceOrderStateChangeEvent")) {
      const std::string customer = customer_of((*e)["body"]["event"]["serviceOrder"].value("relatedParty", json()));
      n += listener_of[owner_of[customer]] != (*e).value("target", "") ? 1 : 0;
    }
    return n;
  };
  EXPECT_GT(notifications(ref, "ServiceOrderStateChangeEvent").size(), 0u);
  EXPECT_EQ(foreign(ref), 0);
  EXPECT_GT(foreign(mut), 0);
}

TEST(MutantDefect, DuplicateOrderMakesTwoOrdersForOneExternalId) {
  const IutRun& ref = run("channel-loss-duplication", "ref");
  const IutRun& mut = run("channel-loss-duplication", "mutant:duplicate-order");
  ran(ref, "ref");
  ran(mut, "mutant");
  auto most_orders_per_external_id = [](const IutRun& r) {
    std::map<std::string, std::set<std::string>> orders;
    for (const auto& e : r.events)
      if (is(e, "i1.response", "createServiceOrder") && e["body"].contains("externalId"))
        orders[e["body"].value("externalId", "")].insert(e["body"].value("id", ""));
    std::size_t most = 0;
    for (const auto& [ext, ids] : orders)
      most = std::max(most, ids.size());
    return most;
  };
  EXPECT_EQ(most_orders_per_external_id(ref), 1u);
  EXPECT_GE(most_orders_per_external_id(mut), 2u);
}

/// Deliveries of one usage event (one eventId) that name different usage records.
int renumbered_usage(const IutRun& r) {
  std::map<std::string, std::set<std::string>> ids; // eventId -> usage ids
  for (const json* n : notifications(r, "UsageCreateEvent"))
    ids[(*n).value("corr", "")].insert(text((*n)["body"], {"event", "usage", "id"}));
  int n = 0;
  for (const auto& [event, usage] : ids)
    n += usage.size() > 1 ? 1 : 0;
  return n;
}

TEST(MutantDefect, UsageNewIdsOnRetryRenumbersARedeliveredRecord) {
  const IutRun& ref = run("channel-loss-duplication", "ref");
  const IutRun& mut = run("channel-loss-duplication", "mutant:usage-new-ids-on-retry");
  ran(ref, "ref");
  ran(mut, "mutant");
  EXPECT_EQ(renumbered_usage(ref), 0);
  EXPECT_GT(renumbered_usage(mut), 0);
}

double seconds(const json& t) { return parse_iso_timestamp(t.get<std::string>()); }

/// Usage records of periods that start after their service was notified terminated.
int usage_after_termination(const IutRun& r) {
  std::map<std::string, double> ended;
  for (const json* n : notifications(r, "ServiceStateChangeEvent"))
    if (text((*n)["body"], {"event", "service", "state"}) == "terminated")
      ended.emplace(text((*n)["body"], {"event", "service", "id"}), (*n)["sent"].get<double>());
  std::set<std::string> late;
  for (const json* n : notifications(r, "UsageCreateEvent")) {
    const json& u = (*n)["body"]["event"]["usage"];
    const auto t = ended.find(text(u, {"service", "id"}));
    if (t != ended.end() && seconds(u["usagePeriod"]["startDateTime"]) >= t->second)
      late.insert(u.value("id", ""));
  }
  return static_cast<int>(late.size());
}

TEST(MutantDefect, MetersTerminatedPushesUsageForATerminatedService) {
  const IutRun& ref = run("channel-loss-duplication", "ref");
  const IutRun& mut = run("channel-loss-duplication", "mutant:meters-terminated");
  ran(ref, "ref");
  ran(mut, "mutant");
  EXPECT_EQ(usage_after_termination(ref), 0);
  EXPECT_GT(usage_after_termination(mut), 0);
}

/// vcpuMilliseconds of every record of the usage period 12:00-18:00 of the first day (the second restart of
/// scenarios/cloud-oss-restart.yaml falls in it, at 15:00).
std::vector<std::int64_t> vcpu_ms_of_restart_period(const IutRun& r) {
  std::map<std::string, std::int64_t> by_id;
  for (const json* n : notifications(r, "UsageCreateEvent")) {
    const json& u = (*n)["body"]["event"]["usage"];
    if (seconds(u["usagePeriod"]["startDateTime"]) != 12 * 3600.0)
      continue;
    for (const auto& ch : u["usageCharacteristic"])
      if (ch.value("name", "") == "vcpuMilliseconds")
        by_id[u.value("id", "")] = ch["value"].get<std::int64_t>();
  }
  std::vector<std::int64_t> out;
  for (const auto& [id, v] : by_id)
    out.push_back(v);
  return out;
}

TEST(MutantDefect, UsageLostOnRestartUndercountsThePeriodARestartFellIn) {
  const IutRun& ref = run("cloud-oss-restart", "ref");
  const IutRun& mut = run("cloud-oss-restart", "mutant:usage-lost-on-restart");
  ran(ref, "ref");
  ran(mut, "mutant");
  // Every VM of the scenario (vm-small: 2 vCPU) booted in the first hour and runs to the end: 6 h of 2 vCPU.
  const std::int64_t whole = 2LL * 6 * 3600 * 1000;
  const auto ref_records = vcpu_ms_of_restart_period(ref);
  const auto mut_records = vcpu_ms_of_restart_period(mut);
  ASSERT_FALSE(ref_records.empty());
  ASSERT_FALSE(mut_records.empty());
  for (const auto v : ref_records)
    EXPECT_EQ(v, whole);
  for (const auto v : mut_records)
    EXPECT_LT(v, whole * 3 / 4) << "a restart at 15:00 loses 3 of the 6 hours";
}

TEST(MutantDefect, RatingTruncatesRoundsAmountsDown) {
  const IutRun& ref = run("cloud-oss-restart", "ref");
  const IutRun& mut = run("cloud-oss-restart", "mutant:rating-truncates");
  ran(ref, "ref");
  ran(mut, "mutant");
  // The same world gives the same records: compare the amount of each record the two runs metered alike.
  auto records = [](const IutRun& r) {
    std::map<std::string, std::pair<std::string, std::int64_t>> out; // id -> (characteristics, amount)
    for (const json* n : notifications(r, "UsageCreateEvent")) {
      const json& u = (*n)["body"]["event"]["usage"];
      out[u.value("id", "")] = {u["usageCharacteristic"].dump() + u["usagePeriod"].dump(),
                                u["ratedProductUsage"][0]["taxExcludedRatingAmount"]["value"].get<std::int64_t>()};
    }
    return out;
  };
  const auto a = records(ref), b = records(mut);
  int compared = 0, lower = 0, higher = 0;
  for (const auto& [id, rec] : a) {
    const auto it = b.find(id);
    if (it == b.end() || it->second.first != rec.first)
      continue;
    ++compared;
    const std::int64_t diff = rec.second - it->second.second;
    lower += diff == 1 ? 1 : 0;
    higher += diff < 0 || diff > 1 ? 1 : 0;
  }
  ASSERT_GT(compared, 0);
  EXPECT_GT(lower, 0) << "some amount the reference rounded up must be truncated";
  EXPECT_EQ(higher, 0) << "truncation lowers an amount by less than one minor unit";
}

TEST(MutantDefect, NoSlaBreachNeverReportsAViolation) {
  const IutRun& ref = run("sla-violation-host-failure", "ref");
  const IutRun& mut = run("sla-violation-host-failure", "mutant:no-sla-breach");
  ran(ref, "ref");
  ran(mut, "mutant");
  int down = 0;
  for (const auto& e : mut.events)
    down += e.value("type", "") == "vm.down" ? 1 : 0;
  EXPECT_GT(down, 0) << "machines really went down";
  EXPECT_GT(notifications(ref, "ServiceLevelViolationCreateEvent").size(), 0u);
  EXPECT_EQ(notifications(mut, "ServiceLevelViolationCreateEvent").size(), 0u);
}

/// Violations reported for services none of whose VMs ever went down (truth).
int violations_without_downtime(const IutRun& r) {
  std::set<std::string> went_down;
  for (const auto& e : r.events)
    if (e.value("type", "") == "vm.down")
      went_down.insert(e.value("owner", ""));
  int n = 0;
  for (const json* v : notifications(r, "ServiceLevelViolationCreateEvent"))
    n += went_down.count(text((*v)["body"], {"event", "serviceLevelViolation", "service", "id"})) ? 0 : 1;
  return n;
}

TEST(MutantDefect, BreachWhenCompliantReportsViolationsThatNeverHappened) {
  const IutRun& ref = run("sla-violation-host-failure", "ref");
  const IutRun& mut = run("sla-violation-host-failure", "mutant:breach-when-compliant");
  ran(ref, "ref");
  ran(mut, "mutant");
  EXPECT_EQ(violations_without_downtime(ref), 0);
  EXPECT_GT(violations_without_downtime(mut), 0);
}

TEST(MutantDefect, AlarmNeverClearedLeavesAlarmsRaisedAfterTheMachinesCameBack) {
  const IutRun& ref = run("sla-violation-host-failure", "ref");
  const IutRun& mut = run("sla-violation-host-failure", "mutant:alarm-never-cleared");
  ran(ref, "ref");
  ran(mut, "mutant");
  auto cleared = [](const IutRun& r) {
    int n = 0;
    for (const json* a : notifications(r, "AlarmStateChangeEvent"))
      n += text((*a)["body"], {"event", "alarm", "state"}) == "cleared" ? 1 : 0;
    return n;
  };
  int up = 0;
  for (const auto& e : mut.events)
    up += e.value("type", "") == "vm.up" ? 1 : 0;
  EXPECT_GT(up, 0) << "machines really came back";
  EXPECT_GT(notifications(mut, "AlarmCreateEvent").size(), 0u) << "alarms are still raised";
  EXPECT_GT(cleared(ref), 0);
  EXPECT_EQ(cleared(mut), 0);
}

TEST(MutantDefect, ListHidesTerminatedLeavesEndedServicesOutOfListsAndTheAuditFindsThem) {
  const IutRun& ref = run("conf-billed-short", "ref");
  const IutRun& mut = run("conf-billed-short", "mutant:list-hides-terminated");
  ran(ref, "ref");
  ran(mut, "mutant");
  // How many terminated services the lists showed.
  auto listed_terminated = [](const IutRun& r) {
    int n = 0;
    for (const auto& e : r.events)
      if (is(e, "i1.response", "listService") && e["body"].is_array())
        for (const auto& s : e["body"])
          n += s.value("state", "") == "terminated" ? 1 : 0;
    return n;
  };
  auto mismatches = [](const IutRun& r) {
    std::set<std::string> out;
    for (const auto& e : r.events)
      if (e.value("type", "") == "inventory.mismatch")
        out.insert(e.value("service", ""));
    return out;
  };
  ASSERT_FALSE(terminated_services(ref).empty());
  EXPECT_GT(listed_terminated(ref), 0) << "the reference lists ended services";
  EXPECT_TRUE(mismatches(ref).empty());
  ASSERT_FALSE(terminated_services(mut).empty()) << "the mutant still terminates services";
  EXPECT_EQ(listed_terminated(mut), 0);
  // The Telecom side's inventory audit names services that were really terminated.
  const auto found = mismatches(mut);
  const auto ended = terminated_services(mut);
  ASSERT_FALSE(found.empty());
  for (const auto& svc : found)
    EXPECT_TRUE(ended.count(svc)) << "the audit found a mismatch on " << svc << ", which was not terminated";
}

TEST(MutantDefect, EveryMutantHasADefectTest) {
  // The tests above, by mutant: a mutant added to the table needs one here too.
  const std::set<std::string> shown{"active-before-boot",
                                    "alarm-never-cleared",
                                    "breach-when-compliant",
                                    "cancel-skips-states",
                                    "completed-despite-failure",
                                    "destroy-not-sent",
                                    "duplicate-order",
                                    "foreign-notifications",
                                    "ignores-jurisdiction",
                                    "late-service-events",
                                    "list-hides-terminated",
                                    "meters-terminated",
                                    "no-in-progress",
                                    "no-sla-breach",
                                    "order-without-href",
                                    "rating-truncates",
                                    "usage-lost-on-restart",
                                    "usage-new-ids-on-retry",
                                    "wrong-place"};
  for (const auto& m : cloud::mutants())
    EXPECT_TRUE(shown.count(m.name)) << m.name << " has no test showing its defect";
}

} // namespace
} // namespace i1sim::test::mutants_test
