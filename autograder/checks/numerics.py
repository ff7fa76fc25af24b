"""Hidden checks for 13-numerics: the condition number, norm-wise relative error, a stable
variance, a stable log-sum-exp, and solve against inv on ill-conditioned systems.

Conventions the prompts state and these checks enforce:

* ``condition_number(A)`` is the 2-norm condition number sigma_max / sigma_min over the
  min(m, n) singular values, and ``np.inf`` when A is singular to working precision:
  sigma_min <= sigma_max * max(m, n) * eps (the rule of np.linalg.matrix_rank; a zero
  matrix counts as singular). np.linalg.cond and its kin are ruled out;
* ``relative_error(x, x_ref)`` = ||x - x_ref||_2 / ||x_ref||_2, every entry of an array of
  any shape counted (the Frobenius norm for a matrix); for an all-zero x_ref it is 0.0 when
  x is all zero too, and inf otherwise;
* ``two_pass_variance(x)`` divides by n (the population variance, like np.var);
* ``logsumexp(x, axis)`` removes ``axis`` (no keepdims) and gives -inf for a slice that is
  all -inf; library log-sum-exp routines are ruled out;
* ``solve_vs_inv_error(A, b)`` returns (error of np.linalg.solve(A, b), error of
  np.linalg.inv(A) @ b), each relative_error against ``trusted_solve(A, b)``, the refined
  solution the notebook gives. Rounding errors depend on the machine, so each number is
  judged within a factor of 3 (NumPy's own calls, as the prompt asks; SciPy rounds differently).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, inputs, register
from autograder.checks._kit.compare import describe_failure, fmt, judge_all, raised

COND_TOL = Tolerance(1e-5, "scale", floor=1e-8)
TOL = Tolerance(1e-6, "scale", floor=1e-8)
FACTOR_TOL = Tolerance(0.5, "relative", floor=1e-20)  # |x - y| / (|x| + |y|) <= 0.5: within a factor of 3

NO_LIBRARY_COND = scratch.Rule(
    "a library condition number (np.linalg.cond, torch.linalg.cond or the like)",
    roots=("numpy", "scipy", "torch", "sklearn"), names=("cond",))
NO_LIBRARY_LOGSUMEXP = scratch.Rule(
    "a library log-sum-exp (scipy.special.logsumexp, torch.logsumexp, np.logaddexp and the like)",
    roots=("numpy", "scipy", "torch", "sklearn", "jax"), names=("logsumexp", "logaddexp", "logaddexp2"),
    methods=("logsumexp",))

EPS = np.finfo(np.float64).eps


def _f64(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def _matrix_with(rng: np.random.Generator, m: int, n: int, s) -> np.ndarray:
    r = len(s)
    return inputs.orthonormal(rng, m, r) @ np.diag(s) @ inputs.orthonormal(rng, n, r).T


def _square_with_condition(rng: np.random.Generator, n: int, kappa: float, scale: float = 1.0) -> np.ndarray:
    """A non-symmetric (n, n) matrix whose singular values run from scale down to scale / kappa."""
    return _matrix_with(rng, n, n, scale * np.logspace(0, -np.log10(kappa), n))


def hilbert(n: int) -> np.ndarray:
    i = np.arange(n)
    return 1.0 / (i[:, None] + i[None, :] + 1.0)


# ---------------------------------------------------------------------------------------
# condition_number
# ---------------------------------------------------------------------------------------

def _sv(A):
    return np.linalg.svd(_f64(A), compute_uv=False)


def _singular(A, s) -> bool:
    return s[-1] <= s[0] * max(np.shape(A)) * EPS


def _cond_ref(A):
    s = _sv(A)
    return np.inf if _singular(A, s) else s[0] / s[-1]


def _square_only(wrong):
    return lambda A: wrong(_f64(A)) if np.shape(A)[0] == np.shape(A)[1] else None


def _smallest_nonzero(A):
    s = _sv(A)
    kept = s[s > s[0] * max(np.shape(A)) * EPS]
    return s[0] / kept[-1] if kept.size else None


COND_MISTAKES = [
    Mistake("eigenvalues", "you divided the largest |eigenvalue| of A by the smallest; for a matrix that is not "
            "symmetric the eigenvalues do not measure how much A stretches. Use the singular values: "
            "s = np.linalg.svd(A, compute_uv=False), then s[0] / s[-1]",
            _square_only(lambda A: (lambda e: e.max() / e.min())(np.abs(np.linalg.eigvals(A))))),
    Mistake("squared", "your value is sigma_max / sigma_min SQUARED (the eigenvalues of A.T @ A are the squared "
            "singular values); take the ratio of the singular values themselves",
            lambda A: _cond_ref(A) ** 2),
    Mistake("inverted", "you returned sigma_min / sigma_max, which is at most 1; the condition number is "
            "sigma_max / sigma_min (at least 1)", lambda A: 1.0 / _cond_ref(A)),
    Mistake("frobenius", "you used the Frobenius norm (np.linalg.norm's default for a matrix), "
            "||A||_F * ||inv(A)||_F; the exercise asks for the 2-norm condition number sigma_max / sigma_min",
            _square_only(lambda A: np.linalg.norm(A) * np.linalg.norm(np.linalg.inv(A)))),
    Mistake("one_norm", "you used the 1-norm (largest column sum), ||A||_1 * ||inv(A)||_1; the exercise asks for "
            "the 2-norm condition number sigma_max / sigma_min",
            _square_only(lambda A: np.linalg.norm(A, 1) * np.linalg.norm(np.linalg.inv(A), 1))),
    Mistake("finite_singular", "this matrix is singular, but you returned a finite number: its smallest singular "
            "value is rounding noise. Return np.inf when s[-1] <= s[0] * max(m, n) * np.finfo(float).eps",
            lambda A: (lambda s: s[0] / s[-1] if s[-1] > 0 else None)(_sv(A))),
    Mistake("normal_matrix", "your value is right on well-conditioned matrices but wrong on this ill-conditioned "
            "one: the usual cause is going through A.T @ A (its eigenvalues), which squares the condition number so "
            "the smallest singular value drowns in rounding, or computing in float32. Take the singular values of A "
            "itself, in float64: np.linalg.svd(A, compute_uv=False)"),
    Mistake("not_singular_inf", "this matrix is ill-conditioned but NOT singular, and you returned inf. Either your "
            "test for singular is too loose (the rule is s[-1] <= s[0] * max(m, n) * np.finfo(float).eps), or you "
            "went through A.T @ A, whose eigenvalues lose the smallest singular value to rounding"),
    Mistake("smallest_nonzero", "this matrix is singular, but you divided by the smallest NONZERO singular value "
            "(as a pseudoinverse would); a singular matrix has condition number np.inf", _smallest_nonzero),
]


def _random_square(rng, n):
    """A Gaussian (n, n) matrix, drawn again until it is well-conditioned (kappa < 1e3)."""
    while True:
        A = rng.normal(size=(n, n))
        s = _sv(A)
        if s[0] < 1e3 * s[-1]:
            return A


def _cond_cases(rng):
    n = int(rng.integers(4, 8))
    kappa = 10.0 ** rng.uniform(1.5, 3)
    return [
        Case(f"a non-symmetric {n} x {n} matrix, condition number {kappa:.3g}",
             {"A": _square_with_condition(rng, n, kappa)}),
        Case("a random 5 x 5 matrix", {"A": _random_square(rng, 5)}),
        Case(f"an {ILL} 6 x 6 matrix (condition number 1e8)", {"A": _square_with_condition(rng, 6, 1e8)}),
        Case(f"the 6 x 6 Hilbert matrix ({ILL}, condition number 1.5e7)", {"A": hilbert(6)}),
        Case("a tall 9 x 4 matrix (a design matrix)", {"A": _matrix_with(rng, 9, 4, np.array([5.0, 2.0, 0.8, 0.1]))}),
        Case("a large-scale matrix (entries near 1e6)", {"A": _square_with_condition(rng, 5, 300.0, scale=1e6)}),
        Case("a float32 matrix", {"A": _square_with_condition(rng, 4, 20.0).astype(np.float32)}),
        Case("a singular 5 x 5 matrix (rank 3)",
             {"A": _matrix_with(rng, 5, 5, np.array([4.0, 1.5, 0.5]))}),
        Case("a matrix with a zero column", {"A": np.column_stack([rng.normal(size=(4, 3)), np.zeros(4)])}),
    ]


ILL = "ill-conditioned"


def _diagnose_cond(case, received, expected):
    """Right on the well-conditioned matrices (they come first), wrong here: A.T @ A or float32."""
    (r,), (e,) = received, expected
    if ILL not in case.label or r.shape != () or not np.isfinite(e):
        return None
    name = "normal_matrix" if np.isfinite(r) else "not_singular_inf" if r == np.inf else None
    if name is None:
        return None
    return Verdict(False, describe_failure(case, next(m for m in COND_MISTAKES if m.name == name).message), name)


check_condition_number = register(Check(
    id="numerics.condition_number",
    target="condition_number",
    summary="condition_number(A) is sigma_max / sigma_min through the SVD, inf when singular (tolerance 1e-5 "
            "relative to the expected value)",
    make_cases=_cond_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _cond_ref, COND_TOL.value, COND_MISTAKES,
                                            what="condition_number(A)", diagnose=_diagnose_cond),
    forbidden=NO_LIBRARY_COND,
    tolerance=COND_TOL,
    kind="value",
    mistakes=COND_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# relative_error
# ---------------------------------------------------------------------------------------

def _l2(a) -> float:
    return float(np.sqrt(np.sum(_f64(a) ** 2)))


def _rel_ref(x, x_ref):
    den = _l2(x_ref)
    num = _l2(_f64(x) - _f64(x_ref))
    if den == 0:
        return 0.0 if num == 0 else np.inf
    return num / den


def _nonzero_ref(wrong):
    return lambda x, x_ref: wrong(_f64(x), _f64(x_ref)) if _l2(x_ref) > 0 else _rel_ref(x, x_ref)


REL_MISTAKES = [
    Mistake("wrong_denominator", "you divided by the norm of x (the approximation); divide by the norm of the "
            "reference x_ref: ||x - x_ref|| / ||x_ref||",
            _nonzero_ref(lambda x, r: _l2(x - r) / _l2(x) if _l2(x) > 0 else None)),
    Mistake("absolute", "you returned the absolute error ||x - x_ref||; divide it by ||x_ref||",
            _nonzero_ref(lambda x, r: _l2(x - r))),
    Mistake("squared", "you returned the SQUARED norms' ratio, sum((x - x_ref)**2) / sum(x_ref**2); take the "
            "square root (or use the norms themselves)", _nonzero_ref(lambda x, r: _l2(x - r) ** 2 / _l2(r) ** 2)),
    Mistake("difference_of_norms", "you compared the norms, | ||x|| - ||x_ref|| | / ||x_ref||; take the norm of "
            "the difference, ||x - x_ref||, which sees a change of direction too",
            _nonzero_ref(lambda x, r: abs(_l2(x) - _l2(r)) / _l2(r))),
    Mistake("entrywise", "you averaged the entry-by-entry relative errors |x_i - x_ref_i| / |x_ref_i|; the "
            "exercise asks for the norm-wise error ||x - x_ref||_2 / ||x_ref||_2",
            _nonzero_ref(lambda x, r: float(np.mean(np.abs(x - r) / np.abs(r))) if np.all(r != 0) else None)),
    Mistake("max_norm", "you used the largest entry (the infinity norm); the exercise asks for the 2-norm "
            "(the square root of the sum of squares, over every entry)",
            _nonzero_ref(lambda x, r: float(np.max(np.abs(x - r)) / np.max(np.abs(r))))),
    Mistake("zero_reference", "x_ref is all zeros, so ||x_ref|| = 0; the exercise's convention is 0.0 when x is "
            "all zeros too and np.inf otherwise (you returned nan or a finite number)",
            lambda x, r: np.nan if _l2(r) == 0 else _rel_ref(x, r)),
    Mistake("zero_reference", "x_ref is all zeros, so ||x_ref|| = 0; the exercise's convention is 0.0 when x is "
            "all zeros too and np.inf otherwise (you returned the absolute error ||x||)",
            lambda x, r: _l2(x) if _l2(r) == 0 and _l2(x) > 0 else _rel_ref(x, r)),
]


def _rel_cases(rng):
    n = int(rng.integers(5, 12))
    ref = rng.normal(size=n)
    mat = rng.normal(size=(4, 3))
    big = rng.normal(size=6) * 1e5
    small = rng.uniform(1, 2, size=7) * 1e-6
    return [
        Case("a vector with a small error", {"x": ref + 1e-3 * rng.normal(size=n), "x_ref": ref}),
        Case("a vector with a large error", {"x": ref + rng.normal(size=n), "x_ref": ref}),
        Case("a matrix (every entry counts)", {"x": mat + 0.05 * rng.normal(size=(4, 3)), "x_ref": mat}),
        Case("entries near 1e5", {"x": big * (1 + 1e-4 * rng.normal(size=6)), "x_ref": big}),
        Case("entries near 1e-6", {"x": small + 1e-8 * rng.normal(size=7), "x_ref": small}),
        Case("float32 inputs", {"x": (ref + 0.01).astype(np.float32), "x_ref": ref.astype(np.float32)}),
        Case("x equal to x_ref (error 0)", {"x": ref.copy(), "x_ref": ref}),
        Case("x_ref all zeros, x not", {"x": rng.normal(size=4), "x_ref": np.zeros(4)}),
        Case("x and x_ref both all zeros", {"x": np.zeros(3), "x_ref": np.zeros(3)}),
    ]


check_relative_error = register(Check(
    id="numerics.relative_error",
    target="relative_error",
    summary="relative_error(x, x_ref) is ||x - x_ref||_2 / ||x_ref||_2 with the zero-reference convention "
            "(tolerance 1e-6 relative to the expected value)",
    make_cases=_rel_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _rel_ref, TOL.value, REL_MISTAKES,
                                            what="relative_error(x, x_ref)"),
    tolerance=TOL,
    kind="value",
    mistakes=REL_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# two_pass_variance
# ---------------------------------------------------------------------------------------

def _var_ref(x):
    x = _f64(x)
    return np.mean((x - x.mean()) ** 2)


def _var_float32(x):
    """Two passes in float32; None where float32 rounds every value to one number (a result of 0
    that the one-pass formula gives as well)."""
    y = np.asarray(x, dtype=np.float32)
    var = np.mean((y - y.mean()) ** 2)
    return None if var == 0 and _var_ref(x) > 0 else var


VAR_MISTAKES = [
    Mistake("sample", "you divided by n - 1 (the sample variance); the exercise asks for the population "
            "variance: divide by n, like np.var(x)", lambda x: _var_ref(x) * len(x) / (len(x) - 1)),
    Mistake("std", "you returned the standard deviation (the square root); return the variance",
            lambda x: np.sqrt(_var_ref(x))),
    Mistake("sum", "you returned the sum of squared deviations; divide it by n", lambda x: _var_ref(x) * len(x)),
    Mistake("not_centred", "you averaged x**2 without subtracting the mean first; the second pass averages "
            "(x - mean)**2", lambda x: np.mean(_f64(x) ** 2)),
    Mistake("abs_deviation", "you averaged |x - mean| (the mean absolute deviation); the variance averages the "
            "SQUARED deviations (x - mean)**2", lambda x: np.mean(np.abs(_f64(x) - np.mean(_f64(x))))),
    Mistake("one_pass", "your value is right on small-mean data but wrong when the mean is large: the usual cause "
            "is the one-pass formula E[x^2] - E[x]^2 written some way (sum of squares minus squared sum), whose two "
            "huge, nearly equal terms cancel and leave only rounding (catastrophic cancellation). Compute the mean "
            "first, then average (x - mean)**2, in float64"),
    Mistake("one_pass", "you used the one-pass formula E[x^2] - E[x]^2: with a large mean both terms are huge "
            "and nearly equal, and their difference is lost to rounding (catastrophic cancellation). Compute the "
            "mean first, then average (x - mean)**2",
            lambda x: np.mean(_f64(x) ** 2) - np.mean(_f64(x)) ** 2),
    Mistake("float32", "you computed in float32, which keeps about 7 significant digits: on data with a large "
            "mean the noise is rounded away. Compute in float64 (np.asarray(x, dtype=np.float64))", _var_float32),
]

LARGE_MEAN = "large mean"


def _diagnose_var(case, received, expected):
    """On data with a large mean, any other wrong value (after the small-mean cases passed) is
    the one-pass formula written another way: sum(x**2) / n - (sum(x) / n)**2 and the like."""
    if LARGE_MEAN in case.label:
        return Verdict(False, describe_failure(case, VAR_MISTAKES[-3].message), "one_pass")
    return None


def _var_cases(rng):
    n = int(rng.integers(50, 200))
    return [
        Case("standard normal data", {"x": rng.normal(size=n)}),
        Case("data with mean 3 and spread 2", {"x": 3 + 2 * rng.normal(size=n)}),
        Case("five values", {"x": rng.uniform(-5, 5, size=5)}),
        Case("float32 data", {"x": rng.normal(size=n).astype(np.float32)}),
        Case("a constant vector (variance 0)", {"x": np.full(10, 2.5)}),
        Case("a moderate mean: 1e4 + standard normal noise", {"x": 1e4 + rng.normal(size=n)}),
        Case(f"{LARGE_MEAN}: 1e8 + standard normal noise", {"x": 1e8 + rng.normal(size=n)}),
        Case(f"{LARGE_MEAN}: 1e9 + noise of spread 3", {"x": 1e9 + 3 * rng.normal(size=n)}),
    ]


check_two_pass_variance = register(Check(
    id="numerics.two_pass_variance",
    target="two_pass_variance",
    summary="two_pass_variance(x) is the population variance (divide by n), right also when the mean is large "
            "(tolerance 1e-6 relative to the expected value)",
    make_cases=_var_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _var_ref, TOL.value, VAR_MISTAKES,
                                            what="two_pass_variance(x)", diagnose=_diagnose_var),
    tolerance=TOL,
    kind="value",
    mistakes=VAR_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# logsumexp
# ---------------------------------------------------------------------------------------

def _lse(x, axis, keepdims=False, shift="max"):
    x = _f64(x)
    if shift == "max":
        m = np.max(x, axis=axis, keepdims=True)
        m = np.where(np.isfinite(m), m, 0.0)
    elif shift == "global":
        m = np.max(x)
    else:
        m = 0.0
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def _lse_ref(x, axis):
    return _lse(x, axis)


def _other_axis(x, axis):
    nd = np.ndim(x)
    if nd < 2:
        return None
    return _lse(x, (axis + 1) % nd)


def _not_added_back(x, axis):
    x = _f64(x)
    m = np.max(x, axis=axis, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.log(np.sum(np.exp(x - m), axis=axis))


def _nan_on_empty(x, axis):
    x = _f64(x)
    m = np.max(x, axis=axis, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.squeeze(np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m, axis=axis)


def _min_shift(x, axis):
    x = _f64(x)
    m = np.min(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.squeeze(np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m, axis=axis)


LSE_MISTAKES = [
    Mistake("no_shift", "you computed log(sum(exp(x))) directly: exp(1000) overflows to inf (and exp(-1000) "
            "underflows to 0). Subtract the maximum m along the axis first, then add it back: "
            "m + log(sum(exp(x - m)))", lambda x, axis: _lse(x, axis, shift="none")),
    Mistake("shift_not_added", "you subtracted the maximum m but did not add it back: "
            "logsumexp(x) = m + log(sum(exp(x - m)))", _not_added_back),
    Mistake("min_shift", "you shifted by the MINIMUM; shift by the maximum, so that every exp(x - m) is at most 1 "
            "and nothing overflows", _min_shift),
    Mistake("global_max", "you shifted every slice by the maximum of the WHOLE array; a slice whose values are far "
            "below it underflows to -inf. Take the maximum along the axis (np.max(x, axis=axis, keepdims=True))",
            lambda x, axis: _lse(x, axis, shift="global")),
    Mistake("wrong_axis", "you reduced along the wrong axis; add up along axis=axis as given",
            _other_axis),
    Mistake("mean_not_sum", "you took the log of the MEAN of the exponentials; logsumexp adds them up: "
            "m + log(sum(exp(x - m)))", lambda x, axis: _lse(x, axis) - np.log(np.shape(x)[axis])),
    Mistake("keepdims", "your result kept the reduced axis with size 1 (keepdims=True); the exercise removes it, "
            "like np.sum(x, axis=axis)", lambda x, axis: _lse(x, axis, keepdims=True)),
    Mistake("neg_inf_slice", "a slice whose entries are all -inf gave nan: x - max is -inf - (-inf) = nan there. "
            "The answer for such a slice is -inf: use a shift of 0 where the maximum is not finite "
            "(np.where(np.isfinite(m), m, 0))", _nan_on_empty),
]


def _lse_cases(rng):
    r, c = int(rng.integers(3, 6)), int(rng.integers(4, 8))
    mixed = rng.normal(size=(4, c)) * 3
    mixed[0] += 1000.0
    mixed[1] -= 1000.0
    mixed[2, : c // 2] += 1000.0
    mixed[2, c // 2:] -= 1000.0
    masked = rng.normal(size=(r, c))
    masked[rng.random(size=(r, c)) < 0.3] = -np.inf
    masked[:, 0] = rng.normal(size=r)
    empty = rng.normal(size=(3, c))
    empty[1] = -np.inf
    square = rng.normal(size=(5, 5)) * 2
    return [
        Case("a small vector", {"x": rng.normal(size=c), "axis": 0}),
        Case("a matrix, along the rows (axis=1)", {"x": rng.normal(size=(r, c)), "axis": 1}),
        Case("a square matrix, axis=0", {"x": square, "axis": 0}),
        Case("a square matrix, axis=1", {"x": square.T.copy() * 1.5, "axis": 1}),
        Case("a vector of values near 1e3", {"x": 1000.0 + rng.normal(size=c), "axis": 0}),
        Case("a vector of values near -1e3", {"x": -1000.0 + rng.normal(size=c), "axis": 0}),
        Case("rows near 1e3, near -1e3 and mixed, axis=1", {"x": mixed, "axis": 1}),
        Case("the same rows as columns, axis=0", {"x": mixed.T.copy(), "axis": 0}),
        Case("some -inf entries (masked), axis=1", {"x": masked, "axis": 1}),
        Case("a row that is all -inf, axis=1", {"x": empty, "axis": 1}),
        Case("a 3-D batch, axis=-1", {"x": rng.normal(size=(2, 3, c)) * 50, "axis": -1}),
        Case("float32 values near 1e3, axis=1", {"x": (1000.0 + rng.normal(size=(r, c))).astype(np.float32),
                                                 "axis": 1}),
    ]


check_logsumexp = register(Check(
    id="numerics.logsumexp",
    target="logsumexp",
    summary="logsumexp(x, axis) is stable at +-1e3 and with -inf entries, the axis removed (tolerance 1e-6 "
            "relative to the largest entry)",
    make_cases=_lse_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _lse_ref, TOL.value, LSE_MISTAKES,
                                            what="logsumexp(x, axis)"),
    forbidden=NO_LIBRARY_LOGSUMEXP,
    tolerance=TOL,
    kind="value",
    mistakes=LSE_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# solve_vs_inv_error
# ---------------------------------------------------------------------------------------

def exact_residual(A, b, x) -> np.ndarray:
    """b - A @ x computed exactly (rational arithmetic), then rounded once to float64."""
    A, b, x = _f64(A), _f64(b), _f64(x)
    xs = [Fraction(float(v)) for v in x]
    return np.array([float(Fraction(float(b[i])) - sum(Fraction(float(a)) * v for a, v in zip(A[i], xs)))
                     for i in range(len(b))])


def trusted_solve(A, b, steps: int = 3) -> np.ndarray:
    """np.linalg.solve refined by a few steps of iterative refinement with exact residuals."""
    A, b = _f64(A), _f64(b)
    x = np.linalg.solve(A, b)
    for _ in range(steps):
        x = x + np.linalg.solve(A, exact_residual(A, b, x))
    return x


def _errors(A, b, x_solve, x_inv, x_ref):
    return _rel_ref(x_solve, x_ref), _rel_ref(x_inv, x_ref)


def _svi_ref(A, b):
    A, b = _f64(A), _f64(b)
    return _errors(A, b, np.linalg.solve(A, b), np.linalg.inv(A) @ b, trusted_solve(A, b))


def _svi_with(how):
    def wrong(A, b):
        A, b = _f64(A), _f64(b)
        return how(A, b, np.linalg.solve(A, b), np.linalg.inv(A) @ b, trusted_solve(A, b))
    return wrong


SVI_MISTAKES = [
    Mistake("swapped", "your two numbers are in the wrong order; return (error of np.linalg.solve, error of "
            "np.linalg.inv(A) @ b)", lambda A, b: _svi_ref(A, b)[::-1]),
    Mistake("absolute", "you returned absolute errors ||x - x_ref||; divide each by ||x_ref|| (use your "
            "relative_error)", _svi_with(lambda A, b, xs, xi, xr: (_l2(xs - xr), _l2(xi - xr)))),
    Mistake("against_solve", "you measured both against np.linalg.solve's answer (so its own error is 0); "
            "measure both against the trusted solution trusted_solve(A, b)",
            _svi_with(lambda A, b, xs, xi, xr: (0.0, _rel_ref(xi, xs)))),
    Mistake("residual", "you returned relative residuals ||A x - b|| / ||b||; the exercise asks for the errors in "
            "x against the trusted solution, ||x - x_ref|| / ||x_ref||",
            _svi_with(lambda A, b, xs, xi, xr: (_rel_ref(A @ xs, b), _rel_ref(A @ xi, b)))),
    Mistake("squared", "your errors are squared (sum of squares without the square root); use the 2-norm, "
            "||x - x_ref|| / ||x_ref||",
            _svi_with(lambda A, b, xs, xi, xr: (_rel_ref(xs, xr) ** 2, _rel_ref(xi, xr) ** 2))),
    Mistake("transposed", "your inverse-based solution used the transpose, b @ inv(A) = inv(A).T @ b; the "
            "solution is inv(A) @ b",
            _svi_with(lambda A, b, xs, xi, xr: (_rel_ref(xs, xr), _rel_ref(b @ np.linalg.inv(A), xr)))),
]


def _close_factor(received: float, expected: float) -> bool:
    if np.isnan(received) or np.isinf(received):
        return False
    return abs(received - expected) <= FACTOR_TOL.value * max(FACTOR_TOL.floor, abs(received) + abs(expected))


def _pair(value):
    if not isinstance(value, tuple) or len(value) != 2:
        return None
    try:
        return tuple(float(np.asarray(v, dtype=np.float64).reshape(())) for v in value)
    except (TypeError, ValueError):
        return None


def _judge_svi(cases, outcomes):
    for case, outcome in zip(cases, outcomes):
        if outcome.error:
            return raised(case, outcome, "solve_vs_inv_error(A, b)")
        got = _pair(outcome.value)
        if got is None:
            return Verdict(False, describe_failure(
                case, "solve_vs_inv_error(A, b) should return a tuple of two numbers (err_solve, err_inv)"),
                "wrong_type")
        expected = _svi_ref(**case.args)
        if all(_close_factor(g, e) for g, e in zip(got, expected)):
            continue
        for mistake in SVI_MISTAKES:
            wrong = mistake.compute(**case.args)
            if all(_close_factor(w, e) for w, e in zip(wrong, expected)):
                continue  # this input cannot tell the mistake apart
            if all(_close_factor(g, w) for g, w in zip(got, wrong)):
                return Verdict(False, describe_failure(case, mistake.message), mistake.name)
        return Verdict(False, describe_failure(
            case, f"solve_vs_inv_error(A, b) is wrong: expected about ({expected[0]:.3g}, {expected[1]:.3g}), "
                  f"received ({got[0]:.3g}, {got[1]:.3g}); each number must be within a factor of 3 of ours "
                  f"(relative difference |x - y| / (|x| + |y|) <= {FACTOR_TOL.value:.0e})"), "wrong_value")
    return Verdict.ok(f"all {len(cases)} inputs correct")


def _system(rng, A, scale):
    x_true = scale * rng.normal(size=A.shape[1])
    return {"A": A, "b": A @ x_true}


def _svi_cases(rng):
    n = int(rng.integers(7, 9))
    return [
        Case(f"the {n} x {n} Hilbert matrix, b = A @ x_true", _system(rng, hilbert(n), 1e3)),
        Case("the 9 x 9 Hilbert matrix, b = A @ x_true", _system(rng, hilbert(9), 1.0)),
        Case("a 6 x 6 matrix with condition number 1e10", _system(rng, _square_with_condition(rng, 6, 1e10), 50.0)),
        Case("an 8 x 8 matrix with condition number 1e12", _system(rng, _square_with_condition(rng, 8, 1e12), 1e-3)),
    ]


check_solve_vs_inv_error = register(Check(
    id="numerics.solve_vs_inv_error",
    target="solve_vs_inv_error",
    summary="solve_vs_inv_error(A, b) returns the relative errors of solve and of inv(A) @ b against "
            "trusted_solve(A, b) (tolerance 5e-1: each within a factor of 3)",
    make_cases=_svi_cases,
    judge=_judge_svi,
    tolerance=FACTOR_TOL,
    kind="parts",
    mistakes=SVI_MISTAKES,
)).runner()
