// Unit tests of the body an I1 event carries beside its fields (trace::Event::body()): the line written for a
// delivered message, reading a line back, and copies of an event whose body was lent for the time of an emit.
#include "i1/binding.hpp"
#include "i1/codec.hpp"
#include "i1sim/message.hpp"
#include "trace/event_stream.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace i1sim::trace::event_body_test {
namespace {

struct Lines : Observer {
  std::vector<std::string> lines;
  std::vector<Event> kept;
  void on_event(const Event& e) override {
    lines.push_back(to_json_line(e));
    kept.push_back(e);
  }
};

/// Bodies with keys given out of order at every level, nested arrays and objects, every scalar type, and
/// strings the fast encoder leaves to dump() (escapes, non-ASCII).
std::vector<Message> messages() {
  const nlohmann::json body = {
      {"zeta", {{"b", 2}, {"a", {1, -1, 0.5, "x", nullptr, true, nlohmann::json::object()}}}},
      {"alpha", "tab \t quote \" accent \xc3\xa9"},
      {"middle", nlohmann::json::array({{{"y", false}, {"x", nlohmann::json::array()}}})},
      {"negative", -7},
      {"huge", std::numeric_limits<std::uint64_t>::max()},
      {"not_finite", std::numeric_limits<double>::infinity()},
  };
  std::vector<Message> all;
  all.push_back({MessageKind::request, "createServiceOrder", "REQ-1", 0, "/serviceOrder", body, "operator-a"});
  all.push_back({MessageKind::response, "createServiceOrder", "REQ-1", 201, "", body, ""});
  all.push_back({MessageKind::notification, "UsageCreateEvent", "EV-1", 0, "sim://listener", body, ""});
  all.push_back({MessageKind::response, "UsageCreateEvent", "EV-1", 204, "", nlohmann::json::object(), ""});
  all.push_back({MessageKind::request, "listUsage", "REQ-2", 0, "/usage", nullptr, ""});
  return all;
}

/// The line the binding wrote before events carried bodies apart: the fields, then the body the receiver
/// decoded from the wire, converted to an ordered JSON object as the last field.
std::string former_line(std::uint64_t id, double t, const Message& sent, const world::I1Frame& f) {
  const Message m = i1::decode(f.wire);
  nlohmann::ordered_json j;
  j["id"] = id;
  j["t"] = t;
  j["cat"] = "i1";
  j["type"] = "i1." + std::string(to_string(sent.kind));
  j["dir"] = to_string(f.direction);
  j["name"] = m.type;
  j["corr"] = m.correlation_id;
  if (m.kind == MessageKind::response)
    j["status"] = m.status;
  else
    j["target"] = m.target;
  if (!m.credential.empty())
    j["credential"] = m.credential;
  j["bytes"] = f.wire.size();
  j["sent"] = f.sent_at;
  j["body"] = nlohmann::ordered_json(m.body);
  return j.dump();
}

TEST(EventBody, ADeliveredMessageIsWrittenAsTheFormerConversionWroteIt) {
  EventStream events([] { return 12.5; });
  Lines seen;
  events.add_observer(&seen);
  const std::string path = (std::filesystem::temp_directory_path() / "i1sim-event-body-test.jsonl").string();
  JsonlWriter writer(path);
  events.add_observer(&writer);
  const i1::InSimBinding binding(events);
  std::vector<std::string> expected;
  for (const auto& m : messages()) {
    const world::I1Frame f = i1::InSimBinding::frame(m, Direction::cloud_to_telecom);
    expected.push_back(former_line(expected.size() + 1, 12.5, m, f));
    const auto delivered = binding.deliver(f);
    ASSERT_TRUE(delivered.has_value());
    // The event lent the receiver's body; the receiver still has it whole.
    EXPECT_EQ(delivered->body, i1::decode(f.wire).body);
  }
  ASSERT_EQ(seen.lines.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(seen.lines[i], expected[i]);
  writer.commit();
  std::ifstream in(path, std::ios::binary);
  std::stringstream file;
  file << in.rdbuf();
  std::string joined;
  for (const auto& line : expected)
    joined += line + "\n";
  EXPECT_EQ(file.str(), joined);
  std::remove(path.c_str());
}

TEST(EventBody, AnEventKeptByAnObserverOwnsTheBodyItWasLent) {
  EventStream events([] { return 1.0; });
  Lines seen;
  events.add_observer(&seen);
  {
    auto body = std::make_unique<nlohmann::json>(nlohmann::json{{"id", "SO-1"}, {"items", {1, 2}}});
    events.emit(Category::i1, "i1.response", {{"dir", "c2t"}}, body.get());
  } // the lender is gone
  ASSERT_EQ(seen.kept.size(), 1u);
  ASSERT_NE(seen.kept[0].body(), nullptr);
  EXPECT_EQ(*seen.kept[0].body(), (nlohmann::json{{"id", "SO-1"}, {"items", {1, 2}}}));
  EXPECT_EQ(to_json_line(seen.kept[0]), seen.lines[0]);
  EXPECT_EQ(seen.lines[0],
            R"({"id":1,"t":1.0,"cat":"i1","type":"i1.response","dir":"c2t","body":{"id":"SO-1","items":[1,2]}})");
}

TEST(EventBody, ALineReadBackGivesTheBodyAndWritesTheSameBytes) {
  const std::string written =
      R"({"id":7,"t":3.25,"cat":"i1","type":"i1.notification","dir":"c2t","name":"X","bytes":9,"sent":3.0,)"
      R"("body":{"a":[1,{"b":"x","c":null}],"d":{"e":-2.5,"f":18446744073709551615}}})";
  const Event e = from_json_line(written);
  ASSERT_NE(e.body(), nullptr);
  EXPECT_EQ(*e.body(),
            nlohmann::json::parse(R"({"a":[1,{"b":"x","c":null}],"d":{"e":-2.5,"f":18446744073709551615}})"));
  EXPECT_FALSE(e.data.contains("body")); // held once, beside the fields
  EXPECT_EQ(e.data.size(), 4u);
  EXPECT_EQ(to_json_line(e), written);
}

TEST(EventBody, ALineWhoseBodyCannotBeRewrittenAsItWasKeepsItAmongTheFields) {
  // Keys out of order (written by hand or by another tool), at the top or deeper, a body that is not the last
  // field, and a "body" in an event that is no I1 message: each line comes back byte for byte.
  const std::vector<std::string> lines{
      R"({"id":1,"t":0.0,"cat":"i1","type":"i1.request","dir":"t2c","body":{"z":1,"a":{"y":2,"b":3}}})",
      R"({"id":2,"t":0.0,"cat":"i1","type":"i1.request","dir":"t2c","body":{"a":{"y":2,"b":3}}})",
      R"({"id":3,"t":0.0,"cat":"i1","type":"i1.request","body":{"a":1},"dir":"t2c"})",
      R"({"id":4,"t":0.0,"cat":"truth","type":"vm.placed","body":{"a":1}})",
  };
  for (const auto& line : lines)
    EXPECT_EQ(to_json_line(from_json_line(line)), line);
  // The I1 events still give their body to the readers.
  const Event unsorted = from_json_line(lines[0]);
  ASSERT_NE(unsorted.body(), nullptr);
  EXPECT_EQ(*unsorted.body(), (nlohmann::json{{"z", 1}, {"a", {{"y", 2}, {"b", 3}}}}));
  ASSERT_NE(from_json_line(lines[2]).body(), nullptr);
  EXPECT_EQ(from_json_line(lines[3]).body(), nullptr); // not an I1 message: its fields are all there is
}

TEST(EventBody, AnEventWithoutABodyHasNone) {
  EXPECT_EQ(from_json_line(R"({"id":1,"t":0.0,"cat":"i1","type":"i1.undecodable","error":"x"})").body(), nullptr);
  Event e;
  EXPECT_EQ(e.body(), nullptr);
  e.set_body(nullptr); // a message whose body is JSON null has one
  ASSERT_NE(e.body(), nullptr);
  EXPECT_TRUE(e.body()->is_null());
  e.type = "i1.request";
  EXPECT_EQ(to_json_line(e), R"({"id":0,"t":0.0,"cat":"i1","type":"i1.request","body":null})");
}

} // namespace
} // namespace i1sim::trace::event_body_test
