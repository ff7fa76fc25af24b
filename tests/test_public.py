"""The public-test cells run beside the student's code after the checks, in the sandbox:
their result is recorded (for Gradescope's visible tests), never changes a score, and a
public test that crashes the process costs the submission nothing."""

import json

import pytest

from autograder.grade.batch import Options, grade_class
from autograder.paths import Course
from tests.helpers import REPO, put_submission, with_answer

pytestmark = pytest.mark.sandbox
A = "mini"
RIGHT = "def dot(a, b):\n    return float(sum(x * y for x, y in zip(a, b)))\n"
# The public test calls dot(np.ones(3), np.ones(3)); the hidden check never does.
ANSWERS = {
    "right": (RIGHT, 2.0, None),
    "blank": ("def dot(a, b):\n    raise NotImplementedError()\n", 0.0, "NotImplementedError"),
    "fails_public_only": ("import numpy as np\n" + RIGHT.replace(
        "    return", "    if len(a) == 3 and np.all(np.asarray(a) == 1):\n        return 'one'\n    return"),
        2.0, "ValueError: could not convert string to float: 'one'"),
    "crashes_in_public": ("import os\nimport numpy as np\n" + RIGHT.replace(
        "    return", "    if len(a) == 3 and np.all(np.asarray(a) == 1):\n        os._exit(9)\n    return"),
        2.0, "the public test dot_public ended the grading process (exit code 9)"),
}


def test_public_tests_are_recorded_and_change_no_score(mini_course, tmp_path):
    course = Course(mini_course)
    release = json.loads(course.release_notebook(A).read_text())
    for student, (code, _, _) in ANSWERS.items():
        put_submission(tmp_path / "sub", student, A, with_answer(release, "dot", code))
    results = {r.student_id: r for r in grade_class(course, A, Options(submitted=tmp_path / "sub", progress=False),
                                                    log=lambda *a: None)}
    for student, (_, score, public) in ANSWERS.items():
        r = results[student]
        assert (r.status, r.score) == ("graded", score), (student, r.reason)
        if public is None:
            assert r.public == {"dot_public": None}, student
        else:
            assert public in r.public["dot_public"], (student, r.public)
