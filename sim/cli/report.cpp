// `i1sim report`: renders junit.xml and report.md again from a campaign's conformance.json, running nothing.
#include "cli/commands.hpp"
#include "reports/reports.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace i1sim::cli {

namespace {

/// Line and column (from 1) of byte `offset` of `text`.
std::pair<std::size_t, std::size_t> position_of(const std::string& text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

bool write_file(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      std::cerr << fmt::format("i1sim: error: {}: cannot write: {}\n", tmp.string(), std::strerror(errno));
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::cerr << fmt::format("i1sim: error: {}: cannot write: {}\n", path.string(), ec.message());
    return false;
  }
  return true;
}

} // namespace

int report_command(const po::variables_map& vm) {
  if (!vm.count("results"))
    throw UsageError("missing RESULTS: name a campaign's conformance.json, e.g. results/conformance/conformance.json");
  const std::string path = vm["results"].as<std::string>();
  const std::string text = read_input_file(path, "results");
  nlohmann::ordered_json results;
  try {
    results = nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's byte is one past the character it stopped at.
    const auto [line, column] = position_of(text, e.byte > 0 ? e.byte - 1 : 0);
    std::string message = e.what();
    if (const auto cut = message.find("; "); cut != std::string::npos)
      message = message.substr(cut + 2);
    std::cerr << fmt::format("i1sim: error: {}:{}:{}: not valid JSON: {}\n", path, line, column, message);
    return kUsage;
  }
  std::string junit, markdown;
  try {
    if (!results.is_object() || results.value("schema", std::string()) != "i1sim-conformance/1")
      throw reports::ReportInputError("/schema: not 'i1sim-conformance/1' (is this a conformance.json of i1sim "
                                      "conform?)");
    junit = reports::render_junit(results);
    markdown = reports::render_markdown(results);
  } catch (const reports::ReportInputError& e) {
    std::cerr << fmt::format("i1sim: error: {}: {}\n", path, e.what());
    return kUsage;
  }
  const fs::path out_dir = vm.count("out") ? fs::path(vm["out"].as<std::string>()) : fs::path(path).parent_path();
  std::error_code ec;
  if (!out_dir.empty())
    fs::create_directories(out_dir, ec);
  if (ec || (!out_dir.empty() && !fs::is_directory(out_dir))) {
    std::cerr << fmt::format("i1sim: error: {}: cannot create the output directory\n", out_dir.string());
    return kUsage;
  }
  if (!write_file(out_dir / "junit.xml", junit) || !write_file(out_dir / "report.md", markdown))
    return kUsage;
  std::cout << fmt::format("junit:  {}\nreport: {}\n", (out_dir / "junit.xml").string(),
                           (out_dir / "report.md").string());
  return kOk;
}

} // namespace i1sim::cli
