// Judges the hub's notifications: every state change the consumer learns of is notified to each selecting
// subscriber with a unique eventId (notify.complete), in time (notify.timely), in order (notify.ordered), and
// delivered again when a delivery failed (notify.redelivered).
#include "conformance/oracles/protocol/judges.hpp"
#include "util/id_set.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace i1sim::conformance::protocol {

namespace {

using nlohmann::json;

enum NotificationCheck { complete, timely, ordered, redelivered };

// A delivery that failed may be retried with a growing back-off; this many deliveries in all is taken as the
// producer giving up (so the last failure is not judged), and this long after the last failure as "never".
constexpr int kDeliveriesJudged = 8;
constexpr double kMinRedeliveryWait = 60;

// What the first notification with an eventId said (hashed) and its event id.
struct Seen {
  std::size_t content = 0;
  std::uint64_t id = 0;
};

// The eventIds of a run, one per notification. A producer numbers them as it emits them (EV-0000001, EV-0000002,
// ...), so those of the first such form seen are kept in an array indexed by their number, without a key; others
// (and numbers far beyond how many there are, which would claim a large array) are kept by their hash.
class EventIds {
public:
  /// The record of `event_id`, with `seen` stored first if it was new; whether it was new.
  std::pair<Seen*, bool> emplace(const std::string& event_id, const Seen& seen) {
    std::uint64_t number = 0;
    const bool numbered = in_family(event_id, number);
    if (numbered && number < used_.size() && used_[number])
      return {&at(number), false};
    const std::size_t hash = std::hash<std::string>{}(event_id);
    if (!others_.empty())
      if (Seen* other = others_.find(hash))
        return {other, false};
    if (!numbered || number >= 2 * count_ + kSlack)
      return others_.emplace(hash, seen);
    if (number >= used_.size())
      used_.resize(std::max<std::size_t>(number + 1, used_.size() * 2), false);
    while (chunks_.size() <= number / kChunk)
      chunks_.push_back(std::make_unique<Seen[]>(kChunk));
    used_[number] = true;
    ++count_;
    at(number) = seen;
    return {&at(number), true};
  }

private:
  static constexpr std::size_t kChunk = 4096;
  static constexpr std::uint64_t kSlack = std::uint64_t{1} << 16;

  Seen& at(std::uint64_t number) { return chunks_[number / kChunk][number % kChunk]; }

  // Whether `id` is a prefix and at most 9 digits, of the form of the first such id seen (its number in `number`).
  bool in_family(std::string_view id, std::uint64_t& number) {
    util::NumberedId n;
    if (!util::split_numbered_id(id, n))
      return false;
    if (digits_ == 0) {
      prefix_ = std::string(n.prefix);
      digits_ = n.digits;
    }
    if (n.digits != digits_ || n.prefix != prefix_)
      return false; // EV-01 and EV-1 are different ids
    number = n.number;
    return true;
  }

  std::string prefix_;
  std::size_t digits_ = 0; // 0 until the first numbered id
  std::uint64_t count_ = 0;
  std::vector<bool> used_;
  std::vector<std::unique_ptr<Seen[]>> chunks_; // kChunk records each: no array moves or doubles as the run grows
  FlatMap<std::uint64_t, Seen> others_;         // hash of the eventId -> record
};

class NotificationJudge : public Judge {
public:
  explicit NotificationJudge(Shared& shared) : s_(shared) {
    for (const auto& c : notification_checks())
      tallies_.emplace_back(c);
  }

