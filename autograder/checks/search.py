"""Hidden checks for 15-vector-search: brute-force top-k, recall@k, k-means, and an
inverted-file (IVF) index built and searched from scratch.

Conventions the prompts state and these checks enforce:

* metrics: "cosine" and "dot" rank the largest similarity first, "l2" the smallest
  Euclidean distance first; the cosine with a zero vector is 0.0;
* rankings are judged by the scores of the items returned: items whose scores agree to
  within 1e-9 (relative to the largest score of the row) are ties and may come in any order;
* ``recall_at_k(found, truth)`` = mean over queries of |found_i ∩ truth_i| / len(truth_i),
  each true neighbour counted once, -1 (an empty slot) never a hit;
* ``kmeans`` is judged by properties, never by one labelling: every label is a nearest
  returned centroid, every non-empty cluster's centroid is the mean of its points, and the
  objective is no larger than the reference's from the prescribed start (within 1e-6);
* ``ivf_build`` returns ``(centroids, offsets, ids)``: list c is ``ids[offsets[c]:offsets[c+1]]``;
* ``ivf_search`` returns, per query, the k nearest (L2) vectors among the lists of the
  nprobe centroids nearest the query, padded with -1; at nprobe = nlist it equals brute force.
"""

from __future__ import annotations

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, each_case, register
from autograder.checks._kit.compare import describe_failure, fmt, judge_all, raised

TIE = 1e-9
RANK_TOL = Tolerance(TIE, "ranking", floor=TIE)
RECALL_TOL = Tolerance(1e-9, "scale", floor=1e-12)
KMEANS_TOL = Tolerance(1e-6, "scale", floor=1e-8, float32=1e-4)

NO_SEARCH_LIBRARY = scratch.Rule(
    "a nearest-neighbour or clustering library (faiss, scikit-learn's NearestNeighbors or KMeans, scipy's kmeans)",
    modules=("faiss", "sklearn.neighbors", "sklearn.cluster", "scipy.cluster", "annoy", "hnswlib", "pynndescent"))
WATCH_SEARCH_LIBRARY = scratch.Watch(imports=("faiss", "sklearn.neighbors", "sklearn.cluster", "scipy.cluster"))


# ------------------------------------------------------------------------ helpers

