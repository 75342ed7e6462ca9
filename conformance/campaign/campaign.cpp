// The campaign's verdict arithmetic and its canonical results: pure functions over the runs' results.json.
#include "conformance/campaign/campaign.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace i1sim::conformance::campaign {

namespace {

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : items)
    out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

/// The entry of `check` in a run's conformance.checks, or null.
const nlohmann::json* find_check(const nlohmann::json& checks, const std::string& check) {
  for (const auto& c : checks)
    if (c.is_object() && c.contains("check") && c["check"].is_string() && c["check"].get<std::string>() == check)
      return &c;
  return nullptr;
}

std::string string_field(const nlohmann::json& o, const char* key) {
  return o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string();
}

std::vector<std::uint64_t> event_ids(const nlohmann::json& o) {
  std::vector<std::uint64_t> ids;
  if (o.contains("events") && o["events"].is_array())
    for (const auto& id : o["events"])
      if (id.is_number_unsigned() || (id.is_number_integer() && id.get<std::int64_t>() >= 0))
        ids.push_back(id.get<std::uint64_t>());
  return ids;
}

std::string plural(std::size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

} // namespace

std::vector<RunPlan> plan_runs(const std::vector<Selection>& selection, const std::vector<std::uint64_t>& seeds,
                               const std::string& prefix) {
  std::set<std::string> scenarios;
  for (const auto& s : selection)
    if (s.selected && s.tp)
      scenarios.insert(s.tp->scenarios.begin(), s.tp->scenarios.end());
  std::vector<RunPlan> plan;
  for (const auto& name : scenarios)
    for (const auto seed : seeds)
      plan.push_back({name, seed, fmt::format("{}runs/{}/seed-{}", prefix, name, seed)});
  return plan;
}

TpVerdict evaluate(const TestPurpose& tp, const std::vector<RunOutcome>& runs) {
  TpVerdict out;
  std::size_t run_count = 0;
  std::vector<Evidence> quiet; // every run, for an all-none verdict
  for (const auto& scenario : tp.scenarios) {
    for (const auto& run : runs) {
      if (run.scenario != scenario)
        continue;
      ++run_count;
      const std::string events_path = run.dir + "/events.jsonl";
      auto add = [&](std::string check, Verdict v, std::string reason, std::vector<std::uint64_t> ids = {}) {
        out.verdict = worse(out.verdict, v);
        out.evidence.push_back(
            {run.scenario, run.seed, std::move(check), v, std::move(reason), std::move(ids), events_path});
      };
      if (!run.completed) {
        add("", Verdict::error, fmt::format("the run did not complete: {}", run.error));
        continue;
      }
      const nlohmann::json& r = run.results;
      if (!r.is_object() || !r.contains("conformance") || !r["conformance"].is_object() ||
          !r["conformance"].contains("checks") || !r["conformance"]["checks"].is_array()) {
        add("", Verdict::error, "its results.json has no conformance.checks list");
        continue;
      }
      const nlohmann::json& checks = r["conformance"]["checks"];
      for (const auto& check : tp.checks) {
        const nlohmann::json* c = find_check(checks, check);
        if (!c) {
          add(check, Verdict::error, fmt::format("check {} is missing from the run's results", check));
          continue;
        }
        const std::string text = string_field(*c, "verdict");
        const auto v = verdict_from_string(text);
        if (!v) {
          add(check, Verdict::error, fmt::format("check {} has an unreadable verdict '{}'", check, text));
          continue;
        }
        if (*v == Verdict::none || *v == Verdict::pass) {
          out.verdict = worse(out.verdict, *v);
          continue;
        }
        std::string reason = string_field(*c, "reason");
        if (reason.empty())
          reason = fmt::format("check {} gave {} without a reason", check, to_string(*v));
        add(check, *v, std::move(reason), event_ids(*c));
      }
      quiet.push_back({run.scenario,
                       run.seed,
                       "",
                       Verdict::inconc,
                       fmt::format("{} did not apply (none)", join(tp.checks)),
                       {},
                       events_path});
    }
  }
  if (run_count == 0) {
    out.verdict = Verdict::error;
    out.reason = tp.scenarios.empty() ? "the test purpose names no scenario"
                                      : fmt::format("no run of {} was made", join(tp.scenarios));
    return out;
  }
  if (out.verdict == Verdict::none) {
    out.verdict = Verdict::inconc;
    out.reason =
        fmt::format("the scenarios never exercised {}: {} none in all {} of {}", join(tp.checks),
                    tp.checks.size() == 1 ? "it was" : "each was", plural(run_count, "run"), join(tp.scenarios));
    out.evidence = std::move(quiet);
    return out;
  }
  if (out.verdict == Verdict::pass)
    return out;
  const auto first = std::find_if(out.evidence.begin(), out.evidence.end(),
                                  [&](const Evidence& e) { return e.verdict == out.verdict; });
  const std::size_t same = static_cast<std::size_t>(std::count_if(
      out.evidence.begin(), out.evidence.end(), [&](const Evidence& e) { return e.verdict == out.verdict; }));
  out.reason = fmt::format("{}{} in run {} seed {}: {}", first->check.empty() ? "" : first->check + " ",
                           to_string(first->verdict), first->scenario, first->seed, first->reason);
  if (same > 1)
    out.reason += fmt::format(" (and {} more)", same - 1);
  return out;
}

