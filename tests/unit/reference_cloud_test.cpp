// Unit tests of the reference Cloud BSS/OSS (sim/cloud/reference_cloud.hpp), driven in-process through a fake
// CloudContext with a hand-moved clock; every expected value is worked out by hand from the I1 specification.
#include "cloud/reference_cloud.hpp"
#include "fake_cloud_context.hpp"
#include "i1/spec.hpp"
#include "i1/validator.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace i1sim::fake::reference_cloud_test {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr double kMiB = 1024.0 * 1024.0;
const std::string kCallbackA = "http://telecom-a.example/listener";
const std::string kCallbackB = "http://telecom-b.example/listener";
const std::string kKeyA = "key-of-operator-a";
const std::string kKeyB = "key-of-operator-b";

/// The resource path of operation `op` as the specification writes it, with `id` in its {id} placeholder.
std::string target(const std::string& op, const std::string& id = {}, const std::string& query = {}) {
  const spec::Operation* o = spec::builtin().operation(op);
  EXPECT_NE(o, nullptr) << "the specification has no operation " << op;
  std::string path = o ? o->path : std::string();
  if (const auto at = path.find("{id}"); at != std::string::npos)
    path.replace(at, 4, id);
  return query.empty() ? path : path + "?" + query;
}

json characteristic(const std::string& name, const json& value) {
  const char* type = value.is_number_integer() ? "integer" : value.is_number() ? "number" : "array";
  return {{"name", name}, {"valueType", type}, {"value", value}};
}

/// instances, vCPU 2, 4096 MiB RAM and 40960 MiB storage per VM, then `extra`.
json vm_chars(int instances, const std::vector<json>& extra = {}) {
  json chars = json::array({characteristic("instances", instances), characteristic("vCPU", 2),
                            characteristic("memoryMiB", 4096), characteristic("storageMiB", 40960)});
  for (const auto& e : extra)
    chars.push_back(e);
  return chars;
}

json add_item(const std::string& id, const json& chars, const std::string& offer = "vm-small") {
  return {{"id", id},
          {"action", "add"},
          {"service", {{"serviceSpecification", {{"id", offer}}}, {"serviceCharacteristic", chars}}}};
}

json modify_item(const std::string& id, const std::string& service, const json& chars) {
  return {{"id", id}, {"action", "modify"}, {"service", {{"id", service}, {"serviceCharacteristic", chars}}}};
}

json delete_item(const std::string& id, const std::string& service) {
  return {{"id", id}, {"action", "delete"}, {"service", {{"id", service}}}};
}

json order_body(const std::string& external, const std::string& customer, const json& items) {
  return {{"externalId", external},
          {"relatedParty", json::array({{{"id", customer}, {"role", "customer"}}})},
          {"serviceOrderItem", items}};
}

json customer_body(const std::string& id, const std::vector<std::string>& jurisdictions) {
  return {{"id", id},
          {"name", "Customer " + id},
          {"relatedParty", json::array({{{"id", "telecom"}, {"role", "operator"}}})},
          {"allowedJurisdiction", jurisdictions},
          {"currency", "EUR"}};
}

/// "EventType:state" with the state-machine field of the resource the notification carries.
std::string label(const RecordedNotification& n) {
  const json& r = n.resource();
  std::string field = "state";
  if (n.type == "ServiceOperatingStatusChangeEvent")
    field = "operatingStatus";
  else if (n.type.rfind("MeasurementCollectionJob", 0) == 0)
    field = "executionState";
  else if (n.type.rfind("Usage", 0) == 0)
    field = "status";
  if (r.is_object() && r.contains(field) && r[field].is_string())
    return n.type + ":" + r[field].get<std::string>();
  return n.type;
}

const json* find_named(const json& list, const std::string& key, const std::string& name) {
  for (const auto& item : list)
    if (item.is_object() && item.value(key, std::string()) == name)
      return &item;
  return nullptr;
}

std::int64_t usage_value(const json& usage, const std::string& name) {
  if (!usage.contains("usageCharacteristic"))
    return -1;
  const json* c = find_named(usage["usageCharacteristic"], "name", name);
  return c && c->contains("value") && (*c)["value"].is_number_integer() ? (*c)["value"].get<std::int64_t>() : -1;
}

std::int64_t usage_amount(const json& usage) {
  const auto rated = usage.value("ratedProductUsage", json::array());
  if (rated.empty())
    return -1;
  return rated[0].value("taxExcludedRatingAmount", json::object()).value("value", std::int64_t{-1});
}

class RefCloudFixture : public ::testing::Test {
protected:
  RefCloudFixture() {
    for (const auto& t : spec::builtin().timers)
      setup.timers[t.name] = t.default_s;
    CloudServiceOffer small;
    small.id = "vm-small";
    small.name = "Small virtual machine";
    small.instances = 1;
    small.image_size = 2e9;
    small.boot_work = 5e12;
    small.vcpu_hour = 1'500'000;
    small.ram_gib_hour = 250'000;
    small.storage_gib_hour = 25'000;
    small.sla_credit_percent = 50;
    setup.offers.push_back(small);
    setup.currency = "EUR";
    // Berlin has the most free cores of all; lyon has more than paris.
    dcs = {DcInfo{"paris", "FR", 8, 64, 64}, DcInfo{"lyon", "FR", 12, 96, 96}, DcInfo{"berlin", "DE", 40, 500, 500}};
  }

  void start() {
    ctx = std::make_unique<FakeCloudContext>(dcs);
    iut = std::make_unique<cloud::ReferenceCloud>(setup);
    ctx->attach(*iut);
    ctx->start();
  }

  // Every answer and notification must have the shape the specification gives it (I1-GEN-003), and the
  // resources they carry must move along the specification's state machines only.
  void TearDown() override {
    if (!ctx)
      return;
    const i1::Validator shapes(spec::builtin());
    i1::Validator machines(spec::builtin());
    for (const Message& m : ctx->log()) {
      const auto found = shapes.check(m);
      for (const auto& p : found)
        ADD_FAILURE() << to_string(m.kind) << " " << m.type << " (" << m.status << "): " << p.path << ": " << p.message
                      << " [" << p.requirement << "]\n"
                      << m.body.dump();
      const auto all = machines.observe(m);
      for (std::size_t i = found.size(); i < all.size(); ++i)
        ADD_FAILURE() << to_string(m.kind) << " " << m.type << ": " << all[i].path << ": " << all[i].message << " ["
                      << all[i].requirement << "]";
    }
  }

  RecordedResponse call(const std::string& op, const std::string& id, json body, const std::string& credential = {},
                        const std::string& query = {}) {
    return ctx->request(op, target(op, id, query), std::move(body), credential);
  }

  std::string subscribe(const std::string& callback, const std::string& credential = {}) {
    const auto r = call("createHub", "", {{"callback", callback}}, credential);
    EXPECT_EQ(r.status, 201) << r.body.dump();
    EXPECT_EQ(r.body.value("callback", ""), callback);
    return r.body.value("id", "");
  }

  void create_customer(const std::string& id, const std::vector<std::string>& jurisdictions,
                       const std::string& credential = {}) {
    const auto r = call("createCustomer", "", customer_body(id, jurisdictions), credential);
    ASSERT_EQ(r.status, 201) << r.body.dump();
  }

  RecordedResponse order(const json& body, const std::string& credential = {}) {
    return call("createServiceOrder", "", body, credential);
  }

  std::vector<RecordedNotification> to(const std::string& callback, std::size_t from = 0) const {
    std::vector<RecordedNotification> out;
    for (std::size_t i = from; i < ctx->notifications().size(); ++i)
      if (ctx->notifications()[i].callback == callback)
        out.push_back(ctx->notifications()[i]);
    return out;
  }
  std::vector<std::string> labels(const std::string& callback, std::size_t from = 0) const {
    std::vector<std::string> out;
    for (const auto& n : to(callback, from))
      out.push_back(label(n));
    return out;
  }
  std::vector<RecordedNotification> of_type(const std::string& callback, const std::string& type,
                                            std::size_t from = 0) const {
    std::vector<RecordedNotification> out;
    for (const auto& n : to(callback, from))
      if (n.type == type)
        out.push_back(n);
    return out;
  }
  std::size_t mark() const { return ctx->notifications().size(); }

  std::vector<VmId> created_since(std::size_t first) const {
    std::vector<VmId> out;
    for (std::size_t i = first; i < ctx->created().size(); ++i)
      out.push_back(ctx->created()[i].id);
    return out;
  }
  std::vector<VmId> destroyed_ids() const {
    std::vector<VmId> out;
    for (const auto& d : ctx->destroyed())
      out.push_back(d.id);
    return out;
  }

  struct Activated {
    std::string order;
    std::string service;
    std::vector<VmId> vms;
  };
  /// Orders one add item for `customer` now, then places every VM at `placed` and boots it at `booted`.
  Activated activate(const std::string& customer, const std::string& external, const json& chars, double placed,
                     double booted, const std::string& credential = {}) {
    const std::size_t first = ctx->created().size();
    const auto r = order(order_body(external, customer, json::array({add_item("1", chars)})), credential);
    EXPECT_EQ(r.status, 201) << r.body.dump();
    Activated a;
    a.order = r.body.value("id", "");
    if (r.body.contains("serviceOrderItem") && !r.body["serviceOrderItem"].empty())
      a.service = r.body["serviceOrderItem"][0].value("service", json::object()).value("id", "");
    EXPECT_FALSE(a.service.empty()) << "the order's item does not name the service it creates: " << r.body.dump();
    a.vms = created_since(first);
    for (VmId vm : a.vms)
      ctx->deliver(DcEventKind::vm_placed, vm, placed);
    for (VmId vm : a.vms)
      ctx->deliver(DcEventKind::vm_booted, vm, booted);
    return a;
  }

