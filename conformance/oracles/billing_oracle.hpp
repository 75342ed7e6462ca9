// The bill oracle as a streaming observer: it keeps what the oracle reads during the run, and judges at the end.
#pragma once

#include "conformance/oracles/bill_oracle.hpp"
#include "conformance/oracles/string_table.hpp"
#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"

#include <cstddef>
#include <nlohmann/json.hpp>

namespace i1sim::conformance {

class BillingOracle : public trace::Observer {
public:
  /// How many differences of each kind the results list; the count covers them all.
  static constexpr std::size_t kListed = 20;

  /// `sc` must outlive the oracle.
  explicit BillingOracle(const scenario::Scenario& sc) : sc_(sc), kept_(names_), usage_(names_) {}

  void on_event(const trace::Event& e) override;

  /// {"billing": {"discrepancy": N, "differences": [...]}, "usage": {"discrepancy": N, "differences": [...]}};
  /// a section the oracle could not compute holds {"error": "..."} instead.
  nlohmann::ordered_json to_json() const;

  /// The events kept, in compact form (the fields the oracle reads); the usage records are kept apart.
  const BillTrace& kept() const { return kept_; }
  const UsageLedger& usage() const { return usage_; }

private:
  const scenario::Scenario& sc_;
  StringTable names_; // customers, orders, services... once each, for both the trace and the ledger
  BillTrace kept_;
  UsageLedger usage_;
};

} // namespace i1sim::conformance
