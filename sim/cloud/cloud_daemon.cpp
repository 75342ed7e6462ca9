// Dispatch of I1 frames and DC reports to the implementation, the services it calls back, and the faults of
// its process (stop and restart, a skewed clock).
#include "cloud/cloud_daemon.hpp"

#include "faults/fault_events.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

namespace sg = simgrid::s4u;

namespace i1sim::cloud {

CloudDaemon::CloudDaemon(sg::Host* host, CloudIut& iut, trace::EventStream& events, double service_time,
                         std::vector<world::DcController*> dcs)
    : Daemon(host->get_name(), host)
    , iut_(&iut)
    , events_(&events)
    , binding_(events)
    , service_flops_(service_time * host->get_speed())
    , dcs_(std::move(dcs)) {}

void CloudDaemon::add_listener(const std::string& address, const world::Daemon* daemon) {
  listeners_[address] = daemon;
}

void CloudDaemon::set_channel(faults::ChannelFaults* channel) {
  binding_.set_channel(channel, [this](double delay, std::function<void()> fn) { after(delay, std::move(fn)); });
}

void CloudDaemon::schedule(const std::vector<scenario::Fault>& timeline) {
  for (const auto& f : timeline)
    if (f.kind == scenario::Fault::Kind::cloud_restart || f.kind == scenario::Fault::Kind::clock_skew)
      faults_.push_back(f);
}

double CloudDaemon::now() const { return Daemon::now() + skew_; }

std::string CloudDaemon::timestamp() const { return iso_timestamp(now()); }

void CloudDaemon::on_start() {
  // The faults' own timers are set before the implementation starts, so at one instant they come first.
  for (const auto& f : faults_) {
    const double at = std::max(0.0, f.at - Daemon::now());
    if (f.kind == scenario::Fault::Kind::cloud_restart) {
      after(at, [this, &f] { stop(f); });
      after(at + std::max(0.0, f.duration), [this, &f] { restart(f); });
    } else {
      after(at, [this, &f] { skew(f, true); });
      if (f.duration > 0)
        after(at + f.duration, [this, &f] { skew(f, false); });
    }
  }
  guarded("start", nullptr, [this] { iut_->start(*this); });
}

void CloudDaemon::stop(const scenario::Fault& fault) {
  events_->emit(trace::Category::truth, "fault.injected", faults::describe(fault));
  if (down_++ > 0)
    return;
  ++epoch_;
  events_->emit(trace::Category::truth, "cloud.down", {{"timers", timers_pending_}});
  timers_pending_ = 0;
}

void CloudDaemon::restart(const scenario::Fault& fault) {
  events_->emit(trace::Category::truth, "fault.cleared", faults::describe(fault));
  if (--down_ > 0)
    return;
  events_->emit(trace::Category::truth, "cloud.up", {{"held", held_.size()}});
  guarded("restart", nullptr, [this] { iut_->restart(*this); });
  // The management bus is durable: what the data centres reported meanwhile is handed over now, in order.
  std::vector<DcEvent> held;
  held.swap(held_);
  for (const auto& event : held)
    guarded("on_dc_event", nullptr, [&] { iut_->on_dc_event(*this, event); });
}

void CloudDaemon::skew(const scenario::Fault& fault, bool starts) {
  events_->emit(trace::Category::truth, starts ? "fault.injected" : "fault.cleared", faults::describe(fault));
  skew_ += starts ? fault.offset : -fault.offset;
  if (std::abs(skew_) < 1e-9) // windows that cancel out leave no rounding residue on the clock
    skew_ = 0;
  events_->emit(trace::Category::truth, "clock.skew", {{"offset", skew_}});
}

void CloudDaemon::guarded(std::string_view call, const Message* request, const std::function<void()>& fn) {
  // An implementation that throws is a faulty implementation, not a broken harness: the harness records it
  // and goes on, and a request it was handling gets the 500 an HTTP framework would send.
  try {
    fn();
  } catch (const std::exception& e) {
    events_->emit(trace::Category::truth, "iut.exception", {{"call", call}, {"what", e.what()}});
    if (request)
      respond(*request, 500,
              {{"code", "internalError"}, {"reason", "the implementation failed"}, {"message", e.what()}});
  }
}

void CloudDaemon::on_envelope(world::Envelope&& envelope) {
  if (auto* frame = std::get_if<world::I1Frame>(&envelope)) {
    if (down_ > 0) { // nothing listens: the connection is refused and the implementation never sees it
      binding_.refuse(*frame, "cloudDown");
      return;
    }
    auto message = binding_.deliver(*frame);
    if (service_flops_ > 0) // the daemon is single-threaded: handling a message occupies it
      sg::this_actor::execute(service_flops_);
    if (!message)
      return;
    if (message->kind == MessageKind::request)
      guarded("on_request", &*message, [&] { iut_->on_request(*this, *message); });
    else if (message->kind == MessageKind::response)
      guarded("on_response", nullptr, [&] { iut_->on_response(*this, *message); });
    return;
  }
  if (auto* report = std::get_if<world::DcReport>(&envelope)) {
    if (down_ > 0)
      held_.push_back(report->event);
    else
      guarded("on_dc_event", nullptr, [&] { iut_->on_dc_event(*this, report->event); });
  }
}

void CloudDaemon::respond(const Message& request, int status, nlohmann::json body) {
  Message m{MessageKind::response, request.type, request.correlation_id, status, "", std::move(body), {}};
  binding_.send(*this, *telecom_, std::move(m), Direction::cloud_to_telecom);
}

void CloudDaemon::notify(const std::string& callback, std::string_view event_type, std::string correlation_id,
                         nlohmann::json envelope) {
  const auto it = listeners_.find(callback);
  if (it == listeners_.end()) {
    // No such listener exists in the world: record the attempt, as a connection refused would show.
    events_->emit(trace::Category::i1, "i1.undeliverable",
                  {{"dir", "c2t"}, {"name", event_type}, {"corr", correlation_id}, {"target", callback}, {"bytes", 0}});
    return;
  }
  Message m{MessageKind::notification,
            std::string(event_type),
            std::move(correlation_id),
            0,
            callback,
            std::move(envelope),
            {}};
  binding_.send(*this, *it->second, std::move(m), Direction::cloud_to_telecom);
}

void CloudDaemon::set_timer(double delay, std::uint64_t token) {
  // A delay computed from a clock that jumped (clock_skew) may come out negative or not a number: it fires
  // at once rather than in the past.
  if (!(delay > 0))
    delay = 0;
  ++timers_pending_;
  after(delay, [this, token, epoch = epoch_] {
    if (epoch != epoch_) // set before a stop: the process that set it is gone
      return;
    --timers_pending_;
    guarded("on_timer", nullptr, [&] { iut_->on_timer(*this, token); });
  });
}

std::vector<DcInfo> CloudDaemon::data_centres() const {
  std::vector<DcInfo> out;
  for (const auto* c : dcs_) {
    out.push_back(DcInfo{c->site().name, c->site().jurisdiction, c->site().hosts.size(), c->placer().total_cores(),
                         c->placer().free_cores()});
  }
  return out;
}

world::DcController* CloudDaemon::controller(const std::string& dc) const {
  for (auto* c : dcs_)
    if (c->site().name == dc)
      return c;
  throw std::invalid_argument(fmt::format("unknown data centre '{}'", dc));
}

VmId CloudDaemon::create_vm(const std::string& dc, const VmRequest& request) {
  const VmId id = ++next_vm_;
  send(*controller(dc), world::DcCommand{world::DcCommand::Op::create_vm, id, request}, world::kDcCommandBytes);
  return id;
}

void CloudDaemon::destroy_vm(const std::string& dc, VmId vm) {
  send(*controller(dc), world::DcCommand{world::DcCommand::Op::destroy_vm, vm, {}}, world::kDcCommandBytes);
}

} // namespace i1sim::cloud
