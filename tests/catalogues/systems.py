"""Correct variants and catalogued mistakes for the 03-linear-systems checks.

Each code string defines the student's function as a solution cell would; every mistake must
be reported by its own name, with the given words in the message, on seeds 0, 1 and 2.
"""

from textwrap import dedent


def _code(text: str) -> str:
    return dedent(text).strip() + "\n"


# Forward elimination written with loops; the pivot search, the swap and the row update can
# be swapped for wrong ones.
_FORWARD = """
    import numpy as np
    def forward_eliminate(A, b):
        U = np.array(A, dtype=float)
        c = np.array(b, dtype=float)
        n = len(c)
        for k in range(n):
            p = {pivot}
            if p != k:
                U[[k, p]] = U[[p, k]]
                {swap_b}
            if U[k, k] == 0:
                continue
            for i in range({start}, n):
                if i == k:
                    continue
                m = U[i, k] / U[k, k]
                U[i, k:] {op} m * U[k, k:]
                {update_b}
        return U, c
"""
_ABS = "k + int(np.argmax(np.abs(U[k:, k])))"


def _forward(pivot=_ABS, swap_b="c[[k, p]] = c[[p, k]]", start="k + 1", op="-=", update_b="c[i] {op} m * c[k]"):
    return _code(_FORWARD.format(pivot=pivot, swap_b=swap_b, start=start, op=op, update_b=update_b.format(op=op)))


_BACK = """
    import numpy as np
    def back_substitute(U, c):
        U = np.asarray(U, dtype=float)
        c = np.asarray(c, dtype=float)
        n = len(c)
        x = np.zeros(n)
        for i in {rows}:
            x[i] = {expr}
        return x
"""


def _back(rows="range(n - 1, -1, -1)", expr="(c[i] - np.sum(U[i, i + 1:] * x[i + 1:])) / U[i, i]"):
    return _code(_BACK.format(rows=rows, expr=expr))


_GOOD_FORWARD = _forward()
_GOOD_BACK = _back()


def _solve_from(forward: str = _GOOD_FORWARD, back: str = _GOOD_BACK) -> str:
    return forward + back + "def solve(A, b):\n    return back_substitute(*forward_eliminate(A, b))\n"


# classify by elimination on [A | b], with the zero test and the verdict lines swappable.
_CLASSIFY = """
    import numpy as np
    def classify(A, b):
        A = np.asarray(A, dtype=float)
        b = np.asarray(b, dtype=float)
        M = np.column_stack([A, b])
        n, d = A.shape
        scale = np.max(np.abs(M))
        def zero(v):
            return {zero}
        row = 0
        for k in range(d):
            if row == n:
                break
            p = {pivot}
            if zero(M[p, k]):
                continue
            M[[row, p]] = M[[p, row]]
            for i in range(row + 1, n):
                M[i] -= M[i, k] / M[row, k] * M[row]
            row += 1
        inconsistent = any(not zero(v) for v in M[row:, d])
        {verdict}
"""
_VERDICT = "if inconsistent:\n            return 'none'\n        return 'unique' if row == d else 'infinite'"


def _classify(zero="abs(v) <= 1e-10 * scale", pivot="row + int(np.argmax(np.abs(M[row:, k])))", verdict=_VERDICT):
    return _code(_CLASSIFY.format(zero=zero, pivot=pivot, verdict=verdict))


