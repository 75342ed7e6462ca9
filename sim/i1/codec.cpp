// JSON codec for I1 messages, strict on decode so that garbage from an implementation is named, not trusted.
#include "i1/codec.hpp"

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

std::string encode(const Message& m) {
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

} // namespace i1
} // namespace i1sim
