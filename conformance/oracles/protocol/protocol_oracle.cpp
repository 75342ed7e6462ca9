// The protocol oracle: reads the event stream, takes out what the harness did to frames (channel copies, losses,
// reordering, Cloud process stops), and hands the producer's frames to the judges in the order they were sent.
#include "conformance/oracles/protocol/judges.hpp"
#include "util/id_set.hpp"
#include "util/json_dismantle.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <functional>
#include <tuple>

namespace i1sim::conformance {

namespace protocol {
namespace {

using nlohmann::json;

class ProtocolOracle : public Oracle {
public:
  explicit ProtocolOracle(const OracleContext& ctx) {
    shared_.spec = ctx.spec ? ctx.spec : &spec::builtin();
    shared_.scenario = ctx.scenario;
    // The validator's resource keys are the judges' Resource::key, which they intern in names anyway.
    shared_.validator = std::make_unique<i1::Validator>(*shared_.spec, shared_.names);
    if (ctx.timers.count("T_response"))
      shared_.t_response = ctx.timer("T_response");
    if (ctx.timers.count("T_notify"))
      shared_.t_notify = ctx.timer("T_notify");
    if (ctx.scenario)
      for (const auto& s : ctx.scenario->catalogue.cloud_services)
        shared_.known_specs.insert(s.id);
    judges_.push_back(make_message_judge(shared_));
    judges_.push_back(make_notification_judge(shared_));
    judges_.push_back(make_ordering_judge(shared_));
    judges_.push_back(make_machine_judge(shared_));
    judges_.push_back(make_customer_judge(shared_));
  }

  std::vector<CheckInfo> checks() const override { return protocol_checks(); }

  void on_event(const trace::Event& e) override {
    try {
      release(e.t);
      for (auto& j : judges_)
        j->on_raw(e);
      if (e.category == trace::Category::truth)
        truth(e);
      else if (e.category == trace::Category::i1)
        i1(e);
    } catch (const std::exception& ex) {
      if (bad_reason_.empty()) {
        bad_reason_ = fmt::format("event {} could not be read: {}", e.id, ex.what());
        bad_event_ = e.id;
      }
    }
  }

  void finish(double end) override {
    try {
      release(1e300);
      for (auto& [corr, arrivals] : pending_)
        for (const auto& a : arrivals)
          unanswered_.push_back(a);
      std::sort(unanswered_.begin(), unanswered_.end(), [](const Arrival& a, const Arrival& b) { return a.id < b.id; });
      for (auto& j : judges_) {
        for (const auto& a : unanswered_)
          j->on_unanswered(a, end);
        j->finish(end);
      }
    } catch (const std::exception& ex) {
      if (bad_reason_.empty())
        bad_reason_ = fmt::format("the protocol oracle could not finish: {}", ex.what());
    }
  }

  std::vector<CheckResult> results() const override {
    std::vector<CheckResult> out;
    for (const auto& j : judges_)
      j->results(out);
    if (!bad_reason_.empty())
      for (auto& r : out) {
        r.verdict = Verdict::error;
        r.reason = bad_reason_;
        r.events = bad_event_ ? std::vector<std::uint64_t>{bad_event_} : std::vector<std::uint64_t>{};
      }
    return out;
  }

private:
  static double number(const nlohmann::ordered_json& data, const char* key, double fallback = 0) {
    const nlohmann::ordered_json* v = member(data, key);
    return v && v->is_number() ? v->get<double>() : fallback;
  }

  void truth(const trace::Event& e) {
    const nlohmann::ordered_json& d = e.data; // read in place
    if (e.type == "cloud.down")
      shared_.harness.cloud_down(e.t);
    else if (e.type == "cloud.up")
      shared_.harness.cloud_up(e.t);
    else if (e.type == "clock.skew")
      shared_.harness.skew(e.t, number(d, "offset"));
    else if (e.type == "fault.injected" && text(d, "fault") == "channel")
      shared_.harness.channel_fault(number(d, "delay"), number(d, "reorder"));
    else if (e.type == "channel.duplicated")
      shared_.harness.duplicated(text(d, "dir") + "|" + text(d, "kind") + "|" + text(d, "corr"));
    else if (e.type == "channel.lost" && text(d, "dir") == "c2t") {
      const double sent = number(d, "sent", e.t);
      if (first_loss_ < 0)
        first_loss_ = sent;
      if (text(d, "kind") == "notification") {
        const std::string event_id = text(d, "corr");
        if (!delivered_.contains(event_id) && !lost_.count(event_id))
          lost_[event_id] = sent;
      } else if (text(d, "kind") == "response") {
        Frame f;
        f.id = e.id;
        f.t = e.t;
        f.sent = sent;
        f.lost = true;
        f.msg.kind = MessageKind::response;
        f.msg.type = text(d, "name");
        f.msg.correlation_id = text(d, "corr");
        keep(std::move(f));
      }
    }
  }

