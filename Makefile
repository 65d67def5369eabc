# iot-pipeline: every target does its own set-up (virtualenv, pinned packages, Maven jars).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
JARS   := .jvm/lib
MVN    := mvn -B -q -Dmaven.repo.local=$(CURDIR)/.jvm/m2
export DAGSTER_HOME ?= $(CURDIR)/dagster_home

VENV_STAMP := $(VENV)/.installed
JARS_STAMP := .jvm/.resolved
POMS       := jvm/pom.xml $(wildcard jvm/*/pom.xml)

.PHONY: help setup lock prereqs demo dev test test-unit test-integration bench lint stack-up stack-down stack-status clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: prereqs $(VENV_STAMP) $(JARS_STAMP) ## Build .venv and resolve the Maven jars (idempotent)

prereqs:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || \
	  { echo "error: Python 3.11+ is required (found: $$($(PYTHON) --version 2>&1)). Install it, or run 'make PYTHON=/path/to/python3.11 ...'." >&2; exit 1; }
	@command -v java >/dev/null || \
	  { echo "error: Java 17+ is required and 'java' is not on PATH. Install it (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless; macOS: brew install openjdk@17) or set JAVA_HOME." >&2; exit 1; }
	@v=$$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $$2}'); \
	  [ "$${v%%.*}" -ge 17 ] 2>/dev/null || \
	  { echo "error: Java 17+ is required, found Java $$v. Point JAVA_HOME/PATH at a JDK 17 or newer." >&2; exit 1; }
	@command -v mvn >/dev/null || \
	  { echo "error: Maven is required to fetch the Kafka and Spark jars and 'mvn' is not on PATH. Install it (apt-get install maven / brew install maven)." >&2; exit 1; }

$(VENV_STAMP): pyproject.toml constraints.txt
	@echo "==> Creating $(VENV) and installing pinned Python packages (first time: a few minutes)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $@

lock: ## Re-pin every installed Python package in constraints.txt (after changing pyproject.toml)
	@rm -f $(VENV_STAMP)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q -e '.[dev]'
	@{ sed -n '/^#/p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable | grep -v '^pip=='; } > constraints.txt.new
	@mv constraints.txt.new constraints.txt
	@touch $(VENV_STAMP)
	@echo "==> constraints.txt updated; run make test before committing it"

$(JARS_STAMP): $(POMS)
	@echo "==> Resolving JVM artifacts from Maven Central into .jvm/ (Kafka broker, Spark Kafka source, S3A for the aws profile)"
	@rm -rf $(JARS)
	@cd jvm && $(MVN) package
	@touch $@

demo: setup ## Run the whole pipeline on this machine and print a summary
	$(BIN)/iot-pipeline demo $(DEMO_ARGS)

dev: setup ## Start the local stack and the Dagster UI (http://127.0.0.1:3000)
	@mkdir -p $(DAGSTER_HOME)
	$(BIN)/iot-pipeline stack up
	$(BIN)/dagster dev -w workspace.yaml

test: setup ## Run every test (unit, integration on the real broker and Spark, e2e)
	@$(BIN)/ruff check .
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$rc

test-unit: setup ## Only the fast unit tests
	$(BIN)/python -m pytest iot_pipeline_tests/unit $(PYTEST_ARGS)

bench: setup ## Run the benchmarks in bench/ (each prints JSON)
	@for b in bench/bench_*.py; do echo "==> $$b" >&2; $(BIN)/python $$b || exit $$?; done

lint: setup ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

stack-up: setup ## Start the local Kafka broker (KRaft) on 127.0.0.1:9092
	$(BIN)/iot-pipeline stack up

stack-down: ## Stop the local Kafka broker started by stack-up
	@if [ -x $(BIN)/iot-pipeline ]; then $(BIN)/iot-pipeline stack down; else echo "nothing to stop (no .venv)"; fi

stack-status: setup ## Is the local broker running, and where
	$(BIN)/iot-pipeline stack status

clean: stack-down ## Remove the local stack's data (.iot/); keeps .venv and .jvm
	rm -rf .iot
