// Unit tests of run metrics and nearest-rank percentiles (sim/trace/metrics.hpp).
#include "trace/event_stream.hpp"
#include "trace/metrics.hpp"

#include <cstdint>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace i1sim::trace {
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
  EXPECT_EQ(keys, (std::vector<std::string>{"count", "mean", "min", "p50", "p95", "p99", "max"}));
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

} // namespace
} // namespace i1sim::trace
