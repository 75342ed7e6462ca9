// Broken scenarios, one edit of a shipped file each: every problem is reported at its own file:line:col, named by
// its key path, all of them in file order, and no input crashes the loader.
#include "scenario/scenario.hpp"
#include "support/text_edit.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <ostream>
#include <string>
#include <vector>

namespace i1sim::scenario::scenario_errors_test {
namespace {

namespace fs = std::filesystem;
using test::line_of;
using test::read_file;
using test::replace_once;
using ::testing::EndsWith;
using ::testing::HasSubstr;

// Where a test's input says an error must point: the character right after a '@' it wrote into the text. No
// shipped scenario holds a '@' (YAML reserves it), so a marker can never be confused with content.
constexpr char kMarker = '@';

struct Place {
  int line = 0;
  int column = 0;
};

bool operator==(const Place& a, const Place& b) { return a.line == b.line && a.column == b.column; }

std::ostream& operator<<(std::ostream& os, const Place& p) { return os << p.line << ":" << p.column; }

// `marked` without its markers, and where each marker was in the text that remains (1-based, as editors count).
struct Marked {
  std::string text;
  std::vector<Place> places;
};

Marked strip_markers(const std::string& marked) {
  Marked out;
  int line = 1, column = 1;
  for (char c : marked) {
    if (c == kMarker) {
      out.places.push_back({line, column});
      continue;
    }
    out.text += c;
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return out;
}

// The top-level `expect:` section of `text` removed, if it has one: the cases write their own expectations, and a
// second `expect:` key would be an error of its own.
std::string without_expect(const std::string& text) {
  const auto at = text.find("\nexpect:");
  if (at == std::string::npos)
    return text;
  std::size_t end = text.find('\n', at + 1);
  while (end != std::string::npos && end + 1 < text.size() &&
         (text[end + 1] == ' ' || text[end + 1] == '\n' || text[end + 1] == '#'))
    end = text.find('\n', end + 1);
  return text.substr(0, at + 1) + (end == std::string::npos ? "" : text.substr(end + 1));
}

// A shipped scenario, without its expectations.
std::string shipped(const std::string& name) {
  const std::string text = read_file(I1SIM_SOURCE_DIR "/scenarios/" + name + ".yaml");
  EXPECT_FALSE(text.empty()) << name << " could not be read";
  EXPECT_EQ(text.find(kMarker), std::string::npos) << name << " holds a '" << kMarker << "'";
  return without_expect(text);
}

// What loading gave: the scenario, or the errors it reported, or (a bug) anything else it threw.
struct Outcome {
  bool loaded = false;
  std::vector<util::LocatedError> errors;
  std::string what;  // ScenarioErrors::what()
  std::string other; // an exception that is not a ScenarioErrors
};

Outcome load_text(const std::string& text, const std::string& file = "broken.yaml") {
  Outcome o;
  try {
    load_from_string(text, file);
    o.loaded = true;
  } catch (const ScenarioErrors& e) {
    o.errors = e.errors();
    o.what = e.what();
  } catch (const std::exception& e) {
    o.other = std::string("not a ScenarioErrors: ") + e.what();
  }
  return o;
}

// The message names `path` as the README writes it: "key.path: message" (an unknown key may be named as its own
// path or as its mapping's, followed by the key).
bool names_path(const std::string& message, const std::string& path) {
  if (path.empty())
    return true;
  if (message.compare(0, path.size(), path) != 0 || message.size() == path.size())
    return false;
  const char next = message[path.size()];
  return next == ':' || next == '.' || next == '[';
}

std::string listing(const Outcome& o) {
  if (!o.other.empty())
    return o.other;
  return o.loaded ? std::string("(it loaded)") : o.what;
}

// One broken scenario: `from` in the shipped file `base` becomes `to`, whose '@' marks where the one error must
// point; the error's message must name `path` and contain `word` (a name in quotes, as the README's examples do).
struct BrokenCase {
  const char* name;
  const char* base;
  const char* from;
  const char* to;
  const char* path;
  const char* word;
};

void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.name; }

// Appends `items` (with its '@') as the scenario's timeline; activation-basic ends at 2h.
#define A_TIMELINE(items) "stop:\n  max_time: 2h\ntimeline:\n" items
#define A_EXPECT(items) "stop:\n  max_time: 2h\nexpect:\n" items

const BrokenCase kBroken[] = {
    // Unknown keys, at every level.
    {"UnknownTopLevelKey", "activation-basic", "seed: 1\n", "seed: 1\n@colour: blue\n", "", "'colour'"},
    {"UnknownPlatformKey", "activation-basic", "  wan:\n", "  @gateway: cloud\n  wan:\n", "platform", "'gateway'"},
    {"UnknownSiteKey", "activation-basic", "{name: operator,", "{name: operator, @rack: 7,", "platform.operator_site",
     "'rack'"},
    {"UnknownDataCentreKey", "activation-basic", "      jurisdiction: FR\n", "      jurisdiction: FR\n      @tier: 3\n",
     "platform.data_centres[0]", "'tier'"},
    {"UnknownNetworkKey", "activation-basic", "store_bandwidth: 20Gbps}", "store_bandwidth: 20Gbps, @jitter: 1ms}",
     "platform.data_centres[0].network", "'jitter'"},
    {"UnknownHostClassKey", "activation-basic", "{name: fast, count: 24,", "{name: fast, @gpu: 1, count: 24,",
     "platform.data_centres[0].hosts[1]", "'gpu'"},
    {"UnknownWanLinkKey", "activation-basic", "bandwidth: 1Gbps, latency: 10ms}",
     "bandwidth: 1Gbps, latency: 10ms, @mtu: 1500B}", "platform.wan[0]", "'mtu'"},
    {"UnknownCloudOssKey", "activation-basic", "  service_time: 2ms\n", "  service_time: 2ms\n  @threads: 4\n",
     "cloud_oss", "'threads'"},
    {"UnknownCatalogueKey", "activation-basic", "  products:\n", "  @bundles: []\n  products:\n", "catalogue",
     "'bundles'"},
    {"UnknownCloudServiceKey", "activation-basic", "      vcpu: 4\n", "      vcpu: 4\n      @gpus: 1\n",
     "catalogue.cloud_services[1]", "'gpus'"},
    {"UnknownImageKey", "activation-basic", "image: {size: 2GiB, boot_work: 60Gf}",
     "image: {size: 2GiB, boot_work: 60Gf, @format: qcow2}", "catalogue.cloud_services[0].image", "'format'"},
    {"UnknownPerformanceKey", "activation-basic", "performance: {min_core_speed: 3.5Gf",
     "performance: {@max_latency: 1ms, min_core_speed: 3.5Gf", "catalogue.cloud_services[1].performance",
     "'max_latency'"},
    {"UnknownRatesKey", "converged-bill", "rates: {vcpu_hour: 2.1,", "rates: {@gpu_hour: 3, vcpu_hour: 2.1,",
     "catalogue.cloud_services[1].rates", "'gpu_hour'"},
    {"UnknownSlaKey", "converged-bill", "sla: {availability: 99.9%, credit: 25%}",
     "sla: {availability: 99.9%, credit: 25%, @penalty: 5%}", "catalogue.cloud_services[1].sla", "'penalty'"},
    {"UnknownTelecomServiceKey", "converged-bill", "{id: mobile-5g, fee: 1999}", "{id: mobile-5g, fee: 1999, @vat: 20}",
     "catalogue.telecom_services[2]", "'vat'"},
    {"UnknownProductKey", "activation-basic", "      cloud_services: [vm-fast]\n",
     "      cloud_services: [vm-fast]\n      @price: 10\n", "catalogue.products[1]", "'price'"},
    {"UnknownCustomersKey", "activation-basic", "  count: 150\n", "  count: 150\n  @segment: retail\n", "customers",
     "'segment'"},
    {"UnknownJurisdictionShareKey", "converged-bill", "{allowed: [CH], weight: 1}",
     "{allowed: [CH], @region: alps, weight: 1}", "customers.jurisdictions[3]", "'region'"},
    {"UnknownOperatorShareKey", "x-profile-two-operators", "  count: 40\n",
     "  count: 40\n  operators:\n    - {operator: op-a, @share: 2}\n", "customers.operators[0]", "'share'"},
    {"UnknownWorkloadKey", "activation-basic", "  orders: 200\n", "  orders: 200\n  @burst: 5\n", "workload",
     "'burst'"},
    {"UnknownMixKey", "activation-basic", "{product: studio-bundle, weight: 1}",
     "{product: studio-bundle, weight: 1, @share: 0.5}", "workload.mix[1]", "'share'"},
    {"UnknownModifyKey", "converged-bill", "after: [1d, 8d], instances: 3}", "after: [1d, 8d], instances: 3, @vcpu: 8}",
     "workload.changes.modify", "'vcpu'"},
    {"InstancesOnATerminate", "converged-bill", "after: [2d, 12d]}", "after: [2d, 12d], @instances: 2}",
     "workload.changes.terminate", "'instances'"},
    {"UnknownStopKey", "activation-basic", "  max_time: 2h\n", "  max_time: 2h\n  @grace: 1min\n", "stop", "'grace'"},
    {"UnknownFailuresKey", "converged-bill", "{dc: dc-paris, mtbf: 8d, repair: 3h}",
     "{dc: dc-paris, mtbf: 8d, repair: 3h, @mttr: 1h}", "failures[0]", "'mttr'"},
    {"UnknownBillingKey", "converged-bill", "  cycles: 2\n", "  cycles: 2\n  @tax: 20%\n", "billing", "'tax'"},
    {"UnknownTelecomKey", "converged-bill", "  resend_share: 0.1\n", "  resend_share: 0.1\n  @retry_share: 0.2\n",
     "telecom", "'retry_share'"},
    {"UnknownI1Key", "converged-bill", "  profile: Q\n", "  profile: Q\n  @version: 2\n", "i1", "'version'"},
    {"UnknownTimelineItemKey", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - at: 1h\n    @note: nightly\n    cloud_restart: {down: 30s}"), "timeline[0]", "'note'"},
    {"UnknownHostCrashKey", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, host_crash: {host: dc-paris.std-00003, for: 30min, @reason: disk}}"),
     "timeline[0].host_crash", "'reason'"},
    {"UnknownDcOutageKey", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, dc_outage: {dc: dc-paris, for: 1h, @region: eu}}"), "timeline[0].dc_outage", "'region'"},
    {"LossOnALinkCut", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, link_cut: {between: [cloud, dc-paris], for: 1min, @loss: 0.5}}"), "timeline[0].link_cut",
     "'loss'"},
    {"UnknownChannelKey", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, channel: {for: 1h, loss: 0.1, @jitter: 5ms}}"), "timeline[0].channel", "'jitter'"},
    {"ForOnACloudRestart", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, cloud_restart: {down: 30s, @for: 1min}}"), "timeline[0].cloud_restart", "'for'"},
    {"UnknownClockSkewKey", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, clock_skew: {offset: 90s, for: 1h, @drift: 1ms}}"), "timeline[0].clock_skew", "'drift'"},
    {"DuplicateKey", "activation-basic", "{name: std, count: 40, cores: 32,",
     "{name: std, count: 40, @count: 41, cores: 32,", "platform.data_centres[0].hosts[0]", "'count'"},

