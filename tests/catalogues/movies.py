"""Correct variants and catalogued mistakes for the p4-movie-recommender checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


BASELINE = """
import numpy as np
def baseline(R, lam):
    observed = ~np.isnan(R)
    mu = R[observed].mean()
    resid = np.where(observed, R - mu, 0.0)
    n_item, n_user = observed.sum(axis=0), observed.sum(axis=1)
    b_item = np.divide(resid.sum(axis=0), lam + n_item, out=np.zeros(R.shape[1]), where=lam + n_item > 0)
    resid = np.where(observed, R - mu - b_item, 0.0)
    b_user = np.divide(resid.sum(axis=1), lam + n_user, out=np.zeros(R.shape[0]), where=lam + n_user > 0)
    return mu, b_user, b_item
"""


def _baseline_with(old: str, new: str) -> str:
    assert old in BASELINE
    return _c(BASELINE.replace(old, new))


RMSE = """
import numpy as np
def rmse(R, P):
    observed = ~np.isnan(R)
    return np.sqrt(np.mean((R[observed] - P[observed]) ** 2))
"""

ALS = """
import numpy as np
def als_step(R, U, V, lam):
    observed = ~np.isnan(R)
    k = U.shape[1]
    U = np.array(U, dtype=float)
    V = np.array(V, dtype=float)
    for u in range(R.shape[0]):
        Vo = V[observed[u]]
        U[u] = np.linalg.solve(Vo.T @ Vo + lam * np.eye(k), Vo.T @ R[u, observed[u]]) if len(Vo) else 0.0
    for i in range(R.shape[1]):
        Uo = U[observed[:, i]]
        V[i] = np.linalg.solve(Uo.T @ Uo + lam * np.eye(k), Uo.T @ R[observed[:, i], i]) if len(Uo) else 0.0
    return U, V
"""


def _als_with(old: str, new: str) -> str:
    assert old in ALS
    return _c(ALS.replace(old, new))


FACTORIZE = ALS + """
def factorize(R, k, lam, n_iters, seed=0):
    rng = np.random.default_rng(seed)
    U = rng.normal(scale=0.1, size=(R.shape[0], k))
    V = rng.normal(scale=0.1, size=(R.shape[1], k))
    for _ in range(n_iters):
        U, V = als_step(R, U, V, lam)
    return U, V
"""


def _factorize_with(old: str, new: str) -> str:
    assert old in FACTORIZE
    return _c(FACTORIZE.replace(old, new))


RECOMMEND = """
import numpy as np
def recommend(R, P, user, n):
    unrated = np.flatnonzero(np.isnan(R[user]))
    order = np.argsort(-P[user, unrated], kind="stable")
    return unrated[order[:n]]
