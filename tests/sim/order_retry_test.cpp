// The Telecom OSS retries an order that got no answer, with the same externalId, and the Cloud side creates it
// once: the first service order of every product is swallowed by a wrapper around the reference implementation.
#include "cloud/reference_cloud.hpp"
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"
#include "support/child.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unistd.h>

namespace i1sim::run::order_retry_test {
namespace {

/// The reference, except that the first createServiceOrder of each externalId is never answered or acted on,
/// as if it had been lost on the way.
class SwallowingCloud : public cloud::ReferenceCloud {
public:
  using ReferenceCloud::ReferenceCloud;
  std::string name() const override { return "swallowing"; }
  void on_request(CloudContext& ctx, const Message& request) override {
    if (request.type == v1::op::createServiceOrder && request.body.is_object() &&
        seen_.insert(request.body.value("externalId", "")).second)
      return;
    ReferenceCloud::on_request(ctx, request);
  }

private:
  std::set<std::string> seen_;
};

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void run_swallowing_implementation(const std::string& out) {
  const std::string path = std::string(I1SIM_SOURCE_DIR) + "/scenarios/activation-basic.yaml";
  const std::string text = read(path);
  const auto sc = scenario::load_from_string(text, path);
  RunOptions options;
  options.iut = "swallowing";
  options.out_dir = out;
  options.make_iut = [](const CloudSetup& setup) { return std::make_unique<SwallowingCloud>(setup); };
  const auto r = run_simulation(sc, text, options);
  std::ostringstream problems;
  const auto& orders = r.results["metrics"]["orders"];
  if (orders["completed"] != 200)
    problems << "orders: " << orders.dump() << "\n";
  std::map<std::string, int> retries; // externalId -> retries
  std::map<std::string, int> created; // ServiceOrder ids answered 201
  std::set<std::string> ordered_ids;  // externalIds of the 201s
  std::istringstream lines(read(r.events_path));
  for (std::string line; std::getline(lines, line);) {
    const auto e = nlohmann::json::parse(line);
    if (e["type"] == "order.retried") {
      ++retries[e["externalId"].get<std::string>()];
      if (e["attempt"] != 2)
        problems << "a second retry of " << e["externalId"] << "\n";
    }
    if (e["type"] == "i1.response" && e["name"] == "createServiceOrder" && e["status"] == 201) {
      ++created[e["body"]["id"].get<std::string>()];
      ordered_ids.insert(e["body"]["externalId"].get<std::string>());
    }
  }
  if (retries.size() != 200)
    problems << retries.size() << " orders retried, 200 expected\n";
  if (created.size() != 200 || ordered_ids.size() != 200)
    problems << created.size() << " orders created for " << ordered_ids.size() << " externalIds, 200 expected\n";
  std::cerr << problems.str();
  std::exit(problems.str().empty() ? 0 : 1);
}

TEST(OrderRetryDeathStyle, AnOrderWithoutAnAnswerIsSentAgainAndCreatedOnce) {
  EXPECT_EXIT(run_swallowing_implementation(test::fresh_dir("swallowing")), testing::ExitedWithCode(0), "");
}

} // namespace
} // namespace i1sim::run::order_retry_test