    // Wrong types.
    {"ListForAMapping", "activation-basic", "cloud_oss:\n  service_time: 2ms\n", "cloud_oss: @[2ms]\n", "cloud_oss",
     ""},
    {"MappingForAScalar", "activation-basic", "  max_time: 2h", "  max_time: @{hours: 2}", "stop.max_time", ""},
    {"ScalarForAList", "activation-basic", "telecom_services: [fibre-1g]", "telecom_services: @fibre-1g",
     "catalogue.products[0].telecom_services", ""},
    {"ListForAName", "activation-basic", "name: activation-basic", "name: @[activation-basic]", "name", ""},
    {"MappingForAList", "activation-basic",
     "  mix:\n    - {product: office-bundle, weight: 3}\n    - {product: "
     "studio-bundle, weight: 1}\n",
     "  mix: @{product: office-bundle, weight: 3}\n", "workload.mix", ""},
    {"TimelineIsAMapping", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  @at: 1h\n  cloud_restart: {down: 30s}"), "timeline", ""},
    {"ExpectationIsAMapping", "activation-basic", "stop:\n  max_time: 2h",
     A_EXPECT("  - @{metric: orders.failed, op: ==, value: 0}"), "expect[0]", ""},

    // Quantities without their unit, or with the wrong one.
    {"DurationWithoutUnit", "activation-basic", "  max_time: 2h", "  max_time: @7200", "stop.max_time", ""},
    {"SizeWithADurationUnit", "activation-basic", "ram: 4GiB", "ram: @4h", "catalogue.cloud_services[0].ram", ""},
    {"RateWithAFrequencyUnit", "activation-basic", "rate: 1/s", "rate: @1Hz", "workload.arrival.rate", ""},
    {"BandwidthWithASizeUnit", "activation-basic", "bandwidth: 1Gbps, latency: 10ms", "bandwidth: @1GB, latency: 10ms",
     "platform.wan[0].bandwidth", ""},
    {"SpeedWithoutUnit", "activation-basic", "{name: std, count: 40, cores: 32, speed: 3Gf,",
     "{name: std, count: 40, cores: 32, speed: @3,", "platform.data_centres[0].hosts[0].speed", ""},
    {"TimelineAtWithoutUnit", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: @3600, cloud_restart: {down: 30s}}"), "timeline[0].at", ""},
    {"TimerWithoutUnit", "converged-bill", "timers: {T_usage_period: 6h}", "timers: {T_usage_period: @21600}",
     "i1.timers.T_usage_period", ""},

    // Counts of zero or less, shares above 1, values out of their range.
    {"ZeroHostCount", "activation-basic", "{name: std, count: 40,", "{name: std, count: @0,",
     "platform.data_centres[0].hosts[0].count", "out of range"},
    {"NegativeCores", "activation-basic", "cores: 16,", "cores: @-16,", "platform.data_centres[0].hosts[1].cores", ""},
    {"ZeroOrders", "activation-basic", "  orders: 200", "  orders: @0", "workload.orders", ""},
    {"ZeroCustomers", "activation-basic", "  count: 150", "  count: @0", "customers.count", ""},
    {"ZeroInstancesOnModify", "converged-bill", "instances: 3}", "instances: @0}", "workload.changes.modify.instances",
     ""},
    {"ZeroBillCycles", "converged-bill", "  cycles: 2", "  cycles: @0", "billing.cycles", ""},
    {"ZeroMixWeight", "activation-basic", "{product: office-bundle, weight: 3}", "{product: office-bundle, weight: @0}",
     "workload.mix[0].weight", ""},
    {"ZeroBurstSize", "activation-basic", "{process: poisson, rate: 1/s}", "{process: burst, size: @0, every: 1min}",
     "workload.arrival.size", ""},
    {"NoHostClasses", "activation-basic",
     "      hosts:\n        - {name: std, count: 40, cores: 32, speed: 3Gf, ram: 256GiB, disk: 4TiB}\n"
     "        - {name: fast, count: 24, cores: 16, speed: 4Gf, ram: 128GiB, disk: 2TiB}\n",
     "      hosts: @[]\n", "platform.data_centres[0].hosts", ""},
    {"EmptyMix", "activation-basic",
     "  mix:\n    - {product: office-bundle, weight: 3}\n    - {product: studio-bundle, weight: 1}\n", "  mix: @[]\n",
     "workload.mix", ""},
    {"ProductWithoutCloudService", "activation-basic", "cloud_services: [vm-fast]", "cloud_services: @[]",
     "catalogue.products[1].cloud_services", ""},
    {"TwoOperatorsInTheQProfile", "converged-bill", "  profile: Q\n", "  profile: Q\n  operators: @[op-a, op-b]\n",
     "i1.operators", ""},
    {"NegativeSeed", "activation-basic", "seed: 1", "seed: @-1", "seed", ""},
    {"ResendShareAboveOne", "converged-bill", "  resend_share: 0.1", "  resend_share: @1.5", "telecom.resend_share",
     ""},
    {"ModifyShareAboveOne", "converged-bill", "modify: {share: 0.3", "modify: {share: @2",
     "workload.changes.modify.share", ""},
    {"ChannelLossAboveOne", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, channel: {for: 1h, loss: @1.2}}"), "timeline[0].channel.loss", ""},
    {"ChangeDelaysReversed", "converged-bill", "after: [1d, 8d]", "after: @[8d, 1d]", "workload.changes.modify.after",
     ""},
    {"CreditAboveAHundredPercent", "converged-bill", "credit: 25%}", "credit: @150%}",
     "catalogue.cloud_services[1].sla.credit", ""},
    {"RateWithSevenDecimals", "converged-bill", "storage_gib_hour: 0.0055}", "storage_gib_hour: @0.0055001}",
     "catalogue.cloud_services[0].rates.storage_gib_hour", ""},
    {"BillCycleUnderAnHour", "converged-bill", "cycle: 10d", "cycle: @30min", "billing.cycle", ""},
    {"UnknownGranularity", "converged-bill", "measurement_granularity: 24h", "measurement_granularity: @2h",
     "telecom.measurement_granularity", ""},
    {"UnknownProfile", "converged-bill", "  profile: Q", "  profile: @Z", "i1.profile", "'Z'"},
    {"UnknownArrivalProcess", "activation-basic", "process: poisson", "process: @gamma", "workload.arrival.process",
     "'gamma'"},
    {"NotACountryCode", "activation-basic", "jurisdiction: FR", "jurisdiction: @France",
     "platform.data_centres[0].jurisdiction", "'France'"},
    {"NotACurrencyCode", "converged-bill", "currency: EUR", "currency: @euro", "billing.currency", "'euro'"},
    {"NameWithASpace", "activation-basic", "name: activation-basic", "name: @activation basic", "name", ""},
    {"UnknownChannelDirection", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, channel: {for: 1h, loss: 0.1, direction: @sideways}}"), "timeline[0].channel.direction",
     "'sideways'"},

