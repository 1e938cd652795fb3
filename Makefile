# bidui: `make` builds build/bidui; `make test` runs every test (unit tests,
# end-to-end cases, then both again under ASan+UBSan, compare's threads
# under ThreadSanitizer, then fault injection, valgrind and a short fuzz
# pass); `make demo` runs the
# comparison on the synthetic county in fixtures/.
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wvla
DEFS     = -D_GNU_SOURCE -Ipipeline -Istages
LIBS     = -lcsv -lminizip -lexpat -lfreexl -lxlsxwriter -ldeflate -lz -lcrypto -lpthread -lm
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
TSANFLAGS = -O1 -g -fsanitize=thread

SRC     := $(sort $(wildcard pipeline/*.c stages/*.c))
LIBSRC  := $(filter-out pipeline/main.c,$(SRC))
HDR     := $(wildcard pipeline/*.h stages/*.h)
TESTSRC := $(sort $(wildcard tests/test_*.c))
TOOLS   := $(patsubst scripts/%.c,build/%,$(wildcard scripts/*.c))

OBJ      := $(SRC:%.c=build/obj/%.o)
LIBOBJ   := $(LIBSRC:%.c=build/obj/%.o)
AOBJ     := $(SRC:%.c=build/asan/%.o)
TOBJ     := $(SRC:%.c=build/tsan/%.o)
ALIBOBJ  := $(LIBSRC:%.c=build/asan/%.o)
UNITS    := $(TESTSRC:tests/%.c=build/tests/%)
AUNITS   := $(TESTSRC:tests/%.c=build/asan/tests/%)

.PHONY: all deps test unit e2e asan-test tsan regen demo clean tools fuzz fuzz-smoke inject valgrind hostile
all: build/bidui

deps:
	@sh scripts/deps.sh

build/obj/%.o: %.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(DEFS) -c $< -o $@
build/asan/%.o: %.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SANFLAGS) $(DEFS) -c $< -o $@

build/tsan/%.o: %.c $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(TSANFLAGS) $(DEFS) -c $< -o $@

build/bidui: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(LIBS)
build/asan/bidui: $(AOBJ)
	$(CC) $(SANFLAGS) -o $@ $(AOBJ) $(LIBS)
build/tsan/bidui: $(TOBJ)
	$(CC) $(TSANFLAGS) -o $@ $(TOBJ) $(LIBS)

build/tests/%: tests/%.c $(LIBOBJ) tests/test.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(DEFS) -o $@ $< $(LIBOBJ) $(LIBS)
build/asan/tests/%: tests/%.c $(ALIBOBJ) tests/test.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SANFLAGS) $(DEFS) -o $@ $< $(ALIBOBJ) $(LIBS)

# Tools kept with the scripts that use them.
build/%: scripts/%.c $(LIBOBJ)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(DEFS) -o $@ $< $(LIBOBJ) $(LIBS)
tools: $(TOOLS)

unit: deps $(UNITS)
	@sh scripts/run_units.sh $(UNITS)
e2e: deps build/bidui
	@sh tests/run_e2e.sh build/bidui
asan-test: deps build/asan/bidui $(AUNITS)
	@ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  sh scripts/run_units.sh $(AUNITS)
	@ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  sh tests/run_e2e.sh build/asan/bidui

# compare's threads under ThreadSanitizer: no race, the same lists.
tsan: deps build/bidui build/tsan/bidui
	@sh tests/tsan.sh build/tsan/bidui build/bidui

test: deps
	@rm -f build/test-counts
	@$(MAKE) --no-print-directory all tools
	@$(MAKE) --no-print-directory unit e2e asan-test tsan hostile
	@sh scripts/test_summary.sh

# Rewrite the expected outputs of the end-to-end cases from the current
# build, for review with `git diff` (like Miller's regtest -p).
regen: build/bidui
	@sh tests/run_e2e.sh --update build/bidui

demo: deps build/bidui
	./build/bidui compare --out build/demo
	@echo; cat build/demo/summary.md

clean:
	rm -rf build

# ---- hostile input and faults (issue 8) ----
# `make fuzz`: every libFuzzer target in tests/fuzz/ for FUZZ_SECONDS each
# (needs clang: scripts/deps_fuzz.sh). `make inject`: I/O faults through an
# LD_PRELOAD wrapper. `make valgrind`: the fixture county under valgrind.
# `make test` runs all three (`hostile`), the fuzzers only briefly
# (FUZZ_SMOKE_SECONDS each, starting from the seed corpus) and only when
# clang can build them.
FUZZCC    ?= clang
FUZZFLAGS  = -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 8
FUZZSRC   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS   := $(FUZZSRC:tests/fuzz/%.c=build/fuzz/%)
FOBJ      := $(LIBSRC:%.c=build/fuzz/obj/%.o)
.SECONDARY: $(FOBJ)

build/fuzz/obj/%.o: %.c $(HDR)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(WARN) $(FUZZFLAGS) -fsanitize=fuzzer-no-link,address,undefined $(DEFS) -c $< -o $@
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FOBJ)
	$(FUZZCC) $(WARN) $(FUZZFLAGS) -fsanitize=fuzzer,address,undefined $(DEFS) -o $@ $< $(FOBJ) $(LIBS)

fuzz: deps
	@sh scripts/deps_fuzz.sh
	@$(MAKE) --no-print-directory $(FUZZERS)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZERS)
fuzz-smoke: deps
	@if sh scripts/deps_fuzz.sh --check; then \
	  $(MAKE) --no-print-directory $(FUZZERS) && sh tests/fuzz/run.sh --smoke $(FUZZ_SMOKE_SECONDS) $(FUZZERS); \
	else echo "fuzz: skipped: $(FUZZCC) cannot build libFuzzer targets (scripts/deps_fuzz.sh)"; fi

build/inject.so: tests/inject/inject.c
	@mkdir -p build
	$(CC) -std=c11 -Wall -Wextra -O2 -g -fPIC -shared -D_GNU_SOURCE -o $@ $< -ldl
inject: deps build/bidui build/inject.so
	@sh tests/inject/run.sh build/bidui build/inject.so

valgrind: deps build/bidui
	@sh tests/valgrind.sh build/bidui

hostile: inject valgrind fuzz-smoke
