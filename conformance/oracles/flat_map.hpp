// Maps and sets of integer keys (the ids of a StringTable, pairs of them, hashes) that oracles keep for every
// resource of a run: one array of slots instead of a node each, which at a million orders is most of the memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace i1sim::conformance {

/// An open-addressed hash map of unsigned integer keys (linear probing, erase by shifting the run back, so no
/// tombstones). Every key is allowed: the one the slots use as their empty mark is kept aside. A pointer to a value
/// stays valid until the next insertion. Walks are in no particular order: sort the keys where order shows.
template <class K, class V> class FlatMap {
  static_assert(std::is_unsigned_v<K>, "keys are unsigned integers");

public:
  std::size_t size() const { return size_ + (spare_ ? 1 : 0); }
  bool empty() const { return size() == 0; }

  V* find(K key) {
    if (key == kEmpty)
      return spare_ ? &*spare_ : nullptr;
    if (slots_.empty())
      return nullptr;
    for (std::size_t i = home(key);; i = next(i)) {
      if (slots_[i].key == key)
        return &slots_[i].value;
      if (slots_[i].key == kEmpty)
        return nullptr;
    }
  }
  const V* find(K key) const { return const_cast<FlatMap*>(this)->find(key); }
  bool contains(K key) const { return find(key) != nullptr; }

  /// Adds `key` with `value` unless it is there already (then leaves it); the value and whether it was added.
  std::pair<V*, bool> emplace(K key, V value = V{}) {
    if (key == kEmpty) {
      if (spare_)
        return {&*spare_, false};
      spare_.emplace(std::move(value));
      return {&*spare_, true};
    }
    if (V* v = find(key))
      return {v, false};
    if ((size_ + 1) * 8 > slots_.size() * 7) // at most 7/8 full
      grow();
    std::size_t i = home(key);
    while (slots_[i].key != kEmpty)
      i = next(i);
    slots_[i].key = key;
    slots_[i].value = std::move(value);
    ++size_;
    return {&slots_[i].value, true};
  }
  V& operator[](K key) { return *emplace(key).first; }

  /// Removes `key`; whether it was there.
  bool erase(K key) {
    if (key == kEmpty) {
      const bool had = spare_.has_value();
      spare_.reset();
      return had;
    }
    if (slots_.empty())
      return false;
    std::size_t i = home(key);
    while (slots_[i].key != key) {
      if (slots_[i].key == kEmpty)
        return false;
      i = next(i);
    }
    // Move back every later slot of the run that may live at the hole, so that no search stops early.
    for (std::size_t j = next(i); slots_[j].key != kEmpty; j = next(j)) {
      const std::size_t h = home(slots_[j].key);
      const bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j); // its home lies cyclically in (i, j]
      if (!stays) {
        slots_[i] = std::move(slots_[j]);
        i = j;
      }
    }
    slots_[i].key = kEmpty;
    slots_[i].value = V{};
    --size_;
    return true;
  }

  /// Calls fn(key, value) on every entry, in no particular order.
  template <class Fn> void for_each(Fn&& fn) const {
    for (const Slot& s : slots_)
      if (s.key != kEmpty)
        fn(s.key, s.value);
    if (spare_)
      fn(kEmpty, *spare_);
  }

private:
  static constexpr K kEmpty = std::numeric_limits<K>::max();
  struct Slot {
    K key = kEmpty;
    [[no_unique_address]] V value{};
  };

  // Fibonacci hashing spreads the key over the product's top bits, which every bit of the key reaches; the top
  // bits then pick a slot among any number of them (the high word of product x slots).
  std::size_t home(K key) const {
    __extension__ using Wide = unsigned __int128;
    const std::uint64_t k = static_cast<std::uint64_t>(key);
    const std::uint64_t spread = (k ^ (k >> 32)) * 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>((Wide{spread} * slots_.size()) >> 64);
  }
  std::size_t next(std::size_t i) const { return i + 1 == slots_.size() ? 0 : i + 1; }

  // Growing by half (not doubling) keeps the slots between 7/12 and 7/8 full: what a run holds at its peak is what
  // counts, and a doubled array would often be half empty then.
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_ = std::vector<Slot>(old.empty() ? 8 : old.size() + old.size() / 2);
    for (Slot& s : old)
      if (s.key != kEmpty) {
        std::size_t i = home(s.key);
        while (slots_[i].key != kEmpty)
          i = next(i);
        slots_[i] = std::move(s);
      }
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0; // slots in use
  std::optional<V> spare_; // the value of key kEmpty
};

/// A set of unsigned integer keys, as FlatMap.
template <class K> class FlatSet {
public:
  /// Adds `key`; true if it was not there yet.
  bool insert(K key) { return map_.emplace(key).second; }
  bool contains(K key) const { return map_.contains(key); }
  bool erase(K key) { return map_.erase(key); }
  std::size_t size() const { return map_.size(); }

private:
  struct Nothing {};
  FlatMap<K, Nothing> map_;
};

/// Short lists of small records, one per owner (a service's states, a resource's notified pairs), chained in one
/// pool instead of a vector each. An owner holds the index of its list's head, kNil when it has none. The nodes
/// live in blocks of kBlock that never move: a run's pool grows to millions of nodes, and a doubling vector would
/// hold up to three times what it needs while it copies (and twice, half empty, right after).
template <class T> class ListPool {
public:
  static constexpr std::uint32_t kNil = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::uint32_t kBlock = 4096;

  /// Puts `value` at the head of the list that starts at `head`.
  void push(std::uint32_t& head, T value) {
    if (size_ == kNil)
      throw std::length_error("a list pool holds at most 2^32 - 1 records");
    if (size_ % kBlock == 0)
      blocks_.push_back(std::make_unique<Node[]>(kBlock));
    node(size_) = Node{std::move(value), head};
    head = size_++;
  }
  /// The first record of the list at `head`, newest first, for which pred(record) holds, or nullptr.
  template <class Pred> T* find(std::uint32_t head, Pred&& pred) {
    for (std::uint32_t i = head; i != kNil; i = node(i).next)
      if (pred(node(i).value))
        return &node(i).value;
    return nullptr;
  }
  template <class Pred> const T* find(std::uint32_t head, Pred&& pred) const {
    return const_cast<ListPool*>(this)->find(head, std::forward<Pred>(pred));
  }
  /// Records held, in all lists.
  std::size_t size() const { return size_; }

private:
  struct Node {
    T value;
    std::uint32_t next = kNil;
  };
  Node& node(std::uint32_t i) { return blocks_[i / kBlock][i % kBlock]; }
  std::vector<std::unique_ptr<Node[]>> blocks_;
  std::uint32_t size_ = 0;
};

} // namespace i1sim::conformance
