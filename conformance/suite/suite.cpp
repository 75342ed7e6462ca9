// Strict loading of the test purposes (conformance/tps/*.yaml): every problem of every file, at file:line:col.
#include "conformance/suite/suite.hpp"

#include "util/yaml_node.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace i1sim::conformance {

namespace {

using util::LocatedError;
using util::Node;

/// Several located problems at once: what() lists them all, one per line, while file(), line() and column()
/// name the first, so a caller that prints what() shows every problem and one that locates shows the first.
class SuiteErrors : public LocatedError {
public:
  explicit SuiteErrors(std::vector<LocatedError> errors)
      : LocatedError(errors.at(0).file(), errors.at(0).line(), errors.at(0).column(), errors.at(0).message()) {
    for (const auto& e : errors)
      text_ += (text_.empty() ? "" : "\n") + std::string(e.what());
  }
  const char* what() const noexcept override { return text_.c_str(); }

private:
  std::string text_;
};

const std::regex kTpId(R"(TP/I1/([A-Z][A-Z0-9]*)/(BV|BI)/([0-9]{3}))");
constexpr std::string_view kTitleStart = "ensure that ";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw LocatedError(path, 0, 0, "cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

YAML::Node parse(const std::string& text, const std::string& path) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw LocatedError(path, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
}

class SuiteLoader {
public:
  SuiteLoader(const spec::Spec& spec, const std::vector<std::string>& check_ids)
      : spec_(spec)
      , checks_(check_ids.begin(), check_ids.end())
      , ics_(ics_items(spec)) {}

  /// Runs `read` and keeps the problem it found, so that the rest of the file is still checked.
  template <typename F> void guard(F&& read) {
    try {
      read();
    } catch (const LocatedError& e) {
      errors_.push_back(e);
    } catch (const YAML::Exception& e) { // conversions of odd nodes (aliases, binary tags) end up here
      errors_.emplace_back(*current_, e.mark.line + 1, e.mark.column + 1, e.msg);
    }
  }

  std::string text(const Node& n, const std::string& key) {
    const std::string s = n.at(key).str();
    if (s.empty())
      n.at(key).fail(fmt::format("{}: must not be empty", n.at(key).path()));
    return s;
  }

  void index(const Node& root, Suite& suite) {
    root.expect_map({"format", "id", "version", "spec", "title", "description"}, &errors_);
    guard([&] { root.at("format").integer(1, 1); });
    guard([&] { suite.id = text(root, "id"); });
    guard([&] { suite.version = text(root, "version"); });
    guard([&] { text(root, "title"); });
    guard([&] {
      if (root.has("description"))
        root.at("description").str();
    });
    guard([&] {
      const std::string tested = text(root, "spec");
      if (tested != spec_.version)
        root.at("spec").fail(fmt::format("spec: the suite tests I1 version {}, but the specification is version {}",
                                         tested, spec_.version));
    });
  }

  void concern_file(const Node& root, const std::string& path, Suite& suite) {
    root.expect_map({"concern", "description", "BV", "BI"}, &errors_);
    std::string concern;
    guard([&] {
      const Node c = root.at("concern");
      concern = c.str();
      if (spec_.concern(concern) == nullptr)
        c.fail(fmt::format("concern: '{}' is no concern of the specification", concern));
      if (const auto [it, fresh] = concern_files_.emplace(concern, path); !fresh)
        c.fail(fmt::format("concern: {} is already written in {}", concern, it->second));
    });
    guard([&] {
      if (root.has("description"))
        root.at("description").str();
    });
    if (!root.has("BV") && !root.has("BI"))
      errors_.push_back(root.error("a concern file holds a BV or a BI group of test purposes"));
    for (const char* group : {"BV", "BI"}) {
      if (!root.has(group))
        continue;
      guard([&] {
        for (const Node& item : root.at(group).items())
          guard([&] { suite.tps.push_back(tp(item, concern, group, path)); });
      });
    }
  }

  TestPurpose tp(const Node& n, const std::string& concern, const std::string& group, const std::string& path) {
    TestPurpose tp;
    tp.file = path;
    tp.line = n.line();
    const std::size_t before = errors_.size();
    n.expect_map(
        {"id", "title", "requirements", "applicability", "initial", "scenarios", "checks", "pass", "fail", "inconc"},
        &errors_);
    guard([&] { tp.id = id(n.at("id"), concern, group); });
    tp.group = concern + "/" + group;
    guard([&] {
      tp.title = text(n, "title");
      if (tp.title.rfind(kTitleStart, 0) != 0)
        n.at("title").fail(
            fmt::format("{}: a test purpose's title starts with '{}'", n.at("title").path(), std::string(kTitleStart)));
    });
    guard([&] { tp.requirements = requirements(n.at("requirements")); });
    guard([&] {
      if (n.has("applicability")) // absent or empty: selected for every implementation
        tp.applicability = applicability(n.at("applicability"));
    });
    guard([&] { tp.initial = text(n, "initial"); });
    guard([&] { tp.scenarios = names(n.at("scenarios")); });
    guard([&] { tp.checks = checks(n.at("checks")); });
    guard([&] { tp.pass = text(n, "pass"); });
    guard([&] { tp.fail = text(n, "fail"); });
    guard([&] { tp.inconc = text(n, "inconc"); });
    if (errors_.size() == before)
      guard([&] { selectable(n, tp); });
    return tp;
  }

  std::string id(const Node& n, const std::string& concern, const std::string& group) {
    const std::string id = n.str();
    std::smatch m;
    if (!std::regex_match(id, m, kTpId))
      n.fail(fmt::format("{}: '{}' is not a test purpose id (TP/I1/<CONCERN>/<BV|BI>/<nnn>, e.g. TP/I1/ORD/BV/001)",
                         n.path(), id));
    if (m[1].str() != concern)
      n.fail(fmt::format("{}: '{}' names concern {}, but the file is about {}", n.path(), id, m[1].str(), concern));
    if (m[2].str() != group)
      n.fail(fmt::format("{}: '{}' is a {} id in the {} group", n.path(), id, m[2].str(), group));
    if (const auto [it, fresh] = ids_.emplace(id, fmt::format("{}:{}", n.file(), n.line())); !fresh)
      n.fail(fmt::format("{}: duplicate test purpose id '{}' (first at {})", n.path(), id, it->second));
    return id;
  }

  /// A non-empty list of distinct values, each checked by `one`.
  template <typename F> std::vector<std::string> distinct(const Node& n, F&& one) {
    std::vector<std::string> out;
    const auto items = n.items();
    if (items.empty())
      n.fail(fmt::format("{}: must list at least one", n.path()));
    for (const Node& item : items) {
      std::string v = one(item);
      if (std::find(out.begin(), out.end(), v) != out.end())
        item.fail(fmt::format("{}: '{}' is listed twice", item.path(), v));
      out.push_back(std::move(v));
    }
    return out;
  }

  std::vector<std::string> requirements(const Node& n) {
    return distinct(n, [&](const Node& item) {
      const std::string id = item.str();
      if (spec_.requirement(id) == nullptr)
        item.fail(fmt::format("{}: '{}' is no requirement of the specification", item.path(), id));
      return id;
    });
  }

  std::vector<std::string> applicability(const Node& n) {
    std::vector<std::string> out;
    for (const Node& item : n.items()) {
      const std::string v = item.str();
      const bool profile = v.rfind("profile.", 0) == 0;
      bool known = std::find(ics_.begin(), ics_.end(), v) != ics_.end();
      if (profile)
        known = std::any_of(spec_.profiles.begin(), spec_.profiles.end(),
                            [&](const spec::Profile& p) { return "profile." + p.id == v; });
      if (!known) {
        std::string all;
        for (const auto& p : spec_.profiles)
          all += (all.empty() ? "" : ", ") + ("profile." + p.id);
        for (const auto& i : ics_)
          all += ", " + i;
        item.fail(fmt::format("{}: '{}' is no ICS item (known: {})", item.path(), v, all));
      }
      if (std::find(out.begin(), out.end(), v) != out.end())
        item.fail(fmt::format("{}: '{}' is listed twice", item.path(), v));
      out.push_back(v);
    }
    return out;
  }

  std::vector<std::string> names(const Node& n) {
    return distinct(n, [](const Node& item) { return item.name(); });
  }

  std::vector<std::string> checks(const Node& n) {
    return distinct(n, [&](const Node& item) {
      const std::string id = item.str();
      if (checks_.count(id) == 0)
        item.fail(fmt::format("{}: '{}' is no check of the oracles (conformance/oracles/CHECKS.md)", item.path(), id));
      return id;
    });
  }

  /// A test purpose must not be selected for an implementation that need not do what it tests: an optional
  /// requirement's ICS item, and a profile-specific requirement's profile, must be among its applicability.
  void selectable(const Node& n, const TestPurpose& tp) {
    for (const auto& id : tp.requirements) {
      const spec::Requirement* r = spec_.requirement(id);
      if (!r->ics.empty() &&
          std::find(tp.applicability.begin(), tp.applicability.end(), r->ics) == tp.applicability.end())
        n.at("requirements")
            .fail(fmt::format("{}: {} is optional (ICS item {}): the test purpose's applicability must list {}",
                              n.at("requirements").path(), id, r->ics, r->ics));
      if (!r->profiles.empty() && std::none_of(r->profiles.begin(), r->profiles.end(), [&](const std::string& p) {
            return std::find(tp.applicability.begin(), tp.applicability.end(), "profile." + p) !=
                   tp.applicability.end();
          }))
        n.at("requirements")
            .fail(fmt::format("{}: {} applies to profile {} only: the test purpose's applicability must list "
                              "profile.{}",
                              n.at("requirements").path(), id, r->profiles.front(), r->profiles.front()));
    }
  }

  Suite load(const std::string& dir) {
    Suite suite;
    std::vector<std::string> files;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file() && it->path().extension() == ".yaml")
        files.push_back(it->path().string());
    if (ec)
      throw LocatedError(dir, 0, 0, fmt::format("cannot read the test purposes directory: {}", ec.message()));
    std::sort(files.begin(), files.end());
    const auto is_index = [](const std::string& f) { return std::filesystem::path(f).filename() == "suite.yaml"; };
    if (std::none_of(files.begin(), files.end(), is_index))
      throw LocatedError(dir, 0, 0, "no suite.yaml (the suite's identification) in the test purposes directory");
    for (const std::string& file : files) {
      current_ = &file;
      try {
        const YAML::Node root = parse(read_text(file), file);
        const Node top(root, file, "");
        if (is_index(file))
          index(top, suite);
        else
          concern_file(top, file, suite);
      } catch (const LocatedError& e) {
        errors_.push_back(e);
      } catch (const YAML::Exception& e) {
        errors_.emplace_back(file, e.mark.line + 1, e.mark.column + 1, e.msg);
      }
    }
    if (!errors_.empty())
      throw SuiteErrors(std::move(errors_));
    return suite;
  }

private:
  const spec::Spec& spec_;
  std::set<std::string> checks_;
  std::vector<std::string> ics_;
  std::map<std::string, std::string> ids_;           // TP id -> where it was first written
  std::map<std::string, std::string> concern_files_; // concern -> its file
  std::vector<LocatedError> errors_;
  const std::string* current_ = nullptr;
};

} // namespace

/// The loader itself, with the check ids to accept given by the caller: load_suite(dir, spec) passes the
/// oracles' catalogue (suite_catalogue.cpp), tests may pass the ids of CHECKS.md.
Suite load_suite(const std::string& dir, const spec::Spec& spec, const std::vector<std::string>& check_ids) {
  return SuiteLoader(spec, check_ids).load(dir);
}

} // namespace i1sim::conformance
