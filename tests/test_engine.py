"""The platform's grader on malformed and altered submissions: each gets a clear status and
reason, the batch goes on, answers are judged by their code and nothing else."""

import csv
import json
import shutil

import pytest

from autograder.grade.batch import Options, grade_class
from autograder.grade.results import load_results
from autograder.paths import Course
from tests.helpers import put_submission, with_answer

A = "mini"
CORRECT = "def dot(a, b):\n    return float(sum(x * y for x, y in zip(a, b)))\n"


def _solution(course):
    return json.loads(Course(course).solution_notebook(A).read_text())


def _release(course):
    return json.loads(Course(course).release_notebook(A).read_text())


def _cells(nb, predicate):
    return [c for c in nb["cells"] if predicate(c.get("metadata", {}).get("nbgrader", {}))]


def _grade(course, submitted, **kw):
    results = grade_class(Course(course), A, Options(submitted=submitted, progress=False, **kw), log=lambda *a: None)
    return {r.student_id: r for r in results}


def _variants(course):
    sol, rel = _solution(course), _release(course)
    v = {}
    v["reference"] = sol
    v["blank"] = rel
    v["answer_in_release"] = with_answer(rel, "dot", CORRECT)

    moved = json.loads(json.dumps(sol))
    answer = _cells(moved, lambda m: m.get("grade_id") == "dot")[0]
    moved["cells"].remove(answer)
    moved["cells"].append(answer)
    v["moved_cell"] = moved

    dup = json.loads(json.dumps(sol))
    dup["cells"].append(json.loads(json.dumps(_cells(dup, lambda m: m.get("grade_id") == "dot")[0])))
    v["duplicated_cell"] = dup

    deleted = json.loads(json.dumps(sol))
    deleted["cells"] = [c for c in deleted["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != "dot"]
    v["deleted_cell"] = deleted

    retyped = json.loads(json.dumps(sol))
    cell = _cells(retyped, lambda m: m.get("grade_id") == "dot")[0]
    cell["cell_type"] = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)
    v["retyped_cell"] = retyped

    tests_edited = with_answer(rel, "dot", "def dot(a, b):\n    return 0.0\n")
    for c in _cells(tests_edited, lambda m: m.get("grade") or m.get("locked")):
        c["source"] = "print('passed: all checks')\n"
    v["edited_test_cells"] = tests_edited

    relabelled = json.loads(json.dumps(sol))
    for c in _cells(relabelled, lambda m: m.get("grade_id") == "dot"):
        c["metadata"]["nbgrader"]["grade_id"] = "my_dot"
        c["metadata"]["nbgrader"]["checksum"] = "0" * 32
    v["altered_metadata"] = relabelled

    helper = with_answer(rel, "dot", "def dot(a, b):\n    return helper(a, b)\n")
    helper["cells"].insert(1, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                               "source": "def helper(a, b):\n    return float(a @ b)\n"})
    v["library_in_own_helper_cell"] = helper

    huge = json.loads(json.dumps(sol))
    code = _cells(huge, lambda m: m.get("grade_id") == "dot")[0]
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * (30 * 2**20)}]
    v["huge_output"] = huge
    return v


EXPECTED = {  # student: (score, status, words in the reason)
    "reference": (2, "graded", ""),
    "blank": (0, "graded", ""),
    "answer_in_release": (2, "graded", ""),
    "moved_cell": (2, "graded", ""),
    "duplicated_cell": (2, "graded", "appears 2 times"),
    "deleted_cell": (0, "graded", "missing"),
    "retyped_cell": (0, "graded", "changed to markdown"),
    "edited_test_cells": (0, "graded", ""),
    "altered_metadata": (2, "graded", "metadata changed"),
    "huge_output": (2, "graded", ""),
    "library_in_own_helper_cell": (0, "graded", ""),  # feedback: see the test below
    "invalid_json": (0, "invalid", "not valid JSON"),
    "empty_file": (0, "invalid", "empty"),
    "nbformat_5": (0, "invalid", "format version 5"),
    "not_a_notebook": (0, "invalid", "not a Jupyter notebook"),
    "non_utf8": (0, "invalid", "not UTF-8"),
    "wrong_name": (2, "graded", "named homework.ipynb"),
    "no_notebook": (0, "invalid", "no notebook found"),
    "two_notebooks": (0, "invalid", "none named mini.ipynb"),
}


