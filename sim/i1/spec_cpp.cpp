// Renders the I1 specification as the constexpr C++ header the code compiles against (`i1sim spec cpp`).
#include "i1/spec_cpp.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <map>
#include <set>
#include <string_view>
#include <vector>

namespace i1sim::spec {
namespace {

// Every C++20 keyword and alternative token, plus the contextual words that would read as specifiers or module
// directives; a specification name equal to one of these gets a trailing underscore.
constexpr std::string_view kKeywords =
    "alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t "
    "char32_t class compl concept const consteval constexpr constinit const_cast continue co_await "
    "co_return co_yield decltype default delete do double dynamic_cast else enum explicit export extern "
    "false final float for friend goto if import inline int long module mutable namespace new noexcept "
    "not not_eq nullptr operator or or_eq override private protected public register reinterpret_cast "
    "requires return short signed sizeof static static_assert static_cast struct switch template this "
    "thread_local throw true try typedef typeid typename union unsigned using virtual void volatile "
    "wchar_t while xor xor_eq";

bool is_keyword(const std::string& id) {
  static const std::set<std::string> words = [] {
    std::set<std::string> out;
    std::string_view rest = kKeywords;
    while (!rest.empty()) {
      const auto end = std::min(rest.find(' '), rest.size());
      out.emplace(rest.substr(0, end));
      rest.remove_prefix(std::min(end + 1, rest.size()));
    }
    return out;
  }();
  return words.contains(id);
}

// Names the header declares or looks up in every scope: a specification name equal to one would hide them.
const std::set<std::string>& header_names() {
  static const std::set<std::string> names{"std",       "OperationInfo", "NotificationInfo", "EnumInfo",
                                           "FieldInfo", "TypeInfo",      "TransitionInfo",   "MachineInfo"};
  return names;
}

// The identifiers of one C++ scope: maps specification names to distinct identifiers, or refuses.
class Scope {
public:
  Scope(const Spec& spec, std::set<std::string> reserved) : spec_(&spec), reserved_(std::move(reserved)) {}

  // `what` names the kind of element for an error, in the singular: "operation", "enum ItemActionType: value".
  std::string add(const std::string& name, const Position& at, const std::string& what) {
    if (name.empty())
      fail(at, fmt::format("{} with an empty name cannot become a C++ identifier", what));
    std::string id;
    for (const char c : name)
      id += std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ? c : '_';
    if (std::isdigit(static_cast<unsigned char>(id.front())) != 0)
      id = "_" + id;
    if (is_keyword(id) || reserved_.contains(id) || header_names().contains(id))
      id += '_';
    const auto [it, fresh] = taken_.emplace(id, name);
    if (!fresh)
      fail(at, fmt::format("{}s '{}' and '{}' would both be the C++ name {}; rename one", what, it->second, name, id));
    return id;
  }

private:
  [[noreturn]] void fail(const Position& at, const std::string& message) const {
    throw SpecError(spec_->file, at.line, at.column, message);
  }

  const Spec* spec_;
  std::set<std::string> reserved_;
  std::map<std::string, std::string> taken_; // identifier -> the name it came from
};

// A C++ string literal holding `text` exactly.
std::string quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\')
      out += fmt::format("\\{}", c);
    else if (u < 0x20 || u == 0x7f)
      out += fmt::format("\\{:03o}", u); // octal stops after three digits, so a following digit stays a digit
    else
      out += c;
  }
  return out + "\"";
}

// The specification named as in the repository, so generating from any working directory gives the same text.
std::string source_name(const std::string& file) {
  constexpr std::string_view marker = "conformance/spec/";
  const auto at = file.rfind(marker);
  std::string name = at != std::string::npos && (at == 0 || file[at - 1] == '/') ? file.substr(at) : file;
  for (char& c : name)
    if (c == '\n' || c == '\r')
      c = '?';
  return name;
}

std::string major_namespace(const Spec& spec) {
  std::string digits;
  for (const char c : spec.version) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0)
      break;
    digits += c;
  }
  if (digits.empty())
    throw SpecError(
        spec.file, 0, 0,
        fmt::format("version '{}' does not start with a major number, which names the C++ namespace", spec.version));
  return "v" + digits;
}

// The generated header keeps to 120 columns, as the repository's .clang-format does.
constexpr std::size_t kColumns = 120;

// `inline constexpr std::array<std::string_view, N> name{...};`, one element a line.
void string_array(std::string& out, std::string_view name, const std::vector<std::string>& items) {
  if (items.empty()) {
    out += fmt::format("inline constexpr std::array<std::string_view, 0> {}{{}};\n", name);
    return;
  }
  out += fmt::format("inline constexpr std::array<std::string_view, {}> {}{{\n", items.size(), name);
  for (const auto& item : items)
    out += fmt::format("    {},\n", quote(item));
  out += "};\n";
}

