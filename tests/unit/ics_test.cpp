// Unit tests of the ICS and PIXIT (conformance/ics, conformance/pixit): their loaders, the static review of an ICS
// against the specification, and the selection of test purposes by the ICS (conformance/suite/suite.hpp).
#include "conformance/suite/suite.hpp"
#include "support/text_edit.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace i1sim::conformance {

namespace {

namespace fs = std::filesystem;
using test::line_of;
using test::read_file;
using test::replace_once;
using ::testing::HasSubstr;

const std::string kIcsTemplate = I1SIM_SOURCE_DIR "/conformance/ics/template.yaml";
const std::string kIcsRef = I1SIM_SOURCE_DIR "/conformance/ics/ref.yaml";
const std::string kPixitTemplate = I1SIM_SOURCE_DIR "/conformance/pixit/template.yaml";
const std::string kPixitRef = I1SIM_SOURCE_DIR "/conformance/pixit/ref.yaml";

const spec::Spec& s() { return spec::builtin(); }

/// The check ids of CHECKS.md, read from its table.
std::vector<std::string> check_ids() {
  std::vector<std::string> ids;
  std::istringstream in(read_file(I1SIM_SOURCE_DIR "/conformance/oracles/CHECKS.md"));
  const std::regex row(R"(^\| `([a-z_]+\.[a-z_]+)` \|)");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_search(line, m, row))
      ids.push_back(m[1].str());
  }
  return ids;
}

/// The 1-based column of `needle` on the first line holding `line_needle`.
int column_of(const std::string& text, const std::string& line_needle, const std::string& needle) {
  const auto at_line = text.find(line_needle);
  if (at_line == std::string::npos)
    return 0;
  const auto start = text.rfind('\n', at_line) == std::string::npos ? 0 : text.rfind('\n', at_line) + 1;
  const auto at = text.find(needle, start);
  return at == std::string::npos ? 0 : static_cast<int>(at - start) + 1;
}

/// Writes `text` to a fresh file named after the running test and gives its path.
class Files : public ::testing::Test {
protected:
  std::string write(const std::string& text, const std::string& suffix = ".yaml") {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string p =
        (fs::temp_directory_path() / fmt::format("i1sim-{}-{}-{}{}", ::getpid(), info->name(), n_++, suffix)).string();
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
    made_.push_back(p);
    return p;
  }
  void TearDown() override {
    for (const auto& p : made_)
      fs::remove(p);
  }
  template <typename F> std::string error_of(F&& load) {
    try {
      load();
    } catch (const util::LocatedError& e) {
      return e.what();
    }
    return {};
  }

private:
  int n_ = 0;
  std::vector<std::string> made_;
};

/// The ICS items the specification defines, collected here independently of the loader.
std::set<std::string> spec_items() {
  std::set<std::string> items;
  for (const auto& r : s().requirements)
    if (!r.ics.empty())
      items.insert(r.ics);
  return items;
}

const Selection& selection_of(const std::vector<Selection>& all, const std::string& id) {
  const auto it = std::find_if(all.begin(), all.end(), [&](const Selection& x) { return x.tp->id == id; });
  EXPECT_NE(it, all.end()) << id;
  return *it;
}

TEST(IcsFiles, TemplateLoadsAndStatesTheLeastAConformingQImplementationClaims) {
  const Ics ics = load_ics(kIcsTemplate, s());
  EXPECT_EQ(ics.profile, "Q");
  EXPECT_FALSE(ics.implementation.empty() || ics.version.empty() || ics.vendor.empty());
  ASSERT_EQ(ics.features.size(), spec_items().size());
  for (const auto& [item, on] : ics.features)
    EXPECT_FALSE(on) << item;
  ASSERT_EQ(ics.requirements.size(), s().requirements.size());
  for (const auto& r : s().requirements)
    EXPECT_EQ(ics.requirements.at(r.id), r.level == spec::Level::shall && r.profiles.empty()) << r.id;
  const StaticReview rv = review(ics, s());
  EXPECT_TRUE(rv.passed);
  EXPECT_TRUE(rv.findings.empty());
}

