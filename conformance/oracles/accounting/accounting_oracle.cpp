// The accounting oracle's reading of the stream: what crossed I1, what the harness's faults held, and ground truth.
#include "conformance/oracles/accounting/accounting_oracle.hpp"

#include "util/timestamp.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fmt/format.h>
#include <functional>
#include <limits>

namespace i1sim::conformance::accounting {

namespace {

using Json = nlohmann::json;           // a message's body, as trace::Event::body() gives it
using Fields = nlohmann::ordered_json; // an event's own fields

std::int64_t to_ms(double seconds) { return std::llround(seconds * 1000); }

// The readers below serve both an event's fields and the body it carries.
template <class J> std::string str(const J& j, const char* field) {
  if (!j.is_object())
    return {};
  const auto it = j.find(field);
  return it != j.end() && it->is_string() ? it->template get<std::string>() : std::string();
}

template <class J> const J& member(const J& j, const char* field) {
  static const J null;
  if (!j.is_object())
    return null;
  const auto it = j.find(field);
  return it == j.end() ? null : *it;
}

/// A money object's integer value, or nothing.
bool money(const Json& m, std::int64_t* value, std::string* unit) {
  const Json& v = member(m, "value");
  if (!v.is_number_integer())
    return false;
  *value = v.get<std::int64_t>();
  *unit = str(m, "unit");
  return true;
}

std::string customer_of(const Json& resource) {
  const Json& parties = member(resource, "relatedParty");
  if (parties.is_array())
    for (const auto& p : parties)
      if (str(p, "role") == "customer")
        return str(p, "id");
  return {};
}

/// The value of `key` in the query of `target`, "" when absent.
std::string query_value(const std::string& target, const std::string& key) {
  const auto q = target.find('?');
  if (q == std::string::npos)
    return {};
  std::size_t at = q + 1;
  while (at <= target.size()) {
    const auto amp = std::min(target.find('&', at), target.size());
    const std::string pair = target.substr(at, amp - at);
    const auto eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == key)
      return pair.substr(eq + 1);
    at = amp + 1;
  }
  return {};
}

} // namespace

std::int64_t iso_ms(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, used = 0;
  if (s.size() < 20 || std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6 ||
      used != 19)
    return -1;
  std::int64_t micro = 0;
  std::size_t at = 19;
  if (s[at] == '.') {
    int digits = 0;
    for (++at; at < s.size() && s[at] >= '0' && s[at] <= '9'; ++at, ++digits)
      if (digits < 6)
        micro = micro * 10 + (s[at] - '0');
    if (digits == 0)
      return -1;
    for (; digits < 6; ++digits)
      micro *= 10;
  }
  if (at + 1 != s.size() || s[at] != 'Z' || mo < 1 || mo > 12 || d < 1 || d > 31)
    return -1;
  // Days between 1970-01-01 and the date (civil calendar, years counted from March).
  const int yy = mo <= 2 ? y - 1 : y;
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const int yoe = yy - era * 400;
  const int doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = std::int64_t{era} * 146097 + doe - 719468;
  constexpr std::int64_t kEpoch2026 = 20454; // 2026-01-01 in days from 1970-01-01
  return (((days - kEpoch2026) * 24 + h) * 60 + mi) * 60'000 + sec * 1000 + (micro + 500) / 1000;
}

std::int64_t half_even(Int128 num, Int128 den) {
  Int128 q = num / den;
  Int128 r = num % den;
  if (r < 0) { // floor division, so that the remainder is in [0, den)
    r += den;
    q -= 1;
  }
  if (2 * r > den || (2 * r == den && q % 2 != 0))
    q += 1;
  return static_cast<std::int64_t>(q);
}

// ---- tallies --------------------------------------------------------------------------------------------------

void Tally::ok() {
  ++observed;
  verdict = worse(verdict, Verdict::pass);
}

