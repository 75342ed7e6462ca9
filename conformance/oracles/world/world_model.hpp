// What the world oracles know after reading a run's stream: ground truth (machines, cloud outages) and the claims
// the implementation made over I1 (orders, items, services, alarms, violations, jobs, reports), in compact form.
#pragma once

#include "conformance/oracles/string_table.hpp"
#include "trace/event_stream.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace i1sim::conformance::world {

inline constexpr double kNever = std::numeric_limits<double>::infinity();

/// An instant of the stream: when it happened (s) and the event that shows it (0: none).
struct Stamp {
  double t = kNever;
  std::uint64_t id = 0;
  bool known() const { return id != 0; }
  /// Keeps the earliest of the instants given (the first of equal times).
  void keep_earliest(Stamp at) {
    if (!known() || at.t < t)
      *this = at;
  }
};

/// A string of the run kept once in Model::strings (0: the empty string). A type of its own, so that a record's
/// field cannot be printed or compared as a number by mistake: read it through Model::text.
struct Str {
  std::uint32_t id = 0;
  bool empty() const { return id == 0; }
  friend bool operator==(Str, Str) = default;
};

/// One machine as ground truth saw it.
struct Vm {
  Str key, owner, dc; // key: "dc/vm"
  int vcpu = 0;
  Stamp placed, booted, ended; // ended: destroyed or failed
  struct Outage {
    Stamp down, up; // up unknown: still down at its end (or at the machine's end)
  };
  std::vector<Outage> outages;
  bool live_at(double t) const { return placed.t <= t && ended.t > t; }
  bool running_at(double t) const;
};

/// A time interval [from, to) with the events that open and close it.
struct Interval {
  double from = 0, to = kNever;
  std::uint64_t from_id = 0, to_id = 0;
  bool recovered = false; // closed by the machine coming back up (not by its end, nor still open)
};

/// What the checks read of an item's requested serviceCharacteristic: the value of the first entry of each name
/// when it is a number, and the allowed jurisdictions (an array's strings, or one string).
struct Characteristics {
  std::optional<double> instances, objective, max_activation;
  std::vector<Str> allowed;
};

/// One item of an order as requested and as reported.
struct Item {
  Str id, action, service;
  Str error_code;                  // from errorMessage naming the item
  Characteristics characteristics; // as requested (empty when the request was not seen)
  // The first report of each state the checks judge (by the producer's send time); other states are not kept.
  Stamp completed, failed, cancelled, rejected;
  Stamp error;
};

struct Order {
  Str id, customer, credential, external_id;
  Stamp request; // t: arrival at the producer
  double request_sent = 0;
  Stamp response; // the 201
  std::vector<Item> items;
  Stamp cancel_request; // a cancellation request that reached the producer (earliest)
  Stamp cancel_done;    // the cancellation reported done
};

struct Service {
  Str id, customer, order;                          // order: the order that added it
  Stamp active, terminated;                         // the first view in each of these states (earliest time)
  std::vector<std::pair<Stamp, Str>> operating;     // operating statuses notified
  std::vector<std::pair<Stamp, double>> objectives; // availabilityObjective as carried by each view
  Stamp first_view_without_objective;               // the first view (in stream order) that did not carry it
};

struct Alarm {
  std::string id, service;
  Stamp raised;
  Stamp cleared;
};

struct Violation {
  std::string id, service;
  Stamp sent;
  double period_start = -1, period_end = -1; // as written (may carry a clock skew)
};

struct Job {
  std::string id, service, granularity, credential;
  std::vector<std::string> indicators;
  Stamp request;
  Stamp created; // the 201
  nlohmann::json response_body;
  int status = 0;
  Stamp ended; // completed / cancelled / failed / rejected reported
};

struct Report {
  std::string id, job, service;
  Stamp sent;
  double period_start = -1, period_end = -1;
  std::map<std::string, double> values; // indicator -> value
};

struct Customer {
  std::string id, op;
  std::vector<std::pair<double, std::vector<std::string>>> allowed; // from t on: allowed codes (empty: all)
  /// The codes allowed from t on (empty: all), a view of `allowed` (no copy).
  const std::vector<std::string>& allowed_at(double t) const;
};

