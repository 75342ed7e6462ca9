// End to end: expectations judged on a real run's results, the bill oracle's findings, and `i1sim run` failing
// with the expectation and the measured value when one does not hold.
#include "conformance/oracles/bill_oracle.hpp"
#include "conformance/oracles/checks.hpp"
#include "run/expectations.hpp"
#include "scenario/expectation.hpp"
#include "scenario/scenario.hpp"
#include "support/child.hpp"
#include "support/shared_run.hpp"
#include "support/text_edit.hpp"
#include "support/trace_file.hpp"
#include "trace/metrics.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace i1sim::test::expectations_test {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::ordered_json;

const std::string& converged_path() {
  static const std::string path = source_path("scenarios/converged-bill.yaml");
  return path;
}

const scenario::Scenario& converged_bill() {
  static const scenario::Scenario sc = scenario::load(converged_path());
  return sc;
}

struct Run {
  ChildResult child;
  Json results;
  std::vector<trace::Event> events;
};

/// converged-bill, seed 11, with the arguments tests/e2e/converged_bill_test.cpp uses, so the run is shared.
const Run& converged_run() {
  static const Run run = [] {
    Run r;
    const SharedRun shared = shared_run({converged_path(), "--iut", "ref", "--seed", "11"}, converged_path());
    r.child = shared.child;
    if (r.child.exit_code == 0) {
      r.results = Json::parse(slurp(shared.dir + "/results.json"));
      r.events = read_trace(shared.dir + "/events.jsonl");
    }
    return r;
  }();
  return run;
}

/// The run's results as `i1sim run` completes them: the events go through the observers attach_checks sets up,
/// then its hook adds the oracles' and the expectations' sections.
Json judged(const scenario::Scenario& sc, const std::vector<trace::Event>& events, const Json& results) {
  run::RunOptions options;
  const conformance::Checks checks = conformance::attach_checks(sc, options);
  for (const auto& e : events)
    for (auto* o : options.observers)
      o->on_event(e);
  Json out = results;
  out.erase("oracles"); // judged afresh from the events given, whatever the run wrote
  out.erase("expectations");
  options.complete(out);
  return out;
}

run::Outcome judge(const std::string& text, const Json& results) {
  return run::evaluate({scenario::parse_expectation(text)}, results).at(0);
}

class ConvergedBillExpectations : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(converged_run().child.exit_code, 0) << converged_run().child.err;
    ASSERT_FALSE(converged_run().events.empty());
  }
  static const std::vector<trace::Event>& events() { return converged_run().events; }
  // Judging the run's events afresh takes seconds (many under the sanitizers) and gives the same document in
  // every test process, so the first process to need it judges them and the others read its text.
  static const Json& results() {
    static const Json j = Json::parse(shared_text(
        "converged-bill-11-judged", [] { return judged(converged_bill(), events(), converged_run().results).dump(); }));
    return j;
  }
  static std::size_t count(const std::string& type) {
    std::size_t n = 0;
    for (const auto& e : events())
      n += e.type == type ? 1 : 0;
    return n;
  }
};

TEST_F(ConvergedBillExpectations, EveryCatalogueMetricIsMeasured) {
  for (const auto& m : scenario::metric_catalogue()) {
    std::vector<std::string> canonical;
    if (m.sample)
      for (const auto f : scenario::sample_functions())
        canonical.push_back(std::string(m.name) + "." + std::string(f));
    else
      canonical.emplace_back(m.name);
    for (const auto& name : canonical) {
      scenario::Expectation e;
      e.metric = name;
      const auto o = run::evaluate({e}, results()).at(0);
      EXPECT_TRUE(o.measured) << name << ": " << o.reason;
    }
  }
}

// A misspelt path would read 0 and pass `== 0` silently: everything but the fault counters (this run injects
// no fault; the unit tests check those) and a tester-fault counter must be found where the catalogue says.
TEST_F(ConvergedBillExpectations, EveryCatalogueEntryButTheAbsentCountersIsWhereItSays) {
  for (const auto& m : scenario::metric_catalogue()) {
    if (m.path.starts_with("/metrics/faults/") || m.name == "orders.unmatched_outcomes")
      continue;
    EXPECT_TRUE(results().contains(Json::json_pointer(std::string(m.path)))) << m.name << ": " << m.path;
  }
}

