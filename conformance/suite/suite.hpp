// The conformance test suite as data: test purposes (conformance/tps/*.yaml), the implementation conformance
// statement (ICS) and the extra information for testing (PIXIT) an implementer fills in, the static review of
// the ICS against the specification, and the selection of test purposes by the ICS.
#pragma once

#include "i1/spec.hpp"

#include <map>
#include <string>
#include <vector>

namespace i1sim::conformance {

/// One test purpose, in the style of ETSI TSS&TP: "ensure that ...", traced to requirements, selected by ICS
/// items, stimulated by scenarios and judged by oracle checks (CHECKS.md).
struct TestPurpose {
  std::string id;    // TP/I1/<CONCERN>/<BV|BI>/<nnn>, e.g. TP/I1/ORD/BV/003 (BV valid behaviour, BI invalid)
  std::string title; // "ensure that ..."
  std::string group; // "<CONCERN>/<BV|BI>", from the id
  std::vector<std::string> requirements; // requirement ids of the specification
  /// ICS items that must all be true for the TP to be selected, e.g. {"order.cancel"}; "profile.X" selects
  /// the X profile. Empty: always selected.
  std::vector<std::string> applicability;
  std::string initial;                // initial conditions, one paragraph
  std::vector<std::string> scenarios; // names of scenarios/<name>.yaml that stimulate it
  std::vector<std::string> checks;    // ids of oracle checks that judge it
  std::string pass, fail, inconc;     // verdict criteria, one sentence each
  std::string file;                   // where it is written
  int line = 0;
};

struct Suite {
  std::string id = "I1-CTS";    // the test suite's identification in reports
  std::string version;          // e.g. "1.0.0"
  std::vector<TestPurpose> tps; // in file order, files sorted by name
};

/// Reads every conformance/tps/*.yaml under `dir` (strictly: unknown keys, missing fields, bad ids, unknown
/// requirement ids or check ids are errors at file:line:col). Throws util::LocatedError.
/// The ICS items the specification defines (the `ics` of its optional requirements), in file order.
std::vector<std::string> ics_items(const spec::Spec& spec);

Suite load_suite(const std::string& dir, const spec::Spec& spec);
/// The same with the check ids to accept given by the caller (load_suite(dir, spec) passes the oracles'
/// catalogue): a program or test that judges against another list, such as the ids of CHECKS.md, needs none of
/// the oracle families linked in.
Suite load_suite(const std::string& dir, const spec::Spec& spec, const std::vector<std::string>& check_ids);

/// What an implementer claims (the ICS): identification, the profile, the optional features (the spec's `ics`
/// items) and, for every requirement, whether it is supported.
struct Ics {
  std::string file;
  std::string implementation; // product name
  std::string version;
  std::string vendor;
  std::string profile = "Q";                // Q or X
  std::map<std::string, bool> features;     // ICS item -> supported, e.g. "order.cancel" -> true
  std::map<std::string, bool> requirements; // requirement id -> supported (claimed)
};
/// Reads an ICS file (conformance/ics/template.yaml documents every item). Throws util::LocatedError.
Ics load_ics(const std::string& path, const spec::Spec& spec);

/// What the tester needs to reach and drive the implementation: the timer values it promises, and for a live
/// implementation its address and credentials.
struct Pixit {
  std::string file;
  std::map<std::string, double> timers;           // timer name -> s; overrides of the specification's defaults
  std::string endpoint;                           // live implementations only, e.g. http://127.0.0.1:8080
  std::map<std::string, std::string> credentials; // operator -> credential (X profile)
};
/// Reads a PIXIT file (conformance/pixit/template.yaml documents every item). Throws util::LocatedError.
Pixit load_pixit(const std::string& path, const spec::Spec& spec);

/// The static conformance review: the ICS claims every mandatory (shall) requirement of its profile, and
/// every optional requirement it claims has its ICS feature claimed too. One finding per problem.
struct StaticFinding {
  std::string requirement; // or the ICS item
  std::string message;
};
struct StaticReview {
  bool passed = true;
  std::vector<StaticFinding> findings;
};
StaticReview review(const Ics& ics, const spec::Spec& spec);

/// Whether each test purpose is selected by the ICS, and why not when it is not.
struct Selection {
  const TestPurpose* tp = nullptr;
  bool selected = false;
  std::string reason; // for a TP not selected, e.g. "ICS order.cancel is false"
};
std::vector<Selection> select(const Suite& suite, const Ics& ics);

} // namespace i1sim::conformance
