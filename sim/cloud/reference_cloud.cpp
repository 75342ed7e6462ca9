// Reference Cloud BSS/OSS, part 1: request routing, operator authentication (X profile), hub subscriptions,
// customers and notifications. Ordering is in reference_ordering.cpp, assurance and accounting in
// reference_accounting.cpp.
#include "cloud/reference_cloud.hpp"

#include "cloud/reference_util.hpp"
#include "i1/codec.hpp"
#include "i1/spec.hpp"
#include "i1/validator.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace i1sim::cloud {

ReferenceCloud::ReferenceCloud(CloudSetup setup) : setup_(std::move(setup)) {
  if (setup_.timer("T_response") > 0)
    t_response_ = setup_.timer("T_response");
}

ReferenceCloud::Ms ReferenceCloud::ms(double seconds) { return std::llround(seconds * 1000.0); }

std::string ReferenceCloud::iso(CloudContext&, Ms t) const { return iso_timestamp(static_cast<double>(t) / 1000.0); }

int ReferenceCloud::cycle_of(Ms t) const {
  const Ms c = cycle_ms();
  return c > 0 ? static_cast<int>(t / c) : 0;
}

const CloudServiceOffer* ReferenceCloud::offer(const std::string& id) const {
  for (const auto& o : setup_.offers)
    if (o.id == id)
      return &o;
  return nullptr;
}

ReferenceCloud::Service* ReferenceCloud::find_service(std::uint32_t number) {
  if (number == 0 || number > db_.services.size())
    return nullptr;
  Service& svc = db_.services[number];
  return svc.exists ? &svc : nullptr;
}

ReferenceCloud::Service* ReferenceCloud::find_service(std::string_view id) {
  return find_service(static_cast<std::uint32_t>(kServiceIds.number(id, db_.services.size())));
}

ReferenceCloud::Order* ReferenceCloud::find_order(std::string_view id) {
  const std::uint64_t number = kOrderIds.number(id, db_.orders.size());
  return number == 0 ? nullptr : &db_.orders[number];
}

ReferenceCloud::Vm* ReferenceCloud::Service::vm(VmId id) {
  const auto it = std::lower_bound(vms.begin(), vms.end(), id, [](const Vm& v, VmId x) { return v.id < x; });
  return it != vms.end() && it->id == id ? &*it : nullptr;
}

std::uint64_t ReferenceCloud::set_timer(CloudContext& ctx, double delay, Timer timer) {
  const std::uint64_t token = ++mem_.next_timer;
  mem_.timers[token] = std::move(timer);
  ctx.set_timer(delay > 0 ? delay : 0.0, token); // a delay from a clock that jumped back may come out negative
  return token;
}

void ReferenceCloud::start(CloudContext& ctx) {
  for (const auto& dc : ctx.dc().data_centres())
    mem_.dc_jurisdictions.emplace_back(dc.name, dc.jurisdiction);
  // Usage is metered in periods that end on every multiple of T_usage_period and on every cycle boundary.
  if (setup_.bill_cycle > 0)
    boundary(ctx);
}

