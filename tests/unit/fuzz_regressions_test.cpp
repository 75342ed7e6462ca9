// Replays every input of tests/fuzz/regressions/ (inputs that once crashed, hung or broke a fuzz target) through the
// fuzzers' own entry points, in the normal and the sanitizer builds: each must be accepted or refused with its
// parser's documented error, quickly.
#include "fuzz/entry_points.hpp"
#include "scenario/scenario.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <filesystem>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <typeinfo>
#include <unistd.h>
#include <vector>

namespace i1sim::fuzz::fuzz_regressions_test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kRegressions = fs::path(I1SIM_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
// How long and how much memory one input may take. Far above the fuzzers' 1 s, so a Debug sanitizer build on a
// busy machine stays clear of it, yet an input that hangs again fails here instead of at the test runner's timeout;
// the memory limit is the fuzzers' -rss_limit_mb, so an input that makes a parser eat memory cannot take the test
// machine with it.
struct Limits {
  std::chrono::milliseconds time{10'000};
  long rss_mb = 2048;
  bool quiet = false; // the child's own reports (a sanitizer's) go nowhere: for the judge's stand-ins
};

std::string type_name(const std::type_info& type) {
  int status = 0;
  const std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status),
                                                    std::free);
  return status == 0 && name ? name.get() : type.name();
}

// What went wrong when `target` ran on `data`: empty when it returned, which the entry point does exactly when
// the parser accepted the input or refused it with its own error.
std::string misbehaviour(const Target& target, std::string_view data) {
  try {
    target.run(data);
  } catch (const std::exception& e) {
    return type_name(typeid(e)) + ": " + e.what();
  } catch (...) {
    return "an exception that is no std::exception";
  }
  return {};
}

long rss_mb(pid_t pid) {
  std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024) / 1024;
}

// misbehaviour() in a child process watched like a fuzzer watches its target: a crash, a sanitizer report, a hang
// or runaway memory is reported instead of ending or stalling the whole test binary.
std::string misbehaviour_in_child(const Target& target, std::string_view data, const Limits& limits = {}) {
  int out[2];
  if (pipe(out) != 0)
    return "pipe() failed";
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0)
    return "fork() failed";
  if (pid == 0) {
    close(out[0]);
    if (limits.quiet && !std::freopen("/dev/null", "w", stderr))
      _exit(4);
    const std::string problem = misbehaviour(target, data).substr(0, 4000); // well within a pipe's buffer
    const ssize_t written = write(out[1], problem.data(), problem.size());
    _exit(written == static_cast<ssize_t>(problem.size()) ? 0 : 3);
  }
  close(out[1]);
  const auto start = std::chrono::steady_clock::now();
  std::string limit;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (const long mb = rss_mb(pid); mb > limits.rss_mb)
      limit = "used " + std::to_string(mb) + " MB, more than " + std::to_string(limits.rss_mb) + " MB";
    else if (std::chrono::steady_clock::now() - start > limits.time)
      limit = "ran longer than " + std::to_string(limits.time.count()) + " ms";
    if (!limit.empty()) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::string problem;
  char buffer[4096];
  for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) > 0;)
    problem.append(buffer, static_cast<std::size_t>(n));
  close(out[0]);
  if (!limit.empty())
    return limit;
  if (WIFSIGNALED(status))
    return "died of signal " + std::to_string(WTERMSIG(status)) + " (its report is above)";
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "exited with status " + std::to_string(WEXITSTATUS(status)) + " (its report is above)";
  return problem;
}

