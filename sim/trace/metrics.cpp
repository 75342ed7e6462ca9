// Order, change, message, VM, placement, billing, fault and tester counters and the order-to-active distribution.
#include "trace/metrics.hpp"

#include "util/timestamp.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <numeric>
#include <string_view>

namespace i1sim::trace {
namespace {

using Json = nlohmann::json; // a message's body, as Event::body() gives it

/// `j[key]` when it is a string, else "": a field an event or a body lacks reads as unknown, never throws.
template <class J> std::string str(const J& j, const char* key) {
  if (!j.is_object())
    return {};
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->template get<std::string>() : std::string();
}

template <class J> const J& member(const J& j, const char* key) {
  static const J none;
  if (!j.is_object())
    return none;
  const auto it = j.find(key);
  return it == j.end() ? none : *it;
}

/// The body of the I1 message `e` records (null when it has none).
const Json& body_of(const Event& e) {
  static const Json none;
  return e.body() ? *e.body() : none;
}

/// The id of the party of `role` among `parties` (a TMF relatedParty list), or "".
std::string party(const Json& parties, std::string_view role) {
  if (parties.is_array())
    for (const auto& p : parties)
      if (str(p, "role") == role)
        return str(p, "id");
  return {};
}

/// Whether a product's failure reason names jurisdictionUnavailable as one of its codes ("service order
/// failed: jurisdictionUnavailable: noCapacity") rather than somewhere inside another word.
bool names_code(std::string_view reason, std::string_view code) {
  for (std::size_t at = reason.find(code); at != std::string_view::npos; at = reason.find(code, at + 1)) {
    const auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
    const bool starts = at == 0 || !word(reason[at - 1]);
    const bool ends = at + code.size() == reason.size() || !word(reason[at + code.size()]);
    if (starts && ends)
      return true;
  }
  return false;
}

/// The anomaly counters under "tester", in the order results.json lists them, and the event each one counts.
struct TesterCounter {
  std::string_view key;
  std::string_view event;
};
constexpr std::array<TesterCounter, 16> kTesterCounters{{
    {"duplicate_notifications", "notification.duplicate"},
    {"duplicate_responses", "response.duplicate"},
    {"unexpected_responses", "response.unexpected"},
    {"requests_retried", "request.retried"},
    {"requests_retried", "order.retried"},
    {"requests_abandoned", "request.abandoned"},
    {"requests_refused", "request.refused"},
    {"orders_polled", "order.polled"},
    {"inventory_mismatches", "inventory.mismatch"},
    {"bill_mismatches", "bill.mismatch"},
    {"bills_missing", "bill.missing"},
    {"placements_disallowed", "service.placed"}, // those the Telecom side found outside what is allowed
    {"replays_mismatched", "order.replayed"},    // those answered with another order than the original
    {"usage_recovered", "usage.recovered"},
    {"customers_refused", "customer.refused"},
    {"hubs_refused", "hub.refused"},
}};

/// The notifications that report a change of state of a service or of a service order: what a ground-truth VM
/// event (a boot, a failure, a crash, a recovery, a destruction) eventually shows up as on the Telecom side.
constexpr std::array<std::string_view, 4> kStateChanges{"ServiceStateChangeEvent", "ServiceOperatingStatusChangeEvent",
                                                        "ServiceOrderStateChangeEvent",
                                                        "ServiceOrderItemStateChangeEvent"};

/// The VM events the world makes happen; vm.placed is left out, being the Cloud side's own decision.
bool changes_a_service(std::string_view type) {
  return type == "vm.booted" || type == "vm.failed" || type == "vm.down" || type == "vm.up" || type == "vm.destroyed";
}

} // namespace

Metrics::Metrics(std::map<std::string, std::string> dc_jurisdictions)
    : dc_jurisdictions_(std::move(dc_jurisdictions)) {}

void Metrics::set_jurisdiction(const std::string& dc, const std::string& jurisdiction) {
  dc_jurisdictions_[dc] = jurisdiction;
}

double nearest_rank(const std::vector<double>& sorted, double percent) {
  if (sorted.empty())
    return 0;
  const auto n = static_cast<double>(sorted.size());
  auto rank = static_cast<std::size_t>(std::ceil(percent / 100.0 * n));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

Distribution Distribution::of(std::vector<double> sample) {
  Distribution d;
  d.count = sample.size();
  if (sample.empty())
    return d;
  std::sort(sample.begin(), sample.end());
  d.mean = std::accumulate(sample.begin(), sample.end(), 0.0) / static_cast<double>(sample.size());
  d.min = sample.front();
  d.max = sample.back();
  d.p50 = nearest_rank(sample, 50);
  d.p90 = nearest_rank(sample, 90);
  d.p95 = nearest_rank(sample, 95);
  d.p99 = nearest_rank(sample, 99);
  return d;
}

nlohmann::ordered_json Distribution::to_json() const {
  nlohmann::ordered_json j;
  j["count"] = count;
  if (count == 0) // no sample: say so rather than print zeros that look measured
    return j;
  j["mean"] = mean;
  j["min"] = min;
  j["p50"] = p50;
  j["p90"] = p90;
  j["p95"] = p95;
  j["p99"] = p99;
  j["max"] = max;
  return j;
}

bool Metrics::Faults::any() const {
  return injected + cleared + lost + duplicated + delayed + cloud_down + links_down + links_up + dcs_down + dcs_up +
             skews >
         0;
}

void Metrics::count_fault(const Event& e) {
  Faults& f = faults_;
  if (e.type == "fault.injected") {
    ++f.injected;
    const auto kind = e.data.find("fault");
    if (kind != e.data.end() && kind->is_string())
      ++f.by_kind[kind->get<std::string>()];
  } else if (e.type == "fault.cleared") {
    ++f.cleared;
  } else if (e.type == "channel.lost") {
    ++f.lost;
    const auto reason = e.data.find("reason");
    if (reason != e.data.end() && *reason == "cloudDown")
      ++f.refused;
  } else if (e.type == "channel.duplicated") {
    ++f.duplicated;
  } else if (e.type == "channel.delayed") {
    ++f.delayed;
  } else if (e.type == "cloud.down") {
    ++f.cloud_down;
  } else if (e.type == "link.down") {
    ++f.links_down;
  } else if (e.type == "link.up") {
    ++f.links_up;
  } else if (e.type == "dc.down") {
    ++f.dcs_down;
  } else if (e.type == "dc.up") {
    ++f.dcs_up;
  } else if (e.type == "clock.skew") {
    const auto offset = e.data.find("offset");
    if (offset != e.data.end() && offset->is_number() && offset->get<double>() != 0) // 0: the skew ends
      ++f.skews;
  }
}

Metrics::Name& Metrics::slot(std::uint32_t id) {
  if (id >= by_name_.size())
    by_name_.resize(std::size_t{id} + 1);
  return by_name_[id];
}

const Metrics::Name* Metrics::find_name(std::string_view text) const {
  std::uint32_t id = 0;
  if (!names_.find(text, id) || id >= by_name_.size())
    return nullptr;
  return &by_name_[id];
}

void Metrics::link(std::uint32_t& head, std::uint32_t id) {
  for (std::uint32_t at = head; at != 0; at = links_[at - 1].next)
    if (links_[at - 1].name == id)
      return;
  links_.push_back({id, head});
  head = static_cast<std::uint32_t>(links_.size());
}

std::vector<std::uint32_t> Metrics::sorted(std::uint32_t head) const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t at = head; at != 0; at = links_[at - 1].next)
    out.push_back(links_[at - 1].name);
  std::sort(out.begin(), out.end(), [&](std::uint32_t a, std::uint32_t b) { return names_.text(a) < names_.text(b); });
  return out;
}

