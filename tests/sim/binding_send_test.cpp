// The binding's send for a message its owner gives up (InSimBinding::send(..., Message&&)), in a forked engine:
// the receiver must get and record exactly what the send that leaves the sender its message gives, also when
// the channel duplicates the frame. Each test reports what it saw through its exit code and stderr.
#include "faults/channel_faults.hpp"
#include "i1/binding.hpp"
#include "i1/codec.hpp"
#include "support/sim_engine.hpp"
#include "trace/event_stream.hpp"
#include "world/daemon.hpp"

#include <cstdlib>
#include <gtest/gtest.h>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace sg = simgrid::s4u;

namespace i1sim::i1::binding_send_test {
namespace {

std::unique_ptr<sg::Engine> make_engine() { return test::make_one_host_engine("binding_send_test"); }

/// Keeps every event of the stream.
struct Recorder : trace::Observer {
  std::vector<trace::Event> events;
  void on_event(const trace::Event& e) override { events.push_back(e); }
};

/// A daemon that sends through its binding on start and delivers (and keeps) every frame it receives; it ends
/// once it has received `expected` messages.
class Node : public world::Daemon {
public:
  Node(std::string name, trace::EventStream& events, std::function<void(Node&)> start = {})
      : Daemon(std::move(name), sg::Host::by_name("h"))
      , binding(events)
      , start_(std::move(start)) {}
  InSimBinding binding;
  std::vector<Message> received;
  std::size_t expected = 0;
  std::function<void(const world::I1Frame&)> on_frame; // sees each frame before it is delivered

protected:
  void on_start() override {
    if (start_)
      start_(*this);
  }
  void on_envelope(world::Envelope&& e) override {
    if (auto* frame = std::get_if<world::I1Frame>(&e); frame && on_frame)
      on_frame(*frame);
    if (auto* frame = std::get_if<world::I1Frame>(&e))
      if (auto m = binding.deliver(*frame))
        received.push_back(std::move(*m));
    if (received.size() == expected)
      finish();
  }

private:
  std::function<void(Node&)> start_;
};

std::vector<Message> messages() {
  const nlohmann::json body = {{"id", "so-1"},
                               {"quantity", 2},
                               {"offset", -3},
                               {"ratio", 0.5},
                               {"missing", std::numeric_limits<double>::quiet_NaN()},
                               {"items", {{{"id", "1"}, {"action", "add"}}}}};
  return {
      {MessageKind::request, "createServiceOrder", "REQ-0000001", 0, "/serviceOrder", body, "operator-a"},
      {MessageKind::response, "createServiceOrder", "REQ-0000001", 201, "/ignored", body, "ignored"},
      {MessageKind::notification, "UsageCreateEvent", "EVT-1", 0, "sim://operator/listener", body, ""},
      {MessageKind::response, "UsageCreateEvent", "EVT-1", 204, "", nlohmann::json::object(), ""},
  };
}

[[noreturn]] void report(const std::string& problems) {
  std::cerr << problems;
  std::exit(problems.empty() ? 0 : 1);
}

/// An event as its JSON line, without the id (each event has its own).
std::string line_without_id(trace::Event e) {
  e.id = 0;
  return trace::to_json_line(e);
}

void GivesAndRecordsWhatTheCopyingSendDoes() {
  auto engine = make_engine();
  std::ostringstream problems;
  Recorder recorder;
  trace::EventStream events([] { return sg::Engine::get_clock(); });
  events.add_observer(&recorder);
  Node receiver("receiver", events);
  receiver.expected = 2 * messages().size();
  // Every message twice: first through the send that copies it, then through the one that takes it.
  Node sender("sender", events, [&](Node& self) {
    for (const Message& m : messages()) {
      self.binding.send(self, receiver, m, Direction::cloud_to_telecom);
      Message given_up = m;
      self.binding.send(self, receiver, std::move(given_up), Direction::cloud_to_telecom);
    }
  });
  receiver.spawn(false);
  sender.spawn(true);
  engine->run();
  const auto sent = messages();
  if (receiver.received.size() != 2 * sent.size() || recorder.events.size() != 2 * sent.size())
    report("expected " + std::to_string(2 * sent.size()) + " messages and events, got " +
           std::to_string(receiver.received.size()) + " and " + std::to_string(recorder.events.size()) + "\n");
  for (std::size_t i = 0; i < sent.size(); ++i) {
    const Message expected = decode(encode(sent[i])); // what a receiver parsing the text gets
    if (!(receiver.received[2 * i] == expected))
      problems << "copying send of message " << i << " delivered something else than its text\n";
    if (!(receiver.received[2 * i + 1] == expected))
      problems << "taking send of message " << i
               << " delivered something else than its text: " << receiver.received[2 * i + 1].body.dump() << "\n";
    const auto copied = line_without_id(recorder.events[2 * i]);
    const auto moved = line_without_id(recorder.events[2 * i + 1]);
    if (copied != moved)
      problems << "message " << i << " recorded differently:\n  " << copied << "\n  " << moved << "\n";
  }
  report(problems.str());
}

void DeliversADuplicatedFrameTwiceWhole() {
  auto engine = make_engine();
  std::ostringstream problems;
  Recorder recorder;
  trace::EventStream events([] { return sg::Engine::get_clock(); });
  events.add_observer(&recorder);
  scenario::Fault duplicate;
  duplicate.kind = scenario::Fault::Kind::channel;
  duplicate.duplicate = 1.0; // every frame, for the whole run
  faults::ChannelFaults channel(sg::Host::by_name("h"), {duplicate}, 1, events);
  Node receiver("receiver", events);
  receiver.expected = 2;
  Node sender("sender", events, [&](Node& self) {
    Message given_up = messages()[0];
    self.binding.send(self, receiver, std::move(given_up), Direction::telecom_to_cloud);
  });
  sender.binding.set_channel(&channel, [](double, std::function<void()>) {});
  receiver.spawn(false);
  sender.spawn(true);
  engine->run();
  const Message expected = decode(encode(messages()[0]));
  if (receiver.received.size() != 2)
    report("expected the frame twice, got " + std::to_string(receiver.received.size()) + "\n");
  for (const Message& m : receiver.received)
    if (!(m == expected))
      problems << "a copy of the duplicated frame is not its text: " << m.body.dump() << "\n";
  std::size_t duplicated = 0, delivered = 0;
  for (const auto& e : recorder.events) {
    duplicated += e.type == "channel.duplicated";
    delivered += e.type == "i1.request";
    if (e.type == "channel.duplicated" && e.data.value("name", "") != "createServiceOrder")
      problems << "the channel judged another message: " << line_without_id(e) << "\n";
  }
  if (duplicated != 1 || delivered != 2)
    problems << "expected one channel.duplicated and two i1.request events, got " << duplicated << " and " << delivered
             << "\n";
  report(problems.str());
}

/// Whether each frame arrived with its sender's decoded copy, and its size; what Node delivers.
struct Arrival {
  bool decoded = false;
  std::size_t bytes = 0;
};

void ABurstWaitingForConnectionsKeepsDecodedCopiesUpToItsBytes() {
  auto engine = make_engine();
  std::ostringstream problems;
  trace::EventStream events([] { return sg::Engine::get_clock(); });
  world::Ledger ledger; // only a daemon with a ledger keeps a pool of connections
  // 200 listings of about 60 KB each (12 MB), sent at once: eight go at once, the rest wait for a connection.
  constexpr std::size_t kFrames = 200;
  std::vector<Message> sent;
  for (std::size_t i = 0; i < kFrames; ++i) {
    nlohmann::json list = nlohmann::json::array();
    for (int k = 0; k < 1500; ++k)
      list.push_back({{"id", "SVC-" + std::to_string(i * 1000 + static_cast<std::size_t>(k))}, {"state", "active"}});
    sent.push_back({MessageKind::response, "listService", "REQ-" + std::to_string(i), 200, "", std::move(list), ""});
  }
  std::vector<Arrival> arrivals;
  Node receiver("receiver", events);
  receiver.expected = kFrames;
  receiver.on_frame = [&](const world::I1Frame& f) { arrivals.push_back({f.decoded != nullptr, f.wire.size()}); };
  Node sender("sender", events, [&](Node& self) {
    for (const Message& m : sent) {
      Message given_up = m;
      self.binding.send(self, receiver, std::move(given_up), Direction::cloud_to_telecom);
    }
  });
  sender.set_ledger(&ledger);
  receiver.set_ledger(&ledger);
  receiver.spawn(false);
  sender.spawn(true);
  engine->run();
  if (receiver.received.size() != kFrames || arrivals.size() != kFrames)
    report("expected " + std::to_string(kFrames) + " messages, got " + std::to_string(receiver.received.size()) + "\n");
  for (std::size_t i = 0; i < kFrames; ++i)
    if (!(receiver.received[i] == decode(encode(sent[i]))))
      problems << "message " << i << " is not what its text says\n";
  // The first kConnections never waited; of those that waited, the ones that kept their copy are the first, and
  // their bytes stay within the bound while the next would not have fitted.
  std::size_t kept = 0, kept_bytes = 0;
  for (std::size_t i = world::Daemon::kConnections; i < kFrames && arrivals[i].decoded; ++i, ++kept)
    kept_bytes += arrivals[i].bytes;
  for (std::size_t i = 0; i < world::Daemon::kConnections; ++i)
    if (!arrivals[i].decoded)
      problems << "frame " << i << " went at once but lost its decoded copy\n";
  const std::size_t waited = kFrames - world::Daemon::kConnections;
  if (kept == 0 || kept == waited)
    problems << "of " << waited << " waiting frames, " << kept << " kept their copy: the bound did not apply\n";
  else if (kept_bytes > world::Daemon::kKeepDecodedBytes ||
           kept_bytes + arrivals[world::Daemon::kConnections + kept].bytes <= world::Daemon::kKeepDecodedBytes)
    problems << kept << " waiting frames of " << kept_bytes << " bytes kept their copy, against a bound of "
             << world::Daemon::kKeepDecodedBytes << "\n";
  for (std::size_t i = world::Daemon::kConnections + kept; i < kFrames; ++i)
    if (arrivals[i].decoded)
      problems << "frame " << i << " kept its copy after the bound was reached\n";
  report(problems.str());
}

void CountsTheFramesSentAndTaken() {
  auto engine = make_engine();
  std::ostringstream problems;
  trace::EventStream events([] { return sg::Engine::get_clock(); });
  world::Ledger ledger;
  constexpr std::size_t kFrames = 20;     // more than the connections: some wait
  std::vector<std::uint64_t> sent, taken; // as each frame is handled by the receiver
  std::uint64_t sent_after_send = 0, taken_after_send = 0;
  Node receiver("receiver", events);
  receiver.expected = kFrames;
  Node sender("sender", events, [&](Node& self) {
    if (self.frames_sent() != 0)
      problems << self.frames_sent() << " frames sent before any was\n";
    for (std::size_t i = 0; i < kFrames; ++i)
      self.binding.send(self, receiver, messages()[0], Direction::telecom_to_cloud);
    self.send(receiver, world::ProductOrder{"PO-1", "CUST-1", "office"}, 100); // not a frame: not counted
    sent_after_send = self.frames_sent();
    taken_after_send = receiver.frames_taken();
  });
  receiver.on_frame = [&](const world::I1Frame&) {
    sent.push_back(sender.frames_sent());
    taken.push_back(receiver.frames_taken());
  };
  sender.set_ledger(&ledger);
  receiver.set_ledger(&ledger);
  receiver.spawn(false);
  sender.spawn(true);
  engine->run();
  if (sent_after_send != kFrames || taken_after_send != 0)
    problems << sent_after_send << " frames sent and " << taken_after_send << " taken once " << kFrames
             << " frames and an order were sent\n";
  if (taken.size() != kFrames)
    problems << taken.size() << " frames handled, " << kFrames << " sent\n";
  for (std::size_t i = 0; i < taken.size(); ++i)
    if (taken[i] != i + 1 || sent[i] != kFrames)
      problems << "frame " << i << " handled with " << taken[i] << " taken and " << sent[i] << " sent\n";
  if (sender.frames_taken() != 0 || receiver.frames_sent() != 0)
    problems << "the sender took " << sender.frames_taken() << " frames and the receiver sent "
             << receiver.frames_sent() << "\n";
  report(problems.str());
}

TEST(BindingSendByMoveDeathStyle, CountsTheFramesSentAndTaken) {
  EXPECT_EXIT(CountsTheFramesSentAndTaken(), testing::ExitedWithCode(0), "");
}

TEST(BindingSendByMoveDeathStyle, ABurstWaitingForConnectionsKeepsDecodedCopiesUpToItsBytes) {
  EXPECT_EXIT(ABurstWaitingForConnectionsKeepsDecodedCopiesUpToItsBytes(), testing::ExitedWithCode(0), "");
}

TEST(BindingSendByMoveDeathStyle, GivesAndRecordsWhatTheCopyingSendDoes) {
  EXPECT_EXIT(GivesAndRecordsWhatTheCopyingSendDoes(), testing::ExitedWithCode(0), "");
}

TEST(BindingSendByMoveDeathStyle, DeliversADuplicatedFrameTwiceWhole) {
  EXPECT_EXIT(DeliversADuplicatedFrameTwiceWhole(), testing::ExitedWithCode(0), "");
}

} // namespace
} // namespace i1sim::i1::binding_send_test
