"""Hidden checks for 03-linear-systems: forward elimination with partial pivoting, back
substitution, a from-scratch solver and classifying a system as having a unique solution,
none, or infinitely many.

Conventions the prompts state and these checks enforce:

* ``forward_eliminate(A, b)`` returns ``(U, c)``: at step k it swaps row k with the row at or
  below k whose entry in column k is largest in absolute value (the first such row on a tie;
  no input has a tie), swapping the entries of b too, then subtracts multiples of row k from
  the rows below. Rows are not rescaled, nothing above the diagonal is eliminated;
* values are judged on the scale of the answer, ``max|yours - expected| <= 1e-8 *
  max|expected|`` (1e-5 when an input is float32), each returned array on its own scale;
* ``classify(A, b)`` treats a number as zero when its absolute value is at most 1e-10 times
  the largest absolute entry of the augmented matrix ``[A | b]``. Its inputs are far from that
  border: singular systems are singular up to rounding (about 1e-16), invertible ones have
  pivots larger than 1e-3 of the largest entry.
"""

from __future__ import annotations

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, register
from autograder.checks._kit.compare import Part, describe_failure, judge_parts

TOL = Tolerance(1e-8, "scale", floor=1e-12, float32=1e-5)
ZERO_TOL = Tolerance(1e-10, "scale", floor=0.0)
LABELS = ("unique", "none", "infinite")

FROM_SCRATCH = (
    scratch.Rule("np.linalg.inv (solving by inverting A, inv(A) @ b)", roots=("numpy", "scipy", "torch"),
                 names=("inv", "pinv", "tensorinv")),
    scratch.Rule("a library solver (np.linalg.solve, lstsq or SciPy)", modules=("scipy.linalg", "torch.linalg"),
                 roots=("numpy", "scipy", "torch"),
                 names=("solve", "lstsq", "solve_triangular", "lu_solve", "lu_factor", "tensorsolve")),
)


def _f(x) -> np.ndarray:
    return np.array(x, dtype=np.float64, copy=True)


def _tol(case: Case) -> float:
    is32 = any(isinstance(v, np.ndarray) and v.dtype == np.float32 for v in case.args.values())
    return TOL.float32 if is32 else TOL.value


# ------------------------------------------------------------------------ elimination

def eliminate(A, b, pivot="abs", swap_b=True, update_b=True, sign=-1.0, above=False, zero_tol=None):
    """Forward elimination as the prompt describes it, with switches that reproduce the
    catalogued mistakes. ``pivot``: "abs" (partial pivoting), "none", "signed" (largest signed
    value), "column" (largest over the whole column, rows above included). A column whose
    candidates are all zero (below ``zero_tol``, if given) is skipped."""
    U, c = _f(A), _f(b)
    n = U.shape[0]
    for k in range(min(n, U.shape[1])):
        if pivot == "abs":
            p = k + int(np.argmax(np.abs(U[k:, k])))
        elif pivot == "signed":
            p = k + int(np.argmax(U[k:, k]))
        elif pivot == "column":
            p = int(np.argmax(np.abs(U[:, k])))
        else:
            p = k
        if p != k:
            U[[k, p]] = U[[p, k]]
            if swap_b:
                c[[k, p]] = c[[p, k]]
        limit = 0.0 if zero_tol is None else zero_tol
        if abs(U[k, k]) <= limit and (zero_tol is not None or pivot != "none"):
            continue
        rows = range(n) if above else range(k + 1, n)
        for i in rows:
            if i == k:
                continue
            m = U[i, k] / U[k, k]
            U[i, k:] += sign * m * U[k, k:]
            if update_b:
                c[i] += sign * m * c[k]
    return U, c


def back_substitution(U, c, order="backward", divide=True, sign=-1.0, first=0):
    U, c = _f(U), _f(c)
    n = len(c)
    x = np.zeros(n)
    rows = range(n - 1, first - 1, -1) if order == "backward" else range(n)
    for i in rows:
        s = c[i] + sign * np.sum(U[i, i + 1:] * x[i + 1:])
        x[i] = s / U[i, i] if divide else s
    return x


