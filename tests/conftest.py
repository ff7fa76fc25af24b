import os

# One BLAS/torch thread per process: tests run beside sandboxed submissions on 2 cores,
# and competing thread pools made checks 10-40x slower under load.
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("MPLBACKEND", "Agg")

import shutil
import sys
from pathlib import Path

import pytest

from tests.helpers import MINI, copy_course, run

# Under pytest-xdist (`-n 2 --dist loadgroup`), tests that run submissions in the sandbox
# share one worker: two graders at once would use the same slot uids, and a slot's
# clean-up kills every process of its uid. A module is in that group if it is marked
# `sandbox` or calls the grader; the rest spread over the workers.
SANDBOX_USERS = ("grade_class", "autograder.sandbox", '"grade",')


def _runs_the_grader(path: Path, cache={}) -> bool:
    if path not in cache:
        try:
            text = path.read_text()
        except OSError:
            text = ""
        cache[path] = any(word in text for word in SANDBOX_USERS)
    return cache[path]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("xdist_group"):
            continue
        if item.get_closest_marker("sandbox") or _runs_the_grader(Path(item.fspath)):
            item.add_marker(pytest.mark.xdist_group("sandbox"))


@pytest.fixture(scope="session")
def mini_course(tmp_path_factory):
    """A one-question course (tests/fixtures/course), built: fast to grade."""
    root = copy_course(MINI, tmp_path_factory.mktemp("mini"), generated=False)
    run([sys.executable, "-m", "autograder", "build", "--course", str(root), "--quiet"], cwd=root)
    return root


@pytest.fixture
def mini_copy(mini_course, tmp_path):
    """A private copy of the built mini course, for tests that write grades."""
    dest = tmp_path / "course"
    shutil.copytree(mini_course, dest, symlinks=True)
    (dest / "gradebook.db").unlink(missing_ok=True)
    shutil.rmtree(dest / "grades", ignore_errors=True)
    return dest
