// Unit tests of the I1 specification loader (sim/i1/spec.hpp): the shipped file, and broken drafts it must refuse.
#include "i1/spec.hpp"
#include "support/text_edit.hpp"

#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <optional>
#include <sstream>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace i1sim::spec::spec_load_test {
namespace {

using test::replace_once;

using ::testing::HasSubstr;

const std::string kShipped = I1SIM_SOURCE_DIR "/conformance/spec/i1-v1.yaml";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "name:LINE:COL" of the first occurrence of `needle` in `text`, counted as an editor does (1-based).
std::string where(const std::string& name, const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  EXPECT_NE(at, std::string::npos) << "'" << needle << "' is not in the text";
  if (at == std::string::npos)
    return "?";
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < at; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return name + ":" + std::to_string(line) + ":" + std::to_string(at - line_start + 1);
}

// The position of the first line that is exactly `line_text` (e.g. "  ServiceOrder:"), at its first non-blank.
Position position_of_line(const std::string& text, const std::string& line_text) {
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line == line_text)
      return {number, static_cast<int>(line.find_first_not_of(' ')) + 1};
  }
  ADD_FAILURE() << "no line '" << line_text << "'";
  return {};
}

std::optional<SpecError> error_of(const std::string& text) {
  try {
    load_from_string(text, "draft.yaml");
  } catch (const SpecError& e) {
    return e;
  }
  return std::nullopt;
}

// The smallest specification that loads: every section present, each element once.
const std::string kDraft = R"(i1spec: 1
version: 0.1.0
title: A small draft
description: Just enough to load.
money: {representation: minor units, rounding: half-even, rule: each record is rounded}
concerns:
  ORD: {title: Ordering, api: TMF641}
profiles:
  Q: {title: Intra-operator, description: One trust domain.}
timers:
  T_notify: {default: 5s, description: "notification delay"}
enums:
  OrderState:
    values: [acknowledged, completed]
types:
  Order:
    concern: ORD
    requirement: I1-ORD-001
    fields:
      id: {type: string, mandatory: true}
      state: {type: OrderState, mandatory: true}
      notes: {type: "array<Order>"}
state_machines:
  order:
    type: Order
    field: state
    requirement: I1-ORD-001
    created_by: [createOrder]
    initial: [acknowledged]
    final: [completed]
    transitions:
      - {from: acknowledged, to: completed, via: [OrderStateChangeEvent]}
operations:
  createOrder:
    concern: ORD
    direction: telecom_to_cloud
    method: POST
    path: /order
    request: Order
    query: {relatedParty.id: string}
    responses: {201: Order, 204: null}
    requirements: [I1-ORD-001]
notifications:
  OrderStateChangeEvent:
    concern: ORD
    resource: Order
    key: order
    requirements: [I1-ORD-001]
requirements:
  - {id: I1-ORD-001, level: should, concern: ORD, timers: [T_notify], ics: order.basic, text: "Orders are acknowledged."}
)";

class ShippedSpec : public ::testing::Test {
protected:
  void SetUp() override {
    text_ = read_text(kShipped);
    ASSERT_FALSE(text_.empty()) << kShipped << " could not be read";
    yaml_ = YAML::Load(text_);
  }
  std::string text_;
  YAML::Node yaml_;
};

TEST_F(ShippedSpec, BuiltinIsTheShippedFile) {
  EXPECT_EQ(std::string(builtin_text()), text_);
  EXPECT_EQ(builtin_name(), "conformance/spec/i1-v1.yaml");
  const Spec& s = builtin();
  EXPECT_EQ(s.file, "conformance/spec/i1-v1.yaml");
  EXPECT_EQ(&s, &builtin()) << "loaded once";
}

