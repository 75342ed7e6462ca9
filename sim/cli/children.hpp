// What the campaign commands (conform, bench) share about the child `i1sim run` processes they start and the
// report files they write.
#pragma once

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <string>
#include <system_error>

namespace i1sim::cli {

/// The whole file, or empty when it cannot be read.
std::string read_whole(const std::filesystem::path& path);

/// This executable, to start children of: throws std::runtime_error when /proc/self/exe cannot be read.
std::string self_path();

/// Why a child gave no results, from its log: its first "i1sim: " line, else its last line, as ": LINE"; empty
/// when the log says nothing.
std::string child_complaint(const std::filesystem::path& log);

/// Writes through a temporary file and a rename, so that a reader never sees half a report; a failure throws
/// `Error` (the command's own kind of input error) naming the file.
template <class Error> void write_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush())
      throw Error(fmt::format("{}: cannot write: {}", tmp.string(), std::strerror(errno)));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    throw Error(fmt::format("{}: cannot write: {}", path.string(), ec.message()));
}

} // namespace i1sim::cli