CORRECT = {
    "systems.forward_eliminate": [
        ("loops over rows", _GOOD_FORWARD),
        ("vectorised rows below", _code("""
            import numpy as np
            def forward_eliminate(A, b):
                M = np.column_stack([np.asarray(A, dtype=float), np.asarray(b, dtype=float)])
                n = M.shape[0]
                for k in range(n):
                    p = k + np.argmax(np.abs(M[k:, k]))
                    M[[k, p]] = M[[p, k]]
                    M[k + 1:] -= np.outer(M[k + 1:, k] / M[k, k], M[k])
                return M[:, :-1], M[:, -1]
        """)),
        ("python lists, returns lists", _code("""
            def forward_eliminate(A, b):
                U = [[float(v) for v in row] for row in A]
                c = [float(v) for v in b]
                n = len(c)
                for k in range(n):
                    p = max(range(k, n), key=lambda r: abs(U[r][k]))
                    U[k], U[p] = U[p], U[k]
                    c[k], c[p] = c[p], c[k]
                    for i in range(k + 1, n):
                        m = U[i][k] / U[k][k]
                        U[i] = [u - m * v for u, v in zip(U[i], U[k])]
                        c[i] -= m * c[k]
                return U, c
        """)),
        ("explicit zeros below the pivot", _forward(update_b="c[i] -= m * c[k]\n                U[i, k] = 0.0")),
    ],
    "systems.back_substitute": [
        ("loop with np.sum", _GOOD_BACK),
        ("inner loop", _back(expr="(c[i] - sum(U[i, j] * x[j] for j in range(i + 1, n))) / U[i, i]")),
        ("list built backwards then reversed", _code("""
            def back_substitute(U, c):
                n = len(c)
                xs = []
                for i in range(n - 1, -1, -1):
                    s = float(c[i])
                    for j, xj in zip(range(n - 1, i, -1), xs):
                        s -= float(U[i][j]) * xj
                    xs.append(s / float(U[i][i]))
                return xs[::-1]
        """)),
        ("row slices with @ on the known part", _back(expr="(c[i] - U[i, i + 1:] @ x[i + 1:]) / U[i, i]")),
    ],
    "systems.solve": [
        ("forward then back", _solve_from()),
        ("augmented matrix, vectorised", _code("""
            import numpy as np
            def solve(A, b):
                M = np.column_stack([np.asarray(A, dtype=float), np.asarray(b, dtype=float)])
                n = len(M)
                for k in range(n):
                    p = k + np.argmax(np.abs(M[k:, k]))
                    M[[k, p]] = M[[p, k]]
                    M[k + 1:] -= np.outer(M[k + 1:, k] / M[k, k], M[k])
                x = np.zeros(n)
                for i in reversed(range(n)):
                    x[i] = (M[i, -1] - M[i, i + 1:n] @ x[i + 1:]) / M[i, i]
                return x
        """)),
        ("Gauss-Jordan with pivoting", _code("""
            import numpy as np
            def solve(A, b):
                M = np.column_stack([np.asarray(A, dtype=float), np.asarray(b, dtype=float)])
                n = len(M)
                for k in range(n):
                    p = k + np.argmax(np.abs(M[k:, k]))
                    M[[k, p]] = M[[p, k]]
                    M[k] = M[k] / M[k, k]
                    for i in range(n):
                        if i != k:
                            M[i] = M[i] - M[i, k] * M[k]
                return M[:, -1]
        """)),
    ],
    "systems.classify": [
        ("elimination on [A | b]", _classify()),
        ("ranks by SVD with a relative tolerance", _code("""
            import numpy as np
            def classify(A, b):
                A = np.asarray(A, dtype=float)
                M = np.column_stack([A, np.asarray(b, dtype=float)])
                tol = 1e-10 * np.max(np.abs(M))
                def rank(X):
                    s = np.linalg.svd(X, compute_uv=False)
                    return int(np.sum(s > tol))
                ra, rm = rank(A), rank(M)
                if ra < rm:
                    return "none"
                return "unique" if ra == A.shape[1] else "infinite"
        """)),
        ("matrix_rank with a tolerance", _code("""
            import numpy as np
            def classify(A, b):
                M = np.column_stack([A, b]).astype(float)
                tol = 1e-10 * max(np.abs(M).max(), 1e-300)
                ra = np.linalg.matrix_rank(A, tol=tol)
                rm = np.linalg.matrix_rank(M, tol=tol)
                return "none" if rm > ra else ("unique" if ra == np.shape(A)[1] else "infinite")
        """)),
    ],
}

