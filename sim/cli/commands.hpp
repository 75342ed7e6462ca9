// The command table of the i1sim executable: every subcommand is one row, so later ones slot in.
#pragma once

#include "scenario/scenario.hpp"

#include <boost/program_options.hpp>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace i1sim::cli {

/// Exit codes, the same for every command.
enum Exit : int {
  kOk = 0,
  kFailed = 1,  ///< the command ran and its outcome is negative (later: a failed expectation or verdict)
  kUsage = 2,   ///< bad command line, or an input file that is missing, unreadable or invalid
  kInternal = 3 ///< a fault of i1sim itself
};

/// A command-line or input problem: printed as one line plus the command's usage, exit 2.
class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct Command {
  std::string name;
  std::string synopsis; // "run SCENARIO [options]"
  std::string summary;  // one line for the command list
  std::string details;  // paragraphs for `i1sim help NAME`
  std::function<void(boost::program_options::options_description&,
                     boost::program_options::positional_options_description&)>
      declare;
  std::function<int(const boost::program_options::variables_map&)> execute;
};

const std::vector<Command>& commands();
const Command* find_command(const std::string& name);

/// Builds a command's options description (for parsing and for help).
boost::program_options::options_description options_of(const Command& c,
                                                       boost::program_options::positional_options_description& pos);

/// The bytes of an input file the user named; a missing, unreadable or directory path is a UsageError that
/// names it (`what` says what the file should have been, e.g. "scenario").
std::string read_input_file(const std::string& path, const std::string& what);

/// The value of --seed: a non-negative decimal integer of at most 19 digits, else a UsageError.
std::uint64_t parse_seed(const std::string& s);
/// The value of a duration option such as --timeout: a number of seconds above 0 and at most `max`, else a
/// UsageError naming `option`.
double parse_seconds(const std::string& option, const std::string& text, double max);

// Handlers, one file each.
int run_command(const boost::program_options::variables_map& vm);
int help_command(const boost::program_options::variables_map& vm);
int spec_command(const boost::program_options::variables_map& vm);
int validate_command(const boost::program_options::variables_map& vm);
int conform_command(const boost::program_options::variables_map& vm);
int report_command(const boost::program_options::variables_map& vm);
int judge_command(const boost::program_options::variables_map& vm);
int bench_command(const boost::program_options::variables_map& vm);

/// The `--set path=value` overrides of a command line, checked for form (their content is checked with the
/// scenario); a malformed one is a UsageError.
std::vector<scenario::Override> overrides_of(const boost::program_options::variables_map& vm);

/// Prints the list of commands (for `i1sim help` and `i1sim --help`).
void print_overview(std::ostream& out);
/// Prints a command's synopsis, details and options.
void print_command_help(std::ostream& out, const Command& c);

} // namespace i1sim::cli
