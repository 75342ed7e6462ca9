// Everything that travels between the simulation's daemons, as one closed set of payload types.
#pragma once

#include "i1sim/dc_control.hpp"
#include "i1sim/message.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <variant>

namespace i1sim::world {

/// An encoded I1 message in flight; its simulated size is wire.size().
struct I1Frame {
  std::string wire;
  Direction direction = Direction::telecom_to_cloud;
  double sent_at = 0;
  /// decode(wire), worked out by the sender from the message it encoded (i1::decode_encoded), so that the
  /// receiver need not parse the text; empty when the receiver must decode it. The copies of a duplicated frame
  /// share it; delivering a frame uses it up (mutable: delivery reads the frame, as it did when it only
  /// decoded), and a frame delivered again decodes its text, which gives the same message.
  mutable std::shared_ptr<Message> decoded = nullptr;
};

/// Cloud BSS/OSS -> DC controller.
struct DcCommand {
  enum class Op { create_vm, destroy_vm };
  Op op = Op::create_vm;
  VmId vm = 0;
  VmRequest request;
};

/// DC controller -> Cloud BSS/OSS.
struct DcReport {
  DcEvent event;
};

/// Telecom BSS -> Telecom OSS: a customer bought a product whose cloud part must be ordered over I1.
struct ProductOrder {
  std::string id;
  std::string customer;
  std::string product;
};

/// Telecom BSS -> Telecom OSS: a customer changes an active product: scales its cloud part or ends it.
struct ProductChange {
  enum class Kind { modify, terminate };
  std::string id; // the product order that bought it
  Kind kind = Kind::modify;
  int instances = 0; // modify: the new number of VMs
};

/// Telecom OSS -> Telecom BSS: the outcome of a product order (kind resolved) or of a change.
struct ProductStatus {
  enum class Kind { resolved, modified, terminated };
  std::string id;
  bool active = false; // resolved: whether the product became active; changes: whether the change succeeded
  std::string reason;
  Kind kind = Kind::resolved;
};

using Envelope = std::variant<I1Frame, DcCommand, DcReport, ProductOrder, ProductStatus, ProductChange>;

/// Simulated sizes of the control messages that are not I1 (I1 frames weigh their encoded length).
inline constexpr std::uint64_t kDcCommandBytes = 512;
inline constexpr std::uint64_t kDcReportBytes = 256;
inline constexpr std::uint64_t kProductMessageBytes = 256;

} // namespace i1sim::world
