"""Probes for 03-linear-systems: ``call_label`` calls a function whose answer is a short word
("unique", "none", "infinite") and hands the word back as it is; any other answer goes
through the usual conversion to plain arrays. Runs beside untrusted code: no reference
answers here.
"""

from __future__ import annotations

from autograder.harness.probes import Outcome, _copy, _describe_error, _plain_outcome, probe

MAX_LABEL = 40


@probe("call_label")
def call_label(fn, args: dict) -> Outcome:
    if not callable(fn):
        return Outcome(error=f"expected a function, found {type(fn).__name__}")
    try:
        value = fn(*[_copy(a) for a in args.values()])
    except Exception as exc:  # the student's error is the outcome, not ours
        return Outcome(error=_describe_error(exc))
    if isinstance(value, str):
        if len(value) > MAX_LABEL:
            return Outcome(error=f"the answer is a string of {len(value)} characters; expected one short word",
                           kind="str")
        return Outcome(value=value, kind="str")
    return _plain_outcome(value)
