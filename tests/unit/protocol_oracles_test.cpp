// Unit tests of the protocol oracles (conformance/oracles/protocol): hand-made event streams that break each check,
// pass it, or never apply to it, streams the harness's own faults touch, and a replay of saved runs.
#include "conformance/oracles/oracle.hpp"
#include "i1/spec.hpp"
#include "trace/event_stream.hpp"
#include "util/timestamp.hpp"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace i1sim::conformance::protocol_oracles_test {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using trace::Category;
using trace::Event;

const char* kCallback = "sim://operator.oss/listener/operator";
const char* kCustomer = "CUST-000001";

const std::vector<std::string> kProtocolChecks = {"msg.valid",
                                                  "resp.answered",
                                                  "hub.subscribe",
                                                  "notify.complete",
                                                  "notify.timely",
                                                  "notify.ordered",
                                                  "notify.redelivered",
                                                  "order.accepted",
                                                  "order.acknowledged",
                                                  "order.idempotent",
                                                  "sm.order",
                                                  "sm.order_item",
                                                  "order.failure_reason",
                                                  "order.readable",
                                                  "sm.service",
                                                  "sm.alarm",
                                                  "sm.usage",
                                                  "sm.bill",
                                                  "sm.job",
                                                  "customer.created",
                                                  "customer.party"};

// Builds an event stream the way the simulator writes it: ids in order, frames with their sending time.
class Stream {
public:
  std::uint64_t add(double t, Category c, const std::string& type, ordered_json data,
                    std::optional<json> body = std::nullopt) {
    Event e;
    e.id = next_++;
    e.t = t;
    e.category = c;
    e.type = type;
    e.data = std::move(data);
    if (body) // an I1 message's body travels beside the event's fields, as the binding records it
      e.set_body(std::move(*body));
    events_.push_back(e);
    return e.id;
  }
  std::uint64_t request(double t, const std::string& name, const std::string& corr, json body,
                        const std::string& target = "/tmf-api/x") {
    ordered_json d{{"dir", "t2c"}, {"name", name}, {"corr", corr}, {"target", target}, {"sent", t - 0.001}};
    return add(t, Category::i1, "i1.request", d, std::move(body));
  }
  std::uint64_t response(double t, const std::string& name, const std::string& corr, int status, json body,
                         double sent = -1) {
    ordered_json d{
        {"dir", "c2t"}, {"name", name}, {"corr", corr}, {"status", status}, {"sent", sent < 0 ? t - 0.001 : sent}};
    return add(t, Category::i1, "i1.response", d, std::move(body));
  }
  std::uint64_t notify(double t, const std::string& name, const std::string& event_id, const std::string& key,
                       json resource, double sent = -1, double event_time = -1) {
    const double s = sent < 0 ? t - 0.001 : sent;
    json body{{"eventId", event_id},
              {"eventTime", iso_timestamp(event_time < 0 ? s : event_time)},
              {"eventType", name},
              {"event", {{key, resource}}}};
    ordered_json d{{"dir", "c2t"}, {"name", name}, {"corr", event_id}, {"target", kCallback}, {"sent", s}};
    return add(t, Category::i1, "i1.notification", d, std::move(body));
  }
  std::uint64_t ack(double t, const std::string& name, const std::string& event_id, int status = 204) {
    return add(
        t, Category::i1, "i1.response",
        ordered_json{{"dir", "t2c"}, {"name", name}, {"corr", event_id}, {"status", status}, {"sent", t - 0.001}},
        json::object());
  }
  // A notification answered 204 at once.
  std::uint64_t told(double t, const std::string& name, const std::string& event_id, const std::string& key,
                     json resource) {
    const auto id = notify(t, name, event_id, key, std::move(resource));
    ack(t + 0.01, name, event_id);
    return id;
  }
  std::uint64_t truth(double t, const std::string& type, ordered_json data) {
    return add(t, Category::truth, type, std::move(data));
  }
  const std::vector<Event>& events() const { return events_; }

private:
  std::vector<Event> events_;
  std::uint64_t next_ = 1;
};

json party(const std::string& customer = kCustomer) { return json::array({{{"id", customer}, {"role", "customer"}}}); }

json item(const std::string& id, const std::string& state, const std::string& service = "",
          const std::string& action = "add") {
  json svc{{"serviceSpecification", {{"id", "vm-small"}}}};
  if (!service.empty())
    svc["id"] = service;
  return {{"id", id}, {"action", action}, {"state", state}, {"service", svc}};
}

json order(const std::string& id, const std::string& state, json items, const std::string& customer = kCustomer) {
  return {{"id", id},
          {"href", "/tmf-api/serviceOrdering/v4/serviceOrder/" + id},
          {"externalId", "PO-" + id},
          {"state", state},
          {"orderDate", iso_timestamp(1)},
          {"relatedParty", party(customer)},
          {"serviceOrderItem", std::move(items)}};
}

json order_request(const std::string& external_id, const std::string& customer = kCustomer) {
  json characteristics = json::array();
  for (const auto& [name, value] : std::vector<std::pair<std::string, json>>{{"instances", 1},
                                                                             {"vCPU", 2},
                                                                             {"memoryMiB", 4096},
                                                                             {"storageMiB", 40960},
                                                                             {"minCoreSpeedGflops", 2.5},
                                                                             {"maxActivationSeconds", 600.0}})
    characteristics.push_back({{"name", name}, {"value", value}});
  return {{"externalId", external_id},
          {"relatedParty", party(customer)},
          {"serviceOrderItem", json::array({{{"id", "1"},
                                             {"action", "add"},
                                             {"service",
                                              {{"serviceSpecification", {{"id", "vm-small"}}},
                                               {"serviceCharacteristic", characteristics}}}}})}};
}

