// Judges the state machines of services, alarms, usage records, bills and measurement jobs (the validator finds
// illegal moves), and that a cleared alarm's severity is cleared.
#include "conformance/oracles/protocol/judges.hpp"

#include <fmt/format.h>

namespace i1sim::conformance::protocol {

namespace {

struct Machine {
  const char* type;        // the resource type
  const char* requirement; // what an illegal move breaks
};
constexpr Machine kMachines[] = {{"Service", "I1-INV-002"},
                                 {"Alarm", "I1-ALM-002"},
                                 {"Usage", "I1-USG-006"},
                                 {"CustomerBill", "I1-BIL-006"},
                                 {"MeasurementCollectionJob", "I1-PM-002"}};

class MachineJudge : public Judge {
public:
  explicit MachineJudge(Shared& shared) : s_(shared) {
    for (const auto& c : machine_checks())
      tallies_.emplace_back(c);
  }

  void on_frame(const Frame& f, const Arrival*, const NotificationInfo*) override {
    if (f.lost)
      return;
    std::vector<bool> failed(std::size(kMachines), false);
    for (const auto& p : s_.machine)
      for (std::size_t i = 0; i < std::size(kMachines); ++i)
        if (p.requirement == kMachines[i].requirement) {
          failed[i] = true;
          tallies_[i].fail(fmt::format("{} (event {}): {}", f.msg.type, f.id, p.message), {f.id});
        }
    each_resource(s_, [&](const Resource& r) {
      for (std::size_t i = 0; i < std::size(kMachines); ++i) {
        if (r.machine->type != kMachines[i].type)
          continue;
        if (r.machine->type == std::string("Alarm") && r.state == "cleared" &&
            text(*r.body, "perceivedSeverity") != "cleared") {
          failed[i] = true;
          tallies_[i].fail(fmt::format("alarm {} is cleared in {} (event {}) with severity '{}', not cleared", r.id,
                                       f.msg.type, f.id, text(*r.body, "perceivedSeverity")),
                           {f.id});
        } else if (s_.machines_judged && !failed[i]) {
          tallies_[i].pass();
        }
      }
    });
  }

  void finish(double) override {}
  void results(std::vector<CheckResult>& out) const override {
    for (const auto& t : tallies_)
      out.push_back(t.result());
  }

private:
  Shared& s_;
  std::vector<Tally> tallies_;
};

} // namespace

std::unique_ptr<Judge> make_machine_judge(Shared& shared) { return std::make_unique<MachineJudge>(shared); }

std::vector<CheckInfo> machine_checks() {
  return {
      {"sm.service", {"I1-INV-002"}, "ensure that services move only along legal transitions"},
      {"sm.alarm",
       {"I1-ALM-002"},
       "ensure that alarms move only along legal transitions and a cleared alarm's severity is cleared"},
      {"sm.usage", {"I1-USG-006"}, "ensure that usage records move only along legal transitions"},
      {"sm.bill", {"I1-BIL-006"}, "ensure that bills move only along legal transitions"},
      {"sm.job", {"I1-PM-002"}, "ensure that measurement jobs move only along legal transitions"},
  };
}

} // namespace i1sim::conformance::protocol
