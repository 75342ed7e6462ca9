// The I1 message validator: body shapes against the specification's types, and state machines across a run.
#include "i1/validator.hpp"

#include <algorithm>
#include <cstddef>
#include <deque>
#include <fmt/format.h>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

namespace i1sim::i1 {

namespace {

using nlohmann::json;
using spec::TypeRef;

// Every message body breaks this one when nothing more precise applies (see the specification's text).
constexpr std::string_view kShapeRequirement = "I1-GEN-003";
constexpr std::string_view kStatusRequirement = "I1-GEN-001";
constexpr std::string_view kEnvelopeType = "EventEnvelope";

std::string join(const std::string& path, const std::string& field) {
  return path.empty() ? field : path + "." + field;
}
std::string index(const std::string& path, std::size_t i) { return fmt::format("{}[{}]", path, i); }

std::string listed(const std::vector<std::string>& items) {
  if (items.empty())
    return "none";
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string article(std::string_view word) {
  return !word.empty() && std::string_view("aeiouAEIOU").find(word.front()) != std::string_view::npos ? "an" : "a";
}

std::string requirement_of(const spec::Type& type) {
  return type.requirement.empty() ? std::string(kShapeRequirement) : type.requirement;
}

// What a JSON value is, in the words the specification uses for its primitive types.
std::string json_kind(const json& v) {
  switch (v.type()) {
  case json::value_t::null:
    return "null";
  case json::value_t::boolean:
    return "a boolean";
  case json::value_t::number_integer:
  case json::value_t::number_unsigned:
    return "an integer";
  case json::value_t::number_float:
    return "a floating-point number";
  case json::value_t::string:
    return "a string";
  case json::value_t::array:
    return "an array";
  case json::value_t::object:
    return "an object";
  default:
    return "an unsupported value";
  }
}

// What one element of `ref` must be, for "expected ..." messages.
std::string element_expected(const TypeRef& ref) {
  switch (ref.kind) {
  case TypeRef::Kind::string:
    return "a string";
  case TypeRef::Kind::integer:
    return "an integer";
  case TypeRef::Kind::number:
    return "a number";
  case TypeRef::Kind::boolean:
    return "a boolean";
  case TypeRef::Kind::date_time:
    return "a date-time string";
  case TypeRef::Kind::object:
    return "an object";
  case TypeRef::Kind::any:
    return "a value";
  case TypeRef::Kind::enumeration:
    return fmt::format("{} {} string", article(ref.name), ref.name);
  case TypeRef::Kind::structure:
    return fmt::format("{} {} object", article(ref.name), ref.name);
  }
  return "a value";
}

std::string expected(const TypeRef& ref) {
  if (!ref.array)
    return element_expected(ref);
  std::string item = element_expected(ref);
  item.erase(0, item.find(' ') + 1); // "an integer" -> "integer"
  return fmt::format("an array of {}s", item);
}

bool digits(std::string_view s, std::size_t from, std::size_t count) {
  if (from + count > s.size())
    return false;
  for (std::size_t i = from; i < from + count; ++i)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

int number_at(std::string_view s, std::size_t from, std::size_t count) {
  int n = 0;
  for (std::size_t i = from; i < from + count; ++i)
    n = n * 10 + (s[i] - '0');
  return n;
}

// YYYY-MM-DDTHH:MM:SS[.f to .fffffffff]Z, with a real calendar date and time of day: the one form of ISO 8601
// that the profile allows, so a local time, an offset or a lower-case separator is refused.
bool is_date_time(std::string_view s) {
  if (s.size() < 20 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2) ||
      s[10] != 'T' || !digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2) || s[16] != ':' || !digits(s, 17, 2))
    return false;
  std::size_t at = 19;
  if (s[at] == '.') {
    std::size_t n = 0;
    while (at + 1 + n < s.size() && s[at + 1 + n] >= '0' && s[at + 1 + n] <= '9')
      ++n;
    if (n < 1 || n > 9)
      return false;
    at += 1 + n;
  }
  if (at + 1 != s.size() || s[at] != 'Z')
    return false;
  const int year = number_at(s, 0, 4), month = number_at(s, 5, 2), day = number_at(s, 8, 2);
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1)
    return false;
  if (day > kDays[month - 1] + (month == 2 && leap ? 1 : 0))
    return false;
  return number_at(s, 11, 2) < 24 && number_at(s, 14, 2) < 60 && number_at(s, 17, 2) < 60;
}

// Where a value sits in a body, as a chain of steps from the root: the text of a path is only needed when a
// problem is found, so it is built then (join() and index() rules, applied step by step).
struct Path {
  const Path* parent = nullptr;
  std::string_view field; // a field step (or the root's own text when parent is null)
  std::size_t position = 0;
  bool is_index = false;