def _f(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _goodness(Q, X, metric: str) -> np.ndarray:
    """(m, n): larger is better. Cosine with a zero vector is 0."""
    Q, X = _f(Q), _f(X)
    if metric == "l2":
        return -np.sqrt(np.maximum(((Q[:, None, :] - X[None, :, :]) ** 2).sum(-1), 0.0))
    S = Q @ X.T
    if metric == "cosine":
        nq, nx = np.sqrt((Q ** 2).sum(1)), np.sqrt((X ** 2).sum(1))
        den = np.outer(nq, nx)
        S = np.divide(S, den, out=np.zeros_like(S), where=den > 0)
    return S


def _top(G: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-G, axis=1, kind="stable")[:, :k]


def _blobs(rng, n: int, d: int, centres: int, spread: float = 6.0, lengths: bool = False) -> np.ndarray:
    C = spread * rng.normal(size=(centres, d))
    X = C[rng.integers(centres, size=n)] + rng.normal(size=(n, d))
    if lengths:
        X *= 10 ** rng.uniform(-0.7, 0.7, size=(n, 1))
    return X


def _gapped(G: np.ndarray, k: int, gap: float) -> bool:
    """No two of the best k + 1 scores of a row closer than ``gap`` (relative), unless equal."""
    for row in G:
        top = np.sort(row)[::-1][: k + 1]
        diffs = np.abs(np.diff(top))
        scale = max(1e-12, float(np.max(np.abs(row))))
        if np.any((diffs > 0) & (diffs < gap * scale)):
            return False
    return True


def _as_int_rows(case: Case, outcome, what: str, shape: tuple[int, int]):
    """The returned (m, k) array of integer indices, or a failing Verdict."""
    fail = lambda msg, name: Verdict(False, describe_failure(case, msg), name)  # noqa: E731
    if outcome.error:
        return raised(case, outcome, what)
    value = outcome.value
    if isinstance(value, (tuple, dict)):
        return fail(f"{what} should be one array of indices, but your function returned a {type(value).__name__}",
                    "wrong_type")
    r = np.asarray(value)
    if r.dtype.kind == "f":
        if not np.all(np.isfinite(r)) or np.any(r != np.round(r)):
            return fail(f"{what} should hold integer indices, but it holds the numbers {fmt(r)}; you returned scores "
                        "or distances: return the indices of the items (np.argsort gives them)", "scores_not_indices")
    elif r.dtype.kind not in "iu":
        return fail(f"{what} should hold integer indices, got dtype {r.dtype}", "wrong_type")
    if r.shape != shape:
        hint = " (it looks transposed: one row per query, please)" if r.shape == shape[::-1] else ""
        return fail(f"{what} has shape {r.shape}, expected {shape}: one row of k indices per query{hint}",
                    "wrong_shape")
    return r.astype(np.int64)


def _row_scores(G_row: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Scores of the ids in one row; -1 (an empty slot) scores -inf."""
    out = np.full(len(ids), -np.inf)
    ok = ids >= 0
    out[ok] = G_row[ids[ok]]
    return out


def _same_scores(a: np.ndarray, b: np.ndarray, scale: float) -> bool:
    if a.shape != b.shape:
        return False
    inf = np.isinf(a) | np.isinf(b)
    if np.any(inf & (a != b)):
        return False
    return bool(np.all(np.abs(a[~inf] - b[~inf]) <= TIE * scale))


class _Wrong:
    """One wrong row: its generic verdict, and the catalogued wrong rankings it matches."""

    def __init__(self, verdict: Verdict, named: dict[str, Verdict]):
        self.verdict, self.named = verdict, named


def _one_based(r: np.ndarray, G: np.ndarray, expected_ids: np.ndarray) -> bool:
    """Every row, shifted down by one, is right, and not every row is right as it is."""
    n = G.shape[1]
    shifted = r - 1
    if not np.all((shifted >= 0) & (shifted < n)):
        return False
    rows = range(len(r))
    scale = [max(1.0, float(np.max(np.abs(G[i])))) for i in rows]
    exp = [_row_scores(G[i], expected_ids[i]) for i in rows]
    if not all(_same_scores(_row_scores(G[i], shifted[i]), exp[i], scale[i]) for i in rows):
        return False
    return not (np.all(r < n) and all(_same_scores(_row_scores(G[i], r[i]), exp[i], scale[i]) for i in rows))


def _judge_rows(case: Case, r: np.ndarray, G: np.ndarray, expected_ids: np.ndarray, what: str,
                alternatives: list[tuple[str, str, np.ndarray]], allowed=None, word: str = "score"):
    """Judge (m, k) indices row by row by their scores in G. Returns a Verdict for a failure
    that needs no naming (out of range, repeats), else the list of wrong rows (``_Wrong``)."""
    fail = lambda msg, name: Verdict(False, describe_failure(case, msg), name)  # noqa: E731
    n = G.shape[1]
    wrong = []
    one_based = _one_based(r, G, expected_ids)
    for i in range(len(r)):
        row, want = r[i], expected_ids[i]
        scale = max(1.0, float(np.max(np.abs(G[i]))))
        exp_s = _row_scores(G[i], want)
        if one_based:
            return fail(f"your indices are one too large: Python counts from 0 (query {i}: {fmt(row)})", "one_based")
        if np.any((row < -1) | (row >= n)):
            return fail(f"{what} holds indices outside 0..{n - 1} in row {i}: {fmt(row)}", "out_of_range")
        real = row[row >= 0]
        unpadded = bool(np.any(want == -1)) and not np.any(row == -1)
        if len(set(real.tolist())) != len(real) and not unpadded:
            return fail(f"{what} repeats an index in row {i}: {fmt(row)}; each item may appear once", "duplicates")
        got = _row_scores(G[i], row)
        if _same_scores(got, exp_s, scale):
            continue
        detail = (f"\n  query {i}: you returned {fmt(row)} with {word}s {fmt(got)}; expected the {word}s "
                  f"{fmt(exp_s)} (ties within 1e-9 may come in any order)")
        named = {}
        for name, message, alt in alternatives:
            alt_s = _row_scores(G[i], alt[i])
            if name not in named and not _same_scores(alt_s, exp_s, scale) and _same_scores(got, alt_s, scale):
                named[name] = fail(message + detail, name)
        outside = [int(j) for j in real if allowed is not None and j not in allowed[i]]
        if unpadded:
            verdict = fail(f"the probed lists hold fewer than k={len(want)} vectors, so the row must end in -1 "
                           "(an empty slot)" + detail, "no_padding")
        elif outside:
            verdict = fail(f"you returned vectors {outside} that are not in the nprobe probed lists; search only "
                           "the lists of the nprobe nearest centroids" + detail, "outside_probed")
        elif _same_scores(np.sort(got), np.sort(exp_s), scale):
            verdict = fail("you found the right items but not in the right order: put the best first" + detail,
                           "not_sorted")
        else:
            verdict = fail(f"{what} is wrong" + detail, "wrong_value")
        if verdict.mistake != "wrong_value":
            named.setdefault(verdict.mistake, verdict)
        wrong.append(_Wrong(verdict, named))
    return wrong


def _verdict_for(wrong: list[_Wrong], order: list[str]) -> Verdict:
    """The catalogued mistake that explains every wrong row it can (first declared wins),
    else the first wrong row's own verdict."""
    sets = [set(w.named) for w in wrong if w.named]
    if sets:
        common = set.intersection(*sets) or sets[0]
        name = next(n for n in order if n in common)
        return next(w.named[name] for w in wrong if name in w.named)
    return wrong[0].verdict


# ----------------------------------------------------------------- topk_bruteforce

TOPK_MISTAKES = (
    Mistake("l2_descending", "for metric 'l2' you put the largest distances first; a distance ranks ascending: "
                             "the nearest item (smallest distance) comes first"),
    Mistake("least_similar", "you returned the k least similar items; for 'cosine' and 'dot' the largest similarity "
                             "comes first"),
    Mistake("worst_first", "you found the right k items but put the best last; sort so the best comes first"),
    Mistake("similarity_for_l2", "for metric 'l2' you ranked by a similarity (the dot product); 'l2' asks for the "
                                 "smallest Euclidean distance ||q - x||"),
    Mistake("distance_for_similarity", "for a similarity metric you ranked by Euclidean distance; 'cosine' and 'dot' "
                                       "rank by the largest similarity"),
    Mistake("dot_for_cosine", "for metric 'cosine' you ranked by the raw dot product; divide by both norms, or long "
                              "vectors win"),
    Mistake("cosine_for_dot", "for metric 'dot' you normalised the vectors (a cosine); 'dot' keeps their lengths"),
    Mistake("zero_nan", "a zero vector got cosine nan (0 / 0) and fell out of the ranking; its cosine is 0.0"),
    Mistake("skipped_first", "you skipped the best item of each query; only leave an item out when asked"),
    Mistake("scores_not_indices", "you returned scores or distances; return the indices of the items"),
    Mistake("one_based", "your indices are one too large: Python counts from 0"),
    Mistake("not_sorted", "you found the right items but not in the right order; put the best first"),
    Mistake("duplicates", "you returned the same index twice for one query"),
)


def _topk_alternatives(Q, X, k, metric):
    G = _goodness(Q, X, metric)
    n = G.shape[1]
    full = _top(G, n)
    alts = [("worst_first", "you found the right k items but put the best last; sort so the best comes first",
             full[:, :k][:, ::-1]),
            ("skipped_first", "you skipped the best item of each query (as if the query were one of the items); "
                              "only leave an item out when asked", full[:, 1:k + 1])]
    if metric == "l2":
        alts += [("l2_descending", "for metric 'l2' you put the largest distances first; a distance ranks ascending: "
                                   "the nearest item (smallest distance) comes first", _top(-G, k)),
                 ("similarity_for_l2", "for metric 'l2' you ranked by a similarity (the dot product); 'l2' asks for "
                                       "the smallest Euclidean distance ||q - x||", _top(_goodness(Q, X, "dot"), k))]
    else:
        alts += [("least_similar", "you returned the k least similar items (an ascending sort); for 'cosine' and "
                                   "'dot' the largest similarity comes first", _top(-G, k)),
                 ("distance_for_similarity", "for a similarity metric you ranked by Euclidean distance; 'cosine' and "
                                             "'dot' rank by the largest similarity", _top(_goodness(Q, X, "l2"), k))]
    if metric == "cosine":
        alts.append(("dot_for_cosine", "for metric 'cosine' you ranked by the raw dot product; divide by both norms, "
                                       "or long vectors win", _top(_goodness(Q, X, "dot"), k)))
        zero = np.all(_f(X) == 0, axis=1)
        if zero.any():
            alts.append(("zero_nan", "a zero vector got cosine nan (0 / 0) and fell out of the ranking; its cosine "
                                     "is 0.0 by this assignment's convention", _top(np.where(zero, -np.inf, G), k)))
    if metric == "dot":
        alts.append(("cosine_for_dot", "for metric 'dot' you normalised the vectors (a cosine); 'dot' keeps their "
                                       "lengths", _top(_goodness(Q, X, "cosine"), k)))
    return G, alts


def _distinct(G, want, alts) -> bool:
    """Every wrong ranking differs from the right one, and from each other, in every row."""
    for i in range(len(G)):
        rows = [_row_scores(G[i], want[i])] + [_row_scores(G[i], a[i]) for _, _, a in alts]
        scale = max(1.0, float(np.max(np.abs(G[i]))))
        for a in range(len(rows)):
            for b in range(a):
                if _same_scores(rows[a], rows[b], scale):
                    return False
    return True


def _topk_case(rng, label, metric, m, n, d, k, distinct=True, dtype=None, scale=1.0) -> Case:
    for _ in range(300):
        X = _blobs(rng, n, d, 4, spread=2.0, lengths=True) * scale
        Q = _blobs(rng, m, d, 2, spread=2.0, lengths=True) * scale
        if dtype is not None:
            X, Q = X.astype(dtype), Q.astype(dtype)
        G, alts = _topk_alternatives(Q, X, k, metric)
        if not _gapped(G, min(k, n - 1), 1e-4 if dtype == np.float32 else 1e-6):
            continue
        if not distinct or _distinct(G, _top(G, k), alts):
            break
    return Case(label, {"Q": Q, "X": X, "k": k, "metric": metric})


def _topk_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(4, 7))
    cases = [_topk_case(rng, f"clustered items of different lengths, metric {m!r}, k=3", m, 2, 14, d, 3)
             for m in ("l2", "cosine", "dot")]
    # a zero vector among items mostly opposite the queries: its cosine 0.0 belongs in the top 3
    b = rng.normal(size=d)
    q = b + 0.2 * rng.normal(size=(2, d))
    X = -rng.uniform(0.5, 2.0, size=(10, 1)) * b + 0.3 * rng.normal(size=(10, d))
    X[:2] = rng.uniform(0.5, 2.0, size=(2, 1)) * b + 0.2 * rng.normal(size=(2, d))
    X[5] = 0.0
    # exact ties: the same item twice (l2) and one direction at three lengths (cosine)
    T = _blobs(rng, 12, d, 3)
    T[7] = T[2]
    T[9] = T[4]
    C = _blobs(rng, 12, d, 3)
    base = rng.normal(size=d)
    C[[3, 6, 10]] = np.outer([0.5, 1.0, 3.0], base)
    ints = rng.integers(-4, 5, size=(15, d))
    cases += [
        Case("a zero vector among the items, metric 'cosine', k=3", {"Q": q, "X": X, "k": 3, "metric": "cosine"}),
        Case("two copies of two items (exact ties), metric 'l2', k=4",
             {"Q": np.vstack([T[2] + 0.01, T[4] - 0.01]), "X": T, "k": 4, "metric": "l2"}),
        Case("three items pointing the same way (tied cosines), metric 'cosine', k=2",
             {"Q": np.vstack([base + 0.05 * rng.normal(size=d)]), "X": C, "k": 2, "metric": "cosine"}),
        _topk_case(rng, "k equal to the number of items, metric 'l2'", "l2", 2, 7, d, 7, distinct=False),
        _topk_case(rng, "k=1, metric 'dot'", "dot", 4, 9, d, 1, distinct=False),
        _topk_case(rng, "float32 inputs, metric 'l2'", "l2", 3, 20, d, 5, distinct=False, dtype=np.float32),
        _topk_case(rng, "values about 1e3, metric 'cosine'", "cosine", 2, 12, d, 4, distinct=False, scale=1e3),
        Case("integer inputs, metric 'dot'", {"Q": rng.integers(-3, 4, size=(2, d)), "X": ints, "k": 4,
                                               "metric": "dot"}),
    ]
    return cases


def _judge_topk(cases: list[Case], outcomes) -> Verdict:
    what = "topk_bruteforce(Q, X, k, metric)"
    wrong = []
    for case, outcome in zip(cases, outcomes):
        Q, X, k, metric = case.args.values()
        r = _as_int_rows(case, outcome, what, (len(Q), k))
        if isinstance(r, Verdict):
            if wrong:
                break
            return r
        G, alts = _topk_alternatives(Q, X, k, metric)
        word = {"l2": "negated distance", "cosine": "cosine", "dot": "dot product"}[metric]
        found = _judge_rows(case, r, G, _top(G, k), what, alts, word=word)
        if isinstance(found, Verdict):
            if wrong:
                break
            return found
        wrong += found
    if wrong:
        return _verdict_for(wrong, [m.name for m in TOPK_MISTAKES])
    return Verdict.ok(f"all {len(cases)} inputs correct")


check_topk_bruteforce = register(Check(
    id="search.topk_bruteforce",
    target="topk_bruteforce",
    summary="topk_bruteforce returns each query's k best items (cosine, dot, l2), best first; ties in any order",
    make_cases=_topk_cases,
    judge=_judge_topk,
    tolerance=RANK_TOL,
    kind="ranking",
    mistakes=TOPK_MISTAKES,
    forbidden=NO_SEARCH_LIBRARY,
    watch=WATCH_SEARCH_LIBRARY,
)).runner()


# ------------------------------------------------------------------------ recall@k

def _sets(found, truth):
    return [(set(int(x) for x in f if x >= 0), [int(x) for x in t]) for f, t in zip(np.asarray(found), np.asarray(truth))]


def _recall(found, truth):
    return float(np.mean([sum(t in f for t in set(tr)) / len(tr) for f, tr in _sets(found, truth)]))


def _hits(found, truth):
    return np.array([sum(t in f for t in set(tr)) for f, tr in _sets(found, truth)], dtype=float)


RECALL_MISTAKES = [
    Mistake("divided_by_found", "you divided by the number of results returned (found's width); recall divides by "
                                "the number of true neighbours, len(truth[i])",
            lambda found, truth: float(np.mean(_hits(found, truth) / np.shape(found)[1]))),
    Mistake("not_divided", "you averaged the number of hits per query without dividing by len(truth[i]); recall is "
                           "a fraction between 0 and 1",
            lambda found, truth: float(np.mean(_hits(found, truth)))),
    Mistake("sum_not_mean", "you added the per-query recalls instead of averaging them over the queries",
            lambda found, truth: float(np.sum(_hits(found, truth) / np.shape(truth)[1]))),
    Mistake("percent", "you returned a percentage; return a fraction between 0 and 1",
            lambda found, truth: 100 * _recall(found, truth)),
    Mistake("positional", "you compared found and truth position by position; a true neighbour counts wherever it "
                          "appears in the query's row",
            lambda found, truth: float(np.mean(np.asarray(found)[:, :np.shape(truth)[1]] == np.asarray(truth)))
            if np.shape(found)[1] >= np.shape(truth)[1] else np.nan),
    Mistake("flattened", "you matched ids across all queries at once; compare each query's row with that query's "
                         "true neighbours only",
            lambda found, truth: float(np.mean(np.isin(np.asarray(truth), np.asarray(found))))),
    Mistake("counted_repeats", "an id that appears twice in a row of found counted twice; count each true neighbour "
                               "once (a set)",
            lambda found, truth: float(np.mean([np.isin(f, t).sum() / len(t)
                                                for f, t in zip(np.asarray(found), np.asarray(truth))]))),
    Mistake("jaccard", "you divided by the size of the union of found and truth (a Jaccard index); recall divides "
                       "by len(truth[i])",
            lambda found, truth: float(np.mean([len(f & set(t)) / len(f | set(t)) for f, t in _sets(found, truth)]))),
]


def _recall_cases(rng: np.random.Generator) -> list[Case]:
    n = 40
    m, kt, kf = 4, 5, 8
    truth = np.stack([rng.choice(n, size=kt, replace=False) for _ in range(m)])
    found = np.stack([rng.choice(n, size=kf, replace=False) for _ in range(m)])
    for i in range(m):  # i + 1 true neighbours found, at shuffled places
        hits = truth[i, rng.permutation(kt)[: i + 1]]
        others = rng.choice(np.setdiff1d(np.arange(n), truth[i]), size=kf - len(hits), replace=False)
        found[i] = rng.permutation(np.concatenate([hits, others]))
    # query 0: one true neighbour, returned twice (once at each end)
    non = rng.choice(np.setdiff1d(np.arange(n), truth[0]), size=kf - 2, replace=False)
    found[0] = np.concatenate([[truth[0, 2]], non, [truth[0, 2]]])
    # the same width; row 1 holds query 0's truth (flattened matching would count it)
    same = np.stack([rng.choice(n, size=kt, replace=False) for _ in range(3)])
    t2 = np.stack([rng.choice(n, size=kt, replace=False) for _ in range(3)])
    same[0, :2] = t2[0, :2]
    same[1] = t2[0]
    same[2, 0] = t2[2, 3]
    padded = truth.copy()
    padded[:, 3:] = -1
    narrow = truth[:, :3].copy()
    return [
        Case("found wider than truth (k=8 returned, 5 true neighbours), one repeated id", {"found": found,
                                                                                          "truth": truth}),
        Case("the same width, ids in other orders", {"found": same, "truth": t2}),
        Case("found padded with -1 (empty slots)", {"found": padded, "truth": truth}),
        Case("found narrower than truth", {"found": narrow, "truth": truth}),
        Case("one query, every neighbour found in reverse order", {"found": truth[:1, ::-1].copy(),
                                                                  "truth": truth[:1].copy()}),
        Case("nothing found", {"found": np.full((2, 3), -1), "truth": truth[:2, :3].copy()}),
    ]


check_recall_at_k = register(Check(
    id="search.recall_at_k",
    target="recall_at_k",
    summary="recall_at_k(found, truth) is the mean fraction of each query's true neighbours found "
            "(tolerance 1e-9 relative to the largest expected entry)",
    make_cases=_recall_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _recall, RECALL_TOL.value, RECALL_MISTAKES,
                                            what="recall_at_k(found, truth)"),
    tolerance=RECALL_TOL,
    kind="value",
    mistakes=RECALL_MISTAKES,
)).runner()


