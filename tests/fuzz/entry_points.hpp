// The parser entry points the fuzz targets drive, shared with tests/unit/fuzz_regressions_test.cpp so both judge
// an input the same way: each returns when the input is accepted or refused as documented, and lets anything
// else escape (another exception, a crash, a sanitizer report), which is a finding.
#pragma once

#include "scenario/scenario.hpp"

#if __has_include("scenario/expectation.hpp")
#include "scenario/expectation.hpp"
#define I1SIM_FUZZ_EXPECTATION 1
#endif
#if __has_include("scenario/trace_csv.hpp")
#include "scenario/trace_csv.hpp"
#define I1SIM_FUZZ_TRACE_CSV 1
#endif

#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace i1sim::fuzz {

/// The name every fuzzed text carries in its errors.
inline const std::string kFuzzFile = "fuzz.yaml";

/// The whole input is a scenario file.
inline void load_scenario(std::string_view data) {
  try {
    (void)scenario::load_from_string(std::string(data), kFuzzFile);
  } catch (const scenario::ScenarioError&) {
  }
}

/// The line that ends the `--set` texts of a scenario_override input; it is chosen so a YAML document never
/// needs it.
inline constexpr std::string_view kOverrideEnd = "%%\n";

/// A scenario_override input: one `--set` text per line up to a line "%%", then the scenario. Without that line
/// the first line is the only `--set` text, so a mutation that breaks the separator still exercises overrides.
inline std::pair<std::vector<std::string>, std::string> split_override_input(std::string_view data) {
  std::string_view sets = data;
  std::string_view text;
  if (data.substr(0, kOverrideEnd.size()) == kOverrideEnd) {
    sets = {};
    text = data.substr(kOverrideEnd.size());
  } else if (const auto end = data.find("\n" + std::string(kOverrideEnd)); end != std::string_view::npos) {
    sets = data.substr(0, end);
    text = data.substr(end + 1 + kOverrideEnd.size());
  } else if (const auto nl = data.find('\n'); nl != std::string_view::npos) {
    sets = data.substr(0, nl);
    text = data.substr(nl + 1);
  }
  std::vector<std::string> lines;
  while (!sets.empty()) {
    const auto nl = sets.find('\n');
    lines.emplace_back(sets.substr(0, nl));
    sets = nl == std::string_view::npos ? std::string_view() : sets.substr(nl + 1);
  }
  return {std::move(lines), std::string(text)};
}

/// `--set` texts parsed by scenario::parse_override, then the scenario loaded with them. parse_override may
/// refuse a text with std::invalid_argument (its documented error); that override is then left out, as the CLI
/// would stop there, and the others still apply.
inline void load_with_overrides(std::string_view data) {
  auto [sets, text] = split_override_input(data);
  std::vector<scenario::Override> overrides;
  for (const auto& s : sets) {
    try {
      overrides.push_back(scenario::parse_override(s));
    } catch (const std::invalid_argument&) {
    }
  }
  try {
    (void)scenario::load_from_string(text, kFuzzFile, overrides);
  } catch (const scenario::ScenarioError&) {
  }
}

/// A broken promise of a parser that returned or refused normally; thrown so it is a finding like a crash.
class InvariantBroken : public std::logic_error {
public:
  using std::logic_error::logic_error;
};

#ifdef I1SIM_FUZZ_EXPECTATION
/// The whole input is one `expect:` item. Its error's offset must fall within the text, since the loader turns it
/// into a column of the scenario file.
inline void parse_expectation(std::string_view data) {
  const std::string text(data);
  try {
    (void)scenario::parse_expectation(text);
  } catch (const scenario::ExpectationError& e) {
    if (e.offset() > text.size())
      throw InvariantBroken("ExpectationError offset " + std::to_string(e.offset()) + " is past the text's " +
                            std::to_string(text.size()) + " characters");
  }
}
#endif

#ifdef I1SIM_FUZZ_TRACE_CSV
/// The whole input is an arrival trace file, read and then checked against a small catalogue. A trace that is
/// accepted must keep its promises: one place per row, times finite, non-negative and non-decreasing.
inline void read_trace_csv(std::string_view data) {
  static const scenario::Catalogue catalogue = [] {
    scenario::Catalogue c;
    for (const char* id : {"office-bundle", "p1"}) {
      scenario::Product p;
      p.id = id;
      p.name = id;
      c.products.push_back(p);
    }
    return c;
  }();
  const std::string file = "fuzz.csv";
  scenario::TraceCsv csv;
  try {
    csv = scenario::read_trace_csv(std::string(data), file);
  } catch (const util::LocatedError&) {
    return;
  }
  if (csv.places.size() != csv.arrivals.size())
    throw InvariantBroken("read_trace_csv returned " + std::to_string(csv.arrivals.size()) + " rows but " +
                          std::to_string(csv.places.size()) + " places");
  for (std::size_t i = 0; i < csv.arrivals.size(); ++i) {
    const double at = csv.arrivals[i].at;
    if (!std::isfinite(at) || at < 0 || (i > 0 && at < csv.arrivals[i - 1].at))
      throw InvariantBroken("read_trace_csv accepted row " + std::to_string(i + 1) + " at time " + std::to_string(at));
  }
  (void)scenario::check_trace(csv, catalogue, 100, file);
}
#endif

/// A fuzz target: its name (the fuzzer binary is fuzz_<name>; its findings are regressions/<name>-<sha1>).
struct Target {
  std::string_view name;
  void (*run)(std::string_view data);
};

inline constexpr Target kTargets[] = {
    {"scenario_load", load_scenario},
    {"scenario_override", load_with_overrides},
#ifdef I1SIM_FUZZ_EXPECTATION
    {"expectation", parse_expectation},
#endif
#ifdef I1SIM_FUZZ_TRACE_CSV
    {"trace_csv", read_trace_csv},
#endif
};

/// The target called `name`, or nullptr.
inline const Target* find_target(std::string_view name) {
  for (const auto& t : kTargets)
    if (t.name == name)
      return &t;
  return nullptr;
}

} // namespace i1sim::fuzz
