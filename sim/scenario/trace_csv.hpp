// Reading of workload arrival traces: a CSV file of `at,product[,customer]` rows replayed as orders.
#pragma once

#include "scenario/scenario.hpp"
#include "util/yaml_node.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace i1sim::scenario {

/// The most rows a trace may hold: beyond it a run would spend its memory on the trace alone.
inline constexpr std::size_t kMaxTraceRows = 10'000'000;

/// Where one row of a trace is written (TraceArrival::line holds the line too), so that checks made later
/// (against the catalogue, the number of customers) can still name file:line:col.
struct TraceRowPlace {
  int line = 0;            // 1-based line of the row in the file
  int product_column = 0;  // 1-based character position of the product field
  int customer_column = 0; // of the customer field; 0 when the file has no customer column
};

/// A parsed trace: `arrivals[i]` is written at `places[i]`.
struct TraceCsv {
  std::vector<TraceArrival> arrivals;
  std::vector<TraceRowPlace> places;
};

/// Parses the text of a trace file. Format: a header line `at,product` or `at,product,customer`, then one row
/// per order: `at` a duration with its unit (rows in non-decreasing time), `product` a name of letters,
/// digits, '-' and '_', `customer` (when the column exists) an integer >= 1, or empty for a customer drawn like
/// any other order's. Blank lines and lines whose first non-blank character is '#' are skipped; CRLF line ends
/// and a leading UTF-8 byte order mark are accepted. Throws util::LocatedError(file, line, column, "field:
/// problem") at the first problem; an empty trace is one. Never crashes, whatever the text.
/// `max_rows` exists for tests; a trace longer than it is an error.
TraceCsv read_trace_csv(const std::string& text, const std::string& file, std::size_t max_rows = kMaxTraceRows);

/// The same, without the places.
std::vector<TraceArrival> parse_trace_csv(const std::string& text, const std::string& file);

/// The rows of a parsed trace whose product is not in `catalogue` or whose customer is above
/// `customer_count`, one located error per problem, in file order.
std::vector<util::LocatedError> check_trace(const TraceCsv& trace, const Catalogue& catalogue, int customer_count,
                                            const std::string& file);

} // namespace i1sim::scenario
