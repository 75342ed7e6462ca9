// The probes family of oracles on hand-made event streams: for every probe.* check, an answer that breaks the
// requirement fails with the ids of the events that show it, a right answer passes, and no probe means none.
#include "conformance/oracles/oracle.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <optional>
#include <string>
#include <vector>

namespace i1sim::conformance::probe_oracles_test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::ordered_json;

const std::string kListener = "sim://operator.oss/listener/operator";
const std::string kProbeListener = kListener + "/probe";

/// A hand-made event stream; every add returns the id the event gets.
class Stream {
public:
  std::uint64_t add(double t, trace::Category c, const std::string& type, Json data,
                    std::optional<nlohmann::json> body = std::nullopt) {
    trace::Event e;
    e.id = events_.size() + 1;
    e.t = t;
    e.category = c;
    e.type = type;
    e.data = std::move(data);
    if (body) // an I1 message's body travels beside the event's fields, as the binding records it
      e.set_body(std::move(*body));
    events_.push_back(e);
    return e.id;
  }
  std::uint64_t probe(double t, const std::string& probe, const std::string& step, const std::string& corr,
                      const std::string& operation, Json extra = Json::object(), const std::string& op = "operator") {
    Json d{{"probe", probe}, {"step", step},           {"corr", corr},
           {"operator", op}, {"operation", operation}, {"target", ""}};
    for (const auto& [k, v] : extra.items())
      d[k] = v;
    return add(t, trace::Category::tester, "probe.sent", d);
  }
  std::uint64_t request(double t, const std::string& corr, const std::string& name, Json body = nullptr) {
    return add(t, trace::Category::i1, "i1.request",
               {{"dir", "t2c"}, {"name", name}, {"corr", corr}, {"target", ""}, {"sent", t - 0.01}}, body);
  }
  std::uint64_t response(double t, const std::string& corr, const std::string& name, int status, Json body) {
    return add(t, trace::Category::i1, "i1.response",
               {{"dir", "c2t"}, {"name", name}, {"corr", corr}, {"status", status}, {"sent", t - 0.01}}, body);
  }
  std::uint64_t notify(double sent, const std::string& target, const std::string& name, const std::string& event_id,
                       const std::string& key, Json resource) {
    return add(sent + 0.01, trace::Category::i1, "i1.notification",
               {{"dir", "c2t"}, {"name", name}, {"corr", event_id}, {"target", target}, {"sent", sent}},
               Json{{"eventId", event_id}, {"eventType", name}, {"event", {{key, resource}}}});
  }
  std::uint64_t undeliverable(double t, const std::string& target, const std::string& name,
                              const std::string& event_id) {
    return add(t, trace::Category::i1, "i1.undeliverable",
               {{"dir", "c2t"}, {"name", name}, {"corr", event_id}, {"target", target}, {"bytes", 0}});
  }
  std::uint64_t placed(double t, const std::string& service, const std::string& dc) {
    return add(t, trace::Category::truth, "vm.placed", {{"dc", dc}, {"vm", 1}, {"owner", service}});
  }
  const std::vector<trace::Event>& events() const { return events_; }

private:
  std::vector<trace::Event> events_;
};

Json error(const std::string& code, const std::string& ref = "") {
  Json e{{"code", code}, {"reason", "because"}};
  if (!ref.empty())
    e["referenceError"] = ref;
  return e;
}

Json party(const std::string& customer) { return Json::array({{{"id", customer}, {"role", "customer"}}}); }

Json order(const std::string& id, const std::string& external, const std::string& state,
           const std::string& service = "", Json errors = nullptr) {
  Json o{{"id", id}, {"externalId", external}, {"state", state}, {"relatedParty", party("CUST-000001")}};
  if (!service.empty())
    o["serviceOrderItem"] = Json::array({{{"id", "1"}, {"action", "add"}, {"service", {{"id", service}}}}});
  if (!errors.is_null())
    o["errorMessage"] = errors;
  return o;
}

Json service(const std::string& id, const std::string& customer, const std::string& jurisdiction = "FR") {
  return {{"id", id},
          {"state", "active"},
          {"relatedParty", party(customer)},
          {"place", Json::array({{{"id", "dc"}, {"role", "dataCentre"}, {"jurisdiction", jurisdiction}}})}};
}

