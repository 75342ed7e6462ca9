// VM lifecycle inside a data centre, as SimGrid activities owned by the controller daemon.
#include "world/dc_controller.hpp"

#include "faults/fault_events.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace sg = simgrid::s4u;

namespace i1sim::world {

DcController::DcController(const DcSite& site, trace::EventStream& events, const scenario::HostFailures* failures,
                           std::uint64_t seed)
    : Daemon(site.name + ".ctl", site.controller)
    , site_(&site)
    , events_(&events)
    , placer_(site.capacities)
    , failures_(failures)
    , random_(Random::for_stream(seed, site.name + ".failures"))
    , causes_(site.hosts.size(), 0) {}

void DcController::schedule(const std::vector<scenario::Fault>& timeline) {
  for (const auto& f : timeline) {
    const bool mine = (f.kind == scenario::Fault::Kind::dc_outage && f.dc == site_->name) ||
                      (f.kind == scenario::Fault::Kind::host_crash && !hosts_of(f).empty());
    if (mine)
      scripted_.push_back(f);
  }
}

std::vector<std::uint32_t> DcController::hosts_of(const scenario::Fault& fault) const {
  std::vector<std::uint32_t> hosts;
  for (std::uint32_t h = 0; h < site_->hosts.size(); ++h)
    if (fault.kind == scenario::Fault::Kind::dc_outage || site_->hosts[h]->get_name() == fault.host)
      hosts.push_back(h);
  return hosts;
}

void DcController::on_start() {
  if (failures_) {
    // Each host fails after an exponential time with mean MTBF and is repaired after an exponential time with
    // the mean repair time, independently of the others: one draw sequence per DC, so runs are reproducible.
    for (std::uint32_t h = 0; h < site_->hosts.size(); ++h)
      after(failures_->start + random_.exponential(1 / failures_->mtbf), [this, h] { random_failure(h); });
  }
  for (std::size_t i = 0; i < scripted_.size(); ++i)
    after(std::max(0.0, scripted_[i].at - now()), [this, i] { inject(i); });
}

void DcController::random_failure(std::uint32_t h) {
  hold({h});
  after(random_.exponential(1 / failures_->repair), [this, h] { random_repair(h); });
}

void DcController::random_repair(std::uint32_t h) {
  release({h});
  after(random_.exponential(1 / failures_->mtbf), [this, h] { random_failure(h); });
}

void DcController::inject(std::size_t i) {
  const scenario::Fault& fault = scripted_[i];
  events_->emit(trace::Category::truth, "fault.injected", faults::describe(fault));
  if (fault.kind == scenario::Fault::Kind::dc_outage && outages_++ == 0)
    events_->emit(trace::Category::truth, "dc.down", {{"dc", site_->name}});
  hold(hosts_of(fault));
  if (fault.duration > 0)
    after(fault.duration, [this, i] { clear(i); });
}

void DcController::clear(std::size_t i) {
  const scenario::Fault& fault = scripted_[i];
  events_->emit(trace::Category::truth, "fault.cleared", faults::describe(fault));
  release(hosts_of(fault));
  if (fault.kind == scenario::Fault::Kind::dc_outage && --outages_ == 0)
    events_->emit(trace::Category::truth, "dc.up", {{"dc", site_->name}});
}

void DcController::hold(const std::vector<std::uint32_t>& hosts) {
  std::vector<std::uint32_t> falling;
  for (std::uint32_t h : hosts)
    if (causes_[h]++ == 0)
      falling.push_back(h);
  hosts_down(falling);
}

void DcController::release(const std::vector<std::uint32_t>& hosts) {
  std::vector<std::uint32_t> rising;
  for (std::uint32_t h : hosts)
    if (--causes_[h] == 0)
      rising.push_back(h);
  hosts_up(rising);
}

void DcController::hosts_down(const std::vector<std::uint32_t>& hosts) {
  if (hosts.empty())
    return;
  std::vector<bool> falling(site_->hosts.size(), false);
  for (std::uint32_t h : hosts) {
    falling[h] = true;
    placer_.set_up(h, false);
    events_->emit(trace::Category::truth, "host.down", {{"dc", site_->name}, {"host", site_->hosts[h]->get_name()}});
  }
  std::vector<VmId> provisioning;
  for (auto& [id, vm] : vms_) {
    if (!falling[vm.host])
      continue;
    if (vm.activity) {
      provisioning.push_back(id);
      continue;
    }
    vm.down = true;
    events_->emit(trace::Category::truth, "vm.down", truth(id, vm));
    report(DcEventKind::vm_down, id, vm.request.owner, site_->hosts[vm.host]->get_name());
  }
  for (VmId id : provisioning) { // their transfer or boot dies with the host
    cancel(vms_.at(id).activity);
    fail(id, "hostFailure");
  }
}

void DcController::hosts_up(const std::vector<std::uint32_t>& hosts) {
  if (hosts.empty())
    return;
  std::vector<bool> rising(site_->hosts.size(), false);
  for (std::uint32_t h : hosts) {
    rising[h] = true;
    placer_.set_up(h, true);
    events_->emit(trace::Category::truth, "host.up", {{"dc", site_->name}, {"host", site_->hosts[h]->get_name()}});
  }
  for (auto& [id, vm] : vms_) {
    if (!rising[vm.host] || !vm.down)
      continue;
    vm.down = false;
    events_->emit(trace::Category::truth, "vm.up", truth(id, vm));
    report(DcEventKind::vm_up, id, vm.request.owner, site_->hosts[vm.host]->get_name());
  }
}

void DcController::on_envelope(Envelope&& envelope) {
  auto* command = std::get_if<DcCommand>(&envelope);
  if (!command)
    return; // nothing else is addressed to a DC controller
  if (command->op == DcCommand::Op::create_vm)
    create(command->vm, command->request);
  else
    destroy(command->vm);
}

nlohmann::ordered_json DcController::truth(VmId id, const Vm& vm) const {
  const HostCapacity& cap = placer_.capacity(vm.host);
  return {{"dc", site_->name},         {"vm", id},
          {"owner", vm.request.owner}, {"host", site_->hosts[vm.host]->get_name()},
          {"vcpu", vm.shape.vcpu},     {"ram", vm.shape.ram},
          {"disk", vm.shape.disk},     {"min_core_speed", vm.shape.min_core_speed},
          {"host_cores", cap.cores},   {"host_ram", cap.ram},
          {"host_disk", cap.disk},     {"host_speed", cap.speed}};
}

void DcController::report(DcEventKind kind, VmId id, const std::string& owner, const std::string& host,
                          const std::string& reason) {
  send(*cloud_, DcReport{DcEvent{kind, site_->name, id, owner, host, reason, now()}}, kDcReportBytes);
}

void DcController::create(VmId id, const VmRequest& request) {
  const VmShape shape{request.vcpu, request.ram, request.storage, request.min_core_speed};
  const auto host = vms_.count(id) ? std::nullopt : placer_.find(shape);
  if (!host) {
    const std::string reason = vms_.count(id) ? "duplicateVmId" : "noCapacity";
    events_->emit(trace::Category::truth, "vm.failed",
                  {{"dc", site_->name}, {"vm", id}, {"owner", request.owner}, {"host", ""}, {"reason", reason}});
    report(DcEventKind::vm_failed, id, request.owner, "", reason);
    return;
  }
  placer_.reserve(*host, shape);
  Vm& vm = vms_[id];
  vm.request = request;
  vm.host = *host;
  vm.shape = shape;
  sg::Host* pm = site_->hosts[*host];
  events_->emit(trace::Category::truth, "vm.placed", truth(id, vm));
  report(DcEventKind::vm_placed, id, request.owner, pm->get_name());

  vm.activity = sg::Comm::sendto_async(site_->image_store, pm, static_cast<std::uint64_t>(request.image_size));
  watch(
      vm.activity, [this, id] { boot(id); }, [this, id] { fail(id, "imageTransferFailed"); });
}

void DcController::boot(VmId id) {
  Vm& vm = vms_.at(id);
  // The SimGrid VM exists while it does simulated work. SimGrid's VM model visits every VM at every
  // simulation step, so idle VMs kept as SimGrid VMs would make each step cost O(VMs in the world); a booted,
  // idle VM is held as its host's capacity reservation (the Placer) and in ground truth instead.
  vm.vm = site_->hosts[vm.host]->create_vm(fmt::format("{}.vm{}", site_->name, id), vm.request.vcpu);
  vm.vm->start();
  vm.activity = sg::this_actor::exec_init(vm.request.boot_work)->set_host(vm.vm)->start();
  watch(
      vm.activity,
      [this, id] {
        Vm& v = vms_.at(id);
        v.activity = nullptr;
        v.vm->destroy();
        v.vm = nullptr;
        events_->emit(trace::Category::truth, "vm.booted", truth(id, v));
        report(DcEventKind::vm_booted, id, v.request.owner, site_->hosts[v.host]->get_name());
      },
      [this, id] { fail(id, "bootFailed"); });
}

void DcController::fail(VmId id, const std::string& reason) {
  Vm& vm = vms_.at(id);
  const std::string host = site_->hosts[vm.host]->get_name();
  const std::string owner = vm.request.owner;
  auto data = truth(id, vm);
  data["reason"] = reason;
  events_->emit(trace::Category::truth, "vm.failed", std::move(data));
  placer_.release(vm.host, vm.shape);
  if (vm.vm)
    vm.vm->destroy();
  vms_.erase(id);
  report(DcEventKind::vm_failed, id, owner, host, reason);
}

void DcController::destroy(VmId id) {
  auto it = vms_.find(id);
  if (it == vms_.end()) {
    report(DcEventKind::vm_failed, id, "", "", "unknownVm");
    return;
  }
  Vm& vm = it->second;
  if (vm.activity)
    cancel(vm.activity);
  const std::string host = site_->hosts[vm.host]->get_name();
  const std::string owner = vm.request.owner;
  events_->emit(trace::Category::truth, "vm.destroyed", truth(id, vm));
  placer_.release(vm.host, vm.shape);
  if (vm.vm)
    vm.vm->destroy();
  vms_.erase(it);
  report(DcEventKind::vm_destroyed, id, owner, host);
}

} // namespace i1sim::world
