// The bill and usage oracle, written from the specification's metering, rating, SLA and billing rules alone (never
// from the accounting code it checks), so that agreement to the unit means something.
#include "conformance/oracles/bill_oracle.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <set>
#include <stdexcept>

namespace i1sim::conformance {

namespace {

__extension__ typedef __int128 Int128;

constexpr std::int64_t kMiB = 1024 * 1024;
constexpr std::int64_t kHourMs = 3'600'000;

std::int64_t to_ms(double seconds) { return std::llround(seconds * 1000); }

/// num / den rounded to the nearest integer, ties to even; den > 0.
std::int64_t round_half_even(Int128 num, Int128 den) {
  Int128 q = num / den;
  Int128 r = num % den;
  if (r < 0) { // make the remainder non-negative so that q is the floor
    r += den;
    q -= 1;
  }
  const Int128 twice = 2 * r;
  if (twice > den || (twice == den && q % 2 != 0))
    q += 1;
  return static_cast<std::int64_t>(q);
}

std::string text(const nlohmann::ordered_json& data, const char* field) {
  const auto it = data.find(field);
  if (it == data.end() || !it->is_string())
    throw std::runtime_error(fmt::format("trace event lacks the string field {}", field));
  return it->get<std::string>();
}

/// A byte count written as a JSON number (possibly 1.7e10 as a double) as an exact integer.
std::int64_t whole(const nlohmann::ordered_json& data, const char* field) {
  const auto it = data.find(field);
  if (it == data.end() || !it->is_number())
    throw std::runtime_error(fmt::format("trace event lacks the number field {}", field));
  return it->is_number_integer() ? it->get<std::int64_t>() : std::llround(it->get<double>());
}

struct Interval {
  std::int64_t from = 0;
  std::int64_t to = 0;
};

/// What one VM held and when its host was down, in ground truth.
struct Vm {
  std::string owner;
  std::int64_t vcpu = 0, ram_mib = 0, storage_mib = 0;
  std::int64_t booted = -1; // -1: never booted
  std::int64_t gone = -1;   // -1: still held at the end
  std::vector<Interval> down;
  std::int64_t down_since = -1; // -1: not down now
};

/// Everything the rules need, gathered from one pass over the trace.
struct World {
  std::int64_t period = 0; // T_usage_period, ms
  std::int64_t cycle = 0;  // ms
  int cycles = 0;
  std::int64_t end = 0;                                                     // end of the last cycle, ms
  std::map<std::string, std::pair<std::string, std::string>> product_order; // id -> (customer, product)
  std::map<std::string, std::string> service_order;                         // service -> product order
  std::map<std::string, std::int64_t> active_from;                          // product order -> ms
  std::map<std::string, std::int64_t> terminated_at;                        // product order -> ms
  std::map<std::pair<std::string, std::uint64_t>, Vm> vms;                  // (dc, vm id) -> VM
};

World gather(const scenario::Scenario& sc, const std::vector<trace::Event>& events) {
  World w;
  double period_s = 3600;
  for (const auto& [name, seconds] : sc.i1.timers)
    if (name == "T_usage_period")
      period_s = seconds;
  w.period = to_ms(period_s);
  w.cycle = to_ms(sc.billing.cycle);
  w.cycles = sc.billing.cycles;
  if (w.period <= 0 || w.cycle <= 0 || w.cycles <= 0)
    throw std::runtime_error("the scenario has no usage period or no bill cycles");
  w.end = w.cycle * w.cycles;

  for (const auto& e : events) {
    const auto& d = e.data;
    const std::int64_t t = to_ms(e.t);
    if (e.category == trace::Category::tester) {
      if (e.type == "order.submitted")
        w.product_order[text(d, "productOrder")] = {text(d, "customer"), text(d, "product")};
      else if (e.type == "service.ordered")
        w.service_order[text(d, "service")] = text(d, "productOrder");
      else if (e.type == "product.active")
        w.active_from.emplace(text(d, "productOrder"), t);
      else if (e.type == "product.terminated")
        w.terminated_at.emplace(text(d, "productOrder"), t);
      continue;
    }
    if (e.category != trace::Category::truth || e.type.rfind("vm.", 0) != 0)
      continue;
    Vm& vm = w.vms[{text(d, "dc"), d.at("vm").get<std::uint64_t>()}];
    if (vm.owner.empty())
      vm.owner = text(d, "owner");
    if (e.type == "vm.booted") {
      vm.booted = t;
      vm.vcpu = whole(d, "vcpu");
      vm.ram_mib = whole(d, "ram") / kMiB;
      vm.storage_mib = whole(d, "disk") / kMiB;
    } else if ((e.type == "vm.destroyed" || e.type == "vm.failed") && vm.booted >= 0 && vm.gone < 0) {
      vm.gone = t;
      if (vm.down_since >= 0) { // a machine that is gone is no longer down
        vm.down.push_back({vm.down_since, t});
        vm.down_since = -1;
      }
    } else if (e.type == "vm.down" && vm.down_since < 0 && vm.gone < 0) {
      vm.down_since = t;
    } else if (e.type == "vm.up" && vm.down_since >= 0) {
      vm.down.push_back({vm.down_since, t});
      vm.down_since = -1;
    }
  }
  for (auto& [key, vm] : w.vms) {
    if (vm.down_since >= 0)
      vm.down.push_back({vm.down_since, std::max(w.end, vm.down_since)});
    vm.down_since = -1;
  }
  return w;
}

/// The catalogue entry rating a service: its product order's product's first cloud service.
const scenario::CloudServiceSpec* cloud_service_of(const scenario::Scenario& sc, const World& w,
                                                   const std::string& service, std::string* customer) {
  const auto po = w.service_order.find(service);
  if (po == w.service_order.end())
    return nullptr;
  const auto order = w.product_order.find(po->second);
  if (order == w.product_order.end())
    return nullptr;
  *customer = order->second.first;
  const scenario::Product* product = sc.catalogue.find_product(order->second.second);
  if (!product || product->cloud_services.empty())
    return nullptr;
  return sc.catalogue.find_cloud_service(product->cloud_services.front());
}

/// The usage period holding instant `t`: periods are cut at every multiple of both P and C.
std::int64_t period_start(const World& w, std::int64_t t) {
  return std::max(t / w.period * w.period, t / w.cycle * w.cycle);
}
std::int64_t period_end(const World& w, std::int64_t t) {
  return std::min((t / w.period + 1) * w.period, (t / w.cycle + 1) * w.cycle);
}

std::int64_t overlap(std::int64_t a0, std::int64_t a1, std::int64_t b0, std::int64_t b1) {
  return std::max<std::int64_t>(0, std::min(a1, b1) - std::max(a0, b0));
}

std::vector<ExpectedUsage> usage_of(const scenario::Scenario& sc, const World& w) {
  std::map<std::pair<std::string, std::int64_t>, ExpectedUsage> records; // (service, period start)
  for (const auto& [key, vm] : w.vms) {
    if (vm.booted < 0)
      continue;
    const std::int64_t from = std::max<std::int64_t>(vm.booted, 0);
    const std::int64_t to = std::min(vm.gone < 0 ? w.end : vm.gone, w.end);
    for (std::int64_t at = from; at < to;) {
      const std::int64_t start = period_start(w, at);
      const std::int64_t stop = std::min(period_end(w, at), to);
      ExpectedUsage& r = records[{vm.owner, start}];
      r.service = vm.owner;
      r.start_ms = start;
      r.end_ms = period_end(w, at);
      r.vcpu_ms += vm.vcpu * (stop - at);
      r.ram_mib_ms += vm.ram_mib * (stop - at);
      r.storage_mib_ms += vm.storage_mib * (stop - at);
      at = stop;
    }
  }
  std::vector<ExpectedUsage> out;
  for (auto& [key, r] : records) {
    const scenario::CloudServiceSpec* spec = cloud_service_of(sc, w, r.service, &r.customer);
    if (!spec)
      throw std::runtime_error("service " + r.service + " has no customer or no cloud service in the trace");
    const Int128 num = Int128(r.vcpu_ms) * spec->rates.vcpu_hour * 1024 +
                       Int128(r.ram_mib_ms) * spec->rates.ram_gib_hour +
                       Int128(r.storage_mib_ms) * spec->rates.storage_gib_hour;
    r.amount = round_half_even(num, Int128(1024) * kHourMs * 1'000'000);
    out.push_back(std::move(r));
  }
  return out;
}

} // namespace

std::vector<ExpectedUsage> expected_usage(const scenario::Scenario& sc, const std::vector<trace::Event>& events) {
  return usage_of(sc, gather(sc, events));
}

std::map<BillKey, ExpectedBill> expected_bills(const scenario::Scenario& sc, const std::vector<trace::Event>& events) {
  const World w = gather(sc, events);
  std::map<BillKey, ExpectedBill> bills;

  // Cloud: the records of the cycle, and per service its charge for the SLA credit.
  std::map<std::pair<std::string, int>, std::int64_t> service_charge; // (service, cycle) -> amount
  std::map<std::string, std::string> customer_of;                     // service -> customer
  for (const ExpectedUsage& r : usage_of(sc, w)) {
    const int c = static_cast<int>(r.start_ms / w.cycle);
    bills[{r.customer, c}].cloud += r.amount;
    service_charge[{r.service, c}] += r.amount;
    customer_of[r.service] = r.customer;
  }

  // SLA: a service is down while any of its machines is; the union of those intervals, per cycle.
  std::map<std::string, std::vector<Interval>> down; // service -> intervals
  for (const auto& [key, vm] : w.vms)
    down[vm.owner].insert(down[vm.owner].end(), vm.down.begin(), vm.down.end());
  for (const auto& [service_cycle, charge] : service_charge) {
    const auto& [service, c] = service_cycle;
    std::string customer;
    const scenario::CloudServiceSpec* spec = cloud_service_of(sc, w, service, &customer);
    if (spec->sla.availability_millipercent <= 0)
      continue;
    const std::int64_t c0 = w.cycle * c, c1 = c0 + w.cycle;
    auto intervals = down[service];
    std::sort(intervals.begin(), intervals.end(), [](const Interval& a, const Interval& b) { return a.from < b.from; });
    std::int64_t down_ms = 0, covered = c0; // everything before `covered` is counted already
    for (const Interval& i : intervals) {
      const std::int64_t from = std::max(i.from, covered);
      down_ms += overlap(from, i.to, c0, c1);
      covered = std::max(covered, i.to);
    }
    const bool compliant = Int128(down_ms) * 100000 <= Int128(100000 - spec->sla.availability_millipercent) * w.cycle;
    if (!compliant)
      bills[{customer, c}].credits += round_half_even(Int128(charge) * spec->sla.credit_percent, 100);
  }

  // Telecom: the product's fee in proportion to its active time in each cycle, rounded once per product.
  for (const auto& [po, from] : w.active_from) {
    const auto order = w.product_order.find(po);
    if (order == w.product_order.end())
      throw std::runtime_error("product order " + po + " became active but was never submitted");
    const scenario::Product* product = sc.catalogue.find_product(order->second.second);
    if (!product)
      throw std::runtime_error("product order " + po + " names an unknown product");
    std::int64_t fee = 0;
    for (const auto& id : product->telecom_services)
      if (const auto* ts = sc.catalogue.find_telecom_service(id))
        fee += ts->fee;
    const auto term = w.terminated_at.find(po);
    const std::int64_t to = term == w.terminated_at.end() ? w.end : std::min(term->second, w.end);
    for (int c = 0; c < w.cycles; ++c) {
      const std::int64_t active = overlap(from, to, w.cycle * c, w.cycle * (c + 1));
      if (active > 0)
        bills[{order->second.first, c}].telecom += round_half_even(Int128(fee) * active, w.cycle);
    }
  }

  for (auto& [key, b] : bills)
    b.total = b.telecom + b.cloud - b.credits;
  return bills;
}

std::map<BillKey, ExpectedBill> issued_bills(const std::vector<trace::Event>& events,
                                             std::vector<BillKey>* duplicates) {
  std::map<BillKey, ExpectedBill> issued;
  for (const auto& e : events) {
    if (e.category != trace::Category::tester || e.type != "bill.issued")
      continue;
    const auto& d = e.data;
    const BillKey key{text(d, "customer"), d.at("cycle").get<int>()};
    const ExpectedBill bill{whole(d, "telecom"), whole(d, "cloud"), whole(d, "credits"), whole(d, "total")};
    if (!issued.emplace(key, bill).second && duplicates)
      duplicates->push_back(key);
  }
  return issued;
}

std::vector<BillDifference> bill_differences(const std::map<BillKey, ExpectedBill>& expected,
                                             const std::vector<trace::Event>& events) {
  std::vector<BillKey> duplicates;
  const auto issued = issued_bills(events, &duplicates);
  std::vector<BillDifference> out;
  for (const auto& key : duplicates)
    out.push_back({key, "duplicate", 0, 0});
  for (const auto& [key, want] : expected) {
    const auto got = issued.find(key);
    if (got == issued.end()) {
      out.push_back({key, "missing", want.total, 0});
      continue;
    }
    const ExpectedBill& have = got->second;
    if (have.telecom != want.telecom)
      out.push_back({key, "telecom", want.telecom, have.telecom});
    if (have.cloud != want.cloud)
      out.push_back({key, "cloud", want.cloud, have.cloud});
    if (have.credits != want.credits)
      out.push_back({key, "credits", want.credits, have.credits});
    if (have.total != want.total)
      out.push_back({key, "total", want.total, have.total});
  }
  for (const auto& [key, have] : issued)
    if (!expected.contains(key))
      out.push_back({key, "unexpected", 0, have.total});
  return out;
}

std::string difference_table(const std::vector<BillDifference>& differences) {
  std::string out = fmt::format("{:<14} {:>5}  {:<10} {:>10} {:>10} {:>8}\n", "customer", "cycle", "field", "expected",
                                "issued", "diff");
  for (const auto& d : differences)
    out += fmt::format("{:<14} {:>5}  {:<10} {:>10} {:>10} {:>8}\n", d.bill.first, d.bill.second, d.what, d.expected,
                       d.issued, d.issued - d.expected);
  return out;
}

namespace {

/// Simulated milliseconds of a timestamp "YYYY-MM-DDTHH:MM:SS.ffffffZ" (simulated time 0 is
/// 2026-01-01T00:00:00Z), or -1 when it has another form.
std::int64_t iso_ms(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, micro = 0;
  if (s.size() != 27 || std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%6dZ", &y, &mo, &d, &h, &mi, &sec, &micro) != 7)
    return -1;
  // Days from 1970-01-01 of a proleptic Gregorian date (shifting the year to start in March).
  const int yy = mo <= 2 ? y - 1 : y;
  const int era = yy / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = std::int64_t{era} * 146097 + doe - 719468 - 20454;
  return ((days * 24 + h) * 60 + mi) * 60'000 + sec * 1000 + (micro + 500) / 1000;
}

DeliveredUsage delivered(const nlohmann::json& u) {
  DeliveredUsage r;
  if (!u.is_object())
    return r;
  r.id = u.value("id", "");
  r.service = u.contains("service") && u["service"].is_object() ? u["service"].value("id", "") : "";
  for (const auto& p : u.value("relatedParty", nlohmann::json::array()))
    if (p.is_object() && p.value("role", "") == "customer")
      r.customer = p.value("id", "");
  if (u.contains("usagePeriod") && u["usagePeriod"].is_object()) {
    r.start_ms = iso_ms(u["usagePeriod"].value("startDateTime", ""));
    r.end_ms = iso_ms(u["usagePeriod"].value("endDateTime", ""));
  }
  for (const auto& c : u.value("usageCharacteristic", nlohmann::json::array())) {
    if (!c.is_object())
      continue;
    const auto name = c.value("name", "");
    const std::int64_t v = c.contains("value") && c["value"].is_number_integer() ? c["value"].get<std::int64_t>() : -1;
    if (name == "vcpuMilliseconds")
      r.vcpu_ms = v;
    else if (name == "ramMiBMilliseconds")
      r.ram_mib_ms = v;
    else if (name == "storageMiBMilliseconds")
      r.storage_mib_ms = v;
  }
  const auto rated = u.value("ratedProductUsage", nlohmann::json::array());
  if (!rated.empty() && rated[0].is_object() && rated[0].contains("taxExcludedRatingAmount") &&
      rated[0]["taxExcludedRatingAmount"].is_object())
    r.amount = rated[0]["taxExcludedRatingAmount"].value("value", std::int64_t{-1});
  return r;
}

} // namespace

void UsageLedger::add(const nlohmann::json& usage) {
  const DeliveredUsage r = delivered(usage);
  const auto [it, fresh] = by_id_.emplace(r.id, r);
  if (!fresh && !(it->second == r))
    problems_.push_back("usage " + r.id + " delivered twice with different content");
}

void UsageLedger::observe(const trace::Event& e) {
  if (e.category != trace::Category::i1)
    return;
  const auto& d = e.data;
  const nlohmann::json* body = e.body();
  if (!body)
    return;
  if (e.type == "i1.notification" && d.value("name", "") == "UsageCreateEvent") {
    if (body->is_object() && body->contains("event") && (*body)["event"].is_object() &&
        (*body)["event"].contains("usage"))
      add((*body)["event"]["usage"]);
  } else if (e.type == "i1.response" && d.value("name", "") == "listUsage" && body->is_array()) {
    for (const auto& u : *body)
      add(u);
  }
}

std::vector<UsageDifference> usage_differences(const scenario::Scenario& sc, const std::vector<trace::Event>& events,
                                               const UsageLedger& ledger) {
  std::vector<UsageDifference> out;
  const std::int64_t cycle = to_ms(sc.billing.cycle);
  const std::int64_t end = cycle * sc.billing.cycles;
  std::vector<std::string> problems = ledger.problems();
  std::map<std::pair<std::string, std::int64_t>, DeliveredUsage> got; // (service, period start)
  for (const auto& [id, r] : ledger.records())
    if (r.start_ms < 0 || r.end_ms < 0)
      problems.push_back("usage " + id + ": no readable usagePeriod");
    else if (r.start_ms < end && !got.emplace(std::pair{r.service, r.start_ms}, r).second)
      problems.push_back(
          fmt::format("usage {}: a second record of {} for the period at {} ms", id, r.service, r.start_ms));
  for (const auto& p : problems)
    out.push_back({{"", -1}, p});
  for (const ExpectedUsage& want : expected_usage(sc, events)) {
    const BillKey key{want.customer, static_cast<int>(want.start_ms / cycle)};
    const auto it = got.find({want.service, want.start_ms});
    if (it == got.end()) {
      out.push_back(
          {key, fmt::format("{} [{}, {}) ms: no record delivered", want.service, want.start_ms, want.end_ms)});
      continue;
    }
    const DeliveredUsage& have = it->second;
    if (have.end_ms != want.end_ms || have.vcpu_ms != want.vcpu_ms || have.ram_mib_ms != want.ram_mib_ms ||
        have.storage_mib_ms != want.storage_mib_ms || have.amount != want.amount || have.customer != want.customer)
      out.push_back({key, fmt::format("{} {} [{}, {}) ms: expected end {} vcpu {} ram {} storage {} amount {} of {}; "
                                      "delivered end {} vcpu {} ram {} storage {} amount {} of {}",
                                      have.id, want.service, want.start_ms, want.end_ms, want.end_ms, want.vcpu_ms,
                                      want.ram_mib_ms, want.storage_mib_ms, want.amount, want.customer, have.end_ms,
                                      have.vcpu_ms, have.ram_mib_ms, have.storage_mib_ms, have.amount, have.customer)});
    got.erase(it);
  }
  for (const auto& [key, have] : got)
    out.push_back({{have.customer, static_cast<int>(have.start_ms / cycle)},
                   fmt::format("{} {} [{}, {}) ms: delivered but nothing was held", have.id, have.service,
                               have.start_ms, have.end_ms)});
  return out;
}

std::vector<UsageDifference> usage_differences(const scenario::Scenario& sc, const std::vector<trace::Event>& events) {
  UsageLedger ledger;
  for (const auto& e : events)
    ledger.observe(e);
  return usage_differences(sc, events, ledger);
}

} // namespace i1sim::conformance