Json alarm(const std::string& id, const std::string& state, const std::string& ack = "unacknowledged") {
  return {{"id", id}, {"state", state}, {"ackState", ack}};
}

Json usage(const std::string& id, const std::string& customer, const std::string& date, const std::string& end) {
  return {{"id", id},
          {"usageDate", date},
          {"relatedParty", party(customer)},
          {"usagePeriod", {{"startDateTime", date}, {"endDateTime", end}}}};
}

struct Judged {
  std::vector<CheckResult> results;
  const CheckResult& operator[](const std::string& id) const {
    for (const auto& r : results)
      if (r.check == id)
        return r;
    static const CheckResult missing = [] {
      CheckResult r;
      r.check = "(missing)";
      return r;
    }();
    ADD_FAILURE() << id << " has no result";
    return missing;
  }
};

OracleContext context(const scenario::Scenario* sc = nullptr) {
  OracleContext ctx;
  ctx.scenario = sc;
  ctx.timers = {{"T_response", 5}, {"T_notify", 5}, {"T_retention", 3600}};
  return ctx;
}

Judged judge(const Stream& s, double end, const scenario::Scenario* sc = nullptr) {
  const OracleContext ctx = context(sc);
  auto oracles = make_probe_oracles(ctx);
  Judged j;
  for (auto& o : oracles) {
    for (const auto& e : s.events())
      o->on_event(e);
    o->finish(end);
    for (auto& r : o->results())
      j.results.push_back(r);
  }
  return j;
}

// ---- the family as a whole

TEST(ProbeOracles, ListEveryProbeCheckOfTheCatalogueInOrder) {
  std::vector<std::string> ids;
  for (const auto& c : probe_checks())
    ids.push_back(c.id);
  EXPECT_THAT(ids, ElementsAre("probe.invalid_body", "probe.unknown_spec", "probe.hub_query", "probe.hub_delete",
                               "probe.list_services", "probe.alarm_ack", "probe.alarm_list", "probe.customer_update",
                               "probe.unknown_customer", "probe.retention", "probe.unauthenticated",
                               "probe.foreign_access", "probe.job_delete"));
}

TEST(ProbeOracles, SayNoneWhenNoProbeWasSent) {
  Stream s;
  s.request(1, "REQ-0000001", "createServiceOrder", order("x", "PO-1", "acknowledged"));
  s.response(2, "REQ-0000001", "createServiceOrder", 400, error("invalidBody", "colour"));
  const Judged j = judge(s, 100);
  ASSERT_EQ(j.results.size(), 13u);
  for (const auto& r : j.results) {
    EXPECT_EQ(r.verdict, Verdict::none) << r.check;
    EXPECT_EQ(r.observed, 0u) << r.check;
  }
}

TEST(ProbeOracles, SayNoneForAScenarioWithoutProbesWhateverTheStream) {
  scenario::Scenario sc; // no telecom.probes: the oracle keeps nothing
  Stream s;
  s.probe(1, "unknownSpec", "order", "PRB-000001", "createServiceOrder", {{"externalId", "PROBE-0001"}});
  s.response(2, "PRB-000001", "createServiceOrder", 201, order("SO-1", "PROBE-0001", "acknowledged"));
  EXPECT_EQ(judge(s, 10, &sc)["probe.unknown_spec"].verdict, Verdict::none);
}

TEST(ProbeOracles, SayInconcWhenAProbeCouldNotBeSent) {
  Stream s;
  const auto skipped = s.add(5, trace::Category::tester, "probe.skipped",
                             {{"probe", "alarmAck"}, {"step", "ack"}, {"reason", "no alarm to acknowledge"}});
  const auto r = judge(s, 10)["probe.alarm_ack"];
  EXPECT_EQ(r.verdict, Verdict::inconc);
  EXPECT_THAT(r.events, ElementsAre(skipped));
  EXPECT_THAT(r.reason, HasSubstr("no alarm to acknowledge"));
}

TEST(ProbeOracles, SayInconcWhenTheAnswerNeverCame) {
  Stream s;
  const auto sent = s.probe(1, "unknownSpec", "order", "PRB-000001", "createServiceOrder");
  const auto req = s.request(1.1, "PRB-000001", "createServiceOrder");
  const auto r = judge(s, 100)["probe.unknown_spec"];
  EXPECT_EQ(r.verdict, Verdict::inconc);
  EXPECT_THAT(r.events, ElementsAre(sent, req));
}

