"""Hidden checks for 10-projections: projection onto a vector and onto a column space,
modified Gram-Schmidt, QR and least squares through QR.

Conventions the prompts state and these checks enforce:

* ``project_onto(b, a)`` = (a . b / a . a) a, the projection of b onto the line through a;
* ``projection_matrix(A)`` = A (A^T A)^-1 A^T, the (m, m) projector onto the column space of
  a full-column-rank (m, n) A;
* ``gram_schmidt(V)`` returns Q (m, n): orthonormal columns, the same span as V, and q_k built
  from v_1 .. v_k only (Q^T V upper triangular). Column signs are free. Judged by those three
  properties, not against one library's output;
* ``qr(A)`` returns the reduced (Q (m, n), R (n, n)): Q orthonormal, R upper triangular,
  QR = A; signs free;
* ``least_squares(A, b)`` returns x (n,) minimising |Ax - b|, through QR.

gram_schmidt, qr and least_squares are written from scratch (no library QR, inverse, solver
or least-squares routine). Some hidden inputs have nearly dependent columns (condition
number 1e8 for the factorisations, 3e7 for least squares): classical Gram-Schmidt loses
orthogonality there (|Q^T Q - I| about 1e-5 to 1), modified Gram-Schmidt keeps it near 1e-8;
the normal equations lose about 1e-4 of accuracy in x, QR with Q^T b computed the modified
way about 1e-9.

Tolerances (float32 inputs get the looser value): ``project_onto`` and
``projection_matrix`` 1e-8 x max|expected| (1e-5 for float32); the factorisations and least
squares 1e-6 (1e-4 for float32): max|Q^T Q - I|, and every reconstruction or triangular part
relative to the largest entry of the input.
"""

from __future__ import annotations

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, each_case, inputs, register
from autograder.checks._kit.compare import (
    Part, complex_output, describe_failure, fmt, judge_parts, not_finite, not_one_array, raised, scaled_error,
    wrong_shape,
)

TOL = Tolerance(1e-8, "scale", floor=1e-8, float32=1e-5)
FACTOR_TOL = Tolerance(1e-6, "scale", floor=1e-8, float32=1e-4)

FROM_SCRATCH = scratch.Rule(
    "a library QR, inverse, solver or least-squares routine (np.linalg.qr, lstsq, pinv, inv, solve, or SciPy's "
    "and torch's linalg)",
    modules=("scipy.linalg", "torch.linalg"), roots=("numpy", "scipy", "torch"),
    names=("qr", "lstsq", "pinv", "inv", "solve", "solve_triangular", "tensorsolve", "tensorinv", "lu_solve",
           "cho_solve"))

ILL = "nearly dependent columns"  # the label of the cases where classical Gram-Schmidt fails


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _tol(case: Case, tolerance: Tolerance) -> float:
    is32 = any(isinstance(v, np.ndarray) and v.dtype == np.float32 for v in case.args.values())
    return tolerance.float32 if is32 else tolerance.value


def _matrix(rng, m: int, n: int, condition: float | None = None, scale: float = 1.0) -> np.ndarray:
    """A random (m, n) matrix; with ``condition``, singular values spread geometrically from 1
    down to 1 / condition, so the columns are nearly dependent."""
    if condition is None:
        A = rng.normal(size=(m, n))
        while np.linalg.cond(A) > 30:
            A = rng.normal(size=(m, n))
        return scale * A
    s = np.geomspace(1.0, 1.0 / condition, n)
    return scale * (inputs.orthonormal(rng, m, n) * s) @ inputs.orthonormal(rng, n, n).T


# ---------------------------------------------------------------------------------------
# reference algorithms and the wrong variants the catalogue names
# ---------------------------------------------------------------------------------------

def mgs(V, *, normalise=True, previous_only=False, divide_by_norm=False, sign=-1.0):
    """Modified Gram-Schmidt on the columns of V, with switches for the catalogued mistakes:
    ``previous_only`` subtracts only the projection on the previous vector, ``divide_by_norm``
    projects onto the unnormalised u with u . w / |u| (not |u|^2), ``sign`` +1 adds."""
    V = _f64(V)
    m, n = V.shape
    U = np.zeros((m, n))
    for j in range(n):
        w = V[:, j].copy()
        for i in ([j - 1] if previous_only and j > 0 else [] if previous_only else range(j)):
            u = U[:, i]
            if divide_by_norm:
                w = w + sign * (u @ w) / np.sqrt(u @ u) * u
            else:
                w = w + sign * (u @ w) / (u @ u) * u
        U[:, j] = w
    if normalise:
        U = U / np.sqrt(np.sum(U * U, axis=0))
    return U


