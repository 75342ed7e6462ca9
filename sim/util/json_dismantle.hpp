// Frees a JSON tree from the leaves up.
#pragma once

namespace i1sim::util {

/// Empties the containers of `j` from the leaves up, so that destroying it frees each node where it is. The
/// destructor of nlohmann's JSON first moves every node of a tree onto a stack on the heap (so that no depth can
/// exhaust the call stack), which costs about half as much again as the frees themselves; messages and events die
/// by the million in a run. Below kDepth levels it leaves the rest to that destructor. Works on nlohmann::json and
/// nlohmann::ordered_json alike.
template <typename Json> void dismantle(Json& j, int depth = 0) {
  constexpr int kDepth = 64;
  if (depth == kDepth)
    return;
  if (auto* object = j.template get_ptr<typename Json::object_t*>()) {
    for (auto& member : *object)
      if (member.second.is_structured())
        dismantle(member.second, depth + 1);
    object->clear();
  } else if (auto* array = j.template get_ptr<typename Json::array_t*>()) {
    for (auto& item : *array)
      if (item.is_structured())
        dismantle(item, depth + 1);
    array->clear();
  }
}

} // namespace i1sim::util
