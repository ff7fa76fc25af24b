"""Correct variants and catalogued mistakes for the 15-vector-search checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


# ------------------------------------------------------------------ topk_bruteforce

_TOPK = """
    import numpy as np
    def topk_bruteforce(Q, X, k, metric):
        Q = np.asarray(Q, dtype=np.float64)
        X = np.asarray(X, dtype=np.float64)
        if metric == "l2":
            D = np.sqrt(((Q[:, None, :] - X[None, :, :]) ** 2).sum(-1))
            return np.argsort(D, axis=1, kind="stable")[:, :k]
        S = Q @ X.T
        if metric == "cosine":
            nq = np.linalg.norm(Q, axis=1)
            nx = np.linalg.norm(X, axis=1)
            den = np.outer(nq, nx)
            S = np.divide(S, den, out=np.zeros_like(S), where=den > 0)
        return np.argsort(-S, axis=1, kind="stable")[:, :k]
    """


def _topk(old: str, new: str) -> str:
    assert old in _TOPK, old
    return _c(_TOPK.replace(old, new))


_KMEANS = """
    import numpy as np
    def kmeans(X, n, iters, seed):
        X = np.asarray(X, dtype=np.float64)
        rng = np.random.default_rng(seed)
        C = X[rng.choice(len(X), size=n, replace=False)].copy()
        for _ in range(iters):
            D = ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)
            labels = np.argmin(D, axis=1)
            for j in range(n):
                if np.any(labels == j):
                    C[j] = X[labels == j].mean(axis=0)
        D = ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)
        return C, np.argmin(D, axis=1)
    """


def _kmeans(old: str, new: str) -> str:
    assert old in _KMEANS, old
    return _c(_KMEANS.replace(old, new))


_BUILD = _KMEANS + """
    def ivf_build(X, nlist, iters, seed):
        centroids, labels = kmeans(X, nlist, iters, seed)
        ids = np.argsort(labels, kind="stable")
        counts = np.bincount(labels, minlength=nlist)
        offsets = np.concatenate([[0], np.cumsum(counts)])
        return centroids, offsets, ids
    """


def _build(old: str, new: str) -> str:
    assert old in _BUILD, old
    return _c(_BUILD.replace(old, new))


_SEARCH = """
    import numpy as np
    def ivf_search(Q, X, centroids, offsets, ids, k, nprobe):
        Q = np.asarray(Q, dtype=np.float64)
        X = np.asarray(X, dtype=np.float64)
        out = np.full((len(Q), k), -1, dtype=np.int64)
        for i, q in enumerate(Q):
            dc = ((centroids - q) ** 2).sum(axis=1)
            probes = np.argsort(dc)[:nprobe]
            cand = np.concatenate([ids[offsets[c]:offsets[c + 1]] for c in probes]).astype(np.int64)
            d = ((X[cand] - q) ** 2).sum(axis=1)
            best = cand[np.argsort(d, kind="stable")[:k]]
            out[i, :len(best)] = best
        return out
    """


def _search(old: str, new: str) -> str:
    assert old in _SEARCH, old
    return _c(_SEARCH.replace(old, new))


CORRECT = {
    "search.topk_bruteforce": [
        ("reference", _c(_TOPK)),
        ("squared distances, argpartition then sort", _c("""
            import numpy as np
            def topk_bruteforce(Q, X, k, metric):
                Q = np.asarray(Q, dtype=float); X = np.asarray(X, dtype=float)
                if metric == "l2":
                    score = -((Q ** 2).sum(1)[:, None] - 2 * Q @ X.T + (X ** 2).sum(1)[None, :])
                elif metric == "dot":
                    score = Q @ X.T
                else:
                    nq = np.sqrt((Q ** 2).sum(1, keepdims=True)); nx = np.sqrt((X ** 2).sum(1, keepdims=True))
                    score = (Q / np.where(nq == 0, 1, nq)) @ (X / np.where(nx == 0, 1, nx)).T
                if k < X.shape[0]:
                    part = np.argpartition(-score, k - 1, axis=1)[:, :k]
                else:
                    part = np.tile(np.arange(X.shape[0]), (len(Q), 1))
                order = np.argsort(-np.take_along_axis(score, part, 1), axis=1)
                return np.take_along_axis(part, order, 1)
            """)),
        ("loops over queries and items", _c("""
            import math
            def topk_bruteforce(Q, X, k, metric):
                result = []
                for q in Q:
                    scored = []
                    for j, x in enumerate(X):
                        dot = sum(float(a) * float(b) for a, b in zip(q, x))
                        if metric == "l2":
                            s = -math.sqrt(sum((float(a) - float(b)) ** 2 for a, b in zip(q, x)))
                        elif metric == "dot":
                            s = dot
                        else:
                            nq = math.sqrt(sum(float(a) ** 2 for a in q)); nx = math.sqrt(sum(float(b) ** 2 for b in x))
                            s = dot / (nq * nx) if nq > 0 and nx > 0 else 0.0
                        scored.append((-s, j))
                    scored.sort()
                    result.append([j for _, j in scored[:k]])
                return result
            """)),
        ("float32 throughout, ties to the larger index", _c("""
            import numpy as np
            def topk_bruteforce(Q, X, k, metric):
                Q = np.asarray(Q, dtype=np.float32); X = np.asarray(X, dtype=np.float32)
                if metric == "l2":
                    s = -np.linalg.norm(Q[:, None] - X[None], axis=2)
                else:
                    s = Q @ X.T
                    if metric == "cosine":
                        n = np.linalg.norm(Q, axis=1)[:, None] * np.linalg.norm(X, axis=1)[None]
                        s = np.where(n > 0, s / np.where(n > 0, n, 1), 0)
                rev = s[:, ::-1]
                order = np.argsort(-rev, axis=1, kind="stable")[:, :k]
                return X.shape[0] - 1 - order
            """)),
        ("torch", _c("""
            import torch
            def topk_bruteforce(Q, X, k, metric):
                Q = torch.as_tensor(Q, dtype=torch.float64); X = torch.as_tensor(X, dtype=torch.float64)
                if metric == "l2":
                    return torch.topk(-torch.cdist(Q, X), k, dim=1).indices.numpy()
                s = Q @ X.T
                if metric == "cosine":
                    s = s / (Q.norm(dim=1)[:, None] * X.norm(dim=1)[None]).clamp_min(1e-300)
                return torch.topk(s, k, dim=1).indices.numpy()
            """)),
    ],
    "search.recall_at_k": [
        ("sets", _c("""
            import numpy as np
            def recall_at_k(found, truth):
                per = [len(set(f.tolist()) & set(t.tolist())) / len(t) for f, t in zip(found, truth)]
                return float(np.mean(per))
            """)),
        ("isin on truth", _c("""
            import numpy as np
            def recall_at_k(found, truth):
                hits = [np.isin(t, f).sum() for f, t in zip(np.asarray(found), np.asarray(truth))]
                return np.sum(hits) / np.asarray(truth).size
            """)),
        ("loops", _c("""
            def recall_at_k(found, truth):
                total = 0.0
                for f, t in zip(found, truth):
                    f = list(f)
                    total += sum(1 for x in t if x in f) / len(t)
                return total / len(truth)
            """)),
        ("broadcast equality", _c("""
            import numpy as np
            def recall_at_k(found, truth):
                found, truth = np.asarray(found), np.asarray(truth)
                hit = (truth[:, :, None] == found[:, None, :]).any(axis=2)
                return hit.mean(axis=1).mean()
            """)),
    ],
    "search.kmeans": [
        ("reference", _c(_KMEANS)),
        ("vectorised update with bincount", _kmeans("""            for j in range(n):
                if np.any(labels == j):
                    C[j] = X[labels == j].mean(axis=0)""", """            counts = np.bincount(labels, minlength=n)
            sums = np.zeros_like(C)
            np.add.at(sums, labels, X)
            keep = counts > 0
            C[keep] = sums[keep] / counts[keep, None]""")),
        ("stops early, expanded distances", _c("""
            import numpy as np
            def kmeans(X, n, iters, seed):
                X = np.asarray(X, dtype=float)
                C = X[np.random.default_rng(seed).choice(X.shape[0], n, replace=False)]
                labels = None
                for _ in range(iters):
                    D = (X ** 2).sum(1)[:, None] - 2 * X @ C.T + (C ** 2).sum(1)[None]
                    new = D.argmin(1)
                    if labels is not None and np.array_equal(new, labels):
                        break
                    labels = new
                    C = np.array([X[labels == j].mean(0) if (labels == j).any() else C[j] for j in range(n)])
                D = (X ** 2).sum(1)[:, None] - 2 * X @ C.T + (C ** 2).sum(1)[None]
                return C, D.argmin(1)
            """)),
        ("empty cluster re-seeded at the farthest point", _kmeans("""                if np.any(labels == j):
                    C[j] = X[labels == j].mean(axis=0)""", """                if np.any(labels == j):
                    C[j] = X[labels == j].mean(axis=0)
                else:
                    far = D[np.arange(len(X)), labels].argmax()
                    C[j] = X[far]
                    labels[far] = j""")),
        ("float32 arithmetic", _kmeans("X = np.asarray(X, dtype=np.float64)", "X = np.asarray(X, dtype=np.float32)")),
        ("labels permuted", _kmeans("        return C, np.argmin(D, axis=1)",
                                    "        p = np.arange(n)[::-1]\n        return C[p], np.argsort(p)[np.argmin(D, axis=1)]")),
    ],
    "search.ivf_build": [
        ("reference", _c(_BUILD)),
        ("lists by loop", _build("""        ids = np.argsort(labels, kind="stable")
        counts = np.bincount(labels, minlength=nlist)
        offsets = np.concatenate([[0], np.cumsum(counts)])""", """        lists = [np.flatnonzero(labels == c) for c in range(nlist)]
        ids = np.concatenate(lists)
        offsets = [0]
        for lst in lists:
            offsets.append(offsets[-1] + len(lst))
        offsets = np.array(offsets)""")),
        ("ids reversed within each list", _build("""        ids = np.argsort(labels, kind="stable")""",
                                                 """        ids = np.lexsort((-np.arange(len(labels)), labels))""")),
        ("float ids and offsets", _build("        return centroids, offsets, ids",
                                         "        return centroids, offsets.astype(float), ids.astype(float)")),
    ],
    "search.ivf_search": [
        ("reference", _c(_SEARCH)),
        ("vectorised probes, list of lists", _c("""
            import numpy as np
            def ivf_search(Q, X, centroids, offsets, ids, k, nprobe):
                Q = np.asarray(Q, float); X = np.asarray(X, float); C = np.asarray(centroids, float)
                dc = (Q ** 2).sum(1)[:, None] - 2 * Q @ C.T + (C ** 2).sum(1)[None]
                probes = np.argsort(dc, axis=1)[:, :nprobe]
                result = []
                for i in range(len(Q)):
                    parts = [ids[offsets[c]:offsets[c + 1]] for c in sorted(probes[i])]
                    cand = np.concatenate(parts).astype(int)
                    d = np.sqrt(((X[cand] - Q[i]) ** 2).sum(1))
                    order = cand[np.argsort(d)][:k].tolist()
                    result.append(order + [-1] * (k - len(order)))
                return np.array(result)
            """)),
        ("float32 arithmetic", _search("""        Q = np.asarray(Q, dtype=np.float64)
        X = np.asarray(X, dtype=np.float64)""", """        Q = np.asarray(Q, dtype=np.float32)
        X = np.asarray(X, dtype=np.float32)""")),
        ("own brute force on the candidates (uses topk_bruteforce)", _c(_TOPK + """
    def ivf_search(Q, X, centroids, offsets, ids, k, nprobe):
        out = np.full((len(Q), k), -1)
        probes = topk_bruteforce(Q, centroids, nprobe, "l2")
        for i in range(len(Q)):
            cand = np.concatenate([ids[offsets[c]:offsets[c + 1]] for c in probes[i]]).astype(int)
            kk = min(k, len(cand))
            if kk:
                local = topk_bruteforce(Q[i:i + 1], X[cand], kk, "l2")[0]
                out[i, :kk] = cand[local]
        return out
    """)),
    ],
}


MISTAKES = {
    "search.topk_bruteforce": [
        ("l2_descending", _topk('return np.argsort(D, axis=1, kind="stable")[:, :k]',
                                'return np.argsort(-D, axis=1, kind="stable")[:, :k]'), "ranks ascending"),
        ("least_similar", _topk('return np.argsort(-S, axis=1, kind="stable")[:, :k]',
                                'return np.argsort(S, axis=1, kind="stable")[:, :k]'), "least similar"),
        ("worst_first", _topk('return np.argsort(-S, axis=1, kind="stable")[:, :k]',
                              'return np.argsort(-S, axis=1, kind="stable")[:, :k][:, ::-1]'), "best last"),
        ("similarity_for_l2", _topk('            D = np.sqrt(((Q[:, None, :] - X[None, :, :]) ** 2).sum(-1))',
                                    '            D = -(Q @ X.T)'), "smallest Euclidean distance"),
        ("distance_for_similarity", _topk('        S = Q @ X.T\n',
                                          '        return np.argsort(((Q[:, None] - X[None]) ** 2).sum(-1), axis=1)[:, :k]\n'),
         "ranked by Euclidean distance"),
        ("dot_for_cosine", _topk('if metric == "cosine":', 'if metric == "cosine_":'), "raw dot product"),
        ("cosine_for_dot", _topk('if metric == "cosine":', 'if metric in ("cosine", "dot"):'), "normalised"),
        ("zero_nan", _topk('S = np.divide(S, den, out=np.zeros_like(S), where=den > 0)',
                           'S = np.nan_to_num(S / den, nan=-np.inf)'), "cosine nan"),
        ("skipped_first", _topk('return np.argsort(-S, axis=1, kind="stable")[:, :k]',
                                'return np.argsort(-S, axis=1, kind="stable")[:, 1:k + 1]'), "skipped the best"),
        ("scores_not_indices", _topk('return np.argsort(-S, axis=1, kind="stable")[:, :k]',
                                     'return -np.sort(-S, axis=1)[:, :k]'), "return the indices"),
        ("one_based", _topk('return np.argsort(-S, axis=1, kind="stable")[:, :k]',
                            'return np.argsort(-S, axis=1, kind="stable")[:, :k] + 1'), "one too large"),
        ("wrong_shape", _topk('return np.argsort(-S, axis=1, kind="stable")[:, :k]',
                              'return np.argsort(-S, axis=1, kind="stable")[:, :k].T'), "shape"),
        ("duplicates", _topk('return np.argsort(-S, axis=1, kind="stable")[:, :k]',
                             'return np.repeat(np.argsort(-S, axis=1)[:, :1], k, axis=1)'), "repeats an index"),
        ("not_sorted", _topk('return np.argsort(-S, axis=1, kind="stable")[:, :k]',
                             'return np.sort(np.argsort(-S, axis=1, kind="stable")[:, :k], axis=1)'), "right order"),
        ("library_used", _c("""
            import numpy as np
            from sklearn.neighbors import NearestNeighbors as Finder
            def topk_bruteforce(Q, X, k, metric):
                nn = Finder(n_neighbors=k, metric={"l2": "euclidean"}.get(metric, "cosine")).fit(X)
                return nn.kneighbors(Q, return_distance=False)
            """), "from scratch"),
        ("library_used", _c("""
            import numpy as np
            import faiss as vector_tools
            def _index(d):
                return vector_tools.IndexFlatL2(d)
            def topk_bruteforce(Q, X, k, metric):
                index = _index(X.shape[1])
                index.add(np.asarray(X, dtype="float32"))
                return index.search(np.asarray(Q, dtype="float32"), k)[1]
            """), "faiss"),
    ],
    "search.recall_at_k": [
        ("divided_by_found", _c("""
            import numpy as np
            def recall_at_k(found, truth):
                return float(np.mean([len(set(f) & set(t)) / len(f) for f, t in zip(found.tolist(), truth.tolist())]))
            """), "number of true neighbours"),
        ("not_divided", _c("""
            import numpy as np
            def recall_at_k(found, truth):
                return float(np.mean([len(set(f) & set(t)) for f, t in zip(found.tolist(), truth.tolist())]))
            """), "fraction between 0 and 1"),
        ("sum_not_mean", _c("""
            def recall_at_k(found, truth):
                return sum(len(set(f) & set(t)) / len(t) for f, t in zip(found.tolist(), truth.tolist()))
            """), "instead of averaging"),
        ("percent", _c("""
            import numpy as np
            def recall_at_k(found, truth):
                return 100 * np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found.tolist(), truth.tolist())])
            """), "percentage"),
        ("positional", _c("""
            import numpy as np
            def recall_at_k(found, truth):
                k = truth.shape[1]
                return float(np.mean(found[:, :k] == truth))
            """), "position by position"),
        ("flattened", _c("""
            import numpy as np
            def recall_at_k(found, truth):
                return float(np.isin(truth, found).mean())
            """), "across all queries"),
        ("counted_repeats", _c("""
            import numpy as np
            def recall_at_k(found, truth):
                return float(np.mean([np.isin(f, t).sum() / len(t) for f, t in zip(found, truth)]))
            """), "counted twice"),
        ("jaccard", _c("""
            import numpy as np
            def recall_at_k(found, truth):
                out = []
                for f, t in zip(found.tolist(), truth.tolist()):
                    f = set(f) - {-1}
                    out.append(len(f & set(t)) / len(f | set(t)))
                return float(np.mean(out))
            """), "Jaccard"),
    ],
    "search.kmeans": [
        ("empty_nan", _kmeans("""                if np.any(labels == j):
                    C[j] = X[labels == j].mean(axis=0)""", """                with np.errstate(all="ignore"):
                    C[j] = np.nan_to_num(X[labels == j]).sum(axis=0) / (labels == j).sum()"""),
         "nan centroid"),
        ("empty_crash", _kmeans("""                if np.any(labels == j):
                    C[j] = X[labels == j].mean(axis=0)""", """                C[j] = X[labels == j].mean(axis=0) if np.any(labels == j) else X[labels == j][0]"""),
         "raised an error"),
        ("dropped_cluster", _kmeans("""        D = ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)
        return C, np.argmin(D, axis=1)""", """        C = C[np.unique(labels)]
        D = ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)
        return C, np.argmin(D, axis=1)"""), "return all n centroids"),
        ("dropped_points", _kmeans("X = np.asarray(X, dtype=np.float64)",
                                   "X = np.asarray(X, dtype=np.float64)\n"
                                   "        X = X[np.sort(np.unique(X, axis=0, return_index=True)[1])]"), "every row of X"),
        ("stale_labels", _kmeans("""        D = ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)
        return C, np.argmin(D, axis=1)""", """        return C, labels"""), "before the last centroid update"),
        ("farthest", _kmeans("        return C, np.argmin(D, axis=1)", "        return C, np.argmax(D, axis=1)"),
         "farthest centroid"),
        ("not_updated", _kmeans("C[j] = X[labels == j].mean(axis=0)", "pass"), "never moved"),
        ("median_update", _kmeans("C[j] = X[labels == j].mean(axis=0)", "C[j] = np.median(X[labels == j], axis=0)"),
         "median"),
        ("sum_update", _kmeans("C[j] = X[labels == j].mean(axis=0)", "C[j] = X[labels == j].sum(axis=0)"),
         "sum of its points"),
        ("not_fixed_point", _kmeans("for _ in range(iters):", "for _ in range(1):"), "run all iters"),
        ("worse_objective", _kmeans("C = X[rng.choice(len(X), size=n, replace=False)].copy()", "C = X[:n].copy()"),
         "prescribed start"),
        ("one_based", _kmeans("        return C, np.argmin(D, axis=1)", "        return C, np.argmin(D, axis=1) + 1"),
         "from 1 to n"),
        ("library_used", _c("""
            from sklearn.cluster import KMeans
            def kmeans(X, n, iters, seed):
                km = KMeans(n_clusters=n, max_iter=iters, random_state=seed, n_init=1).fit(X)
                return km.cluster_centers_, km.labels_
            """), "from scratch"),
    ],
    "search.ivf_build": [
        ("no_leading_zero", _build("offsets = np.concatenate([[0], np.cumsum(counts)])", "offsets = np.cumsum(counts)"),
         "start with 0"),
        ("counts_not_offsets", _build("offsets = np.concatenate([[0], np.cumsum(counts)])",
                                      "offsets = np.concatenate([[0], counts])"), "cumulative sum"),
        ("dropped_empty_list", _build("counts = np.bincount(labels, minlength=nlist)",
                                      "counts = np.unique(labels, return_counts=True)[1]"), "empty list"),
        ("labels_as_ids", _build('ids = np.argsort(labels, kind="stable")', "ids = np.sort(labels)"),
         "list numbers"),
        ("ungrouped_ids", _build('ids = np.argsort(labels, kind="stable")', "ids = np.arange(len(labels))"),
         "not grouped"),
        ("farthest_lists", _build("centroids, labels = kmeans(X, nlist, iters, seed)",
                                  "centroids, _ = kmeans(X, nlist, iters, seed)\n"
                                  "        labels = ((X[:, None] - centroids[None]) ** 2).sum(-1).argmax(1)"),
         "farthest centroid"),
        ("stale_lists", _build("""        D = ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)
        return C, np.argmin(D, axis=1)""", """        return C, labels"""), "before the last centroid update"),
        ("untrained", _build("C[j] = X[labels == j].mean(axis=0)", "pass"), "never moved"),
        ("worse_objective", _build("C = X[rng.choice(len(X), size=n, replace=False)].copy()", "C = X[:n].copy()"),
         "prescribed start"),
        ("library_used", _c("""
            import numpy as np
            import faiss
            def ivf_build(X, nlist, iters, seed):
                km = faiss.Kmeans(X.shape[1], nlist, niter=iters, seed=seed)
                km.train(np.asarray(X, dtype="float32"))
                labels = km.index.search(np.asarray(X, dtype="float32"), 1)[1][:, 0]
                ids = np.argsort(labels, kind="stable")
                offsets = np.concatenate([[0], np.cumsum(np.bincount(labels, minlength=nlist))])
                return km.centroids, offsets, ids
            """), "faiss"),
    ],
    "search.ivf_search": [
        ("nearest_list_only", _search("probes = np.argsort(dc)[:nprobe]", "probes = np.argsort(dc)[:1]"),
         "only the list of the nearest centroid"),
        ("farthest_lists", _search("probes = np.argsort(dc)[:nprobe]", "probes = np.argsort(-dc)[:nprobe]"),
         "farthest centroids"),
        ("similarity_probe", _search("probes = np.argsort(dc)[:nprobe]", "probes = np.argsort(-(centroids @ q))[:nprobe]"),
         "largest dot product"),
        ("descending", _search('best = cand[np.argsort(d, kind="stable")[:k]]', 'best = cand[np.argsort(-d)[:k]]'),
         "farthest candidates first"),
        ("dot_ranking", _search("d = ((X[cand] - q) ** 2).sum(axis=1)", "d = -(X[cand] @ q)"), "dot product"),
        ("searched_everything", _search("cand = np.concatenate([ids[offsets[c]:offsets[c + 1]] for c in probes]).astype(np.int64)",
                                        "cand = np.arange(len(X))"), "every vector"),
        ("dropped_last", _search("ids[offsets[c]:offsets[c + 1]]", "ids[offsets[c]:offsets[c + 1] - 1]"), "last id"),
        ("local_ids", _search('best = cand[np.argsort(d, kind="stable")[:k]]', 'best = np.argsort(d, kind="stable")[:k]'),
         "positions in your candidate array"),
        ("no_padding", _search("""        out = np.full((len(Q), k), -1, dtype=np.int64)""",
                               """        out = np.zeros((len(Q), k), dtype=np.int64)"""), "-1"),
        ("no_padding", _search("out[i, :len(best)] = best", "out[i] = best"), "fewer than k"),
        ("outside_probed", _search("ids[offsets[c]:offsets[c + 1]] for c in probes",
                                   "np.arange(offsets[c], offsets[c + 1]) for c in probes"),
         "not in the nprobe probed lists"),
        ("not_sorted", _search('best = cand[np.argsort(d, kind="stable")[:k]]', 'best = np.sort(cand[np.argsort(d)[:k]])'),
         "right order"),
        ("one_based", _search("out[i, :len(best)] = best", "out[i, :len(best)] = best + 1"), "one too large"),
        ("library_used", _c("""
            import numpy as np
            from faiss import IndexFlatL2
            def ivf_search(Q, X, centroids, offsets, ids, k, nprobe):
                flat = IndexFlatL2(centroids.shape[1]); flat.add(np.asarray(centroids, "float32"))
                probes = flat.search(np.asarray(Q, "float32"), nprobe)[1]
                out = np.full((len(Q), k), -1)
                for i, q in enumerate(Q):
                    cand = np.concatenate([ids[offsets[c]:offsets[c + 1]] for c in probes[i]]).astype(int)
                    best = cand[np.argsort(((X[cand] - q) ** 2).sum(1))[:k]]
                    out[i, :len(best)] = best
                return out
            """), "faiss"),
    ],
}
