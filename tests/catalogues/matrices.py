"""Correct variants and catalogued mistakes for the 02-matrices checks.

Each code string defines the student's function as a solution cell would; every mistake must
be reported by its own name, with the given words in the message, on seeds 0, 1 and 2.
"""

from textwrap import dedent


def _code(text: str) -> str:
    return dedent(text).strip() + "\n"


# A loop matmul whose innermost line (and shape check) can be swapped for a wrong one.
_MATMUL = """
    import numpy as np
    def matmul(A, B):
        A = np.asarray(A, dtype=float)
        B = np.asarray(B, dtype=float)
        {check}
        n, k = A.shape
        m = B.shape[1]
        C = np.zeros(({rows}, {cols}))
        for i in range(n):
            for j in range(m):
                total = 0.0
                for p in range({inner}):
                    total += {term}
                C[{at}] = total
        return C
"""
_CHECK = "if A.shape[1] != B.shape[0]:\n            raise ValueError('A has %d columns but B has %d rows' % (A.shape[1], B.shape[0]))"


def _matmul(check=_CHECK, rows="n", cols="m", inner="k", term="A[i, p] * B[p, j]", at="i, j") -> str:
    return _code(_MATMUL.format(check=check, rows=rows, cols=cols, inner=inner, term=term, at=at))


def _one(name: str, body: str, header: str = "import numpy as np") -> str:
    return _code(header) + _code(body)


CORRECT = {
    "matrices.matmul": [
        ("triple loop", _matmul()),
        ("row times column with sum", _code("""
            import numpy as np
            def matmul(A, B):
                A, B = np.asarray(A), np.asarray(B)
                if A.shape[1] != B.shape[0]:
                    raise ValueError("incompatible shapes")
                C = np.empty((A.shape[0], B.shape[1]))
                for i in range(A.shape[0]):
                    for j in range(B.shape[1]):
                        C[i, j] = np.sum(A[i, :] * B[:, j])
                return C
        """)),
        ("broadcast over one loop", _code("""
            import numpy as np
            def matmul(A, B):
                A = np.asarray(A, dtype=float)
                B = np.asarray(B, dtype=float)
                if A.shape[1] != B.shape[0]:
                    raise ValueError(f"cannot multiply {A.shape} by {B.shape}")
                C = np.zeros((A.shape[0], B.shape[1]))
                for p in range(A.shape[1]):
                    C += A[:, p:p + 1] * B[p:p + 1, :]
                return C
        """)),
        ("nested lists", _code("""
            def matmul(A, B):
                A, B = [list(r) for r in A], [list(r) for r in B]
                if len(A[0]) != len(B):
                    raise ValueError("inner dimensions differ")
                return [[sum(float(A[i][p]) * float(B[p][j]) for p in range(len(B))) for j in range(len(B[0]))]
                        for i in range(len(A))]
        """)),
        ("float32 accumulation", _code("""
            import numpy as np
            def matmul(A, B):
                if A.shape[1] != B.shape[0]:
                    raise ValueError("shapes")
                C = np.zeros((A.shape[0], B.shape[1]), dtype=np.result_type(A, B, np.float32))
                for i in range(A.shape[0]):
                    for j in range(B.shape[1]):
                        C[i, j] = (A[i] * B[:, j]).sum()
                return C
        """)),
    ],
    "matrices.rotation": [
        ("numpy array", "import numpy as np\ndef rotation(theta):\n    c, s = np.cos(theta), np.sin(theta)\n"
                        "    return np.array([[c, -s], [s, c]])\n"),
        ("math module and lists", "import math\ndef rotation(theta):\n"
                                  "    return [[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]]\n"),
        ("columns are the images of e1 and e2", "import numpy as np\ndef rotation(theta):\n"
         "    e1 = np.array([np.cos(theta), np.sin(theta)])\n    e2 = np.array([-np.sin(theta), np.cos(theta)])\n"
         "    return np.column_stack([e1, e2])\n"),
        ("via complex numbers", "import numpy as np\ndef rotation(theta):\n    z = np.exp(1j * theta)\n"
                                "    return np.array([[z.real, -z.imag], [z.imag, z.real]])\n"),
    ],
    "matrices.scaling": [
        ("np.diag", "import numpy as np\ndef scaling(sx, sy):\n    return np.diag([sx, sy]).astype(float)\n"),
        ("array literal", "import numpy as np\ndef scaling(sx, sy):\n    return np.array([[sx, 0], [0, sy]])\n"),
        ("identity times factors", "import numpy as np\ndef scaling(sx, sy):\n    return np.eye(2) * np.array([sx, sy])\n"),
    ],
    "matrices.shear": [
        ("array literal", "import numpy as np\ndef shear(k):\n    return np.array([[1.0, k], [0.0, 1.0]])\n"),
        ("identity plus k", "import numpy as np\ndef shear(k):\n    S = np.eye(2)\n    S[0, 1] = k\n    return S\n"),
        ("list of lists", "def shear(k):\n    return [[1, k], [0, 1]]\n"),
    ],
    "matrices.compose": [
        ("loop, new matrix on the left", "import numpy as np\ndef compose(*mats):\n    M = np.asarray(mats[0])\n"
                                         "    for A in mats[1:]:\n        M = A @ M\n    return M\n"),
        ("functools.reduce", "from functools import reduce\ndef compose(*mats):\n"
                             "    return reduce(lambda acc, m: m @ acc, mats)\n"),
        ("multi_dot of the reversed list", "import numpy as np\ndef compose(*mats):\n"
                                           "    return mats[0] if len(mats) == 1 else np.linalg.multi_dot(mats[::-1])\n"),
        ("identity then matmul", "import numpy as np\ndef compose(*mats):\n    M = np.eye(len(mats[0]))\n"
                                 "    for A in mats:\n        M = np.matmul(A, M)\n    return M\n"),
    ],
    "matrices.gram": [
        ("X.T @ X", "import numpy as np\ndef gram(X):\n    X = np.asarray(X, dtype=float)\n    return X.T @ X\n"),
        ("einsum", "import numpy as np\ndef gram(X):\n    return np.einsum('ni,nj->ij', X, X)\n"),
        ("loops over columns", _code("""
            import numpy as np
            def gram(X):
                X = np.asarray(X, dtype=float)
                d = X.shape[1]
                G = np.zeros((d, d))
                for i in range(d):
                    for j in range(d):
                        G[i, j] = np.sum(X[:, i] * X[:, j])
                return G
        """)),
        ("sum of outer products of rows", "import numpy as np\ndef gram(X):\n"
                                          "    return sum(np.outer(x, x) for x in X)\n"),
    ],
    "matrices.dense_layer": [
        ("X @ W.T + b", "import numpy as np\ndef dense_layer(X, W, b):\n    return X @ W.T + b\n"),
        ("(W @ X.T).T + b", "import numpy as np\ndef dense_layer(X, W, b):\n    return (W @ X.T).T + b[None, :]\n"),
        ("einsum", "import numpy as np\ndef dense_layer(X, W, b):\n    return np.einsum('ni,oi->no', X, W) + b\n"),
        ("one row at a time", _code("""
            import numpy as np
            def dense_layer(X, W, b):
                return np.stack([W @ x + b for x in X])
        """)),
        ("torch linear", _code("""
            import numpy as np
            import torch
            def dense_layer(X, W, b):
                out = torch.nn.functional.linear(torch.as_tensor(X, dtype=torch.float64),
                                                 torch.as_tensor(W, dtype=torch.float64),
                                                 torch.as_tensor(b, dtype=torch.float64))
                return out.numpy()
        """)),
    ],
}

