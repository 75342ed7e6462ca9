// `i1sim conform`: loads the suite, ICS and PIXIT, runs the scenarios the selected test purposes need as child
// processes of this binary, judges every test purpose and writes conformance.json, junit.xml and report.md.
#include "cli/children.hpp"
#include "cli/commands.hpp"
#include "cloud/mutants.hpp"
#include "conformance/campaign/campaign.hpp"
#include "conformance/suite/suite.hpp"
#include "i1/spec.hpp"
#include "i1sim/iut.hpp"
#include "i1sim/version.hpp"
#include "reports/reports.hpp"
#include "run/simulation.hpp"
#include "util/yaml_node.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <set>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace cf = i1sim::conformance;
namespace cc = i1sim::conformance::campaign;

namespace i1sim::cli {

namespace {

/// An input file that cannot be used: one line (file:line:col when known), exit 2, no usage line since the
/// command line itself was right.
struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::uint64_t parse_count(const std::string& option, const std::string& text, std::uint64_t lo, std::uint64_t hi) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoull(text) < lo || std::stoull(text) > hi)
    throw UsageError(fmt::format("{}: '{}' is not an integer from {} to {}", option, text, lo, hi));
  return std::stoull(text);
}

/// `relative` under the working directory when it is there, else under the source tree this binary was built
/// from (so the shipped suite and scenarios are found from anywhere).
std::string shipped(const std::string& relative) {
  if (fs::exists(relative))
    return relative;
  const fs::path source = fs::path(I1SIM_SOURCE_DIR) / relative;
  return fs::exists(source) ? source.string() : relative;
}

/// The ICS an IUT is checked against when --ics is not given: the reference's, for the reference and for its
/// mutants (each claims what the reference claims).
bool claims_as_reference(const std::string& iut) { return iut == "ref" || iut.rfind("mutant:", 0) == 0; }

void check_iut(const std::string& iut) {
  if (iut.rfind("mutant:", 0) == 0) {
    const std::string name = iut.substr(7);
    for (const auto& m : cloud::mutants())
      if (m.name == name)
        return;
    throw UsageError(fmt::format("--iut: no mutant '{}' (see 'i1sim conform --list-mutants')", name));
  }
  if (!make_cloud_iut(iut, {}))
    throw UsageError(fmt::format("--iut: no implementation '{}' (see 'i1sim help conform')", iut));
}

std::vector<cloud::MutantInfo> chosen_mutants(const std::string& text) {
  const auto& all = cloud::mutants();
  if (text == "all")
    return all;
  std::vector<cloud::MutantInfo> out;
  std::set<std::string> seen;
  std::stringstream in(text);
  std::string name;
  while (std::getline(in, name, ',')) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const cloud::MutantInfo& m) { return m.name == name; });
    if (it == all.end())
      throw UsageError(fmt::format("--mutants: no mutant '{}' (see 'i1sim conform --list-mutants')", name));
    if (seen.insert(name).second)
      out.push_back(*it);
  }
  if (out.empty())
    throw UsageError("--mutants: name 'all' or a comma-separated list of mutants");
  return out;
}

/// One child `i1sim run`.
struct Job {
  std::string scenario;
  std::uint64_t seed = 0;
  std::string dir; // relative to the output directory
  std::vector<std::string> argv;
};

