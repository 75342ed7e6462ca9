// The I1 message model: what crosses the interface between the Telecom BSS/OSS and the Cloud BSS/OSS.
#pragma once

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
  int status = 0;      // responses only: an HTTP status code (201 created, 204 no content, 400 bad request, ...)
  std::string target;     // requests: the resource path; notifications: the consumer's callback address
  nlohmann::json body;    // the resource, event envelope or error, in TM Forum field names
  std::string credential; // requests only: who sends it (the X profile's operator credential; may be empty in Q)

  bool operator==(const Message& other) const = default;
};

/// Operation and event names of the I1 profile carried so far.
namespace op {
inline constexpr std::string_view create_hub = "createHub";
inline constexpr std::string_view create_service_order = "createServiceOrder";
} // namespace op

namespace event {
inline constexpr std::string_view service_order_state_change = "ServiceOrderStateChangeEvent";
inline constexpr std::string_view service_state_change = "ServiceStateChangeEvent";
} // namespace event

/// Names of the serviceCharacteristic entries that carry a cloud service's capacity and performance
/// requirements in a service order item (TM Forum Characteristic: name, valueType, value).
namespace characteristic {
inline constexpr std::string_view instances = "instances";                 // integer: VMs in the service
inline constexpr std::string_view vcpu = "vCPU";                           // integer: per VM
inline constexpr std::string_view memory_mib = "memoryMiB";                // integer: per VM
inline constexpr std::string_view storage_mib = "storageMiB";              // integer: per VM
inline constexpr std::string_view min_core_speed = "minCoreSpeedGflops";   // number: 0 for none
inline constexpr std::string_view max_activation = "maxActivationSeconds"; // number: 0 for none
} // namespace characteristic

/// Resource paths, following the TM Forum convention.
namespace path {
inline constexpr std::string_view service_ordering_hub = "/tmf-api/serviceOrdering/v4/hub";
inline constexpr std::string_view service_order = "/tmf-api/serviceOrdering/v4/serviceOrder";
} // namespace path

} // namespace i1sim
