"""Grade one submission: run it in a sandbox, judge what it returns outside the sandbox.

The trusted process draws the inputs, keeps the seed, and compares. The sandbox only ever
sees the student's code, the inputs and the probes; it hands back plain arrays.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import numpy as np

from autograder import scratch
from autograder.build import notebook
from autograder.checks import REGISTRY, Verdict, load_all
from autograder.checks._kit import depends
from autograder.checks.core import fresh_rng
from autograder.grade import display
from autograder.grade.plan import Plan
from autograder.grade.results import QuestionResult, SubmissionResult
from autograder.grade.submission import InvalidSubmission, Submission, merge, read_notebook
from autograder.harness import wire
from autograder.paths import Course
from autograder.sandbox import HarnessJob, imports_of
from autograder.sandbox.preload import HEAVY_MODULES, write_harness
from autograder.text import clean

MAX_ATTEMPTS = 4  # a run, plus reruns that skip a cell or check that hung or crashed
MAX_OUTCOME_BYTES = 600 * 2**20
BOOT = "import os, sys; sys.path.insert(0, os.getcwd()); from autograder.harness.run import main; sys.exit(main('.'))"


def sandbox_argv(python: str = sys.executable) -> list[str]:
    """The sandbox gives the job a clean environment; -I keeps the interpreter from
    reading the student's PYTHON* variables or user site-packages."""
    return [python, "-I", "-c", BOOT]


scratch.serialise_ast()  # grading threads share this process (see autograder.scratch)

# Submissions run side by side: one BLAS thread each (the sandbox passes these through).
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


SCRATCH_FREE = 4 * 2**30  # room /dev/shm must have: a few threads' outcomes (MAX_OUTCOME_BYTES each)


@lru_cache(maxsize=1)
def scratch_dir() -> str | None:
    """Where a submission's job files are written and its outcomes read back, scratch that
    lives for a second: /dev/shm (memory) when it has room to spare, since on this
    machine's disk the same files cost 5 ms of CPU per submission and in memory 1 ms;
    else the system's temporary folder (None). ``AUTOGRADER_SCRATCH`` names another."""
    chosen = os.environ.get("AUTOGRADER_SCRATCH")
    if chosen:
        return chosen
    try:
        room = os.statvfs("/dev/shm")
        if os.access("/dev/shm", os.W_OK | os.X_OK) and room.f_bavail * room.f_frsize >= SCRATCH_FREE:
            return "/dev/shm"
    except OSError:
        pass
    return None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def unanswered(plan: Plan, submission: Submission, status: str, reason: str) -> SubmissionResult:
    """A result with every question at 0, for a submission that could not be run."""
    questions = [QuestionResult(c.grade_id, 0.0, c.points, status=status, feedback=reason,
                                checks=[k.check_id for k in c.calls], manual=c.manual) for c in plan.cells]
    return SubmissionResult(submission.student_id, plan.assignment, plan.notebook, status, reason, questions,
                            sha256=submission.sha256(), graded_at=_now())


def grade_submission(course: Course, plan: Plan, submission: Submission, sandbox, limits, slot=0,
                     rng: np.random.Generator | None = None) -> SubmissionResult:
    """``slot``: the sandbox slot of every run, or an object whose ``lend()`` (a context
    manager) lends one per run (``autograder.grade.warmup.Slots``: grading threads then
    outnumber the slots). Time spent waiting for a slot is not the submission's."""
    started = time.monotonic()
    result = _grade(course, plan, submission, sandbox, limits, slot, rng or fresh_rng())
    waited = result.timing.pop("wait", 0.0) if result.timing else 0.0
    result.duration_s = round(time.monotonic() - started - waited, 3)
    if result.timing:  # the rest: reading the notebook, making the cases, the job's files, the outcomes
        result.timing["files"] = round(max(0.0, result.duration_s - sum(result.timing.values())), 4)
    return result


@lru_cache(maxsize=1)
def _load_checks() -> None:
    """Every check registered, once per process (a Dask worker may not have loaded them)."""
    load_all()