TEST(IcsFiles, ReferenceStatementClaimsTheXProfileWithEveryFeatureAndPassesTheReview) {
  const Ics ics = load_ics(kIcsRef, s());
  EXPECT_EQ(ics.profile, "X");
  EXPECT_EQ(ics.implementation, "i1sim reference Cloud BSS/OSS");
  EXPECT_EQ(ics.features.size(), spec_items().size());
  for (const auto& [item, on] : ics.features)
    EXPECT_TRUE(on) << item;
  for (const auto& r : s().requirements)
    EXPECT_TRUE(ics.requirements.at(r.id)) << r.id;
  EXPECT_TRUE(review(ics, s()).passed);
}

TEST(IcsReview, CatchesAMissingMandatoryClaim) {
  Ics ics = load_ics(kIcsTemplate, s());
  ics.requirements["I1-ORD-004"] = false;
  const StaticReview rv = review(ics, s());
  EXPECT_FALSE(rv.passed);
  ASSERT_EQ(rv.findings.size(), 1u);
  EXPECT_EQ(rv.findings[0].requirement, "I1-ORD-004");
  EXPECT_EQ(rv.findings[0].message, "I1-ORD-004 is mandatory (shall) in profile Q but the ICS does not claim it");
}

TEST(IcsReview, ProfileRequirementsAreMandatoryOnlyInTheirProfile) {
  Ics ics = load_ics(kIcsTemplate, s()); // Q: the I1-SEC-* requirements are not claimed and need not be
  EXPECT_TRUE(review(ics, s()).passed);
  ics.profile = "X";
  const StaticReview rv = review(ics, s());
  std::vector<std::string> flagged;
  for (const auto& f : rv.findings)
    flagged.push_back(f.requirement);
  EXPECT_EQ(flagged, (std::vector<std::string>{"I1-SEC-001", "I1-SEC-002", "I1-SEC-003", "I1-SEC-004"}));
}

TEST(IcsReview, CatchesAnOptionalRequirementClaimedWithoutItsFeature) {
  Ics ics = load_ics(kIcsTemplate, s());
  ics.requirements["I1-ORD-010"] = true; // order.cancel stays false
  const StaticReview rv = review(ics, s());
  EXPECT_FALSE(rv.passed);
  ASSERT_EQ(rv.findings.size(), 1u);
  EXPECT_EQ(rv.findings[0].requirement, "I1-ORD-010");
  EXPECT_EQ(rv.findings[0].message, "I1-ORD-010 is claimed but its ICS feature order.cancel is not");
}

TEST(IcsReview, CatchesAFeatureClaimedWithoutOneOfItsRequirements) {
  Ics ics = load_ics(kIcsRef, s());
  ics.requirements["I1-PM-003"] = false; // pm.jobs stays true
  const StaticReview rv = review(ics, s());
  EXPECT_FALSE(rv.passed);
  ASSERT_EQ(rv.findings.size(), 1u);
  EXPECT_EQ(rv.findings[0].requirement, "pm.jobs");
  EXPECT_EQ(rv.findings[0].message, "ICS feature pm.jobs is claimed but I1-PM-003, which it selects, is not");
}

TEST_F(Files, ReviewOfAFileWithAMandatoryRequirementAnsweredFalse) {
  const std::string t = replace_once(read_file(kIcsTemplate), "I1-GEN-001: true ", "I1-GEN-001: false");
  const StaticReview rv = review(load_ics(write(t), s()), s());
  ASSERT_EQ(rv.findings.size(), 1u);
  EXPECT_EQ(rv.findings[0].requirement, "I1-GEN-001");
}

TEST(Selection, GivesAReasonForEveryTestPurposeSelectedOrNot) {
  const Suite suite = load_suite(I1SIM_SOURCE_DIR "/conformance/tps", s(), check_ids());
  const Ics q = load_ics(kIcsTemplate, s());
  const auto sel = select(suite, q);
  ASSERT_EQ(sel.size(), suite.tps.size());
  for (std::size_t i = 0; i < sel.size(); ++i) {
    EXPECT_EQ(sel[i].tp, &suite.tps[i]);
    EXPECT_FALSE(sel[i].reason.empty()) << sel[i].tp->id;
  }
  EXPECT_TRUE(selection_of(sel, "TP/I1/GEN/BV/001").selected);
  EXPECT_EQ(selection_of(sel, "TP/I1/GEN/BV/001").reason, "applies to every implementation");
  EXPECT_FALSE(selection_of(sel, "TP/I1/ORD/BV/007").selected);
  EXPECT_EQ(selection_of(sel, "TP/I1/ORD/BV/007").reason, "ICS order.cancel is false");
  EXPECT_FALSE(selection_of(sel, "TP/I1/SEC/BI/001").selected);
  EXPECT_EQ(selection_of(sel, "TP/I1/SEC/BI/001").reason, "ICS profile is Q, not X");
  EXPECT_EQ(selection_of(sel, "TP/I1/PM/BV/004").reason, "ICS pm.jobs is false; ICS pm.delete is false");
}

