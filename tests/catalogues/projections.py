"""Correct variants and catalogued mistakes for the 10-projections checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


# Building blocks the variants share (each is a realistic way a student writes them).
MGS = _c("""
    import numpy as np
    def mgs_qr(A):
        Q = np.array(A, dtype=float)
        m, n = Q.shape
        R = np.zeros((n, n))
        for k in range(n):
            R[k, k] = np.linalg.norm(Q[:, k])
            Q[:, k] = Q[:, k] / R[k, k]
            for j in range(k + 1, n):
                R[k, j] = Q[:, k] @ Q[:, j]
                Q[:, j] = Q[:, j] - R[k, j] * Q[:, k]
        return Q, R
    """)

CGS = _c("""
    import numpy as np
    def cgs_qr(A):
        A = np.asarray(A, dtype=float)
        m, n = A.shape
        Q = np.zeros((m, n))
        R = np.zeros((n, n))
        for j in range(n):
            u = A[:, j].copy()
            for i in range(j):
                R[i, j] = Q[:, i] @ A[:, j]
                u = u - R[i, j] * Q[:, i]
            R[j, j] = np.linalg.norm(u)
            Q[:, j] = u / R[j, j]
        return Q, R
    """)

HOUSEHOLDER = _c("""
    import numpy as np
    def householder(A):
        R = np.array(A, dtype=float)
        m, n = R.shape
        Q = np.eye(m)
        for k in range(min(n, m - 1)):
            x = R[k:, k].copy()
            v = x.copy()
            v[0] += (1.0 if x[0] >= 0 else -1.0) * np.linalg.norm(x)
            v = v / np.linalg.norm(v)
            R[k:, :] -= 2.0 * np.outer(v, v @ R[k:, :])
            Q[:, k:] -= 2.0 * np.outer(Q[:, k:] @ v, v)
        return Q, R
    """)

BACK = _c("""
    def back_substitute(R, c):
        n = len(c)
        x = np.zeros(n)
        for i in range(n - 1, -1, -1):
            x[i] = (c[i] - R[i, i + 1:] @ x[i + 1:]) / R[i, i]
        return x
    """)

CORRECT = {
    "projections.project_onto": [
        ("dot products", _c("""
            import numpy as np
            def project_onto(b, a):
                return (a @ b) / (a @ a) * a
            """)),
        ("unit vector", _c("""
            import numpy as np
            def project_onto(b, a):
                a = np.asarray(a, dtype=float)
                a_hat = a / np.linalg.norm(a)
                return (a_hat @ b) * a_hat
            """)),
        ("loops", _c("""
            def project_onto(b, a):
                ab = sum(float(x) * float(y) for x, y in zip(a, b))
                aa = sum(float(x) * float(x) for x in a)
                return [ab / aa * float(x) for x in a]
            """)),
        ("projection matrix a a^T / a^T a", _c("""
            import numpy as np
            def project_onto(b, a):
                a = np.asarray(a, dtype=float)
                P = np.outer(a, a) / np.dot(a, a)
                return P @ b
            """)),
        ("float32 kept", _c("""
            import numpy as np
            def project_onto(b, a):
                return np.dot(a, b) / np.dot(a, a) * a
            """)),
    ],
    "projections.projection_matrix": [
        ("inverse of the Gram matrix", _c("""
            import numpy as np
            def projection_matrix(A):
                return A @ np.linalg.inv(A.T @ A) @ A.T
            """)),
        ("solve", _c("""
            import numpy as np
            def projection_matrix(A):
                A = np.asarray(A, dtype=float)
                return A @ np.linalg.solve(A.T @ A, A.T)
            """)),
        ("Q Q^T from the reduced QR", _c("""
            import numpy as np
            def projection_matrix(A):
                Q, _ = np.linalg.qr(np.asarray(A, dtype=float))
                return Q @ Q.T
            """)),
        ("pseudoinverse", _c("""
            import numpy as np
            def projection_matrix(A):
                return np.asarray(A, dtype=float) @ np.linalg.pinv(A)
            """)),
        ("U U^T from the SVD", _c("""
            import numpy as np
            def projection_matrix(A):
                U, s, Vt = np.linalg.svd(np.asarray(A, dtype=float), full_matrices=False)
                return U @ U.T
            """)),
        ("own modified Gram-Schmidt", MGS + "def projection_matrix(A):\n    Q, _ = mgs_qr(A)\n    return Q @ Q.T\n"),
    ],
    "projections.gram_schmidt": [
        ("modified, in place", MGS + "def gram_schmidt(V):\n    return mgs_qr(V)[0]\n"),
        ("modified, list of q", _c("""
            import numpy as np
            def gram_schmidt(V):
                qs = []
                for v in np.asarray(V, dtype=float).T:
                    w = v.copy()
                    for q in qs:
                        w = w - (q @ w) * q
                    qs.append(w / np.sqrt(w @ w))
                return np.column_stack(qs)
            """)),
        ("modified, unnormalised u then |u|^2", _c("""
            import numpy as np
            def gram_schmidt(V):
                V = np.asarray(V, dtype=np.float64)
                us = []
                for j in range(V.shape[1]):
                    w = V[:, j].copy()
                    for u in us:
                        w -= np.dot(u, w) / np.dot(u, u) * u
                    us.append(w)
                U = np.array(us).T
                return U / np.linalg.norm(U, axis=0)
            """)),
        ("classical, orthogonalised twice", _c("""
            import numpy as np
            def gram_schmidt(V):
                V = np.asarray(V, dtype=float)
                Q = np.zeros_like(V)
                for j in range(V.shape[1]):
                    u = V[:, j]
                    for _ in range(2):
                        u = u - Q[:, :j] @ (Q[:, :j].T @ u)
                    Q[:, j] = u / np.linalg.norm(u)
                return Q
            """)),
        ("Householder reflections (other signs)", HOUSEHOLDER +
         "def gram_schmidt(V):\n    Q, R = householder(V)\n    return Q[:, :np.shape(V)[1]]\n"),
        ("modified, every other column flipped", MGS + _c("""
            def gram_schmidt(V):
                Q = mgs_qr(V)[0]
                Q[:, ::2] *= -1
                return Q
            """)),
    ],
    "projections.qr": [
        ("modified Gram-Schmidt", MGS + "def qr(A):\n    return mgs_qr(A)\n"),
        ("R = Q^T A", _c("""
            import numpy as np
            def qr(A):
                A = np.asarray(A, dtype=float)
                qs = []
                for a in A.T:
                    w = a.copy()
                    for q in qs:
                        w -= (q @ w) * q
                    qs.append(w / np.linalg.norm(w))
                Q = np.column_stack(qs)
                return Q, np.triu(Q.T @ A)
            """)),
        ("Householder, reduced (negative diagonal)", HOUSEHOLDER + _c("""
            def qr(A):
                Q, R = householder(A)
                n = np.shape(A)[1]
                return Q[:, :n], np.triu(R[:n])
            """)),
        ("signs flipped together", MGS + _c("""
            def qr(A):
                Q, R = mgs_qr(A)
                return -Q, -R
            """)),
        ("float32 kept", _c("""
            import numpy as np
            def qr(A):
                Q = np.array(A, copy=True)
                if Q.dtype.kind != "f":
                    Q = Q.astype(float)
                n = Q.shape[1]
                R = np.zeros((n, n), dtype=Q.dtype)
                for k in range(n):
                    R[k, k] = np.linalg.norm(Q[:, k])
                    Q[:, k] /= R[k, k]
                    R[k, k + 1:] = Q[:, k] @ Q[:, k + 1:]
                    Q[:, k + 1:] -= np.outer(Q[:, k], R[k, k + 1:])
                return Q, R
            """)),
    ],
    "projections.least_squares": [
        ("QR of [A | b]", MGS + BACK + _c("""
            def least_squares(A, b):
                n = np.shape(A)[1]
                _, R = mgs_qr(np.column_stack([A, b]))
                return back_substitute(R[:n, :n], R[:n, n])
            """)),
        ("modified Q^T b", MGS + BACK + _c("""
            def least_squares(A, b):
                Q, R = mgs_qr(A)
                r = np.array(b, dtype=float)
                c = np.zeros(R.shape[0])
                for k in range(len(c)):
                    c[k] = Q[:, k] @ r
                    r = r - c[k] * Q[:, k]
                return back_substitute(R, c)
            """)),
        ("Householder, Q^T b", HOUSEHOLDER + BACK + _c("""
            def least_squares(A, b):
                n = np.shape(A)[1]
                Q, R = householder(A)
                c = Q.T @ np.asarray(b, dtype=float)
                return back_substitute(R[:n, :n], c[:n])
            """)),
        ("float32 kept", _c("""
            import numpy as np
            def least_squares(A, b):
                M = np.column_stack([A, b])
                if M.dtype.kind != "f":
                    M = M.astype(float)
                m, k = M.shape
                n = k - 1
                R = np.zeros((k, k), dtype=M.dtype)
                for i in range(k):
                    R[i, i] = np.sqrt(np.sum(M[:, i] ** 2))
                    M[:, i] /= R[i, i]
                    R[i, i + 1:] = M[:, i] @ M[:, i + 1:]
                    M[:, i + 1:] -= np.outer(M[:, i], R[i, i + 1:])
                x = np.zeros(n, dtype=M.dtype)
                for i in reversed(range(n)):
                    x[i] = (R[i, n] - np.sum(R[i, i + 1:n] * x[i + 1:])) / R[i, i]
                return x
            """)),
    ],
}

PO = "import numpy as np\ndef project_onto(b, a):\n    a = np.asarray(a, dtype=float)\n    b = np.asarray(b, dtype=float)\n"
PM = "import numpy as np\ndef projection_matrix(A):\n    A = np.asarray(A, dtype=float)\n"
GS_HEAD = "import numpy as np\ndef gram_schmidt(V):\n    V = np.asarray(V, dtype=float)\n    m, n = V.shape\n    Q = np.zeros((m, n))\n"
LS_HEAD = MGS + BACK + "def least_squares(A, b):\n    A = np.asarray(A, dtype=float)\n    b = np.asarray(b, dtype=float)\n"
LS_MODIFIED = "    Q, R = mgs_qr(A)\n    r = b.copy()\n    c = np.zeros(R.shape[0])\n    for k in range(len(c)):\n" \
              "        c[k] = Q[:, k] @ r\n        r = r - c[k] * Q[:, k]\n"

MISTAKES = {
    "projections.project_onto": [
        ("norm_not_squared", PO + "    return (a @ b) / np.linalg.norm(a) * a\n", "|a|^2"),
        ("swapped", PO + "    return (a @ b) / (b @ b) * b\n", "projected a onto b"),
        ("coefficient", PO + "    return (a @ b) / (a @ a)\n", "times the vector a"),
        ("scalar_projection", PO + "    return (a @ b) / np.linalg.norm(a)\n", "scalar projection"),
        ("rejection", PO + "    return b - (a @ b) / (a @ a) * a\n", "orthogonal to a"),
        ("no_division", PO + "    return (a @ b) * a\n", "without dividing"),
        ("cosine", PO + "    return (a @ b) / (np.linalg.norm(a) * np.linalg.norm(b)) * a\n", "cosine"),
        ("error", "def project_onto(b, a):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "projections.projection_matrix": [
        ("rows", PM + "    return A.T @ np.linalg.inv(A @ A.T) @ A\n", "ROW space"),
        ("rows", PM + "    return np.linalg.pinv(A) @ A\n", "ROW space"),
        ("no_inverse", PM + "    return A @ A.T\n", "(A^T A)^-1 in the middle"),
        ("complement", PM + "    return np.eye(len(A)) - A @ np.linalg.inv(A.T @ A) @ A.T\n", "complement"),
        ("not_orthogonalised", PM + "    P = np.zeros((len(A), len(A)))\n    for a in A.T:\n"
                                    "        P += np.outer(a, a) / (a @ a)\n    return P\n", "each column separately"),
        ("complete_q", PM + "    Q, R = np.linalg.qr(A, mode='complete')\n    return Q @ Q.T\n", "COMPLETE Q"),
        ("elementwise_inverse", PM + "    return A @ (1 / (A.T @ A)) @ A.T\n", "entry by entry"),
        ("error", "def projection_matrix(A):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "projections.gram_schmidt": [
        ("classical_gs", CGS + "def gram_schmidt(V):\n    return cgs_qr(V)[0]\n", "classical Gram-Schmidt"),
        ("classical_gs", _c("""
            import numpy as np
            def gram_schmidt(V):
                V = np.asarray(V, dtype=float)
                Q = np.zeros_like(V)
                for j in range(V.shape[1]):
                    u = V[:, j] - Q[:, :j] @ (Q[:, :j].T @ V[:, j])
                    Q[:, j] = u / np.linalg.norm(u)
                return Q
            """), "lose orthogonality"),
        ("not_normalised", GS_HEAD + "    for j in range(n):\n        w = V[:, j].copy()\n"
                                     "        for i in range(j):\n            w -= (Q[:, i] @ w) / (Q[:, i] @ Q[:, i]) * Q[:, i]\n"
                                     "        Q[:, j] = w\n    return Q\n", "not of length 1"),
        ("not_normalised", GS_HEAD + "    for j in range(n):\n        w = V[:, j] / np.linalg.norm(V[:, j])\n"
                                     "        for i in range(j):\n            q = Q[:, i]\n            w = w - (q @ w) / (q @ q) * q\n"
                                     "        Q[:, j] = w\n    return Q\n", "AFTER subtracting"),
        ("only_previous", GS_HEAD + "    for j in range(n):\n        w = V[:, j].copy()\n"
                                    "        for i in range(j):\n            w = V[:, j] - (Q[:, i] @ V[:, j]) * Q[:, i]\n"
                                    "        Q[:, j] = w / np.linalg.norm(w)\n    return Q\n", "ALL earlier"),
        ("norm_not_squared", GS_HEAD + "    for j in range(n):\n        w = V[:, j].copy()\n"
                                       "        for i in range(j):\n"
                                       "            w -= (Q[:, i] @ w) / np.linalg.norm(Q[:, i]) * Q[:, i]\n"
                                       "        Q[:, j] = w\n    return Q / np.linalg.norm(Q, axis=0)\n", "|u|^2"),
        ("added", GS_HEAD + "    for j in range(n):\n        w = V[:, j].copy()\n"
                            "        for i in range(j):\n            w += (Q[:, i] @ w) * Q[:, i]\n"
                            "        Q[:, j] = w / np.linalg.norm(w)\n    return Q\n", "ADDED"),
        ("rows", _c("""
            import numpy as np
            def gram_schmidt(V):
                qs = []
                for v in np.asarray(V, dtype=float):
                    w = v.copy()
                    for q in qs:
                        w = w - (q @ w) * q
                    qs.append(w / np.linalg.norm(w))
                return np.array(qs)
            """), "ROWS"),
        ("normalise_only", "import numpy as np\ndef gram_schmidt(V):\n    V = np.asarray(V, dtype=float)\n"
                           "    return V / np.linalg.norm(V, axis=0)\n", "only normalised"),
        ("not_triangular", "import numpy as np\ndef gram_schmidt(V):\n"
                           "    U, s, Vt = np.linalg.svd(np.asarray(V, dtype=float), full_matrices=False)\n    return U\n",
         "not upper triangular"),
        ("library_used", "import numpy as np\ndef gram_schmidt(V):\n    Q, R = np.linalg.qr(V)\n    return Q\n",
         "from scratch"),
        ("library_used", "from numpy import linalg as L\ndecompose = L.qr\n"
                         "def gram_schmidt(V):\n    return decompose(V)[0]\n", "from scratch"),
        ("error", "def gram_schmidt(V):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "projections.qr": [
        ("classical_gs", CGS + "def qr(A):\n    return cgs_qr(A)\n", "classical Gram-Schmidt"),
        ("swapped", MGS + "def qr(A):\n    Q, R = mgs_qr(A)\n    return R, Q\n", "order (Q, R)"),
        ("complete", HOUSEHOLDER + "def qr(A):\n    return householder(A)\n", "COMPLETE"),
        ("r_lower", MGS + "def qr(A):\n    Q, R = mgs_qr(A)\n    return Q, A.T @ Q\n", "not upper triangular"),
        ("r_lower", MGS + "def qr(A):\n    Q, R = mgs_qr(A)\n    return Q, R.T\n", "transposed R"),
        ("not_normalised", _c("""
            import numpy as np
            def qr(A):
                A = np.asarray(A, dtype=float)
                m, n = A.shape
                U = np.zeros((m, n))
                R = np.eye(n)
                for j in range(n):
                    w = A[:, j].copy()
                    for i in range(j):
                        R[i, j] = (U[:, i] @ A[:, j]) / (U[:, i] @ U[:, i])
                        w -= R[i, j] * U[:, i]
                    U[:, j] = w
                return U, R
            """), "of length 1"),
        ("r_diagonal", _c("""
            import numpy as np
            def qr(A):
                Q = np.array(A, dtype=float)
                n = Q.shape[1]
                R = np.zeros((n, n))
                for k in range(n):
                    Q[:, k] /= np.linalg.norm(Q[:, k])
                    for j in range(k + 1, n):
                        R[k, j] = Q[:, k] @ Q[:, j]
                        Q[:, j] -= R[k, j] * Q[:, k]
                return Q, R
            """), "diagonal of R"),
        ("inconsistent_signs", MGS + "def qr(A):\n    Q, R = mgs_qr(A)\n    Q[:, 0] = -Q[:, 0]\n    return Q, R\n",
         "flip the same row"),
        ("library_used", "import numpy as np\ndef qr(A):\n    return np.linalg.qr(A)\n", "from scratch"),
        ("library_used", "import scipy.linalg as sl\nfactor = sl.qr\ndef qr(A):\n    Q, R = factor(A, mode='economic')\n"
                         "    return Q, R\n", "from scratch"),
        ("error", "def qr(A):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "projections.least_squares": [
        ("normal_equations", LS_HEAD + "    return gauss_solve(A.T @ A, A.T @ b)\n" + _c("""
            def gauss_solve(M, y):
                M = M.copy(); y = y.copy(); n = len(y)
                for k in range(n):
                    p = k + int(np.argmax(np.abs(M[k:, k])))
                    M[[k, p]] = M[[p, k]]; y[[k, p]] = y[[p, k]]
                    for i in range(k + 1, n):
                        f = M[i, k] / M[k, k]
                        M[i] -= f * M[k]; y[i] -= f * y[k]
                return back_substitute(M, y)
            """),
         "normal equations"),
        ("normal_equations", LS_HEAD + "    L = np.linalg.cholesky(A.T @ A)\n    y = A.T @ b\n    z = np.zeros(len(y))\n"
                                       "    for i in range(len(y)):\n        z[i] = (y[i] - L[i, :i] @ z[:i]) / L[i, i]\n"
                                       "    return back_substitute(L.T, z)\n", "squares the condition number"),
        ("normal_equations", LS_HEAD + "    Q, R = mgs_qr(A)\n    return back_substitute(R, Q.T @ b)\n", "Q.T @ b"),
        ("fitted_values", LS_HEAD + LS_MODIFIED + "    return A @ back_substitute(R, c)\n", "fitted values"),
        ("residual", LS_HEAD + LS_MODIFIED + "    return b - A @ back_substitute(R, c)\n", "residual"),
        ("qtb_only", LS_HEAD + LS_MODIFIED + "    return c\n", "returned Q^T b"),
        ("diagonal_only", LS_HEAD + LS_MODIFIED + "    return c / np.diag(R)\n", "diagonal of R only"),
        ("off_by_one", LS_HEAD + LS_MODIFIED + "    n = len(c)\n    x = np.zeros(n)\n    for i in range(n - 1, 0, -1):\n"
                                               "        x[i] = (c[i] - R[i, i + 1:] @ x[i + 1:]) / R[i, i]\n    return x\n",
         "x[0]"),
        ("r_transposed", LS_HEAD + LS_MODIFIED + "    L = R.T\n    x = np.zeros(len(c))\n    for i in range(len(c)):\n"
                                                 "        x[i] = (c[i] - L[i, :i] @ x[:i]) / L[i, i]\n    return x\n",
         "R^T x"),
        ("library_used", "import numpy as np\ndef least_squares(A, b):\n    return np.linalg.lstsq(A, b, rcond=None)[0]\n",
         "from scratch"),
        ("library_used", "from numpy.linalg import solve as s\ndef least_squares(A, b):\n    return s(A.T @ A, A.T @ b)\n",
         "from scratch"),
        ("library_used", "import numpy as np\nla = np.linalg\ndef least_squares(A, b):\n    return la.pinv(A) @ b\n",
         "from scratch"),
        ("error", "def least_squares(A, b):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
}
