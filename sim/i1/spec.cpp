// Strict loader of I1 specification files (conformance/spec/*.yaml) into the model of spec.hpp; cross-references
// are left to the linter so that a draft with several dangling names still loads and is reported in one pass.
#include "i1/spec.hpp"

#include "util/units.hpp"
#include "util/yaml_node.hpp"

#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace i1sim::spec {

std::string_view to_string(Level level) {
  switch (level) {
  case Level::shall:
    return "shall";
  case Level::should:
    return "should";
  case Level::may:
    return "may";
  }
  return "shall";
}

namespace {

template <class T, class Key, class Get> const T* find_in(const std::vector<T>& all, const Key& key, Get get) {
  for (const T& x : all)
    if (get(x) == key)
      return &x;
  return nullptr;
}

} // namespace

const Concern* Spec::concern(const std::string& id) const {
  return find_in(concerns, id, [](const Concern& c) -> const std::string& { return c.id; });
}
const Timer* Spec::timer(const std::string& name) const {
  return find_in(timers, name, [](const Timer& t) -> const std::string& { return t.name; });
}
const Enum* Spec::enumeration(const std::string& name) const {
  return find_in(enums, name, [](const Enum& e) -> const std::string& { return e.name; });
}
const Type* Spec::type(const std::string& name) const {
  return find_in(types, name, [](const Type& t) -> const std::string& { return t.name; });
}
const StateMachine* Spec::machine(const std::string& name) const {
  return find_in(machines, name, [](const StateMachine& m) -> const std::string& { return m.name; });
}
const Operation* Spec::operation(const std::string& name) const {
  return find_in(operations, name, [](const Operation& o) -> const std::string& { return o.name; });
}
const Notification* Spec::notification(const std::string& name) const {
  return find_in(notifications, name, [](const Notification& n) -> const std::string& { return n.name; });
}
const Requirement* Spec::requirement(const std::string& id) const {
  return find_in(requirements, id, [](const Requirement& r) -> const std::string& { return r.id; });
}

const Field* Type::field(const std::string& field_name) const {
  return find_in(fields, field_name, [](const Field& f) -> const std::string& { return f.name; });
}

bool StateMachine::allows(std::string_view from, std::string_view to) const {
  for (const Transition& t : transitions)
    if (t.from == from && t.to == to)
      return true;
  return false;
}

const Response* Operation::response(int status) const {
  for (const Response& r : responses)
    if (r.status == status)
      return &r;
  return nullptr;
}

namespace {

using util::Node;

/// A util::Node together with the raw YAML it wraps: util::Node does the checking, the raw node gives the
/// position of a mapping's keys, which is where an element is said to be written.
class Src {
public:
  Src(const YAML::Node& raw, const std::string& file, const std::string& path)
      : raw_(raw)
      , node_(raw, file, path)
      , file_(&file) {}

  const Node* operator->() const { return &node_; }
  Position position() const { return {node_.line(), node_.column()}; }
  bool is_null() const { return !raw_.IsDefined() || raw_.IsNull(); }

  /// A key that may be absent (check with has()).
  Src child(const std::string& key) const { return {raw()[key], *file_, node_.child(key).path()}; }
  /// A key that must be present with a value.
  Src at(const std::string& key) const {
    node_.at(key);
    return child(key);
  }

  struct Entry;
  /// The entries of a mapping with free keys, in file order. With `allow_null`, a key may have no value.
  std::vector<Entry> entries(bool allow_null = false) const;

  std::vector<Src> items() const {
    const std::size_t count = node_.items().size(); // a list, or a located error
    std::vector<Src> out;
    for (std::size_t i = 0; i < count; ++i)
      out.emplace_back(raw()[i], *file_, fmt::format("{}[{}]", node_.path(), i));
    return out;
  }

private:
  const YAML::Node& raw() const { return raw_; }
  std::string join(const std::string& key) const { return node_.path().empty() ? key : node_.path() + "." + key; }