TEST_F(ShippedSpec, HasAsManyElementsAsTheYamlText) {
  const Spec& s = builtin();
  EXPECT_EQ(s.format, yaml_["i1spec"].as<int>());
  EXPECT_EQ(s.version, yaml_["version"].as<std::string>());
  EXPECT_EQ(s.title, yaml_["title"].as<std::string>());
  EXPECT_EQ(s.money.rounding, yaml_["money"]["rounding"].as<std::string>());
  EXPECT_EQ(s.concerns.size(), yaml_["concerns"].size());
  EXPECT_EQ(s.profiles.size(), yaml_["profiles"].size());
  EXPECT_EQ(s.timers.size(), yaml_["timers"].size());
  EXPECT_EQ(s.enums.size(), yaml_["enums"].size());
  EXPECT_EQ(s.types.size(), yaml_["types"].size());
  EXPECT_EQ(s.machines.size(), yaml_["state_machines"].size());
  EXPECT_EQ(s.operations.size(), yaml_["operations"].size());
  EXPECT_EQ(s.notifications.size(), yaml_["notifications"].size());
  EXPECT_EQ(s.requirements.size(), yaml_["requirements"].size());

  std::size_t values = 0, fields = 0, transitions = 0, responses = 0, queries = 0;
  for (const auto& e : yaml_["enums"])
    values += e.second["values"].size();
  for (const auto& t : yaml_["types"])
    fields += t.second["fields"].size();
  for (const auto& m : yaml_["state_machines"])
    transitions += m.second["transitions"].size();
  for (const auto& o : yaml_["operations"]) {
    responses += o.second["responses"].size();
    if (o.second["query"])
      queries += o.second["query"].size();
  }
  std::size_t got_values = 0, got_fields = 0, got_transitions = 0, got_responses = 0, got_queries = 0;
  for (const Enum& e : s.enums)
    got_values += e.values.size();
  for (const Type& t : s.types)
    got_fields += t.fields.size();
  for (const StateMachine& m : s.machines)
    got_transitions += m.transitions.size();
  for (const Operation& o : s.operations) {
    got_responses += o.responses.size();
    got_queries += o.query.size();
  }
  EXPECT_EQ(got_values, values);
  EXPECT_EQ(got_fields, fields);
  EXPECT_EQ(got_transitions, transitions);
  EXPECT_EQ(got_responses, responses);
  EXPECT_EQ(got_queries, queries);
}

TEST_F(ShippedSpec, KeepsFileOrder) {
  const Spec& s = builtin();
  std::vector<std::string> yaml_types, types;
  for (const auto& t : yaml_["types"])
    yaml_types.push_back(t.first.as<std::string>());
  for (const Type& t : s.types)
    types.push_back(t.name);
  EXPECT_EQ(types, yaml_types);
  std::vector<std::string> yaml_ids, ids;
  for (const auto& r : yaml_["requirements"])
    yaml_ids.push_back(r["id"].as<std::string>());
  for (const Requirement& r : s.requirements)
    ids.push_back(r.id);
  EXPECT_EQ(ids, yaml_ids);
  const Type* order = s.type("ServiceOrder");
  ASSERT_NE(order, nullptr);
  std::vector<std::string> yaml_fields, got;
  for (const auto& f : yaml_["types"]["ServiceOrder"]["fields"])
    yaml_fields.push_back(f.first.as<std::string>());
  for (const Field& f : order->fields)
    got.push_back(f.name);
  EXPECT_EQ(got, yaml_fields);
}

TEST_F(ShippedSpec, LoadsTheSameFromThePath) {
  const Spec s = load(kShipped);
  EXPECT_EQ(s.file, kShipped);
  const Spec& b = builtin();
  ASSERT_EQ(s.types.size(), b.types.size());
  for (std::size_t i = 0; i < s.types.size(); ++i) {
    EXPECT_EQ(s.types[i].name, b.types[i].name);
    EXPECT_EQ(s.types[i].at.line, b.types[i].at.line);
    EXPECT_EQ(s.types[i].fields.size(), b.types[i].fields.size());
  }
  EXPECT_EQ(s.requirements.size(), b.requirements.size());
}

