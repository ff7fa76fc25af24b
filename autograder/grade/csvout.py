"""The long grades CSV: one row per student and question.

A question waiting for hand grading has status ``needs_grading`` and a blank score (see
autograder.grade.handgrades). Text cells are written so a spreadsheet never runs them as a
formula (autograder.export.safe.csv_cell).
"""

from __future__ import annotations

import csv
from pathlib import Path

from autograder.export.safe import csv_cell
from autograder.grade.handgrades import PENDING
from autograder.grade.results import SubmissionResult

COLUMNS = ["student_id", "assignment", "question", "score", "max_score", "status", "feedback"]


def rows(result: SubmissionResult):
    for q in result.questions:
        pending = q.status == PENDING
        status = q.status if result.status == "graded" or q.status != "graded" else result.status
        feedback = q.feedback
        if result.status != "graded" and result.reason:
            feedback = f"{result.status}: {result.reason}" + (f" | {q.feedback}" if q.feedback != result.reason else "")
        yield {"student_id": csv_cell(result.student_id), "assignment": csv_cell(result.assignment),
               "question": csv_cell(q.question), "score": "" if pending else f"{q.score:g}",
               "max_score": f"{q.max_score:g}", "status": status, "feedback": csv_cell(feedback)}


def write_csv(path: Path, results: list[SubmissionResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for result in sorted(results, key=lambda r: r.student_id):
            writer.writerows(rows(result))