// The initialisers of one element of a struct array, already rendered.
using Row = std::vector<std::string>;

// One element a line, `{a, b, c},`; an element too wide for one line continues under its first initialiser.
std::string row_text(const Row& row) {
  if (row.size() == 1)
    return fmt::format("    {},\n", row.front());
  std::string out = "    {";
  std::size_t column = out.size();
  for (std::size_t i = 0; i < row.size(); ++i) {
    const std::string piece = row[i] + (i + 1 == row.size() ? "}," : ",");
    if (i > 0 && column + 1 + piece.size() > kColumns) {
      out += "\n     ";
      column = 5;
    } else if (i > 0) {
      out += ' ';
      ++column;
    }
    out += piece;
    column += piece.size();
  }
  return out + "\n";
}

// `inline constexpr std::array<T, N> name{{...}};`, one element a line.
void struct_array(std::string& out, std::string_view type, std::string_view name, const std::vector<Row>& rows) {
  if (rows.empty()) {
    out += fmt::format("inline constexpr std::array<{}, 0> {}{{}};\n", type, name);
    return;
  }
  out += fmt::format("inline constexpr std::array<{}, {}> {}{{{{\n", type, rows.size(), name);
  for (const auto& row : rows)
    out += row_text(row);
  out += "}};\n";
}

// A lookup by name over `all`, usable in constant expressions, so that code can take an operation's path
// from the table by the operation's constant instead of by position.
void find_function(std::string& out, std::string_view type, std::string_view what) {
  out += fmt::format("/// The {} named `name`, or nullptr.\n"
                     "constexpr const {}* find(std::string_view name) {{\n"
                     "  for (const {}& entry : all)\n"
                     "    if (entry.name == name)\n"
                     "      return &entry;\n"
                     "  return nullptr;\n"
                     "}}\n",
                     what, type, type);
}

constexpr std::string_view kStructs =
    R"(/// One operation. `name` is the Message::type of its request and of its response.
struct OperationInfo {
  std::string_view name;
  /// GET, POST, PATCH or DELETE.
  std::string_view method;
  /// The REST path, with {id} placeholders.
  std::string_view path;
  /// The type of the request body; empty when the request has none.
  std::string_view request_type;
};

/// One notification. `name` is its eventType; the envelope's event holds a `resource` under `key`.
struct NotificationInfo {
  std::string_view name;
  std::string_view resource;
  std::string_view key;
};

/// An enum and all its values.
struct EnumInfo {
  std::string_view name;
  std::span<const std::string_view> values;
};

/// One field of a type. `type_text` is its type as the specification writes it, e.g. array<Characteristic>.
struct FieldInfo {
  std::string_view name;
  std::string_view type_text;
  bool mandatory;
};

/// A type: the body of a request, a response or a notification, or a part of one.
struct TypeInfo {
  std::string_view name;
  std::span<const FieldInfo> fields;
};

/// A legal change of state.
struct TransitionInfo {
  std::string_view from;
  std::string_view to;
};

/// A state machine. Its states are the values of the enum-typed `field` of `type`.
struct MachineInfo {
  std::string_view name;
  std::string_view type;
  std::string_view field;
  std::span<const std::string_view> initial;
  std::span<const std::string_view> final;
  std::span<const TransitionInfo> transitions;
};
)";

} // namespace