    // Missing required keys: reported at the mapping that lacks them.
    {"HostClassWithoutRam", "activation-basic",
     "{name: std, count: 40, cores: 32, speed: 3Gf, ram: 256GiB, disk: 4TiB}",
     "@{name: std, count: 40, cores: 32, speed: 3Gf, disk: 4TiB}", "platform.data_centres[0].hosts[0]", "'ram'"},
    {"WanLinkWithoutLatency", "activation-basic", "{between: [operator, cloud], bandwidth: 1Gbps, latency: 10ms}",
     "@{between: [operator, cloud], bandwidth: 1Gbps}", "platform.wan[0]", "'latency'"},
    {"PoissonWithoutRate", "activation-basic", "{process: poisson, rate: 1/s}", "@{process: poisson}",
     "workload.arrival", "'rate'"},
    {"HostCrashWithoutHost", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, host_crash: @{for: 1h}}"), "timeline[0].host_crash", "'host'"},

    // Names that refer to nothing.
    {"ProductOfAnUnknownCloudService", "activation-basic", "cloud_services: [vm-fast]", "cloud_services: [@vm-huge]",
     "catalogue.products[1].cloud_services[0]", "'vm-huge'"},
    {"ProductOfAnUnknownTelecomService", "converged-bill", "telecom_services: [fibre-10g]",
     "telecom_services: [@fibre-100g]", "catalogue.products[1].telecom_services[0]", "'fibre-100g'"},
    {"MixOfAnUnknownProduct", "activation-basic", "{product: studio-bundle, weight: 1}", "{product: @gold, weight: 1}",
     "workload.mix[1].product", "'gold'"},
    {"FailuresOfAnUnknownDataCentre", "converged-bill", "{dc: dc-paris, mtbf: 8d", "{dc: @dc-lyon, mtbf: 8d",
     "failures[0].dc", "'dc-lyon'"},
    {"HostCrashOfAnUnknownHostClass", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, host_crash: {host: @dc-paris.gpu-00001, for: 1h}}"), "timeline[0].host_crash.host",
     "'dc-paris.gpu-00001'"},
    {"HostCrashIndexOutOfRange", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, host_crash: {host: @dc-paris.std-00040, for: 1h}}"), "timeline[0].host_crash.host",
     "'dc-paris.std-00040'"},
    {"HostCrashIndexNotFiveDigits", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, host_crash: {host: @dc-paris.std-3, for: 1h}}"), "timeline[0].host_crash.host",
     "'dc-paris.std-3'"},
    {"DcOutageOfAnUnknownDataCentre", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, dc_outage: {dc: @dc-lyon, for: 1h}}"), "timeline[0].dc_outage.dc", "'dc-lyon'"},
    {"LinkCutOfAnUnlinkedPair", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, link_cut: {between: @[operator, dc-paris], for: 1h}}"), "timeline[0].link_cut.between",
     "'dc-paris'"},
    {"OperatorShareOfAnUnknownOperator", "x-profile-two-operators", "  count: 40\n",
     "  count: 40\n  operators:\n    - {operator: @op-c, weight: 1}\n", "customers.operators[0].operator", "'op-c'"},

    // Names given twice.
    {"DuplicateHostClass", "activation-basic", "{name: fast, count: 24", "{name: @std, count: 24",
     "platform.data_centres[0].hosts[1].name", "'std'"},
    {"DuplicateCloudService", "activation-basic", "  products:\n",
     "    - {id: @vm-fast, vcpu: 1, ram: 1GiB, storage: 1GiB, image: {size: 1GiB, boot_work: 1Gf}}\n  products:\n",
     "catalogue.cloud_services[2].id", "'vm-fast'"},
    {"DuplicateProduct", "activation-basic", "      cloud_services: [vm-fast]\n",
     "      cloud_services: [vm-fast]\n    - {id: @office-bundle, cloud_services: [vm-small]}\n",
     "catalogue.products[2].id", "'office-bundle'"},
    {"DuplicateWanLink", "activation-basic", "    - {between: [cloud, dc-paris], bandwidth: 10Gbps, latency: 1ms}\n",
     "    - {between: [cloud, dc-paris], bandwidth: 10Gbps, latency: 1ms}\n"
     "    - {between: @[dc-paris, cloud], bandwidth: 1Gbps, latency: 1ms}\n",
     "platform.wan[2].between", ""},
    {"DuplicateOperator", "x-profile-two-operators", "operators: [op-a, op-b]", "operators: [op-a, @op-a]",
     "i1.operators[1]", "'op-a'"},
    {"TwoFailureEntriesForOneDataCentre", "converged-bill", "  - {dc: dc-paris, mtbf: 8d, repair: 3h}\n",
     "  - {dc: dc-paris, mtbf: 8d, repair: 3h}\n  - {dc: @dc-paris, mtbf: 1d, repair: 1h}\n", "failures[1].dc",
     "'dc-paris'"},

    // The timeline.
    {"FaultAtTheEndOfTheRun", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: @2h, cloud_restart: {down: 30s}}"), "timeline[0].at", ""},
    {"FaultAfterTheEndOfTheRun", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: @3h, cloud_restart: {down: 30s}}"), "timeline[0].at", ""},
    {"FaultAfterTheLastBillCycle", "converged-bill", "  timers: {T_usage_period: 6h}",
     "  timers: {T_usage_period: 6h}\ntimeline:\n  - {at: @20d, cloud_restart: {down: 30s}}", "timeline[0].at", ""},
    {"TwoFaultsInOneItem", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - @at: 1h\n    dc_outage: {dc: dc-paris, for: 1h}\n    cloud_restart: {down: 10s}"), "timeline[0]",
     ""},
    {"NoFaultInAnItem", "activation-basic", "stop:\n  max_time: 2h", A_TIMELINE("  - @{at: 1h}"), "timeline[0]", ""},
    {"ChannelWindowWithNothingInIt", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, channel: @{for: 1h, direction: both}}"), "timeline[0].channel", ""},
    {"ChannelWindowOfZeros", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, channel: @{for: 1h, loss: 0, duplicate: 0, delay: 0s, reorder: 0s}}"),
     "timeline[0].channel", ""},
    {"ZeroClockOffset", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, clock_skew: {offset: @0s, for: 1h}}"), "timeline[0].clock_skew.offset", ""},
    {"NegativeZeroClockOffset", "activation-basic", "stop:\n  max_time: 2h",
     A_TIMELINE("  - {at: 1h, clock_skew: {offset: @-0min}}"), "timeline[0].clock_skew.offset", ""},
    {"NegativeAt", "activation-basic", "stop:\n  max_time: 2h", A_TIMELINE("  - {at: @-1s, cloud_restart: {down: 1s}}"),
     "timeline[0].at", ""},

    // Expectations: the column is the offending character within the expectation.
    {"ExpectationOfAnUnknownMetric", "activation-basic", "stop:\n  max_time: 2h", A_EXPECT("  - @orders.lost == 0"),
     "expect[0]", "orders.lost"},
    {"ExpectationOfAnUnknownSample", "activation-basic", "stop:\n  max_time: 2h",
     A_EXPECT("  - p99(@order_to_bed) < 1s"), "expect[0]", "order_to_bed"},
    {"ExpectationOfAnUnknownFunction", "activation-basic", "stop:\n  max_time: 2h",
     A_EXPECT("  - @p42(order_to_active) < 1s"), "expect[0]", "p42"},
    {"ExpectationWithABadOperator", "activation-basic", "stop:\n  max_time: 2h", A_EXPECT("  - orders.failed @=< 0"),
     "expect[0]", ""},
    {"ExpectationWithAValueThatIsNoNumber", "activation-basic", "stop:\n  max_time: 2h",
     A_EXPECT("  - orders.failed == @many"), "expect[0]", "many"},
    {"QuotedExpectationWithABadOperator", "activation-basic", "stop:\n  max_time: 2h",
     A_EXPECT("  - \"orders.failed @=> 0\""), "expect[0]", ""},
    {"SingleQuotedExpectationOfAnUnknownMetric", "activation-basic", "stop:\n  max_time: 2h",
     A_EXPECT("  - '@orders.lost == 0'"), "expect[0]", "orders.lost"},
    {"SecondExpectationOfAFlowList", "activation-basic", "stop:\n  max_time: 2h",
     "stop:\n  max_time: 2h\nexpect: [orders.failed == 0, @orders.lost == 0]", "expect[1]", "orders.lost"},

    // Billing decides when the run ends.
    {"BillingWithAStop", "converged-bill", "billing:\n", "stop:\n  @max_time: 30d\nbilling:\n", "stop", ""},
};

