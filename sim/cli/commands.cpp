// The command table and the help texts generated from it.
#include "cli/commands.hpp"

#include "i1sim/iut.hpp"
#include "i1sim/version.hpp"
#include "scenario/expectation.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace i1sim::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table{
      {"run", "run SCENARIO [--iut NAME] [--seed N] [--out DIR] [--no-events] [--set PATH=VALUE]...",
       "run one simulation of a scenario against an implementation under test",
       "Simulates the scenario's world, workload and timeline of faults against the chosen Cloud-side\n"
       "implementation, then writes DIR/events.jsonl (every I1 message and ground-truth event) and\n"
       "DIR/results.json (run metadata, metrics, oracle findings and the outcome of the scenario's\n"
       "expectations), and prints a summary. The same scenario, implementation and seed give byte-identical\n"
       "files. The scenario is validated first, as `i1sim validate` does.\n"
       "Exit 0 when the run completed and every expectation is met; 1 when an expectation failed (each is\n"
       "printed with the value measured); 2 for a bad command line or scenario.\n\n"
       "Metrics an expectation may name (METRIC OP VALUE, FUNC(SAMPLE) OP VALUE, or METRIC OP METRIC):\n" +
           scenario::metric_table_text(),
       [](po::options_description& o, po::positional_options_description& p) {
         std::string iuts;
         for (const auto& n : cloud_iut_names())
           iuts += (iuts.empty() ? "" : ", ") + n;
         o.add_options()("scenario", po::value<std::string>(), "scenario file (YAML)")(
             "iut", po::value<std::string>()->default_value("ref"),
             fmt::format("implementation under test: {}", iuts).c_str())("seed", po::value<std::string>(),
                                                                         "run seed (default: the scenario's seed)")(
             "out", po::value<std::string>(), "output directory (default: results/SCENARIO-NAME)")(
             "set", po::value<std::vector<std::string>>()->composing(),
             "override a scenario value, e.g. --set workload.arrival.rate=50/s (repeatable; checked like the file)")(
             "no-events", po::bool_switch(), "do not write events.jsonl (metrics are still computed)")(
             "simgrid", po::value<std::vector<std::string>>()->composing(),
             "pass an option to SimGrid, e.g. --simgrid=--log=root.thresh:info (repeatable)");
         p.add("scenario", 1);
       },
       run_command},
      {"validate", "validate FILE... [--set PATH=VALUE]...", "check scenario files strictly, without running them",
       "Reads each scenario as `run` would and reports every problem found in it, one per line as\n"
       "FILE:LINE:COL: PATH: MESSAGE (an override's problems as --set PATH=VALUE: MESSAGE): unknown keys, wrong\n"
       "types, missing or wrong units, counts out of range, names that refer to nothing, faults after the end of\n"
       "the run, malformed expectations. A valid file gets one line: FILE: ok: a summary.\n"
       "Exit 0 when every file is valid, 1 when one is not, 2 when one cannot be read.\n"
       "The format is described in scenarios/README.md.",
       [](po::options_description& o, po::positional_options_description& p) {
         o.add_options()("file", po::value<std::vector<std::string>>(), "scenario file(s)")(
             "set", po::value<std::vector<std::string>>()->composing(),
             "override a value in every file before checking, e.g. --set workload.orders=500 (repeatable)");
         p.add("file", -1);
       },
       validate_command},
      {"conform",
       "conform [--iut NAME] [--ics FILE] [--pixit FILE] [-j N] [--seeds K] [--out DIR] [--mutants all|NAME,...] "
       "| conform --list-mutants",
       "run the conformance campaign against an implementation and write its reports",
       "Loads the test suite (conformance/tps), the implementation's conformance statement (ICS) and its extra\n"
       "information for testing (PIXIT); reviews the ICS against the specification's mandatory requirements and\n"
       "selects the test purposes it makes applicable. Then runs every scenario the selected test purposes need,\n"
       "for seeds 1..K, each as a child `i1sim run` (the PIXIT's timers passed as --set i1.timers.T=V), N at a\n"
       "time, each killed after the wall-time limit. Each test purpose's verdict is the worst verdict of its\n"
       "oracle checks over every run of its scenarios (none < pass < inconc < fail < error); checks that never\n"
       "applied make it inconc, a run that did not finish makes it error. Writes DIR/conformance.json (the\n"
       "canonical results, byte-identical for identical inputs), DIR/junit.xml and DIR/report.md (the\n"
       "conformance test report), the runs under DIR/runs/SCENARIO/seed-N, and prints a verdict summary.\n\n"
       "Defaults: --iut ref; --ics conformance/ics/ref.yaml for ref and its mutants (required for any other\n"
       "implementation); --pixit conformance/pixit/ref.yaml when it exists, else the specification's timers;\n"
       "--suite conformance/tps and --scenarios scenarios (under the working directory, else under the source\n"
       "tree i1sim was built from); --seeds 3; -j the number of cores; --timeout 600; --out results/conformance.\n\n"
       "--mutants all (or a list) also runs the campaign against each mutant (--iut mutant:NAME; seeds: --mutant-\n"
       "seeds, else --seeds when given, else 1) and writes the kill matrix: a mutant is killed when at least one\n"
       "test purpose fails against it. --list-mutants prints the mutants, one line each, and runs nothing.\n\n"
       "Exit 0 when the static review passed and no selected test purpose is fail or error (and, with --mutants,\n"
       "every mutant is killed); 1 otherwise; 2 for a bad command line or an unreadable or invalid input file\n"
       "(named as FILE:LINE:COL where known). `i1sim report` renders the reports again from conformance.json.",
       [](po::options_description& o, po::positional_options_description&) {
         o.add_options()("iut", po::value<std::string>()->default_value("ref"),
                         "implementation under test: ref or mutant:NAME")(
             "ics", po::value<std::string>(), "conformance statement (YAML; template: conformance/ics/template.yaml)")(
             "pixit", po::value<std::string>(),
             "extra information for testing (YAML; conformance/pixit/template.yaml)")(
             "jobs,j", po::value<std::string>(), "runs at a time (default: the number of cores)")(
             "seeds", po::value<std::string>()->default_value("3"), "run every scenario with seeds 1..K")(
             "timeout", po::value<std::string>()->default_value("600"), "wall-time limit of one run, in seconds")(
             "out", po::value<std::string>(), "output directory (default: results/conformance)")(
             "suite", po::value<std::string>(), "directory of test purposes (default: conformance/tps)")(
             "scenarios", po::value<std::string>(),
             "directory of the scenarios test purposes name (default: scenarios)")(
             "mutants", po::value<std::string>(), "also run the mutants: all, or NAME,NAME,...")(
             "mutant-seeds", po::value<std::string>(), "seeds per scenario for each mutant (default: 1, or --seeds)")(
             "list-mutants", po::bool_switch(), "list the mutants (name and defect) and exit");
       },
       conform_command},
      {"report", "report RESULTS.json [--out DIR]", "render junit.xml and report.md again from conformance.json",
       "Reads the canonical results a campaign wrote (conformance.json of `i1sim conform`) and writes\n"
       "DIR/junit.xml and DIR/report.md from them alone (DIR defaults to the directory of RESULTS.json); the\n"
       "files are byte-identical to the ones the campaign wrote. Nothing is run.\n"
       "JUnit mapping: one testcase per test purpose (classname its group, name its id, its requirements and\n"
       "verdict as properties); fail -> failure, error -> error, inconc -> skipped \"inconc: ...\", none and not\n"
       "selected -> skipped; with mutants, a testsuite 'mutants' fails each mutant no test purpose killed.\n"
       "Exit 0 when both were written; 2 when RESULTS.json cannot be read, is not JSON (FILE:LINE:COL) or lacks\n"
       "a field (FILE: /json/pointer: problem).",
       [](po::options_description& o, po::positional_options_description& p) {
         o.add_options()("results", po::value<std::string>(), "conformance.json of a campaign")(
             "out", po::value<std::string>(), "output directory (default: the directory of RESULTS.json)");
         p.add("results", 1);
       },
       report_command},
      {"judge", "judge SCENARIO EVENTS.jsonl [--set PATH=VALUE]...",
       "judge a saved event stream with every conformance oracle",
       "Replays EVENTS.jsonl (written by `i1sim run SCENARIO`) through every oracle of the conformance suite and\n"
       "prints the \"conformance\" section the run wrote into its results.json: {\"checks\": [{check, verdict,\n"
       "observed, violations, reason, events}...]}. Give the same --set overrides as the run (a campaign passes\n"
       "the PIXIT's timers as --set i1.timers.T=V), since the oracles judge against the scenario's timers.\n"
       "Exit 0 when no check is fail or error, 1 when one is, 2 for an unreadable scenario or event.",
       [](po::options_description& o, po::positional_options_description& p) {
         o.add_options()("scenario", po::value<std::string>(), "scenario file (YAML) the stream was run from")(
             "events", po::value<std::string>(), "events.jsonl of a run")(
             "set", po::value<std::vector<std::string>>()->composing(),
             "override a scenario value as the run did, e.g. --set i1.timers.T_notify=10s (repeatable)");
         p.add("scenario", 1).add("events", 1);
       },
       judge_command},
      {"bench",
       "bench SCENARIO [--sweep PATH=v1,v2,...] [--iut NAME] [--seed N] [--set PATH=VALUE]... [--out DIR] "
       "[--timeout S] [--format table|json|csv]",
       "measure an implementation and the harness over a sweep of load levels",
       "Runs the scenario once per value of the sweep (once without --sweep), one run at a time so that none\n"
       "distorts another's timing, each as a child `i1sim run SCENARIO --set PATH=VALUE --out DIR/K-VALUE\n"
       "--no-events` killed after --timeout seconds of wall time. VALUE is written as for --set; values are\n"
       "separated by commas outside brackets, braces and quotes. Per level it reports, from the run's results.json:\n"
       "  implementation  mean and p99 order-to-active time, success % (completed / submitted), the offered rate,\n"
       "                  throughput (orders made active per simulated second from the first submission to the\n"
       "                  last activation), relative scalability = throughput(k) / (N_k x throughput(base)) with\n"
       "                  N_k = value_k / value_base when both are numbers of one kind (2/s, 10min, 500),\n"
       "                  and whether every expectation of the scenario held;\n"
       "  I1              notification delay and usage-to-bill latency (mean, p99), messages and bytes per order;\n"
       "  harness         wall time and peak RSS of the child, simulated events and seconds per wall second.\n"
       "The base is the first level that ran. The knee is the first level at which an expectation fails or the\n"
       "success % is more than 5 points below the previous level's. A run that hangs, crashes or writes no\n"
       "results.json is a row with status error and its reason; the other levels still run.\n"
       "Writes DIR/bench.json (schema i1sim.bench/1) and DIR/bench.csv, and prints a table (or, with --format,\n"
       "the JSON or CSV). Exit 0 when every level ran, 1 when one errored, 2 for a bad command line or scenario.",
       [](po::options_description& o, po::positional_options_description& p) {
         o.add_options()("scenario", po::value<std::string>(), "scenario file (YAML)")(
             "sweep", po::value<std::string>(), "the load levels: PATH=v1,v2,... (e.g. workload.arrival.rate=1/s,2/s)")(
             "iut", po::value<std::string>()->default_value("ref"), "implementation under test (see 'i1sim help run')")(
             "seed", po::value<std::string>(), "run seed of every level (default: the scenario's seed)")(
             "set", po::value<std::vector<std::string>>()->composing(),
             "override a scenario value in every level (repeatable), e.g. --set workload.orders=200")(
             "out", po::value<std::string>(), "output directory (default: results/bench/SCENARIO-NAME)")(
             "timeout", po::value<std::string>()->default_value("3600"), "wall-time limit of one level, in seconds")(
             "format", po::value<std::string>()->default_value("table"), "what to print: table, json or csv");
         p.add("scenario", 1);
       },
       bench_command},
      {"help", "help [COMMAND]", "show the commands, or one command's options",
       "Without an argument, lists the commands. With one, shows that command's synopsis and options.",
       [](po::options_description& o, po::positional_options_description& p) {
         o.add_options()("topic", po::value<std::string>(), "command to describe");
         p.add("topic", 1);
       },
       help_command},
      {"spec", "spec lint FILE | spec doc FILE [--tps DIR] [--out F] | spec diff A B | spec cpp FILE [--out F]",
       "check, render or compare an I1 specification, or derive its C++ header",
       "lint FILE   checks the file's consistency: names that name nothing, state machines with unreachable\n"
       "            states, uncaused transitions or exits from a final state, requirements no operation or\n"
       "            notification lists, unused timers, ... One line per finding (FILE:LINE:COL: error|warning:\n"
       "            MESSAGE [CHECK]), then a count. Exit 0 when there is no error, 1 when there is one.\n"
       "doc FILE    prints the readable specification as Markdown (or writes it to --out F). With --tps DIR\n"
       "            (e.g. conformance/tps), each concern's requirements are followed by the test purposes\n"
       "            that cover them.\n"
       "diff A B    prints what changed from A to B, one line per change ('+' added, '-' removed,\n"
       "            '~' changed). Exit 0 when nothing changed, 1 when something did.\n"
       "cpp FILE    prints the C++ header of constexpr tables derived from the file (or writes it to --out F);\n"
       "            sim/include/i1sim/i1_v1.hpp is made this way from the shipped specification.\n"
       "A file that is not a well-formed specification is reported as FILE:LINE:COL: MESSAGE, exit 2.\n"
       "The format is described in conformance/spec/FORMAT.md; the shipped file is conformance/spec/i1-v1.yaml.",
       [](po::options_description& o, po::positional_options_description& p) {
         o.add_options()("action", po::value<std::string>(), "lint, doc, diff or cpp")(
             "file", po::value<std::vector<std::string>>(), "specification file(s)")(
             "out", po::value<std::string>(), "doc, cpp: write the output to this file instead of stdout")(
             "tps", po::value<std::string>(), "doc: show the test purposes of this directory under each requirement");
         p.add("action", 1).add("file", -1);
       },
       spec_command},
  };
  return table;
}

