// Unit tests of the world oracles (conformance/oracles/world): I1 claims judged against ground truth.
#include "conformance/oracles/oracle.hpp"
#include "i1/spec.hpp"
#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"

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

namespace i1sim::conformance::world_oracles_test {
namespace {

using Json = nlohmann::ordered_json;
using Results = std::map<std::string, CheckResult>;

// Two data centres: dc-paris (FR) and dc-berlin (DE). Day-long bill cycles; the spec's default timers
// (T_notify 5 s, T_sla 900 s, T_activation 600 s).
scenario::Scenario platform() {
  scenario::Scenario sc;
  sc.name = "world-unit";
  scenario::DataCentre paris, berlin;
  paris.name = "dc-paris";
  paris.jurisdiction = "FR";
  berlin.name = "dc-berlin";
  berlin.jurisdiction = "DE";
  sc.platform.data_centres = {paris, berlin};
  sc.billing = {"EUR", 86400, 1};
  return sc;
}

/// A hand-written event stream; every helper returns the id of the event it adds.
class Stream {
public:
  std::uint64_t add(double t, const char* cat, const std::string& type, Json fields) {
    Json e{{"id", next_}, {"t", t}, {"cat", cat}, {"type", type}};
    for (auto& [k, v] : fields.items())
      e[k] = v;
    lines_.push_back(e.dump());
    return next_++;
  }
  std::uint64_t request(double t, const std::string& name, const std::string& corr, const std::string& target,
                        Json body, const std::string& credential = "") {
    Json f{{"dir", "t2c"}, {"name", name}, {"corr", corr}, {"target", target}};
    if (!credential.empty())
      f["credential"] = credential;
    f["sent"] = t - 0.01;
    f["body"] = std::move(body);
    return add(t, "i1", "i1.request", std::move(f));
  }
  std::uint64_t response(double t, const std::string& name, const std::string& corr, int status, Json body) {
    return add(
        t, "i1", "i1.response",
        {{"dir", "c2t"}, {"name", name}, {"corr", corr}, {"status", status}, {"sent", t - 0.01}, {"body", body}});
  }
  std::uint64_t notify(double sent, const std::string& name, const std::string& key, Json resource,
                       const std::string& callback = "sim://listener/operator") {
    const std::string corr = fmt::format("EV-{}", next_);
    return add(sent + 0.01, "i1", "i1.notification",
               {{"dir", "c2t"},
                {"name", name},
                {"corr", corr},
                {"target", callback},
                {"sent", sent},
                {"body", {{"event", {{key, resource}}}, {"eventId", corr}, {"eventType", name}}}});
  }
  std::uint64_t vm(double t, const std::string& type, int vm, const std::string& owner,
                   const std::string& dc = "dc-paris") {
    return add(t, "truth", type, {{"dc", dc}, {"vm", vm}, {"owner", owner}, {"host", dc + ".h0"}, {"vcpu", 2}});
  }
  std::uint64_t truth(double t, const std::string& type) { return add(t, "truth", type, Json::object()); }
  const std::vector<std::string>& lines() const { return lines_; }

private:
  std::vector<std::string> lines_;
  std::uint64_t next_ = 1;
};

Json characteristics(int instances, double objective = 0, const std::vector<std::string>& allowed = {},
                     double max_activation = 600) {
  Json list = Json::array();
  list.push_back({{"name", "instances"}, {"value", instances}, {"valueType", "integer"}});
  list.push_back({{"name", "maxActivationSeconds"}, {"value", max_activation}, {"valueType", "number"}});
  if (objective > 0)
    list.push_back({{"name", "availabilityObjective"}, {"value", objective}, {"valueType", "number"}});
  if (!allowed.empty())
    list.push_back({{"name", "allowedJurisdiction"}, {"value", allowed}, {"valueType", "array"}});
  return list;
}

Json party(const std::string& customer) { return Json::array({{{"id", customer}, {"role", "customer"}}}); }

Json service_body(const std::string& id, const std::string& customer, const std::string& state,
                  const std::string& operating, Json chars, Json place) {
  return {{"id", id},
          {"href", "/svc/" + id},
          {"state", state},
          {"operatingStatus", operating},
          {"serviceSpecification", {{"id", "vm"}}},
          {"serviceCharacteristic", std::move(chars)},
          {"relatedParty", party(customer)},
          {"place", std::move(place)}};
}

Json paris() { return Json::array({{{"id", "dc-paris"}, {"role", "dataCentre"}, {"jurisdiction", "FR"}}}); }

Json order_body(const std::string& so, const std::string& customer, const std::string& item_state,
                const std::string& action, const std::string& service, Json chars, const std::string& error = "") {
  Json item{{"action", action}, {"id", "1"}, {"service", {{"id", service}}}, {"state", item_state}};
  if (!chars.is_null())
    item["service"]["serviceCharacteristic"] = chars;
  Json o{{"id", so},
         {"href", "/so/" + so},
         {"relatedParty", party(customer)},
         {"serviceOrderItem", {item}},
         {"state", item_state}};
  if (!error.empty())
    o["errorMessage"] = Json::array({{{"code", error}, {"reason", "r"}, {"serviceOrderItem", {{{"id", "1"}}}}}});
  return o;
}

/// Sends an order with one item and its 201; returns the request's id.
std::uint64_t order(Stream& s, double t, const std::string& so, const std::string& customer, const std::string& action,
                    const std::string& service, Json chars, const std::string& credential = "") {
  const std::string corr = "REQ-" + so;
  Json item{{"action", action}, {"id", "1"}, {"service", Json::object()}};
  if (action != "add")
    item["service"]["id"] = service;
  if (!chars.is_null())
    item["service"]["serviceCharacteristic"] = chars;
  const auto id = s.request(
      t, "createServiceOrder", corr, "/so",
      {{"externalId", "PO-" + so}, {"relatedParty", party(customer)}, {"serviceOrderItem", {item}}}, credential);
  s.response(t + 0.01, "createServiceOrder", corr, 201,
             order_body(so, customer, "acknowledged", action, service, chars));
  return id;
}

void customer(Stream& s, const std::string& id, const std::vector<std::string>& allowed,
              const std::string& op = "operator", const std::string& credential = "") {
  const Json body{{"id", id}, {"allowedJurisdiction", allowed}, {"relatedParty", {{{"id", op}, {"role", "operator"}}}}};
  s.request(0.1, "createCustomer", "REQ-C-" + id, "/customer", body, credential);
  s.response(0.2, "createCustomer", "REQ-C-" + id, 201, body);
}

/// What to break in the reference world below.
struct Breaks {
  bool modify_early = false;    // the modify completes before its new VM boots
  bool cancel_keeps_vm = false; // the cancelled order's VM is never destroyed
  bool activation_late = false; // SVC-1 boots and turns active at 700 s (deadline 610 s)
  bool delete_keeps_vm = false; // the delete completes but VM 1 stays
  bool read_wrong_instances = false;
  bool active_before_boot = false; // SVC-1 is reported active at 25 s, its VM boots at 30 s
  bool no_degraded = false;
  bool job_wrong_granularity = false;
  bool report_wrong_availability = false;
  bool no_alarm = false;
  bool alarm_cleared_late = false;
  bool spurious_alarm = false;
  bool wrong_objective = false;
  bool no_violation = false;
  bool spurious_violation = false;
  bool placed_in_berlin = false;
  bool read_wrong_jurisdiction = false;
};

/// Event ids of the reference world, for evidence.
struct Ids {
  std::uint64_t order1 = 0, active1 = 0, order3 = 0, modify_done = 0, vm3_placed = 0, cancel_done = 0, vm1_placed = 0,
                delete_done = 0, read = 0, vm1_down = 0, vm1_up = 0, job_req = 0, job_resp = 0, report_1800 = 0,
                alarm_raised = 0, alarm_cleared = 0, spurious_alarm = 0, view_svc1 = 0, spurious_violation = 0;
};

// The reference world (end 3000 s). Customer C1 allows FR only.
//   SO-1 (10 s) adds SVC-1: 1 instance, objective 99.5 %; VM 1 placed in dc-paris, boots at 30 s, active.
//   SO-4 (100 s) adds SVC-2 (objective 99.5 %), VM 3; cancelled at 100.5 s, VM 3 destroyed.
//   SO-3 (500 s) scales SVC-1 to 2 instances: VM 2 boots at 520 s, the item completes.
//   A measurement job (50 s) on SVC-1, g_15mn, availability and allocatedVcpu: periods end 900, 1800, 2700.
//   VM 1 down 1000-2000 s: alarm raised and cleared, degraded and running notified. Budget of 99.5 % of a day is
//   432 s: broken at 1432 s, violation sent at 1432.01 s.
//   SO-2 (2800 s) deletes SVC-1: VMs 1 and 2 destroyed, item completed, service terminated, job completed.
Stream reference_world(const Breaks& b, Ids& ids) {
  Stream s;
  s.request(0.0, "createHub", "REQ-H", "/hub", {{"callback", "sim://listener/operator"}});
  s.response(0.05, "createHub", "REQ-H", 201, {{"id", "HUB-1"}, {"callback", "sim://listener/operator"}});
  customer(s, "C1", {"FR"});
  const auto chars1 = characteristics(1, 99.5, {}, b.activation_late ? 15 : 600);
  ids.order1 = order(s, 10, "SO-1", "C1", "add", "SVC-1", chars1);
  const std::string dc1 = b.placed_in_berlin ? "dc-berlin" : "dc-paris";
  ids.vm1_placed = s.vm(10.1, "vm.placed", 1, "SVC-1", dc1);
  s.notify(10.2, "ServiceStateChangeEvent", "service",
           service_body("SVC-1", "C1", "reserved", "starting", chars1, paris()));
  const double boot = 30;
  if (b.active_before_boot)
    ids.active1 = s.notify(25, "ServiceStateChangeEvent", "service",
                           service_body("SVC-1", "C1", "active", "running", chars1, paris()));
  s.vm(boot, "vm.booted", 1, "SVC-1", dc1);
  if (!b.active_before_boot)
    ids.active1 = s.notify(boot + 0.01, "ServiceStateChangeEvent", "service",
                           service_body("SVC-1", "C1", "active", "running", chars1, paris()));
  s.notify(boot + 0.01, "ServiceOrderStateChangeEvent", "serviceOrder",
           order_body("SO-1", "C1", "completed", "add", "SVC-1", chars1));
  // The read happens after activation whenever that is.
  const double read_at = 40;
  const std::string read_dc_code = b.read_wrong_jurisdiction ? "DE" : "FR";
  s.request(read_at, "retrieveService", "REQ-R", "/svc/SVC-1", nullptr);
  ids.read =
      s.response(read_at + 0.01, "retrieveService", "REQ-R", 200,
                 service_body("SVC-1", "C1", "active", "running", characteristics(b.read_wrong_instances ? 3 : 1, 99.5),
                              Json::array({{{"id", dc1}, {"role", "dataCentre"}, {"jurisdiction", read_dc_code}}})));
  // Measurement job.
  ids.job_req = s.request(50, "createMeasurementCollectionJob", "REQ-J", "/job",
                          {{"service", {{"id", "SVC-1"}}},
                           {"granularity", "g_15mn"},
                           {"performanceIndicator", {"availability", "allocatedVcpu"}}});
  ids.job_resp = s.response(50.01, "createMeasurementCollectionJob", "REQ-J", 201,
                            {{"id", "MCJ-1"},
                             {"service", {{"id", "SVC-1"}}},
                             {"granularity", b.job_wrong_granularity ? "g_1h" : "g_15mn"},
                             {"performanceIndicator", {"availability", "allocatedVcpu"}},
                             {"executionState", "acknowledged"}});
  // SO-4: added, then cancelled.
  const auto chars2 = characteristics(1, 99.5);
  order(s, 100, "SO-4", "C1", "add", "SVC-2", chars2);
  ids.vm3_placed = s.vm(100.01, "vm.placed", 3, "SVC-2");
  s.notify(100.02, "ServiceStateChangeEvent", "service",
           service_body("SVC-2", "C1", "reserved", "starting", chars2, paris()));
  s.request(100.5, "createCancelServiceOrder", "REQ-X", "/cancel", {{"serviceOrder", {{"id", "SO-4"}}}});
  if (!b.cancel_keeps_vm)
    s.vm(100.51, "vm.destroyed", 3, "SVC-2");
  s.response(100.52, "createCancelServiceOrder", "REQ-X", 201,
             {{"id", "CSO-1"}, {"serviceOrder", {{"id", "SO-4"}}}, {"state", "accepted"}});
  ids.cancel_done = s.notify(100.52, "CancelServiceOrderStateChangeEvent", "cancelServiceOrder",
                             {{"id", "CSO-1"}, {"serviceOrder", {{"id", "SO-4"}}}, {"state", "done"}});
  s.notify(100.52, "ServiceOrderStateChangeEvent", "serviceOrder",
           order_body("SO-4", "C1", "cancelled", "add", "SVC-2", chars2));
  if (b.spurious_alarm)
    ids.spurious_alarm = s.notify(200, "AlarmCreateEvent", "alarm",
                                  {{"id", "ALM-9"}, {"alarmedObject", {{"id", "SVC-2"}}}, {"state", "raised"}});
  if (b.spurious_violation)
    ids.spurious_violation = s.notify(
        300, "ServiceLevelViolationCreateEvent", "serviceLevelViolation",
        {{"id", "SLV-9"},
         {"service", {{"id", "SVC-2"}}},
         {"objective", 99.5},
         {"period",
          {{"startDateTime", "2026-01-01T00:00:00.000000Z"}, {"endDateTime", "2026-01-02T00:00:00.000000Z"}}}});
  // SO-3: scale SVC-1 to 2.
  const Json modify_chars = Json::array({{{"name", "instances"}, {"value", 2}, {"valueType", "integer"}}});
  ids.order3 = order(s, 500, "SO-3", "C1", "modify", "SVC-1", modify_chars);
  s.vm(500.01, "vm.placed", 2, "SVC-1");
  if (b.modify_early)
    ids.modify_done = s.notify(510, "ServiceOrderStateChangeEvent", "serviceOrder",
                               order_body("SO-3", "C1", "completed", "modify", "SVC-1", modify_chars));
  s.vm(520, "vm.booted", 2, "SVC-1");
  if (!b.modify_early)
    ids.modify_done = s.notify(520.01, "ServiceOrderStateChangeEvent", "serviceOrder",
                               order_body("SO-3", "C1", "completed", "modify", "SVC-1", modify_chars));
  ids.view_svc1 = s.notify(
      520.01, "ServiceStateChangeEvent", "service",
      service_body("SVC-1", "C1", "active", "running", characteristics(2, b.wrong_objective ? 99 : 99.5), paris()));
  // Reports: 900 (50..900, up), 1800 (900..1800, down 800 s), 2700 (1800..2700, down 200 s).
  const auto report = [&](double end, double start, double availability) {
    return s.notify(end + 1, "PerformanceReportEvent", "performanceReport",
                    {{"id", fmt::format("PR-{}", end)},
                     {"measurementCollectionJob", {{"id", "MCJ-1"}}},
                     {"service", {{"id", "SVC-1"}}},
                     {"period",
                      {{"startDateTime", fmt::format("2026-01-01T00:{:02}:{:02}.000000Z", static_cast<int>(start) / 60,
                                                     static_cast<int>(start) % 60)},
                       {"endDateTime", fmt::format("2026-01-01T00:{:02}:{:02}.000000Z", static_cast<int>(end) / 60,
                                                   static_cast<int>(end) % 60)}}},
                     {"measurement",
                      {{{"indicator", "availability"}, {"value", availability}, {"unit", "%"}},
                       {{"indicator", "allocatedVcpu"}, {"value", 4}, {"unit", "vCPU"}}}}});
  };
  report(900, 50, 100.0);
  ids.vm1_down = s.vm(1000, "vm.down", 1, "SVC-1", dc1);
  if (!b.no_alarm)
    ids.alarm_raised = s.notify(1000.01, "AlarmCreateEvent", "alarm",
                                {{"id", "ALM-1"}, {"alarmedObject", {{"id", "SVC-1"}}}, {"state", "raised"}});
  if (!b.no_degraded)
    s.notify(1000.01, "ServiceOperatingStatusChangeEvent", "service",
             service_body("SVC-1", "C1", "active", "degraded", characteristics(2, 99.5), paris()));
  if (!b.no_violation)
    s.notify(1432.01, "ServiceLevelViolationCreateEvent", "serviceLevelViolation",
             {{"id", "SLV-1"},
              {"service", {{"id", "SVC-1"}}},
              {"objective", 99.5},
              {"period",
               {{"startDateTime", "2026-01-01T00:00:00.000000Z"}, {"endDateTime", "2026-01-02T00:00:00.000000Z"}}}});
  ids.report_1800 = report(1800, 900, b.report_wrong_availability ? 100.0 : 100.0 * 100 / 900);
  ids.vm1_up = s.vm(2000, "vm.up", 1, "SVC-1", dc1);
  if (!b.no_alarm)
    ids.alarm_cleared = s.notify(b.alarm_cleared_late ? 2100 : 2000.01, "AlarmStateChangeEvent", "alarm",
                                 {{"id", "ALM-1"}, {"alarmedObject", {{"id", "SVC-1"}}}, {"state", "cleared"}});
  s.notify(2000.01, "ServiceOperatingStatusChangeEvent", "service",
           service_body("SVC-1", "C1", "active", "running", characteristics(2, 99.5), paris()));
  report(2700, 1800, 100.0 * 700 / 900);
  // SO-2 deletes SVC-1.
  order(s, 2800, "SO-2", "C1", "delete", "SVC-1", nullptr);
  if (!b.delete_keeps_vm)
    s.vm(2800.5, "vm.destroyed", 1, "SVC-1", dc1);
  s.vm(2800.5, "vm.destroyed", 2, "SVC-1");
  ids.delete_done = s.notify(2800.6, "ServiceOrderStateChangeEvent", "serviceOrder",
                             order_body("SO-2", "C1", "completed", "delete", "SVC-1", nullptr));
  s.notify(2800.6, "ServiceStateChangeEvent", "service",
           service_body("SVC-1", "C1", "terminated", "stopped", characteristics(2, 99.5), Json::array()));
  s.notify(2800.6, "MeasurementCollectionJobStateChangeEvent", "measurementCollectionJob",
           {{"id", "MCJ-1"}, {"service", {{"id", "SVC-1"}}}, {"executionState", "completed"}});
  return s;
}

Results judge(const scenario::Scenario& sc, const std::vector<std::string>& lines, double end) {
  OracleContext ctx;
  ctx.scenario = &sc;
  ctx.spec = &spec::builtin();
  ctx.timers = timers_in_force(spec::builtin(), sc);
  auto oracles = make_world_oracles(ctx);
  for (const auto& line : lines) {
    const trace::Event e = trace::from_json_line(line);
    for (auto& o : oracles)
      o->on_event(e);
  }
  Results out;
  for (auto& o : oracles) {
    o->finish(end);
    for (auto& r : o->results())
      out[r.check] = r;
  }
  return out;
}

Results judge_world(const Breaks& b, Ids& ids) { return judge(platform(), reference_world(b, ids).lines(), 3000); }

TEST(WorldOracles, ListEveryWorldCheckOfTheCatalogueOnce) {
  const std::vector<std::string> expected{
      "order.modify",          "order.cancel",         "order.activation", "order.delete",  "inv.read",
      "inv.active_after_boot", "inv.operating_status", "pm.job",           "pm.report",     "alarm.raised",
      "alarm.cleared",         "alarm.spurious",       "sla.objective",    "sla.violation", "reg.allowed",
      "reg.placement",         "reg.reported_place",   "iso.own_data",     "iso.ids"};
  std::vector<std::string> ids;
  for (const auto& c : world_checks())
    ids.push_back(c.id);
  EXPECT_EQ(ids, expected);
  Ids unused;
  const auto results = judge_world({}, unused);
  EXPECT_EQ(results.size(), expected.size());
}

TEST(WorldOracles, PassEveryCheckOnTheReferenceWorldWithHandCountedObservations) {
  Ids ids;
  const auto results = judge_world({}, ids);
  // How often each check applies, counted by hand from the story above reference_world().
  const std::map<std::string, std::uint64_t> observed{
      {"order.modify", 1},      {"order.cancel", 1},          {"order.activation", 1},     {"order.delete", 1},
      {"inv.read", 1},          {"inv.active_after_boot", 1}, {"inv.operating_status", 2}, {"pm.job", 1},
      {"pm.report", 3},         {"alarm.raised", 1},          {"alarm.cleared", 1},        {"alarm.spurious", 1},
      {"sla.objective", 2},     {"sla.violation", 1},         {"reg.allowed", 3},          {"reg.placement", 3},
      {"reg.reported_place", 1}};
  for (const auto& [check, n] : observed) {
    const auto& r = results.at(check);
    EXPECT_EQ(r.verdict, Verdict::pass) << check << ": " << r.reason;
    EXPECT_EQ(r.observed, n) << check;
    EXPECT_EQ(r.violations, 0U) << check;
  }
  // Single-operator runs carry no credentials: isolation never applies.
  EXPECT_EQ(results.at("iso.own_data").verdict, Verdict::none);
  EXPECT_EQ(results.at("iso.ids").verdict, Verdict::none);
}

TEST(WorldOracles, SayNoneForEveryCheckWhenNothingWasOrdered) {
  Stream s;
  s.request(0.0, "createHub", "REQ-H", "/hub", {{"callback", "sim://listener/operator"}});
  s.response(0.05, "createHub", "REQ-H", 201, {{"id", "HUB-1"}});
  customer(s, "C1", {"FR"});
  s.truth(10, "host.down");
  s.truth(20, "host.up");
  const auto results = judge(platform(), s.lines(), 100);
  for (const auto& c : world_checks()) {
    EXPECT_EQ(results.at(c.id).verdict, Verdict::none) << c.id << ": " << results.at(c.id).reason;
    EXPECT_EQ(results.at(c.id).observed, 0U) << c.id;
  }
}

struct BrokenCase {
  std::string name;
  std::function<void(Breaks&)> breaks;
  std::string check;
  std::function<std::vector<std::uint64_t>(const Ids&)> evidence;
  std::string reason_has; // a fragment the reason must name
};

std::vector<BrokenCase> broken_cases() {
  return {
      {"ModifyCompletedBeforeItsVmBooted", [](Breaks& b) { b.modify_early = true; }, "order.modify",
       [](const Ids& i) {
         return std::vector<std::uint64_t>{i.order3, i.modify_done};
       },
       "really ran 1 VMs"},
      {"CancelledOrderKeepsItsVm", [](Breaks& b) { b.cancel_keeps_vm = true; }, "order.cancel",
       [](const Ids& i) {
         return std::vector<std::uint64_t>{i.vm3_placed, i.cancel_done};
       },
       "never destroyed"},
      {"ActivationAfterItsDeadline", [](Breaks& b) { b.activation_late = true; }, "order.activation",
       [](const Ids& i) {
         return std::vector<std::uint64_t>{i.order1, i.active1};
       },
       "after its deadline 25.000 s"},
      {"DeleteLeavesAVm", [](Breaks& b) { b.delete_keeps_vm = true; }, "order.delete",
       [](const Ids& i) {
         return std::vector<std::uint64_t>{i.vm1_placed, i.delete_done};
       },
       "never destroyed"},
      {"ReadShowsInstancesNeverOrdered", [](Breaks& b) { b.read_wrong_instances = true; }, "inv.read",
       [](const Ids& i) { return std::vector<std::uint64_t>{i.read}; }, "shows instances 3"},
      {"ActiveBeforeTheVmBooted", [](Breaks& b) { b.active_before_boot = true; }, "inv.active_after_boot",
       [](const Ids& i) {
         return std::vector<std::uint64_t>{i.order1, i.active1};
       },
       "only 0 of its 1 VMs"},
      {"DownWithoutDegradedStatus", [](Breaks& b) { b.no_degraded = true; }, "inv.operating_status",
       [](const Ids& i) { return std::vector<std::uint64_t>{i.vm1_down}; }, "no degraded or failed"},
      {"JobCreatedWithAnotherGranularity", [](Breaks& b) { b.job_wrong_granularity = true; }, "pm.job",
       [](const Ids& i) {
         return std::vector<std::uint64_t>{i.job_req, i.job_resp};
       },
       "granularity g_1h"},
      {"ReportHidesDowntime", [](Breaks& b) { b.report_wrong_availability = true; }, "pm.report",
       [](const Ids& i) { return std::vector<std::uint64_t>{i.report_1800}; }, "availability = 100"},
      {"NoAlarmForADownVm", [](Breaks& b) { b.no_alarm = true; }, "alarm.raised",
       [](const Ids& i) { return std::vector<std::uint64_t>{i.vm1_down}; }, "no alarm naming the service"},
      {"AlarmClearedLate", [](Breaks& b) { b.alarm_cleared_late = true; }, "alarm.cleared",
       [](const Ids& i) {
         return std::vector<std::uint64_t>{i.alarm_raised, i.vm1_up, i.alarm_cleared};
       },
       "cleared only at 2100.000 s"},
      {"AlarmForAHealthyService", [](Breaks& b) { b.spurious_alarm = true; }, "alarm.spurious",
       [](const Ids& i) { return std::vector<std::uint64_t>{i.spurious_alarm}; }, "ALM-9"},
      {"ServiceShowsAnotherObjective", [](Breaks& b) { b.wrong_objective = true; }, "sla.objective",
       [](const Ids& i) {
         return std::vector<std::uint64_t>{i.order1, i.view_svc1};
       },
       "shown with 99"},
      {"NoViolationThoughTheBudgetWasSpent", [](Breaks& b) { b.no_violation = true; }, "sla.violation",
       [](const Ids& i) { return std::vector<std::uint64_t>{i.vm1_down}; }, "from 1432.000 s"},
      {"ViolationForAServiceThatWasNeverDown", [](Breaks& b) { b.spurious_violation = true; }, "sla.violation",
       [](const Ids& i) { return std::vector<std::uint64_t>{i.spurious_violation}; }, "SLV-9"},
      {"PlacedOutsideTheAllowedJurisdiction", [](Breaks& b) { b.placed_in_berlin = true; }, "reg.allowed",
       [](const Ids& i) {
         return std::vector<std::uint64_t>{i.order1, i.vm1_placed};
       },
       "dc-berlin (DE)"},
      {"VmRunsOutsideTheAllowedJurisdiction", [](Breaks& b) { b.placed_in_berlin = true; }, "reg.placement",
       [](const Ids& i) {
         return std::vector<std::uint64_t>{i.order1, i.vm1_placed};
       },
       "dc-berlin (DE)"},
      {"ReadShowsAWrongJurisdiction", [](Breaks& b) { b.read_wrong_jurisdiction = true; }, "reg.reported_place",
       [](const Ids& i) { return std::vector<std::uint64_t>{i.read}; }, "jurisdiction 'DE', really 'FR'"},
  };
}

class BrokenWorld : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenWorld, FailsItsCheckWithEvidence) {
  const auto& c = GetParam();
  Breaks b;
  c.breaks(b);
  Ids ids;
  const auto results = judge_world(b, ids);
  const auto& r = results.at(c.check);
  EXPECT_EQ(r.verdict, Verdict::fail) << r.reason;
  EXPECT_GE(r.violations, 1U);
  auto expected = c.evidence(ids);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(r.events, expected) << r.reason;
  EXPECT_NE(r.reason.find(c.reason_has), std::string::npos) << r.reason;
}

INSTANTIATE_TEST_SUITE_P(WorldOracles, BrokenWorld, ::testing::ValuesIn(broken_cases()),
                         [](const ::testing::TestParamInfo<BrokenCase>& p) { return p.param.name; });

TEST(WorldOracles, ExtendTheAlarmDeadlineByTheTimeTheCloudProcessWasDown) {
  // VM 1 goes down at 1000 s while the Cloud process is stopped from 999 s to 1060 s; the alarm at 1062 s is
  // within T_notify of the down once the 60 s the harness held the process are added (deadline 1065 s).
  Stream s;
  customer(s, "C1", {"FR"});
  order(s, 10, "SO-1", "C1", "add", "SVC-1", characteristics(1));
  s.vm(10.1, "vm.placed", 1, "SVC-1");
  s.vm(30, "vm.booted", 1, "SVC-1");
  s.notify(30.01, "ServiceStateChangeEvent", "service",
           service_body("SVC-1", "C1", "active", "running", characteristics(1), paris()));
  s.truth(999, "cloud.down");
  const auto down = s.vm(1000, "vm.down", 1, "SVC-1");
  s.truth(1059, "cloud.up");
  const auto alarm =
      s.notify(1062, "AlarmCreateEvent", "alarm", {{"id", "ALM-1"}, {"alarmedObject", {{"id", "SVC-1"}}}});
  auto results = judge(platform(), s.lines(), 2000);
  EXPECT_EQ(results.at("alarm.raised").verdict, Verdict::pass) << results.at("alarm.raised").reason;
  // Without the outage the same alarm is late.
  Stream late;
  customer(late, "C1", {"FR"});
  order(late, 10, "SO-1", "C1", "add", "SVC-1", characteristics(1));
  late.vm(10.1, "vm.placed", 1, "SVC-1");
  late.vm(30, "vm.booted", 1, "SVC-1");
  late.notify(30.01, "ServiceStateChangeEvent", "service",
              service_body("SVC-1", "C1", "active", "running", characteristics(1), paris()));
  const auto late_down = late.vm(1000, "vm.down", 1, "SVC-1");
  late.notify(1062, "AlarmCreateEvent", "alarm", {{"id", "ALM-1"}, {"alarmedObject", {{"id", "SVC-1"}}}});
  results = judge(platform(), late.lines(), 2000);
  EXPECT_EQ(results.at("alarm.raised").verdict, Verdict::fail);
  EXPECT_EQ(results.at("alarm.raised").events, std::vector<std::uint64_t>{late_down});
  (void)down;
  (void)alarm;
}

TEST(WorldOracles, RequireJurisdictionUnavailableWhenNoDataCentreIsAllowed) {
  // The item narrows C1's FR to CH: no data centre of the platform is in CH.
  const auto run = [](bool completes) {
    Stream s;
    customer(s, "C1", {"FR", "CH"});
    const auto req = order(s, 10, "SO-1", "C1", "add", "SVC-1", characteristics(1, 0, {"CH"}));
    const auto end = s.notify(10.5, "ServiceOrderStateChangeEvent", "serviceOrder",
                              order_body("SO-1", "C1", completes ? "completed" : "failed", "add", "SVC-1", nullptr,
                                         completes ? "" : "jurisdictionUnavailable"));
    return std::make_tuple(judge(platform(), s.lines(), 100), req, end);
  };
  const auto [bad, req, end] = run(true);
  EXPECT_EQ(bad.at("reg.placement").verdict, Verdict::fail);
  EXPECT_EQ(bad.at("reg.placement").events, (std::vector<std::uint64_t>{req, end}));
  const auto [good, req2, end2] = run(false);
  EXPECT_EQ(good.at("reg.placement").verdict, Verdict::pass) << good.at("reg.placement").reason;
  EXPECT_EQ(good.at("reg.placement").observed, 1U);
  (void)req2;
  (void)end2;
}

// Two operators (X profile): op-a owns C1, op-b owns C2; each has its own listener.
struct XWorld {
  Stream s;
  std::uint64_t leak = 0, shared_order = 0;
};

XWorld x_world(bool leak, bool share_ids) {
  XWorld w;
  Stream& s = w.s;
  s.request(0.0, "createHub", "REQ-HA", "/hub", {{"callback", "sim://listener/op-a"}}, "token-a");
  s.response(0.05, "createHub", "REQ-HA", 201, {{"id", "HUB-1"}});
  s.request(0.0, "createHub", "REQ-HB", "/hub", {{"callback", "sim://listener/op-b"}}, "token-b");
  s.response(0.05, "createHub", "REQ-HB", 201, {{"id", "HUB-2"}});
  customer(s, "C1", {"FR"}, "op-a", "token-a");
  customer(s, "C2", {"FR"}, "op-b", "token-b");
  order(s, 10, "SO-1", "C1", "add", "SVC-1", characteristics(1), "token-a");
  const std::string second = share_ids ? "SO-1" : "SO-2";
  const std::string corr = "REQ-B";
  s.request(11, "createServiceOrder", corr, "/so", {{"relatedParty", party("C2")}}, "token-b");
  w.shared_order = s.response(11.01, "createServiceOrder", corr, 201,
                              order_body(second, "C2", "acknowledged", "add", "SVC-2", nullptr));
  s.notify(12, "ServiceOrderStateChangeEvent", "serviceOrder",
           order_body("SO-1", "C1", "inProgress", "add", "SVC-1", nullptr), "sim://listener/op-a");
  w.leak = s.notify(12, "ServiceOrderStateChangeEvent", "serviceOrder",
                    order_body("SO-1", "C1", "inProgress", "add", "SVC-1", nullptr),
                    leak ? "sim://listener/op-b" : "sim://listener/op-a");
  return w;
}

TEST(WorldOracles, IsolationPassesWhenEachOperatorSeesItsOwnCustomers) {
  auto w = x_world(false, false);
  const auto r = judge(platform(), w.s.lines(), 100);
  EXPECT_EQ(r.at("iso.own_data").verdict, Verdict::pass) << r.at("iso.own_data").reason;
  EXPECT_EQ(r.at("iso.own_data").observed, 2U); // two order notifications, both to op-a
  EXPECT_EQ(r.at("iso.ids").verdict, Verdict::pass) << r.at("iso.ids").reason;
  // Two customers, two orders and their two services (SVC-1, SVC-2), each answered to one operator.
  EXPECT_EQ(r.at("iso.ids").observed, 6U);
}

TEST(WorldOracles, IsolationFailsWhenAnotherOperatorIsNotifiedAboutACustomer) {
  auto w = x_world(true, false);
  const auto r = judge(platform(), w.s.lines(), 100);
  EXPECT_EQ(r.at("iso.own_data").verdict, Verdict::fail);
  EXPECT_EQ(r.at("iso.own_data").events, std::vector<std::uint64_t>{w.leak});
  EXPECT_NE(r.at("iso.own_data").reason.find("operator op-b received"), std::string::npos);
}

// Messages that do not name the customer: the model keeps for each the order, the service or the requester it is
// about, and the check finds the customer (and the receiving operator) through them.
TEST(WorldOracles, IsolationFindsTheCustomerThroughTheOrderTheServiceOrTheRequester) {
  auto w = x_world(false, false);
  Stream& s = w.s;
  const auto by_order =
      s.notify(13, "CancelServiceOrderStateChangeEvent", "cancelServiceOrder",
               {{"id", "CSO-1"}, {"state", "inProgress"}, {"serviceOrder", {{"id", "SO-1"}}}}, "sim://listener/op-b");
  const auto by_service =
      s.notify(14, "AlarmCreateEvent", "alarm",
               {{"id", "AL-1"}, {"state", "raised"}, {"alarmedObject", {{"id", "SVC-1"}}}}, "sim://listener/op-b");
  s.request(15, "retrieveService", "REQ-R", "/service/SVC-1", nullptr, "token-b");
  const auto by_requester = s.response(15.01, "retrieveService", "REQ-R", 200,
                                       service_body("SVC-1", "C1", "active", "running", characteristics(1), paris()));
  const auto r = judge(platform(), s.lines(), 100);
  EXPECT_EQ(r.at("iso.own_data").verdict, Verdict::fail);
  EXPECT_EQ(r.at("iso.own_data").observed, 5U); // the two order notifications to op-a, and the three above
  EXPECT_EQ(r.at("iso.own_data").events, (std::vector<std::uint64_t>{by_order, by_service, by_requester}));
  EXPECT_NE(r.at("iso.own_data").reason.find("received CancelServiceOrderStateChangeEvent"), std::string::npos)
      << r.at("iso.own_data").reason;
}

// Most deliveries are judged as they come; one whose receiver is learnt only later (here: its listener subscribes
// after it) waits for the end. Both kinds must count, and the first failure in stream order must give the reason
// whichever way it was judged.
TEST(WorldOracles, IsolationJudgesDeliveriesLearntLateInStreamOrder) {
  for (const bool late_first : {true, false}) {
    auto w = x_world(false, false);
    Stream& s = w.s;
    const auto leak = [&](const std::string& callback) {
      return s.notify(13, "ServiceOrderStateChangeEvent", "serviceOrder",
                      order_body("SO-1", "C1", "inProgress", "add", "SVC-1", nullptr), callback);
    };
    // To op-c's listener before its hub exists: not judged until the end. To op-b's: judged as it comes.
    const auto first = leak(late_first ? "sim://listener/op-c" : "sim://listener/op-b");
    const auto second = leak(late_first ? "sim://listener/op-b" : "sim://listener/op-c");
    s.request(20, "createHub", "REQ-HC", "/hub", {{"callback", "sim://listener/op-c"}}, "token-b");
    s.response(20.05, "createHub", "REQ-HC", 201, {{"id", "HUB-3"}});
    const auto r = judge(platform(), s.lines(), 100);
    const auto& own = r.at("iso.own_data");
    EXPECT_EQ(own.verdict, Verdict::fail);
    EXPECT_EQ(own.observed, 4U) << late_first; // the two order notifications to op-a, and the two above
    EXPECT_EQ(own.violations, 2U) << late_first;
    EXPECT_EQ(own.events, (std::vector<std::uint64_t>{first, second}));
    EXPECT_NE(own.reason.find(fmt::format("(event {})", first)), std::string::npos) << late_first << own.reason;
  }
}

// At the end a delivery is judged from whatever the stream showed: a service no view named a customer of is the
// customer's of the first order acting on it, and an order seen only in a notification (no request) is its view's
// customer's. Neither is known for good as the delivery comes, so both wait for the end.
TEST(WorldOracles, IsolationFindsTheCustomerAtTheEndThroughTheServicesOrderOrAnOrdersView) {
  auto w = x_world(false, false);
  Stream& s = w.s;
  const auto by_items =
      s.notify(13, "AlarmCreateEvent", "alarm",
               {{"id", "AL-1"}, {"state", "raised"}, {"alarmedObject", {{"id", "SVC-1"}}}}, "sim://listener/op-b");
  s.notify(14, "ServiceOrderStateChangeEvent", "serviceOrder",
           order_body("SO-7", "C2", "inProgress", "add", "SVC-7", nullptr), "sim://listener/op-b");
  const auto by_view =
      s.notify(15, "CancelServiceOrderStateChangeEvent", "cancelServiceOrder",
               {{"id", "CSO-7"}, {"state", "inProgress"}, {"serviceOrder", {{"id", "SO-7"}}}}, "sim://listener/op-a");
  const auto r = judge(platform(), s.lines(), 100);
  const auto& own = r.at("iso.own_data");
  EXPECT_EQ(own.verdict, Verdict::fail);
  EXPECT_EQ(own.observed, 5U); // the two order notifications to op-a, SO-7's to op-b, and the two above
  EXPECT_EQ(own.events, (std::vector<std::uint64_t>{by_items, by_view}));
  EXPECT_NE(own.reason.find("operator op-b received AlarmCreateEvent"), std::string::npos) << own.reason;
  EXPECT_NE(own.reason.find("about customer C1 of operator op-a"), std::string::npos) << own.reason;
}

// iso.ids keys an id by its kind too: a customer and an order may share an id across operators.
TEST(WorldOracles, IsolationLetsACustomerAndAnOrderOfTwoOperatorsShareAnId) {
  auto w = x_world(false, false);
  customer(w.s, "SO-2", {"FR"}, "op-a", "token-a"); // op-b's order is SO-2
  const auto r = judge(platform(), w.s.lines(), 100);
  EXPECT_EQ(r.at("iso.ids").verdict, Verdict::pass) << r.at("iso.ids").reason;
  EXPECT_EQ(r.at("iso.ids").observed, 7U);
}

// The checks over services go in the order of the services' names, whatever the order of their requests: the
// reason a check gives is its first failure's.
TEST(WorldOracles, JudgeServicesInTheOrderOfTheirNames) {
  Stream s;
  customer(s, "C1", {"FR"});
  const auto order_b = order(s, 10, "SO-1", "C1", "add", "SVC-B", characteristics(1));
  const auto placed_b = s.vm(10.1, "vm.placed", 1, "SVC-B", "dc-berlin");
  const auto order_a = order(s, 20, "SO-2", "C1", "add", "SVC-A", characteristics(1));
  const auto placed_a = s.vm(20.1, "vm.placed", 2, "SVC-A", "dc-berlin");
  const auto r = judge(platform(), s.lines(), 100);
  const auto& allowed = r.at("reg.allowed");
  EXPECT_EQ(allowed.verdict, Verdict::fail);
  EXPECT_EQ(allowed.violations, 2U);
  EXPECT_EQ(allowed.events, (std::vector<std::uint64_t>{order_b, placed_b, order_a, placed_a}));
  EXPECT_NE(allowed.reason.find("of service SVC-A"), std::string::npos) << allowed.reason;
}

TEST(WorldOracles, IsolationFailsWhenTwoOperatorsGetTheSameOrderId) {
  auto w = x_world(false, true);
  const auto r = judge(platform(), w.s.lines(), 100);
  EXPECT_EQ(r.at("iso.ids").verdict, Verdict::fail);
  ASSERT_FALSE(r.at("iso.ids").events.empty());
  EXPECT_EQ(r.at("iso.ids").events.back(), w.shared_order);
  EXPECT_NE(r.at("iso.ids").reason.find("order id SO-1"), std::string::npos);
}

// Replays saved runs (I1SIM_WORLD_REPLAY="scenario.yaml=events.jsonl;...") and lists every world check that is
// neither pass nor none: the no-false-alarm sweep against the reference implementation.
TEST(WorldOraclesSweep, ReplaysSavedRunsWithoutFalseAlarms) {
  const char* env = std::getenv("I1SIM_WORLD_REPLAY");
  if (!env)
    GTEST_SKIP() << "set I1SIM_WORLD_REPLAY to replay saved runs";
  std::stringstream list(env);
  std::string pair;
  while (std::getline(list, pair, ';')) {
    const auto eq = pair.find('=');
    ASSERT_NE(eq, std::string::npos) << pair;
    const auto sc = scenario::load(pair.substr(0, eq));
    std::ifstream in(pair.substr(eq + 1));
    ASSERT_TRUE(in) << pair;
    std::vector<std::string> lines;
    double end = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.empty())
        continue;
      end = trace::from_json_line(line).t;
      lines.push_back(std::move(line));
    }
    const auto results = judge(sc, lines, end);
    std::string summary;
    for (const auto& [check, r] : results) {
      summary += fmt::format(" {}={}({})", check, to_string(r.verdict), r.observed);
      EXPECT_TRUE(r.verdict == Verdict::pass || r.verdict == Verdict::none)
          << pair << ": " << check << " " << to_string(r.verdict) << ": " << r.reason;
    }
    std::cout << pair << ":" << summary << "\n";
  }
}

} // namespace
} // namespace i1sim::conformance::world_oracles_test