  void on_raw(const trace::Event& e) override {
    if (e.category != trace::Category::i1 && e.type != "channel.lost")
      return;                                 // nothing else tells of deliveries
    const nlohmann::ordered_json& d = e.data; // read in place
    const std::string dir = text(d, "dir");
    if (e.type == "channel.lost") {
      const std::string kind = text(d, "kind");
      const std::string corr = text(d, "corr");
      const double sent = d.contains("sent") && d["sent"].is_number() ? d["sent"].get<double>() : e.t;
      if (dir == "c2t" && kind == "notification") {
        Delivery& del = deliveries_[corr];
        ++del.attempts;
        fail_attempt(del, sent, e.id);
        lost_undelivered_.insert(corr);
      } else if (dir == "t2c" && kind == "response" && s_.spec->notification(text(d, "name"))) {
        if (const auto it = deliveries_.find(corr); it != deliveries_.end())
          fail_attempt(it->second, sent, e.id);
      }
      return;
    }
    if (e.category != trace::Category::i1)
      return;
    const std::string corr = text(d, "corr");
    if (e.type == "i1.notification" && dir == "c2t") {
      Delivery& del = deliveries_[corr];
      ++del.attempts;
      del.last_attempt = d.contains("sent") && d["sent"].is_number() ? d["sent"].get<double>() : e.t;
      del.callback = text(d, "target");
      if (del.ids.size() < 4)
        del.ids.push_back(e.id);
      lost_undelivered_.erase(corr);
    } else if (e.type == "i1.response" && dir == "t2c" && s_.spec->notification(text(d, "name"))) {
      const auto it = deliveries_.find(corr);
      if (it == deliveries_.end())
        return;
      const int status = d.contains("status") && d["status"].is_number() ? d["status"].get<int>() : 0;
      if (status == 204) {
        if (it->second.failed)
          tallies_[redelivered].pass();
        deliveries_.erase(it);
      } else {
        const double sent = d.contains("sent") && d["sent"].is_number() ? d["sent"].get<double>() : e.t;
        fail_attempt(it->second, sent, e.id);
      }
    }
  }

  void on_frame(const Frame& f, const Arrival*, const NotificationInfo* info) override {
    if (f.lost)
      return;
    const bool notification = f.msg.kind == MessageKind::notification;
    const std::string& callback = f.msg.target;
    bool first_resource = true;
    each_resource(s_, [&](const Resource& r) {
      if (notification && first_resource) {
        first_resource = false;
        unique(f, r);
        if (!info->delivered_before)
          on_time(f, r, *info);
        if (!info->repeat)
          in_order(f, r);
      }
      change(f, r, notification, notification ? info->repeat : false, callback, info);
    });
  }

  void finish(double end) override {
    for (const auto& [key, list] : obligations_)
      for (const auto& o : list) {
        const auto hub = s_.registry.hubs.find(o.callback);
        if (hub != s_.registry.hubs.end() && hub->second.deleted >= 0)
          continue;
        if (!lost_undelivered_.empty())
          continue; // a lost notification never delivered again may have been this one
        if (end - o.seen - s_.harness.held(o.seen, end) <= s_.t_notify + s_.harness.hold())
          continue; // the run ended before it was due
        tallies_[complete].fail(fmt::format("{} was seen in state {} at {} (event {}) but no notification of it "
                                            "reached subscriber {} by the end of the run at {}",
                                            key, o.state, fmt_time(o.seen), o.id, o.callback, fmt_time(end)),
                                {o.id});
      }
    for (const auto& [event_id, del] : deliveries_) {
      if (!del.failed || del.attempts >= kDeliveriesJudged)
        continue;
      const auto hub = s_.registry.hubs.find(del.callback);
      if (del.callback.empty() ? any_hub_deleted() : hub != s_.registry.hubs.end() && hub->second.deleted >= 0)
        continue; // deleting the subscription drops what was still waiting
      const double wait =
          std::max(kMinRedeliveryWait, 4 * s_.t_response * std::pow(2.0, del.attempts - 1)) + s_.harness.hold();
      if (end - del.last_attempt - s_.harness.held(del.last_attempt, end) <= wait)
        continue;
      std::vector<std::uint64_t> ids = del.ids;
      ids.push_back(del.failed_id);
      tallies_[redelivered].fail(fmt::format("notification {} failed to be delivered at {} (event {}) after {} "
                                             "attempt(s) and was not delivered again by the end of the run at {}",
                                             event_id, fmt_time(del.last_failed), del.failed_id, del.attempts,
                                             fmt_time(end)),
                                 ids);
    }
  }

