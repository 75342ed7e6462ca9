// The bill and SLA checks: cycle bills, bills on demand and service level compliance against records and truth.
#include "conformance/oracles/accounting/accounting_oracle.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace i1sim::conformance::accounting {

namespace {

std::int64_t overlap_of(const std::vector<std::pair<std::int64_t, std::int64_t>>& spans, std::int64_t from,
                        std::int64_t to) {
  std::int64_t sum = 0;
  for (const auto& [a, b] : spans)
    sum += std::max<std::int64_t>(0, std::min(b, to) - std::max(a, from));
  return sum;
}

bool cycle_bill(const Bill& b) { return !b.on_demand && b.run_type != "offCycle"; }

} // namespace

const std::vector<const Record*>& AccountingOracle::customer_records(const std::string& customer) const {
  static const std::vector<const Record*> none;
  const auto it = records_of_customer_.find(customer);
  return it == records_of_customer_.end() ? none : it->second;
}

void AccountingOracle::judge_bills() {
  // bill.cycle and bill.amount_due, bill by bill.
  for (const auto& id : bill_order_) {
    const Bill& b = bills_.at(id);
    if (!cycle_bill(b))
      continue;
    if (cycle_ms_ <= 0)
      cycle_.bad(Verdict::inconc,
                 fmt::format("bill {} (event {}) closes a cycle, but the scenario sets no bill cycle", id, b.event),
                 {b.event});
    else if (b.start < 0 || b.end < 0)
      cycle_.bad(Verdict::fail, fmt::format("bill {} (event {}) has no readable billingPeriod", id, b.event),
                 {b.event});
    else if (b.start % cycle_ms_ != 0 || b.end - b.start != cycle_ms_)
      cycle_.bad(Verdict::fail,
                 fmt::format("bill {} (event {}) covers [{}, {}) ms, not one whole cycle of {} ms counted from the "
                             "start of the run",
                             id, b.event, b.start, b.end, cycle_ms_),
                 {b.event});
    else if (b.first_sent * 1000 < static_cast<double>(b.end) - kEpsilon)
      cycle_.bad(Verdict::fail,
                 fmt::format("bill {} (event {}) for the cycle [{}, {}) ms was sent at {:.3f} s, before the cycle "
                             "closed",
                             id, b.event, b.start, b.end, b.first_sent),
                 {b.event});
    else
      cycle_.ok();
  }
  for (const auto& [id, b] : bills_) {
    const auto cur = currency_.find(b.customer);
    const std::string want = cur != currency_.end() && !cur->second.empty() ? cur->second : sc_.billing.currency;
    std::int64_t sum = 0;
    std::string why;
    for (const Rate& r : b.rates) {
      if (!r.has_amount) {
        why = fmt::format("bill {} (event {}) has a {} rate of {} without an integer amount", id, b.event, text(r.type),
                          text(r.service));
        break;
      }
      if (text(r.unit) != want) {
        why = fmt::format("bill {} (event {}) states a {} rate of {} in {}, not in the customer's currency {}", id,
                          b.event, text(r.type), text(r.service), text(r.unit), want);
        break;
      }
      sum += r.amount;
    }
    if (why.empty() && !b.has_due)
      why = fmt::format("bill {} (event {}) has no integer amountDue", id, b.event);
    else if (why.empty() && b.due_unit != want)
      why = fmt::format("bill {} (event {}) states amountDue in {}, not in the customer's currency {}", id, b.event,
                        b.due_unit, want);
    else if (why.empty() && b.due != sum)
      why = fmt::format("bill {} (event {}) states amountDue {}, but its applied rates sum to {}", id, b.event, b.due,
                        sum);
    if (why.empty())
      amount_due_.ok();
    else
      amount_due_.bad(Verdict::fail, why, {b.event});
  }
  if (cycle_ms_ <= 0)
    return;

  // bill.sent: one bill per customer with usage (truth or records) in each closed cycle, within T_bill.
  std::map<std::pair<std::string, std::int64_t>, std::vector<const Bill*>> by_key;
  for (const auto& id : bill_order_) {
    const Bill& b = bills_.at(id);
    if (cycle_bill(b) && b.start >= 0)
      by_key[{b.customer, b.start / cycle_ms_}].push_back(&b);
  }
  std::map<std::pair<std::string, std::int64_t>, std::uint64_t> owed; // -> an event showing the usage
  for (const auto& [service, svc] : services_) {
    if (svc.customer == 0)
      continue;
    const std::string customer = text(svc.customer);
    const auto spans = held(service);
    for (int c = 0; c < cycles_; ++c)
      if (overlap_of(spans, c * cycle_ms_, (c + 1) * cycle_ms_) > 0 && !owed.count({customer, c})) {
        std::uint64_t ev = svc.ordered_event;
        if (const auto vms = vms_of_.find(service); vms != vms_of_.end())
          for (const Vm* vm : vms->second)
            if (vm->boot_event > 0)
              ev = vm->boot_event;
        owed[{customer, c}] = ev;
      }
  }
  for (const Record* rec : records_.by_key())
    if (rec->readable && rec->start_ms / cycle_ms_ < cycles_ && !records_.customer(*rec).empty())
      owed.emplace(std::pair{records_.customer(*rec), rec->start_ms / cycle_ms_}, rec->first_event);
  const bool bills_lost = lost_pending("CustomerBillCreateEvent");
  for (const auto& [key, evidence] : owed) {
    const auto& [customer, c] = key;
    const double close = static_cast<double>((c + 1) * cycle_ms_) / 1000.0;
    if (close > end_)
      continue; // the cycle never closed in this run
    const double due = deadline(close, t_bill_);
    const auto it = by_key.find(key);
    if (it == by_key.end()) {
      if (due > end_)
        sent_.bad(Verdict::inconc,
                  fmt::format("no bill for customer {} and cycle {} by the end of the run at {:.3f} s, before its "
                              "deadline {:.3f} s",
                              customer, c, end_, due),
                  {evidence});
      else
        sent_.bad(bills_lost ? Verdict::inconc : Verdict::fail,
                  fmt::format("customer {} had usage in cycle {} (event {}) but no bill for it was sent by {:.3f} s{}",
                              customer, c, evidence, due,
                              bills_lost ? ", and lost CustomerBillCreateEvent frames were never delivered again" : ""),
                  {evidence});
    } else if (it->second.front()->first_sent > due + kEpsilon) {
      const Bill& b = *it->second.front();
      sent_.bad(Verdict::fail,
                fmt::format("bill {} for customer {} and cycle {} was first sent at {:.3f} s (event {}), after its "
                            "deadline {:.3f} s",
                            b.id, customer, c, b.first_sent, b.event, due),
                {b.event});
    } else {
      sent_.ok();
    }
  }
  for (const auto& [key, list] : by_key)
    if (list.size() > 1)
      sent_.bad(Verdict::fail,
                fmt::format("customer {} got {} bills for cycle {}: {} (event {}) and {} (event {})", key.first,
                            list.size(), key.second, list[0]->id, list[0]->event, list[1]->id, list[1]->event),
                {list[0]->event, list[1]->event});

  // bill.usage_sum: per service, the records of the cycle, each once, none in two bills.
  std::map<std::string, const Bill*> billed_in;
  for (const auto& id : bill_order_) {
    const Bill& b = bills_.at(id);
    if (!cycle_bill(b))
      continue;
    if (b.start < 0 || b.end < 0) {
      usage_sum_.bad(Verdict::fail, fmt::format("bill {} (event {}) has no readable billingPeriod", id, b.event),
                     {b.event});
      continue;
    }
    std::map<std::string, std::int64_t> of_cycle; // service -> sum of its records in the bill's period
    std::map<std::string, std::set<std::string>> ids_of_cycle;
    for (const Record* rec : customer_records(b.customer))
      if (rec->start_ms >= b.start && rec->start_ms < b.end) {
        of_cycle[records_.service(*rec)] += rec->amount;
        ids_of_cycle[records_.service(*rec)].emplace(records_.id(*rec));
      }
    std::map<std::string, std::int64_t> charged;
    std::map<std::string, std::set<std::string>> listed;
    std::set<std::string> refs_given;
    std::string why;
    Verdict v = Verdict::fail;
    std::vector<std::uint64_t> ev{b.event};
    for (const Rate& r : b.rates) {
      if (records_.text(r.type) != "usage")
        continue;
      const std::string rate_service = text(r.service);
      charged[rate_service] += r.amount;
      if (!r.has_usage)
        continue;
      refs_given.insert(rate_service);
      for (const std::uint32_t ref : r.usage) {
        const std::string rid = text(ref);
        const Record* rec = records_.find(ref);
        if (!listed[rate_service].insert(rid).second) {
          why = fmt::format("bill {} (event {}) lists usage record {} twice", b.id, b.event, rid);
        } else if (!rec) {
          if (why.empty()) {
            why =
                fmt::format("bill {} (event {}) bills usage record {}, which was never delivered", b.id, b.event, rid);
            v = lost_pending("UsageCreateEvent") ? Verdict::inconc : Verdict::fail;
          }
        } else if (records_.service(*rec) != rate_service || records_.customer(*rec) != b.customer ||
                   rec->start_ms < b.start || rec->start_ms >= b.end) {
          why = fmt::format("bill {} (event {}) bills record {} (event {}) of {} over [{}, {}) ms under {} of "
                            "customer {} for [{}, {}) ms",
                            b.id, b.event, rid, rec->first_event, records_.service(*rec), rec->start_ms, rec->end_ms,
                            rate_service, b.customer, b.start, b.end);
          ev.push_back(rec->first_event);
          v = Verdict::fail;
        } else if (const auto [other, fresh] = billed_in.emplace(rid, &b); !fresh) {
          why = fmt::format("usage record {} is billed in bill {} (event {}) and again in bill {} (event {})", rid,
                            other->second->id, other->second->event, b.id, b.event);
          ev.push_back(other->second->event);
          v = Verdict::fail;
        }
      }
    }
    if (why.empty())
      for (const auto& [service, want] : of_cycle) {
        const auto got = charged.find(service);
        if (got == charged.end()) {
          why = fmt::format("bill {} (event {}) for [{}, {}) ms has no usage charge for {}, whose records of the "
                            "cycle sum to {}",
                            b.id, b.event, b.start, b.end, service, want);
          break;
        }
        if (got->second != want) {
          why = fmt::format("bill {} (event {}) charges {} for {}, but its records of the cycle sum to {}", b.id,
                            b.event, got->second, service, want);
          break;
        }
        if (refs_given.count(service) && listed[service] != ids_of_cycle[service]) {
          why = fmt::format("bill {} (event {}) lists {} usage records for {}, the cycle has {} of them", b.id, b.event,
                            listed[service].size(), service, ids_of_cycle[service].size());
          break;
        }
      }
    if (why.empty())
      for (const auto& [service, amount] : charged)
        if (!of_cycle.count(service) && amount != 0) {
          why = fmt::format("bill {} (event {}) charges {} for {}, which has no record in [{}, {}) ms", b.id, b.event,
                            amount, service, b.start, b.end);
          break;
        }
    if (why.empty())
      usage_sum_.ok();
    else
      usage_sum_.bad(v, why, ev);
  }
}

