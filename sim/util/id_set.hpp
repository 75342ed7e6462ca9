// A set of identifiers seen (eventIds, correlation ids) that a month of a million orders fills with tens of
// millions: ids of the usual form, a prefix and a number, take a bit each; others are kept whole.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace i1sim::util {

/// An identifier of the usual form, a prefix and a number (EV-0000001: "EV-", 7 digits, 1).
struct NumberedId {
  std::string_view prefix;
  std::size_t digits = 0; // how many digits, leading zeros included: EV-01 and EV-1 are different ids
  std::uint64_t number = 0;
};

/// Splits `id` into its prefix and number; false when it does not end in 1 to 9 digits.
inline bool split_numbered_id(std::string_view id, NumberedId& out) {
  std::size_t start = id.size();
  while (start > 0 && id[start - 1] >= '0' && id[start - 1] <= '9')
    --start;
  const std::size_t digits = id.size() - start;
  if (digits == 0 || digits > 9)
    return false;
  std::uint64_t n = 0;
  for (std::size_t i = start; i < id.size(); ++i)
    n = n * 10 + static_cast<std::uint64_t>(id[i] - '0');
  out = {id.substr(0, start), digits, n};
  return true;
}

class IdSet {
public:
  /// Adds `id`; true if it was not there yet.
  bool insert(std::string_view id) {
    Split s; // split and found once: this runs for every notification of a run
    Family* f = split(id, s) ? family(s) : nullptr;
    if ((f && s.number < f->bits.size() && f->bits[s.number]) || (!others_.empty() && others_.count(std::string(id))))
      return false;
    // Numbers are kept as bits while they stay near how many the family holds (ids counted up from one); a far
    // number (a sparse or random id) is kept whole, so that one id cannot claim a large bitmap.
    if (f && s.number < 2 * f->count + kSlack) {
      if (s.number >= f->bits.size())
        f->bits.resize(std::max<std::size_t>(s.number + 1, f->bits.size() * 2), false);
      f->bits[s.number] = true;
      ++f->count;
    } else {
      others_.emplace(id);
    }
    return true;
  }

  bool contains(std::string_view id) const {
    Split s;
    if (split(id, s))
      for (const Family& f : families_)
        if (f.prefix == s.prefix && f.digits == s.digits && s.number < f.bits.size() && f.bits[s.number])
          return true;
    return !others_.empty() && others_.count(std::string(id)) > 0;
  }

private:
  static constexpr std::uint64_t kSlack = std::uint64_t{1} << 16;
  static constexpr std::size_t kMaxFamilies = 16;

  using Split = NumberedId;
  struct Family {
    std::string prefix;
    std::size_t digits = 0;
    std::uint64_t count = 0;
    std::vector<bool> bits;
  };

  static bool split(std::string_view id, Split& out) { return split_numbered_id(id, out); }

  // Few families (one per producer's form of id), the last one used most: a short list beats a map. Past
  // kMaxFamilies, ids of new forms are kept whole.
  Family* family(const Split& s) {
    for (auto it = families_.rbegin(); it != families_.rend(); ++it)
      if (it->prefix == s.prefix && it->digits == s.digits)
        return &*it;
    if (families_.size() >= kMaxFamilies)
      return nullptr;
    return &families_.emplace_back(Family{std::string(s.prefix), s.digits, 0, {}});
  }

  std::vector<Family> families_;
  std::unordered_set<std::string> others_;
};

} // namespace i1sim::util
