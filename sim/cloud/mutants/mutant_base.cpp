// The decorator every mutant builds on: relays the reference's calls to the harness through the mutant's hooks.
#include "cloud/mutants/mutant_base.hpp"

#include "util/timestamp.hpp"

#include <cmath>
#include <fmt/format.h>

namespace i1sim::cloud::mutant {

/// The context the reference sees: its outputs go to the mutant's hooks, its timers are renumbered.
class MutantBase::Relay : public CloudContext, public DcControl {
public:
  explicit Relay(MutantBase& owner) : owner_(owner) {}
  double now() const override { return owner_.real_->now(); }
  std::string timestamp() const override { return owner_.real_->timestamp(); }
  void respond(const Message& request, int status, nlohmann::json body) override {
    owner_.learn(body);
    owner_.outgoing_response(request, status, std::move(body));
  }
  void notify(const std::string& callback, std::string_view event_type, std::string correlation_id,
              nlohmann::json envelope) override {
    if (envelope.is_object() && envelope.contains("event"))
      owner_.learn(envelope["event"]);
    owner_.outgoing_notification(callback, std::string(event_type), correlation_id, std::move(envelope));
  }
  DcControl& dc() override { return *this; }
  void set_timer(double delay, std::uint64_t token) override { owner_.real_->set_timer(delay, token * 2); }
  std::vector<DcInfo> data_centres() const override { return owner_.real_->dc().data_centres(); }
  VmId create_vm(const std::string& dc, const VmRequest& request) override {
    return owner_.outgoing_create_vm(dc, request);
  }
  void destroy_vm(const std::string& dc, VmId vm) override { owner_.outgoing_destroy_vm(dc, vm); }

private:
  MutantBase& owner_;
};

MutantBase::MutantBase(std::string name, const CloudSetup& setup)
    : name_(std::move(name))
    , setup_(setup)
    , ref_(setup)
    , relay_(std::make_unique<Relay>(*this)) {}

MutantBase::~MutantBase() = default;

void MutantBase::enter(CloudContext& ctx) {
  real_ = &ctx;
  ++depth_;
}

void MutantBase::leave() {
  if (depth_ == 1) // the outermost call: what was queued for the reference reaches it now, in order
    while (!acks_.empty() || !fed_.empty()) {
      if (!acks_.empty()) {
        Message answer;
        answer.kind = MessageKind::response;
        answer.correlation_id = acks_.front();
        answer.status = 204;
        acks_.pop_front();
        ref_.on_response(*relay_, answer);
      } else {
        const DcEvent event = fed_.front();
        fed_.pop_front();
        ref_.on_dc_event(*relay_, event);
      }
    }
  --depth_;
}

void MutantBase::start(CloudContext& ctx) {
  enter(ctx);
  ref_.start(*relay_);
  leave();
}

void MutantBase::on_request(CloudContext& ctx, const Message& request) {
  enter(ctx);
  incoming_request(request);
  leave();
}

void MutantBase::on_response(CloudContext& ctx, const Message& response) {
  enter(ctx);
  ref_.on_response(*relay_, response); // answers to the mutant's own notifications are unknown to it: ignored
  leave();
}

void MutantBase::on_dc_event(CloudContext& ctx, const DcEvent& event) {
  enter(ctx);
  incoming_dc_event(event);
  leave();
}

void MutantBase::on_timer(CloudContext& ctx, std::uint64_t token) {
  enter(ctx);
  if (token % 2 == 0) {
    ref_.on_timer(*relay_, token / 2);
  } else if (const auto it = timers_.find(token); it != timers_.end()) {
    const auto action = std::move(it->second);
    timers_.erase(it);
    action();
  }
  leave();
}

void MutantBase::restart(CloudContext& ctx) {
  enter(ctx);
  timers_.clear(); // a process that restarts has none of its memory left
  acks_.clear();
  fed_.clear();
  ref_.restart(*relay_);
  restarted();
  leave();
}

void MutantBase::pass_request(const Message& request) { ref_.on_request(*relay_, request); }

void MutantBase::pass_dc_event(const DcEvent& event) { ref_.on_dc_event(*relay_, event); }

void MutantBase::send_response(const Message& request, int status, nlohmann::json body) {
  real_->respond(request, status, std::move(body));
}

void MutantBase::send_notification(const std::string& callback, std::string_view type, const std::string& corr,
                                   nlohmann::json envelope) {
  real_->notify(callback, type, corr, std::move(envelope));
}

VmId MutantBase::outgoing_create_vm(const std::string& dc, const VmRequest& request) {
  return real_->dc().create_vm(dc, request);
}

void MutantBase::outgoing_destroy_vm(const std::string& dc, VmId vm) { real_->dc().destroy_vm(dc, vm); }

void MutantBase::ack_to_reference(const std::string& corr) { acks_.push_back(corr); }

void MutantBase::feed_dc_event(const DcEvent& event) { fed_.push_back(event); }

void MutantBase::after(double delay, std::function<void()> action) {
  const std::uint64_t token = 2 * ++next_timer_ + 1;
  timers_[token] = std::move(action);
  real_->set_timer(delay > 0 ? delay : 0.0, token);
}

std::string MutantBase::fresh_event_id(std::string_view tag) {
  return fmt::format("EV-{}{:06}", tag, ++event_counters_[std::string(tag)]);
}

const CloudServiceOffer* MutantBase::offer(const std::string& id) const {
  for (const auto& o : setup_.offers)
    if (o.id == id)
      return &o;
  return nullptr;
}

std::optional<std::pair<Int128, Int128>> MutantBase::rate(const std::string& service, std::int64_t vcpu_ms,
                                                          std::int64_t ram_mib_ms, std::int64_t storage_mib_ms) const {
  const auto it = services_.find(service);
  const CloudServiceOffer* o = it == services_.end() ? nullptr : offer(it->second.spec_id);
  if (!o && setup_.offers.size() == 1)
    o = &setup_.offers.front();
  if (!o)
    return std::nullopt;
  const Int128 num = static_cast<Int128>(vcpu_ms) * o->vcpu_hour * 1024 +
                     static_cast<Int128>(ram_mib_ms) * o->ram_gib_hour +
                     static_cast<Int128>(storage_mib_ms) * o->storage_gib_hour;
  return std::make_pair(num, static_cast<Int128>(1024) * 3'600'000 * 1'000'000);
}

namespace {

void learn_service(std::map<std::string, ServiceFacts>& book, const nlohmann::json& s) {
  if (!s.is_object() || !s.contains("id") || !s["id"].is_string() || !s.contains("serviceSpecification"))
    return;
  ServiceFacts& f = book[s["id"].get<std::string>()];
  const auto& spec = s["serviceSpecification"];
  if (spec.is_object() && spec.contains("id") && spec["id"].is_string())
    f.spec_id = spec["id"].get<std::string>();
  if (s.contains("state") && s["state"].is_string())
    f.state = s["state"].get<std::string>();
  if (s.contains("relatedParty") && s["relatedParty"].is_array())
    for (const auto& p : s["relatedParty"])
      if (p.is_object() && p.value("role", "") == "customer" && p.contains("id") && p["id"].is_string())
        f.customer = p["id"].get<std::string>();
  if (s.contains("serviceCharacteristic") && s["serviceCharacteristic"].is_array())
    for (const auto& ch : s["serviceCharacteristic"]) {
      if (!ch.is_object() || !ch.contains("value") || !ch["value"].is_number_integer())
        continue;
      const std::string name = ch.value("name", "");
      const auto v = ch["value"].get<std::int64_t>();
      if (name == "instances")
        f.instances = static_cast<int>(v);
      else if (name == "vCPU")
        f.vcpu = v;
      else if (name == "memoryMiB")
        f.ram_mib = v;
      else if (name == "storageMiB")
        f.storage_mib = v;
    }
}

} // namespace

void MutantBase::learn(const nlohmann::json& body) {
  // Services appear alone (inventory), in lists, in events ({"service": ...}) and inside order items.
  auto order = [&](const nlohmann::json& o) {
    if (o.is_object() && o.contains("serviceOrderItem") && o["serviceOrderItem"].is_array())
      for (const auto& item : o["serviceOrderItem"])
        if (item.is_object() && item.contains("service"))
          learn_service(services_, item["service"]);
  };
  auto one = [&](const nlohmann::json& j) {
    learn_service(services_, j);
    order(j);
    if (j.is_object() && j.contains("service"))
      learn_service(services_, j["service"]);
    if (j.is_object() && j.contains("serviceOrder"))
      order(j["serviceOrder"]);
  };
  if (body.is_array())
    for (const auto& j : body)
      one(j);
  else
    one(body);
}

nlohmann::json* usage_of(nlohmann::json& envelope) {
  if (!envelope.is_object() || !envelope.contains("event") || !envelope["event"].is_object() ||
      !envelope["event"].contains("usage"))
    return nullptr;
  return &envelope["event"]["usage"];
}

std::int64_t usage_value(const nlohmann::json& usage, std::string_view name) {
  if (usage.contains("usageCharacteristic"))
    for (const auto& ch : usage["usageCharacteristic"])
      if (ch.value("name", "") == name && ch.contains("value") && ch["value"].is_number_integer())
        return ch["value"].get<std::int64_t>();
  return 0;
}

void set_usage_value(nlohmann::json& usage, std::string_view name, std::int64_t value) {
  if (usage.contains("usageCharacteristic"))
    for (auto& ch : usage["usageCharacteristic"])
      if (ch.value("name", "") == name)
        ch["value"] = value;
}

std::int64_t usage_amount(const nlohmann::json& usage) {
  try {
    return usage.at("ratedProductUsage").at(0).at("taxExcludedRatingAmount").at("value").get<std::int64_t>();
  } catch (const nlohmann::json::exception&) {
    return 0;
  }
}

void set_usage_amount(nlohmann::json& usage, std::int64_t value) {
  if (usage.contains("ratedProductUsage") && usage["ratedProductUsage"].is_array())
    for (auto& r : usage["ratedProductUsage"])
      if (r.contains("taxExcludedRatingAmount"))
        r["taxExcludedRatingAmount"]["value"] = value;
}

std::int64_t ms_of(const nlohmann::json& timestamp) {
  if (!timestamp.is_string())
    return -1;
  const double s = parse_iso_timestamp(timestamp.get<std::string>());
  return s < 0 ? -1 : std::llround(s * 1000.0);
}

} // namespace i1sim::cloud::mutant
