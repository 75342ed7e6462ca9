// The wire form of an I1 message inside the simulation: one JSON object, whose length is the simulated size.
#pragma once

#include "i1sim/message.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace i1sim::i1 {

class CodecError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Compact JSON of `m`: {"kind","type","correlationId"[,"status"][,"target"],"body"}.
std::string encode(const Message& m);
/// Exactly `j.dump()` (compact, no indent): written by encode()'s own writer, several times faster, into a string
/// of the text's exact size. A value the writer does not cover (a string with a control or non-ASCII character,
/// whose escaping and UTF-8 checks dump() owns; a binary or discarded value) is handed to dump() itself, which
/// also throws where dump() throws. For texts kept for a whole run, where dump() is the cost of storing them.
std::string compact_dump(const nlohmann::json& j);
/// The inverse of encode(). Throws CodecError, naming the field, on anything that encode() would not produce.
Message decode(std::string_view wire);
/// What decode(encode(m)) returns, computed from `m` without writing or parsing text: the fields the wire does
/// not carry are cleared, and the body holds what parsing its text would give (non-negative integers unsigned,
/// non-finite numbers null). Nothing when that decode would throw (a response status that is no HTTP status)
/// or when `m` holds a value that has no JSON text (binary, discarded); the caller then decodes the text.
/// Call it only on a message that encode() accepted.
std::optional<Message> decode_encoded(const Message& m);
/// decode_encoded() for a message its owner gives up: turns `m` itself into what decode(encode(m)) returns,
/// without copying its body. False when decode_encoded(m) would return nothing; `m` is then left half changed,
/// fit only to be destroyed or assigned. Call it only on a message that encode() accepted.
bool decode_encoded_in_place(Message& m);
/// encode(m) and decode_encoded_in_place(m) in one walk of the body, for a message its owner gives up: returns the
/// text and sets `decoded` to what decode_encoded_in_place() would return (m is then in the same state).
std::string encode_in_place(Message& m, bool& decoded);

} // namespace i1sim::i1
