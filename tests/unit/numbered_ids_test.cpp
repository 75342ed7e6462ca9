// The reference Cloud keeps its orders and services in arrays by number: an id must name a record only when it is
// exactly the text the Cloud writes, walks must go in the order a map keyed by the ids' texts went (what is sent
// follows it), and records must stay where they are as the array grows.
#include "cloud/numbered_ids.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace i1sim::cloud::numbered_ids_test {
namespace {

TEST(CloudNumberedIds, AnIdNamesANumberOnlyWhenItIsExactlyTheTextWritten) {
  EXPECT_EQ(kServiceIds.id(7), "SVC-000007");
  EXPECT_EQ(kServiceIds.id(1234567), "SVC-1234567");
  for (const std::uint64_t n : {1, 9, 10, 999'999, 1'000'000, 1'234'567})
    EXPECT_EQ(kServiceIds.number(kServiceIds.id(n), 2'000'000), n);
  EXPECT_EQ(kServiceIds.number("SVC-000007", 6), 0u); // past the last one
  for (const char* other : {"SVC-7", "SVC-0000007", "SVC-00007", "svc-000007", "SO-000007", "SVC-000007 ", "SVC-",
                            "SVC-00000a", "SVC-000000", "", "SVC-01000000"})
    EXPECT_EQ(kServiceIds.number(other, 2'000'000), 0u) << other;
}

TEST(CloudNumberedIds, WalksAndComparesNumbersInTheOrderOfTheirIdsTexts) {
  // Width 2 to pass from 2 to 3 and 4 digits within a few thousand numbers.
  const NumberedIds ids("X-", 2);
  for (const std::uint64_t last : {0, 1, 9, 99, 100, 101, 250, 1000, 1234}) {
    std::vector<std::string> texts;
    for (std::uint64_t n = 1; n <= last; ++n)
      texts.push_back(ids.id(n));
    std::sort(texts.begin(), texts.end());
    std::vector<std::string> walked;
    ids.for_each_in_text_order(last, [&](std::uint64_t n) { walked.push_back(ids.id(n)); });
    EXPECT_EQ(walked, texts) << "up to " << last;
  }
  for (std::uint64_t a = 1; a <= 1200; a += 7)
    for (std::uint64_t b = 1; b <= 1200; b += 3)
      ASSERT_EQ(ids.text_less(a, b), ids.id(a) < ids.id(b)) << a << " " << b;
}

TEST(CloudNumberedIds, RecordsKeepTheirNumberAndTheirPlaceAsTheArrayGrows) {
  RecordArray<std::string> records;
  std::vector<const std::string*> places;
  for (int i = 1; i <= 3000; ++i)
    places.push_back(&records.push_back(std::to_string(i)));
  ASSERT_EQ(records.size(), 3000u);
  for (std::uint64_t n = 1; n <= 3000; ++n) {
    EXPECT_EQ(records[n], std::to_string(n));
    EXPECT_EQ(&records[n], places[n - 1]);
  }
}

TEST(CloudNumberedIds, ADenseIndexFindsNearAndFarIdsAndForgetsErasedOnes) {
  DenseIndex index;
  for (std::uint64_t vm = 1; vm <= 100; ++vm)
    index.set(vm, static_cast<std::uint32_t>(vm + 1000));
  index.set(1'000'000'000'000, 7); // far: kept apart
  index.set(5000, 8);              // far now, reached by the array as it grows
  for (std::uint64_t vm = 101; vm <= 6000; ++vm)
    if (vm != 5000)
      index.set(vm, 9);
  EXPECT_EQ(index.get(1), 1001u);
  EXPECT_EQ(index.get(100), 1100u);
  EXPECT_EQ(index.get(5000), 8u);
  EXPECT_EQ(index.get(1'000'000'000'000), 7u);
  EXPECT_EQ(index.get(0), 0u);
  EXPECT_EQ(index.get(6001), 0u);
  index.erase(5000);
  index.erase(1'000'000'000'000);
  index.erase(1);
  EXPECT_EQ(index.get(5000), 0u);
  EXPECT_EQ(index.get(1'000'000'000'000), 0u);
  EXPECT_EQ(index.get(1), 0u);
  EXPECT_EQ(index.get(2), 1002u);
}

} // namespace
} // namespace i1sim::cloud::numbered_ids_test