  void i1(const trace::Event& e) {
    if (e.type == "i1.undeliverable")
      return; // posted to a callback nobody listens on: no consumer saw it, so nothing here judges it
    const nlohmann::ordered_json& d = e.data; // read in place
    const std::string dir = text(d, "dir");
    Message m;
    m.type = text(d, "name");
    m.correlation_id = text(d, "corr");
    if (m.type.empty() || m.correlation_id.empty() || (dir != "c2t" && dir != "t2c"))
      throw std::runtime_error("an i1 event without dir, name or corr");
    if (e.type == "i1.request")
      m.kind = MessageKind::request;
    else if (e.type == "i1.response")
      m.kind = MessageKind::response;
    else if (e.type == "i1.notification")
      m.kind = MessageKind::notification;
    else
      throw std::runtime_error("an i1 event of unknown type " + e.type);
    if (dir == "t2c") {
      if (m.kind == MessageKind::request)
        arrival(e, std::move(m));
      return; // the consumer's answers to notifications are the notification judge's, from on_raw
    }
    const double sent = number(d, "sent", e.t);
    const std::string kind = m.kind == MessageKind::response ? "response" : "notification";
    if (shared_.harness.copies_pending() && shared_.harness.is_copy(dir + "|" + kind + "|" + m.correlation_id, sent))
      return;
    Frame f;
    f.id = e.id;
    f.t = e.t;
    f.sent = sent;
    m.status = static_cast<int>(number(d, "status"));
    m.target = text(d, "target");
    if (const json* body = e.body())
      m.body = *body; // kept in the buffer past the event
    f.msg = std::move(m);
    keep(std::move(f), static_cast<std::size_t>(number(d, "bytes")));
  }

  // A frame waiting for its turn. A month's close sends every bill, every customer's usage listing and every billed
  // usage state within the hold, so past kKeepTreeBytes of waiting wire bytes a frame's body waits packed as
  // MessagePack, about a third of its tree's size, and is unpacked for its judges. The packing keeps every value
  // and its type (the bodies hold no binary values).
  struct Held {
    Frame frame;
    std::vector<std::uint8_t> packed;
    std::size_t tree_bytes = 0; // the wire size of a body kept as a tree
  };
  static constexpr std::size_t kKeepTreeBytes = std::size_t{4} << 20;

  void keep(Frame f, std::size_t wire_bytes = 0) {
    Held h{std::move(f), {}, 0};
    if (h.frame.msg.body.is_structured()) {
      if (tree_bytes_ + wire_bytes > kKeepTreeBytes) {
        h.packed = json::to_msgpack(h.frame.msg.body);
        h.frame.msg.body = nullptr;
      } else {
        h.tree_bytes = wire_bytes;
        tree_bytes_ += wire_bytes;
      }
    }
    const Order key = order_of(h.frame);
    buffer_.emplace(key, std::move(h));
  }

  void arrival(const trace::Event& e, Message m) {
    const nlohmann::ordered_json& d = e.data; // read in place
    Arrival a;
    a.id = e.id;
    a.t = e.t;
    a.name = m.type;
    a.credential = text(d, "credential");
    if (const json* body = e.body())
      m.body = *body; // the validator checks a whole Message
    m.target = text(d, "target");
    a.well_formed = shared_.validator->check(m).empty();
    if (a.name == "createCustomer") {
      a.key = text(m.body, "id");
    } else if (a.name == "createServiceOrder") {
      a.key = text(m.body, "externalId");
      a.customer = customer_of(m.body);
      a.adds_capacity = true;
      const json* items = member(m.body, "serviceOrderItem");
      if (!items || !items->is_array() || items->empty())
        a.adds_capacity = false;
      else
        for (const auto& item : *items) {
          const json* service = member(item, "service");
          std::set<std::string> names;
          if (const json* cs = service ? member(*service, "serviceCharacteristic") : nullptr; cs && cs->is_array())
            for (const auto& c : *cs)
              names.insert(text(c, "name"));
          for (const auto n :
               {characteristic::instances, characteristic::vcpu, characteristic::memory_mib,
                characteristic::storage_mib, characteristic::min_core_speed, characteristic::max_activation})
            if (!names.count(std::string(n)))
              a.adds_capacity = false;
          if (text(item, "action") != "add")
            a.adds_capacity = false;
          if (const json* spec = service ? member(*service, "serviceSpecification") : nullptr)
            a.specs.push_back(text(*spec, "id"));
        }
    } else if (a.name == "createHub") {
      a.callback = text(m.body, "callback");
      a.query = text(m.body, "query");
    } else {
      a.key = last_segment(m.target);
    }
    if (a.name == "createCustomer" || a.name == "createServiceOrder") {
      auto& repeats = a.name == "createCustomer" ? customer_repeats_ : order_repeats_;
      a.repeat = repeats[pair(shared_.names.id(a.credential), shared_.names.id(a.key))]++;
    }
    for (auto& j : judges_)
      j->on_arrival(a);
    pending_[m.correlation_id].push_back(std::move(a));
  }

