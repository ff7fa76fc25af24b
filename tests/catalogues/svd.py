"""Correct variants and catalogued mistakes for the 09-svd checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


CORRECT = {
    "svd.truncated_svd": [
        ("reduced svd", _c("""
            import numpy as np
            def truncated_svd(A, k):
                U, s, Vt = np.linalg.svd(A, full_matrices=False)
                return U[:, :k], s[:k], Vt[:k]
            """)),
        ("full svd", _c("""
            import numpy as np
            def truncated_svd(A, k):
                U, s, Vt = np.linalg.svd(A)
                return U[:, :k], s[:k], Vt[:k, :]
            """)),
        ("signs flipped together", _c("""
            import numpy as np
            def truncated_svd(A, k):
                U, s, Vt = np.linalg.svd(A, full_matrices=False)
                flip = np.where(np.arange(k) % 2 == 0, -1.0, 1.0)
                return U[:, :k] * flip, s[:k], Vt[:k] * flip[:, None]
            """)),
        ("eigh of A.T @ A", _c("""
            import numpy as np
            def truncated_svd(A, k):
                A = np.asarray(A, dtype=np.float64)
                values, V = np.linalg.eigh(A.T @ A)
                order = np.argsort(values)[::-1][:k]
                s = np.sqrt(np.maximum(values[order], 0))
                V = V[:, order]
                U = A @ V / s
                return U, s, V.T
            """)),
        ("float32 throughout", _c("""
            import numpy as np
            def truncated_svd(A, k):
                U, s, Vt = np.linalg.svd(np.asarray(A, dtype=np.float32), full_matrices=False)
                return U[:, :k], s[:k], Vt[:k]
            """)),
        ("torch", _c("""
            import torch
            def truncated_svd(A, k):
                U, s, Vh = torch.linalg.svd(torch.as_tensor(A, dtype=torch.float64), full_matrices=False)
                return U[:, :k].numpy(), s[:k].numpy(), Vh[:k].numpy()
            """)),
    ],
    "svd.low_rank": [
        ("diag product", _c("""
            import numpy as np
            def low_rank(A, k):
                U, s, Vt = np.linalg.svd(A, full_matrices=False)
                return U[:, :k] @ np.diag(s[:k]) @ Vt[:k]
            """)),
        ("broadcast, full svd", _c("""
            import numpy as np
            def low_rank(A, k):
                U, s, Vt = np.linalg.svd(A)
                return (U[:, :k] * s[:k]) @ Vt[:k]
            """)),
        ("sum of outer products", _c("""
            import numpy as np
            def low_rank(A, k):
                U, s, Vt = np.linalg.svd(A, full_matrices=False)
                out = np.zeros(np.shape(A))
                for i in range(k):
                    out += s[i] * np.outer(U[:, i], Vt[i])
                return out
            """)),
        ("A minus the tail", _c("""
            import numpy as np
            def low_rank(A, k):
                U, s, Vt = np.linalg.svd(A, full_matrices=False)
                return A - (U[:, k:] * s[k:]) @ Vt[k:]
            """)),
        ("float32", _c("""
            import numpy as np
            def low_rank(A, k):
                U, s, Vt = np.linalg.svd(np.float32(A), full_matrices=False)
                return (U[:, :k] * s[:k]) @ Vt[:k]
            """)),
    ],
    "svd.eckart_young_error": [
        ("norm of the tail", _c("""
            import numpy as np
            def eckart_young_error(s, k, norm):
                tail = np.asarray(s, dtype=float)[k:]
                if norm == "fro":
                    return float(np.sqrt(np.sum(tail ** 2)))
                return float(tail[0]) if len(tail) else 0.0
            """)),
        ("np.linalg.norm", _c("""
            import numpy as np
            def eckart_young_error(s, k, norm):
                tail = np.asarray(s)[k:]
                if tail.size == 0:
                    return 0.0
                return np.linalg.norm(tail) if norm == "fro" else np.max(tail)
            """)),
        ("norm of the diagonal tail matrix", _c("""
            import numpy as np
            def eckart_young_error(s, k, norm):
                return np.linalg.norm(np.diag(np.append(np.asarray(s)[k:], 0.0)), norm)
            """)),
    ],
    "svd.storage_ratio": [
        ("formula", "def storage_ratio(shape, k):\n    m, n = shape\n    return k * (m + n + 1) / (m * n)\n"),
        ("count the parts", _c("""
            import numpy as np
            def storage_ratio(shape, k):
                m, n = shape
                stored = m * k + k + k * n
                return stored / np.prod(shape)
            """)),
    ],
    "svd.pinv": [
        ("masked reciprocal", _c("""
            import numpy as np
            def pinv(A, rcond):
                U, s, Vt = np.linalg.svd(A, full_matrices=False)
                keep = s > rcond * s.max()
                inv = np.zeros_like(s)
                inv[keep] = 1 / s[keep]
                return Vt.T @ np.diag(inv) @ U.T
            """)),
        ("drop the cut triples", _c("""
            import numpy as np
            def pinv(A, rcond):
                U, s, Vt = np.linalg.svd(A, full_matrices=False)
                r = int(np.sum(s > rcond * s[0]))
                return (Vt[:r].T / s[:r]) @ U[:, :r].T
            """)),
        ("full svd, np.where", _c("""
            import numpy as np
            def pinv(A, rcond):
                A = np.asarray(A, dtype=float)
                m, n = A.shape
                U, s, Vt = np.linalg.svd(A)
                with np.errstate(divide="ignore"):
                    inv = np.where(s > rcond * s.max(), 1 / s, 0.0)
                S = np.zeros((n, m))
                S[:len(s), :len(s)] = np.diag(inv)
                return Vt.T @ S @ U.T
            """)),
    ],
}

CORRECT["svd.compress"] = [
    ("loop over channels", _c("""
        import numpy as np
        def compress(image, k):
            image = np.asarray(image, dtype=np.float64)
            out = np.empty_like(image)
            for c in range(image.shape[2]):
                U, s, Vt = np.linalg.svd(image[:, :, c], full_matrices=False)
                out[:, :, c] = U[:, :k] @ np.diag(s[:k]) @ Vt[:k]
            return out
        """)),
    ("batched svd", _c("""
        import numpy as np
        def compress(image, k):
            channels = np.moveaxis(np.asarray(image, dtype=float), 2, 0)
            U, s, Vt = np.linalg.svd(channels, full_matrices=False)
            low = (U[:, :, :k] * s[:, None, :k]) @ Vt[:, :k]
            return np.moveaxis(low, 0, 2)
        """)),
    ("stack of low_rank", _c("""
        import numpy as np
        def _low(A, k):
            U, s, Vt = np.linalg.svd(A)
            return (U[:, :k] * s[:k]) @ Vt[:k]
        def compress(image, k):
            return np.dstack([_low(image[..., c].astype(float), k) for c in range(3)])
        """)),
]

CP = "import numpy as np\ndef _low(A, k):\n    U, s, Vt = np.linalg.svd(np.asarray(A, dtype=float), full_matrices=False)\n" \
     "    return (U[:, :k] * s[:k]) @ Vt[:k]\ndef compress(image, k):\n    image = np.asarray(image, dtype=float)\n"

TRUNC = "import numpy as np\ndef truncated_svd(A, k):\n    U, s, Vt = np.linalg.svd(A, full_matrices=False)\n"
LOW = "import numpy as np\ndef low_rank(A, k):\n    U, s, Vt = np.linalg.svd(A, full_matrices=False)\n"
EY = "import numpy as np\ndef eckart_young_error(s, k, norm):\n    s = np.asarray(s, dtype=float)\n"
PINV = "import numpy as np\ndef pinv(A, rcond):\n    U, s, Vt = np.linalg.svd(A, full_matrices=False)\n"
ST = "def storage_ratio(shape, k):\n    m, n = shape\n"

MISTAKES = {
    "svd.truncated_svd": [
        ("off_by_one", TRUNC + "    return U[:, :k + 1], s[:k + 1], Vt[:k + 1]\n", "k + 1"),
        ("off_by_one", TRUNC + "    return U[:, :k - 1], s[:k - 1], Vt[:k - 1]\n", "k - 1"),
        ("vt_columns", "import numpy as np\ndef truncated_svd(A, k):\n    U, s, Vt = np.linalg.svd(A)\n"
                       "    return U[:, :k], s[:k], Vt[:, :k].T\n", "COLUMNS of Vt"),
        ("returned_v", TRUNC + "    return U[:, :k], s[:k], Vt[:k].T\n", "V_k"),
        ("smallest", TRUNC + "    return U[:, ::-1][:, :k], s[::-1][:k], Vt[::-1][:k]\n", "SMALLEST"),
        ("eigenvalues", _c("""
            import numpy as np
            def truncated_svd(A, k):
                values, V = np.linalg.eigh(A.T @ A)
                order = np.argsort(values)[::-1][:k]
                U, s, Vt = np.linalg.svd(A, full_matrices=False)
                return U[:, :k], values[order], V[:, order].T
            """), "SQUARED"),
        ("not_truncated", "import numpy as np\ndef truncated_svd(A, k):\n    U, s, Vt = np.linalg.svd(A)\n"
                          "    return U, s[:k], Vt[:k]\n", "whole U"),
        ("inconsistent_signs", TRUNC + "    return -U[:, :k], s[:k], Vt[:k]\n", "flipping the matching row"),
        ("error", "def truncated_svd(A, k):\n    raise NotImplementedError()\n", "not answered yet"),
        ("wrong_type", TRUNC + "    return U[:, :k] @ np.diag(s[:k]) @ Vt[:k]\n", "tuple"),
    ],
    "svd.low_rank": [
        ("off_by_one", LOW + "    return U[:, :k + 1] @ np.diag(s[:k + 1]) @ Vt[:k + 1]\n", "rank k + 1"),
        ("off_by_one", LOW + "    return U[:, :k - 1] @ np.diag(s[:k - 1]) @ Vt[:k - 1]\n", "rank k - 1"),
        ("tail", LOW + "    return (U[:, k:] * s[k:]) @ Vt[k:]\n", "tail"),
        ("vt_columns", "import numpy as np\ndef low_rank(A, k):\n    U, s, V = np.linalg.svd(A)\n"
                       "    return U[:, :k] @ np.diag(s[:k]) @ V[:, :k].T\n", "COLUMNS of Vt"),
        ("smallest", LOW + "    return U[:, -k:] @ np.diag(s[-k:]) @ Vt[-k:]\n", "SMALLEST"),
        ("no_singular_values", LOW + "    return U[:, :k] @ Vt[:k]\n", "without the singular values"),
        ("squared", LOW + "    return U[:, :k] @ np.diag(s[:k] ** 2) @ Vt[:k]\n", "squared"),
        ("error", "def low_rank(A, k):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "svd.eckart_young_error": [
        ("not_squared", EY + "    if norm == 'fro':\n        return s[k:].sum()\n"
                             "    return s[k] if k < len(s) else 0.0\n", "without squaring"),
        ("no_root", EY + "    if norm == 'fro':\n        return (s[k:] ** 2).sum()\n"
                         "    return s[k] if k < len(s) else 0.0\n", "square root"),
        ("off_by_one", EY + "    tail = s[k + 1:]\n    if norm == 'fro':\n        return np.sqrt((tail ** 2).sum())\n"
                            "    return tail[0] if len(tail) else 0.0\n", "too late"),
        ("off_by_one", EY + "    tail = s[max(k - 1, 0):] if k > 0 else s\n    if norm == 'fro':\n"
                            "        return np.sqrt((tail ** 2).sum())\n    return tail[0] if len(tail) else 0.0\n",
         "too early"),
        ("kept_part", EY + "    kept = s[:k]\n    if norm == 'fro':\n        return np.sqrt((kept ** 2).sum())\n"
                           "    return kept[0] if len(kept) else 0.0\n", "KEPT"),
        ("fro_for_spectral", EY + "    return np.sqrt((s[k:] ** 2).sum())\n", "Frobenius error"),
        ("spectral_sum", EY + "    if norm == 'fro':\n        return np.sqrt((s[k:] ** 2).sum())\n"
                              "    return s[k:].sum()\n", "largest of them alone"),
        ("relative", EY + "    if norm == 'fro':\n        return np.sqrt((s[k:] ** 2).sum() / (s ** 2).sum())\n"
                          "    return (s[k] if k < len(s) else 0.0) / s[0]\n", "divided by the norm"),
        ("error", "def eckart_young_error(s, k, norm):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "svd.storage_ratio": [
        ("no_singular_values", ST + "    return k * (m + n) / (m * n)\n", "not the k singular values"),
        ("inverted", ST + "    return m * n / (k * (m + n + 1))\n", "compression factor"),
        ("full_matrices", ST + "    return (m * m + n * n + k) / (m * n)\n", "full U"),
        ("square_s", ST + "    return (k * m + k * k + k * n) / (m * n)\n", "k x k matrix"),
        ("off_by_one", ST + "    return (k + 1) * (m + n + 1) / (m * n)\n", "k + 1"),
        ("saving", ST + "    return 1 - k * (m + n + 1) / (m * n)\n", "SAVED"),
        ("one_side", ST + "    return k * m / (m * n)\n", "only one factor"),
        ("error", "def storage_ratio(shape, k):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "svd.pinv": [
        ("no_cutoff", PINV + "    return Vt.T @ np.diag(1 / s) @ U.T\n", "explodes"),
        ("absolute_cutoff", PINV + "    inv = np.where(s > rcond, 1 / s, 0.0)\n    return Vt.T @ np.diag(inv) @ U.T\n",
         "relative"),
        ("rcond_ignored", PINV + "    inv = np.where(s > 1e-15 * s.max(), 1 / s, 0.0)\n"
                                 "    return Vt.T @ np.diag(inv) @ U.T\n", "ignored rcond"),
        ("transposed", PINV + "    inv = np.where(s > rcond * s.max(), 1 / s, 0.0)\n"
                              "    return (Vt.T @ np.diag(inv) @ U.T).T\n", "transpose"),
        ("not_inverted", PINV + "    kept = np.where(s > rcond * s.max(), s, 0.0)\n"
                                "    return Vt.T @ np.diag(kept) @ U.T\n", "reciprocals"),
        ("squared", PINV + "    inv = np.where(s > rcond * s.max(), 1 / s ** 2, 0.0)\n"
                           "    return Vt.T @ np.diag(inv) @ U.T\n", "squared"),
        ("library_used", "import numpy as np\ndef pinv(A, rcond):\n    return np.linalg.pinv(A, rcond=rcond)\n",
         "from scratch"),
        ("library_used", "import numpy.linalg as la\nhelp_me = la.pinv\n"
                            "def pinv(A, rcond):\n    return help_me(A, rcond)\n", "from scratch"),
        ("error", "def pinv(A, rcond):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "svd.compress": [
        ("channels_mixed", CP + "    h, w, c = image.shape\n    return _low(image.reshape(h, w * c), k).reshape(h, w, c)\n",
         "side by side"),
        ("channels_mixed", CP + "    h, w, c = image.shape\n"
                                "    flat = image.transpose(2, 0, 1).reshape(c * h, w)\n"
                                "    return _low(flat, k).reshape(c, h, w).transpose(1, 2, 0)\n", "stacked"),
        ("grey", CP + "    g = _low(image.mean(axis=2), k)\n    return np.stack([g, g, g], axis=2)\n", "grey"),
        ("one_channel", CP + "    r = _low(image[:, :, 0], k)\n    return np.stack([r, r, r], axis=2)\n", "first (red)"),
        ("off_by_one", CP + "    return np.dstack([_low(image[:, :, c], k + 1) for c in range(3)])\n", "k + 1"),
        ("off_by_one", CP + "    return np.dstack([_low(image[:, :, c], k - 1) for c in range(3)])\n", "k - 1"),
        ("tail", CP + "    return np.dstack([image[:, :, c] - _low(image[:, :, c], k) for c in range(3)])\n",
         "throws away"),
        ("clipped", CP + "    out = np.dstack([_low(image[:, :, c], k) for c in range(3)])\n"
                         "    return np.clip(out, 0, 255).round()\n", "clipped"),
        ("error", "def compress(image, k):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
}
