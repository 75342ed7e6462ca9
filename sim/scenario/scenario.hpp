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

/// Prices of a cloud service's allocations, in millionths of a minor unit per unit and hour, so that rates
/// such as 0.005 cent per GiB-hour are exact integers.
struct Rates {
  std::int64_t vcpu_hour = 0;        // per vCPU-hour
  std::int64_t ram_gib_hour = 0;     // per GiB-hour of RAM
  std::int64_t storage_gib_hour = 0; // per GiB-hour of storage
};

/// A service level objective and what breaking it costs the provider.
struct Sla {
  std::int64_t availability_millipercent = 0; // e.g. 99500 for 99.5 %; 0: no objective
  int credit_percent = 0;                     // of the service's usage charge in the cycle
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
  Rates rates;
  Sla sla;
};

/// A telecom service the operator sells itself (not carried over I1): its fee per bill cycle, charged in
/// proportion to the part of the cycle the product was active.
struct TelecomServiceSpec {
  std::string id;
  std::int64_t fee = 0; // minor units per full cycle
};

struct Product {
  std::string id;
  std::string name;
  std::vector<std::string> telecom_services; // names only: the telecom part is not carried over I1
  std::vector<std::string> cloud_services;   // ids of CloudServiceSpec
};

struct Catalogue {
  std::vector<TelecomServiceSpec> telecom_services; // empty: telecom services are names without a fee
  std::vector<CloudServiceSpec> cloud_services;
  std::vector<Product> products;
  const CloudServiceSpec* find_cloud_service(const std::string& id) const;
  const Product* find_product(const std::string& id) const;
  const TelecomServiceSpec* find_telecom_service(const std::string& id) const;
};

/// A share of the customers and the jurisdictions they allow their cloud services in.
struct JurisdictionShare {
  std::vector<std::string> allowed; // ISO 3166-1 alpha-2 codes
  double weight = 1;
};

struct Customers {
  int count = 1;
  std::vector<JurisdictionShare> jurisdictions; // empty: every customer allows every data centre's jurisdiction
};

enum class ArrivalProcess { fixed, poisson };

struct ProductShare {
  std::string product;
  double weight = 1;
};

/// A later change of a share of the products: after a delay drawn uniformly in [after_min, after_max] from the
/// moment the product became active.
struct Change {
  double share = 0; // of active products, 0..1
  double after_min = 0;
  double after_max = 0;
  int instances = 0; // modify only: the new number of VMs of the product's first cloud service
};

struct Workload {
  int orders = 0;
  Change modify;    // scale the cloud service (I1 item action modify)
  Change terminate; // end the product (I1 item action delete)
  ArrivalProcess arrival = ArrivalProcess::poisson;
  double rate = 0;  // orders per second
  double start = 0; // s after the start of the simulation
  std::vector<ProductShare> mix;
};

struct Stop {
  double max_time = 0; // s of simulated time after which the run ends whatever is still in flight
  double drain = 10;   // s the run goes on after the last order is resolved, so messages in flight arrive
};

/// Host failures in one data centre: each host fails after an exponential time of mean `mtbf`, stays down an
/// exponential time of mean `repair`, and so on; VMs on a failed host stop running until it is back.
struct HostFailures {
  std::string dc;
  double start = 0;  // s: no failure before this
  double mtbf = 0;   // s
  double repair = 0; // s
};

/// Bill cycles: fixed periods from the start of the run; the run lasts `cycles` of them when set.
struct Billing {
  std::string currency = "EUR"; // ISO 4217
  double cycle = 0;             // s; 0: no billing in this scenario
  int cycles = 0;
};

/// How the harness's Telecom BSS/OSS behaves beyond ordering.
struct TelecomBehaviour {
  double resend_share = 0;            // share of orders sent twice (same externalId): exercises idempotency
  double cancel_share = 0;            // share of orders cancelled right after they are acknowledged
  double measurement_granularity = 0; // s (900, 1800, 3600 or 86400); 0: no measurement jobs
  double bill_on_demand_at = 0;       // s: when to ask for a bill on demand for every customer; 0: never
};

/// The I1 profile and timer values (PIXIT) the run uses.
struct I1Settings {
  std::string profile = "Q";
  std::vector<std::string> operators{"operator"};     // X profile: the operators sharing the Cloud BSS/OSS
  std::vector<std::pair<std::string, double>> timers; // overrides of the specification's defaults, s
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
  std::vector<HostFailures> failures;
  Billing billing;
  TelecomBehaviour telecom;
  I1Settings i1;
};

/// Reads and validates a scenario file. Throws ScenarioError (file:line:col) on any problem, never crashes.
Scenario load(const std::string& path);
/// Same, from text already in memory; `path` only names it in errors.
Scenario load_from_string(const std::string& text, const std::string& path);

} // namespace i1sim::scenario
