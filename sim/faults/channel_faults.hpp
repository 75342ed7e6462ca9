// The channel faults of the timeline: what the I1 channel does to each frame (loss, duplication, delay,
// reordering), decided when the frame is sent, and the ground truth of every such decision.
#pragma once

#include "i1sim/message.hpp"
#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"
#include "util/random.hpp"
#include "world/daemon.hpp"

#include <cstdint>
#include <vector>

namespace i1sim::faults {

/// What the channel does to one frame.
struct FrameFate {
  bool lost = false;       // never delivered
  bool duplicated = false; // delivered twice
  double hold = 0;         // s the frame waits before its transfer starts (delay, plus its reorder draw)
};

/// One actor of its own, whose only activities are its timers: at the start of every channel window it
/// emits fault.injected, at its end fault.cleared. The fate of a frame is decided by the windows in force
/// when it is sent (a window covers [at, at + duration), or from `at` on when duration is 0), each window in
/// force for the frame's direction drawing, in timeline order, loss then duplication then reorder from the
/// run's "channel" stream; a frame is lost if any window loses it, duplicated if any duplicates it, and held
/// the sum of their delays and reorder draws. Every affected frame is recorded as truth: channel.lost
/// {"dir", "name", "corr", "kind", "reason": "channel"}, or else channel.delayed {..., "delay"} when it is
/// held and channel.duplicated {...} when it is sent twice. A frame outside every window costs no draw.
class ChannelFaults : public world::Daemon {
public:
  /// Takes the channel faults of `timeline`; `host` only runs the actor.
  ChannelFaults(simgrid::s4u::Host* host, const std::vector<scenario::Fault>& timeline, std::uint64_t seed,
                trace::EventStream& events);
  /// Whether `timeline` has any channel fault: a run without one needs no ChannelFaults.
  static bool any(const std::vector<scenario::Fault>& timeline);

  /// The fate of `m`, sent now in `direction`, recorded on the event stream.
  FrameFate decide(const Message& m, Direction direction);

protected:
  void on_start() override;
  void on_envelope(world::Envelope&&) override {} // nothing is addressed to it

private:
  bool in_force(const scenario::Fault& w, double t, Direction direction) const;

  std::vector<scenario::Fault> windows_;
  Random rng_;
  trace::EventStream* events_;
};

} // namespace i1sim::faults