// ---- probe.invalid_body

Stream invalid_body(int status, const Json& body) {
  Stream s;
  s.probe(1, "invalidBody", "unknownField", "PRB-000001", "createServiceOrder",
          {{"variant", "unknownField"}, {"field", "colour"}, {"externalId", "PROBE-0001"}});
  s.request(1.1, "PRB-000001", "createServiceOrder");
  s.response(1.2, "PRB-000001", "createServiceOrder", status, body);
  return s;
}

TEST(ProbeInvalidBody, PassesA400InvalidBodyNamingTheField) {
  const auto r = judge(invalid_body(400, error("invalidBody", "colour")), 10)["probe.invalid_body"];
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
  EXPECT_EQ(r.observed, 1u);
}

TEST(ProbeInvalidBody, FailsAnAcceptedOrderAndShowsTheAnswer) {
  const auto r = judge(invalid_body(201, order("SO-1", "PROBE-0001", "acknowledged")), 10)["probe.invalid_body"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(1u, 3u)); // the probe and the 201
  EXPECT_EQ(r.violations, 2u);                // the answer, and the order it created
}

TEST(ProbeInvalidBody, FailsARefusalNamingAnotherField) {
  const auto r = judge(invalid_body(400, error("invalidBody", "externalId")), 10)["probe.invalid_body"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.reason, HasSubstr("colour"));
}

TEST(ProbeInvalidBody, FailsARefusedOrderThatWasCreatedAnyway) {
  Stream s = invalid_body(400, error("invalidBody", "colour"));
  const auto later = s.notify(5, kListener, "ServiceOrderStateChangeEvent", "EV-1", "serviceOrder",
                              order("SO-9", "PROBE-0001", "inProgress"));
  const auto r = judge(s, 10)["probe.invalid_body"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(1u, later));
}

// ---- probe.unknown_spec

TEST(ProbeUnknownSpec, PassesA400InvalidBodyAndFailsAnAcceptedOrder) {
  Stream good;
  good.probe(1, "unknownSpec", "order", "PRB-000001", "createServiceOrder", {{"externalId", "PROBE-0001"}});
  good.response(2, "PRB-000001", "createServiceOrder", 400, error("invalidBody", "serviceOrderItem[0]"));
  EXPECT_EQ(judge(good, 10)["probe.unknown_spec"].verdict, Verdict::pass);

  Stream bad;
  const auto sent =
      bad.probe(1, "unknownSpec", "order", "PRB-000001", "createServiceOrder", {{"externalId", "PROBE-0001"}});
  const auto answer =
      bad.response(2, "PRB-000001", "createServiceOrder", 201, order("SO-1", "PROBE-0001", "acknowledged"));
  const auto r = judge(bad, 10)["probe.unknown_spec"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(sent, answer));
}

// ---- probe.unknown_customer

Stream unknown_customer(int status, const Json& body) {
  Stream s;
  s.probe(1, "unknownCustomer", "order", "PRB-000001", "createServiceOrder",
          {{"externalId", "PROBE-0001"}, {"customer", "CUST-UNKNOWN"}});
  s.response(2, "PRB-000001", "createServiceOrder", status, body);
  return s;
}

TEST(ProbeUnknownCustomer, PassesAnOrderRejectedWithCustomerUnknown) {
  Stream s = unknown_customer(201, order("SO-1", "PROBE-0001", "acknowledged", "SVC-1"));
  s.notify(
      3, kListener, "ServiceOrderStateChangeEvent", "EV-1", "serviceOrder",
      order("SO-1", "PROBE-0001", "rejected", "SVC-1", Json::array({{{"code", "customerUnknown"}, {"reason", "r"}}})));
  EXPECT_EQ(judge(s, 10)["probe.unknown_customer"].verdict, Verdict::pass);
  EXPECT_EQ(judge(unknown_customer(422, error("customerUnknown")), 10)["probe.unknown_customer"].verdict,
            Verdict::pass);
}

