// The ground-truth description of a timeline fault.
#include "faults/fault_events.hpp"

namespace i1sim::faults {

std::string_view kind_name(scenario::Fault::Kind kind) {
  using K = scenario::Fault::Kind;
  switch (kind) {
  case K::host_crash:
    return "host_crash";
  case K::dc_outage:
    return "dc_outage";
  case K::link_cut:
    return "link_cut";
  case K::channel:
    return "channel";
  case K::cloud_restart:
    return "cloud_restart";
  case K::clock_skew:
    return "clock_skew";
  }
  return "unknown";
}

nlohmann::ordered_json describe(const scenario::Fault& fault) {
  using K = scenario::Fault::Kind;
  nlohmann::ordered_json data{{"fault", kind_name(fault.kind)}, {"line", fault.line}};
  switch (fault.kind) {
  case K::host_crash:
    data["host"] = fault.host;
    break;
  case K::dc_outage:
    data["dc"] = fault.dc;
    break;
  case K::link_cut:
    data["between"] = {fault.a, fault.b};
    break;
  case K::channel: {
    const char* direction = fault.direction == scenario::ChannelDirection::both               ? "both"
                            : fault.direction == scenario::ChannelDirection::telecom_to_cloud ? "telecom_to_cloud"
                                                                                              : "cloud_to_telecom";
    data["loss"] = fault.loss;
    data["duplicate"] = fault.duplicate;
    data["delay"] = fault.delay;
    data["reorder"] = fault.reorder;
    data["direction"] = direction;
    break;
  }
  case K::cloud_restart:
    data["down"] = fault.duration;
    break;
  case K::clock_skew:
    data["offset"] = fault.offset;
    break;
  }
  return data;
}

} // namespace i1sim::faults
