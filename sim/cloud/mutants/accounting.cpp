// Mutants of assurance and accounting: usage records renumbered, undercounted, invented or misrated; SLA
// violations missed or invented; alarms never cleared.
#include "cloud/mutants/catalogue.hpp"
#include "cloud/mutants/mutant_base.hpp"

#include <array>
#include <fmt/format.h>
#include <set>

namespace i1sim::cloud::mutant {
namespace {

constexpr std::string_view kUsagePath = "/tmf-api/usageManagement/v4/usage/";
constexpr std::array<std::string_view, 3> kMetered{"vcpuMilliseconds", "ramMiBMilliseconds", "storageMiBMilliseconds"};

std::string text_at(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json* at = &j;
  for (const char* key : path) {
    if (!at->is_object() || !at->contains(key))
      return {};
    at = &(*at)[key];
  }
  return at->is_string() ? at->get<std::string>() : std::string();
}

/// A mutant that rewrites usage records wherever they leave: pushed, pushed again, changed state, listed.
class UsageRewriter : public MutantBase {
public:
  using MutantBase::MutantBase;

protected:
  virtual void rewrite(nlohmann::json& usage) = 0;
  void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                             nlohmann::json envelope) override {
    if (nlohmann::json* u = usage_of(envelope))
      rewrite(*u);
    send_notification(callback, type, corr, std::move(envelope));
  }
  void outgoing_response(const Message& request, int status, nlohmann::json body) override {
    if (request.type == v1::op::listUsage && body.is_array())
      for (auto& u : body)
        rewrite(u);
    send_response(request, status, std::move(body));
  }
};

/// Regenerates a usage record when it pushes it again after a failed delivery: the retry carries a new usage id,
/// so the consumer sees two records for one period.
class UsageNewIdsOnRetry : public MutantBase {
public:
  explicit UsageNewIdsOnRetry(const CloudSetup& s) : MutantBase("usage-new-ids-on-retry", s) {}

protected:
  void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                             nlohmann::json envelope) override {
    if (type == v1::event::UsageCreateEvent && ++deliveries_[corr] > 1)
      if (nlohmann::json* u = usage_of(envelope)) {
        const std::string id = fmt::format("USG-R{:06}", ++renumbered_);
        (*u)["id"] = id;
        (*u)["href"] = std::string(kUsagePath) + id;
      }
    send_notification(callback, type, corr, std::move(envelope));
  }

private:
  std::map<std::string, int> deliveries_; // by event id
  std::uint64_t renumbered_ = 0;
};

/// Keeps the open usage period's counters in memory: after a restart, the record of the period the restart fell
/// in counts only what was held after it.
class UsageLostOnRestart : public UsageRewriter {
public:
  explicit UsageLostOnRestart(const CloudSetup& s) : UsageRewriter("usage-lost-on-restart", s) {}

protected:
  void restarted() override { restarts_.push_back(std::llround(ctx().now() * 1000.0)); }
  void rewrite(nlohmann::json& usage) override {
    const std::string id = text_at(usage, {"id"});
    auto done = decided_.find(id);
    if (done == decided_.end()) {
      const std::int64_t from = ms_of(usage.value("usagePeriod", nlohmann::json::object()).value("startDateTime", ""));
      const std::int64_t to = ms_of(usage.value("usagePeriod", nlohmann::json::object()).value("endDateTime", ""));
      std::int64_t lost_until = -1;
      for (const std::int64_t r : restarts_)
        if (r > from && r < to)
          lost_until = r;
      if (lost_until < 0 || from < 0)
        return;
      Counts c;
      for (std::size_t i = 0; i < kMetered.size(); ++i)
        c.metered[i] = static_cast<std::int64_t>(static_cast<Int128>(usage_value(usage, kMetered[i])) *
                                                 (to - lost_until) / (to - from));
      const auto exact = rate(text_at(usage, {"service", "id"}), c.metered[0], c.metered[1], c.metered[2]);
      c.amount =
          exact ? round_half_even(exact->first, exact->second)
                : static_cast<std::int64_t>(static_cast<Int128>(usage_amount(usage)) * (to - lost_until) / (to - from));
      done = decided_.emplace(id, c).first;
    }
    for (std::size_t i = 0; i < kMetered.size(); ++i)
      set_usage_value(usage, kMetered[i], done->second.metered[i]);
    set_usage_amount(usage, done->second.amount);
  }

private:
  struct Counts {
    std::array<std::int64_t, 3> metered{};
    std::int64_t amount = 0;
  };
  std::vector<std::int64_t> restarts_;    // own clock, ms
  std::map<std::string, Counts> decided_; // usage id -> what it says, once it has been said
};

