// The I1 message model: what crosses the interface between the Telecom BSS/OSS and the Cloud BSS/OSS.
#pragma once

#include "i1sim/i1_v1.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace i1sim {

/// A request expects exactly one response; a notification is an event the producer posts to a consumer's
/// listener, which also answers it (as a TM Forum listener answers the POST of an event).
enum class MessageKind { request, response, notification };

/// Which way a message crosses I1.
enum class Direction { telecom_to_cloud, cloud_to_telecom };

std::string_view to_string(MessageKind kind);
std::string_view to_string(Direction direction);

/// One I1 message. `type` names the operation of a request and of its response (e.g. "createServiceOrder"),
/// or the event type of a notification (e.g. "ServiceOrderStateChangeEvent"). `correlation_id` is chosen by the
/// sender of a request or notification; its response carries the same value.
struct Message {
  MessageKind kind = MessageKind::request;
  std::string type;
  std::string correlation_id;
  int status = 0;         // responses only: an HTTP status code (201 created, 204 no content, 400 bad request, ...)
  std::string target;     // requests: the resource path; notifications: the consumer's callback address
  nlohmann::json body;    // the resource, event envelope or error, in TM Forum field names
  std::string credential; // requests only: who sends it (the X profile's operator credential; may be empty in Q)

  bool operator==(const Message& other) const = default;
};

// Operation and event names, enum values, types and state machines of the I1 specification are generated from
// it into i1sim/i1_v1.hpp (namespace i1sim::v1): v1::op::createServiceOrder, v1::event::ServiceStateChangeEvent,
// v1::op::find(name)->path, ...

/// Names of the serviceCharacteristic entries that carry a cloud service's capacity and performance
/// requirements in a service order item (TM Forum Characteristic: name, valueType, value).
namespace characteristic {
inline constexpr std::string_view instances = "instances";                 // integer: VMs in the service
inline constexpr std::string_view vcpu = "vCPU";                           // integer: per VM
inline constexpr std::string_view memory_mib = "memoryMiB";                // integer: per VM
inline constexpr std::string_view storage_mib = "storageMiB";              // integer: per VM
inline constexpr std::string_view min_core_speed = "minCoreSpeedGflops";   // number: 0 for none
inline constexpr std::string_view max_activation = "maxActivationSeconds"; // number: 0 for none
inline constexpr std::string_view availability = "availabilityObjective";  // number: percent
inline constexpr std::string_view jurisdictions = "allowedJurisdiction";   // list of ISO 3166-1 alpha-2 codes
} // namespace characteristic

} // namespace i1sim
