// Strict YAML scenario loader: unknown keys, wrong types, bad units, dangling references and faults after the
// end are errors naming file:line:col; every one found is reported. Also applies `--set` overrides.
#include "i1/spec.hpp"
#include "scenario/expectation.hpp"
#include "scenario/scenario.hpp"
#include "scenario/trace_csv.hpp"
#include "util/units.hpp"
#include "util/yaml_node.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <yaml-cpp/yaml.h>

namespace i1sim::scenario {

const CloudServiceSpec* Catalogue::find_cloud_service(const std::string& id) const {
  for (const auto& s : cloud_services)
    if (s.id == id)
      return &s;
  return nullptr;
}

const TelecomServiceSpec* Catalogue::find_telecom_service(const std::string& id) const {
  for (const auto& t : telecom_services)
    if (t.id == id)
      return &t;
  return nullptr;
}

const Product* Catalogue::find_product(const std::string& id) const {
  for (const auto& p : products)
    if (p.id == id)
      return &p;
  return nullptr;
}

std::string_view probe_name(Probe::Kind kind) {
  switch (kind) {
  case Probe::Kind::invalid_body:
    return "invalidBody";
  case Probe::Kind::unknown_spec:
    return "unknownSpec";
  case Probe::Kind::unknown_customer:
    return "unknownCustomer";
  case Probe::Kind::hub_query:
    return "hubQuery";
  case Probe::Kind::hub_delete:
    return "hubDelete";
  case Probe::Kind::list_services:
    return "listServices";
  case Probe::Kind::alarm_list:
    return "alarmList";
  case Probe::Kind::alarm_ack:
    return "alarmAck";
  case Probe::Kind::customer_update:
    return "customerUpdate";
  case Probe::Kind::retention:
    return "retention";
  case Probe::Kind::unauthenticated:
    return "unauthenticated";
  case Probe::Kind::foreign_access:
    return "foreignAccess";
  case Probe::Kind::job_delete:
    return "jobDelete";
  }
  return "?";
}

namespace {

std::string join_errors(const std::vector<util::LocatedError>& errors) {
  std::string text;
  for (const auto& e : errors)
    text += (text.empty() ? "" : "\n") + std::string(e.what());
  return text;
}

} // namespace

ScenarioErrors::ScenarioErrors(std::vector<util::LocatedError> errors)
    : ScenarioError(errors.at(0).file(), errors.at(0).line(), errors.at(0).column(), errors.at(0).message())
    , errors_(std::move(errors))
    , text_(join_errors(errors_)) {}

namespace {

using util::Node;

bool is_country_code(const std::string& v) {
  return v.size() == 2 && std::isupper(static_cast<unsigned char>(v[0])) &&
         std::isupper(static_cast<unsigned char>(v[1]));
}

/// A non-negative decimal with at most `places` digits after the point, as an integer scaled by 10^places;
/// parsed digit by digit so that no binary rounding enters money.
std::int64_t decimal(const Node& n, int places, const std::string& suffix = {}) {
  std::string s = n.str();
  if (!suffix.empty()) {
    if (s.size() <= suffix.size() || s.compare(s.size() - suffix.size(), suffix.size(), suffix) != 0)
      n.fail(fmt::format("{}: '{}' must end with '{}'", n.path(), s, suffix));
    s.resize(s.size() - suffix.size());
  }
  std::int64_t whole = 0, frac = 0;
  int digits = 0;
  bool point = false, any = false;
  for (char c : s) {
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c)))
      n.fail(fmt::format("{}: '{}' is not a decimal number", n.path(), n.str()));
    any = true;
    if (point) {
      if (++digits > places)
        n.fail(fmt::format("{}: '{}' has more than {} decimals", n.path(), n.str(), places));
      frac = frac * 10 + (c - '0');
    } else {
      if (whole > 1'000'000'000'000LL)
        n.fail(fmt::format("{}: '{}' is too large", n.path(), n.str()));
      whole = whole * 10 + (c - '0');
    }
  }
  if (!any)
    n.fail(fmt::format("{}: '{}' is not a decimal number", n.path(), n.str()));
  for (; digits < places; ++digits)
    frac *= 10;
  std::int64_t scale = 1;
  for (int i = 0; i < places; ++i)
    scale *= 10;
  return whole * scale + frac;
}

/// A share between 0 and 1.
double share(const Node& n) {
  const double v = n.number(0);
  if (v > 1)
    n.fail(fmt::format("{}: a share is at most 1", n.path()));
  return v;
}

/// A duration that may be negative ("-90s"), for clock offsets.
double signed_duration(const Node& n) {
  std::string s = n.str();
  const bool negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+'))
    s.erase(0, 1);
  try {
    const double v = units::parse_duration(s);
    return negative ? -v : v;
  } catch (const units::UnitError& e) {
    n.fail(fmt::format("{}: {}", n.path(), e.what()));
  }
}

/// The largest arrival trace read: room for kMaxTraceRows rows of ordinary length.
constexpr std::uintmax_t kMaxTraceBytes = 1ULL << 30;

/// Reads one scenario and keeps going after a problem, so that one run of `i1sim validate` lists them all.
/// Every part is read inside check(): a problem there is recorded and the part keeps its default.
class Loader {
public:
  Loader(const std::string& file, const std::vector<util::Origin>& origins) : file_(file), origins_(&origins) {}

  std::vector<util::LocatedError> errors;

