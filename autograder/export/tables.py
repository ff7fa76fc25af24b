"""nbgrader's own CSV (through nbgrader's CsvExportPlugin) and a wide CSV.

nbgrader CSV columns (nbgrader/plugins/export.py, CsvExportPlugin): assignment, duedate,
timestamp, student_id, last_name, first_name, email, raw_score, late_submission_penalty,
score, max_score; one row per student in the gradebook, 0 for a missing submission.

Wide CSV: one row per student, one column per graded cell (nbgrader grade id, final score
after hand grading; empty when nothing was submitted), then the totals.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from autograder.export.course import ClassRecord, StudentRecord, atomic_write, fmt_points, open_gradebook


def export_nbgrader_csv(course: Path, assignment: str, out: Path, db_url: str | None = None) -> Path:
    from nbgrader.plugins import CsvExportPlugin

    out.parent.mkdir(parents=True, exist_ok=True)
    gb = open_gradebook(course, db_url)
    try:
        CsvExportPlugin(to=str(out), assignment=[assignment]).export(gb)
    finally:
        gb.close()
    return out


WIDE_FIXED = ["student_id", "first_name", "last_name", "email", "status"]
WIDE_TOTALS = ["raw_score", "late_penalty", "score", "max_score", "diagnoses"]


def diagnoses(student: StudentRecord) -> str:
    """The named mistakes behind a student's lost points ("question:mistake"; for the
    diagnostic quiz the mistake is the gap found, e.g. "dot_product:dot_product")."""
    if student.result is None:
        return ""
    return "; ".join(f"{q.question}:{q.mistake}" for q in student.result.questions
                     if q.mistake and q.score < q.max_score)


def export_wide(record: ClassRecord, out: Path) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    names = [c.name for c in record.cells]
    w.writerow(WIDE_FIXED + names + WIDE_TOTALS)
    for s in record.students:
        cells = [fmt_points(s.cells[n].score) if s.submitted and n in s.cells else "" for n in names]
        if s.submitted:
            totals = [fmt_points(s.raw_score), fmt_points(s.penalty), fmt_points(s.score), fmt_points(s.max_score),
                      diagnoses(s)]
        else:
            totals = ["", "", "0", fmt_points(s.max_score), ""]
        w.writerow([s.id, s.first_name, s.last_name, s.email, s.status] + cells + totals)
    atomic_write(out, buf.getvalue())
    return out
