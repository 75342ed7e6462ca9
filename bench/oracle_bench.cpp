// Oracle cost per event: a real run's event stream, recorded once, fed through every conformance oracle and
// through each family alone, so the family that dominates the cost of judging a run is visible.
#include "conformance/oracles/billing_oracle.hpp"
#include "conformance/oracles/oracle.hpp"
#include "cpu_clock.hpp"
#include "i1/spec.hpp"
#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"

#include <benchmark/benchmark.h>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;
namespace oracles = i1sim::conformance;

/// The stream every oracle benchmark replays, and the scenario it came from.
struct Recording {
  i1sim::scenario::Scenario scenario;
  std::vector<i1sim::trace::Event> events;
  std::string error; // why there is no recording
};

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

/// Runs `argv` with its output thrown away; its exit code, or -1.
int run_quietly(const std::vector<std::string>& argv) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

/// I1SIM_BENCH_EVENTS names a saved events.jsonl (of I1SIM_BENCH_SCENARIO, converged-bill by default);
/// without it the built i1sim runs the scenario once into a temporary directory (in a child process: this
/// process may start its own SimGrid engine later, and there can be only one).
Recording record() {
  Recording r;
  const std::string scenario_path =
      env_or("I1SIM_BENCH_SCENARIO", std::string(I1SIM_SOURCE_DIR) + "/scenarios/converged-bill.yaml");
  std::string events_path = env_or("I1SIM_BENCH_EVENTS", "");
  fs::path temp;
  try {
    r.scenario = i1sim::scenario::load(scenario_path);
    if (events_path.empty()) {
      temp = fs::temp_directory_path() / ("i1sim-oracle-bench-" + std::to_string(::getpid()));
      const int rc = run_quietly({I1SIM_BINARY, "run", scenario_path, "--out", temp.string()});
      events_path = (temp / "events.jsonl").string();
      if (rc != 0 && rc != 1) // 1: an expectation failed, the stream is still whole
        r.error = "i1sim run " + scenario_path + " exited with " + std::to_string(rc);
    }
    if (r.error.empty()) {
      std::ifstream in(events_path, std::ios::binary);
      if (!in)
        r.error = events_path + ": cannot be read";
      for (std::string line; std::getline(in, line);)
        if (!line.empty())
          r.events.push_back(i1sim::trace::from_json_line(line));
      if (r.error.empty() && r.events.empty())
        r.error = events_path + ": no events";
    }
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  if (!temp.empty())
    fs::remove_all(temp);
  return r;
}

const Recording& recording() {
  static const Recording r = record();
  return r;
}

using Family = std::vector<std::unique_ptr<oracles::Oracle>> (*)(const oracles::OracleContext&);

/// One iteration judges the whole stream with fresh oracles of `family`: every event, then finish() and
/// results() as a run's end does. ns_per_event counts both; feed_ns_per_event only the events (CPU time).
void BM_Oracles(benchmark::State& state, Family family) {
  const Recording& rec = recording();
  if (!rec.error.empty()) {
    state.SkipWithError(rec.error.c_str());
    return;
  }
  const oracles::OracleContext ctx{&rec.scenario, &i1sim::spec::builtin(),
                                   oracles::timers_in_force(i1sim::spec::builtin(), rec.scenario)};
  const double end = rec.events.back().t;
  using Clock = i1sim::bench::CpuClock;
  Clock::duration feed{}, total{};
  std::size_t checks = 0;
  for (auto _ : state) {
    auto set = family(ctx);
    const auto t0 = Clock::now();
    for (const auto& e : rec.events)
      for (auto& o : set)
        o->on_event(e);
    const auto t1 = Clock::now();
    for (auto& o : set) {
      o->finish(end);
      checks += o->results().size();
    }
    const auto t2 = Clock::now();
    feed += t1 - t0;
    total += t2 - t0;
    benchmark::DoNotOptimize(checks);
  }
  const double n = static_cast<double>(rec.events.size()) * static_cast<double>(state.iterations());
  const auto ns = [](Clock::duration d) { return static_cast<double>(std::chrono::nanoseconds(d).count()); };
  state.counters["events"] = static_cast<double>(rec.events.size());
  state.counters["ns_per_event"] = ns(total) / n;
  state.counters["feed_ns_per_event"] = ns(feed) / n;
  state.counters["events_per_s"] = n / (ns(total) * 1e-9);
  state.SetItemsProcessed(static_cast<int64_t>(n));
}
BENCHMARK_CAPTURE(BM_Oracles, all, &oracles::make_oracles)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Oracles, protocol, &oracles::make_protocol_oracles)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Oracles, world, &oracles::make_world_oracles)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Oracles, accounting, &oracles::make_accounting_oracles)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Oracles, probes, &oracles::make_probe_oracles)->Unit(benchmark::kMillisecond);

// The bill oracle, which a run attaches beside the conformance oracles when its scenario has bill cycles.
void BM_BillOracle(benchmark::State& state) {
  const Recording& rec = recording();
  if (!rec.error.empty()) {
    state.SkipWithError(rec.error.c_str());
    return;
  }
  using Clock = i1sim::bench::CpuClock;
  Clock::duration total{};
  for (auto _ : state) {
    const auto t0 = Clock::now();
    oracles::BillingOracle oracle(rec.scenario);
    for (const auto& e : rec.events)
      oracle.on_event(e);
    benchmark::DoNotOptimize(oracle.to_json());
    total += Clock::now() - t0;
  }
  const double n = static_cast<double>(rec.events.size()) * static_cast<double>(state.iterations());
  const double ns = static_cast<double>(std::chrono::nanoseconds(total).count());
  state.counters["events"] = static_cast<double>(rec.events.size());
  state.counters["ns_per_event"] = ns / n;
  state.counters["events_per_s"] = n / (ns * 1e-9);
  state.SetItemsProcessed(static_cast<int64_t>(n));
}
BENCHMARK(BM_BillOracle)->Unit(benchmark::kMillisecond);

} // namespace
