// The implementer's side of a campaign: the ICS and PIXIT loaders, the static review of an ICS against the
// specification, and the selection of test purposes by the ICS.
#include "conformance/suite/suite.hpp"
#include "util/units.hpp"
#include "util/yaml_node.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace i1sim::conformance {

namespace {

using util::LocatedError;
using util::Node;

/// Several located problems at once (see suite.cpp): what() lists every one, file()/line()/column() the first.
class StatementErrors : public LocatedError {
public:
  explicit StatementErrors(std::vector<LocatedError> errors)
      : LocatedError(errors.at(0).file(), errors.at(0).line(), errors.at(0).column(), errors.at(0).message()) {
    for (const auto& e : errors)
      text_ += (text_.empty() ? "" : "\n") + std::string(e.what());
  }
  const char* what() const noexcept override { return text_.c_str(); }

private:
  std::string text_;
};

/// Reads and parses `path`, then runs `read` on its root, collecting every located problem.
template <typename F> void read_file(const std::string& path, F&& read) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw LocatedError(path, 0, 0, "cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    throw LocatedError(path, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  std::vector<LocatedError> errors;
  const auto guard = [&](auto&& step) {
    try {
      step();
    } catch (const LocatedError& e) {
      errors.push_back(e);
    } catch (const YAML::Exception& e) {
      errors.emplace_back(path, e.mark.line + 1, e.mark.column + 1, e.msg);
    }
  };
  guard([&] { read(Node(root, path, ""), errors, guard); });
  if (!errors.empty())
    throw StatementErrors(std::move(errors));
}

std::string text(const Node& n, const std::string& key) {
  const std::string s = n.at(key).str();
  if (s.empty())
    n.at(key).fail(fmt::format("{}: must not be empty", n.at(key).path()));
  return s;
}

bool applies_to(const spec::Requirement& r, const std::string& profile) {
  return r.profiles.empty() || std::find(r.profiles.begin(), r.profiles.end(), profile) != r.profiles.end();
}

} // namespace

std::vector<std::string> ics_items(const spec::Spec& spec) {
  std::vector<std::string> items;
  for (const auto& r : spec.requirements)
    if (!r.ics.empty() && std::find(items.begin(), items.end(), r.ics) == items.end())
      items.push_back(r.ics);
  return items;
}

Ics load_ics(const std::string& path, const spec::Spec& spec) {
  Ics ics;
  ics.file = path;
  const std::vector<std::string> items = ics_items(spec);
  read_file(path, [&](const Node& root, std::vector<LocatedError>& errors, auto& guard) {
    root.expect_map({"format", "spec", "implementation", "profile", "features", "requirements"}, &errors);
    guard([&] { root.at("format").integer(1, 1); });
    guard([&] {
      const std::string version = text(root, "spec");
      if (version != spec.version)
        root.at("spec").fail(fmt::format("spec: the statement is about I1 version {}, but the specification is "
                                         "version {}",
                                         version, spec.version));
    });
    guard([&] {
      const Node impl = root.at("implementation");
      impl.expect_map({"name", "version", "vendor"}, &errors);
      guard([&] { ics.implementation = text(impl, "name"); });
      guard([&] { ics.version = text(impl, "version"); });
      guard([&] { ics.vendor = text(impl, "vendor"); });
    });
    guard([&] {
      const Node p = root.at("profile");
      ics.profile = p.str();
      if (std::none_of(spec.profiles.begin(), spec.profiles.end(),
                       [&](const spec::Profile& q) { return q.id == ics.profile; })) {
        std::string known;
        for (const auto& q : spec.profiles)
          known += (known.empty() ? "" : ", ") + q.id;
        p.fail(fmt::format("profile: '{}' is no profile of the specification (known: {})", ics.profile, known));
      }
    });
    guard([&] {
      const Node features = root.at("features");
      for (const auto& [item, value] : features.entries())
        guard([&, item = item, value = value] {
          if (std::find(items.begin(), items.end(), item) == items.end())
            value.fail(fmt::format("{}: '{}' is no ICS item of the specification", value.path(), item));
          ics.features[item] = value.boolean();
        });
      for (const auto& item : items)
        if (ics.features.count(item) == 0 && std::none_of(errors.begin(), errors.end(), [&](const LocatedError& e) {
              return e.message().find("features." + item + ":") != std::string::npos;
            }))
          errors.push_back(features.error(fmt::format("features: no answer for '{}' (true or false)", item)));
    });
    guard([&] {
      const Node reqs = root.at("requirements");
      for (const auto& [id, value] : reqs.entries())
        guard([&, id = id, value = value] {
          if (spec.requirement(id) == nullptr)
            value.fail(fmt::format("{}: '{}' is no requirement of the specification", value.path(), id));
          ics.requirements[id] = value.boolean();
        });
      for (const auto& r : spec.requirements)
        if (ics.requirements.count(r.id) == 0 && std::none_of(errors.begin(), errors.end(), [&](const LocatedError& e) {
              return e.message().find("requirements." + r.id + ":") != std::string::npos;
            }))
          errors.push_back(reqs.error(fmt::format("requirements: no answer for '{}' (true or false)", r.id)));
    });
  });
  return ics;
}

