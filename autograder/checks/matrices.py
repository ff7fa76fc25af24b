"""Hidden checks for 02-matrices: matmul from scratch, rotation / scaling / shear matrices,
composition order, the Gram matrix and a dense layer.

Conventions the prompts state and these checks enforce:

* errors are measured on the scale of the answer, ``max|yours - expected| <= tol *
  max|expected|`` with tol 1e-8 (1e-5 when an input is float32);
* ``matmul(A, B)`` is written with loops (no ``@``, ``np.dot``, ``np.matmul``, ``einsum``)
  and raises ``ValueError`` when ``A.shape[1] != B.shape[0]``;
* ``rotation(theta)`` turns counter-clockwise by ``theta`` radians; matrices act on column
  vectors, ``M @ v``;
* ``shear(k)`` is the horizontal shear ``[[1, k], [0, 1]]``;
* ``compose(*mats)`` applies the first matrix listed first: ``compose(A, B) == B @ A``;
* ``gram(X) == X.T @ X`` and ``dense_layer(X, W, b) == X @ W.T + b``.

Each check's first input is square wherever the shapes allow it, so that mistakes which only
fit square shapes (a reversed product, the bias on the wrong axis) are named, not reported
as a shape error.
"""

from __future__ import annotations

from functools import reduce

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, register
from autograder.checks._kit.compare import describe_failure, judge_parts

TOL = Tolerance(1e-8, "scale", floor=1e-12, float32=1e-5)


