// JUnit XML and the Markdown conformance test report, rendered from conformance.json only.
#include "reports/reports.hpp"

#include <fmt/format.h>
#include <map>
#include <vector>

namespace i1sim::reports {

namespace {

using J = nlohmann::ordered_json;

bool natural(const J& v) { return v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0); }

// Every field is read through these, so a hand-edited or truncated conformance.json is refused with the pointer
// of the first field that is wrong, before anything is written.
const J& need(const J& o, const std::string& key, const std::string& at) {
  if (!o.is_object())
    throw ReportInputError(fmt::format("{}: not an object", at.empty() ? "/" : at));
  if (!o.contains(key))
    throw ReportInputError(fmt::format("{}/{}: missing", at, key));
  return o[key];
}
std::string str(const J& o, const std::string& key, const std::string& at) {
  const J& v = need(o, key, at);
  if (!v.is_string())
    throw ReportInputError(fmt::format("{}/{}: not a string", at, key));
  return v.get<std::string>();
}
std::uint64_t num(const J& o, const std::string& key, const std::string& at) {
  const J& v = need(o, key, at);
  if (!natural(v))
    throw ReportInputError(fmt::format("{}/{}: not a non-negative integer", at, key));
  return v.get<std::uint64_t>();
}
bool flag(const J& o, const std::string& key, const std::string& at) {
  const J& v = need(o, key, at);
  if (!v.is_boolean())
    throw ReportInputError(fmt::format("{}/{}: not true or false", at, key));
  return v.get<bool>();
}
const J& arr(const J& o, const std::string& key, const std::string& at) {
  const J& v = need(o, key, at);
  if (!v.is_array())
    throw ReportInputError(fmt::format("{}/{}: not a list", at, key));
  return v;
}
std::vector<std::string> strings(const J& o, const std::string& key, const std::string& at) {
  std::vector<std::string> out;
  const J& a = arr(o, key, at);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_string())
      throw ReportInputError(fmt::format("{}/{}/{}: not a string", at, key, i));
    out.push_back(a[i].get<std::string>());
  }
  return out;
}
std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : items)
    out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

const std::vector<std::string> kVerdicts{"none", "pass", "inconc", "fail", "error"};

std::string verdict_of(const J& o, const std::string& at) {
  const std::string v = str(o, "verdict", at);
  for (const auto& known : kVerdicts)
    if (v == known)
      return v;
  throw ReportInputError(fmt::format("{}/verdict: '{}' is not a verdict (none, pass, inconc, fail, error)", at, v));
}

/// One piece of evidence, read and checked.
struct Evidence {
  std::string scenario, check, verdict, reason, events_path;
  std::uint64_t seed = 0;
  std::vector<std::uint64_t> events;
};
std::vector<Evidence> evidence_of(const J& tp, const std::string& at) {
  std::vector<Evidence> out;
  const J& list = arr(tp, "evidence", at);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string e_at = fmt::format("{}/evidence/{}", at, i);
    const J& e = list[i];
    Evidence ev;
    ev.scenario = str(e, "scenario", e_at);
    ev.seed = num(e, "seed", e_at);
    if (e.is_object() && e.contains("check"))
      ev.check = str(e, "check", e_at);
    ev.verdict = verdict_of(e, e_at);
    ev.reason = str(e, "reason", e_at);
    ev.events_path = str(e, "events_path", e_at);
    const J& ids = arr(e, "events", e_at);
    for (std::size_t k = 0; k < ids.size(); ++k) {
      if (!natural(ids[k]))
        throw ReportInputError(fmt::format("{}/events/{}: not an event id", e_at, k));
      ev.events.push_back(ids[k].get<std::uint64_t>());
    }
    out.push_back(std::move(ev));
  }
  return out;
}

