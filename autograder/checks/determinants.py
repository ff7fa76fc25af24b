"""Hidden checks for 05-determinants: 2x2 and 3x3 determinants, the determinant by
elimination, the inverse by Gauss-Jordan and a singularity test.

Conventions the prompts state and these checks enforce:

* determinants are judged relative to their own size, ``|yours - expected| <= 1e-8 *
  |expected|`` (1e-5 for float32 inputs); the only singular input of ``det`` has a zero row,
  whose determinant every elimination computes as exactly 0;
* ``inverse(A)`` is judged on the scale of the answer, ``max|yours - expected| <= 1e-8 *
  max|expected|``, and must raise ``ValueError`` (``np.linalg.LinAlgError`` is one) for a
  singular matrix;
* ``is_singular(A, tol)`` treats a pivot as zero when ``|pivot| <= tol * max|A|``; inputs are
  far from that border.
"""

from __future__ import annotations

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, register
from autograder.checks._kit.compare import describe_failure
from autograder.checks.systems import _square, _untied, _zero_corner, eliminate, explaining_all

TOL = Tolerance(1e-8, "scale", floor=1e-12, float32=1e-5)
ZERO_TOL = Tolerance(1e-10, "scale", floor=0.0)

FROM_SCRATCH = (
    scratch.Rule("a library determinant (np.linalg.det, slogdet or SciPy)", modules=("scipy.linalg", "torch.linalg"),
                 roots=("numpy", "scipy", "torch"), names=("det", "slogdet", "logdet", "lu_factor", "lu")),
    scratch.Rule("a library inverse or solver (np.linalg.inv, pinv, solve)", roots=("numpy", "scipy", "torch"),
                 names=("inv", "pinv", "solve", "lstsq", "tensorinv", "tensorsolve")),
)


def _f(x) -> np.ndarray:
    return np.array(x, dtype=np.float64, copy=True)


def _tol(case: Case) -> float:
    is32 = any(isinstance(v, np.ndarray) and v.dtype == np.float32 for v in case.args.values())
    return TOL.float32 if is32 else TOL.value


def _judge(reference, mistakes, what, before=None):
    """``before(case, outcome)`` judges the cases it recognises (a singular input that must
    raise); the others are judged by value, naming the mistake that explains every failure."""
    by_value = explaining_all(reference, mistakes, what, tol=_tol)

    def judge(cases: list[Case], outcomes: list) -> Verdict:
        rest, special = [], []
        for case, outcome in zip(cases, outcomes):
            verdict = before(case, outcome) if before is not None else None
            if verdict is None:
                rest.append((case, outcome))
            elif not verdict.passed:
                special.append(verdict)
        verdict = by_value([c for c, _ in rest], [o for _, o in rest])
        if not verdict.passed:
            return verdict
        return special[0] if special else Verdict.ok(f"all {len(cases)} inputs correct")
    return judge


# --------------------------------------------------------------------------------- det2

def _det2_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("a random 2x2 matrix with a positive determinant", {"A": _positive(rng.normal(size=(2, 2)))}),
        Case("an integer matrix", {"A": rng.integers(-9, 10, size=(2, 2))}),
        Case("a matrix with a negative determinant", {"A": np.array([[rng.uniform(0.1, 1), rng.uniform(2, 3)],
                                                                     [rng.uniform(2, 3), rng.uniform(0.1, 1)]])}),
        Case("entries about 1e3", {"A": 1e3 * rng.normal(size=(2, 2))}),
        Case("a float32 matrix", {"A": rng.uniform(0.5, 2, size=(2, 2)).astype(np.float32) * np.array([[1, -1], [1, 1]],
                                                                                                      dtype=np.float32)}),
    ]


def _positive(A):
    """A with its first row negated if needed, so that det(A) > 0 (the pivot order is unchanged)."""
    A = _f(A)
    if np.linalg.det(A) < 0:
        A[0] = -A[0]
    return A


def _det2(A):
    A = _f(A)
    return A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]