json service(const std::string& id, const std::string& state, const std::string& customer = kCustomer) {
  return {{"id", id},
          {"href", "/tmf-api/serviceInventory/v4/service/" + id},
          {"state", state},
          {"operatingStatus", "running"},
          {"serviceSpecification", {{"id", "vm-small"}}},
          {"serviceCharacteristic", json::array()},
          {"relatedParty", party(customer)},
          {"place", json::array()}};
}

json alarm(const std::string& id, const std::string& state, const std::string& severity) {
  return {{"id", id},
          {"href", "/tmf-api/alarm/v4/alarm/" + id},
          {"alarmType", "equipmentAlarm"},
          {"perceivedSeverity", severity},
          {"probableCause", "host failure"},
          {"alarmedObject", {{"id", "SVC-1"}}},
          {"sourceSystemId", "cloud"},
          {"serviceAffecting", true},
          {"state", state},
          {"ackState", "unacknowledged"},
          {"alarmRaisedTime", iso_timestamp(1)}};
}

json usage(const std::string& id, const std::string& status) {
  return {{"id", id},
          {"href", "/tmf-api/usageManagement/v4/usage/" + id},
          {"usageDate", iso_timestamp(1)},
          {"usageType", "cloudAllocation"},
          {"status", status},
          {"service", {{"id", "SVC-1"}}},
          {"usagePeriod", {{"startDateTime", iso_timestamp(0)}, {"endDateTime", iso_timestamp(1)}}},
          {"relatedParty", party()},
          {"usageCharacteristic", json::array()},
          {"ratedProductUsage", json::array()}};
}

json bill(const std::string& id, const std::string& state) {
  return {{"id", id},
          {"href", "/tmf-api/customerBillManagement/v4/customerBill/" + id},
          {"billNo", id},
          {"state", state},
          {"runType", "onCycle"},
          {"billDate", iso_timestamp(1)},
          {"billingPeriod", {{"startDateTime", iso_timestamp(0)}, {"endDateTime", iso_timestamp(1)}}},
          {"relatedParty", party()},
          {"appliedBillingRate", json::array()},
          {"serviceLevelCompliance", json::array()},
          {"amountDue", {{"unit", "EUR"}, {"value", 0}}}};
}

json job(const std::string& id, const std::string& state) {
  return {{"id", id},
          {"href", "/tmf-api/performance/v4/measurementCollectionJob/" + id},
          {"service", {{"id", "SVC-1"}}},
          {"granularity", "g_1h"},
          {"performanceIndicator", json::array({"availability"})},
          {"executionState", state},
          {"creationTime", iso_timestamp(1)}};
}

json customer_request(const std::string& id = kCustomer) {
  return {{"id", id},
          {"name", "Customer"},
          {"relatedParty", json::array({{{"id", "operator"}, {"role", "operator"}}})},
          {"allowedJurisdiction", json::array({"FR"})},
          {"currency", "EUR"}};
}

json customer(const std::string& id = kCustomer) {
  json c = customer_request(id);
  c["href"] = "/tmf-api/customerManagement/v4/customer/" + id;
  c["status"] = "validated";
  return c;
}

// A subscription and a customer, both answered as they should be.
void prelude(Stream& s) {
  s.request(0.01, "createHub", "REQ-H", {{"callback", kCallback}});
  s.response(0.02, "createHub", "REQ-H", 201, {{"id", "HUB-1"}, {"callback", kCallback}, {"query", ""}});
  s.request(0.03, "createCustomer", "REQ-C", customer_request());
  s.response(0.04, "createCustomer", "REQ-C", 201, customer());
}

// An order SO-1 for SVC-1, accepted.
void ordered(Stream& s) {
  s.request(0.05, "createServiceOrder", "REQ-O", order_request("PO-1"));
  s.response(0.06, "createServiceOrder", "REQ-O", 201,
             order("SO-1", "acknowledged", json::array({item("1", "acknowledged")})));
}

std::map<std::string, CheckResult> judge(const Stream& s, double end, std::map<std::string, double> timers = {}) {
  static const scenario::Scenario sc{};
  OracleContext ctx;
  ctx.scenario = &sc;
  ctx.spec = &spec::builtin();
  ctx.timers = {{"T_response", 5}, {"T_notify", 5}};
  for (const auto& [k, v] : timers)
    ctx.timers[k] = v;
  std::map<std::string, CheckResult> out;
  for (auto& oracle : make_protocol_oracles(ctx)) {
    for (const auto& e : s.events())
      oracle->on_event(e);
    oracle->finish(end);
    for (auto& r : oracle->results())
      out[r.check] = r;
  }
  return out;
}

