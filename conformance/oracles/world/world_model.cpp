// Reads a run's event stream into the world model: ground truth and the implementation's claims, side by side.
#include "conformance/oracles/world/world_model.hpp"

#include "util/timestamp.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

namespace i1sim::conformance::world {

namespace {

using Json = nlohmann::json; // a message's body, as trace::Event::body() gives it

// The readers below serve both an event's own fields (ordered_json) and the body it carries.
template <class J> const J kNull{};

template <class J> const J& field(const J& j, const char* name) {
  if (!j.is_object())
    return kNull<J>;
  const auto it = j.find(name);
  return it == j.end() ? kNull<J> : *it;
}

template <class J> std::string text_of(const J& j, const char* name) {
  const auto& f = field(j, name);
  return f.is_string() ? f.template get<std::string>() : std::string();
}

/// The string `name` of `j` without a copy ("" when absent or not a string).
template <class J> std::string_view view(const J& j, const char* name) {
  const auto& f = field(j, name);
  return f.is_string() ? std::string_view(f.template get_ref<const std::string&>()) : std::string_view();
}

template <class J> double number(const J& j, const char* name, double otherwise) {
  if (!j.is_object())
    return otherwise;
  const auto it = j.find(name);
  return it != j.end() && it->is_number() ? it->template get<double>() : otherwise;
}

/// The body of the I1 message `e` records (null when it has none).
const Json& body_of(const trace::Event& e) {
  const Json* body = e.body();
  return body ? *body : kNull<Json>;
}

/// The party of `role` in a relatedParty array.
std::string_view party(const Json& resource, std::string_view role) {
  const auto& list = field(resource, "relatedParty");
  if (!list.is_array())
    return {};
  for (const auto& p : list)
    if (view(p, "role") == role)
      return view(p, "id");
  return {};
}

std::vector<std::string> codes(const Json& j) {
  std::vector<std::string> out;
  if (j.is_array()) {
    for (const auto& c : j)
      if (c.is_string())
        out.push_back(c.get<std::string>());
  } else if (j.is_string()) {
    const std::string s = j.get<std::string>();
    std::size_t from = 0;
    while (from <= s.size()) {
      const std::size_t comma = std::min(s.find(',', from), s.size());
      if (comma > from)
        out.push_back(s.substr(from, comma - from));
      from = comma + 1;
    }
  }
  return out;
}

std::optional<double> number_of(const Json& list, const std::string& name) {
  const auto* v = characteristic(list, name);
  if (v && v->is_number())
    return v->get<double>();
  return std::nullopt;
}

/// What the checks read of a requested serviceCharacteristic array (or null).
Characteristics characteristics_of(const Json& list, StringTable& strings) {
  Characteristics c;
  c.instances = number_of(list, "instances");
  c.objective = number_of(list, "availabilityObjective");
  c.max_activation = number_of(list, "maxActivationSeconds");
  const auto* v = characteristic(list, "allowedJurisdiction");
  if (v && v->is_array()) {
    for (const auto& code : *v)
      if (code.is_string())
        c.allowed.push_back({strings.id(code.get_ref<const std::string&>())});
  } else if (v && v->is_string()) {
    c.allowed.push_back({strings.id(v->get_ref<const std::string&>())});
  }
  return c;
}

double parse_time(const std::string& s) { return s.empty() ? -1 : parse_iso_timestamp(s); }

bool is_event_name(const std::string& name) { return name.size() > 5 && name.ends_with("Event"); }

} // namespace

bool Vm::running_at(double t) const {
  if (!(booted.t <= t && ended.t > t))
    return false;
  for (const auto& o : outages)
    if (o.down.t <= t && o.up.t > t)
      return false;
  return true;
}

const std::vector<std::string>& Customer::allowed_at(double t) const {
  static const std::vector<std::string> kAll;
  const std::vector<std::string>* out = &kAll;
  for (const auto& [from, codes] : allowed)
    if (from <= t)
      out = &codes;
  return *out;
}

std::string foreign_delivery_reason(std::string_view receiver, std::string_view what, std::uint64_t event,
                                    std::string_view customer, std::string_view owner) {
  return fmt::format("operator {} received {} (event {}) about customer {} of operator {}", receiver, what, event,
                     customer, owner);
}

const nlohmann::json* characteristic(const nlohmann::json& list, const std::string& name) {
  if (!list.is_array())
    return nullptr;
  for (const auto& c : list)
    if (view(c, "name") == name) {
      const auto& v = field(c, "value");
      return v.is_null() ? nullptr : &v;
    }
  return nullptr;
}

double overlap(const std::vector<Interval>& intervals, double from, double to) {
  double sum = 0;
  for (const auto& i : intervals) {
    const double a = std::max(i.from, from), b = std::min(i.to, to);
    if (b > a)
      sum += b - a;
  }
  return sum;
}

double Model::first_sent(const std::string& corr, double sent) const {
  const auto it = lost_sent.find(corr);
  return it == lost_sent.end() ? sent : std::min(sent, it->second);
}

double Model::deadline(double from, double length) const {
  // Each instant the Cloud process was held down moves the deadline on by as much; repeat until it settles,
  // since moving it may bring a later outage into the window.
  double end = from + length;
  for (int round = 0; round < 16; ++round) {
    const double next = from + length + overlap(cloud_down, from, end);
    if (next <= end)
      break;
    end = next;
  }
  return end;
}

std::vector<Interval> Model::down_intervals(const std::vector<const Vm*>& machines, bool booted_only) {
  std::vector<Interval> all;
  for (const Vm* machine : machines) {
    const Vm& vm = *machine;
    for (const auto& o : vm.outages) {
      if (booted_only && !(vm.booted.t <= o.down.t))
        continue;
      const bool recovered = o.up.known() && o.up.t <= vm.ended.t;
      Interval i{o.down.t, std::min(o.up.t, vm.ended.t), o.down.id, recovered ? o.up.id : vm.ended.id, recovered};
      if (i.to > i.from)
        all.push_back(i);
    }
  }
  std::sort(all.begin(), all.end(), [](const Interval& a, const Interval& b) { return a.from < b.from; });
  std::vector<Interval> merged;
  for (const auto& i : all) {
    if (!merged.empty() && i.from <= merged.back().to) {
      if (i.to > merged.back().to) {
        merged.back().to = i.to;
        merged.back().to_id = i.to_id;
        merged.back().recovered = i.recovered;
      }
    } else {
      merged.push_back(i);
    }
  }
  return merged;
}

int Model::running_count(const std::vector<const Vm*>& machines, double t) {
  int n = 0;
  for (const Vm* vm : machines)
    n += vm->booted.t <= t && vm->ended.t > t ? 1 : 0;
  return n;
}

int Model::running_vcpu(const std::vector<const Vm*>& machines, double t) {
  int n = 0;
  for (const Vm* vm : machines)
    n += vm->booted.t <= t && vm->ended.t > t ? vm->vcpu : 0;
  return n;
}

int Model::live_count(const std::vector<const Vm*>& machines, double t) {
  int n = 0;
  for (const Vm* vm : machines)
    n += vm->live_at(t) ? 1 : 0;
  return n;
}

const std::vector<const Vm*>& Model::machines_of(std::string_view owner) const {
  static const std::vector<const Vm*> kNone;
  const auto it = vms_of.find(owner);
  return it == vms_of.end() ? kNone : it->second;
}

std::string_view Model::operator_of_credential(std::string_view credential) const {
  const auto it = credential_op.find(credential);
  return it == credential_op.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view Model::customer_of_service(std::string_view service) const {
  const auto it = services.find(service);
  return it == services.end() ? std::string_view() : text(it->second.customer);
}

void Model::observe(const trace::Event& e) {
  if (e.category == trace::Category::truth) {
    on_truth(e);
    return;
  }
  if (e.category != trace::Category::i1)
    return;
  if (e.type == "i1.request")
    on_request(e);
  else if (e.type == "i1.response")
    on_response(e);
  else if (e.type == "i1.notification")
    on_notification(e);
}

void Model::on_truth(const trace::Event& e) {
  const auto& d = e.data;
  const Stamp at{e.t, e.id};
  if (e.type.starts_with("vm.")) {
    const std::string key = text_of(d, "dc") + "/" + std::to_string(static_cast<long long>(number(d, "vm", -1)));
    const bool known = vms.count(key) != 0;
    Vm& vm = vms[key];
    if (!known) {
      vm.key = intern(key);
      vm.owner = intern(view(d, "owner"));
      vm.dc = intern(view(d, "dc"));
      vms_of[text_of(d, "owner")].push_back(&vm);
    }
    if (e.type == "vm.placed") {
      vm.placed = at;
      vm.vcpu = static_cast<int>(number(d, "vcpu", 0));
    } else if (e.type == "vm.booted") {
      vm.booted = at;
    } else if (e.type == "vm.down") {
      vm.outages.push_back({at, {}});
    } else if (e.type == "vm.up") {
      if (!vm.outages.empty() && !vm.outages.back().up.known())
        vm.outages.back().up = at;
    } else if (e.type == "vm.destroyed" || e.type == "vm.failed") {
      if (!vm.ended.known())
        vm.ended = at;
    }
  } else if (e.type == "cloud.down") {
    cloud_down.push_back({e.t, kNever, e.id, 0});
  } else if (e.type == "cloud.up") {
    if (!cloud_down.empty() && cloud_down.back().to_id == 0) {
      cloud_down.back().to = e.t;
      cloud_down.back().to_id = e.id;
    }
  } else if (e.type == "channel.lost") {
    const std::string corr = text_of(d, "corr");
    const double sent = number(d, "sent", e.t);
    const auto it = lost_sent.find(corr);
    if (it == lost_sent.end() || sent < it->second)
      lost_sent[corr] = sent;
  }
}

void Model::on_request(const trace::Event& e) {
  const std::string name = text_of(e.data, "name");
  if (is_event_name(name))
    return;
  Pending p;
  p.name = name;
  p.credential = text_of(e.data, "credential");
  if (e.data.contains("credential"))
    credentials_seen = true;
  p.target = text_of(e.data, "target");
  p.at = {e.t, e.id};
  p.sent = number(e.data, "sent", e.t);
  if (name == "createServiceOrder" || name == "createCustomer" || name == "patchCustomer" || name == "createHub" ||
      name == "createMeasurementCollectionJob" || name == "createCancelServiceOrder")
    p.body = body_of(e);
  if (name == "createCustomer") {
    const std::string op(party(p.body, "operator"));
    if (!op.empty() && !credential_op.count(p.credential))
      credential_op[p.credential] = op;
  }
  if (name == "createCancelServiceOrder") {
    const std::string so = text_of(field(p.body, "serviceOrder"), "id");
    Order& o = orders[so];
    if (!o.cancel_request.known())
      o.cancel_request = p.at;
  }
  const std::string corr = text_of(e.data, "corr");
  if (!pending_.count(corr))
    pending_[corr] = std::move(p);
}

void Model::on_response(const trace::Event& e) {
  const std::string name = text_of(e.data, "name");
  if (is_event_name(name))
    return;
  const auto it = pending_.find(text_of(e.data, "corr"));
  if (it == pending_.end())
    return;
  const Pending& p = it->second;
  const int status = static_cast<int>(number(e.data, "status", 0));
  const Json& body = body_of(e);
  const Stamp at{number(e.data, "sent", e.t), e.id};
  if (p.name == "createHub" && status / 100 == 2) {
    const std::string callback = text_of(p.body, "callback");
    if (!hub_credential.count(callback))
      hub_credential[callback] = p.credential;
  } else if (p.name == "createCustomer" && status / 100 == 2) {
    const std::string id = text_of(p.body, "id");
    Customer& c = customers[id];
    if (c.id.empty()) {
      c.id = id;
      c.op = std::string(party(p.body, "operator"));
      c.allowed.emplace_back(p.at.t, codes(field(p.body, "allowedJurisdiction")));
    }
    if (!p.credential.empty() || credentials_seen)
      id_claims.push_back(
          {at, intern(p.credential), intern("customer"), intern(view(body, "id")), intern(party(body, "operator"))});
  } else if (p.name == "patchCustomer" && status / 100 == 2) {
    const std::string id = p.target.substr(p.target.rfind('/') + 1);
    if (customers.count(id) && field(p.body, "allowedJurisdiction").is_array())
      customers[id].allowed.emplace_back(p.at.t, codes(field(p.body, "allowedJurisdiction")));
  } else if (p.name == "createServiceOrder" && (status == 201 || status == 200)) {
    const std::string id = text_of(body, "id");
    if (credentials_seen) {
      id_claims.push_back({at, intern(p.credential), intern("order"), intern(id), {}});
      const auto& items = field(body, "serviceOrderItem");
      if (items.is_array())
        for (const auto& i : items)
          if (!text_of(field(i, "service"), "id").empty())
            id_claims.push_back(
                {at, intern(p.credential), intern("service"), intern(view(field(i, "service"), "id")), {}});
    }
    Order& o = orders[id];
    if (!o.request.known()) {
      o.id = intern(id);
      o.customer = intern(party(p.body, "customer"));
      o.credential = intern(p.credential);
      o.external_id = intern(view(p.body, "externalId"));
      o.request = p.at;
      o.request_sent = p.sent;
      o.response = at;
      const auto& req_items = field(p.body, "serviceOrderItem");
      const auto& resp_items = field(body, "serviceOrderItem");
      if (req_items.is_array())
        for (std::size_t k = 0; k < req_items.size(); ++k) {
          Item item;
          const std::string_view item_id = view(req_items[k], "id");
          item.id = intern(item_id);
          item.action = intern(view(req_items[k], "action"));
          item.characteristics =
              characteristics_of(field(field(req_items[k], "service"), "serviceCharacteristic"), strings);
          std::string_view service = view(field(req_items[k], "service"), "id");
          if (resp_items.is_array())
            for (const auto& r : resp_items)
              if (view(r, "id") == item_id && !view(field(r, "service"), "id").empty())
                service = view(field(r, "service"), "id");
          item.service = intern(service);
          o.items.push_back(std::move(item));
        }
    }
    order_view(body, at);
  } else if (p.name == "retrieveServiceOrder" && status == 200) {
    order_view(body, at);
  } else if (p.name == "createCancelServiceOrder" && status / 100 == 2) {
    if (text_of(body, "state") == "done") {
      Order& o = orders[text_of(field(p.body, "serviceOrder"), "id")];
      if (!o.cancel_done.known())
        o.cancel_done = at;
    }
  } else if (p.name == "retrieveService" && status == 200) {
    reads.push_back(read_of(at, std::string_view(p.target).substr(p.target.rfind('/') + 1), body));
    service_view(body, at);
    deliver(at, "", p.credential, party(body, "customer"), view(body, "id"), "", "retrieveService");
  } else if (p.name == "listService" && status == 200 && body.is_array()) {
    for (const auto& s : body) {
      service_view(s, at);
      deliver(at, "", p.credential, party(s, "customer"), view(s, "id"), "", "listService");
    }
  } else if (p.name == "listUsage" && status == 200 && body.is_array()) {
    for (const auto& u : body)
      deliver(at, "", p.credential, party(u, "customer"), view(field(u, "service"), "id"), "", "listUsage");
  } else if (p.name == "createCustomerBillOnDemand" && status / 100 == 2) {
    deliver(at, "", p.credential, party(body, "customer"), "", "", "createCustomerBillOnDemand");
  } else if (p.name == "createMeasurementCollectionJob") {
    const std::string id = status == 201 ? text_of(body, "id") : "REQ:" + text_of(e.data, "corr");
    Job& j = jobs[id];
    j.id = id;
    j.service = text_of(field(p.body, "service"), "id");
    j.granularity = text_of(p.body, "granularity");
    j.credential = p.credential;
    for (const auto& i : codes(field(p.body, "performanceIndicator")))
      j.indicators.push_back(i);
    j.request = p.at;
    j.created = at;
    j.response_body = body;
    j.status = status;
  }
  pending_.erase(it);
}

void Model::order_view(const Json& so, Stamp at) {
  const std::string id = text_of(so, "id");
  if (id.empty())
    return;
  Order& o = orders[id];
  if (o.id.empty()) {
    o.id = intern(id);
    o.customer = intern(party(so, "customer"));
    o.external_id = intern(view(so, "externalId"));
  }
  const auto& items = field(so, "serviceOrderItem");
  if (items.is_array())
    for (const auto& i : items) {
      const Str item_id = intern(view(i, "id"));
      auto found = std::find_if(o.items.begin(), o.items.end(), [&](const Item& x) { return x.id == item_id; });
      if (found == o.items.end()) {
        Item item;
        item.id = item_id;
        item.action = intern(view(i, "action"));
        item.service = intern(view(field(i, "service"), "id"));
        o.items.push_back(std::move(item));
        found = std::prev(o.items.end());
      }
      if (found->service.empty())
        found->service = intern(view(field(i, "service"), "id"));
      const std::string_view state = view(i, "state");
      Stamp* first = state == "completed"   ? &found->completed
                     : state == "failed"    ? &found->failed
                     : state == "cancelled" ? &found->cancelled
                     : state == "rejected"  ? &found->rejected
                                            : nullptr;
      if (first)
        first->keep_earliest(at);
    }
  const auto& errors = field(so, "errorMessage");
  if (errors.is_array())
    for (const auto& m : errors) {
      const auto& named = field(m, "serviceOrderItem");
      if (!named.is_array())
        continue;
      for (const auto& n : named)
        for (auto& item : o.items)
          if (text(item.id) == view(n, "id") && !item.error.known()) {
            item.error_code = intern(view(m, "code"));
            item.error = at;
          }
    }
  if (text_of(so, "state") == "cancelled" && !o.cancel_done.known())
    o.cancel_done = at;
}

void Model::service_view(const Json& svc, Stamp at) {
  const std::string id = text_of(svc, "id");
  if (id.empty())
    return;
  Service& s = services[id];
  s.id = intern(id);
  if (s.customer.empty())
    s.customer = intern(party(svc, "customer"));
  // The earliest view of each state the checks judge; of equal times the first seen.
  const std::string_view state = view(svc, "state");
  if (state == "active" && at.t < s.active.t)
    s.active = at;
  else if (state == "terminated" && at.t < s.terminated.t)
    s.terminated = at;
  const auto* objective = characteristic(field(svc, "serviceCharacteristic"), "availabilityObjective");
  if (objective && objective->is_number())
    s.objectives.emplace_back(at, objective->get<double>());
  else if (!s.first_view_without_objective.known())
    s.first_view_without_objective = at;
}

void Model::on_notification(const trace::Event& e) {
  const std::string name = text_of(e.data, "name");
  const std::string corr = text_of(e.data, "corr");
  const Stamp at{first_sent(corr, number(e.data, "sent", e.t)), e.id};
  if (!e.body())
    return;
  const Json& body = *e.body();
  const auto& event = field(body, "event");
  // Views into the event or into the model's records, both alive until the delivery is kept below.
  struct {
    std::string_view callback, customer, service, order;
  } d{view(e.data, "target"), {}, {}, {}};
  if (name == "ServiceOrderStateChangeEvent" || name == "ServiceOrderItemStateChangeEvent") {
    const auto& so = field(event, "serviceOrder");
    order_view(so, at);
    d.customer = party(so, "customer");
    d.order = view(so, "id");
  } else if (name == "CancelServiceOrderStateChangeEvent") {
    const auto& c = field(event, "cancelServiceOrder");
    d.order = view(field(c, "serviceOrder"), "id");
    if (text_of(c, "state") == "done") {
      Order& o = orders[std::string(d.order)];
      if (!o.cancel_done.known() || at.t < o.cancel_done.t)
        o.cancel_done = at;
    }
  } else if (name == "ServiceStateChangeEvent" || name == "ServiceOperatingStatusChangeEvent") {
    const auto& svc = field(event, "service");
    service_view(svc, at);
    const std::string op = text_of(svc, "operatingStatus");
    if (!op.empty())
      services[text_of(svc, "id")].operating.emplace_back(at, intern(op));
    d.customer = party(svc, "customer");
    d.service = view(svc, "id");
  } else if (name == "AlarmCreateEvent" || name == "AlarmStateChangeEvent") {
    const auto& a = field(event, "alarm");
    const std::string id = text_of(a, "id");
    Alarm& alarm = alarms[id];
    alarm.id = id;
    if (alarm.service.empty())
      alarm.service = text_of(field(a, "alarmedObject"), "id");
    const std::string state = text_of(a, "state");
    if (name == "AlarmCreateEvent") {
      if (!alarm.raised.known() || at.t < alarm.raised.t)
        alarm.raised = at;
    }
    if (state == "cleared" && (!alarm.cleared.known() || at.t < alarm.cleared.t))
      alarm.cleared = at;
    d.service = alarm.service;
  } else if (name == "ServiceLevelViolationCreateEvent") {
    const auto& v = field(event, "serviceLevelViolation");
    const std::string id = text_of(v, "id");
    Violation& viol = violations[id];
    if (!viol.sent.known() || at.t < viol.sent.t) {
      viol.id = id;
      viol.service = text_of(field(v, "service"), "id");
      viol.sent = at;
      viol.period_start = parse_time(text_of(field(v, "period"), "startDateTime"));
      viol.period_end = parse_time(text_of(field(v, "period"), "endDateTime"));
    }
    d.service = viol.service;
  } else if (name == "MeasurementCollectionJobStateChangeEvent") {
    const auto& j = field(event, "measurementCollectionJob");
    const std::string state = text_of(j, "executionState");
    Job& job = jobs[text_of(j, "id")];
    if (job.id.empty()) {
      job.id = text_of(j, "id");
      job.service = text_of(field(j, "service"), "id");
    }
    if ((state == "completed" || state == "cancelled" || state == "failed" || state == "rejected") &&
        (!job.ended.known() || at.t < job.ended.t))
      job.ended = at;
    d.service = view(field(j, "service"), "id");
  } else if (name == "PerformanceReportEvent") {
    const auto& r = field(event, "performanceReport");
    const std::string id = text_of(r, "id");
    Report& rep = reports[id];
    if (!rep.sent.known() || at.t < rep.sent.t) {
      rep.id = id;
      rep.job = text_of(field(r, "measurementCollectionJob"), "id");
      rep.service = text_of(field(r, "service"), "id");
      rep.sent = at;
      rep.period_start = parse_time(text_of(field(r, "period"), "startDateTime"));
      rep.period_end = parse_time(text_of(field(r, "period"), "endDateTime"));
      const auto& list = field(r, "measurement");
      if (list.is_array())
        for (const auto& m : list)
          if (field(m, "value").is_number())
            rep.values[text_of(m, "indicator")] = field(m, "value").get<double>();
    }
    d.service = rep.service;
  } else if (name == "UsageCreateEvent" || name == "UsageStateChangeEvent") {
    const auto& u = field(event, "usage");
    d.customer = party(u, "customer");
    d.service = view(field(u, "service"), "id");
  } else if (name == "CustomerBillCreateEvent" || name == "CustomerBillStateChangeEvent") {
    const auto& b = field(event, "customerBill");
    d.customer = party(b, "customer");
  }
  deliver(at, d.callback, "", d.customer, d.service, d.order, name);
}

Read Model::read_of(Stamp at, std::string_view requested, const Json& b) {
  Read r;
  r.at = at;
  r.requested = intern(requested);
  r.id = intern(view(b, "id"));
  r.state = intern(view(b, "state"));
  r.operating = intern(view(b, "operatingStatus"));
  const auto& chars = field(b, "serviceCharacteristic");
  r.characteristics = chars.is_array();
  if (r.characteristics)
    if (const auto* shown = characteristic(chars, "instances")) {
      r.instances_shown = true;
      if (shown->is_number())
        r.instances = shown->get<double>();
      r.instances_text = intern(shown->dump());
    }
  const auto& place = field(b, "place");
  r.placed = place.is_array();
  if (r.placed) {
    r.place_empty = place.empty();
    for (const auto& p : place)
      if (p.is_object() && p.contains("id") && p["id"].is_string())
        r.place.emplace_back(intern(p["id"].get_ref<const std::string&>()), intern(view(p, "jurisdiction")));
  }
  return r;
}

void Model::deliver(Stamp at, std::string_view callback, std::string_view credential, std::string_view customer,
                    std::string_view service, std::string_view order, std::string_view what) {
  // A notification names its listener and no credential, a response the reverse; a message is about a service or
  // an order, never both. So one field of each pair is kept, and a bit says which.
  if ((!callback.empty() && !credential.empty()) || (!service.empty() && !order.empty()))
    throw std::logic_error("a delivery with both a listener and a credential, or both a service and an order");
  Delivery d{};
  d.seq = delivery_count++;
  d.event = at.id;
  d.notified = callback.empty() ? 0 : 1;
  d.party = intern(callback.empty() ? credential : callback);
  d.customer = intern(customer);
  d.about_order = order.empty() ? 0 : 1;
  d.subject = intern(order.empty() ? service : order);
  const Str name = intern(what);
  if (name.id >= (1U << 30))
    throw std::length_error("too many distinct strings for a delivery's name");
  d.what = name.id;
  // Judged now when its verdict can no longer change; the rest waits for the end (the oracle merges both by seq).
  const Ownership o = ownership(d, false);
  if (o.outcome == Ownership::Outcome::unknown)
    deliveries.push_back(d);
  else if (o.outcome == Ownership::Outcome::own)
    ++own_deliveries;
  else if (o.outcome == Ownership::Outcome::foreign)
    foreign_deliveries.push_back({d.seq, d.event, d.what, intern(o.receiver), intern(o.customer), intern(o.owner)});
}

Ownership Model::ownership(const Delivery& d, bool at_end,
                           const std::function<std::string_view(Str service)>& items_customer) const {
  // Judged as the delivery comes (at_end false), a fact not known yet leaves it unknown: it may still come. At the
  // end the same fact missing leaves it not judged.
  using Outcome = Ownership::Outcome;
  Ownership o;
  const Outcome missing = at_end ? Outcome::not_judged : Outcome::unknown;
  o.outcome = missing;
  // The customer: named in the message, else the service's (set by its first view naming one), else the order's
  // (set by its request's answer; at the end, by its first view too). Through the service's items it is found only
  // at the end.
  std::string_view customer = text(d.customer);
  if (customer.empty() && !d.service().empty()) {
    const auto s = services.find(text(d.service()));
    if (s != services.end())
      customer = text(s->second.customer);
    if (customer.empty() && at_end && items_customer)
      customer = items_customer(d.service());
  }
  if (customer.empty() && !d.order().empty()) {
    const auto ord = orders.find(text(d.order()));
    if (ord != orders.end() && (at_end || ord->second.request.known()))
      customer = text(ord->second.customer);
  }
  // The customer's operator, set with the customer (a customer "" may be made again, and is left to the end).
  if (customer.empty() && !at_end)
    return o;
  const auto c = customers.find(customer);
  if (c == customers.end())
    return o;
  if (c->second.op.empty()) {
    o.outcome = Outcome::not_judged;
    return o;
  }
  // The receiver: the operator of the requester's credential, or of the credential that subscribed the listener.
  std::string_view credential = text(d.credential());
  if (!d.callback().empty()) {
    const auto h = hub_credential.find(text(d.callback()));
    if (h == hub_credential.end())
      return o;
    credential = h->second;
  }
  const auto op = credential_op.find(credential);
  if (op == credential_op.end())
    return o;
  o.outcome = c->second.op == op->second ? Outcome::own : Outcome::foreign;
  o.receiver = op->second;
  o.customer = customer;
  o.owner = c->second.op;
  return o;
}

} // namespace i1sim::conformance::world
