// The bill and usage oracle, written from the specification's metering, rating, SLA and billing rules alone (never
// from the accounting code it checks), so that agreement to the unit means something.
#include "conformance/oracles/bill_oracle.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

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

constexpr std::uint32_t kNone = 0xffffffffu;

/// Reads `field` of a trace event the way the rules do, raising what they raise.
std::uint32_t name_of(StringTable& names, const nlohmann::ordered_json& data, const char* field) {
  return names.id(text(data, field));
}

} // namespace

BillTrace::BillTrace() : own_(std::make_unique<StringTable>()), names_(own_.get()) {}

BillTrace::BillTrace(StringTable& names) : names_(&names) {}

BillTrace::BillTrace(const std::vector<trace::Event>& events) : BillTrace() {
  for (const auto& e : events)
    add(e);
}

std::uint32_t BillTrace::error(std::exception_ptr e) {
  errors_.push_back(std::move(e));
  return static_cast<std::uint32_t>(errors_.size() - 1);
}

void BillTrace::add(const trace::Event& e) {
  const auto& d = e.data;
  StringTable& names = *names_;
  if (e.category == trace::Category::tester && e.type == "bill.issued") {
    Bill b;
    try { // in the order issued_bills reads them, so that the first unreadable field is the one it names
      b.customer = name_of(names, d, "customer");
      b.cycle = d.at("cycle").get<int>();
      b.telecom = whole(d, "telecom");
      b.cloud = whole(d, "cloud");
      b.credits = whole(d, "credits");
      b.total = whole(d, "total");
    } catch (...) {
      b = Bill{};
      b.error = error(std::current_exception()) + 1;
    }
    bills_.push_back(b);
    return;
  }
  Step s;
  s.t = to_ms(e.t);
  try {
    if (e.category == trace::Category::tester) {
      // Each in the order the rules evaluate it (the right of an assignment before its left).
      if (e.type == "order.submitted") {
        s.b = name_of(names, d, "customer");
        s.c = name_of(names, d, "product");
        s.a = name_of(names, d, "productOrder");
        s.kind = Kind::order;
      } else if (e.type == "service.ordered") {
        s.b = name_of(names, d, "productOrder");
        s.a = name_of(names, d, "service");
        s.kind = Kind::service;
      } else if (e.type == "product.active" || e.type == "product.terminated") {
        s.a = name_of(names, d, "productOrder");
        s.kind = e.type == "product.active" ? Kind::active : Kind::terminated;
      } else {
        return;
      }
    } else if (e.category == trace::Category::truth && e.type.starts_with("vm.")) {
      s.a = name_of(names, d, "dc");
      s.vm = d.at("vm").get<std::uint64_t>();
      // The rules read the owner only while the VM has none, so an unreadable one is an error only then.
      const auto owner = d.find("owner");
      s.b = owner != d.end() && owner->is_string() ? names.id(owner->get_ref<const std::string&>()) : kNoText;
      if (e.type == "vm.booted") {
        Boot boot;
        try {
          boot.vcpu = whole(d, "vcpu");
          boot.ram = whole(d, "ram");
          boot.disk = whole(d, "disk");
        } catch (...) {
          boot = Boot{};
          boot.error = error(std::current_exception()) + 1;
        }
        s.c = static_cast<std::uint32_t>(boots_.size());
        boots_.push_back(boot);
        s.kind = Kind::vm_booted;
      } else if (e.type == "vm.destroyed") {
        s.kind = Kind::vm_destroyed;
      } else if (e.type == "vm.failed") {
        s.kind = Kind::vm_failed;
      } else if (e.type == "vm.down") {
        s.kind = Kind::vm_down;
      } else if (e.type == "vm.up") {
        s.kind = Kind::vm_up;
      } else {
        s.c = names.id(e.type);
        s.kind = Kind::vm_other;
      }
    } else {
      return;
    }
  } catch (...) {
    s = Step{};
    s.a = error(std::current_exception());
    s.kind = Kind::unreadable;
  }
  steps_.push_back(s);
}

std::size_t BillTrace::bytes() const {
  return steps_.size() * sizeof(Step) + boots_.size() * sizeof(Boot) + bills_.size() * sizeof(Bill) +
         errors_.capacity() * sizeof(std::exception_ptr);
}

