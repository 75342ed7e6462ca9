// The Cloud BSS/OSS daemon: hosts an implementation under test in simulated time and gives it the
// CloudContext (I1 answers, notifications, timers) and the DC control API.
#pragma once

#include "i1/binding.hpp"
#include "i1sim/iut.hpp"
#include "trace/event_stream.hpp"
#include "world/daemon.hpp"
#include "world/dc_controller.hpp"

#include <functional>
#include <map>
#include <vector>

namespace i1sim::cloud {

class CloudDaemon : public world::Daemon, public CloudContext, public DcControl {
public:
  CloudDaemon(simgrid::s4u::Host* host, CloudIut& iut, trace::EventStream& events, double service_time,
              std::vector<world::DcController*> dcs);
  /// Makes `daemon` reachable as the notification callback `address`, and the peer that answers go to.
  void add_listener(const std::string& address, const world::Daemon* daemon);
  void set_telecom(const world::Daemon* telecom) { telecom_ = telecom; }

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

  CloudIut* iut_;
  trace::EventStream* events_;
  i1::InSimBinding binding_;
  double service_flops_;
  std::vector<world::DcController*> dcs_;
  std::map<std::string, const world::Daemon*> listeners_;
  const world::Daemon* telecom_ = nullptr;
  VmId next_vm_ = 0;
};

} // namespace i1sim::cloud
