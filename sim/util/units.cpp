// Quantity parsing: a decimal number immediately followed by a unit from a closed table per kind.
#include "util/units.hpp"

#include <array>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <utility>

namespace i1sim::units {
namespace {

struct Unit {
  std::string_view symbol;
  double factor;
};

// Splits "12.5GiB" into 12.5 and "GiB". Accepts no sign, no spaces inside, no exponent: scenario values are
// written by people and read by people, and "1e3s" is more often a typo than an intent.
std::pair<double, std::string_view> split(std::string_view text, std::string_view kind) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  std::size_t i = 0;
  bool digits = false;
  bool dot = false;
  while (i < text.size()) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
    ++i;
  }
  if (!digits)
    throw UnitError(fmt::format("'{}' is not a {}: expected a number followed by a unit", text, kind));
  const std::string number(text.substr(0, i));
  const double value = std::strtod(number.c_str(), nullptr);
  std::string_view unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ')
    unit.remove_prefix(1);
  if (unit.empty())
    throw UnitError(fmt::format("'{}' has no unit: a {} needs one", text, kind));
  if (!std::isfinite(value))
    throw UnitError(fmt::format("'{}' is not a finite {}", text, kind));
  return {value, unit};
}

template <std::size_t N> double lookup(std::string_view text, std::string_view kind, const std::array<Unit, N>& table) {
  const auto [value, unit] = split(text, kind);
  for (const Unit& u : table)
    if (u.symbol == unit)
      return value * u.factor;
  std::string known;
  for (const Unit& u : table) {
    if (!known.empty())
      known += ", ";
    known += u.symbol;
  }
  throw UnitError(fmt::format("'{}': unknown {} unit '{}' (known: {})", text, kind, unit, known));
}

constexpr double kKi = 1024.0;

} // namespace

double parse_duration(std::string_view text) {
  static constexpr std::array<Unit, 8> table{{{"ns", 1e-9},
                                              {"us", 1e-6},
                                              {"ms", 1e-3},
                                              {"s", 1.0},
                                              {"min", 60.0},
                                              {"h", 3600.0},
                                              {"d", 86400.0},
                                              {"w", 604800.0}}};
  return lookup(text, "duration", table);
}

double parse_size(std::string_view text) {
  static constexpr std::array<Unit, 9> table{{{"B", 1.0},
                                              {"kB", 1e3},
                                              {"MB", 1e6},
                                              {"GB", 1e9},
                                              {"TB", 1e12},
                                              {"KiB", kKi},
                                              {"MiB", kKi * kKi},
                                              {"GiB", kKi * kKi * kKi},
                                              {"TiB", kKi * kKi * kKi * kKi}}};
  return lookup(text, "size", table);
}

double parse_bandwidth(std::string_view text) {
  static constexpr std::array<Unit, 8> table{{{"bps", 1.0 / 8},
                                              {"kbps", 1e3 / 8},
                                              {"Mbps", 1e6 / 8},
                                              {"Gbps", 1e9 / 8},
                                              {"Bps", 1.0},
                                              {"kBps", 1e3},
                                              {"MBps", 1e6},
                                              {"GBps", 1e9}}};
  return lookup(text, "bandwidth", table);
}

double parse_speed(std::string_view text) {
  static constexpr std::array<Unit, 5> table{{{"f", 1.0}, {"kf", 1e3}, {"Mf", 1e6}, {"Gf", 1e9}, {"Tf", 1e12}}};
  return lookup(text, "speed", table);
}

double parse_rate(std::string_view text) {
  static constexpr std::array<Unit, 4> table{
      {{"/s", 1.0}, {"/min", 1.0 / 60}, {"/h", 1.0 / 3600}, {"/d", 1.0 / 86400}}};
  return lookup(text, "rate", table);
}

std::string format_duration(double seconds) {
  static constexpr std::array<Unit, 5> table{{{"d", 86400.0}, {"h", 3600.0}, {"min", 60.0}, {"s", 1.0}, {"ms", 1e-3}}};
  for (const Unit& u : table) {
    const double v = seconds / u.factor;
    if (v >= 1.0 && std::fabs(v - std::round(v)) < 1e-9)
      return fmt::format("{}{}", static_cast<long long>(std::round(v)), u.symbol);
  }
  return fmt::format("{:.6g}s", seconds);
}

} // namespace i1sim::units
