// Readable GoogleTest failure output for I1 messages: found by argument-dependent lookup, so every test that
// compares messages prints them the same way.
#pragma once

#include "i1sim/message.hpp"

#include <ostream>

namespace i1sim {

inline void PrintTo(const Message& m, std::ostream* os) {
  *os << to_string(m.kind) << " " << m.type << " " << m.correlation_id << " status=" << m.status
      << " target=" << m.target << " credential=" << m.credential << " body=" << m.body.dump();
}

} // namespace i1sim