def _grade(course, plan, submission, sandbox, limits, slot, rng) -> SubmissionResult:
    _load_checks()
    if submission.path is None:
        return unanswered(plan, submission, "invalid", submission.problem)
    try:
        nb = read_notebook(submission.path)
    except InvalidSubmission as exc:
        return unanswered(plan, submission, "invalid", str(exc))
    submission.parsed = nb  # merge() leaves it as it is; the grader's autograded copy starts from it
    merged = merge(plan.source, nb)
    calls = {f"{call.check_id}@{call.target}": call for cell in plan.cells for call in cell.calls}
    cases = {key: REGISTRY[call.check_id].make_cases(rng) for key, call in calls.items()}

    clock: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="la4ml-grade-", dir=scratch_dir()) as tmp:
        work = Path(tmp) / "work"
        job = _prepare(work, course, plan, merged, calls, cases)
        outcomes, skipped, problem = _run(work, job, sandbox, limits, slot, clock)
    judging = time.monotonic()
    watched = outcomes.pop(wire.WATCH_KEY, {}) if outcomes is not None else {}
    public = outcomes.pop(wire.PUBLIC_KEY, {}) if outcomes is not None else {}
    public.update({unit[7:]: why for unit, why in skipped.items() if unit.startswith("public:") and outcomes})
    raised = outcomes.pop(wire.CELLS_KEY, {}) if outcomes is not None else {}

    notes = [n for n in (submission.note, *merged.notes) if n]
    status = "graded"
    if problem:
        status = problem[0]
        notes.append(problem[1])
    questions = []
    for cell in plan.cells:
        questions.append(_judge_cell(cell, merged, cases, outcomes, skipped, watched))
    _explain_dependents(plan, merged, questions)
    rechecks: dict[str, float] = {}  # their runs count as judging, but not their wait for a slot
    if plan.keep_dependent_points and outcomes is not None:
        _recheck_dependents(course, plan, merged, calls, cases, questions, sandbox, limits, slot, rechecks)
    if outcomes is None:
        status = problem[0] if problem else "error"
    waited = rechecks.get("wait", 0.0)
    clock["judge"] = time.monotonic() - judging - waited
    if waited:
        clock["wait"] = clock.get("wait", 0.0) + waited
    return SubmissionResult(submission.student_id, plan.assignment, plan.notebook, status, "; ".join(notes),
                            questions, sha256=submission.sha256(), graded_at=_now(), public=public,
                            cell_errors=_cell_errors(merged, raised),
                            timing={k: round(v, 4) for k, v in clock.items()})


def _cell_errors(merged, raised: dict[str, str]) -> list[dict]:
    """The cells that raised, each named by its first line (what a student finds it by).
    An answer cell still raising its stub's NotImplementedError is left out: its checks
    already say it is not answered."""
    out, answers = [], set(merged.answer_index.values())
    for unit, error in raised.items():
        i = int(unit[5:])
        if i in answers and re.search(r"\bNotImplementedError\b", error):
            continue
        if i < len(merged.cells):
            lines = [ln.strip() for ln in merged.cells[i]["source"].splitlines() if ln.strip()]
            out.append({"cell": clean(lines[0] if lines else "(empty)", 80, True), "error": error})
    return out


def _watch(check) -> dict | None:
    """What the sandbox refuses while this check's probe runs (a from-scratch check's watch)."""
    watch = getattr(check, "watch", None)
    return watch.to_json() if watch is not None else None