def qr_reference(A):
    """The reduced QR with R's diagonal positive (the one Gram-Schmidt gives)."""
    Q, R = np.linalg.qr(_f64(A))
    signs = np.where(np.diag(R) < 0, -1.0, 1.0)
    return Q * signs, R * signs[:, None]


def back_substitute(R, c, first: int = 0):
    R, c = _f64(R), _f64(c)
    n = len(c)
    x = np.zeros(n)
    for i in range(n - 1, first - 1, -1):
        x[i] = (c[i] - R[i, i + 1:] @ x[i + 1:]) / R[i, i]
    return x


def _align_columns(received: np.ndarray, target: np.ndarray) -> np.ndarray:
    signs = np.sign(np.sum(received * target, axis=0))
    signs[signs == 0] = 1.0
    return received * signs


def _close_columns(received, target, tol) -> bool:
    return received.shape == target.shape and scaled_error(_align_columns(received, target), target) <= max(tol, 1e-6)


# ---------------------------------------------------------------------------------------
# project_onto
# ---------------------------------------------------------------------------------------

def _project_ref(b, a):
    b, a = _f64(b), _f64(a)
    return (a @ b) / (a @ a) * a


def _norm(x):
    return np.sqrt(_f64(x) @ _f64(x))


PROJECT_MISTAKES = [
    Mistake("norm_not_squared", "you divided by |a| instead of |a|^2 = a . a: the projection is (a . b / a . a) a "
            "(or (a_hat . b) a_hat with a_hat = a / |a|, which divides by |a| twice)",
            lambda b, a: (_f64(a) @ _f64(b)) / _norm(a) * _f64(a)),
    Mistake("swapped", "you projected a onto b; the exercise projects b onto the line through a: "
            "(a . b / a . a) a", lambda b, a: _project_ref(a, b)),
    Mistake("coefficient", "you returned the number a . b / a . a; the projection is that number times the "
            "vector a", lambda b, a: (_f64(a) @ _f64(b)) / (_f64(a) @ _f64(a))),
    Mistake("scalar_projection", "you returned the length of the shadow, a . b / |a| (the scalar projection); "
            "return the vector (a . b / a . a) a", lambda b, a: (_f64(a) @ _f64(b)) / _norm(a)),
    Mistake("rejection", "you returned b minus its projection (the part of b orthogonal to a); return the "
            "projection itself, (a . b / a . a) a", lambda b, a: _f64(b) - _project_ref(b, a)),
    Mistake("no_division", "you returned (a . b) a without dividing by a . a; that is the projection only when "
            "a has length 1", lambda b, a: (_f64(a) @ _f64(b)) * _f64(a)),
    Mistake("cosine", "you divided by |a| |b| (the cosine) instead of by a . a: the projection is "
            "(a . b / a . a) a", lambda b, a: (_f64(a) @ _f64(b)) / (_norm(a) * _norm(b)) * _f64(a)),
]


def _project_cases(rng):
    n = int(rng.integers(4, 8))
    a, b = rng.normal(size=n), rng.normal(size=n)
    a_orth, b_orth = inputs.orthogonal_pair(rng, n)
    unit = rng.normal(size=n)
    unit /= np.sqrt(unit @ unit)
    return [
        Case("two random vectors", {"b": b, "a": a}),
        Case("b a multiple of a (its projection is b itself)", {"b": -2.5 * a, "a": a}),
        Case("b orthogonal to a (the projection is 0)", {"b": b_orth, "a": a_orth}),
        Case("a unit vector a", {"b": rng.normal(size=n), "a": unit}),
        Case("a very short a (entries near 1e-6)", {"b": rng.normal(size=n), "a": 1e-6 * rng.normal(size=n)}),
        Case("a long b (entries near 1e4)", {"b": 1e4 * rng.normal(size=n), "a": rng.normal(size=n)}),
        Case("integer vectors", {"b": rng.integers(-5, 6, size=n), "a": rng.integers(1, 6, size=n)}),
        Case("float32 vectors", {"b": rng.normal(size=n).astype(np.float32), "a": rng.normal(size=n).astype(np.float32)}),
    ]


