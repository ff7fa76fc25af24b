"""One mistake explained once: a check that fails while the student's function calls another
function that failed its own check names that cause first.

A dependency is read from the student's code: the dependent function calls the other
check's target by name (``nearest_neighbours`` calling ``cosine_similarity``). Only a generic
failure (an error, a wrong value or shape) is attributed; a catalogued mistake of the
dependent's own stands as it is. Scores do not change here: a dependent question loses its
points unless the assignment keeps them (``autograder.grade.engine._recheck_dependents``).
"""

from __future__ import annotations

import re
from typing import Callable

from autograder.checks._kit.check import GENERIC_MISTAKES, REGISTRY, Verdict

ATTRIBUTED = {"error", "wrong_type", "wrong_shape", "not_finite", "wrong_value", "missing"}


def calls(code: str | None, name: str) -> bool:
    """Whether ``code`` calls ``name(...)``."""
    return bool(code) and re.search(rf"(?<![\w.]){re.escape(name)}\s*\(", code) is not None


def _first_line(message: str) -> str:
    return message.split("\n", 1)[0].strip()


def with_cause(target: str, verdict: Verdict, code: str | None, failed: dict[str, Verdict]) -> Verdict:
    """``verdict`` for ``target``, naming the first failed function (target -> its verdict)
    that ``code`` calls."""
    if verdict.passed or verdict.mistake not in ATTRIBUTED:
        return verdict
    for other, cause in failed.items():
        if other != target and not cause.passed and calls(code, other):
            return Verdict(False, f"this fails because your `{other}`, which it calls, failed its own check "
                                  f"({_first_line(cause.message)}); fix that first\n  {verdict.message}",
                           verdict.mistake)
    return verdict


def cause_chain(target: str, code_for: Callable[[str], str | None], failed: dict[str, Verdict]) -> list[str]:
    """The failed functions ``target`` reaches through calls, ending at the root cause: one
    whose failure is its own (a catalogued mistake, or it calls no failed function). []
    when ``target`` calls no failed function."""
    chain, at = [], target
    while True:
        nxt = next((o for o in failed if o != target and o not in chain and calls(code_for(at), o)), None)
        if nxt is None:
            return chain
        chain.append(nxt)
        if failed[nxt].mistake not in ATTRIBUTED:
            return chain
        at = nxt


def with_root_cause(target: str, verdict: Verdict, code_for: Callable[[str], str | None],
                    failed: dict[str, Verdict]) -> Verdict:
    """``verdict`` for ``target``, naming the failed function at the root of what it calls."""
    if verdict.passed or verdict.mistake not in ATTRIBUTED:
        return verdict
    chain = cause_chain(target, code_for, failed)
    if not chain:
        return verdict
    root = chain[-1]
    via = f" (through `{'`, `'.join(chain[:-1])}`)" if len(chain) > 1 else ""
    return Verdict(False, f"this fails because your `{root}`, which it calls{via}, failed its own check "
                          f"({_first_line(failed[root].message)}); fix that first\n  {verdict.message}",
                   verdict.mistake)


def explain_dependents(verdicts: dict[str, Verdict], code_for: Callable[[str], str | None]) -> dict[str, Verdict]:
    """Every check's verdict (check id -> Verdict), with dependent failures naming their cause.
    ``code_for(target)`` is the student's code defining ``target``."""
    failed: dict[str, Verdict] = {}
    for check_id, verdict in verdicts.items():
        target = REGISTRY[check_id].target
        if not verdict.passed and target not in failed:
            failed[target] = verdict
    return {check_id: with_cause(REGISTRY[check_id].target, verdict, code_for(REGISTRY[check_id].target),
                                 {t: v for t, v in failed.items() if t != REGISTRY[check_id].target})
            for check_id, verdict in verdicts.items()}


assert ATTRIBUTED <= set(GENERIC_MISTAKES)
