// The Telecom OSS keeps no map of the externalIds it sent: a notification that overtakes its order's 201 is traced
// to the product and the change it is for by reading its externalId back (change_external_id and its split), and a
// usage record keeps only the bill cycle it falls in (usage_cycle). Only the exact spellings the OSS sends may be
// recognised, or a foreign or mangled externalId would be taken for one of its changes; and a record must fall in
// the cycle the bill compares it with, to the millisecond at both ends.
#include "telecom/telecom.hpp"

#include <gtest/gtest.h>
#include <string>
#include <string_view>

namespace i1sim::telecom::telecom_order_names_test {
namespace {

TEST(ChangeExternalIds, EveryChangeIdSentSplitsBackIntoItsProductAndNumber) {
  for (const char* product : {"PO-0000001", "PO-1234567", "PO-0000001-C1", "X"}) {
    for (const unsigned n : {1U, 2U, 9U, 10U, 16U, 65535U}) {
      const std::string id = change_external_id(product, n);
      std::string_view split;
      unsigned number = 0;
      ASSERT_TRUE(split_change_external_id(id, split, number)) << id;
      EXPECT_EQ(split, product) << id;
      EXPECT_EQ(number, n) << id;
    }
  }
  EXPECT_EQ(change_external_id("PO-0000042", 2), "PO-0000042-C2");
}

TEST(ChangeExternalIds, OtherSpellingsAreNoChangeOfTheOss) {
  for (const char* id : {"", "PO-0000001", "PO-0000001-C", "PO-0000001-C0", "PO-0000001-C01", "PO-0000001-C1x",
                         "PO-0000001-Cx", "PO-0000001-C+1", "PO-0000001-C-1", "PO-0000001-c1", "PO-0000001-C65536",
                         "PO-0000001-C100000", "PO-0000001-C1 ", "PROBE-0001"}) {
    std::string_view product = "untouched";
    unsigned n = 7;
    EXPECT_FALSE(split_change_external_id(id, product, n)) << '"' << id << '"';
    EXPECT_EQ(product, "untouched") << id;
    EXPECT_EQ(n, 7U) << id;
  }
}

TEST(UsageCycles, ARecordFallsInTheCycleItsPeriodStartsIn) {
  constexpr std::int64_t day = 86'400'000;
  EXPECT_EQ(usage_cycle(0, day), 0);
  EXPECT_EQ(usage_cycle(day - 1, day), 0);
  EXPECT_EQ(usage_cycle(day, day), 1);
  EXPECT_EQ(usage_cycle(30 * day + 5, day), 30);
}

TEST(UsageCycles, NoCycleForAStartBeforeTheFirstWithoutCyclesOrPastTheirCount) {
  constexpr std::int64_t day = 86'400'000;
  EXPECT_EQ(usage_cycle(-1, day), -1);
  EXPECT_EQ(usage_cycle(-1000, day), -1); // an unreadable start (parse_iso_timestamp's -1 s)
  EXPECT_EQ(usage_cycle(5, 0), -1);
  EXPECT_EQ(usage_cycle(5, -day), -1);
  EXPECT_EQ(usage_cycle(std::int64_t{INT32_MAX} * 2, 2), -1);
  EXPECT_EQ(usage_cycle(std::int64_t{INT32_MAX} * 2 - 1, 2), INT32_MAX - 1);
}

} // namespace
} // namespace i1sim::telecom::telecom_order_names_test
