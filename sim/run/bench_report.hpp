// The arithmetic of `i1sim bench`, free of processes: the sweep text, load factors, the knee, and bench.json/CSV/table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace i1sim::bench {

/// `--sweep PATH=v1,v2,...`: the values are split on commas outside brackets, braces and quotes, so a value may
/// itself be a YAML list or mapping (`workload.arrival={process: fixed, rate: 2/s},{process: poisson, rate: 2/s}`).
struct Sweep {
  std::string path;
  std::vector<std::string> values;
};

/// Throws std::invalid_argument whose message says what is wrong (no '=', an empty path or value, an unclosed
/// bracket or quote, a value given twice).
Sweep parse_sweep(std::string_view text);

/// A value as a directory name: letters, digits, '.', '-' and '_' kept, anything else '_' ("2/s" -> "2_s").
std::string slug(std::string_view value);

/// A swept value as a number: a bare number, or a quantity with a unit of the scenario format (rate, duration,
/// size, bandwidth, speed), in that kind's base unit. `kind` is empty for a bare number.
struct Quantity {
  double value = 0;
  std::string kind;
};
std::optional<Quantity> quantity_of(std::string_view text);

/// N_k = value_k / value_base for each value: none for a value that is not a number, one of another kind than the
/// base's (2/s against 10min), or when the base is not a number or is zero.
std::vector<std::optional<double>> load_factors(const std::vector<std::string>& values, std::size_t base);

/// What the knee rule looks at in one level.
struct KneeInput {
  bool ran = false;                  // false: the level errored and is skipped
  std::optional<double> success_pct; // completed / submitted x 100; none when nothing was submitted
  bool expectations_held = true;
  std::vector<std::string> failed_expectations; // their texts
};
struct Knee {
  std::size_t level = 0;
  std::string reason;
};
/// The first level that ran and at which an expectation of the scenario failed, or whose success % is more than
/// 5 points below that of the nearest earlier level that ran. Levels that errored are skipped.
std::optional<Knee> find_knee(const std::vector<KneeInput>& levels);

/// How far the success % may fall from one level to the next before the knee is placed there, in points.
inline constexpr double kKneeSuccessDrop = 5.0;

/// One child run, as the parent saw it.
struct LevelRun {
  std::string value;    // the swept value; empty without a sweep
  std::string dir;      // the run's output directory, relative to the bench's
  bool started = false; // a process ran: wall time and peak RSS are measured
  double wall_s = 0;
  double peak_rss_bytes = 0;
  bool completed = false; // its results.json was read
  std::string error;      // why not, when not completed
  nlohmann::json results;
};

struct BenchInputs {
  std::string tool_version;
  std::string scenario; // as given
  std::string scenario_name;
  std::string iut;
  std::optional<std::uint64_t> seed; // none: the scenario's own
  std::optional<Sweep> sweep;
  std::vector<std::string> sets; // fixed --set PATH=VALUE given to every level
  double timeout_s = 0;
  std::string out_dir;
};

/// bench.json ("i1sim.bench/1"): the inputs, one object per level (implementation, i1 and harness groups), the
/// baseline level (the first that ran) and the knee. A level whose results.json lacks a figure the report needs
/// becomes an error row naming it.
nlohmann::ordered_json build_report(const BenchInputs& in, const std::vector<LevelRun>& runs);

/// The CSV columns, in their fixed order.
const std::vector<std::string>& csv_columns();
/// One header row, then one row per level; empty fields for figures not measured.
std::string render_csv(const nlohmann::ordered_json& report);
/// The terminal summary: aligned columns, one row per level, the knee marked, then each error in full.
std::string render_table(const nlohmann::ordered_json& report);

/// 0 when every level ran, 1 when one errored.
int exit_code_of(const nlohmann::ordered_json& report);

} // namespace i1sim::bench
