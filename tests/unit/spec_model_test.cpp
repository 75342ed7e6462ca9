// The C++ message model (the generated i1sim/i1_v1.hpp, as compiled) against the I1 specification: they agree
// in both directions, the checked-in header is exactly what the generator renders, and the check catches edits.
#include "i1/spec.hpp"
#include "i1/spec_cpp.hpp"
#include "i1sim/i1_v1.hpp"
#include "support/text_edit.hpp"

#include <fmt/format.h>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace i1sim::spec::spec_model_test {
namespace {

using test::line_of;
using test::replace_once;

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kSpecFile = I1SIM_SOURCE_DIR "/conformance/spec/i1-v1.yaml";
const std::string kHeaderFile = I1SIM_SOURCE_DIR "/sim/include/i1sim/i1_v1.hpp";
constexpr std::string_view kHeader = "i1sim/i1_v1.hpp";
constexpr std::string_view kFix =
    "regenerate with: build/i1sim spec cpp conformance/spec/i1-v1.yaml --out sim/include/i1sim/i1_v1.hpp";

// The compiled model as views, so that the comparison can also be run against tables other than the generated
// ones (and against specifications other than the shipped one).
struct Model {
  std::string_view version;
  std::span<const v1::OperationInfo> operations;
  std::span<const v1::NotificationInfo> notifications;
  std::span<const v1::EnumInfo> enums;
  std::span<const v1::TypeInfo> types;
  std::span<const v1::MachineInfo> machines;
};

Model compiled() { return {v1::spec_version, v1::op::all, v1::event::all, v1::enums, v1::types, v1::machines}; }

std::string where(const Spec& spec, const Position& at) {
  return fmt::format("{}:{}:{}", spec.file, at.line, at.column);
}

// Indexes header entries by name; a name listed twice is itself a disagreement.
template <typename Info>
std::map<std::string, const Info*> by_name(std::span<const Info> infos, const std::string& what,
                                           std::vector<std::string>& out) {
  std::map<std::string, const Info*> index;
  for (const Info& info : infos)
    if (!index.emplace(std::string(info.name), &info).second)
      out.push_back(fmt::format("{} {} is in {} twice", what, info.name, kHeader));
  return index;
}

// Compares two sets of names both ways; `what` reads like "state machine alarm: initial state".
void compare_sets(const std::vector<std::string>& in_spec, std::span<const std::string_view> in_header,
                  const std::string& what, const std::string& spec_at, std::vector<std::string>& out) {
  const std::set<std::string> a(in_spec.begin(), in_spec.end());
  std::set<std::string> b;
  for (const std::string_view name : in_header)
    b.emplace(name);
  for (const auto& name : a)
    if (!b.contains(name))
      out.push_back(fmt::format("{} {} is in the specification ({}) but not in {}", what, name, spec_at, kHeader));
  for (const auto& name : b)
    if (!a.contains(name))
      out.push_back(fmt::format("{} {} is in {} but not in the specification ({})", what, name, kHeader, spec_at));
}

void compare_types(const Model& model, const Spec& spec, std::vector<std::string>& out) {
  auto header = by_name(model.types, "type", out);
  for (const Type& t : spec.types) {
    const auto found = header.find(t.name);
    if (found == header.end()) {
      out.push_back(
          fmt::format("type {} is in the specification ({}) but not in {}", t.name, where(spec, t.at), kHeader));
      continue;
    }
    auto fields = by_name(found->second->fields, fmt::format("type {}: field", t.name), out);
    for (const Field& f : t.fields) {
      const auto hf = fields.find(f.name);
      if (hf == fields.end()) {
        out.push_back(fmt::format("type {}: field {} ({}{}) is in the specification ({}) but not in {}", t.name, f.name,
                                  f.type.text, f.mandatory ? ", mandatory" : "", where(spec, f.at), kHeader));
        continue;
      }
      if (hf->second->type_text != f.type.text)
        out.push_back(fmt::format("type {}: field {} has type {} in the specification ({}) but {} in {}", t.name,
                                  f.name, f.type.text, where(spec, f.at), hf->second->type_text, kHeader));
      if (hf->second->mandatory != f.mandatory)
        out.push_back(fmt::format("type {}: field {} is {} in the specification ({}) but {} in {}", t.name, f.name,
                                  f.mandatory ? "mandatory" : "optional", where(spec, f.at),
                                  hf->second->mandatory ? "mandatory" : "optional", kHeader));
      fields.erase(hf);
    }
    for (const auto& [name, info] : fields)
      out.push_back(fmt::format("type {}: field {} ({}{}) is in {} but not in the specification ({})", t.name, name,
                                info->type_text, info->mandatory ? ", mandatory" : "", kHeader, where(spec, t.at)));
    header.erase(found);
  }
  for (const auto& [name, info] : header)
    out.push_back(fmt::format("type {} is in {} but not in the specification", name, kHeader));
}

void compare_enums(const Model& model, const Spec& spec, std::vector<std::string>& out) {
  auto header = by_name(model.enums, "enum", out);
  for (const Enum& e : spec.enums) {
    const auto found = header.find(e.name);
    if (found == header.end()) {
      out.push_back(
          fmt::format("enum {} is in the specification ({}) but not in {}", e.name, where(spec, e.at), kHeader));
      continue;
    }
    compare_sets(e.values, found->second->values, fmt::format("enum {}: value", e.name), where(spec, e.at), out);
    header.erase(found);
  }
  for (const auto& [name, info] : header)
    out.push_back(fmt::format("enum {} is in {} but not in the specification", name, kHeader));
}

void compare_operations(const Model& model, const Spec& spec, std::vector<std::string>& out) {
  auto header = by_name(model.operations, "operation", out);
  for (const Operation& o : spec.operations) {
    const auto found = header.find(o.name);
    if (found == header.end()) {
      out.push_back(fmt::format("operation {} ({} {}) is in the specification ({}) but not in {}", o.name, o.method,
                                o.path, where(spec, o.at), kHeader));
      continue;
    }
    const v1::OperationInfo& h = *found->second;
    const std::string request = o.request.value_or("");
    if (h.method != o.method)
      out.push_back(fmt::format("operation {}: method is {} in the specification ({}) but {} in {}", o.name, o.method,
                                where(spec, o.at), h.method, kHeader));
    if (h.path != o.path)
      out.push_back(fmt::format("operation {}: path is {} in the specification ({}) but {} in {}", o.name, o.path,
                                where(spec, o.at), h.path, kHeader));
    if (h.request_type != request)
      out.push_back(fmt::format("operation {}: request type is '{}' in the specification ({}) but '{}' in {}", o.name,
                                request, where(spec, o.at), h.request_type, kHeader));
    header.erase(found);
  }
  for (const auto& [name, info] : header)
    out.push_back(fmt::format("operation {} ({} {}) is in {} but not in the specification", name, info->method,
                              info->path, kHeader));
}

void compare_notifications(const Model& model, const Spec& spec, std::vector<std::string>& out) {
  auto header = by_name(model.notifications, "notification", out);
  for (const Notification& n : spec.notifications) {
    const auto found = header.find(n.name);
    if (found == header.end()) {
      out.push_back(fmt::format("notification {} is in the specification ({}) but not in {}", n.name, where(spec, n.at),
                                kHeader));
      continue;
    }
    const v1::NotificationInfo& h = *found->second;
    if (h.resource != n.resource)
      out.push_back(fmt::format("notification {}: resource is {} in the specification ({}) but {} in {}", n.name,
                                n.resource, where(spec, n.at), h.resource, kHeader));
    if (h.key != n.key)
      out.push_back(fmt::format("notification {}: key is {} in the specification ({}) but {} in {}", n.name, n.key,
                                where(spec, n.at), h.key, kHeader));
    header.erase(found);
  }
  for (const auto& [name, info] : header)
    out.push_back(fmt::format("notification {} is in {} but not in the specification", name, kHeader));
}

std::string arrow(std::string_view from, std::string_view to) { return fmt::format("{} -> {}", from, to); }

void compare_machines(const Model& model, const Spec& spec, std::vector<std::string>& out) {
  auto header = by_name(model.machines, "state machine", out);
  for (const StateMachine& m : spec.machines) {
    const std::string at = where(spec, m.at);
    const auto found = header.find(m.name);
    if (found == header.end()) {
      out.push_back(fmt::format("state machine {} is in the specification ({}) but not in {}", m.name, at, kHeader));
      continue;
    }
    const v1::MachineInfo& h = *found->second;
    if (h.type != m.type || h.field != m.field)
      out.push_back(fmt::format("state machine {}: states are {}.{} in the specification ({}) but {}.{} in {}", m.name,
                                m.type, m.field, at, h.type, h.field, kHeader));
    compare_sets(m.initial, h.initial, fmt::format("state machine {}: initial state", m.name), at, out);
    compare_sets(m.final, h.final, fmt::format("state machine {}: final state", m.name), at, out);
    std::vector<std::string> spec_transitions;
    for (const Transition& t : m.transitions)
      spec_transitions.push_back(arrow(t.from, t.to));
    std::vector<std::string> header_text;
    for (const v1::TransitionInfo& t : h.transitions)
      header_text.push_back(arrow(t.from, t.to));
    const std::vector<std::string_view> header_transitions(header_text.begin(), header_text.end());
    compare_sets(spec_transitions, header_transitions, fmt::format("state machine {}: transition", m.name), at, out);
    header.erase(found);
  }
  for (const auto& [name, info] : header)
    out.push_back(fmt::format("state machine {} is in {} but not in the specification", name, kHeader));
}

// Every way in which `model` and `spec` disagree, one sentence each; empty when they agree.
std::vector<std::string> disagreements(const Model& model, const Spec& spec) {
  std::vector<std::string> out;
  if (model.version != spec.version)
    out.push_back(fmt::format("the version is {} in the specification ({}) but {} in {}", spec.version, spec.file,
                              model.version, kHeader));
  compare_types(model, spec, out);
  compare_enums(model, spec, out);
  compare_operations(model, spec, out);
  compare_notifications(model, spec, out);
  compare_machines(model, spec, out);
  return out;
}

std::string report(const std::vector<std::string>& found) {
  std::string text;
  for (const auto& line : found)
    text += "  " + line + "\n";
  return text + std::string(kFix);
}

std::string read(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shipped specification with one edit, compared with the compiled header.
std::vector<std::string> disagreements_after(const std::string& from, const std::string& to) {
  const Spec edited = load_from_string(replace_once(read(kSpecFile), from, to), "edited-i1-v1.yaml");
  return disagreements(compiled(), edited);
}

TEST(SpecModel, CompiledHeaderAgreesWithTheShippedSpecification) {
  const auto found = disagreements(compiled(), builtin());
  EXPECT_TRUE(found.empty()) << kHeader << " and " << builtin_name() << " disagree:\n" << report(found);
}

TEST(SpecModel, CheckedInHeaderIsExactlyTheRenderingOfTheSpecification) {
  const std::string checked_in = read(kHeaderFile);
  ASSERT_FALSE(checked_in.empty()) << kHeaderFile << " is missing or empty; " << kFix;
  const std::string rendered = render_cpp_header(builtin());
  if (checked_in == rendered)
    return;
  // Point at the first line that differs rather than dumping two whole headers.
  std::istringstream a(checked_in);
  std::istringstream b(rendered);
  std::string line_a;
  std::string line_b;
  int line = 0;
  while (true) {
    ++line;
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a || !more_b || line_a != line_b) {
      ADD_FAILURE() << "sim/include/i1sim/i1_v1.hpp:" << line << " is not what " << builtin_name()
                    << " renders to:\n  checked in: " << (more_a ? line_a : "(end of file)")
                    << "\n  rendered:   " << (more_b ? line_b : "(end of file)") << "\n"
                    << kFix;
      return;
    }
  }
}

TEST(SpecModel, RenderingDoesNotDependOnWhereTheSpecificationIsRead) {
  // builtin() is named conformance/spec/i1-v1.yaml; the file on disk is read by its absolute path here.
  EXPECT_EQ(render_cpp_header(load(kSpecFile)), render_cpp_header(builtin()));
}

TEST(SpecModel, NamedConstantsHoldTheSpecificationsNames) {
  // Code uses these names directly; a keyword value is reachable under its name with an underscore appended.
  EXPECT_EQ(v1::spec_version, "1.0.0");
  EXPECT_EQ(v1::op::createServiceOrder, "createServiceOrder");
  EXPECT_EQ(v1::op::createHub, "createHub");
  EXPECT_EQ(v1::event::ServiceOrderStateChangeEvent, "ServiceOrderStateChangeEvent");
  EXPECT_EQ(v1::ItemActionType::delete_, "delete");
  EXPECT_EQ(v1::CustomerBillStateType::new_, "new");
  EXPECT_EQ(v1::ServiceOrderStateType::completed, "completed");
  EXPECT_THAT(v1::ItemActionType::values, ElementsAre("add", "modify", "delete", "noChange"));
}

TEST(SpecModel, OperationsAndNotificationsAreFoundByTheirConstants) {
  // (No static_assert here: GCC's sanitizer builds do not fold pointer comparisons in constant expressions.)
  ASSERT_NE(v1::op::find(v1::op::createServiceOrder), nullptr);
  EXPECT_EQ(v1::op::find(v1::op::createServiceOrder)->path, "/tmf-api/serviceOrdering/v4/serviceOrder");
  ASSERT_NE(v1::op::find(v1::op::createHub), nullptr);
  EXPECT_EQ(v1::op::find(v1::op::createHub)->method, "POST");
  EXPECT_EQ(v1::op::find(v1::op::createHub)->path, "/tmf-api/i1/v1/hub");
  EXPECT_EQ(v1::op::find(v1::op::createHub)->request_type, "HubCreate");
  ASSERT_NE(v1::op::find(v1::op::deleteHub), nullptr);
  EXPECT_EQ(v1::op::find(v1::op::deleteHub)->request_type, "") << "a DELETE has no request body";
  EXPECT_EQ(v1::op::find("noSuchOperation"), nullptr);
  ASSERT_NE(v1::event::find(v1::event::ServiceStateChangeEvent), nullptr);
  EXPECT_EQ(v1::event::find(v1::event::ServiceStateChangeEvent)->resource, "Service");
  EXPECT_EQ(v1::event::find(v1::event::ServiceStateChangeEvent)->key, "service");
  EXPECT_EQ(v1::event::find("NoSuchEvent"), nullptr);
}

// The comparison must be able to fail: each edit of the specification below is one disagreement it reports.

TEST(SpecModel, ReportsAFieldInTheSpecificationButNotInTheHeader) {
  const auto found = disagreements_after("      errorMessage: {type: \"array<ErrorMessage>\"}\n",
                                         "      errorMessage: {type: \"array<ErrorMessage>\"}\n"
                                         "      priority: {type: integer, mandatory: true}\n");
  EXPECT_THAT(found, ElementsAre(AllOf(StartsWith("type ServiceOrder: field priority (integer, mandatory) is in the "
                                                  "specification (edited-i1-v1.yaml:"),
                                       HasSubstr("but not in i1sim/i1_v1.hpp"))))
      << report(found);
}

TEST(SpecModel, ReportsAFieldInTheHeaderButNotInTheSpecification) {
  const auto found = disagreements_after("      cancellationReason: {type: string}\n      effectiveCancellationDate",
                                         "      effectiveCancellationDate");
  EXPECT_THAT(found, ElementsAre(AllOf(StartsWith("type CancelServiceOrder: field cancellationReason (string) is in "
                                                  "i1sim/i1_v1.hpp but not in the specification"))))
      << report(found);
}

TEST(SpecModel, ReportsAMissingEnumValue) {
  const auto found = disagreements_after("values: [add, modify, delete, noChange]", "values: [add, modify, delete]");
  EXPECT_THAT(found, ElementsAre(StartsWith("enum ItemActionType: value noChange is in i1sim/i1_v1.hpp but not in the "
                                            "specification (edited-i1-v1.yaml:")))
      << report(found);
}

TEST(SpecModel, ReportsAnEnumValueTheHeaderLacks) {
  const auto found =
      disagreements_after("values: [unacknowledged, acknowledged]", "values: [unacknowledged, acknowledged, muted]");
  EXPECT_THAT(found, ElementsAre(AllOf(StartsWith("enum AckStateType: value muted is in the specification"),
                                       HasSubstr("but not in i1sim/i1_v1.hpp"))))
      << report(found);
}

TEST(SpecModel, ReportsATransitionTheHeaderLacks) {
  const std::string from = "      - {from: updated, to: cleared, via: [AlarmStateChangeEvent]}\n";
  const auto found =
      disagreements_after(from, from + "      - {from: cleared, to: raised, via: [AlarmStateChangeEvent]}\n");
  EXPECT_THAT(found, ElementsAre(AllOf(StartsWith("state machine alarm: transition cleared -> raised is in the "
                                                  "specification (edited-i1-v1.yaml:"),
                                       HasSubstr("but not in i1sim/i1_v1.hpp"))))
      << report(found);
}

TEST(SpecModel, ReportsATransitionTheSpecificationNoLongerHas) {
  const auto found = disagreements_after("      - {from: rated, to: rerated, via: [UsageStateChangeEvent]}\n", "");
  EXPECT_THAT(found, ElementsAre(StartsWith(
                         "state machine usage: transition rated -> rerated is in i1sim/i1_v1.hpp but not in the spec")))
      << report(found);
}

TEST(SpecModel, ReportsDifferentInitialAndFinalStates) {
  const auto found = disagreements_after("    initial: [raised]\n    final: [cleared]\n",
                                         "    initial: [raised, updated]\n    final: [updated, cleared]\n");
  EXPECT_THAT(found, ElementsAre(StartsWith("state machine alarm: initial state updated is in the specification"),
                                 StartsWith("state machine alarm: final state updated is in the specification")))
      << report(found);
}

TEST(SpecModel, ReportsAFlippedMandatoryFlag) {
  const std::string text = read(kSpecFile);
  const std::string from =
      "      value: {type: integer, mandatory: true, description: \"minor units (cents for EUR)\"}";
  const auto found =
      disagreements_after(from, "      value: {type: integer, description: \"minor units (cents for EUR)\"}");
  EXPECT_THAT(found, ElementsAre(fmt::format("type Money: field value is optional in the specification "
                                             "(edited-i1-v1.yaml:{}:7) but mandatory in i1sim/i1_v1.hpp",
                                             line_of(text, from))))
      << report(found);
}

TEST(SpecModel, ReportsAChangedFieldType) {
  const auto found = disagreements_after("      objective: {type: number, mandatory: true}\n",
                                         "      objective: {type: integer, mandatory: true}\n");
  EXPECT_THAT(found, ElementsAre(AllOf(StartsWith("type ServiceLevelViolation: field objective has type integer in "
                                                  "the specification"),
                                       HasSubstr("but number in i1sim/i1_v1.hpp"))))
      << report(found);
}

TEST(SpecModel, ReportsAChangedOperationBinding) {
  const auto found = disagreements_after("    path: /tmf-api/alarm/v4/ackAlarms\n    request: AckAlarmsCreate\n",
                                         "    path: /tmf-api/alarm/v5/ackAlarms\n    request: AlarmRef\n");
  EXPECT_THAT(found,
              ElementsAre(AllOf(StartsWith("operation ackAlarms: path is /tmf-api/alarm/v5/ackAlarms in the spec"),
                                HasSubstr("but /tmf-api/alarm/v4/ackAlarms in i1sim/i1_v1.hpp")),
                          AllOf(StartsWith("operation ackAlarms: request type is 'AlarmRef' in the spec"),
                                HasSubstr("but 'AckAlarmsCreate' in i1sim/i1_v1.hpp"))))
      << report(found);
}

TEST(SpecModel, ReportsAChangedNotification) {
  const auto found = disagreements_after("    resource: ServiceLevelViolation\n    key: serviceLevelViolation\n",
                                         "    resource: ServiceLevelViolation\n    key: violation\n");
  EXPECT_THAT(found, ElementsAre(AllOf(StartsWith("notification ServiceLevelViolationCreateEvent: key is violation "
                                                  "in the specification"),
                                       HasSubstr("but serviceLevelViolation in i1sim/i1_v1.hpp"))))
      << report(found);
}

TEST(SpecModel, ReportsATypeTheSpecificationNoLongerHas) {
  const auto found = disagreements_after("  AlarmRef:\n    concern: ALM\n    requirement: I1-ALM-004\n    fields:\n"
                                         "      id: {type: string, mandatory: true}\n",
                                         "");
  EXPECT_THAT(found, ElementsAre("type AlarmRef is in i1sim/i1_v1.hpp but not in the specification")) << report(found);
}

TEST(SpecModel, ReportsAVersionChange) {
  const auto found = disagreements_after("\nversion: 1.0.0\n", "\nversion: 1.1.0\n");
  EXPECT_THAT(found, ElementsAre(StartsWith("the version is 1.1.0 in the specification"))) << report(found);
}

TEST(SpecModel, ReportsEveryDisagreementOfOneEditedSpecificationAtOnce) {
  std::string text = read(kSpecFile);
  text = replace_once(text, "values: [add, modify, delete, noChange]", "values: [add, modify, delete]");
  text = replace_once(text, "      - {from: raised, to: cleared, via: [AlarmStateChangeEvent]}\n", "");
  text = replace_once(text, "      startDateTime: {type: date-time, mandatory: true}",
                      "      startDateTime: {type: date-time}");
  const auto found = disagreements(compiled(), load_from_string(text, "edited-i1-v1.yaml"));
  EXPECT_EQ(found.size(), 3U) << report(found);
}

// The renderer's own rules, on a specification built in code.

Spec tiny() {
  Spec spec;
  spec.file = "/somewhere/else/conformance/spec/i1-v7.yaml";
  spec.version = "7.2.0";
  Enum e;
  e.name = "Mood";
  e.values = {"default", "2xx", "values", "alignas", "xor_eq", "calm-ish", "calm"};
  e.at = {3, 5};
  spec.enums.push_back(e);
  Operation o;
  o.name = "find";
  o.method = "GET";
  o.path = "/a\"b\\c";
  o.at = {9, 3};
  spec.operations.push_back(o);
  return spec;
}

TEST(SpecCpp, NamesTheNamespaceAfterTheMajorVersionAndTheSourceRelativeToTheRepository) {
  const std::string text = render_cpp_header(tiny());
  EXPECT_THAT(text, StartsWith("// Generated from conformance/spec/i1-v7.yaml by `i1sim spec cpp`; do not edit."));
  EXPECT_THAT(text, HasSubstr("\nnamespace i1sim::v7 {\n"));
  EXPECT_THAT(text, HasSubstr("\ninline constexpr std::string_view spec_version = \"7.2.0\";\n"));
}

TEST(SpecCpp, FencesTheHeaderFromFormatters) {
  const std::string text = render_cpp_header(tiny());
  EXPECT_THAT(text, HasSubstr("\n// clang-format off\n#pragma once\n"));
  EXPECT_THAT(text, ::testing::EndsWith("\n} // namespace i1sim::v7\n// clang-format on\n"));
}

TEST(SpecCpp, GivesKeywordsAndNamesThatCannotBeIdentifiersAUsableName) {
  const std::string text = render_cpp_header(tiny());
  EXPECT_THAT(text, HasSubstr("\ninline constexpr std::string_view default_ = \"default\";\n"));
  EXPECT_THAT(text, HasSubstr("\ninline constexpr std::string_view _2xx = \"2xx\";\n"));
  EXPECT_THAT(text, HasSubstr("\ninline constexpr std::string_view values_ = \"values\";\n"));
  EXPECT_THAT(text, HasSubstr("\ninline constexpr std::string_view alignas_ = \"alignas\";\n"));
  EXPECT_THAT(text, HasSubstr("\ninline constexpr std::string_view xor_eq_ = \"xor_eq\";\n"));
  EXPECT_THAT(text, HasSubstr("\ninline constexpr std::string_view calm_ish = \"calm-ish\";\n"));
  EXPECT_THAT(text, HasSubstr("\ninline constexpr std::string_view calm = \"calm\";\n"));
  EXPECT_THAT(text, HasSubstr("\ninline constexpr std::string_view find_ = \"find\";\n"))
      << "an operation named find must not hide op::find()";
}

TEST(SpecCpp, RefusesTwoNamesThatWouldBecomeTheSameIdentifier) {
  Spec spec = tiny();
  spec.enums[0].values.push_back("default_");
  try {
    (void)render_cpp_header(spec);
    ADD_FAILURE() << "rendered although 'default' and 'default_' both become default_";
  } catch (const SpecError& e) {
    EXPECT_STREQ(e.what(), "/somewhere/else/conformance/spec/i1-v7.yaml:3:5: enum Mood: values 'default' and "
                           "'default_' would both be the C++ name default_; rename one");
  }
}

TEST(SpecCpp, RefusesAVersionWithoutAMajorNumber) {
  Spec spec = tiny();
  spec.version = "draft";
  EXPECT_THROW((void)render_cpp_header(spec), SpecError);
}

TEST(SpecCpp, EscapesQuotesAndBackslashesInStrings) {
  EXPECT_THAT(render_cpp_header(tiny()), HasSubstr(R"(    {"find", "GET", "/a\"b\\c", ""},)"));
}

} // namespace
} // namespace i1sim::spec::spec_model_test