void Metrics::learn_object(const Json& o) {
  const std::string id = str(o, "id");
  if (id.empty())
    return;
  const Json& items = member(o, "serviceOrderItem");
  if (items.is_array()) { // a service order: it names its services, its product (externalId) and its customer
    const std::uint32_t order = names_.id(id);
    const std::string customer = party(member(o, "relatedParty"), "customer");
    if (const std::string external = str(o, "externalId"); !external.empty() && slot(order).external == 0)
      slot(order).external = names_.id(external);
    if (!customer.empty() && slot(order).order_customer == 0)
      slot(order).order_customer = names_.id(customer);
    for (const auto& item : items)
      if (const std::string service = str(member(item, "service"), "id"); !service.empty()) {
        const std::uint32_t s = names_.id(service);
        link(slot(s).orders, order);
      }
    return;
  }
  if (member(o, "serviceSpecification").is_null())
    return; // neither an order nor a service
  const std::uint32_t service = names_.id(id);
  if (const std::string order = str(member(o, "serviceOrder"), "id"); !order.empty()) {
    const std::uint32_t oid = names_.id(order);
    link(slot(service).orders, oid);
  }
  if (const std::string customer = party(member(o, "relatedParty"), "customer"); slot(service).customer == 0)
    slot(service).customer = names_.id(customer);
}