def _prepare(work: Path, course: Course, plan: Plan, merged, calls, cases) -> dict:
    """What the job directory will hold: the harness (never the checks), the job, the
    inputs and the data files; kept in memory and written by :func:`_fill`."""
    work.mkdir(parents=True)
    checks = [{"id": key, "target": call.target, "probe": REGISTRY[call.check_id].probe, "unit": f"check:{key}",
               "watch": _watch(REGISTRY[call.check_id])}
              for key, call in calls.items()]
    public = [{"unit": f"public:{notebook.grade_id(c)}", "name": notebook.grade_id(c), "source": c.source}
              for c in plan.source.cells if notebook.is_public_test(c) and notebook.grade_id(c)]
    # With a from-scratch exercise, code the notebook writes to a file is not importable:
    # the job folder leaves the import path (and the rule counts sys.path as dynamic code).
    own_code = any(REGISTRY[call.check_id].forbidden for call in calls.values())
    not_run, heads = _display_only(plan, merged, checks, public)
    cells = [dict(c, source=heads[c["unit"]]) if c.get("unit") in heads else c for c in merged.cells]
    job = {"cells": cells, "checks": checks, "public": public, "skip": [], "no_local_imports": own_code,
           "figures": "matplotlib" in preload_of(merged.cells), "not_run": not_run}
    doc, arrays = wire.pack_args({key: [c.args for c in items] for key, items in cases.items()})
    return {"job": job, "args": doc, "arrays": arrays, "data": course.data_files(plan.assignment)}


def _display_only(plan: Plan, merged, checks: list[dict], public: list[dict]) -> tuple[list[str], dict[str, str]]:
    """The instructor's cells that only draw a picture, and those that run only up to
    their drawing (see autograder.grade.display)."""
    instructor = {c.source for c in plan.source.cells if c.cell_type == "code" and not notebook.is_solution(c)}
    own = {i for i in merged.own if merged.cells[i]["source"] not in instructor}
    reads = [display.later_use(t["source"]) for t in public]  # each test: what it reads, in code or functions
    later = frozenset().union(*(display.words(c["target"]) for c in checks), *(r[0] | r[2] for r in reads))
    return display.display_plan(merged.cells, own, later)


