// CHECKS.md is the document test purposes are written against; it must list exactly the checks the oracles judge,
// each with the requirements and the family the code gives it.
#include "conformance/oracles/oracle.hpp"
#include "support/text_edit.hpp"

#include <gtest/gtest.h>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace i1sim::conformance::checks_doc_test {
namespace {

struct Row {
  std::string id;
  std::set<std::string> requirements;
  std::string family;
};

std::vector<Row> document_rows() {
  std::vector<Row> rows;
  std::istringstream in(test::read_file(I1SIM_SOURCE_DIR "/conformance/oracles/CHECKS.md"));
  const std::regex row(R"(^\| `([a-z_]+\.[a-z_]+)` \| ([^|]+) \| ([a-z]+) \|)");
  const std::regex req(R"(I1-[A-Z]+-[0-9]{3})");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, row))
      continue;
    Row r{m[1].str(), {}, m[3].str()};
    const std::string reqs = m[2].str();
    for (std::sregex_iterator it(reqs.begin(), reqs.end(), req), end; it != end; ++it)
      r.requirements.insert(it->str());
    rows.push_back(std::move(r));
  }
  return rows;
}

TEST(ChecksDocument, ListsExactlyTheCatalogueWithItsRequirementsAndFamilies) {
  const std::map<std::string, std::vector<CheckInfo>> families{{"protocol", protocol_checks()},
                                                               {"world", world_checks()},
                                                               {"accounting", accounting_checks()},
                                                               {"probes", probe_checks()}};
  std::map<std::string, std::string> family_of;
  for (const auto& [family, checks] : families)
    for (const auto& c : checks)
      family_of[c.id] = family;

  const auto rows = document_rows();
  const auto catalogue = check_catalogue();
  ASSERT_GE(rows.size(), 60u) << "the table of CHECKS.md was not read";
  std::multiset<std::string> documented, judged;
  for (const auto& r : rows)
    documented.insert(r.id);
  for (const auto& c : catalogue)
    judged.insert(c.id);
  EXPECT_EQ(documented, judged) << "a check documented but not judged, or judged but not documented";

  std::map<std::string, const Row*> by_id;
  for (const auto& r : rows)
    by_id[r.id] = &r;
  for (const auto& c : catalogue) {
    const auto it = by_id.find(c.id);
    if (it == by_id.end())
      continue;
    EXPECT_EQ(it->second->requirements, std::set<std::string>(c.requirements.begin(), c.requirements.end()))
        << c.id;
    EXPECT_EQ(it->second->family, family_of[c.id]) << c.id;
    EXPECT_FALSE(c.title.empty()) << c.id;
  }
}

TEST(ChecksDocument, EveryRequirementOfTheSpecificationIsJudgedBySomeCheck) {
  std::set<std::string> judged;
  for (const auto& c : check_catalogue())
    judged.insert(c.requirements.begin(), c.requirements.end());
  for (const auto& r : spec::builtin().requirements)
    EXPECT_TRUE(judged.count(r.id)) << r.id << " is judged by no oracle check";
}

} // namespace
} // namespace i1sim::conformance::checks_doc_test
