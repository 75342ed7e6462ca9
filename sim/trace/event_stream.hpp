// The event stream: every I1 message and every ground-truth and tester event, in simulated-time order,
// fanned out to observers (the trace writer, metrics, and later the oracles).
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
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
  void emit(Category c, std::string type, nlohmann::ordered_json data);
  std::uint64_t count() const { return next_id_ - 1; }

private:
  std::function<double()> clock_;
  std::vector<Observer*> observers_;
  std::uint64_t next_id_ = 1;
};

/// One JSON object per line: {"id","t","cat","type", then the event's fields}.
std::string to_json_line(const Event& e);
/// The inverse, for replaying a saved stream; throws std::runtime_error on a malformed line.
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
