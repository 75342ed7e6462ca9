// The campaign's verdict arithmetic over hand-made runs: worst of every check in every run, all-none is inconc, a
// missing check or a run without results is error; the run plan, the summary, the kill matrix and the exit code.
#include "conformance/campaign/campaign.hpp"
#include "i1/spec.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace i1sim::conformance::campaign::campaign_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TestPurpose tp_of(std::vector<std::string> scenarios, std::vector<std::string> checks,
                  std::string id = "TP/I1/X/BV/001") {
  TestPurpose tp;
  tp.id = std::move(id);
  tp.title = "ensure that something holds";
  tp.group = "X/BV";
  tp.requirements = {"I1-GEN-001"};
  tp.scenarios = std::move(scenarios);
  tp.checks = std::move(checks);
  return tp;
}

/// One check's entry as a run writes it into results.json.
nlohmann::json entry(const std::string& check, const std::string& verdict, std::vector<std::uint64_t> events = {},
                     const std::string& reason = "") {
  return {{"check", check},  {"verdict", verdict}, {"observed", verdict == "none" ? 0 : 3},
          {"violations", 0}, {"reason", reason},   {"events", events}};
}

RunOutcome run_of(const std::string& scenario, std::uint64_t seed, std::vector<nlohmann::json> checks) {
  RunOutcome r;
  r.scenario = scenario;
  r.seed = seed;
  r.dir = "runs/" + scenario + "/seed-" + std::to_string(seed);
  r.completed = true;
  r.results = {{"run", {{"seed", seed}}}, {"conformance", {{"checks", checks}}}};
  return r;
}

TEST(CampaignVerdict, IsTheWorstOfEveryCheckInEveryRun) {
  const auto tp = tp_of({"s1"}, {"a.x", "b.y"});
  const std::vector<RunOutcome> runs{
      run_of("s1", 1, {entry("a.x", "pass"), entry("b.y", "none")}),
      run_of("s1", 2, {entry("a.x", "fail", {5, 9}, "order 7 was late"), entry("b.y", "inconc", {3}, "frame lost")}),
      run_of("s1", 3, {entry("a.x", "pass"), entry("b.y", "pass")}),
  };
  const TpVerdict v = evaluate(tp, runs);
  EXPECT_EQ(v.verdict, Verdict::fail);
  EXPECT_THAT(v.reason, HasSubstr("a.x fail in run s1 seed 2: order 7 was late"));
  ASSERT_EQ(v.evidence.size(), 2u); // the fail and the inconc, never the passes
  EXPECT_EQ(v.evidence[0].check, "a.x");
  EXPECT_EQ(v.evidence[0].verdict, Verdict::fail);
  EXPECT_EQ(v.evidence[0].seed, 2u);
  EXPECT_THAT(v.evidence[0].events, ElementsAre(5u, 9u));
  EXPECT_EQ(v.evidence[0].events_path, "runs/s1/seed-2/events.jsonl");
  EXPECT_EQ(v.evidence[1].check, "b.y");
  EXPECT_EQ(v.evidence[1].verdict, Verdict::inconc);
  EXPECT_THAT(v.evidence[1].events, ElementsAre(3u));
}

TEST(CampaignVerdict, PassesWhenEveryCheckPassedOrDidNotApply) {
  const auto tp = tp_of({"s1"}, {"a.x", "b.y"});
  const TpVerdict v = evaluate(tp, {run_of("s1", 1, {entry("a.x", "pass"), entry("b.y", "none")}),
                                    run_of("s1", 2, {entry("a.x", "none"), entry("b.y", "none")})});
  EXPECT_EQ(v.verdict, Verdict::pass);
  EXPECT_TRUE(v.reason.empty());
  EXPECT_TRUE(v.evidence.empty());
}

TEST(CampaignVerdict, InconcOutranksPass) {
  const auto tp = tp_of({"s1"}, {"a.x"});
  const TpVerdict v = evaluate(tp, {run_of("s1", 1, {entry("a.x", "pass")}),
                                    run_of("s1", 2, {entry("a.x", "inconc", {11}, "run ended first")})});
  EXPECT_EQ(v.verdict, Verdict::inconc);
  EXPECT_THAT(v.reason, HasSubstr("run ended first"));
}

