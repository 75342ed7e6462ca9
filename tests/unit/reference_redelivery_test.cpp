// Unit tests of the reference Cloud BSS/OSS under the faults of issue 4, driven through the fake CloudContext:
// notifications delivered at least once (sent again until answered 204), a repeated subscription, and a
// restart that keeps the durable state and re-arms what it obliges the implementation to do.
#include "cloud/reference_cloud.hpp"
#include "fake_cloud_context.hpp"
#include "i1/spec.hpp"

#include <gtest/gtest.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace i1sim::fake::reference_redelivery_test {
namespace {

using nlohmann::json;

const std::string kCallback = "http://telecom.example/listener";

std::string target(const std::string& op, const std::string& id = {}) {
  const spec::Operation* o = spec::builtin().operation(op);
  std::string path = o ? o->path : std::string();
  if (const auto at = path.find("{id}"); at != std::string::npos)
    path.replace(at, 4, id);
  return path;
}

json characteristic(const std::string& name, const json& value) {
  return {{"name", name}, {"valueType", value.is_number_integer() ? "integer" : "number"}, {"value", value}};
}

/// One add item of one 2-vCPU VM, with at most `max_activation` s to become active.
json order_body(const std::string& external, double max_activation) {
  json chars =
      json::array({characteristic("instances", 1), characteristic("vCPU", 2), characteristic("memoryMiB", 4096),
                   characteristic("storageMiB", 40960), characteristic("maxActivationSeconds", max_activation)});
  return {{"externalId", external},
          {"relatedParty", json::array({{{"id", "C1"}, {"role", "customer"}}})},
          {"serviceOrderItem",
           json::array(
               {{{"id", "1"},
                 {"action", "add"},
                 {"service", {{"serviceSpecification", {{"id", "vm-small"}}}, {"serviceCharacteristic", chars}}}}})}};
}

class Redelivery : public ::testing::Test {
protected:
  Redelivery() {
    for (const auto& t : spec::builtin().timers)
      setup.timers[t.name] = t.default_s; // T_response 5 s: the first wait is 10 s
    CloudServiceOffer small;
    small.id = "vm-small";
    small.name = "Small virtual machine";
    small.vcpu_hour = 1'000'000;
    setup.offers.push_back(small);
    setup.currency = "EUR";
    iut = std::make_unique<cloud::ReferenceCloud>(setup);
    ctx = fresh_context();
    ctx->start();
  }

  std::unique_ptr<FakeCloudContext> fresh_context() {
    auto c = std::make_unique<FakeCloudContext>(std::vector<DcInfo>{DcInfo{"paris", "FR", 8, 64, 64}});
    c->attach(*iut);
    return c;
  }

  RecordedResponse call(const std::string& op, const std::string& id, json body) {
    return ctx->request(op, target(op, id), std::move(body));
  }

  /// A subscription and a customer, then one order; returns the order's id.
  std::string subscribe_and_order(double max_activation = 600) {
    EXPECT_EQ(call("createHub", "", {{"callback", kCallback}}).status, 201);
    EXPECT_EQ(call("createCustomer", "",
                   {{"id", "C1"},
                    {"name", "Customer 1"},
                    {"relatedParty", json::array({{{"id", "telecom"}, {"role", "operator"}}})},
                    {"allowedJurisdiction", {"FR"}},
                    {"currency", "EUR"}})
                  .status,
              201);
    const auto r = call("createServiceOrder", "", order_body("PO-1", max_activation));
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", "");
  }

  void answer(const RecordedNotification& n, int status = 204) {
    iut->on_response(*ctx, Message{MessageKind::response, n.type, n.correlation_id, status, "", json::object(), {}});
  }

  /// How many times the notification with `event_id` was posted so far.
  std::size_t deliveries(const std::string& event_id) const {
    std::size_t n = 0;
    for (const auto& m : ctx->notifications())
      n += m.correlation_id == event_id ? 1 : 0;
    return n;
  }

  /// The order's VM placed and booted at once: a burst of notifications about the order and its service.
  void boot_now() {
    for (const auto& c : std::vector<CreatedVm>(ctx->created())) {
      ctx->deliver(DcEventKind::vm_placed, c.id, ctx->now());
      ctx->deliver(DcEventKind::vm_booted, c.id, ctx->now());
    }
  }

  /// Any request, to give the implementation a call (it looks for overdue notifications in every call).
  void poke() { EXPECT_EQ(call("listService", "", nullptr).status, 200); }

