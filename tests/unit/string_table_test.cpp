// Unit tests of the oracles' string table (conformance/oracles/string_table.hpp): one id per distinct string.
#include "conformance/oracles/string_table.hpp"

#include <gtest/gtest.h>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace i1sim::conformance::string_table_test {
namespace {

TEST(StringTable, GivesTheSameIdToEqualStringsAndDifferentIdsToOthers) {
  StringTable t;
  std::string a = "http://operator-1/listener";
  const auto first = t.id(a);
  a[a.size() - 1] = 'R'; // the table must keep its own copy, not the caller's buffer
  const auto other = t.id(a);
  EXPECT_NE(first, other);
  EXPECT_EQ(t.id("http://operator-1/listener"), first);
  EXPECT_EQ(t.text(first), "http://operator-1/listener");
  EXPECT_EQ(t.text(other), "http://operator-1/listeneR");
}

TEST(StringTable, TheEmptyStringIsIdZero) {
  StringTable t;
  EXPECT_EQ(t.id(""), 0U);
  EXPECT_EQ(t.text(0), "");
  EXPECT_NE(t.id("x"), 0U);
}

TEST(StringTable, FindNeverAddsAString) {
  StringTable t;
  std::uint32_t id = 99;
  EXPECT_FALSE(t.find("SVC-1", id));
  EXPECT_FALSE(t.find("SVC-1", id)); // still unknown: the first find did not add it
  const auto added = t.id("SVC-1");
  ASSERT_TRUE(t.find("SVC-1", id));
  EXPECT_EQ(id, added);
  ASSERT_TRUE(t.find("", id));
  EXPECT_EQ(id, 0U);
}

TEST(StringTable, KeepsEveryTextAndIdAsItGrows) {
  StringTable t;
  std::vector<std::uint32_t> ids;
  for (int i = 0; i < 5000; ++i)
    ids.push_back(t.id("ServiceOrderItem/SO-" + std::to_string(i) + "/1"));
  for (int i = 0; i < 5000; ++i) {
    const std::string s = "ServiceOrderItem/SO-" + std::to_string(i) + "/1";
    EXPECT_EQ(t.text(ids[static_cast<std::size_t>(i)]), s);
    std::uint32_t id = 0;
    ASSERT_TRUE(t.find(s, id)) << s;
    EXPECT_EQ(id, ids[static_cast<std::size_t>(i)]);
  }
}

TEST(StringTable, AgreesWithAHashMapOverRandomAddsAndFinds) {
  // Ids of a few shapes (short, long, sharing long prefixes, differing in one character) so that probes run over
  // neighbours and through the index's growth; a std::unordered_map giving ids in order of first sight is the
  // reference.
  StringTable t;
  std::unordered_map<std::string, std::uint32_t> ref{{"", 0}};
  std::mt19937_64 rng(20261125);
  const std::vector<std::string> prefixes = {"", "S", "SVC-", "ServiceOrderItem/SO-000000000000", "usage/USG-",
                                             std::string(40, 'x')};
  for (int i = 0; i < 200000; ++i) {
    const std::string s = prefixes[rng() % prefixes.size()] + std::to_string(rng() % 30000);
    if (rng() % 3 == 0) {
      std::uint32_t got = 7;
      const auto it = ref.find(s);
      ASSERT_EQ(t.find(s, got), it != ref.end()) << s;
      if (it != ref.end()) {
        ASSERT_EQ(got, it->second) << s;
      }
    } else {
      const auto [it, added] = ref.emplace(s, static_cast<std::uint32_t>(ref.size()));
      ASSERT_EQ(t.id(s), it->second) << s << (added ? " (new)" : "");
    }
  }
  ASSERT_EQ(t.size(), ref.size());
  for (const auto& [s, id] : ref)
    ASSERT_EQ(t.text(id), s);
}

} // namespace
} // namespace i1sim::conformance::string_table_test
