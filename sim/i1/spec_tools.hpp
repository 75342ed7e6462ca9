// What a standards editor runs on a specification: lint (consistency), doc (the readable Markdown) and
// diff (what changed between two versions). `i1sim spec lint|doc|diff` are thin shells over these.
#pragma once

#include "i1/spec.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace i1sim::spec {

/// The parts joined by `separator`, as the documents and the diff list names ("a, b, c").
inline std::string join(const std::vector<std::string>& parts, std::string_view separator = ", ") {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty())
      out += separator;
    out += part;
  }
  return out;
}

/// One lint finding, located in the specification file.
struct Finding {
  enum class Severity { error, warning };
  Severity severity = Severity::error;
  Position at;         // where the offending element is written
  std::string check;   // a stable name: unreachable-state, uncaused-transition, uncovered-requirement,
                       // unused-timer, duplicate-id, dangling-reference, ...
  std::string message; // one sentence naming the element
};

/// Every finding, sorted by position. A specification is acceptable when no finding is an error.
std::vector<Finding> lint(const Spec& spec);
/// "file:line:col: error: message [check]".
std::string format(const Spec& spec, const Finding& finding);

/// Lines to show under the requirements of the document, e.g. the conformance test purposes that cover each.
/// Plain text made by the caller: the specification's tools know nothing of what the lines describe.
struct Annotations {
  std::string heading; // the title of each concern's block, e.g. "Test purposes"
  std::string note;    // one paragraph under the document's header, e.g. which suite the lines come from
  std::map<std::string, std::vector<std::string>> lines; // requirement id -> its lines, in the order to show
  std::string none;                                      // shown for a requirement with no line, e.g. "no test purpose"
};

/// The readable specification as Markdown: the concerns, a table per type, a Mermaid state diagram and a
/// transition table per state machine, the operations with their REST paths, the notifications, the
/// requirements with their levels and the timers. Deterministic: the same Spec gives the same text. With
/// `annotations`, each concern's requirement table is followed by a block listing every requirement of the
/// concern with its lines; without, the text is the shipped document's.
std::string render_markdown(const Spec& spec, const Annotations* annotations = nullptr);

/// One difference between two versions of the specification.
struct Change {
  enum class Kind { added, removed, changed };
  Kind kind = Kind::changed;
  std::string what;   // a stable path, e.g. "type ServiceOrder.field externalId", "requirement I1-ORD-004.level"
  std::string before; // empty when added
  std::string after;  // empty when removed
};

/// Every difference from `a` to `b` in fields (presence, type, mandatory), enum values, requirements (presence,
/// level, text, timers), states, transitions, operations, notifications and timers (presence, default), in
/// a stable order.
std::vector<Change> diff(const Spec& a, const Spec& b);
/// "+ what: after", "- what: before", "~ what: before -> after".
std::string format(const Change& change);

} // namespace i1sim::spec
