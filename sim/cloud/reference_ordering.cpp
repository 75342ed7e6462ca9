// Reference Cloud BSS/OSS, part 2: service ordering (add, modify, delete, cancel), activation in the data
// centres within the allowed jurisdictions, and the service inventory.
#include "cloud/reference_cloud.hpp"
#include "cloud/reference_util.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace i1sim::cloud {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr std::string_view kOrderPath = "/tmf-api/serviceOrdering/v4/serviceOrder/";
constexpr std::string_view kServicePath = "/tmf-api/serviceInventory/v4/service/";

/// The item no longer waits for `vm`; a list that empties gives its memory back (items are kept for the run).
template <typename ItemT> void unwait(ItemT& item, VmId vm) {
  if (!item.work) // final: it waits for nothing
    return;
  std::erase(item.work->waiting, vm);
  if (item.work->waiting.empty())
    std::vector<VmId>().swap(item.work->waiting);
}

bool is_final(const std::string& item_state) {
  return item_state == "completed" || item_state == "failed" || item_state == "cancelled" || item_state == "rejected";
}

std::string customer_of(const nlohmann::json& related_party) {
  for (const auto& p : related_party)
    if (text_or(p, "role") == "customer")
      return text_or(p, "id");
  return {};
}

} // namespace

std::string ReferenceCloud::check_item(const nlohmann::json& item, std::size_t index, Requirements& req,
                                       const CloudServiceOffer*& off, std::vector<std::string>& jurisdictions) const {
  const std::string at = fmt::format("serviceOrderItem[{}]", index);
  const std::string action = item["action"].get<std::string>();
  const auto& svc = item["service"];
  if (action == "add") {
    const std::string spec_id = text_or(svc.value("serviceSpecification", nlohmann::json()), "id");
    off = offer(spec_id);
    if (!off)
      return fmt::format("{}.service.serviceSpecification.id: unknown service specification '{}'", at, spec_id);
    req.instances = off->instances;
  } else if (action == "modify" || action == "delete") {
    if (text_or(svc, "id").empty())
      return fmt::format("{}.service.id: {} needs the id of the service", at, action);
  }
  const auto chars = svc.value("serviceCharacteristic", nlohmann::json::array());
  for (std::size_t c = 0; c < chars.size(); ++c) {
    const auto& ch = chars[c];
    const std::string where = fmt::format("{}.service.serviceCharacteristic[{}].value", at, c);
    const std::string name = ch["name"].get<std::string>();
    const auto& v = ch["value"];
    auto positive_int = [&](std::int64_t max) -> std::optional<std::int64_t> {
      if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > max)
        return std::nullopt;
      return v.get<std::int64_t>();
    };
    if (name == "instances") {
      const auto n = positive_int(1000);
      if (!n)
        return where + ": instances must be an integer from 1 to 1000";
      req.instances = static_cast<int>(*n);
    } else if (name == "vCPU") {
      const auto n = positive_int(4096);
      if (!n)
        return where + ": vCPU must be an integer from 1 to 4096";
      req.vcpu = static_cast<int>(*n);
    } else if (name == "memoryMiB" || name == "storageMiB") {
      const auto n = positive_int(std::int64_t{1} << 40);
      if (!n)
        return where + ": " + name + " must be a positive integer";
      (name == "memoryMiB" ? req.ram_mib : req.storage_mib) = *n;
    } else if (name == "minCoreSpeedGflops" || name == "maxActivationSeconds") {
      if (!v.is_number() || v.get<double>() < 0)
        return where + ": " + name + " must be a number of at least 0";
      (name == "minCoreSpeedGflops" ? req.min_core_speed : req.max_activation) =
          v.get<double>() * (name == "minCoreSpeedGflops" ? 1e9 : 1.0);
    } else if (name == "availabilityObjective") {
      if (!v.is_number() || v.get<double>() <= 0 || v.get<double>() > 100)
        return where + ": availabilityObjective must be a percentage above 0 and at most 100";
      req.availability = v.get<double>();
    } else if (name == "allowedJurisdiction") {
      if (!v.is_array() || v.empty())
        return where + ": allowedJurisdiction must be a list of country codes";
      for (const auto& j : v) {
        if (!j.is_string() || j.get<std::string>().size() != 2)
          return where + ": allowedJurisdiction must be a list of ISO 3166-1 alpha-2 codes";
        jurisdictions.push_back(j.get<std::string>());
      }
    } else {
      return fmt::format("{}.service.serviceCharacteristic[{}].name: unknown characteristic '{}'", at, c, name);
    }
  }
  if (action == "add" && (req.vcpu < 1 || req.ram_mib < 1 || req.storage_mib < 1))
    return at + ".service.serviceCharacteristic: vCPU, memoryMiB and storageMiB are mandatory for add";
  return {};
}

