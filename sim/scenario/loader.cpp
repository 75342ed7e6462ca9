// Strict YAML scenario loader: unknown keys, wrong types, bad units and dangling references are errors
// that name the file, line and column. The full scenario language grows here (see scenarios/README.md).
#include "i1/spec.hpp"
#include "scenario/scenario.hpp"
#include "util/units.hpp"
#include "util/yaml_node.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <set>
#include <sstream>
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

Site load_site(const Node& n) {
  n.expect_map({"name", "host_speed", "lan_bandwidth", "lan_latency"});
  Site s;
  s.name = n.at("name").name();
  s.host_speed = n.has("host_speed") ? n.child("host_speed").quantity(units::parse_speed) : 10e9;
  s.lan_bandwidth = n.has("lan_bandwidth") ? n.child("lan_bandwidth").quantity(units::parse_bandwidth) : 1.25e9;
  s.lan_latency = n.has("lan_latency") ? n.child("lan_latency").quantity(units::parse_duration, true) : 100e-6;
  return s;
}

HostClass load_host_class(const Node& n) {
  n.expect_map({"name", "count", "cores", "speed", "ram", "disk"});
  HostClass h;
  h.name = n.at("name").name();
  h.count = static_cast<int>(n.at("count").integer(1, 1'000'000));
  h.cores = static_cast<int>(n.at("cores").integer(1, 4096));
  h.speed = n.at("speed").quantity(units::parse_speed);
  h.ram = n.at("ram").quantity(units::parse_size);
  h.disk = n.at("disk").quantity(units::parse_size);
  return h;
}

