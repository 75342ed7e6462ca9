// The suite's power, as CI measures it on every change: the reference implementation passes every selected
// test purpose over 20 seeds with no fail, error or inconclusive verdict, and every shipped mutant is failed by
// at least one test purpose the reference passes.
#include "support/child.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace i1sim::test::kill_matrix_test {
namespace {

TEST(KillMatrix, TheReferencePassesEverySelectedTestPurposeOver20SeedsAndEveryMutantIsKilled) {
#ifdef __SANITIZE_ADDRESS__
  // 360 simulations take the sanitizer build past CI's budget; it runs the same campaign code on one seed in
  // ConformCli, and every mutant once in MutantDefect.
  GTEST_SKIP() << "the 20-seed kill matrix runs in the normal build";
#endif
  const std::string out = fresh_dir("kill-matrix");
  const auto r = run_child({i1sim_binary(), "conform", "--iut", "ref", "--seeds", "20", "--mutants", "all",
                            "--mutant-seeds", "1", "-j", "2", "--out", out},
                           1500);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto results = nlohmann::json::parse(slurp(out + "/conformance.json"));

  // The reference: every test purpose selected (its ICS claims everything), every one passed.
  const auto& summary = results.at("summary");
  EXPECT_EQ(summary.at("selected"), summary.at("tps"));
  EXPECT_EQ(summary.at("pass"), summary.at("selected"));
  EXPECT_EQ(summary.at("fail"), 0);
  EXPECT_EQ(summary.at("error"), 0);
  EXPECT_EQ(summary.at("inconc"), 0);
  std::size_t runs = 0;
  for (const auto& run : results.at("runs")) {
    EXPECT_TRUE(run.at("completed").get<bool>()) << run.dump();
    ++runs;
  }
  EXPECT_GE(runs, 20u) << "at least 20 seeds of at least one scenario";
  std::set<int> seeds;
  for (const auto& run : results.at("runs"))
    seeds.insert(run.at("seed").get<int>());
  EXPECT_EQ(seeds.size(), 20u);
  for (const auto& tp : results.at("tps")) {
    EXPECT_EQ(tp.at("verdict"), "pass") << tp.dump(2);
    // Every test purpose is traced to at least one requirement.
    EXPECT_FALSE(tp.at("requirements").empty()) << tp.at("id");
  }

  // The mutants: at least 15, each killed by a test purpose, the matrix and the score written.
  const auto& mutants = results.at("mutants");
  ASSERT_GE(mutants.at("total").get<int>(), 15);
  EXPECT_EQ(mutants.at("killed"), mutants.at("total"));
  EXPECT_EQ(mutants.at("score").get<std::string>(),
            std::to_string(mutants.at("killed").get<int>()) + "/" + std::to_string(mutants.at("total").get<int>()));
  for (const auto& m : mutants.at("mutants")) {
    EXPECT_TRUE(m.at("killed").get<bool>()) << m.at("name") << " survived";
    EXPECT_FALSE(m.at("killed_by").empty()) << m.at("name");
    EXPECT_EQ(m.at("verdicts").size(), results.at("tps").size()) << m.at("name") << ": a full row of the matrix";
    for (const auto& tp : m.at("killed_by"))
      EXPECT_EQ(m.at("verdicts").at(tp.get<std::string>()), "fail") << m.at("name");
  }
  EXPECT_NE(r.out.find("mutation score"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(out + "/junit.xml"));
  EXPECT_TRUE(std::filesystem::exists(out + "/report.md"));
}

} // namespace
} // namespace i1sim::test::kill_matrix_test
