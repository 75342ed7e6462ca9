// The readable I1 specification: renders a Spec as Markdown for standards editors and vendors (`i1sim spec doc`).
#include "i1/spec_tools.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace i1sim::spec {
namespace {

// Inline text for a paragraph or a table cell. Every '|' is escaped, because a pipe in a cell would split it;
// '<' and '>' are escaped so that type expressions such as array<Place> are not taken for HTML tags; a line
// break inside a cell would end the table row, so it becomes <br>.
std::string inline_text(std::string_view text, bool in_cell) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '|':
      out += "\\|";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '\n':
      out += in_cell ? "<br>" : "\n";
      break;
    case '\r':
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string cell(std::string_view text) { return inline_text(text, true); }
std::string para(std::string_view text) { return inline_text(text, false); }

// Anchors are written as explicit HTML ids, because the ids that Markdown renderers derive from headings differ
// from one renderer to the next. A name keeps its case so that ServiceOrder (a type) and serviceOrder (a machine)
// stay apart; the kind prefix keeps a type and an enum of the same name apart.
std::string anchor_id(std::string_view kind, std::string_view name) {
  std::string out(kind);
  out += '-';
  for (char c : name) {
    const bool plain =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    out += plain ? c : '-';
  }
  return out;
}

std::string anchor(std::string_view kind, std::string_view name) {
  return fmt::format("<a id=\"{}\"></a>", anchor_id(kind, name));
}

std::string link(std::string_view label, std::string_view kind, std::string_view name) {
  return fmt::format("[{}](#{})", cell(label), anchor_id(kind, name));
}

std::string or_dash(const std::string& text) { return text.empty() ? "—" : text; }

std::string direction_text(Direction direction) {
  return direction == Direction::telecom_to_cloud ? "Telecom BSS/OSS → Cloud BSS/OSS"
                                                  : "Cloud BSS/OSS → Telecom BSS/OSS";
}

// Every name an element may refer to, so that a reference becomes a link only when its target is in the document;
// a dangling reference (the linter's business) is printed as plain text rather than as a broken link.
class Linker {
public:
  explicit Linker(const Spec& spec) : spec_(spec) {}

  std::string requirement(const std::string& id) const {
    return spec_.requirement(id) != nullptr ? link(id, "req", id) : cell(id);
  }
  std::string timer(const std::string& name) const {
    return spec_.timer(name) != nullptr ? link(name, "timer", name) : cell(name);
  }
  std::string type_name(const std::string& name) const {
    if (spec_.type(name) != nullptr)
      return link(name, "type", name);
    if (spec_.enumeration(name) != nullptr)
      return link(name, "enum", name);
    return cell(name);
  }
  std::string profile(const std::string& id) const {
    for (const auto& p : spec_.profiles)
      if (p.id == id)
        return link(id, "profile", id);
    return cell(id);
  }
  // An operation or a notification: the names a transition's `via` and a machine's `created_by` hold.
  std::string message(const std::string& name) const {
    if (spec_.operation(name) != nullptr)
      return link(name, "op", name);
    if (spec_.notification(name) != nullptr)
      return link(name, "notif", name);
    return cell(name);
  }
  std::string concern(const std::string& id) const {
    return spec_.concern(id) != nullptr ? link(id, "concern", id) : cell(id);
  }

  // A type expression as written, with the named enum or structure linked: array<Place> -> array<[Place](..)>.
  std::string type_ref(const TypeRef& ref) const {
    if (ref.kind != TypeRef::Kind::enumeration && ref.kind != TypeRef::Kind::structure)
      return cell(ref.text);
    const auto at = ref.text.find(ref.name);
    if (ref.name.empty() || at == std::string::npos)
      return cell(ref.text);
    return cell(ref.text.substr(0, at)) + type_name(ref.name) + cell(ref.text.substr(at + ref.name.size()));
  }

