// The implementation-under-test boundary: what a Cloud BSS/OSS implements to be driven by i1sim.
//
// The harness owns the Cloud BSS/OSS daemon; it calls the implementation for every event, in simulated time,
// one event at a time. The implementation never blocks: it answers, notifies, asks its data centres for work
// and sets timers through the CloudContext, and learns of outcomes through later calls.
#pragma once

#include "i1sim/dc_control.hpp"
#include "i1sim/message.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace i1sim {

/// What the harness offers the implementation during a call.
class CloudContext {
public:
  virtual ~CloudContext() = default;
  /// Simulated seconds since the start of the run, as the Cloud side's clock reads them: during a clock_skew
  /// fault, off the true time by the fault's offset (possibly negative, possibly jumping back when it ends),
  /// so a duration computed from two readings may be negative. Data centres stamp their reports
  /// (DcEvent::time) with the true time.
  virtual double now() const = 0;
  /// The same time as an ISO 8601 UTC timestamp, for TM Forum date-time fields.
  virtual std::string timestamp() const = 0;
  /// Answers `request` (correlation id and type are taken from it).
  virtual void respond(const Message& request, int status, nlohmann::json body) = 0;
  /// Posts a notification to a consumer's listener; `callback` is the address the consumer registered with
  /// its hub subscription. The listener's answer comes back through CloudIut::on_response.
  virtual void notify(const std::string& callback, std::string_view event_type, std::string correlation_id,
                      nlohmann::json envelope) = 0;
  /// The data centres this Cloud BSS/OSS manages.
  virtual DcControl& dc() = 0;
  /// Calls CloudIut::on_timer(token) after `delay` simulated seconds (a negative delay: at once). Timers
  /// do not survive a restart (see CloudIut::restart).
  virtual void set_timer(double delay, std::uint64_t token) = 0;
};

/// A Cloud-side implementation of I1.
class CloudIut {
public:
  virtual ~CloudIut() = default;
  /// The name it is selected by, e.g. "ref".
  virtual std::string name() const = 0;
  /// Called once, at time 0, before any message.
  virtual void start(CloudContext& ctx) { (void)ctx; }
  /// An I1 request from the Telecom BSS/OSS. Every request must get one response, now or later.
  virtual void on_request(CloudContext& ctx, const Message& request) = 0;
  /// A listener's answer to one of our notifications.
  virtual void on_response(CloudContext& ctx, const Message& response) { (void)ctx, (void)response; }
  /// An outcome reported by a data centre.
  virtual void on_dc_event(CloudContext& ctx, const DcEvent& event) = 0;
  /// A timer set with CloudContext::set_timer fired.
  virtual void on_timer(CloudContext& ctx, std::uint64_t token) { (void)ctx, (void)token; }
  /// The process starts again after it was stopped (the cloud_restart fault of a scenario's timeline).
  ///
  /// What the harness guarantees: while the process was down nothing was called; the I1 requests and
  /// answers that reached it were refused (the Telecom side sends requests again); every timer set before
  /// the stop is gone and never fires; the data centres' reports of the downtime are held on a durable bus
  /// and handed to on_dc_event right after this call, in the order they were sent. The VMs themselves went
  /// on running.
  ///
  /// What an implementation must do: behave as a real process that restarts from its database. Whatever it
  /// would keep in durable storage survives (customers, orders and their items, services and the inventory,
  /// alarms, measurement jobs, usage records, bills, hub subscriptions, idempotency keys such as
  /// (operator, externalId), identifier counters, notifications not yet acknowledged); everything else is
  /// lost and must be dropped here: timers and their tokens, in-memory queues, caches (for instance of the
  /// data centres' list). Then it rebuilds from the durable state what its obligations need: it re-arms
  /// activation deadlines, usage period boundaries, SLA checks and measurement reports, and sends again the
  /// notifications never acknowledged. A period boundary or deadline that passed while it was down is acted
  /// on at once. The default does nothing, which is right only for an implementation with no timers.
  virtual void restart(CloudContext& ctx) { (void)ctx; }
};

/// A cloud service the Cloud BSS/OSS sells, with its prices and service level terms.
struct CloudServiceOffer {
  std::string id;
  std::string name;
  int instances = 1;
  double image_size = 0; // B
  double boot_work = 0;  // flop
  // Prices in millionths of a minor unit per unit-hour (e.g. 1'200'000 = 1.2 cents per vCPU-hour).
  std::int64_t vcpu_hour = 0;
  std::int64_t ram_gib_hour = 0;
  std::int64_t storage_gib_hour = 0;
  int sla_credit_percent = 0; // of the service's usage charge in a cycle when it misses its objective
};

/// Everything an implementation is told before the run: the catalogue, the bill cycles, the I1 profile, the
/// operators' credentials and the timer values of the specification (the PIXIT).
struct CloudSetup {
  std::vector<CloudServiceOffer> offers;
  std::string currency = "EUR";
  double bill_cycle = 0; // s; 0: no bill cycles in this run
  std::string profile = "Q";
  std::map<std::string, std::string> operators; // credential -> operator id (X profile)
  std::map<std::string, double> timers;         // every timer of the specification -> s
  double timer(const std::string& name) const {
    const auto it = timers.find(name);
    return it == timers.end() ? 0 : it->second;
  }
};

/// Builds the implementation named `spec` ("ref"), or returns null when no implementation has that name.
std::unique_ptr<CloudIut> make_cloud_iut(std::string_view spec, const CloudSetup& setup);
/// The names make_cloud_iut accepts, for help texts and errors.
std::vector<std::string> cloud_iut_names();

} // namespace i1sim
