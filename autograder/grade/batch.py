"""Grade a class: in parallel (threads here, or a Dask cluster), resumable, one bad submission
never stops the batch.

Each finished submission is written at once (gradebook, then ``result.json`` as the
completion mark), so a grader killed at any moment loses only the work in flight; the
same command run again skips every submission whose notebook and source are unchanged.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from tqdm.std import tqdm

from autograder.grade.csvout import write_csv
from autograder.grade import warmup
from autograder.grade.engine import grade_submission, unanswered
from autograder.grade.handgrades import with_hand_grades
from autograder.grade.plan import Plan, load_plan
from autograder.grade.saver import open_saver
from autograder.grade.results import SubmissionResult, checks_version, gradebook_name, load_results, result_path
from autograder.grade.submission import Submission, discover
from autograder.paths import Course
from autograder.text import clean


@dataclass
class Options:
    submitted: Path
    csv: Path | None = None
    db_url: str | None = None
    sandbox: str = "auto"
    workers: int = 0  # 0: one per core
    scheduler: str | None = None  # a Dask scheduler address; None: threads of this process
    students: tuple[str, ...] = ()
    question: str | None = None
    force: bool = False
    progress: bool = True
    limits: object = None  # autograder.sandbox.Limits; None: DEFAULT_LIMITS


def grade_class(course: Course, assignment: str, opts: Options, log=print) -> list[SubmissionResult]:
    """Garbage collection: set-up (the gradebook's and nbgrader's imports, the plan) makes
    some 100,000 objects that live as long as the class, and collections walking them took
    0.1 to 0.2 s of a class of 24 with the interpreter lock held. So none runs during
    set-up, what it made is frozen once it is done (``settled``), and the collections while
    grading walk only what grading makes; all is unfrozen at the end."""
    db_url = opts.db_url or course.db_url
    was_on = gc.isenabled()
    gc.disable()  # until set-up is done

    def settled() -> None:
        gc.freeze()
        if was_on:
            gc.enable()

    try:
        return _grade_class(course, assignment, opts, log, db_url, settled)
    finally:
        from autograder.grade import gradebook

        gradebook.release(db_url)
        gc.unfreeze()
        if was_on:
            gc.enable()


def _grade_class(course: Course, assignment: str, opts: Options, log, db_url: str,
                 settled) -> list[SubmissionResult]:
    from autograder.sandbox import Limits, get_sandbox

    limits = opts.limits or Limits(**DEFAULT_LIMITS)
    if not opts.scheduler:  # else the tasks run on other machines
        warmup.prewarm(course, assignment, opts.submitted, opts.sandbox, opts.workers, opts.students,
                       bool(opts.force or opts.question), limits.memory_mb)
    plan = load_plan(course, assignment)
    sandbox = get_sandbox(opts.sandbox)
    if not sandbox.isolated:
        log("warning: grading WITHOUT a sandbox: submissions run with your permissions and are not isolated")
    submissions = discover(Path(opts.submitted), assignment, plan.notebook)
    if opts.students:
        wanted = set(opts.students)
        missing = wanted - {s.student_id for s in submissions}
        if missing:
            raise FileNotFoundError(f"no submission for {', '.join(sorted(missing))} in {opts.submitted}")
        submissions = [s for s in submissions if s.student_id in wanted]
    # Everything is graded again: start at once, and set up the gradebook meanwhile.
    early = _Runs(course, plan, submissions, sandbox, limits, opts) if opts.force or opts.question else None
    try:
        return _grade_and_save(course, plan, opts, log, db_url, sandbox, limits, submissions, early, settled)
    finally:
        if early is not None:
            early.close()


def _grade_and_save(course, plan, opts, log, db_url, sandbox, limits, submissions, early,
                    settled) -> list[SubmissionResult]:
    from autograder.grade import gradebook

    assignment = plan.assignment
    gradebook.ensure_assignment(db_url, plan)
    if early is not None:
        todo = list(submissions)
    else:
        in_gradebook = gradebook.auto_scores(db_url, assignment)
        todo = [s for s in submissions if not _up_to_date(course, plan, s, db_url, in_gradebook)]
    log(f"{assignment}: {len(submissions)} submissions, {len(submissions) - len(todo)} already graded, "
        f"{len(todo)} to grade (sandbox: {sandbox.name})")
    saver = open_saver(len(todo)) if todo else None
    settled()
    try:
        return _grade_todo(course, plan, opts, db_url, sandbox, limits, submissions, todo, early, saver)
    finally:
        if saver is not None:
            saver.close()


def _grade_todo(course, plan, opts, db_url, sandbox, limits, submissions, todo, early, saver):
    assignment = plan.assignment
    failed = 0
    unsaved: dict[str, SubmissionResult] = {}
    bar = tqdm(total=len(todo), unit="nb", disable=not opts.progress, file=sys.stderr, dynamic_ncols=True)
    for attempt in (1, 2):  # a failure of the grader itself is tried once more
        again = []
        runs = early if attempt == 1 and early is not None else _Runs(course, plan, todo, sandbox, limits, opts)
        for submission, result in runs:
            if not result.reason.startswith(GRADER_FAILED):
                if opts.question:
                    result = _only_question(course, plan, submission, result, opts.question)
                try:
                    _stamp(db_url, plan, submission, result)
                    saver.save(course, db_url, plan, submission, result)
                except Exception as exc:  # noqa: BLE001 - the batch goes on; the TA is told below
                    result = unanswered(plan, submission, "error", f"{GRADER_FAILED}: could not save the result: "
                                                                   f"{type(exc).__name__}: {clean(exc, 300, True)}")
            submission.parsed = None  # not kept for the whole class
            if result.reason.startswith(GRADER_FAILED):
                # Not the student's doing: never saved, so the next run tries again.
                again.append(submission)
                unsaved[submission.student_id] = result
                if attempt == 2:
                    tqdm.write(f"{submission.student_id}: {result.reason} (not saved; run again to retry)",
                               file=sys.stderr)
                    bar.update(1)
                continue
            unsaved.pop(submission.student_id, None)
            failed += result.status != "graded"
            bar.update(1)
            bar.set_postfix(done=bar.n, failed=failed, left=len(todo) - bar.n)
        todo = again
        if not todo:
            break
    bar.close()

    ids = {s.student_id for s in submissions}
    results = [r for r in load_results(course.grades, assignment) if r.student_id in ids and r.student_id not in unsaved]
    results = with_hand_grades(db_url, assignment, plan.notebook, results)  # pending, or the grader's score
    # A submission the grader could not grade stays in the results (and the CSV), marked as such.
    results = sorted(results + list(unsaved.values()), key=lambda r: r.student_id)
    if opts.csv:
        write_csv(Path(opts.csv), results)
    return results


def ungraded(results: list[SubmissionResult]) -> list[str]:
    """Students whose submission the grader itself failed to grade (not saved)."""
    return [r.student_id for r in results if r.reason.startswith(GRADER_FAILED)]


def _up_to_date(course: Course, plan: Plan, submission: Submission, db_url: str,
                in_gradebook: dict[str, dict[str, float | None]]) -> bool:
    """Graded already: same notebook, same source, same checks, and this gradebook holds
    exactly its scores (a new or another gradebook, or a changed check, grades again)."""
    path = result_path(course.grades, plan.assignment, submission.student_id)
    if not path.exists() or submission.student_id not in in_gradebook:
        return False
    try:
        old = SubmissionResult.from_dict(json.loads(path.read_text()))
    except (ValueError, TypeError, AttributeError):
        return False
    held = in_gradebook[submission.student_id]
    same_scores = all(q.manual or held.get(q.question) == q.score for q in old.questions)
    return (old.sha256 == submission.sha256() and old.source_version == plan.fingerprint
            and old.checks_version == checks_version() and same_scores)


def _only_question(course, plan, submission, fresh: SubmissionResult, question: str) -> SubmissionResult:
    """Regrade one question: keep every other question's saved result."""
    if question not in {c.grade_id for c in plan.cells}:
        raise ValueError(f"{plan.assignment} has no graded cell {question!r}")
    path = result_path(course.grades, plan.assignment, submission.student_id)
    if not path.exists():
        return fresh
    old = SubmissionResult.from_dict(json.loads(path.read_text()))
    new_q = {q.question: q for q in fresh.questions}
    old.questions = [new_q[q.question] if q.question == question else q for q in old.questions]
    old.graded_at = fresh.graded_at
    return old


