// Every oracle family of the suite in one place: what a run attaches and what the catalogue lists.
#include "conformance/oracles/oracle.hpp"

namespace i1sim::conformance {

namespace {
void append(std::vector<std::unique_ptr<Oracle>>& all, std::vector<std::unique_ptr<Oracle>> more) {
  for (auto& o : more)
    all.push_back(std::move(o));
}
void append(std::vector<CheckInfo>& all, std::vector<CheckInfo> more) {
  for (auto& c : more)
    all.push_back(std::move(c));
}
} // namespace

std::vector<std::unique_ptr<Oracle>> make_oracles(const OracleContext& ctx) {
  std::vector<std::unique_ptr<Oracle>> all;
  append(all, make_protocol_oracles(ctx));
  append(all, make_world_oracles(ctx));
  append(all, make_accounting_oracles(ctx));
  append(all, make_probe_oracles(ctx));
  return all;
}

std::vector<CheckInfo> check_catalogue() {
  std::vector<CheckInfo> all;
  append(all, protocol_checks());
  append(all, world_checks());
  append(all, accounting_checks());
  append(all, probe_checks());
  return all;
}

} // namespace i1sim::conformance
