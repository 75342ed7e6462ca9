// Platform construction with the s4u NetZone API. Star zones keep routing linear in the number of hosts.
#include "world/platform.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace sg = simgrid::s4u;

namespace i1sim::world {
namespace {

void attach(sg::NetZone* zone, sg::Host* host, double bandwidth, double latency, sg::Link* fabric) {
  sg::Link* nic = zone->create_split_duplex_link(host->get_name() + ".nic", bandwidth)->set_latency(latency)->seal();
  std::vector<sg::LinkInRoute> links{sg::LinkInRoute(nic, sg::LinkInRoute::Direction::UP)};
  if (fabric)
    links.emplace_back(fabric);
  zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, links, true);
}

sg::NetZone* site_zone(sg::NetZone* world, const scenario::Site& site, const std::vector<std::string>& roles,
                       std::vector<sg::Host*>& hosts) {
  auto* zone = sg::create_star_zone(site.name);
  zone->set_parent(world);
  for (const auto& role : roles) {
    sg::Host* h = zone->create_host(site.name + "." + role, site.host_speed);
    attach(zone, h, site.lan_bandwidth, site.lan_latency, nullptr);
    hosts.push_back(h);
  }
  zone->seal();
  return zone;
}

} // namespace

sg::SplitDuplexLink* World::wan_link(const std::string& a, const std::string& b) const {
  const auto it = wan.find(std::minmax(a, b));
  return it == wan.end() ? nullptr : it->second;
}

World build_world(const scenario::Platform& platform) {
  World w;
  auto* world = sg::create_full_zone("world");
  std::map<std::string, std::pair<sg::NetZone*, sg::Host*>> gateways; // zone name -> (zone, gateway host)

  std::vector<sg::Host*> op_hosts;
  auto* op = site_zone(world, platform.operator_site, {"bss", "oss"}, op_hosts);
  w.telecom_bss = op_hosts[0];
  w.telecom_oss = op_hosts[1];
  gateways[platform.operator_site.name] = {op, w.telecom_oss};

  std::vector<sg::Host*> cloud_hosts;
  auto* cloud = site_zone(world, platform.cloud_site, {"oss"}, cloud_hosts);
  w.cloud_oss = cloud_hosts[0];
  gateways[platform.cloud_site.name] = {cloud, w.cloud_oss};

  for (const auto& dc : platform.data_centres) {
    auto* zone = sg::create_star_zone(dc.name);
    zone->set_parent(world);
    sg::Link* fabric =
        zone->create_link(dc.name + ".fabric", dc.fabric_bandwidth)->set_latency(dc.fabric_latency)->seal();
    DcSite site;
    site.name = dc.name;
    site.jurisdiction = dc.jurisdiction;
    site.controller = zone->create_host(dc.name + ".ctl", platform.cloud_site.host_speed);
    attach(zone, site.controller, dc.nic_bandwidth, dc.nic_latency, fabric);
    site.image_store = zone->create_host(dc.name + ".store", platform.cloud_site.host_speed);
    attach(zone, site.image_store, dc.store_bandwidth, dc.nic_latency, fabric);
    for (const auto& hc : dc.host_classes) {
      for (int i = 0; i < hc.count; ++i) {
        sg::Host* h =
            zone->create_host(fmt::format("{}.{}-{:05}", dc.name, hc.name, i), hc.speed)->set_core_count(hc.cores);
        attach(zone, h, dc.nic_bandwidth, dc.nic_latency, fabric);
        site.hosts.push_back(h);
        site.capacities.push_back(HostCapacity{hc.cores, hc.speed, hc.ram, hc.disk});
      }
    }
    zone->seal();
    gateways[dc.name] = {zone, site.controller};
    w.dcs.push_back(std::move(site));
  }

  for (const auto& l : platform.wan) {
    sg::SplitDuplexLink* link = world->create_split_duplex_link(fmt::format("wan.{}.{}", l.a, l.b), l.bandwidth);
    link->set_latency(l.latency)->seal();
    const auto& [za, ga] = gateways.at(l.a);
    const auto& [zb, gb] = gateways.at(l.b);
    world->add_route(za->get_netpoint(), zb->get_netpoint(), ga->get_netpoint(), gb->get_netpoint(),
                     {sg::LinkInRoute(link, sg::LinkInRoute::Direction::UP)}, true);
    w.wan[std::minmax(l.a, l.b)] = link; // a link_cut may name the ends in either order
  }
  world->seal();
  return w;
}

} // namespace i1sim::world
