// Unit tests of the I1 message wire codec (sim/i1/codec.hpp).
#include "i1/codec.hpp"
#include "i1sim/message.hpp"
#include "support/json_types.hpp"
#include "support/print_message.hpp"

#include <bit>
#include <cstdint>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>
#include <random>
#include <string>
#include <vector>

namespace i1sim::i1::codec_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Message request() {
  Message m;
  m.kind = MessageKind::request;
  m.type = std::string(v1::op::createServiceOrder);
  m.correlation_id = "t2c-0001";
  m.target = std::string(v1::op::find(v1::op::createServiceOrder)->path);
  m.body = {
      {"externalId", "po-17"},
      {"serviceOrderItem", nlohmann::json::array({{{"id", "1"}, {"action", "add"}, {"quantity", 2}, {"ratio", 0.5}}})}};
  return m;
}

Message response() {
  Message m;
  m.kind = MessageKind::response;
  m.type = std::string(v1::op::createServiceOrder);
  m.correlation_id = "t2c-0001";
  m.status = 201;
  m.body = {{"id", "so-1"}, {"state", "acknowledged"}};
  return m;
}

Message notification() {
  Message m;
  m.kind = MessageKind::notification;
  m.type = std::string(v1::event::ServiceOrderStateChangeEvent);
  m.correlation_id = "c2t-0042";
  m.target = "/listener/serviceOrderStateChangeEvent";
  m.body = {{"eventType", "ServiceOrderStateChangeEvent"}, {"event", {{"serviceOrder", {{"state", "completed"}}}}}};
  return m;
}

// A valid request on the wire, written by hand, that each malformation test alters in one place.
nlohmann::json wire_request() {
  return {{"kind", "request"},
          {"type", "createServiceOrder"},
          {"correlationId", "t2c-1"},
          {"target", "/tmf-api/serviceOrdering/v4/serviceOrder"},
          {"body", {{"externalId", "po-1"}}}};
}

nlohmann::json wire_response() {
  return {{"kind", "response"},
          {"type", "createServiceOrder"},
          {"correlationId", "t2c-1"},
          {"status", 201},
          {"body", nlohmann::json::object()}};
}

// The message of the CodecError that decode() throws on `wire`, or a note that it accepted it.
std::string decode_error(const std::string& wire) {
  try {
    decode(wire);
    return "accepted";
  } catch (const CodecError& e) {
    return e.what();
  }
}

TEST(Codec, RoundTripsARequest) {
  const Message m = request();
  EXPECT_EQ(decode(encode(m)), m);
}

TEST(Codec, RoundTripsAResponse) {
  const Message m = response();
  EXPECT_EQ(decode(encode(m)), m);
}

TEST(Codec, RoundTripsANotification) {
  const Message m = notification();
  EXPECT_EQ(decode(encode(m)), m);
}

TEST(Codec, RoundTripsAMessageWithANullBody) {
  Message m = response();
  m.status = 204;
  m.body = nullptr;
  EXPECT_EQ(decode(encode(m)), m);
}

TEST(Codec, DecodesAHandWrittenRequest) {
  const Message m = decode(wire_request().dump());
  EXPECT_EQ(m.kind, MessageKind::request);
  EXPECT_EQ(m.type, "createServiceOrder");
  EXPECT_EQ(m.correlation_id, "t2c-1");
  EXPECT_EQ(m.target, "/tmf-api/serviceOrdering/v4/serviceOrder");
  EXPECT_EQ(m.status, 0);
  EXPECT_EQ(m.body.dump(), R"({"externalId":"po-1"})");
}

TEST(Codec, EncodesARequestWithATargetAndNoStatus) {
  const std::string wire = encode(request());
  EXPECT_THAT(wire, HasSubstr("\"target\""));
  EXPECT_THAT(wire, Not(HasSubstr("\"status\"")));
  EXPECT_THAT(wire, HasSubstr("\"kind\":\"request\""));
}

TEST(Codec, EncodesAResponseWithAStatusAndNoTarget) {
  const std::string wire = encode(response());
  EXPECT_THAT(wire, HasSubstr("\"status\":201"));
  EXPECT_THAT(wire, Not(HasSubstr("\"target\"")));
  EXPECT_THAT(wire, HasSubstr("\"kind\":\"response\""));
}

TEST(Codec, EncodesFieldsInTheDocumentedOrder) {
  const std::string wire = encode(request());
  EXPECT_EQ(wire.rfind("{\"kind\":\"request\",\"type\":\"createServiceOrder\",\"correlationId\":\"t2c-0001\","
                       "\"target\":\"/tmf-api/serviceOrdering/v4/serviceOrder\",\"body\":",
                       0),
            0u)
      << wire;
}

TEST(Codec, RejectsTextThatIsNotJson) {
  EXPECT_THROW(decode("{kind: request"), CodecError);
  EXPECT_THAT(decode_error("{kind: request"), HasSubstr("not JSON"));
}