std::vector<trace::Event> BillTrace::events() const {
  using Json = nlohmann::ordered_json;
  const StringTable& names = *names_;
  std::vector<trace::Event> out;
  for (const Step& s : steps_) {
    trace::Event e;
    e.t = static_cast<double>(s.t) / 1000;
    e.category = trace::Category::tester;
    e.data = Json::object();
    switch (s.kind) {
    case Kind::order:
      e.type = "order.submitted";
      e.data["productOrder"] = names.text(s.a);
      e.data["customer"] = names.text(s.b);
      e.data["product"] = names.text(s.c);
      break;
    case Kind::service:
      e.type = "service.ordered";
      e.data["service"] = names.text(s.a);
      e.data["productOrder"] = names.text(s.b);
      break;
    case Kind::active:
    case Kind::terminated:
      e.type = s.kind == Kind::active ? "product.active" : "product.terminated";
      e.data["productOrder"] = names.text(s.a);
      break;
    case Kind::unreadable:
      continue;
    default:
      e.category = trace::Category::truth;
      e.type = s.kind == Kind::vm_booted      ? "vm.booted"
               : s.kind == Kind::vm_destroyed ? "vm.destroyed"
               : s.kind == Kind::vm_failed    ? "vm.failed"
               : s.kind == Kind::vm_down      ? "vm.down"
               : s.kind == Kind::vm_up        ? "vm.up"
                                              : names.text(s.c);
      e.data["dc"] = names.text(s.a);
      e.data["vm"] = s.vm;
      if (s.b != kNoText)
        e.data["owner"] = names.text(s.b);
      if (s.kind == Kind::vm_booted && boots_[s.c].error == 0) {
        e.data["vcpu"] = boots_[s.c].vcpu;
        e.data["ram"] = boots_[s.c].ram;
        e.data["disk"] = boots_[s.c].disk;
      }
    }
    out.push_back(std::move(e));
  }
  for (const Bill& b : bills_) {
    if (b.error)
      continue;
    trace::Event e;
    e.category = trace::Category::tester;
    e.type = "bill.issued";
    e.data = Json{{"customer", names.text(b.customer)},
                  {"cycle", b.cycle},
                  {"telecom", b.telecom},
                  {"cloud", b.cloud},
                  {"credits", b.credits},
                  {"total", b.total}};
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

struct Interval {
  std::int64_t from = 0;
  std::int64_t to = 0;
};

/// What one VM held and when its host was down, in ground truth.
struct Vm {
  std::uint32_t owner = 0; // 0: the empty string, i.e. none yet
  std::int64_t vcpu = 0, ram_mib = 0, storage_mib = 0;
  std::int64_t booted = -1;     // -1: never booted
  std::int64_t gone = -1;       // -1: still held at the end
  std::int64_t down_since = -1; // -1: not down now
  std::vector<Interval> down;
};

/// What the trace says of one name, in each role it may play (product order, service).
struct Slot {
  std::uint32_t customer = kNone, product = kNone; // as a submitted product order
  std::uint32_t order = kNone;                     // as a service: its product order
  bool active = false, terminated = false;
  std::int64_t active_from = 0, terminated_at = 0; // as a product order, ms
};

struct VmKey {
  std::uint32_t dc;
  std::uint64_t vm;
  bool operator==(const VmKey&) const = default;
};
struct VmKeyHash {
  std::size_t operator()(const VmKey& k) const { return std::hash<std::uint64_t>()(k.vm * 1000003u ^ k.dc); }
};

/// Everything the rules need, gathered from one pass over the trace.
struct World {
  const StringTable* names = nullptr;
  std::int64_t period = 0; // T_usage_period, ms
  std::int64_t cycle = 0;  // ms
  int cycles = 0;
  std::int64_t end = 0;    // end of the last cycle, ms
  std::vector<Slot> slots; // by name id
  std::vector<Vm> vms;
  mutable std::map<std::uint32_t, const scenario::CloudServiceSpec*> rated_by; // product -> cloud service

  Slot& slot(std::uint32_t id) {
    if (id >= slots.size())
      slots.resize(std::size_t{id} + 1);
    return slots[id];
  }
  const Slot* find(std::uint32_t id) const { return id < slots.size() ? &slots[id] : nullptr; }
  std::string text(std::uint32_t id) const { return std::string(names->text(id)); }
};

World gather(const scenario::Scenario& sc, const BillTrace& trace) {
  World w;
  w.names = &trace.names();
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

  using Kind = BillTrace::Kind;
  std::unordered_map<VmKey, std::uint32_t, VmKeyHash> vm_index;
  for (const BillTrace::Step& s : trace.steps()) {
    const std::int64_t t = s.t;
    switch (s.kind) {
    case Kind::unreadable:
      std::rethrow_exception(trace.errors()[s.a]);
    case Kind::order: {
      Slot& o = w.slot(s.a);
      o.customer = s.b;
      o.product = s.c;
      continue;
    }
    case Kind::service:
      w.slot(s.a).order = s.b;
      continue;
    case Kind::active:
    case Kind::terminated: {
      Slot& o = w.slot(s.a);
      bool& seen = s.kind == Kind::active ? o.active : o.terminated;
      if (!seen) { // the first one counts
        seen = true;
        (s.kind == Kind::active ? o.active_from : o.terminated_at) = t;
      }
      continue;
    }
    default:
      break;
    }
    const auto [at, fresh] = vm_index.try_emplace(VmKey{s.a, s.vm}, static_cast<std::uint32_t>(w.vms.size()));
    if (fresh)
      w.vms.emplace_back();
    Vm& vm = w.vms[at->second];
    if (vm.owner == 0) {
      if (s.b == BillTrace::kNoText)
        throw std::runtime_error(fmt::format("trace event lacks the string field {}", "owner"));
      vm.owner = s.b;
    }
    if (s.kind == Kind::vm_booted) {
      const BillTrace::Boot& boot = trace.boots()[s.c];
      if (boot.error)
        std::rethrow_exception(trace.errors()[boot.error - 1]);
      vm.booted = t;
      vm.vcpu = boot.vcpu;
      vm.ram_mib = boot.ram / kMiB;
      vm.storage_mib = boot.disk / kMiB;
    } else if ((s.kind == Kind::vm_destroyed || s.kind == Kind::vm_failed) && vm.booted >= 0 && vm.gone < 0) {
      vm.gone = t;
      if (vm.down_since >= 0) { // a machine that is gone is no longer down
        vm.down.push_back({vm.down_since, t});
        vm.down_since = -1;
      }
    } else if (s.kind == Kind::vm_down && vm.down_since < 0 && vm.gone < 0) {
      vm.down_since = t;
    } else if (s.kind == Kind::vm_up && vm.down_since >= 0) {
      vm.down.push_back({vm.down_since, t});
      vm.down_since = -1;
    }
  }
  for (auto& vm : w.vms) {
    if (vm.down_since >= 0)
      vm.down.push_back({vm.down_since, std::max(w.end, vm.down_since)});
    vm.down_since = -1;
  }
  return w;
}

/// The catalogue entry rating a service: its product order's product's first cloud service.
const scenario::CloudServiceSpec* cloud_service_of(const scenario::Scenario& sc, const World& w, std::uint32_t service,
                                                   std::uint32_t* customer) {
  const Slot* s = w.find(service);
  if (!s || s->order == kNone)
    return nullptr;
  const Slot* order = w.find(s->order);
  if (!order || order->customer == kNone)
    return nullptr;
  *customer = order->customer;
  const auto [it, fresh] = w.rated_by.try_emplace(order->product, nullptr);
  if (fresh) {
    const scenario::Product* product = sc.catalogue.find_product(w.text(order->product));
    if (product && !product->cloud_services.empty())
      it->second = sc.catalogue.find_cloud_service(product->cloud_services.front());
  }
  return it->second;
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

/// ExpectedUsage with names as ids.
struct Usage {
  std::uint32_t service = 0, customer = 0;
  std::int64_t start_ms = 0, end_ms = 0;
  std::int64_t vcpu_ms = 0, ram_mib_ms = 0, storage_mib_ms = 0;
  std::int64_t amount = 0;
};

/// Ranks of the given ids in the order of their texts, indexed by id, so that sorting by rank sorts by text.
std::vector<std::uint32_t> text_ranks(const StringTable& names, std::vector<std::uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::uint32_t> rank(ids.empty() ? 0 : std::size_t{ids.back()} + 1, 0);
  std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) { return names.text(a) < names.text(b); });
  for (std::uint32_t i = 0; i < ids.size(); ++i)
    rank[ids[i]] = i;
  return rank;
}

/// Hands every record the services should have to `visit(const Usage&)`, ordered by service text then period
/// start. One service's records are made at a time: a month of orders has millions of them, and judging used to
/// hold them all at once, on top of everything the run holds at its end (about 250 MB at 10^5 orders).
template <class Visit> void each_usage(const scenario::Scenario& sc, const World& w, Visit&& visit) {
  // The booted VMs, grouped by service in the order of the services' texts.
  std::vector<std::uint32_t> booted; // indices in w.vms
  std::vector<std::uint32_t> services;
  for (std::uint32_t i = 0; i < w.vms.size(); ++i)
    if (w.vms[i].booted >= 0) {
      booted.push_back(i);
      services.push_back(w.vms[i].owner);
    }
  const auto rank = text_ranks(*w.names, std::move(services));
  std::sort(booted.begin(), booted.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto ra = rank[w.vms[a].owner], rb = rank[w.vms[b].owner];
    return ra != rb ? ra < rb : a < b;
  });

  std::vector<Usage> records; // one service's: a piece per VM and period, then a service's VMs summed
  for (std::size_t next = 0; next < booted.size();) {
    const std::uint32_t service = w.vms[booted[next]].owner;
    records.clear();
    for (; next < booted.size() && w.vms[booted[next]].owner == service; ++next) {
      const Vm& vm = w.vms[booted[next]];
      const std::int64_t from = std::max<std::int64_t>(vm.booted, 0);
      const std::int64_t to = std::min(vm.gone < 0 ? w.end : vm.gone, w.end);
      for (std::int64_t at = from; at < to;) {
        const std::int64_t stop = std::min(period_end(w, at), to);
        Usage r;
        r.service = service;
        r.start_ms = period_start(w, at);
        r.end_ms = period_end(w, at);
        r.vcpu_ms = vm.vcpu * (stop - at);
        r.ram_mib_ms = vm.ram_mib * (stop - at);
        r.storage_mib_ms = vm.storage_mib * (stop - at);
        records.push_back(r);
        at = stop;
      }
    }
    if (records.empty()) // booted VMs that held nothing in the billed cycles make no record
      continue;
    std::sort(records.begin(), records.end(), [](const Usage& a, const Usage& b) { return a.start_ms < b.start_ms; });
    std::size_t kept = 0;
    for (const Usage& p : records) {
      if (kept > 0 && records[kept - 1].start_ms == p.start_ms) {
        records[kept - 1].vcpu_ms += p.vcpu_ms;
        records[kept - 1].ram_mib_ms += p.ram_mib_ms;
        records[kept - 1].storage_mib_ms += p.storage_mib_ms;
      } else {
        records[kept++] = p;
      }
    }
    records.resize(kept);
    std::uint32_t customer = 0;
    const scenario::CloudServiceSpec* spec = cloud_service_of(sc, w, service, &customer);
    if (!spec)
      throw std::runtime_error("service " + w.text(service) + " has no customer or no cloud service in the trace");
    for (Usage& r : records) {
      r.customer = customer;
      const Int128 num = Int128(r.vcpu_ms) * spec->rates.vcpu_hour * 1024 +
                         Int128(r.ram_mib_ms) * spec->rates.ram_gib_hour +
                         Int128(r.storage_mib_ms) * spec->rates.storage_gib_hour;
      r.amount = round_half_even(num, Int128(1024) * kHourMs * 1'000'000);
      visit(std::as_const(r));
    }
  }
}

} // namespace

