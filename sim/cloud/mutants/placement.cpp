// Mutants of placement, inventory and operator isolation: jurisdictions ignored, the wrong data centre
// reported, terminated services left out of listings, events of one operator's customers posted to another
// operator.
#include "cloud/mutants/catalogue.hpp"
#include "cloud/mutants/mutant_base.hpp"

#include <algorithm>
#include <set>

namespace i1sim::cloud::mutant {
namespace {

std::string last_segment(const std::string& target) {
  const std::string path = target.substr(0, target.find('?'));
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// Stores each customer's allowed jurisdictions but places as if every jurisdiction it has a data centre in were
/// allowed: services go to the data centre with the most free cores, lawful or not. An item's own narrowing
/// (its allowedJurisdiction characteristic) is still honoured.
class IgnoresJurisdiction : public MutantBase {
public:
  explicit IgnoresJurisdiction(const CloudSetup& s) : MutantBase("ignores-jurisdiction", s) {}

protected:
  void incoming_request(const Message& request) override {
    const bool create = request.type == v1::op::createCustomer;
    if ((create || request.type == v1::op::patchCustomer) && request.body.is_object() &&
        request.body.contains("allowedJurisdiction") && request.body["allowedJurisdiction"].is_array()) {
      const std::string id = create ? request.body.value("id", std::string()) : last_segment(request.target);
      const std::string key = request.credential + "/" + id;
      if (!create || !original_.count(key)) // a repeated creation returns the customer as first created
        original_[key] = request.body["allowedJurisdiction"];
      Message copy = request;
      nlohmann::json everywhere = request.body["allowedJurisdiction"];
      for (const auto& dc : ctx().dc().data_centres())
        if (std::find(everywhere.begin(), everywhere.end(), dc.jurisdiction) == everywhere.end())
          everywhere.push_back(dc.jurisdiction);
      copy.body["allowedJurisdiction"] = everywhere;
      pass_request(copy);
      return;
    }
    pass_request(request);
  }
  void outgoing_response(const Message& request, int status, nlohmann::json body) override {
    if ((request.type == v1::op::createCustomer || request.type == v1::op::patchCustomer) && body.is_object() &&
        body.contains("id") && body["id"].is_string()) {
      const auto it = original_.find(request.credential + "/" + body["id"].get<std::string>());
      if (it != original_.end())
        body["allowedJurisdiction"] = it->second; // what it stored is shown, not what it places by
    }
    send_response(request, status, std::move(body));
  }

private:
  std::map<std::string, nlohmann::json> original_; // credential/customer -> allowed jurisdictions as given
};

/// Reports the provider's first data centre as the place of every placed service, wherever its machines run.
class WrongPlace : public MutantBase {
public:
  explicit WrongPlace(const CloudSetup& s) : MutantBase("wrong-place", s) {}

protected:
  void outgoing_response(const Message& request, int status, nlohmann::json body) override {
    if (request.type == v1::op::retrieveService)
      fix(body);
    else if (request.type == v1::op::listService && body.is_array())
      for (auto& s : body)
        fix(s);
    send_response(request, status, std::move(body));
  }
  void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                             nlohmann::json envelope) override {
    if (envelope.is_object() && envelope.contains("event") && envelope["event"].contains("service"))
      fix(envelope["event"]["service"]);
    send_notification(callback, type, corr, std::move(envelope));
  }

private:
  void fix(nlohmann::json& service) {
    if (!service.is_object() || !service.contains("place") || !service["place"].is_array() || service["place"].empty())
      return;
    const auto dcs = ctx().dc().data_centres();
    if (dcs.empty())
      return;
    service["place"] = nlohmann::json::array(
        {{{"id", dcs.front().name}, {"role", "dataCentre"}, {"jurisdiction", dcs.front().jurisdiction}}});
  }
};

/// Serves service listings from a view of live services only: a terminated service drops out of every list, though
/// it can still be read by id and its notifications are right. The Telecom side's inventory audit, which expects
/// each terminated product's services listed as terminated, and a listServices probe after a termination show it.
class ListHidesTerminated : public MutantBase {
public:
  explicit ListHidesTerminated(const CloudSetup& s) : MutantBase("list-hides-terminated", s) {}

protected:
  void outgoing_response(const Message& request, int status, nlohmann::json body) override {
    if (request.type == v1::op::listService && body.is_array()) {
      nlohmann::json live = nlohmann::json::array();
      for (auto& s : body)
        if (!s.is_object() || s.value("state", std::string()) != "terminated")
          live.push_back(std::move(s));
      body = std::move(live);
    }
    send_response(request, status, std::move(body));
  }
};

/// Posts every event to every subscription, whichever operator it belongs to (X profile): one operator's
/// listener hears about the other operator's customers, orders, usage and bills.
class ForeignNotifications : public MutantBase {
public:
  explicit ForeignNotifications(const CloudSetup& s) : MutantBase("foreign-notifications", s) {}

protected:
  void outgoing_response(const Message& request, int status, nlohmann::json body) override {
    if (request.type == v1::op::createHub && status == 201 && body.is_object() && body.contains("id") &&
        body.contains("callback"))
      hubs_[body["id"].get<std::string>()] = Hub{operator_of(request.credential), body["callback"].get<std::string>()};
    else if (request.type == v1::op::deleteHub && status == 204)
      hubs_.erase(last_segment(request.target));
    send_response(request, status, std::move(body));
  }
  void outgoing_notification(const std::string& callback, const std::string& type, const std::string& corr,
                             nlohmann::json envelope) override {
    const bool first = sent_.insert(corr).second;
    std::string owner;
    for (const auto& [id, hub] : hubs_)
      if (hub.callback == callback)
        owner = hub.op;
    std::set<std::string> others;
    for (const auto& [id, hub] : hubs_)
      if (hub.op != owner && hub.callback != callback)
        others.insert(hub.callback);
    const nlohmann::json copy = envelope;
    send_notification(callback, type, corr, std::move(envelope));
    if (!first || owner.empty())
      return;
    for (const auto& other : others) {
      nlohmann::json leaked = copy;
      const std::string id = fresh_event_id("L");
      leaked["eventId"] = id;
      send_notification(other, type, id, std::move(leaked));
    }
  }

private:
  struct Hub {
    std::string op, callback;
  };
  std::string operator_of(const std::string& credential) const {
    const auto it = setup().operators.find(credential);
    return it == setup().operators.end() ? credential : it->second;
  }
  std::map<std::string, Hub> hubs_; // by subscription id
  std::set<std::string> sent_;      // event ids posted at least once
};

} // namespace

std::unique_ptr<CloudIut> make_ignores_jurisdiction(const CloudSetup& s) {
  return std::make_unique<IgnoresJurisdiction>(s);
}
std::unique_ptr<CloudIut> make_wrong_place(const CloudSetup& s) { return std::make_unique<WrongPlace>(s); }
std::unique_ptr<CloudIut> make_list_hides_terminated(const CloudSetup& s) {
  return std::make_unique<ListHidesTerminated>(s);
}
std::unique_ptr<CloudIut> make_foreign_notifications(const CloudSetup& s) {
  return std::make_unique<ForeignNotifications>(s);
}

} // namespace i1sim::cloud::mutant
