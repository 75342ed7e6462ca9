// Unit tests of the differ between two versions of the I1 specification (diff and format in sim/i1/spec_tools.hpp).
#include "i1/spec_tools.hpp"
#include "support/text_edit.hpp"

#include <algorithm>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace i1sim::spec::spec_diff_test {
namespace {

using test::replace_once;

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

const std::string kSpecPath = I1SIM_SOURCE_DIR "/conformance/spec/i1-v1.yaml";

std::string read_shipped() {
  std::ifstream in(kSpecPath, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> lines(const std::vector<Change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes)
    out.push_back(format(c));
  return out;
}

Change mirrored(const Change& c) {
  Change m = c;
  if (c.kind == Change::Kind::added)
    m.kind = Change::Kind::removed;
  else if (c.kind == Change::Kind::removed)
    m.kind = Change::Kind::added;
  std::swap(m.before, m.after);
  return m;
}

bool same_change(const Change& a, const Change& b) {
  return std::tie(a.kind, a.what, a.before, a.after) == std::tie(b.kind, b.what, b.before, b.after);
}

class ShippedSpecDiff : public ::testing::Test {
protected:
  void SetUp() override {
    text_ = read_shipped();
    ASSERT_FALSE(text_.empty()) << kSpecPath << " could not be read";
    shipped_ = load_from_string(text_, kSpecPath);
  }

  // The shipped specification with a known list of edits, each a one-place text replacement.
  std::string edited_text() const {
    std::string t = text_;
    t = replace_once(t, "version: 1.0.0", "version: 1.1.0");
    t = replace_once(t, "T_notify: {default: 5s,", "T_notify: {default: 10s,");
    t = replace_once(t, "values: [add, modify, delete, noChange]", "values: [add, modify, delete]");
    t = replace_once(t, "specificProblem: {type: string}", "specificProblem: {type: string, mandatory: true}");
    t = replace_once(t, "      timestamp: {type: date-time, mandatory: true}\n", "");
    t = replace_once(t, "serviceOrder: {type: EntityRef, description: \"the order that last changed the service\"}",
                     "serviceOrder: {type: \"array<EntityRef>\", description: \"the order that last changed the "
                     "service\"}");
    t = replace_once(t, "\nstate_machines:\n",
                     "  CustomerRef:\n    concern: CUS\n    requirement: I1-CUS-002\n    fields:\n"
                     "      id: {type: string, mandatory: true}\n      name: {type: string}\n\nstate_machines:\n");
    t = replace_once(t,
                     "      - {from: pendingCancellation, to: cancelled, via: [ServiceOrderStateChangeEvent]}\n"
                     "  serviceOrderItem:\n",
                     "      - {from: pendingCancellation, to: cancelled, via: [ServiceOrderStateChangeEvent]}\n"
                     "      - {from: held, to: failed, via: [ServiceOrderStateChangeEvent]}\n"
                     "  serviceOrderItem:\n");
    t = replace_once(t, "responses: {201: ServiceOrder, 200: ServiceOrder, 400: Error, 401: Error, 422: Error}",
                     "responses: {201: ServiceOrder, 200: ServiceOrder, 400: Error, 401: Error}");
    t = replace_once(t, "requirements: [I1-HUB-005]", "requirements: [I1-HUB-005, I1-SEC-003]");
    t = replace_once(t,
                     "  ServiceOperatingStatusChangeEvent:\n    concern: INV\n    resource: Service\n    key: service\n"
                     "    requirements: [I1-INV-004, I1-HUB-006]\n",
                     "");
    t = replace_once(t, "{id: I1-HUB-005, level: should,", "{id: I1-HUB-005, level: shall,");
    t = replace_once(t, "{id: I1-ALM-001, level: shall, concern: ALM, timers: [T_notify],",
                     "{id: I1-ALM-001, level: shall, concern: ALM, timers: [T_notify, T_response],");
    return t;
  }

  std::string text_;
  Spec shipped_;
};

TEST_F(ShippedSpecDiff, FindsNothingBetweenTheShippedSpecAndItself) {
  EXPECT_THAT(diff(shipped_, shipped_), IsEmpty());
  EXPECT_THAT(diff(shipped_, load_from_string(text_, "copy.yaml")), IsEmpty());
}

TEST_F(ShippedSpecDiff, ListsExactlyTheEditsMadeAndNothingMore) {
  const Spec edited = load_from_string(edited_text(), "edited.yaml");
  using K = Change::Kind;
  const std::vector<Change> expected{
      {K::changed, "version", "1.0.0", "1.1.0"},
      {K::changed, "timer T_notify.default", "5s", "10s"},
      {K::removed, "enum ItemActionType.value noChange", "", ""},
      {K::changed, "type Alarm.field specificProblem.mandatory", "false", "true"},
      {K::removed, "type ErrorMessage.field timestamp", "date-time, mandatory", ""},
      {K::changed, "type Service.field serviceOrder.type", "EntityRef", "array<EntityRef>"},
      {K::added, "type CustomerRef", "", "CUS; fields: id, name"},
      {K::added, "machine serviceOrder.transition held -> failed", "", "via ServiceOrderStateChangeEvent"},
      {K::removed, "operation createServiceOrder.response 422", "Error", ""},
      {K::added, "operation deleteHub.requirement I1-SEC-003", "", ""},
      {K::removed, "notification ServiceOperatingStatusChangeEvent", "resource Service, key service", ""},
      {K::changed, "requirement I1-HUB-005.level", "should", "shall"},
      {K::changed, "requirement I1-ALM-001.timers", "T_notify", "T_notify, T_response"},
  };
  EXPECT_THAT(lines(diff(shipped_, edited)), UnorderedElementsAreArray(lines(expected)));
  const auto changes = diff(shipped_, edited);
  ASSERT_EQ(changes.size(), expected.size());
  for (const auto& e : expected)
    EXPECT_EQ(std::count_if(changes.begin(), changes.end(), [&](const Change& c) { return same_change(c, e); }), 1)
        << format(e);
}

TEST_F(ShippedSpecDiff, IsAMirrorImageWhenTheVersionsSwap) {
  const Spec edited = load_from_string(edited_text(), "edited.yaml");
  const auto forward = diff(shipped_, edited);
  const auto backward = diff(edited, shipped_);
  ASSERT_FALSE(forward.empty());
  ASSERT_EQ(forward.size(), backward.size());
  for (std::size_t i = 0; i < forward.size(); ++i)
    EXPECT_TRUE(same_change(mirrored(forward[i]), backward[i]))
        << format(forward[i]) << " against " << format(backward[i]);
}

TEST_F(ShippedSpecDiff, SortsBySectionThenByName) {
  const auto changes = diff(shipped_, load_from_string(edited_text(), "edited.yaml"));
  const std::vector<std::string> sections{"concern",   "profile",      "timer",       "enum",  "type",   "machine",
                                          "operation", "notification", "requirement", "money", "version"};
  std::size_t last_section = 0;
  std::string last_name;
  for (const auto& c : changes) {
    const std::string head = c.what.substr(0, c.what.find_first_of(" ."));
    const auto section = std::find(sections.begin(), sections.end(), head);
    ASSERT_NE(section, sections.end()) << c.what;
    const auto index = static_cast<std::size_t>(section - sections.begin());
    ASSERT_GE(index, last_section) << c.what << " comes after a change of a later section";
    const auto space = c.what.find(' ');
    const std::string name =
        space == std::string::npos ? std::string() : c.what.substr(space + 1, c.what.find('.', space) - space - 1);
    if (index == last_section) {
      EXPECT_LE(last_name, name) << c.what << " is out of name order";
    }
    last_section = index;
    last_name = name;
  }
}

TEST_F(ShippedSpecDiff, TakesNoNoticeOfOrderOrOfHowADurationIsWritten) {
  std::string t =
      replace_once(text_, "values: [add, modify, delete, noChange]", "values: [noChange, delete, add, modify]");
  t = replace_once(t, "T_response: {default: 5s,", "T_response: {default: 5000ms,");
  t = replace_once(t, "responses: {201: Hub, 400: Error, 401: Error}", "responses: {401: Error, 400: Error, 201: Hub}");
  t = replace_once(t, "requirements: [I1-PM-004, I1-SEC-003]", "requirements: [I1-SEC-003, I1-PM-004]");
  // Move a whole type to another place in the file.
  const std::string alarm_ref =
      "  AlarmRef:\n    concern: ALM\n    requirement: I1-ALM-004\n    fields:\n      id: {type: string, mandatory: "
      "true}\n";
  t = replace_once(t, alarm_ref, "");
  t = replace_once(t, "\nstate_machines:\n", "\n" + alarm_ref + "\nstate_machines:\n");
  EXPECT_THAT(lines(diff(shipped_, load_from_string(t, "reordered.yaml"))), IsEmpty());
}

TEST_F(ShippedSpecDiff, ReportsARemovedElementOnceNotFieldByField) {
  const std::string t =
      replace_once(text_,
                   "  deleteHub:\n    concern: HUB\n    direction: telecom_to_cloud\n    method: DELETE\n"
                   "    path: /tmf-api/i1/v1/hub/{id}\n    responses: {204: null, 404: Error, 401: Error}\n"
                   "    requirements: [I1-HUB-005]\n",
                   "");
  EXPECT_THAT(lines(diff(shipped_, load_from_string(t, "fewer.yaml"))),
              ElementsAre("- operation deleteHub: DELETE /tmf-api/i1/v1/hub/{id}"));
}

TEST_F(ShippedSpecDiff, ReportsTheMoneyRuleAndVersionLast) {
  std::string t = replace_once(text_, "rounding: half-even", "rounding: half-up");
  t = replace_once(t, "version: 1.0.0", "version: 2.0.0");
  t = replace_once(t, "{id: I1-SEC-004, level: shall,", "{id: I1-SEC-004, level: may,");
  EXPECT_THAT(lines(diff(shipped_, load_from_string(t, "v2.yaml"))),
              ElementsAre("~ requirement I1-SEC-004.level: shall -> may", "~ money.rounding: half-even -> half-up",
                          "~ version: 1.0.0 -> 2.0.0"));
}

TEST(SpecChangeFormat, WritesOneLinePerKind) {
  using K = Change::Kind;
  EXPECT_EQ(format({K::added, "type CustomerRef", "", "CUS; fields: id"}), "+ type CustomerRef: CUS; fields: id");
  EXPECT_EQ(format({K::removed, "operation createServiceOrder.response 422", "Error", ""}),
            "- operation createServiceOrder.response 422: Error");
  EXPECT_EQ(format({K::changed, "requirement I1-ORD-004.level", "should", "shall"}),
            "~ requirement I1-ORD-004.level: should -> shall");
}

TEST(SpecChangeFormat, ShowsAnEmptyValueAsNone) {
  using K = Change::Kind;
  EXPECT_EQ(format({K::added, "enum AlarmStateType.value held", "", ""}), "+ enum AlarmStateType.value held");
  EXPECT_EQ(format({K::changed, "requirement I1-ORD-010.ics", "order.cancel", ""}),
            "~ requirement I1-ORD-010.ics: order.cancel -> (none)");
  EXPECT_EQ(format({K::changed, "requirement I1-ORD-004.addition", "", "idempotency"}),
            "~ requirement I1-ORD-004.addition: (none) -> idempotency");
}

TEST(SpecChangeFormat, KeepsAMultiLineValueOnOneLine) {
  EXPECT_EQ(format({Change::Kind::changed, "description", "first\nsecond", "third"}),
            "~ description: first second -> third");
}

} // namespace
} // namespace i1sim::spec::spec_diff_test
