# Two commands do everything on a fresh machine with python3 (3.11+) and make:
#   make run   - set up .venv and open the app on the default database (sample programme on first run)
#   make test  - set up .venv, then lint, type check and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck pytest smoke package bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python main.py

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest

smoke: $(STAMP)
	rm -rf build/smoke && mkdir -p build/smoke
	$(BIN)/python main.py sample --db build/smoke/sample.sqlite
	QT_QPA_PLATFORM=offscreen $(BIN)/python main.py --smoke-test --db build/smoke/sample.sqlite --screenshots build/smoke/screens

# Performance budgets of docs/design.md on a generated data set at scale (not part of `make test`).
bench: $(STAMP)
	$(BIN)/python bench/run.py

PACKAGE_STAMP := $(VENV)/.package-stamp

$(PACKAGE_STAMP): $(STAMP) requirements-package.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-package.txt
	touch $(PACKAGE_STAMP)

# The packaged one-folder app: dist/ics-desktop/ics-desktop
package: $(PACKAGE_STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN pyinstaller.spec

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
