// The command line: help and version, and one clear line plus the usage and exit 2 for every bad input.
#include "support/child.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

namespace i1sim::test::cli_test {
namespace {

std::size_t count_lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

/// A refused command line: exit 2, nothing on stdout, one error line then one usage line on stderr.
void expect_refused(const std::vector<std::string>& args, const std::string& needle) {
  std::vector<std::string> argv{i1sim_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  const ChildResult r = run_child(argv);
  SCOPED_TRACE(r.err);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.signal, 0);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(r.err.rfind("i1sim: error: ", 0), 0u);
  EXPECT_NE(r.err.find(needle), std::string::npos) << "expected '" << needle << "'";
  EXPECT_EQ(count_lines(r.err), 2u);
  EXPECT_NE(r.err.find("\nusage: i1sim "), std::string::npos);
}

TEST(Cli, VersionPrintsTheToolVersion) {
  const auto r = run_child({i1sim_binary(), "--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("i1sim 0.", 0), 0u) << r.out;
}

TEST(Cli, HelpListsEveryCommand) {
  const auto r = run_child({i1sim_binary(), "help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("  run "), std::string::npos);
  EXPECT_NE(r.out.find("  help "), std::string::npos);
}

TEST(Cli, HelpOfACommandShowsItsOptions) {
  const auto r = run_child({i1sim_binary(), "help", "run"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* option : {"--iut", "--seed", "--out", "--no-events"})
    EXPECT_NE(r.out.find(option), std::string::npos) << option;
  const auto same = run_child({i1sim_binary(), "run", "--help"});
  EXPECT_EQ(same.out, r.out);
}

TEST(Cli, NoArgumentsShowsTheOverviewAndExits2) {
  const auto r = run_child({i1sim_binary()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("usage: i1sim COMMAND"), std::string::npos);
}

TEST(Cli, UnknownCommandIsRefused) { expect_refused({"frobnicate"}, "unknown command 'frobnicate'"); }

TEST(Cli, UnknownTopLevelOptionIsRefused) { expect_refused({"--frobnicate"}, "unknown option '--frobnicate'"); }

TEST(Cli, UnknownOptionOfACommandIsRefused) {
  expect_refused({"run", source_path("scenarios/activation-basic.yaml"), "--speed", "3"}, "--speed");
}

TEST(Cli, HelpOnAnUnknownCommandIsRefused) { expect_refused({"help", "frobnicate"}, "no command 'frobnicate'"); }

TEST(Cli, MissingScenarioArgumentIsRefused) { expect_refused({"run"}, "missing SCENARIO"); }

TEST(Cli, MissingScenarioFileIsRefused) {
  expect_refused({"run", "no/such/scenario.yaml"}, "no/such/scenario.yaml: cannot read: No such file or directory");
}

TEST(Cli, DirectoryAsScenarioIsRefused) { expect_refused({"run", source_path("scenarios")}, "is a directory"); }

TEST(Cli, UnreadableScenarioFileIsRefused) {
  const auto dir = fresh_dir("unreadable");
  const auto path = dir + "/secret.yaml";
  std::ofstream(path) << "name: x\n";
  std::filesystem::permissions(path, std::filesystem::perms::none);
  std::vector<std::string> as_user; // root reads any file, so as root the command runs as 'nobody'
  if (geteuid() == 0) {
    as_user = {"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"};
    std::vector<std::string> probe = as_user;
    probe.insert(probe.end(), {i1sim_binary(), "--version"});
    if (!std::filesystem::exists(as_user[0]) || run_child(probe).exit_code != 0)
      GTEST_SKIP() << "running as root and 'nobody' cannot run " << i1sim_binary() << " here";
  }
  std::vector<std::string> argv = as_user;
  argv.insert(argv.end(), {i1sim_binary(), "run", path});
  const ChildResult r = run_child(argv);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("i1sim: error: " + path + ": cannot read: Permission denied\n", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("\nusage: i1sim run"), std::string::npos) << r.err;
}

TEST(Cli, BadSeedIsRefused) {
  expect_refused({"run", source_path("scenarios/activation-basic.yaml"), "--seed", "seven"}, "--seed: 'seven'");
  expect_refused({"run", source_path("scenarios/activation-basic.yaml"), "--seed", "-1"}, "--seed");
}

TEST(Cli, UnknownImplementationIsRefused) {
  expect_refused({"run", source_path("scenarios/activation-basic.yaml"), "--iut", "nosuch"},
                 "--iut: no implementation 'nosuch'");
}

TEST(Cli, ABadSimGridOptionIsOneLineNotADumpOfEveryKey) {
  const auto dir = fresh_dir("bad-simgrid");
  const auto r = run_child({i1sim_binary(), "run", source_path("scenarios/activation-basic.yaml"), "--out", dir,
                            "--simgrid=--cfg=no/such:1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "i1sim: error: SimGrid refused its options: Bad config key: no/such\n");
  EXPECT_FALSE(std::filesystem::exists(dir + "/results.json"));
}

TEST(Cli, InvalidScenarioIsReportedWithFileLineAndColumnAndNoResult) {
  const auto dir = fresh_dir("invalid-scenario");
  const auto path = dir + "/broken.yaml";
  std::ofstream(path) << "name: broken\nseed: 1\nplatfrom: {}\n";
  const auto out = dir + "/out";
  const auto r = run_child({i1sim_binary(), "run", path, "--out", out});
  EXPECT_EQ(r.exit_code, 2);
  // Every problem, one line each in file order: the required keys the mapping lacks, then the misspelt one.
  std::string expected;
  for (const char* key : {"platform", "catalogue", "workload", "stop"})
    expected += "i1sim: error: " + path + ":1:1: missing required key '" + key + "'\n";
  expected += "i1sim: error: " + path +
              ":3:1: unknown key 'platfrom' (known: name, description, seed, platform, cloud_oss, catalogue, "
              "customers, workload, stop, failures, billing, telecom, i1, timeline, expect)\n";
  EXPECT_EQ(r.err, expected);
  EXPECT_FALSE(std::filesystem::exists(out + "/results.json"));
  EXPECT_FALSE(std::filesystem::exists(out + "/events.jsonl"));
}

TEST(Cli, UnwritableOutputDirectoryIsRefusedWithoutACrash) {
  const auto dir = fresh_dir("unwritable");
  const auto blocker = dir + "/file";
  std::ofstream(blocker) << "x";
  const auto r =
      run_child({i1sim_binary(), "run", source_path("scenarios/activation-basic.yaml"), "--out", blocker + "/out"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.signal, 0);
  EXPECT_NE(r.err.find("cannot create the output directory"), std::string::npos) << r.err;
}

} // namespace
} // namespace i1sim::test::cli_test
