// The harness's Telecom side (the tester and the consumer of I1): the Telecom BSS sells products to customers
// and drives the workload; the Telecom OSS speaks I1 for every operator: it syncs customers, orders, tracks
// states, acknowledges alarms, collects usage and issues one converged bill per customer and cycle.
#pragma once

#include "i1/binding.hpp"
#include "scenario/scenario.hpp"
#include "telecom/arrivals.hpp"
#include "trace/event_stream.hpp"
#include "util/id_set.hpp"
#include "util/random.hpp"
#include "util/string_table.hpp"
#include "world/daemon.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace i1sim::faults {
class ChannelFaults;
}

namespace i1sim::telecom {

/// The credential an operator presents in the X profile (a simulated bearer token).
std::string credential_of(const std::string& operator_id);
/// Every timer of the I1 specification with the value this scenario gives it (its default unless overridden).
std::map<std::string, double> timer_values(const scenario::Scenario& sc);
/// The customer id of customer number `n` (from 1).
std::string customer_id(int n);
/// The operator of every customer, customer n at index n - 1: drawn by weight from the run's
/// "customers.operators" stream when the scenario has customers.operators shares, else (n - 1) mod
/// |i1.operators|.
std::vector<std::string> customer_operators(const scenario::Scenario& sc, std::uint64_t seed);
/// The operator of customer `n` (from 1) alone: customer_operators(sc, seed)[n - 1].
std::string operator_of(const scenario::Scenario& sc, std::uint64_t seed, int n);
/// The correlation id of the OSS's `n`th request attempt (from 1): REQ- and n on at least seven digits.
std::string request_corr(std::uint64_t n);
/// The `n` for which request_corr(n) is `corr`, or 0 when there is none (another form, a probe's PRB-...).
std::uint64_t request_number(std::string_view corr);

/// The externalId of the `n`th change order (from 1) of product order `product`: "<product>-C<n>".
std::string change_external_id(std::string_view product, unsigned n);
/// Splits an externalId spelled as change_external_id spells it into the product order id and n (from 1); false
/// for any other text (no "-C", no digits, a leading zero, n of 0 or past 65,535).
bool split_change_external_id(std::string_view external_id, std::string_view& product, unsigned& n);
/// The bill cycle (from 0) a usage record whose period starts `from_ms` is billed in, with cycles of `cycle_ms`:
/// from_ms / cycle_ms, or -1 when it is in none (a start before the first cycle, no cycles, or past 2^31 cycles).
std::int32_t usage_cycle(std::int64_t from_ms, std::int64_t cycle_ms);

/// The operator's OSS, written to get the same outcome over a channel that loses, duplicates, delays and
/// reorders frames, and from a Cloud side that stops for a while:
/// - every request is sent again when no answer came within 2 x T_response (or the retransmission timeout of
///   the round trips measured, when longer), the wait doubling each time, up to
///   8 attempts (a service order keeps its externalId, so it is created once; only service orders are watched
///   when the timeline has no fault that loses I1 frames); the first answer to any attempt
///   counts, later ones are ignored and counted (response.duplicate); a second subscription or measurement job
///   that a retry created is deleted again;
/// - every notification is answered 204, and handled once per eventId (notification.duplicate otherwise);
///   states only move forward, so a late or redelivered older state never replaces a newer one;
/// - an order whose outcome has not come T_activation (or its items' longest maxActivationSeconds) +
///   2 x T_notify + 60 s after it was acknowledged is read back (order.polled), and its services too when
///   the order completed, up to 5 times (in runs whose timeline can lose I1 frames); usage is pulled again at
///   every cycle's close, and an alarm the audit lists unacknowledged is acknowledged then. No operation reads
///   a Cloud bill back: a lost CustomerBillCreateEvent is only recovered by the Cloud side sending it again.
class TelecomOss : public world::Daemon {
public:
  TelecomOss(simgrid::s4u::Host* host, const scenario::Scenario& sc, std::uint64_t seed, trace::EventStream& events);
  void set_peers(const world::Daemon* bss, const world::Daemon* cloud) {
    bss_ = bss;
    cloud_ = cloud;
  }
  /// Sends every I1 frame through the run's channel faults.
  void set_channel(faults::ChannelFaults* channel);
  /// The notification callback address an operator registers with the Cloud side's hub.
  std::string listener_address(const std::string& operator_id) const {
    return "sim://" + name() + "/listener/" + operator_id;
  }
  /// Requests sent and neither answered nor given up on yet.
  std::size_t requests_waiting() const { return outstanding_.size(); }

protected:
  void on_start() override;
  void on_envelope(world::Envelope&& envelope) override;

private:
  using Ms = std::int64_t;
  struct Customer {
    std::string id, op;
    std::uint32_t allowed = 0; // its allowed jurisdictions: an index of allowed_sets_ (customers share a few)
    bool synced = false;
    // Bought before the customer was synchronised. A vector, not a deque: an empty std::deque holds a 512-byte
    // block, and a month has a hundred thousand customers, almost all of whom never wait.
    std::vector<world::ProductOrder> waiting;
  };
  /// A product, kept for the whole run (bills, audits and late notifications read it). A month of a million
  /// orders keeps a million, so the names it repeats (customer, catalogue product, operator, its order's state)
  /// are ids of names_, its id is its map key, and what only a few products need is kept aside.
  struct Product {
    const std::string* key = nullptr; // its product order id: the key of its products_ entry, which never moves
    std::string order_id;             // the activation ServiceOrder
    std::vector<std::string> services;
    // Read only until the product is resolved (resolve drops it); most products never have one.
    std::unique_ptr<std::map<std::string, std::string>> service_state;
    Ms active_from = -1, active_to = -1;
    std::uint32_t customer = 0, product = 0, op = 0, order_state = 0; // ids of names_
    std::uint16_t changes = 0;     // change orders sent: the nth has externalId change_external_id(id, n)
    std::uint16_t terminating = 0; // bit n - 1 set: change n terminates the product (else it modifies it)
    bool resolved = false, active = false, terminated = false;
    const std::string& id() const { return *key; }
  };
  enum class Purpose : std::uint8_t { activation, modify, terminate };
  /// What a ServiceOrder of the run is for, kept for the whole run: late notifications of an order may come at
  /// any time after it is done.
  struct OrderRef {
    Product* product = nullptr; // products_ never drops a product, and its node never moves
    Purpose purpose = Purpose::activation;
    bool done = false;
    bool watched = false; // its outcome is awaited with a deadline (watch_order)
  };
  struct Pending {
    std::string type;
    std::string subject; // product id, customer id, service id, bill id, ...
    Purpose purpose = Purpose::activation;
  };
  /// One request as the OSS means it, over all its attempts: each attempt has its own correlation id, the
  /// first answer to any of them is the answer, and later answers are duplicates. Kept while no answer came.
  struct Outstanding {
    std::string op, type, target;
    nlohmann::json body;
    Pending pending;
    int attempts = 0;
    double sent = 0; // when the last attempt went out
  };
  /// What every request leaves for the whole run, by its number: enough to recognise a late or duplicated answer
  /// (answered_again). A month of a million orders sends millions of requests, so it is names of request_names_
  /// (operators and operation types, a few) and a flag; the subject of a creation it may have to undo is kept
  /// aside (created_).
  struct Sent {
    std::uint16_t op = 0, type = 0, pending_type = 0;
    bool answered = false; // or given up on: the request is no longer in outstanding_
  };
  struct UsageRecord {
    std::uint32_t customer = 0; // an id of usage_customers_
    std::int32_t cycle = -1;    // the cycle it is billed in (usage_cycle of its period's start); 16 bytes a record
    std::int64_t amount = 0;
  };
  struct CloudBill {
    std::string id;
    std::int64_t usage = 0, credits = 0, due = 0;
    bool settled = false;
  };

