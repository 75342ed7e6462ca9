// A JSON document the reference implementation keeps for the whole run, held as its text: a parsed document takes
// several times the memory of its text, and a month of orders keeps every order's and service's characteristics.
#pragma once

#include "i1/codec.hpp"
#include "util/string_table.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace i1sim::cloud {

/// The texts of the stored documents, each kept once however many records hold it: orders of one catalogue
/// offer carry the same characteristics, and a customer's orders the same related parties. Texts stay until
/// the pool goes (a run keeps every order anyway). Not copyable: records point into it.
class TextPool {
public:
  TextPool() = default;
  TextPool(const TextPool&) = delete;
  TextPool& operator=(const TextPool&) = delete;
  /// The pool's copy of `text` (the same one for equal texts, at the same address for the pool's lifetime).
  const std::string* intern(std::string_view text) { return &texts_.text(texts_.id(text)); }
  /// How many distinct texts it holds.
  std::size_t size() const { return texts_.size() - 1; } // the table's id 0 is the empty string, never a document

private:
  util::StringTable texts_; // its texts never move
};

/// Holds a document as its exact serialisation (json::dump()'s bytes), in a TextPool; get() gives back the same
/// document. Null is held as no text. Copies share the text.
class StoredJson {
public:
  StoredJson() = default;
  StoredJson(const nlohmann::json& j, TextPool& pool)
      : text_(j.is_null() ? nullptr : pool.intern(i1::compact_dump(j))) {}
  nlohmann::json get() const { return text_ ? nlohmann::json::parse(*text_) : nlohmann::json(); }
  bool is_null() const { return text_ == nullptr; }
  /// The stored text; empty for null.
  std::string_view text() const { return text_ ? std::string_view(*text_) : std::string_view(); }

private:
  const std::string* text_ = nullptr;
};

} // namespace i1sim::cloud
