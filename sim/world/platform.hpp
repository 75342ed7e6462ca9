// Builds the SimGrid platform of a scenario: an operator site, a cloud site and data centres joined by WAN links.
#pragma once

#include "scenario/scenario.hpp"
#include "world/placement.hpp"

#include <map>
#include <simgrid/s4u.hpp>
#include <string>
#include <utility>
#include <vector>

namespace i1sim::world {

struct DcSite {
  std::string name;
  std::string jurisdiction;
  simgrid::s4u::Host* controller = nullptr;  // runs the DC controller daemon; the DC's WAN gateway
  simgrid::s4u::Host* image_store = nullptr; // where VM images are copied from
  std::vector<simgrid::s4u::Host*> hosts;    // compute hosts, in scenario order
  std::vector<HostCapacity> capacities;      // same order as hosts
};

struct World {
  simgrid::s4u::Host* telecom_bss = nullptr;
  simgrid::s4u::Host* telecom_oss = nullptr; // the operator site's WAN gateway
  simgrid::s4u::Host* cloud_oss = nullptr;   // the cloud site's WAN gateway
  std::vector<DcSite> dcs;
  /// The WAN link joining two sites or data centres, by their names in either order; see wan_link().
  std::map<std::pair<std::string, std::string>, simgrid::s4u::SplitDuplexLink*> wan;
  /// The WAN link named by its two ends in either order, or null when the platform has none between them.
  simgrid::s4u::SplitDuplexLink* wan_link(const std::string& a, const std::string& b) const;
};

/// Creates every zone, host and link. Each site and DC is a star zone (a host's own link, then the zone's
/// fabric); WAN links join zone gateways in a full top-level zone. Call once, before creating actors.
World build_world(const scenario::Platform& platform);

} // namespace i1sim::world
