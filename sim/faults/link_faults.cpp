// WAN link cuts: SimGrid link state, ground truth, and what daemons do with envelopes that cannot cross.
#include "faults/link_faults.hpp"

#include "faults/fault_events.hpp"
#include "i1/codec.hpp"

#include <algorithm>
#include <stdexcept>

namespace sg = simgrid::s4u;

namespace i1sim::faults {

LinkFaults::LinkFaults(sg::Host* host, const world::World& world, const std::vector<scenario::Fault>& timeline,
                       trace::EventStream& events)
    : Daemon("faults.links", host)
    , events_(&events) {
  for (const auto& f : timeline) {
    if (f.kind != scenario::Fault::Kind::link_cut)
      continue;
    sg::SplitDuplexLink* link = world.wan_link(f.a, f.b);
    if (!link) // the loader checks that the link exists; this guards against a hand-built scenario
      throw std::invalid_argument("link_cut: no WAN link joins '" + f.a + "' and '" + f.b + "'");
    cuts_.push_back(Cut{f, link});
  }
}

bool LinkFaults::any(const std::vector<scenario::Fault>& timeline) {
  return std::any_of(timeline.begin(), timeline.end(),
                     [](const scenario::Fault& f) { return f.kind == scenario::Fault::Kind::link_cut; });
}

void LinkFaults::on_start() {
  for (std::size_t i = 0; i < cuts_.size(); ++i)
    after(std::max(0.0, cuts_[i].fault.at - now()), [this, i] { inject(i); });
}

void LinkFaults::inject(std::size_t i) {
  const Cut& cut = cuts_[i];
  events_->emit(trace::Category::truth, "fault.injected", describe(cut.fault));
  if (in_force_[cut.link->get_name()]++ == 0) {
    ++links_off_;
    cut.link->turn_off(); // fails every transfer across it at this instant
    events_->emit(trace::Category::truth, "link.down", {{"between", {cut.fault.a, cut.fault.b}}});
  }
  if (cut.fault.duration > 0)
    after(cut.fault.duration, [this, i] { clear(i); });
}

void LinkFaults::clear(std::size_t i) {
  const Cut& cut = cuts_[i];
  events_->emit(trace::Category::truth, "fault.cleared", describe(cut.fault));
  if (--in_force_[cut.link->get_name()] == 0) {
    --links_off_;
    cut.link->turn_on();
    events_->emit(trace::Category::truth, "link.up", {{"between", {cut.fault.a, cut.fault.b}}});
  }
}

bool LinkFaults::severed(sg::Host* from, sg::Host* to) const {
  if (links_off_ == 0)
    return false;
  // The route holds the split-duplex link's directional halves, which carry its on/off state.
  std::vector<sg::Link*> route;
  double latency = 0;
  from->route_to(to, route, &latency);
  return std::any_of(route.begin(), route.end(), [](const sg::Link* l) { return !l->is_on(); });
}

const std::vector<std::size_t>& LinkFaults::cuts_on(sg::Host* from, sg::Host* to) const {
  const auto key = std::make_pair(from, to);
  auto it = routes_.find(key);
  if (it == routes_.end()) {
    // The route holds the split-duplex links' directional halves.
    std::vector<sg::Link*> route;
    double latency = 0;
    from->route_to(to, route, &latency);
    std::vector<std::size_t> on;
    for (std::size_t c = 0; c < cuts_.size(); ++c)
      for (const sg::Link* l : route)
        if (l == cuts_[c].link->get_link_up() || l == cuts_[c].link->get_link_down())
          on.push_back(c);
    it = routes_.emplace(key, std::move(on)).first;
  }
  return it->second;
}

bool LinkFaults::at_risk(sg::Host* from, sg::Host* to) const {
  const double t = now();
  for (std::size_t c : cuts_on(from, to)) {
    const scenario::Fault& f = cuts_[c].fault;
    const bool ended = f.duration > 0 && f.at + f.duration <= t;
    if (!ended && f.at <= t + kRiskHorizon)
      return true;
  }
  return false;
}

void LinkFaults::lost(const world::I1Frame& frame) {
  nlohmann::ordered_json data{{"dir", to_string(frame.direction)}};
  try {
    const Message m = i1::decode(frame.wire);
    data["name"] = m.type;
    data["corr"] = m.correlation_id;
  } catch (const i1::CodecError&) {
    // a frame that does not decode is still lost; it has no name to give
  }
  data["reason"] = "linkCut";
  events_->emit(trace::Category::truth, "channel.lost", std::move(data));
}

} // namespace i1sim::faults
