// One simulation shared by every test process that needs it: ctest runs each test in its own process, and a
// run is deterministic, so the first process to ask runs it and the others read its files.
#pragma once

#include "support/child.hpp"

#include <functional>
#include <string>
#include <vector>

namespace i1sim::test {

struct SharedRun {
  ChildResult child; // the run's exit code and output (as the first process saw them)
  std::string dir;   // its output directory (events.jsonl, results.json)
};

/// `i1sim run <args...> --out DIR`, run once per distinct (i1sim binary, arguments, scenario file contents)
/// across concurrent test processes (a file lock serialises them), then reused.
SharedRun shared_run(const std::vector<std::string>& args, const std::string& scenario_path);

/// `make()`'s text, computed once per distinct (`name`, this test binary) across concurrent test processes and
/// then read back: for a costly derivation every test of a suite needs (judging a shared run's events again),
/// since ctest runs each test in a process of its own. Keyed by the test binary, so a rebuild computes afresh.
std::string shared_text(const std::string& name, const std::function<std::string()>& make);

} // namespace i1sim::test
