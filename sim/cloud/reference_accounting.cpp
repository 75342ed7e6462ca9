// Reference Cloud BSS/OSS, part 3: assurance (availability, alarms, SLA violations, performance jobs) and
// accounting (usage metered as allocations over time, rated with the catalogue's prices, billed per cycle).
#include "cloud/reference_cloud.hpp"
#include "cloud/reference_util.hpp"
#include "i1/codec.hpp"
#include "i1/spec.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace i1sim::cloud {
namespace {

constexpr std::string_view kAlarmPath = "/tmf-api/alarm/v4/alarm/";
constexpr std::string_view kJobPath = "/tmf-api/performance/v4/measurementCollectionJob/";
constexpr std::string_view kUsagePath = "/tmf-api/usageManagement/v4/usage/";
constexpr std::string_view kBillPath = "/tmf-api/customerBillManagement/v4/customerBill/";
constexpr std::int64_t kHundredPercent = 100'000; // in thousandths of a percent
// Usage is metered this long after each period ends, so DC reports of the period's last moments are in.
constexpr double kSettle = 60;

std::string usage_id(std::uint64_t number) { return fmt::format("USG-{:07}", number); }

nlohmann::json money(const std::string& currency, std::int64_t value) { return {{"unit", currency}, {"value", value}}; }

/// A time counted in whole milliseconds as an I1 date-time.
std::string iso_timestamp_ms(std::int64_t t) { return iso_timestamp(static_cast<double>(t) / 1000.0); }

std::int64_t overlap(std::int64_t a, std::int64_t b, std::int64_t from, std::int64_t to) {
  return std::max<std::int64_t>(0, std::min(b, to) - std::max(a, from));
}

} // namespace

// ---- availability, alarms and SLA violations -------------------------------------------------------------

ReferenceCloud::Ms ReferenceCloud::down_between(const Service& svc, Ms from, Ms to) const {
  Ms down = 0;
  if (svc.downtime)
    for (const auto& [a, b] : svc.downtime->periods)
      down += overlap(a, b < 0 ? to : b, from, to);
  return down;
}

void ReferenceCloud::vm_down(CloudContext& ctx, Service& svc, Ms at) {
  const std::size_t running = svc.vms.size();
  if (svc.vms_down++ == 0) {
    if (!svc.downtime)
      svc.downtime = std::make_unique<Downtime>();
    svc.downtime->periods.emplace_back(at, -1);
    Alarm a;
    svc.alarm = static_cast<std::uint32_t>(++db_.next_alarm);
    a.id = kAlarmIds.id(svc.alarm);
    a.op = svc.op;
    a.service = kServiceIds.id(svc.number);
    a.raised = ctx.timestamp();
    a.severity = static_cast<std::size_t>(svc.vms_down) >= running ? "critical" : "major";
    db_.alarms[a.id] = a;
    publish(ctx, svc.op, "AlarmCreateEvent", "alarm", alarm_json(a));
    set_operating(ctx, svc, "degraded");
    arm_violation(ctx, svc);
  } else if (svc.alarm != 0) {
    Alarm& a = db_.alarms.at(kAlarmIds.id(svc.alarm));
    a.state = "updated";
    a.changed = ctx.timestamp();
    a.severity = static_cast<std::size_t>(svc.vms_down) >= running ? "critical" : "major";
    publish(ctx, svc.op, "AlarmStateChangeEvent", "alarm", alarm_json(a));
  }
}

void ReferenceCloud::vm_up(CloudContext& ctx, Service& svc, Ms at) {
  if (svc.vms_down == 0)
    return;
  if (--svc.vms_down > 0)
    return;
  svc.downtime->periods.back().second = at;
  if (svc.alarm != 0) {
    Alarm& a = db_.alarms.at(kAlarmIds.id(svc.alarm));
    a.state = "cleared";
    a.severity = "cleared";
    a.cleared = ctx.timestamp();
    a.changed = a.cleared;
    publish(ctx, svc.op, "AlarmStateChangeEvent", "alarm", alarm_json(a));
    svc.alarm = 0;
  }
  if (svc.state == "active")
    set_operating(ctx, svc, "running");
}