/// Where a claim about a resource went (X profile isolation) or was read back. There is one per notification and
/// per resource a response shows; most are judged as they come (see Model::settle) and only the others are kept,
/// packed in 32 bytes.
struct Delivery {
  std::uint64_t seq = 0;   // its place among all deliveries (0 first), which orders the verdicts
  std::uint64_t event = 0; // the event that shows it
  Str party;               // the receiving listener (notified), or the requester's credential (answered)
  Str customer;            // the customer the data is about ("" unknown)
  Str subject;             // the service the customer is named through, or the order (about_order)
  std::uint32_t what : 30; // the message's name, an id in Model::strings
  std::uint32_t notified : 1;
  std::uint32_t about_order : 1;
  Str callback() const { return notified ? party : Str{}; }
  Str credential() const { return notified ? Str{} : party; }
  Str service() const { return about_order ? Str{} : subject; }
  Str order() const { return about_order ? subject : Str{}; }
};

static_assert(sizeof(Delivery) == 32, "a delivery that cannot be judged yet is kept: keep it packed");

/// What iso.own_data makes of a delivery once its receiver and its customer's operator are known for good.
struct Ownership {
  enum class Outcome { unknown, not_judged, own, foreign };
  Outcome outcome = Outcome::unknown;         // unknown: a fact it rests on may still come later in the stream
  std::string_view receiver, customer, owner; // own, foreign: the operator that received it, the customer and its
                                              // operator (views into the model's records)
};

/// iso.own_data's reason for a delivery that went to operator `receiver` about `customer` of operator `owner`.
std::string foreign_delivery_reason(std::string_view receiver, std::string_view what, std::uint64_t event,
                                    std::string_view customer, std::string_view owner);

/// A delivery that went to an operator other than its customer's, judged as it came.
struct ForeignDelivery {
  std::uint64_t seq = 0, event = 0;
  std::uint32_t what = 0; // the message's name, an id in Model::strings
  Str receiver, customer, owner;
};

/// A service read by id: what inv.read and reg.reported_place judge of the body, taken out as it arrives.
struct Read {
  Stamp at;
  Str requested;                // the service id in the request's target
  Str id, state, operating;     // the body's strings ("" when absent or not a string)
  Str instances_text;           // the value of characteristic instances as JSON text
  bool characteristics = false; // serviceCharacteristic is an array
  bool placed = false;          // place is an array
  bool place_empty = false;
  bool instances_shown = false;           // a characteristic instances with a non-null value
  std::optional<double> instances;        // its value, when a number
  std::vector<std::pair<Str, Str>> place; // (data centre, jurisdiction) of entries with an id
};

struct IdClaim {
  Stamp at;
  Str credential, kind, id, owner_op; // owner_op: the operator the body names (customers)
};

/// Everything collected from one stream. The records that grow with the run (orders, items, services, machines,
/// deliveries, reads) hold Str ids into `strings` instead of copies; the long lists are deques, which grow by blocks
/// instead of doubling and copying.
struct Model {
  Model() = default;
  Model(const Model&) = delete; // vms_of points into vms
  Model& operator=(const Model&) = delete;

  // The maps keyed by string compare transparently, so that a lookup by std::string_view (a text of `strings`)
  // builds no string.
  std::map<std::string, Vm> vms;                                     // "dc/vm" -> machine
  std::map<std::string, std::vector<const Vm*>, std::less<>> vms_of; // owner -> its machines, in order of first sight
  std::vector<Interval> cloud_down;
  std::map<std::string, double> lost_sent; // corr -> earliest send time of a frame the channel lost
  std::map<std::string, Customer, std::less<>> customers;
  std::map<std::string, std::string, std::less<>> credential_op;  // credential -> operator (from customers it created)
  std::map<std::string, std::string, std::less<>> hub_credential; // callback -> credential of its subscription
  bool credentials_seen = false;
  std::map<std::string, Order, std::less<>> orders;
  std::map<std::string, Service, std::less<>> services;
  std::map<std::string, Alarm> alarms;
  std::map<std::string, Violation> violations;
  std::map<std::string, Job> jobs;
  std::map<std::string, Report> reports;
  StringTable strings;
  std::deque<Delivery> deliveries;                 // those not judged as they came: iso.own_data judges them at the end
  std::uint64_t delivery_count = 0;                // every delivery seen
  std::uint64_t own_deliveries = 0;                // judged as they came: to the operator of their customer
  std::vector<ForeignDelivery> foreign_deliveries; // judged as they came: to another operator
  std::deque<Read> reads;
  std::deque<IdClaim> id_claims;
  std::vector<std::pair<std::uint64_t, std::string>> unreadable; // events the model could not read

