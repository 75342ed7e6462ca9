// Unit tests of the deterministic random number streams (sim/util/random.hpp).
#include "util/random.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <gtest/gtest.h>
#include <vector>

namespace i1sim::random_test {
namespace {

std::vector<std::uint64_t> draws(Random r, int n) {
  std::vector<std::uint64_t> out;
  for (int i = 0; i < n; ++i)
    out.push_back(r.next());
  return out;
}

TEST(Random, SameSeedGivesTheSameSequence) {
  EXPECT_EQ(draws(Random(42), 1000), draws(Random(42), 1000));
  EXPECT_EQ(draws(Random::for_stream(7, "telecom"), 100), draws(Random::for_stream(7, "telecom"), 100));
}

TEST(Random, DifferentSeedsGiveDifferentSequences) {
  const auto a = draws(Random(1), 100);
  const auto b = draws(Random(2), 100);
  int same = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    same += a[i] == b[i] ? 1 : 0;
  EXPECT_EQ(same, 0);
}

TEST(Random, DifferentStreamNamesGiveDifferentSequences) {
  const auto a = draws(Random::for_stream(1, "telecom"), 100);
  const auto b = draws(Random::for_stream(1, "cloud"), 100);
  const auto c = draws(Random::for_stream(2, "telecom"), 100);
  EXPECT_NE(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a[0], b[0]);
  EXPECT_NE(a[0], c[0]);
}

TEST(Random, ASequenceDoesNotRepeatItselfEarly) {
  const auto a = draws(Random(3), 10000);
  std::vector<std::uint64_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end());
}

TEST(Random, UniformStaysInTheHalfOpenUnitInterval) {
  Random r(99);
  double lo = 1;
  double hi = 0;
  double sum = 0;
  constexpr int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
  }
  EXPECT_LT(lo, 0.001);
  EXPECT_GT(hi, 0.999);
  EXPECT_NEAR(sum / n, 0.5, 0.01);
}

TEST(Random, BelowStaysInRangeAndIsRoughlyUniform) {
  Random r(12345);
  constexpr int n = 100000;
  constexpr std::uint64_t buckets = 10;
  std::array<int, buckets> count{};
  for (int i = 0; i < n; ++i) {
    const std::uint64_t v = r.below(buckets);
    ASSERT_LT(v, buckets);
    ++count[v];
  }
  const double expected = static_cast<double>(n) / buckets;
  for (std::uint64_t b = 0; b < buckets; ++b) {
    EXPECT_GT(count[b], 0.8 * expected) << "bucket " << b;
    EXPECT_LT(count[b], 1.2 * expected) << "bucket " << b;
  }
}

TEST(Random, BelowOneIsAlwaysZero) {
  Random r(5);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(r.below(1), 0u);
}

TEST(Random, BelowAnAwkwardBoundStaysInRange) {
  Random r(6);
  const std::uint64_t n = (std::uint64_t{1} << 63) + 1; // most of the 64-bit range is rejected
  for (int i = 0; i < 1000; ++i)
    ASSERT_LT(r.below(n), n);
  const std::uint64_t three = 3;
  std::array<int, 3> count{};
  for (int i = 0; i < 30000; ++i)
    ++count[r.below(three)];
  for (int c : count)
    EXPECT_NEAR(c, 10000, 1000);
}

TEST(Random, ExponentialHasMeanOneOverRate) {
  for (const double rate : {0.5, 2.0, 40.0}) {
    Random r(777);
    constexpr int n = 200000;
    double sum = 0;
    for (int i = 0; i < n; ++i) {
      const double x = r.exponential(rate);
      ASSERT_GE(x, 0.0);
      sum += x;
    }
    const double mean = sum / n;
    EXPECT_NEAR(mean, 1.0 / rate, 0.02 / rate) << "rate " << rate;
  }
}

} // namespace
} // namespace i1sim::random_test
