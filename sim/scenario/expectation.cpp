// The expectation grammar (METRIC OP VALUE, METRIC OP METRIC) and the one table of metrics a scenario may assert on.
#include "scenario/expectation.hpp"

#include "util/units.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <vector>

namespace i1sim::scenario {
namespace {

using K = MetricKind;

// A missing counter reads 0 because Metrics leaves out sections with nothing to count; a missing ratio or
// oracle finding was never measured, and an expectation on it must fail rather than pass on a zero.
constexpr std::string_view kNoOrders = "no order was submitted";
constexpr std::string_view kNoOracle = "no bill oracle ran (the scenario has no billing cycles)";
constexpr std::string_view kNoJurisdictions = "the metrics were not told the data centres' jurisdictions";
constexpr std::string_view kNoActivations = "no order became active";
constexpr std::string_view kNoArrivals = "fewer than two orders were submitted, or all at one instant";

constexpr std::array<MetricInfo, 77> kCatalogue{{
    {"orders.submitted", K::count, "/metrics/orders/submitted", false, "", "product orders the Telecom side sent"},
    {"orders.completed", K::count, "/metrics/orders/completed", false, "", "product orders that became active"},
    {"orders.failed", K::count, "/metrics/orders/failed", false, "", "product orders that failed"},
    {"orders.unresolved", K::count, "/metrics/orders/unresolved", false, "",
     "product orders neither active nor failed"},
    {"orders.unmatched_outcomes", K::count, "/metrics/orders/unmatched_outcomes", false, "",
     "outcomes of orders never submitted or resolved twice"},
    {"orders.cancelled", K::count, "/metrics/orders/cancelled", false, "",
     "product orders the Telecom side cancelled and read back as cancelled"},
    {"orders.rejected_jurisdiction", K::count, "/metrics/orders/rejected_jurisdiction", false, "",
     "product orders that failed with jurisdictionUnavailable: no data centre the customer allows could take them"},
    {"orders.retried", K::count, "/metrics/orders/retried", false, "",
     "service orders sent again (same externalId) for want of an answer"},
    {"order_to_active", K::duration, "/metrics/order_to_active_s", true, "",
     "time from submitting a product order to its activation"},
    {"notification_delay", K::duration, "/metrics/notification_delay_s", true, "",
     "time from a ground-truth VM event (booted, failed, down, up, destroyed) to the arrival at the Telecom side of "
     "the first service or service-order state-change notification sent after it about the VM's service; a VM event "
     "superseded by a later one of the same service before any notification is not counted"},
    {"usage_to_bill", K::duration, "/metrics/usage_to_bill_s", true, "",
     "time from the end of a bill cycle (the bill's billingPeriod.endDateTime) to the arrival at the Telecom side "
     "of its CustomerBillCreateEvent; bills on demand are not counted"},
    {"throughput.per_s", K::ratio, "/metrics/throughput/per_s", false, kNoActivations,
     "product orders made active per simulated second, from the first order submitted to the last one made active"},
    {"throughput.offered_per_s", K::ratio, "/metrics/throughput/offered_per_s", false, kNoArrivals,
     "product orders submitted per simulated second: (orders - 1) / (last submission - first submission)"},
    {"changes.modified", K::count, "/metrics/changes/modified", false, "",
     "product changes (modify orders) the Cloud side completed"},
    {"changes.terminated", K::count, "/metrics/changes/terminated", false, "",
     "products terminated (delete orders completed)"},
    {"changes.refused", K::count, "/metrics/changes/refused", false, "",
     "product changes (modify or delete orders) refused or failed"},
    {"i1.messages", K::count, "/metrics/i1/messages", false, "", "I1 messages of every kind"},
    {"i1.requests", K::count, "/metrics/i1/by_kind/request/messages", false, "", "I1 requests"},
    {"i1.responses", K::count, "/metrics/i1/by_kind/response/messages", false, "", "I1 responses"},
    {"i1.notifications", K::count, "/metrics/i1/by_kind/notification/messages", false, "", "I1 notifications"},
    {"i1.bytes", K::size, "/metrics/i1/bytes", false, "", "bytes of every I1 message"},
    {"i1.messages_per_order", K::ratio, "/metrics/i1/messages_per_order", false, kNoOrders,
     "I1 messages per product order submitted"},
    {"i1.bytes_per_order", K::size, "/metrics/i1/bytes_per_order", false, kNoOrders,
     "I1 bytes per product order submitted"},
    {"vms.placed", K::count, "/metrics/vms/placed", false, "", "VMs placed on a host"},
    {"vms.booted", K::count, "/metrics/vms/booted", false, "", "VMs that finished booting"},
    {"vms.failed", K::count, "/metrics/vms/failed", false, "", "VMs that failed to come up"},
    {"vms.destroyed", K::count, "/metrics/vms/destroyed", false, "", "VMs destroyed"},
    {"vms.leaked", K::count, "/metrics/vms/leaked", false, "",
     "VMs still running at the end (ground truth) whose product the Telecom side holds for failed, cancelled or "
     "terminated"},
    {"vms.unattributed", K::count, "/metrics/vms/unattributed", false, "",
     "VMs still running at the end that no service order or tester record ties to a product order"},
    {"placement.violations", K::count, "/metrics/placement/violations", false, kNoJurisdictions,
     "services with a VM placed (ground truth) in a data centre of a jurisdiction their customer does not allow"},
    {"placement.checked", K::count, "/metrics/placement/checked", false, kNoJurisdictions,
     "services with a placed VM whose customer's allowed jurisdictions are known, so placement.violations judged "
     "them"},
    {"failures.hosts", K::count, "/metrics/failures/hosts", false, "", "host failures (host.down)"},
    {"failures.vms_down", K::count, "/metrics/failures/vms_down", false, "", "VMs stopped by a host failure"},
    {"failures.alarms", K::count, "/metrics/failures/alarms", false, "", "alarms notified over I1"},
    {"failures.sla_violations", K::count, "/metrics/failures/sla_violations", false, "",
     "SLA violations notified over I1"},
    {"billing.bills", K::count, "/metrics/billing/bills", false, "", "converged bills issued"},
    {"billing.bills_with_credits", K::count, "/metrics/billing/bills_with_credits", false, "",
     "converged bills with SLA credits"},
    {"billing.telecom", K::money, "/metrics/billing/telecom", false, "", "telecom charges of every bill"},
    {"billing.cloud", K::money, "/metrics/billing/cloud", false, "", "cloud charges of every bill"},
    {"billing.credits", K::money, "/metrics/billing/credits", false, "", "SLA credits of every bill"},
    {"billing.total", K::money, "/metrics/billing/total", false, "", "totals of every bill"},
    {"billing.usage_records", K::count, "/metrics/billing/usage_records", false, "", "usage records notified over I1"},
    {"billing.discrepancy", K::count, "/oracles/billing/discrepancy", false, kNoOracle,
     "differences between the issued bills and the bills recomputed from ground truth"},
    {"usage.discrepancy", K::count, "/oracles/usage/discrepancy", false, kNoOracle,
     "differences between the usage records delivered and those recomputed from ground truth"},
    {"faults.injected", K::count, "/metrics/faults/injected", false, "", "timeline faults injected"},
    {"faults.cleared", K::count, "/metrics/faults/cleared", false, "", "timeline faults undone"},
    {"faults.host_crash", K::count, "/metrics/faults/by_kind/host_crash", false, "", "host crashes injected"},
    {"faults.dc_outage", K::count, "/metrics/faults/by_kind/dc_outage", false, "", "data-centre outages injected"},
    {"faults.link_cut", K::count, "/metrics/faults/by_kind/link_cut", false, "", "WAN link cuts injected"},
    {"faults.channel", K::count, "/metrics/faults/by_kind/channel", false, "", "I1 channel faults injected"},
    {"faults.cloud_restart", K::count, "/metrics/faults/by_kind/cloud_restart", false, "",
     "Cloud BSS/OSS restarts injected"},
    {"faults.clock_skew", K::count, "/metrics/faults/by_kind/clock_skew", false, "", "clock skews injected"},
    {"channel.lost", K::count, "/metrics/faults/channel/lost", false, "",
     "I1 frames lost (also those refused while the Cloud side was down)"},
    {"channel.refused", K::count, "/metrics/faults/channel/refused", false, "",
     "I1 frames refused while the Cloud side was down"},
    {"channel.duplicated", K::count, "/metrics/faults/channel/duplicated", false, "", "I1 frames delivered twice"},
    {"channel.delayed", K::count, "/metrics/faults/channel/delayed", false, "", "I1 frames held back"},
    {"cloud.restarts", K::count, "/metrics/faults/cloud/restarts", false, "", "times the Cloud BSS/OSS went down"},
    {"links.cut", K::count, "/metrics/faults/links/cut", false, "", "times a WAN link went down"},
    {"links.restored", K::count, "/metrics/faults/links/restored", false, "", "times a WAN link came back"},
    {"dcs.down", K::count, "/metrics/faults/dcs/down", false, "", "times a whole data centre went down"},
    {"dcs.up", K::count, "/metrics/faults/dcs/up", false, "", "times a data centre came back"},
    {"clock.skews", K::count, "/metrics/faults/clock/skews", false, "", "times the Cloud side's clock went off"},
    {"tester.duplicate_notifications", K::count, "/metrics/tester/duplicate_notifications", false, "",
     "notifications the Telecom side heard again (same eventId) and ignored"},
    {"tester.duplicate_responses", K::count, "/metrics/tester/duplicate_responses", false, "",
     "answers to a request already answered, ignored"},
    {"tester.unexpected_responses", K::count, "/metrics/tester/unexpected_responses", false, "",
     "answers to no request the Telecom side sent"},
    {"tester.requests_retried", K::count, "/metrics/tester/requests_retried", false, "",
     "requests (service orders included) sent again for want of an answer"},
    {"tester.requests_abandoned", K::count, "/metrics/tester/requests_abandoned", false, "",
     "requests given up after every attempt went unanswered"},
    {"tester.requests_refused", K::count, "/metrics/tester/requests_refused", false, "",
     "requests answered with an error the Telecom side had no other use for"},
    {"tester.orders_polled", K::count, "/metrics/tester/orders_polled", false, "",
     "reads of a service order whose outcome did not come in time"},
    {"tester.inventory_mismatches", K::count, "/metrics/tester/inventory_mismatches", false, "",
     "services whose state in the Cloud's inventory differed from the Telecom side's (inventory audits)"},
    {"tester.bill_mismatches", K::count, "/metrics/tester/bill_mismatches", false, "",
     "cloud bills whose usage differed from the usage records the Telecom side received"},
    {"tester.bills_missing", K::count, "/metrics/tester/bills_missing", false, "",
     "customer cycles with usage but no cloud bill"},
    {"tester.placements_disallowed", K::count, "/metrics/tester/placements_disallowed", false, "",
     "services the Cloud's inventory places outside their customer's jurisdictions (as reported, not ground "
     "truth)"},
    {"tester.replays_mismatched", K::count, "/metrics/tester/replays_mismatched", false, "",
     "service orders sent twice on purpose whose second answer was not the original order"},
    {"tester.usage_recovered", K::count, "/metrics/tester/usage_recovered", false, "",
     "usage records the notifications missed and the cycle's pull recovered"},
    {"tester.customers_refused", K::count, "/metrics/tester/customers_refused", false, "",
     "customer creations the Cloud side refused"},
    {"tester.hubs_refused", K::count, "/metrics/tester/hubs_refused", false, "",
     "notification subscriptions the Cloud side refused"},
}};

constexpr std::array<std::string_view, 8> kFunctions{"p50", "p90", "p95", "p99", "mean", "min", "max", "count"};

const MetricInfo* find(std::string_view name) {
  for (const MetricInfo& m : kCatalogue)
    if (m.name == name)
      return &m;
  return nullptr;
}

bool is_function(std::string_view f) { return std::find(kFunctions.begin(), kFunctions.end(), f) != kFunctions.end(); }

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string function_list() {
  std::vector<std::string> out(kFunctions.begin(), kFunctions.end());
  return joined(out);
}

std::string sample_list() {
  std::vector<std::string> out;
  for (const MetricInfo& m : kCatalogue)
    if (m.sample)
      out.emplace_back(m.name);
  return joined(out);
}

/// How a catalogue entry is written in lists of names.
std::string shown(const MetricInfo& m) { return m.sample ? fmt::format("FUNC({})", m.name) : std::string(m.name); }

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string_view head(std::string_view name) { return name.substr(0, name.find('.')); }
std::string_view tail(std::string_view name) {
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

std::vector<std::string> close_metrics(std::string_view name) {
  std::vector<std::string> close;
  for (const MetricInfo& m : kCatalogue)
    if (edit_distance(name, m.name) <= std::max<std::size_t>(2, name.size() / 5) ||
        (tail(name) == tail(m.name) && name.find('.') != std::string_view::npos))
      close.push_back(shown(m));
  return close;
}

/// "unknown metric 'x' (did you mean a, b?)" or, with nothing close, every name of its section or of all.
std::string unknown_metric(std::string_view name) {
  const std::vector<std::string> close = close_metrics(name);
  if (!close.empty())
    return fmt::format("unknown metric '{}' (did you mean {}?)", name, joined(close));
  std::vector<std::string> section;
  for (const MetricInfo& m : kCatalogue)
    if (head(m.name) == head(name))
      section.push_back(shown(m));
  if (!section.empty())
    return fmt::format("unknown metric '{}' (known in {}: {})", name, head(name), joined(section));
  std::vector<std::string> all;
  for (const MetricInfo& m : kCatalogue)
    all.push_back(shown(m));
  return fmt::format("unknown metric '{}' (known: {})", name, joined(all));
}

std::string_view unit_word(MetricKind k) {
  switch (k) {
  case K::count:
    return "a count";
  case K::duration:
    return "a duration";
  case K::size:
    return "a size";
  case K::ratio:
    return "a ratio";
  case K::money:
    return "an amount in minor units";
  }
  return "";
}

/// Reads the text a character at a time; every error names the character it is at.
class Parser {
public:
  explicit Parser(const std::string& text) : text_(text) {}

  Expectation parse() {
    Expectation e;
    e.text = text_;
    skip_spaces();
    if (at_end())
      fail(pos_, "empty expectation: write METRIC OP VALUE or METRIC OP METRIC, e.g. orders.failed == 0");
    e.metric = metric();
    const ResolvedMetric resolved = *resolve_metric(e.metric);
    skip_spaces();
    e.op = op();
    skip_spaces();
    if (word_start(peek()))
      e.rhs_metric = other_metric(e.metric, resolved.kind);
    else
      e.value = value(e.metric, resolved.kind);
    return e;
  }

private:
  [[noreturn]] void fail(std::size_t at, const std::string& message) const { throw ExpectationError(at, message); }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_spaces() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t'))
      ++pos_;
  }
  static bool word_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
  static bool word_char(char c) { return word_start(c) || (c >= '0' && c <= '9'); }

  std::string word() {
    const std::size_t from = pos_;
    if (!word_start(peek()))
      return {};
    while (word_char(peek()))
      ++pos_;
    return text_.substr(from, pos_ - from);
  }

  /// a.b.c; empty when the text does not start with a name here.
  std::string dotted() {
    const std::size_t from = pos_;
    if (word().empty())
      return {};
    while (peek() == '.') {
      const std::size_t dot = pos_++;
      if (word().empty())
        fail(pos_, fmt::format("expected a name after '.' in '{}'", text_.substr(from, dot - from + 1)));
    }
    return text_.substr(from, pos_ - from);
  }

  /// The right side when it names a metric: of the left side's kind, and the whole rest of the text.
  std::string other_metric(const std::string& left, MetricKind kind) {
    const std::size_t from = pos_;
    const std::string right = metric(true);
    const MetricKind right_kind = resolve_metric(right)->kind;
    if (right_kind != kind)
      fail(from, fmt::format("{} is {} but {} is {}: both sides must be of the same kind", written_metric(left),
                             unit_word(kind), written_metric(right), unit_word(right_kind)));
    if (right == left)
      fail(from, fmt::format("both sides are {}: compare it with a number or another metric", written_metric(left)));
    skip_spaces();
    if (!at_end())
      fail(pos_, fmt::format("unexpected '{}' after {}: compare one metric with one number or one other metric",
                             text_.substr(pos_), written_metric(right)));
    return right;
  }

  /// `right`: the metric stands after the comparison, where a number was expected as well.
  std::string metric(bool right = false) {
    const std::size_t from = pos_;
    const std::string first = word();
    if (first.empty())
      fail(from, "expected a metric, e.g. orders.failed or p99(order_to_active)");
    std::size_t paren = pos_;
    skip_spaces();
    if (peek() == '(') {
      if (!is_function(first))
        fail(from, fmt::format("unknown function '{}' (known: {})", first, function_list()));
      paren = pos_++;
      skip_spaces();
      const std::size_t name_at = pos_;
      const std::string name = dotted();
      if (name.empty())
        fail(name_at, fmt::format("expected a sample inside {}( ), e.g. {}({})", first, first, sample_list()));
      const MetricInfo* m = find(name);
      if (!m)
        fail(name_at, fmt::format("unknown sample '{}' (samples: {})", name, sample_list()));
      if (!m->sample)
        fail(name_at,
             fmt::format("{} is not a sample: {}() applies to {}; write {} alone", name, first, sample_list(), name));
      skip_spaces();
      if (peek() != ')')
        fail(pos_, fmt::format("expected ')' to close the '(' at character {}", paren + 1));
      ++pos_;
      return name + "." + first;
    }
    pos_ = from;
    const std::string name = dotted();
    if (const MetricInfo* m = find(name)) {
      if (m->sample)
        fail(from, fmt::format("{} is a sample: assert on one figure of it, e.g. p99({}) (figures: {})", name, name,
                               function_list()));
      return name;
    }
    const auto dot = name.rfind('.');
    if (dot != std::string::npos) {
      const MetricInfo* m = find(name.substr(0, dot));
      if (m && m->sample && is_function(name.substr(dot + 1)))
        return name; // the canonical form, as results.json keys it
    }
    // A bare word with no metric near it was more likely meant as a value than as a metric.
    if (right && name.find('.') == std::string::npos && close_metrics(name).empty())
      fail(from, fmt::format("expected a number or a metric after the comparison, not '{}'", name));
    if (right)
      fail(from, fmt::format("expected a number or a metric after the comparison: {}", unknown_metric(name)));
    fail(from, unknown_metric(name));
  }

  Expectation::Op op() {
    static constexpr std::array<std::pair<std::string_view, Expectation::Op>, 6> ops{{{"<=", Expectation::Op::le},
                                                                                      {">=", Expectation::Op::ge},
                                                                                      {"==", Expectation::Op::eq},
                                                                                      {"!=", Expectation::Op::ne},
                                                                                      {"<", Expectation::Op::lt},
                                                                                      {">", Expectation::Op::gt}}};
    const std::string_view rest = std::string_view(text_).substr(pos_);
    for (const auto& [symbol, op] : ops)
      if (rest.starts_with(symbol)) {
        pos_ += symbol.size();
        return op;
      }
    if (rest.starts_with("="))
      fail(pos_, "'=' is not a comparison: write == to test equality");
    if (rest.empty())
      fail(pos_, "expected a comparison (<, <=, ==, !=, >=, >) and a value after the metric");
    fail(pos_, fmt::format("expected a comparison (<, <=, ==, !=, >=, >), not '{}'", rest.substr(0, 1)));
  }

  double value(const std::string& metric, MetricKind kind) {
    const std::size_t from = pos_;
    if (at_end())
      fail(from, fmt::format("expected a value after the comparison, e.g. {}", example(kind)));
    std::size_t end = text_.size();
    while (end > from && (text_[end - 1] == ' ' || text_[end - 1] == '\t'))
      --end;
    const std::string_view token = std::string_view(text_).substr(from, end - from);
    const bool negative = token.front() == '-';
    std::size_t i = negative ? 1 : 0;
    const std::size_t digits_from = i;
    bool digits = false, dot = false;
    for (; i < token.size(); ++i) {
      const char c = token[i];
      if (c >= '0' && c <= '9')
        digits = true;
      else if (c == '.' && !dot)
        dot = true;
      else
        break;
    }
    if (!digits)
      fail(from, fmt::format("expected a number, not '{}'", token));
    std::size_t unit_at = i;
    while (unit_at < token.size() && (token[unit_at] == ' ' || token[unit_at] == '\t'))
      ++unit_at;
    const std::string_view unit = token.substr(unit_at);
    const std::string number(token.substr(digits_from, i - digits_from));
    double v = std::strtod(number.c_str(), nullptr);
    if (kind == K::duration || kind == K::size) {
      if (unit.empty())
        fail(from + i, fmt::format("{} is {}: give the value a unit, e.g. {} ({})", written_metric(metric),
                                   unit_word(kind), example(kind), unit_list(kind)));
      try {
        v = kind == K::duration ? units::parse_duration(token.substr(digits_from))
                                : units::parse_size(token.substr(digits_from));
      } catch (const units::UnitError&) {
        fail(from + unit_at, fmt::format("unknown {} unit '{}' (known: {})", kind == K::duration ? "duration" : "size",
                                         unit, unit_list(kind)));
      }
    } else if (!unit.empty()) {
      fail(from + unit_at,
           fmt::format("{} is {}: write a bare number, without '{}'", written_metric(metric), unit_word(kind), unit));
    }
    return negative ? -v : v;
  }

  static std::string_view example(MetricKind kind) {
    switch (kind) {
    case K::duration:
      return "120s";
    case K::size:
      return "10MB";
    case K::ratio:
      return "2.5";
    default:
      return "0";
    }
  }
  static std::string_view unit_list(MetricKind kind) {
    return kind == K::duration ? "ns, us, ms, s, min, h, d, w" : "B, kB, MB, GB, TB, KiB, MiB, GiB, TiB";
  }

  const std::string& text_;
  std::size_t pos_ = 0;
};

std::string trimmed(std::string s) {
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0')
      s.pop_back();
    if (!s.empty() && s.back() == '.')
      s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

} // namespace

Expectation parse_expectation(const std::string& text) { return Parser(text).parse(); }

std::span<const MetricInfo> metric_catalogue() { return kCatalogue; }

std::span<const std::string_view> sample_functions() { return kFunctions; }

std::optional<ResolvedMetric> resolve_metric(std::string_view canonical) {
  if (const MetricInfo* m = find(canonical); m && !m->sample)
    return ResolvedMetric{m, "", m->kind};
  const auto dot = canonical.rfind('.');
  if (dot == std::string_view::npos)
    return std::nullopt;
  const MetricInfo* m = find(canonical.substr(0, dot));
  const std::string_view function = canonical.substr(dot + 1);
  if (!m || !m->sample || !is_function(function))
    return std::nullopt;
  // The size of a sample is a count whatever the sample measures.
  return ResolvedMetric{m, std::string(function), function == "count" ? K::count : m->kind};
}

std::string written_metric(std::string_view canonical) {
  const auto r = resolve_metric(canonical);
  if (!r || r->function.empty())
    return std::string(canonical);
  return fmt::format("{}({})", r->function, r->info->name);
}

std::string_view to_string(Expectation::Op op) {
  switch (op) {
  case Expectation::Op::lt:
    return "<";
  case Expectation::Op::le:
    return "<=";
  case Expectation::Op::eq:
    return "==";
  case Expectation::Op::ne:
    return "!=";
  case Expectation::Op::ge:
    return ">=";
  case Expectation::Op::gt:
    return ">";
  }
  return "?";
}

namespace {

std::string_view unit_column(MetricKind k) {
  switch (k) {
  case K::count:
    return "count";
  case K::duration:
    return "duration (s)";
  case K::size:
    return "size (B)";
  case K::ratio:
    return "ratio";
  case K::money:
    return "minor units";
  }
  return "";
}

std::string meaning_of(const MetricInfo& m) {
  std::string out(m.meaning);
  if (m.sample)
    out += fmt::format("; FUNC is one of {}", function_list());
  if (!m.when_missing.empty())
    out += fmt::format("; not measured (fails) when {}", m.when_missing);
  return out;
}

} // namespace

std::string metric_table_markdown() {
  std::string out = "| metric | unit | results.json | meaning |\n|---|---|---|---|\n";
  for (const MetricInfo& m : kCatalogue)
    out += fmt::format("| `{}` | {} | `{}` | {} |\n", shown(m), unit_column(m.kind), m.path, meaning_of(m));
  return out;
}

std::string metric_table_text() {
  std::size_t width = 0;
  for (const MetricInfo& m : kCatalogue)
    width = std::max(width, shown(m).size());
  std::string out;
  for (const MetricInfo& m : kCatalogue)
    out += fmt::format("  {:<{}}  {:<12}  {}\n", shown(m), width, unit_column(m.kind), meaning_of(m));
  return out;
}

std::string format_value(MetricKind kind, double value) {
  const bool whole = std::fabs(value - std::round(value)) < 1e-9 && std::fabs(value) < 1e15;
  switch (kind) {
  case K::duration:
    return (std::fabs(value) >= 1 ? trimmed(fmt::format("{:.3f}", value)) : fmt::format("{:.6g}", value)) + "s";
  case K::size:
    return (whole ? fmt::format("{:.0f}", value) : fmt::format("{:.1f}", value)) + "B";
  case K::count:
  case K::money:
    return whole ? fmt::format("{:.0f}", value) : fmt::format("{:.6g}", value);
  case K::ratio:
    return fmt::format("{:.6g}", value);
  }
  return fmt::format("{}", value);
}

} // namespace i1sim::scenario