TEST(ProbeUnknownCustomer, FailsAnOrderThatWentAheadAndPlacedAVm) {
  Stream s = unknown_customer(201, order("SO-1", "PROBE-0001", "acknowledged", "SVC-1"));
  const auto progress = s.notify(3, kListener, "ServiceOrderStateChangeEvent", "EV-1", "serviceOrder",
                                 order("SO-1", "PROBE-0001", "inProgress", "SVC-1"));
  const auto vm = s.placed(4, "SVC-1", "dc-paris");
  const auto r = judge(s, 10)["probe.unknown_customer"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, Contains(progress));
  EXPECT_THAT(r.events, Contains(vm));
}

TEST(ProbeUnknownCustomer, FailsAnInvalidBodyRefusalAndIsInconcWithoutAnOutcome) {
  const auto r = judge(unknown_customer(400, error("invalidBody", "relatedParty")), 10)["probe.unknown_customer"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(1u, 2u));
  EXPECT_EQ(
      judge(unknown_customer(201, order("SO-1", "PROBE-0001", "acknowledged")), 10)["probe.unknown_customer"].verdict,
      Verdict::inconc);
}

// ---- probe.hub_query and probe.hub_delete

Stream subscribed() {
  Stream s;
  s.probe(10, "hubQuery", "subscribe", "PRB-000001", "createHub",
          {{"callback", kProbeListener},
           {"query", "eventType=ServiceStateChangeEvent"},
           {"selects", {"ServiceStateChangeEvent"}},
           {"listener", kListener}});
  s.response(11, "PRB-000001", "createHub", 201, {{"id", "HUB-0002"}, {"callback", kProbeListener}, {"query", "q"}});
  return s;
}

TEST(ProbeHubQuery, PassesWhenTheSubscriberGetsTheSelectedTypesOnly) {
  Stream s = subscribed();
  s.notify(30, kListener, "ServiceStateChangeEvent", "EV-1", "service", service("SVC-1", "CUST-000001"));
  s.undeliverable(30, kProbeListener, "ServiceStateChangeEvent", "EV-2");
  s.notify(31, kListener, "ServiceOrderStateChangeEvent", "EV-3", "serviceOrder", order("SO-1", "PO-1", "inProgress"));
  const auto r = judge(s, 100)["probe.hub_query"];
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
}

TEST(ProbeHubQuery, FailsATypeTheQueryDoesNotSelect) {
  Stream s = subscribed();
  s.undeliverable(30, kProbeListener, "ServiceStateChangeEvent", "EV-2");
  const auto wrong = s.undeliverable(31, kProbeListener, "UsageCreateEvent", "EV-4");
  const auto r = judge(s, 100)["probe.hub_query"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(1u, wrong));
  EXPECT_THAT(r.reason, HasSubstr("UsageCreateEvent"));
}

TEST(ProbeHubQuery, FailsWhenTheSubscriberMissesSelectedEvents) {
  Stream s = subscribed();
  const auto main =
      s.notify(30, kListener, "ServiceStateChangeEvent", "EV-1", "service", service("SVC-1", "CUST-000001"));
  const auto r = judge(s, 100)["probe.hub_query"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, Contains(main));
}

TEST(ProbeHubQuery, FailsASubscriptionRefused) {
  Stream s;
  s.probe(10, "hubQuery", "subscribe", "PRB-000001", "createHub", {{"callback", kProbeListener}});
  const auto no = s.response(11, "PRB-000001", "createHub", 400, error("invalidBody", "query"));
  const auto r = judge(s, 100)["probe.hub_query"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(1u, no));
}

Stream deleted() {
  Stream s = subscribed();
  s.undeliverable(30, kProbeListener, "ServiceStateChangeEvent", "EV-2");
  s.probe(50, "hubDelete", "delete", "PRB-000002", "deleteHub", {{"hub", "HUB-0002"}, {"callback", kProbeListener}});
  s.request(50.1, "PRB-000002", "deleteHub");
  s.response(50.2, "PRB-000002", "deleteHub", 204, nullptr);
  return s;
}

TEST(ProbeHubDelete, PassesWhenNothingFollowsTheDeletion) {
  const auto j = judge(deleted(), 100);
  EXPECT_EQ(j["probe.hub_delete"].verdict, Verdict::pass) << j["probe.hub_delete"].reason;
  EXPECT_EQ(j["probe.hub_query"].verdict, Verdict::pass) << j["probe.hub_query"].reason;
}

