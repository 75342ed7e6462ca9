// JSON codec for I1 messages, strict on decode so that garbage from an implementation is named, not trusted.
#include "i1/codec.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fmt/format.h>

namespace i1sim {

std::string_view to_string(MessageKind kind) {
  switch (kind) {
  case MessageKind::request:
    return "request";
  case MessageKind::response:
    return "response";
  case MessageKind::notification:
    return "notification";
  }
  return "?";
}

std::string_view to_string(Direction direction) { return direction == Direction::telecom_to_cloud ? "t2c" : "c2t"; }

namespace i1 {

namespace {

using json = nlohmann::json;

/// Writes compact JSON exactly as json::dump() does, straight into a growing buffer, without the serializer's
/// per-character output calls. It covers what messages are made of: strings of printable ASCII, numbers,
/// booleans, null, arrays and objects. Anything else (a control or non-ASCII byte, whose escaping and UTF-8
/// checking dump() owns, a binary or discarded value) makes it give up, and encode() falls back to dump().
class CompactWriter {
public:
  explicit CompactWriter(std::string& buffer) : buffer_(&buffer) {
    if (buffer_->size() < 1024)
      buffer_->resize(1024);
    at_ = 0;
  }

  /// The text written so far.
  std::string_view text() const { return {buffer_->data(), at_}; }

  void raw(std::string_view s) {
    char* p = room(s.size());
    std::memcpy(p, s.data(), s.size());
    at_ += s.size();
  }
  void raw(char c) {
    *room(1) = c;
    ++at_;
  }

  bool string(std::string_view s) {
    // At worst every character takes a backslash, plus the quotes.
    char* const start = room(2 * s.size() + 2);
    char* p = start;
    *p++ = '"';
    const char* in = s.data();
    const char* const end = in + s.size();
    // Most strings (identifiers, times, paths) need no escaping: eight characters are checked at once and
    // copied whole when none of them is a quote, a backslash, a control or a non-ASCII byte.
    while (end - in >= 8) {
      std::uint64_t word;
      std::memcpy(&word, in, 8);
      if (needs_care(word))
        break;
      std::memcpy(p, in, 8);
      p += 8;
      in += 8;
    }
    for (; in != end; ++in) {
      const auto c = static_cast<unsigned char>(*in);
      if (c < 0x20 || c >= 0x80)
        return false;
      if (c == '"' || c == '\\')
        *p++ = '\\';
      *p++ = *in;
    }
    *p++ = '"';
    at_ += static_cast<std::size_t>(p - start);
    return true;
  }

  /// Writes `j`. A mutable `j` is also made what parsing the text gives (see make_as_parsed) in the same walk.
  template <typename Json> bool value(Json& j) {
    constexpr bool settle = !std::is_const_v<Json>;
    switch (j.type()) {
    case json::value_t::object: {
      auto& object = *j.template get_ptr<std::conditional_t<settle, json::object_t*, const json::object_t*>>();
      raw('{');
      bool first = true;
      for (auto& [key, member] : object) {
        if (!first)
          raw(',');
        first = false;
        if (!string(key))
          return false;
        raw(':');
        if (!value(member))
          return false;
      }
      raw('}');
      return true;
    }
    case json::value_t::array: {
      auto& array = *j.template get_ptr<std::conditional_t<settle, json::array_t*, const json::array_t*>>();
      raw('[');
      for (std::size_t i = 0; i < array.size(); ++i) {
        if (i)
          raw(',');
        if (!value(array[i]))
          return false;
      }
      raw(']');
      return true;
    }
    case json::value_t::string:
      return string(*j.template get_ptr<const json::string_t*>());
    case json::value_t::boolean:
      raw(*j.template get_ptr<const json::boolean_t*>() ? "true" : "false");
      return true;
    case json::value_t::number_integer: {
      const auto v = *j.template get_ptr<const json::number_integer_t*>();
      integer(v);
      if constexpr (settle)
        if (v >= 0)
          j = static_cast<json::number_unsigned_t>(v); // the parser reads a non-negative integer as unsigned
      return true;
    }
    case json::value_t::number_unsigned:
      integer(*j.template get_ptr<const json::number_unsigned_t*>());
      return true;
    case json::value_t::number_float: {
      const double x = *j.template get_ptr<const json::number_float_t*>();
      if (!std::isfinite(x)) {
        raw("null");
        if constexpr (settle)
          j = nullptr; // what the text says
        return true;
      }
      // dump()'s own shortest-round-trip formatting (Grisu2, with ".0" on integral values), so the digits match.
      char* p = room(64);
      at_ += static_cast<std::size_t>(nlohmann::detail::to_chars(p, p + 64, x) - p);
      return true;
    }
    case json::value_t::null:
      raw("null");
      return true;
    case json::value_t::binary:
    case json::value_t::discarded:
      return false;
    }
    return false;
  }

