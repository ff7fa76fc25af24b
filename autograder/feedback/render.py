"""Render one student's feedback page from the gradebook and their result.json.

What a page shows: the score per graded cell (after hand grading), the diagnosis of each
failed check, the grader's comments, the late penalty and extension. What it never shows:
hidden-test source, reference values (see ``student_safe``), or anything about another
student: a page is built from one StudentRecord only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from autograder.export.course import ClassRecord, StudentRecord, atomic_write, fmt_points, student_safe

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=True,  # every diagnosis and comment is text, never markup
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)

_STATUS_TEXT = {
    "error": "Your notebook stopped with an error before every check could run.",
    "timeout": "Your notebook took too long to run and was stopped.",
    "invalid": "Your submission could not be read as the expected notebook.",
}


@dataclass
class Row:
    question: str
    name: str
    points: str
    max_score: float
    verdict: str
    css: str


def _hours(h: float) -> str:
    if h >= 24 and abs(h / 24 - round(h / 24)) < 1e-9:
        d = int(round(h / 24))
        return f"{d} day{'s' if d != 1 else ''}"
    return f"{h:g} hour{'s' if h != 1 else ''}"


def _stamp(dt) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt is not None else ""


def page_context(record: ClassRecord, student: StudentRecord) -> dict:
    feedback = {}
    if student.result is not None:
        for q in student.result.questions:
            feedback[q.question] = q
    rows, failures = [], []
    for cell in record.cells:
        score = student.cells.get(cell.name)
        q = feedback.get(cell.name)
        max_score = score.max_score if score else cell.max_score
        if score is None or score.pending:
            rows.append(Row(cell.question, cell.name, "—", max_score, "waiting for a grader", "pending"))
            continue
        pts = score.score
        if score.manual_score is not None and (cell.cell_type == "markdown" or score.auto_score is None
                                               or score.manual_score != score.auto_score):
            verdict, css = "graded by hand", "passed" if pts >= max_score else "partial"
        elif pts >= max_score:
            verdict, css = "passed", "passed"
        elif pts > 0:
            verdict, css = "partly correct", "partial"
        elif cell.cell_type == "markdown" and score.manual_score is None:
            verdict, css = "not answered", "failed"  # a written answer still holding its stub
        else:
            verdict, css = "failed", "failed"
        if q is not None and q.status not in ("graded", "") and pts < max_score:
            verdict, css = {"error": "not run (error)", "timeout": "not run (time limit)",
                            "invalid": "not graded"}.get(q.status, verdict), "failed"
        rows.append(Row(cell.question, cell.name, fmt_points(pts), max_score, verdict, css))
        message = student_safe(q.feedback) if q is not None else ""
        if q is not None and student.result is not None and q.feedback.strip() == student.result.reason.strip():
            message = ""  # the reason the whole notebook was not graded: said once, above the table
        if pts < max_score and message and message not in ("passed", "graded by hand"):
            failures.append({"name": cell.name, "points": fmt_points(pts), "max_score": max_score, "message": message})

    problem = ""
    result = student.result
    if result is not None and result.status != "graded":
        problem = _STATUS_TEXT.get(result.status, "")
        reason = student_safe(result.reason)
        if reason:
            reason = reason[0].upper() + reason[1:]
            problem = f"{problem} {reason}{'' if reason.endswith(('.', '!', '?')) else '.'}".strip()

    return {
        "assignment": record.assignment,
        "student": student,
        "rows": rows,
        "failures": failures,
        "comments": student.comments,
        "cell_errors": [{"cell": student_safe(e.get("cell", "")), "error": student_safe(e.get("error", ""))}
                        for e in (result.cell_errors[:10] if result is not None else [])],
        "late": student.late,
        "late_policy": record.late_policy,
        "problem": problem,
        "submitted_at": _stamp(student.timestamp),
        "due": _stamp(record.duedate),
        "graded_at": (result.graded_at[:16].replace("T", " ") if result is not None and result.graded_at else ""),
        "points": fmt_points,
        "hours": _hours,
    }


def render_page(record: ClassRecord, student: StudentRecord) -> str:
    return _ENV.get_template("feedback.html.j2").render(**page_context(record, student))


def write_pages(record: ClassRecord, out: Path, students: list[str] | None = None) -> list[Path]:
    """One page per submitted student (or those named), ``<out>/<student_id>.html``."""
    wanted = set(students or [])
    unknown = wanted - {s.id for s in record.students}
    if unknown:
        raise SystemExit(f"not in the gradebook: {', '.join(sorted(unknown))}")
    paths = []
    for student in record.students:
        if wanted and student.id not in wanted:
            continue
        if not student.submitted:
            continue
        path = Path(out) / f"{student.id}.html"
        atomic_write(path, render_page(record, student))
        paths.append(path)
    return paths
