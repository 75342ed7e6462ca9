// Unit tests of the scenario loader (sim/scenario/scenario.hpp): the shipped scenario and broken variants of it.
#include "scenario/scenario.hpp"
#include "support/text_edit.hpp"

#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace i1sim::scenario::scenario_test {
namespace {

using test::line_of;
using test::replace_once;

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kShipped = I1SIM_SOURCE_DIR "/scenarios/activation-basic.yaml";
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

std::string read_shipped() {
  std::ifstream in(kShipped, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The 1-based column at which `needle` starts on the first line of `text` that contains `line_needle`.
int column_of(const std::string& text, const std::string& line_needle, const std::string& needle) {
  const auto line_at = text.find(line_needle);
  if (line_at == std::string::npos)
    return 0;
  const auto line_start = text.rfind('\n', line_at) == std::string::npos ? 0 : text.rfind('\n', line_at) + 1;
  const auto at = text.find(needle, line_start);
  if (at == std::string::npos)
    return 0;
  return static_cast<int>(at - line_start) + 1;
}

// The ScenarioError raised by loading `text`, or nothing when it loads.
std::optional<ScenarioError> error_of(const std::string& text) {
  try {
    load_from_string(text, "broken.yaml");
  } catch (const ScenarioError& e) {
    return e;
  }
  return std::nullopt;
}

class ShippedScenario : public ::testing::Test {
protected:
  void SetUp() override {
    text_ = read_shipped();
    ASSERT_FALSE(text_.empty()) << kShipped << " could not be read";
  }
  std::string text_;
};

TEST_F(ShippedScenario, LoadsWithEveryUnitResolved) {
  const Scenario sc = load(kShipped);
  EXPECT_EQ(sc.file, kShipped);
  EXPECT_EQ(sc.name, "activation-basic");
  EXPECT_EQ(sc.seed, 1u);
  EXPECT_EQ(sc.workload.orders, 200);
  EXPECT_EQ(sc.workload.arrival, ArrivalProcess::poisson);
  EXPECT_DOUBLE_EQ(sc.workload.rate, 1.0);
  ASSERT_EQ(sc.workload.mix.size(), 2u);
  EXPECT_EQ(sc.workload.mix[0].product, "office-bundle");
  EXPECT_DOUBLE_EQ(sc.workload.mix[0].weight, 3.0);
  EXPECT_EQ(sc.customers.count, 150);
  EXPECT_DOUBLE_EQ(sc.stop.max_time, 7200.0);
  EXPECT_DOUBLE_EQ(sc.cloud_oss.service_time, 0.002);

  EXPECT_EQ(sc.platform.operator_site.name, "operator");
  EXPECT_EQ(sc.platform.cloud_site.name, "cloud");
  EXPECT_DOUBLE_EQ(sc.platform.cloud_site.host_speed, 10e9);
  EXPECT_DOUBLE_EQ(sc.platform.cloud_site.lan_bandwidth, 10e9 / 8);
  EXPECT_DOUBLE_EQ(sc.platform.cloud_site.lan_latency, 100e-6);

  ASSERT_EQ(sc.platform.wan.size(), 2u);
  EXPECT_EQ(sc.platform.wan[0].a, "operator");
  EXPECT_EQ(sc.platform.wan[0].b, "cloud");
  EXPECT_DOUBLE_EQ(sc.platform.wan[0].latency, 0.01);
  EXPECT_DOUBLE_EQ(sc.platform.wan[0].bandwidth, 1e9 / 8);
  EXPECT_DOUBLE_EQ(sc.platform.wan[1].latency, 0.001);

  ASSERT_EQ(sc.platform.data_centres.size(), 1u);
  const DataCentre& dc = sc.platform.data_centres[0];
  EXPECT_EQ(dc.name, "dc-paris");
  EXPECT_EQ(dc.jurisdiction, "FR");
  EXPECT_DOUBLE_EQ(dc.nic_latency, 2e-6);
  EXPECT_DOUBLE_EQ(dc.fabric_bandwidth, 40e9 / 8);
  EXPECT_DOUBLE_EQ(dc.store_bandwidth, 20e9 / 8);
  ASSERT_EQ(dc.host_classes.size(), 2u);
  EXPECT_EQ(dc.host_classes[0].name, "std");
  EXPECT_EQ(dc.host_classes[0].count, 40);
  EXPECT_EQ(dc.host_classes[0].cores, 32);
  EXPECT_DOUBLE_EQ(dc.host_classes[0].speed, 3e9);
  EXPECT_DOUBLE_EQ(dc.host_classes[0].ram, 256 * kGiB);
  EXPECT_DOUBLE_EQ(dc.host_classes[0].disk, 4 * 1024 * kGiB);

  ASSERT_EQ(sc.catalogue.cloud_services.size(), 2u);
  const CloudServiceSpec* small = sc.catalogue.find_cloud_service("vm-small");
  ASSERT_NE(small, nullptr);
  EXPECT_EQ(small->vcpu, 2);
  EXPECT_EQ(small->instances, 1);
  EXPECT_DOUBLE_EQ(small->ram, 4 * kGiB);
  EXPECT_DOUBLE_EQ(small->storage, 40 * kGiB);
  EXPECT_DOUBLE_EQ(small->image_size, 2 * kGiB);
  EXPECT_DOUBLE_EQ(small->boot_work, 60e9);
  EXPECT_DOUBLE_EQ(small->min_core_speed, 2.5e9);
  EXPECT_DOUBLE_EQ(small->max_activation_time, 600.0);
  ASSERT_EQ(sc.catalogue.products.size(), 2u);
  const Product* studio = sc.catalogue.find_product("studio-bundle");
  ASSERT_NE(studio, nullptr);
  EXPECT_EQ(studio->cloud_services, std::vector<std::string>{"vm-fast"});
  EXPECT_EQ(studio->telecom_services, std::vector<std::string>{"fibre-10g"});
  EXPECT_EQ(sc.catalogue.find_product("no-such-product"), nullptr);
}

TEST_F(ShippedScenario, LoadsTheSameFromStringAsFromTheFile) {
  const Scenario a = load(kShipped);
  const Scenario b = load_from_string(text_, "in-memory.yaml");
  EXPECT_EQ(b.file, "in-memory.yaml");
  EXPECT_EQ(a.workload.orders, b.workload.orders);
  EXPECT_EQ(a.catalogue.cloud_services.size(), b.catalogue.cloud_services.size());
}

TEST_F(ShippedScenario, RejectsAnUnknownTopLevelKeyAtItsLine) {
  const std::string broken = replace_once(text_, "seed: 1\n", "seed: 1\nbogus_key: 3\n");
  const auto e = error_of(broken);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->file(), "broken.yaml");
  EXPECT_EQ(e->line(), line_of(broken, "bogus_key: 3"));
  EXPECT_EQ(e->column(), 1);
  EXPECT_THAT(e->message(), HasSubstr("unknown key 'bogus_key'"));
  EXPECT_THAT(e->message(), Not(StartsWith(":"))); // a top-level key has no path to put before it
  EXPECT_THAT(std::string(e->what()), HasSubstr("broken.yaml:" + std::to_string(e->line()) + ":1: "));
}

TEST_F(ShippedScenario, RejectsAnUnknownKeyInsideADataCentreAndNamesItsPath) {
  const std::string broken =
      replace_once(text_, "      jurisdiction: FR\n", "      jurisdiction: FR\n      owner: acme\n");
  const auto e = error_of(broken);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->line(), line_of(broken, "owner: acme"));
  EXPECT_EQ(e->column(), column_of(broken, "owner: acme", "owner"));
  EXPECT_THAT(e->message(), HasSubstr("platform.data_centres[0]"));
  EXPECT_THAT(e->message(), HasSubstr("unknown key 'owner'"));
}

TEST_F(ShippedScenario, RejectsABadUnitAtTheValue) {
  const std::string broken = replace_once(text_, "      ram: 4GiB\n", "      ram: 4 GiGs\n");
  const auto e = error_of(broken);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->line(), line_of(broken, "ram: 4 GiGs"));
  EXPECT_EQ(e->column(), column_of(broken, "ram: 4 GiGs", "4 GiGs"));
  EXPECT_THAT(e->message(), HasSubstr("catalogue.cloud_services[0].ram"));
  EXPECT_THAT(e->message(), HasSubstr("GiGs"));
}

