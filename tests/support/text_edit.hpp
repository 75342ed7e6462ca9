// Editing a shipped file's text in a test: break exactly one thing, then find the line the error must name.
#pragma once

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

namespace i1sim::test {

/// The whole file ("" when it cannot be read).
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// `text` with its one occurrence of `from` replaced by `to`; fails the test when `from` is absent or repeated,
/// so an edit can never silently miss.
inline std::string replace_once(const std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "'" << from << "' is not in the text";
  if (at == std::string::npos)
    return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "'" << from << "' is in the text more than once";
  std::string out = text;
  out.replace(at, from.size(), to);
  return out;
}

/// The 1-based line of the first occurrence of `needle` (0 if none).
inline int line_of(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  if (at == std::string::npos)
    return 0;
  int line = 1;
  for (std::size_t i = 0; i < at; ++i)
    line += text[i] == '\n' ? 1 : 0;
  return line;
}

} // namespace i1sim::test
