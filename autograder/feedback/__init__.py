"""Feedback pages: one HTML page per student and assignment (``python -m autograder feedback``).

See :mod:`autograder.feedback.render`."""