void Metrics::learn_from_i1(const Event& e) {
  const Json& body = body_of(e);
  if (e.type == "i1.request" && str(e.data, "name") == "createCustomer") {
    const std::string customer = str(body, "id");
    const Json& allowed = member(body, "allowedJurisdiction");
    if (customer.empty() || !allowed.is_array())
      return;
    std::vector<std::string> codes;
    for (const auto& code : allowed)
      if (code.is_string())
        codes.push_back(code.get<std::string>());
    allowed_.emplace(names_.id(customer), std::move(codes)); // a retried creation repeats the first
    return;
  }
  // Orders and services as answered (createServiceOrder, retrieveService...), listed, or notified.
  if (body.is_array()) {
    for (const auto& o : body)
      learn_object(o);
    return;
  }
  learn_object(body);
  const Json& event = member(body, "event");
  learn_object(member(event, "serviceOrder"));
  learn_object(member(event, "service"));
}

void Metrics::time_notification(const Event& e) {
  const std::string name = str(e.data, "name");
  const Json& event = member(body_of(e), "event");
  if (name == "CustomerBillCreateEvent") {
    const Json& bill = member(event, "customerBill");
    if (str(bill, "runType") == "onDemand")
      return; // a bill on demand closes no cycle
    Name& timed = slot(names_.id(str(bill, "id")));
    if (timed.bill_timed)
      return; // a bill heard twice is timed once, on its first arrival
    timed.bill_timed = true;
    const double end = parse_iso_timestamp(str(member(bill, "billingPeriod"), "endDateTime"));
    if (end >= 0)
      usage_to_bill_.push_back(e.t - end);
    return;
  }
  if (std::find(kStateChanges.begin(), kStateChanges.end(), name) == kStateChanges.end())
    return;
  const auto sent_at = e.data.find("sent");
  if (sent_at == e.data.end() || !sent_at->is_number())
    return;
  const double sent = sent_at->get<double>();
  std::vector<std::string> services;
  if (const std::string id = str(member(event, "service"), "id"); !id.empty())
    services.push_back(id);
  const Json& items = member(member(event, "serviceOrder"), "serviceOrderItem");
  if (items.is_array())
    for (const auto& item : items)
      if (std::string id = str(member(item, "service"), "id"); !id.empty())
        services.push_back(std::move(id));
  // The cause is the latest VM event of these services that happened before the notification left the Cloud side
  // and that no earlier notification reported; the older ones it supersedes (the first of three VMs to boot) are
  // dropped unmeasured, since the state they led to was never notified on its own.
  bool found = false;
  double cause = 0;
  for (const auto& service : services) {
    std::uint32_t id = 0;
    if (!names_.find(service, id))
      continue;
    const auto it = unreported_.find(id);
    if (it == unreported_.end())
      continue;
    std::vector<double>& times = it->second; // in time order, as the stream is
    const auto until = std::upper_bound(times.begin(), times.end(), sent);
    if (until == times.begin())
      continue;
    cause = found ? std::max(cause, *(until - 1)) : *(until - 1);
    found = true;
    times.erase(times.begin(), until);
    if (times.empty())
      unreported_.erase(it);
  }
  if (found)
    notification_delay_.push_back(e.t - cause);
}

