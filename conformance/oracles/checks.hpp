// What `i1sim run` checks beyond the metrics: the oracles a scenario needs and its expectations, wired into a run.
#pragma once

#include "conformance/oracles/billing_oracle.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"

#include <memory>

namespace i1sim::conformance {

/// The oracles attached to one run; keep it alive until run_simulation returns.
struct Checks {
  std::unique_ptr<BillingOracle> billing; // null when the scenario bills nothing
};

/// Adds to `options` the oracles `sc` needs (the bill oracle when it has bill cycles) as observers, and a
/// complete hook (run after any hook already set) that writes their "oracles" section and then the
/// "expectations" section into results.json. `sc` must outlive the run.
Checks attach_checks(const scenario::Scenario& sc, run::RunOptions& options);

} // namespace i1sim::conformance