def _stamp(db_url, plan, submission, result) -> None:
    """What the saved result says about how it was graded."""
    result.source_version = plan.fingerprint
    result.gradebook = gradebook_name(db_url)
    result.checks_version = checks_version()
    if submission.submitted_at:
        result.submitted_at = submission.submitted_at.isoformat()


# --- running: threads of this process, or a Dask cluster ----------------------------

GRADER_FAILED = "the grader itself failed"
# Per notebook: 10 minutes in all, 2 minutes without progress (one cell or one check).
DEFAULT_LIMITS = {"wall_s": 600.0, "cpu_s": 600.0, "idle_s": 120.0}
THREADS_PER_SLOT = 2  # a sandbox run on each slot, and a notebook read or judged beside it


def grade_task(course_root: str, plan: Plan, submission: Submission, sandbox_name: str, limits):
    """One unit of work for a Dask worker (importable, so remote workers can run it)."""
    from autograder.sandbox import get_sandbox

    return _grade_one(Course(Path(course_root)), plan, submission, get_sandbox(sandbox_name), limits)


def _grade_one(course: Course, plan: Plan, submission: Submission, sandbox, limits,
               slots: warmup.Slots | None = None) -> SubmissionResult:
    """``slots``: lends a slot per sandbox run; None: one slot of the pool for the whole task."""
    pool = warmup.slot_pool()
    slot = slots if slots is not None else pool.get()
    try:
        try:
            return grade_submission(course, plan, submission, sandbox, limits, slot)
        except Exception as exc:  # noqa: BLE001 - the batch goes on; the TA sees why
            return unanswered(plan, submission, "error",
                              f"{GRADER_FAILED}: {type(exc).__name__}: {clean(exc, 300, True)}")
    finally:
        if slots is None:
            pool.put(slot)