nlohmann::ordered_json to_json(const Evidence& e) {
  nlohmann::ordered_json j;
  j["scenario"] = e.scenario;
  j["seed"] = e.seed;
  if (!e.check.empty())
    j["check"] = e.check;
  j["verdict"] = std::string(to_string(e.verdict));
  j["reason"] = e.reason;
  j["events"] = e.events;
  j["events_path"] = e.events_path;
  return j;
}

nlohmann::ordered_json summarize(const nlohmann::ordered_json& tps) {
  nlohmann::ordered_json s;
  std::uint64_t selected = 0, not_selected = 0;
  std::map<Verdict, std::uint64_t> counts;
  for (const auto& tp : tps) {
    if (!tp.value("selected", false)) {
      ++not_selected;
      continue;
    }
    ++selected;
    const auto v = verdict_from_string(tp.value("verdict", std::string()));
    ++counts[v ? *v : Verdict::error];
  }
  s["tps"] = selected + not_selected;
  s["selected"] = selected;
  s["not_selected"] = not_selected;
  for (const Verdict v : {Verdict::pass, Verdict::inconc, Verdict::fail, Verdict::error, Verdict::none})
    s[std::string(to_string(v))] = counts[v];
  return s;
}

nlohmann::ordered_json kill_matrix(const std::vector<MutantRow>& rows, std::uint64_t seeds,
                                   const std::set<std::string>* reference_passed) {
  nlohmann::ordered_json m;
  m["seeds"] = seeds;
  m["total"] = rows.size();
  std::uint64_t killed = 0;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& row : rows) {
    nlohmann::ordered_json r;
    r["name"] = row.name;
    r["defect"] = row.defect;
    r["requirements"] = row.requirements;
    std::vector<std::string> by;
    nlohmann::ordered_json verdicts = nlohmann::ordered_json::object();
    nlohmann::ordered_json findings = nlohmann::ordered_json::array();
    for (const auto& [tp, v] : row.verdicts) {
      verdicts[tp] = std::string(to_string(v.verdict));
      if (v.verdict == Verdict::fail && (!reference_passed || reference_passed->count(tp)))
        by.push_back(tp);
      if (v.verdict == Verdict::fail || v.verdict == Verdict::error) {
        nlohmann::ordered_json f;
        f["tp"] = tp;
        f["verdict"] = std::string(to_string(v.verdict));
        f["reason"] = v.reason;
        // The first piece of evidence of the verdict itself: enough to find the fault, small enough for a matrix.
        for (const auto& e : v.evidence)
          if (e.verdict == v.verdict) {
            f["evidence"] = nlohmann::ordered_json::array({to_json(e)});
            break;
          }
        findings.push_back(std::move(f));
      }
    }
    r["killed"] = !by.empty();
    r["killed_by"] = by;
    r["verdicts"] = std::move(verdicts);
    r["findings"] = std::move(findings);
    killed += by.empty() ? 0u : 1u;
    list.push_back(std::move(r));
  }
  m["killed"] = killed;
  m["score"] = fmt::format("{}/{}", killed, rows.size());
  m["mutants"] = std::move(list);
  return m;
}

