"""Hidden checks for 04-vector-spaces: rank by row reduction, a basis of the column space,
independence, coordinates in a basis, and membership of a span.

Conventions the prompts state and these checks enforce:

* vectors are the COLUMNS of a matrix: ``V`` of shape (m, k) holds k vectors of R^m;
* a number counts as zero when ``|x| <= tol * max|A|`` (``tol`` relative to the largest
  absolute entry of the matrix at hand; ``[V | v]`` for ``in_span``). Inputs are far from that
  border: a dependent direction is zero up to rounding or noise at least 100 times below
  ``tol``, an independent one at least 1e4 times above it;
* ``rank(A, tol)`` is written from scratch (no matrix_rank, svd, qr, lstsq, pinv, eig) and
  leaves its argument unchanged;
* ``column_space_basis(A, tol)``: ANY basis of the column space is accepted. It is judged
  by its shape (m, rank), by its span (the projector onto the span of your columns equals
  the projector onto the column space, entry by entry within 1e-6) and so by independence,
  never by comparison with one routine's output;
* ``coordinates(v, basis)``: the unique c with ``basis @ c = v``, judged on the scale of
  the answer, ``max|yours - expected| <= 1e-8 * max|expected|`` (1e-4 for float32 input).
"""

from __future__ import annotations

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, each_case, register
from autograder.checks._kit.compare import describe_failure, fmt, judge_parts

ZERO_TOL = Tolerance(1e-10, "scale", floor=0.0)  # the default tol: what counts as zero
SPAN_TOL = Tolerance(1e-6, "scale", floor=1e-12)  # projectors onto two spans
COORD_TOL = Tolerance(1e-8, "scale", floor=1e-12, float32=1e-4)
DEFAULT = ZERO_TOL.value

NO_LIBRARY_RANK = scratch.Rule(
    "a library rank or decomposition (np.linalg.matrix_rank, svd, qr, lstsq, pinv, eig or SciPy's)",
    modules=("scipy.linalg", "torch.linalg"), roots=("numpy", "scipy", "torch", "sklearn"),
    names=("matrix_rank", "svd", "svdvals", "qr", "lstsq", "pinv", "eig", "eigh", "eigvals", "eigvalsh", "lu",
           "lu_factor", "orth", "null_space", "rank", "TruncatedSVD"))


def _f(x) -> np.ndarray:
    return np.array(x, dtype=np.float64, copy=True)


def _scale(A) -> float:
    return float(np.max(np.abs(_f(A)), initial=0.0))


# ----------------------------------------------------------------- row reduction (reference)

def reduce_rows(A, tol: float = DEFAULT, pivot: bool = True, absolute: bool = False):
    """Row echelon form by elimination with partial pivoting: (R, pivot columns). A column
    whose candidates are all at most tol * max|A| (tol itself if ``absolute``) has no pivot;
    the next column is tried on the same row. ``pivot=False`` never swaps rows."""
    R = _f(A)
    m, n = R.shape
    limit = tol if absolute else tol * _scale(R)
    row, pivots = 0, []
    for col in range(n):
        if row == m:
            break
        p = row + int(np.argmax(np.abs(R[row:, col]))) if pivot else row
        if abs(R[p, col]) <= limit:
            continue
        R[[row, p]] = R[[p, row]]
        for i in range(row + 1, m):
            R[i, col:] -= R[i, col] / R[row, col] * R[row, col:]
        pivots.append(col)
        row += 1
    return R, pivots


def rank_reference(A, tol: float = DEFAULT) -> int:
    return len(reduce_rows(A, tol)[1])


def _diagonal_rank(A, tol: float) -> int:
    """The mistake: row and column advance together, the nonzero diagonal is counted."""
    R = _f(A)
    m, n = R.shape
    limit = tol * _scale(R)
    for k in range(min(m, n)):
        p = k + int(np.argmax(np.abs(R[k:, k])))
        R[[k, p]] = R[[p, k]]
        if abs(R[k, k]) <= limit:
            continue
        for i in range(k + 1, m):
            R[i, k:] -= R[i, k] / R[k, k] * R[k, k:]
    return int(np.sum(np.abs(np.diag(R)) > limit))


def _nonzero_rows(A, tol: float) -> int:
    A = _f(A)
    return int(np.sum(np.any(np.abs(A) > tol * _scale(A), axis=1)))


def _svd_rank(A, rel: float) -> int:
    s = np.linalg.svd(_f(A), compute_uv=False)
    return int(np.sum(s > rel * s[0])) if s.size and s[0] > 0 else 0


# --------------------------------------------------------------------------- input makers

def _product(rng, m, n, r, scale=1.0):
    """A random (m, n) matrix of rank r, in general position."""
    return scale * rng.normal(size=(m, r)) @ rng.normal(size=(r, n)) if r else np.zeros((m, n))


def _noisy(rng, m, n, r, noise, scale=1.0):
    A = _product(rng, m, n, r, scale)
    return A + noise * _scale(A) * rng.normal(size=(m, n))


def _clear(A, tol, rank, drop=100.0):
    """True when A is far from the border at tol: its rank is ``rank`` by the SVD and by
    elimination of A and of A.T (elimination is not rank-revealing for every matrix), the kept
    pivots and singular values are >= 1e4 * tol, the dropped ones <= tol / drop."""
    A = _f(A)
    scale = _scale(A)
    if scale == 0:
        return rank == 0
    s = np.linalg.svd(A, compute_uv=False)
    if _svd_rank(A, tol) != rank or (rank and s[rank - 1] < 1e4 * tol * s[0]) or \
            (rank < len(s) and s[rank] > tol * s[0] / drop):
        return False
    for M in (A, A.T):
        R, pivots = reduce_rows(M, tol)
        kept = min((abs(R[i, c]) for i, c in enumerate(pivots)), default=np.inf)
        rest = float(np.max(np.abs(R[rank:]), initial=0.0))
        if len(pivots) != rank or kept < 1e4 * tol * scale or rest > tol * scale / drop:
            return False
    return True


