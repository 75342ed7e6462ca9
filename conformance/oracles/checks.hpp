// What `i1sim run` checks beyond the metrics: the oracles a scenario needs and its expectations, wired into a run.
#pragma once

#include "conformance/oracles/billing_oracle.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"

#include <memory>

namespace i1sim::conformance {

/// The oracles attached to one run; keep it alive until run_simulation returns.
struct Checks {
  Checks();
  ~Checks();
  Checks(Checks&&) noexcept;
  Checks& operator=(Checks&&) noexcept;
  std::unique_ptr<BillingOracle> billing;         // null when the scenario bills nothing
  std::unique_ptr<trace::Observer> conformance;   // every conformance oracle (oracle.hpp), behind one observer
};

/// Adds to `options` the oracles `sc` needs as observers (the bill oracle when it has bill cycles, and every
/// conformance oracle), and a complete hook (run after any hook already set) that writes their "oracles" and
/// "conformance" sections and then the "expectations" section into results.json. `sc` must outlive the run.
Checks attach_checks(const scenario::Scenario& sc, run::RunOptions& options);

/// Replays a saved event stream (events.jsonl of a run of `sc`) through every conformance oracle and returns
/// the "conformance" section a run writes into results.json: {"checks": [{check, verdict, observed,
/// violations, reason, events}...]} in catalogue order. Throws std::runtime_error naming the file and line of
/// an unreadable event.
nlohmann::ordered_json judge_events(const scenario::Scenario& sc, const std::string& events_path);

} // namespace i1sim::conformance