// A run where every check applies and every one is met.
Stream happy() {
  Stream s;
  prelude(s);
  ordered(s);
  s.request(0.07, "createServiceOrder", "REQ-O2", order_request("PO-1")); // sent again: the same order back
  s.response(0.08, "createServiceOrder", "REQ-O2", 200,
             order("SO-1", "acknowledged", json::array({item("1", "acknowledged")})));
  s.told(1, "ServiceOrderStateChangeEvent", "EV-1", "serviceOrder",
         order("SO-1", "inProgress", json::array({item("1", "inProgress", "SVC-1")})));
  s.told(2, "ServiceStateChangeEvent", "EV-2", "service", service("SVC-1", "designed"));
  s.told(2.5, "ServiceStateChangeEvent", "EV-3", "service", service("SVC-1", "reserved"));
  s.told(4, "ServiceStateChangeEvent", "EV-4", "service", service("SVC-1", "active"));
  s.told(5, "ServiceOrderStateChangeEvent", "EV-5", "serviceOrder",
         order("SO-1", "completed", json::array({item("1", "completed", "SVC-1")})));
  s.request(6, "retrieveServiceOrder", "REQ-R", nullptr, "/tmf-api/serviceOrdering/v4/serviceOrder/SO-1");
  s.response(6.01, "retrieveServiceOrder", "REQ-R", 200,
             order("SO-1", "completed", json::array({item("1", "completed", "SVC-1")})));
  s.told(7, "AlarmCreateEvent", "EV-6", "alarm", alarm("ALM-1", "raised", "major"));
  s.told(8, "AlarmStateChangeEvent", "EV-7", "alarm", alarm("ALM-1", "cleared", "cleared"));
  s.told(9, "UsageCreateEvent", "EV-8", "usage", usage("USG-1", "rated"));
  s.told(10, "UsageStateChangeEvent", "EV-9", "usage", usage("USG-1", "billed"));
  s.told(11, "CustomerBillCreateEvent", "EV-10", "customerBill", bill("BILL-1", "sent"));
  s.request(12, "createMeasurementCollectionJob", "REQ-J",
            {{"service", {{"id", "SVC-1"}}},
             {"granularity", "g_1h"},
             {"performanceIndicator", json::array({"availability"})}});
  s.response(12.01, "createMeasurementCollectionJob", "REQ-J", 201, job("JOB-1", "acknowledged"));
  s.told(13, "MeasurementCollectionJobStateChangeEvent", "EV-11", "measurementCollectionJob",
         job("JOB-1", "inProgress"));
  // A second order fails for want of capacity, naming its item.
  s.request(14, "createServiceOrder", "REQ-O3", order_request("PO-2"));
  s.response(14.01, "createServiceOrder", "REQ-O3", 201,
             order("SO-2", "acknowledged", json::array({item("1", "acknowledged")})));
  json failed = order("SO-2", "failed", json::array({item("1", "failed")}));
  failed["errorMessage"] = json::array({{{"code", "noCapacity"},
                                         {"reason", "no host can take it"},
                                         {"timestamp", iso_timestamp(15)},
                                         {"serviceOrderItem", json::array({{{"id", "1"}}})}}});
  s.told(15, "ServiceOrderStateChangeEvent", "EV-12", "serviceOrder", failed);
  // A notification lost by the channel and delivered again with its eventId.
  s.truth(16, "channel.lost",
          {{"dir", "c2t"},
           {"name", "ServiceOperatingStatusChangeEvent"},
           {"corr", "EV-13"},
           {"kind", "notification"},
           {"reason", "channel"}});
  json degraded = service("SVC-1", "active");
  degraded["operatingStatus"] = "degraded";
  s.notify(30, "ServiceOperatingStatusChangeEvent", "EV-13", "service", degraded, 29.99, 16);
  s.ack(30.01, "ServiceOperatingStatusChangeEvent", "EV-13");
  return s;
}

std::string ids_of(const CheckResult& r) {
  std::string out;
  for (auto id : r.events)
    out += std::to_string(id) + " ";
  return out;
}

// Expects `check` to fail with exactly `ids` as evidence and a reason naming each of them.
void expect_fail(const std::map<std::string, CheckResult>& results, const std::string& check,
                 const std::vector<std::uint64_t>& ids) {
  ASSERT_TRUE(results.count(check)) << check;
  const CheckResult& r = results.at(check);
  EXPECT_EQ(r.verdict, Verdict::fail) << check << ": " << r.reason;
  EXPECT_GE(r.violations, 1u) << check;
  EXPECT_EQ(r.events, ids) << check << ": " << ids_of(r) << "/ " << r.reason;
  for (auto id : ids)
    EXPECT_NE(r.reason.find(std::to_string(id)), std::string::npos) << check << ": " << r.reason;
}

TEST(ProtocolOracles, CatalogueListsTheProtocolChecksInOrder) {
  std::vector<std::string> ids;
  for (const auto& c : protocol_checks()) {
    ids.push_back(c.id);
    EXPECT_FALSE(c.requirements.empty()) << c.id;
    EXPECT_EQ(c.title.rfind("ensure that", 0), 0u) << c.id;
  }
  EXPECT_EQ(ids, kProtocolChecks);
}

TEST(ProtocolOracles, EveryCheckPassesARunThatMeetsIt) {
  const auto results = judge(happy(), 100);
  ASSERT_EQ(results.size(), kProtocolChecks.size());
  for (const auto& id : kProtocolChecks) {
    EXPECT_EQ(results.at(id).verdict, Verdict::pass)
        << id << ": " << results.at(id).reason << " " << ids_of(results.at(id));
    EXPECT_GT(results.at(id).observed, 0u) << id;
    EXPECT_EQ(results.at(id).violations, 0u) << id;
  }
}

TEST(ProtocolOracles, NoCheckAppliesToARunWithoutI1Traffic) {
  Stream s;
  s.truth(1, "vm.placed", {{"dc", "dc-paris"}, {"vm", 1}});
  s.truth(2, "host.down", {{"host", "h1"}});
  s.add(3, Category::tester, "run.end", ordered_json::object());
  const auto results = judge(s, 10);
  for (const auto& id : kProtocolChecks) {
    EXPECT_EQ(results.at(id).verdict, Verdict::none) << id;
    EXPECT_EQ(results.at(id).observed, 0u) << id;
  }
}

TEST(ProtocolOracles, MsgValidFailsAMessageMissingAMandatoryField) {
  Stream s;
  s.request(0.03, "createCustomer", "REQ-C", customer_request());
  json c = customer();
  c.erase("href");
  const auto bad = s.response(0.04, "createCustomer", "REQ-C", 201, c);
  const auto r = judge(s, 10);
  expect_fail(r, "msg.valid", {bad});
  EXPECT_NE(r.at("msg.valid").reason.find("href"), std::string::npos);
  EXPECT_EQ(r.at("customer.created").verdict, Verdict::pass);
}

