"""End to end: the three graders agree. The reference gets full marks and the blank notebook
0 under nbgrader autograde, otter run and the platform's own grader (in its sandbox).

These run notebooks, so they cover the fixture course and one assignment per kind of probe
(a plain call, torch, a layer object, a typed answer), not every assignment: every
assignment's reference and blank notebook are graded in process by test_generated.py."""

import csv
import json
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from nbgrader.api import Gradebook

from autograder.build.release import build_otter, otter_zip
from autograder.checks import load_all
from autograder.grade.plan import load_plan
from autograder.paths import Course
from tests.helpers import REPO, copy_course, put_submission, run, tool_env

# One assignment per probe kind; "mini" is the fixture course (tests/fixtures/course).
BY_PROBE = {"call": "01-vectors", "torch": "17-attention", "layer": "18-lora", "answer": "00-diagnostic",
            "network": "16-neural-networks", "vocab": "14-embeddings"}
# E2E_ASSIGNMENTS=04-vector-spaces,07-eigen adds assignments to one run (a new assignment's author runs it once).
EXTRA = [a for a in os.environ.get("E2E_ASSIGNMENTS", "").split(",") if a]
E2E = ["mini", *BY_PROBE.values(), *EXTRA]
pytestmark = pytest.mark.slow


def test_each_probe_kind_has_its_end_to_end_assignment():
    """The list above stays true: each named assignment uses its probe kind, and every probe
    kind the course uses is covered."""
    registry = load_all()
    course = Course(REPO)
    used = {}
    for assignment in course.assignments():
        for cell in load_plan(course, assignment).cells:
            for call in cell.calls:
                used.setdefault(registry[call.check_id].probe, set()).add(assignment)
    groups = {"call": {"call", "call_unchanged", "call_label"}, "torch": {"call_torch"},
              "layer": {"lora_layer", "lora_merge"}, "answer": {"answer"},
              "network": {"call_params", "call_grads", "train_digits"}, "vocab": {"call_vocab"}}
    for kind, assignment in BY_PROBE.items():
        assert any(assignment in used.get(p, set()) for p in groups[kind]), f"{assignment} has no {kind} probe"
    covered = set().union(*groups.values())
    assert set(used) <= covered, f"probe kinds without an end-to-end assignment: {set(used) - covered}"


@pytest.fixture(scope="session")
def committed_course(tmp_path_factory):
    """A copy of the course's committed trees (test_generated.py proves them fresh)."""
    return copy_course(REPO, tmp_path_factory.mktemp("committed"))


@pytest.fixture(scope="session")
def otter_course(committed_course):
    """The committed course with otter's autograder zip built for the end-to-end
    assignments only (the zip is not committed)."""
    course = Course(committed_course)
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda a: build_otter(course, a), [*BY_PROBE.values(), *EXTRA]))
    return committed_course


def _root(request, fixture, assignment):
    """The fixture course for "mini", else the named course fixture."""
    return request.getfixturevalue("mini_course" if assignment == "mini" else fixture)


def _auto_max(course, assignment):
    """Points that can be earned automatically (manual answers are graded by hand)."""
    return sum(c.points for c in load_plan(course, assignment).cells if not c.manual)


def _class(course_root, assignment, target):
    course = Course(course_root)
    reference = json.loads(course.solution_notebook(assignment).read_text())
    blank = json.loads(course.release_notebook(assignment).read_text())
    for student, nb in (("reference", reference), ("blank", blank)):
        path = put_submission(target, student, assignment, nb)
        for f in course.data_files(assignment):
            shutil.copy(f, path.parent / f.name)
    return course


