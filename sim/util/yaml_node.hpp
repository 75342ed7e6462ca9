// A YAML node that knows its file and dotted path, so every error names file:line:col and the key path.
// Shared by the strict loaders (scenarios, the I1 specification).
#pragma once

#include "util/units.hpp"

#include <cctype>
#include <fmt/format.h>
#include <initializer_list>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace i1sim::util {

/// A problem located in a text file: what() is "file:line:col: message" (or "file: message" with no line).
class LocatedError : public std::runtime_error {
public:
  LocatedError(const std::string& file, int line, int column, const std::string& message)
      : std::runtime_error(line > 0 ? fmt::format("{}:{}:{}: {}", file, line, column, message)
                                    : fmt::format("{}: {}", file, message))
      , file_(file)
      , line_(line)
      , column_(column)
      , message_(message) {}
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& message() const { return message_; }

private:
  std::string file_;
  int line_;
  int column_;
  std::string message_;
};

/// A value that did not come from the file but from the command line (`--set path=value`): errors at `path`
/// or below it are reported against `label` instead of a line of the file.
struct Origin {
  std::string path;  // dotted, with [i] for list items, as Node::path() spells it
  std::string label; // e.g. "--set workload.arrival.rate=50/s"
};

/// A YAML node with the file it came from and its dotted path, so every error can say where it is.
class Node {
public:
  using Entry = std::pair<std::string, Node>;

  Node(const YAML::Node& node, const std::string& file, std::string path, const std::vector<Origin>* origins = nullptr)
      : node_(node)
      , file_(&file)
      , path_(std::move(path))
      , origins_(origins) {}

  [[noreturn]] void fail(const std::string& message) const { throw error(message); }

  /// The error `fail` would throw, for callers that collect several.
  LocatedError error(const std::string& message) const { return error_at(node_, path_, message); }

  const std::string& path() const { return path_; }
  /// "platform.wan[0]: ", or nothing at the top level.
  std::string prefix() const { return path_.empty() ? std::string() : path_ + ": "; }

  /// A mapping whose keys must all be among `allowed`. With `sink`, every bad key is added to it and the
  /// check goes on (a mapping with bad keys can still be read); without, the first one is thrown.
  void expect_map(std::initializer_list<std::string_view> allowed, std::vector<LocatedError>* sink = nullptr) const {
    if (!node_.IsMap())
      fail(fmt::format("{}expected a mapping", prefix()));
    std::set<std::string> seen;
    auto bad = [&](const YAML::Node& key, const std::string& key_path, const std::string& message) {
      LocatedError e = error_at(key, key_path, message);
      if (!sink)
        throw e;
      sink->push_back(std::move(e));
    };
    for (const auto& kv : node_) {
      if (!kv.first.IsScalar()) {
        bad(kv.first, path_, fmt::format("{}a key must be a plain name", prefix()));
        continue;
      }
      const auto key = kv.first.Scalar();
      if (!seen.insert(key).second) { // YAML forbids it, yet parsers keep one silently: say so
        bad(kv.first, join(key), fmt::format("{}duplicate key '{}'", prefix(), key));
        continue;
      }
      bool ok = false;
      for (auto a : allowed)
        ok = ok || a == key;
      if (!ok) {
        std::string known;
        for (auto a : allowed)
          known += (known.empty() ? "" : ", ") + std::string(a);
        bad(kv.first, join(key), fmt::format("{}unknown key '{}' (known: {})", prefix(), key, known));
      }
    }
  }

  bool has(const std::string& key) const { return node_[key].IsDefined() && !node_[key].IsNull(); }

  Node at(const std::string& key) const {
    if (node_[key].IsDefined() && node_[key].IsNull()) // a null value has no position of its own: use the key's
      for (const auto& kv : node_)
        if (kv.first.IsScalar() && kv.first.Scalar() == key)
          throw error_at(kv.first, join(key), fmt::format("{}: has no value", join(key)));
    if (!has(key))
      fail(fmt::format("{}missing required key '{}'", prefix(), key));
    return child(key);
  }

  Node child(const std::string& key) const { return {node_[key], *file_, join(key), origins_}; }

  std::vector<Node> items() const {
    if (!node_.IsSequence())
      fail(fmt::format("{}: expected a list", path_));
    std::vector<Node> out;
    std::size_t i = 0;
    for (const auto& n : node_)
      out.emplace_back(n, *file_, fmt::format("{}[{}]", path_, i++), origins_);
    return out;
  }