std::vector<ExpectedUsage> expected_usage(const scenario::Scenario& sc, const BillTrace& trace) {
  const World w = gather(sc, trace);
  std::vector<ExpectedUsage> out;
  each_usage(sc, w, [&](const Usage& r) {
    out.push_back({w.text(r.service), w.text(r.customer), r.start_ms, r.end_ms, r.vcpu_ms, r.ram_mib_ms,
                   r.storage_mib_ms, r.amount});
  });
  return out;
}

std::vector<ExpectedUsage> expected_usage(const scenario::Scenario& sc, const std::vector<trace::Event>& events) {
  return expected_usage(sc, BillTrace(events));
}

std::map<BillKey, ExpectedBill> expected_bills(const scenario::Scenario& sc, const BillTrace& trace) {
  const World w = gather(sc, trace);
  std::map<std::pair<std::uint32_t, int>, ExpectedBill> bills; // (customer, cycle)

  // Cloud: the records of the cycle, and per service its charge for the SLA credit. The records come sorted by
  // service then period, so each (service, cycle) is one run of them.
  struct Charge {
    std::uint32_t service;
    int cycle;
    std::int64_t amount;
  };
  std::vector<Charge> service_charge;
  each_usage(sc, w, [&](const Usage& r) {
    const int c = static_cast<int>(r.start_ms / w.cycle);
    bills[{r.customer, c}].cloud += r.amount;
    if (!service_charge.empty() && service_charge.back().service == r.service && service_charge.back().cycle == c)
      service_charge.back().amount += r.amount;
    else
      service_charge.push_back({r.service, c, r.amount});
  });

  // SLA: a service is down while any of its machines is; the union of those intervals, per cycle.
  std::unordered_map<std::uint32_t, std::vector<Interval>> down; // service -> intervals
  for (const Vm& vm : w.vms)
    if (!vm.down.empty())
      down[vm.owner].insert(down[vm.owner].end(), vm.down.begin(), vm.down.end());
  for (const auto& [service, c, charge] : service_charge) {
    std::uint32_t customer = 0;
    const scenario::CloudServiceSpec* spec = cloud_service_of(sc, w, service, &customer);
    if (spec->sla.availability_millipercent <= 0)
      continue;
    const std::int64_t c0 = w.cycle * c, c1 = c0 + w.cycle;
    const auto found = down.find(service);
    auto intervals = found == down.end() ? std::vector<Interval>{} : found->second;
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

  // Telecom: the product's fee in proportion to its active time in each cycle, rounded once per product. An
  // unreadable order is reported as the rules met it, in the order of the product orders' names.
  std::map<std::uint32_t, const scenario::Product*> products;
  std::uint32_t wrong = kNone; // the first product order, by name, the rules cannot bill
  for (std::uint32_t po = 0; po < w.slots.size(); ++po) {
    const Slot& o = w.slots[po];
    if (!o.active)
      continue;
    const scenario::Product* product = nullptr;
    if (o.customer != kNone) {
      const auto [it, fresh] = products.try_emplace(o.product, nullptr);
      if (fresh)
        it->second = sc.catalogue.find_product(w.text(o.product));
      product = it->second;
    }
    if (!product) {
      if (wrong == kNone || w.text(po) < w.text(wrong))
        wrong = po;
      continue;
    }
    std::int64_t fee = 0;
    for (const auto& id : product->telecom_services)
      if (const auto* ts = sc.catalogue.find_telecom_service(id))
        fee += ts->fee;
    const std::int64_t to = !o.terminated ? w.end : std::min(o.terminated_at, w.end);
    for (int c = 0; c < w.cycles; ++c) {
      const std::int64_t active = overlap(o.active_from, to, w.cycle * c, w.cycle * (c + 1));
      if (active > 0)
        bills[{o.customer, c}].telecom += round_half_even(Int128(fee) * active, w.cycle);
    }
  }
  if (wrong != kNone)
    throw std::runtime_error(
        "product order " + w.text(wrong) +
        (w.slots[wrong].customer == kNone ? " became active but was never submitted" : " names an unknown product"));

  std::map<BillKey, ExpectedBill> out;
  for (auto& [key, b] : bills) {
    b.total = b.telecom + b.cloud - b.credits;
    out.emplace(BillKey{w.text(key.first), key.second}, b);
  }
  return out;
}

std::map<BillKey, ExpectedBill> expected_bills(const scenario::Scenario& sc, const std::vector<trace::Event>& events) {
  return expected_bills(sc, BillTrace(events));
}

std::map<BillKey, ExpectedBill> issued_bills(const BillTrace& trace, std::vector<BillKey>* duplicates) {
  std::map<BillKey, ExpectedBill> issued;
  for (const BillTrace::Bill& b : trace.bills()) {
    if (b.error)
      std::rethrow_exception(trace.errors()[b.error - 1]);
    const BillKey key{trace.names().text(b.customer), b.cycle};
    const ExpectedBill bill{b.telecom, b.cloud, b.credits, b.total};
    if (!issued.emplace(key, bill).second && duplicates)
      duplicates->push_back(key);
  }
  return issued;
}

std::map<BillKey, ExpectedBill> issued_bills(const std::vector<trace::Event>& events,
                                             std::vector<BillKey>* duplicates) {
  return issued_bills(BillTrace(events), duplicates);
}

std::vector<BillDifference> bill_differences(const std::map<BillKey, ExpectedBill>& expected, const BillTrace& trace) {
  std::vector<BillKey> duplicates;
  const auto issued = issued_bills(trace, &duplicates);
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

std::vector<BillDifference> bill_differences(const std::map<BillKey, ExpectedBill>& expected,
                                             const std::vector<trace::Event>& events) {
  return bill_differences(expected, BillTrace(events));
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
  if (s.size() != 27)
    return -1;
  // Digits where the form has them and its separators between: what sscanf below reads from such a text, without
  // its cost (two timestamps per usage record of a run). Anything else is left to sscanf, which reads more forms.
  const auto digits = [&](std::size_t at, std::size_t n, int& out) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9')
        return false;
      v = v * 10 + (s[i] - '0');
    }
    out = v;
    return true;
  };
  const bool plain = s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' && s[19] == '.' &&
                     s[26] == 'Z' && digits(0, 4, y) && digits(5, 2, mo) && digits(8, 2, d) && digits(11, 2, h) &&
                     digits(14, 2, mi) && digits(17, 2, sec) && digits(20, 6, micro);
  if (!plain && std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%6dZ", &y, &mo, &d, &h, &mi, &sec, &micro) != 7)
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

/// Member `key` of the object `j` read in place, or an empty array: what j.value(key, array()) gives, without
/// copying the member (this runs on every usage record of a run, several times).
const nlohmann::json& member_or_empty(const nlohmann::json& j, const char* key) {
  static const nlohmann::json none = nlohmann::json::array();
  const auto it = j.find(key);
  return it != j.end() ? *it : none;
}

/// Member `key` of the object `j` read in place, or null.
const nlohmann::json* field(const nlohmann::json& j, std::string_view key) {
  const auto it = j.find(key);
  return it != j.end() ? &*it : nullptr;
}

/// What the object `j`'s value(key, "") gives (and throws), without looking the key up as a new string.
std::string text_of(const nlohmann::json& j, std::string_view key) {
  const nlohmann::json* v = field(j, key);
  if (!v)
    return {};
  if (const auto* s = v->get_ptr<const std::string*>())
    return *s;
  return v->get<std::string>(); // throws as value() does for a member that is no string
}

/// Member `key` of `j` if `j` is an object and it is one too, else null.
const nlohmann::json* object_field(const nlohmann::json& j, std::string_view key) {
  const nlohmann::json* v = j.is_object() ? field(j, key) : nullptr;
  return v && v->is_object() ? v : nullptr;
}

DeliveredUsage delivered(const nlohmann::json& u) {
  // Read in place, each member looked up once: this runs on every usage record of a run.
  DeliveredUsage r;
  if (!u.is_object())
    return r;
  r.id = text_of(u, "id");
  if (const nlohmann::json* service = object_field(u, "service"))
    r.service = text_of(*service, "id");
  for (const auto& p : member_or_empty(u, "relatedParty"))
    if (p.is_object() && text_of(p, "role") == "customer")
      r.customer = text_of(p, "id");
  if (const nlohmann::json* period = object_field(u, "usagePeriod")) {
    r.start_ms = iso_ms(text_of(*period, "startDateTime"));
    r.end_ms = iso_ms(text_of(*period, "endDateTime"));
  }
  for (const auto& c : member_or_empty(u, "usageCharacteristic")) {
    if (!c.is_object())
      continue;
    const std::string name = text_of(c, "name");
    const nlohmann::json* value = field(c, "value");
    const std::int64_t v = value && value->is_number_integer() ? value->get<std::int64_t>() : -1;
    if (name == "vcpuMilliseconds")
      r.vcpu_ms = v;
    else if (name == "ramMiBMilliseconds")
      r.ram_mib_ms = v;
    else if (name == "storageMiBMilliseconds")
      r.storage_mib_ms = v;
  }
  const auto& rated = member_or_empty(u, "ratedProductUsage");
  if (!rated.empty() && rated[0].is_object())
    if (const nlohmann::json* amount = object_field(rated[0], "taxExcludedRatingAmount")) {
      const nlohmann::json* value = field(*amount, "value");
      r.amount = value ? value->get<std::int64_t>() : -1; // throws as value("value", -1) does for a text
    }
  return r;
}

} // namespace

UsageLedger::UsageLedger() = default;

UsageLedger::UsageLedger(StringTable& names) : names_(&names) {}

StringTable& UsageLedger::table() {
  if (!names_) {
    own_ = std::make_unique<StringTable>();
    names_ = own_.get();
  }
  return *names_;
}

const StringTable& UsageLedger::names() const {
  static const StringTable none;
  return names_ ? *names_ : none;
}

namespace {

// A packed record: its id's length and text, then service, customer, start, end - start, vcpu, ram, storage and
// amount as variable-length integers, 7 bits a byte (signed ones zigzagged: small and -1 take one byte).
void put_varint(std::string& out, std::uint64_t v) {
  for (;; v >>= 7) {
    out.push_back(static_cast<char>((v & 0x7fu) | (v > 0x7fu ? 0x80u : 0u)));
    if (v <= 0x7fu)
      break;
  }
}
void put_zigzag(std::string& out, std::int64_t v) {
  put_varint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}
std::uint64_t get_varint(const char*& at) {
  std::uint64_t v = 0;
  for (unsigned shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(*at++);
    v |= std::uint64_t{byte & 0x7fu} << shift;
    if (!(byte & 0x80u))
      return v;
  }
}
std::int64_t get_zigzag(const char*& at) {
  const std::uint64_t z = get_varint(at);
  return static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
}

std::string pack_usage(std::string_view id, const MeteredUsage& m) {
  std::string out;
  put_varint(out, id.size());
  out += id;
  put_varint(out, m.service);
  put_varint(out, m.customer);
  put_zigzag(out, m.start_ms);
  // The length of the period rather than its end: a few bytes instead of five. Wrapping, so that any two ends do.
  put_zigzag(out,
             static_cast<std::int64_t>(static_cast<std::uint64_t>(m.end_ms) - static_cast<std::uint64_t>(m.start_ms)));
  put_zigzag(out, m.vcpu_ms);
  put_zigzag(out, m.ram_mib_ms);
  put_zigzag(out, m.storage_mib_ms);
  put_zigzag(out, m.amount);
  return out;
}

} // namespace

const char* UsageLedger::packed(std::size_t row) const {
  const std::uint32_t place = places_[row];
  return chunks_[place >> kOffsetBits].data() + (place & ((std::uint32_t{1} << kOffsetBits) - 1));
}

std::string_view UsageLedger::id(std::size_t row) const {
  const char* at = packed(row);
  const std::size_t size = get_varint(at);
  return {at, size};
}

MeteredUsage UsageLedger::metered(std::size_t row) const {
  const char* at = packed(row);
  at += get_varint(at); // past the id
  MeteredUsage m;
  m.service = static_cast<std::uint32_t>(get_varint(at));
  m.customer = static_cast<std::uint32_t>(get_varint(at));
  m.start_ms = get_zigzag(at);
  m.end_ms =
      static_cast<std::int64_t>(static_cast<std::uint64_t>(m.start_ms) + static_cast<std::uint64_t>(get_zigzag(at)));
  m.vcpu_ms = get_zigzag(at);
  m.ram_mib_ms = get_zigzag(at);
  m.storage_mib_ms = get_zigzag(at);
  m.amount = get_zigzag(at);
  return m;
}

DeliveredUsage UsageLedger::full(std::size_t row) const {
  const MeteredUsage m = metered(row);
  return {std::string(id(row)),
          std::string(names().text(m.service)),
          std::string(names().text(m.customer)),
          m.start_ms,
          m.end_ms,
          m.vcpu_ms,
          m.ram_mib_ms,
          m.storage_mib_ms,
          m.amount};
}

std::map<std::string, DeliveredUsage> UsageLedger::records() const {
  std::map<std::string, DeliveredUsage> out;
  for (std::size_t row = 0; row < size(); ++row)
    out.emplace(std::string(id(row)), full(row));
  return out;
}

std::size_t UsageLedger::bytes() const {
  std::size_t n = places_.size() * sizeof(std::uint32_t) + slots_.capacity() * sizeof(std::uint32_t);
  for (const auto& c : chunks_)
    n += c.capacity();
  return n;
}

std::size_t UsageLedger::slot_of(std::string_view id) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = std::hash<std::string_view>()(id) & mask;; i = (i + 1) & mask)
    if (slots_[i] == 0 || this->id(slots_[i] - 1) == id)
      return i;
}

