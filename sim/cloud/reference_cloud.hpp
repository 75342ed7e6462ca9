// The reference Cloud BSS/OSS: the implementation i1sim ships as the model answer (selected by --iut ref). It
// implements every requirement of the I1 specification v1, mandatory and optional, in both profiles.
#pragma once

#include "cloud/compact_text.hpp"
#include "cloud/numbered_ids.hpp"
#include "cloud/stored_json.hpp"
#include "i1sim/iut.hpp"
#include "util/string_table.hpp"

#include <cmath>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace i1sim::cloud {

/// State is kept in two parts, as a real deployment keeps a database and a process: `db_` (Store) is what
/// survives a restart, `mem_` (Memory) what a restart loses. restart() drops all of Memory and rebuilds the
/// timers the Store's obligations need; nothing in the Store refers to anything in Memory.
///
/// Notifications are delivered at least once (I1-HUB-006: an answer other than 204 is a failed delivery). Each
/// one waits in the durable outbox until its listener answers 204. Once a listener has answered anything at
/// all (so it is known to answer), a notification it leaves unacknowledged is taken for lost, and sent again
/// with the same eventId, when a notification sent after it was answered 2 x T_response ago, or when the
/// listener has not answered anything for 2 x T_response since it was sent (doubling with each delivery); at
/// most kMaxDeliveries deliveries in all. A listener that is merely slow (answers queued behind other work)
/// keeps answering in order, so it is sent nothing twice. Deleting the subscription drops what is still
/// waiting; a listener that never answers gets each notification once. Redelivered notifications may arrive after later
/// ones about the same resource; the consumer de-duplicates by eventId and must not take an older state for a newer
/// one. Overdue notifications are looked for whenever the process handles anything; a timer is only set once a delivery
/// has failed, and kept while a failed one waits. A run in which every notification is answered in time therefore has
/// no timer more than it would have without redelivery (the simulated clock is a running sum: a timer more is an engine
/// step more, and every later time would differ in its last digits).
///
/// Clock skew: the reference trusts its own clock (CloudContext::now) for when to act (period boundaries,
/// deadlines, reports, SLA checks) and for the timestamps it writes, but meters usage and availability from
/// the data centres' report times and from the fixed grid of usage periods and bill cycles, never from its
/// clock. A skewed clock therefore moves when a record is produced, and the rating and event times it carries,
/// not the amounts: as long as the clock runs at most the settle margin (60 s, or T_usage / 2 if shorter)
/// ahead, every report of a period is in before the period is metered. A clock that jumps back only makes
/// computed delays shorter or negative; they are taken as zero.
class ReferenceCloud : public CloudIut {
public:
  explicit ReferenceCloud(CloudSetup setup);
  std::string name() const override { return "ref"; }
  void start(CloudContext& ctx) override;
  void on_request(CloudContext& ctx, const Message& request) override;
  void on_response(CloudContext& ctx, const Message& response) override;
  void on_dc_event(CloudContext& ctx, const DcEvent& event) override;
  void on_timer(CloudContext& ctx, std::uint64_t token) override;
  void restart(CloudContext& ctx) override;

  /// Deliveries of one notification at most (the first and the redeliveries).
  static constexpr int kMaxDeliveries = 8;
  /// Notifications waiting for their answer (from listeners that answer at all) at most before a cycle's billed
  /// usage states wait their turn: a month's end bills every record of the month, and announcing them all at once
  /// would hold a notification in flight for each (gigabytes at a million orders). A record becomes billed, and
  /// is announced, when its turn comes; its bill does not wait.
  static constexpr std::size_t kPublishWindow = 4096;

private:
  using Ms = std::int64_t; // simulated time in whole milliseconds: what usage and availability are counted in

