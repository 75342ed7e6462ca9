// The reports rendered from a hand-made conformance.json: JUnit XML parsed back (well-formed, counts that add up,
// every verdict mapped as TTCN-3 tools map it, text escaped) and the Markdown report's PCTR sections and evidence.
#include "conformance/campaign/campaign.hpp"
#include "i1/spec.hpp"
#include "reports/reports.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <unistd.h>

namespace i1sim::reports::reports_test {
namespace {

using J = nlohmann::ordered_json;
using ::testing::HasSubstr;
using ::testing::Not;

// ---- A small XML reader: enough of XML 1.0 to read JUnit back, and strict about what it reads. ----

struct Element {
  std::string name;
  std::map<std::string, std::string> attrs;
  std::vector<std::unique_ptr<Element>> children;
  std::string text;
  const Element* child(const std::string& n) const {
    for (const auto& c : children)
      if (c->name == n)
        return c.get();
    return nullptr;
  }
  std::vector<const Element*> all(const std::string& n) const {
    std::vector<const Element*> out;
    for (const auto& c : children)
      if (c->name == n)
        out.push_back(c.get());
    return out;
  }
};

class XmlReader {
public:
  explicit XmlReader(std::string text) : s_(std::move(text)) {}
  std::unique_ptr<Element> document() {
    if (s_.rfind("<?xml", 0) == 0)
      i_ = s_.find("?>") + 2;
    skip_space();
    auto root = element();
    skip_space();
    if (i_ != s_.size())
      fail("content after the root element");
    return root;
  }

private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("XML at byte " + std::to_string(i_) + ": " + why);
  }
  void skip_space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_])))
      ++i_;
  }
  std::string name() {
    const std::size_t b = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' || s_[i_] == '_' ||
                              s_[i_] == ':' || s_[i_] == '.'))
      ++i_;
    if (b == i_)
      fail("a name was expected");
    return s_.substr(b, i_ - b);
  }
  std::string decode(const std::string& raw, bool attribute) const {
    std::string out;
    for (std::size_t k = 0; k < raw.size(); ++k) {
      const char c = raw[k];
      if (c == '<' || (attribute && c == '"'))
        throw std::runtime_error("unescaped '" + std::string(1, c) + "' in " + raw);
      if (c != '&') {
        out += c;
        continue;
      }
      const auto end = raw.find(';', k);
      if (end == std::string::npos)
        throw std::runtime_error("unterminated entity in " + raw);
      const std::string ent = raw.substr(k + 1, end - k - 1);
      static const std::map<std::string, std::string> named{
          {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}};
      if (named.count(ent))
        out += named.at(ent);
      else if (ent.size() > 1 && ent[0] == '#')
        out += static_cast<char>(std::stoi(ent.substr(1)));
      else
        throw std::runtime_error("unknown entity &" + ent + ";");
      k = end;
    }
    return out;
  }
  std::unique_ptr<Element> element() {
    if (s_[i_] != '<')
      fail("'<' expected");
    ++i_;
    auto e = std::make_unique<Element>();
    e->name = name();
    for (;;) {
      skip_space();
      if (s_.compare(i_, 2, "/>") == 0) {
        i_ += 2;
        return e;
      }
      if (s_[i_] == '>') {
        ++i_;
        break;
      }
      const std::string a = name();
      if (s_[i_] != '=' || s_[i_ + 1] != '"')
        fail("attribute " + a + " needs =\"...\"");
      i_ += 2;
      const auto end = s_.find('"', i_);
      if (e->attrs.count(a))
        fail("attribute " + a + " twice");
      e->attrs[a] = decode(s_.substr(i_, end - i_), true);
      i_ = end + 1;
    }
    for (;;) {
      const auto lt = s_.find('<', i_);
      if (lt == std::string::npos)
        fail("unclosed <" + e->name + ">");
      e->text += decode(s_.substr(i_, lt - i_), false);
      i_ = lt;
      if (s_.compare(i_, 2, "</") == 0) {
        i_ += 2;
        if (name() != e->name)
          fail("</...> does not close <" + e->name + ">");
        if (s_[i_] != '>')
          fail("'>' expected");
        ++i_;
        return e;
      }
      e->children.push_back(element());
    }
  }
  std::string s_;
  std::size_t i_ = 0;
};

std::unique_ptr<Element> parse_xml(const std::string& text) { return XmlReader(text).document(); }