  template <typename T> void integer(T v) {
    char* p = room(24);
    at_ += static_cast<std::size_t>(std::to_chars(p, p + 24, v).ptr - p);
  }

private:
  /// Whether any of the eight bytes of `w` is below 0x20, 0x80 or above, a quote or a backslash (exact: the
  /// borrow tricks below can only flag a byte wrongly when another byte of the word is flagged rightly).
  static bool needs_care(std::uint64_t w) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const auto zero_byte = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
    const std::uint64_t control = (w - ones * 0x20) & ~w & highs; // a byte below 0x20 (or, caught anyway, >= 0x80)
    return ((control | (w & highs) | zero_byte(w ^ (ones * '"')) | zero_byte(w ^ (ones * '\\'))) != 0);
  }

  /// Where `n` more characters go.
  char* room(std::size_t n) {
    if (at_ + n > buffer_->size())
      buffer_->resize(std::max(2 * buffer_->size(), at_ + n));
    return buffer_->data() + at_;
  }

  std::string* buffer_;
  std::size_t at_ = 0;
};

/// The reference encoding: the message as an ordered JSON object, dumped.
std::string encode_with_dump(const Message& m) {
  nlohmann::ordered_json j;
  j["kind"] = to_string(m.kind);
  j["type"] = m.type;
  j["correlationId"] = m.correlation_id;
  if (m.kind == MessageKind::response)
    j["status"] = m.status;
  else
    j["target"] = m.target;
  if (m.kind == MessageKind::request && !m.credential.empty())
    j["credential"] = m.credential;
  j["body"] = m.body;
  return j.dump();
}

/// Turns `j` into what json::parse(j.dump()) would give back, in place; false if it holds a binary or
/// discarded value. Parsing reads a number without sign, point or exponent as unsigned, and dump() writes a
/// number that is not finite as null; everything else comes back as it was.
bool make_as_parsed(json& j) {
  switch (j.type()) {
  case json::value_t::object:
    for (auto& [key, member] : *j.get_ptr<json::object_t*>())
      if (!make_as_parsed(member))
        return false;
    return true;
  case json::value_t::array:
    for (auto& item : *j.get_ptr<json::array_t*>())
      if (!make_as_parsed(item))
        return false;
    return true;
  case json::value_t::number_integer: {
    const auto v = *j.get_ptr<const json::number_integer_t*>();
    if (v >= 0)
      j = static_cast<json::number_unsigned_t>(v);
    return true;
  }
  case json::value_t::number_float:
    if (!std::isfinite(*j.get_ptr<const json::number_float_t*>()))
      j = nullptr;
    return true;
  case json::value_t::binary:
  case json::value_t::discarded:
    return false;
  case json::value_t::null:
  case json::value_t::boolean:
  case json::value_t::string:
  case json::value_t::number_unsigned:
    return true;
  }
  return false;
}

/// decode_encoded_in_place() on the fields beside the body: the same fields as decode_encoded(), cleared where
/// that one leaves them empty. False when decode() would refuse the message (a status out of range).
bool settle_header(Message& m) {
  if (m.kind == MessageKind::response) {
    if (m.status < 100 || m.status > 599)
      return false;
    m.target.clear();
  } else {
    m.status = 0;
  }
  if (m.kind != MessageKind::request)
    m.credential.clear();
  return true;
}

} // namespace

namespace {

/// Writes `m` with `body` as its body (m.body itself, or a mutable reference to it, which the writer then settles
/// as it goes), as encode_with_dump() would: keys in that order, compact. Nothing when the writer gives up.
template <typename Json> std::optional<std::string> write_message(const Message& m, Json& body) {
  // Written in one pass into a buffer kept from one message to the next: encoding is on the path of every message
  // a run sends.
  thread_local std::string buffer;
  CompactWriter w(buffer);
  w.raw(R"({"kind":")");
  w.raw(to_string(m.kind));
  w.raw(R"(","type":)");
  bool ok = w.string(m.type);
  w.raw(R"(,"correlationId":)");
  ok = ok && w.string(m.correlation_id);
  if (m.kind == MessageKind::response) {
    w.raw(R"(,"status":)");
    w.integer(m.status);
  } else {
    w.raw(R"(,"target":)");
    ok = ok && w.string(m.target);
  }
  if (m.kind == MessageKind::request && !m.credential.empty()) {
    w.raw(R"(,"credential":)");
    ok = ok && w.string(m.credential);
  }
  w.raw(R"(,"body":)");
  ok = ok && w.value(body);
  if (!ok)
    return std::nullopt;
  w.raw('}');
  return std::string(w.text());
}

} // namespace

std::string encode(const Message& m) {
  if (auto text = write_message(m, m.body))
    return std::move(*text);
  return encode_with_dump(m); // dump() escapes and checks what the writer does not cover, or throws
}

std::string encode_in_place(Message& m, bool& decoded) {
  // The header fields are read before decode_encoded_in_place() clears the ones the wire does not carry.
  std::optional<std::string> text = write_message(m, m.body);
  if (!text) {
    // The writer gave up part way: what it settled is settled as make_as_parsed would, and dump() writes a settled
    // value with the same text, so the fallback and a full walk give what encode() and the walk give separately.
    text = encode_with_dump(m);
    decoded = decode_encoded_in_place(m);
    return std::move(*text);
  }
  decoded = settle_header(m);
  return std::move(*text);
}

std::string compact_dump(const nlohmann::json& j) {
  thread_local std::string buffer; // kept from one call to the next, as encode()'s is
  CompactWriter w(buffer);
  if (!w.value(j))
    return j.dump();
  return std::string(w.text());
}

Message decode(std::string_view wire) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(wire);
  } catch (const nlohmann::json::parse_error& e) {
    throw CodecError(fmt::format("not JSON: {}", e.what()));
  }
  if (!j.is_object())
    throw CodecError("a message must be a JSON object");
  auto text = [&](const char* key) -> std::string {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string())
      throw CodecError(fmt::format("field '{}' is missing or not a string", key));
    return it->get<std::string>();
  };
  Message m;
  const std::string kind = text("kind");
  if (kind == "request")
    m.kind = MessageKind::request;
  else if (kind == "response")
    m.kind = MessageKind::response;
  else if (kind == "notification")
    m.kind = MessageKind::notification;
  else
    throw CodecError(fmt::format("field 'kind': unknown value '{}'", kind));
  m.type = text("type");
  m.correlation_id = text("correlationId");
  if (m.kind == MessageKind::response) {
    const auto it = j.find("status");
    if (it == j.end() || !it->is_number_integer() || it->get<long long>() < 100 || it->get<long long>() > 599)
      throw CodecError("field 'status' is missing or not an HTTP status code");
    m.status = it->get<int>();
  } else {
    m.target = text("target");
  }
  if (const auto cred = j.find("credential"); cred != j.end()) {
    if (m.kind != MessageKind::request)
      throw CodecError(fmt::format("unknown field 'credential' in a {}", to_string(m.kind)));
    if (!cred->is_string())
      throw CodecError("field 'credential' is not a string");
    m.credential = cred->get<std::string>();
  }
  const auto body = j.find("body");
  if (body == j.end())
    throw CodecError("field 'body' is missing");
  m.body = std::move(*body);
  // A response has a status and no target; a request or notification the other way round.
  const char* own = m.kind == MessageKind::response ? "status" : "target";
  for (const auto& [key, value] : j.items())
    if (key != "kind" && key != "type" && key != "correlationId" && key != "body" && key != own && key != "credential")
      throw CodecError(fmt::format("unknown field '{}' in a {}", key, to_string(m.kind)));
  return m;
}

std::optional<Message> decode_encoded(const Message& m) {
  // Mirrors decode() field by field on what encode() writes: a response carries its status and no target, a
  // request or notification its target and status 0, and only a request a credential.
  Message out;
  out.kind = m.kind;
  out.type = m.type;
  out.correlation_id = m.correlation_id;
  if (m.kind == MessageKind::response) {
    if (m.status < 100 || m.status > 599)
      return std::nullopt; // decode() refuses it
    out.status = m.status;
  } else {
    out.target = m.target;
  }
  if (m.kind == MessageKind::request)
    out.credential = m.credential;
  out.body = m.body; // json's own copy, which copies each object's tree whole, then the few values parsing changes
  if (!make_as_parsed(out.body))
    return std::nullopt;
  return out;
}

bool decode_encoded_in_place(Message& m) { return settle_header(m) && make_as_parsed(m.body); }

} // namespace i1
} // namespace i1sim
