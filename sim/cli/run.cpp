// `i1sim run`: one simulation in this process, then a short summary on the terminal.
#include "cli/commands.hpp"
#include "conformance/oracles/checks.hpp"
#include "i1sim/iut.hpp"
#include "run/expectations.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"
#include "util/units.hpp"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace i1sim::cli {
namespace {

std::string human_bytes(double b) {
  if (b >= 1e9)
    return fmt::format("{:.2f} GB", b / 1e9);
  if (b >= 1e6)
    return fmt::format("{:.2f} MB", b / 1e6);
  if (b >= 1e3)
    return fmt::format("{:.1f} kB", b / 1e3);
  return fmt::format("{:.0f} B", b);
}

void print_summary(const run::RunResult& r, double wall_seconds) {
  const auto& run = r.results["run"];
  const auto& m = r.results["metrics"];
  const auto& o = m["orders"];
  std::cout << fmt::format("i1sim: {} against '{}', seed {}\n", run["scenario_name"].get<std::string>(),
                           run["iut"].get<std::string>(), run["seed"].get<std::uint64_t>());
  std::cout << fmt::format("  orders           {} submitted, {} completed, {} failed, {} unresolved\n",
                           o["submitted"].get<std::uint64_t>(), o["completed"].get<std::uint64_t>(),
                           o["failed"].get<std::uint64_t>(), o["unresolved"].get<std::uint64_t>());
  const auto& d = m["order_to_active_s"];
  if (d["count"].get<std::uint64_t>() > 0)
    std::cout << fmt::format("  order-to-active  p50 {:.3f}s  p95 {:.3f}s  p99 {:.3f}s  max {:.3f}s\n",
                             d["p50"].get<double>(), d["p95"].get<double>(), d["p99"].get<double>(),
                             d["max"].get<double>());
  const auto& i1 = m["i1"];
  if (i1.contains("messages_per_order"))
    std::cout << fmt::format("  I1 traffic       {} messages, {} ({:.1f} messages, {} per order)\n",
                             i1["messages"].get<std::uint64_t>(), human_bytes(i1["bytes"].get<double>()),
                             i1["messages_per_order"].get<double>(), human_bytes(i1["bytes_per_order"].get<double>()));
  if (m.contains("failures")) {
    const auto& f = m["failures"];
    std::cout << fmt::format("  failures         {} host failures, {} VMs down, {} alarms, {} SLA violations\n",
                             f["hosts"].get<std::uint64_t>(), f["vms_down"].get<std::uint64_t>(),
                             f["alarms"].get<std::uint64_t>(), f["sla_violations"].get<std::uint64_t>());
  }
  if (m.contains("billing")) {
    const auto& b = m["billing"];
    auto amount = [&](const char* key) {
      const auto v = b[key].get<std::int64_t>();
      return fmt::format("{}{}.{:02}", v < 0 ? "-" : "", std::abs(v) / 100, std::abs(v) % 100);
    };
    std::cout << fmt::format("  bills            {} converged bills, {} {} = telecom {} + cloud {} - credits {} "
                             "({} with credits, {} usage records)\n",
                             b["bills"].get<std::uint64_t>(), amount("total"), b["currency"].get<std::string>(),
                             amount("telecom"), amount("cloud"), amount("credits"),
                             b["bills_with_credits"].get<std::uint64_t>(), b["usage_records"].get<std::uint64_t>());
  }
  std::cout << fmt::format("  simulated        {} in {:.2f}s of wall time\n",
                           units::format_duration(run["simulated_end_s"].get<double>()), wall_seconds);
  std::cout << fmt::format("results: {}\n", r.results_path);
  if (!r.events_path.empty())
    std::cout << fmt::format("events:  {}\n", r.events_path);
}

} // namespace

int run_command(const po::variables_map& vm) {
  if (!vm.count("scenario"))
    throw UsageError("missing SCENARIO: name a scenario file, e.g. scenarios/activation-basic.yaml");
  const auto path = vm["scenario"].as<std::string>();
  run::RunOptions options;
  options.iut = vm["iut"].as<std::string>();
  if (!make_cloud_iut(options.iut, {}))
    throw UsageError(fmt::format("--iut: no implementation '{}' (see 'i1sim help run')", options.iut));
  if (vm.count("seed"))
    options.seed = parse_seed(vm["seed"].as<std::string>());
  options.write_events = !vm["no-events"].as<bool>();
  if (vm.count("simgrid"))
    options.simgrid_args = vm["simgrid"].as<std::vector<std::string>>();

  const std::string text = read_input_file(path, "scenario");
  const auto overrides = overrides_of(vm);
  const scenario::Scenario sc = scenario::load_from_string(text, path, overrides); // every problem, located
  for (const auto& o : overrides)
    options.overrides.push_back(o.path + "=" + o.value);
  options.out_dir = vm.count("out") ? vm["out"].as<std::string>() : "results/" + sc.name;

  const conformance::Checks checks = conformance::attach_checks(sc, options); // oracles and expectations
  const auto started = std::chrono::steady_clock::now();
  const run::RunResult r = run::run_simulation(sc, text, options);
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
  print_summary(r, wall.count()); // wall time goes to the terminal only, never into a result file
  return run::report_expectations(r.results, std::cerr) > 0 ? kFailed : kOk;
}

} // namespace i1sim::cli