def _draw(rng, make, tol, rank, drop=100.0):
    for _ in range(100):
        A = make(rng)
        if _clear(A, tol, rank, drop):
            return A
    raise RuntimeError("could not draw a matrix far from the tolerance border")


def _two_sided(rng, make, rank, full):
    """A noisy matrix of rank ``rank`` at tol = 1e-6 (dropped pivots <= 1e-8) and of rank ``full``
    at the default 1e-10 (every pivot >= 5e-10): the two tolerances give different answers."""
    for _ in range(200):
        A = make(rng)
        if not _clear(A, 1e-6, rank):
            continue
        for M in (A, A.T):
            R, pivots = reduce_rows(M, DEFAULT)
            kept = min((abs(R[i, c]) for i, c in enumerate(pivots)), default=np.inf)
            if len(pivots) != full or kept < 5 * DEFAULT * _scale(A):
                break
        else:
            return A
    raise RuntimeError("could not draw a matrix for two tolerances")


def _with_columns(rng, m, pattern):
    """Columns built from a few random ones: pattern is a list of coefficient tuples."""
    base = rng.normal(size=(m, max(len(p) for p in pattern)))
    return np.column_stack([base[:, :len(p)] @ np.array(p, dtype=float) for p in pattern])


def _integer_dependent(rng, m):
    """Small integers: columns a, 2a, b, a + b, b - a (rank 2)."""
    for _ in range(100):
        a, b = rng.integers(-4, 5, size=(2, m))
        A = np.column_stack([a, 2 * a, b, a + b, b - a]).astype(np.int64)
        if _clear(A, DEFAULT, 2):
            return A
    raise RuntimeError("could not draw an integer matrix")


# ---------------------------------------------------------------------------------- rank

L_NOISY = "noise"
L_TOL = "with tol ="
L_SMALL = "entries about 1e-12"
L_ZERO = "the zero matrix"
L_CORNER = "a zero in the top-left corner"


def _rank_cases(rng: np.random.Generator) -> list[Case]:
    corner = _draw(rng, lambda r: _zero_corner(r, 4), DEFAULT, 4)
    return [
        Case("a full-rank tall 7x4 matrix", {"A": _draw(rng, lambda r: r.normal(size=(7, 4)), DEFAULT, 4),
                                             "tol": DEFAULT}),
        Case(f"a rank-2 wide 5x6 matrix plus {L_NOISY} of 1e-14 times its largest entry",
             {"A": _draw(rng, lambda r: _noisy(r, 5, 6, 2, 1e-14), DEFAULT, 2), "tol": DEFAULT}),
        Case(f"a rank-3 tall 8x5 matrix plus {L_NOISY} of 1e-14 times its largest entry",
             {"A": _draw(rng, lambda r: _noisy(r, 8, 5, 3, 1e-14), DEFAULT, 3), "tol": DEFAULT}),
        Case("an integer matrix with duplicated columns (a, 2a, b, a + b, b - a)",
             {"A": _integer_dependent(rng, 4), "tol": DEFAULT}),
        Case("a wide 3x6 matrix whose second column is twice the first (rank 3)",
             {"A": _draw(rng, lambda r: _with_columns(r, 3, [(1,), (2,), (0, 1), (0, 0, 1), (1, 1), (1, 0, 1)]),
                         DEFAULT, 3), "tol": DEFAULT}),
        Case(f"an invertible 4x4 matrix with {L_CORNER}", {"A": corner, "tol": DEFAULT}),
        Case(f"{L_ZERO} (3x4)", {"A": np.zeros((3, 4)), "tol": DEFAULT}),
        Case(f"a rank-2 6x6 matrix plus noise of 1e-9 times its largest entry, {L_TOL} 1e-6",
             {"A": _two_sided(rng, lambda r: _noisy(r, 6, 6, 2, 1e-9), 2, 6), "tol": 1e-6}),
        Case(f"a rank-2 5x4 matrix with {L_SMALL}",
             {"A": _draw(rng, lambda r: _product(r, 5, 4, 2, 1e-12), DEFAULT, 2), "tol": DEFAULT}),
        Case("a float32 integer matrix with columns a, 3a, b, a + b, b - 2a (rank 2)",
             {"A": _float32_dependent(rng), "tol": DEFAULT}),
    ]


def _rank32(A, tol=DEFAULT) -> int:
    """The mistake: the same elimination carried out in float32."""
    R = np.array(A, dtype=np.float32)
    m, n = R.shape
    limit = tol * float(np.max(np.abs(R), initial=0.0))
    row = 0
    for col in range(n):
        if row == m:
            break
        p = row + int(np.argmax(np.abs(R[row:, col])))
        if abs(R[p, col]) <= limit:
            continue
        R[[row, p]] = R[[p, row]]
        R[row + 1:] -= np.outer(R[row + 1:, col] / R[row, col], R[row])
        row += 1
    return row


def _float32_dependent(rng):
    """float32 integer columns a, 3a, b, a + b, b - 2a: exactly rank 2 in float64, but (drawn so
    that) elimination in float32 leaves rounding residues of about 1e-7 and counts more pivots."""
    for _ in range(200):
        a, b = rng.integers(-9, 10, size=(2, 5))
        A = np.column_stack([a, 3 * a, b, a + b, b - 2 * a]).astype(np.float32)
        if _clear(A, DEFAULT, 2) and _rank32(A) > 2:
            return A
    raise RuntimeError("could not draw a float32 matrix")


