// The in-simulation I1 binding: messages cross as encoded JSON whose length is their simulated size, and
// every delivered message is recorded on the event stream as the receiving side saw it.
#pragma once

#include "i1sim/message.hpp"
#include "trace/event_stream.hpp"
#include "world/daemon.hpp"
#include "world/envelope.hpp"

#include <functional>
#include <optional>
#include <string_view>

namespace i1sim::faults {
class ChannelFaults;
struct FrameFate;
} // namespace i1sim::faults

namespace i1sim::i1 {

/// A message read off a frame by its receiver, or nothing when the frame's text was not a message (as an optional
/// says). The receiver handles it and drops it: on the way out its body is freed from the leaves up
/// (util::dismantle), which costs about a third less than nlohmann's own destructor, and a run drops millions.
class Received {
public:
  Received() = default;
  explicit Received(Message m) : message_(std::move(m)) {}
  Received(Received&&) = default;
  Received& operator=(Received&&) = default;
  Received(const Received&) = delete;
  Received& operator=(const Received&) = delete;
  ~Received();

  bool has_value() const { return message_.has_value(); }
  explicit operator bool() const { return message_.has_value(); }
  Message& operator*() { return *message_; }
  const Message& operator*() const { return *message_; }
  Message* operator->() { return &*message_; }
  const Message* operator->() const { return &*message_; }

private:
  std::optional<Message> message_;
};

class InSimBinding {
public:
  /// Runs `fn` after `delay` simulated seconds in the sending daemon's own actor.
  using Defer = std::function<void(double delay, std::function<void()> fn)>;

  explicit InSimBinding(trace::EventStream& events) : events_(&events) {}
  /// Makes every frame sent through this binding follow the channel faults of the run; `defer` holds back a
  /// frame the channel delays. Without it frames go out as they are sent.
  void set_channel(faults::ChannelFaults* channel, Defer defer) {
    channel_ = channel;
    defer_ = std::move(defer);
  }
  /// Encodes `m` for sending now in `direction`.
  static world::I1Frame frame(const Message& m, Direction direction);
  /// The same frame for a message its owner gives up: the receiver's copy is `m` itself, made what decode() would
  /// return in place, instead of a copy of it.
  static world::I1Frame frame(Message&& m, Direction direction);
  /// Encodes `m` and sends it from `from` to `to`; its simulated size is its encoded length. With channel
  /// faults the frame may be lost, sent twice or held back first (its `sent` time stays the time of this call).
  void send(world::Daemon& from, const world::Daemon& to, const Message& m, Direction direction) const;
  /// The same send for a message its owner gives up (one built for this send): the same frames, channel faults
  /// and records, without copying the body for the receiver.
  void send(world::Daemon& from, const world::Daemon& to, Message&& m, Direction direction) const;
  /// What a receiver reads from `frame`: decode(frame.wire), from the copy the sender made (the last frame that
  /// shares it takes it whole) or else by decoding the text. Throws CodecError as decode() does.
  static Message read(const world::I1Frame& frame);
  /// Decodes a frame on arrival and records it. A frame that does not decode is recorded as
  /// "i1.undecodable" with the codec's reason, and nothing is returned.
  Received deliver(const world::I1Frame& frame) const;
  /// Records a frame that arrived where nothing could take it (a stopped process) as truth channel.lost with
  /// `reason`; it is not recorded as delivered.
  void refuse(const world::I1Frame& frame, std::string_view reason) const;

private:
  /// Sends `f` as the channel's `fate` for it says.
  void dispatch(world::Daemon& from, const world::Daemon& to, world::I1Frame f, const faults::FrameFate& fate) const;

  trace::EventStream* events_;
  faults::ChannelFaults* channel_ = nullptr;
  Defer defer_;
};

} // namespace i1sim::i1
