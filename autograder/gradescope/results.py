"""Our result of one submission as Gradescope's ``results.json``.

Spec followed: Gradescope "Autograder Specifications"
(gradescope-autograders.readthedocs.io/en/latest/specs/)::

    {"score": 7.0, "execution_time": 12, "output": "...", "stdout_visibility": "hidden",
     "tests": [{"score": 2.0, "max_score": 3.0, "status": "failed", "name": "dot_values",
                "number": "1", "output": "...", "visibility": "after_published"}]}

``visibility`` is one of hidden, after_due_date, after_published, visible. Students see
at once a 0-point "Submission" test (which notebook was graded, whether it ran, which
answers were missing); each hidden check's result follows its own visibility, by default
``after_published``. stdout is for instructors only, and ``output`` fields carry the
student-facing diagnosis only (``student_safe``). The top-level ``output`` names every
cell that raised while the notebook ran (a teaching cell's failed import, say): it does
not change the score, and would otherwise go unseen.
"""

from __future__ import annotations

from autograder.export.safe import student_safe
from autograder.grade.results import SubmissionResult

VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
DEFAULT_VISIBILITY = {"submission": "visible", "checks": "after_published", "cells": {}, "public": "visible"}

PUBLIC_NOTE = "(A public sanity check, worth no points: the hidden checks decide your score.)"
PUBLIC_PASSED = "Passed. " + PUBLIC_NOTE
_STATUS_OUTPUT = {
    "error": "Your notebook stopped with an error before every check could run.",
    "timeout": "Your notebook took too long to run and was stopped.",
    "invalid": "Your submission could not be read as the expected notebook.",
}


def visibility_config(checks: str = "after_published", cells: dict[str, str] | None = None,
                      submission: str = "visible", public: str = "visible") -> dict:
    for v in (checks, submission, public, *(cells or {}).values()):
        if v not in VISIBILITIES:
            raise ValueError(f"visibility must be one of {', '.join(VISIBILITIES)}, not {v!r}")
    return {"submission": submission, "checks": checks, "cells": dict(cells or {}), "public": public}


def to_gradescope(result: SubmissionResult, visibility: dict | str | None = None) -> dict:
    """results.json for one graded submission. ``visibility``: a :func:`visibility_config`
    (or one visibility for every hidden check). Cells graded by hand are left to the
    instructor and named in the top-level output."""
    if visibility is None or isinstance(visibility, str):
        visibility = visibility_config(visibility or "after_published")
    tests = [{
        "score": 0.0, "max_score": 0.0, "status": "passed" if result.status == "graded" else "failed",
        "name": "Submission", "number": "0", "output": _submission_output(result),
        "visibility": visibility["submission"],
    }]
    manual = []
    for q in result.questions:
        if q.manual:
            manual.append(q.question)
            continue
        passed = q.score >= q.max_score
        output = student_safe(q.feedback) if not passed else ""
        if not passed and not output and q.status in _STATUS_OUTPUT:
            output = _STATUS_OUTPUT[q.status]
        tests.append({
            "score": float(q.score), "max_score": float(q.max_score),
            "status": "passed" if passed else "failed", "name": q.question, "number": str(len(tests)),
            "output": output, "visibility": visibility["cells"].get(q.question, visibility["checks"]),
        })
    for name, error in sorted(result.public.items()):
        tests.append({
            "score": 0.0, "max_score": 0.0, "status": "passed" if error is None else "failed",
            "name": f"Public test: {name}", "number": str(len(tests)),
            "output": (PUBLIC_PASSED if error is None else f"{student_safe(error)}\n{PUBLIC_NOTE}"),
            "visibility": visibility.get("public", "visible"),
        })
    lines = _cell_error_lines(result)
    if manual:
        lines.append("Graded by hand later, not included in this score: " + ", ".join(manual) + ".")
    return {
        "score": float(sum(t["score"] for t in tests)),
        "execution_time": int(round(result.duration_s)),
        "output": "\n".join(lines),
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def _cell_error_lines(result: SubmissionResult) -> list[str]:
    """A cell that raised (an import that failed, a plot that broke) does not stop the
    grading, so it is said here, where the student and the instructor both read it."""
    if not result.cell_errors:
        return []
    lines = ["These cells raised an error when your notebook was graded (the cells after them still ran; "
             "fix them so your notebook runs top to bottom):"]
    for e in result.cell_errors[:10]:
        lines.append(f"- the cell starting `{student_safe(e.get('cell', ''))}`: {student_safe(e.get('error', ''))}")
    if len(result.cell_errors) > 10:
        lines.append(f"- and {len(result.cell_errors) - 10} more")
    return lines


def _submission_output(result: SubmissionResult) -> str:
    lines = [f"Graded notebook: {result.notebook}." if result.status != "invalid" else ""]
    if result.status != "graded":
        lines.append(_STATUS_OUTPUT.get(result.status, "Your submission could not be graded completely."))
    reason = student_safe(result.reason)
    if reason:
        lines.append(reason)
    if result.status == "graded" and not reason:
        lines.append("Your notebook ran to the end. The hidden checks' results appear when your "
                     "instructor publishes the grades.")
    return "\n".join(line for line in lines if line)


def not_graded(message: str = "") -> dict:
    """results.json when the grader itself failed: a 0 that names the failure."""
    return {"score": 0.0, "execution_time": 0, "stdout_visibility": "hidden", "tests": [],
            "output": message or "The autograder could not grade this submission; your instructor has been told."}


def not_graded_safely(reason: str) -> dict:
    """results.json when student code cannot be kept away from the grader here: no score at
    all (Gradescope then shows the run as failed), and a message for the instructor."""
    return {"execution_time": 0, "stdout_visibility": "hidden", "tests": [],
            "output": ("This submission was NOT graded: it could not be graded safely in this "
                       "container, and no score was given. Your instructor has been told. "
                       f"(Reason for the instructor: {reason})")}
