"""Correct variants and catalogued mistakes for the 06-transformations checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


NS = "import numpy as np\ndef null_space(A, tol):\n    U, s, Vt = np.linalg.svd(A)\n    r = int(np.sum(s > tol * s.max()))\n"
RN = "import numpy as np\ndef rank_nullity(A):\n    m, n = np.shape(A)\n    s = np.linalg.svd(A, compute_uv=False)\n"
COB = "import numpy as np\ndef change_of_basis(B_from, B_to):\n    inv = np.linalg.inv\n"
TO = "import numpy as np\ndef to_basis(v, B):\n"
FROM = "import numpy as np\ndef from_basis(c, B):\n"

CORRECT = {
    "transformations.null_space": [
        ("last rows of Vt", NS + "    return Vt[r:].T\n"),
        ("loop over the rows of Vt", _c("""
            import numpy as np
            def null_space(A, tol):
                A = np.asarray(A, dtype=float)
                n = A.shape[1]
                U, s, Vt = np.linalg.svd(A, full_matrices=True)
                columns = []
                for i in range(n):
                    if i >= len(s) or s[i] <= tol * s[0]:
                        columns.append(Vt[i])
                return np.array(columns).reshape(-1, n).T
            """)),
        ("another basis of the same span", _c("""
            import numpy as np
            def null_space(A, tol):
                U, s, Vt = np.linalg.svd(np.asarray(A, dtype=np.float64))
                N = Vt[int(np.sum(s > tol * s.max())):].T
                d = N.shape[1]
                mix = np.triu(np.ones((d, d))) + np.diag(np.arange(1.0, d + 1))
                return N @ mix
            """)),
        ("mask on padded singular values", _c("""
            import numpy as np
            def null_space(A, tol):
                A = np.asarray(A, dtype=float)
                U, s, Vt = np.linalg.svd(A)
                padded = np.zeros(A.shape[1])
                padded[:len(s)] = s
                return Vt[padded <= tol * s.max()].T
            """)),
        ("eigenvectors of the projector I - V_r V_r^T", _c("""
            import numpy as np
            def null_space(A, tol):
                A = np.asarray(A, dtype=float)
                U, s, Vt = np.linalg.svd(A)
                r = int(np.count_nonzero(s > tol * s[0]))
                P = np.eye(A.shape[1]) - Vt[:r].T @ Vt[:r]
                w, V = np.linalg.eigh(P)
                return V[:, w > 0.5]
            """)),
        ("torch svd", _c("""
            import torch
            def null_space(A, tol):
                A = torch.as_tensor(A, dtype=torch.float64)
                U, s, Vh = torch.linalg.svd(A, full_matrices=True)
                r = int((s > tol * s.max()).sum())
                return Vh[r:].T.numpy()
            """)),
    ],
    "transformations.rank_nullity": [
        ("count singular values", RN + "    r = int(np.sum(s > 1e-10 * s.max()))\n    return r, n - r\n"),
        ("matrix_rank with rtol", _c("""
            import numpy as np
            def rank_nullity(A):
                r = np.linalg.matrix_rank(A, rtol=1e-10)
                return int(r), np.shape(A)[1] - int(r)
            """)),
        ("matrix_rank with tol", _c("""
            import numpy as np
            def rank_nullity(A):
                A = np.asarray(A, dtype=float)
                s = np.linalg.svd(A, compute_uv=False)
                r = np.linalg.matrix_rank(A, tol=1e-10 * s.max()) if s.max() > 0 else 0
                return r, A.shape[1] - r
            """)),
        ("loop", _c("""
            import numpy as np
            def rank_nullity(A):
                s = np.linalg.svd(np.asarray(A, dtype=float), compute_uv=False)
                rank = 0
                for value in s:
                    if value > 1e-10 * s[0]:
                        rank += 1
                return rank, len(A[0]) - rank
            """)),
    ],
    "transformations.change_of_basis": [
        ("solve", "import numpy as np\ndef change_of_basis(B_from, B_to):\n    return np.linalg.solve(B_to, B_from)\n"),
        ("inverse", COB + "    return inv(B_to) @ B_from\n"),
        ("column by column", _c("""
            import numpy as np
            def change_of_basis(B_from, B_to):
                B_from = np.asarray(B_from, dtype=float)
                n = B_from.shape[1]
                T = np.zeros((n, n))
                for j in range(n):
                    T[:, j] = np.linalg.solve(B_to, B_from[:, j])
                return T
            """)),
        ("lstsq", _c("""
            import numpy as np
            def change_of_basis(B_from, B_to):
                return np.linalg.lstsq(np.asarray(B_to, float), np.asarray(B_from, float), rcond=None)[0]
            """)),
    ],
    "transformations.to_basis": [
        ("solve", TO + "    return np.linalg.solve(B, v)\n"),
        ("inverse", TO + "    return np.linalg.inv(B) @ v\n"),
        ("lstsq", TO + "    return np.linalg.lstsq(B, v, rcond=None)[0]\n"),
        ("row vector times inverse transpose", TO + "    return v @ np.linalg.inv(B).T\n"),
        ("torch", _c("""
            import torch
            def to_basis(v, B):
                B = torch.as_tensor(B, dtype=torch.float64)
                v = torch.as_tensor(v, dtype=torch.float64)
                return torch.linalg.solve(B, v).numpy()
            """)),
    ],
    "transformations.from_basis": [
        ("matmul", FROM + "    return B @ c\n"),
        ("sum of scaled columns", _c("""
            import numpy as np
            def from_basis(c, B):
                B = np.asarray(B, dtype=float)
                v = np.zeros(B.shape[0])
                for j in range(B.shape[1]):
                    v = v + c[j] * B[:, j]
                return v
            """)),
        ("broadcast", FROM + "    return (np.asarray(B, float) * np.asarray(c, float)).sum(axis=1)\n"),
        ("row vector", FROM + "    return c @ B.T\n"),
        ("einsum", FROM + "    return np.einsum('ij,j->i', B, c)\n"),
    ],
}

MISTAKES = {
    "transformations.null_space": [
        ("leading", NS + "    return Vt[:A.shape[1] - r].T\n", "LARGEST"),
        ("row_space", NS + "    return Vt[:r].T\n", "ROW space"),
        ("rows", NS + "    return Vt[r:]\n", "as COLUMNS"),
        ("vt_columns", NS + "    return Vt[:, r:]\n", "COLUMNS of Vt"),
        ("left_null_space", NS + "    return U[:, r:]\n", "LEFT singular vectors"),
        ("reduced_svd", _c("""
            import numpy as np
            def null_space(A, tol):
                U, s, Vt = np.linalg.svd(A, full_matrices=False)
                r = int(np.sum(s > tol * s.max()))
                return Vt[r:].T
            """), "full_matrices=False"),
        ("no_cutoff", "import numpy as np\ndef null_space(A, tol):\n    U, s, Vt = np.linalg.svd(A)\n"
                      "    r = np.count_nonzero(s)\n    return Vt[r:].T\n", "tiny"),
        ("absolute_cutoff", "import numpy as np\ndef null_space(A, tol):\n    U, s, Vt = np.linalg.svd(A)\n"
                            "    r = int(np.sum(s > tol))\n    return Vt[r:].T\n", "relative"),
        ("tol_ignored", "import numpy as np\ndef null_space(A, tol):\n    U, s, Vt = np.linalg.svd(A)\n"
                        "    r = int(np.sum(s > 1e-10 * s.max()))\n    return Vt[r:].T\n", "ignored tol"),
        ("normal_equations", _c("""
            import numpy as np
            def null_space(A, tol):
                w, V = np.linalg.eigh(A.T @ A)
                s = np.sqrt(np.clip(w, 0, None))
                return V[:, s <= tol * s.max()]
            """), "A.T @ A"),
        ("normal_equations", _c("""
            import numpy as np
            def null_space(A, tol):
                w, V = np.linalg.eigh(A.T @ A)
                order = np.argsort(w)[::-1]
                w, V = w[order], V[:, order]
                r = int(np.sum(w > tol ** 2 * w.max()))
                return V[:, r:]
            """), "A.T @ A"),
        ("projector", "import numpy as np\ndef null_space(A, tol):\n"
                      "    return np.eye(np.shape(A)[1]) - np.linalg.pinv(A) @ A\n", "not independent"),
        ("not_independent", NS + "    N = Vt[r:].T\n    return np.column_stack([N, N.sum(axis=1)])\n",
         "not linearly independent"),
        ("wrong_dimension", NS + "    return Vt[r + 1:].T\n", "dimension n - rank"),
        ("empty_shape", NS + "    if r == A.shape[1]:\n        return None\n    return Vt[r:].T\n", "(n, 0)"),
        ("empty_shape", NS + "    if r == A.shape[1]:\n        return np.array([])\n    return Vt[r:].T\n",
         "(n, 0)"),
        ("not_2d", NS + "    return np.squeeze(Vt[r:].T)\n", "2-D"),
        ("library_used", "import scipy.linalg\ndef null_space(A, tol):\n"
                         "    return scipy.linalg.null_space(A, rcond=tol)\n", "from scratch"),
        ("library_used", "from scipy import linalg as sl\nkernel = sl.null_space\n"
                         "def null_space(A, tol):\n    return kernel(A, tol)\n", "from scratch"),
        ("wrong_value", NS + "    return Vt[r:].T + 0.1\n", "A @ N should be about 0"),
        ("error", "def null_space(A, tol):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "transformations.rank_nullity": [
        ("nullity_rows", RN + "    r = int(np.sum(s > 1e-10 * s.max()))\n    return r, m - r\n", "COLUMNS"),
        ("no_cutoff", RN + "    r = int(np.sum(s > 0))\n    return r, n - r\n", "tiny"),
        ("default_cutoff", "import numpy as np\ndef rank_nullity(A):\n    r = np.linalg.matrix_rank(A)\n"
                           "    return r, np.shape(A)[1] - r\n", "matrix_rank's default"),
        ("absolute_cutoff", RN + "    r = int(np.sum(s > 1e-10))\n    return r, n - r\n", "relative"),
        ("zeros_only", RN + "    r = int(np.sum(s > 1e-10 * s.max()))\n    return r, int(np.sum(s <= 1e-10 * s.max()))\n",
         "min(m, n)"),
        ("swapped", RN + "    r = int(np.sum(s > 1e-10 * s.max()))\n    return n - r, r\n", "(rank, nullity)"),
        ("wrong_type", RN + "    r = int(np.sum(s > 1e-10 * s.max()))\n    return r\n", "tuple"),
        ("error", "def rank_nullity(A):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "transformations.change_of_basis": [
        ("inverted", COB + "    return inv(B_from) @ B_to\n", "wrong way"),
        ("product_order", COB + "    return B_from @ inv(B_to)\n", "wrong order"),
        ("transpose_for_inverse", COB + "    return B_to.T @ B_from\n", "orthonormal"),
        ("rows_as_vectors", COB + "    return inv(B_to.T) @ B_from.T\n", "ROWS"),
        ("transposed", COB + "    return (inv(B_to) @ B_from).T\n", "transpose"),
        ("ignored_from", COB + "    return inv(B_to)\n", "STANDARD"),
        ("ignored_to", COB + "    return np.array(B_from, dtype=float)\n", "STANDARD"),
        ("error", "def change_of_basis(B_from, B_to):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "transformations.to_basis": [
        ("swapped", TO + "    return B @ v\n", "from_basis"),
        ("transpose_for_inverse", TO + "    return B.T @ v\n", "orthonormal"),
        ("rows_as_vectors", TO + "    return v @ np.linalg.inv(B)\n", "ROWS"),
        ("projections", TO + "    return np.array([B[:, i] @ v / (B[:, i] @ B[:, i]) for i in range(len(v))])\n",
         "orthogonal"),
        ("normalised", TO + "    return np.linalg.solve(B / np.linalg.norm(B, axis=0), v)\n", "normalised"),
        ("normal_equations_half", TO + "    return np.linalg.solve(B.T @ B, v)\n", "B.T on the right"),
        ("reciprocal", TO + "    return (1 / B) @ v\n", "entry by entry"),
        ("error", "def to_basis(v, B):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "transformations.from_basis": [
        ("swapped", FROM + "    return np.linalg.solve(B, c)\n", "to_basis"),
        ("rows_as_vectors", FROM + "    return c @ B\n", "ROWS"),
        ("wrong_axis", FROM + "    return (B * c).sum(axis=0)\n", "axis"),
        ("normalised", FROM + "    return (B / np.linalg.norm(B, axis=0)) @ c\n", "normalised"),
        ("not_summed", FROM + "    return B * c\n", "did not add them up"),
        ("skipped_last", _c("""
            import numpy as np
            def from_basis(c, B):
                v = np.zeros(len(B))
                for j in range(len(c) - 1):
                    v = v + c[j] * B[:, j]
                return v
            """), "last basis vector"),
        ("error", "def from_basis(c, B):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
}