  Scenario read(const YAML::Node& root) {
    const Node top(root, file_, "", origins_);
    sc_.file = file_;
    if (!root.IsMap()) {
      check([&] { top.fail("a scenario must be a YAML mapping at its top level"); });
      return std::move(sc_);
    }
    top.expect_map({"name", "description", "seed", "platform", "cloud_oss", "catalogue", "customers", "workload",
                    "stop", "failures", "billing", "telecom", "i1", "timeline", "expect"},
                   &errors);
    check([&] { sc_.name = top.at("name").name(); });
    check([&] { sc_.description = top.has("description") ? top.child("description").str() : ""; });
    check(
        [&] { sc_.seed = top.has("seed") ? static_cast<std::uint64_t>(top.child("seed").integer(0, INT64_MAX)) : 1; });
    check([&] { platform(top.at("platform")); });
    if (top.has("cloud_oss"))
      check([&] { cloud_oss(top.child("cloud_oss")); });
    check([&] { catalogue(top.at("catalogue")); });
    if (top.has("i1")) // before customers, whose operators it names
      check([&] { i1(top.child("i1")); });
    if (top.has("customers"))
      check([&] { customers(top.child("customers")); });
    check([&] { workload(top.at("workload")); });
    if (top.has("billing"))
      check([&] { billing(top.child("billing")); });
    if (top.has("failures"))
      check([&] { failures(top.child("failures")); });
    if (top.has("telecom"))
      check([&] { telecom(top.child("telecom")); });
    check([&] { stop(top); });
    for (const Node& at : probe_times_) // once the end of the run is known
      check([&] {
        if (sc_.stop.max_time > 0 && at.quantity(units::parse_duration, true) >= sc_.stop.max_time)
          at.fail(fmt::format("{}: {} is not before the end of the run ({})", at.path(), at.str(),
                              units::format_duration(sc_.stop.max_time)));
      });
    if (top.has("timeline"))
      check([&] { timeline(top.child("timeline")); });
    if (top.has("expect"))
      check([&] { expectations(top.child("expect")); });
    return std::move(sc_);
  }

private:
  /// Runs `f`; a located problem is recorded instead of ending the reading. Returns whether `f` went through.
  template <class F> bool check(F&& f) {
    try {
      f();
      return true;
    } catch (const util::LocatedError& e) {
      errors.push_back(e);
    } catch (const YAML::Exception& e) { // conversions of odd nodes (aliases, binary tags) end up here
      errors.emplace_back(file_, e.mark.line + 1, e.mark.column + 1, e.msg);
    }
    return false;
  }

  Site site(const Node& n) {
    n.expect_map({"name", "host_speed", "lan_bandwidth", "lan_latency"}, &errors);
    Site s;
    check([&] { s.name = n.at("name").name(); });
    s.host_speed = 10e9;
    s.lan_bandwidth = 1.25e9;
    s.lan_latency = 100e-6;
    if (n.has("host_speed"))
      check([&] { s.host_speed = n.child("host_speed").quantity(units::parse_speed); });
    if (n.has("lan_bandwidth"))
      check([&] { s.lan_bandwidth = n.child("lan_bandwidth").quantity(units::parse_bandwidth); });
    if (n.has("lan_latency"))
      check([&] { s.lan_latency = n.child("lan_latency").quantity(units::parse_duration, true); });
    return s;
  }

  HostClass host_class(const Node& n) {
    n.expect_map({"name", "count", "cores", "speed", "ram", "disk"}, &errors);
    HostClass h;
    check([&] { h.name = n.at("name").name(); });
    check([&] { h.count = static_cast<int>(n.at("count").integer(1, 1'000'000)); });
    check([&] { h.cores = static_cast<int>(n.at("cores").integer(1, 4096)); });
    check([&] { h.speed = n.at("speed").quantity(units::parse_speed); });
    check([&] { h.ram = n.at("ram").quantity(units::parse_size); });
    check([&] { h.disk = n.at("disk").quantity(units::parse_size); });
    return h;
  }

  DataCentre data_centre(const Node& n) {
    n.expect_map({"name", "jurisdiction", "network", "hosts"}, &errors);
    DataCentre dc;
    check([&] { dc.name = n.at("name").name(); });
    check([&] {
      const Node j = n.at("jurisdiction");
      dc.jurisdiction = j.str();
      if (!is_country_code(dc.jurisdiction))
        j.fail(fmt::format("{}: '{}' is not an ISO 3166-1 alpha-2 country code", j.path(), dc.jurisdiction));
    });
    check([&] {
      const Node net = n.at("network");
      net.expect_map({"nic_bandwidth", "nic_latency", "fabric_bandwidth", "fabric_latency", "store_bandwidth"},
                     &errors);
      dc.nic_latency = 1e-6;
      dc.fabric_latency = 5e-6;
      check([&] { dc.nic_bandwidth = net.at("nic_bandwidth").quantity(units::parse_bandwidth); });
      if (net.has("nic_latency"))
        check([&] { dc.nic_latency = net.child("nic_latency").quantity(units::parse_duration, true); });
      check([&] { dc.fabric_bandwidth = net.at("fabric_bandwidth").quantity(units::parse_bandwidth); });
      if (net.has("fabric_latency"))
        check([&] { dc.fabric_latency = net.child("fabric_latency").quantity(units::parse_duration, true); });
      dc.store_bandwidth = dc.nic_bandwidth;
      if (net.has("store_bandwidth"))
        check([&] { dc.store_bandwidth = net.child("store_bandwidth").quantity(units::parse_bandwidth); });
    });
    check([&] {
      std::set<std::string> seen;
      for (const Node& h : n.at("hosts").items())
        check([&] {
          dc.host_classes.push_back(host_class(h));
          if (!seen.insert(dc.host_classes.back().name).second)
            h.child("name").fail(
                fmt::format("{}.name: duplicate host class '{}'", h.path(), dc.host_classes.back().name));
        });
      if (n.child("hosts").items().empty())
        n.child("hosts").fail(fmt::format("{}.hosts: a data centre needs at least one host class", n.path()));
    });
    return dc;
  }