  YAML::Node raw_;
  Node node_;
  const std::string* file_;
};

struct Src::Entry {
  std::string key;
  Position at; // of the key
  Src value;
  Node key_node;
};

std::vector<Src::Entry> Src::entries(bool allow_null) const {
  if (!allow_null)
    node_.entries(); // plain, unique keys with values, or a located error
  else if (!node_.is_map())
    node_.fail(fmt::format("{}expected a mapping", node_.prefix()));
  std::vector<Entry> out;
  std::set<std::string> seen;
  for (const auto& kv : raw()) {
    const Node key(kv.first, *file_, node_.path());
    if (!kv.first.IsScalar())
      key.fail(fmt::format("{}a key must be a plain name", node_.prefix()));
    const std::string name = kv.first.Scalar();
    if (!seen.insert(name).second)
      key.fail(fmt::format("{}duplicate key '{}'", node_.prefix(), name));
    out.push_back({name, {key.line(), key.column()}, Src(kv.second, *file_, join(name)), key});
  }
  return out;
}

std::string text_or_empty(const Src& parent, const std::string& key) {
  return parent->has(key) ? parent.child(key)->str() : std::string();
}

std::string nonempty(const Src& s) {
  std::string v = s->str();
  if (v.empty())
    s->fail(fmt::format("{}: must not be empty", s->path()));
  return v;
}

bool is_identifier(const std::string& s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0])))
    return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

/// Reads a type expression; names become enumerations when `enums` holds them and structures otherwise (whether
/// such a structure exists is the linter's question).
TypeRef type_expression(const Src& s, const std::set<std::string>& enums) {
  TypeRef t;
  t.text = s->str();
  std::string inner = t.text;
  const std::string open = "array<";
  if (inner.rfind(open, 0) == 0) {
    if (inner.back() != '>')
      s->fail(fmt::format("{}: '{}' is not a type: an array is written array<T>", s->path(), t.text));
    inner = inner.substr(open.size(), inner.size() - open.size() - 1);
    if (inner.rfind(open, 0) == 0)
      s->fail(fmt::format("{}: '{}' is not a type: an array of arrays is not allowed", s->path(), t.text));
    t.array = true;
  }
  static const std::vector<std::pair<std::string, TypeRef::Kind>> primitives{
      {"string", TypeRef::Kind::string},   {"integer", TypeRef::Kind::integer},     {"number", TypeRef::Kind::number},
      {"boolean", TypeRef::Kind::boolean}, {"date-time", TypeRef::Kind::date_time}, {"object", TypeRef::Kind::object},
      {"any", TypeRef::Kind::any}};
  for (const auto& [word, kind] : primitives)
    if (inner == word) {
      t.kind = kind;
      return t;
    }
  if (!is_identifier(inner))
    s->fail(fmt::format("{}: '{}' is not a type: expected string, integer, number, boolean, date-time, object, any, "
                        "array<T> or the name of an enum or type",
                        s->path(), t.text));
  t.kind = enums.count(inner) ? TypeRef::Kind::enumeration : TypeRef::Kind::structure;
  t.name = inner;
  return t;
}

/// "I1-ORD-004": the literal I1, an upper-case concern, three digits.
bool well_formed_requirement_id(const std::string& id) {
  if (id.rfind("I1-", 0) != 0)
    return false;
  const auto dash = id.find('-', 3);
  if (dash == std::string::npos || dash == 3 || id.size() != dash + 4)
    return false;
  if (!std::isupper(static_cast<unsigned char>(id[3])))
    return false;
  for (std::size_t i = 3; i < dash; ++i)
    if (!(std::isupper(static_cast<unsigned char>(id[i])) || std::isdigit(static_cast<unsigned char>(id[i]))))
      return false;
  for (std::size_t i = dash + 1; i < id.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(id[i])))
      return false;
  return true;
}

