// A run's repeated strings (callbacks, credentials, customers, resource keys, states) kept once each, so that the
// oracles' records and the validator's state machines hold small ids instead of copies.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace i1sim::util {

/// Gives each distinct string a small id, in order of first sight; id 0 is the empty string.
///
/// A month of orders interns millions of ids (orders, services, usage records), so the index is one open-addressed
/// array of 8-byte slots: the id and 32 bits of the string's hash, which settle almost every probe without
/// reading the text. A node-based hash map cost about 56 bytes per string on top of the text.
class StringTable {
public:
  StringTable() : texts_{std::string()}, slots_(kFirstSlots, 0) {}

  std::uint32_t id(std::string_view s) {
    if (s.empty())
      return 0;
    const std::size_t h = hash(s);
    std::size_t at = 0;
    if (lookup(s, h, at))
      return static_cast<std::uint32_t>(slots_[at]);
    const auto next = static_cast<std::uint32_t>(texts_.size());
    texts_.emplace_back(s);
    slots_[at] = slot(h, next);
    if (++used_ * 4 > slots_.size() * 3) // at most three quarters full
      grow();
    return next;
  }
  /// The id of `s` if it was ever seen, else nothing (never adds).
  bool find(std::string_view s, std::uint32_t& out) const {
    if (s.empty()) {
      out = 0;
      return true;
    }
    std::size_t at = 0;
    if (!lookup(s, hash(s), at))
      return false;
    out = static_cast<std::uint32_t>(slots_[at]);
    return true;
  }
  const std::string& text(std::uint32_t id) const { return texts_[id]; }
  /// How many distinct strings, the empty one included.
  std::size_t size() const { return texts_.size(); }

private:
  static std::size_t hash(std::string_view s) { return std::hash<std::string_view>{}(s); }
  static std::uint32_t tag(std::size_t h) { return static_cast<std::uint32_t>(static_cast<std::uint64_t>(h) >> 32); }
  static std::uint64_t slot(std::size_t h, std::uint32_t id) { return std::uint64_t{tag(h)} << 32 | id; }

  /// Finds `s`'s slot (true) or the empty slot where it would go (false). Slot value 0 is empty: id 0, the empty
  /// string, is never stored.
  bool lookup(std::string_view s, std::size_t h, std::size_t& at) const {
    const std::size_t mask = slots_.size() - 1;
    for (at = h & mask;; at = (at + 1) & mask) {
      const std::uint64_t v = slots_[at];
      if (v == 0)
        return false;
      if (static_cast<std::uint32_t>(v >> 32) == tag(h) && texts_[static_cast<std::uint32_t>(v)] == s)
        return true;
    }
  }

  void grow() {
    std::vector<std::uint64_t> old(slots_.size() * 2, 0);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const std::uint64_t v : old)
      if (v != 0) {
        std::size_t at = hash(texts_[static_cast<std::uint32_t>(v)]) & mask;
        while (slots_[at] != 0)
          at = (at + 1) & mask;
        slots_[at] = v;
      }
  }

  static constexpr std::size_t kFirstSlots = 64; // a power of two
  std::deque<std::string> texts_;                // by id
  std::vector<std::uint64_t> slots_;             // tag << 32 | id, 0 for empty; size a power of two
  std::size_t used_ = 0;
};

} // namespace i1sim::util