# -------------------------------------------------------------------------- k-means

def _d2(X, C) -> np.ndarray:
    X, C = _f(X), _f(C)
    return ((X[:, None, :] - C[None, :, :]) ** 2).sum(-1)


def _kmeans_ref(X, n, iters, seed):
    """The prescribed algorithm: start at rows rng.choice(N, n, replace=False), then iters rounds
    of (assign to the nearest centroid, move each non-empty cluster to its mean)."""
    X = _f(X)
    C = X[np.random.default_rng(seed).choice(len(X), size=n, replace=False)].copy()
    for _ in range(iters):
        labels = np.argmin(_d2(X, C), axis=1)
        for j in range(n):
            if np.any(labels == j):
                C[j] = X[labels == j].mean(axis=0)
    return C, np.argmin(_d2(X, C), axis=1)


def _objective(X, C, labels) -> float:
    return float(((_f(X) - _f(C)[labels]) ** 2).sum())


def _converges(X, n, iters, seed) -> bool:
    C, labels = _kmeans_ref(X, n, iters // 2, seed)
    C2, labels2 = _kmeans_ref(X, n, iters, seed)
    return np.array_equal(labels, labels2)


def _dup_seed(X, n, rng) -> int:
    """A seed whose prescribed start picks two identical rows: one cluster starts empty."""
    for _ in range(1000):
        seed = int(rng.integers(1000))
        rows = X[np.random.default_rng(seed).choice(len(X), size=n, replace=False)]
        if len(np.unique(rows, axis=0)) < n:
            return seed
    return 0


def _kmeans_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(2, 5))
    out = []
    for label, n_points, centres, n, spread, iters in (
            ("four well-separated blobs, n=4", 60, 4, 4, 8.0, 30),
            ("overlapping blobs, n=3: several rounds are needed", 80, 5, 3, 1.5, 100)):
        for _ in range(100):
            X = _blobs(rng, n_points, d, centres, spread)
            seed = int(rng.integers(1000))
            C, lab = _kmeans_ref(X, n, iters, seed)
            one, _ = _kmeans_ref(X, n, 1, seed)
            if _converges(X, n, iters, seed) and len(np.unique(lab)) == n and \
                    (spread > 2 or not np.allclose(one, C, atol=1e-3)):
                break
        out.append(Case(label, {"X": X, "n": n, "iters": iters, "seed": seed}))
    # two rounds only: not converged yet, so labels must come from a last assignment step
    for _ in range(100):
        X = _blobs(rng, 60, d, 5, 1.5)
        seed = int(rng.integers(1000))
        C2, lab2 = _kmeans_ref(X, 4, 2, seed)
        C1, lab1 = _kmeans_ref(X, 4, 1, seed)
        if not np.array_equal(lab1, lab2):
            break
    out.append(Case("two rounds on overlapping blobs (not converged yet), n=4",
                    {"X": X, "n": 4, "iters": 2, "seed": seed}))
    # sorted by cluster: the first n rows all come from one cluster
    for _ in range(100):
        centres = 10.0 * rng.normal(size=(3, d))
        X = np.concatenate([c + rng.normal(size=(15, d)) for c in centres])
        seed = int(rng.integers(1000))
        C, lab = _kmeans_ref(X, 3, 30, seed)
        bad = X[:3].copy()
        for _ in range(30):
            lb = np.argmin(_d2(X, bad), axis=1)
            for j in range(3):
                if np.any(lb == j):
                    bad[j] = X[lb == j].mean(axis=0)
        if _converges(X, 3, 30, seed) and _objective(X, bad, np.argmin(_d2(X, bad), 1)) > 1.5 * _objective(X, C, lab):
            break
    out.append(Case("rows sorted by cluster (the first rows are all from one cluster), n=3",
                    {"X": X, "n": 3, "iters": 30, "seed": seed}))
    # heavy duplicates: the prescribed start picks the same point twice
    D = np.concatenate([np.tile(rng.choice([-1.0, 1.0], size=(1, d)) * rng.integers(15, 25, size=(1, d)), (20, 1)), _blobs(rng, 16, d, 2, 5.0)])
    D = D[rng.permutation(len(D))]
    out.append(Case("many identical rows: a cluster ends up empty, n=3",
                    {"X": D, "n": 3, "iters": 20, "seed": _dup_seed(D, 3, rng)}))
    F = _blobs(rng, 50, d, 3, 8.0).astype(np.float32)
    out.append(Case("float32 data, n=3", {"X": F, "n": 3, "iters": 30, "seed": int(rng.integers(1000))}))
    return out