void ReferenceCloud::restart(CloudContext& ctx) {
  // The process is new: nothing of its memory is left, and what the database obliges it to do is re-armed.
  mem_ = Memory{};
  reindex_outbox();
  for (const auto& dc : ctx.dc().data_centres())
    mem_.dc_jurisdictions.emplace_back(dc.name, dc.jurisdiction);
  const double now = ctx.now();
  if (setup_.bill_cycle > 0) { // the next period boundary; one passed while down is metered at once
    const double settle = std::min(60.0, setup_.timer("T_usage") / 2);
    set_timer(ctx, static_cast<double>(db_.next_boundary) / 1000.0 + settle - now, Timer{Timer::Kind::boundary, {}});
  }
  kOrderIds.for_each_in_text_order(db_.orders.size(), [&](std::uint64_t number) { // as a map by id walked them
    const Order& order = db_.orders[number];
    for (std::size_t i = 0; i < order.items.size(); ++i) {
      const Item& item = order.items[i];
      if (item.state == "inProgress" && item.work->deadline >= 0)
        set_timer(ctx, static_cast<double>(item.work->deadline) / 1000.0 - now,
                  Timer{Timer::Kind::deadline, fmt::format("{}/{}", order_id(order), i)});
    }
  });
  kServiceIds.for_each_in_text_order(db_.services.size(), [&](std::uint64_t number) {
    if (Service* svc = find_service(static_cast<std::uint32_t>(number)))
      arm_violation(ctx, *svc);
  });
  for (const auto& [id, job] : db_.jobs) {
    if (job.state != "inProgress")
      continue;
    // A period that ended while down is reported at once; otherwise at the next end of a period, as before.
    const double ended = std::floor(now / job.period) * job.period;
    const bool overdue = ms(ended) > job.from;
    set_timer(ctx, overdue ? 0.0 : ended + job.period - now + 1, Timer{Timer::Kind::report, id});
  }
  // Every notification still waiting for its answer is sent again now: it may have been lost with the process.
  std::vector<std::string> waiting;
  for (const auto& [event_id, d] : db_.outbox)
    waiting.push_back(event_id);
  for (const auto& event_id : waiting) {
    const Delivery& d = db_.outbox.at(event_id);
    const auto hub = db_.hubs.find(d.hub);
    if (hub == db_.hubs.end() || d.attempts >= kMaxDeliveries)
      db_.outbox.erase(event_id);
    else if (hub->second.answers)
      deliver(ctx, event_id);
  }
  arm_sweep(ctx);
  publish_billed(ctx); // what waited its turn when the process stopped
}

void ReferenceCloud::on_timer(CloudContext& ctx, std::uint64_t token) {
  redeliver_due(ctx);
  const auto it = mem_.timers.find(token);
  if (it == mem_.timers.end())
    return; // cancelled
  const Timer t = it->second;
  mem_.timers.erase(it);
  switch (t.kind) {
  case Timer::Kind::boundary:
    boundary(ctx);
    break;
  case Timer::Kind::deadline: {
    const auto slash = t.subject.rfind('/');
    Order* const order = this->find_order(std::string_view(t.subject).substr(0, slash));
    if (!order)
      break;
    Item& item = order->items.at(std::stoul(t.subject.substr(slash + 1)));
    if (item.state == "inProgress")
      item_finished(ctx, *order, item, "failed", "activationTimeout",
                    "the service was not active within its maximum activation time");
    break;
  }
  case Timer::Kind::violation:
    check_violation(ctx, t.subject);
    break;
  case Timer::Kind::report:
    job_report(ctx, t.subject);
    break;
  case Timer::Kind::sweep:
    sweep(ctx);
    break;
  }
}

bool ReferenceCloud::authenticate(CloudContext& ctx, const Message& request, std::string& op) {
  if (setup_.profile != "X") {
    op = "operator"; // one trust domain: every request comes from the one operator
    return true;
  }
  const auto it = setup_.operators.find(request.credential);
  if (request.credential.empty() || it == setup_.operators.end()) {
    ctx.respond(request, 401,
                error_body("unauthenticated", "the request carries no valid operator credential", "credential"));
    return false;
  }
  op = it->second;
  return true;
}

void ReferenceCloud::on_request(CloudContext& ctx, const Message& request) {
  redeliver_due(ctx);
  std::string op;
  if (!authenticate(ctx, request, op))
    return;
  // Every body is first checked against the specification's type for the operation (I1-GEN-002).
  static const i1::Validator validator(spec::builtin());
  if (spec::builtin().operation(request.type)) {
    const auto problems = validator.check(request);
    if (!problems.empty()) {
      ctx.respond(request, 400,
                  error_body("invalidBody", problems.front().message,
                             problems.front().path.empty() ? std::string("body") : problems.front().path));
      return;
    }
  }
  const std::string id = last_segment(request.target);
  const std::string& t = request.type;
  if (t == v1::op::createHub)
    create_hub(ctx, request, op);
  else if (t == v1::op::deleteHub)
    delete_hub(ctx, request, op, id);
  else if (t == v1::op::createCustomer)
    create_customer(ctx, request, op);
  else if (t == v1::op::patchCustomer)
    patch_customer(ctx, request, op, id);
  else if (t == v1::op::createServiceOrder)
    create_order(ctx, request, op);
  else if (t == v1::op::retrieveServiceOrder)
    retrieve_order(ctx, request, op, id);
  else if (t == v1::op::createCancelServiceOrder)
    cancel_order(ctx, request, op);
  else if (t == v1::op::retrieveService)
    retrieve_service(ctx, request, op, id);
  else if (t == v1::op::listService)
    list_services(ctx, request, op);
  else if (t == v1::op::createMeasurementCollectionJob)
    create_job(ctx, request, op);
  else if (t == v1::op::deleteMeasurementCollectionJob)
    delete_job(ctx, request, op, id);
  else if (t == v1::op::listAlarm)
    list_alarms(ctx, request, op);
  else if (t == v1::op::ackAlarms)
    ack_alarms(ctx, request, op);
  else if (t == v1::op::listUsage)
    list_usage(ctx, request, op);
  else if (t == v1::op::createCustomerBillOnDemand)
    bill_on_demand(ctx, request, op);
  else if (t == v1::op::updateCustomerBill)
    update_bill(ctx, request, op, id);
  else
    ctx.respond(request, 404, error_body("notFound", "unknown operation", request.type));
}

