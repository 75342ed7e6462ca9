// Deterministic random numbers: one run seed, split into an independent stream per actor by name.
#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

namespace i1sim {

/// xoshiro256** seeded through splitmix64. Implemented here rather than taken from <random> so that the
/// same seed gives the same draws with any standard library, which byte-identical results depend on.
class Random {
public:
  explicit Random(std::uint64_t seed) {
    for (auto& s : state_)
      s = splitmix(seed);
  }
  /// A stream for one actor: the run seed mixed with a hash of the actor's name.
  static Random for_stream(std::uint64_t run_seed, std::string_view name) {
    std::uint64_t h = 1469598103934665603ULL; // FNV-1a
    for (char c : name)
      h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    return Random(run_seed ^ (h * 0x9E3779B97F4A7C15ULL));
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [0, n), without modulo bias.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = -n % n;
    for (;;) {
      const std::uint64_t x = next();
      if (x >= limit)
        return x % n;
    }
  }
  /// Exponentially distributed with the given rate (mean 1/rate).
  double exponential(double rate) { return -std::log1p(-uniform()) / rate; }

private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t state_[4]{};
};

} // namespace i1sim
