// The data-centre control API the simulator offers a Cloud-side implementation: create and destroy VMs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace i1sim {

/// What one VM needs and how it is provisioned.
struct VmRequest {
  std::string owner; // an opaque tag chosen by the implementation (e.g. its service id), echoed in events
  int vcpu = 0;
  double ram = 0;            // B
  double storage = 0;        // B
  double image_size = 0;     // B copied from the DC image store to the host before boot
  double boot_work = 0;      // flop executed on the VM to boot it
  double min_core_speed = 0; // flop/s the host's cores must reach (0: any)
};

using VmId = std::uint64_t;

/// The fate of a VM as the data centre reports it to the Cloud BSS/OSS.
enum class DcEventKind {
  vm_placed,    ///< a host was chosen and its capacity reserved; the image transfer starts
  vm_booted,    ///< the VM is running
  vm_failed,    ///< the VM could not be created or provisioned; `reason` says why; its capacity is released
  vm_destroyed, ///< the VM is gone and its capacity released
  vm_down,      ///< the VM's host failed: the VM stopped running but keeps its place and capacity
  vm_up         ///< the VM's host is back and the VM runs again
};

struct DcEvent {
  DcEventKind kind = DcEventKind::vm_placed;
  std::string dc;
  VmId vm = 0;
  std::string owner;
  std::string host;   // empty until placed
  std::string reason; // vm_failed only: a reason code, e.g. "noCapacity"
  double time = 0;    // simulated s at which it happened in the data centre (it is reported a little later)
};

/// A data centre as the Cloud BSS/OSS sees it when choosing where to place.
struct DcInfo {
  std::string name;
  std::string jurisdiction;
  std::size_t hosts = 0;
  long long total_cores = 0;
  long long free_cores = 0;
};

/// Asynchronous: every call returns at once, and its outcome arrives later as DcEvents delivered to the
/// implementation's on_dc_event(), after travelling the WAN between the DC and the Cloud BSS/OSS site.
class DcControl {
public:
  virtual ~DcControl() = default;
  virtual std::vector<DcInfo> data_centres() const = 0;
  /// Asks data centre `dc` to place, provision and boot a VM. Returns the VM's id at once.
  virtual VmId create_vm(const std::string& dc, const VmRequest& request) = 0;
  /// Asks data centre `dc` to destroy VM `vm`, whatever its stage.
  virtual void destroy_vm(const std::string& dc, VmId vm) = 0;
};

} // namespace i1sim
