"""Kept for importers of ``autograder.checks.core``; the check contract lives in the kit."""

from autograder.checks._kit.check import *  # noqa: F401,F403
from autograder.checks._kit.check import fresh_rng  # noqa: F401