void UsageLedger::grow_slots() {
  std::vector<std::uint32_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, 0);
  for (const std::uint32_t row : old)
    if (row)
      slots_[slot_of(id(row - 1))] = row;
}

DeliveredUsage UsageLedger::read(const nlohmann::json& usage) { return delivered(usage); }

MeteredUsage MeteredUsage::of(const DeliveredUsage& d, StringTable& names) {
  MeteredUsage m;
  m.service = names.id(d.service);
  m.customer = names.id(d.customer);
  m.start_ms = d.start_ms;
  m.end_ms = d.end_ms;
  m.vcpu_ms = d.vcpu_ms;
  m.ram_mib_ms = d.ram_mib_ms;
  m.storage_mib_ms = d.storage_mib_ms;
  m.amount = d.amount;
  return m;
}

void UsageLedger::add(const nlohmann::json& usage) {
  const DeliveredUsage r = delivered(usage);
  if ((size() + 1) * 4 > slots_.size() * 3) // at most three quarters full, so probes stay short
    grow_slots();
  const std::size_t slot = slot_of(r.id);
  const MeteredUsage m = MeteredUsage::of(r, table());
  if (slots_[slot]) {
    if (metered(slots_[slot] - 1) != m)
      problems_.push_back("usage " + r.id + " delivered twice with different content");
    return;
  }
  // Into the last chunk; chunks are never reallocated, so places stay valid.
  constexpr std::size_t kChunk = std::size_t{1} << kOffsetBits;
  const std::string bytes = pack_usage(r.id, m);
  if (chunks_.empty() || chunks_.back().size() + bytes.size() > chunks_.back().capacity()) {
    if (chunks_.size() >= (std::size_t{1} << (32 - kOffsetBits)))
      throw std::length_error("UsageLedger: more records than its places can address");
    chunks_.emplace_back();
    chunks_.back().reserve(std::max(kChunk, bytes.size())); // a record longer than a chunk gets one of its own
  }
  std::string& chunk = chunks_.back();
  places_.push_back(static_cast<std::uint32_t>((chunks_.size() - 1) << kOffsetBits | chunk.size()));
  chunk += bytes;
  slots_[slot] = static_cast<std::uint32_t>(size());
}

