// Unit tests of the test purposes as data (conformance/tps, load_suite in conformance/suite/suite.hpp) and of the
// specification document that shows them under the requirements they cover.
#include "conformance/suite/suite.hpp"
#include "i1/spec_tools.hpp"
#include "support/text_edit.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <optional>
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

const std::string kTps = I1SIM_SOURCE_DIR "/conformance/tps";
const std::string kChecksMd = I1SIM_SOURCE_DIR "/conformance/oracles/CHECKS.md";
const std::string kScenarios = I1SIM_SOURCE_DIR "/scenarios";

/// The checks of CHECKS.md's table, each with the requirements it covers, read from the Markdown itself.
std::map<std::string, std::set<std::string>> checks_md() {
  std::map<std::string, std::set<std::string>> out;
  std::istringstream in(read_file(kChecksMd));
  const std::regex row(R"(^\| `([a-z_]+\.[a-z_]+)` \| ([^|]+) \|)");
  const std::regex req(R"(I1-[A-Z]+-[0-9]{3})");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, row))
      continue;
    const std::string reqs = m[2].str();
    auto& set = out[m[1].str()];
    for (std::sregex_iterator it(reqs.begin(), reqs.end(), req), end; it != end; ++it)
      set.insert(it->str());
  }
  return out;
}

std::vector<std::string> check_ids() {
  std::vector<std::string> ids;
  for (const auto& [id, reqs] : checks_md())
    ids.push_back(id);
  return ids;
}

Suite load_shipped() { return load_suite(kTps, spec::builtin(), check_ids()); }

/// The 1-based column of `needle` on the first line holding `line_needle`.
int column_of(const std::string& text, const std::string& line_needle, const std::string& needle) {
  const auto at_line = text.find(line_needle);
  if (at_line == std::string::npos)
    return 0;
  const auto start = text.rfind('\n', at_line) == std::string::npos ? 0 : text.rfind('\n', at_line) + 1;
  const auto at = text.find(needle, start);
  return at == std::string::npos ? 0 : static_cast<int>(at - start) + 1;
}

/// A copy of the shipped test purposes in a fresh directory, to break one thing in.
class BrokenSuite : public ::testing::Test {
protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = (fs::temp_directory_path() / fmt::format("i1sim-tps-{}-{}", ::getpid(), info->name())).string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const auto& entry : fs::directory_iterator(kTps))
      if (entry.path().extension() == ".yaml")
        fs::copy_file(entry.path(), fs::path(dir_) / entry.path().filename());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  std::string text(const std::string& name) const { return read_file(path(name)); }
  void write(const std::string& name, const std::string& content) const {
    std::ofstream(path(name), std::ios::binary | std::ios::trunc) << content;
  }
  /// Replaces the one occurrence of `from` in `name` and returns the new text.
  std::string edit(const std::string& name, const std::string& from, const std::string& to) const {
    const std::string changed = replace_once(text(name), from, to);
    write(name, changed);
    return changed;
  }
  /// The error text of loading the directory, or "" when it loads.
  std::string error() const {
    try {
      load_suite(dir_, spec::builtin(), check_ids());
    } catch (const util::LocatedError& e) {
      return e.what();
    }
    return {};
  }

  std::string dir_;
};

TEST(ShippedSuite, LoadsWithEveryTestPurposeOfEveryFile) {
  const Suite suite = load_shipped();
  EXPECT_EQ(suite.id, "I1-CTS");
  EXPECT_FALSE(suite.version.empty());
  // Count the test purposes in the text itself, independently of the loader.
  std::size_t written = 0;
  for (const auto& entry : fs::directory_iterator(kTps)) {
    if (entry.path().extension() != ".yaml")
      continue; // README.md shows an example
    const std::string t = read_file(entry.path().string());
    for (auto at = t.find("- id: TP/I1/"); at != std::string::npos; at = t.find("- id: TP/I1/", at + 1))
      ++written;
  }
  EXPECT_EQ(suite.tps.size(), written);
  EXPECT_GE(suite.tps.size(), 64u);
}

