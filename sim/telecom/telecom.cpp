// Telecom BSS workload generation and Telecom OSS ordering and tracking over I1.
#include "telecom/telecom.hpp"

#include <cmath>
#include <fmt/format.h>

namespace i1sim::telecom {

namespace {
constexpr double kMiB = 1024.0 * 1024.0;

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

long long mib(double bytes) { return static_cast<long long>(std::ceil(bytes / kMiB)); }
} // namespace

// ---------------------------------------------------------------------------------------------- Telecom OSS

TelecomOss::TelecomOss(simgrid::s4u::Host* host, const scenario::Scenario& sc, trace::EventStream& events)
    : Daemon(host->get_name(), host)
    , sc_(&sc)
    , events_(&events)
    , binding_(events) {}

void TelecomOss::request(std::string_view type, std::string_view target, nlohmann::json body, std::string correlation) {
  Message m{MessageKind::request, std::string(type), std::move(correlation), 0, std::string(target), std::move(body)};
  i1::InSimBinding::send(*this, *cloud_, m, Direction::telecom_to_cloud);
}

void TelecomOss::on_start() {
  const std::string corr = fmt::format("REQ-{:07}", ++next_request_);
  pending_[corr] = "";
  request(op::create_hub, path::service_ordering_hub,
          {{"callback", listener_address()},
           {"query", fmt::format("eventType={},{}", event::service_order_state_change, event::service_state_change)}},
          corr);
}

void TelecomOss::on_envelope(world::Envelope&& envelope) {
  if (auto* po = std::get_if<world::ProductOrder>(&envelope)) {
    if (subscribed_)
      submit(*po);
    else
      waiting_.push_back(std::move(*po));
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
    items.push_back(
        {{"id", std::to_string(++n)},
         {"action", "add"},
         {"service",
          {{"serviceSpecification", {{"id", cs.id}, {"name", cs.name}}}, {"serviceCharacteristic", chars}}}});
  }
  nlohmann::json body{{"externalId", po.id},
                      {"category", "CloudServiceOrdering"},
                      {"description", product->name},
                      {"relatedParty", {{{"id", po.customer}, {"role", "customer"}, {"@referredType", "Customer"}}}},
                      {"serviceOrderItem", items}};
  const std::string corr = fmt::format("REQ-{:07}", ++next_request_);
  pending_[corr] = po.id;
  tracked_[po.id].product_order = po.id;
  events_->emit(trace::Category::tester, "order.submitted",
                {{"productOrder", po.id}, {"customer", po.customer}, {"product", po.product}, {"corr", corr}});
  request(op::create_service_order, path::service_order, std::move(body), corr);
}

void TelecomOss::on_response(const Message& m) {
  const auto it = pending_.find(m.correlation_id);
  if (it == pending_.end()) {
    events_->emit(trace::Category::tester, "response.unexpected", {{"corr", m.correlation_id}, {"status", m.status}});
    return;
  }
  const std::string product_order = it->second;
  pending_.erase(it);
  const std::string reason = text(m.body, "reason");
  if (product_order.empty()) { // the hub subscription
    if (m.status == 201) {
      subscribed_ = true;
      while (!waiting_.empty()) {
        submit(waiting_.front());
        waiting_.pop_front();
      }
    } else {
      events_->emit(trace::Category::tester, "hub.refused", {{"status", m.status}, {"reason", reason}});
      while (!waiting_.empty()) { // nothing can be tracked without notifications
        Tracked& t = tracked_[waiting_.front().id];
        t.product_order = waiting_.front().id;
        resolve(t, false, "hub subscription refused");
        waiting_.pop_front();
      }
    }
    return;
  }
  Tracked& t = tracked_.at(product_order);
  if (m.status == 201 && m.body.is_object() && m.body.contains("id") && m.body["id"].is_string()) {
    t.order_id = m.body["id"].get<std::string>();
    by_order_id_[t.order_id] = product_order;
    if (t.order_state.empty()) // a notification may have overtaken the response
      t.order_state = text(m.body, "state");
    return;
  }
  resolve(t, false, fmt::format("order refused ({}): {}", m.status, reason));
}

TelecomOss::Tracked* TelecomOss::by_external_id(const std::string& external_id) {
  const auto it = tracked_.find(external_id);
  return it == tracked_.end() ? nullptr : &it->second;
}

void TelecomOss::on_notification(const Message& m) {
  // A listener answers every event it receives, as a TM Forum listener answers the POST.
  Message ack{MessageKind::response, m.type, m.correlation_id, 204, "", nlohmann::json::object()};
  i1::InSimBinding::send(*this, *cloud_, ack, Direction::telecom_to_cloud);

  const auto& env = m.body;
  const nlohmann::json* event =
      env.is_object() && env.contains("event") && env["event"].is_object() ? &env["event"] : nullptr;
  if (m.type == event::service_order_state_change && event && event->contains("serviceOrder")) {
    const auto& order = (*event)["serviceOrder"];
    Tracked* t = by_external_id(text(order, "externalId"));
    if (!t) {
      const auto po = by_order_id_.find(text(order, "id"));
      t = po == by_order_id_.end() ? nullptr : &tracked_.at(po->second);
    }
    if (!t) {
      events_->emit(trace::Category::tester, "notification.unmatched", {{"corr", m.correlation_id}});
      return;
    }
    t->order_state = text(order, "state");
    if (t->order_id.empty() && !text(order, "id").empty()) {
      t->order_id = text(order, "id");
      by_order_id_[t->order_id] = t->product_order;
    }
    if (order.contains("serviceOrderItem") && order["serviceOrderItem"].is_array())
      for (const auto& item : order["serviceOrderItem"])
        if (item.is_object() && item.contains("service"))
          if (const auto id = text(item["service"], "id"); !id.empty())
            t->services.insert(id);
    if (t->order_state == "completed")
      check_active(*t);
    else if (t->order_state == "failed" || t->order_state == "partial" || t->order_state == "rejected" ||
             t->order_state == "cancelled") {
      std::string why = "service order " + t->order_state;
      if (order.contains("errorMessage") && order["errorMessage"].is_array())
        for (const auto& err : order["errorMessage"])
          why += ": " + text(err, "code");
      resolve(*t, false, why);
    }
    return;
  }
  if (m.type == event::service_state_change && event && event->contains("service")) {
    const auto& svc = (*event)["service"];
    const std::string id = text(svc, "id");
    service_state_[id] = text(svc, "state");
    if (svc.contains("serviceOrderItem") && svc["serviceOrderItem"].is_array() && !svc["serviceOrderItem"].empty()) {
      const auto po = by_order_id_.find(text(svc["serviceOrderItem"][0], "serviceOrderId"));
      if (po != by_order_id_.end()) {
        Tracked& t = tracked_.at(po->second);
        t.services.insert(id);
        check_active(t);
      }
    }
    return;
  }
  events_->emit(trace::Category::tester, "notification.unmatched", {{"corr", m.correlation_id}});
}

void TelecomOss::check_active(Tracked& t) {
  if (t.resolved || t.order_state != "completed" || t.services.empty())
    return;
  for (const auto& s : t.services) {
    const auto st = service_state_.find(s);
    if (st == service_state_.end() || st->second != "active")
      return;
  }
  resolve(t, true, "");
}

void TelecomOss::resolve(Tracked& t, bool active, const std::string& reason) {
  if (t.resolved)
    return;
  t.resolved = true;
  if (active)
    events_->emit(trace::Category::tester, "product.active",
                  {{"productOrder", t.product_order}, {"serviceOrder", t.order_id}});
  else
    events_->emit(trace::Category::tester, "product.failed",
                  {{"productOrder", t.product_order}, {"serviceOrder", t.order_id}, {"reason", reason}});
  send(*bss_, world::ProductStatus{t.product_order, active, reason}, world::kProductMessageBytes);
}

// ---------------------------------------------------------------------------------------------- Telecom BSS

TelecomBss::TelecomBss(simgrid::s4u::Host* host, const scenario::Scenario& sc, std::uint64_t seed,
                       trace::EventStream& events)
    : Daemon(host->get_name(), host)
    , sc_(&sc)
    , events_(&events)
    , rng_(Random::for_stream(seed, host->get_name())) {
  for (const auto& share : sc.workload.mix)
    total_weight_ += share.weight;
}

void TelecomBss::on_start() {
  after(sc_->stop.max_time, [this] { end("stop.max_time reached"); });
  after(sc_->workload.start, [this] { arrive(); });
}

void TelecomBss::arrive() {
  const std::string id = fmt::format("PO-{:07}", ++sold_);
  const std::string customer =
      fmt::format("CUST-{:06}", rng_.below(static_cast<std::uint64_t>(sc_->customers.count)) + 1);
  double pick = rng_.uniform() * total_weight_;
  std::string product = sc_->workload.mix.back().product;
  for (const auto& share : sc_->workload.mix) {
    if (pick < share.weight) {
      product = share.product;
      break;
    }
    pick -= share.weight;
  }
  send(*oss_, world::ProductOrder{id, customer, product}, world::kProductMessageBytes);
  if (sold_ < sc_->workload.orders) {
    const double gap = sc_->workload.arrival == scenario::ArrivalProcess::fixed ? 1.0 / sc_->workload.rate
                                                                                : rng_.exponential(sc_->workload.rate);
    after(gap, [this] { arrive(); });
  }
}

void TelecomBss::on_envelope(world::Envelope&& envelope) {
  if (std::holds_alternative<world::ProductStatus>(envelope) && ++resolved_ == sc_->workload.orders) {
    events_->emit(trace::Category::tester, "orders.resolved", {{"sold", sold_}, {"resolved", resolved_}});
    after(sc_->stop.drain, [this] { end("all orders resolved"); });
  }
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
