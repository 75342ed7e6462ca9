// `i1sim judge`: the conformance verdicts of a saved event stream, exactly as the run that wrote it judged them.
#include "cli/commands.hpp"
#include "conformance/oracles/checks.hpp"
#include "scenario/scenario.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>

namespace po = boost::program_options;

namespace i1sim::cli {

int judge_command(const po::variables_map& vm) {
  if (!vm.count("scenario") || !vm.count("events"))
    throw UsageError("name the scenario and the saved stream, e.g. judge scenarios/terminate.yaml "
                     "results/terminate/events.jsonl");
  const std::string path = vm["scenario"].as<std::string>();
  const std::string events = vm["events"].as<std::string>();
  const std::string text = read_input_file(path, "scenario");
  if (std::filesystem::is_directory(events))
    throw UsageError(fmt::format("{}: is a directory, not an events file", events));
  if (!std::ifstream(events))
    throw UsageError(fmt::format("{}: cannot read: {}", events, std::strerror(errno)));
  const scenario::Scenario sc = scenario::load_from_string(text, path, overrides_of(vm));
  nlohmann::ordered_json section;
  try {
    section = conformance::judge_events(sc, events);
  } catch (const std::runtime_error& e) { // an unreadable event, named by file and line
    std::cerr << "i1sim: error: " << e.what() << "\n";
    return kUsage;
  }
  std::cout << section.dump(2) << "\n";
  bool bad = false;
  if (section.contains("checks") && section["checks"].is_array())
    for (const auto& c : section["checks"]) {
      const std::string v = c.is_object() ? c.value("verdict", std::string()) : std::string();
      bad = bad || v == "fail" || v == "error";
    }
  return bad ? kFailed : kOk;
}

} // namespace i1sim::cli
