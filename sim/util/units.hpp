// Parsing of quantities written with units in scenarios: durations, sizes, bandwidths, speeds, rates.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace i1sim::units {

/// Thrown when a quantity is malformed or carries a unit of the wrong kind; what() says which and why.
class UnitError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// "90s", "15min", "2h", "30d", "10ms", "50us", "250ns" -> seconds. A bare number is refused: units are mandatory.
double parse_duration(std::string_view text);
/// "2GiB", "512MiB", "4TB", "100B" -> bytes (binary prefixes are powers of 1024, decimal ones of 1000).
double parse_size(std::string_view text);
/// "10Gbps", "100Mbps", "1.25GBps" -> bytes per second ("bps" is bits, "Bps" is bytes).
double parse_bandwidth(std::string_view text);
/// "10Gf", "2.5Gf", "1Tf", "500Mf" -> floating-point operations per second (also accepted for amounts of work).
double parse_speed(std::string_view text);
/// "2/s", "120/min", "50/h", "1000/d" -> events per second.
double parse_rate(std::string_view text);

/// Renders seconds back with the largest unit that keeps the value exact enough to read ("90s", "2h").
std::string format_duration(double seconds);

} // namespace i1sim::units
