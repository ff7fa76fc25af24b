"""Probes the check kit adds: calls that also enforce a rule the prompt states.

``call_unchanged`` calls the function like ``call`` and hands back, next to its value, every
array argument as it was after the call. The trusted grader compares those arrays with the
inputs it sent, so a function that edits its input in place ("do not modify X") is caught
there, never by a comparison made in the student's process. Runs beside untrusted code: no
reference answers here.
"""

from __future__ import annotations

import numpy as np

from autograder.harness.probes import MAX_ELEMENTS, Outcome, _describe_error, _plain_outcome, probe


@probe("call_unchanged")
def call_unchanged(fn, args: dict) -> Outcome:
    if not callable(fn):
        return Outcome(error=f"expected a function, found {type(fn).__name__}")
    given = {name: (a.copy() if isinstance(a, np.ndarray) else a) for name, a in args.items()}
    try:
        value = fn(*given.values())
    except Exception as exc:  # the student's error is the outcome, not ours
        return Outcome(error=_describe_error(exc))
    outcome = _plain_outcome(value)
    outcome.inputs = {name: np.array(a, copy=True) for name, a in given.items()
                      if isinstance(a, np.ndarray) and a.size <= MAX_ELEMENTS}
    return outcome
