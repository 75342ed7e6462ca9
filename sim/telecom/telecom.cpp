// Telecom BSS workload generation, and the Telecom OSS's side of every I1 concern: customers, ordering and
// tracking, inventory checks, alarms, measurement jobs, usage collection and the converged bill.
#include "telecom/telecom.hpp"

#include "i1/spec.hpp"
#include "util/money.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <stdexcept>
#include <utility>

namespace i1sim::telecom {

namespace {
constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kMargin = 60; // s the OSS waits past a deadline before acting on what arrived by then
constexpr const char* kServicePath = "/tmf-api/serviceInventory/v4/service";

nlohmann::json characteristic(std::string_view name, long long value) {
  return {{"name", name}, {"valueType", "integer"}, {"value", value}};
}

nlohmann::json characteristic(std::string_view name, double value) {
  return {{"name", name}, {"valueType", "number"}, {"value", value}};
}

/// `j[key]` when `j` is an object holding a string there, else "": what an implementation sends is never
/// trusted to have the types the profile says.
std::string text(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

const nlohmann::json& member(const nlohmann::json& j, const char* key) {
  static const nlohmann::json none;
  return j.is_object() && j.contains(key) ? j[key] : none;
}

std::int64_t money_value(const nlohmann::json& money) {
  const auto& v = member(money, "value");
  return v.is_number_integer() ? v.get<std::int64_t>() : 0;
}

long long mib(double bytes) { return static_cast<long long>(std::ceil(bytes / kMiB)); }

constexpr int kMaxAttempts = 8; // of one request
constexpr int kMaxPolls = 5;    // reads of one order whose outcome did not come

bool final_order_state(const std::string& state) {
  return state == "completed" || state == "failed" || state == "partial" || state == "rejected" || state == "cancelled";
}

/// A service's lifecycle states in the order they are reached (TMF638); -1 for anything else.
int service_rank(const std::string& state) {
  static const char* const order[] = {"feasibilityChecked", "designed", "reserved", "inactive", "active", "terminated"};
  for (int i = 0; i < 6; ++i)
    if (state == order[i])
      return i;
  return -1;
}

} // namespace

std::string credential_of(const std::string& operator_id) { return "token-" + operator_id; }

std::map<std::string, double> timer_values(const scenario::Scenario& sc) {
  std::map<std::string, double> values;
  for (const auto& t : spec::builtin().timers)
    values[t.name] = t.default_s;
  for (const auto& [name, value] : sc.i1.timers)
    values[name] = value;
  return values;
}

std::string customer_id(int n) { return fmt::format("CUST-{:06}", n); }

std::vector<std::string> customer_operators(const scenario::Scenario& sc, std::uint64_t seed) {
  std::vector<std::string> ops;
  const auto count = static_cast<std::size_t>(std::max(0, sc.customers.count));
  ops.reserve(count);
  const auto& shares = sc.customers.operators;
  if (shares.empty()) {
    for (std::size_t i = 0; i < count; ++i)
      ops.push_back(sc.i1.operators[i % sc.i1.operators.size()]);
    return ops;
  }
  // A stream of its own, so that the draws of every other stream stay what they were.
  Random rng = Random::for_stream(seed, "customers.operators");
  double total = 0;
  for (const auto& share : shares)
    total += share.weight;
  for (std::size_t i = 0; i < count; ++i) {
    double pick = rng.uniform() * total;
    std::string op = shares.back().op;
    for (const auto& share : shares) {
      if (pick < share.weight) {
        op = share.op;
        break;
      }
      pick -= share.weight;
    }
    ops.push_back(std::move(op));
  }
  return ops;
}

std::string operator_of(const scenario::Scenario& sc, std::uint64_t seed, int n) {
  return customer_operators(sc, seed).at(static_cast<std::size_t>(n - 1));
}

std::string request_corr(std::uint64_t n) { return fmt::format("REQ-{:07}", n); }

std::uint64_t request_number(std::string_view corr) {
  constexpr std::string_view prefix = "REQ-";
  // Up to 18 digits: no overflow, and far past any run.
  if (corr.size() < prefix.size() + 7 || corr.size() > prefix.size() + 18 || corr.substr(0, prefix.size()) != prefix)
    return 0;
  std::uint64_t n = 0;
  for (const char ch : corr.substr(prefix.size())) {
    if (ch < '0' || ch > '9')
      return 0;
    n = n * 10 + static_cast<std::uint64_t>(ch - '0');
  }
  // Only the one spelling request_corr gives: REQ-00000001 (eight digits) is not REQ-0000001.
  return n > 0 && request_corr(n) == corr ? n : 0;
}

std::string change_external_id(std::string_view product, unsigned n) { return fmt::format("{}-C{}", product, n); }

bool split_change_external_id(std::string_view external_id, std::string_view& product, unsigned& n) {
  const auto c = external_id.rfind("-C");
  if (c == std::string_view::npos)
    return false;
  const std::string_view digits = external_id.substr(c + 2);
  if (digits.empty() || digits.size() > 5 || digits.front() == '0')
    return false;
  unsigned v = 0;
  for (const char ch : digits) {
    if (ch < '0' || ch > '9')
      return false;
    v = v * 10 + static_cast<unsigned>(ch - '0');
  }
  if (v > UINT16_MAX)
    return false;
  product = external_id.substr(0, c);
  n = v;
  return true;
}

std::int32_t usage_cycle(std::int64_t from_ms, std::int64_t cycle_ms) {
  if (cycle_ms <= 0 || from_ms < 0 || from_ms / cycle_ms >= INT32_MAX)
    return -1;
  return static_cast<std::int32_t>(from_ms / cycle_ms);
}

// ---------------------------------------------------------------------------------------------- Telecom OSS

TelecomOss::TelecomOss(simgrid::s4u::Host* host, const scenario::Scenario& sc, std::uint64_t seed,
                       trace::EventStream& events)
    : Daemon(host->get_name(), host)
    , sc_(&sc)
    , events_(&events)
    , binding_(events)
    , rng_(Random::for_stream(seed, host->get_name()))
    , timers_(timer_values(sc))
    , customer_ops_(customer_operators(sc, seed))
    , lossy_(std::any_of(sc.timeline.begin(), sc.timeline.end(), [](const scenario::Fault& f) {
      using K = scenario::Fault::Kind;
      return f.kind == K::channel || f.kind == K::cloud_restart || f.kind == K::link_cut;
    })) {}

void TelecomOss::set_channel(faults::ChannelFaults* channel) {
  binding_.set_channel(channel, [this](double delay, std::function<void()> fn) { after(delay, std::move(fn)); });
}

TelecomOss::Ms TelecomOss::ms(double seconds) { return std::llround(seconds * 1000.0); }

TelecomOss::Ms TelecomOss::cycle_ms() const { return ms(sc_->billing.cycle); }

std::uint16_t TelecomOss::request_name(const std::string& name) {
  const std::uint32_t id = request_names_.id(name);
  if (id > UINT16_MAX) // operators and operation types: a handful
    throw std::length_error("too many operators and operation types");
  return static_cast<std::uint16_t>(id);
}

void TelecomOss::request(const std::string& op, std::string type, std::string target, nlohmann::json body,
                         Pending pending) {
  const std::uint64_t id = ++next_outstanding_;
  sent_.push_back(Sent{request_name(op), request_name(type), request_name(pending.type), false});
  if (pending.type == "createHub" || pending.type == "createMeasurementCollectionJob")
    created_.emplace(id, pending.subject);
  outstanding_[id] = Outstanding{op, std::move(type), std::move(target), std::move(body), std::move(pending), 0, 0};
  attempt(id);
}

void TelecomOss::attempt(std::uint64_t id) {
  Outstanding& o = outstanding_.at(id);
  ++o.attempts;
  o.sent = now();
  const std::string corr = request_corr(++next_request_);
  attempts_.push_back(static_cast<std::uint32_t>(id));
  Message m{MessageKind::request, o.type, corr, 0, o.target, o.body, {}};
  if (sc_->i1.profile == "X")
    m.credential = credential_of(o.op);
  binding_.send(*this, *cloud_, std::move(m), Direction::telecom_to_cloud);
  // No answer in time: the request or its answer was lost, or the Cloud side is down. Every request may be
  // sent again: reads and idempotent changes as they are, a service order with its externalId, and what a
  // repeated creation makes twice is given back (see answered_again). Only service orders are watched in a
  // run whose I1 frames cannot be lost (see lossy_).
  if (lossy_ || o.type == "createServiceOrder")
    after(retry_wait(o.attempts), [this, id, n = o.attempts] { no_answer(id, n); });
}

double TelecomOss::retry_wait(int attempt) {
  // At least 2 x T_response; more when the Cloud side answers slowly (a queue builds up at saturation), so
  // that a slow answer is waited for instead of asked for again (the retransmission timeout of RFC 6298).
  const double floor = 2 * timers_["T_response"];
  const double rto = srtt_ < 0 ? floor : std::max(floor, srtt_ + 4 * rttvar_);
  return rto * std::ldexp(1.0, attempt - 1);
}

void TelecomOss::no_answer(std::uint64_t id, int attempt_number) {
  const auto it = outstanding_.find(id);
  if (it == outstanding_.end() || it->second.attempts != attempt_number) // answered, or sent again since
    return;
  Outstanding& o = it->second;
  const bool order = o.pending.type == "createServiceOrder";
  if (attempt_number >= kMaxAttempts) {
    sent_[id - 1].answered = true;
    const auto given_up = outstanding_.extract(it); // a later answer is recognised by sent_ alone
    const Outstanding& g = given_up.mapped();
    events_->emit(trace::Category::tester, "request.abandoned",
                  {{"operation", g.type}, {"subject", g.pending.subject}, {"attempts", attempt_number}});
    if (order)
      resolve(products_.at(g.pending.subject), false,
              fmt::format("no answer to the service order after {} attempts", attempt_number));
    return;
  }
  if (order)
    events_->emit(trace::Category::tester, "order.retried",
                  {{"productOrder", o.pending.subject},
                   {"externalId", text(o.body, "externalId")},
                   {"attempt", attempt_number + 1}});
  else
    events_->emit(trace::Category::tester, "request.retried",
                  {{"operation", o.type}, {"subject", o.pending.subject}, {"attempt", attempt_number + 1}});
  attempt(id);
}

void TelecomOss::on_start() {
  for (const auto& op : sc_->i1.operators)
    request(op, "createHub", "/tmf-api/i1/v1/hub", {{"callback", listener_address(op)}}, {"createHub", op});
  sync_customers();
  if (sc_->billing.cycle > 0)
    for (int c = 0; c < sc_->billing.cycles; ++c) {
      const double close = sc_->billing.cycle * (c + 1);
      after(close + timers_["T_usage"] + kMargin, [this, c] { collect_usage(c); });
      after(close + timers_["T_bill"] + kMargin, [this, c] { bill_cycle(c); });
    }
  if (sc_->telecom.bill_on_demand_at > 0)
    after(sc_->telecom.bill_on_demand_at, [this] { bills_on_demand(); });
  for (const auto& probe : sc_->telecom.probes)
    after(probe.at, [this, kind = probe.kind] { run_probe(kind); });
}

void TelecomOss::sync_customers() {
  // Every customer's allowed jurisdictions are drawn from the scenario's shares; without shares, a customer
  // allows every jurisdiction the platform has.
  std::vector<std::string> all;
  for (const auto& dc : sc_->platform.data_centres)
    if (std::find(all.begin(), all.end(), dc.jurisdiction) == all.end())
      all.push_back(dc.jurisdiction);
  double total = 0;
  for (const auto& share : sc_->customers.jurisdictions)
    total += share.weight;
  for (int n = 1; n <= sc_->customers.count; ++n) {
    Customer c;
    c.id = customer_id(n);
    c.op = customer_ops_[static_cast<std::size_t>(n - 1)];
    const std::vector<std::string>* allowed = &all;
    if (!sc_->customers.jurisdictions.empty()) {
      double pick = rng_.uniform() * total;
      allowed = &sc_->customers.jurisdictions.back().allowed;
      for (const auto& share : sc_->customers.jurisdictions) {
        if (pick < share.weight) {
          allowed = &share.allowed;
          break;
        }
        pick -= share.weight;
      }
    }
    c.allowed = allowed_set(*allowed);
    request(c.op, "createCustomer", "/tmf-api/customerManagement/v4/customer",
            {{"id", c.id},
             {"name", fmt::format("Customer {}", n)},
             {"relatedParty", {{{"id", c.op}, {"role", "operator"}}}},
             {"allowedJurisdiction", *allowed},
             {"currency", sc_->billing.currency}},
            {"createCustomer", c.id});
    customers_[c.id] = std::move(c);
  }
}

std::uint32_t TelecomOss::allowed_set(const std::vector<std::string>& allowed) {
  const auto known = std::find(allowed_sets_.begin(), allowed_sets_.end(), allowed);
  if (known != allowed_sets_.end())
    return static_cast<std::uint32_t>(known - allowed_sets_.begin());
  allowed_sets_.push_back(allowed);
  return static_cast<std::uint32_t>(allowed_sets_.size() - 1);
}

void TelecomOss::on_envelope(world::Envelope&& envelope) {
  if (auto* po = std::get_if<world::ProductOrder>(&envelope)) {
    Customer& c = customers_.at(po->customer);
    if (c.synced && subscribed_.count(c.op))
      submit(*po);
    else {
      c.waiting.push_back(std::move(*po));
      waiting_.insert(c.id);
    }
    return;
  }
  if (auto* ch = std::get_if<world::ProductChange>(&envelope)) {
    change(*ch);
    return;
  }
  if (auto* frame = std::get_if<world::I1Frame>(&envelope)) {
    auto m = binding_.deliver(*frame);
    if (!m)
      return;
    if (m->kind == MessageKind::response)
      on_response(*m);
    else if (m->kind == MessageKind::notification)
      on_notification(*m);
  }
}

void TelecomOss::submit(const world::ProductOrder& po) {
  const scenario::Product* product = sc_->catalogue.find_product(po.product);
  nlohmann::json items = nlohmann::json::array();
  int n = 0;
  for (const auto& id : product->cloud_services) {
    const scenario::CloudServiceSpec& cs = *sc_->catalogue.find_cloud_service(id);
    nlohmann::json chars =
        nlohmann::json::array({characteristic(characteristic::instances, static_cast<long long>(cs.instances)),
                               characteristic(characteristic::vcpu, static_cast<long long>(cs.vcpu)),
                               characteristic(characteristic::memory_mib, mib(cs.ram)),
                               characteristic(characteristic::storage_mib, mib(cs.storage))});
    if (cs.min_core_speed > 0)
      chars.push_back(characteristic(characteristic::min_core_speed, cs.min_core_speed / 1e9));
    if (cs.max_activation_time > 0)
      chars.push_back(characteristic(characteristic::max_activation, cs.max_activation_time));
    if (cs.sla.availability_millipercent > 0)
      chars.push_back(
          characteristic(characteristic::availability, static_cast<double>(cs.sla.availability_millipercent) / 1000.0));
    items.push_back({{"id", std::to_string(++n)},
                     {"action", "add"},
                     {"service", {{"serviceSpecification", {{"id", cs.id}}}, {"serviceCharacteristic", chars}}}});
  }
  const Customer& c = customers_.at(po.customer);
  const auto entry = products_.try_emplace(po.id).first;
  Product& p = entry->second;
  p.key = &entry->first;
  p.customer = names_.id(po.customer);
  p.product = names_.id(po.product);
  p.op = names_.id(c.op);
  nlohmann::json body{{"externalId", po.id},
                      {"description", product->name},
                      {"relatedParty", {{{"id", po.customer}, {"role", "customer"}}}},
                      {"serviceOrderItem", items}};
  events_->emit(trace::Category::tester, "order.submitted",
                {{"productOrder", po.id}, {"customer", po.customer}, {"product", po.product}, {"operator", c.op}});
  // Idempotency is exercised on purpose: a share of the orders is sent a second time, as a retry would be.
  const bool resend = sc_->telecom.resend_share > 0 && rng_.uniform() < sc_->telecom.resend_share;
  const bool cancel = sc_->telecom.cancel_share > 0 && rng_.uniform() < sc_->telecom.cancel_share;
  send_order(c.op, body, {"createServiceOrder", po.id, cancel ? Purpose::terminate : Purpose::activation});
  if (resend)
    after(2, [this, op = c.op, body, id = po.id] {
      request(op, "createServiceOrder", "/tmf-api/serviceOrdering/v4/serviceOrder", body, {"replayServiceOrder", id});
    });
}

void TelecomOss::send_order(const std::string& op, const nlohmann::json& body, const Pending& pending) {
  request(op, "createServiceOrder", "/tmf-api/serviceOrdering/v4/serviceOrder", body, pending);
}

void TelecomOss::change(const world::ProductChange& ch) {
  Product& p = products_.at(ch.id);
  if (!p.active || p.terminated || p.services.empty()) { // nothing to change: say so, the BSS waits for it
    events_->emit(trace::Category::tester, "product.change_refused",
                  {{"productOrder", p.id()}, {"status", 0}, {"reason", "the product is not active"}});
    send(*bss_,
         world::ProductStatus{p.id(), false, "not active",
                              ch.kind == world::ProductChange::Kind::modify ? world::ProductStatus::Kind::modified
                                                                            : world::ProductStatus::Kind::terminated},
         world::kProductMessageBytes);
    return;
  }
  nlohmann::json items = nlohmann::json::array();
  Purpose purpose = Purpose::modify;
  if (ch.kind == world::ProductChange::Kind::modify) {
    items.push_back({{"id", "1"},
                     {"action", "modify"},
                     {"service",
                      {{"id", p.services.front()},
                       {"serviceCharacteristic",
                        {characteristic(characteristic::instances, static_cast<long long>(ch.instances))}}}}});
  } else {
    purpose = Purpose::terminate;
    int n = 0;
    for (const auto& s : p.services) {
      items.push_back({{"id", std::to_string(++n)}, {"action", "delete"}, {"service", {{"id", s}}}});
      if (const auto job = jobs_.find(s); job != jobs_.end()) { // its measurements end with it
        request(named(p.op), "deleteMeasurementCollectionJob",
                "/tmf-api/performance/v4/measurementCollectionJob/" + job->second, nullptr,
                {"deleteMeasurementCollectionJob", job->second});
        jobs_.erase(job);
      }
    }
  }
  if (p.changes == 16) // the BSS changes a product twice at most
    throw std::length_error("more than 16 changes of product " + p.id());
  const std::string external_id = change_external_id(p.id(), ++p.changes);
  if (purpose == Purpose::terminate)
    p.terminating = static_cast<std::uint16_t>(p.terminating | 1U << (p.changes - 1));
  send_order(named(p.op),
             {{"externalId", external_id},
              {"relatedParty", {{{"id", named(p.customer)}, {"role", "customer"}}}},
              {"serviceOrderItem", items}},
             {"createServiceOrder", p.id(), purpose});
}

void TelecomOss::on_response(const Message& m) {
  if (const auto probe = probes_pending_.find(m.correlation_id); probe != probes_pending_.end()) {
    const ProbeRequest p = probe->second;
    probes_pending_.erase(probe); // only the first answer is acted on; a duplicate is unexpected
    probe_answered(m, p);
    return;
  }
  const std::uint64_t number = request_number(m.correlation_id);
  if (number == 0 || number > attempts_.size()) {
    events_->emit(trace::Category::tester, "response.unexpected", {{"corr", m.correlation_id}, {"status", m.status}});
    return;
  }
  const std::uint64_t id = attempts_[number - 1];
  if (sent_[id - 1].answered) {
    answered_again(m, id);
    return;
  }
  // Only the first answer is acted on: the request is kept no longer, but for what sent_ holds of it.
  sent_[id - 1].answered = true;
  const auto first = outstanding_.extract(id);
  const Outstanding& o = first.mapped();
  if (o.attempts == 1) { // an answer to a request sent once times the round trip without doubt (Karn)
    const double sample = now() - o.sent;
    if (srtt_ < 0) {
      srtt_ = sample;
      rttvar_ = sample / 2;
    } else {
      rttvar_ = 0.75 * rttvar_ + 0.25 * std::abs(srtt_ - sample);
      srtt_ = 0.875 * srtt_ + 0.125 * sample;
    }
  }
  answered(m, o);
}

void TelecomOss::answered_again(const Message& m, std::uint64_t request_id) {
  // A duplicated answer, or the answer to an attempt that a later one overtook: already acted on.
  const Sent o = sent_[request_id - 1];
  events_->emit(trace::Category::tester, "response.duplicate",
                {{"corr", m.correlation_id},
                 {"operation", request_names_.text(o.type)},
                 {"status", m.status},
                 {"ignored", ++ignored_responses_}});
  if (m.status != 201)
    return;
  // A creation that two attempts made twice: the second resource is given back.
  const std::string id = text(m.body, "id");
  const std::string& pending_type = request_names_.text(o.pending_type);
  const std::string op = request_names_.text(o.op); // a copy: request() below may add names
  if (pending_type == "createHub") {
    const std::string& subject = created_.at(request_id);
    const auto hub = hubs_.find(subject);
    if (!id.empty() && hub != hubs_.end() && hub->second != id)
      request(op, "deleteHub", "/tmf-api/i1/v1/hub/" + id, nullptr, {"deleteHub", subject});
  } else if (pending_type == "createMeasurementCollectionJob") {
    const auto job = jobs_.find(created_.at(request_id));
    if (!id.empty() && (job == jobs_.end() || job->second != id))
      request(op, "deleteMeasurementCollectionJob", "/tmf-api/performance/v4/measurementCollectionJob/" + id, nullptr,
              {"deleteMeasurementCollectionJob", id});
  }
}

void TelecomOss::answered(const Message& m, const Outstanding& o) {
  const Pending& p = o.pending;
  const std::string reason = text(m.body, "reason");
  if (p.type == "createHub") {
    if (m.status != 201) {
      events_->emit(trace::Category::tester, "hub.refused",
                    {{"operator", p.subject}, {"status", m.status}, {"reason", reason}});
      return; // orders of this operator's customers wait for ever and stay unresolved: the run reports it
    }
    subscribed_.insert(p.subject);
    hubs_[p.subject] = text(m.body, "id");
  } else if (p.type == "createMeasurementCollectionJob") {
    if (m.status == 201)
      jobs_[p.subject] = text(m.body, "id");
  } else if (p.type == "listService") {
    if (const auto part = audit_parts_.find(p.subject); part != audit_parts_.end()) {
      audited(part->second, m);
      audit_parts_.erase(part);
    }
  } else if (p.type == "listAlarm") {
    events_->emit(trace::Category::tester, "alarms.open",
                  {{"operator", p.subject}, {"raised", m.body.is_array() ? m.body.size() : 0}});
    // An alarm whose notification was lost is acknowledged from the list instead.
    if (lossy_ && m.body.is_array())
      for (const auto& alarm : m.body)
        if (text(alarm, "ackState") != "acknowledged" && !text(alarm, "id").empty())
          request(p.subject, "ackAlarms", "/tmf-api/alarm/v4/ackAlarms",
                  {{"alarmPattern", {{{"id", text(alarm, "id")}}}}, {"ackSystemId", "telecom-oss"}},
                  {"ackAlarms", text(alarm, "id")});
  } else if (p.type == "retrieveServiceOrder") {
    events_->emit(trace::Category::tester, "order.cancelled",
                  {{"serviceOrder", p.subject}, {"status", m.status}, {"state", text(m.body, "state")}});
  } else if (p.type == "createCustomer") {
    Customer& c = customers_.at(p.subject);
    if (m.status != 201 && m.status != 200) {
      events_->emit(trace::Category::tester, "customer.refused",
                    {{"customer", c.id}, {"status", m.status}, {"reason", reason}});
      return;
    }
    c.synced = true;
  } else if (p.type == "createServiceOrder") {
    if ((m.status == 201 || m.status == 200) && !text(m.body, "id").empty()) {
      const std::string order_id = text(m.body, "id");
      if (const auto ext = external(text(m.body, "externalId"))) {
        watch_order(order_id, add_order(order_id, *ext));
      }
      Product& prod = products_.at(p.subject);
      if (const OrderRef* ref = find_order(order_id); ref && ref->purpose == Purpose::activation) {
        prod.order_id = order_id;
        replayed(prod);
        if (p.purpose == Purpose::terminate) // a customer who changed their mind at once
          after(0.5, [this, op = named(prod.op), order_id] {
            request(op, "createCancelServiceOrder", "/tmf-api/serviceOrdering/v4/cancelServiceOrder",
                    {{"serviceOrder", {{"id", order_id}}}, {"cancellationReason", "customer request"}},
                    {"createCancelServiceOrder", order_id});
          });
      }
      on_order(m.body); // a notification may have overtaken the response, or the order be final already
      return;
    }
    Product& prod = products_.at(p.subject);
    if (p.purpose == Purpose::activation || !prod.resolved)
      resolve(prod, false, fmt::format("order refused ({}): {}", m.status, reason));
    else {
      events_->emit(trace::Category::tester, "product.change_refused",
                    {{"productOrder", prod.id()}, {"status", m.status}, {"reason", reason}});
      send(*bss_,
           world::ProductStatus{prod.id(), false, reason,
                                p.purpose == Purpose::modify ? world::ProductStatus::Kind::modified
                                                             : world::ProductStatus::Kind::terminated},
           world::kProductMessageBytes);
    }
  } else if (p.type == "replayServiceOrder") {
    Product& prod = products_.at(p.subject);
    replays_[&prod] = {m.status, text(m.body, "id")};
    // The original's own answer may not be in yet (lost, or overtaken): then the comparison waits for it.
    if (!prod.order_id.empty() || (m.status != 200 && m.status != 201))
      replayed(prod);
  } else if (p.type == "retrieveService") {
    // Regulation: where the service runs, as the inventory reports it, against what the customer allows.
    const auto prod = products_.find(p.subject);
    if (m.status != 200 || prod == products_.end())
      return;
    const Customer& c = customers_.at(named(prod->second.customer));
    const std::vector<std::string>& jurisdictions = allowed_sets_[c.allowed];
    nlohmann::json places = nlohmann::json::array();
    bool allowed = true;
    for (const auto& place : member(m.body, "place")) {
      const std::string j = text(place, "jurisdiction");
      allowed = allowed && std::find(jurisdictions.begin(), jurisdictions.end(), j) != jurisdictions.end();
      places.push_back({{"dc", text(place, "id")}, {"jurisdiction", j}});
    }
    events_->emit(trace::Category::tester, "service.placed",
                  {{"service", text(m.body, "id")}, {"customer", c.id}, {"places", places}, {"allowed", allowed}});
  } else if (p.type == "listUsage") {
    if (m.status == 200 && m.body.is_array())
      for (const auto& u : m.body)
        add_usage(u, true);
  } else if (p.type == "createCustomerBillOnDemand") {
    const auto& bill = member(m.body, "customerBill");
    events_->emit(
        trace::Category::tester, "bill.on_demand",
        {{"customer", p.subject}, {"status", m.status}, {"amountDue", money_value(member(bill, "amountDue"))}});
  } else if (p.type == "pollServiceOrder") {
    if (m.status != 200)
      return; // the next round asks again
    on_order(m.body);
    const OrderRef* ref = find_order(p.subject);
    if (!ref || ref->purpose != Purpose::activation)
      return;
    const Product& prod = *ref->product;
    if (prod.resolved || named(prod.order_state) != "completed")
      return;
    for (const auto& s : prod.services) { // completed, but the services' own states did not come
      const auto* states = prod.service_state.get();
      const auto st = states ? states->find(s) : std::map<std::string, std::string>::const_iterator();
      if (!states || st == states->end() || st->second != "active")
        request(named(prod.op), "retrieveService", "/tmf-api/serviceInventory/v4/service/" + s, nullptr,
                {"pollService", prod.id()});
    }
    return;
  } else if (p.type == "pollService") {
    const auto prod = products_.find(p.subject);
    if (m.status != 200 || prod == products_.end())
      return;
    advance_service(prod->second, text(m.body, "id"), text(m.body, "state"));
    on_order(nlohmann::json{{"id", prod->second.order_id}, {"state", named(prod->second.order_state)}});
    return;
  } else if ((p.type == "deleteHub" || p.type == "deleteMeasurementCollectionJob") && m.status == 404 &&
             (o.attempts > 1 || lossy_)) {
    // An earlier attempt, or an earlier copy of this one, deleted it and its answer was lost.
  } else if (m.status >= 400) {
    events_->emit(trace::Category::tester, "request.refused",
                  {{"operation", p.type}, {"subject", p.subject}, {"status", m.status}, {"reason", reason}});
  }
  // Customers synchronised and subscriptions in place: the orders that waited for them go out.
  for (auto w = waiting_.begin(); w != waiting_.end();) {
    Customer& c = customers_.at(*w);
    if (!c.synced || !subscribed_.count(c.op)) {
      ++w;
      continue;
    }
    const std::vector<world::ProductOrder> orders = std::exchange(c.waiting, {});
    for (const world::ProductOrder& po : orders) // in the order they were bought
      submit(po);
    w = waiting_.erase(w);
  }
}

void TelecomOss::on_notification(const Message& m) {
  // A listener answers every event it receives, as a TM Forum listener answers the POST.
  Message ack{MessageKind::response, m.type, m.correlation_id, 204, "", nlohmann::json::object(), {}};
  binding_.send(*this, *cloud_, std::move(ack), Direction::telecom_to_cloud);
  const std::string probe_suffix = "/probe";
  if (m.target.size() > probe_suffix.size() &&
      m.target.compare(m.target.size() - probe_suffix.size(), probe_suffix.size(), probe_suffix) == 0)
    return; // the hubQuery probe's listener only hears: what it receives is judged from the stream
  // Delivered at least once: what was heard already (a duplicate, or a redelivery after a lost answer) is
  // answered again but not acted on again.
  const std::string event_id = text(m.body, "eventId");
  if (!event_id.empty() && !events_heard_.insert(event_id)) {
    events_->emit(trace::Category::tester, "notification.duplicate",
                  {{"eventId", event_id}, {"name", m.type}, {"ignored", ++ignored_notifications_}});
    return;
  }

  const auto& event = member(m.body, "event");
  if (m.type == "ServiceOrderStateChangeEvent" || m.type == "ServiceOrderItemStateChangeEvent") {
    on_order(member(event, "serviceOrder"));
  } else if (m.type == "ServiceStateChangeEvent") {
    const auto& svc = member(event, "service");
    const std::string order_id = text(member(svc, "serviceOrder"), "id");
    if (const OrderRef* ref = find_order(order_id)) {
      Product& p = *ref->product;
      advance_service(p, text(svc, "id"), text(svc, "state"));
      if (ref->purpose == Purpose::activation)
        on_order(nlohmann::json{{"id", order_id}, {"state", named(p.order_state)}});
    }
  } else if (m.type == "CancelServiceOrderStateChangeEvent") {
    const auto& task = member(event, "cancelServiceOrder");
    if (text(task, "state") == "done") { // read the order back: it must say cancelled
      const std::string order_id = text(member(task, "serviceOrder"), "id");
      if (const OrderRef* ref = find_order(order_id))
        request(named(ref->product->op), "retrieveServiceOrder", "/tmf-api/serviceOrdering/v4/serviceOrder/" + order_id,
                nullptr, {"retrieveServiceOrder", order_id});
    }
  } else if (m.type == "AlarmCreateEvent") {
    const auto& alarm = member(event, "alarm");
    // The operator acknowledges every alarm it is told about (and thereby exercises the acknowledgement).
    std::string op = sc_->i1.operators.front(); // the operator whose listener the alarm was posted to
    for (const auto& candidate : sc_->i1.operators)
      if (m.target == listener_address(candidate))
        op = candidate;
    request(op, "ackAlarms", "/tmf-api/alarm/v4/ackAlarms",
            {{"alarmPattern", {{{"id", text(alarm, "id")}}}}, {"ackSystemId", "telecom-oss"}},
            {"ackAlarms", text(alarm, "id")});
  } else if (m.type == "UsageCreateEvent") {
    add_usage(member(event, "usage"), false);
  } else if (m.type == "CustomerBillCreateEvent") {
    const auto& bill = member(event, "customerBill");
    std::string customer;
    for (const auto& party : member(bill, "relatedParty"))
      if (text(party, "role") == "customer")
        customer = text(party, "id");
    const double start = parse_iso_timestamp(text(member(bill, "billingPeriod"), "startDateTime"));
    if (customer.empty() || start < 0 || cycle_ms() <= 0)
      return;
    CloudBill cb;
    cb.id = text(bill, "id");
    cb.due = money_value(member(bill, "amountDue"));
    for (const auto& rate : member(bill, "appliedBillingRate")) {
      if (text(rate, "type") == "usage")
        cb.usage += money_value(member(rate, "amount"));
      else if (text(rate, "type") == "slaCredit")
        cb.credits -= money_value(member(rate, "amount")); // credits are negative on the bill
    }
    cloud_bills_[{customer, static_cast<int>(ms(start) / cycle_ms())}] = cb;
  }
}

void TelecomOss::on_order(const nlohmann::json& order) {
  const std::string order_id = text(order, "id");
  OrderRef* ref = find_order(order_id);
  if (!ref) {
    const auto ext = external(text(order, "externalId"));
    if (!ext)
      return;
    ref = &add_order(order_id, *ext);
    watch_order(order_id, *ref); // its answer was overtaken, or lost
  }
  // Nothing below hears of a new order (requests and statuses are only sent), so the reference stays valid.
  OrderRef& r = *ref;
  Product& p = *r.product;
  const std::string state = text(order, "state");
  if (r.purpose == Purpose::activation) {
    if (p.order_id.empty()) {
      p.order_id = order_id;
      replayed(p);
    }
    if (!state.empty() && !final_order_state(named(p.order_state))) // a late older state does not undo a final one
      p.order_state = names_.id(state);
    for (const auto& item : member(order, "serviceOrderItem")) {
      const std::string id = text(member(item, "service"), "id");
      if (!id.empty() && std::find(p.services.begin(), p.services.end(), id) == p.services.end())
        p.services.push_back(id);
    }
    const std::string& order_state = named(p.order_state);
    if (order_state == "completed") {
      bool all = !p.services.empty() && p.service_state;
      for (const auto& s : p.services) {
        if (!all)
          break;
        const auto st = p.service_state->find(s);
        all = st != p.service_state->end() && st->second == "active";
      }
      if (all)
        product_activated(p);
    } else if (order_state == "failed" || order_state == "partial" || order_state == "rejected" ||
               order_state == "cancelled") {
      std::string why = "service order " + order_state;
      for (const auto& err : member(order, "errorMessage"))
        why += ": " + text(err, "code");
      resolve(p, false, why);
    }
    return;
  }
  if (r.done || (state != "completed" && state != "failed" && state != "partial" && state != "rejected"))
    return;
  r.done = true;
  const bool ok = state == "completed";
  if (r.purpose == Purpose::terminate) {
    if (ok) {
      p.terminated = true;
      p.active_to = ms(now());
    }
    events_->emit(trace::Category::tester, ok ? "product.terminated" : "product.terminate_failed",
                  {{"productOrder", p.id()}, {"customer", named(p.customer)}, {"serviceOrder", order_id}});
    send(*bss_, world::ProductStatus{p.id(), ok, state, world::ProductStatus::Kind::terminated},
         world::kProductMessageBytes);
  } else {
    events_->emit(trace::Category::tester, ok ? "product.modified" : "product.modify_failed",
                  {{"productOrder", p.id()}, {"customer", named(p.customer)}, {"serviceOrder", order_id}});
    send(*bss_, world::ProductStatus{p.id(), ok, state, world::ProductStatus::Kind::modified},
         world::kProductMessageBytes);
  }
}

void TelecomOss::replayed(Product& p) {
  const auto replay = replays_.find(&p);
  if (replay == replays_.end())
    return;
  const auto [status, id] = replay->second;
  replays_.erase(replay);
  events_->emit(trace::Category::tester, "order.replayed",
                {{"productOrder", p.id()},
                 {"status", status},
                 {"serviceOrder", id},
                 {"original", p.order_id},
                 // 201 too: when the original was lost on its way, the replay is the one that creates the order
                 {"same", (status == 200 || status == 201) && !p.order_id.empty() && id == p.order_id}});
}

void TelecomOss::advance_service(Product& p, const std::string& service, const std::string& state) {
  if (p.resolved) // the states only decide when the product becomes active (resolve drops them)
    return;
  if (!p.service_state)
    p.service_state = std::make_unique<std::map<std::string, std::string>>();
  std::string& known = (*p.service_state)[service];
  if (known.empty() || service_rank(state) > service_rank(known))
    known = state;
}

double TelecomOss::patience(const OrderRef& ref) const {
  // Beyond this a conformant Cloud side has reported the outcome: an activation fails at its deadline.
  double longest = timers_.at("T_activation");
  if (ref.purpose == Purpose::activation)
    if (const scenario::Product* product = sc_->catalogue.find_product(named(ref.product->product)))
      for (const auto& id : product->cloud_services)
        if (const auto* cs = sc_->catalogue.find_cloud_service(id); cs && cs->max_activation_time > 0)
          longest = std::max(longest, cs->max_activation_time);
  return longest + 2 * timers_.at("T_notify") + kMargin;
}

void TelecomOss::watch_order(const std::string& order_id, OrderRef& ref) {
  if (!lossy_ || ref.watched)
    return;
  ref.watched = true;
  after(patience(ref), [this, order_id] { check_order(order_id, 1); });
}

TelecomOss::OrderRef* TelecomOss::find_order(std::string_view id) {
  std::uint32_t n = 0;
  if (!order_ids_.find(id, n) || n >= orders_.size() || !orders_[n].product)
    return nullptr;
  return &orders_[n];
}

TelecomOss::OrderRef& TelecomOss::add_order(std::string_view id, const OrderRef& ref) {
  const std::uint32_t n = order_ids_.id(id); // "" is id 0: an order named by no id is kept like any other
  if (n >= orders_.size())
    orders_.resize(n + 1);
  if (!orders_[n].product)
    orders_[n] = ref;
  return orders_[n];
}

std::optional<TelecomOss::OrderRef> TelecomOss::external(const std::string& external_id) {
  // A product's activation order has its product order id as externalId, its changes change_external_id.
  if (const auto p = products_.find(external_id); p != products_.end())
    return OrderRef{&p->second, Purpose::activation};
  std::string_view id;
  unsigned n = 0;
  if (!split_change_external_id(external_id, id, n))
    return std::nullopt;
  const auto p = products_.find(std::string(id));
  if (p == products_.end() || n > p->second.changes)
    return std::nullopt;
  return OrderRef{&p->second, p->second.terminating >> (n - 1) & 1U ? Purpose::terminate : Purpose::modify};
}

void TelecomOss::check_order(const std::string& order_id, int round) {
  // The outcome did not come (its notifications were lost and not sent again): the order is read back.
  const OrderRef& ref = *find_order(order_id); // watched, so kept
  const Product& p = *ref.product;
  if ((ref.purpose == Purpose::activation ? p.resolved : ref.done) || round > kMaxPolls)
    return;
  events_->emit(trace::Category::tester, "order.polled",
                {{"serviceOrder", order_id}, {"productOrder", p.id()}, {"round", round}});
  request(named(p.op), "retrieveServiceOrder", "/tmf-api/serviceOrdering/v4/serviceOrder/" + order_id, nullptr,
          {"pollServiceOrder", order_id});
  after(patience(ref), [this, order_id, round] { check_order(order_id, round + 1); });
}

void TelecomOss::product_activated(Product& p) {
  if (p.resolved)
    return;
  p.active_from = ms(now());
  const std::string& op = named(p.op);
  for (const auto& s : p.services) {
    events_->emit(trace::Category::tester, "service.ordered",
                  {{"productOrder", p.id()}, {"customer", named(p.customer)}, {"operator", op}, {"service", s}});
    // Regulation: read back where it runs.
    request(op, "retrieveService", "/tmf-api/serviceInventory/v4/service/" + s, nullptr, {"retrieveService", p.id()});
    if (sc_->telecom.measurement_granularity > 0) {
      const double g = sc_->telecom.measurement_granularity;
      const char* granularity = g == 900 ? "g_15mn" : g == 1800 ? "g_30mn" : g == 3600 ? "g_1h" : "g_24h";
      request(op, "createMeasurementCollectionJob", "/tmf-api/performance/v4/measurementCollectionJob",
              {{"service", {{"id", s}}},
               {"granularity", granularity},
               {"performanceIndicator", {"allocatedVcpu", "availability", "downtime"}}},
              {"createMeasurementCollectionJob", s});
    }
  }
  resolve(p, true, "");
}

void TelecomOss::resolve(Product& p, bool active, const std::string& reason) {
  if (p.resolved)
    return;
  p.resolved = true;
  p.active = active;
  p.service_state.reset(); // read only until then: a month keeps every product
  if (active)
    events_->emit(trace::Category::tester, "product.active",
                  {{"productOrder", p.id()}, {"customer", named(p.customer)}, {"serviceOrder", p.order_id}});
  else
    events_->emit(
        trace::Category::tester, "product.failed",
        {{"productOrder", p.id()}, {"customer", named(p.customer)}, {"serviceOrder", p.order_id}, {"reason", reason}});
  send(*bss_, world::ProductStatus{p.id(), active, reason, world::ProductStatus::Kind::resolved},
       world::kProductMessageBytes);
}

void TelecomOss::add_usage(const nlohmann::json& usage, bool pulled) {
  // Usage arrives at least once (pushed, and pulled again at the cycle's close): one record per id.
  const std::string id = text(usage, "id");
  if (id.empty())
    return;
  if (!usage_ids_.insert(id)) {
    ++usage_duplicates_;
    return;
  }
  std::string customer;
  for (const auto& party : member(usage, "relatedParty"))
    if (text(party, "role") == "customer")
      customer = text(party, "id");
  UsageRecord r;
  r.customer = usage_customers_.id(customer);
  r.cycle = usage_cycle(ms(parse_iso_timestamp(text(member(usage, "usagePeriod"), "startDateTime"))), cycle_ms());
  for (const auto& rated : member(usage, "ratedProductUsage"))
    r.amount += money_value(member(rated, "taxExcludedRatingAmount"));
  if (pulled)
    events_->emit(trace::Category::tester, "usage.recovered", {{"usage", id}, {"customer", customer}});
  usage_.push_back(r);
}

void TelecomOss::collect_usage(int cycle) {
  // The pull: every record of the cycle again, for every customer; what the pushes missed is recovered here.
  const std::string from = iso_timestamp(sc_->billing.cycle * cycle);
  const std::string to = iso_timestamp(sc_->billing.cycle * (cycle + 1) + 0.001);
  for (const auto& [id, c] : customers_)
    if (c.synced)
      request(c.op, "listUsage",
              fmt::format("/tmf-api/usageManagement/v4/usage?relatedParty.id={}&usageDate.gt={}&usageDate.lt={}", c.id,
                          from, to),
              nullptr, {"listUsage", c.id});
}

void TelecomOss::bill_cycle(int cycle) {
  const Ms cm = cycle_ms();
  const Ms from = cm * cycle;
  const Ms to = from + cm;
  struct Line {
    std::int64_t telecom = 0, cloud = 0;
    std::size_t records = 0;
    bool any = false;
  };
  std::map<std::string, Line> lines;
  // Telecom charges: each product's fee for the part of the cycle it was active, rounded half-even once.
  for (const auto& [id, p] : products_) {
    if (!p.active || p.active_from < 0)
      continue;
    const Ms a = std::max(p.active_from, from);
    const Ms b = std::min(p.active_to < 0 ? to : p.active_to, to);
    if (b <= a)
      continue;
    std::int64_t fee = 0;
    for (const auto& t : sc_->catalogue.find_product(named(p.product))->telecom_services)
      if (const auto* ts = sc_->catalogue.find_telecom_service(t))
        fee += ts->fee;
    Line& l = lines[named(p.customer)];
    l.telecom += round_half_even(static_cast<Int128>(fee) * (b - a), cm);
    l.any = true;
  }
  // Cloud charges: the de-duplicated usage records of the cycle.
  for (const UsageRecord& r : usage_) // integer sums: the order of the records does not matter
    if (r.cycle == cycle) {
      Line& l = lines[usage_customers_.text(r.customer)];
      l.cloud += r.amount;
      ++l.records;
      l.any = true;
    }
  for (const auto& [customer, l] : lines) {
    const auto cb = cloud_bills_.find({customer, cycle});
    const std::int64_t credits = cb == cloud_bills_.end() ? 0 : cb->second.credits;
    const std::int64_t total = l.telecom + l.cloud - credits;
    const Customer& c = customers_.at(customer);
    events_->emit(trace::Category::tester, "bill.issued",
                  {{"customer", customer},
                   {"operator", c.op},
                   {"cycle", cycle},
                   {"periodStart", static_cast<double>(from) / 1000.0},
                   {"periodEnd", static_cast<double>(to) / 1000.0},
                   {"currency", sc_->billing.currency},
                   {"telecom", l.telecom},
                   {"cloud", l.cloud},
                   {"credits", credits},
                   {"total", total},
                   {"usageRecords", l.records},
                   {"cloudBill", cb == cloud_bills_.end() ? std::string() : cb->second.id}});
    if (cb != cloud_bills_.end() && cb->second.usage != l.cloud)
      events_->emit(
          trace::Category::tester, "bill.mismatch",
          {{"customer", customer}, {"cycle", cycle}, {"usageRecords", l.cloud}, {"cloudBill", cb->second.usage}});
    if (l.cloud > 0 && cb == cloud_bills_.end())
      events_->emit(trace::Category::tester, "bill.missing", {{"customer", customer}, {"cycle", cycle}});
    if (cb != cloud_bills_.end() && !cb->second.settled) {
      cb->second.settled = true;
      request(c.op, "updateCustomerBill", "/tmf-api/customerBillManagement/v4/customerBill/" + cb->second.id,
              {{"state", "settled"}}, {"updateCustomerBill", cb->second.id});
    }
  }
  events_->emit(trace::Category::tester, "usage.collected",
                {{"cycle", cycle}, {"records", usage_.size()}, {"duplicates", usage_duplicates_}});
  audit(cycle + 1 == sc_->billing.cycles);
}

void TelecomOss::audit(bool last) {
  // Customer by customer: one listing of an operator's whole inventory grows with every service it ever held (a
  // month of a million orders would make it a gigabyte in one answer, and as much again in each copy of it).
  audit_parts_.clear();
  for (const auto& [id, c] : customers_)
    if (c.synced)
      audit_parts_[id].op = c.op;
  for (const auto& [id, prod] : products_)
    if (prod.active) {
      AuditPart& part = audit_parts_[named(prod.customer)];
      part.op = named(prod.op);
      part.products.push_back(&prod);
    }
  for (const auto& op : sc_->i1.operators)
    audits_[op] = Audit{};
  for (const auto& [customer, part] : audit_parts_)
    ++audits_[part.op].waiting;
  for (const auto& op : sc_->i1.operators) {
    if (audits_[op].waiting == 0)
      events_->emit(trace::Category::tester, "inventory.audited",
                    {{"operator", op}, {"services", 0}, {"checked", 0}, {"mismatches", 0}});
    for (const auto& [customer, part] : audit_parts_)
      if (part.op == op)
        request(op, "listService", std::string(kServicePath) + "?relatedParty.id=" + customer, nullptr,
                {"listService", customer});
    request(op, "listAlarm", "/tmf-api/alarm/v4/alarm?state=raised", nullptr, {"listAlarm", op});
    if (last && hubs_.count(op)) // the run is over for this operator: it unsubscribes
      request(op, "deleteHub", "/tmf-api/i1/v1/hub/" + hubs_.at(op), nullptr, {"deleteHub", op});
  }
}

void TelecomOss::audited(const AuditPart& part, const Message& m) {
  // Every service of an active, unterminated product is active in the Cloud's inventory, and every terminated one
  // is terminated.
  std::map<std::string, std::string> reported;
  if (m.body.is_array())
    for (const auto& svc : m.body)
      reported[text(svc, "id")] = text(svc, "state");
  Audit& a = audits_[part.op];
  a.services += reported.size();
  for (const Product* product : part.products) {
    const Product& prod = *product;
    for (const auto& s : prod.services) {
      ++a.checked;
      const std::string want = prod.terminated ? "terminated" : "active";
      const auto seen = reported.find(s);
      if (seen == reported.end() || seen->second != want) {
        ++a.mismatches;
        events_->emit(trace::Category::tester, "inventory.mismatch",
                      {{"service", s}, {"expected", want}, {"reported", seen == reported.end() ? "" : seen->second}});
      }
    }
  }
  if (a.waiting > 0 && --a.waiting == 0)
    events_->emit(
        trace::Category::tester, "inventory.audited",
        {{"operator", part.op}, {"services", a.services}, {"checked", a.checked}, {"mismatches", a.mismatches}});
}

void TelecomOss::bills_on_demand() {
  std::set<std::string> with_products;
  for (const auto& [id, p] : products_)
    if (p.active)
      with_products.insert(named(p.customer));
  for (const auto& customer : with_products)
    request(customers_.at(customer).op, "createCustomerBillOnDemand",
            "/tmf-api/customerBillManagement/v4/customerBillOnDemand",
            {{"relatedParty", {{{"id", customer}, {"role", "customer"}}}}}, {"createCustomerBillOnDemand", customer});
}

// ---------------------------------------------------------------------------------------------- probes

namespace {
constexpr const char* kOrderPath = "/tmf-api/serviceOrdering/v4/serviceOrder";
constexpr const char* kCustomerPath = "/tmf-api/customerManagement/v4/customer/";
constexpr const char* kProbeQuery = "eventType=ServiceOrderStateChangeEvent,ServiceStateChangeEvent";
constexpr double kJobLife = 960; // s a probe's measurement job lives: past one 15-minute period, so it reported once
} // namespace

const TelecomOss::Customer* TelecomOss::probe_customer(const std::string& op) const {
  // A customer with an active product, so that lists and usage have something in them; else any synced one.
  for (const auto& [id, p] : products_)
    if (named(p.op) == op && p.active && !p.terminated && customers_.at(named(p.customer)).synced)
      return &customers_.at(named(p.customer));
  for (const auto& [id, c] : customers_)
    if (c.op == op && c.synced)
      return &c;
  return nullptr;
}

const TelecomOss::Customer* TelecomOss::list_probe_customer(const std::string& op) const {
  // A customer with a terminated product, when there is one: the list must still hold its ended services
  // (I1-INV-003), which a list served from live services only would drop. Else as the other probes choose.
  for (const auto& [id, p] : products_)
    if (named(p.op) == op && p.terminated && customers_.at(named(p.customer)).synced)
      return &customers_.at(named(p.customer));
  return probe_customer(op);
}

const TelecomOss::Product* TelecomOss::probe_product(const std::string& op) const {
  for (const auto& [id, p] : products_)
    if (named(p.op) == op && p.active && !p.terminated && !p.services.empty() && !p.order_id.empty())
      return &p;
  return nullptr;
}

nlohmann::json TelecomOss::probe_order_body(const std::string& external_id, const std::string& customer,
                                            const std::string& spec) const {
  // The characteristics of the catalogue's first cloud service: a well-formed order but for what the probe breaks.
  const scenario::CloudServiceSpec& cs = sc_->catalogue.cloud_services.front();
  nlohmann::json chars =
      nlohmann::json::array({characteristic(characteristic::instances, static_cast<long long>(cs.instances)),
                             characteristic(characteristic::vcpu, static_cast<long long>(cs.vcpu)),
                             characteristic(characteristic::memory_mib, mib(cs.ram)),
                             characteristic(characteristic::storage_mib, mib(cs.storage))});
  return {{"externalId", external_id},
          {"description", "conformance probe"},
          {"relatedParty", {{{"id", customer}, {"role", "customer"}}}},
          {"serviceOrderItem",
           {{{"id", "1"},
             {"action", "add"},
             {"service", {{"serviceSpecification", {{"id", spec}}}, {"serviceCharacteristic", chars}}}}}}};
}

void TelecomOss::send_probe(const std::string& probe, const std::string& step, const std::string& op,
                            const std::string& type, const std::string& target, nlohmann::json body,
                            nlohmann::ordered_json info, const std::string* credential) {
  const std::string corr = fmt::format("PRB-{:06}", ++next_probe_);
  nlohmann::ordered_json data{{"probe", probe}, {"step", step},      {"corr", corr},
                              {"operator", op}, {"operation", type}, {"target", target}};
  for (const auto& [key, value] : info.items())
    data[key] = value;
  events_->emit(trace::Category::tester, "probe.sent", std::move(data));
  probes_pending_[corr] = ProbeRequest{probe, step, op, std::move(info)};
  Message m{MessageKind::request, type, corr, 0, target, std::move(body), {}};
  if (credential)
    m.credential = *credential;
  else if (sc_->i1.profile == "X")
    m.credential = credential_of(op);
  binding_.send(*this, *cloud_, std::move(m), Direction::telecom_to_cloud);
}

void TelecomOss::probe_skipped(const std::string& probe, const std::string& step, const std::string& reason) {
  events_->emit(trace::Category::tester, "probe.skipped", {{"probe", probe}, {"step", step}, {"reason", reason}});
}

void TelecomOss::probe_order(const std::string& probe, const std::string& step, const std::string& op,
                             const std::string& customer, const std::string& spec, nlohmann::ordered_json info) {
  const std::string external_id = fmt::format("PROBE-{:04}", ++next_probe_order_);
  info["externalId"] = external_id;
  info["customer"] = customer;
  send_probe(probe, step, op, "createServiceOrder", kOrderPath, probe_order_body(external_id, customer, spec),
             std::move(info));
}

void TelecomOss::run_probe(scenario::Probe::Kind kind) {
  using K = scenario::Probe::Kind;
  const std::string name(scenario::probe_name(kind));
  const std::string& op = sc_->i1.operators.front();
  const std::string& spec = sc_->catalogue.cloud_services.front().id;
  const Customer* c = probe_customer(op);
  const std::string service_path = kServicePath;
  switch (kind) {
  case K::invalid_body: {
    if (!c)
      return probe_skipped(name, "order", "no customer of the operator is synchronised yet");
    // One field broken per request, so each refusal has one field to name.
    const std::array<std::pair<const char*, const char*>, 3> variants{
        {{"unknownField", "colour"}, {"missingField", "relatedParty"}, {"wrongType", "description"}}};
    for (const auto& [variant, field] : variants) {
      const std::string external_id = fmt::format("PROBE-{:04}", ++next_probe_order_);
      nlohmann::json body = probe_order_body(external_id, c->id, spec);
      if (std::string_view(variant) == "unknownField")
        body["colour"] = "blue";
      else if (std::string_view(variant) == "missingField")
        body.erase("relatedParty");
      else
        body["description"] = 42;
      send_probe(name, variant, op, "createServiceOrder", kOrderPath, std::move(body),
                 {{"variant", variant}, {"field", field}, {"externalId", external_id}, {"customer", c->id}});
    }
    return;
  }
  case K::unknown_spec:
    if (!c)
      return probe_skipped(name, "order", "no customer of the operator is synchronised yet");
    return probe_order(name, "order", op, c->id, "no-such-specification", {{"spec", "no-such-specification"}});
  case K::unknown_customer:
    return probe_order(name, "order", op, "CUST-UNKNOWN", spec, nlohmann::ordered_json::object());
  case K::hub_query:
    return send_probe(name, "subscribe", op, "createHub", "/tmf-api/i1/v1/hub",
                      {{"callback", probe_listener(op)}, {"query", kProbeQuery}},
                      {{"callback", probe_listener(op)},
                       {"query", kProbeQuery},
                       {"selects", {"ServiceOrderStateChangeEvent", "ServiceStateChangeEvent"}},
                       {"listener", listener_address(op)}});
  case K::hub_delete: {
    const auto hub = probe_hubs_.find(op);
    if (hub == probe_hubs_.end())
      return probe_skipped(name, "delete", "the hubQuery probe's subscription was not created");
    return send_probe(name, "delete", op, "deleteHub", "/tmf-api/i1/v1/hub/" + hub->second, nullptr,
                      {{"hub", hub->second}, {"callback", probe_listener(op)}});
  }
  case K::list_services:
    if (const Customer* listed = list_probe_customer(op))
      return send_probe(name, "list", op, "listService", service_path + "?relatedParty.id=" + listed->id, nullptr,
                        {{"customer", listed->id}});
    return probe_skipped(name, "list", "no customer of the operator is synchronised yet");
  case K::alarm_list:
    send_probe(name, "all", op, "listAlarm", "/tmf-api/alarm/v4/alarm", nullptr, {{"state", ""}});
    return send_probe(name, "byState", op, "listAlarm", "/tmf-api/alarm/v4/alarm?state=raised", nullptr,
                      {{"state", "raised"}});
  case K::alarm_ack:
    return send_probe(name, "list", op, "listAlarm", "/tmf-api/alarm/v4/alarm", nullptr,
                      nlohmann::ordered_json::object());
  case K::customer_update: {
    if (!c)
      return probe_skipped(name, "patch", "no customer of the operator is synchronised yet");
    // Narrowed to the jurisdiction of the platform's last data centre: later placements must all be there.
    const std::string j = sc_->platform.data_centres.back().jurisdiction;
    return send_probe(name, "patch", op, "patchCustomer", kCustomerPath + c->id,
                      {{"allowedJurisdiction", nlohmann::json::array({j})}},
                      {{"customer", c->id}, {"allowed", nlohmann::ordered_json::array({j})}});
  }
  case K::retention: {
    if (!c)
      return probe_skipped(name, "list", "no customer of the operator is synchronised yet");
    const std::string from = iso_timestamp(0), to = iso_timestamp(now());
    return send_probe(
        name, "list", op, "listUsage",
        fmt::format("/tmf-api/usageManagement/v4/usage?relatedParty.id={}&usageDate.gt={}&usageDate.lt={}", c->id, from,
                    to),
        nullptr, {{"customer", c->id}, {"from", 0.0}, {"to", now()}});
  }
  case K::unauthenticated: {
    if (!c)
      return probe_skipped(name, "order", "no customer of the operator is synchronised yet");
    const std::string none, invalid = "token-of-no-operator";
    for (const std::string* credential : {&none, &invalid}) {
      const std::string external_id = fmt::format("PROBE-{:04}", ++next_probe_order_);
      send_probe(
          name, credential->empty() ? "noCredential" : "badCredential", op, "createServiceOrder", kOrderPath,
          probe_order_body(external_id, c->id, spec),
          {{"credential", credential->empty() ? "none" : "invalid"}, {"externalId", external_id}, {"customer", c->id}},
          credential);
    }
    return;
  }
  case K::foreign_access: {
    const std::string& owner = sc_->i1.operators.at(1);
    const Product* p = probe_product(owner);
    if (!p)
      return probe_skipped(name, "read", "the other operator has no active product yet");
    const std::string& svc = p->services.front();
    auto foreign = [&](const char* step, const std::string& type, const std::string& target, nlohmann::json body,
                       const std::string& resource, const char* expect) {
      send_probe(name, step, op, type, target, std::move(body),
                 {{"owner", owner}, {"resource", resource}, {"customer", named(p->customer)}, {"expect", expect}});
    };
    foreign("readOrder", "retrieveServiceOrder", std::string(kOrderPath) + "/" + p->order_id, nullptr, p->order_id,
            "notFound");
    foreign("readService", "retrieveService", service_path + "/" + svc, nullptr, svc, "notFound");
    const std::string& customer = named(p->customer);
    foreign("changeCustomer", "patchCustomer", kCustomerPath + customer, {{"name", "taken over"}}, customer,
            "notFound");
    foreign("listServices", "listService", service_path + "?relatedParty.id=" + customer, nullptr, customer,
            "noForeign");
    foreign("listUsage", "listUsage", "/tmf-api/usageManagement/v4/usage?relatedParty.id=" + customer, nullptr,
            customer, "noForeign");
    if (const auto job = jobs_.find(svc); job != jobs_.end())
      foreign("deleteJob", "deleteMeasurementCollectionJob",
              "/tmf-api/performance/v4/measurementCollectionJob/" + job->second, nullptr, job->second, "notFound");
    // Last, so that a faulty implementation that cancels it spoils nothing the other requests read.
    foreign("cancelOrder", "createCancelServiceOrder", "/tmf-api/serviceOrdering/v4/cancelServiceOrder",
            {{"serviceOrder", {{"id", p->order_id}}}, {"cancellationReason", "probe"}}, p->order_id, "notFound");
    return;
  }
  case K::job_delete: {
    const Product* p = probe_product(op);
    if (!p)
      return probe_skipped(name, "create", "no product of the operator is active yet");
    return send_probe(name, "create", op, "createMeasurementCollectionJob",
                      "/tmf-api/performance/v4/measurementCollectionJob",
                      {{"service", {{"id", p->services.front()}}},
                       {"granularity", "g_15mn"},
                       {"performanceIndicator", nlohmann::json::array({"availability"})}},
                      {{"service", p->services.front()}});
  }
  }
}

void TelecomOss::probe_answered(const Message& m, const ProbeRequest& p) {
  if (p.probe == "hubQuery") {
    if (m.status == 201 && !text(m.body, "id").empty())
      probe_hubs_[p.op] = text(m.body, "id");
  } else if (p.probe == "alarmAck" && p.step == "list") {
    // The first alarm still unacknowledged, else the first one: acknowledging twice must be harmless too.
    std::string alarm, first;
    if (m.body.is_array())
      for (const auto& a : m.body) {
        const std::string id = text(a, "id");
        if (id.empty())
          continue;
        if (first.empty())
          first = id;
        if (text(a, "ackState") != "acknowledged") {
          alarm = id;
          break;
        }
      }
    if (alarm.empty())
      alarm = first;
    if (m.status != 200 || alarm.empty())
      return probe_skipped(p.probe, "ack", "no alarm to acknowledge");
    send_probe(p.probe, "ack", p.op, "ackAlarms", "/tmf-api/alarm/v4/ackAlarms",
               {{"alarmPattern", nlohmann::json::array({{{"id", alarm}}})}, {"ackSystemId", "telecom-oss-probe"}},
               {{"alarm", alarm}});
  } else if (p.probe == "alarmAck" && p.step == "ack") {
    if (m.status != 201)
      return probe_skipped(p.probe, "verify", fmt::format("the acknowledgement was answered {}", m.status));
    send_probe(p.probe, "verify", p.op, "listAlarm", "/tmf-api/alarm/v4/alarm", nullptr,
               {{"alarm", p.info.at("alarm")}});
  } else if (p.probe == "customerUpdate" && p.step == "patch") {
    if (m.status != 200)
      return probe_skipped(p.probe, "order", fmt::format("the update was answered {}", m.status));
    const std::string customer = p.info.at("customer").get<std::string>();
    std::vector<std::string> allowed;
    for (const auto& j : p.info.at("allowed"))
      allowed.push_back(j.get<std::string>());
    customers_.at(customer).allowed = allowed_set(allowed); // the tester's own placement checks follow the update too
    probe_order(p.probe, "order", p.op, customer, sc_->catalogue.cloud_services.front().id,
                {{"allowed", p.info.at("allowed")}});
  } else if (p.probe == "jobDelete" && p.step == "create") {
    const std::string job = text(m.body, "id");
    if (m.status != 201 || job.empty())
      return probe_skipped(p.probe, "delete", fmt::format("the job was answered {}", m.status));
    after(kJobLife, [this, op = p.op, job, service = p.info.at("service")] {
      send_probe("jobDelete", "delete", op, "deleteMeasurementCollectionJob",
                 "/tmf-api/performance/v4/measurementCollectionJob/" + job, nullptr,
                 {{"job", job}, {"service", service}});
    });
  }
}

// ---------------------------------------------------------------------------------------------- Telecom BSS

TelecomBss::TelecomBss(simgrid::s4u::Host* host, const scenario::Scenario& sc, std::uint64_t seed,
                       trace::EventStream& events)
    : Daemon(host->get_name(), host)
    , sc_(&sc)
    , events_(&events)
    , rng_(Random::for_stream(seed, host->get_name()))
    , changes_(Random::for_stream(seed, host->get_name() + ".changes"))
    , arrivals_(sc.workload, sc.customers.count, rng_) {}

void TelecomBss::on_start() {
  if (sc_->billing.cycle > 0) {
    // A billed run lasts its cycles, then long enough for the last cycle's bills to be issued.
    const auto timers = timer_values(*sc_);
    const double end_at = sc_->stop.max_time + std::max(timers.at("T_bill"), timers.at("T_usage")) + 2 * kMargin;
    // The last cycle's bills go with the OSS's last audit, which unsubscribes from the Cloud side's hub: a change
    // sent from then on would be carried out unheard. No order or change goes out any more.
    after(sc_->stop.max_time + timers.at("T_bill") + kMargin, [this] { settling_ = true; });
    after(end_at, [this, deadline = end_at + sc_->billing.settle] { end_when_answered(deadline); });
  } else {
    after(sc_->stop.max_time, [this] { end("stop.max_time reached"); });
  }
  after(sc_->workload.start, [this] { arrive(); });
}

void TelecomBss::arrive() {
  if (!arrivals_.more() || settling_)
    return;
  // on_start calls at workload.start; a trace's first row may be later.
  if (sold_ == 0 && arrivals_.next_at() > now()) {
    after(arrivals_.next_at() - now(), [this] { arrive(); });
    return;
  }
  // Every order due at this instant goes out in this one reaction: a whole burst, or trace rows sharing a time.
  do {
    const Arrival a = arrivals_.next();
    const std::string id = fmt::format("PO-{:07}", ++sold_);
    send(*oss_, world::ProductOrder{id, customer_id(a.customer), a.product}, world::kProductMessageBytes);
  } while (arrivals_.more() && arrivals_.gap() == 0);
  if (arrivals_.more())
    after(arrivals_.gap(), [this] { arrive(); });
}

void TelecomBss::on_envelope(world::Envelope&& envelope) {
  const auto* status = std::get_if<world::ProductStatus>(&envelope);
  if (!status)
    return;
  if (status->kind != world::ProductStatus::Kind::resolved) { // a change came to an end, either way
    --changes_pending_;
    end_when_done();
    return;
  }
  if (status->active) {
    // Later changes of the product, drawn from their own stream so the arrivals stay as they were.
    const auto& m = sc_->workload.modify;
    const auto& t = sc_->workload.terminate;
    const double modify_at = m.share > 0 && changes_.uniform() < m.share
                                 ? m.after_min + changes_.uniform() * (m.after_max - m.after_min)
                                 : -1;
    const double terminate_at = t.share > 0 && changes_.uniform() < t.share
                                    ? t.after_min + changes_.uniform() * (t.after_max - t.after_min)
                                    : -1;
    if (modify_at >= 0 && (terminate_at < 0 || modify_at < terminate_at)) {
      ++changes_pending_;
      after(modify_at, [this, id = status->id, n = m.instances] {
        if (settling_)
          return;
        send(*oss_, world::ProductChange{id, world::ProductChange::Kind::modify, n}, world::kProductMessageBytes);
      });
    }
    if (terminate_at >= 0) {
      ++changes_pending_;
      after(terminate_at, [this, id = status->id] {
        if (settling_)
          return;
        send(*oss_, world::ProductChange{id, world::ProductChange::Kind::terminate, 0}, world::kProductMessageBytes);
      });
    }
  }
  if (++resolved_ == sc_->workload.orders)
    events_->emit(trace::Category::tester, "orders.resolved", {{"sold", sold_}, {"resolved", resolved_}});
  end_when_done();
}

void TelecomBss::end_when_done() {
  // Without bill cycles the run is over once every order is resolved and every change it scheduled has come
  // to an end; it drains for stop.drain so messages in flight arrive. stop.max_time bounds it regardless.
  if (sc_->billing.cycle > 0 || drain_armed_ || resolved_ < sc_->workload.orders || changes_pending_ > 0)
    return;
  drain_armed_ = true;
  after(sc_->stop.drain, [this] { end("all orders resolved"); });
}

void TelecomBss::end_when_answered(double deadline) {
  // The close sends a request per customer at once (bill updates, the audit's listings): on a busy pair of
  // daemons their answers, and the notifications queued with them, may take minutes to come back. The run waits
  // until the Telecom OSS has its answers and no frame is under way between the two sides, checking every second,
  // for at most billing.settle, so that nothing is judged missing only because the run stopped watching. No order
  // or change goes out any more: settling_ was set at the last bills, before this (see on_start).
  const std::size_t waiting = oss_->requests_waiting();
  // Each side sends its frames to the other only (the Cloud side's notifications go to the OSS's listeners).
  const std::uint64_t frames =
      cloud_ ? (cloud_->frames_sent() - oss_->frames_taken()) + (oss_->frames_sent() - cloud_->frames_taken()) : 0;
  if (waiting == 0 && frames == 0) {
    end("last bill cycle billed");
    return;
  }
  if (now() >= deadline) {
    end(fmt::format("last bill cycle billed; billing.settle over with {} requests unanswered and {} frames under way",
                    waiting, frames));
    return;
  }
  after(std::min(1.0, deadline - now()), [this, deadline] { end_when_answered(deadline); });
}

void TelecomBss::end(const std::string& why) {
  if (ended_)
    return;
  ended_ = true;
  ended_at_ = now();
  events_->emit(trace::Category::tester, "run.end", {{"reason", why}, {"sold", sold_}, {"resolved", resolved_}});
  if (on_end_)
    on_end_();
  finish();
}

} // namespace i1sim::telecom
