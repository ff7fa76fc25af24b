"""Hidden checks for 07-eigen: the Rayleigh quotient, the eigenvalues of a 2x2 matrix from
its trace and determinant, power iteration, and PageRank.

Conventions the prompts state and these checks enforce:

* ``rayleigh_quotient(A, x)`` = xᵀAx / xᵀx for any nonzero x (not only unit vectors);
* ``eigen2x2(A)`` returns an array of the two eigenvalues: real ones with the larger first;
  a complex pair (negative discriminant) as complex numbers, positive imaginary part first;
  a repeated eigenvalue twice;
* ``power_iteration(A, iters, tol)`` returns ``(eigenvalue, eigenvector)``: the eigenvalue of
  largest absolute value, with its sign, and a unit eigenvector of either sign, after at most
  ``iters`` steps (with iters = 3 on a gap of 0.99, a converged vector means the cap was ignored);
* ``pagerank(adjacency, damping=0.85)``: ``adjacency[i, j] = 1`` when page i links to page j;
  a page without out-links (dangling) spreads its rank evenly over all n pages; the ranks
  are the stationary distribution of "follow a link with probability d, else jump to a page
  chosen uniformly", so they are positive and add up to 1.

power_iteration and pagerank are written from scratch (no library eigen-solver or SVD), and
so is eigen2x2 (the formula from the trace and the determinant). Test matrices have known,
real dominant eigenvalues; errors are measured on the scale of the answer,
``max|yours - expected| <= tol * max|expected|``.
"""

from __future__ import annotations

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, each_case, inputs, register
from autograder.checks._kit.compare import (complex_output, describe_failure, fmt, judge_parts, raised,
                                            scaled_error, wrong_shape)

RQ_TOL = Tolerance(1e-8, "scale", floor=1e-12, float32=1e-5)
EIG2_TOL = Tolerance(1e-8, "scale", floor=1e-12, float32=1e-5)
POWER_TOL = Tolerance(1e-6, "scale", floor=1e-8, float32=1e-4)
PAGERANK_TOL = Tolerance(1e-6, "scale", floor=1e-10)

_EIGEN_NAMES = ("eig", "eigh", "eigvals", "eigvalsh", "svd", "svdvals", "eigs", "eigsh", "svds", "lobpcg")
NO_LIBRARY_EIGEN = scratch.Rule(
    "a library eigen-solver or SVD (np.linalg.eig, eigh, eigvals, svd, or SciPy's and torch's)",
    roots=("numpy", "scipy", "torch"), names=_EIGEN_NAMES)
NO_LIBRARY_ROOTS = scratch.Rule(
    "a library eigen-solver or root finder (np.linalg.eig, eigvals, np.roots, or SciPy's and torch's)",
    roots=("numpy", "scipy", "torch"), names=_EIGEN_NAMES + ("roots", "polyroots"))
NO_LIBRARY_PAGERANK = (
    NO_LIBRARY_EIGEN,
    scratch.Rule("a library PageRank (networkx)", modules=("networkx",)),
)


def _f64(A) -> np.ndarray:
    return np.asarray(A, dtype=np.float64)


def _tol(case: Case, tolerance: Tolerance) -> float:
    is32 = any(isinstance(v, np.ndarray) and v.dtype == np.float32 for v in case.args.values())
    return tolerance.float32 if is32 and tolerance.float32 else tolerance.value


def _each(reference, tolerance: Tolerance, mistakes, what: str, **kwargs):
    """Judge every case by value, each with its own tolerance (float32 inputs get the looser one)."""

    def judge(cases, outcomes):
        for case, outcome in zip(cases, outcomes):
            verdict = judge_parts(case, outcome, reference(*case.args.values()), _tol(case, tolerance), mistakes,
                                  what=what, **kwargs)
            if not verdict.passed:
                return verdict
        return Verdict.ok(f"all {len(cases)} inputs correct")

    return judge


def with_spectrum(rng: np.random.Generator, values, symmetric: bool, pair=None) -> np.ndarray:
    """A matrix with exactly these real eigenvalues (plus the complex pair a ± bi if given):
    Q diag Qᵀ when symmetric, else S D S⁻¹ with a well-conditioned, non-orthogonal S."""
    values = list(values)
    n = len(values) + (2 if pair else 0)
    D = np.zeros((n, n))
    D[:len(values), :len(values)] = np.diag(values)
    if pair:
        a, b = pair
        D[-2:, -2:] = [[a, -b], [b, a]]
    Q = inputs.orthonormal(rng, n, n)
    if symmetric:
        return Q @ D @ Q.T
    S = Q @ (np.eye(n) + 0.35 * np.triu(rng.normal(size=(n, n)), 1))
    return S @ D @ np.linalg.inv(S)


# ---------------------------------------------------------------------------------------
# rayleigh_quotient
# ---------------------------------------------------------------------------------------

