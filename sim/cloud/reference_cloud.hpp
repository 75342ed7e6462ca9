// The reference Cloud BSS/OSS: the implementation i1sim ships as the model answer (selected by --iut ref). It
// implements every requirement of the I1 specification v1, mandatory and optional, in both profiles.
#pragma once

#include "i1sim/iut.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace i1sim::cloud {

class ReferenceCloud : public CloudIut {
public:
  explicit ReferenceCloud(CloudSetup setup);
  std::string name() const override { return "ref"; }
  void start(CloudContext& ctx) override;
  void on_request(CloudContext& ctx, const Message& request) override;
  void on_dc_event(CloudContext& ctx, const DcEvent& event) override;
  void on_timer(CloudContext& ctx, std::uint64_t token) override;

private:
  using Ms = std::int64_t; // simulated time in whole milliseconds: what usage and availability are counted in

  struct Requirements {
    int instances = 0;
    int vcpu = 0;
    std::int64_t ram_mib = 0;
    std::int64_t storage_mib = 0;
    double min_core_speed = 0; // flop/s
    double max_activation = 0; // s; 0: T_activation
    double availability = 0;   // percent; 0: no objective
    std::int64_t availability_millipercent = 0;
    std::vector<std::string> jurisdictions; // narrowing of the customer's, empty: the customer's
  };
  struct Vm {
    VmId id = 0;
    std::string dc;
    std::string host;
    Ms booted = -1; // -1: not booted yet
    bool down = false;
    bool leaving = false; // destroy asked
  };
  /// One period in which a VM held its resources, for metering.
  struct Allocation {
    VmId vm = 0;
    int vcpu = 0;
    std::int64_t ram_mib = 0;
    std::int64_t storage_mib = 0;
    Ms from = 0;
    Ms to = -1; // -1: still held
  };
  struct Service {
    std::string id;
    std::string op; // owning operator
    std::string customer;
    std::string state; // TMF638 lifecycle state
    std::string operating = "pending";
    const CloudServiceOffer* offer = nullptr;
    Requirements req;
    nlohmann::json characteristics;
    std::map<VmId, Vm> vms;
    std::vector<Allocation> allocations;
    std::string last_order; // the order that last changed it
    std::string start_date, end_date;
    // Availability: the service is down while any of its VMs is down.
    int vms_down = 0;
    std::vector<std::pair<Ms, Ms>> down_periods; // [from, to); to -1 while still down
    std::set<int> violated;                      // cycles with a violation already reported
    std::string alarm;                           // open alarm id
  };
  /// The work an order item still waits for.
  struct Item {
    std::string id;
    std::string action;
    std::string state;
    std::string service_id;
    nlohmann::json service_value; // as ordered
    std::set<VmId> waiting;       // VMs whose boot (add, modify up) or destruction (delete, modify down) it awaits
    std::vector<VmId> added;      // modify up: the new VMs, destroyed again if the item fails
    int old_instances = 0;        // modify: what the service had, restored if the item fails or is cancelled
    nlohmann::json old_characteristics;
    std::pair<double, std::int64_t> old_availability{0, 0};
    std::uint64_t deadline_token = 0;
  };
  struct Order {
    std::string id;
    std::string op;
    std::string external_id;
    std::string customer;
    std::string state;
    std::string order_date, completion_date, cancellation_date, cancellation_reason;
    std::string description;
    nlohmann::json related_party;
    std::vector<Item> items;
    nlohmann::json errors = nlohmann::json::array();
    std::string cancel_task; // the cancelServiceOrder task in progress
  };
  struct Customer {
    std::string id, op, name, status = "validated", currency;
    std::vector<std::string> jurisdictions;
    nlohmann::json related_party;
  };
  struct Hub {
    std::string id, op, callback, query;
  };
  struct Usage {
    std::string id;
    std::string op;
    std::string customer;
    std::string service;
    int cycle = 0;
    Ms from = 0, to = 0;
    std::int64_t vcpu_ms = 0, ram_mib_ms = 0, storage_mib_ms = 0;
    std::int64_t amount = 0;
    std::string status = "rated";
    std::string usage_date, rating_date;
  };
  struct Bill {
    std::string id, op, customer, state, run_type;
    nlohmann::json body;
  };
  struct Alarm {
    std::string id, op, service, state = "raised", ack = "unacknowledged", severity = "major";
    std::string raised, changed, cleared;
  };
  struct Job {
    std::string id, op, service, state, granularity, created;
    double period = 0;
    std::vector<std::string> indicators;
    Ms from = 0; // start of the period being measured
  };
  struct Timer {
    enum class Kind { boundary, deadline, violation, report } kind = Kind::boundary;
    std::string subject; // item key "order/index", service id, job id
  };

  // Requests (reference_cloud.cpp).
  bool authenticate(CloudContext& ctx, const Message& request, std::string& op);
  void create_hub(CloudContext& ctx, const Message& request, const std::string& op);
  void delete_hub(CloudContext& ctx, const Message& request, const std::string& op, const std::string& id);
  void create_customer(CloudContext& ctx, const Message& request, const std::string& op);
  void patch_customer(CloudContext& ctx, const Message& request, const std::string& op, const std::string& id);
  void publish(CloudContext& ctx, const std::string& op, std::string_view event_type, const std::string& key,
               nlohmann::json resource);
  nlohmann::json customer_json(const Customer& c) const;