DET2_MISTAKES = [
    Mistake("absolute", "you returned |a d - b c|; the determinant has a sign (negative when the map flips the plane)",
            lambda A: abs(_det2(A))),
    Mistake("negated", "your sign is flipped: det [[a, b], [c, d]] = a d - b c, not b c - a d", lambda A: -_det2(A)),
    Mistake("plus", "you added the two products; det [[a, b], [c, d]] = a d MINUS b c",
            lambda A: _f(A)[0, 0] * _f(A)[1, 1] + _f(A)[0, 1] * _f(A)[1, 0]),
    Mistake("rows_paired", "you multiplied entries of the same row (a b - c d); the determinant pairs the diagonals, "
            "a d - b c", lambda A: _f(A)[0, 0] * _f(A)[0, 1] - _f(A)[1, 0] * _f(A)[1, 1]),
    Mistake("columns_paired", "you multiplied entries of the same column (a c - b d); the determinant pairs the "
            "diagonals, a d - b c", lambda A: _f(A)[0, 0] * _f(A)[1, 0] - _f(A)[0, 1] * _f(A)[1, 1]),
    Mistake("diagonal_only", "you returned only the product of the diagonal, a d; subtract b c",
            lambda A: _f(A)[0, 0] * _f(A)[1, 1]),
]

check_det2 = register(Check(
    id="determinants.det2",
    target="det2",
    summary="det2(A) returns a d - b c on fresh random 2x2 matrices (tolerance 1e-8)",
    make_cases=_det2_cases,
    judge=_judge(_det2, DET2_MISTAKES, "det2(A)"),
    forbidden=FROM_SCRATCH,
    tolerance=TOL,
    kind="value",
    mistakes=DET2_MISTAKES,
)).runner()


# --------------------------------------------------------------------------------- det3

def _det3_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("a random 3x3 matrix", {"A": rng.normal(size=(3, 3))}),
        Case("an integer matrix", {"A": rng.integers(-9, 10, size=(3, 3))}),
        Case("a random 3x3 matrix with entries between 1 and 2", {"A": rng.uniform(1, 2, size=(3, 3))}),
        Case("entries about 1e2", {"A": 1e2 * rng.normal(size=(3, 3))}),
        Case("a float32 matrix", {"A": (np.eye(3) * 3 + rng.normal(size=(3, 3))).astype(np.float32)}),
    ]


def _minors(A):
    a, b, c = A[0]
    d, e, f = A[1]
    g, h, i = A[2]
    return (e * i - f * h), (d * i - f * g), (d * h - e * g)


def _det3(A):
    A = _f(A)
    m0, m1, m2 = _minors(A)
    return A[0, 0] * m0 - A[0, 1] * m1 + A[0, 2] * m2


DET3_MISTAKES = [
    Mistake("cofactor_signs", "your cofactor signs are wrong: along the first row they alternate + - +, "
            "det = a (ei - fh) - b (di - fg) + c (dh - eg)",
            lambda A: _f(A)[0, 0] * _minors(_f(A))[0] + _f(A)[0, 1] * _minors(_f(A))[1] + _f(A)[0, 2] * _minors(_f(A))[2]),
    Mistake("negated", "your result has the wrong sign: the cofactor signs along the first row are + - +, not - + -",
            lambda A: -_det3(A)),
    Mistake("diagonal_only", "you returned the product of the diagonal; that is the determinant only of a "
            "triangular matrix", lambda A: float(np.prod(np.diag(_f(A))))),
    Mistake("half_sarrus", "you added the three down-right diagonals (a e i + b f g + c d h) but did not subtract "
            "the three up-right ones (c e g + a f h + b d i)",
            lambda A: (lambda a: a[0, 0] * a[1, 1] * a[2, 2] + a[0, 1] * a[1, 2] * a[2, 0] + a[0, 2] * a[1, 0] * a[2, 1])(_f(A))),
    Mistake("top_left_2x2", "you returned the determinant of the top-left 2x2 block; a 3x3 determinant expands "
            "along a whole row", lambda A: _f(A)[0, 0] * _f(A)[1, 1] - _f(A)[0, 1] * _f(A)[1, 0]),
    Mistake("minors_not_weighted", "you added the signed minors without multiplying each by its entry of the first "
            "row: det = a M00 - b M01 + c M02", lambda A: (lambda m: m[0] - m[1] + m[2])(_minors(_f(A)))),
]

