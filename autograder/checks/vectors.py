"""Hidden checks for 01-vectors: dot, norm, cosine similarity (pairwise, zero vectors,
batched), nearest neighbours, standardising feature columns and recommending songs.

Conventions the prompts state and the checks use:

* values: relative error with a floor (``compare.rel_error``) at most 1e-8, or 1e-5 when
  an input is float32;
* the cosine similarity with a zero vector is 0.0 (never nan, never an error);
* standardise uses the population standard deviation (ddof=0) and maps a column whose
  values are all equal to zeros;
* rankings are judged by the cosines of the items returned, so any order among items whose
  cosines agree to within 1e-9 is accepted.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, inputs, register
from autograder.checks._kit.compare import describe_failure, fmt, judge_value, raised
from autograder.harness.probes import Outcome

TOL = 1e-8
TOL_FLOAT32 = 1e-5
TIE_TOL = 1e-9  # cosines closer than this count as tied in rankings

# Verdict names judge_value gives on its own; any other name is a catalogued mistake.
_GENERIC = {"error", "wrong_type", "wrong_shape", "not_finite", "wrong_value", "missing", "complex_output"}
_NO_MATCH = np.empty((0, 0, 0))  # what a mistake returns when it cannot apply to an input


VALUE_TOL = Tolerance(TOL, "relative", floor=1e-8, float32=TOL_FLOAT32)
# Cosines lie in [-1, 1]: differences below TOL * 1e-4 = 1e-12 are rounding (an orthogonal
# pair's cosine is 0 only up to rounding), so the error is measured against at least 1e-4.
COSINE_TOL = Tolerance(TOL, "relative", floor=1e-4, float32=TOL_FLOAT32)
# Standardised values are about 1: the error is measured against at least 1.
STANDARDISED_TOL = Tolerance(TOL, "relative", floor=1.0, float32=TOL_FLOAT32)
RANK_TOL = Tolerance(TIE_TOL, "ranking", floor=TIE_TOL)
EPSILON = Mistake("epsilon", "your values are slightly too small for short vectors, as if a small epsilon was added to "
                  "the denominator |a| |b|; test for a zero norm and return 0.0 instead")


def _ranking_mistakes(*extra: Mistake) -> tuple[Mistake, ...]:
    """What a ranking judge can name beyond the generic verdicts."""
    return (
        Mistake("ascending", "you returned the k most similar items in ascending order; put the most similar first"),
        Mistake("least_similar", "you returned the k least similar items; the most similar have the largest cosine"),
        Mistake("skipped_first", "you skipped the most similar item"),
        Mistake("scores_not_indices", "you returned the similarity scores; return the indices of the items"),
        Mistake("ignored_k", "you returned a whole ranking; return only the first k"),
        Mistake("off_by_one_k", "you returned one index too many or too few; return exactly k"),
        Mistake("one_based", "your indices are one too large: Python counts from 0"),
        Mistake("not_sorted", "you found the right items but not in the right order; put the most similar first"),
        *extra,
    )


# ---------------------------------------------------------------- small generic helpers

def _f(x) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _tol(case: Case) -> float:
    for value in case.args.values():
        if isinstance(value, np.ndarray) and value.dtype == np.float32:
            return TOL_FLOAT32
    return TOL


def _raised(outcome: Outcome) -> bool:
    """The student's code raised (not counting an unanswered `raise NotImplementedError()`,
    which judge_value reports as not answered yet)."""
    return bool(outcome.error) and not outcome.kind and not outcome.error.startswith("NotImplementedError")


def _mistake(name: str, message: str, compute: Callable, allow_nan: bool = False) -> Mistake:
    """A Mistake whose compute never raises or warns; it answers _NO_MATCH when it does not
    apply, and (unless allow_nan) when it would be nan, so that a nan from a student is not
    mistaken for this particular error."""

    def quiet(*args):
        with np.errstate(all="ignore"):
            try:
                value = np.asarray(compute(*args), dtype=float)
            except Exception:
                return _NO_MATCH
        if not allow_nan and np.isnan(value).any():
            return _NO_MATCH
        return value

    return Mistake(name, message, quiet)


def _judge(
    cases: list[Case],
    outcomes: list[Outcome],
    reference: Callable,
    mistakes: list[Mistake],
    what: str,
    before: Callable | None = None,
    after: Callable | None = None,
    floor: float | None = None,
) -> Verdict:
    """judge_cases with a tolerance per case (float32 inputs get 1e-5), optional hooks for
    property-based diagnoses, and received vs expected appended to a named mistake."""
    if len(outcomes) != len(cases):
        return Verdict(False, "the grader received no result for some inputs", "missing")
    for case, outcome in zip(cases, outcomes):
        tol = _tol(case)
        expected = reference(*case.args.values())
        if before is not None:
            verdict = before(case, outcome, expected)
            if verdict is not None:
                return verdict
        if isinstance(outcome.value, np.ndarray) and outcome.value.dtype.kind not in "biufc":
            # e.g. a Python int too large for int64 arrives as an object array
            return Verdict(False, describe_failure(case, f"{what} is not a usable number: it arrived as "
                                                   f"{fmt(outcome.value)} with dtype {outcome.value.dtype}"),
                           "wrong_type")
        verdict = judge_value(case, outcome, expected, tol, mistakes, what=what,
                              equivalent=_floored(tol * floor) if floor else None)
        if verdict.passed:
            continue
        if after is not None and verdict.mistake == "wrong_value":
            verdict = after(case, outcome, expected, tol) or verdict
        elif verdict.mistake not in _GENERIC:
            verdict.message += f"\n  {what}: {_received_vs_expected(outcome.value, expected)} (tolerance {tol:.0e})"
        return verdict
    return Verdict.ok(f"all {len(cases)} inputs correct")


def _received_vs_expected(received, expected) -> str:
    """Both values when they are small; otherwise the entry where they differ most."""
    received, expected = np.asarray(received), np.asarray(expected)
    if max(received.size, expected.size) <= 8 or received.shape != expected.shape:
        return f"expected {fmt(expected)}, received {fmt(received)}"
    with np.errstate(invalid="ignore"):
        gap = np.nan_to_num(np.abs(_f(received) - _f(expected)), nan=np.inf)
    where = np.unravel_index(int(np.argmax(gap)), expected.shape)
    index = "[" + ", ".join(str(int(i)) for i in where) + "]"
    return (f"shape {expected.shape} as expected, but entry {index} is {float(received[where]):.6g} "
            f"where {float(expected[where]):.6g} was expected")


def _floored(atol: float):
    """An ``equivalent`` for judge_value that accepts an absolute error up to ``atol``: with it,
    the error measure is max|x - y| / max(floor, |x| + |y|) for a larger floor than 1e-8."""

    def align(received: np.ndarray, expected: np.ndarray) -> np.ndarray:
        received, expected = _f(received), _f(expected)
        with np.errstate(invalid="ignore"):
            return np.where(np.abs(received - expected) <= atol, expected, received)

    return align


def _prefer_named(judge: Callable[[list[Case], list[Outcome]], Verdict]):
    """Judge case by case; when the first failure is a generic nan or inf, report the first
    catalogued mistake a later input reveals instead, if there is one."""

    def judge_named(cases: list[Case], outcomes: list[Outcome]) -> Verdict:
        if len(outcomes) != len(cases):
            return Verdict(False, "the grader received no result for some inputs", "missing")
        first = None
        for case, outcome in zip(cases, outcomes):
            verdict = judge([case], [outcome])
            if verdict.passed:
                continue
            if verdict.mistake not in _GENERIC:
                # a later mistake explains an earlier nan; an earlier wrong value or error stands
                return verdict if first is None or first.mistake == "not_finite" else first
            first = first or verdict
        return first or Verdict.ok(f"all {len(cases)} inputs correct")

    return judge_named


# ------------------------------------------------------------------------------ dot

def _dot_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(3, 9))
    return [
        Case("two random vectors", {"a": rng.normal(size=n), "b": rng.normal(size=n)}),
        Case("vectors of very different scales (about 1e3 and 1e-3)",
             {"a": 1e3 * rng.normal(size=n), "b": 1e-3 * rng.normal(size=n)}),
        Case("vectors of length 1", {"a": rng.normal(size=1), "b": rng.normal(size=1)}),
        Case("integer vectors", {"a": rng.integers(-5, 6, size=n), "b": rng.integers(-5, 6, size=n)}),
        Case("orthogonal vectors", {"a": np.array([2.0, 0.0, 0.0]), "b": np.array([0.0, -3.0, 0.0])}),
        Case("float32 vectors", {"a": rng.uniform(0.5, 2, size=n).astype(np.float32),
                                 "b": rng.uniform(0.5, 2, size=n).astype(np.float32)}),
    ]


def _dot_reference(a, b):
    return float(np.sum(_f(a) * _f(b)))


DOT_MISTAKES = [
    _mistake("elementwise", "you returned the element-wise product a * b; the dot product sums it to one number",
             lambda a, b: _f(a) * _f(b)),
    _mistake("sum_of_sums", "you returned sum(a) * sum(b); the dot product sums the products a[i] * b[i]",
             lambda a, b: np.sum(_f(a)) * np.sum(_f(b))),
    _mistake("abs_values", "you took absolute values; the dot product keeps the signs of a[i] * b[i]",
             lambda a, b: np.sum(np.abs(_f(a) * _f(b)))),
    _mistake("mean_not_sum", "you returned the mean of a[i] * b[i]; the dot product is their sum (no division by the length)",
             lambda a, b: np.mean(_f(a) * _f(b))),
    _mistake("sum_of_plus", "you returned the sum of a[i] + b[i]; the dot product multiplies matching entries, then adds",
             lambda a, b: np.sum(_f(a) + _f(b))),
    _mistake("norm_product", "you returned |a| |b|, the product of the lengths; the dot product is |a| |b| cos(angle), "
             "computed as the sum of a[i] * b[i]",
             lambda a, b: np.sqrt(np.sum(_f(a) ** 2) * np.sum(_f(b) ** 2))),
]

check_dot = register(Check(
    id="vectors.dot",
    target="dot",
    summary="dot(a, b) matches the reference on fresh random vectors (tolerance 1e-8)",
    make_cases=_dot_cases,
    judge=_prefer_named(lambda cases, outcomes: _judge(cases, outcomes, _dot_reference, DOT_MISTAKES, "dot(a, b)")),
    forbidden=scratch.NUMPY_DOT,
    watch=scratch.WATCH_NUMPY_DOT,
    tolerance=VALUE_TOL,
    kind="value",
    mistakes=DOT_MISTAKES,
)).runner()


# ----------------------------------------------------------------------------- norm

def _norm_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(3, 9))
    return [
        Case("a random vector", {"v": rng.normal(size=n)}),
        Case("a vector with positive entries", {"v": rng.uniform(0.5, 3, size=n)}),
        Case("a vector with entries about 1e3", {"v": 1e3 * rng.normal(size=n)}),
        Case("a vector with entries about 1e-3", {"v": 1e-3 * rng.normal(size=n)}),
        Case("a vector of length 1 with a negative entry", {"v": np.array([-rng.uniform(1, 5)])}),
        Case("an integer vector", {"v": rng.integers(-6, 7, size=n)}),
        Case("the zero vector", {"v": np.zeros(n)}),
        Case("a float32 vector", {"v": rng.normal(size=n).astype(np.float32)}),
    ]


def _norm_reference(v):
    return float(np.sqrt(np.sum(_f(v) ** 2)))


NORM_MISTAKES = [
    _mistake("no_sqrt", "you returned the squared length v . v; the Euclidean norm is its square root",
             lambda v: np.sum(_f(v) ** 2)),
    _mistake("l1_norm", "you returned the sum of absolute values (the L1 norm); the Euclidean norm is sqrt(sum of squares)",
             lambda v: np.sum(np.abs(_f(v)))),
    _mistake("max_norm", "you returned the largest absolute entry (the max norm); the Euclidean norm is sqrt(sum of squares)",
             lambda v: np.max(np.abs(_f(v)))),
    _mistake("rms", "you divided by the length of the vector (root mean square); the Euclidean norm is sqrt(sum of squares)",
             lambda v: np.sqrt(np.mean(_f(v) ** 2))),
    _mistake("elementwise", "you returned one number per entry (their absolute values); the norm is a single number, "
             "sqrt(v[0]**2 + v[1]**2 + ...)",
             lambda v: np.abs(_f(v))),
    _mistake("no_square", "you took the square root of the sum of the entries; square each entry first",
             lambda v: np.sqrt(np.sum(_f(v)))),
]

check_norm = register(Check(
    id="vectors.norm",
    target="norm",
    summary="norm(v) matches the reference on fresh random vectors (tolerance 1e-8)",
    make_cases=_norm_cases,
    judge=_prefer_named(lambda cases, outcomes: _judge(cases, outcomes, _norm_reference, NORM_MISTAKES, "norm(v)")),
    forbidden=scratch.LIBRARY_NORM,
    tolerance=VALUE_TOL,
    kind="value",
    mistakes=NORM_MISTAKES,
)).runner()


# ------------------------------------------------------------------ cosine similarity

def _norms(A: np.ndarray) -> np.ndarray:
    return np.sqrt(np.sum(A * A, axis=-1))


def _cos_matrix(A, B) -> np.ndarray:
    A, B = _f(A), _f(B)
    num = A @ B.T
    den = np.outer(_norms(A), _norms(B))
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _cosine(a, b):
    """The reference: 1-D pair -> float, 2-D (n, d), (m, d) -> (n, m); 0.0 with a zero vector."""
    a, b = _f(a), _f(b)
    if a.ndim == 2:
        return _cos_matrix(a, b)
    return float(_cos_matrix(a[None], b[None])[0, 0])


def _zero_nan(a, b):
    """Cosine with nan wherever a zero vector is involved (0 / 0)."""
    a, b = _f(a), _f(b)
    num = np.sum(a * b) if a.ndim == 1 else _f(a) @ _f(b).T
    den = _norms(a) * _norms(b) if a.ndim == 1 else np.outer(_norms(a), _norms(b))
    return num / den


def _has_zero(case: Case) -> bool:
    return any(isinstance(v, np.ndarray) and v.ndim == 1 and not np.any(v) for v in case.args.values())


_orthogonal_pair = inputs.orthogonal_pair


def _cosine_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(3, 9))
    a = rng.normal(size=n)
    ortho_a, ortho_b = _orthogonal_pair(rng, n)
    return [
        Case("two random vectors", {"a": rng.normal(size=n), "b": rng.normal(size=n)}),
        Case("vectors of very different scales (about 1e3 and 1e-3)",
             {"a": 1e3 * rng.normal(size=n), "b": 1e-3 * rng.normal(size=n)}),
        Case("integer vectors", {"a": rng.integers(-5, 6, size=n) | 1, "b": rng.integers(-5, 6, size=n) | 1}),
        Case("b is a positive multiple of a (parallel)", {"a": a, "b": rng.uniform(0.5, 3) * a}),
        Case("b is a negative multiple of a (antiparallel)", {"a": a.copy(), "b": -rng.uniform(0.5, 3) * a}),
        Case("orthogonal vectors", {"a": ortho_a, "b": ortho_b}),
        Case("vectors of length 1", {"a": rng.normal(size=1), "b": -np.abs(rng.normal(size=1))}),
        Case("short vectors (entries about 1e-3)", {"a": 1e-3 * rng.normal(size=n), "b": 1e-3 * rng.normal(size=n)}),
        Case("float32 vectors", {"a": rng.uniform(0.1, 2, size=n).astype(np.float32),
                                 "b": rng.uniform(0.1, 2, size=n).astype(np.float32)}),
        Case("orthogonal vectors in general position (cosine 0 up to rounding)",
             dict(zip("ab", inputs.orthogonal_up_to_rounding(rng, n, 1e3)))),
    ]


def _l1(x):
    return np.sum(np.abs(_f(x)), axis=-1)


COSINE_MISTAKES = [
    _mistake("no_norm", "you returned the dot product a . b; the cosine divides it by |a| |b|",
             lambda a, b: np.sum(_f(a) * _f(b))),
    _mistake("one_norm", "you divided by only one of the two norms; the cosine divides a . b by |a| |b|",
             lambda a, b: np.sum(_f(a) * _f(b)) / _norms(_f(a))),
    _mistake("one_norm", "you divided by only one of the two norms; the cosine divides a . b by |a| |b|",
             lambda a, b: np.sum(_f(a) * _f(b)) / _norms(_f(b))),
    _mistake("squared_norms", "you divided by the squared norms |a|^2 |b|^2; the cosine divides by |a| |b|",
             lambda a, b: np.sum(_f(a) * _f(b)) / (_norms(_f(a)) ** 2 * _norms(_f(b)) ** 2)),
    _mistake("sum_of_norms", "you divided by |a| + |b|; the cosine divides a . b by the product |a| |b|",
             lambda a, b: np.sum(_f(a) * _f(b)) / (_norms(_f(a)) + _norms(_f(b)))),
    _mistake("l1_norms", "you divided by the L1 norms (sums of absolute values); the cosine uses the Euclidean norms",
             lambda a, b: np.sum(_f(a) * _f(b)) / (_l1(a) * _l1(b))),
    _mistake("angle", "you returned the angle in radians (arccos of the cosine); return the cosine itself",
             lambda a, b: np.arccos(np.clip(_cosine(a, b), -1, 1))),
    _mistake("angle", "you returned the angle in degrees; return the cosine of the angle itself",
             lambda a, b: np.degrees(np.arccos(np.clip(_cosine(a, b), -1, 1)))),
    _mistake("distance", "you returned the cosine distance 1 - cos; return the cosine similarity",
             lambda a, b: 1 - _cosine(a, b)),
    _mistake("abs_cosine", "you returned the absolute value of the cosine; opposite directions must give a negative value",
             lambda a, b: np.abs(_cosine(a, b))),
    _mistake("euclidean", "you returned the Euclidean distance |a - b|; the cosine is a . b / (|a| |b|)",
             lambda a, b: _norms(_f(a) - _f(b))),
]


def _epsilon(case: Case, outcome: Outcome, expected, tol: float) -> Verdict | None:
    """A result slightly smaller in magnitude than the cosine, by a factor |a||b| / (|a||b| + eps)
    with a small eps: the student added an epsilon to the denominator."""
    received, expected = _f(outcome.value), _f(expected)
    if received.shape != expected.shape:
        return None
    a, b = (_f(v) for v in case.args.values())
    den = _norms(a) * _norms(b) if a.ndim == 1 else np.outer(_norms(a), _norms(b))
    mask = np.abs(expected) > 1e-3
    if not mask.any():
        return None
    den = np.broadcast_to(_f(den), expected.shape)
    with np.errstate(all="ignore"):
        ratio = received[mask] / expected[mask]
        implied = den[mask] * (1 / ratio - 1)
    if np.all((ratio > 0.5) & (ratio < 1)) and np.all((implied > 0) & (implied <= 1e-3)):
        eps = float(np.max(implied))
        return Verdict(False, describe_failure(
            case,
            f"your values are slightly too small for short vectors, as if a small number (about {eps:.0e}) was added to "
            f"the denominator |a| |b|; that error exceeds the tolerance {tol:.0e} when the norms are small. "
            "Test for a zero norm and return 0.0 instead of adding an epsilon"
            f"\n  expected {fmt(expected)}, received {fmt(received)}"), "epsilon")
    return None


def _pairwise_before(case: Case, outcome: Outcome, expected) -> Verdict | None:
    value = outcome.value
    if not outcome.error and isinstance(value, np.ndarray) and value.ndim > 0 and value.size == 1:
        return Verdict(False, describe_failure(
            case, f"for two 1-D vectors return a single float, but your function returned an array of shape "
            f"{value.shape}; convert it, e.g. float(result[0, 0])"), "not_scalar")
    return None


check_cosine_pairwise = register(Check(
    id="vectors.cosine_pairwise",
    target="cosine_similarity",
    summary="cosine_similarity(a, b) gives the right values on fresh random 1-D vectors (tolerance 1e-8)",
    make_cases=_cosine_cases,
    judge=_prefer_named(lambda cases, outcomes: _judge(cases, outcomes, _cosine, COSINE_MISTAKES, "cosine_similarity(a, b)",
                                         before=_pairwise_before, after=_epsilon, floor=COSINE_TOL.floor)),
    tolerance=COSINE_TOL,
    kind="value",
    mistakes=[*COSINE_MISTAKES, EPSILON,
              Mistake("not_scalar", "for two 1-D vectors return a single float, not an array")],
)).runner()


# ------------------------------------------------------------ cosine with zero vectors

def _zero_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(3, 9))
    return [
        Case("a is the zero vector", {"a": np.zeros(n), "b": rng.normal(size=n)}),
        Case("b is the zero vector", {"a": rng.normal(size=n), "b": np.zeros(n)}),
        Case("both are zero vectors", {"a": np.zeros(n), "b": np.zeros(n)}),
        Case("zero vectors of length 1", {"a": np.zeros(1), "b": np.zeros(1)}),
        Case("an integer zero vector", {"a": np.zeros(n, dtype=int), "b": rng.integers(1, 6, size=n)}),
    ]


ZERO_MISTAKES = [
    _mistake("zero_nan", "with a zero vector your function returned nan (0 / 0); the convention in this assignment "
             "is that the cosine with a zero vector is 0.0: test for a zero norm before dividing",
             lambda a, b: _zero_nan(a, b), allow_nan=True),
    _mistake("zero_is_one", "with a zero vector your function returned 1.0; a zero vector has no direction, so it "
             "is not similar to anything: the convention is 0.0",
             lambda a, b: 1.0),
    _mistake("zero_is_minus_one", "with a zero vector your function returned -1.0; the convention is 0.0",
             lambda a, b: -1.0),
]


def _zero_error(case: Case, outcome: Outcome, expected) -> Verdict | None:
    if _raised(outcome) and _has_zero(case):
        return Verdict(False, describe_failure(
            case, f"your function raised an error for a zero vector ({outcome.error}); the convention is that the "
            "cosine with a zero vector is 0.0: test for a zero norm before dividing"), "zero_error")
    return None


check_cosine_zero = register(Check(
    id="vectors.cosine_zero",
    target="cosine_similarity",
    summary="cosine_similarity returns 0.0 (not nan, not an error) when a vector is zero",
    make_cases=_zero_cases,
    judge=_prefer_named(lambda cases, outcomes: _judge(cases, outcomes, _cosine, ZERO_MISTAKES, "cosine_similarity(a, b)",
                                         before=_zero_error, floor=COSINE_TOL.floor)),
    tolerance=COSINE_TOL,
    kind="value",
    mistakes=[*ZERO_MISTAKES,
              Mistake("zero_error", "your function raised an error for a zero vector; the cosine with a zero vector is 0.0")],
)).runner()


# ------------------------------------------------------------------- batched cosine

def _batched_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(3, 7))
    n = int(rng.integers(3, 6))
    m = n + int(rng.integers(1, 3))
    A = rng.normal(size=(n, d))
    Az = rng.normal(size=(n, d))
    Bz = rng.normal(size=(m, d))
    Az[int(rng.integers(n))] = 0.0
    Bz[int(rng.integers(m))] = 0.0
    return [
        Case("A and B with the same number of rows", {"A": rng.normal(size=(n, d)), "B": rng.normal(size=(n, d))}),
        Case("A and B with different numbers of rows", {"A": rng.normal(size=(n, d)), "B": rng.normal(size=(m, d))}),
        Case("A with a single row", {"A": rng.normal(size=(1, d)), "B": rng.normal(size=(m, d))}),
        Case("B equal to A", {"A": A, "B": A.copy()}),
        Case("rows of very different scales", {"A": 1e3 * rng.normal(size=(n, d)) * rng.uniform(0.5, 2, size=(n, 1)),
                                               "B": 1e-3 * rng.normal(size=(m, d))}),
        Case("short rows (entries about 1e-3)", {"A": 1e-3 * rng.normal(size=(n, d)), "B": 1e-3 * rng.normal(size=(m, d))}),
        Case("integer matrices", {"A": rng.integers(-4, 5, size=(m, d)) | 1, "B": rng.integers(-4, 5, size=(n, d)) | 1}),
        Case("a zero row in A and in B", {"A": Az, "B": Bz}),
    ]


def _frobenius(X):
    return np.sqrt(np.sum(_f(X) ** 2))


BATCHED_MISTAKES = [
    _mistake("transposed", "your result is transposed: entry [i, j] must compare row i of A with row j of B, "
             "so the shape is (len(A), len(B))",
             lambda A, B: _cos_matrix(B, A)),
    _mistake("rowwise", "you compared row i of A only with row i of B; the batched result compares every row of A "
             "with every row of B, an (n, m) matrix",
             lambda A, B: np.array([_cosine(x, y) for x, y in zip(_f(A), _f(B))]) if len(A) == len(B) else _NO_MATCH),
    _mistake("first_row", "you used only the first row of A; the batched result has one row per row of A",
             lambda A, B: _cos_matrix(_f(A)[:1], B)[0]),
    _mistake("wrong_axis", "you normalised the columns of A and B; the norms must be taken along each row (axis=1), "
             "one norm per vector",
             lambda A, B: (_f(A) / np.sqrt(np.sum(_f(A) ** 2, axis=0))) @ (_f(B) / np.sqrt(np.sum(_f(B) ** 2, axis=0))).T),
    _mistake("no_norm", "you returned the dot products A B^T without dividing by the row norms",
             lambda A, B: _f(A) @ _f(B).T),
    _mistake("one_norm", "you divided by the norms of the rows of only one of A and B; divide entry [i, j] by "
             "|A[i]| |B[j]|",
             lambda A, B: (_f(A) @ _f(B).T) / _norms(_f(A))[:, None]),
    _mistake("one_norm", "you divided by the norms of the rows of only one of A and B; divide entry [i, j] by "
             "|A[i]| |B[j]|",
             lambda A, B: (_f(A) @ _f(B).T) / _norms(_f(B))[None, :]),
    _mistake("squared_norms", "you divided by the squared row norms; divide entry [i, j] by |A[i]| |B[j]|",
             lambda A, B: (_f(A) @ _f(B).T) / np.outer(_norms(_f(A)) ** 2, _norms(_f(B)) ** 2)),
    _mistake("whole_matrix_norm", "you divided by the norms of the whole matrices; each entry [i, j] is divided by the "
             "norms of its own two rows, |A[i]| |B[j]|",
             lambda A, B: (_f(A) @ _f(B).T) / (_frobenius(A) * _frobenius(B))),
    _mistake("distance", "you returned the cosine distances 1 - cos; return the cosine similarities",
             lambda A, B: 1 - _cos_matrix(A, B)),
    _mistake("zero_nan", "rows of zeros gave nan; the convention is that the cosine with a zero vector is 0.0, "
             "in the batched case too",
             lambda A, B: _zero_nan(A, B), allow_nan=True),
]


def _batched_before(case: Case, outcome: Outcome, expected) -> Verdict | None:
    if not outcome.error and isinstance(outcome.value, np.ndarray) and outcome.value.ndim == 0:
        return Verdict(False, describe_failure(
            case, f"for 2-D inputs A (n, d) and B (m, d) your function returned a single number; it should return "
            f"the matrix of shape {np.shape(expected)} whose entry [i, j] is the cosine of A[i] and B[j]"),
            "not_batched")
    if _raised(outcome):
        A, B = case.args["A"], case.args["B"]
        if any(not np.any(row) for row in np.concatenate([A, B])):
            return Verdict(False, describe_failure(
                case, f"your function raised an error on rows of zeros ({outcome.error}); the convention is that the "
                "cosine with a zero vector is 0.0, in the batched case too"), "zero_error")
        hint = ""
        if len(A) != len(B):
            hint = " (A and B have different numbers of rows: do not pair row i of A with row i of B)"
        return Verdict(False, describe_failure(
            case, f"your code raised an error on 2-D input{hint}: {outcome.error}"), "error")
    return None


check_cosine_batched = register(Check(
    id="vectors.cosine_batched",
    target="cosine_similarity",
    summary="cosine_similarity(A, B) returns the (n, m) matrix of cosines for 2-D inputs (tolerance 1e-8)",
    make_cases=_batched_cases,
    judge=_prefer_named(lambda cases, outcomes: _judge(cases, outcomes, _cosine, BATCHED_MISTAKES, "cosine_similarity(A, B)",
                                         before=_batched_before, after=_epsilon, floor=COSINE_TOL.floor)),
    tolerance=COSINE_TOL,
    kind="value",
    mistakes=[*BATCHED_MISTAKES, EPSILON,
              Mistake("not_batched", "for 2-D inputs A (n, d) and B (m, d) your function returned a single number, not the "
                      "(n, m) matrix of cosines"),
              Mistake("zero_error", "your function raised an error on rows of zeros; the cosine with a zero vector is 0.0")],
)).runner()


# ------------------------------------------------------------------------- rankings

def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest scores, largest first (stable among ties)."""
    return np.argsort(-scores, kind="stable")[:k]