TEST_F(ConvergedBillExpectations, CountersAgreeWithTheTrace) {
  std::size_t i1_messages = 0, usage_records = 0, notifications = 0;
  std::int64_t total = 0, credits = 0;
  for (const auto& e : events()) {
    if (e.category == trace::Category::i1) {
      ++i1_messages;
      notifications += e.type == "i1.notification" ? 1 : 0;
      usage_records += e.type == "i1.notification" && e.data.value("name", "") == "UsageCreateEvent" ? 1 : 0;
    }
    if (e.type == "bill.issued") {
      total += e.data.at("total").get<std::int64_t>();
      credits += e.data.at("credits").get<std::int64_t>();
    }
  }
  const std::map<std::string, double> want{{"orders.submitted", static_cast<double>(count("order.submitted"))},
                                           {"orders.completed", static_cast<double>(count("product.active"))},
                                           {"orders.failed", static_cast<double>(count("product.failed"))},
                                           {"count(order_to_active)", static_cast<double>(count("product.active"))},
                                           {"i1.messages", static_cast<double>(i1_messages)},
                                           {"i1.notifications", static_cast<double>(notifications)},
                                           {"vms.placed", static_cast<double>(count("vm.placed"))},
                                           {"vms.booted", static_cast<double>(count("vm.booted"))},
                                           {"vms.failed", static_cast<double>(count("vm.failed"))},
                                           {"vms.destroyed", static_cast<double>(count("vm.destroyed"))},
                                           {"failures.hosts", static_cast<double>(count("host.down"))},
                                           {"failures.vms_down", static_cast<double>(count("vm.down"))},
                                           {"billing.bills", static_cast<double>(count("bill.issued"))},
                                           {"billing.usage_records", static_cast<double>(usage_records)},
                                           {"billing.total", static_cast<double>(total)},
                                           {"billing.credits", static_cast<double>(credits)},
                                           {"faults.injected", 0},
                                           {"channel.lost", 0}};
  for (const auto& [metric, value] : want) {
    const auto o = judge(metric + " == " + fmt::format("{:.0f}", value), results());
    EXPECT_TRUE(o.met) << metric << ": trace says " << value << ", results " << o.measured.value_or(-1);
  }
  EXPECT_GT(count("product.active"), 10u);
}

TEST_F(ConvergedBillExpectations, TheNinetiethPercentileLiesBetweenTheMedianAndTheNinetyFifth) {
  const auto p50 = judge("p50(order_to_active) > 0s", results()).measured;
  const auto p90 = judge("p90(order_to_active) > 0s", results()).measured;
  const auto p95 = judge("p95(order_to_active) > 0s", results()).measured;
  ASSERT_TRUE(p50 && p90 && p95);
  EXPECT_LE(*p50, *p90);
  EXPECT_LE(*p90, *p95);
}

TEST_F(ConvergedBillExpectations, TheOracleFindsEveryBillAndUsageRecordRight) {
  const Json& o = results().at("oracles");
  EXPECT_EQ(o["billing"]["discrepancy"], 0) << o.dump(2);
  EXPECT_EQ(o["billing"]["bills_expected"].get<std::size_t>(), count("bill.issued"));
  EXPECT_EQ(o["usage"]["discrepancy"], 0) << o.dump(2);
  EXPECT_GT(o["usage"]["records_delivered"].get<std::size_t>(), 100u);
  EXPECT_TRUE(judge("billing.discrepancy == 0", results()).met);
  EXPECT_TRUE(judge("usage.discrepancy == 0", results()).met);
}

TEST_F(ConvergedBillExpectations, TheOracleKeepsOnlyWhatItReads) {
  run::RunOptions options;
  const conformance::Checks checks = conformance::attach_checks(converged_bill(), options);
  ASSERT_TRUE(checks.billing);
  for (const auto& e : events())
    checks.billing->on_event(e);
  // What an event holds: its fields and, for an I1 message, the body it carries beside them.
  const auto text_of = [](const trace::Event& e) {
    return e.data.dump().size() + (e.body() ? e.body()->dump().size() : 0);
  };
  // What it keeps, written out as the trimmed events it stands for.
  const std::vector<trace::Event> kept = checks.billing->kept().events();
  ASSERT_EQ(kept.size(), checks.billing->kept().size());
  std::size_t bytes = 0;
  for (const auto& e : kept)
    bytes += text_of(e);
  std::size_t all = 0;
  for (const auto& e : events())
    all += text_of(e);
  EXPECT_LT(checks.billing->kept().size() * 5, events().size());
  EXPECT_LT(bytes * 50, all);
  // And what it holds in memory, the usage records included, is a small fraction of the run's text.
  const std::size_t held = checks.billing->kept().bytes() + checks.billing->usage().bytes();
  EXPECT_LT(held * 20, all) << held << " bytes held of " << all;
}

