"""Correct variants and catalogued mistakes for the 01-vectors checks.

Each code string defines the student's function as a solution cell would. Correct variants
cover the styles students write (loops, NumPy, einsum, library routines where a check allows
them, Python float vs NumPy scalar vs 0-d array, float32 arithmetic); every mistake must be
reported by its own name, with the given words in the message, on seeds 0, 1 and 2.
"""

from textwrap import dedent, indent


def _code(text: str) -> str:
    return dedent(text).strip() + "\n"


# Building blocks shared by later exercises (a student's earlier answers).
_DOT = _code("""
    import numpy as np
    def dot(a, b):
        return float(np.sum(np.asarray(a, dtype=float) * np.asarray(b, dtype=float)))
""")

_COSINE = _code("""
    import numpy as np
    def cosine_similarity(a, b):
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
        if a.ndim == 1:
            na, nb = np.sqrt(np.sum(a * a)), np.sqrt(np.sum(b * b))
            return 0.0 if na == 0 or nb == 0 else float(np.sum(a * b) / (na * nb))
        num = np.einsum("id,jd->ij", a, b)
        den = np.sqrt(np.sum(a * a, axis=1))[:, None] * np.sqrt(np.sum(b * b, axis=1))[None, :]
        out = np.zeros_like(num)
        np.divide(num, den, out=out, where=den > 0)
        return out
""")

_NEIGHBOURS = _COSINE + _code("""
    def nearest_neighbours(query, items, k):
        sims = cosine_similarity(np.asarray(query, dtype=float)[None, :], items)[0]
        return np.argsort(-sims, kind="stable")[:k]
""")

_STANDARDISE = _code("""
    import numpy as np
    def standardise(X):
        X = np.asarray(X, dtype=float)
        sd = X.std(axis=0)
        return (X - X.mean(axis=0)) / np.where(sd == 0, 1.0, sd)
""")

_RECOMMEND_BASE = _NEIGHBOURS + _STANDARDISE

# A pairwise cosine with one line swapped for a wrong formula.
_PAIR = """
    import numpy as np
    def cosine_similarity(a, b):
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
        na, nb = np.sqrt(np.sum(a * a)), np.sqrt(np.sum(b * b))
        if na == 0 or nb == 0:
            return 0.0
        return {expr}
"""


def _pair(expr: str) -> str:
    return _code(_PAIR.format(expr=expr))


# A batched cosine with the result line swapped for a wrong formula.
_BATCH = """
    import numpy as np
    def cosine_similarity(A, B):
        A = np.asarray(A, dtype=float)
        B = np.asarray(B, dtype=float)
        na = np.sqrt(np.sum(A * A, axis=1))
        nb = np.sqrt(np.sum(B * B, axis=1))
        dots = np.einsum("id,jd->ij", A, B)
        with np.errstate(all="ignore"):
            {expr}
        return np.nan_to_num(out) if {clean} else out
"""


def _batch(expr: str, clean: bool = True) -> str:
    return _code(_BATCH.format(expr=expr, clean=clean))


# A nearest_neighbours with the ranking line swapped.
_NN = """
    import numpy as np
    def nearest_neighbours(query, items, k):
        q = np.asarray(query, dtype=float)
        X = np.asarray(items, dtype=float)
        nq = np.sqrt(np.sum(q * q))
        nx = np.sqrt(np.sum(X * X, axis=1))
        sims = np.zeros(len(X))
        ok = (nx > 0) & (nq > 0)
        sims[ok] = np.sum(X[ok] * q, axis=1) / (nx[ok] * nq)
        {expr}
"""


def _nn(expr: str) -> str:
    return _code(_NN.format(expr=expr))


# A recommend with the lines after standardising swapped.
def _rec(body: str) -> str:
    head = _RECOMMEND_BASE + "def recommend(X, i, k):\n    Z = standardise(X)\n"
    return head + indent(dedent(body).strip(), "    ") + "\n"