  void results(std::vector<CheckResult>& out) const override {
    for (const auto& t : tallies_)
      out.push_back(t.result());
  }

private:
  struct Delivery {
    int attempts = 0;
    bool failed = false;
    double last_attempt = 0;
    double last_failed = 0;
    std::uint64_t failed_id = 0;
    std::string callback;
    std::vector<std::uint64_t> ids;
  };
  struct Obligation {
    std::string state, callback;
    double seen = 0;
    std::uint64_t id = 0;
  };
  // One per (resource, callback) notified: 24 bytes (a 32-byte slot), the state packed with the event id.
  struct Previous {
    double event_time = 0;
    double sent = 0;
    std::uint64_t id_state = 0; // event id << 16 | the state's index in states_
  };
  static constexpr int kStateBits = 16;
  static_assert(sizeof(Previous) == 24, "one is kept per resource and callback notified: keep it packed");
  static void fail_attempt(Delivery& del, double when, std::uint64_t id) {
    del.failed = true;
    del.last_failed = when;
    del.last_attempt = std::max(del.last_attempt, when);
    del.failed_id = id;
  }

  bool any_hub_deleted() const {
    for (const auto& [cb, hub] : s_.registry.hubs)
      if (hub.deleted >= 0)
        return true;
    return false;
  }

  double event_time(const Frame& f) const {
    const std::string et = text(f.msg.body, "eventTime");
    return et.empty() ? -1 : parse_iso_timestamp(et);
  }

  // One eventId, one notification: a redelivery carries the same resource and state.
  void unique(const Frame& f, const Resource& r) {
    const std::size_t content =
        std::hash<std::string>{}(f.msg.type + "|" + r.key + "|" + r.state + "|" + text(f.msg.body, "eventTime"));
    const auto [seen, inserted] = event_ids_.emplace(f.msg.correlation_id, Seen{content, f.id});
    if (!inserted && seen->content != content)
      tallies_[complete].fail(fmt::format("eventId {} of {} (event {}) was already used by another notification "
                                          "(event {})",
                                          f.msg.correlation_id, f.msg.type, f.id, seen->id),
                              {seen->id, f.id});
  }

  void on_time(const Frame& f, const Resource& r, const NotificationInfo& info) {
    const std::string& type = f.msg.type;
    if (type.size() < 16 || type.compare(type.size() - 16, 16, "StateChangeEvent") != 0)
      return;
    const double et = event_time(f);
    if (et < 0)
      return;
    const double sent = info.first_sent;
    double late = 1e300;
    for (const double offset : s_.harness.offsets(sent - s_.t_notify - 60, sent)) {
      const double change = et - offset;
      late = std::min(late, sent - change - s_.harness.held(std::min(change, sent), sent));
    }
    if (late <= s_.t_notify + 1e-3)
      tallies_[timely].pass();
    else
      tallies_[timely].fail(fmt::format("{} {} for {} in state {} (event {}) left at {} for a change at {}, {:.3f} s "
                                        "after it (T_notify {:.3f} s)",
                                        type, f.msg.correlation_id, r.key, r.state, f.id, fmt_time(sent),
                                        fmt_time(sent - late), late, s_.t_notify),
                            {f.id});
  }

  void in_order(const Frame& f, const Resource& r) {
    const double et = event_time(f);
    Previous now{et, f.sent, (f.id << kStateBits) | state_index(s_.names.id(r.state))};
    if (f.id >> (64 - kStateBits) != 0)
      throw std::length_error("an event id too large for the notification judge's records");
    auto [previous, inserted] = previous_.emplace(pair(s_.names.id(r.key), s_.names.id(f.msg.target)), now);
    if (inserted)
      return;
    const Previous before_ids = *previous;
    *previous = now;
    struct {
      std::string_view state;
      double event_time, sent;
      std::uint64_t id;
    } before{s_.names.text(states_[before_ids.id_state & ((1U << kStateBits) - 1)]), before_ids.event_time,
             before_ids.sent, before_ids.id_state >> kStateBits};
    std::string wrong;
    const bool same_clock = s_.harness.offsets(before.sent, f.sent).size() == 1;
    if (same_clock && et >= 0 && before.event_time >= 0 && et + 1e-3 < before.event_time)
      wrong = fmt::format("reports a change at {} before the one at {} it follows", fmt_time(et),
                          fmt_time(before.event_time));
    else if (!r.state.empty() && !before.state.empty() && r.state != before.state &&
             !s_.reachable(*r.machine, before.state, r.state) && s_.reachable(*r.machine, r.state, before.state))
      wrong = fmt::format("reports state {}, which comes before state {} notified earlier", r.state, before.state);
    if (wrong.empty())
      tallies_[ordered].pass();
    else
      tallies_[ordered].fail(fmt::format("{} {} about {} (event {}, sent {}) {} (event {}, sent {})", f.msg.type,
                                         f.msg.correlation_id, r.key, f.id, fmt_time(f.sent), wrong, before.id,
                                         fmt_time(before.sent)),
                             {before.id, f.id});
  }

