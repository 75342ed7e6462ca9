// Which operator each customer belongs to (X profile): by weight from a stream of its own when the scenario
// gives customers.operators shares, else round robin over i1.operators.
#include "scenario/scenario.hpp"
#include "telecom/telecom.hpp"

#include <gtest/gtest.h>
#include <map>
#include <string>
#include <vector>

namespace i1sim::telecom::customer_operators_test {
namespace {

scenario::Scenario three_operators(int customers) {
  scenario::Scenario sc;
  sc.i1.profile = "X";
  sc.i1.operators = {"op-a", "op-b", "op-c"};
  sc.customers.count = customers;
  return sc;
}

TEST(CustomerOperators, WithoutSharesCustomersGoRoundTheOperators) {
  const auto ops = customer_operators(three_operators(5), 42);
  EXPECT_EQ(ops, (std::vector<std::string>{"op-a", "op-b", "op-c", "op-a", "op-b"}));
  EXPECT_EQ(operator_of(three_operators(5), 42, 4), "op-a");
}

TEST(CustomerOperators, WithSharesEachOperatorGetsItsWeight) {
  auto sc = three_operators(8000);
  sc.customers.operators = {{"op-a", 1}, {"op-b", 3}}; // op-c has no share: no customer
  const auto ops = customer_operators(sc, 7);
  std::map<std::string, int> n;
  for (const auto& op : ops)
    ++n[op];
  EXPECT_EQ(n.count("op-c"), 0u);
  EXPECT_NEAR(n["op-b"] / 8000.0, 0.75, 0.02);
  EXPECT_NEAR(n["op-a"] / 8000.0, 0.25, 0.02);
  EXPECT_EQ(operator_of(sc, 7, 17), ops[16]);
}

TEST(CustomerOperators, TheDrawDependsOnTheRunSeedOnly) {
  auto sc = three_operators(200);
  sc.customers.operators = {{"op-a", 1}, {"op-b", 1}, {"op-c", 1}};
  const auto first = customer_operators(sc, 11);
  EXPECT_EQ(customer_operators(sc, 11), first);
  EXPECT_NE(customer_operators(sc, 12), first);
  sc.seed = 99; // the scenario's own seed is overridden by the run's
  sc.customers.jurisdictions = {{{"FR"}, 1}, {{"DE"}, 2}};
  EXPECT_EQ(customer_operators(sc, 11), first) << "drawing other things must not move the operators";
}

TEST(CustomerOperators, AShareOfWeightZeroGetsNobody) {
  auto sc = three_operators(500);
  sc.customers.operators = {{"op-a", 0}, {"op-b", 2}};
  for (const auto& op : customer_operators(sc, 3))
    EXPECT_EQ(op, "op-b");
}

} // namespace
} // namespace i1sim::telecom::customer_operators_test
