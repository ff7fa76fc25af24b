"""Exports, each checked field by field against its target's import format.

The fabricated course (``build_course``, shared with test_feedback/test_report/test_late):
assignment 01-vectors, due 2026-01-10 17:00 UTC, cells dot_values (3), norm_values (2),
explain_projection (2, markdown, graded by hand); students

- ab123 Ada: on time; norm_values failed; explain 1.5 by hand with a TA comment
- cd456 Carl: 26 h late (2 started days: 20 % penalty); dot_values failed (elementwise)
- ef789 Emmy: 30 h late with a 48 h extension (no penalty); norm wrong value
- gh012 Grace: no submission
- ij345 Ivan: timed out, 0
- kl678 Kurt: graded, but not on the Canvas roster
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from autograder.grade.results import QuestionResult, SubmissionResult

FIXTURES = Path(__file__).parent / "fixtures" / "lms"
ASSIGNMENT = "01-vectors"
DUE = datetime(2026, 1, 10, 17, 0, 0)
HIDDEN_SOURCE = "### BEGIN HIDDEN TESTS\nfrom autograder.checks import vectors\nvectors.check_dot(dot)\n### END HIDDEN TESTS"
REFERENCE_VALUE = "5.123456"

STUDENTS = {
    # id: (first, last, email, submitted_at or None)
    "ab123": ("Ada", "Lovelace", "ada@uni.example", datetime(2026, 1, 10, 12, 0)),
    "cd456": ("Carl", "Gauss", "carl@uni.example", datetime(2026, 1, 11, 19, 0)),
    "ef789": ("Emmy", "Noether", "emmy@uni.example", datetime(2026, 1, 11, 23, 0)),
    "gh012": ("Grace", "Hopper", "grace@uni.example", None),
    "ij345": ("Ivan", "Ivanov", "ivan@uni.example", datetime(2026, 1, 9, 8, 0)),
    "kl678": ("Kurt", "Goedel", "kurt@uni.example", datetime(2026, 1, 9, 9, 0)),
}
CELLS = [("dot_values", 3.0, "code", "dot"), ("norm_values", 2.0, "code", "norm"),
         ("explain_projection", 2.0, "markdown", "explain_projection")]
DOT_ELEMENTWISE = ("dot: you returned the element-wise product a * b; the dot product sums it to one number\n"
                   "  input (two random vectors: a=[ 0.3, -1.2,  0.5], b=[ 1.1,  0.4, -0.7])")
NORM_WRONG = (f"norm: norm(x) is wrong: expected {REFERENCE_VALUE}, received 26.25 "
              "(relative error 6.7e-01, tolerance 1e-08)\n  input (a random vector: x=[3.1, -4.0])")
NORM_SQUARED = ("norm: you returned the squared norm sum(x**2); take its square root\n"
                "  input (a random vector: x=[1.5, 2.0])")
TA_COMMENT = "Good intuition. Say why the residual is orthogonal to the line."

# student: {cell: (auto_score, manual_score, feedback, mistake)}
GRADES = {
    "ab123": {"dot_values": (3, None, "", None), "norm_values": (0, None, NORM_SQUARED, "no_sqrt"),
              "explain_projection": (None, 1.5, "", None)},
    "cd456": {"dot_values": (0, None, DOT_ELEMENTWISE, "elementwise"), "norm_values": (2, None, "", None),
              "explain_projection": (None, 2.0, "", None)},
    "ef789": {"dot_values": (3, None, "", None), "norm_values": (0, None, NORM_WRONG, "wrong_value"),
              "explain_projection": (None, 2.0, "", None)},
    "ij345": {"dot_values": (0, None, "", None), "norm_values": (0, None, "", None),
              "explain_projection": (None, None, "", None)},
    "kl678": {"dot_values": (3, None, "", None), "norm_values": (2, None, "", None),
              "explain_projection": (None, 2.0, "", None)},
}

NBGRADER_CONFIG = """c = get_config()
c.CourseDirectory.course_id = "la4ml"
c.AssignLatePenalties.plugin_class = "autograder.late.LatePenaltyPlugin"
c.LatePenaltyPlugin.penalty_per_day = 0.10
c.LatePenaltyPlugin.max_penalty = 0.50
"""


def _source_notebook() -> dict:
    def cell(kind, source, **nbgrader):
        meta = {"nbgrader": {"schema_version": 3, "locked": False, "solution": False, "grade": False, **nbgrader}}
        c = {"cell_type": kind, "metadata": meta, "source": source}
        if kind == "code":
            c.update(outputs=[], execution_count=None)
        return c

    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Vectors"},
        cell("code", "def dot(a, b):\n    ### BEGIN SOLUTION\n    return float(sum(a * b))\n    ### END SOLUTION",
             solution=True, grade_id="dot"),
        cell("code", '"""dot gives the right values"""\n' + HIDDEN_SOURCE, grade=True, locked=True,
             grade_id="dot_values", points=3),
        cell("code", "def norm(x):\n    ### BEGIN SOLUTION\n    return float((x @ x) ** 0.5)\n    ### END SOLUTION",
             solution=True, grade_id="norm"),
        cell("code", '"""norm"""\n### BEGIN HIDDEN TESTS\nvectors.check_norm(norm)\n### END HIDDEN TESTS',
             grade=True, locked=True, grade_id="norm_values", points=2),
        cell("markdown", "YOUR ANSWER HERE", solution=True, grade=True, grade_id="explain_projection", points=2),
    ]}


_TEMPLATE: dict[bool, Path] = {}


def build_course(root: Path, with_results: bool = True) -> Path:
    """A copy of the fabricated course under ``root`` (built once per test session)."""
    import shutil
    import tempfile

    if with_results not in _TEMPLATE:
        _TEMPLATE[with_results] = _build_course(Path(tempfile.mkdtemp(prefix="la4ml-course-")), with_results)
    course = Path(root) / "course"
    shutil.copytree(_TEMPLATE[with_results], course)
    return course


def _build_course(root: Path, with_results: bool = True) -> Path:
    """A small course: gradebook.db, grades/<a>/<student>/result.json, source/, configs."""
    from autograder.export.course import create_gradebook

    course = root / "course"
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    (course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(_source_notebook()))
    (course / "nbgrader_config.py").write_text(NBGRADER_CONFIG)
    (course / "extensions.csv").write_text("student_id,assignment,extra_hours\nef789,01-vectors,48\n")
    grades_root = course / "grades"
    import warnings

    from sqlalchemy.exc import SAWarning

    with create_gradebook(course / "gradebook.db") as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's add_submission, harmless
        gb.add_assignment(ASSIGNMENT, duedate=DUE)
        gb.add_notebook(ASSIGNMENT, ASSIGNMENT)
        for name, points, kind, solution in CELLS:
            gb.add_grade_cell(name, ASSIGNMENT, ASSIGNMENT, max_score=points, cell_type=kind)
        for solution in ("dot", "norm", "explain_projection"):
            gb.add_solution_cell(solution, ASSIGNMENT, ASSIGNMENT)
        gb.add_source_cell("dot_values", ASSIGNMENT, ASSIGNMENT, cell_type="code", locked=True,
                           source=HIDDEN_SOURCE, checksum="abc")
        for sid, (first, last, email, when) in STUDENTS.items():
            gb.add_student(sid, first_name=first, last_name=last, email=email)
            if when is None:
                continue
            gb.add_submission(ASSIGNMENT, sid, timestamp=when)
            for cell, (auto, manual, _, _) in GRADES[sid].items():
                g = gb.find_grade(cell, ASSIGNMENT, ASSIGNMENT, sid)
                g.auto_score = auto
                g.manual_score = manual
                g.needs_manual_grade = manual is None and auto is None
            if sid == "ab123":
                gb.find_comment("explain_projection", ASSIGNMENT, ASSIGNMENT, sid).manual_comment = TA_COMMENT
            gb.db.commit()
            if not with_results:
                continue
            status = "timeout" if sid == "ij345" else "graded"
            questions = [
                QuestionResult(cell, float(auto or 0.0), points, status=status if kind == "code" else "graded",
                               feedback=GRADES[sid][cell][2], mistake=GRADES[sid][cell][3],
                               checks=[f"vectors.{solution}"] if kind == "code" else [], manual=kind == "markdown")
                for cell, points, kind, solution in CELLS
                for auto in [GRADES[sid][cell][0]]
            ]
            SubmissionResult(sid, ASSIGNMENT, ASSIGNMENT, status,
                             reason="the notebook ran longer than the 60 s limit" if status == "timeout" else "",
                             questions=questions, duration_s=3.4, graded_at="2026-01-12T09:30:00+00:00"
                             ).save(grades_root)
    return course


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def run_export(course: Path, *extra: str) -> subprocess.CompletedProcess:
    """``python -m autograder export`` in this process (nbgrader takes seconds to import)."""
    from contextlib import redirect_stderr, redirect_stdout

    from autograder.export.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["export", ASSIGNMENT, "--course", str(course), *extra])
    return subprocess.CompletedProcess([], code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    course = build_course(tmp_path_factory.mktemp("exports"))
    proc = run_export(course, "--format", "all", "--canvas-roster", str(FIXTURES / "canvas_gradebook_export.csv"))
    assert proc.returncode == 0, proc.stderr
    return course, course / "exports" / ASSIGNMENT, proc


# -- Canvas -------------------------------------------------------------------------------

def test_canvas_header_points_and_rows(exported):
    _, out, _ = exported
    rows = read_csv(out / "canvas.csv")
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "01 Vectors (98765)"]
    assert rows[1] == ["Points Possible", "", "", "", "", "7"]
    body = {r[3]: r for r in rows[2:]}
    # One row per roster student, ids copied from the roster so Canvas matches them.
    assert [r[0] for r in rows[2:]] == ["Lovelace, Ada", "Gauss, Carl", "Noether, Emmy", "Hopper, Grace",
                                        "Ivanov, Ivan", "Roster, Zed", "Student, Test"]
    assert body["ab123"] == ["Lovelace, Ada", "4101", "1000123", "ab123", "LA4ML Section 1", "4.5"]
    # Carl: 0 + 2 + 2 = 4, 26 h late -> 2 started days -> 20 %: 3.2
    assert body["cd456"][5] == "3.2"
    assert body["ef789"][5] == "5"  # late, but within his extension
    assert body["gh012"][5] == "0"  # in the gradebook, nothing submitted
    assert body["ij345"][5] == "0"
    assert body["zz999"][5] == ""  # not in the gradebook: left blank, reported
    assert all(len(r) == 6 for r in rows)


def test_canvas_problems_are_reported_not_dropped(exported):
    _, out, proc = exported
    problems = (out / "problems.txt").read_text()
    assert "kl678 has a graded submission but is not on the Canvas roster" in problems
    assert "zz999" in problems and "not in the gradebook" in problems
    assert "gh012 submitted nothing" in problems
    assert "kl678" in proc.stderr  # said on the terminal too


def test_canvas_duplicate_roster_ids(tmp_path):
    course = build_course(tmp_path)
    lines = (FIXTURES / "canvas_gradebook_export.csv").read_text().splitlines()
    roster = tmp_path / "dup.csv"
    roster.write_text("\n".join(lines + [lines[2].replace("4101", "4111")]) + "\n")  # ab123 twice
    proc = run_export(course, "--format", "canvas", "--canvas-roster", str(roster), "--strict")
    assert proc.returncode == 1  # --strict: problems make the export fail
    rows = read_csv(course / "exports" / ASSIGNMENT / "canvas.csv")
    assert [r[5] for r in rows[2:] if r[3] == "ab123"] == ["", ""]
    assert "duplicate SIS Login ID 'ab123' on roster lines 3 and 10" in proc.stderr


def test_canvas_assignment_id_given_and_missing_roster(tmp_path):
    course = build_course(tmp_path)
    proc = run_export(course, "--format", "canvas", "--canvas-roster", str(FIXTURES / "canvas_gradebook_export.csv"),
                      "--canvas-assignment-id", "555", "--canvas-assignment-name", "Vectors HW")
    assert proc.returncode == 0, proc.stderr
    assert read_csv(course / "exports" / ASSIGNMENT / "canvas.csv")[0][5] == "Vectors HW (555)"
    proc = run_export(course, "--format", "canvas,wide")
    assert "no Canvas gradebook export" in proc.stderr and proc.returncode == 2  # said, and the exit status shows it
    assert (course / "exports" / ASSIGNMENT / "wide.csv").exists()  # the other formats are still written


# -- Moodle -------------------------------------------------------------------------------

def test_moodle_csv_by_id_number(exported):
    _, out, _ = exported
    rows = read_csv(out / "moodle.csv")
    assert rows[0] == ["First name", "Last name", "ID number", "Email address", "01-vectors (Real)"]
    body = {r[2]: r for r in rows[1:]}
    assert set(body) == set(STUDENTS)  # no roster: every gradebook student
    assert body["ab123"] == ["Ada", "Lovelace", "ab123", "ada@uni.example", "4.5"]
    assert body["cd456"][4] == "3.2"
    assert body["gh012"][4] == "0"


def test_moodle_csv_with_roster_by_email(tmp_path):
    course = build_course(tmp_path)
    proc = run_export(course, "--format", "moodle", "--moodle-match", "email",
                      "--moodle-roster", str(FIXTURES / "moodle_roster.csv"), "--moodle-item", "Vectors")
    assert proc.returncode == 0, proc.stderr
    rows = read_csv(course / "exports" / ASSIGNMENT / "moodle.csv")
    assert rows[0][4] == "Vectors (Real)"
    body = {r[3]: r[4] for r in rows[1:]}
    assert body == {"ada@uni.example": "4.5", "carl@uni.example": "3.2", "emmy@uni.example": "5",
                    "grace@uni.example": "0", "ivan@uni.example": "0", "zed@uni.example": "-"}
    assert "kl678 has a graded submission but is not on the Moodle roster" in proc.stderr
    assert "Zed Roster" in proc.stderr


def test_moodle_duplicate_emails_reported(tmp_path):
    from nbgrader.api import Gradebook

    course = build_course(tmp_path)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_student("kl678", email="ada@uni.example")
    proc = run_export(course, "--format", "moodle", "--moodle-match", "email")
    rows = read_csv(course / "exports" / ASSIGNMENT / "moodle.csv")
    assert [r[4] for r in rows[1:] if r[3] == "ada@uni.example"] == ["-", "-"]
    assert "duplicate Email address 'ada@uni.example' for ab123, kl678" in proc.stderr


# -- nbgrader CSV and wide CSV ----------------------------------------------------------------

def test_nbgrader_csv_is_nbgraders_own(exported):
    _, out, _ = exported
    rows = list(csv.DictReader((out / "nbgrader.csv").open()))
    assert list(rows[0]) == ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
                             "email", "raw_score", "late_submission_penalty", "score", "max_score"]
    by = {r["student_id"]: r for r in rows}
    assert set(by) == set(STUDENTS)
    assert float(by["cd456"]["raw_score"]) == 4.0
    assert float(by["cd456"]["late_submission_penalty"]) == pytest.approx(0.8)  # written by our plugin policy
    assert float(by["cd456"]["score"]) == pytest.approx(3.2)
    assert float(by["ab123"]["score"]) == 4.5  # manual grade counts
    assert by["gh012"]["timestamp"] == "" and float(by["gh012"]["score"]) == 0.0
    assert by["ab123"]["duedate"] == "2026-01-10 17:00:00"


def test_wide_csv(exported):
    _, out, _ = exported
    rows = read_csv(out / "wide.csv")
    assert rows[0] == ["student_id", "first_name", "last_name", "email", "status", "dot_values", "norm_values",
                       "explain_projection", "raw_score", "late_penalty", "score", "max_score", "diagnoses"]
    by = {r[0]: r for r in rows[1:]}
    assert by["ab123"][4:-1] == ["graded", "3", "0", "1.5", "4.5", "0", "4.5", "7"]
    assert by["cd456"][4:-1] == ["graded", "0", "2", "2", "4", "0.8", "3.2", "7"]
    assert by["gh012"][4:] == ["missing", "", "", "", "", "", "0", "7", ""]
    assert by["ab123"][-1] == "norm_values:no_sqrt"
    assert by["cd456"][-1] == "dot_values:elementwise"
    assert by["ij345"][4] == "timeout"


# -- Gradescope -------------------------------------------------------------------------------

def test_gradescope_zip_is_written_without_gradebook_structure(exported):
    """The export writes the zip (its contents and the container flow: tests/test_gradescope*.py)."""
    _, out, _ = exported
    with zipfile.ZipFile(out / "gradescope-autograder.zip") as z:
        names = set(z.namelist())
    assert {"setup.sh", "run_autograder", "requirements.txt", f"plan/{ASSIGNMENT}.json"} <= names
    assert not any(n.endswith(".db") or n.startswith("course/source/" + ASSIGNMENT + "/" + ASSIGNMENT) for n in names)


def _drop_student(course: Path, student: str) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.remove_student(student)


def test_canvas_real_export_title_column_test_student_strict(tmp_path):
    """BOM, Integration ID, read-only columns, two sections, Test Student; the column is
    found by the notebook's title ("Vectors"), and --strict passes once nothing is wrong."""
    course = build_course(tmp_path)
    _drop_student(course, "gh012")  # not enrolled: the export then has no real problem left
    roster = str(FIXTURES / "canvas_export_real.csv")
    proc = run_export(course, "--format", "canvas", "--canvas-roster", roster, "--strict", "--allow-pending")
    assert proc.returncode == 0, proc.stderr
    rows = read_csv(course / "exports" / ASSIGNMENT / "canvas.csv")
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Vectors (98765)"]
    body = {r[3]: r for r in rows[2:]}
    assert body["cd456"] == ["Gauss, Carl", "4102", "1000456", "cd456", "LA4ML Section 1 and LA4ML Lab A", "3.2"]
    assert body["kl678"][5] == "7" and body["ab123"][5] == "4.5"
    assert rows[-1] == ["Student, Test", "4199", "", "", "LA4ML Section 1", ""]  # left unchanged in Canvas
    assert "Test" not in (course / "exports" / ASSIGNMENT / "problems.txt").read_text()
    # Without --allow-pending, Ivan's answer nobody graded yet makes --strict fail.
    proc = run_export(course, "--format", "canvas", "--canvas-roster", roster, "--strict")
    assert proc.returncode == 1 and "ij345: hand grading pending" in proc.stderr


