// The usage checks: records judged against what each service really held, the catalogue and the listings.
#include "conformance/oracles/accounting/accounting_oracle.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <limits>

namespace i1sim::conformance::accounting {

namespace {

constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max();

std::int64_t overlap(std::int64_t a0, std::int64_t a1, std::int64_t b0, std::int64_t b1) {
  return std::max<std::int64_t>(0, std::min(a1, b1) - std::max(a0, b0));
}

std::string ms_text(std::int64_t ms) { return ms == kForever ? "the end" : fmt::format("{:.3f} s", ms / 1000.0); }

} // namespace

void AccountingOracle::judge_usage() {
  const std::vector<const Record*>& all = records_.by_key();
  // Records metering the same period of a service: each one's first namesake in key order, found by sorting
  // positions rather than by a map of every period, which would hold more than the records themselves.
  constexpr std::uint32_t kUnique = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> namesake(all.size(), kUnique);
  {
    std::vector<std::uint32_t> at;
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i]->readable)
        at.push_back(static_cast<std::uint32_t>(i));
    auto period = [&](std::uint32_t i) { return std::tuple{all[i]->service, all[i]->start_ms, all[i]->end_ms, i}; };
    std::sort(at.begin(), at.end(), [&](std::uint32_t a, std::uint32_t b) { return period(a) < period(b); });
    for (std::size_t k = 1, first = 0; k < at.size(); ++k) {
      const Record& a = *all[at[first]];
      const Record& b = *all[at[k]];
      if (a.service == b.service && a.start_ms == b.start_ms && a.end_ms == b.end_ms)
        namesake[at[k]] = at[first];
      else
        first = k;
    }
  }
  std::map<std::string, std::vector<const Record*>> by_service;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Record& rec = *all[i];
    const std::string_view id = records_.key(rec);
    if (!rec.readable) {
      const std::string why = fmt::format("usage record {} (event {}) lacks a readable service, usagePeriod, "
                                          "characteristic or amount",
                                          id, rec.first_event);
      accurate_.bad(Verdict::fail, why, {rec.first_event});
      rating_.bad(Verdict::fail, why, {rec.first_event});
      coverage_.bad(Verdict::fail, why, {rec.first_event});
      timely_.bad(Verdict::fail, why, {rec.first_event});
      continue;
    }
    by_service[records_.service(rec)].push_back(&rec);
    if (namesake[i] != kUnique) {
      const Record& same = *all[namesake[i]];
      unique_.bad(Verdict::fail,
                  fmt::format("usage records {} (event {}) and {} (event {}) both meter {} over [{}, {}) ms: one "
                              "record delivered under two ids",
                              records_.id(same), same.first_event, id, rec.first_event, records_.service(rec),
                              rec.start_ms, rec.end_ms),
                  {same.first_event, rec.first_event});
    }
  }

  // usage.unique: every id once, every redelivery the same record.
  for (const auto& [why, events] : usage_conflicts_)
    unique_.bad(Verdict::fail, why, events);
  for (std::size_t i = 0; i < records_.size(); ++i)
    unique_.ok();

  const bool usage_lost = lost_pending("UsageCreateEvent");
  for (const auto& [service, records] : by_service) {
    const auto svc = services_.find(service);
    const auto vms = vms_of_.find(service);
    std::vector<std::uint64_t> boots;
    if (vms != vms_of_.end())
      for (const Vm* vm : vms->second)
        if (vm->boot_event > 0 && boots.size() < 4)
          boots.push_back(vm->boot_event);

    for (const Record* rec : records) {
      const Record& r = *rec;
      const std::string_view rid = records_.id(r);
      // usage.accurate: the allocation really held over the record's period, from each machine's boot to its end.
      std::int64_t vcpu = 0, ram = 0, storage = 0;
      if (vms != vms_of_.end())
        for (const Vm* vm : vms->second) {
          if (vm->booted < 0)
            continue;
          const std::int64_t ms = overlap(vm->booted, vm->gone < 0 ? kForever : vm->gone, r.start_ms, r.end_ms);
          vcpu += ms * vm->vcpu;
          ram += ms * vm->ram_mib;
          storage += ms * vm->storage_mib;
        }
      if (vcpu != r.vcpu_ms || ram != r.ram_mib_ms || storage != r.storage_mib_ms) {
        std::vector<std::uint64_t> ev{rec->first_event};
        ev.insert(ev.end(), boots.begin(), boots.end());
        accurate_.bad(Verdict::fail,
                      fmt::format("usage record {} (event {}) of {} over [{}, {}) ms states vcpu/ram/storage "
                                  "{}/{}/{}; the service really held {}/{}/{}",
                                  rid, rec->first_event, service, r.start_ms, r.end_ms, r.vcpu_ms, r.ram_mib_ms,
                                  r.storage_mib_ms, vcpu, ram, storage),
                      ev);
      } else {
        accurate_.ok();
      }

      // usage.rating: the record's own quantities at the catalogue's prices.
      const scenario::CloudServiceSpec* spec = svc == services_.end() ? nullptr : svc->second.spec;
      if (!spec) {
        rating_.bad(Verdict::inconc,
                    fmt::format("usage record {} (event {}) meters {}, a service whose catalogue prices the stream "
                                "does not name",
                                rid, rec->first_event, service),
                    {rec->first_event});
      } else {
        const Int128 num = Int128(r.vcpu_ms) * spec->rates.vcpu_hour * 1024 +
                           Int128(r.ram_mib_ms) * spec->rates.ram_gib_hour +
                           Int128(r.storage_mib_ms) * spec->rates.storage_gib_hour;
        const std::int64_t want = half_even(num, Int128(1024) * 3'600'000 * 1'000'000);
        if (want != r.amount)
          rating_.bad(Verdict::fail,
                      fmt::format("usage record {} (event {}) is rated {} minor units; its quantities at the prices "
                                  "of {} give {}",
                                  rid, rec->first_event, r.amount, spec->id, want),
                      {rec->first_event});
        else
          rating_.ok();
      }

      // usage.timely: first sent (a frame the channel lost counts from its loss) within T_usage of the period end.
      const double due = deadline(static_cast<double>(r.end_ms) / 1000.0, t_usage_);
      if (rec->first_sent > due + kEpsilon)
        timely_.bad(Verdict::fail,
                    fmt::format("usage record {} of {} for [{}, {}) ms was first sent at {:.3f} s (event {}), after "
                                "its deadline {:.3f} s",
                                rid, service, r.start_ms, r.end_ms, rec->first_sent, rec->first_event, due),
                    {rec->first_event});
      else
        timely_.ok();

      // usage.pushed: every record reaches the consumer as a UsageCreateEvent, unless it unsubscribed first.
      const auto deleted = hub_deleted_.find(records_.op(*rec));
      const double horizon = deleted == hub_deleted_.end() ? end_ : std::min(end_, deleted->second);
      if (rec->push_event > 0)
        pushed_.ok();
      else if (due <= horizon)
        pushed_.bad(usage_lost ? Verdict::inconc : Verdict::fail,
                    fmt::format("usage record {} of {} for [{}, {}) ms (event {}) was never pushed as a "
                                "UsageCreateEvent by {:.3f} s{}",
                                rid, service, r.start_ms, r.end_ms, rec->first_event, horizon,
                                usage_lost ? ", but lost UsageCreateEvent frames were never delivered again" : ""),
                    {rec->first_event});
    }

    // usage.coverage: disjoint, short, within a cycle, not after termination.
    std::vector<const Record*> sorted = records;
    std::sort(sorted.begin(), sorted.end(), [](const Record* a, const Record* b) {
      return std::pair{a->start_ms, a->end_ms} < std::pair{b->start_ms, b->end_ms};
    });
    std::int64_t terminated = kForever;
    if (svc != services_.end() && svc->second.terminated_sent >= 0) {
      terminated = static_cast<std::int64_t>(std::llround(svc->second.terminated_sent * 1000));
      if (vms != vms_of_.end())
        for (const Vm* vm : vms->second)
          if (vm->booted >= 0)
            terminated = vm->gone < 0 ? kForever : std::max(terminated, vm->gone);
    }
    const Record* reach = nullptr; // the record reaching furthest so far
    for (const Record* rec : sorted) {
      const Record& r = *rec;
      const std::string_view rid = records_.id(r);
      std::string why;
      std::vector<std::uint64_t> ev{rec->first_event};
      if (r.end_ms <= r.start_ms)
        why = fmt::format("usage record {} (event {}) has an empty period [{}, {}) ms", rid, rec->first_event,
                          r.start_ms, r.end_ms);
      else if (r.end_ms - r.start_ms > period_ms_)
        why = fmt::format("usage record {} (event {}) covers [{}, {}) ms, longer than T_usage_period ({} ms)", rid,
                          rec->first_event, r.start_ms, r.end_ms, period_ms_);
      else if (cycle_ms_ > 0 && r.start_ms / cycle_ms_ != (r.end_ms - 1) / cycle_ms_)
        why = fmt::format("usage record {} (event {}) covers [{}, {}) ms, across the bill cycle boundary at {} ms", rid,
                          rec->first_event, r.start_ms, r.end_ms, cycle_end(r.start_ms));
      else if (reach && r.start_ms < reach->end_ms) {
        why = fmt::format("usage records {} (event {}) over [{}, {}) ms and {} (event {}) over [{}, {}) ms of {} "
                          "overlap: the same time metered twice",
                          records_.id(*reach), reach->first_event, reach->start_ms, reach->end_ms, rid,
                          rec->first_event, r.start_ms, r.end_ms, service);
        ev.push_back(reach->first_event);
      } else if (r.start_ms >= terminated) {
        why =
            fmt::format("usage record {} (event {}) meters {} over [{}, {}) ms, after it was terminated (event {}) "
                        "and released everything at {} ms",
                        rid, rec->first_event, service, r.start_ms, r.end_ms, svc->second.terminated_event, terminated);
        ev.push_back(svc->second.terminated_event);
      }
      if (why.empty())
        coverage_.ok();
      else
        coverage_.bad(Verdict::fail, why, ev);
      if (!reach || r.end_ms > reach->end_ms)
        reach = rec;
    }
  }

  // Held time that no record covers, once the latest deadline any legal period could have had has passed.
  if (cycle_ms_ <= 0)
    return; // without bill cycles the scenario meters nothing
  for (const auto& [service, vms] : vms_of_) {
    const auto spans = held(service);
    if (spans.empty())
      continue;
    std::vector<std::pair<std::int64_t, std::int64_t>> covered;
    if (const auto it = by_service.find(service); it != by_service.end())
      for (const Record* rec : it->second)
        covered.emplace_back(rec->start_ms, rec->end_ms);
    std::sort(covered.begin(), covered.end());
    bool gap = false;
    for (auto [from, to] : spans) {
      to = std::min(to, end_ms_);
      std::size_t i = 0;
      std::int64_t at = from;
      while (at < to) {
        while (i < covered.size() && covered[i].second <= at)
          ++i;
        if (i < covered.size() && covered[i].first <= at) {
          at = covered[i].second;
          continue;
        }
        const std::int64_t stop = i < covered.size() ? std::min(to, covered[i].first) : to;
        const std::int64_t latest_end = std::min(at + period_ms_, cycle_end(at));
        const double due = deadline(static_cast<double>(latest_end) / 1000.0, t_usage_);
        if (due <= end_) {
          gap = true;
          std::vector<std::uint64_t> ev;
          for (const Vm* vm : vms)
            if (vm->booted >= 0 && vm->booted < stop && (vm->gone < 0 || vm->gone > at) && ev.size() < 4)
              ev.push_back(vm->boot_event);
          const std::string why = fmt::format(
              "{} held resources from {} to {} (VMs booted at events {}), but no usage record covers that time, "
              "due by {:.3f} s at the latest",
              service, ms_text(at), ms_text(stop), fmt::join(ev, ", "), due);
          const Verdict v = usage_lost ? Verdict::inconc : Verdict::fail;
          coverage_.bad(v, why, ev);
          timely_.bad(v, why, ev);
        }
        at = stop;
      }
    }
    if (!gap)
      coverage_.ok();
  }
}

