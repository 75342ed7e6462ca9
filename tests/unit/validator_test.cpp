// Unit tests of the I1 message validator (sim/i1/validator.hpp): body shapes and state machines, by hand and
// exhaustively over every type and every state machine of the shipped specification.
#include "i1/spec.hpp"
#include "i1/validator.hpp"
#include "i1sim/message.hpp"
#include "util/string_table.hpp"

#include <algorithm>
#include <deque>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace i1sim::i1 {
// Readable failure output for problems (found by argument-dependent lookup).
static void PrintTo(const Problem& p, std::ostream* os) {
  *os << "{" << p.path << " | " << p.requirement << " | " << p.message << "}";
}
} // namespace i1sim::i1

namespace i1sim::i1::validator_test {
namespace {

using nlohmann::json;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Matcher;
using ::testing::UnorderedElementsAre;

const spec::Spec& shipped() { return spec::builtin(); }

Matcher<const Problem&> At(const std::string& path, const std::string& requirement) {
  return AllOf(Field(&Problem::path, path), Field(&Problem::requirement, requirement));
}

Matcher<const Problem&> At(const std::string& path, const std::string& requirement, const std::string& message) {
  return AllOf(At(path, requirement), Field(&Problem::message, message));
}

Message request(const std::string& operation, json body) {
  Message m;
  m.kind = MessageKind::request;
  m.type = operation;
  m.correlation_id = "t2c-1";
  m.target = "/tmf-api/somewhere";
  m.body = std::move(body);
  return m;
}

Message response(const std::string& operation, int status, json body) {
  Message m;
  m.kind = MessageKind::response;
  m.type = operation;
  m.correlation_id = "t2c-1";
  m.status = status;
  m.body = std::move(body);
  return m;
}

json envelope(const std::string& event_type, json event) {
  static int next = 0;
  return {{"eventId", "ev-" + std::to_string(++next)},
          {"eventTime", "2026-01-01T00:00:05.000000Z"},
          {"eventType", event_type},
          {"event", std::move(event)}};
}

Message notification(const std::string& event_type, const std::string& key, json resource) {
  Message m;
  m.kind = MessageKind::notification;
  m.type = event_type;
  m.correlation_id = "c2t-1";
  m.target = "http://telecom/listener";
  m.body = envelope(event_type, {{key, std::move(resource)}});
  return m;
}

// ---- Valid bodies of the shipped specification, written by hand from its text.

json characteristic(const std::string& name, json value) {
  return {{"name", name}, {"valueType", value.is_number_integer() ? "integer" : "number"}, {"value", std::move(value)}};
}

json service_value() {
  return {{"serviceSpecification", {{"id", "vm-small"}}},
          {"serviceCharacteristic", json::array({characteristic("instances", 2), characteristic("vCPU", 4),
                                                 characteristic("minCoreSpeedGflops", 1.5)})}};
}

json customer_party() { return json::array({{{"id", "C-1"}, {"role", "customer"}}}); }

json order_create() {
  json items = json::array();
  for (const char* id : {"1", "2", "3"})
    items.push_back({{"id", id}, {"action", "add"}, {"service", service_value()}});
  return {{"externalId", "PO-1"},
          {"description", "three small services"},
          {"requestedCompletionDate", "2026-01-02T00:00:00Z"},
          {"relatedParty", customer_party()},
          {"serviceOrderItem", items}};
}

json order(const std::string& id, const std::string& state, const std::string& item_state) {
  json items = json::array();
  for (const char* item : {"1", "2", "3"})
    items.push_back({{"id", item}, {"action", "add"}, {"state", item_state}, {"service", service_value()}});
  return {{"id", id},
          {"href", "/tmf-api/serviceOrdering/v4/serviceOrder/" + id},
          {"externalId", "PO-" + id},
          {"state", state},
          {"orderDate", "2026-01-01T00:00:01.500000Z"},
          {"relatedParty", customer_party()},
          {"serviceOrderItem", items}};
}

json service(const std::string& id, const std::string& state) {
  return {{"id", id},
          {"href", "/tmf-api/serviceInventory/v4/service/" + id},
          {"state", state},
          {"operatingStatus", "running"},
          {"serviceSpecification", {{"id", "vm-small"}}},
          {"serviceCharacteristic", json::array({characteristic("instances", 1)})},
          {"relatedParty", customer_party()},
          {"place", json::array({{{"id", "dc-paris"}, {"role", "dataCentre"}, {"jurisdiction", "FR"}}})}};
}

json error_body() { return {{"code", "invalidBody"}, {"reason", "missing field"}, {"referenceError", "externalId"}}; }

// ---- Shapes: valid messages

TEST(ValidatorShape, AcceptsValidMessagesOfSeveralOperations) {
  const Validator v(shipped());
  const std::vector<Message> valid{
      request("createHub", {{"callback", "http://telecom/listener"}}),
      response("createHub", 201, {{"id", "hub-1"}, {"callback", "http://telecom/listener"}, {"query", ""}}),
      request("createServiceOrder", order_create()),
      response("createServiceOrder", 201, order("SO-1", "acknowledged", "acknowledged")),
      response("createServiceOrder", 400, error_body()),
      request("retrieveServiceOrder", nullptr),
      response("retrieveServiceOrder", 200, order("SO-1", "completed", "completed")),
      request("retrieveService", nullptr),
      response("retrieveService", 200, service("S-1", "active")),
      response("listService", 200, json::array({service("S-1", "active"), service("S-2", "inactive")})),
      response("listService", 200, json::array()),
      request("deleteHub", nullptr),
      response("deleteHub", 204, nullptr),
      request("updateCustomerBill", {{"state", "settled"}}),
  };
  for (const Message& m : valid)
    EXPECT_THAT(v.check(m), IsEmpty()) << m.type << " " << m.status << " " << m.body.dump();
}

TEST(ValidatorShape, AcceptsValidNotifications) {
  const Validator v(shipped());
  EXPECT_THAT(
      v.check(notification("ServiceOrderStateChangeEvent", "serviceOrder", order("SO-1", "inProgress", "inProgress"))),
      IsEmpty());
  EXPECT_THAT(v.check(notification("ServiceOrderItemStateChangeEvent", "serviceOrder",
                                   order("SO-1", "inProgress", "completed"))),
              IsEmpty());
  EXPECT_THAT(v.check(notification("ServiceStateChangeEvent", "service", service("S-1", "active"))), IsEmpty());
  EXPECT_THAT(v.check(notification("ServiceOperatingStatusChangeEvent", "service", service("S-1", "active"))),
              IsEmpty());
}

// ---- Shapes: one test per kind of error

TEST(ValidatorShape, NamesAnUnknownField) {
  json body = order_create();
  body["colour"] = "blue";
  EXPECT_THAT(Validator(shipped()).check(request("createServiceOrder", body)),
              ElementsAre(At("colour", "I1-ORD-002", "unknown field 'colour'")));
}

TEST(ValidatorShape, NamesAnUnknownFieldDeepInsideWithItsOwningType) {
  json body = order_create();
  body["serviceOrderItem"][2]["service"]["serviceCharacteristic"][0]["unit"] = "GiB";
  EXPECT_THAT(Validator(shipped()).check(request("createServiceOrder", body)),
              ElementsAre(At("serviceOrderItem[2].service.serviceCharacteristic[0].unit", "I1-GEN-003",
                             "unknown field 'unit'")));
}

TEST(ValidatorShape, NamesAMissingMandatoryFieldWithTheFieldsOwnRequirement) {
  json body = order_create();
  body.erase("externalId");
  EXPECT_THAT(Validator(shipped()).check(request("createServiceOrder", body)),
              ElementsAre(At("externalId", "I1-ORD-004", "missing mandatory field 'externalId'")));
}

TEST(ValidatorShape, NamesAMissingMandatoryFieldWithItsTypesRequirement) {
  json body = order_create();
  body.erase("relatedParty");
  EXPECT_THAT(Validator(shipped()).check(request("createServiceOrder", body)),
              ElementsAre(At("relatedParty", "I1-ORD-002", "missing mandatory field 'relatedParty'")));
}

TEST(ValidatorShape, NamesAMissingFieldAtItsDeepPath) {
  json body = order_create();
  body["serviceOrderItem"][2]["service"]["serviceCharacteristic"][0].erase("value");
  EXPECT_THAT(Validator(shipped()).check(request("createServiceOrder", body)),
              ElementsAre(At("serviceOrderItem[2].service.serviceCharacteristic[0].value", "I1-GEN-003",
                             "missing mandatory field 'value'")));
}

TEST(ValidatorShape, NamesANullValueAtItsDeepPath) {
  json body = order("SO-1", "acknowledged", "acknowledged");
  body["serviceOrderItem"][2]["service"]["serviceCharacteristic"][0]["value"] = nullptr;
  body["description"] = nullptr;
  EXPECT_THAT(Validator(shipped()).check(response("createServiceOrder", 201, body)),
              ElementsAre(At("description", "I1-ORD-003", "null where a string is required"),
                          At("serviceOrderItem[2].service.serviceCharacteristic[0].value", "I1-GEN-003",
                             "null where a value is required")));
}

// A small specification written in code, so that every primitive type has a field of its own.
spec::TypeRef ref(spec::TypeRef::Kind kind, const std::string& name = "", bool array = false) {
  spec::TypeRef r;
  r.kind = kind;
  r.name = name;
  r.array = array;
  r.text = array ? "array<" + name + ">" : name;
  return r;
}

spec::Field field(const std::string& name, spec::TypeRef type, bool mandatory = false,
                  const std::string& requirement = "") {
  spec::Field f;
  f.name = name;
  f.type = std::move(type);
  f.mandatory = mandatory;
  f.requirement = requirement;
  return f;
}

spec::Spec probe_spec() {
  using K = spec::TypeRef::Kind;
  spec::Spec s;
  spec::Enum colour;
  colour.name = "Colour";
  colour.values = {"red", "green"};
  s.enums.push_back(colour);
  spec::Type inner;
  inner.name = "Inner";
  inner.requirement = "I1-T-002";
  inner.fields = {field("code", ref(K::string), true)};
  spec::Type probe;
  probe.name = "Probe";
  probe.requirement = "I1-T-001";
  probe.fields = {field("s", ref(K::string)),
                  field("i", ref(K::integer)),
                  field("n", ref(K::number)),
                  field("b", ref(K::boolean)),
                  field("t", ref(K::date_time)),
                  field("o", ref(K::object)),
                  field("a", ref(K::any)),
                  field("e", ref(K::enumeration, "Colour")),
                  field("inner", ref(K::structure, "Inner")),
                  field("list", ref(K::integer, "integer", true)),
                  field("own", ref(K::string), false, "I1-T-009")};
  s.types = {inner, probe};
  spec::Operation op;
  op.name = "probe";
  op.method = "POST";
  op.request = "Probe";
  op.responses = {spec::Response{200, ref(K::structure, "Probe")}};
  s.operations.push_back(op);
  return s;
}

struct Case {
  std::string field;
  json value;
  std::string path;
  std::string requirement;
  std::string message;
};

TEST(ValidatorShape, RefusesTheWrongJsonTypeForEveryPrimitive) {
  const spec::Spec s = probe_spec();
  const Validator v(s);
  const std::vector<Case> cases{
      {"s", 5, "s", "I1-T-001", "expected a string, found an integer"},
      {"s", true, "s", "I1-T-001", "expected a string, found a boolean"},
      {"s", json::object(), "s", "I1-T-001", "expected a string, found an object"},
      {"s", nullptr, "s", "I1-T-001", "null where a string is required"},
      {"i", 2.5, "i", "I1-T-001", "expected an integer, found a floating-point number"},
      {"i", 3.0, "i", "I1-T-001", "expected an integer, found a floating-point number"},
      {"i", "3", "i", "I1-T-001", "expected an integer, found a string"},
      {"i", true, "i", "I1-T-001", "expected an integer, found a boolean"},
      {"n", "2.5", "n", "I1-T-001", "expected a number, found a string"},
      {"n", false, "n", "I1-T-001", "expected a number, found a boolean"},
      {"n", nullptr, "n", "I1-T-001", "null where a number is required"},
      {"b", "true", "b", "I1-T-001", "expected a boolean, found a string"},
      {"b", 1, "b", "I1-T-001", "expected a boolean, found an integer"},
      {"t", 20260101, "t", "I1-T-001", "expected a date-time string, found an integer"},
      {"o", json::array(), "o", "I1-T-001", "expected an object, found an array"},
      {"o", "{}", "o", "I1-T-001", "expected an object, found a string"},
      {"a", nullptr, "a", "I1-T-001", "null where a value is required"},
      {"e", 1, "e", "I1-T-001", "expected a Colour string, found an integer"},
      {"inner", "x", "inner", "I1-T-001", "expected an Inner object, found a string"},
      {"inner", json::object({{"code", 7}}), "inner.code", "I1-T-002", "expected a string, found an integer"},
      {"list", 5, "list", "I1-T-001", "expected an array of integers, found an integer"},
      {"list", json::array({1, "2"}), "list[1]", "I1-T-001", "expected an integer, found a string"},
      {"own", 5, "own", "I1-T-009", "expected a string, found an integer"},
  };
  for (const Case& c : cases)
    EXPECT_THAT(v.check(request("probe", {{c.field, c.value}})), ElementsAre(At(c.path, c.requirement, c.message)))
        << c.field << " = " << c.value.dump();
}

TEST(ValidatorShape, AcceptsEveryPrimitiveInItsAllowedForms) {
  const spec::Spec s = probe_spec();
  const Validator v(s);
  const std::vector<std::pair<std::string, json>> good{{"s", ""},
                                                       {"i", 3},
                                                       {"i", -4},
                                                       {"i", 0},
                                                       {"n", 3},
                                                       {"n", 2.5},
                                                       {"n", -1e-3},
                                                       {"b", false},
                                                       {"o", json::object()},
                                                       {"o", {{"k", 1}}},
                                                       {"a", 0},
                                                       {"a", "x"},
                                                       {"a", json::array()},
                                                       {"a", false},
                                                       {"e", "green"},
                                                       {"inner", {{"code", "c"}}},
                                                       {"list", json::array()},
                                                       {"list", {1, 2}},
                                                       {"t", "2026-01-01T00:00:00Z"},
                                                       {"t", "2026-01-01T00:01:30.250000Z"},
                                                       {"t", "2024-02-29T23:59:59.999Z"},
                                                       {"t", "1999-12-31T23:59:59.1Z"}};
  for (const auto& [name, value] : good)
    EXPECT_THAT(v.check(request("probe", {{name, value}})), IsEmpty()) << name << " = " << value.dump();
}

TEST(ValidatorShape, RefusesEveryMalformedDateTime) {
  const Validator v(shipped());
  for (const char* bad : {"2026-01-01 00:00:00Z",
                          "2026-01-01T00:00:00",
                          "2026-01-01T00:00:00+01:00",
                          "2026-01-01T00:00:00.000+00:00",
                          "2026-1-01T00:00:00Z",
                          "2026-01-1T00:00:00Z",
                          "2026-13-01T00:00:00Z",
                          "2026-00-10T00:00:00Z",
                          "2026-02-29T00:00:00Z",
                          "2026-04-31T00:00:00Z",
                          "2026-01-00T00:00:00Z",
                          "2026-01-01T24:00:00Z",
                          "2026-01-01T00:60:00Z",
                          "2026-01-01T00:00:60Z",
                          "2026-01-01T00:00:00.Z",
                          "2026-01-01T00:00:00.1234567890Z",
                          "2026-01-01t00:00:00z",
                          "2026-01-01T00:00:00z",
                          "2026-01-01T00:00:00.5z",
                          "2026-01-01T00:00:00ZZ",
                          "20260101T000000Z",
                          "2026-01-01T00:00Z",
                          "2026-01-01",
                          "",
                          " 2026-01-01T00:00:00Z",
                          "+2026-01-01T00:00:00Z",
                          "2026-01-01T00:00:00,5Z",
                          "2026-01-01T0a:00:00Z"}) {
    json body = order_create();
    body["requestedCompletionDate"] = bad;
    EXPECT_THAT(
        Validator(shipped()).check(request("createServiceOrder", body)),
        ElementsAre(At("requestedCompletionDate", "I1-ORD-002",
                       "'" + std::string(bad) + "' is not a UTC date-time of the form YYYY-MM-DDTHH:MM:SS[.fff]Z")))
        << bad;
  }
}

TEST(ValidatorShape, NamesABadEnumValueWithTheAllowedOnes) {
  json body = order_create();
  body["serviceOrderItem"][0]["action"] = "create";
  EXPECT_THAT(Validator(shipped()).check(request("createServiceOrder", body)),
              ElementsAre(At("serviceOrderItem[0].action", "I1-ORD-002",
                             "'create' is not an ItemActionType (add, modify, delete, noChange)")));
  EXPECT_THAT(Validator(shipped()).check(response("createServiceOrder", 201, order("SO-1", "done", "acknowledged"))),
              ElementsAre(At("state", "I1-ORD-003",
                             "'done' is not a ServiceOrderStateType (acknowledged, rejected, pending, held, "
                             "inProgress, completed, failed, partial, assessingCancellation, pendingCancellation, "
                             "cancelled)")));
}

TEST(ValidatorShape, RefusesAStatusTheOperationDoesNotList) {
  EXPECT_THAT(Validator(shipped()).check(response("createHub", 418, error_body())),
              ElementsAre(At("", "I1-GEN-001", "status 418 is not one that createHub lists (201, 400, 401)")));
  EXPECT_THAT(
      Validator(shipped()).check(response("retrieveServiceOrder", 201, order("SO-1", "acknowledged", "acknowledged"))),
      ElementsAre(At("", "I1-GEN-001")));
}

TEST(ValidatorShape, ChecksAnErrorResponseAgainstError) {
  json body = error_body();
  body.erase("reason");
  EXPECT_THAT(Validator(shipped()).check(response("createServiceOrder", 422, body)),
              ElementsAre(At("reason", "I1-GEN-003", "missing mandatory field 'reason'")));
}

TEST(ValidatorShape, RefusesABodyOnARequestThatTakesNone) {
  EXPECT_THAT(Validator(shipped()).check(request("retrieveServiceOrder", {{"id", "SO-1"}})),
              ElementsAre(At("", "I1-GEN-003")));
  EXPECT_THAT(Validator(shipped()).check(request("deleteHub", "hub-1")), ElementsAre(At("", "I1-GEN-003")));
  EXPECT_THAT(Validator(shipped()).check(request("retrieveServiceOrder", nullptr)), IsEmpty());
}

TEST(ValidatorShape, RefusesABodyOnANoContentResponse) {
  EXPECT_THAT(Validator(shipped()).check(response("deleteHub", 204, json::object())),
              ElementsAre(At("", "I1-GEN-003")));
}

TEST(ValidatorShape, RefusesAMissingBodyWhereOneIsRequired) {
  EXPECT_THAT(Validator(shipped()).check(request("createServiceOrder", nullptr)),
              ElementsAre(At("", "I1-ORD-002", "null where a ServiceOrderCreate object is required")));
}

TEST(ValidatorShape, ChecksEveryItemOfAnArrayResponse) {
  json body = json::array();
  for (const char* id : {"S-0", "S-1", "S-2", "S-3"})
    body.push_back(service(id, "active"));
  body[3]["state"] = "running";
  body[3]["operatingStatus"] = "busy";
  body[1]["place"][0].erase("jurisdiction");
  EXPECT_THAT(Validator(shipped()).check(response("listService", 200, body)),
              ElementsAre(At("[1].place[0].jurisdiction", "I1-REG-003"), At("[3].state", "I1-INV-001"),
                          At("[3].operatingStatus", "I1-INV-004")));
  EXPECT_THAT(Validator(shipped()).check(response("listService", 200, service("S-1", "active"))),
              ElementsAre(At("", "I1-INV-001", "expected an array of Service objects, found an object")));
}

TEST(ValidatorShape, RefusesANotificationWithTheWrongKey) {
  EXPECT_THAT(Validator(shipped()).check(
                  notification("ServiceOrderStateChangeEvent", "service", order("SO-1", "inProgress", "inProgress"))),
              UnorderedElementsAre(At("event.serviceOrder", "I1-HUB-003"), At("event.service", "I1-HUB-003")));
  Message both =
      notification("ServiceOrderStateChangeEvent", "serviceOrder", order("SO-1", "inProgress", "inProgress"));
  both.body["event"]["service"] = service("S-1", "active");
  EXPECT_THAT(Validator(shipped()).check(both), ElementsAre(At("event.service", "I1-HUB-003")));
}

TEST(ValidatorShape, RefusesAnEventTypeThatDiffersFromTheNotification) {
  Message m = notification("ServiceStateChangeEvent", "service", service("S-1", "active"));
  m.body["eventType"] = "ServiceOperatingStatusChangeEvent";
  EXPECT_THAT(Validator(shipped()).check(m), ElementsAre(At("eventType", "I1-HUB-003")));
}

TEST(ValidatorShape, ChecksTheEnvelope) {
  Message m = notification("ServiceStateChangeEvent", "service", service("S-1", "active"));
  m.body.erase("eventId");
  m.body["eventTime"] = "yesterday";
  m.body["source"] = "cloud";
  EXPECT_THAT(Validator(shipped()).check(m),
              ElementsAre(At("eventId", "I1-HUB-003", "missing mandatory field 'eventId'"),
                          At("eventTime", "I1-HUB-003"), At("source", "I1-HUB-003", "unknown field 'source'")));
  Message flat = notification("ServiceStateChangeEvent", "service", service("S-1", "active"));
  flat.body["event"] = service("S-1", "active");
  EXPECT_THAT(Validator(shipped()).check(flat), testing::Contains(At("event.service", "I1-HUB-003")));
}

TEST(ValidatorShape, ChecksTheResourceInsideANotificationAtItsDeepPath) {
  json so = order("SO-1", "inProgress", "inProgress");
  so["state"] = "bogus";
  so["serviceOrderItem"][2].erase("state");
  EXPECT_THAT(Validator(shipped()).check(notification("ServiceOrderStateChangeEvent", "serviceOrder", so)),
              ElementsAre(At("event.serviceOrder.state", "I1-ORD-003"),
                          At("event.serviceOrder.serviceOrderItem[2].state", "I1-ORD-003")));
}

TEST(ValidatorShape, RefusesAnUnknownEventType) {
  EXPECT_THAT(Validator(shipped()).check(notification("ServiceExplodedEvent", "service", service("S-1", "active"))),
              ElementsAre(At("", "I1-GEN-003", "unknown event type 'ServiceExplodedEvent'")));
}

TEST(ValidatorShape, RefusesAnUnknownOperation) {
  EXPECT_THAT(Validator(shipped()).check(request("launchRocket", nullptr)),
              ElementsAre(At("", "I1-GEN-003", "unknown operation 'launchRocket'")));
  EXPECT_THAT(Validator(shipped()).check(response("launchRocket", 200, nullptr)), ElementsAre(At("", "I1-GEN-003")));
}

TEST(ValidatorShape, AcceptsTheListenersAnswerToAKnownNotificationOnly) {
  EXPECT_THAT(Validator(shipped()).check(response("ServiceOrderStateChangeEvent", 204, nullptr)), IsEmpty());
  EXPECT_THAT(Validator(shipped()).check(response("ServiceExplodedEvent", 204, nullptr)),
              ElementsAre(At("", "I1-GEN-003", "unknown operation 'ServiceExplodedEvent'")));
}

TEST(ValidatorShape, ReportsEveryProblemTogetherInAFixedOrder) {
  json body = order_create();
  body.erase("externalId");
  body["description"] = 5;
  body["colour"] = "blue";
  body["serviceOrderItem"][0]["action"] = "create";
  body["serviceOrderItem"][1]["extra"] = true;
  body["serviceOrderItem"][2]["service"]["serviceCharacteristic"][0].erase("value");
  const Validator v(shipped());
  const auto problems = v.check(request("createServiceOrder", body));
  // The type's fields in declaration order, depth first; unknown fields after the declared ones.
  EXPECT_THAT(problems,
              ElementsAre(At("externalId", "I1-ORD-004"), At("description", "I1-ORD-002"),
                          At("serviceOrderItem[0].action", "I1-ORD-002"), At("serviceOrderItem[1].extra", "I1-ORD-002"),
                          At("serviceOrderItem[2].service.serviceCharacteristic[0].value", "I1-GEN-003"),
                          At("colour", "I1-ORD-002")));
  const auto again = v.check(request("createServiceOrder", body));
  ASSERT_EQ(again.size(), problems.size());
  for (std::size_t i = 0; i < problems.size(); ++i)
    EXPECT_EQ(again[i].message, problems[i].message);
}

// A specification made for the matching of an object's keys to its type's fields: names that sort before, between
// and after the declared ones, two fields of one name, fields declared out of name order, and a nested type whose
// own problems come between its parent's.
spec::Spec matching_spec() {
  auto field = [](std::string name, spec::TypeRef::Kind kind, bool mandatory, std::string structure = {}) {
    spec::Field f;
    f.name = std::move(name);
    f.type.kind = kind;
    f.type.name = std::move(structure);
    f.mandatory = mandatory;
    return f;
  };
  using K = spec::TypeRef::Kind;
  spec::Spec s;
  spec::Type outer;
  outer.name = "Outer";
  outer.requirement = "REQ-OUTER";
  outer.fields = {
      field("m", K::integer, true), field("c", K::string, false), field("inner", K::structure, false, "Inner"),
      field("m", K::string, false), field("k", K::boolean, true), field("a", K::string, true)};
  spec::Type inner;
  inner.name = "Inner";
  inner.requirement = "REQ-INNER";
  inner.fields = {field("y", K::integer, true), field("b", K::string, false)};
  s.types = {outer, inner};
  spec::Operation put;
  put.name = "putOuter";
  put.request = "Outer";
  s.operations = {put};
  return s;
}

TEST(ValidatorShape, MatchesKeysToFieldsInDeclaredOrderWithUnknownsAfterInKeyOrder) {
  const spec::Spec s = matching_spec();
  const Validator v(s);
  // Unknown keys before ("0"), between ("d", "l") and after ("z") the field names; "m" is declared twice, as an
  // integer and as a string, so a string breaks the first and an integer the second; "k" is missing.
  const json body = {{"0", 1}, {"a", "x"},    {"c", "x"}, {"d", 1}, {"inner", {{"b", 2}, {"q", 1}}},
                     {"l", 1}, {"m", "text"}, {"z", 1}};
  EXPECT_THAT(v.check(request("putOuter", body)),
              ElementsAre(At("m", "REQ-OUTER", "expected an integer, found a string"),
                          At("inner.y", "REQ-INNER", "missing mandatory field 'y'"),
                          At("inner.b", "REQ-INNER", "expected a string, found an integer"),
                          At("inner.q", "REQ-INNER", "unknown field 'q'"),
                          At("k", "REQ-OUTER", "missing mandatory field 'k'"),
                          At("0", "REQ-OUTER", "unknown field '0'"), At("d", "REQ-OUTER", "unknown field 'd'"),
                          At("l", "REQ-OUTER", "unknown field 'l'"), At("z", "REQ-OUTER", "unknown field 'z'")));
  // Every key known and every mandatory field there: nothing, whatever the keys' order against the fields'.
  EXPECT_THAT(v.check(request("putOuter", {{"a", "x"}, {"k", true}, {"m", 3}, {"inner", {{"y", 1}}}})),
              ElementsAre(At("m", "REQ-OUTER", "expected a string, found an integer")));
  EXPECT_THAT(v.check(request("putOuter", {{"k", false}, {"m", 3}})),
              ElementsAre(At("m", "REQ-OUTER", "expected a string, found an integer"),
                          At("a", "REQ-OUTER", "missing mandatory field 'a'")));
  EXPECT_THAT(v.check(request("putOuter", json::object())),
              ElementsAre(At("m", "REQ-OUTER"), At("k", "REQ-OUTER"), At("a", "REQ-OUTER")));
}

// ---- State machines, by hand

TEST(ValidatorStates, FollowsAnOrderThroughItsLifeWithoutProblems) {
  Validator v(shipped());
  EXPECT_THAT(v.observe(request("createServiceOrder", order_create())), IsEmpty());
  EXPECT_THAT(v.observe(response("createServiceOrder", 201, order("SO-7", "acknowledged", "acknowledged"))), IsEmpty());
  EXPECT_THAT(v.observe(notification("ServiceOrderStateChangeEvent", "serviceOrder",
                                     order("SO-7", "inProgress", "inProgress"))),
              IsEmpty());
  // The same state again: a repeated notification is not a transition.
  EXPECT_THAT(v.observe(notification("ServiceOrderItemStateChangeEvent", "serviceOrder",
                                     order("SO-7", "inProgress", "inProgress"))),
              IsEmpty());
  EXPECT_THAT(
      v.observe(notification("ServiceOrderStateChangeEvent", "serviceOrder", order("SO-7", "completed", "completed"))),
      IsEmpty());
  EXPECT_THAT(v.observe(response("retrieveServiceOrder", 200, order("SO-7", "completed", "completed"))), IsEmpty());
  EXPECT_THAT(v.observe(notification("ServiceStateChangeEvent", "service", service("S-1", "designed"))), IsEmpty());
  EXPECT_THAT(v.observe(notification("ServiceStateChangeEvent", "service", service("S-1", "reserved"))), IsEmpty());
  EXPECT_THAT(v.observe(notification("ServiceStateChangeEvent", "service", service("S-1", "active"))), IsEmpty());
}

TEST(ValidatorStates, RefusesAnIllegalTransitionInANotification) {
  Validator v(shipped());
  EXPECT_THAT(v.observe(response("createServiceOrder", 201, order("SO-7", "acknowledged", "acknowledged"))), IsEmpty());
  EXPECT_THAT(v.observe(notification("ServiceOrderStateChangeEvent", "serviceOrder",
                                     order("SO-7", "inProgress", "inProgress"))),
              IsEmpty());
  EXPECT_THAT(v.observe(notification("ServiceOrderStateChangeEvent", "serviceOrder",
                                     order("SO-7", "acknowledged", "inProgress"))),
              ElementsAre(At("event.serviceOrder.state", "I1-ORD-005",
                             "illegal transition inProgress -> acknowledged of serviceOrder SO-7 (legal from "
                             "inProgress: held, pending, completed, failed, partial, assessingCancellation)")));
}

TEST(ValidatorStates, RefusesAnItemSkippingAState) {
  Validator v(shipped());
  EXPECT_THAT(v.observe(response("createServiceOrder", 201, order("SO-7", "acknowledged", "acknowledged"))), IsEmpty());
  json so = order("SO-7", "inProgress", "inProgress");
  so["serviceOrderItem"][2]["state"] = "completed";
  EXPECT_THAT(v.observe(notification("ServiceOrderItemStateChangeEvent", "serviceOrder", so)),
              ElementsAre(At("event.serviceOrder.serviceOrderItem[2].state", "I1-ORD-006",
                             "illegal transition acknowledged -> completed of serviceOrderItem SO-7/3 (legal from "
                             "acknowledged: rejected, inProgress, failed, assessingCancellation)")));
}

TEST(ValidatorStates, RefusesAResourceFirstSeenOutsideAnInitialState) {
  Validator v(shipped());
  EXPECT_THAT(v.observe(response("createServiceOrder", 201, order("SO-7", "inProgress", "acknowledged"))),
              ElementsAre(At("state", "I1-ORD-005",
                             "serviceOrder SO-7 first seen in state inProgress, which is not an initial state "
                             "(acknowledged)")));
  json so = order("SO-8", "acknowledged", "acknowledged");
  so["serviceOrderItem"][1]["state"] = "held";
  EXPECT_THAT(v.observe(response("createServiceOrder", 201, so)),
              ElementsAre(At("serviceOrderItem[1].state", "I1-ORD-006")));
  EXPECT_THAT(v.observe(notification("ServiceStateChangeEvent", "service", service("S-1", "active"))),
              ElementsAre(At("event.service.state", "I1-INV-002")));
}

TEST(ValidatorStates, AcceptsAnyStateInAGetOfAResourceNeverSeen) {
  Validator v(shipped());
  EXPECT_THAT(v.observe(response("retrieveServiceOrder", 200, order("SO-7", "inProgress", "completed"))), IsEmpty());
  EXPECT_THAT(
      v.observe(response("listService", 200, json::array({service("S-1", "active"), service("S-2", "inactive")}))),
      IsEmpty());
  // Joining late still judges what follows.
  EXPECT_THAT(v.observe(notification("ServiceStateChangeEvent", "service", service("S-1", "reserved"))),
              ElementsAre(At("event.service.state", "I1-INV-002")));
}

TEST(ValidatorStates, AcceptsAResponseThatSkipsStatesAlongLegalTransitions) {
  Validator v(shipped());
  EXPECT_THAT(v.observe(response("createServiceOrder", 201, order("SO-7", "acknowledged", "acknowledged"))), IsEmpty());
  EXPECT_THAT(v.observe(response("retrieveServiceOrder", 200, order("SO-7", "completed", "completed"))), IsEmpty());
}

TEST(ValidatorStates, RefusesAResponseStateThatCannotBeReached) {
  Validator v(shipped());
  EXPECT_THAT(v.observe(response("createServiceOrder", 201, order("SO-7", "acknowledged", "acknowledged"))), IsEmpty());
  EXPECT_THAT(v.observe(notification("ServiceOrderStateChangeEvent", "serviceOrder",
                                     order("SO-7", "inProgress", "inProgress"))),
              IsEmpty());
  EXPECT_THAT(
      v.observe(notification("ServiceOrderStateChangeEvent", "serviceOrder", order("SO-7", "completed", "completed"))),
      IsEmpty());
  EXPECT_THAT(v.observe(response("retrieveServiceOrder", 200, order("SO-7", "inProgress", "completed"))),
              ElementsAre(At("state", "I1-ORD-005",
                             "state inProgress of serviceOrder SO-7 is not reachable from its last state completed "
                             "by legal transitions")));
  EXPECT_THAT(v.observe(response("listService", 200, json::array({service("S-1", "terminated")}))), IsEmpty());
  EXPECT_THAT(
      v.observe(response("listService", 200, json::array({service("S-0", "active"), service("S-1", "active")}))),
      ElementsAre(At("[1].state", "I1-INV-002")));
}

TEST(ValidatorStates, KeepsItemsOfDifferentOrdersApart) {
  Validator v(shipped());
  EXPECT_THAT(v.observe(response("retrieveServiceOrder", 200, order("SO-1", "completed", "completed"))), IsEmpty());
  // Items "1", "2", "3" again, of another order: new resources, in their initial state.
  EXPECT_THAT(v.observe(response("createServiceOrder", 201, order("SO-2", "acknowledged", "acknowledged"))), IsEmpty());
}

// The protocol oracle hands the validator its own table of names, which holds other strings before and between the
// validator's keys: the states must still follow each resource, by the outside table's ids.
TEST(ValidatorStates, FollowsResourcesByTheIdsOfAnOutsideTable) {
  util::CompactStringTable names;
  for (int i = 0; i < 1000; ++i)
    names.id("other-" + std::to_string(i));
  const std::uint32_t known = names.id("serviceOrder/SO-7"); // a key the owner interned first
  const std::size_t before = names.size();
  Validator v(shipped(), names);
  EXPECT_THAT(v.observe(response("createServiceOrder", 201, order("SO-7", "acknowledged", "acknowledged"))), IsEmpty());
  // Its keys went to the outside table (the order's, which was there, and its three items'), none elsewhere.
  std::uint32_t id = 0;
  EXPECT_TRUE(names.find("serviceOrder/SO-7", id));
  EXPECT_EQ(id, known);
  EXPECT_TRUE(names.find("serviceOrderItem/SO-7/3", id));
  EXPECT_EQ(names.size(), before + 3);
  names.id("other-between");
  EXPECT_THAT(v.observe(notification("ServiceOrderStateChangeEvent", "serviceOrder",
                                     order("SO-7", "inProgress", "inProgress"))),
              IsEmpty());
  // A copy shares the table but keeps its own states: each judges its own stream.
  Validator copy = v;
  EXPECT_THAT(copy.observe(notification("ServiceOrderStateChangeEvent", "serviceOrder",
                                        order("SO-7", "acknowledged", "inProgress"))),
              ElementsAre(At("event.serviceOrder.state", "I1-ORD-005")));
  EXPECT_THAT(
      v.observe(notification("ServiceOrderStateChangeEvent", "serviceOrder", order("SO-7", "completed", "completed"))),
      IsEmpty());
  EXPECT_THAT(copy.observe(response("createServiceOrder", 201, order("SO-8", "inProgress", "acknowledged"))),
              ElementsAre(At("state", "I1-ORD-005")));
  EXPECT_THAT(v.observe(response("createServiceOrder", 201, order("SO-8", "acknowledged", "acknowledged"))), IsEmpty());
  EXPECT_TRUE(names.find("serviceOrder/SO-8", id));
}

// Without an outside table, a copy keeps a table of its own, which must outlive the validator it was copied from.
TEST(ValidatorStates, ACopyKeepsFollowingAfterItsOriginalIsGone) {
  std::optional<Validator> original(std::in_place, shipped());
  EXPECT_THAT(original->observe(response("createServiceOrder", 201, order("SO-7", "acknowledged", "acknowledged"))),
              IsEmpty());
  Validator copy = *original;
  original.reset();
  EXPECT_THAT(copy.observe(notification("ServiceOrderStateChangeEvent", "serviceOrder",
                                        order("SO-7", "completed", "inProgress"))),
              ElementsAre(At("event.serviceOrder.state", "I1-ORD-005")));
  EXPECT_THAT(copy.observe(response("createServiceOrder", 201, order("SO-9", "acknowledged", "acknowledged"))),
              IsEmpty());
}

TEST(ValidatorStates, LeavesAMissingOrUnknownStateToTheShapeCheck) {
  Validator v(shipped());
  EXPECT_THAT(v.observe(response("createServiceOrder", 201, order("SO-7", "acknowledged", "acknowledged"))), IsEmpty());
  json so = order("SO-7", "bogus", "inProgress");
  so["serviceOrderItem"][0].erase("state");
  EXPECT_THAT(v.observe(notification("ServiceOrderStateChangeEvent", "serviceOrder", so)),
              ElementsAre(At("event.serviceOrder.state", "I1-ORD-003"),
                          At("event.serviceOrder.serviceOrderItem[0].state", "I1-ORD-003")));
  // The unknown state was not remembered: acknowledged -> inProgress is still the order's next step.
  EXPECT_THAT(v.observe(notification("ServiceOrderStateChangeEvent", "serviceOrder",
                                     order("SO-7", "inProgress", "inProgress"))),
              IsEmpty());
}

// ---- A generator of valid instances of any type of a specification, for the exhaustive tests.

class InstanceMaker {
public:
  explicit InstanceMaker(const spec::Spec& s) : spec_(s) {}