CORRECT = {
    "vectors.dot": [
        ("loop", "def dot(a, b):\n    total = 0.0\n    for x, y in zip(a, b):\n        total += x * y\n    return total"),
        ("numpy sum", "import numpy as np\ndef dot(a, b):\n    return np.sum(np.asarray(a) * np.asarray(b))"),
        ("returns a 0-d array", "import numpy as np\ndef dot(a, b):\n    return np.asarray(sum(x * y for x, y in zip(a, b)))"),
        ("einsum", "import numpy as np\ndef dot(a, b):\n    return np.einsum('i,i->', a, b)"),
        ("index loop, python float", _code("""
            def dot(a, b):
                total = 0.0
                for i in range(len(a)):
                    total = total + float(a[i]) * float(b[i])
                return total
        """)),
        ("math.fsum", "import math\ndef dot(a, b):\n    return math.fsum(x * y for x, y in zip(a, b))"),
    ],
    "vectors.norm": [
        ("sqrt of own dot", _DOT + "def norm(v):\n    return dot(v, v) ** 0.5"),
        ("math.sqrt of a loop", _code("""
            import math
            def norm(v):
                total = 0.0
                for x in v:
                    total += x * x
                return math.sqrt(total)
        """)),
        ("numpy", "import numpy as np\ndef norm(v):\n    return np.sqrt(np.sum(np.square(v)))"),
        ("hypot", "import math\nfrom functools import reduce\ndef norm(v):\n    return reduce(math.hypot, (float(x) for x in v), 0.0)"),
        ("stays float32", "import numpy as np\ndef norm(v):\n    return np.sqrt((v * v).sum())"),
    ],
    "vectors.cosine_pairwise": [
        ("loops with a zero test", _code("""
            import math
            def cosine_similarity(a, b):
                ab = aa = bb = 0.0
                for x, y in zip(a, b):
                    ab += x * y
                    aa += x * x
                    bb += y * y
                if aa == 0 or bb == 0:
                    return 0.0
                return ab / math.sqrt(aa * bb)
        """)),
        ("numpy, batched and pairwise", _COSINE),
        ("np.linalg.norm", _code("""
            import numpy as np
            def cosine_similarity(a, b):
                na, nb = np.linalg.norm(a), np.linalg.norm(b)
                if na == 0 or nb == 0:
                    return 0.0
                return np.sum(a * b) / (na * nb)
        """)),
        ("through the batched path, float of a 1x1", _code("""
            import numpy as np
            def cosine_similarity(a, b):
                A, B = np.atleast_2d(a).astype(float), np.atleast_2d(b).astype(float)
                An = A / np.maximum(np.sqrt((A ** 2).sum(1, keepdims=True)), 1e-300)
                Bn = B / np.maximum(np.sqrt((B ** 2).sum(1, keepdims=True)), 1e-300)
                M = An @ Bn.T
                return float(M[0, 0]) if np.ndim(a) == 1 else M
        """)),
        ("clipped to [-1, 1], numpy scalar", _code("""
            import numpy as np
            def cosine_similarity(a, b):
                den = np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b))
                if den == 0:
                    return np.float64(0.0)
                return np.clip(np.sum(a * b) / den, -1.0, 1.0)
        """)),
        ("sklearn", _code("""
            import numpy as np
            from sklearn.metrics.pairwise import cosine_similarity as sk_cos
            def cosine_similarity(a, b):
                if np.ndim(a) == 1:
                    return float(sk_cos(np.reshape(a, (1, -1)), np.reshape(b, (1, -1)))[0, 0])
                return sk_cos(a, b)
        """)),
        ("float32 arithmetic", _code("""
            import numpy as np
            def cosine_similarity(a, b):
                den = np.sqrt((a * a).sum()) * np.sqrt((b * b).sum())
                return (a * b).sum() / den if den > 0 else 0.0
        """)),
        ("denominator floored, not shifted", _pair("np.sum(a * b) / max(na * nb, 1e-300)")),
    ],
    "vectors.cosine_zero": [
        ("numpy, batched and pairwise", _COSINE),
        ("loops with a zero test", _code("""
            def cosine_similarity(a, b):
                ab = sum(x * y for x, y in zip(a, b))
                aa = sum(x * x for x in a) ** 0.5
                bb = sum(y * y for y in b) ** 0.5
                return ab / (aa * bb) if aa and bb else 0.0
        """)),
        ("nan_to_num after dividing", _code("""
            import numpy as np
            def cosine_similarity(a, b):
                with np.errstate(invalid="ignore", divide="ignore"):
                    c = np.sum(a * b) / (np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b)))
                return float(np.nan_to_num(c))
        """)),
        ("sklearn", _code("""
            import numpy as np
            from sklearn.metrics.pairwise import cosine_similarity as sk_cos
            def cosine_similarity(a, b):
                return float(sk_cos(np.reshape(a, (1, -1)), np.reshape(b, (1, -1)))[0, 0])
        """)),
    ],
    "vectors.cosine_batched": [
        ("einsum", _COSINE),
        ("broadcasting", _code("""
            import numpy as np
            def cosine_similarity(A, B):
                A = np.asarray(A, dtype=float)
                B = np.asarray(B, dtype=float)
                dots = (A[:, None, :] * B[None, :, :]).sum(axis=-1)
                den = np.sqrt((A ** 2).sum(axis=1))[:, None] * np.sqrt((B ** 2).sum(axis=1))[None, :]
                return np.where(den > 0, dots / np.where(den > 0, den, 1.0), 0.0)
        """)),
        ("loops over a pairwise cosine", _code("""
            import numpy as np
            def pair(a, b):
                na, nb = np.sqrt(np.sum(a * a)), np.sqrt(np.sum(b * b))
                return 0.0 if na == 0 or nb == 0 else np.sum(a * b) / (na * nb)
            def cosine_similarity(A, B):
                return np.array([[pair(a, b) for b in B] for a in A])
        """)),
        ("normalise rows then matmul", _code("""
            import numpy as np
            def unit_rows(X):
                X = np.asarray(X, dtype=float)
                n = np.sqrt((X * X).sum(axis=1, keepdims=True))
                return X / np.where(n == 0, 1.0, n)
            def cosine_similarity(A, B):
                return unit_rows(A) @ unit_rows(B).T
        """)),
        ("sklearn", "from sklearn.metrics.pairwise import cosine_similarity"),
        ("list of lists", _code("""
            import math
            def cosine_similarity(A, B):
                out = []
                for a in A:
                    row = []
                    for b in B:
                        ab = sum(x * y for x, y in zip(a, b))
                        den = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
                        row.append(ab / den if den else 0.0)
                    out.append(row)
                return out
        """)),
    ],
    "vectors.nearest_neighbours": [
        ("argsort of minus the cosines", _NEIGHBOURS),
        ("reversed argsort (ties in the other order)", _nn("return np.argsort(sims)[::-1][:k]")),
        ("argpartition, then sorted", _nn(
            "top = np.argpartition(-sims, k - 1)[:k]\n        return top[np.argsort(-sims[top])]")),
        ("sorted with a key, list of ints", _nn("return sorted(range(len(sims)), key=lambda j: -sims[j])[:k]")),
        ("heapq", "import heapq\n" + _nn("return heapq.nlargest(k, range(len(sims)), key=lambda j: sims[j])")),
        ("tuple of ints", _nn("return tuple(int(j) for j in np.argsort(-sims)[:k])")),
    ],
    "vectors.standardise": [
        ("numpy", _STANDARDISE),
        ("column loop", _code("""
            import math
            import numpy as np
            def standardise(X):
                X = np.asarray(X, dtype=float)
                Z = np.zeros_like(X)
                for j in range(X.shape[1]):
                    col = X[:, j]
                    mean = sum(col) / len(col)
                    sd = math.sqrt(sum((x - mean) ** 2 for x in col) / len(col))
                    Z[:, j] = (col - mean) / sd if sd > 0 else 0.0
                return Z
        """)),
        ("sklearn StandardScaler", _code("""
            from sklearn.preprocessing import StandardScaler
            def standardise(X):
                return StandardScaler().fit_transform(X.astype(float))
        """)),
        ("scipy zscore", "from scipy.stats import zscore\ndef standardise(X):\n    return zscore(X, axis=0)"),
        ("keepdims, ptp mask", _code("""
            import numpy as np
            def standardise(X):
                mu = X.mean(axis=0, keepdims=True)
                sd = X.std(axis=0, keepdims=True)
                sd[np.ptp(X, axis=0, keepdims=True) == 0] = 1.0
                return (X - mu) / sd
        """)),
    ],
    "vectors.standardise_constant": [
        ("numpy", _STANDARDISE),
        ("sklearn StandardScaler", _code("""
            from sklearn.preprocessing import StandardScaler
            def standardise(X):
                return StandardScaler().fit_transform(X.astype(float))
        """)),
        ("keepdims, ptp mask", _code("""
            import numpy as np
            def standardise(X):
                mu = X.mean(axis=0, keepdims=True)
                sd = X.std(axis=0, keepdims=True)
                sd[np.ptp(X, axis=0, keepdims=True) == 0] = 1.0
                return (X - mu) / sd
        """)),
        ("nan_to_num", _code("""
            import numpy as np
            def standardise(X):
                with np.errstate(invalid="ignore", divide="ignore"):
                    return np.nan_to_num((X - X.mean(0)) / X.std(0))
        """)),
    ],
    "vectors.recommend": [
        ("nearest_neighbours on k + 1, drop i by index", _rec("""
            top = nearest_neighbours(Z[i], Z, k + 1)
            return np.array([j for j in top if j != i][:k])
        """)),
        ("self set to -inf", _rec("""
            sims = cosine_similarity(Z[i][None, :], Z)[0]
            sims[i] = -np.inf
            return np.argsort(-sims)[:k]
        """)),
        ("sample std (same ranking)", _RECOMMEND_BASE + _code("""
            def recommend(X, i, k):
                Z = (X - X.mean(0)) / X.std(0, ddof=1)
                order = nearest_neighbours(Z[i], Z, len(Z))
                return [int(j) for j in order if j != i][:k]
        """)),
        ("sklearn", _code("""
            import numpy as np
            from sklearn.preprocessing import StandardScaler
            from sklearn.metrics.pairwise import cosine_similarity
            def recommend(X, i, k):
                Z = StandardScaler().fit_transform(X)
                sims = cosine_similarity(Z[i:i + 1], Z)[0]
                order = [j for j in np.argsort(-sims, kind="stable") if j != i]
                return np.array(order[:k])
        """)),
    ],
}