def _forward_reference(A, b):
    return eliminate(A, b)


def _has_tie(A) -> bool:
    U = _f(A)
    n = U.shape[0]
    for k in range(n):
        col = np.abs(U[k:, k])
        top = np.sort(col)[::-1]
        if len(top) > 1 and top[0] - top[1] <= 1e-9 * max(top[0], 1e-300):
            return True
        p = k + int(np.argmax(col))
        U[[k, p]] = U[[p, k]]
        if U[k, k] == 0:
            return True
        for i in range(k + 1, n):
            U[i, k:] -= U[i, k] / U[k, k] * U[k, k:]
    return False


def _untied(rng: np.random.Generator, draw):
    for _ in range(50):
        A = draw(rng)
        if not _has_tie(A) and np.linalg.cond(_f(A)) < 1e4:
            return A
    raise RuntimeError("could not draw a matrix without pivot ties")


def _square(n):
    return lambda rng: rng.normal(size=(n, n))


def _negative_pivots(n):
    def draw(rng):
        A = rng.normal(size=(n, n))
        A[int(rng.integers(1, n)), 0] = -3.0 - rng.uniform(0, 1)  # the largest |entry| of column 0 is negative
        return A
    return draw


def _zero_corner(n):
    def draw(rng):
        A = rng.normal(size=(n, n))
        A[0, 0] = 0.0
        return A
    return draw


def _system_cases(rng: np.random.Generator, float32: bool = True) -> list[Case]:
    n = int(rng.integers(3, 6))
    cases = [
        Case(f"a random {n}x{n} system", {"A": _untied(rng, _square(n)), "b": rng.normal(size=n)}),
        Case("a system whose largest pivot candidates are negative",
             {"A": _untied(rng, _negative_pivots(4)), "b": rng.normal(size=4)}),
        Case("a zero in the top-left corner (a zero pivot without row swaps)",
             {"A": _untied(rng, _zero_corner(3)), "b": rng.normal(size=3)}),
        Case("an integer system", {"A": _untied(rng, lambda r: r.integers(-9, 10, size=(4, 4))),
                                   "b": rng.integers(-9, 10, size=4)}),
        Case("a 1x1 system", {"A": np.array([[float(rng.choice([-1, 1]) * rng.uniform(0.5, 3))]]),
                              "b": rng.normal(size=1)}),
        Case("entries about 1e4 and a right-hand side about 1e-3",
             {"A": 1e4 * _untied(rng, _square(3)), "b": 1e-3 * rng.normal(size=3)}),
    ]
    if float32:
        cases.append(Case("a float32 system", {"A": _untied(rng, _square(3)).astype(np.float32),
                                               "b": rng.normal(size=3).astype(np.float32)}))
    return cases


def _tiny_pivot_case(rng: np.random.Generator) -> Case:
    """The textbook case [[eps, 1], [1, 1]] x = r [1, 2]: without row swaps the first unknown
    is lost (computed as 0 instead of about r); r is a power of two, so rounding is exact."""
    r = float(2.0 ** int(rng.integers(-3, 4)))
    return Case("a tiny pivot (1e-20) in the top-left corner", {"A": np.array([[1e-20, 1.0], [1.0, 1.0]]),
                                                                "b": r * np.array([1.0, 2.0])})


def explaining_all(reference, mistakes, what, tol=_tol, **kwargs):
    """Judge every case; the verdict is the first failure, except that when several catalogued
    mistakes fit that case (two mistakes can agree on one input), the one that also explains
    every other failing case is named."""

    def judge(cases: list[Case], outcomes: list) -> Verdict:
        failing = []
        for case, outcome in zip(cases, outcomes):
            expected = reference(*case.args.values())
            verdict = judge_parts(case, outcome, expected, tol(case), mistakes, what=what, **kwargs)
            if not verdict.passed:
                failing.append((case, outcome, expected, verdict))
        if not failing:
            return Verdict.ok(f"all {len(cases)} inputs correct")
        first = failing[0][3]
        names = {m.name for m in mistakes}
        if first.mistake in names and len(failing) > 1:
            for mistake in mistakes:
                alone = [judge_parts(c, o, e, tol(c), [mistake], what=what, **kwargs) for c, o, e, _ in failing]
                if all(v.mistake == mistake.name for v in alone):
                    return alone[0]
        return first

    return judge


