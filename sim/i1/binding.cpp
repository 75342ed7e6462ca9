// Encoding on send, decoding and recording on delivery.
#include "i1/binding.hpp"

#include "i1/codec.hpp"

#include <simgrid/s4u/Engine.hpp>

namespace i1sim::i1 {

world::I1Frame InSimBinding::frame(const Message& m, Direction direction) {
  return world::I1Frame{encode(m), direction, simgrid::s4u::Engine::get_clock()};
}

void InSimBinding::send(world::Daemon& from, const world::Daemon& to, const Message& m, Direction direction) {
  world::I1Frame f = frame(m, direction);
  const auto bytes = f.wire.size();
  from.send(to, std::move(f), bytes);
}

std::optional<Message> InSimBinding::deliver(const world::I1Frame& frame) const {
  nlohmann::ordered_json data;
  data["dir"] = to_string(frame.direction);
  try {
    Message m = decode(frame.wire);
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
    data["body"] = m.body;
    events_->emit(trace::Category::i1, "i1." + std::string(to_string(m.kind)), std::move(data));
    return m;
  } catch (const CodecError& e) {
    data["bytes"] = frame.wire.size();
    data["sent"] = frame.sent_at;
    data["error"] = e.what();
    events_->emit(trace::Category::i1, "i1.undecodable", std::move(data));
    return std::nullopt;
  }
}

} // namespace i1sim::i1