  void request(const std::string& op, std::string type, std::string target, nlohmann::json body, Pending pending);
  void attempt(std::uint64_t id);
  void no_answer(std::uint64_t id, int attempt);
  double retry_wait(int attempt);
  void sync_customers();
  void submit(const world::ProductOrder& po);
  void send_order(const std::string& op, const nlohmann::json& body, const Pending& pending);
  void change(const world::ProductChange& change);
  void on_response(const Message& m);
  void answered(const Message& m, const Outstanding& o);
  void answered_again(const Message& m, std::uint64_t id);
  std::uint16_t request_name(const std::string& name);
  void watch_order(const std::string& order_id, OrderRef& ref);
  /// The order an externalId of the OSS's names: a product's activation or one of its changes.
  std::optional<OrderRef> external(const std::string& external_id);
  const std::string& named(std::uint32_t id) const { return names_.text(id); }
  void check_order(const std::string& order_id, int round);
  double patience(const OrderRef& ref) const;
  void advance_service(Product& p, const std::string& service, const std::string& state);
  void replayed(Product& p);
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
  std::uint64_t next_outstanding_ = 0;
  // By correlation number (request_number) - 1: the request (its id) it is an attempt of. Ids and numbers are
  // both counted up from one, so an array replaces the maps of strings a whole run's requests filled.
  std::vector<std::uint32_t> attempts_;
  std::vector<Sent> sent_;                           // by request id - 1
  std::map<std::uint64_t, Outstanding> outstanding_; // requests not answered (nor given up on) yet, by id
  std::map<std::uint64_t, std::string> created_;     // request id -> subject, for creations answered_again undoes
  util::StringTable request_names_;                  // the names Sent holds
  util::IdSet events_heard_;                         // eventIds of the notifications handled: a redelivery is ignored
  std::uint64_t ignored_responses_ = 0, ignored_notifications_ = 0;
  double srtt_ = -1, rttvar_ = 0; // smoothed round trip of requests and its variation, s (-1: none measured)
  std::map<std::string, Customer> customers_;
  // Customers with orders waiting for their sync, in id order: every answer looks for orders it may release, and a
  // walk of every customer there made a run quadratic in its customers.
  std::set<std::string> waiting_;
  std::map<std::string, Product> products_;
  // ServiceOrder id -> purpose: the ids interned (about 15 bytes each), and the refs by their ids (16 bytes; one of
  // no product is none). A month has a million orders and more; nothing walks them, so no map is needed.
  util::CompactStringTable order_ids_;
  std::vector<OrderRef> orders_;
  /// The order of ServiceOrder id `id`, or null when the OSS has not heard of it.
  OrderRef* find_order(std::string_view id);
  /// Keeps `ref` for ServiceOrder id `id` unless it has one already; the one it has.
  OrderRef& add_order(std::string_view id, const OrderRef& ref);
  // A notification may overtake the 201 of its order: its externalId, which names the product and the change
  // (see external), then tells the purpose.
  // Replays' answers (status, order id) not compared yet, by product: a few products are replayed.
  std::map<const Product*, std::pair<int, std::string>> replays_;
  util::StringTable names_; // customers, catalogue products, operators and order states of products_
  // The allowed jurisdictions of customers, each set once: Customer::allowed indexes it.
  std::vector<std::vector<std::string>> allowed_sets_;
  std::uint32_t allowed_set(const std::vector<std::string>& allowed);
  // The usage records, de-duplicated by id: a month of a million orders brings about seven million, so each is 16
  // bytes and its id a bit of a set (a std::map node of strings cost about 130 bytes a record).
  util::IdSet usage_ids_;
  std::vector<UsageRecord> usage_;
  util::StringTable usage_customers_;
  std::uint64_t usage_duplicates_ = 0;
  std::map<std::pair<std::string, int>, CloudBill> cloud_bills_; // (customer, cycle) -> the Cloud side's bill
  std::map<std::string, std::uint64_t> events_seen_;             // event type -> count
  std::map<std::string, std::string> hubs_;                      // operator -> its subscription id
  std::map<std::string, std::string> jobs_;                      // service id -> measurement job id
  // The inventory audit in progress, one listing per customer.
  struct AuditPart {
    std::string op;
    std::vector<const Product*> products; // its active products when the audit began
  };
  struct Audit {
    std::size_t waiting = 0; // customers whose listing has not come back yet
    std::size_t services = 0, checked = 0, mismatches = 0;
  };
  std::map<std::string, AuditPart> audit_parts_; // customer id -> what its listing is compared with
  std::map<std::string, Audit> audits_;          // operator -> its audit's tally
  std::vector<std::string> customer_ops_;        // customer n's operator at n - 1
  // Whether the run's timeline can lose I1 frames (channel, cloud_restart, link_cut). Only then does the OSS
  // watch every request and every order with a timer: without such faults those timers would never act, and
  // each one that expires is a step more for the engine, whose clock (a running sum) would then round
  // differently and change the run's results in their last digits.
  bool lossy_ = false;
  void audit(bool last);
  void audited(const AuditPart& part, const Message& m);