def _f(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _tol(case: Case) -> float:
    is32 = any(isinstance(v, np.ndarray) and v.dtype == np.float32 for v in case.args.values())
    return TOL.float32 if is32 else TOL.value


def _judge(reference, mistakes, what: str, skip=None):
    """Judge every case in order on the scale of the answer; the first failure is the verdict.
    ``skip(case, outcome)`` may judge a case itself (returns a Verdict) or leave it (None)."""

    def judge(cases: list[Case], outcomes: list) -> Verdict:
        for case, outcome in zip(cases, outcomes):
            if skip is not None:
                verdict = skip(case, outcome)
                if verdict is not None:
                    if not verdict.passed:
                        return verdict
                    continue
            verdict = judge_parts(case, outcome, reference(*case.args.values()), _tol(case), mistakes, what=what)
            if not verdict.passed:
                return verdict
        return Verdict.ok(f"all {len(cases)} inputs correct")

    return judge


# ------------------------------------------------------------------------------ matmul

def _matmul_cases(rng: np.random.Generator) -> list[Case]:
    n, k, m = (int(x) for x in rng.integers(2, 6, size=3))
    k = k if k != n else n + 1
    s = int(rng.integers(3, 5))
    return [
        Case("two square matrices", {"A": rng.normal(size=(s, s)), "B": rng.normal(size=(s, s))}),
        Case("non-square matrices", {"A": rng.normal(size=(n, k)), "B": rng.normal(size=(k, m))}),
        Case("a row times a column (a 1x1 result)", {"A": rng.normal(size=(1, k)), "B": rng.normal(size=(k, 1))}),
        Case("a column times a row (an outer product)", {"A": rng.normal(size=(n, 1)), "B": rng.normal(size=(1, m))}),
        Case("integer matrices", {"A": rng.integers(-5, 6, size=(n, k)), "B": rng.integers(-5, 6, size=(k, m))}),
        Case("entries of very different sizes", {"A": 1e3 * rng.normal(size=(n, k)), "B": 1e-3 * rng.normal(size=(k, m))}),
        Case("float32 matrices", {"A": rng.normal(size=(n, k)).astype(np.float32),
                                  "B": rng.normal(size=(k, m)).astype(np.float32)}),
        Case("incompatible shapes (A has 3 columns, B has 2 rows)",
             {"A": rng.normal(size=(2, 3)), "B": rng.normal(size=(2, 4))}),
    ]


def _matmul(A, B):
    A, B = _f(A), _f(B)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError("incompatible shapes")
    return A @ B


def _skip_last_term(A, B):
    A, B = _f(A), _f(B)
    return A[:, :-1] @ B[:-1, :]


MATMUL_MISTAKES = [
    Mistake("transposed", "your product is transposed: entry [i, j] of A @ B is row i of A times column j of B, "
            "and the result has shape (rows of A, columns of B)", lambda A, B: _matmul(A, B).T),
    Mistake("reversed", "you computed B @ A; matrix products do not commute, A @ B multiplies rows of A by columns of B",
            lambda A, B: _f(B) @ _f(A)),
    Mistake("elementwise", "you multiplied entry by entry (A * B); the matrix product sums A[i, p] * B[p, j] over p",
            lambda A, B: _f(A) * _f(B)),
    Mistake("b_rows", "you multiplied rows of A by ROWS of B (A[i, p] * B[j, p]); use the columns of B, B[p, j]",
            lambda A, B: _f(A) @ _f(B).T),
    Mistake("skipped_last_term", "your sums miss the last term: the inner loop must run over all A.shape[1] "
            "products (range(A.shape[1]), not range(A.shape[1] - 1))", _skip_last_term),
    Mistake("running_total", "your running total is not reset for each entry, so every entry also holds the sums "
            "of the entries before it in its row; start each entry's sum at 0",
            lambda A, B: np.cumsum(_matmul(A, B), axis=1)),
    Mistake("no_shape_check", "your function does not raise ValueError when A.shape[1] != B.shape[0]; check the "
            "shapes first and `raise ValueError(...)` with a message"),
]


def _matmul_incompatible(case: Case, outcome) -> Verdict | None:
    A, B = case.args["A"], case.args["B"]
    if A.shape[1] == B.shape[0]:
        return None
    if outcome.error and not outcome.kind and outcome.error.startswith("ValueError"):
        return Verdict.ok()
    got = (f"it raised {outcome.error.split(':', 1)[0]}" if outcome.error and not outcome.kind
           else "it returned a result")
    return Verdict(False, describe_failure(case, MATMUL_MISTAKES[-1].message + f" ({got})"), "no_shape_check")


FROM_SCRATCH = scratch.Rule(
    "a NumPy matrix-product routine (@, np.dot, np.matmul, einsum or .dot())",
    roots=("numpy", "scipy", "torch", "operator"),
    names=("dot", "inner", "vdot", "matmul", "einsum", "tensordot", "vecdot", "multi_dot", "__matmul__",
           "__rmatmul__", "imatmul", "mm", "bmm"),
    methods=("dot", "__matmul__", "__rmatmul__", "matmul", "mm"), matmul=True)

check_matmul = register(Check(
    id="matrices.matmul",
    target="matmul",
    summary="matmul(A, B) is correct on fresh random matrices, written with loops, and raises ValueError on "
            "incompatible shapes (tolerance 1e-8)",
    make_cases=_matmul_cases,
    judge=_judge(_matmul, MATMUL_MISTAKES[:-1], "matmul(A, B)", skip=_matmul_incompatible),
    forbidden=FROM_SCRATCH,
    tolerance=TOL,
    kind="value",
    mistakes=MATMUL_MISTAKES,
)).runner()


# ------------------------------------------------------------------------- rotation

def _angle_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("an angle between 0.3 and 1.2 radians", {"theta": float(rng.uniform(0.3, 1.2))}),
        Case("an obtuse angle", {"theta": float(rng.uniform(1.8, 2.9))}),
        Case("a negative angle", {"theta": float(-rng.uniform(0.3, 3.0))}),
        Case("a quarter turn, pi / 2", {"theta": float(np.pi / 2)}),
        Case("an angle given as an integer", {"theta": int(rng.integers(1, 6))}),
    ]


def _rot(theta):
    c, s = np.cos(theta), np.sin(theta)
    return np.array([[c, -s], [s, c]])


ROTATION_MISTAKES = [
    Mistake("clockwise", "your matrix turns clockwise; a positive angle turns counter-clockwise, "
            "[[cos, -sin], [sin, cos]] (the minus sign belongs in the top row)", lambda theta: _rot(theta).T),
    Mistake("degrees", "you treated theta as degrees; it is in radians (np.cos and np.sin take radians as they are)",
            lambda theta: _rot(np.deg2rad(theta))),
    Mistake("sin_cos_swapped", "you swapped sin and cos; the diagonal holds cos(theta)",
            lambda theta: np.array([[np.sin(theta), -np.cos(theta)], [np.cos(theta), np.sin(theta)]])),
    Mistake("no_minus", "the minus sign is missing; the top-right entry is -sin(theta)",
            lambda theta: np.array([[np.cos(theta), np.sin(theta)], [np.sin(theta), np.cos(theta)]])),
    Mistake("two_minus", "both off-diagonal entries are negative; only the top-right entry is -sin(theta)",
            lambda theta: np.array([[np.cos(theta), -np.sin(theta)], [-np.sin(theta), np.cos(theta)]])),
    Mistake("twice_the_angle", "your matrix turns by 2 * theta; use theta itself",
            lambda theta: _rot(2 * theta)),
]

