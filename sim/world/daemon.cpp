// The daemon loop: one wait over the inbox and every watched activity, bounded by the next timer.
#include "world/daemon.hpp"

#include <simgrid/Exception.hpp>
#include <stdexcept>

namespace sg = simgrid::s4u;

namespace i1sim::world {

Daemon::Daemon(std::string name, sg::Host* host)
    : name_(std::move(name))
    , host_(host)
    , inbox_(sg::Mailbox::by_name(name_)) {}

void Daemon::spawn(bool daemonized) {
  sg::ActorPtr actor = sg::Actor::create(name_, host_, [this] { run(); });
  if (daemonized)
    actor->daemonize();
}

double Daemon::now() { return sg::Engine::get_clock(); }

void Daemon::send(const Daemon& to, Envelope envelope, std::uint64_t bytes) {
  auto* payload = new Envelope(std::move(envelope));
  // A detached send never blocks the sender; the clean function frees payloads still in flight at the end.
  to.inbox()->put_init(payload, bytes)->detach([](void* p) { delete static_cast<Envelope*>(p); });
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

bool Daemon::handle_failures() {
  // wait_any reports a failed or cancelled activity by throwing, without saying which: find them by state.
  // A cancelled one was cancelled by halt(), which wants no reaction; a failed one gets its failure callback.
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
  return found;
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
      if (!handle_failures())
        throw; // nothing of ours failed: a fault of the harness, not of the simulated world
      continue;
    }
    if (ready < 0)
      continue; // a timer is due
    if (ready == 0) {
      std::unique_ptr<Envelope> envelope(received_);
      received_ = nullptr;
      watched_[0] = inbox_->get_async<Envelope>(&received_);
      on_envelope(std::move(*envelope));
      continue;
    }
    const auto i = static_cast<std::size_t>(ready);
    auto done = unwatch(i).first;
    if (done)
      done();
  }
  inbox_->set_receiver(nullptr);
}

} // namespace i1sim::world
