// The probes family: one oracle that judges the answers to the tester's deliberately invalid or unusual requests
// (telecom.probes of a scenario, announced on the stream by `probe.sent` tester events).
#pragma once

#include "conformance/oracles/oracle.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace i1sim::conformance::probes {

/// Judges every probe.* check in one pass. It keeps what a probe's judgement may need about the run (services,
/// alarms, usage records and orders as the I1 messages showed them, VM placements, what reached the hubQuery
/// probe's listener) only when the scenario sends probes (or when no scenario is given, as for a hand-made
/// stream), so a run without probes costs it nothing but a look at each event's type.
class ProbeOracle : public Oracle {
public:
  explicit ProbeOracle(const OracleContext& ctx);
  std::vector<CheckInfo> checks() const override;
  void on_event(const trace::Event& e) override;
  void finish(double end) override;
  std::vector<CheckResult> results() const override;

  /// One probe request as the tester announced it, with what became of it.
  struct Sent {
    std::uint64_t event = 0; // the probe.sent event
    std::string probe, step, corr, op, operation, target;
    nlohmann::ordered_json info; // the probe.sent event's fields
    double arrived = -1;         // when the request reached the producer (its i1.request), -1: never seen
    std::uint64_t request_event = 0;
    bool answered = false;
    int status = 0;
    double answer_sent = 0; // when the producer sent its answer
    std::uint64_t response_event = 0;
    nlohmann::json body;
  };
  /// Something the Cloud side sent towards a callback address: a notification, or an attempt nobody heard.
  struct Delivery {
    std::uint64_t event = 0;
    std::string name, event_id, target;
    double sent = 0;
  };
  struct Seen { // a resource as the I1 messages showed it, first
    std::string op, customer;
    double first = -1; // when a message naming it was first sent
    std::uint64_t event = 0;
  };

private:
  void observe(const trace::Event& e);
  void observe_resources(const nlohmann::json& body, const std::string& name, const std::string& op, double sent,
                         std::uint64_t id, bool notification);
  void judge();

  const OracleContext* ctx_;
  bool active_ = true;
  double end_ = 0;
  std::uint64_t broken_event_ = 0; // an event that could not be read: every check says error
  std::string broken_reason_;

  std::map<std::string, Sent> sent_;                                                // corr -> probe request
  std::vector<std::pair<std::string, std::uint64_t>> skipped_;                      // (probe, event) of probe.skipped
  std::map<std::string, std::string> skipped_reason_;                               // probe -> the first reason
  std::map<std::string, std::vector<Delivery>> deliveries_;                         // callback -> what was sent to it
  std::map<std::string, Seen> services_, alarms_, usage_, orders_;                  // by id
  std::map<std::string, std::vector<std::pair<double, std::string>>> alarm_states_; // id -> (sent, state)
  std::map<std::string, std::pair<double, double>> usage_dates_;                    // id -> (usageDate, period end), s
  std::map<std::string, std::vector<std::uint64_t>> orders_by_external_; // externalId -> events naming an order
  std::map<std::string, std::vector<std::tuple<double, std::string, std::uint64_t>>> order_states_; // id -> states
  std::map<std::string, std::set<std::string>> order_errors_;   // order id -> errorMessage codes
  std::map<std::string, std::set<std::string>> order_services_; // order id -> service ids of its items
  std::map<std::string, std::string> external_of_;              // order id -> externalId
  std::map<std::string, std::vector<std::pair<std::string, std::uint64_t>>> placed_;          // service -> (dc, event)
  std::map<std::string, std::vector<std::pair<std::string, std::uint64_t>>> reported_places_; // service -> (jur, ev)
  std::map<std::string, std::vector<std::tuple<double, std::string, std::uint64_t>>> job_states_; // job -> states
  std::map<std::string, std::vector<std::pair<double, std::uint64_t>>> job_reports_;              // job -> reports
  std::map<std::string, std::vector<std::pair<std::string, double>>> cancels_; // order -> (corr, arrival)
  std::vector<CheckResult> results_;
};

} // namespace i1sim::conformance::probes
