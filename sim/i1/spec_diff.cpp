// What changed between two versions of the I1 specification (`i1sim spec diff`), element by element.
#include "i1/spec_tools.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace i1sim::spec {
namespace {

// Lists whose order carries no meaning (the states a machine starts in, the timers a requirement names) are
// compared as sets, so that reordering a list in the file is not reported as a change.
std::vector<std::string> sorted(std::vector<std::string> list) {
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
  return list;
}

// An empty profile list means every profile: say so, since "no profiles" would mean the opposite.
std::string profiles_text(const std::vector<std::string>& profiles) {
  return profiles.empty() ? std::string("all") : join(profiles);
}

// Types are compared by what they mean, not by how they are spelled.
bool same(const TypeRef& a, const TypeRef& b) { return a.kind == b.kind && a.array == b.array && a.name == b.name; }

std::string timer_default(const Timer& t) {
  return t.default_text.empty() ? fmt::format("{}s", t.default_s) : t.default_text;
}

std::string body_text(const Response& r) { return r.body ? r.body->text : std::string("no body"); }

std::string field_summary(const Field& f) {
  return fmt::format("{}, {}", f.type.text, f.mandatory ? "mandatory" : "optional");
}

std::string via_text(const Transition& t) { return t.via.empty() ? std::string() : "via " + join(t.via); }

// The elements of one section by name; when a draft repeats a name the first one counts (the linter reports it).
template <class T, class Key> std::map<std::string, const T*> by_name(const std::vector<T>& items, Key key) {
  std::map<std::string, const T*> out;
  for (const auto& item : items)
    out.emplace(key(item), &item);
  return out;
}

class Differ {
public:
  std::vector<Change> run(const Spec& a, const Spec& b) {
    section(
        a.concerns, b.concerns, "concern", [](const Concern& c) { return c.id; },
        [](const Concern& c) { return c.title; },
        [&](const std::string& w, const Concern& x, const Concern& y) {
          text(w + ".title", x.title, y.title);
          text(w + ".api", x.api, y.api);
        });
    section(
        a.profiles, b.profiles, "profile", [](const Profile& p) { return p.id; },
        [](const Profile& p) { return p.title; },
        [&](const std::string& w, const Profile& x, const Profile& y) {
          text(w + ".title", x.title, y.title);
          text(w + ".description", x.description, y.description);
        });
    section(
        a.timers, b.timers, "timer", [](const Timer& t) { return t.name; }, timer_default,
        [&](const std::string& w, const Timer& x, const Timer& y) {
          // 60s and 1min are the same default: compare the durations, show them as written.
          if (x.default_s != y.default_s)
            changed(w + ".default", timer_default(x), timer_default(y));
          text(w + ".description", x.description, y.description);
        });
    section(
        a.enums, b.enums, "enum", [](const Enum& e) { return e.name; }, [](const Enum& e) { return join(e.values); },
        [&](const std::string& w, const Enum& x, const Enum& y) {
          text(w + ".description", x.description, y.description);
          items(w + ".value", x.values, y.values);
        });
    section(
        a.types, b.types, "type", [](const Type& t) { return t.name; }, type_summary,
        [&](const std::string& w, const Type& x, const Type& y) { type(w, x, y); });
    section(
        a.machines, b.machines, "machine", [](const StateMachine& m) { return m.name; },
        [](const StateMachine& m) { return m.type + "." + m.field; },
        [&](const std::string& w, const StateMachine& x, const StateMachine& y) { machine(w, x, y); });
    section(
        a.operations, b.operations, "operation", [](const Operation& o) { return o.name; },
        [](const Operation& o) { return o.method + " " + o.path; },
        [&](const std::string& w, const Operation& x, const Operation& y) { operation(w, x, y); });
    section(
        a.notifications, b.notifications, "notification", [](const Notification& n) { return n.name; },
        [](const Notification& n) { return fmt::format("resource {}, key {}", n.resource, n.key); },
        [&](const std::string& w, const Notification& x, const Notification& y) {
          text(w + ".concern", x.concern, y.concern);
          text(w + ".resource", x.resource, y.resource);
          text(w + ".key", x.key, y.key);
          items(w + ".requirement", x.requirements, y.requirements);
          text(w + ".profiles", profiles_text(x.profiles), profiles_text(y.profiles));
          text(w + ".description", x.description, y.description);
        });
    section(
        a.requirements, b.requirements, "requirement", [](const Requirement& r) { return r.id; },
        [](const Requirement& r) { return fmt::format("{}: {}", to_string(r.level), r.text); },
        [&](const std::string& w, const Requirement& x, const Requirement& y) {
          text(w + ".concern", x.concern, y.concern);
          text(w + ".level", std::string(to_string(x.level)), std::string(to_string(y.level)));
          text(w + ".text", x.text, y.text);
          set(w + ".timers", x.timers, y.timers);
          text(w + ".profiles", profiles_text(x.profiles), profiles_text(y.profiles));
          text(w + ".addition", x.addition, y.addition);
          text(w + ".ics", x.ics, y.ics);
        });
    text("money.representation", a.money.representation, b.money.representation);
    text("money.rounding", a.money.rounding, b.money.rounding);
    text("money.rule", a.money.rule, b.money.rule);
    text("version", a.version, b.version);
    text("title", a.title, b.title);
    text("description", a.description, b.description);
    text("i1spec", std::to_string(a.format), std::to_string(b.format));
    return std::move(out_);
  }

private:
  void added(std::string what, std::string after) {
    out_.push_back({Change::Kind::added, std::move(what), {}, std::move(after)});
  }
  void removed(std::string what, std::string before) {
    out_.push_back({Change::Kind::removed, std::move(what), std::move(before), {}});
  }
  void changed(std::string what, std::string before, std::string after) {
    out_.push_back({Change::Kind::changed, std::move(what), std::move(before), std::move(after)});
  }
  void text(const std::string& what, const std::string& x, const std::string& y) {
    if (x != y)
      changed(what, x, y);
  }
  void set(const std::string& what, const std::vector<std::string>& x, const std::vector<std::string>& y) {
    if (sorted(x) != sorted(y))
      changed(what, join(x), join(y));
  }
  // One change per member added or removed: these lists (requirements an operation covers, values of an
  // enumeration) are long, and a whole-list change would hide which member moved.
  void items(const std::string& what, const std::vector<std::string>& x, const std::vector<std::string>& y) {
    const auto xs = sorted(x);
    const auto ys = sorted(y);
    std::vector<std::string> all;
    std::set_union(xs.begin(), xs.end(), ys.begin(), ys.end(), std::back_inserter(all));
    for (const auto& item : all) {
      const bool in_x = std::binary_search(xs.begin(), xs.end(), item);
      const bool in_y = std::binary_search(ys.begin(), ys.end(), item);
      if (in_x && !in_y)
        removed(what + " " + item, {});
      else if (!in_x && in_y)
        added(what + " " + item, {});
    }
  }