void Metrics::count_vm(const Event& e) {
  if (changes_a_service(e.type))
    if (const std::string owner = str(e.data, "owner"); !owner.empty())
      unreported_[names_.id(owner)].push_back(e.t);
  const std::uint32_t dc = names_.id(str(e.data, "dc"));
  const auto& vm = member(e.data, "vm");
  // A whole number >= 0 is written the same whether kept signed or unsigned, so it is the same VM either way.
  const bool number = vm.is_number_unsigned() || (vm.is_number_integer() && vm.get<std::int64_t>() >= 0);
  const VmKey key = number ? VmKey{std::uint64_t{dc} << 1, vm.get<std::uint64_t>()}
                           : VmKey{std::uint64_t{dc} << 1 | 1, names_.id(vm.dump())};
  if (e.type == "vm.placed") {
    ++vms_placed_;
    const std::string owner = str(e.data, "owner");
    const std::uint32_t oid = names_.id(owner);
    alive_[key] = Vm{oid, dc};
    if (!owner.empty()) {
      std::uint32_t& head = slot(oid).placements;
      if (head == 0)
        owners_.push_back(oid);
      link(head, dc);
    }
  } else if (e.type == "vm.booted") {
    ++vms_booted_;
  } else if (e.type == "vm.failed") {
    ++vms_failed_;
    if (!str(e.data, "host").empty()) // a VM that never got a host may share its id with a live one
      alive_.erase(key);
  } else if (e.type == "vm.destroyed") {
    ++vms_destroyed_;
    alive_.erase(key);
  } else if (e.type == "vm.down") {
    ++vms_down_;
  }
}

void Metrics::count_tester(const Event& e) {
  for (const auto& c : kTesterCounters)
    if (e.type == c.event) {
      const bool counts = (e.type != "service.placed" || member(e.data, "allowed") == false) &&
                          (e.type != "order.replayed" || member(e.data, "same") == false);
      if (counts)
        ++tester_[std::string(c.key)];
    }
  const std::string product = str(e.data, "productOrder");
  if (e.type == "order.cancelled") {
    if (str(e.data, "state") == "cancelled") { // read back after the cancellation: it must say so
      const std::uint32_t order = names_.id(str(e.data, "serviceOrder"));
      if (!slot(order).cancelled) {
        slot(order).cancelled = true;
        cancelled_orders_.push_back(order);
      }
    }
  } else if (e.type == "order.retried") {
    ++orders_retried_;
  } else if (e.type == "service.ordered") {
    Name& s = slot(names_.id(str(e.data, "service")));
    s.product = names_.id(product);
    s.customer = names_.id(str(e.data, "customer"));
  } else if (e.type == "product.modified") {
    ++modified_;
  } else if (e.type == "product.terminated") {
    ++terminated_;
    if (const Name* n = find_name(product); n && n->order != 0)
      orders_[n->order - 1].terminated = true;
  } else if (e.type == "product.modify_failed" || e.type == "product.terminate_failed" ||
             e.type == "product.change_refused") {
    ++changes_refused_;
  }
}

void Metrics::on_event(const Event& e) {
  switch (e.category) {
  case Category::i1: {
    const std::string kind = e.type.substr(3); // "i1.request" -> "request"
    ++messages_[kind];
    bytes_[kind] += e.data.at("bytes").get<std::uint64_t>();
    if (kind == "notification") {
      const auto name = e.data.find("name");
      if (name != e.data.end() && *name == "UsageCreateEvent")
        ++usage_records_;
      else if (name != e.data.end() && *name == "ServiceLevelViolationCreateEvent")
        ++sla_violations_;
      else if (name != e.data.end() && *name == "AlarmCreateEvent")
        ++alarms_;
      time_notification(e);
    }
    learn_from_i1(e);
    break;
  }
  case Category::truth:
    if (e.type.starts_with("vm."))
      count_vm(e);
    else if (e.type == "host.down")
      ++host_failures_;
    else
      count_fault(e);
    break;
  case Category::tester:
    count_tester(e);
    if (e.type == "bill.issued") {
      ++bills_.issued;
      bills_.telecom += e.data.at("telecom").get<std::int64_t>();
      bills_.cloud += e.data.at("cloud").get<std::int64_t>();
      bills_.credits += e.data.at("credits").get<std::int64_t>();
      bills_.total += e.data.at("total").get<std::int64_t>();
      bills_.with_credits += e.data.at("credits").get<std::int64_t>() > 0 ? 1 : 0;
      bills_.currency = e.data.at("currency").get<std::string>();
    } else if (e.type == "order.submitted") {
      Order o;
      o.submitted = e.t;
      o.customer = names_.id(str(e.data, "customer"));
      if (orders_.empty())
        first_submitted_ = e.t;
      last_submitted_ = std::max(last_submitted_, e.t);
      Name& n = slot(names_.id(e.data.at("productOrder").get<std::string>()));
      if (n.order == 0) { // a second submission of the same order keeps the first
        orders_.push_back(o);
        n.order = static_cast<std::uint32_t>(orders_.size());
      }
    } else if (e.type == "product.active" || e.type == "product.failed") {
      const std::string product = e.data.at("productOrder").get<std::string>();
      const Name* n = find_name(product);
      if (!n || n->order == 0 || orders_[n->order - 1].resolved) {
        ++unmatched_; // a tester fault: counted apart so the order figures stay consistent
        break;
      }
      Order& it = orders_[n->order - 1];
      it.resolved = true;
      if (const std::string order = str(e.data, "serviceOrder"); !order.empty()) {
        const std::uint32_t pid = names_.id(product);
        if (Name& so = slot(names_.id(order)); so.order_product == kNone)
          so.order_product = pid;
      }
      if (e.type == "product.active") {
        ++completed_;
        order_to_active_.push_back(e.t - it.submitted);
        last_active_ = e.t;
      } else {
        ++failed_;
        it.failed = true;
        if (names_code(str(e.data, "reason"), "jurisdictionUnavailable"))
          ++rejected_jurisdiction_;
      }
    }
    break;
  }
}

