// The table of mutants: each the reference with one realistic defect, what it does wrong and what it breaks.
#include "cloud/mutants.hpp"

#include "cloud/mutants/catalogue.hpp"

#include <algorithm>

namespace i1sim::cloud {
namespace {

struct Row {
  MutantInfo info;
  mutant::Factory make;
};

const std::vector<Row>& rows() {
  using namespace mutant;
  static const std::vector<Row> table = [] {
    std::vector<Row> t{
        {{"active-before-boot",
          "takes a machine's placement for its boot: reports the service active while its images are still copied",
          {"I1-INV-002", "I1-ORD-006"}},
         make_active_before_boot},
        {{"alarm-never-cleared", "never notifies the clearing of an alarm when the machine runs again", {"I1-ALM-002"}},
         make_alarm_never_cleared},
        {{"breach-when-compliant",
          "at each cycle close reports an SLA violation for every service that met its objective",
          {"I1-SLA-002"}},
         make_breach_when_compliant},
        {{"cancel-skips-states",
          "cancels an order without publishing assessingCancellation and pendingCancellation",
          {"I1-ORD-005", "I1-ORD-006", "I1-HUB-003"}},
         make_cancel_skips_states},
        {{"completed-despite-failure", "ends an order completed when one of its items failed", {"I1-ORD-005"}},
         make_completed_despite_failure},
        {{"destroy-not-sent",
          "marks machines destroyed without asking the data centre: deleted services keep running there",
          {"I1-ORD-012", "I1-ORD-010"}},
         make_destroy_not_sent},
        {{"duplicate-order",
          "makes a second order and service for a repeated externalId (no idempotency check)",
          {"I1-ORD-004"}},
         make_duplicate_order},
        {{"foreign-notifications",
          "posts every event to every subscription, also another operator's (X profile)",
          {"I1-SEC-004"}},
         make_foreign_notifications},
        {{"ignores-jurisdiction",
          "places services in the data centre with the most free cores, whatever the customer's jurisdictions",
          {"I1-REG-002", "I1-REG-001"}},
         make_ignores_jurisdiction},
        {{"late-service-events",
          "publishes service state and operating-status changes 3 x T_notify late",
          {"I1-HUB-003", "I1-INV-004"}},
         make_late_service_events},
        {{"list-hides-terminated",
          "leaves terminated services out of service listings, though each can still be read by id",
          {"I1-INV-003"}},
         make_list_hides_terminated},
        {{"meters-terminated",
          "keeps pushing usage records for a terminated service, one per later period at its ordered size",
          {"I1-USG-004", "I1-USG-002"}},
         make_meters_terminated},
        {{"no-in-progress", "never sends the inProgress state change of an order", {"I1-HUB-003", "I1-ORD-005"}},
         make_no_in_progress},
        {{"no-sla-breach", "never reports an SLA violation", {"I1-SLA-002"}}, make_no_sla_breach},
        {{"order-without-href",
          "answers createServiceOrder without the order's mandatory href",
          {"I1-GEN-003", "I1-ORD-003"}},
         make_order_without_href},
        {{"rating-truncates",
          "truncates usage amounts to the minor unit instead of rounding half-even",
          {"I1-USG-005"}},
         make_rating_truncates},
        {{"usage-lost-on-restart",
          "keeps the open usage period's counters in memory: a restart loses what was held before it",
          {"I1-USG-002"}},
         make_usage_lost_on_restart},
        {{"usage-new-ids-on-retry",
          "gives a usage record a new id when it pushes it again after a failed delivery",
          {"I1-USG-003"}},
         make_usage_new_ids_on_retry},
        {{"wrong-place",
          "reports its first data centre as the place of every service, wherever it runs",
          {"I1-REG-003", "I1-INV-001"}},
         make_wrong_place},
    };
    std::sort(t.begin(), t.end(), [](const Row& a, const Row& b) { return a.info.name < b.info.name; });
    return t;
  }();
  return table;
}

} // namespace

const std::vector<MutantInfo>& mutants() {
  static const std::vector<MutantInfo> infos = [] {
    std::vector<MutantInfo> out;
    for (const auto& r : rows())
      out.push_back(r.info);
    return out;
  }();
  return infos;
}

std::unique_ptr<CloudIut> make_mutant(std::string_view name, const CloudSetup& setup) {
  for (const auto& r : rows())
    if (r.info.name == name)
      return r.make(setup);
  return nullptr;
}

} // namespace i1sim::cloud