/// Runs every job, `parallel` at a time, each killed after `timeout` seconds of wall time; returns their outcomes
/// in job order. Only the children started here are waited for or killed.
std::vector<cc::RunOutcome> run_jobs(const std::vector<Job>& jobs, const fs::path& out_dir, std::size_t parallel,
                                     double timeout) {
  std::vector<cc::RunOutcome> outcomes(jobs.size());
  struct Running {
    pid_t pid;
    std::size_t job;
    std::chrono::steady_clock::time_point deadline;
  };
  std::vector<Running> running;
  std::size_t next = 0, done = 0;
  auto finish = [&](std::size_t k, int status, bool timed_out) {
    const Job& job = jobs[k];
    cc::RunOutcome& o = outcomes[k];
    o.scenario = job.scenario;
    o.seed = job.seed;
    o.dir = job.dir;
    const fs::path dir = out_dir / job.dir;
    const std::string what = fmt::format("run {} seed {}", job.scenario, job.seed);
    if (timed_out) {
      o.error = fmt::format("{} was killed after the wall-time limit of {} s", what, timeout);
    } else if (WIFSIGNALED(status)) {
      o.error = fmt::format("{} was killed by signal {} ({})", what, WTERMSIG(status), strsignal(WTERMSIG(status)));
    } else if (WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 1)) {
      // Exit 1 only says a scenario expectation failed; the results are valid all the same.
      const fs::path results = dir / "results.json";
      if (!fs::exists(results)) {
        o.error = fmt::format("{} exited {} without writing results.json{}", what, WEXITSTATUS(status),
                              child_complaint(dir / "run.log"));
      } else {
        try {
          o.results = nlohmann::json::parse(read_whole(results));
          o.completed = true;
        } catch (const nlohmann::json::exception& e) {
          o.error = fmt::format("{}: results.json is not readable JSON: {}", what, e.what());
        }
      }
    } else {
      o.error = fmt::format("{} exited {}{}", what, WEXITSTATUS(status), child_complaint(dir / "run.log"));
    }
    ++done;
  };
  while (done < jobs.size()) {
    while (running.size() < parallel && next < jobs.size()) {
      const Job& job = jobs[next];
      const fs::path dir = out_dir / job.dir;
      std::error_code ec;
      fs::create_directories(dir, ec);
      for (const char* stale : {"results.json", "events.jsonl", "run.log"})
        fs::remove(dir / stale, ec);
      const std::string log = (dir / "run.log").string();
      posix_spawn_file_actions_t actions;
      posix_spawn_file_actions_init(&actions);
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
      posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      posix_spawn_file_actions_adddup2(&actions, 1, 2);
      std::vector<std::string> copy = job.argv;
      std::vector<char*> args;
      for (auto& a : copy)
        args.push_back(a.data());
      args.push_back(nullptr);
      pid_t pid = 0;
      const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
      posix_spawn_file_actions_destroy(&actions);
      if (rc != 0) {
        outcomes[next] = {job.scenario,
                          job.seed,
                          job.dir,
                          false,
                          fmt::format("run {} seed {} could not start: {}", job.scenario, job.seed, std::strerror(rc)),
                          nullptr};
        ++done;
      } else {
        running.push_back(
            {pid, next,
             std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                    std::chrono::duration<double>(timeout))});
      }
      ++next;
    }
    bool progressed = false;
    for (auto it = running.begin(); it != running.end();) {
      int status = 0;
      const pid_t r = waitpid(it->pid, &status, WNOHANG);
      bool timed_out = false;
      if (r == 0 && std::chrono::steady_clock::now() >= it->deadline) {
        kill(it->pid, SIGKILL);
        waitpid(it->pid, &status, 0);
        timed_out = true;
      } else if (r == 0) {
        ++it;
        continue;
      }
      finish(it->job, status, timed_out);
      it = running.erase(it);
      progressed = true;
    }
    if (!progressed && !running.empty())
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return outcomes;
}

/// "5s" for 5 seconds: the form a scenario's durations take, exactly.
std::string duration_text(double seconds) { return fmt::format("{}s", seconds); }

std::vector<Job> jobs_of(const std::vector<cc::RunPlan>& plan, const std::string& exe, const std::string& iut,
                         const std::map<std::string, std::string>& scenario_paths, const cf::Pixit* pixit,
                         const fs::path& out_dir) {
  std::vector<Job> jobs;
  for (const auto& p : plan) {
    Job j{p.scenario, p.seed, p.dir, {}};
    j.argv = {exe,
              "run",
              scenario_paths.at(p.scenario),
              "--iut",
              iut,
              "--seed",
              std::to_string(p.seed),
              "--out",
              (out_dir / p.dir).string()};
    if (pixit)
      for (const auto& [name, s] : pixit->timers)
        j.argv.insert(j.argv.end(), {"--set", fmt::format("i1.timers.{}={}", name, duration_text(s))});
    jobs.push_back(std::move(j));
  }
  return jobs;
}