  void platform(const Node& pf) {
    pf.expect_map({"operator_site", "cloud_site", "data_centres", "wan"}, &errors);
    auto& p = sc_.platform;
    check([&] { p.operator_site = site(pf.at("operator_site")); });
    check([&] { p.cloud_site = site(pf.at("cloud_site")); });
    if (!p.operator_site.name.empty())
      places_.insert(p.operator_site.name);
    if (!p.cloud_site.name.empty() && !places_.insert(p.cloud_site.name).second)
      check([&] {
        pf.at("cloud_site").child("name").fail("platform.cloud_site.name: the cloud site needs its own name");
      });
    check([&] {
      const auto dcs = pf.at("data_centres").items();
      for (const Node& d : dcs)
        check([&] {
          p.data_centres.push_back(data_centre(d));
          if (!p.data_centres.back().name.empty() && !places_.insert(p.data_centres.back().name).second)
            d.child("name").fail(fmt::format("{}.name: '{}' is already the name of a site or data centre", d.path(),
                                             p.data_centres.back().name));
        });
      if (dcs.empty())
        pf.at("data_centres").fail("platform.data_centres: at least one data centre is needed");
    });
    check([&] {
      for (const Node& w : pf.at("wan").items())
        check([&] {
          w.expect_map({"between", "bandwidth", "latency"}, &errors);
          const Node between = w.at("between");
          const auto ends = between.names();
          if (ends.size() != 2 || ends[0] == ends[1])
            between.fail(fmt::format("{}: expected two different site or data-centre names", between.path()));
          for (const auto& e : ends)
            if (!places_.count(e))
              between.fail(fmt::format("{}: '{}' is no site or data centre of this platform", between.path(), e));
          WanLink l{ends[0], ends[1], 0, 0};
          check([&] { l.bandwidth = w.at("bandwidth").quantity(units::parse_bandwidth); });
          check([&] { l.latency = w.at("latency").quantity(units::parse_duration, true); });
          if (!linked_.insert(std::minmax(l.a, l.b)).second)
            between.fail(fmt::format("{}: {} and {} are already linked", between.path(), l.a, l.b));
          p.wan.push_back(l);
        });
      // The I1 channel and the DC control paths must exist; anything else is optional.
      auto need = [&](const std::string& a, const std::string& b) {
        if (!a.empty() && !b.empty() && !linked_.count(std::minmax(a, b)))
          check([&] { pf.at("wan").fail(fmt::format("platform.wan: no link between '{}' and '{}'", a, b)); });
      };
      need(p.operator_site.name, p.cloud_site.name);
      for (const auto& dc : p.data_centres)
        need(p.cloud_site.name, dc.name);
    });
  }

  void cloud_oss(const Node& c) {
    c.expect_map({"service_time"}, &errors);
    if (c.has("service_time"))
      check([&] { sc_.cloud_oss.service_time = c.child("service_time").quantity(units::parse_duration, true); });
  }