void ReferenceCloud::create_order(CloudContext& ctx, const Message& request, const std::string& op) {
  const auto& b = request.body;
  const std::string external_id = b["externalId"].get<std::string>();
  // Idempotency (a profile addition): the same externalId from the same operator is the same order.
  std::uint32_t external = 0;
  if (const auto of = db_.by_external_id.find(op); of != db_.by_external_id.end() &&
                                                   db_.external_ids.find(external_id, external) &&
                                                   external < of->second.size() && of->second[external] != 0) {
    ctx.respond(request, 200, order_json(db_.orders[of->second[external]]));
    return;
  }
  const std::string customer = customer_of(b["relatedParty"]);
  if (customer.empty()) {
    ctx.respond(request, 400, error_body("invalidBody", "no related party has the role customer", "relatedParty"));
    return;
  }
  std::vector<Requirements> reqs(b["serviceOrderItem"].size());
  std::vector<const CloudServiceOffer*> offers(reqs.size(), nullptr);
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    std::vector<std::string> jurisdictions;
    if (const std::string problem = check_item(b["serviceOrderItem"][i], i, reqs[i], offers[i], jurisdictions);
        !problem.empty()) {
      const auto colon = problem.find(": ");
      ctx.respond(request, 400, error_body("invalidBody", problem.substr(colon + 2), problem.substr(0, colon)));
      return;
    }
    if (!jurisdictions.empty())
      reqs[i].jurisdictions = &*db_.jurisdiction_lists.insert(std::move(jurisdictions)).first;
  }

  Order order;
  order.number = static_cast<std::uint32_t>(++db_.next_order);
  order.op = op;
  order.external_id = db_.external_ids.id(external_id);
  order.customer = customer;
  order.state = "acknowledged";
  order.order_date = ctx.timestamp();
  order.description = text_or(b, "description");
  order.related_party = StoredJson(b["relatedParty"], db_.texts);
  order.items.reserve(reqs.size()); // kept for the run: no room to spare
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    const auto& it = b["serviceOrderItem"][i];
    Item item;
    item.id = it["id"].get<std::string>();
    item.action = it["action"].get<std::string>();
    item.state = "acknowledged";
    item.service_value = StoredJson(it["service"], db_.texts);
    if (item.action == "add") {
      Service svc;
      const auto number = static_cast<std::uint32_t>(++db_.next_service);
      svc.exists = true;
      svc.number = number;
      svc.op = op;
      svc.customer = customer;
      svc.offer = offers[i];
      svc.req = reqs[i];
      svc.characteristics =
          StoredJson(it["service"].value("serviceCharacteristic", nlohmann::json::array()), db_.texts);
      svc.last_order = order.number;
      item.service = number;
      db_.services_of[{op, customer}].push_back(number);
      if (db_.services.size() + 1 != number)
        throw std::logic_error("services are numbered in creation order");
      db_.services.push_back(std::move(svc));
    } else { // an id that is not exactly one the Cloud gave names no service
      item.service = static_cast<std::uint32_t>(kServiceIds.number(text_or(it["service"], "id"), db_.services.size()));
    }
    order.items.push_back(std::move(item));
  }
  if (db_.orders.size() + 1 != order.number)
    throw std::logic_error("orders are numbered in creation order");
  Order& stored = db_.orders.push_back(std::move(order));
  auto& by_external_id = db_.by_external_id[op];
  if (by_external_id.size() <= stored.external_id)
    by_external_id.resize(std::max<std::size_t>(stored.external_id + 1, by_external_id.size() * 2), 0);
  by_external_id[stored.external_id] = stored.number;
  ctx.respond(request, 201, order_json(stored));

  if (!db_.customers.count(op + "/" + customer)) { // I1-CUS-002: customers are synchronised before ordering
    for (auto& item : stored.items)
      finish_item(item, "rejected");
    stored.errors.push_back({{"code", "customerUnknown"},
                             {"reason", "the customer was not created over I1 before this order"},
                             {"timestamp", ctx.timestamp()},
                             {"serviceOrderItem", nlohmann::json::array()}});
    for (const auto& item : stored.items)
      stored.errors.back()["serviceOrderItem"].push_back({{"id", item.id}});
    for (auto& item : stored.items)
      if (item.action == "add")
        db_.services[item.service] = Service{}; // gone, and its memory with it
    set_order_state(ctx, stored, "rejected");
    return;
  }
  for (auto& item : stored.items)
    item.state = "inProgress";
  set_order_state(ctx, stored, "inProgress");
  for (std::size_t i = 0; i < stored.items.size(); ++i)
    start_item(ctx, stored, i);
}