KMEANS_MISTAKES = (
    Mistake("empty_nan", "a cluster with no points got a nan centroid (the mean of no points); keep its previous "
                         "centroid when no point is assigned to it"),
    Mistake("empty_crash", "your code raised an error when a cluster had no points; keep that cluster's previous "
                           "centroid instead"),
    Mistake("dropped_cluster", "you dropped a cluster that became empty; return all n centroids"),
    Mistake("dropped_points", "you dropped points: every row of X needs a label, duplicates included"),
    Mistake("stale_labels", "your labels come from before the last centroid update; finish with one more assignment "
                            "step so each label names the point's nearest returned centroid"),
    Mistake("farthest", "you assigned each point to its farthest centroid; use np.argmin over the distances"),
    Mistake("not_updated", "your centroids never moved from their starting rows; after assigning, move each "
                           "centroid to the mean of its points"),
    Mistake("median_update", "you moved each centroid to the median of its points; k-means uses the mean"),
    Mistake("sum_update", "you moved each centroid to the sum of its points; divide by the number of points (the "
                          "mean)"),
    Mistake("not_fixed_point", "your centroids are not the means of the points labelled with them: run all iters "
                               "rounds of assign-then-update"),
    Mistake("worse_objective", "your clustering is consistent but has a larger objective (sum of squared distances) "
                               "than k-means from the prescribed start; start from "
                               "X[np.random.default_rng(seed).choice(len(X), n, replace=False)]"),
    Mistake("one_based", "your labels run from 1 to n; Python counts clusters from 0"),
)