/// What the common JUnit schema asks of the counts: each suite's counts are those of its testcases, and the root's
/// are the sums. Returns the problems found.
std::vector<std::string> count_problems(const Element& root) {
  std::vector<std::string> problems;
  std::map<std::string, std::size_t> total;
  for (const Element* suite : root.all("testsuite")) {
    std::map<std::string, std::size_t> n;
    for (const Element* tc : suite->all("testcase")) {
      ++n["tests"];
      n["failures"] += tc->child("failure") ? 1u : 0u;
      n["errors"] += tc->child("error") ? 1u : 0u;
      n["skipped"] += tc->child("skipped") ? 1u : 0u;
    }
    for (const char* k : {"tests", "failures", "errors", "skipped"}) {
      if (!suite->attrs.count(k) || suite->attrs.at(k) != std::to_string(n[k]))
        problems.push_back(suite->attrs.count("name") ? suite->attrs.at("name") + " " + k : k);
      total[k] += n[k];
    }
  }
  for (const char* k : {"tests", "failures", "errors", "skipped"})
    if (!root.attrs.count(k) || root.attrs.at(k) != std::to_string(total[k]))
      problems.push_back(std::string("testsuites ") + k);
  return problems;
}

// ---- A hand-made conformance.json with one test purpose per verdict. ----

J evidence(const std::string& check, const std::string& verdict, std::vector<std::uint64_t> events,
           const std::string& reason) {
  return J{{"scenario", "activation-basic"},
           {"seed", 2},
           {"check", check},
           {"verdict", verdict},
           {"reason", reason},
           {"events", events},
           {"events_path", "runs/activation-basic/seed-2/events.jsonl"}};
}

J tp(const std::string& id, const std::string& group, const std::string& verdict, bool selected = true,
     const std::string& reason = "", J evidence_list = J::array()) {
  J t{{"id", id},
      {"title", "ensure that " + id + " holds"},
      {"group", group},
      {"requirements", J::array({"I1-GEN-001", "I1-HUB-003"})},
      {"applicability", J::array()},
      {"scenarios", J::array({"activation-basic"})},
      {"checks", J::array({"notify.timely"})},
      {"selected", selected}};
  if (!selected)
    t["selection_reason"] = "ICS order.cancel is false";
  t["verdict"] = verdict;
  t["reason"] = reason;
  t["evidence"] = std::move(evidence_list);
  return t;
}

J sample() {
  J r;
  r["schema"] = "i1sim-conformance/1";
  r["identification"] = {
      {"report_id", "PCTR-0123456789ab"},
      {"inputs_sha256", std::string(64, '0')},
      {"tool", {{"name", "i1sim"}, {"version", "0.1.0"}}},
      {"suite", {{"id", "I1-CTS"}, {"version", "1.0.0"}, {"tps", 6}}},
      {"spec", {{"title", "I1"}, {"version", "1.0.0"}, {"file", "conformance/spec/i1-v1.yaml"}}},
      {"iut", "ref"},
      {"ics", {{"file", "ics.yaml"}, {"implementation", "Ref"}, {"version", "1"}, {"vendor", "V"}, {"profile", "Q"}}},
      {"pixit", {{"file", ""}, {"timers", J::object()}}},
      {"campaign", {{"seeds", {1, 2}}, {"scenarios", {"activation-basic"}}, {"runs", 2}, {"timeout_s", 600.0}}}};
  r["ics"] = {{"features", {{"order.cancel", false}}}, {"requirements", {{"I1-GEN-001", true}}}};
  r["static_review"] = {{"passed", true}, {"findings", J::array()}};
  r["status"] = {{"conformant", false}, {"statement", "not conformant: 1 test purpose failed"}};
  r["summary"] = {{"tps", 6},    {"selected", 5}, {"not_selected", 1}, {"pass", 1},
                  {"inconc", 1}, {"fail", 1},     {"error", 1},        {"none", 1}};
  r["tps"] = J::array(
      {tp("TP/I1/ORD/BV/001", "ORD/BV", "pass"),
       tp("TP/I1/ORD/BV/002", "ORD/BV", "fail", true, "notify.timely fail in run activation-basic seed 2: late",
          J::array({evidence("notify.timely", "fail", {41, 57}, "order 3 notified at 9 s, T_notify 5 s")})),
       tp("TP/I1/ORD/BI/003", "ORD/BI", "error", true, "run crashed",
          J::array({evidence("msg.valid", "error", {12}, "event 12 unreadable")})),
       tp("TP/I1/HUB/BV/004", "HUB/BV", "inconc", true, "never exercised",
          J::array({evidence("notify.timely", "inconc", {88}, "frame lost")})),
       tp("TP/I1/HUB/BV/005", "HUB/BV", "none", true, "no run judged it"),
       tp("TP/I1/HUB/BV/006", "HUB/BV", "none", false, "not selected: ICS order.cancel is false")});
  r["runs"] = J::array();
  return r;
}

