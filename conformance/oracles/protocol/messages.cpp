// Judges the producer's messages one by one: their shape (msg.valid), that every request is answered once, in
// time, with a listed status (resp.answered), hub subscriptions (hub.subscribe) and customers (customer.*).
#include "conformance/oracles/protocol/judges.hpp"

#include <fmt/format.h>

namespace i1sim::conformance::protocol {

namespace {

using nlohmann::json;

std::string first_problem(const std::vector<i1::Problem>& problems) {
  const auto& p = problems.front();
  return p.path.empty() ? p.message : p.path + ": " + p.message;
}

class MessageJudge : public Judge {
public:
  explicit MessageJudge(Shared& shared) : s_(shared) {
    const auto checks = message_checks();
    for (const auto& c : checks)
      tallies_.emplace_back(c);
  }

  void on_frame(const Frame& f, const Arrival* request, const NotificationInfo*) override {
    Tally& valid = tallies_[0];
    Tally& answered = tallies_[1];
    Tally& hub = tallies_[2];
    const Message& m = f.msg;
    if (!f.lost) {
      std::vector<i1::Problem> shape;
      for (const auto& p : s_.shape)
        if (p.requirement != "I1-GEN-001")
          shape.push_back(p);
      if (shape.empty())
        valid.pass();
      else
        valid.fail(fmt::format("{} {} of {} (event {}) breaks its type: {}",
                               m.kind == MessageKind::notification ? "notification" : "response", m.correlation_id,
                               m.type, f.id, first_problem(shape)),
                   {f.id});
    }
    if (m.kind != MessageKind::response)
      return;
    if (!request) {
      answered.fail(fmt::format("response {} of {} (event {}) answers no request still waiting for one",
                                m.correlation_id, m.type, f.id),
                    {f.id});
      return;
    }
    const double late = f.sent - request->t - s_.harness.held(request->t, f.sent);
    bool ok = true;
    if (late > s_.t_response + 1e-6) {
      ok = false;
      answered.fail(fmt::format("request {} of {} reached the producer at {} (event {}) and was answered at {} "
                                "(event {}), {:.3f} s later than T_response {:.3f} s allows",
                                m.correlation_id, request->name, fmt_time(request->t), request->id, fmt_time(f.sent),
                                f.id, late - s_.t_response, s_.t_response),
                    {request->id, f.id});
    }
    for (const auto& p : s_.shape)
      if (ok && p.requirement == "I1-GEN-001") {
        ok = false;
        answered.fail(fmt::format("request {} (event {}) was answered (event {}): {}", m.correlation_id, request->id,
                                  f.id, p.message),
                      {request->id, f.id});
      }
    if (ok)
      answered.pass();

    if (request->name == "createHub" && !f.lost && request->well_formed && m.status != 401) {
      const std::string callback = text(m.body, "callback");
      const std::string id = text(m.body, "id");
      if (m.status == 201 && callback == request->callback && !id.empty())
        hub.pass();
      else
        hub.fail(fmt::format("subscription to {} (event {}) was answered {} (event {}) with id '{}' and callback '{}'",
                             request->callback, request->id, m.status, f.id, id, callback),
                 {request->id, f.id});
    }
  }

  void on_unanswered(const Arrival& a, double end) override {
    // A request the Cloud process was stopped on was lost with the process: the harness's doing.
    if (s_.harness.down_during(a.t, end))
      return;
    const double waited = end - a.t - s_.harness.held(a.t, end);
    if (waited <= s_.t_response + s_.harness.hold())
      return; // the run ended before its answer was due
    tallies_[1].fail(fmt::format("request {} reached the producer at {} (event {}) and got no response by the end "
                                 "of the run at {}",
                                 a.name, fmt_time(a.t), a.id, fmt_time(end)),
                     {a.id});
  }