  /// An instance of `type` with its mandatory fields (minimal) or all of them with two-element arrays (full).
  /// A state-machine field holds the machine's first initial state; every `id` is fresh.
  json make(const std::string& type, bool full, int depth = 0) {
    const spec::Type* t = spec_.type(type);
    EXPECT_NE(t, nullptr) << "unknown type " << type;
    EXPECT_LT(depth, 32) << "the types nest without end at " << type;
    json out = json::object();
    if (!t || depth >= 32)
      return out;
    for (const spec::Field& f : t->fields)
      if (f.mandatory || (full && depth < 6))
        out[f.name] = value(*t, f, full, depth);
    return out;
  }

private:
  json value(const spec::Type& owner, const spec::Field& f, bool full, int depth) {
    if (!f.type.array)
      return element(owner, f, full, depth);
    json out = json::array();
    for (int i = 0; i < (full ? 2 : 0); ++i)
      out.push_back(element(owner, f, full, depth));
    return out;
  }

  json element(const spec::Type& owner, const spec::Field& f, bool full, int depth) {
    using K = spec::TypeRef::Kind;
    switch (f.type.kind) {
    case K::string:
      return f.name == "id" ? "ID-" + std::to_string(++ids_) : std::string("text");
    case K::integer:
      return full ? -17 : 42;
    case K::number:
      return full ? 2.5 : 3;
    case K::boolean:
      return full;
    case K::date_time:
      return full ? "2026-01-01T00:01:30.250000Z" : "2026-01-01T00:00:00Z";
    case K::object:
      return full ? json{{"note", "x"}} : json::object();
    case K::any:
      return full ? json(7) : json("v");
    case K::enumeration: {
      for (const spec::StateMachine& m : spec_.machines)
        if (m.type == owner.name && m.field == f.name && !m.initial.empty())
          return m.initial.front();
      const spec::Enum* e = spec_.enumeration(f.type.name);
      EXPECT_TRUE(e && !e->values.empty()) << "enum " << f.type.name;
      return e && !e->values.empty() ? e->values.back() : "";
    }
    case K::structure:
      return make(f.type.name, full, depth + 1);
    }
    return nullptr;
  }