  CloudSetup setup;
  std::unique_ptr<cloud::ReferenceCloud> iut;
  std::unique_ptr<FakeCloudContext> ctx;
};

TEST_F(Redelivery, ANotificationLeftUnansweredIsSentAgainWithTheSameEventIdOnceItsWaitEnds) {
  subscribe_and_order();
  const auto sent = ctx->notifications();
  ASSERT_GE(sent.size(), 2u);
  for (std::size_t i = 0; i + 1 < sent.size(); ++i)
    answer(sent[i]);
  const RecordedNotification last = sent.back(); // its answer was lost
  ctx->advance_to(9);
  poke();
  EXPECT_EQ(deliveries(last.correlation_id), 1u) << "sent again before 2 x T_response";
  ctx->advance_to(10.5);
  poke();
  ASSERT_EQ(deliveries(last.correlation_id), 2u);
  EXPECT_EQ(ctx->notifications().back().envelope, last.envelope) << "a redelivery carries the same event";
  for (std::size_t i = 0; i + 1 < sent.size(); ++i)
    EXPECT_EQ(deliveries(sent[i].correlation_id), 1u) << "an acknowledged notification was sent again";
  // A failure was seen: from now on a timer sends it again without any call, after 20 s this time.
  ctx->advance_to(30);
  EXPECT_EQ(deliveries(last.correlation_id), 2u);
  ctx->advance_to(31);
  EXPECT_EQ(deliveries(last.correlation_id), 3u);
  answer(ctx->notifications().back());
  ctx->advance_to(2000);
  poke();
  EXPECT_EQ(deliveries(last.correlation_id), 3u) << "sent again after its 204";
}

TEST_F(Redelivery, AnAnswerToALaterNotificationRevealsALostOneBeforeTheListenerFallsSilent) {
  subscribe_and_order();
  boot_now();
  const auto sent = ctx->notifications();
  ASSERT_GE(sent.size(), 3u);
  ctx->advance_to(1);
  answer(sent[1]); // the first one's answer does not come: lost
  ctx->advance_to(9);
  answer(sent[2]); // the listener is not silent
  ctx->advance_to(10.9);
  poke();
  EXPECT_EQ(deliveries(sent[0].correlation_id), 1u);
  ctx->advance_to(11.1); // 2 x T_response after a later one was answered
  poke();
  EXPECT_EQ(deliveries(sent[0].correlation_id), 2u);
}

TEST_F(Redelivery, ASlowListenerThatAnswersInOrderIsSentNothingTwice) {
  // Its answers wait in a queue: each comes 5 s after the one before, the last long after 2 x T_response.
  subscribe_and_order();
  boot_now();
  const auto sent = ctx->notifications();
  ASSERT_GE(sent.size(), 3u);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    ctx->advance_to(5.0 * static_cast<double>(i + 1) - 0.1);
    poke();
    ctx->advance_to(5.0 * static_cast<double>(i + 1));
    answer(sent[i]);
  }
  for (const auto& n : sent)
    EXPECT_EQ(deliveries(n.correlation_id), 1u) << n.type;
}

TEST_F(Redelivery, AnAnswerOtherThan204IsAFailedDelivery) {
  subscribe_and_order();
  const auto sent = ctx->notifications();
  for (std::size_t i = 0; i + 1 < sent.size(); ++i)
    answer(sent[i]);
  answer(sent.back(), 500);
  ctx->advance_to(11); // no call needed: the failed answer set the timer
  EXPECT_EQ(deliveries(sent.back().correlation_id), 2u);
}

TEST_F(Redelivery, ItGivesUpAfterEightDeliveries) {
  subscribe_and_order();
  const auto sent = ctx->notifications();
  answer(sent.front()); // the listener answers, but never this one
  for (double t = 5; t < 6000; t += 5)
    ctx->advance_to(t);
  EXPECT_EQ(deliveries(sent.back().correlation_id), static_cast<std::size_t>(cloud::ReferenceCloud::kMaxDeliveries));
}

TEST_F(Redelivery, AListenerThatNeverAnswersGetsEveryNotificationOnce) {
  subscribe_and_order();
  const auto sent = ctx->notifications();
  for (double t = 10; t < 600; t += 10) {
    ctx->advance_to(t);
    poke();
  }
  for (const auto& n : sent)
    EXPECT_EQ(deliveries(n.correlation_id), 1u);
}

TEST_F(Redelivery, AnUnsubscribedListenerHearsNothingMore) {
  subscribe_and_order();
  const auto sent = ctx->notifications();
  answer(sent.front());
  const std::string hub = ctx->responses().front().body.value("id", "");
  EXPECT_EQ(call("deleteHub", hub, nullptr).status, 204);
  ctx->advance_to(100);
  poke();
  for (std::size_t i = 1; i < sent.size(); ++i)
    EXPECT_EQ(deliveries(sent[i].correlation_id), 1u);
}

