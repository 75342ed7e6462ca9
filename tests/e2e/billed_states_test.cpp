// The reference Cloud announces a month's billed usage states in turns (cloud::ReferenceCloud::kPublishWindow), read
// from the event stream of a month with more records than the window: every record is announced billed once, after its
// bill, and no billed state goes out while the window's worth of notifications waits for its answers.
#include "cloud/reference_cloud.hpp"
#include "support/child.hpp"

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace i1sim::test::billed_states_test {
namespace {

using nlohmann::json;

/// scale-month cut to 1,000 orders (N/100 hosts per data centre, N/10 customers, as bench/scale-curve.sh scales
/// it): about 6,800 daily usage records, all billed at the month's end.
std::vector<std::string> month_of_1000(const std::string& out) {
  std::vector<std::string> args{i1sim_binary(),
                                "run",
                                source_path("scenarios/scale-month.yaml"),
                                "--out",
                                out,
                                "--set",
                                "workload.orders=1000",
                                "--set",
                                "customers.count=100",
                                "--set",
                                "workload.arrival.rate=1.44/h"};
  for (int i = 0; i < 10; ++i) {
    args.push_back("--set");
    args.push_back("platform.data_centres[" + std::to_string(i) + "].hosts[0].count=10");
  }
  return args;
}

struct Notification {
  std::string name;
  double sent = 0;
  json body;
};

TEST(BilledStates, AreAnnouncedInTurnsEachOnceAfterItsBill) {
#ifdef __SANITIZE_ADDRESS__
  GTEST_SKIP() << "a month of 1,000 orders runs in the normal build";
#endif
  const std::string out = fresh_dir("billed-states");
  const auto r = run_child(month_of_1000(out), 600);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;

  // First copy of each notification the Cloud sent (by eventId), and when each was answered 204 at the Cloud.
  std::map<std::string, Notification> sent;
  std::map<std::string, double> answered;
  std::ifstream in(out + "/events.jsonl");
  ASSERT_TRUE(in) << "no events.jsonl";
  for (std::string line; std::getline(in, line);) {
    const json e = json::parse(line);
    if (e.value("cat", "") != "i1")
      continue;
    const std::string type = e.value("type", ""), corr = e.value("corr", "");
    if (type == "i1.notification" && e.value("dir", "") == "c2t")
      sent.try_emplace(corr, Notification{e.value("name", ""), e.at("sent").get<double>(), e.value("body", json())});
    else if (type == "i1.response" && e.value("dir", "") == "t2c" && e.value("status", 0) == 204 && sent.count(corr))
      answered.try_emplace(corr, e.at("t").get<double>());
  }

  std::set<std::string> created;
  std::map<std::string, double> billed_in; // usage id -> when the bill naming it was sent
  for (const auto& [corr, n] : sent) {
    if (n.name == "UsageCreateEvent")
      created.insert(n.body["event"]["usage"]["id"].get<std::string>());
    if (n.name == "CustomerBillCreateEvent")
      for (const auto& rate : n.body["event"]["customerBill"]["appliedBillingRate"])
        for (const auto& u : rate.value("usage", json::array()))
          billed_in[u["id"].get<std::string>()] = n.sent;
  }
  ASSERT_GT(created.size(), cloud::ReferenceCloud::kPublishWindow)
      << "the month must bill more records than the window";

  std::vector<double> sends, answers;
  for (const auto& [corr, n] : sent)
    sends.push_back(n.sent);
  for (const auto& [corr, t] : answered)
    answers.push_back(t);
  std::sort(sends.begin(), sends.end());
  std::sort(answers.begin(), answers.end());
  const std::size_t bills =
      std::count_if(sent.begin(), sent.end(), [](const auto& s) { return s.second.name == "CustomerBillCreateEvent"; });

  std::map<std::string, int> announced;
  std::size_t most_waiting = 0;
  for (const auto& [corr, n] : sent) {
    if (n.name != "UsageStateChangeEvent")
      continue;
    const json& usage = n.body["event"]["usage"];
    ASSERT_EQ(usage.value("status", ""), "billed") << n.body.dump();
    const std::string id = usage["id"].get<std::string>();
    ++announced[id];
    ASSERT_TRUE(billed_in.count(id)) << id << " is announced billed but no bill names it";
    EXPECT_LE(billed_in[id], n.sent) << id << " is announced billed before its bill";
    // Waiting when it went out: notifications sent by then, less those answered by then.
    const auto out_by = std::upper_bound(sends.begin(), sends.end(), n.sent) - sends.begin();
    const auto in_by = std::upper_bound(answers.begin(), answers.end(), n.sent) - answers.begin();
    most_waiting = std::max(most_waiting, static_cast<std::size_t>(out_by - in_by));
  }
  EXPECT_EQ(announced.size(), created.size()) << "every record made is announced billed";
  for (const auto& [id, times] : announced) {
    EXPECT_TRUE(created.count(id)) << id;
    EXPECT_EQ(times, 1) << id << " is announced billed more than once";
  }
  // The window, plus the bills: they are sent at the close whatever waits, and may overfill it by their number.
  EXPECT_LE(most_waiting, cloud::ReferenceCloud::kPublishWindow + bills);
  EXPECT_GE(most_waiting, cloud::ReferenceCloud::kPublishWindow / 2)
      << "the window was never near full: the test shows "
         "nothing";
}

} // namespace
} // namespace i1sim::test::billed_states_test