TEST(ProtocolOracles, RespAnsweredFailsARequestNeverAnswered) {
  Stream s;
  const auto req = s.request(1, "createCustomer", "REQ-C", customer_request());
  expect_fail(judge(s, 100), "resp.answered", {req});
}

TEST(ProtocolOracles, RespAnsweredFailsALateAnswerAndAnUnlistedStatus) {
  Stream s;
  const auto req = s.request(1, "createCustomer", "REQ-C", customer_request());
  const auto late = s.response(7.5, "createCustomer", "REQ-C", 201, customer(), 7.0); // 6 s after arrival
  const auto r = judge(s, 100);
  expect_fail(r, "resp.answered", {req, late});

  Stream t;
  const auto req2 = t.request(1, "createCustomer", "REQ-C", customer_request());
  const auto teapot = t.response(1.1, "createCustomer", "REQ-C", 418, {{"code", "x"}, {"reason", "y"}});
  expect_fail(judge(t, 100), "resp.answered", {req2, teapot});
}

TEST(ProtocolOracles, RespAnsweredIsNotJudgedWhileTheRunCouldStillBringTheAnswer) {
  Stream s;
  s.request(98, "createCustomer", "REQ-C", customer_request());
  EXPECT_EQ(judge(s, 100).at("resp.answered").verdict, Verdict::none);
}

TEST(ProtocolOracles, HubSubscribeFailsAnAnswerNamingAnotherCallback) {
  Stream s;
  const auto req = s.request(0.01, "createHub", "REQ-H", {{"callback", kCallback}});
  const auto resp =
      s.response(0.02, "createHub", "REQ-H", 201, {{"id", "HUB-1"}, {"callback", "sim://elsewhere"}, {"query", ""}});
  expect_fail(judge(s, 10), "hub.subscribe", {req, resp});
}

TEST(ProtocolOracles, NotifyCompleteFailsAChangeSeenInAReadButNeverNotified) {
  Stream s;
  prelude(s);
  ordered(s);
  s.told(1, "ServiceOrderStateChangeEvent", "EV-1", "serviceOrder",
         order("SO-1", "inProgress", json::array({item("1", "inProgress", "SVC-1")})));
  s.told(2, "ServiceStateChangeEvent", "EV-2", "service", service("SVC-1", "designed"));
  s.request(10, "retrieveService", "REQ-S", nullptr, "/tmf-api/serviceInventory/v4/service/SVC-1");
  const auto read = s.response(10.01, "retrieveService", "REQ-S", 200, service("SVC-1", "reserved"));
  expect_fail(judge(s, 100), "notify.complete", {read});
}

TEST(ProtocolOracles, NotifyCompleteFailsAnEventIdUsedTwice) {
  Stream s;
  prelude(s);
  const auto first = s.told(2, "ServiceStateChangeEvent", "EV-2", "service", service("SVC-1", "designed"));
  const auto second = s.told(3, "ServiceStateChangeEvent", "EV-2", "service", service("SVC-1", "reserved"));
  expect_fail(judge(s, 100), "notify.complete", {first, second});
}

TEST(ProtocolOracles, NotifyCompleteFailsAnEventIdUsedTwiceWhateverItsForm) {
  // The producer's numbered eventIds are kept by their number, others (another form, a number far beyond how many
  // there are) by their hash: a reuse is found either way.
  Stream s;
  prelude(s);
  s.told(1, "ServiceStateChangeEvent", "EV-0000001", "service", service("SVC-1", "designed"));
  const auto far = s.told(2, "ServiceStateChangeEvent", "EV-9999999", "service", service("SVC-1", "reserved"));
  const auto named = s.told(3, "ServiceStateChangeEvent", "evt-x", "service", service("SVC-1", "active"));
  const auto far_again = s.told(4, "ServiceStateChangeEvent", "EV-9999999", "service", service("SVC-2", "designed"));
  const auto named_again = s.told(5, "ServiceStateChangeEvent", "evt-x", "service", service("SVC-2", "reserved"));
  // EV-0070000 is far while few ids are kept, and no longer once thousands are: it must still be found where it was
  // first kept.
  const auto early = s.told(6, "ServiceStateChangeEvent", "EV-0070000", "service", service("SVC-3", "designed"));
  for (int i = 2; i < 2400; ++i)
    s.told(7 + i * 0.01, "ServiceStateChangeEvent", fmt::format("EV-{:07}", i), "service",
           service(fmt::format("SVC-{}", 10 + i), "designed"));
  const auto late = s.told(40, "ServiceStateChangeEvent", "EV-0070000", "service", service("SVC-3", "reserved"));
  const auto results = judge(s, 100);
  const CheckResult& r = results.at("notify.complete");
  EXPECT_EQ(r.verdict, Verdict::fail) << r.reason;
  EXPECT_EQ(r.violations, 3u) << r.reason;
  EXPECT_EQ(r.events, (std::vector<std::uint64_t>{far, named, far_again, named_again, early, late})) << ids_of(r);
}

TEST(ProtocolOracles, NotifyTimelyFailsANotificationSentLongAfterItsChange) {
  Stream s;
  prelude(s);
  const auto late = s.notify(30, "ServiceStateChangeEvent", "EV-2", "service", service("SVC-1", "designed"), 29.99, 10);
  s.ack(30.01, "ServiceStateChangeEvent", "EV-2");
  const auto r = judge(s, 100);
  expect_fail(r, "notify.timely", {late});
}

TEST(ProtocolOracles, NotifyTimelyJudgesTheSendingTimeNotTheArrival) {
  Stream s;
  prelude(s);
  // Sent 1 s after the change, held 20 s by the channel.
  s.truth(11, "channel.delayed",
          {{"dir", "c2t"},
           {"name", "ServiceStateChangeEvent"},
           {"corr", "EV-2"},
           {"kind", "notification"},
           {"delay", 20.0}});
  s.notify(31, "ServiceStateChangeEvent", "EV-2", "service", service("SVC-1", "designed"), 11, 10);
  s.ack(31.01, "ServiceStateChangeEvent", "EV-2");
  EXPECT_EQ(judge(s, 100).at("notify.timely").verdict, Verdict::pass);
}