  /// Lets the data centres finish at `t` whatever they were asked: every VM not asked to go is placed and boots,
  /// every VM asked to go is destroyed.
  void settle(double t) {
    const std::vector<CreatedVm> created = ctx->created();
    for (const auto& c : created) {
      if (destroy_requested(c.id))
        continue;
      if (!ctx->delivered(c.id, DcEventKind::vm_placed))
        ctx->deliver(DcEventKind::vm_placed, c.id, t);
      if (!ctx->delivered(c.id, DcEventKind::vm_booted))
        ctx->deliver(DcEventKind::vm_booted, c.id, t);
    }
    const std::vector<DestroyedVm> destroyed = ctx->destroyed();
    for (const auto& d : destroyed)
      if (!ctx->delivered(d.id, DcEventKind::vm_destroyed))
        ctx->deliver(DcEventKind::vm_destroyed, d.id, t);
  }
  bool destroy_requested(VmId vm) const {
    return std::any_of(ctx->destroyed().begin(), ctx->destroyed().end(),
                       [&](const DestroyedVm& d) { return d.id == vm; });
  }
  /// The VMs that exist: created and not reported destroyed.
  std::vector<const CreatedVm*> held() const {
    std::vector<const CreatedVm*> out;
    for (const auto& c : ctx->created())
      if (!ctx->delivered(c.id, DcEventKind::vm_destroyed))
        out.push_back(&c);
    return out;
  }
  std::string order_state(const std::string& id, const std::string& credential = {}) {
    return call("retrieveServiceOrder", id, nullptr, credential).body.value("state", "");
  }

  json retrieve_service(const std::string& id, const std::string& credential = {}) {
    const auto r = call("retrieveService", id, nullptr, credential);
    EXPECT_EQ(r.status, 200) << r.body.dump();
    return r.body;
  }

  CloudSetup setup;
  std::vector<DcInfo> dcs;
  std::unique_ptr<FakeCloudContext> ctx;
  std::unique_ptr<cloud::ReferenceCloud> iut;
};

using RefCloudValidation = RefCloudFixture;
using RefCloudCustomers = RefCloudFixture;
using RefCloudActivation = RefCloudFixture;
using RefCloudJurisdiction = RefCloudFixture;
using RefCloudIdempotency = RefCloudFixture;
using RefCloudXProfile = RefCloudFixture;
using RefCloudModify = RefCloudFixture;
using RefCloudDelete = RefCloudFixture;
using RefCloudCancel = RefCloudFixture;
using RefCloudActivationTimeout = RefCloudFixture;
using RefCloudUsage = RefCloudFixture;
using RefCloudBill = RefCloudFixture;
using RefCloudAlarms = RefCloudFixture;
using RefCloudMeasurement = RefCloudFixture;

// ---- 1. validation (I1-GEN-002, I1-ORD-002) -------------------------------------------------------------------

TEST_F(RefCloudValidation, RefusesMalformedOrdersWithInvalidBodyNamingTheFieldAndCreatesNothing) {
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  const std::size_t before = mark();
  const json good = order_body("PO-1", "C1", json::array({add_item("1", vm_chars(1))}));

  struct Case {
    std::string what;
    json body;
    std::string path;
  };
  std::vector<Case> cases;
  json unknown = good;
  unknown["colour"] = "blue";
  cases.push_back({"an unknown field", unknown, "colour"});
  json missing = good;
  missing.erase("externalId");
  cases.push_back({"a missing mandatory field", missing, "externalId"});
  json missing_inner = good;
  missing_inner["serviceOrderItem"][0].erase("service");
  cases.push_back({"a missing mandatory field of an item", missing_inner, "serviceOrderItem[0].service"});
  json wrong = good;
  wrong["serviceOrderItem"][0]["action"] = 7;
  cases.push_back({"a number where an ItemActionType is required", wrong, "serviceOrderItem[0].action"});
  json wrong_external = good;
  wrong_external["externalId"] = 42;
  cases.push_back({"a number where a string is required", wrong_external, "externalId"});
  json wrong_value = good;
  wrong_value["serviceOrderItem"][0]["service"]["serviceCharacteristic"][1]["value"] = "two";
  cases.push_back({"a text vCPU", wrong_value, "serviceOrderItem[0].service.serviceCharacteristic[1].value"});
  json unknown_offer = good;
  unknown_offer["serviceOrderItem"][0]["service"]["serviceSpecification"]["id"] = "vm-enormous";
  cases.push_back({"an unknown service specification (I1-ORD-002)", unknown_offer,
                   "serviceOrderItem[0].service.serviceSpecification.id"});

  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    const auto r = order(c.body);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body.value("code", ""), "invalidBody");
    EXPECT_EQ(r.body.value("referenceError", ""), c.path);
  }
  EXPECT_THAT(ctx->created(), IsEmpty());
  EXPECT_EQ(mark(), before) << "a refused order was notified";
  EXPECT_EQ(call("listService", "", nullptr).body, json::array());
  // None of the refused orders took the externalId: the correct order is a new one.
  EXPECT_EQ(order(good).status, 201);
}

TEST_F(RefCloudValidation, RefusesAMalformedCustomerNamingTheField) {
  start();
  json body = customer_body("C1", {"FR"});
  body["allowedJurisdiction"] = "FR";
  const auto r = call("createCustomer", "", body);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body.value("code", ""), "invalidBody");
  EXPECT_EQ(r.body.value("referenceError", ""), "allowedJurisdiction");
  // Nothing was stored: creating it properly is a creation (201), not a repeat (200).
  EXPECT_EQ(call("createCustomer", "", customer_body("C1", {"FR"})).status, 201);
}

// ---- 2. customers (I1-CUS-001, I1-CUS-002) ----------------------------------------------------------------------

TEST_F(RefCloudCustomers, CreateAnswers201AndARepeatAnswers200WithTheSameCustomer) {
  start();
  const json body = customer_body("C1", {"FR", "DE"});
  const auto first = call("createCustomer", "", body);
  ASSERT_EQ(first.status, 201);
  EXPECT_EQ(first.body.value("id", ""), "C1");
  EXPECT_EQ(first.body.value("href", ""), target("createCustomer") + "/C1");
  EXPECT_EQ(first.body.value("name", ""), "Customer C1");
  EXPECT_EQ(first.body["relatedParty"], body["relatedParty"]);
  EXPECT_EQ(first.body["allowedJurisdiction"], json::array({"FR", "DE"}));
  EXPECT_EQ(first.body.value("currency", ""), "EUR");
  const auto again = call("createCustomer", "", body);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, first.body);
}

TEST_F(RefCloudCustomers, AcknowledgesThenRejectsAnOrderForACustomerNeverCreated) {
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  const std::size_t before = mark();
  const auto r = order(order_body("PO-9", "C9", json::array({add_item("1", vm_chars(1))})));
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.body.value("state", ""), "acknowledged");
  EXPECT_EQ(r.body["serviceOrderItem"][0].value("state", ""), "acknowledged");
  ASSERT_THAT(labels(kCallbackA, before), ElementsAre("ServiceOrderStateChangeEvent:rejected"));
  const json o = to(kCallbackA, before)[0].resource();
  EXPECT_EQ(o.value("id", ""), r.body.value("id", ""));
  EXPECT_EQ(o["serviceOrderItem"][0].value("state", ""), "rejected");
  ASSERT_TRUE(o.contains("errorMessage"));
  ASSERT_EQ(o["errorMessage"].size(), 1u);
  EXPECT_EQ(o["errorMessage"][0].value("code", ""), "customerUnknown");
  EXPECT_EQ(o["errorMessage"][0]["serviceOrderItem"], json::array({{{"id", "1"}}}));
  EXPECT_THAT(ctx->created(), IsEmpty());
}

// ---- 3. activation (I1-ORD-001/003/005/006, I1-INV-001/002, I1-REG-003) -----------------------------------------

