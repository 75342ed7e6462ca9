// The reports made from a campaign's canonical results (conformance.json): JUnit XML for CI systems and the
// conformance test report in Markdown (PCTR structure). Both are pure renderings; nothing is computed again.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace i1sim::reports {

/// conformance.json lacks a field a report needs, or has it with the wrong type. what() is
/// "PATH: message", PATH a JSON pointer such as /tps/3/verdict.
class ReportInputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// JUnit XML as TTCN-3 tools map verdicts: one testcase per test purpose (classname its group, name its id) with
/// its requirements and verdict as properties; fail -> <failure>, error -> <error>, inconc -> <skipped
/// message="inconc: ..."> and none or not selected -> <skipped>. With mutants, a testsuite "mutants" has one
/// testcase per mutant, a <failure> when no test purpose killed it. Throws ReportInputError.
std::string render_junit(const nlohmann::ordered_json& results);

/// The protocol conformance test report: 1 identification summary, 2 IUT conformance status, 3 static
/// conformance summary and review, 4 dynamic conformance summary, 5 test campaign report, 6 observations (every
/// non-pass verdict with its reason and evidence; the mutants when present). Throws ReportInputError.
std::string render_markdown(const nlohmann::ordered_json& results);

/// `text` for XML character data or a double-quoted attribute; characters XML 1.0 forbids become U+FFFD.
std::string xml_escape(std::string_view text);

} // namespace i1sim::reports