def _rq_ref(A, x):
    A, x = _f64(A), _f64(x)
    return (x @ A @ x) / (x @ x)


def _quad(A, x):
    A, x = _f64(A), _f64(x)
    return x @ A @ x


RQ_MISTAKES = [
    Mistake("no_denominator", "you returned xᵀAx without dividing by xᵀx; the Rayleigh quotient is "
            "(x @ A @ x) / (x @ x), which only equals xᵀAx when x has length 1", _quad),
    Mistake("norm_denominator", "you divided by the length ‖x‖; divide by xᵀx = ‖x‖², the squared length "
            "(x @ x)", lambda A, x: _quad(A, x) / np.linalg.norm(_f64(x))),
    Mistake("squared_denominator", "you divided by (xᵀx)²; divide by xᵀx once: (x @ A @ x) / (x @ x)",
            lambda A, x: _quad(A, x) / (_f64(x) @ _f64(x)) ** 2),
    Mistake("absolute_value", "your value has lost its sign: the Rayleigh quotient of a matrix with negative "
            "eigenvalues can be negative; do not take abs()", lambda A, x: abs(_rq_ref(A, x))),
    Mistake("norm_ratio", "you returned ‖Ax‖ / ‖x‖, the stretch factor, which has no sign and is not xᵀAx / xᵀx "
            "unless x is an eigenvector of a positive eigenvalue; return (x @ A @ x) / (x @ x)",
            lambda A, x: np.linalg.norm(_f64(A) @ _f64(x)) / np.linalg.norm(_f64(x))),
    Mistake("returned_vector", "you returned the vector Ax / xᵀx; the Rayleigh quotient is one number: take the "
            "dot product with x first, (x @ A @ x) / (x @ x)", lambda A, x: _f64(A) @ _f64(x) / (_f64(x) @ _f64(x))),
]


def _rq_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(4, 7))
    values = rng.uniform(1.0, 9.0, size=n) * rng.choice([-1.0, 1.0], size=n)
    values[0] = abs(values[0]) + 10.0  # keeps xᵀAx well away from 0 for a random x
    spd = with_spectrum(rng, rng.uniform(1.0, 6.0, size=n), symmetric=True)
    skew = rng.normal(size=(n, n))
    eig_matrix = with_spectrum(rng, values, symmetric=True)
    w, V = np.linalg.eigh(eig_matrix)
    return [
        Case("a symmetric positive definite matrix, x of length about 5",
             {"A": spd, "x": 2.0 * rng.normal(size=n)}),
        Case("a non-symmetric matrix (symmetric part positive definite)",
             {"A": spd + skew - skew.T, "x": rng.normal(size=n)}),
        Case("a negative definite matrix (the quotient is negative)",
             {"A": -with_spectrum(rng, rng.uniform(1.0, 6.0, size=n), symmetric=True), "x": rng.normal(size=n)}),
        Case("x an eigenvector scaled to length 300 (the quotient is its eigenvalue)",
             {"A": eig_matrix, "x": 300.0 * V[:, int(np.argmax(w))] * rng.choice([-1.0, 1.0])}),
        Case("a short x (length about 1e-3)", {"A": spd, "x": 1e-3 * rng.normal(size=n)}),
        Case("integer A and x", {"A": rng.integers(-3, 4, size=(3, 3)) + 8 * np.eye(3, dtype=np.int64),
                                 "x": rng.integers(1, 5, size=3)}),
        Case("float32 A and x", {"A": spd.astype(np.float32), "x": rng.normal(size=n).astype(np.float32)}),
    ]


