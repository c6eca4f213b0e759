# Two commands for users: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := run

.PHONY: run test setup test-rust test-app test-ui test-e2e bench fuzz package

# Debian packages, Node packages for ui/, tauri-driver: idempotent, fast when already there.
setup:
	bash scripts/setup.sh

run: setup
	bash scripts/run.sh

# Library and CLI first, then the app's commands, the window's unit tests, and
# the real app under Xvfb last (its summary line closes the output).
test: setup
	$(MAKE) --no-print-directory test-rust test-app test-ui test-e2e

# The corpus accuracy figures (issue 5) again with output shown: cargo hides a passing test's prints.
test-rust:
	cargo test --release
	@cargo test --release --quiet --test corpus_accuracy -- --nocapture 2>&1 \
	  | grep -E '^(corpus:|recipients found|extra recipients|class agreement|reason agreement|non-bounce)' \
	  | awk '!seen[$$0]++'

# The Tauri commands on tauri's mock runtime (needs the WebKitGTK dev packages from setup).
test-app:
	bash scripts/build-ui.sh
	cargo test --release -p rebound-app

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