  std::string text() const {
    if (!parent)
      return std::string(field);
    const std::string up = parent->text();
    return is_index ? index(up, position) : join(up, std::string(field));
  }
};

} // namespace

// Name lookups of the specification by hash instead of its lists' linear scans; the first of equal names wins,
// as the scans do. Every type is also compiled once into what a walk of a body needs (validator.cpp's checkers
// run on every message of a run): its fields' types resolved to their compiled types and enums, its field names
// sorted to match an object's keys in one merged pass, and the state machines and scoping of its resources.
struct Validator::Index {
  struct Compiled;
  /// A type reference with its names resolved: `structure` and `enumeration` are null when the specification
  /// does not define the name (the linter's finding).
  struct Resolved {
    const TypeRef* ref = nullptr;
    const Compiled* structure = nullptr;
    const spec::Enum* enumeration = nullptr;
  };
  struct CompiledField {
    const spec::Field* field = nullptr;
    Resolved type;
    std::string_view requirement; // the field's, else its type's, else kShapeRequirement
  };
  struct Compiled {
    const spec::Type* type = nullptr;
    std::vector<CompiledField> fields;               // in declared order
    std::vector<std::uint32_t> by_name;              // indices of fields, stably sorted by name
    std::vector<const spec::StateMachine*> machines; // the machines whose resources are of this type
    std::vector<std::uint32_t> structures;           // indices of the fields of a structured type
    bool standalone = false; // has ids of its own (a message's body or a notification's resource)
  };

