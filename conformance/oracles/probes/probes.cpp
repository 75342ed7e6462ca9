// The probes family's entry points: its checks, in the catalogue's order, and its oracles for one run.
#include "conformance/oracles/oracle.hpp"
#include "conformance/oracles/probes/probe_oracle.hpp"

namespace i1sim::conformance {

std::vector<CheckInfo> probe_checks() {
  return {
      {"probe.invalid_body",
       {"I1-GEN-002"},
       "ensure that a request with an unknown field, a missing mandatory field or a wrong type is refused 400 "
       "invalidBody naming the field"},
      {"probe.unknown_spec",
       {"I1-ORD-002"},
       "ensure that an order naming an unknown service specification is refused 400 invalidBody and creates nothing"},
      {"probe.hub_query",
       {"I1-HUB-002"},
       "ensure that a subscriber whose query selects some event types receives those types only"},
      {"probe.hub_delete", {"I1-HUB-005"}, "ensure that a deleted subscription receives nothing more"},
      {"probe.list_services",
       {"I1-INV-003"},
       "ensure that a customer's service list holds every service of that customer and no other"},
      {"probe.alarm_ack", {"I1-ALM-004"}, "ensure that an acknowledged alarm's ackState is acknowledged"},
      {"probe.alarm_list", {"I1-ALM-005"}, "ensure that the operator's alarms can be listed, optionally by state"},
      {"probe.customer_update",
       {"I1-CUS-003"},
       "ensure that a customer's jurisdictions can be updated and later placements follow"},
      {"probe.unknown_customer",
       {"I1-CUS-002"},
       "ensure that an order for an unknown customer is rejected with customerUnknown"},
      {"probe.retention",
       {"I1-REG-004"},
       "ensure that usage records stay retrievable for T_retention after their period ends"},
      {"probe.unauthenticated",
       {"I1-SEC-001"},
       "ensure that a request without a valid credential is refused 401 and changes nothing"},
      {"probe.foreign_access",
       {"I1-SEC-003"},
       "ensure that reading, changing, listing or cancelling another operator's resource is answered 404"},
      {"probe.job_delete",
       {"I1-PM-004"},
       "ensure that a deleted measurement job ends cancelled and reports nothing more"},
  };
}

std::vector<std::unique_ptr<Oracle>> make_probe_oracles(const OracleContext& ctx) {
  std::vector<std::unique_ptr<Oracle>> oracles;
  oracles.push_back(std::make_unique<probes::ProbeOracle>(ctx));
  return oracles;
}

} // namespace i1sim::conformance
