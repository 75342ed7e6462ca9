// The specification linter: the consistency checks a loaded Spec can still fail (names that name nothing, state
// machines with unreachable states or uncaused transitions, requirements nothing tests), each located and named.
#include "i1/spec_tools.hpp"

#include <algorithm>
#include <deque>
#include <fmt/format.h>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace i1sim::spec {
namespace {

class Linter {
public:
  explicit Linter(const Spec& spec) : spec_(spec) {}

  std::vector<Finding> run() {
    shared_names();
    requirements();
    timers();
    enums();
    types();
    machines();
    operations();
    notifications();
    coverage();
    std::stable_sort(findings_.begin(), findings_.end(), [](const Finding& a, const Finding& b) {
      return a.at.line != b.at.line ? a.at.line < b.at.line : a.at.column < b.at.column;
    });
    return std::move(findings_);
  }

private:
  void add(Finding::Severity severity, Position at, std::string check, std::string message) {
    findings_.push_back({severity, at, std::move(check), std::move(message)});
  }
  void error(Position at, std::string check, std::string message) {
    add(Finding::Severity::error, at, std::move(check), std::move(message));
  }
  void dangling(Position at, const std::string& owner, const std::string& what, const std::string& name) {
    error(at, "dangling-reference", fmt::format("{}: {} '{}' is not declared", owner, what, name));
  }

  bool has_profile(const std::string& id) const {
    return std::any_of(spec_.profiles.begin(), spec_.profiles.end(), [&](const Profile& p) { return p.id == id; });
  }

  void concern_ref(Position at, const std::string& owner, const std::string& concern) {
    if (!spec_.concern(concern))
      dangling(at, owner, "concern", concern);
  }
  void profile_refs(Position at, const std::string& owner, const std::vector<std::string>& profiles) {
    for (const auto& p : profiles)
      if (!has_profile(p))
        dangling(at, owner, "profile", p);
  }
  void requirement_ref(Position at, const std::string& owner, const std::string& id) {
    if (!id.empty() && !spec_.requirement(id))
      dangling(at, owner, "requirement", id);
  }
  void type_ref(Position at, const std::string& owner, const TypeRef& t) {
    if (t.kind == TypeRef::Kind::enumeration && !spec_.enumeration(t.name))
      dangling(at, owner, "enum", t.name);
    if (t.kind == TypeRef::Kind::structure && !spec_.type(t.name))
      error(at, "dangling-reference", fmt::format("{}: '{}' names no enum and no type", owner, t.name));
  }
  /// A `via` or `created_by` entry: an operation or a notification.
  void cause_ref(Position at, const std::string& owner, const std::string& name) {
    if (!spec_.operation(name) && !spec_.notification(name))
      error(at, "dangling-reference", fmt::format("{}: '{}' is no operation and no notification", owner, name));
  }

  /// Whether a value of type `outer` is, or holds somewhere inside its fields, a value of type `inner`.
  bool holds(const std::string& outer, const std::string& inner) const {
    std::set<std::string> seen;
    std::deque<std::string> todo{outer};
    while (!todo.empty()) {
      const std::string name = todo.front();
      todo.pop_front();
      if (name == inner)
        return true;
      if (!seen.insert(name).second)
        continue;
      if (const Type* t = spec_.type(name))
        for (const Field& f : t->fields)
          if (f.type.kind == TypeRef::Kind::structure)
            todo.push_back(f.type.name);
    }
    return false;
  }

  void shared_names() {
    // Names shared across sections make `via`, `created_by` and type expressions ambiguous.
    for (const Type& t : spec_.types)
      if (const Enum* e = spec_.enumeration(t.name))
        error(t.at, "duplicate-name",
              fmt::format("type {}: an enum of the same name is declared at line {}", t.name, e->at.line));
    for (const Notification& n : spec_.notifications)
      if (const Operation* o = spec_.operation(n.name))
        error(n.at, "duplicate-name",
              fmt::format("notification {}: an operation of the same name is declared at line {}", n.name, o->at.line));
  }

