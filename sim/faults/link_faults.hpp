// The link_cut faults of the timeline: turns WAN links off and on in SimGrid at their times, and is the
// Transport every daemon follows in a run that has them (see world::Transport for the delivery semantics).
#pragma once

#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"
#include "world/daemon.hpp"
#include "world/platform.hpp"

#include <map>
#include <utility>
#include <vector>

namespace i1sim::faults {

/// One actor of its own, whose only activities are its timers. At a cut: fault.injected, then link.down
/// {"between": the ends as the fault names them} when the link goes from up to down; at the end of the cut:
/// fault.cleared, then link.up when no other cut of the same link is still in force. An I1 frame that cannot
/// cross is recorded as channel.lost {"dir", "name", "corr", "reason": "linkCut"} when the sender learns it:
/// at once for a frame sent while the link is off, at the instant of the cut for a frame in flight.
class LinkFaults : public world::Daemon, public world::Transport {
public:
  /// Takes the link_cut faults of `timeline`; `host` only runs the actor (it does no networking).
  LinkFaults(simgrid::s4u::Host* host, const world::World& world, const std::vector<scenario::Fault>& timeline,
             trace::EventStream& events);
  /// Whether `timeline` cuts any link: a run without a cut needs no LinkFaults.
  static bool any(const std::vector<scenario::Fault>& timeline);

  /// A transfer that would still be under way this long after it started is not expected in these worlds
  /// (I1 frames and DC messages are kilobytes; image transfers stay inside a data centre): sends started
  /// more than this before a cut of their route are not tracked (see world::Transport).
  static constexpr double kRiskHorizon = 600;

  // Transport
  bool severed(simgrid::s4u::Host* from, simgrid::s4u::Host* to) const override;
  bool at_risk(simgrid::s4u::Host* from, simgrid::s4u::Host* to) const override;
  void lost(const world::I1Frame& frame) override;

protected:
  void on_start() override;
  void on_envelope(world::Envelope&&) override {} // nothing is addressed to it

private:
  struct Cut {
    scenario::Fault fault;
    simgrid::s4u::SplitDuplexLink* link;
  };
  void inject(std::size_t i);
  void clear(std::size_t i);
  /// Indices of the cuts whose link is on the route from `from` to `to`.
  const std::vector<std::size_t>& cuts_on(simgrid::s4u::Host* from, simgrid::s4u::Host* to) const;

  trace::EventStream* events_;
  std::vector<Cut> cuts_;
  // Looked up by address only, never iterated.
  mutable std::map<std::pair<simgrid::s4u::Host*, simgrid::s4u::Host*>, std::vector<std::size_t>> routes_;
  std::map<std::string, int> in_force_; // link name -> cuts holding it off
  int links_off_ = 0;
};

} // namespace i1sim::faults
