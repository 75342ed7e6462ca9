// Unit tests of the event stream, its JSON Lines form and the trace writer (sim/trace/event_stream.hpp).
#include "trace/event_stream.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace i1sim::trace::event_stream_test {
namespace {

namespace fs = std::filesystem;

// Keeps every event it is given.
class Recorder : public Observer {
public:
  void on_event(const Event& e) override { events.push_back(e); }
  std::vector<Event> events;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A fresh, empty directory for one test under the test framework's temporary directory.
fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("i1sim-event-stream-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(EventStream, AssignsIdsInEmissionOrderAndStampsTheClockTime) {
  double now = 0.5;
  EventStream stream([&] { return now; });
  Recorder r;
  stream.add_observer(&r);
  EXPECT_EQ(stream.count(), 0u);
  stream.emit(Category::i1, "i1.request", {{"bytes", 10}});
  now = 2.0;
  stream.emit(Category::truth, "vm.placed", {{"vm", "vm-1"}});
  now = 3.25;
  stream.emit(Category::tester, "order.submitted", {{"productOrder", "po-1"}});
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[0].id, 1u);
  EXPECT_EQ(r.events[1].id, 2u);
  EXPECT_EQ(r.events[2].id, 3u);
  EXPECT_EQ(r.events[0].t, 0.5);
  EXPECT_EQ(r.events[1].t, 2.0);
  EXPECT_EQ(r.events[2].t, 3.25);
  EXPECT_EQ(r.events[1].category, Category::truth);
  EXPECT_EQ(r.events[1].type, "vm.placed");
  EXPECT_EQ(r.events[1].data.dump(), R"({"vm":"vm-1"})");
  EXPECT_EQ(stream.count(), 3u);
}

TEST(EventStream, HandsEveryEventToEveryObserver) {
  EventStream stream([] { return 0.0; });
  Recorder a;
  Recorder b;
  stream.add_observer(&a);
  stream.add_observer(&b);
  stream.emit(Category::i1, "i1.response", {{"bytes", 1}});
  stream.emit(Category::i1, "i1.request", {{"bytes", 2}});
  ASSERT_EQ(a.events.size(), 2u);
  ASSERT_EQ(b.events.size(), 2u);
  EXPECT_EQ(b.events[1].type, "i1.request");
}

TEST(EventStream, CountsEventsEvenWithoutObservers) {
  EventStream stream([] { return 0.0; });
  stream.emit(Category::truth, "vm.booted", nlohmann::ordered_json::object());
  stream.emit(Category::truth, "vm.booted", nlohmann::ordered_json::object());
  EXPECT_EQ(stream.count(), 2u);
}

TEST(EventJson, PutsIdTimeCategoryAndTypeFirstThenTheEventFieldsInOrder) {
  Event e;
  e.id = 7;
  e.t = 1.5;
  e.category = Category::tester;
  e.type = "order.submitted";
  e.data["productOrder"] = "po-3";
  e.data["customer"] = "c-12";
  e.data["amount"] = 2;
  EXPECT_EQ(to_json_line(e), R"({"id":7,"t":1.5,"cat":"tester","type":"order.submitted",)"
                             R"("productOrder":"po-3","customer":"c-12","amount":2})");
}

TEST(EventJson, NamesEachCategory) {
  EXPECT_EQ(to_string(Category::i1), "i1");
  EXPECT_EQ(to_string(Category::truth), "truth");
  EXPECT_EQ(to_string(Category::tester), "tester");
}

TEST(EventJson, RoundTripsThroughAJsonLine) {
  for (const Category c : {Category::i1, Category::truth, Category::tester}) {
    Event e;
    e.id = 42;
    e.t = 123.456789;
    e.category = c;
    e.type = "vm.placed";
    e.data["zeta"] = "last-alphabetically-first-in-order";
    e.data["host"] = 17;
    e.data["nested"] = {{"b", 1}, {"a", nlohmann::ordered_json::array({1, 2})}};
    const std::string line = to_json_line(e);
    const Event back = from_json_line(line);
    EXPECT_EQ(back.id, e.id);
    EXPECT_EQ(back.t, e.t);
    EXPECT_EQ(back.category, e.category);
    EXPECT_EQ(back.type, e.type);
    EXPECT_EQ(back.data.dump(), e.data.dump());
    EXPECT_EQ(to_json_line(back), line);
  }
}

TEST(EventJson, ReadsALineWrittenByHand) {
  const Event e = from_json_line(R"({"id":3,"t":0.25,"cat":"truth","type":"vm.booted","vm":"vm-9"})");
  EXPECT_EQ(e.id, 3u);
  EXPECT_EQ(e.t, 0.25);
  EXPECT_EQ(e.category, Category::truth);
  EXPECT_EQ(e.type, "vm.booted");
  EXPECT_EQ(e.data.dump(), R"({"vm":"vm-9"})");
}

TEST(EventJson, RejectsALineThatIsNotAnEvent) {
  EXPECT_THROW(from_json_line("garbage"), std::runtime_error);
  EXPECT_THROW(from_json_line(""), std::runtime_error);
  EXPECT_THROW(from_json_line("[1,2,3]"), std::runtime_error);
  EXPECT_THROW(from_json_line(R"({"id":1,"t":0,"cat":"truth"})"), std::runtime_error);     // no type
  EXPECT_THROW(from_json_line(R"({"t":0,"cat":"truth","type":"x"})"), std::runtime_error); // no id
  EXPECT_THROW(from_json_line(R"({"id":1,"t":0,"cat":"gossip","type":"x"})"), std::runtime_error);
  EXPECT_THROW(from_json_line(R"({"id":"one","t":0,"cat":"truth","type":"x"})"), std::runtime_error);
  EXPECT_THROW(from_json_line(R"({"id":1,"t":"soon","cat":"truth","type":"x"})"), std::runtime_error);
}

TEST(JsonlWriter, WritesToAPartialFileAndCreatesTheTraceOnlyOnCommit) {
  const fs::path dir = fresh_dir("commit");
  const fs::path path = dir / "events.jsonl";
  const fs::path partial = dir / "events.jsonl.partial";
  Event a;
  a.id = 1;
  a.t = 0;
  a.category = Category::i1;
  a.type = "i1.request";
  a.data["bytes"] = 100;
  Event b = a;
  b.id = 2;
  b.t = 0.5;
  b.type = "i1.response";
  {
    JsonlWriter w(path.string());
    EXPECT_TRUE(fs::exists(partial));
    EXPECT_FALSE(fs::exists(path));
    w.on_event(a);
    w.on_event(b);
    EXPECT_FALSE(fs::exists(path));
    w.commit();
    EXPECT_TRUE(fs::exists(path));
    EXPECT_FALSE(fs::exists(partial));
  }
  EXPECT_TRUE(fs::exists(path)); // destruction after commit keeps the trace
  EXPECT_EQ(slurp(path), R"({"id":1,"t":0.0,"cat":"i1","type":"i1.request","bytes":100})"
                         "\n"
                         R"({"id":2,"t":0.5,"cat":"i1","type":"i1.response","bytes":100})"
                         "\n");
  fs::remove_all(dir);
}

TEST(JsonlWriter, RemovesThePartialFileWhenDestroyedWithoutCommit) {
  const fs::path dir = fresh_dir("abandon");
  const fs::path path = dir / "events.jsonl";
  const fs::path partial = dir / "events.jsonl.partial";
  {
    JsonlWriter w(path.string());
    Event e;
    e.id = 1;
    e.type = "i1.request";
    e.data["bytes"] = 1;
    w.on_event(e);
    EXPECT_TRUE(fs::exists(partial));
  }
  EXPECT_FALSE(fs::exists(partial));
  EXPECT_FALSE(fs::exists(path));
  fs::remove_all(dir);
}

TEST(JsonlWriter, ThrowsWhenThePartialFileCannotBeCreated) {
  const fs::path dir = fresh_dir("unwritable");
  EXPECT_THROW(JsonlWriter((dir / "no-such-subdir" / "events.jsonl").string()), std::runtime_error);
  fs::remove_all(dir);
}

} // namespace
} // namespace i1sim::trace::event_stream_test
