# Two commands set up everything on a fresh Debian machine:
#   make demo   installs what is missing, builds, and runs a seed example
#   make test   installs what is missing, builds, and runs the test suite
SWIFT ?= swift
# OpenBLAS for matrix products; Graphviz (libgvc, with its cairo PNG plugin)
# for pictures and a font for their text; pkgconf so SwiftPM finds them.
APT_PACKAGES := libopenblas-dev pkgconf libgraphviz-dev fonts-dejavu-core
# Wherever SwiftPM puts the build (evaluated only when a target uses it).
BIN = $(shell $(SWIFT) build --show-bin-path)/autograd-viz
DEMO ?= fixtures/seed/rnn-cell.json

.PHONY: setup build demo test clean bench fuzz

setup:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing system packages:$$missing — run 'sudo apt-get install$$missing' or run make as root"; exit 1; \
	  fi; \
	fi

build: setup
	$(SWIFT) build

demo: build
	$(BIN) run $(DEMO)

test: setup
	$(SWIFT) test

clean:
	rm -rf .build

# Benchmarks of issue 6 against PyTorch (docs/PERFORMANCE.md): release build,
# then bench/run_bench.py (BENCH_ARGS="--reps 5 --only mlp-train" to choose).
bench: setup
	$(SWIFT) build -c release --product autograd-viz
	python3 bench/run_bench.py $(BENCH_ARGS)

# libFuzzer on the JSON reader, the parser or the interpreter (fuzz/README.md):
# a separate package under fuzz/, built with the sanitizers by the Swift
# toolchain alone, never by `make test`. FUZZ_TARGET=json|parser|interpreter,
# FUZZ_MINUTES to run; crashes go to fuzz/out/$(FUZZ_TARGET)/crashes/.
FUZZ_TARGET ?= interpreter
FUZZ_MINUTES ?= 3
fuzz: setup
	SWIFT=$(SWIFT) fuzz/run.sh $(FUZZ_TARGET) $(FUZZ_MINUTES) $(FUZZ_ARGS)