def _fill(work: Path, job: dict, sandbox) -> None:
    """(Re)write everything the sandbox reads, from the trusted copy in memory: a rerun
    must not pick up a harness or job file that the previous attempt changed. The harness
    package too, unless ``sandbox`` brings its own (the warm one)."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if not getattr(sandbox, "brings_harness", False):
        write_harness(work)
    for f in job["data"]:
        shutil.copy(f, work / f.name)
    (work / "job.json").write_text(json.dumps(job["job"]))
    (work / "args.json").write_text(json.dumps(job["args"]))
    wire.save_arrays(work / "args.npz", job["arrays"])


def _run(work: Path, job: dict, sandbox, limits, slot, clock: dict | None = None):
    """Run the job, rerunning without any unit that hung or crashed. Returns the outcomes
    (or None), the skipped units with why, and (status, reason) if something went wrong.
    ``clock`` gathers the seconds spent in each phase (see :func:`_clock_run`)."""
    clock = {} if clock is None else clock
    job["job"]["skip"] = []
    _fill(work, job, sandbox)  # before a slot is taken
    with _slot_for_run(slot, clock) as slot:
        return _attempts(work, job, sandbox, limits, slot, clock)


@contextlib.contextmanager
def _slot_for_run(slot, clock: dict):
    """``slot`` itself, or one lent by ``slot.lend()``; the wait goes to clock["wait"]."""
    if isinstance(slot, int):
        yield slot
        return
    asked = time.monotonic()
    with slot.lend() as lent:
        clock["wait"] = clock.get("wait", 0.0) + time.monotonic() - asked
        yield lent


def _attempts(work: Path, job: dict, sandbox, limits, slot: int, clock: dict):
    skipped: dict[str, str] = {}
    problem = None
    deadline = time.monotonic() + limits.wall_s
    harness = HarnessJob(preload=preload_of(job["job"]["cells"]))
    for attempt in range(MAX_ATTEMPTS):
        last = {"unit": None}
        marks: list[tuple[float, str]] = []
        track = progress_tracker(job["job"], last)

        def on_progress(line: str) -> bool:
            accepted = track(line)
            if accepted:
                marks.append((time.monotonic(), last["unit"]))
            return accepted

        if attempt:
            job["job"]["skip"] = sorted(skipped)
            _fill(work, job, sandbox)
        left = deadline - time.monotonic()
        if left <= 1:
            problem = ("timeout", f"the notebook used up its {limits.wall_s:.0f} s time limit")
            break
        started = time.monotonic()
        run = sandbox.run(sandbox_argv(), work, _replace(limits, wall_s=left), slot, on_progress, harness=harness)
        _clock_run(clock, marks, started, time.monotonic())
        outcomes = _read_outcomes(work) if run.returncode == 0 and not run.timed_out else None
        if outcomes is not None:
            return outcomes, skipped, problem
        unit = last["unit"]
        why = _why(run, unit)
        if unit is None or unit in skipped or not unit.startswith(("cell:", "check:", "public:")):
            return None, skipped, ("timeout" if run.timed_out else "error", why)
        skipped[unit] = why
        if unit.startswith("check:"):  # its function hangs or crashes: so would its public test
            target = unit.rsplit("@", 1)[-1]
            for test in job["job"].get("public", []):
                if test["name"] == f"{target}_public":
                    skipped.setdefault(test["unit"], why)
        if not unit.startswith("public:"):  # a public test is worth nothing: not a problem of the grading
            problem = ("timeout" if run.timed_out else "error", why)
    return None, skipped, problem or ("error", "the notebook could not be run")


def _clock_run(clock: dict, marks: list[tuple[float, str]], started: float, ended: float) -> None:
    """Add one sandbox run's seconds by phase, from the progress lines it accepted:
    ``start`` (the sandbox and the harness, up to the first cell), ``cells``, ``checks``,
    ``public``, ``write`` (the outcomes), ``stop`` (the exit and the sandbox's checks)."""
    phase, since = "start", started
    for at, unit in marks:
        clock[phase] = clock.get(phase, 0.0) + at - since
        kind = unit.split(":", 1)[0]
        phase = {"cell": "cells", "check": "checks", "done": "stop"}.get(kind, kind)
        since = at
    clock[phase] = clock.get(phase, 0.0) + ended - since


@lru_cache(maxsize=4096)
def _cell_imports(source: str) -> frozenset[str]:
    return frozenset(imports_of(source))


def preload_of(cells: list[dict]) -> tuple[str, ...]:
    """The heavy modules the cells import (what the warm sandbox preloads), cell by cell:
    the cells of the source notebook are the same in every submission and parsed once."""
    found = set().union(*(_cell_imports(str(c.get("source", ""))) for c in cells))
    return tuple(m for m in HEAVY_MODULES if m in found)


def progress_tracker(job: dict, last: dict):
    """The sandbox's progress callback: a ``unit`` line counts only if it names a unit
    of this job later than the current one (the harness runs them in order), so a
    submission cannot invent units or restart its cell's timer by repeating a line.
    Returns False for every other line (the sandbox then keeps the cell's timer)."""
    order = [str(c.get("unit")) for c in job["cells"]] + [c["unit"] for c in job["checks"]]
    order += [t["unit"] for t in job.get("public", [])]
    order += ["write", "done"]
    index = {unit: i for i, unit in enumerate(order)}
    at = {"i": -1}

    def on_progress(line: str) -> bool:
        i = index.get(line[5:].strip()) if line.startswith("unit ") else None
        if i is None or i <= at["i"]:
            return False
        at["i"] = i
        last["unit"] = order[i]
        return True

    return on_progress


def _why(run, unit: str | None) -> str:
    where = "before any cell ran" if unit is None else _unit_name(unit)
    if run.timed_out:
        return f"{where} was stopped: {run.killed_reason or 'time limit'}"
    if run.killed_reason:
        return f"{where} was stopped: {run.killed_reason}"
    return f"{where} ended the grading process (exit code {run.returncode})"


def _unit_name(unit: str) -> str:
    if unit.startswith("cell:"):
        return f"code cell {int(unit[5:]) + 1}"
    if unit.startswith("check:"):
        return f"the hidden check {unit[6:].split('@')[0]}"
    if unit.startswith("public:"):
        return f"the public test {unit[7:]}"
    return unit


def _read_outcomes(work: Path):
    """Read the sandbox's answer without following links or trusting sizes."""
    try:
        doc = json.loads(_read_regular(work / "outcomes.json", 16 * 2**20))
        # Never write into the job folder: a link the submission left there would be followed.
        with tempfile.TemporaryDirectory(prefix="la4ml-outcomes-", dir=scratch_dir()) as private:
            tmp = Path(private) / "outcomes.npz"
            tmp.write_bytes(_read_regular(work / "outcomes.npz", MAX_OUTCOME_BYTES))
            arrays = wire.load_arrays(tmp)
        outcomes = wire.unpack_outcomes(doc, arrays)
        outcomes[wire.WATCH_KEY] = wire.unpack_watch(doc)
        outcomes[wire.PUBLIC_KEY] = wire.unpack_public(doc)
        outcomes[wire.CELLS_KEY] = wire.unpack_cell_errors(doc)
        return outcomes
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError, Exception):  # noqa: BLE001
        return None