std::string read_input_file(const std::string& path, const std::string& what) {
  if (std::filesystem::is_directory(path))
    throw UsageError(fmt::format("{}: is a directory, not a {} file", path, what));
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw UsageError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::uint64_t parse_seed(const std::string& s) {
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos)
    throw UsageError(fmt::format("--seed: '{}' is not a non-negative integer", s));
  return std::stoull(s);
}

double parse_seconds(const std::string& option, const std::string& text, double max) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !(v > 0))
    throw UsageError(fmt::format("{}: '{}' is not a number of seconds above 0", option, text));
  if (v > max)
    throw UsageError(fmt::format("{}: '{}' is more than the {:.0f} s allowed", option, text, max));
  return v;
}

const Command* find_command(const std::string& name) {
  for (const auto& c : commands())
    if (c.name == name)
      return &c;
  return nullptr;
}

po::options_description options_of(const Command& c, po::positional_options_description& pos) {
  po::options_description o("Options");
  c.declare(o, pos);
  return o;
}

void print_overview(std::ostream& out) {
  out << fmt::format("i1sim {}: simulate, check and measure implementations of the I1 interface\n"
                     "(Telecom BSS/OSS <-> Cloud BSS/OSS, ITU-T Y.3521/M.3070).\n\n"
                     "usage: i1sim COMMAND [ARGS]\n       i1sim --version\n\ncommands:\n",
                     kVersion);
  for (const auto& c : commands())
    out << fmt::format("  {:<8} {}\n", c.name, c.summary);
  out << "\n'i1sim help COMMAND' shows a command's options.\n";
}

void print_command_help(std::ostream& out, const Command& c) {
  po::positional_options_description pos;
  const auto o = options_of(c, pos);
  out << "usage: i1sim " << c.synopsis << "\n\n" << c.details << "\n\n" << o << "\n";
}

int help_command(const po::variables_map& vm) {
  if (!vm.count("topic")) {
    print_overview(std::cout);
    return kOk;
  }
  const auto topic = vm["topic"].as<std::string>();
  const Command* c = find_command(topic);
  if (!c)
    throw UsageError(fmt::format("no command '{}'", topic));
  print_command_help(std::cout, *c);
  return kOk;
}

} // namespace i1sim::cli