void ReferenceCloud::start_item(CloudContext& ctx, Order& order, std::size_t index) {
  Item& item = order.items[index];
  if (item.action == "add") {
    const Service& svc = *find_service(item.service);
    const double limit = svc.req.max_activation > 0 ? svc.req.max_activation : setup_.timer("T_activation");
    if (limit > 0) {
      item.work->deadline = ms(ctx.now() + limit); // durable: a restart re-arms it
      set_timer(ctx, limit, Timer{Timer::Kind::deadline, fmt::format("{}/{}", order_id(order), index)});
    }
    start_add(ctx, order, item);
  } else if (item.action == "modify")
    start_modify(ctx, order, item);
  else if (item.action == "delete")
    start_delete(ctx, order, item);
  else
    item_finished(ctx, order, item, "completed", {}, {});
}

void ReferenceCloud::start_add(CloudContext& ctx, Order& order, Item& item) {
  Service& svc = *find_service(item.service);
  set_service_state(ctx, svc, "designed");
  // Free cores only change once a data centre has the request, so every instance goes to the same one.
  const std::string where = choose_dc(ctx, order.op, order.customer, svc.req, {});
  if (where.empty()) {
    item_finished(ctx, order, item, "failed", "jurisdictionUnavailable",
                  "no data centre in a jurisdiction the customer allows can host the service");
    return;
  }
  svc.operating = "starting";
  const VmRequest r{kServiceIds.id(svc.number),
                    svc.req.vcpu,
                    static_cast<double>(svc.req.ram_mib) * kMiB,
                    static_cast<double>(svc.req.storage_mib) * kMiB,
                    svc.offer->image_size,
                    svc.offer->boot_work,
                    svc.req.min_core_speed};
  for (int i = 0; i < svc.req.instances; ++i) {
    const VmId vm = ctx.dc().create_vm(where, r);
    add_vm(svc, vm, where);
    db_.vm_owner.set(vm, svc.number);
    wait_for(order, item, vm);
  }
}

std::string ReferenceCloud::choose_dc(CloudContext& ctx, const std::string& op, const std::string& customer,
                                      const Requirements& req, const std::string& preferred) const {
  // Regulation: only data centres of a jurisdiction the customer (and the item, if it narrows it) allows; the
  // data centre the service already runs in first, else the allowed one with the most free cores now.
  const auto c = db_.customers.find(op + "/" + customer);
  if (c == db_.customers.end())
    return {};
  auto allowed = [&](const std::string& j) {
    const auto& cj = c->second.jurisdictions;
    const bool by_customer = std::find(cj.begin(), cj.end(), j) != cj.end();
    const bool by_item = !req.jurisdictions ||
                         std::find(req.jurisdictions->begin(), req.jurisdictions->end(), j) != req.jurisdictions->end();
    return by_customer && by_item;
  };
  std::string where;
  long long best = -1;
  for (const auto& dc : ctx.dc().data_centres()) {
    if (!allowed(dc.jurisdiction))
      continue;
    if (dc.name == preferred)
      return dc.name;
    if (dc.free_cores > best) {
      best = dc.free_cores;
      where = dc.name;
    }
  }
  return where;
}

