// Unit tests of the string tables (sim/util/string_table.hpp): one id per distinct string, whether the texts are kept
// as std::strings (util::StringTable) or packed (util::CompactStringTable, the oracles' StringTable).
#include "conformance/oracles/string_table.hpp"

#include <gtest/gtest.h>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

namespace i1sim::conformance::string_table_test {
namespace {

template <class Table> class StringTables : public ::testing::Test {};
using Tables = ::testing::Types<util::StringTable, util::CompactStringTable>;
TYPED_TEST_SUITE(StringTables, Tables);

TYPED_TEST(StringTables, GivesTheSameIdToEqualStringsAndDifferentIdsToOthers) {
  TypeParam t;
  std::string a = "http://operator-1/listener";
  const auto first = t.id(a);
  a[a.size() - 1] = 'R'; // the table must keep its own copy, not the caller's buffer
  const auto other = t.id(a);
  EXPECT_NE(first, other);
  EXPECT_EQ(t.id("http://operator-1/listener"), first);
  EXPECT_EQ(t.text(first), "http://operator-1/listener");
  EXPECT_EQ(t.text(other), "http://operator-1/listeneR");
}

TYPED_TEST(StringTables, TheEmptyStringIsIdZero) {
  TypeParam t;
  EXPECT_EQ(t.id(""), 0U);
  EXPECT_EQ(t.text(0), "");
  EXPECT_NE(t.id("x"), 0U);
}

TYPED_TEST(StringTables, FindNeverAddsAString) {
  TypeParam t;
  std::uint32_t id = 99;
  EXPECT_FALSE(t.find("SVC-1", id));
  EXPECT_FALSE(t.find("SVC-1", id)); // still unknown: the first find did not add it
  const auto added = t.id("SVC-1");
  ASSERT_TRUE(t.find("SVC-1", id));
  EXPECT_EQ(id, added);
  ASSERT_TRUE(t.find("", id));
  EXPECT_EQ(id, 0U);
}

TYPED_TEST(StringTables, KeepsEveryTextAndIdAsItGrows) {
  TypeParam t;
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

TYPED_TEST(StringTables, AgreesWithAHashMapOverRandomAddsAndFinds) {
  // Ids of a few shapes (short, long, sharing long prefixes, differing in one character) so that probes run over
  // neighbours and through the index's growth; a std::unordered_map giving ids in order of first sight is the
  // reference.
  TypeParam t;
  std::unordered_map<std::string, std::uint32_t> ref{{"", 0}};
  std::mt19937_64 rng(20261125);
  const std::vector<std::string> prefixes = {
      "", "S", "SVC-", "ServiceOrderItem/SO-000000000000", "usage/USG-", std::string(40, 'x')};
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

TYPED_TEST(StringTables, KeepsTextsOfEveryLengthAtTheSameAddressWhileItGrows) {
  // Lengths across the packed table's one-, two- and three-byte length records (128, 16384) and its blocks (the
  // first of 256 bytes, the last of 1 MiB; a longer text gets one of its own), texts with a NUL or a byte past 127,
  // then enough short texts to fill many more blocks: every text reads back whole, where it first was.
  TypeParam t;
  std::vector<std::string> texts;
  for (const std::size_t n : {1, 2, 127, 128, 129, 250, 255, 256, 257, 16383, 16384, 16385, 300000, (1 << 20) - 3,
                              1 << 20, (1 << 20) + 1, 3 << 20, 5})
    texts.push_back(std::string(n, static_cast<char>('a' + texts.size() % 26)) + std::to_string(texts.size()));
  texts.push_back(std::string("nul\0inside", 10));
  texts.push_back("\xff\x80\x7f");
  std::vector<std::uint32_t> ids;
  std::vector<const char*> at;
  for (const auto& s : texts) {
    ids.push_back(t.id(s));
    at.push_back(std::string_view(t.text(ids.back())).data());
  }
  for (int i = 0; i < 300000; ++i) {
    texts.push_back("usage/USG-" + std::to_string(i));
    ids.push_back(t.id(texts.back()));
  }
  ASSERT_EQ(t.size(), texts.size() + 1);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    ASSERT_EQ(std::string_view(t.text(ids[i])), texts[i]) << i;
    ASSERT_EQ(t.id(texts[i]), ids[i]) << i;
  }
  for (std::size_t i = 0; i < at.size(); ++i)
    EXPECT_EQ(std::string_view(t.text(ids[i])).data(), at[i]) << i;
}

TEST(CompactStringTable, ACopyHasTheSameIdsAndGrowsApart) {
  util::CompactStringTable t;
  for (int i = 0; i < 1000; ++i)
    t.id("SVC-" + std::to_string(i));
  util::CompactStringTable c = t;
  EXPECT_EQ(c.size(), t.size());
  for (int i = 0; i < 1000; ++i)
    EXPECT_EQ(c.id("SVC-" + std::to_string(i)), t.id("SVC-" + std::to_string(i)));
  const auto added = c.id("only in the copy");
  std::uint32_t id = 0;
  EXPECT_FALSE(t.find("only in the copy", id));
  EXPECT_EQ(c.text(added), "only in the copy");
  EXPECT_EQ(t.size() + 1, c.size());
}

} // namespace
} // namespace i1sim::conformance::string_table_test
