"""Hidden checks for p4-movie-recommender: a baseline of biases, RMSE on the rated entries,
one sweep of alternating least squares, a regularised factorisation judged on held-out
ratings, and top-n recommendations of unrated movies.

Conventions the prompts state and these checks enforce:

* a ratings matrix ``R`` has one row per user and one column per movie; a missing rating
  is ``np.nan`` (never 0), so ``observed = ~np.isnan(R)``;
* ``baseline(R, lam)`` returns ``(mu, b_user, b_item)``: ``mu`` the mean of the observed
  ratings, then ``b_item[i] = sum(r_ui - mu) / (lam + n_i)`` over the users who rated i,
  then ``b_user[u] = sum(r_ui - mu - b_item[i]) / (lam + n_u)`` over the movies u rated;
  a movie or user with no ratings gets bias 0;
* ``rmse(R, P)`` is the root mean squared error over the entries of R that are not nan;
* ``als_step(R, U, V, lam)`` minimises ``sum over observed (r_ui - U[u] @ V[i])**2 +
  lam * (|U|**2 + |V|**2)`` first over every row of U (V fixed), then over every row of V
  with the NEW U; a user or movie with no ratings gets a zero row;
* ``factorize(R, k, lam, n_iters, seed)`` returns ``(U, V)`` of shapes (n_users, k) and
  (n_movies, k), predictions ``U @ V.T``; any solver (ALS, gradient descent) is accepted.
  On a fresh split of fresh low-rank ratings, its held-out RMSE must be at least 15% below
  the baseline's (``baseline(R_train, 5.0)``);
* ``recommend(R, P, user, n)`` returns the indices of the n unrated movies with the highest
  predictions ``P[user]``, highest first (fewer when fewer are unrated); ties in any order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, each_case, register
from autograder.checks._kit.compare import Part, describe_failure, fmt, judge_all, judge_parts, raised

TOL = Tolerance(1e-6, "scale", floor=1e-8)
MARGIN = Tolerance(0.15, "close", floor=0.0)  # held-out RMSE at most (1 - 0.15) x the baseline's
RANK_TOL = Tolerance(1e-9, "ranking", floor=1e-9)
BASELINE_LAM = 5.0


def _f64(A) -> np.ndarray:
    return np.asarray(A, dtype=np.float64)


def _observed(R) -> np.ndarray:
    return ~np.isnan(_f64(R))


def _zero_filled(R) -> np.ndarray:
    return np.nan_to_num(_f64(R), nan=0.0)


def _ratings(rng: np.random.Generator, n_users: int, n_items: int, rank: int = 3, density: float = 0.5,
             noise: float = 0.3) -> np.ndarray:
    """Low-rank ratings around 3.6 with noise; a fraction ``density`` observed, every user
    with at least one rating; nan elsewhere."""
    U = rng.normal(size=(n_users, rank))
    V = rng.normal(size=(n_items, rank))
    U[:, 0] = rng.normal(1.9, 0.25, size=n_users)
    V[:, 0] = rng.normal(1.9, 0.3, size=n_items)
    full = U @ V.T + noise * rng.normal(size=(n_users, n_items))
    seen = rng.random((n_users, n_items)) < density
    seen[np.arange(n_users), rng.integers(0, n_items, size=n_users)] = True
    return np.where(seen, full, np.nan)


# ---------------------------------------------------------------------------------------
# baseline
# ---------------------------------------------------------------------------------------

def _safe_div(num, den):
    den = np.asarray(den, dtype=np.float64)
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0)


def _baseline_ref(R, lam, mu=None, zeros=False, user_from_mu=False):
    R = _f64(R)
    seen = _observed(R) | zeros
    Z = _zero_filled(R)
    mu = Z[seen].mean() if mu is None else mu
    b_item = _safe_div(np.where(seen, Z - mu, 0.0).sum(axis=0), lam + seen.sum(axis=0))
    shift = 0.0 if user_from_mu else b_item[None, :]
    b_user = _safe_div(np.where(seen, Z - mu - shift, 0.0).sum(axis=1), lam + seen.sum(axis=1))
    return mu, b_user, b_item


def _user_first(R, lam):
    mu, b_item_t, b_user_t = _baseline_ref(_f64(R).T, lam)
    return mu, b_user_t, b_item_t


def _nan_for_empty(R, lam):
    mu, b_user, b_item = _baseline_ref(R, lam)
    seen = _observed(R)
    if lam > 0 or seen.all(axis=0).all():
        return None
    b_item = np.where(seen.sum(axis=0) == 0, np.nan, b_item)
    b_user = np.where(seen.sum(axis=1) == 0, np.nan, b_user)
    return mu, b_user, b_item


BASELINE_MISTAKES = [
    Mistake("missing_as_zero", "you counted the missing ratings as zeros (np.nan_to_num or a 0-filled matrix), which "
            "drags the mean and the biases down; average over the observed ratings only, observed = ~np.isnan(R)",
            lambda R, lam: _baseline_ref(R, lam, zeros=True)),
    Mistake("mean_over_all_entries", "your global mean divides the sum of the ratings by every entry of R, rated or "
            "not; mu is the mean of the observed ratings (np.nanmean(R))",
            lambda R, lam: _baseline_ref(R, lam, mu=np.nansum(_f64(R)) / np.size(R))),
    Mistake("mean_of_means", "your global mean is the mean of the users' (or movies') means; mu is the mean of all "
            "observed ratings, each counted once",
            lambda R, lam: _baseline_ref(R, lam, mu=np.mean(np.nanmean(_f64(R), axis=1)))),
    Mistake("lam_ignored", "you divided each sum by the number of ratings alone; the biases are shrunk towards 0 by "
            "dividing by lam + n (a movie with few ratings should get a small bias)",
            lambda R, lam: _baseline_ref(R, 0.0)),
    Mistake("user_before_item", "you computed the user biases first; compute b_item from r - mu first, then b_user "
            "from r - mu - b_item", _user_first),
    Mistake("user_not_residual", "your user biases average r - mu; they must average what the item biases leave, "
            "r - mu - b_item[i]", lambda R, lam: _baseline_ref(R, lam, user_from_mu=True)),
    Mistake("mu_not_subtracted", "your biases average the ratings themselves; subtract the global mean first, so a "
            "bias says how far above or below average a movie (or user) is",
            lambda R, lam: (_baseline_ref(R, lam)[0], *_baseline_ref(R, lam, mu=0.0)[1:])),
    Mistake("empty_nan", "a movie (or user) with no ratings got a nan bias (0 / 0 when lam = 0); give it bias 0",
            _nan_for_empty),
]


def _baseline_cases(rng: np.random.Generator) -> list[Case]:
    def size():
        return int(rng.integers(7, 12)), int(rng.integers(6, 10))

    empty = _ratings(rng, 9, 8, density=0.5)
    empty[:, 3] = np.nan  # nobody rated movie 3
    empty[5] = np.nan  # user 5 rated nothing
    sparse = _ratings(rng, *size(), density=0.3)
    return [
        Case("ratings with half the entries missing, lam = 3", {"R": _ratings(rng, *size()), "lam": 3.0}),
        Case("a sparse matrix (30% rated), lam = 10", {"R": sparse, "lam": 10.0}),
        Case("lam = 0 (plain means)", {"R": _ratings(rng, *size(), density=0.6), "lam": 0.0}),
        Case("a movie nobody rated and a user who rated nothing, lam = 0", {"R": empty, "lam": 0.0}),
        Case("float32 ratings, lam = 2", {"R": _ratings(rng, *size()).astype(np.float32), "lam": 2.0}),
    ]


BASELINE_PARTS = [Part("mu"), Part("b_user"), Part("b_item")]

check_baseline = register(Check(
    id="movies.baseline",
    target="baseline",
    summary="baseline(R, lam) returns the global mean and the shrunk item and user biases over the observed "
            "ratings (tolerance 1e-6 relative to the largest entry)",
    make_cases=_baseline_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _baseline_ref, TOL.value, BASELINE_MISTAKES,
                                            what="baseline(R, lam)", parts=BASELINE_PARTS),
    tolerance=TOL,
    kind="parts",
    mistakes=BASELINE_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# rmse
# ---------------------------------------------------------------------------------------

def _rmse_ref(R, P):
    R, P = _f64(R), _f64(P)
    seen = _observed(R)
    return np.sqrt(np.mean((R[seen] - P[seen]) ** 2))


def _sq(R, P):
    R, P = _f64(R), _f64(P)
    seen = _observed(R)
    return (R[seen] - P[seen]) ** 2


def _per_user(R, P):
    R, P = _f64(R), _f64(P)
    seen = _observed(R)
    rows = [np.sqrt(np.mean((R[u, seen[u]] - P[u, seen[u]]) ** 2)) for u in range(len(R)) if seen[u].any()]
    return np.mean(rows)


RMSE_MISTAKES = [
    Mistake("all_entries", "you scored every entry, with the missing ratings as zeros; score only the rated "
            "entries: observed = ~np.isnan(R), then the mean over R[observed] - P[observed]",
            lambda R, P: np.sqrt(np.mean((_zero_filled(R) - _f64(P)) ** 2))),
    Mistake("divided_by_all_entries", "you summed the squared errors over the rated entries but divided by the size "
            "of the whole matrix; divide by the number of rated entries",
            lambda R, P: np.sqrt(np.sum(_sq(R, P)) / np.size(R))),
    Mistake("no_root", "you returned the mean squared error; RMSE is its square root",
            lambda R, P: np.mean(_sq(R, P))),
    Mistake("mae", "you returned the mean absolute error; RMSE squares the errors, averages, then takes the root",
            lambda R, P: np.mean(np.sqrt(_sq(R, P)))),
    Mistake("no_mean", "you took the root of the SUM of squared errors; average them first (divide by the number "
            "of rated entries)", lambda R, P: np.sqrt(np.sum(_sq(R, P)))),
    Mistake("per_user", "you averaged each user's RMSE; the RMSE pools every rated entry, so a user with many "
            "ratings counts more", _per_user),
    Mistake("n_minus_1", "you divided by n - 1; the mean squared error divides by the number of rated entries n",
            lambda R, P: np.sqrt(np.sum(_sq(R, P)) / (np.size(_sq(R, P)) - 1))),
]


def _rmse_cases(rng: np.random.Generator) -> list[Case]:
    def pair(n_users, n_items, density=0.5, dtype=np.float64):
        R = _ratings(rng, n_users, n_items, density=density)
        P = np.where(_observed(R), R, 3.6) + rng.normal(scale=0.6, size=R.shape)
        return {"R": R.astype(dtype), "P": P.astype(dtype)}

    skew = pair(10, 7)
    skew["R"][0] = skew["P"][0] + rng.normal(scale=0.1, size=7)  # user 0 rated all, almost exactly
    return [
        Case("ratings with half the entries missing", pair(int(rng.integers(6, 10)), int(rng.integers(5, 9)))),
        Case("a sparse matrix (20% rated)", pair(12, 10, density=0.2)),
        Case("one user with many accurate ratings, the others few", skew),
        Case("every entry rated", {"R": _ratings(rng, 5, 4, density=1.0), "P": 3.6 + rng.normal(size=(5, 4))}),
        Case("float32 ratings and predictions", pair(8, 6, dtype=np.float32)),
    ]


check_rmse = register(Check(
    id="movies.rmse",
    target="rmse",
    summary="rmse(R, P) is the root mean squared error over the rated entries of R (tolerance 1e-6 relative to "
            "the expected value)",
    make_cases=_rmse_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _rmse_ref, TOL.value, RMSE_MISTAKES,
                                            what="rmse(R, P)"),
    tolerance=TOL,
    kind="value",
    mistakes=RMSE_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# als_step
# ---------------------------------------------------------------------------------------

def _solve_rows(Z, seen, F, lam, weighted=False, ones=False):
    """Row u of the result minimises sum over seen (Z[u, j] - x @ F[j])**2 + lam |x|**2."""
    k = F.shape[1]
    out = np.zeros((Z.shape[0], k))
    for u in range(Z.shape[0]):
        Fo = F[seen[u]]
        if not len(Fo) and lam == 0:
            continue
        reg = lam * (np.ones((k, k)) if ones else np.eye(k)) * (seen[u].sum() if weighted else 1.0)
        out[u] = np.linalg.lstsq(Fo.T @ Fo + reg, Fo.T @ Z[u, seen[u]], rcond=None)[0]
    return out


def _als_ref(R, U, V, lam, fill=None, jacobi=False, v_first=False, **kw):
    R, U, V = _f64(R), _f64(U), _f64(V)
    seen = _observed(R)
    Z = _zero_filled(R)
    if fill == "zeros":
        seen = np.ones_like(seen)
    elif fill == "row_mean":
        Z = np.where(seen, Z, np.nanmean(R, axis=1, keepdims=True))
        seen = np.ones_like(seen)
    if v_first:
        V_new = _solve_rows(Z.T, seen.T, U, lam, **kw)
        return _solve_rows(Z, seen, V_new, lam, **kw), V_new
    U_new = _solve_rows(Z, seen, V, lam, **kw)
    return U_new, _solve_rows(Z.T, seen.T, U if jacobi else U_new, lam, **kw)


ALS_MISTAKES = [
    Mistake("missing_as_zero", "you fitted the missing ratings as zeros (all of V in each user's least squares); "
            "each user's problem uses only the movies that user rated: V[observed[u]] and R[u, observed[u]]",
            lambda R, U, V, lam: _als_ref(R, U, V, lam, fill="zeros")),
    Mistake("mean_filled", "you filled the missing ratings with the user's mean and fitted them; ALS fits only the "
            "observed ratings: V[observed[u]] and R[u, observed[u]]",
            lambda R, U, V, lam: _als_ref(R, U, V, lam, fill="row_mean")),
    Mistake("no_regularisation", "you solved without lam; add lam * I to the k x k matrix: solve "
            "(Vo.T @ Vo + lam * I) u = Vo.T @ r", lambda R, U, V, lam: _als_ref(R, U, V, 0.0)),
    Mistake("old_u", "you updated V with the OLD U; update U first, then V using the U you just computed",
            lambda R, U, V, lam: _als_ref(R, U, V, lam, jacobi=True)),
    Mistake("v_first", "you updated V before U; the sweep updates U first (V fixed), then V (new U fixed)",
            lambda R, U, V, lam: _als_ref(R, U, V, lam, v_first=True)),
    Mistake("lam_times_count", "you multiplied lam by the number of ratings (lam * n_u * I); the loss in this "
            "assignment adds lam * I alone", lambda R, U, V, lam: _als_ref(R, U, V, lam, weighted=True)),
    Mistake("lam_everywhere", "you added lam to every entry of the k x k matrix; add it to the diagonal only "
            "(lam * np.eye(k))", lambda R, U, V, lam: _als_ref(R, U, V, lam, ones=True)),
]


def _als_case(rng, n_users, n_items, k, density=0.5, lam=1.0, dtype=np.float64):
    R = _ratings(rng, n_users, n_items, density=density)
    U = rng.normal(scale=0.7, size=(n_users, k))
    V = rng.normal(scale=0.7, size=(n_items, k))
    return {"R": R.astype(dtype), "U": U.astype(dtype), "V": V.astype(dtype), "lam": lam}


def _als_cases(rng: np.random.Generator) -> list[Case]:
    empty = _als_case(rng, 9, 8, 2, lam=0.5)
    empty["R"][:, 2] = np.nan  # nobody rated movie 2
    empty["R"][4] = np.nan  # user 4 rated nothing
    dense = _als_case(rng, 8, 7, 2, density=1.0, lam=0.0)
    return [
        Case("half the ratings missing, k = 2, lam = 1", _als_case(rng, int(rng.integers(7, 11)), 8, 2)),
        Case("a sparse matrix (35% rated), k = 3, lam = 2", _als_case(rng, 10, 9, 3, density=0.35, lam=2.0)),
        Case("a movie nobody rated and a user who rated nothing (zero rows), lam = 0.5", empty),
        Case("every entry rated, lam = 0 (plain least squares)", dense),
        Case("float32 inputs, k = 2, lam = 1", _als_case(rng, 8, 6, 2, dtype=np.float32)),
    ]


check_als_step = register(Check(
    id="movies.als_step",
    target="als_step",
    summary="als_step(R, U, V, lam) updates every row of U, then every row of V with the new U, by regularised "
            "least squares over the observed ratings (tolerance 1e-6 relative to the largest entry)",
    make_cases=_als_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _als_ref, TOL.value, ALS_MISTAKES,
                                            what="als_step(R, U, V, lam)", parts=[Part("U_new"), Part("V_new")]),
    tolerance=TOL,
    kind="parts",
    mistakes=ALS_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# factorize: judged on held-out ratings of a fresh split
# ---------------------------------------------------------------------------------------

@dataclass
class Split(Case):
    """A case whose held-out ratings stay with the grader: only ``args`` reach the student."""

    held_out: np.ndarray | None = None
    pair: int | None = None  # index of a case with the same ratings and another lam


def _split(rng, R, frac=0.2):
    idx = np.argwhere(_observed(R))
    idx = idx[rng.permutation(len(idx))]
    test = idx[: int(frac * len(idx))]
    train, held = R.copy(), np.full_like(R, np.nan)
    held[test[:, 0], test[:, 1]] = R[test[:, 0], test[:, 1]]
    train[test[:, 0], test[:, 1]] = np.nan
    return train, held


def _baseline_matrix(R):
    mu, b_user, b_item = _baseline_ref(R, BASELINE_LAM)
    return mu + b_user[:, None] + b_item[None, :]


def _factorize_cases(rng: np.random.Generator) -> list[Case]:
    first = _split(rng, _ratings(rng, 50, 40, density=0.5))
    second = _split(rng, _ratings(rng, 50, 40, density=0.4))
    args = lambda train, k, lam: {"R": train, "k": k, "lam": lam, "n_iters": 30, "seed": 0}  # noqa: E731
    return [
        Split("rank-3 ratings, half observed, k = 3, lam = 3", args(first[0], 3, 3.0), held_out=first[1]),
        Split("rank-3 ratings, 40% observed, k = 8 (more than needed), lam = 3", args(second[0], 8, 3.0),
              held_out=second[1], pair=2),
        Split("the same ratings, k = 8, lam = 0.3", args(second[0], 8, 0.3), held_out=second[1], pair=1),
    ]


FACTORIZE_MISTAKES = [
    Mistake("missing_as_zero", "your model predicts about 0 for the ratings it never saw: it fitted the missing "
            "entries as zero ratings; fit only the observed entries (in ALS, each user's least squares uses "
            "V[observed[u]] and R[u, observed[u]])"),
    Mistake("overfits", "your model fits the training ratings far better than the held-out ones and does worse than "
            "the baseline there: it overfits; penalise the factors with lam (lam * I in each least-squares "
            "problem, or lam * U in the gradient)"),
    Mistake("lam_ignored", "your factors do not change when lam changes: lam must penalise both factors "
            "(lam * I in each least-squares problem, or 2 * lam * U and 2 * lam * V in the gradients)"),
    Mistake("not_fitted", "your predictions do not follow the training ratings: did the loop run n_iters times, "
            "and did you keep what each step returns (U, V = als_step(R, U, V, lam))?"),
    Mistake("v_transposed", "V has shape (k, n_movies); return V with one row per movie, shape (n_movies, k), so "
            "that U @ V.T are the predictions"),
    Mistake("ignored_k", "your factors do not have k columns; U is (n_users, k) and V is (n_movies, k)"),
    Mistake("not_better", "your held-out RMSE is not 15% below the baseline's; fit only the observed ratings (not a "
            "filled-in matrix), regularise both factors with lam and run n_iters iterations"),
]


def _judge_factorize(cases, outcomes) -> Verdict:
    fail = lambda case, msg, name: Verdict(False, describe_failure(case, msg), name)  # noqa: E731
    mistake = {m.name: m.message for m in FACTORIZE_MISTAKES}
    got = []
    for case, outcome in zip(cases, outcomes):
        if outcome.error:
            if "Singular matrix" in outcome.error:
                return fail(case, "your code raised " + outcome.error + ": a user or movie has fewer ratings than k, "
                            "so its k x k matrix is singular; adding lam * I (regularisation) makes it invertible",
                            "error")
            return raised(case, outcome, "factorize(R, k, lam, n_iters, seed)")
        value = outcome.value
        if not isinstance(value, tuple) or len(value) != 2:
            return fail(case, f"factorize should return a tuple (U, V), but returned {outcome.kind or 'a value'}",
                        "wrong_type")
        U, V = (_f64(x) for x in value)
        R, k = case.args["R"], case.args["k"]
        n_users, n_items = R.shape
        if U.ndim != 2 or V.ndim != 2:
            return fail(case, f"U and V should be 2-D arrays; received shapes {U.shape} and {V.shape}", "wrong_shape")
        if U.shape[0] == n_users and V.shape == (k, n_items) and U.shape[1] == k:
            return fail(case, mistake["v_transposed"], "v_transposed")
        if U.shape[0] == n_users and V.shape[0] == n_items and U.shape[1] == V.shape[1] != k:
            return fail(case, mistake["ignored_k"] + f" (k = {k}; yours have {U.shape[1]})", "ignored_k")
        if U.shape != (n_users, k) or V.shape != (n_items, k):
            return fail(case, f"U should have shape {(n_users, k)} and V {(n_items, k)}; received {U.shape} and "
                              f"{V.shape}", "wrong_shape")
        got.append((U, V))

    judged = [(case, U @ V.T) for case, (U, V) in zip(cases, got)
              if case.pair is None or case.args["lam"] >= 1.0]  # the weak-lam twin only shows whether lam is used
    for case, P in judged:
        if not np.all(np.isfinite(P)):
            return fail(case, "your predictions U @ V.T contain nan or inf", "not_finite")
        R = _f64(case.args["R"])
        seen = _observed(R)
        with np.errstate(invalid="ignore", divide="ignore"):
            follows = np.nan_to_num(np.corrcoef(P[seen], R[seen])[0, 1])
        if follows < 0.3:
            return fail(case, mistake["not_fitted"] + f" (the correlation of your predictions with the training "
                                                      f"ratings is {follows:.2f})", "not_fitted")

    for case, (U, V) in zip(cases, got):
        other = case.pair
        if other is not None and other > cases.index(case):
            U2, V2 = got[other]
            if np.array_equal(U, U2) and np.array_equal(V, V2):
                return fail(case, mistake["lam_ignored"] + f" (lam = {case.args['lam']} and lam = "
                                  f"{cases[other].args['lam']} gave the same U and V)", "lam_ignored")

    for case, P in judged:
        R, held = _f64(case.args["R"]), case.held_out
        seen = _observed(R)
        base_held = _rmse_ref(held, _baseline_matrix(R))
        yours_held, yours_train = _rmse_ref(held, P), _rmse_ref(R, P)
        numbers = (f"\n  held-out RMSE: yours {yours_held:.3f}, baseline {base_held:.3f} (yours must be at most "
                   f"{(1 - MARGIN.value) * base_held:.3f}); training RMSE: yours {yours_train:.3f}")
        if yours_held <= (1 - MARGIN.value) * base_held:
            continue
        if yours_held > base_held and yours_train < 0.6 * yours_held:
            return fail(case, mistake["overfits"] + numbers, "overfits")
        if np.mean(P[~seen]) < 0.75 * np.mean(R[seen]):
            return fail(case, mistake["missing_as_zero"] + numbers, "missing_as_zero")
        return fail(case, mistake["not_better"] + numbers, "not_better")
    return Verdict.ok(f"all {len(cases)} inputs correct")


check_factorize = register(Check(
    id="movies.factorize",
    target="factorize",
    summary="factorize(R, k, lam, n_iters, seed) predicts held-out ratings of a fresh split with an RMSE at least "
            "15% below the baseline's",
    make_cases=_factorize_cases,
    judge=_judge_factorize,
    tolerance=MARGIN,
    kind="probe",
    mistakes=FACTORIZE_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# recommend
# ---------------------------------------------------------------------------------------

def _scores(R, P, user):
    """The prediction of every unrated movie; -inf for the movies the user rated."""
    return np.where(_observed(R)[user], -np.inf, _f64(P)[user])


def _top(scores, n):
    order = np.argsort(-scores, kind="stable")
    return order[np.isfinite(scores[order])][:n]


RECOMMEND_MISTAKES = [
    Mistake("recommends_rated", "you recommended a movie the user already rated; leave out every movie where "
            "R[user] is not nan"),
    Mistake("only_rated", "you recommended only movies the user already rated (the mask is inverted); recommend "
            "the unrated ones, np.isnan(R[user])"),
    Mistake("zero_convention", "you found no unrated movies: a missing rating is nan here, not 0, so test "
            "np.isnan(R[user]) rather than R[user] == 0"),
    Mistake("ascending", "you returned the right movies lowest prediction first; put the highest first"),
    Mistake("lowest", "you returned the unrated movies with the LOWEST predictions; recommend the highest"),
    Mistake("scores_not_indices", "you returned predicted ratings; return the indices of the movies"),
    Mistake("wrong_count", "you returned the wrong number of movies; return n, or every unrated movie when fewer "
            "than n are unrated"),
    Mistake("not_sorted", "you found the right movies but not in order; put the highest prediction first"),
]


def _recommend_case(rng, n_users, n_items, user, n, density=0.5, dtype=np.float64, rated_top=True):
    R = _ratings(rng, n_users, n_items, density=density)
    P = 3.6 + rng.normal(size=(n_users, n_items))
    if rated_top:  # the user's highest predictions include rated movies; at least n + 3 unrated
        order = np.argsort(-P[user])
        R[user, order[:2]] = 4.0
        R[user, order[2:2 + n + 3]] = np.nan
    return {"R": R.astype(dtype), "P": P.astype(dtype), "user": user, "n": n}


def _recommend_cases(rng: np.random.Generator) -> list[Case]:
    few = _recommend_case(rng, 6, 9, 3, 5)
    few["R"][3] = 3.0
    few["R"][3, [1, 6]] = np.nan  # only two unrated movies, n = 5
    new = _recommend_case(rng, 6, 8, 0, 3, rated_top=False)
    new["R"][0] = np.nan  # a new user: every movie is unrated
    tied = _recommend_case(rng, 5, 10, 2, 2)
    unrated = np.flatnonzero(np.isnan(tied["R"][2]))
    tied["P"][2, unrated[:3]] = 9.0  # three unrated movies tied for the top
    return [
        Case("a user whose highest predictions include rated movies, n = 3", _recommend_case(rng, 8, 12, 4, 3)),
        Case("the last user, n = 1", _recommend_case(rng, 7, 10, 6, 1)),
        Case("fewer unrated movies than n (return them all)", few),
        Case("a new user who rated nothing, n = 3", new),
        Case("three unrated movies tied for the top, n = 2 (any two of them)", tied),
        Case("float32 inputs, n = 4", _recommend_case(rng, 6, 11, 1, 4, dtype=np.float32)),
    ]


def _judge_recommend_case(case, outcome) -> Verdict:
    R, P, user, n = case.args.values()
    what = "recommend(R, P, user, n)"
    fail = lambda msg, name: Verdict(False, describe_failure(case, msg), name)  # noqa: E731
    messages = {m.name: m.message for m in RECOMMEND_MISTAKES}
    if outcome.error:
        return raised(case, outcome, what)
    value = outcome.value
    if isinstance(value, tuple) and all(np.ndim(v) == 0 for v in value):
        value = np.array(value)
    if isinstance(value, (tuple, dict)):
        return fail(f"{what} should return one array of movie indices, not a {type(value).__name__}", "wrong_type")
    r = np.asarray(value)
    scores = _scores(R, P, user)
    rated = _observed(R)[user]
    expected = np.sort(scores[np.isfinite(scores)])[::-1][:n]
    row = _f64(P)[user]
    if r.ndim != 1:
        return fail(f"{what} should be a 1-D array of indices, got shape {r.shape}", "wrong_shape")
    if r.dtype.kind == "f" and not np.all(np.isfinite(r) & (r == np.round(r))):
        return fail(messages["scores_not_indices"] + f": received {fmt(r)}", "scores_not_indices")
    if r.dtype.kind not in "iuf":
        return fail(f"{what} should contain integer indices, got dtype {r.dtype}", "wrong_type")
    r = r.astype(int)
    if len(r) == 0 and len(expected):
        return fail(messages["zero_convention"], "zero_convention")
    if np.any((r < 0) | (r >= len(row))):
        return fail(f"{what} holds indices outside 0..{len(row) - 1}: {fmt(r)}", "out_of_range")
    if len(set(r.tolist())) != len(r):
        return fail(f"{what} repeats a movie: {fmt(r)}", "duplicates")
    inverted = np.sort(np.where(rated, row, -np.inf))[::-1][:n]
    inverted = inverted[np.isfinite(inverted)]
    if len(r) and rated[r].all() and len(expected) and len(r) == len(inverted) \
            and np.allclose(np.sort(row[r]), np.sort(inverted), rtol=0, atol=RANK_TOL.value):
        return fail(messages["only_rated"] + f" (you returned {fmt(r)}; the user rated {fmt(np.flatnonzero(rated))})",
                    "only_rated")
    if rated[r].any():
        return fail(messages["recommends_rated"] + f" (you returned {fmt(r)}; the user rated "
                                                   f"{fmt(np.flatnonzero(rated))})", "recommends_rated")
    if len(r) != len(expected):
        return fail(messages["wrong_count"] + f" (n = {n}, {int((~rated).sum())} unrated; you returned {len(r)})",
                    "wrong_count")
    got = row[r]
    detail = (f"\n  you returned movies {fmt(r)} with predictions {fmt(got)}; the expected predictions are "
              f"{fmt(expected)} (ties in any order)")
    if np.allclose(got, expected, rtol=0, atol=RANK_TOL.value):
        return Verdict.ok()
    lowest = np.sort(scores[np.isfinite(scores)])[:n]
    if np.allclose(np.sort(got), np.sort(expected), rtol=0, atol=RANK_TOL.value):
        if len(got) >= 3 and np.allclose(got, expected[::-1], rtol=0, atol=RANK_TOL.value):
            return fail(messages["ascending"] + detail, "ascending")
        return fail(messages["not_sorted"] + detail, "not_sorted")
    if np.allclose(np.sort(got), np.sort(lowest), rtol=0, atol=RANK_TOL.value):
        return fail(messages["lowest"] + detail, "lowest")
    return fail(f"{what} is wrong" + detail, "wrong_value")


_judge_recommend = each_case(_judge_recommend_case)


check_recommend = register(Check(
    id="movies.recommend",
    target="recommend",
    summary="recommend(R, P, user, n) returns the n unrated movies with the highest predictions, highest first",
    make_cases=_recommend_cases,
    judge=_judge_recommend,
    tolerance=RANK_TOL,
    kind="ranking",
    mistakes=RECOMMEND_MISTAKES,
)).runner()
