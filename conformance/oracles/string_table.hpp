// The oracles' string table: util::StringTable (sim/util/string_table.hpp), which the validator uses too.
#pragma once

#include "util/string_table.hpp"

namespace i1sim::conformance {
using util::StringTable;
} // namespace i1sim::conformance