void ReferenceCloud::arm_violation(CloudContext& ctx, Service& svc) {
  // The objective is broken once the downtime in the cycle exceeds (100 % - objective) of the cycle: find that
  // instant if the service stays down, and check then.
  if (svc.req.availability_millipercent() <= 0 || cycle_ms() <= 0 || svc.vms_down == 0)
    return;
  const Ms now = ms(ctx.now());
  const int cycle = cycle_of(now);
  const auto& violated = svc.downtime->violated; // it is down: it has a record of it
  if (std::find(violated.begin(), violated.end(), cycle) != violated.end())
    return;
  const Ms start = static_cast<Ms>(cycle) * cycle_ms();
  const Int128 budget_num = static_cast<Int128>(kHundredPercent - svc.req.availability_millipercent()) * cycle_ms();
  const Ms budget = static_cast<Ms>(budget_num / kHundredPercent); // down for more than this breaks it
  const Ms left = budget - down_between(svc, start, now) + 1;
  if (now + left >= start + cycle_ms())
    return; // cannot break it in this cycle any more: the cycle boundary re-arms
  set_timer(ctx, static_cast<double>(std::max<Ms>(left, 0)) / 1000.0,
            Timer{Timer::Kind::violation, kServiceIds.id(svc.number)});
}

void ReferenceCloud::check_violation(CloudContext& ctx, const std::string& service_id) {
  Service* const found = find_service(std::string_view(service_id));
  if (!found)
    return;
  Service& svc = *found;
  const Ms now = ms(ctx.now());
  const int cycle = cycle_of(now);
  if (!svc.downtime) // never down: nothing to report (a timer is only set while it is down)
    svc.downtime = std::make_unique<Downtime>();
  auto& violated = svc.downtime->violated;
  if (std::find(violated.begin(), violated.end(), cycle) != violated.end())
    return;
  const Ms start = static_cast<Ms>(cycle) * cycle_ms();
  const Ms down = down_between(svc, start, now);
  if (static_cast<Int128>(down) * kHundredPercent <=
      static_cast<Int128>(kHundredPercent - svc.req.availability_millipercent()) * cycle_ms()) {
    arm_violation(ctx, svc); // it came back up in between: look again if it goes down
    return;
  }
  violated.push_back(cycle);
  const double best = 100.0 * static_cast<double>(cycle_ms() - down) / static_cast<double>(cycle_ms());
  publish(ctx, svc.op, "ServiceLevelViolationCreateEvent", "serviceLevelViolation",
          {{"id", fmt::format("SLV-{:06}", ++db_.next_violation)},
           {"service", {{"id", kServiceIds.id(svc.number)}}},
           {"objective", svc.req.availability},
           {"actualValue", best},
           {"period", {{"startDateTime", iso(ctx, start)}, {"endDateTime", iso(ctx, start + cycle_ms())}}},
           {"violationTime", ctx.timestamp()}});
}

nlohmann::json ReferenceCloud::alarm_json(const Alarm& a) const {
  nlohmann::json j{{"id", a.id},
                   {"href", std::string(kAlarmPath) + a.id},
                   {"alarmType", "equipmentAlarm"},
                   {"perceivedSeverity", a.severity},
                   {"probableCause", "hostFailure"},
                   {"specificProblem", "a machine of the service stopped running"},
                   {"alarmedObject", {{"id", a.service}}},
                   {"sourceSystemId", "cloud-oss"},
                   {"serviceAffecting", true},
                   {"state", a.state},
                   {"ackState", a.ack},
                   {"alarmRaisedTime", a.raised}};
  if (!a.changed.empty())
    j["alarmChangedTime"] = a.changed;
  if (!a.cleared.empty())
    j["alarmClearedTime"] = a.cleared;
  return j;
}

void ReferenceCloud::list_alarms(CloudContext& ctx, const Message& request, const std::string& op) {
  const std::string state = query_param(request.target, "state");
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [id, a] : db_.alarms)
    if (a.op == op && (state.empty() || a.state == state))
      list.push_back(alarm_json(a));
  ctx.respond(request, 200, std::move(list));
}

