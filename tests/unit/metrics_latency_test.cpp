// Unit tests of the latency and rate metrics i1sim bench reports: notification delay, usage-to-bill, throughput.
#include "trace/event_stream.hpp"
#include "trace/metrics.hpp"
#include "util/timestamp.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace i1sim::trace::metrics_latency_test {
namespace {

using Json = nlohmann::ordered_json;

Event event(double t, Category c, std::string type, Json data) {
  Event e;
  e.t = t;
  e.category = c;
  e.type = std::move(type);
  e.data = std::move(data);
  return e;
}

/// An I1 event: its message's body travels beside its fields, as the binding records it.
Event event(double t, Category c, std::string type, Json data, nlohmann::json body) {
  Event e = event(t, c, std::move(type), std::move(data));
  e.set_body(std::move(body));
  return e;
}

Event vm(double t, const std::string& type, const std::string& owner) {
  return event(t, Category::truth, type, {{"dc", "dc-1"}, {"vm", 1}, {"owner", owner}, {"host", "h-1"}});
}

/// A notification as the Telecom side's binding records it: arrival at `t`, left the Cloud side at `sent`.
Event notification(double t, double sent, const std::string& name, Json event_body) {
  return event(
      t, Category::i1, "i1.notification",
      {{"dir", "c2t"}, {"name", name}, {"corr", "EV-1"}, {"target", "sim://listener"}, {"bytes", 100}, {"sent", sent}},
      nlohmann::json{{"eventType", name}, {"event", std::move(event_body)}});
}

Event service_changed(double t, double sent, const std::string& service, const std::string& state = "active") {
  return notification(t, sent, "ServiceStateChangeEvent",
                      {{"service", {{"id", service}, {"state", state}, {"serviceSpecification", {{"id", "vm"}}}}}});
}

Event order_changed(double t, double sent, const std::string& order, const std::vector<std::string>& services) {
  Json items = Json::array();
  for (const auto& s : services)
    items.push_back({{"id", "1"}, {"action", "add"}, {"state", "completed"}, {"service", {{"id", s}}}});
  return notification(t, sent, "ServiceOrderStateChangeEvent",
                      {{"serviceOrder", {{"id", order}, {"state", "completed"}, {"serviceOrderItem", items}}}});
}

Event bill(double t, const std::string& id, double period_end, const std::string& run_type = "onCycle") {
  return notification(
      t, t - 0.01, "CustomerBillCreateEvent",
      {{"customerBill",
        {{"id", id},
         {"runType", run_type},
         {"billingPeriod", {{"startDateTime", iso_timestamp(0)}, {"endDateTime", iso_timestamp(period_end)}}}}}});
}

Json run(const std::vector<Event>& events) {
  Metrics m;
  for (const auto& e : events)
    m.on_event(e);
  return m.to_json();
}

TEST(NotificationDelay, RunsFromTheVmEventToTheArrivalOfTheFirstNotificationReportingIt) {
  const Json j = run({vm(10.0, "vm.booted", "SVC-1"), service_changed(10.75, 10.5, "SVC-1")});
  ASSERT_EQ(j.at("notification_delay_s").at("count").get<int>(), 1);
  EXPECT_DOUBLE_EQ(j.at("notification_delay_s").at("max").get<double>(), 0.75);
}

TEST(NotificationDelay, CountsAVmEventOnceThoughSeveralNotificationsReportIt) {
  // The order's completion and the service's activation both follow one boot: one delay, the first to arrive.
  const Json j = run({vm(10.0, "vm.booted", "SVC-1"), service_changed(10.25, 10.1, "SVC-1"),
                      order_changed(10.5, 10.1, "SO-1", {"SVC-1"})});
  ASSERT_EQ(j.at("notification_delay_s").at("count").get<int>(), 1);
  EXPECT_DOUBLE_EQ(j.at("notification_delay_s").at("max").get<double>(), 0.25);
}

TEST(NotificationDelay, TimesANotificationFromTheLatestVmEventItReports) {
  // Three VMs of one service boot at 10, 11 and 12 s; the one notification left at 12.5 s and arrived at 13 s.
  const Json j = run({vm(10.0, "vm.booted", "SVC-1"), vm(11.0, "vm.booted", "SVC-1"), vm(12.0, "vm.booted", "SVC-1"),
                      order_changed(13.0, 12.5, "SO-1", {"SVC-1"})});
  ASSERT_EQ(j.at("notification_delay_s").at("count").get<int>(), 1);
  EXPECT_DOUBLE_EQ(j.at("notification_delay_s").at("max").get<double>(), 1.0);
}

TEST(NotificationDelay, DoesNotBlameANotificationSentBeforeTheVmEvent) {
  // The order went inProgress (sent at 20 s) before the VM fell at 20.5 s; the later notification reports the fall.
  const Json j = run({vm(20.5, "vm.down", "SVC-1"), service_changed(20.6, 20.0, "SVC-1", "inProgress"),
                      service_changed(21.0, 20.75, "SVC-1")});
  ASSERT_EQ(j.at("notification_delay_s").at("count").get<int>(), 1);
  EXPECT_DOUBLE_EQ(j.at("notification_delay_s").at("max").get<double>(), 0.5);
}

TEST(NotificationDelay, FindsTheServiceThroughTheItemsOfAnOrder) {
  const Json j = run({vm(5.0, "vm.failed", "SVC-2"), order_changed(6.0, 5.5, "SO-2", {"SVC-9", "SVC-2"})});
  ASSERT_EQ(j.at("notification_delay_s").at("count").get<int>(), 1);
  EXPECT_DOUBLE_EQ(j.at("notification_delay_s").at("max").get<double>(), 1.0);
}

TEST(NotificationDelay, IgnoresPlacementsOtherServicesAndOtherNotifications) {
  const Json j = run({vm(1.0, "vm.placed", "SVC-1"), service_changed(2.0, 1.5, "SVC-1", "reserved"),
                      vm(3.0, "vm.booted", "SVC-3"), service_changed(4.0, 3.5, "SVC-1"),
                      notification(5.0, 4.5, "UsageCreateEvent", {{"usage", {{"id", "U-1"}}}})});
  EXPECT_EQ(j.at("notification_delay_s").at("count").get<int>(), 0);
  EXPECT_EQ(j.at("notification_delay_s").size(), 1u); // no figures that look measured
}

TEST(UsageToBill, RunsFromTheEndOfTheCycleToTheBillsArrival) {
  const Json j = run({bill(86460.5, "BILL-1", 86400), bill(86461.0, "BILL-2", 86400)});
  const Json& d = j.at("usage_to_bill_s");
  ASSERT_EQ(d.at("count").get<int>(), 2);
  EXPECT_NEAR(d.at("min").get<double>(), 60.5, 1e-9);
  EXPECT_NEAR(d.at("max").get<double>(), 61.0, 1e-9);
}

TEST(UsageToBill, TimesADuplicatedBillOnceAndSkipsBillsOnDemand) {
  const Json j = run({bill(100.0, "BILL-1", 90), bill(105.0, "BILL-1", 90), bill(200.0, "BILL-2", 150, "onDemand")});
  const Json& d = j.at("usage_to_bill_s");
  ASSERT_EQ(d.at("count").get<int>(), 1);
  EXPECT_NEAR(d.at("max").get<double>(), 10.0, 1e-9);
}

Event submitted(double t, const std::string& order) {
  return event(t, Category::tester, "order.submitted", {{"productOrder", order}});
}
Event active(double t, const std::string& order) {
  return event(t, Category::tester, "product.active", {{"productOrder", order}});
}

TEST(Throughput, CountsActivationsFromTheFirstSubmissionToTheLastActivation) {
  // Four orders one second apart (offered: 3 gaps in 3 s = 1/s); three made active, the last at 9 s after the first
  // submission at 1 s: 3 / 8 s.
  const Json j = run({submitted(1, "P1"), submitted(2, "P2"), submitted(3, "P3"), submitted(4, "P4"), active(6, "P1"),
                      active(7, "P2"), active(9, "P3")});
  const Json& t = j.at("throughput");
  EXPECT_DOUBLE_EQ(t.at("offered_per_s").get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(t.at("arrival_window_s").get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(t.at("per_s").get<double>(), 3.0 / 8.0);
  EXPECT_DOUBLE_EQ(t.at("window_s").get<double>(), 8.0);
}

TEST(Throughput, IsLeftOutWhenNoOrderBecameActive) {
  const Json j = run({submitted(1, "P1")});
  EXPECT_FALSE(j.contains("throughput"));
}

} // namespace
} // namespace i1sim::trace::metrics_latency_test