TEST(CampaignVerdict, ErrorOutranksFailAcrossScenarios) {
  const auto tp = tp_of({"s1", "s2"}, {"a.x"});
  const TpVerdict v = evaluate(tp, {run_of("s1", 1, {entry("a.x", "fail", {1}, "bad")}),
                                    run_of("s2", 1, {entry("a.x", "error", {2}, "oracle could not read event 2")})});
  EXPECT_EQ(v.verdict, Verdict::error);
  EXPECT_THAT(v.reason, HasSubstr("run s2 seed 1: oracle could not read event 2"));
  EXPECT_EQ(v.evidence.size(), 2u);
}

TEST(CampaignVerdict, ChecksThatNeverAppliedMakeItInconc) {
  const auto tp = tp_of({"s1", "s2"}, {"a.x", "b.y"});
  const TpVerdict v =
      evaluate(tp, {run_of("s1", 1, {entry("a.x", "none"), entry("b.y", "none")}),
                    run_of("s2", 1, {entry("a.x", "none"), entry("b.y", "none"), entry("c.z", "fail", {4}, "x")})});
  EXPECT_EQ(v.verdict, Verdict::inconc);
  EXPECT_THAT(v.reason, HasSubstr("never exercised a.x, b.y"));
  EXPECT_THAT(v.reason, HasSubstr("2 runs of s1, s2"));
  ASSERT_EQ(v.evidence.size(), 2u); // each run is evidence of the absence
  EXPECT_EQ(v.evidence[0].events_path, "runs/s1/seed-1/events.jsonl");
  EXPECT_EQ(v.evidence[1].events_path, "runs/s2/seed-1/events.jsonl");
}

TEST(CampaignVerdict, AMissingCheckIsAnError) {
  const auto tp = tp_of({"s1"}, {"a.x", "b.y"});
  const TpVerdict v = evaluate(tp, {run_of("s1", 1, {entry("a.x", "pass")})});
  EXPECT_EQ(v.verdict, Verdict::error);
  ASSERT_EQ(v.evidence.size(), 1u);
  EXPECT_EQ(v.evidence[0].check, "b.y");
  EXPECT_THAT(v.reason, HasSubstr("b.y is missing"));
}

TEST(CampaignVerdict, AnUnreadableVerdictIsAnError) {
  const auto tp = tp_of({"s1"}, {"a.x"});
  const TpVerdict v = evaluate(tp, {run_of("s1", 1, {entry("a.x", "maybe")})});
  EXPECT_EQ(v.verdict, Verdict::error);
  EXPECT_THAT(v.reason, HasSubstr("'maybe'"));
}

TEST(CampaignVerdict, ResultsWithoutAConformanceSectionAreAnError) {
  const auto tp = tp_of({"s1"}, {"a.x"});
  RunOutcome r = run_of("s1", 1, {});
  r.results = {{"run", {{"seed", 1}}}};
  const TpVerdict v = evaluate(tp, {r});
  EXPECT_EQ(v.verdict, Verdict::error);
  EXPECT_THAT(v.reason, HasSubstr("no conformance.checks"));
}

TEST(CampaignVerdict, ARunThatDidNotCompleteIsAnErrorWithItsReason) {
  const auto tp = tp_of({"s1"}, {"a.x"});
  RunOutcome hung;
  hung.scenario = "s1";
  hung.seed = 2;
  hung.dir = "runs/s1/seed-2";
  hung.error = "run s1 seed 2 was killed after the wall-time limit of 5 s";
  const TpVerdict v = evaluate(tp, {run_of("s1", 1, {entry("a.x", "pass")}), hung});
  EXPECT_EQ(v.verdict, Verdict::error);
  EXPECT_THAT(v.reason, HasSubstr("wall-time limit of 5 s"));
  ASSERT_EQ(v.evidence.size(), 1u);
  EXPECT_EQ(v.evidence[0].seed, 2u);
  EXPECT_EQ(v.evidence[0].events_path, "runs/s1/seed-2/events.jsonl");
}

TEST(CampaignVerdict, RunsOfOtherScenariosDoNotCount) {
  const auto tp = tp_of({"s1"}, {"a.x"});
  const TpVerdict v =
      evaluate(tp, {run_of("s1", 1, {entry("a.x", "pass")}), run_of("other", 1, {entry("a.x", "fail", {1}, "x")})});
  EXPECT_EQ(v.verdict, Verdict::pass);
}

TEST(CampaignVerdict, NoRunOfItsScenariosIsAnError) {
  const auto tp = tp_of({"s1"}, {"a.x"});
  const TpVerdict v = evaluate(tp, {run_of("other", 1, {entry("a.x", "pass")})});
  EXPECT_EQ(v.verdict, Verdict::error);
  EXPECT_THAT(v.reason, HasSubstr("no run of s1"));
}