DataCentre load_dc(const Node& n) {
  n.expect_map({"name", "jurisdiction", "network", "hosts"});
  DataCentre dc;
  dc.name = n.at("name").name();
  const Node j = n.at("jurisdiction");
  dc.jurisdiction = j.str();
  if (dc.jurisdiction.size() != 2 || !std::isupper(static_cast<unsigned char>(dc.jurisdiction[0])) ||
      !std::isupper(static_cast<unsigned char>(dc.jurisdiction[1])))
    j.fail(fmt::format("{}: '{}' is not an ISO 3166-1 alpha-2 country code", j.path(), dc.jurisdiction));
  const Node net = n.at("network");
  net.expect_map({"nic_bandwidth", "nic_latency", "fabric_bandwidth", "fabric_latency", "store_bandwidth"});
  dc.nic_bandwidth = net.at("nic_bandwidth").quantity(units::parse_bandwidth);
  dc.nic_latency = net.has("nic_latency") ? net.child("nic_latency").quantity(units::parse_duration, true) : 1e-6;
  dc.fabric_bandwidth = net.at("fabric_bandwidth").quantity(units::parse_bandwidth);
  dc.fabric_latency =
      net.has("fabric_latency") ? net.child("fabric_latency").quantity(units::parse_duration, true) : 5e-6;
  dc.store_bandwidth =
      net.has("store_bandwidth") ? net.child("store_bandwidth").quantity(units::parse_bandwidth) : dc.nic_bandwidth;
  std::set<std::string> seen;
  for (const Node& h : n.at("hosts").items()) {
    dc.host_classes.push_back(load_host_class(h));
    if (!seen.insert(dc.host_classes.back().name).second)
      h.child("name").fail(fmt::format("{}.name: duplicate host class '{}'", h.path(), dc.host_classes.back().name));
  }
  if (dc.host_classes.empty())
    n.child("hosts").fail(fmt::format("{}.hosts: a data centre needs at least one host class", n.path()));
  return dc;
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

CloudServiceSpec load_cloud_service(const Node& n) {
  n.expect_map({"id", "name", "instances", "vcpu", "ram", "storage", "image", "performance", "rates", "sla"});
  CloudServiceSpec s;
  s.id = n.at("id").name();
  s.name = n.has("name") ? n.child("name").str() : s.id;
  s.instances = n.has("instances") ? static_cast<int>(n.child("instances").integer(1, 1000)) : 1;
  s.vcpu = static_cast<int>(n.at("vcpu").integer(1, 4096));
  s.ram = n.at("ram").quantity(units::parse_size);
  s.storage = n.at("storage").quantity(units::parse_size);
  const Node img = n.at("image");
  img.expect_map({"size", "boot_work"});
  s.image_size = img.at("size").quantity(units::parse_size);
  s.boot_work = img.at("boot_work").quantity(units::parse_speed);
  if (n.has("performance")) {
    const Node p = n.child("performance");
    p.expect_map({"min_core_speed", "max_activation_time"});
    if (p.has("min_core_speed"))
      s.min_core_speed = p.child("min_core_speed").quantity(units::parse_speed);
    if (p.has("max_activation_time"))
      s.max_activation_time = p.child("max_activation_time").quantity(units::parse_duration);
  }
  if (n.has("rates")) { // minor units (e.g. cents) per unit and hour, up to six decimals
    const Node r = n.child("rates");
    r.expect_map({"vcpu_hour", "ram_gib_hour", "storage_gib_hour"});
    s.rates.vcpu_hour = r.has("vcpu_hour") ? decimal(r.child("vcpu_hour"), 6) : 0;
    s.rates.ram_gib_hour = r.has("ram_gib_hour") ? decimal(r.child("ram_gib_hour"), 6) : 0;
    s.rates.storage_gib_hour = r.has("storage_gib_hour") ? decimal(r.child("storage_gib_hour"), 6) : 0;
  }
  if (n.has("sla")) {
    const Node a = n.child("sla");
    a.expect_map({"availability", "credit"});
    const Node av = a.at("availability");
    s.sla.availability_millipercent = decimal(av, 3, "%");
    if (s.sla.availability_millipercent <= 0 || s.sla.availability_millipercent > 100'000)
      av.fail(fmt::format("{}: must be more than 0% and at most 100%", av.path()));
    const Node cr = a.at("credit");
    const std::int64_t credit = decimal(cr, 0, "%");
    if (credit > 100)
      cr.fail(fmt::format("{}: must be at most 100%", cr.path()));
    s.sla.credit_percent = static_cast<int>(credit);
  }
  return s;
}

Change load_change(const Node& n, bool modify) {
  if (modify)
    n.expect_map({"share", "after", "instances"});
  else
    n.expect_map({"share", "after"});
  Change c;
  const Node share = n.at("share");
  c.share = share.number(0);
  if (c.share > 1)
    share.fail(fmt::format("{}: a share is at most 1", share.path()));
  const Node after = n.at("after");
  const auto range = after.items();
  if (range.size() != 2)
    after.fail(fmt::format("{}: expected [min, max] durations", after.path()));
  c.after_min = range[0].quantity(units::parse_duration, true);
  c.after_max = range[1].quantity(units::parse_duration, true);
  if (c.after_max < c.after_min)
    after.fail(fmt::format("{}: max is less than min", after.path()));
  if (modify)
    c.instances = static_cast<int>(n.at("instances").integer(1, 1000));
  return c;
}

Scenario load_root(const YAML::Node& root, const std::string& file) {
  const Node top(root, file, "");
  if (!root.IsMap())
    top.fail("a scenario must be a YAML mapping at its top level");
  top.expect_map({"name", "description", "seed", "platform", "cloud_oss", "catalogue", "customers", "workload", "stop",
                  "failures", "billing", "telecom", "i1"});
  Scenario sc;
  sc.file = file;
  sc.name = top.at("name").name();
  sc.description = top.has("description") ? top.child("description").str() : "";
  sc.seed = top.has("seed") ? static_cast<std::uint64_t>(top.child("seed").integer(0, INT64_MAX)) : 1;

  const Node pf = top.at("platform");
  pf.expect_map({"operator_site", "cloud_site", "data_centres", "wan"});
  sc.platform.operator_site = load_site(pf.at("operator_site"));
  sc.platform.cloud_site = load_site(pf.at("cloud_site"));
  std::set<std::string> places{sc.platform.operator_site.name};
  if (!places.insert(sc.platform.cloud_site.name).second)
    pf.at("cloud_site").child("name").fail("platform.cloud_site.name: the cloud site needs its own name");
  for (const Node& d : pf.at("data_centres").items()) {
    sc.platform.data_centres.push_back(load_dc(d));
    if (!places.insert(sc.platform.data_centres.back().name).second)
      d.child("name").fail(fmt::format("{}.name: '{}' is already the name of a site or data centre", d.path(),
                                       sc.platform.data_centres.back().name));
  }
  if (sc.platform.data_centres.empty())
    pf.at("data_centres").fail("platform.data_centres: at least one data centre is needed");
  std::set<std::pair<std::string, std::string>> linked;
  for (const Node& w : pf.at("wan").items()) {
    w.expect_map({"between", "bandwidth", "latency"});
    const Node between = w.at("between");
    const auto ends = between.names();
    if (ends.size() != 2 || ends[0] == ends[1])
      between.fail(fmt::format("{}: expected two different site or data-centre names", between.path()));
    for (const auto& e : ends)
      if (!places.count(e))
        between.fail(fmt::format("{}: '{}' is no site or data centre of this platform", between.path(), e));
    WanLink l{ends[0], ends[1], w.at("bandwidth").quantity(units::parse_bandwidth),
              w.at("latency").quantity(units::parse_duration, true)};
    if (!linked.insert(std::minmax(l.a, l.b)).second)
      between.fail(fmt::format("{}: {} and {} are already linked", between.path(), l.a, l.b));
    sc.platform.wan.push_back(l);
  }
  // The I1 channel and the DC control paths must exist; anything else is optional.
  auto need = [&](const std::string& a, const std::string& b) {
    if (!linked.count(std::minmax(a, b)))
      pf.at("wan").fail(fmt::format("platform.wan: no link between '{}' and '{}'", a, b));
  };
  need(sc.platform.operator_site.name, sc.platform.cloud_site.name);
  for (const auto& dc : sc.platform.data_centres)
    need(sc.platform.cloud_site.name, dc.name);

  if (top.has("cloud_oss")) {
    const Node c = top.child("cloud_oss");
    c.expect_map({"service_time"});
    if (c.has("service_time"))
      sc.cloud_oss.service_time = c.child("service_time").quantity(units::parse_duration, true);
  }

  const Node cat = top.at("catalogue");
  cat.expect_map({"telecom_services", "cloud_services", "products"});
  if (cat.has("telecom_services"))
    for (const Node& t : cat.child("telecom_services").items()) {
      t.expect_map({"id", "fee"});
      TelecomServiceSpec ts{t.at("id").name(), t.at("fee").integer(0, 1'000'000'000'000LL)};
      if (sc.catalogue.find_telecom_service(ts.id))
        t.child("id").fail(fmt::format("{}.id: duplicate telecom service '{}'", t.path(), ts.id));
      sc.catalogue.telecom_services.push_back(ts);
    }
  for (const Node& s : cat.at("cloud_services").items()) {
    sc.catalogue.cloud_services.push_back(load_cloud_service(s));
    const auto& id = sc.catalogue.cloud_services.back().id;
    if (sc.catalogue.find_cloud_service(id) != &sc.catalogue.cloud_services.back())
      s.child("id").fail(fmt::format("{}.id: duplicate cloud service '{}'", s.path(), id));
  }
  for (const Node& p : cat.at("products").items()) {
    p.expect_map({"id", "name", "telecom_services", "cloud_services"});
    Product prod;
    prod.id = p.at("id").name();
    prod.name = p.has("name") ? p.child("name").str() : prod.id;
    if (p.has("telecom_services")) {
      const Node ts = p.child("telecom_services");
      prod.telecom_services = ts.names();
      if (!sc.catalogue.telecom_services.empty())
        for (std::size_t i = 0; i < prod.telecom_services.size(); ++i)
          if (!sc.catalogue.find_telecom_service(prod.telecom_services[i]))
            ts.items()[i].fail(
                fmt::format("{}[{}]: unknown telecom service '{}'", ts.path(), i, prod.telecom_services[i]));
    }
    const Node cs = p.at("cloud_services");
    prod.cloud_services = cs.names();
    if (prod.cloud_services.empty())
      cs.fail(fmt::format("{}: a product carried over I1 needs at least one cloud service", cs.path()));
    for (std::size_t i = 0; i < prod.cloud_services.size(); ++i)
      if (!sc.catalogue.find_cloud_service(prod.cloud_services[i]))
        cs.items()[i].fail(fmt::format("{}[{}]: unknown cloud service '{}'", cs.path(), i, prod.cloud_services[i]));
    if (sc.catalogue.find_product(prod.id))
      p.child("id").fail(fmt::format("{}.id: duplicate product '{}'", p.path(), prod.id));
    sc.catalogue.products.push_back(prod);
  }

  if (top.has("customers")) {
    const Node c = top.child("customers");
    c.expect_map({"count", "jurisdictions"});
    sc.customers.count = static_cast<int>(c.at("count").integer(1, 100'000'000));
    if (c.has("jurisdictions"))
      for (const Node& j : c.child("jurisdictions").items()) {
        j.expect_map({"allowed", "weight"});
        JurisdictionShare share;
        for (const Node& code : j.at("allowed").items()) {
          const std::string v = code.str();
          if (v.size() != 2 || !std::isupper(static_cast<unsigned char>(v[0])) ||
              !std::isupper(static_cast<unsigned char>(v[1])))
            code.fail(fmt::format("{}: '{}' is not an ISO 3166-1 alpha-2 country code", code.path(), v));
          share.allowed.push_back(v);
        }
        if (share.allowed.empty())
          j.at("allowed").fail(fmt::format("{}.allowed: name at least one jurisdiction", j.path()));
        share.weight = j.has("weight") ? j.child("weight").number(0) : 1.0;
        if (share.weight <= 0)
          j.child("weight").fail(fmt::format("{}.weight: must be more than zero", j.path()));
        sc.customers.jurisdictions.push_back(share);
      }
  }

  const Node wl = top.at("workload");
  wl.expect_map({"orders", "arrival", "start", "mix", "changes"});
  if (wl.has("changes")) {
    const Node ch = wl.child("changes");
    ch.expect_map({"modify", "terminate"});
    if (ch.has("modify"))
      sc.workload.modify = load_change(ch.child("modify"), true);
    if (ch.has("terminate"))
      sc.workload.terminate = load_change(ch.child("terminate"), false);
  }
  sc.workload.orders = static_cast<int>(wl.at("orders").integer(1, 100'000'000));
  const Node arr = wl.at("arrival");
  arr.expect_map({"process", "rate"});
  const Node proc = arr.at("process");
  const std::string p = proc.str();
  if (p == "fixed")
    sc.workload.arrival = ArrivalProcess::fixed;
  else if (p == "poisson")
    sc.workload.arrival = ArrivalProcess::poisson;
  else
    proc.fail(fmt::format("{}: unknown arrival process '{}' (known: fixed, poisson)", proc.path(), p));
  sc.workload.rate = arr.at("rate").quantity(units::parse_rate);
  sc.workload.start = wl.has("start") ? wl.child("start").quantity(units::parse_duration, true) : 0;
  for (const Node& m : wl.at("mix").items()) {
    m.expect_map({"product", "weight"});
    ProductShare s{m.at("product").name(), m.has("weight") ? m.child("weight").number(0) : 1.0};
    if (!sc.catalogue.find_product(s.product))
      m.child("product").fail(fmt::format("{}.product: unknown product '{}'", m.path(), s.product));
    if (s.weight <= 0)
      m.child("weight").fail(fmt::format("{}.weight: must be more than zero", m.path()));
    sc.workload.mix.push_back(s);
  }
  if (sc.workload.mix.empty())
    wl.at("mix").fail("workload.mix: name at least one product");

  if (top.has("billing")) {
    const Node b = top.child("billing");
    b.expect_map({"currency", "cycle", "cycles"});
    if (b.has("currency")) {
      const Node cur = b.child("currency");
      sc.billing.currency = cur.str();
      if (sc.billing.currency.size() != 3 ||
          !std::all_of(sc.billing.currency.begin(), sc.billing.currency.end(),
                       [](char ch) { return std::isupper(static_cast<unsigned char>(ch)) != 0; }))
        cur.fail(fmt::format("{}: '{}' is not an ISO 4217 currency code", cur.path(), sc.billing.currency));
    }
    sc.billing.cycle = b.at("cycle").quantity(units::parse_duration);
    if (sc.billing.cycle < 3600)
      b.child("cycle").fail(fmt::format("{}.cycle: a bill cycle lasts at least 1h", b.path()));
    sc.billing.cycles = static_cast<int>(b.at("cycles").integer(1, 1000));
  }

  if (top.has("failures"))
    for (const Node& f : top.child("failures").items()) {
      f.expect_map({"dc", "start", "mtbf", "repair"});
      HostFailures hf;
      const Node dc = f.at("dc");
      hf.dc = dc.name();
      bool known = false;
      for (const auto& d : sc.platform.data_centres)
        known = known || d.name == hf.dc;
      if (!known)
        dc.fail(fmt::format("{}: unknown data centre '{}'", dc.path(), hf.dc));
      for (const auto& other : sc.failures)
        if (other.dc == hf.dc)
          dc.fail(fmt::format("{}: failures of '{}' are already given", dc.path(), hf.dc));
      hf.start = f.has("start") ? f.child("start").quantity(units::parse_duration, true) : 0;
      hf.mtbf = f.at("mtbf").quantity(units::parse_duration);
      hf.repair = f.at("repair").quantity(units::parse_duration);
      sc.failures.push_back(hf);
    }

  if (top.has("telecom")) {
    const Node t = top.child("telecom");
    t.expect_map({"resend_share", "cancel_share", "measurement_granularity", "bill_on_demand_at"});
    for (const char* key : {"resend_share", "cancel_share"})
      if (t.has(key)) {
        const Node r = t.child(key);
        (std::string(key) == "resend_share" ? sc.telecom.resend_share : sc.telecom.cancel_share) = r.number(0);
        if (r.number(0) > 1)
          r.fail(fmt::format("{}: a share is at most 1", r.path()));
      }
    if (t.has("measurement_granularity")) {
      const Node g = t.child("measurement_granularity");
      sc.telecom.measurement_granularity = g.quantity(units::parse_duration);
      const double v = sc.telecom.measurement_granularity;
      if (v != 900 && v != 1800 && v != 3600 && v != 86400)
        g.fail(fmt::format("{}: the granularities I1 knows are 15min, 30min, 1h and 24h", g.path()));
    }
    if (t.has("bill_on_demand_at"))
      sc.telecom.bill_on_demand_at = t.child("bill_on_demand_at").quantity(units::parse_duration);
  }

  if (top.has("i1")) {
    const Node i = top.child("i1");
    i.expect_map({"profile", "timers", "operators"});
    if (i.has("profile")) {
      const Node pr = i.child("profile");
      sc.i1.profile = pr.str();
      if (sc.i1.profile != "Q" && sc.i1.profile != "X")
        pr.fail(fmt::format("{}: unknown profile '{}' (known: Q, X)", pr.path(), sc.i1.profile));
    }
    if (i.has("operators")) {
      const Node ops = i.child("operators");
      sc.i1.operators = ops.names();
      if (sc.i1.operators.empty())
        ops.fail(fmt::format("{}: name at least one operator", ops.path()));
      if (sc.i1.profile != "X" && sc.i1.operators.size() > 1)
        ops.fail(fmt::format("{}: several operators share a Cloud BSS/OSS only in the X profile", ops.path()));
      for (std::size_t a = 0; a < sc.i1.operators.size(); ++a)
        for (std::size_t b = 0; b < a; ++b)
          if (sc.i1.operators[a] == sc.i1.operators[b])
            ops.items()[a].fail(fmt::format("{}: duplicate operator '{}'", ops.items()[a].path(), sc.i1.operators[a]));
    }
    if (i.has("timers"))
      for (const auto& [name, value] : i.child("timers").entries()) {
        if (!spec::builtin().timer(name)) {
          std::string known;
          for (const auto& t : spec::builtin().timers)
            known += (known.empty() ? "" : ", ") + t.name;
          value.fail(fmt::format("{}: the I1 specification has no timer '{}' (known: {})", value.path(), name, known));
        }
        sc.i1.timers.emplace_back(name, value.quantity(units::parse_duration));
      }
  }

  if (sc.billing.cycle > 0) {
    if (top.has("stop")) // the bill cycles decide when the run ends
      top.child("stop").fail("stop: a scenario with billing runs for billing.cycles cycles; leave stop out");
    sc.stop.max_time = sc.billing.cycle * sc.billing.cycles;
    return sc;
  }
  const Node st = top.at("stop");
  st.expect_map({"max_time", "drain"});
  sc.stop.max_time = st.at("max_time").quantity(units::parse_duration);
  if (st.has("drain"))
    sc.stop.drain = st.child("drain").quantity(units::parse_duration, true);
  return sc;
}

} // namespace

Scenario load_from_string(const std::string& text, const std::string& path, const std::vector<Override>& overrides) {
  (void)overrides;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(path, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  try {
    return load_root(root, path);
  } catch (const ScenarioError&) {
    throw;
  } catch (const util::LocatedError& e) {
    throw ScenarioError(e.file(), e.line(), e.column(), e.message());
  } catch (const YAML::Exception& e) { // conversions of odd nodes (aliases, binary tags) end up here
    throw ScenarioError(path, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
}

Scenario load(const std::string& path, const std::vector<Override>& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ScenarioError(path, 0, 0, "cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return load_from_string(text.str(), path, overrides);
}

} // namespace i1sim::scenario