TEST(ProtocolOracles, NotifyTimelyAllowsForTheCloudClockSkew) {
  Stream s;
  prelude(s);
  s.truth(5, "clock.skew", {{"offset", 90.0}});
  // The Cloud's clock reads 90 s ahead: a change at 10.5 s is stamped 100.5 s and sent at 10.99 s.
  s.notify(11, "ServiceStateChangeEvent", "EV-2", "service", service("SVC-1", "designed"), 10.99, 100.5);
  s.ack(11.01, "ServiceStateChangeEvent", "EV-2");
  EXPECT_EQ(judge(s, 100).at("notify.timely").verdict, Verdict::pass) << judge(s, 100).at("notify.timely").reason;
  EXPECT_EQ(judge(s, 100).at("notify.timely").observed, 1u);
}

TEST(ProtocolOracles, NotifyOrderedFailsALaterNotificationReportingAnEarlierState) {
  Stream s;
  prelude(s);
  ordered(s);
  const auto done = s.told(5, "ServiceOrderStateChangeEvent", "EV-5", "serviceOrder",
                           order("SO-1", "completed", json::array({item("1", "completed", "SVC-1")})));
  const auto back = s.told(6, "ServiceOrderStateChangeEvent", "EV-6", "serviceOrder",
                           order("SO-1", "inProgress", json::array({item("1", "inProgress", "SVC-1")})));
  const auto r = judge(s, 100);
  expect_fail(r, "notify.ordered", {done, back});
  // The earlier notification's state and event, as kept (packed) for the resource and callback.
  EXPECT_NE(r.at("notify.ordered").reason.find(fmt::format(
                "reports state inProgress, which comes before state completed notified earlier (event {}", done)),
            std::string::npos)
      << r.at("notify.ordered").reason;
}

TEST(ProtocolOracles, NotifyOrderedExceptsFramesTheChannelReordered) {
  Stream s;
  prelude(s);
  ordered(s);
  s.truth(0.5, "fault.injected",
          {{"fault", "channel"}, {"loss", 0.0}, {"duplicate", 0.0}, {"delay", 0.0}, {"reorder", 2.0}});
  // inProgress was sent first but arrives second.
  s.notify(3.0, "ServiceOrderStateChangeEvent", "EV-2", "serviceOrder",
           order("SO-1", "completed", json::array({item("1", "completed", "SVC-1")})), 2.9);
  s.notify(3.5, "ServiceOrderStateChangeEvent", "EV-1", "serviceOrder",
           order("SO-1", "inProgress", json::array({item("1", "inProgress", "SVC-1")})), 1.5);
  s.ack(3.6, "ServiceOrderStateChangeEvent", "EV-1");
  s.ack(3.7, "ServiceOrderStateChangeEvent", "EV-2");
  s.told(4.5, "ServiceStateChangeEvent", "EV-3", "service", service("SVC-1", "designed"));
  const auto r = judge(s, 100);
  EXPECT_EQ(r.at("notify.ordered").verdict, Verdict::pass) << r.at("notify.ordered").reason;
  EXPECT_EQ(r.at("sm.order").verdict, Verdict::pass) << r.at("sm.order").reason;
}

TEST(ProtocolOracles, NotifyRedeliveredFailsAFailedDeliveryNeverRepeated) {
  Stream s;
  prelude(s);
  const auto n = s.notify(5, "ServiceStateChangeEvent", "EV-2", "service", service("SVC-1", "designed"));
  const auto lost = s.truth(5, "channel.lost",
                            {{"dir", "t2c"},
                             {"name", "ServiceStateChangeEvent"},
                             {"corr", "EV-2"},
                             {"kind", "response"},
                             {"reason", "channel"}});
  expect_fail(judge(s, 1000), "notify.redelivered", {n, lost});
}

TEST(ProtocolOracles, NotifyRedeliveredFailsARefusedDeliveryNeverRepeated) {
  Stream s;
  prelude(s);
  const auto n = s.notify(5, "ServiceStateChangeEvent", "EV-2", "service", service("SVC-1", "designed"));
  const auto refused = s.ack(5.01, "ServiceStateChangeEvent", "EV-2", 500);
  expect_fail(judge(s, 1000), "notify.redelivered", {n, refused});
}

TEST(ProtocolOracles, OrderAcceptedFailsAWellFormedOrderRefused) {
  Stream s;
  prelude(s);
  const auto req = s.request(0.05, "createServiceOrder", "REQ-O", order_request("PO-1"));
  const auto resp = s.response(0.06, "createServiceOrder", "REQ-O", 422, {{"code", "noCapacity"}, {"reason", "full"}});
  expect_fail(judge(s, 10), "order.accepted", {req, resp});
}

TEST(ProtocolOracles, OrderAcceptedDoesNotApplyToAnOrderForAnUnknownCustomer) {
  Stream s;
  prelude(s);
  s.request(0.05, "createServiceOrder", "REQ-O", order_request("PO-1", "CUST-999"));
  s.response(0.06, "createServiceOrder", "REQ-O", 422, {{"code", "customerUnknown"}, {"reason", "who"}});
  EXPECT_EQ(judge(s, 10).at("order.accepted").verdict, Verdict::none);
}

TEST(ProtocolOracles, OrderAcknowledgedFailsAnOrderCreatedInAnotherState) {
  Stream s;
  prelude(s);
  const auto req = s.request(0.05, "createServiceOrder", "REQ-O", order_request("PO-1"));
  const auto resp = s.response(0.06, "createServiceOrder", "REQ-O", 201,
                               order("SO-1", "inProgress", json::array({item("1", "acknowledged")})));
  expect_fail(judge(s, 10), "order.acknowledged", {req, resp});
}