TEST_F(ConvergedBillExpectations, ABillTotalOneUnitOffIsADiscrepancyAndFailsTheExpectation) {
  auto tampered = events();
  std::string customer;
  int cycle = -1;
  for (auto& e : tampered)
    if (e.type == "bill.issued") {
      customer = e.data.at("customer").get<std::string>();
      cycle = e.data.at("cycle").get<int>();
      e.data["total"] = e.data["total"].get<std::int64_t>() + 1;
      break;
    }
  ASSERT_FALSE(customer.empty());
  const Json r = judged(converged_bill(), tampered, converged_run().results);
  const Json& billing = r["oracles"]["billing"];
  ASSERT_EQ(billing["discrepancy"], 1) << billing.dump(2);
  EXPECT_EQ(billing["differences"][0]["customer"], customer);
  EXPECT_EQ(billing["differences"][0]["cycle"], cycle);
  EXPECT_EQ(billing["differences"][0]["field"], "total");
  EXPECT_EQ(billing["differences"][0]["issued"].get<std::int64_t>(),
            billing["differences"][0]["expected"].get<std::int64_t>() + 1);
  const auto o = judge("billing.discrepancy == 0", r);
  EXPECT_FALSE(o.met);
  EXPECT_EQ(o.measured, 1);
}

// The Cloud and the oracle read the same catalogue, so a wrong price in the scenario would move both: the price
// the oracle believes is changed instead, which is what a Cloud charging the wrong price looks like to it.
TEST_F(ConvergedBillExpectations, ACloudChargingAnotherPriceIsADiscrepancyInBillsAndUsage) {
  const std::string text =
      replace_once(slurp(converged_path()), "rates: {vcpu_hour: 1.25,", "rates: {vcpu_hour: 1.35,");
  const scenario::Scenario dearer = scenario::load_from_string(text, "dearer.yaml");
  const Json r = judged(dearer, events(), converged_run().results);
  const Json& o = r["oracles"];
  EXPECT_GT(o["billing"]["discrepancy"].get<int>(), 0) << o.dump(2);
  EXPECT_GT(o["usage"]["discrepancy"].get<int>(), 0) << o.dump(2);
  bool cloud_field = false;
  for (const auto& d : o["billing"]["differences"])
    cloud_field = cloud_field || d["field"] == "cloud";
  EXPECT_TRUE(cloud_field) << o["billing"].dump(2);
  EXPECT_LE(o["billing"]["differences"].size(), conformance::BillingOracle::kListed);
  EXPECT_FALSE(judge("billing.discrepancy == 0", r).met);
}

TEST_F(ConvergedBillExpectations, AUsageRecordWithAnotherAmountIsAUsageDiscrepancy) {
  auto tampered = events();
  bool changed = false;
  for (auto& e : tampered)
    if (!changed && e.type == "i1.notification" && e.data.value("name", "") == "UsageCreateEvent") {
      nlohmann::json body = *e.body();
      auto& amount = body["event"]["usage"]["ratedProductUsage"][0]["taxExcludedRatingAmount"]["value"];
      amount = amount.get<std::int64_t>() + 7;
      e.set_body(std::move(body));
      changed = true;
    }
  ASSERT_TRUE(changed);
  const Json r = judged(converged_bill(), tampered, converged_run().results);
  EXPECT_GE(r["oracles"]["usage"]["discrepancy"].get<int>(), 1) << r["oracles"]["usage"].dump(2);
  EXPECT_FALSE(judge("usage.discrepancy == 0", r).met);
}

TEST_F(ConvergedBillExpectations, ATraceTheOracleCannotReadFailsTheExpectationWithTheReason) {
  auto tampered = events();
  for (auto& e : tampered)
    if (e.type == "order.submitted") {
      e.data.erase("customer");
      break;
    }
  const Json r = judged(converged_bill(), tampered, converged_run().results);
  ASSERT_TRUE(r["oracles"]["billing"].contains("error")) << r["oracles"].dump(2);
  const auto o = judge("billing.discrepancy == 0", r);
  EXPECT_FALSE(o.met);
  EXPECT_THAT(o.reason, HasSubstr("customer"));
}