  struct Requirements {
    int instances = 0;
    int vcpu = 0;
    std::int64_t ram_mib = 0;
    std::int64_t storage_mib = 0;
    double min_core_speed = 0; // flop/s
    double max_activation = 0; // s; 0: T_activation
    double availability = 0;   // percent; 0: no objective
    // Narrowing of the customer's, in Store::jurisdiction_lists (a few distinct lists); null: the customer's.
    const std::vector<std::string>* jurisdictions = nullptr;
    std::int64_t availability_millipercent() const { return std::llround(availability * 1000); }
  };
  /// A VM of a service. Only whether it was placed and booted is read back (its host and boot time are not).
  struct Vm {
    VmId id = 0;
    Sym dc;
    bool placed = false;
    bool booted = false;
    bool down = false;
    bool leaving = false; // destroy asked
  };
  /// One period in which a VM held its resources, for metering: the service's vCPU, RAM and storage, which no
  /// modification changes (only instances and the availability objective can be modified).
  struct Allocation {
    VmId vm = 0;
    Ms from = 0;
    Ms to = -1; // -1: still held
  };
  /// Availability of a service that has been down: most never are, and keep no room for it.
  struct Downtime {
    std::vector<std::pair<Ms, Ms>> periods; // [from, to); to -1 while still down
    std::vector<int> violated;              // cycles with a violation already reported (a few at most)
  };
  /// A service, kept for the whole run at the place of its number in Store::services (its id is SVC- and the number,
  /// see kServiceIds).
  struct Service {
    Sym op; // owning operator
    Sym customer;
    Sym state; // TMF638 lifecycle state
    Sym operating{"pending"};
    const CloudServiceOffer* offer = nullptr;
    Requirements req;
    StoredJson characteristics;
    std::vector<Vm> vms; // by id
    std::vector<Allocation> allocations;
    std::uint32_t last_order = 0; // the number of the order that last changed it
    std::uint32_t alarm = 0;      // the number of its open alarm; 0: none
    Stamp start_date, end_date;
    // Availability: the service is down while any of its VMs is down.
    int vms_down = 0;
    std::uint32_t number = 0; // its id's
    bool exists = false;      // false: never created, or dropped with its rejected order
    std::unique_ptr<Downtime> downtime;
    Vm* vm(VmId id);
    const Vm* vm(VmId id) const { return const_cast<Service*>(this)->vm(id); }
  };
  /// The work an order item still waits for.
  struct Work {
    std::vector<VmId> waiting; // VMs whose boot (add, modify up) or destruction (delete, modify down) it awaits
    std::vector<VmId> added;   // modify up: the new VMs, destroyed again if the item fails
    int old_instances = 0;     // modify: what the service had, restored if the item fails or is cancelled
    StoredJson old_characteristics;
    double old_availability = 0;
    Ms deadline = -1; // add: when it fails with activationTimeout if not completed (own clock, ms); -1: none
  };
  /// An order item. Orders are kept for the whole run (they can be read back), so what only an item not final
  /// yet needs is apart (work), and dropped when it becomes final (finish_item).
  struct Item {
    Sym id;
    Sym action;
    Sym state;
    std::uint32_t service = 0; // the number of the service it names, 0: none of the Cloud's (see kServiceIds)
    StoredJson service_value;  // as ordered
    std::unique_ptr<Work> work = std::make_unique<Work>();
    /// Whether it waits for any VM (an item that is final waits for none).
    bool waits() const { return work && !work->waiting.empty(); }
  };
  /// An order, kept for the whole run at the place of its number in Store::orders (its id is SO- and the number, see
  /// kOrderIds).
  struct Order {
    std::uint32_t number = 0;
    std::uint32_t external_id = 0; // in Store::external_ids
    Sym op;
    Sym customer;
    Sym state;
    Stamp order_date, completion_date, cancellation_date;
    const std::string* cancellation_reason = nullptr; // in Store::texts; null: none
    Sym description;                                  // the product's name
    StoredJson related_party;
    std::vector<Item> items;
    nlohmann::json errors; // null until the first error: an empty array costs an allocation per order
  };
  struct Customer {
    std::string id, op, name, status = "validated", currency;
    std::vector<std::string> jurisdictions;
    nlohmann::json related_party;
  };
  struct Hub {
    std::string id, op, callback, query;
    bool answers = false;    // its listener has answered a notification: unanswered ones are sent again
    double last_answer = -1; // own clock, s: when it last answered
  };
  /// A notification waiting for its listener's 204.
  struct Delivery {
    std::string hub;
    std::string event_type;
    std::string envelope;       // serialised: a period's end leaves every record of the month waiting at once, and
                                // text takes a fraction of the memory of the parsed document
    int attempts = 0;           // deliveries so far
    std::uint64_t seq = 0;      // order of the last delivery among all deliveries
    double sent = 0;            // own clock, s: when it was last delivered
    double later_answered = -1; // own clock, s: when a notification delivered after it was first answered
  };
  /// What every usage record metered at one boundary shares: a few per day, where records are several per
  /// service.
  struct Period {
    Ms from = 0, to = 0; // usageDate is its end
    int cycle = 0;
    double rated_at = 0; // own clock, s: ratingDate (a boundary meters every record at one instant)
  };
  /// A usage record, kept small (16 bytes): a month holds several per service. Its creation number is its place in
  /// Store::usage, its id, dates and status text are derived, its period is one of Store::periods, and all else
  /// is its service's.
  struct Usage {
    std::uint32_t service = 0;     // its number: the operator, customer, sizes and prices are the service's
    std::uint32_t period : 31 = 0; // in Store::periods
    std::uint32_t billed : 1 = 0;
    std::int64_t vm_ms = 0; // how long its VMs were held in the period, summed; every amount follows from it
  };
  /// What a usage record's numbers are, worked out from its VM time and its service's sizes and prices.
  struct Metered {
    std::int64_t vcpu_ms = 0, ram_mib_ms = 0, storage_mib_ms = 0;
    std::int64_t amount = 0;
  };
  Metered metered(const Usage& u) const;
  struct Bill {
    std::string id, op, customer, state, run_type;
    std::string body; // serialised: a month leaves a bill per customer, each naming every usage record it bills,
                      // and only a change of state reads one back
  };
  struct Alarm {
    std::string id, op, service, state = "raised", ack = "unacknowledged", severity = "major";
    std::string raised, changed, cleared;
  };
  struct Job {
    std::string id, op, service, state, granularity, created;
    double period = 0;
    std::vector<std::string> indicators;
    Ms from = 0; // start of the period being measured
  };
  struct Timer {
    enum class Kind { boundary, deadline, violation, report, sweep } kind = Kind::boundary;
    std::string subject; // item key "order/index", service id, job id
  };

