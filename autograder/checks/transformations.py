"""Hidden checks for 06-transformations: a basis of the null space, rank and nullity, and
change of basis.

Conventions the prompts state and these checks enforce:

* a basis is a matrix whose COLUMNS are the basis vectors; ``null_space(A, tol)`` returns
  an (n, d) matrix, d = n - rank, with (n, 0) for a matrix of full column rank;
* a singular value counts as zero when ``s <= tol * s.max()`` (``rank_nullity`` uses
  ``tol = 1e-10``), so a whole zero matrix has rank 0;
* any basis of the null space passes: columns independent, as many as the nullity, and the
  same span as the reference (orthogonal projectors equal within the tolerance);
* coordinates: ``v = B @ c``; ``change_of_basis(B_from, B_to)`` is the matrix T with
  ``c_to = T @ c_from``, that is ``T = inv(B_to) @ B_from``.

Test matrices have exactly known, well-separated singular values, so the border between
kept and dropped singular values is always far from the cut-off.
"""

from __future__ import annotations

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, inputs, register
from autograder.checks._kit.compare import Part, complex_output, describe_failure, fmt, not_finite, not_one_array, raised
from autograder.checks.systems import explaining_all

SPAN_TOL = Tolerance(1e-6, "scale", floor=1e-8, float32=1e-4)  # on the entries of the projectors
COUNT_TOL = Tolerance(0.0, "exact", floor=0.0)  # rank and nullity are whole numbers
COORD_TOL = Tolerance(1e-8, "scale", floor=1e-12, float32=1e-5)
RANK_TOL = 1e-10  # rank_nullity's relative cut-off
INDEPENDENT = 1e-8  # columns count as dependent when s_min(N) <= 1e-8 * s_max(N)

NO_LIBRARY_NULL_SPACE = scratch.Rule(
    "a library null-space routine (scipy.linalg.null_space or sympy's nullspace)",
    roots=("scipy", "sympy", "numpy", "torch"), names=("null_space", "nullspace", "NullSpace"),
    methods=("nullspace", "null_space"))


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _is32(case: Case) -> bool:
    return any(isinstance(v, np.ndarray) and v.dtype == np.float32 for v in case.args.values())


def _with_spectrum(rng: np.random.Generator, m: int, n: int, s) -> np.ndarray:
    s = np.asarray(s, dtype=np.float64)
    return inputs.orthonormal(rng, m, len(s)) @ np.diag(s) @ inputs.orthonormal(rng, n, len(s)).T


def _matrix(rng: np.random.Generator, m: int, n: int, rank: int | None = None, scale: float = 1.0) -> np.ndarray:
    """An (m, n) matrix of the given rank with well-separated singular values (the rest exact
    zeros in exact arithmetic, rounding noise of about 1e-16 * s.max() in floating point)."""
    r = min(m, n) if rank is None else rank
    return _with_spectrum(rng, m, n, scale * 3.0 * np.sqrt(inputs.spectrum(rng, r)))


def _svd_parts(A, full=True):
    return np.linalg.svd(_f64(A), full_matrices=full)


def _rank(s, tol, absolute=False) -> int:
    s = np.asarray(s)
    if s.size == 0:
        return 0
    return int(np.sum(s > (tol if absolute else tol * s.max())))


# ---------------------------------------------------------------------------------------
# null_space
# ---------------------------------------------------------------------------------------

def _null_ref(A, tol):
    _, s, Vt = _svd_parts(A)
    return Vt[_rank(s, tol):].T


def _null_with(A, r=None, full=True):
    _, s, Vt = _svd_parts(A, full)
    return Vt[r:].T


def _null_normal(A, tol):
    """The null space read from the eigenvectors of A.T @ A (square roots of the eigenvalues)."""
    A = _f64(A)
    values, vectors = np.linalg.eigh(A.T @ A)
    s = np.sqrt(np.maximum(values, 0.0))
    return vectors[:, s <= tol * s.max()]