  void observe(const trace::Event& e);

  std::string_view text(Str s) const { return strings.text(s.id); }
  /// The machines of `owner` (none when it has none).
  const std::vector<const Vm*>& machines_of(std::string_view owner) const;
  /// The earliest time the producer sent the frame with this corr (a lost copy counts).
  double first_sent(const std::string& corr, double sent) const;
  /// `from + length` pushed later by every instant of a cloud outage between from and the deadline.
  double deadline(double from, double length) const;
  /// When the service was truly down (any machine of it down), merged, in time order.
  /// booted_only: count only machines that had booted before they went down (a machine still booting does not
  /// stop running).
  std::vector<Interval> down_intervals(std::string_view service, bool booted_only = false) const {
    return down_intervals(machines_of(service), booted_only);
  }
  /// The same of a service's machines (machines_of), for a caller that looked them up once.
  static std::vector<Interval> down_intervals(const std::vector<const Vm*>& machines, bool booted_only = false);
  /// Machines booted by t and not ended by t, and their vCPUs.
  static int running_count(const std::vector<const Vm*>& machines, double t);
  static int running_vcpu(const std::vector<const Vm*>& machines, double t);
  static int live_count(const std::vector<const Vm*>& machines, double t);
  int running_vcpu(std::string_view service, double t) const { return running_vcpu(machines_of(service), t); }
  /// The operator of a credential ("" unknown), a view into credential_op.
  std::string_view operator_of_credential(std::string_view credential) const;
  std::string_view customer_of_service(std::string_view service) const;
  /// What iso.own_data makes of `d`. As the stream goes on (at_end false), only from facts that are final once
  /// known: set once and never changed however the stream goes on (a hub's credential, a credential's operator, a
  /// customer's operator, a service's or a requested order's customer); unknown when one of them is not known yet,
  /// and iso.own_data judges it again at the end. At the end (at_end true), from whatever the stream showed:
  /// not_judged when a fact is missing; a service that names no customer is then attributed to
  /// `items_customer(service)` (the customer of the first order naming it, which only the oracle indexes).
  Ownership ownership(const Delivery& d, bool at_end,
                      const std::function<std::string_view(Str service)>& items_customer = {}) const;

private:
  struct Pending {
    std::string name, credential, target;
    Stamp at;
    double sent = 0;
    nlohmann::json body;
  };
  std::map<std::string, Pending> pending_; // corr -> request still awaiting its response
  Str intern(std::string_view s) { return {strings.id(s)}; }
  void on_request(const trace::Event& e);
  void on_response(const trace::Event& e);
  void on_notification(const trace::Event& e);
  void on_truth(const trace::Event& e);
  void order_view(const nlohmann::json& so, Stamp at);
  void service_view(const nlohmann::json& svc, Stamp at);
  Read read_of(Stamp at, std::string_view requested, const nlohmann::json& body);
  void deliver(Stamp at, std::string_view callback, std::string_view credential, std::string_view customer,
               std::string_view service, std::string_view order, std::string_view what);
};

/// Interval total within [from, to).
double overlap(const std::vector<Interval>& intervals, double from, double to);
/// The characteristic `name` of a serviceCharacteristic array, or null.
const nlohmann::json* characteristic(const nlohmann::json& list, const std::string& name);

} // namespace i1sim::conformance::world