  // Requests (reference_cloud.cpp).
  bool authenticate(CloudContext& ctx, const Message& request, std::string& op);
  void create_hub(CloudContext& ctx, const Message& request, const std::string& op);
  void delete_hub(CloudContext& ctx, const Message& request, const std::string& op, const std::string& id);
  void create_customer(CloudContext& ctx, const Message& request, const std::string& op);
  void patch_customer(CloudContext& ctx, const Message& request, const std::string& op, const std::string& id);
  void publish(CloudContext& ctx, const std::string& op, std::string_view event_type, const std::string& key,
               nlohmann::json resource);
  /// Sends the outbox entry `event_id` (again); `envelope` is its document when the caller still has it.
  void deliver(CloudContext& ctx, const std::string& event_id, nlohmann::json envelope = nullptr);
  /// Marks billed and announces the records of to_bill while fewer than kPublishWindow notifications wait.
  void publish_billed(CloudContext& ctx);
  /// Notifications waiting for an answer from a listener that answers.
  std::size_t waiting_for_answers() const;
  void redeliver_due(CloudContext& ctx);
  double redelivery_at(const Delivery& d, const Hub& hub) const;
  void reindex_outbox();
  void mark_later_answered(const std::string& hub, std::uint64_t seq, double now);
  void arm_sweep(CloudContext& ctx);
  void sweep(CloudContext& ctx);
  nlohmann::json customer_json(const Customer& c) const;