void ReferenceCloud::ack_alarms(CloudContext& ctx, const Message& request, const std::string& op) {
  nlohmann::json acked = nlohmann::json::array();
  for (const auto& pattern : request.body["alarmPattern"]) {
    const auto it = db_.alarms.find(pattern["id"].get<std::string>());
    if (it == db_.alarms.end() || it->second.op != op)
      continue; // another operator's alarm is not there for this one
    it->second.ack = "acknowledged";
    acked.push_back({{"id", it->first}});
  }
  ctx.respond(request, 201,
              {{"id", fmt::format("ACK-{:06}", ++db_.next_task)}, {"state", "done"}, {"ackedAlarm", acked}});
}

// ---- performance monitoring -------------------------------------------------------------------------------

nlohmann::json ReferenceCloud::job_json(const Job& j) const {
  return {{"id", j.id},
          {"href", std::string(kJobPath) + j.id},
          {"service", {{"id", j.service}}},
          {"granularity", j.granularity},
          {"performanceIndicator", j.indicators},
          {"executionState", j.state},
          {"creationTime", j.created}};
}

void ReferenceCloud::create_job(CloudContext& ctx, const Message& request, const std::string& op) {
  const auto& b = request.body;
  const std::string service = b["service"]["id"].get<std::string>();
  const Service* const svc = find_service(std::string_view(service));
  if (!svc || svc->op != op) {
    ctx.respond(request, 404, error_body("notFound", "no such service", "service.id"));
    return;
  }
  Job job;
  job.id = fmt::format("MCJ-{:06}", ++db_.next_job);
  job.op = op;
  job.service = service;
  job.granularity = b["granularity"].get<std::string>();
  job.period = job.granularity == "g_15mn"   ? 900
               : job.granularity == "g_30mn" ? 1800
               : job.granularity == "g_1h"   ? 3600
                                             : 86400;
  for (const auto& i : b["performanceIndicator"]) {
    const std::string name = i.get<std::string>();
    if (name != "allocatedVcpu" && name != "availability" && name != "downtime") {
      ctx.respond(request, 400,
                  error_body("invalidBody",
                             fmt::format("unknown indicator '{}' (known: allocatedVcpu, availability, "
                                         "downtime)",
                                         name),
                             "performanceIndicator"));
      return;
    }
    job.indicators.push_back(name);
  }
  job.state = "acknowledged";
  job.created = ctx.timestamp();
  job.from = ms(ctx.now());
  db_.jobs[job.id] = job;
  ctx.respond(request, 201, job_json(job));
  Job& stored = db_.jobs.at(job.id);
  stored.state = svc->state == "terminated" ? "rejected" : "inProgress";
  publish(ctx, op, "MeasurementCollectionJobStateChangeEvent", "measurementCollectionJob", job_json(stored));
  if (stored.state == "inProgress") { // reports at every multiple of the granularity from the start of the run
    const double next = (std::floor(ctx.now() / stored.period) + 1) * stored.period;
    set_timer(ctx, next - ctx.now() + 1, Timer{Timer::Kind::report, stored.id});
  }
}

void ReferenceCloud::delete_job(CloudContext& ctx, const Message& request, const std::string& op,
                                const std::string& id) {
  const auto it = db_.jobs.find(id);
  if (it == db_.jobs.end() || it->second.op != op) {
    ctx.respond(request, 404, error_body("notFound", "no such measurement collection job", id));
    return;
  }
  ctx.respond(request, 204, nullptr);
  Job& job = it->second;
  if (job.state == "inProgress" || job.state == "acknowledged" || job.state == "pending") {
    job.state = "cancelled";
    publish(ctx, op, "MeasurementCollectionJobStateChangeEvent", "measurementCollectionJob", job_json(job));
  }
}

