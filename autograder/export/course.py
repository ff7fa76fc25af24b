"""One assignment's grades for a whole class, as feedback pages, exports and reports read them.

Scores come from the nbgrader gradebook (final score per cell = manual_score if set, else
auto_score, plus extra credit: nbgrader's own ``Grade.score``), so hand grading counts.
The diagnosis of each failed check, and why a submission could not be graded, come from
``grades/<assignment>/<student>/result.json`` (autograder.grade.results).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from autograder.export.safe import student_safe  # noqa: F401 - re-exported
from typing import TYPE_CHECKING

from autograder.grade.results import SubmissionResult, load_results
from autograder.grade.handgrades import PENDING

if TYPE_CHECKING:  # autograder.late imports nbgrader: seconds, so only when needed
    from autograder.late import LateInfo


def add_common_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("assignment", help="assignment id, e.g. 01-vectors")
    parser.add_argument("--course", default=".", help="course root (nbgrader_config.py, gradebook.db, grades/, source/); default: .")
    parser.add_argument("--db-url", default=None, help="gradebook URL; default: sqlite:///<course>/gradebook.db")
    parser.add_argument("--out", default=None, help="output directory")


@dataclass
class CellInfo:
    """A graded cell of the assignment (an nbgrader grade id)."""

    name: str
    notebook: str
    max_score: float
    cell_type: str  # code | markdown
    question: str  # the solution cell it belongs to (its grade id), or its own name


@dataclass
class CellScore:
    name: str
    score: float
    max_score: float
    auto_score: float | None
    manual_score: float | None
    needs_manual_grade: bool

    @property
    def pending(self) -> bool:
        """Waiting for a grader: no score of either kind yet."""
        return self.needs_manual_grade and self.manual_score is None and self.auto_score is None


@dataclass
class StudentRecord:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_user_id: str = ""
    submitted: bool = False
    timestamp: datetime | None = None
    cells: dict[str, CellScore] = field(default_factory=dict)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (cell name, TA comment)
    raw_score: float = 0.0
    penalty: float = 0.0
    max_score: float = 0.0
    late: LateInfo | None = None
    result: SubmissionResult | None = None

    @property
    def score(self) -> float:
        return max(0.0, self.raw_score - self.penalty)

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.id

    @property
    def status(self) -> str:
        if not self.submitted:
            return "missing"
        if self.result is not None:
            return self.result.status
        return "graded"

    def pending_cells(self) -> list[CellScore]:
        """Graded cells still waiting for a grader (no manual and no automatic score)."""
        return [c for c in self.cells.values() if c.pending] if self.submitted else []


@dataclass
class ClassRecord:
    course: Path
    assignment: str
    duedate: datetime | None
    max_score: float
    cells: list[CellInfo]
    students: list[StudentRecord]
    problems: list[str] = field(default_factory=list)
    late_policy: str = ""

    def submitted(self) -> list[StudentRecord]:
        return [s for s in self.students if s.submitted]

    def pending(self) -> list[StudentRecord]:
        """Submitted students with hand grading still to do."""
        return [s for s in self.students if s.pending_cells()]

    def pending_problems(self) -> list[str]:
        """One line per student whose total is not final, for problems.txt."""
        out = []
        for s in self.pending():
            cells = s.pending_cells()
            points = sum(c.max_score for c in cells)
            out.append(f"{s.id}: hand grading pending for {', '.join(c.name for c in cells)} "
                       f"({fmt_points(points)} of {fmt_points(s.max_score)} points); exported with the points "
                       f"graded so far ({fmt_points(s.score)}). Grade it in formgrader, or pass --allow-pending")
        return out

    def student(self, student_id: str) -> StudentRecord:
        for s in self.students:
            if s.id == student_id:
                return s
        raise KeyError(student_id)


def default_db_url(course: Path) -> str:
    return f"sqlite:///{Path(course).resolve() / 'gradebook.db'}"


def create_gradebook(db_path: Path):
    """A new, empty nbgrader gradebook at ``db_path``, as ``Gradebook()`` makes one, but
    reading the schema's alembic head in-process instead of running ``alembic heads``
    (seconds per call here). Returns the open Gradebook."""
    import nbgrader
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from nbgrader import api
    from sqlalchemy import create_engine, text

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(nbgrader.__file__).parent / "alembic"))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    db_path = Path(db_path)
    if db_path.exists():
        raise FileExistsError(db_path)
    engine = create_engine(f"sqlite:///{db_path}")
    api.Base.metadata.create_all(bind=engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head})
    engine.dispose()
    return api.Gradebook(f"sqlite:///{db_path}")


def open_gradebook(course: Path, db_url: str | None = None):
    from nbgrader.api import Gradebook

    url = db_url or default_db_url(course)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        if not path.exists():
            raise SystemExit(f"no gradebook at {path}: run nbgrader generate_assignment and grade first, or pass --db-url")
    return Gradebook(url)


def _source_order(course: Path, assignment: str, notebook: str) -> list[tuple[str, bool, bool]]:
    """(grade_id, is_solution, is_graded) of the nbgrader cells in notebook order, from the
    source notebook if it is there (else the release version); [] when neither is."""
    for folder in ("source", "release"):
        path = course / folder / assignment / f"{notebook}.ipynb"
        if path.exists():
            try:
                nb = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return []
            out = []
            for cell in nb.get("cells", []):
                meta = cell.get("metadata", {}).get("nbgrader", {})
                if meta.get("grade_id"):
                    out.append((meta["grade_id"], bool(meta.get("solution")), bool(meta.get("grade"))))
            return out
    return []


def assignment_title(course: Path, assignment: str) -> str:
    """The assignment's title as the notebook states it: its metadata ``title``, else its
    first markdown heading ("Interview deep-dive"); "" when there is none."""
    for folder in ("source", "release"):
        path = Path(course) / folder / assignment / f"{assignment}.ipynb"
        if not path.exists():
            continue
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ""
        title = nb.get("metadata", {}).get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "markdown":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            for line in source.splitlines():
                m = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
                if m:
                    return re.sub(r"[*_`]", "", m.group(1)).strip()
        return ""
    return ""


def _natural(name: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def _cells(course: Path, assignment) -> list[CellInfo]:
    cells: list[CellInfo] = []
    for notebook in assignment.notebooks:
        known = {c.name: c for c in notebook.grade_cells}
        order = _source_order(course, assignment.name, notebook.name)
        seen = set()
        question = None
        for grade_id, is_solution, is_graded in order:
            if is_solution:
                question = grade_id
            if grade_id in known and grade_id not in seen:
                c = known[grade_id]
                cells.append(CellInfo(c.name, notebook.name, float(c.max_score), c.cell_type, question or c.name))
                seen.add(grade_id)
        for name in sorted(set(known) - seen, key=_natural):  # no source notebook: by name, q2 before q10
            c = known[name]
            cells.append(CellInfo(c.name, notebook.name, float(c.max_score), c.cell_type, c.name))
    return cells


def collect(course: Path | str, assignment: str, db_url: str | None = None, apply_late: bool = True) -> ClassRecord:
    """Read one assignment for every student in the gradebook, and every result.json."""
    from nbgrader.api import MissingEntry

    from autograder.late import apply_late_penalties, load_policy

    course = Path(course)
    results = {r.student_id: r for r in load_results(course / "grades", assignment)}
    problems: list[str] = []
    gb = open_gradebook(course, db_url)
    try:
        try:
            a = gb.find_assignment(assignment)
        except MissingEntry:
            raise SystemExit(f"assignment {assignment!r} is not in the gradebook "
                             f"(known: {', '.join(x.name for x in gb.assignments) or 'none'})")
        late = apply_late_penalties(gb, course, assignment) if apply_late else {}
        policy = load_policy(course) if apply_late else None
        cells = _cells(course, a)
        record = ClassRecord(course, assignment, a.duedate, float(a.max_score or 0.0), cells, [],
                             problems, policy.describe() if policy else "")
        for student in sorted(gb.students, key=lambda s: s.id):
            rec = StudentRecord(student.id, student.first_name or "", student.last_name or "",
                                student.email or "", student.lms_user_id or "", max_score=record.max_score)
            rec.result = results.pop(student.id, None)
            try:
                sub = gb.find_submission(assignment, student.id)
            except MissingEntry:
                if rec.result is not None:
                    problems.append(f"{student.id}: result.json exists but the gradebook has no submission; not exported")
                    rec.result = None
                record.students.append(rec)
                continue
            rec.submitted = True
            rec.timestamp = sub.timestamp
            for nb in sub.notebooks:
                for g in nb.grades:
                    rec.cells[g.name] = CellScore(g.name, float(g.score or 0.0), float(g.max_score or 0.0),
                                                  g.auto_score, g.manual_score, bool(g.needs_manual_grade))
                for c in nb.comments:  # a grader's own words; nbgrader's "No response." is not one
                    text = (c.manual_comment or "").strip()
                    if text:
                        rec.comments.append((c.name, text))
            if rec.result is not None:  # a notebook that could not be read has no answer to wait for
                for q in rec.result.questions:
                    if q.manual and q.status not in ("graded", PENDING) and q.question in rec.cells:
                        rec.cells[q.question].needs_manual_grade = False
            rec.raw_score = float(sub.score or 0.0)
            rec.penalty = float(sub.late_submission_penalty or 0.0)
            rec.late = late.get(student.id)
            if rec.result is None:
                problems.append(f"{student.id}: graded in the gradebook but no result.json (no diagnoses to show)")
            record.students.append(rec)
        for student_id in sorted(results):
            problems.append(f"{student_id}: result.json exists but the student is not in the gradebook; not exported")
        return record
    finally:
        gb.close()


def report_problems(problems: list[str], out: Path | None = None, stream=None) -> None:
    """Say every problem on stderr and, with ``out``, in a file next to the outputs."""
    stream = stream or sys.stderr
    for p in problems:
        print(f"warning: {p}", file=stream)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(p + "\n" for p in problems) if problems else "no problems\n", encoding="utf-8")


def out_dir(args, course: Path, kind: str) -> Path:
    return Path(args.out) if args.out else course / kind / args.assignment


def fmt_points(x: float | None) -> str:
    """A score as LMS imports read it: up to two decimals, no trailing zeros."""
    if x is None:
        return ""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def atomic_write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    if isinstance(data, bytes):
        tmp.write_bytes(data)
    else:
        tmp.write_text(data, encoding="utf-8", newline="")
    os.replace(tmp, path)