void ReferenceCloud::wait_for(Order& order, Item& item, VmId vm) {
  if (std::find(item.work->waiting.begin(), item.work->waiting.end(), vm) == item.work->waiting.end())
    item.work->waiting.push_back(vm);
  db_.waiters[vm].emplace_back(order.number, static_cast<std::uint32_t>(&item - order.items.data()));
}

void ReferenceCloud::start_modify(CloudContext& ctx, Order& order, Item& item) {
  Service* const found = find_service(item.service);
  if (!found || found->op != order.op || found->customer != order.customer || found->state != "active") {
    item_finished(ctx, order, item, "failed", "unknownService",
                  "the service does not exist, is not active or belongs to another customer");
    return;
  }
  Service& svc = *found;
  const auto chars = item.service_value.get().value("serviceCharacteristic", nlohmann::json::array());
  int wanted = svc.req.instances;
  for (const auto& ch : chars) {
    if (ch["name"] == characteristic::instances)
      wanted = ch["value"].get<int>();
    else if (ch["name"] != characteristic::availability) {
      // Running machines are not resized: such a change is refused, never only written into the inventory.
      item_finished(ctx, order, item, "failed", "unsupportedChange",
                    fmt::format("only instances and {} can be modified", characteristic::availability));
      return;
    }
  }
  svc.last_order = order.number;
  item.work->old_instances = svc.req.instances;
  item.work->old_characteristics = svc.characteristics;
  item.work->old_availability = svc.req.availability;
  // The characteristics as now ordered replace the ones ordered before, name by name.
  nlohmann::json characteristics = svc.characteristics.get();
  for (const auto& ch : chars) {
    if (ch["name"] == characteristic::availability) {
      svc.req.availability = ch["value"].get<double>();
    }
    bool replaced = false;
    for (auto& mine : characteristics)
      if (mine["name"] == ch["name"]) {
        mine = ch;
        replaced = true;
      }
    if (!replaced)
      characteristics.push_back(ch);
  }
  svc.characteristics = StoredJson(characteristics, db_.texts);
  // Machines already on their way out do not count: the service scales from what it keeps.
  std::vector<VmId> kept;
  for (const Vm& vm : svc.vms)
    if (!vm.leaving)
      kept.push_back(vm.id);
  const int now = static_cast<int>(kept.size());
  svc.req.instances = wanted;
  if (wanted > now) {
    const std::string current = kept.empty() ? std::string() : svc.vm(kept.front())->dc.str();
    const std::string where = choose_dc(ctx, order.op, order.customer, svc.req, current);
    if (where.empty()) {
      item_finished(ctx, order, item, "failed", "jurisdictionUnavailable",
                    "no data centre in a jurisdiction the customer allows can host the new machines");
      return;
    }
    const VmRequest r{kServiceIds.id(svc.number),
                      svc.req.vcpu,
                      static_cast<double>(svc.req.ram_mib) * kMiB,
                      static_cast<double>(svc.req.storage_mib) * kMiB,
                      svc.offer->image_size,
                      svc.offer->boot_work,
                      svc.req.min_core_speed};
    for (int i = now; i < wanted; ++i) {
      const VmId vm = ctx.dc().create_vm(where, r);
      add_vm(svc, vm, where);
      db_.vm_owner.set(vm, svc.number);
      wait_for(order, item, vm);
      item.work->added.push_back(vm);
    }
  } else if (wanted < now) {
    for (int i = 0; i < now - wanted; ++i) { // the newest machines go first
      const VmId vm = kept[kept.size() - 1 - static_cast<std::size_t>(i)];
      wait_for(order, item, vm);
      release_vm(ctx, svc, vm);
    }
  } else {
    item_finished(ctx, order, item, "completed", {}, {});
  }
}

void ReferenceCloud::start_delete(CloudContext& ctx, Order& order, Item& item) {
  Service* const found = find_service(item.service);
  if (!found || found->op != order.op || found->customer != order.customer || found->state == "terminated" ||
      found->state == "designed") {
    item_finished(ctx, order, item, "failed", "unknownService",
                  "the service does not exist, is already terminated or belongs to another customer");
    return;
  }
  Service& svc = *found;
  svc.last_order = order.number;
  if (svc.vms.empty()) {
    set_service_state(ctx, svc, "terminated");
    item_finished(ctx, order, item, "completed", {}, {});
    return;
  }
  set_operating(ctx, svc, "stopping");
  std::vector<VmId> ids;
  for (const Vm& vm : svc.vms)
    ids.push_back(vm.id);
  for (VmId vm : ids) {
    wait_for(order, item, vm);
    release_vm(ctx, svc, vm);
  }
}