void ReferenceCloud::job_report(CloudContext& ctx, const std::string& job_id) {
  const auto it = db_.jobs.find(job_id);
  if (it == db_.jobs.end() || it->second.state != "inProgress")
    return;
  Job& job = it->second;
  const Service& svc = *find_service(std::string_view(job.service));
  const Ms to = ms(std::floor(ctx.now() / job.period) * job.period);
  if (to > job.from) {
    const Ms down = down_between(svc, job.from, to);
    const auto length = static_cast<double>(to - job.from);
    int vcpu = 0;
    for (const Vm& vm : svc.vms)
      vcpu += vm.booted && !vm.leaving ? svc.req.vcpu : 0;
    nlohmann::json measurements = nlohmann::json::array();
    for (const auto& name : job.indicators) {
      if (name == "allocatedVcpu")
        measurements.push_back({{"indicator", name}, {"value", vcpu}, {"unit", "vCPU"}});
      else if (name == "availability")
        measurements.push_back(
            {{"indicator", name}, {"value", 100.0 * (length - static_cast<double>(down)) / length}, {"unit", "%"}});
      else
        measurements.push_back({{"indicator", name}, {"value", static_cast<double>(down) / 1000.0}, {"unit", "s"}});
    }
    publish(ctx, job.op, "PerformanceReportEvent", "performanceReport",
            {{"id", fmt::format("PR-{:07}", ++db_.next_report)},
             {"measurementCollectionJob", {{"id", job.id}}},
             {"service", {{"id", job.service}}},
             {"period", {{"startDateTime", iso(ctx, job.from)}, {"endDateTime", iso(ctx, to)}}},
             {"measurement", measurements}});
    job.from = to;
  }
  if (svc.state == "terminated") {
    job.state = "completed";
    publish(ctx, job.op, "MeasurementCollectionJobStateChangeEvent", "measurementCollectionJob", job_json(job));
    return;
  }
  set_timer(ctx, job.period, Timer{Timer::Kind::report, job.id});
}

void ReferenceCloud::end_jobs_of(CloudContext& ctx, const Service& svc) {
  for (auto& [id, job] : db_.jobs)
    if (job.service == kServiceIds.id(svc.number) && job.state == "inProgress") {
      job.state = "completed";
      publish(ctx, job.op, "MeasurementCollectionJobStateChangeEvent", "measurementCollectionJob", job_json(job));
    }
}

// ---- usage, rating and bills ------------------------------------------------------------------------------

void ReferenceCloud::boundary(CloudContext& ctx) {
  const Ms period = ms(setup_.timer("T_usage_period") > 0 ? setup_.timer("T_usage_period") : 3600);
  const Ms cycle = cycle_ms();
  const Ms b = db_.next_boundary;
  if (b > db_.metered_until) {
    meter(ctx, db_.metered_until, b, cycle_of(db_.metered_until));
    db_.metered_until = b;
    if (b % cycle == 0) {
      close_cycle(ctx, static_cast<int>(b / cycle) - 1);
      kServiceIds.for_each_in_text_order(db_.services.size(), [&](std::uint64_t number) {
        if (Service* svc = find_service(static_cast<std::uint32_t>(number))) // one still down starts the new budget
          arm_violation(ctx, *svc);
      });
    }
    // Records stay retrievable for T_retention after their period; older ones are dropped.
    const double retention = setup_.timer("T_retention");
    if (retention > 0)
      while (!db_.usage.empty() && db_.periods[db_.usage.front().period].to + ms(retention) < b) {
        const Service& svc = *find_service(db_.usage.front().service);
        std::erase(db_.usage_of[{svc.op, svc.customer}], db_.first_usage);
        db_.usage.pop_front();
        ++db_.first_usage;
      }
  }
  db_.next_boundary = std::min((b / period + 1) * period, (b / cycle + 1) * cycle);
  const double settle = std::min(kSettle, setup_.timer("T_usage") / 2);
  set_timer(ctx, static_cast<double>(db_.next_boundary) / 1000.0 + settle - ctx.now(),
            Timer{Timer::Kind::boundary, {}});
}

void ReferenceCloud::meter(CloudContext& ctx, Ms from, Ms to, int cycle) {
  bool period_kept = false;                                                      // once the period has a record
  kServiceIds.for_each_in_text_order(db_.services.size(), [&](std::uint64_t n) { // the order of their ids
    Service* const found = find_service(static_cast<std::uint32_t>(n));
    if (!found)
      return;
    Service& svc = *found;
    Usage u;
    for (const auto& a : svc.allocations)
      u.vm_ms += overlap(a.from, a.to < 0 ? to : a.to, from, to);
    if (u.vm_ms == 0)
      return; // the service held nothing in this period (every service has vCPU, RAM and storage)
    const std::uint64_t number = ++db_.next_usage;
    if (number > UINT32_MAX)
      throw std::length_error("more usage records than 32-bit numbers");
    if (!period_kept) {
      db_.periods.push_back(Period{from, to, cycle, ctx.now()});
      period_kept = true;
    }
    u.service = svc.number;
    u.period = static_cast<std::uint32_t>(db_.periods.size() - 1);
    db_.usage_of[{svc.op, svc.customer}].push_back(static_cast<std::uint32_t>(number));
    if (db_.usage.empty())
      db_.first_usage = number;
    const Usage& stored = db_.usage.emplace_back(u);
    publish(ctx, svc.op, "UsageCreateEvent", "usage", usage_json(stored, number));
    // Allocations that ended before this period will never count again.
    std::erase_if(svc.allocations, [&](const Allocation& a) { return a.to >= 0 && a.to <= to; });
  });
}