check_rotation = register(Check(
    id="matrices.rotation",
    target="rotation",
    summary="rotation(theta) turns counter-clockwise by theta radians (tolerance 1e-8)",
    make_cases=_angle_cases,
    judge=_judge(_rot, ROTATION_MISTAKES, "rotation(theta)"),
    tolerance=TOL,
    kind="value",
    mistakes=ROTATION_MISTAKES,
)).runner()


# -------------------------------------------------------------------------- scaling

def _scaling_cases(rng: np.random.Generator) -> list[Case]:
    sx, sy = rng.uniform(1.5, 4.0), rng.uniform(0.2, 0.8)
    return [
        Case("stretch x, squash y", {"sx": float(sx), "sy": float(sy)}),
        Case("squash x, stretch y", {"sx": float(sy), "sy": float(sx)}),
        Case("a reflection in the y axis (sx < 0)", {"sx": float(-rng.uniform(0.5, 2)), "sy": float(rng.uniform(1.5, 3))}),
        Case("integer factors", {"sx": int(rng.integers(2, 5)), "sy": int(rng.integers(5, 9))}),
    ]


def _scale(sx, sy):
    return np.array([[sx, 0.0], [0.0, sy]], dtype=float)


SCALING_MISTAKES = [
    Mistake("swapped", "you swapped the factors: sx scales the x coordinate, so it belongs at [0, 0] and sy at [1, 1]",
            lambda sx, sy: _scale(sy, sx)),
    Mistake("inverse", "you used 1 / sx and 1 / sy; scaling by sx multiplies x by sx",
            lambda sx, sy: _scale(1 / sx, 1 / sy)),
    Mistake("factors_everywhere", "you filled the off-diagonal entries too; a scaling matrix is zero off the diagonal",
            lambda sx, sy: np.array([[sx, sy], [sx, sy]], dtype=float)),
    Mistake("vector", "you returned the vector [sx, sy]; return the 2x2 matrix [[sx, 0], [0, sy]]",
            lambda sx, sy: np.array([sx, sy], dtype=float)),
    Mistake("one_factor", "you scaled both axes by sx; the y axis is scaled by sy",
            lambda sx, sy: _scale(sx, sx)),
    Mistake("plus_identity", "you added the identity (1 + sx, 1 + sy); the diagonal holds sx and sy themselves",
            lambda sx, sy: _scale(1 + sx, 1 + sy)),
]

check_scaling = register(Check(
    id="matrices.scaling",
    target="scaling",
    summary="scaling(sx, sy) is the diagonal matrix [[sx, 0], [0, sy]] (tolerance 1e-8)",
    make_cases=_scaling_cases,
    judge=_judge(_scale, SCALING_MISTAKES, "scaling(sx, sy)"),
    tolerance=TOL,
    kind="value",
    mistakes=SCALING_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------- shear

def _shear_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("a shear to the right", {"k": float(rng.uniform(0.3, 2.0))}),
        Case("a shear to the left", {"k": float(-rng.uniform(0.3, 2.0))}),
        Case("an integer shear factor", {"k": int(rng.integers(2, 5))}),
        Case("no shear (k = 0)", {"k": 0.0}),
    ]


def _shear(k):
    return np.array([[1.0, k], [0.0, 1.0]], dtype=float)


SHEAR_MISTAKES = [
    Mistake("vertical", "you built the vertical shear [[1, 0], [k, 1]]; this exercise asks for the horizontal one, "
            "x -> x + k y, which is [[1, k], [0, 1]]", lambda k: _shear(k).T),
    Mistake("symmetric", "you put k in both off-diagonal entries; a shear has k in one corner only, [[1, k], [0, 1]]",
            lambda k: np.array([[1.0, k], [k, 1.0]])),
    Mistake("no_identity", "you left out the ones on the diagonal; without them every point collapses, "
            "the shear is [[1, k], [0, 1]]", lambda k: np.array([[0.0, k], [0.0, 0.0]])),
    Mistake("negative", "your shear goes the wrong way; x -> x + k y needs +k at [0, 1]", lambda k: _shear(-k)),
    Mistake("k_on_diagonal", "you put k on the diagonal (a scaling); a shear keeps ones on the diagonal and puts k "
            "at [0, 1]", lambda k: np.array([[k, 0.0], [0.0, 1.0]])),
    Mistake("k_at_corner", "you put k at [0, 0]; a shear is [[1, k], [0, 1]]",
            lambda k: np.array([[k, 1.0], [0.0, 1.0]])),
]

check_shear = register(Check(
    id="matrices.shear",
    target="shear",
    summary="shear(k) is the horizontal shear [[1, k], [0, 1]] (tolerance 1e-8)",
    make_cases=_shear_cases,
    judge=_judge(_shear, SHEAR_MISTAKES, "shear(k)"),
    tolerance=TOL,
    kind="value",
    mistakes=SHEAR_MISTAKES,
)).runner()


# -------------------------------------------------------------------------- compose

def _compose_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(3, 5))
    return [
        Case("a rotation then a shear", {"m0": _rot(float(rng.uniform(0.3, 1.2))),
                                         "m1": _shear(float(rng.uniform(0.5, 2.0)))}),
        Case("three random 2x2 matrices", {f"m{i}": rng.normal(size=(2, 2)) for i in range(3)}),
        Case(f"four random {d}x{d} matrices", {f"m{i}": rng.normal(size=(d, d)) for i in range(4)}),
        Case("one matrix (composing it alone gives itself)", {"m0": rng.normal(size=(2, 2))}),
        Case("float32 matrices", {f"m{i}": rng.normal(size=(3, 3)).astype(np.float32) for i in range(3)}),
    ]


