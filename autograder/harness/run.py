"""The job that runs inside the sandbox: execute a submission's cells, then probe its objects.

Reads ``job.json`` and ``args.json``/``args.npz`` from the working directory, writes
``outcomes.json``/``outcomes.npz``. Before each unit of work (a cell, a check) it reports
``unit <name>`` on the progress pipe, so the trusted grader knows where a submission hung
or crashed and can run it again without that unit.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import linecache
import os
import re
import sys
from pathlib import Path
from typing import NoReturn

import numpy as np  # noqa: F401 - imported before student code can tamper with it

from autograder.harness import watch, wire
from autograder.harness.probes import PROBES, Outcome

MAGIC_LINE = re.compile(r"^(\s*)[%!].*$", re.M)
OUTPUT_CAP = 64 * 1024


class _CappedText(io.TextIOBase):
    """Keeps the first few kB a submission prints and drops the rest."""

    def __init__(self):
        self.kept, self.size = [], 0

    def write(self, s):
        if self.size < OUTPUT_CAP:
            self.kept.append(s[: OUTPUT_CAP - self.size])
        self.size += len(s)
        return len(s)


def _progress():
    fd = os.environ.get("AUTOGRADER_PROGRESS_FD")
    if not fd:
        return lambda unit: None
    try:
        pipe = os.fdopen(int(fd), "w", buffering=1)
    except OSError:
        return lambda unit: None

    def report(unit):
        try:
            pipe.write(f"unit {unit}\n")
            pipe.flush()
        except (OSError, ValueError):
            pass

    return report


def strip_magics(source: str) -> str:
    """IPython magics and shell escapes are not run when grading; keep the line count."""
    return MAGIC_LINE.sub(lambda m: f"{m.group(1)}pass  # magic removed for grading", source)


def run_cells(cells: list[dict], skip: set[str], namespace: dict, report) -> dict:
    """Run the cells in order; a cell that raises is left and the next one runs.
    Returns unit -> what each failing cell raised."""
    errors = {}
    for cell in cells:
        if cell["unit"] in skip:
            continue
        report(cell["unit"])
        source = strip_magics(cell["source"])
        filename = f"<cell {cell['unit']}>"
        # Registered with linecache so error messages can quote the student's line.
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        try:
            code = compile(source, filename, "exec")
            exec(code, namespace)
        except BaseException as exc:  # noqa: BLE001 - a student's error, SystemExit included, stays theirs
            try:
                text = str(exc)
                errors[cell["unit"]] = f"{_line(exc, filename)}{type(exc).__name__}{': ' + text if text else ''}"[:300]
            except BaseException:  # noqa: BLE001 - an exception whose text cannot be had
                errors[cell["unit"]] = "an error whose message could not be read"
    return errors


def _line(exc: BaseException, filename: str) -> str:
    """"line N: " of the cell where it raised, when that is known."""
    line = getattr(exc, "lineno", None) if isinstance(exc, SyntaxError) else None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return f"line {line}: " if line else ""


def probe_checks(checks: list[dict], args: dict, skip: set[str], namespace: dict, report, watched=None,
                 probes: dict | None = None) -> dict:
    probes = PROBES if probes is None else probes
    outcomes = {}
    for check in checks:
        if check["unit"] in skip:
            continue
        report(check["unit"])
        obj = namespace.get(check["target"])
        probe = probes.get(check["probe"])
        items = []
        with (watched(check["id"], check.get("watch")) if watched else contextlib.nullcontext()):
            for case_args in args.get(check["id"], []):
                if obj is None:
                    items.append(Outcome(error=f"`{check['target']}` is not defined: run or restore its cell"))
                elif probe is None:
                    items.append(Outcome(error=f"unknown probe {check['probe']}"))
                else:
                    try:
                        items.append(probe(obj, case_args))
                    except BaseException as exc:  # noqa: BLE001
                        items.append(Outcome(error=f"{type(exc).__name__}: {exc}"[:2000]))
        outcomes[check["id"]] = items
    return outcomes


def run_public(tests: list[dict], skip: set[str], namespace: dict, report) -> dict:
    """Each public-test cell, after the checks (it cannot change what they saw), in a copy
    of the namespace: grade id -> None if it passed, else what it raised."""
    results = {}
    for test in tests:
        if test["unit"] in skip:
            results[test["name"]] = "it was stopped before it finished"
            continue
        report(test["unit"])
        try:
            exec(compile(strip_magics(test["source"]), f"<{test['name']}>", "exec"), dict(namespace))
            results[test["name"]] = None
        except BaseException as exc:  # noqa: BLE001 - the student's code, SystemExit included
            results[test["name"]] = f"{type(exc).__name__}: {exc}"[:500]
    return results


def skip_layout() -> None:
    """Grading draws no picture, so laying a figure out (``tight_layout``: about half the
    time of a plotting cell) is skipped. It returns None either way; no check reads a figure."""
    from matplotlib.figure import Figure

    Figure.tight_layout = lambda self, *args, **kwargs: None


def main(workdir: str = ".") -> NoReturn:
    work = Path(workdir)
    job = json.loads((work / "job.json").read_text())
    args = wire.unpack_args(json.loads((work / "args.json").read_text()), wire.load_arrays(work / "args.npz"))
    skip = set(job.get("skip", []))
    report = _progress()
    # Load every probe module now, before the submission runs.
    import autograder.harness.probes_all  # noqa: F401

    # The probes as registered, taken before the submission runs: replacing an entry of
    # PROBES from a cell changes nothing the grader calls.
    probes = dict(PROBES)
    if job.get("no_local_imports"):  # a file the notebook writes cannot be imported as code
        here = os.path.realpath(work)
        sys.path[:] = [p for p in sys.path if p and os.path.realpath(p) != here]
        importlib.invalidate_caches()
    if job.get("figures"):
        with contextlib.suppress(Exception):
            skip_layout()
    # The from-scratch watch: an audit hook, in place before any student code runs.
    watched, noted = watch.install()
    namespace = {"__name__": "__main__", "display": lambda *a, **k: None}
    out = _CappedText()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        cell_errors = run_cells(job["cells"], skip | set(job.get("not_run", [])), namespace, report)
        outcomes = probe_checks(job["checks"], args, skip, namespace, report, watched, probes)
        public = run_public(job.get("public", []), skip, namespace, report)
    report("write")
    doc, arrays = wire.pack_outcomes(outcomes)
    doc[wire.WATCH_KEY] = noted()
    doc[wire.PUBLIC_KEY] = public
    doc[wire.CELLS_KEY] = cell_errors
    wire.save_arrays(work / "outcomes.npz", arrays)
    (work / "outcomes.json").write_text(json.dumps(doc))
    report("done")
    leave()


def leave() -> None:
    """Exit as soon as the outcomes are written: nothing of the submission runs after them
    (no atexit handler, no thread joined, no object finalised, which could rewrite them),
    and a process holding torch and a few figures exits in a third of the time."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(BaseException):
            stream.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