def _as_indices(outcome: Outcome):
    value = outcome.value
    if isinstance(value, tuple) and all(np.ndim(v) == 0 for v in value):
        value = np.array(value)
    return value


def _judge_ranking(
    case: Case,
    outcome: Outcome,
    scores: np.ndarray,
    k: int,
    what: str,
    alternatives: list[tuple[str, str, np.ndarray]],
    extra: Callable[[np.ndarray], Verdict | None] | None = None,
) -> Verdict:
    """Judge a returned list of indices by the scores of the items it names.

    ``scores`` holds the reference cosine of every item (-inf for an excluded item);
    ``alternatives`` are (mistake, message, ranking) for catalogued wrong rankings.
    """
    fail = lambda msg, name: Verdict(False, describe_failure(case, msg), name)  # noqa: E731
    if outcome.error:  # the kit words errors, unanswered questions and unreadable results
        return raised(case, outcome, what)
    value = _as_indices(outcome)
    if isinstance(value, (tuple, dict)):
        return fail(f"{what} should be one array of indices, but your function returned a {type(value).__name__}",
                    "wrong_type")
    r = np.asarray(value)
    n = len(scores)
    expected = np.sort(scores[np.isfinite(scores)])[::-1][:k]
    if r.dtype.kind == "f" and not np.all(np.isfinite(r) & (r == np.round(r))):
        for target in (expected, np.sort(scores[np.isfinite(scores)])[::-1], scores):
            if r.shape == target.shape and np.allclose(r, target, atol=1e-6):
                return fail(f"you returned the similarity scores {fmt(r)}; {what} should return the indices of the "
                            "items (integers), most similar first", "scores_not_indices")
        return fail(f"{what} should contain integer indices, but it holds the numbers {fmt(r)}", "wrong_type")
    if r.dtype.kind not in "iuf":
        return fail(f"{what} should contain integer indices, got dtype {r.dtype}", "wrong_type")
    if r.ndim != 1:
        return fail(f"{what} should be a 1-D array of k={k} indices, got shape {r.shape}", "wrong_shape")
    r = r.astype(int)
    n_valid = int(np.isfinite(scores).sum())
    if len(r) != k:
        if len(r) in (n, n_valid) and k < n_valid:
            return fail(f"you returned {len(r)} indices, a whole ranking; return only the first k={k}", "ignored_k")
        count = f"{len(r)} index" if len(r) == 1 else f"{len(r)} indices"
        if extra is not None:
            verdict = extra(r)
            if verdict is not None:
                return verdict
        if abs(len(r) - k) == 1:
            return fail(f"you returned {count}, one {'too many' if len(r) > k else 'too few'}; "
                        f"return exactly k={k}", "off_by_one_k")
        return fail(f"you returned {count}; expected exactly k={k}", "wrong_length")
    one_based = fail(f"your indices {fmt(r)} are one too large: Python counts from 0, so the first item has "
                     "index 0", "one_based")
    shifted_right = np.all((r >= 1) & (r <= n)) and np.allclose(scores[np.clip(r - 1, 0, n - 1)], expected,
                                                                 rtol=0, atol=TIE_TOL)
    if np.any((r < 0) | (r >= n)):
        if shifted_right:
            return one_based
        return fail(f"{what} holds indices outside 0..{n - 1}: {fmt(r)}", "out_of_range")
    if len(set(r.tolist())) != len(r):
        return fail(f"{what} repeats an index: {fmt(r)}; each item may appear once", "duplicates")
    if extra is not None:
        verdict = extra(r)
        if verdict is not None:
            return verdict
    got = scores[r]
    if np.allclose(got, expected, rtol=0, atol=TIE_TOL):
        return Verdict.ok()
    detail = (f"\n  you returned indices {fmt(r)} whose cosine similarities are {fmt(got)}; "
              f"the {k} most similar items have cosine similarities {fmt(expected)} (ties within {TIE_TOL:.0e} "
              "may come in any order)")
    for name, message, ranking in alternatives:
        alt = scores[np.asarray(ranking, dtype=int)[:k]]
        if len(alt) == k and not np.allclose(alt, expected, rtol=0, atol=TIE_TOL) \
                and np.allclose(got, alt, rtol=0, atol=TIE_TOL):
            return fail(message + detail, name)
    if shifted_right:
        return one_based
    if np.allclose(np.sort(got), np.sort(expected), rtol=0, atol=TIE_TOL):
        return fail("you found the right items but not in the right order; put the most similar first" + detail,
                    "not_sorted")
    return fail(f"{what} is wrong" + detail, "wrong_value")