@pytest.mark.parametrize("assignment", E2E)
def test_nbgrader_autograde_gives_reference_full_marks_and_blank_zero(request, tmp_path, assignment):
    root = copy_course(_root(request, "committed_course", assignment), tmp_path / "c")
    course = _class(root, assignment, root / "submitted")
    run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"], cwd=root)
    run([sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"], cwd=root, timeout=900)
    with Gradebook(course.db_url) as gb:
        ref = gb.find_submission(assignment, "reference")
        blank = gb.find_submission(assignment, "blank")
        auto_max = _auto_max(course, assignment)
        assert auto_max > 0
        assert ref.score == pytest.approx(auto_max)
        assert blank.score == 0


@pytest.mark.parametrize("assignment", E2E)
def test_otter_run_gives_reference_full_marks_and_blank_zero(request, tmp_path, assignment):
    root = _root(request, "otter_course", assignment)
    course = Course(root)
    zip_path = otter_zip(course, assignment)
    auto_max = _auto_max(course, assignment)
    cases = {
        "reference": root / "build" / "otter" / assignment / "dist" / "autograder" / f"{assignment}.ipynb",
        "blank": course.otter_release / assignment / f"{assignment}.ipynb",
    }
    for name, nb in cases.items():
        work = tmp_path / name
        work.mkdir()
        shutil.copy(nb, work / f"{assignment}.ipynb")
        out = work / "out"
        out.mkdir()
        run([sys.executable, "-m", "otter", "run", "-a", str(zip_path), "-o", str(out), f"{assignment}.ipynb"],
            cwd=work, timeout=900)
        results = json.loads((out / "results.json").read_text())
        score = sum(t.get("score", 0) or 0 for t in results["tests"])
        assert score == pytest.approx(auto_max if name == "reference" else 0), results


@pytest.mark.parametrize("assignment", E2E)
def test_platform_grader_gives_reference_full_marks_and_blank_zero(request, tmp_path, assignment):
    root = copy_course(_root(request, "committed_course", assignment), tmp_path / "c")
    course = _class(root, assignment, tmp_path / "submitted")
    out = tmp_path / "grades.csv"
    proc = run([sys.executable, "-m", "autograder", "grade", assignment, "--submitted", str(tmp_path / "submitted"),
                "--csv", str(out), "--course", str(root)], cwd=root, timeout=900)
    scores = {}
    with open(out, newline="") as fh:
        for row in csv.DictReader(fh):
            # An answer graded by hand is blank (status needs_grading) until a grader scores it.
            assert row["score"] or row["status"] == "needs_grading", row
            scores[row["student_id"]] = scores.get(row["student_id"], 0) + float(row["score"] or 0)
    assert scores == {"reference": pytest.approx(_auto_max(course, assignment)), "blank": 0}, \
        proc.stdout[-2000:] + proc.stderr[-2000:]


def test_otter_student_notebook_self_checks_offline(tmp_path):
    """A student's grader.check("...") runs from the tests in the notebook's metadata, with
    no network and no hidden test: on the blank notebook each check reports, none crashes."""
    import nbclient
    import nbformat

    assignment = "01-vectors"
    course = Course(REPO)
    for f in [course.otter_release / assignment / f"{assignment}.ipynb", *course.data_files(assignment)]:
        shutil.copy(f, tmp_path / f.name)
    nb = nbformat.read(str(tmp_path / f"{assignment}.ipynb"), as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    checks = [c for c in nb.cells if c.cell_type == "code" and "grader.check(" in c.source]
    assert len(checks) >= 6
    for cell in checks:
        name = cell.source.split('"')[1]
        text = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)
        assert not [o for o in cell.outputs if o.output_type == "error"], f"grader.check({name!r}) crashed"
        assert f"{name} results" in text
        assert "hidden" not in text.lower()


def test_tests_that_run_the_sandbox_share_one_xdist_worker():
    """Two graders at once would share slot uids: every sandbox user is in one group."""
    from tests.conftest import xdist_group

    for nodeid in ["tests/test_sandbox.py::test_a", "tests/test_warm_sandbox.py::test_b[x]",
                   "tests/test_engine.py::test_c", "tests/test_faults.py::test_d[1]",
                   "tests/test_adversarial.py::test_e", "tests/test_postgres.py::test_f",
                   "tests/test_pipeline.py::test_platform_grader_gives_reference_full_marks_and_blank_zero[mini]"]:
        assert xdist_group(nodeid) == "sandbox", nodeid
    assert xdist_group("tests/test_pipeline.py::test_otter_run_gives_reference_full_marks_and_blank_zero[mini]") \
        == "notebooks"
    alone = "tests/test_catalogues.py::test_correct_variant_passes[vectors.dot-loop]"
    assert xdist_group(alone) == alone


def test_a_scaffolded_assignment_builds_and_grades_reference_full_and_blank_zero(tmp_path):
    """`python -m autograder new` writes an assignment that `build` releases and the
    platform's grader scores: the solution full marks, the untouched release 0."""
    repo = tmp_path / "repo"
    for name in ("autograder", "datasets", "tests"):
        shutil.copytree(REPO / name, repo / name, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "artifacts", "goldens"))
    for name in ("nbgrader_config.py", "requirements.lock", "pyproject.toml"):
        shutil.copy(REPO / name, repo / name)
    a = "99-scaffold-example"
    py = [sys.executable, "-m", "autograder"]
    env = dict(tool_env(), PYTHONPATH=str(repo))  # this copy's package, in the kernels the build starts too
    run(py + ["new", a, "--course", str(repo)], cwd=repo, env=env)
    run(py + ["build", a, "--course", str(repo), "--quiet"], cwd=repo, env=env)
    sub = tmp_path / "submitted"
    put_submission(sub, "ref", a, (repo / "solutions" / a / f"{a}.ipynb").read_text())
    put_submission(sub, "blank", a, (repo / "release" / a / f"{a}.ipynb").read_text())
    run(py + ["grade", a, "--course", str(repo), "--submitted", str(sub), "--csv", str(tmp_path / "g.csv"),
              "--sandbox", "none", "--quiet"], cwd=repo, env=env)
    scores = {}
    for row in csv.DictReader((tmp_path / "g.csv").open(newline="")):
        got, top = scores.get(row["student_id"], (0.0, 0.0))
        scores[row["student_id"]] = (got + float(row["score"] or 0), top + float(row["max_score"]))
    assert scores["ref"][0] == scores["ref"][1] > 0, scores
    assert scores["blank"][0] == 0, scores
