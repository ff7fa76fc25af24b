"""A grader killed at any moment loses nothing: the same command finishes the job, keeps
every grade already made, and counts nobody twice."""

import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from nbgrader.api import Gradebook

from autograder.paths import Course
from tests.helpers import put_submission, tool_env, with_answer

pytestmark = pytest.mark.sandbox
A = "mini"
SLOW_CORRECT = "import time\ntime.sleep(0.7)\ndef dot(a, b):\n    return float(sum(x * y for x, y in zip(a, b)))\n"
SLOW_WRONG = "import time\ntime.sleep(0.7)\ndef dot(a, b):\n    return 0.0\n"
N = 12


def _grade_cmd(course, sub, out):
    return [sys.executable, "-m", "autograder", "grade", A, "--submitted", str(sub), "--csv", str(out),
            "--course", str(course), "--quiet", "--workers", "2"]


def _results(course):
    return {p.parent.name: json.loads(p.read_text()) for p in (Course(course).grades / A).glob("*/result.json")}


def _kill_when_graded(proc, course, k: int, timeout: float = 300) -> None:
    """SIGKILL the grader as soon as the k-th result.json has been written (the grades
    folder is watched, so the kill lands at the same point of the job under any load)."""
    folder = Course(course).grades / A
    deadline = time.monotonic() + timeout
    while len(list(folder.glob("*/result.json"))) < k:
        if proc.poll() is not None:
            raise AssertionError(f"the grader ended (exit {proc.returncode}) before its {k}th result")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"no {k}th result within {timeout:.0f} s")
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def _savers(grader_pid: int) -> list[int]:
    """Helper saving processes of that grader still running."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
        except OSError:
            continue
        if b"autograder.grade.saver" in cmd and str(grader_pid).encode() in cmd:
            found.append(int(pid))
    return found


# (kill at the k-th result, saving submissions from n of them in a helper process)
@pytest.mark.parametrize("kill_at,helper_from", [(1, 40), (N // 2, 40), (N // 2, 1)])
def test_sigkill_then_rerun_grades_everyone_exactly_once(mini_copy, tmp_path, kill_at, helper_from):
    release = json.loads(Course(mini_copy).release_notebook(A).read_text())
    sub = tmp_path / "submitted"
    expected = {}
    for n in range(N):
        good = n % 3 != 0
        put_submission(sub, f"s{n:02d}", A, with_answer(release, "dot", SLOW_CORRECT if good else SLOW_WRONG))
        expected[f"s{n:02d}"] = 2.0 if good else 0.0
    out = tmp_path / "grades.csv"

    env = {**tool_env(), "AUTOGRADER_SAVE_PROCESS_FROM": str(helper_from)}
    proc = subprocess.Popen(_grade_cmd(mini_copy, sub, out), cwd=mini_copy, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _kill_when_graded(proc, mini_copy, kill_at)
    deadline = time.monotonic() + 5
    while _savers(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _savers(proc.pid), "the saving process outlived the killed grader"
    first = _results(mini_copy)
    assert kill_at <= len(first) < N, "the grader finished before it was killed: the test proves nothing"

    done = subprocess.run(_grade_cmd(mini_copy, sub, out), cwd=mini_copy, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"{len(first)} already graded, {N - len(first)} to grade" in done.stdout
    final = _results(mini_copy)
    assert {s: r["graded_at"] for s, r in final.items() if s in first} == {s: r["graded_at"] for s, r in first.items()}
    assert {s: sum(q["score"] for q in r["questions"]) for s, r in final.items()} == expected

    with open(out, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["student_id"] for r in rows) == sorted(expected)
    with Gradebook(Course(mini_copy).db_url) as gb:
        subs = gb.find_assignment(A).submissions
        assert sorted(s.student.id for s in subs) == sorted(expected)
        assert {s.student.id: s.score for s in subs} == expected


def test_regrading_one_question_keeps_manual_grades(mini_copy, tmp_path):
    release = json.loads(Course(mini_copy).release_notebook(A).read_text())
    sub = tmp_path / "submitted"
    put_submission(sub, "amy", A, with_answer(release, "dot", SLOW_WRONG))
    cmd = _grade_cmd(mini_copy, sub, tmp_path / "g.csv")
    subprocess.run(cmd, cwd=mini_copy, env=tool_env(), check=True, capture_output=True, timeout=300)
    with Gradebook(Course(mini_copy).db_url) as gb:
        grade = gb.find_grade("dot_values", A, A, "amy")
        grade.manual_score = 1.5  # a TA's override in formgrader
        gb.db.commit()
    put_submission(sub, "amy", A, with_answer(release, "dot", SLOW_CORRECT))
    subprocess.run(cmd + ["--student", "amy", "--question", "dot_values"], cwd=mini_copy, env=tool_env(),
                   check=True, capture_output=True, timeout=300)
    with Gradebook(Course(mini_copy).db_url) as gb:
        grade = gb.find_grade("dot_values", A, A, "amy")
        assert grade.auto_score == 2
        assert grade.manual_score == 1.5