class _Runs:
    """The submissions of ``todo`` being graded, from the moment this is made: on the Dask
    scheduler ``opts.scheduler``, or by default on ``opts.workers`` threads of this process
    (no cluster to start). Iterate for (submission, result) as each one finishes."""

    def __init__(self, course, plan, todo, sandbox, limits, opts):
        from concurrent.futures import ThreadPoolExecutor

        self.todo, self.pool, self.futures, self.slots = list(todo), None, {}, None
        self.dask = (course, plan, sandbox, limits, opts) if opts.scheduler else None
        if self.todo and not opts.scheduler:
            workers = min(opts.workers or os.cpu_count() or 1, len(self.todo))
            self.slots = warmup.Slots(workers)
            threads = min(len(self.todo), workers * THREADS_PER_SLOT)
            self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="grade")
            self.futures = {self.pool.submit(_grade_one, course, plan, s, sandbox, limits, self.slots): s
                            for s in self.todo}

    def __iter__(self):
        if not self.todo:
            return
        if self.dask is not None:
            course, plan, sandbox, limits, opts = self.dask
            yield from _run_dask(course, plan, self.todo, sandbox, limits, opts)
            return
        from concurrent.futures import as_completed

        try:
            for future in as_completed(self.futures):
                yield self.futures[future], future.result()  # _grade_one never raises
            self.pool.shutdown(wait=True)  # every task is done: its threads end now
        finally:
            self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        if self.slots is not None:
            self.slots.close()


def _run_dask(course, plan, todo, sandbox, limits, opts):
    from distributed import Client, as_completed

    client = Client(opts.scheduler)
    try:
        futures = {client.submit(grade_task, str(course.root), plan, s, sandbox.name, limits, pure=False): s
                   for s in todo}
        for future in as_completed(futures):
            submission = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker, say; the submission stays to do
                result = unanswered(plan, submission, "error",
                                    f"{GRADER_FAILED}: {type(exc).__name__}: {clean(exc, 300, True)}")
            yield submission, result
    finally:
        client.close()