TEST(ProtocolOracles, OrderIdempotentFailsASecondOrderForARepeatedExternalId) {
  Stream s;
  prelude(s);
  ordered(s);
  const auto req = s.request(0.07, "createServiceOrder", "REQ-O2", order_request("PO-1"));
  const auto resp = s.response(0.08, "createServiceOrder", "REQ-O2", 201,
                               order("SO-2", "acknowledged", json::array({item("1", "acknowledged")})));
  expect_fail(judge(s, 10), "order.idempotent", {req, resp});
}

TEST(ProtocolOracles, SmOrderFailsACompletedOrderWithAFailedItem) {
  Stream s;
  prelude(s);
  ordered(s);
  s.told(1, "ServiceOrderStateChangeEvent", "EV-1", "serviceOrder",
         order("SO-1", "inProgress", json::array({item("1", "inProgress", "SVC-1")})));
  const auto bad = s.told(5, "ServiceOrderStateChangeEvent", "EV-5", "serviceOrder",
                          order("SO-1", "completed", json::array({item("1", "failed", "SVC-1")})));
  expect_fail(judge(s, 100), "sm.order", {bad});
}

TEST(ProtocolOracles, SmOrderFailsASkippedState) {
  Stream s;
  prelude(s);
  ordered(s);
  s.told(1, "ServiceStateChangeEvent", "EV-0", "service", service("SVC-1", "designed"));
  const auto skipped = s.told(5, "ServiceOrderStateChangeEvent", "EV-5", "serviceOrder",
                              order("SO-1", "completed", json::array({item("1", "completed", "SVC-1")})));
  expect_fail(judge(s, 100), "sm.order", {skipped});
}

TEST(ProtocolOracles, SmOrderItemFailsACompletionWhoseServiceNeverBecameActive) {
  Stream s;
  prelude(s);
  ordered(s);
  s.told(1, "ServiceOrderStateChangeEvent", "EV-1", "serviceOrder",
         order("SO-1", "inProgress", json::array({item("1", "inProgress", "SVC-1")})));
  s.told(2, "ServiceStateChangeEvent", "EV-2", "service", service("SVC-1", "designed"));
  const auto done = s.told(5, "ServiceOrderStateChangeEvent", "EV-5", "serviceOrder",
                           order("SO-1", "completed", json::array({item("1", "completed", "SVC-1")})));
  expect_fail(judge(s, 100), "sm.order_item", {done});
}

TEST(ProtocolOracles, OrderFailureReasonFailsAFailedItemNamedNowhere) {
  Stream s;
  prelude(s);
  ordered(s);
  const auto bad = s.told(5, "ServiceOrderStateChangeEvent", "EV-5", "serviceOrder",
                          order("SO-1", "failed", json::array({item("1", "failed")})));
  expect_fail(judge(s, 100), "order.failure_reason", {bad});
}

TEST(ProtocolOracles, OrderFailureReasonFailsACodeOutsideTheList) {
  Stream s;
  prelude(s);
  ordered(s);
  json failed = order("SO-1", "failed", json::array({item("1", "failed")}));
  failed["errorMessage"] = json::array({{{"code", "oops"},
                                         {"reason", "?"},
                                         {"timestamp", iso_timestamp(5)},
                                         {"serviceOrderItem", json::array({{{"id", "1"}}})}}});
  const auto bad = s.told(5, "ServiceOrderStateChangeEvent", "EV-5", "serviceOrder", failed);
  expect_fail(judge(s, 100), "order.failure_reason", {bad});
}

TEST(ProtocolOracles, OrderReadableFailsAnOwnOrderNotFound) {
  Stream s;
  prelude(s);
  ordered(s);
  const auto req =
      s.request(6, "retrieveServiceOrder", "REQ-R", nullptr, "/tmf-api/serviceOrdering/v4/serviceOrder/SO-1");
  const auto resp = s.response(6.01, "retrieveServiceOrder", "REQ-R", 404, {{"code", "notFound"}, {"reason", "no"}});
  expect_fail(judge(s, 100), "order.readable", {req, resp});
}

TEST(ProtocolOracles, OrderReadableFailsAReadShowingAnOlderState) {
  Stream s;
  prelude(s);
  ordered(s);
  s.told(1, "ServiceOrderStateChangeEvent", "EV-1", "serviceOrder",
         order("SO-1", "inProgress", json::array({item("1", "inProgress", "SVC-1")})));
  const auto done = s.told(2, "ServiceOrderStateChangeEvent", "EV-2", "serviceOrder",
                           order("SO-1", "completed", json::array({item("1", "completed", "SVC-1")})));
  const auto req =
      s.request(6, "retrieveServiceOrder", "REQ-R", nullptr, "/tmf-api/serviceOrdering/v4/serviceOrder/SO-1");
  const auto resp = s.response(6.01, "retrieveServiceOrder", "REQ-R", 200,
                               order("SO-1", "inProgress", json::array({item("1", "inProgress", "SVC-1")})));
  const auto r = judge(s, 100);
  EXPECT_EQ(r.at("order.readable").verdict, Verdict::fail);
  EXPECT_EQ(r.at("order.readable").events, (std::vector<std::uint64_t>{req, resp}));
  EXPECT_NE(r.at("order.readable").reason.find(std::to_string(done)), std::string::npos);
}

TEST(ProtocolOracles, SmServiceFailsAnIllegalTransition) {
  Stream s;
  prelude(s);
  s.told(2, "ServiceStateChangeEvent", "EV-2", "service", service("SVC-1", "designed"));
  const auto bad = s.told(3, "ServiceStateChangeEvent", "EV-3", "service", service("SVC-1", "active"));
  expect_fail(judge(s, 100), "sm.service", {bad});
}

