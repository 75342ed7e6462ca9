// A service daemon: one SimGrid actor that owns an inbox, any number of asynchronous activities and timers,
// and reacts to each in simulated-time order. Every long-lived service of the world is one of these.
#pragma once

#include "world/envelope.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <simgrid/s4u.hpp>
#include <string>
#include <unordered_map>
#include <vector>

namespace i1sim::world {

/// Owner of every message of a run while it travels. A message sent detached and never received is otherwise
/// lost to the heap: SimGrid 3.32 frees a detached payload (through the sender's clean function) only when
/// its transfer fails, not when it completed into a mailbox nobody reads again, as happens to the last
/// messages of a run. So each daemon of a run lends its payloads here; the receiver takes ownership back and
/// whatever was never received is freed with the Ledger, which outlives every daemon that uses it.
class Ledger {
public:
  /// Keeps a payload until its receiver adopts it.
  Envelope* lend(Envelope envelope);
  /// Ownership of `payload` if it was lent and not yet taken back, else null.
  std::unique_ptr<Envelope> take(Envelope* payload);
  /// Whether `payload` is lent, that is owned here rather than by its receiver.
  bool lends(const Envelope* payload) const { return lent_.count(payload) != 0; }

private:
  std::unordered_map<const Envelope*, std::unique_ptr<Envelope>> lent_; // by address only, never iterated
};

/// How envelopes travel in a run whose WAN links can be cut (the link_cut fault). SimGrid 3.32 fails every
/// transfer that crosses a link at the instant it is turned off (in its latency phase as well as while it
/// moves bytes), and at once any transfer started across a link that is off; both ends of the transfer get a
/// NetworkFailureException, a detached sender learns nothing and its payload is freed. A link turned back on
/// carries new transfers; failed ones are not resumed. So with a Transport, what cannot cross is dealt with
/// by kind:
/// - an I1 frame is lost, as a TCP connection reset would lose it: lost() records it; recovery is the
///   Telecom side's retries;
/// - anything else (DcCommand, DcReport between the Cloud BSS/OSS and a DC controller) travels on a durable
///   management bus: the sender holds it and tries again every retry_interval() until the route is whole,
///   in the order it was sent, so a cut delays VM commands and reports but never loses them.
/// Nothing is sent across a route that is cut (severed()); it is lost or held at once. A send that could
/// still be under way when a link of its route is cut (at_risk()) is tracked: the sender watches it, learns
/// of its failure at the instant of the cut and takes the payload back. Tracking costs the sender a wake-up
/// per message and a wait over every message in flight, so the other sends stay fire-and-forget, as in a
/// run without link cuts, which has no Transport at all. Whatever the sender did, the receiving daemon sees
/// a failed incoming transfer as a failure of its inbox receive: it drops it and listens again.
class Transport : public Ledger {
public:
  virtual ~Transport() = default;
  /// Whether a transfer from `from` to `to` started now would cross a link that is off.
  virtual bool severed(simgrid::s4u::Host* from, simgrid::s4u::Host* to) const = 0;
  /// Whether a transfer from `from` to `to` started now might still be under way when a link on its route
  /// is cut.
  virtual bool at_risk(simgrid::s4u::Host* from, simgrid::s4u::Host* to) const = 0;
  /// An I1 frame that could not cross.
  virtual void lost(const I1Frame& frame) = 0;
  /// Simulated seconds between two attempts to forward held messages.
  virtual double retry_interval() const { return 1.0; }
};

class Daemon {
public:
  Daemon(std::string name, simgrid::s4u::Host* host);
  /// Frees a message that arrived after the last one this daemon handled: the run ended between the two.
  virtual ~Daemon();
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

  /// Makes this daemon's sends follow `transport` (see Transport); call before spawn(), on every daemon of
  /// the run (a receiver adopts tracked payloads through it).
  void set_transport(Transport* transport) {
    transport_ = transport;
    ledger_ = transport;
  }
  /// Makes this daemon lend what it sends to `ledger` (see Ledger); call before spawn(), on every daemon of
  /// the run. A run with a Transport uses it as its Ledger.
  void set_ledger(Ledger* ledger) { ledger_ = ledger; }

  /// Sends `envelope` to another daemon's inbox without blocking; it arrives after its simulated transfer.
  /// Call from this daemon's own actor (its reactions, timers and callbacks).
  ///
  /// Each pair of daemons talks over at most kConnections transfers at a time, as a client's pool of
  /// connections to one server does: more wait in the sender, in the order sent, and each starts when one
  /// under way completes. So a burst (a month's usage records sent at a period's end) crosses the network a
  /// window at a time instead of as thousands of transfers sharing a link at once, whose cost in SimGrid
  /// grows with the square of their number (every completion re-solves the sharing and walks the list of
  /// transfers under way). Whatever was handed over goes out even if the sending process then stops, as
  /// data already written to a socket does.
  void send(const Daemon& to, Envelope envelope, std::uint64_t bytes);
  /// I1 frames this daemon sent (less those a cut link lost) and took from its inbox. Between two daemons that send
  /// frames only to each other, one's sent less the other's taken are the frames still on their way to it, whether
  /// waiting for a connection, crossing the network or queued at the receiver.
  std::uint64_t frames_sent() const { return frames_sent_; }
  std::uint64_t frames_taken() const { return frames_taken_; }
  static constexpr std::size_t kConnections = 8;
  /// Wire bytes of the frames waiting for a connection that keep the decoded copy their sender attached (see
  /// I1Frame::decoded); later ones keep only their text, so a burst costs its text and no more. Counted in bytes, not
  /// frames: at a month's close a burst of customers' service listings (tens of KB of tree each) waits behind the
  /// bills, and 4,096 frames of it kept 146 MB of trees at 30,000 orders.
  static constexpr std::uint64_t kKeepDecodedBytes = std::uint64_t{8} << 20;

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
  static void forget_failed_wait();
  bool handle_failures();
  bool settle_comms();
  void react(std::size_t i);
  void deliver();
  Callbacks unwatch(std::size_t i);

  struct Held {
    const Daemon* to;
    Envelope envelope;
    std::uint64_t bytes;
  };
  void transmit(std::uint64_t seq, const Daemon& to, Envelope envelope, std::uint64_t bytes);
  /// Transfers to one daemon: how many are under way, and those waiting for one of them to complete.
  struct Waiting {
    Envelope* payload; // lent, or owned when there is no ledger
    std::uint64_t bytes;
    bool decoded; // counted in decoded_bytes
  };
  struct Connections {
    std::size_t busy = 0;
    std::deque<Waiting> waiting;
    std::uint64_t decoded_bytes = 0; // of the waiting frames that keep their decoded copy
  };
  void start_transfer(const Daemon& to, Envelope* payload, std::uint64_t bytes);
  void transfer_ended(const Daemon& to);
  void undeliverable(std::uint64_t seq, const Daemon& to, Envelope envelope, std::uint64_t bytes);
  bool holds_for(const Daemon& to) const;
  void forward_held();

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

  Transport* transport_ = nullptr;
  Ledger* ledger_ = nullptr; // without one, detached payloads are the receiver's to free
  std::uint64_t send_seq_ = 0;
  std::map<std::uint64_t, Held> held_; // by send order, so a held message never overtakes an older one
  std::unordered_map<const Daemon*, Connections> connections_;
  std::uint64_t frames_sent_ = 0, frames_taken_ = 0;
  bool forward_due_ = false;
};

} // namespace i1sim::world
