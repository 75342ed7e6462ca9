// Run metrics computed from the event stream alone, so a saved trace gives the same figures as the live run.
#pragma once

#include "trace/event_stream.hpp"

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace i1sim::trace {

/// Summary of a sample: nearest-rank percentiles (the smallest value with at least p% of the sample at or
/// below it), so every reported figure is a value that was really observed.
struct Distribution {
  std::size_t count = 0;
  double mean = 0, min = 0, p50 = 0, p95 = 0, p99 = 0, max = 0;
  static Distribution of(std::vector<double> sample);
  nlohmann::ordered_json to_json() const;
};

double nearest_rank(const std::vector<double>& sorted, double percent);

class Metrics : public Observer {
public:
  void on_event(const Event& e) override;
  nlohmann::ordered_json to_json() const;

  std::uint64_t orders_submitted() const { return orders_.size(); }
  std::uint64_t orders_completed() const { return completed_; }
  std::uint64_t orders_failed() const { return failed_; }
  const std::vector<double>& order_to_active() const { return order_to_active_; }

private:
  struct Order {
    double submitted = 0;
    bool resolved = false; // active or failed
  };
  std::map<std::string, Order> orders_; // by product order id
  std::uint64_t unmatched_ = 0;         // outcomes for orders never submitted, or resolved twice
  std::uint64_t completed_ = 0;
  std::uint64_t failed_ = 0;
  std::vector<double> order_to_active_;
  std::map<std::string, std::uint64_t> messages_; // by kind
  std::map<std::string, std::uint64_t> bytes_;    // by kind
  std::uint64_t vms_placed_ = 0, vms_booted_ = 0, vms_failed_ = 0, vms_destroyed_ = 0;
  std::uint64_t vms_down_ = 0, host_failures_ = 0;
  // Billing, from the Telecom BSS's converged bills (tester bill.issued events); sums in minor units.
  struct Bills {
    std::uint64_t issued = 0, with_credits = 0;
    std::int64_t telecom = 0, cloud = 0, credits = 0, total = 0;
    std::string currency;
  } bills_;
  std::uint64_t usage_records_ = 0, sla_violations_ = 0, alarms_ = 0;
};

} // namespace i1sim::trace
