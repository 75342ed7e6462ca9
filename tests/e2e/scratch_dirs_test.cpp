// The test suites' scratch directories: a test process removes its own when it ends, and keeps it when a test
// failed or the user asks, so repeated suite runs do not fill the temp dir and failures leave their evidence.
#include "support/child.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace i1sim::test::scratch_dirs_test {
namespace {

namespace fs = std::filesystem;

// The probe the other tests run in a child process of this binary. On its own it just makes a scratch directory;
// with I1SIM_SCRATCH_PROBE_FAIL set it also fails, as a broken test would.
TEST(ScratchDirsProbe, MakesAFreshDirectory) {
  const std::string dir = fresh_dir("probe");
  EXPECT_TRUE(fs::is_directory(dir));
  EXPECT_EQ(std::getenv("I1SIM_SCRATCH_PROBE_FAIL"), nullptr) << "failing on purpose, as asked";
}

/// The entries the probe left under a temp dir of its own, after running it with `env` assignments.
std::vector<std::string> left_after_probe(const std::vector<std::string>& env, int expected_exit) {
  const fs::path tmp = fresh_dir("probe-tmp");
  std::vector<std::string> argv{"/usr/bin/env", "TEST_TMPDIR=" + tmp.string()};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.push_back(fs::read_symlink("/proc/self/exe").string());
  argv.push_back("--gtest_filter=ScratchDirsProbe.MakesAFreshDirectory");
  const ChildResult r = run_child(argv, 60);
  EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
  std::vector<std::string> left;
  for (const auto& e : fs::recursive_directory_iterator(tmp))
    left.push_back(fs::relative(e.path(), tmp).string());
  return left;
}

TEST(ScratchDirs, APassingTestProcessRemovesItsScratchDirectory) {
  EXPECT_EQ(left_after_probe({}, 0), std::vector<std::string>{});
}

TEST(ScratchDirs, AFailingTestProcessKeepsItsFilesAsEvidence) {
  const auto left = left_after_probe({"I1SIM_SCRATCH_PROBE_FAIL=1"}, 1);
  ASSERT_EQ(left.size(), 2u) << ::testing::PrintToString(left);
  std::vector<std::string> sorted = left;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_TRUE(sorted[0].starts_with("i1sim-")) << sorted[0];
  EXPECT_EQ(sorted[1], sorted[0] + "/probe");
}

TEST(ScratchDirs, TheUserCanKeepThemWithAnEnvironmentVariable) {
  const auto left = left_after_probe({"I1SIM_KEEP_TEST_DIRS=1"}, 0);
  EXPECT_EQ(left.size(), 2u) << ::testing::PrintToString(left);
}

} // namespace
} // namespace i1sim::test::scratch_dirs_test
