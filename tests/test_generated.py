"""Generated trees are fresh, match their goldens, and carry no solution or hidden test."""

import json
import re

import pytest

from autograder.build import notebook
from autograder.paths import Course
from tests.goldens import GOLDENS, summary
from tests.helpers import REPO

pytestmark = pytest.mark.slow
REPO_COURSE = Course(REPO)
ASSIGNMENTS = REPO_COURSE.assignments()
SECRET_MARKERS = ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
                  "autograder.checks", "from autograder"]
HIDDEN_CALL = re.compile(r"\b\w+\.check_(?!all\()\w+\(")  # vectors.check_dot(...), not grader.check_all()


def _files(root, tree):
    base = root / tree
    return {p.relative_to(base).as_posix(): p for p in base.rglob("*") if p.is_file()}


@pytest.mark.parametrize("tree", ["release", "release-otter"])
def test_student_trees_are_exactly_what_the_source_builds(built_course, tree):
    built, committed = _files(built_course, tree), _files(REPO, tree)
    assert sorted(built) == sorted(committed), f"{tree}/ is stale: run `make release`"
    for name, path in built.items():
        assert path.read_bytes() == committed[name].read_bytes(), f"{tree}/{name} is stale: run `make release`"


def _comparable(nb):
    """A solution notebook without what legitimately varies: image bytes."""
    cells = []
    for cell in nb.cells:
        outputs = []
        for out in cell.get("outputs", []):
            data = {k: v for k, v in out.get("data", {}).items() if not k.startswith("image/")}
            outputs.append({"type": out.output_type, "text": out.get("text", ""), "data": data})
        cells.append({"type": cell.cell_type, "source": cell.source, "outputs": outputs})
    return cells


def test_solutions_are_fresh_and_ran_without_errors(built_course):
    built, committed = _files(built_course, "solutions"), _files(REPO, "solutions")
    assert sorted(built) == sorted(committed), "solutions/ is stale: run `make release`"
    for name, path in built.items():
        if not name.endswith(".ipynb"):
            continue
        nb = notebook.read(path)
        assert _comparable(nb) == _comparable(notebook.read(committed[name])), f"solutions/{name} is stale"
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.execution_count is not None, f"{name}: a cell did not run"
                assert not [o for o in cell.outputs if o.output_type == "error"], f"{name}: a cell raised"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_generated_files_match_their_goldens(built_course, assignment):
    golden = GOLDENS / f"{assignment}.json"
    assert golden.exists(), f"no golden for {assignment}: run `make goldens`"
    expected = json.loads(golden.read_text())
    assert json.loads(json.dumps(summary(Course(built_course), assignment), sort_keys=True)) == expected, \
        "the build changed: review the difference, then run `make goldens`"


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
