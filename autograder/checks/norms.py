"""Hidden checks for 11-norms: vector p-norms, matrix norms, unit balls, and how often the
Euclidean and the cosine neighbours of a point disagree.

Conventions the prompts state and these checks enforce:

* ``lp_norm(x, p)`` = (sum |x_i|^p)^(1/p) for p >= 1 and max |x_i| for p = np.inf; it must
  survive entries near 1e200 and 1e-200 (x**p overflows or underflows: divide by max |x_i|
  first and multiply back), and the zero vector has norm 0;
* ``frobenius(A)`` = sqrt(sum a_ij^2), with the same scaling rule; ``lp_norm`` and
  ``frobenius`` are written from scratch (no library norm);
* ``spectral_norm(A)`` = the largest singular value, ``nuclear_norm(A)`` = the sum of the
  singular values; both may use np.linalg.svd (or eigvalsh of A.T @ A), no library norm;
* ``unit_ball(p, n_points)``: an (n_points, 2) array of points with p-norm 1 (p > 0, or
  np.inf), spread round the whole curve: sorted by angle, neighbouring directions are never
  more than 15 degrees apart. Any parametrisation and any order is accepted;
* ``knn_disagreement(X, q, k)``: the fraction of the k Euclidean neighbours of row q that are
  not among its k cosine neighbours; row q itself is never a neighbour; a zero row has
  cosine 0; distances or cosines within 1e-6 of each other are tied, and when a tie straddles
  the k-th place every choice is accepted.

Scalars are judged relative to the expected value, ``|yours - expected| <= 1e-6 |expected|``.
"""

from __future__ import annotations

import itertools

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, each_case, register
from autograder.checks._kit.compare import complex_output, describe_failure, fmt, not_one_array, raised
from autograder.checks._kit.diagnose import relation, sizes_of

# Norms of vectors with entries near 1e-200 are themselves near 1e-200, so the absolute floor
# sits far below that; the zero vector's norm is exactly 0 in any honest computation.
TOL = Tolerance(1e-6, "close", floor=1e-300)
BALL_TOL = Tolerance(1e-6, "close", floor=1e-6)  # the p-norm of each point, against 1
MAX_GAP_DEGREES = 15.0
TIE = 1e-6
TIE_TOL = Tolerance(TIE, "ranking", floor=TIE)


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


# ---------------------------------------------------------------------------------------
# judging one number
# ---------------------------------------------------------------------------------------

def _close(received, expected, tol: float) -> bool:
    r, e = _f64(received), _f64(expected)
    if r.shape != e.shape:
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        both = (np.isnan(r) & np.isnan(e)) | (np.isinf(r) & np.isinf(e) & (np.sign(r) == np.sign(e)))
        ok = np.isfinite(e) & (np.abs(r - e) <= tol * np.abs(e) + TOL.floor)
    return bool(np.all(both | ok))


def _wrong(mistake: Mistake, case: Case):
    try:
        with np.errstate(all="ignore"):
            value = mistake.compute(*case.args.values())
    except Exception:  # a mistake that cannot occur on this input (eig of a non-square matrix)
        return None
    return None if value is None else _f64(value)


def _judge_number(case: Case, outcome, expected: float, mistakes, what: str, tol: float = TOL.value) -> Verdict:
    """One number: a pass within ``tol`` relative, else a catalogued mistake, else the facts."""
    if outcome.error:
        return raised(case, outcome, what)
    value = outcome.value
    if isinstance(value, (tuple, dict)):
        return not_one_array(case, value, what)
    r = np.asarray(value)
    if np.iscomplexobj(r):
        return complex_output(case, r, what, "take .real, or use a routine that returns real numbers")
    if r.ndim == 0 and _close(r, expected, tol):
        return Verdict.ok()
    for mistake in mistakes:
        wrong = _wrong(mistake, case)
        if wrong is None or wrong.shape != r.shape:
            continue
        if wrong.ndim == 0 and _close(wrong, expected, tol):
            continue  # this input cannot tell the mistake apart
        if _close(r, wrong, max(tol, 1e-6)):
            return Verdict(False, describe_failure(
                case, f"{mistake.message} (expected {fmt(expected)}, received {fmt(r)})"), mistake.name)
    if r.ndim != 0:
        return Verdict(False, describe_failure(
            case, f"{what} should be one number, but your function returned an array of shape {r.shape}: "
                  f"{fmt(r)}"), "wrong_shape")
    r64 = _f64(r)
    if not np.isfinite(r64) and np.isfinite(expected):
        return Verdict(False, describe_failure(
            case, f"{what} is {r64} where the expected value {expected:.6g} is finite"), "not_finite")
    why = relation(r64, _f64(expected), sizes_of(case.args))
    err = abs(float(r64) - float(expected)) / max(abs(float(expected)), TOL.floor)
    return Verdict(False, describe_failure(
        case, f"{what} is wrong{': ' + why if why else ''}; expected {float(expected):.10g}, received "
              f"{float(r64):.10g} (relative error {err:.2e}, tolerance {tol:.0e})"), "wrong_value")


def _judge_numbers(reference, mistakes, what: str):
    def judge(cases, outcomes):
        for case, outcome in zip(cases, outcomes):
            verdict = _judge_number(case, outcome, reference(*case.args.values()), mistakes, what)
            if not verdict.passed:
                return verdict
        return Verdict.ok(f"all {len(cases)} inputs correct")

    return judge