const Element* testcase(const Element& root, const std::string& id) {
  for (const Element* suite : root.all("testsuite"))
    for (const Element* tc : suite->all("testcase"))
      if (tc->attrs.at("name") == id)
        return tc;
  return nullptr;
}

std::vector<std::string> property(const Element& tc, const std::string& name) {
  std::vector<std::string> out;
  if (const Element* props = tc.child("properties"))
    for (const Element* p : props->all("property"))
      if (p->attrs.at("name") == name)
        out.push_back(p->attrs.at("value"));
  return out;
}

TEST(XmlChecker, RejectsMalformedXml) {
  EXPECT_THROW(parse_xml("<a><b></a>"), std::runtime_error);
  EXPECT_THROW(parse_xml("<a x=\"1<2\"/>"), std::runtime_error);
  EXPECT_THROW(parse_xml("<a>x & y</a>"), std::runtime_error);
  EXPECT_THROW(parse_xml("<a/><b/>"), std::runtime_error);
  EXPECT_NO_THROW(parse_xml("<a x=\"&lt;&amp;\"><b/>t</a>"));
}

TEST(XmlChecker, CatchesCountsThatDoNotAddUp) {
  const auto ok =
      parse_xml("<testsuites tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">"
                "<testsuite name=\"g\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">"
                "<testcase name=\"a\"/><testcase name=\"b\"><failure/></testcase></testsuite></testsuites>");
  EXPECT_TRUE(count_problems(*ok).empty());
  const auto bad =
      parse_xml("<testsuites tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"0\">"
                "<testsuite name=\"g\" tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"0\">"
                "<testcase name=\"a\"/><testcase name=\"b\"><failure/></testcase></testsuite></testsuites>");
  EXPECT_THAT(count_problems(*bad), ::testing::ElementsAre("g failures", "testsuites failures"));
}

TEST(JunitReport, CountsAddUpPerSuiteAndOverall) {
  const auto root = parse_xml(render_junit(sample()));
  EXPECT_EQ(root->name, "testsuites");
  EXPECT_TRUE(count_problems(*root).empty()) << ::testing::PrintToString(count_problems(*root));
  // Independently of the renderer: 6 test purposes; 1 fail, 1 error; inconc, none and not selected are skipped.
  EXPECT_EQ(root->attrs.at("tests"), "6");
  EXPECT_EQ(root->attrs.at("failures"), "1");
  EXPECT_EQ(root->attrs.at("errors"), "1");
  EXPECT_EQ(root->attrs.at("skipped"), "3");
  ASSERT_EQ(root->all("testsuite").size(), 3u); // ORD/BV, ORD/BI, HUB/BV
  EXPECT_EQ(root->all("testsuite")[0]->attrs.at("name"), "ORD/BV");
}

TEST(JunitReport, MapsEveryVerdictAsTtcn3ToolsDo) {
  const auto root = parse_xml(render_junit(sample()));
  const Element* pass = testcase(*root, "TP/I1/ORD/BV/001");
  ASSERT_NE(pass, nullptr);
  EXPECT_EQ(pass->attrs.at("classname"), "ORD/BV");
  EXPECT_FALSE(pass->child("failure") || pass->child("error") || pass->child("skipped"));
  EXPECT_EQ(property(*pass, "requirement"), (std::vector<std::string>{"I1-GEN-001", "I1-HUB-003"}));

  const Element* fail = testcase(*root, "TP/I1/ORD/BV/002");
  ASSERT_NE(fail->child("failure"), nullptr);
  EXPECT_THAT(fail->child("failure")->attrs.at("message"), HasSubstr("late"));
  EXPECT_THAT(fail->child("failure")->text, HasSubstr("events 41, 57"));
  EXPECT_THAT(fail->child("failure")->text, HasSubstr("runs/activation-basic/seed-2/events.jsonl"));

  const Element* error = testcase(*root, "TP/I1/ORD/BI/003");
  ASSERT_NE(error->child("error"), nullptr);
  EXPECT_EQ(error->child("failure"), nullptr);
  EXPECT_THAT(error->child("error")->text, HasSubstr("events 12"));

  const Element* inconc = testcase(*root, "TP/I1/HUB/BV/004");
  ASSERT_NE(inconc->child("skipped"), nullptr);
  EXPECT_EQ(inconc->child("skipped")->attrs.at("message").rfind("inconc: ", 0), 0u);
  EXPECT_EQ(property(*inconc, "verdict"), std::vector<std::string>{"inconc"});

  const Element* none = testcase(*root, "TP/I1/HUB/BV/005");
  ASSERT_NE(none->child("skipped"), nullptr);
  const Element* unselected = testcase(*root, "TP/I1/HUB/BV/006");
  ASSERT_NE(unselected->child("skipped"), nullptr);
  EXPECT_THAT(unselected->child("skipped")->attrs.at("message"), HasSubstr("ICS order.cancel is false"));
}

