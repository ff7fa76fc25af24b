"""Correct variants and catalogued mistakes for the 13-numerics checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


# The notebook gives trusted_solve; every solve_vs_inv_error variant runs beside it.
TRUSTED = _c("""
    import numpy as np
    from fractions import Fraction

    def exact_residual(A, b, x):
        xs = [Fraction(float(v)) for v in x]
        return np.array([float(Fraction(float(b[i])) - sum(Fraction(float(a)) * v for a, v in zip(A[i], xs)))
                         for i in range(len(b))])

    def trusted_solve(A, b, steps=3):
        A = np.asarray(A, dtype=float)
        b = np.asarray(b, dtype=float)
        x = np.linalg.solve(A, b)
        for _ in range(steps):
            x = x + np.linalg.solve(A, exact_residual(A, b, x))
        return x
    """)

REL = _c("""
    import numpy as np
    def relative_error(x, x_ref):
        d = np.linalg.norm(np.ravel(x_ref))
        e = np.linalg.norm(np.ravel(x) - np.ravel(x_ref))
        if d == 0:
            return 0.0 if e == 0 else np.inf
        return e / d
    """)

SV = "import numpy as np\ndef condition_number(A):\n    s = np.linalg.svd(A, compute_uv=False)\n"
VAR = "import numpy as np\ndef two_pass_variance(x):\n    x = np.asarray(x, dtype=float)\n    n = len(x)\n"
LSE = "import numpy as np\ndef logsumexp(x, axis):\n    x = np.asarray(x, dtype=float)\n"
SVI = TRUSTED + REL + _c("""
    def solve_vs_inv_error(A, b):
        x_ref = trusted_solve(A, b)
        x_solve = np.linalg.solve(A, b)
        x_inv = np.linalg.inv(A) @ b
    """).replace("\n    ", "\n    ")

CORRECT = {
    "numerics.condition_number": [
        ("svd ratio with the matrix_rank rule", _c("""
            import numpy as np
            def condition_number(A):
                A = np.asarray(A, dtype=np.float64)
                s = np.linalg.svd(A, compute_uv=False)
                if s[-1] <= s[0] * max(A.shape) * np.finfo(float).eps:
                    return np.inf
                return s[0] / s[-1]
            """)),
        ("matrix_rank decides singular", _c("""
            import numpy as np
            def condition_number(A):
                s = np.linalg.svd(np.asarray(A, dtype=float), compute_uv=False)
                if np.linalg.matrix_rank(np.asarray(A, dtype=float)) < min(np.shape(A)):
                    return float("inf")
                return float(s.max() / s.min())
            """)),
        ("torch svdvals", _c("""
            import torch
            def condition_number(A):
                s = torch.linalg.svdvals(torch.as_tensor(A, dtype=torch.float64))
                tol = s[0] * max(A.shape) * torch.finfo(torch.float64).eps
                return float("inf") if s[-1] <= tol else (s[0] / s[-1]).item()
            """)),
        ("scipy svdvals", _c("""
            import numpy as np
            from scipy.linalg import svdvals
            def condition_number(A):
                s = svdvals(A)
                return np.inf if s[-1] <= s[0] * max(np.shape(A)) * np.finfo(float).eps else s[0] / s[-1]
            """)),
        ("loop for the extremes", _c("""
            import numpy as np
            def condition_number(A):
                A = np.array(A, dtype=float)
                s = np.linalg.svd(A)[1]
                big, small = s[0], s[0]
                for v in s:
                    big, small = max(big, v), min(small, v)
                if small <= big * max(A.shape) * 2.220446049250313e-16:
                    return np.inf
                return big / small
            """)),
    ],
    "numerics.relative_error": [
        ("np.linalg.norm on the flattened arrays", REL),
        ("sum of squares", _c("""
            import numpy as np
            def relative_error(x, x_ref):
                x = np.asarray(x, dtype=float)
                r = np.asarray(x_ref, dtype=float)
                num = np.sqrt(np.sum((x - r) ** 2))
                den = np.sqrt(np.sum(r ** 2))
                if den == 0:
                    return np.inf if num > 0 else 0.0
                return num / den
            """)),
        ("loops", _c("""
            import math
            def relative_error(x, x_ref):
                num = den = 0.0
                for a, r in zip(x.ravel().tolist(), x_ref.ravel().tolist()):
                    num += (a - r) ** 2
                    den += r * r
                if den == 0:
                    return 0.0 if num == 0 else math.inf
                return math.sqrt(num / den)
            """)),
        ("frobenius norm for matrices", _c("""
            import numpy as np
            def relative_error(x, x_ref):
                x = np.atleast_1d(np.asarray(x, dtype=np.float64))
                r = np.atleast_1d(np.asarray(x_ref, dtype=np.float64))
                d = np.linalg.norm(r) if r.ndim == 1 else np.linalg.norm(r, "fro")
                e = np.linalg.norm(x - r) if r.ndim == 1 else np.linalg.norm(x - r, "fro")
                if not d:
                    return float(e and np.inf)
                return e / d
            """)),
    ],
    "numerics.two_pass_variance": [
        ("two passes", VAR + "    m = x.sum() / n\n    return np.sum((x - m) ** 2) / n\n"),
        ("loops", _c("""
            def two_pass_variance(x):
                vals = [float(v) for v in x]
                m = sum(vals) / len(vals)
                return sum((v - m) ** 2 for v in vals) / len(vals)
            """)),
        ("np.var", "import numpy as np\ndef two_pass_variance(x):\n    return np.var(np.asarray(x, dtype=float))\n"),
        ("Welford's one-pass update", _c("""
            def two_pass_variance(x):
                mean, m2 = 0.0, 0.0
                for k, v in enumerate(x, start=1):
                    v = float(v)
                    delta = v - mean
                    mean += delta / k
                    m2 += delta * (v - mean)
                return m2 / len(x)
            """)),
        ("one pass on data shifted by its first value", VAR +
         "    y = x - x[0]\n    return np.mean(y ** 2) - np.mean(y) ** 2\n"),
    ],
    "numerics.logsumexp": [
        ("max shift with np.where", LSE + _c("""
                m = np.max(x, axis=axis, keepdims=True)
                m = np.where(np.isfinite(m), m, 0.0)
                return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(x - m), axis=axis))
            """).replace("\n", "\n    ").rstrip() .replace("m = np.max", "    m = np.max", 1) + "\n"),
        ("moveaxis and a loop over slices", _c("""
            import math
            import numpy as np
            def _one(v):
                m = max(v)
                if m == -math.inf:
                    return -math.inf
                return m + math.log(sum(math.exp(t - m) for t in v))
            def logsumexp(x, axis):
                x = np.moveaxis(np.asarray(x, dtype=float), axis, -1)
                flat = x.reshape(-1, x.shape[-1])
                out = np.array([_one(row.tolist()) for row in flat])
                return out.reshape(x.shape[:-1])
            """)),
        ("float32 kept", _c("""
            import numpy as np
            def logsumexp(x, axis):
                m = np.max(x, axis=axis, keepdims=True)
                m[~np.isfinite(m)] = 0
                out = m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))
                return out.squeeze(axis)
            """)),
        ("torch, stable by hand", _c("""
            import torch
            def logsumexp(x, axis):
                t = torch.as_tensor(x, dtype=torch.float64)
                m = t.amax(dim=axis, keepdim=True)
                m = torch.where(torch.isfinite(m), m, torch.zeros_like(m))
                return (m.squeeze(axis) + torch.log(torch.exp(t - m).sum(dim=axis))).numpy()
            """)),
    ],
    "numerics.solve_vs_inv_error": [
        ("with relative_error", SVI + "    return relative_error(x_solve, x_ref), relative_error(x_inv, x_ref)\n"),
        ("norms inline, inv(A).dot(b)", TRUSTED + _c("""
            def solve_vs_inv_error(A, b):
                x_ref = trusted_solve(A, b)
                err = lambda x: np.linalg.norm(x - x_ref) / np.linalg.norm(x_ref)
                return err(np.linalg.solve(A, b)), err(np.linalg.inv(A).dot(b))
            """)),
        ("matrix-vector product by a loop", TRUSTED + _c("""
            def solve_vs_inv_error(A, b):
                x_ref = trusted_solve(A, b)
                Ainv = np.linalg.inv(A)
                x_inv = np.array([sum(Ainv[i, j] * b[j] for j in range(len(b))) for i in range(len(b))])
                x_solve = np.linalg.solve(A, b[:, None])[:, 0]
                d = np.sqrt(np.sum(x_ref ** 2))
                return (float(np.sqrt(np.sum((x_solve - x_ref) ** 2)) / d),
                        float(np.sqrt(np.sum((x_inv - x_ref) ** 2)) / d))
            """)),
    ],
}

MISTAKES = {
    "numerics.condition_number": [
        ("eigenvalues", _c("""
            import numpy as np
            def condition_number(A):
                lam = np.abs(np.linalg.eigvals(A))
                return lam.max() / lam.min()
            """), "eigenvalues"),
        ("squared", _c("""
            import numpy as np
            def condition_number(A):
                lam = np.linalg.eigvalsh(A.T @ A)
                if lam[0] <= lam[-1] * 1e-30:
                    return np.inf
                return lam[-1] / lam[0]
            """), "SQUARED"),
        ("inverted", SV + "    return 0.0 if s[-1] <= s[0] * 1e-15 * max(A.shape) else s[-1] / s[0]\n",
         "sigma_min / sigma_max"),
        ("frobenius", _c("""
            import numpy as np
            def condition_number(A):
                return np.linalg.norm(A) * np.linalg.norm(np.linalg.inv(A))
            """), "Frobenius"),
        ("one_norm", _c("""
            import numpy as np
            def condition_number(A):
                return np.linalg.norm(A, 1) * np.linalg.norm(np.linalg.inv(A), 1)
            """), "1-norm"),
        ("finite_singular", SV + "    return s[0] / s[-1]\n", "np.inf"),
        ("normal_matrix", _c("""
            import numpy as np
            def condition_number(A):
                lam = np.linalg.eigvalsh(A.T @ A)
                return np.sqrt(lam[-1] / lam[0]) if lam[0] > 0 else np.inf
            """), "A.T @ A"),
        ("normal_matrix", _c("""
            import numpy as np
            def condition_number(A):
                s = np.linalg.svd(np.asarray(A, dtype=np.float32), compute_uv=False)
                return np.inf if s[-1] == 0 else s[0] / s[-1]
            """), "float32"),
        ("not_singular_inf", SV + "    return np.inf if s[-1] < 1e-6 * s[0] else s[0] / s[-1]\n", "too loose"),
        ("smallest_nonzero", SV + "    s = s[s > 1e-12 * s[0]]\n    return s[0] / s[-1]\n", "NONZERO"),
        ("library_used", "import numpy as np\ndef condition_number(A):\n    return np.linalg.cond(A)\n",
         "from scratch"),
        ("library_used", "from numpy import linalg as la\nkappa = la.cond\n"
                         "def condition_number(A):\n    return kappa(A, 2)\n", "from scratch"),
        ("error", "def condition_number(A):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "numerics.relative_error": [
        ("wrong_denominator", _c("""
            import numpy as np
            def relative_error(x, x_ref):
                if not np.any(x_ref):
                    return 0.0 if not np.any(x) else np.inf
                return np.linalg.norm(x - x_ref) / np.linalg.norm(x)
            """), "norm of x"),
        ("absolute", _c("""
            import numpy as np
            def relative_error(x, x_ref):
                if not np.any(x_ref):
                    return 0.0 if not np.any(x) else np.inf
                return np.linalg.norm(x - x_ref)
            """), "absolute error"),
        ("squared", _c("""
            import numpy as np
            def relative_error(x, x_ref):
                if not np.any(x_ref):
                    return 0.0 if not np.any(x) else np.inf
                return np.sum((x - x_ref) ** 2) / np.sum(x_ref ** 2)
            """), "square root"),
        ("difference_of_norms", _c("""
            import numpy as np
            def relative_error(x, x_ref):
                if not np.any(x_ref):
                    return 0.0 if not np.any(x) else np.inf
                return abs(np.linalg.norm(x) - np.linalg.norm(x_ref)) / np.linalg.norm(x_ref)
            """), "norm of the difference"),
        ("entrywise", _c("""
            import numpy as np
            def relative_error(x, x_ref):
                if not np.any(x_ref):
                    return 0.0 if not np.any(x) else np.inf
                return np.mean(np.abs(x - x_ref) / np.abs(x_ref))
            """), "entry-by-entry"),
        ("max_norm", _c("""
            import numpy as np
            def relative_error(x, x_ref):
                if not np.any(x_ref):
                    return 0.0 if not np.any(x) else np.inf
                return np.max(np.abs(x - x_ref)) / np.max(np.abs(x_ref))
            """), "infinity norm"),
        ("zero_reference", _c("""
            import numpy as np
            def relative_error(x, x_ref):
                with np.errstate(all="ignore"):
                    return np.linalg.norm(x - x_ref) / np.linalg.norm(x_ref)
            """), "np.inf otherwise"),
        ("zero_reference", _c("""
            import numpy as np
            def relative_error(x, x_ref):
                d = np.linalg.norm(x_ref)
                return np.linalg.norm(x - x_ref) / (d if d > 0 else 1.0)
            """), "absolute error ||x||"),
        ("error", "def relative_error(x, x_ref):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "numerics.two_pass_variance": [
        ("sample", VAR + "    return np.sum((x - x.mean()) ** 2) / (n - 1)\n", "n - 1"),
        ("std", VAR + "    return np.sqrt(np.mean((x - x.mean()) ** 2))\n", "standard deviation"),
        ("sum", VAR + "    return np.sum((x - x.mean()) ** 2)\n", "divide it by n"),
        ("not_centred", VAR + "    return np.mean(x ** 2)\n", "without subtracting the mean"),
        ("abs_deviation", VAR + "    return np.mean(np.abs(x - x.mean()))\n", "SQUARED deviations"),
        ("float32", "import numpy as np\ndef two_pass_variance(x):\n    x = np.asarray(x, dtype=np.float32)\n"
                    "    return np.mean((x - x.mean()) ** 2)\n", "float32"),
        ("one_pass", VAR + "    return np.mean(x ** 2) - np.mean(x) ** 2\n", "catastrophic cancellation"),
        ("one_pass", VAR + "    s = 0.0\n    s2 = 0.0\n    for v in x:\n        s += v\n        s2 += v * v\n"
                           "    return s2 / n - (s / n) ** 2\n", "one-pass formula"),
        ("error", "def two_pass_variance(x):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "numerics.logsumexp": [
        ("no_shift", LSE + "    return np.log(np.sum(np.exp(x), axis=axis))\n", "overflows"),
        ("shift_not_added", LSE + "    m = np.max(x, axis=axis, keepdims=True)\n"
                                  "    return np.log(np.sum(np.exp(x - m), axis=axis))\n", "add it back"),
        ("min_shift", LSE + "    m = np.min(x, axis=axis, keepdims=True)\n    m = np.where(np.isfinite(m), m, 0)\n"
                            "    return np.squeeze(m, axis) + np.log(np.sum(np.exp(x - m), axis=axis))\n", "MINIMUM"),
        ("global_max", LSE + "    m = np.max(x)\n    return m + np.log(np.sum(np.exp(x - m), axis=axis))\n",
         "WHOLE array"),
        ("wrong_axis", LSE + "    axis = 1 - axis if x.ndim == 2 else axis\n"
                             "    m = np.max(x, axis=axis, keepdims=True)\n    m = np.where(np.isfinite(m), m, 0)\n"
                             "    return np.squeeze(m, axis) + np.log(np.sum(np.exp(x - m), axis=axis))\n",
         "wrong axis"),
        ("mean_not_sum", LSE + "    m = np.max(x, axis=axis, keepdims=True)\n    m = np.where(np.isfinite(m), m, 0)\n"
                               "    return np.squeeze(m, axis) + np.log(np.mean(np.exp(x - m), axis=axis))\n", "MEAN"),
        ("keepdims", LSE + "    m = np.max(x, axis=axis, keepdims=True)\n    m = np.where(np.isfinite(m), m, 0)\n"
                           "    return m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))\n", "keepdims"),
        ("neg_inf_slice", LSE + "    m = np.max(x, axis=axis, keepdims=True)\n"
                                "    return np.squeeze(m, axis) + np.log(np.sum(np.exp(x - m), axis=axis))\n",
         "all -inf"),
        ("library_used", "from scipy.special import logsumexp as _lse\n"
                         "def logsumexp(x, axis):\n    return _lse(x, axis=axis)\n", "from scratch"),
        ("library_used", "import numpy as np\nreduce_pair = np.logaddexp\n"
                         "def logsumexp(x, axis):\n    return reduce_pair.reduce(x, axis=axis)\n", "from scratch"),
        ("error", "def logsumexp(x, axis):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "numerics.solve_vs_inv_error": [
        ("swapped", SVI + "    return relative_error(x_inv, x_ref), relative_error(x_solve, x_ref)\n", "wrong order"),
        ("absolute", SVI + "    return np.linalg.norm(x_solve - x_ref), np.linalg.norm(x_inv - x_ref)\n",
         "absolute errors"),
        ("against_solve", SVI + "    return relative_error(x_solve, x_solve), relative_error(x_inv, x_solve)\n",
         "trusted solution"),
        ("residual", SVI + "    return relative_error(A @ x_solve, b), relative_error(A @ x_inv, b)\n",
         "residuals"),
        ("squared", SVI + "    return relative_error(x_solve, x_ref) ** 2, relative_error(x_inv, x_ref) ** 2\n",
         "squared"),
        ("transposed", SVI + "    x_inv = b @ np.linalg.inv(A)\n"
                             "    return relative_error(x_solve, x_ref), relative_error(x_inv, x_ref)\n",
         "transpose"),
        ("wrong_type", SVI + "    return relative_error(x_solve, x_ref)\n", "tuple of two numbers"),
        ("error", "def solve_vs_inv_error(A, b):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
}