TEST(Codec, RejectsAJsonArray) {
  EXPECT_THROW(decode("[1, 2, 3]"), CodecError);
  EXPECT_THAT(decode_error("[1, 2, 3]"), HasSubstr("object"));
}

TEST(Codec, RejectsAMessageWithoutKind) {
  auto j = wire_request();
  j.erase("kind");
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'kind'"));
}

TEST(Codec, RejectsAnUnknownKindAndNamesIt) {
  auto j = wire_request();
  j["kind"] = "query";
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'kind'"));
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("query"));
}

TEST(Codec, RejectsAKindThatIsNotAString) {
  auto j = wire_request();
  j["kind"] = 1;
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'kind'"));
}

TEST(Codec, RejectsAMessageWithoutType) {
  auto j = wire_request();
  j.erase("type");
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'type'"));
}

TEST(Codec, RejectsAMessageWithoutCorrelationId) {
  auto j = wire_request();
  j.erase("correlationId");
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'correlationId'"));
}

TEST(Codec, RejectsAResponseWithoutStatus) {
  auto j = wire_response();
  j.erase("status");
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'status'"));
}

TEST(Codec, RejectsAStatusThatIsNotAnHttpStatusCode) {
  auto j = wire_response();
  j["status"] = 42;
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'status'"));
  j["status"] = 600;
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'status'"));
  j["status"] = "201";
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'status'"));
}

TEST(Codec, RejectsAStatusTooLargeForAnIntWithoutWrappingIntoRange) {
  auto j = wire_response();
  j["status"] = 4294967496LL; // 2^32 + 200: would read as 200 if narrowed to int before the range check
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'status'"));
}

TEST(Codec, NamesTheFieldThatBelongsToAnotherKindOfMessage) {
  auto j = wire_response();
  j["target"] = "/somewhere";
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("unknown field 'target' in a response"));
}

TEST(Codec, AcceptsTheBoundaryStatusCodes) {
  auto j = wire_response();
  j["status"] = 100;
  EXPECT_EQ(decode(j.dump()).status, 100);
  j["status"] = 599;
  EXPECT_EQ(decode(j.dump()).status, 599);
}

TEST(Codec, RejectsARequestWithoutTarget) {
  auto j = wire_request();
  j.erase("target");
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'target'"));
}

TEST(Codec, RejectsANotificationWithoutTarget) {
  auto j = wire_request();
  j["kind"] = "notification";
  j.erase("target");
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'target'"));
}

TEST(Codec, RejectsAMessageWithoutBody) {
  auto j = wire_request();
  j.erase("body");
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'body'"));
}

TEST(Codec, RejectsAnUnknownFieldAndNamesIt) {
  auto j = wire_request();
  j["priority"] = "high";
  EXPECT_THAT(decode_error(j.dump()), HasSubstr("'priority'"));
}

TEST(Codec, RejectsAResponseThatAlsoCarriesATarget) {
  auto j = wire_response();
  j["target"] = "/somewhere";
  EXPECT_THROW(decode(j.dump()), CodecError);
}

TEST(Codec, RejectsARequestThatAlsoCarriesAStatus) {
  auto j = wire_request();
  j["status"] = 200;
  EXPECT_THROW(decode(j.dump()), CodecError);
}

// ------------------------------------------------------------------------------------------------------------------
// decode_encoded: the in-simulation receiver takes this instead of parsing the wire, so it must be exactly what
// decode(encode(m)) gives, JSON value types included (json's == compares 5 and 5u equal; the types must match too).

using test::same_types;

TEST(CodecDecodeEncoded, IsWhatDecodingTheWireGivesForEveryKindOfValue) {
  nlohmann::json body = {
      {"positive", 42},
      {"negative", -7},
      {"zero", 0},
      {"big", 9007199254740993LL},
      {"unsigned", 18446744073709551615ULL},
      {"fraction", 0.1},
      {"tiny", 5e-324},
      {"minus_zero", -0.0},
      {"not_a_number", std::numeric_limits<double>::quiet_NaN()},
      {"infinite", -std::numeric_limits<double>::infinity()},
      {"text", "quote \" backslash \\ tab \t newline \n control \x01 accents \xc3\xa9\xe2\x82\xac"},
      {"empty", nlohmann::json::object()},
      {"list", {1, -1, 2.5, "x", nullptr, true, nlohmann::json::array(), {{"nested", {{"deep", 3}}}}}},
  };
  std::vector<Message> messages;
  Message r = request();
  r.body = body;
  r.credential = "operator-a";
  messages.push_back(r);
  Message n = r;
  n.kind = MessageKind::notification;
  n.type = "ServiceStateChangeEvent";
  n.target = "sim://operator.oss/listener/operator";
  messages.push_back(n);
  Message s = r;
  s.kind = MessageKind::response;
  s.status = 201;
  messages.push_back(s);
  Message empty = s;
  empty.status = 204;
  empty.body = nullptr;
  messages.push_back(empty);
  for (const Message& m : messages) {
    SCOPED_TRACE(std::string(to_string(m.kind)));
    const Message parsed = decode(encode(m));
    const auto computed = decode_encoded(m);
    ASSERT_TRUE(computed.has_value());
    EXPECT_EQ(*computed, parsed);
    EXPECT_TRUE(same_types(computed->body, parsed.body)) << computed->body.dump() << "\n" << parsed.body.dump();
  }
  // The check itself can fail: a signed 42 where the parse gives an unsigned one is told apart.
  nlohmann::json signed_42 = nlohmann::json::object();
  signed_42["n"] = static_cast<std::int64_t>(42);
  EXPECT_FALSE(same_types(signed_42, nlohmann::json::parse(R"({"n":42})")));
}

