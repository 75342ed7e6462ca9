// One simulation run: scenario in, event stream and results out. One per process (one SimGrid engine each).
#pragma once

#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"

#include "i1sim/iut.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace i1sim::run {

struct RunOptions {
  std::string iut = "ref";
  std::optional<std::uint64_t> seed; // overrides the scenario's seed
  std::string out_dir;               // events.jsonl and results.json go here
  bool write_events = true;
  /// The `--set path=value` overrides the scenario was loaded with: recorded in the results and hashed with the
  /// file, since they changed what ran.
  std::vector<std::string> overrides;
  std::vector<std::string> simgrid_args; // extra --cfg=/--log= arguments for the engine
  /// Makes the implementation under test instead of looking `iut` up in the built-in table (for plugins and
  /// tests); `iut` then only names it in the results.
  std::function<std::unique_ptr<CloudIut>(const CloudSetup&)> make_iut;
  /// Further observers of the event stream (oracles), called for every event after the metrics.
  std::vector<trace::Observer*> observers;
  /// Called with the finished results before results.json is written, to add sections (oracle findings,
  /// expectations).
  std::function<void(nlohmann::ordered_json& results)> complete;
};

/// A problem with the run's inputs (unknown implementation, unwritable output): reported, never a crash.
class RunError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct RunResult {
  nlohmann::ordered_json results; // the content of results.json
  std::string events_path;        // empty when events were not written
  std::string results_path;
};

/// Runs `sc` to its stop condition and writes the outputs. `scenario_bytes` is the file's content, hashed
/// into the results so a result names exactly what produced it.
RunResult run_simulation(const scenario::Scenario& sc, const std::string& scenario_bytes, const RunOptions& options);

/// Lower-case hexadecimal SHA-256 of `bytes`.
std::string sha256_hex(const std::string& bytes);

} // namespace i1sim::run
