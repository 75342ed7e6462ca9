// Scenario expectations (`expect:`): the parser of one assertion and the catalogue of every metric it may name.
#pragma once

#include "scenario/scenario.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace i1sim::scenario {

/// A malformed expectation: what() is the message alone; offset() is the 0-based character within the
/// expectation's text where the problem is, for the loader to turn into file:line:col.
class ExpectationError : public std::runtime_error {
public:
  ExpectationError(std::size_t offset, const std::string& message) : std::runtime_error(message), offset_(offset) {}
  std::size_t offset() const { return offset_; }

private:
  std::size_t offset_;
};

/// Parses `METRIC OP VALUE`, e.g. "p99(order_to_active) < 120s" or "orders.failed == 0", or `METRIC OP METRIC`
/// with two metrics of the same kind, e.g. "vms.destroyed == vms.booted". The result's metric (and rhs_metric)
/// is canonical ("order_to_active.p99"), its value in the metric's base unit; text is `text`, line and column
/// are left for the caller. Throws ExpectationError.
Expectation parse_expectation(const std::string& text);

/// What a metric measures, which decides the unit its values are written in.
enum class MetricKind {
  count,    // a bare number
  duration, // s; written with a unit (120s, 2min)
  size,     // B; written with a unit (10MB, 2GiB)
  ratio,    // a bare number
  money,    // minor units of the run's currency; a bare number
};

/// One metric a scenario may assert on.
struct MetricInfo {
  std::string_view name;         // as written: "orders.failed"; for a sample, the sample's name
  MetricKind kind;               // of the value (a sample: of its figures but `count`)
  std::string_view path;         // JSON pointer into results.json; a sample: the object holding its figures
  bool sample = false;           // asserted on through FUNC(name): p50 p90 p95 p99 mean min max count
  std::string_view when_missing; // empty: a missing value reads 0; else why a missing value is not measured
  std::string_view meaning;
};

/// Every metric, in the order the documentation lists them.
std::span<const MetricInfo> metric_catalogue();

/// The figures of a sample, as written before the parenthesis and as keyed in results.json.
std::span<const std::string_view> sample_functions();

/// A canonical metric name ("orders.failed", "order_to_active.p99") resolved against the catalogue.
struct ResolvedMetric {
  const MetricInfo* info = nullptr;
  std::string function; // a sample's figure; empty for a plain metric
  MetricKind kind = MetricKind::count;
};
std::optional<ResolvedMetric> resolve_metric(std::string_view canonical);

/// The expectation's metric as a person writes it: "p99(order_to_active)", "orders.failed".
std::string written_metric(std::string_view canonical);

std::string_view to_string(Expectation::Op op);

/// The catalogue as a Markdown table (metric, unit, where in results.json, meaning), for scenarios/README.md.
std::string metric_table_markdown();
/// The catalogue as plain text, one metric a line, for `i1sim help run`.
std::string metric_table_text();

/// `value` (in the kind's base unit) as it reads best in a message: "131.2s", "3", "0.25", "1.5MB".
std::string format_value(MetricKind kind, double value);

} // namespace i1sim::scenario