  void finish(double) override {}
  void results(std::vector<CheckResult>& out) const override {
    for (const auto& t : tallies_)
      out.push_back(t.result());
  }

private:
  Shared& s_;
  std::vector<Tally> tallies_;
};

class CustomerJudge : public Judge {
public:
  explicit CustomerJudge(Shared& shared) : s_(shared) {
    const auto checks = customer_checks();
    for (const auto& c : checks)
      tallies_.emplace_back(c);
  }

  void on_frame(const Frame& f, const Arrival* request, const NotificationInfo*) override {
    if (f.lost)
      return;
    const Message& m = f.msg;
    Tally& created = tallies_[0];
    if (request && request->name == "createCustomer" && request->well_formed && m.status != 401) {
      const int expected = request->repeat == 0 ? 201 : 200;
      const std::string id = text(m.body, "id");
      if (m.status == expected && id == request->key)
        created.pass();
      else
        created.fail(fmt::format("customer {} created (event {}, {} time) was answered {} with id '{}' (event {}); "
                                 "expected {} with the customer",
                                 request->key, request->id, request->repeat == 0 ? "first" : "a later", m.status, id,
                                 f.id, expected),
                     {request->id, f.id});
    }
    each_resource(s_, [&](const Resource& r) { party(f, r); });
  }

  void finish(double) override {}
  void results(std::vector<CheckResult>& out) const override {
    for (const auto& t : tallies_)
      out.push_back(t.result());
  }

private:
  std::string lookup(const Registry::Ids& ids, const std::string& key) const {
    const std::optional<std::string_view> value = s_.lookup(ids, key);
    return value ? std::string(*value) : std::string();
  }

  void party(const Frame& f, const Resource& r) {
    const std::string& type = r.machine->type;
    if (type != "ServiceOrder" && type != "Service" && type != "Usage" && type != "CustomerBill")
      return;
    Tally& tally = tallies_[1];
    const std::string named = customer_of(*r.body);
    std::string expected;
    if (type == "ServiceOrder")
      expected = lookup(s_.registry.order_customer, r.id);
    else if (type == "Service")
      expected = lookup(s_.registry.service_customer, r.id);
    else if (type == "Usage") {
      if (const json* service = member(*r.body, "service"))
        expected = lookup(s_.registry.service_customer, text(*service, "id"));
    }
    if (named.empty())
      tally.fail(
          fmt::format("{} {} in {} (event {}) names no relatedParty with role customer", type, r.id, f.msg.type, f.id),
          {f.id});
    else if (!expected.empty() && named != expected)
      tally.fail(fmt::format("{} {} in {} (event {}) names customer {}, but it belongs to customer {}", type, r.id,
                             f.msg.type, f.id, named, expected),
                 {f.id});
    else
      tally.pass();
  }

  Shared& s_;
  std::vector<Tally> tallies_;
};

} // namespace

std::unique_ptr<Judge> make_message_judge(Shared& shared) { return std::make_unique<MessageJudge>(shared); }
std::unique_ptr<Judge> make_customer_judge(Shared& shared) { return std::make_unique<CustomerJudge>(shared); }

std::vector<CheckInfo> message_checks() {
  return {
      {"msg.valid",
       {"I1-GEN-003", "I1-BIL-004"},
       "ensure that every message body has exactly the fields of its type, with their types; amounts are Money"},
      {"resp.answered",
       {"I1-GEN-001"},
       "ensure that every request that reached the producer gets one response, with a listed status, within "
       "T_response"},
      {"hub.subscribe",
       {"I1-HUB-001"},
       "ensure that a hub subscription is answered with the subscription created, naming the callback"},
  };
}

std::vector<CheckInfo> customer_checks() {
  return {
      {"customer.created",
       {"I1-CUS-001"},
       "ensure that createCustomer is answered 201 with the customer, or 200 with the existing one"},
      {"customer.party",
       {"I1-CUS-002"},
       "ensure that orders, services, usage and bills name their customer as relatedParty role customer"},
  };
}

} // namespace i1sim::conformance::protocol