  // Ordering and inventory (reference_ordering.cpp).
  void create_order(CloudContext& ctx, const Message& request, const std::string& op);
  std::string check_item(const nlohmann::json& item, std::size_t index, Requirements& req,
                         const CloudServiceOffer*& offer) const;
  void start_item(CloudContext& ctx, Order& order, std::size_t index);
  void start_add(CloudContext& ctx, Order& order, Item& item);
  void start_modify(CloudContext& ctx, Order& order, Item& item);
  void start_delete(CloudContext& ctx, Order& order, Item& item);
  void item_finished(CloudContext& ctx, Order& order, Item& item, const std::string& state, const std::string& code,
                     const std::string& reason);
  void order_progress(CloudContext& ctx, Order& order);
  void cancel_order(CloudContext& ctx, const Message& request, const std::string& op);
  void finish_cancellation(CloudContext& ctx, Order& order);
  void retrieve_order(CloudContext& ctx, const Message& request, const std::string& op, const std::string& id);
  void retrieve_service(CloudContext& ctx, const Message& request, const std::string& op, const std::string& id);
  void list_services(CloudContext& ctx, const Message& request, const std::string& op);
  void vm_event(CloudContext& ctx, Service& svc, const DcEvent& event);
  void set_service_state(CloudContext& ctx, Service& svc, const std::string& state);
  void set_operating(CloudContext& ctx, Service& svc, const std::string& status);
  void set_order_state(CloudContext& ctx, Order& order, const std::string& state);
  void notify_items(CloudContext& ctx, Order& order);
  nlohmann::json order_json(const Order& order) const;
  nlohmann::json service_json(const Service& svc) const;
  void release_vm(CloudContext& ctx, Service& svc, VmId vm);
  void restore(Service& svc, const Item& item);
  void wait_for(Order& order, Item& item, VmId vm);
  std::vector<std::pair<Order*, Item*>> items_waiting_for(VmId vm);
  std::string choose_dc(CloudContext& ctx, const std::string& op, const std::string& customer, const Requirements& req,
                        const std::string& preferred) const;

  // Assurance and accounting (reference_accounting.cpp).
  void vm_down(CloudContext& ctx, Service& svc, Ms at);
  void vm_up(CloudContext& ctx, Service& svc, Ms at);
  void arm_violation(CloudContext& ctx, Service& svc);
  void check_violation(CloudContext& ctx, const std::string& service_id);
  void list_alarms(CloudContext& ctx, const Message& request, const std::string& op);
  void ack_alarms(CloudContext& ctx, const Message& request, const std::string& op);
  nlohmann::json alarm_json(const Alarm& a) const;
  void create_job(CloudContext& ctx, const Message& request, const std::string& op);
  void delete_job(CloudContext& ctx, const Message& request, const std::string& op, const std::string& id);
  void job_report(CloudContext& ctx, const std::string& job_id);
  void end_jobs_of(CloudContext& ctx, const Service& svc);
  nlohmann::json job_json(const Job& j) const;
  void boundary(CloudContext& ctx);
  void meter(CloudContext& ctx, Ms from, Ms to, int cycle);
  void close_cycle(CloudContext& ctx, int cycle);
  nlohmann::json bill_json(const std::string& id, const std::string& customer, Ms from, Ms to,
                           const std::string& run_type, const std::string& state,
                           const std::vector<const Usage*>& usage);
  void list_usage(CloudContext& ctx, const Message& request, const std::string& op);
  void bill_on_demand(CloudContext& ctx, const Message& request, const std::string& op);
  void update_bill(CloudContext& ctx, const Message& request, const std::string& op, const std::string& id);
  nlohmann::json usage_json(const Usage& u) const;
  Ms down_between(const Service& svc, Ms from, Ms to) const;

  std::uint64_t set_timer(CloudContext& ctx, double delay, Timer timer);
  const CloudServiceOffer* offer(const std::string& id) const;
  int cycle_of(Ms t) const;
  Ms cycle_ms() const { return static_cast<Ms>(setup_.bill_cycle * 1000 + 0.5); }
  static Ms ms(double seconds);
  std::string iso(CloudContext& ctx, Ms t) const;

  CloudSetup setup_;
  std::map<std::string, Hub> hubs_;
  std::map<std::string, Customer> customers_;                                 // key: operator + "/" + customer id
  std::map<std::string, Order> orders_;                                       // by order id
  std::map<std::pair<std::string, std::string>, std::string> by_external_id_; // (operator, externalId) -> order id
  std::map<std::string, Service> services_;                                   // by service id
  std::map<VmId, std::string> vm_owner_;                                      // VM -> service id
  std::map<VmId, std::vector<std::pair<std::string, std::size_t>>> waiters_;  // VM -> (order id, item index)
  std::map<std::string, Alarm> alarms_;
  std::map<std::string, Job> jobs_;
  std::vector<Usage> usage_; // in creation order
  std::map<std::string, Bill> bills_;
  std::map<std::uint64_t, Timer> timers_;
  std::uint64_t next_timer_ = 0;
  std::uint64_t next_order_ = 0, next_service_ = 0, next_event_ = 0, next_hub_ = 0, next_task_ = 0;
  std::uint64_t next_usage_ = 0, next_bill_ = 0, next_alarm_ = 0, next_job_ = 0, next_report_ = 0;
  std::uint64_t next_violation_ = 0;
  Ms metered_until_ = 0;                                              // usage is metered up to here
  Ms next_boundary_ = 0;                                              // the end of the usage period being metered next
  std::vector<std::pair<std::string, std::string>> dc_jurisdictions_; // data centre -> jurisdiction
};

} // namespace i1sim::cloud
