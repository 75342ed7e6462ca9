// `i1sim spec` through the real binary: lint, doc, diff and cpp on the shipped specification and on broken copies,
// with the exit codes and the one-line errors a standards editor relies on.
#include "support/child.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

namespace i1sim::test::spec_cli_test {
namespace {

const std::string kSpec = "conformance/spec/i1-v1.yaml";

std::string replace_once(const std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "'" << from << "' is not in the text";
  if (at == std::string::npos)
    return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "'" << from << "' is in the text more than once";
  std::string out = text;
  out.replace(at, from.size(), to);
  return out;
}

// "LINE:COL" where `needle` first appears in `text`, 1-based.
std::string line_col(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << "'" << needle << "' is not in the text";
  if (at == std::string::npos)
    return "?";
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  const auto line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
  const auto column = at - (line_start == std::string::npos ? 0 : line_start + 1) + 1;
  return std::to_string(line) + ":" + std::to_string(column);
}

// Writes an edited copy of the shipped specification into a fresh directory; returns its path and text.
std::pair<std::string, std::string> edited_copy(const std::string& dir_name, const std::string& from,
                                                const std::string& to) {
  const std::string text = replace_once(slurp(source_path(kSpec)), from, to);
  const std::string path = fresh_dir(dir_name) + "/draft.yaml";
  std::ofstream(path, std::ios::binary) << text;
  return {path, text};
}

ChildResult spec(const std::vector<std::string>& args) {
  std::vector<std::string> argv{i1sim_binary(), "spec"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_child(argv);
}

/// A refused command line: exit 2, nothing on stdout, the error line then the usage line on stderr.
void expect_refused(const std::vector<std::string>& args, const std::string& needle) {
  const ChildResult r = spec(args);
  SCOPED_TRACE(r.err);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(r.err.rfind("i1sim: error: ", 0), 0u);
  EXPECT_NE(r.err.find(needle), std::string::npos) << "expected '" << needle << "'";
  EXPECT_NE(r.err.find("\nusage: i1sim spec "), std::string::npos);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 2);
}

TEST(SpecCli, LintPassesOnTheShippedSpecification) {
  const auto r = spec({"lint", source_path(kSpec)});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "0 errors, 0 warnings\n");
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(SpecCli, LintFailsOnABrokenCopyAtTheBrokenLine) {
  const auto [path, text] = edited_copy("spec-lint-broken", "values: [add, modify, delete, noChange]", "values: []");
  const auto r = spec({"lint", path});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, path + ":" + line_col(text, "ItemActionType:") +
                       ": error: enum ItemActionType has no values [empty-enum]\n1 error, 0 warnings\n");
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(SpecCli, LintCountsWarningsWithoutFailing) {
  const auto [path, text] = edited_copy("spec-lint-warning", "concern: SLA, timers: [T_sla],", "concern: SLA,");
  const auto r = spec({"lint", path});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, path + ":" + line_col(text, "T_sla:") +
                       ": warning: timer T_sla is listed by no requirement [unused-timer]\n0 errors, 1 warning\n");
}

TEST(SpecCli, AMalformedFileIsOneLocatedErrorAndExit2) {
  const auto [path, text] =
      edited_copy("spec-load-error", "{id: I1-GEN-001, level: shall,", "{id: I1-GEN-001, level: must,");
  for (const char* action : {"lint", "doc", "cpp"}) {
    SCOPED_TRACE(action);
    const auto r = spec({action, path});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(r.err, "i1sim: error: " + path + ":" + line_col(text, "must,") +
                         ": requirements[0].level: 'must' is not a level (shall, should or may)\n");
  }
  const auto d = spec({"diff", source_path(kSpec), path});
  EXPECT_EQ(d.exit_code, 2);
  EXPECT_TRUE(d.out.empty()) << d.out;
}

TEST(SpecCli, DocPrintsMarkdown) {
  const auto r = spec({"doc", source_path(kSpec)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out[0], '#');
  EXPECT_NE(r.out.find("I1-ORD-004"), std::string::npos);
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(SpecCli, DocWritesTheSameTextToOut) {
  const auto printed = spec({"doc", source_path(kSpec)});
  const auto out = fresh_dir("spec-doc-out") + "/i1.md";
  const auto r = spec({"doc", source_path(kSpec), "--out", out});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(slurp(out), printed.out);
}

TEST(SpecCli, DocToAnUnwritablePlaceIsRefused) {
  const auto dir = fresh_dir("spec-doc-unwritable");
  std::ofstream(dir + "/file") << "x";
  expect_refused({"doc", source_path(kSpec), "--out", dir + "/file/i1.md"}, "--out: " + dir + "/file/i1.md");
}

TEST(SpecCli, DiffOfAFileWithItselfIsEmpty) {
  const auto r = spec({"diff", source_path(kSpec), source_path(kSpec)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(SpecCli, DiffOfTwoVersionsPrintsTheChangeAndExits1) {
  const auto [path, text] = edited_copy("spec-diff", "T_notify: {default: 5s,", "T_notify: {default: 7s,");
  const auto r = spec({"diff", source_path(kSpec), path});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  EXPECT_NE(r.out.find("T_notify"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("5s"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("7s"), std::string::npos) << r.out;
}

TEST(SpecCli, CppPrintsAHeaderOfTheSpecification) {
  const auto r = spec({"cpp", source_path(kSpec)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("createServiceOrder"), std::string::npos);
  EXPECT_NE(r.out.find("ServiceOrderStateChangeEvent"), std::string::npos);
}

TEST(SpecCli, HelpShowsEveryAction) {
  const auto r = run_child({i1sim_binary(), "help", "spec"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"spec lint FILE", "spec doc FILE", "spec diff A B", "spec cpp FILE", "--out"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
}

TEST(SpecCli, UsageErrorsExit2) {
  expect_refused({}, "missing ACTION");
  expect_refused({"frobnicate", source_path(kSpec)}, "unknown action 'frobnicate'");
  expect_refused({"lint"}, "spec lint takes one FILE, not 0 files");
  expect_refused({"lint", source_path(kSpec), source_path(kSpec)}, "spec lint takes one FILE, not 2 files");
  expect_refused({"diff", source_path(kSpec)}, "spec diff takes two files (A B), not 1 file");
  expect_refused({"lint", source_path(kSpec), "--out", "x.txt"}, "--out applies to spec doc and spec cpp only");
  expect_refused({"lint", "no/such/spec.yaml"}, "no/such/spec.yaml: cannot read: No such file or directory");
  expect_refused({"lint", source_path("conformance/spec")}, "is a directory");
  expect_refused({"lint", source_path(kSpec), "--colour"}, "--colour");
}

} // namespace
} // namespace i1sim::test::spec_cli_test
