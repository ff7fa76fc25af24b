"""A readable table of a class's results for the terminal.

Hand grading still to do is said as such ("8/8 automatic, 25 points waiting for a grader"),
never counted as a zero.
"""

from autograder.grade.handgrades import PENDING, split
from autograder.grade.results import SubmissionResult


def _p(x: float) -> str:
    return f"{x:g}"


def pending_note(result: SubmissionResult) -> str:
    """"8/8 automatic, 25 points waiting for a grader" (with hand-graded points if any); ""
    when nothing waits for a grader."""
    s = split(result)
    if not s["pending"]:
        return ""
    parts = [f"{_p(s['auto'])}/{_p(s['auto_max'])} automatic"]
    if s["hand_max"]:
        parts.append(f"{_p(s['hand'])}/{_p(s['hand_max'])} by hand")
    parts.append(f"{_p(s['pending'])} points waiting for a grader")
    return ", ".join(parts)


def status_of(result: SubmissionResult) -> str:
    if result.status == "graded" and any(q.status == PENDING for q in result.questions):
        return PENDING
    return result.status


def print_summary(results: list[SubmissionResult], width: int = 60) -> None:
    if not results:
        print("no submissions")
        return
    name_w = max(10, *(len(r.student_id) for r in results))
    status_w = 13
    print(f"{'student':<{name_w}}  {'score':>11}  {'status':<{status_w}}  note")
    print("-" * (name_w + 2 + 11 + 2 + status_w + 2 + width))
    for r in sorted(results, key=lambda r: r.student_id):
        waiting = pending_note(r)
        note = "; ".join(x for x in (r.reason, waiting) if x) or _first_failure(r)
        if len(note) > width:
            note = note[: width - 3] + "..."
        print(f"{r.student_id:<{name_w}}  {r.score:>5g} / {r.max_score:<3g}  {status_of(r):<{status_w}}  {note}")
    graded = [r for r in results if r.status == "graded"]
    mean = sum(r.score for r in results) / len(results)
    waiting = [r for r in results if split(r)["pending"]]
    line = f"\n{len(results)} submissions, {len(graded)} graded cleanly"
    if waiting:
        auto = [split(r) for r in results]
        auto_mean = sum(s["auto"] for s in auto) / len(auto)
        auto_max = max(s["auto_max"] for s in auto)
        points = sum(split(r)["pending"] for r in waiting)
        line += (f", mean automatic score {auto_mean:.2f} / {auto_max:g}; hand grading still to do in "
                 f"{len(waiting)} submission{'s' if len(waiting) != 1 else ''} ({points:g} points waiting for a "
                 "grader): totals are not final")
    else:
        line += f", mean score {mean:.2f} / {results[0].max_score:g}"
    print(line)


def _first_failure(result: SubmissionResult) -> str:
    for q in result.questions:
        if q.score < q.max_score and not q.manual:
            return f"{q.question}: {q.feedback.splitlines()[0] if q.feedback else 'no points'}"
    return "all checks passed"
