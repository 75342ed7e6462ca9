// Unit tests of the scenario keys for billing, SLAs, failures, changes, the Telecom side and the I1 profile:
// the shipped converged-bill scenario, and broken variants of it each refused at the right line.
#include "scenario/scenario.hpp"
#include "support/text_edit.hpp"

#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <optional>
#include <sstream>
#include <string>

namespace i1sim::scenario::scenario_billing_test {
namespace {

using test::line_of;
using test::replace_once;

using ::testing::HasSubstr;

const std::string kShipped = I1SIM_SOURCE_DIR "/scenarios/converged-bill.yaml";

std::string read_shipped() {
  std::ifstream in(kShipped, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<ScenarioError> error_of(const std::string& text) {
  try {
    load_from_string(text, "broken.yaml");
  } catch (const ScenarioError& e) {
    return e;
  }
  return std::nullopt;
}

TEST(ConvergedBillScenario, LoadsPricesAndObjectivesExactly) {
  const Scenario sc = load(kShipped);
  const CloudServiceSpec* small = sc.catalogue.find_cloud_service("vm-small");
  ASSERT_NE(small, nullptr);
  // 1.25 cents per vCPU-hour is 1,250,000 millionths of a cent; 0.0055 is 5,500.
  EXPECT_EQ(small->rates.vcpu_hour, 1'250'000);
  EXPECT_EQ(small->rates.ram_gib_hour, 350'000);
  EXPECT_EQ(small->rates.storage_gib_hour, 5'500);
  EXPECT_EQ(small->sla.availability_millipercent, 99'500);
  EXPECT_EQ(small->sla.credit_percent, 10);
  ASSERT_NE(sc.catalogue.find_telecom_service("fibre-10g"), nullptr);
  EXPECT_EQ(sc.catalogue.find_telecom_service("fibre-10g")->fee, 7999);
  EXPECT_EQ(sc.billing.currency, "EUR");
  EXPECT_DOUBLE_EQ(sc.billing.cycle, 10 * 86400.0);
  EXPECT_EQ(sc.billing.cycles, 2);
  EXPECT_DOUBLE_EQ(sc.stop.max_time, 20 * 86400.0); // a billed run lasts its cycles
  ASSERT_EQ(sc.failures.size(), 1u);
  EXPECT_EQ(sc.failures[0].dc, "dc-paris");
  EXPECT_DOUBLE_EQ(sc.failures[0].mtbf, 8 * 86400.0);
  EXPECT_DOUBLE_EQ(sc.failures[0].repair, 3 * 3600.0);
  EXPECT_DOUBLE_EQ(sc.workload.modify.share, 0.3);
  EXPECT_EQ(sc.workload.modify.instances, 3);
  EXPECT_DOUBLE_EQ(sc.workload.terminate.after_max, 12 * 86400.0);
  ASSERT_EQ(sc.customers.jurisdictions.size(), 4u);
  EXPECT_EQ(sc.customers.jurisdictions[1].allowed, (std::vector<std::string>{"FR", "DE"}));
  EXPECT_DOUBLE_EQ(sc.telecom.measurement_granularity, 86400.0);
  EXPECT_DOUBLE_EQ(sc.telecom.resend_share, 0.1);
  EXPECT_EQ(sc.i1.profile, "Q");
  ASSERT_EQ(sc.i1.timers.size(), 1u);
  EXPECT_EQ(sc.i1.timers[0].first, "T_usage_period");
  EXPECT_DOUBLE_EQ(sc.i1.timers[0].second, 6 * 3600.0);
}

struct Broken {
  const char* name;
  const char* from;
  const char* to;
  const char* at_line_of; // the line the error must point at, found in the edited text
  const char* message;
};

class BrokenConvergedBill : public ::testing::TestWithParam<Broken> {};

TEST_P(BrokenConvergedBill, IsRefusedAtTheRightLine) {
  const Broken& b = GetParam();
  const std::string text = replace_once(read_shipped(), b.from, b.to);
  const auto e = error_of(text);
  ASSERT_TRUE(e.has_value()) << b.name << ": loaded without an error";
  EXPECT_EQ(e->line(), line_of(text, b.at_line_of)) << e->what();
  EXPECT_THAT(e->message(), HasSubstr(b.message));
}

INSTANTIATE_TEST_SUITE_P(
    Keys, BrokenConvergedBill,
    ::testing::Values(
        Broken{"RateWithTooManyDecimals", "vcpu_hour: 1.25,", "vcpu_hour: 1.2500001,", "1.2500001",
               "has more than 6 decimals"},
        Broken{"RateNotADecimal", "ram_gib_hour: 0.35,", "ram_gib_hour: 35c,", "35c", "is not a decimal number"},
        Broken{"AvailabilityAboveAHundred", "availability: 99.5%", "availability: 100.5%", "100.5%", "at most 100%"},
        Broken{"AvailabilityWithoutPercentSign", "availability: 99.5%", "availability: 99.5", "availability: 99.5",
               "must end with '%'"},
        Broken{"CreditAboveAHundred", "credit: 25%", "credit: 125%", "125%", "at most 100%"},
        Broken{"UnknownTelecomService", "telecom_services: [fibre-1g, mobile-5g]",
               "telecom_services: [fibre-1g, mobile-6g]", "mobile-6g", "unknown telecom service 'mobile-6g'"},
        Broken{"BadJurisdictionCode", "{allowed: [CH], weight: 1}", "{allowed: [Swiss], weight: 1}", "Swiss",
               "not an ISO 3166-1 alpha-2"},
        Broken{"FailuresOfAnUnknownDataCentre", "{dc: dc-paris, mtbf: 8d", "{dc: dc-lyon, mtbf: 8d", "dc-lyon",
               "unknown data centre 'dc-lyon'"},
        Broken{"BillCycleTooShort", "cycle: 10d", "cycle: 30min", "cycle: 30min", "at least 1h"},
        Broken{"StopBesideBilling", "billing:\n", "stop: {max_time: 1d}\nbilling:\n", "stop:", "leave stop out"},
        Broken{"UnknownTimer", "{T_usage_period: 6h}", "{T_usage_periode: 6h}", "T_usage_periode",
               "no timer 'T_usage_periode'"},
        Broken{"UnknownProfile", "profile: Q", "profile: Z", "profile: Z", "unknown profile 'Z'"},
        Broken{"SeveralOperatorsInQ", "profile: Q", "profile: Q\n  operators: [a, b]",
               "operators:", "only in the X profile"},
        Broken{"ShareAboveOne", "resend_share: 0.1", "resend_share: 1.5", "resend_share", "a share is at most 1"},
        Broken{"UnknownGranularity", "measurement_granularity: 24h", "measurement_granularity: 2h",
               "measurement_granularity", "15min, 30min, 1h and 24h"},
        Broken{"ChangeWindowReversed", "after: [1d, 8d]", "after: [8d, 1d]", "after: [8d, 1d]",
               "max is less than min"}),
    [](const ::testing::TestParamInfo<Broken>& p) { return std::string(p.param.name); });

} // namespace
} // namespace i1sim::scenario::scenario_billing_test
