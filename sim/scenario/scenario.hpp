// The scenario as plain, validated structs with every unit resolved to SI base values (s, B, B/s, flop/s).
#pragma once

#include "util/yaml_node.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
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

/// A share of the customers that belong to one operator (X profile).
struct OperatorShare {
  std::string op;
  double weight = 1;
};

struct Customers {
  int count = 1;
  std::vector<JurisdictionShare> jurisdictions; // empty: every customer allows every data centre's jurisdiction
  std::vector<OperatorShare> operators;         // empty: customer n belongs to operator (n-1) mod |operators|
};

/// fixed: evenly spaced at `rate`. poisson: exponential gaps of mean 1/`rate`. ramp: a Poisson process whose
/// rate grows linearly from `rate` to `ramp_to` over `ramp_over`, then stays. burst: groups of `burst_size`
/// orders arriving together every `burst_every`. trace: replayed from a CSV file (see TraceArrival).
enum class ArrivalProcess { fixed, poisson, ramp, burst, trace };

/// One order of a replayed arrival trace.
struct TraceArrival {
  double at = 0;           // s after the start of the simulation
  std::string product;     // a product id of the catalogue
  int customer = 0;        // customer number from 1; 0: drawn like any other order
  int line = 0;            // the row's line in the CSV file, for messages
};

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
  double rate = 0;  // orders per second (ramp: the rate at `start`; burst: bursts are not rate-driven, 0)
  double start = 0; // s after the start of the simulation
  double ramp_to = 0;   // ramp: orders per second reached after ramp_over
  double ramp_over = 0; // ramp: s
  int burst_size = 0;     // burst: orders per burst
  double burst_every = 0; // burst: s between bursts
  std::string trace_file;            // trace: the CSV file as written in the scenario (relative to it)
  std::vector<TraceArrival> trace;   // trace: the orders, by time; `orders` is their number
  std::vector<ProductShare> mix;     // empty only for a trace, whose rows name their products
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
  // s the run may go on after the last cycle is billed, while the Telecom OSS waits for answers to its requests
  double settle = 3600;
};

/// A deliberately invalid or unusual request the tester sends at `at` to see how the Cloud side answers
/// (conformance probes, judged by the `probe.*` checks). Names as written in a scenario: invalidBody,
/// unknownSpec, unknownCustomer, hubQuery, hubDelete, listServices, alarmList, alarmAck, customerUpdate,
/// retention, unauthenticated (X profile), foreignAccess (X profile, two operators), jobDelete.
struct Probe {
  enum class Kind {
    invalid_body,     // three orders: an unknown field, a missing mandatory field, a wrong type
    unknown_spec,     // an order naming a service specification the catalogue does not have
    unknown_customer, // an order for a customer never created over I1
    hub_query,        // a second subscription, to a second listener, whose query selects some event types
    hub_delete,       // the subscription of the hubQuery probe is deleted
    list_services,    // a customer's services are listed
    alarm_list,       // the operator's alarms are listed, all and by state
    alarm_ack,        // an alarm is acknowledged, then the alarms are listed again
    customer_update,  // a customer's allowed jurisdictions are narrowed, then it orders
    retention,        // a customer's usage is listed back to the start of the run
    unauthenticated,  // orders with no credential and with a credential of no operator
    foreign_access,   // one operator reads, lists, changes and cancels another operator's resources
    job_delete,       // a measurement job is created, then deleted
  };
  Kind kind = Kind::invalid_body;
  double at = 0; // s after the start of the simulation
  int line = 0;  // where it is written, for messages
};

/// The name of a probe kind as written in a scenario ("invalidBody", ...).
std::string_view probe_name(Probe::Kind kind);

