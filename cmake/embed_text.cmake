# Writes OUT: a C++ file defining i1sim::spec::builtin_text() as the bytes of IN, so the program carries the
# shipped specification. Run by `cmake -DIN=... -DOUT=... -P embed_text.cmake`.
file(READ ${IN} bytes HEX)
string(LENGTH "${bytes}" hex_length)
math(EXPR length "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," array "${bytes}")
file(WRITE ${OUT}
  "// Generated from ${IN} by cmake/embed_text.cmake; do not edit.\n"
  "#include <string_view>\n"
  "namespace i1sim::spec {\n"
  "namespace { const char kText[] = {${array} 0}; }\n"
  "std::string_view builtin_text() { return {kText, ${length}}; }\n"
  "}\n")