  // Elements matched by name, visited in name order so that the output does not depend on the order of the file.
  template <class T, class Key, class Summary, class Compare>
  void section(const std::vector<T>& xs, const std::vector<T>& ys, const std::string& kind, Key key, Summary summary,
               Compare compare) {
    const auto x = by_name(xs, key);
    const auto y = by_name(ys, key);
    std::set<std::string> names;
    for (const auto& [name, item] : x)
      names.insert(name);
    for (const auto& [name, item] : y)
      names.insert(name);
    for (const auto& name : names) {
      const std::string what = kind + " " + name;
      const auto in_x = x.find(name);
      const auto in_y = y.find(name);
      if (in_y == y.end())
        removed(what, summary(*in_x->second));
      else if (in_x == x.end())
        added(what, summary(*in_y->second));
      else
        compare(what, *in_x->second, *in_y->second);
    }
  }

  static std::string type_summary(const Type& t) {
    std::vector<std::string> fields;
    for (const auto& f : t.fields)
      fields.push_back(f.name);
    return fmt::format("{}; fields: {}", t.concern, join(fields));
  }

  void type(const std::string& what, const Type& x, const Type& y) {
    text(what + ".concern", x.concern, y.concern);
    text(what + ".requirement", x.requirement, y.requirement);
    text(what + ".description", x.description, y.description);
    const auto xf = by_name(x.fields, [](const Field& f) { return f.name; });
    const auto yf = by_name(y.fields, [](const Field& f) { return f.name; });
    std::set<std::string> names;
    for (const auto& [name, f] : xf)
      names.insert(name);
    for (const auto& [name, f] : yf)
      names.insert(name);
    for (const auto& name : names) {
      const std::string w = what + ".field " + name;
      const auto in_x = xf.find(name);
      const auto in_y = yf.find(name);
      if (in_y == yf.end()) {
        removed(w, field_summary(*in_x->second));
        continue;
      }
      if (in_x == xf.end()) {
        added(w, field_summary(*in_y->second));
        continue;
      }
      const Field& f = *in_x->second;
      const Field& g = *in_y->second;
      if (!same(f.type, g.type))
        changed(w + ".type", f.type.text, g.type.text);
      if (f.mandatory != g.mandatory)
        changed(w + ".mandatory", f.mandatory ? "true" : "false", g.mandatory ? "true" : "false");
      text(w + ".requirement", f.requirement, g.requirement);
      text(w + ".description", f.description, g.description);
    }
  }

