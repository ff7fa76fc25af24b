"""`grade` writes nbgrader's autograded/ copy of each readable submission, and an odd or
broken one never costs the student their grade."""

import json

from nbgrader.api import Gradebook

from autograder.grade.batch import Options, grade_class
from autograder.paths import Course
from tests.helpers import put_submission, with_answer

A = "mini"
CORRECT = "def dot(a, b):\n    return float(sum(x * y for x, y in zip(a, b)))\n"


def _autograded(course, student):
    path = course / "autograded" / student / A / f"{A}.ipynb"
    return json.loads(path.read_text()) if path.exists() else None


def _graded_outputs(nb):
    return [c["outputs"] for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]


def test_autograded_copies_and_scores(mini_copy, tmp_path):
    course = Course(mini_copy)
    release = json.loads(course.release_notebook(A).read_text())
    sub = tmp_path / "submitted"
    put_submission(sub, "right", A, with_answer(release, "dot", CORRECT))
    put_submission(sub, "blank", A, release)
    put_submission(sub, "broken", A, "{ not json")
    deleted = with_answer(release, "dot", CORRECT)
    deleted["cells"] = [c for c in deleted["cells"] if not c["metadata"].get("nbgrader", {}).get("grade")]
    put_submission(sub, "deleted", A, deleted)  # the graded cell deleted: restored from the gradebook
    results = {r.student_id: r for r in grade_class(course, A, Options(submitted=sub, progress=False),
                                                   log=lambda *a: None)}
    assert {s: r.score for s, r in results.items()} == {"right": 2, "blank": 0, "broken": 0, "deleted": 2}

    right = _autograded(mini_copy, "right")
    assert [o[0]["output_type"] for o in _graded_outputs(right)] == ["stream"]
    assert "Hidden checks passed when graded (2 of 2 points)" in "".join(_graded_outputs(right)[0][0]["text"])
    blank = _autograded(mini_copy, "blank")
    assert [o[0]["output_type"] for o in _graded_outputs(blank)] == ["error"]
    assert _autograded(mini_copy, "broken") is None  # nothing to show a grader; its grade is saved
    # The gradebook agrees with the grader's copy (nbgrader's SaveAutoGrades read it).
    with Gradebook(course.db_url) as gb:
        assert gb.find_submission(A, "right").score == 2
        assert gb.find_submission(A, "blank").score == 0
        assert gb.find_submission(A, "deleted").score == 2
    assert "Hidden checks passed" in "".join(_graded_outputs(_autograded(mini_copy, "deleted"))[0][0]["text"])