def test_canvas_column_by_title_from_metadata_and_unknown(tmp_path):
    from autograder.export.canvas import find_column, read_roster

    roster = read_roster(FIXTURES / "canvas_export_real.csv")
    assert find_column(roster, "interview", title="Interview deep-dive") == ("Interview deep-dive", "98767")
    assert find_column(roster, "interview", title="interview: deep dive!") == ("Interview deep-dive", "98767")
    with pytest.raises(SystemExit, match="no columns named 'pca', 'PCA from scratch'"):
        find_column(roster, "pca", title="PCA from scratch")


def test_moodle_email_match_through_roster_usernames(tmp_path):
    """The gradebook holds no emails; the Moodle roster's Username is the student id."""
    from nbgrader.api import Gradebook

    course = build_course(tmp_path)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for s in gb.students:
            s.email = None
        gb.db.commit()
    proc = run_export(course, "--format", "moodle", "--moodle-match", "email",
                      "--moodle-roster", str(FIXTURES / "moodle_participants_real.csv"))
    assert proc.returncode == 0, proc.stderr
    rows = read_csv(course / "exports" / ASSIGNMENT / "moodle.csv")
    assert {r[3]: r[4] for r in rows[1:]} == {
        "Ada@Uni.example": "4.5", "carl@uni.example": "3.2", "emmy@uni.example": "5", "grace@uni.example": "0",
        "ivan@uni.example": "0", "kurt@uni.example": "7"}
    assert "no Email address" not in proc.stderr and "not in the gradebook" not in proc.stderr


