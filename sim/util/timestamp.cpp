// Civil date from a day count (the proleptic Gregorian algorithm) and fixed-width formatting.
#include "util/timestamp.hpp"

#include <cmath>
#include <fmt/format.h>

namespace i1sim {

std::string iso_timestamp(double simulated_seconds) {
  // Floored divisions: an instant before the epoch (a clock set back at the start of a run) still has its
  // microseconds and its time of day counted forward from the start of its own day.
  auto floor_div = [](long long a, long long b) { return a / b - (a % b < 0 ? 1 : 0); };
  const auto micros_total = static_cast<long long>(std::llround(simulated_seconds * 1e6));
  const long long secs_total = floor_div(micros_total, 1'000'000);
  const long long micros = micros_total - secs_total * 1'000'000;
  const long long days = floor_div(secs_total, 86400);
  long long z = kEpochDaysSince1970 + days;
  const long long sod = secs_total - days * 86400;
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097; // floored: before 0000-03-01 too
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  const long long d = doy - (153 * mp + 2) / 5 + 1;
  const long long m = mp < 10 ? mp + 3 : mp - 9;
  const long long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 0 || y > 9999) // a width of its own, or a sign
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", y, m, d, sod / 3600, (sod / 60) % 60, sod % 60,
                       micros);
  // The same text written digit by digit: a run stamps every usage record and event it makes, and the formatting
  // library's parsing of the pattern cost several times the arithmetic above.
  std::string out = "0000-00-00T00:00:00.000000Z";
  const auto put = [&out](std::size_t end, long long v, int width) {
    for (int i = 1; i <= width; ++i, v /= 10)
      out[end - static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
  };
  put(4, y, 4);
  put(7, m, 2);
  put(10, d, 2);
  put(13, sod / 3600, 2);
  put(16, (sod / 60) % 60, 2);
  put(19, sod % 60, 2);
  put(26, micros, 6);
  return out;
}

double parse_iso_timestamp(const std::string& text) {
  // YYYY-MM-DDTHH:MM:SS.ffffffZ
  if (text.size() != 27 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != '.' || text[26] != 'Z')
    return -1;
  auto num = [&](std::size_t at, std::size_t len) -> long long {
    long long v = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (text[i] < '0' || text[i] > '9')
        return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const long long y = num(0, 4), m = num(5, 2), d = num(8, 2), hh = num(11, 2), mm = num(14, 2), ss = num(17, 2),
                  us = num(20, 6);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59 ||
      us < 0)
    return -1;
  // Days from civil (the inverse of the conversion above).
  const long long yy = y - (m <= 2 ? 1 : 0);
  const long long era = (yy >= 0 ? yy : yy - 399) / 400; // floored: January and February of year 0 too
  const long long yoe = yy - era * 400;
  const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const long long days = era * 146097 + doe - 719468 - kEpochDaysSince1970;
  return static_cast<double>(days * 86400 + hh * 3600 + mm * 60 + ss) + static_cast<double>(us) / 1e6;
}

} // namespace i1sim
