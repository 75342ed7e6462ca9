// Unit tests of the specification linter (sim/i1/spec_tools.hpp): the shipped file is clean, and each check fires
// on a copy of it broken in exactly one place, at the line of the broken element.
#include "i1/spec.hpp"
#include "i1/spec_tools.hpp"
#include "support/text_edit.hpp"

#include <algorithm>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

namespace i1sim::spec::spec_lint_test {
namespace {

using test::line_of;
using test::replace_once;

using ::testing::HasSubstr;

const std::string kShipped = I1SIM_SOURCE_DIR "/conformance/spec/i1-v1.yaml";

std::string shipped_text() {
  std::ifstream in(kShipped, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<Finding> errors_of(const std::vector<Finding>& findings) {
  std::vector<Finding> out;
  for (const Finding& f : findings)
    if (f.severity == Finding::Severity::error)
      out.push_back(f);
  return out;
}

std::string describe(const Spec& s, const std::vector<Finding>& findings) {
  std::string out;
  for (const Finding& f : findings)
    out += format(s, f) + "\n";
  return out;
}

TEST(SpecLint, ShippedSpecificationHasNoFinding) {
  const Spec& s = builtin();
  const auto findings = lint(s);
  EXPECT_TRUE(findings.empty()) << describe(s, findings);
}

TEST(SpecLint, FormatsAFindingAsFileLineColumnSeverityMessageCheck) {
  Spec s;
  s.file = "draft.yaml";
  const Finding e{Finding::Severity::error, {12, 5}, "unreachable-state", "state machine m: state 'x' is lost"};
  EXPECT_EQ(format(s, e), "draft.yaml:12:5: error: state machine m: state 'x' is lost [unreachable-state]");
  const Finding w{Finding::Severity::warning, {3, 3}, "unused-timer", "timer T is listed by no requirement"};
  EXPECT_EQ(format(s, w), "draft.yaml:3:3: warning: timer T is listed by no requirement [unused-timer]");
}

TEST(SpecLint, SortsFindingsByPosition) {
  std::string text = shipped_text();
  // Two independent breaks, the later one in the file made first.
  text = replace_once(text, "responses: {201: AckAlarms, 400: Error, 401: Error}", "responses: {}");
  text = replace_once(text, "values: [add, modify, delete, noChange]", "values: []");
  const Spec s = load_from_string(text, "edited.yaml");
  const auto findings = lint(s);
  ASSERT_EQ(findings.size(), 2u) << describe(s, findings);
  EXPECT_EQ(findings[0].check, "empty-enum");
  EXPECT_EQ(findings[1].check, "operation-without-response");
  EXPECT_LT(findings[0].at.line, findings[1].at.line);
}

struct Break {
  const char* name;
  std::string from;   // replaced in the shipped text...
  std::string to;     // ...by this
  std::string anchor; // the finding is on the line where this first appears in the edited text
  std::string check;
  std::string message; // a fragment of the finding's message
  bool only = true;    // the break makes no other error
  Finding::Severity severity = Finding::Severity::error;
};

void PrintTo(const Break& b, std::ostream* os) { *os << b.name; }

class BrokenShippedSpec : public ::testing::TestWithParam<Break> {};

TEST_P(BrokenShippedSpec, FiresItsCheckAtTheBrokenElement) {
  const Break& b = GetParam();
  const std::string text = replace_once(shipped_text(), b.from, b.to);
  const int line = line_of(text, b.anchor);
  ASSERT_GT(line, 0) << "anchor '" << b.anchor << "' is not in the edited text";
  const Spec s = load_from_string(text, "edited.yaml");
  const auto findings = lint(s);
  const auto hit = std::find_if(findings.begin(), findings.end(), [&](const Finding& f) {
    return f.check == b.check && f.at.line == line && f.severity == b.severity;
  });
  ASSERT_NE(hit, findings.end()) << "no " << b.check << " at line " << line << "; findings:\n" << describe(s, findings);
  EXPECT_THAT(hit->message, HasSubstr(b.message));
  EXPECT_EQ(format(s, *hit).rfind("edited.yaml:" + std::to_string(line) + ":", 0), 0u) << format(s, *hit);
  if (b.only) {
    const auto errors = errors_of(findings);
    const std::size_t expected = b.severity == Finding::Severity::error ? 1 : 0;
    EXPECT_EQ(errors.size(), expected) << describe(s, findings);
  }
}

const std::string kAlarmRefFields = "  AlarmRef:\n    concern: ALM\n    requirement: I1-ALM-004\n    fields:\n      "
                                    "id: {type: string, mandatory: true}\n";

INSTANTIATE_TEST_SUITE_P(
    SpecLint, BrokenShippedSpec,
    ::testing::Values(
        // dangling-reference, one per kind of name
        Break{"FieldTypeNamingNothing", "ackedAlarm: {type: \"array<AlarmRef>\"",
              "ackedAlarm: {type: \"array<AlarmRefs>\"", "ackedAlarm:", "dangling-reference",
              "field AckAlarms.ackedAlarm: 'AlarmRefs' names no enum and no type"},
        Break{"RequestTypeNamingNothing", "request: HubCreate", "request: HubCreation",
              "  createHub:", "dangling-reference", "operation createHub: request type 'HubCreation'"},
        Break{"ResponseTypeNamingNothing", "responses: {201: Hub, 400", "responses: {201: Hubb, 400",
              "  createHub:", "dangling-reference", "operation createHub, response 201: 'Hubb'"},
        Break{"QueryTypeNamingNothing", "query: {state: string}", "query: {state: AlarmStatus}",
              "  listAlarm:", "dangling-reference", "query parameter state: 'AlarmStatus'"},
        Break{"NotificationResourceNamingNothing", "resource: CancelServiceOrder\n", "resource: CancelOrder\n",
              "  CancelServiceOrderStateChangeEvent:", "dangling-reference", "resource type 'CancelOrder'"},
        Break{"MachineTypeNamingNothing", "type: Usage\n    field: status", "type: Usages\n    field: status",
              "  usage:\n", "dangling-reference", "state machine usage: type 'Usages'"},
        Break{"MachineFieldNamingNothing", "field: executionState", "field: execState", "  measurementCollectionJob:\n",
              "dangling-reference", "type MeasurementCollectionJob has no field 'execState'"},
        Break{"TransitionViaNamingNothing", "{from: raised, to: updated, via: [AlarmStateChangeEvent]}",
              "{from: raised, to: updated, via: [AlarmChangeEvent]}", "{from: raised, to: updated",
              "dangling-reference", "'AlarmChangeEvent' is no operation and no notification"},
        Break{"CreatedByNamingNothing", "created_by: [AlarmCreateEvent]", "created_by: [AlarmRaiseEvent]", "  alarm:\n",
              "dangling-reference", "'AlarmRaiseEvent' is no operation and no notification"},
        Break{"TypeRequirementNamingNothing", "requirement: I1-BIL-004\n    description: \"An amount",
              "requirement: I1-BIL-094\n    description: \"An amount", "  Money:\n", "dangling-reference",
              "type Money: requirement 'I1-BIL-094'"},
        Break{"FieldRequirementNamingNothing", "mandatory: true, requirement: I1-ORD-004}",
              "mandatory: true, requirement: I1-ORD-094}", "requirement: I1-ORD-094}", "dangling-reference",
              "field ServiceOrderCreate.externalId: requirement 'I1-ORD-094'"},
        Break{"MachineRequirementNamingNothing", "requirement: I1-ALM-002\n", "requirement: I1-ALM-092\n", "  alarm:\n",
              "dangling-reference", "requirement 'I1-ALM-092'"},
        Break{"OperationRequirementNamingNothing", "requirements: [I1-ALM-005, I1-SEC-003]",
              "requirements: [I1-ALM-005, I1-SEC-093]", "  listAlarm:", "dangling-reference",
              "operation listAlarm: requirement 'I1-SEC-093'"},
        Break{"NotificationRequirementNamingNothing", "    requirements: [I1-SLA-002, I1-HUB-006]\n",
              "    requirements: [I1-SLA-002, I1-HUB-006, I1-SLA-092]\n", "  ServiceLevelViolationCreateEvent:",
              "dangling-reference", "notification ServiceLevelViolationCreateEvent: requirement 'I1-SLA-092'"},
        Break{"TimerNamingNothing", "timers: [T_sla],", "timers: [T_sla, T_late],", "{id: I1-SLA-002",
              "dangling-reference", "requirement I1-SLA-002: timer 'T_late'"},
        Break{"ConcernNamingNothing", "    concern: REG\n    requirement: I1-REG-003\n    description: Where",
              "    concern: RGE\n    requirement: I1-REG-003\n    description: Where", "  Place:", "dangling-reference",
              "type Place: concern 'RGE'"},
        Break{"RequirementIdWithAnUndeclaredConcern", "{id: I1-SLA-001, level: shall, concern: SLA,",
              "{id: I1-SLX-001, level: shall, concern: SLX,", "{id: I1-SLX-001", "dangling-reference",
              "requirement I1-SLX-001: concern 'SLX'", false},
        Break{"ProfileNamingNothing", "profiles: [X], addition: xProfile,\n     text: \"Every request carries",
              "profiles: [Z], addition: xProfile,\n     text: \"Every request carries", "{id: I1-SEC-001",
              "dangling-reference", "requirement I1-SEC-001: profile 'Z'"},
        // names
        Break{"DuplicateRequirementId", "  - {id: I1-SEC-004, level: shall",
              "  - {id: I1-SEC-003, level: shall, concern: SEC, text: \"Again.\"}\n  - {id: I1-SEC-004, level: shall",
              "text: \"Again.\"", "duplicate-id", "requirement I1-SEC-003 is already declared at line"},
        Break{"EnumAndTypeOfTheSameName", "  CustomerStatusType:\n",
              "  Money:\n    values: [gold]\n  CustomerStatusType:\n", "  Money:\n    concern", "duplicate-name",
              "type Money: an enum of the same name"},
        Break{"NotificationNamedAsAnOperation", "  PerformanceReportEvent:\n", "  listAlarm:\n",
              "  listAlarm:\n    concern: PM", "duplicate-name",
              "notification listAlarm: an operation of the same name"},
        Break{"EnumValueListedTwice", "values: [add, modify, delete, noChange]", "values: [add, modify, delete, add]",
              "  ItemActionType:", "duplicate-value", "value 'add' is listed twice"},
        // state machines
        Break{"MachineFieldNotAnEnum", "field: status\n    requirement: I1-USG-006",
              "field: usageDate\n    requirement: I1-USG-006", "  usage:\n", "machine-field",
              "field Usage.usageDate is of type date-time"},
        Break{"InitialStateNotInTheEnum", "initial: [raised]", "initial: [raised, opened]", "  alarm:\n",
              "unknown-state", "initial state 'opened' is no value of AlarmStateType"},
        Break{"TransitionToAStateNotInTheEnum", "{from: raised, to: updated, via: [AlarmStateChangeEvent]}",
              "{from: raised, to: upgraded, via: [AlarmStateChangeEvent]}", "to: upgraded", "unknown-state",
              "'upgraded' is no value of AlarmStateType", false},
        Break{"UnreachableState", "      - {from: raised, to: updated, via: [AlarmStateChangeEvent]}\n", "",
              "  alarm:\n", "unreachable-state", "state 'updated' cannot be reached"},
        Break{"UncausedTransition", "{from: raised, to: updated, via: [AlarmStateChangeEvent]}",
              "{from: raised, to: updated, via: []}", "to: updated, via: []", "uncaused-transition",
              "transition raised -> updated: no operation or notification causes it"},
        Break{"TransitionLeavingAFinalState", "      - {from: updated, to: cleared, via: [AlarmStateChangeEvent]}\n",
              "      - {from: updated, to: cleared, via: [AlarmStateChangeEvent]}\n"
              "      - {from: cleared, to: raised, via: [AlarmStateChangeEvent]}\n",
              "{from: cleared, to: raised", "final-state-exit", "cleared is a final state"},
        Break{"ViaNotificationCarryingAnotherResource", "{from: raised, to: updated, via: [AlarmStateChangeEvent]}",
              "{from: raised, to: updated, via: [UsageStateChangeEvent]}", "{from: raised, to: updated", "via-mismatch",
              "notification UsageStateChangeEvent carries a Usage, which holds no Alarm"},
        Break{"CreatingNotificationCarryingAnotherResource", "created_by: [AlarmCreateEvent]",
              "created_by: [UsageCreateEvent]", "  alarm:\n", "via-mismatch",
              "notification UsageCreateEvent carries a Usage"},
        // coverage and consistency
        Break{"RequirementNoOperationLists", "requirements: [I1-ALM-005, I1-SEC-003]", "requirements: [I1-SEC-003]",
              "{id: I1-ALM-005", "uncovered-requirement", "requirement I1-ALM-005 is listed by no operation"},
        Break{"TimerNoRequirementLists", "{id: I1-SLA-002, level: shall, concern: SLA, timers: [T_sla],",
              "{id: I1-SLA-002, level: shall, concern: SLA,", "  T_sla:", "unused-timer",
              "timer T_sla is listed by no requirement", true, Finding::Severity::warning},
        Break{"RequirementIdAndConcernDisagree", "{id: I1-SLA-001, level: shall, concern: SLA,",
              "{id: I1-SLA-001, level: shall, concern: BIL,", "{id: I1-SLA-001", "requirement-concern",
              "its id says concern SLA but its concern is BIL"},
        Break{"EnumWithoutValues", "values: [add, modify, delete, noChange]", "values: []",
              "  ItemActionType:", "empty-enum", "enum ItemActionType has no values"},
        Break{"TypeWithoutFields", kAlarmRefFields,
              "  AlarmRef:\n    concern: ALM\n    requirement: I1-ALM-004\n    fields: {}\n",
              "  AlarmRef:", "empty-type", "type AlarmRef has no fields"},
        Break{"OperationWithoutResponse", "responses: {201: Hub, 400: Error, 401: Error}", "responses: {}",
              "  createHub:", "operation-without-response", "operation createHub lists no response"},
        Break{"TwoOperationsOnOneRoute", "method: GET\n    path: /tmf-api/alarm/v4/alarm",
              "method: GET\n    path: /tmf-api/serviceInventory/v4/service", "  listAlarm:", "duplicate-path",
              "GET /tmf-api/serviceInventory/v4/service is already operation listService"}),
    [](const ::testing::TestParamInfo<Break>& param) { return std::string(param.param.name); });

TEST(SpecLint, WarningsAloneLeaveTheSpecificationAcceptable) {
  const std::string text = replace_once(shipped_text(), "{id: I1-SLA-002, level: shall, concern: SLA, timers: [T_sla],",
                                        "{id: I1-SLA-002, level: shall, concern: SLA,");
  const Spec s = load_from_string(text, "edited.yaml");
  const auto findings = lint(s);
  ASSERT_EQ(findings.size(), 1u) << describe(s, findings);
  EXPECT_EQ(findings[0].severity, Finding::Severity::warning);
  EXPECT_TRUE(errors_of(findings).empty());
}

TEST(SpecLint, ReportsEveryProblemOfADraftAtOnce) {
  std::string text = shipped_text();
  text = replace_once(text, "request: HubCreate", "request: HubCreation");
  text = replace_once(text, "values: [add, modify, delete, noChange]", "values: []");
  text = replace_once(text, "created_by: [AlarmCreateEvent]", "created_by: [AlarmRaiseEvent]");
  const Spec s = load_from_string(text, "edited.yaml");
  std::vector<std::string> checks;
  for (const Finding& f : lint(s))
    checks.push_back(f.check);
  EXPECT_EQ(checks, (std::vector<std::string>{"empty-enum", "dangling-reference", "dangling-reference"}));
}

} // namespace
} // namespace i1sim::spec::spec_lint_test