bool Metrics::is_submitted(std::uint32_t product) const {
  return product < by_name_.size() && by_name_[product].order != 0;
}

std::uint32_t Metrics::product_of_order(std::uint32_t order) const {
  if (order >= by_name_.size())
    return 0;
  const Name& n = by_name_[order];
  if (n.order_product != kNone)
    return n.order_product;
  if (n.external != 0 && is_submitted(n.external))
    return n.external; // an activation: its externalId is the product order's id
  return 0;
}

std::uint32_t Metrics::product_of(std::uint32_t service) const {
  if (service >= by_name_.size())
    return 0;
  const Name& s = by_name_[service];
  if (s.product != 0)
    return s.product;
  for (const std::uint32_t order : sorted(s.orders))
    if (const std::uint32_t product = product_of_order(order); product != 0)
      return product;
  return 0;
}

std::uint32_t Metrics::customer_of(std::uint32_t service) const {
  if (service >= by_name_.size())
    return 0;
  const Name& s = by_name_[service];
  if (s.customer != 0)
    return s.customer;
  for (const std::uint32_t order : sorted(s.orders))
    if (order < by_name_.size() && by_name_[order].order_customer != 0)
      return by_name_[order].order_customer;
  if (const std::uint32_t product = product_of(service); is_submitted(product))
    return orders_[by_name_[product].order - 1].customer;
  return 0;
}

