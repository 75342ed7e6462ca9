// The daemon loop: one wait over the inbox and every watched activity, bounded by the next timer.
#include "world/daemon.hpp"

#include <set>
#include <simgrid/Exception.hpp>
#include <stdexcept>

namespace sg = simgrid::s4u;

namespace i1sim::world {

Envelope* Ledger::lend(Envelope envelope) {
  auto owned = std::make_unique<Envelope>(std::move(envelope));
  Envelope* payload = owned.get();
  lent_.emplace(payload, std::move(owned));
  return payload;
}

std::unique_ptr<Envelope> Ledger::take(Envelope* payload) {
  auto it = lent_.find(payload);
  if (it == lent_.end())
    return nullptr;
  auto owned = std::move(it->second);
  lent_.erase(it);
  return owned;
}

Daemon::Daemon(std::string name, sg::Host* host)
    : name_(std::move(name))
    , host_(host)
    , inbox_(sg::Mailbox::by_name(name_)) {}

Daemon::~Daemon() {
  // A message that completed after this daemon's last wait is the receiver's to free unless it is lent.
  if (received_ && !(ledger_ && ledger_->lends(received_)))
    delete received_;
}

void Daemon::spawn(bool daemonized) {
  sg::ActorPtr actor = sg::Actor::create(name_, host_, [this] { run(); });
  if (daemonized)
    actor->daemonize();
}

double Daemon::now() { return sg::Engine::get_clock(); }

void Daemon::send(const Daemon& to, Envelope envelope, std::uint64_t bytes) {
  if (std::holds_alternative<I1Frame>(envelope))
    ++frames_sent_;
  if (transport_) {
    const bool frame = std::holds_alternative<I1Frame>(envelope);
    // Held messages go first: a newer one to the same daemon waits behind them even if the route is back.
    if ((!frame && holds_for(to)) || transport_->severed(host_, to.host_)) {
      undeliverable(send_seq_++, to, std::move(envelope), bytes);
      return;
    }
    if (transport_->at_risk(host_, to.host_)) {
      transmit(send_seq_++, to, std::move(envelope), bytes);
      return;
    }
  }
  if (!ledger_) { // a daemon used on its own (in tests): detached, the receiver frees what it gets
    auto* payload = new Envelope(std::move(envelope));
    to.inbox()->put_init(payload, bytes)->detach([](void* p) { delete static_cast<Envelope*>(p); });
    return;
  }
  // A send never blocks the sender: beyond the pair's connections it waits here (see send() in the header).
  Envelope* payload = ledger_->lend(std::move(envelope));
  Connections& c = connections_[&to];
  if (c.busy < kConnections) {
    start_transfer(to, payload, bytes);
    return;
  }
  // Past kKeepDecodedBytes, a frame that waits keeps only its text, which its receiver decodes: a burst waits here
  // whole (every live service's usage record at a period's end), and the decoded copy the sender attached to save
  // that parse takes several times the memory of the text.
  bool decoded = false;
  if (auto* frame = std::get_if<I1Frame>(payload); frame && frame->decoded) {
    if (c.decoded_bytes + bytes > kKeepDecodedBytes) {
      frame->decoded.reset();
    } else {
      c.decoded_bytes += bytes;
      decoded = true;
    }
  }
  c.waiting.push_back(Waiting{payload, bytes, decoded});
}

void Daemon::start_transfer(const Daemon& to, Envelope* payload, std::uint64_t bytes) {
  // Only with a ledger: it owns the payload until the receiver takes it.
  ++connections_[&to].busy;
  sg::CommPtr comm = to.inbox()->put_init(payload, bytes);
  comm->start();
  // Delivered or failed, the connection is free again: a failed transfer's payload stays with the ledger, which
  // frees it at the end of the run, as a lost message would be.
  auto ended = [this, &to] { transfer_ended(to); };
  watch(comm, ended, ended);
}

void Daemon::transfer_ended(const Daemon& to) {
  Connections& c = connections_[&to];
  --c.busy;
  while (!c.waiting.empty() && !finished_ && c.busy < kConnections) {
    const auto [payload, bytes, decoded] = c.waiting.front();
    c.waiting.pop_front();
    if (decoded)
      c.decoded_bytes -= bytes;
    // With link cuts, the route may have been cut (or put at risk) while it waited: it goes as a send made now
    // would, lost or held by kind, or tracked. send() never queues it again, as a connection is free.
    if (transport_) {
      if (auto back = transport_->take(payload)) {
        send(to, std::move(*back), bytes);
        continue;
      }
    }
    start_transfer(to, payload, bytes);
  }
}

void Daemon::transmit(std::uint64_t seq, const Daemon& to, Envelope envelope, std::uint64_t bytes) {
  Envelope* payload = transport_->lend(std::move(envelope));
  sg::CommPtr comm = to.inbox()->put_init(payload, bytes);
  comm->start();
  // Delivered: the receiver takes the payload from the Transport. Failed: it never reached the receiver, so
  // it is still lent and comes back here.
  watch(comm, {}, [this, seq, &to, payload, bytes] {
    if (auto back = transport_->take(payload))
      undeliverable(seq, to, std::move(*back), bytes);
  });
}

void Daemon::undeliverable(std::uint64_t seq, const Daemon& to, Envelope envelope, std::uint64_t bytes) {
  if (auto* frame = std::get_if<I1Frame>(&envelope)) {
    transport_->lost(*frame);
    --frames_sent_; // it will never be taken
    return;
  }
  held_.emplace(seq, Held{&to, std::move(envelope), bytes});
  if (!forward_due_) {
    forward_due_ = true;
    after(transport_->retry_interval(), [this] { forward_held(); });
  }
}

bool Daemon::holds_for(const Daemon& to) const {
  for (const auto& [seq, held] : held_)
    if (held.to == &to)
      return true;
  return false;
}

void Daemon::forward_held() {
  forward_due_ = false;
  std::set<const Daemon*> blocked; // membership only: the order of forwarding is the order of held_
  for (auto it = held_.begin(); it != held_.end();) {
    const Daemon* to = it->second.to;
    if (blocked.count(to) || transport_->severed(host_, to->host_)) {
      blocked.insert(to);
      ++it;
      continue;
    }
    transmit(it->first, *to, std::move(it->second.envelope), it->second.bytes);
    it = held_.erase(it);
  }
  if (!held_.empty() && !forward_due_) {
    forward_due_ = true;
    after(transport_->retry_interval(), [this] { forward_held(); });
  }
}

void Daemon::watch(sg::ActivityPtr activity, std::function<void()> done, std::function<void()> failed) {
  watched_.push_back(std::move(activity));
  callbacks_.emplace_back(std::move(done), std::move(failed));
}

void Daemon::cancel(const sg::ActivityPtr& activity) {
  for (std::size_t i = 1; i < watched_.size(); ++i) {
    if (watched_[i] == activity) {
      unwatch(i);
      activity->cancel();
      return;
    }
  }
}

Daemon::Callbacks Daemon::unwatch(std::size_t i) {
  // Swap-remove: the order of watched_ beyond index 0 carries no meaning.
  Callbacks callbacks = std::move(callbacks_[i]);
  if (i + 1 != watched_.size()) {
    watched_[i] = std::move(watched_.back());
    callbacks_[i] = std::move(callbacks_.back());
  }
  watched_.pop_back();
  callbacks_.pop_back();
  return callbacks;
}

void Daemon::halt() {
  finished_ = true;
  // Cancel in place: the daemon's actor may be blocked in wait_any over this very vector.
  for (std::size_t i = 1; i < watched_.size(); ++i)
    watched_[i]->cancel();
}

void Daemon::after(double delay, std::function<void()> fn) {
  timers_.push(Timer{now() + delay, timer_seq_++, std::move(fn)});
}

void Daemon::forget_failed_wait() {
  // A wait that SimGrid 3.32 ends with an exception leaves the actor's simcall pointing at the wait's observer,
  // which lived on the stack of the call that threw; the next wait_any reads it before making its own (in
  // ActivityImpl::test), so it would read a dead object. Any simcall that returns normally resets it; this
  // one does nothing else. Only runs with faults get here.
  sg::this_actor::yield();
}

bool Daemon::handle_failures() {
  // wait_any reports a failed or cancelled activity by throwing, without saying which. A cancelled one was
  // cancelled by halt(), which wants no reaction; a failed execution gets its failure callback. Both are
  // marked in their state; a failed communication is not (see settle_comms).
  bool found = false;
  for (std::size_t i = 1; i < watched_.size();) {
    const auto state = watched_[i]->get_state();
    if (state == sg::Activity::State::FAILED || state == sg::Activity::State::CANCELED) {
      found = true;
      auto failed = unwatch(i).second;
      if (failed && state == sg::Activity::State::FAILED)
        failed();
    } else {
      ++i;
    }
  }
  return settle_comms() || found;
}

bool Daemon::settle_comms() {
  // Activity::wait_any_for leaves a communication that SimGrid failed in state STARTED; Comm::wait_any_for
  // marks every failed one FAILED before it throws. So the watched communications are waited on again with a
  // zero timeout until none has ended: each round reports a failure (reacted to here), a completion (reacted
  // to as the main loop would) or nothing left (the timeout, at this same instant). This only ever runs after
  // a failure, that is in runs with faults.
  bool found = false;
  while (!finished_) {
    std::vector<sg::CommPtr> comms;
    std::vector<std::size_t> where;
    for (std::size_t i = 0; i < watched_.size(); ++i) {
      auto comm = boost::dynamic_pointer_cast<sg::Comm>(watched_[i]);
      if (comm && comm->get_state() == sg::Activity::State::STARTED) {
        comms.push_back(std::move(comm));
        where.push_back(i);
      }
    }
    if (comms.empty())
      return found;
    ssize_t ready = -1;
    try {
      ready = sg::Comm::wait_any_for(comms, 0);
    } catch (const simgrid::CancelException&) {
      forget_failed_wait();
      if (finished_)
        return true; // halt() cancelled the other end of a transfer: the run is over
      throw;
    } catch (const simgrid::NetworkFailureException&) {
      forget_failed_wait();
      found = true;
      if (watched_[0]->get_state() == sg::Activity::State::FAILED) // what was coming in is gone; listen again
        watched_[0] = inbox_->get_async<Envelope>(&received_);
      for (std::size_t i = 1; i < watched_.size();) {
        if (watched_[i]->get_state() != sg::Activity::State::FAILED) {
          ++i;
          continue;
        }
        auto failed = unwatch(i).second;
        if (failed)
          failed();
      }
      continue;
    }
    if (ready < 0)
      return found;
    found = true;
    react(where[static_cast<std::size_t>(ready)]);
  }
  return found;
}

void Daemon::deliver() {
  std::unique_ptr<Envelope> envelope = ledger_ ? ledger_->take(received_) : nullptr;
  if (!envelope)
    envelope.reset(received_); // sent detached without a ledger: the receiver owns it
  received_ = nullptr;
  watched_[0] = inbox_->get_async<Envelope>(&received_);
  if (std::holds_alternative<I1Frame>(*envelope))
    ++frames_taken_;
  on_envelope(std::move(*envelope));
}

void Daemon::react(std::size_t i) {
  if (i == 0) {
    deliver();
    return;
  }
  auto done = unwatch(i).first;
  if (done)
    done();
}

void Daemon::run() {
  inbox_->set_receiver(sg::Actor::self()); // sends start at once, as on a listening socket
  watched_.insert(watched_.begin(), inbox_->get_async<Envelope>(&received_));
  callbacks_.insert(callbacks_.begin(), Callbacks{}); // not {}: that would insert nothing
  on_start();
  while (!finished_) {
    while (!timers_.empty() && timers_.top().when <= now() && !finished_) {
      auto fn = timers_.top().fn;
      timers_.pop();
      fn();
    }
    if (finished_)
      break;
    const double timeout = timers_.empty() ? -1.0 : std::max(0.0, timers_.top().when - now());
    ssize_t ready = -1;
    try {
      ready = sg::Activity::wait_any_for(watched_, timeout);
    } catch (const simgrid::Exception&) {
      forget_failed_wait();
      if (!handle_failures())
        throw; // nothing of ours failed: a fault of the harness, not of the simulated world
      continue;
    }
    if (ready < 0)
      continue; // a timer is due
    react(static_cast<std::size_t>(ready));
  }
  inbox_->set_receiver(nullptr);
}

} // namespace i1sim::world
