// Capacity bookkeeping and VM placement over the hosts of one data centre; pure C++, no SimGrid.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

namespace i1sim::world {

struct HostCapacity {
  int cores = 0;
  double speed = 0; // flop/s per core
  double ram = 0;   // B
  double disk = 0;  // B
};

struct VmShape {
  int vcpu = 0;
  double ram = 0;
  double disk = 0;
  double min_core_speed = 0; // 0: any host
};

/// Tracks what is free on every host and finds a host for a VM: the slowest core speed that meets the VM's
/// requirement, then best fit on cores (the scarcest resource in our scenarios), ties broken by the lowest
/// host index so placement is deterministic. Hosts are indexed per core speed and by free cores, so a
/// placement costs O(log n) in the usual case, not a scan of every host.
class Placer {
public:
  explicit Placer(std::vector<HostCapacity> hosts);

  /// The host index for `shape`, or nothing when no host has room; does not reserve.
  std::optional<std::uint32_t> find(const VmShape& shape) const;
  /// Whether host `h` has room for `shape` now.
  bool fits(std::uint32_t h, const VmShape& shape) const;
  /// Takes `shape` from host `h`; the caller checked fits().
  void reserve(std::uint32_t h, const VmShape& shape);
  /// Gives `shape` back to host `h`.
  void release(std::uint32_t h, const VmShape& shape);

  /// Takes host `h` out of placement while it is down (its reservations stay), or puts it back.
  void set_up(std::uint32_t h, bool up);
  bool is_up(std::uint32_t h) const { return up_.at(h); }

  const HostCapacity& capacity(std::uint32_t h) const { return total_[h]; }
  const HostCapacity& free(std::uint32_t h) const { return free_[h]; }
  /// Free cores of the hosts that are up: what the data centre can place now.
  long long free_cores() const { return free_cores_; }
  long long total_cores() const { return total_cores_; }

private:
  using Index = std::set<std::pair<int, std::uint32_t>>; // (free cores, host)
  void unindex(std::uint32_t h);
  void index(std::uint32_t h);

  std::vector<HostCapacity> total_;
  std::vector<HostCapacity> free_;
  std::vector<bool> up_;
  std::map<double, Index> by_speed_; // core speed -> hosts of that speed ordered by free cores
  long long free_cores_ = 0;
  long long total_cores_ = 0;
};

} // namespace i1sim::world