TEST(ProbeHubDelete, FailsANotificationSentAfterTheDeletion) {
  Stream s = deleted();
  const auto late = s.undeliverable(70, kProbeListener, "ServiceStateChangeEvent", "EV-9");
  const auto r = judge(s, 100)["probe.hub_delete"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(4u, 6u, late)); // the hubDelete probe, its 204, what came after
}

// ---- probe.list_services

Stream listed(const Json& list) {
  Stream s;
  s.notify(1, kListener, "ServiceStateChangeEvent", "EV-1", "service", service("SVC-1", "CUST-000001"));
  s.notify(2, kListener, "ServiceStateChangeEvent", "EV-2", "service", service("SVC-2", "CUST-000002"));
  s.probe(10, "listServices", "list", "PRB-000001", "listService", {{"customer", "CUST-000001"}});
  s.request(10.1, "PRB-000001", "listService");
  s.response(10.2, "PRB-000001", "listService", 200, list);
  return s;
}

TEST(ProbeListServices, PassesTheCustomersServicesOnly) {
  EXPECT_EQ(judge(listed(Json::array({service("SVC-1", "CUST-000001")})), 20)["probe.list_services"].verdict,
            Verdict::pass);
}

TEST(ProbeListServices, FailsAMissingServiceAndAnotherCustomersService) {
  const auto missing = judge(listed(Json::array()), 20)["probe.list_services"];
  EXPECT_EQ(missing.verdict, Verdict::fail);
  EXPECT_THAT(missing.events, ElementsAre(1u, 3u, 5u)); // where SVC-1 was known, the probe, the list
  const auto foreign = judge(listed(Json::array({service("SVC-1", "CUST-000001"), service("SVC-2", "CUST-000002")})),
                             20)["probe.list_services"];
  EXPECT_EQ(foreign.verdict, Verdict::fail);
  EXPECT_THAT(foreign.reason, HasSubstr("SVC-2"));
}

// ---- probe.alarm_list and probe.alarm_ack

Stream alarms(const std::string& state, const Json& list) {
  Stream s;
  s.notify(1, kListener, "AlarmCreateEvent", "EV-1", "alarm", alarm("ALM-1", "raised"));
  s.notify(2, kListener, "AlarmCreateEvent", "EV-2", "alarm", alarm("ALM-2", "raised"));
  s.notify(3, kListener, "AlarmStateChangeEvent", "EV-3", "alarm", alarm("ALM-2", "cleared"));
  s.probe(10, "alarmList", state.empty() ? "all" : "byState", "PRB-000001", "listAlarm", {{"state", state}});
  s.request(10.1, "PRB-000001", "listAlarm");
  s.response(10.2, "PRB-000001", "listAlarm", 200, list);
  return s;
}

TEST(ProbeAlarmList, PassesEveryAlarmAndTheRaisedOnesByState) {
  EXPECT_EQ(
      judge(alarms("", Json::array({alarm("ALM-1", "raised"), alarm("ALM-2", "cleared")})), 20)["probe.alarm_list"]
          .verdict,
      Verdict::pass);
  EXPECT_EQ(judge(alarms("raised", Json::array({alarm("ALM-1", "raised")})), 20)["probe.alarm_list"].verdict,
            Verdict::pass);
}

TEST(ProbeAlarmList, FailsAWrongStateAndAMissingAlarm) {
  const auto wrong = judge(alarms("raised", Json::array({alarm("ALM-1", "raised"), alarm("ALM-2", "cleared")})),
                           20)["probe.alarm_list"];
  EXPECT_EQ(wrong.verdict, Verdict::fail);
  EXPECT_THAT(wrong.events, ElementsAre(4u, 6u));
  const auto missing = judge(alarms("", Json::array({alarm("ALM-1", "raised")})), 20)["probe.alarm_list"];
  EXPECT_EQ(missing.verdict, Verdict::fail);
  EXPECT_THAT(missing.events, ElementsAre(2u, 4u, 6u)); // ALM-2 known since event 2
}

