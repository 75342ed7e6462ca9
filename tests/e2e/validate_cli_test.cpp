// End to end: `i1sim validate` and `i1sim run --set` as a user runs them: exit codes, every error on stderr, and
// overrides that really change the run and are recorded in results.json.
#include "support/child.hpp"
#include "support/text_edit.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace i1sim::test::validate_cli_test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kActivation = source_path("scenarios/activation-basic.yaml");

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

ChildResult i1sim(std::vector<std::string> args, double time_limit = 120) {
  args.insert(args.begin(), i1sim_binary());
  return run_child(args, time_limit);
}

// Text with '@' markers removed, and the line:col of each marker in what remains.
struct Marked {
  std::string text;
  std::vector<std::string> places; // "line:col"
};

Marked strip_markers(const std::string& marked) {
  Marked out;
  int line = 1, column = 1;
  for (char c : marked) {
    if (c == '@') {
      out.places.push_back(std::to_string(line) + ":" + std::to_string(column));
      continue;
    }
    out.text += c;
    line += c == '\n' ? 1 : 0;
    column = c == '\n' ? 1 : column + 1;
  }
  return out;
}

std::string write(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// activation-basic with three problems, in three sections.
Marked three_errors() {
  std::string text = read_file(kActivation);
  text = replace_once(text, "{name: std, count: 40,", "{name: std, count: @0,");
  text = replace_once(text, "{product: studio-bundle, weight: 1}", "{product: @gold, weight: 1}");
  text = replace_once(text, "  max_time: 2h", "  max_time: @7200");
  return strip_markers(text);
}

TEST(ValidateCli, EveryShippedScenarioIsValid) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(source_path("scenarios")))
    if (entry.path().extension() == ".yaml")
      files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 3u);
  std::vector<std::string> args{"validate"};
  args.insert(args.end(), files.begin(), files.end());
  const ChildResult r = i1sim(args);
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const auto out = lines_of(r.out);
  ASSERT_EQ(out.size(), files.size()) << r.out;
  for (std::size_t i = 0; i < files.size(); ++i)
    EXPECT_THAT(out[i], StartsWith(files[i] + ": ok: "));
}

TEST(ValidateCli, ABrokenFileListsEveryErrorThenACount) {
  const Marked m = three_errors();
  const std::string path = write(fresh_dir("validate-broken"), "broken.yaml", m.text);
  const ChildResult r = i1sim({"validate", path});
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  const auto err = lines_of(r.err);
  ASSERT_EQ(err.size(), 4u) << r.err;
  const char* paths[] = {"platform.data_centres[0].hosts[0].count: ", "workload.mix[1].product: ", "stop.max_time: "};
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_THAT(err[i], StartsWith(path + ":" + m.places[i] + ": " + paths[i]));
  EXPECT_THAT(err[1], HasSubstr("'gold'"));
  EXPECT_EQ(err[3], path + ": 3 errors");
}

TEST(ValidateCli, OneErrorIsCountedInTheSingular) {
  const std::string text = replace_once(read_file(kActivation), "  max_time: 2h", "  max_time: 7200");
  const std::string path = write(fresh_dir("validate-one"), "one.yaml", text);
  const ChildResult r = i1sim({"validate", path});
  EXPECT_EQ(r.exit_code, 1);
  const auto err = lines_of(r.err);
  ASSERT_EQ(err.size(), 2u) << r.err;
  EXPECT_EQ(err[1], path + ": 1 error");
}

TEST(ValidateCli, GoodAndBrokenFilesAreEachJudged) {
  const std::string broken = write(fresh_dir("validate-mixed"), "broken.yaml", three_errors().text);
  const ChildResult r = i1sim({"validate", kActivation, broken});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto out = lines_of(r.out);
  ASSERT_EQ(out.size(), 1u) << r.out;
  EXPECT_THAT(out[0], StartsWith(kActivation + ": ok: activation-basic"));
  EXPECT_THAT(r.err, HasSubstr(broken + ": 3 errors"));
}