  explicit Index(const spec::Spec& spec) {
    for (const auto& t : spec.types)
      types.emplace(t.name, &t);
    for (const auto& e : spec.enums)
      enums.emplace(e.name, &e);
    for (const auto& o : spec.operations)
      operations.emplace(o.name, &o);
    for (const auto& n : spec.notifications)
      notifications.emplace(n.name, &n);
    // A type that is some message's body, or a notification's resource, has ids of its own; one that only
    // appears inside others (an order item) is identified within its enclosing resource.
    std::set<std::string, std::less<>> standalone;
    for (const auto& op : spec.operations) {
      if (op.request)
        standalone.insert(*op.request);
      for (const auto& r : op.responses)
        if (r.body && r.body->kind == TypeRef::Kind::structure)
          standalone.insert(r.body->name);
    }
    for (const auto& n : spec.notifications)
      standalone.insert(n.resource);
    compiled.resize(spec.types.size()); // never resized again: fields point into it
    for (std::size_t i = 0; i < spec.types.size(); ++i)
      compiled_of.emplace(&spec.types[i], &compiled[i]);
    for (std::size_t i = 0; i < spec.types.size(); ++i) {
      const spec::Type& t = spec.types[i];
      Compiled& c = compiled[i];
      c.type = &t;
      c.standalone = standalone.count(t.name) != 0;
      for (const auto& m : spec.machines)
        if (m.type == t.name)
          c.machines.push_back(&m);
      const std::string_view type_requirement =
          t.requirement.empty() ? kShapeRequirement : std::string_view(t.requirement);
      for (const auto& f : t.fields) {
        c.fields.push_back(CompiledField{&f, resolve(f.type),
                                         f.requirement.empty() ? type_requirement : std::string_view(f.requirement)});
        if (f.type.kind == TypeRef::Kind::structure)
          c.structures.push_back(static_cast<std::uint32_t>(c.fields.size() - 1));
      }
      c.by_name.resize(c.fields.size());
      for (std::uint32_t k = 0; k < c.by_name.size(); ++k)
        c.by_name[k] = k;
      std::stable_sort(c.by_name.begin(), c.by_name.end(), [&](std::uint32_t a, std::uint32_t b) {
        return c.fields[a].field->name < c.fields[b].field->name;
      });
    }
  }
  const spec::Operation* operation(const std::string& name) const { return lookup(operations, name); }
  const spec::Notification* notification(const std::string& name) const { return lookup(notifications, name); }
  const spec::Type* type(const std::string& name) const { return lookup(types, name); }
  const spec::Enum* enumeration(const std::string& name) const { return lookup(enums, name); }
  /// The compiled form of `t`, a type of the specification.
  const Compiled& compiled_type(const spec::Type& t) const { return *compiled_of.at(&t); }
  /// `ref` with its names looked up (the compiled types and fields hold theirs already).
  Resolved resolve(const TypeRef& ref) const {
    Resolved r{&ref, nullptr, nullptr};
    if (ref.kind == TypeRef::Kind::structure) {
      if (const spec::Type* t = type(ref.name))
        r.structure = compiled_of.at(t);
    } else if (ref.kind == TypeRef::Kind::enumeration) {
      r.enumeration = enumeration(ref.name);
    }
    return r;
  }
  /// The entry named `name` of one of the maps above, or null.
  template <class Map> static typename Map::mapped_type lookup(const Map& map, const std::string& name) {
    const auto it = map.find(name);
    return it == map.end() ? nullptr : it->second;
  }
  std::unordered_map<std::string_view, const spec::Type*> types;
  std::unordered_map<std::string_view, const spec::Enum*> enums;
  std::unordered_map<std::string_view, const spec::Operation*> operations;
  std::unordered_map<std::string_view, const spec::Notification*> notifications;
  std::vector<Compiled> compiled; // by the specification's type order
  std::unordered_map<const spec::Type*, const Compiled*> compiled_of;
};

namespace {

std::string_view requirement_view(const spec::Type& type) {
  return type.requirement.empty() ? kShapeRequirement : std::string_view(type.requirement);
}

using Compiled = Validator::Index::Compiled;
using Resolved = Validator::Index::Resolved;

// Checks values against types, appending every problem found in a fixed order: an object's fields in the order
// its type declares them, then its unknown fields in key order; array items in index order.
class ShapeChecker {
public:
  ShapeChecker(const Validator::Index& index, std::vector<Problem>& out) : index_(index), out_(out) {}

  void value(const json& v, const TypeRef& ref, const std::string& path, const std::string& requirement) {
    const Path root{nullptr, path};
    value(v, index_.resolve(ref), root, requirement);
  }

  void object(const json& v, const spec::Type& type, const std::string& path) {
    const Path root{nullptr, path};
    object(v, index_.compiled_type(type), root);
  }

private:
  void value(const json& v, const Resolved& ref, const Path& path, std::string_view requirement) {
    if (!ref.ref->array) {
      element(v, ref, false, path, requirement);
      return;
    }
    if (!v.is_array()) {
      wrong(v, *ref.ref, false, path, requirement);
      return;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      const Path at{&path, {}, i, true};
      element(v[i], ref, true, at, requirement);
    }
  }

