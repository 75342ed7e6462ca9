// Unit tests of util::dismantle (freeing a JSON tree from the leaves up) and of i1::Received, which frees a
// received message's body that way.
#include "i1/binding.hpp"
#include "util/json_dismantle.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>

namespace i1sim::util::json_dismantle_test {
namespace {

/// An array holding an array ... `depth` levels deep, with a string at the bottom.
template <typename Json> Json nested(int depth) {
  Json j = "bottom of a tree deeper than the dismantling goes";
  for (int i = 0; i < depth; ++i)
    j = Json::array({std::move(j)});
  return j;
}

template <typename Json> void empties_every_container() {
  Json j = Json::parse(R"({"a":{"b":[1,{"c":"a string longer than fifteen characters"}],"d":true},"e":[[],{}]})");
  Json inner = j["a"]; // a copy: the original's containers are emptied below
  dismantle(j);
  EXPECT_TRUE(j.is_object()); // the value itself keeps its type, emptied
  EXPECT_TRUE(j.empty()) << j.dump();
  dismantle(inner);
  EXPECT_TRUE(inner.is_object() && inner.empty()) << inner.dump();
  Json list = Json::array({Json::object({{"x", 1}}), 2});
  dismantle(list);
  EXPECT_TRUE(list.is_array() && list.empty()) << list.dump();
  Json scalar = 3;
  dismantle(scalar);
  EXPECT_EQ(scalar, 3);
}

TEST(JsonDismantle, EmptiesEveryContainerOfBothJsonTypes) {
  empties_every_container<nlohmann::json>();
  empties_every_container<nlohmann::ordered_json>();
}

TEST(JsonDismantle, LeavesWhatIsDeeperThanItsLimitToTheDestructor) {
  // 10,000 levels: the recursion stops at its limit and the library's destructor (which needs no call stack for
  // depth) frees the rest; a sanitizer build checks that every node is freed once.
  auto j = nested<nlohmann::json>(10000);
  dismantle(j);
  EXPECT_TRUE(j.is_array() && j.empty());
  auto shallow = nested<nlohmann::ordered_json>(3);
  dismantle(shallow);
  EXPECT_TRUE(shallow.empty());
}

TEST(Received, SaysWhetherItHoldsAMessageAndGivesItUntouched) {
  const i1::Received none;
  EXPECT_FALSE(none);
  EXPECT_FALSE(none.has_value());
  const Message m{MessageKind::response, "getHub", "REQ-1", 200, "", {{"id", "HUB-1"}, {"list", {1, 2}}}, ""};
  i1::Received held(m);
  ASSERT_TRUE(held);
  EXPECT_EQ(*held, m);
  EXPECT_EQ(held->body.at("list").size(), 2u);
  i1::Received moved(std::move(held));
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->correlation_id, "REQ-1");
  EXPECT_EQ(moved->body, m.body);
}

} // namespace
} // namespace i1sim::util::json_dismantle_test
