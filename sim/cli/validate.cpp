// `i1sim validate`: checks scenario files strictly, reporting every problem of each, without running anything.
#include "cli/commands.hpp"
#include "scenario/scenario.hpp"
#include "util/units.hpp"

#include <fmt/format.h>
#include <iostream>

namespace po = boost::program_options;

namespace i1sim::cli {

std::vector<scenario::Override> overrides_of(const po::variables_map& vm) {
  std::vector<scenario::Override> out;
  if (!vm.count("set"))
    return out;
  for (const auto& text : vm["set"].as<std::vector<std::string>>()) {
    try {
      out.push_back(scenario::parse_override(text));
    } catch (const std::invalid_argument& e) {
      throw UsageError(fmt::format("--set {}", e.what()));
    }
  }
  return out;
}

namespace {

std::string summary(const scenario::Scenario& sc) {
  std::size_t hosts = 0;
  for (const auto& dc : sc.platform.data_centres)
    for (const auto& hc : dc.host_classes)
      hosts += static_cast<std::size_t>(hc.count);
  return fmt::format("{} ({} data centre{}, {} hosts, {} orders, {} fault{} on the timeline, {} expectation{}, "
                     "ends by {})",
                     sc.name, sc.platform.data_centres.size(), sc.platform.data_centres.size() == 1 ? "" : "s", hosts,
                     sc.workload.orders, sc.timeline.size(), sc.timeline.size() == 1 ? "" : "s", sc.expect.size(),
                     sc.expect.size() == 1 ? "" : "s", units::format_duration(sc.stop.max_time));
}

} // namespace

int validate_command(const po::variables_map& vm) {
  if (!vm.count("file"))
    throw UsageError("name at least one scenario file, e.g. i1sim validate scenarios/*.yaml");
  const auto overrides = overrides_of(vm);
  bool invalid = false, unreadable = false;
  for (const auto& path : vm["file"].as<std::vector<std::string>>()) {
    std::string text;
    try {
      text = read_input_file(path, "scenario");
    } catch (const UsageError& e) {
      std::cerr << e.what() << "\n";
      unreadable = true;
      continue;
    }
    try {
      const scenario::Scenario sc = scenario::load_from_string(text, path, overrides);
      std::cout << fmt::format("{}: ok: {}\n", path, summary(sc));
    } catch (const scenario::ScenarioErrors& e) {
      for (const auto& error : e.errors())
        std::cerr << error.what() << "\n";
      std::cerr << fmt::format("{}: {} error{}\n", path, e.errors().size(), e.errors().size() == 1 ? "" : "s");
      invalid = true;
    }
  }
  return unreadable ? kUsage : invalid ? kFailed : kOk;
}

} // namespace i1sim::cli
