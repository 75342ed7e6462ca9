// A run's repeated strings (callbacks, credentials, customers, resource keys, states) kept once each, so that the
// oracles' records and the validator's state machines hold small ids instead of copies.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace i1sim::util {

namespace string_table_detail {

/// Each text a std::string of its own, which never moves: for holders of a `const std::string*` (the reference
/// Cloud's Sym and TextPool). 32 bytes a text, and a heap block past 15 characters.
class StringTexts {
public:
  StringTexts() : texts_{std::string()} {}
  std::uint32_t add(std::string_view s) {
    texts_.emplace_back(s);
    return static_cast<std::uint32_t>(texts_.size() - 1);
  }
  const std::string& operator[](std::uint32_t id) const { return texts_[id]; }
  std::size_t size() const { return texts_.size(); }

private:
  std::deque<std::string> texts_;
};

/// The texts end to end in blocks of characters that are never moved nor freed before the table, each behind its
/// length (one byte below 128 characters, 7 bits a byte); an id's place is 4 bytes, its block and the offset in it.
/// A text costs its characters and about 5 bytes, where a std::string costs 32 and a heap block past 15 characters.
class PackedTexts {
public:
  PackedTexts() { add({}); }
  PackedTexts(PackedTexts&&) noexcept = default;
  PackedTexts& operator=(PackedTexts&&) noexcept = default;
  PackedTexts(const PackedTexts& o) {
    for (std::size_t i = 0; i < o.size(); ++i)
      add(o[static_cast<std::uint32_t>(i)]);
  }
  PackedTexts& operator=(const PackedTexts& o) {
    if (this != &o)
      *this = PackedTexts(o);
    return *this;
  }

  std::uint32_t add(std::string_view s) {
    unsigned char length[10];
    std::size_t n = 0;
    for (std::size_t v = s.size();; v >>= 7) {
      length[n++] = static_cast<unsigned char>(v < 0x80 ? v : (v & 0x7f) | 0x80);
      if (v < 0x80)
        break;
    }
    if (blocks_.empty() || capacity_ - used_ < n + s.size())
      start_block(n + s.size());
    char* at = blocks_.back().get() + used_;
    std::memcpy(at, length, n);
    if (!s.empty())
      std::memcpy(at + n, s.data(), s.size());
    places_.push_back(static_cast<std::uint32_t>((blocks_.size() - 1) << kOffsetBits | used_));
    used_ += n + s.size();
    return static_cast<std::uint32_t>(places_.size() - 1);
  }
  std::string_view operator[](std::uint32_t id) const {
    const std::uint32_t place = places_[id];
    const auto* p = reinterpret_cast<const unsigned char*>(blocks_[place >> kOffsetBits].get() + (place & kOffsetMask));
    std::size_t length = 0;
    for (unsigned shift = 0;; shift += 7) {
      const unsigned byte = *p++;
      length |= std::size_t{byte & 0x7fU} << shift;
      if (byte < 0x80)
        break;
    }
    return {reinterpret_cast<const char*>(p), length};
  }
  std::size_t size() const { return places_.size(); }

private:
  static constexpr unsigned kOffsetBits = 20;
  static constexpr std::uint32_t kOffsetMask = (std::uint32_t{1} << kOffsetBits) - 1;
  static constexpr std::size_t kMaxBlocks = std::size_t{1} << (32 - kOffsetBits);
  static constexpr std::size_t kFirstBlock = 256;                          // small tables stay small
  static constexpr std::size_t kLastBlock = std::size_t{1} << kOffsetBits; // every offset in a block fits its bits

  /// A text longer than a block gets one of its own, at offset 0; the next text starts another.
  void start_block(std::size_t need) {
    if (blocks_.size() == kMaxBlocks)
      throw std::length_error("util::StringTable: more text than its places can address");
    standard_ = blocks_.empty() ? kFirstBlock : std::min(standard_ * 2, kLastBlock);
    capacity_ = std::max(standard_, need);
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(capacity_));
    used_ = 0;
  }

  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t standard_ = 0;         // the size of the last block but for an outsize text's
  std::size_t capacity_ = 0;         // of the last block
  std::size_t used_ = 0;             // of the last block
  std::deque<std::uint32_t> places_; // by id: block << kOffsetBits | offset; a deque never copies them to grow
};

} // namespace string_table_detail

