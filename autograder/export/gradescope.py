"""Gradescope export: the autograder zip and results.json, now in ``autograder.gradescope``."""

from autograder.gradescope.build import build_zip as _build_zip
from autograder.gradescope.results import VISIBILITIES, not_graded, to_gradescope  # noqa: F401


def build_zip(course, assignment, out, hidden_visibility="after_published"):
    """The zip of ``autograder.gradescope.build`` (no gradebook is read); a course it
    cannot be built from is a clear message, not a traceback."""
    try:
        return _build_zip(course, assignment, out, hidden_visibility)
    except (FileNotFoundError, ValueError) as exc:
        raise SystemExit(str(exc)) from None