  // Ordering and inventory (reference_ordering.cpp).
  void create_order(CloudContext& ctx, const Message& request, const std::string& op);
  std::string check_item(const nlohmann::json& item, std::size_t index, Requirements& req,
                         const CloudServiceOffer*& offer, std::vector<std::string>& jurisdictions) const;
  void start_item(CloudContext& ctx, Order& order, std::size_t index);
  void start_add(CloudContext& ctx, Order& order, Item& item);
  void start_modify(CloudContext& ctx, Order& order, Item& item);
  void start_delete(CloudContext& ctx, Order& order, Item& item);
  void item_finished(CloudContext& ctx, Order& order, Item& item, const std::string& state, const std::string& code,
                     const std::string& reason);
  /// Makes `item` final in `state`, dropping its work.
  static void finish_item(Item& item, const std::string& state);
  void order_progress(CloudContext& ctx, Order& order);
  void cancel_order(CloudContext& ctx, const Message& request, const std::string& op);
  void finish_cancellation(CloudContext& ctx, Order& order);
  void retrieve_order(CloudContext& ctx, const Message& request, const std::string& op, const std::string& id);
  void retrieve_service(CloudContext& ctx, const Message& request, const std::string& op, const std::string& id);
  void list_services(CloudContext& ctx, const Message& request, const std::string& op);
  void vm_event(CloudContext& ctx, Service& svc, const DcEvent& event);
  void set_service_state(CloudContext& ctx, Service& svc, const std::string& state);
  void set_operating(CloudContext& ctx, Service& svc, const std::string& status);
  void set_order_state(CloudContext& ctx, Order& order, const std::string& state);
  void notify_items(CloudContext& ctx, Order& order);
  nlohmann::json order_json(const Order& order) const;
  nlohmann::json service_json(const Service& svc) const;
  static void add_vm(Service& svc, VmId vm, const std::string& dc);
  void release_vm(CloudContext& ctx, Service& svc, VmId vm);
  void restore(Service& svc, const Item& item);
  void wait_for(Order& order, Item& item, VmId vm);
  std::vector<std::pair<Order*, Item*>> items_waiting_for(VmId vm);
  /// Drops the entries of Store::waiters for `vm` whose items no longer wait for it.
  void forget_waiters(VmId vm);
  std::string choose_dc(CloudContext& ctx, const std::string& op, const std::string& customer, const Requirements& req,
                        const std::string& preferred) const;

  // Assurance and accounting (reference_accounting.cpp).
  void vm_down(CloudContext& ctx, Service& svc, Ms at);
  void vm_up(CloudContext& ctx, Service& svc, Ms at);
  void arm_violation(CloudContext& ctx, Service& svc);
  void check_violation(CloudContext& ctx, const std::string& service_id);
  void list_alarms(CloudContext& ctx, const Message& request, const std::string& op);
  void ack_alarms(CloudContext& ctx, const Message& request, const std::string& op);
  nlohmann::json alarm_json(const Alarm& a) const;
  void create_job(CloudContext& ctx, const Message& request, const std::string& op);
  void delete_job(CloudContext& ctx, const Message& request, const std::string& op, const std::string& id);
  void job_report(CloudContext& ctx, const std::string& job_id);
  void end_jobs_of(CloudContext& ctx, const Service& svc);
  nlohmann::json job_json(const Job& j) const;
  void boundary(CloudContext& ctx);
  void meter(CloudContext& ctx, Ms from, Ms to, int cycle);
  void close_cycle(CloudContext& ctx, int cycle);
  nlohmann::json bill_json(const std::string& id, const std::string& customer, Ms from, Ms to,
                           const std::string& run_type, const std::string& state,
                           const std::vector<std::uint32_t>& usage);
  void list_usage(CloudContext& ctx, const Message& request, const std::string& op);
  void bill_on_demand(CloudContext& ctx, const Message& request, const std::string& op);
  void update_bill(CloudContext& ctx, const Message& request, const std::string& op, const std::string& id);
  /// Record `u`, whose creation number is `number`.
  nlohmann::json usage_json(const Usage& u, std::uint64_t number) const;
  std::string usage_date(const Usage& u) const;
  Ms down_between(const Service& svc, Ms from, Ms to) const;
  /// The record with creation number `number`, or null if there is none (yet, or any more).
  Usage* usage_record(std::uint64_t number);

  /// The service with id `id` (exactly as the Cloud writes it) or number `number`, or null if there is none.
  Service* find_service(std::string_view id);
  Service* find_service(std::uint32_t number);
  const Service* find_service(std::uint32_t number) const {
    return const_cast<ReferenceCloud*>(this)->find_service(number);
  }
  Order* find_order(std::string_view id);
  static std::string order_id(const Order& o) { return kOrderIds.id(o.number); }
  std::string_view external_id_of(const Order& o) const { return db_.external_ids.text(o.external_id); }

