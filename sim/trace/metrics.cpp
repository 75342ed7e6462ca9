// Order, message and VM counters and the order-to-active distribution.
#include "trace/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace i1sim::trace {

double nearest_rank(const std::vector<double>& sorted, double percent) {
  if (sorted.empty())
    return 0;
  const auto n = static_cast<double>(sorted.size());
  auto rank = static_cast<std::size_t>(std::ceil(percent / 100.0 * n));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

Distribution Distribution::of(std::vector<double> sample) {
  Distribution d;
  d.count = sample.size();
  if (sample.empty())
    return d;
  std::sort(sample.begin(), sample.end());
  d.mean = std::accumulate(sample.begin(), sample.end(), 0.0) / static_cast<double>(sample.size());
  d.min = sample.front();
  d.max = sample.back();
  d.p50 = nearest_rank(sample, 50);
  d.p95 = nearest_rank(sample, 95);
  d.p99 = nearest_rank(sample, 99);
  return d;
}

nlohmann::ordered_json Distribution::to_json() const {
  nlohmann::ordered_json j;
  j["count"] = count;
  if (count == 0) // no sample: say so rather than print zeros that look measured
    return j;
  j["mean"] = mean;
  j["min"] = min;
  j["p50"] = p50;
  j["p95"] = p95;
  j["p99"] = p99;
  j["max"] = max;
  return j;
}

void Metrics::on_event(const Event& e) {
  switch (e.category) {
  case Category::i1: {
    const std::string kind = e.type.substr(3); // "i1.request" -> "request"
    ++messages_[kind];
    bytes_[kind] += e.data.at("bytes").get<std::uint64_t>();
    if (kind == "notification") {
      const auto name = e.data.find("name");
      if (name != e.data.end() && *name == "UsageCreateEvent")
        ++usage_records_;
      else if (name != e.data.end() && *name == "ServiceLevelViolationCreateEvent")
        ++sla_violations_;
      else if (name != e.data.end() && *name == "AlarmCreateEvent")
        ++alarms_;
    }
    break;
  }
  case Category::truth:
    if (e.type == "vm.placed")
      ++vms_placed_;
    else if (e.type == "vm.booted")
      ++vms_booted_;
    else if (e.type == "vm.failed")
      ++vms_failed_;
    else if (e.type == "vm.destroyed")
      ++vms_destroyed_;
    else if (e.type == "vm.down")
      ++vms_down_;
    else if (e.type == "host.down")
      ++host_failures_;
    break;
  case Category::tester:
    if (e.type == "bill.issued") {
      ++bills_.issued;
      bills_.telecom += e.data.at("telecom").get<std::int64_t>();
      bills_.cloud += e.data.at("cloud").get<std::int64_t>();
      bills_.credits += e.data.at("credits").get<std::int64_t>();
      bills_.total += e.data.at("total").get<std::int64_t>();
      bills_.with_credits += e.data.at("credits").get<std::int64_t>() > 0 ? 1 : 0;
      bills_.currency = e.data.at("currency").get<std::string>();
    } else if (e.type == "order.submitted") {
      orders_.emplace(e.data.at("productOrder").get<std::string>(), Order{e.t, false});
    } else if (e.type == "product.active" || e.type == "product.failed") {
      const auto it = orders_.find(e.data.at("productOrder").get<std::string>());
      if (it == orders_.end() || it->second.resolved) {
        ++unmatched_; // a tester fault: counted apart so the order figures stay consistent
        break;
      }
      it->second.resolved = true;
      if (e.type == "product.active") {
        ++completed_;
        order_to_active_.push_back(e.t - it->second.submitted);
      } else {
        ++failed_;
      }
    }
    break;
  }
}

nlohmann::ordered_json Metrics::to_json() const {
  nlohmann::ordered_json j;
  const auto submitted = static_cast<std::uint64_t>(orders_.size());
  j["orders"] = {{"submitted", submitted},
                 {"completed", completed_},
                 {"failed", failed_},
                 {"unresolved", submitted - completed_ - failed_}};
  if (unmatched_ > 0)
    j["orders"]["unmatched_outcomes"] = unmatched_;
  j["order_to_active_s"] = Distribution::of(order_to_active_).to_json();
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  nlohmann::ordered_json by_kind = nlohmann::ordered_json::object();
  for (const auto& [kind, n] : messages_) {
    messages += n;
    bytes += bytes_.at(kind);
    by_kind[kind] = {{"messages", n}, {"bytes", bytes_.at(kind)}};
  }
  j["i1"] = {{"messages", messages}, {"bytes", bytes}, {"by_kind", by_kind}};
  if (submitted > 0) {
    j["i1"]["messages_per_order"] = static_cast<double>(messages) / static_cast<double>(submitted);
    j["i1"]["bytes_per_order"] = static_cast<double>(bytes) / static_cast<double>(submitted);
  }
  j["vms"] = {{"placed", vms_placed_}, {"booted", vms_booted_}, {"failed", vms_failed_}, {"destroyed", vms_destroyed_}};
  if (host_failures_ > 0 || vms_down_ > 0)
    j["failures"] = {
        {"hosts", host_failures_}, {"vms_down", vms_down_}, {"alarms", alarms_}, {"sla_violations", sla_violations_}};
  if (bills_.issued > 0 || usage_records_ > 0)
    j["billing"] = {{"bills", bills_.issued},      {"bills_with_credits", bills_.with_credits},
                    {"currency", bills_.currency}, {"telecom", bills_.telecom},
                    {"cloud", bills_.cloud},       {"credits", bills_.credits},
                    {"total", bills_.total},       {"usage_records", usage_records_}};
  return j;
}

} // namespace i1sim::trace