void Tally::bad(Verdict v, const std::string& why, const std::vector<std::uint64_t>& evidence) {
  ++observed;
  ++violations;
  if (static_cast<int>(v) > static_cast<int>(verdict) || reason.empty()) {
    verdict = worse(verdict, v);
    reason = why;
    same_reasons = 0;
    events.clear();
  } else if (v == verdict) {
    ++same_reasons;
  } else {
    return; // a milder problem than the one already reported
  }
  for (const auto id : evidence)
    if (id > 0)
      events.insert(id);
}

CheckResult Tally::result(const std::string& id) const {
  CheckResult r;
  r.check = id;
  r.verdict = verdict;
  r.observed = observed;
  r.violations = violations;
  if (verdict != Verdict::pass && verdict != Verdict::none) {
    r.reason = reason;
    if (same_reasons > 0)
      r.reason += fmt::format(" (and {} more)", same_reasons);
  }
  for (const auto e : events) {
    if (r.events.size() >= kMaxEvidence)
      break;
    r.events.push_back(e);
  }
  return r;
}

// ---- usage records ------------------------------------------------------------------------------------------

const Record* UsageRecords::find(std::string_view key) const {
  std::uint32_t name = 0;
  return names_.find(key, name) ? find(name) : nullptr;
}

const Record* UsageRecords::find(std::uint32_t key) const {
  return key < record_of_.size() && record_of_[key] != 0 ? &at(record_of_[key] - 1) : nullptr;
}

Record& UsageRecords::find_or_add(std::string_view key, bool& fresh) {
  const std::uint32_t name = names_.id(key);
  if (name >= record_of_.size())
    record_of_.resize(std::size_t{name} + 1, 0);
  fresh = record_of_[name] == 0;
  if (!fresh)
    return at(record_of_[name] - 1);
  if (size_ % kBlock == 0) {
    blocks_.emplace_back();
    blocks_.back().reserve(kBlock);
  }
  Record& r = blocks_.back().emplace_back();
  r.key = name;
  ++size_;
  record_of_[name] = static_cast<std::uint32_t>(size_);
  return r;
}

void UsageRecords::sort_by_key() {
  by_key_.clear();
  by_key_.reserve(size_);
  for (std::size_t i = 0; i < size_; ++i)
    by_key_.push_back(&at(i));
  std::sort(by_key_.begin(), by_key_.end(), [this](const Record* a, const Record* b) { return key(*a) < key(*b); });
}

void UsageRecords::fill(Record& r, const DeliveredUsage& d, const std::string& usage_date, const std::string& op) {
  r.has_id = !d.id.empty();
  static_cast<MeteredUsage&>(r) = MeteredUsage::of(d, names_);
  r.op = names_.id(op);
  // Dates are mostly distinct, and mostly the end of the period, written as iso_timestamp writes it: such a date
  // is kept as a flag. Any other is kept as it came, so that listings are still judged, and reported, on the text
  // as written.
  const std::int64_t ms = iso_ms(usage_date);
  if (ms >= 0 && ms == r.end_ms && iso_timestamp(static_cast<double>(ms) / 1000.0) == usage_date) {
    r.date_is_end = true;
  } else {
    r.date_text = names_.id(usage_date);
  }
}

bool UsageRecords::same(const Record& r, const DeliveredUsage& d) const {
  return id(r) == d.id && service(r) == d.service && customer(r) == d.customer && r.start_ms == d.start_ms &&
         r.end_ms == d.end_ms && r.vcpu_ms == d.vcpu_ms && r.ram_mib_ms == d.ram_mib_ms &&
         r.storage_mib_ms == d.storage_mib_ms && r.amount == d.amount;
}

std::string UsageRecords::usage_date(const Record& r) const {
  return r.date_is_end ? iso_timestamp(static_cast<double>(r.end_ms) / 1000.0) : std::string(names_.text(r.date_text));
}

std::int64_t UsageRecords::usage_ms(const Record& r) const {
  return r.date_is_end ? r.end_ms : iso_ms(std::string(names_.text(r.date_text)));
}

// ---- the oracle ----------------------------------------------------------------------------------------------

