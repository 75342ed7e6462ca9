// Microbenchmarks of the per-message and per-placement costs on the simulator's hot paths. Each reports a
// rate counter; compare figures only within one run (the machines are noisy), e.g. decode against encode.
#include "i1/binding.hpp"
#include "i1/codec.hpp"
#include "i1/spec.hpp"
#include "i1/spec_tools.hpp"
#include "i1/validator.hpp"
#include "messages.hpp"
#include "util/json_dismantle.hpp"
#include "util/random.hpp"
#include "world/placement.hpp"

#include <benchmark/benchmark.h>
#include <string>
#include <vector>

namespace {

using MessageMaker = i1sim::Message (*)();
namespace msg = i1sim::bench;

// Messages/s (items) and bytes/s of wire text produced.
void BM_CodecEncode(benchmark::State& state, MessageMaker make) {
  const auto m = make();
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto wire = i1sim::i1::encode(m);
    bytes += wire.size();
    benchmark::DoNotOptimize(wire);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["wire_bytes"] = static_cast<double>(i1sim::i1::encode(m).size());
}
BENCHMARK_CAPTURE(BM_CodecEncode, service_order, &msg::service_order_request);
BENCHMARK_CAPTURE(BM_CodecEncode, order_state_change, &msg::order_state_change_notification);
BENCHMARK_CAPTURE(BM_CodecEncode, usage, &msg::usage_notification);
BENCHMARK_CAPTURE(BM_CodecEncode, bill, &msg::bill_notification);

// Messages/s and bytes/s of wire text read (the decoder also checks the envelope's fields).
void BM_CodecDecode(benchmark::State& state, MessageMaker make) {
  const auto wire = i1sim::i1::encode(make());
  for (auto _ : state)
    benchmark::DoNotOptimize(i1sim::i1::decode(wire));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * wire.size()));
  state.counters["wire_bytes"] = static_cast<double>(wire.size());
}
BENCHMARK_CAPTURE(BM_CodecDecode, service_order, &msg::service_order_request);
BENCHMARK_CAPTURE(BM_CodecDecode, order_state_change, &msg::order_state_change_notification);
BENCHMARK_CAPTURE(BM_CodecDecode, usage, &msg::usage_notification);
BENCHMARK_CAPTURE(BM_CodecDecode, bill, &msg::bill_notification);

// The JSON operations an in-simulation message cannot avoid, on the body of each message: a deep copy (what the
// receiver gets of what the sender still holds), the conversion to the event stream's ordered JSON (what the
// trace records) and the compact dump (the wire text, whose length is the simulated size). They bound what a
// round trip through the I1 binding can cost beyond the transport (see BM_RoundTrip).
void BM_JsonCopy(benchmark::State& state, MessageMaker make) {
  const auto m = make();
  for (auto _ : state) {
    nlohmann::json copy = m.body;
    benchmark::DoNotOptimize(copy);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_JsonCopy, service_order, &msg::service_order_request);
BENCHMARK_CAPTURE(BM_JsonCopy, bill, &msg::bill_notification);

// The same copy, freed from the leaves up (util::dismantle, as i1::Received frees a received message) instead of
// by nlohmann's destructor: the difference with BM_JsonCopy is what freeing a body that way saves.
void BM_JsonCopyDismantled(benchmark::State& state, MessageMaker make) {
  const auto m = make();
  for (auto _ : state) {
    nlohmann::json copy = m.body;
    benchmark::DoNotOptimize(copy);
    i1sim::util::dismantle(copy);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_JsonCopyDismantled, service_order, &msg::service_order_request);
BENCHMARK_CAPTURE(BM_JsonCopyDismantled, bill, &msg::bill_notification);

void BM_JsonToOrdered(benchmark::State& state, MessageMaker make) {
  const auto m = make();
  for (auto _ : state) {
    nlohmann::ordered_json copy = m.body;
    benchmark::DoNotOptimize(copy);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_JsonToOrdered, service_order, &msg::service_order_request);
BENCHMARK_CAPTURE(BM_JsonToOrdered, bill, &msg::bill_notification);

void BM_JsonDump(benchmark::State& state, MessageMaker make) {
  const auto m = make();
  for (auto _ : state)
    benchmark::DoNotOptimize(m.body.dump());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_JsonDump, service_order, &msg::service_order_request);
BENCHMARK_CAPTURE(BM_JsonDump, bill, &msg::bill_notification);

// The binding's two halves on one message, without the transport: what the sender pays (encode, and the copy
// the receiver will read instead of parsing) and what the receiver pays (read and record on the event stream,
// with no observer). BM_RoundTrip measures them inside the engine.
void BM_BindingFrame(benchmark::State& state, MessageMaker make) {
  const auto m = make();
  for (auto _ : state)
    benchmark::DoNotOptimize(i1sim::i1::InSimBinding::frame(m, i1sim::Direction::cloud_to_telecom));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_BindingFrame, service_order, &msg::service_order_request);
BENCHMARK_CAPTURE(BM_BindingFrame, bill, &msg::bill_notification);

void BM_BindingDeliver(benchmark::State& state, MessageMaker make) {
  const auto m = make();
  i1sim::trace::EventStream events([] { return 0.0; });
  const i1sim::i1::InSimBinding binding(events);
  const auto frame = i1sim::i1::InSimBinding::frame(m, i1sim::Direction::cloud_to_telecom);
  for (auto _ : state) {
    state.PauseTiming();
    auto f = frame;
    f.decoded = std::make_shared<i1sim::Message>(*frame.decoded);
    state.ResumeTiming();
    benchmark::DoNotOptimize(binding.deliver(f));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_BindingDeliver, service_order, &msg::service_order_request);
BENCHMARK_CAPTURE(BM_BindingDeliver, bill, &msg::bill_notification);

// Checking one message against the specification (its shape only), next to decoding it (BM_CodecDecode above):
// what it costs to validate every message of a run. A message the specification refuses would measure the
// error path, so it stops the benchmark instead.
void BM_Validate(benchmark::State& state, MessageMaker make) {
  const i1sim::i1::Validator validator(i1sim::spec::builtin());
  const auto m = make();
  if (const auto problems = validator.check(m); !problems.empty()) {
    state.SkipWithError((problems.front().path + ": " + problems.front().message).c_str());
    return;
  }
  for (auto _ : state)
    benchmark::DoNotOptimize(validator.check(m));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Validate, service_order, &msg::service_order_request);
BENCHMARK_CAPTURE(BM_Validate, order_state_change, &msg::order_state_change_notification);
BENCHMARK_CAPTURE(BM_Validate, usage, &msg::usage_notification);
BENCHMARK_CAPTURE(BM_Validate, bill, &msg::bill_notification);

// A usage notification, the most frequent message of a billed run, observed with its state machine: a new
// record each time, as in a run, so the validator's state grows as it does over a run.
void BM_ObserveUsageNotification(benchmark::State& state) {
  i1sim::i1::Validator validator(i1sim::spec::builtin());
  auto m = msg::usage_notification();
  auto& usage = m.body["event"]["usage"];
  std::uint64_t n = 0;
  for (auto _ : state) {
    usage["id"] = "USG-" + std::to_string(++n);
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
