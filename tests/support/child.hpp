// Runs a program as a child process (a real process, as a user would), capturing its output and exit code.
#pragma once

#include <string>
#include <vector>

namespace i1sim::test {

struct ChildResult {
  int exit_code = -1; // -1 when killed by a signal or the time limit
  int signal = 0;
  bool timed_out = false;
  std::string out;
  std::string err;
};

/// Runs `argv` (argv[0] is the program path) with the given time limit in seconds.
ChildResult run_child(const std::vector<std::string>& argv, double time_limit = 120);

/// The i1sim executable built alongside the tests.
std::string i1sim_binary();
/// A path under the repository.
std::string source_path(const std::string& relative);
/// A fresh empty directory under the test temporary directory.
std::string fresh_dir(const std::string& name);
/// Whole content of a file ("" if it does not exist).
std::string slurp(const std::string& path);

} // namespace i1sim::test