std::vector<CheckInfo> AccountingOracle::catalogue() {
  return {
      {"usage.timely",
       {"I1-USG-001"},
       "ensure that each period in which a service held resources gets a record "
       "within T_usage of its end"},
      {"usage.accurate",
       {"I1-USG-002"},
       "ensure that a record's vcpu/ram/storage milliseconds equal what the "
       "service really held in the period"},
      {"usage.unique",
       {"I1-USG-003"},
       "ensure that record ids are unique and a record delivered again keeps its id "
       "and content"},
      {"usage.coverage",
       {"I1-USG-004"},
       "ensure that the records of a service cover disjoint periods, none longer "
       "than T_usage_period or across a cycle, none uncovered, none for a "
       "terminated service"},
      {"usage.rating",
       {"I1-USG-005"},
       "ensure that each record's amount is the specified formula, rounded "
       "half-even"},
      {"usage.listed",
       {"I1-USG-007"},
       "ensure that a usage listing holds exactly the records pushed, with the same "
       "ids and amounts"},
      {"usage.pushed", {"I1-USG-008"}, "ensure that usage records are pushed as UsageCreateEvent notifications"},
      {"bill.sent",
       {"I1-BIL-001"},
       "ensure that each cycle close brings, within T_bill, one bill per customer with "
       "usage or credits"},
      {"bill.usage_sum",
       {"I1-BIL-002"},
       "ensure that a bill's usage charge per service is the sum of the cycle's "
       "records, each billed once, none in two bills"},
      {"bill.amount_due",
       {"I1-BIL-003"},
       "ensure that amountDue is the sum of the applied rates, in the customer's "
       "currency"},
      {"bill.on_demand",
       {"I1-BIL-005"},
       "ensure that a bill on demand is offCycle, holds the open cycle's charges "
       "so far and bills no record"},
      {"bill.cycle", {"I1-BIL-007"}, "ensure that bills cover whole cycles counted from the start of the run"},
      {"sla.availability",
       {"I1-SLA-003"},
       "ensure that each bill states, per service with an objective, the "
       "availability it really had and whether it complied"},
      {"sla.credit",
       {"I1-SLA-004"},
       "ensure that a non-compliant service is credited its percentage of its usage "
       "charge, rounded half-even"},
  };
}

AccountingOracle::AccountingOracle(const OracleContext& ctx) : sc_(*ctx.scenario) {
  if (ctx.timers.count("T_usage_period"))
    period_ = ctx.timer("T_usage_period");
  if (ctx.timers.count("T_usage"))
    t_usage_ = ctx.timer("T_usage");
  if (ctx.timers.count("T_bill"))
    t_bill_ = ctx.timer("T_bill");
  retention_ = ctx.timer("T_retention");
  period_ms_ = to_ms(period_);
  cycle_ms_ = to_ms(sc_.billing.cycle);
  cycles_ = sc_.billing.cycles;
}

std::vector<CheckInfo> AccountingOracle::checks() const { return catalogue(); }

void AccountingOracle::on_event(const trace::Event& e) {
  if (!error_.empty())
    return;
  try {
    observe(e);
  } catch (const std::exception& ex) {
    error_ = fmt::format("event {} could not be read: {}", e.id, ex.what());
  }
}

