// The table of built-in Cloud-side implementations selectable with --iut.
#include "cloud/reference_cloud.hpp"

namespace i1sim {

std::unique_ptr<CloudIut> make_cloud_iut(std::string_view spec, const CloudSetup& setup) {
  if (spec == "ref")
    return std::make_unique<cloud::ReferenceCloud>(setup);
  return nullptr;
}

std::vector<std::string> cloud_iut_names() { return {"ref"}; }

} // namespace i1sim