# ---------------------------------------------------------------------------------------
# lp_norm
# ---------------------------------------------------------------------------------------

def _lp_ref(x, p):
    """max|x| * (sum (|x| / max|x|)^p)^(1/p): no overflow, no underflow."""
    a = np.abs(_f64(x)).ravel()
    top = a.max() if a.size else 0.0
    if top == 0.0:
        return 0.0
    if np.isinf(p):
        return float(top)
    return float(top * np.sum((a / top) ** p) ** (1.0 / p))


def _naive(x, p):
    a = np.abs(_f64(x))
    if np.isinf(p):
        return a.max()
    return np.sum(a ** p) ** (1.0 / p)


def _unscaled_result(x, p):
    a = np.abs(_f64(x))
    if not a.any():
        return None
    return _lp_ref(a / a.max(), p)


def _zero_nan(x, p):
    return np.nan if not np.any(_f64(x)) else _lp_ref(x, p)


LP_MISTAKES = [
    Mistake("inf_no_abs", "for p = inf you returned the largest entry, max(x); the max norm is the largest ABSOLUTE "
            "entry, max(|x_i|), and a negative entry can be the largest in size",
            lambda x, p: np.max(_f64(x)) if np.isinf(p) else _lp_ref(x, p)),
    Mistake("inf_formula", "for p = inf you used the general formula: |x_i| ** inf is inf or 0 and the root "
            "1 / inf is 0, which gives 1; handle p = np.inf on its own as max(|x_i|)",
            lambda x, p: np.sum(np.abs(_f64(x)) ** p) ** (1.0 / p) if np.isinf(p) else _lp_ref(x, p)),
    Mistake("no_root", "you returned sum(|x_i| ** p) without the root; the p-norm is that sum to the power 1 / p",
            lambda x, p: _lp_ref(x, p) ** p if not np.isinf(p) else None),
    Mistake("no_abs", "you raised the entries to the power p without taking absolute values first; negative "
            "entries must count as positive: sum(|x_i| ** p) ** (1 / p)",
            lambda x, p: np.sum(_f64(x) ** p) ** (1.0 / p) if not np.isinf(p) else None),
    Mistake("square_root", "you took the square root of sum(|x_i| ** p) for every p; the root is the p-th, "
            "sum(...) ** (1 / p)", lambda x, p: np.sqrt(np.sum(np.abs(_f64(x)) ** p)) if not np.isinf(p) else None),
    Mistake("mean", "you averaged |x_i| ** p instead of adding them (a power mean, like the RMS); the p-norm "
            "uses the sum", lambda x, p: np.mean(np.abs(_f64(x)) ** p) ** (1.0 / p) if not np.isinf(p) else None),
    Mistake("zero_nan", "the zero vector gave nan: dividing by max(|x_i|) = 0 is 0 / 0; return 0.0 for the zero "
            "vector before scaling", _zero_nan),
    Mistake("not_rescaled", "you divided by max(|x_i|) but did not multiply the result back by it; the norm of "
            "x is max(|x_i|) * norm(x / max(|x_i|))", _unscaled_result),
    Mistake("sum_abs", "you returned the sum of |x_i| (the L1 norm) for every p; use the p you were given",
            lambda x, p: np.sum(np.abs(_f64(x)))),
]


def _vector(rng, n=None):
    n = int(rng.integers(5, 10)) if n is None else n
    x = rng.normal(size=n) * rng.uniform(0.5, 3.0)
    return x


def _negative_largest(rng, n):
    """A vector whose largest entry in size is negative, with positive entries as well."""
    x = rng.uniform(0.2, 2.0, size=n) * rng.choice([-1.0, 1.0], size=n)
    x[int(rng.integers(n))] = -rng.uniform(4.0, 6.0)
    x[x.argmax()] = abs(x.max()) + 0.5
    return x


def _lp_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(5, 10))
    return [
        Case("p = 2, a random vector with negative entries", {"x": _vector(rng, n), "p": 2.0}),
        Case("p = 1, a random vector with negative entries", {"x": _vector(rng, n), "p": 1.0}),
        Case("p = 3, a random vector with negative entries", {"x": _vector(rng, n), "p": 3.0}),
        Case("p = 1.5 (fractional)", {"x": _vector(rng, n), "p": 1.5}),
        Case("p = inf, the largest entry in size is negative", {"x": _negative_largest(rng, n), "p": np.inf}),
        Case("p = 2.5, entries of very different sizes", {"x": _vector(rng, n) * 10.0 ** rng.integers(-3, 4, n),
                                                          "p": 2.5}),
        Case("p = 4, a vector of length 1 with a negative entry", {"x": np.array([-rng.uniform(1, 5)]), "p": 4.0}),
        Case("p = 2, an integer vector", {"x": rng.integers(-6, 7, size=n), "p": 2.0}),
        Case("p = 3, a float32 vector", {"x": _vector(rng, n).astype(np.float32), "p": 3.0}),
        Case("p = 2, the zero vector", {"x": np.zeros(n), "p": 2.0}),
        Case("p = inf, the zero vector", {"x": np.zeros(n), "p": np.inf}),
        Case("p = 1.5, the zero vector", {"x": np.zeros(n), "p": 1.5}),
    ]


NO_SCALING = ("x ** p overflowed to inf (or underflowed to 0) on entries near 1e200 (or 1e-200); divide x by "
              "max(|x_i|) first, take the norm of that, and multiply back by max(|x_i|)")