def _judge_kmeans_case(case: Case, outcome) -> Verdict | None:
    X, n, iters, seed = case.args.values()
    X64 = _f(X)
    N = len(X64)
    tol = KMEANS_TOL.float32 if np.asarray(X).dtype == np.float32 else KMEANS_TOL.value
    fail = lambda name, msg="": Verdict(  # noqa: E731
        False, describe_failure(case, (KMEANS.declared(name).message if name in KMEANS.mistake_names else "") + msg),
        name)
    empty_case = "empty" in case.label
    what = "kmeans(X, n, iters, seed)"
    if outcome.error:
        if empty_case and not outcome.kind and not outcome.error.startswith("NotImplementedError"):
            return fail("empty_crash", f" ({outcome.error})")
        return raised(case, outcome, what)
    value = outcome.value
    if not isinstance(value, tuple) or len(value) != 2:
        return Verdict(False, describe_failure(case, f"{what} should return a tuple (centroids, labels)"), "wrong_type")
    C, labels = (np.asarray(v) for v in value)
    if C.ndim != 2 or C.shape[1] != X64.shape[1]:
        return Verdict(False, describe_failure(case, f"centroids has shape {C.shape}, expected ({n}, {X64.shape[1]})"),
                       "wrong_shape")
    if C.shape[0] < n and empty_case:
        return fail("dropped_cluster", f" (centroids has {C.shape[0]} rows, n={n})")
    if C.shape[0] != n:
        return Verdict(False, describe_failure(case, f"centroids has shape {C.shape}, expected ({n}, {X64.shape[1]})"),
                       "wrong_shape")
    if not np.all(np.isfinite(C)):
        if empty_case:
            return fail("empty_nan", f" (centroids: {fmt(C)})")
        return Verdict(False, describe_failure(case, f"centroids holds nan or inf: {fmt(C)}"), "not_finite")
    if labels.ndim != 1 or len(labels) != N:
        if labels.ndim == 1 and len(labels) < N:
            return fail("dropped_points", f" (labels has {len(labels)} entries, X has {N} rows)")
        return Verdict(False, describe_failure(case, f"labels has shape {labels.shape}, expected ({N},)"),
                       "wrong_shape")
    if labels.dtype.kind == "f" and np.all(labels == np.round(labels)):
        labels = labels.astype(np.int64)
    if labels.dtype.kind not in "iu":
        return Verdict(False, describe_failure(case, f"labels should be integers, got dtype {labels.dtype}"),
                       "wrong_type")
    if labels.min() < 0 or labels.max() >= n:
        if labels.min() >= 1 and labels.max() <= n:
            return fail("one_based", f" (labels: {fmt(labels)})")
        return Verdict(False, describe_failure(case, f"labels must lie in 0..{n - 1}: {fmt(labels)}"), "out_of_range")
    labels = labels.astype(np.int64)
    C = _f(C)
    scale = max(1e-8, float(np.max(np.abs(X64))))
    D = _d2(X64, C)
    own = D[np.arange(N), labels]
    means = np.array([X64[labels == j].mean(0) if np.any(labels == j) else C[j] for j in range(n)])
    is_mean = np.all(np.abs(means - C) <= tol * scale)
    if np.any(own > D.min(1) * (1 + tol) + tol * scale ** 2):
        bad = int(np.argmax(own - D.min(1)))
        detail = (f" (point {bad} has label {labels[bad]} at squared distance {own[bad]:.6g}, but centroid "
                  f"{int(np.argmin(D[bad]))} is at {D[bad].min():.6g})")
        if np.array_equal(labels, np.argmax(D, 1)):
            return fail("farthest", detail)
        if is_mean:
            return fail("stale_labels", detail)
        return Verdict(False, describe_failure(case, "some points are not labelled with their nearest returned "
                                                     "centroid" + detail), "wrong_value")
    if not is_mean and "not converged" not in case.label:
        j = int(np.argmax(np.abs(means - C).max(1)))
        detail = f" (cluster {j}: centroid {fmt(C[j])}, mean of its points {fmt(means[j])})"
        members = [X64[labels == c] for c in range(n)]
        if all(np.any(np.all(np.abs(X64 - C[c]) <= tol * scale, axis=1)) for c in range(n)):
            return fail("not_updated", detail)
        if all(len(p) == 0 or np.allclose(np.median(p, 0), C[c], atol=tol * scale) for c, p in enumerate(members)):
            return fail("median_update", detail)
        if all(len(p) == 0 or np.allclose(p.sum(0), C[c], atol=tol * scale) for c, p in enumerate(members)):
            return fail("sum_update", detail)
        return fail("not_fixed_point", detail)
    if empty_case:  # keeping or re-seeding an empty cluster are both accepted: no objective bound here
        return None
    ref_C, ref_labels = _kmeans_ref(X64, n, iters, seed)
    ref = _objective(X64, ref_C, ref_labels)
    got = _objective(X64, C, labels)
    if got > ref * (1 + tol) + tol * scale ** 2:
        return fail("worse_objective", f" (your objective {got:.6g}, from the prescribed start {ref:.6g})")
    return None


