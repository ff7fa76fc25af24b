"""Malformed and hostile input never loses a student: each gets a status, a reason, a CSV row
and a gradebook entry; student text is made safe once; a result is reused only by the
gradebook that holds it and the checks that judged it; a grader failure is retried once,
and one left over makes `grade` fail naming the student."""

import argparse
import ast
import csv
import json
import os
import threading

import pytest

from autograder.grade import batch
from autograder.grade.batch import GRADER_FAILED, Options, grade_class
from autograder.paths import Course
from autograder.text import clean
from tests.helpers import put_submission, with_answer

A = "mini"
CORRECT = "def dot(a, b):\n    return float(sum(x * y for x, y in zip(a, b)))\n"
ESC = "\x1b[2J\x1b[H"


def _release(course):
    return json.loads(Course(course).release_notebook(A).read_text())


def _solution(course):
    return json.loads(Course(course).solution_notebook(A).read_text())


def _answer_cell(nb):
    return next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "dot")


def _variants(course):
    v = {}
    nb = _solution(course)
    _answer_cell(nb)["metadata"]["nbgrader"]["grade_id"] = ["dot"]
    v["grade_id_is_a_list"] = nb
    nb = _solution(course)
    _answer_cell(nb)["source"] = {"code": CORRECT}
    v["source_is_an_object"] = nb
    nb = _solution(course)
    _answer_cell(nb)["metadata"]["nbgrader"] = "dot"
    v["nbgrader_metadata_is_text"] = nb
    nb = _solution(course)
    nb["cells"].append(["not", "a", "cell"])
    v["cell_is_a_list"] = nb
    deep = "[" * 100_000 + "]" * 100_000
    v["json_nested_100k_deep"] = '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": %s}' % deep
    # Writes a fake unit on the progress pipe, then ends the process: the fake is ignored.
    v["fake_progress_unit"] = with_answer(_release(course), "dot", (
        "import os\nfd = int(os.environ.get('AUTOGRADER_PROGRESS_FD', '3'))\n"
        "os.write(fd, b'unit cell:x\\nunit check:nothing@here\\n')\nos._exit(3)\n"))
    v["surrogate_in_error"] = with_answer(_release(course), "dot",
                                          "def dot(a, b):\n    raise ValueError('bad \\udc80 byte" + "\\x1b[2J')\n")
    v["escape_codes_in_class_name"] = with_answer(_release(course), "dot", (
        f"E = type({ESC!r}, (Exception,), {{}})\ndef dot(a, b):\n    raise E({ESC!r})\n"))
    return v


EXPECTED = {  # student: (score, status, words in the reason)
    "grade_id_is_a_list": (0, "invalid", "grade_id is a list"),
    "source_is_an_object": (0, "invalid", "source is a dict"),
    "nbgrader_metadata_is_text": (0, "invalid", "nbgrader metadata is not a JSON object"),
    "cell_is_a_list": (0, "invalid", "is not a JSON object"),
    "json_nested_100k_deep": (0, "invalid", "nested"),
    "fake_progress_unit": (0, "error", "code cell 2 ended the grading process (exit code 3)"),
    "surrogate_in_error": (0, "graded", ""),
    "escape_codes_in_class_name": (0, "graded", ""),
    "bad\udcffname": (2, "graded", ""),  # a folder name that is not UTF-8: the id is cleaned
}


@pytest.fixture(scope="module")
def graded(mini_course, tmp_path_factory):
    import shutil

    tmp = tmp_path_factory.mktemp("malformed")
    course = tmp / "course"
    shutil.copytree(mini_course, course, symlinks=True)
    (course / "gradebook.db").unlink(missing_ok=True)
    sub = tmp / "submitted"
    for student, nb in _variants(course).items():
        put_submission(sub, student, A, nb)
    put_submission(sub, os.fsdecode(b"bad\xffname"), A, _solution(course))
    csv_path = tmp / "grades.csv"
    results = grade_class(Course(course), A, Options(submitted=sub, progress=False, workers=2, csv=csv_path),
                          log=lambda *a: None)
    return course, sub, {r.student_id: r for r in results}, csv_path


def test_each_case_gets_its_exact_score_status_and_reason(graded):
    _course, _sub, results, _csv = graded
    expected = {clean(k): v for k, v in EXPECTED.items()}
    assert set(results) == set(expected)
    for student, (score, status, words) in expected.items():
        r = results[student]
        assert (r.score, r.status) == (score, status), f"{student!r}: {r.score} {r.status} {r.reason}"
        assert words in r.reason, f"{student!r}: {r.reason!r} lacks {words!r}"
        assert not r.reason.startswith(GRADER_FAILED)


