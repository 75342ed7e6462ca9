// Small helpers shared by the parts of the reference Cloud BSS/OSS.
#pragma once

#include "util/money.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace i1sim::cloud {

inline nlohmann::json error_body(const std::string& code, const std::string& reason, const std::string& where) {
  return {{"code", code}, {"reason", reason}, {"referenceError", where}};
}

/// `obj[key]` when it is a string, else `fallback` (a wrong type is treated as absent, never thrown on).
inline std::string text_or(const nlohmann::json& obj, const char* key, const std::string& fallback = {}) {
  if (!obj.is_object())
    return fallback;
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : fallback;
}

/// The last segment of a resource path without its query: the {id} of ".../serviceOrder/{id}".
inline std::string last_segment(const std::string& target) {
  const std::string path = target.substr(0, target.find('?'));
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// The value of query parameter `name` in `target` ("...?a=1&b=2"), or empty.
inline std::string query_param(const std::string& target, std::string_view name) {
  const auto q = target.find('?');
  if (q == std::string::npos)
    return {};
  std::string_view rest(target);
  rest.remove_prefix(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1));
    if (amp == std::string_view::npos)
      break;
    rest.remove_prefix(amp + 1);
  }
  return {};
}

/// Whether a hub subscription's query ("eventType=A,B" or empty) selects `event_type`.
inline bool selects(const std::string& query, std::string_view event_type) {
  if (query.empty())
    return true;
  constexpr std::string_view key = "eventType=";
  if (query.rfind(key, 0) != 0)
    return true; // filters on other attributes are not evaluated by this implementation
  std::string_view list(query);
  list.remove_prefix(key.size());
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (list.substr(0, comma) == event_type)
      return true;
    if (comma == std::string_view::npos)
      break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

} // namespace i1sim::cloud