void ReferenceCloud::create_hub(CloudContext& ctx, const Message& request, const std::string& op) {
  const std::string callback = request.body["callback"].get<std::string>();
  const std::string query = text_or(request.body, "query");
  // The same subscription asked for again (a retry whose answer was lost) is the one that exists: a second
  // one would send every event twice under two event ids.
  for (const auto& [id, existing] : db_.hubs)
    if (existing.op == op && existing.callback == callback && existing.query == query) {
      ctx.respond(request, 201, {{"id", existing.id}, {"callback", existing.callback}, {"query", existing.query}});
      return;
    }
  Hub hub{fmt::format("HUB-{:04}", ++db_.next_hub), op, callback, query};
  db_.hubs[hub.id] = hub;
  ctx.respond(request, 201, {{"id", hub.id}, {"callback", hub.callback}, {"query", hub.query}});
}

void ReferenceCloud::delete_hub(CloudContext& ctx, const Message& request, const std::string& op,
                                const std::string& id) {
  const auto it = db_.hubs.find(id);
  if (it == db_.hubs.end() || it->second.op != op) {
    ctx.respond(request, 404, error_body("notFound", "no such subscription", id));
    return;
  }
  db_.hubs.erase(it);
  std::erase_if(db_.outbox, [&](const auto& entry) { return entry.second.hub == id; }); // it hears nothing more
  mem_.unmarked.erase(id);
  ctx.respond(request, 204, nullptr);
}

nlohmann::json ReferenceCloud::customer_json(const Customer& c) const {
  return {{"id", c.id},
          {"href", "/tmf-api/customerManagement/v4/customer/" + c.id},
          {"name", c.name},
          {"status", c.status},
          {"relatedParty", c.related_party},
          {"allowedJurisdiction", c.jurisdictions},
          {"currency", c.currency}};
}

void ReferenceCloud::create_customer(CloudContext& ctx, const Message& request, const std::string& op) {
  const auto& b = request.body;
  const std::string id = b["id"].get<std::string>();
  const std::string key = op + "/" + id;
  if (const auto it = db_.customers.find(key); it != db_.customers.end()) { // a repeated sync returns what exists
    ctx.respond(request, 200, customer_json(it->second));
    return;
  }
  Customer c;
  c.id = id;
  c.op = op;
  c.name = b["name"].get<std::string>();
  c.currency = b["currency"].get<std::string>();
  c.related_party = b["relatedParty"];
  for (const auto& j : b["allowedJurisdiction"])
    c.jurisdictions.push_back(j.get<std::string>());
  if (c.currency != setup_.currency) {
    ctx.respond(request, 400,
                error_body("invalidBody", fmt::format("this provider bills in {}", setup_.currency), "currency"));
    return;
  }
  db_.customers[key] = c;
  ctx.respond(request, 201, customer_json(c));
}

void ReferenceCloud::patch_customer(CloudContext& ctx, const Message& request, const std::string& op,
                                    const std::string& id) {
  const auto it = db_.customers.find(op + "/" + id);
  if (it == db_.customers.end()) {
    ctx.respond(request, 404, error_body("notFound", "no such customer", id));
    return;
  }
  Customer& c = it->second;
  const auto& b = request.body;
  if (b.contains("name"))
    c.name = b["name"].get<std::string>();
  if (b.contains("status"))
    c.status = b["status"].get<std::string>();
  if (b.contains("allowedJurisdiction")) {
    c.jurisdictions.clear();
    for (const auto& j : b["allowedJurisdiction"])
      c.jurisdictions.push_back(j.get<std::string>());
  }
  ctx.respond(request, 200, customer_json(c));
}