TEST_F(RefCloudActivation, PlacesInTheAllowedDcWithMostFreeCoresAndWalksTheLifecycle) {
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  ctx->advance_to(10);
  const std::size_t before = mark();
  const auto r = order(
      order_body("PO-1", "C1", json::array({add_item("1", vm_chars(2, {characteristic("minCoreSpeedGflops", 2.5)}))})));
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.body.value("state", ""), "acknowledged");
  EXPECT_EQ(r.body.value("externalId", ""), "PO-1");
  EXPECT_EQ(r.body.value("orderDate", ""), "2026-01-01T00:00:10.000000Z");
  const std::string order_id = r.body.value("id", "");
  EXPECT_EQ(r.body.value("href", ""), target("retrieveServiceOrder", order_id));
  EXPECT_EQ(r.body["serviceOrderItem"][0].value("state", ""), "acknowledged");
  const std::string svc = r.body["serviceOrderItem"][0]["service"].value("id", "");
  ASSERT_FALSE(svc.empty());

  // Berlin has more free cores but is in DE; of the FR data centres lyon has the most.
  ASSERT_EQ(ctx->created().size(), 2u);
  for (const auto& c : ctx->created()) {
    EXPECT_EQ(c.dc, "lyon");
    EXPECT_EQ(c.request.vcpu, 2);
    EXPECT_EQ(c.request.ram, 4096 * kMiB);
    EXPECT_EQ(c.request.storage, 40960 * kMiB);
    EXPECT_EQ(c.request.image_size, 2e9);
    EXPECT_EQ(c.request.boot_work, 5e12);
    EXPECT_EQ(c.request.min_core_speed, 2.5e9);
  }
  EXPECT_THAT(labels(kCallbackA, before),
              ElementsAre("ServiceOrderStateChangeEvent:inProgress", "ServiceStateChangeEvent:designed"));
  const VmId vm1 = ctx->created()[0].id, vm2 = ctx->created()[1].id;

  std::size_t at = mark();
  ctx->deliver(DcEventKind::vm_placed, vm1, 20);
  EXPECT_THAT(labels(kCallbackA, at), IsEmpty()) << "reserved before every VM had a place";
  ctx->deliver(DcEventKind::vm_placed, vm2, 21);
  EXPECT_THAT(labels(kCallbackA, at), ElementsAre("ServiceStateChangeEvent:reserved"));

  at = mark();
  ctx->deliver(DcEventKind::vm_booted, vm1, 60);
  EXPECT_THAT(labels(kCallbackA, at), IsEmpty()) << "active before every VM had booted (I1-INV-002)";
  ctx->deliver(DcEventKind::vm_booted, vm2, 61);
  EXPECT_THAT(labels(kCallbackA, at),
              ElementsAre("ServiceStateChangeEvent:active", "ServiceOperatingStatusChangeEvent:running",
                          "ServiceOrderStateChangeEvent:completed"));
  const auto done = to(kCallbackA, at);
  for (const auto& n : done)
    EXPECT_EQ(n.at, 61) << n.type << " not sent at the change (I1-HUB-003)";
  const json completed = done.back().resource();
  EXPECT_EQ(completed["serviceOrderItem"][0].value("state", ""), "completed");
  EXPECT_EQ(completed.value("completionDate", ""), "2026-01-01T00:01:01.000000Z");

  const json service = retrieve_service(svc);
  EXPECT_EQ(service.value("state", ""), "active");
  EXPECT_EQ(service.value("operatingStatus", ""), "running");
  EXPECT_EQ(service["place"], json::array({{{"id", "lyon"}, {"role", "dataCentre"}, {"jurisdiction", "FR"}}}));
  EXPECT_EQ(service["relatedParty"], json::array({{{"id", "C1"}, {"role", "customer"}}}));
  EXPECT_EQ(service["serviceSpecification"].value("id", ""), "vm-small");
  EXPECT_THAT(of_type(kCallbackA, "AlarmCreateEvent"), IsEmpty()) << "an alarm for a service without a fault";
  const auto read = call("retrieveServiceOrder", order_id, nullptr);
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.body.value("state", ""), "completed");
}

TEST_F(RefCloudActivation, AnOrderWhoseItemsPartlyFailEndsPartial) {
  // I1-ORD-005: completed when all items completed, failed when none did, partial otherwise.
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR", "DE"});
  const std::size_t before = mark();
  const auto r = order(
      order_body("PO-1", "C1",
                 json::array({add_item("1", vm_chars(1, {characteristic("allowedJurisdiction", json::array({"ES"}))})),
                              add_item("2", vm_chars(1))})));
  ASSERT_EQ(r.status, 201);
  ASSERT_EQ(ctx->created().size(), 1u);
  const auto items = of_type(kCallbackA, "ServiceOrderItemStateChangeEvent", before);
  ASSERT_FALSE(items.empty());
  const json first = items[0].resource()["serviceOrderItem"];
  EXPECT_EQ(first[0].value("state", ""), "failed");
  EXPECT_EQ(first[1].value("state", ""), "inProgress");
  settle(50);
  const auto orders = of_type(kCallbackA, "ServiceOrderStateChangeEvent", before);
  ASSERT_FALSE(orders.empty());
  const json last = orders.back().resource();
  EXPECT_EQ(last.value("state", ""), "partial");
  EXPECT_EQ(last["serviceOrderItem"][0].value("state", ""), "failed");
  EXPECT_EQ(last["serviceOrderItem"][1].value("state", ""), "completed");
  ASSERT_EQ(last.value("errorMessage", json::array()).size(), 1u);
  EXPECT_EQ(last["errorMessage"][0].value("code", ""), "jurisdictionUnavailable");
  EXPECT_EQ(last["errorMessage"][0]["serviceOrderItem"], json::array({{{"id", "1"}}}));
}

// ---- 4. jurisdiction (I1-REG-001, I1-REG-002) --------------------------------------------------------------------

TEST_F(RefCloudJurisdiction, FailsWithJurisdictionUnavailableWhenNoDcIsInAnAllowedJurisdiction) {
  start();
  subscribe(kCallbackA);
  create_customer("C-ES", {"ES"});
  const std::size_t before = mark();
  const auto r = order(order_body("PO-1", "C-ES", json::array({add_item("1", vm_chars(1))})));
  ASSERT_EQ(r.status, 201);
  EXPECT_THAT(ctx->created(), IsEmpty());
  EXPECT_THAT(labels(kCallbackA, before),
              ElementsAre("ServiceOrderStateChangeEvent:inProgress", "ServiceStateChangeEvent:designed",
                          "ServiceStateChangeEvent:terminated", "ServiceOrderStateChangeEvent:failed"));
  const json o = to(kCallbackA, before).back().resource();
  EXPECT_EQ(o["serviceOrderItem"][0].value("state", ""), "failed");
  ASSERT_EQ(o.value("errorMessage", json::array()).size(), 1u);
  EXPECT_EQ(o["errorMessage"][0].value("code", ""), "jurisdictionUnavailable");
  EXPECT_EQ(o["errorMessage"][0]["serviceOrderItem"], json::array({{{"id", "1"}}}));
}

TEST_F(RefCloudJurisdiction, AnItemsAllowedJurisdictionNarrowsTheCustomers) {
  start();
  create_customer("C1", {"FR", "DE"});
  // Without narrowing the customer's FR and DE allow berlin, which has the most free cores.
  ASSERT_EQ(order(order_body("PO-1", "C1", json::array({add_item("1", vm_chars(1))}))).status, 201);
  ASSERT_EQ(ctx->created().size(), 1u);
  EXPECT_EQ(ctx->created()[0].dc, "berlin");
  // Narrowed to FR by the item: lyon, the FR data centre with the most free cores.
  ASSERT_EQ(order(order_body("PO-2", "C1",
                             json::array({add_item(
                                 "1", vm_chars(1, {characteristic("allowedJurisdiction", json::array({"FR"}))}))})))
                .status,
            201);
  ASSERT_EQ(ctx->created().size(), 2u);
  EXPECT_EQ(ctx->created()[1].dc, "lyon");
}

TEST_F(RefCloudJurisdiction, AScaleUpAfterTheCustomerDroppedAJurisdictionPlacesNothingThere) {
  // I1-CUS-003: later placements follow the update; I1-REG-002: only in an allowed jurisdiction.
  start();
  create_customer("C1", {"FR", "DE"});
  const auto a = activate("C1", "PO-1", vm_chars(1), 20, 30);
  ASSERT_EQ(ctx->created().size(), 1u);
  ASSERT_EQ(ctx->created()[0].dc, "berlin");
  const auto patched = call("patchCustomer", "C1", {{"allowedJurisdiction", json::array({"FR"})}});
  ASSERT_EQ(patched.status, 200);
  EXPECT_EQ(patched.body["allowedJurisdiction"], json::array({"FR"}));
  ctx->advance_to(100);
  ASSERT_EQ(order(order_body("PO-2", "C1",
                             json::array({modify_item("1", a.service, json::array({characteristic("instances", 2)}))})))
                .status,
            201);
  for (std::size_t i = 1; i < ctx->created().size(); ++i)
    EXPECT_NE(ctx->created()[i].dc, "berlin") << "VM " << ctx->created()[i].id << " placed in DE, no longer allowed";
}

// ---- 5. idempotency (I1-ORD-004, I1-SEC-002) ---------------------------------------------------------------------

TEST_F(RefCloudIdempotency, ARepeatedExternalIdIsAnswered200WithTheOriginalOrder) {
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  const json body = order_body("PO-1", "C1", json::array({add_item("1", vm_chars(1))}));
  const auto first = order(body);
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(ctx->created().size(), 1u);
  const std::size_t before = mark();
  const auto second = order(body);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body.value("id", ""), first.body.value("id", ""));
  EXPECT_EQ(second.body, call("retrieveServiceOrder", first.body.value("id", ""), nullptr).body);
  EXPECT_EQ(ctx->created().size(), 1u) << "a second VM for a repeated order";
  EXPECT_EQ(mark(), before) << "a repeated order was notified";
  EXPECT_EQ(call("listService", "", nullptr).body.size(), 1u);
}

TEST_F(RefCloudIdempotency, ACustomersListingIsTheWholeInventorysPartOfThatCustomerInTheSameOrder) {
  // Orders of two customers interleaved, and one for a customer never created (its service is dropped): each
  // customer's listing must be exactly its part of the whole listing, in the same order.
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  create_customer("C2", {"FR"});
  int n = 0;
  for (const char* customer : {"C1", "C2", "C1", "C9", "C2", "C1"})
    ASSERT_EQ(order(order_body("PO-" + std::to_string(++n), customer,
                               json::array({add_item("1", vm_chars(1)), add_item("2", vm_chars(1))})))
                  .status,
              201);
  const json all = call("listService", "", nullptr).body;
  ASSERT_EQ(all.size(), 10u);
  for (const std::string customer : {"C1", "C2", "C9"}) {
    json part = json::array();
    for (const auto& svc : all)
      for (const auto& p : svc["relatedParty"])
        if (p.value("id", "") == customer)
          part.push_back(svc);
    const auto listed = call("listService", "", nullptr, {}, "relatedParty.id=" + customer);
    ASSERT_EQ(listed.status, 200);
    EXPECT_EQ(listed.body, part) << customer;
  }
  EXPECT_EQ(call("listService", "", nullptr, {}, "relatedParty.id=C1").body.size(), 6u);
}