void AccountingOracle::observe(const trace::Event& e) {
  const Fields& d = e.data;
  if (e.category == trace::Category::truth) {
    if (e.type == "cloud.down") {
      cloud_down_.emplace_back(e.t, std::numeric_limits<double>::infinity());
    } else if (e.type == "cloud.up") {
      if (!cloud_down_.empty() && std::isinf(cloud_down_.back().second))
        cloud_down_.back().second = e.t;
    } else if (e.type == "channel.lost") {
      if (str(d, "kind") == "notification") {
        const std::string corr = str(d, "corr");
        if (!lost_.count(corr))
          lost_[corr] = e.t;
        if (!delivered_corr_.contains(corr))
          lost_name_[corr] = str(d, "name");
      }
    } else if (e.type.starts_with("vm.")) {
      Vm& vm = vms_[{records_.name(str(d, "dc")), d.at("vm").get<std::uint64_t>()}];
      const std::int64_t t = to_ms(e.t);
      if (vm.owner == 0)
        vm.owner = records_.name(str(d, "owner"));
      constexpr std::int64_t kMiB = 1024 * 1024;
      auto whole = [&](const char* f) {
        const Fields& v = member(d, f);
        return v.is_number_integer() ? v.get<std::int64_t>() : v.is_number() ? std::llround(v.get<double>()) : 0;
      };
      if (e.type == "vm.booted" && vm.booted < 0) {
        vm.booted = t;
        vm.boot_event = e.id;
        vm.vcpu = whole("vcpu");
        vm.ram_mib = whole("ram") / kMiB;
        vm.storage_mib = whole("disk") / kMiB;
      } else if ((e.type == "vm.destroyed" || e.type == "vm.failed") && vm.booted >= 0 && vm.gone < 0) {
        vm.gone = t;
        if (vm.down_since >= 0)
          vm.down.emplace_back(vm.down_since, t);
        vm.down_since = -1;
      } else if (e.type == "vm.down" && vm.booted >= 0 && vm.gone < 0 && vm.down_since < 0) {
        vm.down_since = t;
      } else if (e.type == "vm.up" && vm.down_since >= 0) {
        vm.down.emplace_back(vm.down_since, t);
        vm.down_since = -1;
      }
    }
    return;
  }
  if (e.category == trace::Category::tester) {
    if (e.type == "order.submitted") {
      const std::uint32_t order = records_.name(str(d, "productOrder"));
      product_orders_[order] = {records_.name(str(d, "customer")), records_.name(str(d, "product"))};
    } else if (e.type == "service.ordered") {
      Service& s = services_[str(d, "service")];
      const auto po = product_orders_.find(records_.name(str(d, "productOrder")));
      if (po != product_orders_.end()) {
        s.customer = po->second.first;
        s.ordered_event = e.id;
        if (const auto* product = sc_.catalogue.find_product(text(po->second.second));
            product && !product->cloud_services.empty())
          s.spec = sc_.catalogue.find_cloud_service(product->cloud_services.front());
      }
    }
    return;
  }

  // I1 messages
  const std::string name = str(d, "name");
  static const Json none;
  const Json& body = e.body() ? *e.body() : none;
  const double sent = member(d, "sent").is_number() ? d["sent"].get<double>() : e.t;
  if (e.type == "i1.request") {
    const std::string credential = str(d, "credential");
    std::string op = credential.starts_with("token-") ? credential.substr(6) : std::string();
    if (op.empty() && sc_.i1.operators.size() == 1)
      op = sc_.i1.operators.front();
    if (name == "listUsage" || name == "createCustomerBillOnDemand") {
      if (!requests_.count(str(d, "corr")))
        requests_[str(d, "corr")] = {name, str(d, "target"), op, customer_of(body), e.t, e.id};
    } else if (name == "deleteHub") {
      if (!hub_deleted_.count(op))
        hub_deleted_[op] = e.t;
    } else if (name == "createCustomer") {
      const std::string id = str(body, "id");
      if (!id.empty() && !currency_.count(id))
        currency_[id] = str(body, "currency");
    }
    return;
  }
  if (e.type == "i1.response" && name == "createServiceOrder") {
    // An order the tester placed outside its product flow (a probe) has no service.ordered event: its services'
    // specifications are read from the order the producer accepted.
    const Json& items = member(body, "serviceOrderItem");
    if (items.is_array())
      for (const auto& item : items) {
        const Json& svc = member(item, "service");
        const std::string id = str(svc, "id");
        const std::string spec_id = str(member(svc, "serviceSpecification"), "id");
        if (id.empty() || spec_id.empty())
          continue;
        Service& s = services_[id];
        if (!s.spec) {
          s.spec = sc_.catalogue.find_cloud_service(spec_id);
          bool objective = false;
          const Json& chars = member(svc, "serviceCharacteristic");
          if (chars.is_array())
            for (const auto& c : chars)
              objective = objective || str(c, "name") == "availabilityObjective";
          s.without_objective = !objective;
        }
        if (s.customer == 0)
          s.customer = records_.name(customer_of(body));
      }
  }
  if (e.type == "i1.notification") {
    const std::string corr = str(d, "corr");
    delivered_corr_.insert(corr);
    lost_name_.erase(corr);
    double first = sent;
    if (const auto it = lost_.find(corr); it != lost_.end())
      first = std::min(first, it->second);
    const std::string target = str(d, "target");
    const std::string op = target.substr(target.rfind('/') + 1);
    const Json& event = member(body, "event");
    if (name == "UsageCreateEvent" || name == "UsageStateChangeEvent") {
      const Json& u = member(event, "usage");
      if (!u.is_null())
        add_usage(u, e, first, name == "UsageCreateEvent", op);
    } else if (name == "CustomerBillCreateEvent") {
      const Json& b = member(event, "customerBill");
      Bill bill = read_bill(b, e, first);
      if (!bill.id.empty() && !bills_.count(bill.id)) {
        bill_order_.push_back(bill.id);
        bills_[bill.id] = std::move(bill);
      }
    } else if (name == "ServiceStateChangeEvent") {
      const Json& s = member(event, "service");
      if (str(s, "state") == "terminated") {
        Service& svc = services_[str(s, "id")];
        if (svc.terminated_sent < 0 || first < svc.terminated_sent) {
          svc.terminated_sent = first;
          svc.terminated_event = e.id;
        }
      }
    }
    return;
  }
  if (e.type == "i1.response") {
    const std::string corr = str(d, "corr");
    const auto req = requests_.find(corr);
    if (req == requests_.end() || answered_.count(corr))
      return;
    const int status = member(d, "status").is_number_integer() ? d["status"].get<int>() : 0;
    if (req->second.name == "listUsage" && status == 200 && body.is_array()) {
      answered_.insert(corr);
      Listing l;
      l.request_event = req->second.event;
      l.response_event = e.id;
      l.request_t = req->second.t;
      l.op = req->second.op;
      l.customer = query_value(req->second.target, "relatedParty.id");
      l.after = query_value(req->second.target, "usageDate.gt");
      l.before = query_value(req->second.target, "usageDate.lt");
      for (const auto& u : body) {
        const Record& rec = add_usage(u, e, sent, false, req->second.op);
        // A record that names an id is kept under it; one that names none is kept where no listing finds it.
        if (!str(u, "id").empty())
          l.listed.push_back(&rec);
      }
      listings_.push_back(std::move(l));
    } else if (req->second.name == "createCustomerBillOnDemand" && status == 201) {
      answered_.insert(corr);
      Bill bill = read_bill(member(body, "customerBill"), e, sent);
      bill.on_demand = true;
      bill.request_t = req->second.t;
      bill.request_event = req->second.event;
      if (bill.customer.empty())
        bill.customer = req->second.customer;
      if (bill.id.empty())
        bill.id = "(on demand " + corr + ")";
      if (!bills_.count(bill.id)) {
        on_demand_bills_.push_back(bill.id);
        bills_[bill.id] = std::move(bill);
      }
    }
  }
}

