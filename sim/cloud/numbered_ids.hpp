// The ids the reference Cloud gives its own records (SO-000123, SVC-000123): a prefix and a counter written on at
// least `width` digits. A month keeps a record per order and per service, so they are kept in arrays by number
// rather than in maps keyed by their id's text; an id read from a request names one of them only when it is exactly
// the text the Cloud writes, and records are walked in the order of their ids' texts, as a map keyed by the text
// walked them (the two orders differ once a number needs more than `width` digits: SO-1000000 < SO-100001).
#pragma once

#include <algorithm>
#include <cstdint>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace i1sim::cloud {

class NumberedIds {
public:
  constexpr NumberedIds(std::string_view prefix, unsigned width) : prefix_(prefix), width_(width) {}

  /// The id of number `n`, as the Cloud writes it.
  std::string id(std::uint64_t n) const { return fmt::format("{}{:0{}}", prefix_, n, width_); }

  /// The number whose id is exactly `text`, if it is from 1 to `last`; else 0 (no record of the Cloud has that id).
  std::uint64_t number(std::string_view text, std::uint64_t last) const {
    if (text.size() <= prefix_.size() || text.substr(0, prefix_.size()) != prefix_)
      return 0;
    const std::string_view digits = text.substr(prefix_.size());
    // Written on `width` digits, zeros in front, or on more without one; at most 19 digits fit 64 bits.
    if (digits.size() < width_ || digits.size() > 19 || (digits.size() > width_ && digits.front() == '0'))
      return 0;
    std::uint64_t n = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9')
        return 0;
      n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return n >= 1 && n <= last ? n : 0;
  }

  /// Calls f(n) for every number from 1 to `last`, in the order of their ids' texts.
  template <class F> void for_each_in_text_order(std::uint64_t last, F&& f) const {
    std::uint64_t padded = 1; // numbers below it are written on `width` digits, zeros in front
    for (unsigned i = 0; i < width_; ++i)
      padded *= 10;
    for (std::uint64_t n = 1; n < padded && n <= last; ++n) {
      f(n);
      if (n >= padded / 10) // no zero in front: the longer ids that start with this one's digits follow it
        longer(n, last, f);
    }
  }

  /// Whether the id of `a` comes before the id of `b` in text order.
  bool text_less(std::uint64_t a, std::uint64_t b) const {
    unsigned da = digits(a), db = digits(b);
    // Both texts padded on the right to one length compare as numbers; when equal, the shorter text comes first.
    std::uint64_t sa = a, sb = b;
    for (unsigned i = da; i < db; ++i)
      sa *= 10;
    for (unsigned i = db; i < da; ++i)
      sb *= 10;
    return sa != sb ? sa < sb : da < db;
  }

private:
  /// How many digits the id of `n` has.
  unsigned digits(std::uint64_t n) const {
    unsigned d = 1;
    for (; n >= 10; n /= 10)
      ++d;
    return d < width_ ? width_ : d;
  }
  template <class F> static void longer(std::uint64_t n, std::uint64_t last, F& f) {
    for (std::uint64_t c = n * 10; c < n * 10 + 10 && c <= last; ++c) {
      f(c);
      longer(c, last, f);
    }
  }

  std::string_view prefix_;
  unsigned width_;
};

/// Records by number, 1 to size(), in chunks that never move: a record stays at its address for the array's life
/// (records point to each other), and growing copies nothing. A map node cost 64 bytes more per record, with its
/// key's text; a deque of records of a few hundred bytes leaves a quarter of every block empty.
template <class T> class RecordArray {
public:
  /// Adds a record; its number is the new size().
  T& push_back(T record) {
    if (size_ % kChunk == 0)
      chunks_.push_back(std::make_unique<T[]>(kChunk));
    T& at = chunks_.back()[size_ % kChunk];
    at = std::move(record);
    ++size_;
    return at;
  }
  /// Record `number` (1 to size()).
  T& operator[](std::uint64_t number) { return chunks_[(number - 1) / kChunk][(number - 1) % kChunk]; }
  const T& operator[](std::uint64_t number) const { return chunks_[(number - 1) / kChunk][(number - 1) % kChunk]; }
  std::uint64_t size() const { return size_; }

private:
  static constexpr std::size_t kChunk = 1024;
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::uint64_t size_ = 0;
};

/// A map from ids counted up from one (VMs) to numbers other than 0: an array while the ids stay near how many were
/// added, a map node for an id far from them (so that one id cannot claim a large array).
class DenseIndex {
public:
  void set(std::uint64_t id, std::uint32_t value) {
    ++added_;
    if (id < near_.size() || id < 2 * added_ + kSlack) {
      if (id >= near_.size()) {
        near_.resize(std::max<std::size_t>(id + 1, near_.size() * 2), 0);
        // Far ids the array now reaches move into it: an id is in one place only.
        for (auto it = far_.begin(); it != far_.end() && it->first < near_.size(); it = far_.erase(it))
          near_[it->first] = it->second;
      }
      near_[id] = value;
    } else {
      far_[id] = value;
    }
  }
  /// The value of `id`, 0 if none.
  std::uint32_t get(std::uint64_t id) const {
    if (id < near_.size())
      return near_[id];
    const auto it = far_.find(id);
    return it == far_.end() ? 0 : it->second;
  }
  void erase(std::uint64_t id) {
    if (id < near_.size())
      near_[id] = 0;
    far_.erase(id);
  }

private:
  static constexpr std::uint64_t kSlack = 1024;
  std::vector<std::uint32_t> near_;
  std::map<std::uint64_t, std::uint32_t> far_;
  std::uint64_t added_ = 0;
};

inline constexpr NumberedIds kOrderIds{"SO-", 6};
inline constexpr NumberedIds kServiceIds{"SVC-", 6};
inline constexpr NumberedIds kAlarmIds{"ALM-", 6};

} // namespace i1sim::cloud
