# make demo — build the example SR's DR plan site and PDF from inventory/
# make test — install what the tests need, lint, check the layers, run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: demo test lint demo-deps test-deps bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "trondocs needs Python 3.11 or newer"; exit 2; }
	@$(PYTHON) -m venv $(VENV) || { echo "hint: apt-get install python3-venv"; exit 2; }
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	@touch $@

demo: demo-deps $(STAMP)
	$(BIN)/trondocs validate -i inventory
	$(BIN)/trondocs drift -i inventory --state examples/capture.state.json --no-baseline --fail-on never
	$(BIN)/trondocs build -i inventory --state examples/capture.state.json --no-history -o site

demo-deps:
	@PYTHON=$(PYTHON) scripts/install-system-deps demo

test-deps:
	@PYTHON=$(PYTHON) scripts/install-system-deps test

lint: $(STAMP)
	$(BIN)/ruff check trondocs tests bench scripts scripts/capture-demo-state examples
	$(BIN)/lint-imports

test: test-deps $(STAMP) lint
	$(BIN)/pytest

BENCH_RESULTS ?= build/bench-results.jsonl

bench: $(STAMP)
	@mkdir -p $(dir $(BENCH_RESULTS)) && rm -f $(BENCH_RESULTS)
	@for script in bench/bench_*.py; do echo "== $$script"; \
	  TRONDOCS_BENCH_RESULTS=$(BENCH_RESULTS) $(BIN)/python $$script || exit 1; done
	@echo "== summary"; $(BIN)/python bench/summary.py $(BENCH_RESULTS)

clean:
	rm -rf $(VENV) site .pytest_cache build dist *.egg-info
