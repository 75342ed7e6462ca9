// The bench's figures from its runs' results.json, the knee rule, and the three renderings (JSON, CSV, table).
#include "run/bench_report.hpp"

#include "util/units.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>
#include <stdexcept>

namespace i1sim::bench {
namespace {

using Json = nlohmann::ordered_json;

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// The value at a JSON pointer, or null when it is missing (results.json of an older or foreign run).
const nlohmann::json* at(const nlohmann::json& j, const char* pointer) {
  const nlohmann::json::json_pointer p(pointer);
  if (!j.contains(p))
    return nullptr;
  return &j.at(p);
}

std::optional<double> number(const nlohmann::json& j, const char* pointer) {
  const nlohmann::json* v = at(j, pointer);
  if (!v || !v->is_number())
    return std::nullopt;
  const double d = v->get<double>();
  return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
}

Json or_null(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

/// count, mean and p99 of a Distribution of results.json; mean and p99 are null for an empty or missing sample.
Json sample(const nlohmann::json& results, const std::string& pointer) {
  const auto count = number(results, (pointer + "/count").c_str());
  Json s;
  s["count"] = count ? Json(static_cast<std::uint64_t>(*count)) : Json(nullptr);
  s["mean"] = or_null(number(results, (pointer + "/mean").c_str()));
  s["p99"] = or_null(number(results, (pointer + "/p99").c_str()));
  return s;
}

constexpr const char* kRequired[] = {"/run/events",
                                     "/run/simulated_end_s",
                                     "/metrics/orders/submitted",
                                     "/metrics/orders/completed",
                                     "/metrics/orders/failed",
                                     "/metrics/order_to_active_s/count",
                                     "/expectations/met",
                                     "/expectations/failed"};

/// The implementation and I1 groups of a run that completed, and what the knee rule needs; `error` is set instead
/// when its results lack a figure the report cannot do without.
struct Figures {
  std::string error;
  Json implementation, i1;
  std::optional<double> throughput;
  KneeInput knee;
  double events = 0, simulated_s = 0;
};

Figures figures_of(const nlohmann::json& r) {
  Figures f;
  for (const char* p : kRequired)
    if (!number(r, p)) {
      f.error = fmt::format("its results.json has no number at {}", p);
      return f;
    }
  const double submitted = *number(r, "/metrics/orders/submitted");
  const double completed = *number(r, "/metrics/orders/completed");
  f.events = *number(r, "/run/events");
  f.simulated_s = *number(r, "/run/simulated_end_s");
  std::optional<double> success;
  if (submitted > 0)
    success = 100.0 * completed / submitted;

  std::string basis;
  std::optional<double> window;
  if (const auto per_s = number(r, "/metrics/throughput/per_s")) {
    f.throughput = per_s;
    basis = "first_submission_to_last_activation";
    window = number(r, "/metrics/throughput/window_s");
  } else if (f.simulated_s > 0) { // results without the figure (an older run): over the whole run
    f.throughput = completed / f.simulated_s;
    basis = "run";
    window = f.simulated_s;
  }

  std::vector<std::string> failed;
  if (const nlohmann::json* outcomes = at(r, "/expectations/outcomes"); outcomes && outcomes->is_array())
    for (const auto& o : *outcomes) {
      if (!o.is_object() || o.value("met", true))
        continue;
      std::string text = o.value("text", std::string("?"));
      if (const auto m = o.find("measured"); m != o.end() && m->is_number())
        text += fmt::format(" (measured {:.6g})", m->get<double>());
      failed.push_back(std::move(text));
    }
  const bool held = *number(r, "/expectations/failed") == 0;

  Json& impl = f.implementation;
  impl["orders"] = {{"submitted", static_cast<std::uint64_t>(submitted)},
                    {"completed", static_cast<std::uint64_t>(completed)},
                    {"failed", static_cast<std::uint64_t>(*number(r, "/metrics/orders/failed"))}};
  impl["success_pct"] = or_null(success);
  impl["order_to_active_s"] = sample(r, "/metrics/order_to_active_s");
  impl["offered_per_s"] = or_null(number(r, "/metrics/throughput/offered_per_s"));
  impl["throughput_per_s"] = or_null(f.throughput);
  impl["throughput_basis"] = basis.empty() ? Json(nullptr) : Json(basis);
  impl["throughput_window_s"] = or_null(window);
  impl["load_factor"] = nullptr; // filled in once the baseline is known
  impl["scalability"] = nullptr;
  impl["expectations"] = {{"met", static_cast<std::uint64_t>(*number(r, "/expectations/met"))},
                          {"failed", static_cast<std::uint64_t>(*number(r, "/expectations/failed"))},
                          {"held", held},
                          {"failed_texts", failed}};

  f.i1["notification_delay_s"] = sample(r, "/metrics/notification_delay_s");
  f.i1["usage_to_bill_s"] = sample(r, "/metrics/usage_to_bill_s");
  f.i1["messages_per_order"] = or_null(number(r, "/metrics/i1/messages_per_order"));
  f.i1["bytes_per_order"] = or_null(number(r, "/metrics/i1/bytes_per_order"));

  f.knee.ran = true;
  f.knee.success_pct = success;
  f.knee.expectations_held = held;
  f.knee.failed_expectations = std::move(failed);
  return f;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items)
    out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

const Json* field(const Json& j, const char* pointer) {
  const Json::json_pointer p(pointer);
  if (!j.contains(p))
    return nullptr;
  const Json& v = j.at(p);
  return v.is_null() ? nullptr : &v;
}

/// A CSV field: numbers and booleans as JSON writes them, strings quoted when they hold a comma, quote or line end.
std::string csv_field(const Json* v) {
  if (!v)
    return {};
  if (!v->is_string())
    return v->dump();
  const std::string s = v->get<std::string>();
  if (s.find_first_of(",\"\r\n") == std::string::npos)
    return s;
  std::string q = "\"";
  for (const char c : s)
    q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

struct Column {
  const char* name;
  const char* pointer; // into a level object
};

const std::vector<Column>& columns() {
  static const std::vector<Column> c{
      {"level", "/level"},
      {"value", "/value"},
      {"status", "/status"},
      {"orders_submitted", "/implementation/orders/submitted"},
      {"orders_completed", "/implementation/orders/completed"},
      {"orders_failed", "/implementation/orders/failed"},
      {"success_pct", "/implementation/success_pct"},
      {"order_to_active_mean_s", "/implementation/order_to_active_s/mean"},
      {"order_to_active_p99_s", "/implementation/order_to_active_s/p99"},
      {"offered_per_s", "/implementation/offered_per_s"},
      {"throughput_per_s", "/implementation/throughput_per_s"},
      {"throughput_basis", "/implementation/throughput_basis"},
      {"throughput_window_s", "/implementation/throughput_window_s"},
      {"load_factor", "/implementation/load_factor"},
      {"scalability", "/implementation/scalability"},
      {"expectations_held", "/implementation/expectations/held"},
      {"expectations_failed", "/implementation/expectations/failed"},
      {"knee", "/knee"},
      {"notification_delay_mean_s", "/i1/notification_delay_s/mean"},
      {"notification_delay_p99_s", "/i1/notification_delay_s/p99"},
      {"usage_to_bill_mean_s", "/i1/usage_to_bill_s/mean"},
      {"usage_to_bill_p99_s", "/i1/usage_to_bill_s/p99"},
      {"messages_per_order", "/i1/messages_per_order"},
      {"bytes_per_order", "/i1/bytes_per_order"},
      {"wall_s", "/harness/wall_s"},
      {"peak_rss_mb", "/harness/peak_rss_mb"},
      {"events", "/harness/events"},
      {"simulated_s", "/harness/simulated_s"},
      {"events_per_wall_s", "/harness/events_per_wall_s"},
      {"simulated_s_per_wall_s", "/harness/simulated_s_per_wall_s"},
      {"error", "/error"},
  };
  return c;
}

} // namespace

Sweep parse_sweep(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos)
    throw std::invalid_argument(fmt::format("'{}' is not PATH=v1,v2,...: there is no '='", text));
  Sweep s;
  s.path = std::string(trimmed(text.substr(0, eq)));
  if (s.path.empty())
    throw std::invalid_argument(fmt::format("'{}' has no PATH before '='", text));
  const std::string_view rest = text.substr(eq + 1);
  std::vector<char> open; // brackets and braces not yet closed
  char quote = 0;
  std::size_t from = 0;
  auto take = [&](std::size_t to) {
    const std::string_view v = trimmed(rest.substr(from, to - from));
    if (v.empty())
      throw std::invalid_argument(fmt::format("'{}': value {} is empty", text, s.values.size() + 1));
    s.values.emplace_back(v);
    from = to + 1;
  };
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (quote) {
      if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      open.push_back(c == '[' ? ']' : '}');
    } else if (c == ']' || c == '}') {
      if (open.empty() || open.back() != c)
        throw std::invalid_argument(fmt::format("'{}': value {} has an unmatched '{}'", text, s.values.size() + 1, c));
      open.pop_back();
    } else if (c == ',' && open.empty()) {
      take(i);
    }
  }
  if (quote)
    throw std::invalid_argument(fmt::format("'{}': value {} has an unclosed {}", text, s.values.size() + 1, quote));
  if (!open.empty())
    throw std::invalid_argument(
        fmt::format("'{}': value {} has an unclosed '{}'", text, s.values.size() + 1, open.back() == ']' ? '[' : '{'));
  take(rest.size());
  std::set<std::string> seen;
  for (const auto& v : s.values)
    if (!seen.insert(v).second)
      throw std::invalid_argument(fmt::format("'{}': the value '{}' is given twice", text, v));
  return s;
}

std::string slug(std::string_view value) {
  std::string out;
  for (const char c : value) {
    const bool keep =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    out += keep ? c : '_';
  }
  return out.empty() ? "_" : out;
}

std::optional<Quantity> quantity_of(std::string_view text) {
  text = trimmed(text);
  std::size_t i = 0;
  bool digits = false, dot = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9')
      digits = true;
    else if (c == '.' && !dot)
      dot = true;
    else
      break;
  }
  if (!digits)
    return std::nullopt;
  if (i == text.size())
    return Quantity{std::stod(std::string(text)), ""};
  using Parser = double (*)(std::string_view);
  static constexpr std::pair<const char*, Parser> kinds[] = {{"rate", units::parse_rate},
                                                             {"duration", units::parse_duration},
                                                             {"size", units::parse_size},
                                                             {"bandwidth", units::parse_bandwidth},
                                                             {"speed", units::parse_speed}};
  for (const auto& [kind, parse] : kinds) {
    try {
      return Quantity{parse(text), kind};
    } catch (const units::UnitError&) {
    }
  }
  return std::nullopt;
}