ReferenceCloud::Metered ReferenceCloud::metered(const Usage& u) const {
  const Service& svc = *find_service(u.service);
  Metered m;
  m.vcpu_ms = u.vm_ms * svc.req.vcpu;
  m.ram_mib_ms = u.vm_ms * svc.req.ram_mib;
  m.storage_mib_ms = u.vm_ms * svc.req.storage_mib;
  // Prices are per unit-hour in millionths of a minor unit; RAM and storage are metered in MiB, priced in GiB.
  const CloudServiceOffer& o = *svc.offer;
  const Int128 num = static_cast<Int128>(m.vcpu_ms) * o.vcpu_hour * 1024 +
                     static_cast<Int128>(m.ram_mib_ms) * o.ram_gib_hour +
                     static_cast<Int128>(m.storage_mib_ms) * o.storage_gib_hour;
  const Int128 den = static_cast<Int128>(1024) * 3'600'000 * 1'000'000;
  m.amount = round_half_even(num, den);
  return m;
}

ReferenceCloud::Usage* ReferenceCloud::usage_record(std::uint64_t number) {
  static_assert(sizeof(Usage) <= 16, "a month holds several usage records per service");
  if (number < db_.first_usage || number - db_.first_usage >= db_.usage.size())
    return nullptr;
  return &db_.usage[number - db_.first_usage];
}

std::string ReferenceCloud::usage_date(const Usage& u) const { return iso_timestamp_ms(db_.periods[u.period].to); }

nlohmann::json ReferenceCloud::usage_json(const Usage& u, std::uint64_t number) const {
  auto ch = [](const char* name, std::int64_t v) {
    return nlohmann::json{{"name", name}, {"valueType", "integer"}, {"value", v}};
  };
  const std::string id = usage_id(number);
  const Period& p = db_.periods[u.period];
  const Service& svc = *find_service(u.service);
  const Metered m = metered(u);
  return {{"id", id},
          {"href", std::string(kUsagePath) + id},
          {"usageDate", iso_timestamp_ms(p.to)},
          {"usageType", "cloudAllocation"},
          {"status", u.billed ? "billed" : "rated"},
          {"service", {{"id", kServiceIds.id(u.service)}}},
          {"usagePeriod", {{"startDateTime", iso_timestamp_ms(p.from)}, {"endDateTime", iso_timestamp_ms(p.to)}}},
          {"relatedParty", {{{"id", svc.customer}, {"role", "customer"}}}},
          {"usageCharacteristic",
           {ch("vcpuMilliseconds", m.vcpu_ms), ch("ramMiBMilliseconds", m.ram_mib_ms),
            ch("storageMiBMilliseconds", m.storage_mib_ms)}},
          {"ratedProductUsage",
           {{{"ratingDate", iso_timestamp(p.rated_at)},
             {"isBilled", u.billed != 0},
             {"taxExcludedRatingAmount", money(setup_.currency, m.amount)}}}}};
}