// Cases the loader gets wrong today (see each comment); instantiated DISABLED_ so the suite stays green while the
// expectation stays written down. Run them with --gtest_also_run_disabled_tests.
const BrokenCase kKnownLoaderBugs[] = {
    // BUG: an unknown key of workload.arrival is reported at its value, e.g. `to: 5/s` at the '5', while every
    // other unknown key (platform, hosts, timeline, ...) is reported at the key itself.
    {"ToOnAPoissonArrival", "activation-basic", "{process: poisson, rate: 1/s}",
     "{process: poisson, rate: 1/s, @to: 5/s}", "workload.arrival", "'to'"},
    {"SizeOnAFixedArrival", "activation-basic", "{process: poisson, rate: 1/s}",
     "{process: fixed, rate: 1/s, @size: 5}", "workload.arrival", "'size'"},
    {"EveryOnARampArrival", "activation-basic", "{process: poisson, rate: 1/s}",
     "{process: ramp, rate: 0/s, to: 5/s, over: 10min, @every: 1min}", "workload.arrival", "'every'"},
    {"RateOnABurstArrival", "activation-basic", "{process: poisson, rate: 1/s}",
     "{process: burst, size: 10, every: 1min, @rate: 1/s}", "workload.arrival", "'rate'"},
    // BUG: an unknown timer name is reported at its value (the '5min'), not at the name that is wrong.
    {"UnknownTimer", "converged-bill", "timers: {T_usage_period: 6h}", "timers: {T_usage_period: 6h, @T_coffee: 5min}",
     "i1.timers", "'T_coffee'"},
    // BUG (minor): a bare number where a duration is expected is reported one past its last digit, while a bare
    // number anywhere else in the file (`max_time: 7200`) and in a trace is reported at its first character.
    {"ExpectationOfADurationWithoutUnit", "activation-basic", "stop:\n  max_time: 2h",
     A_EXPECT("  - p99(order_to_active) < @120"), "expect[0]", "120"},
    // BUG (message): `=<` is reported as "'=' is not a comparison: write == to test equality", which neither quotes
    // what was written nor hints at the `<=` that was meant.
    {"ExpectationWithABadOperatorQuotesIt", "activation-basic", "stop:\n  max_time: 2h",
     A_EXPECT("  - orders.failed @=< 0"), "expect[0]", "'=<'"},
    // BUG: the column of an expectation's problem is counted in its decoded text, so an escape sequence before
    // it in a double-quoted scalar (4 characters written, 1 read) shifts the column left.
    {"EscapedExpectationWithABadOperator", "activation-basic", "stop:\n  max_time: 2h",
     A_EXPECT("  - \"orders.failed\\x20@=< 0\""), "expect[0]", ""},
    // BUG: likewise a plain expectation folded over two lines is reported on its first line, past its end.
    {"FoldedExpectationWithABadOperator", "activation-basic", "stop:\n  max_time: 2h",
     A_EXPECT("  - orders.failed\n    @=< 0"), "expect[0]", ""},
};

#undef A_TIMELINE
#undef A_EXPECT

class BrokenScenario : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenScenario, IsReportedAtTheBrokenTextWithItsKeyPath) {
  const BrokenCase& c = GetParam();
  const std::string edited = replace_once(shipped(c.base), c.from, c.to);
  const Marked m = strip_markers(edited);
  ASSERT_EQ(m.places.size(), 1u) << "the case must mark one place";
  ASSERT_EQ(m.places[0].line, line_of(edited, std::string(1, kMarker)));
  const Place want = m.places[0];

  // The unbroken file loads, so the edit alone is what the loader must find.
  ASSERT_TRUE(load_text(shipped(c.base)).loaded) << listing(load_text(shipped(c.base)));