std::vector<std::optional<double>> load_factors(const std::vector<std::string>& values, std::size_t base) {
  std::vector<std::optional<double>> out(values.size());
  const auto b = base < values.size() ? quantity_of(values[base]) : std::nullopt;
  if (!b || b->value == 0)
    return out;
  for (std::size_t k = 0; k < values.size(); ++k)
    if (const auto q = quantity_of(values[k]); q && q->kind == b->kind)
      out[k] = q->value / b->value;
  return out;
}

std::optional<Knee> find_knee(const std::vector<KneeInput>& levels) {
  std::optional<double> previous; // success % of the nearest earlier level that ran
  std::optional<std::size_t> previous_level;
  for (std::size_t k = 0; k < levels.size(); ++k) {
    const KneeInput& l = levels[k];
    if (!l.ran)
      continue;
    if (!l.expectations_held)
      return Knee{k, l.failed_expectations.empty()
                         ? std::string("an expectation of the scenario failed")
                         : fmt::format("expectation failed: {}", join(l.failed_expectations, "; "))};
    if (l.success_pct && previous && *previous - *l.success_pct > kKneeSuccessDrop)
      return Knee{k, fmt::format("success {:.1f}% is {:.1f} points below level {}'s {:.1f}%", *l.success_pct,
                                 *previous - *l.success_pct, *previous_level, *previous)};
    if (l.success_pct) {
      previous = l.success_pct;
      previous_level = k;
    }
  }
  return std::nullopt;
}

