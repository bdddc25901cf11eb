# Two commands do everything on a fresh machine with python3 (3.11+) and make:
#   make run   - set up .venv and open the app on the default database (sample programme on first run)
#   make test  - set up .venv, then lint, type check and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck pytest browser smoke package bench clean

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

pytest: $(STAMP) browser
	$(BIN)/python -m pytest

# The phone-ballot test drives Debian's Chromium and ChromeDriver: installed here when missing (as root on
# Debian, as CI runs); elsewhere the test says why it cannot run (and fails in CI, where CI=true).
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium and chromium-driver (Debian packages) for the phone-ballot test"; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      chromium chromium-driver >/dev/null || echo "note: chromium could not be installed"; \
	  else \
	    echo "note: install chromium and chromium-driver to run the phone-ballot test"; \
	  fi; \
	fi

smoke: $(STAMP)
	rm -rf build/smoke && mkdir -p build/smoke
	$(BIN)/python main.py sample --db build/smoke/sample.sqlite
	QT_QPA_PLATFORM=offscreen $(BIN)/python main.py --smoke-test --size 1366x768 --db build/smoke/sample.sqlite --screenshots build/smoke/screens

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