TEST(ShippedSuite, KeepsFileOrderWithFilesSortedByName) {
  const Suite suite = load_shipped();
  ASSERT_FALSE(suite.tps.empty());
  EXPECT_EQ(suite.tps.front().id, "TP/I1/ALM/BV/001"); // alm.yaml sorts first
  for (std::size_t i = 1; i < suite.tps.size(); ++i)
    EXPECT_LE(fs::path(suite.tps[i - 1].file).filename(), fs::path(suite.tps[i].file).filename()) << suite.tps[i].id;
}

TEST(ShippedSuite, EveryRequirementHasATestPurpose) {
  const Suite suite = load_shipped();
  std::set<std::string> covered;
  for (const auto& tp : suite.tps)
    covered.insert(tp.requirements.begin(), tp.requirements.end());
  std::size_t shall = 0;
  for (const auto& r : spec::builtin().requirements) {
    EXPECT_EQ(covered.count(r.id), 1u) << r.id << " (" << spec::to_string(r.level) << ") has no test purpose";
    shall += r.level == spec::Level::shall ? 1 : 0;
  }
  EXPECT_GT(shall, 40u); // the shipped specification is mostly mandatory: the loop above really saw them
}

TEST(ShippedSuite, EveryTestPurposeNamesExistingScenariosAndChecksThatJudgeItsRequirements) {
  const auto catalogue = checks_md();
  for (const auto& tp : load_shipped().tps) {
    for (const auto& s : tp.scenarios)
      EXPECT_TRUE(fs::exists(kScenarios + "/" + s + ".yaml")) << tp.id << ": no scenarios/" << s << ".yaml";
    for (const auto& c : tp.checks)
      EXPECT_EQ(catalogue.count(c), 1u) << tp.id << ": check " << c << " is not in CHECKS.md";
    // Each requirement the TP claims to show is judged by at least one of its checks, as CHECKS.md maps them.
    for (const auto& r : tp.requirements)
      EXPECT_TRUE(std::any_of(tp.checks.begin(), tp.checks.end(),
                              [&](const std::string& c) { return catalogue.count(c) && catalogue.at(c).count(r); }))
          << tp.id << ": none of its checks judges " << r;
  }
}

TEST(ShippedSuite, EveryCheckOfTheOraclesJudgesSomeTestPurpose) {
  std::set<std::string> used;
  for (const auto& tp : load_shipped().tps)
    used.insert(tp.checks.begin(), tp.checks.end());
  for (const auto& [id, reqs] : checks_md())
    EXPECT_EQ(used.count(id), 1u) << "check " << id << " judges no test purpose";
}

TEST(ShippedSuite, IdsCarryTheirFileGroupAndATitleSayingWhatToEnsure) {
  const std::regex id(R"(TP/I1/([A-Z]+)/(BV|BI)/[0-9]{3})");
  for (const auto& tp : load_shipped().tps) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(tp.id, m, id)) << tp.id;
    EXPECT_EQ(tp.group, m[1].str() + "/" + m[2].str());
    std::string lower = m[1].str();
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return static_cast<char>(std::tolower(c)); });
    EXPECT_EQ(fs::path(tp.file).filename().string(), lower + ".yaml") << tp.id;
    EXPECT_EQ(tp.title.rfind("ensure that ", 0), 0u) << tp.id;
    EXPECT_GT(tp.line, 0);
    EXPECT_FALSE(tp.pass.empty() || tp.fail.empty() || tp.inconc.empty() || tp.initial.empty()) << tp.id;
  }
}

TEST(ShippedSuite, ProfileXTestPurposesUseOnlyXScenariosAndOthersOnlyQScenarios) {
  // A Q-profile implementation must be able to run every TP selected for it, so those use Q scenarios.
  for (const auto& tp : load_shipped().tps) {
    const bool x = std::find(tp.applicability.begin(), tp.applicability.end(), "profile.X") != tp.applicability.end();
    for (const auto& s : tp.scenarios) {
      const std::string t = read_file(kScenarios + "/" + s + ".yaml");
      if (t.empty())
        continue; // reported by the test above
      EXPECT_EQ(t.find("profile: X") != std::string::npos, x) << tp.id << " runs " << s;
    }
  }
}

TEST_F(BrokenSuite, TheCopyLoadsBeforeAnythingIsBroken) { EXPECT_EQ(error(), ""); }

