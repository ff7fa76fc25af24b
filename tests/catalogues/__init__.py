"""Catalogues of submissions for every hidden check, proven both ways.

Each topic module defines two dicts keyed by check id:

* ``CORRECT[check_id]``: ``(label, code)`` pairs; ``code`` defines the student's object and
  must pass the check on every seed.
* ``MISTAKES[check_id]``: ``(mistake, code, words)`` triples; ``code`` must fail the check,
  the verdict must name ``mistake``, and its message must contain ``words``.

``TARGET[check_id]`` may name the object to hand the check when it is not the check's
``target`` (rare).
"""