check_det3 = register(Check(
    id="determinants.det3",
    target="det3",
    summary="det3(A) expands along the first row with cofactors, on fresh random 3x3 matrices (tolerance 1e-8)",
    make_cases=_det3_cases,
    judge=_judge(_det3, DET3_MISTAKES, "det3(A)"),
    forbidden=FROM_SCRATCH,
    tolerance=TOL,
    kind="value",
    mistakes=DET3_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------- det

def _elimination(A):
    """(pivots, number of row swaps) of elimination with partial pivoting."""
    U = _f(A)
    n = len(U)
    swaps = 0
    for k in range(n):
        p = k + int(np.argmax(np.abs(U[k:, k])))
        if p != k:
            U[[k, p]] = U[[p, k]]
            swaps += 1
        if U[k, k] == 0:
            continue
        for i in range(k + 1, n):
            U[i, k:] -= U[i, k] / U[k, k] * U[k, k:]
    return np.diag(U).copy(), swaps


def _det(A):
    pivots, swaps = _elimination(A)
    return float((-1) ** swaps * np.prod(pivots))


def _det_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(4, 7))
    zero_row = rng.integers(-5, 6, size=(4, 4)).astype(float)
    zero_row[int(rng.integers(0, 4))] = 0.0
    odd = _untied(rng, _square(3))
    # rows ordered so that partial pivoting makes an odd number of swaps
    for _ in range(20):
        if _elimination(odd)[1] % 2 == 1:
            break
        odd = _untied(rng, _square(3))
    return [
        Case("a matrix that needs an odd number of row swaps", {"A": _positive(odd)}),
        Case(f"a random {n}x{n} matrix", {"A": _untied(rng, _square(n))}),
        Case("a zero in the top-left corner", {"A": _untied(rng, _zero_corner(4))}),
        Case("an integer matrix", {"A": _untied(rng, lambda r: r.integers(-9, 10, size=(4, 4)))}),
        Case("a 1x1 matrix with a negative entry", {"A": np.array([[-rng.uniform(0.5, 3)]])}),
        Case("a matrix with a zero row (determinant 0)", {"A": zero_row}),
        Case("a float32 matrix", {"A": _untied(rng, _square(3)).astype(np.float32)}),
    ]


DET_MISTAKES = [
    Mistake("absolute", "you returned |det|; the determinant keeps its sign", lambda A: abs(_det(A))),
    Mistake("swap_sign_forgotten", "you forgot that every row swap flips the sign of the determinant: multiply the "
            "product of the pivots by (-1) ** (number of swaps)", lambda A: float(np.prod(_elimination(A)[0]))),
    Mistake("diagonal_of_A", "you multiplied the diagonal of A itself; only after elimination (an upper-triangular "
            "U) is the determinant the product of the diagonal", lambda A: float(np.prod(np.diag(_f(A))))),
    Mistake("sum_of_pivots", "you added the pivots; the determinant is their PRODUCT (times the sign of the swaps)",
            lambda A: float((-1) ** _elimination(A)[1] * np.sum(_elimination(A)[0]))),
    Mistake("log_abs", "you returned log|det| (what np.linalg.slogdet gives); return the determinant itself",
            lambda A: float(np.log(abs(_det(A))))),
    Mistake("normalised_rows", "you divided each pivot row by its pivot and then multiplied the diagonal (all ones); "
            "dividing a row by p divides the determinant by p, so keep the product of the pivots",
            lambda A: float((-1) ** _elimination(A)[1])),
]

check_det = register(Check(
    id="determinants.det",
    target="det",
    summary="det(A) by elimination with row swaps matches the determinant of fresh random matrices (tolerance 1e-8)",
    make_cases=_det_cases,
    judge=_judge(_det, DET_MISTAKES, "det(A)"),
    forbidden=FROM_SCRATCH,
    tolerance=TOL,
    kind="value",
    mistakes=DET_MISTAKES,
)).runner()


# ------------------------------------------------------------------------------ inverse

def gauss_jordan(A, swap_identity=True, normalise=True, pivot=True):
    """Gauss-Jordan on [A | I]; switches reproduce the catalogued mistakes."""
    A = _f(A)
    n = len(A)
    M = np.hstack([A, np.eye(n)])
    for k in range(n):
        p = k + int(np.argmax(np.abs(M[k:, k]))) if pivot else k
        if p != k:
            if swap_identity:
                M[[k, p]] = M[[p, k]]
            else:
                M[[k, p], :n] = M[[p, k], :n]
        if normalise:
            M[k] = M[k] / M[k, k]
        for i in range(n):
            if i != k:
                M[i] = M[i] - M[i, k] / M[k, k] * M[k]
    return M[:, n:]


def _inverse_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(3, 6))
    singular = rng.integers(-5, 6, size=(3, 3)).astype(float)
    singular[2] = singular[0] - 2 * singular[1]
    return [
        Case("a 3x3 matrix that needs row swaps", {"A": _untied(rng, _zero_corner(3))}),
        Case(f"a random {n}x{n} matrix", {"A": _untied(rng, _square(n))}),
        Case("an integer matrix", {"A": _untied(rng, lambda r: r.integers(-9, 10, size=(3, 3)))}),
        Case("a 1x1 matrix", {"A": np.array([[rng.uniform(0.5, 3)]])}),
        Case("a float32 matrix", {"A": _untied(rng, _square(3)).astype(np.float32)}),
        Case("a singular matrix (the last row is row 0 - 2 * row 1)", {"A": singular}),
    ]


