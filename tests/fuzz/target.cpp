// The libFuzzer entry of one fuzz target; I1SIM_FUZZ_TARGET names which entry point of entry_points.hpp it drives.
#include "entry_points.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

// Nothing here catches: an exception the entry point lets through reaches no handler, so the runtime aborts at
// the throw with the thrower still on the stack, and libFuzzer reports that stack and saves the input.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const i1sim::fuzz::Target* const target = [] {
    const auto* t = i1sim::fuzz::find_target(I1SIM_FUZZ_TARGET);
    if (!t) {
      std::fprintf(stderr, "fuzz: no entry point named '%s'\n", I1SIM_FUZZ_TARGET);
      std::abort();
    }
    return t;
  }();
  target->run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
