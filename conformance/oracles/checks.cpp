// The oracles' observers and the results hook, set up before a run so that judging needs no second pass.
#include "conformance/oracles/checks.hpp"

#include "run/expectations.hpp"

#include <utility>

namespace i1sim::conformance {

Checks attach_checks(const scenario::Scenario& sc, run::RunOptions& options) {
  Checks checks;
  if (sc.billing.cycle > 0 && sc.billing.cycles > 0) {
    checks.billing = std::make_unique<BillingOracle>(sc);
    options.observers.push_back(checks.billing.get());
  }
  // The expectations read the oracles' findings, so they are judged last.
  options.complete = [before = std::move(options.complete), billing = checks.billing.get(),
                      expect = sc.expect](nlohmann::ordered_json& results) {
    if (before)
      before(results);
    if (billing) {
      const nlohmann::ordered_json findings = billing->to_json();
      for (const auto& [name, finding] : findings.items())
        results["oracles"][name] = finding;
    }
    run::add_expectations(expect, results);
  };
  return checks;
}

} // namespace i1sim::conformance
