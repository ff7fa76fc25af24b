"""Record grades in the nbgrader gradebook (SQLite by default, any SQLAlchemy URL).

We use nbgrader's own API and preprocessors so formgrader, manual grading and nbgrader's
exports see exactly what ``nbgrader autograde`` would have written.
"""

from __future__ import annotations

import copy
import warnings

from sqlalchemy.exc import SAWarning

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, ClearSolutions, ComputeChecksums, LockCells, SaveCells

from autograder.grade.plan import Plan
from autograder.grade.results import SubmissionResult


def ensure_assignment(db_url: str, plan: Plan) -> None:
    """Make sure the assignment and its cells are in the gradebook, as nbgrader's
    generate_assignment records them (it may not have run on this machine)."""
    stem = plan.notebook.removesuffix(".ipynb")
    with Gradebook(db_url) as gb:
        gb.update_or_create_assignment(plan.assignment)
        try:
            known = gb.find_notebook(stem, plan.assignment)
            if {c.name for c in known.grade_cells} == {c.grade_id for c in plan.cells}:
                return
        except MissingEntry:
            pass
    resources = {"nbgrader": {"notebook": stem, "assignment": plan.assignment, "db_url": db_url}, "language": "python"}
    nb = copy.deepcopy(plan.source)
    for step in (LockCells(), ClearSolutions(), ClearOutput(), CheckCellMetadata(), ComputeChecksums(), SaveCells()):
        nb, resources = step.preprocess(nb, resources)


def record(db_url: str, plan: Plan, result: SubmissionResult, submitted_at=None) -> None:
    """Set the automatic scores of one submission; manual scores are never touched."""
    stem = plan.notebook.removesuffix(".ipynb")
    with Gradebook(db_url) as gb, warnings.catch_warnings():
        # nbgrader's own update_or_create_submission triggers a harmless SQLAlchemy warning.
        warnings.simplefilter("ignore", SAWarning)
        gb.update_or_create_student(result.student_id)
        kwargs = {"timestamp": submitted_at} if submitted_at else {}
        gb.update_or_create_submission(plan.assignment, result.student_id, **kwargs)
        for q in result.questions:
            if q.manual:
                continue
            grade = gb.find_grade(q.question, stem, plan.assignment, result.student_id)
            grade.auto_score = q.score
            grade.needs_manual_grade = False
        gb.db.commit()


def final_scores(db_url: str, plan: Plan, student_id: str) -> dict[str, float | None]:
    """grade id -> score as nbgrader counts it (manual score if set, else automatic)."""
    stem = plan.notebook.removesuffix(".ipynb")
    out = {}
    with Gradebook(db_url) as gb:
        for cell in plan.cells:
            try:
                grade = gb.find_grade(cell.grade_id, stem, plan.assignment, student_id)
            except MissingEntry:
                out[cell.grade_id] = None
                continue
            out[cell.grade_id] = grade.score if (grade.manual_score is not None or grade.auto_score is not None) else None
    return out



def auto_scores(db_url: str, assignment: str) -> dict[str, dict[str, float | None]]:
    """student -> grade id -> the automatic score this gradebook holds for ``assignment``."""
    out: dict[str, dict[str, float | None]] = {}
    with Gradebook(db_url) as gb:
        try:
            submissions = gb.find_assignment(assignment).submissions
        except MissingEntry:
            return out
        for sub in submissions:
            scores = out.setdefault(sub.student.id, {})
            for nb in sub.notebooks:
                for grade in nb.grades:
                    scores[grade.name] = grade.auto_score
    return out
