// The scenario as plain, validated structs with every unit resolved to SI base values (s, B, B/s, flop/s).
#pragma once

#include "util/yaml_node.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace i1sim::scenario {

/// A scenario problem located in its file: what() is "file:line:col: message".
class ScenarioError : public util::LocatedError {
public:
  using util::LocatedError::LocatedError;
};

struct Site {
  std::string name;
  double host_speed = 0;    // flop/s of the management host running the site's daemons
  double lan_bandwidth = 0; // B/s of the site's access link
  double lan_latency = 0;   // s
};

struct HostClass {
  std::string name;
  int count = 0;
  int cores = 0;
  double speed = 0; // flop/s per core
  double ram = 0;   // B
  double disk = 0;  // B
};

struct DataCentre {
  std::string name;
  std::string jurisdiction;    // ISO 3166-1 alpha-2 code of the country whose law applies
  double nic_bandwidth = 0;    // B/s of each host's link to the DC fabric
  double nic_latency = 0;      // s
  double fabric_bandwidth = 0; // B/s of the shared DC backbone every intra-DC transfer crosses
  double fabric_latency = 0;
  double store_bandwidth = 0; // B/s of the image store's link (image transfers to hosts start there)
  std::vector<HostClass> host_classes;
};

struct WanLink {
  std::string a; // site or data-centre name
  std::string b;
  double bandwidth = 0; // B/s
  double latency = 0;   // s
};

struct Platform {
  Site operator_site;
  Site cloud_site;
  std::vector<DataCentre> data_centres;
  std::vector<WanLink> wan;
};

/// What the Cloud BSS/OSS daemon costs per message it handles, on its management host.
struct CloudOss {
  double service_time = 0; // s of CPU per I1 message at the management host's speed
};

struct CloudServiceSpec {
  std::string id;
  std::string name;
  int instances = 1;              // VMs per service instance
  int vcpu = 0;                   // per VM
  double ram = 0;                 // B per VM
  double storage = 0;             // B per VM
  double image_size = 0;          // B transferred from the DC image store to the host before boot
  double boot_work = 0;           // flop executed on the VM to boot it
  double min_core_speed = 0;      // flop/s: a performance requirement the host must meet (0: none)
  double max_activation_time = 0; // s: a performance requirement on order-to-active (0: none)
};

struct Product {
  std::string id;
  std::string name;
  std::vector<std::string> telecom_services; // names only: the telecom part is not carried over I1
  std::vector<std::string> cloud_services;   // ids of CloudServiceSpec
};

struct Catalogue {
  std::vector<CloudServiceSpec> cloud_services;
  std::vector<Product> products;
  const CloudServiceSpec* find_cloud_service(const std::string& id) const;
  const Product* find_product(const std::string& id) const;
};

struct Customers {
  int count = 1;
};

enum class ArrivalProcess { fixed, poisson };

struct ProductShare {
  std::string product;
  double weight = 1;
};

struct Workload {
  int orders = 0;
  ArrivalProcess arrival = ArrivalProcess::poisson;
  double rate = 0;  // orders per second
  double start = 0; // s after the start of the simulation
  std::vector<ProductShare> mix;
};

struct Stop {
  double max_time = 0; // s of simulated time after which the run ends whatever is still in flight
  double drain = 10;   // s the run goes on after the last order is resolved, so messages in flight arrive
};

struct Scenario {
  std::string file; // as given on the command line
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  Platform platform;
  CloudOss cloud_oss;
  Catalogue catalogue;
  Customers customers;
  Workload workload;
  Stop stop;
};

/// Reads and validates a scenario file. Throws ScenarioError (file:line:col) on any problem, never crashes.
Scenario load(const std::string& path);
/// Same, from text already in memory; `path` only names it in errors.
Scenario load_from_string(const std::string& text, const std::string& path);

} // namespace i1sim::scenario
