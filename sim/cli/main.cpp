// The i1sim executable: picks the command from the table, parses its options, maps every failure to one line.
#include "cli/commands.hpp"
#include "i1/spec.hpp"
#include "i1sim/version.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"

#include <fmt/format.h>
#include <iostream>

namespace po = boost::program_options;
using namespace i1sim::cli;

namespace {

int usage_error(const std::string& message, const Command* c) {
  std::cerr << "i1sim: error: " << message << "\n";
  if (c)
    std::cerr << "usage: i1sim " << c->synopsis << "  (see 'i1sim help " << c->name << "')\n";
  else
    std::cerr << "usage: i1sim COMMAND [ARGS]  (see 'i1sim help')\n";
  return kUsage;
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    print_overview(std::cerr);
    return kUsage;
  }
  const std::string& first = args.front();
  if (first == "--version" || first == "-V") {
    std::cout << "i1sim " << i1sim::kVersion << "\n";
    return kOk;
  }
  if (first == "--help" || first == "-h") {
    print_overview(std::cout);
    return kOk;
  }
  const Command* c = find_command(first);
  if (!c)
    return usage_error(first.rfind('-', 0) == 0 ? fmt::format("unknown option '{}'", first)
                                                : fmt::format("unknown command '{}'", first),
                       nullptr);
  try {
    po::positional_options_description pos;
    po::options_description o = options_of(*c, pos);
    o.add_options()("help,h", "show this command's options");
    po::variables_map vm;
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    po::store(po::command_line_parser(rest).options(o).positional(pos).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
      print_command_help(std::cout, *c);
      return kOk;
    }
    return c->execute(vm);
  } catch (const po::error& e) {
    return usage_error(e.what(), c);
  } catch (const UsageError& e) {
    return usage_error(e.what(), c);
  } catch (const i1sim::scenario::ScenarioErrors& e) { // every problem of the scenario, one line each
    for (const auto& error : e.errors())
      std::cerr << "i1sim: error: " << error.what() << "\n";
    return kUsage;
  } catch (const i1sim::scenario::ScenarioError& e) {
    std::cerr << "i1sim: error: " << e.what() << "\n";
    return kUsage;
  } catch (const i1sim::run::RunError& e) {
    std::cerr << "i1sim: error: " << e.what() << "\n";
    return kUsage;
  } catch (const i1sim::spec::SpecError& e) {
    std::cerr << "i1sim: error: " << e.what() << "\n";
    return kUsage;
  } catch (const std::exception& e) {
    std::cerr << "i1sim: internal error: " << e.what() << "\n";
    return kInternal;
  }
}
