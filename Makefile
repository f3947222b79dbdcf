# The two commands: `make demo` and `make test`. Both create .venv and install from the lock.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
LOCK   := requirements.lock
# Extras: `make demo` needs only the DEM reader (GeoTIFF layers); `make test`, `make venv`
# and `make docs` add the test tools (about a third of the install time: playwright,
# ipykernel, pyogrio ... that the demo never imports).
DEMO_EXTRAS ?= dem
EXTRAS ?= dem,test

.PHONY: demo test venv bench docs lock clean

# pip installs the project with every version taken from the lock (-c: constraints), so
# direct and indirect dependencies are the ones CI ran with. The lock is universal
# (Python 3.11-3.13, all extras); regenerate it with `make lock` after editing pyproject.toml.
# --no-compile: Python writes the bytecode of the modules a run imports when it first imports
# them, instead of pip compiling every module of every package up front (55 s -> 23 s of a
# fresh install with pip's cache warm; the demo imports a small part of them).
PIP_INSTALL := $(PY) -m pip install --quiet --no-compile -c $(LOCK)

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PIP_INSTALL) -e '.[$(DEMO_EXTRAS)]'
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(PIP_INSTALL) -e '.[$(EXTRAS)]'
	@touch $(TEST_STAMP)

venv: $(TEST_STAMP)

# The report's numba kernels are compiled once and cached; thaad.precompile compiles the
# flight, detection and engagement kernels on the other core while the report compiles
# its first question's (an optimisation only: its failure does not fail the demo).
demo: $(STAMP)
	@$(VENV)/bin/python -m thaad.precompile & pre=$$!; \
	$(VENV)/bin/thaad assess --out report; status=$$?; wait $$pre; exit $$status

test: $(TEST_STAMP)
	$(PY) -m pytest -q

# The documentation site: every example is executed, every warning is an error.
DOCS_STAMP := $(VENV)/.docs-installed
$(DOCS_STAMP): $(TEST_STAMP)
	$(PIP_INSTALL) -e '.[$(EXTRAS),docs]'
	@touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	$(PY) -m sphinx -W --keep-going -q -b html docs docs/_build/html
	$(PY) docs/check_offline.py docs/_build/html
	@echo "docs: open docs/_build/html/index.html"

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# Re-resolve the lock from pyproject.toml's ranges (needs the network), keeping the
# versions already locked where they still satisfy the ranges (add --upgrade to refresh).
lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	@$(VENV)/bin/uv --version >/dev/null 2>&1 || $(PY) -m pip install --quiet 'uv>=0.5,<1'
	$(VENV)/bin/uv pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
	    --custom-compile-command 'make lock' --quiet -o $(LOCK)

clean:
	rm -rf $(VENV) report build docs/_build *.egg-info src/*.egg-info
