// Independent oracle of the converged bills and usage records: both recomputed from ground truth and catalogue.
#pragma once

#include "conformance/oracles/string_table.hpp"
#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
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

/// The events the bill rules read (orders, services, products, bills, VMs in ground truth), each reduced to the
/// few fields the rules use, with ids interned: an oracle holds this for a whole run instead of the events.
/// An event whose fields cannot be read keeps the exception the rules would have raised on reaching it.
class BillTrace {
public:
  /// With its own string table.
  BillTrace();
  /// Interning into `names`, which must outlive the trace (an oracle shares one table between its records).
  explicit BillTrace(StringTable& names);
  /// The events' compact form, in their order.
  explicit BillTrace(const std::vector<trace::Event>& events);
  BillTrace(BillTrace&&) noexcept = default;
  BillTrace& operator=(BillTrace&&) noexcept = default;

  /// Keeps what the rules read of `e`; other events are ignored.
  void add(const trace::Event& e);
  /// Events kept.
  std::size_t size() const { return steps_.size() + bills_.size(); }
  /// Heap bytes of the kept records, the shared string table aside.
  std::size_t bytes() const;
  /// The kept events rebuilt as trimmed trace events (id 0, time to the millisecond; unreadable ones left out).
  std::vector<trace::Event> events() const;
  const StringTable& names() const { return *names_; }

  /// What the rules read, as the rules read it. Ids are `names()` ids.
  enum class Kind : std::uint8_t {
    order,        // a: product order, b: customer, c: product
    service,      // a: service, b: product order
    active,       // a: product order, t
    terminated,   // a: product order, t
    vm_booted,    // a: dc, b: owner (kNoText: unreadable), c: index in boots(); vm, t
    vm_destroyed, // a, b, vm, t as vm_booted
    vm_failed,
    vm_down,
    vm_up,
    vm_other,   // another vm.* type, named by c
    unreadable, // a: index of the exception in errors()
  };
  static constexpr std::uint32_t kNoText = 0xffffffffu;
  struct Step {
    std::int64_t t = 0; // simulated ms
    std::uint64_t vm = 0;
    std::uint32_t a = 0, b = 0, c = 0;
    Kind kind = Kind::unreadable;
  };
  /// A booted VM's size; `error` (index in errors() plus one, 0: none) is raised once the owner is read.
  struct Boot {
    std::int64_t vcpu = 0, ram = 0, disk = 0; // ram and disk in bytes
    std::uint32_t error = 0;
  };
  /// One bill.issued; `error` as in Boot, raised in place of reading the bill.
  struct Bill {
    std::int64_t telecom = 0, cloud = 0, credits = 0, total = 0;
    std::uint32_t customer = 0;
    int cycle = 0;
    std::uint32_t error = 0;
  };
  const std::deque<Step>& steps() const { return steps_; }
  const std::deque<Boot>& boots() const { return boots_; }
  const std::deque<Bill>& bills() const { return bills_; }
  const std::vector<std::exception_ptr>& errors() const { return errors_; }

private:
  std::uint32_t error(std::exception_ptr e);

  std::unique_ptr<StringTable> own_;
  StringTable* names_;
  // Deques: no spare capacity and no copy of the whole on growth, which matters over a month of events.
  std::deque<Step> steps_; // everything but bills, in trace order
  std::deque<Boot> boots_;
  std::deque<Bill> bills_;
  std::vector<std::exception_ptr> errors_;
};

/// Every usage record of the billed cycles, ordered by service then period. All at once and with their names as
/// strings, for callers that expect few; the judging below (usage_differences, expected_bills) makes them one
/// service at a time instead, a month of orders having millions.
std::vector<ExpectedUsage> expected_usage(const scenario::Scenario& sc, const BillTrace& trace);
std::vector<ExpectedUsage> expected_usage(const scenario::Scenario& sc, const std::vector<trace::Event>& events);

/// The bill of every (customer, cycle) that had telecom charge time or usage records in the cycle.
std::map<BillKey, ExpectedBill> expected_bills(const scenario::Scenario& sc, const BillTrace& trace);
std::map<BillKey, ExpectedBill> expected_bills(const scenario::Scenario& sc, const std::vector<trace::Event>& events);

/// The bills the harness's Telecom BSS issued (tester bill.issued); a second bill for the same customer and
/// cycle is reported in `duplicates` (may be null).
std::map<BillKey, ExpectedBill> issued_bills(const BillTrace& trace, std::vector<BillKey>* duplicates = nullptr);
std::map<BillKey, ExpectedBill> issued_bills(const std::vector<trace::Event>& events,
                                             std::vector<BillKey>* duplicates = nullptr);