def _judge_cases(reference, mistakes, what, parts=None):
    return explaining_all(reference, mistakes, what, parts=parts)


FORWARD_MISTAKES = [
    Mistake("no_pivoting", "you did not swap rows (no partial pivoting): at each step bring up the row whose entry in "
            "the pivot column is largest in absolute value, or a zero or tiny pivot ruins the elimination",
            lambda A, b: eliminate(A, b, pivot="none")),
    Mistake("swap_A_not_b", "you swapped rows of A but not the matching entries of b; a row swap exchanges whole "
            "equations, right-hand side included", lambda A, b: eliminate(A, b, swap_b=False)),
    Mistake("signed_max", "you chose the pivot row by the largest value, not the largest ABSOLUTE value; a large "
            "negative entry is a good pivot too (use np.abs)", lambda A, b: eliminate(A, b, pivot="signed")),
    Mistake("whole_column", "you searched the whole column for the pivot, rows above the current one included; "
            "search only rows k, k+1, ..., n-1 (np.argmax(np.abs(U[k:, k])) + k)",
            lambda A, b: eliminate(A, b, pivot="column")),
    Mistake("b_not_updated", "you did not update b when subtracting rows: every row operation on A must be done on "
            "b as well", lambda A, b: eliminate(A, b, update_b=False)),
    Mistake("above_diagonal", "you also eliminated the entries above the diagonal (Gauss-Jordan); forward "
            "elimination stops at an upper-triangular U", lambda A, b: eliminate(A, b, above=True)),
    Mistake("added_rows", "you added the multiple of the pivot row instead of subtracting it; row i becomes "
            "row i - (U[i, k] / U[k, k]) * row k", lambda A, b: eliminate(A, b, sign=+1.0)),
]

check_forward_eliminate = register(Check(
    id="systems.forward_eliminate",
    target="forward_eliminate",
    summary="forward_eliminate(A, b) returns the upper-triangular system (U, c) of elimination with partial "
            "pivoting (tolerance 1e-8)",
    make_cases=lambda rng: _system_cases(rng),
    judge=_judge_cases(_forward_reference, FORWARD_MISTAKES, "forward_eliminate(A, b)", parts=[Part("U"), Part("c")]),
    forbidden=FROM_SCRATCH,
    tolerance=TOL,
    kind="parts",
    mistakes=FORWARD_MISTAKES,
)).runner()


# --------------------------------------------------------------------- back substitution

def _upper(rng: np.random.Generator, n: int) -> np.ndarray:
    U = np.triu(rng.normal(size=(n, n)))
    U[np.diag_indices(n)] = rng.choice([-1.0, 1.0], size=n) * rng.uniform(0.5, 3.0, size=n)
    return U


def _back_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(4, 7))
    Ui = np.triu(rng.integers(-5, 6, size=(4, 4)))
    Ui[np.diag_indices(4)] = rng.choice([-3, -2, 2, 3], size=4)
    return [
        Case(f"a random {n}x{n} upper-triangular system", {"U": _upper(rng, n), "c": rng.normal(size=n)}),
        Case("a 3x3 system", {"U": _upper(rng, 3), "c": rng.normal(size=3)}),
        Case("an integer system", {"U": Ui, "c": rng.integers(-9, 10, size=4)}),
        Case("a 1x1 system", {"U": _upper(rng, 1), "c": rng.normal(size=1)}),
        Case("a right-hand side about 1e5", {"U": _upper(rng, 4), "c": 1e5 * rng.normal(size=4)}),
        Case("a float32 system", {"U": _upper(rng, 4).astype(np.float32), "c": rng.normal(size=4).astype(np.float32)}),
    ]