/// How the harness's Telecom BSS/OSS behaves beyond ordering.
struct TelecomBehaviour {
  double resend_share = 0;            // share of orders sent twice (same externalId): exercises idempotency
  double cancel_share = 0;            // share of orders cancelled right after they are acknowledged
  double measurement_granularity = 0; // s (900, 1800, 3600 or 86400); 0: no measurement jobs
  double bill_on_demand_at = 0;       // s: when to ask for a bill on demand for every customer; 0: never
  std::vector<Probe> probes;          // by time, in file order at the same time; empty: no probe is sent
};

/// Where an I1 channel fault applies.
enum class ChannelDirection { both, telecom_to_cloud, cloud_to_telecom };

/// One fault on the timeline, injected by the simulator at `at` and, unless `duration` is 0, undone
/// `duration` later. Each injection and each recovery is emitted on the event stream as ground truth.
struct Fault {
  enum class Kind {
    host_crash,    // `host` (a compute host name) goes down; its VMs stop; it comes back after `duration`
    dc_outage,     // every host of `dc` goes down at once
    link_cut,      // the WAN link between `a` and `b` is cut; transfers across it fail
    channel,       // the I1 channel misbehaves: loss, duplication, extra delay, reordering
    cloud_restart, // the Cloud BSS/OSS process stops for `duration` and restarts: volatile state is lost
    clock_skew,    // the Cloud side's clock reads `offset` seconds off the true time
  };
  Kind kind = Kind::host_crash;
  double at = 0;       // s
  double duration = 0; // s; 0: until the end of the run (cloud_restart: the downtime, may be 0)
  int line = 0;        // where the fault is written, for messages
  std::string host;    // host_crash
  std::string dc;      // dc_outage
  std::string a, b;    // link_cut: the two ends, as written under platform.wan
  // channel
  ChannelDirection direction = ChannelDirection::both;
  double loss = 0;      // probability that a frame is lost
  double duplicate = 0; // probability that a frame is delivered twice
  double delay = 0;     // s added to every frame
  double reorder = 0;   // s: every frame is held a further uniform [0, reorder], so frames overtake each other
  // clock_skew
  double offset = 0; // s, may be negative
};

/// One assertion on the results, e.g. `p99(order_to_active) < 120s`.
struct Expectation {
  std::string text;   // as written
  std::string metric; // a metric name, e.g. "orders.failed" or "order_to_active.p99"
  enum class Op { lt, le, eq, ne, ge, gt } op = Op::eq;
  double value = 0; // in the metric's base unit (s for durations)
  int line = 0, column = 0;
  std::string rhs_metric; // the right side when it is another metric of the same kind (then `value` is unused);
                          // empty when it is the constant `value`
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
  std::vector<Fault> timeline; // by time, in file order at the same time
  std::vector<Expectation> expect;
  Billing billing;
  TelecomBehaviour telecom;
  I1Settings i1;
};

/// Every problem found in one scenario, in file order. As a ScenarioError it is the first of them; what()
/// lists them all, one per line.
class ScenarioErrors : public ScenarioError {
public:
  explicit ScenarioErrors(std::vector<util::LocatedError> errors);
  const std::vector<util::LocatedError>& errors() const { return errors_; }
  const char* what() const noexcept override { return text_.c_str(); }

private:
  std::vector<util::LocatedError> errors_;
  std::string text_;
};

/// A `--set path=value` override applied to the scenario before it is checked, e.g.
/// {"workload.arrival.rate", "50/s"}. Paths use the file's keys with [i] for list items.
struct Override {
  std::string path;
  std::string value;
};

/// Reads and validates a scenario file, with overrides applied. Throws ScenarioErrors listing every problem
/// found (file:line:col, or the override's `--set` text), never crashes.
Scenario load(const std::string& path, const std::vector<Override>& overrides = {});
/// Same, from text already in memory; `path` only names it in errors.
Scenario load_from_string(const std::string& text, const std::string& path,
                          const std::vector<Override>& overrides = {});
/// Parses "path=value" as given to --set; throws std::invalid_argument with the reason.
Override parse_override(const std::string& text);

} // namespace i1sim::scenario
