"""Per assignment, in this process (cost grows with checks, not with notebook executions):
the plan loads, the reference passes every check and the blank notebook scores 0, every
check called has its catalogues, the generated trees are fresh and match their goldens,
and no solution or hidden test reaches students.

Freshness is cheap when ``manifests/<id>.json`` matches the current inputs: the committed
files are compared with the hashes it recorded. Only an assignment whose inputs changed is
rebuilt (in a private copy), and its fresh build compared with the committed trees."""

import importlib
import json
import pkgutil
import re
import sys
import warnings

import pytest

import tests.catalogues as catalogues
from autograder.build import manifest, notebook
from autograder.grade.plan import load_plan
from autograder.paths import Course
from tests.goldens import GOLDENS
from tests.helpers import GENERATED, REPO, copy_course, grade_in_process, run

REPO_COURSE = Course(REPO)
ASSIGNMENTS = REPO_COURSE.assignments()
SECRET_MARKERS = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
                  "autograder.checks", "from autograder"]
HIDDEN_CALL = re.compile(r"\b\w+\.check_(?!all\()\w+\(")  # vectors.check_dot(...), not grader.check_all()


def _auto_max(plan):
    return sum(c.points for c in plan.cells if not c.manual)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reference_passes_every_check_and_blank_scores_zero(assignment, tmp_path):
    plan = load_plan(REPO_COURSE, assignment)
    assert plan.cells, f"{assignment}: no graded cell"
    reference = notebook.read(REPO_COURSE.solution_notebook(assignment))
    blank = notebook.read(REPO_COURSE.release_notebook(assignment))
    ref = grade_in_process(REPO_COURSE, assignment, reference, tmp_path / "reference")
    assert ref.pop("public tests") == [], f"{assignment}: a public test fails on the reference"
    assert ref == {c.grade_id: c.points for c in plan.cells if not c.manual}
    assert sum(ref.values()) == _auto_max(plan)
    zero = grade_in_process(REPO_COURSE, assignment, blank, tmp_path / "blank")
    zero.pop("public tests")
    assert zero == {c.grade_id: 0.0 for c in plan.cells if not c.manual}


def _catalogued():
    correct, mistakes = set(), set()
    for info in pkgutil.iter_modules(catalogues.__path__):
        module = importlib.import_module(f"tests.catalogues.{info.name}")
        correct |= set(getattr(module, "CORRECT", {}))
        mistakes |= set(getattr(module, "MISTAKES", {}))
    return correct, mistakes


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_check_called_has_both_catalogues(assignment):
    called = {k.check_id for c in load_plan(REPO_COURSE, assignment).cells for k in c.calls}
    correct, mistakes = _catalogued()
    assert called - correct == set(), f"{assignment}: checks without correct variants"
    assert called - mistakes == set(), f"{assignment}: checks without catalogued mistakes"


# -- freshness -----------------------------------------------------------------------


class Rebuilds:
    """Fresh builds of the assignments whose inputs changed, in one private course copy."""

    def __init__(self, root):
        self.root, self.done = root, set()

    def course(self, assignment) -> Course:
        if assignment not in self.done:
            run([sys.executable, "-m", "autograder", "build", assignment, "--course", str(self.root), "--force",
                 "--quiet", "--jobs", "1"], cwd=self.root, timeout=1800)
            self.done.add(assignment)
        return Course(self.root)


@pytest.fixture(scope="session")
def rebuilds(tmp_path_factory):
    return Rebuilds(copy_course(REPO, tmp_path_factory.mktemp("rebuild"), generated=False))


def _stale(assignment):
    why = manifest.why_stale(REPO_COURSE, assignment)
    if why:
        warnings.warn(f"{assignment} is rebuilt to test its freshness because {why}; "
                      "`make release` records its build and makes this test cheap again", stacklevel=2)
    return why


