"""Correct variants and catalogued mistakes for the 04-vector-spaces checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


# A from-scratch rank every other answer may lean on: elimination with partial pivoting.
RANK = _c("""
    import numpy as np
    def rank(A, tol=1e-10):
        R = np.array(A, dtype=float)
        m, n = R.shape
        limit = tol * np.max(np.abs(R)) if R.size else 0.0
        row = 0
        for col in range(n):
            if row == m:
                break
            p = row + int(np.argmax(np.abs(R[row:, col])))
            if abs(R[p, col]) <= limit:
                continue
            R[[row, p]] = R[[p, row]]
            R[row + 1:] -= np.outer(R[row + 1:, col] / R[row, col], R[row])
            row += 1
        return row
    """)


def _rank_with(test: str = "abs(R[p, col]) <= limit", limit: str = "tol * np.max(np.abs(R)) if R.size else 0.0",
               result: str = "row", pick: str = "row + int(np.argmax(np.abs(R[row:, col])))",
               before: str = "") -> str:
    return _c(f"""
        import numpy as np
        def rank(A, tol=1e-10):
            R = np.array(A, dtype=float)
            m, n = R.shape
            {before}
            limit = {limit}
            row = 0
            for col in range(n):
                if row == m:
                    break
                p = {pick}
                if {test}:
                    continue
                R[[row, p]] = R[[p, row]]
                R[row + 1:] -= np.outer(R[row + 1:, col] / R[row, col], R[row])
                row += 1
            return {result}
        """)


PIVOTS = _c("""
    import numpy as np
    def pivot_columns(A, tol=1e-10, exact=False, absolute=False):
        R = np.array(A, dtype=float)
        m, n = R.shape
        limit = 0.0 if exact else (tol if absolute else tol * np.max(np.abs(R), initial=0.0))
        row, pivots = 0, []
        for col in range(n):
            if row == m:
                break
            p = row + int(np.argmax(np.abs(R[row:, col])))
            if abs(R[p, col]) <= limit:
                continue
            R[[row, p]] = R[[p, row]]
            R[row + 1:] -= np.outer(R[row + 1:, col] / R[row, col], R[row])
            pivots.append(col)
            row += 1
        return R, pivots
    """)

CORRECT = {
    "spaces.rank": [
        ("elimination with partial pivoting", RANK),
        ("first usable pivot, pure Python lists", _c("""
            def rank(A, tol=1e-10):
                R = [[float(x) for x in row] for row in A]
                m, n = len(R), len(R[0])
                limit = tol * max((abs(x) for row in R for x in row), default=0.0)
                row = 0
                for col in range(n):
                    p = next((i for i in range(row, m) if abs(R[i][col]) > limit), None)
                    if p is None:
                        continue
                    R[row], R[p] = R[p], R[row]
                    for i in range(row + 1, m):
                        f = R[i][col] / R[row][col]
                        R[i] = [a - f * b for a, b in zip(R[i], R[row])]
                    row += 1
                    if row == m:
                        break
                return row
            """)),
        ("reduced row echelon form (Gauss-Jordan)", _c("""
            import numpy as np
            def rank(A, tol=1e-10):
                R = np.asarray(A, dtype=np.float64).copy()
                m, n = R.shape
                scale = np.abs(R).max() if R.size else 0.0
                pivots = 0
                for col in range(n):
                    if pivots == m:
                        break
                    p = pivots + np.argmax(np.abs(R[pivots:, col]))
                    if np.abs(R[p, col]) <= tol * scale:
                        continue
                    R[[pivots, p]] = R[[p, pivots]]
                    R[pivots] = R[pivots] / R[pivots, col]
                    for i in range(m):
                        if i != pivots:
                            R[i] = R[i] - R[i, col] * R[pivots]
                    pivots += 1
                return pivots
            """)),
        ("count the non-zero rows once elimination is done", _c("""
            import numpy as np
            def rank(A, tol=1e-10):
                R = np.array(A, dtype=float)
                m, n = R.shape
                limit = tol * np.abs(R).max(initial=0.0)
                row = 0
                for col in range(n):
                    if row == m:
                        break
                    p = row + np.argmax(np.abs(R[row:, col]))
                    if abs(R[p, col]) <= limit:
                        R[row:, col] = 0.0
                        continue
                    R[[row, p]] = R[[p, row]]
                    for i in range(row + 1, m):
                        R[i] = R[i] - R[i, col] / R[row, col] * R[row]
                    row += 1
                return int(np.sum(np.max(np.abs(R), axis=1) > limit))
            """)),
        ("eliminate the transpose (row rank = column rank)", _c("""
            import numpy as np
            def _pivots(M, limit):
                M = M.copy()
                r = 0
                for c in range(M.shape[1]):
                    if r == M.shape[0]:
                        break
                    p = r + np.argmax(np.abs(M[r:, c]))
                    if abs(M[p, c]) > limit:
                        M[[r, p]] = M[[p, r]]
                        M[r + 1:] -= np.outer(M[r + 1:, c] / M[r, c], M[r])
                        r += 1
                return r
            def rank(A, tol=1e-10):
                A = np.asarray(A, dtype=np.float64)
                return _pivots(A.T, tol * np.max(np.abs(A), initial=0))
            """)),
    ],
}

MISTAKES = {
    "spaces.rank": [
        ("no_tolerance", _rank_with(test="R[p, col] == 0"), "== 0"),
        ("absolute_tolerance", _rank_with(limit="tol"), "absolute"),
        ("ignored_tol", _rank_with(limit="1e-10 * np.max(np.abs(R))"), "tol argument"),
        ("nonzero_rows_early", _rank_with(before="count = sum(1 for r_ in R if np.max(np.abs(r_)) > tol * "
                                                 "np.max(np.abs(R)))", result="count"), "before elimination"),
        ("diagonal_only", _c("""
            import numpy as np
            def rank(A, tol=1e-10):
                R = np.array(A, dtype=float)
                m, n = R.shape
                limit = tol * np.max(np.abs(R))
                for k in range(min(m, n)):
                    p = k + np.argmax(np.abs(R[k:, k]))
                    R[[k, p]] = R[[p, k]]
                    if abs(R[k, k]) <= limit:
                        continue
                    R[k + 1:] -= np.outer(R[k + 1:, k] / R[k, k], R[k])
                return int(np.sum(np.abs(np.diag(R)) > limit))
            """), "DIAGONAL"),
        ("no_pivoting", _rank_with(pick="row"), "swap rows"),
        ("float32", RANK.replace("R = np.array(A, dtype=float)",
                                 "R = A.astype(float) if A.dtype.kind in 'iu' else A.copy()"), "float32"),
        ("zero_matrix", _rank_with(before="R = R / np.max(np.abs(R))", limit="tol"), "rank 0"),
        ("nullity", _rank_with(result="n - row"), "nullity"),
        ("max_rank", "import numpy as np\ndef rank(A, tol=1e-10):\n    return min(np.shape(A))\n", "min(m, n)"),
        ("library_used", "import numpy as np\ndef rank(A, tol=1e-10):\n"
                         "    return int(np.linalg.matrix_rank(A, tol=tol * np.abs(A).max()))\n", "from scratch"),
        ("library_used", _c("""
            import numpy.linalg as la
            singular_values = la.svd
            def rank(A, tol=1e-10):
                s = singular_values(A, compute_uv=False)
                return int((s > tol * max(s[0], 1e-300)).sum())
            """), "from scratch"),
        ("modified_input", RANK.replace("R = np.array(A, dtype=float)", "R = np.asarray(A, dtype=float)"),
         "in place"),
        ("error", "def rank(A, tol=1e-10):\n    raise NotImplementedError()\n", "not answered yet"),
        ("wrong_type", RANK.replace("return row", "return float(row) + 0.5"), "an integer"),
    ],
}

# ------------------------------------------------------------------- column_space_basis

CORRECT["spaces.column_space_basis"] = [
    ("pivot columns of A", PIVOTS + _c("""
        def column_space_basis(A, tol=1e-10):
            _, pivots = pivot_columns(A, tol)
            return np.asarray(A)[:, pivots]
        """)),
    ("pivot columns, normalised to length 1", PIVOTS + _c("""
        def column_space_basis(A, tol=1e-10):
            B = np.asarray(A, dtype=float)[:, pivot_columns(A, tol)[1]]
            return B / np.sqrt((B ** 2).sum(axis=0))
        """)),
    ("orthonormal basis from the SVD", _c("""
        import numpy as np
        def column_space_basis(A, tol=1e-10):
            A = np.asarray(A, dtype=float)
            U, s, Vt = np.linalg.svd(A, full_matrices=False)
            r = int(np.sum(s > tol * s[0])) if s[0] > 0 else 0
            return U[:, :r]
        """)),
    ("Gram-Schmidt on the columns", _c("""
        import numpy as np
        def column_space_basis(A, tol=1e-10):
            A = np.asarray(A, dtype=float)
            limit = tol * np.abs(A).max(initial=0.0)
            Q = []
            for a in A.T:
                for q in Q:
                    a = a - (q @ a) * q
                for q in Q:
                    a = a - (q @ a) * q
                if np.linalg.norm(a) > limit * 10:
                    Q.append(a / np.linalg.norm(a))
            return np.array(Q).T if Q else np.zeros((A.shape[0], 0))
        """)),
    ("greedy: keep a column when it raises the rank", RANK + _c("""
        def column_space_basis(A, tol=1e-10):
            A = np.asarray(A, dtype=float)
            scale = np.abs(A).max(initial=0.0)
            keep = []
            for j in range(A.shape[1]):
                trial = A[:, keep + [j]]
                top = np.abs(trial).max()
                if top > 0 and rank(trial, tol * scale / top) > len(keep):
                    keep.append(j)
            return A[:, keep]
        """)),
    ("combinations of the pivot columns (a different basis of the same space)", PIVOTS + _c("""
        def column_space_basis(A, tol=1e-10):
            B = np.asarray(A, dtype=float)[:, pivot_columns(A, tol)[1]]
            k = B.shape[1]
            mix = np.eye(k) + np.triu(np.ones((k, k)), 1)
            return B @ mix
        """)),
]

MISTAKES["spaces.column_space_basis"] = [
    ("reduced_columns", PIVOTS + _c("""
        def column_space_basis(A, tol=1e-10):
            R, pivots = pivot_columns(A, tol)
            return R[:, pivots]
        """), "REDUCED"),
    ("row_space", PIVOTS + _c("""
        def column_space_basis(A, tol=1e-10):
            R, pivots = pivot_columns(A, tol)
            return R[:len(pivots)].T
        """), "ROW space"),
    ("as_rows", PIVOTS + _c("""
        def column_space_basis(A, tol=1e-10):
            return np.asarray(A, dtype=float)[:, pivot_columns(A, tol)[1]].T
        """), "ROWS"),
    ("all_columns", "import numpy as np\ndef column_space_basis(A, tol=1e-10):\n"
                    "    return np.asarray(A, dtype=float)\n", "every column"),
    ("no_tolerance", PIVOTS + _c("""
        def column_space_basis(A, tol=1e-10):
            return np.asarray(A, dtype=float)[:, pivot_columns(A, tol, exact=True)[1]]
        """), "noise"),
    ("absolute_tolerance", PIVOTS + _c("""
        def column_space_basis(A, tol=1e-10):
            return np.asarray(A, dtype=float)[:, pivot_columns(A, tol, absolute=True)[1]]
        """), "absolute"),
    ("first_columns", PIVOTS + _c("""
        def column_space_basis(A, tol=1e-10):
            r = len(pivot_columns(A, tol)[1])
            return np.asarray(A, dtype=float)[:, :r]
        """), "first `rank` columns"),
    ("dependent", PIVOTS + _c("""
        def column_space_basis(A, tol=1e-10):
            pivots = pivot_columns(A, tol)[1]
            free = [j for j in range(np.shape(A)[1]) if j not in pivots]
            return np.asarray(A, dtype=float)[:, free]
        """), "not independent"),
    ("error", "def column_space_basis(A, tol=1e-10):\n    raise NotImplementedError()\n", "not answered yet"),
]

# ----------------------------------------------------------------------- is_independent

CORRECT["spaces.is_independent"] = [
    ("rank equals the number of columns", RANK + "def is_independent(V, tol=1e-10):\n"
                                                 "    return rank(V, tol) == np.shape(V)[1]\n"),
    ("more vectors than entries first, then the rank of V.T", RANK + _c("""
        def is_independent(V, tol=1e-10):
            m, k = np.shape(V)
            if k > m:
                return False
            return bool(rank(np.asarray(V).T, tol) == k)
        """)),
    ("Gram-Schmidt residuals", _c("""
        import numpy as np
        def is_independent(V, tol=1e-10):
            V = np.asarray(V, dtype=float)
            limit = tol * np.abs(V).max(initial=0.0)
            Q = []
            for v in V.T:
                for _ in range(2):
                    for q in Q:
                        v = v - (q @ v) * q
                if np.linalg.norm(v) <= limit * 10:
                    return False
                Q.append(v / np.linalg.norm(v))
            return True
        """)),
]

CORRECT["spaces.is_independent"] += [
    ("diagonal of R from a QR, after counting", _c("""
        import numpy as np
        def is_independent(V, tol=1e-10):
            V = np.asarray(V, dtype=np.float64)
            m, k = V.shape
            if k > m:
                return False
            R = np.linalg.qr(V, mode="r")
            return bool(np.all(np.abs(np.diag(R)) > tol * np.abs(V).max()))
        """)),
]

MISTAKES["spaces.is_independent"] = [
    ("rows_for_columns", RANK + "def is_independent(V, tol=1e-10):\n    return rank(V, tol) == np.shape(V)[0]\n",
     "COLUMNS"),
    ("no_tolerance", RANK + "def is_independent(V, tol=1e-10):\n    return rank(V, 0.0) == np.shape(V)[1]\n",
     "rounding"),
    ("pairwise_only", _c("""
        import numpy as np
        def is_independent(V, tol=1e-10):
            V = np.asarray(V, dtype=float)
            k = V.shape[1]
            for i in range(k):
                for j in range(i + 1, k):
                    a, b = V[:, i], V[:, j]
                    with np.errstate(all="ignore"):
                        c = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
                    if abs(abs(c) - 1) < 1e-10:
                        return False
            return True
        """), "parallel"),
    ("zero_vector", RANK + _c("""
        def is_independent(V, tol=1e-10):
            V = np.asarray(V, dtype=float)
            V = V[:, np.any(V != 0, axis=0)]
            return rank(V, tol) == V.shape[1]
        """), "zero vector"),
    ("absolute_tolerance", RANK + _c("""
        def is_independent(V, tol=1e-10):
            V = np.asarray(V, dtype=float)
            return rank(V, tol / np.abs(V).max()) == V.shape[1]
        """), "absolute"),
    ("ignored_tol", RANK + "def is_independent(V, tol=1e-10):\n    return rank(V) == np.shape(V)[1]\n",
     "tol argument"),
    ("inverted", RANK + "def is_independent(V, tol=1e-10):\n    return rank(V, tol) < np.shape(V)[1]\n",
     "opposite"),
    ("wrong_type", RANK + "def is_independent(V, tol=1e-10):\n    return int(rank(V, tol) == np.shape(V)[1])\n",
     "True or False"),
    ("error", "def is_independent(V, tol=1e-10):\n    raise NotImplementedError()\n", "not answered yet"),
]

# -------------------------------------------------------------------------- coordinates

CORRECT["spaces.coordinates"] = [
    ("least squares", "import numpy as np\ndef coordinates(v, basis):\n"
                      "    return np.linalg.lstsq(basis, v, rcond=None)[0]\n"),
    ("solve when square, normal equations otherwise", _c("""
        import numpy as np
        def coordinates(v, basis):
            B = np.asarray(basis, dtype=float)
            if B.shape[0] == B.shape[1]:
                return np.linalg.solve(B, v)
            return np.linalg.solve(B.T @ B, B.T @ v)
        """)),
    ("pseudoinverse", "import numpy as np\ndef coordinates(v, basis):\n"
                      "    return np.linalg.pinv(np.asarray(basis, dtype=float)) @ v\n"),
    ("QR then a triangular solve (SciPy)", _c("""
        import numpy as np
        from scipy.linalg import solve_triangular
        def coordinates(v, basis):
            Q, R = np.linalg.qr(np.asarray(basis, dtype=float))
            return solve_triangular(R, Q.T @ v)
        """)),
    ("elimination on [basis | v], then back substitution", _c("""
        import numpy as np
        def coordinates(v, basis):
            M = np.column_stack([np.asarray(basis, float), np.asarray(v, float)])
            m, k = np.shape(basis)
            for c in range(k):
                p = c + np.argmax(np.abs(M[c:, c]))
                M[[c, p]] = M[[p, c]]
                M[c + 1:] -= np.outer(M[c + 1:, c] / M[c, c], M[c])
            x = np.zeros(k)
            for i in range(k - 1, -1, -1):
                x[i] = (M[i, k] - M[i, i + 1:k] @ x[i + 1:]) / M[i, i]
            return x
        """)),
    ("float32 in, float32 out", "import numpy as np\ndef coordinates(v, basis):\n"
                                "    return np.linalg.lstsq(basis, v, rcond=None)[0].astype(np.asarray(v).dtype if "
                                "np.asarray(v).dtype.kind == 'f' else float)\n"),
]

CO = "import numpy as np\ndef coordinates(v, basis):\n    B = np.asarray(basis, dtype=float)\n" \
     "    v = np.asarray(v, dtype=float)\n"

MISTAKES["spaces.coordinates"] = [
    ("basis_as_rows", CO + "    return np.linalg.solve(B.T, v)\n", "ROWS"),
    ("basis_as_rows", CO + "    return v @ np.linalg.inv(B)\n", "ROWS"),
    ("dot_products", CO + "    return B.T @ v\n", "dot products"),
    ("separate_projections", CO + "    return np.array([b @ v / (b @ b) for b in B.T])\n", "on its own"),
    ("wrong_direction", CO + "    return B @ v\n", "basis @ v"),
    ("orthonormalised", CO + "    Q, R = np.linalg.qr(B)\n    return Q.T @ v\n", "orthonormalised"),
    ("normal_equations", CO + "    return np.linalg.solve(B.T @ B, v)\n", "normal equations"),
    ("wrong_type", CO + "    return np.linalg.lstsq(B, v, rcond=None)\n", "single array"),
    ("error", "def coordinates(v, basis):\n    raise NotImplementedError()\n", "not answered yet"),
]

# ------------------------------------------------------------------------------ in_span

CORRECT["spaces.in_span"] = [
    ("rank([V | v]) == rank(V), each with its own scale", RANK + _c("""
        def in_span(v, V, tol=1e-10):
            return rank(np.column_stack([V, v]), tol) == rank(V, tol)
        """)),
    ("rank([V | v]) == rank(V)", RANK + _c("""
        def in_span(v, V, tol=1e-10):
            M = np.column_stack([V, v]).astype(float)
            scale = np.abs(M).max()
            if scale == 0:
                return True
            Vs = np.asarray(V, dtype=float)
            r_V = rank(Vs, tol * scale / np.abs(Vs).max()) if np.abs(Vs).max() > 0 else 0
            return rank(M, tol) == r_V
        """)),
    ("least-squares residual, relative to |v|", _c("""
        import numpy as np
        def in_span(v, V, tol=1e-10):
            v = np.asarray(v, dtype=float)
            c = np.linalg.lstsq(np.asarray(V, dtype=float), v, rcond=None)[0]
            return bool(np.linalg.norm(v - np.asarray(V, dtype=float) @ c) <= tol * np.linalg.norm(v))
        """)),
    ("projection with the pseudoinverse", _c("""
        import numpy as np
        def in_span(v, V, tol=1e-10):
            V = np.asarray(V, dtype=float)
            v = np.asarray(v, dtype=float)
            p = V @ (np.linalg.pinv(V) @ v)
            return np.max(np.abs(v - p)) <= tol * np.max(np.abs(np.column_stack([V, v])))
        """)),
]

CORRECT["spaces.in_span"] += [
    ("residual after projecting on an orthonormal basis from the SVD", _c("""
        import numpy as np
        def in_span(v, V, tol=1e-10):
            V = np.asarray(V, dtype=np.float64)
            v = np.asarray(v, dtype=np.float64)
            U, s, _ = np.linalg.svd(V, full_matrices=False)
            U = U[:, s > tol * s[0]] if s[0] > 0 else U[:, :0]
            residual = v - U @ (U.T @ v)
            return bool(np.linalg.norm(residual) <= tol * max(np.linalg.norm(v), 1e-300) or not v.any())
        """)),
]

SP = "import numpy as np\ndef in_span(v, V, tol=1e-10):\n    V = np.asarray(V, dtype=float)\n" \
     "    v = np.asarray(v, dtype=float)\n    c = np.linalg.lstsq(V, v, rcond=None)[0]\n" \
     "    res = np.linalg.norm(v - V @ c)\n"

MISTAKES["spaces.in_span"] = [
    ("no_tolerance", SP + "    return bool(res == 0)\n", "1e-16"),
    ("rows_for_columns", RANK + _c("""
        def in_span(v, V, tol=1e-10):
            return rank(np.vstack([V, v]), tol) == rank(V, tol)
        """), "ROWS"),
    ("parallel_only", _c("""
        import numpy as np
        def in_span(v, V, tol=1e-10):
            v = np.asarray(v, dtype=float)
            if not np.any(v):
                return True
            for col in np.asarray(V, dtype=float).T:
                c = abs(col @ v) / (np.linalg.norm(col) * np.linalg.norm(v))
                if abs(c - 1) <= 1e-9:
                    return True
            return False
        """), "parallel"),
    ("zero_vector", SP + "    with np.errstate(all='ignore'):\n"
                         "        return bool(res / np.linalg.norm(v) <= tol)\n", "zero vector"),
    ("absolute_tolerance", SP + "    return bool(res <= tol)\n", "absolute"),
    ("ignored_tol", SP + "    return bool(res <= 1e-10 * np.linalg.norm(v))\n", "tol argument"),
    ("inverted", SP + "    return bool(res > tol * np.linalg.norm(v))\n", "opposite"),
    ("error", "def in_span(v, V, tol=1e-10):\n    raise NotImplementedError()\n", "not answered yet"),
]