  const spec::Spec& spec_;
  int ids_ = 0;
};

TEST(ValidatorShape, NamesANonIntegerMoneyValueInTheShippedSpecification) {
  InstanceMaker maker(shipped());
  json bill = maker.make("CustomerBill", false);
  bill["amountDue"]["value"] = 12.5;
  EXPECT_THAT(Validator(shipped()).check(response("updateCustomerBill", 200, bill)),
              ElementsAre(At("amountDue.value", "I1-BIL-004", "expected an integer, found a floating-point number")));
}

// The shipped specification plus, for every type, an operation whose request body is that type.
spec::Spec with_probe_operations() {
  spec::Spec s = shipped();
  for (const spec::Type& t : shipped().types) {
    spec::Operation op;
    op.name = "probe." + t.name;
    op.method = "POST";
    op.request = t.name;
    s.operations.push_back(op);
  }
  return s;
}

TEST(ValidatorGenerator, InstancesOfEveryTypePassTheCheck) {
  const spec::Spec s = with_probe_operations();
  const Validator v(s);
  InstanceMaker maker(s);
  ASSERT_FALSE(shipped().types.empty());
  for (const spec::Type& t : shipped().types)
    for (const bool full : {false, true}) {
      const json body = maker.make(t.name, full);
      EXPECT_THAT(v.check(request("probe." + t.name, body)), IsEmpty()) << t.name << ": " << body.dump();
    }
}

TEST(ValidatorGenerator, EveryTypeRefusesAMissingMandatoryFieldAndAnUnknownOne) {
  const spec::Spec s = with_probe_operations();
  const Validator v(s);
  InstanceMaker maker(s);
  int mandatory = 0;
  for (const spec::Type& t : shipped().types) {
    const std::string type_requirement = t.requirement.empty() ? "I1-GEN-003" : t.requirement;
    for (const spec::Field& f : t.fields) {
      if (!f.mandatory)
        continue;
      ++mandatory;
      json body = maker.make(t.name, true);
      body.erase(f.name);
      EXPECT_THAT(v.check(request("probe." + t.name, body)),
                  ElementsAre(At(f.name, f.requirement.empty() ? type_requirement : f.requirement,
                                 "missing mandatory field '" + f.name + "'")))
          << t.name;
    }
    json body = maker.make(t.name, false);
    body["zzUnlisted"] = 1;
    EXPECT_THAT(v.check(request("probe." + t.name, body)),
                ElementsAre(At("zzUnlisted", type_requirement, "unknown field 'zzUnlisted'")))
        << t.name;
  }
  EXPECT_GT(mandatory, 0);
}

// ---- State machines, exhaustively over the shipped specification

// Where a machine's resources travel in notifications: the notification, and the fields that lead from its
// resource to the machine's type (empty when the resource is of that type).
struct Carrier {
  const spec::Notification* notification = nullptr;
  struct Step {
    std::string field;
    std::string type;
    bool array = false;
  };
  std::vector<Step> steps;
};

std::optional<std::vector<Carrier::Step>> route(const spec::Spec& s, const std::string& from, const std::string& to,
                                                std::set<std::string>& visiting) {
  if (from == to)
    return std::vector<Carrier::Step>{};
  const spec::Type* t = s.type(from);
  if (!t || !visiting.insert(from).second)
    return std::nullopt;
  for (const spec::Field& f : t->fields) {
    if (f.type.kind != spec::TypeRef::Kind::structure)
      continue;
    if (auto rest = route(s, f.type.name, to, visiting)) {
      rest->insert(rest->begin(), Carrier::Step{f.name, f.type.name, f.type.array});
      return rest;
    }
  }
  visiting.erase(from);
  return std::nullopt;
}

std::optional<Carrier> carrier_of(const spec::Spec& s, const spec::StateMachine& m) {
  std::optional<Carrier> best;
  for (const spec::Notification& n : s.notifications) {
    std::set<std::string> visiting;
    if (auto steps = route(s, n.resource, m.type, visiting))
      if (!best || steps->size() < best->steps.size())
        best = Carrier{&n, *steps};
  }
  return best;
}

// Sends notifications that carry one resource of a machine in chosen states.
class Feeder {
public:
  Feeder(const spec::Spec& s, const spec::StateMachine& m, const Carrier& c) : machine_(m), carrier_(c) {
    InstanceMaker maker(s);
    resource_ = maker.make(c.notification->resource, false);
    state_path_ = "event." + c.notification->key;
    json* at = &resource_;
    for (const auto& step : c.steps) {
      json inner = maker.make(step.type, false);
      if (step.array) {
        (*at)[step.field] = json::array({inner});
        at = &(*at)[step.field][0];
        pointer_ = pointer_ / step.field / 0;
        state_path_ += "." + step.field + "[0]";
      } else {
        (*at)[step.field] = inner;
        at = &(*at)[step.field];
        pointer_ = pointer_ / step.field;
        state_path_ += "." + step.field;
      }
    }
    state_path_ += "." + m.field;
  }

