"""otter's `grader.check` says its tests are sanity checks only.

A covariance that divides by n passes the public tests of the otter version and loses the
hidden points at grading; `grader.check` used to answer just "All test cases passed!".
Now each public test's success message says the hidden checks run at grading."""

import json
import shutil

import nbformat
import pytest
from nbconvert.preprocessors import ExecutePreprocessor

from autograder.build.otter import sanity_message
from tests.helpers import REPO

SANITY = "These are sanity checks only, not your score."


@pytest.mark.parametrize("assignment", ["01-vectors", "08-pca", "17-attention"])
def test_every_public_otter_test_carries_the_sanity_message(assignment):
    nb = json.loads((REPO / "release-otter" / assignment / f"{assignment}.ipynb").read_text())
    tests = nb["metadata"]["otter"]["tests"]
    assert tests
    for name, text in tests.items():
        assert "success_message=" in text and SANITY in text, name


def test_message_names_the_hidden_points():
    assert "The hidden checks (2 points) run when your work is graded" in sanity_message(2)
    assert "(1 point)" in sanity_message(1)


def test_grader_check_on_a_wrong_covariance_says_sanity_checks_only(tmp_path):
    folder = tmp_path / "08-pca"
    shutil.copytree(REPO / "release-otter" / "08-pca", folder)
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('import otter\ngrader = otter.Notebook("08-pca.ipynb")\nimport numpy as np'),
        nbformat.v4.new_code_cell(
            "def center(X):\n    return X - X.mean(axis=0)\n\n"
            "def covariance(X):\n    Xc = center(X)\n    return Xc.T @ Xc / X.shape[0]  # divides by n, not n - 1\n"),
        nbformat.v4.new_code_cell('grader.check("covariance")'),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    ExecutePreprocessor(timeout=300, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(folder)}})
    shown = json.dumps(nb.cells[-1].outputs)
    assert "All test cases passed!" in shown  # the public tests cannot see this mistake...
    assert SANITY in shown and "The hidden checks (" in shown  # ...and the student is told so
