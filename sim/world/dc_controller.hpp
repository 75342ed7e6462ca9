// The controller of one data centre: places VMs on hosts within their capacity, provisions them (image
// transfer over the DC fabric, then boot work on the VM), destroys them, and reports each step both to the
// Cloud BSS/OSS (as DC events) and to the event stream (as ground truth).
#pragma once

#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"
#include "util/random.hpp"
#include "world/daemon.hpp"
#include "world/placement.hpp"
#include "world/platform.hpp"

#include <map>
#include <memory>

namespace i1sim::world {

class DcController : public Daemon {
public:
  /// `failures` (may be null) makes hosts fail and come back at random, drawn from `seed`.
  DcController(const DcSite& site, trace::EventStream& events, const scenario::HostFailures* failures = nullptr,
               std::uint64_t seed = 0);
  /// The daemon DC events are reported to.
  void set_cloud(const Daemon* cloud) { cloud_ = cloud; }
  const DcSite& site() const { return *site_; }
  const Placer& placer() const { return placer_; }

protected:
  void on_start() override;
  void on_envelope(Envelope&& envelope) override;

private:
  struct Vm {
    VmRequest request;
    std::uint32_t host = 0;
    VmShape shape;
    simgrid::s4u::VirtualMachine* vm = nullptr; // while booting only (see boot())
    simgrid::s4u::ActivityPtr activity;         // the transfer or boot in progress
    bool down = false;                          // booted, and its host is down
  };

  void create(VmId id, const VmRequest& request);
  void destroy(VmId id);
  void boot(VmId id);
  void fail(VmId id, const std::string& reason);
  void host_down(std::uint32_t h);
  void host_up(std::uint32_t h);
  void report(DcEventKind kind, VmId id, const std::string& owner, const std::string& host,
              const std::string& reason = {});
  nlohmann::ordered_json truth(VmId id, const Vm& vm) const;

  const DcSite* site_;
  trace::EventStream* events_;
  Placer placer_;
  const Daemon* cloud_ = nullptr;
  std::map<VmId, Vm> vms_;
  const scenario::HostFailures* failures_;
  Random random_;
};

} // namespace i1sim::world
