// Judges service ordering: orders accepted and acknowledged, idempotent replays, the order and item state
// machines with their outcomes, failure reasons, and orders read back.
#include "conformance/oracles/protocol/judges.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>

namespace i1sim::conformance::protocol {

namespace {

using nlohmann::json;

// The reason codes I1-ORD-008 lists.
constexpr std::array<std::string_view, 7> kReasonCodes{"noCapacity",     "jurisdictionUnavailable", "activationTimeout",
                                                       "unknownService", "unsupportedChange",       "customerUnknown",
                                                       "hostFailure"};

enum OrderingCheck { accepted, acknowledged, idempotent, sm_order, sm_item, failure_reason, readable };

class OrderingJudge : public Judge {
public:
  explicit OrderingJudge(Shared& shared) : s_(shared) {
    for (const auto& c : ordering_checks())
      tallies_.emplace_back(c);
  }

  void on_frame(const Frame& f, const Arrival* request, const NotificationInfo* info) override {
    if (request && request->name == "createServiceOrder")
      created(f, *request);
    if (f.lost)
      return;
    if (request && request->name == "retrieveServiceOrder")
      read_back(f, *request);
    for (const auto& p : s_.machine) {
      if (p.requirement == "I1-ORD-005")
        tallies_[sm_order].fail(fmt::format("{} (event {}): {}", f.msg.type, f.id, p.message), {f.id});
      else if (p.requirement == "I1-ORD-006")
        tallies_[sm_item].fail(fmt::format("{} (event {}): {}", f.msg.type, f.id, p.message), {f.id});
    }
    const json* order = nullptr;
    std::string order_id;
    each_resource(s_, [&](const Resource& r) {
      if (r.machine->type == "ServiceOrder") {
        order = r.body;
        order_id = r.id;
        on_order(f, r);
      } else if (r.machine->type == "ServiceOrderItem") {
        on_item(f, r, order, order_id);
      } else if (r.machine->type == "Service") {
        const double sent = info ? info->first_sent : f.sent; // a redelivery counts from its first attempt
        const auto [first, added] = service_seen_.emplace(pair(s_.names.id(r.id), s_.names.id(r.state)), sent);
        if (!added && *first > sent)
          *first = sent;
      }
    });
  }

  void finish(double end) override {
    // An item reported completed must see its service reach the state its action asks for.
    for (const auto& c : completions_) {
      double when = -1;
      if (const double* first = service_seen_.find(pair(c.service, c.wanted)))
        when = *first;
      const double allowed = c.sent + s_.t_notify + s_.harness.held(c.sent, end);
      if (when >= 0 && when <= allowed) {
        tallies_[sm_item].pass();
        continue;
      }
      if (when < 0 && end <= allowed)
        continue; // the run ended before the service's report was due
      tallies_[sm_item].fail(
          when < 0 ? fmt::format("item {} of order {} was reported completed at {} (event {}) but service {} was "
                                 "never reported {}",
                                 name(c.item), name(c.order), fmt_time(c.sent), c.id, name(c.service), name(c.wanted))
                   : fmt::format("item {} of order {} was reported completed at {} (event {}) but service {} was "
                                 "only reported {} at {}",
                                 name(c.item), name(c.order), fmt_time(c.sent), c.id, name(c.service), name(c.wanted),
                                 fmt_time(when)),
          {c.id});
    }
  }

  void results(std::vector<CheckResult>& out) const override {
    for (const auto& t : tallies_)
      out.push_back(t.result());
  }

private:
  // Strings are kept as ids of Shared::names in the records kept for every order, item and service of a run.
  std::string_view name(std::uint32_t id) const { return s_.names.text(id); }
  struct Completion {
    std::uint32_t order = 0, item = 0, service = 0, wanted = 0;
    double sent = 0;
    std::uint64_t id = 0;
  };
  struct Original {
    bool refused = false;
    std::uint32_t id = 0; // "" while unknown (its answer was lost)
  };
  static std::uint64_t pair(std::uint32_t a, std::uint32_t b) { return (std::uint64_t{a} << 32) | b; }