TEST(ProtocolOracles, SmAlarmFailsAClearedAlarmWithASeverity) {
  Stream s;
  prelude(s);
  s.told(7, "AlarmCreateEvent", "EV-6", "alarm", alarm("ALM-1", "raised", "major"));
  const auto bad = s.told(8, "AlarmStateChangeEvent", "EV-7", "alarm", alarm("ALM-1", "cleared", "major"));
  expect_fail(judge(s, 100), "sm.alarm", {bad});
}

TEST(ProtocolOracles, SmUsageFailsAnIllegalTransition) {
  Stream s;
  prelude(s);
  s.told(9, "UsageCreateEvent", "EV-8", "usage", usage("USG-1", "rated"));
  const auto bad = s.told(10, "UsageStateChangeEvent", "EV-9", "usage", usage("USG-1", "received"));
  expect_fail(judge(s, 100), "sm.usage", {bad});
}

TEST(ProtocolOracles, SmBillFailsAnIllegalTransition) {
  Stream s;
  prelude(s);
  s.told(11, "CustomerBillCreateEvent", "EV-10", "customerBill", bill("BILL-1", "new"));
  const auto bad = s.told(12, "CustomerBillStateChangeEvent", "EV-11", "customerBill", bill("BILL-1", "settled"));
  expect_fail(judge(s, 100), "sm.bill", {bad});
}

TEST(ProtocolOracles, SmJobFailsAnIllegalTransition) {
  Stream s;
  prelude(s);
  s.request(12, "createMeasurementCollectionJob", "REQ-J",
            {{"service", {{"id", "SVC-1"}}},
             {"granularity", "g_1h"},
             {"performanceIndicator", json::array({"availability"})}});
  s.response(12.01, "createMeasurementCollectionJob", "REQ-J", 201, job("JOB-1", "acknowledged"));
  const auto bad = s.told(13, "MeasurementCollectionJobStateChangeEvent", "EV-11", "measurementCollectionJob",
                          job("JOB-1", "completed"));
  expect_fail(judge(s, 100), "sm.job", {bad});
}

TEST(ProtocolOracles, CustomerCreatedFailsARepeatAnsweredAsNew) {
  Stream s;
  prelude(s);
  const auto req = s.request(1, "createCustomer", "REQ-C2", customer_request());
  const auto resp = s.response(1.01, "createCustomer", "REQ-C2", 201, customer());
  expect_fail(judge(s, 10), "customer.created", {req, resp});
}

TEST(ProtocolOracles, CustomerPartyFailsAnOrderWithoutItsCustomer) {
  Stream s;
  prelude(s);
  s.request(0.05, "createServiceOrder", "REQ-O", order_request("PO-1"));
  json o = order("SO-1", "acknowledged", json::array({item("1", "acknowledged")}));
  o["relatedParty"] = json::array({{{"id", "operator"}, {"role", "operator"}}});
  const auto resp = s.response(0.06, "createServiceOrder", "REQ-O", 201, o);
  expect_fail(judge(s, 10), "customer.party", {resp});
}

TEST(ProtocolOracles, CustomerPartyFailsAServiceNamingAnotherCustomer) {
  Stream s;
  prelude(s);
  ordered(s);
  s.told(1, "ServiceOrderStateChangeEvent", "EV-1", "serviceOrder",
         order("SO-1", "inProgress", json::array({item("1", "inProgress", "SVC-1")})));
  const auto bad = s.told(2, "ServiceStateChangeEvent", "EV-2", "service", service("SVC-1", "designed", "CUST-000002"));
  expect_fail(judge(s, 100), "customer.party", {bad});
}

// The harness's own faults are never the implementation's failures.
TEST(ProtocolOracles, ChannelCopiesAreNotTheProducersDuplicates) {
  Stream s = happy();
  s.truth(40, "channel.duplicated",
          {{"dir", "c2t"}, {"name", "ServiceStateChangeEvent"}, {"corr", "EV-20"}, {"kind", "notification"}});
  s.notify(40.1, "ServiceStateChangeEvent", "EV-20", "service", service("SVC-1", "inactive"), 40);
  s.notify(40.1, "ServiceStateChangeEvent", "EV-20", "service", service("SVC-1", "inactive"), 40);
  s.ack(40.2, "ServiceStateChangeEvent", "EV-20");
  s.ack(40.2, "ServiceStateChangeEvent", "EV-20");
  // A duplicated request is answered twice; the second copy is a repeat of the customer.
  s.truth(41, "channel.duplicated",
          {{"dir", "t2c"}, {"name", "createCustomer"}, {"corr", "REQ-C9"}, {"kind", "request"}});
  s.request(41.1, "createCustomer", "REQ-C9", customer_request("CUST-000009"));
  s.request(41.1, "createCustomer", "REQ-C9", customer_request("CUST-000009"));
  s.response(41.2, "createCustomer", "REQ-C9", 201, customer("CUST-000009"));
  s.response(41.3, "createCustomer", "REQ-C9", 200, customer("CUST-000009"));
  const auto r = judge(s, 100);
  for (const auto& id : kProtocolChecks)
    EXPECT_EQ(r.at(id).verdict, Verdict::pass) << id << ": " << r.at(id).reason;
}

TEST(ProtocolOracles, ACloudStopExtendsDeadlinesAndExcusesLostRequests) {
  Stream s;
  prelude(s);
  s.request(10, "createCustomer", "REQ-C2", customer_request("CUST-000002")); // lost with the process
  s.truth(11, "cloud.down", {{"timers", 1}});
  s.request(12, "retrieveService", "REQ-S", nullptr, "/tmf-api/serviceInventory/v4/service/SVC-1");
  s.truth(40, "cloud.up", {{"held", 0}});
  s.response(42, "retrieveService", "REQ-S", 404, {{"code", "notFound"}, {"reason", "no"}}, 41.9);
  const auto r = judge(s, 200);
  EXPECT_EQ(r.at("resp.answered").verdict, Verdict::pass) << r.at("resp.answered").reason;
}