TEST(ValidateCli, AMissingFileExits2AndTheOthersAreStillJudged) {
  const ChildResult alone = i1sim({"validate", "no/such/scenario.yaml"});
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_THAT(alone.err, HasSubstr("no/such/scenario.yaml"));

  const std::string broken = write(fresh_dir("validate-missing"), "broken.yaml", three_errors().text);
  const ChildResult r = i1sim({"validate", kActivation, "no/such/scenario.yaml", broken});
  EXPECT_EQ(r.exit_code, 2) << "a file that cannot be read outranks an invalid one";
  EXPECT_THAT(r.out, HasSubstr(kActivation + ": ok: "));
  EXPECT_THAT(r.err, HasSubstr("no/such/scenario.yaml"));
  EXPECT_THAT(r.err, HasSubstr(broken + ": 3 errors"));
}

TEST(ValidateCli, NoFileIsAUsageError) {
  const ChildResult r = i1sim({"validate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
}

TEST(ValidateCli, ABadOverrideIsReportedAgainstItsText) {
  const ChildResult r = i1sim({"validate", kActivation, "--set", "workload.arrival.rate=fast"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto err = lines_of(r.err);
  ASSERT_EQ(err.size(), 2u) << r.err;
  EXPECT_THAT(err[0], StartsWith("--set workload.arrival.rate=fast: workload.arrival.rate: "));
  EXPECT_THAT(err[0], HasSubstr("'fast'"));
  EXPECT_EQ(err[1], kActivation + ": 1 error");
}

TEST(ValidateCli, AnOverrideThatFixesAFileMakesItValid) {
  const std::string text = replace_once(read_file(kActivation), "{name: std, count: 40,", "{name: std, count: 0,");
  const std::string path = write(fresh_dir("validate-fixed"), "fixable.yaml", text);
  EXPECT_EQ(i1sim({"validate", path}).exit_code, 1);
  const ChildResult r = i1sim({"validate", path, "--set", "platform.data_centres[0].hosts[0].count=2000"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("2024 hosts")); // 2000 std + 24 fast
}

TEST(ValidateCli, SeveralOverridesApplyInOrder) {
  const ChildResult r = i1sim({"validate", kActivation, "--set", "workload.orders=5", "--set", "workload.orders=9"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("9 orders"));
}

TEST(ValidateCli, AnOverrideWithoutEqualsIsAUsageError) {
  const ChildResult r = i1sim({"validate", kActivation, "--set", "workload.orders"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("workload.orders"));
}

TEST(ValidateCli, OddYamlNeverCrashesIt) {
  const std::string dir = fresh_dir("validate-odd");
  std::string nested_maps;
  for (int i = 0; i < 200'000; ++i)
    nested_maps += "{a: ";
  const std::vector<std::string> texts{
      "",
      "- a\n- b\n",
      "just words\n",
      "name: " + std::string(200'000, '[') + "\n",
      "platform: " + nested_maps + "1" + std::string(200'000, '}') + "\n",
      "name: !!binary aGVsbG8=\nseed: &s 1\ncustomers: {count: *s}\n",
      "? [a, b]\n: c\n",
      "name: " + std::string(2'000'000, 'n') + "\n",
      std::string("name: a\0b\n", 10),
  };
  for (std::size_t i = 0; i < texts.size(); ++i) {
    SCOPED_TRACE(i);
    const std::string path = write(dir, "odd-" + std::to_string(i) + ".yaml", texts[i]);
    const ChildResult r = i1sim({"validate", path}, 60);
    EXPECT_EQ(r.signal, 0) << r.err.substr(0, 500);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.exit_code, 1) << r.err.substr(0, 500);
    EXPECT_THAT(r.err, HasSubstr(path + ": ")) << r.err.substr(0, 500);
    EXPECT_THAT(r.err, Not(HasSubstr("internal error"))) << r.err.substr(0, 500);
  }
}

// ---- `i1sim run --set` ----

struct RunOutcome {
  ChildResult child;
  std::string dir;
  nlohmann::json results;
};

RunOutcome run_activation(const std::string& name, const std::vector<std::string>& extra) {
  RunOutcome r;
  r.dir = fresh_dir(name) + "/out";
  std::vector<std::string> args{"run", kActivation, "--seed", "7", "--no-events", "--out", r.dir};
  args.insert(args.end(), extra.begin(), extra.end());
  r.child = i1sim(args, 300);
  const std::string json = slurp(r.dir + "/results.json");
  if (!json.empty())
    r.results = nlohmann::json::parse(json, nullptr, false);
  return r;
}

// The shipped scenario may assert on its 200 orders; each run here replaces its expectations with its own, so that
// exit 0 means the overridden values were the ones run.
TEST(RunWithSet, RunsTheOverriddenNumberOfOrdersAndRecordsIt) {
  const RunOutcome five =
      run_activation("run-set-5", {"--set", "workload.orders=5", "--set", "expect=[orders.submitted == 5]"});
  ASSERT_EQ(five.child.exit_code, 0) << five.child.err;
  ASSERT_TRUE(five.results.is_object());
  EXPECT_EQ(five.results["metrics"]["orders"]["submitted"], 5);
  EXPECT_EQ(five.results["run"]["overrides"],
            nlohmann::json::array({"workload.orders=5", "expect=[orders.submitted == 5]"}));
  EXPECT_THAT(five.child.out, HasSubstr("5 submitted"));

  const RunOutcome plain = run_activation("run-set-none", {});
  ASSERT_TRUE(plain.results.is_object()) << plain.child.err;
  EXPECT_EQ(plain.results["metrics"]["orders"]["submitted"], 200);
  EXPECT_FALSE(plain.results["run"].contains("overrides"));
  ASSERT_TRUE(five.results["run"]["scenario_sha256"].is_string());
  EXPECT_NE(five.results["run"]["scenario_sha256"], plain.results["run"]["scenario_sha256"]);
}

TEST(RunWithSet, AnOverriddenOrderCountIsWhatTheExpectationsSee) {
  const RunOutcome r =
      run_activation("run-set-expect", {"--set", "workload.orders=3", "--set", "expect=[orders.submitted == 4]"});
  EXPECT_EQ(r.child.exit_code, 1) << r.child.err;
  EXPECT_THAT(r.child.err, HasSubstr("orders.submitted == 4"));
  ASSERT_TRUE(r.results.is_object());
  EXPECT_EQ(r.results["metrics"]["orders"]["submitted"], 3);
}

TEST(RunWithSet, RecordsEveryOverrideInOrder) {
  const RunOutcome r =
      run_activation("run-set-two", {"--set", "workload.orders=6", "--set", "workload.arrival.rate=5/s", "--set",
                                     "workload.orders=4", "--set", "expect=[]"});
  ASSERT_EQ(r.child.exit_code, 0) << r.child.err;
  EXPECT_EQ(r.results["metrics"]["orders"]["submitted"], 4);
  EXPECT_EQ(r.results["run"]["overrides"], nlohmann::json::array({"workload.orders=6", "workload.arrival.rate=5/s",
                                                                  "workload.orders=4", "expect=[]"}));
}

TEST(RunWithSet, ABadOverrideExits2WithoutCreatingResults) {
  const RunOutcome r = run_activation("run-set-bad", {"--set", "workload.orders=0"});
  EXPECT_EQ(r.child.exit_code, 2) << r.child.err;
  EXPECT_THAT(r.child.err, HasSubstr("--set workload.orders=0: workload.orders: "));
  EXPECT_FALSE(fs::exists(r.dir)) << "a refused run leaves no output";
}

TEST(RunWithSet, AnOverrideWithoutEqualsIsAUsageError) {
  const RunOutcome r = run_activation("run-set-usage", {"--set", "workload.orders"});
  EXPECT_EQ(r.child.exit_code, 2);
  EXPECT_THAT(r.child.err, HasSubstr("usage: i1sim run"));
  EXPECT_FALSE(fs::exists(r.dir));
}

TEST(RunWithSet, ABrokenScenarioExits2ListingEveryError) {
  const Marked m = three_errors();
  const std::string dir = fresh_dir("run-broken");
  const std::string path = write(dir, "broken.yaml", m.text);
  const ChildResult r = i1sim({"run", path, "--out", dir + "/out"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  for (const auto& place : m.places)
    EXPECT_THAT(r.err, HasSubstr(path + ":" + place + ": ")) << r.err;
  EXPECT_FALSE(fs::exists(dir + "/out"));
}

} // namespace
} // namespace i1sim::test::validate_cli_test