TEST(JunitReport, EscapesMarkupInEveryText) {
  J r = sample();
  const std::string nasty = "a <b> & \"c\" 'd' </testcase>";
  r["tps"][1]["title"] = nasty;
  r["tps"][1]["reason"] = nasty;
  r["tps"][1]["evidence"][0]["reason"] = nasty;
  r["identification"]["iut"] = nasty;
  const std::string xml = render_junit(r);
  EXPECT_THAT(xml, Not(HasSubstr("<b>")));
  const auto root = parse_xml(xml);
  const Element* fail = testcase(*root, "TP/I1/ORD/BV/002");
  EXPECT_EQ(property(*fail, "title"), std::vector<std::string>{nasty});
  EXPECT_EQ(fail->child("failure")->attrs.at("message"), nasty);
  EXPECT_THAT(fail->child("failure")->text, HasSubstr(nasty));
  EXPECT_THAT(root->attrs.at("name"), HasSubstr(nasty));
}

TEST(JunitReport, ReplacesCharactersXmlCannotHold) {
  EXPECT_EQ(xml_escape(std::string("a\x01z")), "a\xEF\xBF\xBDz");
  EXPECT_EQ(xml_escape("x\ny"), "x&#10;y");
}

// The common JUnit schema (as CI systems read it), written for this test: testsuites of testsuites of testcases,
// each with optional properties, one of skipped/failure/error and system-out.
const char* kJunitXsd = R"(<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:complexType name="outcome"><xs:simpleContent><xs:extension base="xs:string">
    <xs:attribute name="message" type="xs:string"/><xs:attribute name="type" type="xs:string"/>
  </xs:extension></xs:simpleContent></xs:complexType>
  <xs:complexType name="properties"><xs:sequence>
    <xs:element name="property" minOccurs="0" maxOccurs="unbounded"><xs:complexType>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="value" type="xs:string" use="required"/>
    </xs:complexType></xs:element>
  </xs:sequence></xs:complexType>
  <xs:complexType name="testcase"><xs:sequence>
    <xs:element name="properties" type="properties" minOccurs="0"/>
    <xs:choice minOccurs="0">
      <xs:element name="skipped" type="outcome"/>
      <xs:element name="failure" type="outcome"/>
      <xs:element name="error" type="outcome"/>
    </xs:choice>
    <xs:element name="system-out" type="xs:string" minOccurs="0"/>
  </xs:sequence>
    <xs:attribute name="name" type="xs:string" use="required"/>
    <xs:attribute name="classname" type="xs:string" use="required"/>
  </xs:complexType>
  <xs:attributeGroup name="counts">
    <xs:attribute name="name" type="xs:string" use="required"/>
    <xs:attribute name="tests" type="xs:nonNegativeInteger" use="required"/>
    <xs:attribute name="failures" type="xs:nonNegativeInteger" use="required"/>
    <xs:attribute name="errors" type="xs:nonNegativeInteger" use="required"/>
    <xs:attribute name="skipped" type="xs:nonNegativeInteger" use="required"/>
  </xs:attributeGroup>
  <xs:element name="testsuites"><xs:complexType><xs:sequence>
    <xs:element name="testsuite" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:sequence>
      <xs:element name="testcase" type="testcase" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence><xs:attributeGroup ref="counts"/></xs:complexType></xs:element>
  </xs:sequence><xs:attributeGroup ref="counts"/></xs:complexType></xs:element>
</xs:schema>
)";

