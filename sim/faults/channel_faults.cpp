// Per-frame channel decisions from the windows in force, drawn from the run's own "channel" stream.
#include "faults/channel_faults.hpp"

#include "faults/fault_events.hpp"

#include <algorithm>

namespace i1sim::faults {

ChannelFaults::ChannelFaults(simgrid::s4u::Host* host, const std::vector<scenario::Fault>& timeline, std::uint64_t seed,
                             trace::EventStream& events)
    : Daemon("faults.channel", host)
    , rng_(Random::for_stream(seed, "channel"))
    , events_(&events) {
  for (const auto& f : timeline)
    if (f.kind == scenario::Fault::Kind::channel)
      windows_.push_back(f);
}

bool ChannelFaults::any(const std::vector<scenario::Fault>& timeline) {
  return std::any_of(timeline.begin(), timeline.end(),
                     [](const scenario::Fault& f) { return f.kind == scenario::Fault::Kind::channel; });
}

void ChannelFaults::on_start() {
  for (const auto& w : windows_) {
    after(std::max(0.0, w.at - now()),
          [this, &w] { events_->emit(trace::Category::truth, "fault.injected", describe(w)); });
    if (w.duration > 0)
      after(std::max(0.0, w.at + w.duration - now()),
            [this, &w] { events_->emit(trace::Category::truth, "fault.cleared", describe(w)); });
  }
}

bool ChannelFaults::in_force(const scenario::Fault& w, double t, Direction direction) const {
  if (t < w.at || (w.duration > 0 && t >= w.at + w.duration))
    return false;
  switch (w.direction) {
  case scenario::ChannelDirection::both:
    return true;
  case scenario::ChannelDirection::telecom_to_cloud:
    return direction == Direction::telecom_to_cloud;
  case scenario::ChannelDirection::cloud_to_telecom:
    return direction == Direction::cloud_to_telecom;
  }
  return false;
}

FrameFate ChannelFaults::decide(const Message& m, Direction direction) {
  FrameFate fate;
  const double t = now();
  bool any = false;
  for (const auto& w : windows_) {
    if (!in_force(w, t, direction))
      continue;
    any = true;
    // Every draw a window makes is made whatever the earlier ones gave, so the stream stays aligned.
    const bool lost = w.loss > 0 && rng_.uniform() < w.loss;
    const bool duplicated = w.duplicate > 0 && rng_.uniform() < w.duplicate;
    const double reorder = w.reorder > 0 ? rng_.uniform() * w.reorder : 0.0;
    fate.lost = fate.lost || lost;
    fate.duplicated = fate.duplicated || duplicated;
    fate.hold += w.delay + reorder;
  }
  if (!any)
    return fate;
  auto data = [&] {
    return nlohmann::ordered_json{
        {"dir", to_string(direction)}, {"name", m.type}, {"corr", m.correlation_id}, {"kind", to_string(m.kind)}};
  };
  if (fate.lost) {
    fate.duplicated = false;
    fate.hold = 0;
    auto d = data();
    d["reason"] = "channel";
    events_->emit(trace::Category::truth, "channel.lost", std::move(d));
    return fate;
  }
  if (fate.hold > 0) {
    auto d = data();
    d["delay"] = fate.hold;
    events_->emit(trace::Category::truth, "channel.delayed", std::move(d));
  }
  if (fate.duplicated)
    events_->emit(trace::Category::truth, "channel.duplicated", data());
  return fate;
}

} // namespace i1sim::faults
