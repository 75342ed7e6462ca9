// The I1 specification as plain structs: the one model that the loader fills from conformance/spec/*.yaml and
// that the validator, the linter, the document renderer, the differ and the C++ model check all read.
#pragma once

#include "util/yaml_node.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace i1sim::spec {

/// A problem in a specification file: what() is "file:line:col: message".
class SpecError : public util::LocatedError {
public:
  using util::LocatedError::LocatedError;
};

/// Where an element was written, so lint findings can point at it (1-based; 0 when built in code).
struct Position {
  int line = 0;
  int column = 0;
};

enum class Level { shall, should, may };
std::string_view to_string(Level level);

struct Concern {
  std::string id; // e.g. ORD: the middle part of requirement ids
  std::string title;
  std::string api; // the closest published API
  Position at;
};

struct Profile {
  std::string id; // Q or X
  std::string title;
  std::string description;
  Position at;
};

struct Timer {
  std::string name;         // e.g. T_notify
  double default_s = 0;     // seconds
  std::string default_text; // as written, e.g. "5s"
  std::string description;
  Position at;
};

struct Requirement {
  std::string id; // I1-<concern>-<nnn>
  Level level = Level::shall;
  std::string concern;
  std::string text;
  std::vector<std::string> timers;   // names of Timer
  std::vector<std::string> profiles; // empty: every profile
  std::string addition; // a profile addition tag (idempotency, exactlyOnce, money, regulation, xProfile) or empty
  std::string ics;      // the conformance-statement item that selects an optional requirement, or empty
  Position at;
};

struct Enum {
  std::string name;
  std::string description;
  std::vector<std::string> values;
  Position at;
};

/// A field's type as written: a primitive, an enum, a structured type, or an array of one of those.
struct TypeRef {
  enum class Kind { string, integer, number, boolean, date_time, object, any, enumeration, structure };
  Kind kind = Kind::string;
  bool array = false;
  std::string name; // the enum or structure name (kind enumeration or structure)
  std::string text; // as written, e.g. "array<Characteristic>"
};

struct Field {
  std::string name;
  TypeRef type;
  bool mandatory = false;
  std::string description;
  std::string requirement; // empty: the owning type's requirement
  Position at;
};

struct Type {
  std::string name;
  std::string concern;
  std::string description;
  std::string requirement; // the requirement a body of this type breaks when it is malformed
  std::vector<Field> fields;
  Position at;
  const Field* field(const std::string& name) const;
};

struct Transition {
  std::string from;
  std::string to;
  std::vector<std::string> via; // operations and notifications that cause or announce it
  Position at;
};

struct StateMachine {
  std::string name;
  std::string type;  // the Type whose field holds the state
  std::string field; // a field of enum type: its values are the states
  std::string requirement;
  std::vector<std::string> created_by; // operations or notifications that create the resource
  std::vector<std::string> initial;
  std::vector<std::string> final;
  std::vector<Transition> transitions;
  Position at;
  bool allows(std::string_view from, std::string_view to) const;
};

enum class Direction { telecom_to_cloud, cloud_to_telecom };

struct Response {
  int status = 0;
  std::optional<TypeRef> body; // none: no body (e.g. 204)
};

struct Operation {
  std::string name; // e.g. createServiceOrder: the Message::type of its request and response
  std::string concern;
  Direction direction = Direction::telecom_to_cloud;
  std::string method;                   // GET POST PATCH DELETE
  std::string path;                     // with {id} placeholders
  std::optional<std::string> request;   // body Type name; none for GET and DELETE
  std::map<std::string, TypeRef> query; // query parameters
  std::vector<Response> responses;
  std::vector<std::string> requirements;
  std::vector<std::string> profiles; // empty: every profile
  std::string description;
  Position at;
  const Response* response(int status) const;
};

struct Notification {
  std::string name; // the eventType, e.g. ServiceOrderStateChangeEvent
  std::string concern;
  std::string resource; // the Type carried in the envelope's event under `key`
  std::string key;      // e.g. serviceOrder
  std::vector<std::string> requirements;
  std::vector<std::string> profiles;
  std::string description;
  Position at;
};

struct Money {
  std::string representation;
  std::string rounding; // half-even
  std::string rule;
};

struct Spec {
  std::string file;
  int format = 1; // the i1spec key: the version of this file format
  std::string version;
  std::string title;
  std::string description;
  Money money;
  std::vector<Concern> concerns;
  std::vector<Profile> profiles;
  std::vector<Timer> timers;
  std::vector<Enum> enums;
  std::vector<Type> types;
  std::vector<StateMachine> machines;
  std::vector<Operation> operations;
  std::vector<Notification> notifications;
  std::vector<Requirement> requirements;

  const Concern* concern(const std::string& id) const;
  const Timer* timer(const std::string& name) const;
  const Enum* enumeration(const std::string& name) const;
  const Type* type(const std::string& name) const;
  const StateMachine* machine(const std::string& name) const;
  const Operation* operation(const std::string& name) const;
  const Notification* notification(const std::string& name) const;
  const Requirement* requirement(const std::string& id) const;
};

/// Reads a specification file. Throws SpecError (file:line:col) when it is not well formed: YAML syntax,
/// unknown or missing keys, wrong value kinds, bad levels, durations or type expressions. Cross-references
/// (a field naming an unknown type, a transition naming an unknown state, ...) are the linter's job, so a
/// draft with dangling references still loads and every problem in it is reported at once.
Spec load(const std::string& path);
/// Same, from text in memory; `path` only names it in errors.
Spec load_from_string(const std::string& text, const std::string& path);

/// The shipped specification (conformance/spec/i1-v1.yaml), compiled into the program so that runs never
/// depend on the working directory; its text and its file name for messages.
std::string_view builtin_text();
std::string_view builtin_name(); // "conformance/spec/i1-v1.yaml"
/// builtin_text() loaded (once; it is checked by the tests, so this never throws in a release).
const Spec& builtin();

} // namespace i1sim::spec
