// The accounting oracle: usage records, bills and SLA compliance judged against ground truth and the catalogue.
#pragma once

#include "conformance/oracles/bill_oracle.hpp"
#include "conformance/oracles/oracle.hpp"
#include "conformance/oracles/string_table.hpp"
#include "util/id_set.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace i1sim::conformance::accounting {

/// Seconds: the checks compare send times with deadlines to the microsecond.
inline constexpr double kEpsilon = 1e-6;

/// Simulated milliseconds of an I1 date-time "YYYY-MM-DDTHH:MM:SS[.f...]Z" (simulated time 0 is
/// 2026-01-01T00:00:00Z), or -1 when it cannot be read.
std::int64_t iso_ms(const std::string& text);

__extension__ typedef __int128 Int128;

/// num / den rounded to the nearest integer, ties to the even one; den > 0.
std::int64_t half_even(Int128 num, Int128 den);

/// One check's tally while judging: each observation is either fine or a violation of some verdict.
struct Tally {
  std::uint64_t observed = 0;
  std::uint64_t violations = 0;
  Verdict verdict = Verdict::none;
  std::string reason;
  std::uint64_t same_reasons = 0; // further violations of the verdict the reason describes
  std::set<std::uint64_t> events; // evidence of the current verdict

  void ok();
  void bad(Verdict v, const std::string& why, const std::vector<std::uint64_t>& evidence);
  CheckResult result(const std::string& id) const;
};

/// A usage record as delivered, with where and when it first came. A run delivers over a million of them, so a
/// record keeps numbers only: its key, texts and date are read through the UsageRecords holding it.
struct Record : MeteredUsage {   // as in DeliveredUsage: -1 when missing or unreadable
  std::uint64_t first_event = 0; // first delivery seen (push or listing)
  double first_sent = -1;        // earliest send time of any delivery, lost frames included
  std::uint64_t push_event = 0;  // first UsageCreateEvent carrying it (0: never pushed)
  double push_sent = -1;
  std::uint32_t key = 0; // the UsageRecords' name of its key
  std::uint32_t op = 0;  // operator it was delivered to (the id of "" when unknown)
  // usageDate as written (the id of "" when absent) unless date_is_end: a producer dates a record by its period's
  // end, so a date that is the text iso_timestamp writes for end_ms is kept as that flag alone.
  std::uint32_t date_text = 0;
  bool readable = false;
  bool has_id = false; // whether it named an id: the key of a record that named none says where it came
  bool date_is_end = false;
};

/// The usage records delivered, once per key (the record's id, or where an id-less one came), kept compact: a
/// record never moves once added, and keys, services, customers and operators are names in one table, so that a
/// bill's references to records are names too.
class UsageRecords {
public:
  UsageRecords() = default;
  UsageRecords(const UsageRecords&) = delete; // the index and the records' ids point into this one's storage
  UsageRecords& operator=(const UsageRecords&) = delete;

  /// The record under `key`, or null.
  const Record* find(std::string_view key) const;
  /// The record under the name `key`, or null.
  const Record* find(std::uint32_t key) const;
  /// The name of a text (a key, a service...), added if new.
  std::uint32_t name(std::string_view text) { return names_.id(text); }
  std::string_view text(std::uint32_t name) const { return names_.text(name); }
  /// The record under `key`; a new one, with `fresh` set, when there was none.
  Record& find_or_add(std::string_view key, bool& fresh);
  std::size_t size() const { return size_; }
  /// Lists every record in the order of their keys, as an ordered map of the keys would (by_key() is empty
  /// before the first call and misses the records added since the last).
  void sort_by_key();
  const std::vector<const Record*>& by_key() const { return by_key_; }

  /// A new record's content: the delivery as read, its usageDate as written and the operator it went to.
  void fill(Record& r, const DeliveredUsage& d, const std::string& usage_date, const std::string& op);
  /// Whether a delivery reads the same as the record's first one.
  bool same(const Record& r, const DeliveredUsage& d) const;

  std::string_view key(const Record& r) const { return names_.text(r.key); }
  /// The id the record named ("" when it named none).
  std::string_view id(const Record& r) const { return r.has_id ? key(r) : std::string_view(); }
  std::string service(const Record& r) const { return std::string(names_.text(r.service)); }
  std::string customer(const Record& r) const { return std::string(names_.text(r.customer)); }
  std::string op(const Record& r) const { return std::string(names_.text(r.op)); }
  /// usageDate as written, "" when absent.
  std::string usage_date(const Record& r) const;
  bool has_usage_date(const Record& r) const { return r.date_is_end || r.date_text != 0; }
  /// iso_ms of usageDate as written.
  std::int64_t usage_ms(const Record& r) const;

private:
  Record& at(std::size_t i) { return blocks_[i / kBlock][i % kBlock]; }
  const Record& at(std::size_t i) const { return blocks_[i / kBlock][i % kBlock]; }
  static constexpr std::size_t kBlock = 4096; // records per block
  std::vector<std::vector<Record>> blocks_;   // each reserved to kBlock, so that records never move
  std::deque<std::uint32_t> record_of_;       // by name: record index + 1, 0 for none
  std::size_t size_ = 0;
  std::vector<const Record*> by_key_;
  StringTable names_;
};

/// One applied rate of a bill. A month's cycle bills list every usage record of the month, so its texts are names
/// of the oracle's UsageRecords, the records it lists included.
struct Rate {
  std::uint32_t type = 0, service = 0, unit = 0;
  std::int64_t amount = 0;
  bool has_amount = false;
  bool has_usage = false;
  std::vector<std::uint32_t> usage; // the ids of the records it bills
};

