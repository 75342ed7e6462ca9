// The harness's Telecom side (the tester and the consumer of I1): the Telecom BSS sells products to customers
// and drives the workload; the Telecom OSS speaks I1 for every operator: it syncs customers, orders, tracks
// states, acknowledges alarms, collects usage and issues one converged bill per customer and cycle.
#pragma once

#include "i1/binding.hpp"
#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"
#include "util/random.hpp"
#include "world/daemon.hpp"

#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>

namespace i1sim::telecom {

/// The credential an operator presents in the X profile (a simulated bearer token).
std::string credential_of(const std::string& operator_id);
/// Every timer of the I1 specification with the value this scenario gives it (its default unless overridden).
std::map<std::string, double> timer_values(const scenario::Scenario& sc);
/// The customer id of customer number `n` (from 1) and the operator it belongs to.
std::string customer_id(int n);
const std::string& operator_of(const scenario::Scenario& sc, int n);

class TelecomOss : public world::Daemon {
public:
  TelecomOss(simgrid::s4u::Host* host, const scenario::Scenario& sc, std::uint64_t seed, trace::EventStream& events);
  void set_peers(const world::Daemon* bss, const world::Daemon* cloud) {
    bss_ = bss;
    cloud_ = cloud;
  }
  /// The notification callback address an operator registers with the Cloud side's hub.
  std::string listener_address(const std::string& operator_id) const {
    return "sim://" + name() + "/listener/" + operator_id;
  }

protected:
  void on_start() override;
  void on_envelope(world::Envelope&& envelope) override;

private:
  using Ms = std::int64_t;
  struct Customer {
    std::string id, op;
    std::vector<std::string> allowed;
    bool synced = false;
    std::deque<world::ProductOrder> waiting; // bought before the customer was synchronised
  };
  struct Product {
    std::string id; // product order id
    std::string customer, product, op;
    std::string order_id; // the activation ServiceOrder
    std::string order_state;
    std::vector<std::string> services;
    std::map<std::string, std::string> service_state;
    bool resolved = false, active = false, terminated = false;
    Ms active_from = -1, active_to = -1;
    int changes = 0;
  };
  enum class Purpose { activation, modify, terminate };
  struct OrderRef {
    std::string product;
    Purpose purpose = Purpose::activation;
    bool done = false;
  };
  struct Pending {
    std::string type;
    std::string subject; // product id, customer id, service id, bill id, ...
    Purpose purpose = Purpose::activation;
  };
  struct UsageRecord {
    std::string customer;
    Ms from = 0; // start of its period: the cycle it is billed in
    std::int64_t amount = 0;
  };
  struct CloudBill {
    std::string id;
    std::int64_t usage = 0, credits = 0, due = 0;
    bool settled = false;
  };

  void request(const std::string& op, std::string type, std::string target, nlohmann::json body, Pending pending);
  void sync_customers();
  void submit(const world::ProductOrder& po);
  void send_order(const std::string& op, const nlohmann::json& body, const Pending& pending, int attempt);
  void change(const world::ProductChange& change);
  void on_response(const Message& m);
  void on_notification(const Message& m);
  void on_order(const nlohmann::json& order);
  void product_activated(Product& p);
  void resolve(Product& p, bool active, const std::string& reason);
  void collect_usage(int cycle);
  void bill_cycle(int cycle);
  void bills_on_demand();
  void add_usage(const nlohmann::json& usage, bool pulled);
  Ms cycle_ms() const;
  static Ms ms(double seconds);

  const scenario::Scenario* sc_;
  trace::EventStream* events_;
  i1::InSimBinding binding_;
  Random rng_;
  std::map<std::string, double> timers_;
  const world::Daemon* bss_ = nullptr;
  const world::Daemon* cloud_ = nullptr;
  std::set<std::string> subscribed_; // operators whose hub subscription is acknowledged
  std::uint64_t next_request_ = 0;
  std::map<std::string, Pending> pending_; // correlation id -> what the request was for
  std::map<std::string, Customer> customers_;
  std::map<std::string, Product> products_;
  std::map<std::string, OrderRef> orders_;   // ServiceOrder id -> purpose
  std::map<std::string, OrderRef> external_; // externalId -> purpose (a notification may overtake the 201)
  std::map<std::string, UsageRecord> usage_; // usage id -> record: de-duplicated by id
  std::uint64_t usage_duplicates_ = 0;
  std::map<std::pair<std::string, int>, CloudBill> cloud_bills_; // (customer, cycle) -> the Cloud side's bill
  std::map<std::string, std::uint64_t> events_seen_;             // event type -> count
  std::map<std::string, std::string> hubs_;                      // operator -> its subscription id
  std::map<std::string, std::string> jobs_;                      // service id -> measurement job id
  void audit(bool last);
};

class TelecomBss : public world::Daemon {
public:
  TelecomBss(simgrid::s4u::Host* host, const scenario::Scenario& sc, std::uint64_t seed, trace::EventStream& events);
  void set_oss(const world::Daemon* oss) { oss_ = oss; }
  /// Called once when the run ends (all orders resolved and drained, the last bill cycle billed, or
  /// stop.max_time).
  void set_on_end(std::function<void()> on_end) { on_end_ = std::move(on_end); }
  /// Simulated time at which the run ended.
  double ended_at() const { return ended_at_; }

protected:
  void on_start() override;
  void on_envelope(world::Envelope&& envelope) override;

private:
  void arrive();
  void end(const std::string& why);

  const scenario::Scenario* sc_;
  trace::EventStream* events_;
  Random rng_;
  Random changes_;
  const world::Daemon* oss_ = nullptr;
  int sold_ = 0;
  int resolved_ = 0;
  double total_weight_ = 0;
  bool ended_ = false;
  double ended_at_ = 0;
  std::function<void()> on_end_;
};

} // namespace i1sim::telecom