/// Rates usage with integer division: amounts are truncated to the minor unit instead of rounded half-even.
class RatingTruncates : public UsageRewriter {
public:
  explicit RatingTruncates(const CloudSetup& s) : UsageRewriter("rating-truncates", s) {}

protected:
  void rewrite(nlohmann::json& usage) override {
    const auto exact = rate(text_at(usage, {"service", "id"}), usage_value(usage, kMetered[0]),
                            usage_value(usage, kMetered[1]), usage_value(usage, kMetered[2]));
    if (exact)
      set_usage_amount(usage, static_cast<std::int64_t>(exact->first / exact->second));
  }
};

/// Never closes the allocation of a terminated service: it goes on pushing a usage record of the service's ordered
/// size for every later usage period.
class MetersTerminated : public MutantBase {
public:
  explicit MetersTerminated(const CloudSetup& s) : MutantBase("meters-terminated", s) {}

protected:
  void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                             nlohmann::json envelope) override {
    const bool first = sent_.insert(corr).second;
    if (type == v1::event::ServiceStateChangeEvent && first &&
        text_at(envelope, {"event", "service", "state"}) == "terminated")
      terminated_.emplace(text_at(envelope, {"event", "service", "id"}), std::llround(ctx().now() * 1000.0));
    if (type != v1::event::UsageCreateEvent || !first || !usage_of(envelope)) {
      send_notification(callback, type, corr, std::move(envelope));
      return;
    }
    const nlohmann::json usage = *usage_of(envelope);
    usage_callbacks_[text_at(usage, {"service", "id"})].insert(callback);
    const nlohmann::json model = envelope;
    send_notification(callback, type, corr, std::move(envelope));
    const std::int64_t from = ms_of(usage.value("usagePeriod", nlohmann::json::object()).value("startDateTime", ""));
    const std::int64_t to = ms_of(usage.value("usagePeriod", nlohmann::json::object()).value("endDateTime", ""));
    if (from < 0 || to <= from || !periods_.insert({from, to}).second)
      return; // a period's phantom records go out with its first real one
    for (const auto& [service, since] : terminated_) {
      const auto facts = services().find(service);
      const auto to_whom = usage_callbacks_.find(service);
      if (since > from || facts == services().end() || to_whom == usage_callbacks_.end())
        continue;
      const ServiceFacts& f = facts->second;
      const std::int64_t held = (to - from) * f.instances;
      nlohmann::json phantom = usage;
      const std::string id = fmt::format("USG-T{:06}", ++invented_);
      phantom["id"] = id;
      phantom["href"] = std::string(kUsagePath) + id;
      phantom["service"] = {{"id", service}};
      phantom["relatedParty"] = {{{"id", f.customer}, {"role", "customer"}}};
      set_usage_value(phantom, kMetered[0], held * f.vcpu);
      set_usage_value(phantom, kMetered[1], held * f.ram_mib);
      set_usage_value(phantom, kMetered[2], held * f.storage_mib);
      const auto exact = rate(service, held * f.vcpu, held * f.ram_mib, held * f.storage_mib);
      set_usage_amount(phantom, exact ? round_half_even(exact->first, exact->second) : 0);
      for (const auto& cb : to_whom->second) {
        nlohmann::json env = model;
        const std::string event_id = fresh_event_id("T");
        env["eventId"] = event_id;
        env["event"]["usage"] = phantom;
        send_notification(cb, type, event_id, std::move(env));
      }
    }
  }