  // The object's keys (sorted, as its std::map keeps them) and the type's field names (sorted once, in the
  // index) are matched in one merged pass; the fields are then checked in declared order. Fields of the same
  // name all see the key's value, as a lookup by name per field would.
  void object(const json& v, const Compiled& type, const Path& path) {
    const auto& members = v.get_ref<const json::object_t&>();
    const std::size_t base = matched_.size();
    const std::size_t unknown_base = unknown_.size();
    matched_.resize(base + type.fields.size(), nullptr);
    std::size_t j = 0;
    for (const auto& [key, member] : members) {
      int order = 1;
      while (j < type.by_name.size() && (order = type.fields[type.by_name[j]].field->name.compare(key)) < 0)
        ++j;
      if (j < type.by_name.size() && order == 0)
        for (std::size_t k = j; k < type.by_name.size() && type.fields[type.by_name[k]].field->name == key; ++k)
          matched_[base + type.by_name[k]] = &member;
      else
        unknown_.push_back(&key);
    }
    for (std::size_t i = 0; i < type.fields.size(); ++i) {
      const auto& f = type.fields[i];
      const Path at{&path, f.field->name};
      const json* member = matched_[base + i]; // by index: the recursion below grows matched_
      if (!member) {
        if (f.field->mandatory)
          add(at.text(), f.requirement, fmt::format("missing mandatory field '{}'", f.field->name));
        continue;
      }
      value(*member, f.type, at, f.requirement);
    }
    matched_.resize(base);
    for (std::size_t i = unknown_base; i < unknown_.size(); ++i)
      add(Path{&path, *unknown_[i]}.text(), requirement_view(*type.type),
          fmt::format("unknown field '{}'", *unknown_[i]));
    unknown_.resize(unknown_base);
  }

  void add(std::string path, std::string_view requirement, std::string message) {
    out_.push_back(Problem{std::move(path), std::string(requirement), std::move(message)});
  }

  // `element`: `ref` is an array type and `v` one of its items.
  void wrong(const json& v, const TypeRef& ref, bool element, const Path& path, std::string_view requirement) {
    const std::string wanted = element ? element_expected(ref) : expected(ref);
    if (v.is_null())
      add(path.text(), requirement, fmt::format("null where {} is required", wanted));
    else
      add(path.text(), requirement, fmt::format("expected {}, found {}", wanted, json_kind(v)));
  }

  void element(const json& v, const Resolved& ref, bool item, const Path& path, std::string_view requirement) {
    bool ok = false;
    switch (ref.ref->kind) {
    case TypeRef::Kind::string:
      ok = v.is_string();
      break;
    case TypeRef::Kind::integer:
      ok = v.is_number_integer();
      break;
    case TypeRef::Kind::number:
      ok = v.is_number();
      break;
    case TypeRef::Kind::boolean:
      ok = v.is_boolean();
      break;
    case TypeRef::Kind::object:
      ok = v.is_object();
      break;
    case TypeRef::Kind::any:
      ok = !v.is_null();
      break;
    case TypeRef::Kind::date_time:
      if (v.is_string() && !is_date_time(v.get_ref<const std::string&>())) {
        add(path.text(), requirement,
            fmt::format("'{}' is not a UTC date-time of the form YYYY-MM-DDTHH:MM:SS[.fff]Z",
                        v.get_ref<const std::string&>()));
        return;
      }
      ok = v.is_string();
      break;
    case TypeRef::Kind::enumeration:
      if (v.is_string()) {
        // An enum the specification does not define is the linter's finding, not this message's.
        const spec::Enum* e = ref.enumeration;
        const auto& text = v.get_ref<const std::string&>();
        if (e && std::find(e->values.begin(), e->values.end(), text) == e->values.end()) {
          add(path.text(), requirement,
              fmt::format("'{}' is not {} {} ({})", text, article(ref.ref->name), ref.ref->name, listed(e->values)));
          return;
        }
      }
      ok = v.is_string();
      break;
    case TypeRef::Kind::structure:
      if (v.is_object()) {
        if (ref.structure)
          object(v, *ref.structure, path);
        return;
      }
      break;
    }
    if (!ok)
      wrong(v, *ref.ref, item, path, requirement);
  }

