// Unit tests of the oracles' string table (conformance/oracles/string_table.hpp): one id per distinct string.
#include "conformance/oracles/string_table.hpp"

#include <gtest/gtest.h>
#include <string>
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

} // namespace
} // namespace i1sim::conformance::string_table_test
