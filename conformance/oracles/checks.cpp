// The oracles' observers and the results hook, set up before a run so that judging needs no second pass; and
// the same oracles over a saved stream, which must judge it exactly as they judged the run.
#include "conformance/oracles/checks.hpp"

#include "conformance/oracles/oracle.hpp"
#include "i1/spec.hpp"
#include "run/expectations.hpp"

#include <fstream>
#include <stdexcept>
#include <utility>

namespace i1sim::conformance {

namespace {

/// Every oracle of the suite behind one observer. The end of the stream is the `run.end` event when there is
/// one, else the last event, so a live run and a replay of its events.jsonl end their oracles at the same time.
class OracleSet : public trace::Observer {
public:
  explicit OracleSet(const scenario::Scenario& sc)
      : ctx_{&sc, &spec::builtin(), timers_in_force(spec::builtin(), sc)}
      , oracles_(make_oracles(ctx_)) {}

  void on_event(const trace::Event& e) override {
    last_t_ = e.t;
    if (e.type == "run.end")
      end_t_ = e.t;
    for (auto& o : oracles_)
      o->on_event(e);
  }

  /// {"checks": [...]} in catalogue order. A family that throws (a fault of the harness) gets `error` on every
  /// check it judges, with the reason; a check the catalogue lists and no oracle judged is an `error` too.
  nlohmann::ordered_json section() {
    const double end = end_t_ ? *end_t_ : last_t_;
    std::map<std::string, CheckResult> by_id;
    for (auto& o : oracles_) {
      std::vector<CheckResult> results;
      try {
        o->finish(end);
        results = o->results();
      } catch (const std::exception& ex) {
        for (const auto& info : o->checks())
          results.push_back({info.id, Verdict::error, 0, 0, std::string("the oracle failed: ") + ex.what(), {}});
      }
      for (auto& r : results)
        by_id[r.check] = std::move(r);
    }
    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    for (const auto& info : check_catalogue()) {
      const auto it = by_id.find(info.id);
      CheckResult r = it != by_id.end()
                          ? it->second
                          : CheckResult{info.id, Verdict::error, 0, 0, "no oracle judged this check", {}};
      nlohmann::ordered_json c;
      c["check"] = r.check;
      c["verdict"] = std::string(to_string(r.verdict));
      c["observed"] = r.observed;
      c["violations"] = r.violations;
      if (!r.reason.empty())
        c["reason"] = r.reason;
      if (!r.events.empty())
        c["events"] = r.events;
      checks.push_back(std::move(c));
    }
    return {{"checks", std::move(checks)}};
  }

private:
  OracleContext ctx_;
  std::vector<std::unique_ptr<Oracle>> oracles_;
  double last_t_ = 0;
  std::optional<double> end_t_;
};

} // namespace

Checks::Checks() = default;
Checks::~Checks() = default;
Checks::Checks(Checks&&) noexcept = default;
Checks& Checks::operator=(Checks&&) noexcept = default;

Checks attach_checks(const scenario::Scenario& sc, run::RunOptions& options) {
  Checks checks;
  if (sc.billing.cycle > 0 && sc.billing.cycles > 0) {
    checks.billing = std::make_unique<BillingOracle>(sc);
    options.observers.push_back(checks.billing.get());
  }
  checks.conformance = std::make_unique<OracleSet>(sc);
  options.observers.push_back(checks.conformance.get());
  // The expectations read the oracles' findings, so they are judged last.
  options.complete = [before = std::move(options.complete), billing = checks.billing.get(),
                      conformance = static_cast<OracleSet*>(checks.conformance.get()),
                      expect = sc.expect](nlohmann::ordered_json& results) {
    if (before)
      before(results);
    if (billing) {
      const nlohmann::ordered_json findings = billing->to_json();
      for (const auto& [name, finding] : findings.items())
        results["oracles"][name] = finding;
    }
    results["conformance"] = conformance->section();
    run::add_expectations(expect, results);
  };
  return checks;
}

nlohmann::ordered_json judge_events(const scenario::Scenario& sc, const std::string& events_path) {
  std::ifstream in(events_path, std::ios::binary);
  if (!in)
    throw std::runtime_error(events_path + ": cannot be read");
  OracleSet set(sc);
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (line.empty())
      continue;
    trace::Event e;
    try {
      e = trace::from_json_line(line);
    } catch (const std::exception& ex) {
      throw std::runtime_error(events_path + ":" + std::to_string(n) + ": " + ex.what());
    }
    set.on_event(e);
  }
  return set.section();
}

} // namespace i1sim::conformance
