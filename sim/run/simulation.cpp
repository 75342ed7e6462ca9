// main() of a simulation, in order: engine, platform, daemons, run, results.
#include "run/simulation.hpp"

#include "cloud/cloud_daemon.hpp"
#include "faults/channel_faults.hpp"
#include "faults/link_faults.hpp"
#include "i1sim/version.hpp"
#include "telecom/telecom.hpp"
#include "trace/event_stream.hpp"
#include "trace/metrics.hpp"
#include "world/dc_controller.hpp"
#include "world/platform.hpp"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <memory>
#include <openssl/evp.h>
#include <simgrid/s4u.hpp>
#include <sstream>

namespace sg = simgrid::s4u;

namespace i1sim::run {

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw RunError("SHA-256 failed");
  std::string hex;
  for (unsigned int i = 0; i < length; ++i)
    hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

namespace {

void write_atomically(const std::string& path, const std::string& content) {
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out)
      throw RunError(fmt::format("{}: write failed", partial));
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0)
    throw RunError(fmt::format("{}: cannot move into place", path));
}

CloudSetup cloud_setup(const scenario::Scenario& sc) {
  CloudSetup setup;
  for (const auto& cs : sc.catalogue.cloud_services)
    setup.offers.push_back(CloudServiceOffer{cs.id, cs.name, cs.instances, cs.image_size, cs.boot_work,
                                             cs.rates.vcpu_hour, cs.rates.ram_gib_hour, cs.rates.storage_gib_hour,
                                             cs.sla.credit_percent});
  setup.currency = sc.billing.currency;
  setup.bill_cycle = sc.billing.cycle;
  setup.profile = sc.i1.profile;
  for (const auto& op : sc.i1.operators)
    setup.operators[telecom::credential_of(op)] = op;
  setup.timers = telecom::timer_values(sc);
  return setup;
}

} // namespace