def test_every_student_has_a_clean_csv_row_and_a_gradebook_entry(graded):
    from nbgrader.api import Gradebook

    course, _sub, results, csv_path = graded
    raw = csv_path.read_bytes()
    raw.decode("utf-8")  # valid UTF-8 throughout
    assert b"\x1b" not in raw
    with open(csv_path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["student_id"] for r in rows) == sorted(results)
    with Gradebook(Course(course).db_url) as gb:
        for student, r in results.items():
            assert gb.find_submission(A, student).score == pytest.approx(r.score)


def test_student_text_is_cleaned_once_where_it_enters():
    assert clean("a\udc80b") == "a\ufffdb"
    assert clean("x" + ESC + "y") == "x\ufffd[2J\ufffd[Hy"
    assert clean("right\u202eleft") == "right\ufffdleft"
    assert clean("two\nlines", oneline=True) == "two lines"
    assert clean("x" * 50, 10) == "xxxxxxx..."
    clean("\ud800").encode("utf-8")


def test_feedback_of_hostile_text_is_printable(graded):
    _course, _sub, results, _csv = graded
    for student in ("surrogate_in_error", "escape_codes_in_class_name"):
        feedback = results[student].questions[0].feedback
        feedback.encode("utf-8")
        assert "\x1b" not in feedback, feedback


def test_a_new_gradebook_regrades_everyone(graded, tmp_path):
    course, sub, results, _csv = graded
    url = f"sqlite:///{tmp_path / 'new.db'}"
    messages = []
    again = grade_class(Course(course), A, Options(submitted=sub, progress=False, db_url=url), log=messages.append)
    assert f"{len(results)} to grade" in messages[-1]
    from nbgrader.api import Gradebook

    with Gradebook(url) as gb:
        assert len(gb.find_assignment(A).submissions) == len(results) == len(again)


def test_a_changed_check_regrades(graded, monkeypatch):
    course, sub, results, _csv = graded
    messages = []
    grade_class(Course(course), A, Options(submitted=sub, progress=False), log=messages.append)
    assert "0 to grade" in messages[-1]
    monkeypatch.setattr(batch, "checks_version", lambda: "another version")
    grade_class(Course(course), A, Options(submitted=sub, progress=False, students=("bad\ufffdname",)),
                log=messages.append)
    messages.clear()
    grade_class(Course(course), A, Options(submitted=sub, progress=False), log=messages.append)
    assert f"{len(results) - 1} to grade" in messages[-1]


def test_a_grader_failure_is_retried_once_and_a_lasting_one_fails_the_command(mini_copy, tmp_path, monkeypatch,
                                                                                capsys):
    from autograder.grade import cli

    sub = tmp_path / "submitted"
    for name in ("steady", "flaky", "broken"):
        put_submission(sub, name, A, _solution(mini_copy))
    real = batch.grade_submission
    calls = {"flaky": 0}

    def sometimes(course, plan, submission, *args, **kwargs):
        if submission.student_id == "broken":
            raise SystemError("AST constructor recursion depth mismatch (before=1, after=2)")
        if submission.student_id == "flaky":
            calls["flaky"] += 1
            if calls["flaky"] == 1:
                raise SystemError("a passing fault")
        return real(course, plan, submission, *args, **kwargs)

    monkeypatch.setattr(batch, "grade_submission", sometimes)
    csv_path = tmp_path / "grades.csv"
    args = argparse.Namespace(course=str(mini_copy), assignment=A, submitted=sub, csv=csv_path, db_url=None,
                              sandbox="auto", workers=2, scheduler=None, student=[], question=None, force=False,
                              quiet=True, timeout=120.0, cell_timeout=60.0, memory_mb=2048)
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert "broken" in err and "flaky" not in err.split("error:")[-1]
    with open(csv_path, newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert set(rows) == {"steady", "flaky", "broken"}
    assert (rows["flaky"]["score"], rows["flaky"]["status"]) == ("2", "graded")
    assert rows["broken"]["status"] == "error" and GRADER_FAILED in rows["broken"]["feedback"]
    assert calls["flaky"] == 2


def test_ast_is_safe_across_grading_threads():
    import autograder.grade.engine  # noqa: F401 - installs the serialisation
    import numpy as np

    code = "x = " + "(" * 80 + "1" + ")" * 80 + "\n" + "\n".join(f"def f{i}(a):\n    return [a, {{'k': a}}]" for i in range(40))
    errors = []

    def work():
        try:
            for _ in range(60):
                ast.parse(code)
                ast.literal_eval("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }")
                np.lib.format.read_array_header_1_0
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