TEST_F(RefCloudIdempotency, TheSameExternalIdFromAnotherOperatorIsANewOrder) {
  setup.profile = "X";
  setup.operators = {{kKeyA, "op-a"}, {kKeyB, "op-b"}};
  start();
  create_customer("C1", {"FR"}, kKeyA);
  create_customer("C1", {"FR"}, kKeyB);
  const json body = order_body("PO-1", "C1", json::array({add_item("1", vm_chars(1))}));
  const auto a = order(body, kKeyA);
  const auto b = order(body, kKeyB);
  ASSERT_EQ(a.status, 201);
  ASSERT_EQ(b.status, 201);
  EXPECT_NE(a.body.value("id", ""), b.body.value("id", ""));
  EXPECT_EQ(ctx->created().size(), 2u);
}

// ---- 6. X profile (I1-SEC-001, I1-SEC-003, I1-SEC-004) -----------------------------------------------------------

TEST_F(RefCloudXProfile, RefusesRequestsWithoutAValidCredentialWith401AndChangesNothing) {
  setup.profile = "X";
  setup.operators = {{kKeyA, "op-a"}, {kKeyB, "op-b"}};
  start();
  subscribe(kCallbackA, kKeyA);
  const std::size_t before = mark();
  for (const std::string credential : {"", "key-of-nobody"}) {
    SCOPED_TRACE("credential '" + credential + "'");
    EXPECT_EQ(call("createHub", "", {{"callback", kCallbackB}}, credential).status, 401);
    EXPECT_EQ(call("createCustomer", "", customer_body("C1", {"FR"}), credential).status, 401);
    EXPECT_EQ(order(order_body("PO-1", "C1", json::array({add_item("1", vm_chars(1))})), credential).status, 401);
    EXPECT_EQ(call("listService", "", nullptr, credential).status, 401);
  }
  EXPECT_THAT(ctx->created(), IsEmpty());
  EXPECT_EQ(mark(), before);
  // The refused createCustomer stored nothing, and the refused order did not take its externalId.
  EXPECT_EQ(call("createCustomer", "", customer_body("C1", {"FR"}), kKeyA).status, 201);
  EXPECT_EQ(order(order_body("PO-1", "C1", json::array({add_item("1", vm_chars(1))})), kKeyA).status, 201);
}

TEST_F(RefCloudXProfile, AnOperatorNeitherSeesNorHearsAboutAnotherOperatorsResources) {
  setup.profile = "X";
  setup.operators = {{kKeyA, "op-a"}, {kKeyB, "op-b"}};
  start();
  const std::string hub_a = subscribe(kCallbackA, kKeyA);
  subscribe(kCallbackB, kKeyB);
  create_customer("C1", {"FR"}, kKeyA);
  create_customer("C1", {"FR"}, kKeyB);
  create_customer("CA", {"FR"}, kKeyA);
  const auto a = activate("C1", "PO-1", vm_chars(1), 5, 10, kKeyA);
  const auto b = activate("C1", "PO-7", vm_chars(1), 15, 20, kKeyB);
  ASSERT_NE(a.service, b.service);

  EXPECT_EQ(call("retrieveService", a.service, nullptr, kKeyB).status, 404);
  EXPECT_EQ(call("retrieveServiceOrder", a.order, nullptr, kKeyB).status, 404);
  EXPECT_EQ(call("createCancelServiceOrder", "", {{"serviceOrder", {{"id", a.order}}}}, kKeyB).status, 404);
  EXPECT_EQ(call("patchCustomer", "CA", {{"name", "taken over"}}, kKeyB).status, 404);
  EXPECT_EQ(call("deleteHub", hub_a, nullptr, kKeyB).status, 404);
  EXPECT_EQ(call("createMeasurementCollectionJob", "",
                 {{"service", {{"id", a.service}}},
                  {"granularity", "g_1h"},
                  {"performanceIndicator", json::array({"availability"})}},
                 kKeyB)
                .status,
            404);
  EXPECT_EQ(call("createCustomerBillOnDemand", "",
                 {{"relatedParty", json::array({{{"id", "CA"}, {"role", "customer"}}})}}, kKeyB)
                .status,
            404);
  for (const std::string query : {"", "relatedParty.id=C1"}) {
    SCOPED_TRACE("listService?" + query);
    const auto list_b = call("listService", "", nullptr, kKeyB, query);
    ASSERT_EQ(list_b.status, 200);
    ASSERT_EQ(list_b.body.size(), 1u);
    EXPECT_EQ(list_b.body[0].value("id", ""), b.service);
    const auto list_a = call("listService", "", nullptr, kKeyA, query);
    ASSERT_EQ(list_a.body.size(), 1u);
    EXPECT_EQ(list_a.body[0].value("id", ""), a.service);
  }
  // B cannot delete A's service either: its item fails and A's VM stays.
  const auto del = order(order_body("PO-8", "C1", json::array({delete_item("1", a.service)})), kKeyB);
  ASSERT_EQ(del.status, 201);
  for (const auto& d : ctx->destroyed())
    EXPECT_NE(d.id, a.vms.at(0)) << "operator B destroyed operator A's VM";
  EXPECT_EQ(retrieve_service(a.service, kKeyA).value("state", ""), "active");

  const std::set<std::string> mine_a{a.order, a.service}, mine_b{b.order, b.service, del.body.value("id", "")};
  ASSERT_FALSE(to(kCallbackB).empty());
  for (const auto& n : to(kCallbackB))
    EXPECT_EQ(mine_b.count(n.resource().value("id", "")), 1u) << "B heard " << label(n) << " " << n.resource().dump();
  for (const auto& n : to(kCallbackA))
    EXPECT_EQ(mine_a.count(n.resource().value("id", "")), 1u) << "A heard " << label(n) << " " << n.resource().dump();
}

// ---- 7. modify (I1-ORD-007) ---------------------------------------------------------------------------------------

TEST_F(RefCloudModify, ScalesUpThenDownNewestFirstAndCompletesWhenTheMachinesAreThereOrGone) {
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  const auto a = activate("C1", "PO-1", vm_chars(1), 20, 30);
  ASSERT_EQ(a.vms.size(), 1u);
  const VmId vm1 = a.vms[0];

  ctx->advance_to(100);
  std::size_t at = mark();
  const auto up = order(order_body(
      "PO-2", "C1", json::array({modify_item("1", a.service, json::array({characteristic("instances", 3)}))})));
  ASSERT_EQ(up.status, 201);
  const auto added = created_since(1);
  ASSERT_EQ(added.size(), 2u);
  for (std::size_t i = 1; i < ctx->created().size(); ++i) {
    EXPECT_EQ(ctx->created()[i].dc, "lyon") << "a new instance away from the service's data centre";
    EXPECT_EQ(ctx->created()[i].request.vcpu, 2);
  }
  EXPECT_THAT(labels(kCallbackA, at), ElementsAre("ServiceOrderStateChangeEvent:inProgress"));
  ctx->deliver(DcEventKind::vm_placed, added[0], 110);
  ctx->deliver(DcEventKind::vm_placed, added[1], 111);
  ctx->deliver(DcEventKind::vm_booted, added[0], 150);
  EXPECT_THAT(labels(kCallbackA, at), ElementsAre("ServiceOrderStateChangeEvent:inProgress"))
      << "completed before both new VMs booted";
  ctx->deliver(DcEventKind::vm_booted, added[1], 160);
  EXPECT_THAT(labels(kCallbackA, at),
              ElementsAre("ServiceOrderStateChangeEvent:inProgress", "ServiceOrderStateChangeEvent:completed"));
  json service = retrieve_service(a.service);
  EXPECT_EQ(service.value("state", ""), "active");
  const json* instances = find_named(service["serviceCharacteristic"], "name", "instances");
  ASSERT_NE(instances, nullptr);
  EXPECT_EQ((*instances)["value"], 3);
  EXPECT_THAT(ctx->destroyed(), IsEmpty());

  ctx->advance_to(200);
  at = mark();
  const auto down = order(order_body(
      "PO-3", "C1", json::array({modify_item("1", a.service, json::array({characteristic("instances", 1)}))})));
  ASSERT_EQ(down.status, 201);
  EXPECT_THAT(destroyed_ids(), ElementsAre(added[1], added[0])) << "not the newest first";
  EXPECT_THAT(labels(kCallbackA, at), ElementsAre("ServiceOrderStateChangeEvent:inProgress"));
  ctx->deliver(DcEventKind::vm_destroyed, added[1], 210);
  EXPECT_THAT(labels(kCallbackA, at), ElementsAre("ServiceOrderStateChangeEvent:inProgress"));
  ctx->deliver(DcEventKind::vm_destroyed, added[0], 220);
  EXPECT_THAT(labels(kCallbackA, at),
              ElementsAre("ServiceOrderStateChangeEvent:inProgress", "ServiceOrderStateChangeEvent:completed"));
  service = retrieve_service(a.service);
  EXPECT_EQ(service.value("state", ""), "active");
  instances = find_named(service["serviceCharacteristic"], "name", "instances");
  ASSERT_NE(instances, nullptr);
  EXPECT_EQ((*instances)["value"], 1);
  EXPECT_THAT(destroyed_ids(), ::testing::Not(::testing::Contains(vm1)));
}

