// The world family of oracles: what the implementation claimed over I1, judged against what really happened.
#include "conformance/oracles/oracle.hpp"
#include "conformance/oracles/world/world_model.hpp"

#include <cmath>
#include <exception>
#include <fmt/format.h>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace i1sim::conformance {

namespace {

using world::Interval;
using world::kNever;
using world::Model;
using world::Stamp;

// A producer learns of a change in the world through its data centres a little after it happened; claims that
// depend on such a report are compared with this much slack (s). It is far below every timer of the spec.
constexpr double kReportSlack = 1.0;
// Downtime closer than this to an objective's budget (s) is too close to call: the producer measures it from
// its own reports, which lag the truth by kReportSlack at most at each end of an outage.
constexpr double kBudgetSlack = 2.0;
constexpr double kEps = 1e-6;

const std::vector<CheckInfo>& catalogue() {
  static const std::vector<CheckInfo> checks{
      {"order.modify",
       {"I1-ORD-007"},
       "ensure that a modify item changes the service as asked or fails with unsupportedChange leaving it as it was"},
      {"order.cancel",
       {"I1-ORD-010"},
       "ensure that a cancelled order's unfinished items end cancelled and their VMs "
       "are really destroyed"},
      {"order.activation",
       {"I1-ORD-011"},
       "ensure that an added service is active within its maxActivationSeconds or its item fails activationTimeout"},
      {"order.delete", {"I1-ORD-012"}, "ensure that a delete item terminates the service and destroys every VM of it"},
      {"inv.read",
       {"I1-INV-001"},
       "ensure that a service read by id shows state, operating status, characteristics "
       "and placement"},
      {"inv.active_after_boot",
       {"I1-INV-002"},
       "ensure that a service is reported active only once every VM its activation asked for has booted"},
      {"inv.operating_status",
       {"I1-INV-004"},
       "ensure that a change of operating status that really happened is notified within T_notify"},
      {"pm.job",
       {"I1-PM-001"},
       "ensure that a measurement job for a service is accepted with its granularity and "
       "indicators"},
      {"pm.report",
       {"I1-PM-003"},
       "ensure that each granularity period is reported within T_notify with availability and allocation as they were"},
      {"alarm.raised",
       {"I1-ALM-001"},
       "ensure that a VM of a service that really stopped running gets an alarm naming the service within T_notify"},
      {"alarm.cleared", {"I1-ALM-002"}, "ensure that an alarm is cleared within T_notify of its cause really ending"},
      {"alarm.spurious", {"I1-ALM-003"}, "ensure that no alarm is raised for a service that had no fault"},
      {"sla.objective", {"I1-SLA-001"}, "ensure that a service ordered with an availabilityObjective carries it"},
      {"sla.violation",
       {"I1-SLA-002"},
       "ensure that a violation is reported iff the real downtime in a cycle exceeded the objective, within T_sla"},
      {"reg.allowed",
       {"I1-REG-001"},
       "ensure that a placement honours the customer's allowed jurisdictions narrowed by the item's"},
      {"reg.placement",
       {"I1-REG-002"},
       "ensure that every VM runs in an allowed jurisdiction, or the item fails jurisdictionUnavailable"},
      {"reg.reported_place",
       {"I1-REG-003"},
       "ensure that the inventory reports every data centre a service really runs in, with its jurisdiction"},
      {"iso.own_data",
       {"I1-SEC-004"},
       "ensure that an operator receives notifications, usage and bills about its own "
       "customers only"},
      {"iso.ids", {"I1-SEC-002"}, "ensure that customers and orders of different operators never share an id"},
  };
  return checks;
}

/// One check's tally while it is judged.
class Tally {
public:
  explicit Tally(std::string check) { r_.check = std::move(check); }
  void applies(std::uint64_t n = 1) { r_.observed += n; }
  void fail(const std::string& reason, std::initializer_list<std::uint64_t> ids) { add(Verdict::fail, reason, ids); }
  void inconc(const std::string& reason, std::initializer_list<std::uint64_t> ids) {
    add(Verdict::inconc, reason, ids);
  }
  void error(const std::string& reason, std::initializer_list<std::uint64_t> ids) { add(Verdict::error, reason, ids); }
  CheckResult done() {
    if (r_.verdict == Verdict::none && r_.observed > 0)
      r_.verdict = Verdict::pass;
    for (const auto id : evidence_) {
      if (r_.events.size() >= kMaxEvidence)
        break;
      r_.events.push_back(id);
    }
    if (r_.verdict == Verdict::pass)
      r_.reason.clear();
    return r_;
  }

private:
  void add(Verdict v, const std::string& reason, std::initializer_list<std::uint64_t> ids) {
    ++r_.violations;
    if (r_.observed < r_.violations)
      r_.observed = r_.violations;
    if (static_cast<int>(v) > static_cast<int>(r_.verdict) || r_.reason.empty()) {
      if (static_cast<int>(v) > static_cast<int>(r_.verdict))
        r_.reason = reason;
      else if (r_.reason.empty())
        r_.reason = reason;
    }
    r_.verdict = worse(r_.verdict, v);
    for (const auto id : ids)
      if (id != 0)
        evidence_.insert(id);
  }
  CheckResult r_;
  std::set<std::uint64_t> evidence_;
};

std::string fmt_t(double t) { return t == kNever ? std::string("never") : fmt::format("{:.3f} s", t); }

std::optional<double> item_number(const world::Item& item, const std::string& name) {
  const auto& c = item.characteristics;
  if (name == "instances")
    return c.instances;
  if (name == "availabilityObjective")
    return c.objective;
  if (name == "maxActivationSeconds")
    return c.max_activation;
  return std::nullopt;
}

template <class S> std::string join(const std::vector<S>& list) {
  std::string s;
  for (const auto& x : list) {
    if (!s.empty())
      s += ',';
    s += x;
  }
  return s.empty() ? std::string("any") : s;
}

/// The first report of the item in `state` (one of those the model keeps).
Stamp state_at(const world::Item& item, std::string_view state) {
  if (state == "completed")
    return item.completed;
  if (state == "failed")
    return item.failed;
  if (state == "cancelled")
    return item.cancelled;
  if (state == "rejected")
    return item.rejected;
  throw std::logic_error(fmt::format("the world model does not keep item state {}", state));
}

/// The first time a service was shown in `state` (one of those the model keeps).
Stamp first_state(const world::Service* s, std::string_view state) {
  if (state != "active" && state != "terminated")
    throw std::logic_error(fmt::format("the world model does not keep service state {}", state));
  if (!s)
    return {};
  return state == "active" ? s->active : s->terminated;
}

class WorldOracle : public Oracle {
public:
  explicit WorldOracle(const OracleContext& ctx) : ctx_(ctx) {
    if (ctx.scenario)
      for (const auto& dc : ctx.scenario->platform.data_centres)
        jurisdiction_[dc.name] = dc.jurisdiction;
  }