def _judge_each(reference, mistakes, what, tolerance, **kwargs):
    def judge(cases, outcomes):
        for case, outcome in zip(cases, outcomes):
            verdict = judge_parts(case, outcome, reference(*case.args.values()), _tol(case, tolerance), mistakes,
                                  what=what, **kwargs)
            if not verdict.passed:
                return verdict
        return Verdict.ok(f"all {len(cases)} inputs correct")
    return judge


check_project_onto = register(Check(
    id="projections.project_onto",
    target="project_onto",
    summary="project_onto(b, a) is the projection (a . b / a . a) a of b onto the line through a (tolerance 1e-8 "
            "relative to the largest entry)",
    make_cases=_project_cases,
    judge=_judge_each(_project_ref, PROJECT_MISTAKES, "project_onto(b, a)", TOL),
    tolerance=TOL,
    kind="value",
    mistakes=PROJECT_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# projection_matrix
# ---------------------------------------------------------------------------------------

def _pm_ref(A):
    Q, _ = qr_reference(A)
    return Q @ Q.T


def _normalised_columns(A):
    A = _f64(A)
    return A / np.sqrt(np.sum(A * A, axis=0))


PM_MISTAKES = [
    Mistake("rows", "you projected onto the ROW space of A (A.T, A @ A.T); the subspace is spanned by the "
            "COLUMNS of A: P = A (A^T A)^-1 A^T, an (m, m) matrix"),
    Mistake("no_inverse", "you returned A A^T without the (A^T A)^-1 in the middle; A A^T projects only when the "
            "columns of A are orthonormal: P = A (A^T A)^-1 A^T", lambda A: _f64(A) @ _f64(A).T),
    Mistake("complement", "you returned I - P, the projection onto the orthogonal complement; return "
            "P = A (A^T A)^-1 A^T", lambda A: np.eye(len(A)) - _pm_ref(A)),
    Mistake("not_orthogonalised", "you added up the projections onto each column separately (or normalised the "
            "columns without orthogonalising them); that is the projection only when the columns are "
            "orthogonal: use P = A (A^T A)^-1 A^T, or Q Q^T with Q from Gram-Schmidt",
            lambda A: _normalised_columns(A) @ _normalised_columns(A).T),
    Mistake("complete_q", "your P is the identity: Q Q^T with the COMPLETE Q (m columns) projects onto all of "
            "R^m; use only the n columns of Q that span the column space (the reduced QR)",
            lambda A: np.eye(len(A))),
    Mistake("elementwise_inverse", "you inverted A^T A entry by entry (1 / (A.T @ A)); it needs the matrix "
            "inverse, np.linalg.inv(A.T @ A), or a solve", lambda A: _f64(A) @ (1.0 / (_f64(A).T @ _f64(A))) @ _f64(A).T),
]


def _pm_rows(case, outcome):
    A = case.args["A"]
    m, n = np.shape(A)
    if m != n and outcome.error and "Singular matrix" in outcome.error:
        return Verdict(False, describe_failure(case, PM_MISTAKES[0].message + f" (your code stopped: {outcome.error})"),
                       "rows")
    return None


def _pm_diagnose(case, received, expected):
    (r,), (e,) = received, expected
    m, n = np.shape(case.args["A"])
    if m != n and r.shape == (n, n):
        return Verdict(False, describe_failure(case, PM_MISTAKES[0].message + f" (yours has shape {r.shape})"), "rows")
    return None


def _integer_matrix(rng, m, n):
    while True:
        A = rng.integers(-4, 5, size=(m, n))
        if np.linalg.matrix_rank(A) == n and np.linalg.cond(A) < 30:
            return A


def _pm_cases(rng):
    m, n = int(rng.integers(6, 10)), int(rng.integers(2, 5))
    return [
        Case(f"a tall ({m}, {n}) matrix", {"A": _matrix(rng, m, n)}),
        Case("a single column", {"A": rng.normal(size=(7, 1))}),
        Case("nearly dependent columns (condition number 1e3)", {"A": _matrix(rng, 8, 4, condition=1e3)}),
        Case("large entries (near 1e3)", {"A": _matrix(rng, 7, 3, scale=1e3)}),
        Case("integer entries", {"A": _integer_matrix(rng, 6, 2)}),
        Case("a square invertible matrix (P is the identity)", {"A": _matrix(rng, 4, 4)}),
        Case("float32 entries", {"A": _matrix(rng, 8, 3).astype(np.float32)}),
    ]


check_projection_matrix = register(Check(
    id="projections.projection_matrix",
    target="projection_matrix",
    summary="projection_matrix(A) is the (m, m) projector A (A^T A)^-1 A^T onto the column space of A (tolerance "
            "1e-8 relative to the largest entry)",
    make_cases=_pm_cases,
    judge=_judge_each(_pm_ref, PM_MISTAKES, "projection_matrix(A)", TOL, diagnose=_pm_diagnose, on_error=_pm_rows),
    tolerance=TOL,
    kind="value",
    mistakes=PM_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# gram_schmidt and qr: judged by properties
# ---------------------------------------------------------------------------------------

def _orth_loss(Q) -> float:
    Q = _f64(Q)
    return float(np.max(np.abs(Q.T @ Q - np.eye(Q.shape[1])))) if Q.size else 0.0


def _relative(x, scale) -> float:
    return float(np.max(np.abs(x))) / max(float(np.max(np.abs(scale))), 1e-300) if np.size(x) else 0.0


def _gs_properties(Q, V):
    Q, V = _f64(Q), _f64(V)
    C = Q.T @ V
    return {"orth": _orth_loss(Q), "span": _relative(V - Q @ C, V), "tri": _relative(np.tril(C, -1), V)}


def _gs_passes(props, tol) -> bool:
    return all(value <= tol for value in props.values())


def _rows_variant(V):
    return mgs(_f64(V).T).T


GS_MISTAKES = [
    Mistake("classical_gs", "your columns are orthonormal on well-conditioned input, but on nearly dependent columns "
            "they lose orthogonality: this is classical Gram-Schmidt, which takes each projection coefficient from "
            "the ORIGINAL column v_j. Modified Gram-Schmidt subtracts the components one at a time and takes each "
            "coefficient from the vector as updated so far: w = v_j; for each earlier q: w -= (q . w) q"),
    Mistake("not_normalised", "your columns are orthogonal but not of length 1: divide each u_k by its length "
            "|u_k| AFTER subtracting the projections (normalising before subtracting leaves them shorter)"),
    Mistake("only_previous", "you subtracted only the projection onto the previous vector (or overwrote w in the "
            "loop, w = v - ..., so only the last projection counted); subtract the projections onto ALL earlier "
            "vectors, w -= (q . w) q for each", lambda V: mgs(V, previous_only=True)),
    Mistake("norm_not_squared", "you projected onto the unnormalised u with (u . w / |u|) u; that divides by |u| "
            "once, it needs |u|^2 = u . u (or project onto the unit vector q = u / |u|)",
            lambda V: mgs(V, divide_by_norm=True)),
    Mistake("added", "you ADDED the projections; Gram-Schmidt subtracts them: w = w - (q . w) q",
            lambda V: mgs(V, sign=1.0)),
    Mistake("rows", "you orthonormalised the ROWS of V (a loop `for v in V` runs over rows); the vectors are the "
            "COLUMNS, V[:, j] (loop over V.T)", _rows_variant),
    Mistake("rows", "you orthonormalised the ROWS of V (a loop `for v in V` runs over rows); the vectors are the "
            "COLUMNS, V[:, j] (loop over V.T)", lambda V: _rows_variant(V).T),
    Mistake("normalise_only", "you only normalised each column, without subtracting the projections onto the "
            "earlier ones, so the columns are not orthogonal", _normalised_columns),
    Mistake("not_triangular", "your columns are orthonormal and span the right space, but q_k is not built from "
            "v_1, ..., v_k alone (Q^T V is not upper triangular): an SVD or eigenvector basis, or the columns in "
            "another order, does this. Gram-Schmidt takes the columns in order"),
]
GS = {m.name: m for m in GS_MISTAKES}


def _float32_hint(case: Case, *arrays) -> str:
    """A hint when the answer was computed in float32 although the input is float64."""
    if any(np.asarray(a).dtype == np.float32 for a in arrays) and _tol(case, FACTOR_TOL) == FACTOR_TOL.value:
        return ("; your result is float32, whose rounding alone is about 1e-7 and grows with the condition "
                "number: compute in float64")
    return ""


def _properties_text(props) -> str:
    return (f"max|Q^T Q - I| = {props['orth']:.1e}, span error {props['span']:.1e}, below-diagonal part of Q^T V "
            f"{props['tri']:.1e}")


def _judge_basis(case, Q, V, tol, mistakes, what):
    """The verdict on an orthonormal basis Q of the columns of V (shapes already checked)."""
    raw, Q = Q, _f64(Q)
    props = _gs_properties(Q, V)
    if _gs_passes(props, tol):
        return None
    for mistake in mistakes:
        if mistake.compute is None:
            continue
        wrong = np.asarray(mistake.compute(V))
        if wrong.shape == Q.shape and not _gs_passes(_gs_properties(wrong, V), tol) \
                and np.all(np.isfinite(wrong)) and _close_columns(Q, wrong, tol):
            return Verdict(False, describe_failure(case, mistake.message), mistake.name)
    lengths = np.sqrt(np.sum(Q * Q, axis=0))
    if np.all(lengths > 0) and np.max(np.abs(lengths - 1)) > tol and _gs_passes(_gs_properties(Q / lengths, V), tol):
        return Verdict(False, describe_failure(
            case, GS["not_normalised"].message + f" (column lengths {fmt(lengths)})"), "not_normalised")
    if props["orth"] > tol and ILL in case.label and props["span"] <= 1e-3:
        return Verdict(False, describe_failure(
            case, GS["classical_gs"].message + f" (here max|Q^T Q - I| = {props['orth']:.1e}, tolerance {tol:.0e})"),
            "classical_gs")
    if props["orth"] <= tol and props["span"] <= tol and props["tri"] > tol:
        return Verdict(False, describe_failure(case, GS["not_triangular"].message + f" ({_properties_text(props)})"),
                       "not_triangular")
    return Verdict(False, describe_failure(
        case, f"{what} is wrong: {_properties_text(props)} (each should be at most {tol:.0e}); expected "
              f"orthonormal columns spanning the columns of V, q_k built from v_1..v_k{_float32_hint(case, raw)}"),
        "wrong_value")


def _gs_cases(rng):
    m, n = int(rng.integers(7, 11)), int(rng.integers(3, 6))
    k = int(rng.integers(4, 6))
    return [
        Case(f"a square ({k}, {k}) matrix", {"V": _matrix(rng, k, k)}),
        Case(f"a tall ({m}, {n}) matrix", {"V": _matrix(rng, m, n)}),
        Case("a single column", {"V": rng.normal(size=(6, 1))}),
        Case("large entries (near 1e4)", {"V": _matrix(rng, 8, 4, scale=1e4)}),
        Case("float32 entries", {"V": _matrix(rng, 9, 4).astype(np.float32)}),
        Case(f"{ILL} (condition number 1e8)", {"V": _matrix(rng, int(rng.integers(10, 15)), 6, condition=1e8)}),
        Case(f"{ILL}, large entries (condition number 1e8)",
             {"V": _matrix(rng, int(rng.integers(10, 15)), 5, condition=1e8, scale=300.0)}),
    ]


def _array_outcome(case, outcome, what):
    """The single float array a function returned, or the verdict on why it is not usable."""
    if outcome.error:
        return raised(case, outcome, what)
    if isinstance(outcome.value, (tuple, dict)):
        return not_one_array(case, outcome.value, what)
    received = np.asarray(outcome.value)
    if np.iscomplexobj(received):
        return complex_output(case, received, what, "take .real")
    return received


def _judge_gs(cases, outcomes):
    for case, outcome in zip(cases, outcomes):
        what = "gram_schmidt(V)"
        received = _array_outcome(case, outcome, what)
        if isinstance(received, Verdict):
            return received
        V = _f64(case.args["V"])
        tol = _tol(case, FACTOR_TOL)
        if received.shape != V.shape:
            for mistake in GS_MISTAKES:
                if mistake.compute is not None and np.shape(mistake.compute(V)) == received.shape \
                        and _close_columns(_f64(received), mistake.compute(V), tol):
                    return Verdict(False, describe_failure(case, mistake.message), mistake.name)
            return wrong_shape(case, received, V, "Q")
        if not np.all(np.isfinite(received)):
            return not_finite(case, received, "Q")
        verdict = _judge_basis(case, received, V, tol, GS_MISTAKES, what)
        if verdict is not None:
            return verdict
    return Verdict.ok(f"all {len(cases)} inputs correct")


check_gram_schmidt = register(Check(
    id="projections.gram_schmidt",
    target="gram_schmidt",
    summary="gram_schmidt(V) returns orthonormal columns with the span of V, q_k from v_1..v_k, signs free, also on "
            "nearly dependent columns (tolerance 1e-6)",
    make_cases=_gs_cases,
    judge=_judge_gs,
    forbidden=FROM_SCRATCH,
    tolerance=FACTOR_TOL,
    kind="value",
    mistakes=GS_MISTAKES,
)).runner()


QR_MISTAKES = [
    Mistake("classical_gs", GS["classical_gs"].message.replace("your columns", "the columns of your Q")),
    Mistake("swapped", "you returned (R, Q); return them in the order (Q, R): Q is (m, n), R is (n, n)"),
    Mistake("complete", "you returned the COMPLETE QR (Q of shape (m, m), R of shape (m, n)); return the reduced "
            "one: the first n columns of Q and the first n rows of R"),
    Mistake("r_lower", "your R is not upper triangular: R[i, j] = q_i . a_j for i <= j and 0 below the diagonal "
            "(you may have transposed R, computed A.T @ Q, or filled R[j, i])"),
    Mistake("not_normalised", "QR = A holds, but the columns of your Q are orthogonal without being of length 1; "
            "divide each u_k by |u_k| and put |u_k| on the diagonal of R"),
    Mistake("r_diagonal", "the columns of Q are right but the diagonal of R is not: R[k, k] is the length |u_k| "
            "you divided by when normalising (so that QR = A)"),
    Mistake("inconsistent_signs", "each entry of R is right up to sign, but QR != A: when you flip the sign of a "
            "column of Q, flip the same row of R"),
]
QR = {m.name: m for m in QR_MISTAKES}


def _qr_cases(rng):
    m, n = int(rng.integers(7, 11)), int(rng.integers(3, 6))
    k = int(rng.integers(4, 6))
    return [
        Case(f"a tall ({m}, {n}) matrix", {"A": _matrix(rng, m, n)}),
        Case(f"a square ({k}, {k}) matrix", {"A": _matrix(rng, k, k)}),
        Case("a single column", {"A": rng.normal(size=(5, 1))}),
        Case("large entries (near 1e4)", {"A": _matrix(rng, 8, 4, scale=1e4)}),
        Case("float32 entries", {"A": _matrix(rng, 9, 4).astype(np.float32)}),
        Case(f"{ILL} (condition number 1e8)", {"A": _matrix(rng, int(rng.integers(10, 15)), 6, condition=1e8)}),
    ]


def _judge_qr_case(case, outcome):
    what = "qr(A)"
    if outcome.error:
        return raised(case, outcome, what)
    value = outcome.value
    if not isinstance(value, tuple) or len(value) != 2:
        got = f"a tuple of {len(value)} items" if isinstance(value, tuple) else f"a single {outcome.kind or 'value'}"
        return Verdict(False, describe_failure(case, f"{what} should return a tuple (Q, R), but returned {got}"),
                       "wrong_type")
    Q, R = (np.asarray(v) for v in value)
    for name, part in (("Q", Q), ("R", R)):
        if np.iscomplexobj(part):
            return complex_output(case, part, name, "take .real")
    A = _f64(case.args["A"])
    m, n = A.shape
    tol = _tol(case, FACTOR_TOL)
    if m != n and Q.shape == (n, n) and R.shape == (m, n):
        return Verdict(False, describe_failure(case, QR["swapped"].message), "swapped")
    if m != n and Q.shape == (m, m) and R.shape == (m, n):
        return Verdict(False, describe_failure(case, QR["complete"].message), "complete")
    if Q.shape != (m, n):
        return wrong_shape(case, Q, A, "Q")
    if R.shape != (n, n):
        return wrong_shape(case, R, np.zeros((n, n)), "R")
    for name, part in (("Q", Q), ("R", R)):
        if not np.all(np.isfinite(part)):
            return not_finite(case, part, name)
    hint = _float32_hint(case, Q, R)
    Q, R = _f64(Q), _f64(R)
    orth, lower, recon = _orth_loss(Q), _relative(np.tril(R, -1), R), _relative(Q @ R - A, A)
    if orth <= tol and lower <= tol and recon <= tol:
        return None
    measured = (f"max|Q^T Q - I| = {orth:.1e}, below-diagonal part of R {lower:.1e}, |QR - A| {recon:.1e} "
                f"(each should be at most {tol:.0e})")
    lengths = np.sqrt(np.sum(Q * Q, axis=0))
    if lower > tol:
        return Verdict(False, describe_failure(case, QR["r_lower"].message + f" ({measured})"), "r_lower")
    if recon <= tol and np.all(lengths > 0) and _orth_loss(Q / lengths) <= tol:
        return Verdict(False, describe_failure(case, QR["not_normalised"].message + f" (column lengths {fmt(lengths)})"),
                       "not_normalised")
    if orth > tol and ILL in case.label and recon <= 1e-3:
        return Verdict(False, describe_failure(
            case, QR["classical_gs"].message + f" (here max|Q^T Q - I| = {orth:.1e}, tolerance {tol:.0e})"),
            "classical_gs")
    if orth <= tol:
        C = Q.T @ A  # what R must be for this Q
        off = np.triu(np.ones((n, n), dtype=bool), 1)
        if _relative((R - C)[off], A) <= tol and _relative(np.diag(R) - np.diag(C), A) > tol:
            return Verdict(False, describe_failure(case, QR["r_diagonal"].message + f" ({measured})"), "r_diagonal")
        if _relative(np.abs(R) - np.abs(np.triu(C)), A) <= tol:
            return Verdict(False, describe_failure(case, QR["inconsistent_signs"].message + f" ({measured})"),
                           "inconsistent_signs")
    return Verdict(False, describe_failure(case, f"{what} is wrong: {measured}{hint}"), "wrong_value")


_judge_qr = each_case(_judge_qr_case)


check_qr = register(Check(
    id="projections.qr",
    target="qr",
    summary="qr(A) returns the reduced (Q, R): orthonormal Q, upper triangular R, QR = A, signs free, also on nearly "
            "dependent columns (tolerance 1e-6)",
    make_cases=_qr_cases,
    judge=_judge_qr,
    forbidden=FROM_SCRATCH,
    tolerance=FACTOR_TOL,
    kind="parts",
    mistakes=QR_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# least_squares
# ---------------------------------------------------------------------------------------

def _ls_ref(A, b):
    return np.linalg.lstsq(_f64(A), _f64(b), rcond=None)[0]


def _ls_wrong(kind):
    def compute(A, b):
        Q, R = qr_reference(A)
        c = Q.T @ _f64(b)
        if kind == "qtb_only":
            return c
        if kind == "diagonal_only":
            return c / np.diag(R)
        if kind == "off_by_one":
            x = _ls_ref(A, b)
            return np.concatenate([[0.0], x[1:]])
        if kind == "r_transposed":
            L = R.T
            x = np.zeros(len(c))
            for i in range(len(c)):
                x[i] = (c[i] - L[i, :i] @ x[:i]) / L[i, i]
            return x
        raise ValueError(kind)
    return compute


LS_MISTAKES = [
    Mistake("normal_equations", "your x is right on well-conditioned A but loses accuracy on this ill-conditioned "
            "one: that is what solving the normal equations A^T A x = A^T b does, because forming A^T A squares the "
            "condition number. Go through QR: solve R x = Q^T b by back substitution, with Q^T b computed the "
            "modified way (subtract each q_k's component from b in turn); Q.T @ b in one product, with a Q that has "
            "lost a little orthogonality, squares the condition number the same way"),
    Mistake("fitted_values", "you returned A x, the projection of b onto the column space (the fitted values); "
            "return the coefficients x, shape (n,)", lambda A, b: _f64(A) @ _ls_ref(A, b)),
    Mistake("residual", "you returned the residual b - A x; return the coefficients x, shape (n,)",
            lambda A, b: _f64(b) - _f64(A) @ _ls_ref(A, b)),
    Mistake("qtb_only", "you returned Q^T b; x is the solution of R x = Q^T b (back substitution)",
            _ls_wrong("qtb_only")),
    Mistake("diagonal_only", "you divided Q^T b by the diagonal of R only; back substitution also subtracts "
            "R[i, j] x[j] for j > i, starting from the LAST row", _ls_wrong("diagonal_only")),
    Mistake("off_by_one", "your back substitution never computed x[0]: range(n - 1, 0, -1) stops before 0; use "
            "range(n - 1, -1, -1)", _ls_wrong("off_by_one")),
    Mistake("r_transposed", "you solved R^T x = Q^T b (substituting from the top, with R transposed); R is upper "
            "triangular: solve R x = Q^T b from the last row up", _ls_wrong("r_transposed")),
]
LS = {m.name: m for m in LS_MISTAKES}


def _ls_cases(rng):
    m, n = int(rng.integers(8, 13)), int(rng.integers(2, 5))
    A = _matrix(rng, m, n)
    k = int(rng.integers(3, 6))
    ill = _matrix(rng, int(rng.integers(10, 15)), int(rng.integers(4, 7)), condition=3e7, scale=rng.uniform(1, 5))
    line_t = np.sort(rng.uniform(0, 10, size=12))
    line = np.column_stack([np.ones_like(line_t), line_t])
    return [
        Case(f"a tall ({m}, {n}) matrix, b not in its column space", {"A": A, "b": rng.normal(size=m) * 3}),
        Case("a straight-line fit (a column of ones and a column t)",
             {"A": line, "b": 2.0 - 0.7 * line_t + rng.normal(scale=0.5, size=12)}),
        Case("b in the column space (an exact fit)", {"A": A, "b": A @ rng.normal(size=n)}),
        Case(f"a square ({k}, {k}) invertible matrix", {"A": _matrix(rng, k, k), "b": rng.normal(size=k)}),
        Case("large entries (near 1e3)", {"A": _matrix(rng, 9, 3, scale=1e3), "b": rng.normal(size=9) * 1e3}),
        Case("float32 entries", {"A": _matrix(rng, 10, 3).astype(np.float32),
                                 "b": rng.normal(size=10).astype(np.float32)}),
        Case(f"{ILL} (condition number 3e7), b in the column space",
             {"A": ill, "b": ill @ rng.normal(size=ill.shape[1])}),
    ]


def _ls_diagnose(case, received, expected):
    (r,), (e,) = received, expected
    if ILL not in case.label or r.shape != e.shape or not np.all(np.isfinite(r)):
        return None
    err = scaled_error(r, e)
    if err > 1e3:
        return None
    kappa = np.linalg.cond(_f64(case.args["A"]))
    return Verdict(False, describe_failure(
        case, LS["normal_equations"].message + f" (here the condition number of A is {kappa:.0e}, of A^T A about "
              f"{kappa ** 2:.0e}; your x is off by {err:.1e} relative to its largest entry, tolerance "
              f"{FACTOR_TOL.value:.0e})"), "normal_equations")


check_least_squares = register(Check(
    id="projections.least_squares",
    target="least_squares",
    summary="least_squares(A, b) returns the x minimising |Ax - b|, through QR, accurate also on an ill-conditioned A "
            "(tolerance 1e-6 relative to the largest entry)",
    make_cases=_ls_cases,
    judge=_judge_each(_ls_ref, LS_MISTAKES, "least_squares(A, b)", FACTOR_TOL, diagnose=_ls_diagnose),
    forbidden=FROM_SCRATCH,
    tolerance=FACTOR_TOL,
    kind="value",
    mistakes=LS_MISTAKES,
)).runner()
