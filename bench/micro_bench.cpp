// Microbenchmarks of the per-message and per-placement costs on the simulator's hot paths. Each reports a
// rate counter; compare figures only within one run (the machines are noisy), e.g. decode against encode.
#include "i1/codec.hpp"
#include "i1/spec.hpp"
#include "i1/spec_tools.hpp"
#include "i1/validator.hpp"
#include "util/random.hpp"
#include "world/placement.hpp"

#include <benchmark/benchmark.h>
#include <vector>

namespace {

i1sim::Message service_order() {
  nlohmann::json chars = nlohmann::json::array();
  for (const char* name : {"instances", "vCPU", "memoryMiB", "storageMiB"})
    chars.push_back({{"name", name}, {"valueType", "integer"}, {"value", 4096}});
  return {i1sim::MessageKind::request,
          "createServiceOrder",
          "REQ-0000042",
          0,
          "/tmf-api/serviceOrdering/v4/serviceOrder",
          {{"externalId", "PO-0000042"},
           {"relatedParty", {{{"id", "CUST-000001"}, {"role", "customer"}}}},
           {"serviceOrderItem",
            {{{"id", "1"},
              {"action", "add"},
              {"service", {{"serviceSpecification", {{"id", "vm-small"}}}, {"serviceCharacteristic", chars}}}}}}},
          {}};
}

void BM_CodecEncode(benchmark::State& state) {
  const auto m = service_order();
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto wire = i1sim::i1::encode(m);
    bytes += wire.size();
    benchmark::DoNotOptimize(wire);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_CodecEncode);

void BM_CodecDecode(benchmark::State& state) {
  const auto wire = i1sim::i1::encode(service_order());
  for (auto _ : state)
    benchmark::DoNotOptimize(i1sim::i1::decode(wire));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * wire.size()));
}
BENCHMARK(BM_CodecDecode);

// Checking a message against the specification, next to decoding it (BM_CodecDecode above): what it costs to
// validate every message of a run.
void BM_ValidateServiceOrder(benchmark::State& state) {
  const i1sim::i1::Validator validator(i1sim::spec::builtin());
  auto m = service_order();
  for (auto _ : state)
    benchmark::DoNotOptimize(validator.check(m));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidateServiceOrder);

// A usage notification, the most frequent message of a billed run, observed with its state machine.
void BM_ObserveUsageNotification(benchmark::State& state) {
  i1sim::i1::Validator validator(i1sim::spec::builtin());
  auto ch = [](const char* name, std::int64_t v) {
    return nlohmann::json{{"name", name}, {"valueType", "integer"}, {"value", v}};
  };
  nlohmann::json usage{
      {"id", "USG-0000001"},
      {"href", "/tmf-api/usageManagement/v4/usage/USG-0000001"},
      {"usageDate", "2026-01-01T06:00:00.000000Z"},
      {"usageType", "cloudAllocation"},
      {"status", "rated"},
      {"service", {{"id", "SVC-000001"}}},
      {"usagePeriod",
       {{"startDateTime", "2026-01-01T00:00:00.000000Z"}, {"endDateTime", "2026-01-01T06:00:00.000000Z"}}},
      {"relatedParty", {{{"id", "CUST-000001"}, {"role", "customer"}}}},
      {"usageCharacteristic",
       {ch("vcpuMilliseconds", 43200000), ch("ramMiBMilliseconds", 88473600000),
        ch("storageMiBMilliseconds", 884736000000)}},
      {"ratedProductUsage",
       {{{"ratingDate", "2026-01-01T06:01:00.000000Z"},
         {"isBilled", false},
         {"taxExcludedRatingAmount", {{"unit", "EUR"}, {"value", 17}}}}}}};
  i1sim::Message m{i1sim::MessageKind::notification, "UsageCreateEvent", "EV-1", 0, "sim://listener", {}, {}};
  std::uint64_t n = 0;
  for (auto _ : state) {
    usage["id"] = "USG-" + std::to_string(++n); // a new record each time, as in a run
    m.body = {{"eventId", "EV-1"},
              {"eventTime", "2026-01-01T06:01:00.000000Z"},
              {"eventType", "UsageCreateEvent"},
              {"event", {{"usage", usage}}}};
    benchmark::DoNotOptimize(validator.observe(m));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ObserveUsageNotification);

// Loading and linting the shipped specification: what `i1sim spec lint` costs an editor.
void BM_LoadAndLintSpecification(benchmark::State& state) {
  const std::string text(i1sim::spec::builtin_text());
  for (auto _ : state) {
    const auto spec = i1sim::spec::load_from_string(text, "i1-v1.yaml");
    benchmark::DoNotOptimize(i1sim::spec::lint(spec));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LoadAndLintSpecification);

// Find, reserve and release one VM in a data centre of N hosts that is about half full, with two speed
// classes: the cost a DC controller pays per placement.
void BM_PlacerPlaceAndRelease(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<i1sim::world::HostCapacity> hosts;
  for (std::size_t i = 0; i < n; ++i)
    hosts.push_back({32, i % 4 == 0 ? 4e9 : 3e9, 256.0 * (1 << 30), 4e12});
  i1sim::world::Placer placer(hosts);
  i1sim::Random rng(1);
  const i1sim::world::VmShape small{2, 4.0 * (1 << 30), 40e9, 2.5e9};
  for (std::size_t i = 0; i < n * 8; ++i) // fill to half the cores, unevenly
    if (auto h = placer.find(small); h && rng.uniform() < 0.5)
      placer.reserve(*h, small);
  for (auto _ : state) {
    const auto h = placer.find(small);
    placer.reserve(*h, small);
    placer.release(*h, small);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PlacerPlaceAndRelease)->RangeMultiplier(10)->Range(100, 100000);

} // namespace

BENCHMARK_MAIN();