def _compose(*mats):
    return reduce(lambda acc, m: _f(m) @ acc, mats[1:], _f(mats[0]))


def _many(fn):
    """A mistake that only applies to two or more matrices (one matrix composes to itself)."""
    def compute(*mats):
        if len(mats) < 2:
            raise ValueError("one matrix")
        return fn(*mats)
    return compute


COMPOSE_MISTAKES = [
    Mistake("reversed_order", "you multiplied in the order listed (first @ second @ ...), which applies the LAST "
            "matrix first; to apply the first listed first, put it on the right: compose(A, B) = B @ A",
            _many(lambda *m: _compose(*m[::-1]))),
    Mistake("elementwise", "you multiplied the matrices entry by entry (*); composing maps is the matrix product @",
            _many(lambda *m: reduce(lambda a, b: a * b, [_f(x) for x in m]))),
    Mistake("sum", "you added the matrices; composing maps multiplies them (@)",
            _many(lambda *m: sum(_f(x) for x in m))),
    Mistake("last_only", "you returned only the last matrix; multiply all of them", _many(lambda *m: _f(m[-1]))),
    Mistake("first_only", "you returned only the first matrix; multiply all of them", _many(lambda *m: _f(m[0]))),
    Mistake("transposed", "your result is transposed; compose(A, B) = B @ A, not (B @ A).T",
            _many(lambda *m: _compose(*m).T)),
]

check_compose = register(Check(
    id="matrices.compose",
    target="compose",
    summary="compose(*mats) applies the first matrix listed first (tolerance 1e-8)",
    make_cases=_compose_cases,
    judge=_judge(_compose, COMPOSE_MISTAKES, "compose(*mats)"),
    tolerance=TOL,
    kind="value",
    mistakes=COMPOSE_MISTAKES,
)).runner()


# ----------------------------------------------------------------------------- gram

def _gram_cases(rng: np.random.Generator) -> list[Case]:
    n, d = int(rng.integers(5, 10)), int(rng.integers(2, 5))
    return [
        Case("random data, more rows than columns", {"X": 2.0 + rng.normal(size=(n, d))}),
        Case("data far from zero", {"X": 50.0 + rng.normal(size=(n, d))}),
        Case("fewer rows than columns", {"X": rng.normal(size=(2, d + 2))}),
        Case("one column", {"X": rng.normal(size=(n, 1)) + 1.0}),
        Case("integer data", {"X": rng.integers(-4, 8, size=(n, d))}),
        Case("float32 data", {"X": (1.0 + rng.normal(size=(n, d))).astype(np.float32)}),
    ]


def _gram(X):
    X = _f(X)
    return X.T @ X


def _centred(X):
    X = _f(X)
    return X - X.mean(axis=0)