void AccountingOracle::judge_listings() {
  const std::int64_t retention_ms = static_cast<std::int64_t>(std::llround(retention_ * 1000));
  auto in_range = [this](const Record& rec, const std::string& after, const std::string& before) {
    const std::int64_t t = records_.usage_ms(rec);
    if (!after.empty() && !(t > iso_ms(after)))
      return false;
    if (!before.empty() && !(t < iso_ms(before)))
      return false;
    return true;
  };
  for (const Listing& l : listings_) {
    bool fine = true;
    const std::set<const Record*> listed(l.listed.begin(), l.listed.end());
    for (const Record* each : l.listed) {
      const Record& rec = *each;
      const std::string_view id = records_.key(rec);
      std::string why;
      if (!l.customer.empty() && records_.customer(rec) != l.customer)
        why = fmt::format("the listing of event {} for customer {} holds {}, a record of customer {}", l.response_event,
                          l.customer, id, records_.customer(rec));
      else if (records_.has_usage_date(rec) && !in_range(rec, l.after, l.before))
        why = fmt::format("the listing of event {} for usageDate in ({}, {}) holds {} of usageDate {}",
                          l.response_event, l.after, l.before, id, records_.usage_date(rec));
      if (!why.empty()) {
        fine = false;
        listed_.bad(Verdict::fail, why, {l.request_event, l.response_event});
      }
    }
    // Amounts: the listed copy of each pushed record must be the pushed one (a conflict is kept per delivery).
    for (const auto& [why, events] : usage_conflicts_)
      if (std::find(events.begin(), events.end(), l.response_event) != events.end()) {
        fine = false;
        listed_.bad(Verdict::fail, "listing: " + why, events);
      }
    // Every record pushed before the request reached the producer, matching the query and still retained.
    std::vector<const Record*> candidates;
    if (l.customer.empty()) {
      for (const auto& [customer, records] : records_of_customer_)
        candidates.insert(candidates.end(), records.begin(), records.end());
    } else if (const auto of = records_of_customer_.find(l.customer); of != records_of_customer_.end()) {
      candidates = of->second;
    }
    for (const Record* candidate : candidates) {
      const Record& rec = *candidate;
      const std::string_view id = records_.id(rec);
      if (rec.push_event == 0 || rec.push_sent > l.request_t || listed.count(&rec))
        continue;
      if (!l.op.empty() && !records_.op(rec).empty() && records_.op(rec) != l.op)
        continue;
      if ((!l.customer.empty() && records_.customer(rec) != l.customer) || !records_.has_usage_date(rec) ||
          !in_range(rec, l.after, l.before))
        continue;
      if (retention_ms > 0 && rec.end_ms + retention_ms < static_cast<std::int64_t>(l.request_t * 1000))
        continue;
      fine = false;
      listed_.bad(Verdict::fail,
                  fmt::format("the listing answered at event {} (request event {} at {:.3f} s) lacks {}, pushed at "
                              "{:.3f} s (event {}) and matching its query",
                              l.response_event, l.request_event, l.request_t, id, rec.push_sent, rec.push_event),
                  {l.request_event, l.response_event, rec.push_event});
    }
    if (fine)
      listed_.ok();
  }
}

} // namespace i1sim::conformance::accounting