def _projector(X) -> np.ndarray:
    """The orthogonal projector onto the column span of X (rank read with a 1e-8 cut-off)."""
    X = _f64(X)
    if X.ndim != 2:
        return np.zeros((0, 0))
    if X.size == 0:
        return np.zeros((X.shape[0], X.shape[0]))
    U, s, _ = np.linalg.svd(X, full_matrices=False)
    Q = U[:, s > INDEPENDENT * s.max()] if s.max() > 0 else U[:, :0]
    return Q @ Q.T


def _span_error(X, Y) -> float:
    P, Q = _projector(X), _projector(Y)
    if P.shape != Q.shape:
        return np.inf
    return float(np.max(np.abs(P - Q))) if P.size else 0.0


def _same(X, Y, tol) -> bool:
    """Same shape, same column span and same row span."""
    X, Y = _f64(X), _f64(Y)
    return X.shape == Y.shape and X.ndim == 2 and _span_error(X, Y) <= tol and _span_error(X.T, Y.T) <= tol


def _independent(X) -> bool:
    X = _f64(X)
    if X.shape[1] == 0:
        return True
    if X.shape[1] > X.shape[0]:
        return False
    s = np.linalg.svd(X, compute_uv=False)
    return s.max() > 0 and s.min() > INDEPENDENT * s.max()


NULL_MISTAKES = [
    Mistake("leading", "your columns are right singular vectors for the LARGEST singular values (the first rows "
            "of Vt); the null space is spanned by the LAST n - r rows of Vt, those whose singular values are "
            "<= tol * s.max(): Vt[r:].T",
            lambda A, tol: _svd_parts(A)[2][:A.shape[1] - _rank(_svd_parts(A)[1], tol)].T),
    Mistake("row_space", "you returned the first r rows of Vt (transposed), a basis of the ROW space; the null "
            "space is the rest, Vt[r:].T", lambda A, tol: _svd_parts(A)[2][:_rank(_svd_parts(A)[1], tol)].T),
    Mistake("rows", "your basis vectors are the ROWS of your array; return them as COLUMNS, an (n, d) array: "
            "Vt[r:].T, not Vt[r:]", lambda A, tol: _svd_parts(A)[2][_rank(_svd_parts(A)[1], tol):]),
    Mistake("vt_columns", "you took COLUMNS of Vt as if np.linalg.svd returned V; it returns Vt, so the right "
            "singular vectors are its ROWS: Vt[r:].T",
            lambda A, tol: _svd_parts(A)[2][:, _rank(_svd_parts(A)[1], tol):]),
    Mistake("left_null_space", "you used U, the LEFT singular vectors: U[:, r:] spans the null space of A.T; the "
            "null space of A comes from Vt: Vt[r:].T", lambda A, tol: _svd_parts(A)[0][:, _rank(_svd_parts(A)[1], tol):]),
    Mistake("reduced_svd", "you used the reduced SVD (full_matrices=False), whose Vt has only min(m, n) rows; a wide "
            "matrix (m < n) has n - m more null directions: use np.linalg.svd(A) with full_matrices=True",
            lambda A, tol: _null_with(A, _rank(_svd_parts(A)[1], tol), full=False)),
    Mistake("no_cutoff", "you counted every nonzero singular value in the rank; computed singular values of a "
            "rank-deficient matrix are tiny (about 1e-16), not exactly 0: treat s <= tol * s.max() as zero",
            lambda A, tol: _null_with(A, int(np.sum(_svd_parts(A)[1] > 0)))),
    Mistake("absolute_cutoff", "you compared the singular values with tol itself; the cut-off is relative to the "
            "largest singular value: s <= tol * s.max() counts as zero",
            lambda A, tol: _null_with(A, _rank(_svd_parts(A)[1], tol, absolute=True))),
    Mistake("tol_ignored", "you ignored tol (a fixed or default cut-off keeps a singular value that tol says is "
            "zero); treat every s <= tol * s.max() as zero, with the tol given",
            lambda A, tol: _null_with(A, _rank(_svd_parts(A)[1], 10 * max(A.shape) * np.finfo(float).eps))),
    Mistake("normal_equations", "you took eigenvectors of A.T @ A; forming A.T @ A squares the singular values, "
            "so rounding noise of about 1e-8 * s.max() hides which ones are zero: take the SVD of A itself",
            lambda A, tol: _null_normal(A, tol)),
    Mistake("projector", "you returned the projector I - pinv(A) @ A: its columns span the null space but are not "
            "independent (n columns); return a basis, d = n - rank independent columns such as Vt[r:].T",
            lambda A, tol: np.eye(A.shape[1]) - np.linalg.pinv(_f64(A), rcond=tol) @ _f64(A)),
    Mistake("not_independent", "the columns of your basis are not linearly independent (one is a combination of "
            "the others, or zero); a basis has exactly d = n - rank independent columns"),
    Mistake("wrong_dimension", "your basis has the wrong number of vectors for this matrix"),
    Mistake("empty_shape", "this matrix has full column rank, so its null space is {0} and its basis is empty: "
            "return an array of shape (n, 0) (Vt[n:].T gives one), not None or an array of another shape"),
    Mistake("not_2d", "return a 2-D array (n, d) with one basis vector per column, even when d = 1"),
]

