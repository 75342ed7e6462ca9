// Event stream fan-out and its JSON Lines form.
#include "trace/event_stream.hpp"

#include "util/json_dismantle.hpp"

#include <cstdio>
#include <fmt/format.h>
#include <iterator>
#include <stdexcept>

namespace i1sim::trace {

std::string_view to_string(Category c) {
  switch (c) {
  case Category::i1:
    return "i1";
  case Category::truth:
    return "truth";
  case Category::tester:
    return "tester";
  }
  return "?";
}

Event::Event(const Event& other)
    : id(other.id)
    , t(other.t)
    , category(other.category)
    , type(other.type)
    , data(other.data) {
  if (const nlohmann::json* b = other.body())
    owned_body_ = *b;
}

Event& Event::operator=(const Event& other) {
  if (this != &other)
    *this = Event(other);
  return *this;
}

void EventStream::emit(Category c, std::string type, nlohmann::ordered_json data, const nlohmann::json* body) {
  Event e{next_id_++, clock_(), c, std::move(type), std::move(data), body};
  for (Observer* o : observers_)
    o->on_event(e);
  util::dismantle(e.data); // every event dies here, after its observers
}

namespace {

/// Whether every object in `j` has its keys in strictly increasing order, so that nlohmann::json (whose objects
/// are std::maps) holds them in the same order and dumps the same text.
bool keys_sorted(const nlohmann::ordered_json& j) {
  if (const auto* object = j.get_ptr<const nlohmann::ordered_json::object_t*>()) {
    const std::string* previous = nullptr;
    for (const auto& [key, member] : *object) {
      if (previous && !(*previous < key))
        return false;
      if (!keys_sorted(member))
        return false;
      previous = &key;
    }
  } else if (const auto* array = j.get_ptr<const nlohmann::ordered_json::array_t*>()) {
    for (const auto& item : *array)
      if (!keys_sorted(item))
        return false;
  }
  return true;
}

} // namespace

std::string to_json_line(const Event& e) {
  nlohmann::ordered_json j;
  j["id"] = e.id;
  j["t"] = e.t;
  j["cat"] = to_string(e.category);
  j["type"] = e.type;
  for (const auto& [key, value] : e.data.items())
    j[key] = value;
  std::string line = j.dump();
  // The body goes last, as the field of an ordered object converted from it would: nlohmann::json keeps its keys
  // sorted, and its dump() writes what ordered_json's does for the same members in the same order.
  if (const nlohmann::json* body = e.body(); body && !e.data.contains("body")) {
    line.pop_back(); // the closing brace; j is never empty
    line += R"(,"body":)";
    line += body->dump();
    line += '}';
  }
  return line;
}

Event from_json_line(std::string_view line) {
  const auto j = nlohmann::ordered_json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw std::runtime_error("event line is not a JSON object");
  Event e;
  try {
    e.id = j.at("id").get<std::uint64_t>();
    e.t = j.at("t").get<double>();
    const auto cat = j.at("cat").get<std::string>();
    if (cat == "i1")
      e.category = Category::i1;
    else if (cat == "truth")
      e.category = Category::truth;
    else if (cat == "tester")
      e.category = Category::tester;
    else
      throw std::runtime_error(fmt::format("unknown event category '{}'", cat));
    e.type = j.at("type").get<std::string>();
  } catch (const nlohmann::json::exception& ex) {
    throw std::runtime_error(fmt::format("malformed event line: {}", ex.what()));
  }
  const auto body = e.category == Category::i1 ? j.find("body") : j.end();
  // The body leaves the fields only where writing the event back puts it where it was, in the same text.
  const bool take = body != j.end() && std::next(body) == j.end() && keys_sorted(*body);
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    if (key != "id" && key != "t" && key != "cat" && key != "type" && !(take && it == body))
      e.data[key] = *it;
  }
  if (body != j.end())
    e.set_body(nlohmann::json(*body));
  return e;
}

JsonlWriter::JsonlWriter(std::string path) : path_(std::move(path)), partial_(path_ + ".partial"), buffer_(1 << 20) {
  out_.rdbuf()->pubsetbuf(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  out_.open(partial_, std::ios::binary | std::ios::trunc);
  if (!out_)
    throw std::runtime_error(fmt::format("{}: cannot write", partial_));
}

JsonlWriter::~JsonlWriter() {
  if (!committed_) {
    out_.close();
    std::remove(partial_.c_str());
  }
}

void JsonlWriter::on_event(const Event& e) { out_ << to_json_line(e) << '\n'; }

void JsonlWriter::commit() {
  out_.flush();
  out_.close();
  if (!out_)
    throw std::runtime_error(fmt::format("{}: write failed", partial_));
  if (std::rename(partial_.c_str(), path_.c_str()) != 0)
    throw std::runtime_error(fmt::format("{}: cannot move into place", path_));
  committed_ = true;
}

} // namespace i1sim::trace
