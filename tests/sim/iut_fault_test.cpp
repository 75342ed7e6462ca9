// An implementation under test that throws is recorded as faulty and answered for, as an HTTP framework
// would answer; the harness itself goes on to the end of the run and writes complete results.
#include "run/simulation.hpp"
#include "scenario/scenario.hpp"
#include "support/child.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

namespace i1sim::run::iut_fault_test {
namespace {

/// Accepts the hub subscription and the customers, then throws on every service order.
class ThrowingCloud : public CloudIut {
public:
  std::string name() const override { return "throwing"; }
  void on_request(CloudContext& ctx, const Message& request) override {
    if (request.type == v1::op::createHub) {
      ctx.respond(request, 201, {{"id", "HUB-1"}, {"callback", request.body["callback"]}, {"query", ""}});
      return;
    }
    if (request.type == "createCustomer") {
      ctx.respond(request, 201, request.body);
      return;
    }
    throw std::runtime_error("boom on " + request.correlation_id);
  }
  void on_dc_event(CloudContext&, const DcEvent&) override {}
};

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void run_throwing_implementation(const std::string& out) {
  const std::string path = std::string(I1SIM_SOURCE_DIR) + "/scenarios/activation-basic.yaml";
  const std::string text = read(path);
  const auto sc = scenario::load_from_string(text, path);
  RunOptions options;
  options.iut = "throwing";
  options.out_dir = out;
  options.make_iut = [](const CloudSetup&) { return std::make_unique<ThrowingCloud>(); };
  const auto r = run_simulation(sc, text, options);
  std::ostringstream problems;
  const auto& orders = r.results["metrics"]["orders"];
  if (orders["failed"] != 200 || orders["completed"] != 0)
    problems << "orders: " << orders.dump() << "\n";
  std::size_t exceptions = 0, errors = 0;
  std::istringstream lines(read(r.events_path));
  for (std::string line; std::getline(lines, line);) {
    const auto e = nlohmann::json::parse(line);
    exceptions += e["type"] == "iut.exception" ? 1 : 0;
    errors += e["type"] == "i1.response" && e["status"] == 500 ? 1 : 0;
  }
  if (exceptions != 200 || errors != 200)
    problems << exceptions << " exceptions recorded and " << errors << " 500 responses, 200 each expected\n";
  std::cerr << problems.str();
  std::exit(problems.str().empty() ? 0 : 1);
}

TEST(IutFaultDeathStyle, AnImplementationThatThrowsIsAnsweredForAndTheRunCompletes) {
  EXPECT_EXIT(run_throwing_implementation(test::fresh_dir("throwing")), testing::ExitedWithCode(0), "");
}

} // namespace
} // namespace i1sim::run::iut_fault_test
