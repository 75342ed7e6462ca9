// The constructors of the mutants, one per defect; sim/cloud/mutants.cpp joins them with their descriptions.
#pragma once

#include "i1sim/iut.hpp"

#include <memory>

namespace i1sim::cloud::mutant {

using Factory = std::unique_ptr<CloudIut> (*)(const CloudSetup& setup);

// Ordering (ordering.cpp).
std::unique_ptr<CloudIut> make_no_in_progress(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_cancel_skips_states(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_duplicate_order(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_completed_despite_failure(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_order_without_href(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_active_before_boot(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_destroy_not_sent(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_late_service_events(const CloudSetup& setup);

// Placement, inventory and operator isolation (placement.cpp).
std::unique_ptr<CloudIut> make_ignores_jurisdiction(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_wrong_place(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_list_hides_terminated(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_foreign_notifications(const CloudSetup& setup);

// Assurance and accounting (accounting.cpp).
std::unique_ptr<CloudIut> make_usage_new_ids_on_retry(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_usage_lost_on_restart(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_meters_terminated(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_rating_truncates(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_no_sla_breach(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_breach_when_compliant(const CloudSetup& setup);
std::unique_ptr<CloudIut> make_alarm_never_cleared(const CloudSetup& setup);

} // namespace i1sim::cloud::mutant