TEST_F(RefCloudModify, ACharacteristicChangeIsMadeOrRefusedButNeverOnlyReported) {
  // I1-ORD-007 / I1-INV-001: after a modify of vCPU the inventory's per-VM vCPU is what every VM of the service has.
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  const auto a = activate("C1", "PO-1", vm_chars(1), 20, 30);
  ctx->advance_to(100);
  const auto r = order(
      order_body("PO-2", "C1", json::array({modify_item("1", a.service, json::array({characteristic("vCPU", 4)}))})));
  ASSERT_EQ(r.status, 201);
  settle(200);
  ctx->advance_to(1000);
  settle(1000);
  EXPECT_THAT(order_state(r.body.value("id", "")), ::testing::AnyOf("completed", "failed"));
  const json service = retrieve_service(a.service);
  const json* vcpu = find_named(service["serviceCharacteristic"], "name", "vCPU");
  ASSERT_NE(vcpu, nullptr);
  const auto vms = held();
  ASSERT_FALSE(vms.empty());
  for (const CreatedVm* vm : vms)
    EXPECT_EQ(json(vm->request.vcpu), (*vcpu)["value"])
        << "the inventory says vCPU " << (*vcpu)["value"] << " but VM " << vm->id << " has " << vm->request.vcpu;
}

TEST_F(RefCloudModify, AnOrderStillScalingDownEndsWhenALaterOrderDeletesTheService) {
  // I1-ORD-005: every order ends. The scale-down's VM is gone, so nothing is left for its item to wait for.
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  const auto a = activate("C1", "PO-1", vm_chars(3), 20, 30);
  ASSERT_EQ(a.vms.size(), 3u);
  ctx->advance_to(100);
  const auto down = order(order_body(
      "PO-2", "C1", json::array({modify_item("1", a.service, json::array({characteristic("instances", 2)}))})));
  ASSERT_EQ(down.status, 201);
  ctx->advance_to(110);
  const auto del = order(order_body("PO-3", "C1", json::array({delete_item("1", a.service)})));
  ASSERT_EQ(del.status, 201);
  EXPECT_THAT(destroyed_ids(), UnorderedElementsAre(a.vms[0], a.vms[1], a.vms[2]));
  settle(120);
  ctx->advance_to(4000);
  EXPECT_EQ(order_state(del.body.value("id", "")), "completed");
  EXPECT_THAT(order_state(down.body.value("id", "")), ::testing::AnyOf("completed", "failed"))
      << "the scale-down order never ends";
}

TEST_F(RefCloudModify, TwoScaleDownsToTheSameCountRemoveOnlyTheMachinesAboveIt) {
  // I1-ORD-007: a second modify to 2 instances while the first one's VM is still being destroyed asks for
  // nothing more; the service must end with 2 VMs.
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  const auto a = activate("C1", "PO-1", vm_chars(3), 20, 30);
  ASSERT_EQ(a.vms.size(), 3u);
  const json to_two = json::array({modify_item("1", a.service, json::array({characteristic("instances", 2)}))});
  ctx->advance_to(100);
  ASSERT_EQ(order(order_body("PO-2", "C1", to_two)).status, 201);
  ctx->advance_to(110);
  ASSERT_EQ(order(order_body("PO-3", "C1", to_two)).status, 201);
  EXPECT_THAT(destroyed_ids(), ElementsAre(a.vms[2]));
  settle(120);
  EXPECT_EQ(held().size(), 2u);
}

// ---- 8. delete (I1-ORD-012) ---------------------------------------------------------------------------------------

TEST_F(RefCloudDelete, DestroysEveryVmAndTerminatesTheServiceOnlyOnceTheyAreGone) {
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  const auto a = activate("C1", "PO-1", vm_chars(2), 20, 30);
  ASSERT_EQ(a.vms.size(), 2u);
  ctx->advance_to(100);
  std::size_t at = mark();
  const auto del = order(order_body("PO-2", "C1", json::array({delete_item("1", a.service)})));
  ASSERT_EQ(del.status, 201);
  EXPECT_THAT(destroyed_ids(), UnorderedElementsAre(a.vms[0], a.vms[1]));
  EXPECT_THAT(labels(kCallbackA, at),
              ElementsAre("ServiceOrderStateChangeEvent:inProgress", "ServiceOperatingStatusChangeEvent:stopping"));
  ctx->deliver(DcEventKind::vm_destroyed, a.vms[0], 110);
  EXPECT_EQ(labels(kCallbackA, at).size(), 2u) << "the service ended before all its VMs were destroyed";
  ctx->deliver(DcEventKind::vm_destroyed, a.vms[1], 120);
  const auto after = labels(kCallbackA, at);
  ASSERT_GE(after.size(), 4u);
  EXPECT_EQ(after.back(), "ServiceOrderStateChangeEvent:completed");
  EXPECT_EQ(std::count(after.begin(), after.end(), "ServiceStateChangeEvent:terminated"), 1);
  const json o = to(kCallbackA, at).back().resource();
  EXPECT_EQ(o["serviceOrderItem"][0].value("state", ""), "completed");
  const json service = retrieve_service(a.service);
  EXPECT_EQ(service.value("state", ""), "terminated");
  EXPECT_EQ(service.value("endDate", ""), "2026-01-01T00:02:00.000000Z");
  EXPECT_EQ(service["place"], json::array());
}

// ---- 9. cancel (I1-ORD-010) ---------------------------------------------------------------------------------------

TEST_F(RefCloudCancel, CancelsAnOrderInProgressAndReleasesItsVms) {
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  ctx->advance_to(10);
  const auto r = order(order_body("PO-1", "C1", json::array({add_item("1", vm_chars(2))})));
  ASSERT_EQ(r.status, 201);
  const std::string order_id = r.body.value("id", "");
  const auto vms = created_since(0);
  ASSERT_EQ(vms.size(), 2u);
  ctx->deliver(DcEventKind::vm_placed, vms[0], 20);

  ctx->advance_to(30);
  const std::size_t at = mark();
  const auto task =
      call("createCancelServiceOrder", "", {{"serviceOrder", {{"id", order_id}}}, {"cancellationReason", "withdrawn"}});
  ASSERT_EQ(task.status, 201);
  EXPECT_EQ(task.body.value("state", ""), "accepted");
  EXPECT_EQ(task.body["serviceOrder"].value("id", ""), order_id);
  EXPECT_THAT(destroyed_ids(), UnorderedElementsAre(vms[0], vms[1]));

  std::vector<std::string> order_states;
  for (const auto& n : of_type(kCallbackA, "ServiceOrderStateChangeEvent", at))
    order_states.push_back(n.resource().value("state", ""));
  EXPECT_THAT(order_states, ElementsAre("assessingCancellation", "pendingCancellation", "cancelled"));
  const auto cancelled = of_type(kCallbackA, "ServiceOrderStateChangeEvent", at).back().resource();
  EXPECT_EQ(cancelled["serviceOrderItem"][0].value("state", ""), "cancelled");
  EXPECT_EQ(cancelled.value("cancellationDate", ""), "2026-01-01T00:00:30.000000Z");
  EXPECT_EQ(cancelled.value("cancellationReason", ""), "withdrawn");
  const auto tasks = of_type(kCallbackA, "CancelServiceOrderStateChangeEvent", at);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].resource().value("state", ""), "done");
  EXPECT_EQ(tasks[0].resource().value("id", ""), task.body.value("id", ""));
  EXPECT_EQ(tasks[0].resource().value("effectiveCancellationDate", ""), "2026-01-01T00:00:30.000000Z");
  EXPECT_THAT(labels(kCallbackA, at), ::testing::Contains("ServiceStateChangeEvent:terminated"));

  // The data centre's late reports change nothing any more.
  const std::size_t later = mark();
  ctx->deliver(DcEventKind::vm_booted, vms[0], 40);
  ctx->deliver(DcEventKind::vm_destroyed, vms[0], 41);
  ctx->deliver(DcEventKind::vm_destroyed, vms[1], 42);
  EXPECT_THAT(labels(kCallbackA, later), IsEmpty());
  EXPECT_EQ(call("retrieveServiceOrder", order_id, nullptr).body.value("state", ""), "cancelled");
}

TEST_F(RefCloudCancel, RefusesToCancelACompletedOrder) {
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  const auto a = activate("C1", "PO-1", vm_chars(1), 20, 30);
  const std::size_t at = mark();
  const auto task = call("createCancelServiceOrder", "", {{"serviceOrder", {{"id", a.order}}}});
  ASSERT_EQ(task.status, 201);
  EXPECT_EQ(task.body.value("state", ""), "terminatedWithError");
  EXPECT_THAT(labels(kCallbackA, at), IsEmpty());
  EXPECT_THAT(ctx->destroyed(), IsEmpty());
  EXPECT_EQ(call("retrieveServiceOrder", a.order, nullptr).body.value("state", ""), "completed");
}