Record& AccountingOracle::add_usage(const Json& u, const trace::Event& e, double sent, bool pushed,
                                    const std::string& op) {
  DeliveredUsage r;
  try {
    r = UsageLedger::read(u); // the bill oracle's reading of a record, so that both oracles read records alike
  } catch (const std::exception&) {
    r = DeliveredUsage{};
  }
  if (r.id.empty())
    r.id = str(u, "id");
  const std::string id = r.id.empty() ? fmt::format("(no id, event {})", e.id) : r.id;
  bool fresh = false;
  Record& rec = records_.find_or_add(id, fresh);
  if (fresh) {
    records_.fill(rec, r, str(u, "usageDate"), op);
    rec.readable = !r.id.empty() && !r.service.empty() && r.start_ms >= 0 && r.end_ms >= 0 && r.vcpu_ms >= 0 &&
                   r.ram_mib_ms >= 0 && r.storage_mib_ms >= 0 && r.amount >= 0;
    rec.first_event = e.id;
    rec.first_sent = sent;
  } else {
    if (!records_.same(rec, r))
      usage_conflicts_.push_back(
          {fmt::format("usage record {} delivered at event {} differs from its first delivery at event {} "
                       "(amount {} then {}, period [{}, {}) ms then [{}, {}) ms)",
                       id, e.id, rec.first_event, rec.amount, r.amount, rec.start_ms, rec.end_ms, r.start_ms, r.end_ms),
           {rec.first_event, e.id}});
    rec.first_sent = std::min(rec.first_sent, sent);
  }
  if (pushed && (rec.push_event == 0 || sent < rec.push_sent)) {
    if (rec.push_event == 0)
      rec.push_event = e.id;
    rec.push_sent = rec.push_sent < 0 ? sent : std::min(rec.push_sent, sent);
  }
  return rec;
}

