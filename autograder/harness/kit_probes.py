"""Probes the check kit adds: calls that also enforce a rule the prompt states.

``call_unchanged`` calls the function like ``call`` and then compares every array argument
it was given with a copy taken before the call: a function that edits its input in place
("do not modify X") is reported, whatever it returns. Runs beside untrusted code: no
reference answers here.
"""

from __future__ import annotations

import numpy as np

from autograder.harness.probes import Outcome, _describe_error, _plain_outcome, probe

MODIFIED = "modified_input"


@probe("call_unchanged")
def call_unchanged(fn, args: dict) -> Outcome:
    if not callable(fn):
        return Outcome(error=f"expected a function, found {type(fn).__name__}")
    given = {name: (a.copy() if isinstance(a, np.ndarray) else a) for name, a in args.items()}
    before = {name: a.copy() for name, a in given.items() if isinstance(a, np.ndarray)}
    try:
        value = fn(*given.values())
    except Exception as exc:  # the student's error is the outcome, not ours
        return Outcome(error=_describe_error(exc))
    for name, original in before.items():
        now = given[name]
        if now.shape != original.shape or not np.array_equal(now, original, equal_nan=True):
            return Outcome(error=f"your function changed its argument `{name}` in place", kind=f"{MODIFIED}:{name}")
    return _plain_outcome(value)