void ReferenceCloud::publish(CloudContext& ctx, const std::string& op, std::string_view event_type,
                             const std::string& key, nlohmann::json resource) {
  std::vector<const std::string*> hubs;
  for (const auto& [id, hub] : db_.hubs)
    if (hub.op == op && selects(hub.query, event_type)) // an operator hears about its own resources only
      hubs.push_back(&id);
  for (std::size_t i = 0; i < hubs.size(); ++i) {
    const std::string event_id = fmt::format("EV-{:07}", ++db_.next_event);
    nlohmann::json event = nlohmann::json::object();
    if (i + 1 == hubs.size())
      event[key] = std::move(resource); // the last one takes the document; there is mostly one
    else
      event[key] = resource;
    nlohmann::json envelope{
        {"eventId", event_id}, {"eventTime", ctx.timestamp()}, {"eventType", event_type}, {"event", std::move(event)}};
    db_.outbox[event_id] = Delivery{*hubs[i], std::string(event_type), i1::compact_dump(envelope), 0};
    deliver(ctx, event_id, std::move(envelope));
  }
}

void ReferenceCloud::deliver(CloudContext& ctx, const std::string& event_id, nlohmann::json envelope) {
  Delivery& d = db_.outbox.at(event_id);
  auto& unmarked = mem_.unmarked[d.hub];
  unmarked.erase({d.seq, event_id});
  ++d.attempts;
  d.seq = ++db_.next_delivery;
  d.sent = ctx.now();
  d.later_answered = -1;
  unmarked.emplace(d.seq, event_id);
  mem_.due.push({d.sent + 2 * t_response_ * std::ldexp(1.0, d.attempts - 1), d.seq, event_id});
  // The first delivery sends the document it was written from; later ones read it back from its text (the same
  // document: the text is its exact serialisation).
  ctx.notify(db_.hubs.at(d.hub).callback, d.event_type, event_id,
             envelope.is_null() ? nlohmann::json::parse(d.envelope) : std::move(envelope));
}

double ReferenceCloud::redelivery_at(const Delivery& d, const Hub& hub) const {
  // Lost: a notification sent after it was answered a while ago (answers come back in the order of sending,
  // but for frames of different sizes that overtake each other), or its listener has said nothing at all for
  // the wait, which doubles with every delivery. A listener that is only slow keeps answering, in order, and
  // so gets nothing twice however long the answers take.
  const double wait = 2 * t_response_ * std::ldexp(1.0, d.attempts - 1);
  const double silent = std::max(d.sent, hub.last_answer) + wait;
  return d.later_answered >= 0 ? std::min(silent, d.later_answered + 2 * t_response_) : silent;
}

void ReferenceCloud::reindex_outbox() {
  mem_.due = {};
  mem_.unmarked.clear();
  for (const auto& [event_id, d] : db_.outbox) {
    if (d.later_answered < 0)
      mem_.unmarked[d.hub].emplace(d.seq, event_id);
    const auto hub = db_.hubs.find(d.hub);
    mem_.due.push({hub == db_.hubs.end() ? 0.0 : redelivery_at(d, hub->second), d.seq, event_id});
  }
}

void ReferenceCloud::mark_later_answered(const std::string& hub, std::uint64_t seq, double now) {
  // Every delivery to this hub before the one answered now looks lost from now on (see redelivery_at).
  auto& unmarked = mem_.unmarked[hub];
  while (!unmarked.empty() && unmarked.begin()->first < seq) {
    const auto [first_seq, event_id] = *unmarked.begin();
    unmarked.erase(unmarked.begin());
    const auto it = db_.outbox.find(event_id);
    if (it == db_.outbox.end() || it->second.seq != first_seq)
      continue; // no longer waiting
    it->second.later_answered = now;
    mem_.due.push({now + 2 * t_response_, first_seq, event_id});
  }
}

