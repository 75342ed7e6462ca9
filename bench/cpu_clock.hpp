// The process's CPU time as a std::chrono clock, for benchmarks that time their own phases.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>

namespace i1sim::bench {

/// The simulation and the oracles run on one thread, so the process's CPU time is their own work, which the
/// other processes of a shared machine do not inflate as they do the wall clock.
struct CpuClock {
  using rep = std::int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<CpuClock, duration>;
  static constexpr bool is_steady = true;
  static time_point now() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return time_point(duration(static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec));
  }
};

} // namespace i1sim::bench