TEST_F(ShippedScenario, RejectsAQuantityWithoutAUnit) {
  const std::string broken = replace_once(text_, "bandwidth: 1Gbps, latency: 10ms}", "bandwidth: 1Gbps, latency: 10}");
  const auto e = error_of(broken);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->line(), line_of(broken, "latency: 10}"));
  EXPECT_EQ(e->column(), column_of(broken, "latency: 10}", "10}"));
  EXPECT_THAT(e->message(), HasSubstr("platform.wan[0].latency"));
  EXPECT_THAT(e->message(), HasSubstr("unit"));
}

TEST_F(ShippedScenario, RejectsADuplicateKeyThatYamlParsersWouldKeepSilently) {
  const std::string broken = replace_once(text_, "seed: 1\n", "seed: 1\nseed: 2\n");
  const auto e = error_of(broken);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->line(), line_of(broken, "seed: 2"));
  EXPECT_THAT(e->message(), HasSubstr("duplicate key 'seed'"));
}

TEST_F(ShippedScenario, RejectsARequiredKeyWithoutAValueAtThatKey) {
  const std::string broken = replace_once(text_, "  max_time: 2h", "  max_time:");
  const auto e = error_of(broken);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->line(), line_of(broken, "  max_time:"));
  EXPECT_THAT(e->message(), HasSubstr("stop.max_time: has no value"));
}

