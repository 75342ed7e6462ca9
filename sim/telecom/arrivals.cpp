// Order arrival processes of the workload, drawn in a fixed order from one stream so runs replay exactly.
#include "telecom/arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace i1sim::telecom {

using scenario::ArrivalProcess;

Arrivals::Arrivals(const scenario::Workload& workload, int customer_count, Random& rng)
    : workload_(&workload)
    , customers_(static_cast<std::uint64_t>(std::max(customer_count, 1)))
    , rng_(&rng) {
  for (const auto& share : workload.mix)
    total_weight_ += share.weight;
  if (workload.arrival == ArrivalProcess::trace) {
    total_ = static_cast<int>(std::min<std::size_t>(workload.trace.size(), std::numeric_limits<int>::max()));
    next_at_ = total_ > 0 ? workload.trace.front().at : 0;
  } else {
    total_ = std::max(workload.orders, 0);
    next_at_ = workload.start;
  }
}

Arrival Arrivals::next() {
  const scenario::Workload& w = *workload_;
  const scenario::TraceArrival* row =
      w.arrival == ArrivalProcess::trace ? &w.trace[static_cast<std::size_t>(sold_)] : nullptr;
  Arrival a;
  a.at = next_at_;
  a.customer = row && row->customer > 0 ? row->customer : static_cast<int>(rng_->below(customers_)) + 1;
  if (row) {
    a.product = row->product;
  } else if (!w.mix.empty()) {
    // The share whose slice of [0, total weight) the draw falls in; the last one takes rounding leftovers.
    double pick = rng_->uniform() * total_weight_;
    a.product = w.mix.back().product;
    for (const auto& share : w.mix) {
      if (pick < share.weight) {
        a.product = share.product;
        break;
      }
      pick -= share.weight;
    }
  }
  ++sold_;
  if (more()) {
    gap_ = draw_gap(a.at);
    if (!(gap_ < std::numeric_limits<double>::infinity())) // a rate of 0 from here on: nothing more comes
      total_ = sold_;
    else
      next_at_ = a.at + gap_;
  }
  return a;
}

double Arrivals::draw_gap(double from) {
  const scenario::Workload& w = *workload_;
  switch (w.arrival) {
  case ArrivalProcess::fixed:
    return 1.0 / w.rate;
  case ArrivalProcess::poisson:
    return rng_->exponential(w.rate);
  case ArrivalProcess::ramp:
    return ramp_gap(from, rng_->exponential(1.0));
  case ArrivalProcess::burst: {
    // Burst times come from their index, not from sums of gaps, so they do not drift over a long run.
    const int size = std::max(w.burst_size, 1);
    const int burst = sold_ / size;
    if (sold_ % size != 0)
      return 0;
    next_at_ = w.start + burst * w.burst_every;
    return next_at_ - from;
  }
  case ArrivalProcess::trace:
    next_at_ = w.trace[static_cast<std::size_t>(sold_)].at;
    return next_at_ - from;
  }
  return std::numeric_limits<double>::infinity();
}

// The gap g from `from` such that the integral of the rate over [from, from + g] is `e`. On the linear part
// the rate is r(t) = rate + slope * (t - start), whose integral over g is r(from) g + slope g^2 / 2: the root
// is taken in the form 2e / (r + sqrt(r^2 + 2 slope e)), which neither cancels nor divides by a zero slope.
double Arrivals::ramp_gap(double from, double e) const {
  const scenario::Workload& w = *workload_;
  const double inf = std::numeric_limits<double>::infinity();
  if (!(e > 0))
    return 0;
  const double into = from - w.start;
  if (into < w.ramp_over) {
    const double slope = (w.ramp_to - w.rate) / w.ramp_over;
    const double rate_now = w.rate + slope * into;
    const double left = w.ramp_over - into;
    const double ramp_mass = (rate_now + w.ramp_to) / 2 * left;
    if (e <= ramp_mass) {
      const double denominator = rate_now + std::sqrt(std::max(0.0, rate_now * rate_now + 2 * slope * e));
      if (denominator > 0)
        return 2 * e / denominator;
    }
    return w.ramp_to > 0 ? left + (e - std::min(e, ramp_mass)) / w.ramp_to : inf;
  }
  return w.ramp_to > 0 ? e / w.ramp_to : inf;
}

} // namespace i1sim::telecom
