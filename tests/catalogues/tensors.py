"""Correct variants and catalogued mistakes for the 12-tensors checks.

Each code string defines the student's function as a solution cell would; every mistake must
be reported by its own name, with the given words in the message, on seeds 0, 1 and 2.
"""

from textwrap import dedent


def _c(code: str) -> str:
    return "import numpy as np\n" + dedent(code).strip() + "\n"


def _f(head: str, body: str) -> str:
    """One function: its def line and a one-line (or indented) body."""
    return _c(head) + "".join(f"    {line}\n" for line in dedent(body).strip().splitlines())


BMM = "def batched_matmul(A, B):"
TR = "def trace_einsum(A):"
OU = "def outer(u, v):"
BL = "def bilinear(x, A, y):"
AS = "def attention_scores(Q, K):"
SQ = "def pairwise_sq_distances(X, Y):"
BS = "def broadcast_shape(s, t):"

CORRECT = {
    "tensors.batched_matmul": [
        ("einsum", _f(BMM, "return np.einsum('bij,bjk->bik', A, B)")),
        ("einsum, other letters", _f(BMM, "return np.einsum('...nk,...km->...nm', A, B)")),
        ("einsum with optimize", _f(BMM, "return np.einsum('bij,bjk->bik', A, B, optimize=True)")),
        ("broadcast and sum", _f(BMM, "return (A[:, :, :, None] * B[:, None, :, :]).sum(axis=2)")),
        ("einsum per batch, in a loop", _f(BMM, """
            out = np.zeros((A.shape[0], A.shape[1], B.shape[2]))
            for i in range(A.shape[0]):
                out[i] = np.einsum('ij,jk->ik', A[i], B[i])
            return out
            """)),
        ("float32 kept", _f(BMM, "return np.einsum('bij,bjk->bik', A.astype(np.float32), B.astype(np.float32))")),
        ("torch einsum", "import torch\n" + _f(BMM, """
            return torch.einsum('bij,bjk->bik', torch.as_tensor(A, dtype=torch.float64),
                                torch.as_tensor(B, dtype=torch.float64)).numpy()
            """)),
    ],
    "tensors.trace_einsum": [
        ("einsum", _f(TR, "return np.einsum('ii->', A)")),
        ("einsum implicit", _f(TR, "return float(np.einsum('ii', A))")),
        ("np.trace", _f(TR, "return np.trace(A)")),
        ("loop", _f(TR, "return sum(A[i, i] for i in range(len(A)))")),
        ("diagonal sum", _f(TR, "return np.diagonal(A).sum()")),
    ],
    "tensors.outer": [
        ("einsum", _f(OU, "return np.einsum('i,j->ij', u, v)")),
        ("np.outer", _f(OU, "return np.outer(u, v)")),
        ("broadcasting", _f(OU, "return u[:, None] * v[None, :]")),
        ("loops", _f(OU, """
            out = np.empty((len(u), len(v)))
            for i in range(len(u)):
                for j in range(len(v)):
                    out[i, j] = u[i] * v[j]
            return out
            """)),
        ("matrix product of a column and a row", _f(OU, "return u.reshape(-1, 1) @ v.reshape(1, -1)")),
    ],
    "tensors.bilinear": [
        ("einsum", _f(BL, "return np.einsum('bi,ij,bj->b', x, A, y)")),
        ("matmul then sum", _f(BL, "return np.sum((x @ A) * y, axis=1)")),
        ("two einsums", _f(BL, "return np.einsum('bj,bj->b', np.einsum('bi,ij->bj', x, A), y)")),
        ("loop over rows", _f(BL, "return np.array([x[b] @ A @ y[b] for b in range(len(x))])")),
        ("diagonal of x A y^T", _f(BL, "return np.diag(x @ A @ y.T)")),
    ],
    "tensors.attention_scores": [
        ("einsum", _f(AS, "return np.einsum('bhnd,bhmd->bhnm', Q, K) / np.sqrt(Q.shape[-1])")),
        ("matmul with swapaxes", _f(AS, "return Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])")),
        ("scale the queries first", _f(AS, "return np.einsum('bhnd,bhmd->bhnm', Q / Q.shape[-1] ** 0.5, K)")),
        ("loops over batch and head", _f(AS, """
            b, h, n, d = Q.shape
            out = np.zeros((b, h, n, K.shape[2]))
            for i in range(b):
                for j in range(h):
                    out[i, j] = Q[i, j] @ K[i, j].T / np.sqrt(d)
            return out
            """)),
        ("torch", "import torch, math\n" + _f(AS, """
            q, k = torch.as_tensor(Q), torch.as_tensor(K)
            return (q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])).numpy()
            """)),
    ],
    "tensors.pairwise_sq_distances": [
        ("broadcast differences", _f(SQ, "return ((X[:, None, :] - Y[None, :, :]) ** 2).sum(axis=-1)")),
        ("expansion, clipped", _f(SQ, """
            D = (X ** 2).sum(1)[:, None] + (Y ** 2).sum(1)[None, :] - 2 * X @ Y.T
            return np.maximum(D, 0)
            """)),
        ("einsum expansion, clipped", _f(SQ, """
            D = np.einsum('id,id->i', X, X)[:, None] + np.einsum('jd,jd->j', Y, Y) - 2 * np.einsum('id,jd->ij', X, Y)
            return np.clip(D, 0, None)
            """)),
        ("einsum on differences", _f(SQ, """
            diff = X[:, None, :] - Y[None, :, :]
            return np.einsum('ijd,ijd->ij', diff, diff)
            """)),
        ("expansion in the input's dtype, clipped in place", _f(SQ, """
            D = (X * X).sum(1, keepdims=True) + (Y * Y).sum(1) - 2 * X @ Y.T
            D[D < 0] = 0
            return D
            """)),
        ("ufunc reduction", _f(SQ, "return np.add.reduce((X[:, None, :] - Y[None, :, :]) ** 2, axis=-1)")),
        ("a helper without loops", _c("""
            def _sq_norms(Z):
                return (Z ** 2).sum(axis=1)
            def pairwise_sq_distances(X, Y):
                return np.maximum(_sq_norms(X)[:, None] + _sq_norms(Y)[None, :] - 2 * X @ Y.T, 0.0)
            """)),
    ],
    "tensors.broadcast_shape": [
        ("pad then compare", _f(BS, """
            n = max(len(s), len(t))
            s = (1,) * (n - len(s)) + tuple(s)
            t = (1,) * (n - len(t)) + tuple(t)
            out = []
            for a, b in zip(s, t):
                if a == b or b == 1:
                    out.append(a)
                elif a == 1:
                    out.append(b)
                else:
                    raise ValueError(f"cannot broadcast {s} and {t}")
            return tuple(out)
            """)),
        ("from the right, reversed at the end", "from itertools import zip_longest\n" + _f(BS, """
            out = []
            for a, b in zip_longest(reversed(s), reversed(t), fillvalue=1):
                if a != b and 1 not in (a, b):
                    raise ValueError("incompatible shapes")
                out.append(b if a == 1 else a)
            return tuple(out[::-1])
            """)),
        ("negative indices, a list", _f(BS, """
            n = max(len(s), len(t))
            res = [0] * n
            for i in range(1, n + 1):
                a = s[-i] if i <= len(s) else 1
                b = t[-i] if i <= len(t) else 1
                if a != 1 and b != 1 and a != b:
                    raise ValueError("shapes do not broadcast")
                res[n - i] = b if a == 1 else a
            return res
            """)),
        ("recursive", _c("""
            def broadcast_shape(s, t):
                if not s or not t:
                    return tuple(s) or tuple(t)
                a, b = s[-1], t[-1]
                if a != b and a != 1 and b != 1:
                    raise ValueError("incompatible")
                return broadcast_shape(s[:-1], t[:-1]) + (b if a == 1 else a,)
            """)),
    ],
}

