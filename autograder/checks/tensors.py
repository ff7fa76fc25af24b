"""Hidden checks for 12-tensors: batched matmul with einsum, named einsum contractions,
pairwise squared distances by broadcasting, and NumPy's broadcasting rule.

Conventions the prompts state and these checks enforce:

* ``batched_matmul(A, B)``: (b, n, k) and (b, k, m) give (b, n, m), written with einsum:
  the ``@`` operator, np.matmul, np.dot, np.tensordot, ``.dot()`` and torch's matrix
  products are ruled out (``NO_MATMUL``);
* ``trace_einsum(A)`` the trace of a square matrix; ``outer(u, v)`` the (n, m) outer
  product; ``bilinear(x, A, y)`` the row-by-row x_b^T A y_b, shape (b,);
  ``attention_scores(Q, K)`` = Q K^T / sqrt(d) for every batch and head, (b, h, n, m);
* ``pairwise_sq_distances(X, Y)``: (n, m) squared Euclidean distances, no entry below 0,
  computed without Python loops: a ``for``/``while`` loop, a comprehension, ``map`` or
  ``filter`` anywhere in the function or a helper it calls fails the check (an AST check in
  this module, :func:`python_loop`, since a scratch.Rule names routines, not statements), and
  so do the loops in disguise and the distance libraries ``NO_LOOP_ROUTINES`` and
  ``NO_FUNCTOOLS_REDUCE`` name (ufunc reductions such as np.add.reduce are fine);
* ``broadcast_shape(s, t)`` follows NumPy's rule and raises ValueError for incompatible
  shapes; routines that broadcast for the student are ruled out (``NO_BROADCAST_HELPERS``).

Values are measured on the scale of the answer, ``max|yours - expected| <= tol * max|expected|``.
"""

from __future__ import annotations

import ast

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, each_case, register
from autograder.checks._kit.compare import describe_failure, judge_all

TOL = Tolerance(1e-6, "scale", floor=1e-8)
SHAPE_TOL = Tolerance(0, "exact")

NO_MATMUL = scratch.Rule(
    "a matrix-product routine instead of einsum (the @ operator, np.matmul, np.dot, np.tensordot, .dot(), "
    "torch.bmm)",
    roots=("numpy", "scipy", "torch", "operator"),
    names=("dot", "inner", "vdot", "matmul", "tensordot", "vecdot", "multi_dot", "__matmul__", "__rmatmul__",
           "imatmul", "bmm", "mm", "baddbmm", "addmm", "mv"),
    methods=("dot", "__matmul__", "__rmatmul__", "matmul", "inner", "vdot", "bmm", "mm"), matmul=True)
NO_LOOP_ROUTINES = scratch.Rule(
    "a loop in disguise or a distance library (np.vectorize, np.apply_along_axis, np.apply_over_axes, "
    "np.frompyfunc, np.fromiter, np.fromfunction, scipy's cdist, pdist or distance_matrix, scikit-learn's pairwise "
    "distances, torch.cdist)",
    roots=("numpy", "scipy", "sklearn", "torch"),
    names=("vectorize", "apply_along_axis", "apply_over_axes", "frompyfunc", "fromiter", "fromfunction", "cdist",
           "pdist", "euclidean_distances", "pairwise_distances", "distance_matrix"))
NO_FUNCTOOLS_REDUCE = scratch.Rule("functools.reduce, a Python loop in disguise", roots=("functools",),
                                   names=("reduce",))
NO_BROADCAST_HELPERS = scratch.Rule(
    "a routine that broadcasts for you (np.broadcast_shapes, np.broadcast, np.broadcast_to, np.broadcast_arrays, "
    "torch.broadcast_shapes) or an array built to be broadcast (np.zeros, np.ones, np.empty, np.full)",
    roots=("numpy", "torch", "jax"),
    names=("broadcast_shapes", "broadcast", "broadcast_to", "broadcast_arrays", "broadcast_tensors", "zeros", "ones",
           "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like"))


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _es(spec, *ops):
    return np.einsum(spec, *(_f64(o) for o in ops))


# ---------------------------------------------------------------------------------------
# batched_matmul
# ---------------------------------------------------------------------------------------

def _bmm_ref(A, B):
    return _es("bij,bjk->bik", A, B)


def _if(cond, value):
    return value() if cond else None


