"""One mistake explained once, by the platform's grader: a question whose own code is fine
but calls a function that failed its check says so, and still loses its points."""

import json

import pytest

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


# Right on its own, wrong only in the sense that it cannot work while cosine_similarity is
# broken: it calls it the batched way and must work once cosine_similarity does.
GAMING = ("import numpy as np\n"
          "def nearest_neighbours(query, items, k):\n"
          "    return cosine_similarity(None, items)\n")


def _keep_points(course: Course) -> None:
    path = course.source_notebook(A)
    nb = json.loads(path.read_text())
    nb["metadata"]["autograder"] = {"dependent_questions": "keep_points"}
    path.write_text(json.dumps(nb))


def _grade(course, tmp_path, name, answers):
    solution = json.loads(course.solution_notebook(A).read_text())
    for fn, code in answers.items():
        solution = with_answer(solution, fn, code)
    put_submission(tmp_path / "submitted", name, A, solution)
    results = grade_class(course, A, Options(submitted=tmp_path / "submitted", sandbox="none", progress=False,
                                             workers=1, students=(name,)), log=lambda *a: None)
    return {q.question: q for q in results[0].questions}


def test_with_the_setting_a_dependent_question_that_passes_with_the_reference_keeps_its_points(tmp_path):
    course = Course(copy_course(REPO, tmp_path / "course"))
    _keep_points(course)
    by_name = _grade(course, tmp_path, "kim", {"cosine_similarity": NOT_BATCHED})
    assert by_name["cosine_batched"].score == 0  # the mistake itself still costs its points
    for name in ("neighbours_order", "recommend_songs"):
        q = by_name[name]
        assert q.score == q.max_score > 0, (name, q.feedback)
        assert "passes once `cosine_similarity` is correct, so it keeps its points" in q.feedback, q.feedback

    # Calling a broken function is no way to points: the re-check runs the student's own
    # nearest_neighbours with the reference cosine_similarity, and it is still wrong.
    by_name = _grade(course, tmp_path, "lee", {"cosine_similarity": NOT_BATCHED, "nearest_neighbours": GAMING})
    assert by_name["neighbours_order"].score == 0
    assert "keeps its points" not in by_name["neighbours_order"].feedback
    # recommend itself is right: it keeps its points, and names both functions to fix
    assert by_name["recommend_songs"].score == by_name["recommend_songs"].max_score
    assert "passes once `nearest_neighbours` and `cosine_similarity` are correct" in by_name["recommend_songs"].feedback


def test_the_setting_is_read_from_the_source_and_shipped_to_gradescope_only_when_on(tmp_path):
    from autograder.gradescope.plan import plan_document
    from autograder.grade.plan import load_plan

    course = Course(copy_course(REPO, tmp_path / "course"))
    doc, _ = plan_document(course, A)
    assert "references" not in doc and not load_plan(course, A).keep_dependent_points
    _keep_points(course)
    plan = load_plan(course, A)
    assert plan.keep_dependent_points and "def cosine_similarity" in plan.references["cosine_similarity"]
    doc, _ = plan_document(course, A)
    assert doc["keep_dependent_points"] and doc["references"] == plan.references


def test_the_setting_is_stated_in_the_prompt_and_otter_refuses_what_it_cannot_honour(tmp_path):
    from autograder.build import notebook
    from autograder.build.release import build_otter
    from autograder.grade.plan import KEEP_POINTS, dependent_setting

    for assignment in Course(REPO).assignments():
        nb = notebook.read(Course(REPO).source_notebook(assignment))
        if dependent_setting(nb) == KEEP_POINTS:
            assert any("keeps its points" in c.source for c in nb.cells if c.cell_type == "markdown"), assignment
    course = Course(copy_course(REPO, tmp_path / "course"))
    _keep_points(course)
    with pytest.raises(ValueError, match="otter grades in the student's kernel"):
        build_otter(course, A)
