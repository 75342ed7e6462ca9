// The table of built-in Cloud-side implementations selectable with --iut: the reference and its mutants.
#include "cloud/mutants.hpp"
#include "cloud/reference_cloud.hpp"
#include "run/simulation.hpp"

#include <fmt/format.h>

namespace i1sim {

namespace {
constexpr std::string_view kMutantPrefix = "mutant:";
}

std::unique_ptr<CloudIut> make_cloud_iut(std::string_view spec, const CloudSetup& setup) {
  if (spec == "ref")
    return std::make_unique<cloud::ReferenceCloud>(setup);
  if (spec.substr(0, kMutantPrefix.size()) == kMutantPrefix) {
    const std::string_view name = spec.substr(kMutantPrefix.size());
    if (auto m = cloud::make_mutant(name, setup))
      return m;
    // A mistyped mutant name deserves the list to choose from, not only "unknown implementation": every caller
    // reports a RunError as one line and exit status 2.
    std::string names;
    for (const auto& m : cloud::mutants())
      names += (names.empty() ? "" : ", ") + m.name;
    throw run::RunError(fmt::format("--iut {}: no mutant '{}'; the mutants are: {}", spec, name, names));
  }
  return nullptr;
}

std::vector<std::string> cloud_iut_names() {
  std::vector<std::string> names{"ref"};
  for (const auto& m : cloud::mutants())
    names.push_back(std::string(kMutantPrefix) + m.name);
  return names;
}

} // namespace i1sim