void ReferenceCloud::redeliver_due(CloudContext& ctx) {
  publish_billed(ctx); // an answer may have made room
  if (db_.outbox.empty()) {
    mem_.due = {};
    return;
  }
  const double now = ctx.now();
  std::vector<std::string> due;
  while (!mem_.due.empty() && mem_.due.top().at <= now) {
    DueEntry e = mem_.due.top();
    mem_.due.pop();
    const auto it = db_.outbox.find(e.event_id);
    if (it == db_.outbox.end() || it->second.seq != e.seq)
      continue; // answered, or sent again since
    const auto hub = db_.hubs.find(it->second.hub);
    if (hub == db_.hubs.end()) {
      due.push_back(e.event_id);
      continue;
    }
    if (!hub->second.answers)
      continue; // never sent again before its listener answers something; then the outbox is indexed afresh
    e.at = redelivery_at(it->second, hub->second);
    if (e.at <= now)
      due.push_back(e.event_id);
    else
      mem_.due.push(std::move(e));
  }
  // In event id order, as a walk of the outbox would find them.
  std::sort(due.begin(), due.end());
  due.erase(std::unique(due.begin(), due.end()), due.end());
  bool sent = false;
  for (const auto& event_id : due) {
    const Delivery& d = db_.outbox.at(event_id);
    if (!db_.hubs.count(d.hub) || d.attempts >= kMaxDeliveries) {
      mem_.unmarked[d.hub].erase({d.seq, event_id});
      db_.outbox.erase(event_id); // unsubscribed, or given up on
      continue;
    }
    deliver(ctx, event_id);
    sent = true;
  }
  if (sent) // a delivery failed: from now on a timer sees to the ones still waiting
    arm_sweep(ctx);
}

void ReferenceCloud::arm_sweep(CloudContext& ctx) {
  if (mem_.sweep_armed)
    return;
  // The earliest redelivery: the candidates come up in time order, each checked against its exact time.
  double first = -1;
  while (!mem_.due.empty()) {
    DueEntry e = mem_.due.top();
    const auto it = db_.outbox.find(e.event_id);
    const auto hub = it == db_.outbox.end() ? db_.hubs.end() : db_.hubs.find(it->second.hub);
    if (it == db_.outbox.end() || it->second.seq != e.seq || hub == db_.hubs.end() || !hub->second.answers) {
      mem_.due.pop(); // stale, or not to be sent again (yet)
      continue;
    }
    const double at = redelivery_at(it->second, hub->second);
    if (at > e.at) {
      mem_.due.pop();
      e.at = at;
      mem_.due.push(std::move(e));
      continue;
    }
    first = at;
    break;
  }
  if (first < 0)
    return;
  mem_.sweep_armed = true;
  set_timer(ctx, first - ctx.now(), Timer{Timer::Kind::sweep, {}});
}

void ReferenceCloud::sweep(CloudContext& ctx) {
  mem_.sweep_armed = false;
  redeliver_due(ctx);
  // While a delivery that already failed once still waits, the timer goes on.
  for (const auto& [event_id, d] : db_.outbox)
    if (d.attempts > 1) {
      arm_sweep(ctx);
      break;
    }
}

void ReferenceCloud::on_response(CloudContext& ctx, const Message& response) {
  const auto it = db_.outbox.find(response.correlation_id);
  if (it != db_.outbox.end()) {
    const auto hub = db_.hubs.find(it->second.hub);
    if (hub == db_.hubs.end()) {
      db_.outbox.erase(it);
    } else {
      // A listener that answers at all is one whose silence means a lost notification or a lost answer.
      const double now = ctx.now();
      const bool first_answer = !hub->second.answers;
      hub->second.answers = true;
      hub->second.last_answer = now;
      const std::uint64_t seq = it->second.seq;
      mark_later_answered(hub->first, seq, now);
      if (first_answer)
        reindex_outbox(); // what waited for this listener may now be sent again
      if (response.status == 204) {
        mem_.unmarked[hub->first].erase({seq, it->first});
        db_.outbox.erase(it); // delivered
      } else
        arm_sweep(ctx); // a failed delivery: sent again when its wait ends
    }
  } // else acknowledged already (a duplicate answer), or given up on
  redeliver_due(ctx);
}

} // namespace i1sim::cloud
