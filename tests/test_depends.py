"""One mistake explained once, by the platform's grader: a question whose own code is fine
but calls a function that failed its check says so, and still loses its points."""

import json

from autograder.grade.batch import Options, grade_class
from autograder.paths import Course
from tests.helpers import REPO, copy_course, put_submission, with_answer

A = "01-vectors"
# Right for two vectors, but float() of a 2-D result raises: the batched mode is missing.
NOT_BATCHED = ("import numpy as np\n"
               "def cosine_similarity(a, b):\n"
               "    na, nb = np.sqrt(np.sum(a * a)), np.sqrt(np.sum(b * b))\n"
               "    if na == 0 or nb == 0:\n"
               "        return 0.0\n"
               "    return float(np.sum(a * b) / (na * nb))\n")


def test_a_question_failing_inside_another_failed_function_names_that_cause(tmp_path):
    course = Course(copy_course(REPO, tmp_path / "course"))
    solution = json.loads(course.solution_notebook(A).read_text())
    put_submission(tmp_path / "submitted", "kim", A, with_answer(solution, "cosine_similarity", NOT_BATCHED))
    [result] = grade_class(course, A, Options(submitted=tmp_path / "submitted", sandbox="none", progress=False,
                                              workers=1), log=lambda *a: None)
    by_name = {q.question: q for q in result.questions}
    assert by_name["cosine_values"].score == by_name["cosine_values"].max_score
    batched = by_name["cosine_batched"]
    assert batched.score == 0 and "because your" not in batched.feedback  # its own failure, told as is
    cause = {"neighbours_order": "fails because your `cosine_similarity`, which it calls, failed its own check",
             # recommend calls nearest_neighbours, which calls cosine_similarity: the root is named
             "recommend_songs": "fails because your `cosine_similarity`, which it calls (through "
                                "`nearest_neighbours`), failed its own check"}
    for name, words in cause.items():
        q = by_name[name]
        assert q.score == 0, name  # the dependent question still loses its points
        assert words in q.feedback, (name, q.feedback)
    assert by_name["dot_values"].feedback == "passed"