BACK_MISTAKES = [
    Mistake("wrong_order", "you solved from the top row down; in U x = c only the LAST row has one unknown, so start "
            "at the bottom (i = n-1, n-2, ..., 0) and use the unknowns already found below row i",
            lambda U, c: back_substitution(U, c, order="forward")),
    Mistake("no_division", "you did not divide by the diagonal entry U[i, i]; x[i] = (c[i] - sum of U[i, j] x[j] "
            "for j > i) / U[i, i]", lambda U, c: back_substitution(U, c, divide=False)),
    Mistake("added_terms", "you added the known terms instead of subtracting them: x[i] = (c[i] - sum of "
            "U[i, j] x[j] for j > i) / U[i, i]", lambda U, c: back_substitution(U, c, sign=+1.0)),
    Mistake("missed_first", "your loop stops before the first row, so x[0] is never computed; "
            "range(n - 1, -1, -1) runs down to 0", lambda U, c: back_substitution(U, c, first=1)),
    Mistake("transposed", "you solved U.T x = c (reading U by columns); solve U x = c, row i of U holds the "
            "coefficients of equation i", lambda U, c: np.linalg.solve(_f(U).T, _f(c))),
    Mistake("reversed", "you returned the unknowns in reverse order (x[n-1] first), as when appending to a list "
            "while going up; x[0] must come first", lambda U, c: back_substitution(U, c)[::-1]),
]

check_back_substitute = register(Check(
    id="systems.back_substitute",
    target="back_substitute",
    summary="back_substitute(U, c) solves upper-triangular systems on fresh random inputs (tolerance 1e-8)",
    make_cases=_back_cases,
    judge=_judge_cases(lambda U, c: back_substitution(U, c), BACK_MISTAKES, "back_substitute(U, c)"),
    forbidden=FROM_SCRATCH,
    tolerance=TOL,
    kind="value",
    mistakes=BACK_MISTAKES,
)).runner()


# -------------------------------------------------------------------------------- solve

def _solve_cases(rng: np.random.Generator) -> list[Case]:
    cases = _system_cases(rng)
    return cases[:2] + [_tiny_pivot_case(rng)] + cases[2:]


def _solve_reference(A, b):
    return np.linalg.solve(_f(A), _f(b))


def _solve_with(**kw):
    back = kw.pop("back", {})
    return lambda A, b: back_substitution(*eliminate(A, b, **kw), **back)


SOLVE_MISTAKES = [
    Mistake("no_pivoting", "you did not swap rows (or swapped only when a pivot is exactly 0): a tiny pivot such as "
            "1e-20 wipes out the other equations; always bring up the row with the largest |entry| in the column",
            _solve_with(pivot="none")),
    Mistake("swap_A_not_b", "you swapped rows of A but not the matching entries of b; a row swap exchanges whole "
            "equations, right-hand side included", _solve_with(swap_b=False)),
    Mistake("b_not_updated", "you did not update b during elimination: every row operation on A must be done on b "
            "as well", _solve_with(update_b=False)),
    Mistake("wrong_order", "your back substitution runs from the top row down; start at the bottom row, which has "
            "a single unknown", _solve_with(back={"order": "forward"})),
    Mistake("no_division", "your back substitution does not divide by the diagonal entry U[i, i]",
            _solve_with(back={"divide": False})),
    Mistake("transposed", "you solved A.T x = b; row i of A holds the coefficients of equation i",
            lambda A, b: np.linalg.solve(_f(A).T, _f(b))),
]

check_solve = register(Check(
    id="systems.solve",
    target="solve",
    summary="solve(A, b) solves fresh random systems from scratch, including a zero and a tiny pivot "
            "(tolerance 1e-8)",
    make_cases=_solve_cases,
    judge=_judge_cases(_solve_reference, SOLVE_MISTAKES, "solve(A, b)"),
    forbidden=FROM_SCRATCH,
    tolerance=TOL,
    kind="value",
    mistakes=SOLVE_MISTAKES,
)).runner()


# ----------------------------------------------------------------------------- classify

