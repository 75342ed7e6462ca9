// `i1sim bench`: runs a scenario once per load level, each as a child `i1sim run` timed and measured from here, one
// after the other, and reports the implementation's, I1's and the harness's figures per level with the knee.
#include "cli/children.hpp"
#include "cli/commands.hpp"
#include "i1sim/iut.hpp"
#include "i1sim/version.hpp"
#include "run/bench_report.hpp"
#include "scenario/scenario.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace i1sim::cli {
namespace {

using Clock = std::chrono::steady_clock;

/// How one child ended, as seen from here.
struct Ended {
  bool started = false;
  std::string spawn_error;
  int status = 0;
  bool timed_out = false;
  double wall_s = 0;
  double peak_rss_bytes = 0;
};

/// Runs `argv` with its output in `log`, killed after `timeout` seconds. The wall time runs from the spawn to the
/// moment the exit is seen: a pidfd wakes the wait at once (a short poll where the kernel has none). The peak RSS
/// is the child's own, from wait4().
Ended run_child(const std::vector<std::string>& argv, const fs::path& log, double timeout) {
  Ended e;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> copy = argv;
  std::vector<char*> args;
  for (auto& a : copy)
    args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  const auto started = Clock::now();
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    e.spawn_error = std::strerror(rc);
    return e;
  }
  e.started = true;
  const auto deadline = started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout));
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  struct rusage usage {};
  for (;;) {
    const auto now = Clock::now();
    if (now >= deadline) {
      kill(pid, SIGKILL);
      while (wait4(pid, &e.status, 0, &usage) < 0 && errno == EINTR) {
      }
      e.timed_out = true;
      break;
    }
    if (pidfd >= 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
      pollfd p{pidfd, POLLIN, 0};
      poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    const pid_t r = wait4(pid, &e.status, WNOHANG, &usage);
    if (r == pid)
      break;
    if (r < 0 && errno != EINTR) { // cannot happen for our own child; never spin on it
      e.spawn_error = fmt::format("waiting for it failed: {}", std::strerror(errno));
      break;
    }
  }
  e.wall_s = std::chrono::duration<double>(Clock::now() - started).count();
  e.peak_rss_bytes = static_cast<double>(usage.ru_maxrss) * 1024.0; // Linux reports kibibytes
  if (pidfd >= 0)
    close(pidfd);
  return e;
}

/// One level: the child run, then what became of it.
bench::LevelRun run_level(const std::vector<std::string>& argv, const fs::path& out_dir, const std::string& dir,
                          double timeout) {
  bench::LevelRun run;
  const std::string what = "the run"; // the report puts the level and its value before it
  const fs::path where = out_dir / dir;
  std::error_code ec;
  fs::create_directories(where, ec);
  if (ec) {
    run.error = fmt::format("{}: cannot create {}: {}", what, where.string(), ec.message());
    return run;
  }
  for (const char* stale : {"results.json", "events.jsonl", "run.log"})
    fs::remove(where / stale, ec);
  const fs::path log = where / "run.log";
  const Ended e = run_child(argv, log, timeout);
  run.started = e.started;
  run.wall_s = e.wall_s;
  run.peak_rss_bytes = e.peak_rss_bytes;
  if (!e.started) {
    run.error = fmt::format("{} could not start: {}", what, e.spawn_error);
    return run;
  }
  if (!e.spawn_error.empty()) {
    run.error = fmt::format("{}: {}", what, e.spawn_error);
  } else if (e.timed_out) {
    run.error = fmt::format("{} was killed after the wall-time limit of {} s", what, timeout);
  } else if (WIFSIGNALED(e.status)) {
    run.error = fmt::format("{} was killed by signal {} ({})", what, WTERMSIG(e.status), strsignal(WTERMSIG(e.status)));
  } else if (WIFEXITED(e.status) && (WEXITSTATUS(e.status) == kOk || WEXITSTATUS(e.status) == kFailed)) {
    // Exit 1 says an expectation failed: the results are complete all the same, and the knee reads them.
    const fs::path results = where / "results.json";
    if (!fs::exists(results)) {
      run.error =
          fmt::format("{} exited {} without writing results.json{}", what, WEXITSTATUS(e.status), child_complaint(log));
    } else {
      try {
        run.results = nlohmann::json::parse(read_whole(results));
        run.completed = true;
      } catch (const nlohmann::json::exception& x) {
        run.error = fmt::format("{}: results.json is not readable JSON: {}", what, x.what());
      }
    }
  } else {
    run.error = fmt::format("{} exited {}{}", what, WEXITSTATUS(e.status), child_complaint(log));
  }
  return run;
}

} // namespace