std::string ids_text(const std::vector<std::uint64_t>& ids) {
  std::string out;
  for (const auto id : ids)
    out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

/// One line per piece of evidence: where it comes from, what it says, the events that show it.
std::string evidence_line(const Evidence& e) {
  return fmt::format("run {} seed {}{}: {}: {}; {} ({})", e.scenario, e.seed, e.check.empty() ? "" : ", " + e.check,
                     e.verdict, e.reason,
                     e.events.empty() ? std::string("no event ids") : "events " + ids_text(e.events), e.events_path);
}

/// A test purpose, read and checked once for both renderings.
struct Tp {
  std::string id, title, group, verdict, reason, selection_reason;
  std::vector<std::string> requirements;
  bool selected = false;
  std::vector<Evidence> evidence;
};
std::vector<Tp> tps_of(const J& results) {
  std::vector<Tp> out;
  const J& list = arr(results, "tps", "");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = fmt::format("/tps/{}", i);
    const J& t = list[i];
    Tp tp;
    tp.id = str(t, "id", at);
    tp.title = str(t, "title", at);
    tp.group = str(t, "group", at);
    tp.requirements = strings(t, "requirements", at);
    tp.selected = flag(t, "selected", at);
    if (!tp.selected)
      tp.selection_reason = str(t, "selection_reason", at);
    tp.verdict = verdict_of(t, at);
    tp.reason = str(t, "reason", at);
    tp.evidence = evidence_of(t, at);
    out.push_back(std::move(tp));
  }
  return out;
}

/// A mutant row of the kill matrix, read and checked.
struct Mutant {
  std::string name, defect;
  bool killed = false;
  std::vector<std::string> killed_by;
  std::map<std::string, std::uint64_t> counts;               // verdict -> test purposes
  std::vector<std::pair<std::string, std::string>> findings; // "TP verdict" -> reason and first evidence
};
struct Mutants {
  bool present = false;
  std::uint64_t seeds = 0, killed = 0, total = 0;
  std::string score;
  std::vector<Mutant> rows;
};
Mutants mutants_of(const J& results) {
  Mutants m;
  if (!results.contains("mutants"))
    return m;
  m.present = true;
  const J& section = results["mutants"];
  const std::string at = "/mutants";
  m.seeds = num(section, "seeds", at);
  m.killed = num(section, "killed", at);
  m.total = num(section, "total", at);
  m.score = str(section, "score", at);
  const J& list = arr(section, "mutants", at);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string r_at = fmt::format("{}/mutants/{}", at, i);
    const J& r = list[i];
    Mutant row;
    row.name = str(r, "name", r_at);
    row.defect = str(r, "defect", r_at);
    row.killed = flag(r, "killed", r_at);
    row.killed_by = strings(r, "killed_by", r_at);
    const J& verdicts = need(r, "verdicts", r_at);
    if (!verdicts.is_object())
      throw ReportInputError(r_at + "/verdicts: not an object");
    for (const auto& [tp, v] : verdicts.items()) {
      const std::string v_at = r_at + "/verdicts/" + tp;
      if (!v.is_string())
        throw ReportInputError(v_at + ": not a string");
      ++row.counts[v.get<std::string>()];
    }
    const J& findings = arr(r, "findings", r_at);
    for (std::size_t k = 0; k < findings.size(); ++k) {
      const std::string f_at = fmt::format("{}/findings/{}", r_at, k);
      const J& f = findings[k];
      std::string text = str(f, "reason", f_at);
      if (f.is_object() && f.contains("evidence"))
        for (const auto& e : evidence_of(f, f_at))
          text += "; " + evidence_line(e);
      row.findings.emplace_back(str(f, "tp", f_at) + " " + verdict_of(f, f_at), text);
    }
    m.rows.push_back(std::move(row));
  }
  return m;
}

std::string attr(std::string_view name, std::string_view value) {
  return fmt::format(" {}=\"{}\"", name, xml_escape(value));
}

/// A table cell: one line, no column separators of its own.
std::string cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

} // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    case '\n':
      out += "&#10;";
      break; // kept through attribute normalisation
    case '\t':
      out += "&#9;";
      break;
    case '\r':
      out += "&#13;";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20)
        out += "\xEF\xBF\xBD"; // XML 1.0 has no way to write these, not even as references
      else
        out += c;
    }
  }
  return out;
}