TEST(ProtocolOracles, ALostResponseCountsAsAnsweredWhenItLeft) {
  Stream s;
  prelude(s);
  s.request(10, "createCustomer", "REQ-C2", customer_request("CUST-000002"));
  s.truth(
      10.5, "channel.lost",
      {{"dir", "c2t"}, {"name", "createCustomer"}, {"corr", "REQ-C2"}, {"kind", "response"}, {"reason", "channel"}});
  const auto r = judge(s, 200);
  EXPECT_EQ(r.at("resp.answered").verdict, Verdict::pass) << r.at("resp.answered").reason;
  EXPECT_EQ(r.at("resp.answered").observed, 3u); // hub, customer, the lost answer
}

// Marks every producer frame of `s` as `bytes` long on the wire: past a few megabytes waiting within the hold, the
// oracle keeps the bodies of waiting frames packed (a month's close sends that much at once).
Stream sized(const Stream& s, std::uint64_t bytes) {
  Stream out;
  for (const auto& e : s.events()) {
    ordered_json d = e.data;
    if (e.category == Category::i1 && d.value("dir", "") == "c2t")
      d["bytes"] = bytes;
    out.add(e.t, e.category, e.type, d, e.body() ? std::optional<json>(*e.body()) : std::nullopt);
  }
  return out;
}

TEST(ProtocolOracles, BodiesKeptPackedInABurstAreJudgedAsTheFramesWereSent) {
  // Every frame of 5 MB: each waits packed, and each check must still see the body it carried.
  const auto plain = judge(happy(), 100);
  const auto packed = judge(sized(happy(), 5u << 20), 100);
  ASSERT_EQ(packed.size(), plain.size());
  for (const auto& [id, r] : plain) {
    EXPECT_EQ(packed.at(id).verdict, Verdict::pass) << id << ": " << packed.at(id).reason;
    EXPECT_EQ(packed.at(id).observed, r.observed) << id;
  }
  // A burst of 1 MB frames: the first few keep their trees, the rest wait packed, and a wrong transition among
  // the packed ones is still found.
  Stream s;
  prelude(s);
  for (int i = 1; i <= 8; ++i)
    s.told(1 + i * 0.01, "UsageCreateEvent", "EV-C" + std::to_string(i), "usage",
           usage("USG-" + std::to_string(i), "rated"));
  const auto bad = s.told(1.5, "UsageStateChangeEvent", "EV-S8", "usage", usage("USG-8", "received"));
  expect_fail(judge(sized(s, 1u << 20), 100), "sm.usage", {bad});
  EXPECT_EQ(judge(sized(s, 1u << 20), 100).at("msg.valid").verdict, Verdict::pass);
}

TEST(ProtocolOracles, AMalformedEventMakesTheChecksError) {
  Stream s;
  s.add(1, Category::i1, "i1.request", {{"dir", "t2c"}});
  const auto r = judge(s, 10);
  EXPECT_EQ(r.at("msg.valid").verdict, Verdict::error);
  EXPECT_EQ(r.at("msg.valid").events, std::vector<std::uint64_t>{1});
}

// Replays saved runs (events.jsonl under $I1SIM_PROTOCOL_REPLAY_DIR, each beside its scenario name in the
// directory name NAME-SEED) and asks that no protocol check fails on the reference implementation.
TEST(ProtocolOracles, SavedReferenceRunsHaveNoFailures) {
  const char* dir = std::getenv("I1SIM_PROTOCOL_REPLAY_DIR");
  if (!dir)
    GTEST_SKIP() << "set I1SIM_PROTOCOL_REPLAY_DIR to a directory of run outputs to replay them";
  std::vector<std::filesystem::path> runs;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (std::filesystem::exists(entry.path() / "events.jsonl"))
      runs.push_back(entry.path());
  std::sort(runs.begin(), runs.end());
  ASSERT_FALSE(runs.empty());
  std::map<std::string, std::map<std::string, int>> tally; // check -> verdict -> runs
  for (const auto& run : runs) {
    std::string name = run.filename().string();
    name = name.substr(0, name.rfind('-'));
    const scenario::Scenario sc = scenario::load(std::string(I1SIM_SOURCE_DIR) + "/scenarios/" + name + ".yaml");
    OracleContext ctx;
    ctx.scenario = &sc;
    ctx.spec = &spec::builtin();
    ctx.timers = timers_in_force(spec::builtin(), sc);
    auto oracles = make_protocol_oracles(ctx);
    std::ifstream in(run / "events.jsonl");
    std::string line;
    double end = 0;
    while (std::getline(in, line)) {
      const Event e = trace::from_json_line(line);
      end = e.t;
      for (auto& o : oracles)
        o->on_event(e);
    }
    for (auto& o : oracles) {
      o->finish(end);
      for (const auto& r : o->results()) {
        tally[r.check][std::string(to_string(r.verdict))] += 1;
        EXPECT_TRUE(r.verdict == Verdict::pass || r.verdict == Verdict::none)
            << run.filename().string() << " " << r.check << " " << to_string(r.verdict) << ": " << r.reason << " ["
            << ids_of(r) << "]";
      }
    }
  }
  for (const auto& [check, verdicts] : tally) {
    std::cout << check << ":";
    for (const auto& [verdict, n] : verdicts)
      std::cout << " " << verdict << "=" << n;
    std::cout << "\n";
  }
}

} // namespace
} // namespace i1sim::conformance::protocol_oracles_test