MISTAKES = {
    "vectors.dot": [
        ("elementwise", "def dot(a, b):\n    return a * b", "element-wise product"),
        ("sum_of_sums", "def dot(a, b):\n    return sum(a) * sum(b)", "sum(a) * sum(b)"),
        ("abs_values", "def dot(a, b):\n    return sum(abs(x * y) for x, y in zip(a, b))", "absolute values"),
        ("mean_not_sum", "import numpy as np\ndef dot(a, b):\n    return np.mean(a * b)", "mean"),
        ("sum_of_plus", "def dot(a, b):\n    return sum(a + b)", "a[i] + b[i]"),
        ("norm_product", "def dot(a, b):\n    return (sum(a * a) * sum(b * b)) ** 0.5", "product of the lengths"),
        ("library_used", "import numpy as np\ndef dot(a, b):\n    return np.dot(a, b)", "from scratch"),
        ("library_used", "def dot(a, b):\n    return a @ b", "from scratch"),
        ("library_used", "def dot(a, b):\n    return a.dot(b)", "from scratch"),
        ("library_used", "from numpy import inner\ndef dot(a, b):\n    return inner(a, b)", "from scratch"),
        ("error", "def dot(a, b):\n    raise NotImplementedError()", "NotImplementedError"),
        ("wrong_type", "def dot(a, b):\n    pass", "return"),
        ("wrong_value", "def dot(a, b):\n    return sum(x * y for x, y in zip(a, b)) + 1", "expected"),
    ],
    "vectors.norm": [
        ("no_sqrt", "def norm(v):\n    return sum(x * x for x in v)", "square root"),
        ("l1_norm", "def norm(v):\n    return sum(abs(x) for x in v)", "L1 norm"),
        ("max_norm", "def norm(v):\n    return max(abs(x) for x in v)", "largest absolute entry"),
        ("rms", "import numpy as np\ndef norm(v):\n    return np.sqrt(np.mean(v * v))", "root mean square"),
        ("elementwise", "import numpy as np\ndef norm(v):\n    return np.sqrt(v * v)", "single number"),
        ("no_square", "import numpy as np\ndef norm(v):\n    with np.errstate(invalid='ignore'):\n"
                      "        return np.sqrt(np.sum(v))", "square each entry"),
        ("library_used", "import numpy as np\ndef norm(v):\n    return np.linalg.norm(v)", "np.linalg.norm"),
        ("library_used", "from numpy.linalg import norm as n2\ndef norm(v):\n    return n2(v)", "from scratch"),
        ("error", "def norm(v):\n    raise NotImplementedError()", "NotImplementedError"),
        ("wrong_type", "def norm(v):\n    return None", "return"),
    ],
    "vectors.cosine_pairwise": [
        ("no_norm", _pair("np.sum(a * b)"), "the cosine divides it"),
        ("one_norm", _pair("np.sum(a * b) / na"), "only one of the two norms"),
        ("one_norm", _pair("np.sum(a * b) / nb"), "only one of the two norms"),
        ("squared_norms", _pair("np.sum(a * b) / (na ** 2 * nb ** 2)"), "squared norms"),
        ("sum_of_norms", _pair("np.sum(a * b) / (na + nb)"), "|a| + |b|"),
        ("l1_norms", _pair("np.sum(a * b) / (np.sum(np.abs(a)) * np.sum(np.abs(b)))"), "L1 norms"),
        ("angle", _pair("np.arccos(np.clip(np.sum(a * b) / (na * nb), -1, 1))"), "radians"),
        ("angle", _pair("np.degrees(np.arccos(np.clip(np.sum(a * b) / (na * nb), -1, 1)))"), "degrees"),
        ("distance", _pair("1 - np.sum(a * b) / (na * nb)"), "1 - cos"),
        ("abs_cosine", _pair("abs(np.sum(a * b) / (na * nb))"), "absolute value"),
        ("euclidean", _pair("np.sqrt(np.sum((a - b) ** 2))"), "Euclidean distance"),
        ("epsilon", _code("""
            import numpy as np
            def cosine_similarity(a, b):
                return np.sum(a * b) / (np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b)) + 1e-12)
        """), "epsilon"),
        ("epsilon", _code("""
            import numpy as np
            def cosine_similarity(a, b):
                return np.sum(a * b) / (np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b)) + 1e-8)
        """), "added to the denominator"),
        ("not_scalar", _code("""
            import numpy as np
            def cosine_similarity(a, b):
                A, B = np.atleast_2d(a), np.atleast_2d(b)
                den = np.sqrt((A * A).sum(1))[:, None] * np.sqrt((B * B).sum(1))[None, :]
                return (A @ B.T) / den
        """), "single float"),
        ("error", "def cosine_similarity(a, b):\n    raise NotImplementedError()", "NotImplementedError"),
        ("wrong_type", "def cosine_similarity(a, b):\n    print(a, b)", "return"),
        ("wrong_value", _pair("np.sum(a * b) / (na * nb) * 0.99"), "expected"),
    ],
    "vectors.cosine_zero": [
        ("zero_nan", _code("""
            import numpy as np
            def cosine_similarity(a, b):
                with np.errstate(invalid="ignore"):
                    return np.sum(a * b) / (np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b)))
        """), "nan"),
        ("zero_is_one", _code("""
            import numpy as np
            def cosine_similarity(a, b):
                na, nb = np.sqrt(np.sum(a * a)), np.sqrt(np.sum(b * b))
                if na == 0 or nb == 0:
                    return 1.0
                return np.sum(a * b) / (na * nb)
        """), "returned 1.0"),
        ("zero_is_minus_one", _code("""
            import numpy as np
            def cosine_similarity(a, b):
                den = np.sqrt(np.sum(a * a) * np.sum(b * b))
                return np.sum(a * b) / den if den else -1.0
        """), "-1.0"),
        ("zero_error", _code("""
            import math
            def cosine_similarity(a, b):
                ab = sum(float(x) * float(y) for x, y in zip(a, b))
                return ab / (math.sqrt(sum(float(x) ** 2 for x in a)) * math.sqrt(sum(float(y) ** 2 for y in b)))
        """), "ZeroDivisionError"),
        ("zero_error", _code("""
            import numpy as np
            def cosine_similarity(a, b):
                den = np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b))
                if den == 0:
                    raise ValueError("zero vector")
                return np.sum(a * b) / den
        """), "test for a zero norm"),
        ("wrong_type", "def cosine_similarity(a, b):\n    return 'zero'", "expected a number"),
    ],
    "vectors.cosine_batched": [
        ("transposed", _batch("out = dots.T / np.outer(nb, na)"), "transposed"),
        ("rowwise", _batch("out = np.sum(A * B, axis=1) / (na * nb)"), "row i of B"),
        ("first_row", _batch("out = dots[0] / (na[0] * nb)"), "first row"),
        ("wrong_axis", _batch("out = np.einsum('id,jd->ij', A / np.sqrt((A * A).sum(0)), B / np.sqrt((B * B).sum(0)))"),
         "axis=1"),
        ("no_norm", _batch("out = dots"), "without dividing"),
        ("one_norm", _batch("out = dots / na[:, None]"), "only one of A and B"),
        ("squared_norms", _batch("out = dots / np.outer(na ** 2, nb ** 2)"), "squared row norms"),
        ("whole_matrix_norm", _batch("out = dots / (np.sqrt((A * A).sum()) * np.sqrt((B * B).sum()))"),
         "whole matrices"),
        ("distance", _batch("out = 1 - dots / np.outer(na, nb)"), "1 - cos"),
        ("zero_nan", _batch("out = dots / np.outer(na, nb)", clean=False), "nan"),
        ("not_batched", _code("""
            import numpy as np
            def cosine_similarity(a, b):
                den = np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b))
                return float(np.sum(a * b) / den) if den else 0.0
        """), "single number"),
        ("epsilon", _batch("out = dots / (np.outer(na, nb) + 1e-10)"), "epsilon"),
        ("error", _code("""
            import math
            def cosine_similarity(a, b):
                den = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
                return sum(x * y for x, y in zip(a, b)) / den if den else 0.0
        """), "error on 2-D input"),
        ("zero_error", _code("""
            import numpy as np
            def cosine_similarity(A, B):
                na = np.sqrt((A * A).sum(1))
                nb = np.sqrt((B * B).sum(1))
                if not (na.all() and nb.all()):
                    raise ZeroDivisionError("a row of zeros")
                return np.einsum("id,jd->ij", A, B) / np.outer(na, nb)
        """), "rows of zeros"),
    ],
    "vectors.nearest_neighbours": [
        ("ascending", _nn("return np.argsort(-sims)[:k][::-1]"), "ascending order"),
        ("least_similar", _nn("return np.argsort(sims)[:k]"), "least similar"),
        ("skipped_first", _nn("return np.argsort(-sims)[1:k + 1]"), "skipped the most similar"),
        ("euclidean", _nn("return np.argsort(np.sqrt(((X - q) ** 2).sum(1)))[:k]"), "Euclidean distance"),
        ("dot_product", _nn("return np.argsort(-(X * q).sum(1))[:k]"), "dot product"),
        ("zero_nan", _code("""
            import numpy as np
            def nearest_neighbours(query, items, k):
                with np.errstate(invalid="ignore", divide="ignore"):
                    sims = (items * query).sum(1) / (np.sqrt((items ** 2).sum(1)) * np.sqrt((query ** 2).sum()))
                return np.argsort(-sims)[:k]
        """), "nan"),
        ("zero_nan", _code("""
            import numpy as np
            def nearest_neighbours(query, items, k):
                with np.errstate(invalid="ignore", divide="ignore"):
                    sims = (items * query).sum(1) / (np.sqrt((items ** 2).sum(1)) * np.sqrt((query ** 2).sum()))
                return np.argsort(sims)[::-1][:k]
        """), "zero vectors"),
        ("scores_not_indices", _nn("return np.sort(sims)[::-1][:k]"), "indices"),
        ("ignored_k", _nn("return np.argsort(-sims)"), "whole ranking"),
        ("off_by_one_k", _nn("return np.argsort(-sims)[:k + 1]"), "one too many"),
        ("not_sorted", _nn("return np.roll(np.argsort(-sims)[:k], 1)"), "not in the right order"),
        ("one_based", _nn("return np.argsort(-sims)[:k] + 1"), "counts from 0"),
        ("error", "def nearest_neighbours(query, items, k):\n    raise NotImplementedError()", "NotImplementedError"),
        ("wrong_type", "def nearest_neighbours(query, items, k):\n    return None", "return"),
    ],
    "vectors.standardise": [
        ("modified_input", "import numpy as np\ndef standardise(X):\n    X = np.asarray(X, dtype=float)\n"
                           "    X -= X.mean(axis=0)\n    sd = X.std(axis=0)\n    X /= np.where(sd == 0, 1.0, sd)\n"
                           "    return X\n", "in place"),
        ("sample_std", "def standardise(X):\n    return (X - X.mean(0)) / X.std(0, ddof=1)", "ddof"),
        ("wrong_axis", "def standardise(X):\n    return (X - X.mean(1, keepdims=True)) / X.std(1, keepdims=True)",
         "each row"),
        ("not_centred", "def standardise(X):\n    return X / X.std(0)", "without subtracting"),
        ("not_scaled", "def standardise(X):\n    return X - X.mean(0)", "did not divide"),
        ("global_stats", "def standardise(X):\n    return (X - X.mean()) / X.std()", "whole table"),
        ("min_max", "def standardise(X):\n    return (X - X.min(0)) / (X.max(0) - X.min(0))", "min-max"),
        ("variance", "def standardise(X):\n    return (X - X.mean(0)) / X.var(0)", "variance"),
        ("wrong_shape", "def standardise(X):\n    return ((X - X.mean(0)) / X.std(0)).T", "transposed"),
        ("error", "def standardise(X):\n    raise NotImplementedError()", "NotImplementedError"),
    ],
    "vectors.standardise_constant": [
        ("constant_nan", _code("""
            import numpy as np
            def standardise(X):
                with np.errstate(invalid="ignore"):
                    return (X - X.mean(0)) / X.std(0)
        """), "nan"),
        ("constant_nan", _code("""
            import warnings
            from scipy.stats import zscore
            def standardise(X):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    return zscore(X, axis=0)
        """), "all zeros"),
        ("constant_unchanged", _code("""
            import numpy as np
            def standardise(X):
                X = np.asarray(X, dtype=float)
                sd = X.std(0)
                out = X.copy()
                ok = sd > 0
                out[:, ok] = (X[:, ok] - X[:, ok].mean(0)) / sd[ok]
                return out
        """), "kept its original values"),
        ("constant_ones", _code("""
            import numpy as np
            def standardise(X):
                sd = X.std(0)
                Z = (X - X.mean(0)) / np.where(sd == 0, 1.0, sd)
                Z[:, sd == 0] = 1.0
                return Z
        """), "became ones"),
        ("dropped_column", _code("""
            import numpy as np
            def standardise(X):
                X = np.asarray(X, dtype=float)
                keep = X.std(0) > 0
                return (X[:, keep] - X[:, keep].mean(0)) / X[:, keep].std(0)
        """), "dropped"),
        ("constant_error", _code("""
            import math
            import numpy as np
            def standardise(X):
                Z = np.zeros(X.shape)
                for j in range(X.shape[1]):
                    col = [float(x) for x in X[:, j]]
                    m = sum(col) / len(col)
                    sd = math.sqrt(sum((x - m) ** 2 for x in col) / len(col))
                    Z[:, j] = [(x - m) / sd for x in col]
                return Z
        """), "ZeroDivisionError"),
    ],
    "vectors.recommend": [
        ("includes_itself", _rec("return nearest_neighbours(Z[i], Z, k)"), "itself"),
        ("includes_itself", _rec("return nearest_neighbours(Z[i], Z, k + 1)[1:]"), "same features"),
        ("raw_features", _RECOMMEND_BASE + _code("""
            def recommend(X, i, k):
                top = nearest_neighbours(X[i], X, k + 1)
                return np.array([j for j in top if j != i][:k])
        """), "raw features"),
        ("not_centred", _rec("""
            Z = X / X.std(0)
            top = nearest_neighbours(Z[i], Z, k + 1)
            return np.array([j for j in top if j != i][:k])
        """), "without subtracting the means"),
        ("min_max", _rec("""
            Z = (X - X.min(0)) / (X.max(0) - X.min(0))
            top = nearest_neighbours(Z[i], Z, k + 1)
            return np.array([j for j in top if j != i][:k])
        """), "[0, 1]"),
        ("euclidean", _rec("""
            d = np.sqrt(((Z - Z[i]) ** 2).sum(1))
            d[i] = np.inf
            return np.argsort(d)[:k]
        """), "Euclidean distance"),
        ("ascending", _rec("""
            top = nearest_neighbours(Z[i], Z, k + 1)
            return np.array([j for j in top if j != i][:k])[::-1]
        """), "ascending order"),
        ("least_similar", _rec("""
            sims = cosine_similarity(Z[i][None, :], Z)[0]
            sims[i] = np.inf
            return np.argsort(sims)[:k]
        """), "least similar"),
        ("k_minus_one", _rec("""
            top = nearest_neighbours(Z[i], Z, k)
            return np.array([j for j in top if j != i])
        """), "one too few"),
        ("ignored_k", _rec("""
            top = nearest_neighbours(Z[i], Z, len(Z))
            return np.array([j for j in top if j != i])
        """), "whole ranking"),
        ("error", "def recommend(X, i, k):\n    raise NotImplementedError()", "NotImplementedError"),
        ("skipped_first", _rec("""
            top = nearest_neighbours(Z[i], Z, k + 2)
            return np.array([j for j in top if j != i][1:k + 1])
        """), "skipped the most similar"),
        ("scores_not_indices", _rec("""
            sims = cosine_similarity(Z[i][None, :], Z)[0]
            sims[i] = -np.inf
            return np.sort(sims)[::-1][:k]
        """), "indices"),
        ("off_by_one_k", _rec("""
            top = nearest_neighbours(Z[i], Z, k + 2)
            return np.array([j for j in top if j != i][:k + 1])
        """), "one too many"),
        ("one_based", _rec("""
            top = nearest_neighbours(Z[i], Z, k + 1)
            return np.array([j for j in top if j != i][:k]) + 1
        """), "counts from 0"),
        ("not_sorted", _rec("""
            top = nearest_neighbours(Z[i], Z, k + 1)
            return np.sort(np.array([j for j in top if j != i][:k]))
        """), "not in the right order"),
    ],
}