Stream acked(const Json& ack_body, const std::string& verified) {
  Stream s;
  s.probe(10, "alarmAck", "list", "PRB-000001", "listAlarm");
  s.response(10.2, "PRB-000001", "listAlarm", 200, Json::array({alarm("ALM-1", "raised")}));
  s.probe(10.3, "alarmAck", "ack", "PRB-000002", "ackAlarms", {{"alarm", "ALM-1"}});
  s.response(10.4, "PRB-000002", "ackAlarms", 201, ack_body);
  s.probe(10.5, "alarmAck", "verify", "PRB-000003", "listAlarm", {{"alarm", "ALM-1"}});
  s.response(10.6, "PRB-000003", "listAlarm", 200, Json::array({alarm("ALM-1", "raised", verified)}));
  return s;
}

TEST(ProbeAlarmAck, PassesAnAlarmReadBackAcknowledged) {
  const Json done{{"id", "ACK-1"}, {"state", "done"}, {"ackedAlarm", Json::array({{{"id", "ALM-1"}}})}};
  const auto r = judge(acked(done, "acknowledged"), 20)["probe.alarm_ack"];
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
  EXPECT_EQ(r.observed, 2u); // the acknowledgement and the read-back
}

TEST(ProbeAlarmAck, FailsAnAlarmReadBackUnacknowledgedOrNotAcked) {
  const Json done{{"id", "ACK-1"}, {"state", "done"}, {"ackedAlarm", Json::array({{{"id", "ALM-1"}}})}};
  const auto r = judge(acked(done, "unacknowledged"), 20)["probe.alarm_ack"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(5u, 6u));
  const Json empty{{"id", "ACK-1"}, {"state", "done"}, {"ackedAlarm", Json::array()}};
  const auto e = judge(acked(empty, "acknowledged"), 20)["probe.alarm_ack"];
  EXPECT_EQ(e.verdict, Verdict::fail);
  EXPECT_THAT(e.events, ElementsAre(3u, 4u));
}

// ---- probe.customer_update

scenario::Scenario two_dcs() {
  scenario::Scenario sc;
  sc.platform.data_centres.resize(2);
  sc.platform.data_centres[0].name = "dc-paris";
  sc.platform.data_centres[0].jurisdiction = "FR";
  sc.platform.data_centres[1].name = "dc-frankfurt";
  sc.platform.data_centres[1].jurisdiction = "DE";
  sc.telecom.probes.push_back({scenario::Probe::Kind::customer_update, 10, 1});
  return sc;
}

Stream updated(const std::string& dc) {
  Stream s;
  s.probe(10, "customerUpdate", "patch", "PRB-000001", "patchCustomer",
          {{"customer", "CUST-000001"}, {"allowed", {"DE"}}});
  s.response(10.2, "PRB-000001", "patchCustomer", 200, {{"id", "CUST-000001"}, {"allowedJurisdiction", {"DE"}}});
  s.probe(10.3, "customerUpdate", "order", "PRB-000002", "createServiceOrder",
          {{"customer", "CUST-000001"}, {"allowed", {"DE"}}, {"externalId", "PROBE-0001"}});
  s.response(10.5, "PRB-000002", "createServiceOrder", 201, order("SO-5", "PROBE-0001", "acknowledged", "SVC-5"));
  s.placed(10.6, "SVC-5", dc);
  return s;
}

TEST(ProbeCustomerUpdate, PassesAPlacementInTheNewJurisdiction) {
  const auto sc = two_dcs();
  const auto r = judge(updated("dc-frankfurt"), 100, &sc)["probe.customer_update"];
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
}

TEST(ProbeCustomerUpdate, FailsAPlacementTheUpdateForbids) {
  const auto sc = two_dcs();
  const auto r = judge(updated("dc-paris"), 100, &sc)["probe.customer_update"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(3u, 5u));
  EXPECT_THAT(r.reason, HasSubstr("dc-paris"));
}

TEST(ProbeCustomerUpdate, FailsAnUpdateAnsweredWithTheOldJurisdictions) {
  Stream s;
  s.probe(10, "customerUpdate", "patch", "PRB-000001", "patchCustomer",
          {{"customer", "CUST-000001"}, {"allowed", {"DE"}}});
  s.response(10.2, "PRB-000001", "patchCustomer", 200, {{"id", "CUST-000001"}, {"allowedJurisdiction", {"FR", "DE"}}});
  const auto r = judge(s, 100)["probe.customer_update"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(1u, 2u));
}