  void machine(const std::string& what, const StateMachine& x, const StateMachine& y) {
    text(what + ".type", x.type, y.type);
    text(what + ".field", x.field, y.field);
    text(what + ".requirement", x.requirement, y.requirement);
    items(what + ".created_by", x.created_by, y.created_by);
    set(what + ".initial", x.initial, y.initial);
    set(what + ".final", x.final, y.final);
    auto key = [](const Transition& t) { return t.from + " -> " + t.to; };
    const auto xt = by_name(x.transitions, key);
    const auto yt = by_name(y.transitions, key);
    std::set<std::string> keys;
    for (const auto& [k, t] : xt)
      keys.insert(k);
    for (const auto& [k, t] : yt)
      keys.insert(k);
    for (const auto& k : keys) {
      const std::string w = what + ".transition " + k;
      const auto in_x = xt.find(k);
      const auto in_y = yt.find(k);
      if (in_y == yt.end())
        removed(w, via_text(*in_x->second));
      else if (in_x == xt.end())
        added(w, via_text(*in_y->second));
      else
        set(w + ".via", in_x->second->via, in_y->second->via);
    }
  }

  void operation(const std::string& what, const Operation& x, const Operation& y) {
    text(what + ".concern", x.concern, y.concern);
    auto direction = [](Direction d) {
      return std::string(d == Direction::telecom_to_cloud ? "telecom_to_cloud" : "cloud_to_telecom");
    };
    text(what + ".direction", direction(x.direction), direction(y.direction));
    text(what + ".method", x.method, y.method);
    text(what + ".path", x.path, y.path);
    text(what + ".request", x.request.value_or(""), y.request.value_or(""));
    std::set<std::string> params;
    for (const auto& [name, ref] : x.query)
      params.insert(name);
    for (const auto& [name, ref] : y.query)
      params.insert(name);
    for (const auto& name : params) {
      const std::string w = what + ".query " + name;
      const auto in_x = x.query.find(name);
      const auto in_y = y.query.find(name);
      if (in_y == y.query.end())
        removed(w, in_x->second.text);
      else if (in_x == x.query.end())
        added(w, in_y->second.text);
      else if (!same(in_x->second, in_y->second))
        changed(w, in_x->second.text, in_y->second.text);
    }
    std::set<int> statuses;
    for (const auto& r : x.responses)
      statuses.insert(r.status);
    for (const auto& r : y.responses)
      statuses.insert(r.status);
    for (int status : statuses) {
      const std::string w = fmt::format("{}.response {}", what, status);
      const Response* rx = x.response(status);
      const Response* ry = y.response(status);
      if (ry == nullptr)
        removed(w, body_text(*rx));
      else if (rx == nullptr)
        added(w, body_text(*ry));
      else if (rx->body.has_value() != ry->body.has_value() || (rx->body && !same(*rx->body, *ry->body)))
        changed(w, body_text(*rx), body_text(*ry));
    }
    items(what + ".requirement", x.requirements, y.requirements);
    text(what + ".profiles", profiles_text(x.profiles), profiles_text(y.profiles));
    text(what + ".description", x.description, y.description);
  }

  std::vector<Change> out_;
};

// A change is one line: a value that spans lines is shown on one.
std::string one_line(const std::string& text) {
  std::string out = text;
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

} // namespace

std::vector<Change> diff(const Spec& a, const Spec& b) { return Differ().run(a, b); }

std::string format(const Change& change) {
  switch (change.kind) {
  case Change::Kind::added:
    return change.after.empty() ? "+ " + change.what : fmt::format("+ {}: {}", change.what, one_line(change.after));
  case Change::Kind::removed:
    return change.before.empty() ? "- " + change.what : fmt::format("- {}: {}", change.what, one_line(change.before));
  case Change::Kind::changed:
    break;
  }
  auto shown = [](const std::string& value) { return value.empty() ? std::string("(none)") : one_line(value); };
  return fmt::format("~ {}: {} -> {}", change.what, shown(change.before), shown(change.after));
}

} // namespace i1sim::spec