TEST(JunitReport, IsValidAgainstTheCommonJunitSchema) {
  if (std::system("xmllint --version >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "xmllint is not installed (Debian package libxml2-utils)";
  const auto dir = std::filesystem::temp_directory_path() / ("i1sim-reports-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "junit.xsd") << kJunitXsd;
  J with_mutants = sample();
  with_mutants["mutants"] =
      conformance::campaign::kill_matrix({{"m1", "never sends inProgress", {"I1-ORD-005"}, {}}}, 1);
  std::ofstream(dir / "junit.xml") << render_junit(with_mutants);
  std::ofstream(dir / "broken.xml") << "<testsuites name=\"x\" tests=\"1\"><testcase name=\"a\"/></testsuites>\n";
  const std::string lint = "xmllint --noout --schema " + (dir / "junit.xsd").string() + " ";
  EXPECT_EQ(std::system((lint + (dir / "junit.xml").string() + " 2>/dev/null").c_str()), 0);
  EXPECT_NE(std::system((lint + (dir / "broken.xml").string() + " 2>/dev/null").c_str()), 0); // the schema bites
  std::filesystem::remove_all(dir);
}

TEST(JunitReport, FailsEveryMutantNoTestPurposeKilled) {
  J r = sample();
  using conformance::Verdict;
  const conformance::campaign::TpVerdict failed{Verdict::fail, "late", {}};
  const conformance::campaign::TpVerdict passed{Verdict::pass, "", {}};
  r["mutants"] = conformance::campaign::kill_matrix({{"killed-one", "d1", {}, {{"TP/I1/ORD/BV/001", failed}}},
                                                     {"survivor", "d2", {}, {{"TP/I1/ORD/BV/001", passed}}}},
                                                    1);
  const auto root = parse_xml(render_junit(r));
  EXPECT_TRUE(count_problems(*root).empty());
  EXPECT_EQ(testcase(*root, "killed-one")->child("failure"), nullptr);
  EXPECT_NE(testcase(*root, "survivor")->child("failure"), nullptr);
  EXPECT_EQ(root->attrs.at("tests"), "8");
  EXPECT_EQ(root->attrs.at("failures"), "2");
}

TEST(MarkdownReport, HasThePctrSectionsInOrder) {
  const std::string md = render_markdown(sample());
  std::size_t at = 0;
  for (const char* heading :
       {"## 1 Identification summary", "## 2 IUT conformance status", "## 3 Static conformance summary and review",
        "## 4 Dynamic conformance summary", "## 5 Test campaign report", "## 6 Observations"}) {
    const auto found = md.find(heading, at);
    ASSERT_NE(found, std::string::npos) << heading;
    at = found;
  }
  EXPECT_THAT(md, HasSubstr("PCTR-0123456789ab"));
  EXPECT_THAT(md, HasSubstr("not conformant: 1 test purpose failed"));
  EXPECT_THAT(md, HasSubstr("| fail | 1 |"));
  EXPECT_THAT(md, HasSubstr("| not selected | 1 |"));
}

TEST(MarkdownReport, EveryNonPassVerdictListsItsEventIdsInTheObservations) {
  const std::string md = render_markdown(sample());
  const std::string observations = md.substr(md.find("## 6 Observations"));
  for (const auto& [id, ids] : std::vector<std::pair<std::string, std::string>>{{"TP/I1/ORD/BV/002", "events 41, 57"},
                                                                                {"TP/I1/ORD/BI/003", "events 12"},
                                                                                {"TP/I1/HUB/BV/004", "events 88"}}) {
    const auto head = observations.find("### " + id);
    ASSERT_NE(head, std::string::npos) << id;
    const auto next = observations.find("### ", head + 4);
    const std::string block = observations.substr(head, next - head);
    EXPECT_THAT(block, HasSubstr(ids)) << id;
    EXPECT_THAT(block, HasSubstr("runs/activation-basic/seed-2/events.jsonl")) << id;
    EXPECT_THAT(block, HasSubstr("run activation-basic seed 2")) << id;
  }
  EXPECT_THAT(observations, Not(HasSubstr("### TP/I1/ORD/BV/001"))); // pass
  EXPECT_THAT(observations, Not(HasSubstr("### TP/I1/HUB/BV/006"))); // not selected
}

TEST(MarkdownReport, CampaignTableHasOneRowPerTestPurposeWithSelectionAndVerdict) {
  J r = sample();
  r["tps"][0]["title"] = "ensure that a | b";
  const std::string md = render_markdown(r);
  for (const char* id : {"TP/I1/ORD/BV/001", "TP/I1/ORD/BV/002", "TP/I1/ORD/BI/003", "TP/I1/HUB/BV/004",
                         "TP/I1/HUB/BV/005", "TP/I1/HUB/BV/006"})
    EXPECT_THAT(md, HasSubstr("| " + std::string(id) + " |"));
  EXPECT_THAT(md, HasSubstr("ensure that a \\| b"));
  EXPECT_THAT(md, HasSubstr("not selected: ICS order.cancel is false"));
  EXPECT_THAT(md, HasSubstr("| **fail** | activation-basic seed 2 notify.timely: events 41, 57 |"));
}

TEST(MarkdownReport, ShowsTheMutantsWhenPresent) {
  J r = sample();
  EXPECT_THAT(render_markdown(r), Not(HasSubstr("### Mutants")));
  using conformance::Verdict;
  const conformance::campaign::Evidence e{"terminate",
                                          1,
                                          "order.delete",
                                          Verdict::fail,
                                          "VM 4 still runs",
                                          {31},
                                          "mutants/m/runs/terminate/seed-1/events.jsonl"};
  r["mutants"] = conformance::campaign::kill_matrix(
      {{"keeps-vms", "never destroys VMs", {}, {{"TP/I1/ORD/BV/001", {Verdict::fail, "VM 4 still runs", {e}}}}},
       {"survivor", "does nothing wrong visible", {}, {{"TP/I1/ORD/BV/001", {Verdict::pass, "", {}}}}}},
      1);
  const std::string md = render_markdown(r);
  EXPECT_THAT(md, HasSubstr("Mutation score: **1/2**"));
  EXPECT_THAT(md, HasSubstr("| keeps-vms | never destroys VMs | yes | TP/I1/ORD/BV/001 |"));
  EXPECT_THAT(md, HasSubstr("| survivor | does nothing wrong visible | **no** |"));
  EXPECT_THAT(md, HasSubstr("events 31"));
}

TEST(Reports, RefuseAMissingOrMistypedFieldNamingIt) {
  J r = sample();
  r["tps"][2].erase("verdict");
  try {
    render_junit(r);
    FAIL() << "no error";
  } catch (const ReportInputError& e) {
    EXPECT_STREQ(e.what(), "/tps/2/verdict: missing");
  }
  r = sample();
  r["tps"][1]["verdict"] = "maybe";
  EXPECT_THROW(render_markdown(r), ReportInputError);
  r = sample();
  r["tps"][1]["evidence"][0]["events"] = J::array({"x"});
  try {
    render_markdown(r);
    FAIL() << "no error";
  } catch (const ReportInputError& e) {
    EXPECT_STREQ(e.what(), "/tps/1/evidence/0/events/0: not an event id");
  }
}

TEST(Reports, RenderWhatTheCampaignBuilds) {
  using namespace conformance;
  Suite suite;
  suite.version = "1.0.0";
  TestPurpose t;
  t.id = "TP/I1/ORD/BV/001";
  t.title = "ensure that orders complete";
  t.group = "ORD/BV";
  t.requirements = {"I1-ORD-001"};
  t.scenarios = {"s1"};
  t.checks = {"order.accepted"};
  suite.tps = {t};
  Ics ics;
  campaign::CampaignInputs in;
  in.tool_version = "0.1.0";
  in.suite = &suite;
  in.spec = &spec::builtin();
  in.iut = "ref";
  in.ics = &ics;
  in.selection = {{&suite.tps[0], true, ""}};
  in.seeds = {1};
  in.inputs_sha256 = std::string(64, 'f');
  campaign::RunOutcome run;
  run.scenario = "s1";
  run.seed = 1;
  run.dir = "runs/s1/seed-1";
  run.completed = true;
  run.results = {
      {"conformance",
       {{"checks", {{{"check", "order.accepted"}, {"verdict", "fail"}, {"reason", "refused"}, {"events", {3, 4}}}}}}}};
  const J results = J::parse(campaign::build_results(in, {run}).dump(2));
  const auto root = parse_xml(render_junit(results));
  EXPECT_NE(testcase(*root, "TP/I1/ORD/BV/001")->child("failure"), nullptr);
  EXPECT_THAT(render_markdown(results), HasSubstr("events 3, 4"));
}

} // namespace
} // namespace i1sim::reports::reports_test
