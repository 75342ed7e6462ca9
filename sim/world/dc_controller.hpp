// The controller of one data centre: places VMs on hosts within their capacity, provisions them (image
// transfer over the DC fabric, then boot work on the VM), destroys them, and reports each step both to the
// Cloud BSS/OSS (as DC events) and to the event stream (as ground truth). It also takes its hosts down and
// up: at random (`failures:`) and at the timeline's host_crash and dc_outage faults.
#pragma once

#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"
#include "util/random.hpp"
#include "world/daemon.hpp"
#include "world/placement.hpp"
#include "world/platform.hpp"

#include <map>
#include <memory>
#include <vector>

namespace i1sim::world {

class DcController : public Daemon {
public:
  /// `failures` (may be null) makes hosts fail and come back at random, drawn from `seed`.
  DcController(const DcSite& site, trace::EventStream& events, const scenario::HostFailures* failures = nullptr,
               std::uint64_t seed = 0);
  /// The daemon DC events are reported to.
  void set_cloud(const Daemon* cloud) { cloud_ = cloud; }
  /// Takes the faults of `timeline` that concern this data centre (host_crash of one of its hosts,
  /// dc_outage of it), to inject at their times with this controller's own timers; call before spawn().
  void schedule(const std::vector<scenario::Fault>& timeline);
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
  // A host is down while any cause holds it down (a random failure, a host crash, an outage of the DC):
  // hold() and release() count the causes; hosts_down() and hosts_up() run on the transitions only.
  void hold(const std::vector<std::uint32_t>& hosts);
  void release(const std::vector<std::uint32_t>& hosts);
  void hosts_down(const std::vector<std::uint32_t>& hosts);
  void hosts_up(const std::vector<std::uint32_t>& hosts);
  void random_failure(std::uint32_t h);
  void random_repair(std::uint32_t h);
  void inject(std::size_t i); // scripted_[i]
  void clear(std::size_t i);
  std::vector<std::uint32_t> hosts_of(const scenario::Fault& fault) const;
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
  std::vector<int> causes_;               // per host: how many causes hold it down
  std::vector<scenario::Fault> scripted_; // this DC's faults of the timeline, by time
  int outages_ = 0;                       // dc_outage faults in force
};

} // namespace i1sim::world
