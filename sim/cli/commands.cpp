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
      {"help", "help [COMMAND]", "show the commands, or one command's options",
       "Without an argument, lists the commands. With one, shows that command's synopsis and options.",
       [](po::options_description& o, po::positional_options_description& p) {
         o.add_options()("topic", po::value<std::string>(), "command to describe");
         p.add("topic", 1);
       },
       help_command},
      {"spec", "spec lint FILE | spec doc FILE [--out F] | spec diff A B | spec cpp FILE [--out F]",
       "check, render or compare an I1 specification, or derive its C++ header",
       "lint FILE   checks the file's consistency: names that name nothing, state machines with unreachable\n"
       "            states, uncaused transitions or exits from a final state, requirements no operation or\n"
       "            notification lists, unused timers, ... One line per finding (FILE:LINE:COL: error|warning:\n"
       "            MESSAGE [CHECK]), then a count. Exit 0 when there is no error, 1 when there is one.\n"
       "doc FILE    prints the readable specification as Markdown (or writes it to --out F).\n"
       "diff A B    prints what changed from A to B, one line per change ('+' added, '-' removed,\n"
       "            '~' changed). Exit 0 when nothing changed, 1 when something did.\n"
       "cpp FILE    prints the C++ header of constexpr tables derived from the file (or writes it to --out F);\n"
       "            sim/include/i1sim/i1_v1.hpp is made this way from the shipped specification.\n"
       "A file that is not a well-formed specification is reported as FILE:LINE:COL: MESSAGE, exit 2.\n"
       "The format is described in conformance/spec/FORMAT.md; the shipped file is conformance/spec/i1-v1.yaml.",
       [](po::options_description& o, po::positional_options_description& p) {
         o.add_options()("action", po::value<std::string>(), "lint, doc, diff or cpp")(
             "file", po::value<std::vector<std::string>>(), "specification file(s)")(
             "out", po::value<std::string>(), "doc, cpp: write the output to this file instead of stdout");
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
