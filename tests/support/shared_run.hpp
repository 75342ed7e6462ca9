// One simulation shared by every test process that needs it: ctest runs each test in its own process, and a
// run is deterministic, so the first process to ask runs it and the others read its files.
#pragma once

#include "support/child.hpp"

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

} // namespace i1sim::test