void ReferenceCloud::restore(Service& svc, const Item& item) {
  svc.req.instances = item.work->old_instances;
  svc.characteristics = item.work->old_characteristics;
  svc.req.availability = item.work->old_availability;
}

void ReferenceCloud::add_vm(Service& svc, VmId vm, const std::string& dc) {
  const auto at = std::lower_bound(svc.vms.begin(), svc.vms.end(), vm, [](const Vm& v, VmId x) { return v.id < x; });
  svc.vms.insert(at, Vm{vm, Sym(dc)});
}

void ReferenceCloud::release_vm(CloudContext& ctx, Service& svc, VmId vm) {
  Vm& v = *svc.vm(vm);
  if (v.leaving)
    return;
  v.leaving = true;
  ctx.dc().destroy_vm(v.dc, vm);
}

void ReferenceCloud::forget_waiters(VmId vm) {
  const auto it = db_.waiters.find(vm);
  if (it == db_.waiters.end())
    return;
  // What items_waiting_for would leave out: an item that no longer waits for the machine never waits for it again.
  std::erase_if(it->second, [&](const auto& waiter) {
    const Item& item = db_.orders[waiter.first].items.at(waiter.second);
    return !(item.state == "inProgress" && item.work &&
             std::find(item.work->waiting.begin(), item.work->waiting.end(), vm) != item.work->waiting.end());
  });
  if (it->second.empty())
    db_.waiters.erase(it);
}

std::vector<std::pair<ReferenceCloud::Order*, ReferenceCloud::Item*>> ReferenceCloud::items_waiting_for(VmId vm) {
  std::vector<std::pair<Order*, Item*>> out;
  const auto it = db_.waiters.find(vm);
  if (it == db_.waiters.end())
    return out;
  for (const auto& [number, index] : it->second) {
    Order& order = db_.orders[number];
    Item& item = order.items.at(index);
    if (item.state == "inProgress" && item.work &&
        std::find(item.work->waiting.begin(), item.work->waiting.end(), vm) != item.work->waiting.end())
      out.emplace_back(&order, &item);
  }
  return out;
}

void ReferenceCloud::on_dc_event(CloudContext& ctx, const DcEvent& event) {
  redeliver_due(ctx);
  Service* const svc = find_service(db_.vm_owner.get(event.vm));
  if (!svc)
    return;
  vm_event(ctx, *svc, event);
}