// Regression files are named <target>-<sha1 of the input>, as scripts/fuzz saves them; README.md explains them.
std::vector<fs::path> regression_files() {
  std::vector<fs::path> out;
  if (fs::is_directory(kRegressions))
    for (const auto& e : fs::directory_iterator(kRegressions))
      if (e.is_regular_file() && e.path().filename() != "README.md")
        out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One test over the whole directory rather than one per file, so a file added since the last build is replayed
// too (test discovery only sees the files present when the binary was linked).
TEST(FuzzRegressions, EveryInputIsAcceptedOrRefusedWithItsParsersErrorInTime) {
  for (const fs::path& file : regression_files()) {
    const std::string name = file.filename().string();
    SCOPED_TRACE(name);
    const auto dash = name.rfind('-');
    const Target* target = dash == std::string::npos ? nullptr : find_target(name.substr(0, dash));
    if (!target) {
      ADD_FAILURE() << name << ": expected <target>-<sha1> naming one of the fuzz targets";
      continue;
    }
    std::ifstream probe(file, std::ios::binary);
    if (!probe.good()) {
      ADD_FAILURE() << file << " cannot be read";
      continue;
    }
    EXPECT_EQ(misbehaviour_in_child(*target, read_bytes(file)), "")
        << name << " misbehaved in " << target->name << "'s entry point; reproduce with build-fuzz/tests/fuzz/fuzz_"
        << target->name << " " << file.string();
  }
}

// The judge itself: a stand-in entry point that lets a foreign exception through must be caught and named, and
// one that returns must pass; otherwise every replay above could pass whatever the parsers do.
TEST(FuzzRegressionJudge, NamesAnExceptionThatEscapesTheEntryPoint) {
  const Target leaks{"leaks", [](std::string_view) { throw std::out_of_range("vector::at"); }};
  EXPECT_EQ(misbehaviour(leaks, "x"), "std::out_of_range: vector::at");
  const Target odd{"odd", [](std::string_view) { throw 42; }};
  EXPECT_EQ(misbehaviour(odd, "x"), "an exception that is no std::exception");
  const Target quiet{"quiet", [](std::string_view) {}};
  EXPECT_EQ(misbehaviour(quiet, "x"), "");
}

// Memory the runaway stand-in below keeps where the optimiser cannot prove nobody reads it.
std::vector<std::unique_ptr<char[]>> hoard;

TEST(FuzzRegressionJudge, ReportsACrashAHangAndRunawayMemoryInTheChild) {
  const Limits tight{std::chrono::milliseconds(500), 256, true};
  const Target leaks{"leaks", [](std::string_view) { throw std::out_of_range("vector::at"); }};
  EXPECT_EQ(misbehaviour_in_child(leaks, "x", tight), "std::out_of_range: vector::at");
  const Target quiet{"quiet", [](std::string_view) {}};
  EXPECT_EQ(misbehaviour_in_child(quiet, "x", tight), "");
  // Under AddressSanitizer the crash ends in its report and exit status 1 rather than the signal itself. Writing
  // that report (symbolising the stack) took over 500 ms on a loaded machine and was taken for a hang, so the
  // crash gets time enough to be reported as what it is.
  const Target crashes{"crashes", [](std::string_view) { std::raise(SIGSEGV); }};
  const Limits time_to_report{std::chrono::seconds(30), 256, true};
  EXPECT_THAT(misbehaviour_in_child(crashes, "x", time_to_report), HasSubstr("(its report is above)"));
  const Target hangs{"hangs", [](std::string_view) {
                       for (;;)
                         std::this_thread::sleep_for(std::chrono::seconds(1));
                     }};
  EXPECT_EQ(misbehaviour_in_child(hangs, "x", tight), "ran longer than 500 ms");
  const Target hogs{"hogs", [](std::string_view) {
                      for (;;) { // written to, so it is resident: like reading /dev/zero into a string
                        hoard.push_back(std::make_unique<char[]>(16 << 20));
                        std::memset(hoard.back().get(), 1, 16 << 20);
                      }
                    }};
  // Time enough to reach the memory limit even on a busy machine: the memory limit must be what stops it.
  EXPECT_THAT(misbehaviour_in_child(hogs, "x", {std::chrono::seconds(20), 64, true}), HasSubstr("MB, more than 64 MB"));
}

TEST(FuzzRegressionJudge, TheLoaderEntryPointSwallowsOnlyScenarioErrors) {
  // Not YAML at all, and YAML that is no scenario: both refused with a ScenarioError, which the entry point keeps.
  const Target* load = find_target("scenario_load");
  ASSERT_NE(load, nullptr);
  EXPECT_EQ(misbehaviour(*load, "name: [unclosed"), "");
  EXPECT_EQ(misbehaviour(*load, "- a list, not a mapping"), "");
  // The same text loaded directly must throw ScenarioError, or the entry point above hides nothing at all.
  EXPECT_THROW(scenario::load_from_string("name: [unclosed", kFuzzFile), scenario::ScenarioError);
}

TEST(FuzzOverrideInput, SetLinesEndAtTheSeparatorLine) {
  const auto [sets, text] = split_override_input("seed=3\nname=x\n%%\nname: a\n");
  EXPECT_EQ(sets, (std::vector<std::string>{"seed=3", "name=x"}));
  EXPECT_EQ(text, "name: a\n");
}

TEST(FuzzOverrideInput, WithoutTheSeparatorTheFirstLineIsTheOnlySet) {
  const auto [sets, text] = split_override_input("seed=3\nname: a\n");
  EXPECT_EQ(sets, (std::vector<std::string>{"seed=3"}));
  EXPECT_EQ(text, "name: a\n");
}

TEST(FuzzOverrideInput, ALeadingSeparatorMeansNoSet) {
  const auto [sets, text] = split_override_input("%%\nname: a\n");
  EXPECT_TRUE(sets.empty());
  EXPECT_EQ(text, "name: a\n");
}

} // namespace
} // namespace i1sim::fuzz::fuzz_regressions_test
