# neurodyn — build, install, test, run.  `make run` and `make test` are all a user needs.

CC       ?= cc
PYTHON   := /usr/bin/python3
# `make run` and `make test` build on every core, once deps has installed the packages (a
# parallel make would otherwise start compiling against headers still being installed).
NPROC := $(shell nproc 2>/dev/null || echo 1)
BUILD    := build
ASAN_BUILD := build-asan

CFLAGS_COMMON := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
                 -Wall -Wextra -Werror=implicit-function-declaration -MMD -MP -fPIC
CFLAGS   ?= -O2 -g
LIBS     := -lzmq -ljansson -lcrypto \
            -lsundials_cvode -lsundials_nvecserial -lsundials_sunlinsoldense \
            -lsundials_sunmatrixdense -lsundials_generic -llapacke -lopenblas -lpthread -lm
# HDF5 for the NWB reader: Debian's serial flavour, named explicitly because pkg-config's
# plain `hdf5` is the OpenMPI one. Only the files that include <hdf5.h> get its headers.
HDF5_LIBDIR := /usr/lib/$(shell $(CC) -print-multiarch)/hdf5/serial
HDF5_CFLAGS := -I/usr/include/hdf5/serial
LIBS     += -L$(HDF5_LIBDIR) -lhdf5
HDF5_SRC := $(wildcard lib/data/nwb*.c) tests/unit/test_data_nwb.c
ASAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=undefined

