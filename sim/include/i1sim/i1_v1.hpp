// Generated from conformance/spec/i1-v1.yaml by `i1sim spec cpp`; do not edit. The I1 model as constexpr tables.
// Regenerate with: i1sim spec cpp conformance/spec/i1-v1.yaml --out sim/include/i1sim/i1_v1.hpp
// tests/unit/spec_model_test.cpp fails while this header and the specification disagree.
// Laid out one entry a line, so that a change of the specification is a small change here; formatters
// leave it as it is:
// clang-format off
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace i1sim::v1 {

/// One operation. `name` is the Message::type of its request and of its response.
struct OperationInfo {
  std::string_view name;
  /// GET, POST, PATCH or DELETE.
  std::string_view method;
  /// The REST path, with {id} placeholders.
  std::string_view path;
  /// The type of the request body; empty when the request has none.
  std::string_view request_type;
};

/// One notification. `name` is its eventType; the envelope's event holds a `resource` under `key`.
struct NotificationInfo {
  std::string_view name;
  std::string_view resource;
  std::string_view key;
};

/// An enum and all its values.
struct EnumInfo {
  std::string_view name;
  std::span<const std::string_view> values;
};

/// One field of a type. `type_text` is its type as the specification writes it, e.g. array<Characteristic>.
struct FieldInfo {
  std::string_view name;
  std::string_view type_text;
  bool mandatory;
};

/// A type: the body of a request, a response or a notification, or a part of one.
struct TypeInfo {
  std::string_view name;
  std::span<const FieldInfo> fields;
};

/// A legal change of state.
struct TransitionInfo {
  std::string_view from;
  std::string_view to;
};

/// A state machine. Its states are the values of the enum-typed `field` of `type`.
struct MachineInfo {
  std::string_view name;
  std::string_view type;
  std::string_view field;
  std::span<const std::string_view> initial;
  std::span<const std::string_view> final;
  std::span<const TransitionInfo> transitions;
};

/// The version of the specification this header was generated from.
inline constexpr std::string_view spec_version = "1.0.0";

/// Operation names (the Message::type of requests and responses) and their REST binding.
namespace op {
inline constexpr std::string_view createHub = "createHub";
inline constexpr std::string_view deleteHub = "deleteHub";
inline constexpr std::string_view createCustomer = "createCustomer";
inline constexpr std::string_view patchCustomer = "patchCustomer";
inline constexpr std::string_view createServiceOrder = "createServiceOrder";
inline constexpr std::string_view retrieveServiceOrder = "retrieveServiceOrder";
inline constexpr std::string_view createCancelServiceOrder = "createCancelServiceOrder";
inline constexpr std::string_view retrieveService = "retrieveService";
inline constexpr std::string_view listService = "listService";
inline constexpr std::string_view createMeasurementCollectionJob = "createMeasurementCollectionJob";
inline constexpr std::string_view deleteMeasurementCollectionJob = "deleteMeasurementCollectionJob";
inline constexpr std::string_view listAlarm = "listAlarm";
inline constexpr std::string_view ackAlarms = "ackAlarms";
inline constexpr std::string_view listUsage = "listUsage";
inline constexpr std::string_view createCustomerBillOnDemand = "createCustomerBillOnDemand";
inline constexpr std::string_view updateCustomerBill = "updateCustomerBill";
inline constexpr std::array<OperationInfo, 16> all{{
    {"createHub", "POST", "/tmf-api/i1/v1/hub", "HubCreate"},
    {"deleteHub", "DELETE", "/tmf-api/i1/v1/hub/{id}", ""},
    {"createCustomer", "POST", "/tmf-api/customerManagement/v4/customer", "CustomerCreate"},
    {"patchCustomer", "PATCH", "/tmf-api/customerManagement/v4/customer/{id}", "CustomerUpdate"},
    {"createServiceOrder", "POST", "/tmf-api/serviceOrdering/v4/serviceOrder", "ServiceOrderCreate"},
    {"retrieveServiceOrder", "GET", "/tmf-api/serviceOrdering/v4/serviceOrder/{id}", ""},
    {"createCancelServiceOrder", "POST", "/tmf-api/serviceOrdering/v4/cancelServiceOrder", "CancelServiceOrderCreate"},
    {"retrieveService", "GET", "/tmf-api/serviceInventory/v4/service/{id}", ""},
    {"listService", "GET", "/tmf-api/serviceInventory/v4/service", ""},
    {"createMeasurementCollectionJob", "POST", "/tmf-api/performance/v4/measurementCollectionJob",
     "MeasurementCollectionJobCreate"},
    {"deleteMeasurementCollectionJob", "DELETE", "/tmf-api/performance/v4/measurementCollectionJob/{id}", ""},
    {"listAlarm", "GET", "/tmf-api/alarm/v4/alarm", ""},
    {"ackAlarms", "POST", "/tmf-api/alarm/v4/ackAlarms", "AckAlarmsCreate"},
    {"listUsage", "GET", "/tmf-api/usageManagement/v4/usage", ""},
    {"createCustomerBillOnDemand", "POST", "/tmf-api/customerBillManagement/v4/customerBillOnDemand",
     "CustomerBillOnDemandCreate"},
    {"updateCustomerBill", "PATCH", "/tmf-api/customerBillManagement/v4/customerBill/{id}", "CustomerBillUpdate"},
}};
/// The operation named `name`, or nullptr.
constexpr const OperationInfo* find(std::string_view name) {
  for (const OperationInfo& entry : all)
    if (entry.name == name)
      return &entry;
  return nullptr;
}
} // namespace op

/// Notification names (the eventType of an envelope) and what each carries.
namespace event {
inline constexpr std::string_view ServiceOrderStateChangeEvent = "ServiceOrderStateChangeEvent";
inline constexpr std::string_view ServiceOrderItemStateChangeEvent = "ServiceOrderItemStateChangeEvent";
inline constexpr std::string_view CancelServiceOrderStateChangeEvent = "CancelServiceOrderStateChangeEvent";
inline constexpr std::string_view ServiceStateChangeEvent = "ServiceStateChangeEvent";
inline constexpr std::string_view ServiceOperatingStatusChangeEvent = "ServiceOperatingStatusChangeEvent";
inline constexpr std::string_view MeasurementCollectionJobStateChangeEvent = "MeasurementCollectionJobStateChangeEvent";
inline constexpr std::string_view PerformanceReportEvent = "PerformanceReportEvent";
inline constexpr std::string_view AlarmCreateEvent = "AlarmCreateEvent";
inline constexpr std::string_view AlarmStateChangeEvent = "AlarmStateChangeEvent";
inline constexpr std::string_view UsageCreateEvent = "UsageCreateEvent";
inline constexpr std::string_view UsageStateChangeEvent = "UsageStateChangeEvent";
inline constexpr std::string_view CustomerBillCreateEvent = "CustomerBillCreateEvent";
inline constexpr std::string_view CustomerBillStateChangeEvent = "CustomerBillStateChangeEvent";
inline constexpr std::string_view ServiceLevelViolationCreateEvent = "ServiceLevelViolationCreateEvent";
inline constexpr std::array<NotificationInfo, 14> all{{
    {"ServiceOrderStateChangeEvent", "ServiceOrder", "serviceOrder"},
    {"ServiceOrderItemStateChangeEvent", "ServiceOrder", "serviceOrder"},
    {"CancelServiceOrderStateChangeEvent", "CancelServiceOrder", "cancelServiceOrder"},
    {"ServiceStateChangeEvent", "Service", "service"},
    {"ServiceOperatingStatusChangeEvent", "Service", "service"},
    {"MeasurementCollectionJobStateChangeEvent", "MeasurementCollectionJob", "measurementCollectionJob"},
    {"PerformanceReportEvent", "PerformanceReport", "performanceReport"},
    {"AlarmCreateEvent", "Alarm", "alarm"},
    {"AlarmStateChangeEvent", "Alarm", "alarm"},
    {"UsageCreateEvent", "Usage", "usage"},
    {"UsageStateChangeEvent", "Usage", "usage"},
    {"CustomerBillCreateEvent", "CustomerBill", "customerBill"},
    {"CustomerBillStateChangeEvent", "CustomerBill", "customerBill"},
    {"ServiceLevelViolationCreateEvent", "ServiceLevelViolation", "serviceLevelViolation"},
}};
/// The notification named `name`, or nullptr.
constexpr const NotificationInfo* find(std::string_view name) {
  for (const NotificationInfo& entry : all)
    if (entry.name == name)
      return &entry;
  return nullptr;
}
} // namespace event

namespace ServiceOrderStateType {
inline constexpr std::string_view acknowledged = "acknowledged";
inline constexpr std::string_view rejected = "rejected";
inline constexpr std::string_view pending = "pending";
inline constexpr std::string_view held = "held";
inline constexpr std::string_view inProgress = "inProgress";
inline constexpr std::string_view completed = "completed";
inline constexpr std::string_view failed = "failed";
inline constexpr std::string_view partial = "partial";
inline constexpr std::string_view assessingCancellation = "assessingCancellation";
inline constexpr std::string_view pendingCancellation = "pendingCancellation";
inline constexpr std::string_view cancelled = "cancelled";
inline constexpr std::array<std::string_view, 11> values{
    "acknowledged",
    "rejected",
    "pending",
    "held",
    "inProgress",
    "completed",
    "failed",
    "partial",
    "assessingCancellation",
    "pendingCancellation",
    "cancelled",
};
} // namespace ServiceOrderStateType

namespace ServiceOrderItemStateType {
inline constexpr std::string_view acknowledged = "acknowledged";
inline constexpr std::string_view rejected = "rejected";
inline constexpr std::string_view held = "held";
inline constexpr std::string_view inProgress = "inProgress";
inline constexpr std::string_view completed = "completed";
inline constexpr std::string_view failed = "failed";
inline constexpr std::string_view assessingCancellation = "assessingCancellation";
inline constexpr std::string_view pendingCancellation = "pendingCancellation";
inline constexpr std::string_view cancelled = "cancelled";
inline constexpr std::array<std::string_view, 9> values{
    "acknowledged",
    "rejected",
    "held",
    "inProgress",
    "completed",
    "failed",
    "assessingCancellation",
    "pendingCancellation",
    "cancelled",
};
} // namespace ServiceOrderItemStateType

namespace ItemActionType {
inline constexpr std::string_view add = "add";
inline constexpr std::string_view modify = "modify";
inline constexpr std::string_view delete_ = "delete";
inline constexpr std::string_view noChange = "noChange";
inline constexpr std::array<std::string_view, 4> values{
    "add",
    "modify",
    "delete",
    "noChange",
};
} // namespace ItemActionType

namespace TaskStateType {
inline constexpr std::string_view accepted = "accepted";
inline constexpr std::string_view terminatedWithError = "terminatedWithError";
inline constexpr std::string_view inProgress = "inProgress";
inline constexpr std::string_view done = "done";
inline constexpr std::array<std::string_view, 4> values{
    "accepted",
    "terminatedWithError",
    "inProgress",
    "done",
};
} // namespace TaskStateType

namespace ServiceStateType {
inline constexpr std::string_view feasibilityChecked = "feasibilityChecked";
inline constexpr std::string_view designed = "designed";
inline constexpr std::string_view reserved = "reserved";
inline constexpr std::string_view inactive = "inactive";
inline constexpr std::string_view active = "active";
inline constexpr std::string_view terminated = "terminated";
inline constexpr std::array<std::string_view, 6> values{
    "feasibilityChecked",
    "designed",
    "reserved",
    "inactive",
    "active",
    "terminated",
};
} // namespace ServiceStateType

namespace ServiceOperatingStatusType {
inline constexpr std::string_view pending = "pending";
inline constexpr std::string_view configured = "configured";
inline constexpr std::string_view starting = "starting";
inline constexpr std::string_view running = "running";
inline constexpr std::string_view degraded = "degraded";
inline constexpr std::string_view failed = "failed";
inline constexpr std::string_view limited = "limited";
inline constexpr std::string_view stopping = "stopping";
inline constexpr std::string_view stopped = "stopped";
inline constexpr std::string_view unknown = "unknown";
inline constexpr std::array<std::string_view, 10> values{
    "pending",
    "configured",
    "starting",
    "running",
    "degraded",
    "failed",
    "limited",
    "stopping",
    "stopped",
    "unknown",
};
} // namespace ServiceOperatingStatusType

namespace ExecutionStateType {
inline constexpr std::string_view acknowledged = "acknowledged";
inline constexpr std::string_view rejected = "rejected";
inline constexpr std::string_view pending = "pending";
inline constexpr std::string_view inProgress = "inProgress";
inline constexpr std::string_view cancelled = "cancelled";
inline constexpr std::string_view completed = "completed";
inline constexpr std::string_view failed = "failed";
inline constexpr std::array<std::string_view, 7> values{
    "acknowledged",
    "rejected",
    "pending",
    "inProgress",
    "cancelled",
    "completed",
    "failed",
};
} // namespace ExecutionStateType

namespace GranularityType {
inline constexpr std::string_view g_15mn = "g_15mn";
inline constexpr std::string_view g_30mn = "g_30mn";
inline constexpr std::string_view g_1h = "g_1h";
inline constexpr std::string_view g_24h = "g_24h";
inline constexpr std::array<std::string_view, 4> values{
    "g_15mn",
    "g_30mn",
    "g_1h",
    "g_24h",
};
} // namespace GranularityType

namespace AlarmStateType {
inline constexpr std::string_view raised = "raised";
inline constexpr std::string_view updated = "updated";
inline constexpr std::string_view cleared = "cleared";
inline constexpr std::array<std::string_view, 3> values{
    "raised",
    "updated",
    "cleared",
};
} // namespace AlarmStateType

namespace AckStateType {
inline constexpr std::string_view unacknowledged = "unacknowledged";
inline constexpr std::string_view acknowledged = "acknowledged";
inline constexpr std::array<std::string_view, 2> values{
    "unacknowledged",
    "acknowledged",
};
} // namespace AckStateType

namespace PerceivedSeverityType {
inline constexpr std::string_view critical = "critical";
inline constexpr std::string_view major = "major";
inline constexpr std::string_view minor = "minor";
inline constexpr std::string_view warning = "warning";
inline constexpr std::string_view indeterminate = "indeterminate";
inline constexpr std::string_view cleared = "cleared";
inline constexpr std::array<std::string_view, 6> values{
    "critical",
    "major",
    "minor",
    "warning",
    "indeterminate",
    "cleared",
};
} // namespace PerceivedSeverityType

namespace AlarmType {
inline constexpr std::string_view communicationsAlarm = "communicationsAlarm";
inline constexpr std::string_view processingErrorAlarm = "processingErrorAlarm";
inline constexpr std::string_view environmentalAlarm = "environmentalAlarm";
inline constexpr std::string_view qualityOfServiceAlarm = "qualityOfServiceAlarm";
inline constexpr std::string_view equipmentAlarm = "equipmentAlarm";
inline constexpr std::array<std::string_view, 5> values{
    "communicationsAlarm",
    "processingErrorAlarm",
    "environmentalAlarm",
    "qualityOfServiceAlarm",
    "equipmentAlarm",
};
} // namespace AlarmType

namespace UsageStatusType {
inline constexpr std::string_view received = "received";
inline constexpr std::string_view rejected = "rejected";
inline constexpr std::string_view recycled = "recycled";
inline constexpr std::string_view guided = "guided";
inline constexpr std::string_view rated = "rated";
inline constexpr std::string_view rerated = "rerated";
inline constexpr std::string_view billed = "billed";
inline constexpr std::array<std::string_view, 7> values{
    "received",
    "rejected",
    "recycled",
    "guided",
    "rated",
    "rerated",
    "billed",
};
} // namespace UsageStatusType

namespace CustomerBillStateType {
inline constexpr std::string_view new_ = "new";
inline constexpr std::string_view onHold = "onHold";
inline constexpr std::string_view validated = "validated";
inline constexpr std::string_view sent = "sent";
inline constexpr std::string_view partiallyPaid = "partiallyPaid";
inline constexpr std::string_view settled = "settled";
inline constexpr std::array<std::string_view, 6> values{
    "new",
    "onHold",
    "validated",
    "sent",
    "partiallyPaid",
    "settled",
};
} // namespace CustomerBillStateType

namespace BillRunType {
inline constexpr std::string_view onCycle = "onCycle";
inline constexpr std::string_view offCycle = "offCycle";
inline constexpr std::array<std::string_view, 2> values{
    "onCycle",
    "offCycle",
};
} // namespace BillRunType

namespace BillingRateType {
inline constexpr std::string_view usage = "usage";
inline constexpr std::string_view slaCredit = "slaCredit";
inline constexpr std::array<std::string_view, 2> values{
    "usage",
    "slaCredit",
};
} // namespace BillingRateType

namespace OnDemandStateType {
inline constexpr std::string_view inProgress = "inProgress";
inline constexpr std::string_view rejected = "rejected";
inline constexpr std::string_view done = "done";
inline constexpr std::string_view terminatedWithError = "terminatedWithError";
inline constexpr std::array<std::string_view, 4> values{
    "inProgress",
    "rejected",
    "done",
    "terminatedWithError",
};
} // namespace OnDemandStateType

namespace CustomerStatusType {
inline constexpr std::string_view initialized = "initialized";
inline constexpr std::string_view validated = "validated";
inline constexpr std::string_view closed = "closed";
inline constexpr std::array<std::string_view, 3> values{
    "initialized",
    "validated",
    "closed",
};
} // namespace CustomerStatusType

/// Every enum of the specification.
inline constexpr std::array<EnumInfo, 18> enums{{
    {"ServiceOrderStateType", ServiceOrderStateType::values},
    {"ServiceOrderItemStateType", ServiceOrderItemStateType::values},
    {"ItemActionType", ItemActionType::values},
    {"TaskStateType", TaskStateType::values},
    {"ServiceStateType", ServiceStateType::values},
    {"ServiceOperatingStatusType", ServiceOperatingStatusType::values},
    {"ExecutionStateType", ExecutionStateType::values},
    {"GranularityType", GranularityType::values},
    {"AlarmStateType", AlarmStateType::values},
    {"AckStateType", AckStateType::values},
    {"PerceivedSeverityType", PerceivedSeverityType::values},
    {"AlarmType", AlarmType::values},
    {"UsageStatusType", UsageStatusType::values},
    {"CustomerBillStateType", CustomerBillStateType::values},
    {"BillRunType", BillRunType::values},
    {"BillingRateType", BillingRateType::values},
    {"OnDemandStateType", OnDemandStateType::values},
    {"CustomerStatusType", CustomerStatusType::values},
}};

/// The fields of each type.
namespace fields {
inline constexpr std::array<FieldInfo, 5> Error{{
    {"code", "string", true},
    {"reason", "string", true},
    {"message", "string", false},
    {"status", "string", false},
    {"referenceError", "string", false},
}};
inline constexpr std::array<FieldInfo, 2> Money{{
    {"unit", "string", true},
    {"value", "integer", true},
}};
inline constexpr std::array<FieldInfo, 2> TimePeriod{{
    {"startDateTime", "date-time", true},
    {"endDateTime", "date-time", true},
}};
inline constexpr std::array<FieldInfo, 3> Characteristic{{
    {"name", "string", true},
    {"valueType", "string", false},
    {"value", "any", true},
}};
inline constexpr std::array<FieldInfo, 3> RelatedParty{{
    {"id", "string", true},
    {"role", "string", true},
    {"name", "string", false},
}};
inline constexpr std::array<FieldInfo, 2> EntityRef{{
    {"id", "string", true},
    {"href", "string", false},
}};
inline constexpr std::array<FieldInfo, 3> Place{{
    {"id", "string", true},
    {"role", "string", true},
    {"jurisdiction", "string", true},
}};
inline constexpr std::array<FieldInfo, 4> EventEnvelope{{
    {"eventId", "string", true},
    {"eventTime", "date-time", true},
    {"eventType", "string", true},
    {"event", "object", true},
}};
inline constexpr std::array<FieldInfo, 2> HubCreate{{
    {"callback", "string", true},
    {"query", "string", false},
}};
inline constexpr std::array<FieldInfo, 3> Hub{{
    {"id", "string", true},
    {"callback", "string", true},
    {"query", "string", true},
}};
inline constexpr std::array<FieldInfo, 4> ServiceRefOrValue{{
    {"id", "string", false},
    {"serviceSpecification", "EntityRef", false},
    {"serviceCharacteristic", "array<Characteristic>", false},
    {"place", "array<Place>", false},
}};
inline constexpr std::array<FieldInfo, 3> ServiceOrderItemCreate{{
    {"id", "string", true},
    {"action", "ItemActionType", true},
    {"service", "ServiceRefOrValue", true},
}};
inline constexpr std::array<FieldInfo, 5> ServiceOrderCreate{{
    {"externalId", "string", true},
    {"description", "string", false},
    {"requestedCompletionDate", "date-time", false},
    {"relatedParty", "array<RelatedParty>", true},
    {"serviceOrderItem", "array<ServiceOrderItemCreate>", true},
}};
inline constexpr std::array<FieldInfo, 5> ErrorMessage{{
    {"code", "string", true},
    {"reason", "string", true},
    {"message", "string", false},
    {"timestamp", "date-time", true},
    {"serviceOrderItem", "array<EntityRef>", true},
}};
inline constexpr std::array<FieldInfo, 4> ServiceOrderItem{{
    {"id", "string", true},
    {"action", "ItemActionType", true},
    {"state", "ServiceOrderItemStateType", true},
    {"service", "ServiceRefOrValue", true},
}};
inline constexpr std::array<FieldInfo, 13> ServiceOrder{{
    {"id", "string", true},
    {"href", "string", true},
    {"externalId", "string", true},
    {"description", "string", false},
    {"state", "ServiceOrderStateType", true},
    {"orderDate", "date-time", true},
    {"requestedCompletionDate", "date-time", false},
    {"completionDate", "date-time", false},
    {"cancellationDate", "date-time", false},
    {"cancellationReason", "string", false},
    {"relatedParty", "array<RelatedParty>", true},
    {"serviceOrderItem", "array<ServiceOrderItem>", true},
    {"errorMessage", "array<ErrorMessage>", false},
}};
inline constexpr std::array<FieldInfo, 2> CancelServiceOrderCreate{{
    {"serviceOrder", "EntityRef", true},
    {"cancellationReason", "string", false},
}};
inline constexpr std::array<FieldInfo, 6> CancelServiceOrder{{
    {"id", "string", true},
    {"serviceOrder", "EntityRef", true},
    {"state", "TaskStateType", true},
    {"cancellationReason", "string", false},
    {"effectiveCancellationDate", "date-time", false},
    {"errorMessage", "string", false},
}};
inline constexpr std::array<FieldInfo, 12> Service{{
    {"id", "string", true},
    {"href", "string", true},
    {"name", "string", false},
    {"state", "ServiceStateType", true},
    {"operatingStatus", "ServiceOperatingStatusType", true},
    {"serviceSpecification", "EntityRef", true},
    {"serviceCharacteristic", "array<Characteristic>", true},
    {"relatedParty", "array<RelatedParty>", true},
    {"place", "array<Place>", true},
    {"startDate", "date-time", false},
    {"endDate", "date-time", false},
    {"serviceOrder", "EntityRef", false},
}};
inline constexpr std::array<FieldInfo, 3> MeasurementCollectionJobCreate{{
    {"service", "EntityRef", true},
    {"granularity", "GranularityType", true},
    {"performanceIndicator", "array<string>", true},
}};
inline constexpr std::array<FieldInfo, 7> MeasurementCollectionJob{{
    {"id", "string", true},
    {"href", "string", true},
    {"service", "EntityRef", true},
    {"granularity", "GranularityType", true},
    {"performanceIndicator", "array<string>", true},
    {"executionState", "ExecutionStateType", true},
    {"creationTime", "date-time", true},
}};
inline constexpr std::array<FieldInfo, 3> Measurement{{
    {"indicator", "string", true},
    {"value", "number", true},
    {"unit", "string", true},
}};
inline constexpr std::array<FieldInfo, 5> PerformanceReport{{
    {"id", "string", true},
    {"measurementCollectionJob", "EntityRef", true},
    {"service", "EntityRef", true},
    {"period", "TimePeriod", true},
    {"measurement", "array<Measurement>", true},
}};
inline constexpr std::array<FieldInfo, 1> AlarmRef{{
    {"id", "string", true},
}};
inline constexpr std::array<FieldInfo, 14> Alarm{{
    {"id", "string", true},
    {"href", "string", true},
    {"alarmType", "AlarmType", true},
    {"perceivedSeverity", "PerceivedSeverityType", true},
    {"probableCause", "string", true},
    {"specificProblem", "string", false},
    {"alarmedObject", "EntityRef", true},
    {"sourceSystemId", "string", true},
    {"serviceAffecting", "boolean", true},
    {"state", "AlarmStateType", true},
    {"ackState", "AckStateType", true},
    {"alarmRaisedTime", "date-time", true},
    {"alarmChangedTime", "date-time", false},
    {"alarmClearedTime", "date-time", false},
}};
inline constexpr std::array<FieldInfo, 2> AckAlarmsCreate{{
    {"alarmPattern", "array<AlarmRef>", true},
    {"ackSystemId", "string", true},
}};
inline constexpr std::array<FieldInfo, 3> AckAlarms{{
    {"id", "string", true},
    {"state", "TaskStateType", true},
    {"ackedAlarm", "array<AlarmRef>", true},
}};
inline constexpr std::array<FieldInfo, 10> Usage{{
    {"id", "string", true},
    {"href", "string", true},
    {"usageDate", "date-time", true},
    {"usageType", "string", true},
    {"status", "UsageStatusType", true},
    {"service", "EntityRef", true},
    {"usagePeriod", "TimePeriod", true},
    {"relatedParty", "array<RelatedParty>", true},
    {"usageCharacteristic", "array<Characteristic>", true},
    {"ratedProductUsage", "array<RatedProductUsage>", true},
}};
inline constexpr std::array<FieldInfo, 3> RatedProductUsage{{
    {"ratingDate", "date-time", true},
    {"isBilled", "boolean", true},
    {"taxExcludedRatingAmount", "Money", true},
}};
inline constexpr std::array<FieldInfo, 4> AppliedBillingRate{{
    {"type", "BillingRateType", true},
    {"service", "EntityRef", true},
    {"amount", "Money", true},
    {"usage", "array<EntityRef>", false},
}};
inline constexpr std::array<FieldInfo, 5> SlaCompliance{{
    {"service", "EntityRef", true},
    {"objective", "number", true},
    {"measured", "number", true},
    {"compliant", "boolean", true},
    {"credit", "Money", true},
}};
inline constexpr std::array<FieldInfo, 11> CustomerBill{{
    {"id", "string", true},
    {"href", "string", true},
    {"billNo", "string", true},
    {"state", "CustomerBillStateType", true},
    {"runType", "BillRunType", true},
    {"billDate", "date-time", true},
    {"billingPeriod", "TimePeriod", true},
    {"relatedParty", "array<RelatedParty>", true},
    {"appliedBillingRate", "array<AppliedBillingRate>", true},
    {"serviceLevelCompliance", "array<SlaCompliance>", true},
    {"amountDue", "Money", true},
}};
inline constexpr std::array<FieldInfo, 1> CustomerBillUpdate{{
    {"state", "CustomerBillStateType", true},
}};
inline constexpr std::array<FieldInfo, 2> CustomerBillOnDemandCreate{{
    {"relatedParty", "array<RelatedParty>", true},
    {"description", "string", false},
}};
inline constexpr std::array<FieldInfo, 4> CustomerBillOnDemand{{
    {"id", "string", true},
    {"state", "OnDemandStateType", true},
    {"relatedParty", "array<RelatedParty>", true},
    {"customerBill", "CustomerBill", false},
}};
inline constexpr std::array<FieldInfo, 6> ServiceLevelViolation{{
    {"id", "string", true},
    {"service", "EntityRef", true},
    {"objective", "number", true},
    {"actualValue", "number", true},
    {"period", "TimePeriod", true},
    {"violationTime", "date-time", true},
}};
inline constexpr std::array<FieldInfo, 5> CustomerCreate{{
    {"id", "string", true},
    {"name", "string", true},
    {"relatedParty", "array<RelatedParty>", true},
    {"allowedJurisdiction", "array<string>", true},
    {"currency", "string", true},
}};
inline constexpr std::array<FieldInfo, 7> Customer{{
    {"id", "string", true},
    {"href", "string", true},
    {"name", "string", true},
    {"status", "CustomerStatusType", true},
    {"relatedParty", "array<RelatedParty>", true},
    {"allowedJurisdiction", "array<string>", true},
    {"currency", "string", true},
}};
inline constexpr std::array<FieldInfo, 3> CustomerUpdate{{
    {"name", "string", false},
    {"allowedJurisdiction", "array<string>", false},
    {"status", "CustomerStatusType", false},
}};
} // namespace fields

/// Every type of the specification.
inline constexpr std::array<TypeInfo, 39> types{{
    {"Error", fields::Error},
    {"Money", fields::Money},
    {"TimePeriod", fields::TimePeriod},
    {"Characteristic", fields::Characteristic},
    {"RelatedParty", fields::RelatedParty},
    {"EntityRef", fields::EntityRef},
    {"Place", fields::Place},
    {"EventEnvelope", fields::EventEnvelope},
    {"HubCreate", fields::HubCreate},
    {"Hub", fields::Hub},
    {"ServiceRefOrValue", fields::ServiceRefOrValue},
    {"ServiceOrderItemCreate", fields::ServiceOrderItemCreate},
    {"ServiceOrderCreate", fields::ServiceOrderCreate},
    {"ErrorMessage", fields::ErrorMessage},
    {"ServiceOrderItem", fields::ServiceOrderItem},
    {"ServiceOrder", fields::ServiceOrder},
    {"CancelServiceOrderCreate", fields::CancelServiceOrderCreate},
    {"CancelServiceOrder", fields::CancelServiceOrder},
    {"Service", fields::Service},
    {"MeasurementCollectionJobCreate", fields::MeasurementCollectionJobCreate},
    {"MeasurementCollectionJob", fields::MeasurementCollectionJob},
    {"Measurement", fields::Measurement},
    {"PerformanceReport", fields::PerformanceReport},
    {"AlarmRef", fields::AlarmRef},
    {"Alarm", fields::Alarm},
    {"AckAlarmsCreate", fields::AckAlarmsCreate},
    {"AckAlarms", fields::AckAlarms},
    {"Usage", fields::Usage},
    {"RatedProductUsage", fields::RatedProductUsage},
    {"AppliedBillingRate", fields::AppliedBillingRate},
    {"SlaCompliance", fields::SlaCompliance},
    {"CustomerBill", fields::CustomerBill},
    {"CustomerBillUpdate", fields::CustomerBillUpdate},
    {"CustomerBillOnDemandCreate", fields::CustomerBillOnDemandCreate},
    {"CustomerBillOnDemand", fields::CustomerBillOnDemand},
    {"ServiceLevelViolation", fields::ServiceLevelViolation},
    {"CustomerCreate", fields::CustomerCreate},
    {"Customer", fields::Customer},
    {"CustomerUpdate", fields::CustomerUpdate},
}};

namespace machine::serviceOrder {
inline constexpr std::array<std::string_view, 1> initial{
    "acknowledged",
};
inline constexpr std::array<std::string_view, 5> final{
    "rejected",
    "completed",
    "failed",
    "partial",
    "cancelled",
};
inline constexpr std::array<TransitionInfo, 18> transitions{{
    {"acknowledged", "rejected"},
    {"acknowledged", "inProgress"},
    {"acknowledged", "failed"},
    {"inProgress", "held"},
    {"held", "inProgress"},
    {"inProgress", "pending"},
    {"pending", "inProgress"},
    {"inProgress", "completed"},
    {"inProgress", "failed"},
    {"inProgress", "partial"},
    {"acknowledged", "assessingCancellation"},
    {"inProgress", "assessingCancellation"},
    {"held", "assessingCancellation"},
    {"pending", "assessingCancellation"},
    {"assessingCancellation", "pendingCancellation"},
    {"assessingCancellation", "inProgress"},
    {"assessingCancellation", "acknowledged"},
    {"pendingCancellation", "cancelled"},
}};
inline constexpr MachineInfo info{"serviceOrder", "ServiceOrder", "state", initial, final, transitions};
} // namespace machine::serviceOrder

namespace machine::serviceOrderItem {
inline constexpr std::array<std::string_view, 1> initial{
    "acknowledged",
};
inline constexpr std::array<std::string_view, 4> final{
    "rejected",
    "completed",
    "failed",
    "cancelled",
};
inline constexpr std::array<TransitionInfo, 14> transitions{{
    {"acknowledged", "rejected"},
    {"acknowledged", "inProgress"},
    {"acknowledged", "failed"},
    {"inProgress", "held"},
    {"held", "inProgress"},
    {"inProgress", "completed"},
    {"inProgress", "failed"},
    {"acknowledged", "assessingCancellation"},
    {"inProgress", "assessingCancellation"},
    {"held", "assessingCancellation"},
    {"assessingCancellation", "pendingCancellation"},
    {"assessingCancellation", "inProgress"},
    {"assessingCancellation", "acknowledged"},
    {"pendingCancellation", "cancelled"},
}};
inline constexpr MachineInfo info{"serviceOrderItem", "ServiceOrderItem", "state", initial, final, transitions};
} // namespace machine::serviceOrderItem

namespace machine::cancelServiceOrder {
inline constexpr std::array<std::string_view, 2> initial{
    "accepted",
    "terminatedWithError",
};
inline constexpr std::array<std::string_view, 2> final{
    "done",
    "terminatedWithError",
};
inline constexpr std::array<TransitionInfo, 4> transitions{{
    {"accepted", "inProgress"},
    {"accepted", "done"},
    {"inProgress", "done"},
    {"inProgress", "terminatedWithError"},
}};
inline constexpr MachineInfo info{"cancelServiceOrder", "CancelServiceOrder", "state", initial, final, transitions};
} // namespace machine::cancelServiceOrder

namespace machine::service {
inline constexpr std::array<std::string_view, 2> initial{
    "feasibilityChecked",
    "designed",
};
inline constexpr std::array<std::string_view, 1> final{
    "terminated",
};
inline constexpr std::array<TransitionInfo, 10> transitions{{
    {"feasibilityChecked", "designed"},
    {"designed", "reserved"},
    {"designed", "terminated"},
    {"reserved", "active"},
    {"reserved", "inactive"},
    {"reserved", "terminated"},
    {"inactive", "active"},
    {"active", "inactive"},
    {"inactive", "terminated"},
    {"active", "terminated"},
}};
inline constexpr MachineInfo info{"service", "Service", "state", initial, final, transitions};
} // namespace machine::service

namespace machine::measurementCollectionJob {
inline constexpr std::array<std::string_view, 1> initial{
    "acknowledged",
};
inline constexpr std::array<std::string_view, 4> final{
    "rejected",
    "cancelled",
    "completed",
    "failed",
};
inline constexpr std::array<TransitionInfo, 9> transitions{{
    {"acknowledged", "rejected"},
    {"acknowledged", "pending"},
    {"acknowledged", "inProgress"},
    {"pending", "inProgress"},
    {"pending", "cancelled"},
    {"acknowledged", "cancelled"},
    {"inProgress", "cancelled"},
    {"inProgress", "completed"},
    {"inProgress", "failed"},
}};
inline constexpr MachineInfo info{
    "measurementCollectionJob", "MeasurementCollectionJob", "executionState", initial, final, transitions};
} // namespace machine::measurementCollectionJob

namespace machine::alarm {
inline constexpr std::array<std::string_view, 1> initial{
    "raised",
};
inline constexpr std::array<std::string_view, 1> final{
    "cleared",
};
inline constexpr std::array<TransitionInfo, 3> transitions{{
    {"raised", "updated"},
    {"raised", "cleared"},
    {"updated", "cleared"},
}};
inline constexpr MachineInfo info{"alarm", "Alarm", "state", initial, final, transitions};
} // namespace machine::alarm

namespace machine::usage {
inline constexpr std::array<std::string_view, 2> initial{
    "received",
    "rated",
};
inline constexpr std::array<std::string_view, 1> final{
    "billed",
};
inline constexpr std::array<TransitionInfo, 8> transitions{{
    {"received", "guided"},
    {"received", "rejected"},
    {"rejected", "recycled"},
    {"recycled", "received"},
    {"guided", "rated"},
    {"rated", "rerated"},
    {"rated", "billed"},
    {"rerated", "billed"},
}};
inline constexpr MachineInfo info{"usage", "Usage", "status", initial, final, transitions};
} // namespace machine::usage

namespace machine::customerBill {
inline constexpr std::array<std::string_view, 2> initial{
    "new",
    "sent",
};
inline constexpr std::array<std::string_view, 1> final{
    "settled",
};
inline constexpr std::array<TransitionInfo, 7> transitions{{
    {"new", "onHold"},
    {"onHold", "new"},
    {"new", "validated"},
    {"validated", "sent"},
    {"sent", "partiallyPaid"},
    {"sent", "settled"},
    {"partiallyPaid", "settled"},
}};
inline constexpr MachineInfo info{"customerBill", "CustomerBill", "state", initial, final, transitions};
} // namespace machine::customerBill

/// Every state machine of the specification.
inline constexpr std::array<MachineInfo, 8> machines{{
    machine::serviceOrder::info,
    machine::serviceOrderItem::info,
    machine::cancelServiceOrder::info,
    machine::service::info,
    machine::measurementCollectionJob::info,
    machine::alarm::info,
    machine::usage::info,
    machine::customerBill::info,
}};

} // namespace i1sim::v1
// clang-format on