def test_roster_import_fills_emails_then_moodle_matches(tmp_path):
    from nbgrader.api import Gradebook

    from autograder.export.roster import import_roster

    course = build_course(tmp_path)
    db = f"sqlite:///{course / 'gradebook.db'}"
    with Gradebook(db) as gb:
        for s in gb.students:
            s.email = None
        gb.db.commit()
    proc = run_export(course, "--format", "moodle", "--moodle-match", "email")
    assert "no Email address in the gradebook for ab123, cd456" in proc.stderr
    assert "roster import" in proc.stderr  # the message says how to fix it
    added, updated, skipped = import_roster(db, FIXTURES / "moodle_participants_real.csv", "Username")
    assert (added, updated, skipped) == (0, 6, [])
    added, updated, skipped = import_roster(db, FIXTURES / "canvas_export_real.csv")
    assert (added, updated) == (0, 5) and skipped == ["line 8: Canvas's Test Student, not a student"]
    with Gradebook(db) as gb:
        ada = gb.find_student("ab123")
        assert (ada.email, ada.lms_user_id, ada.first_name, ada.last_name) == ("Ada@Uni.example", "4101", "Ada",
                                                                              "Lovelace")
    proc = run_export(course, "--format", "moodle", "--moodle-match", "email")
    rows = read_csv(course / "exports" / ASSIGNMENT / "moodle.csv")
    assert {r[3]: r[4] for r in rows[1:]}["Ada@Uni.example"] == "4.5"
    assert "no Email address" not in proc.stderr


