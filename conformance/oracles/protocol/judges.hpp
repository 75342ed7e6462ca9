// The judges of the protocol oracle, one per concern, fed in the producer's sending order by protocol_oracle.cpp.
#pragma once

#include "conformance/oracles/protocol/common.hpp"
#include "conformance/oracles/string_table.hpp"
#include "i1/validator.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace i1sim::conformance::protocol {

/// One resource with a state machine found in a producer's body.
struct Resource {
  const spec::StateMachine* machine = nullptr;
  std::string key; // "machine/id", order items "serviceOrderItem/orderId/itemId"
  std::string id;
  std::string state;
  const nlohmann::json* body = nullptr;
};

/// Every resource with a state machine in `frame`'s body (a notification's resource, a response's body), with the
/// items of every order after the order itself.
void visit_resources(const spec::Spec& spec, const Frame& frame, const std::function<void(const Resource&)>& fn);

/// What the core knows about a notification frame before the judges see it.
struct NotificationInfo {
  bool repeat = false;           // its eventId was delivered or lost before: a redelivery
  bool delivered_before = false; // an earlier attempt with its eventId was judged already
  double first_sent = 0;         // when its first attempt left the producer
  bool after_loss = false;       // a notification lost earlier has not been delivered again yet
};

/// Everything the judges share.
struct Shared {
  const spec::Spec* spec = nullptr;
  const scenario::Scenario* scenario = nullptr;
  double t_response = 5;
  double t_notify = 5;
  Harness harness;
  Registry registry;
  std::set<std::string> known_specs;        // the catalogue's cloud service ids
  std::unique_ptr<i1::Validator> validator; // interns its resource keys in names
  // The validator's findings on the frame being judged: its shape, and (when judged) its state machines.
  std::vector<i1::Problem> shape;
  std::vector<i1::Problem> machine;
  bool machines_judged = false; // false for a redelivery or a frame that may follow a lost one
  StringTable names;            // resource keys, callbacks and states, which recur in every frame: maps keep their ids
  // The resources of the frame being judged (visit_resources, once per frame for every judge).
  std::vector<Resource> resources;
  bool reachable(const spec::StateMachine& m, std::string_view from, std::string_view to) const;
  /// What `ids` (a map of Shared::names ids) maps `key` to, or null when it holds no such key.
  std::optional<std::string_view> lookup(const Registry::Ids& ids, const std::string& key) const {
    std::uint32_t id = 0;
    if (!names.find(key, id))
      return std::nullopt; // never seen, so in no map (and not added: a lookup must not grow the table)
    const std::uint32_t* value = ids.find(id);
    return value ? std::optional<std::string_view>(names.text(*value)) : std::nullopt;
  }
};

/// Calls `fn` on each resource of the frame being judged, in visit_resources order.
template <class Fn> void each_resource(const Shared& shared, Fn&& fn) {
  for (const Resource& r : shared.resources)
    fn(r);
}

class Judge {
public:
  virtual ~Judge() = default;
  /// A request reached the producer.
  virtual void on_arrival(const Arrival&) {}
  /// A producer frame, in sending order; `request` is the arrival a response answers (null when none or for a
  /// notification), `info` is set for notifications.
  virtual void on_frame(const Frame& frame, const Arrival* request, const NotificationInfo* info) = 0;
  /// A request that never got an answer (called at the end, before finish).
  virtual void on_unanswered(const Arrival&, double /*end*/) {}
  /// A raw event, as it comes (for the judges that follow the channel itself).
  virtual void on_raw(const trace::Event&) {}
  virtual void finish(double end) = 0;
  virtual void results(std::vector<CheckResult>& out) const = 0;
};

// Each family of checks, in catalogue order.
std::unique_ptr<Judge> make_message_judge(Shared& shared);      // msg.valid, resp.answered, hub.subscribe
std::unique_ptr<Judge> make_notification_judge(Shared& shared); // notify.*
std::unique_ptr<Judge> make_ordering_judge(Shared& shared);     // order.accepted ... order.readable, sm.order(_item)
std::unique_ptr<Judge> make_machine_judge(Shared& shared);      // sm.service ... sm.job
std::unique_ptr<Judge> make_customer_judge(Shared& shared);     // customer.*

std::vector<CheckInfo> message_checks();
std::vector<CheckInfo> notification_checks();
std::vector<CheckInfo> ordering_checks();
std::vector<CheckInfo> machine_checks();
std::vector<CheckInfo> customer_checks();

} // namespace i1sim::conformance::protocol