def _is_singular_input(A) -> bool:
    A = _f(A)
    return bool(np.linalg.matrix_rank(A) < len(A))


def _inv_reference(A):
    return np.linalg.inv(_f(A))


INVERSE_MISTAKES = [
    Mistake("transposed", "your inverse is transposed (as when the adjugate is not transposed: adj(A) is the "
            "TRANSPOSE of the cofactor matrix); check that A @ inverse(A) is the identity",
            lambda A: _inv_reference(A).T),
    Mistake("identity_not_swapped", "you swapped rows of A but not of the identity on the right; in Gauss-Jordan "
            "every row operation applies to the whole row of [A | I]",
            lambda A: gauss_jordan(A, swap_identity=False)),
    Mistake("not_normalised", "you did not divide each pivot row by its pivot, so the left half ends diagonal but "
            "not the identity; scale row k by 1 / pivot", lambda A: gauss_jordan(A, normalise=False)),
    Mistake("reciprocal", "you took the reciprocal of each entry (1 / A); the inverse matrix undoes the map, "
            "A @ inverse(A) = I", lambda A: 1.0 / _f(A)),
    Mistake("no_pivoting", "you did not swap rows: a zero on the diagonal gives a division by zero although A is "
            "invertible; bring up the row with the largest |entry| first", lambda A: gauss_jordan(A, pivot=False)),
    Mistake("no_singular_error", "for a singular matrix your function must raise ValueError (for example "
            "`raise ValueError('matrix is singular')` when no pivot is larger than 1e-10 * max|A|)"),
]


def _inverse_singular(case: Case, outcome) -> Verdict | None:
    if not _is_singular_input(case.args["A"]):
        return None
    if outcome.error and not outcome.kind and outcome.error.split(":", 1)[0] in ("ValueError", "LinAlgError"):
        return Verdict.ok()
    got = (f"it raised {outcome.error.split(':', 1)[0]}" if outcome.error and not outcome.kind
           else "it returned a result")
    return Verdict(False, describe_failure(case, INVERSE_MISTAKES[-1].message + f" ({got})"), "no_singular_error")


check_inverse = register(Check(
    id="determinants.inverse",
    target="inverse",
    summary="inverse(A) by Gauss-Jordan matches the inverse of fresh random matrices and raises ValueError for a "
            "singular one (tolerance 1e-8)",
    make_cases=_inverse_cases,
    judge=_judge(_inv_reference, INVERSE_MISTAKES[:-1], "inverse(A)", before=_inverse_singular),
    forbidden=FROM_SCRATCH,
    tolerance=TOL,
    kind="value",
    mistakes=INVERSE_MISTAKES,
)).runner()