BMM_MISTAKES = [
    Mistake("batch_summed", "you gave the batch axis of B its own letter ('bij,cjk->bik'), so einsum summed over "
            "every matrix of B; use the same letter for the batch axis of both, 'bij,bjk->bik'",
            lambda A, B: _es("bij,cjk->bik", A, B)),
    Mistake("swapped_order", "you computed B[i] @ A[i]; matrix products do not commute: the result is A[i] @ B[i]",
            lambda A, B: _if(np.shape(A) == np.shape(B), lambda: _es("bij,bjk->bik", B, A))),
    Mistake("transposed_output", "the last two axes of your result are swapped: you returned (A[i] @ B[i]).T; "
            "the output is (b, n, m), 'bij,bjk->bik'", lambda A, B: _es("bij,bjk->bki", A, B)),
    Mistake("wrong_index", "you contracted over the wrong index of A (its rows, 'bji,bjk->bik', i.e. A[i].T @ B[i]); "
            "sum over A's LAST axis and B's middle axis, 'bij,bjk->bik'",
            lambda A, B: _if(np.shape(A)[1] == np.shape(A)[2], lambda: _es("bji,bjk->bik", A, B))),
    Mistake("elementwise", "you multiplied entry by entry (A * B); a matrix product sums over the shared axis: "
            "'bij,bjk->bik'", lambda A, B: _if(np.shape(A) == np.shape(B), lambda: _f64(A) * _f64(B))),
    Mistake("summed_over_batch", "you summed over the batch axis ('bij,bjk->ik'), giving one (n, m) matrix; keep "
            "b in the output: 'bij,bjk->bik'", lambda A, B: _es("bij,bjk->ik", A, B)),
    Mistake("first_only", "you multiplied only the first pair, A[0] @ B[0]; every pair i needs its product, "
            "stacked into shape (b, n, m)", lambda A, B: _es("ij,jk->ik", _f64(A)[0], _f64(B)[0])),
]


def _normal(rng, *shape, scale=1.0):
    return scale * rng.normal(size=shape)


def _bmm_cases(rng):
    b, n, k, m = (int(x) for x in rng.integers(2, 7, size=4))
    return [
        Case("a batch of square matrices", {"A": _normal(rng, 3, 4, 4), "B": _normal(rng, 3, 4, 4)}),
        Case("rectangular matrices", {"A": _normal(rng, b, n + 1, k + 2), "B": _normal(rng, b, k + 2, m)}),
        Case("a batch of one", {"A": _normal(rng, 1, n, k), "B": _normal(rng, 1, k, m + 1)}),
        Case("column times row (k = 1)", {"A": _normal(rng, b, n, 1), "B": _normal(rng, b, 1, m)}),
        Case("entries near 1e4", {"A": _normal(rng, b, n, k, scale=1e4), "B": _normal(rng, b, k, m)}),
        Case("float32 input", {"A": _normal(rng, b, n, k).astype(np.float32),
                               "B": _normal(rng, b, k, m).astype(np.float32)}),
        Case("a larger batch", {"A": _normal(rng, 40, 8, 6), "B": _normal(rng, 40, 6, 5)}),
    ]


check_batched_matmul = register(Check(
    id="tensors.batched_matmul",
    target="batched_matmul",
    summary="batched_matmul(A, B) multiplies each pair A[i] @ B[i] with einsum (tolerance 1e-6 relative to the "
            "largest entry)",
    make_cases=_bmm_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _bmm_ref, TOL.value, BMM_MISTAKES,
                                            what="batched_matmul(A, B)"),
    tolerance=TOL,
    kind="value",
    mistakes=BMM_MISTAKES,
    forbidden=NO_MATMUL,
)).runner()


# ---------------------------------------------------------------------------------------
# trace_einsum
# ---------------------------------------------------------------------------------------

def _trace_ref(A):
    return _es("ii->", A)


TRACE_MISTAKES = [
    Mistake("diagonal", "you returned the diagonal ('ii->i'); the trace is its SUM, a single number: 'ii->'",
            lambda A: _es("ii->i", A)),
    Mistake("all_entries", "you added up every entry ('ij->'); the trace adds only the diagonal, 'ii->'",
            lambda A: _es("ij->", A)),
    Mistake("frobenius", "you computed sum of A[i, j] * A[i, j] ('ij,ij->'), the squared Frobenius norm; the trace "
            "repeats ONE index on ONE operand: 'ii->'", lambda A: _es("ij,ij->", A, A)),
    Mistake("mean_diagonal", "you returned the mean of the diagonal; the trace is its sum",
            lambda A: _es("ii->", A) / len(A)),
    Mistake("anti_diagonal", "you added up the anti-diagonal (top-right to bottom-left); the trace is the main "
            "diagonal A[0, 0] + A[1, 1] + ...", lambda A: _es("ii->", _f64(A)[:, ::-1])),
    Mistake("trace_of_square", "you returned the trace of A @ A ('ij,ji->'); the trace of A is 'ii->'",
            lambda A: _es("ij,ji->", A, A)),
    Mistake("product", "you multiplied the diagonal entries (that is the determinant of a triangular matrix); the "
            "trace adds them", lambda A: np.prod(np.diagonal(_f64(A)))),
]