  std::vector<CheckInfo> checks() const override { return catalogue(); }

  void on_event(const trace::Event& e) override {
    try {
      m_.observe(e);
    } catch (const std::exception& ex) {
      if (m_.unreadable.size() < kMaxEvidence)
        m_.unreadable.emplace_back(e.id, ex.what());
    }
  }

  void finish(double end) override {
    end_ = end;
    t_notify_ = ctx_.timer("T_notify");
    results_.clear();
    if (!m_.unreadable.empty()) {
      for (const auto& c : catalogue()) {
        CheckResult r;
        r.check = c.id;
        r.verdict = Verdict::error;
        r.reason =
            fmt::format("event {} could not be read: {}", m_.unreadable.front().first, m_.unreadable.front().second);
        r.events.push_back(m_.unreadable.front().first);
        results_.push_back(r);
      }
      return;
    }
    index();
    results_.push_back(order_modify());
    results_.push_back(order_cancel());
    results_.push_back(order_activation());
    results_.push_back(order_delete());
    results_.push_back(inv_read());
    results_.push_back(inv_active_after_boot());
    results_.push_back(inv_operating_status());
    results_.push_back(pm_job());
    results_.push_back(pm_report());
    results_.push_back(alarm_raised());
    results_.push_back(alarm_cleared());
    results_.push_back(alarm_spurious());
    results_.push_back(sla_objective());
    results_.push_back(sla_violation());
    results_.push_back(reg_allowed());
    results_.push_back(reg_placement());
    results_.push_back(reg_reported_place());
    results_.push_back(iso_own_data());
    results_.push_back(iso_ids());
  }

  std::vector<CheckResult> results() const override { return results_; }

private:
  struct ItemRef {
    const world::Order* order;
    const world::Item* item;
  };

  /// What the checks look up of one service (or owner of VMs), found by the id of its name in the model's string
  /// table: built once at the end, so that judging an item or a VM costs no string lookup.
  struct ServiceRefs {
    world::Str id;
    const world::Service* service = nullptr;                      // its record, if a view showed it
    const std::vector<const world::Vm*>* machines = &kNoMachines; // its VMs (Model::vms_of)
    std::vector<ItemRef> items;                                   // the items acting on it, in order of requests
  };
  static inline const std::vector<const world::Vm*> kNoMachines{};

  std::string_view text(world::Str s) const { return m_.text(s); }

  std::vector<std::string_view> texts(const std::vector<world::Str>& list) const {
    std::vector<std::string_view> out;
    out.reserve(list.size());
    for (const auto s : list)
      out.push_back(text(s));
    return out;
  }

  ServiceRefs& refs_at(world::Str id) {
    const auto [it, added] = refs_of_.try_emplace(id.id, static_cast<std::uint32_t>(refs_.size()));
    if (added)
      refs_.push_back({id, nullptr, &kNoMachines, {}});
    return refs_[it->second];
  }

  // Services, their VMs and the items acting on them (in order of their requests) by the id of the service's name;
  // customers by the id of theirs.
  void index() {
    refs_.clear();
    refs_of_.clear();
    with_items_.clear();
    customer_of_id_.clear();
    world::Str id;
    for (const auto& [key, s] : m_.services)
      if (m_.strings.find(key, id.id))
        refs_at(id).service = &s;
    for (const auto& [owner, machines] : m_.vms_of)
      if (m_.strings.find(owner, id.id))
        refs_at(id).machines = &machines;
    for (const auto& [key, c] : m_.customers)
      if (m_.strings.find(key, id.id))
        customer_of_id_.emplace(id.id, &c);
    std::vector<ItemRef> all;
    for (const auto& [key, o] : m_.orders)
      if (o.request.known())
        for (const auto& item : o.items)
          if (!item.service.empty())
            all.push_back({&o, &item});
    std::stable_sort(all.begin(), all.end(),
                     [](const ItemRef& a, const ItemRef& b) { return a.order->request.t < b.order->request.t; });
    for (const auto& ref : all) {
      auto& r = refs_at(ref.item->service);
      if (r.items.empty())
        with_items_.push_back(&r - refs_.data());
      r.items.push_back(ref);
    }
    // The checks over services with items go in the order of their names (the reason a check gives is its first
    // failure's).
    std::sort(with_items_.begin(), with_items_.end(),
              [&](std::size_t a, std::size_t b) { return text(refs_[a].id) < text(refs_[b].id); });
  }

  static const ServiceRefs& no_refs() {
    static const ServiceRefs kNone{};
    return kNone;
  }

  const ServiceRefs& refs(world::Str id) const {
    const auto it = refs_of_.find(id.id);
    return it == refs_of_.end() ? no_refs() : refs_[it->second];
  }

  const ServiceRefs& refs(std::string_view service_id) const {
    world::Str id;
    return m_.strings.find(service_id, id.id) ? refs(id) : no_refs();
  }

  const world::Customer* customer(world::Str id) const {
    const auto it = customer_of_id_.find(id.id);
    return it == customer_of_id_.end() ? nullptr : it->second;
  }

  std::string_view customer_of(std::string_view service_id) const {
    const std::string_view c = m_.customer_of_service(service_id);
    if (!c.empty())
      return c;
    const auto& items = refs(service_id).items;
    return items.empty() ? std::string_view() : text(items.front().order->customer);
  }

  /// The add item that created the service.
  std::optional<ItemRef> add_item(const ServiceRefs& r) const {
    for (const auto& ref : r.items)
      if (text(ref.item->action) == "add")
        return ref;
    return std::nullopt;
  }

  /// The jurisdictions the customer allowed when `ref` was ordered, narrowed by the item (or by the add item of
  /// the service when a modify does not narrow them itself). Empty: any.
  std::vector<std::string_view> allowed_for(const ItemRef& ref) const {
    std::vector<std::string_view> customer;
    if (const auto* c = this->customer(ref.order->customer))
      for (const auto& code : c->allowed_at(ref.order->request.t))
        customer.emplace_back(code);
    const std::vector<world::Str>* narrow = &ref.item->characteristics.allowed;
    if (narrow->empty() && text(ref.item->action) != "add")
      if (const auto add = add_item(refs(ref.item->service)))
        narrow = &add->item->characteristics.allowed;
    if (narrow->empty())
      return customer;
    if (customer.empty())
      return texts(*narrow);
    std::vector<std::string_view> both;
    for (const auto n : *narrow)
      if (std::find(customer.begin(), customer.end(), text(n)) != customer.end())
        both.push_back(text(n));
    return both.empty() ? std::vector<std::string_view>{"(none)"} : both;
  }

