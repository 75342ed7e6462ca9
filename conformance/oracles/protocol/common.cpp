// The protocol oracle's shared pieces: tallies, the harness's faults, the registry and body readers.
#include "conformance/oracles/protocol/judges.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <fmt/format.h>

namespace i1sim::conformance::protocol {

using nlohmann::json;

namespace {
// Bounds the evidence kept while a run goes on; result() keeps the first kMaxEvidence.
constexpr std::size_t kEvidenceKept = 4 * kMaxEvidence;
} // namespace

void Tally::fail(const std::string& why, const std::vector<std::uint64_t>& ids) {
  ++observed_;
  ++violations_;
  if (verdict_ != Verdict::error)
    verdict_ = Verdict::fail;
  if (reason_.empty())
    reason_ = why;
  for (const auto id : ids)
    if (events_.size() < kEvidenceKept)
      events_.push_back(id);
}

void Tally::error(const std::string& why, std::uint64_t id) {
  if (verdict_ != Verdict::error)
    reason_ = why;
  verdict_ = Verdict::error;
  if (events_.size() < kEvidenceKept)
    events_.push_back(id);
}

CheckResult Tally::result() const {
  CheckResult r;
  r.check = info_.id;
  r.observed = observed_;
  r.violations = violations_;
  r.verdict = verdict_ == Verdict::none && observed_ > 0 ? Verdict::pass : verdict_;
  if (r.verdict != Verdict::pass) {
    r.reason = reason_;
    if (violations_ > 1)
      r.reason += fmt::format(" ({} violations in all)", violations_);
    if (r.verdict == Verdict::none)
      r.reason = "never applied in this run";
  }
  r.events = events_;
  std::sort(r.events.begin(), r.events.end());
  r.events.erase(std::unique(r.events.begin(), r.events.end()), r.events.end());
  if (r.events.size() > kMaxEvidence)
    r.events.resize(kMaxEvidence);
  return r;
}

void Harness::cloud_up(double t) {
  for (auto& w : down_)
    if (w.second < 0)
      w.second = t;
}

void Harness::channel_fault(double delay, double reorder) {
  hold_ = std::max(hold_, 1.0 + std::max(0.0, delay) + std::max(0.0, reorder));
}

double Harness::held(double a, double b) const {
  double total = 0;
  for (const auto& [from, to] : down_) {
    const double end = to < 0 ? b : std::min(to, b);
    const double start = std::max(from, a);
    if (end > start)
      total += end - start;
  }
  return total;
}

bool Harness::down_during(double a, double b) const {
  for (const auto& [from, to] : down_)
    if (from <= b && (to < 0 || to >= a))
      return true;
  return false;
}

std::vector<double> Harness::offsets(double a, double b) const {
  double at_a = 0;
  std::vector<double> out;
  for (const auto& [t, offset] : skew_) {
    if (t <= a)
      at_a = offset;
    else if (t <= b)
      out.push_back(offset);
  }
  out.push_back(at_a);
  return out;
}

bool Harness::is_copy(const std::string& key, double sent) {
  const auto it = copies_.find(key);
  if (it == copies_.end())
    return false;
  Copies& c = it->second;
  for (const double s : c.seen)
    if (s == sent) {
      if (--c.expected <= 0)
        copies_.erase(it);
      return true;
    }
  c.seen.push_back(sent);
  return false;
}

bool Registry::selects(const Hub& hub, const std::string& event_type) const {
  const std::string prefix = "eventType=";
  if (hub.query.empty())
    return true;
  if (hub.query.rfind(prefix, 0) != 0)
    return true; // a query this oracle cannot read selects everything, so nothing is wrongly excused
  std::string list = hub.query.substr(prefix.size());
  std::size_t at = 0;
  while (at <= list.size()) {
    const std::size_t comma = list.find(',', at);
    const std::string item = list.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
    if (item == event_type)
      return true;
    if (comma == std::string::npos)
      break;
    at = comma + 1;
  }
  return false;
}

const json* member(const json& j, const char* key) {
  if (!j.is_object())
    return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::string text(const json& j, const char* key) {
  const json* v = member(j, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

const nlohmann::ordered_json* member(const nlohmann::ordered_json& j, const char* key) {
  if (!j.is_object())
    return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::string text(const nlohmann::ordered_json& j, const char* key) {
  const nlohmann::ordered_json* v = member(j, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::string customer_of(const json& resource) {
  const json* parties = member(resource, "relatedParty");
  if (!parties || !parties->is_array())
    return {};
  for (const auto& p : *parties)
    if (text(p, "role") == "customer")
      return text(p, "id");
  return {};
}

std::string last_segment(const std::string& target) {
  std::string path = target.substr(0, target.find('?'));
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string fmt_time(double t) { return fmt::format("{:.3f} s", t); }

bool Shared::reachable(const spec::StateMachine& m, std::string_view from, std::string_view to) const {
  std::set<std::string> seen{std::string(from)};
  std::deque<std::string> queue{std::string(from)};
  while (!queue.empty()) {
    const std::string at = queue.front();
    queue.pop_front();
    if (at == to)
      return true;
    for (const auto& t : m.transitions)
      if (t.from == at && seen.insert(t.to).second)
        queue.push_back(t.to);
  }
  return false;
}

namespace {

const spec::StateMachine* machine_of(const spec::Spec& spec, const std::string& type) {
  for (const auto& m : spec.machines)
    if (m.type == type)
      return &m;
  return nullptr;
}

void visit(const spec::Spec& spec, const json& v, const std::string& type,
           const std::function<void(const Resource&)>& fn) {
  if (!v.is_object())
    return;
  if (type == "CustomerBillOnDemand") {
    if (const json* bill = member(v, "customerBill"))
      visit(spec, *bill, "CustomerBill", fn);
    return;
  }
  const spec::StateMachine* m = machine_of(spec, type);
  if (!m)
    return;
  const std::string id = text(v, "id");
  const std::string state = text(v, m->field.c_str());
  if (id.empty())
    return;
  fn(Resource{m, m->name + "/" + id, id, state, &v});
  if (type != "ServiceOrder")
    return;
  const spec::StateMachine* item_machine = machine_of(spec, "ServiceOrderItem");
  const json* items = member(v, "serviceOrderItem");
  if (!item_machine || !items || !items->is_array())
    return;
  for (const auto& item : *items) {
    const std::string item_id = text(item, "id");
    if (item_id.empty())
      continue;
    fn(Resource{item_machine, item_machine->name + "/" + id + "/" + item_id, item_id, text(item, "state"), &item});
  }
}

} // namespace

void visit_resources(const spec::Spec& spec, const Frame& frame, const std::function<void(const Resource&)>& fn) {
  if (frame.lost)
    return;
  const Message& m = frame.msg;
  if (m.kind == MessageKind::notification) {
    const spec::Notification* n = spec.notification(m.type);
    const json* event = member(m.body, "event");
    if (!n || !event)
      return;
    if (const json* r = member(*event, n->key.c_str()))
      visit(spec, *r, n->resource, fn);
    return;
  }
  const spec::Operation* op = spec.operation(m.type);
  if (!op)
    return;
  const spec::Response* r = op->response(m.status);
  if (!r || !r->body || r->body->kind != spec::TypeRef::Kind::structure)
    return;
  if (r->body->array) {
    if (m.body.is_array())
      for (const auto& item : m.body)
        visit(spec, item, r->body->name, fn);
    return;
  }
  visit(spec, m.body, r->body->name, fn);
}

} // namespace i1sim::conformance::protocol
