// Simulated time as ISO 8601 UTC timestamps, counted from a fixed epoch so results never see the wall clock.
#pragma once

#include <string>

namespace i1sim {

/// The instant simulated time 0 stands for: 2026-01-01T00:00:00Z.
inline constexpr long long kEpochDaysSince1970 = 20454;

/// "2026-01-01T00:01:30.250000Z" for 90.25 simulated seconds (microsecond resolution, rounded).
std::string iso_timestamp(double simulated_seconds);
/// The simulated seconds of a timestamp in the exact form iso_timestamp() writes (microseconds, Z), or -1
/// when `text` is not in that form.
double parse_iso_timestamp(const std::string& text);

} // namespace i1sim
