# The README's two commands, and the steps they are made of. Every target installs what is missing first.
#   make run    build, then run the conformance campaign against the reference implementation (make scenarios:
#               run every shipped scenario and check its expectations)
#   make test   build, then run the whole test suite, in the normal build and in the sanitizer build, then fuzz
#               the scenario parsers for FUZZ_SECONDS (10) per target (tests/fuzz/README.md)
.PHONY: run scenarios test deps build build-asan test-normal test-asan fuzz bench clean

BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 10
JOBS       ?= $(shell nproc)
CMAKE_GEN  := -G Ninja
RUN_OUT    ?= results
# scale-month (a million orders) is a benchmark: bench/scale-curve.sh runs it.
SCENARIOS  ?= $(filter-out scale-month,$(sort $(basename $(notdir $(wildcard scenarios/*.yaml)))))

deps:
	@scripts/install-deps

# Both builds keep line tables only (-g1): enough for every backtrace and sanitizer report to name file and line,
# and a third less compile time than full debug information (measured on validator_test.cpp: 19.6 s at -O2 -g,
# 12.7 s at -O2 -g1).
$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" \
	  -DI1SIM_WERROR=ON

# The sanitizer build is optimised a little (-O1, asserts kept): its suite runs about twice as fast as at -O0, which
# keeps `make test` within CI's 30 minutes, and the sanitizers still see every access.
$(BUILD_ASAN)/build.ninja: | deps
	cmake -S . -B $(BUILD_ASAN) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" \
	  -DI1SIM_WERROR=ON -DI1SIM_SANITIZE=ON -DI1SIM_BENCH=OFF

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps $(BUILD_ASAN)/build.ninja
	cmake --build $(BUILD_ASAN) -j $(JOBS)

# The conformance campaign: every test purpose the reference's ICS selects, its scenarios on SEEDS seeds, the
# verdicts, conformance.json, junit.xml and the PCTR report under $(RUN_OUT)/conformance.
SEEDS ?= 3
run: build
	$(BUILD)/i1sim conform --iut ref --seeds $(SEEDS) --out $(RUN_OUT)/conformance

# Every shipped scenario, each with its own seed (so its expectations hold as written); a failed expectation
# stops the loop with exit 1.
scenarios: build
	@for s in $(SCENARIOS); do \
	  $(BUILD)/i1sim run scenarios/$$s.yaml --iut ref --out $(RUN_OUT)/$$s || exit $$?; echo; \
	done

test-normal: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Under AddressSanitizer SimGrid must use thread contexts: its stack-switching contexts give false reports.
test-asan: build-asan
	I1SIM_SIMGRID_ARGS=--cfg=contexts/factory:thread \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir $(BUILD_ASAN) --output-on-failure -j $(JOBS)

# A bounded libFuzzer campaign in its own clang build dir; a finding is saved under tests/fuzz/regressions/ and fails.
fuzz: deps
	I1SIM_FUZZ_BUILD=$(BUILD_FUZZ) scripts/fuzz $(FUZZ_SECONDS)

test: test-normal test-asan fuzz

bench: build
	$(BUILD)/bench/i1sim_bench

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
