"""Questions graded by hand, as the gradebook has them.

A free-response answer nobody has graded yet is *pending*, not a zero: grades.csv writes it
with status ``needs_grading`` and a blank score, and the summary says how many points are
still waiting for a grader. Once a grader enters a score in formgrader (nbgrader's manual
score), that score is used.
"""

from __future__ import annotations

from autograder.grade.results import SubmissionResult

PENDING = "needs_grading"
WAITING = "waiting for a grader"
NO_RESPONSE = object()  # nbgrader scored the answer 0 itself: the stub was left unchanged


def with_hand_grades(db_url: str | None, assignment: str, notebook: str,
                     results: list[SubmissionResult]) -> list[SubmissionResult]:
    """Set each hand-graded question of ``results`` (in place) to the grader's score from
    the gradebook, or to status ``needs_grading`` when there is none yet."""
    if not any(q.manual for r in results for q in r.questions):
        return results
    scores = _manual_scores(db_url, assignment, notebook.removesuffix(".ipynb"), results)
    for r in results:
        for q in r.questions:
            if not q.manual:
                continue
            score = scores.get((r.student_id, q.question))
            if score is None and q.status != "graded":
                continue  # the notebook could not be read: there is no answer to wait for
            if score is None:
                q.score, q.status, q.feedback = 0.0, PENDING, WAITING
            elif score is NO_RESPONSE:
                q.score, q.status, q.feedback = 0.0, "graded", "no answer was written (the cell still holds its stub)"
            else:
                q.score, q.status, q.feedback = score, "graded", "graded by hand"
    return results


def _manual_scores(db_url, assignment, stem, results) -> dict[tuple[str, str], float]:
    if not db_url:
        return {}
    from nbgrader.api import MissingEntry

    from autograder.grade.gradebook import session

    out = {}
    with session(db_url) as gb:
        for r in results:
            for q in r.questions:
                if not q.manual:
                    continue
                try:
                    g = gb.find_grade(q.question, stem, assignment, r.student_id)
                except MissingEntry:
                    continue
                if g.manual_score is not None:
                    out[(r.student_id, q.question)] = float(g.manual_score) + float(g.extra_credit or 0.0)
                elif g.auto_score is not None and not g.needs_manual_grade:
                    out[(r.student_id, q.question)] = NO_RESPONSE  # nbgrader: the answer is the unchanged stub
    return out


def split(result: SubmissionResult) -> dict[str, float]:
    """Points of one result: automatic (scored, max), by hand (scored, max), pending (max)."""
    out = dict(auto=0.0, auto_max=0.0, hand=0.0, hand_max=0.0, pending=0.0)
    for q in result.questions:
        if q.status == PENDING:
            out["pending"] += q.max_score
        elif q.manual:
            out["hand"] += q.score
            out["hand_max"] += q.max_score
        else:
            out["auto"] += q.score
            out["auto_max"] += q.max_score
    return out