def classify_reference(A, b, tol: float = ZERO_TOL.value, exact: bool = False) -> str:
    """Elimination with partial pivoting on [A | b]; a value is zero when |value| <= tol *
    max|[A | b]| (or exactly zero when ``exact``)."""
    A, b = _f(A), _f(b)
    scale = max(float(np.max(np.abs(A), initial=0.0)), float(np.max(np.abs(b), initial=0.0)))
    limit = 0.0 if exact else tol * scale
    M = np.column_stack([A, b])
    n, d = A.shape
    row = 0
    for k in range(d):
        if row >= n:
            break
        p = row + int(np.argmax(np.abs(M[row:, k])))
        if abs(M[p, k]) <= limit:
            continue
        M[[row, p]] = M[[p, row]]
        for i in range(row + 1, n):
            M[i, k:] -= M[i, k] / M[row, k] * M[row, k:]
        row += 1
    rank = row
    if np.any(np.abs(M[rank:, d]) > limit):
        return "none"
    return "unique" if rank == d else "infinite"


def _dependent(rng, n, integer: bool):
    """A singular n x n matrix: the last row is a combination of two others."""
    if integer:
        A = rng.integers(-6, 7, size=(n, n)).astype(float)
        w = rng.choice([-2, -1, 1, 2], size=2).astype(float)
    else:
        A = rng.normal(size=(n, n))
        w = rng.uniform(0.1, 0.9, size=2) * np.array([1, -1]) + np.array([0.1, 0.3])  # fractions binary floats round
    A[-1] = w[0] * A[0] + w[1] * A[1]
    return A, w


def _singular_system(rng, n, integer: bool, consistent: bool):
    for _ in range(50):
        A, w = _dependent(rng, n, integer)
        b = rng.integers(-6, 7, size=n).astype(float) if integer else rng.normal(size=n)
        b[-1] = w[0] * b[0] + w[1] * b[1] + (0.0 if consistent else float(rng.choice([-1, 1]) * rng.uniform(1, 3)))
        if np.linalg.matrix_rank(A[:-1]) == n - 1 and (integer or classify_reference(A, b, exact=True) == "unique"):
            return A, b
    raise RuntimeError("could not draw a singular system")


def _invertible(rng, n):
    return _untied(rng, _square(n))


def _classify_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(3, 5))
    cases = [Case(f"a random {n}x{n} invertible system", {"A": _invertible(rng, n), "b": rng.normal(size=n)})]
    A, b = _singular_system(rng, n, integer=True, consistent=True)
    cases.append(Case("a singular integer system with solutions", {"A": A, "b": b}))
    A, b = _singular_system(rng, n, integer=True, consistent=False)
    cases.append(Case("a singular integer system without solutions", {"A": A, "b": b}))
    A, b = _singular_system(rng, n, integer=False, consistent=True)
    cases.append(Case("a singular system with solutions, singular only up to rounding", {"A": A, "b": b}))
    A, b = _singular_system(rng, n, integer=False, consistent=False)
    cases.append(Case("a singular system without solutions, singular only up to rounding", {"A": A, "b": b}))
    cases.append(Case("an invertible system with entries about 1e-12",
                      {"A": 1e-12 * _invertible(rng, n), "b": 1e-12 * rng.normal(size=n)}))
    cases.append(Case("an invertible system with a zero in the top-left corner",
                      {"A": _untied(rng, _zero_corner(n)), "b": rng.normal(size=n)}))
    cases.append(Case("the zero matrix with b = 0", {"A": np.zeros((n, n)), "b": np.zeros(n)}))
    return cases


