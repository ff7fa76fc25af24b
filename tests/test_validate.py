"""`nbgrader validate` tells the truth about a released notebook.

Released hidden-check cells re-run the public checks of the functions they grade, silently:
a blank or failing notebook fails Validate naming each unanswered or failing function, and
a notebook that passes every public check is told that the hidden checks run at grading.
Before, those cells held only a docstring, so the untouched release "passed all the tests"
and nbgrader warned 14 times that the docstring "cannot be converted to a float".
"""

import json
import re
import shutil
import sys

import nbformat
import pytest
from nbconvert.preprocessors import ExecutePreprocessor

from autograder.build import notebook
from autograder.grade.plan import check_calls
from autograder.nbgrader_ext.validate import PASSED
from tests.helpers import REPO, copy_course, run

ASSIGNMENT = "01-vectors"
NBGRADER_SUCCESS = "Success! Your notebook passes all the tests."
TARGETS = ["dot", "norm", "cosine_similarity", "nearest_neighbours", "standardise", "recommend"]


def _solved(only: list[str] | None = None) -> dict:
    """The release with the source's solutions put in (only those named, if given)."""
    source = {notebook.grade_id(c): c.source for c in notebook.read(REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").cells}
    nb = json.loads((REPO / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        meta = cell["metadata"]["nbgrader"] if gid else {}
        if gid and meta.get("solution") and cell["cell_type"] == "code" and (only is None or gid in only):
            cell["source"] = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", "", source[gid], flags=re.M)
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return copy_course(REPO, tmp_path_factory.mktemp("validate"))


def _validate(course, tmp_path, nb: dict, name: str) -> str:
    folder = tmp_path / name
    shutil.copytree(course / "release" / ASSIGNMENT, folder)
    (folder / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(nb))
    # Run from the course directory, as a TA (or a hub with the course's configuration) does.
    proc = run([sys.executable, "-m", "nbgrader", "validate", str(folder / f"{ASSIGNMENT}.ipynb")],
               cwd=course, check=False, timeout=600)
    return proc.stdout + proc.stderr


def test_untouched_release_fails_naming_every_function(course, tmp_path):
    out = _validate(course, tmp_path, json.loads((course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()),
                    "blank")
    assert "VALIDATION FAILED" in out and NBGRADER_SUCCESS not in out and PASSED.strip() not in out
    for target in TARGETS:
        assert f"AssertionError: `{target}` is not answered yet" in out, target
    assert "cannot be converted to a float" not in out


def test_one_answer_of_seven_still_fails_naming_the_rest(course, tmp_path):
    out = _validate(course, tmp_path, _solved(only=["dot"]), "one")
    assert "VALIDATION FAILED" in out
    assert "AssertionError: `dot` is not answered yet" not in out
    for target in TARGETS[1:]:
        assert f"AssertionError: `{target}` is not answered yet" in out, target


def test_a_failing_public_check_is_named(course, tmp_path):
    nb = _solved()
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "dot":
            cell["source"] = "def dot(a, b):\n    return -float(sum(x * y for x, y in zip(a, b)))\n"
    out = _validate(course, tmp_path, nb, "wrong")
    assert "VALIDATION FAILED" in out
    assert "AssertionError: `dot` fails its public checks: dot(a, a) is a sum" in out
    assert "AssertionError: `norm` fails its public checks: TypeError" in out  # norm calls the wrong dot


def test_solved_notebook_passes_with_honest_words(course, tmp_path):
    out = _validate(course, tmp_path, _solved(), "solved")
    assert PASSED.strip() in out, out[-2000:]
    assert "hidden checks run only when your work is graded" in out
    assert NBGRADER_SUCCESS not in out and "VALIDATION FAILED" not in out
    assert "cannot be converted to a float" not in out


def test_released_hidden_check_cells_print_nothing(course, tmp_path):
    folder = tmp_path / "run"
    shutil.copytree(course / "release" / ASSIGNMENT, folder)
    nb = nbformat.reads(json.dumps(_solved()), as_version=4)
    ExecutePreprocessor(timeout=300, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(folder)}})
    hidden = [c for c in nb.cells if notebook.is_hidden_check(c)]
    assert len(hidden) == 9
    for cell in hidden:
        assert cell.outputs == [], cell.source[:200]
        assert "They run only when your work is graded" in " ".join(cell.source.replace("#", " ").split())
        assert not check_calls(cell.source)  # the hidden checks themselves are not released
