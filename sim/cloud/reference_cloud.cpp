// Reference Cloud BSS/OSS: validates service orders, places one VM per requested instance in the data centre
// with the most free cores, and reports order and service states as they really change.
#include "cloud/reference_cloud.hpp"

#include <fmt/format.h>

namespace i1sim::cloud {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

nlohmann::json error_body(const std::string& code, const std::string& reason, const std::string& message) {
  return {{"code", code}, {"reason", reason}, {"message", message}};
}

/// `obj[key]` when it is a string, else `fallback` (a wrong type is treated as absent, never thrown on).
std::string text_or(const nlohmann::json& obj, const char* key, const std::string& fallback = {}) {
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : fallback;
}

bool is_final(const std::string& item_state) { return item_state == "completed" || item_state == "failed"; }

/// Whether a hub subscription's query ("eventType=A,B" or empty) selects `event_type`.
bool selects(const std::string& query, std::string_view event_type) {
  if (query.empty())
    return true;
  constexpr std::string_view key = "eventType=";
  if (query.rfind(key, 0) != 0)
    return true; // filters on other attributes are not evaluated by this implementation
  std::string_view list(query);
  list.remove_prefix(key.size());
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (list.substr(0, comma) == event_type)
      return true;
    if (comma == std::string_view::npos)
      break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

} // namespace

const CloudServiceOffer* ReferenceCloud::offer(const std::string& id) const {
  for (const auto& o : setup_.offers)
    if (o.id == id)
      return &o;
  return nullptr;
}

void ReferenceCloud::on_request(CloudContext& ctx, const Message& request) {
  if (request.type == op::create_hub)
    create_hub(ctx, request);
  else if (request.type == op::create_service_order)
    create_order(ctx, request);
  else
    ctx.respond(request, 404, error_body("notFound", "unknown operation", request.type));
}

void ReferenceCloud::create_hub(CloudContext& ctx, const Message& request) {
  const auto& b = request.body;
  if (!b.is_object() || !b.contains("callback") || !b["callback"].is_string()) {
    ctx.respond(request, 400, error_body("invalidBody", "callback is mandatory", "EventSubscriptionInput.callback"));
    return;
  }
  const std::string id = fmt::format("HUB-{:04}", ++next_hub_);
  nlohmann::json sub{{"id", id}, {"callback", b["callback"]}, {"query", text_or(b, "query")}};
  hubs_[id] = sub;
  ctx.respond(request, 201, sub);
}

std::string ReferenceCloud::check_order(const nlohmann::json& body, std::vector<Requirements>& reqs,
                                        std::vector<const CloudServiceOffer*>& offers) const {
  if (!body.is_object())
    return "the body must be a ServiceOrder_Create object";
  const auto items = body.find("serviceOrderItem");
  if (items == body.end() || !items->is_array() || items->empty())
    return "serviceOrderItem: at least one item is mandatory";
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& it = (*items)[i];
    const std::string at = fmt::format("serviceOrderItem[{}]", i);
    if (!it.is_object() || !it.contains("id") || !it["id"].is_string())
      return at + ".id: mandatory string";
    if (text_or(it, "action") != "add")
      return at + ".action: this implementation accepts 'add'";
    const auto& svc = it.value("service", nlohmann::json());
    if (!svc.is_object() || !svc.contains("serviceSpecification") || !svc["serviceSpecification"].is_object() ||
        !svc["serviceSpecification"].contains("id") || !svc["serviceSpecification"]["id"].is_string())
      return at + ".service.serviceSpecification.id: mandatory string";
    const CloudServiceOffer* o = offer(svc["serviceSpecification"]["id"].get<std::string>());
    if (!o)
      return at + ".service.serviceSpecification.id: unknown specification '" +
             svc["serviceSpecification"]["id"].get<std::string>() + "'";
    Requirements r;
    r.instances = o->instances;
    const auto chars = svc.value("serviceCharacteristic", nlohmann::json::array());
    if (!chars.is_array())
      return at + ".service.serviceCharacteristic: must be a list";
    for (std::size_t c = 0; c < chars.size(); ++c) {
      const auto& ch = chars[c];
      const std::string cat = fmt::format("{}.service.serviceCharacteristic[{}]", at, c);
      if (!ch.is_object() || !ch.contains("name") || !ch["name"].is_string() || !ch.contains("value") ||
          !ch["value"].is_number() || ch["value"].get<double>() < 0)
        return cat + ": name and a non-negative numeric value are mandatory";
      const auto name = ch["name"].get<std::string>();
      const double v = ch["value"].get<double>();
      if (name == characteristic::instances)
        r.instances = static_cast<int>(v);
      else if (name == characteristic::vcpu)
        r.vcpu = static_cast<int>(v);
      else if (name == characteristic::memory_mib)
        r.ram = v * kMiB;
      else if (name == characteristic::storage_mib)
        r.storage = v * kMiB;
      else if (name == characteristic::min_core_speed)
        r.min_core_speed = v * 1e9;
    }
    if (r.instances < 1 || r.vcpu < 1 || r.ram <= 0 || r.storage <= 0)
      return at + ".service.serviceCharacteristic: instances, vCPU, memoryMiB and storageMiB must be positive";
    reqs.push_back(r);
    offers.push_back(o);
  }
  return {};
}