Pixit load_pixit(const std::string& path, const spec::Spec& spec) {
  Pixit pixit;
  pixit.file = path;
  read_file(path, [&](const Node& root, std::vector<LocatedError>& errors, auto& guard) {
    root.expect_map({"format", "timers", "endpoint", "credentials"}, &errors);
    guard([&] { root.at("format").integer(1, 1); });
    guard([&] {
      if (!root.has("timers"))
        return;
      for (const auto& [name, value] : root.at("timers").entries())
        guard([&, name = name, value = value] {
          if (spec.timer(name) == nullptr) {
            std::string known;
            for (const auto& t : spec.timers)
              known += (known.empty() ? "" : ", ") + t.name;
            value.fail(fmt::format("{}: '{}' is no timer of the specification (known: {})", value.path(), name, known));
          }
          pixit.timers[name] = value.quantity(units::parse_duration);
        });
    });
    guard([&] {
      if (!root.has("endpoint"))
        return;
      const Node e = root.at("endpoint");
      pixit.endpoint = e.str();
      if (pixit.endpoint.rfind("http://", 0) != 0 && pixit.endpoint.rfind("https://", 0) != 0)
        e.fail(fmt::format("endpoint: '{}' is not an http:// or https:// address", pixit.endpoint));
    });
    guard([&] {
      if (!root.has("credentials"))
        return;
      for (const auto& [op, value] : root.at("credentials").entries())
        guard([&, op = op, value = value] {
          const std::string credential = value.str();
          if (credential.empty())
            value.fail(fmt::format("{}: must not be empty", value.path()));
          pixit.credentials[op] = credential;
        });
    });
  });
  return pixit;
}

StaticReview review(const Ics& ics, const spec::Spec& spec) {
  StaticReview out;
  const auto claimed = [&](const std::string& id) {
    const auto it = ics.requirements.find(id);
    return it != ics.requirements.end() && it->second;
  };
  const auto feature = [&](const std::string& item) {
    const auto it = ics.features.find(item);
    return it != ics.features.end() && it->second;
  };
  for (const auto& r : spec.requirements) {
    if (!applies_to(r, ics.profile))
      continue;
    if (r.level == spec::Level::shall && !claimed(r.id))
      out.findings.push_back({r.id, fmt::format("{} is mandatory (shall) in profile {} but the ICS does not claim it",
                                                r.id, ics.profile)});
    if (!r.ics.empty() && claimed(r.id) && !feature(r.ics))
      out.findings.push_back({r.id, fmt::format("{} is claimed but its ICS feature {} is not", r.id, r.ics)});
    if (!r.ics.empty() && feature(r.ics) && !claimed(r.id))
      out.findings.push_back(
          {r.ics, fmt::format("ICS feature {} is claimed but {}, which it selects, is not", r.ics, r.id)});
  }
  out.passed = out.findings.empty();
  return out;
}

std::vector<Selection> select(const Suite& suite, const Ics& ics) {
  std::vector<Selection> out;
  for (const TestPurpose& tp : suite.tps) {
    Selection s;
    s.tp = &tp;
    std::vector<std::string> why_not;
    std::vector<std::string> why;
    for (const auto& item : tp.applicability) {
      if (item.rfind("profile.", 0) == 0) {
        const std::string profile = item.substr(8);
        if (profile == ics.profile)
          why.push_back(fmt::format("ICS profile is {}", profile));
        else
          why_not.push_back(fmt::format("ICS profile is {}, not {}", ics.profile, profile));
        continue;
      }
      const auto it = ics.features.find(item);
      if (it != ics.features.end() && it->second)
        why.push_back(fmt::format("ICS {} is true", item));
      else
        why_not.push_back(fmt::format("ICS {} is {}", item, it == ics.features.end() ? "not answered" : "false"));
    }
    s.selected = why_not.empty();
    std::string reason;
    for (const auto& r : s.selected ? why : why_not)
      reason += (reason.empty() ? "" : "; ") + r;
    s.reason = s.selected && reason.empty() ? "applies to every implementation" : reason;
    out.push_back(std::move(s));
  }
  return out;
}

} // namespace i1sim::conformance