TEST_F(Redelivery, TheSameSubscriptionAskedForTwiceIsOneSubscription) {
  const auto a = call("createHub", "", {{"callback", kCallback}});
  const auto b = call("createHub", "", {{"callback", kCallback}});
  EXPECT_EQ(a.body.value("id", ""), b.body.value("id", ""));
  const auto other = call("createHub", "", {{"callback", kCallback}, {"query", "eventType=UsageCreateEvent"}});
  EXPECT_NE(other.body.value("id", ""), a.body.value("id", "")) << "a different query is a different subscription";
}

// ---- restart: the store survives, memory does not, obligations are re-armed ------------------------------

TEST_F(Redelivery, AnActivationDeadlineSetBeforeARestartStillFailsTheItemInTime) {
  const std::string order = subscribe_and_order(100); // the VM never boots
  ctx->advance_to(50);
  ctx = fresh_context(); // the new process: no timer of the old one is left
  ctx->advance_to(50);
  iut->restart(*ctx);
  ctx->advance_to(99.9);
  EXPECT_EQ(call("retrieveServiceOrder", order, nullptr).body.value("state", ""), "inProgress");
  ctx->advance_to(100.1);
  const auto r = call("retrieveServiceOrder", order, nullptr);
  EXPECT_EQ(r.body.value("state", ""), "failed");
  ASSERT_TRUE(r.body.contains("errorMessage"));
  EXPECT_EQ(r.body["errorMessage"][0].value("code", ""), "activationTimeout");
}

TEST_F(Redelivery, WithoutTheRestartHookTheDeadlineIsLost) {
  // The same as above with the hook not called: proves that the previous test depends on the re-arming.
  const std::string order = subscribe_and_order(100);
  ctx->advance_to(50);
  ctx = fresh_context();
  ctx->advance_to(200);
  EXPECT_EQ(call("retrieveServiceOrder", order, nullptr).body.value("state", ""), "inProgress");
}

TEST_F(Redelivery, AUsageBoundaryMissedWhileDownIsMeteredAtTheRestart) {
  setup.bill_cycle = 7200;
  setup.timers["T_usage_period"] = 3600;
  iut = std::make_unique<cloud::ReferenceCloud>(setup);
  ctx = fresh_context();
  ctx->start();
  subscribe_and_order();
  ASSERT_EQ(ctx->created().size(), 1u);
  const VmId vm = ctx->created().front().id;
  ctx->deliver(DcEventKind::vm_placed, vm, 5);
  ctx->deliver(DcEventKind::vm_booted, vm, 10);
  ctx->advance_to(3000);
  ctx = fresh_context(); // down from 3000 s to 4000 s: the boundary at 3600 s (+ settle) passes unseen
  ctx->advance_to(4000);
  iut->restart(*ctx);
  ctx->advance_to(4000);
  std::vector<json> usage;
  for (const auto& n : ctx->notifications())
    if (n.type == "UsageCreateEvent")
      usage.push_back(n.resource());
  ASSERT_EQ(usage.size(), 1u);
  EXPECT_EQ(usage[0]["usagePeriod"].value("endDateTime", ""), "2026-01-01T01:00:00.000000Z");
  // 2 vCPU from 10 s to 3600 s.
  EXPECT_EQ(usage[0]["usageCharacteristic"][0].value("value", std::int64_t{0}), std::int64_t{2} * 3'590'000);
  ctx->advance_to(7200 + 61); // and the boundaries go on from there
  std::size_t records = 0;
  for (const auto& n : ctx->notifications())
    records += n.type == "UsageCreateEvent" ? 1 : 0;
  EXPECT_EQ(records, 2u);
}

TEST_F(Redelivery, NotificationsNotAcknowledgedBeforeAStopAreSentAgainAtTheRestart) {
  subscribe_and_order();
  const auto sent = ctx->notifications();
  answer(sent.front());
  ctx->advance_to(3);
  ctx = fresh_context();
  ctx->advance_to(3);
  iut->restart(*ctx);
  std::vector<std::string> again;
  for (const auto& n : ctx->notifications())
    again.push_back(n.correlation_id);
  std::vector<std::string> want;
  for (std::size_t i = 1; i < sent.size(); ++i)
    want.push_back(sent[i].correlation_id);
  EXPECT_EQ(again, want);
}

TEST_F(Redelivery, AnIdempotencyKeySurvivesARestart) {
  const std::string order = subscribe_and_order();
  ctx = fresh_context();
  iut->restart(*ctx);
  const auto r = call("createServiceOrder", "", order_body("PO-1", 600));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.value("id", ""), order);
}

} // namespace
} // namespace i1sim::fake::reference_redelivery_test
