"""nbgrader's own CSV (through nbgrader's CsvExportPlugin) and a wide CSV.

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


def export_nbgrader_csv(course: Path, assignment: str, out: Path, db_url: str | None = None) -> Path:
    from nbgrader.plugins import CsvExportPlugin

    out.parent.mkdir(parents=True, exist_ok=True)
    gb = open_gradebook(course, db_url)
    try:
        CsvExportPlugin(to=str(out), assignment=[assignment]).export(gb)
    finally:
        gb.close()
    _make_cells_safe(out, TEXT_COLUMNS)
    return out


# nbgrader CSV columns that hold text from people (ids, names, emails), not numbers or dates.
TEXT_COLUMNS = ("assignment", "student_id", "last_name", "first_name", "email")


def _make_cells_safe(path: Path, columns) -> None:
    """Rewrite a CSV so no text cell starts a spreadsheet formula."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        return
    wanted = {i for i, name in enumerate(rows[0]) if name in columns}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(rows[0])
    for row in rows[1:]:
        w.writerow([csv_cell(v) if i in wanted else v for i, v in enumerate(row)])
    atomic_write(path, buf.getvalue())


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
