# The front door. `make demo` and `make test` install what they need themselves.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# FAST=1 skips the slow browser and fuzz tests (CI uses it for the SQLite pass).
FAST ?=
# Extra pytest arguments, e.g. make test PYTEST_ARGS="-k audit".
PYTEST_ARGS ?=
# pytest-xdist workers: one per core by default (each has its own test database); 0 runs in one process.
TEST_WORKERS ?= auto
RESET ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint deps bench clean messages docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.runtime

.env: | $(VENV)/.runtime
	$(BIN)/python -m talentgate.settings.envfile > .env

## deps: install the Debian packages listed in deps/debian.txt that are missing
deps:
	@missing=$$(grep -v '^\s*#' deps/debian.txt | grep -v '^\s*$$' | while read p; do dpkg -s "$$p" >/dev/null 2>&1 || echo "$$p"; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing || \
			{ echo "ERROR: could not install Debian packages: $$missing" >&2; exit 1; }; \
	fi

## demo: build the demo programme (SQLite) and serve it with one task worker
demo: $(VENV)/.runtime .env
	$(BIN)/talentgate demo serve --port $(PORT) $(if $(RESET),--reset,)

## test: lint, types, import contracts, migrations check, security scans (bandit over src/; pip-audit over the
## installed packages, at most 5 minutes, a warning if the vulnerability service is out of reach), then the suite
test: $(VENV)/.dev deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=talentgate.settings.test $(BIN)/python -m django makemigrations --check --dry-run
	$(BIN)/bandit -q -c pyproject.toml -r src
	$(BIN)/python -m talentgate.ops.dependency_audit --timeout 300
	$(BIN)/pytest -n $(TEST_WORKERS) $(if $(FAST),-m "not slow",) $(PYTEST_ARGS)

## lint: fix what ruff can fix, then format
lint: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: run every benchmark, write benchmarks/results/*.json and regenerate the README table
bench: $(VENV)/.dev
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1 \
		$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.readme

## messages: collect every translatable string into the Russian catalogue and compile it (needs GNU gettext;
## the compiled .mo is committed, so `make demo` works on a machine without gettext)
messages: $(VENV)/.dev
	cd src/talentgate && DJANGO_SETTINGS_MODULE=talentgate.settings.test ../../$(BIN)/python -m django \
		makemessages -l ru --no-obsolete --add-location file --ignore 'migrations/*'
	cd src/talentgate && DJANGO_SETTINGS_MODULE=talentgate.settings.test ../../$(BIN)/python -m django compilemessages -l ru

## docs: regenerate the entity diagram in docs/domain.md from the models
docs: $(VENV)/.dev
	DJANGO_SETTINGS_MODULE=talentgate.settings.test $(BIN)/python -m django domain_diagram --write docs/domain.md

clean:
	rm -rf $(VENV) var .env
