// The child processes and report files of the campaign commands (see children.hpp).
#include "cli/children.hpp"

#include <sstream>
#include <stdexcept>

namespace i1sim::cli {

std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string self_path() {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec)
    throw std::runtime_error("cannot find the i1sim executable (/proc/self/exe): " + ec.message());
  return p.string();
}

std::string child_complaint(const std::filesystem::path& log) {
  std::istringstream in(read_whole(log));
  std::string line, last, first_error;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    last = line;
    if (first_error.empty() && line.rfind("i1sim: ", 0) == 0)
      first_error = line;
  }
  const std::string& pick = first_error.empty() ? last : first_error;
  return pick.empty() ? std::string() : ": " + pick;
}

} // namespace i1sim::cli