# -------------------------------------------------------------------------- is_singular

def singular_reference(A, tol) -> bool:
    A = _f(A)
    scale = float(np.max(np.abs(A), initial=0.0))
    U, _ = eliminate(A, np.zeros(len(A)), zero_tol=tol * scale)
    return bool(np.any(np.abs(np.diag(U)) <= tol * scale))


def _near_singular(rng, n, smallest):
    Q1, _ = np.linalg.qr(rng.normal(size=(n, n)))
    Q2, _ = np.linalg.qr(rng.normal(size=(n, n)))
    s = np.linspace(1.0, 0.5, n)
    s[-1] = smallest
    return Q1 @ np.diag(s) @ Q2.T


def _singular_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(3, 5))
    exact = rng.integers(-6, 7, size=(n, n)).astype(float)
    exact[-1] = exact[0] + exact[1]
    for _ in range(50):  # singular up to rounding, never exactly zero in elimination
        noisy = rng.normal(size=(n, n))
        noisy[-1] = 0.1 * noisy[0] + 0.7 * noisy[1]
        if not singular_reference(noisy, 0.0):
            break
    return [
        Case(f"a random invertible {n}x{n} matrix", {"A": _untied(rng, _square(n)), "tol": 1e-10}),
        Case("an integer matrix whose last row is the sum of the first two", {"A": exact, "tol": 1e-10}),
        Case("a matrix singular up to rounding (last row 0.1 * row 0 + 0.7 * row 1)", {"A": noisy, "tol": 1e-10}),
        Case("an invertible matrix with entries about 1e-12", {"A": 1e-12 * _untied(rng, _square(n)), "tol": 1e-10}),
        Case("an invertible matrix with a zero in the top-left corner",
             {"A": _untied(rng, _zero_corner(n)), "tol": 1e-10}),
        Case("a nearly singular matrix (smallest singular value 1e-8) with tol = 1e-5",
             {"A": _near_singular(rng, n, 1e-8), "tol": 1e-5}),
        Case("the same kind of matrix with tol = 1e-12", {"A": _near_singular(rng, n, 1e-8), "tol": 1e-12}),
        Case("the zero matrix", {"A": np.zeros((n, n)), "tol": 1e-10}),
    ]


SINGULAR_MISTAKES = [
    Mistake("exact_zero", "you tested pivots with == 0: a matrix that is singular up to rounding has a last pivot "
            "of about 1e-16, not 0; treat |pivot| <= tol * max|A| as zero"),
    Mistake("absolute_tolerance", "you called an invertible matrix with small entries singular: your test is "
            "absolute (or uses the determinant, which shrinks like scale**n); compare with tol * max|A|"),
    Mistake("ignored_tol", "your answer does not change with the tol argument; use the tol you are given"),
    Mistake("no_pivoting", "you called an invertible matrix singular because its top-left entry is 0; swap in a "
            "row with a non-zero entry first"),
    Mistake("inverted", "your answers are the opposite: return True when A is singular"),
    Mistake("never_singular", "you never answer True: a singular matrix must give True"),
]
_S = {m.name: m for m in SINGULAR_MISTAKES}


