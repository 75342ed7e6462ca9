// The harness's Telecom side (the tester): the Telecom BSS sells products to customers and drives the
// workload; the Telecom OSS orders their cloud part over I1 and tracks it to active or failed.
#pragma once

#include "i1/binding.hpp"
#include "scenario/scenario.hpp"
#include "trace/event_stream.hpp"
#include "util/random.hpp"
#include "world/daemon.hpp"

#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>

namespace i1sim::telecom {

class TelecomOss : public world::Daemon {
public:
  TelecomOss(simgrid::s4u::Host* host, const scenario::Scenario& sc, trace::EventStream& events);
  void set_peers(const world::Daemon* bss, const world::Daemon* cloud) {
    bss_ = bss;
    cloud_ = cloud;
  }
  /// The notification callback address this OSS registers with the Cloud side's hub.
  std::string listener_address() const { return "sim://" + name() + "/listener"; }

protected:
  void on_start() override;
  void on_envelope(world::Envelope&& envelope) override;

private:
  struct Tracked {
    std::string product_order;
    std::string order_id;           // the Cloud side's ServiceOrder id, once acknowledged
    std::string order_state;        // last state reported
    std::set<std::string> services; // ids of the services of the order
    std::set<std::string> active;   // of which reported active
    bool resolved = false;
  };

  void request(std::string_view type, std::string_view target, nlohmann::json body, std::string correlation = {});
  void submit(const world::ProductOrder& po);
  void on_response(const Message& m);
  void on_notification(const Message& m);
  void check_active(Tracked& t);
  void resolve(Tracked& t, bool active, const std::string& reason);
  Tracked* by_external_id(const std::string& external_id);

  const scenario::Scenario* sc_;
  trace::EventStream* events_;
  i1::InSimBinding binding_;
  const world::Daemon* bss_ = nullptr;
  const world::Daemon* cloud_ = nullptr;
  bool subscribed_ = false;
  std::deque<world::ProductOrder> waiting_; // bought before the hub subscription was acknowledged
  std::uint64_t next_request_ = 0;
  std::map<std::string, std::string> pending_;       // request correlation id -> product order id ("" for the hub)
  std::map<std::string, Tracked> tracked_;           // product order id -> tracking
  std::map<std::string, std::string> by_order_id_;   // ServiceOrder id -> product order id
  std::map<std::string, std::string> service_state_; // service id -> last reported state
};

class TelecomBss : public world::Daemon {
public:
  TelecomBss(simgrid::s4u::Host* host, const scenario::Scenario& sc, std::uint64_t seed, trace::EventStream& events);
  void set_oss(const world::Daemon* oss) { oss_ = oss; }
  /// Called once when the run ends (all orders resolved and drained, or stop.max_time).
  void set_on_end(std::function<void()> on_end) { on_end_ = std::move(on_end); }
  /// Simulated time at which the run ended.
  double ended_at() const { return ended_at_; }

protected:
  void on_start() override;
  void on_envelope(world::Envelope&& envelope) override;

private:
  void arrive();
  void end(const std::string& why);

  const scenario::Scenario* sc_;
  trace::EventStream* events_;
  Random rng_;
  const world::Daemon* oss_ = nullptr;
  int sold_ = 0;
  int resolved_ = 0;
  double total_weight_ = 0;
  bool ended_ = false;
  double ended_at_ = 0;
  std::function<void()> on_end_;
};

} // namespace i1sim::telecom