def _read_regular(path: Path, limit: int) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise ValueError(f"{path.name} is not a plain file of a sane size")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1)
    finally:
        os.close(fd)


def _judge_cell(cell, merged, cases, outcomes, skipped, watched=None) -> QuestionResult:
    checks = [c.check_id for c in cell.calls]
    if cell.manual:
        return QuestionResult(cell.grade_id, 0.0, cell.points, "graded", "graded by hand", manual=True)
    for call in cell.calls:
        key = f"{call.check_id}@{call.target}"
        check = REGISTRY[call.check_id]
        unit = f"check:{key}"
        if unit in skipped:
            verdict = Verdict(False, f"`{call.target}` did not finish on the hidden inputs: {skipped[unit]}",
                              "timeout")
        elif outcomes is None:
            verdict = Verdict(False, "the notebook could not be run to the end, so this was not checked", "not_run")
        else:
            verdict = (check.scan(*merged.scratch_args(check.target)) or _watched(check, (watched or {}).get(key))
                       or _judge(check, cases[key], outcomes.get(key)))
        if not verdict.passed:
            status = "timeout" if verdict.mistake == "timeout" else "graded"
            if verdict.mistake == "library_used":
                verdict.message += f" (this part is worth {cell.points:g} of the assignment's points)"
            return QuestionResult(cell.grade_id, 0.0, cell.points, status, f"{call.target}: {verdict.message}",
                                  verdict.mistake, checks)
    return QuestionResult(cell.grade_id, cell.points, cell.points, "graded", "passed", None, checks)


def _failed_target(cell, q: QuestionResult) -> str | None:
    """The function whose check failed this question (its feedback starts with its name)."""
    if q.manual or q.score >= q.max_score:
        return None
    return next((c.target for c in cell.calls if q.feedback.startswith(f"{c.target}: ")), None)


def _explain_dependents(plan, merged, questions: list[QuestionResult]) -> None:
    """One mistake explained once: a question that fails with a generic verdict (an error, a
    wrong value or shape) in a function that calls another failed function names that cause
    first (``autograder.checks._kit.depends``). Scores are unchanged."""
    failed = _failed_functions(plan, questions)
    for cell, q in zip(plan.cells, questions):
        target = _failed_target(cell, q)
        if not target:
            continue
        verdict = depends.with_root_cause(target, Verdict(False, q.feedback[len(target) + 2:], q.mistake),
                                          merged.answers.get, failed)
        q.feedback = f"{target}: {verdict.message}"


def _failed_functions(plan, questions: list[QuestionResult]) -> dict[str, Verdict]:
    """Each function whose check failed, with its first failing verdict (message without the name)."""
    failed: dict[str, Verdict] = {}
    for cell, q in zip(plan.cells, questions):
        target = _failed_target(cell, q)
        if target and target not in failed:
            failed[target] = Verdict(False, q.feedback[len(target) + 2:], q.mistake)
    return failed