Bill AccountingOracle::read_bill(const Json& b, const trace::Event& e, double sent) {
  Bill bill;
  bill.id = str(b, "id");
  bill.customer = customer_of(b);
  bill.run_type = str(b, "runType");
  bill.event = e.id;
  bill.first_sent = sent;
  const Json& period = member(b, "billingPeriod");
  bill.start = iso_ms(str(period, "startDateTime"));
  bill.end = iso_ms(str(period, "endDateTime"));
  const Json& rates = member(b, "appliedBillingRate");
  if (rates.is_array())
    for (const auto& r : rates) {
      Rate rate;
      rate.type = records_.name(str(r, "type"));
      rate.service = records_.name(str(member(r, "service"), "id"));
      std::string unit;
      rate.has_amount = money(member(r, "amount"), &rate.amount, &unit);
      rate.unit = records_.name(unit);
      const Json& usage = member(r, "usage");
      if (usage.is_array()) {
        rate.has_usage = true;
        rate.usage.reserve(usage.size());
        for (const auto& ref : usage)
          rate.usage.push_back(records_.name(str(ref, "id")));
      }
      bill.rates.push_back(std::move(rate));
    }
  const Json& slc = member(b, "serviceLevelCompliance");
  if (slc.is_array())
    for (const auto& c : slc) {
      Compliance x;
      x.service = records_.name(str(member(c, "service"), "id"));
      if (member(c, "objective").is_number())
        x.objective = c["objective"].get<double>();
      if (member(c, "measured").is_number())
        x.measured = c["measured"].get<double>();
      if (member(c, "compliant").is_boolean()) {
        x.has_compliant = true;
        x.compliant = c["compliant"].get<bool>();
      }
      std::string unit;
      if (!money(member(c, "credit"), &x.credit, &unit))
        x.credit = -1;
      bill.compliance.push_back(std::move(x));
    }
  bill.has_due = money(member(b, "amountDue"), &bill.due, &bill.due_unit);
  return bill;
}

double AccountingOracle::deadline(double from, double allow) const {
  // Time the Cloud process spent stopped by a fault of the harness does not count against the producer.
  double d = from + allow;
  for (const auto& [down, up] : cloud_down_) { // in stream order, hence by time
    if (down >= d)
      break;
    if (up <= from)
      continue;
    d += std::min(up, std::numeric_limits<double>::max()) - std::max(down, from);
  }
  return d;
}

bool AccountingOracle::lost_pending(const std::string& name) const {
  for (const auto& [corr, n] : lost_name_)
    if (n == name)
      return true;
  return false;
}

std::int64_t AccountingOracle::cycle_end(std::int64_t t) const {
  return cycle_ms_ > 0 ? (t / cycle_ms_ + 1) * cycle_ms_ : std::numeric_limits<std::int64_t>::max();
}