void AccountingOracle::judge_on_demand() {
  for (const auto& id : on_demand_bills_) {
    const Bill& b = bills_.at(id);
    std::string why;
    std::vector<std::uint64_t> ev{b.request_event, b.event};
    const std::int64_t asked = std::llround(b.request_t * 1000);
    const std::int64_t open = cycle_ms_ > 0 ? asked / cycle_ms_ * cycle_ms_ : 0;
    const std::int64_t close = cycle_ms_ > 0 ? open + cycle_ms_ : std::numeric_limits<std::int64_t>::max();
    if (b.run_type != "offCycle")
      why = fmt::format("the bill on demand {} (event {}) has runType '{}', not offCycle", id, b.event, b.run_type);
    else if (b.start != open || b.end < b.start || b.end > close)
      why = fmt::format("the bill on demand {} (event {}) asked at {:.3f} s covers [{}, {}) ms, not the open cycle "
                        "from {} ms so far",
                        id, b.event, b.request_t, b.start, b.end, open);
    std::map<std::string, std::int64_t> charged;
    std::map<std::string, std::set<std::string>> listed;
    std::set<std::string> refs_given;
    for (const Rate& r : b.rates)
      if (records_.text(r.type) == "usage") {
        const std::string rate_service = text(r.service);
        charged[rate_service] += r.amount;
        if (r.has_usage) {
          refs_given.insert(rate_service);
          for (const std::uint32_t ref : r.usage)
            listed[rate_service].insert(text(ref));
        }
      }
    // The open cycle's records so far: those of the customer metered in the billed part of the cycle.
    std::map<std::string, std::int64_t> so_far;
    std::map<std::string, std::set<std::string>> must_list;
    for (const Record* rec : customer_records(b.customer))
      if (why.empty() && rec->start_ms >= b.start && rec->end_ms <= b.end) {
        so_far[records_.service(*rec)] += rec->amount;
        must_list[records_.service(*rec)].emplace(records_.id(*rec));
      }
    for (const auto& [service, want] : so_far) {
      if (!why.empty())
        break;
      const auto got = charged.find(service);
      if (got == charged.end() || got->second != want)
        why = fmt::format("the bill on demand {} (event {}) charges {} for {}, but its records in [{}, {}) ms sum to "
                          "{}",
                          id, b.event, got == charged.end() ? 0 : got->second, service, b.start, b.end, want);
      else if (refs_given.count(service) && listed[service] != must_list[service])
        why = fmt::format("the bill on demand {} (event {}) lists {} records of {}, the cycle so far has {}", id,
                          b.event, listed[service].size(), service, must_list[service].size());
    }
    for (const auto& [service, amount] : charged)
      if (why.empty() && !so_far.count(service) && amount != 0)
        why = fmt::format("the bill on demand {} (event {}) charges {} for {}, which has no record in [{}, {}) ms", id,
                          b.event, amount, service, b.start, b.end);
    // It bills no record: the cycle's own bill, when it came, still bills each of them.
    if (why.empty())
      for (const auto& bid : bill_order_) {
        const Bill& cb = bills_.at(bid);
        if (!cycle_bill(cb) || cb.customer != b.customer || cb.start != open)
          continue;
        std::map<std::string, std::set<std::string>> in_cycle_bill; // service -> ids its usage rates list
        std::set<std::string> charged_there, with_refs;
        for (const Rate& r : cb.rates)
          if (records_.text(r.type) == "usage") {
            const std::string rate_service = text(r.service);
            charged_there.insert(rate_service);
            if (r.has_usage) {
              with_refs.insert(rate_service);
              for (const std::uint32_t ref : r.usage)
                in_cycle_bill[rate_service].insert(text(ref));
            }
          }
        for (const auto& [service, ids] : must_list)
          for (const auto& rid : ids)
            if (why.empty() &&
                (!charged_there.count(service) || (with_refs.count(service) && !in_cycle_bill[service].count(rid)))) {
              why = fmt::format("usage record {} of the bill on demand {} (event {}) is missing from the cycle's bill "
                                "{} (event {}): the bill on demand billed it",
                                rid, id, b.event, cb.id, cb.event);
              ev.push_back(cb.event);
            }
      }
    if (why.empty())
      on_demand_.ok();
    else
      on_demand_.bad(Verdict::fail, why, ev);
  }
}

