// Judges the answers to the tester's probes (deliberately invalid or unusual requests) from the event stream:
// the status and Error of each answer, and the side effects the specification forbids or requires.
#include "conformance/oracles/probes/probe_oracle.hpp"

#include "util/timestamp.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <stdexcept>
#include <string_view>

namespace i1sim::conformance::probes {

namespace {

using Json = nlohmann::json;           // a message's body, as trace::Event::body() gives it
using Fields = nlohmann::ordered_json; // an event's own fields

// The readers below serve both an event's fields and the body it carries.
template <class J> const J& member(const J& j, const char* key) {
  static const J none;
  if (!j.is_object())
    return none;
  const auto it = j.find(key);
  return it == j.end() ? none : *it;
}

template <class J> std::string text(const J& j, const char* key) {
  const J& v = member(j, key);
  return v.is_string() ? v.template get<std::string>() : std::string();
}

template <class J> double number(const J& j, const char* key, double fallback) {
  const J& v = member(j, key);
  return v.is_number() ? v.template get<double>() : fallback;
}

/// The body of the I1 message `e` records (null when it has none).
const Json& body_of(const trace::Event& e) {
  static const Json none;
  return e.body() ? *e.body() : none;
}

/// The customer a resource names as its relatedParty with role customer, or "".
std::string customer_of(const Json& resource) {
  for (const auto& party : member(resource, "relatedParty"))
    if (text(party, "role") == "customer")
      return text(party, "id");
  return {};
}

/// The operator whose listener `target` is ("sim://<oss>/listener/<operator>[/probe]"), or "".
std::string operator_of_listener(const std::string& target) {
  constexpr std::string_view marker = "/listener/";
  const auto at = target.find(marker);
  if (at == std::string::npos)
    return {};
  const std::string rest = target.substr(at + marker.size());
  return rest.substr(0, rest.find('/'));
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

const std::map<std::string, std::string>& check_of_probe() {
  static const std::map<std::string, std::string> m{{"invalidBody", "probe.invalid_body"},
                                                    {"unknownSpec", "probe.unknown_spec"},
                                                    {"hubQuery", "probe.hub_query"},
                                                    {"hubDelete", "probe.hub_delete"},
                                                    {"listServices", "probe.list_services"},
                                                    {"alarmAck", "probe.alarm_ack"},
                                                    {"alarmList", "probe.alarm_list"},
                                                    {"customerUpdate", "probe.customer_update"},
                                                    {"unknownCustomer", "probe.unknown_customer"},
                                                    {"retention", "probe.retention"},
                                                    {"unauthenticated", "probe.unauthenticated"},
                                                    {"foreignAccess", "probe.foreign_access"},
                                                    {"jobDelete", "probe.job_delete"}};
  return m;
}

/// What one check concluded about one probe request.
struct Finding {
  Verdict verdict = Verdict::pass;
  std::string reason;
  std::vector<std::uint64_t> events;
};

std::string describe(const ProbeOracle::Sent& s) {
  return fmt::format("{} probe {} ({} {}, event {})", s.probe, s.corr, s.operation, s.step, s.event);
}

std::string answer_text(const ProbeOracle::Sent& s) {
  std::string a = fmt::format("{}", s.status);
  if (const std::string code = text(s.body, "code"); !code.empty())
    a += " " + code;
  if (const std::string ref = text(s.body, "referenceError"); !ref.empty())
    a += fmt::format(" (referenceError '{}')", ref);
  return a + fmt::format(" (event {})", s.response_event);
}

} // namespace

ProbeOracle::ProbeOracle(const OracleContext& ctx) : ctx_(&ctx) {
  // Without a scenario (a hand-made stream) everything is kept; a scenario without probes needs nothing.
  active_ = ctx.scenario == nullptr || !ctx.scenario->telecom.probes.empty();
}

std::vector<CheckInfo> ProbeOracle::checks() const { return probe_checks(); }

void ProbeOracle::on_event(const trace::Event& e) {
  if (!active_ || broken_event_ != 0)
    return;
  try {
    observe(e);
  } catch (const std::exception& ex) { // a field of an unexpected type: the stream is not what a run writes
    broken_event_ = e.id;
    broken_reason_ = fmt::format("event {} ({}) could not be read: {}", e.id, e.type, ex.what());
  }
}

void ProbeOracle::observe(const trace::Event& e) {
  const Fields& d = e.data;
  if (e.category == trace::Category::tester) {
    if (e.type == "probe.sent") {
      Sent s;
      s.event = e.id;
      s.probe = text(d, "probe");
      s.step = text(d, "step");
      s.corr = text(d, "corr");
      s.op = text(d, "operator");
      s.operation = text(d, "operation");
      s.target = text(d, "target");
      s.info = d;
      if (s.probe == "hubQuery") // from now on, what its main listener receives is kept to compare
        deliveries_[text(d, "listener")];
      sent_[s.corr] = std::move(s);
    } else if (e.type == "probe.skipped") {
      const std::string probe = text(d, "probe");
      skipped_.emplace_back(probe, e.id);
      skipped_reason_.emplace(probe, text(d, "reason"));
    }
    return;
  }
  if (e.category == trace::Category::truth) {
    if (e.type == "vm.placed")
      placed_[text(d, "owner")].emplace_back(text(d, "dc"), e.id);
    return;
  }
  const std::string corr = text(d, "corr");
  const std::string name = text(d, "name");
  if (e.type == "i1.request") {
    if (const auto s = sent_.find(corr); s != sent_.end() && s->second.arrived < 0) {
      s->second.arrived = e.t;
      s->second.request_event = e.id;
    } else if (name == "createCancelServiceOrder") {
      cancels_[text(member(body_of(e), "serviceOrder"), "id")].emplace_back(corr, e.t);
    }
    return;
  }
  if (e.type == "i1.response" && text(d, "dir") == "c2t") {
    const double sent = number(d, "sent", e.t);
    std::string op;
    if (const auto s = sent_.find(corr); s != sent_.end()) {
      op = s->second.op;
      if (!s->second.answered) {
        s->second.answered = true;
        s->second.status = member(d, "status").is_number_integer() ? member(d, "status").get<int>() : 0;
        s->second.answer_sent = sent;
        s->second.response_event = e.id;
        s->second.body = body_of(e);
      }
    }
    observe_resources(body_of(e), name, op, sent, e.id, false);
    return;
  }
  if (e.type == "i1.notification" || e.type == "i1.undeliverable") {
    const std::string target = text(d, "target");
    const double sent = number(d, "sent", e.t); // an undeliverable attempt is recorded when it is made
    // What reached a probe's listener, and (once a hubQuery probe named it) what its main listener got.
    if (ends_with(target, "/probe") || deliveries_.count(target))
      deliveries_[target].push_back(Delivery{e.id, name, corr, target, sent});
    if (e.type == "i1.notification")
      observe_resources(body_of(e), name, operator_of_listener(target), sent, e.id, true);
  }
}

void ProbeOracle::observe_resources(const Json& body, const std::string& name, const std::string& op, double sent,
                                    std::uint64_t id, bool notification) {
  auto seen = [&](std::map<std::string, Seen>& m, const std::string& rid, const std::string& customer) {
    if (rid.empty())
      return;
    Seen& s = m[rid];
    if (s.first < 0 || sent < s.first) {
      s.first = sent;
      s.event = id;
    }
    if (s.op.empty())
      s.op = op;
    if (s.customer.empty())
      s.customer = customer;
  };
  auto order = [&](const Json& o) {
    const std::string oid = text(o, "id");
    if (oid.empty())
      return;
    seen(orders_, oid, customer_of(o));
    if (const std::string ext = text(o, "externalId"); !ext.empty()) {
      orders_by_external_[ext].push_back(id);
      external_of_[oid] = ext;
    }
    if (const std::string state = text(o, "state"); !state.empty())
      order_states_[oid].emplace_back(sent, state, id);
    for (const auto& err : member(o, "errorMessage"))
      order_errors_[oid].insert(text(err, "code"));
    for (const auto& item : member(o, "serviceOrderItem"))
      if (const std::string svc = text(member(item, "service"), "id"); !svc.empty())
        order_services_[oid].insert(svc);
  };
  auto service = [&](const Json& s) {
    const std::string sid = text(s, "id");
    seen(services_, sid, customer_of(s));
    for (const auto& place : member(s, "place"))
      reported_places_[sid].emplace_back(text(place, "jurisdiction"), id);
  };
  auto alarm = [&](const Json& a) {
    const std::string aid = text(a, "id");
    seen(alarms_, aid, "");
    if (!aid.empty())
      alarm_states_[aid].emplace_back(sent, text(a, "state"));
  };
  auto usage = [&](const Json& u) {
    const std::string uid = text(u, "id");
    if (uid.empty())
      return;
    seen(usage_, uid, customer_of(u));
    usage_dates_.emplace(uid, std::make_pair(parse_iso_timestamp(text(u, "usageDate")),
                                             parse_iso_timestamp(text(member(u, "usagePeriod"), "endDateTime"))));
  };
  if (notification) {
    const Json& event = member(body, "event");
    if (const Json& o = member(event, "serviceOrder"); o.is_object())
      order(o);
    if (const Json& s = member(event, "service"); s.is_object())
      service(s);
    if (const Json& a = member(event, "alarm"); a.is_object())
      alarm(a);
    if (const Json& u = member(event, "usage"); u.is_object())
      usage(u);
    if (const Json& j = member(event, "measurementCollectionJob"); j.is_object())
      job_states_[text(j, "id")].emplace_back(sent, text(j, "executionState"), id);
    if (const Json& r = member(event, "performanceReport"); r.is_object())
      job_reports_[text(member(r, "measurementCollectionJob"), "id")].emplace_back(sent, id);
    return;
  }
  if (name == "createServiceOrder" || name == "retrieveServiceOrder")
    order(body);
  else if (name == "retrieveService")
    service(body);
  else if (name == "listService" && body.is_array())
    for (const auto& s : body)
      service(s);
  else if (name == "listAlarm" && body.is_array())
    for (const auto& a : body)
      alarm(a);
  else if (name == "listUsage" && body.is_array())
    for (const auto& u : body)
      usage(u);
}

void ProbeOracle::finish(double end) {
  end_ = end;
  judge();
}

void ProbeOracle::judge() {
  std::map<std::string, std::vector<Finding>> findings; // check -> what each probe request showed
  std::map<std::string, std::uint64_t> observed;
  const double t_response = ctx_->timer("T_response") > 0 ? ctx_->timer("T_response") : 5;
  const double t_notify = ctx_->timer("T_notify") > 0 ? ctx_->timer("T_notify") : 5;
  const double t_retention = ctx_->timer("T_retention") > 0 ? ctx_->timer("T_retention") : 90 * 86400.0;

  auto add = [&](const std::string& check, Verdict v, std::string reason, std::vector<std::uint64_t> events) {
    findings[check].push_back(Finding{v, std::move(reason), std::move(events)});
  };
  // The answer to `s`, or an inconc finding when it never came.
  auto answered = [&](const std::string& check, const Sent& s) {
    if (s.answered)
      return true;
    add(check, Verdict::inconc,
        s.arrived < 0 ? fmt::format("{} never reached the producer", describe(s))
                      : fmt::format("{} reached the producer at {:.3f} s (event {}) but no answer came", describe(s),
                                    s.arrived, s.request_event),
        {s.event, s.request_event});
    return false;
  };
  // An order that a refused request must not have created.
  auto no_order = [&](const std::string& check, const Sent& s) {
    const std::string ext = text(s.info, "externalId");
    const auto created = orders_by_external_.find(ext);
    if (ext.empty() || created == orders_by_external_.end())
      return;
    std::vector<std::uint64_t> events{s.event};
    events.insert(events.end(), created->second.begin(), created->second.end());
    add(check, Verdict::fail,
        fmt::format("{} was refused, yet an order with its externalId {} appears (event {})", describe(s), ext,
                    created->second.front()),
        events);
  };
  auto listed_ids = [](const Json& body) {
    std::set<std::string> ids;
    if (body.is_array())
      for (const auto& item : body)
        ids.insert(text(item, "id"));
    return ids;
  };
  auto check_list = [&](const std::string& check, const Sent& s) {
    if (s.status == 200 && s.body.is_array())
      return true;
    add(check, Verdict::fail, fmt::format("{} was answered {}, not 200 with a list", describe(s), answer_text(s)),
        {s.event, s.response_event});
    return false;
  };
  for (const auto& [corr, s] : sent_) {
    const auto c = check_of_probe().find(s.probe);
    if (c == check_of_probe().end())
      continue;
    const std::string& check = c->second;
    // Steps that only prepare a probe are not judged on their own.
    if ((s.probe == "alarmAck" && s.step == "list") || (s.probe == "jobDelete" && s.step == "create"))
      continue;
    ++observed[check];
    if (!answered(check, s))
      continue;
    const std::size_t before = findings[check].size();

    if (s.probe == "invalidBody") {
      const std::string field = text(s.info, "field");
      const std::string ref = text(s.body, "referenceError");
      if (s.status != 400 || text(s.body, "code") != "invalidBody" || ref.find(field) == std::string::npos)
        add(check, Verdict::fail,
            fmt::format("{} ({} '{}') was answered {}, not 400 invalidBody naming '{}'", describe(s),
                        text(s.info, "variant"), field, answer_text(s), field),
            {s.event, s.response_event});
      no_order(check, s);
    } else if (s.probe == "unknownSpec") {
      if (s.status != 400 || text(s.body, "code") != "invalidBody")
        add(check, Verdict::fail,
            fmt::format("{} naming service specification '{}' was answered {}, not 400 invalidBody", describe(s),
                        text(s.info, "spec"), answer_text(s)),
            {s.event, s.response_event});
      no_order(check, s);
    } else if (s.probe == "unauthenticated") {
      if (s.status != 401)
        add(check, Verdict::fail,
            fmt::format("{} with {} credential was answered {}, not 401", describe(s), text(s.info, "credential"),
                        answer_text(s)),
            {s.event, s.response_event});
      no_order(check, s);
    } else if (s.probe == "unknownCustomer") {
      const std::string code = text(s.body, "code");
      if (s.status >= 400 && s.status < 500 && s.status != 401 && code == "customerUnknown") {
        no_order(check, s); // refused at once: nothing may be created
      } else if (s.status == 201 || s.status == 200) {
        // Accepted for checking: the order must end rejected with customerUnknown, and nothing be placed.
        const std::string oid = text(s.body, "id");
        std::string final_state;
        std::uint64_t final_event = 0;
        for (const auto& [t, state, ev] : order_states_[oid])
          if (state != "acknowledged" && final_state.empty()) {
            final_state = state;
            final_event = ev;
          }
        std::vector<std::uint64_t> vms;
        for (const auto& svc : order_services_[oid])
          for (const auto& [dc, ev] : placed_[svc])
            vms.push_back(ev);
        if (!vms.empty())
          add(check, Verdict::fail,
              fmt::format("{} for unknown customer {} got order {}, and a VM was placed for it (event {})", describe(s),
                          text(s.info, "customer"), oid, vms.front()),
              {s.event, s.response_event, vms.front()});
        if (final_state.empty())
          add(check, Verdict::inconc,
              fmt::format("{} for unknown customer {} got order {} (event {}), whose outcome never came", describe(s),
                          text(s.info, "customer"), oid, s.response_event),
              {s.event, s.response_event});
        else if (final_state != "rejected" || !order_errors_[oid].count("customerUnknown"))
          add(check, Verdict::fail,
              fmt::format("{} for unknown customer {}: order {} went {} (event {}){}, not rejected with "
                          "customerUnknown",
                          describe(s), text(s.info, "customer"), oid, final_state, final_event,
                          order_errors_[oid].count("customerUnknown") ? "" : " with no customerUnknown error"),
              {s.event, s.response_event, final_event});
      } else {
        add(check, Verdict::fail,
            fmt::format("{} for unknown customer {} was answered {}, not rejected with customerUnknown", describe(s),
                        text(s.info, "customer"), answer_text(s)),
            {s.event, s.response_event});
      }
    } else if (s.probe == "hubQuery") {
      const std::string hub = text(s.body, "id");
      if (s.status != 201 || hub.empty()) {
        add(check, Verdict::fail,
            fmt::format("{} was answered {}, not 201 with the subscription", describe(s), answer_text(s)),
            {s.event, s.response_event});
        continue;
      }
      std::set<std::string> selects;
      for (const auto& t : member(s.info, "selects"))
        if (t.is_string())
          selects.insert(t.get<std::string>());
      const std::string callback = text(s.info, "callback");
      const std::string listener = text(s.info, "listener");
      // The subscription lasts from its answer until a hubDelete probe deleted it (or the end).
      double until = end_;
      for (const auto& [other_corr, del] : sent_)
        if (del.probe == "hubDelete" && text(del.info, "hub") == hub && del.arrived >= 0)
          until = std::min(until, del.arrived);
      std::map<std::string, std::set<std::string>> heard; // type -> eventIds at the probe's listener
      for (const auto& d : deliveries_[callback]) {
        if (d.sent < s.answer_sent || d.sent > until)
          continue;
        if (!selects.count(d.name))
          add(check, Verdict::fail,
              fmt::format("subscription {} of {} selects {} only, yet {} {} was sent to it at {:.3f} s (event {})", hub,
                          describe(s), text(s.info, "query"), d.name, d.event_id, d.sent, d.event),
              {s.event, d.event});
        else
          heard[d.name].insert(d.event_id);
      }
      // Each selected event the main listener got well inside that window went to this subscriber too.
      std::map<std::string, std::pair<std::set<std::string>, std::uint64_t>> main; // type -> (eventIds, first event)
      for (const auto& d : deliveries_[listener])
        if (selects.count(d.name) && d.sent > s.answer_sent + t_response && d.sent < until - t_response) {
          auto& m = main[d.name];
          if (m.first.insert(d.event_id).second && m.second == 0)
            m.second = d.event;
        }
      std::size_t total = 0;
      for (const auto& [type, m] : main) {
        total += m.first.size();
        if (heard[type].size() < m.first.size())
          add(check, Verdict::fail,
              fmt::format("subscription {} of {} received {} {} events while the main listener received {} "
                          "(the first in event {}) between {:.3f} s and {:.3f} s",
                          hub, describe(s), heard[type].size(), type, m.first.size(), m.second, s.answer_sent, until),
              {s.event, s.response_event, m.second});
      }
      std::size_t got = 0;
      for (const auto& [type, ids] : heard)
        got += ids.size();
      if (total == 0 && got == 0 && findings[check].size() == before)
        add(check, Verdict::inconc,
            fmt::format("no event of a type subscription {} selects ({}) was sent while it existed ({:.3f} s to "
                        "{:.3f} s)",
                        hub, text(s.info, "query"), s.answer_sent, until),
            {s.event, s.response_event});
    } else if (s.probe == "hubDelete") {
      if (s.status != 204) {
        add(check, Verdict::fail, fmt::format("{} was answered {}, not 204", describe(s), answer_text(s)),
            {s.event, s.response_event});
        continue;
      }
      for (const auto& d : deliveries_[text(s.info, "callback")])
        if (d.sent > s.answer_sent)
          add(check, Verdict::fail,
              fmt::format("subscription {} was deleted at {:.3f} s (event {}), yet {} {} was sent to its callback at "
                          "{:.3f} s (event {})",
                          text(s.info, "hub"), s.answer_sent, s.response_event, d.name, d.event_id, d.sent, d.event),
              {s.event, s.response_event, d.event});
    } else if (s.probe == "listServices") {
      if (!check_list(check, s))
        continue;
      const std::string customer = text(s.info, "customer");
      const auto ids = listed_ids(s.body);
      for (const auto& item : s.body) {
        const std::string sid = text(item, "id");
        const auto known = services_.find(sid);
        const std::string owner =
            customer_of(item).empty() && known != services_.end() ? known->second.customer : customer_of(item);
        if (owner != customer)
          add(check, Verdict::fail,
              fmt::format("the service list of customer {} ({}) holds service {} of customer '{}'", customer,
                          describe(s), sid, owner),
              {s.event, s.response_event});
      }
      for (const auto& [sid, seen] : services_)
        if (seen.customer == customer && (seen.op.empty() || seen.op == s.op) && seen.first < s.arrived &&
            !ids.count(sid))
          add(check, Verdict::fail,
              fmt::format("the service list of customer {} ({}, event {}) lacks its service {}, known since {:.3f} s "
                          "(event {})",
                          customer, describe(s), s.response_event, sid, seen.first, seen.event),
              {s.event, seen.event, s.response_event});
    } else if (s.probe == "alarmList") {
      if (!check_list(check, s))
        continue;
      const std::string state = text(s.info, "state");
      const auto ids = listed_ids(s.body);
      for (const auto& item : s.body) {
        const auto known = alarms_.find(text(item, "id"));
        if (known != alarms_.end() && !known->second.op.empty() && known->second.op != s.op)
          add(check, Verdict::fail,
              fmt::format("the alarm list of operator {} ({}) holds alarm {} of operator {}", s.op, describe(s),
                          text(item, "id"), known->second.op),
              {s.event, known->second.event, s.response_event});
        if (!state.empty() && text(item, "state") != state)
          add(check, Verdict::fail,
              fmt::format("the list of alarms in state {} ({}) holds alarm {} in state '{}'", state, describe(s),
                          text(item, "id"), text(item, "state")),
              {s.event, s.response_event});
      }
      for (const auto& [aid, seen] : alarms_) {
        if (seen.op != s.op || seen.first >= s.arrived || ids.count(aid))
          continue;
        std::string last;
        bool changing = false; // a change sent while the list was being made: either answer is right
        for (const auto& [t, st] : alarm_states_[aid]) {
          if (t < s.arrived)
            last = st;
          else if (t <= s.answer_sent)
            changing = true;
        }
        if (changing || (!state.empty() && last != state))
          continue;
        add(check, Verdict::fail,
            fmt::format("the alarm list{} of operator {} ({}, event {}) lacks alarm {}, known since {:.3f} s "
                        "(event {}){}",
                        state.empty() ? "" : " by state " + state, s.op, describe(s), s.response_event, aid, seen.first,
                        seen.event, state.empty() ? "" : " in state " + last),
            {s.event, seen.event, s.response_event});
      }
    } else if (s.probe == "alarmAck") {
      const std::string alarm = text(s.info, "alarm");
      if (s.step == "ack") {
        bool acked = false;
        for (const auto& a : member(s.body, "ackedAlarm"))
          acked = acked || text(a, "id") == alarm;
        if (s.status != 201 || !acked)
          add(check, Verdict::fail,
              fmt::format("{} acknowledging alarm {} was answered {}{}", describe(s), alarm, answer_text(s),
                          s.status == 201 ? " without the alarm among ackedAlarm" : ", not 201"),
              {s.event, s.response_event});
      } else if (s.step == "verify") {
        if (!check_list(check, s))
          continue;
        std::string ack = "(not listed)";
        for (const auto& a : s.body)
          if (text(a, "id") == alarm)
            ack = text(a, "ackState");
        if (ack != "acknowledged")
          add(check, Verdict::fail,
              fmt::format("alarm {} was acknowledged, yet the list read back ({}, event {}) shows its ackState as "
                          "{}",
                          alarm, describe(s), s.response_event, ack),
              {s.event, s.response_event});
      }
    } else if (s.probe == "customerUpdate") {
      std::set<std::string> allowed;
      for (const auto& j : member(s.info, "allowed"))
        if (j.is_string())
          allowed.insert(j.get<std::string>());
      if (s.step == "patch") {
        std::set<std::string> got;
        for (const auto& j : member(s.body, "allowedJurisdiction"))
          if (j.is_string())
            got.insert(j.get<std::string>());
        if (s.status != 200 || got != allowed)
          add(check, Verdict::fail,
              fmt::format("{} setting the allowed jurisdictions of {} to {} was answered {}{}", describe(s),
                          text(s.info, "customer"), fmt::join(allowed, ","), answer_text(s),
                          s.status == 200 ? fmt::format(" with {}", fmt::join(got, ",")) : ", not 200"),
              {s.event, s.response_event});
        continue;
      }
      if (s.status != 201 && s.status != 200) {
        add(check, Verdict::fail,
            fmt::format("{}, a well-formed order for customer {}, was answered {}", describe(s),
                        text(s.info, "customer"), answer_text(s)),
            {s.event, s.response_event});
        continue;
      }
      const std::string oid = text(s.body, "id");
      std::size_t placements = 0;
      for (const auto& svc : order_services_[oid]) {
        for (const auto& [dc, ev] : placed_[svc]) {
          ++placements;
          std::string jurisdiction;
          if (ctx_->scenario)
            for (const auto& site : ctx_->scenario->platform.data_centres)
              if (site.name == dc)
                jurisdiction = site.jurisdiction;
          if (!jurisdiction.empty() && !allowed.count(jurisdiction))
            add(check, Verdict::fail,
                fmt::format("after customer {} was narrowed to {}, a VM of its service {} was placed in {} ({}) "
                            "(event {})",
                            text(s.info, "customer"), fmt::join(allowed, ","), svc, dc, jurisdiction, ev),
                {s.event, ev});
        }
        for (const auto& [jurisdiction, ev] : reported_places_[svc]) {
          ++placements;
          if (!allowed.count(jurisdiction))
            add(check, Verdict::fail,
                fmt::format("after customer {} was narrowed to {}, its service {} was reported placed in "
                            "jurisdiction '{}' (event {})",
                            text(s.info, "customer"), fmt::join(allowed, ","), svc, jurisdiction, ev),
                {s.event, ev});
        }
      }
      if (placements == 0 && findings[check].size() == before)
        add(check, Verdict::inconc,
            fmt::format("no placement of order {} ({}) was seen, so the update's effect could not be judged", oid,
                        describe(s)),
            {s.event, s.response_event});
    } else if (s.probe == "retention") {
      if (!check_list(check, s))
        continue;
      const std::string customer = text(s.info, "customer");
      const double to = number(s.info, "to", end_);
      const auto ids = listed_ids(s.body);
      std::size_t due = 0;
      for (const auto& [uid, seen] : usage_) {
        const auto [date, period_end] = usage_dates_[uid];
        if (seen.customer != customer || seen.first >= s.arrived || date <= number(s.info, "from", 0) || date >= to ||
            period_end < 0 || period_end + t_retention < s.arrived)
          continue;
        ++due;
        if (!ids.count(uid))
          add(check, Verdict::fail,
              fmt::format("usage record {} of customer {} (period ending {:.3f} s, first sent in event {}) is "
                          "missing from the listing at {:.3f} s ({}), within T_retention ({:.0f} s)",
                          uid, customer, period_end, seen.event, s.arrived, describe(s), t_retention),
              {s.event, seen.event, s.response_event});
      }
      if (due == 0 && findings[check].size() == before)
        add(check, Verdict::inconc,
            fmt::format("no usage record of customer {} was due in the listing of {}", customer, describe(s)),
            {s.event, s.response_event});
    } else if (s.probe == "foreignAccess") {
      const std::string expect = text(s.info, "expect");
      const std::string owner = text(s.info, "owner");
      const std::string resource = text(s.info, "resource");
      if (expect == "notFound" && s.status != 404)
        add(check, Verdict::fail,
            fmt::format("{} by operator {} on {} of operator {} was answered {}, not 404", describe(s), s.op, resource,
                        owner, answer_text(s)),
            {s.event, s.response_event});
      if (expect == "noForeign") {
        if (s.status != 404 && !check_list(check, s))
          continue;
        const bool usage_list = s.operation == "listUsage";
        for (const auto& item : s.body) {
          const auto& known = usage_list ? usage_ : services_;
          const auto k = known.find(text(item, "id"));
          const bool foreign =
              customer_of(item) == text(s.info, "customer") ||
              (k != known.end() && (k->second.op == owner || k->second.customer == text(s.info, "customer")));
          if (foreign)
            add(check, Verdict::fail,
                fmt::format("{} by operator {} lists {} of operator {}'s customer {}", describe(s), s.op,
                            text(item, "id"), owner, text(s.info, "customer")),
                {s.event, s.response_event});
        }
      }
      if (s.step == "cancelOrder") { // and the order goes on as its owner left it
        double owner_cancel = -1;
        for (const auto& [other, at] : cancels_[resource])
          if (owner_cancel < 0 || at < owner_cancel)
            owner_cancel = at;
        for (const auto& [t, state, ev] : order_states_[resource])
          if (t >= s.arrived && (owner_cancel < 0 || t < owner_cancel) &&
              (state == "assessingCancellation" || state == "pendingCancellation" || state == "cancelled")) {
            add(check, Verdict::fail,
                fmt::format("order {} of operator {} went {} at {:.3f} s (event {}) after operator {} asked to "
                            "cancel it ({})",
                            resource, owner, state, t, ev, s.op, describe(s)),
                {s.event, ev});
            break;
          }
      }
    } else if (s.probe == "jobDelete" && s.step == "delete") {
      const std::string job = text(s.info, "job");
      if (s.status != 204) {
        add(check, Verdict::fail,
            fmt::format("{} of job {} was answered {}, not 204", describe(s), job, answer_text(s)),
            {s.event, s.response_event});
        continue;
      }
      for (const auto& [t, ev] : job_reports_[job])
        if (t > s.answer_sent)
          add(check, Verdict::fail,
              fmt::format("job {} was deleted at {:.3f} s (event {}), yet reported again at {:.3f} s (event {})", job,
                          s.answer_sent, s.response_event, t, ev),
              {s.event, s.response_event, ev});
      bool cancelled = false;
      for (const auto& [t, state, ev] : job_states_[job]) {
        if (t < s.arrived)
          continue;
        if (state == "cancelled")
          cancelled = true;
        else
          add(check, Verdict::fail,
              fmt::format("job {} was deleted at {:.3f} s (event {}), yet went {} at {:.3f} s (event {})", job,
                          s.answer_sent, s.response_event, state, t, ev),
              {s.event, s.response_event, ev});
      }
      if (!cancelled)
        add(check, end_ - s.answer_sent > t_notify + t_response ? Verdict::fail : Verdict::inconc,
            fmt::format("job {} was deleted at {:.3f} s (event {}) but never notified as cancelled (run ended at "
                        "{:.3f} s)",
                        job, s.answer_sent, s.response_event, end_),
            {s.event, s.response_event});
    }
  }
  for (const auto& [probe, event] : skipped_) {
    const auto c = check_of_probe().find(probe);
    if (c == check_of_probe().end())
      continue;
    ++observed[c->second];
    add(c->second, Verdict::inconc,
        fmt::format("the {} probe could not be sent (event {}): {}", probe, event, skipped_reason_[probe]), {event});
  }

  results_.clear();
  for (const auto& info : probe_checks()) {
    CheckResult r;
    r.check = info.id;
    r.observed = observed[info.id];
    if (broken_event_ != 0) {
      r.verdict = Verdict::error;
      r.reason = broken_reason_;
      r.events = {broken_event_};
      results_.push_back(std::move(r));
      continue;
    }
    const auto& fs = findings[info.id];
    Verdict worst = Verdict::pass;
    for (const auto& f : fs)
      if (f.verdict != Verdict::pass) {
        ++r.violations;
        worst = worse(worst, f.verdict);
      }
    r.verdict = r.observed == 0 && fs.empty() ? Verdict::none : worst;
    if (worst != Verdict::pass) {
      // The reason is the first finding of the worst kind; the evidence joins every finding of that kind.
      std::set<std::uint64_t> evidence;
      std::size_t alike = 0;
      for (const auto& f : fs) {
        if (f.verdict != worst)
          continue;
        if (alike++ == 0)
          r.reason = f.reason;
        for (const auto ev : f.events)
          if (ev != 0)
            evidence.insert(ev);
      }
      if (alike > 1)
        r.reason += fmt::format(" (and {} more like it)", alike - 1);
      for (const auto ev : evidence) {
        if (r.events.size() == kMaxEvidence)
          break;
        r.events.push_back(ev);
      }
    }
    results_.push_back(std::move(r));
  }
}

std::vector<CheckResult> ProbeOracle::results() const { return results_; }

} // namespace i1sim::conformance::probes
