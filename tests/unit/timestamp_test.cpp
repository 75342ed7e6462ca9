// Unit tests of ISO 8601 rendering of simulated time (sim/util/timestamp.hpp).
#include "util/timestamp.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <gtest/gtest.h>
#include <string>

namespace i1sim::timestamp_test {
namespace {

constexpr double kDay = 86400.0;

TEST(Timestamp, TimeZeroIsTheFirstInstantOf2026) { EXPECT_EQ(iso_timestamp(0), "2026-01-01T00:00:00.000000Z"); }

TEST(Timestamp, RendersHoursMinutesSecondsAndMicroseconds) {
  EXPECT_EQ(iso_timestamp(90.25), "2026-01-01T00:01:30.250000Z");
  EXPECT_EQ(iso_timestamp(3 * 3600 + 25 * 60 + 7.000001), "2026-01-01T03:25:07.000001Z");
  EXPECT_EQ(iso_timestamp(kDay - 1), "2026-01-01T23:59:59.000000Z");
}

TEST(Timestamp, AddsOneDay) { EXPECT_EQ(iso_timestamp(kDay), "2026-01-02T00:00:00.000000Z"); }

TEST(Timestamp, CrossesIntoFebruary) { EXPECT_EQ(iso_timestamp(31 * kDay), "2026-02-01T00:00:00.000000Z"); }

TEST(Timestamp, CrossesIntoMarchAfterA28DayFebruary) {
  // 2026 is not a leap year: 31 days of January and 28 of February.
  EXPECT_EQ(iso_timestamp(58 * kDay), "2026-02-28T00:00:00.000000Z");
  EXPECT_EQ(iso_timestamp(59 * kDay), "2026-03-01T00:00:00.000000Z");
}

TEST(Timestamp, CrossesIntoTheNextYear) {
  EXPECT_EQ(iso_timestamp(364 * kDay + 12 * 3600), "2026-12-31T12:00:00.000000Z");
  EXPECT_EQ(iso_timestamp(365 * kDay), "2027-01-01T00:00:00.000000Z");
}

TEST(Timestamp, CountsTimeBeforeTheEpochIntoTheYearBefore) {
  // A clock set back at the start of a run reads times before 2026-01-01: the last second of 2025 and so on.
  EXPECT_EQ(iso_timestamp(-1), "2025-12-31T23:59:59.000000Z");
  EXPECT_EQ(iso_timestamp(-0.25), "2025-12-31T23:59:59.750000Z");
  EXPECT_EQ(iso_timestamp(-kDay), "2025-12-31T00:00:00.000000Z");
  EXPECT_EQ(iso_timestamp(-kDay - 0.000001), "2025-12-30T23:59:59.999999Z");
  // 2024 was a leap year: 366 days back from 2025-01-01 is 2024-01-01.
  EXPECT_EQ(iso_timestamp(-(365 + 366) * kDay), "2024-01-01T00:00:00.000000Z");
}

TEST(Timestamp, ReadsBackTimesBeforeTheEpoch) {
  for (const double t : {-0.25, -1.0, -kDay, -(365 + 366) * kDay + 3.5})
    EXPECT_DOUBLE_EQ(parse_iso_timestamp(iso_timestamp(t)), t) << t;
}

TEST(Timestamp, HandlesTheLeapDayOf2028) {
  // 2026 and 2027 have 365 days each; 2028-02-29 is day 31 + 28 of 2028.
  EXPECT_EQ(iso_timestamp((365 + 365 + 31 + 28) * kDay), "2028-02-29T00:00:00.000000Z");
  EXPECT_EQ(iso_timestamp((365 + 365 + 31 + 29) * kDay), "2028-03-01T00:00:00.000000Z");
}

TEST(Timestamp, RoundsToTheNearestMicrosecond) {
  EXPECT_EQ(iso_timestamp(0.0000004), "2026-01-01T00:00:00.000000Z");
  EXPECT_EQ(iso_timestamp(0.0000006), "2026-01-01T00:00:00.000001Z");
  EXPECT_EQ(iso_timestamp(1.2345674), "2026-01-01T00:00:01.234567Z");
  EXPECT_EQ(iso_timestamp(1.2345676), "2026-01-01T00:00:01.234568Z");
}

TEST(Timestamp, RoundingCarriesIntoTheNextSecondAndDay) {
  EXPECT_EQ(iso_timestamp(59.9999996), "2026-01-01T00:01:00.000000Z");
  EXPECT_EQ(iso_timestamp(kDay - 0.0000001), "2026-01-02T00:00:00.000000Z");
}

TEST(Timestamp, ReadsBackEveryInstantItWritesFromYear0To9999) {
  // parse_iso_timestamp() is worked out independently (days from the civil date): each text must read back as the
  // instant it was written for, to the microsecond, over the whole range of four-digit years.
  std::uint64_t state = 12345;
  const auto next = [&state] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  const double first = (-719528.0 - 20454.0) * kDay, last = (2932897.0 - 20454.0) * kDay; // 0000-01-01, 10000-01-01
  for (int i = 0; i < 20000; ++i) {
    const double unit = static_cast<double>(next() >> 11) / 9007199254740992.0; // [0, 1)
    const double t = std::round((first + unit * (last - first)) * 1e6) / 1e6;
    const std::string text = iso_timestamp(t);
    ASSERT_EQ(text.size(), 27u) << t;
    ASSERT_NEAR(parse_iso_timestamp(text), t, 1e-6 * std::max(1.0, std::abs(t) * 1e-9)) << text;
  }
}

TEST(Timestamp, WritesYearsBeyondFourDigitsAndBeforeYear0) {
  EXPECT_EQ(iso_timestamp((2932897.0 - 20454.0) * kDay + 1.5), "10000-01-01T00:00:01.500000Z");
  EXPECT_EQ(iso_timestamp((-719528.0 - 20454.0) * kDay - 1.0), "-001-12-31T23:59:59.000000Z");
}

} // namespace
} // namespace i1sim::timestamp_test