_judge_kmeans = each_case(_judge_kmeans_case)


KMEANS = register(Check(
    id="search.kmeans",
    target="kmeans",
    summary="kmeans returns (centroids, labels): each label a nearest centroid, each centroid its cluster's mean, "
            "objective no larger than from the prescribed start (tolerance 1e-6 relative to the data's scale)",
    make_cases=_kmeans_cases,
    judge=_judge_kmeans,
    tolerance=KMEANS_TOL,
    kind="parts",
    mistakes=KMEANS_MISTAKES,
    forbidden=NO_SEARCH_LIBRARY,
    watch=WATCH_SEARCH_LIBRARY,
))
check_kmeans = KMEANS.runner()


# ------------------------------------------------------------------------ IVF build

def _ivf_ref(X, nlist, iters, seed):
    C, labels = _kmeans_ref(X, nlist, iters, seed)
    ids = np.argsort(labels, kind="stable")
    offsets = np.concatenate([[0], np.cumsum(np.bincount(labels, minlength=nlist))])
    return C, offsets, ids


def _ivf_build_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(2, 5))
    out = []
    for label, N, centres, nlist, spread in (("clustered vectors, nlist=4", 60, 4, 4, 6.0),
                                             ("loosely clustered vectors, nlist=6", 70, 3, 6, 2.0)):
        for _ in range(100):
            X = _blobs(rng, N, d, centres, spread)
            seed = int(rng.integers(1000))
            C, offsets, ids = _ivf_ref(X, nlist, 20, seed)
            start = X[np.random.default_rng(seed).choice(N, size=nlist, replace=False)]
            untrained = _objective(X, start, np.argmin(_d2(X, start), 1))
            if _converges(X, nlist, 20, seed) and np.all(np.diff(offsets) > 0) and \
                    untrained > 1.01 * _objective(X, C, np.argmin(_d2(X, C), 1)):
                break
        out.append(Case(label, {"X": X, "nlist": nlist, "iters": 20, "seed": seed}))
    for _ in range(100):
        X = _blobs(rng, 60, d, 5, 1.5)
        seed = int(rng.integers(1000))
        if not np.array_equal(_kmeans_ref(X, 4, 1, seed)[1], _kmeans_ref(X, 4, 2, seed)[1]):
            break
    out.append(Case("two rounds on overlapping blobs (not converged yet), nlist=4",
                    {"X": X, "nlist": 4, "iters": 2, "seed": seed}))
    sorted_case = next(c for c in _kmeans_cases(rng) if "sorted" in c.label)
    X, n, iters, seed = sorted_case.args.values()
    out.append(Case(sorted_case.label.replace("n=3", "nlist=3"), {"X": X, "nlist": n, "iters": iters, "seed": seed}))
    D = np.concatenate([np.tile(rng.choice([-1.0, 1.0], size=(1, d)) * rng.integers(15, 25, size=(1, d)), (20, 1)), _blobs(rng, 16, d, 2, 5.0)])
    D = D[rng.permutation(len(D))]
    out.append(Case("many identical rows: one list ends up empty, nlist=3",
                    {"X": D, "nlist": 3, "iters": 20, "seed": _dup_seed(D, 3, rng)}))
    return out


IVF_BUILD_MISTAKES = (
    Mistake("no_leading_zero", "offsets should start with 0 and have nlist + 1 entries, so that list c is "
                               "ids[offsets[c]:offsets[c + 1]]; prepend a 0 to the cumulative counts"),
    Mistake("counts_not_offsets", "offsets holds the size of each list; it should hold where each list starts: "
                                  "the cumulative sum of the sizes, starting at 0"),
    Mistake("dropped_empty_list", "an empty list vanished from offsets; an empty list c still needs its entry "
                                  "(offsets[c] == offsets[c + 1])"),
    Mistake("labels_as_ids", "ids holds list numbers (the sorted labels); it should hold the ids of the vectors, "
                             "grouped by list (np.argsort(labels) gives them)"),
    Mistake("ungrouped_ids", "ids is not grouped by list: vector i sits in list c only when c is its nearest "
                             "centroid; sort the vector ids by their label"),
    Mistake("farthest_lists", "you put each vector in the list of its farthest centroid; use the nearest"),
    Mistake("stale_lists", "your lists come from before the last centroid update; assign every vector once more to "
                           "its nearest returned centroid"),
    Mistake("untrained", "your centroids are rows of X that k-means never moved; train them with kmeans(X, nlist, "
                         "iters, seed) first"),
    Mistake("worse_objective", "your centroids cluster the data worse (a larger sum of squared distances) than "
                               "k-means from the prescribed start; train them with kmeans(X, nlist, iters, seed)"),
)


def _int_array(value):
    a = np.asarray(value)
    if a.dtype.kind == "f" and np.all(np.isfinite(a)) and np.all(a == np.round(a)):
        a = a.astype(np.int64)
    return a


