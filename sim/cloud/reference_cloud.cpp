// Reference Cloud BSS/OSS, part 1: request routing, operator authentication (X profile), hub subscriptions,
// customers and notifications. Ordering is in reference_ordering.cpp, assurance and accounting in
// reference_accounting.cpp.
#include "cloud/reference_cloud.hpp"

#include "cloud/reference_util.hpp"
#include "i1/spec.hpp"
#include "i1/validator.hpp"
#include "util/timestamp.hpp"

#include <cmath>
#include <fmt/format.h>

namespace i1sim::cloud {

ReferenceCloud::ReferenceCloud(CloudSetup setup) : setup_(std::move(setup)) {}

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

std::uint64_t ReferenceCloud::set_timer(CloudContext& ctx, double delay, Timer timer) {
  const std::uint64_t token = ++next_timer_;
  timers_[token] = std::move(timer);
  ctx.set_timer(delay, token);
  return token;
}

void ReferenceCloud::start(CloudContext& ctx) {
  for (const auto& dc : ctx.dc().data_centres())
    dc_jurisdictions_.emplace_back(dc.name, dc.jurisdiction);
  // Usage is metered in periods that end on every multiple of T_usage_period and on every cycle boundary.
  if (setup_.bill_cycle > 0)
    boundary(ctx);
}

void ReferenceCloud::on_timer(CloudContext& ctx, std::uint64_t token) {
  const auto it = timers_.find(token);
  if (it == timers_.end())
    return; // cancelled
  const Timer t = it->second;
  timers_.erase(it);
  switch (t.kind) {
  case Timer::Kind::boundary:
    boundary(ctx);
    break;
  case Timer::Kind::deadline: {
    const auto slash = t.subject.rfind('/');
    const auto order = orders_.find(t.subject.substr(0, slash));
    if (order == orders_.end())
      break;
    Item& item = order->second.items.at(std::stoul(t.subject.substr(slash + 1)));
    if (item.state == "inProgress" && item.deadline_token == token)
      item_finished(ctx, order->second, item, "failed", "activationTimeout",
                    "the service was not active within its maximum activation time");
    break;
  }
  case Timer::Kind::violation:
    check_violation(ctx, t.subject);
    break;
  case Timer::Kind::report:
    job_report(ctx, t.subject);
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
  Hub hub{fmt::format("HUB-{:04}", ++next_hub_), op, request.body["callback"].get<std::string>(),
          text_or(request.body, "query")};
  hubs_[hub.id] = hub;
  ctx.respond(request, 201, {{"id", hub.id}, {"callback", hub.callback}, {"query", hub.query}});
}

void ReferenceCloud::delete_hub(CloudContext& ctx, const Message& request, const std::string& op,
                                const std::string& id) {
  const auto it = hubs_.find(id);
  if (it == hubs_.end() || it->second.op != op) {
    ctx.respond(request, 404, error_body("notFound", "no such subscription", id));
    return;
  }
  hubs_.erase(it);
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
  if (const auto it = customers_.find(key); it != customers_.end()) { // a repeated sync returns what exists
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
  customers_[key] = c;
  ctx.respond(request, 201, customer_json(c));
}

void ReferenceCloud::patch_customer(CloudContext& ctx, const Message& request, const std::string& op,
                                    const std::string& id) {
  const auto it = customers_.find(op + "/" + id);
  if (it == customers_.end()) {
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
  for (const auto& [id, hub] : hubs_) {
    if (hub.op != op || !selects(hub.query, event_type)) // an operator hears about its own resources only
      continue;
    const std::string event_id = fmt::format("EV-{:07}", ++next_event_);
    nlohmann::json envelope{
        {"eventId", event_id}, {"eventTime", ctx.timestamp()}, {"eventType", event_type}, {"event", {{key, resource}}}};
    ctx.notify(hub.callback, event_type, event_id, std::move(envelope));
  }
}

} // namespace i1sim::cloud