_NULL_BY_NAME = {m.name: m for m in NULL_MISTAKES}


def _null_fail(case, name, extra=""):
    return Verdict(False, describe_failure(case, _NULL_BY_NAME[name].message + extra), name)


def _null_correct(R, expected, tol) -> bool:
    return R.shape == expected.shape and _independent(R) and _span_error(R, expected) <= tol


def _judge_null_case(case: Case, outcome, tol: float, mistakes=NULL_MISTAKES) -> Verdict:
    A, cut = _f64(case.args["A"]), case.args["tol"]
    m, n = A.shape
    expected = _null_ref(A, cut)
    d = expected.shape[1]
    what = "null_space(A, tol)"
    if outcome.error:
        if d == 0 and outcome.kind == "NoneType":
            return _null_fail(case, "empty_shape")
        return raised(case, outcome, what)
    value = outcome.value
    if isinstance(value, (tuple, dict)):
        return not_one_array(case, value, what)
    R = np.asarray(value)
    if np.iscomplexobj(R):
        return complex_output(case, R, what, "take .real, or use np.linalg.svd on a real matrix")
    if R.dtype.kind not in "fiub":
        return Verdict(False, describe_failure(case, f"{what} returned an array of {R.dtype}; return numbers"),
                       "wrong_type")
    if R.ndim != 2:
        return _null_fail(case, "empty_shape" if d == 0 else "not_2d",
                          f" (received shape {R.shape}, expected ({n}, {d}))")
    R = R.astype(np.float64)
    if not np.all(np.isfinite(R)):
        return not_finite(case, R, what)
    if _null_correct(R, expected, tol):
        return Verdict.ok()

    for mistake in mistakes:
        if mistake.compute is None:
            continue
        try:
            with np.errstate(all="ignore"):
                wrong = _f64(mistake.compute(A, cut))
        except Exception:
            continue
        if wrong.ndim != 2 or wrong.shape != R.shape or _same(wrong, expected, tol):
            continue
        if _same(R, wrong, max(tol, 1e-6)):
            return _null_fail(case, mistake.name, f" (expected shape ({n}, {d}), received {R.shape})"
                              if R.shape != expected.shape else "")

    r = n - d
    if R.shape[0] != n:
        if R.shape[1] == n and _null_correct(R.T, expected, tol):
            return _null_fail(case, "rows")
        return Verdict(False, describe_failure(
            case, f"{what} has shape {R.shape}: a basis of the null space of an (m, n) = ({m}, {n}) matrix has n = "
                  f"{n} rows and one column per basis vector, shape ({n}, {d}) here"), "wrong_shape")
    k = R.shape[1]
    if not _independent(R):
        return _null_fail(case, "not_independent")
    if k != d:
        return _null_fail(case, "wrong_dimension", f": it has {k} but this A has rank {r} (singular values above "
                          f"tol * s.max()), so its null space has dimension n - rank = {n} - {r} = {d}")
    residual = np.linalg.norm(A @ R, axis=0) / (np.linalg.norm(A, 2) * np.linalg.norm(R, axis=0))
    j = int(np.argmax(residual))
    return Verdict(False, describe_failure(
        case, f"{what} is wrong: your columns do not span the null space of A; A @ N should be about 0, but column "
              f"{j} gives |A n| / (|A| |n|) = {residual[j]:.2e}; the span differs from the expected one by "
              f"{_span_error(R, expected):.2e} (largest entry of the difference of the projectors, tolerance "
              f"{tol:.0e})"), "wrong_value")


