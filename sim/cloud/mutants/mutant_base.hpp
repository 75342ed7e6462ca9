// The machinery every mutant shares: a decorator around the reference Cloud BSS/OSS that sees, and may change,
// everything the reference sends (responses, notifications, data-centre calls) and everything it receives.
#pragma once

#include "cloud/reference_cloud.hpp"
#include "i1sim/iut.hpp"
#include "util/money.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace i1sim::cloud::mutant {

/// What a mutant knows of a service from what the reference published about it.
struct ServiceFacts {
  std::string spec_id;
  std::string customer;
  std::string state;
  int instances = 1;
  std::int64_t vcpu = 0, ram_mib = 0, storage_mib = 0;
};

/// The reference wrapped: every call is forwarded to it through a relaying context whose outputs pass the
/// mutant's hooks first. The defaults forward unchanged, so a mutant overrides only the hook its defect lives in.
///
/// Timers: the reference's tokens reach the harness doubled (even), the mutant's own are odd, so the two never
/// collide; both are lost on a restart, as the harness guarantees.
class MutantBase : public CloudIut {
public:
  MutantBase(std::string name, const CloudSetup& setup);
  ~MutantBase() override;
  std::string name() const override { return "mutant:" + name_; }
  void start(CloudContext& ctx) override;
  void on_request(CloudContext& ctx, const Message& request) override;
  void on_response(CloudContext& ctx, const Message& response) override;
  void on_dc_event(CloudContext& ctx, const DcEvent& event) override;
  void on_timer(CloudContext& ctx, std::uint64_t token) override;
  void restart(CloudContext& ctx) override;

protected:
  // ---- hooks: the defaults pass everything through unchanged --------------------------------------------------
  /// A request from the Telecom side, before the reference sees it.
  virtual void incoming_request(const Message& request) { pass_request(request); }
  /// A data centre's report, before the reference sees it.
  virtual void incoming_dc_event(const DcEvent& event) { pass_dc_event(event); }
  /// A response the reference gives.
  virtual void outgoing_response(const Message& request, int status, nlohmann::json body) {
    send_response(request, status, std::move(body));
  }
  /// A notification the reference posts (first delivery or redelivery: `corr` is its eventId).
  virtual void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                                     nlohmann::json envelope) {
    send_notification(callback, type, corr, std::move(envelope));
  }
  virtual VmId outgoing_create_vm(const std::string& dc, const VmRequest& request);
  virtual void outgoing_destroy_vm(const std::string& dc, VmId vm);
  /// After the reference restarted.
  virtual void restarted() {}

  // ---- what a hook may do ---------------------------------------------------------------------------------------
  void pass_request(const Message& request);
  void pass_dc_event(const DcEvent& event);
  void send_response(const Message& request, int status, nlohmann::json body);
  void send_notification(const std::string& callback, std::string_view type, const std::string& corr,
                         nlohmann::json envelope);
  /// Tells the reference its notification `corr` was answered 204 (it was dropped or taken over by the mutant),
  /// after the current call, so that it never sends it again.
  void ack_to_reference(const std::string& corr);
  /// Runs `action` after `delay` simulated seconds (a timer of the mutant's own; gone after a restart).
  void after(double delay, std::function<void()> action);
  /// A data centre's report made up by the mutant, handed to the reference after the current call.
  void feed_dc_event(const DcEvent& event);
  /// A fresh event id of the mutant's own, never one the reference uses ("EV-" + tag + number).
  std::string fresh_event_id(std::string_view tag);

  CloudContext& ctx() { return *real_; }
  const CloudSetup& setup() const { return setup_; }
  /// The services the reference told the consumer about, by id.
  const std::map<std::string, ServiceFacts>& services() const { return services_; }
  /// Usage amount of a record's allocation with the catalogue's prices: numerator and denominator of the exact
  /// value in minor units, or nullopt when the service or its offer is unknown.
  std::optional<std::pair<Int128, Int128>> rate(const std::string& service, std::int64_t vcpu_ms,
                                                std::int64_t ram_mib_ms, std::int64_t storage_mib_ms) const;
  const CloudServiceOffer* offer(const std::string& id) const;

private:
  class Relay;
  void enter(CloudContext& ctx);
  void leave();
  void learn(const nlohmann::json& body);

  std::string name_;
  CloudSetup setup_;
  ReferenceCloud ref_;
  std::unique_ptr<Relay> relay_;
  CloudContext* real_ = nullptr;
  int depth_ = 0;
  std::deque<std::string> acks_;
  std::deque<DcEvent> fed_;
  std::map<std::uint64_t, std::function<void()>> timers_;
  std::uint64_t next_timer_ = 0;
  std::map<std::string, std::uint64_t> event_counters_;
  std::map<std::string, ServiceFacts> services_;
};

/// The usage record of a UsageCreateEvent / UsageStateChangeEvent envelope, or null.
nlohmann::json* usage_of(nlohmann::json& envelope);
/// A usage characteristic's integer value (0 when absent), and setting it.
std::int64_t usage_value(const nlohmann::json& usage, std::string_view name);
void set_usage_value(nlohmann::json& usage, std::string_view name, std::int64_t value);
/// The rated amount of a usage record, and setting it.
std::int64_t usage_amount(const nlohmann::json& usage);
void set_usage_amount(nlohmann::json& usage, std::int64_t value);
/// A date-time field in whole milliseconds of simulated time (-1 when unreadable).
std::int64_t ms_of(const nlohmann::json& timestamp);

} // namespace i1sim::cloud::mutant