// ---- probe.retention

Stream retained(const Json& list) {
  Stream s; // T_retention 3600 s: the listing at 7200 s must hold every record whose period ended after 3600 s
  s.notify(1000, kListener, "UsageCreateEvent", "EV-1", "usage",
           usage("USG-1", "CUST-000001", "2026-01-01T00:15:00.000000Z", "2026-01-01T00:15:00.000000Z"));
  s.notify(5000, kListener, "UsageCreateEvent", "EV-2", "usage",
           usage("USG-2", "CUST-000001", "2026-01-01T01:15:00.000000Z", "2026-01-01T01:15:00.000000Z"));
  s.probe(7200, "retention", "list", "PRB-000001", "listUsage",
          {{"customer", "CUST-000001"}, {"from", 0.0}, {"to", 7200.0}});
  s.request(7200.1, "PRB-000001", "listUsage");
  s.response(7200.2, "PRB-000001", "listUsage", 200, list);
  return s;
}

TEST(ProbeRetention, PassesWhenRecordsWithinTRetentionAreListed) {
  // USG-1 ended 6300 s before the listing: past T_retention, it may be gone.
  const auto r = judge(retained(Json::array({{{"id", "USG-2"}}})), 8000)["probe.retention"];
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
}

TEST(ProbeRetention, FailsARecordDroppedWithinTRetention) {
  const auto r = judge(retained(Json::array({{{"id", "USG-1"}}})), 8000)["probe.retention"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(2u, 3u, 5u));
  EXPECT_THAT(r.reason, HasSubstr("USG-2"));
}

// ---- probe.unauthenticated

TEST(ProbeUnauthenticated, Passes401AndFailsAnOrderTakenWithoutCredential) {
  Stream good;
  good.probe(1, "unauthenticated", "noCredential", "PRB-000001", "createServiceOrder",
             {{"credential", "none"}, {"externalId", "PROBE-0001"}});
  good.response(2, "PRB-000001", "createServiceOrder", 401, error("unauthenticated"));
  EXPECT_EQ(judge(good, 10)["probe.unauthenticated"].verdict, Verdict::pass);

  Stream bad;
  bad.probe(1, "unauthenticated", "badCredential", "PRB-000001", "createServiceOrder",
            {{"credential", "invalid"}, {"externalId", "PROBE-0001"}});
  const auto taken =
      bad.response(2, "PRB-000001", "createServiceOrder", 201, order("SO-1", "PROBE-0001", "acknowledged"));
  const auto r = judge(bad, 10)["probe.unauthenticated"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(1u, taken));
}

// ---- probe.foreign_access

TEST(ProbeForeignAccess, Passes404AndAListWithoutTheOtherOperatorsResources) {
  Stream s;
  s.notify(1, "sim://operator.oss/listener/op-b", "ServiceStateChangeEvent", "EV-1", "service",
           service("SVC-7", "CUST-000002"));
  s.probe(10, "foreignAccess", "readService", "PRB-000001", "retrieveService",
          {{"owner", "op-b"}, {"resource", "SVC-7"}, {"customer", "CUST-000002"}, {"expect", "notFound"}}, "op-a");
  s.response(10.2, "PRB-000001", "retrieveService", 404, error("notFound"));
  s.probe(10, "foreignAccess", "listServices", "PRB-000002", "listService",
          {{"owner", "op-b"}, {"resource", "CUST-000002"}, {"customer", "CUST-000002"}, {"expect", "noForeign"}},
          "op-a");
  s.response(10.3, "PRB-000002", "listService", 200, Json::array());
  const auto r = judge(s, 20)["probe.foreign_access"];
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
  EXPECT_EQ(r.observed, 2u);
}

