// Streaming bill oracle: the events it reads and the usage records kept in compact form as they pass.
#include "conformance/oracles/billing_oracle.hpp"

#include <exception>
#include <string>

namespace i1sim::conformance {
using Json = nlohmann::ordered_json;

void BillingOracle::on_event(const trace::Event& e) {
  usage_.observe(e);
  kept_.add(e);
}

Json BillingOracle::to_json() const {
  Json out;
  // Each judgement stands alone: a trace the bill rules cannot read must not hide what the usage check found.
  try {
    const auto expected = expected_bills(sc_, kept_);
    const auto differences = bill_differences(expected, kept_);
    Json listed = Json::array();
    for (std::size_t i = 0; i < differences.size() && i < kListed; ++i) {
      const auto& d = differences[i];
      listed.push_back({{"customer", d.bill.first},
                        {"cycle", d.bill.second},
                        {"field", d.what},
                        {"expected", d.expected},
                        {"issued", d.issued}});
    }
    out["billing"] = {
        {"bills_expected", expected.size()}, {"discrepancy", differences.size()}, {"differences", std::move(listed)}};
  } catch (const std::exception& e) {
    out["billing"] = {{"error", std::string("the bill oracle could not judge: ") + e.what()}};
  }
  try {
    const auto differences = usage_differences(sc_, kept_, usage_);
    Json listed = Json::array();
    for (std::size_t i = 0; i < differences.size() && i < kListed; ++i) {
      const auto& [bill, what] = differences[i];
      listed.push_back({{"customer", bill.first}, {"cycle", bill.second}, {"what", what}});
    }
    out["usage"] = {
        {"records_delivered", usage_.size()}, {"discrepancy", differences.size()}, {"differences", std::move(listed)}};
  } catch (const std::exception& e) {
    out["usage"] = {{"error", std::string("the usage oracle could not judge: ") + e.what()}};
  }
  return out;
}

} // namespace i1sim::conformance
