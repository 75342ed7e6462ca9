// Unit tests of VM placement and capacity bookkeeping (sim/world/placement.hpp).
#include "util/random.hpp"
#include "world/placement.hpp"

#include <array>
#include <cstdint>
#include <gtest/gtest.h>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace i1sim::world::placement_test {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr double kGf = 1e9;

HostCapacity host(int cores, double speed, double ram, double disk) { return {cores, speed, ram, disk}; }

VmShape vm(int vcpu, double ram, double disk, double min_core_speed = 0) { return {vcpu, ram, disk, min_core_speed}; }

// A host large enough on every dimension but cores, at 3 Gf per core.
HostCapacity roomy(int cores, double speed = 3 * kGf) { return host(cores, speed, 1024 * kGiB, 16384 * kGiB); }

TEST(Placer, FindsAHostWhenThereIsRoom) {
  const Placer p({host(4, 3 * kGf, 8 * kGiB, 100 * kGiB)});
  const auto h = p.find(vm(2, 4 * kGiB, 10 * kGiB));
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(*h, 0u);
}

TEST(Placer, FindsNothingWhenNoHostHasRoom) {
  const Placer p({host(4, 3 * kGf, 8 * kGiB, 100 * kGiB), host(2, 3 * kGf, 8 * kGiB, 100 * kGiB)});
  EXPECT_FALSE(p.find(vm(8, 4 * kGiB, 10 * kGiB)).has_value());
}

TEST(Placer, FindsNothingInADataCentreWithoutHosts) {
  const Placer p(std::vector<HostCapacity>{});
  EXPECT_FALSE(p.find(vm(1, kGiB, kGiB)).has_value());
  EXPECT_EQ(p.free_cores(), 0);
}

TEST(Placer, RefusesAHostWithTooFewFreeCores) {
  const VmShape shape = vm(4, 4 * kGiB, 10 * kGiB);
  const HostCapacity short_of_cores = host(3, 3 * kGf, 64 * kGiB, 1000 * kGiB);
  const HostCapacity enough = host(8, 3 * kGf, 64 * kGiB, 1000 * kGiB);
  EXPECT_FALSE(Placer({short_of_cores}).fits(0, shape));
  EXPECT_FALSE(Placer({short_of_cores}).find(shape).has_value());
  const auto h = Placer({short_of_cores, enough}).find(shape);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(*h, 1u);
}

TEST(Placer, RefusesAHostWithTooLittleFreeRam) {
  const VmShape shape = vm(2, 4 * kGiB, 10 * kGiB);
  const HostCapacity short_of_ram = host(8, 3 * kGf, 2 * kGiB, 1000 * kGiB);
  const HostCapacity enough = host(8, 3 * kGf, 8 * kGiB, 1000 * kGiB);
  EXPECT_FALSE(Placer({short_of_ram}).fits(0, shape));
  EXPECT_FALSE(Placer({short_of_ram}).find(shape).has_value());
  // Same free cores and a lower index: the first host would win if RAM were not checked.
  const auto h = Placer({short_of_ram, enough}).find(shape);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(*h, 1u);
}

TEST(Placer, RefusesAHostWithTooLittleFreeDisk) {
  const VmShape shape = vm(2, 4 * kGiB, 100 * kGiB);
  const HostCapacity short_of_disk = host(8, 3 * kGf, 64 * kGiB, 50 * kGiB);
  const HostCapacity enough = host(8, 3 * kGf, 64 * kGiB, 200 * kGiB);
  EXPECT_FALSE(Placer({short_of_disk}).fits(0, shape));
  EXPECT_FALSE(Placer({short_of_disk}).find(shape).has_value());
  const auto h = Placer({short_of_disk, enough}).find(shape);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(*h, 1u);
}

TEST(Placer, RefusesAHostWhoseCoresAreSlowerThanRequired) {
  const VmShape shape = vm(2, 4 * kGiB, 10 * kGiB, 2.5 * kGf);
  const HostCapacity too_slow = host(8, 2 * kGf, 64 * kGiB, 1000 * kGiB);
  const HostCapacity fast_enough = host(8, 3 * kGf, 64 * kGiB, 1000 * kGiB);
  EXPECT_FALSE(Placer({too_slow}).fits(0, shape));
  EXPECT_FALSE(Placer({too_slow}).find(shape).has_value());
  // The slow host is the slowest class and has the lowest index: it would win if speed were not checked.
  const auto h = Placer({too_slow, fast_enough}).find(shape);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(*h, 1u);
}

