// Run metrics computed from the event stream alone, so a saved trace gives the same figures as the live run.
#pragma once

#include "trace/event_stream.hpp"
#include "util/string_table.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace i1sim::trace {

/// Summary of a sample: nearest-rank percentiles (the smallest value with at least p% of the sample at or
/// below it), so every reported figure is a value that was really observed.
struct Distribution {
  std::size_t count = 0;
  double mean = 0, min = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0;
  static Distribution of(std::vector<double> sample);
  nlohmann::ordered_json to_json() const;
};

double nearest_rank(const std::vector<double>& sorted, double percent);

/// Counters from the event stream. Most are counted as events pass; the figures that depend on how the run
/// ended (VMs still running for products that are not active, placements against the customers' jurisdictions)
/// are worked out by to_json, which the run calls once, at its end.
class Metrics : public Observer {
public:
  Metrics() = default;
  /// `dc_jurisdictions`: each data centre's jurisdiction, by name, as the scenario's platform gives them.
  explicit Metrics(std::map<std::string, std::string> dc_jurisdictions);
  /// Where a data centre is, by law; without any, placement.* is not measured (nothing to judge it by).
  void set_jurisdiction(const std::string& dc, const std::string& jurisdiction);

  void on_event(const Event& e) override;
  nlohmann::ordered_json to_json() const;

  std::uint64_t orders_submitted() const { return orders_.size(); }
  std::uint64_t orders_completed() const { return completed_; }
  std::uint64_t orders_failed() const { return failed_; }
  const std::vector<double>& order_to_active() const { return order_to_active_; }
  const std::vector<double>& notification_delay() const { return notification_delay_; }
  const std::vector<double>& usage_to_bill() const { return usage_to_bill_; }

private:
  void count_fault(const Event& e);
  void count_tester(const Event& e);
  void count_vm(const Event& e);
  void learn_from_i1(const Event& e);
  void learn_object(const nlohmann::json& o);
  void time_notification(const Event& e);

  // A month of orders names hundreds of thousands of product orders, services, service orders and VMs, and each
  // is kept until the end: every name is interned once in names_ and what is known of it is one Name, by its id,
  // instead of a node of a string-keyed map per role (which cost about 180 bytes a service).
  static constexpr std::uint32_t kNone = 0xffffffffu;
  struct Order {
    double submitted = 0;
    std::uint32_t customer = 0; // a names_ id
    bool resolved = false;      // active or failed
    bool failed = false;
    bool terminated = false;
  };
  /// What is known of one name, in each role it may play; names_ ids, 0 (the empty name) for none unless said.
  struct Name {
    std::uint32_t order = 0;                        // as a product order: index in orders_ + 1
    std::uint32_t product = 0, customer = 0;        // as a service, from the tester's service.ordered
    std::uint32_t orders = 0;                       // as a service: the service orders naming it (a list)
    std::uint32_t external = 0, order_customer = 0; // as a service order
    std::uint32_t order_product = kNone;            // as a service order: product order of its outcome
    std::uint32_t placements = 0;                   // as a VM owner: every DC a VM of it was placed in (a list)
    bool cancelled = false;                         // as a service order read back as cancelled
    bool bill_timed = false;                        // as a bill whose usage-to-bill latency was taken
  };
  /// A list of names (a service's orders, an owner's DCs) as links in one pool: most hold one or two.
  struct Link {
    std::uint32_t name = 0;
    std::uint32_t next = 0; // index in links_ + 1, 0 at the end
  };
  Name& slot(std::uint32_t id);
  const Name* find_name(std::string_view text) const;
  /// Adds `id` to the list starting at `head` unless there already.
  void link(std::uint32_t& head, std::uint32_t id);
  /// The names of a list in the order of their texts, as a std::set<std::string> of them would give them.
  std::vector<std::uint32_t> sorted(std::uint32_t head) const;

