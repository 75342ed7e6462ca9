// The SimGrid engine of a test that runs a simulation in its own process (tests/sim/, one engine per forked
// child), with the engine arguments of I1SIM_SIMGRID_ARGS: the sanitizer build needs thread contexts.
#pragma once

#include <cstdlib>
#include <memory>
#include <simgrid/s4u.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace i1sim::test {

/// An engine with command line `args` and then the words of I1SIM_SIMGRID_ARGS. SimGrid keeps pointers into its
/// command line, so the line is kept for the life of the process (one engine per process).
inline std::unique_ptr<simgrid::s4u::Engine> make_engine_with(std::vector<std::string> args) {
  static std::vector<std::string> line;
  line = std::move(args);
  if (const char* extra = std::getenv("I1SIM_SIMGRID_ARGS")) {
    std::istringstream words(extra);
    for (std::string w; words >> w;)
      line.push_back(w);
  }
  static std::vector<char*> argv;
  argv.clear();
  for (auto& a : line)
    argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  return std::make_unique<simgrid::s4u::Engine>(&argc, argv.data());
}

/// An engine whose platform is one host "h" of 1 Gflop/s with `cores` cores, its logs silenced.
inline std::unique_ptr<simgrid::s4u::Engine> make_one_host_engine(const char* program, int cores = 1) {
  auto engine = make_engine_with({program, "--log=root.thresh:critical"});
  auto* zone = simgrid::s4u::create_full_zone("zone");
  zone->create_host("h", 1e9)->set_core_count(cores);
  zone->seal();
  return engine;
}

} // namespace i1sim::test