  const Outcome o = load_text(m.text);
  ASSERT_TRUE(o.other.empty()) << o.other;
  ASSERT_FALSE(o.loaded) << "the broken scenario loaded";
  ASSERT_EQ(o.errors.size(), 1u) << "one edit, one error; got:\n" << o.what;
  const util::LocatedError& e = o.errors[0];
  EXPECT_EQ(e.file(), "broken.yaml");
  EXPECT_EQ((Place{e.line(), e.column()}), want) << e.what();
  EXPECT_TRUE(names_path(e.message(), c.path)) << "expected the key path '" << c.path << "' in: " << e.what();
  EXPECT_THAT(e.message(), HasSubstr(c.word));
  const std::string line_text = "broken.yaml:" + std::to_string(want.line) + ":" + std::to_string(want.column) + ": ";
  EXPECT_EQ(std::string(e.what()), line_text + e.message());
  EXPECT_EQ(e.message().find('\n'), std::string::npos) << "an error is one line";
  EXPECT_EQ(o.what, std::string(e.what()));
}

INSTANTIATE_TEST_SUITE_P(OneEditOfAShippedScenario, BrokenScenario, ::testing::ValuesIn(kBroken),
                         [](const ::testing::TestParamInfo<BrokenCase>& param) {
                           return std::string(param.param.name);
                         });
INSTANTIATE_TEST_SUITE_P(DISABLED_KnownLoaderBugs, BrokenScenario, ::testing::ValuesIn(kKnownLoaderBugs),
                         [](const ::testing::TestParamInfo<BrokenCase>& param) {
                           return std::string(param.param.name);
                         });

// The known-bug cases are still refused, once, naming their key path, on the right line (but for the folded one,
// whose line is its bug): only their column or wording is wrong.
TEST(KnownLoaderBugCases, AreStillReportedOnceOnTheirLineWithTheirKeyPath) {
  for (const auto& c : kKnownLoaderBugs) {
    SCOPED_TRACE(c.name);
    const Marked m = strip_markers(replace_once(shipped(c.base), c.from, c.to));
    const Outcome o = load_text(m.text);
    ASSERT_EQ(o.errors.size(), 1u) << listing(o);
    if (std::string(c.name) != "FoldedExpectationWithABadOperator") {
      EXPECT_EQ(o.errors[0].line(), m.places[0].line) << o.what;
    }
    EXPECT_TRUE(names_path(o.errors[0].message(), c.path)) << o.what;
    if (std::string(c.path) == "workload.arrival") { // each process refuses the keys of the others
      EXPECT_THAT(o.errors[0].message(), HasSubstr(c.word));
    }
  }
}

