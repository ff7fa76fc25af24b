"""Correct variants and catalogued mistakes for the p1-song-recommender checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


def _std(body: str) -> str:
    """A standardize(X, ref) whose statistics lines are ``body``."""
    return _c("""
        import numpy as np
        def standardize(X, ref=None):
            X = np.asarray(X, dtype=float)
            ref = X if ref is None else np.asarray(ref, dtype=float)
        """) + dedent(body).strip("\n").replace("\n", "\n    ").join(["    ", "\n"])


def _mm(body: str) -> str:
    return _c("""
        import numpy as np
        def minmax(X, ref=None):
            X = np.asarray(X, dtype=float)
            ref = X if ref is None else np.asarray(ref, dtype=float)
        """) + dedent(body).strip("\n").replace("\n", "\n    ").join(["    ", "\n"])


# A correct recommend (and its scalers), for the questions that build on it.
SCALERS = _c("""
    import numpy as np
    def standardize(X, ref=None):
        X = np.asarray(X, dtype=float)
        ref = X if ref is None else np.asarray(ref, dtype=float)
        sd = ref.std(axis=0)
        Z = (X - ref.mean(axis=0)) / np.where(sd == 0, 1.0, sd)
        Z[:, sd == 0] = 0.0
        return Z
    def minmax(X, ref=None):
        X = np.asarray(X, dtype=float)
        ref = X if ref is None else np.asarray(ref, dtype=float)
        width = ref.max(axis=0) - ref.min(axis=0)
        M = (X - ref.min(axis=0)) / np.where(width == 0, 1.0, width)
        M[:, width == 0] = 0.0
        return M
    """)


def _rec(scale: str = "Z = SCALE[scaling](X, np.delete(X, song_id, axis=0))",
         rank: str = "key[song_id] = np.inf\nreturn np.argsort(key, kind='stable')[:k]",
         score: str = None) -> str:
    score = score or _c("""
        q = Z[song_id]
        if metric == "cosine":
            norms = np.linalg.norm(Z, axis=1) * np.linalg.norm(q)
            key = -np.divide(Z @ q, norms, out=np.zeros(len(Z)), where=norms > 0)
        else:
            key = np.linalg.norm(Z - q, axis=1)
        """)
    body = "\n".join([scale, score.strip(), rank])
    return SCALERS + _c("""
        SCALE = {"none": lambda X, ref: np.asarray(X, dtype=float), "standard": standardize, "minmax": minmax}
        def recommend(X, song_id, k, metric, scaling):
            X = np.asarray(X, dtype=float)
        """) + body.replace("\n", "\n    ").join(["    ", "\n"])


RECOMMEND = _rec()

CORRECT = {
    "songs.standardize": [
        ("vectorised", _std("""
            sd = ref.std(axis=0)
            Z = (X - ref.mean(axis=0)) / np.where(sd == 0, 1.0, sd)
            Z[:, sd == 0] = 0.0
            return Z
            """)),
        ("column by column", _std("""
            out = np.zeros(X.shape)
            for j in range(X.shape[1]):
                mean = sum(ref[:, j]) / len(ref)
                sd = (sum((ref[:, j] - mean) ** 2) / len(ref)) ** 0.5
                if sd > 0:
                    out[:, j] = (X[:, j] - mean) / sd
            return out
            """)),
        ("sklearn StandardScaler fitted on ref", _std("""
            from sklearn.preprocessing import StandardScaler
            Z = StandardScaler().fit(ref).transform(X)
            Z[:, ref.std(axis=0) == 0] = 0.0
            return Z
            """)),
        ("float32 arithmetic", _c("""
            import numpy as np
            def standardize(X, ref=None):
                X = np.asarray(X)
                ref = X if ref is None else np.asarray(ref)
                dt = np.float32 if X.dtype == np.float32 else np.float64
                X, ref = X.astype(dt), ref.astype(dt)
                sd = ref.std(axis=0)
                return np.where(sd == 0, 0.0, (X - ref.mean(axis=0)) / np.where(sd == 0, 1, sd))
            """)),
        ("torch", _c("""
            import torch
            def standardize(X, ref=None):
                X = torch.as_tensor(X, dtype=torch.float64)
                ref = X if ref is None else torch.as_tensor(ref, dtype=torch.float64)
                sd = ref.std(dim=0, unbiased=False)
                Z = (X - ref.mean(dim=0)) / torch.where(sd == 0, torch.ones_like(sd), sd)
                Z[:, sd == 0] = 0.0
                return Z
            """)),
    ],
    "songs.minmax": [
        ("vectorised", _mm("""
            width = ref.max(axis=0) - ref.min(axis=0)
            M = (X - ref.min(axis=0)) / np.where(width == 0, 1.0, width)
            M[:, width == 0] = 0.0
            return M
            """)),
        ("np.ptp and np.divide", _mm("""
            width = np.ptp(ref, axis=0)
            return np.divide(X - ref.min(axis=0), width, out=np.zeros(X.shape), where=width > 0)
            """)),
        ("loops", _mm("""
            out = np.zeros(X.shape)
            for j in range(X.shape[1]):
                lo, hi = min(ref[:, j]), max(ref[:, j])
                for r in range(X.shape[0]):
                    out[r, j] = 0.0 if hi == lo else (X[r, j] - lo) / (hi - lo)
            return out
            """)),
        ("sklearn MinMaxScaler fitted on ref", _mm("""
            from sklearn.preprocessing import MinMaxScaler
            M = MinMaxScaler().fit(ref).transform(X)
            M[:, np.ptp(ref, axis=0) == 0] = 0.0
            return M
            """)),
    ],
    "songs.recommend": [
        ("argsort, stable", RECOMMEND),
        ("sorted by (score, index)", _rec(rank=_c("""
            pairs = sorted((key[j], j) for j in range(len(X)) if j != song_id)
            return np.array([j for _, j in pairs[:k]])
            """))),
        ("squared distances, normalised rows, lexsort", _rec(score=_c("""
            q = Z[song_id]
            if metric == "cosine":
                n = np.linalg.norm(Z, axis=1, keepdims=True)
                U = np.divide(Z, n, out=np.zeros_like(Z), where=n > 0)
                key = -(U @ U[song_id])
            else:
                key = ((Z - q) ** 2).sum(axis=1)
            """), rank=_c("""
            others = np.array([j for j in range(len(X)) if j != song_id])
            order = np.lexsort((others, key[others]))
            return others[order][:k]
            """))),
        ("scaler fitted on a boolean mask, scipy cdist", _rec(
            scale=_c("""
                keep = np.arange(len(X)) != song_id
                Z = SCALE[scaling](X, X[keep])
                """),
            score=_c("""
                from scipy.spatial.distance import cdist
                q = Z[song_id]
                if metric == "cosine":
                    norms = np.linalg.norm(Z, axis=1) * np.linalg.norm(q)
                    key = -np.divide(Z @ q, norms, out=np.zeros(len(Z)), where=norms > 0)
                else:
                    key = cdist(Z, q[None])[:, 0]
                """))),
        ("returns a list of ints", _rec(rank=_c("""
            key[song_id] = np.inf
            return [int(j) for j in np.argsort(key, kind="mergesort")[:k]]
            """))),
    ],
    "songs.diversity": [
        ("upper triangle", _c("""
            import numpy as np
            def diversity(R):
                R = np.asarray(R, dtype=float)
                k = len(R)
                if k < 2:
                    return 0.0
                n = np.linalg.norm(R, axis=1)
                outer = np.outer(n, n)
                cos = np.divide(R @ R.T, outer, out=np.zeros((k, k)), where=outer > 0)
                i, j = np.triu_indices(k, 1)
                return float(np.mean(1 - cos[i, j]))
            """)),
        ("double loop", _c("""
            import math
            def diversity(R):
                rows = [list(map(float, r)) for r in R]
                total, pairs = 0.0, 0
                for a in range(len(rows)):
                    for b in range(a + 1, len(rows)):
                        dot = sum(x * y for x, y in zip(rows[a], rows[b]))
                        na = math.sqrt(sum(x * x for x in rows[a]))
                        nb = math.sqrt(sum(y * y for y in rows[b]))
                        cos = dot / (na * nb) if na > 0 and nb > 0 else 0.0
                        total += 1 - cos
                        pairs += 1
                return total / pairs if pairs else 0.0
            """)),
        ("sklearn cosine_distances, off-diagonal mean", _c("""
            import numpy as np
            from sklearn.metrics.pairwise import cosine_distances
            def diversity(R):
                R = np.asarray(R, dtype=float)
                k = len(R)
                if k < 2:
                    return 0.0
                D = cosine_distances(R)
                return float((D.sum() - np.trace(D)) / (k * (k - 1)))
            """)),
    ],
    "songs.precision_at_k": [
        ("mean of per-song fractions", RECOMMEND + _c("""
            def precision_at_k(X, genres, k, metric, scaling):
                genres = np.asarray(genres)
                scores = [np.mean(genres[recommend(X, i, k, metric, scaling)] == genres[i]) for i in range(len(X))]
                return float(np.mean(scores))
            """)),
        ("total hits over n * k", RECOMMEND + _c("""
            def precision_at_k(X, genres, k, metric, scaling):
                hits = 0
                for i in range(len(X)):
                    for j in recommend(X, i, k, metric, scaling):
                        hits += genres[j] == genres[i]
                return hits / (len(X) * k)
            """)),
    ],
    "songs.ship": [
        ("cosine, standard", RECOMMEND + "def ship(X, song_id, k):\n    return recommend(X, song_id, k, 'cosine', 'standard')\n"),
        ("euclidean, standard", RECOMMEND + "def ship(X, song_id, k):\n    return recommend(X, song_id, k, 'euclidean', 'standard')\n"),
        ("euclidean, minmax", RECOMMEND + "def ship(X, song_id, k):\n    return recommend(X, song_id, k, 'euclidean', 'minmax')\n"),
        ("cosine, minmax", RECOMMEND + "def ship(X, song_id, k):\n    return recommend(X, song_id, k, 'cosine', 'minmax')\n"),
    ],
}


def _prec(body: str, rec: str = RECOMMEND) -> str:
    return rec + _c("""
        def precision_at_k(X, genres, k, metric, scaling):
            genres = np.asarray(genres)
        """) + dedent(body).strip("\n").replace("\n", "\n    ").join(["    ", "\n"])


_PREC_OK = "return float(np.mean([np.mean(genres[recommend(X, i, k, metric, scaling)] == genres[i]) for i in range(len(X))]))"

MISTAKES = {
    "songs.standardize": [
        ("fitted_on_x", _std("return (X - X.mean(0)) / X.std(0)"), "from X itself"),
        ("per_row", _std("return (X - X.mean(1, keepdims=True)) / X.std(1, keepdims=True)"), "each row"),
        ("sample_std", _std("return (X - ref.mean(0)) / ref.std(0, ddof=1)"), "ddof=1"),
        ("not_centred", _std("return X / ref.std(0)"), "without subtracting"),
        ("not_scaled", _std("return X - ref.mean(0)"), "tempo"),
        ("global_stats", _std("return (X - ref.mean()) / ref.std()"), "whole table"),
        ("variance", _std("return (X - ref.mean(0)) / ref.var(0)"), "variance"),
        ("minmax_instead", _std("""
            w = np.ptp(ref, 0)
            return np.divide(X - ref.min(0), w, out=np.zeros(X.shape), where=w > 0)
            """), "min-max"),
        ("constant_nan", _std("return (X - ref.mean(0)) / ref.std(0)"), "nan"),
        ("constant_kept", _std("""
            sd = ref.std(0)
            return (X - ref.mean(0)) / np.where(sd == 0, 1.0, sd)
            """), "divided by 1"),
        ("constant_kept", _std("""
            from sklearn.preprocessing import StandardScaler
            return StandardScaler().fit(ref).transform(X)
            """), "becomes 0"),
    ],
    "songs.minmax": [
        ("fitted_on_x", _mm("return (X - X.min(0)) / np.ptp(X, 0)"), "from X itself"),
        ("per_row", _mm("return (X - X.min(1, keepdims=True)) / np.ptp(X, 1, keepdims=True)"), "each row"),
        ("clipped", _mm("""
            w = np.ptp(ref, 0)
            return np.clip(np.divide(X - ref.min(0), w, out=np.zeros(X.shape), where=w > 0), 0, 1)
            """), "unclipped"),
        ("clipped", _mm("""
            from sklearn.preprocessing import MinMaxScaler
            M = MinMaxScaler(clip=True).fit(ref).transform(X)
            M[:, np.ptp(ref, 0) == 0] = 0.0
            return M
            """), "clipped"),
        ("no_shift", _mm("return X / ref.max(0)"), "without subtracting the minimum"),
        ("divided_by_max", _mm("return (X - ref.min(0)) / ref.max(0)"), "range"),
        ("reversed", _mm("return (ref.max(0) - X) / np.ptp(ref, 0)"), "runs from 1"),
        ("global_stats", _mm("return (X - ref.min()) / (ref.max() - ref.min())"), "whole table"),
        ("standardize_instead", _mm("""
            sd = ref.std(0)
            Z = (X - ref.mean(0)) / np.where(sd == 0, 1.0, sd)
            Z[:, sd == 0] = 0
            return Z
            """), "standardised"),
        ("constant_nan", _mm("return (X - ref.min(0)) / np.ptp(ref, 0)"), "nan"),
        ("constant_kept", _mm("""
            w = np.ptp(ref, 0)
            return (X - ref.min(0)) / np.where(w == 0, 1.0, w)
            """), "becomes 0"),
    ],
    "songs.recommend": [
        ("includes_itself", _rec(rank="return np.argsort(key, kind='stable')[:k]"), "itself"),
        ("includes_itself", _rec(rank="return np.argsort(key, kind='stable')[:k + 1][1:]"), "by its index"),
        ("k_minus_one", _rec(rank="order = np.argsort(key, kind='stable')[:k]\nreturn order[order != song_id]"),
         "one too few"),
        ("unscaled", _rec(scale="Z = X"), "tempo"),
        ("query_in_stats", _rec(scale="Z = SCALE[scaling](X, X)"), "query included"),
        ("per_row", _rec(scale=_c("""
            if scaling == "standard":
                Z = (X - X.mean(1, keepdims=True)) / X.std(1, keepdims=True)
            elif scaling == "minmax":
                Z = (X - X.min(1, keepdims=True)) / np.ptp(X, 1, keepdims=True)
            else:
                Z = X
            """)), "each row"),
        ("scaling_swapped", _rec(scale=_c("""
            swap = {"standard": "minmax", "minmax": "standard", "none": "none"}
            Z = SCALE[swap[scaling]](X, np.delete(X, song_id, axis=0))
            """)), "scaling"),
        ("metric_swapped", _rec(score=_c("""
            q = Z[song_id]
            norms = np.linalg.norm(Z, axis=1) * np.linalg.norm(q)
            key = -np.divide(Z @ q, norms, out=np.zeros(len(Z)), where=norms > 0)
            """)), "euclidean"),
        ("wrong_direction", _rec(score=_c("""
            q = Z[song_id]
            if metric == "cosine":
                norms = np.linalg.norm(Z, axis=1) * np.linalg.norm(q)
                key = -np.divide(Z @ q, norms, out=np.zeros(len(Z)), where=norms > 0)
            else:
                key = -np.linalg.norm(Z - q, axis=1)
            """)), "farthest"),
        ("ascending", _rec(rank="key[song_id] = np.inf\nreturn np.argsort(key, kind='stable')[:k][::-1]"),
         "worst first"),
        ("ties_reversed", _rec(rank="key[song_id] = np.inf\nreturn np.argsort(-key, kind='stable')[::-1][:k]"),
         "smaller index first"),
        ("not_sorted", _rec(rank="key[song_id] = np.inf\nreturn np.sort(np.argsort(key, kind='stable')[:k])"),
         "not in the right order"),
        ("duplicates", _rec(rank="key[song_id] = np.inf\nr = np.argsort(key, kind='stable')[:k]\nreturn np.append(r[:-1], r[0])"),
         "repeats"),
        ("out_of_range", _rec(rank="return np.arange(k) - 2"), "outside"),
        ("one_based", _rec(rank="key[song_id] = np.inf\nreturn np.argsort(key, kind='stable')[:k] + 1"),
         "Python counts from 0"),
        ("scores_not_indices", _rec(rank="key[song_id] = np.inf\nreturn np.sort(key)[:k] + 0.5"), "scores"),
        ("off_by_one_k", _rec(rank="key[song_id] = np.inf\nreturn np.argsort(key, kind='stable')[:k + 1]"),
         "exactly k"),
    ],
    "songs.diversity": [
        ("diagonal_included", _c("""
            import numpy as np
            def diversity(R):
                R = np.asarray(R, dtype=float)
                n = np.linalg.norm(R, axis=1)
                outer = np.outer(n, n)
                cos = np.divide(R @ R.T, outer, out=np.zeros(outer.shape), where=outer > 0)
                return float(np.mean(1 - cos))
            """), "itself"),
        ("similarity", _c("""
            import numpy as np
            def diversity(R):
                R = np.asarray(R, dtype=float)
                if len(R) < 2:
                    return 0.0
                n = np.linalg.norm(R, axis=1)
                outer = np.outer(n, n)
                cos = np.divide(R @ R.T, outer, out=np.zeros(outer.shape), where=outer > 0)
                return float(np.mean(cos[np.triu_indices(len(R), 1)]))
            """), "DISTANCE"),
        ("sum", _c("""
            import numpy as np
            def diversity(R):
                R = np.asarray(R, dtype=float)
                n = np.linalg.norm(R, axis=1)
                outer = np.outer(n, n)
                cos = np.divide(R @ R.T, outer, out=np.zeros(outer.shape), where=outer > 0)
                return float(np.sum(1 - cos[np.triu_indices(len(R), 1)]))
            """), "take the mean"),
        ("double_counted", _c("""
            import numpy as np
            def diversity(R):
                R = np.asarray(R, dtype=float)
                k = len(R)
                if k < 2:
                    return 0.0
                n = np.linalg.norm(R, axis=1)
                outer = np.outer(n, n)
                cos = np.divide(R @ R.T, outer, out=np.zeros(outer.shape), where=outer > 0)
                return float(np.sum(1 - cos) / (k * (k - 1) / 2))
            """), "ordered pairs"),
        ("euclidean", _c("""
            import numpy as np
            def diversity(R):
                R = np.asarray(R, dtype=float)
                if len(R) < 2:
                    return 0.0
                D = np.linalg.norm(R[:, None] - R[None], axis=2)
                return float(D[np.triu_indices(len(R), 1)].mean())
            """), "Euclidean"),
        ("not_normalised", _c("""
            import numpy as np
            def diversity(R):
                R = np.asarray(R, dtype=float)
                if len(R) < 2:
                    return 0.0
                return float(np.mean(1 - (R @ R.T)[np.triu_indices(len(R), 1)]))
            """), "norms"),
        ("columns", _c("""
            import numpy as np
            def diversity(R):
                C = np.asarray(R, dtype=float).T
                if len(R) < 2:
                    return 0.0
                n = np.linalg.norm(C, axis=1)
                outer = np.outer(n, n)
                cos = np.divide(C @ C.T, outer, out=np.zeros(outer.shape), where=outer > 0)
                return float(np.mean(1 - cos[np.triu_indices(len(C), 1)]))
            """), "columns"),
        ("one_song_nan", _c("""
            import numpy as np
            def diversity(R):
                R = np.asarray(R, dtype=float)
                n = np.linalg.norm(R, axis=1)
                outer = np.outer(n, n)
                cos = np.divide(R @ R.T, outer, out=np.zeros(outer.shape), where=outer > 0)
                return float(np.mean(1 - cos[np.triu_indices(len(R), 1)]))
            """), "fewer than two"),
        ("zero_vector_nan", _c("""
            import numpy as np
            def diversity(R):
                R = np.asarray(R, dtype=float)
                if len(R) < 2:
                    return 0.0
                U = R / np.linalg.norm(R, axis=1, keepdims=True)
                return float(np.mean(1 - (U @ U.T)[np.triu_indices(len(R), 1)]))
            """), "zero vector"),
    ],
    "songs.precision_at_k": [
        ("self_included", _prec(_PREC_OK, rec=_rec(rank="key[song_id] = -np.inf\nreturn np.argsort(key, kind='stable')[:k]")),
         "itself"),
        ("self_included", _prec(_PREC_OK.replace("recommend(X, i, k, metric, scaling)",
                                                 "np.append(i, recommend(X, i, k, metric, scaling)[:k - 1])")),
         "counted itself"),
        ("query_in_stats", _prec("""
            Z = {"none": np.asarray(X, dtype=float), "standard": standardize(X), "minmax": minmax(X)}[scaling]
            return float(np.mean([np.mean(genres[recommend(Z, i, k, metric, "none")] == genres[i]) for i in range(len(X))]))
            """), "whole table once"),
        ("ignored_scaling", _prec(_PREC_OK.replace("metric, scaling)", "metric, 'none')")), "pass scaling on"),
        ("ignored_metric", _prec("""
            other = "euclidean" if metric == "cosine" else "cosine"
            return float(np.mean([np.mean(genres[recommend(X, i, k, other, scaling)] == genres[i]) for i in range(len(X))]))
            """), "pass metric on"),
        ("recall", _prec("""
            return float(np.mean([np.sum(genres[recommend(X, i, k, metric, scaling)] == genres[i])
                                  / (np.sum(genres == genres[i]) - 1) for i in range(len(X))]))
            """), "recall@k"),
        ("hits_not_fraction", _prec("""
            return float(np.mean([np.sum(genres[recommend(X, i, k, metric, scaling)] == genres[i]) for i in range(len(X))]))
            """), "divided by k"),
        ("per_genre_average", _prec("""
            p = np.array([np.mean(genres[recommend(X, i, k, metric, scaling)] == genres[i]) for i in range(len(X))])
            return float(np.mean([p[genres == g].mean() for g in np.unique(genres)]))
            """), "per genre"),
        ("per_song", _prec("""
            return np.array([np.mean(genres[recommend(X, i, k, metric, scaling)] == genres[i]) for i in range(len(X))])
            """), "one number"),
    ],
    "songs.ship": [
        ("unscaled", RECOMMEND + "def ship(X, song_id, k):\n    return recommend(X, song_id, k, 'euclidean', 'none')\n",
         "raw features"),
        ("unscaled", RECOMMEND + "def ship(X, song_id, k):\n    return recommend(X, song_id, k, 'cosine', 'none')\n",
         "tempo"),
        ("below_bar", RECOMMEND + _c("""
            def ship(X, song_id, k):
                others = [j for j in range(len(X)) if j != song_id]
                return np.array(others[:k])
            """), "the bar is"),
        ("includes_itself", RECOMMEND + _c("""
            def ship(X, song_id, k):
                return np.append(song_id, recommend(X, song_id, k - 1, "cosine", "standard"))
            """), "to itself"),
        ("wrong_length", RECOMMEND + "def ship(X, song_id, k):\n    return recommend(X, song_id, 3, 'cosine', 'standard')\n",
         "exactly k"),
        ("scores_not_indices", RECOMMEND + "def ship(X, song_id, k):\n    return np.linspace(0.1, 0.9, k)\n",
         "indices"),
        ("one_based", RECOMMEND + _c("""
            def ship(X, song_id, k):
                r = recommend(X, song_id, k, "cosine", "standard") + 1
                return r if r.max() == len(X) else np.append(r[:-1], len(X))
            """), "one too large"),
        ("duplicates", RECOMMEND + _c("""
            def ship(X, song_id, k):
                r = recommend(X, song_id, k, "cosine", "standard")
                return np.append(r[:-1], r[0])
            """), "repeats"),
        ("out_of_range", RECOMMEND + "def ship(X, song_id, k):\n    return np.arange(k) - 3\n", "outside"),
    ],
}