  void created(const Frame& f, const Arrival& a) {
    const Message& m = f.msg;
    const bool ok = m.status == 200 || m.status == 201;
    // order.accepted: a well-formed order adding capacity for a customer this operator created.
    if (!f.lost && a.well_formed && a.adds_capacity && m.status != 401) {
      const std::optional<std::string_view> owner = s_.lookup(s_.registry.customer_owner, a.customer);
      bool known = owner && *owner == a.credential;
      for (const auto& spec : a.specs)
        if (!s_.known_specs.empty() && !s_.known_specs.count(spec))
          known = false;
      if (known) {
        if (ok)
          tallies_[accepted].pass();
        else
          tallies_[accepted].fail(fmt::format("order {} (event {}) adding services for customer {} was refused {} "
                                              "(event {})",
                                              a.key, a.id, a.customer, m.status, f.id),
                                  {a.id, f.id});
      }
    }
    // order.acknowledged
    if (!f.lost && m.status == 201) {
      std::string wrong;
      if (text(m.body, "state") != "acknowledged")
        wrong = fmt::format("state '{}'", text(m.body, "state"));
      for (const char* field : {"id", "href", "orderDate"})
        if (wrong.empty() && text(m.body, field).empty())
          wrong = fmt::format("no {}", field);
      const json* items = member(m.body, "serviceOrderItem");
      if (wrong.empty() && (!items || !items->is_array() || items->empty()))
        wrong = "no items";
      if (wrong.empty())
        for (const auto& item : *items)
          if (wrong.empty() && text(item, "state") != "acknowledged")
            wrong = fmt::format("item {} in state '{}'", text(item, "id"), text(item, "state"));
      if (wrong.empty())
        tallies_[acknowledged].pass();
      else
        tallies_[acknowledged].fail(
            fmt::format("order {} (event {}) was answered 201 (event {}) with {}", a.key, a.id, f.id, wrong),
            {a.id, f.id});
    }
    // order.idempotent
    const std::uint64_t key = pair(s_.names.id(a.credential), s_.names.id(a.key));
    if (a.repeat == 0) {
      Original& o = originals_[key];
      if (!f.lost && !ok && m.status >= 400)
        o.refused = true;
      else if (!f.lost && ok)
        o.id = s_.names.id(text(m.body, "id"));
      return;
    }
    Original* o = originals_.find(key);
    if (!o || o->refused || !a.well_formed || f.lost || m.status == 401)
      return;
    const std::string id = text(m.body, "id");
    if (m.status == 200 && (o->id == 0 || id == name(o->id))) {
      tallies_[idempotent].pass();
      if (o->id == 0)
        o->id = s_.names.id(id);
    } else {
      tallies_[idempotent].fail(fmt::format("order {} sent again (event {}) was answered {} with order '{}' (event "
                                            "{}); expected 200 with the original order {}",
                                            a.key, a.id, m.status, id, f.id, o->id == 0 ? "(unknown)" : name(o->id)),
                                {a.id, f.id});
    }
  }

  void read_back(const Frame& f, const Arrival& a) {
    const std::optional<std::string_view> owner = s_.lookup(s_.registry.order_owner, a.key);
    if (!owner || *owner != a.credential)
      return; // not an order this operator created: the probes judge such reads
    const Message& m = f.msg;
    const std::string state = text(m.body, "state");
    const json* items = member(m.body, "serviceOrderItem");
    std::string wrong;
    if (m.status != 200)
      wrong = fmt::format("status {}", m.status);
    else if (text(m.body, "id") != a.key)
      wrong = fmt::format("order '{}'", text(m.body, "id"));
    else if (state.empty() || !items || !items->is_array() || items->empty())
      wrong = "no state or no items";
    else if (const Last* last = last_state(a.key); last && name(last->state) != state) {
      const spec::StateMachine* machine = s_.spec->machine("serviceOrder");
      if (machine && !s_.reachable(*machine, name(last->state), state))
        wrong = fmt::format("state {}, behind the state {} notified at {} (event {})", state, name(last->state),
                            fmt_time(last->sent), last->id);
    }
    if (wrong.empty())
      tallies_[readable].pass();
    else
      tallies_[readable].fail(
          fmt::format("order {} read back (event {}) was answered (event {}) with {}", a.key, a.id, f.id, wrong),
          {a.id, f.id});
  }

  void on_order(const Frame& f, const Resource& r) {
    if (f.msg.kind == MessageKind::notification && s_.machines_judged)
      last_state_[s_.names.id(r.id)] = Last{s_.names.id(r.state), f.sent, f.id};
    if (!s_.machines_judged)
      return;
    bool problem = false;
    for (const auto& p : s_.machine)
      if (p.requirement == "I1-ORD-005")
        problem = true;
    // The outcome an ended order must show, from its items' outcomes.
    const std::string& st = r.state;
    if (st == "completed" || st == "failed" || st == "partial") {
      std::size_t done = 0, total = 0;
      if (const json* items = member(*r.body, "serviceOrderItem"); items && items->is_array())
        for (const auto& item : *items) {
          ++total;
          if (text(item, "state") == "completed")
            ++done;
        }
      const bool right = (st == "completed" && done == total) || (st == "failed" && done == 0) ||
                         (st == "partial" && done > 0 && done < total);
      if (!right) {
        tallies_[sm_order].fail(
            fmt::format("order {} ended {} (event {}) with {} of its {} items completed", r.id, st, f.id, done, total),
            {f.id});
        return;
      }
    }
    if (!problem)
      tallies_[sm_order].pass();
  }