struct Compliance {
  std::uint32_t service = 0; // a name of the UsageRecords
  double objective = -1, measured = -1;
  bool compliant = false, has_compliant = false;
  std::int64_t credit = -1;
};

/// A customer bill as first delivered (CustomerBillCreateEvent, or the answer to a bill on demand).
struct Bill {
  std::string id, customer, run_type;
  std::uint64_t event = 0;
  double first_sent = -1;
  std::int64_t start = -1, end = -1;
  std::vector<Rate> rates;
  std::vector<Compliance> compliance;
  std::int64_t due = 0;
  bool has_due = false;
  std::string due_unit;
  bool on_demand = false;
  double request_t = -1; // on demand: when the request reached the producer
  std::uint64_t request_event = 0;
};

struct Listing {
  std::uint64_t request_event = 0, response_event = 0;
  double request_t = 0;
  std::string op, customer, after, before; // query values, "" when absent
  std::vector<const Record*> listed;       // the records it listed that named an id, in its order
};

struct Vm {
  std::uint32_t owner = 0; // a name of the UsageRecords (that of "" when unknown)
  std::int64_t vcpu = 0, ram_mib = 0, storage_mib = 0;
  std::int64_t booted = -1, gone = -1, down_since = -1;
  std::uint64_t boot_event = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> down;
};

struct Service {
  std::uint32_t customer = 0; // a name of the UsageRecords (that of "" when unknown)
  const scenario::CloudServiceSpec* spec = nullptr;
  std::uint64_t ordered_event = 0;
  bool without_objective = false; // ordered with no availabilityObjective characteristic: no SLA terms apply
  double terminated_sent = -1;    // first report of state terminated
  std::uint64_t terminated_event = 0;
};

class AccountingOracle : public Oracle {
public:
  explicit AccountingOracle(const OracleContext& ctx);
  std::vector<CheckInfo> checks() const override;
  void on_event(const trace::Event& e) override;
  void finish(double end) override;
  std::vector<CheckResult> results() const override;

  static std::vector<CheckInfo> catalogue();

private:
  void observe(const trace::Event& e);
  Record& add_usage(const nlohmann::json& u, const trace::Event& e, double sent, bool pushed, const std::string& op);
  Bill read_bill(const nlohmann::json& b, const trace::Event& e, double sent);
  /// A name of records_ as text.
  std::string text(std::uint32_t name) const { return std::string(records_.text(name)); }
  double deadline(double from, double allow) const;
  std::vector<std::pair<std::int64_t, std::int64_t>> held(const std::string& service) const;
  std::vector<std::pair<std::int64_t, std::int64_t>> down(const std::string& service) const;
  std::int64_t cycle_end(std::int64_t t) const;
  /// Whether a lost notification of `name` was never delivered again: the evidence may still be missing.
  bool lost_pending(const std::string& name) const;

  const std::vector<const Record*>& customer_records(const std::string& customer) const;
  void judge_usage();
  void judge_listings();
  void judge_bills();
  void judge_on_demand();
  void judge_sla();

  const scenario::Scenario& sc_;
  double period_ = 3600, t_usage_ = 900, t_bill_ = 3600, retention_ = 0;
  std::int64_t period_ms_ = 0, cycle_ms_ = 0;
  int cycles_ = 0;
  double end_ = 0;
  std::int64_t end_ms_ = 0;
  std::string error_; // what the oracle could not read, if anything

  // harness faults
  std::vector<std::pair<double, double>> cloud_down_; // [down, up); up = +inf while down
  std::map<std::string, double> lost_;                // notification corr -> earliest loss time
  std::map<std::string, std::string> lost_name_;      // notification corr -> name, until it is delivered
  util::IdSet delivered_corr_;                        // notification eventIds delivered: one bit each for the usual ids

  // what crossed I1
  UsageRecords records_;
  std::vector<std::pair<std::string, std::vector<std::uint64_t>>> usage_conflicts_; // reason, events
  std::map<std::string, Bill> bills_;
  std::vector<std::string> bill_order_;
  struct Request {
    std::string name, target, op, customer;
    double t = 0;
    std::uint64_t event = 0;
  };
  std::map<std::string, Request> requests_; // listUsage / createCustomerBillOnDemand by corr
  std::set<std::string> answered_;
  std::vector<Listing> listings_;
  std::vector<std::string> on_demand_bills_;
  std::map<std::string, double> hub_deleted_;   // operator -> when its hub was deleted
  std::map<std::string, std::string> currency_; // customer -> currency it was created with

  // the tester and ground truth
  // A month holds one of each per order: ids are names of records_, kept as numbers.
  std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> product_orders_; // -> (customer, product)
  std::map<std::string, Service> services_;
  std::map<std::pair<std::uint32_t, std::uint64_t>, Vm> vms_; // by (data centre, vm)
  std::map<std::string, std::vector<const Vm*>> vms_of_;
  // indexes built by finish(), so that judging stays linear in the stream
  std::map<std::string, std::vector<const Record*>> records_of_customer_; // readable records
  std::map<std::string, std::vector<std::string>> services_of_customer_;

  Tally timely_, accurate_, unique_, coverage_, rating_, listed_, pushed_;
  Tally sent_, usage_sum_, amount_due_, on_demand_, cycle_, availability_, credit_;
};

} // namespace i1sim::conformance::accounting