std::string render_junit(const J& results) {
  const std::vector<Tp> tps = tps_of(results);
  const Mutants mutants = mutants_of(results);
  const J& id = need(results, "identification", "");
  const J& suite = need(id, "suite", "/identification");
  const std::string suite_name =
      fmt::format("{} {} against {}", str(suite, "id", "/identification/suite"),
                  str(suite, "version", "/identification/suite"), str(id, "iut", "/identification"));

  struct Counts {
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    void add(const std::string& verdict) {
      ++tests;
      failures += verdict == "fail" ? 1u : 0u;
      errors += verdict == "error" ? 1u : 0u;
      skipped += verdict == "none" || verdict == "inconc" ? 1u : 0u;
    }
  };
  std::vector<std::string> groups; // in suite order
  std::map<std::string, Counts> per_group;
  Counts all;
  for (const auto& tp : tps) {
    if (!per_group.count(tp.group))
      groups.push_back(tp.group);
    const std::string v = tp.selected ? tp.verdict : "none";
    per_group[tp.group].add(v);
    all.add(v);
  }
  Counts mutant_counts;
  for (const auto& m : mutants.rows)
    mutant_counts.add(m.killed ? "pass" : "fail");
  if (mutants.present) {
    all.tests += mutant_counts.tests;
    all.failures += mutant_counts.failures;
  }

  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += fmt::format("<testsuites{}{}{}{}{}>\n", attr("name", suite_name), attr("tests", std::to_string(all.tests)),
                   attr("failures", std::to_string(all.failures)), attr("errors", std::to_string(all.errors)),
                   attr("skipped", std::to_string(all.skipped)));
  auto open_suite = [&](const std::string& name, const Counts& c) {
    x += fmt::format("  <testsuite{}{}{}{}{}>\n", attr("name", name), attr("tests", std::to_string(c.tests)),
                     attr("failures", std::to_string(c.failures)), attr("errors", std::to_string(c.errors)),
                     attr("skipped", std::to_string(c.skipped)));
  };
  for (const auto& group : groups) {
    open_suite(group, per_group[group]);
    for (const auto& tp : tps) {
      if (tp.group != group)
        continue;
      x += fmt::format("    <testcase{}{}>\n", attr("classname", tp.group), attr("name", tp.id));
      x += "      <properties>\n";
      x += fmt::format("        <property{}{}/>\n", attr("name", "title"), attr("value", tp.title));
      for (const auto& r : tp.requirements)
        x += fmt::format("        <property{}{}/>\n", attr("name", "requirement"), attr("value", r));
      x += fmt::format("        <property{}{}/>\n", attr("name", "verdict"),
                       attr("value", tp.selected ? tp.verdict : "not selected"));
      x += "      </properties>\n";
      std::string details;
      for (const auto& e : tp.evidence)
        details += evidence_line(e) + "\n";
      if (!tp.selected)
        x += fmt::format("      <skipped{}/>\n", attr("message", "not selected: " + tp.selection_reason));
      else if (tp.verdict == "fail")
        x += fmt::format("      <failure{}{}>{}</failure>\n", attr("message", tp.reason), attr("type", "fail"),
                         xml_escape(details));
      else if (tp.verdict == "error")
        x += fmt::format("      <error{}{}>{}</error>\n", attr("message", tp.reason), attr("type", "error"),
                         xml_escape(details));
      else if (tp.verdict == "inconc")
        x += fmt::format("      <skipped{}/>\n", attr("message", "inconc: " + tp.reason));
      else if (tp.verdict == "none")
        x += fmt::format("      <skipped{}/>\n", attr("message", "none: " + tp.reason));
      if (tp.selected && tp.verdict == "inconc" && !details.empty())
        x += fmt::format("      <system-out>{}</system-out>\n", xml_escape(details));
      x += "    </testcase>\n";
    }
    x += "  </testsuite>\n";
  }
  if (mutants.present) {
    open_suite("mutants", mutant_counts);
    for (const auto& m : mutants.rows) {
      x += fmt::format("    <testcase{}{}>\n", attr("classname", "mutants"), attr("name", m.name));
      x += "      <properties>\n";
      x += fmt::format("        <property{}{}/>\n", attr("name", "defect"), attr("value", m.defect));
      for (const auto& tp : m.killed_by)
        x += fmt::format("        <property{}{}/>\n", attr("name", "killed_by"), attr("value", tp));
      x += "      </properties>\n";
      if (!m.killed)
        x += fmt::format(
            "      <failure{}{}/>\n",
            attr("message", "not killed: no selected test purpose the reference passes failed against this mutant"),
            attr("type", "survived"));
      x += "    </testcase>\n";
    }
    x += "  </testsuite>\n";
  }
  x += "</testsuites>\n";
  return x;
}

