// The campaign's arithmetic, free of processes and files: which runs the selected test purposes need, the verdict
// of each test purpose from its runs' "conformance" sections, the mutant kill matrix, and conformance.json.
#pragma once

#include "conformance/oracles/oracle.hpp"
#include "conformance/suite/suite.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace i1sim::conformance::campaign {

/// One run of a scenario with one seed, planned before it starts.
struct RunPlan {
  std::string scenario; // name, as test purposes write it
  std::uint64_t seed = 0;
  std::string dir; // where the run writes, relative to the campaign's output directory
};

/// The runs the selected test purposes need: every scenario any of them names (sorted by name, each once) times
/// `seeds`, in that order. `prefix` is put before each run's directory ("runs/S/seed-N").
std::vector<RunPlan> plan_runs(const std::vector<Selection>& selection, const std::vector<std::uint64_t>& seeds,
                               const std::string& prefix = "");

/// What became of one run: `results` is its parsed results.json when `completed`; otherwise `error` says why
/// there are none (killed at the time limit, crashed, refused its input, unreadable results).
struct RunOutcome {
  std::string scenario;
  std::uint64_t seed = 0;
  std::string dir; // relative to the campaign's output directory
  bool completed = false;
  std::string error;
  nlohmann::json results;
};

/// One piece of evidence behind a test purpose's verdict: what one check said in one run.
struct Evidence {
  std::string scenario;
  std::uint64_t seed = 0;
  std::string check; // empty when the whole run is the evidence (it failed to complete)
  Verdict verdict = Verdict::none;
  std::string reason;
  std::vector<std::uint64_t> events;
  std::string events_path; // the run's events.jsonl, relative to the campaign's output directory
};

struct TpVerdict {
  Verdict verdict = Verdict::none;
  std::string reason;             // empty for pass
  std::vector<Evidence> evidence; // every non-pass, non-none check result (or failed run), in run then check order
};

/// The verdict of `tp` over `runs` (the outcomes of the whole campaign; those of other scenarios are ignored):
/// the worst verdict of its checks in every run of its scenarios. A run that did not complete, a check missing from
/// a run's results or a verdict that cannot be read gives `error`; checks that were `none` in every run give
/// `inconc` (the scenarios never exercised them).
TpVerdict evaluate(const TestPurpose& tp, const std::vector<RunOutcome>& runs);

/// The summary counts: selected test purposes per verdict, and how many were not selected.
nlohmann::ordered_json summarize(const nlohmann::ordered_json& tps);

/// One mutant's row of the kill matrix.
struct MutantRow {
  std::string name;
  std::string defect;
  std::vector<std::string> requirements;
  std::vector<std::pair<std::string, TpVerdict>> verdicts; // selected TP id -> verdict, in suite order
};
/// The "mutants" section: the matrix, killed (at least one fail) or not and by which test purposes, the score.
/// With `reference_passed`, only a fail of a test purpose the reference passed kills: a test purpose that fails the
/// reference too tells nothing about the mutant.
nlohmann::ordered_json kill_matrix(const std::vector<MutantRow>& rows, std::uint64_t seeds,
                                   const std::set<std::string>* reference_passed = nullptr);

/// Everything conformance.json records that is not computed here.
struct CampaignInputs {
  std::string tool_version;
  const Suite* suite = nullptr;
  const spec::Spec* spec = nullptr;
  std::string iut;
  const Ics* ics = nullptr;
  const Pixit* pixit = nullptr; // null: the specification's timers
  StaticReview review;
  std::vector<Selection> selection;
  std::vector<std::uint64_t> seeds;
  double timeout_s = 0;
  std::string inputs_sha256; // digest of every input (suite, ICS, PIXIT, scenarios, options): the report id
};

/// The canonical results (conformance.json) of a campaign against `in.iut`, given its runs; `mutants` is the
/// kill_matrix section or null.
nlohmann::ordered_json build_results(const CampaignInputs& in, const std::vector<RunOutcome>& runs,
                                     const nlohmann::ordered_json& mutants = nullptr);

/// 0 when the reference has no fail and no error, its static review passed and (with mutants) every mutant was
/// killed; 1 otherwise.
int exit_code_of(const nlohmann::ordered_json& results);

nlohmann::ordered_json to_json(const Evidence& e);

} // namespace i1sim::conformance::campaign