  std::string str() const {
    if (!node_.IsScalar())
      fail(fmt::format("{}: expected a single value, not a {}", path_, node_.IsMap() ? "mapping" : "list"));
    return node_.Scalar();
  }

  std::string name() const {
    std::string s = str();
    if (s.empty())
      fail(fmt::format("{}: must not be empty", path_));
    for (char c : s)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
        fail(fmt::format("{}: '{}' may hold only letters, digits, '-' and '_'", path_, s));
    return s;
  }

  long long integer(long long min, long long max) const {
    const std::string s = str();
    long long v = 0;
    std::size_t used = 0;
    try {
      v = std::stoll(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != s.size())
      fail(fmt::format("{}: '{}' is not an integer", path_, s));
    if (v < min || v > max)
      fail(fmt::format("{}: {} is out of range [{}, {}]", path_, v, min, max));
    return v;
  }

  double number(double min) const {
    const std::string s = str();
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != s.size())
      fail(fmt::format("{}: '{}' is not a number", path_, s));
    if (!(v >= min))
      fail(fmt::format("{}: {} must be at least {}", path_, s, min));
    return v;
  }

  /// A quantity with a unit, checked to be strictly positive unless `allow_zero`.
  double quantity(double (*parse)(std::string_view), bool allow_zero = false) const {
    double v = 0;
    try {
      v = parse(str());
    } catch (const units::UnitError& e) {
      fail(fmt::format("{}: {}", path_, e.what()));
    }
    if (v < 0 || (!allow_zero && v == 0))
      fail(fmt::format("{}: must be {}", path_, allow_zero ? "zero or more" : "more than zero"));
    return v;
  }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const Node& n : items())
      out.push_back(n.name());
    return out;
  }

  /// The entries of a mapping whose keys are free names (checked: plain, unique), in file order.
  std::vector<Entry> entries() const {
    if (!node_.IsMap())
      fail(fmt::format("{}expected a mapping", prefix()));
    std::vector<Entry> out;
    std::set<std::string> seen;
    for (const auto& kv : node_) {
      if (!kv.first.IsScalar())
        throw error_at(kv.first, path_, fmt::format("{}a key must be a plain name", prefix()));
      const auto key = kv.first.Scalar();
      if (!seen.insert(key).second)
        throw error_at(kv.first, join(key), fmt::format("{}duplicate key '{}'", prefix(), key));
      if (kv.second.IsNull())
        throw error_at(kv.first, join(key), fmt::format("{}: has no value", join(key)));
      out.emplace_back(key, Node(kv.second, *file_, join(key), origins_));
    }
    return out;
  }

  bool is_map() const { return node_.IsMap(); }
  bool is_list() const { return node_.IsSequence(); }
  bool is_scalar() const { return node_.IsScalar(); }
  /// A scalar written in quotes ('...' or "..."): yaml-cpp tags those "!".
  bool is_quoted() const { return node_.IsScalar() && node_.Tag() == "!"; }
  /// 1-based position, as editors count.
  int line() const { return node_.Mark().line + 1; }
  int column() const { return node_.Mark().column + 1; }
  const std::string& file() const { return *file_; }

  bool boolean() const {
    const std::string s = str();
    if (s == "true")
      return true;
    if (s == "false")
      return false;
    fail(fmt::format("{}: '{}' is not true or false", path_, s));
  }

private:
  std::string join(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  /// Where a problem with `node` (at `path`) is: the command-line override that put it there, or its line and
  /// column in the file (yaml-cpp counts from 0, editors from 1).
  LocatedError error_at(const YAML::Node& node, const std::string& path, const std::string& message) const {
    if (origins_)
      for (auto it = origins_->rbegin(); it != origins_->rend(); ++it) { // the last override of a path wins
        const std::string& p = it->path;
        if (path.compare(0, p.size(), p) == 0 &&
            (path.size() == p.size() || path[p.size()] == '.' || path[p.size()] == '['))
          return LocatedError(it->label, 0, 0, message);
      }
    const YAML::Mark mark = node.Mark();
    return LocatedError(*file_, mark.line + 1, mark.column + 1, message);
  }

  YAML::Node node_;
  const std::string* file_;
  std::string path_;
  const std::vector<Origin>* origins_ = nullptr;
};

} // namespace i1sim::util
