// Ground-truth checks over a trace, written independently of the code that produced it.
#include "support/ground_truth.hpp"

#include <fmt/format.h>
#include <map>

namespace i1sim::test {

namespace {
constexpr double kMiB = 1024.0 * 1024.0;
}

std::vector<std::string> capacity_problems(const std::vector<trace::Event>& events) {
  struct Used {
    long long cores = 0;
    double ram = 0, disk = 0;
  };
  std::vector<std::string> problems;
  std::map<std::string, Used> used;
  for (const auto& e : events) {
    if (e.category != trace::Category::truth)
      continue;
    const auto& d = e.data;
    const auto host = d["host"].get<std::string>();
    if (e.type == "vm.placed") {
      Used& u = used[host];
      u.cores += d["vcpu"].get<long long>();
      u.ram += d["ram"].get<double>();
      u.disk += d["disk"].get<double>();
      if (u.cores > d["host_cores"].get<long long>() || u.ram > d["host_ram"].get<double>() ||
          u.disk > d["host_disk"].get<double>())
        problems.push_back(fmt::format("event {}: {} over capacity ({} cores in use of {})", e.id, host, u.cores,
                                       d["host_cores"].get<long long>()));
      if (d["host_speed"].get<double>() < d["min_core_speed"].get<double>())
        problems.push_back(fmt::format("event {}: {} is slower than the VM needs", e.id, host));
    } else if ((e.type == "vm.destroyed" || e.type == "vm.failed") && !host.empty()) {
      Used& u = used[host];
      u.cores -= d["vcpu"].get<long long>();
      u.ram -= d["ram"].get<double>();
      u.disk -= d["disk"].get<double>();
    }
  }
  return problems;
}

std::vector<std::string> activation_problems(const std::vector<trace::Event>& events, std::size_t* active_services) {
  std::vector<std::string> problems;
  std::map<std::string, nlohmann::ordered_json> requested;                 // externalId -> serviceOrderItem list
  std::map<std::string, std::pair<std::string, std::string>> service_item; // service -> (externalId, item id)
  std::map<std::string, double> reported_active;
  struct Vm {
    nlohmann::ordered_json placed;
    double booted = -1;
    bool gone = false;
  };
  std::map<std::string, std::map<std::uint64_t, Vm>> vms; // owner (service id) -> VMs
  for (const auto& e : events) {
    const auto& d = e.data;
    static const nlohmann::json no_body;
    const nlohmann::json& body = e.body() ? *e.body() : no_body;
    if (e.type == "i1.request" && d["name"] == "createServiceOrder")
      requested[body["externalId"].get<std::string>()] = body["serviceOrderItem"];
    if (e.type == "i1.notification" && d["name"] == "ServiceOrderStateChangeEvent") {
      const auto& order = body["event"]["serviceOrder"];
      for (const auto& item : order["serviceOrderItem"])
        service_item[item["service"]["id"].get<std::string>()] = {order["externalId"].get<std::string>(),
                                                                  item["id"].get<std::string>()};
    }
    if (e.type == "i1.notification" && d["name"] == "ServiceStateChangeEvent" &&
        body["event"]["service"]["state"] == "active")
      reported_active[body["event"]["service"]["id"].get<std::string>()] = e.t;
    if (e.category == trace::Category::truth && e.type.rfind("vm.", 0) == 0 && d["vm"].is_number()) {
      Vm& vm = vms[d["owner"].get<std::string>()][d["vm"].get<std::uint64_t>()];
      if (e.type == "vm.placed")
        vm.placed = d;
      else if (e.type == "vm.booted")
        vm.booted = e.t;
      else
        vm.gone = true;
    }
  }
  if (active_services)
    *active_services = reported_active.size();
  for (const auto& [service, when] : reported_active) {
    const auto item = service_item.find(service);
    if (item == service_item.end() || !requested.count(item->second.first)) {
      problems.push_back(service + ": reported active but belongs to no order that was placed");
      continue;
    }
    std::map<std::string, double> want;
    for (const auto& it : requested.at(item->second.first))
      if (it["id"] == item->second.second)
        for (const auto& c : it["service"]["serviceCharacteristic"])
          want[c["name"].get<std::string>()] = c["value"].get<double>();
    const auto& mine = vms[service];
    if (static_cast<double>(mine.size()) != want["instances"])
      problems.push_back(
          fmt::format("{}: {} VMs in ground truth, {} ordered", service, mine.size(), want["instances"]));
    for (const auto& [id, vm] : mine) {
      const std::string at = fmt::format("{} vm {}", service, id);
      if (vm.gone)
        problems.push_back(at + ": no longer runs");
      if (vm.booted < 0)
        problems.push_back(at + ": never booted");
      else if (vm.booted > when)
        problems.push_back(fmt::format("{}: reported active at {} before it booted at {}", at, when, vm.booted));
      if (vm.placed.is_null()) {
        problems.push_back(at + ": never placed");
        continue;
      }
      if (vm.placed["vcpu"].get<double>() != want["vCPU"] ||
          vm.placed["ram"].get<double>() != want["memoryMiB"] * kMiB ||
          vm.placed["disk"].get<double>() != want["storageMiB"] * kMiB)
        problems.push_back(at + ": its shape differs from the order's capacity requirements");
      if (vm.placed["host_speed"].get<double>() < want["minCoreSpeedGflops"] * 1e9)
        problems.push_back(at + ": its host is slower than the order's performance requirement");
    }
  }
  return problems;
}

std::vector<std::string> correlation_problems(const std::vector<trace::Event>& events) {
  std::vector<std::string> problems;
  std::map<std::string, int> open; // correlation id -> responses still expected
  for (const auto& e : events) {
    if (e.category != trace::Category::i1)
      continue;
    const std::string corr = e.data["corr"].get<std::string>();
    if (e.type == "i1.request" || e.type == "i1.notification") {
      if (open.count(corr))
        problems.push_back(fmt::format("event {}: correlation id {} reused", e.id, corr));
      open[corr] = 1;
    } else if (e.type == "i1.response") {
      if (!open.count(corr))
        problems.push_back(fmt::format("event {}: response to nothing ({})", e.id, corr));
      else if (--open[corr] < 0)
        problems.push_back(fmt::format("event {}: second response to {}", e.id, corr));
    } else {
      problems.push_back(fmt::format("event {}: {}", e.id, e.type));
    }
  }
  for (const auto& [corr, left] : open)
    if (left > 0)
      problems.push_back(corr + ": never answered");
  return problems;
}

} // namespace i1sim::test
