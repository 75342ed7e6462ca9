// Independent oracle of the converged bills and usage records: both recomputed from ground truth and catalogue.
#pragma once

#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace i1sim::conformance {

/// Amounts in minor units.
struct ExpectedBill {
  std::int64_t telecom = 0;
  std::int64_t cloud = 0;
  std::int64_t credits = 0;
  std::int64_t total = 0; // telecom + cloud - credits
  bool operator==(const ExpectedBill&) const = default;
};

using BillKey = std::pair<std::string, int>; // (customer, cycle index from 0)

/// One usage record the Cloud BSS should have produced: what one service held during one usage period.
struct ExpectedUsage {
  std::string service;
  std::string customer;
  std::int64_t start_ms = 0; // the period [start_ms, end_ms), in simulated milliseconds
  std::int64_t end_ms = 0;
  std::int64_t vcpu_ms = 0;
  std::int64_t ram_mib_ms = 0;
  std::int64_t storage_mib_ms = 0;
  std::int64_t amount = 0; // minor units
};

/// Every usage record of the billed cycles, ordered by service then period.
std::vector<ExpectedUsage> expected_usage(const scenario::Scenario& sc, const std::vector<trace::Event>& events);

/// The bill of every (customer, cycle) that had telecom charge time or usage records in the cycle.
std::map<BillKey, ExpectedBill> expected_bills(const scenario::Scenario& sc, const std::vector<trace::Event>& events);

/// The bills the harness's Telecom BSS issued (tester bill.issued); a second bill for the same customer and
/// cycle is reported in `duplicates` (may be null).
std::map<BillKey, ExpectedBill> issued_bills(const std::vector<trace::Event>& events,
                                             std::vector<BillKey>* duplicates = nullptr);

/// One way an issued bill differs from the expected one: a missing or unexpected bill, or one amount.
struct BillDifference {
  BillKey bill;
  std::string what; // "missing", "unexpected", "duplicate", "telecom", "cloud", "credits" or "total"
  std::int64_t expected = 0;
  std::int64_t issued = 0;
};

std::vector<BillDifference> bill_differences(const std::map<BillKey, ExpectedBill>& expected,
                                             const std::vector<trace::Event>& events);

/// The differences as a table, one line each, for failure messages.
std::string difference_table(const std::vector<BillDifference>& differences);

/// A usage record as the Cloud BSS delivered it over I1 (-1: the field was missing or unreadable).
struct DeliveredUsage {
  std::string id, service, customer;
  std::int64_t start_ms = -1, end_ms = -1;
  std::int64_t vcpu_ms = -1, ram_mib_ms = -1, storage_mib_ms = -1, amount = -1;
  bool operator==(const DeliveredUsage&) const = default;
};

/// Every usage record delivered, pushed (UsageCreateEvent) or pulled (listUsage), once per id. Keeps the
/// records in their compact form only, so an observer can hold it for a whole run.
class UsageLedger {
public:
  /// Takes the records an I1 event carries; other events are ignored.
  void observe(const trace::Event& e);
  /// One record as written on I1.
  void add(const nlohmann::json& usage);
  const std::map<std::string, DeliveredUsage>& records() const { return by_id_; }
  /// Records delivered twice with different content.
  const std::vector<std::string>& problems() const { return problems_; }

private:
  std::map<std::string, DeliveredUsage> by_id_;
  std::vector<std::string> problems_;
};

/// One way the delivered usage differs from ground truth, with the customer and cycle it belongs to (an
/// empty customer and cycle -1 when the record cannot be placed).
using UsageDifference = std::pair<BillKey, std::string>;

/// Differences between the records the services should have (from ground truth in `events`) and those
/// delivered, in the billed cycles.
std::vector<UsageDifference> usage_differences(const scenario::Scenario& sc, const std::vector<trace::Event>& events,
                                               const UsageLedger& delivered);
/// Same, with the delivered records read from the I1 messages of `events`.
std::vector<UsageDifference> usage_differences(const scenario::Scenario& sc, const std::vector<trace::Event>& events);

} // namespace i1sim::conformance
