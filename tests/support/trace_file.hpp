// Reads a saved event stream back, for tests that judge a run from its trace as an oracle would.
#pragma once

#include "trace/event_stream.hpp"

#include <string>
#include <vector>

namespace i1sim::test {

std::vector<trace::Event> read_trace(const std::string& path);

} // namespace i1sim::test
