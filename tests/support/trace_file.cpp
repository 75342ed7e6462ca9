// JSON Lines reader over trace::from_json_line.
#include "support/trace_file.hpp"

#include <fstream>
#include <stdexcept>

namespace i1sim::test {

std::vector<trace::Event> read_trace(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error(path + ": cannot read");
  std::vector<trace::Event> events;
  std::string line;
  while (std::getline(in, line))
    events.push_back(trace::from_json_line(line));
  return events;
}

} // namespace i1sim::test
