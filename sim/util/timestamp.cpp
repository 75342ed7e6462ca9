// Civil date from a day count (the proleptic Gregorian algorithm) and fixed-width formatting.
#include "util/timestamp.hpp"

#include <cmath>
#include <fmt/format.h>

namespace i1sim {

std::string iso_timestamp(double simulated_seconds) {
  const auto micros_total = static_cast<long long>(std::llround(simulated_seconds * 1e6));
  const long long secs_total = micros_total / 1'000'000;
  const long long micros = micros_total % 1'000'000;
  long long z = kEpochDaysSince1970 + secs_total / 86400;
  const long long sod = secs_total % 86400;
  z += 719468;
  const long long era = z / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  const long long d = doy - (153 * mp + 2) / 5 + 1;
  const long long m = mp < 10 ? mp + 3 : mp - 9;
  const long long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", y, m, d, sod / 3600, (sod / 60) % 60, sod % 60,
                     micros);
}

} // namespace i1sim
