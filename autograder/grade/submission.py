"""Find submissions, read them defensively, and rebuild the notebook that gets graded.

The graded notebook is the trusted source notebook with the student's answers put back
in: solution cells (matched by nbgrader grade id) and the student's own extra cells come
from the submission; locked cells, tests and hidden checks always come from the source.
So deleting, moving, retyping or editing protected cells changes nothing but the answers.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat

from autograder.build import notebook
from autograder.text import clean

MAX_NOTEBOOK_BYTES = 100 * 2**20  # outputs are ignored; only a runaway file is refused


class InvalidSubmission(ValueError):
    """The submission cannot be graded; the message says why, for the student and the TA."""


@dataclass
class Submission:
    student_id: str
    path: Path | None  # the notebook file, or None when there is none to grade
    problem: str = ""  # why the submission is invalid, when it is
    note: str = ""  # something the TA should know although it was graded
    submitted_at: datetime | None = None
    # The notebook as grading read it (set by the engine in this process): saving reuses it.
    parsed: object = field(default=None, repr=False, compare=False)

    def sha256(self) -> str:
        if self.path is None or not self.path.is_file():
            return ""
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def discover(submitted: Path, assignment: str, notebook_name: str) -> list[Submission]:
    """Submissions under ``submitted``: ``<student>/<nb>.ipynb`` or nbgrader's
    ``<student>/<assignment>/<nb>.ipynb``."""
    if not submitted.is_dir():
        raise FileNotFoundError(f"{submitted} is not a directory of submissions")
    out = []
    for student_dir in sorted(p for p in submitted.iterdir() if p.is_dir() and not p.name.startswith(".")):
        folder = student_dir / assignment if (student_dir / assignment).is_dir() else student_dir
        # A folder name is the student's text: made valid, printable UTF-8 here, once.
        out.append(_pick_notebook(clean(student_dir.name, 200, oneline=True), folder, notebook_name))
    return out


def _pick_notebook(student_id: str, folder: Path, notebook_name: str) -> Submission:
    submitted_at = _timestamp(folder)
    expected = folder / notebook_name
    if expected.is_file():
        return Submission(student_id, expected, submitted_at=submitted_at)
    found = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    if len(found) == 1:
        return Submission(student_id, found[0], note=f"notebook was named {clean(found[0].name, 200, True)}, "
                                                     f"expected {notebook_name}",
                          submitted_at=submitted_at)
    if not found:
        return Submission(student_id, None, problem=f"no notebook found; expected {notebook_name}")
    names = clean(", ".join(p.name for p in found), 500, oneline=True)
    return Submission(student_id, None, problem=f"{len(found)} notebooks ({names}) and none named {notebook_name}")


def _timestamp(folder: Path) -> datetime | None:
    """nbgrader's ``timestamp.txt``, if the submission has one."""
    path = folder / "timestamp.txt"
    if not path.is_file():
        return None
    text = path.read_text(errors="replace").strip()[:100]
    try:
        return datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        pass
    try:  # nbgrader's own format, "2026-01-10 12:00:00.000000 UTC" (nbgrader submit / collect)
        from nbgrader.utils import parse_utc

        return parse_utc(text)
    except (ValueError, OverflowError, TypeError):
        return None


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Parse a submitted notebook or raise InvalidSubmission with a readable reason."""
    size = path.stat().st_size
    if size == 0:
        raise InvalidSubmission("the notebook file is empty (0 bytes)")
    if size > MAX_NOTEBOOK_BYTES:
        raise InvalidSubmission(f"the notebook is {size / 2**20:.0f} MB; clear its outputs and submit again "
                                f"(limit {MAX_NOTEBOOK_BYTES // 2**20} MB)")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidSubmission(f"the notebook is not UTF-8 text (bad byte at position {exc.start}); "
                                "save it again from Jupyter") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidSubmission(f"the notebook is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                                f"{exc.msg}); it may be truncated or edited by hand") from None
    except RecursionError:
        raise InvalidSubmission("the notebook's JSON is nested far too deeply to be a Jupyter notebook") from None
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        raise InvalidSubmission("the file is JSON but not a Jupyter notebook (no cells)")
    major = data.get("nbformat")
    if major not in (3, 4):
        raise InvalidSubmission(f"unsupported notebook format version {major!r}; expected 4")
    _check_structure(data)
    try:
        nb = nbformat.reads(text, as_version=4)
    except RecursionError:
        raise InvalidSubmission("the notebook's JSON is nested far too deeply to be a Jupyter notebook") from None
    except Exception as exc:  # nbformat raises several types for broken structure
        raise InvalidSubmission(f"the notebook structure is broken: {clean(str(exc), 200, True)}") from None
    _check_structure(nb)
    return nb


MAX_DEPTH = 64  # a notebook is a few levels deep; outputs and metadata add a few more


def _check_structure(data) -> None:
    """Every field the grader reads has the type nbformat says it has; otherwise the
    submission is invalid, with the reason (never a crash of the grader)."""
    _check_depth(data)
    cells = data.get("cells")
    if cells is None and "worksheets" in data:
        return  # nbformat 3: checked again once converted
    if not isinstance(cells, list):
        raise InvalidSubmission("the notebook's \"cells\" is not a list of cells")
    for n, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            raise InvalidSubmission(f"cell {n} is not a JSON object")
        kind = cell.get("cell_type")
        if kind not in ("code", "markdown", "raw"):
            raise InvalidSubmission(f"cell {n} has an unknown cell type {clean(repr(kind), 60, True)}")
        source = cell.get("source", "")
        if not (isinstance(source, str) or isinstance(source, list) and all(isinstance(x, str) for x in source)):
            raise InvalidSubmission(f"cell {n}'s source is a {type(source).__name__}, not text")
        meta = cell.get("metadata", {})
        if not isinstance(meta, dict):
            raise InvalidSubmission(f"cell {n}'s metadata is not a JSON object")
        nbg = meta.get("nbgrader", {})
        if not isinstance(nbg, dict):
            raise InvalidSubmission(f"cell {n}'s nbgrader metadata is not a JSON object")
        for key in ("grade_id",):
            if key in nbg and not isinstance(nbg[key], str):
                raise InvalidSubmission(f"cell {n}'s nbgrader {key} is a {type(nbg[key]).__name__}, not text")
        for key in ("solution", "grade", "locked", "task"):
            if key in nbg and not isinstance(nbg[key], bool):
                raise InvalidSubmission(f"cell {n}'s nbgrader {key} is a {type(nbg[key]).__name__}, not true/false")
        if "id" in cell and not isinstance(cell["id"], str):
            raise InvalidSubmission(f"cell {n}'s id is a {type(cell['id']).__name__}, not text")


def _check_depth(data) -> None:
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidSubmission(f"the notebook's JSON is nested more than {MAX_DEPTH} levels deep; "
                                    "a Jupyter notebook never is")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


@dataclass
class Merged:
    cells: list[dict]  # [{"unit": "cell:<n>", "source": ...}] in execution order
    answers: dict[str, str]  # grade id of a solution cell -> the student's code in it
    extras: str  # the student's own added cells
    notes: list[str] = field(default_factory=list)
    answer_index: dict[str, int] = field(default_factory=dict)  # grade id -> its index in cells
    own: list[int] = field(default_factory=list)  # indices of the cells the student wrote

    def scratch_args(self, grade_id: str) -> tuple[list[str], list[int], list[int]]:
        """What the "from scratch" rule reads for one exercise: every cell that runs, the
        exercise's answer cell, and the student's own cells (see autograder.scratch)."""
        answers = [self.answer_index[grade_id]] if grade_id in self.answer_index else []
        return [c["source"] for c in self.cells], answers, self.own


def merge(source: nbformat.NotebookNode, submitted: nbformat.NotebookNode) -> Merged:
    """The code to execute: source cells with the student's answers put back in."""
    by_id: dict[str, list] = {}
    extras_after: dict[str, list] = {}
    last_known = ""
    source_ids = {notebook.grade_id(c) for c in source.cells if notebook.grade_id(c)}
    source_cell_ids = {notebook.cell_id(i) for i in range(len(source.cells))}
    for cell in submitted.cells:
        gid = notebook.grade_id(cell)
        if gid in source_ids:
            by_id.setdefault(gid, []).append(cell)
            last_known = gid
        elif cell.get("cell_type") == "code" and cell.get("id") in source_cell_ids:
            by_id.setdefault(f"id:{cell['id']}", []).append(cell)
            last_known = f"id:{cell['id']}"
        elif cell.get("cell_type") == "code":
            extras_after.setdefault(last_known, []).append(cell)  # the student's own cell

    notes, cells, answers, extras, own, answer_index = [], [], {}, [], [], {}

    def add(unit, text, student=False):
        if student:
            own.append(len(cells))
        cells.append({"unit": unit, "source": text})
        if student == "extra":
            extras.append(text)

    for extra in extras_after.get("", []):
        add(f"cell:{len(cells)}", extra.source, "extra")
    for index, cell in enumerate(source.cells):
        gid = notebook.grade_id(cell)
        if cell.cell_type != "code" or notebook.is_hidden_check(cell) or notebook.is_public_test(cell):
            key = gid or None  # a text cell without a grade id: the student's cells never follow it
        elif notebook.is_solution(cell):
            mine = by_id.get(gid, [])
            if not mine and by_id.get(f"id:{notebook.cell_id(index)}"):
                mine = by_id[f"id:{notebook.cell_id(index)}"]
                notes.append(f"answer cell {gid} had its nbgrader metadata changed; it was found by its cell id")
            if not mine:
                notes.append(f"answer cell {gid} is missing from the submission")
            else:
                if len(mine) > 1:
                    notes.append(f"answer cell {gid} appears {len(mine)} times; the first copy was graded")
                if mine[0].get("cell_type") != "code":
                    notes.append(f"answer cell {gid} was changed to {clean(mine[0].get('cell_type'), 40, True)}; "
                                 "its text was not run")
                else:
                    answer_index[gid] = len(cells)
                    add(f"cell:{len(cells)}", mine[0].source, "answer")
                    answers[gid] = mine[0].source
            key = gid
        elif notebook.meta(cell).get("locked"):
            add(f"cell:{len(cells)}", cell.source)  # locked: always the source version
            key = gid
        else:
            key = f"id:{notebook.cell_id(index)}"
            mine = by_id.get(key, [])
            text = mine[0].source if mine else cell.source
            add(f"cell:{len(cells)}", text, "extra" if mine else False)
        for extra in extras_after.get(key, []):
            add(f"cell:{len(cells)}", extra.source, "extra")
    return Merged(cells, answers, "\n".join(extras), notes, answer_index, own)