def test_roster_import_command_line(tmp_path):
    course = build_course(tmp_path)
    plain = tmp_path / "plain.csv"
    plain.write_text("student_id,first_name,last_name,email\nzz999,Zed,Roster,zed@uni.example\nab123,,,\n")
    proc = subprocess.run([sys.executable, "-m", "autograder", "roster", "import", str(plain), "--course", str(course)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "1 student(s) updated, 1 added" in proc.stdout
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_student("zz999").email == "zed@uni.example"
        assert gb.find_student("ab123").email == "ada@uni.example"  # a blank cell erases nothing


# -- CSV cells never start a formula ----------------------------------------------------------

FORMULA_ID = "=HYPERLINK(\"http://x.example\",\"a\")"


def test_csv_cells_that_start_a_formula_are_made_text(tmp_path):
    import warnings

    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    from autograder.export.safe import csv_cell
    from autograder.grade.csvout import write_csv

    assert [csv_cell(x) for x in ("=1+1", "+1", "-1", "-1+cmd", "-inf", "@SUM(A1)", "\tx", "ab123", "")] == \
        ["'=1+1", "+1", "-1", "'-1+cmd", "'-inf", "'@SUM(A1)", "'\tx", "ab123", ""]  # a plain number stays one
    course = build_course(tmp_path)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        gb.add_student(FORMULA_ID, first_name="+Eve", last_name="-Mallory", email="@evil.example")
        gb.add_submission(ASSIGNMENT, FORMULA_ID, timestamp=DUE)
    proc = run_export(course, "--format", "moodle,nbgrader,wide", "--allow-pending")
    assert proc.returncode == 0, proc.stderr
    assert f"{FORMULA_ID}: this student id starts with '='" in proc.stderr  # the TA is told to fix it
    out = course / "exports" / ASSIGNMENT
    for name, id_col in (("moodle.csv", 2), ("nbgrader.csv", 3), ("wide.csv", 0)):
        rows = read_csv(out / name)
        ours = [r for r in rows if FORMULA_ID in r[id_col]]
        assert len(ours) == 1, name
        assert ours[0][id_col] == "'" + FORMULA_ID, name
        assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows[1:] for cell in row
                       if not cell.replace(".", "").isdigit()), name
    # Canvas: the roster's own cells, whatever they hold.
    roster = tmp_path / "canvas.csv"
    roster.write_text((FIXTURES / "canvas_gradebook_export.csv").read_text().replace('"Roster, Zed"', "=cmd|'/C calc'!A0"))
    run_export(course, "--format", "canvas", "--canvas-roster", str(roster))
    assert "'=cmd|'/C calc'!A0" in [r[0] for r in read_csv(out / "canvas.csv")]
    # grades.csv: the student id and the feedback (student-originated text).
    result = SubmissionResult("-rm", ASSIGNMENT, ASSIGNMENT, "error", reason="@import failed",
                              questions=[QuestionResult("dot_values", 0.0, 3.0, status="error", feedback="=2*3")])
    write_csv(tmp_path / "grades.csv", [result])
    row = read_csv(tmp_path / "grades.csv")[1]
    assert row[0] == "'-rm" and row[6] == "error: @import failed | =2*3"  # starts with a word: safe
    result.status = "graded"
    result.questions[0].status = "graded"
    write_csv(tmp_path / "grades.csv", [result])
    assert read_csv(tmp_path / "grades.csv")[1][6] == "'=2*3"