def _rank_alternatives(scores: np.ndarray, k: int) -> list[tuple[str, str, np.ndarray]]:
    order = _top(scores, len(scores))
    valid = order[np.isfinite(scores[order])]
    return [
        ("ascending", "you returned the k most similar items in ascending order; put the most similar first "
         "(descending cosine)", valid[:k][::-1]),
        ("least_similar", "you returned the k least similar items (sorted ascending and took the first k); "
         "the most similar items have the largest cosine", valid[::-1][:k]),
        ("skipped_first", "you skipped the most similar item; only leave an item out when the exercise says so",
         valid[1:k + 1]),
    ]


# --------------------------------------------------------------- nearest neighbours

def _distinct(scores: np.ndarray, k: int, alternatives) -> bool:
    """Whether every catalogued wrong ranking picks items whose cosines differ from the right
    answer's and from each other's; all but "ascending" must pick a different set of items."""
    right = scores[_top(scores, k)]
    vectors = [right]
    for name, _, ranking in alternatives:
        alt = scores[np.asarray(ranking, dtype=int)[:k]]
        if name != "ascending" and alt.shape == right.shape and np.allclose(np.sort(alt), np.sort(right), atol=1e-6):
            return False
        vectors.append(alt)
    for i in range(len(vectors)):
        for j in range(i):
            if vectors[i].shape == vectors[j].shape and np.allclose(vectors[i], vectors[j], atol=1e-6):
                return False
    return True


