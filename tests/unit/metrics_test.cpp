// Unit tests of run metrics and nearest-rank percentiles (sim/trace/metrics.hpp).
#include "trace/event_stream.hpp"
#include "trace/metrics.hpp"

#include <algorithm>
#include <cstdint>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace i1sim::trace::metrics_test {
namespace {

std::vector<double> one_to(int n) {
  std::vector<double> v;
  for (int i = 1; i <= n; ++i)
    v.push_back(i);
  return v;
}

Event event(double t, Category c, std::string type, nlohmann::ordered_json data) {
  Event e;
  e.t = t;
  e.category = c;
  e.type = std::move(type);
  e.data = std::move(data);
  return e;
}

/// An I1 event: its message's body travels beside its fields, as the binding records it.
Event event(double t, Category c, std::string type, nlohmann::ordered_json data, nlohmann::json body) {
  Event e = event(t, c, std::move(type), std::move(data));
  e.set_body(std::move(body));
  return e;
}

Event submitted(double t, const std::string& order) {
  return event(t, Category::tester, "order.submitted", {{"productOrder", order}});
}
Event active(double t, const std::string& order) {
  return event(t, Category::tester, "product.active", {{"productOrder", order}});
}
Event failed(double t, const std::string& order) {
  return event(t, Category::tester, "product.failed", {{"productOrder", order}});
}
Event i1(double t, const std::string& kind, std::uint64_t bytes) {
  return event(t, Category::i1, "i1." + kind, {{"bytes", bytes}});
}
Event truth(double t, const std::string& type) { return event(t, Category::truth, type, {{"vm", "vm-1"}}); }

TEST(NearestRank, PicksTheSmallestValueWithAtLeastPPercentAtOrBelowIt) {
  const auto s = one_to(100);
  EXPECT_EQ(nearest_rank(s, 50), 50.0);
  EXPECT_EQ(nearest_rank(s, 95), 95.0);
  EXPECT_EQ(nearest_rank(s, 99), 99.0);
  EXPECT_EQ(nearest_rank(s, 100), 100.0);
  EXPECT_EQ(nearest_rank(s, 0), 1.0);
}

TEST(NearestRank, ReturnsTheOnlyValueOfASingleElementSample) {
  const std::vector<double> s{7.5};
  EXPECT_EQ(nearest_rank(s, 0), 7.5);
  EXPECT_EQ(nearest_rank(s, 50), 7.5);
  EXPECT_EQ(nearest_rank(s, 99), 7.5);
  EXPECT_EQ(nearest_rank(s, 100), 7.5);
}

TEST(NearestRank, RoundsTheRankUpOnASmallSample) {
  const std::vector<double> s{1, 2, 3, 4};
  EXPECT_EQ(nearest_rank(s, 50), 2.0);
  EXPECT_EQ(nearest_rank(s, 51), 3.0);
  EXPECT_EQ(nearest_rank(s, 75), 3.0);
  EXPECT_EQ(nearest_rank(s, 95), 4.0);
  EXPECT_EQ(nearest_rank(s, 99), 4.0);
}

TEST(NearestRank, ReturnsZeroForAnEmptySample) { EXPECT_EQ(nearest_rank({}, 50), 0.0); }

TEST(Distribution, SortsTheSampleAndSummarisesIt) {
  const Distribution d = Distribution::of({4, 1, 3, 2});
  EXPECT_EQ(d.count, 4u);
  EXPECT_DOUBLE_EQ(d.mean, 2.5);
  EXPECT_EQ(d.min, 1.0);
  EXPECT_EQ(d.max, 4.0);
  EXPECT_EQ(d.p50, 2.0);
  EXPECT_EQ(d.p90, 4.0);
  EXPECT_EQ(d.p95, 4.0);
  EXPECT_EQ(d.p99, 4.0);
}

TEST(Distribution, OfOneToHundredHasTheTextbookPercentiles) {
  std::vector<double> s = one_to(100);
  std::vector<double> reversed(s.rbegin(), s.rend());
  const Distribution d = Distribution::of(reversed);
  EXPECT_EQ(d.count, 100u);
  EXPECT_DOUBLE_EQ(d.mean, 50.5);
  EXPECT_EQ(d.p50, 50.0);
  EXPECT_EQ(d.p90, 90.0);
  EXPECT_EQ(d.p95, 95.0);
  EXPECT_EQ(d.p99, 99.0);
}

TEST(Distribution, OfAnEmptySampleReportsOnlyItsCount) {
  const Distribution d = Distribution::of({});
  EXPECT_EQ(d.count, 0u);
  const auto j = d.to_json();
  EXPECT_EQ(j.size(), 1u);
  ASSERT_TRUE(j.contains("count"));
  EXPECT_EQ(j.at("count").get<long long>(), 0);
}

TEST(Distribution, ToJsonListsEveryFigureInOrder) {
  const auto j = Distribution::of({1, 2, 3, 4}).to_json();
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items())
    keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"count", "mean", "min", "p50", "p90", "p95", "p99", "max"}));
  EXPECT_EQ(j.at("p90").get<double>(), 4.0); // ceil(0.9 * 4) = the 4th of four
  EXPECT_EQ(j.at("p50").get<double>(), 2.0);
  EXPECT_EQ(j.at("max").get<double>(), 4.0);
}