def _recheck_dependents(course, plan, merged, calls, cases, questions, sandbox, limits, slot, clock: dict) -> None:
    """The assignment's setting "a dependent question keeps its points": a question that
    failed only through failed functions it calls runs again with those functions replaced
    by their reference; if it passes then, it keeps its points. One more sandbox run, and
    only when such a question exists. A question that merely calls a broken function
    without being right itself still fails the re-check."""
    failed = _failed_functions(plan, questions)
    todo = {}
    for i, (cell, q) in enumerate(zip(plan.cells, questions)):
        target = _failed_target(cell, q)
        if not target or q.mistake not in depends.ATTRIBUTED:
            continue
        chain = depends.cause_chain(target, merged.answers.get, failed)
        if chain and all(name in plan.references for name in chain):
            todo[i] = chain
    if not todo:
        return
    groups: dict[tuple, list[int]] = {}  # one run per set of replaced functions: a question's own stays its own
    for i, chain in todo.items():
        groups.setdefault(tuple(sorted(chain)), []).append(i)
    kept = [i for fixes, members in groups.items()
            for i in _recheck(course, plan, merged, calls, cases, sandbox, limits, slot, fixes, members, clock)]
    targets = {i: _failed_target(plan.cells[i], questions[i]) for i in kept}
    for i in kept:
        questions[i].score, questions[i].mistake = questions[i].max_score, None
    still = {_failed_target(cell, q) for cell, q in zip(plan.cells, questions)} - {None}
    for i in kept:  # name what is wrong on its own: a function rescued here is not
        names = [name for name in todo[i] if name in still] or todo[i][-1:]
        said = " and ".join(f"`{name}`" for name in names)
        questions[i].feedback = (f"{targets[i]}: passes once {said} {'is' if len(names) == 1 else 'are'} correct, so "
                                 f"it keeps its points (this assignment counts one mistake once); fix {said} first")


def _recheck(course, plan, merged, calls, cases, sandbox, limits, slot, fixes, members, clock: dict) -> list[int]:
    """The questions among ``members`` that pass with ``fixes`` replaced by their reference."""
    cells = merged.cells + [{"unit": f"cell:{len(merged.cells) + j}", "source": plan.references[name]}
                            for j, name in enumerate(fixes)]
    keys = {f"{k.check_id}@{k.target}" for i in members for k in plan.cells[i].calls}
    sub_calls = {key: call for key, call in calls.items() if key in keys}
    with tempfile.TemporaryDirectory(prefix="la4ml-recheck-", dir=scratch_dir()) as tmp:
        work = Path(tmp) / "work"
        job = _prepare(work, course, plan, replace(merged, cells=cells), sub_calls,
                       {key: cases[key] for key in sub_calls})
        job["job"]["public"] = []
        outcomes, skipped, _ = _run(work, job, sandbox, limits, slot, clock)
    if outcomes is None:
        return []
    watched = outcomes.pop(wire.WATCH_KEY, {})
    outcomes.pop(wire.PUBLIC_KEY, None)
    outcomes.pop(wire.CELLS_KEY, None)
    again = {i: _judge_cell(plan.cells[i], merged, cases, outcomes, skipped, watched) for i in members}
    return [i for i in members if again[i].score >= again[i].max_score]


def _watched(check, note: str | None) -> Verdict | None:
    """A from-scratch violation the sandbox's watch noted while the check's probe ran."""
    if not note:
        return None
    return Verdict(False, f"this exercise asks you to write {check.target} from scratch, but while the check "
                          f"ran your code {note}; the points for this part are only given for your own "
                          "implementation", "library_used")


def _judge(check, cases, outcomes) -> Verdict:
    if outcomes is None or len(outcomes) != len(cases):
        return Verdict(False, "the grader received no result for this check", "missing")
    try:
        return check.judge(cases, outcomes)
    except Exception as exc:  # noqa: BLE001 - odd answers must not stop the batch
        return Verdict(False, f"the answer could not be judged ({type(exc).__name__}); "
                              "check its type and shape against the prompt", "unjudgeable")


def _replace(limits, **changes):
    from dataclasses import replace

    return replace(limits, **changes)
