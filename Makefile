# SPDX-License-Identifier: MPL-2.0
# Developer entry points. `make demo` and `make test` are the two commands the README gives;
# .ci/run runs them too. Anything longer than a line lives in scripts/.

SHELL := bash
CARGO ?= cargo
# Filesystem mirror directory for `make install`.
PREFIX ?= $(HOME)/.terraform.d/plugins

.PHONY: all build test demo install release bench fmt lint docs

all: build

## build: release binaries of the provider and the emulator
build:
	$(CARGO) build --release --workspace --bins

## test: every test; the end-to-end ones need terraform on PATH (they skip without it, fail with CI=true)
test:
	$(CARGO) test --workspace --all-targets

## demo: the provider against the local emulator, on examples/quickstart (offline)
demo:
	bash scripts/demo.sh

## install: filesystem-mirror install under $(PREFIX) (default ~/.terraform.d/plugins)
install: build
	PREFIX="$(PREFIX)" bash scripts/install.sh

## release: dist/ (or DIST_DIR) with a zip per built platform (target/release and every
## target/<triple>/release), <name>_SHA256SUMS, its .sig when GPG_FINGERPRINT names an RSA key,
## and the manifest; NO_BUILD=1 packages the binaries already there (the release workflow's)
release: $(if $(NO_BUILD),,build)
	bash scripts/release.sh

## bench: overhead against the plugin floor (terraform_data as info), plans with refresh, latency, copies, throttling, memory, size; writes BENCHMARKS.md
bench:
	bash scripts/bench.sh

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## docs: regenerate docs/ from the schema and examples/ (tests/docs.rs checks they are current)
docs:
	UPDATE_DOCS=1 $(CARGO) test --test docs
