// `i1sim bench` as a user runs it: small real sweeps over a Cloud side of known capacity, with and without a knee,
// a level whose child fails or hangs, bad command lines, and the three outputs.
#include "support/child.hpp"

#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace i1sim::test::bench_cli_test {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

ChildResult i1sim(std::vector<std::string> args, double limit = 120) {
  args.insert(args.begin(), i1sim_binary());
  return run_child(args, limit);
}

/// load-ramp-to-saturation cut to 60 orders of a steady Poisson stream. Its Cloud BSS/OSS spends 40 ms on every I1
/// message it receives, and an order costs it at least eight (the order, its listener's answers to the order's
/// notifications...): it cannot make more than about 3 orders a second active, whatever the offered rate.
std::vector<std::string> saturating(const std::string& out, const std::string& sweep, const std::string& expect) {
  return {"bench",   source_path("scenarios/load-ramp-to-saturation.yaml"),
          "--set",   "workload.orders=60",
          "--set",   "workload.arrival={process: poisson, rate: 1/s}",
          "--set",   "expect=[\"orders.failed == 0\", \"" + expect + "\"]",
          "--sweep", sweep,
          "--out",   out};
}

nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(slurp(path)); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

/// Refused: exit 2, nothing on stdout, the first line of stderr names the problem.
void expect_refused(const std::vector<std::string>& args, const std::string& needle) {
  const ChildResult r = i1sim(args);
  SCOPED_TRACE(r.err);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(r.err.rfind("i1sim: error: ", 0), 0u);
  EXPECT_THAT(r.err.substr(0, r.err.find('\n')), HasSubstr(needle));
}

TEST(BenchCli, HelpDescribesTheCommand) {
  EXPECT_THAT(i1sim({"help"}).out, HasSubstr("  bench "));
  const auto h = i1sim({"help", "bench"});
  EXPECT_EQ(h.exit_code, 0);
  for (const char* text : {"--sweep", "--iut", "--seed", "--set", "--out", "--timeout", "--format", "knee"})
    EXPECT_THAT(h.out, HasSubstr(text));
}

TEST(BenchCli, BadCommandLinesExitTwoNamingTheProblem) {
  const std::string scenario = source_path("scenarios/activation-basic.yaml");
  const auto out = fresh_dir("bench-bad");
  expect_refused({"bench", scenario, "--sweep", "workload.arrival.rate", "--out", out},
                 "--sweep 'workload.arrival.rate' is not PATH=v1,v2,...: there is no '='");
  expect_refused({"bench", scenario, "--sweep", "workload.arrival.rate=1/s,,2/s", "--out", out}, "value 2 is empty");
  expect_refused({"bench", scenario, "--sweep", "workload.arrival={process: fixed", "--out", out}, "unclosed '{'");
  expect_refused({"bench", scenario, "--sweep", "workload.arrival.rate=1/s,1/s", "--out", out}, "given twice");
  expect_refused({"bench", scenario, "--format", "xml", "--out", out}, "--format: 'xml'");
  expect_refused({"bench", scenario, "--timeout", "0", "--out", out}, "--timeout: '0'");
  expect_refused({"bench", scenario, "--timeout", "2e7", "--out", out},
                 "--timeout: '2e7' is more than the 10000000 s allowed");
  expect_refused({"bench", scenario, "--iut", "nosuch", "--out", out}, "--iut: no implementation 'nosuch'");
  expect_refused({"bench", "no/such.yaml", "--out", out}, "no/such.yaml: cannot read");
  expect_refused({"bench", "--out", out}, "missing SCENARIO");
  EXPECT_TRUE(fs::is_empty(out)); // nothing ran
}

TEST(BenchCli, FindsTheKneeWhereTheLoadSaturatesTheCloud) {
  // A quarter of an order a second leaves the Cloud idle most of the time (about 11 s from order to activation);
  // eight a second is more than twice what it can take, so orders queue behind each other and their mean time to
  // activation cannot stay below 15 s (19 s measured).
  const auto out = fresh_dir("bench-knee");
  const auto r = i1sim(saturating(out, "workload.arrival.rate=0.25/s,8/s", "mean(order_to_active) < 15s"));
  SCOPED_TRACE(r.err);
  ASSERT_EQ(r.exit_code, 0) << r.out; // every level ran: a knee is a finding, not a failure of the bench

  const auto report = read_json(out + "/bench.json");
  EXPECT_EQ(report["schema"], "i1sim.bench/1");
  ASSERT_FALSE(report["knee"].is_null());
  EXPECT_EQ(report["knee"]["level"], 1);
  EXPECT_EQ(report["knee"]["value"], "8/s");
  EXPECT_THAT(report["knee"]["reason"].get<std::string>(), HasSubstr("mean(order_to_active) < 15s"));
  const auto& levels = report["levels"];
  ASSERT_EQ(levels.size(), 2u);
  for (const auto& l : levels) {
    EXPECT_EQ(l["status"], "ok");
    EXPECT_EQ(l["implementation"]["orders"]["submitted"], 60);
    EXPECT_GT(l["harness"]["wall_s"].get<double>(), 0);
    EXPECT_GT(l["harness"]["peak_rss_mb"].get<double>(), 1);
    EXPECT_GT(l["i1"]["notification_delay_s"]["count"].get<int>(), 0);
    EXPECT_TRUE(fs::exists(out + "/" + l["dir"].get<std::string>() + "/results.json"));
    EXPECT_FALSE(fs::exists(out + "/" + l["dir"].get<std::string>() + "/events.jsonl")); // --no-events
  }
  EXPECT_TRUE(levels[0]["implementation"]["expectations"]["held"].get<bool>());
  EXPECT_FALSE(levels[1]["implementation"]["expectations"]["held"].get<bool>());
  // 32 times the load cannot give more than about 3 orders a second against at most 0.25 at the base.
  EXPECT_DOUBLE_EQ(levels[1]["implementation"]["load_factor"].get<double>(), 32.0);
  EXPECT_LT(levels[1]["implementation"]["scalability"].get<double>(), 0.5);
  EXPECT_LT(levels[1]["implementation"]["throughput_per_s"].get<double>(), 3.5);

  // The table: a header, one row per level, the knee marked on the 8/s row.
  const auto lines = lines_of(r.out);
  ASSERT_GE(lines.size(), 5u);
  EXPECT_THAT(lines[1], HasSubstr("status"));
  EXPECT_THAT(lines[2], ::testing::Not(HasSubstr("knee")));
  EXPECT_THAT(lines[3], HasSubstr("8/s"));
  EXPECT_THAT(lines[3], HasSubstr("<- knee"));
  EXPECT_THAT(r.out, HasSubstr("knee: level 1 (8/s)"));

  // The CSV: a header and a row per level.
  const auto csv = lines_of(slurp(out + "/bench.csv"));
  ASSERT_EQ(csv.size(), 3u);
  EXPECT_EQ(csv[0].rfind("level,value,status,", 0), 0u);
  EXPECT_EQ(csv[2].rfind("1,8/s,ok,", 0), 0u);
}

