// `i1sim spec`: what a standards editor runs on a specification file (lint, doc, diff, cpp), thin over
// spec_tools and spec_cpp.
#include "i1/spec.hpp"

#include "cli/commands.hpp"
#include "conformance/suite/suite.hpp"
#include "i1/spec_cpp.hpp"
#include "i1/spec_tools.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace i1sim::cli {
namespace {

/// SpecError (file:line:col) propagates to main, which prints it and exits 2.
spec::Spec read_spec(const std::string& path) {
  return spec::load_from_string(read_input_file(path, "specification"), path);
}

/// Writes the whole text to `path`, or to stdout when no --out was given; a file is written completely or not at all.
void emit(const po::variables_map& vm, const std::string& text) {
  if (!vm.count("out")) {
    std::cout << text;
    return;
  }
  const std::string path = vm["out"].as<std::string>();
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out)
      throw UsageError(fmt::format("--out: {}: cannot write: {}", path, std::strerror(errno)));
    out << text;
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(partial, ignored);
      throw UsageError(fmt::format("--out: {}: cannot write", path));
    }
  }
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) {
    std::filesystem::remove(partial, ec);
    throw UsageError(fmt::format("--out: {}: cannot write", path));
  }
}

std::string plural(std::size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

int lint_action(const std::string& path) {
  const spec::Spec s = read_spec(path);
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::string out;
  for (const spec::Finding& f : spec::lint(s)) {
    out += spec::format(s, f) + "\n";
    (f.severity == spec::Finding::Severity::error ? errors : warnings) += 1;
  }
  out += plural(errors, "error") + ", " + plural(warnings, "warning") + "\n";
  std::cout << out;
  return errors == 0 ? kOk : kFailed;
}

/// The test purposes of `dir` (conformance/tps), checked against `s`, as lines under the requirements they cover.
/// Throws util::LocatedError (file:line:col, every problem on its own line) when the suite does not load.
spec::Annotations test_purposes(const spec::Spec& s, const std::string& dir) {
  const conformance::Suite suite = conformance::load_suite(dir, s);
  spec::Annotations a;
  a.heading = "Test purposes";
  a.none = "no test purpose";
  a.note = fmt::format("Shown with the test purposes of the conformance test suite {} {} ({} test purposes, from {}). "
                       "Each is listed under every requirement it covers, with the ICS items that select it, the "
                       "scenarios that stimulate it and the oracle checks that judge it.",
                       suite.id, suite.version, suite.tps.size(), dir);
  for (const conformance::TestPurpose& tp : suite.tps) {
    std::string text = fmt::format("{}: {}", tp.id, tp.title);
    if (!tp.applicability.empty())
      text += fmt::format(" (when {})", fmt::join(tp.applicability, ", "));
    text += fmt::format("; scenarios: {}; checks: {}", fmt::join(tp.scenarios, ", "), fmt::join(tp.checks, ", "));
    for (const auto& id : tp.requirements)
      a.lines[id].push_back(text);
  }
  return a;
}

int diff_action(const std::string& a, const std::string& b) {
  const spec::Spec before = read_spec(a);
  const spec::Spec after = read_spec(b);
  const auto changes = spec::diff(before, after);
  std::string out;
  for (const spec::Change& c : changes)
    out += spec::format(c) + "\n";
  std::cout << out;
  return changes.empty() ? kOk : kFailed;
}

} // namespace

int spec_command(const po::variables_map& vm) {
  if (!vm.count("action"))
    throw UsageError("missing ACTION: lint, doc, diff or cpp");
  const std::string action = vm["action"].as<std::string>();
  const auto files = vm.count("file") ? vm["file"].as<std::vector<std::string>>() : std::vector<std::string>();
  const auto expect_files = [&](std::size_t n, const char* what) {
    if (files.size() != n)
      throw UsageError(
          fmt::format("spec {} takes {}, not {} file{}", action, what, files.size(), files.size() == 1 ? "" : "s"));
  };
  const bool writes = action == "doc" || action == "cpp";
  if (vm.count("out") && !writes)
    throw UsageError(fmt::format("--out applies to spec doc and spec cpp only, not to spec {}", action));
  if (vm.count("tps") && action != "doc")
    throw UsageError(fmt::format("--tps applies to spec doc only, not to spec {}", action));
  if (action == "lint") {
    expect_files(1, "one FILE");
    return lint_action(files[0]);
  }
  if (action == "doc") {
    expect_files(1, "one FILE");
    const spec::Spec s = read_spec(files[0]);
    if (!vm.count("tps")) {
      emit(vm, spec::render_markdown(s));
      return kOk;
    }
    // Everything is loaded and rendered before anything is written: a broken suite leaves no partial output.
    spec::Annotations tps;
    try {
      tps = test_purposes(s, vm["tps"].as<std::string>());
    } catch (const util::LocatedError& e) { // every problem of the suite, one line each, like a broken scenario
      std::istringstream lines(e.what());
      std::string text;
      for (std::string one; std::getline(lines, one);)
        text += "i1sim: error: " + one + "\n";
      std::cerr << text;
      return kUsage;
    }
    emit(vm, spec::render_markdown(s, &tps));
    return kOk;
  }
  if (action == "diff") {
    expect_files(2, "two files (A B)");
    return diff_action(files[0], files[1]);
  }
  if (action == "cpp") {
    expect_files(1, "one FILE");
    emit(vm, spec::render_cpp_header(read_spec(files[0])));
    return kOk;
  }
  throw UsageError(fmt::format("unknown action '{}': expected lint, doc, diff or cpp", action));
}

} // namespace i1sim::cli
