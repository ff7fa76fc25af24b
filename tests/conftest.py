import os

# One BLAS/torch thread per process: tests run beside sandboxed submissions on 2 cores,
# and competing thread pools made checks 10-40x slower under load.
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import shutil
import sys

import pytest

from tests.helpers import MINI, REPO, copy_course, run


@pytest.fixture(scope="session")
def built_course(tmp_path_factory):
    """The whole course rebuilt from source/ in a private directory (release, otter, solutions)."""
    root = copy_course(REPO, tmp_path_factory.mktemp("course"), generated=False)
    run([sys.executable, "-m", "autograder", "build", "--course", str(root)], cwd=root, timeout=1800)
    return root


@pytest.fixture(scope="session")
def mini_course(tmp_path_factory):
    """A one-question course (tests/fixtures/course), built: fast to grade."""
    root = copy_course(MINI, tmp_path_factory.mktemp("mini"), generated=False)
    run([sys.executable, "-m", "autograder", "build", "--course", str(root)], cwd=root)
    return root


@pytest.fixture
def mini_copy(mini_course, tmp_path):
    """A private copy of the built mini course, for tests that write grades."""
    dest = tmp_path / "course"
    shutil.copytree(mini_course, dest, symlinks=True)
    (dest / "gradebook.db").unlink(missing_ok=True)
    shutil.rmtree(dest / "grades", ignore_errors=True)
    return dest