TEST_F(ConvergedBillExpectations, TheExpectationsOfTheScenarioAreJudgedInTheHook) {
  scenario::Scenario sc = converged_bill();
  sc.expect.clear(); // the scenario's own are judged by the scenario library's tests
  for (const char* text : {"orders.failed == 0", "billing.discrepancy == 0", "p99(order_to_active) < 1h"}) {
    sc.expect.push_back(scenario::parse_expectation(text));
    sc.expect.back().line = static_cast<int>(sc.expect.size()) + 100;
  }
  const Json r = judged(sc, events(), converged_run().results);
  const Json& s = r.at("expectations");
  ASSERT_EQ(s["outcomes"].size(), 3u);
  EXPECT_EQ(s["outcomes"][0]["met"], count("product.failed") == 0);
  EXPECT_EQ(s["outcomes"][1]["met"], true);
  EXPECT_EQ(s["outcomes"][2]["met"], true);
  EXPECT_EQ(s["outcomes"][0]["line"], 101);
}

// The metrics of orders, changes, leaks and placements on the same run, and the same metrics from a tampered trace.

/// The metrics of `events` as a run would compute them, in a results-shaped object expectations can read.
Json metrics_of(const std::vector<trace::Event>& events) {
  trace::Metrics m;
  for (const auto& dc : converged_bill().platform.data_centres)
    m.set_jurisdiction(dc.name, dc.jurisdiction);
  for (const auto& e : events)
    m.on_event(e);
  return {{"metrics", m.to_json()}};
}

TEST_F(ConvergedBillExpectations, TheSavedTraceGivesTheMetricsOfTheLiveRun) {
  EXPECT_EQ(metrics_of(events())["metrics"], converged_run().results["metrics"]);
}

TEST_F(ConvergedBillExpectations, OrderChangeAndTesterCountersAgreeWithTheTrace) {
  std::set<std::string> cancelled;
  std::size_t jurisdiction = 0, disallowed = 0, replays_mismatched = 0;
  for (const auto& e : events()) {
    if (e.type == "order.cancelled" && e.data.value("state", "") == "cancelled")
      cancelled.insert(e.data.value("serviceOrder", ""));
    if (e.type == "product.failed" && e.data.value("reason", "").find("jurisdictionUnavailable") != std::string::npos)
      ++jurisdiction;
    disallowed += e.type == "service.placed" && !e.data.value("allowed", true) ? 1 : 0;
    replays_mismatched += e.type == "order.replayed" && !e.data.value("same", true) ? 1 : 0;
  }
  const std::map<std::string, std::size_t> want{
      {"orders.cancelled", cancelled.size()},
      {"orders.rejected_jurisdiction", jurisdiction},
      {"orders.retried", count("order.retried")},
      {"changes.modified", count("product.modified")},
      {"changes.terminated", count("product.terminated")},
      {"changes.refused",
       count("product.modify_failed") + count("product.terminate_failed") + count("product.change_refused")},
      {"tester.duplicate_notifications", count("notification.duplicate")},
      {"tester.requests_retried", count("request.retried") + count("order.retried")},
      {"tester.inventory_mismatches", count("inventory.mismatch")},
      {"tester.bill_mismatches", count("bill.mismatch")},
      {"tester.placements_disallowed", disallowed},
      {"tester.replays_mismatched", replays_mismatched},
      {"tester.usage_recovered", count("usage.recovered")}};
  for (const auto& [metric, value] : want) {
    const auto o = judge(fmt::format("{} == {}", metric, value), results());
    EXPECT_TRUE(o.met) << metric << ": trace says " << value << ", results " << o.measured.value_or(-1);
  }
  // The scenario is written to exercise them: CH customers have no data centre, changes and cancellations happen.
  EXPECT_GT(jurisdiction, 0u);
  EXPECT_GT(cancelled.size(), 0u);
  EXPECT_GT(count("product.modified"), 0u);
  EXPECT_GT(count("product.terminated"), 0u);
  EXPECT_TRUE(judge("orders.failed >= orders.rejected_jurisdiction", results()).met);
}

TEST_F(ConvergedBillExpectations, TheReferenceCloudLeaksNoVmAndPlacesNoServiceUnlawfully) {
  for (const char* text : {"vms.leaked == 0", "vms.unattributed == 0", "placement.violations == 0"}) {
    const auto o = judge(text, results());
    EXPECT_TRUE(o.met) << text << ": measured " << o.measured.value_or(-1) << " " << o.reason;
  }
  // Every service that got a VM was judged: as many as the distinct owners of placed VMs.
  std::set<std::string> owners;
  for (const auto& e : events())
    if (e.type == "vm.placed")
      owners.insert(e.data.value("owner", ""));
  EXPECT_GT(owners.size(), 50u);
  EXPECT_EQ(judge("placement.checked > 0", results()).measured, static_cast<double>(owners.size()));
}

