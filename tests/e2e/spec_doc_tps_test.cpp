// End to end: `i1sim spec doc --tps DIR` shows, under each concern, the test purposes of the shipped suite that
// cover its requirements, and the option is refused where it means nothing.
#include "support/child.hpp"

#include <gtest/gtest.h>
#include <string>

namespace i1sim::test::spec_doc_tps_test {
namespace {

TEST(SpecDocCli, ShowsTheTestPurposesUnderTheirRequirements) {
  const auto r = run_child({i1sim_binary(), "spec", "doc", source_path("conformance/spec/i1-v1.yaml"), "--tps",
                            source_path("conformance/tps")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // A TP of the ordering concern, named after the requirement it covers and before the next concern begins.
  const auto req = r.out.find("- [I1-ORD-004]");
  ASSERT_NE(req, std::string::npos) << r.out.substr(0, 2000);
  const auto tp = r.out.find("TP/I1/ORD/", req);
  ASSERT_NE(tp, std::string::npos);
  EXPECT_LT(tp, r.out.find("- [I1-ORD-005]", req));
  EXPECT_NE(r.out.find("checks: order.idempotent", req), std::string::npos);
}

TEST(SpecDocCli, WithoutTpsTheDocumentIsTheShippedOne) {
  const auto r = run_child({i1sim_binary(), "spec", "doc", source_path("conformance/spec/i1-v1.yaml")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, slurp(source_path("conformance/spec/i1-v1.md")));
}

TEST(SpecDocCli, TpsIsRefusedOutsideDoc) {
  const auto r = run_child({i1sim_binary(), "spec", "lint", source_path("conformance/spec/i1-v1.yaml"), "--tps",
                            source_path("conformance/tps")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--tps applies to spec doc only"), std::string::npos) << r.err;
}

TEST(SpecDocCli, ABrokenSuiteIsReportedAndNothingIsPrinted) {
  const auto r = run_child({i1sim_binary(), "spec", "doc", source_path("conformance/spec/i1-v1.yaml"), "--tps",
                            source_path("scenarios")});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("i1sim: error: "), std::string::npos) << r.err;
}

} // namespace
} // namespace i1sim::test::spec_doc_tps_test
