// Unit tests of the oracles' flat maps (conformance/oracles/flat_map.hpp): they must answer exactly as the standard
// containers do, whatever the mix of insertions and erasures.
#include "conformance/oracles/flat_map.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <limits>
#include <random>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace i1sim::conformance::flat_map_test {
namespace {

// Replays random operations on both maps, over a key range small enough that keys collide, runs wrap around the
// end of the slots and erasures shift runs back; every answer and, now and then, the whole contents are compared.
template <class K> void replay(std::uint64_t seed, K range, bool with_max) {
  std::mt19937_64 rng(seed);
  FlatMap<K, std::uint64_t> flat;
  std::unordered_map<K, std::uint64_t> model;
  for (int step = 0; step < 200000; ++step) {
    K key = static_cast<K>(rng() % range);
    if (with_max && rng() % 50 == 0)
      key = std::numeric_limits<K>::max(); // the key the slots use as their empty mark
    const std::uint64_t value = rng();
    switch (rng() % 5) {
    case 0:
    case 1: {
      const auto [v, added] = flat.emplace(key, value);
      const auto [it, model_added] = model.emplace(key, value);
      ASSERT_EQ(added, model_added) << "step " << step;
      ASSERT_EQ(*v, it->second) << "step " << step;
      break;
    }
    case 2:
      flat[key] += value;
      model[key] += value;
      break;
    case 3:
      ASSERT_EQ(flat.erase(key), model.erase(key) == 1) << "step " << step;
      break;
    default: {
      const std::uint64_t* v = flat.find(key);
      const auto it = model.find(key);
      ASSERT_EQ(v != nullptr, it != model.end()) << "step " << step;
      if (v) {
        ASSERT_EQ(*v, it->second) << "step " << step;
      }
    }
    }
    ASSERT_EQ(flat.size(), model.size()) << "step " << step;
    if (step % 9973 == 0 || step == 199999) {
      std::unordered_map<K, std::uint64_t> walked;
      flat.for_each([&](K k, std::uint64_t v) { ASSERT_TRUE(walked.emplace(k, v).second) << "key walked twice"; });
      ASSERT_EQ(walked, model) << "step " << step;
    }
  }
}

TEST(FlatMap, AnswersAsUnorderedMapOverRandomOperations) {
  replay<std::uint32_t>(1, 64, true);     // a few keys, many erasures: long runs shifted back
  replay<std::uint32_t>(2, 5000, false);  // grows through several sizes
  replay<std::uint64_t>(3, 300, true);    // wide keys
  replay<std::uint64_t>(4, 100000, true); // mostly insertions
}

TEST(FlatSet, AnswersAsUnorderedSet) {
  std::mt19937_64 rng(5);
  FlatSet<std::uint64_t> flat;
  std::unordered_set<std::uint64_t> model;
  for (int step = 0; step < 100000; ++step) {
    const std::uint64_t key = rng() % 2000;
    if (rng() % 3 == 0)
      ASSERT_EQ(flat.erase(key), model.erase(key) == 1);
    else
      ASSERT_EQ(flat.insert(key), model.insert(key).second);
    ASSERT_EQ(flat.contains(key ^ 1), model.count(key ^ 1) == 1);
    ASSERT_EQ(flat.size(), model.size());
  }
}

TEST(ListPool, KeepsOneListPerOwner) {
  ListPool<std::pair<int, int>> pool;
  std::vector<std::uint32_t> heads(3, ListPool<std::pair<int, int>>::kNil);
  for (int i = 0; i < 30; ++i)
    pool.push(heads[static_cast<std::size_t>(i % 3)], {i % 3, i});
  for (int owner = 0; owner < 3; ++owner) {
    int count = 0;
    EXPECT_EQ(pool.find(heads[static_cast<std::size_t>(owner)],
                        [&](const std::pair<int, int>& p) {
                          EXPECT_EQ(p.first, owner);
                          ++count;
                          return false;
                        }),
              nullptr);
    EXPECT_EQ(count, 10);
    const auto* newest = pool.find(heads[static_cast<std::size_t>(owner)], [](const auto&) { return true; });
    ASSERT_NE(newest, nullptr);
    EXPECT_EQ(newest->second, 27 + owner);
  }
  EXPECT_EQ(pool.find(ListPool<std::pair<int, int>>::kNil, [](const auto&) { return true; }), nullptr);
}

// The pool's nodes live in fixed blocks: lists that run across many blocks must come back whole, newest first.
TEST(ListPool, KeepsListsWholeAcrossBlocks) {
  ListPool<std::uint32_t> pool;
  const std::uint32_t owners = 7, per_owner = 3 * ListPool<std::uint32_t>::kBlock / owners + 5;
  std::vector<std::uint32_t> heads(owners, ListPool<std::uint32_t>::kNil);
  for (std::uint32_t i = 0; i < owners * per_owner; ++i)
    pool.push(heads[i % owners], i);
  EXPECT_EQ(pool.size(), std::size_t{owners} * per_owner);
  for (std::uint32_t owner = 0; owner < owners; ++owner) {
    std::vector<std::uint32_t> seen;
    pool.find(heads[owner], [&](std::uint32_t v) {
      seen.push_back(v);
      return false;
    });
    ASSERT_EQ(seen.size(), per_owner);
    for (std::uint32_t k = 0; k < per_owner; ++k)
      ASSERT_EQ(seen[k], (per_owner - 1 - k) * owners + owner) << owner << " " << k;
  }
}

} // namespace
} // namespace i1sim::conformance::flat_map_test