  CloudServiceSpec cloud_service(const Node& n) {
    n.expect_map({"id", "name", "instances", "vcpu", "ram", "storage", "image", "performance", "rates", "sla"},
                 &errors);
    CloudServiceSpec s;
    check([&] { s.id = n.at("id").name(); });
    check([&] { s.name = n.has("name") ? n.child("name").str() : s.id; });
    if (n.has("instances"))
      check([&] { s.instances = static_cast<int>(n.child("instances").integer(1, 1000)); });
    check([&] { s.vcpu = static_cast<int>(n.at("vcpu").integer(1, 4096)); });
    check([&] { s.ram = n.at("ram").quantity(units::parse_size); });
    check([&] { s.storage = n.at("storage").quantity(units::parse_size); });
    check([&] {
      const Node img = n.at("image");
      img.expect_map({"size", "boot_work"}, &errors);
      check([&] { s.image_size = img.at("size").quantity(units::parse_size); });
      check([&] { s.boot_work = img.at("boot_work").quantity(units::parse_speed); });
    });
    if (n.has("performance"))
      check([&] {
        const Node p = n.child("performance");
        p.expect_map({"min_core_speed", "max_activation_time"}, &errors);
        if (p.has("min_core_speed"))
          check([&] { s.min_core_speed = p.child("min_core_speed").quantity(units::parse_speed); });
        if (p.has("max_activation_time"))
          check([&] { s.max_activation_time = p.child("max_activation_time").quantity(units::parse_duration); });
      });
    if (n.has("rates")) // minor units (e.g. cents) per unit and hour, up to six decimals
      check([&] {
        const Node r = n.child("rates");
        r.expect_map({"vcpu_hour", "ram_gib_hour", "storage_gib_hour"}, &errors);
        if (r.has("vcpu_hour"))
          check([&] { s.rates.vcpu_hour = decimal(r.child("vcpu_hour"), 6); });
        if (r.has("ram_gib_hour"))
          check([&] { s.rates.ram_gib_hour = decimal(r.child("ram_gib_hour"), 6); });
        if (r.has("storage_gib_hour"))
          check([&] { s.rates.storage_gib_hour = decimal(r.child("storage_gib_hour"), 6); });
      });
    if (n.has("sla"))
      check([&] {
        const Node a = n.child("sla");
        a.expect_map({"availability", "credit"}, &errors);
        check([&] {
          const Node av = a.at("availability");
          s.sla.availability_millipercent = decimal(av, 3, "%");
          if (s.sla.availability_millipercent <= 0 || s.sla.availability_millipercent > 100'000)
            av.fail(fmt::format("{}: must be more than 0% and at most 100%", av.path()));
        });
        check([&] {
          const Node cr = a.at("credit");
          const std::int64_t credit = decimal(cr, 0, "%");
          if (credit > 100)
            cr.fail(fmt::format("{}: must be at most 100%", cr.path()));
          s.sla.credit_percent = static_cast<int>(credit);
        });
      });
    return s;
  }

  void catalogue(const Node& cat) {
    cat.expect_map({"telecom_services", "cloud_services", "products"}, &errors);
    auto& c = sc_.catalogue;
    if (cat.has("telecom_services"))
      check([&] {
        for (const Node& t : cat.child("telecom_services").items())
          check([&] {
            t.expect_map({"id", "fee"}, &errors);
            TelecomServiceSpec ts{t.at("id").name(), 0};
            check([&] { ts.fee = t.at("fee").integer(0, 1'000'000'000'000LL); });
            if (c.find_telecom_service(ts.id))
              t.child("id").fail(fmt::format("{}.id: duplicate telecom service '{}'", t.path(), ts.id));
            c.telecom_services.push_back(ts);
          });
      });
    check([&] {
      for (const Node& s : cat.at("cloud_services").items())
        check([&] {
          CloudServiceSpec spec = cloud_service(s);
          if (!spec.id.empty() && c.find_cloud_service(spec.id))
            s.child("id").fail(fmt::format("{}.id: duplicate cloud service '{}'", s.path(), spec.id));
          c.cloud_services.push_back(std::move(spec));
        });
    });
    check([&] {
      for (const Node& p : cat.at("products").items())
        check([&] { c.products.push_back(product(p)); });
    });
  }

  Product product(const Node& p) {
    const auto& c = sc_.catalogue;
    p.expect_map({"id", "name", "telecom_services", "cloud_services"}, &errors);
    Product prod;
    prod.id = p.at("id").name();
    if (c.find_product(prod.id))
      check([&] { p.child("id").fail(fmt::format("{}.id: duplicate product '{}'", p.path(), prod.id)); });
    check([&] { prod.name = p.has("name") ? p.child("name").str() : prod.id; });
    if (p.has("telecom_services"))
      check([&] {
        const Node ts = p.child("telecom_services");
        const auto items = ts.items();
        for (std::size_t i = 0; i < items.size(); ++i)
          check([&] {
            prod.telecom_services.push_back(items[i].name());
            if (!c.telecom_services.empty() && !c.find_telecom_service(prod.telecom_services.back()))
              items[i].fail(
                  fmt::format("{}[{}]: unknown telecom service '{}'", ts.path(), i, prod.telecom_services.back()));
          });
      });
    check([&] {
      const Node cs = p.at("cloud_services");
      const auto items = cs.items();
      if (items.empty())
        cs.fail(fmt::format("{}: a product carried over I1 needs at least one cloud service", cs.path()));
      for (std::size_t i = 0; i < items.size(); ++i)
        check([&] {
          const std::string id = items[i].name();
          if (!c.find_cloud_service(id))
            items[i].fail(fmt::format("{}[{}]: unknown cloud service '{}'", cs.path(), i, id));
          prod.cloud_services.push_back(id);
        });
    });
    return prod;
  }

  void customers(const Node& c) {
    c.expect_map({"count", "jurisdictions", "operators"}, &errors);
    check([&] { sc_.customers.count = static_cast<int>(c.at("count").integer(1, 100'000'000)); });
    if (c.has("jurisdictions"))
      check([&] {
        for (const Node& j : c.child("jurisdictions").items())
          check([&] {
            j.expect_map({"allowed", "weight"}, &errors);
            JurisdictionShare s;
            check([&] {
              for (const Node& code : j.at("allowed").items())
                check([&] {
                  const std::string v = code.str();
                  if (!is_country_code(v))
                    code.fail(fmt::format("{}: '{}' is not an ISO 3166-1 alpha-2 country code", code.path(), v));
                  s.allowed.push_back(v);
                });
              if (j.child("allowed").items().empty())
                j.at("allowed").fail(fmt::format("{}.allowed: name at least one jurisdiction", j.path()));
            });
            if (j.has("weight"))
              check([&] { s.weight = positive_weight(j.child("weight")); });
            sc_.customers.jurisdictions.push_back(s);
          });
      });
    if (c.has("operators"))
      check([&] {
        for (const Node& o : c.child("operators").items())
          check([&] {
            o.expect_map({"operator", "weight"}, &errors);
            OperatorShare s;
            const Node name = o.at("operator");
            s.op = name.name();
            const auto& ops = sc_.i1.operators;
            if (std::find(ops.begin(), ops.end(), s.op) == ops.end())
              name.fail(fmt::format("{}: '{}' is not one of i1.operators", name.path(), s.op));
            for (const auto& other : sc_.customers.operators)
              if (other.op == s.op)
                name.fail(fmt::format("{}: '{}' already has a share", name.path(), s.op));
            if (o.has("weight"))
              check([&] { s.weight = positive_weight(o.child("weight")); });
            sc_.customers.operators.push_back(s);
          });
      });
  }

  static double positive_weight(const Node& w) {
    const double v = w.number(0);
    if (v <= 0)
      w.fail(fmt::format("{}: must be more than zero", w.path()));
    return v;
  }

  Change change(const Node& n, bool modify) {
    if (modify)
      n.expect_map({"share", "after", "instances"}, &errors);
    else
      n.expect_map({"share", "after"}, &errors);
    Change c;
    check([&] { c.share = share(n.at("share")); });
    check([&] {
      const Node after = n.at("after");
      const auto range = after.items();
      if (range.size() != 2)
        after.fail(fmt::format("{}: expected [min, max] durations", after.path()));
      c.after_min = range[0].quantity(units::parse_duration, true);
      c.after_max = range[1].quantity(units::parse_duration, true);
      if (c.after_max < c.after_min)
        after.fail(fmt::format("{}: max is less than min", after.path()));
    });
    if (modify)
      check([&] { c.instances = static_cast<int>(n.at("instances").integer(1, 1000)); });
    return c;
  }

  void workload(const Node& wl) {
    wl.expect_map({"orders", "arrival", "start", "mix", "changes"}, &errors);
    auto& w = sc_.workload;
    if (wl.has("changes"))
      check([&] {
        const Node ch = wl.child("changes");
        ch.expect_map({"modify", "terminate"}, &errors);
        if (ch.has("modify"))
          check([&] { w.modify = change(ch.child("modify"), true); });
        if (ch.has("terminate"))
          check([&] { w.terminate = change(ch.child("terminate"), false); });
      });
    if (wl.has("start"))
      check([&] { w.start = wl.child("start").quantity(units::parse_duration, true); });
    check([&] { arrival(wl.at("arrival")); });
    const bool traced = w.arrival == ArrivalProcess::trace;
    if (!traced)
      check([&] { w.orders = static_cast<int>(wl.at("orders").integer(1, 100'000'000)); });
    else if (wl.has("orders"))
      check([&] { wl.child("orders").fail("workload.orders: a trace has one order per row; leave orders out"); });
    if (traced && wl.has("start"))
      check([&] { wl.child("start").fail("workload.start: each row of a trace gives its own time; leave start out"); });
    if (traced && wl.has("mix"))
      check([&] { wl.child("mix").fail("workload.mix: each row of a trace names its product; leave mix out"); });
    if (traced)
      return;
    check([&] {
      const auto items = wl.at("mix").items();
      for (const Node& m : items)
        check([&] {
          m.expect_map({"product", "weight"}, &errors);
          ProductShare s{m.at("product").name(), 1.0};
          if (!sc_.catalogue.find_product(s.product))
            m.child("product").fail(fmt::format("{}.product: unknown product '{}'", m.path(), s.product));
          if (m.has("weight"))
            check([&] { s.weight = positive_weight(m.child("weight")); });
          w.mix.push_back(s);
        });
      if (items.empty())
        wl.at("mix").fail("workload.mix: name at least one product");
    });
  }

  void arrival(const Node& arr) {
    auto& w = sc_.workload;
    const Node proc = arr.is_map() ? arr.at("process") : arr;
    const std::string p = proc.str(); // a non-mapping fails here, at the arrival node
    // The keys each process reads; any other key is a mistake worth reporting.
    static const std::map<std::string, std::vector<std::string_view>> keys{{"fixed", {"process", "rate"}},
                                                                           {"poisson", {"process", "rate"}},
                                                                           {"ramp", {"process", "rate", "to", "over"}},
                                                                           {"burst", {"process", "size", "every"}},
                                                                           {"trace", {"process", "file"}}};
    const auto it = keys.find(p);
    if (it == keys.end())
      proc.fail(
          fmt::format("{}: unknown arrival process '{}' (known: fixed, poisson, ramp, burst, trace)", proc.path(), p));
    for (const auto& [key, value] : arr.entries())
      if (std::find(it->second.begin(), it->second.end(), key) == it->second.end())
        check([&, k = key] {
          std::string known;
          for (auto a : it->second)
            known += (known.empty() ? "" : ", ") + std::string(a);
          arr.child(k).fail(fmt::format("{}.{}: a {} arrival has no '{}' (its keys: {})", arr.path(), k, p, k, known));
        });
    if (p == "fixed" || p == "poisson") {
      w.arrival = p == "fixed" ? ArrivalProcess::fixed : ArrivalProcess::poisson;
      check([&] { w.rate = arr.at("rate").quantity(units::parse_rate); });
    } else if (p == "ramp") {
      w.arrival = ArrivalProcess::ramp;
      check([&] { w.rate = arr.at("rate").quantity(units::parse_rate, true); });
      check([&] { w.ramp_to = arr.at("to").quantity(units::parse_rate); });
      check([&] { w.ramp_over = arr.at("over").quantity(units::parse_duration); });
    } else if (p == "burst") {
      w.arrival = ArrivalProcess::burst;
      check([&] { w.burst_size = static_cast<int>(arr.at("size").integer(1, 10'000'000)); });
      check([&] { w.burst_every = arr.at("every").quantity(units::parse_duration); });
    } else {
      w.arrival = ArrivalProcess::trace;
      check([&] { trace(arr.at("file")); });
    }
  }

  void trace(const Node& file) {
    auto& w = sc_.workload;
    w.trace_file = file.str();
    if (w.trace_file.empty())
      file.fail(fmt::format("{}: name a CSV file", file.path()));
    std::filesystem::path path(w.trace_file);
    if (path.is_relative()) // relative to the scenario, so a scenario and its trace move together
      path = std::filesystem::path(file_).parent_path() / path;
    // Only a regular file of bounded size: a device such as /dev/zero would be read for ever.
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
      file.fail(fmt::format("{}: '{}' is not a regular file", file.path(), path.string()));
    if (std::filesystem::file_size(path, ec) > kMaxTraceBytes || ec)
      file.fail(fmt::format("{}: '{}' is larger than {} bytes", file.path(), path.string(), kMaxTraceBytes));
    std::ifstream in(path, std::ios::binary);
    if (!in)
      file.fail(fmt::format("{}: cannot read '{}'", file.path(), path.string()));
    std::ostringstream text;
    text << in.rdbuf();
    const TraceCsv csv = read_trace_csv(text.str(), path.string());
    for (auto& e : check_trace(csv, sc_.catalogue, sc_.customers.count, path.string()))
      errors.push_back(std::move(e));
    w.trace = csv.arrivals;
    w.orders = static_cast<int>(w.trace.size());
  }

  void billing(const Node& b) {
    b.expect_map({"currency", "cycle", "cycles", "settle"}, &errors);
    if (b.has("currency"))
      check([&] {
        const Node cur = b.child("currency");
        const std::string v = cur.str();
        if (v.size() != 3 ||
            !std::all_of(v.begin(), v.end(), [](char ch) { return std::isupper(static_cast<unsigned char>(ch)) != 0; }))
          cur.fail(fmt::format("{}: '{}' is not an ISO 4217 currency code", cur.path(), v));
        sc_.billing.currency = v;
      });
    check([&] {
      const double cycle = b.at("cycle").quantity(units::parse_duration);
      if (cycle < 3600)
        b.child("cycle").fail(fmt::format("{}.cycle: a bill cycle lasts at least 1h", b.path()));
      sc_.billing.cycle = cycle;
    });
    check([&] { sc_.billing.cycles = static_cast<int>(b.at("cycles").integer(1, 1000)); });
    if (b.has("settle"))
      check([&] { sc_.billing.settle = b.child("settle").quantity(units::parse_duration, true); });
    billed_ = true;
  }

  bool is_dc(const std::string& name) const {
    for (const auto& d : sc_.platform.data_centres)
      if (d.name == name)
        return true;
    return false;
  }

  void failures(const Node& list) {
    for (const Node& f : list.items())
      check([&] {
        f.expect_map({"dc", "start", "mtbf", "repair"}, &errors);
        HostFailures hf;
        const Node dc = f.at("dc");
        hf.dc = dc.name();
        if (!is_dc(hf.dc))
          dc.fail(fmt::format("{}: unknown data centre '{}'", dc.path(), hf.dc));
        for (const auto& other : sc_.failures)
          if (other.dc == hf.dc)
            dc.fail(fmt::format("{}: failures of '{}' are already given", dc.path(), hf.dc));
        if (f.has("start"))
          check([&] { hf.start = f.child("start").quantity(units::parse_duration, true); });
        check([&] { hf.mtbf = f.at("mtbf").quantity(units::parse_duration); });
        check([&] { hf.repair = f.at("repair").quantity(units::parse_duration); });
        sc_.failures.push_back(hf);
      });
  }

  void telecom(const Node& t) {
    t.expect_map({"resend_share", "cancel_share", "measurement_granularity", "bill_on_demand_at", "probes"}, &errors);
    if (t.has("resend_share"))
      check([&] { sc_.telecom.resend_share = share(t.child("resend_share")); });
    if (t.has("cancel_share"))
      check([&] { sc_.telecom.cancel_share = share(t.child("cancel_share")); });
    if (t.has("measurement_granularity"))
      check([&] {
        const Node g = t.child("measurement_granularity");
        const double v = g.quantity(units::parse_duration);
        if (v != 900 && v != 1800 && v != 3600 && v != 86400)
          g.fail(fmt::format("{}: the granularities I1 knows are 15min, 30min, 1h and 24h", g.path()));
        sc_.telecom.measurement_granularity = v;
      });
    if (t.has("bill_on_demand_at"))
      check([&] { sc_.telecom.bill_on_demand_at = t.child("bill_on_demand_at").quantity(units::parse_duration); });
    if (t.has("probes"))
      check([&] { probes(t.child("probes")); });
  }

  /// telecom.probes: a list of {at, kinds: [...]}; every kind is sent at `at`.
  void probes(const Node& list) {
    static const std::map<std::string, Probe::Kind> kinds = [] {
      std::map<std::string, Probe::Kind> m;
      for (int k = 0; k <= static_cast<int>(Probe::Kind::job_delete); ++k)
        m.emplace(std::string(probe_name(static_cast<Probe::Kind>(k))), static_cast<Probe::Kind>(k));
      return m;
    }();
    std::string known;
    for (int k = 0; k <= static_cast<int>(Probe::Kind::job_delete); ++k)
      known += (known.empty() ? "" : ", ") + std::string(probe_name(static_cast<Probe::Kind>(k)));
    std::vector<std::pair<Probe, Node>> read; // with the node of its kind, for the checks across items
    for (const Node& item : list.items())
      check([&] {
        item.expect_map({"at", "kinds"}, &errors);
        double at = 0;
        const bool timed = check([&] {
          const Node a = item.at("at");
          at = a.quantity(units::parse_duration, true);
          probe_times_.push_back(a);
        });
        const Node ks = item.at("kinds");
        const auto names = ks.items();
        if (names.empty())
          ks.fail(fmt::format("{}: name at least one probe (known: {})", ks.path(), known));
        for (const Node& k : names)
          check([&] {
            const std::string name = k.str();
            const auto found = kinds.find(name);
            if (found == kinds.end())
              k.fail(fmt::format("{}: unknown probe '{}' (known: {})", k.path(), name, known));
            const Probe::Kind kind = found->second;
            if ((kind == Probe::Kind::unauthenticated || kind == Probe::Kind::foreign_access) && sc_.i1.profile != "X")
              k.fail(fmt::format("{}: {} probes operators of the X profile (i1.profile is {})", k.path(), name,
                                 sc_.i1.profile));
            if (kind == Probe::Kind::foreign_access && sc_.i1.operators.size() < 2)
              k.fail(fmt::format("{}: foreignAccess needs at least two operators under i1.operators", k.path()));
            if (timed)
              read.emplace_back(Probe{kind, at, k.line()}, k);
          });
      });
    // The subscription a hubDelete deletes is the one a hubQuery made before it.
    for (const auto& [p, node] : read)
      if (p.kind == Probe::Kind::hub_delete)
        check([&, &p = p, &node = node] {
          const bool earlier = std::any_of(read.begin(), read.end(), [&](const auto& q) {
            return q.first.kind == Probe::Kind::hub_query && q.first.at < p.at;
          });
          if (!earlier)
            node.fail(fmt::format("{}: hubDelete deletes the subscription of a hubQuery probe sent before it; add "
                                  "one with an earlier at",
                                  node.path()));
        });
    for (const auto& r : read)
      sc_.telecom.probes.push_back(r.first);
    std::stable_sort(sc_.telecom.probes.begin(), sc_.telecom.probes.end(),
                     [](const Probe& a, const Probe& b) { return a.at < b.at; });
  }

  void i1(const Node& i) {
    i.expect_map({"profile", "timers", "operators"}, &errors);
    if (i.has("profile"))
      check([&] {
        const Node pr = i.child("profile");
        const std::string v = pr.str();
        if (v != "Q" && v != "X")
          pr.fail(fmt::format("{}: unknown profile '{}' (known: Q, X)", pr.path(), v));
        sc_.i1.profile = v;
      });
    if (i.has("operators"))
      check([&] {
        const Node ops = i.child("operators");
        const auto names = ops.names();
        if (names.empty())
          ops.fail(fmt::format("{}: name at least one operator", ops.path()));
        if (sc_.i1.profile != "X" && names.size() > 1)
          ops.fail(fmt::format("{}: several operators share a Cloud BSS/OSS only in the X profile", ops.path()));
        for (std::size_t a = 0; a < names.size(); ++a)
          for (std::size_t b = 0; b < a; ++b)
            if (names[a] == names[b])
              ops.items()[a].fail(fmt::format("{}: duplicate operator '{}'", ops.items()[a].path(), names[a]));
        sc_.i1.operators = names;
      });
    if (i.has("timers"))
      check([&] {
        for (const auto& [name, value] : i.child("timers").entries())
          check([&, &n = name, &v = value] {
            if (!spec::builtin().timer(n)) {
              std::string known;
              for (const auto& t : spec::builtin().timers)
                known += (known.empty() ? "" : ", ") + t.name;
              v.fail(fmt::format("{}: the I1 specification has no timer '{}' (known: {})", v.path(), n, known));
            }
            sc_.i1.timers.emplace_back(n, v.quantity(units::parse_duration));
          });
      });
  }

  void stop(const Node& top) {
    if (billed_) {
      if (top.has("stop")) // the bill cycles decide when the run ends
        top.child("stop").fail("stop: a scenario with billing runs for billing.cycles cycles; leave stop out");
      sc_.stop.max_time = sc_.billing.cycle * sc_.billing.cycles;
      return;
    }
    const Node st = top.at("stop");
    st.expect_map({"max_time", "drain"}, &errors);
    check([&] { sc_.stop.max_time = st.at("max_time").quantity(units::parse_duration); });
    if (st.has("drain"))
      check([&] { sc_.stop.drain = st.child("drain").quantity(units::parse_duration, true); });
  }

  /// "dc-paris.std-00003": a compute host of the platform, named as the world names them.
  bool is_host(const std::string& name) const {
    for (const auto& dc : sc_.platform.data_centres)
      for (const auto& hc : dc.host_classes)
        for (std::string prefix = dc.name + "." + hc.name + "-"; name.compare(0, prefix.size(), prefix) == 0;) {
          const std::string index = name.substr(prefix.size());
          if (index.size() < 5 || !std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; }))
            break;
          if (index.size() > 5 && index[0] == '0') // only as many leading zeros as the five-digit form needs
            break;
          return index.size() <= 7 && std::stol(index) < hc.count;
        }
    return false;
  }

  void timeline(const Node& list) {
    static const std::map<std::string, Fault::Kind> kinds{
        {"host_crash", Fault::Kind::host_crash},       {"dc_outage", Fault::Kind::dc_outage},
        {"link_cut", Fault::Kind::link_cut},           {"channel", Fault::Kind::channel},
        {"cloud_restart", Fault::Kind::cloud_restart}, {"clock_skew", Fault::Kind::clock_skew}};
    for (const Node& item : list.items())
      check([&] {
        item.expect_map({"at", "host_crash", "dc_outage", "link_cut", "channel", "cloud_restart", "clock_skew"},
                        &errors);
        Fault f;
        f.line = item.line();
        std::vector<std::string> named;
        for (const auto& [key, value] : item.entries())
          if (kinds.count(key))
            named.push_back(key);
        if (named.size() != 1)
          item.fail(fmt::format("{}: name exactly one fault (host_crash, dc_outage, link_cut, channel, "
                                "cloud_restart or clock_skew){}",
                                item.path(), named.empty() ? "" : fmt::format("; found {}", named.size())));
        f.kind = kinds.at(named[0]);
        check([&] {
          const Node at = item.at("at");
          f.at = at.quantity(units::parse_duration, true);
          if (sc_.stop.max_time > 0 && f.at >= sc_.stop.max_time)
            at.fail(fmt::format("{}: {} is not before the end of the run ({})", at.path(), at.str(),
                                units::format_duration(sc_.stop.max_time)));
        });
        fault(item.child(named[0]), f);
        sc_.timeline.push_back(f);
      });
    std::stable_sort(sc_.timeline.begin(), sc_.timeline.end(),
                     [](const Fault& a, const Fault& b) { return a.at < b.at; });
  }

  void fault(const Node& n, Fault& f) {
    auto duration = [&](const char* key) {
      if (n.has(key))
        check([&] { f.duration = n.child(key).quantity(units::parse_duration); });
    };
    switch (f.kind) {
    case Fault::Kind::host_crash:
      n.expect_map({"host", "for"}, &errors);
      check([&] {
        const Node h = n.at("host");
        f.host = h.str();
        if (!is_host(f.host))
          h.fail(fmt::format("{}: '{}' is no compute host of this platform (hosts are named "
                             "<data centre>.<host class>-<index from 00000>)",
                             h.path(), f.host));
      });
      duration("for");
      break;
    case Fault::Kind::dc_outage:
      n.expect_map({"dc", "for"}, &errors);
      check([&] {
        const Node d = n.at("dc");
        f.dc = d.name();
        if (!is_dc(f.dc))
          d.fail(fmt::format("{}: unknown data centre '{}'", d.path(), f.dc));
      });
      duration("for");
      break;
    case Fault::Kind::link_cut:
      n.expect_map({"between", "for"}, &errors);
      check([&] {
        const Node between = n.at("between");
        const auto ends = between.names();
        if (ends.size() != 2)
          between.fail(fmt::format("{}: expected the two ends of a WAN link", between.path()));
        if (!linked_.count(std::minmax(ends[0], ends[1])))
          between.fail(fmt::format("{}: no WAN link joins '{}' and '{}'", between.path(), ends[0], ends[1]));
        f.a = ends[0];
        f.b = ends[1];
      });
      duration("for");
      break;
    case Fault::Kind::channel: {
      const std::size_t before = errors.size(); // a value already refused is not also "missing"
      n.expect_map({"for", "loss", "duplicate", "delay", "reorder", "direction"}, &errors);
      if (n.has("loss"))
        check([&] { f.loss = share(n.child("loss")); });
      if (n.has("duplicate"))
        check([&] { f.duplicate = share(n.child("duplicate")); });
      if (n.has("delay"))
        check([&] { f.delay = n.child("delay").quantity(units::parse_duration, true); });
      if (n.has("reorder"))
        check([&] { f.reorder = n.child("reorder").quantity(units::parse_duration, true); });
      if (n.has("direction"))
        check([&] {
          const Node d = n.child("direction");
          const std::string v = d.str();
          if (v == "both")
            f.direction = ChannelDirection::both;
          else if (v == "telecom_to_cloud")
            f.direction = ChannelDirection::telecom_to_cloud;
          else if (v == "cloud_to_telecom")
            f.direction = ChannelDirection::cloud_to_telecom;
          else
            d.fail(fmt::format("{}: unknown direction '{}' (known: both, telecom_to_cloud, cloud_to_telecom)", d.path(),
                               v));
        });
      if (errors.size() == before && f.loss == 0 && f.duplicate == 0 && f.delay == 0 && f.reorder == 0)
        check([&] { n.fail(fmt::format("{}: give at least one of loss, duplicate, delay, reorder", n.path())); });
      duration("for");
      break;
    }
    case Fault::Kind::cloud_restart:
      n.expect_map({"down"}, &errors);
      check([&] { f.duration = n.at("down").quantity(units::parse_duration, true); });
      break;
    case Fault::Kind::clock_skew:
      n.expect_map({"offset", "for"}, &errors);
      check([&] {
        const Node o = n.at("offset");
        f.offset = signed_duration(o);
        if (f.offset == 0)
          o.fail(fmt::format("{}: an offset of zero is no skew", o.path()));
      });
      duration("for");
      break;
    }
  }

  void expectations(const Node& list) {
    for (const Node& item : list.items())
      check([&] {
        const std::string text = item.str();
        try {
          Expectation e = parse_expectation(text);
          e.text = text;
          e.line = item.line();
          e.column = item.column();
          sc_.expect.push_back(std::move(e));
        } catch (const ExpectationError& e) {
          // A quoted scalar starts one column before its text.
          const int quote = item.is_quoted() ? 1 : 0;
          const util::LocatedError at = item.error(fmt::format("{}: {}", item.path(), e.what()));
          if (at.line() == 0) // from an override: no column to point at
            throw at;
          throw util::LocatedError(at.file(), at.line(), at.column() + quote + static_cast<int>(e.offset()),
                                   at.message());
        }
      });
  }

  const std::string& file_;
  const std::vector<util::Origin>* origins_;
  Scenario sc_;
  std::set<std::string> places_;
  std::set<std::pair<std::string, std::string>> linked_;
  bool billed_ = false;
  std::vector<Node> probe_times_; // telecom.probes[i].at, checked against the end of the run
};