  const Validator::Index& index_;
  std::vector<Problem>& out_;
  std::vector<const json*> matched_;        // per object being checked, by field index: its value or null
  std::vector<const std::string*> unknown_; // per object being checked: its keys no field names, in key order
};

std::string root_requirement(const spec::Spec& spec, const TypeRef& ref) {
  if (ref.kind == TypeRef::Kind::structure)
    if (const spec::Type* t = spec.type(ref.name))
      return requirement_of(*t);
  return std::string(kShapeRequirement);
}

TypeRef structure(const std::string& name) {
  TypeRef ref;
  ref.kind = TypeRef::Kind::structure;
  ref.name = name;
  ref.text = name;
  return ref;
}

std::vector<std::string> statuses(const spec::Operation& op) {
  std::vector<std::string> out;
  for (const auto& r : op.responses)
    out.push_back(std::to_string(r.status));
  return out;
}

void check_notification(const spec::Spec& spec, const Validator::Index& index, const Message& m,
                        std::vector<Problem>& out) {
  const spec::Notification* n = index.notification(m.type);
  if (!n) {
    out.push_back(Problem{"", std::string(kShapeRequirement), fmt::format("unknown event type '{}'", m.type)});
    return;
  }
  ShapeChecker shapes(index, out);
  const spec::Type* envelope = index.type(std::string(kEnvelopeType));
  const std::string envelope_requirement = envelope ? requirement_of(*envelope) : std::string(kShapeRequirement);
  if (!m.body.is_object()) {
    shapes.value(m.body, structure(std::string(kEnvelopeType)), "", envelope_requirement);
    return;
  }
  if (envelope)
    shapes.object(m.body, *envelope, "");
  auto field_requirement = [&](const std::string& name) {
    const spec::Field* f = envelope ? envelope->field(name) : nullptr;
    return f && !f->requirement.empty() ? f->requirement : envelope_requirement;
  };
  if (const auto it = m.body.find("eventType"); it != m.body.end() && it->is_string() && *it != m.type)
    out.push_back(Problem{"eventType", field_requirement("eventType"),
                          fmt::format("eventType '{}' differs from the notification's type '{}'",
                                      it->get_ref<const std::string&>(), m.type)});
  const auto event = m.body.find("event");
  if (event == m.body.end() || !event->is_object())
    return; // the envelope check named it
  const std::string event_requirement = field_requirement("event");
  if (const auto it = event->find(n->key); it == event->end())
    out.push_back(Problem{join("event", n->key), event_requirement,
                          fmt::format("missing mandatory field '{}' (the {} it carries)", n->key, n->resource)});
  else
    shapes.value(*it, structure(n->resource), join("event", n->key), root_requirement(spec, structure(n->resource)));
  for (const auto& [key, ignored] : event->items())
    if (key != n->key)
      out.push_back(Problem{join("event", key), event_requirement,
                            fmt::format("unknown field '{}' ({} carries only '{}')", key, m.type, n->key)});
}

// A resource of some state machine's type, found in a message body.
struct Occurrence {
  const spec::StateMachine* machine = nullptr;
  const json* resource = nullptr;
  std::string path;  // of the resource
  std::string scope; // the enclosing resource's id for resources that only exist inside another, else empty
};

} // namespace

Validator::Validator(const spec::Spec& spec) : spec_(&spec), index_(std::make_shared<const Index>(spec)) {}

Validator::Validator(const spec::Spec& spec, util::CompactStringTable& keys) : Validator(spec) { keys_ = &keys; }