TEST(Metrics, CountsOrdersByOutcome) {
  Metrics m;
  for (int i = 1; i <= 5; ++i)
    m.on_event(submitted(i, "po-" + std::to_string(i)));
  m.on_event(active(10, "po-1"));
  m.on_event(active(11, "po-2"));
  m.on_event(failed(12, "po-3"));
  EXPECT_EQ(m.orders_submitted(), 5u);
  EXPECT_EQ(m.orders_completed(), 2u);
  EXPECT_EQ(m.orders_failed(), 1u);
  const auto j = m.to_json();
  EXPECT_EQ(j.at("orders").at("submitted").get<long long>(), 5);
  EXPECT_EQ(j.at("orders").at("completed").get<long long>(), 2);
  EXPECT_EQ(j.at("orders").at("failed").get<long long>(), 1);
  EXPECT_EQ(j.at("orders").at("unresolved").get<long long>(), 2);
}

TEST(Metrics, MeasuresOrderToActiveFromSubmissionToActivation) {
  Metrics m;
  m.on_event(submitted(1.0, "po-a"));
  m.on_event(submitted(2.0, "po-b"));
  m.on_event(submitted(3.0, "po-c"));
  m.on_event(active(4.5, "po-b"));  // 2.5 s
  m.on_event(active(11.0, "po-a")); // 10 s
  m.on_event(active(4.0, "po-c"));  // 1 s
  const auto& lat = m.order_to_active();
  ASSERT_EQ(lat.size(), 3u);
  EXPECT_DOUBLE_EQ(lat[0], 2.5);
  EXPECT_DOUBLE_EQ(lat[1], 10.0);
  EXPECT_DOUBLE_EQ(lat[2], 1.0);
  const auto j = m.to_json().at("order_to_active_s");
  EXPECT_EQ(j.at("count").get<long long>(), 3);
  EXPECT_DOUBLE_EQ(j.at("min").get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(j.at("p50").get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(j.at("max").get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(j.at("mean").get<double>(), 13.5 / 3);
}

TEST(Metrics, IgnoresAnActivationOfAnOrderNeverSubmittedInTheLatency) {
  Metrics m;
  m.on_event(submitted(1.0, "po-a"));
  m.on_event(active(5.0, "po-zzz"));
  EXPECT_TRUE(m.order_to_active().empty());
}

TEST(Metrics, WithoutActivationsReportsAnEmptyLatencyDistribution) {
  Metrics m;
  m.on_event(submitted(1.0, "po-a"));
  const auto j = m.to_json();
  EXPECT_EQ(j.at("order_to_active_s").size(), 1u);
  EXPECT_EQ(j.at("order_to_active_s").at("count").get<long long>(), 0);
  EXPECT_EQ(j.at("orders").at("unresolved").get<long long>(), 1);
}

TEST(Metrics, CountsI1MessagesAndBytesPerKind) {
  Metrics m;
  m.on_event(submitted(0, "po-1"));
  m.on_event(submitted(0, "po-2"));
  m.on_event(i1(1, "request", 300));
  m.on_event(i1(2, "response", 120));
  m.on_event(i1(3, "request", 200));
  m.on_event(i1(4, "notification", 500));
  m.on_event(i1(5, "response", 80));
  const auto j = m.to_json().at("i1");
  EXPECT_EQ(j.at("messages").get<long long>(), 5);
  EXPECT_EQ(j.at("bytes").get<long long>(), 300 + 120 + 200 + 500 + 80);
  EXPECT_EQ(j.at("by_kind").at("request").at("messages").get<long long>(), 2);
  EXPECT_EQ(j.at("by_kind").at("request").at("bytes").get<long long>(), 500);
  EXPECT_EQ(j.at("by_kind").at("response").at("messages").get<long long>(), 2);
  EXPECT_EQ(j.at("by_kind").at("response").at("bytes").get<long long>(), 200);
  EXPECT_EQ(j.at("by_kind").at("notification").at("messages").get<long long>(), 1);
  EXPECT_EQ(j.at("by_kind").at("notification").at("bytes").get<long long>(), 500);
  EXPECT_DOUBLE_EQ(j.at("messages_per_order").get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(j.at("bytes_per_order").get<double>(), 1200.0 / 2);
}

TEST(Metrics, OmitsPerOrderFiguresWhenNoOrderWasSubmitted) {
  Metrics m;
  m.on_event(i1(1, "request", 300));
  const auto j = m.to_json().at("i1");
  EXPECT_EQ(j.at("messages").get<long long>(), 1);
  EXPECT_FALSE(j.contains("messages_per_order"));
  EXPECT_FALSE(j.contains("bytes_per_order"));
}

TEST(Metrics, CountsVmLifecycleEventsFromTheGroundTruth) {
  Metrics m;
  for (int i = 0; i < 3; ++i)
    m.on_event(truth(i, "vm.placed"));
  m.on_event(truth(5, "vm.booted"));
  m.on_event(truth(5, "vm.booted"));
  m.on_event(truth(6, "vm.failed"));
  m.on_event(truth(7, "vm.destroyed"));
  m.on_event(truth(8, "vm.something_else"));
  const auto j = m.to_json().at("vms");
  EXPECT_EQ(j.at("placed").get<long long>(), 3);
  EXPECT_EQ(j.at("booted").get<long long>(), 2);
  EXPECT_EQ(j.at("failed").get<long long>(), 1);
  EXPECT_EQ(j.at("destroyed").get<long long>(), 1);
}

TEST(Metrics, TruthAndTesterEventsDoNotCountAsI1Messages) {
  Metrics m;
  m.on_event(submitted(0, "po-1"));
  m.on_event(truth(1, "vm.placed"));
  m.on_event(active(2, "po-1"));
  const auto j = m.to_json().at("i1");
  EXPECT_EQ(j.at("messages").get<long long>(), 0);
  EXPECT_EQ(j.at("bytes").get<long long>(), 0);
  EXPECT_TRUE(j.at("by_kind").empty());
}

TEST(Metrics, GivesTheSameFiguresWhenFedThroughAnEventStream) {
  double now = 0;
  EventStream stream([&] { return now; });
  Metrics m;
  stream.add_observer(&m);
  stream.emit(Category::tester, "order.submitted", {{"productOrder", "po-1"}});
  now = 4.0;
  stream.emit(Category::i1, "i1.request", {{"bytes", 100}});
  now = 7.5;
  stream.emit(Category::tester, "product.active", {{"productOrder", "po-1"}});
  ASSERT_EQ(m.order_to_active().size(), 1u);
  EXPECT_DOUBLE_EQ(m.order_to_active()[0], 7.5);
  EXPECT_EQ(m.to_json().at("i1").at("bytes").get<long long>(), 100);
}

TEST(Metrics, AnOutcomeForAnOrderNeverSubmittedIsCountedApartAndLeavesTheOrderFiguresConsistent) {
  Metrics m;
  m.on_event(submitted(1, "PO-1"));
  m.on_event(active(5, "PO-2")); // never submitted
  m.on_event(active(6, "PO-1"));
  m.on_event(failed(7, "PO-1")); // resolved twice
  const auto j = m.to_json();
  EXPECT_EQ(j["orders"]["submitted"], 1);
  EXPECT_EQ(j["orders"]["completed"], 1);
  EXPECT_EQ(j["orders"]["failed"], 0);
  EXPECT_EQ(j["orders"]["unresolved"], 0);
  EXPECT_EQ(j["orders"]["unmatched_outcomes"], 2);
  EXPECT_EQ(m.order_to_active(), std::vector<double>{5});
}

// Orders cancelled or refused for their jurisdiction, and product changes.

Event tester(const std::string& type, nlohmann::ordered_json data) {
  return event(0, Category::tester, type, std::move(data));
}

Event failed_because(const std::string& order, const std::string& reason) {
  return tester("product.failed", {{"productOrder", order}, {"reason", reason}});
}

TEST(Metrics, CountsEachCancelledOrderOnceAndOnlyWhenReadBackAsCancelled) {
  Metrics m;
  m.on_event(tester("order.cancelled", {{"serviceOrder", "SO-1"}, {"status", 200}, {"state", "cancelled"}}));
  m.on_event(tester("order.cancelled", {{"serviceOrder", "SO-1"}, {"status", 200}, {"state", "cancelled"}}));
  m.on_event(tester("order.cancelled", {{"serviceOrder", "SO-2"}, {"status", 200}, {"state", "inProgress"}}));
  m.on_event(tester("order.cancelled", {{"serviceOrder", "SO-3"}, {"status", 200}, {"state", "cancelled"}}));
  EXPECT_EQ(m.to_json()["orders"]["cancelled"], 2); // SO-1 and SO-3
}

TEST(Metrics, CountsTheOrdersThatFailedForWantOfALawfulDataCentre) {
  Metrics m;
  for (const char* po : {"PO-1", "PO-2", "PO-3", "PO-4", "PO-5"})
    m.on_event(submitted(0, po));
  m.on_event(failed_because("PO-1", "service order failed: jurisdictionUnavailable"));
  m.on_event(failed_because("PO-2", "service order failed: noCapacity"));
  m.on_event(failed_because("PO-3", "service order partial: noCapacity: jurisdictionUnavailable"));
  m.on_event(failed_because("PO-4", "order refused (400): xjurisdictionUnavailableSoon"));
  m.on_event(failed_because("PO-9", "service order failed: jurisdictionUnavailable")); // never submitted
  m.on_event(failed_because("PO-1", "service order failed: jurisdictionUnavailable")); // resolved twice
  const auto j = m.to_json()["orders"];
  EXPECT_EQ(j["rejected_jurisdiction"], 2); // PO-1 and PO-3
  EXPECT_EQ(j["failed"], 4);
  EXPECT_EQ(j["unresolved"], 1);
}

TEST(Metrics, CountsProductChangesByOutcome) {
  Metrics m;
  for (int i = 0; i < 3; ++i)
    m.on_event(tester("product.modified", {{"productOrder", "PO-1"}}));
  m.on_event(tester("product.terminated", {{"productOrder", "PO-1"}}));
  m.on_event(tester("product.modify_failed", {{"productOrder", "PO-2"}}));
  m.on_event(tester("product.terminate_failed", {{"productOrder", "PO-2"}}));
  m.on_event(tester("product.change_refused", {{"productOrder", "PO-3"}, {"status", 400}}));
  m.on_event(tester("product.change_refused", {{"productOrder", "PO-3"}, {"status", 409}}));
  const auto j = m.to_json()["changes"];
  EXPECT_EQ(j["modified"], 3);
  EXPECT_EQ(j["terminated"], 1);
  EXPECT_EQ(j["refused"], 4);
}

TEST(Metrics, WritesEveryOrderAndChangeCounterEvenWhenNothingHappened) {
  const auto j = Metrics().to_json();
  for (const char* key : {"cancelled", "rejected_jurisdiction", "retried"})
    EXPECT_EQ(j["orders"][key], 0) << key;
  for (const char* key : {"modified", "terminated", "refused"})
    EXPECT_EQ(j["changes"][key], 0) << key;
  EXPECT_EQ(j["vms"]["leaked"], 0);
  EXPECT_EQ(j["vms"]["unattributed"], 0);
}

// VMs left running for products that ended. The event lists tell a small story whose answer is known: each
// product's VMs are named by the Cloud side's service id, linked to the product in a different way each time.

Event vm(const std::string& type, const std::string& dc, int id, const std::string& owner,
         const std::string& host = "h1") {
  return event(0, Category::truth, type, {{"dc", dc}, {"vm", id}, {"owner", owner}, {"host", host}});
}

/// The Cloud side's answer to a createServiceOrder, as the I1 binding records it.
Event order_answer(const std::string& order, const std::string& external, const std::string& customer,
                   const std::vector<std::string>& services) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& s : services)
    items.push_back({{"id", std::to_string(items.size() + 1)}, {"action", "add"}, {"service", {{"id", s}}}});
  return event(0, Category::i1, "i1.response", {{"name", "createServiceOrder"}, {"status", 201}, {"bytes", 100}},
               {{"id", order},
                {"externalId", external},
                {"state", "acknowledged"},
                {"relatedParty", {{{"id", customer}, {"role", "customer"}}}},
                {"serviceOrderItem", items}});
}

/// A ServiceOrderStateChangeEvent carrying the order as the answer would.
Event order_notice(const std::string& order, const std::string& external, const std::string& customer,
                   const std::vector<std::string>& services) {
  Event answer = order_answer(order, external, customer, services);
  return event(0, Category::i1, "i1.notification", {{"name", "ServiceOrderStateChangeEvent"}, {"bytes", 100}},
               {{"eventId", "EV-" + order}, {"event", {{"serviceOrder", *answer.body()}}}});
}

/// A ServiceStateChangeEvent about `service` of `customer`, created by `order`.
Event service_notice(const std::string& service, const std::string& customer, const std::string& order) {
  return event(0, Category::i1, "i1.notification", {{"name", "ServiceStateChangeEvent"}, {"bytes", 100}},
               {{"eventId", "EV-" + service},
                {"event",
                 {{"service",
                   {{"id", service},
                    {"state", "active"},
                    {"serviceSpecification", {{"id", "vm-small"}}},
                    {"relatedParty", {{{"id", customer}, {"role", "customer"}}}},
                    {"serviceOrder", {{"id", order}}}}}}}});
}

Event product_submitted(const std::string& po, const std::string& customer) {
  return tester("order.submitted", {{"productOrder", po}, {"customer", customer}});
}

/// Six products and what became of their VMs by the end:
///  PO-1 active, SVC-1 (tester service.ordered): two VMs running, as they should;
///  PO-2 active then terminated, SVC-2 (service.ordered): its VM destroyed;
///  PO-3 failed, SVC-3 (only the order's answer names it, by externalId): its VM failed;
///  PO-4 not resolved yet, SVC-4 (answer): its VM still running, which is no leak yet;
///  PO-5 cancelled, SVC-5 (only a notification of its order names it): its VM destroyed;
///  and a VM of SVC-X, which nothing links to a product.
std::vector<Event> story() {
  std::vector<Event> s;
  for (int i = 1; i <= 5; ++i)
    s.push_back(product_submitted("PO-" + std::to_string(i), "CUST-1"));
  s.push_back(order_answer("SO-3", "PO-3", "CUST-1", {"SVC-3"}));
  s.push_back(order_answer("SO-4", "PO-4", "CUST-1", {"SVC-4"}));
  s.push_back(order_notice("SO-5", "PO-5", "CUST-1", {"SVC-5"}));
  s.push_back(vm("vm.placed", "dc-a", 1, "SVC-1"));
  s.push_back(vm("vm.placed", "dc-a", 2, "SVC-1"));
  s.push_back(vm("vm.placed", "dc-a", 3, "SVC-2"));
  s.push_back(vm("vm.placed", "dc-b", 3, "SVC-3")); // the same number in another DC is another VM
  s.push_back(vm("vm.placed", "dc-a", 4, "SVC-4"));
  s.push_back(vm("vm.placed", "dc-a", 5, "SVC-5"));
  s.push_back(vm("vm.placed", "dc-a", 6, "SVC-X"));
  for (int i : {1, 2, 3})
    s.push_back(vm("vm.booted", "dc-a", i, i == 3 ? "SVC-2" : "SVC-1"));
  s.push_back(vm("vm.failed", "dc-b", 3, "SVC-3"));
  s.push_back(vm("vm.failed", "dc-a", 1, "SVC-1", "")); // never placed: a refused duplicate of VM 1's id
  for (const char* po : {"PO-1", "PO-2"})
    s.push_back(tester("product.active", {{"productOrder", po}, {"serviceOrder", std::string("SO-") + po[3]}}));
  s.push_back(tester("service.ordered", {{"productOrder", "PO-1"}, {"customer", "CUST-1"}, {"service", "SVC-1"}}));
  s.push_back(tester("service.ordered", {{"productOrder", "PO-2"}, {"customer", "CUST-1"}, {"service", "SVC-2"}}));
  s.push_back(tester("product.failed", {{"productOrder", "PO-3"}, {"serviceOrder", "SO-3"}, {"reason", "x"}}));
  s.push_back(tester("order.cancelled", {{"serviceOrder", "SO-5"}, {"status", 200}, {"state", "cancelled"}}));
  s.push_back(tester("product.failed", {{"productOrder", "PO-5"}, {"serviceOrder", "SO-5"}, {"reason", "c"}}));
  s.push_back(vm("vm.destroyed", "dc-a", 5, "SVC-5"));
  s.push_back(tester("product.terminated", {{"productOrder", "PO-2"}}));
  s.push_back(vm("vm.destroyed", "dc-a", 3, "SVC-2"));
  return s;
}

nlohmann::ordered_json vms_after(const std::vector<Event>& events) {
  Metrics m;
  for (const auto& e : events)
    m.on_event(e);
  return m.to_json()["vms"];
}

/// `events` without the first event of `type` about VM `id` in `dc`.
std::vector<Event> without(std::vector<Event> events, const std::string& type, const std::string& dc, int id) {
  for (auto it = events.begin(); it != events.end(); ++it)
    if (it->type == type && it->data.value("dc", "") == dc && it->data.value("vm", 0) == id) {
      events.erase(it);
      return events;
    }
  ADD_FAILURE() << "no " << type << " of " << dc << "/" << id;
  return events;
}

TEST(Metrics, NoVmLeaksWhenEveryEndedProductLostItsVms) {
  const auto j = vms_after(story());
  EXPECT_EQ(j["leaked"], 0);
  EXPECT_EQ(j["unattributed"], 1); // SVC-X's
  EXPECT_EQ(j["placed"], 7);
}

TEST(Metrics, AVmOfATerminatedProductNeverDestroyedLeaks) {
  EXPECT_EQ(vms_after(without(story(), "vm.destroyed", "dc-a", 3))["leaked"], 1);
}

TEST(Metrics, AVmOfAFailedProductKnownOnlyFromItsServiceOrderLeaks) {
  EXPECT_EQ(vms_after(without(story(), "vm.failed", "dc-b", 3))["leaked"], 1);
}

TEST(Metrics, AVmOfACancelledOrderKnownOnlyFromNotificationsLeaks) {
  auto events = without(story(), "vm.destroyed", "dc-a", 5);
  EXPECT_EQ(vms_after(events)["leaked"], 1);
  // Cancelled and read back so, even before the product's failure arrived: still no product to serve.
  events.erase(std::find_if(events.begin(), events.end(), [](const Event& e) {
    return e.type == "product.failed" && e.data.value("productOrder", "") == "PO-5";
  }));
  EXPECT_EQ(vms_after(events)["leaked"], 1);
}

TEST(Metrics, AVmOfAProductStillOnItsWayDoesNotLeak) {
  auto events = story();
  events.push_back(vm("vm.placed", "dc-a", 7, "SVC-4"));
  const auto j = vms_after(events);
  EXPECT_EQ(j["leaked"], 0);
  EXPECT_EQ(j["unattributed"], 1);
  // Once the same product fails, both of its VMs are left over.
  events.push_back(tester("product.failed", {{"productOrder", "PO-4"}, {"serviceOrder", "SO-4"}, {"reason", "t"}}));
  EXPECT_EQ(vms_after(events)["leaked"], 2);
}

TEST(Metrics, AVmWhoseOwnerNothingLinksToAProductIsUnattributedNotLeaked) {
  auto events = story();
  events.push_back(vm("vm.placed", "dc-a", 8, "SVC-Y"));
  events.push_back(vm("vm.placed", "dc-a", 9, ""));
  const auto j = vms_after(events);
  EXPECT_EQ(j["unattributed"], 3);
  EXPECT_EQ(j["leaked"], 0);
}

// Placements against the customers' jurisdictions, from ground truth.

Event customer_created(const std::string& id, const std::vector<std::string>& allowed) {
  return event(0, Category::i1, "i1.request",
               {{"name", "createCustomer"}, {"target", "/tmf-api/customerManagement/v4/customer"}, {"bytes", 100}},
               {{"id", id}, {"allowedJurisdiction", allowed}});
}

/// Customers: CUST-FR allows FR; CUST-EU allows FR and DE. Services: SVC-1 of CUST-FR (service.ordered) in
/// Paris; SVC-2 of CUST-FR (the answer to its order) in Paris; SVC-3 of CUST-EU (a notification) in Frankfurt;
/// SVC-4 whose customer is unknown, in Frankfurt.
std::vector<Event> placements() {
  return {customer_created("CUST-FR", {"FR"}),
          customer_created("CUST-EU", {"FR", "DE"}),
          customer_created("CUST-FR", {"DE"}), // a retried creation: the first one holds
          tester("service.ordered", {{"productOrder", "PO-1"}, {"customer", "CUST-FR"}, {"service", "SVC-1"}}),
          order_answer("SO-2", "PO-2", "CUST-FR", {"SVC-2"}),
          service_notice("SVC-3", "CUST-EU", "SO-3"),
          vm("vm.placed", "dc-paris", 1, "SVC-1"),
          vm("vm.placed", "dc-paris", 2, "SVC-2"),
          vm("vm.placed", "dc-paris", 3, "SVC-2"),
          vm("vm.placed", "dc-frankfurt", 4, "SVC-3"),
          vm("vm.placed", "dc-frankfurt", 5, "SVC-4")};
}

nlohmann::ordered_json placement_after(const std::vector<Event>& events) {
  Metrics m({{"dc-paris", "FR"}, {"dc-frankfurt", "DE"}});
  for (const auto& e : events)
    m.on_event(e);
  return m.to_json()["placement"];
}

TEST(Metrics, NoPlacementViolationWhenEveryServiceRunsWhereItsCustomerAllows) {
  const auto j = placement_after(placements());
  EXPECT_EQ(j["violations"], 0);
  EXPECT_EQ(j["checked"], 3); // SVC-4's customer is unknown
}

TEST(Metrics, AVmPlacedInAForbiddenJurisdictionIsAViolationOfItsService) {
  auto events = placements();
  events.push_back(vm("vm.placed", "dc-frankfurt", 6, "SVC-2")); // a scale-out across the border
  events.push_back(vm("vm.placed", "dc-frankfurt", 7, "SVC-2"));
  EXPECT_EQ(placement_after(events)["violations"], 1); // one service, however many VMs
  for (auto& e : events)
    if (e.type == "vm.placed" && e.data["owner"] == "SVC-1")
      e.data["dc"] = "dc-frankfurt";
  EXPECT_EQ(placement_after(events)["violations"], 2);
}

TEST(Metrics, APlacementIsJudgedEvenWhenTheVmIsGoneByTheEnd) {
  auto events = placements();
  events.push_back(vm("vm.placed", "dc-frankfurt", 8, "SVC-1"));
  events.push_back(vm("vm.destroyed", "dc-frankfurt", 8, "SVC-1"));
  EXPECT_EQ(placement_after(events)["violations"], 1);
}

TEST(Metrics, APlacementInADataCentreOfUnknownJurisdictionIsAViolation) {
  auto events = placements();
  events.push_back(vm("vm.placed", "dc-nowhere", 9, "SVC-3"));
  EXPECT_EQ(placement_after(events)["violations"], 1);
}

TEST(Metrics, WithoutTheDataCentresJurisdictionsPlacementIsNotReported) {
  Metrics m;
  for (const auto& e : placements())
    m.on_event(e);
  EXPECT_FALSE(m.to_json().contains("placement"));
  Metrics told;
  told.set_jurisdiction("dc-paris", "FR");
  for (const auto& e : placements())
    told.on_event(e);
  EXPECT_EQ(told.to_json()["placement"]["checked"], 3);
  EXPECT_EQ(told.to_json()["placement"]["violations"], 1); // Frankfurt is unknown to it
}

// Anomalies the Telecom side noticed.

TEST(Metrics, CountsEachTesterAnomalyUnderItsKey) {
  Metrics m;
  const std::vector<std::pair<std::string, int>> sent{
      {"notification.duplicate", 3}, {"response.duplicate", 2}, {"response.unexpected", 1}, {"request.retried", 4},
      {"order.retried", 2},          {"request.abandoned", 1},  {"request.refused", 2},     {"order.polled", 5},
      {"inventory.mismatch", 3},     {"bill.mismatch", 1},      {"bill.missing", 2},        {"usage.recovered", 6},
      {"customer.refused", 1},       {"hub.refused", 1}};
  for (const auto& [type, n] : sent)
    for (int i = 0; i < n; ++i)
      m.on_event(tester(type, {{"productOrder", "PO-1"}}));
  m.on_event(tester("service.placed", {{"service", "S1"}, {"allowed", false}}));
  m.on_event(tester("service.placed", {{"service", "S2"}, {"allowed", true}}));
  m.on_event(tester("order.replayed", {{"productOrder", "PO-1"}, {"same", true}}));
  m.on_event(tester("order.replayed", {{"productOrder", "PO-2"}, {"same", false}}));
  m.on_event(tester("order.replayed", {{"productOrder", "PO-3"}, {"same", false}}));
  const auto j = m.to_json();
  const std::map<std::string, int> want{
      {"duplicate_notifications", 3}, {"duplicate_responses", 2},   {"unexpected_responses", 1},
      {"requests_retried", 6},        {"requests_abandoned", 1},    {"requests_refused", 2},
      {"orders_polled", 5},           {"inventory_mismatches", 3},  {"bill_mismatches", 1},
      {"bills_missing", 2},           {"placements_disallowed", 1}, {"replays_mismatched", 2},
      {"usage_recovered", 6},         {"customers_refused", 1},     {"hubs_refused", 1}};
  EXPECT_EQ(j["tester"].size(), want.size());
  for (const auto& [key, n] : want)
    EXPECT_EQ(j["tester"][key], n) << key;
  EXPECT_EQ(j["orders"]["retried"], 2);
}

// Metrics keeps every name once, by number, and a service's orders as a list: what it reports must still be what
// the names' texts give.
TEST(Metrics, AServiceNamedByTwoOrdersTakesItsProductFromTheFirstInTheOrderOfTheirIds) {
  std::vector<Event> events{product_submitted("PO-A", "CUST-1"), product_submitted("PO-B", "CUST-1"),
                            product_submitted("PO-C", "CUST-1")};
  // Heard SO-2, SO-1, SO-3, but SO-1 comes first by id: the service is PO-A's, which ends, so its VM leaks.
  events.push_back(order_answer("SO-2", "PO-B", "CUST-1", {"SVC-Z"}));
  events.push_back(order_answer("SO-1", "PO-A", "CUST-1", {"SVC-Z"}));
  events.push_back(order_answer("SO-3", "PO-C", "CUST-1", {"SVC-Z"}));
  events.push_back(vm("vm.placed", "dc-a", 1, "SVC-Z"));
  events.push_back(tester("product.terminated", {{"productOrder", "PO-A"}}));
  EXPECT_EQ(vms_after(events)["leaked"], 1);
  EXPECT_EQ(vms_after(events)["unattributed"], 0);
}

TEST(Metrics, AVmIsTheSameWhetherItsNumberIsKeptSignedOrUnsigned) {
  // As "dc/<vm as JSON>" would: 7 and 7u are both "7"; "7" (a text) and -7 are other VMs.
  Metrics m;
  m.on_event(event(0, Category::truth, "vm.placed", {{"dc", "dc-a"}, {"vm", std::uint64_t{7}}, {"owner", "SVC-X"}}));
  m.on_event(event(0, Category::truth, "vm.placed", {{"dc", "dc-a"}, {"vm", -7}, {"owner", "SVC-X"}}));
  m.on_event(event(0, Category::truth, "vm.destroyed", {{"dc", "dc-a"}, {"vm", "7"}, {"owner", "SVC-X"}}));
  EXPECT_EQ(m.to_json()["vms"]["unattributed"], 2);
  m.on_event(event(0, Category::truth, "vm.destroyed", {{"dc", "dc-a"}, {"vm", std::int64_t{7}}, {"owner", "SVC-X"}}));
  EXPECT_EQ(m.to_json()["vms"]["unattributed"], 1);
}

TEST(Metrics, KeepsThousandsOfOrdersServicesAndVmsApart) {
  std::vector<Event> events;
  for (int i = 0; i < 3000; ++i) {
    const std::string n = std::to_string(i);
    events.push_back(product_submitted("PO-" + n, "CUST-" + std::to_string(i % 7)));
    events.push_back(order_answer("SO-" + n, "PO-" + n, "CUST-" + std::to_string(i % 7), {"SVC-" + n}));
    events.push_back(vm("vm.placed", i % 2 ? "dc-a" : "dc-b", i / 2, "SVC-" + n));
  }
  for (int i = 0; i < 3000; i += 3) // every third product fails, its VM left running
    events.push_back(tester(
        "product.failed",
        {{"productOrder", "PO-" + std::to_string(i)}, {"serviceOrder", "SO-" + std::to_string(i)}, {"reason", "x"}}));
  for (int i = 1; i < 3000; i += 3) // and the VM of the next is destroyed
    events.push_back(vm("vm.destroyed", i % 2 ? "dc-a" : "dc-b", i / 2, "SVC-" + std::to_string(i)));
  Metrics m;
  for (const auto& e : events)
    m.on_event(e);
  const auto j = m.to_json();
  EXPECT_EQ(j["orders"]["submitted"], 3000);
  EXPECT_EQ(j["orders"]["failed"], 1000);
  EXPECT_EQ(j["vms"]["placed"], 3000);
  EXPECT_EQ(j["vms"]["leaked"], 1000);
  EXPECT_EQ(j["vms"]["unattributed"], 0);
}

} // namespace
} // namespace i1sim::trace::metrics_test
