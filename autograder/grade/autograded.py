"""Write nbgrader's ``autograded/<student>/<assignment>/<notebook>.ipynb`` for a graded
submission, so formgrader's Manual Grading lists it and shows what the checks decided.

The copy is what ``nbgrader autograde`` would leave with this course's configuration:
the student's answers, locked and graded cells restored from the gradebook, each graded
cell's output the trusted verdict, and after each free-response answer the rubric points
for that question (a grader-only cell that feedback removes). nbgrader's ``SaveAutoGrades``
then reads it, so the gradebook's flags (answers waiting for a grader, "No response.")
are nbgrader's own.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import traceback
import uuid
from functools import lru_cache
from pathlib import Path

from autograder.build import notebook
from autograder.grade.plan import Plan
from autograder.grade.results import SubmissionResult
from autograder.grade.submission import InvalidSubmission, read_notebook
from autograder.nbgrader_ext.verdicts import add_rubric, put_verdicts


def autograded_path(root: Path, assignment: str, student_id: str, notebook: str) -> Path:
    return Path(root) / "autograded" / student_id / assignment / notebook


def autograded_copy(gb, db_url: str, plan: Plan, submission, result: SubmissionResult):
    """The grader's copy of one graded submission, made in the open gradebook session
    ``gb`` (whose rows nbgrader's SaveAutoGrades updates from it); None when the
    submission has no readable notebook."""
    from nbgrader.preprocessors import ClearOutput, DeduplicateIds

    if submission.path is None:
        return None
    nb = submission.parsed
    if nb is None:
        try:
            nb = read_notebook(submission.path)
        except InvalidSubmission:
            return None
    stem = plan.notebook.removesuffix(".ipynb")
    resources = {"nbgrader": {"notebook": stem, "assignment": plan.assignment, "student": result.student_id,
                              "db_url": db_url}}
    overwrite_kernelspec, overwrite_cells, check_metadata, save_autogrades = preprocessors_on_session()
    for step in (ClearOutput(), DeduplicateIds(), overwrite_kernelspec(gb), overwrite_cells(gb), check_metadata()):
        nb, resources = step.preprocess(nb, resources)
    restore_graded_cells(nb, plan.source)
    put_verdicts(nb, result.questions)
    nb, resources = save_autogrades(gb).preprocess(nb, resources)
    add_rubric(nb)
    return nb


def write_copy(root: Path, plan: Plan, result: SubmissionResult, nb) -> Path:
    path = autograded_path(root, plan.assignment, result.student_id, plan.notebook)
    _write(nb, path)
    return path


@lru_cache(maxsize=1)
def preprocessors_on_session():
    """nbgrader's OverwriteKernelspec, OverwriteCells and SaveAutoGrades, each working on
    an open gradebook session (nbgrader's open a new Gradebook, with its schema checks, each
    time), and CheckCellMetadata remembering the cell metadata it has found valid (nbgrader's
    checks the schema itself again for every cell); what they do to the notebook and the
    gradebook is nbgrader's own code."""
    from nbgrader.nbgraderformat import MetadataValidator, ValidationError
    from nbgrader.preprocessors import CheckCellMetadata, OverwriteCells, OverwriteKernelspec, SaveAutoGrades

    valid: set[tuple[str, str]] = set()  # (cell type, nbgrader metadata) found valid

    class Validator(MetadataValidator):
        def validate_cell(self, cell):
            meta = cell.metadata.get("nbgrader")
            key = (cell.cell_type, json.dumps(meta, sort_keys=True)) if isinstance(meta, dict) else None
            if key is not None and key in valid:
                return  # the verdict depends on nothing else
            super().validate_cell(cell)
            if key is not None and len(valid) < 100_000:
                valid.add(key)

    class Metadata(CheckCellMetadata):
        def preprocess(self, nb, resources):
            try:
                Validator().validate_nb(nb)
            except ValidationError:
                self.log.error(traceback.format_exc())
                msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
                self.log.error(msg)
                raise ValidationError(msg) from None
            return nb, resources

    def with_gradebook(cls):
        def __init__(self, gradebook, **kwargs):
            cls.__init__(self, **kwargs)
            self.open_gradebook = gradebook
        return __init__

    class Kernelspec(OverwriteKernelspec):
        __init__ = with_gradebook(OverwriteKernelspec)

        def preprocess(self, nb, resources):
            info = resources["nbgrader"]
            kernelspec = self.open_gradebook.find_notebook(info["notebook"], info["assignment"]).kernelspec
            if kernelspec is not None:
                kernelspec = json.loads(kernelspec)
            if kernelspec:
                nb.metadata["kernelspec"] = kernelspec
            return nb, resources

    class Cells(OverwriteCells):
        __init__ = with_gradebook(OverwriteCells)

        def preprocess(self, nb, resources):
            self.notebook_id = resources["nbgrader"]["notebook"]
            self.assignment_id = resources["nbgrader"]["assignment"]
            self.db_url = resources["nbgrader"]["db_url"]
            self.gradebook = self.open_gradebook
            nb, resources = super(OverwriteCells, self).preprocess(nb, resources)
            if self.add_missing_cells:
                nb, resources = self.add_missing_grade_cells(nb, resources)
                nb, resources = self.add_missing_task_cells(nb, resources)
            return nb, resources

    class AutoGrades(SaveAutoGrades):
        __init__ = with_gradebook(SaveAutoGrades)

        def preprocess(self, nb, resources):
            self.notebook_id = resources["nbgrader"]["notebook"]
            self.assignment_id = resources["nbgrader"]["assignment"]
            self.student_id = resources["nbgrader"]["student"]
            self.db_url = resources["nbgrader"]["db_url"]
            self.gradebook = self.open_gradebook
            return super(SaveAutoGrades, self).preprocess(nb, resources)

    return Kernelspec, Cells, Metadata, AutoGrades


def restore_graded_cells(nb, source) -> list[str]:
    """Put back graded cells the student deleted (nbgrader only overwrites the ones left),
    each after the cell that precedes it in the source, so the grader sees every verdict.
    A deleted free-response answer comes back saying so. Returns the restored grade ids."""
    present = {notebook.grade_id(c) for c in nb.cells if notebook.grade_id(c)}
    restored = []
    for index, src in enumerate(source.cells):
        gid = notebook.grade_id(src)
        if not gid or gid in present or not notebook.meta(src).get("grade"):
            continue
        cell = copy.deepcopy(src)
        cell["id"] = uuid.uuid4().hex[:12]
        if notebook.is_manual(cell):
            cell.source = "(This answer cell was missing from the submission.)"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        before = [notebook.grade_id(c) for c in source.cells[:index] if notebook.grade_id(c)]
        at = next((k + 1 for gid_before in reversed(before) for k, c in enumerate(nb.cells)
                   if notebook.grade_id(c) == gid_before), 0)
        nb.cells.insert(at, cell)
        present.add(gid)
        restored.append(gid)
    return restored


def _write(nb, path: Path) -> None:
    """Write then rename (nbgrader leaves its copies read-only; a rename replaces them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(notebook_json(nb))
    os.replace(tmp, path)


def notebook_json(nb) -> str:
    """What ``nbformat.writes`` gives for a version 4 notebook, from a notebook that is
    ours to change: no deep copy first, and no schema check (whose only effect is a log
    line about a student's notebook, which was checked when it was read)."""
    from nbformat.v4.nbjson import BytesEncoder
    from nbformat.v4.rwbase import split_lines, strip_transient

    return json.dumps(strip_transient(split_lines(nb)), cls=BytesEncoder, indent=1, sort_keys=True,
                      separators=(",", ": "), ensure_ascii=False)
