// The daemon loop inside a real SimGrid engine: activity callbacks, timers, inbox order and halt. Each test
// runs its engine in a forked child (EXPECT_EXIT) and reports what it saw through its exit code and stderr.
#include "support/sim_engine.hpp"
#include "world/daemon.hpp"

#include <cstdlib>
#include <gtest/gtest.h>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace sg = simgrid::s4u;

namespace i1sim::world::daemon_test {
namespace {

std::unique_ptr<sg::Engine> make_engine() { return test::make_one_host_engine("daemon_test", 64); }

/// A daemon whose reactions are given as functions, for tests.
class Probe : public Daemon {
public:
  using Daemon::after;
  using Daemon::finish;
  using Daemon::watch;
  Probe(std::string name, std::function<void(Probe&)> start)
      : Daemon(std::move(name), sg::Host::by_name("h"))
      , start_(std::move(start)) {}
  std::vector<ProductOrder> received;
  std::function<void(Probe&)> on_received;

protected:
  void on_start() override { start_(*this); }
  void on_envelope(Envelope&& e) override {
    if (auto* po = std::get_if<ProductOrder>(&e))
      received.push_back(*po);
    if (on_received)
      on_received(*this);
  }

private:
  std::function<void(Probe&)> start_;
};

[[noreturn]] void report(const std::string& problems) {
  std::cerr << problems;
  std::exit(problems.empty() ? 0 : 1);
}

void CallsEachActivitysOwnCallbackWhateverOrderTheyFinishIn() {
  auto engine = make_engine();
  std::ostringstream problems;
  int called = 0;
  // Twelve executions started in an order unrelated to the order they finish in; each callback must see
  // the simulated time of its own execution's end.
  const std::vector<double> gflop{7, 3, 11, 1, 9, 5, 12, 2, 8, 4, 10, 6};
  Probe p("p", [&](Probe& self) {
    for (double g : gflop)
      self.watch(sg::this_actor::exec_async(g * 1e9), [&, g] {
        ++called;
        if (std::abs(sg::Engine::get_clock() - g) > 1e-9)
          problems << "callback for " << g << " Gflop ran at " << sg::Engine::get_clock() << "\n";
        if (called == static_cast<int>(gflop.size()))
          self.finish();
      });
  });
  p.spawn(false);
  engine->run();
  if (called != static_cast<int>(gflop.size()))
    problems << called << " callbacks of " << gflop.size() << "\n";
  report(problems.str());
}

TEST(DaemonDeathStyle, CallsEachActivitysOwnCallbackWhateverOrderTheyFinishIn) {
  EXPECT_EXIT(CallsEachActivitysOwnCallbackWhateverOrderTheyFinishIn(), testing::ExitedWithCode(0), "");
}

void TimersFireAtTheirTimeAndSameInstantOnesInTheOrderTheyWereSet() {
  auto engine = make_engine();
  std::vector<std::pair<double, int>> fired;
  Probe p("p", [&](Probe& self) {
    self.after(5, [&] { fired.emplace_back(sg::Engine::get_clock(), 1); });
    self.after(2, [&] { fired.emplace_back(sg::Engine::get_clock(), 2); });
    self.after(5, [&] { fired.emplace_back(sg::Engine::get_clock(), 3); });
    self.after(0, [&] { fired.emplace_back(sg::Engine::get_clock(), 4); });
    self.after(7, [&self] { self.finish(); });
  });
  p.spawn(false);
  engine->run();
  const std::vector<std::pair<double, int>> want{{0, 4}, {2, 2}, {5, 1}, {5, 3}};
  report(fired == want ? "" : "timers fired out of order\n");
}

TEST(DaemonDeathStyle, TimersFireAtTheirTimeAndSameInstantOnesInTheOrderTheyWereSet) {
  EXPECT_EXIT(TimersFireAtTheirTimeAndSameInstantOnesInTheOrderTheyWereSet(), testing::ExitedWithCode(0), "");
}

void AnInboxDeliversEnvelopesInTheOrderTheyWereSent() {
  auto engine = make_engine();
  Probe receiver("receiver", [](Probe&) {});
  receiver.on_received = [](Probe& self) {
    if (self.received.size() == 50)
      self.finish();
  };
  Probe sender("sender", [&](Probe& self) {
    for (int i = 0; i < 50; ++i) // sizes vary, so a later small message could overtake a large one
      self.send(receiver, ProductOrder{std::to_string(i), "", ""}, static_cast<std::uint64_t>(1000 * (50 - i)));
  });
  receiver.spawn(false);
  sender.spawn(true);
  engine->run();
  std::ostringstream problems;
  for (std::size_t i = 0; i < receiver.received.size(); ++i)
    if (receiver.received[i].id != std::to_string(i))
      problems << "position " << i << " holds " << receiver.received[i].id << "\n";
  if (receiver.received.size() != 50)
    problems << receiver.received.size() << " of 50 received\n";
  report(problems.str());
}

TEST(DaemonDeathStyle, AnInboxDeliversEnvelopesInTheOrderTheyWereSent) {
  EXPECT_EXIT(AnInboxDeliversEnvelopesInTheOrderTheyWereSent(), testing::ExitedWithCode(0), "");
}

void HaltEndsTheLoopAndCancelsWhatTheDaemonWatches() {
  auto engine = make_engine();
  bool long_done = false;
  Probe worker("worker", [&](Probe& self) {
    self.watch(sg::this_actor::exec_async(1000e9), [&] { long_done = true; }); // 1000 s of work
  });
  Probe driver("driver", [&](Probe& self) {
    self.after(3, [&] {
      worker.halt();
      self.finish();
    });
  });
  worker.spawn(true);
  driver.spawn(false);
  engine->run();
  std::ostringstream problems;
  if (long_done)
    problems << "a halted daemon's activity still completed\n";
  if (sg::Engine::get_clock() > 3 + 1e-9)
    problems << "the engine went on to " << sg::Engine::get_clock() << " after the halt at 3\n";
  report(problems.str());
}

TEST(DaemonDeathStyle, HaltEndsTheLoopAndCancelsWhatTheDaemonWatches) {
  EXPECT_EXIT(HaltEndsTheLoopAndCancelsWhatTheDaemonWatches(), testing::ExitedWithCode(0), "");
}

} // namespace
} // namespace i1sim::world::daemon_test