def _zero_corner(rng, n):
    A = rng.normal(size=(n, n))
    A[0, 0] = 0.0
    return A


RANK_MISTAKES = [
    Mistake("no_tolerance", "you tested for zero with == 0 (or no tolerance): after elimination a dependent row holds "
            "rounding errors and noise of about 1e-14, not exact zeros, so every noisy matrix came out full rank; "
            "treat |x| <= tol * max|A| as zero"),
    Mistake("absolute_tolerance", "your zero test is absolute (|x| <= tol): a matrix with entries about 1e-12 came "
            "out with a wrong rank; compare with tol * max|A|, relative to the largest entry"),
    Mistake("ignored_tol", "your answer does not follow the tol argument (it is the rank at 1e-10 for tol = 1e-6); "
            "use the tol you are given"),
    Mistake("nonzero_rows_early", "you counted non-zero rows before elimination had finished (rows of A itself, or "
            "part way through); eliminate every column first, then count the pivots (the non-zero rows of the "
            "echelon form)"),
    Mistake("diagonal_only", "you counted the non-zero DIAGONAL entries, moving row and column together; when a "
            "column has no pivot, move to the next column but stay on the same row (the pivots of a rank-"
            "deficient matrix are not all on the diagonal)"),
    Mistake("no_pivoting", "you did not swap rows: a zero in the pivot position made you skip a column that has a "
            "non-zero entry further down; look for a pivot in every row at or below the current one"),
    Mistake("float32", "you eliminated in float32, the dtype of the input: its rounding errors (about 1e-7 of the "
            "entries) are far above tol = 1e-10, so a dependent column looked independent; convert to float64 "
            "first, np.array(A, dtype=np.float64)"),
    Mistake("zero_matrix", "the zero matrix has rank 0; if you divide by max|A|, handle max|A| = 0 first"),
    Mistake("nullity", "you returned the number of columns minus the rank (the nullity, dimension of the null "
            "space); the rank is the number of pivots"),
    Mistake("max_rank", "you returned min(m, n), the largest rank a matrix of that shape can have; count the pivots "
            "that elimination actually finds"),
]
_R = {m.name: m for m in RANK_MISTAKES}


def _is_int(value) -> bool:
    if not isinstance(value, np.ndarray) or value.shape != ():
        return False
    if value.dtype.kind in "iu":
        return True
    return value.dtype.kind == "f" and bool(np.isfinite(value)) and float(value) == round(float(value))


def _read(cases, outcomes, what, accept, expected_type):
    """The student's answers as Python values, or a verdict when one cannot be read."""
    got = []
    for case, outcome in zip(cases, outcomes):
        if outcome.error and not outcome.kind:
            return None, Verdict(False, describe_failure(case, f"your code raised an error: {outcome.error}"), "error")
        value = outcome.value
        if outcome.error or not accept(value):
            shown = outcome.kind or type(value).__name__
            if isinstance(value, np.ndarray) and value.shape == ():
                shown = f"{value.item()!r} ({outcome.kind})"
            return None, Verdict(False, describe_failure(
                case, f"{what} should return {expected_type}, but returned {shown}"), "wrong_type")
        got.append(value.item())
    return got, None


def _fail(table, name, case, got, expected, what=""):
    return Verdict(False, describe_failure(case, table[name].message + f" (expected {expected}, received {got})"), name)


def _judge_rank(cases: list[Case], outcomes: list) -> Verdict:
    got, verdict = _read(cases, outcomes, "rank(A, tol)", _is_int, "an integer (the number of pivots)")
    if verdict:
        return verdict
    got = [int(round(g)) for g in got]
    expected = [rank_reference(**c.args) for c in cases]
    wrong = [(c, g, e) for c, g, e in zip(cases, got, expected) if g != e]
    if not wrong:
        return Verdict.ok(f"all {len(cases)} inputs correct")

    def every(f):
        return all(g == f(c.args["A"], c.args["tol"]) for c, g in zip(cases, got))

    fail = lambda name, c, g, e: _fail(_R, name, c, g, e)  # noqa: E731
    if every(lambda A, tol: np.shape(A)[1] - rank_reference(A, tol)):
        return fail("nullity", *wrong[0])
    if every(lambda A, tol: min(np.shape(A))):
        return fail("max_rank", *wrong[0])
    if every(_nonzero_rows):
        return fail("nonzero_rows_early", *wrong[0])
    if all(L_ZERO in c.label for c, _, _ in wrong):
        return fail("zero_matrix", *wrong[0])
    if all(c.args["tol"] != DEFAULT and g == rank_reference(c.args["A"], DEFAULT) for c, g, _ in wrong):
        return fail("ignored_tol", *wrong[0])
    for c, g, e in wrong:
        if L_SMALL in c.label and g < e:
            return fail("absolute_tolerance", c, g, e)
    if all(np.asarray(c.args["A"]).dtype == np.float32 and g > e for c, g, e in wrong):
        return fail("float32", *wrong[0])
    if all(g > e for _, g, e in wrong) and any(L_NOISY in c.label for c, _, _ in wrong):
        return fail("no_tolerance", *next(w for w in wrong if L_NOISY in w[0].label))
    for c, g, e in wrong:
        if L_CORNER in c.label and g < e:
            return fail("no_pivoting", c, g, e)
    if all(g == _diagonal_rank(c.args["A"], c.args["tol"]) for c, g, _ in wrong):
        return fail("diagonal_only", *wrong[0])
    c, g, e = wrong[0]
    return Verdict(False, describe_failure(c, f"rank(A, tol) is wrong (expected {e}, received {g})"), "wrong_value")


