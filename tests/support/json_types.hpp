// Comparing JSON documents value type by value type: nlohmann's == takes 5 and 5u for equal, but a decoder must
// give back the types a parse of the text gives (tests of the codec and of the binding).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>

namespace i1sim::test {

/// Whether `a` and `b` have the same JSON type at every node, the same members and the same sizes.
inline bool same_types(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.type() != b.type() || a.size() != b.size())
    return false;
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it)
      if (!b.contains(it.key()) || !same_types(it.value(), b.at(it.key())))
        return false;
  } else if (a.is_array()) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same_types(a[i], b[i]))
        return false;
  }
  return true;
}

} // namespace i1sim::test
