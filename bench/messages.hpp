// Representative I1 messages for the microbenchmarks, shaped as the Telecom OSS and the reference Cloud build them.
#pragma once

#include "i1sim/message.hpp"

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace i1sim::bench {

// The field sets, value types and sizes below follow sim/telecom/telecom.cpp (TelecomOss::submit) and
// sim/cloud/reference_{ordering,accounting,cloud}.cpp (order_json, usage_json, bill_json, publish), filled with
// the values the first such message of scenarios/converged-bill.yaml carries, so the encoded sizes match a
// real run's (809, 954, 1133, 984 and 1732 bytes).

inline nlohmann::json characteristic(const char* name, long long value) {
  return {{"name", name}, {"valueType", "integer"}, {"value", value}};
}
inline nlohmann::json characteristic(const char* name, double value) {
  return {{"name", name}, {"valueType", "number"}, {"value", value}};
}
inline nlohmann::json money(long long cents) { return {{"unit", "EUR"}, {"value", cents}}; }
inline nlohmann::json customer_party(const char* id) { return {{{"id", id}, {"role", "customer"}}}; }

/// The service of a "vm-fast" cloud service: one VM with every optional characteristic present.
inline nlohmann::json ordered_service() {
  nlohmann::json chars =
      nlohmann::json::array({characteristic("instances", 1LL), characteristic("vCPU", 4LL),
                             characteristic("memoryMiB", 16384LL), characteristic("storageMiB", 102400LL)});
  chars.push_back(characteristic("minCoreSpeedGflops", 3.5));
  chars.push_back(characteristic("maxActivationSeconds", 600.0));
  chars.push_back(characteristic("availabilityObjective", 99.9));
  return {{"serviceSpecification", {{"id", "vm-fast"}}}, {"serviceCharacteristic", chars}};
}

/// Telecom OSS -> Cloud: createServiceOrder, the first message of every order.
inline Message service_order_request() {
  nlohmann::json items = nlohmann::json::array();
  items.push_back({{"id", "1"}, {"action", "add"}, {"service", ordered_service()}});
  nlohmann::json body{{"externalId", "PO-0000001"},
                      {"description", "Fibre 10G with a fast cloud server"},
                      {"relatedParty", customer_party("CUST-000030")},
                      {"serviceOrderItem", items}};
  return {MessageKind::request,
          "createServiceOrder",
          "REQ-0000042",
          0,
          "/tmf-api/serviceOrdering/v4/serviceOrder",
          std::move(body),
          {}};
}

/// The stored order as the reference Cloud renders it (order_json) in state `state`.
inline nlohmann::json service_order(const char* state) {
  nlohmann::json service = ordered_service();
  service["id"] = "SVC-000001";
  nlohmann::json items = nlohmann::json::array();
  items.push_back({{"id", "1"}, {"action", "add"}, {"state", state}, {"service", service}});
  nlohmann::json j{{"id", "SO-000001"},
                   {"href", "/tmf-api/serviceOrdering/v4/serviceOrder/SO-000001"},
                   {"externalId", "PO-0000001"},
                   {"state", state},
                   {"orderDate", "2026-01-01T00:00:00.094060Z"},
                   {"relatedParty", customer_party("CUST-000030")},
                   {"serviceOrderItem", items}};
  j["description"] = "Fibre 10G with a fast cloud server";
  return j;
}

/// Cloud -> Telecom OSS: 201 Created, the answer to service_order_request().
inline Message service_order_response() {
  return {MessageKind::response, "createServiceOrder", "REQ-0000042", 201, "", service_order("acknowledged"), {}};
}

/// The event envelope of the reference Cloud's publish().
inline nlohmann::json envelope(const char* id, const char* time, const char* type, const char* key,
                               nlohmann::json resource) {
  return {{"eventId", id}, {"eventTime", time}, {"eventType", type}, {"event", {{key, std::move(resource)}}}};
}

inline Message notification(const char* type, const char* id, nlohmann::json env) {
  return {MessageKind::notification, type, id, 0, "sim://operator.oss/listener/operator", std::move(env), {}};
}

/// Cloud -> Telecom OSS: the order moved to inProgress.
inline Message order_state_change_notification() {
  return notification("ServiceOrderStateChangeEvent", "EV-0000001",
                      envelope("EV-0000001", "2026-01-01T00:00:00.094060Z", "ServiceOrderStateChangeEvent",
                               "serviceOrder", service_order("inProgress")));
}

/// Cloud -> Telecom OSS: a rated usage record (usage_json), the most frequent message of a billed run.
inline Message usage_notification() {
  nlohmann::json usage{
      {"id", "USG-0000001"},
      {"href", "/tmf-api/usageManagement/v4/usage/USG-0000001"},
      {"usageDate", "2026-01-01T06:00:00.000000Z"},
      {"usageType", "cloudAllocation"},
      {"status", "rated"},
      {"service", {{"id", "SVC-000001"}}},
      {"usagePeriod",
       {{"startDateTime", "2026-01-01T00:00:00.000000Z"}, {"endDateTime", "2026-01-01T06:00:00.000000Z"}}},
      {"relatedParty", customer_party("CUST-000030")},
      {"usageCharacteristic",
       {characteristic("vcpuMilliseconds", 86265876LL), characteristic("ramMiBMilliseconds", 353345028096LL),
        characteristic("storageMiBMilliseconds", 2208406425600LL)}},
      {"ratedProductUsage",
       {{{"ratingDate", "2026-01-01T06:01:00.000000Z"}, {"isBilled", false}, {"taxExcludedRatingAmount", money(93)}}}}};
  return notification("UsageCreateEvent", "EV-0000047",
                      envelope("EV-0000047", "2026-01-01T06:01:00.000000Z", "UsageCreateEvent", "usage", usage));
}

/// Cloud -> Telecom OSS: a ten-day bill of one service with 34 usage records and an SLA credit (bill_json).
inline Message bill_notification() {
  nlohmann::json refs = nlohmann::json::array();
  for (int i = 0; i < 34; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "USG-%07d", 130 + 60 * i);
    refs.push_back({{"id", id}});
  }
  nlohmann::json rates = nlohmann::json::array();
  rates.push_back({{"type", "usage"}, {"service", {{"id", "SVC-000039"}}}, {"amount", money(843)}, {"usage", refs}});
  rates.push_back({{"type", "slaCredit"}, {"service", {{"id", "SVC-000039"}}}, {"amount", money(-84)}});
  nlohmann::json compliance = nlohmann::json::array();
  compliance.push_back({{"service", {{"id", "SVC-000039"}}},
                        {"objective", 99.5},
                        {"measured", 99.38855196759259},
                        {"compliant", false},
                        {"credit", money(84)}});
  nlohmann::json bill{
      {"id", "BILL-000001"},
      {"href", "/tmf-api/customerBillManagement/v4/customerBill/BILL-000001"},
      {"billNo", "000001"},
      {"state", "sent"},
      {"runType", "onCycle"},
      {"billDate", "2026-01-11T00:00:00.000000Z"},
      {"billingPeriod",
       {{"startDateTime", "2026-01-01T00:00:00.000000Z"}, {"endDateTime", "2026-01-11T00:00:00.000000Z"}}},
      {"relatedParty", customer_party("CUST-000002")},
      {"appliedBillingRate", rates},
      {"serviceLevelCompliance", compliance},
      {"amountDue", money(759)}};
  return notification(
      "CustomerBillCreateEvent", "EV-0003703",
      envelope("EV-0003703", "2026-01-11T00:01:00.000000Z", "CustomerBillCreateEvent", "customerBill", bill));
}

/// The set every per-message benchmark covers, by a short name.
inline std::vector<std::pair<std::string, Message>> representative_messages() {
  return {{"service_order", service_order_request()},
          {"order_state_change", order_state_change_notification()},
          {"usage", usage_notification()},
          {"bill", bill_notification()}};
}

} // namespace i1sim::bench