check_rank = register(Check(
    id="spaces.rank",
    target="rank",
    summary="rank(A, tol) counts the pivots of row reduction, entries |x| <= tol * max|A| counted as zero "
            "(tolerance 1e-10 unless tol says otherwise)",
    make_cases=_rank_cases,
    judge=_judge_rank,
    probe="call_unchanged",  # the prompt says: work on a copy, the caller's A must not change
    forbidden=NO_LIBRARY_RANK,
    tolerance=ZERO_TOL,
    kind="answer",
    mistakes=RANK_MISTAKES,
)).runner()


# ------------------------------------------------------------------- column_space_basis

def _orth(B, rank: int) -> np.ndarray:
    U, _, _ = np.linalg.svd(_f(B), full_matrices=False)
    return U[:, :rank]


def _projector(B, rank: int) -> np.ndarray:
    Q = _orth(B, rank)
    return Q @ Q.T


def _basis_reference(A, tol=DEFAULT) -> np.ndarray:
    """The pivot columns of A (one basis among many; the judge never compares with it)."""
    return _f(A)[:, reduce_rows(A, tol)[1]]


def _same_span(B, A, rank: int) -> bool:
    """The columns of B (exactly ``rank`` of them, independent) span the column space of A."""
    B = _f(B)
    if B.ndim != 2 or B.shape[1] != rank or B.shape[0] != np.shape(A)[0]:
        return False
    if rank == 0:
        return True
    if not np.all(np.isfinite(B)) or _svd_rank(B, 1e-8) < rank:
        return False
    return float(np.max(np.abs(_projector(B, rank) - _projector(A, rank)))) <= SPAN_TOL.value


BASIS_MISTAKES = [
    Mistake("reduced_columns", "your vectors are pivot columns of the REDUCED matrix (the echelon form); row "
            "operations change the column space, so take those columns from A itself: A[:, pivot_columns]"),
    Mistake("row_space", "your vectors span the ROW space of A (vectors of length n), not its column space; the "
            "column space is spanned by columns of A, vectors of length m"),
    Mistake("as_rows", "your basis vectors are right but stacked as ROWS, shape (rank, m); return them as the "
            "COLUMNS of an (m, rank) array (transpose it)"),
    Mistake("all_columns", "you returned every column of A; a basis keeps only independent columns (the pivot "
            "columns), as many as the rank"),
    Mistake("no_tolerance", "you kept more vectors than the rank: rounding errors or noise of about 1e-14 made "
            "dependent columns look independent; treat |x| <= tol * max|A| as zero when you look for pivots"),
    Mistake("absolute_tolerance", "you kept too few vectors for a matrix with entries about 1e-12: your zero test "
            "is absolute; compare with tol * max|A|"),
    Mistake("first_columns", "you took the first `rank` columns of A, but those can be dependent (a column can "
            "repeat an earlier one); take the pivot columns"),
    Mistake("dependent", "your vectors are not independent (one is a combination of the others), so they are no "
            "basis; keep only the pivot columns of A"),
]
_B = {m.name: m for m in BASIS_MISTAKES}


def _basis_cases(rng: np.random.Generator) -> list[Case]:
    pattern = [(1,), (2,), (0, 1), (1, 1), (0, 0, 1), (0, 1, -1)]  # a, 2a, b, a + b, c, b - c
    return [
        Case("a wide 4x6 matrix with columns a, 2a, b, a + b, c, b - c (rank 3)",
             {"A": _draw(rng, lambda r: _with_columns(r, 4, pattern), DEFAULT, 3), "tol": DEFAULT}),
        Case(f"a rank-2 tall 7x5 matrix plus {L_NOISY} of 1e-14 times its largest entry",
             {"A": _draw(rng, lambda r: _noisy(r, 7, 5, 2, 1e-14), DEFAULT, 2), "tol": DEFAULT}),
        Case("a full-rank tall 6x3 matrix", {"A": _draw(rng, lambda r: r.normal(size=(6, 3)), DEFAULT, 3),
                                             "tol": DEFAULT}),
        Case(f"{L_ZERO} (4x3): its basis is empty, shape (4, 0)", {"A": np.zeros((4, 3)), "tol": DEFAULT}),
        Case(f"a rank-2 5x4 matrix with {L_SMALL}",
             {"A": _draw(rng, lambda r: _product(r, 5, 4, 2, 1e-12), DEFAULT, 2), "tol": DEFAULT}),
        Case("an integer matrix with duplicated columns (a, 2a, b, a + b, b - a)",
             {"A": _integer_dependent(rng, 5), "tol": DEFAULT}),
        Case("a float32 integer matrix with duplicated columns",
             {"A": _integer_dependent(rng, 4).astype(np.float32), "tol": DEFAULT}),
        Case("a wide 3x5 matrix of full row rank (its columns span R^3)",
             {"A": _draw(rng, lambda r: r.normal(size=(3, 5)), DEFAULT, 3), "tol": DEFAULT}),
    ]