/// One way an issued bill differs from the expected one: a missing or unexpected bill, or one amount.
struct BillDifference {
  BillKey bill;
  std::string what; // "missing", "unexpected", "duplicate", "telecom", "cloud", "credits" or "total"
  std::int64_t expected = 0;
  std::int64_t issued = 0;
};

std::vector<BillDifference> bill_differences(const std::map<BillKey, ExpectedBill>& expected, const BillTrace& trace);
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

/// What a usage record meters, with its service and customer interned: the part of a record the compact usage
/// stores (UsageLedger here, the accounting oracle's UsageRecords) keep and compare.
struct MeteredUsage {
  std::uint32_t service = 0, customer = 0; // StringTable ids
  std::int64_t start_ms = -1, end_ms = -1;
  std::int64_t vcpu_ms = -1, ram_mib_ms = -1, storage_mib_ms = -1, amount = -1;
  static MeteredUsage of(const DeliveredUsage& d, StringTable& names);
  bool operator==(const MeteredUsage&) const = default;
};

/// Every usage record delivered, pushed (UsageCreateEvent) or pulled (listUsage), once per id. Keeps the
/// records packed only (services and customers interned, each record's id and numbers written end to end as
/// variable-length integers, about 45 bytes where a struct of them takes 64), so an observer can hold it for a
/// whole run; a record is unpacked when compared or judged.
class UsageLedger {
public:
  /// With its own string table, made on first use.
  UsageLedger();
  /// Interning services and customers into `names`, which must outlive the ledger.
  explicit UsageLedger(StringTable& names);
  UsageLedger(UsageLedger&&) noexcept = default;
  UsageLedger& operator=(UsageLedger&&) noexcept = default;

  /// Takes the records an I1 event carries; other events are ignored.
  void observe(const trace::Event& e);
  /// One record as written on I1.
  void add(const nlohmann::json& usage);
  /// How the ledger reads one record as written on I1 (what add keeps of it).
  static DeliveredUsage read(const nlohmann::json& usage);
  /// Distinct ids delivered.
  std::size_t size() const { return places_.size(); }
  /// Every record in full, by id; built on each call, so for callers that hold few records.
  std::map<std::string, DeliveredUsage> records() const;
  /// Records delivered twice with different content.
  const std::vector<std::string>& problems() const { return problems_; }

  /// Record `row` (0 to size() - 1, in order of first delivery): its id, and what it meters as delivered, with
  /// service and customer as `names()` ids.
  std::string_view id(std::size_t row) const;
  MeteredUsage metered(std::size_t row) const;
  DeliveredUsage full(std::size_t row) const;
  const StringTable& names() const;
  /// Heap bytes held, the string table aside.
  std::size_t bytes() const;

private:
  StringTable& table();
  /// Where a record with this id is, or the free slot for it.
  std::size_t slot_of(std::string_view id) const;
  void grow_slots();

  /// Where record `row`'s packed form starts.
  const char* packed(std::size_t row) const;

  std::unique_ptr<StringTable> own_;
  StringTable* names_ = nullptr;
  static constexpr unsigned kOffsetBits = 16;
  std::deque<std::uint32_t> places_; // by row: chunk << kOffsetBits | offset of its packed form
  std::vector<std::string> chunks_;  // packed records end to end, never reallocated
  std::vector<std::uint32_t> slots_; // open addressing over the ids: row index + 1, 0 for free
  std::vector<std::string> problems_;
};

/// One way the delivered usage differs from ground truth, with the customer and cycle it belongs to (an
/// empty customer and cycle -1 when the record cannot be placed).
using UsageDifference = std::pair<BillKey, std::string>;

/// Differences between the records the services should have (from ground truth in `events`) and those
/// delivered, in the billed cycles.
std::vector<UsageDifference> usage_differences(const scenario::Scenario& sc, const BillTrace& trace,
                                               const UsageLedger& delivered);
std::vector<UsageDifference> usage_differences(const scenario::Scenario& sc, const std::vector<trace::Event>& events,
                                               const UsageLedger& delivered);
/// Same, with the delivered records read from the I1 messages of `events`.
std::vector<UsageDifference> usage_differences(const scenario::Scenario& sc, const std::vector<trace::Event>& events);

} // namespace i1sim::conformance
