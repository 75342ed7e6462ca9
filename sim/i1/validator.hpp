// Checks I1 messages against the specification: the shape of every body (fields, types, mandatory fields,
// enum values) and, across a stream of messages, that every state machine moves only along legal transitions.
#pragma once

#include "i1/spec.hpp"
#include "i1sim/message.hpp"
#include "util/string_table.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace i1sim::i1 {

/// One way a message breaks the specification.
struct Problem {
  std::string path;        // JSON path inside the body, e.g. serviceOrderItem[2].service.serviceCharacteristic[0].value
  std::string requirement; // the requirement id it breaks, e.g. I1-GEN-003
  std::string message;     // one sentence, e.g. "unknown field 'colour'"
};

class Validator {
public:
  explicit Validator(const spec::Spec& spec);
  /// Interns the resources' keys ("machine/id") in `keys`, an owner's table that holds them already, instead of a
  /// table of its own: the protocol oracle's names hold every key the validator sees, and two tables of a month's
  /// resources cost twice. `keys` must outlive the validator and its copies; copies share it, which is right since a
  /// table never changes an id it gave. The validator's ids then are sparse among the owner's, which only costs its
  /// state array a slot per id of the owner's that is no key.
  Validator(const spec::Spec& spec, util::CompactStringTable& keys);

  /// Name lookups of the specification (types, enums, operations, events) by hash, built once (validator.cpp).
  struct Index;

  /// The shape problems of one message, on its own: a request's body against its operation's request type, a
  /// response's body against the type its operation lists for its status (an unlisted status is a problem), a
  /// notification's body against the envelope and the event's resource type. An unknown operation or event type
  /// is a problem too.
  std::vector<Problem> check(const Message& message) const;

  /// check(), plus the state machines: feed every message of a run in order. A state seen in a notification
  /// must follow the resource's previous state by one legal transition; one seen in a response must be reachable
  /// from it; a resource first seen must start in an initial state. Resources are keyed by machine and id
  /// (order items by order id and item id).
  std::vector<Problem> observe(const Message& message);

private:
  const spec::Spec* spec_;
  std::shared_ptr<const Index> index_; // shared by copies: the specification does not change
  // The last state seen of every resource: a run has one per order, item, service, usage record, bill, alarm..., so
  // keys and states are interned (a std::map of two strings cost about 150 bytes a resource).
  util::CompactStringTable own_keys_;        // "machine/id" of every resource seen, unless keys_ is an outside table
  util::CompactStringTable* keys_ = nullptr; // the outside table; null: own_keys_ (a copy must not point at another's)
  util::CompactStringTable states_;          // the states' names
  std::vector<std::uint32_t> state_of_;      // by key id: the last state seen (an id of states_; 0: none yet)
  std::string key_;                          // the key being looked up, kept to spare an allocation per resource
};

} // namespace i1sim::i1