  std::string requirements(const std::vector<std::string>& ids) const {
    std::vector<std::string> out;
    for (const auto& id : ids)
      out.push_back(requirement(id));
    return or_dash(join(out));
  }
  std::string profiles(const std::vector<std::string>& ids) const {
    if (ids.empty())
      return "all";
    std::vector<std::string> out;
    for (const auto& id : ids)
      out.push_back(profile(id));
    return join(out);
  }
  std::string messages(const std::vector<std::string>& names) const {
    std::vector<std::string> out;
    for (const auto& name : names)
      out.push_back(message(name));
    return or_dash(join(out));
  }

private:
  const Spec& spec_;
};

// Mermaid ids for the states of one machine, in order of first mention. A name that is not a plain Mermaid id
// (letters, digits, '_') or that Mermaid reads as a keyword gets a made-up id and is declared with its name as
// label; a made-up id never takes one already given.
class MermaidStates {
public:
  void mention(const std::string& state) {
    if (ids_.count(state) != 0)
      return;
    static const std::set<std::string> keywords{"state", "note", "direction", "end", "class", "classDef", "click"};
    bool plain = !state.empty() && keywords.count(state) == 0;
    std::string id = "s_";
    for (char c : state) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      plain = plain && ok;
      id += ok ? c : '_';
    }
    if (plain && taken_.count(state) == 0) {
      id = state;
    } else {
      const std::string base = id;
      for (int n = 2; taken_.count(id) != 0; ++n)
        id = fmt::format("{}_{}", base, n);
      declared_.push_back(state);
    }
    taken_.insert(id);
    ids_.emplace(state, id);
  }
  const std::string& id(const std::string& state) const { return ids_.at(state); }
  const std::vector<std::string>& declared() const { return declared_; }

private:
  std::map<std::string, std::string> ids_;
  std::set<std::string> taken_;
  std::vector<std::string> declared_;
};

// A label ends at the line's end and must not open a comment, end a statement or close a quoted name.
std::string mermaid_label(const std::vector<std::string>& via) {
  std::string out;
  for (char c : join(via))
    out += (c == '\n' || c == ';' || c == '#' || c == '%' || c == '"') ? ' ' : c;
  return out;
}

class Renderer {
public:
  Renderer(const Spec& spec, const Annotations* annotations) : spec_(spec), links_(spec), annotations_(annotations) {}

  std::string run() {
    header();
    contents();
    profiles();
    money();
    for (const auto& concern : spec_.concerns)
      concern_section(concern.id, &concern);
    orphans();
    timers();
    enums();
    index();
    // One trailing newline, whatever the last section wrote.
    while (!out_.empty() && out_.back() == '\n')
      out_.pop_back();
    out_ += '\n';
    return out_;
  }

private:
  void line(std::string_view text = {}) {
    out_ += text;
    out_ += '\n';
  }

  void header() {
    line(fmt::format("# {}", para(spec_.title.empty() ? std::string("I1 specification") : spec_.title)));
    line();
    std::string source = spec_.file;
    if (const auto slash = source.find_last_of('/'); slash != std::string::npos)
      source = source.substr(slash + 1); // the base name only: the text must not depend on where the file lay
    line(fmt::format("<!-- Generated{} by `i1sim spec doc`: edit the YAML file, not this one. -->",
                     source.empty() ? std::string() : " from " + source));
    line();
    line(fmt::format("Version **{}** (specification file format {}).", para(or_dash(spec_.version)), spec_.format));
    line();
    if (!spec_.description.empty()) {
      line(para(spec_.description));
      line();
    }
    if (annotations_ != nullptr && !annotations_->note.empty()) {
      line(para(annotations_->note));
      line();
    }
  }

  void contents() {
    line("## Contents");
    line();
    line("- [Profiles](#profiles)");
    line("- [Money](#money)");
    for (const auto& c : spec_.concerns)
      line(fmt::format("- [{}: {}](#{})", cell(c.id), cell(c.title), anchor_id("concern", c.id)));
    if (has_orphans())
      line("- [Elements of no listed concern](#no-concern)");
    line("- [Timers](#timers)");
    line("- [Enumerations](#enumerations)");
    line("- [Requirement index](#requirement-index)");
    line();
  }

  void profiles() {
    line("<a id=\"profiles\"></a>");
    line("## Profiles");
    line();
    line("A requirement applies to every profile unless it names some.");
    line();
    line("| Profile | Title | Description |");
    line("|---|---|---|");
    for (const auto& p : spec_.profiles)
      line(fmt::format("| {}{} | {} | {} |", anchor("profile", p.id), cell(p.id), cell(p.title), cell(p.description)));
    line();
  }

