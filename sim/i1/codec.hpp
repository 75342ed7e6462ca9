// The wire form of an I1 message inside the simulation: one JSON object, whose length is the simulated size.
#pragma once

#include "i1sim/message.hpp"

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
/// The inverse of encode(). Throws CodecError, naming the field, on anything that encode() would not produce.
Message decode(std::string_view wire);

} // namespace i1sim::i1
