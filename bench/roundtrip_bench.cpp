// The in-simulation I1 request/response round trip against a raw SimGrid put/get of the same sizes, in one
// engine and one run, with the layers in between measured one by one so the cause of the ratio is visible.
#include "cpu_clock.hpp"
#include "i1/binding.hpp"
#include "i1/codec.hpp"
#include "messages.hpp"
#include "trace/event_stream.hpp"
#include "world/daemon.hpp"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <simgrid/s4u.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace sg = simgrid::s4u;

namespace {

using Clock = i1sim::bench::CpuClock;
namespace world = i1sim::world;

std::size_t env_count(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  return v && std::atoll(v) > 0 ? static_cast<std::size_t>(std::atoll(v)) : fallback;
}

/// What one phase measures, from the cheapest to the real thing; each adds one layer to the one before.
enum class Layer {
  raw,       // two plain actors: A puts S bytes to B's mailbox, B gets them and puts S' bytes back, A gets them
  transport, // two world::Daemon actors exchanging I1 frames whose wire text was encoded beforehand
  codec,     // the same, encoding each message on send and decoding it on arrival as the binding does
  i1,        // i1::InSimBinding: encode, send, decode and record on the event stream, as a run does
  i1_keep,   // the same through the send that leaves the sender its message, which costs the receiver a copy
};
constexpr Layer kLayers[] = {Layer::raw, Layer::transport, Layer::codec, Layer::i1, Layer::i1_keep};
const char* name(Layer l) {
  switch (l) {
  case Layer::raw:
    return "raw";
  case Layer::transport:
    return "transport";
  case Layer::codec:
    return "codec";
  case Layer::i1:
    return "i1";
  case Layer::i1_keep:
    return "i1_keep";
  }
  return "?";
}

/// An exchange every phase repeats: a message from the client and the server's answer.
struct Exchange {
  std::string name;
  i1sim::Message request, response;
  std::string request_wire = i1sim::i1::encode(request);
  std::string response_wire = i1sim::i1::encode(response);
  Exchange(std::string n, i1sim::Message q, i1sim::Message a)
      : name(std::move(n))
      , request(std::move(q))
      , response(std::move(a)) {}
};

/// A createServiceOrder and its 201 answer, as in every order of a run; and the most frequent exchange of a
/// billed run, a usage notification and the listener's empty 204 (as TelecomOss acknowledges it).
std::vector<Exchange> exchanges() {
  std::vector<Exchange> all;
  all.emplace_back("service_order", i1sim::bench::service_order_request(), i1sim::bench::service_order_response());
  auto usage = i1sim::bench::usage_notification();
  i1sim::Message ack{i1sim::MessageKind::response, usage.type, usage.correlation_id, 204, "",
                     nlohmann::json::object(),     {}};
  all.emplace_back("usage_notification", std::move(usage), std::move(ack));
  return all;
}

/// Where a phase's client reports its CPU time to the driver.
struct PhaseEnd {
  Clock::time_point start, end;
};

/// The messages of a phase that sends as a run's callers do: each message is built just before its send and given
/// up to the binding (InSimBinding::send(..., Message&&)). Building it is the application's work, which no phase
/// times (the other phases send the exchange's own messages), so it is set aside: the median time of making a
/// round trip's two messages, on the steady clock (a CPU-time read is a system call of about 0.6 us here; the
/// median ignores the rare making that the scheduler interrupts), is taken off the phase's time per round trip.
/// Making them ahead in batches instead would lay each tree out across a fragmented heap, which a run never does,
/// and slowed every later step (walking, freeing) several-fold.
class Supply {
public:
  Supply(const Exchange& x, std::size_t rounds) : x_(&x) { made_ns_.reserve(rounds); }
  /// The client's next request, made with the server's answer to it.
  i1sim::Message request() {
    const auto start = std::chrono::steady_clock::now();
    i1sim::Message q = x_->request;
    response_ = x_->response;
    made_ns_.push_back(static_cast<double>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count()));
    return q;
  }
  i1sim::Message response() { return std::move(response_); }
  /// Median ns of making a round trip's two messages; 0 when this phase made none.
  double made_ns() const;

private:
  const Exchange* x_;
  i1sim::Message response_;
  std::vector<double> made_ns_;
};

/// One side of a daemon phase. The client sends the request on start and again on each answer, K times;
/// the server answers every request.
class Peer : public world::Daemon {
public:
  Peer(std::string name, sg::Host* host, Layer layer, const Exchange& x, i1sim::trace::EventStream& events, bool client,
       std::size_t rounds, PhaseEnd* end, Supply* supply)
      : Daemon(std::move(name), host)
      , layer_(layer)
      , x_(&x)
      , binding_(events)
      , client_(client)
      , rounds_(rounds)
      , end_(end)
      , supply_(supply) {}
  void set_peer(const Peer* peer) { peer_ = peer; }

protected:
  void on_start() override {
    if (!client_)
      return;
    end_->start = Clock::now();
    send_one();
  }