  void money() {
    line("<a id=\"money\"></a>");
    line("## Money");
    line();
    line(fmt::format("- Representation: {}", para(or_dash(spec_.money.representation))));
    line(fmt::format("- Rounding: {}", para(or_dash(spec_.money.rounding))));
    line();
    if (!spec_.money.rule.empty()) {
      line(para(spec_.money.rule));
      line();
    }
  }

  // One concern, or (concern == nullptr) the elements whose concern names none of the listed ones.
  void concern_section(const std::string& id, const Concern* concern) {
    auto mine = [&](const std::string& of) { return concern != nullptr ? of == id : spec_.concern(of) == nullptr; };
    if (concern != nullptr) {
      line(anchor("concern", id));
      line(fmt::format("## {}: {}", para(id), para(concern->title)));
      line();
      if (!concern->api.empty()) {
        line(fmt::format("Closest published API: {}.", para(concern->api)));
        line();
      }
    } else {
      line("<a id=\"no-concern\"></a>");
      line("## Elements of no listed concern");
      line();
    }

    std::vector<const Requirement*> requirements;
    for (const auto& r : spec_.requirements)
      if (mine(r.concern))
        requirements.push_back(&r);
    if (!requirements.empty()) {
      requirement_table(requirements);
      if (annotations_ != nullptr)
        annotation_block(requirements);
    }

    std::vector<const Operation*> operations;
    for (const auto& o : spec_.operations)
      if (mine(o.concern))
        operations.push_back(&o);
    if (!operations.empty()) {
      line("### Operations");
      line();
      for (const auto* o : operations)
        operation(*o);
    }

    std::vector<const Notification*> notifications;
    for (const auto& n : spec_.notifications)
      if (mine(n.concern))
        notifications.push_back(&n);
    if (!notifications.empty())
      notification_table(notifications);

    std::vector<const Type*> types;
    for (const auto& t : spec_.types)
      if (mine(t.concern))
        types.push_back(&t);
    if (!types.empty()) {
      line("### Types");
      line();
      for (const auto* t : types)
        type(*t);
    }

    // A machine belongs where its type does; a machine whose type is unknown has no concern.
    std::vector<const StateMachine*> machines;
    for (const auto& m : spec_.machines) {
      const Type* t = spec_.type(m.type);
      if (concern != nullptr ? (t != nullptr && t->concern == id)
                             : (t == nullptr || spec_.concern(t->concern) == nullptr))
        machines.push_back(&m);
    }
    if (!machines.empty()) {
      line("### State machines");
      line();
      for (const auto* m : machines)
        machine(*m);
    }
  }

  bool has_orphans() const {
    auto orphan = [&](const std::string& of) { return spec_.concern(of) == nullptr; };
    for (const auto& r : spec_.requirements)
      if (orphan(r.concern))
        return true;
    for (const auto& o : spec_.operations)
      if (orphan(o.concern))
        return true;
    for (const auto& n : spec_.notifications)
      if (orphan(n.concern))
        return true;
    for (const auto& t : spec_.types)
      if (orphan(t.concern))
        return true;
    for (const auto& m : spec_.machines) {
      const Type* t = spec_.type(m.type);
      if (t == nullptr || orphan(t->concern))
        return true;
    }
    return false;
  }

  void orphans() {
    if (has_orphans())
      concern_section({}, nullptr);
  }

  void requirement_table(const std::vector<const Requirement*>& requirements) {
    line("### Requirements");
    line();
    line("| Id | Level | Text | Timers | Profiles | Addition / ICS |");
    line("|---|---|---|---|---|---|");
    for (const auto* r : requirements) {
      std::vector<std::string> timers;
      for (const auto& t : r->timers)
        timers.push_back(links_.timer(t));
      std::vector<std::string> extra;
      if (!r->addition.empty())
        extra.push_back(fmt::format("addition: {}", cell(r->addition)));
      if (!r->ics.empty())
        extra.push_back(fmt::format("ICS: `{}`", cell(r->ics)));
      line(fmt::format("| {}{} | {} | {} | {} | {} | {} |", anchor("req", r->id), cell(r->id), to_string(r->level),
                       cell(r->text), or_dash(join(timers)), links_.profiles(r->profiles), or_dash(join(extra, "; "))));
    }
    line();
  }

