// Shared pieces of the protocol oracle: the per-check tally, the frames it judges, what the harness did to them
// (lost, duplicated, delayed frames, Cloud process stops, clock skew) and the registry of who created what.
#pragma once

#include "conformance/oracles/flat_map.hpp"
#include "conformance/oracles/oracle.hpp"
#include "i1sim/message.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace i1sim::conformance::protocol {

/// One check's running verdict: every observation passes or fails; the first failure gives the reason.
class Tally {
public:
  explicit Tally(CheckInfo info) : info_(std::move(info)) {}
  const CheckInfo& info() const { return info_; }
  void pass() { ++observed_; }
  /// One observation that broke the requirement; `why` names the ids, times and values compared.
  void fail(const std::string& why, const std::vector<std::uint64_t>& ids);
  /// The harness itself could not be read (a malformed event).
  void error(const std::string& why, std::uint64_t id);
  CheckResult result() const;

private:
  CheckInfo info_;
  std::uint64_t observed_ = 0;
  std::uint64_t violations_ = 0;
  Verdict verdict_ = Verdict::none;
  std::string reason_;
  std::vector<std::uint64_t> events_;
};

/// A producer's frame (Cloud to Telecom: a response or a notification) as it left the producer, or a response
/// frame the harness's channel lost (no body).
struct Frame {
  std::uint64_t id = 0; // event id of its arrival (or of the channel.lost event)
  double t = 0;         // arrival
  double sent = 0;      // departure from the producer
  bool lost = false;
  Message msg; // type, corr, status, target (a notification's callback), body
};

/// A request as it reached the producer, with what the judges need of its body.
struct Arrival {
  std::uint64_t id = 0;
  double t = 0;
  std::string name;
  std::string credential;
  bool well_formed = false;   // the body passes the specification's shape checks
  std::string key;            // createCustomer: customer id; createServiceOrder: externalId; read: the id in the path
  std::string customer;       // createServiceOrder: the customer named in relatedParty
  std::string callback;       // createHub
  std::string query;          // createHub
  bool adds_capacity = false; // createServiceOrder: every item adds a service with capacity and performance
  std::vector<std::string> specs; // createServiceOrder: service specifications named
  std::uint64_t repeat = 0;       // createCustomer / createServiceOrder: how many arrivals of the same key came before
};

/// What the harness did: Cloud process down windows, clock skew history, channel copies and hold times.
class Harness {
public:
  void cloud_down(double t) { down_.emplace_back(t, -1.0); }
  void cloud_up(double t);
  void skew(double t, double offset) { skew_.emplace_back(t, offset); }
  void channel_fault(double delay, double reorder);
  /// Seconds in [a, b] during which the Cloud process was down (the harness held its work).
  double held(double a, double b) const;
  /// Whether the Cloud process was down at some time in [a, b].
  bool down_during(double a, double b) const;
  /// The clock offsets the Cloud side read at some time in [a, b] (at least the one in force at b).
  std::vector<double> offsets(double a, double b) const;
  /// How long after a frame was sent it may still arrive (channel delay and reordering included).
  double hold() const { return hold_; }

  /// The channel announced that the frame (dir, kind, corr) will be delivered twice.
  void duplicated(const std::string& key) { ++copies_[key].expected; }
  /// Whether an arrival of (dir, kind, corr) sent at `sent` is the channel's second copy of one already seen.
  bool is_copy(const std::string& key, double sent);
  /// Whether any duplication is still awaited (else no arrival is a copy, and is_copy need not be asked).
  bool copies_pending() const { return !copies_.empty(); }

private:
  struct Copies {
    int expected = 0;
    std::vector<double> seen;
  };
  std::vector<std::pair<double, double>> down_; // [down, up); up < 0 while still down
  std::vector<std::pair<double, double>> skew_; // (t, offset in force from t)
  double hold_ = 1.0;
  std::map<std::string, Copies> copies_;
};

/// Who created what: hubs (per callback), customers (per operator credential), and which customer an order or a
/// service belongs to, learnt from the producer's answers.
struct Registry {
  struct Hub {
    std::string id;
    std::string credential;
    std::string query; // "" or eventType=A,B
    double since = 0;
    double deleted = -1;
  };
  // One entry per customer, order and service of the run: strings are kept as ids of Shared::names (read them
  // with Shared::lookup).
  using Ids = FlatMap<std::uint32_t, std::uint32_t>;
  std::map<std::string, Hub> hubs;                 // callback -> hub
  std::map<std::string, std::string> hub_callback; // hub id -> callback
  Ids customer_owner;                              // customer id -> credential that created it
  Ids order_customer;                              // order id -> customer
  Ids order_owner;                                 // order id -> credential that created it
  Ids service_customer;                            // service id -> customer
  bool selects(const Hub& hub, const std::string& event_type) const;
};

// Small readers of JSON bodies that never throw.
const nlohmann::json* member(const nlohmann::json& j, const char* key);
std::string text(const nlohmann::json& j, const char* key);
// The same, on an event's own fields, read in place (a conversion to nlohmann::json would copy the whole event).
const nlohmann::ordered_json* member(const nlohmann::ordered_json& j, const char* key);
std::string text(const nlohmann::ordered_json& j, const char* key);
/// The id of the relatedParty with role customer, or "".
std::string customer_of(const nlohmann::json& resource);
/// The last path segment of a request target (the id of a read), without a query string.
std::string last_segment(const std::string& target);
std::string fmt_time(double t);

} // namespace i1sim::conformance::protocol