def _judge_ivf_build_case(case: Case, outcome) -> Verdict | None:
    X, nlist, iters, seed = case.args.values()
    X64 = _f(X)
    N, d = X64.shape
    what = "ivf_build(X, nlist, iters, seed)"
    tol = KMEANS_TOL.value
    fail = lambda name, msg="": Verdict(  # noqa: E731
        False, describe_failure(case, (IVF_BUILD.declared(name).message if name in IVF_BUILD.mistake_names
                                       else "") + msg), name)
    if outcome.error:
        return raised(case, outcome, what)
    value = outcome.value
    if not isinstance(value, tuple) or len(value) != 3:
        return Verdict(False, describe_failure(case, f"{what} should return a tuple (centroids, offsets, ids)"),
                       "wrong_type")
    C, offsets, ids = np.asarray(value[0]), _int_array(value[1]), _int_array(value[2])
    if C.shape != (nlist, d):
        return Verdict(False, describe_failure(case, f"centroids has shape {C.shape}, expected ({nlist}, {d})"),
                       "wrong_shape")
    if not np.all(np.isfinite(C)):
        return Verdict(False, describe_failure(case, f"centroids holds nan or inf: {fmt(C)}"), "not_finite")
    for name, a in (("offsets", offsets), ("ids", ids)):
        if a.ndim != 1 or a.dtype.kind not in "iu":
            return Verdict(False, describe_failure(case, f"{name} should be a 1-D array of integers, got "
                                                         f"{fmt(a)}"), "wrong_type")
    C = _f(C)
    D = _d2(X64, C)
    nearest = D.min(1)
    if len(offsets) < nlist + 1 and len(offsets) and offsets[0] == 0 and offsets[-1] == N:
        return fail("dropped_empty_list", f" (offsets: {fmt(offsets)}, nlist={nlist})")
    if len(offsets) == nlist and offsets[-1] == N and np.all(np.diff(offsets) >= 0):
        return fail("no_leading_zero", f" (offsets: {fmt(offsets)})")
    if len(offsets) == nlist + 1 and offsets[0] == 0 and offsets.sum() == N and offsets[-1] != N:
        return fail("counts_not_offsets", f" (offsets: {fmt(offsets)})")
    if len(offsets) != nlist + 1 or offsets[0] != 0 or offsets[-1] != N or np.any(np.diff(offsets) < 0):
        return Verdict(False, describe_failure(case, f"offsets should have nlist + 1 = {nlist + 1} entries, start at "
                                                     f"0, never decrease and end at {N}; got {fmt(offsets)}"),
                       "wrong_value")
    if len(ids) != N:
        return Verdict(False, describe_failure(case, f"ids should hold all {N} vector ids, got {len(ids)}"),
                       "wrong_length")
    if not np.array_equal(np.sort(ids), np.arange(N)):
        if ids.max() < nlist and np.all(np.diff(ids) >= 0):
            return fail("labels_as_ids", f" (ids: {fmt(ids)})")
        return Verdict(False, describe_failure(case, f"ids should hold every vector id 0..{N - 1} exactly once, got "
                                                     f"{fmt(ids)}"), "duplicates")
    labels = np.empty(N, dtype=np.int64)
    for c in range(nlist):
        labels[ids[offsets[c]:offsets[c + 1]]] = c
    own = D[np.arange(N), labels]
    scale = max(1e-8, float(np.max(np.abs(X64))))
    means = np.array([X64[labels == j].mean(0) if np.any(labels == j) else C[j] for j in range(nlist)])
    if np.any(own > nearest * (1 + tol) + tol * scale ** 2):
        bad = int(np.argmax(own - nearest))
        detail = f" (vector {bad} is in list {labels[bad]}, but its nearest centroid is {int(np.argmin(D[bad]))})"
        if np.array_equal(ids, np.arange(N)):
            return fail("ungrouped_ids", detail)
        if np.array_equal(labels, np.argmax(D, 1)):
            return fail("farthest_lists", detail)
        if np.all(np.abs(means - C) <= tol * scale):
            return fail("stale_lists", detail)
        return Verdict(False, describe_failure(case, "some vectors are not in the list of their nearest centroid"
                                               + detail), "wrong_value")
    if "empty" in case.label:  # keeping or re-seeding an empty cluster are both accepted
        return None
    ref_C, _, _ = _ivf_ref(X64, nlist, iters, seed)
    ref = _objective(X64, ref_C, np.argmin(_d2(X64, ref_C), 1))
    got = _objective(X64, C, labels)
    if got > ref * (1 + tol) + tol * scale ** 2:
        detail = f" (objective {got:.6g}; k-means from the prescribed start reaches {ref:.6g})"
        if all(np.any(np.all(np.abs(X64 - C[c]) <= tol * scale, axis=1)) for c in range(nlist)):
            return fail("untrained", detail)
        return fail("worse_objective", detail)
    return None


_judge_ivf_build = each_case(_judge_ivf_build_case)


IVF_BUILD = register(Check(
    id="search.ivf_build",
    target="ivf_build",
    summary="ivf_build returns (centroids, offsets, ids): k-means centroids and every vector in the list of its "
            "nearest centroid (tolerance 1e-6 relative to the data's scale)",
    make_cases=_ivf_build_cases,
    judge=_judge_ivf_build,
    tolerance=KMEANS_TOL,
    kind="parts",
    mistakes=IVF_BUILD_MISTAKES,
    forbidden=NO_SEARCH_LIBRARY,
    watch=WATCH_SEARCH_LIBRARY,
))
check_ivf_build = IVF_BUILD.runner()


# ----------------------------------------------------------------------- IVF search

def _lists(offsets, ids, probes, last=0):
    return [ids[offsets[c]:offsets[c + 1] - last] for c in probes]


def _best(cand: np.ndarray, g: np.ndarray, k: int) -> np.ndarray:
    """The k candidates with the largest g, best first, padded with -1."""
    cand = np.asarray(cand, dtype=np.int64)
    top = cand[np.argsort(-g[cand], kind="stable")][:k]
    return np.concatenate([top, np.full(k - len(top), -1, dtype=np.int64)])


def _ivf_answer(Q, X, C, offsets, ids, k, nprobe, probe_by="l2", last=0, rank_by="l2"):
    Q64, X64 = _f(Q), _f(X)
    dc = _d2(Q64, C)
    G = -np.sqrt(_d2(Q64, X64))
    dots = Q64 @ X64.T
    out, allowed = [], []
    for i in range(len(Q64)):
        order = {"l2": np.argsort(dc[i]), "far": np.argsort(-dc[i]), "dot": np.argsort(-(Q64[i] @ _f(C).T))}[probe_by]
        cand = np.concatenate(_lists(offsets, ids, order[:nprobe], last)).astype(np.int64)
        allowed.append(set(cand.tolist()))
        g = {"l2": G[i], "far": -G[i], "dot": dots[i]}[rank_by]
        out.append(_best(cand, g, k))
    return np.array(out), G, allowed


