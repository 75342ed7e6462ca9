// The test suites' scratch directories: a test process removes its own when it ends, and keeps it when a test
// failed or the user asks, so repeated suite runs do not fill the temp dir and failures leave their evidence. The
// cache of shared runs drops the entries no process has used for two days.
#include "support/child.hpp"
#include "support/shared_run.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

// The probe of the shared-run cache: one cached text, asked for once.
TEST(ScratchDirsProbe, UsesTheSharedRunCache) {
  EXPECT_EQ(shared_text("scratch-probe", [] { return std::string("made"); }), "made");
}

TEST(ScratchDirs, TheSharedRunCacheDropsEntriesUnusedForTwoDaysAndKeepsTheOthers) {
  const fs::path tmp = fresh_dir("cache-tmp");
  const fs::path cache = tmp / "i1sim-shared-runs";
  fs::create_directories(cache);
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(72);
  const auto recent = fs::file_time_type::clock::now() - std::chrono::hours(1);
  // A run and a text nobody used for three days, a run cut short three days ago (no .done), and a run used an
  // hour ago: each with its lock file, as shared_run and shared_text leave them.
  auto entry = [&](const std::string& key, bool done, fs::file_time_type when) {
    fs::create_directories(cache / key);
    std::ofstream(cache / key / "results.json") << "{}";
    if (done) {
      std::ofstream(cache / key / ".done") << 0;
      fs::last_write_time(cache / key / ".done", when);
    }
    fs::last_write_time(cache / key, when);
    std::ofstream(cache / (key + ".lock")).flush();
  };
  entry("00000000000000a1", true, old);
  entry("00000000000000a2", false, old);
  entry("00000000000000b1", true, recent);
  std::ofstream(cache / "00000000000000a3.text") << "old text";
  fs::last_write_time(cache / "00000000000000a3.text", old);
  std::ofstream(cache / "00000000000000a3.lock").flush();

  const ChildResult r =
      run_child({"/usr/bin/env", "TEST_TMPDIR=" + tmp.string(), fs::read_symlink("/proc/self/exe").string(),
                 "--gtest_filter=ScratchDirsProbe.UsesTheSharedRunCache"},
                60);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_FALSE(fs::exists(cache / "00000000000000a1")) << "unused for three days";
  EXPECT_FALSE(fs::exists(cache / "00000000000000a2")) << "cut short three days ago";
  EXPECT_FALSE(fs::exists(cache / "00000000000000a3.text")) << "unused for three days";
  EXPECT_TRUE(fs::exists(cache / "00000000000000b1" / ".done")) << "used an hour ago";
  EXPECT_TRUE(fs::exists(cache / "00000000000000b1" / "results.json"));
  EXPECT_TRUE(fs::exists(cache / "00000000000000a1.lock")) << "a lock stays: a process may wait on it";
  // The probe's own entry: made now, so kept.
  std::size_t texts = 0;
  for (const auto& e : fs::directory_iterator(cache))
    texts += e.path().extension() == ".text" ? 1 : 0;
  EXPECT_EQ(texts, 1u);
}

} // namespace
} // namespace i1sim::test::scratch_dirs_test
