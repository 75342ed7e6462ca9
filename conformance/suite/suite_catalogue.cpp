// load_suite against the oracles' catalogue of checks; kept apart from the loader so that a program that passes
// its own list of check ids does not need every oracle family linked in.
#include "conformance/oracles/oracle.hpp"
#include "conformance/suite/suite.hpp"

namespace i1sim::conformance {

Suite load_suite(const std::string& dir, const spec::Spec& spec) {
  std::vector<std::string> ids;
  for (const CheckInfo& c : check_catalogue())
    ids.push_back(c.id);
  return load_suite(dir, spec, ids);
}

} // namespace i1sim::conformance
