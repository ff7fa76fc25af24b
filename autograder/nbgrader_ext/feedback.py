"""``nbgrader generate_feedback`` step: drop the cells meant for graders (the rubric)."""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.nbgrader_ext.verdicts import strip_grader_only


class RemoveGraderOnly(NbGraderPreprocessor):
    def preprocess(self, nb, resources):
        strip_grader_only(nb)
        return nb, resources