std::vector<Problem> Validator::check(const Message& message) const {
  const spec::Spec& spec = *spec_;
  std::vector<Problem> out;
  if (message.kind == MessageKind::notification) {
    check_notification(spec, *index_, message, out);
    return out;
  }
  const spec::Operation* op = index_->operation(message.type);
  // The consumer's listener answers every notification with 204 and no body (I1-HUB-006).
  if (!op && message.kind == MessageKind::response && index_->notification(message.type)) {
    if (message.status != 204)
      out.push_back(Problem{"", "I1-HUB-006",
                            fmt::format("a listener answers {} with 204, not {}", message.type, message.status)});
    if (!message.body.is_null() && !(message.body.is_object() && message.body.empty()))
      out.push_back(Problem{"", "I1-HUB-006", "a listener's answer has no body"});
    return out;
  }
  if (!op) {
    out.push_back(Problem{"", std::string(kShapeRequirement), fmt::format("unknown operation '{}'", message.type)});
    return out;
  }
  ShapeChecker shapes(*index_, out);
  std::optional<TypeRef> body_type;
  if (message.kind == MessageKind::request) {
    if (op->request)
      body_type = structure(*op->request);
  } else {
    const spec::Response* r = op->response(message.status);
    if (!r) {
      out.push_back(Problem{
          "", std::string(kStatusRequirement),
          fmt::format("status {} is not one that {} lists ({})", message.status, op->name, listed(statuses(*op)))});
      return out;
    }
    body_type = r->body;
  }
  if (body_type)
    shapes.value(message.body, *body_type, "", root_requirement(spec, *body_type));
  else if (!message.body.is_null())
    out.push_back(Problem{"", std::string(kShapeRequirement),
                          fmt::format("{} {} of {} has no body, but {} was sent", article(to_string(message.kind)),
                                      to_string(message.kind), op->name, json_kind(message.body))});
  return out;
}

namespace {

class ResourceFinder {
public:
  ResourceFinder(const Validator::Index& index, std::vector<Occurrence>& out) : index_(index), out_(out) {}

  void value(const json& v, const TypeRef& ref, const std::string& path, const std::string& scope) {
    const Path root{nullptr, path};
    value(v, index_.resolve(ref), root, scope);
  }

private:
  void value(const json& v, const Resolved& ref, const Path& path, const std::string& scope) {
    if (ref.ref->kind != TypeRef::Kind::structure)
      return;
    if (!ref.ref->array) {
      object(v, ref.structure, path, scope);
      return;
    }
    if (!v.is_array())
      return;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const Path at{&path, {}, i, true};
      object(v[i], ref.structure, at, scope);
    }
  }

  void object(const json& v, const Compiled* type, const Path& path, const std::string& scope) {
    if (!type || !v.is_object() || depth_ > 64) // a cyclic type is the linter's finding; never recurse forever
      return;
    const std::string& own_scope = type->standalone ? kNoScope : scope;
    for (const spec::StateMachine* m : type->machines)
      out_.push_back(Occurrence{m, &v, path.text(), own_scope});
    if (type->structures.empty())
      return;
    std::string inner_scope = scope;
    if (const auto id = v.find("id"); id != v.end() && id->is_string())
      inner_scope = own_scope.empty() ? id->get<std::string>() : own_scope + "/" + id->get<std::string>();
    ++depth_;
    for (const std::uint32_t i : type->structures) {
      const auto& f = type->fields[i];
      if (const auto it = v.find(f.field->name); it != v.end()) {
        const Path at{&path, f.field->name};
        value(*it, f.type, at, inner_scope);
      }
    }
    --depth_;
  }

  static inline const std::string kNoScope;
  const Validator::Index& index_;
  std::vector<Occurrence>& out_;
  int depth_ = 0;
};

bool reachable(const spec::StateMachine& m, std::string_view from, std::string_view to) {
  std::set<std::string> seen{std::string(from)};
  std::deque<std::string> queue{std::string(from)};
  while (!queue.empty()) {
    const std::string at = queue.front();
    queue.pop_front();
    if (at == to)
      return true;
    for (const auto& t : m.transitions)
      if (t.from == at && seen.insert(t.to).second)
        queue.push_back(t.to);
  }
  return false;
}

std::vector<std::string> legal_from(const spec::StateMachine& m, std::string_view from) {
  std::vector<std::string> out;
  for (const auto& t : m.transitions)
    if (t.from == from && std::find(out.begin(), out.end(), t.to) == out.end())
      out.push_back(t.to);
  return out;
}