  void on_envelope(world::Envelope&& envelope) override {
    auto* frame = std::get_if<world::I1Frame>(&envelope);
    if (!frame)
      return;
    switch (layer_) {
    case Layer::transport:
      benchmark::DoNotOptimize(frame->wire.data());
      break;
    case Layer::codec: { // held as a run's receiver holds what it reads, and dropped the same way
      const i1sim::i1::Received read(i1sim::i1::InSimBinding::read(*frame));
      benchmark::DoNotOptimize(read->body);
      break;
    }
    default:
      benchmark::DoNotOptimize(binding_.deliver(*frame));
      break;
    }
    if (client_ && ++done_ == rounds_) {
      end_->end = Clock::now();
      finish();
      sg::Mailbox::by_name("driver")->put(end_, 0);
      return;
    }
    send_one();
  }

private:
  void send_one() {
    const auto direction = client_ ? i1sim::Direction::telecom_to_cloud : i1sim::Direction::cloud_to_telecom;
    const i1sim::Message& m = client_ ? x_->request : x_->response;
    switch (layer_) {
    case Layer::transport: {
      const std::string& wire = client_ ? x_->request_wire : x_->response_wire;
      send(*peer_, world::I1Frame{wire, direction, now(), nullptr}, wire.size());
      break;
    }
    case Layer::codec: {
      auto frame = i1sim::i1::InSimBinding::frame(next(), direction);
      const auto bytes = frame.wire.size();
      send(*peer_, std::move(frame), bytes);
      break;
    }
    case Layer::i1_keep:
      binding_.send(*this, *peer_, m, direction);
      break;
    default:
      binding_.send(*this, *peer_, next(), direction);
      break;
    }
  }
  /// This side's next message to give up.
  i1sim::Message next() { return client_ ? supply_->request() : supply_->response(); }

  Layer layer_;
  const Exchange* x_;
  i1sim::i1::InSimBinding binding_;
  bool client_;
  std::size_t rounds_;
  std::size_t done_ = 0;
  PhaseEnd* end_;
  Supply* supply_;
  const Peer* peer_ = nullptr;
};