  std::uint64_t set_timer(CloudContext& ctx, double delay, Timer timer);
  const CloudServiceOffer* offer(const std::string& id) const;
  int cycle_of(Ms t) const;
  Ms cycle_ms() const { return static_cast<Ms>(setup_.bill_cycle * 1000 + 0.5); }
  static Ms ms(double seconds);
  std::string iso(CloudContext& ctx, Ms t) const;

  /// What survives a restart: the database of a real Cloud BSS/OSS.
  struct Store {
    std::map<std::string, Hub> hubs;
    std::map<std::string, Customer> customers; // key: operator + "/" + customer id
    RecordArray<Order> orders;                 // by number - 1
    util::CompactStringTable external_ids;     // the externalIds of orders, of every operator
    // operator -> order number by the externalId's place in external_ids (0: none): only looked up.
    std::map<std::string, std::vector<std::uint32_t>, std::less<>> by_external_id;
    RecordArray<Service> services; // by number - 1
    // (operator, customer) -> numbers of its services, in creation order (a rejected order's may be gone): a
    // customer's inventory is listed without reading everyone's.
    std::map<std::pair<std::string, std::string>, std::vector<std::uint32_t>> services_of;
    DenseIndex vm_owner; // VM -> service number
    // VM -> (order number, item index) of the items waiting for it (an index: Work::waiting is what they wait for).
    std::map<VmId, std::vector<std::pair<std::uint32_t, std::uint32_t>>> waiters;
    std::set<std::vector<std::string>> jurisdiction_lists; // Requirements::jurisdictions, each list kept once
    std::map<std::string, Alarm> alarms;
    std::map<std::string, Job> jobs;
    // By creation number: usage[i] is number first_usage + i (a record's id is USG- and it on seven digits).
    // Retention drops the oldest periods first, and numbers follow the periods, so what is dropped is always a
    // prefix.
    std::deque<Usage> usage;
    std::uint64_t first_usage = 1;
    std::vector<Period> periods; // periods with records, in order (a few a day: never dropped)
    TextPool texts;              // the stored documents' texts
    // (operator, customer) -> creation numbers of its records, in creation order: a customer's usage is listed
    // and billed without reading everyone's.
    std::map<std::pair<std::string, std::string>, std::vector<std::uint32_t>> usage_of;
    std::map<std::string, Bill> bills;
    std::map<std::string, Delivery> outbox; // by event id: notifications not acknowledged yet
    std::deque<std::uint64_t> to_bill;      // billed records (creation numbers) whose state change waits its turn
    std::uint64_t next_delivery = 0;
    std::uint64_t next_order = 0, next_service = 0, next_event = 0, next_hub = 0, next_task = 0;
    std::uint64_t next_usage = 0, next_bill = 0, next_alarm = 0, next_job = 0, next_report = 0;
    std::uint64_t next_violation = 0;
    Ms metered_until = 0; // usage is metered up to here
    Ms next_boundary = 0; // the end of the usage period being metered next
  };
  /// A time at or after which a delivery may be overdue (a lower bound: redeliver_due works out the exact time
  /// when it comes up), for the delivery with this `seq`; an entry whose delivery was acknowledged or sent again
  /// since is stale and skipped.
  struct DueEntry {
    double at = 0;
    std::uint64_t seq = 0;
    std::string event_id;
    friend bool operator>(const DueEntry& a, const DueEntry& b) {
      return std::tie(a.at, a.seq) > std::tie(b.at, b.seq);
    }
  };
  /// What a restart loses: timers and caches.
  struct Memory {
    std::map<std::uint64_t, Timer> timers;
    // Indexes of the outbox, so that looking for overdue notifications costs nothing while none is due, however
    // many wait (a month's usage records all wait at once at a period's end): candidates by time, and per hub
    // the deliveries no later one has been answered after, by delivery order.
    std::priority_queue<DueEntry, std::vector<DueEntry>, std::greater<>> due;
    std::map<std::string, std::set<std::pair<std::uint64_t, std::string>>> unmarked;
    std::uint64_t next_timer = 0;
    bool sweep_armed = false;                                          // a timer for the outbox is set
    std::vector<std::pair<std::string, std::string>> dc_jurisdictions; // data centre -> jurisdiction, as listed
  };

  CloudSetup setup_;
  double t_response_ = 5.0; // T_response, s: the unit of the redelivery waits
  Store db_;
  Memory mem_;
};

} // namespace i1sim::cloud