TEST(BenchCli, FindsNoKneeWellBelowSaturation) {
  const auto out = fresh_dir("bench-no-knee");
  const auto r = i1sim(saturating(out, "workload.arrival.rate=0.1/s,0.2/s", "mean(order_to_active) < 5min"));
  SCOPED_TRACE(r.err);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto report = read_json(out + "/bench.json");
  EXPECT_TRUE(report["knee"].is_null());
  EXPECT_THAT(r.out, HasSubstr("knee: none"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("<- knee")));
  // Far from its capacity the Cloud keeps up: twice the load, about twice the throughput.
  const double s = report["levels"][1]["implementation"]["scalability"].get<double>();
  EXPECT_GT(s, 0.85);
  EXPECT_LT(s, 1.15);
  EXPECT_EQ(report["levels"][1]["implementation"]["success_pct"].get<double>(), 100.0);
}

TEST(BenchCli, ALevelWhoseRunFailsIsAnErrorRowAndTheOthersStillRun) {
  const auto out = fresh_dir("bench-error");
  const auto r = i1sim(saturating(out, "workload.arrival.rate=fast,0.5/s", "mean(order_to_active) < 5min"));
  SCOPED_TRACE(r.err);
  EXPECT_EQ(r.exit_code, 1);
  const auto report = read_json(out + "/bench.json");
  const auto& levels = report["levels"];
  ASSERT_EQ(levels.size(), 2u);
  EXPECT_EQ(levels[0]["status"], "error");
  EXPECT_THAT(levels[0]["error"].get<std::string>(), HasSubstr("workload.arrival.rate: 'fast' is not a rate"));
  EXPECT_EQ(levels[1]["status"], "ok");
  EXPECT_EQ(report["baseline"]["level"], 1);
  EXPECT_THAT(r.out, HasSubstr("level 0 (workload.arrival.rate=fast): error: the run exited 2: "));
  EXPECT_EQ(report["summary"]["errors"], 1);
}

TEST(BenchCli, AnUnknownSweptPathIsReportedByTheChildWithItsLevel) {
  const auto out = fresh_dir("bench-unknown-path");
  const auto r = i1sim(
      {"bench", source_path("scenarios/activation-basic.yaml"), "--sweep", "workload.nonsense=1,2", "--out", out});
  SCOPED_TRACE(r.err);
  EXPECT_EQ(r.exit_code, 1);
  const auto report = read_json(out + "/bench.json");
  for (const auto& l : report["levels"]) {
    EXPECT_EQ(l["status"], "error");
    EXPECT_THAT(l["error"].get<std::string>(), HasSubstr("unknown key 'nonsense'"));
  }
  EXPECT_TRUE(report["baseline"].is_null());
  EXPECT_THAT(r.out, HasSubstr("level 1 (workload.nonsense=2)"));
}

TEST(BenchCli, ARunPastTheTimeoutIsKilledAndReported) {
  const auto out = fresh_dir("bench-timeout");
  // The whole ramp takes seconds of wall time; a tenth of a second is not enough.
  const auto r =
      i1sim({"bench", source_path("scenarios/load-ramp-to-saturation.yaml"), "--timeout", "0.1", "--out", out});
  SCOPED_TRACE(r.err);
  EXPECT_EQ(r.exit_code, 1);
  const auto report = read_json(out + "/bench.json");
  ASSERT_EQ(report["levels"].size(), 1u);
  EXPECT_TRUE(report["levels"][0]["value"].is_null());
  EXPECT_THAT(report["levels"][0]["error"].get<std::string>(), HasSubstr("killed after the wall-time limit of 0.1 s"));
  EXPECT_LT(report["levels"][0]["harness"]["wall_s"].get<double>(), 5.0);
}

TEST(BenchCli, PrintsTheJsonOrTheCsvItWrites) {
  const auto out = fresh_dir("bench-formats");
  auto args = saturating(out, "workload.arrival.rate=0.5/s", "mean(order_to_active) < 5min");
  args.insert(args.end(), {"--format", "json"});
  const auto j = i1sim(args);
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(j.out, slurp(out + "/bench.json"));
  EXPECT_EQ(nlohmann::json::parse(j.out)["levels"].size(), 1u);
  args.back() = "csv";
  const auto c = i1sim(args);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(c.out, slurp(out + "/bench.csv"));
  EXPECT_EQ(lines_of(c.out).size(), 2u);
}

} // namespace
} // namespace i1sim::test::bench_cli_test