/// One step of an override path: a key of a mapping, or an index into a list.
struct Step {
  std::string key; // empty for an index
  std::size_t index = 0;
};

std::vector<Step> steps_of(const std::string& path) {
  std::vector<Step> steps;
  std::size_t i = 0;
  auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; };
  while (i < path.size()) {
    const std::size_t from = i;
    while (i < path.size() && name_char(path[i]))
      ++i;
    if (i == from)
      throw std::invalid_argument(fmt::format("'{}': expected a key at character {}", path, from + 1));
    steps.push_back({path.substr(from, i - from), 0});
    while (i < path.size() && path[i] == '[') {
      const std::size_t digits = ++i;
      while (i < path.size() && std::isdigit(static_cast<unsigned char>(path[i])))
        ++i;
      if (i == digits || i >= path.size() || path[i] != ']' || i - digits > 9)
        throw std::invalid_argument(fmt::format("'{}': expected [index] at character {}", path, digits));
      steps.push_back({"", std::stoul(path.substr(digits, i - digits))});
      ++i;
    }
    if (i < path.size()) {
      if (path[i] != '.' || i + 1 == path.size())
        throw std::invalid_argument(fmt::format("'{}': expected '.' or '[' at character {}", path, i + 1));
      ++i;
    }
  }
  return steps;
}