def _span_tol(case: Case) -> float:
    return SPAN_TOL.float32 if _is32(case) else SPAN_TOL.value


def _judge_null(cases, outcomes):
    """The first failure, except that when two catalogued mistakes agree on it, the one that
    also explains every other failing input is named."""
    failing = [(c, o, v) for c, o in zip(cases, outcomes)
               if not (v := _judge_null_case(c, o, _span_tol(c))).passed]
    if not failing:
        return Verdict.ok(f"all {len(cases)} inputs correct")
    first = failing[0][2]
    if len(failing) > 1 and any(m.name == first.mistake and m.compute for m in NULL_MISTAKES):
        for mistake in NULL_MISTAKES:
            if mistake.compute is None:
                continue
            alone = [_judge_null_case(c, o, _span_tol(c), [mistake]) for c, o, _ in failing]
            if all(v.mistake == mistake.name for v in alone):
                return alone[0]
    return first


def _noisy(rng, m, n, tol, scale=1.0):
    """Singular values: three clear ones, one small but real (30 * tol * s.max(), kept) and
    one at the noise level (tol / 30 * s.max(), dropped); the rest exact zeros."""
    top = scale * 3.0 * np.sqrt(inputs.spectrum(rng, 3))
    return _with_spectrum(rng, m, n, np.concatenate([top, [30 * tol * top[0], tol / 30 * top[0]]]))


def _null_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(6, 9))
    return [
        Case("a square matrix of rank 2", {"A": _matrix(rng, n, n, rank=2), "tol": 1e-10}),
        Case("a wide matrix of full row rank (m < n)", {"A": _matrix(rng, 3, n), "tol": 1e-10}),
        Case("a wide rank-deficient matrix", {"A": _matrix(rng, 4, n + 2, rank=2), "tol": 1e-10}),
        Case("a tall matrix of rank 2", {"A": _matrix(rng, n + 3, 5, rank=2), "tol": 1e-10}),
        Case("a single row (one equation)", {"A": rng.normal(size=(1, 4)), "tol": 1e-10}),
        Case("a 4 x 5 matrix of rank 4 (a null space of dimension 1)", {"A": _matrix(rng, 4, 5), "tol": 1e-10}),
        Case("a full-rank square matrix (null space {0}, shape (n, 0))", {"A": _matrix(rng, 5, 5), "tol": 1e-10}),
        Case("a full-rank tall matrix (null space {0}, shape (n, 0))", {"A": _matrix(rng, n + 2, 4), "tol": 1e-10}),
        Case("singular values near the cut-off: 30 * tol * s.max() is kept, tol / 30 * s.max() is zero",
             {"A": _noisy(rng, n, 6, 1e-6), "tol": 1e-6}),
        Case("entries near 1e4 with a noise-level singular value",
             {"A": _noisy(rng, 7, 6, 1e-7, scale=1e4), "tol": 1e-7}),
        Case("entries near 1e-7, rank 3", {"A": _matrix(rng, 5, 6, rank=3, scale=1e-7), "tol": 1e-6}),
        Case("a float32 matrix of rank 2 (tol 1e-4 for float32 data)",
             {"A": _matrix(rng, 6, 5, rank=2).astype(np.float32), "tol": 1e-4}),
    ]