TEST(Selection, FollowsEachFeatureAndTheProfile) {
  const Suite suite = load_suite(I1SIM_SOURCE_DIR "/conformance/tps", s(), check_ids());
  Ics ics = load_ics(kIcsRef, s());
  for (const auto& x : select(suite, ics))
    EXPECT_TRUE(x.selected) << x.tp->id << ": " << x.reason;
  EXPECT_EQ(selection_of(select(suite, ics), "TP/I1/ORD/BV/007").reason, "ICS order.cancel is true");
  EXPECT_EQ(selection_of(select(suite, ics), "TP/I1/SEC/BV/001").reason, "ICS profile is X");
  ics.features["pm.delete"] = false;
  const auto sel = select(suite, ics);
  EXPECT_FALSE(selection_of(sel, "TP/I1/PM/BV/004").selected);
  EXPECT_EQ(selection_of(sel, "TP/I1/PM/BV/004").reason, "ICS pm.delete is false");
  EXPECT_TRUE(selection_of(sel, "TP/I1/PM/BV/003").selected);
  // Only the test purposes that name the item are dropped.
  std::size_t dropped = 0;
  for (const auto& x : sel)
    dropped += x.selected ? 0 : 1;
  std::size_t naming = 0;
  for (const auto& tp : suite.tps)
    naming += std::count(tp.applicability.begin(), tp.applicability.end(), "pm.delete");
  EXPECT_EQ(dropped, naming);
  EXPECT_GE(naming, 1u);
}

TEST_F(Files, UnknownFeatureIsLocated) {
  const std::string t = replace_once(read_file(kIcsRef), "  order.cancel: true", "  order.cancellation: true");
  const std::string p = write(t);
  const std::string e = error_of([&] { load_ics(p, s()); });
  EXPECT_THAT(e,
              HasSubstr(fmt::format("{}:{}:{}: features.order.cancellation: 'order.cancellation' is no ICS item of "
                                    "the specification",
                                    p, line_of(t, "order.cancellation"), column_of(t, "order.cancellation", "true"))));
  // ... and the real item is then unanswered.
  EXPECT_THAT(e, HasSubstr("features: no answer for 'order.cancel' (true or false)"));
}

TEST_F(Files, UnansweredFeatureIsReportedAtTheFeatures) {
  const std::string t = replace_once(read_file(kIcsRef), "  pm.delete: true\n", "");
  const std::string p = write(t);
  const int first = line_of(t, "  hub.delete: true");
  EXPECT_EQ(error_of([&] { load_ics(p, s()); }),
            fmt::format("{}:{}:3: features: no answer for 'pm.delete' (true or false)", p, first));
}

TEST_F(Files, AnswerThatIsNotABooleanIsLocated) {
  const std::string t = replace_once(read_file(kIcsRef), "  I1-ORD-004: true ", "  I1-ORD-004: yes  ");
  const std::string p = write(t);
  EXPECT_EQ(error_of([&] { load_ics(p, s()); }),
            fmt::format("{}:{}:{}: requirements.I1-ORD-004: 'yes' is not true or false", p, line_of(t, "I1-ORD-004"),
                        column_of(t, "I1-ORD-004", "yes")));
}

TEST_F(Files, UnknownRequirementAndUnknownProfileAreLocated) {
  std::string t = replace_once(read_file(kIcsRef), "profile: X", "profile: Z");
  t = replace_once(t, "  I1-SEC-004: true", "  I1-SEC-009: true");
  const std::string p = write(t);
  const std::string e = error_of([&] { load_ics(p, s()); });
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:{}:10: profile: 'Z' is no profile of the specification (known: Q, X)", p,
                                       line_of(t, "profile: Z"))));
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:{}:{}: requirements.I1-SEC-009: 'I1-SEC-009' is no requirement of the "
                                       "specification",
                                       p, line_of(t, "I1-SEC-009"), column_of(t, "I1-SEC-009", "true"))));
  EXPECT_THAT(e, HasSubstr("requirements: no answer for 'I1-SEC-004' (true or false)"));
}

