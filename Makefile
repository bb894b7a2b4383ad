# Two commands on a fresh machine: `make run` and `make test`. Everything else is set up here.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
VENV_BIN := .venv/bin
export MEDIPRIMA_VAR_DIR ?= $(CURDIR)/.var

.PHONY: setup browser run test test-fast lint fmt migrate demo bench chaos token clean

setup: ## install uv when missing, then the locked workspace
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet

# The console's browser tests drive Debian's Chromium through Playwright (Playwright's own browser
# download is not reachable): installed here when missing, as root or through sudo.
browser: ## install Debian's chromium when missing
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo "sudo -n"); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

migrate: setup ## apply every service's migrations to its database
	@$(VENV_BIN)/mediprima migrate

run: migrate ## start all five services and the console on SQLite + the SQL event log
	@$(VENV_BIN)/mediprima keys --directory "$(MEDIPRIMA_VAR_DIR)/keys" >/dev/null
	@echo "Starting the platform; Ctrl-C stops it. Ports: 8001 decision-registry, 8002 consultation, 8003 tariffing, 8004 invoicing, 8005 settlement, 8006 console (http://127.0.0.1:8006)"
	@$(VENV_BIN)/honcho start -f deploy/local/Procfile

# Four workers on two cores: most tests wait on events crossing the bus, not on the CPU.
# Whole test files stay on one worker (their module fixtures and databases are theirs).
PYTEST_WORKERS ?= 4

test: setup browser ## the whole suite, against real Kafka and PostgreSQL (provisioned when not given)
	@deploy/local/with-infra.sh $(VENV_BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

lint: setup ## ruff, mypy (strict on contracts, servicekit and domain rules), the AsyncAPI document up to date, Kubernetes manifests against their schemas
	@$(VENV_BIN)/ruff check .
	@$(VENV_BIN)/ruff format --check .
	@$(VENV_BIN)/mypy libs/contracts/src libs/domain/src libs/servicekit/src services/*/src
	@$(VENV_BIN)/python -m mediprima_contracts.asyncapi check
	@deploy/k8s/tools.sh
	@$(VENV_BIN)/python deploy/k8s/generate.py --check
	@$(VENV_BIN)/python deploy/k8s/validate.py

fmt: setup
	@$(VENV_BIN)/ruff check --fix .
	@$(VENV_BIN)/ruff format .

demo: setup ## walk one invoice from decision to settlement against a running `make run`
	@$(VENV_BIN)/python deploy/local/demo.py

bench: setup ## B1-B5, idle and the per-component benches against baselines of the same run: results in bench/results, BENCHMARKS.md; one part: make bench BENCH="b1 --quick" (bench/README.md)
	@deploy/local/with-infra.sh $(VENV_BIN)/python -m bench $(BENCH)

chaos: setup ## kill -9 every service, restart Kafka and PostgreSQL under load, check nothing is lost or paid twice: make chaos CHAOS_SEED=7 CHAOS_INVOICES=2000 (chaos/README.md)
	@$(VENV_BIN)/python -m chaos $(if $(CHAOS_SEED),--seed $(CHAOS_SEED)) $(if $(CHAOS_INVOICES),--invoices $(CHAOS_INVOICES))

token: setup ## make token ROLE=gp SUBJECT=10000000003 (prints a bearer token)
	@$(VENV_BIN)/mediprima token --role $(ROLE) --subject $(SUBJECT)

clean:
	rm -rf .var