SCALED_MISTAKES = [
    Mistake("no_scaling", NO_SCALING, _naive),
    Mistake("not_rescaled", LP_MISTAKES[7].message, _unscaled_result),
]


def _scaled_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(5, 10))
    return [
        Case("p = 2, entries near 1e200 (their squares overflow)", {"x": 1e200 * _vector(rng, n), "p": 2.0}),
        Case("p = 2, entries near 1e-200 (their squares underflow to 0)", {"x": 1e-200 * _vector(rng, n), "p": 2.0}),
        Case("p = 3, entries near 1e150", {"x": 1e150 * _vector(rng, n), "p": 3.0}),
        Case("p = 1.5, entries near 1e-250", {"x": 1e-250 * _vector(rng, n), "p": 1.5}),
        Case("p = 2, one entry near 1e180 among entries near 1", {"x": np.append(_vector(rng, n - 1), -3e180),
                                                                   "p": 2.0}),
        Case("p = inf, entries near 1e250", {"x": 1e250 * _negative_largest(rng, n), "p": np.inf}),
    ]


check_lp_norm = register(Check(
    id="norms.lp_norm",
    target="lp_norm",
    summary="lp_norm(x, p) gives the p-norm for p = 1, 2, fractional p and inf, negative entries and the zero "
            "vector (tolerance 1e-6 relative)",
    make_cases=_lp_cases,
    judge=_judge_numbers(_lp_ref, LP_MISTAKES, "lp_norm(x, p)"),
    forbidden=scratch.LIBRARY_NORM,
    tolerance=TOL,
    kind="value",
    mistakes=LP_MISTAKES,
)).runner()

