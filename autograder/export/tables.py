"""nbgrader's own CSV (the rows of nbgrader's CsvExportPlugin, properly quoted) and a wide CSV.

nbgrader CSV columns (nbgrader/plugins/export.py, CsvExportPlugin): assignment, duedate,
timestamp, student_id, last_name, first_name, email, raw_score, late_submission_penalty,
score, max_score; one row per student in the gradebook, 0 for a missing submission.

Wide CSV: one row per student, one column per graded cell (nbgrader grade id, final score
after hand grading; empty when nothing was submitted or while it waits for a grader), then the
totals. A student whose hand grading is still to do has status ``needs_grading``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from autograder.export.course import ClassRecord, StudentRecord, atomic_write, fmt_points, open_gradebook
from autograder.export.safe import csv_cell


NBGRADER_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                    "raw_score", "late_submission_penalty", "score", "max_score"]
# Columns that hold text from people (ids, names, emails), not numbers or dates.
TEXT_COLUMNS = ("assignment", "student_id", "last_name", "first_name", "email")


def export_nbgrader_csv(course: Path, assignment: str, out: Path, db_url: str | None = None) -> Path:
    """The rows and values of nbgrader's CsvExportPlugin, written as real CSV: the plugin
    joins values with commas unquoted, so a comma in a name breaks its file, and it writes
    ids and names that a spreadsheet would run as formulas."""
    from nbgrader.api import MissingEntry

    gb = open_gradebook(course, db_url)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(NBGRADER_COLUMNS)
    try:
        a = gb.find_assignment(assignment)
        for student in gb.students:
            row = {"assignment": a.name, "duedate": a.duedate, "student_id": student.id,
                   "last_name": student.last_name, "first_name": student.first_name, "email": student.email,
                   "max_score": a.max_score}
            try:
                sub = gb.find_submission(a.name, student.id)
            except MissingEntry:
                row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0)
            else:
                penalty = sub.late_submission_penalty
                row.update(timestamp=sub.timestamp, raw_score=sub.score, late_submission_penalty=penalty,
                           score=max(0.0, sub.score - penalty))
            text = {k: "" if v is None else str(v) for k, v in row.items()}
            w.writerow([csv_cell(text[k]) if k in TEXT_COLUMNS else text[k] for k in NBGRADER_COLUMNS])
    finally:
        gb.close()
    atomic_write(out, buf.getvalue())
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
        cells = [fmt_points(s.cells[n].score) if s.submitted and n in s.cells and not s.cells[n].pending else ""
                 for n in names]
        if s.submitted:
            totals = [fmt_points(s.raw_score), fmt_points(s.penalty), fmt_points(s.score), fmt_points(s.max_score),
                      diagnoses(s)]
        else:
            totals = ["", "", "0", fmt_points(s.max_score), ""]
        status = "needs_grading" if s.status == "graded" and s.pending_cells() else s.status
        w.writerow([csv_cell(x) for x in (s.id, s.first_name, s.last_name, s.email)] + [status] + cells
                   + totals[:-1] + [csv_cell(totals[-1])])
    atomic_write(out, buf.getvalue())
    return out