TEST(CodecDecodeEncoded, LeavesAStatusDecodeWouldRefuseToTheParser) {
  Message m = request();
  m.kind = MessageKind::response;
  m.status = 999;
  EXPECT_THROW(decode(encode(m)), CodecError);
  EXPECT_FALSE(decode_encoded(m).has_value());
}

// compact_dump: the reference Cloud keeps texts made with it where it kept dump()'s, so it must give exactly
// dump()'s bytes for any value, whether its writer covers the value or dump() does (the fallback).

/// A random value of every JSON type, nested up to `depth`, with strings that need escaping or are not ASCII.
nlohmann::json random_value(std::mt19937_64& rng, int depth) {
  static const std::vector<std::string> texts = {"",
                                                 "plain",
                                                 "SVC-000001",
                                                 "quote \" here",
                                                 "back\\slash",
                                                 "tab\tnew\nline",
                                                 "ctl \x01\x1f end",
                                                 "del \x7f",
                                                 "caf\xc3\xa9",
                                                 "\xe2\x82\xac 12",
                                                 "\xf0\x9f\x98\x80",
                                                 "/slash/",
                                                 "a much longer text than the eight-byte steps "
                                                 "of the writer's fast path, with a quote \" near its end"};
  std::uniform_int_distribution<int> kind(0, depth > 0 ? 9 : 7);
  switch (kind(rng)) {
  case 0:
    return nullptr;
  case 1:
    return rng() % 2 == 0;
  case 2:
    return static_cast<std::int64_t>(rng());
  case 3:
    return static_cast<std::uint64_t>(rng());
  case 4:
    return std::bit_cast<double>(rng()); // any bit pattern: NaN, infinities, subnormals, huge and tiny
  case 5:
    return static_cast<double>(static_cast<std::int32_t>(rng())) / 1000.0;
  case 6:
  case 7:
    return texts[rng() % texts.size()];
  case 8: {
    nlohmann::json a = nlohmann::json::array();
    for (std::uint64_t i = rng() % 5; i > 0; --i)
      a.push_back(random_value(rng, depth - 1));
    return a;
  }
  default: {
    nlohmann::json o = nlohmann::json::object();
    for (std::uint64_t i = rng() % 5; i > 0; --i)
      o[texts[rng() % texts.size()]] = random_value(rng, depth - 1);
    return o;
  }
  }
}

TEST(CodecCompactDump, IsDumpForHandPickedValues) {
  const std::vector<nlohmann::json> values = {
      nullptr,
      true,
      false,
      0,
      -1,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::int64_t>::max(),
      std::numeric_limits<std::uint64_t>::max(),
      0.0,
      -0.0,
      1.0,
      0.1,
      1e300,
      -1.5e-7,
      5e-324,
      std::numeric_limits<double>::quiet_NaN(),
      std::numeric_limits<double>::infinity(),
      "",
      "quote \" backslash \\ slash /",
      "controls \b\f\n\r\t \x01 \x1f and \x7f",
      "accents \xc3\xa9\xe2\x82\xac and \xf0\x9f\x98\x80",
      std::string(3000, 'x') + "\"", // past the writer's first buffer
      nlohmann::json::object(),
      nlohmann::json::array(),
      {{"key \"q\"", {1, 2.5, "x", nullptr, true, nlohmann::json::array(), {{"nested", {{"deep", -3}}}}}},
       {"caf\xc3\xa9", nlohmann::json::object()}},
  };
  for (const auto& v : values)
    EXPECT_EQ(compact_dump(v), v.dump()) << v.dump();
}

TEST(CodecCompactDump, IsDumpForRandomValues) {
  std::mt19937_64 rng(6);
  for (int i = 0; i < 2000; ++i) {
    const nlohmann::json v = random_value(rng, 4);
    ASSERT_EQ(compact_dump(v), v.dump()) << "value " << i;
  }
}

TEST(CodecCompactDump, ThrowsWhereDumpThrows) {
  const nlohmann::json bad = {{"text", "not UTF-8 \xff"}};
  EXPECT_THROW((void)bad.dump(), nlohmann::json::type_error);
  EXPECT_THROW((void)compact_dump(bad), nlohmann::json::type_error);
}

} // namespace
} // namespace i1sim::i1::codec_test