def _neighbour_rankings(query, items, k):
    q, X = _f(query), _f(items)
    s = _cos_matrix(q[None], X)[0]
    alternatives = _rank_alternatives(s, k)
    alternatives += [
        ("euclidean", "you ranked the items by Euclidean distance to the query; this exercise ranks by cosine "
         "similarity, which ignores the lengths of the vectors", np.argsort(_norms(X - q), kind="stable")),
        ("dot_product", "you ranked the items by their dot product with the query; divide by the norms to rank by "
         "cosine similarity, or long vectors win", _top(X @ q, len(X))),
    ]
    zero = _norms(X) == 0
    if zero.any():
        message = ("items that are zero vectors got nan similarity (0 / 0), which sorts unpredictably; their cosine "
                   "is 0.0 by the convention of this assignment")
        alternatives += [("zero_nan", message, _top(np.where(zero, -np.inf, s), len(s))),
                         ("zero_nan", message, _top(np.where(zero, np.inf, s), len(s)))]
    return s, alternatives


def _neighbour_case(rng: np.random.Generator, n: int, d: int, k: int, label: str, distinct: bool = False) -> Case:
    """Random items of very different lengths, without near-ties; with ``distinct``, every
    catalogued wrong ranking also picks items with different cosines from the right one
    and from each other, so the first such case names the mistake."""
    for _ in range(200):
        query = rng.normal(size=d)
        items = rng.normal(size=(n, d)) * 10 ** rng.uniform(-1, 1, size=(n, 1))
        s, alternatives = _neighbour_rankings(query, items, k)
        if np.min(np.abs(np.diff(np.sort(s)))) <= 1e-4:
            continue
        if not distinct or _distinct(s, k, alternatives):
            break
    return Case(label, {"query": query, "items": items, "k": k})