def _ivf_alternatives(Q, X, C, offsets, ids, k, nprobe):
    a = lambda **kw: _ivf_answer(Q, X, C, offsets, ids, k, nprobe, **kw)[0]  # noqa: E731
    G = -np.sqrt(_d2(Q, X))
    local = []
    for i in range(len(Q)):
        cand = np.concatenate(_lists(offsets, ids, np.argsort(_d2(Q, C)[i])[:nprobe])).astype(np.int64)
        pos = np.argsort(-G[i][cand], kind="stable")[:k]
        local.append(np.concatenate([pos, np.full(k - len(pos), -1)]))
    return [
        ("nearest_list_only", "you searched only the list of the nearest centroid; probe the nprobe nearest lists",
         _ivf_answer(Q, X, C, offsets, ids, k, 1)[0]),
        ("farthest_lists", "you probed the nprobe farthest centroids; probe the nearest (smallest distance)",
         a(probe_by="far")),
        ("similarity_probe", "you chose the lists by the largest dot product with the centroids; IVF with L2 probes "
                             "the centroids at the smallest distance", a(probe_by="dot")),
        ("descending", "you returned the farthest candidates first; L2 distances rank ascending", a(rank_by="far")),
        ("dot_ranking", "you ranked the candidates by dot product; this search asks for the smallest L2 distance",
         a(rank_by="dot")),
        ("searched_everything", "you searched every vector, not only the nprobe probed lists; at small nprobe the "
                                "result must come from the probed lists", _top(G, k)),
        ("dropped_last", "you dropped the last id of each list; the slice ids[offsets[c]:offsets[c + 1]] already "
                         "ends before offsets[c + 1]", a(last=1)),
        ("local_ids", "you returned positions in your candidate array; return the vector ids (ids[...]) instead",
         np.array(local, dtype=np.int64)),
    ]


IVF_SEARCH_MISTAKES = tuple(Mistake(name, message) for name, message, _ in _ivf_alternatives(
    np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((1, 1)), np.array([0, 1]), np.array([0]), 1, 1)) + (
    Mistake("no_padding", "when the probed lists hold fewer than k vectors, fill the rest of the row with -1"),
    Mistake("outside_probed", "you returned vectors that are not in the probed lists"),
    Mistake("not_sorted", "you found the right vectors but not in the right order; nearest first"),
    Mistake("one_based", "your indices are one too large: Python counts from 0"),
)


def _ivf_index(rng, N, d, nlist, centres, spread):
    X = _blobs(rng, N, d, centres, spread)
    C, offsets, ids = _ivf_ref(X, nlist, 10, int(rng.integers(1000)))
    return X, C, offsets, ids


def _ivf_case(rng, label, N, d, nlist, centres, m, k, nprobe, distinct=False, dtype=None, short=False) -> Case:
    for _ in range(300):
        X, C, offsets, ids = _ivf_index(rng, N, d, nlist, centres, 3.0)
        Q = X[rng.choice(N, size=m, replace=False)] + rng.normal(size=(m, d))
        if dtype is not None:
            X, Q, C = X.astype(dtype), Q.astype(dtype), C.astype(dtype)
        gap = 1e-4 if dtype is not None else 1e-6
        want, G, _ = _ivf_answer(Q, X, C, offsets, ids, k, nprobe)
        if not (_gapped(-_d2(Q, C), nlist - 1, gap) and _gapped(G, N - 1, gap)):
            continue
        if short and not (np.any(want == -1) and np.all(want[:, 0] >= 0)):
            continue
        if not distinct or _distinct(G, want, _ivf_alternatives(Q, X, C, offsets, ids, k, nprobe)):
            break
    return Case(label, {"Q": Q, "X": X, "centroids": C, "offsets": offsets, "ids": ids, "k": k, "nprobe": nprobe})


def _ivf_search_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(2, 4))
    cases = [_ivf_case(rng, "nlist=6, nprobe=2, k=4", 60, d, 6, 4, 4, 4, 2),
             _ivf_case(rng, "nprobe = nlist: the result must equal brute force", 50, d, 5, 3, 3, 5, 5),
             _ivf_case(rng, "nprobe=1, k=3", 50, d, 5, 3, 3, 3, 1),
             _ivf_case(rng, "small lists: fewer than k vectors in the probed list (pad with -1)", 12, d, 6, 6, 3, 4, 1,
                       short=True),
             _ivf_case(rng, "float32 vectors, nprobe=3", 60, d, 6, 4, 3, 4, 3, dtype=np.float32)]
    # an empty list whose centroid is nearest to the query
    X, C, offsets, ids = _ivf_index(rng, 40, d, 4, 4, 3.0)
    far = 40.0 * np.ones(d)
    C = np.vstack([C, far])
    offsets = np.concatenate([offsets, [offsets[-1]]])
    Q = np.vstack([far * 0.9 + 0.1 * rng.normal(size=d), X[3] + 0.1])
    cases.append(Case("the list of the nearest centroid is empty, nprobe=2",
                      {"Q": Q, "X": X, "centroids": C, "offsets": offsets, "ids": ids, "k": 3, "nprobe": 2}))
    return cases


def _judge_ivf_search(cases, outcomes) -> Verdict:
    what = "ivf_search(Q, X, centroids, offsets, ids, k, nprobe)"
    wrong = []
    for case, outcome in zip(cases, outcomes):
        Q, X, C, offsets, ids, k, nprobe = case.args.values()
        want, G, allowed = _ivf_answer(Q, X, C, offsets, ids, k, nprobe)
        short = bool(np.any(want == -1))
        verdict = None
        if short and outcome.error and not outcome.kind and not outcome.error.startswith("NotImplementedError"):
            verdict = Verdict(False, describe_failure(case, "your code raised an error when the probed lists hold "
                                                            f"fewer than k vectors ({outcome.error}); fill the rest "
                                                            "of the row with -1"), "no_padding")
        r = _as_int_rows(case, outcome, what, (len(Q), k)) if verdict is None else verdict
        if isinstance(r, Verdict):
            got = np.shape(outcome.value) if outcome.value is not None and not isinstance(outcome.value, tuple) else ()
            if short and r.mistake == "wrong_shape" and len(got) == 2 and got[1] < k:
                r = Verdict(False, describe_failure(case, "your rows are shorter than k when the probed lists hold "
                                                          "fewer than k vectors; fill the rest of each row with -1"),
                            "no_padding")
            if wrong:
                break
            return r
        found = _judge_rows(case, r, G, want, what, _ivf_alternatives(Q, X, C, offsets, ids, k, nprobe),
                            allowed=allowed, word="negated distance")
        if isinstance(found, Verdict):
            if wrong:
                break
            return found
        wrong += found
    if wrong:
        return _verdict_for(wrong, [m.name for m in IVF_SEARCH_MISTAKES])
    return Verdict.ok(f"all {len(cases)} inputs correct")


check_ivf_search = register(Check(
    id="search.ivf_search",
    target="ivf_search",
    summary="ivf_search returns the k nearest vectors among the nprobe nearest lists, nearest first, padded "
            "with -1; at nprobe = nlist it equals brute force",
    make_cases=_ivf_search_cases,
    judge=_judge_ivf_search,
    tolerance=RANK_TOL,
    kind="ranking",
    mistakes=IVF_SEARCH_MISTAKES,
    forbidden=NO_SEARCH_LIBRARY,
    watch=WATCH_SEARCH_LIBRARY,
)).runner()
