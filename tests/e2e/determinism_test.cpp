// Determinism: the same scenario, implementation and seed give byte-identical files from separate processes.
#include "support/child.hpp"

#include <gtest/gtest.h>

namespace i1sim::test::determinism_test {
namespace {

ChildResult run_activation(const std::string& dir, const std::string& seed, bool events = true) {
  std::vector<std::string> argv{i1sim_binary(), "run", source_path("scenarios/activation-basic.yaml"), "--seed", seed,
                                "--out",        dir};
  if (!events)
    argv.push_back("--no-events");
  return run_child(argv);
}

TEST(Determinism, TwoRunsWithTheSameSeedWriteIdenticalFiles) {
  const auto a = fresh_dir("det-a");
  const auto b = fresh_dir("det-b");
  ASSERT_EQ(run_activation(a, "7").exit_code, 0);
  ASSERT_EQ(run_activation(b, "7").exit_code, 0);
  const auto events_a = slurp(a + "/events.jsonl");
  ASSERT_FALSE(events_a.empty());
  EXPECT_TRUE(events_a == slurp(b + "/events.jsonl")) << "event streams differ";
  EXPECT_EQ(slurp(a + "/results.json"), slurp(b + "/results.json"));
}

TEST(Determinism, AnotherSeedGivesAnotherEventStream) {
  const auto a = fresh_dir("seed-7");
  const auto b = fresh_dir("seed-8");
  ASSERT_EQ(run_activation(a, "7").exit_code, 0);
  ASSERT_EQ(run_activation(b, "8").exit_code, 0);
  EXPECT_FALSE(slurp(a + "/events.jsonl") == slurp(b + "/events.jsonl"));
  EXPECT_NE(slurp(a + "/results.json"), slurp(b + "/results.json"));
}

TEST(Determinism, ResultsDoNotDependOnWhetherTheTraceIsWritten) {
  const auto a = fresh_dir("with-trace");
  const auto b = fresh_dir("without-trace");
  ASSERT_EQ(run_activation(a, "3").exit_code, 0);
  ASSERT_EQ(run_activation(b, "3", false).exit_code, 0);
  EXPECT_EQ(slurp(a + "/results.json"), slurp(b + "/results.json"));
  EXPECT_TRUE(slurp(b + "/events.jsonl").empty()) << "--no-events still wrote a trace";
}

TEST(Determinism, ResultsHoldNoWallClockValue) {
  const auto a = fresh_dir("no-wall-clock");
  ASSERT_EQ(run_activation(a, "7").exit_code, 0);
  const auto results = slurp(a + "/results.json");
  // The only timestamps in the outputs are simulated ones, counted from the 2026-01-01 epoch.
  EXPECT_EQ(results.find("wall"), std::string::npos);
  const auto events = slurp(a + "/events.jsonl");
  std::size_t at = 0;
  while ((at = events.find("\"eventTime\":\"", at)) != std::string::npos) {
    at += 13;
    EXPECT_EQ(events.substr(at, 11), "2026-01-01T");
  }
}

} // namespace
} // namespace i1sim::test::determinism_test