def _neighbour_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(3, 6))
    n = int(rng.integers(8, 12))
    q = rng.normal(size=d)
    q = 2 * q / _norms(q)
    noise = 0.3 / np.sqrt(d)
    # items mostly opposite the query, two close to it and one zero row: 0.0 belongs in the top 3
    opposite = -q * rng.uniform(0.5, 2, size=(n, 1)) + noise * rng.normal(size=(n, d))
    opposite[:2] = q * rng.uniform(0.5, 2, size=(2, 1)) + noise * rng.normal(size=(2, d))
    opposite[int(rng.integers(2, n))] = 0.0
    # ties: three items pointing the same way, close to the query, at different lengths
    base = q + noise * rng.normal(size=d)
    tied = np.concatenate([rng.normal(size=(n - 3, d)) - q, np.stack([base, 2 * base, base])])
    scale = _neighbour_case(rng, n, d, 3, "query about 1e-3, items about 1e3", distinct=True)
    scale.args["query"] = 1e-3 * scale.args["query"]
    scale.args["items"] = 1e3 * scale.args["items"]
    ints = rng.integers(-4, 5, size=(n, d))
    ints[:, 0] = rng.integers(1, 5, size=n)  # no zero rows here
    return [
        _neighbour_case(rng, n, d, 3, "random items of very different lengths, k=3", distinct=True),
        _neighbour_case(rng, n, d, 1, "k=1"),
        _neighbour_case(rng, n, d, n, "k equal to the number of items"),
        Case("a zero vector among the items (its cosine is 0.0)",
             {"query": q, "items": opposite[rng.permutation(n)], "k": 3}),
        Case("three items tied for the highest cosine, k=2", {"query": q, "items": tied[rng.permutation(n)], "k": 2}),
        scale,
        Case("integer query and items", {"query": rng.integers(1, 5, size=d), "items": ints, "k": 4}),
    ]