void UsageLedger::observe(const trace::Event& e) {
  if (e.category != trace::Category::i1)
    return;
  const nlohmann::json* body = e.body();
  if (!body)
    return;
  const auto& d = e.data;
  if (e.type == "i1.notification" && d.value("name", "") == "UsageCreateEvent") {
    if (body->is_object() && body->contains("event") && (*body)["event"].is_object() &&
        (*body)["event"].contains("usage"))
      add((*body)["event"]["usage"]);
  } else if (e.type == "i1.response" && d.value("name", "") == "listUsage" && body->is_array()) {
    for (const auto& u : *body)
      add(u);
  }
}

std::vector<UsageDifference> usage_differences(const scenario::Scenario& sc, const BillTrace& trace,
                                               const UsageLedger& ledger) {
  std::vector<UsageDifference> out;
  const std::int64_t cycle = to_ms(sc.billing.cycle);
  const std::int64_t end = cycle * sc.billing.cycles;
  const StringTable& names = ledger.names();

  // The records in the order of their ids; of two for the same service and period, the first so is the one
  // compared, and the other a problem. Records are unpacked where read, so that judging holds no copy of them.
  std::vector<std::uint32_t> by_id(ledger.size());
  for (std::uint32_t i = 0; i < by_id.size(); ++i)
    by_id[i] = i;
  std::sort(by_id.begin(), by_id.end(), [&](std::uint32_t a, std::uint32_t b) { return ledger.id(a) < ledger.id(b); });
  struct Got {
    std::uint32_t service; // a ledger name id
    std::int64_t start_ms;
    std::uint32_t rank; // in by_id
    bool operator<(const Got& o) const { return service != o.service ? service < o.service : start_ms < o.start_ms; }
  };
  std::vector<Got> got;
  for (std::uint32_t i = 0; i < by_id.size(); ++i)
    if (const MeteredUsage r = ledger.metered(by_id[i]); r.start_ms >= 0 && r.end_ms >= 0 && r.start_ms < end)
      got.push_back({r.service, r.start_ms, i});
  std::stable_sort(got.begin(), got.end());
  std::vector<bool> second(by_id.size(), false);
  for (std::size_t i = 1; i < got.size(); ++i)
    if (!(got[i - 1] < got[i]))
      second[got[i].rank] = true;
  got.erase(std::unique(got.begin(), got.end(), [](const Got& a, const Got& b) { return !(a < b) && !(b < a); }),
            got.end());

  std::vector<std::string> problems = ledger.problems();
  for (std::uint32_t i = 0; i < by_id.size(); ++i) {
    const MeteredUsage r = ledger.metered(by_id[i]);
    if (r.start_ms < 0 || r.end_ms < 0)
      problems.push_back("usage " + std::string(ledger.id(by_id[i])) + ": no readable usagePeriod");
    else if (second[i])
      problems.push_back(fmt::format("usage {}: a second record of {} for the period at {} ms", ledger.id(by_id[i]),
                                     names.text(r.service), r.start_ms));
  }
  for (const auto& p : problems)
    out.push_back({{"", -1}, p});

  // The expected records come one service at a time, never all at once; they name things by `trace`'s ids, which
  // are the ledger's when the two share a table, and are looked up by text otherwise (once per service).
  std::vector<bool> matched(got.size(), false);
  const World w = gather(sc, trace);
  std::uint32_t last = kNone, service = 0;
  bool delivered_any = false; // whether the ledger knows the service's name
  each_usage(sc, w, [&](const Usage& want) {
    const std::string_view want_service = w.names->text(want.service);
    const std::string_view want_customer = w.names->text(want.customer);
    if (want.service != last) {
      last = want.service;
      delivered_any = names.find(want_service, service);
    }
    const auto key = [&] { return BillKey{std::string(want_customer), static_cast<int>(want.start_ms / cycle)}; };
    const auto it =
        delivered_any ? std::lower_bound(got.begin(), got.end(), Got{service, want.start_ms, 0}) : got.end();
    if (it == got.end() || it->service != service || it->start_ms != want.start_ms) {
      out.push_back(
          {key(), fmt::format("{} [{}, {}) ms: no record delivered", want_service, want.start_ms, want.end_ms)});
      return;
    }
    const std::uint32_t row = by_id[it->rank];
    const MeteredUsage have = ledger.metered(row);
    const std::string_view customer = names.text(have.customer);
    if (have.end_ms != want.end_ms || have.vcpu_ms != want.vcpu_ms || have.ram_mib_ms != want.ram_mib_ms ||
        have.storage_mib_ms != want.storage_mib_ms || have.amount != want.amount || customer != want_customer)
      out.push_back(
          {key(), fmt::format("{} {} [{}, {}) ms: expected end {} vcpu {} ram {} storage {} amount {} of {}; "
                              "delivered end {} vcpu {} ram {} storage {} amount {} of {}",
                              ledger.id(row), want_service, want.start_ms, want.end_ms, want.end_ms, want.vcpu_ms,
                              want.ram_mib_ms, want.storage_mib_ms, want.amount, want_customer, have.end_ms,
                              have.vcpu_ms, have.ram_mib_ms, have.storage_mib_ms, have.amount, customer)});
    matched[static_cast<std::size_t>(it - got.begin())] = true;
  });

  // What was delivered for nothing held, by service name then period.
  std::vector<std::pair<std::uint32_t, MeteredUsage>> extra; // row, what it meters
  for (std::size_t i = 0; i < got.size(); ++i)
    if (!matched[i])
      extra.emplace_back(by_id[got[i].rank], ledger.metered(by_id[got[i].rank]));
  std::sort(extra.begin(), extra.end(), [&](const auto& a, const auto& b) {
    const auto& sa = names.text(a.second.service);
    const auto& sb = names.text(b.second.service);
    return sa != sb ? sa < sb : a.second.start_ms < b.second.start_ms;
  });
  for (const auto& [row, have] : extra)
    out.push_back({{std::string(names.text(have.customer)), static_cast<int>(have.start_ms / cycle)},
                   fmt::format("{} {} [{}, {}) ms: delivered but nothing was held", ledger.id(row),
                               names.text(have.service), have.start_ms, have.end_ms)});
  return out;
}

std::vector<UsageDifference> usage_differences(const scenario::Scenario& sc, const std::vector<trace::Event>& events,
                                               const UsageLedger& ledger) {
  return usage_differences(sc, BillTrace(events), ledger);
}

std::vector<UsageDifference> usage_differences(const scenario::Scenario& sc, const std::vector<trace::Event>& events) {
  StringTable names;
  BillTrace trace(names);
  UsageLedger ledger(names);
  for (const auto& e : events) {
    trace.add(e);
    ledger.observe(e);
  }
  return usage_differences(sc, trace, ledger);
}

} // namespace i1sim::conformance