TEST_F(BrokenSuite, UnknownRequirementIsLocated) {
  const std::string t = edit("ord.yaml", "requirements: [I1-ORD-003]", "requirements: [I1-ORD-099]");
  const int line = line_of(t, "I1-ORD-099");
  EXPECT_EQ(error(), fmt::format("{}:{}:{}: BV[1].requirements[0]: 'I1-ORD-099' is no requirement of the "
                                 "specification",
                                 path("ord.yaml"), line, column_of(t, "I1-ORD-099", "I1-ORD-099")));
}

TEST_F(BrokenSuite, UnknownCheckIsLocated) {
  const std::string t = edit("hub.yaml", "checks: [notify.ordered]", "checks: [notify.fast]");
  EXPECT_EQ(error(),
            fmt::format("{}:{}:{}: BV[4].checks[0]: 'notify.fast' is no check of the oracles "
                        "(conformance/oracles/CHECKS.md)",
                        path("hub.yaml"), line_of(t, "notify.fast"), column_of(t, "notify.fast", "notify.fast")));
}

TEST_F(BrokenSuite, UnknownKeyIsLocatedAndNamesTheKnownOnes) {
  const std::string t = edit("pm.yaml", "    initial: The IUT is running; the tester creates an hourly",
                             "    inital: The IUT is running; the tester creates an hourly");
  const std::string e = error();
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:{}:5: BV[0]: unknown key 'inital' (known: id, title, requirements, "
                                       "applicability, initial, scenarios, checks, pass, fail, inconc)",
                                       path("pm.yaml"), line_of(t, "inital:"))));
  // The key it replaced is now missing, which is a second problem of the same test purpose: both are reported.
  EXPECT_THAT(e, HasSubstr("BV[0]: missing required key 'initial'"));
}

TEST_F(BrokenSuite, MissingVerdictCriterionIsReported) {
  const std::string t = text("sla.yaml");
  const std::string from = "    inconc: sla.objective is inconc on some run or none on every run and fail on none.\n";
  edit("sla.yaml", from, "");
  const int line = line_of(t, "  - id: TP/I1/SLA/BV/001");
  EXPECT_EQ(error(), fmt::format("{}:{}:5: BV[0]: missing required key 'inconc'", path("sla.yaml"), line));
}

TEST_F(BrokenSuite, MalformedIdIsLocated) {
  const std::string t = edit("cus.yaml", "id: TP/I1/CUS/BV/001", "id: TP/I1/CUS/BV/1");
  EXPECT_EQ(error(),
            fmt::format("{}:{}:{}: BV[0].id: 'TP/I1/CUS/BV/1' is not a test purpose id "
                        "(TP/I1/<CONCERN>/<BV|BI>/<nnn>, e.g. TP/I1/ORD/BV/001)",
                        path("cus.yaml"), line_of(t, "TP/I1/CUS/BV/1"), column_of(t, "TP/I1/CUS/BV/1", "TP/")));
}

TEST_F(BrokenSuite, IdOfAnotherGroupOrConcernIsRefused) {
  const std::string t = edit("cus.yaml", "id: TP/I1/CUS/BI/001", "id: TP/I1/CUS/BV/009");
  EXPECT_EQ(error(), fmt::format("{}:{}:9: BI[0].id: 'TP/I1/CUS/BV/009' is a BV id in the BI group", path("cus.yaml"),
                                 line_of(t, "TP/I1/CUS/BV/009")));
  const std::string u = edit("cus.yaml", "id: TP/I1/CUS/BV/009", "id: TP/I1/ORD/BI/001");
  EXPECT_THAT(error(), HasSubstr(fmt::format("{}:{}:9: BI[0].id: 'TP/I1/ORD/BI/001' names concern ORD, but the file "
                                             "is about CUS",
                                             path("cus.yaml"), line_of(u, "TP/I1/ORD/BI/001"))));
}