TEST_F(ShippedSpec, RecordsWhereEachElementIsWritten) {
  const Spec& s = builtin();
  for (const Type& t : s.types) {
    const Position p = position_of_line(text_, "  " + t.name + ":");
    EXPECT_EQ(t.at.line, p.line) << t.name;
    EXPECT_EQ(t.at.column, p.column) << t.name;
  }
  for (const StateMachine& m : s.machines)
    EXPECT_EQ(m.at.line, position_of_line(text_, "  " + m.name + ":").line) << m.name;
  for (const Operation& o : s.operations)
    EXPECT_EQ(o.at.line, position_of_line(text_, "  " + o.name + ":").line) << o.name;
  // A field is written on one line "      name: {type: ...}", a requirement as "  - {id: ID, ...".
  const Type* order = s.type("ServiceOrder");
  ASSERT_NE(order, nullptr);
  const Field* external = order->field("externalId");
  ASSERT_NE(external, nullptr);
  const auto block = text_.find("\n  ServiceOrder:\n");
  const auto field_at = text_.find("      externalId:", block);
  EXPECT_EQ(external->at.line,
            1 + static_cast<int>(std::count(text_.begin(), text_.begin() + static_cast<long>(field_at), '\n')));
  EXPECT_EQ(external->at.column, 7);
  for (const Requirement& r : s.requirements) {
    const std::string item = "  - {id: " + r.id + ",";
    const auto at = text_.find(item);
    ASSERT_NE(at, std::string::npos) << r.id;
    EXPECT_EQ(r.at.line, 1 + static_cast<int>(std::count(text_.begin(), text_.begin() + static_cast<long>(at), '\n')));
    EXPECT_EQ(r.at.column, 5) << r.id;
  }
}

TEST_F(ShippedSpec, ReadsValuesAsWritten) {
  const Spec& s = builtin();
  const Timer* notify = s.timer("T_notify");
  ASSERT_NE(notify, nullptr);
  EXPECT_DOUBLE_EQ(notify->default_s, 5.0);
  EXPECT_EQ(notify->default_text, "5s");
  const Timer* retention = s.timer("T_retention");
  ASSERT_NE(retention, nullptr);
  EXPECT_DOUBLE_EQ(retention->default_s, 90 * 86400.0);

  const Requirement* idem = s.requirement("I1-ORD-004");
  ASSERT_NE(idem, nullptr);
  EXPECT_EQ(idem->level, Level::shall);
  EXPECT_EQ(idem->addition, "idempotency");
  const Requirement* cancel = s.requirement("I1-ORD-010");
  ASSERT_NE(cancel, nullptr);
  EXPECT_EQ(cancel->level, Level::should);
  EXPECT_EQ(cancel->ics, "order.cancel");
  const Requirement* sec = s.requirement("I1-SEC-001");
  ASSERT_NE(sec, nullptr);
  EXPECT_EQ(sec->profiles, std::vector<std::string>{"X"});

  const Type* order = s.type("ServiceOrder");
  ASSERT_NE(order, nullptr);
  const Field* state = order->field("state");
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(state->type.kind, TypeRef::Kind::enumeration);
  EXPECT_EQ(state->type.name, "ServiceOrderStateType");
  EXPECT_TRUE(state->mandatory);
  const Field* items = order->field("serviceOrderItem");
  ASSERT_NE(items, nullptr);
  EXPECT_EQ(items->type.kind, TypeRef::Kind::structure);
  EXPECT_TRUE(items->type.array);
  EXPECT_EQ(items->type.name, "ServiceOrderItem");
  EXPECT_EQ(items->type.text, "array<ServiceOrderItem>");
  const Field* completion = order->field("completionDate");
  ASSERT_NE(completion, nullptr);
  EXPECT_EQ(completion->type.kind, TypeRef::Kind::date_time);
  EXPECT_FALSE(completion->mandatory);
  EXPECT_EQ(order->field("colour"), nullptr);

  const Operation* del = s.operation("deleteHub");
  ASSERT_NE(del, nullptr);
  EXPECT_EQ(del->method, "DELETE");
  EXPECT_FALSE(del->request.has_value());
  ASSERT_NE(del->response(204), nullptr);
  EXPECT_FALSE(del->response(204)->body.has_value());
  EXPECT_EQ(del->response(200), nullptr);
  const Operation* list = s.operation("listUsage");
  ASSERT_NE(list, nullptr);
  ASSERT_EQ(list->query.count("usageDate.gt"), 1u);
  EXPECT_EQ(list->query.at("usageDate.gt").kind, TypeRef::Kind::date_time);
  ASSERT_NE(list->response(200), nullptr);
  EXPECT_TRUE(list->response(200)->body->array);

  const StateMachine* m = s.machine("serviceOrder");
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->allows("acknowledged", "inProgress"));
  EXPECT_FALSE(m->allows("inProgress", "acknowledged"));
  EXPECT_EQ(s.notification("AlarmCreateEvent")->resource, "Alarm");
  EXPECT_EQ(s.concern("REG")->title, "Regulation");
  EXPECT_EQ(s.enumeration("GranularityType")->values.size(), 4u);
  EXPECT_EQ(to_string(Level::shall), "shall");
  EXPECT_EQ(to_string(Level::should), "should");
  EXPECT_EQ(to_string(Level::may), "may");
}

