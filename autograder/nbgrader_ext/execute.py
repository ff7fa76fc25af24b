"""The preprocessor that replaces nbgrader's ``Execute`` in ``nbgrader autograde``.

nbgrader's own autograde runs every cell, hidden checks included, in the student's
kernel, and scores a graded cell full unless its output is an error: a submission that
replaces the in-kernel check runner gets every point. Here the notebook goes through the
platform's engine instead: the student's code runs in the sandbox, the checks are judged
in this (trusted) process, and each graded cell gets its verdict as its output, which
nbgrader's ``SaveAutoGrades`` turns into the score and ``generate_feedback`` shows.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat
from traitlets import Unicode

from nbgrader.preprocessors import NbGraderPreprocessor


class TrustedExecute(NbGraderPreprocessor):
    course_root = Unicode("", help="the course directory (the one holding source/)").tag(config=True)
    sandbox = Unicode("auto", help="sandbox backend: auto, warm, bwrap, oci or none").tag(config=True)

    def preprocess(self, nb, resources):
        from autograder.grade.batch import DEFAULT_LIMITS, GRADER_FAILED, grade_task
        from autograder.grade.plan import load_plan
        from autograder.grade.submission import Submission
        from autograder.nbgrader_ext.verdicts import add_rubric, put_verdicts
        from autograder.paths import Course
        from autograder.sandbox import Limits

        info = resources["nbgrader"]
        course = Course.find(self.course_root or None)
        plan = load_plan(course, info["assignment"])
        if plan.notebook.removesuffix(".ipynb") != info["notebook"]:
            self.log.warning("%s is not the graded notebook of %s (%s): its graded cells are not checked",
                             info["notebook"], info["assignment"], plan.notebook)
            return nb, resources
        with tempfile.TemporaryDirectory(prefix="la4ml-autograde-") as tmp:
            path = Path(tmp) / plan.notebook
            nbformat.write(nb, str(path))
            submission = Submission(str(info.get("student", "student")), path)
            result = grade_task(str(course.root), plan, submission, self.sandbox, Limits(**DEFAULT_LIMITS))
        if result.reason.startswith(GRADER_FAILED):
            raise RuntimeError(f"{info.get('student')}: {result.reason}")
        if result.status != "graded":
            self.log.warning("%s: %s (%s)", info.get("student"), result.status, result.reason)
        put_verdicts(nb, result.questions)
        add_rubric(nb)
        return nb, resources