check_null_space = register(Check(
    id="transformations.null_space",
    target="null_space",
    summary="null_space(A, tol) returns a basis of the null space as columns, any basis accepted (tolerance 1e-6 "
            "on the projectors onto the spans)",
    make_cases=_null_cases,
    judge=_judge_null,
    forbidden=NO_LIBRARY_NULL_SPACE,
    tolerance=SPAN_TOL,
    kind="value",
    mistakes=NULL_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# rank_nullity
# ---------------------------------------------------------------------------------------

def _singular_values(A):
    return np.linalg.svd(_f64(A), compute_uv=False)


def _rn_ref(A):
    r = _rank(_singular_values(A), RANK_TOL)
    return r, np.shape(A)[1] - r


def _rn_from_rank(r_of):
    def compute(A):
        r = r_of(_singular_values(A), A)
        return r, np.shape(A)[1] - r
    return compute


RANK_MISTAKES = [
    Mistake("zeros_only", "your nullity counts only the zero singular values, but there are just min(m, n) of "
            "them; a wide matrix (m < n) has n - m more null directions: nullity = n - rank",
            lambda A: (_rn_ref(A)[0], min(np.shape(A)) - _rn_ref(A)[0])),
    Mistake("nullity_rows", "your nullity is m - rank (rows); the null space lives in R^n, so nullity = n - rank "
            "with n the number of COLUMNS (rank + nullity = n)",
            lambda A: (_rn_ref(A)[0], np.shape(A)[0] - _rn_ref(A)[0])),
    Mistake("no_cutoff", "you counted every nonzero singular value; the computed singular values of a rank-deficient "
            "matrix are tiny (about 1e-16 * s.max()), not exactly 0: count only s > 1e-10 * s.max()",
            _rn_from_rank(lambda s, A: int(np.sum(s > 0)))),
    Mistake("default_cutoff", "you used a cut-off far below the one asked for (np.linalg.matrix_rank's default is "
            "about 1e-15 * s.max()); a singular value counts as zero when s <= 1e-10 * s.max(): pass "
            "rtol=1e-10 or tol=1e-10 * s.max()",
            _rn_from_rank(lambda s, A: _rank(s, max(np.shape(A)) * np.finfo(float).eps))),
    Mistake("absolute_cutoff", "you compared the singular values with 1e-10 itself; the cut-off is relative to the "
            "largest: s <= 1e-10 * s.max() counts as zero", _rn_from_rank(lambda s, A: _rank(s, RANK_TOL, True))),
    Mistake("swapped", "you returned (nullity, rank); return (rank, nullity) in that order",
            lambda A: _rn_ref(A)[::-1]),
]


def _rank_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(6, 9))
    integer = rng.integers(-5, 6, size=(2, 5))
    integer = np.vstack([integer, integer[0] + 2 * integer[1], integer[1] - integer[0]])
    return [
        Case("a square matrix of rank 4", {"A": _matrix(rng, n, n, rank=4)}),
        Case("a wide matrix of full row rank", {"A": _matrix(rng, 3, n)}),
        Case("a tall matrix of full column rank", {"A": _matrix(rng, n + 2, 4)}),
        Case("a tall matrix of rank 2", {"A": _matrix(rng, n + 3, 5, rank=2)}),
        Case("a wide matrix of rank 2", {"A": _matrix(rng, 4, n + 1, rank=2)}),
        Case("an integer matrix whose last two rows combine the first two", {"A": integer}),
        Case("singular values 1e-8 * s.max() (kept) and 1e-12 * s.max() (zero)",
             {"A": _with_spectrum(rng, 7, 6, np.array([5.0, 2.0, 0.8, 5e-8, 5e-12]))}),
        Case("entries near 1e8, rank 3", {"A": _matrix(rng, 6, 6, rank=3, scale=1e8)}),
        Case("entries near 1e-11, rank 2", {"A": _matrix(rng, 5, 4, rank=2, scale=1e-11)}),
        Case("the zero matrix (rank 0)", {"A": np.zeros((3, 4))}),
    ]


check_rank_nullity = register(Check(
    id="transformations.rank_nullity",
    target="rank_nullity",
    summary="rank_nullity(A) returns (rank, nullity), singular values <= 1e-10 * s.max() counted as zero",
    make_cases=_rank_cases,
    judge=explaining_all(_rn_ref, RANK_MISTAKES, "rank_nullity(A)", tol=lambda case: 0.0,
                         parts=[Part("rank"), Part("nullity")]),
    tolerance=COUNT_TOL,
    kind="parts",
    mistakes=RANK_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# change_of_basis, to_basis, from_basis
# ---------------------------------------------------------------------------------------

def _coord_tol(case: Case) -> float:
    return COORD_TOL.float32 if _is32(case) else COORD_TOL.value


def _basis(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random basis of R^n (as columns), far from orthogonal but well conditioned (<= 4)."""
    while True:
        B = _with_spectrum(rng, n, n, rng.uniform(1.0, 4.0, size=n))
        cosines = (B.T @ B) / np.outer(np.linalg.norm(B, axis=0), np.linalg.norm(B, axis=0))
        if np.max(np.abs(cosines - np.eye(n))) > 0.2 and np.ptp(np.linalg.norm(B, axis=0)) > 0.3:
            return B


def _int_basis(rng: np.random.Generator, n: int) -> np.ndarray:
    while True:
        B = rng.integers(-4, 5, size=(n, n))
        if abs(np.linalg.det(B)) > 0.5 and np.linalg.cond(B) < 20:
            B64 = B.astype(float)
            if np.max(np.abs(B64.T @ B64 - np.diag(np.diag(B64.T @ B64)))) > 0:
                return B


def _inv(B):
    return np.linalg.inv(_f64(B))


def _cob_ref(B_from, B_to):
    return np.linalg.solve(_f64(B_to), _f64(B_from))


COB_MISTAKES = [
    Mistake("inverted", "your matrix goes the wrong way, from B_to coordinates to B_from coordinates "
            "(inv(B_from) @ B_to); with v = B_from @ c_from = B_to @ c_to, the matrix asked for is "
            "T = inv(B_to) @ B_from", lambda B_from, B_to: _inv(B_from) @ _f64(B_to)),
    Mistake("product_order", "you multiplied in the wrong order (B_from @ inv(B_to)); first B_from turns c_from "
            "into v, then inv(B_to) turns v into c_to: T = inv(B_to) @ B_from",
            lambda B_from, B_to: _f64(B_from) @ _inv(B_to)),
    Mistake("transpose_for_inverse", "you used B_to.T in place of inv(B_to); the transpose is the inverse only for "
            "an orthonormal basis: T = np.linalg.solve(B_to, B_from)",
            lambda B_from, B_to: _f64(B_to).T @ _f64(B_from)),
    Mistake("rows_as_vectors", "you read the basis vectors as ROWS; they are the COLUMNS of B_from and B_to, so "
            "T = inv(B_to) @ B_from", lambda B_from, B_to: _inv(_f64(B_to).T) @ _f64(B_from).T),
    Mistake("transposed", "your result is the transpose of the change-of-basis matrix; T = inv(B_to) @ B_from, "
            "whose column j is the B_to-coordinates of the j-th vector of B_from",
            lambda B_from, B_to: _cob_ref(B_from, B_to).T),
    Mistake("ignored_from", "you returned inv(B_to), which takes STANDARD coordinates to B_to coordinates; start "
            "from B_from coordinates: T = inv(B_to) @ B_from", lambda B_from, B_to: _inv(B_to)),
    Mistake("ignored_to", "you returned B_from, which takes B_from coordinates to STANDARD coordinates; then apply "
            "inv(B_to): T = inv(B_to) @ B_from", lambda B_from, B_to: _f64(B_from)),
]


def _cob_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(4, 7))
    return [
        Case("two bases of the plane", {"B_from": _basis(rng, 2), "B_to": _basis(rng, 2)}),
        Case("two bases of R^3", {"B_from": _basis(rng, 3), "B_to": _basis(rng, 3)}),
        Case(f"two bases of R^{n}", {"B_from": _basis(rng, n), "B_to": _basis(rng, n)}),
        Case("from the standard basis (B_from = I)", {"B_from": np.eye(3), "B_to": _basis(rng, 3)}),
        Case("to the standard basis (B_to = I)", {"B_from": _basis(rng, 3), "B_to": np.eye(3)}),
        Case("to an orthonormal basis", {"B_from": _basis(rng, 4), "B_to": inputs.orthonormal(rng, 4, 4)}),
        Case("integer bases", {"B_from": _int_basis(rng, 3), "B_to": _int_basis(rng, 3)}),
        Case("float32 bases", {"B_from": _basis(rng, 3).astype(np.float32),
                               "B_to": _basis(rng, 3).astype(np.float32)}),
    ]


check_change_of_basis = register(Check(
    id="transformations.change_of_basis",
    target="change_of_basis",
    summary="change_of_basis(B_from, B_to) returns T = inv(B_to) @ B_from, taking B_from coordinates to B_to "
            "coordinates (tolerance 1e-8 relative to the largest entry)",
    make_cases=_cob_cases,
    judge=explaining_all(_cob_ref, COB_MISTAKES, "change_of_basis(B_from, B_to)", tol=_coord_tol),
    tolerance=COORD_TOL,
    kind="value",
    mistakes=COB_MISTAKES,
)).runner()


def _to_ref(v, B):
    return np.linalg.solve(_f64(B), _f64(v))


def _norms(B):
    return np.linalg.norm(_f64(B), axis=0)


TO_MISTAKES = [
    Mistake("swapped", "you computed B @ v, which turns coordinates INTO a vector (that is from_basis); to_basis "
            "goes the other way: solve B @ c = v for c", lambda v, B: _f64(B) @ _f64(v)),
    Mistake("transpose_for_inverse", "you used B.T @ v; the transpose undoes B only when the basis is orthonormal: "
            "solve B @ c = v (np.linalg.solve(B, v))", lambda v, B: _f64(B).T @ _f64(v)),
    Mistake("rows_as_vectors", "you treated the basis vectors as ROWS (v @ inv(B), or solving B.T @ c = v); they are "
            "the COLUMNS of B: solve B @ c = v", lambda v, B: np.linalg.solve(_f64(B).T, _f64(v))),
    Mistake("projections", "you projected v on each basis vector separately ((b_i . v) / (b_i . b_i)); that gives "
            "the coordinates only for an orthogonal basis: solve B @ c = v",
            lambda v, B: (_f64(B).T @ _f64(v)) / _norms(B) ** 2),
    Mistake("normalised", "you normalised the basis vectors first; coordinates are measured in the given vectors, "
            "lengths included: solve B @ c = v with B as given",
            lambda v, B: np.linalg.solve(_f64(B) / _norms(B), _f64(v))),
    Mistake("normal_equations_half", "you solved (B.T @ B) c = v; the normal equations put B.T on the right too, "
            "(B.T @ B) c = B.T @ v, and for a square basis that is just B @ c = v: solve that",
            lambda v, B: np.linalg.solve(_f64(B).T @ _f64(B), _f64(v))),
    Mistake("reciprocal", "you inverted B entry by entry (1 / B); the inverse of a matrix is not the matrix of "
            "reciprocals: solve B @ c = v (np.linalg.solve(B, v))", lambda v, B: (1.0 / _f64(B)) @ _f64(v)),
]


def _to_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(4, 7))
    B3 = _basis(rng, 3)
    return [
        Case("a vector in a basis of the plane", {"v": rng.normal(size=2), "B": _basis(rng, 2)}),
        Case("a vector in a basis of R^3", {"v": rng.normal(size=3) * 3, "B": _basis(rng, 3)}),
        Case(f"a vector in a basis of R^{n}", {"v": rng.normal(size=n), "B": _basis(rng, n)}),
        Case("the second basis vector itself (coordinates [0, 1, 0])", {"v": B3[:, 1].copy(), "B": B3}),
        Case("the zero vector", {"v": np.zeros(3), "B": _basis(rng, 3)}),
        Case("an orthonormal basis", {"v": rng.normal(size=4), "B": inputs.orthonormal(rng, 4, 4)}),
        Case("an integer basis and vector", {"v": rng.integers(-5, 6, size=3), "B": _int_basis(rng, 3)}),
        Case("float32 input", {"v": rng.normal(size=3).astype(np.float32),
                               "B": _basis(rng, 3).astype(np.float32)}),
    ]


check_to_basis = register(Check(
    id="transformations.to_basis",
    target="to_basis",
    summary="to_basis(v, B) returns the coordinates c with B @ c = v (tolerance 1e-8 relative to the largest entry)",
    make_cases=_to_cases,
    judge=explaining_all(_to_ref, TO_MISTAKES, "to_basis(v, B)", tol=_coord_tol),
    tolerance=COORD_TOL,
    kind="value",
    mistakes=TO_MISTAKES,
)).runner()


def _from_ref(c, B):
    return _f64(B) @ _f64(c)


FROM_MISTAKES = [
    Mistake("swapped", "you solved B @ x = c, which finds coordinates (that is to_basis); from_basis rebuilds the "
            "vector: v = B @ c", lambda c, B: np.linalg.solve(_f64(B), _f64(c))),
    Mistake("rows_as_vectors", "you combined the ROWS of B (B.T @ c, or c @ B); the basis vectors are the COLUMNS: "
            "v = B @ c", lambda c, B: _f64(B).T @ _f64(c)),
    Mistake("wrong_axis", "you summed B * c over the wrong axis (axis=0); v = sum of c[j] * B[:, j], that is "
            "(B * c).sum(axis=1) or B @ c", lambda c, B: (_f64(B) * _f64(c)).sum(axis=0)),
    Mistake("normalised", "you normalised the basis vectors first; the coordinates multiply the given vectors, "
            "lengths included: v = B @ c", lambda c, B: (_f64(B) / _norms(B)) @ _f64(c)),
    Mistake("not_summed", "you returned B * c, each basis vector scaled by its coordinate, but did not add them up: "
            "v = (B * c).sum(axis=1), that is B @ c", lambda c, B: _f64(B) * _f64(c)),
    Mistake("skipped_last", "your sum leaves out the last basis vector (a loop that stops one short); "
            "v = c[0] * B[:, 0] + ... + c[n-1] * B[:, n-1], that is B @ c",
            lambda c, B: _f64(B)[:, :-1] @ _f64(c)[:-1]),
]


def _from_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(4, 7))
    return [
        Case("coordinates in a basis of the plane", {"c": rng.normal(size=2), "B": _basis(rng, 2)}),
        Case("coordinates in a basis of R^3", {"c": rng.normal(size=3), "B": _basis(rng, 3)}),
        Case(f"coordinates in a basis of R^{n}", {"c": rng.normal(size=n) * 2, "B": _basis(rng, n)}),
        Case("coordinates [0, 0, 1] (the last basis vector)", {"c": np.array([0.0, 0.0, 1.0]), "B": _basis(rng, 3)}),
        Case("an orthonormal basis", {"c": rng.normal(size=4), "B": inputs.orthonormal(rng, 4, 4)}),
        Case("integer coordinates and basis", {"c": rng.integers(-5, 6, size=3), "B": _int_basis(rng, 3)}),
        Case("float32 input", {"c": rng.normal(size=3).astype(np.float32), "B": _basis(rng, 3).astype(np.float32)}),
    ]


check_from_basis = register(Check(
    id="transformations.from_basis",
    target="from_basis",
    summary="from_basis(c, B) returns the vector v = B @ c (tolerance 1e-8 relative to the largest entry)",
    make_cases=_from_cases,
    judge=explaining_all(_from_ref, FROM_MISTAKES, "from_basis(c, B)", tol=_coord_tol),
    tolerance=COORD_TOL,
    kind="value",
    mistakes=FROM_MISTAKES,
)).runner()
