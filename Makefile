# Two commands set up everything on a fresh Debian machine:
#   make demo   installs what is missing, builds (release), and runs a seed example
#   make test   installs what is missing, builds, and runs the test suite
SWIFT ?= swift
# OpenBLAS for matrix products; Graphviz (libgvc, with its cairo PNG plugin)
# for pictures and a font for their text; pkgconf so SwiftPM finds them.
APT_PACKAGES := libopenblas-dev pkgconf libgraphviz-dev fonts-dejavu-core
# Wherever SwiftPM puts the builds (evaluated only when a target uses them).
BIN = $(shell $(SWIFT) build --show-bin-path)/autograd-viz
RELEASE_BIN = $(shell $(SWIFT) build -c release --show-bin-path)/autograd-viz
DEMO ?= fixtures/seed/rnn-cell.json
# `make install`: the release binary and its shell completions under
# $(DESTDIR)$(PREFIX) (bin/, share/bash-completion, share/zsh, share/fish).
PREFIX ?= /usr/local

.PHONY: setup build release demo install uninstall test clean bench fuzz

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

# What users run: the optimised build (several times faster than the debug one).
release: setup
	$(SWIFT) build -c release --product autograd-viz

demo: release
	$(RELEASE_BIN) run $(DEMO)

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/autograd-viz
	$(RELEASE_BIN) --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/autograd-viz
	$(RELEASE_BIN) --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_autograd-viz
	$(RELEASE_BIN) --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/autograd-viz.fish
	@echo "installed $(DESTDIR)$(PREFIX)/bin/autograd-viz"

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/autograd-viz $(DESTDIR)$(PREFIX)/share/bash-completion/completions/autograd-viz \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_autograd-viz $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/autograd-viz.fish

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