TEST_F(RefCloudCancel, CancellingAScaleUpLeavesTheServiceAsItWas) {
  // I1-ORD-010 releases what the cancelled item added; the inventory (I1-INV-001) must then show what is left.
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  const auto a = activate("C1", "PO-1", vm_chars(1), 20, 30);
  ctx->advance_to(100);
  const auto up = order(order_body(
      "PO-2", "C1", json::array({modify_item("1", a.service, json::array({characteristic("instances", 3)}))})));
  ASSERT_EQ(up.status, 201);
  const auto added = created_since(1);
  ASSERT_EQ(added.size(), 2u);
  ctx->advance_to(110);
  const auto task = call("createCancelServiceOrder", "", {{"serviceOrder", {{"id", up.body.value("id", "")}}}});
  ASSERT_EQ(task.status, 201);
  EXPECT_EQ(task.body.value("state", ""), "accepted");
  EXPECT_THAT(destroyed_ids(), UnorderedElementsAre(added[0], added[1]));
  settle(120);
  EXPECT_EQ(order_state(up.body.value("id", "")), "cancelled");
  ASSERT_EQ(held().size(), 1u);
  const json service = retrieve_service(a.service);
  EXPECT_EQ(service.value("state", ""), "active");
  const json* instances = find_named(service["serviceCharacteristic"], "name", "instances");
  ASSERT_NE(instances, nullptr);
  EXPECT_EQ((*instances)["value"], 1) << "the inventory still shows the cancelled scale-up";
}

// ---- 10. activation timeout (I1-ORD-011) -------------------------------------------------------------------------

TEST_F(RefCloudActivationTimeout, FailsTheItemWithActivationTimeoutAndDestroysItsVms) {
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  ctx->advance_to(10);
  const auto r = order(order_body(
      "PO-1", "C1", json::array({add_item("1", vm_chars(2, {characteristic("maxActivationSeconds", 300)}))})));
  ASSERT_EQ(r.status, 201);
  const auto vms = created_since(0);
  ASSERT_EQ(vms.size(), 2u);
  ctx->deliver(DcEventKind::vm_placed, vms[0], 20);
  ctx->deliver(DcEventKind::vm_placed, vms[1], 20);
  ctx->deliver(DcEventKind::vm_booted, vms[0], 100);
  const std::size_t at = mark();
  ctx->advance_to(309.9); // 10 + 300 is the deadline
  EXPECT_THAT(labels(kCallbackA, at), IsEmpty()) << "failed before its maximum activation time";
  EXPECT_THAT(ctx->destroyed(), IsEmpty());
  ctx->advance_to(310.5);
  const auto failed = of_type(kCallbackA, "ServiceOrderStateChangeEvent", at);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].resource().value("state", ""), "failed");
  EXPECT_EQ(failed[0].at, 310);
  EXPECT_EQ(failed[0].resource()["serviceOrderItem"][0].value("state", ""), "failed");
  ASSERT_EQ(failed[0].resource().value("errorMessage", json::array()).size(), 1u);
  EXPECT_EQ(failed[0].resource()["errorMessage"][0].value("code", ""), "activationTimeout");
  EXPECT_THAT(labels(kCallbackA, at), ::testing::Contains("ServiceStateChangeEvent:terminated"));
  EXPECT_THAT(destroyed_ids(), UnorderedElementsAre(vms[0], vms[1]));
  // A boot after the deadline does not bring the service back.
  const std::size_t later = mark();
  ctx->deliver(DcEventKind::vm_booted, vms[1], 320);
  EXPECT_THAT(labels(kCallbackA, later), IsEmpty());
}

// ---- 11. usage and rating (I1-USG-001/002/004/005/007) -----------------------------------------------------------

