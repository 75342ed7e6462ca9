// Mutants of service ordering and activation: state notifications left out or late, idempotency lost, orders
// ended in the wrong state, services reported active too early, machines never destroyed.
#include "cloud/mutants/catalogue.hpp"
#include "cloud/mutants/mutant_base.hpp"

#include <fmt/format.h>
#include <set>

namespace i1sim::cloud::mutant {
namespace {

std::string order_state(const nlohmann::json& envelope) {
  try {
    return envelope.at("event").at("serviceOrder").at("state").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return {};
  }
}

/// Moves every order straight from acknowledged to its end: the inProgress state change is never published
/// (a producer that only publishes "interesting" states).
class NoInProgress : public MutantBase {
public:
  explicit NoInProgress(const CloudSetup& s) : MutantBase("no-in-progress", s) {}

protected:
  void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                             nlohmann::json envelope) override {
    if (type == v1::event::ServiceOrderStateChangeEvent && order_state(envelope) == "inProgress") {
      ack_to_reference(corr);
      return;
    }
    send_notification(callback, type, corr, std::move(envelope));
  }
};

/// Cancels an order without publishing assessingCancellation and pendingCancellation: the consumer sees an
/// in-progress order become cancelled at once.
class CancelSkipsStates : public MutantBase {
public:
  explicit CancelSkipsStates(const CloudSetup& s) : MutantBase("cancel-skips-states", s) {}

protected:
  void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                             nlohmann::json envelope) override {
    const std::string state = order_state(envelope);
    if (type == v1::event::ServiceOrderStateChangeEvent &&
        (state == "assessingCancellation" || state == "pendingCancellation")) {
      ack_to_reference(corr);
      return;
    }
    send_notification(callback, type, corr, std::move(envelope));
  }
};

/// No idempotency check: a repeated externalId (a retry whose answer was lost, a replay) makes a second order
/// and a second service. The consumer still sees its own externalId on both.
class DuplicateOrder : public MutantBase {
public:
  explicit DuplicateOrder(const CloudSetup& s) : MutantBase("duplicate-order", s) {}

protected:
  void incoming_request(const Message& request) override {
    if (request.type == v1::op::createServiceOrder && request.body.is_object() && request.body.contains("externalId") &&
        request.body["externalId"].is_string()) {
      const std::string external = request.body["externalId"].get<std::string>();
      const int n = ++seen_[{request.credential, external}];
      if (n > 1) { // the reference would find the first order: it is shown a key it has never seen
        Message copy = request;
        const std::string altered = fmt::format("{}~repeat{}", external, n);
        copy.body["externalId"] = altered;
        original_[altered] = external;
        pass_request(copy);
        return;
      }
    }
    pass_request(request);
  }
  void outgoing_response(const Message& request, int status, nlohmann::json body) override {
    restore(body);
    send_response(request, status, std::move(body));
  }
  void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                             nlohmann::json envelope) override {
    restore(envelope);
    send_notification(callback, type, corr, std::move(envelope));
  }

private:
  void restore(nlohmann::json& j) const {
    if (j.is_array()) {
      for (auto& e : j)
        restore(e);
    } else if (j.is_object()) {
      for (auto& [key, value] : j.items()) {
        if (key == "externalId" && value.is_string()) {
          if (const auto it = original_.find(value.get<std::string>()); it != original_.end())
            value = it->second;
        } else {
          restore(value);
        }
      }
    }
  }

  std::map<std::pair<std::string, std::string>, int> seen_; // (credential, externalId) -> orders asked
  std::map<std::string, std::string> original_;             // the key shown to the reference -> the consumer's
};

/// Ends an order completed once every item is final, whatever their outcome: failed and partial orders are
/// reported completed (with their errorMessage still naming the failed items).
class CompletedDespiteFailure : public MutantBase {
public:
  explicit CompletedDespiteFailure(const CloudSetup& s) : MutantBase("completed-despite-failure", s) {}

protected:
  void outgoing_response(const Message& request, int status, nlohmann::json body) override {
    if (request.type == v1::op::createServiceOrder || request.type == v1::op::retrieveServiceOrder)
      fix(body);
    send_response(request, status, std::move(body));
  }
  void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                             nlohmann::json envelope) override {
    if (envelope.is_object() && envelope.contains("event") && envelope["event"].contains("serviceOrder"))
      fix(envelope["event"]["serviceOrder"]);
    send_notification(callback, type, corr, std::move(envelope));
  }

private:
  static void fix(nlohmann::json& order) {
    if (order.is_object() && order.contains("state") && (order["state"] == "failed" || order["state"] == "partial"))
      order["state"] = "completed";
  }
};

