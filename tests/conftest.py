import os

# One BLAS/torch thread per process: tests run beside sandboxed submissions on 2 cores,
# and competing thread pools made checks 10-40x slower under load.
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
os.environ.setdefault("MPLBACKEND", "Agg")
# Commands the tests start (`python -m autograder ...`, nbgrader, Jupyter) import this
# checkout's package, not whichever checkout the virtualenv's editable install points to.
_CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_CHECKOUT, os.environ.get("PYTHONPATH", "")) if p)

import shutil
import sys
from pathlib import Path

import pytest

from tests.helpers import MINI, copy_course, run

# Under pytest-xdist (`-n 2 --dist loadgroup`), tests of one group run on one worker.
# "sandbox": every test that runs submissions in the sandbox (a slot's clean-up kills every
# process of its uid, and a Gradescope container's student uid and slot uids are the
# host's): a module that calls the grader or runs a Gradescope container, and the
# platform-grader tests of test_pipeline.py. "notebooks":
# the nbgrader and otter end-to-end tests, which share one build of otter's zips.
# "freshness": the freshness tests, which share the rebuild of a stale assignment. Other
# tests spread over the workers one by one. (pytest 9 ignores pytest-xdist 3.8's
# xdist_group marks, so the groups are given to the scheduler here, by test name.)
SANDBOX_USERS = ("grade_class", "autograder.sandbox", '"grade",', "pytest.mark.sandbox", "gradescope_container")
GROUPS = {
    "tests/test_pipeline.py::test_platform_grader": "sandbox",
    "tests/test_pipeline.py::": "notebooks",
    "tests/test_generated.py::test_generated_trees_are_fresh": "freshness",
    "tests/test_generated.py::test_generated_files_match_their_goldens": "freshness",
}
TESTS = Path(__file__).resolve().parent


def _runs_the_grader(module: str, cache={}) -> bool:
    if module not in cache:
        try:
            text = (TESTS.parent / module).read_text()
        except OSError:
            text = ""
        cache[module] = any(word in text for word in SANDBOX_USERS)
    return cache[module]


def xdist_group(nodeid: str) -> str:
    for prefix, group in GROUPS.items():
        if nodeid.startswith(prefix):
            return group
    module = nodeid.split("::", 1)[0]
    return "sandbox" if _runs_the_grader(module) else nodeid


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            return xdist_group(nodeid)

    return ByGroup(config, log)


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