  // Frames sent at the same instant left in the producer's order, which the channel may have changed: answers
  // before notifications, a creation (201) before a repeat's answer, then by the number in the correlation id
  // (the producer numbers its eventIds as it emits them).
  using Order = std::tuple<double, int, std::uint64_t, std::uint64_t>;
  static Order order_of(const Frame& f) {
    const std::string& corr = f.msg.correlation_id;
    std::uint64_t number = 0;
    for (const char c : corr)
      if (c >= '0' && c <= '9' && number < (std::uint64_t{1} << 59))
        number = number * 10 + static_cast<std::uint64_t>(c - '0');
    const int rank = f.msg.kind == MessageKind::response ? (f.msg.status == 201 ? 0 : 1) : 2;
    return {f.sent, rank, number, f.id};
  }

  // Hands every buffered frame sent long enough before `now` to the judges, in sending order: a frame sent
  // earlier can no longer arrive once the channel's longest hold has passed.
  void release(double now) {
    const double hold = shared_.harness.hold();
    while (!buffer_.empty() && std::get<0>(buffer_.begin()->first) + hold < now) {
      auto node = buffer_.extract(buffer_.begin());
      Held& h = node.mapped();
      tree_bytes_ -= h.tree_bytes;
      if (!h.packed.empty())
        h.frame.msg.body = json::from_msgpack(h.packed);
      judge(h.frame);
      util::dismantle(h.frame.msg.body); // a run judges millions of frames: freed from the leaves up is cheaper
    }
  }

  void judge(const Frame& f) {
    std::optional<Arrival> request;
    if (f.msg.kind == MessageKind::response) {
      const auto it = pending_.find(f.msg.correlation_id);
      if (it != pending_.end() && !it->second.empty()) {
        request = std::move(it->second.front());
        it->second.pop_front();
        if (it->second.empty())
          pending_.erase(it);
      }
    }
    NotificationInfo info;
    const bool notification = f.msg.kind == MessageKind::notification;
    if (notification) {
      const std::string& event_id = f.msg.correlation_id;
      info.first_sent = f.sent;
      if (const auto lost = lost_.find(event_id); lost != lost_.end()) {
        info.repeat = true;
        info.first_sent = std::min(f.sent, lost->second);
        lost_.erase(lost);
      }
      if (!delivered_.insert(event_id)) {
        info.repeat = true;
        info.delivered_before = true;
      }
      for (const auto& [other, when] : lost_)
        if (when <= f.sent)
          info.after_loss = true;
    }
    shared_.resources.clear();
    visit_resources(*shared_.spec, f, [&](const Resource& r) { shared_.resources.push_back(r); });
    shared_.shape.clear();
    shared_.machine.clear();
    shared_.machines_judged = false;
    if (!f.lost) {
      // A notification first delivered after the channel lost it still moves the resource; one delivered before
      // says nothing new.
      bool track = !(notification && info.delivered_before);
      if (track && notification && info.repeat)
        track = !regresses(); // a late first delivery must not take the machines back to an older state
      std::vector<i1::Problem> all = track ? shared_.validator->observe(f.msg) : shared_.validator->check(f.msg);
      if (!all.empty()) {
        const std::size_t shapes = track ? shared_.validator->check(f.msg).size() : all.size();
        shared_.shape.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(shapes));
        shared_.machine.assign(all.begin() + static_cast<std::ptrdiff_t>(shapes), all.end());
      }
      shared_.machines_judged = track && !(notification && (info.after_loss || info.repeat));
      if (!shared_.machines_judged)
        shared_.machine.clear();                     // a change the harness may have hidden the step before of
      if (first_loss_ >= 0 && first_loss_ <= f.sent) // a loss at the same instant may be of that very frame
        std::erase_if(shared_.machine, [](const i1::Problem& p) {
          // The frame that created it may be the one the channel lost.
          return p.message.find("first seen in state") != std::string::npos;
        });
      if (track)
        each_resource(shared_, [&](const Resource& r) {
          if (!r.state.empty())
            fed_[shared_.names.id(r.key)] = shared_.names.id(r.state);
        });
      learn(f, request ? &*request : nullptr);
    }
    for (auto& j : judges_)
      j->on_frame(f, request ? &*request : nullptr, notification ? &info : nullptr);
  }