  void on_item(const Frame& f, const Resource& r, const json* order, const std::string& order_id) {
    if (s_.machines_judged) {
      bool problem = false;
      for (const auto& p : s_.machine)
        if (p.requirement == "I1-ORD-006")
          problem = true;
      if (!problem)
        tallies_[sm_item].pass();
    }
    const std::uint32_t item_key = s_.names.id(r.key); // names the order and the item, as order_id/r.id would
    if (r.state == "completed" && completed_.insert(item_key)) {
      const json* service = member(*r.body, "service");
      const std::string sid = service ? text(*service, "id") : std::string();
      const std::string action = text(*r.body, "action");
      const std::string wanted = action == "delete" ? "terminated" : action == "noChange" ? "" : "active";
      if (!sid.empty() && !wanted.empty())
        completions_.push_back(
            Completion{s_.names.id(order_id), s_.names.id(r.id), s_.names.id(sid), s_.names.id(wanted), f.sent, f.id});
    }
    if (r.state == "failed" && failed_.insert(item_key))
      failure(f, r, order, order_id);
  }

  void failure(const Frame& f, const Resource& r, const json* order, const std::string& order_id) {
    std::string code;
    bool named = false;
    if (const json* errors = order ? member(*order, "errorMessage") : nullptr; errors && errors->is_array())
      for (const auto& e : *errors)
        if (const json* refs = member(e, "serviceOrderItem"); refs && refs->is_array())
          for (const auto& ref : *refs)
            if (text(ref, "id") == r.id && !named) {
              named = true;
              code = text(e, "code");
            }
    const bool listed = std::find(kReasonCodes.begin(), kReasonCodes.end(), code) != kReasonCodes.end();
    if (named && listed)
      tallies_[failure_reason].pass();
    else
      tallies_[failure_reason].fail(
          named
              ? fmt::format("failed item {} of order {} (event {}) has reason code '{}', not one of the list", r.id,
                            order_id, f.id, code)
              : fmt::format("failed item {} of order {} (event {}) is named in no errorMessage", r.id, order_id, f.id),
          {f.id});
  }

  struct Last {
    std::uint32_t state = 0;
    double sent = 0;
    std::uint64_t id = 0;
  };
  const Last* last_state(const std::string& order_id) const {
    std::uint32_t id = 0;
    return s_.names.find(order_id, id) ? last_state_.find(id) : nullptr;
  }

  Shared& s_;
  std::vector<Tally> tallies_;
  // One entry per order, service or item of the run, keyed by ids of Shared::names.
  FlatMap<std::uint64_t, Original> originals_;  // (credential, externalId)
  FlatMap<std::uint32_t, Last> last_state_;     // order id -> last notified state
  FlatMap<std::uint64_t, double> service_seen_; // (service, state) -> when first reported in it
  FlatSet<std::uint32_t> completed_, failed_;   // items judged
  std::vector<Completion> completions_;
};

} // namespace

std::unique_ptr<Judge> make_ordering_judge(Shared& shared) { return std::make_unique<OrderingJudge>(shared); }

std::vector<CheckInfo> ordering_checks() {
  return {
      {"order.accepted",
       {"I1-ORD-001"},
       "ensure that a well-formed order adding services with capacity and performance characteristics is accepted"},
      {"order.acknowledged",
       {"I1-ORD-003"},
       "ensure that an accepted order is answered 201 in state acknowledged with id, href, orderDate and every item "
       "acknowledged"},
      {"order.idempotent",
       {"I1-ORD-004"},
       "ensure that a repeated externalId from the same operator gets 200 with the original order"},
      {"sm.order",
       {"I1-ORD-005"},
       "ensure that orders move only along legal transitions and end completed, failed or partial as their items did"},
      {"sm.order_item",
       {"I1-ORD-006"},
       "ensure that items move only along legal transitions and complete only when their service reached the state "
       "asked"},
      {"order.failure_reason",
       {"I1-ORD-008"},
       "ensure that every failed item is named in an errorMessage with a reason code of the list"},
      {"order.readable", {"I1-ORD-009"}, "ensure that an order read back by id shows its current state and items"},
  };
}

} // namespace i1sim::conformance::protocol
