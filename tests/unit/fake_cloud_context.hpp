// A CloudContext and DcControl without a simulation engine, for driving a Cloud-side implementation in-process.
#pragma once

#include "i1sim/iut.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <cstdint>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace i1sim::fake {

/// One answer the implementation gave, with the request it answers and the simulated time it was given at.
struct RecordedResponse {
  Message request;
  int status = 0;
  nlohmann::json body;
  double at = 0;

  Message message() const {
    return Message{MessageKind::response, request.type, request.correlation_id, status, "", body, {}};
  }
};

/// One notification the implementation posted.
struct RecordedNotification {
  std::string callback;
  std::string type;
  std::string correlation_id;
  nlohmann::json envelope;
  double at = 0;

  Message message() const {
    return Message{MessageKind::notification, type, correlation_id, 0, callback, envelope, {}};
  }
  /// The resource the envelope carries (the one member of its `event`).
  const nlohmann::json& resource() const {
    static const nlohmann::json none;
    const auto event = envelope.find("event");
    if (event == envelope.end() || !event->is_object() || event->empty())
      return none;
    return event->begin().value();
  }
};

struct CreatedVm {
  VmId id = 0;
  std::string dc;
  VmRequest request;
  double at = 0;
};

struct DestroyedVm {
  VmId id = 0;
  std::string dc;
  double at = 0;
};

/// The harness's side of the implementation boundary, with a clock the test moves by hand. Timers wait in a
/// queue until the test advances the clock past them; DC outcomes are delivered only when the test says so.
class FakeCloudContext : public CloudContext, public DcControl {
public:
  explicit FakeCloudContext(std::vector<DcInfo> dcs) : dcs_(std::move(dcs)) {}

  void attach(CloudIut& iut) { iut_ = &iut; }
  void start() { iut_->start(*this); }

  // ---- CloudContext ----
  double now() const override { return now_; }
  std::string timestamp() const override { return iso_timestamp(now_); }
  void respond(const Message& request, int status, nlohmann::json body) override {
    responses_.push_back(RecordedResponse{request, status, std::move(body), now_});
    log_.push_back(responses_.back().message());
  }
  void notify(const std::string& callback, std::string_view event_type, std::string correlation_id,
              nlohmann::json envelope) override {
    notifications_.push_back(
        RecordedNotification{callback, std::string(event_type), std::move(correlation_id), std::move(envelope), now_});
    log_.push_back(notifications_.back().message());
  }
  DcControl& dc() override { return *this; }
  void set_timer(double delay, std::uint64_t token) override {
    if (delay < 0)
      ADD_FAILURE() << "timer " << token << " set " << -delay << " s in the past at t=" << now_;
    timers_.emplace(std::make_pair(now_ + std::max(delay, 0.0), ++timer_seq_), token);
  }

  // ---- DcControl ----
  std::vector<DcInfo> data_centres() const override { return dcs_; }
  VmId create_vm(const std::string& dc, const VmRequest& request) override {
    if (std::none_of(dcs_.begin(), dcs_.end(), [&](const DcInfo& d) { return d.name == dc; }))
      ADD_FAILURE() << "create_vm in unknown data centre '" << dc << "'";
    created_.push_back(CreatedVm{++next_vm_, dc, request, now_});
    return next_vm_;
  }
  void destroy_vm(const std::string& dc, VmId vm) override { destroyed_.push_back(DestroyedVm{vm, dc, now_}); }

  // ---- driving ----
  /// Moves the clock to `t`, firing every timer due by then in time order (equal times in the order set).
  void advance_to(double t) {
    while (!timers_.empty() && timers_.begin()->first.first <= t) {
      const auto [when, token] = *timers_.begin();
      timers_.erase(timers_.begin());
      now_ = std::max(now_, when.first);
      iut_->on_timer(*this, token);
    }
    now_ = std::max(now_, t);
  }
  void advance_by(double dt) { advance_to(now_ + dt); }

  /// Sends one request and returns the one answer the implementation gave to it during the call.
  RecordedResponse request(const std::string& type, const std::string& target, nlohmann::json body,
                           const std::string& credential = {}) {
    Message m{MessageKind::request, type,      "REQ-" + std::to_string(++next_request_), 0, target,
              std::move(body),      credential};
    const std::size_t before = responses_.size();
    iut_->on_request(*this, m);
    std::size_t answers = 0;
    const RecordedResponse* answer = nullptr;
    for (std::size_t i = before; i < responses_.size(); ++i)
      if (responses_[i].request.correlation_id == m.correlation_id) {
        ++answers;
        answer = &responses_[i];
      }
    EXPECT_EQ(answers, 1u) << type << " " << target << " got " << answers << " answers";
    return answer ? *answer : RecordedResponse{m, 0, nullptr, now_};
  }

  /// Moves the clock to `at` and reports that VM `vm` reached `kind` at that moment.
  void deliver(DcEventKind kind, VmId vm, double at, const std::string& reason = {}) {
    advance_to(at);
    const CreatedVm* c = vm_(vm);
    if (!c) {
      ADD_FAILURE() << "no VM " << vm << " was created";
      return;
    }
    DcEvent e;
    e.kind = kind;
    e.dc = c->dc;
    e.vm = vm;
    e.owner = c->request.owner;
    e.host = c->dc + "-host-1";
    e.reason = reason;
    e.time = at;
    delivered_.emplace(vm, kind);
    iut_->on_dc_event(*this, e);
  }
  /// Whether `kind` was delivered for `vm`.
  bool delivered(VmId vm, DcEventKind kind) const { return delivered_.count({vm, kind}) > 0; }

  void set_free_cores(const std::string& dc, long long free) {
    for (auto& d : dcs_)
      if (d.name == dc)
        d.free_cores = free;
  }

  const std::vector<RecordedResponse>& responses() const { return responses_; }
  const std::vector<RecordedNotification>& notifications() const { return notifications_; }
  const std::vector<CreatedVm>& created() const { return created_; }
  const std::vector<DestroyedVm>& destroyed() const { return destroyed_; }
  /// Every response and notification, in the order the implementation gave them.
  const std::vector<Message>& log() const { return log_; }
  std::size_t pending_timers() const { return timers_.size(); }

private:
  const CreatedVm* vm_(VmId id) const {
    for (const auto& c : created_)
      if (c.id == id)
        return &c;
    return nullptr;
  }

  CloudIut* iut_ = nullptr;
  std::vector<DcInfo> dcs_;
  double now_ = 0;
  std::multimap<std::pair<double, std::uint64_t>, std::uint64_t> timers_; // (due, order set) -> token
  std::uint64_t timer_seq_ = 0;
  std::uint64_t next_request_ = 0;
  VmId next_vm_ = 0;
  std::vector<RecordedResponse> responses_;
  std::vector<RecordedNotification> notifications_;
  std::vector<CreatedVm> created_;
  std::vector<DestroyedVm> destroyed_;
  std::vector<Message> log_;
  std::set<std::pair<VmId, DcEventKind>> delivered_;
};

} // namespace i1sim::fake
