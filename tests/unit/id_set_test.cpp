// The compact set of seen ids must answer exactly as a set of strings would, whatever the form of the ids.
#include "util/id_set.hpp"

#include <gtest/gtest.h>
#include <random>
#include <set>
#include <string>

namespace i1sim::id_set_test {
namespace {

TEST(IdSet, TellsPaddedNumbersAndOtherFormsApart) {
  util::IdSet s;
  EXPECT_TRUE(s.insert("EV-0000001"));
  EXPECT_FALSE(s.insert("EV-0000001"));
  EXPECT_TRUE(s.contains("EV-0000001"));
  EXPECT_FALSE(s.contains("EV-000001")); // same number, other padding
  EXPECT_TRUE(s.insert("EV-000001"));
  EXPECT_FALSE(s.contains("EV-1"));
  EXPECT_FALSE(s.contains("XV-0000001"));
  EXPECT_TRUE(s.insert("evt"));               // no number
  EXPECT_TRUE(s.insert("EV-12345678901234")); // too many digits for the bitmap
  EXPECT_TRUE(s.contains("evt"));
  EXPECT_TRUE(s.contains("EV-12345678901234"));
  EXPECT_FALSE(s.contains("EV-12345678901235"));
  EXPECT_TRUE(s.insert("EV-999999999")); // far from what the family holds: kept whole, and still found
  EXPECT_FALSE(s.insert("EV-999999999"));
  EXPECT_TRUE(s.insert(""));
  EXPECT_FALSE(s.insert(""));
}

TEST(IdSet, AnswersAsASetOfStringsOverMixedIds) {
  // Sequential ids of a few producers, sparse and random ones, many prefixes: every answer is checked against
  // std::set, including ids first kept whole whose number the bitmap comes to cover later.
  std::mt19937_64 rng(42);
  util::IdSet s;
  std::set<std::string> model;
  auto check = [&](const std::string& id) {
    ASSERT_EQ(s.contains(id), model.count(id) > 0) << id;
    ASSERT_EQ(s.insert(id), model.insert(id).second) << id;
    ASSERT_TRUE(s.contains(id)) << id;
  };
  for (int i = 0; i < 200000; ++i) {
    const auto pick = rng() % 10;
    std::string id;
    if (pick < 5)
      id = "EV-" + std::to_string(1000000 + rng() % 150000).substr(1);
    else if (pick < 7)
      id = "USG-" + std::to_string(rng() % 300000);
    else if (pick < 8)
      id = "P" + std::to_string(rng() % 40) + "-" + std::to_string(rng() % 50); // many families
    else if (pick < 9)
      id = "R-" + std::to_string(rng() % 2000000000); // sparse
    else
      id = "x" + std::to_string(rng() % 1000) + "y";
    check(id);
  }
}

} // namespace
} // namespace i1sim::id_set_test
