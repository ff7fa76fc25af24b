# The one front door. `make demo` shows the whole pipeline; `make test` runs the tests.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install release demo test test-fast goldens bench bench-term clean help

help:
	@echo "make demo      build every assignment, grade a synthetic class, write feedback, exports, report"
	@echo "make test      run the test suite"
	@echo "make release   regenerate release/, release-otter/ and solutions/ from source/"
	@echo "make goldens   refresh the golden files of the generated trees"
	@echo "make bench     grading throughput against nbgrader autograde and otter run"
	@echo "make bench-term  a term of synthetic submissions: throughput, memory, Dask scale-out"
	@echo "$(BIN)/python -m autograder --help   lists every command"

$(STAMP): requirements.lock pyproject.toml scripts/install-system-deps.sh scripts/install-browser.sh
	bash scripts/install-system-deps.sh
	bash scripts/install-browser.sh
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

release: install
	$(BIN)/python -m autograder build

demo: install
	$(BIN)/python -m autograder demo

test: install
	bash scripts/install-test-deps.sh
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

goldens: install
	$(BIN)/python -m tests.goldens refresh

bench: install
	$(BIN)/python -m benchmarks.grading

bench-term: install
	$(BIN)/python -m benchmarks.term

clean:
	rm -rf build demo grades gradebook.db tests/artifacts
