"""The long grades CSV: one row per student and question."""

from __future__ import annotations

import csv
from pathlib import Path

from autograder.grade.results import SubmissionResult

COLUMNS = ["student_id", "assignment", "question", "score", "max_score", "status", "feedback"]


def rows(result: SubmissionResult):
    for q in result.questions:
        status = q.status if result.status == "graded" or q.status != "graded" else result.status
        feedback = q.feedback
        if result.status != "graded" and result.reason:
            feedback = f"{result.status}: {result.reason}" + (f" | {q.feedback}" if q.feedback != result.reason else "")
        yield {"student_id": result.student_id, "assignment": result.assignment, "question": q.question,
               "score": f"{q.score:g}", "max_score": f"{q.max_score:g}", "status": status, "feedback": feedback}


def write_csv(path: Path, results: list[SubmissionResult]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for result in sorted(results, key=lambda r: r.student_id):
            writer.writerows(rows(result))
