// The bench's arithmetic over hand-made results.json: the sweep text, load factors, the knee rule, scalability, a
// level that errored, and the shapes of bench.json, bench.csv and the table.
#include "run/bench_report.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sstream>

namespace i1sim::bench::bench_report_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::ordered_json;

std::string error_of(const std::string& text) {
  try {
    parse_sweep(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

TEST(BenchSweep, SplitsTheValuesOnCommas) {
  const Sweep s = parse_sweep("workload.arrival.rate=1/s, 2/s,4/s");
  EXPECT_EQ(s.path, "workload.arrival.rate");
  EXPECT_THAT(s.values, ElementsAre("1/s", "2/s", "4/s"));
}

TEST(BenchSweep, KeepsCommasInsideBracketsBracesAndQuotes) {
  const Sweep s =
      parse_sweep("workload.arrival={process: fixed, rate: 1/s},{process: poisson, rate: 1/s},[a, b],'x,y'");
  EXPECT_THAT(s.values, ElementsAre("{process: fixed, rate: 1/s}", "{process: poisson, rate: 1/s}", "[a, b]", "'x,y'"));
}

TEST(BenchSweep, NamesWhatIsWrongWithABadText) {
  EXPECT_THAT(error_of("workload.arrival.rate"), HasSubstr("no '='"));
  EXPECT_THAT(error_of("=1/s,2/s"), HasSubstr("no PATH"));
  EXPECT_THAT(error_of("a.b=1,,3"), HasSubstr("value 2 is empty"));
  EXPECT_THAT(error_of("a.b=1,2,"), HasSubstr("value 3 is empty"));
  EXPECT_THAT(error_of("a.b="), HasSubstr("value 1 is empty"));
  EXPECT_THAT(error_of("a.b=[1,2"), HasSubstr("unclosed '['"));
  EXPECT_THAT(error_of("a.b=1],2"), HasSubstr("unmatched ']'"));
  EXPECT_THAT(error_of("a.b='1,2"), HasSubstr("unclosed '"));
  EXPECT_THAT(error_of("a.b=1/s,2/s,1/s"), HasSubstr("'1/s' is given twice"));
}

TEST(BenchSweep, MakesValuesSafeDirectoryNames) {
  EXPECT_EQ(slug("2/s"), "2_s");
  EXPECT_EQ(slug("{process: fixed}"), "_process__fixed_");
  EXPECT_EQ(slug("1.5min"), "1.5min");
  EXPECT_EQ(slug(""), "_");
}

TEST(BenchLoad, ComparesValuesInTheirKindsBaseUnit) {
  // 30/min is 0.5/s: against it, 1/s is twice the load and 2/s four times.
  EXPECT_THAT(load_factors({"30/min", "1/s", "2/s"}, 0), ElementsAre(1.0, 2.0, 4.0));
  EXPECT_THAT(load_factors({"10min", "1h"}, 0), ElementsAre(1.0, 6.0));
  EXPECT_THAT(load_factors({"100", "250"}, 0), ElementsAre(1.0, 2.5));
}

TEST(BenchLoad, HasNoFactorForAValueOfAnotherKindOrNotANumber) {
  EXPECT_THAT(load_factors({"2/s", "10min", "4", "fast", "4parsecs", "6/s"}, 0),
              ElementsAre(1.0, std::nullopt, std::nullopt, std::nullopt, std::nullopt, 3.0));
}

TEST(BenchLoad, HasNoFactorsAgainstABaseThatIsNotANumberOrZero) {
  EXPECT_THAT(load_factors({"fixed", "2/s"}, 0), ElementsAre(std::nullopt, std::nullopt));
  EXPECT_THAT(load_factors({"0/s", "1/s"}, 0), ElementsAre(std::nullopt, std::nullopt));
}

TEST(BenchLoad, TakesTheFactorsAgainstTheBaseLevel) {
  EXPECT_THAT(load_factors({"1/s", "2/s", "8/s"}, 1), ElementsAre(0.5, 1.0, 4.0));
}

KneeInput ran(double success, bool held = true, std::vector<std::string> failed = {}) {
  KneeInput k;
  k.ran = true;
  k.success_pct = success;
  k.expectations_held = held;
  k.failed_expectations = std::move(failed);
  return k;
}

TEST(BenchKnee, IsTheFirstLevelWhereAnExpectationFails) {
  const auto k =
      find_knee({ran(100), ran(100), ran(100, false, {"p99(order_to_active) < 30s (measured 41)"}), ran(100, false)});
  ASSERT_TRUE(k);
  EXPECT_EQ(k->level, 2u);
  EXPECT_THAT(k->reason, HasSubstr("p99(order_to_active) < 30s"));
}

TEST(BenchKnee, IsTheFirstLevelWhoseSuccessDropsMoreThanFivePoints) {
  // 100 -> 96 drops 4 points, 96 -> 90.5 drops 5.5: the knee is level 2.
  const auto k = find_knee({ran(100), ran(96), ran(90.5), ran(50)});
  ASSERT_TRUE(k);
  EXPECT_EQ(k->level, 2u);
  EXPECT_THAT(k->reason, HasSubstr("5.5 points below level 1"));
}

TEST(BenchKnee, DoesNotPlaceItOnADropOfExactlyFivePoints) {
  EXPECT_FALSE(find_knee({ran(100), ran(95), ran(90), ran(85)}));
}

TEST(BenchKnee, SkipsLevelsThatErroredAndComparesWithTheLastThatRan) {
  // Level 1 errored; level 2 is compared with level 0: 99 -> 92 is 7 points.
  const auto k = find_knee({ran(99), KneeInput{}, ran(92)});
  ASSERT_TRUE(k);
  EXPECT_EQ(k->level, 2u);
  EXPECT_THAT(k->reason, HasSubstr("below level 0"));
}

TEST(BenchKnee, IsNoneWhenEveryLevelHolds) { EXPECT_FALSE(find_knee({ran(100), ran(100), ran(99)})); }

/// A results.json as `i1sim run` writes it, with the figures the report reads.
nlohmann::json results(std::uint64_t submitted, std::uint64_t completed, std::optional<double> per_s,
                       std::vector<std::pair<std::string, bool>> expectations = {}) {
  nlohmann::json outcomes = nlohmann::json::array();
  std::uint64_t met = 0, failed = 0;
  for (const auto& [text, ok] : expectations) {
    outcomes.push_back({{"text", text}, {"metric", "x"}, {"line", 1}, {"met", ok}, {"measured", 42.5}});
    (ok ? met : failed) += 1;
  }
  nlohmann::json r = {
      {"run", {{"scenario_name", "s"}, {"simulated_end_s", 200.0}, {"events", 5000}}},
      {"metrics",
       {{"orders", {{"submitted", submitted}, {"completed", completed}, {"failed", submitted - completed}}},
        {"order_to_active_s", {{"count", completed}, {"mean", 12.0}, {"p99", 30.0}}},
        {"i1", {{"messages", 100}, {"messages_per_order", 17.5}, {"bytes_per_order", 9000.0}}},
        {"notification_delay_s", {{"count", 3}, {"mean", 0.02}, {"p99", 0.05}}},
        {"usage_to_bill_s", {{"count", 0}}}}},
      {"expectations", {{"met", met}, {"failed", failed}, {"outcomes", outcomes}}}};
  if (per_s)
    r["metrics"]["throughput"] = {{"offered_per_s", 1.0}, {"per_s", *per_s}, {"window_s", 100.0}};
  return r;
}

LevelRun level(const std::string& value, nlohmann::json r, double wall = 2.0) {
  LevelRun l;
  l.value = value;
  l.dir = "k-" + slug(value);
  l.started = true;
  l.wall_s = wall;
  l.peak_rss_bytes = 50e6;
  l.completed = true;
  l.results = std::move(r);
  return l;
}

LevelRun errored(const std::string& value, const std::string& error) {
  LevelRun l;
  l.value = value;
  l.dir = "k-" + slug(value);
  l.started = true;
  l.wall_s = 0.5;
  l.peak_rss_bytes = 10e6;
  l.error = error;
  return l;
}

BenchInputs inputs(std::vector<std::string> values) {
  BenchInputs in;
  in.tool_version = "0.0-test";
  in.scenario = "scenarios/x.yaml";
  in.scenario_name = "x";
  in.iut = "ref";
  in.sweep = Sweep{"workload.arrival.rate", std::move(values)};
  in.timeout_s = 60;
  in.out_dir = "out";
  return in;
}

TEST(BenchReport, WorksOutScalabilityAgainstTheBaseline) {
  // Throughputs 1, 1.8 and 2 at 1x, 2x and 4x the load: 1.8 / (2 x 1) = 0.9 and 2 / (4 x 1) = 0.5.
  const Json r = build_report(inputs({"1/s", "2/s", "4/s"}),
                              {level("1/s", results(100, 100, 1.0)), level("2/s", results(100, 100, 1.8)),
                               level("4/s", results(100, 100, 2.0))});
  const Json& levels = r.at("levels");
  ASSERT_EQ(levels.size(), 3u);
  EXPECT_DOUBLE_EQ(levels[0]["implementation"]["scalability"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(levels[1]["implementation"]["scalability"].get<double>(), 0.9);
  EXPECT_DOUBLE_EQ(levels[2]["implementation"]["scalability"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(levels[2]["implementation"]["load_factor"].get<double>(), 4.0);
  EXPECT_EQ(r.at("baseline").at("level").get<int>(), 0);
  EXPECT_TRUE(r.at("knee").is_null());
  EXPECT_EQ(exit_code_of(r), 0);
}

TEST(BenchReport, HasNoScalabilityForValuesThatAreNotNumbers) {
  const Json r = build_report(inputs({"fixed", "poisson"}),
                              {level("fixed", results(10, 10, 1.0)), level("poisson", results(10, 10, 2.0))});
  EXPECT_TRUE(r["levels"][1]["implementation"]["scalability"].is_null());
  EXPECT_TRUE(r["levels"][1]["implementation"]["load_factor"].is_null());
  EXPECT_DOUBLE_EQ(r["levels"][1]["implementation"]["throughput_per_s"].get<double>(), 2.0);
}

TEST(BenchReport, ReportsTheThreeGroupsOfALevel) {
  const Json r = build_report(inputs({"1/s"}), {level("1/s", results(80, 60, 0.5, {{"orders.failed == 0", false}}),
                                                      /*wall=*/2.5)});
  const Json& l = r["levels"][0];
  EXPECT_EQ(l["status"], "ok");
  EXPECT_DOUBLE_EQ(l["implementation"]["success_pct"].get<double>(), 75.0); // 60 of 80
  EXPECT_DOUBLE_EQ(l["implementation"]["order_to_active_s"]["mean"].get<double>(), 12.0);
  EXPECT_DOUBLE_EQ(l["implementation"]["order_to_active_s"]["p99"].get<double>(), 30.0);
  EXPECT_EQ(l["implementation"]["throughput_basis"], "first_submission_to_last_activation");
  EXPECT_FALSE(l["implementation"]["expectations"]["held"].get<bool>());
  EXPECT_THAT(l["implementation"]["expectations"]["failed_texts"][0].get<std::string>(),
              HasSubstr("orders.failed == 0 (measured 42.5)"));
  EXPECT_DOUBLE_EQ(l["i1"]["notification_delay_s"]["p99"].get<double>(), 0.05);
  EXPECT_TRUE(l["i1"]["usage_to_bill_s"]["p99"].is_null());
  EXPECT_DOUBLE_EQ(l["i1"]["messages_per_order"].get<double>(), 17.5);
  EXPECT_DOUBLE_EQ(l["harness"]["wall_s"].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(l["harness"]["peak_rss_mb"].get<double>(), 50.0);
  EXPECT_DOUBLE_EQ(l["harness"]["events_per_wall_s"].get<double>(), 2000.0);    // 5000 / 2.5
  EXPECT_DOUBLE_EQ(l["harness"]["simulated_s_per_wall_s"].get<double>(), 80.0); // 200 / 2.5
  EXPECT_EQ(r["knee"]["level"].get<int>(), 0);
  EXPECT_EQ(r["knee"]["value"], "1/s");
}

TEST(BenchReport, FallsBackToTheWholeRunForThroughputWithoutTheFigure) {
  const Json r = build_report(inputs({"1/s"}), {level("1/s", results(50, 40, std::nullopt))});
  const Json& impl = r["levels"][0]["implementation"];
  EXPECT_EQ(impl["throughput_basis"], "run");
  EXPECT_DOUBLE_EQ(impl["throughput_per_s"].get<double>(), 0.2); // 40 over 200 simulated seconds
}

TEST(BenchReport, KeepsALevelThatErroredAsAnErrorRowAndExitsOne) {
  const Json r = build_report(inputs({"1/s", "fast", "4/s"}),
                              {level("1/s", results(100, 100, 1.0)),
                               errored("fast", "level 1 exited 2: i1sim: error: 'fast' is not a rate, as written"),
                               level("4/s", results(100, 100, 2.0))});
  const Json& bad = r["levels"][1];
  EXPECT_EQ(bad["status"], "error");
  EXPECT_THAT(bad["error"].get<std::string>(), HasSubstr("'fast' is not a rate"));
  EXPECT_TRUE(bad["implementation"].is_null());
  EXPECT_TRUE(bad["i1"].is_null());
  EXPECT_DOUBLE_EQ(bad["harness"]["wall_s"].get<double>(), 0.5);
  EXPECT_TRUE(bad["harness"]["events_per_wall_s"].is_null());
  EXPECT_DOUBLE_EQ(r["levels"][2]["implementation"]["scalability"].get<double>(), 0.5);
  EXPECT_EQ(r["summary"]["errors"].get<int>(), 1);
  EXPECT_EQ(exit_code_of(r), 1);
}

TEST(BenchReport, TakesTheFirstLevelThatRanAsTheBaseline) {
  const Json r =
      build_report(inputs({"1/s", "2/s", "4/s"}),
                   {errored("1/s", "killed"), level("2/s", results(10, 10, 2)), level("4/s", results(10, 10, 3))});
  EXPECT_EQ(r["baseline"]["level"].get<int>(), 1);
  EXPECT_DOUBLE_EQ(r["levels"][2]["implementation"]["load_factor"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(r["levels"][2]["implementation"]["scalability"].get<double>(), 0.75); // 3 / (2 x 2)
}

TEST(BenchReport, MakesAnErrorRowOfResultsThatLackAFigure) {
  nlohmann::json partial = results(10, 10, 1.0);
  partial["metrics"]["orders"].erase("completed");
  const Json r = build_report(inputs({"1/s"}), {level("1/s", partial)});
  EXPECT_EQ(r["levels"][0]["status"], "error");
  EXPECT_THAT(r["levels"][0]["error"].get<std::string>(), HasSubstr("/metrics/orders/completed"));
}

TEST(BenchReport, CarriesTheSchemaAndInputs) {
  BenchInputs in = inputs({"1/s", "2/s"});
  in.seed = 7;
  in.sets = {"workload.orders=50"};
  const Json r = build_report(in, {level("1/s", results(1, 1, 1.0)), level("2/s", results(1, 1, 1.0))});
  EXPECT_EQ(r["schema"], "i1sim.bench/1");
  EXPECT_EQ(r["inputs"]["seed"].get<int>(), 7);
  EXPECT_EQ(r["inputs"]["sweep"]["path"], "workload.arrival.rate");
  EXPECT_THAT(r["inputs"]["sweep"]["values"].get<std::vector<std::string>>(), ElementsAre("1/s", "2/s"));
  EXPECT_THAT(r["inputs"]["set"].get<std::vector<std::string>>(), ElementsAre("workload.orders=50"));
}

/// Splits CSV text into rows of fields, following quotes (a field may hold commas and doubled quotes).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  rows.pop_back(); // after the last line end
  return rows;
}

TEST(BenchCsv, HasAHeaderAndOneRowPerLevelOfEqualWidth) {
  const Json r = build_report(inputs({"1/s", "2/s"}), {level("1/s", results(100, 100, 1.0)),
                                                       errored("2/s", "level 1 exited 2: bad, \"quoted\" value")});
  const auto rows = parse_csv(render_csv(r));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], csv_columns());
  for (const auto& row : rows)
    EXPECT_EQ(row.size(), csv_columns().size());
  auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(rows[0].begin(), rows[0].end(), name) - rows[0].begin());
  };
  EXPECT_EQ(rows[1][column("value")], "1/s");
  EXPECT_EQ(rows[1][column("status")], "ok");
  EXPECT_EQ(rows[1][column("success_pct")], "100.0");
  EXPECT_EQ(rows[1][column("scalability")], "1.0");
  EXPECT_EQ(rows[1][column("error")], "");
  EXPECT_EQ(rows[2][column("status")], "error");
  EXPECT_EQ(rows[2][column("success_pct")], ""); // not measured: empty, not 0
  EXPECT_EQ(rows[2][column("error")], "level 1 exited 2: bad, \"quoted\" value");
}

TEST(BenchCsv, KeepsItsColumnOrder) {
  // Spreadsheets and scripts read columns by position: the first ones and the last one are fixed.
  const auto& c = csv_columns();
  ASSERT_GE(c.size(), 4u);
  EXPECT_EQ(c[0], "level");
  EXPECT_EQ(c[1], "value");
  EXPECT_EQ(c[2], "status");
  EXPECT_EQ(c.back(), "error");
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

TEST(BenchTable, AlignsOneRowPerLevelAndMarksTheKnee) {
  const Json r = build_report(inputs({"1/s", "20/s", "400/s"}),
                              {level("1/s", results(100, 100, 1.0)),
                               level("20/s", results(100, 100, 2.0, {{"p99(order_to_active) < 1min", false}})),
                               errored("400/s", "the run was killed after the wall-time limit of 60 s")});
  const auto lines = lines_of(render_table(r));
  ASSERT_GE(lines.size(), 6u);
  const std::string& head = lines[0];
  const auto status_at = head.find("status");
  ASSERT_NE(status_at, std::string::npos);
  EXPECT_EQ(lines[1].substr(status_at, 2), "ok");
  EXPECT_EQ(lines[2].substr(status_at, 2), "ok");
  EXPECT_EQ(lines[3].substr(status_at, 5), "error");
  EXPECT_THAT(lines[2], HasSubstr("<- knee"));
  EXPECT_THAT(lines[1], ::testing::Not(HasSubstr("knee")));
  EXPECT_THAT(lines[3], ::testing::Not(HasSubstr("knee")));
  EXPECT_THAT(lines[4], HasSubstr("knee: level 1 (20/s): expectation failed: p99(order_to_active) < 1min"));
  EXPECT_THAT(lines[5],
              HasSubstr("level 2 (workload.arrival.rate=400/s): error: the run was killed after the wall-time limit"));
}

TEST(BenchTable, SaysWhenThereIsNoKnee) {
  const Json r = build_report(inputs({"1/s"}), {level("1/s", results(10, 10, 1.0))});
  EXPECT_THAT(render_table(r), HasSubstr("knee: none\n"));
}

} // namespace
} // namespace i1sim::bench::bench_report_test