void AccountingOracle::judge_sla() {
  if (cycle_ms_ <= 0)
    return;
  const std::int64_t c_ms = cycle_ms_;
  for (const auto& id : bill_order_) {
    const Bill& b = bills_.at(id);
    if (!cycle_bill(b) || b.start < 0)
      continue;
    const std::int64_t from = b.start / c_ms * c_ms, to = from + c_ms;
    // Services of the customer with an objective that held resources in the cycle.
    std::map<std::string, const scenario::CloudServiceSpec*> due;
    if (const auto of = services_of_customer_.find(b.customer); of != services_of_customer_.end())
      for (const auto& service : of->second) {
        const Service& svc = services_.at(service);
        if (svc.spec && !svc.without_objective && svc.spec->sla.availability_millipercent > 0 &&
            overlap_of(held(service), from, to) > 0)
          due[service] = svc.spec;
      }
    std::map<std::string, std::int64_t> charge, credited;
    for (const Rate& r : b.rates) {
      if (records_.text(r.type) == "usage")
        charge[text(r.service)] += r.amount;
      else if (records_.text(r.type) == "slaCredit")
        credited[text(r.service)] += r.amount;
    }
    for (const auto& [service, spec] : due) {
      const auto entry = std::find_if(b.compliance.begin(), b.compliance.end(),
                                      [&](const Compliance& c) { return records_.text(c.service) == service; });
      if (entry == b.compliance.end()) {
        availability_.bad(Verdict::fail,
                          fmt::format("bill {} (event {}) states no availability for {}, which has an objective "
                                      "and held resources in [{}, {}) ms",
                                      id, b.event, service, from, to),
                          {b.event});
        credit_.bad(
            Verdict::fail,
            fmt::format("bill {} (event {}) states no compliance, hence no credit, for {}", id, b.event, service),
            {b.event});
        continue;
      }
      const auto spans = down(service);
      const std::int64_t down_ms = overlap_of(spans, from, to);
      std::vector<std::uint64_t> ev{b.event};
      const double objective = static_cast<double>(spec->sla.availability_millipercent) / 1000.0;
      const double measured = 100.0 * static_cast<double>(c_ms - down_ms) / static_cast<double>(c_ms);
      // Times are whole milliseconds in truth; a producer measuring finer may differ by the rounding of each edge.
      const std::int64_t slack = 2 * static_cast<std::int64_t>(spans.size());
      const double tolerance = 100.0 * static_cast<double>(slack) / static_cast<double>(c_ms) + 1e-9;
      const Int128 budget_num = Int128(100000 - spec->sla.availability_millipercent) * c_ms;
      const bool truly_compliant = Int128(down_ms) * 100000 <= budget_num;
      const bool borderline = (Int128(down_ms - slack) * 100000 <= budget_num) != truly_compliant ||
                              (Int128(down_ms + slack) * 100000 <= budget_num) != truly_compliant;
      std::string why;
      if (std::fabs(entry->objective - objective) > 1e-9)
        why = fmt::format("bill {} (event {}) states objective {} for {}, the service was ordered with {}", id, b.event,
                          entry->objective, service, objective);
      else if (entry->measured < 0 || std::fabs(entry->measured - measured) > tolerance)
        why = fmt::format("bill {} (event {}) states availability {} for {}; it was really down {} ms of the cycle "
                          "[{}, {}) ms, so {}",
                          id, b.event, entry->measured, service, down_ms, from, to, measured);
      else if (!entry->has_compliant || (!borderline && entry->compliant != truly_compliant))
        why = fmt::format("bill {} (event {}) states {} compliant={} against objective {}; it was really {} "
                          "({} ms down of {} ms)",
                          id, b.event, service, entry->has_compliant ? (entry->compliant ? "true" : "false") : "none",
                          objective, measured, down_ms, c_ms);
      if (why.empty())
        availability_.ok();
      else
        availability_.bad(Verdict::fail, why, ev);

      const bool compliant = borderline && entry->has_compliant ? entry->compliant : truly_compliant;
      const std::int64_t usage = charge.count(service) ? charge[service] : 0;
      const std::int64_t want = compliant ? 0 : half_even(Int128(usage) * spec->sla.credit_percent, 100);
      const std::int64_t rate = credited.count(service) ? credited[service] : 0;
      if (entry->credit != want)
        credit_.bad(Verdict::fail,
                    fmt::format("bill {} (event {}) credits {} to {}, which is {}compliant: with usage charge {} and "
                                "credit {} % it is owed {}",
                                id, b.event, entry->credit, service, compliant ? "" : "not ", usage,
                                spec->sla.credit_percent, want),
                    ev);
      else if (rate != -want)
        credit_.bad(Verdict::fail,
                    fmt::format("bill {} (event {}) has slaCredit rates of {} for {}, the credit is {}", id, b.event,
                                rate, service, want),
                    ev);
      else
        credit_.ok();
    }
    for (const auto& [service, amount] : credited)
      if (!due.count(service) && amount != 0)
        credit_.bad(Verdict::fail,
                    fmt::format("bill {} (event {}) credits {} to {}, which had no objective or no resources in the "
                                "cycle",
                                id, b.event, amount, service),
                    {b.event});
  }
}

} // namespace i1sim::conformance::accounting
