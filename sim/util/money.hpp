// Exact money arithmetic: the I1 specification's rule (integer minor units, one rounding half to even).
#pragma once

#include <cstdint>

namespace i1sim {

__extension__ typedef __int128 Int128; // products of prices and milliseconds overflow 64 bits

/// num / den rounded half to even; den > 0.
inline std::int64_t round_half_even(Int128 num, Int128 den) {
  const bool negative = num < 0;
  if (negative)
    num = -num;
  Int128 q = num / den;
  const Int128 r = num % den;
  if (2 * r > den || (2 * r == den && q % 2 == 1))
    ++q;
  return static_cast<std::int64_t>(negative ? -q : q);
}

} // namespace i1sim