TEST_F(Files, UnknownKeyMissingIdentificationAndOtherSpecificationVersionAreLocated) {
  std::string t = replace_once(read_file(kIcsTemplate), "spec: 1.0.0", "spec: 0.9.0\nprofiles: Q");
  t = replace_once(t, "  vendor: Example Vendor", "  supplier: Example Vendor");
  const std::string p = write(t);
  const std::string e = error_of([&] { load_ics(p, s()); });
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:{}:7: spec: the statement is about I1 version 0.9.0, but the specification "
                                       "is version {}",
                                       p, line_of(t, "spec: 0.9.0"), s().version)));
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:{}:1: unknown key 'profiles' (known: format, spec, implementation, profile, "
                                       "features, requirements)",
                                       p, line_of(t, "profiles: Q"))));
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:{}:3: implementation: unknown key 'supplier' (known: name, version, vendor)",
                                       p, line_of(t, "supplier:"))));
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:{}:3: implementation: missing required key 'vendor'", p,
                                       line_of(t, "  name: Example"))));
}

TEST_F(Files, UnreadableOrMalformedIcsIsOneLine) {
  const std::string missing = "/nonexistent/ics.yaml";
  EXPECT_EQ(error_of([&] { load_ics(missing, s()); }), missing + ": cannot read the file");
  const std::string p = write("format: 1\nprofile: [Q\n");
  const std::string e = error_of([&] { load_ics(p, s()); });
  EXPECT_EQ(e.rfind(p + ":", 0), 0u) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
}

TEST(PixitFiles, TemplateAndReferenceLoad) {
  const Pixit t = load_pixit(kPixitTemplate, s());
  EXPECT_TRUE(t.timers.empty()); // every timer is shown commented out, at its default
  EXPECT_EQ(t.endpoint, "http://127.0.0.1:8080");
  EXPECT_EQ(t.credentials.size(), 2u);
  const Pixit r = load_pixit(kPixitRef, s());
  EXPECT_TRUE(r.endpoint.empty()); // simulated: nothing to reach
  EXPECT_EQ(r.credentials.at("op-a"), "token-op-a");
  EXPECT_EQ(r.credentials.at("op-b"), "token-op-b");
}

TEST_F(Files, PixitTimersAreDurationsOfTheSpecification) {
  const std::string good = write("format: 1\ntimers: {T_notify: 2500ms, T_usage: 20min}\n");
  const Pixit px = load_pixit(good, s());
  EXPECT_DOUBLE_EQ(px.timers.at("T_notify"), 2.5);
  EXPECT_DOUBLE_EQ(px.timers.at("T_usage"), 1200.0);
  const std::string bad = write("format: 1\ntimers:\n  T_notify: 5\n  T_nofity: 5s\n  T_bill: 0s\n");
  const std::string e = error_of([&] { load_pixit(bad, s()); });
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:3:13: timers.T_notify: ", bad)));
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:4:13: timers.T_nofity: 'T_nofity' is no timer of the specification (known: "
                                       "T_response, T_notify,",
                                       bad)));
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:5:11: timers.T_bill: must be more than zero", bad)));
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 2) << e;
}

TEST_F(Files, PixitEndpointAndCredentialsAreChecked) {
  const std::string p = write("format: 1\nendpoint: ftp://iut\ncredentials: {op-a: ''}\ntimer: {}\n");
  const std::string e = error_of([&] { load_pixit(p, s()); });
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:2:11: endpoint: 'ftp://iut' is not an http:// or https:// address", p)));
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:3:21: credentials.op-a: must not be empty", p)));
  EXPECT_THAT(e,
              HasSubstr(fmt::format("{}:4:1: unknown key 'timer' (known: format, timers, endpoint, credentials)", p)));
  EXPECT_THAT(error_of([&] { load_pixit(write("format: 2\n"), s()); }), HasSubstr("format: 2 is out of range [1, 1]"));
}

} // namespace
} // namespace i1sim::conformance