void print_summary(const nlohmann::ordered_json& r, const fs::path& out_dir) {
  const auto& id = r["identification"];
  const auto& s = r["summary"];
  std::cout << fmt::format("i1sim conform: {} {} against '{}': {} of {} test purposes selected, {} runs\n",
                           id["suite"]["id"].get<std::string>(), id["suite"]["version"].get<std::string>(),
                           id["iut"].get<std::string>(), s["selected"].get<std::uint64_t>(),
                           s["tps"].get<std::uint64_t>(), id["campaign"]["runs"].get<std::uint64_t>());
  std::cout << fmt::format("  static review    {}\n",
                           r["static_review"]["passed"].get<bool>()
                               ? std::string("passed")
                               : fmt::format("failed ({} findings)", r["static_review"]["findings"].size()));
  std::cout << fmt::format("  verdicts         pass {}  inconc {}  fail {}  error {}  (not selected {})\n",
                           s["pass"].get<std::uint64_t>(), s["inconc"].get<std::uint64_t>(),
                           s["fail"].get<std::uint64_t>(), s["error"].get<std::uint64_t>(),
                           s["not_selected"].get<std::uint64_t>());
  for (const auto& tp : r["tps"]) {
    const auto v = tp["verdict"].get<std::string>();
    if (tp["selected"].get<bool>() && v != "pass")
      std::cout << fmt::format("  {:<6} {}: {}\n", v, tp["id"].get<std::string>(), tp["reason"].get<std::string>());
  }
  if (r.contains("mutants")) {
    const auto& m = r["mutants"];
    std::cout << fmt::format("  mutation score   {} killed\n", m["score"].get<std::string>());
    for (const auto& row : m["mutants"])
      if (!row["killed"].get<bool>())
        std::cout << fmt::format("  survived {}: {}\n", row["name"].get<std::string>(),
                                 row["defect"].get<std::string>());
  }
  std::cout << fmt::format("  status           {}\n", r["status"]["statement"].get<std::string>());
  std::cout << fmt::format("results: {}\njunit:   {}\nreport:  {}\n", (out_dir / "conformance.json").string(),
                           (out_dir / "junit.xml").string(), (out_dir / "report.md").string());
}