# Shared pieces of wrong answers.
_PAD = """
    n = max(len(s), len(t))
    s = (1,) * (n - len(s)) + tuple(s)
    t = (1,) * (n - len(t)) + tuple(t)
"""


def _rule(body: str, pad: str = _PAD, ret: str = "return tuple(out)") -> str:
    return _f(BS, dedent(pad).strip() + "\nout = []\nfor a, b in zip(s, t):\n" + "".join(
        f"    {line}\n" for line in dedent(body).strip().splitlines()) + ret)


_CORRECT_AXIS = """
    if a == b or b == 1:
        out.append(a)
    elif a == 1:
        out.append(b)
    else:
        raise ValueError("incompatible")
"""

MISTAKES = {
    "tensors.batched_matmul": [
        ("batch_summed", _f(BMM, "return np.einsum('bij,cjk->bik', A, B)"), "own letter"),
        ("swapped_order", _f(BMM, "return np.einsum('bij,bjk->bik', B, A)"), "do not commute"),
        ("transposed_output", _f(BMM, "return np.einsum('bij,bjk->bki', A, B)"), "swapped"),
        ("wrong_index", _f(BMM, "return np.einsum('bji,bjk->bik', A, B)"), "wrong index"),
        ("elementwise", _f(BMM, "return A * B"), "entry by entry"),
        ("summed_over_batch", _f(BMM, "return np.einsum('bij,bjk->ik', A, B)"), "summed over the batch"),
        ("first_only", _f(BMM, "return np.einsum('ij,jk->ik', A[0], B[0])"), "first pair"),
        ("library_used", _f(BMM, "return A @ B"), "@"),
        ("library_used", "from numpy import matmul as multiply_batches\n" + _f(BMM, "return multiply_batches(A, B)"),
         "np.matmul"),
        ("library_used", _c("""
            def _helper(a, b):
                return np.tensordot(a, b, axes=(1, 0))
            def batched_matmul(A, B):
                return np.stack([_helper(a, b) for a, b in zip(A, B)])
            """), "tensordot"),
        ("error", _f(BMM, "raise NotImplementedError()"), "not answered yet"),
    ],
    "tensors.trace_einsum": [
        ("diagonal", _f(TR, "return np.einsum('ii->i', A)"), "diagonal"),
        ("all_entries", _f(TR, "return np.einsum('ij->', A)"), "every entry"),
        ("frobenius", _f(TR, "return np.einsum('ij,ij->', A, A)"), "Frobenius"),
        ("mean_diagonal", _f(TR, "return np.einsum('ii->i', A).mean()"), "mean"),
        ("anti_diagonal", _f(TR, "return np.einsum('ii->', A[:, ::-1])"), "anti-diagonal"),
        ("trace_of_square", _f(TR, "return np.einsum('ij,ji->', A, A)"), "A @ A"),
        ("product", _f(TR, "return np.prod(np.einsum('ii->i', A))"), "multiplied"),
    ],
    "tensors.outer": [
        ("transposed", _f(OU, "return np.einsum('i,j->ji', u, v)"), "(m, n)"),
        ("inner", _f(OU, "return np.einsum('i,i->', u, v)"), "dot product"),
        ("elementwise", _f(OU, "return u * v"), "entry by entry"),
        ("added", _f(OU, "return u[:, None] + v[None, :]"), "added"),
        ("same_vector", _f(OU, "return np.einsum('i,j->ij', u, u)"), "by itself"),
        ("flattened", _f(OU, "return np.outer(u, v).ravel()"), "flat"),
    ],
    "tensors.bilinear": [
        ("all_pairs", _f(BL, "return np.einsum('bi,ij,cj->bc', x, A, y)"), "every pair"),
        ("summed_batch", _f(BL, "return np.einsum('bi,ij,bj->', x, A, y)"), "one number"),
        ("transposed_A", _f(BL, "return np.einsum('bi,ji,bj->b', x, A, y)"), "transposed"),
        ("x_twice", _f(BL, "return np.einsum('bi,ij,bj->b', x, A, x)"), "x^T A x"),
        ("no_matrix", _f(BL, "return np.einsum('bi,bi->b', x, y)"), "left A out"),
        ("not_summed", _f(BL, "return np.einsum('bi,ij,bj->bi', x, A, y)"), "kept the index i"),
    ],
    "tensors.attention_scores": [
        ("not_scaled", _f(AS, "return np.einsum('bhnd,bhmd->bhnm', Q, K)"), "sqrt(d)"),
        ("scaled_by_d", _f(AS, "return np.einsum('bhnd,bhmd->bhnm', Q, K) / Q.shape[-1]"), "divided by d"),
        ("scaled_by_keys", _f(AS, "return np.einsum('bhnd,bhmd->bhnm', Q, K) / np.sqrt(K.shape[2])"), "number of keys"),
        ("transposed", _f(AS, "return np.einsum('bhnd,bhmd->bhmn', Q, K) / np.sqrt(Q.shape[-1])"), "K Q^T"),
        ("heads_mixed", _f(AS, "return np.einsum('bhnd,bgmd->bhnm', Q, K) / np.sqrt(Q.shape[-1])"), "every head"),
        ("summed_heads", _f(AS, "return np.einsum('bhnd,bhmd->bnm', Q, K) / np.sqrt(Q.shape[-1])"), "keep h"),
        ("wrong_index", _f(AS, "return np.einsum('bhdn,bhdm->bhnm', Q, K) / np.sqrt(Q.shape[-1])"), "positions"),
    ],
    "tensors.pairwise_sq_distances": [
        ("not_clipped", _f(SQ, "return (X ** 2).sum(1)[:, None] + (Y ** 2).sum(1)[None, :] - 2 * X @ Y.T"),
         "np.maximum(D, 0)"),
        ("distances", _f(SQ, "return np.sqrt(((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1))"), "SQUARED"),
        ("no_factor_two", _f(SQ, "return np.maximum((X ** 2).sum(1)[:, None] + (Y ** 2).sum(1) - X @ Y.T, 0)"),
         "twice"),
        ("plus_sign", _f(SQ, "return (X ** 2).sum(1)[:, None] + (Y ** 2).sum(1) + 2 * X @ Y.T"), "minus"),
        ("transposed", _f(SQ, "return ((Y[:, None, :] - X[None, :, :]) ** 2).sum(-1)"), "(m, n)"),
        ("wrong_axis", _f(SQ, "return ((X[:, None, :] - Y[None, :, :]) ** 2).sum(axis=1)"), "LAST axis"),
        ("mean", _f(SQ, "return ((X[:, None, :] - Y[None, :, :]) ** 2).mean(axis=-1)"), "averaged"),
        ("x_twice", _f(SQ, "return ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)"), "against itself"),
        ("python_loop", _f(SQ, """
            D = np.zeros((len(X), len(Y)))
            for i in range(len(X)):
                D[i] = ((X[i] - Y) ** 2).sum(axis=1)
            return D
            """), "`for` loop"),
        ("python_loop", _f(SQ, "return np.array([[((x - y) ** 2).sum() for y in Y] for x in X])"),
         "list comprehension"),
        ("python_loop", _c("""
            def _all_rows(X, Y):
                D, i = np.zeros((len(X), len(Y))), 0
                while i < len(X):
                    D[i] = ((X[i] - Y) ** 2).sum(axis=1)
                    i += 1
                return D
            row_distances = _all_rows
            def pairwise_sq_distances(X, Y):
                return row_distances(X, Y)
            """), "`while` loop"),
        ("python_loop", _c("""
            def _dist_to(Y):
                return lambda x: ((x - Y) ** 2).sum(axis=1)
            def pairwise_sq_distances(X, Y):
                return np.array(list(map(_dist_to(Y), X)))
            """), "`map`"),
        ("library_used", "from scipy.spatial import distance as dist_tools\n" + _f(
            SQ, "return dist_tools.cdist(X, Y, 'sqeuclidean')"), "cdist"),
        ("library_used", "import numpy\nvec = numpy.vectorize\n" + _f(
            SQ, "f = vec(lambda i, j: ((X[i] - Y[j]) ** 2).sum())\nreturn f(*np.indices((len(X), len(Y))))"),
         "vectorize"),
        ("library_used", "from functools import reduce as fold\n" + _f(
            SQ, "return fold(lambda acc, k: acc + (X[:, None, k] - Y[None, :, k]) ** 2, range(X.shape[1]), 0.0)"),
         "functools.reduce"),
    ],
    "tensors.broadcast_shape": [
        ("left_aligned", _rule(_CORRECT_AXIS, pad="""
            n = max(len(s), len(t))
            s = tuple(s) + (1,) * (n - len(s))
            t = tuple(t) + (1,) * (n - len(t))
            """), "LEFT"),
        ("max_not_error", _rule("out.append(max(a, b))"), "cannot broadcast"),
        ("zero_as_one", _rule("""
            if a != b and 1 not in (a, b):
                raise ValueError("incompatible")
            out.append(max(a, b))
            """), "even to 0"),
        ("truncated", _rule(_CORRECT_AXIS, pad="s, t = s[::-1], t[::-1]", ret="return tuple(out[::-1])"),
         "leading axes"),
        ("reversed", _rule(_CORRECT_AXIS, pad=dedent(_PAD) + "s, t = s[::-1], t[::-1]\n"), "reversed"),
        ("equal_only", _rule("""
            if a != b:
                raise ValueError("incompatible")
            out.append(a)
            """), "length 1 stretches"),
        ("same_length_only", _rule(_CORRECT_AXIS, pad="""
            if len(s) != len(t):
                raise ValueError("different numbers of axes")
            """), "numbers of axes"),
        ("wrong_exception", _rule("""
            assert a == b or 1 in (a, b), "incompatible"
            out.append(b if a == 1 else a)
            """), "AssertionError"),
        ("no_error", _rule("""
            if a != b and 1 not in (a, b):
                return None
            out.append(b if a == 1 else a)
            """), "returned None"),
        ("library_used", _f(BS, "return np.broadcast_shapes(s, t)"), "broadcast_shapes"),
        ("library_used", "from numpy import zeros as blank\n" + _f(BS, "return (blank(s) + blank(t)).shape"),
         "zeros"),
        ("error", _f(BS, "raise NotImplementedError()"), "not answered yet"),
    ],
}