std::string requirement_id(const Src& s) {
  std::string id = s->name();
  if (!well_formed_requirement_id(id))
    s->fail(
        fmt::format("{}: '{}' is not a requirement id (I1-<CONCERN>-<three digits>, e.g. I1-ORD-004)", s->path(), id));
  return id;
}

std::vector<std::string> requirement_ids(const Src& s) {
  std::vector<std::string> out;
  for (const Src& item : s.items())
    out.push_back(requirement_id(item));
  return out;
}

std::vector<std::string> names_or_empty(const Src& parent, const std::string& key) {
  return parent->has(key) ? parent.child(key)->names() : std::vector<std::string>();
}

Money load_money(const Src& s) {
  s->expect_map({"representation", "rounding", "rule"});
  return {nonempty(s.at("representation")), nonempty(s.at("rounding")), nonempty(s.at("rule"))};
}

std::vector<Concern> load_concerns(const Src& s) {
  std::vector<Concern> out;
  for (const auto& e : s.entries()) {
    e.key_node.name();
    e.value->expect_map({"title", "api"});
    out.push_back({e.key, nonempty(e.value.at("title")), nonempty(e.value.at("api")), e.at});
  }
  return out;
}

std::vector<Profile> load_profiles(const Src& s) {
  std::vector<Profile> out;
  for (const auto& e : s.entries()) {
    e.key_node.name();
    e.value->expect_map({"title", "description"});
    out.push_back({e.key, nonempty(e.value.at("title")), nonempty(e.value.at("description")), e.at});
  }
  return out;
}

std::vector<Timer> load_timers(const Src& s) {
  std::vector<Timer> out;
  for (const auto& e : s.entries()) {
    e.key_node.name();
    e.value->expect_map({"default", "description"});
    Timer t;
    t.name = e.key;
    const Src d = e.value.at("default");
    t.default_s = d->quantity(units::parse_duration);
    t.default_text = d->str();
    t.description = nonempty(e.value.at("description"));
    t.at = e.at;
    out.push_back(std::move(t));
  }
  return out;
}

/// Enum and type names appear in type expressions, which hold identifiers only.
void type_name(const Src& section, const Src::Entry& e) {
  if (!is_identifier(e.key))
    e.key_node.fail(
        fmt::format("{}: '{}' is not a usable name (a letter, then letters, digits or '_')", section->path(), e.key));
}

std::vector<Enum> load_enums(const Src& s) {
  std::vector<Enum> out;
  for (const auto& e : s.entries()) {
    type_name(s, e);
    e.value->expect_map({"description", "values"});
    out.push_back({e.key, text_or_empty(e.value, "description"), e.value.at("values")->names(), e.at});
  }
  return out;
}