/// Puts `o` into the document. Missing mappings on the way are created (and recorded as coming from the
/// override, so a misspelt key is reported against it); list items must exist.
void apply(YAML::Node& root, const Override& o, std::vector<util::Origin>& origins) {
  const std::string label = fmt::format("--set {}={}", o.path, o.value);
  auto fail = [&](const std::string& message) -> void { throw util::LocatedError(label, 0, 0, message); };
  YAML::Node value;
  try {
    value = YAML::Load(o.value);
  } catch (const YAML::Exception& e) {
    fail(fmt::format("the value is not valid YAML: {}", e.msg));
  }
  const std::vector<Step> steps = steps_of(o.path);
  YAML::Node cur = root; // yaml-cpp: assigning to a Node writes into the tree, so move with reset()
  std::string at;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const Step& s = steps[k];
    const bool last = k + 1 == steps.size();
    if (!s.key.empty()) {
      if (!cur.IsMap())
        fail(fmt::format("{} is not a mapping, so it has no key '{}'", at.empty() ? "the scenario" : at, s.key));
      at = at.empty() ? s.key : at + "." + s.key;
      if (!cur[s.key].IsDefined() || cur[s.key].IsNull()) {
        if (!last && steps[k + 1].key.empty())
          fail(fmt::format("{} is not in the scenario, so it has no item [{}]", at, steps[k + 1].index));
        origins.push_back({at, label});
        if (!last)
          cur[s.key] = YAML::Node(YAML::NodeType::Map);
      }
      if (last) {
        cur[s.key] = value;
        break;
      }
      YAML::Node next = cur[s.key];
      cur.reset(next);
    } else {
      if (!cur.IsSequence())
        fail(fmt::format("{} is not a list, so it has no item [{}]", at, s.index));
      if (s.index >= cur.size())
        fail(fmt::format("{} has {} item{}, so it has no item [{}]", at, cur.size(), cur.size() == 1 ? "" : "s",
                         s.index));
      at += fmt::format("[{}]", s.index);
      if (last) {
        cur[s.index] = value;
        break;
      }
      YAML::Node next = cur[s.index];
      cur.reset(next);
    }
  }
  origins.push_back({o.path, label});
}

} // namespace

