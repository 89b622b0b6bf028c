# The README's two set-up commands are `make synth` and `make test`. Both work
# on a machine with only Go, Node and Python: they install the pinned aws-cdk
# CLI and Node 24 (package.json / package-lock.json) into node_modules first.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Node 24 and the cdk CLI from node_modules come first, for the cdk CLI and
# for the jsii runtime that the Go CDK libraries start.
export PATH := $(CURDIR)/node_modules/.bin:$(PATH):/usr/sbin:/sbin

NODE_STAMP := node_modules/.installed
VENV := .venv
VENV_STAMP := $(VENV)/.installed
# Extra CLI words for synth, deploy and destroy. Kept as typed: make does
# not expand a `$` in them, and cdkrun splits them like a shell line without
# expanding anything.
override ARGS := $(value ARGS)
export ARGS
# cdkrun runs the CLI for synth, deploy and destroy (see its doc comment);
# built, not `go run`, which would add its own "exit status 1" line.
CDKRUN := go build -o bin/cdkrun ./cmd/cdkrun && bin/cdkrun

.PHONY: help deps synth test test-phases vet fmt-check gotest scan e2e boot boot-tools golden deploy destroy verify bench clean

# The app binary cdk.json runs, rebuilt only when a file it is built from
# changed: `go build` takes about 0.3 s per synth even when nothing did.
APP := bin/cdk-classic-webtier
APP_SOURCES := $(shell find . \( -name node_modules -o -name .venv -o -name .git -o -path ./bin -o -path ./cdk.out -o -path ./examples -o -path ./bench -o -path ./scanners -o -path ./cmd/cdkrun -o -path ./cmd/bench -o -path ./cmd/benchapp -o -path ./test -o -path ./e2e -o -name testdata \) -prune -o -type f \( -name '*.go' ! -name '*_test.go' -o -name go.mod -o -name go.sum -o -name '*.tmpl' -o -name '*.py' \) -print)
$(APP): $(APP_SOURCES)
	@go build -o $@ ./cmd/cdk-classic-webtier

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@# A nested go.mod keeps Go's ./... out of node_modules (the aws-cdk
	@# package ships Go init templates that are not valid Go packages).
	printf 'module ignore\n' > node_modules/go.mod
	node --version
	touch $@

# Python tools (cfn-lint, checkov, moto) in a project-local virtual environment.
$(VENV_STAMP): requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-input -r requirements-dev.txt
	touch $@

deps: $(NODE_STAMP) ## install the pinned npm tooling and download Go modules
	@go mod download

synth: deps ## synthesize offline into cdk.out (extra CLI words: ARGS='-c key=value ...')
	@# The app removes what an earlier synth left in cdk.out, and the
	@# templates of a synth that fails validation.
	@$(CDKRUN) synth

test: deps vet fmt-check test-phases ## go vet, gofmt check, then every Go test, the template scanners, the deploy tests and the boot test side by side

# The phases share no files and each leaves a core idle much of its time,
# so they run side by side: warm, about 95 s instead of 160. go vet runs
# first, alone: it compiles what the tests compile, and two go commands
# compiling the same packages at once each do all the work. test-phases
# does not depend on vet, so make -k still runs the tests when vet fails.
# The app is built before the phases: the tests of two of them run its
# make rule, and two builds of one file at once could clash.
test-phases: $(APP)
	@rm -f bin/phase-*.txt
	$(PHASE_START)
	@echo "make test: gotest, scan, e2e and boot run side by side; each one's output appears whole when it ends (meanwhile: tail -f bin/gotest.log, bin/scan.log, bin/e2e.log or bin/boot.log)"
	@$(MAKE) --no-print-directory --output-sync=target -j4 $(TEST_PHASES)
	$(PHASE_END)

# The phases of make test that record their time and keep their output in
# bin/<phase>.log, which stays when make test is interrupted (make's
# output-sync then drops what it held back).
TEST_PHASES := gotest scan e2e boot

scan: $(NODE_STAMP) $(VENV_STAMP) ## cfn-lint, checkov and cfn-guard (Control Tower rules) on every golden template
	$(PHASE_START)
	$(VENV)/bin/python scanners/scan.py test/testdata 2>&1 | tee -i bin/$@.log
	$(PHASE_END)

vet:
	go vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# Each phase of make test records its seconds in bin/phase-<name>.txt,
# which make bench prints.
PHASE_START = @mkdir -p bin; date +%s.%N > bin/.phase-start-$@
PHASE_END = @awk -v end="$$(date +%s.%N)" -v start="$$(cat bin/.phase-start-$@)" -v when="$$(date -u +%Y-%m-%dT%H:%MZ)" 'BEGIN { printf "$@ %.1f %s\n", end - start, when }' > bin/phase-$@.txt

gotest: $(NODE_STAMP) $(VENV_STAMP) ## every Go test (the CLI tests need the pinned CLI, the construct's cfn-lint checks the .venv)
	$(PHASE_START)
	go test -count=1 ./... 2>&1 | tee -i bin/$@.log
	$(PHASE_END)

e2e: deps $(VENV_STAMP) ## deploy and destroy the default and tutorial settings in moto's server with the real CLI
	$(PHASE_START)
	go test -tags e2e -count=1 -v -timeout 15m ./e2e 2>&1 | tee -i bin/$@.log
	$(PHASE_END)

# The boot test's tools from Debian's packages, where missing: systemd-nspawn
# (systemd-container), debootstrap, ip (iproute2) and nsenter (util-linux).
# apt-get needs root (or sudo without a password).
BOOT_PACKAGES := systemd-nspawn:systemd-container debootstrap:debootstrap ip:iproute2 nsenter:util-linux
boot-tools:
	@missing=; for tool in $(BOOT_PACKAGES); do command -v "$${tool%%:*}" >/dev/null || missing="$$missing $${tool#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; \
	  echo "boot: installing$$missing from Debian's packages"; \
	  $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

boot: $(NODE_STAMP) boot-tools ## boot every scenario's instances for real (Debian 12's systemd 252 in systemd-nspawn, cloud-init, a fake IMDSv2) and ask them what the load balancer asks
	$(PHASE_START)
	go test -tags boot -count=1 -v -timeout 20m -run 'TestBoot' ./test 2>&1 | tee -i bin/$@.log
	$(PHASE_END)

golden: deps ## rewrite the golden templates after an intended change; read the diff
	go test ./test -run 'TestScenarios|TestRegionScenarios' -update

deploy: deps ## deploy to the account (or endpoint) the AWS_* variables name; the CLI asks before widening security; ARGS as for synth
	@$(CDKRUN) deploy

verify: deps ## after deploy: for each stack the app synthesizes from ARGS (as for deploy), wait until every instance is InService, then request the site and show which instance and zone answered (plus -url, -timeout, -requests, -poll, -insecure)
	@$(CDKRUN) verify

destroy: deps ## delete the stack, after checking that it exists where the settings point; ARGS as for synth
	@$(CDKRUN) destroy

bench: deps ## not part of make test: synth speed and memory against the TypeScript twin (bench/ts-twin), and make test's phases; BENCH='-runs 7 -quick'
	@go run ./cmd/bench $(BENCH)

clean: ## remove generated output
	rm -rf cdk.out