CLASSIFY_MISTAKES = [
    Mistake("always_unique", "you answered 'unique' for a singular system; when a column has no non-zero pivot, "
            "the system has no solution or infinitely many, depending on b"),
    Mistake("exact_zero", "you answered 'unique' for a system that is singular up to rounding: your code tests "
            "pivots with == 0, but after elimination a zero comes out as about 1e-16; treat |value| <= 1e-10 * "
            "max|[A | b]| as zero"),
    Mistake("absolute_tolerance", "you called an invertible system with small entries singular: your zero test is "
            "absolute (or uses the determinant, which shrinks like scale**n); compare with 1e-10 * max|[A | b]|"),
    Mistake("no_pivoting", "you called an invertible system singular because its top-left entry is 0; swap in a "
            "row with a non-zero entry before deciding a column has no pivot"),
    Mistake("labels_swapped", "you swapped 'none' and 'infinite': a zero row of A with a non-zero right-hand side "
            "means no solution; a zero row with a zero right-hand side leaves a free unknown (infinitely many)"),
    Mistake("ignored_b", "you answered 'infinite' for an inconsistent system: a singular A has no solution when a "
            "zero row of the reduced A meets a non-zero entry of the reduced b; check b too"),
    Mistake("always_none", "you answered 'none' for a singular system that has solutions: when the reduced b is "
            "zero wherever the reduced A is, there are infinitely many"),
    Mistake("spelling", "return exactly one of the strings 'unique', 'none' or 'infinite' (lower case, no spaces)"),
]
_M = {m.name: m for m in CLASSIFY_MISTAKES}


def _classify_judge(cases: list[Case], outcomes: list) -> Verdict:
    got: list[str] = []
    for case, outcome in zip(cases, outcomes):
        if outcome.error and not outcome.kind:
            return Verdict(False, describe_failure(case, f"your code raised an error: {outcome.error}"), "error")
        if outcome.error:
            return Verdict(False, describe_failure(case, f"classify(A, b) cannot be used: {outcome.error}"),
                           "wrong_type")
        if not isinstance(outcome.value, str):
            return Verdict(False, describe_failure(
                case, f"classify(A, b) returned a {outcome.kind or type(outcome.value).__name__}; return one of the "
                      "strings 'unique', 'none' or 'infinite'"), "wrong_type")
        if outcome.value not in LABELS:
            if outcome.value.strip().lower() in LABELS:
                return Verdict(False, describe_failure(case, _M["spelling"].message + f" (received {outcome.value!r})"),
                               "spelling")
            return Verdict(False, describe_failure(
                case, f"classify(A, b) returned {outcome.value!r}; return one of 'unique', 'none' or 'infinite'"),
                "wrong_value")
        got.append(outcome.value)
    expected = [classify_reference(*c.args.values()) for c in cases]
    wrong = [(c, g, e) for c, g, e in zip(cases, got, expected) if g != e]
    if not wrong:
        return Verdict.ok(f"all {len(cases)} inputs correct")

    def fail(name: str, case: Case, g: str, e: str) -> Verdict:
        return Verdict(False, describe_failure(case, _M[name].message + f" (expected {e!r}, received {g!r})"), name)

    exact = [classify_reference(*c.args.values(), exact=True) for c in cases]
    for (c, g, e) in wrong:  # singular systems called unique: exact zeros missed, or rounding zeros missed?
        if e != "unique" and g == "unique" and exact[cases.index(c)] != "unique":
            return fail("always_unique", c, g, e)
    for (c, g, e) in wrong:
        if e != "unique" and g == "unique":
            return fail("exact_zero", c, g, e)
    for (c, g, e) in wrong:  # invertible systems called singular
        if e == "unique":
            A = _f(c.args["A"])
            if np.max(np.abs(A)) < 1e-3:
                return fail("absolute_tolerance", c, g, e)
            if A[0, 0] == 0:
                return fail("no_pivoting", c, g, e)
            return Verdict(False, describe_failure(c, f"you called an invertible system singular (expected 'unique', "
                                                      f"received {g!r})"), "wrong_value")
    kinds = {(g, e) for (_, g, e) in wrong}
    c, g, e = wrong[0]
    if ("none", "infinite") in kinds and ("infinite", "none") in kinds:
        return fail("labels_swapped", c, g, e)
    if (g, e) == ("infinite", "none"):
        return fail("ignored_b", c, g, e)
    return fail("always_none", c, g, e)


check_classify = register(Check(
    id="systems.classify",
    target="classify",
    summary="classify(A, b) tells unique, none and infinite apart, singular systems up to rounding included "
            "(tolerance 1e-10)",
    make_cases=_classify_cases,
    judge=_classify_judge,
    probe="call_label",
    tolerance=ZERO_TOL,
    kind="answer",
    mistakes=CLASSIFY_MISTAKES,
)).runner()
