// The mutants: faulty Cloud-side implementations, each the reference with one realistic defect, selected with
// --iut mutant:NAME. The conformance suite must fail every one of them (its kill matrix).
#pragma once

#include "i1sim/iut.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace i1sim::cloud {

struct MutantInfo {
  std::string name;                      // as in --iut mutant:NAME, e.g. "no-in-progress"
  std::string defect;                    // one line: what it does wrong, e.g. "never sends inProgress"
  std::vector<std::string> requirements; // the requirement ids the defect breaks
};

/// Every mutant, in a fixed order (by name).
const std::vector<MutantInfo>& mutants();

/// The mutant called `name` (without the "mutant:" prefix) built over the reference, or null.
std::unique_ptr<CloudIut> make_mutant(std::string_view name, const CloudSetup& setup);

} // namespace i1sim::cloud
