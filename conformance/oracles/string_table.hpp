// A run's repeated strings (callbacks, credentials, customers, resource keys, states) kept once each, so that the
// oracles' records hold small ids instead of copies.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace i1sim::conformance {

/// Gives each distinct string a small id, in order of first sight; id 0 is the empty string.
class StringTable {
public:
  StringTable() : texts_{std::string()} {}
  StringTable(const StringTable&) = delete; // ids_ views into texts_
  StringTable& operator=(const StringTable&) = delete;

  std::uint32_t id(std::string_view s) {
    if (s.empty())
      return 0;
    if (const auto it = ids_.find(s); it != ids_.end())
      return it->second;
    const auto next = static_cast<std::uint32_t>(texts_.size());
    texts_.emplace_back(s);
    ids_.emplace(texts_.back(), next);
    return next;
  }
  /// The id of `s` if it was ever seen, else nothing (never adds).
  bool find(std::string_view s, std::uint32_t& out) const {
    if (s.empty()) {
      out = 0;
      return true;
    }
    const auto it = ids_.find(s);
    if (it == ids_.end())
      return false;
    out = it->second;
    return true;
  }
  const std::string& text(std::uint32_t id) const { return texts_[id]; }

private:
  std::deque<std::string> texts_; // a deque never moves its elements, so the views below stay valid
  std::unordered_map<std::string_view, std::uint32_t> ids_;
};

} // namespace i1sim::conformance