  // Under a concern's requirements, each one with the caller's lines about it (or the caller's word for none),
  // so a reader sees at once which requirements nothing covers.
  void annotation_block(const std::vector<const Requirement*>& requirements) {
    line(fmt::format("### {}", para(annotations_->heading.empty() ? std::string("Notes") : annotations_->heading)));
    line();
    for (const auto* r : requirements) {
      const auto it = annotations_->lines.find(r->id);
      if (it == annotations_->lines.end() || it->second.empty()) {
        line(fmt::format("- {}: {}", links_.requirement(r->id), para(or_dash(annotations_->none))));
        continue;
      }
      line(fmt::format("- {}", links_.requirement(r->id)));
      for (const auto& text : it->second)
        line(fmt::format("  - {}", cell(text)));
    }
    line();
  }

  void operation(const Operation& o) {
    line(anchor("op", o.name));
    line(fmt::format("#### Operation {}", para(o.name)));
    line();
    line(fmt::format("`{} {}`, {}.", para(o.method), para(o.path), direction_text(o.direction)));
    line();
    if (!o.description.empty()) {
      line(para(o.description));
      line();
    }
    if (!o.query.empty()) {
      std::vector<std::string> query;
      for (const auto& [name, ref] : o.query)
        query.push_back(fmt::format("`{}` ({})", cell(name), links_.type_ref(ref)));
      line(fmt::format("- Query parameters: {}", join(query)));
    }
    line(fmt::format("- Request body: {}", o.request ? links_.type_name(*o.request) : std::string("none")));
    line(fmt::format("- Requirements: {}", links_.requirements(o.requirements)));
    line(fmt::format("- Profiles: {}", links_.profiles(o.profiles)));
    line();
    std::vector<const Response*> responses;
    for (const auto& r : o.responses)
      responses.push_back(&r);
    std::stable_sort(responses.begin(), responses.end(),
                     [](const Response* a, const Response* b) { return a->status < b->status; });
    line("| Status | Body |");
    line("|---|---|");
    for (const auto* r : responses)
      line(fmt::format("| {} | {} |", r->status, r->body ? links_.type_ref(*r->body) : std::string("no body")));
    line();
  }

  void notification_table(const std::vector<const Notification*>& notifications) {
    line("### Notifications");
    line();
    line(fmt::format("Every notification is an {} whose `event` holds the resource under the key given.",
                     links_.type_name("EventEnvelope")));
    line();
    line("| Event type | Resource | Key | Requirements | Profiles | Description |");
    line("|---|---|---|---|---|---|");
    for (const auto* n : notifications)
      line(fmt::format("| {}{} | {} | `{}` | {} | {} | {} |", anchor("notif", n->name), cell(n->name),
                       links_.type_name(n->resource), cell(n->key), links_.requirements(n->requirements),
                       links_.profiles(n->profiles), or_dash(cell(n->description))));
    line();
  }

  void type(const Type& t) {
    line(anchor("type", t.name));
    line(fmt::format("#### Type {}", para(t.name)));
    line();
    if (!t.description.empty()) {
      line(para(t.description));
      line();
    }
    if (!t.requirement.empty()) {
      line(fmt::format("A body of this type that does not match the table breaks {}, unless the field at fault names a "
                       "requirement of its own.",
                       links_.requirement(t.requirement)));
      line();
    }
    line("| Field | Type | Mandatory | Description | Requirement |");
    line("|---|---|---|---|---|");
    for (const auto& f : t.fields)
      line(fmt::format("| `{}` | {} | {} | {} | {} |", cell(f.name), links_.type_ref(f.type),
                       f.mandatory ? "yes" : "no", or_dash(cell(f.description)),
                       f.requirement.empty() ? std::string("—") : links_.requirement(f.requirement)));
    line();
  }