TEST_F(RefCloudUsage, MetersEachHourToTheMillisecondAndRatesHalfEven) {
  setup.bill_cycle = 86400;
  setup.timers["T_usage_period"] = 3600;
  // 2 vCPU × 9e9 + 4 GiB × 2.25e9 + 40 GiB × 2.25e8 = 3.6e10 millionths of a cent per hour: 0.01 cent per ms.
  setup.offers[0].vcpu_hour = 9'000'000'000;
  setup.offers[0].ram_gib_hour = 2'250'000'000;
  setup.offers[0].storage_gib_hour = 225'000'000;
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  ctx->advance_to(100);
  const auto r = order(order_body(
      "PO-1", "C1", json::array({add_item("1", vm_chars(1, {characteristic("maxActivationSeconds", 3600)}))})));
  ASSERT_EQ(r.status, 201);
  const std::string svc = r.body["serviceOrderItem"][0]["service"].value("id", "");
  ASSERT_EQ(ctx->created().size(), 1u);
  const VmId vm = ctx->created()[0].id;
  ctx->deliver(DcEventKind::vm_placed, vm, 200);
  ctx->deliver(DcEventKind::vm_booted, vm, 1800.0005); // 1 800 000.5000000001 ms: 1 800 001 to the nearest
  ctx->advance_to(5000);
  ASSERT_EQ(order(order_body("PO-2", "C1", json::array({delete_item("1", svc)}))).status, 201);
  ctx->deliver(DcEventKind::vm_destroyed, vm, 5400.25); // 5 400 250 ms
  ctx->advance_to(7200 + 600);

  std::vector<RecordedNotification> records;
  for (const auto& n : of_type(kCallbackA, "UsageCreateEvent"))
    if (n.resource()["service"].value("id", "") == svc)
      records.push_back(n);
  ASSERT_EQ(records.size(), 2u);

  struct Expected {
    std::string start, end;
    double end_s;
    std::int64_t held_ms;
    std::int64_t amount;
  };
  // Hour 1 holds 3 600 000 − 1 800 001 = 1 799 999 ms: 17 999.99 cents, 18 000 rounded.
  // Hour 2 holds 5 400 250 − 3 600 000 = 1 800 250 ms: 18 002.5 cents, 18 002 half-even (half-up would say 18 003,
  // and rounding vCPU 9 001.25, RAM 4 500.625 and storage 4 500.625 apart would say 18 003 too).
  const Expected expected[] = {
      {"2026-01-01T00:00:00.000000Z", "2026-01-01T01:00:00.000000Z", 3600, 1'799'999, 18'000},
      {"2026-01-01T01:00:00.000000Z", "2026-01-01T02:00:00.000000Z", 7200, 1'800'250, 18'002},
  };
  for (std::size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE("record " + std::to_string(i + 1));
    const json u = records[i].resource();
    EXPECT_EQ(u["usagePeriod"].value("startDateTime", ""), expected[i].start);
    EXPECT_EQ(u["usagePeriod"].value("endDateTime", ""), expected[i].end);
    EXPECT_EQ(usage_value(u, "vcpuMilliseconds"), 2 * expected[i].held_ms);
    EXPECT_EQ(usage_value(u, "ramMiBMilliseconds"), 4096 * expected[i].held_ms);
    EXPECT_EQ(usage_value(u, "storageMiBMilliseconds"), 40960 * expected[i].held_ms);
    EXPECT_EQ(usage_amount(u), expected[i].amount);
    EXPECT_EQ(u["ratedProductUsage"][0]["taxExcludedRatingAmount"].value("unit", ""), "EUR");
    EXPECT_EQ(u.value("status", ""), "rated");
    EXPECT_EQ(u["relatedParty"], json::array({{{"id", "C1"}, {"role", "customer"}}}));
    EXPECT_GT(records[i].at, expected[i].end_s);
    EXPECT_LE(records[i].at, expected[i].end_s + 900) << "later than T_usage after the period (I1-USG-001)";
  }
  EXPECT_EQ(usage_value(records[0].resource(), "vcpuMilliseconds"), 3'599'998);
  EXPECT_EQ(usage_value(records[1].resource(), "storageMiBMilliseconds"), 73'738'240'000);
  EXPECT_NE(records[0].resource().value("id", ""), records[1].resource().value("id", ""));

  // Nothing was held after the destruction, so later hours bring no record.
  ctx->advance_to(6 * 3600 + 600);
  std::size_t count = 0;
  for (const auto& n : of_type(kCallbackA, "UsageCreateEvent"))
    count += n.resource()["service"].value("id", "") == svc ? 1 : 0;
  EXPECT_EQ(count, 2u);

  const auto listed = call("listUsage", "", nullptr, {}, "relatedParty.id=C1");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.body.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(listed.body[i].value("id", ""), records[i].resource().value("id", ""));
    EXPECT_EQ(usage_amount(listed.body[i]), expected[i].amount);
  }
}

TEST_F(RefCloudUsage, AListenerThatNeverAnswersDoesNotHoldBackACyclesBilledStates) {
  // A cycle with more records than the billed-state window (ReferenceCloud::kPublishWindow), to a listener that
  // never answers. Its notifications wait for ever (it is sent nothing twice), so counted against the window they
  // would fill it, and no billed state would ever go out, for this operator or any other.
  setup.bill_cycle = 86400;
  setup.timers["T_usage_period"] = 20; // 4,320 records in the day
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  ctx->advance_to(60);
  const Activated a = activate("C1", "PO-1", vm_chars(1, {characteristic("maxActivationSeconds", 3600)}), 60, 120);
  ctx->advance_to(86400 + 3600);

  std::set<std::string> records; // of the first day
  for (const auto& n : of_type(kCallbackA, "UsageCreateEvent"))
    if (n.resource()["service"].value("id", "") == a.service &&
        n.resource()["usagePeriod"].value("endDateTime", "") <= "2026-01-02T00:00:00.000000Z")
      records.insert(n.resource().value("id", ""));
  ASSERT_GT(records.size(), cloud::ReferenceCloud::kPublishWindow);
  ASSERT_EQ(of_type(kCallbackA, "CustomerBillCreateEvent").size(), 1u);
  std::set<std::string> billed;
  for (const auto& n : of_type(kCallbackA, "UsageStateChangeEvent"))
    if (n.resource().value("status", "") == "billed") {
      EXPECT_TRUE(billed.insert(n.resource().value("id", "")).second) << "announced billed twice";
    }
  EXPECT_EQ(billed, records);
}

TEST_F(RefCloudUsage, RecordsPastTheirRetentionGoAndTheOthersKeepTheirIdDatesAndState) {
  // Records are numbered by their place among those kept, and share their period's dates with the other records
  // of their period: after retention has dropped the oldest, every record still listed must be the one that was
  // announced under its id (same period, amounts, rating date and, once billed, state).
  setup.bill_cycle = 7200;
  setup.timers["T_usage_period"] = 1800;
  setup.timers["T_retention"] = 3600;
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  create_customer("C2", {"FR"});
  ctx->advance_to(60);
  activate("C1", "PO-1", vm_chars(1, {characteristic("maxActivationSeconds", 3600)}), 60, 100);
  ctx->advance_to(2000);
  activate("C2", "PO-2", vm_chars(2, {characteristic("maxActivationSeconds", 3600)}), 2000, 2500);
  ctx->advance_to(4 * 3600 + 900);

  std::map<std::string, json> announced; // id -> the last state announced
  for (const auto& n : to(kCallbackA))
    if (n.type.rfind("Usage", 0) == 0)
      announced[n.resource().value("id", "")] = n.resource();
  ASSERT_GE(announced.size(), 12u);
  EXPECT_EQ(announced.begin()->second.value("status", ""), "billed");
  for (const std::string& query : {std::string(), std::string("relatedParty.id=C2")}) {
    SCOPED_TRACE("listUsage?" + query);
    const auto listed = call("listUsage", "", nullptr, {}, query);
    ASSERT_EQ(listed.status, 200);
    ASSERT_FALSE(listed.body.empty());
    std::set<std::string> ids;
    for (const auto& u : listed.body) {
      const std::string id = u.value("id", "");
      ids.insert(id);
      ASSERT_TRUE(announced.count(id)) << id << " was never announced";
      EXPECT_EQ(u, announced[id]);
      // Retention: periods that ended more than an hour before the last boundary (4:00) are gone.
      EXPECT_GE(u["usagePeriod"].value("endDateTime", ""), "2026-01-01T03:00:00.000000Z") << id;
    }
    EXPECT_EQ(ids.count(announced.begin()->first), 0u) << "the oldest record outlived its retention";
    if (query.empty()) {
      std::size_t kept = 0; // every record of a period ending at 3:00 or later
      for (const auto& [id, u] : announced)
        kept += u["usagePeriod"].value("endDateTime", "") >= "2026-01-01T03:00:00.000000Z" ? 1 : 0;
      EXPECT_EQ(ids.size(), kept);
    }
  }
}

// ---- 12. bill and SLA (I1-BIL-001/002/003, I1-SLA-002/003/004) --------------------------------------------------

class RefCloudBillCycle : public RefCloudFixture {
protected:
  // One 2 vCPU / 4 GiB / 40 GiB VM booted at 0:30 and running all day, with a 99 % objective, down from 10:00 to
  // 10:30. Rates: 2 × 1.5e6 + 4 × 2.5e5 + 40 × 2.5e4 = 5e6 millionths of a cent per hour, 5 cents an hour.
  void run_day() {
    setup.bill_cycle = 86400;
    start();
    subscribe(kCallbackA);
    create_customer("C1", {"FR"});
    ctx->advance_to(60);
    const auto r =
        order(order_body("PO-1", "C1",
                         json::array({add_item("1", vm_chars(1, {characteristic("maxActivationSeconds", 3600),
                                                                 characteristic("availabilityObjective", 99)}))})));
    ASSERT_EQ(r.status, 201);
    svc = r.body["serviceOrderItem"][0]["service"].value("id", "");
    ASSERT_EQ(ctx->created().size(), 1u);
    vm = ctx->created()[0].id;
    ctx->deliver(DcEventKind::vm_placed, vm, 120);
    ctx->deliver(DcEventKind::vm_booted, vm, 1800);
    ctx->deliver(DcEventKind::vm_down, vm, 36000);
    ctx->deliver(DcEventKind::vm_up, vm, 37800);
    ctx->advance_to(86400 + 600);
  }
  std::vector<json> usage_of_day() const {
    std::vector<json> out;
    for (const auto& n : of_type(kCallbackA, "UsageCreateEvent"))
      if (n.resource()["service"].value("id", "") == svc &&
          n.resource()["usagePeriod"].value("endDateTime", "") <= "2026-01-02T00:00:00.000000Z")
        out.push_back(n.resource());
    return out;
  }
  std::string svc;
  VmId vm = 0;
};

TEST_F(RefCloudBillCycle, ReportsTheViolationAndBillsTheCycleWithItsSlaCredit) {
  run_day();
  // The objective allows 1 % of 86 400 s = 864 s down; from 10:00 that is exceeded just after 10:14:24.
  const auto violations = of_type(kCallbackA, "ServiceLevelViolationCreateEvent");
  ASSERT_EQ(violations.size(), 1u);
  const json v = violations[0].resource();
  EXPECT_EQ(v["service"].value("id", ""), svc);
  EXPECT_EQ(v.value("objective", 0.0), 99.0);
  EXPECT_EQ(v["period"].value("startDateTime", ""), "2026-01-01T00:00:00.000000Z");
  EXPECT_EQ(v["period"].value("endDateTime", ""), "2026-01-02T00:00:00.000000Z");
  EXPECT_GE(violations[0].at, 36000 + 864);
  EXPECT_LE(violations[0].at, 36000 + 864 + 900) << "later than T_sla (I1-SLA-002)";
  EXPECT_LT(v.value("actualValue", 100.0), 99.0);

  // 24 hourly records: 0:00-1:00 holds 30 min = 2.5 cents, 2 half-even; the 23 others 5 cents each: 117.
  const auto records = usage_of_day();
  ASSERT_EQ(records.size(), 24u);
  std::vector<std::int64_t> amounts;
  std::vector<json> refs;
  for (const auto& u : records) {
    amounts.push_back(usage_amount(u));
    refs.push_back({{"id", u.value("id", "")}});
  }
  std::vector<std::int64_t> expected_amounts(24, 5);
  expected_amounts[0] = 2;
  EXPECT_EQ(amounts, expected_amounts);

  const auto bills = of_type(kCallbackA, "CustomerBillCreateEvent");
  ASSERT_EQ(bills.size(), 1u);
  EXPECT_GE(bills[0].at, 86400);
  EXPECT_LE(bills[0].at, 86400 + 3600) << "later than T_bill (I1-BIL-001)";
  const json bill = bills[0].resource();
  EXPECT_EQ(bill.value("state", ""), "sent");
  EXPECT_EQ(bill.value("runType", ""), "onCycle");
  EXPECT_EQ(bill["billingPeriod"].value("startDateTime", ""), "2026-01-01T00:00:00.000000Z");
  EXPECT_EQ(bill["billingPeriod"].value("endDateTime", ""), "2026-01-02T00:00:00.000000Z");
  EXPECT_EQ(bill["relatedParty"], json::array({{{"id", "C1"}, {"role", "customer"}}}));
  // Usage 117; down 1 800 s of 86 400 misses 99 %; credit 50 % of 117 = 58.5, 58 half-even; due 117 − 58 = 59.
  const json rates = bill.value("appliedBillingRate", json::array());
  ASSERT_EQ(rates.size(), 2u);
  const json* usage = find_named(rates, "type", "usage");
  const json* credit = find_named(rates, "type", "slaCredit");
  ASSERT_NE(usage, nullptr);
  ASSERT_NE(credit, nullptr);
  EXPECT_EQ((*usage)["service"].value("id", ""), svc);
  EXPECT_EQ((*usage)["amount"], json({{"unit", "EUR"}, {"value", 117}}));
  EXPECT_EQ((*usage)["usage"], json(refs)) << "not every record of the cycle listed once";
  EXPECT_EQ((*credit)["service"].value("id", ""), svc);
  EXPECT_EQ((*credit)["amount"], json({{"unit", "EUR"}, {"value", -58}}));
  const json compliance = bill.value("serviceLevelCompliance", json::array());
  ASSERT_EQ(compliance.size(), 1u);
  EXPECT_EQ(compliance[0]["service"].value("id", ""), svc);
  EXPECT_EQ(compliance[0].value("objective", 0.0), 99.0);
  EXPECT_NEAR(compliance[0].value("measured", 0.0), 100.0 * (86400 - 1800) / 86400, 1e-9); // 97.91666…
  EXPECT_EQ(compliance[0].value("compliant", true), false);
  EXPECT_EQ(compliance[0]["credit"], json({{"unit", "EUR"}, {"value", 58}}));
  EXPECT_EQ(bill["amountDue"], json({{"unit", "EUR"}, {"value", 59}}));

  const auto listed = call("listUsage", "", nullptr, {}, "relatedParty.id=C1");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.body.size(), 24u);
  for (const auto& u : listed.body) {
    EXPECT_EQ(u.value("status", ""), "billed") << u.value("id", "");
    EXPECT_EQ(u["ratedProductUsage"][0].value("isBilled", false), true) << u.value("id", "");
  }

  const std::string bill_id = bill.value("id", "");
  const auto settled = call("updateCustomerBill", bill_id, {{"state", "settled"}});
  EXPECT_EQ(settled.status, 200);
  EXPECT_EQ(settled.body.value("state", ""), "settled");
  EXPECT_EQ(call("updateCustomerBill", bill_id, {{"state", "new"}}).status, 409);
}

TEST_F(RefCloudBillCycle, NotifiesEachRecordsChangeToBilled) {
  // I1-HUB-003: every change of a state-machine field is notified; rated -> billed is announced by
  // UsageStateChangeEvent (the usage state machine's transition names it).
  run_day();
  std::set<std::string> billed;
  for (const auto& n : of_type(kCallbackA, "UsageStateChangeEvent"))
    if (n.resource().value("status", "") == "billed") {
      billed.insert(n.resource().value("id", ""));
      EXPECT_LE(n.at, 86400 + 600) << "later than T_notify after the bill";
    }
  std::set<std::string> records;
  for (const auto& u : usage_of_day())
    records.insert(u.value("id", ""));
  ASSERT_EQ(records.size(), 24u);
  EXPECT_EQ(billed, records);
}

TEST_F(RefCloudBillCycle, AnnouncesASettledBillToItsSubscribers) {
  // I1-HUB-003 again: the consumer causes sent -> settled with updateCustomerBill, and it is still notified.
  run_day();
  const auto bills = of_type(kCallbackA, "CustomerBillCreateEvent");
  ASSERT_EQ(bills.size(), 1u);
  const std::string bill_id = bills.front().resource().value("id", "");
  EXPECT_TRUE(of_type(kCallbackA, "CustomerBillStateChangeEvent").empty());
  ASSERT_EQ(call("updateCustomerBill", bill_id, {{"state", "settled"}}).status, 200);
  const auto changes = of_type(kCallbackA, "CustomerBillStateChangeEvent");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes.front().resource().value("id", ""), bill_id);
  EXPECT_EQ(changes.front().resource().value("state", ""), "settled");
  // Settling again changes nothing, so nothing more is announced.
  ASSERT_EQ(call("updateCustomerBill", bill_id, {{"state", "settled"}}).status, 200);
  EXPECT_EQ(of_type(kCallbackA, "CustomerBillStateChangeEvent").size(), 1u);
}