@pytest.fixture(scope="module")
def graded(mini_course, tmp_path_factory):
    """The 19 submissions below, graded once for the whole module (tests that change
    anything work on a copy: see ``graded_copy``)."""
    tmp_path = tmp_path_factory.mktemp("engine")
    mini_copy = tmp_path / "course"
    shutil.copytree(mini_course, mini_copy, symlinks=True)
    (mini_copy / "gradebook.db").unlink(missing_ok=True)
    shutil.rmtree(mini_copy / "grades", ignore_errors=True)
    sub = tmp_path / "submitted"
    for student, nb in _variants(mini_copy).items():
        put_submission(sub, student, A, nb)
    put_submission(sub, "invalid_json", A, '{"cells": [ {"cell_type": "code", "sou')
    put_submission(sub, "empty_file", A, "")
    put_submission(sub, "nbformat_5", A, json.dumps({"nbformat": 5, "nbformat_minor": 0, "cells": [], "metadata": {}}))
    put_submission(sub, "not_a_notebook", A, json.dumps({"hello": "world"}))
    put_submission(sub, "non_utf8", A, json.dumps(_solution(mini_copy)).encode().replace(b"dot", b"d\xffot", 1))
    folder = sub / "wrong_name" / A
    folder.mkdir(parents=True)
    (folder / "homework.ipynb").write_text(json.dumps(_solution(mini_copy)))
    (sub / "no_notebook" / A).mkdir(parents=True)
    for name in ("one.ipynb", "two.ipynb"):
        (sub / "two_notebooks").mkdir(exist_ok=True)
        (sub / "two_notebooks" / name).write_text(json.dumps(_solution(mini_copy)))
    csv_path = tmp_path / "grades.csv"
    return mini_copy, sub, _grade(mini_copy, sub, csv=csv_path), csv_path


def test_each_malformed_or_altered_submission_gets_its_score_status_and_reason(graded):
    _course, _sub, results, _csv = graded
    assert set(results) == set(EXPECTED)
    for student, (score, status, words) in EXPECTED.items():
        r = results[student]
        assert (r.score, r.status) == (score, status), f"{student}: {r.score} {r.status} {r.reason}"
        assert words in r.reason, f"{student}: reason {r.reason!r} lacks {words!r}"


def test_the_csv_has_one_row_per_student_and_question_with_the_reason(graded):
    _course, _sub, _results, csv_path = graded
    with open(csv_path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["student_id", "assignment", "question", "score", "max_score", "status", "feedback"]
    assert len(rows) == len(EXPECTED)
    by_student = {r["student_id"]: r for r in rows}
    assert by_student["empty_file"]["status"] == "invalid"
    assert "empty" in by_student["empty_file"]["feedback"]
    assert by_student["reference"]["score"] == "2"


def test_a_second_run_grades_nothing_again_and_keeps_every_grade(graded):
    course, sub, results, _csv = graded
    before = {r.student_id: (r.score, r.graded_at) for r in load_results(Course(course).grades, A)}
    messages = []
    again = grade_class(Course(course), A, Options(submitted=sub, progress=False), log=messages.append)
    assert "0 to grade" in messages[-1]
    assert {r.student_id: (r.score, r.graded_at) for r in again} == before


@pytest.fixture
def graded_copy(graded, tmp_path):
    """A private copy of the graded course and submissions, for a test that changes them."""
    course, sub, results, csv_path = graded
    shutil.copytree(course, tmp_path / "course", symlinks=True)
    shutil.copytree(sub, tmp_path / "submitted", symlinks=True)
    return tmp_path / "course", tmp_path / "submitted", results, csv_path


def test_a_changed_submission_is_graded_again(graded_copy):
    course, sub, results, _csv = graded_copy
    put_submission(sub, "blank", A, with_answer(_release(course), "dot", CORRECT))
    messages = []
    again = {r.student_id: r for r in grade_class(Course(course), A, Options(submitted=sub, progress=False),
                                                  log=messages.append)}
    assert "1 to grade" in messages[-1]
    assert again["blank"].score == 2


def test_the_gradebook_holds_the_same_scores_as_the_results(graded):
    from nbgrader.api import Gradebook

    course, _sub, results, _csv = graded
    with Gradebook(Course(course).db_url) as gb:
        for student, r in results.items():
            assert gb.find_submission(A, student).score == pytest.approx(r.score)


def test_a_library_used_from_scratch_is_named_with_the_points_at_stake(graded):
    _course, _sub, results, _csv = graded
    feedback = results["library_in_own_helper_cell"].questions[0].feedback
    assert "from scratch" in feedback and "worth 2 of the assignment's points" in feedback


def test_a_cell_the_student_added_at_the_top_runs_once():
    """A cell added above every cell of the release runs first, once (it used to run again
    after each text cell of the notebook)."""
    import nbformat

    from autograder.grade.plan import load_plan
    from autograder.grade.submission import merge
    from tests.helpers import REPO

    plan = load_plan(Course(REPO), "01-vectors")
    nb = json.loads((REPO / "release" / "01-vectors" / "01-vectors.ipynb").read_text())
    nb["cells"].insert(1, {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "id": "mine",
                           "source": "import os  # my own cell\n"})
    merged = merge(plan.source, nbformat.reads(json.dumps(nb), as_version=4))
    assert [c["source"] for c in merged.cells].count("import os  # my own cell\n") == 1
    assert merged.cells[0]["source"] == "import os  # my own cell\n" and 0 in merged.own
