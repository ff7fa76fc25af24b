"""nbgrader integration: ``nbgrader autograde`` graded by this platform's trusted engine.

The course's ``nbgrader_config.py`` puts :class:`TrustedExecute` where nbgrader's
``Execute`` was, so autograde never runs the hidden checks in the student's kernel.
"""

from autograder.nbgrader_ext.execute import TrustedExecute

__all__ = ["TrustedExecute"]