  void machine(const StateMachine& m) {
    line(anchor("machine", m.name));
    line(fmt::format("#### State machine {}", para(m.name)));
    line();
    std::string field = fmt::format("`{}`", para(m.field));
    if (const Type* t = spec_.type(m.type))
      if (const Field* f = t->field(m.field))
        field += fmt::format(" ({})", links_.type_ref(f->type));
    line(fmt::format("- States: the field {} of {}", field, links_.type_name(m.type)));
    line(
        fmt::format("- Requirement: {}", m.requirement.empty() ? std::string("—") : links_.requirement(m.requirement)));
    line(fmt::format("- Created by: {}", links_.messages(m.created_by)));
    line(fmt::format("- Initial states: {}", or_dash(para(join(m.initial)))));
    line(fmt::format("- Final states: {}", or_dash(para(join(m.final)))));
    line();

    line("```mermaid");
    line("stateDiagram-v2");
    MermaidStates states;
    for (const auto& s : m.initial)
      states.mention(s);
    for (const auto& tr : m.transitions) {
      states.mention(tr.from);
      states.mention(tr.to);
    }
    for (const auto& s : m.final)
      states.mention(s);
    for (const auto& s : states.declared())
      line(fmt::format("    state \"{}\" as {}", mermaid_label({s}), states.id(s)));
    for (const auto& s : m.initial)
      line(fmt::format("    [*] --> {}", states.id(s)));
    for (const auto& tr : m.transitions) {
      const std::string label = mermaid_label(tr.via);
      line(fmt::format("    {} --> {}{}", states.id(tr.from), states.id(tr.to), label.empty() ? "" : ": " + label));
    }
    for (const auto& s : m.final)
      line(fmt::format("    {} --> [*]", states.id(s)));
    line("```");
    line();

    line("| From | To | Via |");
    line("|---|---|---|");
    for (const auto& tr : m.transitions)
      line(fmt::format("| {} | {} | {} |", cell(tr.from), cell(tr.to), links_.messages(tr.via)));
    line();
  }

  void timers() {
    line("<a id=\"timers\"></a>");
    line("## Timers");
    line();
    line("| Timer | Default | Description | Used by |");
    line("|---|---|---|---|");
    for (const auto& t : spec_.timers) {
      std::vector<std::string> users;
      for (const auto& r : spec_.requirements)
        if (std::find(r.timers.begin(), r.timers.end(), t.name) != r.timers.end())
          users.push_back(links_.requirement(r.id));
      line(fmt::format("| {}`{}` | {} | {} | {} |", anchor("timer", t.name), cell(t.name), cell(t.default_text),
                       or_dash(cell(t.description)), or_dash(join(users))));
    }
    line();
  }

  void enums() {
    line("<a id=\"enumerations\"></a>");
    line("## Enumerations");
    line();
    line("| Enumeration | Values | Description |");
    line("|---|---|---|");
    for (const auto& e : spec_.enums) {
      std::vector<std::string> values;
      for (const auto& v : e.values)
        values.push_back(fmt::format("`{}`", cell(v)));
      line(fmt::format("| {}{} | {} | {} |", anchor("enum", e.name), cell(e.name), or_dash(join(values)),
                       or_dash(cell(e.description))));
    }
    line();
  }

  // Which operations and notifications cover each requirement, and which types and machines refer to it.
  void index() {
    line("<a id=\"requirement-index\"></a>");
    line("## Requirement index");
    line();
    line("Which operations and notifications cover each requirement, and which types and state machines name it.");
    line();
    line("| Requirement | Level | Operations | Notifications | Types and state machines |");
    line("|---|---|---|---|---|");
    for (const auto& r : spec_.requirements) {
      std::vector<std::string> operations;
      for (const auto& o : spec_.operations)
        if (std::find(o.requirements.begin(), o.requirements.end(), r.id) != o.requirements.end())
          operations.push_back(links_.message(o.name));
      std::vector<std::string> notifications;
      for (const auto& n : spec_.notifications)
        if (std::find(n.requirements.begin(), n.requirements.end(), r.id) != n.requirements.end())
          notifications.push_back(links_.message(n.name));
      std::vector<std::string> others;
      for (const auto& t : spec_.types) {
        if (t.requirement == r.id)
          others.push_back(link(t.name, "type", t.name));
        for (const auto& f : t.fields)
          if (f.requirement == r.id)
            others.push_back(link(t.name + "." + f.name, "type", t.name));
      }
      for (const auto& m : spec_.machines)
        if (m.requirement == r.id)
          others.push_back(link(m.name, "machine", m.name));
      line(fmt::format("| {} | {} | {} | {} | {} |", links_.requirement(r.id), to_string(r.level),
                       or_dash(join(operations)), or_dash(join(notifications)), or_dash(join(others))));
    }
    line();
  }

  const Spec& spec_;
  Linker links_;
  const Annotations* annotations_ = nullptr;
  std::string out_;
};

} // namespace

std::string render_markdown(const Spec& spec, const Annotations* annotations) {
  return Renderer(spec, annotations).run();
}

} // namespace i1sim::spec