nlohmann::ordered_json build_report(const BenchInputs& in, const std::vector<LevelRun>& runs) {
  Json report;
  report["schema"] = "i1sim.bench/1";
  report["tool"] = {{"name", "i1sim"}, {"version", in.tool_version}};
  Json inputs;
  inputs["scenario"] = in.scenario;
  inputs["scenario_name"] = in.scenario_name;
  inputs["iut"] = in.iut;
  inputs["seed"] = in.seed ? Json(*in.seed) : Json(nullptr);
  inputs["sweep"] = in.sweep ? Json{{"path", in.sweep->path}, {"values", in.sweep->values}} : Json(nullptr);
  inputs["set"] = in.sets;
  inputs["timeout_s"] = in.timeout_s;
  inputs["out"] = in.out_dir;
  report["inputs"] = std::move(inputs);

  std::vector<Figures> figures;
  std::vector<KneeInput> knee_inputs;
  std::optional<std::size_t> baseline;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    Figures f;
    if (!runs[k].completed)
      f.error = runs[k].error.empty() ? std::string("the run gave no results") : runs[k].error;
    else
      f = figures_of(runs[k].results);
    if (f.error.empty() && !baseline)
      baseline = k;
    knee_inputs.push_back(f.error.empty() ? f.knee : KneeInput{});
    figures.push_back(std::move(f));
  }
  std::vector<std::optional<double>> factors(runs.size());
  if (in.sweep && baseline && in.sweep->values.size() == runs.size())
    factors = load_factors(in.sweep->values, *baseline);
  const std::optional<Knee> knee = find_knee(knee_inputs);
  // 0 when unknown: scalability is then not computed (GCC cannot follow an optional here without a false warning).
  const double base_throughput = baseline ? figures[*baseline].throughput.value_or(0.0) : 0.0;

  Json levels = Json::array();
  std::size_t errors = 0;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const LevelRun& run = runs[k];
    Figures& f = figures[k];
    Json l;
    l["level"] = k;
    l["value"] = in.sweep ? Json(run.value) : Json(nullptr);
    l["dir"] = run.dir;
    l["status"] = f.error.empty() ? "ok" : "error";
    if (!f.error.empty()) {
      ++errors;
      l["error"] = f.error;
      l["implementation"] = nullptr;
      l["i1"] = nullptr;
    } else {
      if (factors[k]) {
        const double n = *factors[k];
        f.implementation["load_factor"] = n;
        if (f.throughput && base_throughput > 0 && n > 0)
          f.implementation["scalability"] = *f.throughput / (n * base_throughput);
      }
      l["implementation"] = std::move(f.implementation);
      l["i1"] = std::move(f.i1);
    }
    l["knee"] = knee && knee->level == k;
    Json h;
    const bool timed = run.started && run.wall_s > 0;
    h["wall_s"] = run.started ? Json(run.wall_s) : Json(nullptr);
    h["peak_rss_mb"] = run.started ? Json(run.peak_rss_bytes / 1e6) : Json(nullptr);
    const bool measured = f.error.empty();
    h["events"] = measured ? Json(static_cast<std::uint64_t>(f.events)) : Json(nullptr);
    h["simulated_s"] = measured ? Json(f.simulated_s) : Json(nullptr);
    h["events_per_wall_s"] = measured && timed ? Json(f.events / run.wall_s) : Json(nullptr);
    h["simulated_s_per_wall_s"] = measured && timed ? Json(f.simulated_s / run.wall_s) : Json(nullptr);
    l["harness"] = std::move(h);
    levels.push_back(std::move(l));
  }
  report["baseline"] =
      baseline ? Json{{"level", *baseline}, {"value", in.sweep ? Json(runs[*baseline].value) : Json(nullptr)}}
               : Json(nullptr);
  report["knee"] = knee ? Json{{"level", knee->level},
                               {"value", in.sweep ? Json(runs[knee->level].value) : Json(nullptr)},
                               {"reason", knee->reason}}
                        : Json(nullptr);
  report["summary"] = {{"levels", runs.size()}, {"ok", runs.size() - errors}, {"errors", errors}};
  report["levels"] = std::move(levels);
  return report;
}