@pytest.mark.slow  # only when an assignment is stale
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_generated_trees_are_fresh(assignment, rebuilds):
    doc = manifest.load(REPO_COURSE, assignment)
    if doc is not None and not _stale(assignment):
        assert manifest.outputs(REPO_COURSE, assignment) == doc["outputs"]
        return
    built = manifest.outputs(rebuilds.course(assignment), assignment)
    committed = manifest.outputs(REPO_COURSE, assignment)
    assert sorted(built) == sorted(committed), f"{assignment}: files differ: run `make release`"
    stale = [name for name in built if built[name] != committed[name]]
    assert not stale, f"{assignment}: {stale} are stale: run `make release`"


@pytest.mark.slow  # only when an assignment is stale
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_generated_files_match_their_goldens(assignment, rebuilds):
    golden = GOLDENS / f"{assignment}.json"
    assert golden.exists(), f"no golden for {assignment}: run `make goldens`"
    doc = manifest.load(REPO_COURSE, assignment)
    if doc is not None and not _stale(assignment):
        got = manifest.sha256(golden.read_bytes())
        assert got == doc["summary_sha256"], \
            f"{assignment}: the build changed: review `python -m tests.goldens diff {assignment}`, then run `make goldens`"
        return
    expected = json.loads(golden.read_text())
    fresh = json.loads(manifest.golden_text(manifest.summary(rebuilds.course(assignment), assignment)))
    assert fresh == expected, "the build changed: review the difference, then run `make goldens`"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solutions_ran_without_errors(assignment):
    nb = notebook.read(REPO_COURSE.solution_notebook(assignment))
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None, f"{assignment}: a cell did not run"
            assert not [o for o in cell.outputs if o.output_type == "error"], f"{assignment}: a cell raised"


def test_every_generated_folder_belongs_to_an_assignment():
    for tree in GENERATED:
        folder = REPO / tree
        names = {p.stem if tree == "manifests" else p.name for p in folder.iterdir()} if folder.exists() else set()
        assert names <= set(ASSIGNMENTS), f"{tree}/ holds {sorted(names - set(ASSIGNMENTS))}: no source for them"


def test_a_changed_input_makes_an_assignment_stale(tmp_path):
    """Proves the cheap path can fail: editing a check the assignment calls, its source or
    a generated file makes it stale; editing an unrelated check does not."""
    root = copy_course(REPO, tmp_path / "c")
    course = Course(root)
    a, other = "01-vectors", "17-attention"
    assert manifest.why_stale(course, a) is None, "the committed trees are not fresh: run `make release`"
    doc = manifest.load(course, a)
    fake = dict(doc, inputs={**doc["inputs"], "autograder/checks/vectors.py": "0" * 64})
    manifest.manifest_path(course, a).write_text(json.dumps(fake))
    assert "autograder/checks/vectors.py" in manifest.why_stale(course, a)
    assert "autograder/checks/attention.py" not in doc["inputs"]
    assert "autograder/checks/_kit/check.py" in doc["inputs"]  # the shared kit counts
    manifest.manifest_path(course, a).write_text(json.dumps(doc))
    path = course.release_notebook(a)
    path.write_text(path.read_text().replace("cosine", "cosinus", 1))
    assert f"release/{a}/{a}.ipynb" in manifest.why_stale(course, a)
    assert manifest.why_stale(course, other) is None


# -- leaks ---------------------------------------------------------------------------


def _readable(nb: dict) -> str:
    """A notebook's text as a person reads it: sources, text outputs, metadata strings."""
    parts = ["".join(c.get("source", "")) for c in nb["cells"]]
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            parts.append("".join(out.get("data", {}).get("text/plain", "")))
    parts.append(json.dumps(nb.get("metadata", {}), ensure_ascii=False).encode().decode("unicode_escape"))
    return "\n".join(parts)


