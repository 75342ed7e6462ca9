// Unit tests of the binding's frames for a message its owner gives up (InSimBinding::frame(Message&&) and
// decode_encoded_in_place): the receiver must read exactly what the copying frame and the parser give it.
#include "i1/binding.hpp"
#include "i1/codec.hpp"
#include "i1sim/message.hpp"
#include "support/json_types.hpp"
#include "support/print_message.hpp"

#include <gtest/gtest.h>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace i1sim::i1::binding_move_test {
namespace {

using test::same_types;

/// One message of each kind, with the values whose text a parse reads back differently (signed non-negative
/// integers, non-finite numbers) and strings the fast encoder leaves to dump().
std::vector<Message> messages() {
  const nlohmann::json body = {
      {"positive", 42},
      {"negative", -7},
      {"fraction", 0.25},
      {"not_a_number", std::numeric_limits<double>::quiet_NaN()},
      {"infinite", std::numeric_limits<double>::infinity()},
      {"text", "tab \t accent \xc3\xa9"},
      {"list", {1, -1, "x", nullptr, true, nlohmann::json::object(), {{"deep", {{"n", 3}}}}}},
  };
  std::vector<Message> all;
  all.push_back({MessageKind::request, "createServiceOrder", "REQ-0000001", 0, "/serviceOrder", body, "operator-a"});
  all.push_back(
      {MessageKind::notification, "ServiceOrderStateChangeEvent", "EVT-1", 0, "sim://operator/listener", body, ""});
  all.push_back({MessageKind::response, "createServiceOrder", "REQ-0000001", 201, "", body, ""});
  all.push_back({MessageKind::response, "UsageCreateEvent", "EVT-2", 204, "", nlohmann::json::object(), ""});
  all.push_back({MessageKind::response, "deleteHub", "REQ-0000002", 204, "", nullptr, ""});
  return all;
}

TEST(BindingFrameByMove, CarriesTheCopyingFramesTextAndWhatParsingItGives) {
  for (const Message& original : messages()) {
    SCOPED_TRACE(original.type + " " + std::string(to_string(original.kind)));
    const world::I1Frame copied = InSimBinding::frame(original, Direction::cloud_to_telecom);
    Message given_up = original;
    const world::I1Frame moved = InSimBinding::frame(std::move(given_up), Direction::cloud_to_telecom);
    EXPECT_EQ(moved.wire, copied.wire);
    EXPECT_EQ(moved.direction, Direction::cloud_to_telecom);
    ASSERT_NE(moved.decoded, nullptr);
    const Message parsed = decode(moved.wire);
    EXPECT_EQ(*moved.decoded, parsed);
    EXPECT_TRUE(same_types(moved.decoded->body, parsed.body)) << moved.decoded->body.dump();
    const Message read = InSimBinding::read(moved);
    EXPECT_EQ(read, parsed);
    EXPECT_TRUE(same_types(read.body, parsed.body));
    EXPECT_EQ(moved.decoded, nullptr); // the receiver took it whole
  }
  // The type check can fail: a signed 42 is not what parsing "42" gives.
  EXPECT_FALSE(same_types(nlohmann::json{{"n", static_cast<std::int64_t>(42)}}, nlohmann::json::parse(R"({"n":42})")));
}

TEST(BindingFrameByMove, ClearsTheFieldsTheWireDoesNotCarry) {
  // A response carries no target and no credential; a notification no status and no credential; a request no
  // status. The expectations are written out, not computed.
  Message response{MessageKind::response, "getHub", "REQ-9", 200, "/hub/1", nlohmann::json::object(), "operator-a"};
  const world::I1Frame r = InSimBinding::frame(std::move(response), Direction::cloud_to_telecom);
  ASSERT_NE(r.decoded, nullptr);
  EXPECT_EQ(*r.decoded, (Message{MessageKind::response, "getHub", "REQ-9", 200, "", nlohmann::json::object(), ""}));

  Message event{MessageKind::notification, "UsageCreateEvent", "EVT-9", 7, "sim://l", nlohmann::json::object(), "x"};
  const world::I1Frame n = InSimBinding::frame(std::move(event), Direction::cloud_to_telecom);
  ASSERT_NE(n.decoded, nullptr);
  EXPECT_EQ(*n.decoded, (Message{MessageKind::notification, "UsageCreateEvent", "EVT-9", 0, "sim://l",
                                 nlohmann::json::object(), ""}));

  Message request{MessageKind::request, "listUsage", "REQ-10", 3, "/usage", nlohmann::json::object(), "operator-b"};
  const world::I1Frame q = InSimBinding::frame(std::move(request), Direction::telecom_to_cloud);
  ASSERT_NE(q.decoded, nullptr);
  EXPECT_EQ(*q.decoded, (Message{MessageKind::request, "listUsage", "REQ-10", 0, "/usage", nlohmann::json::object(),
                                 "operator-b"}));
}

TEST(BindingFrameByMove, LeavesWhatOnlyTheParserCanJudgeToTheParser) {
  // A status decode() refuses: no copy, and reading the frame fails as decoding its text does.
  Message refused{MessageKind::response, "getHub", "REQ-11", 999, "", nlohmann::json::object(), ""};
  const world::I1Frame bad = InSimBinding::frame(std::move(refused), Direction::cloud_to_telecom);
  EXPECT_EQ(bad.decoded, nullptr);
  EXPECT_THROW(decode(bad.wire), CodecError);
  EXPECT_THROW(InSimBinding::read(bad), CodecError);

  // A binary value has JSON text (dump() writes it as an object) but no copy that parsing would give.
  Message binary{MessageKind::notification,
                 "UsageCreateEvent",
                 "EVT-3",
                 0,
                 "sim://l",
                 {{"blob", nlohmann::json::binary({1, 2, 3})}},
                 ""};
  const world::I1Frame blob = InSimBinding::frame(std::move(binary), Direction::cloud_to_telecom);
  EXPECT_EQ(blob.decoded, nullptr);
  const Message read = InSimBinding::read(blob);
  EXPECT_TRUE(read.body.at("blob").is_object()) << read.body.dump();
  EXPECT_EQ(read, decode(blob.wire));
}

TEST(DecodeEncodedInPlace, AgreesWithTheCopyingFormAndSaysWhenItCannot) {
  for (const Message& original : messages()) {
    SCOPED_TRACE(original.type);
    const auto copied = decode_encoded(original);
    ASSERT_TRUE(copied.has_value());
    Message in_place = original;
    ASSERT_TRUE(decode_encoded_in_place(in_place));
    EXPECT_EQ(in_place, *copied);
    EXPECT_TRUE(same_types(in_place.body, copied->body));
  }
  Message refused{MessageKind::response, "getHub", "REQ-12", 42, "", nlohmann::json::object(), ""};
  EXPECT_FALSE(decode_encoded_in_place(refused));
  Message binary{MessageKind::request, "createHub", "REQ-13", 0, "/hub", {{"b", nlohmann::json::binary({9})}}, ""};
  EXPECT_FALSE(decode_encoded_in_place(binary));
}

TEST(EncodeInPlace, WritesWhatEncodeWritesAndLeavesTheMessageAsTheSeparateStepsDo) {
  // The writer settles values as it goes; on the accented text (the body's last key) it gives up after settling
  // some of them, a status out of range and a binary value make decoding refuse the message.
  std::vector<Message> all = messages();
  for (Message m : messages()) // without the accented text, the writer settles the whole body itself
    if (m.body.is_object() && m.body.erase("text") == 1)
      all.push_back(std::move(m));
  all.push_back({MessageKind::response, "getHub", "REQ-12", 42, "", {{"n", 1}}, ""});
  all.push_back({MessageKind::request, "createHub", "REQ-13", 0, "/hub", {{"b", nlohmann::json::binary({9})}}, ""});
  for (const Message& original : all) {
    SCOPED_TRACE(original.type + " " + std::to_string(original.status));
    Message one_walk = original;
    bool decoded = false;
    const std::string text = encode_in_place(one_walk, decoded);
    EXPECT_EQ(text, encode(original));
    Message two_steps = original;
    const bool expected = decode_encoded_in_place(two_steps);
    EXPECT_EQ(decoded, expected);
    if (expected) {
      EXPECT_EQ(one_walk, two_steps);
      EXPECT_TRUE(same_types(one_walk.body, two_steps.body)) << one_walk.body.dump();
    }
  }
}

} // namespace
} // namespace i1sim::i1::binding_move_test