std::string render_markdown(const J& results) {
  const std::vector<Tp> tps = tps_of(results);
  const Mutants mutants = mutants_of(results);
  const J& id = need(results, "identification", "");
  const std::string ida = "/identification";
  const J& suite = need(id, "suite", ida);
  const J& spec = need(id, "spec", ida);
  const J& tool = need(id, "tool", ida);
  const J& ics_id = need(id, "ics", ida);
  const J& pixit = need(id, "pixit", ida);
  const J& campaign = need(id, "campaign", ida);
  const J& status = need(results, "status", "");
  const J& review = need(results, "static_review", "");
  const J& summary = need(results, "summary", "");
  const J& ics = need(results, "ics", "");

  std::string m;
  const std::string report_id = str(id, "report_id", ida);
  m += fmt::format("# Protocol conformance test report {}\n\n", report_id);

  m += "## 1 Identification summary\n\n| Item | Value |\n|---|---|\n";
  auto row = [&](std::string_view item, const std::string& value) {
    m += fmt::format("| {} | {} |\n", item, cell(value));
  };
  row("Report", report_id);
  row("Inputs digest (SHA-256)", str(id, "inputs_sha256", ida));
  const std::uint64_t tp_count = num(suite, "tps", ida + "/suite");
  row("Test suite", fmt::format("{} {} ({} test purpose{})", str(suite, "id", ida + "/suite"),
                                str(suite, "version", ida + "/suite"), tp_count, tp_count == 1 ? "" : "s"));
  row("Specification", fmt::format("{} {} ({})", str(spec, "title", ida + "/spec"), str(spec, "version", ida + "/spec"),
                                   str(spec, "file", ida + "/spec")));
  row("Test tool", fmt::format("{} {}", str(tool, "name", ida + "/tool"), str(tool, "version", ida + "/tool")));
  row("Implementation under test", str(id, "iut", ida));
  row("Implementation (ICS)", fmt::format("{} {}, {}", str(ics_id, "implementation", ida + "/ics"),
                                          str(ics_id, "version", ida + "/ics"), str(ics_id, "vendor", ida + "/ics")));
  row("ICS", fmt::format("{} (profile {})", str(ics_id, "file", ida + "/ics"), str(ics_id, "profile", ida + "/ics")));
  {
    const J& timers = need(pixit, "timers", ida + "/pixit");
    std::string t;
    if (timers.is_object())
      for (const auto& [name, v] : timers.items())
        t += (t.empty() ? "" : ", ") + name + " = " + v.dump() + " s";
    const std::string file = str(pixit, "file", ida + "/pixit");
    row("PIXIT", fmt::format("{}; timers: {}", file.empty() ? "none (the specification's timers)" : file,
                             t.empty() ? "the specification's defaults" : t));
  }
  {
    const std::string ca = ida + "/campaign";
    const J& seeds = arr(campaign, "seeds", ca);
    std::string seed_text;
    for (const auto& s : seeds)
      seed_text += (seed_text.empty() ? "" : ", ") + s.dump();
    const std::uint64_t run_count = num(campaign, "runs", ca);
    row("Test campaign", fmt::format("{} run{} of {} (seeds {}), each limited to {} s of wall time", run_count,
                                     run_count == 1 ? "" : "s", join(strings(campaign, "scenarios", ca)), seed_text,
                                     need(campaign, "timeout_s", ca).dump()));
  }
  row("Testing environment", "simulated (SimGrid); the event stream of every run is the evidence");

  m += fmt::format("\n## 2 IUT conformance status\n\n{}\n", str(status, "statement", "/status"));

  m += "\n## 3 Static conformance summary and review\n\n";
  {
    const J& features = need(ics, "features", "/ics");
    const J& reqs = need(ics, "requirements", "/ics");
    std::size_t claimed = 0;
    for (const auto& [k, v] : reqs.items())
      claimed += v.is_boolean() && v.get<bool>() ? 1u : 0u;
    m += fmt::format("The ICS claims profile {} and {} of the {} requirements it lists.\n\n",
                     str(ics_id, "profile", ida + "/ics"), claimed, reqs.size());
    if (!features.empty()) {
      m += "| ICS item | Supported |\n|---|---|\n";
      for (const auto& [k, v] : features.items())
        m += fmt::format("| {} | {} |\n", cell(k), v.is_boolean() && v.get<bool>() ? "yes" : "no");
      m += "\n";
    }
    const bool passed = flag(review, "passed", "/static_review");
    const J& findings = arr(review, "findings", "/static_review");
    m += fmt::format("Static review: **{}**", passed ? "passed" : "failed");
    if (findings.empty()) {
      m += ", no finding.\n";
    } else {
      m += fmt::format(", {} finding{}:\n\n", findings.size(), findings.size() == 1 ? "" : "s");
      for (std::size_t i = 0; i < findings.size(); ++i) {
        const std::string at = fmt::format("/static_review/findings/{}", i);
        m += fmt::format("- {}: {}\n", str(findings[i], "requirement", at), str(findings[i], "message", at));
      }
    }
  }

  m += "\n## 4 Dynamic conformance summary\n\n| Verdict | Test purposes |\n|---|---|\n";
  for (const auto& v : {"pass", "fail", "inconc", "error", "none"})
    m += fmt::format("| {} | {} |\n", v, num(summary, v, "/summary"));
  m +=
      fmt::format("| not selected | {} |\n| **total** | {} (selected {}) |\n", num(summary, "not_selected", "/summary"),
                  num(summary, "tps", "/summary"), num(summary, "selected", "/summary"));

  m += "\n## 5 Test campaign report\n\n| Test purpose | Title | Requirements | Selection | Verdict | Evidence |\n"
       "|---|---|---|---|---|---|\n";
  for (const auto& tp : tps) {
    std::string evidence;
    if (tp.selected && tp.verdict != "pass") {
      std::size_t shown = 0;
      for (const auto& e : tp.evidence) {
        if (shown == 3) {
          evidence += fmt::format("; {} more in section 6", tp.evidence.size() - shown);
          break;
        }
        evidence += fmt::format("{}{} seed {}{}: {}", shown ? "; " : "", e.scenario, e.seed,
                                e.check.empty() ? "" : " " + e.check,
                                e.events.empty() ? std::string("no event ids") : "events " + ids_text(e.events));
        ++shown;
      }
    }
    m += fmt::format("| {} | {} | {} | {} | {} | {} |\n", cell(tp.id), cell(tp.title), cell(join(tp.requirements)),
                     tp.selected ? "selected" : cell("not selected: " + tp.selection_reason),
                     tp.selected ? "**" + tp.verdict + "**" : "-", cell(evidence));
  }

  m += "\n## 6 Observations\n\n";
  std::size_t observations = 0;
  for (const auto& tp : tps) {
    if (!tp.selected || tp.verdict == "pass")
      continue;
    ++observations;
    m += fmt::format("### {}: {}\n\n{}\n\n", tp.id, tp.verdict, tp.reason);
    for (const auto& e : tp.evidence)
      m += "- " + evidence_line(e) + "\n";
    if (!tp.evidence.empty())
      m += "\n";
  }
  if (observations == 0)
    m += "Every selected test purpose passed: there is nothing to observe.\n\n";
  if (mutants.present) {
    m += fmt::format("### Mutants\n\nMutation score: **{}** killed ({} seed{} per scenario). A mutant is killed when "
                     "at least one selected test purpose that the reference passes fails against it.\n\n",
                     mutants.score, mutants.seeds, mutants.seeds == 1 ? "" : "s");
    m += "| Mutant | Defect | Killed | Killed by | pass | inconc | fail | error |\n|---|---|---|---|---|---|---|---|\n";
    for (const auto& r : mutants.rows) {
      auto count = [&](const char* v) {
        const auto it = r.counts.find(v);
        return it == r.counts.end() ? std::uint64_t{0} : it->second;
      };
      m += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", cell(r.name), cell(r.defect),
                       r.killed ? "yes" : "**no**", cell(join(r.killed_by)), count("pass"), count("inconc"),
                       count("fail"), count("error"));
    }
    m += "\n";
    for (const auto& r : mutants.rows) {
      if (r.findings.empty())
        continue;
      m += fmt::format("#### Mutant {}\n\n", r.name);
      for (const auto& [head, text] : r.findings)
        m += fmt::format("- {}: {}\n", head, text);
      m += "\n";
    }
  }
  return m;
}

} // namespace i1sim::reports