int conform(const po::variables_map& vm) {
  if (vm["list-mutants"].as<bool>()) {
    for (const auto& m : cloud::mutants())
      std::cout << fmt::format("{:<28} {}\n", m.name, m.defect);
    return kOk;
  }
  const std::string iut = vm["iut"].as<std::string>();
  check_iut(iut);
  const std::uint64_t seed_count = parse_count("--seeds", vm["seeds"].as<std::string>(), 1, 100000);
  const bool seeds_given = !vm["seeds"].defaulted();
  const std::size_t parallel = vm.count("jobs") ? parse_count("-j", vm["jobs"].as<std::string>(), 1, 1024)
                                                : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  const double timeout = parse_seconds("--timeout", vm["timeout"].as<std::string>(), 1e6);
  std::vector<cloud::MutantInfo> mutant_list;
  if (vm.count("mutants"))
    mutant_list = chosen_mutants(vm["mutants"].as<std::string>());
  const std::uint64_t mutant_seeds =
      vm.count("mutant-seeds") ? parse_count("--mutant-seeds", vm["mutant-seeds"].as<std::string>(), 1, 100000)
                               : (seeds_given ? seed_count : 1);

  const std::string suite_dir = vm.count("suite") ? vm["suite"].as<std::string>() : shipped("conformance/tps");
  const std::string scenario_dir = vm.count("scenarios") ? vm["scenarios"].as<std::string>() : shipped("scenarios");
  std::string ics_path;
  if (vm.count("ics"))
    ics_path = vm["ics"].as<std::string>();
  else if (claims_as_reference(iut))
    ics_path = shipped("conformance/ics/ref.yaml");
  else
    throw UsageError(
        fmt::format("--ics: name the conformance statement of '{}' (the default is the reference's)", iut));
  std::string pixit_path;
  if (vm.count("pixit"))
    pixit_path = vm["pixit"].as<std::string>();
  else if (claims_as_reference(iut) && fs::exists(shipped("conformance/pixit/ref.yaml")))
    pixit_path = shipped("conformance/pixit/ref.yaml");
  if (!fs::is_directory(suite_dir))
    throw UsageError(fmt::format("--suite: {} is not a directory of test purposes", suite_dir));
  if (!fs::is_directory(scenario_dir))
    throw UsageError(fmt::format("--scenarios: {} is not a directory of scenarios", scenario_dir));
  const std::string ics_text = read_input_file(ics_path, "ICS");
  const std::string pixit_text = pixit_path.empty() ? std::string() : read_input_file(pixit_path, "PIXIT");

  const spec::Spec& spec = spec::builtin();
  cf::Suite suite;
  cf::Ics ics;
  std::optional<cf::Pixit> pixit;
  try {
    suite = cf::load_suite(suite_dir, spec);
    ics = cf::load_ics(ics_path, spec);
    if (!pixit_path.empty())
      pixit = cf::load_pixit(pixit_path, spec);
  } catch (const util::LocatedError& e) {
    throw InputError(e.what());
  }
  if (suite.tps.empty())
    throw InputError(fmt::format("{}: no test purpose found", suite_dir));
  cc::CampaignInputs in;
  in.tool_version = std::string(kVersion);
  in.suite = &suite;
  in.spec = &spec;
  in.iut = iut;
  in.ics = &ics;
  in.pixit = pixit ? &*pixit : nullptr;
  in.review = cf::review(ics, spec);
  in.selection = cf::select(suite, ics);
  for (std::uint64_t s = 1; s <= seed_count; ++s)
    in.seeds.push_back(s);
  in.timeout_s = timeout;

  // Every scenario a selected test purpose needs must be there before anything runs.
  std::map<std::string, std::string> scenario_paths;
  std::string digest_input =
      fmt::format("i1sim {}\niut {}\nseeds {}\ntimeout {}\nmutants", kVersion, iut, seed_count, timeout);
  for (const auto& m : mutant_list)
    digest_input += " " + m.name;
  digest_input += fmt::format(" x{}\nsuite {} {}\n", mutant_seeds, suite.id, suite.version);
  for (const auto& tp : suite.tps) {
    digest_input +=
        fmt::format("tp {} {} {}\n", tp.id, nlohmann::json(tp.scenarios).dump(), nlohmann::json(tp.checks).dump());
  }
  for (const auto& sel : in.selection) {
    if (!sel.selected)
      continue;
    for (const auto& name : sel.tp->scenarios) {
      if (scenario_paths.count(name))
        continue;
      const std::string path = (fs::path(scenario_dir) / (name + ".yaml")).string();
      if (!fs::is_regular_file(path))
        throw InputError(fmt::format("{}:{}: {} needs scenario '{}', but there is no {}", sel.tp->file, sel.tp->line,
                                     sel.tp->id, name, path));
      scenario_paths[name] = path;
    }
  }
  for (const auto& [name, path] : scenario_paths)
    digest_input += fmt::format("scenario {} {}\n", name, run::sha256_hex(read_whole(path)));
  digest_input += "ics " + run::sha256_hex(ics_text) + "\npixit " + run::sha256_hex(pixit_text) + "\n";
  in.inputs_sha256 = run::sha256_hex(digest_input);

  const fs::path out_dir = vm.count("out") ? vm["out"].as<std::string>() : "results/conformance";
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec || !fs::is_directory(out_dir))
    throw InputError(fmt::format("{}: cannot create the output directory", out_dir.string()));

  const std::string exe = self_path();
  const auto plan = cc::plan_runs(in.selection, in.seeds);
  std::vector<Job> jobs = jobs_of(plan, exe, iut, scenario_paths, in.pixit, out_dir);
  struct MutantPlan {
    cloud::MutantInfo info;
    std::size_t first = 0, count = 0;
  };
  std::vector<MutantPlan> mutant_plans;
  std::vector<std::uint64_t> mseeds;
  for (std::uint64_t s = 1; s <= mutant_seeds; ++s)
    mseeds.push_back(s);
  for (const auto& m : mutant_list) {
    const auto mplan = cc::plan_runs(in.selection, mseeds, "mutants/" + m.name + "/");
    auto mjobs = jobs_of(mplan, exe, "mutant:" + m.name, scenario_paths, in.pixit, out_dir);
    mutant_plans.push_back({m, jobs.size(), mjobs.size()});
    jobs.insert(jobs.end(), mjobs.begin(), mjobs.end());
  }
  std::cout << fmt::format("i1sim conform: {} runs ({} scenarios x {} seeds against '{}'{}), {} at a time\n",
                           jobs.size(), scenario_paths.size(), seed_count, iut,
                           mutant_list.empty()
                               ? std::string()
                               : fmt::format(", {} mutants x {} seeds", mutant_list.size(), mutant_seeds),
                           parallel)
            << std::flush;
  const std::vector<cc::RunOutcome> outcomes = run_jobs(jobs, out_dir, parallel, timeout);
  const std::vector<cc::RunOutcome> reference(outcomes.begin(),
                                              outcomes.begin() + static_cast<std::ptrdiff_t>(plan.size()));

  nlohmann::ordered_json matrix;
  if (!mutant_list.empty()) {
    std::vector<cc::MutantRow> rows;
    for (const auto& mp : mutant_plans) {
      const auto begin = outcomes.begin() + static_cast<std::ptrdiff_t>(mp.first);
      const std::vector<cc::RunOutcome> runs(begin, begin + static_cast<std::ptrdiff_t>(mp.count));
      cc::MutantRow row{mp.info.name, mp.info.defect, mp.info.requirements, {}};
      for (const auto& sel : in.selection)
        if (sel.selected)
          row.verdicts.emplace_back(sel.tp->id, cc::evaluate(*sel.tp, runs));
      rows.push_back(std::move(row));
    }
    std::set<std::string> reference_passed;
    for (const auto& sel : in.selection)
      if (sel.selected && cc::evaluate(*sel.tp, reference).verdict == cf::Verdict::pass)
        reference_passed.insert(sel.tp->id);
    matrix = cc::kill_matrix(rows, mutant_seeds, &reference_passed);
  }

  const nlohmann::ordered_json built = cc::build_results(in, reference, matrix);
  const std::string text = built.dump(2) + "\n";
  // The reports are rendered from the canonical text itself, exactly as `i1sim report` would render them.
  const nlohmann::ordered_json results = nlohmann::ordered_json::parse(text);
  const std::string junit = reports::render_junit(results);
  const std::string markdown = reports::render_markdown(results);
  write_atomically<InputError>(out_dir / "conformance.json", text);
  write_atomically<InputError>(out_dir / "junit.xml", junit);
  write_atomically<InputError>(out_dir / "report.md", markdown);
  print_summary(results, out_dir);
  return cc::exit_code_of(results);
}

} // namespace

int conform_command(const po::variables_map& vm) {
  try {
    return conform(vm);
  } catch (const InputError& e) {
    std::cerr << "i1sim: error: " << e.what() << "\n";
    return kUsage;
  }
}

} // namespace i1sim::cli
