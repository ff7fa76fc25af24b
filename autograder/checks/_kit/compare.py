"""The one comparison core: error measures, tolerances, and judging a value or a tuple of parts.

Two error measures, each with an absolute floor (see :class:`Tolerance`):

* ``relative`` (CS231n): ``max|x - y| / max(floor, |x| + |y|)``, element-wise;
* ``scale``: ``max|x - y| / max(floor, max|y|)``, relative to the largest expected entry,
  fair to float32 answers whose entries near zero carry rounding error of the data's size.

:func:`judge_value` judges one array with the element-wise measure; :func:`judge_parts`
judges one array or a tuple of arrays (``parts``) on the scale of the answer. Both match a
wrong answer against the check's catalogued :class:`Mistake` s first, and when none matches
they say how the answer relates to the expected one (:mod:`autograder.checks._kit.diagnose`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from autograder.checks._kit.check import NOT_ANSWERED, Case, Mistake, Verdict
from autograder.checks._kit.diagnose import explain, relation, sizes_of
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


def fmt(value, limit: int = 10) -> str:
    value = np.asarray(value)
    if value.size <= limit:
        return np.array2string(value, precision=6, separator=", ", suppress_small=True)
    return f"array of shape {value.shape} ({value.dtype})"


def describe_failure(case: Case, message: str) -> str:
    return f"{message}\n  input ({case.describe()})"


# ---------------------------------------------------- the generic verdicts, worded once

def raised(case: Case, outcome: Outcome, what: str) -> Verdict:
    """The code raised, or returned something the grader cannot read as numbers."""
    if outcome.kind:  # it returned, but something the grader cannot read as numbers
        return Verdict(False, describe_failure(case, f"{what} cannot be used: {outcome.error}"), "wrong_type")
    if outcome.error.startswith("NotImplementedError"):
        return Verdict(False, NOT_ANSWERED, "error")
    return Verdict(False, describe_failure(case, f"your code raised an error: {outcome.error}"), "error")


def not_one_array(case: Case, value, what: str) -> Verdict:
    return Verdict(False, describe_failure(
        case, f"{what} should be a single array, but your function returned a {type(value).__name__}"), "wrong_type")


def complex_output(case: Case, received: np.ndarray, label: str, hint: str) -> Verdict:
    if np.allclose(received.imag, 0):
        return Verdict(False, describe_failure(
            case, f"{label} has a complex dtype ({received.dtype}) although every value is real; {hint}"),
            "complex_output")
    return Verdict(False, describe_failure(case, f"{label} is complex ({received.dtype}); expected real numbers"),
                   "complex_output")


def wrong_shape(case: Case, received: np.ndarray, expected: np.ndarray, label: str) -> Verdict:
    hint = ""
    if received.ndim == 2 and received.shape == expected.shape[::-1]:
        hint = " (it looks transposed)"
    elif received.size == expected.size:
        hint = " (same number of values, arranged differently)"
    return Verdict(False, describe_failure(
        case, f"{label} has shape {received.shape}, expected shape {expected.shape}{hint}"), "wrong_shape")


def not_finite(case: Case, received: np.ndarray, label: str) -> Verdict:
    return Verdict(False, describe_failure(
        case, f"{label} contains nan or inf where every expected value is finite: {fmt(received)}"), "not_finite")



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
        return raised(case, outcome, what)
    received = outcome.value
    expected = np.asarray(expected)
    if isinstance(received, (tuple, dict)):
        return not_one_array(case, received, what)
    received = np.asarray(received)
    if np.iscomplexobj(received) and not allow_complex:
        return complex_output(case, received, what, "use np.linalg.eigh for symmetric matrices, or take .real")
    aligned = equivalent(received, expected) if equivalent and received.shape == expected.shape else received
    if received.shape == expected.shape and rel_error(aligned, expected) <= tol:
        return Verdict.ok()

    for mistake in mistakes:
        wrong = mistake.compute(*case.args.values())
        if wrong is None:  # this mistake gives no answer here: nothing to match (not a nan)
            continue
        wrong = np.asarray(wrong)
        if wrong.shape != received.shape:
            continue
        aligned_wrong = equivalent(received, wrong) if equivalent else received
        if wrong.shape == expected.shape and np.allclose(wrong, expected):
            continue  # this input cannot tell the mistake apart
        if rel_error(aligned_wrong, wrong) <= max(tol, 1e-6):
            return Verdict(False, describe_failure(case, mistake.message), mistake.name)

    if received.shape != expected.shape:
        return wrong_shape(case, received, expected, what)
    if not np.all(np.isfinite(received)) and np.all(np.isfinite(expected)):
        return not_finite(case, received, what)
    err = rel_error(aligned, expected)
    why = explain(aligned, expected, case.args)
    return Verdict(
        False,
        describe_failure(
            case,
            f"{what} is wrong{': ' + why if why else ''}; expected {fmt(expected)}, received {fmt(received)} "
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


# ------------------------------------------------ answers with parts, on the scale of the answer

FLOOR = 1e-8


def scaled_error(received, expected) -> float:
    """``max|received - expected| / max(1e-8, max|expected|)``; nan where both are nan,
    or the same infinity in both, counts as agreement. Shapes must match (else inf)."""
    x = np.asarray(received)
    y = np.asarray(expected)
    if x.shape != y.shape:
        return float("inf")
    if x.size == 0:
        return 0.0
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    agree = (np.isnan(x) & np.isnan(y)) | (np.isinf(x) & np.isinf(y) & (np.sign(x) == np.sign(y)))
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.where(agree, 0.0, np.abs(x - y))
    diff = np.nan_to_num(diff, nan=np.inf)
    finite = np.abs(y[np.isfinite(y)])
    scale = max(FLOOR, float(finite.max()) if finite.size else 0.0)
    return float(diff.max()) / scale


def difference(received, expected) -> str:
    """Where the two differ most: 'at [1, 0]: expected 0.52, received -0.12'."""
    x = np.asarray(received, dtype=np.float64)
    y = np.asarray(expected, dtype=np.float64)
    if x.shape != y.shape or x.size == 0:
        return ""
    with np.errstate(invalid="ignore", over="ignore"):
        diff = np.nan_to_num(np.abs(x - y), nan=np.inf)
    agree = np.isnan(x) & np.isnan(y)
    diff = np.where(agree, 0.0, diff)
    at = np.unravel_index(int(np.argmax(diff)), diff.shape)
    index = "[" + ", ".join(str(int(i)) for i in at) + "]"
    return f"largest difference at {index}: expected {y[at]:.6g}, received {x[at]:.6g}"


@dataclass
class Part:
    """One item of a returned tuple (or the whole result when nothing else is returned)."""

    name: str  # how the student calls it: "components", "weights"
    # brings a correct-but-different answer into the reference's form (flip signs)
    align: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None


def _as_tuple(value, n: int):
    return tuple(value) if n > 1 else (value,)


def _aligned(part: Part, received: np.ndarray, target: np.ndarray) -> np.ndarray:
    if part.align is None or received.shape != target.shape:
        return received
    return part.align(received, target)


def _parts_match(parts, received, target, tol: float) -> bool:
    for part, r, t in zip(parts, received, target):
        t = np.asarray(t)
        if r.shape != t.shape or scaled_error(_aligned(part, r, t), t) > tol:
            return False
    return True


def _compute(mistake: Mistake, case: Case, n: int):
    try:
        with np.errstate(all="ignore"):
            wrong = mistake.compute(*case.args.values())
    except Exception:  # a mistake that cannot occur on this input
        return None
    if wrong is None:  # no answer to match (np.asarray(None) would compare like a nan)
        return None
    if n > 1:
        if not isinstance(wrong, tuple) or len(wrong) != n:
            return None
        return tuple(np.asarray(w) for w in wrong)
    return (np.asarray(wrong),)


def judge_parts(
    case: Case,
    outcome: Outcome,
    expected,
    tol: float,
    mistakes: Sequence[Mistake] = (),
    what: str = "the result",
    parts: Sequence[Part] | None = None,
    diagnose: Callable[[Case, tuple, tuple], Verdict | None] | None = None,
    on_error: Callable[[Case, Outcome], Verdict | None] | None = None,
    complex_hint: str = "take .real, or use a routine that returns real numbers",
    dtype_kind: str | None = None,
    dtype_mistake: tuple[str, str] = ("wrong_dtype", "the values are right but the dtype is not"),
) -> Verdict:
    """Judge one case whose answer is one array or a tuple of arrays (``parts``).

    A correct answer has every part within ``tol`` (scale-relative, after ``Part.align``).
    A wrong answer is matched against each catalogued mistake (all parts must match), then
    handed to ``diagnose`` for structural mistakes, then reported by shape or value.
    ``dtype_kind`` ("b" for a boolean mask) demands a dtype kind as well as values; a right
    answer of another kind fails as ``dtype_mistake`` = (name, message).
    """
    many = parts is not None
    parts = list(parts) if many else [Part(what)]
    n = len(parts)
    names = ", ".join(p.name for p in parts)
    if outcome.error:
        if on_error is not None:
            verdict = on_error(case, outcome)
            if verdict is not None:
                return verdict
        return raised(case, outcome, what)
    value = outcome.value
    if many:
        if not isinstance(value, tuple) or len(value) != n:
            got = f"a tuple of {len(value)} items" if isinstance(value, tuple) else f"a single {outcome.kind or 'value'}"
            return Verdict(False, describe_failure(case, f"{what} should return a tuple ({names}), but returned {got}"),
                           "wrong_type")
    elif isinstance(value, (tuple, dict)):
        return not_one_array(case, value, what)
    received = tuple(np.asarray(v) for v in _as_tuple(value, n))
    expected = tuple(np.asarray(e) for e in _as_tuple(expected, n))

    for part, r in zip(parts, received):
        if np.iscomplexobj(r):
            return complex_output(case, r, part.name if many else what, complex_hint)

    if _parts_match(parts, received, expected, tol):
        if dtype_kind is None or all(r.dtype.kind == dtype_kind for r in received):
            return Verdict.ok()

    for mistake in mistakes:
        wrong = _compute(mistake, case, n)
        if wrong is None or any(w.shape != r.shape for w, r in zip(wrong, received)):
            continue
        if _parts_match(parts, wrong, expected, tol):
            continue  # this input cannot tell the mistake apart
        if _parts_match(parts, received, wrong, max(tol, 1e-6)):
            detail = ""
            for part, r, e in zip(parts, received, expected):
                if r.shape == e.shape and scaled_error(_aligned(part, r, e), e) > tol:
                    detail = f" ({part.name + ': ' if many else ''}{difference(_aligned(part, r, e), e)})"
                    break
            return Verdict(False, describe_failure(case, mistake.message + detail), mistake.name)

    if diagnose is not None:
        verdict = diagnose(case, received, expected)
        if verdict is not None:
            return verdict

    for part, r, e in zip(parts, received, expected):
        label = part.name if many else what
        if r.shape != e.shape:
            return wrong_shape(case, r, e, label)
    for part, r, e in zip(parts, received, expected):
        label = part.name if many else what
        if not np.all(np.isfinite(r)) and np.all(np.isfinite(e)):
            return not_finite(case, r, label)
    for part, r, e in zip(parts, received, expected):
        label = part.name if many else what
        a = _aligned(part, r, e)
        err = scaled_error(a, e)
        if err > tol:
            hint = ""
            if r.dtype.kind == "f" and r.dtype.itemsize < 8 and tol < 1e-5 and err < 1e-2:
                hint = (f"; your result is {r.dtype}, whose rounding alone is about 1e-7 relative: "
                        "compute in float64 (np.float64, or .double() in torch)")
            why = relation(a, e, sizes_of(case.args))
            return Verdict(False, describe_failure(
                case,
                f"{label} is wrong{': ' + why if why else ''}; expected {fmt(e)}, received {fmt(r)}; {difference(a, e)} "
                f"(error {err:.2e} relative to the largest expected entry, tolerance {tol:.0e}){hint}"),
                "wrong_value")
    for part, r in zip(parts, received):
        if dtype_kind is not None and r.dtype.kind != dtype_kind:
            name, message = dtype_mistake
            return Verdict(False, describe_failure(case, f"{message} (received dtype {r.dtype})"), name)
    return Verdict(False, describe_failure(case, f"{what} is wrong"), "wrong_value")


def judge_all(cases: list[Case], outcomes: list[Outcome], reference: Callable[..., object], tol: float,
              mistakes: Sequence[Mistake] = (), **kwargs) -> Verdict:
    """Judge every case in order; the verdict is the first failure (with its input), or a pass."""
    if len(outcomes) != len(cases):
        return Verdict(False, "the grader received no result for some inputs", "missing")
    for case, outcome in zip(cases, outcomes):
        verdict = judge_parts(case, outcome, reference(*case.args.values()), tol, mistakes, **kwargs)
        if not verdict.passed:
            return verdict
    return Verdict.ok(f"all {len(cases)} inputs correct")
