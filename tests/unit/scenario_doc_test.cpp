// The scenario format document lists exactly the metrics an expectation may name, as the catalogue has them.
#include "scenario/expectation.hpp"
#include "support/text_edit.hpp"

#include <gtest/gtest.h>
#include <string>

namespace i1sim::scenario::scenario_doc_test {
namespace {

constexpr const char* kBegin = "<!-- metrics:begin (tests/unit/scenario_doc_test.cpp keeps this in step) -->\n";
constexpr const char* kEnd = "<!-- metrics:end -->";

TEST(ScenarioDoc, MetricTableMatchesTheCatalogue) {
  const std::string readme = test::read_file(std::string(I1SIM_SOURCE_DIR) + "/scenarios/README.md");
  const auto begin = readme.find(kBegin);
  const auto end = readme.find(kEnd);
  ASSERT_NE(begin, std::string::npos) << "scenarios/README.md has no metric table marker";
  ASSERT_NE(end, std::string::npos);
  const std::string table = readme.substr(begin + std::char_traits<char>::length(kBegin),
                                          end - begin - std::char_traits<char>::length(kBegin));
  EXPECT_EQ(table, metric_table_markdown()) << "paste this table between the markers:\n" << metric_table_markdown();
}

TEST(ScenarioDoc, EveryCatalogueMetricIsNamedInTheTable) {
  const std::string table = metric_table_markdown();
  for (const auto& m : metric_catalogue())
    EXPECT_NE(table.find(std::string(m.name)), std::string::npos) << m.name;
}

} // namespace
} // namespace i1sim::scenario::scenario_doc_test