Selection selected(const TestPurpose& tp, bool yes = true, std::string reason = "") {
  return {&tp, yes, std::move(reason)};
}

TEST(CampaignPlan, RunsEachNeededScenarioOnceWithEverySeed) {
  const auto a = tp_of({"zeta", "alpha"}, {"a.x"});
  const auto b = tp_of({"alpha"}, {"a.x"});
  const auto c = tp_of({"never"}, {"a.x"});
  const auto plan = plan_runs({selected(a), selected(b), selected(c, false, "ICS x is false")}, {1, 2}, "m/");
  ASSERT_EQ(plan.size(), 4u);
  EXPECT_EQ(plan[0].scenario, "alpha");
  EXPECT_EQ(plan[0].seed, 1u);
  EXPECT_EQ(plan[0].dir, "m/runs/alpha/seed-1");
  EXPECT_EQ(plan[1].dir, "m/runs/alpha/seed-2");
  EXPECT_EQ(plan[2].dir, "m/runs/zeta/seed-1");
  EXPECT_EQ(plan[3].dir, "m/runs/zeta/seed-2");
}

TEST(CampaignSummary, CountsSelectedTestPurposesPerVerdict) {
  nlohmann::ordered_json tps = nlohmann::ordered_json::array();
  for (const auto& [sel, v] : std::vector<std::pair<bool, std::string>>{
           {true, "pass"}, {true, "pass"}, {true, "fail"}, {true, "inconc"}, {true, "error"}, {false, "none"}})
    tps.push_back({{"selected", sel}, {"verdict", v}});
  const auto s = summarize(tps);
  EXPECT_EQ(s["tps"], 6);
  EXPECT_EQ(s["selected"], 5);
  EXPECT_EQ(s["not_selected"], 1);
  EXPECT_EQ(s["pass"], 2);
  EXPECT_EQ(s["fail"], 1);
  EXPECT_EQ(s["inconc"], 1);
  EXPECT_EQ(s["error"], 1);
  EXPECT_EQ(s["none"], 0);
}

TpVerdict verdict(Verdict v, std::vector<Evidence> evidence = {}) {
  return {v, v == Verdict::pass ? "" : "why", evidence};
}

TEST(CampaignKillMatrix, AMutantIsKilledOnlyByAFail) {
  const Evidence shown{"s1", 1, "a.x", Verdict::fail, "late", {7}, "mutants/m1/runs/s1/seed-1/events.jsonl"};
  std::vector<MutantRow> rows{
      {"m1",
       "never sends X",
       {"I1-HUB-003"},
       {{"TP/1", verdict(Verdict::pass)}, {"TP/2", verdict(Verdict::fail, {shown})}}},
      {"m2", "does Y", {"I1-ORD-004"}, {{"TP/1", verdict(Verdict::inconc)}, {"TP/2", verdict(Verdict::error)}}},
  };
  const auto m = kill_matrix(rows, 1);
  EXPECT_EQ(m["total"], 2);
  EXPECT_EQ(m["killed"], 1);
  EXPECT_EQ(m["score"], "1/2");
  const auto& m1 = m["mutants"][0];
  EXPECT_EQ(m1["killed"], true);
  EXPECT_EQ(m1["killed_by"], nlohmann::ordered_json::array({"TP/2"}));
  EXPECT_EQ(m1["verdicts"]["TP/1"], "pass");
  EXPECT_EQ(m1["verdicts"]["TP/2"], "fail");
  EXPECT_EQ(m1["findings"][0]["evidence"][0]["events"], nlohmann::ordered_json::array({7}));
  const auto& m2 = m["mutants"][1];
  EXPECT_EQ(m2["killed"], false); // inconc and error never kill
  EXPECT_TRUE(m2["killed_by"].empty());
}

TEST(CampaignKillMatrix, AFailTheReferenceSharesDoesNotKill) {
  std::vector<MutantRow> rows{{"m1", "d", {}, {{"TP/1", verdict(Verdict::fail)}, {"TP/2", verdict(Verdict::pass)}}},
                              {"m2", "d", {}, {{"TP/1", verdict(Verdict::fail)}, {"TP/2", verdict(Verdict::fail)}}}};
  const std::set<std::string> reference_passed{"TP/2"}; // the reference fails TP/1 itself
  const auto m = kill_matrix(rows, 1, &reference_passed);
  EXPECT_EQ(m["mutants"][0]["killed"], false);
  EXPECT_EQ(m["mutants"][1]["killed"], true);
  EXPECT_EQ(m["mutants"][1]["killed_by"], nlohmann::ordered_json::array({"TP/2"}));
  EXPECT_EQ(m["score"], "1/2");
}

