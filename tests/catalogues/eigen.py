"""Correct variants and catalogued mistakes for the 07-eigen checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


RQ = "import numpy as np\ndef rayleigh_quotient(A, x):\n    A = np.asarray(A, dtype=float)\n    x = np.asarray(x, dtype=float)\n"
E2 = ("import numpy as np\ndef eigen2x2(A):\n    (a, b), (c, d) = np.asarray(A, dtype=float)\n"
      "    tr, det = a + d, a * d - b * c\n")

# A correct power iteration with a hole where the mistake goes: {start}, {step}, {value}, {ret}.
POWER = """
import numpy as np
def power_iteration(A, iters, tol):
    A = np.asarray(A, dtype=float)
    x = {start}
    x = x / np.linalg.norm(x)
    for _ in range(iters):
        y = {step}
        y = y / np.linalg.norm(y)
        if y @ x < 0:
            y = -y
        done = np.linalg.norm(y - x) < tol
        x = y
        if done:
            break
    return {value}, {ret}
"""


def _power(start="np.ones(len(A))", step="A @ x", value="x @ A @ x", ret="x"):
    return _c(POWER.format(start=start, step=step, value=value, ret=ret))


PR = _c("""
    import numpy as np
    def _P(adjacency, dangling="uniform"):
        A = np.asarray(adjacency, dtype=float)
        n = len(A)
        out = A.sum(axis=1)
        P = np.zeros_like(A)
        P[out > 0] = A[out > 0] / out[out > 0, None]
        if dangling == "uniform":
            P[out == 0] = 1.0 / n
        return P
    """)


def _pr(body: str) -> str:
    return PR + "def pagerank(adjacency, damping=0.85):\n" + dedent(body).strip("\n").replace("\n", "\n    ") \
        .join(["    ", "\n"])


CORRECT = {
    "eigen.rayleigh_quotient": [
        ("x @ A @ x / x @ x", RQ + "    return (x @ A @ x) / (x @ x)\n"),
        ("np.dot", "import numpy as np\ndef rayleigh_quotient(A, x):\n    return np.dot(x, np.dot(A, x)) / np.dot(x, x)\n"),
        ("normalise first", RQ + "    u = x / np.linalg.norm(x)\n    return float(u @ A @ u)\n"),
        ("loops", _c("""
            def rayleigh_quotient(A, x):
                n = len(x)
                top = sum(float(x[i]) * float(A[i][j]) * float(x[j]) for i in range(n) for j in range(n))
                bottom = sum(float(v) * float(v) for v in x)
                return top / bottom
            """)),
        ("einsum", "import numpy as np\ndef rayleigh_quotient(A, x):\n"
                   "    return np.einsum('i,ij,j->', x, A, x) / np.einsum('i,i->', x, x)\n"),
        ("torch", _c("""
            import torch
            def rayleigh_quotient(A, x):
                A = torch.as_tensor(A, dtype=torch.float64)
                x = torch.as_tensor(x, dtype=torch.float64)
                return (x @ A @ x / (x @ x)).item()
            """)),
        ("kept in the input dtype", "def rayleigh_quotient(A, x):\n    return (x @ (A @ x)) / (x @ x)\n"),
    ],
    "eigen.eigen2x2": [
        ("np.emath.sqrt", _c("""
            import numpy as np
            def eigen2x2(A):
                tr = A[0, 0] + A[1, 1]
                det = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
                root = np.emath.sqrt(tr ** 2 - 4 * det)
                return np.array([(tr + root) / 2, (tr - root) / 2])
            """)),
        ("cmath, always complex", _c("""
            import cmath
            import numpy as np
            def eigen2x2(A):
                a, b, c, d = (float(v) for v in np.ravel(A))
                root = cmath.sqrt((a + d) ** 2 - 4 * (a * d - b * c))
                return np.array([(a + d + root) / 2, (a + d - root) / 2])
            """)),
        ("(a - d)^2 + 4bc, a tuple", _c("""
            import math
            def eigen2x2(A):
                a, b, c, d = float(A[0][0]), float(A[0][1]), float(A[1][0]), float(A[1][1])
                disc = (a - d) ** 2 + 4 * b * c
                if disc >= 0:
                    r = math.sqrt(disc)
                    return ((a + d + r) / 2, (a + d - r) / 2)
                r = math.sqrt(-disc)
                return (complex((a + d) / 2, r / 2), complex((a + d) / 2, -r / 2))
            """)),
        ("np.trace and np.linalg.det", _c("""
            import numpy as np
            def eigen2x2(A):
                tr, det = np.trace(A), np.linalg.det(A)
                root = np.sqrt(complex(tr * tr - 4 * det))
                values = np.array([(tr + root) / 2, (tr - root) / 2])
                return values.real if abs(root.imag) < 1e-7 * max(1.0, abs(tr)) else values
            """)),
        ("half-trace form", _c("""
            import numpy as np
            def eigen2x2(A):
                A = np.asarray(A, dtype=np.float64)
                m = (A[0, 0] + A[1, 1]) / 2
                det = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
                q = m * m - det
                if q < 0:
                    return np.array([m + 1j * np.sqrt(-q), m - 1j * np.sqrt(-q)])
                return np.array([m + np.sqrt(q), m - np.sqrt(q)])
            """)),
    ],
    "eigen.power_iteration": [
        ("ones start, stop on vector change", _power()),
        ("random start, Rayleigh quotient each step", _c("""
            import numpy as np
            def power_iteration(A, iters, tol):
                A = np.asarray(A, dtype=np.float64)
                x = np.random.default_rng().normal(size=len(A))
                x /= np.linalg.norm(x)
                lam = x @ A @ x
                for _ in range(iters):
                    x = A @ x
                    x /= np.linalg.norm(x)
                    new = x @ A @ x
                    if abs(new - lam) < tol:
                        lam = new
                        break
                    lam = new
                return float(lam), x
            """)),
        ("no early stop, returns -x", _c("""
            import numpy as np
            def power_iteration(A, iters, tol):
                A = np.asarray(A, dtype=float)
                x = np.arange(1.0, len(A) + 1)
                for _ in range(iters):
                    x = A @ x
                    x = x / np.sqrt(x @ x)
                return (x @ A @ x) / (x @ x), -x
            """)),
        ("scaled by the largest entry, unit at the end", _c("""
            import numpy as np
            def power_iteration(A, iters, tol):
                A = np.asarray(A, dtype=float)
                x = np.ones(A.shape[0]) + 0.1 * np.arange(A.shape[0])
                for k in range(iters):
                    y = A @ x
                    y = y / y[np.argmax(np.abs(y))]
                    if np.max(np.abs(y - x)) < tol:
                        x = y
                        break
                    x = y
                x = x / np.linalg.norm(x)
                return x @ A @ x, x
            """)),
        ("float32 input kept, Rayleigh quotient in float64", _c("""
            import numpy as np
            def power_iteration(A, iters, tol):
                x = np.ones(len(A), dtype=A.dtype)
                for _ in range(min(iters, 3000)):
                    x = A @ x
                    x = x / np.linalg.norm(x)
                x64 = x.astype(np.float64)
                x64 /= np.linalg.norm(x64)
                return float(x64 @ np.asarray(A, dtype=np.float64) @ x64), x64
            """)),
        ("torch", _c("""
            import torch
            def power_iteration(A, iters, tol):
                A = torch.as_tensor(A, dtype=torch.float64)
                x = torch.ones(A.shape[0], dtype=torch.float64)
                x = x / torch.linalg.vector_norm(x)
                for _ in range(iters):
                    y = A @ x
                    y = y / torch.linalg.vector_norm(y)
                    if torch.dot(y, x) < 0:
                        y = -y
                    change = torch.linalg.vector_norm(y - x)
                    x = y
                    if change < tol:
                        break
                return torch.dot(x, A @ x).item(), x.numpy()
            """)),
    ],
    "eigen.pagerank": [
        ("dangling rank dropped, rescaled once at the end (the same vector)", _pr("""
            n = len(adjacency)
            P = _P(adjacency, dangling="drop")
            r = np.linalg.solve(np.eye(n) - damping * P.T, np.ones(n))
            return r / r.sum()
            """)),
        ("iterate with dangling mass", _c("""
            import numpy as np
            def pagerank(adjacency, damping=0.85):
                A = np.asarray(adjacency, dtype=float)
                n = len(A)
                out = A.sum(axis=1)
                dangling = out == 0
                P = np.divide(A, out[:, None], out=np.zeros_like(A), where=~dangling[:, None])
                r = np.full(n, 1.0 / n)
                for _ in range(10000):
                    new = damping * (P.T @ r + r[dangling].sum() / n) + (1 - damping) / n
                    if np.abs(new - r).sum() < 1e-12:
                        return new
                    r = new
                return r
            """)),
        ("linear solve", _pr("""
            n = len(adjacency)
            P = _P(adjacency)
            return np.linalg.solve(np.eye(n) - damping * P.T, np.full(n, (1 - damping) / n))
            """)),
        ("Google matrix, row vector", _pr("""
            n = len(adjacency)
            G = damping * _P(adjacency) + (1 - damping) / n
            r = np.ones(n) / n
            for _ in range(2000):
                r = r @ G
            return r
            """)),
        ("loops over links", _c("""
            def pagerank(adjacency, damping=0.85):
                n = len(adjacency)
                links = [[j for j in range(n) if adjacency[i][j]] for i in range(n)]
                r = [1.0 / n] * n
                for _ in range(1000):
                    new = [(1 - damping) / n] * n
                    for i in range(n):
                        if links[i]:
                            for j in links[i]:
                                new[j] += damping * r[i] / len(links[i])
                        else:
                            for j in range(n):
                                new[j] += damping * r[i] / n
                    r = new
                return r
            """)),
        ("normalised each step, dangling as all-ones rows", _c("""
            import numpy as np
            def pagerank(adjacency, damping=0.85):
                A = np.array(adjacency, dtype=float)
                n = len(A)
                A[A.sum(axis=1) == 0] = 1.0
                M = (A / A.sum(axis=1, keepdims=True)).T
                r = np.random.default_rng(0).random(n)
                r /= r.sum()
                for _ in range(3000):
                    r = damping * M @ r + (1 - damping) * r.sum() / n
                    r /= r.sum()
                return r
            """)),
    ],
}


MISTAKES = {
    "eigen.rayleigh_quotient": [
        ("no_denominator", RQ + "    return x @ A @ x\n", "without dividing by xᵀx"),
        ("norm_denominator", RQ + "    return x @ A @ x / np.linalg.norm(x)\n", "squared length"),
        ("squared_denominator", RQ + "    return x @ A @ x / (x @ x) ** 2\n", "divide by xᵀx once"),
        ("absolute_value", RQ + "    return abs(x @ A @ x) / (x @ x)\n", "lost its sign"),
        ("norm_ratio", RQ + "    return np.linalg.norm(A @ x) / np.linalg.norm(x)\n", "stretch factor"),
        ("returned_vector", RQ + "    return A @ x / (x @ x)\n", "one number"),
        ("error", "def rayleigh_quotient(A, x):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "eigen.eigen2x2": [
        ("ascending", E2 + "    r = np.emath.sqrt(tr * tr - 4 * det)\n    return np.array([(tr - r) / 2, (tr + r) / 2])\n",
         "increasing order"),
        ("conjugate_order", E2 + "    r = np.emath.sqrt(tr * tr - 4 * det)\n    return np.sort(np.array([(tr + r) / 2, "
                                 "(tr - r) / 2]))[::-1] if tr * tr >= 4 * det else np.sort(np.array([(tr + r) / 2, "
                                 "(tr - r) / 2]))\n", "positive imaginary part first"),
        ("discriminant_sign", E2 + "    r = np.emath.sqrt(tr * tr + 4 * det)\n"
                                   "    return np.array([(tr + r) / 2, (tr - r) / 2])\n", "tr² − 4·det"),
        ("determinant_sign", "import numpy as np\ndef eigen2x2(A):\n    (a, b), (c, d) = np.asarray(A, dtype=float)\n"
                             "    tr, det = a + d, a * d + b * c\n    r = np.emath.sqrt(tr * tr - 4 * det)\n"
                             "    return np.array([(tr + r) / 2, (tr - r) / 2])\n", "a·d − b·c"),
        ("trace_sign", E2 + "    r = np.emath.sqrt(tr * tr - 4 * det)\n"
                            "    return np.array([(-tr + r) / 2, (-tr - r) / 2])\n", "−tr"),
        ("not_halved", E2 + "    r = np.emath.sqrt(tr * tr - 4 * det)\n    return np.array([tr + r, tr - r])\n",
         "divide by 2"),
        ("root_not_halved", E2 + "    r = np.emath.sqrt(tr * tr - 4 * det)\n"
                                 "    return np.array([tr / 2 + r, tr / 2 - r])\n", "not the square root"),
        ("absolute_discriminant", E2 + "    r = np.sqrt(abs(tr * tr - 4 * det))\n"
                                       "    return np.array([(tr + r) / 2, (tr - r) / 2])\n", "√|disc|"),
        ("imaginary_dropped", E2 + "    r = np.emath.sqrt(tr * tr - 4 * det)\n"
                                   "    return np.array([(tr + r) / 2, (tr - r) / 2]).real\n", "dropped the imaginary"),
        ("nan_for_complex", E2 + "    with np.errstate(invalid='ignore'):\n        r = np.sqrt(tr * tr - 4 * det)\n"
                                 "    return np.array([(tr + r) / 2, (tr - r) / 2])\n", "np.emath.sqrt"),
        ("diagonal", "import numpy as np\ndef eigen2x2(A):\n    return np.sort(np.diag(A).astype(float))[::-1]\n",
         "diagonal entries"),
        ("library_used", "import numpy as np\ndef eigen2x2(A):\n    w = np.linalg.eigvals(A)\n"
                         "    return w[np.lexsort((-w.imag, -w.real))]\n", "from scratch"),
        ("library_used", "from numpy import roots as solve_quadratic\nimport numpy as np\n"
                         "def eigen2x2(A):\n    return solve_quadratic([1, -np.trace(A), np.linalg.det(A)])\n",
         "from scratch"),
        ("error", "def eigen2x2(A):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "eigen.power_iteration": [
        ("not_normalised", _c("""
            import numpy as np
            def power_iteration(A, iters, tol):
                x = np.ones(len(A))
                for _ in range(iters):
                    x = A @ x
                x = x / np.linalg.norm(x)
                return x @ A @ x, x
            """), "normalised at every step"),
        ("swapped", _power(value="x", ret="x @ A @ x"), "(eigenvalue, eigenvector)"),
        ("not_unit", _c("""
            import numpy as np
            def power_iteration(A, iters, tol):
                x = np.ones(len(A))
                for _ in range(iters):
                    y = A @ x
                    y = y / y[np.argmax(np.abs(y))]
                    if np.abs(y - x).max() < tol:
                        x = y
                        break
                    x = y
                return (x @ A @ x) / (x @ x), x
            """), "length is not 1"),
        ("not_unit", _power(ret="x * 2"), "length is not 1"),
        ("norm_eigenvalue", _power(value="np.linalg.norm(A @ x)"), "lost its sign"),
        ("transposed", _power(step="x @ A"), "A.T"),
        ("not_dominant", _power(step="np.linalg.solve(A, x)"), "not for the eigenvalue of largest"),
        ("iters_ignored", _c("""
            import numpy as np
            def power_iteration(A, iters, tol):
                x = np.ones(len(A)) / np.sqrt(len(A))
                while True:
                    y = A @ x
                    y = y / np.linalg.norm(y)
                    if y @ x < 0:
                        y = -y
                    if np.linalg.norm(y - x) < 1e-13:
                        return y @ A @ y, y
                    x = y
            """), "more than `iters` steps"),
        ("not_converged", _c("""
            import numpy as np
            def power_iteration(A, iters, tol):
                x = np.ones(len(A))
                for _ in range(iters):
                    x = A @ x
                    x = x / np.linalg.norm(x)
                    return x @ A @ x, x
            """), "not an eigenvector"),
        ("library_used", "import numpy as np\ndef power_iteration(A, iters, tol):\n    w, V = np.linalg.eig(A)\n"
                         "    i = np.argmax(abs(w))\n    return w[i].real, V[:, i].real\n", "from scratch"),
        ("library_used", _c("""
            import numpy as np
            import scipy.linalg as sl
            spectrum = sl.eigh
            def _top(A):
                w, V = spectrum(A)
                i = np.argmax(np.abs(w))
                return w[i], V[:, i]
            def power_iteration(A, iters, tol):
                return _top((A + A.T) / 2)
            """), "from scratch"),
        ("error", "def power_iteration(A, iters, tol):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "eigen.pagerank": [
        ("column_convention", _pr("""
            n = len(adjacency)
            P = _P(np.asarray(adjacency).T)
            return np.linalg.solve(np.eye(n) - damping * P.T, np.full(n, (1 - damping) / n))
            """), "page i links to page j"),
        ("dangling_dropped", _pr("""
            n = len(adjacency)
            P = _P(adjacency, dangling="drop")
            r = np.full(n, 1 / n)
            for _ in range(1000):
                r = damping * P.T @ r + (1 - damping) / n
            return r
            """), "add up to less than 1"),
        ("dangling_rescaled", _pr("""
            n = len(adjacency)
            P = _P(adjacency, dangling="drop")
            r = np.full(n, 1 / n)
            for _ in range(1000):
                r = damping * P.T @ r + (1 - damping) / n
                r = r / r.sum()
            return r
            """), "rescaled"),
        ("dangling_self", _pr("""
            n = len(adjacency)
            P = _P(adjacency, dangling="drop")
            stuck = P.sum(axis=1) == 0
            P[stuck, stuck] = 1.0
            return np.linalg.solve(np.eye(n) - damping * P.T, np.full(n, (1 - damping) / n))
            """), "keep its own rank"),
        ("damping_swapped", _pr("""
            n = len(adjacency)
            r = np.full(n, 1 / n)
            for _ in range(1000):
                r = (1 - damping) * _P(adjacency).T @ r + damping / n
            return r
            """), "wrong term"),
        ("teleport_not_divided", _pr("""
            n = len(adjacency)
            return np.linalg.solve(np.eye(n) - damping * _P(adjacency).T, np.full(n, 1 - damping))
            """), "(1 − d) / n"),
        ("raw_counts", _c("""
            import numpy as np
            def pagerank(adjacency, damping=0.85):
                M = np.asarray(adjacency, dtype=float).T
                n = len(M)
                r = np.full(n, 1 / n)
                for _ in range(2000):
                    r = damping * M @ r + (1 - damping) / n
                    r = r / r.sum()
                return r
            """), "number of out-links"),
        ("not_iterated", _pr("""
            n = len(adjacency)
            P = _P(adjacency)
            r = np.full(n, 1 / n)
            for _ in range(100):
                new = damping * P.T @ r + (1 - damping) / n
            return r
            """), "never changed r"),
        ("not_a_distribution", _pr("""
            n = len(adjacency)
            r = np.linalg.solve(np.eye(n) - damping * _P(adjacency).T, np.ones(n))
            return r / np.linalg.norm(r)
            """), "add up to 1"),
        ("library_used", _pr("""
            n = len(adjacency)
            G = damping * _P(adjacency) + (1 - damping) / n
            w, V = np.linalg.eig(G.T)
            v = V[:, np.argmax(w.real)].real
            return v / v.sum()
            """), "from scratch"),
        ("library_used", "from scipy.sparse import linalg as sparse_solvers\nimport numpy as np\n"
                         "find = sparse_solvers.eigs\n" + _pr("""
            n = len(adjacency)
            G = damping * _P(adjacency) + (1 - damping) / n
            w, V = find(G.T, k=1)
            v = V[:, 0].real
            return v / v.sum()
            """), "from scratch"),
        ("error", "def pagerank(adjacency, damping=0.85):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
}