  // Conformance probes (telecom.probes): deliberately invalid or unusual requests. Each is sent once, outside the
  // retry machinery, under a correlation id of its own numbering (PRB-...), so a run without probes sends and
  // numbers exactly what it did before. Every probe request is announced by a `probe.sent` tester event naming
  // the probe, its corr and what it targets, so that the probe oracles judge the answer from the stream alone; a
  // probe that cannot be sent (nothing to target yet) is announced by `probe.skipped`.
  struct ProbeRequest {
    std::string probe, step, op;
    nlohmann::json info; // what the follow-up steps need
  };
  void run_probe(scenario::Probe::Kind kind);
  void send_probe(const std::string& probe, const std::string& step, const std::string& op, const std::string& type,
                  const std::string& target, nlohmann::json body, nlohmann::ordered_json info,
                  const std::string* credential = nullptr);
  void probe_skipped(const std::string& probe, const std::string& step, const std::string& reason);
  void probe_answered(const Message& m, const ProbeRequest& p);
  void probe_order(const std::string& probe, const std::string& step, const std::string& op,
                   const std::string& customer, const std::string& spec, nlohmann::ordered_json info);
  nlohmann::json probe_order_body(const std::string& external_id, const std::string& customer,
                                  const std::string& spec) const;
  const Customer* probe_customer(const std::string& op) const;
  const Customer* list_probe_customer(const std::string& op) const;
  const Product* probe_product(const std::string& op) const;
  std::string probe_listener(const std::string& op) const { return listener_address(op) + "/probe"; }
  std::map<std::string, ProbeRequest> probes_pending_; // corr -> the probe request it is
  std::uint64_t next_probe_ = 0;                       // PRB-... correlation ids
  std::uint64_t next_probe_order_ = 0;                 // PROBE-... externalIds
  std::map<std::string, std::string> probe_hubs_;      // operator -> the hubQuery probe's subscription id
};

class TelecomBss : public world::Daemon {
public:
  TelecomBss(simgrid::s4u::Host* host, const scenario::Scenario& sc, std::uint64_t seed, trace::EventStream& events);
  void set_oss(const TelecomOss* oss) { oss_ = oss; }
  /// The Cloud side's daemon: a billed run waits for the frames between it and the Telecom OSS (end_when_answered).
  void set_cloud(const world::Daemon* cloud) { cloud_ = cloud; }
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
  void end_when_done();
  void end_when_answered(double deadline);
  void end(const std::string& why);

  const scenario::Scenario* sc_;
  trace::EventStream* events_;
  Random rng_;
  Random changes_;
  const TelecomOss* oss_ = nullptr;
  const world::Daemon* cloud_ = nullptr;
  int sold_ = 0;
  int resolved_ = 0;
  int changes_pending_ = 0; // scheduled or in flight: a run without bill cycles waits for them
  bool drain_armed_ = false;
  bool settling_ = false; // a billed run past its last bills: nothing new is sent
  Arrivals arrivals_;     // draws from rng_, declared before it
  bool ended_ = false;
  double ended_at_ = 0;
  std::function<void()> on_end_;
};

} // namespace i1sim::telecom
