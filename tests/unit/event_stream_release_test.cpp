// Unit tests of how EventStream::emit releases an event once its observers have seen it (sim/trace/event_stream.cpp).
#include "trace/event_stream.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace i1sim::trace::event_stream_release_test {
namespace {

struct Lines : Observer {
  std::vector<std::string> lines;
  void on_event(const Event& e) override { lines.push_back(to_json_line(e)); }
};

TEST(EventStreamRelease, EveryObserverSeesTheWholeEvent) {
  EventStream events([] { return 2.5; });
  Lines first, second;
  events.add_observer(&first);
  events.add_observer(&second);
  nlohmann::ordered_json data;
  data["dir"] = "c2t";
  const auto body = nlohmann::json::parse(R"({"a":[1,{"b":["x",{"c":null}]}],"d":{"e":{}}})");
  events.emit(Category::i1, "i1.notification", std::move(data), &body);
  const std::string expected =
      R"({"id":1,"t":2.5,"cat":"i1","type":"i1.notification","dir":"c2t","body":{"a":[1,{"b":["x",{"c":null}]}],"d":{"e":{}}}})";
  ASSERT_EQ(first.lines.size(), 1u);
  EXPECT_EQ(first.lines[0], expected);
  ASSERT_EQ(second.lines.size(), 1u);
  EXPECT_EQ(second.lines[0], expected); // the first observer's turn took nothing from the second's
}

TEST(EventStreamRelease, ReleasesAnEventOfAnyDepthWithoutExhaustingTheStack) {
  // Far deeper than a call per level could go on an actor's stack: emptying the tree level by level stops at
  // a bound and leaves the rest to the JSON destructor, which needs no stack.
  nlohmann::ordered_json data = nlohmann::ordered_json::object();
  nlohmann::ordered_json* level = &data["body"];
  for (int i = 0; i < 500000; ++i) {
    *level = nlohmann::ordered_json::array();
    level->push_back(nullptr);
    level = &level->back();
  }
  EventStream events([] { return 0.0; });
  events.emit(Category::truth, "deep", std::move(data));
  EXPECT_EQ(events.count(), 1u);
}

} // namespace
} // namespace i1sim::trace::event_stream_release_test