check_lp_norm_scaled = register(Check(
    id="norms.lp_norm_scaled",
    target="lp_norm",
    summary="lp_norm(x, p) survives entries near 1e200 and 1e-200 by scaling (tolerance 1e-6 relative)",
    make_cases=_scaled_cases,
    judge=_judge_numbers(_lp_ref, SCALED_MISTAKES, "lp_norm(x, p)"),
    forbidden=scratch.LIBRARY_NORM,
    tolerance=TOL,
    kind="value",
    mistakes=SCALED_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# frobenius
# ---------------------------------------------------------------------------------------

def _fro_ref(A):
    return _lp_ref(_f64(A).ravel(), 2.0)


def _sv(A):
    return np.linalg.svd(_f64(A), compute_uv=False)


def _row_norms(A, axis=1):
    A = _f64(A)
    return np.array([_lp_ref(r, 2.0) for r in (A if axis == 1 else A.T)])


FRO_MISTAKES = [
    Mistake("no_scaling", NO_SCALING.replace("x ** p", "a_ij ** 2").replace("x by", "A by")
            .replace("max(|x_i|)", "max(|a_ij|)"), lambda A: np.sqrt(np.sum(_f64(A) ** 2))),
    Mistake("no_root", "you returned the sum of the squared entries; the Frobenius norm is its square root",
            lambda A: _fro_ref(A) ** 2),
    Mistake("sum_abs", "you added up the absolute values of the entries; the Frobenius norm is "
            "sqrt(sum of a_ij ** 2)", lambda A: np.sum(np.abs(_f64(A)))),
    Mistake("max_abs", "you returned the largest entry in size; the Frobenius norm is sqrt(sum of a_ij ** 2)",
            lambda A: np.max(np.abs(_f64(A)))),
    Mistake("spectral", "you returned the spectral norm (the largest singular value); the Frobenius norm is "
            "sqrt(sum of a_ij ** 2), the square root of the sum of ALL squared singular values",
            lambda A: _sv(A)[0]),
    Mistake("row_norms", "you returned the norm of each row; the Frobenius norm is one number over all entries",
            lambda A: _row_norms(A, 1)),
    Mistake("column_norms", "you returned the norm of each column; the Frobenius norm is one number over all "
            "entries", lambda A: _row_norms(A, 0)),
    Mistake("sum_of_row_norms", "you added up the norms of the rows; square them before adding, then take one "
            "square root: sqrt(sum of a_ij ** 2)", lambda A: np.sum(_row_norms(A, 1))),
    Mistake("mean", "you averaged the squared entries (a root mean square); the Frobenius norm adds them up",
            lambda A: _fro_ref(A) / np.sqrt(_f64(A).size)),
]


def _fro_cases(rng: np.random.Generator) -> list[Case]:
    m, n = int(rng.integers(4, 8)), int(rng.integers(3, 7))
    return [
        Case("a tall matrix with negative entries", {"A": rng.normal(size=(m + 2, n))}),
        Case("a wide matrix", {"A": rng.normal(size=(n, m + 3)) * 2.0}),
        Case("a square matrix", {"A": rng.normal(size=(n, n))}),
        Case("a 1 x n matrix", {"A": rng.normal(size=(1, m))}),
        Case("an integer matrix", {"A": rng.integers(-5, 6, size=(m, n))}),
        Case("a float32 matrix", {"A": rng.normal(size=(m, n)).astype(np.float32)}),
        Case("the zero matrix", {"A": np.zeros((m, n))}),
        Case("entries near 1e200 (their squares overflow)", {"A": 1e200 * rng.normal(size=(m, n))}),
        Case("entries near 1e-200 (their squares underflow)", {"A": 1e-200 * rng.normal(size=(n, m))}),
    ]


check_frobenius = register(Check(
    id="norms.frobenius",
    target="frobenius",
    summary="frobenius(A) gives sqrt(sum of a_ij ** 2), also for entries near 1e200 and 1e-200 (tolerance 1e-6 "
            "relative)",
    make_cases=_fro_cases,
    judge=_judge_numbers(_fro_ref, FRO_MISTAKES, "frobenius(A)"),
    forbidden=scratch.LIBRARY_NORM,
    tolerance=TOL,
    kind="value",
    mistakes=FRO_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# spectral_norm and nuclear_norm
# ---------------------------------------------------------------------------------------

def _triangular(rng, n):
    """A non-symmetric square matrix: its eigenvalues (the diagonal, the largest in size
    negative) are far smaller than its singular values."""
    diag = rng.uniform(0.3, 1.0, size=n)
    diag[0] = -rng.uniform(1.2, 1.6)
    return np.diag(diag) + np.triu(rng.normal(scale=4.0, size=(n, n)), 1)


def _symmetric_indefinite(rng, n):
    """Symmetric, its eigenvalue largest in size negative."""
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    values = np.concatenate([[-rng.uniform(5, 7)], rng.uniform(0.5, 3.0, size=n - 1)])
    return (q * values) @ q.T


def _rank(rng, m, n, r):
    return rng.normal(size=(m, r)) @ rng.normal(size=(r, n))


def _matrix_cases(rng: np.random.Generator) -> list[Case]:
    m, n = int(rng.integers(6, 9)), int(rng.integers(3, 6))
    return [
        Case("a non-symmetric square matrix (small eigenvalues, large singular values)", {"A": _triangular(rng, 4)}),
        Case("a tall matrix", {"A": rng.normal(size=(m, n))}),
        Case("a wide matrix", {"A": rng.normal(size=(n, m))}),
        Case("a symmetric matrix with a large negative eigenvalue", {"A": _symmetric_indefinite(rng, 5)}),
        Case("a rank-2 matrix", {"A": _rank(rng, m, n, 2)}),
        Case("a 1 x n matrix", {"A": rng.normal(size=(1, m))}),
        Case("entries near 1e4", {"A": 1e4 * rng.normal(size=(n, n + 1))}),
        Case("an integer matrix", {"A": rng.integers(-4, 5, size=(n, m))}),
        Case("a float32 matrix", {"A": rng.normal(size=(m, n)).astype(np.float32)}),
        Case("the zero matrix", {"A": np.zeros((n, m))}),
    ]


def _spectral_ref(A):
    s = _sv(A)
    return float(s[0]) if s.size else 0.0


def _eig(A):
    return np.linalg.eigvals(_f64(A))


SPECTRAL_MISTAKES = [
    Mistake("frobenius", "you returned the Frobenius norm; the spectral norm is the LARGEST singular value alone "
            "(the Frobenius norm adds up all of them squared)", _fro_ref),
    Mistake("eigenvalue_of_A", "you took the largest eigenvalue of A; the spectral norm is the largest singular "
            "value, sqrt(largest eigenvalue of A.T @ A). They agree only for symmetric matrices",
            lambda A: np.max(np.abs(_eig(A)))),
    Mistake("eigenvalue_of_A", "you took the largest eigenvalue of A; the spectral norm is the largest singular "
            "value, sqrt(largest eigenvalue of A.T @ A). They agree only for symmetric matrices",
            lambda A: np.max(_eig(A).real)),
    Mistake("no_sqrt", "you returned the largest eigenvalue of A.T @ A, the singular value SQUARED; take its "
            "square root", lambda A: _spectral_ref(A) ** 2),
    Mistake("smallest", "you returned the SMALLEST singular value; np.linalg.svd sorts them in decreasing "
            "order, so the largest is s[0] (np.linalg.eigvalsh sorts in increasing order: its largest is the last)",
            lambda A: _sv(A)[-1]),
    Mistake("nuclear", "you added up the singular values (the nuclear norm); the spectral norm is the largest one",
            lambda A: np.sum(_sv(A))),
    Mistake("max_abs", "you returned the largest entry in size; the spectral norm is the largest singular value",
            lambda A: np.max(np.abs(_f64(A)))),
    Mistake("max_row_sum", "you returned the largest row sum of |a_ij| (the norm induced by the max norm); the "
            "spectral norm is the largest singular value", lambda A: np.max(np.sum(np.abs(_f64(A)), axis=1))),
    Mistake("all_singular_values", "you returned all the singular values; the spectral norm is the largest one, "
            "s[0]", lambda A: _sv(A)),
]


def _nuclear_ref(A):
    return float(np.sum(_sv(A)))


NUCLEAR_MISTAKES = [
    Mistake("sum_of_squares", "you added up the SQUARED singular values (the eigenvalues of A.T @ A): that is "
            "the squared Frobenius norm; the nuclear norm adds up the singular values themselves",
            lambda A: np.sum(_sv(A) ** 2)),
    Mistake("frobenius", "you returned the Frobenius norm, sqrt(sum of s_i ** 2); the nuclear norm is the plain "
            "sum of the singular values", _fro_ref),
    Mistake("spectral", "you returned the largest singular value (the spectral norm); the nuclear norm adds up "
            "all of them", _spectral_ref),
    Mistake("trace", "you returned the trace of A (the sum of its eigenvalues); the nuclear norm is the sum of "
            "the SINGULAR values, which equals the trace only for symmetric positive semi-definite matrices",
            lambda A: np.trace(_f64(A)) if _f64(A).shape[0] == _f64(A).shape[1] else None),
    Mistake("abs_eigenvalues", "you added up the absolute eigenvalues of A; that equals the nuclear norm only for "
            "symmetric matrices: add up the singular values", lambda A: np.sum(np.abs(_eig(A)))),
    Mistake("entry_l1", "you added up the absolute values of the entries; the nuclear norm is the L1 norm of the "
            "singular values, not of the entries", lambda A: np.sum(np.abs(_f64(A)))),
    Mistake("rank", "you counted the non-zero singular values (the rank); the nuclear norm adds up their values",
            lambda A: np.linalg.matrix_rank(_f64(A))),
    Mistake("all_singular_values", "you returned all the singular values; the nuclear norm is their sum",
            lambda A: _sv(A)),
]


check_spectral_norm = register(Check(
    id="norms.spectral_norm",
    target="spectral_norm",
    summary="spectral_norm(A) is the largest singular value, also for non-symmetric and non-square matrices "
            "(tolerance 1e-6 relative)",
    make_cases=_matrix_cases,
    judge=_judge_numbers(_spectral_ref, SPECTRAL_MISTAKES, "spectral_norm(A)"),
    forbidden=scratch.LIBRARY_NORM,
    tolerance=TOL,
    kind="value",
    mistakes=SPECTRAL_MISTAKES,
)).runner()

check_nuclear_norm = register(Check(
    id="norms.nuclear_norm",
    target="nuclear_norm",
    summary="nuclear_norm(A) is the sum of the singular values (tolerance 1e-6 relative)",
    make_cases=_matrix_cases,
    judge=_judge_numbers(_nuclear_ref, NUCLEAR_MISTAKES, "nuclear_norm(A)"),
    forbidden=scratch.LIBRARY_NORM,
    tolerance=TOL,
    kind="value",
    mistakes=NUCLEAR_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# unit_ball
# ---------------------------------------------------------------------------------------

def _pnorm_rows(P, p):
    a = np.abs(_f64(P))
    if np.isinf(p):
        return a.max(axis=1)
    top = a.max(axis=1, keepdims=True)
    safe = np.where(top > 0, top, 1.0)
    return np.where(top[:, 0] > 0, safe[:, 0] * np.sum((a / safe) ** p, axis=1) ** (1.0 / p), 0.0)


def _p_text(p) -> str:
    return "inf" if np.isinf(p) else f"{p:g}"


BALL_MISTAKES = [
    Mistake("circle", "your points lie on the circle (Euclidean norm 1) whatever p is; divide each direction by "
            "its p-norm, not its 2-norm"),
    Mistake("no_root", "your points are the directions divided by sum(|d_i| ** p), without the root 1 / p; divide "
            "by the p-norm, sum(|d_i| ** p) ** (1 / p)"),
    Mistake("max_no_abs", "for p = inf you divided each direction by its largest coordinate, max(x, y), not by "
            "its largest ABSOLUTE coordinate, max(|x|, |y|)"),
    Mistake("not_on_curve", "some of your points do not have p-norm 1; every point must satisfy "
            "(|x| ** p + |y| ** p) ** (1 / p) = 1 (max(|x|, |y|) = 1 for p = inf)"),
    Mistake("nan_points", "some of your points are nan: a fractional power of a negative number is nan "
            "(np.cos(t) ** (2 / p) with cos t < 0); raise np.abs(np.cos(t)) to the power and multiply by "
            "np.sign(np.cos(t))"),
    Mistake("first_quadrant", "all your points have x >= 0 and y >= 0: the signs were lost (|cos t| ** (2 / p) is "
            "never negative); multiply by np.sign(np.cos(t)) and np.sign(np.sin(t)) to reach all four quadrants"),
    Mistake("half", "your points cover only half of the directions; let the angle run all the way round, from 0 "
            "to 2 pi"),
    Mistake("corners_only", "your points sit on a few directions only (for p = inf the exponent 2 / p is 0, so "
            "|cos t| ** (2 / p) is 1 everywhere and only the corners are left); for p = inf use the direction "
            "divided by its max norm, (cos t, sin t) / max(|cos t|, |sin t|)"),
    Mistake("gaps", f"your points leave part of the curve empty: neighbouring directions must be at most "
            f"{MAX_GAP_DEGREES:g} degrees apart. A grid in x with y = (1 - |x| ** p) ** (1 / p) leaves gaps near "
            "the axes and misses the sides of the square for p = inf; step through the angle instead"),
]
_BALL = {m.name: m for m in BALL_MISTAKES}


def _ball_fail(case, name, detail=""):
    return Verdict(False, describe_failure(case, _BALL[name].message + detail), name)


def _judge_ball_case(case: Case, outcome) -> Verdict:
    p, n = case.args["p"], case.args["n_points"]
    what = f"unit_ball({_p_text(p)}, {n})"
    if outcome.error:
        return raised(case, outcome, what)
    value = outcome.value
    if isinstance(value, (tuple, dict)):
        return not_one_array(case, value, what)
    P = np.asarray(value)
    if np.iscomplexobj(P):
        return complex_output(case, P, what, "take .real")
    if P.shape != (n, 2):
        hint = " (it looks transposed: one point per ROW)" if P.shape == (2, n) else ""
        return Verdict(False, describe_failure(
            case, f"{what} should have shape ({n}, 2), one point (x, y) per row, but has shape {P.shape}{hint}"),
            "wrong_shape")
    P = _f64(P)
    if not np.all(np.isfinite(P)):
        return _ball_fail(case, "nan_points", f" ({int(np.sum(~np.isfinite(P).all(axis=1)))} of {n} points)")

    norms = _pnorm_rows(P, p)
    off = np.abs(norms - 1.0) > BALL_TOL.value
    if off.any():
        i = int(np.argmax(np.abs(norms - 1.0)))
        detail = f" (point {i} is {fmt(P[i])}, its {_p_text(p)}-norm is {norms[i]:.6g})"
        l2 = np.sqrt(np.sum(P ** 2, axis=1))
        if np.all(np.abs(l2 - 1.0) <= 1e-6):
            return _ball_fail(case, "circle", detail)
        if np.isinf(p) and np.all(np.any(np.abs(P - 1.0) <= 1e-6, axis=1)):
            return _ball_fail(case, "max_no_abs", detail)
        if not np.isinf(p) and np.all(l2 > 0):
            u = P / l2[:, None]
            expected = u / (_pnorm_rows(u, p) ** p)[:, None]
            if np.allclose(P, expected, rtol=1e-6, atol=1e-9):
                return _ball_fail(case, "no_root", detail)
        return _ball_fail(case, "not_on_curve", detail)

    angles = np.sort(np.arctan2(P[:, 1], P[:, 0]))
    gaps = np.diff(np.concatenate([angles, [angles[0] + 2 * np.pi]]))
    widest = float(np.degrees(gaps.max()))
    detail = f" (the widest gap between neighbouring directions is {widest:.0f} degrees)"
    if widest <= MAX_GAP_DEGREES:
        return Verdict.ok()
    if np.all(P >= -1e-12):
        return _ball_fail(case, "first_quadrant", detail)
    if len(np.unique(np.round(angles, 6))) <= 8:
        return _ball_fail(case, "corners_only", detail)
    if widest >= 179.0:
        return _ball_fail(case, "half", detail)
    return _ball_fail(case, "gaps", detail)


_judge_ball = each_case(_judge_ball_case)


def _ball_cases(rng: np.random.Generator) -> list[Case]:
    def n():
        return int(rng.integers(200, 401))

    return [
        Case("p = 3", {"p": 3.0, "n_points": n()}),
        Case("p = 1 (a diamond)", {"p": 1.0, "n_points": n()}),
        Case("p = inf (a square)", {"p": np.inf, "n_points": n()}),
        Case("p = 1.5", {"p": 1.5, "n_points": n()}),
        Case("p = 0.5 (not a norm: the ball is not convex)", {"p": 0.5, "n_points": n()}),
        Case("p = 2 (the circle)", {"p": 2.0, "n_points": n()}),
        Case("p = 4", {"p": 4.0, "n_points": n()}),
    ]


check_unit_ball = register(Check(
    id="norms.unit_ball",
    target="unit_ball",
    summary=f"unit_ball(p, n_points) returns points of p-norm 1 (tolerance 1e-6) round the whole curve, "
            f"neighbouring directions at most {MAX_GAP_DEGREES:g} degrees apart",
    make_cases=_ball_cases,
    judge=_judge_ball,
    tolerance=BALL_TOL,
    kind="value",
    mistakes=BALL_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# knn_disagreement
# ---------------------------------------------------------------------------------------

def _cosines(X, q, zero_nan=False):
    X = _f64(X)
    lengths = np.sqrt(np.sum(X ** 2, axis=1))
    with np.errstate(all="ignore"):
        cos = X @ X[q] / (lengths * lengths[q])
    if not zero_nan:
        cos = np.where(lengths * lengths[q] > 0, cos, 0.0)
    return cos


def _distances(X, q):
    X = _f64(X)
    return np.sqrt(np.sum((X - X[q]) ** 2, axis=1))


def _choices(score, others, k, tie):
    """Every set of k rows (from ``others``) with the smallest ``score``, over every way of
    breaking ties at the k-th place."""
    s = score[others]
    kth = np.sort(s)[k - 1]
    band = tie * max(1.0, abs(kth))
    sure = [i for i, v in zip(others, s) if v < kth - band]
    tied = [i for i, v in zip(others, s) if abs(v - kth) <= band]
    need = k - len(sure)
    combos = itertools.islice(itertools.combinations(tied, need), 2000)
    return [set(sure) | set(c) for c in combos]


def _accepted(X, q, k) -> set[int]:
    """The counts |E - C| some valid tie-break gives."""
    others = [i for i in range(len(X)) if i != q]
    E = _choices(_distances(X, q), others, k, TIE)
    C = _choices(-_cosines(X, q), others, k, TIE)
    return {len(e - c) for e in E for c in C}


def _top(score, k, skip=None):
    order = [i for i in np.argsort(score, kind="stable") if i != skip]
    return set(order[:k])


def _fraction(X, q, k, dist=None, sim=None, self_too=False, k_e=None):
    """The disagreement for a given distance and similarity, ties broken by index."""
    skip = None if self_too else q
    E = _top(_distances(X, q) if dist is None else dist, k, skip)
    C = _top(-(_cosines(X, q) if sim is None else sim), k, skip)
    return len(E - C) / k


def _knn_ref(X, q, k):
    return _fraction(X, q, k)


KNN_MISTAKES = [
    Mistake("self_neighbour", "you counted the query row itself as one of its own neighbours (distance 0, cosine "
            "1); leave row q out of both lists", lambda X, q, k: _fraction(X, q, k, self_too=True)),
    Mistake("agreement", "you returned the fraction the two lists SHARE; return the fraction of Euclidean "
            "neighbours that are NOT cosine neighbours (1 minus yours)", lambda X, q, k: 1 - _fraction(X, q, k)),
    Mistake("count", "you returned how many neighbours differ; divide by k to get the fraction",
            lambda X, q, k: _fraction(X, q, k) * k),
    Mistake("least_similar", "your cosine neighbours are the k LEAST similar rows; the cosine neighbours have "
            "the largest cosine similarity", lambda X, q, k: _fraction(X, q, k, sim=-_cosines(X, q))),
    Mistake("farthest", "your Euclidean neighbours are the k FARTHEST rows; the neighbours have the smallest "
            "distance", lambda X, q, k: _fraction(X, q, k, dist=-_distances(X, q))),
    Mistake("dot_product", "you ranked by the dot product X @ X[q] instead of the cosine; divide by the two "
            "lengths, or long rows win whatever their direction", lambda X, q, k: _fraction(X, q, k,
                                                                                            sim=_f64(X) @ _f64(X)[q])),
    Mistake("manhattan", "you measured the L1 (Manhattan) distance; the Euclidean neighbours use the L2 distance "
            "sqrt(sum (x_i - q_i) ** 2)", lambda X, q, k: _fraction(X, q, k, dist=np.sum(np.abs(_f64(X) - _f64(X)[q]),
                                                                                           axis=1))),
    Mistake("zero_nan", "a zero row got cosine nan (0 / 0) and dropped out of the ranking; its cosine is 0, so it "
            "can be a cosine neighbour: set the cosine to 0 where a length is 0",
            lambda X, q, k: _fraction(X, q, k, sim=np.nan_to_num(_cosines(X, q, zero_nan=True), nan=-np.inf))),
]


def _allowed(case: Case) -> list[float]:
    X, q, k = case.args["X"], case.args["q"], case.args["k"]
    return [c / k for c in sorted(_accepted(X, q, k))]


def _is_allowed(r, allowed) -> bool:
    return r.ndim == 0 and bool(np.isfinite(r)) and any(abs(float(r) - a) <= 1e-9 for a in allowed)


def _explains(mistake: Mistake, case: Case, outcome, allowed) -> bool | None:
    """Whether the mistake gives what the student returned on this case (None: it cannot
    tell on this case, because it gives an accepted value)."""
    if outcome.error or isinstance(outcome.value, (tuple, dict)):
        return False
    r = np.asarray(outcome.value)
    wrong = _wrong(mistake, case)
    if wrong is None or wrong.ndim != 0 or r.ndim != 0 or np.iscomplexobj(r):
        return False
    if any(abs(float(wrong) - a) <= 1e-9 for a in allowed):
        return None if _is_allowed(r, allowed) else False
    return abs(float(r) - float(wrong)) <= 1e-9


def _which_mistake(cases, outcomes, failing: int) -> Mistake | None:
    """The catalogued mistake that explains the failing case and the most other cases
    (a student's function makes the same mistake everywhere)."""
    allowed = [_allowed(case) for case in cases]
    best, best_score = None, -1
    for mistake in KNN_MISTAKES:
        if not _explains(mistake, cases[failing], outcomes[failing], allowed[failing]):
            continue
        score = sum(_explains(mistake, c, o, a) is not False for c, o, a in zip(cases, outcomes, allowed))
        if score > best_score:
            best, best_score = mistake, score
    return best


def _knn_judge_case(case: Case, outcome, matched: Mistake | None = None) -> Verdict:
    X, q, k = case.args["X"], case.args["q"], case.args["k"]
    what = "knn_disagreement(X, q, k)"
    if outcome.error:
        return raised(case, outcome, what)
    value = outcome.value
    if isinstance(value, (tuple, dict)):
        return not_one_array(case, value, what)
    r = np.asarray(value)
    if np.iscomplexobj(r):
        return complex_output(case, r, what, "take .real")
    allowed = _allowed(case)
    if _is_allowed(r, allowed):
        return Verdict.ok()
    if matched is not None:
        return Verdict(False, describe_failure(
            case, f"{matched.message} (expected {_or(allowed)}, received {float(r):.6g})"), matched.name)
    if r.ndim != 0:
        return Verdict(False, describe_failure(
            case, f"{what} should be one number (a fraction), but your function returned an array of shape "
                  f"{r.shape}"), "wrong_shape")
    if not np.isfinite(r):
        return Verdict(False, describe_failure(case, f"{what} is {float(r)}; expected {_or(allowed)}"), "not_finite")
    return Verdict(False, describe_failure(
        case, f"{what} is wrong: expected {_or(allowed)} (a multiple of 1/k between 0 and 1), received "
              f"{float(r):.6g}"), "wrong_value")


def _or(values) -> str:
    return " or ".join(f"{v:.6g}" for v in values)


def _judge_knn(cases, outcomes):
    for i, (case, outcome) in enumerate(zip(cases, outcomes)):
        verdict = _knn_judge_case(case, outcome)
        if not verdict.passed:
            matched = _which_mistake(cases, outcomes, i)
            return _knn_judge_case(case, outcome, matched) if matched is not None else verdict
    return Verdict.ok(f"all {len(cases)} inputs correct")


def _documents(rng, n_topics=3, per_topic=5, d=12):
    """Word-count-like rows: a few topics, each row a topic's profile times a length from
    short to long, plus noise. Length decides Euclidean neighbours, topic decides cosine ones."""
    profiles = rng.uniform(0.0, 1.0, size=(n_topics, d)) ** 3 * 4
    rows = []
    for t in range(n_topics):
        for length in rng.permutation(np.geomspace(0.3, 6.0, per_topic)):
            rows.append(length * (profiles[t] + rng.uniform(0, 0.15, size=d)))
    X = np.array(rows)
    return X[rng.permutation(len(X))]


def _zero_row_case(rng, d=6):
    """Row 0 is the query; two rows point its way from far off, a zero row sits at distance
    |q|, near rows point the other way, and one far row has a mildly negative cosine."""
    u = rng.normal(size=d)
    u /= np.linalg.norm(u)
    v = rng.normal(size=d)
    v -= (v @ u) * u
    v /= np.linalg.norm(v)
    rows = [u, 4.0 * u + 0.3 * v, 5.5 * u - 0.4 * v, np.zeros(d)]
    rows += [-0.6 * u + 0.1 * rng.normal(size=d) for _ in range(3)]
    rows += [6.0 * (-0.3 * u + np.sqrt(1 - 0.09) * v)]
    X = np.array(rows)
    order = np.concatenate([[0], 1 + rng.permutation(len(X) - 1)])
    return X[order]


def _designed(rng, d=6):
    """k = 5 around the query u: one row near and along u, four near but off to the side,
    four far along u, two farther still and a little off u, five pointing away. The answer
    is 4/5, and each catalogued mistake gives its own value (itself counted 3/5, shared 1/5,
    count 4, least similar 1, farthest 2/5)."""
    basis, _ = np.linalg.qr(rng.normal(size=(d, d)))
    u, V = basis[:, 0], basis[:, 1:].T
    rows = [u, 1.05 * u + 0.01 * V[0]]
    rows += [u + (0.4 + 0.01 * i) * V[i] for i in range(1, 5)]
    rows += [length * (u + 0.02 * V[int(rng.integers(5))]) for length in (4.0, 4.5, 5.0, 6.0)]
    rows += [8.0 * u + 1.2 * V[1], 9.0 * u + 1.4 * V[2]]
    rows += [-0.6 * u + 0.3 * V[int(rng.integers(5))] * rng.uniform(0.8, 1.2) for _ in range(5)]
    X = np.array(rows)
    order = rng.permutation(len(X))
    return X[order], int(np.flatnonzero(order == 0)[0])


def _l1_versus_l2(rng, d=6):
    """Row 1 differs from the query (row 0) by 1 in one coordinate, row 2 by 0.3 in every
    coordinate: row 2 is nearer in L2 (0.73), row 1 nearer in L1 (1 against 1.8). The other
    rows are far off in other directions."""
    c = rng.uniform(2.0, 4.0, size=d)
    e = np.zeros(d)
    e[int(rng.integers(d))] = 1.0
    far = rng.normal(size=(5, d)) * 3.0 - 2.0 * c
    X = np.vstack([c, c + e * rng.choice([-1.0, 1.0]), c + 0.3 * rng.choice([-1.0, 1.0], size=d), far])
    order = np.concatenate([[0], 1 + rng.permutation(len(X) - 1)])
    return X[order]


def _ties(rng, d=5):
    base = rng.normal(size=(6, d))
    X = np.vstack([base, base[1], 2.0 * base[2], 0.5 * base[2], base[3]])
    return X[rng.permutation(len(X))]


def _knn_cases(rng: np.random.Generator) -> list[Case]:
    X = _documents(rng)
    n = len(X)
    Z = _zero_row_case(rng)
    T = _ties(rng)
    R = rng.normal(size=(12, 6)) + rng.normal(size=6)
    D, dq = _designed(rng)
    return [
        Case("near rows off to the side, far rows along the query, k = 5", {"X": D, "q": dq, "k": 5}),
        Case("documents of different lengths on 3 topics, k = 4", {"X": X, "q": int(rng.integers(n)), "k": 4}),
        Case("documents, query row 0, k = 3", {"X": X, "q": 0, "k": 3}),
        Case("documents, the last row as query, k = 5", {"X": X, "q": n - 1, "k": 5}),
        Case("random rows, k = 1", {"X": R, "q": int(rng.integers(12)), "k": 1}),
        Case("k = n - 1 (every other row)", {"X": R, "q": 3, "k": 11}),
        Case("a zero row among the rows, k = 3", {"X": Z, "q": 0, "k": 3}),
        Case("one row nearer in L1, another nearer in L2, k = 1", {"X": _l1_versus_l2(rng), "q": 0, "k": 1}),
        Case("duplicate rows and rows pointing the same way (ties), k = 3",
             {"X": T, "q": int(rng.integers(len(T))), "k": 3}),
        Case("float32 rows, k = 4", {"X": _documents(rng).astype(np.float32), "q": 2, "k": 4}),
    ]


check_knn_disagreement = register(Check(
    id="norms.knn_disagreement",
    target="knn_disagreement",
    summary="knn_disagreement(X, q, k) is the fraction of the k Euclidean neighbours of row q that are not among "
            "its k cosine neighbours (q itself left out, every tie-break accepted)",
    make_cases=_knn_cases,
    judge=_judge_knn,
    tolerance=TIE_TOL,
    kind="ranking",
    mistakes=KNN_MISTAKES,
)).runner()