private:
  std::set<std::string> sent_;
  std::map<std::string, std::int64_t> terminated_; // service -> when it was terminated (own clock, ms)
  std::map<std::string, std::set<std::string>> usage_callbacks_;
  std::set<std::pair<std::int64_t, std::int64_t>> periods_;
  std::uint64_t invented_ = 0;
};

/// Never reports an SLA violation (the bill still credits the service).
class NoSlaBreach : public MutantBase {
public:
  explicit NoSlaBreach(const CloudSetup& s) : MutantBase("no-sla-breach", s) {}

protected:
  void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                             nlohmann::json envelope) override {
    if (type == v1::event::ServiceLevelViolationCreateEvent) {
      ack_to_reference(corr);
      return;
    }
    send_notification(callback, type, corr, std::move(envelope));
  }
};

/// At each cycle close, reports a violation for every service that met its objective (the comparison turned
/// round), next to the bill that states it compliant.
class BreachWhenCompliant : public MutantBase {
public:
  explicit BreachWhenCompliant(const CloudSetup& s) : MutantBase("breach-when-compliant", s) {}

protected:
  void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                             nlohmann::json envelope) override {
    const bool first = sent_.insert(corr).second;
    nlohmann::json bill;
    if (type == v1::event::CustomerBillCreateEvent && first && envelope.contains("event"))
      bill = envelope["event"].value("customerBill", nlohmann::json());
    send_notification(callback, type, corr, std::move(envelope));
    if (!bill.is_object() || !bill.contains("serviceLevelCompliance"))
      return;
    for (const auto& c : bill["serviceLevelCompliance"]) {
      if (!c.is_object() || c.value("compliant", false) != true)
        continue;
      const std::string event_id = fresh_event_id("V");
      nlohmann::json violation{{"id", fmt::format("SLV-C{:06}", ++invented_)},
                               {"service", {{"id", text_at(c, {"service", "id"})}}},
                               {"objective", c.value("objective", nlohmann::json(0))},
                               {"actualValue", c.value("measured", nlohmann::json(0))},
                               {"period", bill.value("billingPeriod", nlohmann::json::object())},
                               {"violationTime", ctx().timestamp()}};
      send_notification(callback, v1::event::ServiceLevelViolationCreateEvent, event_id,
                        {{"eventId", event_id},
                         {"eventTime", ctx().timestamp()},
                         {"eventType", v1::event::ServiceLevelViolationCreateEvent},
                         {"event", {{"serviceLevelViolation", violation}}}});
    }
  }

private:
  std::set<std::string> sent_;
  std::uint64_t invented_ = 0;
};

/// Raises alarms but never publishes their clearing when the machine is back.
class AlarmNeverCleared : public MutantBase {
public:
  explicit AlarmNeverCleared(const CloudSetup& s) : MutantBase("alarm-never-cleared", s) {}

protected:
  void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                             nlohmann::json envelope) override {
    if (type == v1::event::AlarmStateChangeEvent && text_at(envelope, {"event", "alarm", "state"}) == "cleared") {
      ack_to_reference(corr);
      return;
    }
    send_notification(callback, type, corr, std::move(envelope));
  }
};

} // namespace

std::unique_ptr<CloudIut> make_usage_new_ids_on_retry(const CloudSetup& s) {
  return std::make_unique<UsageNewIdsOnRetry>(s);
}
std::unique_ptr<CloudIut> make_usage_lost_on_restart(const CloudSetup& s) {
  return std::make_unique<UsageLostOnRestart>(s);
}
std::unique_ptr<CloudIut> make_meters_terminated(const CloudSetup& s) { return std::make_unique<MetersTerminated>(s); }
std::unique_ptr<CloudIut> make_rating_truncates(const CloudSetup& s) { return std::make_unique<RatingTruncates>(s); }
std::unique_ptr<CloudIut> make_no_sla_breach(const CloudSetup& s) { return std::make_unique<NoSlaBreach>(s); }
std::unique_ptr<CloudIut> make_breach_when_compliant(const CloudSetup& s) {
  return std::make_unique<BreachWhenCompliant>(s);
}
std::unique_ptr<CloudIut> make_alarm_never_cleared(const CloudSetup& s) {
  return std::make_unique<AlarmNeverCleared>(s);
}

} // namespace i1sim::cloud::mutant
