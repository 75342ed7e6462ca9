// Judging a run's results against the scenario's expectations, and telling the user which ones failed.
#pragma once

#include "scenario/scenario.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace i1sim::run {

/// One expectation judged against one results.json.
struct Outcome {
  std::string text;                   // as written
  std::string metric;                 // canonical, e.g. "order_to_active.p99"
  std::optional<double> measured;     // in the metric's base unit; none when it could not be measured
  bool met = false;                   // never true without both measurements
  int line = 0;                       // of the expectation in the scenario file
  std::string reason;                 // why nothing was measured ("no sample: ..."); empty otherwise
  std::string rhs_metric;             // canonical, when the right side is a metric; empty for a constant
  std::optional<double> rhs_measured; // of rhs_metric; none when it could not be measured
};

/// Reads every expectation's metric (and its right-side metric, if any) from `results` (the content of
/// results.json, metrics and oracles sections included) and compares them. A missing counter reads 0; a missing
/// ratio, oracle finding or sample figure is not measured, and its expectation fails.
std::vector<Outcome> evaluate(const std::vector<scenario::Expectation>& expectations,
                              const nlohmann::ordered_json& results);

/// The "expectations" section of results.json: {"met": N, "failed": N, "outcomes": [...]}.
nlohmann::ordered_json to_json(const std::vector<Outcome>& outcomes);

/// Evaluates `expectations` against `results` and stores the section under results["expectations"] (nothing
/// when there are none), for RunOptions::complete.
void add_expectations(const std::vector<scenario::Expectation>& expectations, nlohmann::ordered_json& results);

/// "expectation failed: p99(order_to_active) < 120s (scenario.yaml:31): measured 131.2s", "...: measured 12 vs
/// 13" when the right side is a metric, or "...: no sample (...)" when a side was not measured. `file` names the
/// scenario.
std::string failure_line(const Outcome& outcome, const std::string& file);

/// Prints a failure_line for every failed outcome of results["expectations"] (the scenario file is taken from
/// results["run"]["scenario"]) and returns how many failed; 0 when the section is missing.
int report_expectations(const nlohmann::ordered_json& results, std::ostream& err);

} // namespace i1sim::run
