"""Wrong answers that no check catalogues, with the diagnosis the kit must infer for each.

``DIAGNOSES``: ``(check id, code, words)``; the code must fail its check on every seed with a
generic verdict (no catalogued mistake), and the message must contain ``words``.
"""

_STD = "import numpy as np\ndef standardise(X):\n    X = np.asarray(X, dtype=float)\n    sd = X.std(0)\n" \
       "    sd[sd == 0] = 1.0\n    return {}\n"
_COS = "import numpy as np\ndef cosine_similarity(A, B):\n    A = np.asarray(A, dtype=float)\n" \
       "    B = np.asarray(B, dtype=float)\n    if A.ndim == 1:\n        A, B = A[None], B[None]\n" \
       "    na = np.sqrt((A * A).sum(-1))[:, None]\n    nb = np.sqrt((B * B).sum(-1))[None, :]\n" \
       "    den = na * nb\n    out = np.divide(A @ B.T, den, out=np.zeros((len(A), len(B))), where=den > 0)\n" \
       "    out = {}\n    return out if out.shape != (1, 1) else float(out[0, 0])\n"
_SOFTMAX = "import numpy as np\ndef softmax(x, axis=-1):\n    x = np.asarray(x, dtype=float)\n" \
           "    e = np.exp(x - x.max(axis=axis, keepdims=True))\n    return {}\n"
_PAGERANK = "import numpy as np\ndef pagerank(adjacency, damping=0.85):\n    A = np.asarray(adjacency, dtype=float)\n" \
            "    n = len(A)\n    out = A.sum(1)\n    P = np.where(out[:, None] > 0, A / np.maximum(out, 1)[:, None], 1 / n)\n" \
            "    r = np.linalg.solve(np.eye(n) - damping * P.T, np.full(n, (1 - damping) / n))\n    return {}\n"

DIAGNOSES = [
    ("projections.project_onto", "import numpy as np\ndef project_onto(b, a):\n    a = np.asarray(a, dtype=float)\n"
                                 "    return -(a @ b) / (a @ a) * a\n", "sign is flipped"),
    ("projections.projection_matrix", "import numpy as np\ndef projection_matrix(A):\n"
                                      "    return 2 * A @ np.linalg.inv(A.T @ A) @ A.T\n", "constant factor of 2"),
    ("projections.gram_schmidt", "import numpy as np\ndef gram_schmidt(V):\n    Q = np.array(V, dtype=np.float32)\n"
                                 "    for k in range(Q.shape[1]):\n        Q[:, k] /= np.linalg.norm(Q[:, k])\n"
                                 "        for j in range(k + 1, Q.shape[1]):\n"
                                 "            Q[:, j] -= (Q[:, k] @ Q[:, j]) * Q[:, k]\n    return Q\n", "compute in float64"),
    ("eigen.pagerank", _PAGERANK.format("r[::-1]"), "reverse order"),
    ("eigen.pagerank", _PAGERANK.format("r + 0.01"), "shifted by the same constant"),
    ("eigen.pagerank", _PAGERANK.format("-r"), "sign is flipped"),
    ("vectors.standardise", _STD.format("2 * (X - X.mean(0)) / sd"), "constant factor of 2"),
    ("vectors.standardise", _STD.format("(X.mean(0) - X) / sd"), "sign is flipped"),
    ("vectors.standardise", _STD.format("(X - X.mean(0)) / sd + 1"), "shifted by the same constant"),
    ("vectors.standardise", _STD.format("((X - X.mean(0)) / sd)[::-1]"), "reverse order"),
    ("vectors.cosine_batched", _COS.format("-out"), "sign is flipped"),
    ("vectors.cosine_batched", _COS.format("out * np.sqrt(A.shape[1])"), "constant factor of"),  # sqrt(d), or 2 when d = 4
    ("pca.center", "import numpy as np\ndef center(X):\n    return X - X.mean(0) + 1.5\n", "shifted by the same constant"),
    ("pca.covariance", "import numpy as np\ndef covariance(X):\n    Xc = X - X.mean(0)\n"
                       "    return 2 * Xc.T @ Xc / (len(X) - 1)\n", "constant factor of 2"),
    ("pca.reconstruct", "import numpy as np\ndef reconstruct(Z, components, mean):\n"
                        "    return (Z @ components.T + mean)[::-1]\n", "reverse order"),
    ("attention.softmax", _SOFTMAX.format("0.5 * e / e.sum(axis=axis, keepdims=True)"), "constant factor of 1/2"),
    ("attention.softmax", _SOFTMAX.format("np.where(x > 1e300, np.nan, e / e.sum(axis=axis, keepdims=True))"
                                          " if False else (e / e.sum(axis=axis, keepdims=True)) * 100"),
     "percentage"),
    ("pca.center", "def center(X):\n    return (X - X.mean(0)) * 3\n", "constant factor of 3"),
    ("pca.covariance", "import numpy as np\ndef covariance(X):\n    Xc = X - X.mean(0)\n"
                       "    return Xc.T @ Xc / (len(X) - 2)\n", "n - 2 where n - 1 belongs"),
    ("pca.project", "import numpy as np\ndef project(X, components):\n"
                    "    return (X - X.mean(0)) @ components / np.sqrt(len(X))\n", "constant factor of 1/sqrt("),
    ("vectors.standardise", _STD.format("(X - X.mean(0)) / sd * np.sqrt(len(X) / (len(X) - 1))"),
     "a standard deviation with n - 1 versus n"),
    ("pca.reconstruct", "import numpy as np\ndef reconstruct(Z, components, mean):\n"
                        "    return Z @ components.T + mean + 0.5\n", "shifted by the same constant"),
    ("vectors.cosine_batched", _COS.format("out / 2 + 0.5"), "linear rescaling"),
]