/// The services of products the Telecom side terminated.
std::set<std::string> services_of_terminated(const std::vector<trace::Event>& events) {
  std::set<std::string> terminated, services;
  for (const auto& e : events)
    if (e.type == "product.terminated")
      terminated.insert(e.data.value("productOrder", ""));
  for (const auto& e : events)
    if (e.type == "service.ordered" && terminated.count(e.data.value("productOrder", "")))
      services.insert(e.data.value("service", ""));
  return services;
}

TEST_F(ConvergedBillExpectations, AVmOfATerminatedProductWhoseDestructionIsMissingIsALeak) {
  const auto services = services_of_terminated(events());
  ASSERT_FALSE(services.empty());
  auto tampered = events();
  const auto destroyed = std::find_if(tampered.begin(), tampered.end(), [&](const trace::Event& e) {
    return e.type == "vm.destroyed" && services.count(e.data.value("owner", ""));
  });
  ASSERT_NE(destroyed, tampered.end());
  tampered.erase(destroyed);
  const Json r = metrics_of(tampered);
  const auto o = judge("vms.leaked == 0", r);
  EXPECT_FALSE(o.met);
  EXPECT_EQ(o.measured, 1);
  EXPECT_EQ(judge("vms.unattributed == 0", r).measured, 0);
}

TEST_F(ConvergedBillExpectations, AVmMovedIntoAJurisdictionItsCustomerForbidsIsAViolation) {
  std::map<std::string, std::vector<std::string>> allowed; // customer -> jurisdictions, as created over I1
  std::map<std::string, std::string> customer_of;          // service -> customer
  for (const auto& e : events()) {
    if (e.type == "i1.request" && e.data.value("name", "") == "createCustomer")
      allowed[e.body()->at("id").get<std::string>()] =
          e.body()->at("allowedJurisdiction").get<std::vector<std::string>>();
    if (e.type == "service.ordered")
      customer_of[e.data.value("service", "")] = e.data.value("customer", "");
  }
  const std::map<std::string, std::string> dcs{{"dc-paris", "FR"}, {"dc-frankfurt", "DE"}};
  auto tampered = events();
  std::string moved;
  for (auto& e : tampered) {
    if (e.type != "vm.placed" || !customer_of.count(e.data.value("owner", "")))
      continue;
    const auto& codes = allowed.at(customer_of.at(e.data.value("owner", "")));
    for (const auto& [dc, jurisdiction] : dcs)
      if (std::find(codes.begin(), codes.end(), jurisdiction) == codes.end()) {
        e.data["dc"] = dc;
        moved = e.data.value("owner", "");
        break;
      }
    if (!moved.empty())
      break;
  }
  ASSERT_FALSE(moved.empty());
  const auto o = judge("placement.violations == 0", metrics_of(tampered));
  EXPECT_FALSE(o.met);
  EXPECT_EQ(o.measured, 1) << "only " << moved << " was moved";
}

// `i1sim run` with expectations in the scenario file.

struct CliRun {
  ChildResult child;
  std::string scenario;
  std::string text;
  Json results;
};

/// `text` without its top-level `expect:` section, if it has one.
std::string without_expect(std::string text) {
  const auto from = text.find("\nexpect:");
  if (from == std::string::npos)
    return text;
  auto to = from + 1;
  do // to the next line that starts another top-level key
    to = text.find('\n', to) + 1;
  while (to != 0 && to < text.size() && (text[to] == ' ' || text[to] == '-' || text[to] == '#' || text[to] == '\n'));
  text.erase(from + 1, to == 0 ? std::string::npos : to - from - 1);
  return text;
}

/// activation-basic with `expect_block` instead of its own expectations, run by the i1sim executable.
CliRun run_with(const std::string& name, const std::string& expect_block) {
  CliRun r;
  const std::string dir = fresh_dir(name);
  r.scenario = dir + "/scenario.yaml";
  r.text = without_expect(slurp(source_path("scenarios/activation-basic.yaml"))) + "\n" + expect_block;
  std::ofstream(r.scenario) << r.text;
  r.child = run_child({i1sim_binary(), "run", r.scenario, "--out", dir + "/out"}, 300);
  const std::string results = slurp(dir + "/out/results.json");
  if (!results.empty())
    r.results = Json::parse(results);
  return r;
}

