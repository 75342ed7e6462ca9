// Expectation outcomes: each metric read from results.json through the catalogue, compared, and reported.
#include "run/expectations.hpp"

#include "scenario/expectation.hpp"

#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <string_view>

namespace i1sim::run {
namespace {

using Json = nlohmann::ordered_json;

/// The value at a JSON pointer such as "/metrics/orders/failed", or null when any step is missing.
const Json* at_pointer(const Json& root, std::string_view pointer) {
  const Json* node = &root;
  while (!pointer.empty()) {
    pointer.remove_prefix(1); // the '/'
    const auto slash = pointer.find('/');
    const std::string key(pointer.substr(0, slash));
    pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(slash);
    if (!node->is_object())
      return nullptr;
    const auto it = node->find(key);
    if (it == node->end())
      return nullptr;
    node = &*it;
  }
  return node;
}

struct Measurement {
  std::optional<double> value;
  std::string reason;
};

Measurement measure(const std::string& canonical, const Json& results) {
  const auto resolved = scenario::resolve_metric(canonical);
  if (!resolved)
    return {std::nullopt, fmt::format("unknown metric '{}'", canonical)};
  const scenario::MetricInfo& info = *resolved->info;
  const Json* node = at_pointer(results, info.path);
  if (info.sample) {
    const Json* count = node ? at_pointer(*node, "/count") : nullptr;
    const double n = count && count->is_number() ? count->get<double>() : 0;
    if (resolved->function == "count")
      return {n, ""};
    if (n == 0) // a percentile of nothing is no evidence either way: fail rather than pass on a zero
      return {std::nullopt, fmt::format("no sample: no {} was measured", info.name)};
    const Json* figure = at_pointer(*node, "/" + resolved->function);
    if (!figure || !figure->is_number())
      return {std::nullopt, fmt::format("not measured: results.json has no {}/{}", info.path, resolved->function)};
    return {figure->get<double>(), ""};
  }
  if (!node) {
    if (info.when_missing.empty())
      return {0.0, ""};
    // An oracle that could not judge says why next to where its figure would be.
    const std::string_view path = info.path;
    const Json* parent = at_pointer(results, path.substr(0, path.rfind('/')));
    if (parent && parent->is_object() && parent->contains("error") && (*parent)["error"].is_string())
      return {std::nullopt, fmt::format("not measured: {}", (*parent)["error"].get<std::string>())};
    return {std::nullopt, fmt::format("not measured: {}", info.when_missing)};
  }
  if (!node->is_number())
    return {std::nullopt, fmt::format("not measured: results.json has no number at {}", info.path)};
  return {node->get<double>(), ""};
}

bool holds(double measured, scenario::Expectation::Op op, double value) {
  using Op = scenario::Expectation::Op;
  switch (op) {
  case Op::lt:
    return measured < value;
  case Op::le:
    return measured <= value;
  case Op::eq:
    return measured == value;
  case Op::ne:
    return measured != value;
  case Op::ge:
    return measured >= value;
  case Op::gt:
    return measured > value;
  }
  return false;
}

/// Counts and amounts as integers, so results.json reads "measured": 17 rather than 17.0.
Json measured_json(const std::string& metric, double value) {
  const auto resolved = scenario::resolve_metric(metric);
  const bool whole_kind =
      resolved && (resolved->kind == scenario::MetricKind::count || resolved->kind == scenario::MetricKind::money);
  if (whole_kind && value == std::floor(value) && std::fabs(value) < 9e15)
    return static_cast<std::int64_t>(value);
  return value;
}

} // namespace

std::vector<Outcome> evaluate(const std::vector<scenario::Expectation>& expectations, const Json& results) {
  std::vector<Outcome> out;
  for (const auto& e : expectations) {
    Outcome o;
    o.text = e.text;
    o.metric = e.metric;
    o.line = e.line;
    const Measurement m = measure(e.metric, results);
    o.measured = m.value;
    o.reason = m.reason;
    if (e.rhs_metric.empty()) {
      o.met = m.value && holds(*m.value, e.op, e.value);
    } else {
      o.rhs_metric = e.rhs_metric;
      const Measurement rhs = measure(e.rhs_metric, results);
      o.rhs_measured = rhs.value;
      // Both sides are named, so the reason says which of them could not be measured.
      if (!m.value)
        o.reason = fmt::format("{}: {}", scenario::written_metric(e.metric), m.reason);
      else if (!rhs.value)
        o.reason = fmt::format("{}: {}", scenario::written_metric(e.rhs_metric), rhs.reason);
      o.met = m.value && rhs.value && holds(*m.value, e.op, *rhs.value);
    }
    out.push_back(std::move(o));
  }
  return out;
}

Json to_json(const std::vector<Outcome>& outcomes) {
  Json list = Json::array();
  std::size_t met = 0;
  for (const auto& o : outcomes) {
    Json j;
    j["text"] = o.text;
    j["metric"] = o.metric;
    j["line"] = o.line;
    j["met"] = o.met;
    j["measured"] = o.measured ? measured_json(o.metric, *o.measured) : Json(nullptr);
    if (!o.rhs_metric.empty()) {
      j["rhs_metric"] = o.rhs_metric;
      j["rhs_measured"] = o.rhs_measured ? measured_json(o.rhs_metric, *o.rhs_measured) : Json(nullptr);
    }
    if (!o.reason.empty())
      j["reason"] = o.reason;
    list.push_back(std::move(j));
    met += o.met ? 1 : 0;
  }
  return {{"met", met}, {"failed", outcomes.size() - met}, {"outcomes", std::move(list)}};
}

void add_expectations(const std::vector<scenario::Expectation>& expectations, Json& results) {
  if (!expectations.empty())
    results["expectations"] = to_json(evaluate(expectations, results));
}

std::string failure_line(const Outcome& o, const std::string& file) {
  const std::string where = o.line > 0 ? fmt::format("{}:{}", file, o.line) : file;
  const auto shown = [](const std::string& metric, double value) {
    const auto resolved = scenario::resolve_metric(metric);
    return resolved ? scenario::format_value(resolved->kind, value) : fmt::format("{}", value);
  };
  std::string what = o.reason;
  if (o.rhs_metric.empty() && o.measured)
    what = "measured " + shown(o.metric, *o.measured);
  else if (o.measured && o.rhs_measured)
    what = fmt::format("measured {} vs {}", shown(o.metric, *o.measured), shown(o.rhs_metric, *o.rhs_measured));
  return fmt::format("expectation failed: {} ({}): {}", o.text, where, what);
}

int report_expectations(const Json& results, std::ostream& err) {
  const Json* section = at_pointer(results, "/expectations/outcomes");
  if (!section || !section->is_array())
    return 0;
  const Json* file = at_pointer(results, "/run/scenario");
  const std::string scenario_file = file && file->is_string() ? file->get<std::string>() : "scenario";
  int failed = 0;
  for (const auto& j : *section) {
    if (j.value("met", false))
      continue;
    Outcome o;
    o.text = j.value("text", "");
    o.metric = j.value("metric", "");
    o.line = j.value("line", 0);
    if (j.contains("measured") && j["measured"].is_number())
      o.measured = j["measured"].get<double>();
    o.rhs_metric = j.value("rhs_metric", "");
    if (j.contains("rhs_measured") && j["rhs_measured"].is_number())
      o.rhs_measured = j["rhs_measured"].get<double>();
    o.reason = j.value("reason", "");
    err << failure_line(o, scenario_file) << "\n";
    ++failed;
  }
  return failed;
}

} // namespace i1sim::run