// The states a machine's field can hold: its enum's values, or, when the field is not an enum the
// specification defines, every state its transitions and initial states name.
bool is_state(const spec::Spec& spec, const spec::StateMachine& m, const std::string& state) {
  if (const spec::Type* t = spec.type(m.type))
    if (const spec::Field* f = t->field(m.field); f && f->type.kind == TypeRef::Kind::enumeration)
      if (const spec::Enum* e = spec.enumeration(f->type.name))
        return std::find(e->values.begin(), e->values.end(), state) != e->values.end();
  if (std::find(m.initial.begin(), m.initial.end(), state) != m.initial.end())
    return true;
  for (const auto& t : m.transitions)
    if (t.from == state || t.to == state)
      return true;
  return false;
}

} // namespace

std::vector<Problem> Validator::observe(const Message& message) {
  std::vector<Problem> out = check(message);
  const spec::Spec& spec = *spec_;
  std::vector<Occurrence> found;
  ResourceFinder finder(*index_, found);
  bool late_join_allowed = false;
  if (message.kind == MessageKind::notification) {
    const spec::Notification* n = index_->notification(message.type);
    if (!n || !message.body.is_object())
      return out;
    const auto event = message.body.find("event");
    if (event == message.body.end() || !event->is_object())
      return out;
    if (const auto it = event->find(n->key); it != event->end())
      finder.value(*it, structure(n->resource), join("event", n->key), "");
  } else {
    const spec::Operation* op = index_->operation(message.type);
    if (!op)
      return out;
    std::optional<TypeRef> body_type;
    if (message.kind == MessageKind::request) {
      if (op->request)
        body_type = structure(*op->request);
    } else if (const spec::Response* r = op->response(message.status)) {
      body_type = r->body;
      late_join_allowed = op->method == "GET"; // a consumer may read a resource it never saw created
    }
    if (!body_type)
      return out;
    finder.value(message.body, *body_type, "", "");
  }

  for (const Occurrence& o : found) {
    const spec::StateMachine& m = *o.machine;
    const auto id = o.resource->find("id");
    const auto state_value = o.resource->find(m.field);
    if (id == o.resource->end() || !id->is_string() || state_value == o.resource->end() || !state_value->is_string())
      continue; // check() named the missing or mistyped field
    const std::string& state = state_value->get_ref<const std::string&>();
    if (!is_state(spec, m, state))
      continue;
    const std::string& id_text = id->get_ref<const std::string&>();
    key_.assign(m.name).append("/");
    if (!o.scope.empty())
      key_.append(o.scope).append("/");
    key_.append(id_text);
    const std::uint32_t key = (keys_ ? *keys_ : own_keys_).id(key_);
    if (key >= state_of_.size())
      state_of_.resize(key + 1, 0);
    // Named only for a problem (a formatted name and path per resource of every message cost more than the check).
    auto what = [&] { return fmt::format("{} {}", m.name, o.scope.empty() ? id_text : o.scope + "/" + id_text); };
    auto path = [&] { return join(o.path, m.field); };
    const std::uint32_t last = state_of_[key];
    state_of_[key] = states_.id(state); // judge what follows against what the producer last claimed
    if (last == 0) {
      if (!late_join_allowed && std::find(m.initial.begin(), m.initial.end(), state) == m.initial.end())
        out.push_back(Problem{path(), m.requirement,
                              fmt::format("{} first seen in state {}, which is not an initial state ({})", what(),
                                          state, listed(m.initial))});
      continue;
    }
    const std::string_view before = states_.text(last);
    if (state == before)
      continue;
    if (message.kind == MessageKind::notification) {
      if (!m.allows(before, state))
        out.push_back(Problem{path(), m.requirement,
                              fmt::format("illegal transition {} -> {} of {} (legal from {}: {})", before, state,
                                          what(), before, listed(legal_from(m, before)))});
    } else if (!reachable(m, before, state)) {
      out.push_back(Problem{path(), m.requirement,
                            fmt::format("state {} of {} is not reachable from its last state {} by legal transitions",
                                        state, what(), before)});
    }
  }
  return out;
}

} // namespace i1sim::i1