void ReferenceCloud::vm_event(CloudContext& ctx, Service& svc, const DcEvent& event) {
  Vm* const found = svc.vm(event.vm);
  if (!found)
    return;
  Vm& vm = *found;
  // Several items may wait for one machine: a scale-down destroying it, then a delete of the whole service.
  const auto waiting = items_waiting_for(event.vm);
  switch (event.kind) {
  case DcEventKind::vm_placed: {
    vm.placed = !event.host.empty();
    bool all = true;
    for (const Vm& v : svc.vms)
      all = all && v.placed;
    if (all && svc.state == "designed")
      set_service_state(ctx, svc, "reserved");
    break;
  }
  case DcEventKind::vm_booted:
    // Metering counts from the boot, as the data centre reports it, even for a VM already being destroyed.
    vm.booted = true;
    svc.allocations.push_back(Allocation{event.vm, ms(event.time), -1});
    for (auto [order, item] : waiting) {
      if (vm.leaving || (item->action != "add" && item->action != "modify"))
        continue;
      unwait(*item, event.vm);
      if (item->waits())
        continue;
      if (item->action == "add") {
        set_service_state(ctx, svc, "active");
        svc.start_date = ctx.timestamp();
        set_operating(ctx, svc, svc.vms_down > 0 ? "degraded" : "running");
      }
      item_finished(ctx, *order, *item, "completed", {}, {});
    }
    forget_waiters(event.vm); // a machine that runs is mostly waited for by nothing more for the rest of the run
    break;
  case DcEventKind::vm_failed:
  case DcEventKind::vm_destroyed: {
    const bool failed = event.kind == DcEventKind::vm_failed;
    if (vm.down) { // a machine that is gone is no longer down
      vm.down = false;
      vm_up(ctx, svc, ms(event.time));
    }
    for (auto& a : svc.allocations)
      if (a.vm == event.vm && a.to < 0)
        a.to = ms(event.time);
    const bool was_leaving = vm.leaving;
    svc.vms.erase(svc.vms.begin() + (&vm - svc.vms.data()));
    db_.vm_owner.erase(event.vm);
    db_.waiters.erase(event.vm);
    for (auto [order, item] : waiting) {
      unwait(*item, event.vm);
      if (failed && !was_leaving && item->action != "delete")
        item_finished(ctx, *order, *item, "failed", event.reason,
                      "the data centre could not provide a virtual machine");
      else if (!item->waits() && (item->action == "delete" || item->action == "modify")) {
        if (item->action == "delete") {
          set_operating(ctx, svc, "stopped");
          svc.end_date = ctx.timestamp();
          set_service_state(ctx, svc, "terminated");
          end_jobs_of(ctx, svc);
        }
        item_finished(ctx, *order, *item, "completed", {}, {});
      }
    }
    break;
  }
  case DcEventKind::vm_down:
    if (!vm.down) {
      vm.down = true;
      vm_down(ctx, svc, ms(event.time));
    }
    break;
  case DcEventKind::vm_up:
    if (vm.down) {
      vm.down = false;
      vm_up(ctx, svc, ms(event.time));
    }
    break;
  }
}

void ReferenceCloud::item_finished(CloudContext& ctx, Order& order, Item& item, const std::string& state,
                                   const std::string& code, const std::string& reason) {
  if (is_final(item.state))
    return;
  item.state = state;
  if (state == "failed") {
    order.errors.push_back({{"code", code},
                            {"reason", reason},
                            {"timestamp", ctx.timestamp()},
                            {"serviceOrderItem", {{{"id", item.id}}}}});
    Service* const found = find_service(item.service);
    if (found && found->op == order.op) {
      Service& svc = *found;
      if (item.action == "add") { // nothing of a failed activation is kept
        std::vector<VmId> ids;
        for (const Vm& vm : svc.vms)
          ids.push_back(vm.id);
        for (VmId vm : ids)
          release_vm(ctx, svc, vm);
        if (svc.state != "terminated") {
          svc.operating = "stopped";
          svc.end_date = ctx.timestamp();
          set_service_state(ctx, svc, "terminated");
        }
      } else if (item.action == "modify" && !item.work->old_characteristics.is_null()) { // back to what it had
        for (VmId vm : item.work->added)
          if (svc.vm(vm))
            release_vm(ctx, svc, vm);
        restore(svc, item);
      }
    }
  }
  item.work.reset(); // final: only what order_json reads is kept
  order_progress(ctx, order);
}

void ReferenceCloud::finish_item(Item& item, const std::string& state) {
  item.state = state;
  item.work.reset();
}

void ReferenceCloud::order_progress(CloudContext& ctx, Order& order) {
  std::size_t completed = 0;
  bool all_final = true;
  for (const auto& item : order.items) {
    all_final = all_final && is_final(item.state);
    completed += item.state == "completed" ? 1 : 0;
  }
  if (!all_final || order.state != "inProgress") {
    notify_items(ctx, order);
    return;
  }
  order.completion_date = ctx.timestamp();
  if (completed == order.items.size())
    set_order_state(ctx, order, "completed");
  else if (completed == 0)
    set_order_state(ctx, order, "failed");
  else
    set_order_state(ctx, order, "partial");
}

