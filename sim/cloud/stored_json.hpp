// A JSON document the reference implementation keeps for the whole run, held as its text: a parsed document takes
// several times the memory of its text, and a month of orders keeps every order's and service's characteristics.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace i1sim::cloud {

/// Holds a document as its exact serialisation; get() gives back the same document. Null is held as no text.
class StoredJson {
public:
  StoredJson() = default;
  StoredJson(const nlohmann::json& j) { *this = j; } // NOLINT(google-explicit-constructor): stores any document
  StoredJson& operator=(const nlohmann::json& j) {
    text_ = j.is_null() ? std::string() : j.dump();
    return *this;
  }
  nlohmann::json get() const { return text_.empty() ? nlohmann::json() : nlohmann::json::parse(text_); }
  bool is_null() const { return text_.empty(); }

private:
  std::string text_;
};

} // namespace i1sim::cloud