def _solution_lines(source_nb):
    """Distinctive lines of solution code: not found anywhere outside solution regions
    (a prompt may legitimately quote a line, e.g. `self.scaling = alpha / r`)."""
    inside, outside = set(), []
    for cell in source_nb.cells:
        regions = re.findall(r"### BEGIN SOLUTION(.*?)### END SOLUTION", cell.source, flags=re.S)
        rest = re.sub(r"### BEGIN SOLUTION.*?### END SOLUTION", "", cell.source, flags=re.S)
        if notebook.is_manual(cell):
            regions.append(cell.source)
            rest = ""
        for region in regions:
            inside |= {line.strip() for line in region.splitlines() if len(line.strip()) >= 20}
        outside.append(rest)
    outside_text = "\n".join(outside)
    return {line for line in inside if line not in outside_text}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
@pytest.mark.parametrize("tree", ["release", "release-otter"])
def test_no_solution_or_hidden_test_reaches_students(assignment, tree):
    path = REPO / tree / assignment / f"{assignment}.ipynb"
    text = path.read_text()
    for marker in SECRET_MARKERS:
        assert marker not in text, f"{tree}/{assignment}: {marker!r} leaked"
    assert not HIDDEN_CALL.search(text), f"{tree}/{assignment}: a hidden check call leaked"
    readable = _readable(json.loads(text))
    leaked = [line for line in _solution_lines(notebook.read(REPO_COURSE.source_notebook(assignment)))
              if line in readable]
    assert not leaked, f"{tree}/{assignment}: solution lines leaked: {leaked[:3]}"
    nb = json.loads(text)
    for test in nb.get("metadata", {}).get("otter", {}).get("tests", {}).values():
        assert "hidden=True" not in test, f"{tree}/{assignment}: a hidden otter test leaked"


def test_the_leak_detector_finds_solutions_where_they_are():
    """Proves the leak test can fail: the executed solutions do contain solution lines."""
    found = 0
    for assignment in ASSIGNMENTS:
        text = _readable(json.loads((REPO / "solutions" / assignment / f"{assignment}.ipynb").read_text()))
        lines = _solution_lines(notebook.read(REPO_COURSE.source_notebook(assignment)))
        found += sum(line in text for line in lines)
    assert found >= 20


def test_release_rebuilds_only_what_changed(mini_course, tmp_path, monkeypatch):
    """`make release` on the built fixture course: nothing to do; after an edit of the
    source, that assignment only; with --force, everything."""
    import shutil

    from autograder.build import schedule

    root = tmp_path / "mini"
    shutil.copytree(mini_course, root, symlinks=True)
    course = Course(root)
    built = []
    monkeypatch.setattr(schedule, "build_one", lambda course, assignment, otter=True: built.append(assignment))
    quiet = {"log": lambda *a: None, "progress": False}
    assert manifest.why_stale(course, "mini") is None
    assert schedule.build(course, **quiet) == [] and built == []
    path = course.source_notebook("mini")
    nb = notebook.read(path)
    prompt = next(c for c in nb.cells if c.cell_type == "markdown")
    prompt.source += "\n\nShow your working."
    notebook.write(nb, path)
    assert "source/mini/mini.ipynb" in manifest.why_stale(course, "mini")
    assert schedule.build(course, **quiet) == ["mini"] and built == ["mini"]
    assert schedule.build(course, force=True, **quiet) == ["mini"] and built == ["mini", "mini"]


def test_every_written_answer_has_one_rubric_that_never_reaches_students():
    from autograder.nbgrader_ext.verdicts import rubric_sections

    rubric = rubric_sections()  # raises if two rubric files name one grade id
    manual = {}
    for assignment in ASSIGNMENTS:
        source_nb = notebook.read(REPO / "source" / assignment / f"{assignment}.ipynb")
        manual.update({notebook.grade_id(c): assignment for c in source_nb.cells if notebook.is_manual(c)})
    assert sorted(set(manual) - set(rubric)) == [], "free-response cells without a rubric section"
    assert sorted(set(rubric) - set(manual)) == [], "rubric sections naming no free-response cell"
    for gid, assignment in manual.items():
        lines = [line.strip() for line in rubric[gid].splitlines() if len(line.strip()) >= 25]
        for tree in ("release", "release-otter"):
            text = (REPO / tree / assignment / f"{assignment}.ipynb").read_text()
            assert not [line for line in lines if line in text], (tree, gid)
