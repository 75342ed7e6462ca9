// Verdict arithmetic and the timer values an oracle judges against.
#include "conformance/oracles/oracle.hpp"

#include <array>

namespace i1sim::conformance {

namespace {
constexpr std::array<std::string_view, 5> kVerdictNames{"none", "pass", "inconc", "fail", "error"};
}

std::string_view to_string(Verdict v) { return kVerdictNames[static_cast<std::size_t>(v)]; }

std::optional<Verdict> verdict_from_string(std::string_view text) {
  for (std::size_t i = 0; i < kVerdictNames.size(); ++i)
    if (kVerdictNames[i] == text)
      return static_cast<Verdict>(i);
  return std::nullopt;
}

Verdict worse(Verdict a, Verdict b) { return static_cast<int>(a) >= static_cast<int>(b) ? a : b; }

std::map<std::string, double> timers_in_force(const spec::Spec& spec, const scenario::Scenario& sc) {
  std::map<std::string, double> timers;
  for (const auto& t : spec.timers)
    timers[t.name] = t.default_s;
  for (const auto& [name, value] : sc.i1.timers)
    timers[name] = value;
  return timers;
}

} // namespace i1sim::conformance
