// JSON codec for I1 messages, strict on decode so that garbage from an implementation is named, not trusted.
#include "i1/codec.hpp"

#include <array>
#include <charconv>
#include <cmath>
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

/// Writes compact JSON exactly as json::dump() does, straight into one string, without the serializer's
/// per-character output calls. It covers what messages are made of: strings of printable ASCII, numbers,
/// booleans, null, arrays and objects. Anything else (a control or non-ASCII byte, whose escaping and UTF-8
/// checking dump() owns, a binary or discarded value) makes it give up, and encode() falls back to dump().
class CompactWriter {
public:
  explicit CompactWriter(std::string& out) : out_(&out) {}

  bool string(std::string_view s) {
    out_->push_back('"');
    std::size_t plain = 0; // start of the run of bytes copied as they are
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x20 || c >= 0x80)
        return false;
      if (c == '"' || c == '\\') {
        out_->append(s.data() + plain, i - plain);
        out_->push_back('\\');
        plain = i; // the character itself follows its backslash
      }
    }
    out_->append(s.data() + plain, s.size() - plain);
    out_->push_back('"');
    return true;
  }

  bool value(const json& j) {
    switch (j.type()) {
    case json::value_t::object: {
      const auto& object = *j.get_ptr<const json::object_t*>();
      out_->push_back('{');
      bool first = true;
      for (const auto& [key, member] : object) {
        if (!first)
          out_->push_back(',');
        first = false;
        if (!string(key))
          return false;
        out_->push_back(':');
        if (!value(member))
          return false;
      }
      out_->push_back('}');
      return true;
    }
    case json::value_t::array: {
      const auto& array = *j.get_ptr<const json::array_t*>();
      out_->push_back('[');
      for (std::size_t i = 0; i < array.size(); ++i) {
        if (i)
          out_->push_back(',');
        if (!value(array[i]))
          return false;
      }
      out_->push_back(']');
      return true;
    }
    case json::value_t::string:
      return string(*j.get_ptr<const json::string_t*>());
    case json::value_t::boolean:
      out_->append(*j.get_ptr<const json::boolean_t*>() ? "true" : "false");
      return true;
    case json::value_t::number_integer:
      return integer(*j.get_ptr<const json::number_integer_t*>());
    case json::value_t::number_unsigned:
      return integer(*j.get_ptr<const json::number_unsigned_t*>());
    case json::value_t::number_float: {
      const double x = *j.get_ptr<const json::number_float_t*>();
      if (!std::isfinite(x)) {
        out_->append("null");
        return true;
      }
      // dump()'s own shortest-round-trip formatting (Grisu2, with ".0" on integral values), so the digits match.
      std::array<char, 64> buffer{};
      const char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), x);
      out_->append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
      return true;
    }
    case json::value_t::null:
      out_->append("null");
      return true;
    case json::value_t::binary:
    case json::value_t::discarded:
      return false;
    }
    return false;
  }

private:
  template <typename T> bool integer(T v) {
    std::array<char, 24> buffer{};
    const auto r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v);
    out_->append(buffer.data(), static_cast<std::size_t>(r.ptr - buffer.data()));
    return true;
  }

  std::string* out_;
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

/// `in` as json::parse(in.dump()) would give it back, into `out`; false if `in` holds a binary or discarded
/// value. Parsing reads a number without sign, point or exponent as unsigned, and dump() writes a number that
/// is not finite as null; everything else comes back as it was.
bool copy_as_parsed(const json& in, json& out) {
  switch (in.type()) {
  case json::value_t::object: {
    out = json::object();
    auto& object = *out.get_ptr<json::object_t*>();
    for (const auto& [key, member] : *in.get_ptr<const json::object_t*>())
      if (!copy_as_parsed(member, object.emplace_hint(object.end(), key, nullptr)->second))
        return false;
    return true;
  }
  case json::value_t::array: {
    const auto& source = *in.get_ptr<const json::array_t*>();
    out = json::array();
    auto& array = *out.get_ptr<json::array_t*>();
    array.resize(source.size());
    for (std::size_t i = 0; i < source.size(); ++i)
      if (!copy_as_parsed(source[i], array[i]))
        return false;
    return true;
  }
  case json::value_t::number_integer: {
    const auto v = *in.get_ptr<const json::number_integer_t*>();
    if (v >= 0)
      out = static_cast<json::number_unsigned_t>(v);
    else
      out = v;
    return true;
  }
  case json::value_t::number_float: {
    const double x = *in.get_ptr<const json::number_float_t*>();
    if (std::isfinite(x))
      out = x;
    else
      out = nullptr;
    return true;
  }
  case json::value_t::binary:
  case json::value_t::discarded:
    return false;
  case json::value_t::null:
  case json::value_t::boolean:
  case json::value_t::string:
  case json::value_t::number_unsigned:
    out = in;
    return true;
  }
  return false;
}

} // namespace

std::string encode(const Message& m) {
  // The same text as encode_with_dump() (keys in that order, compact), written in one pass: encoding is on
  // the path of every message a run sends.
  std::string out;
  out.reserve(256);
  CompactWriter w(out);
  out.append(R"({"kind":")").append(to_string(m.kind)).append(R"(","type":)");
  bool ok = w.string(m.type);
  out.append(R"(,"correlationId":)");
  ok = ok && w.string(m.correlation_id);
  if (m.kind == MessageKind::response) {
    out.append(R"(,"status":)");
    std::array<char, 16> buffer{};
    const auto r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), m.status);
    out.append(buffer.data(), static_cast<std::size_t>(r.ptr - buffer.data()));
  } else {
    out.append(R"(,"target":)");
    ok = ok && w.string(m.target);
  }
  if (m.kind == MessageKind::request && !m.credential.empty()) {
    out.append(R"(,"credential":)");
    ok = ok && w.string(m.credential);
  }
  out.append(R"(,"body":)");
  ok = ok && w.value(m.body);
  if (!ok)
    return encode_with_dump(m); // dump() escapes and checks what the writer does not cover, or throws
  out.push_back('}');
  return out;
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
  if (!copy_as_parsed(m.body, out.body))
    return std::nullopt;
  return out;
}

} // namespace i1
} // namespace i1sim
