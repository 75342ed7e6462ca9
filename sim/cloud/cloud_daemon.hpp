// The Cloud BSS/OSS daemon: hosts an implementation under test in simulated time and gives it the
// CloudContext (I1 answers, notifications, timers) and the DC control API. It also plays the timeline faults
// of the Cloud side's process: cloud_restart (the process stops, then starts again) and clock_skew.
#pragma once

#include "i1/binding.hpp"
#include "i1sim/iut.hpp"
#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"
#include "world/daemon.hpp"
#include "world/dc_controller.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

namespace i1sim::cloud {

/// While a cloud_restart keeps the process down: every I1 frame that reaches it is refused (truth
/// channel.lost {"reason": "cloudDown"}) and never handed to the implementation; the implementation's timers
/// are discarded (the ones set before the stop never fire); DC reports wait on the durable management bus and
/// are handed over, in order, right after the implementation's restart hook. Truth: cloud.down {"timers": the
/// implementation's timers discarded} and cloud.up, with fault.injected / fault.cleared.
/// While a clock_skew is in force, now() and timestamp() read the true time plus its offset (skews in force
/// together add up); clock.skew {"offset": the total} at each change, with fault.injected / fault.cleared.
class CloudDaemon : public world::Daemon, public CloudContext, public DcControl {
public:
  CloudDaemon(simgrid::s4u::Host* host, CloudIut& iut, trace::EventStream& events, double service_time,
              std::vector<world::DcController*> dcs);
  /// Makes `daemon` reachable as the notification callback `address`, and the peer that answers go to.
  void add_listener(const std::string& address, const world::Daemon* daemon);
  void set_telecom(const world::Daemon* telecom) { telecom_ = telecom; }
  /// Sends every I1 frame through the run's channel faults.
  void set_channel(faults::ChannelFaults* channel);
  /// Takes the cloud_restart and clock_skew faults of `timeline` (the others are not the daemon's); call
  /// before spawn().
  void schedule(const std::vector<scenario::Fault>& timeline);

  // CloudContext
  double now() const override;
  std::string timestamp() const override;
  void respond(const Message& request, int status, nlohmann::json body) override;
  void notify(const std::string& callback, std::string_view event_type, std::string correlation_id,
              nlohmann::json envelope) override;
  DcControl& dc() override { return *this; }
  void set_timer(double delay, std::uint64_t token) override;

  // DcControl
  std::vector<DcInfo> data_centres() const override;
  VmId create_vm(const std::string& dc, const VmRequest& request) override;
  void destroy_vm(const std::string& dc, VmId vm) override;

protected:
  void on_start() override;
  void on_envelope(world::Envelope&& envelope) override;

private:
  world::DcController* controller(const std::string& dc) const;
  void guarded(std::string_view call, const Message* request, const std::function<void()>& fn);
  void stop(const scenario::Fault& fault);
  void restart(const scenario::Fault& fault);
  void skew(const scenario::Fault& fault, bool starts);

  CloudIut* iut_;
  trace::EventStream* events_;
  i1::InSimBinding binding_;
  double service_flops_;
  std::vector<world::DcController*> dcs_;
  std::map<std::string, const world::Daemon*> listeners_;
  const world::Daemon* telecom_ = nullptr;
  VmId next_vm_ = 0;

  std::vector<scenario::Fault> faults_; // cloud_restart and clock_skew, by time
  int down_ = 0;                        // restarts in progress (overlapping ones nest)
  std::uint64_t epoch_ = 0;             // bumped at every stop: a timer of an older epoch never fires
  std::uint64_t timers_pending_ = 0;    // the implementation's timers of this epoch not yet fired
  std::vector<DcEvent> held_;           // DC reports that arrived while down
  double skew_ = 0;                     // s added to the true time
};

} // namespace i1sim::cloud
