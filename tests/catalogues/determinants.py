"""Correct variants and catalogued mistakes for the 05-determinants checks.

Each code string defines the student's function as a solution cell would; every mistake must
be reported by its own name, with the given words in the message, on seeds 0, 1 and 2.
"""

from textwrap import dedent


def _code(text: str) -> str:
    return dedent(text).strip() + "\n"


def _det2(expr: str) -> str:
    return f"def det2(A):\n    (a, b), (c, d) = A\n    return {expr}\n"


_DET3 = """
    import numpy as np
    def det3(A):
        A = np.asarray(A, dtype=float)
        (a, b, c), (d, e, f), (g, h, i) = A
        {body}
"""


def _det3(body: str) -> str:
    return _code(_DET3.format(body=body))


# Determinant by elimination, with the swap count, the product and the return swappable.
_DET = """
    import numpy as np
    def det(A):
        U = np.array(A, dtype=float)
        n = len(U)
        sign = 1.0
        for k in range(n):
            p = k + int(np.argmax(np.abs(U[k:, k])))
            if U[p, k] == 0:
                return 0.0
            if p != k:
                U[[k, p]] = U[[p, k]]
                sign = {flip}
            {normalise}
            for i in range(k + 1, n):
                U[i, k:] -= U[i, k] / U[k, k] * U[k, k:]
        return {result}
"""


def _det(flip="-sign", normalise="pass", result="sign * float(np.prod(np.diag(U)))") -> str:
    return _code(_DET.format(flip=flip, normalise=normalise, result=result))


# Gauss-Jordan inverse with switchable steps.
_INV = """
    import numpy as np
    def inverse(A):
        A = np.asarray(A, dtype=float)
        n = len(A)
        M = np.hstack([A, np.eye(n)])
        scale = np.max(np.abs(A))
        for k in range(n):
            p = {pivot}
            if {check}:
                raise ValueError("the matrix is singular")
            {swap}
            {normalise}
            for i in range(n):
                if i != k:
                    M[i] = M[i] - M[i, k] / M[k, k] * M[k]
        return {result}
"""


def _inv(pivot="k + int(np.argmax(np.abs(M[k:, k])))", check="abs(M[p, k]) <= 1e-10 * scale",
         swap="M[[k, p]] = M[[p, k]]", normalise="M[k] = M[k] / M[k, k]", result="M[:, n:]") -> str:
    return _code(_INV.format(pivot=pivot, check=check, swap=swap, normalise=normalise, result=result))


# is_singular by elimination with a swappable zero test and pivot choice.
_SING = """
    import numpy as np
    def is_singular(A, tol=1e-10):
        U = np.array(A, dtype=float)
        n = len(U)
        scale = np.max(np.abs(U))
        for k in range(n):
            p = {pivot}
            if {zero}:
                return {yes}
            U[[k, p]] = U[[p, k]]
            for i in range(k + 1, n):
                U[i, k:] -= U[i, k] / U[k, k] * U[k, k:]
        return {no}
"""


def _sing(pivot="k + int(np.argmax(np.abs(U[k:, k])))", zero="abs(U[p, k]) <= tol * scale", yes="True", no="False"):
    return _code(_SING.format(pivot=pivot, zero=zero, yes=yes, no=no))