void ReferenceCloud::cancel_order(CloudContext& ctx, const Message& request, const std::string& op) {
  const std::string order_id = request.body["serviceOrder"]["id"].get<std::string>();
  Order* const found = find_order(order_id);
  if (!found || found->op != op) {
    ctx.respond(request, 404, error_body("notFound", "no such service order", "serviceOrder.id"));
    return;
  }
  Order& order = *found;
  nlohmann::json task{{"id", fmt::format("CSO-{:06}", ++db_.next_task)},
                      {"serviceOrder", {{"id", order_id}, {"href", std::string(kOrderPath) + order_id}}},
                      {"cancellationReason", text_or(request.body, "cancellationReason", "requested")}};
  const bool cancellable =
      order.state == "acknowledged" || order.state == "inProgress" || order.state == "held" || order.state == "pending";
  if (!cancellable) {
    task["state"] = "terminatedWithError";
    task["errorMessage"] = fmt::format("the order is {} and can no longer be cancelled", order.state.str());
    ctx.respond(request, 201, task);
    return;
  }
  task["state"] = "accepted";
  ctx.respond(request, 201, task);
  const std::string previous = order.state;
  for (auto& item : order.items)
    if (!is_final(item.state))
      item.state = "assessingCancellation";
  order.cancellation_reason = db_.texts.intern(task["cancellationReason"].get<std::string>());
  set_order_state(ctx, order, "assessingCancellation");
  // A delete already under way cannot be undone: the cancellation is refused and the order goes on.
  bool deleting = false;
  for (const auto& item : order.items)
    deleting = deleting || (item.action == "delete" && item.state == "assessingCancellation");
  if (deleting) {
    for (auto& item : order.items)
      if (item.state == "assessingCancellation")
        item.state = "inProgress";
    set_order_state(ctx, order, previous);
    task["state"] = "terminatedWithError";
    task["errorMessage"] = "a delete item is under way";
    publish(ctx, order.op, "CancelServiceOrderStateChangeEvent", "cancelServiceOrder", task);
    return;
  }
  for (auto& item : order.items)
    if (item.state == "assessingCancellation")
      item.state = "pendingCancellation";
  set_order_state(ctx, order, "pendingCancellation");
  for (auto& item : order.items) {
    if (item.state != "pendingCancellation")
      continue;
    Service* const found_svc = find_service(item.service);
    if (found_svc && found_svc->op == op) {
      Service& svc = *found_svc;
      if (item.action == "add") {
        std::vector<VmId> ids;
        for (const Vm& vm : svc.vms)
          ids.push_back(vm.id);
        for (VmId vm : ids)
          release_vm(ctx, svc, vm);
        svc.operating = "stopped";
        svc.end_date = ctx.timestamp();
        set_service_state(ctx, svc, "terminated");
      } else if (item.action == "modify" && !item.work->old_characteristics.is_null()) {
        for (VmId vm : item.work->added)
          if (svc.vm(vm))
            release_vm(ctx, svc, vm);
        restore(svc, item);
      }
    }
    finish_item(item, "cancelled");
  }
  order.cancellation_date = ctx.timestamp();
  set_order_state(ctx, order, "cancelled");
  task["state"] = "done";
  task["effectiveCancellationDate"] = order.cancellation_date;
  publish(ctx, order.op, "CancelServiceOrderStateChangeEvent", "cancelServiceOrder", task);
}

void ReferenceCloud::retrieve_order(CloudContext& ctx, const Message& request, const std::string& op,
                                    const std::string& id) {
  const Order* const found = find_order(id);
  if (!found || found->op != op) // another operator's order does not exist for this one
    ctx.respond(request, 404, error_body("notFound", "no such service order", id));
  else
    ctx.respond(request, 200, order_json(*found));
}

void ReferenceCloud::retrieve_service(CloudContext& ctx, const Message& request, const std::string& op,
                                      const std::string& id) {
  const Service* const found = find_service(std::string_view(id));
  if (!found || found->op != op)
    ctx.respond(request, 404, error_body("notFound", "no such service", id));
  else
    ctx.respond(request, 200, service_json(*found));
}

void ReferenceCloud::list_services(CloudContext& ctx, const Message& request, const std::string& op) {
  const std::string customer = query_param(request.target, "relatedParty.id");
  nlohmann::json list = nlohmann::json::array();
  if (customer.empty()) {
    kServiceIds.for_each_in_text_order(db_.services.size(), [&](std::uint64_t number) {
      if (const Service* svc = find_service(static_cast<std::uint32_t>(number)); svc && svc->op == op)
        list.push_back(service_json(*svc));
    });
  } else if (const auto of = db_.services_of.find({op, customer}); of != db_.services_of.end()) {
    std::vector<std::uint32_t> numbers = of->second; // listed in id order, as the whole inventory is
    std::sort(numbers.begin(), numbers.end(),
              [](std::uint32_t a, std::uint32_t b) { return kServiceIds.text_less(a, b); });
    for (const std::uint32_t number : numbers)
      if (const Service* svc = find_service(number))
        list.push_back(service_json(*svc));
  }
  ctx.respond(request, 200, std::move(list));
}

