// How a timeline fault is named on the event stream: the fields shared by its fault.injected and
// fault.cleared events.
#pragma once

#include "scenario/scenario.hpp"

#include <nlohmann/json.hpp>
#include <string_view>

namespace i1sim::faults {

/// The fault's kind as written in the scenario (host_crash, dc_outage, link_cut, channel, cloud_restart,
/// clock_skew).
std::string_view kind_name(scenario::Fault::Kind kind);

/// {"fault": kind, "line": where it is written, then its own details: host, dc, between, the channel's
/// loss / duplicate / delay / reorder / direction, down, offset}.
nlohmann::ordered_json describe(const scenario::Fault& fault);

} // namespace i1sim::faults
