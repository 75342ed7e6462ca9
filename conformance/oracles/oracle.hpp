// The contract of every conformance oracle: a streaming observer of a run's event stream (or of a saved one)
// that judges named checks and gives each a verdict with its evidence.
#pragma once

#include "i1/spec.hpp"
#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace i1sim::conformance {

/// The verdicts of TTCN-3 (ETSI ES 201 873-1), from best to worst. A verdict only gets worse when results
/// are combined: none < pass < inconc < fail < error. `error` is kept for faults of the harness itself (an
/// oracle that cannot read what it must judge, a run that did not finish), never for the implementation.
enum class Verdict { none, pass, inconc, fail, error };

std::string_view to_string(Verdict v);
/// The verdict named `text` ("none", "pass", "inconc", "fail", "error"), or nothing.
std::optional<Verdict> verdict_from_string(std::string_view text);
/// The worse of the two (only-worsen semantics).
Verdict worse(Verdict a, Verdict b);

/// One check an oracle judges. Its id is stable: test purposes name it (conformance/tps/*.yaml).
struct CheckInfo {
  std::string id;                        // "<oracle>.<check>", e.g. "notify.timely"
  std::vector<std::string> requirements; // the requirement ids it judges, e.g. {"I1-HUB-003"}
  std::string title;                     // "ensure that ...", one line
};

/// What one check concluded over one run.
///   none   the check never applied: nothing it judges happened in the run (observed == 0);
///   pass   it applied `observed` times and every time the implementation did what the requirement asks;
///   inconc it applied, but the evidence it needs never came (e.g. the run ended before a deadline fell, or a
///          fault of the harness's channel hid the message it needed), and nothing failed;
///   fail   the implementation broke the requirement at least once;
///   error  the oracle itself could not judge (malformed event, internal inconsistency).
/// Every verdict but pass carries a reason (one sentence naming ids, times and the values compared) and the ids
/// of the events that show it (the first kMaxEvidence of them).
struct CheckResult {
  std::string check;
  Verdict verdict = Verdict::none;
  std::uint64_t observed = 0;        // how many times the check applied (orders, notifications, records, ...)
  std::uint64_t violations = 0;      // how many of those broke it (fail) or could not be judged (inconc)
  std::string reason;                // empty for pass
  std::vector<std::uint64_t> events; // evidence: event ids of the stream, ascending
};

inline constexpr std::size_t kMaxEvidence = 20;

/// Everything an oracle may know before the run: the scenario (platform with jurisdictions, catalogue, customers,
/// bill cycles, timeline of faults, I1 profile and operators), the specification, and the timer values in force
/// (the specification's defaults with the scenario's overrides, in seconds).
struct OracleContext {
  const scenario::Scenario* scenario = nullptr;
  const spec::Spec* spec = nullptr;
  std::map<std::string, double> timers; // every timer of the specification -> s
  double timer(const std::string& name) const {
    const auto it = timers.find(name);
    return it == timers.end() ? 0 : it->second;
  }
};

/// The timers of `spec` with the overrides of `sc.i1.timers`.
std::map<std::string, double> timers_in_force(const spec::Spec& spec, const scenario::Scenario& sc);

/// An oracle: fed every event of a run in stream order (on_event), then finish() once with the run's end time,
/// then asked for results(). It judges from the stream alone, so replaying a saved events.jsonl gives the same
/// results as watching the run. It never throws out of on_event: an event it cannot read makes its checks `error`.
class Oracle : public trace::Observer {
public:
  /// The checks it judges, in a fixed order.
  virtual std::vector<CheckInfo> checks() const = 0;
  /// The stream has ended; `end` is the simulated time of the end of the run (s).
  virtual void finish(double end) = 0;
  /// One result per entry of checks(), in the same order. Valid after finish().
  virtual std::vector<CheckResult> results() const = 0;
};

// The families of oracles. Each returns fresh oracles for one run; each *_checks() lists the same checks
// without a context, for the catalogue (conformance/oracles/CHECKS.md documents every id).
std::vector<std::unique_ptr<Oracle>> make_protocol_oracles(const OracleContext& ctx); // protocol/*.cpp
std::vector<CheckInfo> protocol_checks();
std::vector<std::unique_ptr<Oracle>> make_accounting_oracles(const OracleContext& ctx); // accounting/*.cpp
std::vector<CheckInfo> accounting_checks();
std::vector<std::unique_ptr<Oracle>> make_world_oracles(const OracleContext& ctx); // world/*.cpp
std::vector<CheckInfo> world_checks();
std::vector<std::unique_ptr<Oracle>> make_probe_oracles(const OracleContext& ctx); // probes/*.cpp
std::vector<CheckInfo> probe_checks();

/// Every oracle of the suite, of every family (registry.cpp).
std::vector<std::unique_ptr<Oracle>> make_oracles(const OracleContext& ctx);
/// Every check of the suite, of every family, in a fixed order.
std::vector<CheckInfo> check_catalogue();

} // namespace i1sim::conformance