TEST(Placer, AcceptsAHostWhoseCoreSpeedEqualsTheRequirement) {
  const Placer p({host(8, 3 * kGf, 64 * kGiB, 1000 * kGiB)});
  EXPECT_TRUE(p.fits(0, vm(2, kGiB, kGiB, 3 * kGf)));
  EXPECT_EQ(p.find(vm(2, kGiB, kGiB, 3 * kGf)), std::optional<std::uint32_t>(0));
}

TEST(Placer, AcceptsAVmThatExactlyFillsAHost) {
  Placer p({host(4, 3 * kGf, 8 * kGiB, 100 * kGiB)});
  const VmShape all = vm(4, 8 * kGiB, 100 * kGiB);
  ASSERT_EQ(p.find(all), std::optional<std::uint32_t>(0));
  p.reserve(0, all);
  EXPECT_EQ(p.free(0).cores, 0);
  EXPECT_EQ(p.free(0).ram, 0.0);
  EXPECT_EQ(p.free(0).disk, 0.0);
  EXPECT_FALSE(p.find(vm(1, 1, 1)).has_value());
}

TEST(Placer, ChoosesTheHostWithFewestFreeCoresThatStillFitsWithinASpeedClass) {
  const Placer p({roomy(16), roomy(4), roomy(8), roomy(2)});
  EXPECT_EQ(p.find(vm(3, kGiB, kGiB)), std::optional<std::uint32_t>(1));
  EXPECT_EQ(p.find(vm(5, kGiB, kGiB)), std::optional<std::uint32_t>(2));
  EXPECT_EQ(p.find(vm(2, kGiB, kGiB)), std::optional<std::uint32_t>(3));
  EXPECT_EQ(p.find(vm(9, kGiB, kGiB)), std::optional<std::uint32_t>(0));
}

TEST(Placer, BestFitFollowsFreeCoresAfterReservations) {
  Placer p({roomy(16), roomy(8)});
  // Host 1 is the best fit until host 0 has fewer free cores than it.
  EXPECT_EQ(p.find(vm(2, kGiB, kGiB)), std::optional<std::uint32_t>(1));
  p.reserve(0, vm(10, kGiB, kGiB)); // host 0: 6 free cores, host 1: 8
  EXPECT_EQ(p.find(vm(2, kGiB, kGiB)), std::optional<std::uint32_t>(0));
  EXPECT_EQ(p.find(vm(7, kGiB, kGiB)), std::optional<std::uint32_t>(1));
}

TEST(Placer, BestFitSkipsTheTightestHostWhenItLacksRam) {
  const Placer p({roomy(16), host(4, 3 * kGf, 2 * kGiB, 1000 * kGiB), roomy(8)});
  EXPECT_EQ(p.find(vm(4, 4 * kGiB, kGiB)), std::optional<std::uint32_t>(2));
}

TEST(Placer, PrefersTheSlowestSpeedClassThatMeetsTheRequirement) {
  // Host 0 would be the best fit on cores, but it is faster than needed; host 2 is too slow.
  const Placer p({roomy(2, 4 * kGf), roomy(32, 3 * kGf), roomy(2, 2 * kGf)});
  EXPECT_EQ(p.find(vm(2, kGiB, kGiB, 2.5 * kGf)), std::optional<std::uint32_t>(1));
  EXPECT_EQ(p.find(vm(2, kGiB, kGiB, 3.5 * kGf)), std::optional<std::uint32_t>(0));
  EXPECT_EQ(p.find(vm(2, kGiB, kGiB)), std::optional<std::uint32_t>(2));
}

TEST(Placer, FallsBackToAFasterClassWhenTheSlowerOneIsFull) {
  Placer p({roomy(8, 4 * kGf), roomy(4, 3 * kGf)});
  EXPECT_EQ(p.find(vm(4, kGiB, kGiB)), std::optional<std::uint32_t>(1));
  p.reserve(1, vm(3, kGiB, kGiB));
  EXPECT_EQ(p.find(vm(4, kGiB, kGiB)), std::optional<std::uint32_t>(0));
  EXPECT_EQ(p.find(vm(1, kGiB, kGiB)), std::optional<std::uint32_t>(1));
}

