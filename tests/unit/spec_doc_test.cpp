// Unit tests of the readable I1 specification (render_markdown in sim/i1/spec_tools.hpp) and of the checked-in copy.
#include "i1/spec_tools.hpp"
#include "support/text_edit.hpp"

#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace i1sim::spec::spec_doc_test {
namespace {

using test::replace_once;

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSpecPath = I1SIM_SOURCE_DIR "/conformance/spec/i1-v1.yaml";
const std::string kDocPath = I1SIM_SOURCE_DIR "/conformance/spec/i1-v1.md";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string anchor_of(const std::string& kind, const std::string& name) {
  return "<a id=\"" + kind + "-" + name + "\"></a>";
}

// The part of `doc` that starts at the anchor of an element and ends where the next element of the same kind or
// the next top-level section starts; empty when the anchor is missing.
std::string section_of(const std::string& doc, const std::string& kind, const std::string& name) {
  const auto start = doc.find(anchor_of(kind, name));
  if (start == std::string::npos)
    return {};
  const auto after = start + anchor_of(kind, name).size();
  auto end = std::min(doc.find("<a id=\"" + kind + "-", after), doc.find("\n## ", after));
  return doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The lines of the first ```mermaid block of `text`, without the fences.
std::vector<std::string> mermaid_lines(const std::string& text) {
  std::vector<std::string> lines;
  const auto open = text.find("```mermaid\n");
  if (open == std::string::npos)
    return lines;
  const auto close = text.find("\n```", open + 11);
  std::istringstream in(text.substr(open + 11, close == std::string::npos ? std::string::npos : close - open - 11));
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::string level_word(Level level) {
  switch (level) {
  case Level::shall:
    return "shall";
  case Level::should:
    return "should";
  case Level::may:
    return "may";
  }
  return "?";
}

// The number of '|' in a line that are not escaped: the cell borders of a table row.
int unescaped_pipes(const std::string& line) {
  int n = 0;
  for (std::size_t i = 0; i < line.size(); ++i)
    n += line[i] == '|' && (i == 0 || line[i - 1] != '\\') ? 1 : 0;
  return n;
}

// The line of `doc` that contains `needle` (empty if none).
std::string line_with(const std::string& doc, const std::string& needle) {
  const auto at = doc.find(needle);
  if (at == std::string::npos)
    return {};
  const auto start = doc.rfind('\n', at);
  const auto begin = start == std::string::npos ? 0 : start + 1;
  return doc.substr(begin, doc.find('\n', at) - begin);
}

class ShippedSpecDocument : public ::testing::Test {
protected:
  void SetUp() override {
    text_ = read_file(kSpecPath);
    ASSERT_FALSE(text_.empty()) << kSpecPath << " could not be read";
    spec_ = load_from_string(text_, kSpecPath);
    doc_ = render_markdown(spec_);
  }
  std::string text_;
  Spec spec_;
  std::string doc_;
};

TEST_F(ShippedSpecDocument, StartsWithTheTitleAndTheVersion) {
  EXPECT_EQ(doc_.rfind("# I1 management interface between a Telecom BSS/OSS and a Cloud BSS/OSS\n", 0), 0u);
  EXPECT_THAT(doc_, HasSubstr("Version **1.0.0**"));
  EXPECT_THAT(doc_, HasSubstr("the ordering and activation of cloud services"));
}

TEST_F(ShippedSpecDocument, DescribesBothProfilesAndTheMoneyRule) {
  EXPECT_THAT(doc_, HasSubstr(anchor_of("profile", "Q") + "Q | Intra-operator (Q) |"));
  EXPECT_THAT(doc_, HasSubstr(anchor_of("profile", "X") + "X | Inter-operator (X) |"));
  EXPECT_THAT(doc_, HasSubstr("- Rounding: half-even\n"));
  EXPECT_THAT(doc_, HasSubstr("so a bill reconciles to the unit."));
}

TEST_F(ShippedSpecDocument, HasOneSectionPerConcernInFileOrder) {
  const std::vector<std::string> order{"GEN", "HUB", "ORD", "INV", "PM",  "ALM",
                                       "USG", "BIL", "SLA", "CUS", "REG", "SEC"};
  std::size_t previous = 0;
  for (const auto& id : order) {
    const auto at = doc_.find(anchor_of("concern", id) + "\n## " + id + ": ");
    ASSERT_NE(at, std::string::npos) << "no section for concern " << id;
    EXPECT_GT(at, previous) << "concern " << id << " is out of order";
    previous = at;
  }
  EXPECT_LT(previous, doc_.find("\n## Timers\n"));
  EXPECT_LT(doc_.find("\n## Timers\n"), doc_.find("\n## Enumerations\n"));
  EXPECT_LT(doc_.find("\n## Enumerations\n"), doc_.find("\n## Requirement index\n"));
}

TEST_F(ShippedSpecDocument, ShowsEveryTypeWithEachOfItsFields) {
  ASSERT_FALSE(spec_.types.empty());
  for (const auto& type : spec_.types) {
    const std::string section = section_of(doc_, "type", type.name);
    ASSERT_THAT(section, HasSubstr("#### Type " + type.name + "\n")) << type.name;
    for (const auto& field : type.fields) {
      const std::string row = line_with(section, "| `" + field.name + "` |");
      ASSERT_FALSE(row.empty()) << type.name << "." << field.name << " has no row";
      EXPECT_THAT(row, HasSubstr(field.mandatory ? " | yes | " : " | no | ")) << type.name << "." << field.name;
      if (!field.type.name.empty()) {
        EXPECT_THAT(row, HasSubstr("[" + field.type.name + "](#")) << type.name << "." << field.name;
      }
    }
  }
}

TEST_F(ShippedSpecDocument, ShowsEveryOperationWithItsMethodPathAndResponses) {
  ASSERT_FALSE(spec_.operations.empty());
  for (const auto& op : spec_.operations) {
    const std::string section = section_of(doc_, "op", op.name);
    ASSERT_THAT(section, HasSubstr("#### Operation " + op.name + "\n")) << op.name;
    EXPECT_THAT(section, HasSubstr("`" + op.method + " " + op.path + "`")) << op.name;
    if (op.request) {
      EXPECT_THAT(section, HasSubstr("- Request body: [" + *op.request + "](#type-" + *op.request + ")")) << op.name;
    }
    for (const auto& response : op.responses)
      EXPECT_THAT(section, HasSubstr("\n| " + std::to_string(response.status) + " | ")) << op.name;
  }
}

TEST_F(ShippedSpecDocument, ShowsEveryNotificationWithItsResourceAndKey) {
  ASSERT_FALSE(spec_.notifications.empty());
  for (const auto& n : spec_.notifications) {
    const std::string row = line_with(doc_, anchor_of("notif", n.name));
    ASSERT_FALSE(row.empty()) << n.name;
    EXPECT_THAT(row,
                HasSubstr("</a>" + n.name + " | [" + n.resource + "](#type-" + n.resource + ") | `" + n.key + "` |"));
  }
}

TEST_F(ShippedSpecDocument, ShowsEveryRequirementWithItsLevelAndText) {
  ASSERT_FALSE(spec_.requirements.empty());
  for (const auto& r : spec_.requirements) {
    ASSERT_EQ(r.text.find_first_of("|<>\n"), std::string::npos) << "the check below expects plain text";
    EXPECT_THAT(doc_,
                HasSubstr("| " + anchor_of("req", r.id) + r.id + " | " + level_word(r.level) + " | " + r.text + " | "));
  }
}

TEST_F(ShippedSpecDocument, ShowsEveryTimerWithItsDefault) {
  ASSERT_FALSE(spec_.timers.empty());
  for (const auto& t : spec_.timers)
    EXPECT_THAT(doc_, HasSubstr("| " + anchor_of("timer", t.name) + "`" + t.name + "` | " + t.default_text + " | "));
}

TEST_F(ShippedSpecDocument, ShowsEveryEnumerationWithEachValue) {
  for (const auto& e : spec_.enums) {
    const std::string row = line_with(doc_, anchor_of("enum", e.name));
    ASSERT_FALSE(row.empty()) << e.name;
    for (const auto& v : e.values)
      EXPECT_THAT(row, HasSubstr("`" + v + "`")) << e.name;
  }
}

TEST_F(ShippedSpecDocument, DrawsEveryTransitionOfEveryMachineAndListsItInItsTable) {
  ASSERT_FALSE(spec_.machines.empty());
  for (const auto& m : spec_.machines) {
    const std::string section = section_of(doc_, "machine", m.name);
    ASSERT_FALSE(section.empty()) << m.name;
    const auto lines = mermaid_lines(section);
    ASSERT_FALSE(lines.empty()) << m.name << " has no Mermaid block";
    EXPECT_EQ(lines.front(), "stateDiagram-v2");
    const std::set<std::string> drawn(lines.begin(), lines.end());
    for (const auto& t : m.transitions) {
      std::string label;
      for (const auto& v : t.via)
        label += (label.empty() ? "" : ", ") + v;
      EXPECT_TRUE(drawn.count("    " + t.from + " --> " + t.to + ": " + label))
          << m.name << ": " << t.from << " -> " << t.to << " is not drawn";
      EXPECT_THAT(section, HasSubstr("\n| " + t.from + " | " + t.to + " | ")) << m.name;
    }
    for (const auto& s : m.initial)
      EXPECT_TRUE(drawn.count("    [*] --> " + s)) << m.name << ": initial " << s;
    for (const auto& s : m.final)
      EXPECT_TRUE(drawn.count("    " + s + " --> [*]")) << m.name << ": final " << s;
  }
}

TEST_F(ShippedSpecDocument, DrawsTheServiceOrderMachineWithNoEdgeBeyondTheFile) {
  const auto lines = mermaid_lines(section_of(doc_, "machine", "serviceOrder"));
  // Counted in conformance/spec/i1-v1.yaml: 18 transitions, 1 initial state, 5 final states.
  int edges = 0;
  for (const auto& line : lines)
    edges += line.find(" --> ") != std::string::npos ? 1 : 0;
  EXPECT_EQ(edges, 18 + 1 + 5);
  const std::set<std::string> drawn(lines.begin(), lines.end());
  EXPECT_TRUE(drawn.count("    inProgress --> held: ServiceOrderStateChangeEvent"));
  EXPECT_TRUE(drawn.count("    held --> assessingCancellation: createCancelServiceOrder"));
  EXPECT_TRUE(drawn.count("    [*] --> acknowledged"));
  EXPECT_TRUE(drawn.count("    partial --> [*]"));
  EXPECT_FALSE(drawn.count("    held --> failed: ServiceOrderStateChangeEvent"));
}

TEST_F(ShippedSpecDocument, PlacesEachElementInTheSectionOfItsConcern) {
  auto concern_range = [&](const std::string& id) {
    const auto start = doc_.find(anchor_of("concern", id) + "\n## ");
    return std::make_pair(start, doc_.find("\n## ", start + anchor_of("concern", id).size() + 1));
  };
  auto inside = [&](const std::string& kind, const std::string& name, const std::string& concern) {
    const auto [start, end] = concern_range(concern);
    const auto at = doc_.find(anchor_of(kind, name));
    return start != std::string::npos && at != std::string::npos && at > start && at < end;
  };
  for (const auto& op : spec_.operations)
    EXPECT_TRUE(inside("op", op.name, op.concern)) << op.name;
  for (const auto& n : spec_.notifications)
    EXPECT_TRUE(inside("notif", n.name, n.concern)) << n.name;
  for (const auto& t : spec_.types)
    EXPECT_TRUE(inside("type", t.name, t.concern)) << t.name;
  for (const auto& r : spec_.requirements)
    EXPECT_TRUE(inside("req", r.id, r.concern)) << r.id;
  // A machine goes where its type goes: serviceOrder with ServiceOrder (ORD), usage with Usage (USG).
  EXPECT_TRUE(inside("machine", "serviceOrder", "ORD"));
  EXPECT_TRUE(inside("machine", "service", "INV"));
  EXPECT_TRUE(inside("machine", "usage", "USG"));
  EXPECT_TRUE(inside("machine", "customerBill", "BIL"));
}

TEST_F(ShippedSpecDocument, GivesAStateThatMermaidCannotNameAnIdOfItsOwn) {
  std::string text = replace_once(text_, "{from: raised, to: updated, via: [AlarmStateChangeEvent]}",
                                  "{from: raised, to: re-raised, via: [AlarmStateChangeEvent]}");
  text = replace_once(text, "{from: updated, to: cleared, via: [AlarmStateChangeEvent]}",
                      "{from: end, to: cleared, via: [AlarmStateChangeEvent]}");
  const auto lines = mermaid_lines(section_of(render_markdown(load_from_string(text, "odd.yaml")), "machine", "alarm"));
  const std::set<std::string> drawn(lines.begin(), lines.end());
  EXPECT_TRUE(drawn.count("    state \"re-raised\" as s_re_raised"));
  EXPECT_TRUE(drawn.count("    state \"end\" as s_end"));
  EXPECT_TRUE(drawn.count("    raised --> s_re_raised: AlarmStateChangeEvent"));
  EXPECT_TRUE(drawn.count("    s_end --> cleared: AlarmStateChangeEvent"));
}

TEST_F(ShippedSpecDocument, EveryLinkLeadsToAnAnchorAndNoAnchorIsRepeated) {
  const std::regex anchor_re("<a id=\"([^\"]+)\"></a>");
  std::set<std::string> anchors;
  for (auto it = std::sregex_iterator(doc_.begin(), doc_.end(), anchor_re); it != std::sregex_iterator(); ++it)
    EXPECT_TRUE(anchors.insert((*it)[1].str()).second) << "anchor " << (*it)[1].str() << " is repeated";
  const std::regex link_re("\\]\\(#([^)]+)\\)");
  int links = 0;
  for (auto it = std::sregex_iterator(doc_.begin(), doc_.end(), link_re); it != std::sregex_iterator(); ++it, ++links)
    EXPECT_TRUE(anchors.count((*it)[1].str())) << "link to #" << (*it)[1].str() << " leads nowhere";
  EXPECT_GT(links, 100);
}

TEST_F(ShippedSpecDocument, IndexesEachRequirementWithTheOperationsAndNotificationsThatCoverIt) {
  const std::string index = doc_.substr(doc_.find("\n## Requirement index\n"));
  for (const auto& r : spec_.requirements) {
    const std::string row = line_with(index, "| [" + r.id + "](#req-" + r.id + ") |");
    ASSERT_FALSE(row.empty()) << r.id << " is not in the index";
    for (const auto& op : spec_.operations) {
      const bool covers = std::find(op.requirements.begin(), op.requirements.end(), r.id) != op.requirements.end();
      EXPECT_EQ(row.find("[" + op.name + "](#op-" + op.name + ")") != std::string::npos, covers)
          << r.id << " / " << op.name;
    }
    for (const auto& n : spec_.notifications) {
      const bool covers = std::find(n.requirements.begin(), n.requirements.end(), r.id) != n.requirements.end();
      EXPECT_EQ(row.find("[" + n.name + "](#notif-" + n.name + ")") != std::string::npos, covers)
          << r.id << " / " << n.name;
    }
  }
  // Written out from the file: I1-HUB-005 is covered by deleteHub alone, I1-ORD-004 by createServiceOrder alone.
  EXPECT_THAT(line_with(index, "| [I1-HUB-005]"), HasSubstr("| [deleteHub](#op-deleteHub) | — |"));
  EXPECT_THAT(line_with(index, "| [I1-ORD-004]"), HasSubstr("| [createServiceOrder](#op-createServiceOrder) | — |"));
}

TEST_F(ShippedSpecDocument, WritesTypeExpressionsSoThatTheyAreNotTakenForHtml) {
  EXPECT_THAT(doc_, Not(HasSubstr("array<")));
  EXPECT_THAT(doc_, HasSubstr("| `place` | array&lt;[Place](#type-Place)&gt; | yes | "));
}

TEST_F(ShippedSpecDocument, IsTheSameTextEachTime) {
  EXPECT_EQ(render_markdown(spec_), doc_);
  EXPECT_EQ(render_markdown(load_from_string(text_, kSpecPath)), doc_);
  EXPECT_EQ(render_markdown(load(kSpecPath)), doc_);
}

TEST_F(ShippedSpecDocument, DoesNotDependOnWhereTheFileLies) {
  EXPECT_EQ(render_markdown(load_from_string(text_, "elsewhere/i1-v1.yaml")), doc_);
}

TEST_F(ShippedSpecDocument, EscapesAPipeInADescriptionOrARequirementText) {
  std::string text = replace_once(text_, "description: \"ISO 3166-1 alpha-2 code\"",
                                  "description: \"ISO 3166-1 alpha-2 | or alpha-3 code\"");
  text = replace_once(text, "text: \"No alarm is raised for a service that had no fault.\"",
                      "text: \"No alarm is raised for a service that had no fault | outage.\"");
  const std::string doc = render_markdown(load_from_string(text, "piped.yaml"));
  EXPECT_THAT(doc, HasSubstr("ISO 3166-1 alpha-2 \\| or alpha-3 code"));
  EXPECT_THAT(doc, Not(HasSubstr("alpha-2 | or")));
  EXPECT_THAT(doc, HasSubstr("no fault \\| outage."));
  // The rows keep their cell count: a field row has 5 cells, a requirement row 6.
  EXPECT_EQ(unescaped_pipes(line_with(doc, "alpha-2 \\| or")), 6);
  EXPECT_EQ(unescaped_pipes(line_with(doc, "no fault \\| outage")), 7);
}

TEST_F(ShippedSpecDocument, PrintsADanglingReferenceAsTextNotAsABrokenLink) {
  const std::string text = replace_once(text_, "requirements: [I1-HUB-005]", "requirements: [I1-HUB-005, I1-HUB-999]");
  const std::string doc = render_markdown(load_from_string(text, "dangling.yaml"));
  EXPECT_THAT(section_of(doc, "op", "deleteHub"), HasSubstr("[I1-HUB-005](#req-I1-HUB-005), I1-HUB-999"));
  EXPECT_THAT(doc, Not(HasSubstr("#req-I1-HUB-999")));
}

TEST_F(ShippedSpecDocument, GathersElementsOfAnUnlistedConcernInASectionOfTheirOwn) {
  const std::string text = replace_once(text_, "concern: REG\n    requirement: I1-REG-003\n    description: Where",
                                        "concern: ZZZ\n    requirement: I1-REG-003\n    description: Where");
  const std::string doc = render_markdown(load_from_string(text, "orphan.yaml"));
  const auto section = doc.find("<a id=\"no-concern\"></a>\n## Elements of no listed concern\n");
  ASSERT_NE(section, std::string::npos);
  EXPECT_GT(doc.find(anchor_of("type", "Place")), section);
  EXPECT_LT(doc.find(anchor_of("type", "Place")), doc.find("\n## Timers\n"));
  EXPECT_THAT(doc_, Not(HasSubstr("no-concern")));
}

// The checked-in document is what reviewers read on the forge: it must be regenerated with the specification.
TEST(CheckedInSpecDocument, IsUpToDateWithTheSpecification) {
  const std::string checked_in = read_file(kDocPath);
  const std::string fresh = render_markdown(load(kSpecPath));
  std::size_t line = 1;
  std::size_t i = 0;
  for (; i < checked_in.size() && i < fresh.size() && checked_in[i] == fresh[i]; ++i)
    line += checked_in[i] == '\n' ? 1 : 0;
  EXPECT_TRUE(checked_in == fresh)
      << "conformance/spec/i1-v1.md is stale (first difference on line " << line
      << "): run `build/i1sim spec doc conformance/spec/i1-v1.yaml --out conformance/spec/i1-v1.md`";
}

} // namespace
} // namespace i1sim::spec::spec_doc_test