TEST(SpecLoad, ReadsTheSmallestDraft) {
  const Spec s = load_from_string(kDraft, "draft.yaml");
  ASSERT_EQ(s.types.size(), 1u);
  ASSERT_EQ(s.types[0].fields.size(), 3u);
  EXPECT_EQ(s.types[0].fields[1].type.kind, TypeRef::Kind::enumeration);
  EXPECT_EQ(s.types[0].fields[2].type.kind, TypeRef::Kind::structure);
  EXPECT_EQ(s.requirements[0].level, Level::should);
  ASSERT_EQ(s.operations.size(), 1u);
  EXPECT_EQ(s.operations[0].responses.size(), 2u);
  EXPECT_EQ(s.operations[0].request, std::optional<std::string>("Order"));
}

TEST(SpecLoad, LeavesDanglingNamesToTheLinter) {
  const std::string text = replace_once(kDraft, "state: {type: OrderState,", "state: {type: NoSuchThing,");
  const Spec s = load_from_string(text, "draft.yaml");
  EXPECT_EQ(s.types[0].fields[1].type.kind, TypeRef::Kind::structure);
  EXPECT_EQ(s.types[0].fields[1].type.name, "NoSuchThing");
}

TEST(SpecLoad, ResolvesEnumsWrittenAfterTheTypes) {
  // Move the enums section below the types: a name is an enum if any enum of that name exists in the file.
  std::string text = replace_once(kDraft, "enums:\n  OrderState:\n    values: [acknowledged, completed]\n", "");
  text += "enums:\n  OrderState:\n    values: [acknowledged, completed]\n";
  const Spec s = load_from_string(text, "draft.yaml");
  EXPECT_EQ(s.types[0].fields[1].type.kind, TypeRef::Kind::enumeration);
}

TEST(SpecLoad, ReportsAFileThatCannotBeRead) {
  const std::string path = I1SIM_SOURCE_DIR "/conformance/spec/no-such-spec.yaml";
  try {
    load(path);
    FAIL() << "expected a SpecError";
  } catch (const SpecError& e) {
    EXPECT_EQ(std::string(e.what()), path + ": cannot read the file");
  }
}

TEST(SpecLoad, RejectsInvalidYamlWithALine) {
  const auto e =
      error_of(replace_once(kDraft, "  ORD: {title: Ordering, api: TMF641}", "  ORD: {title: Ordering, api: [TMF641}"));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->file(), "draft.yaml");
  EXPECT_GT(e->line(), 0);
}