TEST_F(ShippedScenario, RejectsAMappingWhereASingleValueBelongs) {
  const std::string broken = replace_once(text_, "rate: 1/s}", "rate: {per: s}}");
  const auto e = error_of(broken);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->line(), line_of(broken, "rate: {per: s}}"));
  EXPECT_THAT(e->message(), HasSubstr("workload.arrival.rate: expected a single value, not a mapping"));
}

TEST_F(ShippedScenario, RejectsAHostClassWithZeroHosts) {
  const std::string broken = replace_once(text_, "{name: std, count: 40,", "{name: std, count: 0,");
  const auto e = error_of(broken);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->line(), line_of(broken, "{name: std, count: 0,"));
  EXPECT_EQ(e->column(), column_of(broken, "{name: std, count: 0,", "0,"));
  EXPECT_THAT(e->message(), HasSubstr("platform.data_centres[0].hosts[0].count"));
}

TEST_F(ShippedScenario, RejectsAProductNamingAnUnknownCloudService) {
  const std::string broken = replace_once(text_, "cloud_services: [vm-fast]", "cloud_services: [vm-huge]");
  const auto e = error_of(broken);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->line(), line_of(broken, "[vm-huge]"));
  EXPECT_EQ(e->column(), column_of(broken, "[vm-huge]", "vm-huge"));
  EXPECT_THAT(e->message(), HasSubstr("catalogue.products[1].cloud_services[0]"));
  EXPECT_THAT(e->message(), HasSubstr("'vm-huge'"));
}

TEST_F(ShippedScenario, RejectsAWorkloadMixNamingAnUnknownProduct) {
  const std::string broken =
      replace_once(text_, "{product: studio-bundle, weight: 1}", "{product: home-bundle, weight: 1}");
  const auto e = error_of(broken);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->line(), line_of(broken, "{product: home-bundle"));
  EXPECT_EQ(e->column(), column_of(broken, "{product: home-bundle", "home-bundle"));
  EXPECT_THAT(e->message(), HasSubstr("workload.mix[1].product"));
  EXPECT_THAT(e->message(), HasSubstr("'home-bundle'"));
}

