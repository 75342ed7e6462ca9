// Small stand-ins for the strings the reference Cloud keeps in every order, item and service for the whole run:
// a month keeps millions of them, and most are one of a few values (states, actions, operators, customers) or a
// timestamp it wrote itself.
#pragma once

#include "util/string_table.hpp"
#include "util/timestamp.hpp"

#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace i1sim::cloud {

/// A string of few distinct values, held as a pointer to its one copy in a table shared by the whole process
/// (8 bytes where a std::string takes 32, and a heap block past 15 characters). Reads as a const std::string&.
/// Every distinct value ever held stays in the table: for values that repeat (states, actions, operators,
/// customers, product names), never for free text.
class Sym {
public:
  Sym() : text_(empty_text()) {}
  explicit Sym(std::string_view s) : text_(intern(s)) {}
  Sym& operator=(std::string_view s) {
    text_ = intern(s);
    return *this;
  }
  Sym& operator=(const std::string& s) { return *this = std::string_view(s); }
  Sym& operator=(const char* s) { return *this = std::string_view(s); }

  const std::string& str() const { return *text_; }
  operator const std::string&() const { return *text_; } // NOLINT(google-explicit-constructor): reads as its text
  bool empty() const { return text_->empty(); }

  friend bool operator==(Sym a, Sym b) { return a.text_ == b.text_; } // one copy per value
  friend bool operator==(Sym a, std::string_view b) { return *a.text_ == b; }
  friend void to_json(nlohmann::json& j, const Sym& s) { j = *s.text_; }

private:
  static const std::string* intern(std::string_view s) {
    static std::mutex lock;         // cheap uncontended; a process may run clouds on threads
    static util::StringTable table; // its texts never move
    const std::lock_guard<std::mutex> hold(lock);
    return &table.text(table.id(s));
  }
  static const std::string* empty_text() {
    static const std::string* const empty = intern({});
    return empty;
  }

  const std::string* text_;
};

/// A date-time the Cloud wrote (CloudContext::timestamp()), or none: held as its microseconds when
/// iso_timestamp() gives back exactly that text (16 bytes, where a std::string takes 32 and a heap block for
/// the 27 characters); any other text is kept as it is.
class Stamp {
public:
  Stamp() = default;
  Stamp(const Stamp& o) : micros_(o.micros_), other_(o.other_ ? std::make_unique<std::string>(*o.other_) : nullptr) {}
  Stamp(Stamp&&) noexcept = default;
  Stamp& operator=(const Stamp& o) {
    if (this != &o)
      *this = Stamp(o);
    return *this;
  }
  Stamp& operator=(Stamp&&) noexcept = default;
  Stamp& operator=(const std::string& text) {
    micros_ = kNone;
    other_.reset();
    if (text.empty())
      return *this;
    const double seconds = parse_iso_timestamp(text);
    const auto micros = static_cast<std::int64_t>(std::llround(seconds * 1e6));
    if (micros != kNone && iso_timestamp(static_cast<double>(micros) / 1e6) == text)
      micros_ = micros;
    else
      other_ = std::make_unique<std::string>(text);
    return *this;
  }

  /// The text as written; empty for none.
  std::string str() const {
    if (other_)
      return *other_;
    return micros_ == kNone ? std::string() : iso_timestamp(static_cast<double>(micros_) / 1e6);
  }
  bool empty() const { return micros_ == kNone && !other_; }
  friend void to_json(nlohmann::json& j, const Stamp& s) { j = s.str(); }

private:
  static constexpr std::int64_t kNone = INT64_MIN;
  std::int64_t micros_ = kNone;
  std::unique_ptr<std::string> other_;
};

} // namespace i1sim::cloud