GRAM_MISTAKES = [
    Mistake("rows_gram", "you computed X @ X.T, the (n, n) matrix of dot products between ROWS; the Gram matrix of "
            "the features is X.T @ X, shape (d, d)", lambda X: _f(X) @ _f(X).T),
    Mistake("divided_by_n", "you divided by the number of rows; the Gram matrix is the plain sum X.T @ X",
            lambda X: _gram(X) / len(X)),
    Mistake("centred", "you centred the columns first (that gives a scatter matrix); the Gram matrix uses X as it is",
            lambda X: _centred(X).T @ _centred(X)),
    Mistake("covariance", "you returned the covariance matrix; the Gram matrix is X.T @ X, uncentred and not divided",
            lambda X: _centred(X).T @ _centred(X) / (len(X) - 1)),
    Mistake("diagonal_only", "you kept only the squared column norms (the diagonal); the Gram matrix also holds the "
            "dot products between different columns", lambda X: np.diag(np.diag(_gram(X)))),
    Mistake("squared_entries", "you squared the entries (X ** 2); the Gram matrix is the matrix product X.T @ X",
            lambda X: _f(X) ** 2),
]

check_gram = register(Check(
    id="matrices.gram",
    target="gram",
    summary="gram(X) returns X.T @ X on fresh random data (tolerance 1e-8)",
    make_cases=_gram_cases,
    judge=_judge(_gram, GRAM_MISTAKES, "gram(X)"),
    tolerance=TOL,
    kind="value",
    mistakes=GRAM_MISTAKES,
)).runner()


# ---------------------------------------------------------------------- dense layer

def _dense_cases(rng: np.random.Generator) -> list[Case]:
    s = int(rng.integers(3, 5))
    n, d_in, d_out = int(rng.integers(5, 9)), int(rng.integers(2, 5)), int(rng.integers(2, 5))
    d_out = d_out if d_out != d_in else d_in + 1
    return [
        Case(f"a batch of {s} inputs, {s} features in and {s} out",
             {"X": rng.normal(size=(s, s)), "W": rng.normal(size=(s, s)), "b": rng.normal(size=s)}),
        Case("a batch with different sizes in and out",
             {"X": rng.normal(size=(n, d_in)), "W": rng.normal(size=(d_out, d_in)), "b": rng.normal(size=d_out)}),
        Case("a single input (one row)",
             {"X": rng.normal(size=(1, d_in)), "W": rng.normal(size=(d_out, d_in)), "b": rng.normal(size=d_out)}),
        Case("a layer with one output",
             {"X": rng.normal(size=(n, d_in)), "W": rng.normal(size=(1, d_in)), "b": rng.normal(size=1)}),
        Case("float32 inputs and weights",
             {"X": rng.normal(size=(n, d_in)).astype(np.float32), "W": rng.normal(size=(d_out, d_in)).astype(np.float32),
              "b": rng.normal(size=d_out).astype(np.float32)}),
    ]


def _dense(X, W, b):
    return _f(X) @ _f(W).T + _f(b)


DENSE_MISTAKES = [
    Mistake("w_times_x", "you computed W @ X.T (+ b), which puts the examples in columns; each ROW of X is one example, "
            "so the layer is X @ W.T + b, shape (n, d_out)", lambda X, W, b: _f(W) @ _f(X).T + _f(b)[:, None]),
    Mistake("bias_wrong_axis", "you added the bias along the wrong axis (down the columns): b[j] belongs to output j, "
            "so add b as a row, X @ W.T + b", lambda X, W, b: _f(X) @ _f(W).T + _f(b)[:, None]),
    Mistake("no_transpose", "you computed X @ W without the transpose; W has shape (d_out, d_in), so the layer is "
            "X @ W.T + b", lambda X, W, b: _f(X) @ _f(W) + _f(b)),
    Mistake("no_bias", "you left out the bias; the layer is X @ W.T + b", lambda X, W, b: _f(X) @ _f(W).T),
    Mistake("bias_subtracted", "you subtracted the bias; the layer adds it, X @ W.T + b",
            lambda X, W, b: _f(X) @ _f(W).T - _f(b)),
    Mistake("relu", "you applied a ReLU; this layer is purely linear, X @ W.T + b with no activation",
            lambda X, W, b: np.maximum(0.0, _dense(X, W, b))),
]

check_dense_layer = register(Check(
    id="matrices.dense_layer",
    target="dense_layer",
    summary="dense_layer(X, W, b) returns X @ W.T + b on fresh random batches (tolerance 1e-8)",
    make_cases=_dense_cases,
    judge=_judge(_dense, DENSE_MISTAKES, "dense_layer(X, W, b)"),
    tolerance=TOL,
    kind="value",
    mistakes=DENSE_MISTAKES,
)).runner()