def _singular_judge(cases: list[Case], outcomes: list) -> Verdict:
    got = []
    for case, outcome in zip(cases, outcomes):
        if outcome.error and not outcome.kind:
            return Verdict(False, describe_failure(case, f"your code raised an error: {outcome.error}"), "error")
        value = outcome.value
        if outcome.error or not isinstance(value, np.ndarray) or value.shape != () or value.dtype.kind != "b":
            return Verdict(False, describe_failure(
                case, f"is_singular(A, tol) should return True or False, but returned {outcome.kind or value!r}"),
                "wrong_type")
        got.append(bool(value))
    expected = [singular_reference(*c.args.values()) for c in cases]
    wrong = [(c, g, e) for c, g, e in zip(cases, got, expected) if g != e]
    if not wrong:
        return Verdict.ok(f"all {len(cases)} inputs correct")

    def fail(name, case, g, e):
        return Verdict(False, describe_failure(case, _S[name].message + f" (expected {e}, received {g})"), name)

    if all(g != e for g, e in zip(got, expected)):
        return fail("inverted", *wrong[0])
    if not any(got):
        return fail("never_singular", *wrong[0])
    if all(c.args["tol"] != 1e-10 for c, _, _ in wrong):
        return fail("ignored_tol", *wrong[0])
    for c, g, e in wrong:
        A = _f(c.args["A"])
        if e and not g and singular_reference(A, 0.0) is False and np.any(A):
            return fail("exact_zero", c, g, e)
    for c, g, e in wrong:
        A = _f(c.args["A"])
        if g and not e and np.max(np.abs(A)) < 1e-3:
            return fail("absolute_tolerance", c, g, e)
        if g and not e and A[0, 0] == 0:
            return fail("no_pivoting", c, g, e)
    c, g, e = wrong[0]
    return Verdict(False, describe_failure(c, f"is_singular(A, tol) is wrong (expected {e}, received {g})"),
                   "wrong_value")


check_is_singular = register(Check(
    id="determinants.is_singular",
    target="is_singular",
    summary="is_singular(A, tol) finds singular matrices, up to rounding, with a tolerance relative to the "
            "largest entry (tolerance 1e-10 unless tol says otherwise)",
    make_cases=_singular_cases,
    judge=_singular_judge,
    tolerance=ZERO_TOL,
    kind="answer",
    mistakes=SINGULAR_MISTAKES,
)).runner()


# ------------------------------------------------------------------------ det of a product

def _pair_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(3, 5))
    return [
        Case(f"two random {n}x{n} matrices", {"A": _untied(rng, _square(n)), "B": _untied(rng, _square(n))}),
        Case("a pair with determinants of opposite signs",
             {"A": _positive(_untied(rng, _square(3))), "B": -_positive(_untied(rng, _square(3)))}),
        Case("integer matrices", {"A": _untied(rng, lambda r: r.integers(-5, 6, size=(3, 3))),
                                  "B": _untied(rng, lambda r: r.integers(-5, 6, size=(3, 3)))}),
        Case("2x2 matrices", {"A": _untied(rng, _square(2)), "B": _untied(rng, _square(2))}),
        Case("float32 matrices", {"A": _untied(rng, _square(3)).astype(np.float32),
                                  "B": _untied(rng, _square(3)).astype(np.float32)}),
    ]


def _det_product(A, B):
    return _det(A) * _det(B)


PRODUCT_MISTAKES = [
    Mistake("sum", "you added the determinants; areas scale by one factor and then by the other, so "
            "det(A @ B) = det(A) * det(B), a PRODUCT", lambda A, B: _det(A) + _det(B)),
    Mistake("det_of_sum", "you took the determinant of A + B; the question is about the product A @ B",
            lambda A, B: _det(_f(A) + _f(B))),
    Mistake("elementwise", "you took the determinant of A * B (entry by entry); the product of matrices is A @ B",
            lambda A, B: _det(_f(A) * _f(B))),
    Mistake("ratio", "you divided the determinants; det(A @ B) = det(A) * det(B)", lambda A, B: _det(A) / _det(B)),
    Mistake("difference", "you subtracted the determinants; det(A @ B) = det(A) * det(B)",
            lambda A, B: _det(A) - _det(B)),
    Mistake("one_factor", "you returned the determinant of only one of the two matrices; multiply both",
            lambda A, B: _det(A)),
    Mistake("one_factor", "you returned the determinant of only one of the two matrices; multiply both",
            lambda A, B: _det(B)),
]

check_det_of_product = register(Check(
    id="determinants.det_of_product",
    target="det_of_product",
    summary="det_of_product(A, B) returns det(A @ B) on fresh random pairs (tolerance 1e-8)",
    make_cases=_pair_cases,
    judge=_judge(_det_product, PRODUCT_MISTAKES, "det_of_product(A, B)"),
    forbidden=FROM_SCRATCH,
    tolerance=TOL,
    kind="value",
    mistakes=PRODUCT_MISTAKES,
)).runner()