check_rayleigh_quotient = register(Check(
    id="eigen.rayleigh_quotient",
    target="rayleigh_quotient",
    summary="rayleigh_quotient(A, x) is xᵀAx / xᵀx for any nonzero x (tolerance 1e-8 relative to the expected "
            "value)",
    make_cases=_rq_cases,
    judge=_each(_rq_ref, RQ_TOL, RQ_MISTAKES, "rayleigh_quotient(A, x)"),
    tolerance=RQ_TOL,
    kind="value",
    mistakes=RQ_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# eigen2x2
# ---------------------------------------------------------------------------------------

def _roots(tr, det, halve=True, half_sqrt=True):
    """The roots of λ² − tr·λ + det, larger (or positive imaginary part) first; ``halve`` and
    ``half_sqrt`` switch off the division by 2 (of everything, or of the square root only)."""
    disc = tr * tr - 4.0 * det
    root = np.sqrt(disc) if disc >= 0 else 1j * np.sqrt(-disc)
    if not halve:
        return np.array([tr + root, tr - root])
    if not half_sqrt:
        return np.array([tr / 2 + root, tr / 2 - root])
    return np.array([(tr + root) / 2, (tr - root) / 2])


def _tr_det(A):
    A = _f64(A)
    return A[0, 0] + A[1, 1], A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]


def _eig2_ref(A):
    return _roots(*_tr_det(A))


def _real_only(wrong):
    return lambda A: wrong(A) if np.isrealobj(_eig2_ref(A)) else None


def _complex_only(wrong):
    return lambda A: wrong(A) if np.iscomplexobj(_eig2_ref(A)) else None


def _wrong_det(A):
    A = _f64(A)
    return _roots(A[0, 0] + A[1, 1], A[0, 0] * A[1, 1] + A[0, 1] * A[1, 0])


def _abs_disc(A):
    tr, det = _tr_det(A)
    root = np.sqrt(abs(tr * tr - 4 * det))
    return np.array([(tr + root) / 2, (tr - root) / 2])


def _dropped_imag(A):
    tr, det = _tr_det(A)
    root = np.sqrt(max(tr * tr - 4 * det, 0.0))
    return np.array([(tr + root) / 2, (tr - root) / 2])


EIG2_MISTAKES = [
    Mistake("ascending", "your eigenvalues are in increasing order; return the larger one first, "
            "[(tr + √disc) / 2, (tr − √disc) / 2]", _real_only(lambda A: _eig2_ref(A)[::-1])),
    Mistake("conjugate_order", "for a complex pair, return the one with the positive imaginary part first, "
            "[(tr + √disc) / 2, (tr − √disc) / 2] (np.sort orders complex numbers by real part, then imaginary, "
            "which puts the negative imaginary part first)", _complex_only(lambda A: _eig2_ref(A)[::-1])),
    Mistake("absolute_discriminant", "you took √|disc| when the discriminant is negative, which gives two real "
            "numbers; a negative discriminant means a complex pair tr/2 ± i·√(−disc)/2 (use np.emath.sqrt or "
            "cmath.sqrt)", _complex_only(_abs_disc)),
    Mistake("imaginary_dropped", "you dropped the imaginary parts of a complex pair (both of your values are "
            "tr/2); a negative discriminant gives tr/2 ± i·√(−disc)/2: use np.emath.sqrt or cmath.sqrt",
            _complex_only(_dropped_imag)),
    Mistake("nan_for_complex", "your result has nan: np.sqrt of a negative discriminant gives nan for real "
            "input; a negative discriminant means a complex pair, so take the square root with np.emath.sqrt "
            "or cmath.sqrt (or of disc + 0j)"),
    Mistake("discriminant_sign", "your discriminant has the wrong sign: the characteristic polynomial is "
            "λ² − tr·λ + det, so the discriminant is tr² − 4·det (not tr² + 4·det)",
            lambda A: _roots(_tr_det(A)[0], -_tr_det(A)[1])),
    Mistake("determinant_sign", "your determinant is a·d + b·c; the determinant of [[a, b], [c, d]] is "
            "a·d − b·c", _wrong_det),
    Mistake("trace_sign", "you used −tr in the quadratic formula: the roots of λ² − tr·λ + det are "
            "(tr ± √(tr² − 4·det)) / 2 (b = −tr, so −b = +tr)", lambda A: _roots(-_tr_det(A)[0], _tr_det(A)[1])),
    Mistake("not_halved", "you forgot to divide by 2: the eigenvalues are (tr ± √disc) / 2",
            lambda A: _roots(*_tr_det(A), halve=False)),
    Mistake("root_not_halved", "you halved the trace but not the square root: the eigenvalues are "
            "tr/2 ± √disc / 2 = (tr ± √disc) / 2", lambda A: _roots(*_tr_det(A), half_sqrt=False)),
    Mistake("diagonal", "you returned the diagonal entries; they are the eigenvalues only of a triangular "
            "matrix: use the trace and the determinant",
            lambda A: np.sort(np.diag(_f64(A)))[::-1]),
]


def _eig2_cases(rng: np.random.Generator) -> list[Case]:
    def rotation_scaling():
        a, b = rng.uniform(-3, 3), rng.uniform(0.5, 3) * rng.choice([-1.0, 1.0])
        return np.array([[a, -b], [b, a]])

    def two(l1, l2, symmetric=False):
        return with_spectrum(rng, [l1, l2], symmetric=symmetric)

    p = int(rng.integers(2, 9))
    lo = int(rng.integers(-4, 0))
    singular_row = rng.uniform(1, 3, size=2)
    complex_general = rotation_scaling()
    S = np.eye(2) + 0.5 * rng.normal(size=(2, 2))
    while abs(np.linalg.det(S)) < 0.3:
        S = np.eye(2) + 0.5 * rng.normal(size=(2, 2))
    return [
        Case("two real eigenvalues, a non-symmetric matrix", {"A": two(rng.uniform(2, 6), rng.uniform(-1, 1.5))}),
        Case("a symmetric matrix", {"A": two(rng.uniform(1, 4), rng.uniform(-5, -1.5), symmetric=True)}),
        Case("both eigenvalues negative", {"A": two(rng.uniform(-2, -0.5), rng.uniform(-7, -3))}),
        Case("a rotation-scaling matrix (complex pair)", {"A": rotation_scaling()}),
        Case("a non-normal matrix with a complex pair",
             {"A": S @ complex_general @ np.linalg.inv(S)}),
        Case("a repeated eigenvalue (discriminant exactly 0)",
             {"A": np.array([[p + 1, 1], [-1, p - 1]], dtype=np.int64)}),
        Case("an upper triangular matrix", {"A": np.array([[float(lo), rng.uniform(1, 4)], [0.0, rng.uniform(1, 5)]])}),
        Case("a singular matrix (one eigenvalue 0)",
             {"A": np.outer([1.0, rng.uniform(-2, 2)], singular_row)}),
        Case("entries near 1e3", {"A": 1e3 * two(rng.uniform(2, 6), rng.uniform(-4, 1.5))}),
        Case("an integer matrix", {"A": np.array([[int(rng.integers(2, 6)), 2], [int(rng.integers(1, 4)), -1]])}),
        Case("a float32 matrix", {"A": two(rng.uniform(2, 5), rng.uniform(-2, 1.5)).astype(np.float32)}),
    ]


def _eig2_tol(case: Case) -> float:
    # a repeated eigenvalue: rounding e in the discriminant moves the roots by about sqrt(e)
    return EIG2_TOL.float32 if "repeated" in case.label else _tol(case, EIG2_TOL)


def _as_pair(value):
    if isinstance(value, tuple):
        if any(np.ndim(v) for v in value):
            return None
        return np.array([complex(v) if np.iscomplexobj(v) else float(v) for v in value])
    return np.asarray(value)


def _complex_error(received, expected) -> float:
    received = np.asarray(received, dtype=np.complex128)
    expected = np.asarray(expected, dtype=np.complex128)
    if received.shape != expected.shape:
        return float("inf")
    diff = np.abs(received - expected)
    if not np.all(np.isfinite(diff)):
        return float("inf")
    return float(diff.max()) / max(1e-12, float(np.abs(expected).max()))


def _judge_eig2_case(case: Case, outcome) -> Verdict:
    what = "eigen2x2(A)"
    if outcome.error:
        return raised(case, outcome, what)
    received = _as_pair(outcome.value)
    expected = _eig2_ref(case.args["A"])
    if received is None:
        return Verdict(False, describe_failure(case, f"{what} should return the two eigenvalues as one array of "
                                                     "shape (2,)"), "wrong_type")
    if received.shape != (2,):
        return wrong_shape(case, received, expected, what)
    tol = _eig2_tol(case)
    if _complex_error(received, expected) <= tol:
        return Verdict.ok()
    for mistake in EIG2_MISTAKES:
        if mistake.compute is None:
            continue
        with np.errstate(all="ignore"):
            wrong = mistake.compute(case.args["A"])
        if wrong is None or _complex_error(wrong, expected) <= tol:
            continue
        if _complex_error(received, wrong) <= max(tol, 1e-6):
            return Verdict(False, describe_failure(case, mistake.message), mistake.name)
    if np.iscomplexobj(expected) and np.any(np.isnan(received)):
        return Verdict(False, describe_failure(case, next(m for m in EIG2_MISTAKES if m.name == "nan_for_complex").message), "nan_for_complex")
    if np.iscomplexobj(received) and np.isrealobj(expected) and np.abs(received.imag).max() > tol:
        return complex_output(case, received, what, "")
    return Verdict(False, describe_failure(
        case, f"{what} is wrong; expected {fmt(expected)}, received {fmt(received)} (error "
              f"{_complex_error(received, expected):.2e} relative to the largest |eigenvalue|, tolerance {tol:.0e})"),
        "wrong_value")


_judge_eig2 = each_case(_judge_eig2_case)


check_eigen2x2 = register(Check(
    id="eigen.eigen2x2",
    target="eigen2x2",
    summary="eigen2x2(A) gives both eigenvalues from the trace and determinant, larger (or positive imaginary "
            "part) first (tolerance 1e-8 relative to the largest |eigenvalue|)",
    make_cases=_eig2_cases,
    judge=_judge_eig2,
    forbidden=NO_LIBRARY_ROOTS,
    tolerance=EIG2_TOL,
    kind="value",
    mistakes=EIG2_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# power_iteration
# ---------------------------------------------------------------------------------------

def _unit_real(v) -> np.ndarray:
    """An eigenvector from np.linalg.eig as a real unit vector (its complex phase removed)."""
    v = v * np.exp(-1j * np.angle(v[int(np.argmax(np.abs(v)))]))
    v = v.real
    return v / np.linalg.norm(v)


def eigenpair(A, which: str = "largest"):
    """(eigenvalue, unit eigenvector) of largest (or smallest) absolute value, real."""
    w, V = np.linalg.eig(_f64(A))
    i = int(np.argmax(np.abs(w)) if which == "largest" else np.argmin(np.abs(w)))
    return float(w[i].real), _unit_real(V[:, i])


def _signed(v, target):
    return v if float(np.sum(v * target)) >= 0 else -v


POWER_MISTAKES = [
    Mistake("not_normalised", "your result overflowed or vanished (inf, nan or all zeros): the vector was not "
            "normalised at every step, so on a matrix with large entries its length grows like |λ|^k; divide x "
            "by its norm inside the loop, after each multiplication"),
    Mistake("swapped", "you returned (eigenvector, eigenvalue); return them in the order (eigenvalue, "
            "eigenvector)"),
    Mistake("not_unit", "your vector points the right way but its length is not 1; return x / np.linalg.norm(x) "
            "(a unit vector: not divided by its largest entry, its sum or x @ x)"),
    Mistake("norm_eigenvalue", "your eigenvalue has lost its sign: the dominant eigenvalue of this matrix is "
            "negative, and ‖Ax‖ (or the growth of the norm) only gives |λ|; use the Rayleigh quotient "
            "x @ A @ x of the unit vector x"),
    Mistake("transposed", "you found the dominant eigenvector of A.T (a left eigenvector, x @ A) instead of A; "
            "for a non-symmetric matrix they differ: multiply A @ x"),
    Mistake("not_dominant", "your vector is an eigenvector of A, but not for the eigenvalue of largest absolute "
            "value (inverse iteration, np.linalg.solve(A, x), finds the smallest one); multiply by A"),
    Mistake("iters_ignored", "your loop ran more than `iters` steps: with iters = 3 on a matrix whose two "
            "largest eigenvalues are within 1% of each other, 3 steps cannot reach the eigenvector, but your "
            "vector did; stop after at most iters multiplications by A (for _ in range(iters))"),
    Mistake("not_converged", "your vector is not an eigenvector of A: A @ v is not a multiple of v; keep "
            "multiplying by A and normalising until the vector stops changing (is the return inside the loop, "
            "or does the loop stop after too few steps?)"),
]


def _declared(name: str) -> Mistake:
    return next(m for m in POWER_MISTAKES if m.name == name)


def _fail(case: Case, name: str, extra: str = "") -> Verdict:
    return Verdict(False, describe_failure(case, _declared(name).message + extra), name)


def _judge_power_case(case: Case, outcome) -> Verdict:
    what = "power_iteration(A, iters, tol)"
    if outcome.error:
        return raised(case, outcome, what)
    value = outcome.value
    if not isinstance(value, tuple) or len(value) != 2:
        got = f"a tuple of {len(value)} items" if isinstance(value, tuple) else f"a single {outcome.kind or 'value'}"
        return Verdict(False, describe_failure(case, f"{what} should return a tuple (eigenvalue, eigenvector), "
                                                     f"but returned {got}"), "wrong_type")
    A = _f64(case.args["A"])
    n = len(A)
    lam, v = eigenpair(A)
    lam_r, v_r = (np.asarray(x) for x in value)
    if lam_r.shape == (n,) and v_r.size == 1:
        return _fail(case, "swapped")
    if lam_r.size != 1:
        return Verdict(False, describe_failure(case, f"the eigenvalue should be one number, but it has shape "
                                                     f"{lam_r.shape}"), "wrong_shape")
    if v_r.shape != (n,):
        return wrong_shape(case, v_r, v, "the eigenvector")
    for label, x in (("the eigenvalue", lam_r), ("the eigenvector", v_r)):
        if np.iscomplexobj(x):
            return complex_output(case, x, label, "power iteration on a real matrix stays real; take .real")
    lam_r, v_r = float(lam_r.reshape(())), v_r.astype(np.float64)
    length = float(np.linalg.norm(v_r)) if np.all(np.isfinite(v_r)) else float("nan")
    if not np.isfinite(lam_r) or not np.isfinite(length) or length == 0.0:
        return _fail(case, "not_normalised", f" (received eigenvalue {lam_r:.6g}, eigenvector {fmt(v_r)})")
    tol = _tol(case, POWER_TOL)
    unit = v_r / length
    if case.args["iters"] < FEW:
        return _judge_few_steps(case, unit, length, v, tol)
    direction_ok = scaled_error(_signed(unit, v), v) <= tol
    unit_ok = abs(length - 1.0) <= tol
    lam_ok = scaled_error(lam_r, lam) <= tol
    if direction_ok and unit_ok and lam_ok:
        return Verdict.ok()
    if direction_ok and not unit_ok:
        return _fail(case, "not_unit", f" (your vector has length {length:.6g})")
    if direction_ok:
        if lam < 0 and abs(lam_r - abs(lam)) <= max(tol, 1e-6) * abs(lam):
            return _fail(case, "norm_eigenvalue", f" (expected {lam:.6g}, received {lam_r:.6g})")
        return Verdict(False, describe_failure(
            case, f"your eigenvector is right but the eigenvalue is wrong: expected {lam:.6g}, received {lam_r:.6g} "
                  f"(tolerance {tol:.0e} relative); compute it as the Rayleigh quotient x @ A @ x of the unit "
                  "vector x"), "wrong_value")
    near = max(tol, 1e-6)
    if not np.allclose(A, A.T) and scaled_error(_signed(unit, eigenpair(A.T)[1]), eigenpair(A.T)[1]) <= near:
        return _fail(case, "transposed")
    spread = float(np.max(np.abs(np.linalg.eigvals(A))))
    mu = float(unit @ A @ unit)
    residual = float(np.linalg.norm(A @ unit - mu * unit)) / spread
    if residual <= 1e-4 and abs(mu - lam) > 1e-3 * spread:
        return _fail(case, "not_dominant", f" (yours: eigenvalue {mu:.6g}; the dominant one is {lam:.6g})")
    return _fail(case, "not_converged", f" (‖A v − λ v‖ is {residual:.2e} times the largest |eigenvalue|; "
                                        f"{_difference(unit, v)})")


FEW = 10  # a case with fewer iters checks that the loop stops after iters steps


def _judge_few_steps(case: Case, unit, length, v, tol) -> Verdict:
    """After 3 steps on a gap of 0.99 no start vector the prompt suggests is near the eigenvector
    (the generator makes sure of it), so a converged answer ran more steps than allowed."""
    if abs(length - 1.0) > tol:
        return _fail(case, "not_unit", f" (your vector has length {length:.6g})")
    if scaled_error(_signed(unit, v), v) <= 1e-4:
        return _fail(case, "iters_ignored")
    return Verdict.ok()


def _far_after(A, steps: int) -> bool:
    """Every start the prompt suggests (ones, e_1, e_2, 1..n) is still far from the dominant
    eigenvector after ``steps`` steps of power iteration."""
    v = eigenpair(A)[1]
    n = len(A)
    for x in (np.ones(n), np.eye(n)[0], np.eye(n)[1], np.arange(1.0, n + 1)):
        for _ in range(steps):
            x = A @ x
            x = x / np.linalg.norm(x)
        if scaled_error(_signed(x, v), v) < 1e-2:
            return False
    return True


def _difference(unit, v) -> str:
    a = _signed(unit, v)
    i = int(np.argmax(np.abs(a - v)))
    return f"entry {i} of the unit eigenvector: expected ±{abs(v[i]):.6g}, received {a[i]:.6g} after matching signs"


_judge_power = each_case(_judge_power_case)


def _fair_starts(A) -> bool:
    """Common start vectors (ones, e_1, e_2, 1..n) all have a clear part along the dominant
    eigenvector, so none of them is stuck on another eigenvector or sent to 0."""
    w = eigenpair(_f64(A).T)[1]  # left eigenvector: w @ x measures x's dominant part
    n = len(w)
    starts = [np.ones(n), np.eye(n)[0], np.eye(n)[1], np.arange(1.0, n + 1)]
    return all(abs(w @ x) > 0.1 * np.linalg.norm(x) for x in starts)


def _power_cases(rng: np.random.Generator) -> list[Case]:
    def spectrum(n, top, second_ratio, spread=0.55):
        """n eigenvalues: top, then one of size second_ratio * |top|, the rest at most spread * |top|."""
        signs = rng.choice([-1.0, 1.0], size=n - 1)
        sizes = np.concatenate([[second_ratio], spread * rng.uniform(0.1, 1.0, size=n - 2)])
        return [top] + list(abs(top) * sizes * signs)

    n = int(rng.integers(5, 8))
    ints = np.array([[4, 1], [2, 3]])
    while True:  # a 2x2 integer matrix with real eigenvalues of clearly different sizes
        ints = rng.integers(-4, 6, size=(2, 2))
        w = np.linalg.eigvals(ints)
        if np.all(np.isreal(w)) and abs(w).max() >= 1.6 * abs(w).min() and abs(w).max() >= 1 \
                and _fair_starts(ints):
            break
    cases = [
        Case("a symmetric matrix, gap |λ2/λ1| = 0.5",
             {"A": with_spectrum(rng, spectrum(n, rng.uniform(5, 9), 0.5), symmetric=True), "iters": 3000}),
        Case("a symmetric matrix whose dominant eigenvalue is negative",
             {"A": with_spectrum(rng, spectrum(n, -rng.uniform(5, 9), 0.6), symmetric=True), "iters": 3000}),
        Case("a non-symmetric matrix, gap 0.6, with a complex pair among the smaller eigenvalues",
             {"A": with_spectrum(rng, spectrum(n - 2, rng.uniform(5, 9), 0.6), symmetric=False,
                                 pair=(rng.uniform(-2, 2), rng.uniform(1, 2))), "iters": 3000}),
        Case("a non-symmetric matrix whose dominant eigenvalue is negative",
             {"A": with_spectrum(rng, spectrum(n, -rng.uniform(5, 9), 0.55), symmetric=False), "iters": 3000}),
        Case("a small gap: |λ2/λ1| = 0.96, symmetric",
             {"A": with_spectrum(rng, spectrum(n, rng.uniform(5, 9), 0.96), symmetric=True), "iters": 10000}),
        Case("a small gap: |λ2/λ1| = 0.95, non-symmetric, dominant eigenvalue negative",
             {"A": with_spectrum(rng, spectrum(n, -rng.uniform(5, 9), 0.95), symmetric=False), "iters": 10000}),
        Case("large entries (eigenvalues near 5e3)",
             {"A": 1e3 * with_spectrum(rng, spectrum(n, rng.uniform(4, 8), 0.5), symmetric=True), "iters": 3000}),
        Case("small entries (eigenvalues near 5e-3)",
             {"A": 1e-3 * with_spectrum(rng, spectrum(n, rng.uniform(4, 8), 0.5), symmetric=False), "iters": 3000}),
        Case("a 2x2 integer matrix", {"A": ints, "iters": 3000}),
        Case("a float32 matrix",
             {"A": with_spectrum(rng, spectrum(n, rng.uniform(5, 9), 0.45), symmetric=True).astype(np.float32),
              "iters": 3000}),
    ]
    few = with_spectrum(rng, spectrum(n, rng.uniform(5, 9), 0.99), symmetric=True)
    while not _far_after(few, 3):
        few = with_spectrum(rng, spectrum(n, rng.uniform(5, 9), 0.99), symmetric=True)
    cases.append(Case("iters = 3 on a gap of 0.99: the loop must stop after 3 steps (any unit vector is "
                      "accepted, not one that has already converged)", {"A": few, "iters": 3}))
    for case in cases:  # tol on the scale of A: small enough for a stop on the eigenvalue's change
        case.args["tol"] = float(f"{1e-15 * float(np.abs(case.args['A']).max()):.0e}")
    return cases


check_power_iteration = register(Check(
    id="eigen.power_iteration",
    target="power_iteration",
    summary="power_iteration(A, iters, tol) returns the dominant eigenvalue (with its sign) and a unit "
            "eigenvector, either sign (tolerance 1e-6 relative to the largest entry)",
    make_cases=_power_cases,
    judge=_judge_power,
    forbidden=NO_LIBRARY_EIGEN,
    tolerance=POWER_TOL,
    kind="parts",
    mistakes=POWER_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# pagerank
# ---------------------------------------------------------------------------------------

def _transition(adjacency, dangling: str = "uniform") -> np.ndarray:
    """Row-stochastic P[i, j]: the chance that a surfer on page i follows a link to page j.
    ``dangling``: "uniform" (the convention), "drop" (rows of zeros), "self" (stay put)."""
    A = _f64(adjacency)
    n = len(A)
    out = A.sum(axis=1)
    P = np.zeros_like(A)
    has = out > 0
    P[has] = A[has] / out[has, None]
    if dangling == "uniform":
        P[~has] = 1.0 / n
    elif dangling == "self":
        P[np.flatnonzero(~has), np.flatnonzero(~has)] = 1.0
    return P


def _solve(P, damping, teleport):
    n = len(P)
    return np.linalg.solve(np.eye(n) - damping * P.T, np.full(n, teleport))


def _pagerank_ref(adjacency, damping=0.85):
    n = len(adjacency)
    return _solve(_transition(adjacency), damping, (1 - damping) / n)


def _iterate(step, n, steps=3000):
    r = np.full(n, 1.0 / n)
    for _ in range(steps):
        r = step(r)
    return r


def _raw_counts(adjacency, damping=0.85):
    A = _f64(adjacency)
    n = len(A)

    def step(r):
        r = damping * A.T @ r + (1 - damping) / n
        return r / r.sum()

    return _iterate(step, n)


def _dropped_each_step(adjacency, damping=0.85):
    P = _transition(adjacency, "drop")
    n = len(P)

    def step(r):
        r = damping * P.T @ r + (1 - damping) / n
        return r / r.sum()

    return _iterate(step, n)


PAGERANK_MISTAKES = [
    Mistake("column_convention", "you read adjacency[i, j] as a link from page j to page i; here "
            "adjacency[i, j] = 1 means page i links to page j, so page i's rank flows along row i (use "
            "P.T @ r with P the row-normalised adjacency, or r @ P)",
            lambda adjacency, damping=0.85: _pagerank_ref(_f64(adjacency).T, damping)),
    Mistake("dangling_dropped", "your ranks add up to less than 1: the rank of pages without out-links "
            "(dangling pages) is lost at every step; spread each dangling page's rank evenly over all n pages",
            lambda adjacency, damping=0.85: _solve(_transition(adjacency, "drop"), damping,
                                                   (1 - damping) / len(adjacency))),
    Mistake("dangling_rescaled", "you dropped the rank of the dangling pages (no out-links) and rescaled the "
            "ranks to add up to 1 at each step; rescaling is not the same: spread each dangling page's rank "
            "evenly over all n pages", _dropped_each_step),
    Mistake("dangling_self", "you let a dangling page (no out-links) keep its own rank, as if it linked to "
            "itself; the convention here is that a surfer on a dangling page jumps to any of the n pages "
            "with equal chance",
            lambda adjacency, damping=0.85: _solve(_transition(adjacency, "self"), damping,
                                                   (1 - damping) / len(adjacency))),
    Mistake("damping_swapped", "you applied the damping to the wrong term: with probability d the surfer "
            "follows a link and with 1 − d jumps anywhere, r = d · Pᵀ r + (1 − d) / n",
            lambda adjacency, damping=0.85: _solve(_transition(adjacency), 1 - damping, damping / len(adjacency))),
    Mistake("teleport_not_divided", "you added 1 − d to every page instead of (1 − d) / n, so your ranks add up "
            "to n; the jump spreads the probability 1 − d over the n pages",
            lambda adjacency, damping=0.85: _solve(_transition(adjacency), damping, 1 - damping)),
    Mistake("raw_counts", "you used the adjacency matrix as it is; each page's links must share its rank: "
            "divide row i by page i's number of out-links (its row sum) to get the transition matrix",
            _raw_counts),
    Mistake("not_iterated", "your ranks are all equal to 1/n: the loop never changed r (assign the new vector "
            "back to r, and return it)", lambda adjacency, damping=0.85: np.full(len(adjacency),
                                                                                  1.0 / len(adjacency))),
    Mistake("not_a_distribution", "your ranks point the right way but do not add up to 1; PageRank is a "
            "probability distribution over the pages: divide by r.sum() (not by its norm or largest entry)"),
]


def _diagnose_pagerank(case: Case, received, expected):
    (r,), (e,) = received, expected
    if r.shape != e.shape or not np.all(np.isfinite(r)) or float(r.sum()) < 1e-12:
        return None
    scaled = r / r.sum()
    if scaled_error(scaled, e) <= PAGERANK_TOL.value and abs(float(r.sum()) - 1.0) > PAGERANK_TOL.value:
        return Verdict(False, describe_failure(case, PAGERANK_MISTAKES[-1].message + f" (yours add up to "
                                                                                     f"{float(r.sum()):.6g})"),
                       "not_a_distribution")
    return None


def web(rng: np.random.Generator, n: int, dangling: int = 1, parts: int = 1) -> np.ndarray:
    """A small link graph that looks like a web site: each page links to 1-4 others, popular
    pages more often; the last ``dangling`` pages link nowhere (files, dead ends); with
    ``parts`` > 1 the pages form separate sites that never link to each other."""
    A = np.zeros((n, n), dtype=np.int64)
    sites = np.array_split(np.arange(n), parts)
    popularity = rng.uniform(0.2, 1.0, size=n) ** 3
    dead = set(rng.choice(n, size=dangling, replace=False).tolist())
    for site in sites:
        for i in site:
            if i in dead or len(site) < 2:
                continue
            others = site[site != i]
            k = int(min(len(others), rng.integers(1, 5)))
            p = popularity[others] / popularity[others].sum()
            A[i, rng.choice(others, size=k, replace=False, p=p)] = 1
    return A


def _pagerank_cases(rng: np.random.Generator) -> list[Case]:
    orphan = web(rng, 12, dangling=2)
    orphan[:, int(rng.integers(12))] = 0
    return [
        Case("a site of 8 pages, one dangling", {"adjacency": web(rng, 8), "damping": 0.85}),
        Case("the default damping (0.85), 7 pages, one dangling", {"adjacency": web(rng, 7)}),
        Case("three dangling pages of 9, damping 0.7", {"adjacency": web(rng, 9, dangling=3), "damping": 0.7}),
        Case("two separate sites (10 pages, 6 + 4), one dangling page",
             {"adjacency": web(rng, 10, dangling=1, parts=2), "damping": 0.85}),
        Case("damping 0.9, 12 pages, dangling ones and a page nobody links to",
             {"adjacency": orphan, "damping": 0.9}),
        Case("float adjacency (0.0 and 1.0), damping 0.5", {"adjacency": web(rng, 6).astype(float), "damping": 0.5}),
    ]


check_pagerank = register(Check(
    id="eigen.pagerank",
    target="pagerank",
    summary="pagerank(adjacency, damping) gives the PageRank vector (adjacency[i, j] = 1 when i links to j, "
            "dangling pages spread evenly), adding up to 1 (tolerance 1e-6 relative to the largest rank)",
    make_cases=_pagerank_cases,
    judge=_each(_pagerank_ref, PAGERANK_TOL, PAGERANK_MISTAKES, "pagerank(adjacency, damping)",
                diagnose=_diagnose_pagerank),
    forbidden=NO_LIBRARY_PAGERANK,
    tolerance=PAGERANK_TOL,
    kind="value",
    mistakes=PAGERANK_MISTAKES,
)).runner()
