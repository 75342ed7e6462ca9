// Streaming bill oracle: events trimmed to the oracle's fields as they pass, usage records kept in compact form.
#include "conformance/oracles/billing_oracle.hpp"

#include <array>
#include <exception>
#include <string_view>

namespace i1sim::conformance {
namespace {

using Json = nlohmann::ordered_json;

/// The fields the oracle reads of each event it needs; nothing else of a run is kept.
const std::vector<std::string_view>* fields_of(const trace::Event& e) {
  static const std::vector<std::string_view> order{"productOrder", "customer", "product"};
  static const std::vector<std::string_view> service{"service", "productOrder"};
  static const std::vector<std::string_view> product{"productOrder"};
  static const std::vector<std::string_view> bill{"customer", "cycle", "telecom", "cloud", "credits", "total"};
  static const std::vector<std::string_view> vm{"dc", "vm", "owner", "vcpu", "ram", "disk"};
  if (e.category == trace::Category::tester) {
    if (e.type == "order.submitted")
      return &order;
    if (e.type == "service.ordered")
      return &service;
    if (e.type == "product.active" || e.type == "product.terminated")
      return &product;
    if (e.type == "bill.issued")
      return &bill;
  } else if (e.category == trace::Category::truth && e.type.starts_with("vm.")) {
    return &vm;
  }
  return nullptr;
}

} // namespace

void BillingOracle::on_event(const trace::Event& e) {
  usage_.observe(e);
  const auto* fields = fields_of(e);
  if (!fields)
    return;
  trace::Event kept{e.id, e.t, e.category, e.type, Json::object()};
  for (const auto field : *fields) {
    const auto it = e.data.find(std::string(field));
    if (it != e.data.end())
      kept.data[std::string(field)] = *it;
  }
  kept_.push_back(std::move(kept));
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
    out["usage"] = {{"records_delivered", usage_.records().size()},
                    {"discrepancy", differences.size()},
                    {"differences", std::move(listed)}};
  } catch (const std::exception& e) {
    out["usage"] = {{"error", std::string("the usage oracle could not judge: ") + e.what()}};
  }
  return out;
}

} // namespace i1sim::conformance