  util::CompactStringTable names_;
  std::deque<Name> by_name_; // by names_ id; a deque grows without copying the whole
  std::deque<Order> orders_; // product orders, in order of submission
  std::deque<Link> links_;
  std::vector<std::uint32_t> cancelled_orders_; // service orders the Telecom side read back as cancelled
  std::uint64_t rejected_jurisdiction_ = 0, orders_retried_ = 0;
  std::uint64_t modified_ = 0, terminated_ = 0, changes_refused_ = 0;
  // Anomalies the Telecom side noticed, by their key under "tester" in results.json.
  std::map<std::string, std::uint64_t> tester_;

  // What links a VM to a product and a customer: a VM's owner is the Cloud side's service id, a service is tied
  // to its product by the tester's service.ordered or by the service orders naming it (their externalId is the
  // product order id, or their id is the one a product outcome names), and to its customer likewise.
  std::map<std::uint32_t, std::vector<std::string>> allowed_; // customer -> jurisdictions it allows, as created
  struct Vm {
    std::uint32_t owner = 0, dc = 0;
  };
  /// A VM by its data centre and its number: (dc id << 1, vm) when the vm field is a whole number >= 0, else
  /// (dc id << 1 | 1, names_ id of the field as JSON), so that two keys are equal when "dc/<vm as JSON>" are.
  struct VmKey {
    std::uint64_t dc = 0, vm = 0;
    bool operator==(const VmKey&) const = default;
  };
  struct VmKeyHash {
    std::size_t operator()(const VmKey& k) const {
      return std::hash<std::uint64_t>()(k.vm * 0x9e3779b97f4a7c15u ^ k.dc);
    }
  };
  std::unordered_map<VmKey, Vm, VmKeyHash> alive_; // placed, neither destroyed nor failed
  std::vector<std::uint32_t> owners_;              // every owner with placements, once each
  std::map<std::string, std::string> dc_jurisdictions_;
  std::uint32_t product_of_order(std::uint32_t order) const;
  std::uint32_t product_of(std::uint32_t service) const;
  std::uint32_t customer_of(std::uint32_t service) const;
  bool is_submitted(std::uint32_t product) const;

  std::uint64_t unmatched_ = 0; // outcomes for orders never submitted, or resolved twice
  std::uint64_t completed_ = 0;
  std::uint64_t failed_ = 0;
  std::vector<double> order_to_active_;
  // When the first and the last product order were submitted (the offered load), and when the last one became
  // active (the throughput).
  double first_submitted_ = 0, last_submitted_ = 0, last_active_ = 0;
  // Notification delay: the times of each service's ground-truth VM events that no state-change notification has
  // reported yet (by the VM's owner, the Cloud side's service id), and the delays measured so far.
  std::unordered_map<std::uint32_t, std::vector<double>> unreported_; // by names_ id of the owner
  std::vector<double> notification_delay_;
  // Usage-to-bill latency (a duplicated notification is the same bill: Name::bill_timed).
  std::vector<double> usage_to_bill_;
  std::map<std::string, std::uint64_t> messages_; // by kind
  std::map<std::string, std::uint64_t> bytes_;    // by kind
  std::uint64_t vms_placed_ = 0, vms_booted_ = 0, vms_failed_ = 0, vms_destroyed_ = 0;
  std::uint64_t vms_down_ = 0, host_failures_ = 0;
  // Billing, from the Telecom BSS's converged bills (tester bill.issued events); sums in minor units.
  struct Bills {
    std::uint64_t issued = 0, with_credits = 0;
    std::int64_t telecom = 0, cloud = 0, credits = 0, total = 0;
    std::string currency;
  } bills_;
  std::uint64_t usage_records_ = 0, sla_violations_ = 0, alarms_ = 0;
  // Timeline faults, from their truth events (see the faults of the scenario's timeline).
  struct Faults {
    std::uint64_t injected = 0, cleared = 0;
    std::map<std::string, std::uint64_t> by_kind; // injections per fault kind as written in the scenario
    std::uint64_t lost = 0, refused = 0, duplicated = 0, delayed = 0;
    std::uint64_t cloud_down = 0, links_down = 0, links_up = 0, dcs_down = 0, dcs_up = 0, skews = 0;
    bool any() const;
  } faults_;
};

} // namespace i1sim::trace