def _judge_basis_case(case: Case, outcome) -> Verdict:
    A, tol = _f(case.args["A"]), case.args["tol"]
    m, n = A.shape
    r = rank_reference(A, tol)
    what = "column_space_basis(A, tol)"
    if outcome.error:
        verdict = judge_parts(case, outcome, np.zeros((m, r)), SPAN_TOL.value, what=what)
        return verdict
    if isinstance(outcome.value, (tuple, dict)):
        return Verdict(False, describe_failure(case, f"{what} should be a single (m, rank) array, but your function "
                                                     f"returned a {type(outcome.value).__name__}"), "wrong_type")
    B = np.asarray(outcome.value)
    if np.iscomplexobj(B):
        return Verdict(False, describe_failure(case, f"{what} is complex ({B.dtype}); expected real numbers"),
                       "complex_output")
    if r == 0 and B.size == 0:
        return Verdict.ok()
    if B.ndim == 2 and not np.all(np.isfinite(B)):
        return Verdict(False, describe_failure(case, f"{what} contains nan or inf: {fmt(B)}"), "not_finite")
    if _same_span(B, A, r):
        return Verdict.ok()
    shown = f" (expected shape ({m}, {r}), received {B.shape})"
    fail = lambda name, extra="": Verdict(False, describe_failure(case, _B[name].message + extra), name)  # noqa: E731
    if B.ndim == 2 and B.shape == (r, m) and _same_span(B.T, A, r):
        return fail("as_rows", shown)
    if B.ndim == 2 and n != m and ((B.shape[0] == n and _same_span(B, A.T, r))
                                   or (B.shape == (r, n) and _same_span(B.T, A.T, r))):
        return fail("row_space", shown)
    if B.ndim != 2 or B.shape[0] != m:
        hint = " (it looks transposed)" if B.ndim == 2 and B.shape[1] == m else ""
        return Verdict(False, describe_failure(
            case, f"{what} should have shape (m, rank) = ({m}, {r}): one column per basis vector; received "
                  f"shape {B.shape}{hint}"), "wrong_shape")
    k = B.shape[1]
    if k > r and k in (min(m, n), rank_reference(A, 0.0)):
        return fail("no_tolerance", shown)
    if B.shape == A.shape and np.allclose(B, A) and k != r:
        return fail("all_columns", shown)
    if k > r:
        return fail("dependent", f" ({k} vectors, but the column space has dimension {r})")
    if k < r:
        if L_SMALL in case.label:
            return fail("absolute_tolerance", shown)
        return Verdict(False, describe_failure(
            case, f"your {k} vectors cannot span the column space, whose dimension (the rank) is {r}; return one "
                  f"column per pivot"), "wrong_shape")
    if np.allclose(B, A[:, :r]):
        return fail("first_columns")
    if _svd_rank(B, 1e-8) < r:
        return fail("dependent")
    if r < m and np.all(np.abs(_f(B)[r:]) <= 1e-9 * max(_scale(B), 1e-300)):
        return fail("reduced_columns")
    err = float(np.max(np.abs(_projector(B, r) - _projector(A, r))))
    return Verdict(False, describe_failure(
        case, f"{what} spans a different space than the columns of A: the projectors onto the two spans differ by "
              f"{err:.2e} (tolerance {SPAN_TOL.value:.0e}); your columns must be combinations of the columns of A, "
              f"e.g. the pivot columns"), "wrong_value")


_judge_basis = each_case(_judge_basis_case)


check_column_space_basis = register(Check(
    id="spaces.column_space_basis",
    target="column_space_basis",
    summary="column_space_basis(A, tol) returns any basis of the column space as columns: rank many, independent, "
            "same span (projectors within tolerance 1e-6)",
    make_cases=_basis_cases,
    judge=_judge_basis,
    tolerance=SPAN_TOL,
    kind="value",
    mistakes=BASIS_MISTAKES,
)).runner()


# ----------------------------------------------------------------------- is_independent

def independent_reference(V, tol=DEFAULT) -> bool:
    return rank_reference(V, tol) == np.shape(V)[1]