/// Answers createServiceOrder without the order's href, a mandatory field of ServiceOrder.
class OrderWithoutHref : public MutantBase {
public:
  explicit OrderWithoutHref(const CloudSetup& s) : MutantBase("order-without-href", s) {}

protected:
  void outgoing_response(const Message& request, int status, nlohmann::json body) override {
    if (request.type == v1::op::createServiceOrder && status == 201 && body.is_object())
      body.erase("href");
    send_response(request, status, std::move(body));
  }
};

/// Takes a machine's placement for its boot: the service is reported active (and its item completed) as soon as
/// every machine has a host, while the images are still being copied. The real boot report is then ignored.
class ActiveBeforeBoot : public MutantBase {
public:
  explicit ActiveBeforeBoot(const CloudSetup& s) : MutantBase("active-before-boot", s) {}

protected:
  void incoming_dc_event(const DcEvent& event) override {
    if (event.kind == DcEventKind::vm_booted && early_.erase(event.vm))
      return; // taken as booted already
    if (event.kind == DcEventKind::vm_failed || event.kind == DcEventKind::vm_destroyed)
      early_.erase(event.vm);
    pass_dc_event(event);
    if (event.kind == DcEventKind::vm_placed) {
      early_.insert(event.vm);
      DcEvent booted = event;
      booted.kind = DcEventKind::vm_booted;
      pass_dc_event(booted);
    }
  }

private:
  std::set<VmId> early_;
};

/// Marks a machine destroyed without ever asking its data centre to destroy it: deleted, cancelled and
/// scaled-down services leave their machines running (and holding capacity) in the data centre.
class DestroyNotSent : public MutantBase {
public:
  explicit DestroyNotSent(const CloudSetup& s) : MutantBase("destroy-not-sent", s) {}

protected:
  VmId outgoing_create_vm(const std::string& dc, const VmRequest& request) override {
    const VmId vm = MutantBase::outgoing_create_vm(dc, request);
    owners_[vm] = request.owner;
    return vm;
  }
  void outgoing_destroy_vm(const std::string& dc, VmId vm) override {
    DcEvent gone;
    gone.kind = DcEventKind::vm_destroyed;
    gone.dc = dc;
    gone.vm = vm;
    gone.owner = owners_[vm];
    gone.time = ctx().now();
    feed_dc_event(gone);
  }

private:
  std::map<VmId, std::string> owners_;
};

/// Publishes service state and operating-status changes from a slow outbox: each leaves 3 x T_notify after
/// the change.
class LateServiceEvents : public MutantBase {
public:
  explicit LateServiceEvents(const CloudSetup& s) : MutantBase("late-service-events", s) {}

protected:
  void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                             nlohmann::json envelope) override {
    if (type != v1::event::ServiceStateChangeEvent && type != v1::event::ServiceOperatingStatusChangeEvent) {
      send_notification(callback, type, corr, std::move(envelope));
      return;
    }
    ack_to_reference(corr); // the slow outbox owns it from now on
    const double t_notify = setup().timer("T_notify") > 0 ? setup().timer("T_notify") : 5.0;
    after(3 * t_notify, [this, callback, type, corr, envelope = std::move(envelope)]() mutable {
      send_notification(callback, type, corr, std::move(envelope));
    });
  }
};

} // namespace

std::unique_ptr<CloudIut> make_no_in_progress(const CloudSetup& s) { return std::make_unique<NoInProgress>(s); }
std::unique_ptr<CloudIut> make_cancel_skips_states(const CloudSetup& s) {
  return std::make_unique<CancelSkipsStates>(s);
}
std::unique_ptr<CloudIut> make_duplicate_order(const CloudSetup& s) { return std::make_unique<DuplicateOrder>(s); }
std::unique_ptr<CloudIut> make_completed_despite_failure(const CloudSetup& s) {
  return std::make_unique<CompletedDespiteFailure>(s);
}
std::unique_ptr<CloudIut> make_order_without_href(const CloudSetup& s) { return std::make_unique<OrderWithoutHref>(s); }
std::unique_ptr<CloudIut> make_active_before_boot(const CloudSetup& s) { return std::make_unique<ActiveBeforeBoot>(s); }
std::unique_ptr<CloudIut> make_destroy_not_sent(const CloudSetup& s) { return std::make_unique<DestroyNotSent>(s); }
std::unique_ptr<CloudIut> make_late_service_events(const CloudSetup& s) {
  return std::make_unique<LateServiceEvents>(s);
}

} // namespace i1sim::cloud::mutant
