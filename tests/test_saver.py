"""A class is saved by a helper process (gradebook rows, the autograded copy, result.json)
exactly as the grader saves a few submissions itself; a helper that dies, or a copy that
cannot be made, loses no grade."""

import json
import os
import shutil
import signal

from nbgrader.api import Gradebook

from autograder.grade import autograded, saver
from autograder.grade.batch import Options, grade_class
from autograder.paths import Course
from tests.helpers import put_submission, with_answer

A = "mini"
CORRECT = "def dot(a, b):\n    return float(sum(x * y for x, y in zip(a, b)))\n"
WRONG = "def dot(a, b):\n    return 0.0\n"
N = 6


def _class(course: Course, sub):
    shutil.rmtree(course.root / "autograded", ignore_errors=True)  # only this class's copies
    release = json.loads(course.release_notebook(A).read_text())
    expected = {}
    for n in range(N):
        good = n % 2 == 0
        put_submission(sub, f"s{n}", A, with_answer(release, "dot", CORRECT if good else WRONG))
        expected[f"s{n}"] = 2.0 if good else 0.0
    return expected


def _saved(course: Course):
    with Gradebook(course.db_url) as gb:
        book = {s.student.id: s.score for s in gb.find_assignment(A).submissions}
    copies = {p.parent.parent.name for p in (course.root / "autograded").glob(f"*/{A}/{A}.ipynb")}
    files = {p.parent.name: sum(q["score"] for q in json.loads(p.read_text())["questions"])
             for p in (course.grades / A).glob("*/result.json")}
    return book, copies, files


def _grade(course, sub):
    return {r.student_id: r.score for r in grade_class(course, A, Options(submitted=sub, progress=False),
                                                       log=lambda *a: None)}


def test_a_helper_process_saves_what_the_grader_would(mini_copy, tmp_path, monkeypatch):
    course = Course(mini_copy)
    expected = _class(course, tmp_path / "sub")
    started = []
    real_init = saver.ProcessSaver.__init__

    def counted(self):
        real_init(self)
        started.append(self.proc.pid)

    monkeypatch.setattr(saver, "PROCESS_FROM", 1)
    monkeypatch.setattr(saver.ProcessSaver, "__init__", counted)
    assert _grade(course, tmp_path / "sub") == expected
    assert len(started) == 1 and started[0] != os.getpid()
    assert _saved(course) == (expected, set(expected), expected)


def test_a_helper_that_dies_loses_nothing(mini_copy, tmp_path, monkeypatch, capfd):
    course = Course(mini_copy)
    expected = _class(course, tmp_path / "sub")
    monkeypatch.setattr(saver, "PROCESS_FROM", 1)
    real_save = saver.ProcessSaver.save
    calls = []

    def kill_after_first(self, *args):
        calls.append(1)
        if len(calls) == 2:  # the helper saved one submission, then dies
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        return real_save(self, *args)

    monkeypatch.setattr(saver.ProcessSaver, "save", kill_after_first)
    assert _grade(course, tmp_path / "sub") == expected
    assert _saved(course) == (expected, set(expected), expected)
    assert "the saving process ended" in capfd.readouterr().err


def test_a_copy_that_fails_keeps_the_grade(mini_copy, tmp_path, monkeypatch, capfd):
    course = Course(mini_copy)
    expected = _class(course, tmp_path / "sub")
    real_copy = autograded.autograded_copy

    def half_then_fail(gb, db_url, plan, submission, result):
        real_copy(gb, db_url, plan, submission, result)  # its gradebook changes are undone
        if submission.student_id == "s2":
            raise RuntimeError("disk full")
        return real_copy(gb, db_url, plan, submission, result)

    monkeypatch.setattr(autograded, "autograded_copy", half_then_fail)
    assert _grade(course, tmp_path / "sub") == expected
    book, copies, files = _saved(course)
    assert book == files == expected
    assert copies == set(expected) - {"s2"}
    assert "s2: formgrader copy not written (RuntimeError: disk full)" in capfd.readouterr().err