def _judge_neighbours(cases: list[Case], outcomes: list[Outcome]) -> Verdict:
    if len(outcomes) != len(cases):
        return Verdict(False, "the grader received no result for some inputs", "missing")
    for case, outcome in zip(cases, outcomes):
        query, items, k = case.args.values()
        scores, alternatives = _neighbour_rankings(query, items, k)
        verdict = _judge_ranking(case, outcome, scores, k, "nearest_neighbours(query, items, k)", alternatives)
        if not verdict.passed:
            return verdict
    return Verdict.ok(f"all {len(cases)} inputs correct")


check_nearest_neighbours = register(Check(
    id="vectors.nearest_neighbours",
    target="nearest_neighbours",
    summary="nearest_neighbours returns the k most cosine-similar items, most similar first",
    make_cases=_neighbour_cases,
    judge=_prefer_named(_judge_neighbours),
    tolerance=RANK_TOL,
    kind="ranking",
    mistakes=_ranking_mistakes(
        Mistake("euclidean", "you ranked the items by Euclidean distance to the query; this exercise ranks by cosine similarity"),
        Mistake("dot_product", "you ranked the items by their dot product with the query; divide by the norms"),
        Mistake("zero_nan", "items that are zero vectors got nan similarity (0 / 0); their cosine is 0.0")),
)).runner()