  void requirements() {
    std::map<std::string, const Requirement*> first;
    for (const Requirement& r : spec_.requirements) {
      const std::string owner = "requirement " + r.id;
      const auto [it, fresh] = first.emplace(r.id, &r);
      if (!fresh)
        error(r.at, "duplicate-id",
              fmt::format("requirement {} is already declared at line {}", r.id, it->second->at.line));
      concern_ref(r.at, owner, r.concern);
      // I1-<concern>-<nnn>: the loader checked the shape.
      const auto first_dash = r.id.find('-');
      const auto last_dash = r.id.rfind('-');
      if (first_dash != std::string::npos && last_dash > first_dash) {
        const std::string middle = r.id.substr(first_dash + 1, last_dash - first_dash - 1);
        if (middle != r.concern)
          error(r.at, "requirement-concern",
                fmt::format("{}: its id says concern {} but its concern is {}", owner, middle, r.concern));
      }
      for (const auto& t : r.timers)
        if (!spec_.timer(t))
          dangling(r.at, owner, "timer", t);
      profile_refs(r.at, owner, r.profiles);
    }
  }

  void timers() {
    std::set<std::string> used;
    for (const Requirement& r : spec_.requirements)
      used.insert(r.timers.begin(), r.timers.end());
    for (const Timer& t : spec_.timers)
      if (!used.count(t.name))
        add(Finding::Severity::warning, t.at, "unused-timer",
            fmt::format("timer {} is listed by no requirement", t.name));
  }

  void enums() {
    for (const Enum& e : spec_.enums) {
      if (e.values.empty())
        error(e.at, "empty-enum", fmt::format("enum {} has no values", e.name));
      std::set<std::string> seen;
      for (const auto& v : e.values)
        if (!seen.insert(v).second)
          error(e.at, "duplicate-value", fmt::format("enum {}: value '{}' is listed twice", e.name, v));
    }
  }

  void types() {
    for (const Type& t : spec_.types) {
      const std::string owner = "type " + t.name;
      concern_ref(t.at, owner, t.concern);
      requirement_ref(t.at, owner, t.requirement);
      if (t.fields.empty())
        error(t.at, "empty-type", fmt::format("type {} has no fields", t.name));
      for (const Field& f : t.fields) {
        const std::string field_owner = fmt::format("field {}.{}", t.name, f.name);
        type_ref(f.at, field_owner, f.type);
        requirement_ref(f.at, field_owner, f.requirement);
      }
    }
  }

  /// Checks that a notification causing or creating a machine's resource carries that resource.
  void carries(Position at, const std::string& owner, const StateMachine& m, const std::string& cause) {
    const Notification* n = spec_.notification(cause);
    if (!n || !spec_.type(n->resource) || !spec_.type(m.type))
      return; // reported as dangling elsewhere
    if (!holds(n->resource, m.type))
      error(at, "via-mismatch",
            fmt::format("{}: notification {} carries a {}, which holds no {}", owner, cause, n->resource, m.type));
  }

  void machines() {
    for (const StateMachine& m : spec_.machines) {
      const std::string owner = "state machine " + m.name;
      requirement_ref(m.at, owner, m.requirement);
      for (const auto& c : m.created_by) {
        cause_ref(m.at, owner, c);
        carries(m.at, owner, m, c);
      }
      const Enum* states = state_enum(m, owner);
      const auto known = [&](const std::string& s) {
        return !states || std::find(states->values.begin(), states->values.end(), s) != states->values.end();
      };
      for (const auto* list : {&m.initial, &m.final})
        for (const auto& s : *list)
          if (!known(s))
            error(m.at, "unknown-state",
                  fmt::format("{}: {} state '{}' is no value of {}", owner, list == &m.initial ? "initial" : "final", s,
                              states->name));
      for (const Transition& t : m.transitions) {
        const std::string where = fmt::format("{}, transition {} -> {}", owner, t.from, t.to);
        for (const auto* s : {&t.from, &t.to})
          if (!known(*s))
            error(t.at, "unknown-state", fmt::format("{}: '{}' is no value of {}", where, *s, states->name));
        if (std::find(m.final.begin(), m.final.end(), t.from) != m.final.end())
          error(t.at, "final-state-exit", fmt::format("{}: {} is a final state", where, t.from));
        if (t.via.empty())
          error(t.at, "uncaused-transition", fmt::format("{}: no operation or notification causes it", where));
        for (const auto& v : t.via) {
          cause_ref(t.at, where, v);
          carries(t.at, where, m, v);
        }
      }
      if (states)
        reachability(m, *states, owner);
    }
  }