namespace i1sim::i1::binding_move_test {
namespace {

/// The text json::dump() gives for `m`, written out independently of the codec.
std::string dumped(const Message& m) {
  nlohmann::ordered_json j;
  j["kind"] = std::string(to_string(m.kind));
  j["type"] = m.type;
  j["correlationId"] = m.correlation_id;
  j["target"] = m.target;
  j["body"] = m.body;
  return j.dump();
}

TEST(CodecEncodeWordAtATime, EscapesACharacterAtEveryPlaceOfLongStrings) {
  // The encoder checks eight characters at a time: a character that needs care is put at every place of
  // strings of 1 to 40 characters, where the check of a whole word must see it.
  for (const char special : {'"', '\\', '\n', '\x1f', '\x7f', ' '}) {
    for (std::size_t length = 1; length <= 40; ++length) {
      for (std::size_t at = 0; at < length; ++at) {
        std::string text(length, 'a');
        text[at] = special;
        const Message m{MessageKind::request, "createHub", "REQ-1", 0, "/hub", {{"text", text}, {"k" + text, 1}}, ""};
        ASSERT_EQ(encode(m), dumped(m)) << "length " << length << " at " << at << " char " << int(special);
      }
    }
  }
  // Non-ASCII text goes to dump() as well, which checks its UTF-8.
  const Message accented{MessageKind::request, "createHub", "REQ-1", 0, "/hub", {{"text", "abcdefgh\xc3\xa9"}}, ""};
  EXPECT_EQ(encode(accented), dumped(accented));
}

} // namespace
} // namespace i1sim::i1::binding_move_test