  // The index of a state (an id of Shared::names) among the few states notified.
  std::uint64_t state_index(std::uint32_t state) {
    const auto it = std::find(states_.begin(), states_.end(), state);
    if (it != states_.end())
      return static_cast<std::uint64_t>(it - states_.begin());
    if (states_.size() == (std::size_t{1} << kStateBits))
      throw std::length_error("too many distinct states for the notification judge's records");
    states_.push_back(state);
    return states_.size() - 1;
  }

  // The notification types that announce a move of `m` into `state` (from `from` when that move is legal).
  std::vector<std::string> announcers(const spec::StateMachine& m, const std::string& from,
                                      const std::string& state) const {
    std::vector<std::string> out;
    const bool legal = !from.empty() && m.allows(from, state);
    for (const auto& t : m.transitions)
      if (t.to == state && (!legal || t.from == from))
        for (const auto& via : t.via)
          if (s_.spec->notification(via) && std::find(out.begin(), out.end(), via) == out.end())
            out.push_back(via);
    return out;
  }

  std::string owner_of(const Resource& r, const std::string& parent_customer) const {
    std::string customer = customer_of(*r.body);
    if (customer.empty())
      customer = parent_customer;
    if (customer.empty()) {
      const json* ref = member(*r.body, r.machine->type == "Alarm" ? "alarmedObject" : "service");
      if (ref)
        if (const std::optional<std::string_view> c = s_.lookup(s_.registry.service_customer, text(*ref, "id")))
          customer = *c;
    }
    const std::optional<std::string_view> owner = s_.lookup(s_.registry.customer_owner, customer);
    return owner ? std::string(*owner) : std::string("?");
  }

  void change(const Frame& f, const Resource& r, bool notification, bool repeat, const std::string& callback,
              const NotificationInfo* info) {
    if (r.machine->type == "ServiceOrder")
      order_customer_ = customer_of(*r.body);
    if (r.state.empty())
      return;
    const std::uint32_t key = s_.names.id(r.key), state = s_.names.id(r.state);
    Known& known = known_[key];
    if (notification) {
      const std::uint64_t sent_to = pair(s_.names.id(callback), state);
      const std::uint32_t sent_id = *pair_ids_.emplace(sent_to, static_cast<std::uint32_t>(pair_ids_.size())).first;
      if (!notified_.find(known.notified, [&](std::uint32_t p) { return p == sent_id; }))
        notified_.push(known.notified, sent_id);
      resolve(f, r, callback, info);
    }
    if (repeat)
      return;
    const bool first = known.last_seen == kNotSeen;
    if (!first && known.last_seen == state)
      return;
    const std::string from = first ? std::string() : std::string(s_.names.text(known.last_seen));
    known.last_seen = state;
    const std::uint32_t notified = known.notified; // the list of (callback, state) already notified
    if (first && !notification)
      return; // created by the consumer's own request, or first read: not a change it must have been told of
    std::vector<std::string> types = announcers(*r.machine, from, r.state);
    if (first && std::find(types.begin(), types.end(), f.msg.type) == types.end())
      types.push_back(f.msg.type);
    if (types.empty())
      return;
    const std::string owner = owner_of(r, r.machine->type == "ServiceOrderItem" ? order_customer_ : "");
    for (const auto& [cb, hub] : s_.registry.hubs) {
      if (hub.since > f.sent || (hub.deleted >= 0 && hub.deleted <= f.sent))
        continue;
      if (owner != "?" && hub.credential != owner)
        continue;
      bool selected = false;
      for (const auto& t : types)
        selected = selected || s_.registry.selects(hub, t);
      if (!selected)
        continue;
      if (notified_to(notified, cb, state)) {
        tallies_[complete].pass();
        continue;
      }
      obligations_[r.key].push_back(Obligation{r.state, cb, f.sent, f.id});
    }
  }