# ---------------------------------------------------------------------- standardise

def _standardise(X) -> np.ndarray:
    X = _f(X)
    constant = np.all(X == X[:1], axis=0)
    sd = np.where(constant, 1.0, X.std(axis=0))
    Z = (X - X.mean(axis=0)) / sd
    Z[:, constant] = 0.0
    return Z


def _song_table(rng: np.random.Generator, n: int) -> np.ndarray:
    """A table like songs.csv: five features in [0, 1], then tempo in BPM."""
    features = rng.uniform(0, 1, size=(n, 5))
    tempo = rng.uniform(60, 180, size=(n, 1))
    return np.round(np.hstack([features, tempo]), 3)


def _standardise_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(7, 11))
    offsets = np.array([0.0, 120.0, -8.0, 1e3])
    scales = np.array([1.0, 25.0, 3.0, 0.5])
    return [
        Case("a table like songs.csv (features in [0, 1], tempo in BPM)", {"X": _song_table(rng, n)}),
        Case("columns with different offsets and scales", {"X": offsets + scales * rng.normal(size=(n, 4))}),
        Case("an integer table", {"X": rng.integers(0, 10, size=(n, 3)) + np.arange(3) * 7}),
        Case("a table with two rows", {"X": rng.normal(size=(2, 5))}),
    ]


def _ddof1(X):
    X = _f(X)
    return (X - X.mean(0)) / X.std(0, ddof=1)


STANDARDISE_MISTAKES = [
    _mistake("sample_std", "you divided by the sample standard deviation (ddof=1); this assignment uses the "
             "population standard deviation, np.std's default (ddof=0)",
             _ddof1),
    _mistake("wrong_axis", "you standardised each row; standardise each column (feature), axis=0",
             lambda X: (_f(X) - _f(X).mean(1, keepdims=True)) / _f(X).std(1, keepdims=True)),
    _mistake("not_centred", "you divided by the standard deviation without subtracting the column mean first",
             lambda X: _f(X) / _f(X).std(0)),
    _mistake("not_scaled", "you subtracted the column means but did not divide by the standard deviations",
             lambda X: _f(X) - _f(X).mean(0)),
    _mistake("global_stats", "you used one mean and one standard deviation for the whole table; each column "
             "gets its own",
             lambda X: (_f(X) - _f(X).mean()) / _f(X).std()),
    _mistake("min_max", "you rescaled each column to [0, 1] (min-max scaling); standardising subtracts the mean "
             "and divides by the standard deviation",
             lambda X: (_f(X) - _f(X).min(0)) / (_f(X).max(0) - _f(X).min(0))),
    _mistake("variance", "you divided by the variance; divide by the standard deviation (its square root)",
             lambda X: (_f(X) - _f(X).mean(0)) / _f(X).var(0)),
]

check_standardise = register(Check(
    id="vectors.standardise",
    target="standardise",
    summary="standardise(X) gives every column mean 0 and standard deviation 1 (tolerance 1e-8)",
    make_cases=_standardise_cases,
    judge=_prefer_named(lambda cases, outcomes: _judge(cases, outcomes, _standardise, STANDARDISE_MISTAKES, "standardise(X)",
                                                                 floor=STANDARDISED_TOL.floor)),
    probe="call_unchanged",  # the prompt says: do not modify X
    tolerance=STANDARDISED_TOL,
    kind="value",
    mistakes=STANDARDISE_MISTAKES,
)).runner()


# -------------------------------------------------------- standardise, constant columns

# Dyadic constants: their mean is exact in floating point, so the standard deviation of a
# constant column comes out exactly 0 however it is computed.
_CONSTANTS = np.array([3.0, -2.5, 0.75, 120.0, 0.0, 64.0])


def _constant_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(6, 10))
    X = _song_table(rng, n)
    X[:, int(rng.integers(6))] = rng.choice(_CONSTANTS)
    ints = rng.integers(0, 10, size=(n, 4))
    ints[:, 1] = 7
    return [
        Case("one constant column", {"X": X}),
        Case("every column constant", {"X": np.tile(rng.choice(_CONSTANTS, size=4), (n, 1))}),
        Case("a single row (every column is constant)", {"X": rng.choice(_CONSTANTS, size=(1, 5))}),
        Case("an integer table with a constant column", {"X": ints}),
    ]


def _with_constant(fill):
    def compute(X):
        X = _f(X)
        constant = np.all(X == X[:1], axis=0)
        Z = _standardise(X)
        if fill is None:
            return Z[:, ~constant]
        Z[:, constant] = fill(X)[:, constant]
        return Z
    return compute