std::vector<Type> load_types(const Src& s, const std::set<std::string>& enums) {
  std::vector<Type> out;
  for (const auto& e : s.entries()) {
    type_name(s, e);
    const Src& v = e.value;
    v->expect_map({"concern", "requirement", "description", "fields"});
    Type t;
    t.name = e.key;
    t.concern = v.at("concern")->name();
    t.requirement = requirement_id(v.at("requirement"));
    t.description = text_or_empty(v, "description");
    t.at = e.at;
    const Src fields = v.at("fields");
    if (!fields->is_map()) // `fields: {}` is a (linted) empty type, a list is a mistake
      fields->fail(fmt::format("{}expected a mapping", fields->prefix()));
    for (const auto& f : fields.entries()) {
      f.key_node.name();
      f.value->expect_map({"type", "mandatory", "description", "requirement"});
      Field field;
      field.name = f.key;
      field.type = type_expression(f.value.at("type"), enums);
      field.mandatory = f.value->has("mandatory") && f.value.child("mandatory")->boolean();
      field.description = text_or_empty(f.value, "description");
      field.requirement = f.value->has("requirement") ? requirement_id(f.value.child("requirement")) : "";
      field.at = f.at;
      t.fields.push_back(std::move(field));
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<StateMachine> load_machines(const Src& s) {
  std::vector<StateMachine> out;
  for (const auto& e : s.entries()) {
    e.key_node.name();
    const Src& v = e.value;
    v->expect_map({"type", "field", "requirement", "created_by", "initial", "final", "transitions"});
    StateMachine m;
    m.name = e.key;
    m.type = v.at("type")->name();
    m.field = v.at("field")->name();
    m.requirement = requirement_id(v.at("requirement"));
    m.created_by = v.at("created_by")->names();
    m.initial = v.at("initial")->names();
    m.final = v.at("final")->names();
    m.at = e.at;
    for (const Src& t : v.at("transitions").items()) {
      t->expect_map({"from", "to", "via"});
      m.transitions.push_back({t.at("from")->name(), t.at("to")->name(), t.at("via")->names(), t.position()});
    }
    out.push_back(std::move(m));
  }
  return out;
}

Direction direction(const Src& s) {
  const std::string d = s->str();
  if (d == "telecom_to_cloud")
    return Direction::telecom_to_cloud;
  if (d == "cloud_to_telecom")
    return Direction::cloud_to_telecom;
  s->fail(fmt::format("{}: '{}' is not a direction (telecom_to_cloud or cloud_to_telecom)", s->path(), d));
}

int status_code(const Src& responses, const Src::Entry& e) {
  const std::string& k = e.key;
  const bool digits = k.size() == 3 && k.find_first_not_of("0123456789") == std::string::npos;
  const int code = digits ? std::stoi(k) : 0;
  if (code < 100 || code > 599)
    e.key_node.fail(fmt::format("{}: '{}' is not an HTTP status code (100 to 599)", responses->path(), k));
  return code;
}

std::vector<Operation> load_operations(const Src& s, const std::set<std::string>& enums) {
  std::vector<Operation> out;
  for (const auto& e : s.entries()) {
    e.key_node.name();
    const Src& v = e.value;
    v->expect_map({"concern", "direction", "method", "path", "request", "query", "responses", "requirements",
                   "profiles", "description"});
    Operation o;
    o.name = e.key;
    o.concern = v.at("concern")->name();
    o.direction = direction(v.at("direction"));
    const Src method = v.at("method");
    o.method = method->str();
    if (o.method != "GET" && o.method != "POST" && o.method != "PATCH" && o.method != "DELETE")
      method->fail(fmt::format("{}: '{}' is not a method (GET, POST, PATCH or DELETE)", method->path(), o.method));
    const Src path = v.at("path");
    o.path = path->str();
    if (o.path.empty() || o.path[0] != '/')
      path->fail(fmt::format("{}: '{}' must start with '/'", path->path(), o.path));
    if (v->has("request")) {
      const Src request = v.child("request");
      if (o.method == "GET" || o.method == "DELETE")
        request->fail(fmt::format("{}: a {} request carries no body", request->path(), o.method));
      const std::string name = request->str();
      if (!is_identifier(name))
        request->fail(fmt::format("{}: '{}' is not the name of a type", request->path(), name));
      o.request = name;
    }
    if (v->has("query"))
      for (const auto& q : v.child("query").entries())
        o.query.emplace(q.key, type_expression(q.value, enums));
    const Src responses = v.at("responses");
    for (const auto& r : responses.entries(true)) {
      Response response;
      response.status = status_code(responses, r);
      if (!r.value.is_null())
        response.body = type_expression(r.value, enums);
      o.responses.push_back(std::move(response));
    }
    o.requirements = requirement_ids(v.at("requirements"));
    o.profiles = names_or_empty(v, "profiles");
    o.description = text_or_empty(v, "description");
    o.at = e.at;
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<Notification> load_notifications(const Src& s) {
  std::vector<Notification> out;
  for (const auto& e : s.entries()) {
    e.key_node.name();
    const Src& v = e.value;
    v->expect_map({"concern", "resource", "key", "requirements", "profiles", "description"});
    Notification n;
    n.name = e.key;
    n.concern = v.at("concern")->name();
    n.resource = v.at("resource")->name();
    n.key = v.at("key")->name();
    n.requirements = requirement_ids(v.at("requirements"));
    n.profiles = names_or_empty(v, "profiles");
    n.description = text_or_empty(v, "description");
    n.at = e.at;
    out.push_back(std::move(n));
  }
  return out;
}

Level level(const Src& s) {
  const std::string l = s->str();
  if (l == "shall")
    return Level::shall;
  if (l == "should")
    return Level::should;
  if (l == "may")
    return Level::may;
  s->fail(fmt::format("{}: '{}' is not a level (shall, should or may)", s->path(), l));
}

std::vector<Requirement> load_requirements(const Src& s) {
  std::vector<Requirement> out;
  for (const Src& item : s.items()) {
    item->expect_map({"id", "level", "concern", "text", "timers", "profiles", "addition", "ics"});
    Requirement r;
    r.id = requirement_id(item.at("id"));
    r.level = level(item.at("level"));
    r.concern = item.at("concern")->name();
    r.text = nonempty(item.at("text"));
    r.timers = names_or_empty(item, "timers");
    r.profiles = names_or_empty(item, "profiles");
    r.addition = item->has("addition") ? item.child("addition")->name() : "";
    r.ics = item->has("ics") ? nonempty(item.child("ics")) : "";
    r.at = item.position();
    out.push_back(std::move(r));
  }
  return out;
}

Spec load_root(const YAML::Node& root, const std::string& file) {
  const Src top(root, file, "");
  if (!root.IsMap())
    top->fail("a specification must be a YAML mapping at its top level");
  top->expect_map({"i1spec", "version", "title", "description", "money", "concerns", "profiles", "timers", "enums",
                   "types", "state_machines", "operations", "notifications", "requirements"});
  Spec spec;
  spec.file = file;
  const Src format = top.at("i1spec");
  if (format->str() != "1")
    format->fail(fmt::format("i1spec: '{}' is not a format this program reads (it reads 1)", format->str()));
  spec.format = 1;
  spec.version = nonempty(top.at("version"));
  spec.title = nonempty(top.at("title"));
  spec.description = nonempty(top.at("description"));
  spec.money = load_money(top.at("money"));
  spec.concerns = load_concerns(top.at("concerns"));
  spec.profiles = load_profiles(top.at("profiles"));
  spec.timers = load_timers(top.at("timers"));
  // Enums first, wherever they are written, so that type expressions know which names are enums.
  spec.enums = load_enums(top.at("enums"));
  std::set<std::string> enums;
  for (const Enum& e : spec.enums)
    enums.insert(e.name);
  spec.types = load_types(top.at("types"), enums);
  spec.machines = load_machines(top.at("state_machines"));
  spec.operations = load_operations(top.at("operations"), enums);
  spec.notifications = load_notifications(top.at("notifications"));
  spec.requirements = load_requirements(top.at("requirements"));
  return spec;
}

} // namespace

Spec load_from_string(const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw SpecError(path, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  try {
    return load_root(root, path);
  } catch (const SpecError&) {
    throw;
  } catch (const util::LocatedError& e) {
    throw SpecError(e.file(), e.line(), e.column(), e.message());
  } catch (const YAML::Exception& e) { // conversions of odd nodes (aliases, binary tags) end up here
    throw SpecError(path, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
}

Spec load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw SpecError(path, 0, 0, "cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return load_from_string(text.str(), path);
}

std::string_view builtin_name() { return "conformance/spec/i1-v1.yaml"; }

const Spec& builtin() {
  static const Spec spec = load_from_string(std::string(builtin_text()), std::string(builtin_name()));
  return spec;
}

} // namespace i1sim::spec