CORRECT = {
    "determinants.det2": [
        ("unpacked", _det2("a * d - b * c")),
        ("indexing", "def det2(A):\n    return A[0][0] * A[1][1] - A[0][1] * A[1][0]\n"),
        ("in the input's dtype (float32 stays float32)", "import numpy as np\ndef det2(A):\n    A = np.asarray(A)\n"
                               "    return A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]\n"),
    ],
    "determinants.det3": [
        ("cofactors along row 0", _det3("return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)")),
        ("rule of Sarrus", _det3("return a * e * i + b * f * g + c * d * h - c * e * g - a * f * h - b * d * i")),
        ("cofactor loop with minors", _code("""
            import numpy as np
            def det3(A):
                A = np.asarray(A, dtype=float)
                total = 0.0
                for j in range(3):
                    minor = np.delete(A[1:], j, axis=1)
                    total += (-1) ** j * A[0, j] * (minor[0, 0] * minor[1, 1] - minor[0, 1] * minor[1, 0])
                return total
        """)),
        ("cofactors down column 0", _det3("return a * (e * i - f * h) - d * (b * i - c * h) + g * (b * f - c * e)")),
    ],
    "determinants.det": [
        ("elimination with a sign", _det()),
        ("recursive cofactor expansion", _code("""
            def det(A):
                A = [[float(v) for v in row] for row in A]
                n = len(A)
                if n == 1:
                    return A[0][0]
                total = 0.0
                for j in range(n):
                    minor = [row[:j] + row[j + 1:] for row in A[1:]]
                    total += (-1) ** j * A[0][j] * det(minor)
                return total
        """)),
        ("swap count then parity", _det(flip="sign * -1.0")),
        ("normalised rows with the pivots kept", _code("""
            import numpy as np
            def det(A):
                U = np.array(A, dtype=float)
                n = len(U)
                result = 1.0
                for k in range(n):
                    p = k + int(np.argmax(np.abs(U[k:, k])))
                    if U[p, k] == 0:
                        return 0.0
                    if p != k:
                        U[[k, p]] = U[[p, k]]
                        result = -result
                    result *= U[k, k]
                    U[k] = U[k] / U[k, k]
                    U[k + 1:] -= np.outer(U[k + 1:, k], U[k])
                return result
        """)),
    ],
    "determinants.inverse": [
        ("Gauss-Jordan on [A | I]", _inv()),
        ("Gauss-Jordan, vectorised elimination", _code("""
            import numpy as np
            def inverse(A):
                A = np.asarray(A, dtype=float)
                n = len(A)
                M = np.hstack([A, np.eye(n)])
                for k in range(n):
                    p = k + np.argmax(np.abs(M[k:, k]))
                    if abs(M[p, k]) <= 1e-10 * np.abs(A).max():
                        raise np.linalg.LinAlgError("singular matrix")
                    M[[k, p]] = M[[p, k]]
                    M[k] /= M[k, k]
                    others = np.arange(n) != k
                    M[others] -= np.outer(M[others, k], M[k])
                return M[:, n:]
        """)),
        ("solve for each column of I with own elimination", _code("""
            import numpy as np
            def inverse(A):
                A = np.asarray(A, dtype=float)
                n = len(A)
                cols = []
                for j in range(n):
                    M = np.column_stack([A, np.eye(n)[:, j]])
                    for k in range(n):
                        p = k + np.argmax(np.abs(M[k:, k]))
                        if abs(M[p, k]) < 1e-10 * np.abs(A).max():
                            raise ValueError("singular")
                        M[[k, p]] = M[[p, k]]
                        M[k + 1:] -= np.outer(M[k + 1:, k] / M[k, k], M[k])
                    x = np.zeros(n)
                    for i in range(n - 1, -1, -1):
                        x[i] = (M[i, -1] - M[i, i + 1:n] @ x[i + 1:]) / M[i, i]
                    cols.append(x)
                return np.column_stack(cols)
        """)),
    ],
    "determinants.is_singular": [
        ("elimination with a relative test", _sing()),
        ("singular values", _code("""
            import numpy as np
            def is_singular(A, tol=1e-10):
                A = np.asarray(A, dtype=float)
                if not A.any():
                    return True
                s = np.linalg.svd(A, compute_uv=False)
                return bool(s[-1] <= tol * np.abs(A).max())
        """)),
        ("matrix_rank with a tolerance", _code("""
            import numpy as np
            def is_singular(A, tol=1e-10):
                A = np.asarray(A, dtype=float)
                return bool(np.linalg.matrix_rank(A, tol=tol * np.abs(A).max()) < len(A))
        """)),
    ],
}