  // Whether the list at `notified` holds (callback, state). A pair never notified to anyone has no id yet.
  bool notified_to(std::uint32_t notified, const std::string& callback, std::uint32_t state) const {
    std::uint32_t cb_id = 0;
    if (!s_.names.find(callback, cb_id))
      return false;
    const std::uint32_t* wanted = pair_ids_.find(pair(cb_id, state));
    return wanted && notified_.find(notified, [&](std::uint32_t p) { return p == *wanted; });
  }

  // A notification of `r` in its state to `callback` settles what was waiting for it.
  void resolve(const Frame& f, const Resource& r, const std::string& callback, const NotificationInfo* info) {
    const auto it = obligations_.find(r.key);
    if (it == obligations_.end())
      return;
    auto& list = it->second;
    for (auto o = list.begin(); o != list.end();) {
      if (o->callback != callback || o->state != r.state) {
        ++o;
        continue;
      }
      tallies_[complete].pass();
      const double sent = info ? info->first_sent : f.sent;
      const double late = sent - o->seen - s_.harness.held(o->seen, sent);
      if (late > s_.t_notify + 1e-3)
        tallies_[timely].fail(fmt::format("{} was seen in state {} at {} (event {}) but notified to {} only at {} "
                                          "(event {}), {:.3f} s later (T_notify {:.3f} s)",
                                          r.key, r.state, fmt_time(o->seen), o->id, callback, fmt_time(sent), f.id,
                                          late, s_.t_notify),
                              {o->id, f.id});
      o = list.erase(o);
    }
    if (list.empty())
      obligations_.erase(it);
  }

  Shared& s_;
  std::vector<Tally> tallies_;
  std::map<std::string, Delivery> deliveries_; // eventId -> deliveries not yet answered 204
  std::set<std::string> lost_undelivered_;
  EventIds event_ids_;
  static std::uint64_t pair(std::uint32_t a, std::uint32_t b) { return (std::uint64_t{a} << 32) | b; }

  // What is known of each resource with a state (ids of Shared::names): one entry per resource of the run.
  static constexpr std::uint32_t kNotSeen = std::numeric_limits<std::uint32_t>::max();
  struct Known {
    std::uint32_t last_seen = kNotSeen;                     // the last state seen anywhere
    std::uint32_t notified = ListPool<std::uint32_t>::kNil; // its list of (callback, state) notified
  };
  FlatMap<std::uint64_t, Previous> previous_; // (resource, callback) -> last notification
  std::vector<std::uint32_t> states_;         // the states of Previous::id_state (ids of Shared::names)
  FlatMap<std::uint32_t, Known> known_;       // resource -> what is known of it
  // The (callback, state) pairs notified are few (callbacks times states) but listed once per resource: the lists
  // hold a small id of each pair (8 bytes a node instead of 16).
  FlatMap<std::uint64_t, std::uint32_t> pair_ids_;             // pair(callback, state) -> its id in the lists
  ListPool<std::uint32_t> notified_;                           // the lists of Known::notified
  std::map<std::string, std::vector<Obligation>> obligations_; // resource -> changes awaiting notification
  std::string order_customer_;
};

} // namespace

std::unique_ptr<Judge> make_notification_judge(Shared& shared) { return std::make_unique<NotificationJudge>(shared); }

std::vector<CheckInfo> notification_checks() {
  return {
      {"notify.complete",
       {"I1-HUB-003"},
       "ensure that every state change the consumer learns of was notified to each subscriber, with a unique eventId"},
      {"notify.timely",
       {"I1-HUB-003"},
       "ensure that each state-change notification is sent within T_notify of the change"},
      {"notify.ordered",
       {"I1-HUB-004"},
       "ensure that notifications about one resource arrive in the order of the changes (channel reordering excepted)"},
      {"notify.redelivered",
       {"I1-HUB-006"},
       "ensure that a notification not answered 204 (or lost) is delivered again with the same eventId"},
  };
}

} // namespace i1sim::conformance::protocol
