// Encoding on send (through the channel faults, if any), decoding and recording on delivery.
#include "i1/binding.hpp"

#include "faults/channel_faults.hpp"
#include "i1/codec.hpp"
#include "util/json_dismantle.hpp"

#include <simgrid/s4u/Engine.hpp>

namespace i1sim::i1 {

Received::~Received() {
  if (message_)
    util::dismantle(message_->body);
}

world::I1Frame InSimBinding::frame(const Message& m, Direction direction) {
  world::I1Frame f{encode(m), direction, simgrid::s4u::Engine::get_clock(), nullptr};
  // Parsing the text on arrival is the dearest step of a message's trip; the receiver gets the same result
  // from a copy made here (see decode_encoded).
  if (auto decoded = decode_encoded(m))
    f.decoded = std::make_shared<Message>(std::move(*decoded));
  return f;
}

world::I1Frame InSimBinding::frame(Message&& m, Direction direction) {
  // One walk of the body writes the text and makes the message what reading it gives.
  bool decoded = false;
  world::I1Frame f{encode_in_place(m, decoded), direction, simgrid::s4u::Engine::get_clock(), nullptr};
  if (decoded)
    f.decoded = std::make_shared<Message>(std::move(m));
  return f;
}

Message InSimBinding::read(const world::I1Frame& frame) {
  if (!frame.decoded)
    return decode(frame.wire);
  std::shared_ptr<Message> decoded = std::move(frame.decoded);
  if (decoded.use_count() == 1)
    return std::move(*decoded);
  return *decoded;
}

void InSimBinding::send(world::Daemon& from, const world::Daemon& to, const Message& m, Direction direction) const {
  world::I1Frame f = frame(m, direction);
  if (!channel_) {
    const auto bytes = f.wire.size();
    from.send(to, std::move(f), bytes);
    return;
  }
  dispatch(from, to, std::move(f), channel_->decide(m, direction));
}

void InSimBinding::send(world::Daemon& from, const world::Daemon& to, Message&& m, Direction direction) const {
  if (!channel_) {
    world::I1Frame f = frame(std::move(m), direction);
    const auto bytes = f.wire.size();
    from.send(to, std::move(f), bytes);
    return;
  }
  // The channel decides on the message as it was sent (it reads its kind, type and correlation id, which framing
  // leaves as they are), before it becomes the receiver's copy.
  const faults::FrameFate fate = channel_->decide(m, direction);
  dispatch(from, to, frame(std::move(m), direction), fate);
}

void InSimBinding::dispatch(world::Daemon& from, const world::Daemon& to, world::I1Frame f,
                            const faults::FrameFate& fate) const {
  const auto bytes = f.wire.size();
  if (fate.lost)
    return;
  if (fate.hold <= 0) {
    if (fate.duplicated)
      from.send(to, f, bytes);
    from.send(to, std::move(f), bytes);
    return;
  }
  // Held frames wait in the sender, as in a queue of the network; both copies of a duplicate wait together.
  defer_(fate.hold, [&from, &to, f = std::move(f), bytes, twice = fate.duplicated] {
    if (twice)
      from.send(to, f, bytes);
    from.send(to, f, bytes);
  });
}

Received InSimBinding::deliver(const world::I1Frame& frame) const {
  nlohmann::ordered_json data = nlohmann::ordered_json::object();
  data.get_ptr<nlohmann::ordered_json::object_t*>()->reserve(9); // every field below, without regrowing
  data["dir"] = to_string(frame.direction);
  try {
    Message m = read(frame);
    data["name"] = m.type;
    data["corr"] = m.correlation_id;
    if (m.kind == MessageKind::response)
      data["status"] = m.status;
    else
      data["target"] = m.target;
    if (!m.credential.empty())
      data["credential"] = m.credential;
    data["bytes"] = frame.wire.size();
    data["sent"] = frame.sent_at;
    // The event lends the receiver's body (written as the line's last field) instead of a copy in the event's
    // own JSON type: the copy and its freeing cost as much as the SimGrid transfer of the message.
    events_->emit(trace::Category::i1, "i1." + std::string(to_string(m.kind)), std::move(data), &m.body);
    return Received(std::move(m));
  } catch (const CodecError& e) {
    data["bytes"] = frame.wire.size();
    data["sent"] = frame.sent_at;
    data["error"] = e.what();
    events_->emit(trace::Category::i1, "i1.undecodable", std::move(data));
    return {};
  }
}

void InSimBinding::refuse(const world::I1Frame& frame, std::string_view reason) const {
  nlohmann::ordered_json data;
  data["dir"] = to_string(frame.direction);
  try {
    const Message m = decode(frame.wire);
    data["name"] = m.type;
    data["corr"] = m.correlation_id;
    data["kind"] = to_string(m.kind);
  } catch (const CodecError&) {
    data["name"] = "";
    data["corr"] = "";
  }
  data["reason"] = reason;
  data["sent"] = frame.sent_at;
  events_->emit(trace::Category::truth, "channel.lost", std::move(data));
}

} // namespace i1sim::i1