MISTAKES = {
    "determinants.det2": [
        ("negated", _det2("b * c - a * d"), "b c - a d"),
        ("plus", _det2("a * d + b * c"), "MINUS"),
        ("rows_paired", _det2("a * b - c * d"), "same row"),
        ("columns_paired", _det2("a * c - b * d"), "same column"),
        ("diagonal_only", _det2("a * d"), "subtract b c"),
        ("absolute", _det2("abs(a * d - b * c)"), "has a sign"),
        ("library_used", "import numpy as np\ndef det2(A):\n    return np.linalg.det(A)\n", "from scratch"),
        ("error", "def det2(A):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "determinants.det3": [
        ("cofactor_signs", _det3("return a * (e * i - f * h) + b * (d * i - f * g) + c * (d * h - e * g)"), "+ - +"),
        ("negated", _det3("return -a * (e * i - f * h) + b * (d * i - f * g) - c * (d * h - e * g)"), "wrong sign"),
        ("diagonal_only", _det3("return a * e * i"), "triangular"),
        ("half_sarrus", _det3("return a * e * i + b * f * g + c * d * h"), "did not subtract"),
        ("top_left_2x2", _det3("return a * e - b * d"), "top-left 2x2"),
        ("minors_not_weighted", _det3("return (e * i - f * h) - (d * i - f * g) + (d * h - e * g)"), "multiplying"),
        ("error", "def det3(A):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "determinants.det": [
        ("swap_sign_forgotten", _det(flip="sign"), "row swap flips the sign"),
        ("diagonal_of_A", "import numpy as np\ndef det(A):\n    return float(np.prod(np.diag(A)))\n", "diagonal of A"),
        ("sum_of_pivots", _det(result="sign * float(np.sum(np.diag(U)))"), "PRODUCT"),
        ("absolute", _det(result="abs(sign * float(np.prod(np.diag(U))))"), "keeps its sign"),
        ("log_abs", _det(result="float(np.log(abs(np.prod(np.diag(U)))))").replace("return 0.0", "return -np.inf"),
         "log|det|"),
        ("normalised_rows", _det(normalise="U[k] = U[k] / U[k, k]"), "divided each pivot row"),
        ("library_used", "import numpy as np\ndef det(A):\n    return np.linalg.det(A)\n", "from scratch"),
        ("error", "def det(A):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "determinants.inverse": [
        ("transposed", _inv(result="M[:, n:].T"), "TRANSPOSE"),
        ("transposed", _code("""
            import numpy as np
            def _det(M):
                if len(M) == 1:
                    return M[0, 0]
                return sum((-1) ** j * M[0, j] * _det(np.delete(M[1:], j, axis=1)) for j in range(len(M)))
            def inverse(A):
                A = np.array(A, dtype=float)
                n = len(A)
                d = _det(A)
                if abs(d) <= 1e-10 * np.max(np.abs(A)) ** n:
                    raise ValueError("A is singular")
                C = np.ones((n, n))
                for i in range(n):
                    for j in range(n):
                        if n > 1:
                            minor = np.delete(np.delete(A, i, axis=0), j, axis=1)
                            C[i, j] = (-1) ** (i + j) * _det(minor)
                return C / d  # the cofactor matrix where the adjugate C.T belongs
            """), "adjugate"),
        ("identity_not_swapped", _inv(swap="M[[k, p], :n] = M[[p, k], :n]"), "[A | I]"),
        ("not_normalised", _inv(normalise="pass", result="M[:, n:]"), "1 / pivot"),
        ("reciprocal", "import numpy as np\ndef inverse(A):\n    return 1.0 / np.asarray(A, dtype=float)\n", "1 / A"),
        ("no_pivoting", _inv(pivot="k", check="abs(M[p, k]) <= 1e-10 * scale and False"), "did not swap rows"),
        ("no_singular_error", _inv(check="False"), "raise ValueError"),
        ("no_singular_error", _inv().replace("raise ValueError", "raise RuntimeError"), "it raised RuntimeError"),
        ("library_used", "import numpy as np\ndef inverse(A):\n    return np.linalg.inv(A)\n", "from scratch"),
        ("error", "def inverse(A):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "determinants.is_singular": [
        ("exact_zero", _sing(zero="U[p, k] == 0"), "== 0"),
        ("absolute_tolerance", _sing(zero="abs(U[p, k]) <= tol"), "small entries"),
        ("absolute_tolerance", "import numpy as np\ndef is_singular(A, tol=1e-10):\n"
                               "    return bool(abs(np.linalg.det(A)) <= tol)\n", "determinant"),
        ("ignored_tol", _sing(zero="abs(U[p, k]) <= 1e-10 * scale"), "tol argument"),
        ("no_pivoting", _sing(pivot="k"), "top-left entry is 0"),
        ("inverted", _sing(yes="False", no="True"), "opposite"),
        ("never_singular", "def is_singular(A, tol=1e-10):\n    return False\n", "never answer True"),
        ("wrong_type", _sing(yes="'yes'", no="'no'"), "True or False"),
        ("error", "def is_singular(A, tol=1e-10):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
}

_DET_HELPER = _det()

CORRECT["determinants.det_of_product"] = [
    ("product of determinants", _DET_HELPER + "def det_of_product(A, B):\n    return det(A) * det(B)\n"),
    ("determinant of the product", _DET_HELPER + "def det_of_product(A, B):\n    return det(A @ B)\n"),
    ("det(B @ A) is the same number", _DET_HELPER + "def det_of_product(A, B):\n    return det(B @ A)\n"),
]

MISTAKES["determinants.det_of_product"] = [
    ("sum", _DET_HELPER + "def det_of_product(A, B):\n    return det(A) + det(B)\n", "PRODUCT"),
    ("det_of_sum", _DET_HELPER + "def det_of_product(A, B):\n    return det(A + B)\n", "A + B"),
    ("elementwise", _DET_HELPER + "def det_of_product(A, B):\n    return det(A * B)\n", "entry by entry"),
    ("ratio", _DET_HELPER + "def det_of_product(A, B):\n    return det(A) / det(B)\n", "divided"),
    ("difference", _DET_HELPER + "def det_of_product(A, B):\n    return det(A) - det(B)\n", "subtracted"),
    ("one_factor", _DET_HELPER + "def det_of_product(A, B):\n    return det(B)\n", "only one"),
    ("library_used", "import numpy as np\ndef det_of_product(A, B):\n    return np.linalg.det(A) * np.linalg.det(B)\n",
     "from scratch"),
    ("error", "def det_of_product(A, B):\n    raise NotImplementedError()\n", "not answered yet"),
]