TEST(Placer, BreaksTiesByTheLowestHostIndex) {
  const Placer p({roomy(8), roomy(8), roomy(4), roomy(4), roomy(4)});
  EXPECT_EQ(p.find(vm(4, kGiB, kGiB)), std::optional<std::uint32_t>(2));
  EXPECT_EQ(p.find(vm(5, kGiB, kGiB)), std::optional<std::uint32_t>(0));
}

TEST(Placer, ReserveThenReleaseRestoresFreeCapacity) {
  Placer p({host(16, 3 * kGf, 64 * kGiB, 1000 * kGiB), host(8, 3 * kGf, 32 * kGiB, 500 * kGiB)});
  EXPECT_EQ(p.total_cores(), 24);
  EXPECT_EQ(p.free_cores(), 24);
  const VmShape shape = vm(6, 20 * kGiB, 300 * kGiB);
  p.reserve(1, shape);
  EXPECT_EQ(p.free(1).cores, 2);
  EXPECT_EQ(p.free(1).ram, 12 * kGiB);
  EXPECT_EQ(p.free(1).disk, 200 * kGiB);
  EXPECT_EQ(p.free_cores(), 18);
  EXPECT_EQ(p.free(0).cores, 16); // other hosts untouched
  p.release(1, shape);
  EXPECT_EQ(p.free(1).cores, 8);
  EXPECT_EQ(p.free(1).ram, 32 * kGiB);
  EXPECT_EQ(p.free(1).disk, 500 * kGiB);
  EXPECT_EQ(p.free_cores(), 24);
  EXPECT_EQ(p.total_cores(), 24);
  // And the index is back: host 1 is the best fit again.
  EXPECT_EQ(p.find(vm(8, kGiB, kGiB)), std::optional<std::uint32_t>(1));
}

TEST(Placer, ReserveOnAHostWithoutRoomThrowsAndChangesNothing) {
  Placer p({host(4, 3 * kGf, 8 * kGiB, 100 * kGiB)});
  EXPECT_THROW(p.reserve(0, vm(5, kGiB, kGiB)), std::logic_error);
  EXPECT_THROW(p.reserve(0, vm(1, 9 * kGiB, kGiB)), std::logic_error);
  EXPECT_THROW(p.reserve(0, vm(1, kGiB, 101 * kGiB)), std::logic_error);
  EXPECT_THROW(p.reserve(0, vm(1, kGiB, kGiB, 4 * kGf)), std::logic_error);
  EXPECT_EQ(p.free(0).cores, 4);
  EXPECT_EQ(p.free(0).ram, 8 * kGiB);
  EXPECT_EQ(p.free(0).disk, 100 * kGiB);
  EXPECT_EQ(p.free_cores(), 4);
}

// The placement rule restated as a scan: among the hosts that fit (checked against the test's own model of
// free capacity), the slowest speed, then the fewest free cores, then the lowest index.
std::optional<std::uint32_t> brute_force(const std::vector<HostCapacity>& total, const std::vector<HostCapacity>& free,
                                         const VmShape& s) {
  std::optional<std::uint32_t> best;
  for (std::uint32_t h = 0; h < total.size(); ++h) {
    const HostCapacity& f = free[h];
    if (f.cores < s.vcpu || f.ram < s.ram || f.disk < s.disk || total[h].speed < s.min_core_speed)
      continue;
    if (!best || std::tuple(total[h].speed, f.cores, h) < std::tuple(total[*best].speed, free[*best].cores, *best))
      best = h;
  }
  return best;
}

