"""Grading a class pauses Python's garbage collector while it sets up and freezes what set-up
made (see autograder.grade.batch); afterwards the collector is as the caller left it."""
from __future__ import annotations

import gc
import json

import pytest

from autograder.grade.batch import Options, grade_class
from autograder.paths import Course
from tests.helpers import put_submission

pytestmark = pytest.mark.sandbox


@pytest.mark.parametrize("collector_on", [True, False])
def test_grading_leaves_the_collector_as_it_was_and_nothing_frozen(mini_copy, tmp_path, collector_on):
    release = json.loads(Course(mini_copy).release_notebook("mini").read_text())
    put_submission(tmp_path / "submitted", "ann", "mini", release)
    if not collector_on:
        gc.disable()
    try:
        results = grade_class(Course(mini_copy), "mini", Options(submitted=tmp_path / "submitted", workers=1,
                                                                 progress=False), log=lambda *a: None)
        assert [r.student_id for r in results] == ["ann"]
        assert gc.isenabled() is collector_on
        assert gc.get_freeze_count() == 0
    finally:
        gc.enable()
