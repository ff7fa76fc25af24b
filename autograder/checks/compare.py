"""Judging helpers: compare a student's answer with the reference and name the mistake.

The error measure follows the CS231n convention, a relative error with a floor:
``max|x - y| / max(floor, |x| + |y|)``; prompts state the same tolerance the checks use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from autograder.checks.core import Case, Verdict
from autograder.harness.probes import Outcome


def rel_error(x, y, floor: float = 1e-8) -> float:
    x = np.asarray(x, dtype=np.complex128 if np.iscomplexobj(x) or np.iscomplexobj(y) else np.float64)
    y = np.asarray(y, dtype=x.dtype)
    if x.size == 0 and y.size == 0:
        return 0.0
    num = np.abs(x - y)
    den = np.maximum(floor, np.abs(x) + np.abs(y))
    with np.errstate(invalid="ignore"):
        err = num / den
    # A nan where the reference is nan counts as agreement (both undefined).
    both_nan = np.isnan(np.real(x)) & np.isnan(np.real(y))
    err = np.where(both_nan, 0.0, err)
    return float(np.nan_to_num(np.max(err), nan=np.inf))


def close(x, y, tol: float) -> bool:
    x, y = np.asarray(x), np.asarray(y)
    return x.shape == y.shape and rel_error(x, y) <= tol


@dataclass
class Mistake:
    """A catalogued wrong answer: how to compute it and what to tell the student."""

    name: str  # short id used in analytics: "not_centred"
    message: str  # what the student reads: "the data was not centred before ..."
    compute: Callable[..., object]  # same arguments as the reference


def fmt(value, limit: int = 8) -> str:
    value = np.asarray(value)
    if value.size <= limit:
        return np.array2string(value, precision=6, separator=", ", suppress_small=True)
    return f"array of shape {value.shape} ({value.dtype})"


def describe_failure(case: Case, message: str) -> str:
    return f"{message}\n  input ({case.describe()})"


def judge_value(
    case: Case,
    outcome: Outcome,
    expected,
    tol: float,
    mistakes: Sequence[Mistake] = (),
    what: str = "the result",
    equivalent: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    allow_complex: bool = False,
) -> Verdict:
    """Judge one case's plain value against ``expected``.

    ``equivalent(received, expected)`` may bring a correct-but-different answer into the
    reference's form first (e.g. flip eigenvector signs); it returns the aligned value.
    """
    if outcome.error:
        if outcome.kind:  # it returned, but something the grader cannot read as numbers
            return Verdict(False, describe_failure(case, f"{what} cannot be used: {outcome.error}"), "wrong_type")
        if outcome.error.startswith("NotImplementedError"):
            return Verdict(False, "not answered yet: your code raised NotImplementedError; replace the "
                                  "`raise NotImplementedError()` line with your solution", "error")
        return Verdict(False, describe_failure(case, f"your code raised an error: {outcome.error}"), "error")
    received = outcome.value
    expected = np.asarray(expected)
    if isinstance(received, (tuple, dict)):
        return Verdict(
            False,
            describe_failure(case, f"{what} should be a single array, but your function returned a {type(received).__name__}"),
            "wrong_type",
        )
    received = np.asarray(received)
    if np.iscomplexobj(received) and not allow_complex:
        if np.allclose(received.imag, 0):
            return Verdict(
                False,
                describe_failure(case, f"{what} has a complex dtype ({received.dtype}) although every value is real; "
                                 "use np.linalg.eigh for symmetric matrices, or take .real"),
                "complex_output",
            )
        return Verdict(False, describe_failure(case, f"{what} is complex ({received.dtype}); expected real numbers"), "complex_output")
    aligned = equivalent(received, expected) if equivalent and received.shape == expected.shape else received
    if received.shape == expected.shape and rel_error(aligned, expected) <= tol:
        return Verdict.ok()

    for mistake in mistakes:
        wrong = np.asarray(mistake.compute(*case.args.values()))
        if wrong.shape != received.shape:
            continue
        aligned_wrong = equivalent(received, wrong) if equivalent else received
        if wrong.shape == expected.shape and np.allclose(wrong, expected):
            continue  # this input cannot tell the mistake apart
        if rel_error(aligned_wrong, wrong) <= max(tol, 1e-6):
            return Verdict(False, describe_failure(case, mistake.message), mistake.name)

    if received.shape != expected.shape:
        hint = ""
        if received.shape == expected.shape[::-1] and received.ndim == 2:
            hint = " (it looks transposed)"
        elif received.size == expected.size:
            hint = " (same number of values, arranged differently)"
        return Verdict(
            False,
            describe_failure(case, f"{what} has shape {received.shape}, expected shape {expected.shape}{hint}"),
            "wrong_shape",
        )
    if not np.all(np.isfinite(received)) and np.all(np.isfinite(expected)):
        return Verdict(
            False,
            describe_failure(case, f"{what} contains nan or inf where every expected value is finite: {fmt(received)}"),
            "not_finite",
        )
    err = rel_error(aligned, expected)
    return Verdict(
        False,
        describe_failure(
            case,
            f"{what} is wrong: expected {fmt(expected)}, received {fmt(received)} "
            f"(relative error {err:.2e}, tolerance {tol:.0e})",
        ),
        "wrong_value",
    )


def judge_cases(
    cases: list[Case],
    outcomes: list[Outcome],
    reference: Callable[..., object],
    tol: float,
    mistakes: Sequence[Mistake] = (),
    **kwargs,
) -> Verdict:
    """Judge every case; the verdict is the first failure (with its input), or a pass."""
    if len(outcomes) != len(cases):
        return Verdict(False, "the grader received no result for some inputs", "missing")
    for case, outcome in zip(cases, outcomes):
        verdict = judge_value(case, outcome, reference(*case.args.values()), tol, mistakes, **kwargs)
        if not verdict.passed:
            return verdict
    return Verdict.ok(f"all {len(cases)} inputs correct")
