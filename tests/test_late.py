"""Late penalties and extensions: the rule, extensions.csv, and nbgrader's plugin mechanism."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from autograder.late import (
    LatePenaltyPlugin,
    LatePolicy,
    apply_late_penalties,
    effective_extension,
    late_penalty,
    load_policy,
    read_extensions,
    seconds_late,
)
from tests.test_exports import ASSIGNMENT, DUE, build_course

HOUR = 3600.0
POLICY = LatePolicy(penalty_per_day=0.10, max_penalty=0.50)


@pytest.mark.parametrize("late_s, fraction", [
    (0, 0.0), (1, 0.1), (24 * HOUR, 0.1), (24 * HOUR + 1, 0.2), (26 * HOUR, 0.2), (72 * HOUR, 0.3),
    (10 * 24 * HOUR, 0.5),  # capped
])
def test_policy_per_started_day_with_cap(late_s, fraction):
    assert POLICY.fraction(late_s) == pytest.approx(fraction)


def test_grace_minutes():
    policy = LatePolicy(0.1, 0.5, grace_minutes=15)
    assert policy.fraction(14 * 60) == 0.0
    assert policy.fraction(16 * 60) == pytest.approx(0.1)
    assert "15 minutes of grace" in policy.describe()


def test_extensions_file(tmp_path):
    assert read_extensions(tmp_path) == {}
    (tmp_path / "extensions.csv").write_text(
        "student_id,assignment,extra_hours\nab123,01-vectors,24\nab123,01-vectors,48\ncd456,02-matrices,12.5\n\n")
    assert read_extensions(tmp_path) == {("ab123", "01-vectors"): 48.0, ("cd456", "02-matrices"): 12.5}
    assert effective_extension(tmp_path, "01-vectors", "ab123") == timedelta(hours=48)
    # Extensions do not stack: the larger of the file's and the gradebook's counts.
    assert effective_extension(tmp_path, "01-vectors", "ab123", timedelta(hours=72)) == timedelta(hours=72)
    assert effective_extension(tmp_path, "01-vectors", "zz999") == timedelta(0)
    (tmp_path / "extensions.csv").write_text("student_id,assignment,extra_hours\nab123,01-vectors,two days\n")
    with pytest.raises(ValueError, match="line 2"):
        read_extensions(tmp_path)
    (tmp_path / "extensions.csv").write_text("student,hours\nab123,2\n")
    with pytest.raises(ValueError, match="missing column"):
        read_extensions(tmp_path)


def test_seconds_late_handles_timezones():
    due = datetime(2026, 1, 10, 17, 0)
    aware = datetime(2026, 1, 10, 19, 0, tzinfo=timezone(timedelta(hours=1)))  # 18:00 UTC
    assert seconds_late(aware, due) == HOUR
    assert seconds_late(aware, due, timedelta(hours=2)) == 0.0
    assert seconds_late(None, due) == 0.0


def test_late_penalty_function(tmp_path):
    course = build_course(tmp_path)
    assert load_policy(course) == POLICY
    # Carl: 26 h late, 2 started days, 20 % of 4 points
    assert late_penalty(course, ASSIGNMENT, "cd456", DUE + timedelta(hours=26), DUE, 4.0) == pytest.approx(0.8)
    # Emmy: 30 h late but has 48 h in extensions.csv
    assert late_penalty(course, ASSIGNMENT, "ef789", DUE + timedelta(hours=30), DUE, 5.0) == 0.0
    assert late_penalty(course, ASSIGNMENT, "ab123", DUE - timedelta(hours=1), DUE, 5.0) == 0.0
    # A course that does not enable the plugin has no penalty.
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    assert load_policy(course) is None
    assert late_penalty(course, ASSIGNMENT, "cd456", DUE + timedelta(hours=26), DUE, 4.0) == 0.0
    assert late_penalty(course, ASSIGNMENT, "cd456", DUE + timedelta(hours=26), DUE, 4.0, policy=POLICY) == 0.8


def test_plugin_through_nbgraders_assign_late_penalties(tmp_path):
    """nbgrader's own preprocessor loads our plugin from config and stores its penalty."""
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import AssignLatePenalties
    from traitlets.config import Config

    course = build_course(tmp_path)
    config = Config()
    config.AssignLatePenalties.plugin_class = LatePenaltyPlugin
    config.LatePenaltyPlugin.penalty_per_day = 0.25
    config.LatePenaltyPlugin.max_penalty = 0.5
    config.LatePenaltyPlugin.course_root = str(course)
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    for student in ("cd456", "ef789"):
        resources = {"nbgrader": {"notebook": ASSIGNMENT, "assignment": ASSIGNMENT, "student": student,
                                  "db_url": db_url}}
        AssignLatePenalties(config=config).preprocess(nbformat.v4.new_notebook(), resources)
    with Gradebook(db_url) as gb:
        carl = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "cd456")
        emmy = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "ef789")
        assert carl.late_submission_penalty == pytest.approx(0.5 * 4.0)  # 2 days x 25 %, capped at 50 %
        assert not emmy.late_submission_penalty  # within the 48 h of extensions.csv
        # A gradebook extension longer than the file's counts instead (no stacking).
        gb.grant_extension(ASSIGNMENT, "cd456", hours=30)
    resources = {"nbgrader": {"notebook": ASSIGNMENT, "assignment": ASSIGNMENT, "student": "cd456", "db_url": db_url}}
    AssignLatePenalties(config=config).preprocess(nbformat.v4.new_notebook(), resources)
    with Gradebook(db_url) as gb:
        assert not gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "cd456").late_submission_penalty


def test_plugin_without_gradebook_parent(tmp_path):
    course = build_course(tmp_path)
    plugin = LatePenaltyPlugin(course_root=str(course), penalty_per_day=0.1, max_penalty=0.3)
    assert plugin.late_submission_penalty("cd456", 10.0, 26 * HOUR) == pytest.approx(2.0)
    assert plugin.late_submission_penalty("cd456", 10.0, 9 * 24 * HOUR) == pytest.approx(3.0)


def test_apply_late_penalties_is_idempotent(tmp_path):
    from nbgrader.api import Gradebook

    course = build_course(tmp_path)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        first = apply_late_penalties(gb, course, ASSIGNMENT)
        second = apply_late_penalties(gb, course, ASSIGNMENT)
        assert {k: v.penalty for k, v in first.items()} == {k: v.penalty for k, v in second.items()}
        assert first["cd456"].penalty == pytest.approx(0.8)
        assert first["cd456"].describe_lateness() == "1 day 2 hours late"
        assert first["ef789"].penalty == 0.0 and first["ef789"].extension_hours == 48
        assert first["ab123"].penalty == 0.0 and first["ab123"].describe_lateness() == "on time"
        assert gb.find_submission(ASSIGNMENT, "cd456").late_submission_penalty == pytest.approx(0.8)