def _pairwise(V) -> bool:
    V = _f(V)
    norms = np.sqrt(np.sum(V * V, axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = (V.T @ V) / np.outer(norms, norms)
    k = V.shape[1]
    return not any(abs(abs(cos[i, j]) - 1) < 1e-10 for i in range(k) for j in range(i + 1, k))


def _identity_like(rng, m, k):
    """(m, k) with k rows of the identity (shuffled) and the others in {-0.5, 0, 0.5}:
    elimination on it, and on combinations of its columns with small integers, is exact."""
    V = np.vstack([np.eye(k), rng.choice([-0.5, 0.0, 0.5], size=(m - k, k))])
    return V[rng.permutation(m)]


L_WIDE = "more vectors than entries"
L_COPLANAR = "three coplanar vectors"
L_ZEROVEC = "one vector is zero"


def _independent_cases(rng: np.random.Generator) -> list[Case]:
    def coplanar(r):
        V = r.normal(size=(3, 3))
        V[:, 2] = 0.7 * V[:, 0] - 1.3 * V[:, 1]
        return V + 1e-14 * _scale(V) * r.normal(size=(3, 3))

    def with_zero(r):
        V = r.normal(size=(4, 3))
        V[:, 1] = 0.0
        return V

    def duplicated(r):
        V = r.integers(-5, 6, size=(4, 3))
        V[:, 2] = V[:, 0]
        return V

    def near(r):
        V = r.normal(size=(4, 3))
        V[:, 2] = V[:, 0] + V[:, 1]
        return V + 1e-9 * _scale(V) * r.normal(size=(4, 3))

    return [
        Case("three independent vectors in R^5 (a tall 5x3 V)",
             {"V": _draw(rng, lambda r: r.normal(size=(5, 3)), DEFAULT, 3), "tol": DEFAULT}),
        Case(f"four vectors in R^3 ({L_WIDE}: always dependent)",
             {"V": _draw(rng, lambda r: r.normal(size=(3, 4)), DEFAULT, 3), "tol": DEFAULT}),
        Case(f"{L_COPLANAR} in R^3 (v3 = 0.7 v1 - 1.3 v2, plus {L_NOISY} of 1e-14), no two parallel",
             {"V": _draw(rng, coplanar, DEFAULT, 2), "tol": DEFAULT}),
        Case("integer vectors, the third a copy of the first", {"V": _draw(rng, duplicated, DEFAULT, 2),
                                                                 "tol": DEFAULT}),
        Case(f"three vectors in R^4, {L_ZEROVEC}", {"V": _draw(rng, with_zero, DEFAULT, 2), "tol": DEFAULT}),
        Case(f"three independent vectors with {L_SMALL}",
             {"V": _draw(rng, lambda r: 1e-12 * r.normal(size=(5, 3)), DEFAULT, 3), "tol": DEFAULT}),
        Case("four independent vectors in R^4", {"V": _draw(rng, lambda r: r.normal(size=(4, 4)), DEFAULT, 4),
                                                 "tol": DEFAULT}),
        Case(f"v3 = v1 + v2 plus noise of 1e-9, {L_TOL} 1e-6", {"V": _two_sided(rng, near, 2, 3), "tol": 1e-6}),
        Case("exactly independent vectors of 0s, 1s and halves (float32)",
             {"V": _identity_like(rng, 5, 3).astype(np.float32), "tol": DEFAULT}),
    ]


INDEPENDENT_MISTAKES = [
    Mistake("rows_for_columns", "you tested the ROWS of V (rank == number of rows); the vectors are the COLUMNS "
            "of V, so they are independent when rank(V) equals the number of columns, V.shape[1]"),
    Mistake("no_tolerance", "you called vectors independent that are dependent up to rounding: noise of 1e-14 is "
            "not exactly 0; treat |x| <= tol * max|V| as zero"),
    Mistake("pairwise_only", "you only checked that no two vectors are parallel; a vector can be a combination of "
            "SEVERAL others (three coplanar vectors, or more vectors than entries, are dependent): compare the "
            "rank with the number of vectors"),
    Mistake("zero_vector", "a set that contains the zero vector is dependent (0 = 1 * zero vector is a non-trivial "
            "combination); your function called it independent"),
    Mistake("absolute_tolerance", "you called independent vectors with entries about 1e-12 dependent: your zero "
            "test is absolute; compare with tol * max|V|"),
    Mistake("ignored_tol", "your answer does not follow the tol argument; use the tol you are given"),
    Mistake("inverted", "your answers are the opposite: return True when the vectors are independent"),
]
_I = {m.name: m for m in INDEPENDENT_MISTAKES}


def _is_bool(value) -> bool:
    return isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind == "b"


def _judge_independent(cases: list[Case], outcomes: list) -> Verdict:
    got, verdict = _read(cases, outcomes, "is_independent(V, tol)", _is_bool, "True or False")
    if verdict:
        return verdict
    expected = [independent_reference(**c.args) for c in cases]
    wrong = [(c, g, e) for c, g, e in zip(cases, got, expected) if g != e]
    if not wrong:
        return Verdict.ok(f"all {len(cases)} inputs correct")
    fail = lambda name, c, g, e: _fail(_I, name, c, g, e)  # noqa: E731
    if len(wrong) == len(cases):
        return fail("inverted", *wrong[0])
    if all(g == (rank_reference(c.args["V"], c.args["tol"]) == np.shape(c.args["V"])[0]) for c, g in zip(cases, got)):
        return fail("rows_for_columns", *wrong[0])
    if all(L_ZEROVEC in c.label for c, _, _ in wrong):
        return fail("zero_vector", *wrong[0])
    if all(c.args["tol"] != DEFAULT and g == independent_reference(c.args["V"], DEFAULT) for c, g, _ in wrong):
        return fail("ignored_tol", *wrong[0])
    for c, g, e in wrong:
        if L_SMALL in c.label and not g:
            return fail("absolute_tolerance", c, g, e)
    for c, g, e in wrong:
        if L_WIDE in c.label and g:
            return fail("pairwise_only", c, g, e)
    for c, g, e in wrong:
        if L_COPLANAR in c.label and g:
            return fail("no_tolerance", c, g, e)
    c, g, e = wrong[0]
    return Verdict(False, describe_failure(c, f"is_independent(V, tol) is wrong (expected {e}, received {g})"),
                   "wrong_value")


check_is_independent = register(Check(
    id="spaces.is_independent",
    target="is_independent",
    summary="is_independent(V, tol) tells whether the COLUMNS of V are linearly independent (tolerance 1e-10 "
            "unless tol says otherwise)",
    make_cases=_independent_cases,
    judge=_judge_independent,
    tolerance=ZERO_TOL,
    kind="answer",
    mistakes=INDEPENDENT_MISTAKES,
)).runner()


# -------------------------------------------------------------------------- coordinates

def coordinates_reference(v, basis):
    return np.linalg.lstsq(_f(basis), _f(v), rcond=None)[0]


def _square_only(f):
    def compute(v, basis):
        basis = _f(basis)
        if basis.shape[0] != basis.shape[1]:
            raise ValueError("square only")
        return f(_f(v), basis)
    return compute


COORD_MISTAKES = [
    Mistake("basis_as_rows", "you treated the basis vectors as the ROWS of `basis` (you solved basis.T @ c = v, "
            "or computed v @ inv(basis)); they are its COLUMNS: solve basis @ c = v",
            _square_only(lambda v, B: np.linalg.solve(B.T, v))),
    Mistake("dot_products", "you returned the dot products of v with the basis vectors (basis.T @ v); those are "
            "coordinates only for an orthonormal basis: solve basis @ c = v",
            lambda v, basis: _f(basis).T @ _f(v)),
    Mistake("separate_projections", "you projected v onto each basis vector on its own ((b_i . v) / (b_i . b_i)); "
            "that works only when the basis vectors are orthogonal: solve basis @ c = v",
            lambda v, basis: (_f(basis).T @ _f(v)) / np.sum(_f(basis) ** 2, axis=0)),
    Mistake("wrong_direction", "you computed basis @ v, which turns coordinates INTO a vector; go the other way: "
            "find c with basis @ c = v", _square_only(lambda v, B: B @ v)),
    Mistake("orthonormalised", "you returned coordinates in an orthonormalised basis (Q from a QR or Gram-Schmidt "
            "of the basis); the coordinates asked for are in the GIVEN basis: solve basis @ c = v",
            lambda v, basis: np.linalg.qr(_f(basis))[0].T @ _f(v)),
    Mistake("normal_equations", "you solved (basis.T @ basis) c = v; the normal equations have basis.T @ v on the "
            "right: (basis.T @ basis) c = basis.T @ v", _square_only(lambda v, B: np.linalg.solve(B.T @ B, v))),
]


def _coord_cases(rng: np.random.Generator) -> list[Case]:
    def pair(B, c=None):
        B = np.asarray(B)
        c = rng.normal(size=B.shape[1]) if c is None else c
        return {"v": _f(B) @ c, "basis": B}

    def good(m, k):
        return _draw(rng, lambda r: r.normal(size=(m, k)), DEFAULT, k)

    B_int = _draw(rng, lambda r: r.integers(-4, 5, size=(4, 4)), DEFAULT, 4)
    c_int = rng.integers(-3, 4, size=4)
    B32 = good(3, 3).astype(np.float32)
    c32 = rng.normal(size=3).astype(np.float32)
    orth = _identity_like(rng, 3, 3) * rng.uniform(1.5, 3.0, size=3)
    return [
        Case("a random basis of R^3 (3x3)", pair(good(3, 3))),
        Case("a plane in R^5 (a 5x2 basis), v in the plane", pair(good(5, 2))),
        Case("three vectors in R^6 (a 6x3 basis), v in their span", pair(good(6, 3))),
        Case("an integer basis of R^4 and an integer v", {"v": B_int @ c_int, "basis": B_int}),
        Case("a float32 basis of R^3", {"v": (B32 @ c32).astype(np.float32), "basis": B32}),
        Case("orthogonal basis vectors of different lengths", pair(orth)),
        Case("a basis of R^2 with nearly parallel vectors (angle about 6 degrees)",
             pair(np.array([[1.0, 1.0], [0.0, 0.1]]) * rng.uniform(0.5, 2.0))),
    ]


def _coord_tol(case: Case) -> float:
    is32 = any(isinstance(v, np.ndarray) and v.dtype == np.float32 for v in case.args.values())
    return COORD_TOL.float32 if is32 else COORD_TOL.value


def _judge_coordinates_case(case: Case, outcome) -> Verdict:
    return judge_parts(case, outcome, coordinates_reference(**case.args), _coord_tol(case), COORD_MISTAKES,
                       what="coordinates(v, basis)")


_judge_coordinates = each_case(_judge_coordinates_case)


check_coordinates = register(Check(
    id="spaces.coordinates",
    target="coordinates",
    summary="coordinates(v, basis) returns the c with basis @ c = v, basis vectors as columns (tolerance 1e-8 "
            "relative to the largest entry)",
    make_cases=_coord_cases,
    judge=_judge_coordinates,
    tolerance=COORD_TOL,
    kind="value",
    mistakes=COORD_MISTAKES,
)).runner()


# ------------------------------------------------------------------------------ in_span

def in_span_reference(v, V, tol=DEFAULT) -> bool:
    M = np.column_stack([_f(V), _f(v)])
    scale = _scale(M)
    if scale == 0:
        return True
    # rank([V | v]) == rank(V), both with the zero test of [V | v]
    return rank_reference(M, tol) == len(reduce_rows(V, tol * scale, absolute=True)[1])


L_EXACT = "exactly"
L_SQUARE = "square"
L_ZEROV = "v is the zero vector"
L_PARALLEL = "twice one column"


def _span_cases(rng: np.random.Generator) -> list[Case]:
    def tall(r):
        return r.normal(size=(5, 2))

    V1 = _draw(rng, tall, DEFAULT, 2)
    V2 = _draw(rng, tall, DEFAULT, 2)
    out = rng.normal(size=5)
    V3 = _draw(rng, lambda r: r.normal(size=(5, 3)), DEFAULT, 3)
    Vx = _identity_like(rng, 5, 3)
    # a square rank-2 V whose column space differs from its row space
    for _ in range(100):
        S = rng.normal(size=(3, 2)) @ rng.normal(size=(2, 3))
        v_sq = S @ rng.normal(size=3)
        if _clear(S, DEFAULT, 2) and not in_span_reference(v_sq, S.T):
            break
    Vs = _draw(rng, lambda r: 1e-12 * r.normal(size=(5, 2)), DEFAULT, 2)
    Vt = _draw(rng, lambda r: r.normal(size=(4, 2)), DEFAULT, 2)
    normal = np.linalg.svd(np.column_stack([Vt, rng.normal(size=4)]))[0][:, 2]  # orthogonal to span(Vt)
    v_tol = Vt @ rng.normal(size=2)
    v_tol = v_tol + 1e-7 * _scale(np.column_stack([Vt, v_tol])) * normal
    Vd = _draw(rng, lambda r: _with_columns(r, 4, [(1,), (0, 1), (1,)]), DEFAULT, 2)
    return [
        Case(f"v = V @ c for a random c, V a plane in R^5 (rounding {L_NOISY} only)",
             {"v": V1 @ rng.normal(size=2), "V": V1, "tol": DEFAULT}),
        Case("a random v and a plane in R^5", {"v": out, "V": V2, "tol": DEFAULT}),
        Case(f"v a combination of all three columns, known {L_EXACT} (entries 0, 1 and halves)",
             {"v": Vx @ rng.choice([-2.0, -1.0, 1.0, 2.0], size=3), "V": Vx, "tol": DEFAULT}),
        Case(f"v is {L_PARALLEL} of V", {"v": 2.0 * V3[:, 1], "V": V3, "tol": DEFAULT}),
        Case(f"a {L_SQUARE} 3x3 V of rank 2, v in its column space (not in its row space)",
             {"v": v_sq, "V": S, "tol": DEFAULT}),
        Case(f"{L_ZEROV}", {"v": np.zeros(5), "V": V3, "tol": DEFAULT}),
        Case(f"a random v off the plane, all {L_SMALL}", {"v": 1e-12 * rng.normal(size=5), "V": Vs, "tol": DEFAULT}),
        Case(f"v 1e-7 off the plane, {L_TOL} 1e-4", {"v": v_tol, "V": Vt, "tol": 1e-4}),
        Case("V with a duplicated column, v in its span", {"v": Vd @ rng.normal(size=3), "V": Vd, "tol": DEFAULT}),
        Case("four columns spanning R^4, any v", {"v": rng.normal(size=4),
                                                  "V": _draw(rng, lambda r: r.normal(size=(4, 5)), DEFAULT, 4),
                                                  "tol": DEFAULT}),
    ]


SPAN_MISTAKES = [
    Mistake("no_tolerance", "you said v is not in the span when it is, up to rounding: v = V @ c computed in floating "
            "point leaves a residual of about 1e-16, not exactly 0; treat |x| <= tol * max|[V | v]| as zero"),
    Mistake("rows_for_columns", "you used the ROWS of V as the spanning vectors; the vectors are the COLUMNS of V "
            "(compare rank([V | v]) with rank(V), v added as a column)"),
    Mistake("parallel_only", "you only checked whether v is parallel to one of the columns; v is in the span when "
            "it is ANY combination of them (rank([V | v]) == rank(V))"),
    Mistake("zero_vector", "the zero vector is in every span (take all coefficients 0); your function said it is "
            "not"),
    Mistake("absolute_tolerance", "you said a vector off the plane is in the span because all entries are about "
            "1e-12: your zero test is absolute; compare with tol * max|[V | v]|"),
    Mistake("ignored_tol", "your answer does not follow the tol argument (a vector 1e-7 off the span is in it at "
            "tol = 1e-4); use the tol you are given"),
    Mistake("inverted", "your answers are the opposite: return True when v is in the span"),
]
_S = {m.name: m for m in SPAN_MISTAKES}


def _rows_raised(cases: list[Case], outcomes: list) -> Verdict | None:
    """Rows used as the spanning vectors: wrong on the square V, an error on the others."""
    errors = [(c, o) for c, o in zip(cases, outcomes) if o.error and not o.kind]
    for case, outcome in zip(cases, outcomes):
        if errors and L_SQUARE in case.label and not outcome.error and _is_bool(outcome.value) \
                and not outcome.value.item() and in_span_reference(**case.args):
            c, o = errors[0]
            return Verdict(False, describe_failure(case, _S["rows_for_columns"].message + " (expected True, received "
                                                   f"False; on other inputs your code raised {o.error})"),
                           "rows_for_columns")
    return None


def _judge_span(cases: list[Case], outcomes: list) -> Verdict:
    verdict = _rows_raised(cases, outcomes)
    if verdict:
        return verdict
    got, verdict = _read(cases, outcomes, "in_span(v, V, tol)", _is_bool, "True or False")
    if verdict:
        return verdict
    expected = [in_span_reference(**c.args) for c in cases]
    wrong = [(c, g, e) for c, g, e in zip(cases, got, expected) if g != e]
    if not wrong:
        return Verdict.ok(f"all {len(cases)} inputs correct")
    fail = lambda name, c, g, e: _fail(_S, name, c, g, e)  # noqa: E731
    if len(wrong) == len(cases):
        return fail("inverted", *wrong[0])
    if all(L_ZEROV in c.label for c, _, _ in wrong):
        return fail("zero_vector", *wrong[0])
    if all(c.args["tol"] != DEFAULT and g == in_span_reference(c.args["v"], c.args["V"], DEFAULT)
           for c, g, _ in wrong):
        return fail("ignored_tol", *wrong[0])
    for c, g, e in wrong:
        if L_SMALL in c.label and g:
            return fail("absolute_tolerance", c, g, e)
    parallel_seen = any(L_PARALLEL in c.label and g for c, g in zip(cases, got))
    for c, g, e in wrong:
        if parallel_seen and L_EXACT in c.label and not g:
            return fail("parallel_only", c, g, e)
    if all(L_SQUARE in c.label and not g for c, g, _ in wrong):
        return fail("rows_for_columns", *wrong[0])
    if all(e and not g for _, g, e in wrong):
        return fail("no_tolerance", *wrong[0])
    c, g, e = wrong[0]
    return Verdict(False, describe_failure(c, f"in_span(v, V, tol) is wrong (expected {e}, received {g})"),
                   "wrong_value")


check_in_span = register(Check(
    id="spaces.in_span",
    target="in_span",
    summary="in_span(v, V, tol) tells whether v is a combination of the columns of V (tolerance 1e-10 unless tol "
            "says otherwise)",
    make_cases=_span_cases,
    judge=_judge_span,
    tolerance=ZERO_TOL,
    kind="answer",
    mistakes=SPAN_MISTAKES,
)).runner()