TEST(BrokenScenarioTable, HasFortyDistinctCases) {
  std::vector<std::string> names;
  for (const auto& c : kBroken)
    names.emplace_back(c.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  EXPECT_GE(names.size(), 40u);
}

// ---- Several problems in one file ----

// Applies each edit in turn (each `from` unique in the text so far) and returns the text with its markers.
std::string edit_all(std::string text, const std::vector<std::pair<std::string, std::string>>& edits) {
  for (const auto& [from, to] : edits)
    text = replace_once(text, from, to);
  return text;
}

// Every marker is one error, in file order, with the file and position the marker gives.
void expect_errors_at_markers(const std::string& marked, const std::vector<std::string>& paths) {
  const Marked m = strip_markers(marked);
  ASSERT_EQ(m.places.size(), paths.size());
  const Outcome o = load_text(m.text);
  ASSERT_TRUE(o.other.empty()) << o.other;
  ASSERT_EQ(o.errors.size(), m.places.size()) << o.what;
  std::string joined;
  for (std::size_t i = 0; i < o.errors.size(); ++i) {
    const auto& e = o.errors[i];
    EXPECT_EQ(e.file(), "broken.yaml");
    EXPECT_EQ((Place{e.line(), e.column()}), m.places[i]) << "error " << i << ": " << e.what();
    EXPECT_TRUE(names_path(e.message(), paths[i])) << "error " << i << " should name " << paths[i] << ": " << e.what();
    joined += (i ? "\n" : "") + std::string(e.what());
  }
  EXPECT_EQ(o.what, joined) << "what() lists every error, one per line, in the same order";
}

TEST(SeveralErrors, AreAllReportedInFileOrder) {
  // Edited bottom-up and top-down alternately, so the order of the errors cannot come from the order of edits.
  const std::string marked =
      edit_all(shipped("activation-basic"), {
                                                {"  max_time: 2h", "  max_time: @7200"},
                                                {"{name: std, count: 40,", "{name: std, count: @0,"},
                                                {"{product: studio-bundle, weight: 1}", "{product: @gold, weight: 1}"},
                                                {"ram: 4GiB", "ram: @4h"},
                                            });
  expect_errors_at_markers(marked, {"platform.data_centres[0].hosts[0].count", "catalogue.cloud_services[0].ram",
                                    "workload.mix[1].product", "stop.max_time"});
}

TEST(SeveralErrors, AnErrorInOneListItemDoesNotHideTheNext) {
  const std::string marked =
      edit_all(shipped("activation-basic"), {{"{name: std, count: 40,", "{name: std, count: @0,"},
                                             {"{name: fast, count: 24,", "{name: fast, count: @-1,"},
                                             {"{product: office-bundle, weight: 3}", "{product: @silver, weight: 3}"},
                                             {"{product: studio-bundle, weight: 1}", "{product: @gold, weight: 1}"}});
  expect_errors_at_markers(marked,
                           {"platform.data_centres[0].hosts[0].count", "platform.data_centres[0].hosts[1].count",
                            "workload.mix[0].product", "workload.mix[1].product"});
}

TEST(SeveralErrors, InOneMappingAreReportedLeftToRight) {
  const std::string marked =
      edit_all(shipped("activation-basic"),
               {{"{name: std, count: 40, cores: 32,", "{name: std, @gpu: 1, count: @0, @fpga: 2, cores: @many,"}});
  expect_errors_at_markers(marked, {"platform.data_centres[0].hosts[0]", "platform.data_centres[0].hosts[0].count",
                                    "platform.data_centres[0].hosts[0]", "platform.data_centres[0].hosts[0].cores"});
}

TEST(SeveralErrors, InTimelineItemsAndExpectationsAreAllReported) {
  const std::string marked =
      edit_all(shipped("activation-basic"), {{"stop:\n  max_time: 2h", "stop:\n  max_time: 2h\n"
                                                                       "timeline:\n"
                                                                       "  - {at: @3h, cloud_restart: {down: 30s}}\n"
                                                                       "  - {at: 1h, dc_outage: {dc: @dc-lyon}}\n"
                                                                       "  - {at: 1h, clock_skew: {offset: @0s}}\n"
                                                                       "expect:\n"
                                                                       "  - @orders.lost == 0\n"
                                                                       "  - orders.failed == 0\n"
                                                                       "  - orders.failed == @many\n"}});
  expect_errors_at_markers(marked, {"timeline[0].at", "timeline[1].dc_outage.dc", "timeline[2].clock_skew.offset",
                                    "expect[0]", "expect[2]"});
}

TEST(SeveralErrors, AcrossSectionsOfTheConvergedBillScenario) {
  const std::string marked =
      edit_all(shipped("converged-bill"),
               {{"store_bandwidth: 20Gbps}\n      hosts:\n        - {name: std, count: 16",
                 "store_bandwidth: 20Gbps, @jitter: 1ms}\n      hosts:\n        - {name: std, count: 16"},
                {"sla: {availability: 99.9%, credit: 25%}", "sla: {availability: 99.9%, credit: @150%}"},
                {"{dc: dc-paris, mtbf: 8d", "{dc: @dc-lyon, mtbf: 8d"},
                {"  cycles: 2", "  cycles: @0"},
                {"  resend_share: 0.1", "  resend_share: @1.5"}});
  expect_errors_at_markers(marked, {"platform.data_centres[1].network", "catalogue.cloud_services[1].sla.credit",
                                    "failures[0].dc", "billing.cycles", "telecom.resend_share"});
}

// A bad field of a named thing does not make the thing unknown: references to it stay quiet.
TEST(SeveralErrors, ABadFieldCausesNoSecondErrorAtTheReferencesToItsOwner) {
  const std::string marked = edit_all(
      shipped("activation-basic"), {{"      vcpu: 4\n", "      vcpu: @lots\n"},
                                    {"jurisdiction: FR", "jurisdiction: @France"},
                                    {"stop:\n  max_time: 2h", "stop:\n  max_time: 2h\ntimeline:\n"
                                                              "  - {at: 1h, host_crash: {host: dc-paris.fast-00001}}\n"
                                                              "  - {at: 1h, dc_outage: {dc: dc-paris}}\n"}});
  // vm-fast (used by studio-bundle) and dc-paris (used by the WAN and the timeline) are still known.
  expect_errors_at_markers(marked, {"platform.data_centres[0].jurisdiction", "catalogue.cloud_services[1].vcpu"});
}

TEST(SeveralErrors, EachUnknownKeyOfASectionIsReported) {
  const std::string marked = edit_all(shipped("activation-basic"),
                                      {{"seed: 1\n", "seed: 1\n@colour: blue\n@size: 3\n"},
                                       {"  orders: 200\n", "  orders: 200\n  @burst: 5\n"},
                                       {"  max_time: 2h\n", "  max_time: 2h\n  @grace: 1min\n  @linger: 1min\n"}});
  expect_errors_at_markers(marked, {"", "", "workload", "stop", "stop"});
}

// ---- Trace files: their problems are located in the CSV ----

class TraceScenario : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("i1sim-trace-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    scenario_ =
        edit_all(shipped("activation-basic"),
                 {{"  orders: 200\n", ""},
                  {"  arrival: {process: poisson, rate: 1/s}\n  mix:\n    - {product: office-bundle, weight: 3}\n"
                   "    - {product: studio-bundle, weight: 1}\n",
                   "  arrival: {process: trace, file: trace.csv}\n"}});
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes the scenario (with `edit` applied when given) and `csv` beside it, then loads the scenario by path
  // from another working directory, so the trace can only be found relative to the scenario.
  Outcome load_with(const std::string& csv, std::pair<std::string, std::string> edit = {}) {
    std::ofstream(dir_ / "trace.csv", std::ios::binary) << csv;
    const std::string text = edit.first.empty() ? scenario_ : replace_once(scenario_, edit.first, edit.second);
    std::ofstream(dir_ / "scenario.yaml", std::ios::binary) << text;
    Outcome o;
    try {
      last_ = load((dir_ / "scenario.yaml").string());
      o.loaded = true;
    } catch (const ScenarioErrors& e) {
      o.errors = e.errors();
      o.what = e.what();
    } catch (const std::exception& e) {
      o.other = std::string("not a ScenarioErrors: ") + e.what();
    }
    return o;
  }

  // The marked CSV's one problem is reported at trace.csv, where its marker is.
  void expect_csv_error(const std::string& marked_csv, const std::string& word) {
    const Marked m = strip_markers(marked_csv);
    ASSERT_EQ(m.places.size(), 1u);
    const Outcome o = load_with(m.text);
    ASSERT_TRUE(o.other.empty()) << o.other;
    ASSERT_EQ(o.errors.size(), 1u) << listing(o);
    const auto& e = o.errors[0];
    EXPECT_THAT(e.file(), EndsWith("trace.csv"));
    EXPECT_EQ((Place{e.line(), e.column()}), m.places[0]) << e.what();
    EXPECT_THAT(e.message(), HasSubstr(word));
    EXPECT_THAT(std::string(e.what()), HasSubstr("trace.csv:" + std::to_string(m.places[0].line) + ":" +
                                                 std::to_string(m.places[0].column) + ": "));
  }

  fs::path dir_;
  std::string scenario_;
  Scenario last_;
};

TEST_F(TraceScenario, AGoodTraceLoadsWithOneOrderPerRow) {
  const Outcome o = load_with("at,product,customer\n# warm-up\n\n10s,office-bundle,\n90s,studio-bundle,150\n");
  ASSERT_TRUE(o.loaded) << listing(o);
  EXPECT_EQ(last_.workload.arrival, ArrivalProcess::trace);
  EXPECT_EQ(last_.workload.orders, 2);
  ASSERT_EQ(last_.workload.trace.size(), 2u);
  EXPECT_DOUBLE_EQ(last_.workload.trace[1].at, 90.0);
  EXPECT_EQ(last_.workload.trace[1].product, "studio-bundle");
  EXPECT_EQ(last_.workload.trace[1].customer, 150);
  EXPECT_EQ(last_.workload.trace[0].customer, 0);
  EXPECT_EQ(last_.workload.trace[1].line, 5);
}

TEST_F(TraceScenario, ABareTimeIsReportedAtItsField) {
  expect_csv_error("at,product\n10s,office-bundle\n@90,studio-bundle\n", "90");
}

TEST_F(TraceScenario, AnUnknownProductIsReportedAtItsField) {
  expect_csv_error("at,product\n10s,office-bundle\n20s,@gold\n", "'gold'");
}

TEST_F(TraceScenario, ACustomerBeyondTheCountIsReportedAtItsField) {
  expect_csv_error("at,product,customer\n10s,office-bundle,@151\n", "151");
}

TEST_F(TraceScenario, CustomerZeroIsReportedAtItsField) {
  expect_csv_error("at,product,customer\n10s,office-bundle,3\n11s,studio-bundle,@0\n", "");
}

TEST_F(TraceScenario, ARowBeforeThePreviousOneIsReportedAtItsTime) {
  expect_csv_error("at,product\n2min,office-bundle\n@1min,office-bundle\n", "");
}

TEST_F(TraceScenario, AWrongHeaderIsReportedOnTheFirstLine) {
  expect_csv_error("@when,product\n1s,office-bundle\n", "");
}

TEST_F(TraceScenario, AProductNameWithASpaceIsReportedAtItsField) {
  expect_csv_error("at,product\n10s,@office bundle\n", "");
}

TEST_F(TraceScenario, CommentsAndBlankLinesStillCountAsLines) {
  expect_csv_error("at,product\n# first hour\n\n10s,office-bundle\n   \n# then\n20s,@gold\n", "'gold'");
}

TEST_F(TraceScenario, CrlfLineEndsDoNotShiftPositions) {
  expect_csv_error("at,product\r\n10s,office-bundle\r\n20s,@gold\r\n", "'gold'");
}

TEST_F(TraceScenario, EveryUnknownProductOfTheTraceIsReported) {
  const Marked m = strip_markers("at,product\n10s,@gold\n20s,office-bundle\n30s,@silver\n");
  const Outcome o = load_with(m.text);
  ASSERT_EQ(o.errors.size(), 2u) << listing(o);
  for (std::size_t i = 0; i < 2; ++i)
    EXPECT_EQ((Place{o.errors[i].line(), o.errors[i].column()}), m.places[i]) << o.errors[i].what();
}

// "Every problem of a file is reported, not only the first": that holds for a trace file too.
// BUG (loader): read_trace_csv stops at the first malformed row, so only the first of two bad rows is reported.
TEST_F(TraceScenario, DISABLED_EveryMalformedRowOfTheTraceIsReported) {
  const Marked m = strip_markers("at,product\n@10,office-bundle\n20s,office-bundle\n@30,studio-bundle\n");
  const Outcome o = load_with(m.text);
  ASSERT_EQ(o.errors.size(), 2u) << listing(o);
  for (std::size_t i = 0; i < 2; ++i)
    EXPECT_EQ((Place{o.errors[i].line(), o.errors[i].column()}), m.places[i]) << o.errors[i].what();
}

TEST_F(TraceScenario, ScenarioErrorsComeBeforeTraceErrorsAndBothAreReported) {
  const Marked csv = strip_markers("at,product\n20s,@gold\n");
  std::ofstream(dir_ / "trace.csv", std::ios::binary) << csv.text;
  const Marked yaml = strip_markers(replace_once(scenario_, "  max_time: 2h", "  max_time: @7200"));
  std::ofstream(dir_ / "scenario.yaml", std::ios::binary) << yaml.text;
  try {
    load((dir_ / "scenario.yaml").string());
    FAIL() << "loaded";
  } catch (const ScenarioErrors& e) {
    ASSERT_EQ(e.errors().size(), 2u) << e.what();
    EXPECT_THAT(e.errors()[0].file(), EndsWith("scenario.yaml"));
    EXPECT_EQ((Place{e.errors()[0].line(), e.errors()[0].column()}), yaml.places[0]);
    EXPECT_THAT(e.errors()[1].file(), EndsWith("trace.csv"));
    EXPECT_EQ((Place{e.errors()[1].line(), e.errors()[1].column()}), csv.places[0]);
  }
}

TEST_F(TraceScenario, AMissingTraceFileIsReportedAtTheFileKey) {
  const Marked m = strip_markers(replace_once(scenario_, "file: trace.csv", "file: @no-such.csv"));
  std::ofstream(dir_ / "scenario.yaml", std::ios::binary) << m.text;
  try {
    load((dir_ / "scenario.yaml").string());
    FAIL() << "loaded";
  } catch (const ScenarioErrors& e) {
    ASSERT_EQ(e.errors().size(), 1u) << e.what();
    EXPECT_THAT(e.errors()[0].file(), EndsWith("scenario.yaml"));
    EXPECT_EQ((Place{e.errors()[0].line(), e.errors()[0].column()}), m.places[0]);
    EXPECT_TRUE(names_path(e.errors()[0].message(), "workload.arrival.file")) << e.what();
    EXPECT_THAT(e.errors()[0].message(), HasSubstr("no-such.csv"));
  }
}

// BUG: as for every process, the unknown key of a trace arrival is reported at its value, not at the key.
TEST_F(TraceScenario, DISABLED_RateOnATraceArrivalIsAnUnknownKey) {
  const Marked m = strip_markers(replace_once(scenario_, "file: trace.csv}", "file: trace.csv, @rate: 1/s}"));
  std::ofstream(dir_ / "trace.csv", std::ios::binary) << "at,product\n1s,office-bundle\n";
  std::ofstream(dir_ / "scenario.yaml", std::ios::binary) << m.text;
  try {
    load((dir_ / "scenario.yaml").string());
    FAIL() << "loaded";
  } catch (const ScenarioErrors& e) {
    ASSERT_EQ(e.errors().size(), 1u) << e.what();
    EXPECT_EQ((Place{e.errors()[0].line(), e.errors()[0].column()}), m.places[0]);
    EXPECT_TRUE(names_path(e.errors()[0].message(), "workload.arrival")) << e.what();
    EXPECT_THAT(e.errors()[0].message(), HasSubstr("'rate'"));
  }
}

// ---- Odd YAML: refused or accepted, never a crash, never another kind of exception ----

// Loads `text` in a child process, so that a crash (a stack overflow on deep nesting, say) fails this test only.
// The child exits 0 when the text loaded or was refused with located errors of the right file.
void expect_no_crash(const std::string& text) {
  EXPECT_EXIT(
      {
        const Outcome o = load_text(text, "odd.yaml");
        bool located = o.other.empty();
        for (const auto& e : o.errors)
          located = located && e.file() == "odd.yaml" && e.line() >= 0 && e.column() >= 0 && !e.message().empty();
        std::exit(located && (o.loaded || !o.errors.empty()) ? 0 : 3);
      },
      ::testing::ExitedWithCode(0), "");
}

// The first error of `text`: in a real test the loader must refuse it with located errors.
Outcome refused(const std::string& text) {
  Outcome o = load_text(text, "odd.yaml");
  EXPECT_TRUE(o.other.empty()) << o.other;
  EXPECT_FALSE(o.loaded);
  EXPECT_FALSE(o.errors.empty());
  return o;
}

TEST(OddYaml, AnEmptyDocumentIsRefused) {
  const Outcome o = refused("");
  ASSERT_FALSE(o.errors.empty());
  EXPECT_THAT(o.errors[0].message(), HasSubstr("mapping"));
  refused("# only a comment\n");
  refused("---\n...\n");
}

TEST(OddYaml, AListDocumentIsRefused) {
  const Outcome o = refused("- name: x\n- seed: 1\n");
  ASSERT_FALSE(o.errors.empty());
  EXPECT_EQ(o.errors[0].line(), 1);
  EXPECT_THAT(o.errors[0].message(), HasSubstr("mapping"));
}

TEST(OddYaml, AScalarDocumentIsRefused) {
  const Outcome o = refused("just some words\n");
  ASSERT_FALSE(o.errors.empty());
  EXPECT_EQ(o.errors[0].line(), 1);
}

TEST(OddYaml, AnAliasedNetworkIsAnOrdinaryValue) {
  // Aliases are plain YAML: the second data centre shares the first one's network.
  const std::string net = "{nic_bandwidth: 10Gbps, nic_latency: 2us, fabric_bandwidth: 40Gbps, fabric_latency: 5us, "
                          "store_bandwidth: 20Gbps}";
  std::string text = shipped("converged-bill");
  text = replace_once(text, "jurisdiction: FR\n      network: " + net, "jurisdiction: FR\n      network: &net " + net);
  text = replace_once(text, "jurisdiction: DE\n      network: " + net, "jurisdiction: DE\n      network: *net");
  const Outcome o = load_text(text, "odd.yaml");
  ASSERT_TRUE(o.loaded) << listing(o);
  const Scenario sc = load_from_string(text, "odd.yaml");
  ASSERT_EQ(sc.platform.data_centres.size(), 2u);
  EXPECT_DOUBLE_EQ(sc.platform.data_centres[1].fabric_bandwidth, 40e9 / 8);
}

TEST(OddYaml, AnAliasOfAScalarIsItsValue) {
  const std::string text =
      replace_once(shipped("activation-basic"), "  max_time: 2h", "  max_time: &t 2h\n  drain: *t");
  const Outcome o = load_text(text, "odd.yaml");
  ASSERT_TRUE(o.loaded) << listing(o);
  EXPECT_DOUBLE_EQ(load_from_string(text, "odd.yaml").stop.drain, 7200.0);
}

TEST(OddYaml, AnAliasOfTheWrongKindIsAWrongType) {
  const std::string text =
      replace_once(replace_once(shipped("activation-basic"), "  max_time: 2h", "  max_time: *hosts"), "      hosts:\n",
                   "      hosts: &hosts\n");
  const Outcome o = refused(text);
  ASSERT_EQ(o.errors.size(), 1u) << o.what;
  EXPECT_TRUE(names_path(o.errors[0].message(), "stop.max_time")) << o.what;
}

// BUG: an error on an alias is reported where its anchor is (here the list of host classes, line 19) instead of
// where the alias is written (stop.max_time): yaml-cpp gives an alias its anchor's mark.
TEST(OddYaml, DISABLED_AnAliasOfTheWrongKindIsReportedAtTheAlias) {
  const Marked m = strip_markers(replace_once(shipped("activation-basic"), "  max_time: 2h", "  max_time: @*hosts"));
  const std::string text =
      replace_once(m.text, "      hosts:\n", "      hosts: &hosts\n"); // same line count: positions unchanged
  const Outcome o = refused(text);
  ASSERT_EQ(o.errors.size(), 1u) << o.what;
  EXPECT_TRUE(names_path(o.errors[0].message(), "stop.max_time")) << o.what;
  EXPECT_EQ((Place{o.errors[0].line(), o.errors[0].column()}), m.places[0]) << o.what;
}

TEST(OddYaml, AnUnknownAliasIsASyntaxErrorOnItsLine) {
  const std::string text = replace_once(shipped("activation-basic"), "  max_time: 2h", "  max_time: *nowhere");
  const Outcome o = refused(text);
  ASSERT_FALSE(o.errors.empty());
  EXPECT_EQ(o.errors[0].line(), line_of(text, "*nowhere"));
}

TEST(OddYaml, MergeKeysAreNotScenarioKeys) {
  expect_no_crash(replace_once(shipped("activation-basic"), "  max_time: 2h", "  <<: {max_time: 2h}"));
  expect_no_crash("base: &b {name: x}\nplatform:\n  <<: *b\n  <<: *b\n");
}

TEST(OddYaml, TagsDoNotCrash) {
  const std::string base = shipped("activation-basic");
  expect_no_crash(replace_once(base, "name: activation-basic", "name: !!binary aGVsbG8="));
  expect_no_crash(replace_once(base, "  count: 150", "  count: !!binary MTUw"));
  expect_no_crash(replace_once(base, "  count: 150", "  count: !!int 150"));
  expect_no_crash(replace_once(base, "  max_time: 2h", "  max_time: !custom 2h"));
  expect_no_crash(replace_once(base, "  max_time: 2h", "  max_time: !!map {a: 1}"));
  expect_no_crash(replace_once(base, "  max_time: 2h", "  max_time: !!null"));
  expect_no_crash("!!set {a, b}\n");
  expect_no_crash("%TAG ! tag:example.com,2000:\n---\nname: !x y\n");
}

TEST(OddYaml, ATaggedStringIsStillItsText) {
  const std::string text = replace_once(shipped("activation-basic"), "  max_time: 2h", "  max_time: !!str 2h");
  const Outcome o = load_text(text, "odd.yaml");
  ASSERT_TRUE(o.loaded) << listing(o);
}

TEST(OddYaml, DeeplyNestedFlowDoesNotCrash) {
  for (int depth : {100, 10'000, 100'000}) {
    SCOPED_TRACE(depth);
    expect_no_crash("name: x\ndescription: " + std::string(static_cast<std::size_t>(depth), '[') +
                    std::string(static_cast<std::size_t>(depth), ']') + "\n");
    expect_no_crash("name: " + std::string(static_cast<std::size_t>(depth), '{') + "\n");
    std::string maps;
    for (int i = 0; i < depth; ++i)
      maps += "{a: ";
    expect_no_crash("platform: " + maps + "1" + std::string(static_cast<std::size_t>(depth), '}') + "\n");
  }
}

TEST(OddYaml, DeeplyNestedBlocksDoNotCrash) {
  std::string text = "platform:\n";
  for (int i = 1; i < 3000; ++i)
    text += std::string(static_cast<std::size_t>(i), ' ') + "- \n";
  expect_no_crash(text);
}

TEST(OddYaml, ANonScalarKeyIsReportedWhereItIs) {
  const Marked top = strip_markers("? @[a, b]\n: 1\n" + shipped("activation-basic"));
  const Outcome o1 = refused(top.text);
  ASSERT_EQ(o1.errors.size(), 1u) << o1.what;
  EXPECT_EQ((Place{o1.errors[0].line(), o1.errors[0].column()}), top.places[0]) << o1.what;

  const Marked inner =
      strip_markers(replace_once(shipped("activation-basic"), "{name: operator,", "{@[x, y]: 1, name: operator,"));
  const Outcome o2 = refused(inner.text);
  ASSERT_EQ(o2.errors.size(), 1u) << o2.what;
  EXPECT_EQ((Place{o2.errors[0].line(), o2.errors[0].column()}), inner.places[0]) << o2.what;
  EXPECT_TRUE(names_path(o2.errors[0].message(), "platform.operator_site")) << o2.what;

  expect_no_crash("{? {a: b} : c}\n");
  expect_no_crash(shipped("activation-basic") + "i1:\n  timers: {[T]: 1s}\n");
}

TEST(OddYaml, VeryLongValuesAreHandled) {
  const std::string base = shipped("activation-basic");
  const std::string longname(1'000'000, 'a');
  expect_no_crash(replace_once(base, "name: activation-basic", "name: " + longname));
  expect_no_crash(replace_once(base, "description: Activation", "description: " + std::string(5'000'000, 'x')));

  const Marked count = strip_markers(replace_once(base, "  count: 150", "  count: @" + std::string(5000, '9')));
  const Outcome o = refused(count.text);
  ASSERT_EQ(o.errors.size(), 1u) << o.what.substr(0, 500);
  EXPECT_EQ((Place{o.errors[0].line(), o.errors[0].column()}), count.places[0]);
  EXPECT_TRUE(names_path(o.errors[0].message(), "customers.count"));

  expect_no_crash(replace_once(base, "  max_time: 2h", "  max_time: 1" + std::string(5000, '0') + "s"));
  expect_no_crash(replace_once(base, "  max_time: 2h", "  max_time: 2" + std::string(5000, 'h')));
  expect_no_crash(replace_once(base, "rate: 1/s", "rate: 0." + std::string(5000, '0') + "1/s"));
}

TEST(OddYaml, AnEnormousDurationIsRefusedNotTakenAsInfinity) {
  const Marked m = strip_markers(
      replace_once(shipped("activation-basic"), "  max_time: 2h", "  max_time: @1" + std::string(400, '0') + "s"));
  const Outcome o = refused(m.text);
  ASSERT_EQ(o.errors.size(), 1u) << o.what.substr(0, 500);
  EXPECT_EQ((Place{o.errors[0].line(), o.errors[0].column()}), m.places[0]);
}

TEST(OddYaml, ASyntaxErrorIsReportedOnItsLine) {
  const std::string text = replace_once(shipped("activation-basic"), "  max_time: 2h", "  max_time: [2h");
  const Outcome o = refused(text);
  ASSERT_EQ(o.errors.size(), 1u) << o.what;
  EXPECT_EQ(o.errors[0].file(), "odd.yaml");
  EXPECT_GE(o.errors[0].line(), line_of(text, "[2h"));
}

TEST(OddYaml, AKeyWithoutAValueIsReportedAtTheKey) {
  const Marked m = strip_markers(replace_once(shipped("activation-basic"), "  count: 150", "  @count:"));
  const Outcome o = refused(m.text);
  ASSERT_EQ(o.errors.size(), 1u) << o.what;
  EXPECT_EQ((Place{o.errors[0].line(), o.errors[0].column()}), m.places[0]);
  EXPECT_TRUE(names_path(o.errors[0].message(), "customers.count")) << o.what;
}

// A scenario is one YAML document; a second one would be silently dropped, with whatever it was meant to change.
// BUG: YAML::Load keeps the first document and drops the rest without a word.
TEST(OddYaml, DISABLED_ASecondDocumentIsRefused) {
  const Marked m = strip_markers(shipped("activation-basic") + "@---\nstop:\n  max_time: 3h\n");
  const Outcome o = load_text(m.text, "odd.yaml");
  ASSERT_TRUE(o.other.empty()) << o.other;
  ASSERT_FALSE(o.loaded) << "the second document was ignored";
  ASSERT_EQ(o.errors.size(), 1u) << o.what;
  EXPECT_EQ(o.errors[0].line(), m.places[0].line) << o.what;
}

TEST(OddYaml, ControlCharactersAndNulsDoNotCrash) {
  expect_no_crash(std::string("name: a\0b\n", 10));
  expect_no_crash("name: \"\\u0000\\x01\"\n");
  expect_no_crash("\xEF\xBB\xBFname: x\n");
  expect_no_crash("name: \xff\xfe\n");
  expect_no_crash("\t\tname: x\n");
}

} // namespace
} // namespace i1sim::scenario::scenario_errors_test