void ReferenceCloud::create_order(CloudContext& ctx, const Message& request) {
  std::vector<Requirements> reqs;
  std::vector<const CloudServiceOffer*> offers;
  if (const std::string problem = check_order(request.body, reqs, offers); !problem.empty()) {
    ctx.respond(request, 400, error_body("invalidBody", "the service order is not valid", problem));
    return;
  }
  Order order;
  order.id = fmt::format("SO-{:06}", ++next_order_);
  order.external_id = text_or(request.body, "externalId");
  order.state = "acknowledged";
  order.order_date = ctx.timestamp();
  order.related_party = request.body.contains("relatedParty") && request.body["relatedParty"].is_array()
                            ? request.body["relatedParty"]
                            : nlohmann::json::array();
  const auto& items = request.body["serviceOrderItem"];
  for (std::size_t i = 0; i < items.size(); ++i) {
    Service svc;
    svc.id = fmt::format("SVC-{:06}", ++next_service_);
    svc.order_id = order.id;
    svc.item = i;
    svc.state = "designed";
    svc.offer = offers[i];
    svc.req = reqs[i];
    svc.characteristics = items[i]["service"].value("serviceCharacteristic", nlohmann::json::array());
    svc.related_party = order.related_party;
    order.items.push_back(Item{items[i]["id"].get<std::string>(), "acknowledged", svc.id});
    services_[svc.id] = std::move(svc);
  }
  auto& stored = orders_[order.id] = std::move(order);
  ctx.respond(request, 201, order_json(stored));

  for (auto& item : stored.items)
    item.state = "inProgress";
  set_order_state(ctx, stored, "inProgress");
  for (const auto& item : stored.items)
    start_service(ctx, services_.at(item.service_id));
}

void ReferenceCloud::start_service(CloudContext& ctx, Service& svc) {
  // The data centre with the most free cores now; the first listed wins a tie. Free cores only change once a
  // data centre has the request, so every instance of the service goes to the same one.
  std::string where;
  long long best = -1;
  for (const auto& dc : ctx.dc().data_centres())
    if (dc.free_cores > best) {
      best = dc.free_cores;
      where = dc.name;
    }
  const VmRequest r{svc.id,
                    svc.req.vcpu,
                    svc.req.ram,
                    svc.req.storage,
                    svc.offer->image_size,
                    svc.offer->boot_work,
                    svc.req.min_core_speed};
  for (int i = 0; i < svc.req.instances; ++i) {
    const VmId vm = ctx.dc().create_vm(where, r);
    svc.vms.push_back(vm);
    svc.vm_dc[vm] = where;
    vm_owner_[vm] = svc.id;
  }
}

void ReferenceCloud::on_dc_event(CloudContext& ctx, const DcEvent& event) {
  const auto owner = vm_owner_.find(event.vm);
  if (owner == vm_owner_.end())
    return;
  Service& svc = services_.at(owner->second);
  if (svc.failed)
    return; // the service already failed; its remaining VMs are being destroyed
  switch (event.kind) {
  case DcEventKind::vm_placed:
    svc.vm_host[event.vm] = event.host;
    if (svc.vm_host.size() == svc.vms.size())
      set_service_state(ctx, svc, "reserved");
    break;
  case DcEventKind::vm_booted:
    if (++svc.booted == svc.vms.size()) {
      set_service_state(ctx, svc, "active");
      Order& order = orders_.at(svc.order_id);
      order.items[svc.item].state = "completed";
      item_done(ctx, order);
    }
    break;
  case DcEventKind::vm_failed:
    svc.vm_host.erase(event.vm);
    svc.vms.erase(std::remove(svc.vms.begin(), svc.vms.end(), event.vm), svc.vms.end());
    service_failed(ctx, svc, event.reason);
    break;
  case DcEventKind::vm_destroyed:
    break;
  }
}