TEST(ExpectationsCli, AFailedExpectationExitsOneNamingItItsLineAndTheMeasuredValue) {
  const CliRun r = run_with("expect-fail", "expect:\n"
                                           "  - orders.failed == 0\n"
                                           "  - p99(order_to_active) < 1ms\n"
                                           "  - orders.submitted == 200\n");
  ASSERT_EQ(r.child.exit_code, 1) << r.child.err;
  ASSERT_TRUE(r.results.contains("metrics")) << r.child.err;
  const double p99 = r.results["metrics"]["order_to_active_s"]["p99"].get<double>();
  const std::string want = fmt::format("expectation failed: p99(order_to_active) < 1ms ({}:{}): measured {}",
                                       r.scenario, line_of(r.text, "p99(order_to_active) < 1ms"),
                                       scenario::format_value(scenario::MetricKind::duration, p99));
  EXPECT_THAT(r.child.err, HasSubstr(want));
  EXPECT_THAT(r.child.err, ::testing::Not(HasSubstr("orders.submitted == 200")));
  ASSERT_TRUE(r.results.contains("expectations"));
  EXPECT_EQ(r.results["expectations"]["failed"], 1);
  EXPECT_EQ(r.results["expectations"]["met"], 2);
}

TEST(ExpectationsCli, ARunWhoseExpectationsAllHoldExitsZero) {
  const CliRun r = run_with("expect-pass", "expect:\n"
                                           "  - orders.failed == 0\n"
                                           "  - p99(order_to_active) < 10min\n"
                                           "  - channel.lost == 0\n");
  EXPECT_EQ(r.child.exit_code, 0) << r.child.err;
  EXPECT_THAT(r.child.err, ::testing::Not(HasSubstr("expectation failed")));
  EXPECT_EQ(r.results["expectations"]["met"], 3);
}

TEST(ExpectationsCli, AComparisonOfTwoMetricsReportsBothMeasuredValues) {
  const CliRun r = run_with("expect-rhs", "expect:\n"
                                          "  - vms.destroyed == vms.booted\n"
                                          "  - count(order_to_active) == orders.completed\n"
                                          "  - orders.failed == orders.rejected_jurisdiction\n");
  ASSERT_EQ(r.child.exit_code, 1) << r.child.err;
  const Json& vms = r.results["metrics"]["vms"];
  ASSERT_GT(vms["booted"].get<int>(), 0);
  EXPECT_THAT(r.child.err, HasSubstr(fmt::format("expectation failed: vms.destroyed == vms.booted ({}:{}): measured "
                                                 "{} vs {}",
                                                 r.scenario, line_of(r.text, "vms.destroyed == vms.booted"),
                                                 vms["destroyed"].get<int>(), vms["booted"].get<int>())));
  const Json& s = r.results["expectations"];
  EXPECT_EQ(s["met"], 2);
  EXPECT_EQ(s["outcomes"][0]["rhs_metric"], "vms.booted");
  EXPECT_EQ(s["outcomes"][0]["rhs_measured"], vms["booted"]);
}

TEST(ExpectationsCli, AComparisonOfACountWithADurationIsAnInputErrorAtTheRightSide) {
  const std::string written = "p99(order_to_active) < orders.failed";
  const CliRun r = run_with("expect-kinds", "expect:\n  - " + written + "\n");
  EXPECT_EQ(r.child.exit_code, 2) << r.child.err;
  const int column = 5 + static_cast<int>(written.find("orders.failed"));
  EXPECT_THAT(r.child.err, HasSubstr(fmt::format("{}:{}:{}:", r.scenario, line_of(r.text, written), column)));
  EXPECT_THAT(r.child.err, HasSubstr("same kind"));
  EXPECT_FALSE(r.results.contains("metrics"));
}

TEST(ExpectationsCli, AMalformedExpectationIsAnInputErrorAtItsCharacter) {
  const CliRun r = run_with("expect-bad", "expect:\n"
                                          "  - orders.faild == 0\n");
  EXPECT_EQ(r.child.exit_code, 2) << r.child.err;
  const int line = line_of(r.text, "orders.faild");
  EXPECT_THAT(r.child.err, HasSubstr(fmt::format("{}:{}:5:", r.scenario, line)));
  EXPECT_THAT(r.child.err, HasSubstr("orders.failed"));
  EXPECT_FALSE(r.results.contains("metrics"));
}

} // namespace
} // namespace i1sim::test::expectations_test