TEST_F(BrokenSuite, DuplicateIdAcrossFilesNamesTheFirst) {
  // A second file about CUS, read after cus.yaml (name order): its ids and its concern are duplicates.
  const std::string cus = text("cus.yaml");
  write("zcus.yaml", cus);
  const std::string e = error();
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:{}:{}: BV[0].id: duplicate test purpose id 'TP/I1/CUS/BV/001' (first at "
                                       "{}:{})",
                                       path("zcus.yaml"), line_of(cus, "TP/I1/CUS/BV/001"),
                                       column_of(cus, "TP/I1/CUS/BV/001", "TP/"), path("cus.yaml"),
                                       line_of(cus, "TP/I1/CUS/BV/001"))));
  EXPECT_THAT(
      e, HasSubstr(fmt::format("{}:{}:{}: concern: CUS is already written in {}", path("zcus.yaml"),
                               line_of(cus, "concern: CUS"), column_of(cus, "concern: CUS", "CUS"), path("cus.yaml"))));
}

TEST_F(BrokenSuite, OptionalRequirementWithoutItsIcsItemIsRefused) {
  const std::string t = edit("ord.yaml", "    applicability: [order.cancel]\n", "");
  const int line = line_of(t, "requirements: [I1-ORD-010, I1-ORD-005]");
  EXPECT_EQ(error(), fmt::format("{}:{}:{}: BV[6].requirements: I1-ORD-010 is optional (ICS item order.cancel): the "
                                 "test purpose's applicability must list order.cancel",
                                 path("ord.yaml"), line, column_of(t, "[I1-ORD-010, I1-ORD-005]", "[")));
}

TEST_F(BrokenSuite, ProfileRequirementWithoutItsProfileIsRefused) {
  const std::string t = text("sec.yaml");
  edit("sec.yaml", "    requirements: [I1-SEC-002]\n    applicability: [profile.X]\n",
       "    requirements: [I1-SEC-002]\n    applicability: [profile.Q]\n");
  EXPECT_EQ(error(), fmt::format("{}:{}:{}: BV[0].requirements: I1-SEC-002 applies to profile X only: the test "
                                 "purpose's applicability must list profile.X",
                                 path("sec.yaml"), line_of(t, "requirements: [I1-SEC-002]"),
                                 column_of(t, "requirements: [I1-SEC-002]", "[")));
}

TEST_F(BrokenSuite, UnknownApplicabilityItemNamesTheKnownOnes) {
  const std::string t = edit("alm.yaml", "applicability: [alarm.ack]", "applicability: [alarm.acknowledge]");
  EXPECT_THAT(error(), HasSubstr(fmt::format("{}:{}:21: BV[2].applicability[0]: 'alarm.acknowledge' is no ICS item "
                                             "(known: profile.Q, profile.X, hub.delete, order.cancel,",
                                             path("alm.yaml"), line_of(t, "alarm.acknowledge"))));
}

TEST_F(BrokenSuite, TitleMustSayWhatToEnsure) {
  const std::string t = edit("gen.yaml", "title: ensure that the IUT refuses a request body",
                             "title: check that the IUT refuses a request body");
  EXPECT_EQ(error(), fmt::format("{}:{}:12: BI[0].title: a test purpose's title starts with 'ensure that '",
                                 path("gen.yaml"), line_of(t, "check that the IUT")));
}

TEST_F(BrokenSuite, EmptyListsAndEmptyTextAreRefused) {
  const std::string t = edit("bil.yaml", "    scenarios: [conf-billed-short]\n    checks: [bill.cycle]",
                             "    scenarios: []\n    checks: [bill.cycle]");
  EXPECT_EQ(error(), fmt::format("{}:{}:16: BV[6].scenarios: must list at least one", path("bil.yaml"),
                                 line_of(t, "scenarios: []")));
}

TEST_F(BrokenSuite, EveryProblemOfEveryFileIsReportedAtOnce) {
  const std::string a = edit("ord.yaml", "requirements: [I1-ORD-003]", "requirements: [I1-ORD-099]");
  const std::string b = edit("usg.yaml", "checks: [usage.rating]", "checks: [usage.rate]");
  const std::string e = error();
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:{}:", path("ord.yaml"), line_of(a, "I1-ORD-099"))));
  EXPECT_THAT(e, HasSubstr(fmt::format("{}:{}:", path("usg.yaml"), line_of(b, "usage.rate]"))));
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 1) << e; // two lines, nothing else
}

