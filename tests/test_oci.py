"""The container path: `--sandbox oci` under podman grades the reference, the blank and
the core of the adversarial suite with exactly the scores bubblewrap gives.

The image is built offline by scripts/build-oci-image.sh (run by `make test` through
scripts/install-test-deps.sh) from the Debian root filesystem of scripts/debian-rootfs.sh.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.grade.batch import Options, grade_class
from autograder.paths import Course
from autograder.sandbox import Limits
from autograder.sandbox.oci import IMAGE, OciSandbox, find_engine, image_has_venv
from tests import test_adversarial as adv
from tests.helpers import REPO, put_submission, with_answer

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]
A = adv.A
# The attacks that probe what a container must hold: forged results, escapes, reaching
# the host's files or network, killing, and the resource limits.
CORE = ("patch_isclose", "fake_result_files_then_exit", "atexit_fake_outcomes", "symlinked_outcomes",
        "exit_early_wrong", "kill_everything", "kill_parent", "detect_grading", "patch_probe",
        "import_hidden_checks", "read_solution_notebook", "read_other_student",
        "overwrite_checks_and_gradebook", "symlink_escape", "network_fetch_answers",
        "fork_bomb_then_correct", "memory_bomb", "infinite_loop", "fill_the_disk",
        "stdout_flood_then_correct", "sys_exit_but_correct", "huge_return")


def _engine() -> str:
    engine = find_engine()
    if engine is None or not engine.endswith("podman"):
        pytest.skip("podman is not installed or does not answer (scripts/install-podman.sh)")
    if subprocess.run([engine, "image", "exists", IMAGE]).returncode != 0:
        pytest.skip(f"the image {IMAGE} is not built (scripts/build-oci-image.sh)")
    return engine


def test_core_attacks_exist():
    assert set(CORE) <= set(adv.ATTACKS) and len(CORE) >= 20


def test_oci_run_binds_the_host_python(tmp_path):
    engine = _engine()
    assert image_has_venv(engine, IMAGE) is False  # built offline: the venv is bound
    (tmp_path / "main.py").write_text(
        "import os, numpy\nos.write(3, b'p\\n')\nprint('uid', os.getuid(), 'numpy', numpy.__version__)\n"
        "print('root', sorted(os.listdir('/root')))\n"
        "for p in " + repr((str(REPO / "autograder" / "checks"), str(REPO / "pyproject.toml"))) + ":\n"
        "    print('exists', p, os.path.exists(p))\n")
    lines = []
    r = OciSandbox(engine=engine).run([sys.executable, "main.py"], tmp_path, Limits(wall_s=60), slot=2,
                                      on_progress=lines.append)
    assert r.returncode == 0, r.stderr_tail
    assert lines == ["p"]
    assert "uid 61002 numpy" in r.stdout_tail
    assert "True" not in r.stdout_tail  # nothing of the repository but its venv
    # The image's own /root skeleton, plus the host interpreter bound at its path.
    assert "root ['.bashrc', '.profile'" in r.stdout_tail


@pytest.fixture(scope="module")
def graded(mini_course, tmp_path_factory):
    _engine()
    tmp = tmp_path_factory.mktemp("oci")
    course = tmp / "course"
    shutil.copytree(mini_course, course, symlinks=True)
    (course / "gradebook.db").unlink(missing_ok=True)
    sub = tmp / "submitted"
    sentinel = tmp / "host-secret.txt"
    sentinel.write_text("the host's file")
    release = json.loads(Course(course).release_notebook(A).read_text())
    put_submission(sub, "reference", A, json.loads(Course(course).solution_notebook(A).read_text()))
    put_submission(sub, "blank", A, release)
    listener = adv._Listener()
    paths = {"source": str(course / "source" / A / f"{A}.ipynb"), "other": str(sub / "reference" / A / f"{A}.ipynb"),
             "checks": str(REPO / "autograder" / "checks" / "vectors.py"),
             "repo_checks": str(REPO / "autograder" / "checks" / "core.py"),
             "gradebook": str(course / "gradebook.db"), "sentinel": str(sentinel), "port": listener.port}
    for name in CORE:
        nb = with_answer(release, "dot", adv._fill(adv.ATTACKS[name][0], paths))
        if name in adv.LATER_CORRECT:
            nb["cells"].append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                "source": adv.CORRECT})
        put_submission(sub, name, A, nb)
    protected = [REPO / "autograder" / "checks" / "vectors.py", course / "source" / A / f"{A}.ipynb", sentinel]
    before = adv._digest(protected)
    started = time.monotonic()
    results = grade_class(Course(course), A, Options(
        submitted=sub, progress=False, workers=2, sandbox="oci",
        limits=Limits(wall_s=40, cpu_s=40, idle_s=4, memory_mb=2048, processes=32, file_mb=16)),
        log=lambda *a: None)
    elapsed = time.monotonic() - started
    listener.close()
    print(f"\n--sandbox oci: {len(results)} submissions in {elapsed:.1f} s (2 workers)")
    return {"results": {r.student_id: r for r in results}, "before": before, "after": adv._digest(protected),
            "listener": listener}


def test_reference_and_blank(graded):
    ref, blank = graded["results"]["reference"], graded["results"]["blank"]
    assert (ref.score, ref.status) == (2, "graded"), ref.reason
    assert (blank.score, blank.status) == (0, "graded"), blank.reason


@pytest.mark.parametrize("name", CORE)
def test_attack_scores_as_under_bubblewrap(graded, name):
    result = graded["results"][name]
    expected = adv.LATER_CORRECT.get(name, adv.ATTACKS[name][1])
    assert result.score == expected, f"{name}: {result.score} ({result.status}: {result.reason})"
    assert not result.reason.startswith("the grader itself failed")
    if name in adv.STATUS:
        assert result.status == adv.STATUS[name], f"{name}: {result.status} {result.reason}"


def test_host_untouched_and_no_connection(graded):
    assert graded["after"] == graded["before"]
    assert graded["listener"].connections == 0