Override parse_override(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos)
    throw std::invalid_argument(fmt::format("'{}': expected path=value, e.g. workload.arrival.rate=50/s", text));
  Override o{text.substr(0, eq), text.substr(eq + 1)};
  if (o.path.empty())
    throw std::invalid_argument(fmt::format("'{}': the path before '=' is empty", text));
  steps_of(o.path); // throws on a malformed path
  return o;
}

Scenario load_from_string(const std::string& text, const std::string& path, const std::vector<Override>& overrides) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ScenarioErrors({util::LocatedError(path, e.mark.line + 1, e.mark.column + 1, e.msg)});
  }
  std::vector<util::Origin> origins;
  Loader loader(path, origins);
  // An override that cannot be applied is reported and left out; the others and the file are still checked.
  for (const auto& o : overrides) {
    try {
      if (root.IsMap())
        apply(root, o, origins);
    } catch (const util::LocatedError& e) {
      loader.errors.push_back(e);
    } catch (const std::invalid_argument& e) {
      loader.errors.emplace_back(fmt::format("--set {}={}", o.path, o.value), 0, 0, e.what());
    }
  }
  Scenario sc = loader.read(root);
  if (!loader.errors.empty()) {
    // In file order, so a reader fixes them top to bottom: the overrides' first, then the scenario's, then
    // those of files it names (an arrival trace).
    auto key = [&](const util::LocatedError& e) {
      const int rank = e.file() == path ? 1 : e.line() == 0 ? 0 : 2;
      return std::make_tuple(rank, e.line(), e.column());
    };
    std::stable_sort(loader.errors.begin(), loader.errors.end(),
                     [&](const auto& a, const auto& b) { return key(a) < key(b); });
    throw ScenarioErrors(std::move(loader.errors));
  }
  return sc;
}

Scenario load(const std::string& path, const std::vector<Override>& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ScenarioErrors({util::LocatedError(path, 0, 0, "cannot read the file")});
  std::ostringstream text;
  text << in.rdbuf();
  return load_from_string(text.str(), path, overrides);
}

} // namespace i1sim::scenario
