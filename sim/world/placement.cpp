// Best-fit placement with a per-speed index of hosts ordered by free cores.
#include "world/placement.hpp"

#include <stdexcept>

namespace i1sim::world {

Placer::Placer(std::vector<HostCapacity> hosts) : total_(std::move(hosts)), free_(total_), up_(total_.size(), true) {
  for (std::uint32_t h = 0; h < total_.size(); ++h) {
    index(h);
    free_cores_ += total_[h].cores;
  }
  total_cores_ = free_cores_;
}

// A host that is down is kept out of the index, so find() never chooses it; its books stay exact.
void Placer::index(std::uint32_t h) {
  if (up_[h])
    by_speed_[free_[h].speed].emplace(free_[h].cores, h);
}

void Placer::unindex(std::uint32_t h) { by_speed_[free_[h].speed].erase({free_[h].cores, h}); }

void Placer::set_up(std::uint32_t h, bool up) {
  if (up_.at(h) == up)
    return;
  unindex(h);
  up_[h] = up;
  // free_cores() is what can be placed now: a host that is down takes its free cores out with it.
  free_cores_ += up ? free_[h].cores : -free_[h].cores;
  index(h);
}

bool Placer::fits(std::uint32_t h, const VmShape& s) const {
  const HostCapacity& f = free_.at(h);
  return up_[h] && f.cores >= s.vcpu && f.ram >= s.ram && f.disk >= s.disk && f.speed >= s.min_core_speed;
}

std::optional<std::uint32_t> Placer::find(const VmShape& s) const {
  // The slowest speed class that meets the requirement first, so fast hosts stay free for the VMs that
  // need them; within a class, the host with the fewest free cores that still fits (best fit).
  for (auto it = by_speed_.lower_bound(s.min_core_speed); it != by_speed_.end(); ++it)
    for (auto h = it->second.lower_bound({s.vcpu, 0}); h != it->second.end(); ++h)
      if (fits(h->second, s))
        return h->second;
  return std::nullopt;
}

void Placer::reserve(std::uint32_t h, const VmShape& s) {
  if (!fits(h, s))
    throw std::logic_error("Placer::reserve on a host without room");
  unindex(h);
  free_[h].cores -= s.vcpu;
  free_[h].ram -= s.ram;
  free_[h].disk -= s.disk;
  free_cores_ -= s.vcpu;
  index(h);
}

void Placer::release(std::uint32_t h, const VmShape& s) {
  const HostCapacity& f = free_.at(h);
  const HostCapacity& t = total_[h];
  // Checked before any change, so a caller that catches the error still has consistent books.
  if (f.cores + s.vcpu > t.cores || f.ram + s.ram > t.ram + 1e-6 || f.disk + s.disk > t.disk + 1e-6)
    throw std::logic_error("Placer::release would give back more than the host has");
  unindex(h);
  free_[h].cores += s.vcpu;
  free_[h].ram += s.ram;
  free_[h].disk += s.disk;
  if (up_[h])
    free_cores_ += s.vcpu;
  index(h);
}

} // namespace i1sim::world