TEST_F(ShippedScenario, RejectsADuplicateDataCentreName) {
  const std::string second_dc = "    - name: dc-paris\n"
                                "      jurisdiction: DE\n"
                                "      network: {nic_bandwidth: 10Gbps, fabric_bandwidth: 40Gbps}\n"
                                "      hosts:\n"
                                "        - {name: std, count: 4, cores: 8, speed: 3Gf, ram: 64GiB, disk: 1TiB}\n";
  const std::string broken = replace_once(text_, "  wan:\n", second_dc + "  wan:\n");
  const auto e = error_of(broken);
  ASSERT_TRUE(e.has_value());
  // The second definition is the offending one: the line before "jurisdiction: DE".
  const int second_line = line_of(broken, "      jurisdiction: DE") - 1;
  EXPECT_EQ(e->line(), second_line);
  EXPECT_EQ(e->column(), static_cast<int>(std::string("    - name: ").size()) + 1);
  EXPECT_THAT(e->message(), HasSubstr("platform.data_centres[1].name"));
  EXPECT_THAT(e->message(), HasSubstr("'dc-paris'"));
}

TEST_F(ShippedScenario, RejectsAPlatformWithoutAWanLinkBetweenCloudAndADataCentre) {
  const std::string broken =
      replace_once(text_, "    - {between: [cloud, dc-paris], bandwidth: 10Gbps, latency: 1ms}\n", "");
  const auto e = error_of(broken);
  ASSERT_TRUE(e.has_value());
  // Reported at the wan list, which now starts with the operator-cloud link.
  EXPECT_EQ(e->line(), line_of(broken, "{between: [operator, cloud]"));
  EXPECT_THAT(e->message(), HasSubstr("platform.wan"));
  EXPECT_THAT(e->message(), HasSubstr("'cloud'"));
  EXPECT_THAT(e->message(), HasSubstr("'dc-paris'"));
}

TEST_F(ShippedScenario, RejectsInvalidYamlWithALine) {
  const std::string broken = replace_once(text_, "telecom_services: [fibre-1g]\n", "telecom_services: [fibre-1g\n");
  const auto e = error_of(broken);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->file(), "broken.yaml");
  // A parser can only notice an unclosed bracket at or after the line that opens it.
  EXPECT_GE(e->line(), line_of(broken, "[fibre-1g"));
  EXPECT_LE(e->line(), line_of(broken, "stop:") + 2);
  EXPECT_GT(e->column(), 0);
  EXPECT_FALSE(e->message().empty());
}

TEST(Scenario, ReportsAFileThatCannotBeRead) {
  const std::string path = I1SIM_SOURCE_DIR "/scenarios/no-such-scenario.yaml";
  try {
    load(path);
    FAIL() << "loading a missing file succeeded";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_THAT(std::string(e.what()), HasSubstr(path));
    EXPECT_FALSE(e.message().empty());
  }
}

TEST(Scenario, RejectsADocumentThatIsNotAMapping) {
  const auto e = error_of("- just\n- a list\n");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->line(), 1);
}

// Found by fuzzing: a trace that names a device was read for ever. Only a regular file is read.
TEST(Scenario, RefusesATraceThatIsNotARegularFileWithoutReadingIt) {
  for (const std::string target : {"/dev/zero", "/tmp"}) {
    const std::string text = "workload:\n  arrival: {process: trace, file: " + target + "}\n";
    try {
      load_from_string(text, "broken.yaml");
      FAIL() << target << " was accepted as a trace";
    } catch (const ScenarioErrors& e) {
      bool found = false;
      for (const auto& error : e.errors())
        if (error.message().find("'" + target + "' is not a regular file") != std::string::npos) {
          found = true;
          EXPECT_EQ(error.line(), 2);
          EXPECT_EQ(error.column(), 35);
        }
      EXPECT_TRUE(found) << e.what();
    }
  }
}

TEST(Scenario, ErrorWhatIsFileLineColumnMessage) {
  const ScenarioError e("x.yaml", 12, 7, "something is wrong");
  EXPECT_EQ(std::string(e.what()), "x.yaml:12:7: something is wrong");
  EXPECT_EQ(e.file(), "x.yaml");
  EXPECT_EQ(e.line(), 12);
  EXPECT_EQ(e.column(), 7);
  EXPECT_EQ(e.message(), "something is wrong");
}

} // namespace
} // namespace i1sim::scenario::scenario_test