void ReferenceCloud::service_failed(CloudContext& ctx, Service& svc, const std::string& reason) {
  svc.failed = true;
  for (VmId vm : svc.vms)
    ctx.dc().destroy_vm(svc.vm_dc.at(vm), vm);
  svc.vm_host.clear();
  set_service_state(ctx, svc, "terminated");
  Order& order = orders_.at(svc.order_id);
  order.items[svc.item].state = "failed";
  order.errors.push_back(
      {{"code", reason},
       {"reason", "the data centre could not provide a virtual machine"},
       {"timestamp", ctx.timestamp()},
       {"serviceOrderItem", {{{"itemId", order.items[svc.item].id}, {"serviceOrderId", order.id}}}}});
  item_done(ctx, order);
}

void ReferenceCloud::item_done(CloudContext& ctx, Order& order) {
  std::size_t completed = 0;
  for (const auto& item : order.items) {
    if (!is_final(item.state))
      return;
    completed += item.state == "completed" ? 1 : 0;
  }
  order.completion_date = ctx.timestamp();
  if (completed == order.items.size())
    set_order_state(ctx, order, "completed");
  else if (completed == 0)
    set_order_state(ctx, order, "failed");
  else
    set_order_state(ctx, order, "partial");
}

void ReferenceCloud::set_service_state(CloudContext& ctx, Service& svc, const std::string& state) {
  svc.state = state;
  publish(ctx, event::service_state_change, {{"service", service_json(svc)}});
}

void ReferenceCloud::set_order_state(CloudContext& ctx, Order& order, const std::string& state) {
  order.state = state;
  publish(ctx, event::service_order_state_change, {{"serviceOrder", order_json(order)}});
}

void ReferenceCloud::publish(CloudContext& ctx, std::string_view event_type, nlohmann::json event) {
  for (const auto& [id, sub] : hubs_) {
    if (!selects(sub["query"].get<std::string>(), event_type))
      continue;
    const std::string event_id = fmt::format("EV-{:07}", ++next_event_);
    nlohmann::json envelope{
        {"eventId", event_id}, {"eventTime", ctx.timestamp()}, {"eventType", event_type}, {"event", event}};
    ctx.notify(sub["callback"].get<std::string>(), event_type, event_id, std::move(envelope));
  }
}

nlohmann::json ReferenceCloud::order_json(const Order& order) const {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : order.items) {
    const Service& svc = services_.at(item.service_id);
    items.push_back({{"id", item.id},
                     {"action", "add"},
                     {"state", item.state},
                     {"service",
                      {{"id", svc.id},
                       {"href", "/tmf-api/serviceInventory/v4/service/" + svc.id},
                       {"state", svc.state},
                       {"serviceSpecification", {{"id", svc.offer->id}, {"name", svc.offer->name}}}}}});
  }
  nlohmann::json j{{"id", order.id},
                   {"href", std::string(path::service_order) + "/" + order.id},
                   {"externalId", order.external_id},
                   {"state", order.state},
                   {"orderDate", order.order_date},
                   {"relatedParty", order.related_party},
                   {"serviceOrderItem", items}};
  if (!order.completion_date.empty())
    j["completionDate"] = order.completion_date;
  if (!order.errors.empty())
    j["errorMessage"] = order.errors;
  return j;
}

nlohmann::json ReferenceCloud::service_json(const Service& svc) const {
  nlohmann::json resources = nlohmann::json::array();
  nlohmann::json places = nlohmann::json::array();
  for (VmId vm : svc.vms) {
    const auto host = svc.vm_host.find(vm);
    if (host == svc.vm_host.end())
      continue;
    resources.push_back(
        {{"id", fmt::format("vm-{}", vm)}, {"@referredType", "VirtualMachine"}, {"host", host->second}});
    const nlohmann::json place{{"id", svc.vm_dc.at(vm)}, {"role", "dataCentre"}};
    if (std::find(places.begin(), places.end(), place) == places.end())
      places.push_back(place);
  }
  return {{"id", svc.id},
          {"href", "/tmf-api/serviceInventory/v4/service/" + svc.id},
          {"name", svc.offer->name},
          {"state", svc.state},
          {"serviceSpecification", {{"id", svc.offer->id}, {"name", svc.offer->name}}},
          {"serviceCharacteristic", svc.characteristics},
          {"serviceOrderItem",
           {{{"serviceOrderId", svc.order_id}, {"itemId", orders_.at(svc.order_id).items[svc.item].id}}}},
          {"relatedParty", svc.related_party},
          {"place", places},
          {"supportingResource", resources}};
}

} // namespace i1sim::cloud