TEST(Placer, RandomReservationsAndReleasesKeepCapacityConsistent) {
  Random rng(20260101);
  constexpr std::array<int, 4> cores{4, 8, 16, 32};
  constexpr std::array<double, 3> speeds{2 * kGf, 3 * kGf, 4 * kGf};
  std::vector<HostCapacity> total;
  for (int i = 0; i < 24; ++i)
    total.push_back(host(cores[rng.below(cores.size())], speeds[rng.below(speeds.size())],
                         static_cast<double>(16 + 16 * rng.below(8)) * kGiB,
                         static_cast<double>(100 + 100 * rng.below(10)) * kGiB));
  Placer p(total);
  std::vector<HostCapacity> model = total;
  struct Placed {
    std::uint32_t host;
    VmShape shape;
  };
  std::vector<Placed> placed;
  int placements = 0;
  int refusals = 0;
  int releases = 0;

  for (int step = 0; step < 5000; ++step) {
    if (placed.empty() || rng.uniform() < 0.6) {
      const VmShape s = vm(1 + static_cast<int>(rng.below(12)), static_cast<double>(1 + rng.below(32)) * kGiB,
                           static_cast<double>(10 + 10 * rng.below(30)) * kGiB,
                           rng.uniform() < 0.5 ? 0.0 : speeds[rng.below(speeds.size())] - 0.5 * kGf);
      const auto found = p.find(s);
      const auto expected = brute_force(total, model, s);
      ASSERT_EQ(found.has_value(), expected.has_value()) << "step " << step;
      if (found) {
        ASSERT_TRUE(p.fits(*found, s)) << "step " << step;
        const HostCapacity& f = model[*found];
        ASSERT_TRUE(f.cores >= s.vcpu && f.ram >= s.ram && f.disk >= s.disk && total[*found].speed >= s.min_core_speed)
            << "step " << step << ": host " << *found << " does not fit";
        ASSERT_EQ(*found, *expected) << "step " << step;
        p.reserve(*found, s);
        model[*found].cores -= s.vcpu;
        model[*found].ram -= s.ram;
        model[*found].disk -= s.disk;
        placed.push_back({*found, s});
        ++placements;
      } else {
        ++refusals;
      }
    } else {
      const auto i = static_cast<std::size_t>(rng.below(placed.size()));
      const Placed v = placed[i];
      placed[i] = placed.back();
      placed.pop_back();
      p.release(v.host, v.shape);
      model[v.host].cores += v.shape.vcpu;
      model[v.host].ram += v.shape.ram;
      model[v.host].disk += v.shape.disk;
      ++releases;
    }

    long long free_cores = 0;
    for (std::uint32_t h = 0; h < total.size(); ++h) {
      const HostCapacity& f = p.free(h);
      ASSERT_GE(f.cores, 0) << "step " << step << " host " << h;
      ASSERT_GE(f.ram, 0.0) << "step " << step << " host " << h;
      ASSERT_GE(f.disk, 0.0) << "step " << step << " host " << h;
      ASSERT_LE(f.cores, total[h].cores) << "step " << step << " host " << h;
      ASSERT_LE(f.ram, total[h].ram) << "step " << step << " host " << h;
      ASSERT_LE(f.disk, total[h].disk) << "step " << step << " host " << h;
      ASSERT_EQ(f.cores, model[h].cores) << "step " << step << " host " << h;
      ASSERT_EQ(f.ram, model[h].ram) << "step " << step << " host " << h;
      ASSERT_EQ(f.disk, model[h].disk) << "step " << step << " host " << h;
      free_cores += f.cores;
    }
    ASSERT_EQ(p.free_cores(), free_cores) << "step " << step;
  }
  // The loop must have exercised every branch, or it proves little.
  EXPECT_GT(placements, 500);
  EXPECT_GT(refusals, 50);
  EXPECT_GT(releases, 500);
}

TEST(Placer, ReleasingMoreThanWasReservedThrowsAndLeavesTheBooksUnchanged) {
  Placer p({HostCapacity{8, 3e9, 64e9, 1e12}});
  const VmShape vm{2, 4e9, 10e9, 0};
  p.reserve(0, vm);
  EXPECT_THROW(p.release(0, VmShape{4, 4e9, 10e9, 0}), std::logic_error);
  EXPECT_EQ(p.free(0).cores, 6);
  EXPECT_EQ(p.free_cores(), 6);
  // The host is still indexed: a VM that fits in what is left is still placed on it.
  EXPECT_EQ(p.find(VmShape{6, 1e9, 1e9, 0}), std::optional<std::uint32_t>(0));
  p.release(0, vm);
  EXPECT_EQ(p.free(0).cores, 8);
}

} // namespace
} // namespace i1sim::world::placement_test