std::string render_cpp_header(const Spec& spec) {
  const std::string ns = major_namespace(spec);
  const std::string source = source_name(spec.file);

  // Every identifier is chosen before anything is written, so a clash leaves no partial header behind.
  Scope top(spec, {"spec_version", "op", "event", "enums", "fields", "types", "machine", "machines"});
  std::vector<std::string> enum_ids;
  std::vector<std::vector<std::string>> value_ids;
  for (const auto& e : spec.enums) {
    enum_ids.push_back(top.add(e.name, e.at, "enum"));
    Scope values(spec, {"values"});
    auto& ids = value_ids.emplace_back();
    for (const auto& v : e.values)
      ids.push_back(values.add(v, e.at, fmt::format("enum {}: value", e.name)));
  }
  Scope ops(spec, {"all", "find", "name", "entry"}); // the names find() uses, too
  std::vector<std::string> op_ids;
  for (const auto& o : spec.operations)
    op_ids.push_back(ops.add(o.name, o.at, "operation"));
  Scope events(spec, {"all", "find", "name", "entry"});
  std::vector<std::string> event_ids;
  for (const auto& n : spec.notifications)
    event_ids.push_back(events.add(n.name, n.at, "notification"));
  Scope types(spec, {});
  std::vector<std::string> type_ids;
  for (const auto& t : spec.types)
    type_ids.push_back(types.add(t.name, t.at, "type"));
  Scope machines(spec, {});
  std::vector<std::string> machine_ids;
  for (const auto& m : spec.machines)
    machine_ids.push_back(machines.add(m.name, m.at, "state machine"));

  std::string out;
  out +=
      fmt::format("// Generated from {} by `i1sim spec cpp`; do not edit. The I1 model as constexpr tables.\n", source);
  out += fmt::format("// Regenerate with: i1sim spec cpp {} --out sim/include/i1sim/i1_{}.hpp\n", source, ns);
  out += "// tests/unit/spec_model_test.cpp fails while this header and the specification disagree.\n";
  out += "// Laid out one entry a line, so that a change of the specification is a small change here; formatters\n"
         "// leave it as it is:\n";
  out += "// clang-format off\n";
  out += "#pragma once\n\n#include <array>\n#include <span>\n#include <string_view>\n\n";
  out += fmt::format("namespace i1sim::{} {{\n\n", ns);
  out += kStructs;
  out += fmt::format("\n/// The version of the specification this header was generated from.\n"
                     "inline constexpr std::string_view spec_version = {};\n",
                     quote(spec.version));

  out +=
      "\n/// Operation names (the Message::type of requests and responses) and their REST binding.\nnamespace op {\n";
  std::vector<Row> rows;
  for (std::size_t i = 0; i < spec.operations.size(); ++i) {
    const auto& o = spec.operations[i];
    out += fmt::format("inline constexpr std::string_view {} = {};\n", op_ids[i], quote(o.name));
    rows.push_back({quote(o.name), quote(o.method), quote(o.path), quote(o.request.value_or(""))});
  }
  struct_array(out, "OperationInfo", "all", rows);
  find_function(out, "OperationInfo", "operation");
  out += "} // namespace op\n";

  out += "\n/// Notification names (the eventType of an envelope) and what each carries.\nnamespace event {\n";
  rows.clear();
  for (std::size_t i = 0; i < spec.notifications.size(); ++i) {
    const auto& n = spec.notifications[i];
    out += fmt::format("inline constexpr std::string_view {} = {};\n", event_ids[i], quote(n.name));
    rows.push_back({quote(n.name), quote(n.resource), quote(n.key)});
  }
  struct_array(out, "NotificationInfo", "all", rows);
  find_function(out, "NotificationInfo", "notification");
  out += "} // namespace event\n";

  rows.clear();
  for (std::size_t i = 0; i < spec.enums.size(); ++i) {
    const auto& e = spec.enums[i];
    out += fmt::format("\nnamespace {} {{\n", enum_ids[i]);
    for (std::size_t j = 0; j < e.values.size(); ++j)
      out += fmt::format("inline constexpr std::string_view {} = {};\n", value_ids[i][j], quote(e.values[j]));
    string_array(out, "values", e.values);
    out += fmt::format("}} // namespace {}\n", enum_ids[i]);
    rows.push_back({quote(e.name), enum_ids[i] + "::values"});
  }
  out += "\n/// Every enum of the specification.\n";
  struct_array(out, "EnumInfo", "enums", rows);

  out += "\n/// The fields of each type.\nnamespace fields {\n";
  rows.clear();
  for (std::size_t i = 0; i < spec.types.size(); ++i) {
    std::vector<Row> field_rows;
    for (const auto& f : spec.types[i].fields)
      field_rows.push_back({quote(f.name), quote(f.type.text), f.mandatory ? "true" : "false"});
    struct_array(out, "FieldInfo", type_ids[i], field_rows);
    rows.push_back({quote(spec.types[i].name), "fields::" + type_ids[i]});
  }
  out += "} // namespace fields\n";
  out += "\n/// Every type of the specification.\n";
  struct_array(out, "TypeInfo", "types", rows);

  rows.clear();
  for (std::size_t i = 0; i < spec.machines.size(); ++i) {
    const auto& m = spec.machines[i];
    out += fmt::format("\nnamespace machine::{} {{\n", machine_ids[i]);
    string_array(out, "initial", m.initial);
    string_array(out, "final", m.final);
    std::vector<Row> transition_rows;
    for (const auto& t : m.transitions)
      transition_rows.push_back({quote(t.from), quote(t.to)});
    struct_array(out, "TransitionInfo", "transitions", transition_rows);
    const std::string info =
        fmt::format("{}, {}, {}, initial, final, transitions}};", quote(m.name), quote(m.type), quote(m.field));
    constexpr std::string_view info_head = "inline constexpr MachineInfo info{";
    out += info_head.size() + info.size() > kColumns ? fmt::format("{}\n    {}\n", info_head, info)
                                                     : fmt::format("{}{}\n", info_head, info);
    out += fmt::format("}} // namespace machine::{}\n", machine_ids[i]);
    rows.push_back({fmt::format("machine::{}::info", machine_ids[i])});
  }
  out += "\n/// Every state machine of the specification.\n";
  struct_array(out, "MachineInfo", "machines", rows);

  out += fmt::format("\n}} // namespace i1sim::{}\n// clang-format on\n", ns);
  return out;
}

} // namespace i1sim::spec
