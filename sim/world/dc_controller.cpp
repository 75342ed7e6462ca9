// VM lifecycle inside a data centre, as SimGrid activities owned by the controller daemon.
#include "world/dc_controller.hpp"

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
    , random_(Random::for_stream(seed, site.name + ".failures")) {}

void DcController::on_start() {
  if (!failures_)
    return;
  // Each host fails after an exponential time with mean MTBF and is repaired after an exponential time with
  // the mean repair time, independently of the others: one draw sequence per DC, so runs are reproducible.
  for (std::uint32_t h = 0; h < site_->hosts.size(); ++h)
    after(failures_->start + random_.exponential(1 / failures_->mtbf), [this, h] { host_down(h); });
}

void DcController::host_down(std::uint32_t h) {
  const std::string host = site_->hosts[h]->get_name();
  placer_.set_up(h, false);
  events_->emit(trace::Category::truth, "host.down", {{"dc", site_->name}, {"host", host}});
  std::vector<VmId> provisioning;
  for (auto& [id, vm] : vms_) {
    if (vm.host != h)
      continue;
    if (vm.activity) {
      provisioning.push_back(id);
      continue;
    }
    vm.down = true;
    events_->emit(trace::Category::truth, "vm.down", truth(id, vm));
    report(DcEventKind::vm_down, id, vm.request.owner, host);
  }
  for (VmId id : provisioning) { // their transfer or boot dies with the host
    cancel(vms_.at(id).activity);
    fail(id, "hostFailure");
  }
  after(random_.exponential(1 / failures_->repair), [this, h] { host_up(h); });
}

void DcController::host_up(std::uint32_t h) {
  const std::string host = site_->hosts[h]->get_name();
  placer_.set_up(h, true);
  events_->emit(trace::Category::truth, "host.up", {{"dc", site_->name}, {"host", host}});
  for (auto& [id, vm] : vms_) {
    if (vm.host != h || !vm.down)
      continue;
    vm.down = false;
    events_->emit(trace::Category::truth, "vm.up", truth(id, vm));
    report(DcEventKind::vm_up, id, vm.request.owner, host);
  }
  after(random_.exponential(1 / failures_->mtbf), [this, h] { host_down(h); });
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