struct Figures {
  std::size_t rounds = 0, reps = 0;
  std::map<std::string, std::map<Layer, std::vector<double>>> ns; // exchange -> layer -> per round trip, per rep
  std::map<std::string, std::size_t> request_bytes, response_bytes;
  std::map<std::string, std::vector<double>> made_ns; // exchange -> messages made for the i1 phase, per rep
  std::string error;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double Supply::made_ns() const { return made_ns_.empty() ? 0.0 : median(made_ns_); }

/// The driver: every layer in turn, `reps` times over, so that a slow stretch of the machine hits them alike.
void drive(sg::Host* a, sg::Host* b, const std::vector<Exchange>& xs, Figures& f,
           std::vector<std::unique_ptr<Peer>>& keep, world::Ledger& ledger, i1sim::trace::EventStream& events) {
  sg::Mailbox* driver = sg::Mailbox::by_name("driver");
  const std::size_t k = f.rounds;
  std::vector<std::unique_ptr<Supply>> supplies;
  for (std::size_t rep = 0; rep < f.reps; ++rep) {
    for (const Exchange& x : xs) {
      f.request_bytes[x.name] = x.request_wire.size();
      f.response_bytes[x.name] = x.response_wire.size();
      for (const Layer layer : kLayers) {
        PhaseEnd end;
        const std::string tag = x.name + "." + name(layer) + "-" + std::to_string(rep);
        if (layer == Layer::raw) {
          sg::Mailbox* to_b = sg::Mailbox::by_name(tag + ".b");
          sg::Mailbox* to_a = sg::Mailbox::by_name(tag + ".a");
          static int payload = 0;
          const auto req = x.request_wire.size();
          const auto resp = x.response_wire.size();
          sg::Actor::create(tag + ".server", b, [to_a, to_b, k, resp] {
            for (std::size_t i = 0; i < k; ++i) {
              benchmark::DoNotOptimize(to_b->get<int>());
              to_a->put(&payload, resp);
            }
          });
          sg::Actor::create(tag + ".client", a, [to_a, to_b, k, req, &end, driver] {
            end.start = Clock::now();
            for (std::size_t i = 0; i < k; ++i) {
              to_b->put(&payload, req);
              benchmark::DoNotOptimize(to_a->get<int>());
            }
            end.end = Clock::now();
            driver->put(&end, 0);
          });
        } else {
          supplies.push_back(std::make_unique<Supply>(x, k));
          auto server =
              std::make_unique<Peer>(tag + ".server", b, layer, x, events, false, k, nullptr, supplies.back().get());
          auto client =
              std::make_unique<Peer>(tag + ".client", a, layer, x, events, true, k, &end, supplies.back().get());
          client->set_peer(server.get());
          server->set_peer(client.get());
          server->set_ledger(&ledger);
          client->set_ledger(&ledger);
          server->spawn(true);
          client->spawn(true);
          keep.push_back(std::move(server));
          keep.push_back(std::move(client));
        }
        driver->get<PhaseEnd>();
        const double made = layer == Layer::raw ? 0.0 : supplies.back()->made_ns();
        f.ns[x.name][layer].push_back(
            static_cast<double>(std::chrono::nanoseconds(end.end - end.start).count()) / static_cast<double>(k) - made);
        if (layer == Layer::i1)
          f.made_ns[x.name].push_back(made);
      }
    }
  }
}

/// Runs every phase in this process's one engine; later calls return the same figures.
const Figures& measure() {
  static Figures f;
  static bool done = false;
  if (done)
    return f;
  done = true;
  f.rounds = env_count("I1SIM_BENCH_ROUNDTRIPS", 20000);
  f.reps = env_count("I1SIM_BENCH_REPS", 5);
  // The engine as a run configures it (sim/run/simulation.cpp): silent, CM02, plus I1SIM_SIMGRID_ARGS.
  std::vector<std::string> args{"i1sim_bench", "--log=root.thresh:critical", "--cfg=network/model:CM02"};
  if (const char* extra = std::getenv("I1SIM_SIMGRID_ARGS")) {
    std::istringstream words(extra);
    for (std::string w; words >> w;)
      args.push_back(w);
  }
  std::vector<char*> argv;
  for (auto& s : args)
    argv.push_back(s.data());
  int argc = static_cast<int>(argv.size());
  try {
    sg::Engine engine(&argc, argv.data());
    // Two hosts joined by one link: a WAN hop of 10 ms and 1 Gbps.
    auto* zone = sg::create_full_zone("bench");
    sg::Host* a = zone->create_host("a", 1e9);
    sg::Host* b = zone->create_host("b", 1e9);
    sg::Link* link = zone->create_link("wan", 1e9)->set_latency(10e-3)->seal();
    zone->add_route(a->get_netpoint(), b->get_netpoint(), nullptr, nullptr, {sg::LinkInRoute(link)}, true);
    zone->seal();

    const std::vector<Exchange> xs = exchanges();
    world::Ledger ledger;
    i1sim::trace::EventStream events([] { return sg::Engine::get_clock(); });
    std::vector<std::unique_ptr<Peer>> keep; // every daemon outlives the engine's run
    sg::Actor::create("driver", a, [&] { drive(a, b, xs, f, keep, ledger, events); });
    engine.run();
  } catch (const std::exception& e) {
    f.error = e.what();
  }
  return f;
}

// One engine runs every phase of both exchanges, interleaved, the first time either benchmark runs (an engine
// cannot be made twice in a process); each benchmark reports its exchange. The counters are medians over the
// repetitions, per round trip, of the process's CPU time. The breakdown: daemon = transport - raw (the daemon
// loop, detached sends, the ledger), codec = codec - transport (encode, and the decoded copy the receiver
// reads, both ways), recording = i1 - codec (the binding's event data and the stream's emit, both ways). The
// codec and i1 phases send as a run's callers do, giving each message up to the binding; i1_keep (and ratio_keep)
// is the i1 round trip through the send that leaves the sender its message, as a caller that keeps it pays.
void BM_RoundTrip(benchmark::State& state, const char* exchange) {
  for (auto _ : state) {
    const Figures& f = measure();
    if (!f.error.empty()) {
      state.SkipWithError(f.error.c_str());
      return;
    }
    const auto& ns = f.ns.at(exchange);
    const double raw = median(ns.at(Layer::raw));
    const double transport = median(ns.at(Layer::transport));
    const double codec = median(ns.at(Layer::codec));
    const double i1 = median(ns.at(Layer::i1));
    const double keep = median(ns.at(Layer::i1_keep));
    state.counters["roundtrips"] = static_cast<double>(f.rounds);
    state.counters["reps"] = static_cast<double>(f.reps);
    state.counters["request_bytes"] = static_cast<double>(f.request_bytes.at(exchange));
    state.counters["response_bytes"] = static_cast<double>(f.response_bytes.at(exchange));
    state.counters["raw_ns_per_roundtrip"] = raw;
    state.counters["i1_ns_per_roundtrip"] = i1;
    state.counters["ratio"] = i1 / raw;
    state.counters["transport_ns_per_roundtrip"] = transport;
    state.counters["daemon_ns"] = transport - raw;
    state.counters["codec_ns"] = codec - transport;
    state.counters["recording_ns"] = i1 - codec;
    state.counters["i1_keep_ns_per_roundtrip"] = keep;
    state.counters["ratio_keep"] = keep / raw;
    state.counters["made_ns_set_aside"] = median(f.made_ns.at(exchange));
  }
}
BENCHMARK_CAPTURE(BM_RoundTrip, service_order, "service_order")->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_RoundTrip, usage_notification, "usage_notification")->Iterations(1)->Unit(benchmark::kMillisecond);

} // namespace
