// Unit tests of the workload arrival processes (sim/telecom/arrivals.hpp): draws against hand computations from
// fresh streams, ramp counts against the integrated rate, exact burst and trace schedules.
#include "telecom/arrivals.hpp"

#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace i1sim::telecom::arrivals_test {
namespace {

using scenario::ArrivalProcess;
using scenario::Workload;

constexpr std::uint64_t kSeed = 20240607;
constexpr int kCustomers = 17;

Workload two_products(ArrivalProcess process, int orders, double rate, double start) {
  Workload w;
  w.arrival = process;
  w.orders = orders;
  w.rate = rate;
  w.start = start;
  w.mix = {{"office", 3}, {"studio", 1}};
  return w;
}

// The draws the Telecom BSS has always made for one order, written out by hand: a customer, then a product
// from a 3:1 mix of weights.
struct Drawn {
  int customer;
  std::string product;
};
Drawn draw_order(Random& r) {
  Drawn d;
  d.customer = static_cast<int>(r.below(kCustomers)) + 1;
  d.product = r.uniform() * 4.0 < 3.0 ? "office" : "studio";
  return d;
}

std::vector<Arrival> all(Arrivals& arrivals) {
  std::vector<Arrival> out;
  while (arrivals.more())
    out.push_back(arrivals.next());
  return out;
}

// After a generator and a hand computation took their draws, both streams must be at the same place: the
// generator drew neither more nor less.
void expect_same_position(Random& generator_stream, Random& hand_stream) {
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(generator_stream.next(), hand_stream.next()) << "the generator's stream is out of step by draw " << i;
}

TEST(Arrivals, PoissonDrawsCustomerProductThenGapAsTheBssAlwaysDid) {
  const Workload w = two_products(ArrivalProcess::poisson, 300, 0.5, 30);
  Random stream = Random::for_stream(kSeed, "bss");
  Arrivals arrivals(w, kCustomers, stream);
  Random hand = Random::for_stream(kSeed, "bss");
  double at = 30;
  EXPECT_EQ(arrivals.next_at(), 30.0);
  for (int k = 1; k <= w.orders; ++k) {
    ASSERT_TRUE(arrivals.more());
    const Arrival a = arrivals.next();
    const Drawn d = draw_order(hand);
    EXPECT_EQ(a.at, at) << "order " << k;
    EXPECT_EQ(a.customer, d.customer) << "order " << k;
    EXPECT_EQ(a.product, d.product) << "order " << k;
    if (k < w.orders) {
      const double gap = -std::log1p(-hand.uniform()) / 0.5;
      EXPECT_EQ(arrivals.gap(), gap) << "order " << k;
      at += gap;
    }
  }
  EXPECT_FALSE(arrivals.more());
  expect_same_position(stream, hand); // in particular: no gap drawn after the last order
}

TEST(Arrivals, FixedDrawsNoGapAndSpacesOrdersEvenly) {
  const Workload w = two_products(ArrivalProcess::fixed, 50, 3.0, 12);
  Random stream = Random::for_stream(kSeed, "bss");
  Arrivals arrivals(w, kCustomers, stream);
  Random hand = Random::for_stream(kSeed, "bss");
  double at = 12;
  for (int k = 1; k <= w.orders; ++k) {
    const Arrival a = arrivals.next();
    const Drawn d = draw_order(hand);
    EXPECT_EQ(a.at, at) << "order " << k;
    EXPECT_EQ(a.customer, d.customer) << "order " << k;
    EXPECT_EQ(a.product, d.product) << "order " << k;
    if (k < w.orders) {
      EXPECT_EQ(arrivals.gap(), 1.0 / 3.0);
    }
    at += 1.0 / 3.0;
  }
  EXPECT_FALSE(arrivals.more());
  expect_same_position(stream, hand);
}

TEST(Arrivals, TheLastMixShareTakesDrawsBeyondTheOthers) {
  Workload w = two_products(ArrivalProcess::fixed, 2000, 1.0, 0);
  w.mix = {{"a", 1}, {"b", 0.5}, {"c", 2.5}};
  Random stream = Random::for_stream(kSeed, "mix");
  Arrivals arrivals(w, 1, stream);
  Random hand = Random::for_stream(kSeed, "mix");
  int counts[3] = {0, 0, 0};
  for (const Arrival& a : all(arrivals)) {
    EXPECT_EQ(a.customer, 1);
    hand.below(1);
    const double pick = hand.uniform() * 4.0;
    const std::string expected = pick < 1 ? "a" : pick < 1.5 ? "b" : "c";
    EXPECT_EQ(a.product, expected);
    ++counts[expected[0] - 'a'];
  }
  // Shares 1/4, 1/8, 5/8 of 2000 orders, each within 4 binomial sigmas.
  const double p[3] = {0.25, 0.125, 0.625};
  for (int i = 0; i < 3; ++i)
    EXPECT_NEAR(counts[i], 2000 * p[i], 4 * std::sqrt(2000 * p[i] * (1 - p[i])));
}

TEST(Arrivals, RampWithEqualRatesGivesPoissonGapsExactly) {
  Workload w = two_products(ArrivalProcess::ramp, 200, 2.0, 5);
  w.ramp_to = 2.0;
  w.ramp_over = 1e9; // every order falls on the (flat) linear part
  Random stream = Random::for_stream(kSeed, "bss");
  Arrivals arrivals(w, kCustomers, stream);
  Random hand = Random::for_stream(kSeed, "bss");
  double at = 5;
  for (int k = 1; k <= w.orders; ++k) {
    const Arrival a = arrivals.next();
    const Drawn d = draw_order(hand);
    ASSERT_EQ(a.at, at) << "order " << k;
    EXPECT_EQ(a.customer, d.customer);
    EXPECT_EQ(a.product, d.product);
    if (k < w.orders)
      at += -std::log1p(-hand.uniform()) / 2.0;
  }
  expect_same_position(stream, hand);
}

// The expected number of orders in [0, t] of a ramp, from its definition: zero before start, then the area
// under a line from `rate` to `ramp_to` over `ramp_over`, then a rectangle at `ramp_to`.
double integrated_rate(const Workload& w, double t) {
  const double u = t - w.start;
  if (u <= 0)
    return 0;
  if (u <= w.ramp_over)
    return w.rate * u + (w.ramp_to - w.rate) * u * u / (2 * w.ramp_over);
  return (w.rate + w.ramp_to) / 2 * w.ramp_over + w.ramp_to * (u - w.ramp_over);
}

// Counts the orders in consecutive windows up to `until` and compares each with the integrated rate, within
// 4 Poisson sigmas, and all of them together with a chi-square bound (mean k, sd sqrt(2k), here 4 sd). The
// first order is put at `start` itself, on top of the process.
void expect_counts_follow_the_rate(const Workload& w, std::uint64_t seed, double window, double until) {
  Random stream = Random::for_stream(seed, "ramp");
  Arrivals arrivals(w, kCustomers, stream);
  const std::vector<Arrival> orders = all(arrivals);
  ASSERT_EQ(static_cast<int>(orders.size()), w.orders);
  ASSERT_GT(orders.back().at, until) << "the test needs orders beyond its last window";
  const int windows = static_cast<int>(std::lround((until - w.start) / window));
  std::vector<double> count(static_cast<std::size_t>(windows), 0.0);
  for (const Arrival& a : orders)
    if (a.at >= w.start && a.at < until)
      count[static_cast<std::size_t>(std::floor((a.at - w.start) / window))] += 1;
  count[0] -= 1; // the order at start
  double chi2 = 0;
  for (int i = 0; i < windows; ++i) {
    const double from = w.start + i * window;
    const double expected = integrated_rate(w, from + window) - integrated_rate(w, from);
    const double observed = count[static_cast<std::size_t>(i)];
    EXPECT_NEAR(observed, expected, 4 * std::sqrt(expected))
        << "window [" << from << ", " << from + window << ") with seed " << seed;
    chi2 += (observed - expected) * (observed - expected) / expected;
  }
  EXPECT_LT(chi2, windows + 4 * std::sqrt(2.0 * windows)) << "seed " << seed;
  EXPECT_EQ(orders.front().at, w.start);
  for (std::size_t i = 1; i < orders.size(); ++i)
    ASSERT_GE(orders[i].at, orders[i - 1].at);
}

TEST(Arrivals, RampUpCountsFollowTheIntegratedRate) {
  Workload w = two_products(ArrivalProcess::ramp, 30000, 1.0, 50);
  w.ramp_to = 10.0;
  w.ramp_over = 1000;
  // Up to start + 2500 s: 5500 orders on the ramp, then 10/s; 30000 orders reach further.
  for (std::uint64_t seed : {1ULL, 2ULL, 3ULL})
    expect_counts_follow_the_rate(w, seed, 100, w.start + 2500);
}

TEST(Arrivals, RampDownCountsFollowTheIntegratedRate) {
  Workload w = two_products(ArrivalProcess::ramp, 12000, 10.0, 0);
  w.ramp_to = 1.0;
  w.ramp_over = 1000;
  for (std::uint64_t seed : {4ULL, 5ULL})
    expect_counts_follow_the_rate(w, seed, 100, 3000);
}

TEST(Arrivals, RampFromZeroCountsFollowTheIntegratedRate) {
  Workload w = two_products(ArrivalProcess::ramp, 3000, 0.0, 10);
  w.ramp_to = 5.0;
  w.ramp_over = 200;
  for (std::uint64_t seed : {6ULL, 7ULL})
    expect_counts_follow_the_rate(w, seed, 20, w.start + 400);
}

TEST(Arrivals, RampDrawsOneExponentialPerGap) {
  Workload w = two_products(ArrivalProcess::ramp, 100, 1.0, 0);
  w.ramp_to = 3.0;
  w.ramp_over = 30;
  Random stream = Random::for_stream(kSeed, "bss");
  Arrivals arrivals(w, kCustomers, stream);
  Random hand = Random::for_stream(kSeed, "bss");
  for (int k = 1; k <= w.orders; ++k) {
    const Arrival a = arrivals.next();
    const Drawn d = draw_order(hand);
    EXPECT_EQ(a.customer, d.customer);
    EXPECT_EQ(a.product, d.product);
    if (k < w.orders) {
      // The gap solves: integral of the rate over [a.at, a.at + gap] = E, with E ~ Exp(1) from one draw.
      const double e = -std::log1p(-hand.uniform());
      const double mass = integrated_rate(w, a.at + arrivals.gap()) - integrated_rate(w, a.at);
      EXPECT_NEAR(mass, e, 1e-9 * (1 + e)) << "order " << k;
    }
  }
  expect_same_position(stream, hand);
}

TEST(Arrivals, BurstsArriveTogetherAtTheirTimesAndTheLastIsPartial) {
  Workload w = two_products(ArrivalProcess::burst, 10, 0, 10);
  w.burst_size = 4;
  w.burst_every = 60;
  Random stream = Random::for_stream(kSeed, "bss");
  Arrivals arrivals(w, kCustomers, stream);
  Random hand = Random::for_stream(kSeed, "bss");
  const double at[10] = {10, 10, 10, 10, 70, 70, 70, 70, 130, 130};
  const double gap[9] = {0, 0, 0, 60, 0, 0, 0, 60, 0};
  EXPECT_EQ(arrivals.next_at(), 10.0);
  for (int k = 0; k < 10; ++k) {
    ASSERT_TRUE(arrivals.more());
    const Arrival a = arrivals.next();
    const Drawn d = draw_order(hand);
    EXPECT_EQ(a.at, at[k]) << "order " << k + 1;
    EXPECT_EQ(a.customer, d.customer);
    EXPECT_EQ(a.product, d.product);
    if (k < 9) {
      EXPECT_EQ(arrivals.gap(), gap[k]) << "after order " << k + 1;
    }
  }
  EXPECT_FALSE(arrivals.more());
  expect_same_position(stream, hand);
}

TEST(Arrivals, BurstTimesDoNotDriftOverManyBursts) {
  Workload w = two_products(ArrivalProcess::burst, 3 * 100000, 0, 0.1);
  w.burst_size = 3;
  w.burst_every = 0.1;
  Random stream = Random::for_stream(kSeed, "bss");
  Arrivals arrivals(w, kCustomers, stream);
  int i = 0;
  while (arrivals.more()) {
    const Arrival a = arrivals.next();
    const double expected = 0.1 + (i / 3) * 0.1;
    ASSERT_EQ(a.at, expected) << "order " << i + 1;
    ++i;
  }
  EXPECT_EQ(i, 300000);
}

TEST(Arrivals, ATraceIsReplayedRowByRowDrawingOnlyMissingCustomers) {
  Workload w;
  w.arrival = ArrivalProcess::trace;
  w.start = 0;
  w.trace = {{2.5, "office", 4, 2},
             {2.5, "studio", 0, 3},
             {90, "studio", 9, 4},
             {3600, "office", 0, 5},
             {3600.25, "gold-plan_2", 1, 6}};
  w.orders = 5;
  Random stream = Random::for_stream(kSeed, "bss");
  Arrivals arrivals(w, kCustomers, stream);
  Random hand = Random::for_stream(kSeed, "bss");
  EXPECT_EQ(arrivals.next_at(), 2.5);
  const double gaps[4] = {0, 87.5, 3510, 0.25};
  for (std::size_t k = 0; k < w.trace.size(); ++k) {
    ASSERT_TRUE(arrivals.more());
    const Arrival a = arrivals.next();
    EXPECT_EQ(a.at, w.trace[k].at);
    EXPECT_EQ(a.product, w.trace[k].product);
    const int customer = w.trace[k].customer > 0 ? w.trace[k].customer : static_cast<int>(hand.below(kCustomers)) + 1;
    EXPECT_EQ(a.customer, customer) << "row " << k;
    if (k + 1 < w.trace.size()) {
      EXPECT_EQ(arrivals.gap(), gaps[k]);
    }
  }
  EXPECT_FALSE(arrivals.more());
  expect_same_position(stream, hand);
}

TEST(Arrivals, ARampThatFallsToZeroEndsInsteadOfWaitingForever) {
  Workload w = two_products(ArrivalProcess::ramp, 1000000, 1.0, 0);
  w.ramp_to = 0.0;
  w.ramp_over = 100; // 50 orders expected in all
  Random stream = Random::for_stream(kSeed, "bss");
  Arrivals arrivals(w, kCustomers, stream);
  const std::vector<Arrival> orders = all(arrivals);
  EXPECT_LT(orders.size(), 50 + 4 * std::sqrt(50.0) + 1);
  EXPECT_GT(orders.size(), 50 - 4 * std::sqrt(50.0));
  EXPECT_LE(orders.back().at, 100.0);
}

} // namespace
} // namespace i1sim::telecom::arrivals_test
