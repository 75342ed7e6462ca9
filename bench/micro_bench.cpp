// Microbenchmarks of the per-message and per-placement costs on the simulator's hot paths. Each reports a
// rate counter; compare figures only within one run (the machines are noisy), e.g. decode against encode.
#include "i1/codec.hpp"
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