TEST_F(BrokenSuite, YamlSyntaxErrorIsLocated) {
  const std::string t = edit("reg.yaml", "requirements: [I1-REG-003]", "requirements: [I1-REG-003");
  const std::string e = error();
  EXPECT_EQ(e.rfind(path("reg.yaml") + ":", 0), 0u) << e;
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 0) << e;
}

TEST_F(BrokenSuite, SuiteFileIsRequiredAndMustTestThisSpecificationVersion) {
  const std::string t = edit("suite.yaml", "spec: 1.0.0", "spec: 2.0.0");
  EXPECT_EQ(error(), fmt::format("{}:{}:7: spec: the suite tests I1 version 2.0.0, but the specification is version "
                                 "{}",
                                 path("suite.yaml"), line_of(t, "spec: 2.0.0"), spec::builtin().version));
  fs::remove(path("suite.yaml"));
  EXPECT_EQ(error(), dir_ + ": no suite.yaml (the suite's identification) in the test purposes directory");
}

TEST_F(BrokenSuite, ConcernOfNoSpecificationIsRefused) {
  const std::string t = edit("sec.yaml", "concern: SEC", "concern: SECURITY");
  EXPECT_THAT(error(), HasSubstr(fmt::format("{}:{}:10: concern: 'SECURITY' is no concern of the specification",
                                             path("sec.yaml"), line_of(t, "concern: SECURITY"))));
}

TEST(SuiteDirectory, MissingDirectoryIsOneLine) {
  try {
    load_suite("/nonexistent/tps", spec::builtin(), check_ids());
    FAIL() << "a missing directory loaded";
  } catch (const util::LocatedError& e) {
    EXPECT_THAT(std::string(e.what()), ::testing::StartsWith("/nonexistent/tps: cannot read the test purposes "
                                                             "directory"));
  }
}

// `i1sim spec doc --tps`: the document shows, under each concern's requirements, the lines given for each one.
TEST(SpecDocTestPurposes, ShowsEachRequirementsLinesUnderItsConcernAndSaysWhenThereAreNone) {
  const spec::Spec& s = spec::builtin();
  spec::Annotations a;
  a.heading = "Test purposes";
  a.none = "no test purpose";
  a.note = "Shown with a made-up suite.";
  a.lines["I1-ORD-004"] = {"TP/I1/ORD/BI/001: ensure that repeated orders are idempotent"};
  a.lines["I1-GEN-001"] = {"TP/X/1: first", "TP/X/2: second | with a pipe"};
  const std::string doc = spec::render_markdown(s, &a);
  EXPECT_NE(doc, spec::render_markdown(s));
  EXPECT_THAT(doc, HasSubstr("Shown with a made-up suite.\n"));
  EXPECT_THAT(doc, HasSubstr("- [I1-ORD-004](#req-I1-ORD-004)\n  - TP/I1/ORD/BI/001: ensure that repeated orders are "
                             "idempotent\n"));
  EXPECT_THAT(doc,
              HasSubstr("- [I1-GEN-001](#req-I1-GEN-001)\n  - TP/X/1: first\n  - TP/X/2: second \\| with a pipe\n"));
  EXPECT_THAT(doc, HasSubstr("- [I1-ORD-005](#req-I1-ORD-005): no test purpose\n"));
  // One block per concern, after its requirement table and before its operations.
  std::size_t blocks = 0;
  for (auto at = doc.find("### Test purposes\n"); at != std::string::npos; at = doc.find("### Test purposes\n", at + 1))
    ++blocks;
  EXPECT_EQ(blocks, s.concerns.size());
  const auto ord = doc.find("<a id=\"concern-ORD\"></a>");
  ASSERT_NE(ord, std::string::npos);
  const auto table = doc.find("### Requirements", ord);
  const auto block = doc.find("### Test purposes", ord);
  const auto ops = doc.find("### Operations", ord);
  EXPECT_LT(table, block);
  EXPECT_LT(block, ops);
}

TEST(SpecDocTestPurposes, WithoutAnnotationsTheDocumentIsTheShippedOne) {
  const spec::Spec& s = spec::builtin();
  EXPECT_EQ(spec::render_markdown(s, nullptr), read_file(I1SIM_SOURCE_DIR "/conformance/spec/i1-v1.md"));
}

} // namespace
} // namespace i1sim::conformance