MISTAKES = {
    "systems.forward_eliminate": [
        ("no_pivoting", _forward(pivot="k"), "partial pivoting"),
        ("swap_A_not_b", _forward(swap_b="pass"), "right-hand side"),
        ("signed_max", _forward(pivot="k + int(np.argmax(U[k:, k]))"), "ABSOLUTE"),
        ("whole_column", _forward(pivot="int(np.argmax(np.abs(U[:, k])))"), "whole column"),
        ("b_not_updated", _forward(update_b="pass"), "update b"),
        ("above_diagonal", _forward(start="0"), "Gauss-Jordan"),
        ("added_rows", _forward(op="+="), "instead of subtracting"),
        ("library_used", "import numpy as np\ndef forward_eliminate(A, b):\n    import scipy.linalg\n"
                         "    P, L, U = scipy.linalg.lu(A)\n    return U, b\n", "from scratch"),
        ("error", "def forward_eliminate(A, b):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "systems.back_substitute": [
        ("wrong_order", _back(rows="range(n)"), "from the top row down"),
        ("no_division", _back(expr="c[i] - np.sum(U[i, i + 1:] * x[i + 1:])"), "divide"),
        ("added_terms", _back(expr="(c[i] + np.sum(U[i, i + 1:] * x[i + 1:])) / U[i, i]"), "instead of subtracting"),
        ("missed_first", _back(rows="range(n - 1, 0, -1)"), "x[0]"),
        ("transposed", _back(rows="range(n)", expr="(c[i] - np.sum(U[:i, i] * x[:i])) / U[i, i]"), "U.T x = c"),
        ("reversed", _code("""
            def back_substitute(U, c):
                n = len(c)
                x = [0.0] * n
                out = []
                for i in range(n - 1, -1, -1):
                    x[i] = (c[i] - sum(U[i][j] * x[j] for j in range(i + 1, n))) / U[i][i]
                    out.append(x[i])
                return out
        """), "reverse order"),
        ("library_used", "import numpy as np\ndef back_substitute(U, c):\n    return np.linalg.solve(U, c)\n",
         "library solver"),
        ("error", "def back_substitute(U, c):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "systems.solve": [
        ("no_pivoting", _solve_from(forward=_forward(pivot="k")), "tiny pivot"),
        ("no_pivoting", _solve_from(forward=_forward(pivot="k if U[k, k] != 0 else k + int(np.argmax(np.abs(U[k:, k])))")),
         "exactly 0"),
        ("swap_A_not_b", _solve_from(forward=_forward(swap_b="pass")), "right-hand side"),
        ("b_not_updated", _solve_from(forward=_forward(update_b="pass")), "update b"),
        ("wrong_order", _solve_from(back=_back(rows="range(n)")), "top row down"),
        ("no_division", _solve_from(back=_back(expr="c[i] - np.sum(U[i, i + 1:] * x[i + 1:])")), "diagonal entry"),
        ("transposed", _solve_from().replace("forward_eliminate(A, b))", "forward_eliminate(np.transpose(A), b))"),
         "A.T x = b"),
        ("library_used", "import numpy as np\ndef solve(A, b):\n    return np.linalg.inv(A) @ b\n", "inv(A) @ b"),
        ("library_used", "import numpy as np\ndef solve(A, b):\n    return np.linalg.solve(A, b)\n", "library solver"),
        ("error", "def solve(A, b):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "systems.classify": [
        ("always_unique", "def classify(A, b):\n    return 'unique'\n", "singular system"),
        ("exact_zero", _classify(zero="v == 0"), "== 0"),
        ("absolute_tolerance", _classify(zero="abs(v) <= 1e-10"), "small entries"),
        ("absolute_tolerance", _code("""
            import numpy as np
            def classify(A, b):
                if abs(np.linalg.det(A)) > 1e-12:
                    return "unique"
                M = np.column_stack([A, b])
                tol = 1e-10 * max(np.abs(M).max(), 1e-300)
                ra, rm = np.linalg.matrix_rank(A, tol=tol), np.linalg.matrix_rank(M, tol=tol)
                return "none" if rm > ra else "infinite"
        """), "determinant"),
        ("no_pivoting", _classify(pivot="row"), "top-left entry is 0"),
        ("labels_swapped", _classify(verdict="if inconsistent:\n            return 'infinite'\n"
                                             "        return 'unique' if row == d else 'none'"), "swapped"),
        ("ignored_b", _classify(verdict="return 'unique' if row == d else 'infinite'"), "check b too"),
        ("always_none", _classify(verdict="return 'unique' if row == d else 'none'"), "has solutions"),
        ("spelling", _classify(verdict="return 'Unique' if row == d else ('None' if inconsistent else 'Infinite')"),
         "lower case"),
        ("wrong_type", _classify(verdict="return row == d"), "strings"),
        ("error", "def classify(A, b):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
}