const std::vector<std::string>& csv_columns() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& c : columns())
      n.emplace_back(c.name);
    return n;
  }();
  return names;
}

std::string render_csv(const nlohmann::ordered_json& report) {
  std::string out = join(csv_columns(), ",") + "\n";
  for (const auto& level : report.at("levels")) {
    std::vector<std::string> row;
    for (const auto& c : columns())
      row.push_back(csv_field(field(level, c.pointer)));
    out += join(row, ",") + "\n";
  }
  return out;
}

std::string render_table(const nlohmann::ordered_json& report) {
  struct Cell {
    const char* head;
    const char* pointer;
    const char* format; // for a number; nullptr: text
  };
  static const Cell cells[] = {
      {"level", "/level", "{:.0f}"},
      {"value", "/value", nullptr},
      {"status", "/status", nullptr},
      {"ok%", "/implementation/success_pct", "{:.1f}"},
      {"o2a mean s", "/implementation/order_to_active_s/mean", "{:.2f}"},
      {"o2a p99 s", "/implementation/order_to_active_s/p99", "{:.2f}"},
      {"offer/s", "/implementation/offered_per_s", "{:.3f}"},
      {"thru/s", "/implementation/throughput_per_s", "{:.3f}"},
      {"scal", "/implementation/scalability", "{:.2f}"},
      {"expect", "/implementation/expectations/held", nullptr},
      {"notif p99 s", "/i1/notification_delay_s/p99", "{:.3f}"},
      {"bill p99 s", "/i1/usage_to_bill_s/p99", "{:.1f}"},
      {"msg/ord", "/i1/messages_per_order", "{:.1f}"},
      {"B/ord", "/i1/bytes_per_order", "{:.0f}"},
      {"wall s", "/harness/wall_s", "{:.2f}"},
      {"RSS MB", "/harness/peak_rss_mb", "{:.1f}"},
      {"ev/wall s", "/harness/events_per_wall_s", "{:.0f}"},
      {"sim/wall", "/harness/simulated_s_per_wall_s", "{:.1f}"},
  };
  constexpr std::size_t n = std::size(cells);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head;
  for (const auto& c : cells)
    head.emplace_back(c.head);
  head.emplace_back("");
  rows.push_back(head);
  for (const auto& level : report.at("levels")) {
    std::vector<std::string> row;
    for (const auto& c : cells) {
      const Json* v = field(level, c.pointer);
      if (!v)
        row.emplace_back("-");
      else if (v->is_boolean())
        row.emplace_back(v->get<bool>() ? "held" : "FAILED");
      else if (v->is_number() && c.format)
        row.push_back(fmt::format(fmt::runtime(c.format), v->get<double>()));
      else if (v->is_string())
        row.push_back(v->get<std::string>());
      else
        row.push_back(v->dump());
    }
    row.emplace_back(level.value("knee", false) ? "<- knee" : "");
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(n + 1, 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i)
      width[i] = std::max(width[i], row[i].size());
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const bool text = i == n || !cells[i].format;
      if (i > 0)
        line += "  ";
      line += text ? fmt::format("{:<{}}", row[i], width[i]) : fmt::format("{:>{}}", row[i], width[i]);
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    out += line + "\n";
  }
  const Json& knee = report.at("knee");
  if (knee.is_null())
    out += "knee: none\n";
  else
    out += fmt::format("knee: level {}{}: {}\n", knee.at("level").get<std::size_t>(),
                       knee.at("value").is_string() ? " (" + knee.at("value").get<std::string>() + ")" : "",
                       knee.at("reason").get<std::string>());
  const Json* path = field(report, "/inputs/sweep/path");
  for (const auto& level : report.at("levels"))
    if (level.at("status") == "error")
      out += fmt::format("level {}{}: error: {}\n", level.at("level").get<std::size_t>(),
                         level.at("value").is_string() && path
                             ? fmt::format(" ({}={})", path->get<std::string>(), level.at("value").get<std::string>())
                             : std::string(),
                         level.at("error").get<std::string>());
  return out;
}

int exit_code_of(const nlohmann::ordered_json& report) {
  return report.at("summary").at("errors").get<std::size_t>() == 0 ? 0 : 1;
}

} // namespace i1sim::bench
