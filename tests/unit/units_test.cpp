// Unit tests of quantity parsing and formatting (sim/util/units.hpp).
#include "util/units.hpp"

#include <functional>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <string>
#include <string_view>

namespace i1sim::units::units_test {
namespace {

using ::testing::HasSubstr;

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr double kMiB = 1024.0 * 1024.0;

// The message of the UnitError thrown by `parse` on `text`, or a note that none was thrown.
std::string error_of(const std::function<double(std::string_view)>& parse, std::string_view text) {
  try {
    const double v = parse(text);
    return "no error, parsed as " + std::to_string(v);
  } catch (const UnitError& e) {
    return e.what();
  }
}

TEST(Units, ParsesDurationsInEveryUnit) {
  EXPECT_DOUBLE_EQ(parse_duration("90s"), 90.0);
  EXPECT_DOUBLE_EQ(parse_duration("15min"), 15.0 * 60.0);
  EXPECT_DOUBLE_EQ(parse_duration("2h"), 2.0 * 3600.0);
  EXPECT_DOUBLE_EQ(parse_duration("30d"), 30.0 * 24.0 * 3600.0);
  EXPECT_DOUBLE_EQ(parse_duration("10ms"), 0.010);
  EXPECT_DOUBLE_EQ(parse_duration("50us"), 50e-6);
  EXPECT_DOUBLE_EQ(parse_duration("250ns"), 250e-9);
  EXPECT_DOUBLE_EQ(parse_duration("1w"), 7.0 * 24.0 * 3600.0);
}

TEST(Units, ParsesDurationsWithAFractionalPart) {
  EXPECT_DOUBLE_EQ(parse_duration("1.5h"), 5400.0);
  EXPECT_DOUBLE_EQ(parse_duration("0.25s"), 0.25);
}

TEST(Units, ParsesSizesWithBinaryAndDecimalPrefixes) {
  EXPECT_DOUBLE_EQ(parse_size("2GiB"), 2.0 * kGiB);
  EXPECT_DOUBLE_EQ(parse_size("512MiB"), 512.0 * kMiB);
  EXPECT_DOUBLE_EQ(parse_size("4TB"), 4e12);
  EXPECT_DOUBLE_EQ(parse_size("100B"), 100.0);
  EXPECT_DOUBLE_EQ(parse_size("3kB"), 3000.0);
  EXPECT_DOUBLE_EQ(parse_size("1KiB"), 1024.0);
  EXPECT_DOUBLE_EQ(parse_size("1TiB"), 1024.0 * kGiB);
}

TEST(Units, ParsesBandwidthsInBitsAndBytesPerSecond) {
  EXPECT_DOUBLE_EQ(parse_bandwidth("10Gbps"), 10e9 / 8.0);
  EXPECT_DOUBLE_EQ(parse_bandwidth("10Gbps"), 1.25e9);
  EXPECT_DOUBLE_EQ(parse_bandwidth("100Mbps"), 100e6 / 8.0);
  EXPECT_DOUBLE_EQ(parse_bandwidth("1GBps"), 1e9);
  EXPECT_DOUBLE_EQ(parse_bandwidth("1.25GBps"), 1.25e9);
}

TEST(Units, ParsesSpeedsInFlopsPerSecond) {
  EXPECT_DOUBLE_EQ(parse_speed("10Gf"), 1e10);
  EXPECT_DOUBLE_EQ(parse_speed("2.5Gf"), 2.5e9);
  EXPECT_DOUBLE_EQ(parse_speed("1Tf"), 1e12);
  EXPECT_DOUBLE_EQ(parse_speed("500Mf"), 5e8);
}

TEST(Units, ParsesRatesIntoEventsPerSecond) {
  EXPECT_DOUBLE_EQ(parse_rate("2/s"), 2.0);
  EXPECT_DOUBLE_EQ(parse_rate("120/min"), 2.0);
  EXPECT_DOUBLE_EQ(parse_rate("50/h"), 50.0 / 3600.0);
  EXPECT_DOUBLE_EQ(parse_rate("1000/d"), 1000.0 / 86400.0);
}

TEST(Units, RefusesABareNumberBecauseUnitsAreMandatory) {
  EXPECT_THROW(parse_duration("90"), UnitError);
  EXPECT_THROW(parse_size("4096"), UnitError);
  EXPECT_THAT(error_of(parse_duration, "90"), HasSubstr("'90'"));
}

TEST(Units, RefusesAnUnknownUnitAndNamesIt) {
  EXPECT_THROW(parse_duration("90 parsecs"), UnitError);
  EXPECT_THAT(error_of(parse_duration, "90 parsecs"), HasSubstr("90 parsecs"));
  EXPECT_THAT(error_of(parse_duration, "90 parsecs"), HasSubstr("'parsecs'"));
}

TEST(Units, RefusesABandwidthWrittenAsASize) {
  EXPECT_THROW(parse_size("2GB/s"), UnitError);
  EXPECT_THAT(error_of(parse_size, "2GB/s"), HasSubstr("2GB/s"));
}

TEST(Units, RefusesAUnitOfTheWrongKind) {
  EXPECT_THROW(parse_duration("10Gbps"), UnitError);
  EXPECT_THROW(parse_size("10s"), UnitError);
  EXPECT_THROW(parse_bandwidth("2GiB"), UnitError);
  EXPECT_THROW(parse_speed("10Gbps"), UnitError);
  EXPECT_THROW(parse_rate("2s"), UnitError);
  EXPECT_THAT(error_of(parse_duration, "10Gbps"), HasSubstr("10Gbps"));
}

TEST(Units, RefusesAnEmptyString) {
  EXPECT_THROW(parse_duration(""), UnitError);
  EXPECT_THROW(parse_size("   "), UnitError);
  EXPECT_THAT(error_of(parse_duration, ""), HasSubstr("''"));
}

TEST(Units, RefusesANegativeQuantity) {
  EXPECT_THROW(parse_duration("-5s"), UnitError);
  EXPECT_THAT(error_of(parse_duration, "-5s"), HasSubstr("-5s"));
}

TEST(Units, RefusesExponentNotation) {
  EXPECT_THROW(parse_duration("1e3s"), UnitError);
  EXPECT_THAT(error_of(parse_duration, "1e3s"), HasSubstr("1e3s"));
}

TEST(Units, RefusesTextThatIsNotANumber) {
  EXPECT_THROW(parse_duration("abc"), UnitError);
  EXPECT_THAT(error_of(parse_duration, "abc"), HasSubstr("abc"));
}

TEST(Units, ToleratesSurroundingSpacesAndASpaceBeforeTheUnit) {
  EXPECT_DOUBLE_EQ(parse_duration(" 90s "), 90.0);
  EXPECT_DOUBLE_EQ(parse_size("4 GiB"), 4.0 * kGiB);
}

TEST(Units, FormatsADurationWithTheLargestUnitThatDividesItExactly) {
  EXPECT_EQ(format_duration(90), "90s");
  EXPECT_EQ(format_duration(7200), "2h");
  EXPECT_EQ(format_duration(120), "2min");
  EXPECT_EQ(format_duration(3 * 86400), "3d");
  EXPECT_EQ(format_duration(0.5), "500ms");
  EXPECT_EQ(format_duration(5400), "90min");
}

TEST(Units, FormatsADurationBelowOneMillisecondInSeconds) {
  EXPECT_EQ(format_duration(0.0001), "0.0001s");
  EXPECT_EQ(format_duration(0), "0s");
}

TEST(Units, FormattedDurationsParseBackToTheSameValue) {
  for (const double s : {90.0, 7200.0, 0.5, 86400.0, 60.0, 0.001, 3661.0})
    EXPECT_DOUBLE_EQ(parse_duration(format_duration(s)), s) << format_duration(s);
}

} // namespace
} // namespace i1sim::units::units_test
