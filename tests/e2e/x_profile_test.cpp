// End to end: the X profile. Two operators share the reference Cloud BSS/OSS (scenarios/x-profile-two-operators.yaml):
// every request is authenticated, each operator hears only about its own customers, every message follows the
// specification, and every converged bill reconciles with the ground truth.
#include "i1/spec.hpp"
#include "i1/validator.hpp"
#include "scenario/scenario.hpp"
#include "support/bill_oracle.hpp"
#include "support/child.hpp"
#include "support/shared_run.hpp"
#include "support/trace_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace i1sim::test::x_profile_test {
namespace {

struct XRun {
  ChildResult child;
  std::vector<trace::Event> events;
};

const XRun& x_run() {
  static const XRun run = [] {
    XRun r;
    const std::string scenario = source_path("scenarios/x-profile-two-operators.yaml");
    const SharedRun shared = shared_run({scenario, "--iut", "ref"}, scenario);
    r.child = shared.child;
    if (r.child.exit_code == 0)
      r.events = read_trace(shared.dir + "/events.jsonl");
    return r;
  }();
  return run;
}

class XProfile : public testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(x_run().child.exit_code, 0) << x_run().child.err;
    ASSERT_FALSE(x_run().events.empty());
  }
};

std::string text(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// Every customer and service id a notification body names: related parties with the role customer, and the
// ids of `service` and `alarmedObject` references.
void named(const nlohmann::json& j, std::set<std::string>& customers, std::set<std::string>& services) {
  if (j.is_array()) {
    for (const auto& x : j)
      named(x, customers, services);
    return;
  }
  if (!j.is_object())
    return;
  for (const auto& [key, value] : j.items()) {
    if (key == "relatedParty" && value.is_array())
      for (const auto& p : value)
        if (text(p, "role") == "customer")
          customers.insert(text(p, "id"));
    if ((key == "service" || key == "alarmedObject") && value.is_object() && !text(value, "id").empty())
      services.insert(text(value, "id"));
    named(value, customers, services);
  }
}

// Notifications posted to one operator's listener that name another operator's customer or service.
std::vector<std::string> leaks(const std::vector<trace::Event>& events) {
  std::map<std::string, std::string> customer_op, service_customer;
  for (const auto& e : events) {
    if (e.type == "order.submitted")
      customer_op[e.data.at("customer").get<std::string>()] = e.data.at("operator").get<std::string>();
    if (e.type == "service.ordered")
      service_customer[e.data.at("service").get<std::string>()] = e.data.at("customer").get<std::string>();
  }
  std::vector<std::string> out;
  for (const auto& e : events) {
    if (e.type != "i1.notification")
      continue;
    const std::string target = e.data.at("target").get<std::string>();
    const std::string listener_op = target.substr(target.rfind('/') + 1);
    std::set<std::string> customers, services;
    named(*e.body(), customers, services);
    for (const auto& s : services)
      if (service_customer.count(s))
        customers.insert(service_customer.at(s));
    for (const auto& c : customers)
      if (customer_op.count(c) && customer_op.at(c) != listener_op)
        out.push_back("event " + std::to_string(e.id) + " to " + listener_op + " names " + c + " of " +
                      customer_op.at(c));
  }
  return out;
}

TEST_F(XProfile, BothOperatorsOrderAndEveryRequestCarriesAConfiguredCredential) {
  std::map<std::string, int> requests_by_credential;
  for (const auto& e : x_run().events)
    if (e.type == "i1.request")
      ++requests_by_credential[e.data.contains("credential") ? e.data.at("credential").get<std::string>() : ""];
  EXPECT_EQ(requests_by_credential.count(""), 0u) << "a request without a credential";
  EXPECT_GT(requests_by_credential["token-op-a"], 0);
  EXPECT_GT(requests_by_credential["token-op-b"], 0);
  EXPECT_EQ(requests_by_credential.size(), 2u);
}

TEST_F(XProfile, EachOperatorHearsOnlyAboutItsOwnCustomers) {
  const auto found = leaks(x_run().events);
  EXPECT_THAT(found, testing::IsEmpty());
  // Both listeners heard something, so the check above had material.
  std::set<std::string> listeners;
  for (const auto& e : x_run().events)
    if (e.type == "i1.notification")
      listeners.insert(e.data.at("target").get<std::string>());
  EXPECT_EQ(listeners.size(), 2u);
}

TEST_F(XProfile, TheIsolationCheckCatchesANotificationSentToTheOtherOperator) {
  auto events = x_run().events;
  std::size_t tampered = 0;
  for (auto& e : events)
    if (e.type == "i1.notification" && e.data.at("name") == "ServiceStateChangeEvent") {
      std::string target = e.data.at("target").get<std::string>();
      const bool to_a = target.ends_with("/op-a");
      target = target.substr(0, target.rfind('/') + 1) + (to_a ? "op-b" : "op-a");
      e.data["target"] = target;
      tampered = e.id;
      break;
    }
  ASSERT_NE(tampered, 0u);
  const auto found = leaks(events);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0], testing::StartsWith("event " + std::to_string(tampered) + " "));
}

TEST_F(XProfile, EveryMessageFollowsTheSpecification) {
  i1::Validator validator(spec::builtin());
  std::vector<std::string> problems;
  std::size_t messages = 0;
  for (const auto& e : x_run().events) {
    Message m;
    if (e.type == "i1.request")
      m.kind = MessageKind::request;
    else if (e.type == "i1.response")
      m.kind = MessageKind::response;
    else if (e.type == "i1.notification")
      m.kind = MessageKind::notification;
    else
      continue;
    ++messages;
    m.type = e.data.at("name").get<std::string>();
    m.correlation_id = e.data.at("corr").get<std::string>();
    if (m.kind == MessageKind::response)
      m.status = e.data.at("status").get<int>();
    else
      m.target = e.data.at("target").get<std::string>();
    m.body = *e.body();
    for (const auto& p : validator.observe(m))
      if (problems.size() < 10)
        problems.push_back("event " + std::to_string(e.id) + " " + m.type + ": " + p.path + " [" + p.requirement +
                           "] " + p.message);
  }
  EXPECT_GT(messages, 1000u);
  EXPECT_THAT(problems, testing::IsEmpty());
}

TEST_F(XProfile, EveryConvergedBillReconcilesWithTheGroundTruth) {
  const auto sc = scenario::load(source_path("scenarios/x-profile-two-operators.yaml"));
  const auto expected = expected_bills(sc, x_run().events);
  const auto differences = bill_differences(expected, x_run().events);
  EXPECT_TRUE(differences.empty()) << difference_table(differences);
  std::set<std::string> operators;
  for (const auto& e : x_run().events)
    if (e.type == "bill.issued")
      operators.insert(e.data.at("operator").get<std::string>());
  EXPECT_EQ(operators, (std::set<std::string>{"op-a", "op-b"}));
}

} // namespace
} // namespace i1sim::test::x_profile_test
