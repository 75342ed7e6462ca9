// Checks of a saved trace against its own ground truth. Each returns the problems it finds (empty: none),
// so a test can show both that a real run passes and that a tampered trace is caught.
#pragma once

#include "trace/event_stream.hpp"

#include <string>
#include <vector>

namespace i1sim::test {

/// No host ever holds more vCPU, RAM or disk than it has, and every VM's host meets its core-speed need.
std::vector<std::string> capacity_problems(const std::vector<trace::Event>& events);

/// Every service reported active over I1 runs, in ground truth, the VMs its order item asked for: the
/// right count and shape, booted no later than the report, and still running at the end.
/// `active_services` receives how many services were reported active.
std::vector<std::string> activation_problems(const std::vector<trace::Event>& events,
                                             std::size_t* active_services = nullptr);

/// Every request and notification gets exactly one response, and no response answers nothing.
std::vector<std::string> correlation_problems(const std::vector<trace::Event>& events);

} // namespace i1sim::test
