// The event stream: every I1 message and every ground-truth and tester event, in simulated-time order,
// fanned out to observers (the trace writer, metrics, and later the oracles).
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace i1sim::trace {

/// i1: a message that crossed I1. truth: what really happened in the simulated world (the simulator's
/// knowledge, never visible to the implementation). tester: a decision or observation of the Telecom side.
enum class Category { i1, truth, tester };

std::string_view to_string(Category c);

struct Event {
  std::uint64_t id = 0; // 1, 2, 3... in emission order
  double t = 0;         // simulated seconds
  Category category = Category::i1;
  std::string type;
  nlohmann::ordered_json data; // the event's own fields, in a fixed order

  Event() = default;
  Event(std::uint64_t id_, double t_, Category category_, std::string type_, nlohmann::ordered_json data_,
        const nlohmann::json* body = nullptr)
      : id(id_)
      , t(t_)
      , category(category_)
      , type(std::move(type_))
      , data(std::move(data_))
      , borrowed_body_(body) {}
  /// A copy owns its body: an observer that keeps an event keeps it past the message the body was lent by.
  Event(const Event& other);
  Event& operator=(const Event& other);
  Event(Event&&) noexcept = default;
  Event& operator=(Event&&) noexcept = default;
  ~Event() = default;

  /// The body of the I1 message the event records, or null. A delivery lends the receiver's own body for the
  /// time of the emit, so that no copy in another JSON type is made for every message; it is written as the
  /// line's last field "body" (see to_json_line). An event read back from a line, or made by a test, owns it.
  const nlohmann::json* body() const { return borrowed_body_ ? borrowed_body_ : owned_body_ ? &*owned_body_ : nullptr; }
  void set_body(nlohmann::json body) {
    owned_body_ = std::move(body);
    borrowed_body_ = nullptr;
  }

private:
  const nlohmann::json* borrowed_body_ = nullptr;
  std::optional<nlohmann::json> owned_body_;
};

class Observer {
public:
  virtual ~Observer() = default;
  virtual void on_event(const Event& e) = 0;
};

class EventStream {
public:
  explicit EventStream(std::function<double()> clock) : clock_(std::move(clock)) {}
  void add_observer(Observer* o) { observers_.push_back(o); }
  /// Stamps the event with the next id and the current simulated time, and hands it to every observer.
  /// `body`, if any, is the recorded message's body (Event::body()); it must outlive the call.
  void emit(Category c, std::string type, nlohmann::ordered_json data, const nlohmann::json* body = nullptr);
  std::uint64_t count() const { return next_id_ - 1; }

private:
  std::function<double()> clock_;
  std::vector<Observer*> observers_;
  std::uint64_t next_id_ = 1;
};

/// One JSON object per line: {"id","t","cat","type", then the event's fields, then "body" when the event has a
/// body that `data` does not hold}. The body's keys come out sorted, as nlohmann::json keeps them.
std::string to_json_line(const Event& e);
/// The inverse, for replaying a saved stream; throws std::runtime_error on a malformed line. The "body" of an i1
/// event becomes Event::body(); it leaves `data` only when writing the event back gives the same line (it is the
/// last field and its objects' keys are sorted), and otherwise stays in `data` too, where to_json_line writes it.
Event from_json_line(std::string_view line);

/// Writes the stream as JSON Lines to `path`.partial and moves it to `path` on commit(), so that an
/// interrupted run never leaves a file that looks complete.
class JsonlWriter : public Observer {
public:
  explicit JsonlWriter(std::string path);
  ~JsonlWriter() override;
  void on_event(const Event& e) override;
  /// Flushes, checks for write errors and renames into place; throws std::runtime_error on failure.
  void commit();

private:
  std::string path_;
  std::string partial_;
  std::ofstream out_;
  std::vector<char> buffer_;
  bool committed_ = false;
};

} // namespace i1sim::trace