CONSTANT_MISTAKES = [
    _mistake("constant_nan", "a column whose values are all equal came out as nan (0 / 0); the convention is that "
             "such a column becomes all zeros: divide by 1 where the standard deviation is 0",
             _with_constant(lambda X: np.full(X.shape, np.nan)), allow_nan=True),
    _mistake("constant_unchanged", "a column whose values are all equal kept its original values; it should be "
             "centred like every other column, which makes it all zeros",
             _with_constant(lambda X: X)),
    _mistake("constant_ones", "a column whose values are all equal became ones; the convention is all zeros",
             _with_constant(lambda X: np.ones(X.shape))),
    _mistake("dropped_column", "you dropped the columns whose values are all equal; keep every column (as zeros), "
             "so the result has the same shape as X",
             _with_constant(None)),
]


def _constant_error(case: Case, outcome: Outcome, expected) -> Verdict | None:
    if _raised(outcome):
        return Verdict(False, describe_failure(
            case, f"your function raised an error on a table with a constant column ({outcome.error}); the "
            "convention is that a column whose values are all equal becomes all zeros"), "constant_error")
    return None


check_standardise_constant = register(Check(
    id="vectors.standardise_constant",
    target="standardise",
    summary="standardise(X) turns a column whose values are all equal into zeros (no nan)",
    make_cases=_constant_cases,
    judge=_prefer_named(lambda cases, outcomes: _judge(cases, outcomes, _standardise, CONSTANT_MISTAKES, "standardise(X)",
                                         before=_constant_error, floor=STANDARDISED_TOL.floor)),
    probe="call_unchanged",  # the prompt says: do not modify X
    tolerance=STANDARDISED_TOL,
    kind="value",
    mistakes=[*CONSTANT_MISTAKES,
              Mistake("constant_error", "your function raised an error on a table with a constant column; such a column "
                      "becomes all zeros")],
)).runner()


# ------------------------------------------------------------------------ recommend

def _recommend_rankings(X, i, k):
    X = _f(X)
    Z = _standardise(X)
    s = _cos_matrix(Z[i][None], Z)[0]
    s[i] = -np.inf

    def others(scores):
        scores = np.array(scores, dtype=float)
        scores[i] = -np.inf
        return _top(scores, len(scores))[:-1]

    raw = _cos_matrix(X[i][None], X)[0]
    scaled_only = X / X.std(0)
    minmax = (X - X.min(0)) / np.where(np.ptp(X, 0) > 0, np.ptp(X, 0), 1)
    alternatives = _rank_alternatives(s, k) + [
        ("raw_features", "you ranked by the cosine of the raw features; standardise the columns first, otherwise "
         "tempo (about 100 BPM) swamps the features between 0 and 1", others(raw)),
        ("not_centred", "you divided the columns by their standard deviations without subtracting the means; "
         "standardise means both", others(_cos_matrix(scaled_only[i][None], scaled_only)[0])),
        ("min_max", "you rescaled the columns to [0, 1] instead of standardising them (subtract the mean, divide by "
         "the standard deviation)", others(_cos_matrix(minmax[i][None], minmax)[0])),
        ("euclidean", "you ranked by Euclidean distance between standardised songs; this exercise ranks by cosine "
         "similarity", others(-_norms(Z - Z[i]))),
    ]
    return s, alternatives


def _recommend_case(rng: np.random.Generator, n: int, k: int, label: str, distinct: bool = False,
                    twin: bool = False) -> Case:
    for _ in range(200):
        X = _song_table(rng, n)
        i = int(rng.integers(1, n))
        if twin:
            X[int(rng.integers(0, i))] = X[i]  # an identical song with a smaller index
        s, alternatives = _recommend_rankings(X, i, k)
        if np.min(np.abs(np.diff(np.sort(s[np.isfinite(s)])))) <= 1e-4:
            continue
        if not distinct or _distinct(s, k, alternatives):
            break
    return Case(label, {"X": X, "i": i, "k": k})


def _recommend_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(10, 15))
    return [
        _recommend_case(rng, n, 3, "a table like songs.csv, k=3", distinct=True),
        _recommend_case(rng, n, 1, "k=1"),
        _recommend_case(rng, n, n - 1, "k = every other song"),
        _recommend_case(rng, n, 3, "song i has an identical twin (another row with the same features)",
                        twin=True),
    ]


def _has_twin(X, i) -> bool:
    """Whether another row of X has exactly the features of row i."""
    X = _f(X)
    return bool(np.any(np.all(X == X[i], axis=1).sum() > 1))


def _judge_recommend(cases: list[Case], outcomes: list[Outcome]) -> Verdict:
    if len(outcomes) != len(cases):
        return Verdict(False, "the grader received no result for some inputs", "missing")
    for case, outcome in zip(cases, outcomes):
        X, i, k = case.args.values()
        scores, alternatives = _recommend_rankings(X, i, k)

        def extra(r, case=case, i=i, k=k):
            if i in r:
                twin = " (another song can have exactly the same features, so drop song i by its index, not the " \
                       "first result)" if _has_twin(X, i) else ""
                return Verdict(False, describe_failure(
                    case, f"your list {fmt(r)} includes song i={i} itself; recommend the k={k} other songs most "
                    f"similar to it{twin}"), "includes_itself")
            if len(r) == k - 1:
                return Verdict(False, describe_failure(
                    case, f"you returned {len(r)} songs, one too few; if you took the top k and then removed song i, "
                    "take the top k + 1 instead"), "k_minus_one")
            return None

        verdict = _judge_ranking(case, outcome, scores, k, "recommend(X, i, k)", alternatives, extra)
        if not verdict.passed:
            return verdict
    return Verdict.ok(f"all {len(cases)} inputs correct")


check_recommend = register(Check(
    id="vectors.recommend",
    target="recommend",
    summary="recommend(X, i, k) returns the k songs most similar to song i after standardising, excluding song i",
    make_cases=_recommend_cases,
    judge=_prefer_named(_judge_recommend),
    tolerance=RANK_TOL,
    kind="ranking",
    mistakes=_ranking_mistakes(
        Mistake("raw_features", "you ranked by the cosine of the raw features; standardise the columns first"),
        Mistake("not_centred", "you divided the columns by their standard deviations without subtracting the means"),
        Mistake("min_max", "you rescaled the columns to [0, 1] instead of standardising them"),
        Mistake("euclidean", "you ranked by Euclidean distance between standardised songs, not by cosine similarity"),
        Mistake("includes_itself", "your list includes song i itself; recommend the k other songs most similar to it"),
        Mistake("k_minus_one", "you returned one song too few; take the top k + 1 before removing song i")),
)).runner()
