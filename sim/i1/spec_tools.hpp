// What a standards editor runs on a specification: lint (consistency), doc (the readable Markdown) and
// diff (what changed between two versions). `i1sim spec lint|doc|diff` are thin shells over these.
#pragma once

#include "i1/spec.hpp"

#include <string>
#include <vector>

namespace i1sim::spec {

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

/// The readable specification as Markdown: the concerns, a table per type, a Mermaid state diagram and a
/// transition table per state machine, the operations with their REST paths, the notifications, the
/// requirements with their levels and the timers. Deterministic: the same Spec gives the same text.
std::string render_markdown(const Spec& spec);

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
