// The workload's order arrivals: when each order comes, for which product and customer (fixed, Poisson, ramp,
// burst and replayed trace processes), drawn from the Telecom BSS's random stream.
#pragma once

#include "scenario/scenario.hpp"
#include "util/random.hpp"

#include <string>

namespace i1sim::telecom {

/// One order as the workload brings it.
struct Arrival {
  double at = 0; // s after the start of the simulation, as the process places it
  std::string product;
  int customer = 0; // from 1
};

/// The orders of a workload, one after the other. Per order, the draws are: the customer (unless a trace row
/// names it), the product (unless from a trace), then the gap to the next order (fixed: none; poisson and ramp:
/// one exponential draw, and none after the last order). fixed and poisson draw exactly as the Telecom BSS did
/// before ramp, burst and trace existed, so their runs are unchanged.
///
/// ramp is a non-homogeneous Poisson process simulated by exact inversion of its integrated rate: each gap
/// solves Integral(rate, now, now + gap) = E for one E ~ Exp(1), piecewise over the linear part and the flat
/// rest. With ramp_to == rate it gives the very gaps poisson gives.
///
/// Every process but trace puts its first order at workload.start; a trace puts each order at its row's time.
class Arrivals {
public:
  /// `workload` (with its trace) must outlive this; `rng` is the stream every draw is taken from.
  Arrivals(const scenario::Workload& workload, int customer_count, Random& rng);

  /// Whether an order is still to come.
  bool more() const { return sold_ < total_; }
  /// The time of the next order (valid while more()). The first order is due at it; later ones `gap()` after
  /// the order before.
  double next_at() const { return next_at_; }
  /// The next order, with its draws; then the gap to the one after is known.
  Arrival next();
  /// s from the order next() returned last to the next one (valid while more()): 0 between the orders of one
  /// burst or trace rows at the same time. Schedule with it rather than with next_at() - now so that a
  /// simulation's clock follows the drawn gaps exactly, as it always did.
  double gap() const { return gap_; }
  /// Orders returned so far.
  int sold() const { return sold_; }

private:
  double draw_gap(double from);
  double ramp_gap(double from, double e) const;

  const scenario::Workload* workload_;
  std::uint64_t customers_;
  Random* rng_;
  double total_weight_ = 0;
  int total_ = 0;
  int sold_ = 0;
  double next_at_ = 0;
  double gap_ = 0;
};

} // namespace i1sim::telecom