namespace {
std::vector<std::pair<std::int64_t, std::int64_t>> merged(std::vector<std::pair<std::int64_t, std::int64_t>> v) {
  std::sort(v.begin(), v.end());
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& [a, b] : v) {
    if (b <= a)
      continue;
    if (!out.empty() && a <= out.back().second)
      out.back().second = std::max(out.back().second, b);
    else
      out.emplace_back(a, b);
  }
  return out;
}
} // namespace

std::vector<std::pair<std::int64_t, std::int64_t>> AccountingOracle::held(const std::string& service) const {
  std::vector<std::pair<std::int64_t, std::int64_t>> v;
  const auto it = vms_of_.find(service);
  if (it != vms_of_.end())
    for (const Vm* vm : it->second)
      if (vm->booted >= 0)
        v.emplace_back(vm->booted, vm->gone < 0 ? std::numeric_limits<std::int64_t>::max() : vm->gone);
  return merged(std::move(v));
}

std::vector<std::pair<std::int64_t, std::int64_t>> AccountingOracle::down(const std::string& service) const {
  std::vector<std::pair<std::int64_t, std::int64_t>> v;
  const auto it = vms_of_.find(service);
  if (it != vms_of_.end())
    for (const Vm* vm : it->second) {
      v.insert(v.end(), vm->down.begin(), vm->down.end());
      if (vm->down_since >= 0)
        v.emplace_back(vm->down_since, std::numeric_limits<std::int64_t>::max());
    }
  return merged(std::move(v));
}

void AccountingOracle::finish(double end) {
  end_ = end;
  end_ms_ = to_ms(end);
  if (!error_.empty())
    return;
  {
    // In the order of (data centre, vm) as texts, as the owner's VMs are listed and their events chosen by it.
    std::vector<std::pair<const std::pair<std::uint32_t, std::uint64_t>*, const Vm*>> all;
    all.reserve(vms_.size());
    for (const auto& [key, vm] : vms_)
      if (vm.owner != 0)
        all.emplace_back(&key, &vm);
    std::stable_sort(all.begin(), all.end(), [this](const auto& a, const auto& b) {
      const std::string_view da = records_.text(a.first->first), db = records_.text(b.first->first);
      return da != db ? da < db : a.first->second < b.first->second;
    });
    for (const auto& [key, vm] : all)
      vms_of_[text(vm->owner)].push_back(vm);
  }
  records_.sort_by_key();
  for (const Record* rec : records_.by_key())
    if (rec->readable)
      records_of_customer_[records_.customer(*rec)].push_back(rec);
  for (const auto& [id, svc] : services_)
    services_of_customer_[text(svc.customer)].push_back(id);
  try {
    judge_usage();
    judge_listings();
    judge_bills();
    judge_on_demand();
    judge_sla();
  } catch (const std::exception& ex) {
    error_ = std::string("the accounting oracle could not judge: ") + ex.what();
  }
}

std::vector<CheckResult> AccountingOracle::results() const {
  const Tally* tallies[] = {&timely_, &accurate_,  &unique_,     &coverage_,  &rating_, &listed_,       &pushed_,
                            &sent_,   &usage_sum_, &amount_due_, &on_demand_, &cycle_,  &availability_, &credit_};
  std::vector<CheckResult> out;
  const auto infos = catalogue();
  for (std::size_t i = 0; i < infos.size(); ++i) {
    CheckResult r = tallies[i]->result(infos[i].id);
    if (!error_.empty()) {
      r.verdict = Verdict::error;
      r.reason = error_;
    }
    out.push_back(std::move(r));
  }
  return out;
}

} // namespace i1sim::conformance::accounting

namespace i1sim::conformance {

std::vector<std::unique_ptr<Oracle>> make_accounting_oracles(const OracleContext& ctx) {
  std::vector<std::unique_ptr<Oracle>> out;
  out.push_back(std::make_unique<accounting::AccountingOracle>(ctx));
  return out;
}

std::vector<CheckInfo> accounting_checks() { return accounting::AccountingOracle::catalogue(); }

} // namespace i1sim::conformance