"""


def _recommend_with(old: str, new: str) -> str:
    assert old in RECOMMEND
    return _c(RECOMMEND.replace(old, new))


CORRECT = {
    "movies.baseline": [
        ("vectorised with np.divide", _c(BASELINE)),
        ("loops over users and movies", _c("""
            import math
            def baseline(R, lam):
                n_users, n_items = len(R), len(R[0])
                seen = [(u, i, float(R[u][i])) for u in range(n_users) for i in range(n_items)
                        if not math.isnan(R[u][i])]
                mu = sum(r for _, _, r in seen) / len(seen)
                b_item = []
                for i in range(n_items):
                    rs = [r - mu for _, j, r in seen if j == i]
                    b_item.append(sum(rs) / (lam + len(rs)) if rs else 0.0)
                b_user = []
                for u in range(n_users):
                    rs = [r - mu - b_item[i] for v, i, r in seen if v == u]
                    b_user.append(sum(rs) / (lam + len(rs)) if rs else 0.0)
                return mu, b_user, b_item
            """)),
        ("nanmean and nansum, float32 kept", _c("""
            import numpy as np
            def baseline(R, lam):
                mu = np.nanmean(R)
                n_item = np.sum(~np.isnan(R), axis=0)
                b_item = np.nansum(R - mu, axis=0) / np.maximum(lam + n_item, 1e-300)
                n_user = np.sum(~np.isnan(R), axis=1)
                b_user = np.nansum(R - mu - b_item, axis=1) / np.maximum(lam + n_user, 1e-300)
                return mu, b_user, b_item
            """)),
        ("masked arrays", _c("""
            import numpy as np
            def baseline(R, lam):
                M = np.ma.masked_invalid(np.asarray(R, dtype=float))
                mu = float(M.mean())
                n_item = M.count(axis=0)
                b_item = np.ma.filled((M - mu).sum(axis=0), 0.0) / np.where(lam + n_item > 0, lam + n_item, 1)
                n_user = M.count(axis=1)
                b_user = np.ma.filled((M - mu - b_item).sum(axis=1), 0.0) / np.where(lam + n_user > 0, lam + n_user, 1)
                return mu, b_user, b_item
            """)),
    ],
    "movies.rmse": [
        ("boolean mask", _c(RMSE)),
        ("nanmean", _c("""
            import numpy as np
            def rmse(R, P):
                return float(np.sqrt(np.nanmean((R - P) ** 2)))
            """)),
        ("loop over entries", _c("""
            import math
            def rmse(R, P):
                total, count = 0.0, 0
                for u in range(len(R)):
                    for i in range(len(R[u])):
                        if not math.isnan(R[u][i]):
                            total += (float(R[u][i]) - float(P[u][i])) ** 2
                            count += 1
                return math.sqrt(total / count)
            """)),
        ("sum over count", _c("""
            import numpy as np
            def rmse(R, P):
                mask = np.isfinite(R)
                err = np.where(mask, R - P, 0.0)
                return np.sqrt((err ** 2).sum() / mask.sum())
            """)),
    ],
    "movies.als_step": [
        ("normal equations with solve", _c(ALS)),
        ("lstsq on a stacked system", _c("""
            import numpy as np
            def _rows(R, F, lam):
                k = F.shape[1]
                out = np.zeros((R.shape[0], k))
                for u in range(R.shape[0]):
                    seen = ~np.isnan(R[u])
                    A = np.vstack([F[seen], np.sqrt(lam) * np.eye(k)])
                    b = np.concatenate([R[u, seen], np.zeros(k)])
                    out[u] = np.linalg.lstsq(A, b, rcond=None)[0]
                return out
            def als_step(R, U, V, lam):
                R = np.asarray(R, dtype=float)
                U = _rows(R, np.asarray(V, dtype=float), lam)
                V = _rows(R.T, U, lam)
                return U, V
            """)),
        ("weights mask and inverse", _c("""
            import numpy as np
            def als_step(R, U, V, lam):
                W = (~np.isnan(R)).astype(float)
                Z = np.nan_to_num(R)
                k = U.shape[1]
                U = np.stack([np.linalg.pinv(V.T @ (W[u][:, None] * V) + lam * np.eye(k)) @ (V.T @ (W[u] * Z[u]))
                              for u in range(len(R))])
                V = np.stack([np.linalg.pinv(U.T @ (W[:, i][:, None] * U) + lam * np.eye(k)) @ (U.T @ (W[:, i] * Z[:, i]))
                              for i in range(R.shape[1])])
                return U, V
            """)),
        ("one helper for both halves, float32 kept", _c("""
            import numpy as np
            def half(R, F, lam):
                k = F.shape[1]
                rows = []
                for r in R:
                    m = ~np.isnan(r)
                    G = F[m].T @ F[m] + lam * np.eye(k, dtype=F.dtype)
                    rows.append(np.linalg.lstsq(G, F[m].T @ r[m], rcond=None)[0])
                return np.array(rows)
            def als_step(R, U, V, lam):
                U = half(R, V, lam)
                return U, half(R.T, U, lam)
            """)),
    ],
    "movies.factorize": [
        ("ALS with als_step", _c(FACTORIZE)),
        ("full-batch gradient descent", _c("""
            import numpy as np
            def factorize(R, k, lam, n_iters, seed=0):
                rng = np.random.default_rng(seed)
                U = rng.normal(scale=0.3, size=(R.shape[0], k))
                V = rng.normal(scale=0.3, size=(R.shape[1], k))
                M = ~np.isnan(R)
                Z = np.where(M, R, 0.0)
                for _ in range(n_iters * 10):
                    E = M * (U @ V.T - Z)
                    U, V = U - 0.002 * (2 * E @ V + 2 * lam * U), V - 0.002 * (2 * E.T @ U + 2 * lam * V)
                return U, V
            """)),
        ("stochastic gradient descent", _c("""
            import numpy as np
            def factorize(R, k, lam, n_iters, seed=0):
                rng = np.random.default_rng(seed)
                U = rng.normal(scale=0.3, size=(R.shape[0], k))
                V = rng.normal(scale=0.3, size=(R.shape[1], k))
                pairs = np.argwhere(~np.isnan(R))
                n_u = (~np.isnan(R)).sum(axis=1)
                n_i = (~np.isnan(R)).sum(axis=0)
                for _ in range(n_iters):
                    for t in rng.permutation(len(pairs)):
                        u, i = pairs[t]
                        e = R[u, i] - U[u] @ V[i]
                        gu = -2 * e * V[i] + 2 * lam / n_u[u] * U[u]
                        gv = -2 * e * U[u] + 2 * lam / n_i[i] * V[i]
                        U[u] -= 0.01 * gu
                        V[i] -= 0.01 * gv
                return U, V
            """)),
        ("ALS with a different start", _factorize_with("rng.normal(scale=0.1, size=(R.shape[0], k))",
                                                       "np.abs(rng.normal(size=(R.shape[0], k)))")),
    ],
    "movies.recommend": [
        ("argsort of the unrated", _c(RECOMMEND)),
        ("-inf for the rated", _c("""
            import numpy as np
            def recommend(R, P, user, n):
                scores = np.where(np.isnan(R[user]), P[user], -np.inf)
                order = np.argsort(scores)[::-1]
                order = order[np.isfinite(scores[order])]
                return order[:n]
            """)),
        ("sorted list of pairs", _c("""
            import math
            def recommend(R, P, user, n):
                pairs = [(float(P[user][i]), i) for i in range(len(R[user])) if math.isnan(R[user][i])]
                pairs.sort(reverse=True)
                return [i for _, i in pairs[:n]]
            """)),
        ("argpartition then sort", _c("""
            import numpy as np
            def recommend(R, P, user, n):
                unrated = np.flatnonzero(np.isnan(R[user]))
                if len(unrated) <= n:
                    top = unrated
                else:
                    top = unrated[np.argpartition(-P[user, unrated], n - 1)[:n]]
                return top[np.argsort(-P[user, top])]
            """)),
    ],
}

MISTAKES = {
    "movies.baseline": [
        ("missing_as_zero", _c("""
            import numpy as np
            def baseline(R, lam):
                Z = np.nan_to_num(R)
                mu = Z.mean()
                b_item = (Z - mu).sum(axis=0) / (lam + Z.shape[0])
                b_user = (Z - mu - b_item).sum(axis=1) / (lam + Z.shape[1])
                return mu, b_user, b_item
            """), "missing ratings as zeros"),
        ("mean_over_all_entries", _baseline_with("mu = R[observed].mean()", "mu = np.nansum(R) / R.size"),
         "every entry of R"),
        ("mean_of_means", _baseline_with("mu = R[observed].mean()", "mu = np.mean(np.nanmean(R, axis=1))"),
         "mean of the users'"),
        ("lam_ignored", _baseline_with("lam + n_item, out", "n_item, out").replace("lam + n_user, out", "n_user, out"),
         "lam + n"),
        ("user_before_item", _c("""
            import numpy as np
            def baseline(R, lam):
                observed = ~np.isnan(R)
                mu = R[observed].mean()
                n_item, n_user = observed.sum(axis=0), observed.sum(axis=1)
                b_user = np.where(observed, R - mu, 0.0).sum(axis=1) / np.maximum(lam + n_user, 1)
                b_item = np.where(observed, R - mu - b_user[:, None], 0.0).sum(axis=0) / np.maximum(lam + n_item, 1)
                return mu, b_user, b_item
            """), "user biases first"),
        ("user_not_residual", _baseline_with("R - mu - b_item, 0.0", "R - mu, 0.0"), "r - mu - b_item[i]"),
        ("mu_not_subtracted", _baseline_with("resid = np.where(observed, R - mu, 0.0)",
                                             "resid = np.where(observed, R, 0.0)").replace(
            "R - mu - b_item, 0.0", "R - b_item, 0.0"), "subtract the global mean"),
        ("empty_nan", _c("""
            import numpy as np
            def baseline(R, lam):
                mu = np.nanmean(R)
                n_item = np.sum(~np.isnan(R), axis=0)
                n_user = np.sum(~np.isnan(R), axis=1)
                with np.errstate(invalid="ignore", divide="ignore"):
                    b_item = np.nansum(R - mu, axis=0) / (lam + n_item)
                    b_user = np.nansum(R - mu - b_item, axis=1) / (lam + n_user)
                return mu, b_user, b_item
            """), "bias 0"),
    ],
    "movies.rmse": [
        ("all_entries", _c("""
            import numpy as np
            def rmse(R, P):
                return np.sqrt(np.mean((np.nan_to_num(R) - P) ** 2))
            """), "scored every entry"),
        ("divided_by_all_entries", _c("""
            import numpy as np
            def rmse(R, P):
                return np.sqrt(np.nansum((R - P) ** 2) / R.size)
            """), "size of the whole matrix"),
        ("no_root", _c("""
            import numpy as np
            def rmse(R, P):
                observed = ~np.isnan(R)
                return np.mean((R[observed] - P[observed]) ** 2)
            """), "square root"),
        ("mae", _c("""
            import numpy as np
            def rmse(R, P):
                return np.nanmean(np.abs(R - P))
            """), "mean absolute error"),
        ("no_mean", _c("""
            import numpy as np
            def rmse(R, P):
                return np.sqrt(np.nansum((R - P) ** 2))
            """), "SUM of squared errors"),
        ("per_user", _c("""
            import numpy as np
            def rmse(R, P):
                per_user = np.sqrt(np.nanmean((R - P) ** 2, axis=1))
                return np.nanmean(per_user)
            """), "each user's RMSE"),
        ("n_minus_1", _c("""
            import numpy as np
            def rmse(R, P):
                e = (R - P)[~np.isnan(R)]
                return np.sqrt(np.sum(e ** 2) / (len(e) - 1))
            """), "n - 1"),
    ],
    "movies.als_step": [
        ("missing_as_zero", _als_with("observed = ~np.isnan(R)", "observed = np.ones(R.shape, dtype=bool)\n"
                                      "    R = np.nan_to_num(R)"), "missing ratings as zeros"),
        ("mean_filled", _als_with("observed = ~np.isnan(R)", "R = np.where(np.isnan(R), np.nanmean(R, axis=1, "
                                  "keepdims=True), R)\n    observed = np.ones(R.shape, dtype=bool)"), "user's mean"),
        ("no_regularisation", _c("""
            import numpy as np
            def als_step(R, U, V, lam):
                observed = ~np.isnan(R)
                U = np.array(U, dtype=float)
                V = np.array(V, dtype=float)
                for u in range(R.shape[0]):
                    U[u] = np.linalg.lstsq(V[observed[u]], R[u, observed[u]], rcond=None)[0]
                for i in range(R.shape[1]):
                    V[i] = np.linalg.lstsq(U[observed[:, i]], R[observed[:, i], i], rcond=None)[0]
                return U, V
            """), "without lam"),
        ("old_u", _c("""
            import numpy as np
            def als_step(R, U, V, lam):
                observed = ~np.isnan(R)
                k = U.shape[1]
                U_new = np.zeros_like(U, dtype=float)
                V_new = np.zeros_like(V, dtype=float)
                for u in range(R.shape[0]):
                    Vo = V[observed[u]]
                    U_new[u] = np.linalg.solve(Vo.T @ Vo + lam * np.eye(k), Vo.T @ R[u, observed[u]])
                for i in range(R.shape[1]):
                    Uo = U[observed[:, i]]
                    V_new[i] = np.linalg.solve(Uo.T @ Uo + lam * np.eye(k), Uo.T @ R[observed[:, i], i])
                return U_new, V_new
            """), "OLD U"),
        ("v_first", _c("""
            import numpy as np
            def als_step(R, U, V, lam):
                observed = ~np.isnan(R)
                k = U.shape[1]
                U = np.array(U, dtype=float)
                V = np.array(V, dtype=float)
                for i in range(R.shape[1]):
                    Uo = U[observed[:, i]]
                    V[i] = np.linalg.solve(Uo.T @ Uo + lam * np.eye(k), Uo.T @ R[observed[:, i], i]) if len(Uo) else 0.0
                for u in range(R.shape[0]):
                    Vo = V[observed[u]]
                    U[u] = np.linalg.solve(Vo.T @ Vo + lam * np.eye(k), Vo.T @ R[u, observed[u]]) if len(Vo) else 0.0
                return U, V
            """), "V before U"),
        ("lam_times_count", _c(ALS.replace("Vo.T @ Vo + lam * np.eye(k)", "Vo.T @ Vo + lam * len(Vo) * np.eye(k)")
                               .replace("Uo.T @ Uo + lam * np.eye(k)", "Uo.T @ Uo + lam * len(Uo) * np.eye(k)")),
         "number of ratings"),
        ("lam_everywhere", _c(ALS.replace("lam * np.eye(k)", "lam")), "every entry"),
    ],
    "movies.factorize": [
        ("missing_as_zero", _factorize_with("    for _ in range(n_iters):\n        U, V = als_step(R, U, V, lam)",
                                            "    R = np.nan_to_num(R)\n    for _ in range(n_iters):\n"
                                            "        U, V = als_step(R, U, V, lam)"), "about 0"),
        ("overfits", _c("""
            import numpy as np
            def factorize(R, k, lam, n_iters, seed=0):
                rng = np.random.default_rng()
                U = rng.normal(size=(R.shape[0], k))
                V = rng.normal(size=(R.shape[1], k))
                seen = ~np.isnan(R)
                for _ in range(n_iters):
                    for u in range(R.shape[0]):
                        U[u] = np.linalg.lstsq(V[seen[u]], R[u, seen[u]], rcond=None)[0]
                    for i in range(R.shape[1]):
                        V[i] = np.linalg.lstsq(U[seen[:, i]], R[seen[:, i], i], rcond=None)[0]
                return U, V
            """), "overfits"),
        ("lam_ignored", _c("""
            import numpy as np
            def factorize(R, k, lam, n_iters, seed=0):
                filled = np.where(np.isnan(R), np.nanmean(R), R)
                U, s, Vt = np.linalg.svd(filled, full_matrices=False)
                return U[:, :k] * s[:k], Vt[:k].T
            """), "do not change when lam changes"),
        ("not_fitted", _factorize_with("        U, V = als_step(R, U, V, lam)", "        als_step(R, U, V, lam)"),
         "keep what each step returns"),
        ("v_transposed", _c(FACTORIZE.rstrip().rsplit("return U, V", 1)[0] + "return U, V.T"), "(n_movies, k)"),
        ("ignored_k", _c(FACTORIZE.replace("def factorize(R, k, lam, n_iters, seed=0):",
                                           "def factorize(R, k, lam, n_iters, seed=0):\n    k = 2")), "k columns"),
        ("not_better", _c("""
            import numpy as np
            def factorize(R, k, lam, n_iters, seed=0):
                filled = np.where(np.isnan(R), np.nanmean(R), R)
                U, s, Vt = np.linalg.svd(filled, full_matrices=False)
                s = np.maximum(s - lam, 0.0)
                return U[:, :k] * s[:k], Vt[:k].T
            """), "filled-in matrix"),
    ],
    "movies.recommend": [
        ("recommends_rated", _c("""
            import numpy as np
            def recommend(R, P, user, n):
                return np.argsort(-P[user])[:n]
            """), "already rated"),
        ("only_rated", _recommend_with("np.isnan(R[user])", "~np.isnan(R[user])"), "inverted"),
        ("zero_convention", _recommend_with("np.isnan(R[user])", "R[user] == 0"), "np.isnan"),
        ("ascending", _recommend_with("order[:n]", "order[:n][::-1]"), "lowest prediction first"),
        ("lowest", _recommend_with("np.argsort(-P[user, unrated]", "np.argsort(P[user, unrated]"), "LOWEST"),
        ("scores_not_indices", _recommend_with("return unrated[order[:n]]", "return P[user, unrated[order[:n]]]"),
         "predicted ratings"),
        ("wrong_count", _recommend_with("order[:n]", "order[:n + 1]"), "wrong number"),
        ("not_sorted", _recommend_with("order = np.argsort(-P[user, unrated], kind=\"stable\")\n"
                                       "    return unrated[order[:n]]",
                                       "top = np.argsort(-P[user, unrated])[:n]\n"
                                       "    return unrated[np.sort(top)]"), "not in order"),
    ],
}