/// Gives each distinct string a small id, in order of first sight; id 0 is the empty string. `Texts` keeps the texts
/// by id; text(id) stays valid, at the same address, as long as the table.
///
/// A month of orders interns millions of ids (orders, services, usage records), so the index is one open-addressed
/// array of 8-byte slots: the id and the top 32 bits of the string's hash, which settle almost every probe without
/// reading the text. A string's first slot to try is the top bits of that hash too, so growing the array moves the
/// slots without reading a text or hashing again. A node-based hash map cost about 56 bytes per string on top of the
/// text.
template <class Texts> class BasicStringTable {
public:
  BasicStringTable() : slots_(kFirstSlots, 0) {}

  std::uint32_t id(std::string_view s) {
    if (s.empty())
      return 0;
    const std::uint32_t t = tag(s);
    std::size_t at = 0;
    if (lookup(s, t, at))
      return static_cast<std::uint32_t>(slots_[at]);
    const std::uint32_t next = texts_.add(s);
    slots_[at] = std::uint64_t{t} << 32 | next;
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
    if (!lookup(s, tag(s), at))
      return false;
    out = static_cast<std::uint32_t>(slots_[at]);
    return true;
  }
  /// `const std::string&` or `std::string_view`, as `Texts` keeps them.
  decltype(auto) text(std::uint32_t id) const { return texts_[id]; }
  /// How many distinct strings, the empty one included.
  std::size_t size() const { return texts_.size(); }

private:
  static std::uint32_t tag(std::string_view s) {
    return static_cast<std::uint32_t>(static_cast<std::uint64_t>(std::hash<std::string_view>{}(s)) >> 32);
  }

  /// Finds `s`'s slot (true) or the empty slot where it would go (false). Slot value 0 is empty: id 0, the empty
  /// string, is never stored.
  bool lookup(std::string_view s, std::uint32_t t, std::size_t& at) const {
    const std::size_t mask = slots_.size() - 1;
    for (at = t >> shift_;; at = (at + 1) & mask) {
      const std::uint64_t v = slots_[at];
      if (v == 0)
        return false;
      if (static_cast<std::uint32_t>(v >> 32) == t && texts_[static_cast<std::uint32_t>(v)] == s)
        return true;
    }
  }

  void grow() {
    if (shift_ == 0) // 2^32 slots: three quarters of them is as many ids as 32 bits give
      throw std::length_error("util::StringTable: more strings than 32-bit ids");
    std::vector<std::uint64_t> old(slots_.size() * 2, 0);
    old.swap(slots_);
    --shift_;
    const std::size_t mask = slots_.size() - 1;
    for (const std::uint64_t v : old)
      if (v != 0) {
        std::size_t at = static_cast<std::uint32_t>(v >> 32) >> shift_;
        while (slots_[at] != 0)
          at = (at + 1) & mask;
        slots_[at] = v;
      }
  }

  static constexpr unsigned kFirstBits = 6;
  static constexpr std::size_t kFirstSlots = std::size_t{1} << kFirstBits;
  Texts texts_;                      // by id
  std::vector<std::uint64_t> slots_; // tag << 32 | id, 0 for empty; size a power of two
  unsigned shift_ = 32 - kFirstBits; // a tag's top log2(slots_.size()) bits are its first slot
  std::size_t used_ = 0;
};

/// Texts as std::strings, for holders of a `const std::string*` to them.
using StringTable = BasicStringTable<string_table_detail::StringTexts>;
/// Texts packed in blocks of characters, read as std::string_view: the oracles' and the validator's tables, which
/// hold most of a run's strings.
using CompactStringTable = BasicStringTable<string_table_detail::PackedTexts>;

} // namespace i1sim::util
