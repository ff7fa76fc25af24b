"""Grades can live in PostgreSQL: the same grading run, with a postgresql+psycopg:// gradebook."""

import glob
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.grade.batch import Options, grade_class
from autograder.paths import Course
from tests.helpers import put_submission, with_answer

A = "mini"


def _pg_bin():
    found = shutil.which("initdb")
    if found:
        return os.path.dirname(found)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(candidates[-1]) if candidates else None


@pytest.fixture
def postgres():
    """A throwaway PostgreSQL server on a Unix socket, run as an unprivileged user."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (scripts/install-test-deps.sh installs it)")
    user = "nobody"
    # Not under pytest's tmp_path: that is private to root, and the server runs as nobody.
    tmp_path = Path(tempfile.mkdtemp(prefix="la4ml-pg-"))
    data, sock = tmp_path / "pgdata", tmp_path / "pgsock"
    sock.mkdir()
    for d in (tmp_path, sock):
        os.chmod(d, 0o777)
    as_user = ["runuser", "-u", user, "--"] if os.geteuid() == 0 else []
    subprocess.run([*as_user, f"{bindir}/initdb", "-D", str(data), "-U", "grader", "--auth=trust"],
                   check=True, capture_output=True)
    subprocess.run([*as_user, f"{bindir}/pg_ctl", "-D", str(data), "-w", "-l", str(tmp_path / "pg.log"),
                    "-o", f"-k {sock} -c listen_addresses='' -p 54329", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://grader@/postgres?host={sock}&port=54329"
    finally:
        subprocess.run([*as_user, f"{bindir}/pg_ctl", "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_grading_into_a_postgresql_gradebook(mini_copy, tmp_path, postgres):
    course = Course(mini_copy)
    release = json.loads(course.release_notebook(A).read_text())
    sub = tmp_path / "submitted"
    put_submission(sub, "right", A, json.loads(course.solution_notebook(A).read_text()))
    put_submission(sub, "wrong", A, with_answer(release, "dot", "def dot(a, b):\n    return 0.0\n"))
    grade_class(course, A, Options(submitted=sub, db_url=postgres, progress=False), log=lambda *a: None)
    with Gradebook(postgres) as gb:
        assert gb.find_submission(A, "right").score == 2
        assert gb.find_submission(A, "wrong").score == 0
    assert not (mini_copy / "gradebook.db").exists(), "grades went to SQLite instead"