LIB_SRC    := $(shell find lib -name '*.c' | sort)
KERNEL_SRC := $(filter-out kernel/main.c,$(sort $(wildcard kernel/*.c)))
UNIT_SRC   := $(sort $(wildcard tests/unit/*.c))

obj = $(patsubst %.c,$(1)/obj/%.o,$(2))

# The built-in models are model-language files embedded into the library as C strings.
MODEL_TEXTS := $(sort $(wildcard lib/models/*.nd))
GEN_SRC    := $(BUILD)/gen/model_texts.c
# The mentor's tables of situations and guesses, embedded the same way.
MENTOR_TEXTS := $(sort $(wildcard lib/analysis/mentor/*.md))

LIB_OBJ    := $(call obj,$(BUILD),$(LIB_SRC)) $(BUILD)/obj/gen/model_texts.o \
              $(BUILD)/obj/gen/mentor_texts.o
KERNEL_OBJ := $(call obj,$(BUILD),$(KERNEL_SRC))
UNIT_OBJ   := $(call obj,$(BUILD),$(UNIT_SRC))

ASAN_OBJ   := $(call obj,$(ASAN_BUILD),$(LIB_SRC) $(KERNEL_SRC) $(UNIT_SRC)) \
              $(ASAN_BUILD)/obj/gen/model_texts.o $(ASAN_BUILD)/obj/gen/mentor_texts.o

# libFuzzer targets (fuzz/, see docs/fuzzing.md): Debian's clang, the library and the
# kernel's parsers compiled with the same coverage and sanitizer instrumentation.
FUZZ_BUILD   := build-fuzz
FUZZ_CC      := clang
FUZZ_FLAGS   := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=undefined
FUZZ_TARGETS := wire connfile cell model abf csv
FUZZ_SECONDS ?= 60
FUZZ_KERNEL_SRC := kernel/wire.c kernel/frame.c kernel/signer.c kernel/ids.c kernel/connfile.c
FUZZ_LIB_OBJ := $(call obj,$(FUZZ_BUILD),$(LIB_SRC)) $(FUZZ_BUILD)/obj/gen/model_texts.o \
                $(FUZZ_BUILD)/obj/gen/mentor_texts.o
FUZZ_BINS    := $(patsubst %,$(FUZZ_BUILD)/fuzz-%,$(FUZZ_TARGETS))

$(foreach b,$(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD),$(call obj,$(b),$(HDF5_SRC))): \
    CFLAGS_COMMON += $(HDF5_CFLAGS)

DEB_PACKAGES := build-essential libzmq3-dev libjansson-dev libssl-dev libopenblas-dev \
                liblapacke-dev libsundials-dev gnuplot-nox jupyter-notebook jupyter-client \
                jupyter-nbconvert python3-nbclient python3-jupyter-kernel-test \
                python3-pytest python3-ipykernel python3-scipy jupyter-console python3-pexpect \
                chromium chromium-driver python3-selenium \
                jupyter-nbextension-jupyter-js-widgets python3-ipywidgets \
                clang libclang-rt-dev libhdf5-dev python3-h5py python3-neo \
                openmpi-bin libopenmpi-dev

# The peers the benchmarks compare against (not needed to build or test).
BENCH_PACKAGES := python3-torch

KERNEL_DIR := $(BUILD)/kernelspec/neurodyn
# OpenBLAS's kernel family for the benchmarks run outside the kernel (the kernel and the
# batch runner choose it themselves at start, kernel/blas_pin.c).
ND_CORETYPE := $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo 2>/dev/null && echo Haswell || echo Nehalem)

.PHONY: all deps install run test unit asan-unit pytest bench clean notebooks report fuzz fuzz-build run-notebook

# The MPI plugin (docs/mpi.md): built only where mpicc is installed; `neurodyn run` loads
# it when mpirun or srun starts it, and nothing else needs MPI.
MPICC    := $(shell command -v mpicc 2>/dev/null)
MPI_PLUGIN := $(if $(MPICC),$(BUILD)/libneurodyn_mpi.so)

all: $(BUILD)/neurodyn $(BUILD)/libneurodyn.a $(BUILD)/libneurodyn.so $(MPI_PLUGIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -c $< -o $@

$(ASAN_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(ASAN_FLAGS) -c $< -o $@

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS_COMMON) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(GEN_SRC): $(MODEL_TEXTS) lib/models/embed.sh
	@mkdir -p $(dir $@)
	sh lib/models/embed.sh $(MODEL_TEXTS) > $@

$(BUILD)/gen/mentor_texts.c: $(MENTOR_TEXTS) lib/models/embed.sh
	@mkdir -p $(dir $@)
	sh lib/models/embed.sh --header lib/analysis/mentor_texts.h --array nd_mentor_texts \
	  --count nd_mentor_text_count $(MENTOR_TEXTS) > $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS) -I. -c $< -o $@

$(ASAN_BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(ASAN_FLAGS) -I. -c $< -o $@

$(FUZZ_BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS_COMMON) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -I. -c $< -o $@

$(FUZZ_BUILD)/libneurodyn.a: $(FUZZ_LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz-%: fuzz/%.c fuzz/common.h $(call obj,$(FUZZ_BUILD),$(FUZZ_KERNEL_SRC)) \
                      $(FUZZ_BUILD)/libneurodyn.a
	$(FUZZ_CC) -std=c11 -D_DEFAULT_SOURCE $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< \
	  $(call obj,$(FUZZ_BUILD),$(FUZZ_KERNEL_SRC)) $(FUZZ_BUILD)/libneurodyn.a $(LIBS)

$(BUILD)/libneurodyn.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# Only the nd_ API is exported (lib/neurodyn.map).
$(BUILD)/libneurodyn.so: $(LIB_OBJ) lib/neurodyn.map
	$(CC) -shared -Wl,--version-script=lib/neurodyn.map -o $@ $(LIB_OBJ) $(LIBS)

$(BUILD)/neurodyn: $(call obj,$(BUILD),kernel/main.c) $(KERNEL_OBJ) $(BUILD)/libneurodyn.a
	$(CC) -o $@ $^ $(LIBS)

$(BUILD)/libneurodyn_mpi.so: kernel/mpi/dist_mpi.c lib/base/dist.h
	@mkdir -p $(dir $@)
	$(if $(MPICC),,$(error mpicc not found: install libopenmpi-dev (make deps)))
	$(MPICC) -std=c11 $(CFLAGS) -Wall -Wextra -fPIC -shared -o $@ $<

$(BUILD)/unit-tests: $(UNIT_OBJ) $(KERNEL_OBJ) $(BUILD)/libneurodyn.a
	$(CC) -o $@ $^ $(LIBS)

$(ASAN_BUILD)/unit-tests: $(ASAN_OBJ)
	$(CC) -fsanitize=address,undefined -o $@ $^ $(LIBS)

# Installs the Debian packages that are missing (idempotent; sudo when not root).
deps:
	@missing=$$(for p in $(DEB_PACKAGES) $(EXTRA_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q $$missing; \
	else echo "all Debian packages present"; fi

# The kernelspec points at this checkout's binary, so `make` after a change is enough.
$(KERNEL_DIR)/kernel.json: kernelspec/kernel.json $(BUILD)/neurodyn
	@mkdir -p $(KERNEL_DIR)
	sed -e 's|@ND_BIN@|$(abspath $(BUILD)/neurodyn)|' $< > $@
	cp kernelspec/logo-*.png kernelspec/logo-svg.svg $(KERNEL_DIR)/

# The highlighters (kernel.js for the Notebook, the Pygments lexer for nbconvert and the
# report) are filled with the words of `neurodyn lexicon`; see kernelspec/install_highlighting.py.
$(KERNEL_DIR)/kernel.js: kernelspec/kernel.js kernelspec/neurodyn_pygments.py \
                         kernelspec/install_highlighting.py $(BUILD)/neurodyn
	@mkdir -p $(KERNEL_DIR)
	$(PYTHON) kernelspec/install_highlighting.py $(BUILD)/neurodyn $(KERNEL_DIR)

# The docs as HTML pages inside the kernelspec: the kernel's help_links (Help menu) point
# at them, served by the Notebook at /kernelspecs/neurodyn/docs/.
$(KERNEL_DIR)/docs/index.html: $(wildcard docs/*.md) kernelspec/install_docs.py
	@mkdir -p $(KERNEL_DIR)
	$(PYTHON) kernelspec/install_docs.py docs $(KERNEL_DIR)

install: $(KERNEL_DIR)/kernel.json $(KERNEL_DIR)/kernel.js $(KERNEL_DIR)/docs/index.html
	jupyter kernelspec install --user --replace --name neurodyn $(KERNEL_DIR)

run: deps
	@$(MAKE) --no-print-directory -j$(NPROC) all install
	jupyter notebook --notebook-dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests

asan-unit: $(ASAN_BUILD)/unit-tests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(ASAN_BUILD)/unit-tests

pytest: all install
	$(PYTHON) -m pytest -q tests/python

# Every test: C unit tests, the same under ASan+UBSan, the real-client suites, then a short
# smoke run of every fuzz target (with its regression inputs).
test: deps
	@$(MAKE) --no-print-directory -j$(NPROC) all install $(BUILD)/unit-tests \
	    $(ASAN_BUILD)/unit-tests $(FUZZ_BINS)
	@tests/run_all.sh

fuzz-build: $(FUZZ_BINS)

# Built only as prerequisites of the pattern rule above: kept, so that make neither
# rebuilds nor deletes them (a deletion would print after the test summary).
.SECONDARY: $(call obj,$(FUZZ_BUILD),$(FUZZ_KERNEL_SRC))

# Runs every fuzz target for FUZZ_SECONDS (default 60) after replaying its regression
# inputs, and reports executions and coverage (docs/fuzzing.md). Not part of `make test`.
fuzz: deps $(FUZZ_BINS)
	fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

BENCH_C := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))

$(BUILD)/bench/%: bench/%.c $(BUILD)/libneurodyn.a
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -D_DEFAULT_SOURCE -I. -o $@ $< $(BUILD)/libneurodyn.a $(LIBS)

# Benchmarks against the peers, side by side with ratios (see bench/README.md); not tests.
bench: EXTRA_PACKAGES = $(BENCH_PACKAGES)
bench: deps all install $(BENCH_C)
	$(PYTHON) bench/kernel_latency.py
	$(PYTHON) bench/ode.py
	$(PYTHON) bench/ude.py
	OPENBLAS_CORETYPE=$(ND_CORETYPE) $(BUILD)/bench/ude_seeds
	$(PYTHON) bench/sindy.py
	$(PYTHON) bench/fit.py
	$(PYTHON) bench/recordings.py
	$(PYTHON) bench/cell_latency.py
	$(BUILD)/bench/expr_speed
	$(BUILD)/bench/continuation
	$(BUILD)/bench/fi_onset
	$(PYTHON) bench/sweep.py
	OPENBLAS_CORETYPE=$(ND_CORETYPE) $(BUILD)/bench/cmaes
	$(BUILD)/bench/symreg 3
	OPENBLAS_CORETYPE=$(ND_CORETYPE) $(BUILD)/bench/ensemble

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

-include $(shell find $(BUILD)/obj $(ASAN_BUILD)/obj $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)

# Re-executes every notebook in place, storing fresh outputs (without timing metadata).
notebooks: all install
	for nb in notebooks/*.ipynb; do \
	  jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.kernel_name=neurodyn --ExecutePreprocessor.record_timing=False "$$nb" || exit 1; \
	done

# Executes one notebook with other values for its `parameters` cell (the papermill
# convention): make run-notebook NB=notebooks/x.ipynb OUT=build/x.ipynb P="I=12 seed=3"
run-notebook: all install
	$(PYTHON) docs/report/run_notebook.py $(NB) $(OUT) $(P)

# Executes every notebook into build/report/ (one HTML page each + index.html; the committed
# notebooks are not touched). Template, MathJax copy and index: docs/report/ (README "The report").
report: all install
	rm -rf $(BUILD)/report
	$(PYTHON) docs/report/build.py --execute $(BUILD)/report notebooks/*.ipynb

# The protocol path under valgrind (kernel_info, execute, complete, inspect, history,
# interrupt, shutdown): no memcheck error and no definitely lost block. Slow, so not part of
# `make test`. The wrapper and the test: tests/valgrind/.
.PHONY: valgrind
valgrind: EXTRA_PACKAGES = valgrind
valgrind: deps all install
	$(PYTHON) -m pytest -q -s -p no:cacheprovider tests/valgrind
