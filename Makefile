# The one front door. `make demo` shows the whole pipeline; `make test` runs the tests.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install release demo test test-fast goldens bench bench-term bench-regrade bench-stress bench-assignments clean help

help:
	@echo "make demo      grade a synthetic class from the committed notebooks, write feedback, exports, report"
	@echo "make test      run the test suite"
	@echo "make release   regenerate release/, release-otter/, solutions/ where source/ or checks changed (FORCE=1: all)"
	@echo "make goldens   refresh the golden files of the generated trees"
	@echo "make bench     grading throughput against nbgrader autograde and otter run"
	@echo "make bench-term  a term of synthetic submissions: throughput, memory, Dask scale-out"
	@echo "make bench-regrade  one student regraded (wall time) and grader CPU per submission, 01-vectors"
	@echo "make bench-assignments  each assignment's grading time per submission in the warm sandbox"
	@echo "make bench-stress  200 rounds of two grade commands at once: does any submission go missing?"
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

# Rebuilds only the assignments whose source or checks changed; FORCE=1 rebuilds all.
release: install
	$(BIN)/python -m autograder build $(if $(FORCE),--force)

demo: install
	$(BIN)/python -m autograder demo

# One pytest worker per core; tests that use sandbox slots share one worker (tests/conftest.py).
test: install
	bash scripts/install-test-deps.sh
	$(BIN)/python -m pytest -q -n auto --dist loadgroup

test-fast: install
	$(BIN)/python -m pytest -q -n auto --dist loadgroup -m "not slow"

goldens: install
	$(BIN)/python -m tests.goldens refresh

bench: install
	$(BIN)/python -m benchmarks.grading

bench-term: install
	$(BIN)/python -m benchmarks.term

bench-regrade: install
	$(BIN)/python -m benchmarks.regrade
bench-assignments: install
	$(BIN)/python -m benchmarks.assignments

bench-stress: install
	$(BIN)/python -m benchmarks.stress

clean:
	rm -rf build demo grades gradebook.db tests/artifacts