/// A whole campaign over hand-made runs: two TPs selected, one not.
struct Fixture {
  Suite suite;
  Ics ics;
  CampaignInputs in;
  Fixture() {
    suite.version = "1.0.0";
    suite.tps = {tp_of({"s1"}, {"a.x"}, "TP/I1/X/BV/001"), tp_of({"s1"}, {"b.y"}, "TP/I1/X/BV/002"),
                 tp_of({"s2"}, {"a.x"}, "TP/I1/X/BI/003")};
    ics.file = "ics.yaml";
    ics.implementation = "ref";
    in.tool_version = "9.9.9";
    in.suite = &suite;
    in.spec = &spec::builtin();
    in.iut = "ref";
    in.ics = &ics;
    in.selection = {{&suite.tps[0], true, ""}, {&suite.tps[1], true, ""}, {&suite.tps[2], false, "ICS x is false"}};
    in.seeds = {1};
    in.timeout_s = 60;
    in.inputs_sha256 = std::string(64, 'a');
  }
};

TEST(CampaignResults, RecordEveryTestPurposeWithItsVerdictOrWhyNotSelected) {
  Fixture f;
  const auto r = build_results(f.in, {run_of("s1", 1, {entry("a.x", "pass"), entry("b.y", "fail", {4}, "bad")})});
  EXPECT_EQ(r["schema"], "i1sim-conformance/1");
  EXPECT_EQ(r["identification"]["report_id"], "PCTR-aaaaaaaaaaaa");
  ASSERT_EQ(r["tps"].size(), 3u);
  EXPECT_EQ(r["tps"][0]["verdict"], "pass");
  EXPECT_EQ(r["tps"][1]["verdict"], "fail");
  EXPECT_EQ(r["tps"][1]["evidence"][0]["events"], nlohmann::ordered_json::array({4}));
  EXPECT_EQ(r["tps"][2]["selected"], false);
  EXPECT_EQ(r["tps"][2]["selection_reason"], "ICS x is false");
  EXPECT_EQ(r["summary"]["fail"], 1);
  EXPECT_EQ(r["status"]["conformant"], false);
  EXPECT_EQ(exit_code_of(r), 1);
  // Deterministic: the same inputs give the same bytes.
  EXPECT_EQ(r.dump(),
            build_results(f.in, {run_of("s1", 1, {entry("a.x", "pass"), entry("b.y", "fail", {4}, "bad")})}).dump());
}

TEST(CampaignResults, ExitZeroOnlyWithoutFailOrError) {
  Fixture f;
  auto with = [&](const std::string& v) {
    return build_results(f.in, {run_of("s1", 1, {entry("a.x", "pass"), entry("b.y", v, {1}, "r")})});
  };
  EXPECT_EQ(exit_code_of(with("pass")), 0);
  EXPECT_EQ(with("pass")["status"]["conformant"], true);
  EXPECT_EQ(exit_code_of(with("inconc")), 0); // inconc is not a failure, but not conformance either
  EXPECT_EQ(with("inconc")["status"]["conformant"], false);
  EXPECT_EQ(exit_code_of(with("fail")), 1);
  EXPECT_EQ(exit_code_of(with("error")), 1);
  f.in.review.passed = false;
  f.in.review.findings = {{"I1-GEN-001", "a shall requirement is not claimed"}};
  EXPECT_EQ(exit_code_of(with("pass")), 1);
}

TEST(CampaignResults, ASurvivingMutantFailsTheCampaign) {
  Fixture f;
  const std::vector<RunOutcome> runs{run_of("s1", 1, {entry("a.x", "pass"), entry("b.y", "pass")})};
  const auto killed = kill_matrix({{"m1", "d", {}, {{"TP/I1/X/BV/001", verdict(Verdict::fail)}}}}, 1);
  const auto survived = kill_matrix({{"m1", "d", {}, {{"TP/I1/X/BV/001", verdict(Verdict::pass)}}}}, 1);
  EXPECT_EQ(exit_code_of(build_results(f.in, runs, killed)), 0);
  EXPECT_EQ(exit_code_of(build_results(f.in, runs, survived)), 1);
  EXPECT_FALSE(build_results(f.in, runs).contains("mutants"));
}

} // namespace
} // namespace i1sim::conformance::campaign::campaign_test