TEST(SpecLoad, RejectsADocumentThatIsNotAMapping) {
  const auto e = error_of("- just\n- a list\n");
  ASSERT_TRUE(e.has_value());
  EXPECT_THAT(e->what(), HasSubstr("draft.yaml:1:1: a specification must be a YAML mapping"));
}

struct Broken {
  const char* name;
  std::string from;    // replaced in the draft...
  std::string to;      // ...by this
  std::string at;      // the error is located where this first appears in the edited text
  std::string message; // a fragment of the message
};

void PrintTo(const Broken& b, std::ostream* os) { *os << b.name; }

class BrokenDraft : public ::testing::TestWithParam<Broken> {};

TEST_P(BrokenDraft, IsRefusedAtTheOffendingKeyOrValue) {
  const Broken& b = GetParam();
  const std::string text = replace_once(kDraft, b.from, b.to);
  const auto e = error_of(text);
  ASSERT_TRUE(e.has_value()) << "the draft loaded";
  const std::string located = where("draft.yaml", text, b.at);
  EXPECT_EQ(std::string(e->what()).rfind(located + ": ", 0), 0u) << e->what() << "\nexpected at " << located;
  EXPECT_THAT(e->message(), HasSubstr(b.message));
}

INSTANTIATE_TEST_SUITE_P(
    SpecLoad, BrokenDraft,
    ::testing::Values(
        Broken{"UnknownTopLevelKey", "version: 0.1.0\n", "version: 0.1.0\ncolour: blue\n", "colour",
               "unknown key 'colour'"},
        Broken{"MissingTopLevelKey", "title: A small draft\n", "", "i1spec", "missing required key 'title'"},
        Broken{"KeyWithoutValue", "title: A small draft\n", "title:\n", "title", "title: has no value"},
        Broken{"OtherFormatVersion", "i1spec: 1", "i1spec: 2", "2", "i1spec: '2' is not a format"},
        Broken{"MissingMoneyRule", ", rule: each record is rounded}", "}", "{representation",
               "money: missing required key 'rule'"},
        Broken{"UnknownKeyInAConcern", "api: TMF641}", "api: TMF641, owner: me}", "owner",
               "concerns.ORD: unknown key 'owner'"},
        Broken{"ConcernThatIsNotAName", "  ORD: {title", "  O R D: {title", "O R D", "'O R D' may hold only"},
        Broken{"TypeNameAnExpressionCannotUse", "types:\n  Order:", "types:\n  Order-2:", "Order-2",
               "types: 'Order-2' is not a usable name"},
        Broken{"EnumNameAnExpressionCannotUse", "  OrderState:\n", "  9State:\n", "9State",
               "enums: '9State' is not a usable name"},
        Broken{"DurationWithoutUnit", "default: 5s", "default: 5", "5,", "timers.T_notify.default"},
        Broken{"NegativeDuration", "default: 5s", "default: -5s", "-5s", "timers.T_notify.default"},
        Broken{"EnumValuesNotAList", "values: [acknowledged, completed]", "values: acknowledged", "acknowledged\n",
               "enums.OrderState.values: expected a list"},
        Broken{"TypeWithoutFields",
               "    fields:\n      id: {type: string, mandatory: true}\n      state: {type: OrderState, mandatory: "
               "true}\n      notes: {type: \"array<Order>\"}\n",
               "", "concern: ORD\n    requirement", "types.Order: missing required key 'fields'"},
        Broken{"FieldsAsAList",
               "    fields:\n      id: {type: string, mandatory: true}\n      state: {type: OrderState, mandatory: "
               "true}\n      notes: {type: \"array<Order>\"}\n",
               "    fields: [id, state]\n", "[id, state]", "types.Order.fields: expected a mapping"},
        Broken{"UnknownKeyInAField", "id: {type: string, mandatory: true}", "id: {type: string, mandatry: true}",
               "mandatry", "types.Order.fields.id: unknown key 'mandatry'"},
        Broken{"MandatoryNotABoolean", "id: {type: string, mandatory: true}", "id: {type: string, mandatory: yes}",
               "yes", "'yes' is not true or false"},
        Broken{"ArrayOfArrays", "notes: {type: \"array<Order>\"}", "notes: {type: \"array<array<Order>>\"}",
               "\"array<array", "an array of arrays is not allowed"},
        Broken{"UnclosedArray", "notes: {type: \"array<Order>\"}", "notes: {type: \"array<Order\"}", "\"array<Order\"",
               "an array is written array<T>"},
        Broken{"TypeWithASpace", "notes: {type: \"array<Order>\"}", "notes: {type: \"list of Order\"}", "\"list of",
               "'list of Order' is not a type"},
        Broken{"EmptyArrayType", "notes: {type: \"array<Order>\"}", "notes: {type: \"array<>\"}", "\"array<>",
               "'array<>' is not a type"},
        Broken{"MalformedRequirementId", "{id: I1-ORD-001,", "{id: I1-ORD-01,", "I1-ORD-01,",
               "'I1-ORD-01' is not a requirement id"},
        Broken{"LowerCaseConcernInAnId", "{id: I1-ORD-001,", "{id: I1-ord-001,", "I1-ord-001",
               "'I1-ord-001' is not a requirement id"},
        Broken{"MalformedRequirementReference", "    requirements: [I1-ORD-001]\nnotifications:",
               "    requirements: [ORD-001]\nnotifications:", "ORD-001]", "'ORD-001' is not a requirement id"},
        Broken{"BadLevel", "level: should", "level: must", "must", "requirements[0].level: 'must' is not a level"},
        Broken{"RequirementWithoutText", ", text: \"Orders are acknowledged.\"}", "}", "{id: I1-ORD-001",
               "requirements[0]: missing required key 'text'"},
        Broken{"BadMethod", "method: POST", "method: PUT", "PUT", "'PUT' is not a method"},
        Broken{"BadDirection", "direction: telecom_to_cloud", "direction: sideways", "sideways",
               "'sideways' is not a direction"},
        Broken{"PathWithoutSlash", "path: /order", "path: order", "order\n", "must start with '/'"},
        Broken{"StatusCodeNotANumber", "{201: Order,", "{2x1: Order,", "2x1", "'2x1' is not an HTTP status code"},
        Broken{"StatusCodeOutOfRange", "{201: Order,", "{999: Order,", "999", "'999' is not an HTTP status code"},
        Broken{"BadResponseType", "{201: Order,", "{201: \"array<array<Order>>\",", "\"array<array",
               "an array of arrays"},
        Broken{"RequestBodyOnAGet", "method: POST", "method: GET", "Order\n    query", "a GET request carries no body"},
        Broken{"TransitionWithoutVia", ", via: [OrderStateChangeEvent]}", "}", "{from: acknowledged",
               "missing required key 'via'"},
        Broken{"UnknownKeyInATransition", "via: [OrderStateChangeEvent]}", "via: [OrderStateChangeEvent], guard: x}",
               "guard", "state_machines.order.transitions[0]: unknown key 'guard'"},
        Broken{"DuplicateType", "state_machines:\n", "  Order:\n    concern: ORD\nstate_machines:\n",
               "Order:\n    concern: ORD\nstate", "duplicate key 'Order'"},
        Broken{"NotificationWithoutResource", "    resource: Order\n", "", "concern: ORD\n    key",
               "notifications.OrderStateChangeEvent: missing required key 'resource'"}),
    [](const ::testing::TestParamInfo<Broken>& param) { return std::string(param.param.name); });

TEST(SpecLoad, ErrorWhatIsFileLineColumnMessage) {
  const SpecError e("a.yaml", 3, 7, "types.X: broken");
  EXPECT_EQ(std::string(e.what()), "a.yaml:3:7: types.X: broken");
}

} // namespace
} // namespace i1sim::spec::spec_load_test
