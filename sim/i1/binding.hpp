// The in-simulation I1 binding: messages cross as encoded JSON whose length is their simulated size, and
// every delivered message is recorded on the event stream as the receiving side saw it.
#pragma once

#include "i1sim/message.hpp"
#include "trace/event_stream.hpp"
#include "world/daemon.hpp"
#include "world/envelope.hpp"

#include <optional>

namespace i1sim::i1 {

class InSimBinding {
public:
  explicit InSimBinding(trace::EventStream& events) : events_(&events) {}
  /// Encodes `m` for sending now in `direction`.
  static world::I1Frame frame(const Message& m, Direction direction);
  /// Encodes `m` and sends it from `from` to `to`; its simulated size is its encoded length.
  static void send(world::Daemon& from, const world::Daemon& to, const Message& m, Direction direction);
  /// Decodes a frame on arrival and records it. A frame that does not decode is recorded as
  /// "i1.undecodable" with the codec's reason, and nothing is returned.
  std::optional<Message> deliver(const world::I1Frame& frame) const;

private:
  trace::EventStream* events_;
};

} // namespace i1sim::i1