RunResult run_simulation(const scenario::Scenario& sc, const std::string& scenario_file_bytes,
                         const RunOptions& options) {
  std::string scenario_bytes = scenario_file_bytes; // what ran: the file, then each override in order
  for (const auto& o : options.overrides)
    scenario_bytes += "\n--set " + o;
  const std::uint64_t seed = options.seed.value_or(sc.seed);
  auto iut = options.make_iut ? options.make_iut(cloud_setup(sc)) : make_cloud_iut(options.iut, cloud_setup(sc));
  if (!iut)
    throw RunError(fmt::format("unknown implementation under test '{}'", options.iut));

  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec || !std::filesystem::is_directory(options.out_dir))
    throw RunError(fmt::format("{}: cannot create the output directory", options.out_dir));

  // Engine. SimGrid's own logs are silenced unless the caller asks for them; CM02 takes latencies and
  // bandwidths as written in the scenario (no TCP fudge factors), bounded by a TCP window.
  std::vector<std::string> args{"i1sim", "--log=root.thresh:critical", "--cfg=network/model:CM02"};
  // I1SIM_SIMGRID_ARGS carries engine settings that never change results, such as the context factory a
  // sanitizer build needs (contexts/factory:thread).
  if (const char* extra = std::getenv("I1SIM_SIMGRID_ARGS")) {
    std::istringstream words(extra);
    for (std::string w; words >> w;)
      args.push_back(w);
  }
  args.insert(args.end(), options.simgrid_args.begin(), options.simgrid_args.end());
  std::vector<char*> argv;
  argv.reserve(args.size());
  for (auto& a : args)
    argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  std::unique_ptr<sg::Engine> engine_holder;
  try {
    engine_holder = std::make_unique<sg::Engine>(&argc, argv.data());
  } catch (const std::exception& e) { // a bad --simgrid option: SimGrid lists every key; keep the first line
    const std::string what = e.what();
    throw RunError(fmt::format("SimGrid refused its options: {}", what.substr(0, what.find('\n'))));
  }
  sg::Engine& engine = *engine_holder;

  // Platform.
  const world::World w = world::build_world(sc.platform);

  // Observers of the event stream.
  trace::EventStream events([] { return sg::Engine::get_clock(); });
  trace::Metrics metrics;
  for (const auto& dc : sc.platform.data_centres) // placement.violations judges where VMs went by this
    metrics.set_jurisdiction(dc.name, dc.jurisdiction);
  events.add_observer(&metrics);
  std::unique_ptr<trace::JsonlWriter> writer;
  const std::string events_path = (std::filesystem::path(options.out_dir) / "events.jsonl").string();
  if (options.write_events) {
    writer = std::make_unique<trace::JsonlWriter>(events_path);
    events.add_observer(writer.get());
  }
  for (auto* o : options.observers)
    events.add_observer(o);

  // Every message in flight belongs to the ledger, so what the run ends before receiving is freed with it.
  // Link cuts of the timeline, if any: every daemon then sends through them (see world::Transport), and
  // they are the ledger.
  world::Ledger ledger;
  std::unique_ptr<faults::LinkFaults> links;
  if (faults::LinkFaults::any(sc.timeline))
    links = std::make_unique<faults::LinkFaults>(w.cloud_oss, w, sc.timeline, events);
  // Channel faults of the timeline, if any: every I1 frame is then sent through them.
  std::unique_ptr<faults::ChannelFaults> channel;
  if (faults::ChannelFaults::any(sc.timeline))
    channel = std::make_unique<faults::ChannelFaults>(w.cloud_oss, sc.timeline, seed, events);

  // Daemons: one actor per service, never one per order or VM.
  std::vector<std::unique_ptr<world::DcController>> dcs;
  std::vector<world::DcController*> dc_ptrs;
  for (const auto& site : w.dcs) {
    const scenario::HostFailures* failures = nullptr;
    for (const auto& f : sc.failures)
      if (f.dc == site.name)
        failures = &f;
    dcs.push_back(std::make_unique<world::DcController>(site, events, failures, seed));
    dcs.back()->schedule(sc.timeline); // its host crashes and outages
    dc_ptrs.push_back(dcs.back().get());
  }
  cloud::CloudDaemon cloud(w.cloud_oss, *iut, events, sc.cloud_oss.service_time, dc_ptrs);
  cloud.schedule(sc.timeline); // its restarts and clock skews
  telecom::TelecomOss oss(w.telecom_oss, sc, seed, events);
  telecom::TelecomBss bss(w.telecom_bss, sc, seed, events);
  for (auto& dc : dcs)
    dc->set_cloud(&cloud);
  cloud.set_telecom(&oss);
  for (const auto& op : sc.i1.operators) {
    cloud.add_listener(oss.listener_address(op), &oss);
    cloud.add_listener(oss.listener_address(op) + "/probe", &oss); // the hubQuery probe's second listener
  }
  oss.set_peers(&bss, &cloud);
  if (channel) {
    cloud.set_channel(channel.get());
    oss.set_channel(channel.get());
  }
  bss.set_oss(&oss);
  bss.set_cloud(&cloud);
  bss.set_on_end([&] {
    for (auto& dc : dcs)
      dc->halt();
    cloud.halt();
    oss.halt();
  });

  if (links) {
    for (auto& dc : dcs)
      dc->set_transport(links.get());
    cloud.set_transport(links.get());
    oss.set_transport(links.get());
    bss.set_transport(links.get());
    links->spawn(true);
  } else {
    for (auto& dc : dcs)
      dc->set_ledger(&ledger);
    cloud.set_ledger(&ledger);
    oss.set_ledger(&ledger);
    bss.set_ledger(&ledger);
  }
  if (channel) {
    channel->set_ledger(links ? static_cast<world::Ledger*>(links.get()) : &ledger);
    channel->spawn(true);
  }
  for (auto& dc : dcs)
    dc->spawn(true);
  cloud.spawn(true);
  oss.spawn(true);
  bss.spawn(false); // the workload driver: the run ends when it does

  // Run.
  engine.run();
  const double end = bss.ended_at(); // messages still in flight may move the engine's clock a little further

  // Results.
  RunResult result;
  if (writer) {
    writer->commit();
    result.events_path = events_path;
  }
  nlohmann::ordered_json r;
  r["schema"] = "i1sim.results/1";
  r["tool"] = {{"name", "i1sim"}, {"version", std::string(kVersion)}};
  r["run"] = {{"scenario", sc.file},
              {"scenario_name", sc.name},
              {"scenario_sha256", sha256_hex(scenario_bytes)},
              {"seed", seed},
              {"iut", options.make_iut ? options.iut : iut->name()},
              {"simulated_end_s", end},
              {"events", events.count()}};
  if (!options.overrides.empty())
    r["run"]["overrides"] = options.overrides;
  r["metrics"] = metrics.to_json();
  if (options.complete)
    options.complete(r);
  result.results = r;
  result.results_path = (std::filesystem::path(options.out_dir) / "results.json").string();
  write_atomically(result.results_path, r.dump(2) + "\n");
  return result;
}

} // namespace i1sim::run