nlohmann::ordered_json Metrics::to_json() const {
  nlohmann::ordered_json j;
  const auto submitted = static_cast<std::uint64_t>(orders_.size());
  j["orders"] = {{"submitted", submitted},
                 {"completed", completed_},
                 {"failed", failed_},
                 {"unresolved", submitted - completed_ - failed_},
                 {"cancelled", cancelled_orders_.size()},
                 {"rejected_jurisdiction", rejected_jurisdiction_},
                 {"retried", orders_retried_}};
  if (unmatched_ > 0)
    j["orders"]["unmatched_outcomes"] = unmatched_;
  j["order_to_active_s"] = Distribution::of(order_to_active_).to_json();
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  nlohmann::ordered_json by_kind = nlohmann::ordered_json::object();
  for (const auto& [kind, n] : messages_) {
    messages += n;
    bytes += bytes_.at(kind);
    by_kind[kind] = {{"messages", n}, {"bytes", bytes_.at(kind)}};
  }
  j["i1"] = {{"messages", messages}, {"bytes", bytes}, {"by_kind", by_kind}};
  if (submitted > 0) {
    j["i1"]["messages_per_order"] = static_cast<double>(messages) / static_cast<double>(submitted);
    j["i1"]["bytes_per_order"] = static_cast<double>(bytes) / static_cast<double>(submitted);
  }
  j["notification_delay_s"] = Distribution::of(notification_delay_).to_json();
  j["usage_to_bill_s"] = Distribution::of(usage_to_bill_).to_json();
  // The offered rate is the mean gap between submissions (n orders span n - 1 gaps). The throughput counts every
  // activation over the time from the first submission to the last activation: past saturation that time grows
  // with the backlog, so the figure settles at what the Cloud side can take, and it never rests on a window too
  // short to hold any activation.
  nlohmann::ordered_json throughput = nlohmann::ordered_json::object();
  if (submitted > 1 && last_submitted_ > first_submitted_) {
    throughput["offered_per_s"] = static_cast<double>(submitted - 1) / (last_submitted_ - first_submitted_);
    throughput["arrival_window_s"] = last_submitted_ - first_submitted_;
  }
  if (completed_ > 0 && last_active_ > first_submitted_) {
    throughput["per_s"] = static_cast<double>(completed_) / (last_active_ - first_submitted_);
    throughput["window_s"] = last_active_ - first_submitted_;
  }
  if (!throughput.empty())
    j["throughput"] = std::move(throughput);
  j["changes"] = {{"modified", modified_}, {"terminated", terminated_}, {"refused", changes_refused_}};
  // A VM still running at the end leaks when the Telecom side holds its product for ended: failed (cancelled
  // included) or terminated. One whose product is still on its way is not judged; one whose owner no record
  // ties to a product is counted apart, so that `vms.leaked == 0` cannot pass merely for want of links.
  std::set<std::uint32_t> cancelled_products;
  for (const auto order : cancelled_orders_)
    cancelled_products.insert(product_of_order(order));
  std::uint64_t leaked = 0, unattributed = 0;
  for (const auto& [key, vm] : alive_) {
    const std::uint32_t product = product_of(vm.owner);
    if (!is_submitted(product))
      ++unattributed;
    else if (const Order& p = orders_[by_name_[product].order - 1];
             p.failed || p.terminated || cancelled_products.count(product))
      ++leaked;
  }
  j["vms"] = {{"placed", vms_placed_},       {"booted", vms_booted_}, {"failed", vms_failed_},
              {"destroyed", vms_destroyed_}, {"leaked", leaked},      {"unattributed", unattributed}};
  if (!dc_jurisdictions_.empty()) {
    // Judged on ground truth: every DC a service's VMs were placed in, against what its customer allows.
    std::uint64_t checked = 0, violations = 0;
    for (const std::uint32_t owner : owners_) {
      const auto allowed = allowed_.find(customer_of(owner));
      if (allowed == allowed_.end())
        continue;
      ++checked;
      const auto& codes = allowed->second;
      const std::vector<std::uint32_t> dcs = sorted(by_name_[owner].placements);
      const bool outside = std::any_of(dcs.begin(), dcs.end(), [&](std::uint32_t dc) {
        const auto where = dc_jurisdictions_.find(std::string(names_.text(dc)));
        return where == dc_jurisdictions_.end() || std::find(codes.begin(), codes.end(), where->second) == codes.end();
      });
      violations += outside ? 1 : 0;
    }
    j["placement"] = {{"checked", checked}, {"violations", violations}};
  }
  nlohmann::ordered_json tester = nlohmann::ordered_json::object();
  for (const auto& c : kTesterCounters) {
    const auto n = tester_.find(std::string(c.key));
    tester[std::string(c.key)] = n == tester_.end() ? 0 : n->second;
  }
  j["tester"] = tester;
  if (host_failures_ > 0 || vms_down_ > 0 || alarms_ > 0 || sla_violations_ > 0)
    j["failures"] = {
        {"hosts", host_failures_}, {"vms_down", vms_down_}, {"alarms", alarms_}, {"sla_violations", sla_violations_}};
  if (bills_.issued > 0 || usage_records_ > 0)
    j["billing"] = {{"bills", bills_.issued},      {"bills_with_credits", bills_.with_credits},
                    {"currency", bills_.currency}, {"telecom", bills_.telecom},
                    {"cloud", bills_.cloud},       {"credits", bills_.credits},
                    {"total", bills_.total},       {"usage_records", usage_records_}};
  if (faults_.any()) {
    const Faults& f = faults_;
    nlohmann::ordered_json kinds = nlohmann::ordered_json::object();
    for (const auto& [kind, n] : f.by_kind)
      kinds[kind] = n;
    j["faults"] = {
        {"injected", f.injected},
        {"cleared", f.cleared},
        {"by_kind", kinds},
        {"channel", {{"lost", f.lost}, {"refused", f.refused}, {"duplicated", f.duplicated}, {"delayed", f.delayed}}},
        {"cloud", {{"restarts", f.cloud_down}}},
        {"links", {{"cut", f.links_down}, {"restored", f.links_up}}},
        {"dcs", {{"down", f.dcs_down}, {"up", f.dcs_up}}},
        {"clock", {{"skews", f.skews}}}};
  }
  return j;
}

} // namespace i1sim::trace