  /// The enum whose values are the machine's states, or null when the machine's type or field is broken.
  const Enum* state_enum(const StateMachine& m, const std::string& owner) {
    const Type* type = spec_.type(m.type);
    if (!type) {
      dangling(m.at, owner, "type", m.type);
      return nullptr;
    }
    const Field* field = type->field(m.field);
    if (!field) {
      error(m.at, "dangling-reference", fmt::format("{}: type {} has no field '{}'", owner, m.type, m.field));
      return nullptr;
    }
    if (field->type.kind != TypeRef::Kind::enumeration || field->type.array) {
      error(
          m.at, "machine-field",
          fmt::format("{}: field {}.{} is of type {}, not of an enum type", owner, m.type, m.field, field->type.text));
      return nullptr;
    }
    return spec_.enumeration(field->type.name); // a missing enum is reported on the field
  }

  void reachability(const StateMachine& m, const Enum& states, const std::string& owner) {
    std::set<std::string> reached(m.initial.begin(), m.initial.end());
    std::deque<std::string> todo(m.initial.begin(), m.initial.end());
    while (!todo.empty()) {
      const std::string s = todo.front();
      todo.pop_front();
      for (const Transition& t : m.transitions)
        if (t.from == s && reached.insert(t.to).second)
          todo.push_back(t.to);
    }
    for (const auto& v : states.values)
      if (!reached.count(v))
        error(m.at, "unreachable-state",
              fmt::format("{}: state '{}' cannot be reached from an initial state", owner, v));
  }

  void operations() {
    std::map<std::pair<std::string, std::string>, const Operation*> routes;
    for (const Operation& o : spec_.operations) {
      const std::string owner = "operation " + o.name;
      concern_ref(o.at, owner, o.concern);
      profile_refs(o.at, owner, o.profiles);
      for (const auto& r : o.requirements)
        requirement_ref(o.at, owner, r);
      if (o.request && !spec_.type(*o.request))
        error(o.at, "dangling-reference", fmt::format("{}: request type '{}' is not declared", owner, *o.request));
      for (const auto& [param, type] : o.query)
        type_ref(o.at, fmt::format("{}, query parameter {}", owner, param), type);
      for (const Response& r : o.responses)
        if (r.body)
          type_ref(o.at, fmt::format("{}, response {}", owner, r.status), *r.body);
      if (o.responses.empty())
        error(o.at, "operation-without-response", fmt::format("{} lists no response", owner));
      const auto [it, fresh] = routes.emplace(std::make_pair(o.method, o.path), &o);
      if (!fresh)
        error(o.at, "duplicate-path",
              fmt::format("{}: {} {} is already operation {}", owner, o.method, o.path, it->second->name));
    }
  }

  void notifications() {
    for (const Notification& n : spec_.notifications) {
      const std::string owner = "notification " + n.name;
      concern_ref(n.at, owner, n.concern);
      profile_refs(n.at, owner, n.profiles);
      for (const auto& r : n.requirements)
        requirement_ref(n.at, owner, r);
      if (!spec_.type(n.resource))
        dangling(n.at, owner, "resource type", n.resource);
    }
  }

  void coverage() {
    std::set<std::string> listed;
    for (const Operation& o : spec_.operations)
      listed.insert(o.requirements.begin(), o.requirements.end());
    for (const Notification& n : spec_.notifications)
      listed.insert(n.requirements.begin(), n.requirements.end());
    for (const Requirement& r : spec_.requirements)
      if (!listed.count(r.id))
        error(r.at, "uncovered-requirement",
              fmt::format("requirement {} is listed by no operation and no notification", r.id));
  }

  const Spec& spec_;
  std::vector<Finding> findings_;
};

} // namespace

std::vector<Finding> lint(const Spec& spec) { return Linter(spec).run(); }

std::string format(const Spec& spec, const Finding& finding) {
  const char* severity = finding.severity == Finding::Severity::error ? "error" : "warning";
  if (finding.at.line <= 0)
    return fmt::format("{}: {}: {} [{}]", spec.file, severity, finding.message, finding.check);
  return fmt::format("{}:{}:{}: {}: {} [{}]", spec.file, finding.at.line, finding.at.column, severity, finding.message,
                     finding.check);
}

} // namespace i1sim::spec