int bench_command(const po::variables_map& vm) {
  if (!vm.count("scenario"))
    throw UsageError("missing SCENARIO: name a scenario file, e.g. scenarios/load-ramp-to-saturation.yaml");
  const std::string path = vm["scenario"].as<std::string>();
  bench::BenchInputs in;
  in.tool_version = kVersion;
  in.scenario = path;
  in.iut = vm["iut"].as<std::string>();
  if (!make_cloud_iut(in.iut, {}))
    throw UsageError(fmt::format("--iut: no implementation '{}' (see 'i1sim help run')", in.iut));
  if (vm.count("seed"))
    in.seed = parse_seed(vm["seed"].as<std::string>());
  in.timeout_s = parse_seconds("--timeout", vm["timeout"].as<std::string>(), 1e7);
  const std::string format = vm["format"].as<std::string>();
  if (format != "table" && format != "json" && format != "csv")
    throw UsageError(fmt::format("--format: '{}' is not one of table, json, csv", format));
  if (vm.count("sweep")) {
    const std::string text = vm["sweep"].as<std::string>();
    try {
      in.sweep = bench::parse_sweep(text);
      for (const auto& v : in.sweep->values)
        scenario::parse_override(in.sweep->path + "=" + v); // the form only; the path is the child's to judge
    } catch (const std::invalid_argument& e) {
      throw UsageError(fmt::format("--sweep {}", e.what()));
    }
  }
  const auto overrides = overrides_of(vm);
  for (const auto& o : overrides)
    in.sets.push_back(o.path + "=" + o.value);

  // The scenario and the fixed overrides are checked here, once, rather than failing every level the same way.
  const std::string text = read_input_file(path, "scenario");
  const scenario::Scenario sc = scenario::load_from_string(text, path, overrides);
  in.scenario_name = sc.name;
  in.out_dir = vm.count("out") ? vm["out"].as<std::string>() : "results/bench/" + sc.name;
  const fs::path out_dir(in.out_dir);
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec || !fs::is_directory(out_dir))
    throw UsageError(fmt::format("--out: cannot create {}: {}", in.out_dir, ec ? ec.message() : "not a directory"));

  const std::string exe = self_path();
  std::vector<std::string> values = in.sweep ? in.sweep->values : std::vector<std::string>{""};
  std::vector<bench::LevelRun> runs;
  for (std::size_t k = 0; k < values.size(); ++k) {
    const std::string& value = values[k];
    const std::string dir = fmt::format("{}-{}", k, in.sweep ? bench::slug(value) : std::string("run"));
    std::vector<std::string> argv{exe, "run", path, "--iut", in.iut};
    if (in.seed)
      argv.insert(argv.end(), {"--seed", std::to_string(*in.seed)});
    argv.insert(argv.end(), {"--out", (out_dir / dir).string(), "--no-events"});
    for (const auto& s : in.sets)
      argv.insert(argv.end(), {"--set", s});
    if (in.sweep)
      argv.insert(argv.end(), {"--set", in.sweep->path + "=" + value});
    std::cerr << fmt::format("i1sim bench: {} of {}{} ...\n", k + 1, values.size(),
                             in.sweep ? fmt::format(": {}={}", in.sweep->path, value) : std::string());
    bench::LevelRun run = run_level(argv, out_dir, dir, in.timeout_s);
    run.value = value;
    run.dir = dir;
    std::cerr << fmt::format("  {} in {:.2f} s\n", run.completed ? "done" : "error: " + run.error, run.wall_s);
    runs.push_back(std::move(run));
  }

  const nlohmann::ordered_json report = bench::build_report(in, runs);
  const std::string json = report.dump(2) + "\n";
  const std::string csv = bench::render_csv(report);
  write_atomically<UsageError>(out_dir / "bench.json", json);
  write_atomically<UsageError>(out_dir / "bench.csv", csv);
  if (format == "json") {
    std::cout << json;
  } else if (format == "csv") {
    std::cout << csv;
  } else {
    std::cout << fmt::format("i1sim bench: {} against '{}', {}\n", sc.name, in.iut,
                             in.sweep ? fmt::format("{} levels of {}", values.size(), in.sweep->path)
                                      : std::string("one run"));
    std::cout << bench::render_table(report);
    std::cout << fmt::format("results: {}, {}\n", (out_dir / "bench.json").string(), (out_dir / "bench.csv").string());
  }
  return bench::exit_code_of(report) == 0 ? kOk : kFailed;
}

} // namespace i1sim::cli
