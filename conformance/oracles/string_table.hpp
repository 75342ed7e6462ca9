// The oracles' string table: util::CompactStringTable (sim/util/string_table.hpp), which the validator uses too; its
// text(id) is a std::string_view, valid as long as the table.
#pragma once

#include "util/string_table.hpp"

namespace i1sim::conformance {
using StringTable = util::CompactStringTable;
} // namespace i1sim::conformance
