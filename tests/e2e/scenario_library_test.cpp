// End to end: every shipped scenario validates, says what it shows, carries its own expectations, and meets
// them when run against the reference implementation.
#include "support/child.hpp"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace i1sim::test::scenario_library_test {
namespace {

std::vector<std::string> shipped_scenarios() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(source_path("scenarios")))
    if (entry.path().extension() == ".yaml")
      names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ScenarioLibrary, ShipsEveryScenarioTheIssueAsksFor) {
  const auto names = shipped_scenarios();
  for (const char* wanted :
       {"activation-basic", "converged-bill", "modify-scale-up", "cancel-in-flight", "terminate",
        "sla-violation-host-failure", "dc-outage-recovery", "jurisdiction-reject", "channel-loss-duplication",
        "cloud-oss-restart", "x-profile-two-operators", "load-ramp-to-saturation"})
    EXPECT_NE(std::find(names.begin(), names.end(), wanted), names.end()) << wanted;
  EXPECT_GE(names.size(), 12u);
}

TEST(ScenarioLibrary, EveryScenarioIsListedInTheFormatDocument) {
  const std::string readme = slurp(source_path("scenarios/README.md"));
  for (const auto& name : shipped_scenarios())
    EXPECT_NE(readme.find("[" + name + ".yaml](" + name + ".yaml)"), std::string::npos) << name;
}

class Shipped : public testing::TestWithParam<std::string> {};

TEST_P(Shipped, OpensWithACommentSayingWhatItShowsAndCarriesExpectations) {
  const std::string text = slurp(source_path("scenarios/" + GetParam() + ".yaml"));
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.rfind("# " + GetParam() + ": ", 0), 0u) << "the first line names the scenario and says what it shows";
  EXPECT_NE(text.find("\n# What it must "), std::string::npos) << "the opening comment says what the run must show";
  EXPECT_NE(text.find("\nexpect:\n"), std::string::npos) << "the scenario carries its own expectations";
}

TEST_P(Shipped, MeetsItsExpectationsAgainstTheReferenceImplementation) {
  // The scale scenarios are benchmarks (bench/README.md): the million-order month is measured, never run by the
  // tests; its hundredfold-smaller smoke version runs here, in the normal build only (the sanitizers make its
  // 10,000 orders take several minutes).
  if (GetParam() == "scale-month")
    GTEST_SKIP() << "a benchmark: bench/scale-curve.sh measures it";
#ifdef __SANITIZE_ADDRESS__
  if (GetParam() == "scale-smoke")
    GTEST_SKIP() << "10,000 orders run in the normal build";
#endif
  const std::string out = fresh_dir("library-" + GetParam());
  const auto r = run_child(
      {i1sim_binary(), "run", source_path("scenarios/" + GetParam() + ".yaml"), "--out", out, "--no-events"}, 600);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto results = nlohmann::json::parse(slurp(out + "/results.json"));
  ASSERT_TRUE(results.contains("expectations")) << results.dump(2);
  const auto& outcomes = results["expectations"]["outcomes"];
  ASSERT_FALSE(outcomes.empty());
  EXPECT_EQ(results["expectations"]["failed"], 0);
  for (const auto& o : outcomes)
    EXPECT_TRUE(o.at("met").get<bool>()) << o.dump();
  // The reference conforms in every shipped scenario: no oracle check finds anything against it.
  ASSERT_TRUE(results.contains("conformance")) << "results.json has no conformance section";
  const auto& checks = results["conformance"]["checks"];
  ASSERT_FALSE(checks.empty());
  for (const auto& c : checks) {
    const std::string verdict = c.at("verdict").get<std::string>();
    EXPECT_TRUE(verdict == "pass" || verdict == "none") << c.dump();
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, Shipped, testing::ValuesIn(shipped_scenarios()),
                         [](const testing::TestParamInfo<std::string>& param) {
                           std::string id = param.param;
                           std::replace(id.begin(), id.end(), '-', '_');
                           return id;
                         });

} // namespace
} // namespace i1sim::test::scenario_library_test