def _trace_cases(rng):
    n = int(rng.integers(3, 8))
    return [
        Case("a random square matrix", {"A": _normal(rng, n, n)}),
        Case("a 1 x 1 matrix", {"A": _normal(rng, 1, 1)}),
        Case("a matrix with a large off-diagonal part",
             {"A": np.diag(rng.uniform(1, 2, n)) + _normal(rng, n, n, scale=50) * (1 - np.eye(n))}),
        Case("float32 input", {"A": _normal(rng, n + 2, n + 2).astype(np.float32)}),
        Case("an integer matrix", {"A": rng.integers(-9, 10, size=(5, 5))}),
    ]


check_trace_einsum = register(Check(
    id="tensors.trace_einsum",
    target="trace_einsum",
    summary="trace_einsum(A) is the sum of the diagonal (tolerance 1e-6 relative to the largest entry)",
    make_cases=_trace_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _trace_ref, TOL.value, TRACE_MISTAKES,
                                            what="trace_einsum(A)"),
    tolerance=TOL,
    kind="value",
    mistakes=TRACE_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# outer
# ---------------------------------------------------------------------------------------

def _outer_ref(u, v):
    return _es("i,j->ij", u, v)


OUTER_MISTAKES = [
    Mistake("transposed", "your result is v u^T, shape (m, n); the outer product u v^T has one ROW per entry of "
            "u: 'i,j->ij', shape (n, m)", lambda u, v: _es("i,j->ji", u, v)),
    Mistake("inner", "you returned the dot product ('i,i->'); the outer product keeps both indices: 'i,j->ij'",
            lambda u, v: _if(len(u) == len(v), lambda: _es("i,i->", u, v))),
    Mistake("elementwise", "you multiplied entry by entry ('i,i->i'); give u and v different letters so that "
            "every pair (i, j) is kept: 'i,j->ij'", lambda u, v: _if(len(u) == len(v), lambda: _es("i,i->i", u, v))),
    Mistake("added", "you added u[:, None] + v[None, :]; the outer product multiplies: u[:, None] * v[None, :]",
            lambda u, v: _f64(u)[:, None] + _f64(v)[None, :]),
    Mistake("same_vector", "you multiplied u by itself; the outer product is u v^T, with v on the right",
            lambda u, v: _es("i,j->ij", u, u)),
    Mistake("flattened", "you returned the products as a flat vector of n * m numbers; return the (n, m) matrix",
            lambda u, v: _es("i,j->ij", u, v).ravel()),
]


def _outer_cases(rng):
    n, m = int(rng.integers(3, 7)), int(rng.integers(7, 10))
    return [
        Case("two vectors of the same length", {"u": _normal(rng, n), "v": _normal(rng, n)}),
        Case("vectors of different lengths", {"u": _normal(rng, n), "v": _normal(rng, m)}),
        Case("length 1 and length m", {"u": _normal(rng, 1), "v": _normal(rng, m)}),
        Case("float32 input", {"u": _normal(rng, m).astype(np.float32), "v": _normal(rng, n).astype(np.float32)}),
    ]


check_outer = register(Check(
    id="tensors.outer",
    target="outer",
    summary="outer(u, v) is the (n, m) matrix u v^T (tolerance 1e-6 relative to the largest entry)",
    make_cases=_outer_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _outer_ref, TOL.value, OUTER_MISTAKES,
                                            what="outer(u, v)"),
    tolerance=TOL,
    kind="value",
    mistakes=OUTER_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# bilinear
# ---------------------------------------------------------------------------------------

def _bilinear_ref(x, A, y):
    return _es("bi,ij,bj->b", x, A, y)


def _square(A):
    return np.shape(A)[0] == np.shape(A)[1]


BILINEAR_MISTAKES = [
    Mistake("all_pairs", "you gave the batch axis of y its own letter ('bi,ij,cj->bc'), so you computed every "
            "pair x_b^T A y_c; use the same letter for both, 'bi,ij,bj->b', shape (b,)",
            lambda x, A, y: _es("bi,ij,cj->bc", x, A, y)),
    Mistake("summed_batch", "you also summed over the batch ('bi,ij,bj->'), giving one number; keep b in the "
            "output: 'bi,ij,bj->b'", lambda x, A, y: _es("bi,ij,bj->", x, A, y)),
    Mistake("transposed_A", "you used A transposed (x^T A^T y, 'bi,ji,bj->b'): x pairs with the ROWS of A and y "
            "with its COLUMNS, 'bi,ij,bj->b'", lambda x, A, y: _if(_square(A), lambda: _es("bi,ji,bj->b", x, A, y))),
    Mistake("x_twice", "you computed x^T A x; the bilinear form uses y on the right: x^T A y",
            lambda x, A, y: _if(_square(A), lambda: _es("bi,ij,bj->b", x, A, x))),
    Mistake("no_matrix", "you left A out (x . y); the bilinear form is x^T A y",
            lambda x, A, y: _if(np.shape(x) == np.shape(y), lambda: _es("bi,bi->b", x, y))),
    Mistake("not_summed", "you kept the index i in the output ('bi,ij,bj->bi'); sum over both i and j: "
            "'bi,ij,bj->b'", lambda x, A, y: _es("bi,ij,bj->bi", x, A, y)),
]


def _bilinear_cases(rng):
    b, n, m = int(rng.integers(3, 8)), int(rng.integers(2, 6)), int(rng.integers(6, 9))
    return [
        Case("a square A", {"x": _normal(rng, b, n), "A": _normal(rng, n, n), "y": _normal(rng, b, n)}),
        Case("a rectangular A", {"x": _normal(rng, b, n), "A": _normal(rng, n, m), "y": _normal(rng, b, m)}),
        Case("a batch of one", {"x": _normal(rng, 1, m), "A": _normal(rng, m, n), "y": _normal(rng, 1, n)}),
        Case("a symmetric A", {"x": _normal(rng, b, n), "A": (lambda S: S + S.T)(_normal(rng, n, n)),
                               "y": _normal(rng, b, n)}),
        Case("float32 input", {"x": _normal(rng, b, n).astype(np.float32), "A": _normal(rng, n, m).astype(np.float32),
                               "y": _normal(rng, b, m).astype(np.float32)}),
    ]


check_bilinear = register(Check(
    id="tensors.bilinear",
    target="bilinear",
    summary="bilinear(x, A, y) gives x_b^T A y_b for every row b (tolerance 1e-6 relative to the largest entry)",
    make_cases=_bilinear_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _bilinear_ref, TOL.value, BILINEAR_MISTAKES,
                                            what="bilinear(x, A, y)"),
    tolerance=TOL,
    kind="value",
    mistakes=BILINEAR_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# attention_scores
# ---------------------------------------------------------------------------------------

def _scores_ref(Q, K):
    return _es("bhnd,bhmd->bhnm", Q, K) / np.sqrt(np.shape(Q)[-1])


SCORES_MISTAKES = [
    Mistake("not_scaled", "you did not divide by sqrt(d); the scores are Q K^T / sqrt(d), d = Q.shape[-1]",
            lambda Q, K: _es("bhnd,bhmd->bhnm", Q, K)),
    Mistake("scaled_by_d", "you divided by d; divide by sqrt(d), the square root of the feature size",
            lambda Q, K: _es("bhnd,bhmd->bhnm", Q, K) / np.shape(Q)[-1]),
    Mistake("scaled_by_keys", "you divided by the square root of the number of keys m; divide by sqrt(d), d = "
            "Q.shape[-1] the feature size", lambda Q, K: _es("bhnd,bhmd->bhnm", Q, K) / np.sqrt(np.shape(K)[-2])),
    Mistake("transposed", "the last two axes are swapped: you computed K Q^T, shape (b, h, m, n); one row per "
            "query: 'bhnd,bhmd->bhnm'", lambda Q, K: _es("bhnd,bhmd->bhmn", Q, K) / np.sqrt(np.shape(Q)[-1])),
    Mistake("heads_mixed", "you gave the heads of K their own letter ('bhnd,bgmd->bhnm'), so each query was scored "
            "against the keys of every head, summed; use the same letter: 'bhnd,bhmd->bhnm'",
            lambda Q, K: _es("bhnd,bgmd->bhnm", Q, K) / np.sqrt(np.shape(Q)[-1])),
    Mistake("summed_heads", "you summed over the heads ('bhnd,bhmd->bnm'); keep h in the output: 'bhnd,bhmd->bhnm'",
            lambda Q, K: _es("bhnd,bhmd->bnm", Q, K) / np.sqrt(np.shape(Q)[-1])),
    Mistake("wrong_index", "you contracted over the positions instead of the features ('bhdn,bhdm->bhnm', i.e. "
            "Q^T K); sum over the LAST axis of both: 'bhnd,bhmd->bhnm'",
            lambda Q, K: _if(np.shape(Q)[-1] == np.shape(Q)[-2] == np.shape(K)[-2],
                             lambda: _es("bhdn,bhdm->bhnm", Q, K) / np.sqrt(np.shape(Q)[-1]))),
]


def _scores_cases(rng):
    b, h = int(rng.integers(2, 4)), int(rng.integers(2, 5))
    n, m, d = int(rng.integers(3, 6)), int(rng.integers(6, 9)), int(rng.integers(9, 17))
    return [
        Case("n = m = d", {"Q": _normal(rng, 2, 3, 4, 4), "K": _normal(rng, 2, 3, 4, 4)}),
        Case("n, m and d all different", {"Q": _normal(rng, b, h, n, d), "K": _normal(rng, b, h, m, d)}),
        Case("one head", {"Q": _normal(rng, b, 1, n, d), "K": _normal(rng, b, 1, m, d)}),
        Case("one query", {"Q": _normal(rng, b, h, 1, d), "K": _normal(rng, b, h, m, d)}),
        Case("large entries", {"Q": _normal(rng, b, h, m, d, scale=300), "K": _normal(rng, b, h, n, d)}),
        Case("float32 input", {"Q": _normal(rng, b, h, n, d).astype(np.float32),
                               "K": _normal(rng, b, h, m, d).astype(np.float32)}),
    ]


check_attention_scores = register(Check(
    id="tensors.attention_scores",
    target="attention_scores",
    summary="attention_scores(Q, K) gives Q K^T / sqrt(d) for every batch and head (tolerance 1e-6 relative to the "
            "largest entry)",
    make_cases=_scores_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _scores_ref, TOL.value, SCORES_MISTAKES,
                                            what="attention_scores(Q, K)"),
    tolerance=TOL,
    kind="value",
    mistakes=SCORES_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# pairwise_sq_distances
# ---------------------------------------------------------------------------------------

_LOOPS = {ast.For: "a `for` loop", ast.AsyncFor: "a `for` loop", ast.While: "a `while` loop",
          ast.ListComp: "a list comprehension", ast.SetComp: "a set comprehension",
          ast.DictComp: "a dict comprehension", ast.GeneratorExp: "a generator expression"}
_LOOP_BUILTINS = {"map": "`map`", "filter": "`filter`"}


def python_loop(cells: list[str], target: str) -> str | None:
    """Where the code of ``target`` (and of every notebook function it names) runs a Python
    loop, or None. The function is read as the notebook defines it last."""
    defs: dict[str, tuple[ast.AST, int]] = {}
    for index, source in enumerate(cells):
        tree = scratch.parse(source)
        if tree is None:
            continue
        for stmt in tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defs[stmt.name] = (stmt, index)
            elif isinstance(stmt, ast.Assign) and isinstance(stmt.value, (ast.Lambda, ast.Name)):
                for t in stmt.targets:
                    if isinstance(t, ast.Name):
                        defs[t.id] = (stmt.value, index)
    queue, seen = [target], set()
    with scratch.AST_LOCK:
        while queue:
            name = queue.pop()
            if name in seen or name not in defs:
                continue
            seen.add(name)
            node, cell = defs[name]
            local = _local_names(node)
            for sub in ast.walk(node):
                where = f"(code cell {cell + 1}, line {getattr(sub, 'lineno', '?')})"
                if type(sub) in _LOOPS:
                    return f"{_LOOPS[type(sub)]} {where}"
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in _LOOP_BUILTINS \
                        and sub.func.id not in defs:
                    return f"{_LOOP_BUILTINS[sub.func.id]}, which runs Python code once per item {where}"
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load) and sub.id not in local:
                    queue.append(sub.id)
    return None


def _local_names(node: ast.AST) -> set[str]:
    """Parameters and assigned names inside a function: not the notebook's globals."""
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.arg):
            names.add(sub.arg)
        elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
    return names


class NoLoopCheck(Check):
    """A check whose function must not run Python loops (see :func:`python_loop`)."""

    def scan(self, code, answers=(0,), own=None):
        verdict = super().scan(code, answers, own)
        if verdict is not None:
            return verdict
        found = python_loop([code] if isinstance(code, str) else list(code), self.target)
        if found is None:
            return None
        return Verdict(False, f"{self.target} must work by broadcasting, without Python loops, but your code has "
                              f"{found}; build all differences at once with X[:, None, :] - Y[None, :, :] and sum "
                              f"over the last axis (or expand |x|^2 + |y|^2 - 2 x.y)", "python_loop")


def _sqdist_ref(X, Y):
    return np.sum((_f64(X)[:, None, :] - _f64(Y)[None, :, :]) ** 2, axis=-1)


def _expanded(X, Y, two=2.0, sign=-1.0):
    X, Y = _f64(X), _f64(Y)
    return np.sum(X ** 2, axis=1)[:, None] + np.sum(Y ** 2, axis=1)[None, :] + sign * two * _es("id,jd->ij", X, Y)


NOT_CLIPPED = ("your squared distances include negative numbers (smallest {low:.2e}): the expansion "
               "|x|^2 + |y|^2 - 2 x.y loses a little to rounding when two points nearly coincide; clip the "
               "result at 0 with np.maximum(D, 0)")

SQDIST_MISTAKES = [
    Mistake("distances", "you returned the distances (you took a square root); return the SQUARED distances",
            lambda X, Y: np.sqrt(_sqdist_ref(X, Y))),
    Mistake("no_factor_two", "you subtracted x.y once; |x - y|^2 = |x|^2 + |y|^2 - 2 x.y (twice the dot product)",
            lambda X, Y: _expanded(X, Y, two=1.0)),
    Mistake("plus_sign", "you added 2 x.y; |x - y|^2 = |x|^2 + |y|^2 - 2 x.y (minus)",
            lambda X, Y: _expanded(X, Y, sign=1.0)),
    Mistake("transposed", "your result is (m, n): you put Y on the rows; D[i, j] is the distance from X[i] to "
            "Y[j], so use X[:, None, :] - Y[None, :, :]", lambda X, Y: _sqdist_ref(X, Y).T),
    Mistake("wrong_axis", "you summed over the points axis instead of the features; sum the squared differences "
            "over the LAST axis, .sum(axis=-1)",
            lambda X, Y: np.sum((_f64(X)[:, None, :] - _f64(Y)[None, :, :]) ** 2, axis=1)),
    Mistake("mean", "you averaged the squared differences over the features; the squared distance is their SUM",
            lambda X, Y: _sqdist_ref(X, Y) / np.shape(X)[1]),
    Mistake("x_twice", "you measured X against itself; D[i, j] is the distance from X[i] to Y[j]",
            lambda X, Y: _sqdist_ref(X, X)),
    Mistake("not_clipped", NOT_CLIPPED.split(":")[0] + "; clip the result at 0 with np.maximum(D, 0)"),
    Mistake("python_loop", "pairwise_sq_distances must work by broadcasting, without Python loops (for, while, "
            "comprehensions, map)"),
]


def _sqdist_judge(cases, outcomes):
    verdict = judge_all(cases, outcomes, _sqdist_ref, TOL.value, SQDIST_MISTAKES, what="pairwise_sq_distances(X, Y)")
    if not verdict.passed:
        return verdict
    for case, outcome in zip(cases, outcomes):
        low = float(np.min(_f64(outcome.value))) if np.size(outcome.value) else 0.0
        if low < 0:
            return Verdict(False, describe_failure(case, NOT_CLIPPED.format(low=low)), "not_clipped")
    return verdict


def _near_copies(rng, n, d, offset):
    """n points far from the origin and, for each, one that differs by rounding-sized noise."""
    X = offset + rng.normal(size=(n, d))
    return X, X[rng.permutation(n)] + 1e-9 * rng.normal(size=(n, d))


def _sqdist_cases(rng):
    n, m, d = int(rng.integers(4, 8)), int(rng.integers(8, 12)), int(rng.integers(2, 6))
    X_near, Y_near = _near_copies(rng, 40, 6, 1e3)
    X_same = 500 + rng.normal(size=(30, 4))
    return [
        Case("square sets (n = m)", {"X": _normal(rng, n, d), "Y": _normal(rng, n, d)}),
        Case("n != m", {"X": _normal(rng, n, d), "Y": _normal(rng, m, d)}),
        Case("one feature", {"X": _normal(rng, m, 1), "Y": _normal(rng, n, 1)}),
        Case("nearly identical points far from the origin", {"X": X_near, "Y": Y_near}),
        Case("identical point sets", {"X": X_same, "Y": X_same.copy()}),
        Case("float32 input", {"X": _normal(rng, n, d).astype(np.float32), "Y": _normal(rng, m, d).astype(np.float32)}),
    ]


check_pairwise_sq_distances = register(NoLoopCheck(
    id="tensors.pairwise_sq_distances",
    target="pairwise_sq_distances",
    summary="pairwise_sq_distances(X, Y) gives every squared distance, none below 0, with no Python loops "
            "(tolerance 1e-6 relative to the largest entry)",
    make_cases=_sqdist_cases,
    judge=_sqdist_judge,
    tolerance=TOL,
    kind="value",
    mistakes=SQDIST_MISTAKES,
    forbidden=(NO_LOOP_ROUTINES, NO_FUNCTOOLS_REDUCE),
)).runner()


# ---------------------------------------------------------------------------------------
# broadcast_shape
# ---------------------------------------------------------------------------------------

ERROR = "ValueError"


def _shape_ref(s, t):
    try:
        return tuple(int(x) for x in np.broadcast_shapes(tuple(s), tuple(t)))
    except ValueError:
        return ERROR


def _pad(s, t, left=True):
    s, t = tuple(s), tuple(t)
    n = max(len(s), len(t))
    if left:
        return (1,) * (n - len(s)) + s, (1,) * (n - len(t)) + t
    return s + (1,) * (n - len(s)), t + (1,) * (n - len(t))


def _axis(a, b):
    if a == b or b == 1:
        return a
    if a == 1:
        return b
    return None


def _by_axis(pairs, rule):
    out = []
    for a, b in pairs:
        r = rule(a, b)
        if r is None:
            return ERROR
        out.append(r)
    return tuple(out)


SHAPE_MISTAKES = [
    Mistake("left_aligned", "you lined the shapes up from the LEFT; NumPy compares them from the RIGHT (trailing "
            "axes first) and pads the shorter one with 1s on the left",
            lambda s, t: _by_axis(zip(*_pad(s, t, left=False)), _axis)),
    Mistake("zero_as_one", "an axis of length 1 stretches to the other length, even to 0: (0,) with (1,) gives "
            "(0,), not (1,) (you took the max)",
            lambda s, t: _by_axis(zip(*_pad(s, t)), lambda a, b: max(a, b) if 1 in (a, b) else _axis(a, b))),
    Mistake("max_not_error", "you returned the larger length where two axes differ and neither is 1; such shapes "
            "cannot broadcast: raise ValueError",
            lambda s, t: _by_axis(zip(*_pad(s, t)), max)),
    Mistake("truncated", "you dropped the extra leading axes of the longer shape (zip stops at the shorter one); "
            "pad the shorter shape with 1s on the left instead",
            lambda s, t: (lambda r: r if r == ERROR else r[::-1])(
                _by_axis(zip(tuple(s)[::-1], tuple(t)[::-1]), _axis))),
    Mistake("reversed", "your shape comes out reversed: you worked from the last axis to the first but did not turn "
            "the result back around", lambda s, t: (lambda r: r if r == ERROR else r[::-1])(
                _by_axis(zip(*_pad(s, t)), _axis))),
    Mistake("same_length_only", "you raised an error because the shapes have different numbers of axes; pad the "
            "shorter shape with 1s on the LEFT and carry on",
            lambda s, t: ERROR if len(s) != len(t) else _by_axis(zip(s, t), _axis)),
    Mistake("equal_only", "you raised an error for axes of different lengths where one of them is 1; an axis of "
            "length 1 stretches to match the other",
            lambda s, t: _by_axis(zip(*_pad(s, t)), lambda a, b: a if a == b else None)),
    Mistake("wrong_exception", "for incompatible shapes raise ValueError (e.g. raise ValueError(\"cannot "
            "broadcast\")), not another kind of error"),
    Mistake("no_error", "for incompatible shapes your function returned instead of raising; raise ValueError"),
]


def _read_shape(outcome):
    """The returned shape as a tuple of ints, or None if it is not one."""
    value = outcome.value
    items = value if isinstance(value, tuple) else (list(np.ravel(value)) if isinstance(value, np.ndarray)
                                                    and value.ndim == 1 else None)
    if items is None:
        return None
    out = []
    for v in items:
        v = np.asarray(v)
        if v.ndim != 0 or v.dtype.kind not in "iuf" or float(v) != int(v):
            return None
        out.append(int(v))
    return tuple(out)


def _judge_shape_case(case, outcome):
    s, t = case.args["s"], case.args["t"]
    expected = _shape_ref(s, t)
    if outcome.error and not outcome.kind:
        received = ERROR if outcome.error.startswith("ValueError") else None
        if received is None:
            if expected == ERROR:
                return Verdict(False, describe_failure(case, f"{SHAPE_MISTAKES[-2].message}; you raised "
                                                             f"{outcome.error.split(':')[0]}"), "wrong_exception")
            return Verdict(False, describe_failure(case, f"your code raised an error: {outcome.error}"), "error")
    elif outcome.error:
        if expected == ERROR and outcome.kind == "NoneType":
            return Verdict(False, describe_failure(case, SHAPE_MISTAKES[-1].message + " (you returned None)"),
                           "no_error")
        return Verdict(False, describe_failure(case, f"broadcast_shape(s, t) cannot be used: {outcome.error}"),
                       "wrong_type")
    else:
        received = _read_shape(outcome)
        if received is None:
            return Verdict(False, describe_failure(
                case, f"broadcast_shape(s, t) should return a tuple of ints, but returned {outcome.kind}"), "wrong_type")
    if received == expected:
        return Verdict.ok()
    for mistake in SHAPE_MISTAKES:
        if mistake.compute is None:
            continue
        wrong = mistake.compute(s, t)
        if wrong != expected and wrong == received:
            extra = "" if received == ERROR else f" (expected {expected}, received {received})"
            return Verdict(False, describe_failure(case, mistake.message + extra), mistake.name)
    if expected == ERROR:
        return Verdict(False, describe_failure(case, f"{SHAPE_MISTAKES[-1].message}; you returned {received}"),
                       "no_error")
    if received == ERROR:
        return Verdict(False, describe_failure(case, f"you raised ValueError, but these shapes broadcast to {expected}"),
                       "wrong_value")
    return Verdict(False, describe_failure(case, f"broadcast_shape(s, t) is wrong: expected {expected}, received "
                                                 f"{received}"), "wrong_value")


_judge_shapes = each_case(_judge_shape_case)


def _random_pair(rng, compatible: bool):
    """Two shapes of 0 to 4 axes with lengths in {0, 1, 2, 3, 5}, compatible or not."""
    while True:
        n = int(rng.integers(1, 5))
        s = [int(rng.choice([0, 1, 2, 3, 5])) for _ in range(n)]
        t = [a if rng.random() < 0.4 else (1 if rng.random() < 0.5 else int(rng.choice([0, 2, 3, 5]))) for a in s]
        for i in range(n):
            if rng.random() < 0.3:
                s[i], t[i] = t[i], s[i]
        t = t[int(rng.integers(0, n + 1)):] if rng.random() < 0.7 else t
        if rng.random() < 0.5:
            s, t = t, s
        if (_shape_ref(s, t) != ERROR) == compatible:
            return tuple(s), tuple(t)


def _shape_cases(rng):
    a, b, c = (int(x) for x in rng.choice([2, 3, 4, 5, 6, 7], size=3, replace=False))
    cases = [
        Case("a column and a row", {"s": (a, 1), "t": (1, b)}),
        Case("a column and a vector", {"s": (a, 1), "t": (a,)}),
        Case("a matrix and a row vector", {"s": (a, b), "t": (b,)}),
        Case("a batch of matrices and one matrix", {"s": (c, a, b), "t": (a, 1)}),
        Case("a scalar shape () and a shape", {"s": (), "t": (a, b)}),
        Case("a length-1 axis inside", {"s": (c, 1, b), "t": (a, 1)}),
        Case("incompatible trailing axes", {"s": (a, b), "t": (c,)}),
        Case("incompatible after padding", {"s": (c, a, b), "t": (b, a, b)}),
        Case("incompatible equal-length shapes", {"s": (a, 1, b), "t": (a, c, c)}),
        Case("a 0-length axis with a 1-length axis", {"s": (0, b), "t": (1, 1)}),
        Case("a 0-length axis with 0", {"s": (a, 0), "t": (0,)}),
        Case("a 0-length axis with another length", {"s": (0,), "t": (a,)}),
    ]
    cases += [Case("fresh random shapes (compatible)", dict(zip("st", _random_pair(rng, True)))) for _ in range(6)]
    cases += [Case("fresh random shapes (incompatible)", dict(zip("st", _random_pair(rng, False)))) for _ in range(3)]
    return cases


check_broadcast_shape = register(Check(
    id="tensors.broadcast_shape",
    target="broadcast_shape",
    summary="broadcast_shape(s, t) follows NumPy's broadcasting rule and raises ValueError for incompatible shapes "
            "(exact)",
    make_cases=_shape_cases,
    judge=_judge_shapes,
    tolerance=SHAPE_TOL,
    kind="value",
    mistakes=SHAPE_MISTAKES,
    forbidden=NO_BROADCAST_HELPERS,
)).runner()