void ReferenceCloud::set_service_state(CloudContext& ctx, Service& svc, const std::string& state) {
  if (svc.state == state)
    return;
  svc.state = state;
  publish(ctx, svc.op, "ServiceStateChangeEvent", "service", service_json(svc));
}

void ReferenceCloud::set_operating(CloudContext& ctx, Service& svc, const std::string& status) {
  if (svc.operating == status)
    return;
  svc.operating = status;
  if (svc.state == "active") // before activation the lifecycle events say it all
    publish(ctx, svc.op, "ServiceOperatingStatusChangeEvent", "service", service_json(svc));
}

void ReferenceCloud::set_order_state(CloudContext& ctx, Order& order, const std::string& state) {
  order.state = state;
  publish(ctx, order.op, "ServiceOrderStateChangeEvent", "serviceOrder", order_json(order));
}

void ReferenceCloud::notify_items(CloudContext& ctx, Order& order) {
  publish(ctx, order.op, "ServiceOrderItemStateChangeEvent", "serviceOrder", order_json(order));
}

nlohmann::json ReferenceCloud::order_json(const Order& order) const {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : order.items) {
    nlohmann::json service = item.service_value.get();
    if (item.action == "add") // the others name theirs as ordered
      service["id"] = kServiceIds.id(item.service);
    items.push_back({{"id", item.id}, {"action", item.action}, {"state", item.state}, {"service", service}});
  }
  const std::string id = order_id(order);
  nlohmann::json j{{"id", id},
                   {"href", std::string(kOrderPath) + id},
                   {"externalId", external_id_of(order)},
                   {"state", order.state},
                   {"orderDate", order.order_date},
                   {"relatedParty", order.related_party.get()},
                   {"serviceOrderItem", items}};
  if (!order.description.empty())
    j["description"] = order.description;
  if (!order.completion_date.empty())
    j["completionDate"] = order.completion_date;
  if (!order.cancellation_date.empty())
    j["cancellationDate"] = order.cancellation_date;
  if (order.cancellation_reason && !order.cancellation_reason->empty())
    j["cancellationReason"] = *order.cancellation_reason;
  if (!order.errors.empty())
    j["errorMessage"] = order.errors;
  return j;
}

nlohmann::json ReferenceCloud::service_json(const Service& svc) const {
  nlohmann::json places = nlohmann::json::array();
  std::set<std::string> seen;
  for (const Vm& vm : svc.vms)
    if (vm.placed && seen.insert(vm.dc).second) {
      std::string jurisdiction;
      for (const auto& o : mem_.dc_jurisdictions)
        if (o.first == vm.dc)
          jurisdiction = o.second;
      places.push_back({{"id", vm.dc}, {"role", "dataCentre"}, {"jurisdiction", jurisdiction}});
    }
  nlohmann::json related{{{"id", svc.customer}, {"role", "customer"}}};
  const std::string id = kServiceIds.id(svc.number);
  const std::string last_order = kOrderIds.id(svc.last_order);
  nlohmann::json j{{"id", id},
                   {"href", std::string(kServicePath) + id},
                   {"name", svc.offer->name},
                   {"state", svc.state},
                   {"operatingStatus", svc.operating},
                   {"serviceSpecification", {{"id", svc.offer->id}}},
                   {"serviceCharacteristic", svc.characteristics.get()},
                   {"relatedParty", related},
                   {"place", places},
                   {"serviceOrder", {{"id", last_order}, {"href", std::string(kOrderPath) + last_order}}}};
  if (!svc.start_date.empty())
    j["startDate"] = svc.start_date;
  if (!svc.end_date.empty())
    j["endDate"] = svc.end_date;
  return j;
}

} // namespace i1sim::cloud