  Message in(const std::string& state) const {
    json resource = resource_;
    resource[pointer_][machine_.field] = state;
    return notification(carrier_.notification->name, carrier_.notification->key, resource);
  }
  const std::string& state_path() const { return state_path_; }

private:
  const spec::StateMachine& machine_;
  const Carrier& carrier_;
  json resource_;
  json::json_pointer pointer_;
  std::string state_path_;
};

// The shortest walk along legal transitions from some initial state to `to`, both ends included.
std::optional<std::vector<std::string>> walk_to(const spec::StateMachine& m, const std::string& to) {
  std::map<std::string, std::string> came_from;
  std::deque<std::string> queue;
  for (const auto& s : m.initial)
    if (came_from.emplace(s, "").second)
      queue.push_back(s);
  while (!queue.empty()) {
    const std::string at = queue.front();
    queue.pop_front();
    if (at == to) {
      std::vector<std::string> path{at};
      for (std::string p = came_from[at]; !p.empty(); p = came_from[p])
        path.insert(path.begin(), p);
      return path;
    }
    for (const auto& t : m.transitions)
      if (t.from == at && came_from.emplace(t.to, at).second)
        queue.push_back(t.to);
  }
  return std::nullopt;
}

std::vector<std::string> states_of(const spec::Spec& s, const spec::StateMachine& m) {
  const spec::Type* t = s.type(m.type);
  const spec::Field* f = t ? t->field(m.field) : nullptr;
  const spec::Enum* e = f ? s.enumeration(f->type.name) : nullptr;
  EXPECT_NE(e, nullptr) << "machine " << m.name << " has no enum-typed state field";
  return e ? e->values : std::vector<std::string>{};
}

// Brings a fresh resource of the machine to `state` through notifications; false (with failures) if it cannot.
bool bring_to(Validator& v, const Feeder& feed, const spec::StateMachine& m, const std::string& state) {
  const auto walk = walk_to(m, state);
  EXPECT_TRUE(walk.has_value()) << m.name << ": " << state << " is not reachable from an initial state";
  if (!walk)
    return false;
  for (const auto& step : *walk) {
    const auto problems = v.observe(feed.in(step));
    EXPECT_THAT(problems, IsEmpty()) << m.name << " on the way to " << state << ", at " << step;
    if (!problems.empty())
      return false;
  }
  return true;
}

TEST(ValidatorMachines, EveryMachineTravelsInSomeNotification) {
  ASSERT_FALSE(shipped().machines.empty());
  for (const spec::StateMachine& m : shipped().machines)
    EXPECT_TRUE(carrier_of(shipped(), m).has_value()) << m.name;
}

TEST(ValidatorMachines, EveryLegalTransitionOfEveryMachinePasses) {
  std::size_t exercised = 0, listed = 0;
  for (const spec::StateMachine& m : shipped().machines) {
    listed += m.transitions.size();
    const auto carrier = carrier_of(shipped(), m);
    if (!carrier)
      continue;
    const Feeder feed(shipped(), m, *carrier);
    for (const spec::Transition& t : m.transitions) {
      SCOPED_TRACE(m.name + ": " + t.from + " -> " + t.to);
      Validator v(shipped());
      if (!bring_to(v, feed, m, t.from))
        continue;
      EXPECT_THAT(v.observe(feed.in(t.to)), IsEmpty());
      ++exercised;
    }
  }
  EXPECT_EQ(exercised, listed);
  EXPECT_GT(exercised, 0u);
}

TEST(ValidatorMachines, EveryIllegalPairOfEveryMachineIsRejected) {
  std::size_t rejected = 0;
  for (const spec::StateMachine& m : shipped().machines) {
    const auto carrier = carrier_of(shipped(), m);
    if (!carrier)
      continue;
    const Feeder feed(shipped(), m, *carrier);
    const auto states = states_of(shipped(), m);
    for (const auto& from : states)
      for (const auto& to : states) {
        bool legal = false;
        for (const auto& t : m.transitions)
          legal = legal || (t.from == from && t.to == to);
        if (from == to || legal)
          continue;
        SCOPED_TRACE(m.name + ": " + from + " -> " + to);
        Validator v(shipped());
        if (!bring_to(v, feed, m, from))
          continue;
        EXPECT_THAT(v.observe(feed.in(to)),
                    ElementsAre(AllOf(At(feed.state_path(), m.requirement),
                                      Field(&Problem::message, HasSubstr("illegal transition " + from + " -> " + to +
                                                                         " of " + m.name + " ")))));
        ++rejected;
      }
  }
  EXPECT_GT(rejected, 0u);
}

TEST(ValidatorMachines, EveryMachineAcceptsOnlyItsInitialStatesForANewResource) {
  for (const spec::StateMachine& m : shipped().machines) {
    const auto carrier = carrier_of(shipped(), m);
    if (!carrier)
      continue;
    const Feeder feed(shipped(), m, *carrier);
    for (const auto& state : states_of(shipped(), m)) {
      SCOPED_TRACE(m.name + ": first seen in " + state);
      Validator v(shipped());
      const bool initial = std::find(m.initial.begin(), m.initial.end(), state) != m.initial.end();
      if (initial)
        EXPECT_THAT(v.observe(feed.in(state)), IsEmpty());
      else
        EXPECT_THAT(v.observe(feed.in(state)), ElementsAre(At(feed.state_path(), m.requirement)));
    }
  }
}

} // namespace
} // namespace i1sim::i1::validator_test
