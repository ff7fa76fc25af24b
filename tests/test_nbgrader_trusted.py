"""`nbgrader autograde` with the course's configuration grades through the platform's
engine: a submission that switches off the in-kernel hidden checks earns nothing by it.

Before, nbgrader ran the hidden checks in the student's kernel and gave a graded cell its
points unless it printed an error, so replacing the check runner forged a full score."""

import ast
import json
import sys

import pytest
from nbgrader.api import Gradebook

from autograder.grade import gradebook
from autograder.grade.plan import load_plan
from autograder.paths import Course
from tests.helpers import REPO, copy_course, put_submission, run

ASSIGNMENT = "01-vectors"
PARTIAL = 2  # dot_values and norm_values, 1 point each

# Switches off everything the in-kernel checks could use, then answers with constants.
DISABLE_CHECKS = """
try:
    import autograder.checks.core as _core
    _core.run_in_kernel = lambda *args, **kwargs: None
    from autograder.checks import vectors as _vectors
    for _name in dir(_vectors):
        if _name.startswith("check_"):
            setattr(_vectors, _name, lambda *args, **kwargs: None)
except Exception:
    pass
"""


def _constant_answers(source_nb: dict, prefix: str = "") -> dict:
    """The release with every answer function returning the constant 1.0."""
    nb = json.loads(json.dumps(source_nb))
    first = True
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "code" and meta.get("solution") and not meta.get("grade"):
            names = [n.name for n in ast.parse("".join(cell["source"])).body if isinstance(n, ast.FunctionDef)]
            body = "".join(f"def {name}(*args, **kwargs):\n    return 1.0\n" for name in names)
            cell["source"] = (prefix if first else "") + body
            first = False
    return nb


def _some_answers(release: dict, source_path, answered: set[str], prefix: str = "") -> dict:
    """The release with the source's solutions for ``answered`` (``prefix`` before the first)."""
    import re

    from autograder.build import notebook

    source = {notebook.grade_id(c): c.source for c in notebook.read(source_path).cells}
    nb = json.loads(json.dumps(release))
    first = True
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answered:
            code = re.sub(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", "", source[gid], flags=re.M)
            cell["source"] = (prefix if first else "") + code
            first = False
    return nb


@pytest.fixture(scope="module")
def autograded(tmp_path_factory):
    root = copy_course(REPO, tmp_path_factory.mktemp("trusted"))
    course = Course(root)
    gradebook.ensure_assignment(course.db_url, load_plan(course, ASSIGNMENT))
    release = json.loads(course.release_notebook(ASSIGNMENT).read_text())
    submissions = {
        "reference": json.loads(course.solution_notebook(ASSIGNMENT).read_text()),
        "blank": release,
        "constant": _constant_answers(release),
        "forger": _constant_answers(release, DISABLE_CHECKS),
        "partial": _some_answers(release, course.source_notebook(ASSIGNMENT), {"dot", "norm"}),
        "partial_forger": _some_answers(release, course.source_notebook(ASSIGNMENT), {"dot", "norm"},
                                        DISABLE_CHECKS),
    }
    for student, nb in submissions.items():
        put_submission(root / "submitted", student, ASSIGNMENT, nb)
    proc = run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--create", "--force"],
               cwd=root, timeout=900)
    with Gradebook(course.db_url) as gb:
        scores = {s: gb.find_submission(ASSIGNMENT, s).score for s in submissions}
    return root, scores, proc


def test_reference_full_blank_zero(autograded):
    _, scores, _ = autograded
    assert scores["reference"] == 14
    assert scores["blank"] == 0


def test_disabling_in_kernel_checks_earns_nothing(autograded):
    _, scores, _ = autograded
    # Submitted honestly, the constants earn 0 of 14;
    # switching off the in-kernel checks adds nothing (it forged 14 of 14 before).
    assert scores["constant"] == 0
    assert scores["forger"] == 0
    # Two of six functions answered: their points, and no more with the checks switched off.
    assert scores["partial"] == PARTIAL
    # With the checks switched off it earns nothing more; here it earns less: reaching into the
    # `autograder` package is machinery the from-scratch rule of dot and norm rules out.
    assert scores["partial_forger"] == 0


def test_no_float_warnings_and_verdicts_in_cells(autograded):
    root, _, proc = autograded
    assert "cannot be converted to a float" not in proc.stdout + proc.stderr
    nb = json.loads((root / "autograded" / "blank" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    graded = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade")
              and c["cell_type"] == "code"]
    assert graded and all(c["outputs"][0]["output_type"] == "error" for c in graded)
    ref = json.loads((root / "autograded" / "reference" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    texts = [o.get("text", "") for c in ref["cells"] for o in c.get("outputs", [])
             if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    assert texts and all("Hidden checks passed when graded" in "".join(t) for t in texts)


def test_generate_feedback_shows_verdicts_without_hidden_code(autograded):
    root, _, _ = autograded
    run([sys.executable, "-m", "nbgrader", "generate_feedback", ASSIGNMENT, "--force"], cwd=root)
    page = (root / "feedback" / "blank" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Hidden check failed" in page
    assert "check_dot" not in page and "BEGIN HIDDEN TESTS" not in page
    ref = (root / "feedback" / "reference" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Hidden checks passed when graded" in ref
