// The reference Cloud BSS/OSS: the implementation i1sim ships as the model answer (selected by --iut ref).
#pragma once

#include "i1sim/iut.hpp"

#include <map>
#include <string>
#include <vector>

namespace i1sim::cloud {

class ReferenceCloud : public CloudIut {
public:
  explicit ReferenceCloud(CloudSetup setup) : setup_(std::move(setup)) {}
  std::string name() const override { return "ref"; }
  void on_request(CloudContext& ctx, const Message& request) override;
  void on_dc_event(CloudContext& ctx, const DcEvent& event) override;

private:
  struct Requirements {
    int instances = 0;
    int vcpu = 0;
    double ram = 0;
    double storage = 0;
    double min_core_speed = 0;
  };
  struct Service {
    std::string id;
    std::string order_id;
    std::size_t item = 0; // index in the order's items
    std::string state;    // TMF638 service state
    const CloudServiceOffer* offer = nullptr;
    Requirements req;
    nlohmann::json characteristics; // as ordered
    nlohmann::json related_party;
    std::vector<VmId> vms;
    std::map<VmId, std::string> vm_dc;
    std::map<VmId, std::string> vm_host;
    std::size_t booted = 0;
    bool failed = false;
  };
  struct Item {
    std::string id;
    std::string state; // TMF641 order item state
    std::string service_id;
  };
  struct Order {
    std::string id;
    std::string external_id;
    std::string state;
    std::string order_date;
    std::string completion_date;
    nlohmann::json related_party;
    std::vector<Item> items;
    nlohmann::json errors = nlohmann::json::array(); // TMF641 errorMessage[]: why items failed
  };

  void create_hub(CloudContext& ctx, const Message& request);
  void create_order(CloudContext& ctx, const Message& request);
  /// Checks a ServiceOrder_Create body; returns the first problem, or an empty string.
  std::string check_order(const nlohmann::json& body, std::vector<Requirements>& reqs,
                          std::vector<const CloudServiceOffer*>& offers) const;
  void start_service(CloudContext& ctx, Service& svc);
  void service_failed(CloudContext& ctx, Service& svc, const std::string& reason);
  void item_done(CloudContext& ctx, Order& order);
  void set_service_state(CloudContext& ctx, Service& svc, const std::string& state);
  void set_order_state(CloudContext& ctx, Order& order, const std::string& state);
  nlohmann::json order_json(const Order& order) const;
  nlohmann::json service_json(const Service& svc) const;
  void publish(CloudContext& ctx, std::string_view event_type, nlohmann::json event);
  const CloudServiceOffer* offer(const std::string& id) const;

  CloudSetup setup_;
  std::map<std::string, nlohmann::json> hubs_; // id -> subscription {id, callback, query}
  std::map<std::string, Order> orders_;
  std::map<std::string, Service> services_;
  std::map<VmId, std::string> vm_owner_;
  std::uint64_t next_order_ = 0, next_service_ = 0, next_event_ = 0, next_hub_ = 0;
};

} // namespace i1sim::cloud