nlohmann::ordered_json build_results(const CampaignInputs& in, const std::vector<RunOutcome>& runs,
                                     const nlohmann::ordered_json& mutants) {
  nlohmann::ordered_json j;
  j["schema"] = "i1sim-conformance/1";

  nlohmann::ordered_json id;
  id["report_id"] = "PCTR-" + in.inputs_sha256.substr(0, 12);
  id["inputs_sha256"] = in.inputs_sha256;
  id["tool"] = {{"name", "i1sim"}, {"version", in.tool_version}};
  id["suite"] = {{"id", in.suite->id}, {"version", in.suite->version}, {"tps", in.suite->tps.size()}};
  id["spec"] = {{"title", in.spec->title}, {"version", in.spec->version}, {"file", in.spec->file}};
  id["iut"] = in.iut;
  id["ics"] = {{"file", in.ics->file},
               {"implementation", in.ics->implementation},
               {"version", in.ics->version},
               {"vendor", in.ics->vendor},
               {"profile", in.ics->profile}};
  nlohmann::ordered_json pixit;
  pixit["file"] = in.pixit ? in.pixit->file : std::string();
  pixit["timers"] = nlohmann::ordered_json::object();
  if (in.pixit)
    for (const auto& [name, s] : in.pixit->timers)
      pixit["timers"][name] = s;
  id["pixit"] = std::move(pixit);
  nlohmann::ordered_json scenarios = nlohmann::ordered_json::array();
  for (const auto& r : runs)
    if (scenarios.empty() || scenarios.back() != r.scenario)
      scenarios.push_back(r.scenario);
  id["campaign"] = {{"seeds", in.seeds}, {"scenarios", scenarios}, {"runs", runs.size()}, {"timeout_s", in.timeout_s}};
  j["identification"] = std::move(id);

  nlohmann::ordered_json ics;
  ics["features"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : in.ics->features)
    ics["features"][k] = v;
  ics["requirements"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : in.ics->requirements)
    ics["requirements"][k] = v;
  j["ics"] = std::move(ics);

  nlohmann::ordered_json review;
  review["passed"] = in.review.passed;
  review["findings"] = nlohmann::ordered_json::array();
  for (const auto& f : in.review.findings)
    review["findings"].push_back({{"requirement", f.requirement}, {"message", f.message}});
  j["static_review"] = std::move(review);

  nlohmann::ordered_json tps = nlohmann::ordered_json::array();
  for (const auto& s : in.selection) {
    const TestPurpose& tp = *s.tp;
    nlohmann::ordered_json t;
    t["id"] = tp.id;
    t["title"] = tp.title;
    t["group"] = tp.group;
    t["requirements"] = tp.requirements;
    t["applicability"] = tp.applicability;
    t["scenarios"] = tp.scenarios;
    t["checks"] = tp.checks;
    t["selected"] = s.selected;
    if (!s.selected) {
      t["selection_reason"] = s.reason;
      t["verdict"] = "none";
      t["reason"] = "not selected: " + s.reason;
      t["evidence"] = nlohmann::ordered_json::array();
    } else {
      const TpVerdict v = evaluate(tp, runs);
      t["verdict"] = std::string(to_string(v.verdict));
      t["reason"] = v.reason;
      t["evidence"] = nlohmann::ordered_json::array();
      for (const auto& e : v.evidence)
        t["evidence"].push_back(to_json(e));
    }
    tps.push_back(std::move(t));
  }

  nlohmann::ordered_json run_list = nlohmann::ordered_json::array();
  for (const auto& r : runs) {
    nlohmann::ordered_json o;
    o["scenario"] = r.scenario;
    o["seed"] = r.seed;
    o["dir"] = r.dir;
    o["completed"] = r.completed;
    if (!r.completed)
      o["error"] = r.error;
    run_list.push_back(std::move(o));
  }

  const nlohmann::ordered_json summary = summarize(tps);
  const auto n = [&](const char* k) { return summary[k].get<std::uint64_t>(); };
  nlohmann::ordered_json status;
  if (!in.review.passed || n("fail") > 0) {
    status["conformant"] = false;
    status["statement"] =
        fmt::format("not conformant: {}{}{}", in.review.passed ? "" : "the static review found problems",
                    !in.review.passed && n("fail") > 0 ? " and " : "",
                    n("fail") > 0 ? plural(n("fail"), "test purpose") + " failed" : "");
  } else if (n("error") > 0 || n("inconc") > 0) {
    status["conformant"] = false;
    status["statement"] =
        fmt::format("conformance not established: {} error, {} inconclusive, no fail", n("error"), n("inconc"));
  } else {
    status["conformant"] = true;
    status["statement"] = fmt::format("conformant: every one of the {} selected test purposes passed", n("selected"));
  }
  j["status"] = std::move(status);
  j["summary"] = summary;
  j["tps"] = std::move(tps);
  j["runs"] = std::move(run_list);
  if (!mutants.is_null())
    j["mutants"] = mutants;
  return j;
}

int exit_code_of(const nlohmann::ordered_json& results) {
  const auto& s = results.at("summary");
  bool ok = s.at("fail").get<std::uint64_t>() == 0 && s.at("error").get<std::uint64_t>() == 0 &&
            results.at("static_review").at("passed").get<bool>();
  if (results.contains("mutants")) {
    const auto& m = results["mutants"];
    ok = ok && m.at("killed").get<std::uint64_t>() == m.at("total").get<std::uint64_t>();
  }
  return ok ? 0 : 1;
}

} // namespace i1sim::conformance::campaign