  static bool allows(const std::vector<std::string_view>& allowed, std::string_view code) {
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), code) != allowed.end();
  }

  std::string_view jurisdiction_of(std::string_view dc) const {
    const auto it = jurisdiction_.find(dc);
    return it == jurisdiction_.end() ? std::string_view() : std::string_view(it->second);
  }

  // ---- orders -----------------------------------------------------------------------------------------------

  CheckResult order_modify() const {
    Tally t("order.modify");
    for (const auto& [id, o] : m_.orders) {
      if (!o.request.known())
        continue;
      for (const auto& item : o.items) {
        if (text(item.action) != "modify" || text(item.service).empty())
          continue;
        const Stamp done = state_at(item, "completed");
        const Stamp failed = state_at(item, "failed");
        const Stamp cancelled = state_at(item, "cancelled");
        const auto instances = item_number(item, "instances");
        const auto objective = item_number(item, "availabilityObjective");
        const ServiceRefs& svc = refs(item.service);
        if (done.known()) {
          t.applies();
          if (instances) {
            const int got = Model::running_count(*svc.machines, done.t);
            if (got != static_cast<int>(*instances))
              t.fail(fmt::format("modify item {} of order {} (event {}) was reported completed at {} (event {}) "
                                 "but service {} then really ran {} VMs, not the {} asked",
                                 text(item.id), text(o.id), o.request.id, fmt_t(done.t), done.id, text(item.service),
                                 got, *instances),
                     {o.request.id, done.id});
          }
          if (objective) {
            if (const auto* s = svc.service)
              for (const auto& [at, value] : s->objectives)
                if (at.t >= done.t) {
                  if (std::abs(value - *objective) > kEps)
                    t.fail(fmt::format("service {} still carried availabilityObjective {} at {} (event {}) after "
                                       "the modify item {} of order {} asking {} completed (event {})",
                                       text(item.service), value, fmt_t(at.t), at.id, text(item.id), text(o.id),
                                       *objective, done.id),
                           {done.id, at.id});
                  break;
                }
          }
        } else if (failed.known()) {
          t.applies();
          const int before = Model::live_count(*svc.machines, o.request.t);
          const double look = std::min(m_.deadline(failed.t, t_notify_), end_);
          const int after = Model::live_count(*svc.machines, look);
          bool touched_later = false; // another order changed the service before we look
          for (const auto& ref : svc.items)
            if (ref.order != &o && ref.order->request.t > o.request.t && ref.order->request.t <= look)
              touched_later = true;
          if (!touched_later && before != after)
            t.fail(fmt::format("modify item {} of order {} failed (event {}, {}) but service {} went from {} to {} "
                               "VMs instead of being left as it was",
                               text(item.id), text(o.id), failed.id, text(item.error_code), text(item.service), before,
                               after),
                   {o.request.id, failed.id});
        } else if (!cancelled.known()) {
          t.applies();
          t.inconc(fmt::format("modify item {} of order {} (event {}) was neither completed nor failed by the end",
                               text(item.id), text(o.id), o.request.id),
                   {o.request.id});
        }
      }
    }
    return t.done();
  }

  CheckResult order_cancel() const {
    Tally t("order.cancel");
    for (const auto& [id, o] : m_.orders) {
      if (!o.cancel_request.known() || !o.cancel_done.known())
        continue;
      t.applies();
      for (const auto& item : o.items) {
        const Stamp done = state_at(item, "completed");
        const Stamp failed = state_at(item, "failed");
        if ((done.known() && done.t <= o.cancel_request.t) || (failed.known() && failed.t <= o.cancel_request.t))
          continue; // finished before the cancellation reached the producer
        const Stamp cancelled = state_at(item, "cancelled");
        if (!cancelled.known()) {
          const Stamp other = done.known() ? done : failed;
          t.fail(fmt::format("order {} was cancelled (events {}, {}) but its unfinished item {} {}", text(o.id),
                             o.cancel_request.id, o.cancel_done.id, text(item.id),
                             other.known()
                                 ? fmt::format("ended {} (event {})", done.known() ? "completed" : "failed", other.id)
                                 : std::string("was never reported cancelled")),
                 {o.cancel_request.id, o.cancel_done.id, other.id});
        }
        if (text(item.action) != "add" || text(item.service).empty())
          continue;
        for (const world::Vm* machine : *refs(item.service).machines) {
          const world::Vm& vm = *machine;
          const std::string_view key = text(vm.key);
          if (vm.ended.known())
            continue;
          if (end_ < m_.deadline(o.cancel_done.t, t_notify_))
            t.inconc(fmt::format("VM {} of service {} of cancelled order {} still existed when the run ended, too "
                                 "soon after the cancellation (event {}) to judge",
                                 key, text(item.service), text(o.id), o.cancel_done.id),
                     {vm.placed.id, o.cancel_done.id});
          else
            t.fail(fmt::format("order {} was cancelled (event {}) but VM {} of its service {} (placed, event {}) "
                               "was never destroyed",
                               text(o.id), o.cancel_done.id, key, text(item.service), vm.placed.id),
                   {vm.placed.id, o.cancel_done.id});
        }
      }
    }
    return t.done();
  }

  CheckResult order_activation() const {
    Tally t("order.activation");
    const double t_activation = ctx_.timer("T_activation");
    for (const auto& [id, o] : m_.orders) {
      if (!o.request.known())
        continue;
      for (const auto& item : o.items) {
        if (text(item.action) != "add" || text(item.service).empty())
          continue;
        const auto stated = item_number(item, "maxActivationSeconds");
        const double limit = stated && *stated > 0 ? *stated : t_activation;
        const double deadline = m_.deadline(o.request.t, limit);
        const Stamp active = first_state(refs(item.service).service, "active");
        const Stamp failed = state_at(item, "failed");
        const Stamp cancelled = state_at(item, "cancelled");
        if (o.cancel_request.known() && o.cancel_request.t <= std::min(deadline, active.t))
          continue; // cancelled before it had to be active
        if (cancelled.known() && !active.known())
          continue;
        if (state_at(item, "rejected").known() && !active.known())
          continue; // refused when it arrived (e.g. customerUnknown): it never had to become active
        t.applies();
        if (active.known() && (!failed.known() || active.t <= failed.t)) {
          if (active.t > deadline + kEps)
            t.fail(fmt::format("service {} of order {} (request event {}, at {}) was reported active at {} (event "
                               "{}), after its deadline {} ({} s allowed)",
                               text(item.service), text(o.id), o.request.id, fmt_t(o.request.t), fmt_t(active.t),
                               active.id, fmt_t(deadline), limit),
                   {o.request.id, active.id});
        } else if (failed.known()) {
          if (failed.t > deadline + kEps && text(item.error_code) != "activationTimeout")
            t.fail(fmt::format("add item {} of order {} (event {}) failed at {} (event {}), after its activation "
                               "deadline {}, with {} instead of activationTimeout",
                               text(item.id), text(o.id), o.request.id, fmt_t(failed.t), failed.id, fmt_t(deadline),
                               text(item.error_code).empty() ? std::string("no reason") : text(item.error_code)),
                   {o.request.id, failed.id});
          else if (text(item.error_code) == "activationTimeout" && failed.t > m_.deadline(deadline, t_notify_) + kEps)
            t.fail(fmt::format("add item {} of order {} failed activationTimeout only at {} (event {}), its "
                               "deadline was {}",
                               text(item.id), text(o.id), fmt_t(failed.t), failed.id, fmt_t(deadline)),
                   {o.request.id, failed.id});
        } else if (end_ >= m_.deadline(deadline, t_notify_)) {
          t.fail(fmt::format("service {} of order {} (event {}) was neither active nor its item failed by its "
                             "deadline {}",
                             text(item.service), text(o.id), o.request.id, fmt_t(deadline)),
                 {o.request.id});
        } else {
          t.inconc(fmt::format("the run ended at {} before the activation deadline {} of service {} (order {}, "
                               "event {})",
                               fmt_t(end_), fmt_t(deadline), text(item.service), text(o.id), o.request.id),
                   {o.request.id});
        }
      }
    }
    return t.done();
  }

  CheckResult order_delete() const {
    Tally t("order.delete");
    for (const auto& [id, o] : m_.orders) {
      if (!o.request.known())
        continue;
      for (const auto& item : o.items) {
        if (text(item.action) != "delete" || text(item.service).empty())
          continue;
        const Stamp done = state_at(item, "completed");
        if (!done.known())
          continue;
        t.applies();
        const Stamp terminated = first_state(refs(item.service).service, "terminated");
        if (!terminated.known())
          t.fail(fmt::format("delete item {} of order {} completed (event {}) but service {} was never reported "
                             "terminated",
                             text(item.id), text(o.id), done.id, text(item.service)),
                 {o.request.id, done.id});
        for (const world::Vm* machine : *refs(item.service).machines) {
          const world::Vm& vm = *machine;
          const std::string_view key = text(vm.key);
          if (vm.ended.known() || vm.placed.t > end_)
            continue;
          if (end_ < m_.deadline(done.t, t_notify_))
            t.inconc(fmt::format("VM {} of deleted service {} still existed at the end, too soon after the delete "
                                 "completed (event {}) to judge",
                                 key, text(item.service), done.id),
                     {vm.placed.id, done.id});
          else
            t.fail(fmt::format("delete item {} of order {} completed (event {}) but VM {} of service {} (placed, "
                               "event {}) was never destroyed",
                               text(item.id), text(o.id), done.id, key, text(item.service), vm.placed.id),
                   {vm.placed.id, done.id});
        }
      }
    }
    return t.done();
  }

  // ---- inventory --------------------------------------------------------------------------------------------

  /// The instances the service should have at t: those of its latest add or modify item completed by then;
  /// nothing when an item changing it is still in flight at t.
  std::optional<int> instances_at(const ServiceRefs& svc, double t) const {
    std::optional<int> n;
    for (const auto& ref : svc.items) {
      if (text(ref.item->action) != "add" && text(ref.item->action) != "modify")
        continue;
      const auto asked = item_number(*ref.item, "instances");
      if (!asked)
        continue;
      if (ref.order->request.t > t)
        break;
      const Stamp done = state_at(*ref.item, "completed");
      const Stamp failed = state_at(*ref.item, "failed");
      const Stamp cancelled = state_at(*ref.item, "cancelled");
      if (done.known() && done.t <= t)
        n = static_cast<int>(*asked);
      else if ((failed.known() && failed.t <= t) || (cancelled.known() && cancelled.t <= t))
        continue;
      else
        return std::nullopt; // in flight
    }
    return n;
  }

  CheckResult inv_read() const {
    static const std::set<std::string, std::less<>> states{"feasibilityChecked", "designed", "reserved",
                                                           "inactive",           "active",   "terminated"};
    static const std::set<std::string, std::less<>> operating{"pending",  "configured", "starting", "running",
                                                              "degraded", "failed",     "limited",  "stopping",
                                                              "stopped",  "unknown"};
    Tally t("inv.read");
    for (const auto& r : m_.reads) {
      t.applies();
      const std::string_view id = text(r.id), state = text(r.state), op = text(r.operating);
      const std::string_view requested = text(r.requested);
      const ServiceRefs& svc = refs(r.requested);
      std::string problem;
      if (id != requested)
        problem = fmt::format("shows id '{}' for a read of {}", id, requested);
      else if (!states.count(state))
        problem = fmt::format("shows no valid state ('{}')", state);
      else if (!operating.count(op))
        problem = fmt::format("shows no valid operating status ('{}')", op);
      else if (!r.characteristics)
        problem = "shows no characteristics";
      else if (!r.placed)
        problem = "shows no placement";
      else if (state == "active" && r.place_empty && Model::live_count(*svc.machines, r.at.t) > 0)
        problem = "is active but shows no placement";
      else if (const auto expected = instances_at(svc, r.at.t - kReportSlack)) {
        if (state != "terminated" && (!r.instances || *r.instances != *expected))
          problem = fmt::format("shows instances {} while its completed orders asked {}",
                                r.instances_shown ? text(r.instances_text) : std::string_view("(none)"), *expected);
      }
      if (!problem.empty())
        t.fail(fmt::format("service {} read at {} (event {}) {}", requested, fmt_t(r.at.t), r.at.id, problem),
               {r.at.id});
    }
    return t.done();
  }

  CheckResult inv_active_after_boot() const {
    Tally t("inv.active_after_boot");
    for (const auto& [sid, s] : m_.services) {
      const ServiceRefs& svc = refs(std::string_view(sid));
      const auto add = add_item(svc);
      if (!add)
        continue;
      const auto asked = item_number(*add->item, "instances");
      const Stamp active = first_state(&s, "active");
      if (!asked || !active.known())
        continue;
      t.applies();
      int booted = 0;
      std::uint64_t last_boot = 0;
      for (const world::Vm* machine : *svc.machines) {
        const world::Vm& vm = *machine;
        if (vm.booted.t <= active.t && vm.ended.t > active.t) {
          ++booted;
          last_boot = std::max(last_boot, vm.booted.id);
        }
      }
      if (booted < static_cast<int>(*asked))
        t.fail(fmt::format("service {} was reported active at {} (event {}) when only {} of its {} VMs had booted", sid,
                           fmt_t(active.t), active.id, booted, *asked),
               {add->order->request.id, active.id, last_boot});
    }
    return t.done();
  }

  CheckResult inv_operating_status() const {
    Tally t("inv.operating_status");
    for (const auto& [sid, s] : m_.services) {
      const Stamp active = first_state(&s, "active");
      if (!active.known())
        continue;
      const Stamp terminated = first_state(&s, "terminated");
      for (const auto& i : Model::down_intervals(*refs(std::string_view(sid)).machines, true)) {
        if (i.from < active.t || i.from >= terminated.t)
          continue;
        const auto notified = [&](double from, bool down) {
          const double by = m_.deadline(from, t_notify_);
          for (const auto& [at, status] : s.operating)
            if (const std::string_view st = text(status);
                at.t >= from - kEps && at.t <= by + kEps &&
                (down ? (st == "degraded" || st == "failed") : st == "running"))
              return true;
          return false;
        };
        if (m_.deadline(i.from, t_notify_) <= end_) {
          t.applies();
          if (!notified(i.from, true))
            t.fail(fmt::format("service {} really went down at {} (event {}) but no degraded or failed operating "
                               "status was notified within T_notify",
                               sid, fmt_t(i.from), i.from_id),
                   {i.from_id});
        }
        if (i.recovered && i.to < terminated.t && m_.deadline(i.to, t_notify_) <= end_) {
          t.applies();
          if (!notified(i.to, false))
            t.fail(fmt::format("service {} was really running again at {} (event {}) but running was not "
                               "notified within T_notify",
                               sid, fmt_t(i.to), i.to_id),
                   {i.to_id});
        }
      }
    }
    return t.done();
  }

  // ---- performance ------------------------------------------------------------------------------------------

  static double granularity_s(const std::string& g) {
    return g == "g_15mn" ? 900 : g == "g_30mn" ? 1800 : g == "g_1h" ? 3600 : g == "g_24h" ? 86400 : 0;
  }

  CheckResult pm_job() const {
    static const std::set<std::string> known{"allocatedVcpu", "availability", "downtime"};
    Tally t("pm.job");
    for (const auto& [jid, j] : m_.jobs) {
      if (!j.request.known())
        continue;
      const auto* s = refs(j.service).service;
      const std::string_view customer = customer_of(j.service);
      const auto c = m_.customers.find(customer);
      if (!s || c == m_.customers.end() || c->second.op != m_.operator_of_credential(j.credential))
        continue; // not this operator's service: answering 404 is right
      if (first_state(s, "terminated").t <= j.request.t || granularity_s(j.granularity) == 0 || j.indicators.empty())
        continue;
      bool valid = true;
      for (const auto& i : j.indicators)
        valid = valid && known.count(i);
      if (!valid)
        continue;
      t.applies();
      if (j.status != 201) {
        t.fail(fmt::format("a measurement job for service {} (event {}) was answered {} (event {})", j.service,
                           j.request.id, j.status, j.created.id),
               {j.request.id, j.created.id});
        continue;
      }
      const auto& b = j.response_body;
      std::vector<std::string> shown;
      if (b.contains("performanceIndicator") && b["performanceIndicator"].is_array())
        for (const auto& i : b["performanceIndicator"])
          shown.push_back(i.is_string() ? i.get<std::string>() : i.dump());
      const std::string g = b.contains("granularity") && b["granularity"].is_string()
                                ? b["granularity"].get<std::string>()
                                : std::string();
      if (g != j.granularity || shown != j.indicators)
        t.fail(fmt::format("measurement job {} (event {}) was created with granularity {} and indicators {} "
                           "instead of {} and {}",
                           jid, j.created.id, g, join(shown), j.granularity, join(j.indicators)),
               {j.request.id, j.created.id});
    }
    return t.done();
  }

  CheckResult pm_report() const {
    Tally t("pm.report");
    std::map<std::string, std::vector<const world::Report*>> by_job;
    for (const auto& [rid, r] : m_.reports)
      by_job[r.job].push_back(&r);
    for (const auto& [jid, j] : m_.jobs) {
      if (j.status != 201 || !j.request.known())
        continue;
      const double g = granularity_s(j.granularity);
      if (g <= 0)
        continue;
      const auto& reports = by_job[jid];
      std::map<long long, const world::Report*> by_end; // period index -> first report
      for (const auto* r : reports) {
        if (r->period_end < 0)
          continue;
        const auto k = static_cast<long long>(std::llround(r->period_end / g));
        if (!by_end.count(k) || r->sent.t < by_end[k]->sent.t)
          by_end[k] = r;
      }
      const auto first = static_cast<long long>(std::floor(j.request.t / g)) + 1;
      for (long long k = first;; ++k) {
        const double p = static_cast<double>(k) * g;
        const double due = m_.deadline(p, t_notify_);
        if (p >= j.ended.t || due > end_)
          break;
        t.applies();
        const auto it = by_end.find(k);
        if (it == by_end.end()) {
          t.fail(fmt::format("measurement job {} (event {}) never reported the period ending at {}", jid, j.created.id,
                             fmt_t(p)),
                 {j.created.id});
          continue;
        }
        const world::Report& r = *it->second;
        if (r.sent.t > due + kEps)
          t.fail(fmt::format("report {} of job {} for the period ending at {} was sent at {} (event {}), after {}",
                             r.id, jid, fmt_t(p), fmt_t(r.sent.t), r.sent.id, fmt_t(due)),
                 {j.created.id, r.sent.id});
        const double length = r.period_end - r.period_start;
        if (length <= 0) {
          t.fail(fmt::format("report {} (event {}) has an empty or unreadable period", r.id, r.sent.id), {r.sent.id});
          continue;
        }
        const double down = world::overlap(m_.down_intervals(j.service), p - length, p);
        for (const auto& name : j.indicators) {
          const auto v = r.values.find(name);
          if (v == r.values.end()) {
            t.fail(fmt::format("report {} (event {}) lacks indicator {}", r.id, r.sent.id, name), {r.sent.id});
            continue;
          }
          bool ok = true;
          double expected = 0;
          if (name == "availability") {
            expected = 100.0 * (length - down) / length;
            ok = std::abs(v->second - expected) <= 100.0 * kBudgetSlack / length + kEps;
          } else if (name == "downtime") {
            expected = down;
            ok = std::abs(v->second - expected) <= kBudgetSlack + kEps;
          } else if (name == "allocatedVcpu") {
            expected = m_.running_vcpu(j.service, p);
            ok = v->second == expected || v->second == m_.running_vcpu(j.service, r.sent.t);
          }
          if (!ok)
            t.fail(fmt::format("report {} (event {}) of service {} for the period ending at {} gives {} = {}, "
                               "really {}",
                               r.id, r.sent.id, j.service, fmt_t(p), name, v->second, expected),
                   {r.sent.id});
        }
      }
    }
    return t.done();
  }

  // ---- alarms -----------------------------------------------------------------------------------------------

  CheckResult alarm_raised() const {
    Tally t("alarm.raised");
    static const std::vector<const world::Alarm*> kNoAlarms;
    std::map<std::string, std::vector<const world::Alarm*>> by_service;
    for (const auto& [aid, a] : m_.alarms)
      if (a.raised.known())
        by_service[a.service].push_back(&a);
    for (const auto& [sid, s] : m_.services) {
      const Stamp terminated = first_state(&s, "terminated");
      const auto raised = by_service.find(sid);
      for (const auto& i : Model::down_intervals(*refs(std::string_view(sid)).machines, true)) {
        const double due = m_.deadline(i.from, t_notify_);
        if (i.from >= terminated.t || due > end_)
          continue;
        t.applies();
        bool ok = false;
        for (const auto* a : raised == by_service.end() ? kNoAlarms : raised->second) {
          const bool raised_in_time = a->raised.t >= i.from - kEps && a->raised.t <= due + kEps;
          const bool open_before = a->raised.t < i.from && a->cleared.t > i.from;
          ok = ok || raised_in_time || open_before;
        }
        if (!ok)
          t.fail(fmt::format("a VM of service {} really stopped running at {} (event {}) but no alarm naming the "
                             "service was raised by {}",
                             sid, fmt_t(i.from), i.from_id, fmt_t(due)),
                 {i.from_id});
      }
    }
    return t.done();
  }

  CheckResult alarm_cleared() const {
    Tally t("alarm.cleared");
    for (const auto& [aid, a] : m_.alarms) {
      if (!a.raised.known())
        continue;
      const auto down = m_.down_intervals(a.service);
      const Interval* cause = nullptr;
      for (const auto& i : down)
        if (i.from <= a.raised.t + kEps)
          cause = &i;
      if (!cause)
        continue; // no fault behind it: alarm.spurious judges it
      if (a.cleared.known() && a.cleared.t < cause->to - kEps) {
        t.applies();
        t.fail(fmt::format("alarm {} of service {} was cleared at {} (event {}) while the service was still "
                           "really down (until {})",
                           aid, a.service, fmt_t(a.cleared.t), a.cleared.id, fmt_t(cause->to)),
               {a.raised.id, a.cleared.id, cause->from_id});
        continue;
      }
      if (cause->to == kNever)
        continue;
      const double due = m_.deadline(cause->to, t_notify_);
      if (!a.cleared.known() && due > end_)
        continue;
      t.applies();
      if (!a.cleared.known() || a.cleared.t > due + kEps)
        t.fail(fmt::format("alarm {} of service {} (raised, event {}) was {} although its cause ended at {} "
                           "(event {})",
                           aid, a.service, a.raised.id,
                           a.cleared.known()
                               ? fmt::format("cleared only at {} (event {})", fmt_t(a.cleared.t), a.cleared.id)
                               : std::string("never cleared"),
                           fmt_t(cause->to), cause->to_id),
               {a.raised.id, a.cleared.id, cause->to_id});
    }
    return t.done();
  }

  CheckResult alarm_spurious() const {
    Tally t("alarm.spurious");
    for (const auto& [aid, a] : m_.alarms) {
      if (!a.raised.known())
        continue;
      t.applies();
      bool fault = false;
      for (const world::Vm* machine : m_.machines_of(a.service)) {
        const world::Vm& vm = *machine;
        for (const auto& o : vm.outages) {
          const double back = std::min(o.up.t, vm.ended.t);
          fault = fault || (o.down.t <= a.raised.t + kEps && m_.deadline(back, t_notify_) >= a.raised.t - kEps);
        }
        // A machine that failed (boot or image transfer) is a fault of the service too.
        if (vm.ended.known() && vm.ended.t <= a.raised.t + kEps &&
            m_.deadline(vm.ended.t, t_notify_) >= a.raised.t - kEps && !vm.booted.known() && vm.placed.known())
          fault = true;
      }
      if (!fault)
        t.fail(fmt::format("alarm {} (event {}) was raised at {} for service {}, none of whose VMs was really down "
                           "or failing then",
                           aid, a.raised.id, fmt_t(a.raised.t), a.service),
               {a.raised.id});
    }
    return t.done();
  }

  // ---- service levels ---------------------------------------------------------------------------------------

  CheckResult sla_objective() const {
    Tally t("sla.objective");
    for (const auto slot : with_items_) {
      const ServiceRefs& svc = refs_[slot];
      const std::string_view sid = text(svc.id);
      const auto add = add_item(svc);
      if (!add)
        continue;
      const auto objective = item_number(*add->item, "availabilityObjective");
      if (!objective)
        continue;
      const auto* s = svc.service;
      if (!s)
        continue;
      t.applies();
      double first_modify = kNever;
      std::vector<double> allowed{*objective};
      for (const auto& ref : svc.items)
        if (text(ref.item->action) == "modify")
          if (const auto y = item_number(*ref.item, "availabilityObjective")) {
            allowed.push_back(*y);
            first_modify = std::min(first_modify, ref.order->request.t);
          }
      if (const Stamp at = s->first_view_without_objective; at.known())
        t.fail(fmt::format("service {} ordered with availabilityObjective {} (event {}) was shown at {} (event {}) "
                           "without it",
                           sid, *objective, add->order->request.id, fmt_t(at.t), at.id),
               {add->order->request.id, at.id});
      for (const auto& [at, value] : s->objectives) {
        const bool ok = at.t < first_modify ? std::abs(value - *objective) <= kEps
                                            : std::any_of(allowed.begin(), allowed.end(),
                                                          [&](double a) { return std::abs(a - value) <= kEps; });
        if (!ok) {
          t.fail(fmt::format("service {} ordered with availabilityObjective {} (event {}) was shown with {} at {} "
                             "(event {})",
                             sid, *objective, add->order->request.id, value, fmt_t(at.t), at.id),
                 {add->order->request.id, at.id});
          break;
        }
      }
    }
    return t.done();
  }

  CheckResult sla_violation() const {
    Tally t("sla.violation");
    const double cycle = ctx_.scenario ? ctx_.scenario->billing.cycle : 0;
    const double t_sla = ctx_.timer("T_sla");
    std::map<std::string, std::vector<const world::Violation*>, std::less<>> reported;
    for (const auto& [vid, v] : m_.violations)
      reported[v.service].push_back(&v);
    static const std::vector<const world::Violation*> kNoViolations;
    if (cycle <= 0) {
      for (const auto& [vid, v] : m_.violations) {
        t.applies();
        t.fail(fmt::format("violation {} (event {}) was reported though the run has no bill cycle", vid, v.sent.id),
               {v.sent.id});
      }
      return t.done();
    }
    std::set<std::string_view, std::less<>> judged;
    for (const auto slot : with_items_) {
      const ServiceRefs& svc = refs_[slot];
      const std::string_view sid = text(svc.id);
      std::vector<double> objectives;
      for (const auto& ref : svc.items)
        if (text(ref.item->action) == "add" || text(ref.item->action) == "modify")
          if (const auto o = item_number(*ref.item, "availabilityObjective"))
            objectives.push_back(*o);
      if (objectives.empty())
        continue;
      judged.insert(sid);
      const auto down = Model::down_intervals(*svc.machines);
      std::map<long long, std::vector<const world::Violation*>> by_cycle;
      const auto claimed = reported.find(sid);
      for (const auto* v : claimed == reported.end() ? kNoViolations : claimed->second) {
        const double start = v->period_start >= 0 ? v->period_start : v->sent.t - t_sla;
        by_cycle[static_cast<long long>(std::llround(start / cycle))].push_back(v);
      }
      const auto cycles = static_cast<long long>(std::ceil(end_ / cycle));
      for (long long k = 0; k < std::max<long long>(cycles, 1); ++k) {
        const double from = static_cast<double>(k) * cycle, to = from + cycle;
        const double total = world::overlap(down, from, std::min(to, end_));
        const auto& claims = by_cycle[k];
        // Per objective: due (clearly broken), clear (clearly kept), or too close to call.
        bool all_due = true, all_clear = true;
        double broken_at = kNever;
        std::uint64_t broken_id = 0;
        for (const double o : objectives) {
          const double budget = (100.0 - o) / 100.0 * cycle;
          all_due = all_due && total > budget + kBudgetSlack;
          all_clear = all_clear && total <= budget - kBudgetSlack;
          double acc = 0;
          for (const auto& i : down) {
            const double a = std::max(i.from, from), b = std::min(i.to, to);
            if (b <= a)
              continue;
            if (acc + (b - a) > budget) {
              const double at = a + (budget - acc);
              if (at < broken_at) {
                broken_at = at;
                broken_id = i.from_id;
              }
              break;
            }
            acc += b - a;
          }
        }
        if (all_due) {
          t.applies();
          const double due = m_.deadline(broken_at, t_sla);
          const world::Violation* in_time = nullptr;
          for (const auto* v : claims)
            if (v->sent.t >= broken_at - kBudgetSlack && v->sent.t <= due + kEps)
              in_time = v;
          if (!in_time) {
            if (!claims.empty())
              t.fail(fmt::format("service {} could no longer meet its objective from {} (event {}) but its "
                                 "violation {} was sent at {} (event {}), outside [{}, {}]",
                                 sid, fmt_t(broken_at), broken_id, claims.front()->id, fmt_t(claims.front()->sent.t),
                                 claims.front()->sent.id, fmt_t(broken_at), fmt_t(due)),
                     {broken_id, claims.front()->sent.id});
            else if (due <= end_)
              t.fail(fmt::format("service {} was really down {:.3f} s in cycle {} and could no longer meet its "
                                 "objective from {} (event {}), but no violation was reported by {}",
                                 sid, total, k, fmt_t(broken_at), broken_id, fmt_t(due)),
                     {broken_id});
            else
              t.inconc(fmt::format("service {} broke its objective at {} (event {}) but the run ended at {} before "
                                   "the T_sla deadline {}",
                                   sid, fmt_t(broken_at), broken_id, fmt_t(end_), fmt_t(due)),
                       {broken_id});
          }
        } else if (all_clear) {
          if (!claims.empty() || total > 0)
            t.applies();
          for (const auto* v : claims)
            t.fail(fmt::format("violation {} (event {}) was reported for service {} in cycle {}, though it was "
                               "really down only {:.3f} s, within its objective",
                               v->id, v->sent.id, sid, k, total),
                   {v->sent.id});
        }
        if (claims.size() > 1)
          t.fail(fmt::format("service {} got {} violations for cycle {} (events {} and {})", sid, claims.size(), k,
                             claims[0]->sent.id, claims[1]->sent.id),
                 {claims[0]->sent.id, claims[1]->sent.id});
      }
    }
    for (const auto& [vid, v] : m_.violations)
      if (!judged.count(v.service)) {
        t.applies();
        t.fail(fmt::format("violation {} (event {}) names service {}, which was ordered without an objective", vid,
                           v.sent.id, v.service),
               {v.sent.id});
      }
    return t.done();
  }

  // ---- regulation -------------------------------------------------------------------------------------------

  CheckResult reg_allowed() const {
    Tally t("reg.allowed");
    for (const auto slot : with_items_) {
      const ServiceRefs& svc = refs_[slot];
      const std::string_view sid = text(svc.id);
      const auto& items = svc.items;
      for (std::size_t n = 0; n < items.size(); ++n) {
        const auto& ref = items[n];
        if (text(ref.item->action) != "add" && text(ref.item->action) != "modify")
          continue;
        const auto allowed = allowed_for(ref);
        const double from = ref.order->request.t;
        const double to = n + 1 < items.size() ? items[n + 1].order->request.t : kNever;
        bool applied = false;
        for (const world::Vm* machine : *svc.machines) {
          const world::Vm& vm = *machine;
          const std::string_view key = text(vm.key);
          if (!vm.placed.known() || vm.placed.t < from || vm.placed.t >= to)
            continue;
          if (!applied)
            t.applies();
          applied = true;
          const std::string_view code = jurisdiction_of(text(vm.dc));
          if (code.empty())
            t.error(fmt::format("VM {} (event {}) was placed in {}, a data centre the scenario does not name", key,
                                vm.placed.id, text(vm.dc)),
                    {vm.placed.id});
          else if (!allows(allowed, code))
            t.fail(fmt::format("VM {} of service {} was placed in {} ({}) (event {}) though item {} of order {} "
                               "(event {}) allows {}",
                               key, sid, text(vm.dc), code, vm.placed.id, text(ref.item->id), text(ref.order->id),
                               ref.order->request.id, join(allowed)),
                   {ref.order->request.id, vm.placed.id});
        }
      }
    }
    return t.done();
  }

  CheckResult reg_placement() const {
    Tally t("reg.placement");
    for (const auto& [key, vm] : m_.vms) {
      if (!vm.placed.known())
        continue;
      const ItemRef* governing = nullptr;
      for (const auto& ref : refs(vm.owner).items)
        if ((text(ref.item->action) == "add" || text(ref.item->action) == "modify") &&
            ref.order->request.t <= vm.placed.t)
          governing = &ref;
      if (!governing)
        continue;
      t.applies();
      const auto allowed = allowed_for(*governing);
      const std::string_view code = jurisdiction_of(text(vm.dc));
      if (!code.empty() && !allows(allowed, code))
        t.fail(fmt::format("VM {} of service {} really runs in {} ({}) (event {}), outside the jurisdictions {} "
                           "its customer allows",
                           key, text(vm.owner), text(vm.dc), code, vm.placed.id, join(allowed)),
               {governing->order->request.id, vm.placed.id});
    }
    // An item no data centre of an allowed jurisdiction exists for must fail jurisdictionUnavailable.
    for (const auto slot : with_items_)
      for (const auto& ref : refs_[slot].items) {
        if (text(ref.item->action) != "add")
          continue;
        const auto allowed = allowed_for(ref);
        bool possible = allowed.empty();
        for (const auto& [dc, code] : jurisdiction_)
          possible = possible || allows(allowed, code);
        if (possible || ref.order->cancel_request.known())
          continue;
        t.applies();
        const Stamp failed = state_at(*ref.item, "failed");
        const Stamp done = state_at(*ref.item, "completed");
        if (done.known() || (failed.known() && text(ref.item->error_code) != "jurisdictionUnavailable"))
          t.fail(fmt::format("item {} of order {} (event {}) allows only {}, where no data centre exists, but {}",
                             text(ref.item->id), text(ref.order->id), ref.order->request.id, join(allowed),
                             done.known()
                                 ? fmt::format("it completed (event {})", done.id)
                                 : fmt::format("it failed with {} (event {})", text(ref.item->error_code), failed.id)),
                 {ref.order->request.id, done.id, failed.id});
        else if (!failed.known())
          t.inconc(fmt::format("item {} of order {} (event {}) allows only {}, where no data centre exists, and had "
                               "not failed by the end",
                               text(ref.item->id), text(ref.order->id), ref.order->request.id, join(allowed)),
                   {ref.order->request.id});
      }
    return t.done();
  }

  CheckResult reg_reported_place() const {
    Tally t("reg.reported_place");
    for (const auto& r : m_.reads) {
      if (!r.placed)
        continue; // inv.read judges a read without placement
      std::map<std::string_view, std::string_view> shown;
      for (const auto& [dc, code] : r.place)
        shown[text(dc)] = text(code);
      std::map<std::string_view, std::uint64_t> really; // dc -> a VM placement there
      for (const world::Vm* machine : *refs(r.requested).machines) {
        const world::Vm& vm = *machine;
        if (vm.placed.t <= r.at.t - kReportSlack && vm.ended.t > r.at.t)
          really[text(vm.dc)] = vm.placed.id;
      }
      if (really.empty() && shown.empty())
        continue;
      t.applies();
      for (const auto& [dc, placed] : really)
        if (!shown.count(dc))
          t.fail(fmt::format("service {} read at {} (event {}) does not show data centre {}, where its VM really "
                             "runs (event {})",
                             text(r.requested), fmt_t(r.at.t), r.at.id, dc, placed),
                 {placed, r.at.id});
      for (const auto& [dc, code] : shown) {
        const std::string_view real = jurisdiction_of(dc);
        if (real != code)
          t.fail(fmt::format("service {} read at {} (event {}) shows data centre {} with jurisdiction '{}', really "
                             "'{}'",
                             text(r.requested), fmt_t(r.at.t), r.at.id, dc, code, real),
                 {r.at.id});
      }
    }
    return t.done();
  }

  // ---- isolation --------------------------------------------------------------------------------------------

  CheckResult iso_own_data() const {
    Tally t("iso.own_data");
    if (!m_.credentials_seen)
      return t.done();
    // Most deliveries were judged as they came (Model::ownership): those that passed only count, those that failed
    // give their reason and evidence here, merged with the rest in the order the deliveries came, so that the
    // first failure gives the reason as when all were judged here.
    t.applies(m_.own_deliveries);
    const auto foreign = [&](const world::ForeignDelivery& f) {
      t.applies();
      t.fail(world::foreign_delivery_reason(text(f.receiver), text(world::Str{f.what}), f.event, text(f.customer),
                                            text(f.owner)),
             {f.event});
    };
    // A service that names no customer is attributed to the customer of the first order acting on it.
    const auto items_customer = [&](world::Str service) {
      const auto& items = refs(service).items;
      return items.empty() ? std::string_view() : text(items.front().order->customer);
    };
    auto next_foreign = m_.foreign_deliveries.begin();
    for (const auto& d : m_.deliveries) {
      for (; next_foreign != m_.foreign_deliveries.end() && next_foreign->seq < d.seq; ++next_foreign)
        foreign(*next_foreign);
      const world::Ownership o = m_.ownership(d, true, items_customer);
      if (o.outcome != world::Ownership::Outcome::own && o.outcome != world::Ownership::Outcome::foreign)
        continue;
      t.applies();
      if (o.outcome == world::Ownership::Outcome::foreign)
        t.fail(world::foreign_delivery_reason(o.receiver, text(world::Str{d.what}), d.event, o.customer, o.owner),
               {d.event});
    }
    for (; next_foreign != m_.foreign_deliveries.end(); ++next_foreign)
      foreign(*next_foreign);
    return t.done();
  }

  CheckResult iso_ids() const {
    Tally t("iso.ids");
    if (!m_.credentials_seen)
      return t.done();
    // (kind, id), the ids of both strings -> the operator first given it and the event
    std::unordered_map<std::uint64_t, std::pair<std::string_view, std::uint64_t>> owner;
    for (const auto& c : m_.id_claims) {
      const std::string_view op = m_.operator_of_credential(text(c.credential));
      if (op.empty() || c.id.empty())
        continue;
      t.applies();
      const std::string_view kind = text(c.kind), id = text(c.id), owner_op = text(c.owner_op);
      if (kind == "customer" && !owner_op.empty() && owner_op != op)
        t.fail(fmt::format("operator {} was answered customer {} of operator {} (event {})", op, id, owner_op, c.at.id),
               {c.at.id});
      const std::uint64_t key = std::uint64_t{c.kind.id} << 32 | c.id.id;
      const auto it = owner.find(key);
      if (it == owner.end())
        owner[key] = {op, c.at.id};
      else if (it->second.first != op)
        t.fail(fmt::format("{} id {} was given to operator {} (event {}) and to operator {} (event {})", kind, id,
                           it->second.first, it->second.second, op, c.at.id),
               {it->second.second, c.at.id});
    }
    return t.done();
  }

  OracleContext ctx_;
  std::map<std::string, std::string, std::less<>> jurisdiction_;
  Model m_;
  double end_ = 0;
  double t_notify_ = 0;
  // Built by index() at the end.
  std::vector<ServiceRefs> refs_;
  std::unordered_map<std::uint32_t, std::uint32_t> refs_of_; // the id of a service's name -> its place in refs_
  std::vector<std::size_t> with_items_;                      // places of the services items act on, by name
  std::unordered_map<std::uint32_t, const world::Customer*> customer_of_id_;
  std::vector<CheckResult> results_;
};

} // namespace

std::vector<std::unique_ptr<Oracle>> make_world_oracles(const OracleContext& ctx) {
  std::vector<std::unique_ptr<Oracle>> all;
  all.push_back(std::make_unique<WorldOracle>(ctx));
  return all;
}

std::vector<CheckInfo> world_checks() { return catalogue(); }

} // namespace i1sim::conformance