nlohmann::json ReferenceCloud::bill_json(const std::string& id, const std::string& customer, Ms from, Ms to,
                                         const std::string& run_type, const std::string& state,
                                         const std::vector<std::uint32_t>& usage) {
  // Usage charges per service, in service order; then the credits of the services that missed their objective.
  std::map<std::string, std::pair<std::int64_t, nlohmann::json>> per_service;
  for (const std::uint64_t number : usage) {
    const Usage& u = *usage_record(number);
    auto& [sum, refs] = per_service[kServiceIds.id(u.service)];
    sum += metered(u).amount;
    if (refs.is_null())
      refs = nlohmann::json::array();
    refs.push_back({{"id", usage_id(number)}});
  }
  nlohmann::json rates = nlohmann::json::array();
  nlohmann::json compliance = nlohmann::json::array();
  std::int64_t due = 0;
  for (const auto& [service, charge] : per_service) {
    rates.push_back({{"type", "usage"},
                     {"service", {{"id", service}}},
                     {"amount", money(setup_.currency, charge.first)},
                     {"usage", charge.second}});
    due += charge.first;
  }
  const Ms length = to - from;
  for (const auto& [service, charge] : per_service) {
    const Service& svc = *find_service(std::string_view(service));
    if (svc.req.availability_millipercent() <= 0 || length <= 0)
      continue;
    const Ms down = down_between(svc, from, to);
    const bool compliant = static_cast<Int128>(down) * kHundredPercent <=
                           static_cast<Int128>(kHundredPercent - svc.req.availability_millipercent()) * length;
    const std::int64_t credit =
        compliant ? 0 : round_half_even(static_cast<Int128>(charge.first) * svc.offer->sla_credit_percent, 100);
    compliance.push_back({{"service", {{"id", service}}},
                          {"objective", svc.req.availability},
                          {"measured", 100.0 * static_cast<double>(length - down) / static_cast<double>(length)},
                          {"compliant", compliant},
                          {"credit", money(setup_.currency, credit)}});
    if (credit > 0) {
      rates.push_back(
          {{"type", "slaCredit"}, {"service", {{"id", service}}}, {"amount", money(setup_.currency, -credit)}});
      due -= credit;
    }
  }
  return {{"id", id},
          {"href", std::string(kBillPath) + id},
          {"billNo", id.substr(5)},
          {"state", state},
          {"runType", run_type},
          {"billDate", iso_timestamp_ms(db_.metered_until)},
          {"billingPeriod", {{"startDateTime", iso_timestamp_ms(from)}, {"endDateTime", iso_timestamp_ms(to)}}},
          {"relatedParty", {{{"id", customer}, {"role", "customer"}}}},
          {"appliedBillingRate", rates},
          {"serviceLevelCompliance", compliance},
          {"amountDue", money(setup_.currency, due)}};
}

void ReferenceCloud::close_cycle(CloudContext& ctx, int cycle) {
  const Ms from = static_cast<Ms>(cycle) * cycle_ms();
  const Ms to = from + cycle_ms();
  // One bill per customer with usage in the cycle (credits only exist where there was usage).
  std::map<std::pair<std::string, std::string>, std::vector<std::uint32_t>> by_customer;
  for (std::size_t i = 0; i < db_.usage.size(); ++i)
    if (const Usage& u = db_.usage[i]; db_.periods[u.period].cycle == cycle && !u.billed) {
      const Service& svc = *find_service(u.service);
      by_customer[{svc.op, svc.customer}].push_back(static_cast<std::uint32_t>(db_.first_usage + i));
    }
  for (const auto& [who, numbers] : by_customer) {
    const std::string id = fmt::format("BILL-{:06}", ++db_.next_bill);
    nlohmann::json body = bill_json(id, who.second, from, to, "onCycle", "sent", numbers);
    db_.bills[id] = Bill{id, who.first, who.second, "sent", "onCycle", i1::compact_dump(body)};
    publish(ctx, who.first, "CustomerBillCreateEvent", "customerBill", std::move(body));
    // Each record is billed once (the next cycle's bill takes that cycle's rated records only), and announced
    // as billed in its turn.
    db_.to_bill.insert(db_.to_bill.end(), numbers.begin(), numbers.end());
    publish_billed(ctx);
  }
}

std::size_t ReferenceCloud::waiting_for_answers() const {
  // A listener that has never answered is sent nothing twice and keeps its notifications waiting for ever: they
  // do not count, or one such subscription would stop the billed states of every operator. All of a silent
  // listener's notifications are unmarked (nothing was answered after them).
  std::size_t silent = 0;
  for (const auto& [id, hub] : db_.hubs)
    if (!hub.answers)
      if (const auto it = mem_.unmarked.find(id); it != mem_.unmarked.end())
        silent += it->second.size();
  return db_.outbox.size() - std::min(silent, db_.outbox.size());
}