MISTAKES = {
    "matrices.matmul": [
        ("transposed", _matmul(rows="m", cols="n", at="j, i"), "transposed"),
        ("reversed", _code("""
            import numpy as np
            def matmul(A, B):
                A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
                if A.shape[1] != B.shape[0]:
                    raise ValueError("shapes")
                C = np.zeros((B.shape[0], A.shape[1]))
                for i in range(B.shape[0]):
                    for j in range(A.shape[1]):
                        C[i, j] = sum(B[i, p] * A[p, j] for p in range(B.shape[1]))
                return C
        """), "B @ A"),
        ("elementwise", _code("""
            import numpy as np
            def matmul(A, B):
                if A.shape[1] != B.shape[0]:
                    raise ValueError("shapes")
                return np.asarray(A, dtype=float) * np.asarray(B, dtype=float)
        """), "entry by entry"),
        ("b_rows", _matmul(term="A[i, p] * B[j, p]"), "ROWS of B"),
        ("skipped_last_term", _matmul(inner="k - 1"), "range(A.shape[1] - 1)"),
        ("running_total", _code("""
            import numpy as np
            def matmul(A, B):
                A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
                if A.shape[1] != B.shape[0]:
                    raise ValueError("shapes")
                C = np.zeros((A.shape[0], B.shape[1]))
                for i in range(A.shape[0]):
                    total = 0.0
                    for j in range(B.shape[1]):
                        for p in range(A.shape[1]):
                            total += A[i, p] * B[p, j]
                        C[i, j] = total
                return C
        """), "not reset"),
        ("no_shape_check", _matmul(check="pass"), "raise ValueError"),
        ("no_shape_check", _matmul(check="assert A.shape[1] == B.shape[0]"), "it raised AssertionError"),
        ("library_used", "import numpy as np\ndef matmul(A, B):\n    return A @ B\n", "from scratch"),
        ("library_used", "import numpy as np\ndef matmul(A, B):\n    return np.einsum('ik,kj->ij', A, B)\n",
         "from scratch"),
        ("error", "def matmul(A, B):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "matrices.rotation": [
        ("clockwise", "import numpy as np\ndef rotation(theta):\n    c, s = np.cos(theta), np.sin(theta)\n"
                      "    return np.array([[c, s], [-s, c]])\n", "clockwise"),
        ("degrees", "import numpy as np\ndef rotation(theta):\n    t = np.radians(theta)\n"
                    "    return np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])\n", "radians"),
        ("sin_cos_swapped", "import numpy as np\ndef rotation(t):\n"
                            "    return np.array([[np.sin(t), -np.cos(t)], [np.cos(t), np.sin(t)]])\n", "swapped"),
        ("no_minus", "import numpy as np\ndef rotation(t):\n"
                     "    return np.array([[np.cos(t), np.sin(t)], [np.sin(t), np.cos(t)]])\n", "minus sign"),
        ("two_minus", "import numpy as np\ndef rotation(t):\n"
                      "    return np.array([[np.cos(t), -np.sin(t)], [-np.sin(t), np.cos(t)]])\n", "both"),
        ("twice_the_angle", "import numpy as np\ndef rotation(theta):\n    t = 2 * theta\n"
                            "    return np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])\n", "2 * theta"),
        ("error", "def rotation(theta):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "matrices.scaling": [
        ("swapped", "import numpy as np\ndef scaling(sx, sy):\n    return np.array([[sy, 0], [0, sx]])\n", "swapped"),
        ("inverse", "import numpy as np\ndef scaling(sx, sy):\n    return np.diag([1 / sx, 1 / sy])\n", "1 / sx"),
        ("factors_everywhere", "import numpy as np\ndef scaling(sx, sy):\n    return np.array([[sx, sy], [sx, sy]])\n",
         "off-diagonal"),
        ("vector", "import numpy as np\ndef scaling(sx, sy):\n    return np.array([sx, sy])\n", "2x2 matrix"),
        ("one_factor", "import numpy as np\ndef scaling(sx, sy):\n    return sx * np.eye(2)\n", "by sx"),
        ("plus_identity", "import numpy as np\ndef scaling(sx, sy):\n    return np.eye(2) + np.diag([sx, sy])\n",
         "identity"),
        ("error", "def scaling(sx, sy):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "matrices.shear": [
        ("vertical", "import numpy as np\ndef shear(k):\n    return np.array([[1, 0], [k, 1]])\n", "vertical"),
        ("symmetric", "import numpy as np\ndef shear(k):\n    return np.array([[1, k], [k, 1]])\n", "both"),
        ("no_identity", "import numpy as np\ndef shear(k):\n    return np.array([[0, k], [0, 0]])\n", "ones on the diagonal"),
        ("negative", "import numpy as np\ndef shear(k):\n    return np.array([[1, -k], [0, 1]])\n", "wrong way"),
        ("k_on_diagonal", "import numpy as np\ndef shear(k):\n    return np.array([[k, 0], [0, 1]])\n", "scaling"),
        ("k_at_corner", "import numpy as np\ndef shear(k):\n    return np.array([[k, 1], [0, 1]])\n", "[0, 0]"),
        ("error", "def shear(k):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "matrices.compose": [
        ("reversed_order", "import numpy as np\ndef compose(*mats):\n    M = mats[0]\n    for A in mats[1:]:\n"
                           "        M = M @ A\n    return M\n", "LAST matrix first"),
        ("elementwise", "import numpy as np\ndef compose(*mats):\n    M = mats[0]\n    for A in mats[1:]:\n"
                        "        M = A * M\n    return M\n", "entry by entry"),
        ("sum", "def compose(*mats):\n    return sum(mats)\n", "added"),
        ("last_only", "def compose(*mats):\n    return mats[-1]\n", "only the last"),
        ("first_only", "def compose(*mats):\n    return mats[0]\n", "only the first"),
        ("transposed", "from functools import reduce\ndef compose(*mats):\n"
                       "    return reduce(lambda acc, m: m @ acc, mats).T\n", "transposed"),
        ("error", "def compose(*mats):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "matrices.gram": [
        ("rows_gram", "def gram(X):\n    return X @ X.T\n", "X @ X.T"),
        ("divided_by_n", "def gram(X):\n    return X.T @ X / X.shape[0]\n", "number of rows"),
        ("centred", "def gram(X):\n    Xc = X - X.mean(axis=0)\n    return Xc.T @ Xc\n", "centred"),
        ("covariance", "import numpy as np\ndef gram(X):\n    return np.atleast_2d(np.cov(X, rowvar=False))\n",
         "covariance"),
        ("diagonal_only", "import numpy as np\ndef gram(X):\n    return np.diag(np.sum(X * X, axis=0))\n", "diagonal"),
        ("squared_entries", "def gram(X):\n    return X ** 2\n", "X ** 2"),
        ("error", "def gram(X):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "matrices.dense_layer": [
        ("w_times_x", "def dense_layer(X, W, b):\n    return W @ X.T + b[:, None]\n", "ROW of X"),
        ("bias_wrong_axis", "def dense_layer(X, W, b):\n    return X @ W.T + b.reshape(-1, 1)\n", "wrong axis"),
        ("no_transpose", "def dense_layer(X, W, b):\n    return X @ W + b\n", "without the transpose"),
        ("no_bias", "def dense_layer(X, W, b):\n    return X @ W.T\n", "left out the bias"),
        ("bias_subtracted", "def dense_layer(X, W, b):\n    return X @ W.T - b\n", "subtracted"),
        ("relu", "import numpy as np\ndef dense_layer(X, W, b):\n    return np.maximum(X @ W.T + b, 0)\n", "ReLU"),
        ("error", "def dense_layer(X, W, b):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
}
