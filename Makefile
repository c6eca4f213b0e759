# Two commands for users: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := run

.PHONY: run test setup test-rust test-ui test-e2e bench fuzz package

# Debian packages, Node packages for ui/, tauri-driver: idempotent, fast when already there.
setup:
	bash scripts/setup.sh

run: setup
	bash scripts/run.sh

test: setup
	$(MAKE) test-rust test-ui test-e2e

test-rust:
	cargo test --release

test-ui:
	bash scripts/test-ui.sh

test-e2e:
	bash scripts/e2e.sh

bench:
	bash scripts/bench.sh

fuzz:
	bash scripts/fuzz.sh

package: setup
	bash scripts/package.sh