TEST(ProbeForeignAccess, FailsAForeignReadAnsweredAndAForeignServiceListed) {
  Stream s;
  s.notify(1, "sim://operator.oss/listener/op-b", "ServiceStateChangeEvent", "EV-1", "service",
           service("SVC-7", "CUST-000002"));
  s.probe(10, "foreignAccess", "readService", "PRB-000001", "retrieveService",
          {{"owner", "op-b"}, {"resource", "SVC-7"}, {"customer", "CUST-000002"}, {"expect", "notFound"}}, "op-a");
  const auto read = s.response(10.2, "PRB-000001", "retrieveService", 200, service("SVC-7", "CUST-000002"));
  s.probe(10, "foreignAccess", "listServices", "PRB-000002", "listService",
          {{"owner", "op-b"}, {"resource", "CUST-000002"}, {"customer", "CUST-000002"}, {"expect", "noForeign"}},
          "op-a");
  const auto list = s.response(10.3, "PRB-000002", "listService", 200,
                               Json::array({{{"id", "SVC-7"}}})); // no relatedParty: known to be op-b's
  const auto r = judge(s, 20)["probe.foreign_access"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_EQ(r.violations, 2u);
  EXPECT_THAT(r.events, ElementsAre(2u, read, 4u, list));
}

TEST(ProbeForeignAccess, FailsAForeignCancellationThatTookEffect) {
  Stream s;
  s.probe(10, "foreignAccess", "cancelOrder", "PRB-000001", "createCancelServiceOrder",
          {{"owner", "op-b"}, {"resource", "SO-3"}, {"customer", "CUST-000002"}, {"expect", "notFound"}}, "op-a");
  s.request(10.1, "PRB-000001", "createCancelServiceOrder", {{"serviceOrder", {{"id", "SO-3"}}}});
  s.response(10.2, "PRB-000001", "createCancelServiceOrder", 404, error("notFound"));
  const auto cancelled = s.notify(11, "sim://operator.oss/listener/op-b", "ServiceOrderStateChangeEvent", "EV-5",
                                  "serviceOrder", order("SO-3", "PO-3", "assessingCancellation"));
  const auto r = judge(s, 20)["probe.foreign_access"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(1u, cancelled));
}

// ---- probe.job_delete

Stream job_deleted() {
  Stream s;
  s.probe(10, "jobDelete", "create", "PRB-000001", "createMeasurementCollectionJob", {{"service", "SVC-1"}});
  s.response(10.2, "PRB-000001", "createMeasurementCollectionJob", 201, {{"id", "MCJ-1"}});
  s.probe(1000, "jobDelete", "delete", "PRB-000002", "deleteMeasurementCollectionJob",
          {{"job", "MCJ-1"}, {"service", "SVC-1"}});
  s.request(1000.1, "PRB-000002", "deleteMeasurementCollectionJob");
  s.response(1000.2, "PRB-000002", "deleteMeasurementCollectionJob", 204, nullptr);
  s.notify(1000.1, kListener, "MeasurementCollectionJobStateChangeEvent", "EV-9", "measurementCollectionJob",
           {{"id", "MCJ-1"}, {"executionState", "cancelled"}});
  return s;
}

TEST(ProbeJobDelete, PassesAJobThatEndsCancelledAndFallsSilent) {
  const auto r = judge(job_deleted(), 3000)["probe.job_delete"];
  EXPECT_EQ(r.verdict, Verdict::pass) << r.reason;
  EXPECT_EQ(r.observed, 1u);
}

TEST(ProbeJobDelete, FailsAReportAfterTheDeletion) {
  Stream s = job_deleted();
  const auto report = s.notify(1900, kListener, "PerformanceReportEvent", "EV-10", "performanceReport",
                               {{"id", "PR-1"}, {"measurementCollectionJob", {{"id", "MCJ-1"}}}});
  const auto r = judge(s, 3000)["probe.job_delete"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(3u, 5u, report));
}

TEST(ProbeJobDelete, FailsAJobNeverReportedCancelled) {
  Stream s;
  s.probe(1000, "jobDelete", "delete", "PRB-000002", "deleteMeasurementCollectionJob", {{"job", "MCJ-1"}});
  s.request(1000.1, "PRB-000002", "deleteMeasurementCollectionJob");
  const auto answer = s.response(1000.2, "PRB-000002", "deleteMeasurementCollectionJob", 204, nullptr);
  const auto r = judge(s, 3000)["probe.job_delete"];
  EXPECT_EQ(r.verdict, Verdict::fail);
  EXPECT_THAT(r.events, ElementsAre(1u, answer));
  EXPECT_THAT(r.reason, HasSubstr("never notified as cancelled"));
}

} // namespace
} // namespace i1sim::conformance::probe_oracles_test