// ---- 13. alarms (I1-ALM-001/002/004, I1-SEC-003) -----------------------------------------------------------------

TEST_F(RefCloudAlarms, RaisesAndClearsAnAlarmWhichOnlyItsOperatorCanAcknowledge) {
  setup.profile = "X";
  setup.operators = {{kKeyA, "op-a"}, {kKeyB, "op-b"}};
  start();
  subscribe(kCallbackA, kKeyA);
  subscribe(kCallbackB, kKeyB);
  create_customer("C1", {"FR"}, kKeyA);
  const auto a = activate("C1", "PO-1", vm_chars(2), 20, 30, kKeyA);
  ASSERT_EQ(a.vms.size(), 2u);

  std::size_t at = mark();
  ctx->deliver(DcEventKind::vm_down, a.vms[0], 1000);
  const auto raised = of_type(kCallbackA, "AlarmCreateEvent", at);
  ASSERT_EQ(raised.size(), 1u);
  const json alarm = raised[0].resource();
  const std::string alarm_id = alarm.value("id", "");
  EXPECT_EQ(alarm.value("state", ""), "raised");
  EXPECT_EQ(alarm.value("ackState", ""), "unacknowledged");
  EXPECT_EQ(alarm["alarmedObject"].value("id", ""), a.service);
  EXPECT_NE(alarm.value("perceivedSeverity", "cleared"), "cleared");
  EXPECT_EQ(alarm.value("alarmRaisedTime", ""), "2026-01-01T00:16:40.000000Z");
  EXPECT_EQ(raised[0].at, 1000);
  EXPECT_THAT(labels(kCallbackA, at), ::testing::Contains("ServiceOperatingStatusChangeEvent:degraded"));

  at = mark();
  ctx->deliver(DcEventKind::vm_up, a.vms[0], 1300);
  const auto cleared = of_type(kCallbackA, "AlarmStateChangeEvent", at);
  ASSERT_EQ(cleared.size(), 1u);
  EXPECT_EQ(cleared[0].resource().value("id", ""), alarm_id);
  EXPECT_EQ(cleared[0].resource().value("state", ""), "cleared");
  EXPECT_EQ(cleared[0].resource().value("perceivedSeverity", ""), "cleared");
  EXPECT_EQ(cleared[0].resource().value("alarmClearedTime", ""), "2026-01-01T00:21:40.000000Z");
  EXPECT_EQ(cleared[0].at, 1300);
  EXPECT_THAT(labels(kCallbackA, at), ::testing::Contains("ServiceOperatingStatusChangeEvent:running"));

  const json ack{{"alarmPattern", json::array({{{"id", alarm_id}}})}, {"ackSystemId", "telecom-b"}};
  const auto by_b = call("ackAlarms", "", ack, kKeyB);
  EXPECT_EQ(by_b.status, 201);
  EXPECT_EQ(by_b.body["ackedAlarm"], json::array()) << "operator B acknowledged operator A's alarm";
  const auto list_b = call("listAlarm", "", nullptr, kKeyB);
  EXPECT_EQ(list_b.body, json::array());
  auto list_a = call("listAlarm", "", nullptr, kKeyA);
  ASSERT_EQ(list_a.body.size(), 1u);
  EXPECT_EQ(list_a.body[0].value("ackState", ""), "unacknowledged");

  const auto by_a = call("ackAlarms", "", ack, kKeyA);
  EXPECT_EQ(by_a.status, 201);
  EXPECT_EQ(by_a.body["ackedAlarm"], json::array({{{"id", alarm_id}}}));
  list_a = call("listAlarm", "", nullptr, kKeyA);
  ASSERT_EQ(list_a.body.size(), 1u);
  EXPECT_EQ(list_a.body[0].value("ackState", ""), "acknowledged");
  EXPECT_THAT(to(kCallbackB), IsEmpty()) << "operator B heard about operator A's resources";
}

// ---- 14. measurement jobs (I1-PM-001..004) ------------------------------------------------------------------------

TEST_F(RefCloudMeasurement, ReportsTheHourAsTheServiceHadItAndStopsWhenDeleted) {
  start();
  subscribe(kCallbackA);
  create_customer("C1", {"FR"});
  const auto a = activate("C1", "PO-1", vm_chars(1), 150, 200);
  ctx->advance_to(600);
  std::size_t at = mark();
  const json create{{"service", {{"id", a.service}}},
                    {"granularity", "g_1h"},
                    {"performanceIndicator", json::array({"availability", "downtime", "allocatedVcpu"})}};
  const auto job = call("createMeasurementCollectionJob", "", create);
  ASSERT_EQ(job.status, 201);
  const std::string job_id = job.body.value("id", "");
  EXPECT_EQ(job.body.value("executionState", ""), "acknowledged");
  EXPECT_EQ(job.body.value("creationTime", ""), "2026-01-01T00:10:00.000000Z");
  EXPECT_EQ(job.body.value("granularity", ""), "g_1h");
  EXPECT_THAT(labels(kCallbackA, at), ElementsAre("MeasurementCollectionJobStateChangeEvent:inProgress"));

  // Down from 0:20 to 0:25 in the measured 0:10-1:00: 300 s of 3 000 s, 90 % available.
  ctx->deliver(DcEventKind::vm_down, a.vms[0], 1200);
  ctx->deliver(DcEventKind::vm_up, a.vms[0], 1500);
  ctx->advance_to(3600 + 5);
  const auto reports = of_type(kCallbackA, "PerformanceReportEvent");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_GE(reports[0].at, 3600);
  EXPECT_LE(reports[0].at, 3605) << "later than T_notify after the period (I1-PM-003)";
  const json report = reports[0].resource();
  EXPECT_EQ(report["measurementCollectionJob"].value("id", ""), job_id);
  EXPECT_EQ(report["service"].value("id", ""), a.service);
  EXPECT_EQ(report["period"].value("startDateTime", ""), "2026-01-01T00:10:00.000000Z");
  EXPECT_EQ(report["period"].value("endDateTime", ""), "2026-01-01T01:00:00.000000Z");
  const json measurements = report.value("measurement", json::array());
  const json* availability = find_named(measurements, "indicator", "availability");
  const json* downtime = find_named(measurements, "indicator", "downtime");
  const json* vcpu = find_named(measurements, "indicator", "allocatedVcpu");
  ASSERT_NE(availability, nullptr);
  ASSERT_NE(downtime, nullptr);
  ASSERT_NE(vcpu, nullptr);
  EXPECT_NEAR((*availability).value("value", 0.0), 90.0, 1e-9);
  EXPECT_NEAR((*downtime).value("value", 0.0), 300.0, 1e-9);
  EXPECT_EQ((*vcpu).value("value", 0.0), 2.0);

  ctx->advance_to(4000);
  at = mark();
  const auto del = call("deleteMeasurementCollectionJob", job_id, nullptr);
  EXPECT_EQ(del.status, 204);
  EXPECT_THAT(labels(kCallbackA, at), ElementsAre("MeasurementCollectionJobStateChangeEvent:cancelled"));
  ctx->advance_to(3 * 3600 + 10);
  EXPECT_EQ(of_type(kCallbackA, "PerformanceReportEvent").size(), 1u) << "a deleted job still reports";
}

} // namespace
} // namespace i1sim::fake::reference_cloud_test