  bool regresses() const {
    bool back = false;
    each_resource(shared_, [&](const Resource& r) {
      std::uint32_t key = 0;
      if (!shared_.names.find(r.key, key))
        return;
      const std::uint32_t* state = fed_.find(key);
      if (!state)
        return;
      const std::string_view fed = shared_.names.text(*state);
      if (fed != r.state && !shared_.reachable(*r.machine, fed, r.state))
        back = true;
    });
    return back;
  }

  // What the producer's answers teach about who owns what.
  void learn(const Frame& f, const Arrival* request) {
    Registry& reg = shared_.registry;
    StringTable& names = shared_.names;
    const Message& m = f.msg;
    const bool ok = m.status == 200 || m.status == 201;
    if (request && ok && m.type == "createHub") {
      Registry::Hub hub;
      hub.id = text(m.body, "id");
      hub.credential = request->credential;
      hub.query = request->query;
      hub.since = f.sent;
      reg.hubs[request->callback] = hub;
      reg.hub_callback[hub.id] = request->callback;
    } else if (request && m.type == "deleteHub" && m.status == 204) {
      if (const auto it = reg.hub_callback.find(request->key); it != reg.hub_callback.end())
        if (const auto hub = reg.hubs.find(it->second); hub != reg.hubs.end())
          hub->second.deleted = f.sent;
    } else if (request && ok && m.type == "createCustomer") {
      reg.customer_owner.emplace(names.id(request->key), names.id(request->credential));
    } else if (request && ok && m.type == "createServiceOrder") {
      const std::string id = text(m.body, "id");
      if (!id.empty()) {
        const std::uint32_t order = names.id(id);
        reg.order_customer.emplace(order, names.id(request->customer));
        reg.order_owner.emplace(order, names.id(request->credential));
      }
    }
    each_resource(shared_, [&](const Resource& r) {
      if (r.machine->type != "ServiceOrder")
        return;
      const std::optional<std::string_view> owner = shared_.lookup(reg.order_customer, r.id);
      const std::string customer = owner ? std::string(*owner) : customer_of(*r.body);
      if (const json* items = member(*r.body, "serviceOrderItem"); items && items->is_array())
        for (const auto& item : *items)
          if (const json* service = member(item, "service"))
            if (const std::string sid = text(*service, "id"); !sid.empty() && !customer.empty())
              reg.service_customer.emplace(names.id(sid), names.id(customer));
    });
  }

  Shared shared_;
  std::vector<std::unique_ptr<Judge>> judges_;
  std::map<Order, Held> buffer_;
  std::size_t tree_bytes_ = 0;                         // wire bytes of the waiting frames whose bodies are trees
  std::map<std::string, std::deque<Arrival>> pending_; // corr -> requests awaiting an answer
  static std::uint64_t pair(std::uint32_t a, std::uint32_t b) { return (std::uint64_t{a} << 32) | b; }
  // (credential, customer id or externalId) -> how many creations came: one per customer and per order of the run
  FlatMap<std::uint64_t, std::uint32_t> customer_repeats_, order_repeats_;
  std::vector<Arrival> unanswered_;
  util::IdSet delivered_;                     // eventIds of notifications judged
  std::map<std::string, double> lost_;        // eventIds lost and not delivered yet -> when sent
  FlatMap<std::uint32_t, std::uint32_t> fed_; // resource -> the state the validator last took in (ids)
  double first_loss_ = -1;                    // when the channel first lost a producer's frame
  std::string bad_reason_;
  std::uint64_t bad_event_ = 0;
};

} // namespace
} // namespace protocol

std::vector<std::unique_ptr<Oracle>> make_protocol_oracles(const OracleContext& ctx) {
  std::vector<std::unique_ptr<Oracle>> out;
  out.push_back(std::make_unique<protocol::ProtocolOracle>(ctx));
  return out;
}

std::vector<CheckInfo> protocol_checks() {
  std::vector<CheckInfo> all;
  for (auto list : {protocol::message_checks(), protocol::notification_checks(), protocol::ordering_checks(),
                    protocol::machine_checks(), protocol::customer_checks()})
    for (auto& c : list)
      all.push_back(std::move(c));
  return all;
}

} // namespace i1sim::conformance