void ReferenceCloud::publish_billed(CloudContext& ctx) {
  while (!db_.to_bill.empty() && waiting_for_answers() < kPublishWindow) {
    const std::uint64_t number = db_.to_bill.front();
    Usage* const u = usage_record(number);
    db_.to_bill.pop_front();
    if (!u)
      continue; // past its retention already
    u->billed = true;
    publish(ctx, find_service(u->service)->op, "UsageStateChangeEvent", "usage", usage_json(*u, number));
  }
}

void ReferenceCloud::list_usage(CloudContext& ctx, const Message& request, const std::string& op) {
  const std::string customer = query_param(request.target, "relatedParty.id");
  const std::string after = query_param(request.target, "usageDate.gt");
  const std::string before = query_param(request.target, "usageDate.lt");
  nlohmann::json list = nlohmann::json::array();
  auto add = [&](const Usage& u, std::uint64_t number) { // ISO 8601 UTC timestamps of one format order as text
    const Service& svc = *find_service(u.service);
    if (svc.op != op || (!customer.empty() && svc.customer != customer))
      return;
    if (!after.empty() || !before.empty()) {
      const std::string date = usage_date(u);
      if ((!after.empty() && date <= after) || (!before.empty() && date >= before))
        return;
    }
    list.push_back(usage_json(u, number));
  };
  if (customer.empty()) {
    for (std::size_t i = 0; i < db_.usage.size(); ++i)
      add(db_.usage[i], db_.first_usage + i);
  } else if (const auto of = db_.usage_of.find({op, customer}); of != db_.usage_of.end()) {
    for (const std::uint32_t number : of->second)
      add(*usage_record(number), number);
  }
  ctx.respond(request, 200, std::move(list)); // a month of records: not copied
}

void ReferenceCloud::bill_on_demand(CloudContext& ctx, const Message& request, const std::string& op) {
  std::string customer;
  for (const auto& p : request.body["relatedParty"])
    if (text_or(p, "role") == "customer")
      customer = text_or(p, "id");
  if (customer.empty() || !db_.customers.count(op + "/" + customer)) {
    ctx.respond(request, 404, error_body("notFound", "no such customer", "relatedParty"));
    return;
  }
  // The open cycle so far: the records metered since it started, not yet billed and not marked as billed.
  const int cycle = cycle_of(db_.metered_until);
  const Ms from = static_cast<Ms>(cycle) * cycle_ms();
  std::vector<std::uint32_t> records;
  if (const auto of = db_.usage_of.find({op, customer}); of != db_.usage_of.end())
    for (const std::uint32_t number : of->second)
      if (const Usage& u = *usage_record(number); db_.periods[u.period].cycle == cycle && !u.billed)
        records.push_back(number);
  const std::string id = fmt::format("BILL-{:06}", ++db_.next_bill);
  nlohmann::json body = bill_json(id, customer, from, std::max(from, db_.metered_until), "offCycle", "new", records);
  db_.bills[id] = Bill{id, op, customer, "new", "offCycle", i1::compact_dump(body)};
  ctx.respond(request, 201,
              {{"id", fmt::format("CBOD-{:06}", db_.next_bill)},
               {"state", "done"},
               {"relatedParty", request.body["relatedParty"]},
               {"customerBill", std::move(body)}});
}

void ReferenceCloud::update_bill(CloudContext& ctx, const Message& request, const std::string& op,
                                 const std::string& id) {
  const auto it = db_.bills.find(id);
  if (it == db_.bills.end() || it->second.op != op) {
    ctx.respond(request, 404, error_body("notFound", "no such bill", id));
    return;
  }
  Bill& bill = it->second;
  const std::string to = request.body["state"].get<std::string>();
  const spec::StateMachine* machine = spec::builtin().machine("customerBill");
  if (to != bill.state && !(machine && machine->allows(bill.state, to))) {
    ctx.respond(request, 409,
                error_body("invalidState", fmt::format("a {} bill cannot become {}", bill.state, to), "state"));
    return;
  }
  const bool changed = bill.state != to;
  bill.state = to;
  nlohmann::json body = nlohmann::json::parse(bill.body);
  body["state"] = to;
  if (changed)
    bill.body = i1::compact_dump(body);
  ctx.respond(request, 200, body);
  if (changed) // a change the consumer caused is still announced to every subscriber (I1-HUB-003)
    publish(ctx, op, "CustomerBillStateChangeEvent", "customerBill", std::move(body));
}

} // namespace i1sim::cloud
