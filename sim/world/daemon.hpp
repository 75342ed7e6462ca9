// A service daemon: one SimGrid actor that owns an inbox, any number of asynchronous activities and timers,
// and reacts to each in simulated-time order. Every long-lived service of the world is one of these.
#pragma once

#include "world/envelope.hpp"

#include <cstdint>
#include <functional>
#include <queue>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

namespace i1sim::world {

class Daemon {
public:
  Daemon(std::string name, simgrid::s4u::Host* host);
  virtual ~Daemon() = default;
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  const std::string& name() const { return name_; }
  simgrid::s4u::Mailbox* inbox() const { return inbox_; }

  /// Starts the daemon's actor. A daemon actor ends with the simulation; a non-daemon one (the workload
  /// driver) keeps the simulation alive until it calls finish().
  void spawn(bool daemonized);

  /// Stops this daemon from another actor at the end of a run: its loop ends when it next wakes, and the
  /// activities it watches are cancelled, so the engine does not go on simulating work nobody will see.
  void halt();

  /// Sends `envelope` to another daemon's inbox without blocking; it arrives after its simulated transfer.
  void send(const Daemon& to, Envelope envelope, std::uint64_t bytes);

protected:
  /// Called once when the actor starts.
  virtual void on_start() {}
  /// Called for every envelope received, in arrival order.
  virtual void on_envelope(Envelope&& envelope) = 0;

  /// Calls `done` when `activity` completes, or `failed` if it fails (a host or link went down).
  void watch(simgrid::s4u::ActivityPtr activity, std::function<void()> done, std::function<void()> failed = {});
  /// Stops watching `activity` and cancels it.
  void cancel(const simgrid::s4u::ActivityPtr& activity);
  /// Calls `fn` after `delay` simulated seconds; timers due at the same instant fire in the order they were set.
  void after(double delay, std::function<void()> fn);
  /// Ends the daemon's loop after the current reaction.
  void finish() { finished_ = true; }
  static double now();

private:
  using Callbacks = std::pair<std::function<void()>, std::function<void()>>; // done, failed
  void run();
  bool handle_failures();
  Callbacks unwatch(std::size_t i);

  struct Timer {
    double when;
    std::uint64_t seq;
    std::function<void()> fn;
    bool operator>(const Timer& o) const { return when != o.when ? when > o.when : seq > o.seq; }
  };

  std::string name_;
  simgrid::s4u::Host* host_;
  simgrid::s4u::Mailbox* inbox_;
  // watched_[0] is always the pending receive on the inbox; callbacks_[i] belongs to watched_[i].
  std::vector<simgrid::s4u::ActivityPtr> watched_;
  std::vector<Callbacks> callbacks_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::uint64_t timer_seq_ = 0;
  Envelope* received_ = nullptr;
  bool finished_ = false;
};

} // namespace i1sim::world
