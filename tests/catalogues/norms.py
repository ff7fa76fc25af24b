"""Correct variants and catalogued mistakes for the 11-norms checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


LP_SCALED = _c("""
    import numpy as np
    def lp_norm(x, p):
        a = np.abs(np.asarray(x, dtype=np.float64))
        top = a.max() if a.size else 0.0
        if top == 0:
            return 0.0
        if p == np.inf:
            return float(top)
        return float(top * np.sum((a / top) ** p) ** (1 / p))
    """)

LP_LOOPS = _c("""
    import math
    def lp_norm(x, p):
        values = [abs(float(v)) for v in x]
        top = max(values, default=0.0)
        if top == 0.0:
            return 0.0
        if math.isinf(p):
            return top
        total = 0.0
        for v in values:
            total += (v / top) ** p
        return top * total ** (1.0 / p)
    """)

LP_FLOAT32 = _c("""
    import numpy as np
    def lp_norm(x, p):
        a = np.abs(np.asarray(x))
        if not a.any():
            return 0.0
        if np.isinf(p):
            return a.max()
        top = a.max()
        return top * ((a / top) ** p).sum() ** (1 / p)
    """)

LP_LOG = _c("""
    import numpy as np
    def lp_norm(x, p):
        a = np.abs(np.asarray(x, dtype=float))
        if np.all(a == 0):
            return 0.0
        if p == float("inf"):
            return np.max(a)
        # a log-sum-exp of p * log|x_i|: never overflows
        logs = p * np.log(a[a > 0])
        m = logs.max()
        return float(np.exp((m + np.log(np.sum(np.exp(logs - m)))) / p))
    """)

LP_HYPOT = _c("""
    import math
    from functools import reduce
    def lp_norm(x, p):
        x = [float(v) for v in x]
        if p == 2:
            return reduce(math.hypot, x, 0.0)
        if math.isinf(p):
            return max((abs(v) for v in x), default=0.0)
        top = max(abs(v) for v in x)
        if top == 0:
            return 0.0
        return top * math.fsum((abs(v) / top) ** p for v in x) ** (1 / p)
    """)

CORRECT = {
    "norms.lp_norm": [
        ("scaled, vectorised", LP_SCALED),
        ("loops", LP_LOOPS),
        ("in the input's dtype (float32 stays float32)", LP_FLOAT32),
        ("log-sum-exp", LP_LOG),
        ("hypot for p = 2, fsum otherwise", LP_HYPOT),
        ("naive sum of powers (fine at ordinary scales)", _c("""
            import numpy as np
            def lp_norm(x, p):
                x = np.asarray(x, dtype=float)
                if np.isinf(p):
                    return np.abs(x).max()
                return np.sum(np.abs(x) ** p) ** (1 / p)
            """)),
    ],
    "norms.lp_norm_scaled": [
        ("scaled, vectorised", LP_SCALED),
        ("loops", LP_LOOPS),
        ("log-sum-exp", LP_LOG),
        ("hypot for p = 2, fsum otherwise", LP_HYPOT),
    ],
    "norms.frobenius": [
        ("scaled, vectorised", _c("""
            import numpy as np
            def frobenius(A):
                a = np.abs(np.asarray(A, dtype=float))
                top = a.max()
                if top == 0:
                    return 0.0
                return float(top * np.sqrt(np.sum((a / top) ** 2)))
            """)),
        ("through lp_norm", LP_SCALED + "def frobenius(A):\n    return lp_norm(np.ravel(A), 2)\n"),
        ("double loop", _c("""
            import math
            def frobenius(A):
                top = max(abs(float(v)) for row in A for v in row)
                if top == 0:
                    return 0.0
                total = 0.0
                for row in A:
                    for v in row:
                        total += (float(v) / top) ** 2
                return top * math.sqrt(total)
            """)),
        ("trace of the scaled Gram matrix", _c("""
            import numpy as np
            def frobenius(A):
                A = np.asarray(A, dtype=float)
                s = np.abs(A).max()
                if s == 0:
                    return 0.0
                B = A / s
                return s * np.sqrt(np.trace(B.T @ B))
            """)),
    ],
    "norms.spectral_norm": [
        ("largest singular value", _c("""
            import numpy as np
            def spectral_norm(A):
                return np.linalg.svd(A, compute_uv=False)[0]
            """)),
        ("max of the singular values, float32 kept", _c("""
            import numpy as np
            def spectral_norm(A):
                return np.linalg.svd(np.asarray(A), compute_uv=False).max()
            """)),
        ("eigvalsh of A.T @ A", _c("""
            import numpy as np
            def spectral_norm(A):
                A = np.asarray(A, dtype=float)
                return float(np.sqrt(max(np.linalg.eigvalsh(A.T @ A)[-1], 0.0)))
            """)),
        ("eigvalsh of A @ A.T", _c("""
            import numpy as np
            def spectral_norm(A):
                A = np.asarray(A, dtype=float)
                return np.sqrt(np.clip(np.linalg.eigvalsh(A @ A.T), 0, None).max())
            """)),
        ("torch", _c("""
            import torch
            def spectral_norm(A):
                return torch.linalg.svdvals(torch.as_tensor(A, dtype=torch.float64))[0].item()
            """)),
    ],
    "norms.nuclear_norm": [
        ("sum of singular values", _c("""
            import numpy as np
            def nuclear_norm(A):
                return np.linalg.svd(A, compute_uv=False).sum()
            """)),
        ("loop over the singular values", _c("""
            import numpy as np
            def nuclear_norm(A):
                U, s, Vt = np.linalg.svd(np.asarray(A, dtype=float))
                total = 0.0
                for value in s:
                    total += value
                return total
            """)),
        ("eigvalsh of A.T @ A, clipped", _c("""
            import numpy as np
            def nuclear_norm(A):
                A = np.asarray(A, dtype=float)
                small = A.T @ A if A.shape[0] >= A.shape[1] else A @ A.T
                return float(np.sum(np.sqrt(np.clip(np.linalg.eigvalsh(small), 0, None))))
            """)),
        ("float32 svd", _c("""
            import numpy as np
            def nuclear_norm(A):
                return float(np.sum(np.linalg.svd(np.float32(A), compute_uv=False)))
            """)),
    ],
    "norms.unit_ball": [
        ("directions divided by their p-norm", _c("""
            import numpy as np
            def unit_ball(p, n_points):
                t = np.linspace(0, 2 * np.pi, n_points, endpoint=False)
                d = np.column_stack([np.cos(t), np.sin(t)])
                if np.isinf(p):
                    size = np.abs(d).max(axis=1)
                else:
                    size = np.sum(np.abs(d) ** p, axis=1) ** (1 / p)
                return d / size[:, None]
            """)),
        ("superellipse with signs, closed curve", _c("""
            import numpy as np
            def unit_ball(p, n_points):
                t = np.linspace(0, 2 * np.pi, n_points)
                c, s = np.cos(t), np.sin(t)
                if p == np.inf:
                    m = np.maximum(np.abs(c), np.abs(s))
                    return np.stack([c / m, s / m], axis=1)
                e = 2 / p
                return np.stack([np.sign(c) * np.abs(c) ** e, np.sign(s) * np.abs(s) ** e], axis=1)
            """)),
        ("walk round the square's perimeter, scaled onto the curve", _c("""
            import numpy as np
            def unit_ball(p, n_points):
                u = np.linspace(0, 8, n_points, endpoint=False)
                side = (u // 2).astype(int)
                r = u % 2 - 1
                pts = np.empty((n_points, 2))
                pts[side == 0] = np.column_stack([np.ones(np.sum(side == 0)), r[side == 0]])
                pts[side == 1] = np.column_stack([-r[side == 1], np.ones(np.sum(side == 1))])
                pts[side == 2] = np.column_stack([-np.ones(np.sum(side == 2)), -r[side == 2]])
                pts[side == 3] = np.column_stack([r[side == 3], -np.ones(np.sum(side == 3))])
                if np.isinf(p):
                    return pts
                return pts / (np.sum(np.abs(pts) ** p, axis=1) ** (1 / p))[:, None]
            """)),
        ("random directions, shuffled order", _c("""
            import numpy as np
            def unit_ball(p, n_points):
                t = np.random.default_rng(0).permutation(np.linspace(-np.pi, np.pi, n_points, endpoint=False))
                pts = []
                for angle in t:
                    x, y = np.cos(angle), np.sin(angle)
                    size = max(abs(x), abs(y)) if p == float("inf") else (abs(x) ** p + abs(y) ** p) ** (1 / p)
                    pts.append((x / size, y / size))
                return np.array(pts)
            """)),
    ],
    "norms.knn_disagreement": [
        ("argsort, masks", _c("""
            import numpy as np
            def knn_disagreement(X, q, k):
                X = np.asarray(X, dtype=float)
                dist = np.sqrt(np.sum((X - X[q]) ** 2, axis=1))
                lengths = np.sqrt(np.sum(X ** 2, axis=1))
                den = lengths * lengths[q]
                cos = np.divide(X @ X[q], den, out=np.zeros(len(X)), where=den > 0)
                dist[q] = np.inf
                cos[q] = -np.inf
                E = set(np.argsort(dist)[:k].tolist())
                C = set(np.argsort(-cos)[:k].tolist())
                return len(E - C) / k
            """)),
        ("squared distances, normalised rows, sorted lists", _c("""
            import numpy as np
            def knn_disagreement(X, q, k):
                X = np.asarray(X, dtype=float)
                others = [i for i in range(len(X)) if i != q]
                sq = {i: float(np.sum((X[i] - X[q]) ** 2)) for i in others}
                lengths = np.linalg.norm(X, axis=1)
                unit = X / np.where(lengths > 0, lengths, 1.0)[:, None]
                cos = {i: float(unit[i] @ unit[q]) for i in others}
                euclid = sorted(others, key=lambda i: sq[i])[:k]
                cosine = sorted(others, key=lambda i: -cos[i])[:k]
                return sum(1 for i in euclid if i not in cosine) / k
            """)),
        ("cosine distance, counted from the cosine side", _c("""
            import numpy as np
            def knn_disagreement(X, q, k):
                X = np.asarray(X, dtype=np.float32)
                keep = np.arange(len(X)) != q
                idx = np.arange(len(X))[keep]
                dist = np.linalg.norm(X[keep] - X[q], axis=1)
                norms = np.linalg.norm(X[keep], axis=1) * np.linalg.norm(X[q])
                with np.errstate(all="ignore"):
                    cos_dist = np.where(norms > 0, 1 - X[keep] @ X[q] / norms, 1.0)
                E = idx[np.argsort(dist, kind="stable")[:k]]
                C = idx[np.argsort(cos_dist, kind="stable")[:k]]
                return float(np.setdiff1d(C, E).size / k)
            """)),
        ("ties broken from the largest index", _c("""
            import numpy as np
            def knn_disagreement(X, q, k):
                X = np.asarray(X, dtype=float)
                n = len(X)
                dist = np.sqrt(((X - X[q]) ** 2).sum(axis=1))
                L = np.sqrt((X ** 2).sum(axis=1))
                cos = np.array([X[i] @ X[q] / (L[i] * L[q]) if L[i] * L[q] > 0 else 0.0 for i in range(n)])
                rev = np.arange(n)[::-1]
                E = [i for i in rev[np.argsort(dist[rev], kind="stable")] if i != q][:k]
                C = [i for i in rev[np.argsort(-cos[rev], kind="stable")] if i != q][:k]
                return len(set(E) - set(C)) / k
            """)),
    ],
}

LP = "import numpy as np\ndef lp_norm(x, p):\n    a = np.abs(np.asarray(x, dtype=float))\n"
LPX = "import numpy as np\ndef lp_norm(x, p):\n    x = np.asarray(x, dtype=float)\n"
FRO = "import numpy as np\ndef frobenius(A):\n    A = np.asarray(A, dtype=float)\n"
SV = "import numpy as np\ndef {name}(A):\n    s = np.linalg.svd(np.asarray(A, dtype=float), compute_uv=False)\n"
SPEC = SV.format(name="spectral_norm")
NUC = SV.format(name="nuclear_norm")
BALL = _c("""
    import numpy as np
    def unit_ball(p, n_points):
        t = np.linspace(0, 2 * np.pi, n_points, endpoint=False)
        c, s = np.cos(t), np.sin(t)
        d = np.column_stack([c, s])
    """)
KNN = _c("""
    import numpy as np
    def _top(score, k, q):
        return [i for i in np.argsort(score, kind="stable") if i != q][:k]
    def _cos(X, q):
        L = np.sqrt((X ** 2).sum(axis=1))
        den = L * L[q]
        return np.divide(X @ X[q], den, out=np.zeros(len(X)), where=den > 0)
    def knn_disagreement(X, q, k):
        X = np.asarray(X, dtype=float)
        dist = np.sqrt(((X - X[q]) ** 2).sum(axis=1))
        cos = _cos(X, q)
    """)

MISTAKES = {
    "norms.lp_norm": [
        ("inf_no_abs", LP + "    if np.isinf(p):\n        return np.max(np.asarray(x, dtype=float))\n"
                            "    return np.sum(a ** p) ** (1 / p)\n", "ABSOLUTE"),
        ("inf_formula", LP + "    return np.sum(a ** p) ** (1 / p)\n", "p = np.inf on its own"),
        ("no_root", LP + "    if np.isinf(p):\n        return a.max()\n    return np.sum(a ** p)\n", "without the root"),
        ("no_abs", LPX + "    if np.isinf(p):\n        return np.abs(x).max()\n    return np.sum(x ** p) ** (1 / p)\n",
         "absolute values"),
        ("square_root", LP + "    if np.isinf(p):\n        return a.max()\n    return np.sqrt(np.sum(a ** p))\n",
         "p-th"),
        ("mean", LP + "    if np.isinf(p):\n        return a.max()\n    return np.mean(a ** p) ** (1 / p)\n", "averaged"),
        ("zero_nan", LP + "    m = a.max()\n    if np.isinf(p):\n        return m\n"
                          "    return m * np.sum((a / m) ** p) ** (1 / p)\n", "0 / 0"),
        ("not_rescaled", LP + "    m = a.max()\n    if m == 0:\n        return 0.0\n    if np.isinf(p):\n"
                              "        return m\n    return np.sum((a / m) ** p) ** (1 / p)\n", "multiply the result back"),
        ("sum_abs", LP + "    return a.sum()\n", "L1 norm"),
        ("library_used", "import numpy as np\ndef lp_norm(x, p):\n    return np.linalg.norm(x, ord=p)\n", "from scratch"),
        ("library_used", "from numpy.linalg import norm as size\ndef lp_norm(x, p):\n    return float(size(x, p))\n",
         "from scratch"),
        ("library_used", "import scipy.linalg as sl\nmeasure = sl.norm\ndef _helper(v, p):\n    return measure(v, p)\n"
                         "def lp_norm(x, p):\n    return _helper(x, p)\n", "from scratch"),
        ("wrong_shape", LP + "    if np.isinf(p):\n        return a\n    return (a ** p) ** (1 / p)\n", "one number"),
        ("error", "def lp_norm(x, p):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "norms.lp_norm_scaled": [
        ("no_scaling", LP + "    if np.isinf(p):\n        return a.max()\n    return np.sum(a ** p) ** (1 / p)\n", "overflowed"),
        ("not_rescaled", LP + "    m = a.max()\n    if m == 0:\n        return 0.0\n    if np.isinf(p):\n"
                              "        return m\n    return np.sum((a / m) ** p) ** (1 / p)\n", "multiply the result back"),
        ("library_used", "import numpy as np\nfrom numpy import linalg\ndef lp_norm(x, p):\n"
                         "    return linalg.norm(x, p)\n", "from scratch"),
    ],
    "norms.frobenius": [
        ("no_root", FRO + "    m = np.abs(A).max()\n    return m * m * np.sum((A / m) ** 2) if m else 0.0\n", "square root"),
        ("sum_abs", FRO + "    return np.abs(A).sum()\n", "absolute values"),
        ("max_abs", FRO + "    return np.abs(A).max()\n", "largest entry"),
        ("spectral", FRO + "    return np.linalg.svd(A, compute_uv=False)[0]\n", "spectral norm"),
        ("row_norms", FRO + "    return np.sqrt((A ** 2).sum(axis=1))\n", "each row"),
        ("column_norms", FRO + "    return np.sqrt((A ** 2).sum(axis=0))\n", "each column"),
        ("sum_of_row_norms", FRO + "    return np.sqrt((A ** 2).sum(axis=1)).sum()\n", "norms of the rows"),
        ("mean", FRO + "    return np.sqrt(np.mean(A ** 2))\n", "averaged"),
        ("no_scaling", FRO + "    return np.sqrt(np.sum(A ** 2))\n", "overflowed"),
        ("library_used", "import numpy as np\ndef frobenius(A):\n    return np.linalg.norm(A, 'fro')\n", "from scratch"),
        ("library_used", "import numpy\nla = numpy.linalg\ndef frobenius(A):\n    f = la.norm\n    return f(A)\n",
         "from scratch"),
        ("library_used", "import torch\ndef frobenius(A):\n    return torch.linalg.matrix_norm(torch.as_tensor(A)).item()\n",
         "from scratch"),
        ("error", "def frobenius(A):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "norms.spectral_norm": [
        ("frobenius", SPEC + "    return np.sqrt(np.sum(s ** 2))\n", "Frobenius"),
        ("eigenvalue_of_A", "import numpy as np\ndef spectral_norm(A):\n"
                            "    return np.max(np.abs(np.linalg.eigvals(A)))\n", "largest eigenvalue of A"),
        ("eigenvalue_of_A", "import numpy as np\ndef spectral_norm(A):\n"
                            "    return np.linalg.eigvals(A).real.max()\n", "only for symmetric"),
        ("no_sqrt", "import numpy as np\ndef spectral_norm(A):\n    A = np.asarray(A, dtype=float)\n"
                    "    return np.linalg.eigvalsh(A.T @ A)[-1]\n", "SQUARED"),
        ("smallest", "import numpy as np\ndef spectral_norm(A):\n    A = np.asarray(A, dtype=float)\n"
                     "    s = np.linalg.svd(A, compute_uv=False)\n    return s[-1]\n", "SMALLEST"),
        ("nuclear", SPEC + "    return s.sum()\n", "nuclear norm"),
        ("max_abs", "import numpy as np\ndef spectral_norm(A):\n    return np.abs(A).max()\n", "largest entry"),
        ("max_row_sum", "import numpy as np\ndef spectral_norm(A):\n    return np.abs(A).sum(axis=1).max()\n", "row sum"),
        ("all_singular_values", SPEC + "    return s\n", "all the singular values"),
        ("library_used", "import numpy as np\ndef spectral_norm(A):\n    return np.linalg.norm(A, 2)\n", "from scratch"),
        ("library_used", "from scipy import linalg as L\nn2 = getattr(L, 'norm')\n"
                         "def spectral_norm(A):\n    return n2(A, 2)\n", "from scratch"),
        ("error", "def spectral_norm(A):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "norms.nuclear_norm": [
        ("sum_of_squares", NUC + "    return np.sum(s ** 2)\n", "SQUARED"),
        ("sum_of_squares", "import numpy as np\ndef nuclear_norm(A):\n    A = np.asarray(A, dtype=float)\n"
                           "    return np.linalg.eigvalsh(A.T @ A).sum()\n", "squared Frobenius"),
        ("frobenius", NUC + "    return np.sqrt(np.sum(s ** 2))\n", "Frobenius"),
        ("spectral", NUC + "    return s[0]\n", "spectral norm"),
        ("trace", "import numpy as np\ndef nuclear_norm(A):\n    return np.trace(A)\n", "trace"),
        ("abs_eigenvalues", "import numpy as np\ndef nuclear_norm(A):\n"
                            "    return np.abs(np.linalg.eigvals(A)).sum()\n", "absolute eigenvalues"),
        ("entry_l1", "import numpy as np\ndef nuclear_norm(A):\n    return np.abs(A).sum()\n", "entries"),
        ("rank", NUC + "    return int(np.sum(s > 1e-10 * max(s.max(), 1e-300)))\n", "rank"),
        ("all_singular_values", NUC + "    return s\n", "their sum"),
        ("library_used", "import numpy as np\ndef nuclear_norm(A):\n    return np.linalg.norm(A, 'nuc')\n",
         "from scratch"),
        ("error", "def nuclear_norm(A):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "norms.unit_ball": [
        ("circle", BALL + "    return d\n", "circle"),
        ("no_root", BALL + "    if np.isinf(p):\n        return d / np.abs(d).max(axis=1, keepdims=True)\n"
                           "    return d / np.sum(np.abs(d) ** p, axis=1, keepdims=True)\n", "without the root"),
        ("max_no_abs", BALL + "    if np.isinf(p):\n        return d / d.max(axis=1, keepdims=True)\n"
                              "    return d / (np.sum(np.abs(d) ** p, axis=1, keepdims=True) ** (1 / p))\n", "ABSOLUTE"),
        ("not_on_curve", BALL + "    return d / np.sum(np.abs(d), axis=1, keepdims=True)\n", "p-norm 1"),
        ("nan_points", BALL + "    if np.isinf(p):\n        return d / np.abs(d).max(axis=1, keepdims=True)\n"
                              "    return np.column_stack([c ** (2 / p), s ** (2 / p)])\n", "nan"),
        ("first_quadrant", BALL + "    if np.isinf(p):\n        return d / np.abs(d).max(axis=1, keepdims=True)\n"
                                  "    return np.column_stack([np.abs(c) ** (2 / p), np.abs(s) ** (2 / p)])\n",
         "signs were lost"),
        ("half", _c("""
            import numpy as np
            def unit_ball(p, n_points):
                t = np.linspace(0, np.pi, n_points)
                d = np.column_stack([np.cos(t), np.sin(t)])
                if np.isinf(p):
                    return d / np.abs(d).max(axis=1, keepdims=True)
                return d / (np.sum(np.abs(d) ** p, axis=1, keepdims=True) ** (1 / p))
            """), "half of the directions"),
        ("corners_only", BALL + "    e = 0.0 if np.isinf(p) else 2 / p\n"
                                "    return np.column_stack([np.sign(c) * np.abs(c) ** e, np.sign(s) * np.abs(s) ** e])\n",
         "corners"),
        ("gaps", _c("""
            import numpy as np
            def unit_ball(p, n_points):
                def half(m):
                    x = np.linspace(-1, 1, m)
                    y = np.ones_like(x) if np.isinf(p) else (1 - np.abs(x) ** p) ** (1 / p)
                    return x, y
                x1, y1 = half(n_points // 2)
                x2, y2 = half(n_points - n_points // 2)
                return np.concatenate([np.column_stack([x1, y1]), np.column_stack([x2[::-1], -y2[::-1]])])
            """), "part of the curve empty"),
        ("wrong_shape", BALL + "    if np.isinf(p):\n        return (d / np.abs(d).max(axis=1, keepdims=True)).T\n"
                               "    return (d / (np.sum(np.abs(d) ** p, axis=1, keepdims=True) ** (1 / p))).T\n",
         "transposed"),
        ("error", "def unit_ball(p, n_points):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "norms.knn_disagreement": [
        ("self_neighbour", KNN + "    E = set(np.argsort(dist, kind='stable')[:k])\n"
                                 "    C = set(np.argsort(-cos, kind='stable')[:k])\n    return len(E - C) / k\n",
         "itself"),
        ("agreement", KNN + "    E, C = set(_top(dist, k, q)), set(_top(-cos, k, q))\n    return len(E & C) / k\n",
         "SHARE"),
        ("count", KNN + "    E, C = set(_top(dist, k, q)), set(_top(-cos, k, q))\n    return len(E - C)\n",
         "divide by k"),
        ("least_similar", KNN + "    E, C = set(_top(dist, k, q)), set(_top(cos, k, q))\n    return len(E - C) / k\n",
         "LEAST similar"),
        ("farthest", KNN + "    E, C = set(_top(-dist, k, q)), set(_top(-cos, k, q))\n    return len(E - C) / k\n",
         "FARTHEST"),
        ("dot_product", KNN + "    E, C = set(_top(dist, k, q)), set(_top(-(X @ X[q]), k, q))\n    return len(E - C) / k\n",
         "dot product"),
        ("manhattan", KNN + "    l1 = np.abs(X - X[q]).sum(axis=1)\n"
                            "    E, C = set(_top(l1, k, q)), set(_top(-cos, k, q))\n    return len(E - C) / k\n",
         "Manhattan"),
        ("zero_nan", KNN + "    L = np.sqrt((X ** 2).sum(axis=1))\n    with np.errstate(all='ignore'):\n"
                           "        raw = X @ X[q] / (L * L[q])\n"
                           "    E, C = set(_top(dist, k, q)), set(_top(-raw, k, q))\n    return len(E - C) / k\n",
         "cosine nan"),
        ("error", "def knn_disagreement(X, q, k):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
}
