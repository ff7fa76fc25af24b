"""Hidden checks for p1-song-recommender: feature scaling fitted on a reference table,
top-k recommendations under a chosen metric and scaling, the diversity of a list, the
precision@k of a configuration against genre labels, and the configuration a student ships.

Conventions the prompts state and these checks enforce:

* ``standardize(X, ref)`` and ``minmax(X, ref)`` scale each column of X with statistics of
  the same column of ``ref`` (the population standard deviation, ddof=0); a column whose
  values in ``ref`` are all equal becomes 0 in every row of the result; min-max results are
  not clipped (a value outside ref's range lands outside [0, 1]);
* ``recommend(X, song_id, k, metric, scaling)``: the scaling is fitted on the catalogue,
  every row except ``song_id``, then applied to all rows; metric "cosine" ranks by
  decreasing cosine similarity (a zero vector has cosine 0 with everything), "euclidean" by
  increasing distance; song ``song_id`` is never recommended; among equal scores (within
  1e-9) the smaller index comes first;
* ``diversity(R)`` is the mean of 1 - cosine over the unordered pairs of rows of R, 0.0 for
  fewer than two rows, with the same zero-vector rule;
* ``precision_at_k(X, genres, k, metric, scaling)`` averages, over every song as the query,
  the fraction of its k recommendations that share its genre;
* ``ship(X, song_id, k)`` must reach, on fresh tables whose genres it never sees, at least
  85% of the precision@5 that cosine similarity on standardised features reaches there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, each_case, register
from autograder.checks._kit.compare import describe_failure, fmt, judge_all, raised, scaled_error
from autograder.harness.probes import Outcome

RUBRIC_PATH = Path(__file__).with_name("songs_rubric.md")

TOL = Tolerance(1e-6, "scale", floor=1e-8, float32=1e-4)
TIE_TOL = 1e-9  # scores closer than this are equal; the smaller index comes first
RANK_TOL = Tolerance(TIE_TOL, "ranking", floor=TIE_TOL)
SHIP_K = 5
SHIP_BAR = 0.85  # the prompt: "at least 85% of the baseline's precision@5 on the same songs"
SHIP_TABLES = 10  # 480 queries: enough that a configuration passes or fails the same way on every draw
SHIP_BASELINE = ("cosine", "standard")

METRICS = ("cosine", "euclidean")
SCALINGS = ("none", "standard", "minmax")

# Dyadic constants: every way of computing a constant column's spread gives exactly 0.
_CONSTANTS = np.array([0.5, 0.25, 0.75, 96.0, 120.0, 0.125])


def _f(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


class NotThisInput(ValueError):
    """Raised by a mistake's computation on an input where that mistake cannot show."""


def _skip():
    raise NotThisInput


# ---------------------------------------------------------------------------------------
# made-up song tables: six features in [0, 1] and a tempo in BPM, drawn around genre profiles
# ---------------------------------------------------------------------------------------

def song_table(rng: np.random.Generator, sizes, spread: float = 0.09,
               tempo_spread: float = 18.0) -> tuple[np.ndarray, np.ndarray]:
    """A table like songs.csv: one row per song, genre codes 0.. in order of ``sizes``.

    Each genre has a random profile for the six [0, 1] features; tempo profiles overlap
    (centres 90 to 130 BPM, spread ``tempo_spread``), so tempo alone says little about the genre.
    """
    rows, labels = [], []
    for g, size in enumerate(sizes):
        centre = rng.uniform(0.1, 0.9, size=6)
        tempo = rng.uniform(90, 130)
        feats = np.clip(centre + spread * rng.normal(size=(size, 6)), 0.0, 1.0)
        tempi = np.clip(tempo + tempo_spread * rng.normal(size=(size, 1)), 55.0, 200.0)
        rows.append(np.hstack([np.round(feats, 2), np.round(tempi, 1)]))
        labels += [g] * size
    order = rng.permutation(sum(sizes))
    return np.vstack(rows)[order], np.array(labels)[order]


# ---------------------------------------------------------------------------------------
# scaling
# ---------------------------------------------------------------------------------------

def _constant(ref: np.ndarray) -> np.ndarray:
    return np.all(ref == ref[:1], axis=0)


def _standardize_ref(X, ref=None):
    X = _f(X)
    ref = X if ref is None else _f(ref)
    const = _constant(ref)
    Z = (X - ref.mean(axis=0)) / np.where(const, 1.0, ref.std(axis=0))
    Z[:, const] = 0.0
    return Z


def _minmax_ref(X, ref=None):
    X = _f(X)
    ref = X if ref is None else _f(ref)
    lo, width = ref.min(axis=0), np.ptp(ref, axis=0)
    M = (X - lo) / np.where(width > 0, width, 1.0)
    M[:, width == 0] = 0.0
    return M


def _rows(X) -> np.ndarray:
    """Each row standardised across its own features (the per-row mistake)."""
    X = _f(X)
    sd = X.std(axis=1, keepdims=True)
    return (X - X.mean(axis=1, keepdims=True)) / np.where(sd > 0, sd, 1.0)


def _rows_minmax(X) -> np.ndarray:
    X = _f(X)
    width = np.ptp(X, axis=1, keepdims=True)
    return (X - X.min(axis=1, keepdims=True)) / np.where(width > 0, width, 1.0)


def _const_fill(scale, fill):
    """The reference everywhere except in ref's constant columns, which get ``fill``."""
    def compute(X, ref):
        out = scale(X, ref)
        const = _constant(_f(ref))
        if not const.any():
            _skip()
        out[:, const] = fill(_f(X), _f(ref))[:, const]
        return out
    return compute


def _scaling_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(10, 16))
    catalogue, _ = song_table(rng, [n // 2, n - n // 2])
    new, _ = song_table(rng, [2, 2])
    new[0, -1] = catalogue[:, -1].max() + 25.0  # a tempo beyond the catalogue's range
    const, _ = song_table(rng, [n])
    col = int(rng.integers(0, 7))
    const[:, col] = rng.choice(_CONSTANTS)
    new_const = new.copy()
    new_const[:, col] = const[0, col] + np.array([0.0, 0.25, -0.125, 0.5])
    offsets = np.array([0.0, 120.0, -8.0, 1e3])
    scales = np.array([1.0, 25.0, 3.0, 0.5])
    wide = offsets + scales * rng.normal(size=(n, 4))
    return [
        Case("four new songs scaled with a catalogue's statistics", {"X": new, "ref": catalogue}),
        Case("the catalogue scaled with its own statistics (X is ref)", {"X": catalogue, "ref": catalogue.copy()}),
        Case("columns with very different offsets and spreads",
             {"X": offsets + scales * rng.normal(size=(3, 4)), "ref": wide}),
        Case("a feature that is constant in ref (it becomes 0 in every row)", {"X": new_const, "ref": const}),
        Case("float32 tables", {"X": new.astype(np.float32), "ref": catalogue.astype(np.float32)}),
        Case("an integer reference table", {"X": rng.integers(0, 10, size=(3, 3)) * 1.0,
                                            "ref": rng.integers(0, 10, size=(n, 3)) + np.arange(3) * 7}),
    ]


def _tol(case: Case) -> float:
    f32 = any(isinstance(v, np.ndarray) and v.dtype == np.float32 for v in case.args.values())
    return TOL.float32 if f32 else TOL.value


def _explains_all(mistake: Mistake, cases, outcomes, reference) -> Case | None:
    """The first case where ``mistake`` differs from the right answer, if the answers match
    the mistake on every case where it can be computed (and it shows on at least one)."""
    shown = None
    for case, outcome in zip(cases, outcomes):
        if outcome.error or isinstance(outcome.value, (tuple, dict)):
            return None
        try:
            with np.errstate(all="ignore"):
                wrong = _f(mistake.compute(*case.args.values()))
        except Exception:
            continue
        right = _f(reference(*case.args.values()))
        got = np.asarray(outcome.value)
        if got.shape != wrong.shape or scaled_error(got, wrong) > max(_tol(case), 1e-6):
            return None
        if shown is None and (wrong.shape != right.shape or scaled_error(wrong, right) > _tol(case)):
            shown = case
    return shown


def _judge_values(reference, mistakes, what):
    """judge_all, case by case with the float32 tolerance where an input is float32. When two
    mistakes give the same wrong value on the first failing input, the one that explains
    every input is named."""
    def judge(cases, outcomes):
        for case, outcome in zip(cases, outcomes):
            verdict = judge_all([case], [outcome], reference, _tol(case), mistakes, what=what)
            if verdict.passed:
                continue
            named = [m for m in mistakes if m.name == verdict.mistake]
            if not named or any(_explains_all(m, cases, outcomes, reference) for m in named):
                return verdict
            for mistake in mistakes:
                shown = _explains_all(mistake, cases, outcomes, reference)
                if shown is not None:
                    i = cases.index(shown)
                    return judge_all([shown], [outcomes[i]], reference, _tol(shown), [mistake], what=what)
            return verdict
        return Verdict.ok(f"all {len(cases)} inputs correct")
    return judge


def _both(compute):
    """Mistake computations are written for (X, ref)."""
    return lambda X, ref: compute(_f(X), _f(ref))


STANDARDIZE_MISTAKES = [
    Mistake("fitted_on_x", "you took the means and standard deviations from X itself; take them from ref "
            "(the catalogue) and apply them to X. Statistics that include the songs being scaled leak the "
            "query into the scaling", _both(lambda X, ref: _standardize_ref(X, X))),
    Mistake("per_row", "you standardised each row (a song across its features, axis=1); standardise each "
            "column (a feature across the songs, axis=0)", _both(lambda X, ref: _rows(X))),
    Mistake("sample_std", "you divided by the sample standard deviation (ddof=1); use the population "
            "standard deviation, np.std's default (ddof=0)",
            _both(lambda X, ref: (X - ref.mean(0)) / ref.std(0, ddof=1))),
    Mistake("not_centred", "you divided by the standard deviation without subtracting the column mean first",
            _both(lambda X, ref: X / ref.std(0))),
    Mistake("not_scaled", "you subtracted the column means but did not divide by the standard deviations, "
            "so tempo (about 100 BPM) still swamps the other features", _both(lambda X, ref: X - ref.mean(0))),
    Mistake("global_stats", "you used one mean and one standard deviation for the whole table; each column "
            "(feature) gets its own", _both(lambda X, ref: (X - ref.mean()) / ref.std())),
    Mistake("variance", "you divided by the variance; divide by the standard deviation, its square root",
            _both(lambda X, ref: (X - ref.mean(0)) / ref.var(0))),
    Mistake("minmax_instead", "you rescaled with the minimum and maximum (min-max scaling); standardize "
            "subtracts the mean and divides by the standard deviation", _both(_minmax_ref)),
    Mistake("constant_nan", "a column whose values in ref are all equal came out as nan or inf (you divided by its "
            "standard deviation, 0); such a column becomes 0 in every row",
            _const_fill(_standardize_ref, lambda X, ref: (X - ref.mean(0)) / ref.std(0))),
    Mistake("constant_kept", "a column whose values in ref are all equal came out as X minus its mean (as if "
            "divided by 1); the rule is that such a column becomes 0 in every row",
            _const_fill(_standardize_ref, lambda X, ref: X - ref.mean(0))),
]

check_standardize = register(Check(
    id="songs.standardize",
    target="standardize",
    summary="standardize(X, ref) scales each column of X by the mean and standard deviation of ref's column "
            "(tolerance 1e-6 relative to the largest entry, 1e-4 for float32 input)",
    make_cases=_scaling_cases,
    judge=_judge_values(_standardize_ref, STANDARDIZE_MISTAKES, "standardize(X, ref)"),
    tolerance=TOL,
    kind="value",
    mistakes=STANDARDIZE_MISTAKES,
)).runner()


MINMAX_MISTAKES = [
    Mistake("fitted_on_x", "you took the minimum and maximum from X itself; take them from ref (the "
            "catalogue) and apply them to X. Statistics that include the songs being scaled leak the query "
            "into the scaling", _both(lambda X, ref: _minmax_ref(X, X))),
    Mistake("per_row", "you rescaled each row (a song across its features, axis=1); rescale each column "
            "(a feature across the songs, axis=0)", _both(lambda X, ref: _rows_minmax(X))),
    Mistake("clipped", "you clipped the result to [0, 1]; a value outside ref's range must land outside "
            "[0, 1], so leave it unclipped", _both(lambda X, ref: np.clip(_minmax_ref(X, ref), 0, 1))),
    Mistake("no_shift", "you divided by the maximum without subtracting the minimum; min-max scaling is "
            "(X - min) / (max - min)", _both(lambda X, ref: X / ref.max(0))),
    Mistake("divided_by_max", "you divided X - min by the maximum; divide by the range, max - min",
            _both(lambda X, ref: (X - ref.min(0)) / ref.max(0))),
    Mistake("reversed", "your scale runs from 1 at the minimum to 0 at the maximum; use (X - min) / "
            "(max - min)", _both(lambda X, ref: 1.0 - _minmax_ref(X, ref))),
    Mistake("global_stats", "you used one minimum and one maximum for the whole table; each column (feature) "
            "gets its own", _both(lambda X, ref: (X - ref.min()) / (ref.max() - ref.min()))),
    Mistake("standardize_instead", "you standardised (mean and standard deviation); min-max scaling uses the "
            "minimum and the maximum", _both(_standardize_ref)),
    Mistake("constant_nan", "a column whose values in ref are all equal came out as nan or inf (you divided by its "
            "range, 0); such a column becomes 0 in every row",
            _const_fill(_minmax_ref, lambda X, ref: (X - ref.min(0)) / np.ptp(ref, 0))),
    Mistake("constant_kept", "a column whose values in ref are all equal came out as X minus its minimum (as if "
            "divided by 1); the rule is that such a column becomes 0 in every row",
            _const_fill(_minmax_ref, lambda X, ref: X - ref.min(0))),
]

check_minmax = register(Check(
    id="songs.minmax",
    target="minmax",
    summary="minmax(X, ref) maps each column of X through ref's minimum (to 0) and maximum (to 1), unclipped "
            "(tolerance 1e-6 relative to the largest entry, 1e-4 for float32 input)",
    make_cases=_scaling_cases,
    judge=_judge_values(_minmax_ref, MINMAX_MISTAKES, "minmax(X, ref)"),
    tolerance=TOL,
    kind="value",
    mistakes=MINMAX_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# recommend
# ---------------------------------------------------------------------------------------

_SCALERS = {"none": lambda X, ref: _f(X), "standard": _standardize_ref, "minmax": _minmax_ref}


def _cosines(q: np.ndarray, Z: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(Z, axis=1) * np.linalg.norm(q)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norms > 0, Z @ q / np.where(norms > 0, norms, 1.0), 0.0)


def _keys(X, i, metric, scaling, fit="others", scaled=None):
    """Lower is better; the query gets +inf. ``fit``: which rows the scaling is fitted on."""
    X = _f(X)
    if scaled is not None:
        Z = scaled
    else:
        ref = np.delete(X, i, axis=0) if fit == "others" else X
        Z = _SCALERS[scaling](X, ref)
    if metric == "cosine":
        key = -_cosines(Z[i], Z)
    else:
        key = np.linalg.norm(Z - Z[i], axis=1)
    key[i] = np.inf
    return key


def _order(key: np.ndarray, smaller_first: bool = True) -> np.ndarray:
    """Every index by increasing key, ties (within TIE_TOL) by index; +inf entries dropped."""
    idx = np.argsort(key, kind="stable")
    with np.errstate(invalid="ignore"):  # inf - inf: never a tie
        starts = np.concatenate([[True], ~(np.abs(np.diff(key[idx])) <= TIE_TOL)])
    group = np.cumsum(starts)  # a tie chains: each key within TIE_TOL of the one before it
    out = idx[np.lexsort((idx if smaller_first else -idx, group))]
    return out[np.isfinite(key[out])].astype(int)


def _recommend_ref(X, i, k, metric, scaling):
    return _order(_keys(X, i, metric, scaling))[:k]


def _other(options, value):
    return [o for o in options if o != value and o != "none"]


def _recommend_alternatives(X, i, k, metric, scaling) -> list[tuple[str, str, np.ndarray]]:
    """Catalogued wrong rankings: (mistake, message, the first k indices it gives)."""
    X = _f(X)
    alts = []
    key = _keys(X, i, metric, scaling)
    if scaling != "none":
        alts.append(("unscaled", f"you ranked the raw features although scaling={scaling!r}: tempo (about 100 BPM) "
                     "then dominates every distance and cosine; scale the columns first",
                     _order(_keys(X, i, metric, "none"))[:k]))
        alts.append(("query_in_stats", "you fitted the scaling on every row, the query included; fit it on the "
                     "catalogue (every row except song_id) and apply it to all rows",
                     _order(_keys(X, i, metric, scaling, fit="all"))[:k]))
        rows = _rows(X) if scaling == "standard" else _rows_minmax(X)
        alts.append(("per_row", "you scaled each row (a song across its features); scale each column (a feature "
                     "across the songs)", _order(_keys(X, i, metric, scaling, scaled=rows))[:k]))
        for other in _other(SCALINGS, scaling):
            alts.append(("scaling_swapped", f"you used {other!r} scaling where scaling={scaling!r} was asked",
                         _order(_keys(X, i, metric, other))[:k]))
    for other in _other(METRICS, metric):
        alts.append(("metric_swapped", f"you ranked by {other} where metric={metric!r} was asked",
                     _order(_keys(X, i, other, scaling))[:k]))
    worst = np.where(np.isfinite(key), -key, np.inf)
    alts.append(("wrong_direction", "you returned the least similar songs first" if metric == "cosine" else
                 "you returned the farthest songs; with metric='euclidean' the smallest distance comes first",
                 _order(worst)[:k]))
    alts.append(("ascending", "you found the right songs but listed them worst first; put the best match first",
                 _order(key)[:k][::-1]))
    alts.append(("ties_reversed", "among songs with equal scores you put the larger index first (sorting the "
                 "scores ascending and reversing does that); the rule is: smaller index first, as "
                 "np.argsort(..., kind='stable') gives", _order(key, smaller_first=False)[:k]))
    return alts


RECOMMEND_MISTAKES = [
    Mistake("includes_itself", "the query song is in its own recommendations; leave song_id out (by its index: "
            "another song can have exactly the same features)"),
    Mistake("k_minus_one", "one song too few: you took the top k and then removed the query; take the top k among "
            "the other songs"),
    Mistake("unscaled", "you ranked the raw features although a scaling was asked: tempo dominates"),
    Mistake("query_in_stats", "you fitted the scaling with the query included; fit it on the other songs"),
    Mistake("per_row", "you scaled each row instead of each column"),
    Mistake("scaling_swapped", "you used the other scaling than the one asked"),
    Mistake("metric_swapped", "you used the other metric than the one asked"),
    Mistake("wrong_direction", "you returned the least similar (farthest) songs first"),
    Mistake("ascending", "you listed the right songs worst first"),
    Mistake("ties_reversed", "among equal scores you put the larger index first; the smaller index comes first"),
    Mistake("not_sorted", "you found the right songs but not in the right order"),
    Mistake("one_based", "your indices are one too large: Python counts from 0"),
    Mistake("off_by_one_k", "you returned one song too many or too few"),
    Mistake("scores_not_indices", "you returned scores; return the indices of the songs"),
]


def _gapped(X, i, metric, scaling) -> bool:
    """No two songs within 1e-4 of the spread of the scores of each other (no accidental
    near-ties that rounding in float32 could swap)."""
    finite = np.sort(_keys(X, i, metric, scaling)[np.isfinite(_keys(X, i, metric, scaling))])
    return bool(np.min(np.diff(finite)) > 1e-4 * np.ptp(finite))


def _distinct(X, i, k, metric, scaling) -> bool:
    """Every catalogued wrong ranking differs from the right one and from each other."""
    seen = [tuple(_recommend_ref(X, i, k, metric, scaling))]
    for name, _, ranking in _recommend_alternatives(X, i, k, metric, scaling):
        if name == "ties_reversed":
            continue  # only a table with ties can tell it apart
        t = tuple(ranking)
        if t in seen or (name != "ascending" and set(t) == set(seen[0])):
            return False
        seen.append(t)
    return True


def _outlier_query(rng, n):
    """A catalogue and a query that sits outside it on some features, so fitting the scaling
    with the query included changes the ranking."""
    X, _ = song_table(rng, [n // 3, n // 3, n - 2 * (n // 3)])
    i = int(rng.integers(0, n))
    cols = rng.choice(7, size=2, replace=False)
    lo, hi = X.min(axis=0), X.max(axis=0)
    for c in cols:
        X[i, c] = hi[c] + rng.uniform(0.5, 1.5) * (hi[c] - lo[c])
    return X, i


def _recommend_case(rng, label, k, metric, scaling, n=None, distinct=True) -> Case:
    """``k=None`` asks for every other song."""
    for _ in range(400):
        X, i = _outlier_query(rng, n or int(rng.integers(14, 20)))
        kk = len(X) - 1 if k is None else k
        if _gapped(X, i, metric, scaling) and (not distinct or _distinct(X, i, kk, metric, scaling)):
            break
    return Case(label, {"X": X, "song_id": i, "k": kk, "metric": metric, "scaling": scaling})


def _tie_case(rng, label, k, metric, scaling, twin_of_query=False) -> Case:
    """Two songs with identical features: they tie. Either one straddles the cut-off after k
    (only the smaller index makes the list) or it is an exact copy of the query."""
    for _ in range(400):
        X, _ = song_table(rng, [6, 6, 5])
        n = len(X)
        i = int(rng.integers(0, n))
        if twin_of_query:  # the copy comes first: dropping "the first result" drops the copy
            i = max(i, 1)
            j = int(rng.integers(0, i))
            X[j] = X[i]
            if tuple(_recommend_ref(X, i, k, metric, scaling))[:1] == (j,):
                break
            continue
        order = _recommend_ref(X, i, n - 1, metric, scaling)
        a = int(order[k - 1])  # the last song on the list gets a copy elsewhere
        b = int(rng.choice([x for x in range(n) if x not in (i, a)]))
        X[b] = X[a]
        order = _recommend_ref(X, i, n - 1, metric, scaling)
        both = sorted((a, b))
        pos = [int(np.where(order == x)[0][0]) for x in both]
        if pos == [k - 1, k] and _recommend_ref(X, i, k, metric, scaling)[-1] == both[0]:
            break
    return Case(label, {"X": X, "song_id": i, "k": k, "metric": metric, "scaling": scaling})


def _constant_case(rng, label, k, metric, scaling) -> Case:
    """A feature constant across the catalogue, where the query differs: after scaling the
    column is 0 for every song, the query included."""
    for _ in range(400):
        X, i = _outlier_query(rng, 15)
        col = int(rng.integers(0, 6))
        X[:, col] = rng.choice(_CONSTANTS[:3])
        X[i, col] = X[(i + 1) % len(X), col] + 0.5
        plain = _recommend_ref(X, i, k, metric, scaling)
        kept = X.copy()
        Z = _SCALERS[scaling](kept, np.delete(kept, i, axis=0))
        Z[i, col] = X[i, col] - X[(i + 1) % len(X), col]  # the "divide by 1" convention
        if tuple(_order(_keys(X, i, metric, scaling, scaled=Z))[:k]) != tuple(plain):
            break
    return Case(label, {"X": X, "song_id": i, "k": k, "metric": metric, "scaling": scaling})


def _recommend_cases(rng: np.random.Generator) -> list[Case]:
    cases = [
        _recommend_case(rng, "cosine after standardising, k=4", 4, "cosine", "standard"),
        _recommend_case(rng, "euclidean after min-max scaling, k=4", 4, "euclidean", "minmax"),
        _recommend_case(rng, "euclidean after standardising, k=5", 5, "euclidean", "standard"),
        _recommend_case(rng, "cosine after min-max scaling, k=3", 3, "cosine", "minmax"),
        _recommend_case(rng, "cosine on the raw features, k=3", 3, "cosine", "none"),
        _recommend_case(rng, "euclidean on the raw features, k=3", 3, "euclidean", "none"),
        _recommend_case(rng, "k=1", 1, "euclidean", "standard", distinct=False),
        _tie_case(rng, "two songs with identical features tie for the last place (smaller index first)", 3,
                  "cosine", "standard"),
        _tie_case(rng, "two songs with identical features tie for the last place, euclidean", 4,
                  "euclidean", "minmax"),
        _tie_case(rng, "another song has exactly the query's features (it is recommended first)", 3,
                  "euclidean", "standard", twin_of_query=True),
        _constant_case(rng, "a feature constant across the catalogue (it becomes 0 for every song)", 4,
                       "cosine", "standard"),
    ]
    cases.append(_recommend_case(rng, "k = every other song", None, "cosine", "standard", distinct=False))
    f32 = _recommend_case(rng, "a float32 table", 4, "euclidean", "standard", distinct=False)
    f32.args["X"] = f32.args["X"].astype(np.float32)
    cases.append(f32)
    return cases


def _fail(case, message, name):
    return Verdict(False, describe_failure(case, message), name)


def _as_ranking(case: Case, outcome: Outcome, n: int, k: int, what: str):
    """The returned indices as an int array, or a Verdict on why they are not a valid list."""
    if outcome.error:
        return raised(case, outcome, what)
    value = outcome.value
    if isinstance(value, (tuple, dict)):
        return _fail(case, f"{what} should return one array of indices, not a {type(value).__name__}", "wrong_type")
    r = np.asarray(value)
    if r.dtype.kind == "f" and not np.all(np.isfinite(r) & (r == np.round(r))):
        return _fail(case, f"{what} should return song indices (integers); you returned the numbers {fmt(r)}, "
                     "which look like scores", "scores_not_indices")
    if r.dtype.kind not in "iuf" or r.ndim != 1:
        return _fail(case, f"{what} should be a 1-D array of k={k} integer indices; got {fmt(r)}", "wrong_shape")
    r = r.astype(int)
    if np.any((r < 0) | (r >= n)):
        if np.all((r >= 1) & (r <= n)):
            return _fail(case, f"your indices {fmt(r)} are one too large: Python counts from 0", "one_based")
        return _fail(case, f"{what} holds indices outside 0..{n - 1}: {fmt(r)}", "out_of_range")
    if len(set(r.tolist())) != len(r):
        return _fail(case, f"{what} repeats a song: {fmt(r)}; each song may appear once", "duplicates")
    return r


def _judge_recommend_case(case: Case, outcome: Outcome) -> Verdict:
    X, i, k, metric, scaling = case.args.values()
    n = len(X)
    what = "recommend(X, song_id, k, metric, scaling)"
    r = _as_ranking(case, outcome, n, k, what)
    if isinstance(r, Verdict):
        return r
    key = _keys(X, i, metric, scaling)
    expected = _order(key)[:k]
    if len(r) == k and np.array_equal(r - 1, expected):
        return _fail(case, f"your indices {fmt(r)} are one too large: Python counts from 0", "one_based")
    if i in r:
        return _fail(case, f"your list {fmt(r)} contains the query song_id={i} itself; recommend the k={k} other "
                     "songs closest to it, and leave song_id out by its index (another song may have exactly the "
                     "same features)", "includes_itself")
    if len(r) != k:
        if len(r) == k - 1 and set(r.tolist()) <= set(_order(key)[:k].tolist()):
            return _fail(case, f"you returned {len(r)} songs, one too few: if you took the top k and then removed "
                         "the query, take the top k among the other songs instead", "k_minus_one")
        if abs(len(r) - k) == 1:
            return _fail(case, f"you returned {len(r)} songs; return exactly k={k}", "off_by_one_k")
        return _fail(case, f"you returned {len(r)} songs; return exactly k={k}", "wrong_length")
    if np.array_equal(r, expected):
        return Verdict.ok()
    score = (lambda idx: -key[idx]) if metric == "cosine" else (lambda idx: key[idx])
    name = "cosine similarities" if metric == "cosine" else "distances"
    detail = (f"\n  you returned {fmt(r)} with {name} {fmt(score(r))}; expected {fmt(expected)} with {name} "
              f"{fmt(score(expected))} (equal scores: smaller index first)")
    for mistake, message, ranking in _recommend_alternatives(X, i, k, metric, scaling):
        if not np.array_equal(ranking, expected) and np.array_equal(r, ranking):
            return _fail(case, message + detail, mistake)
    if np.allclose(key[r], key[expected], rtol=0, atol=TIE_TOL):
        return _fail(case, "your songs have the right scores, but among equal scores the smaller index must come "
                     "first" + detail, "ties_reversed")
    if set(r.tolist()) == set(expected.tolist()):
        return _fail(case, "you found the right songs but not in the right order; best match first" + detail,
                     "not_sorted")
    return _fail(case, f"{what} is wrong" + detail, "wrong_value")


check_recommend = register(Check(
    id="songs.recommend",
    target="recommend",
    summary="recommend(X, song_id, k, metric, scaling) returns the k best matches for song_id, the scaling "
            "fitted on the other songs, song_id left out, equal scores by smaller index",
    make_cases=_recommend_cases,
    judge=each_case(_judge_recommend_case),
    tolerance=RANK_TOL,
    kind="ranking",
    mistakes=RECOMMEND_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# diversity
# ---------------------------------------------------------------------------------------

def _cos_matrix(R) -> np.ndarray:
    R = _f(R)
    norms = np.linalg.norm(R, axis=1)
    outer = np.outer(norms, norms)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(outer > 0, R @ R.T / np.where(outer > 0, outer, 1.0), 0.0)


def _pairs(R):
    k = len(R)
    return np.triu_indices(k, 1)


def _diversity_ref(R):
    R = _f(R)
    if len(R) < 2:
        return 0.0
    return float(np.mean(1.0 - _cos_matrix(R)[_pairs(R)]))


def _zero_rows_nan(R):
    R = _f(R)
    if len(R) < 2 or not np.any(np.linalg.norm(R, axis=1) == 0):
        _skip()
    return np.nan


def _many(fn):
    return lambda R: fn(_f(R)) if len(R) >= 2 else _skip()


DIVERSITY_MISTAKES = [
    Mistake("diagonal_included", "you averaged 1 - cosine over the whole k x k matrix, each song paired with "
            "itself included (those pairs add 0); average over the pairs of different songs only",
            _many(lambda R: float(np.mean(1.0 - _cos_matrix(R))))),
    Mistake("similarity", "you returned the average cosine similarity; diversity is the average cosine "
            "DISTANCE, 1 - cosine", _many(lambda R: float(np.mean(_cos_matrix(R)[_pairs(R)])))),
    Mistake("sum", "you added up 1 - cosine over the pairs; take the mean, so lists of different lengths compare",
            _many(lambda R: float(np.sum(1.0 - _cos_matrix(R)[_pairs(R)])))),
    Mistake("double_counted", "you added 1 - cosine over ordered pairs (each pair twice) but divided by the "
            "number of unordered pairs, k (k - 1) / 2",
            _many(lambda R: 2 * float(np.mean(1.0 - _cos_matrix(R)[_pairs(R)])))),
    Mistake("euclidean", "you averaged the Euclidean distances between the songs; diversity here is the mean "
            "cosine distance, 1 - cosine",
            _many(lambda R: float(np.mean(np.linalg.norm(R[:, None] - R[None], axis=2)[_pairs(R)])))),
    Mistake("not_normalised", "you used 1 - dot product without dividing by the norms; cosine is "
            "a . b / (|a| |b|)", _many(lambda R: float(np.mean(1.0 - (R @ R.T)[_pairs(R)])))),
    Mistake("columns", "you compared the columns (features) with each other; compare the rows (songs)",
            _many(lambda R: _diversity_ref(R.T) if R.shape[1] >= 2 else _skip())),
    Mistake("one_song_nan", "a list with fewer than two songs has no pairs: return 0.0, not nan",
            lambda R: np.nan if len(R) < 2 else _skip()),
    Mistake("zero_vector_nan", "a zero vector gave nan (0 / 0); its cosine with any song is 0, so its cosine "
            "distance is 1", _zero_rows_nan),
]


def _diversity_cases(rng: np.random.Generator) -> list[Case]:
    X, _ = song_table(rng, [8, 8])
    Z = _standardize_ref(X)
    k = int(rng.integers(4, 7))
    zero = Z[rng.choice(len(Z), size=4, replace=False)].copy()
    zero[2] = 0.0
    near = Z[0] + 0.05 * rng.normal(size=(3, Z.shape[1]))
    return [
        Case(f"{k} standardised songs", {"R": Z[rng.choice(len(Z), size=k, replace=False)]}),
        Case("two songs", {"R": Z[rng.choice(len(Z), size=2, replace=False)]}),
        Case("three nearly identical songs (diversity near 0)", {"R": near}),
        Case("songs on raw features (tempo in BPM)", {"R": X[rng.choice(len(X), size=5, replace=False)]}),
        Case("a list with a zero vector (its cosine with anything is 0)", {"R": zero}),
        Case("a single song (no pairs: diversity 0.0)", {"R": Z[:1]}),
        Case("float32 vectors", {"R": Z[rng.choice(len(Z), size=5, replace=False)].astype(np.float32)}),
    ]


check_diversity = register(Check(
    id="songs.diversity",
    target="diversity",
    summary="diversity(R) is the mean cosine distance 1 - cos over the pairs of rows of R (tolerance 1e-6 "
            "relative to the expected value)",
    make_cases=_diversity_cases,
    judge=_judge_values(_diversity_ref, DIVERSITY_MISTAKES, "diversity(R)"),
    tolerance=TOL,
    kind="value",
    mistakes=DIVERSITY_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# precision@k
# ---------------------------------------------------------------------------------------

def _precision_with(X, genres, k, metric, scaling, rank, per_song=lambda hits, i, g: hits.mean()):
    genres = np.asarray(genres)
    values = np.array([per_song(genres[rank(X, i, k, metric, scaling)] == genres[i], i, genres)
                       for i in range(len(X))], dtype=float)
    return values


def _precision_ref(X, genres, k, metric, scaling):
    return float(np.mean(_precision_with(X, genres, k, metric, scaling, _recommend_ref)))


def _self_included(X, i, k, metric, scaling):
    key = _keys(X, i, metric, scaling)
    key[i] = -np.inf
    order = np.argsort(key, kind="stable")
    return order[:k]


def _precision_mistake(rank=_recommend_ref, per_song=lambda hits, i, g: hits.mean(),
                       combine=lambda values, genres: values.mean(), **fixed):
    def compute(X, genres, k, metric, scaling):
        args = {"metric": metric, "scaling": scaling, **fixed}
        return float(combine(_precision_with(X, genres, k, args["metric"], args["scaling"], rank, per_song),
                             np.asarray(genres)))
    return compute


def _macro(values, genres):
    return np.mean([values[genres == g].mean() for g in np.unique(genres)])


PRECISION_MISTAKES = [
    Mistake("self_included", "each query counted itself as a hit: leave song_id out of its own "
            "recommendations (your recommend, or the lists you score)", _precision_mistake(rank=_self_included)),
    Mistake("query_in_stats", "you scaled the whole table once, the query included, and ranked the scaled rows; "
            "each query's scaling must be fitted on the other songs, as recommend does: pass the raw X and the "
            "scaling to recommend",
            _precision_mistake(rank=lambda X, i, k, m, s: _order(_keys(X, i, m, s, fit="all"))[:k])),
    Mistake("ignored_scaling", "you scored the raw features whatever scaling was asked; pass scaling on to "
            "recommend", _precision_mistake(scaling="none")),
    Mistake("ignored_metric", "you ranked by the same metric whatever metric was asked; pass metric on to "
            "recommend", _precision_mistake(rank=lambda X, i, k, m, s: _recommend_ref(
                X, i, k, "euclidean" if m == "cosine" else "cosine", s))),
    Mistake("recall", "you divided the hits by the number of other songs of the query's genre (that is "
            "recall@k); precision@k divides by k",
            _precision_mistake(per_song=lambda hits, i, g: hits.sum() / max(1, np.sum(g == g[i]) - 1))),
    Mistake("hits_not_fraction", "you averaged the number of hits; precision@k is that number divided by k",
            _precision_mistake(per_song=lambda hits, i, g: hits.sum())),
    Mistake("per_genre_average", "you averaged the precision per genre first, then over genres; average over "
            "every song as the query, so each song counts once", _precision_mistake(combine=_macro)),
    Mistake("per_song", "you returned one precision per song; return their mean, one number",
            lambda X, genres, k, metric, scaling: _precision_with(X, genres, k, metric, scaling, _recommend_ref)),
]


def _precision_cases(rng: np.random.Generator) -> list[Case]:
    def table(sizes, spread=0.14):
        X, g = song_table(rng, sizes, spread=spread)
        return X, g

    X1, g1 = table([7, 5, 4])
    X2, g2 = table([6, 6, 3, 5])
    X3, g3 = table([5, 5, 5])
    X4, g4 = table([6, 4, 7], spread=0.2)
    return [
        Case("three genres of different sizes, cosine after standardising, k=3",
             {"X": X1, "genres": g1, "k": 3, "metric": "cosine", "scaling": "standard"}),
        Case("four genres, euclidean after min-max scaling, k=4",
             {"X": X2, "genres": g2, "k": 4, "metric": "euclidean", "scaling": "minmax"}),
        Case("raw features (tempo dominates), euclidean, k=2",
             {"X": X3, "genres": g3, "k": 2, "metric": "euclidean", "scaling": "none"}),
        Case("noisy genres, euclidean after standardising, k=5",
             {"X": X4, "genres": g4, "k": 5, "metric": "euclidean", "scaling": "standard"}),
        Case("cosine after min-max scaling, k=1",
             {"X": X2, "genres": g2, "k": 1, "metric": "cosine", "scaling": "minmax"}),
    ]


check_precision_at_k = register(Check(
    id="songs.precision_at_k",
    target="precision_at_k",
    summary="precision_at_k(X, genres, k, metric, scaling) is the mean over every query song of the fraction of "
            "its k recommendations sharing its genre (tolerance 1e-6 relative to the expected value)",
    make_cases=_precision_cases,
    judge=_judge_values(_precision_ref, PRECISION_MISTAKES, "precision_at_k(X, genres, k, metric, scaling)"),
    tolerance=TOL,
    kind="value",
    mistakes=PRECISION_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# ship: the configuration a student ships, scored on held-out tables
# ---------------------------------------------------------------------------------------

@dataclass
class HeldOut(Case):
    """A query on a held-out table; the genres stay with the grader, never with the student."""

    genres: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    table: int = 0


def _ship_cases(rng: np.random.Generator) -> list[Case]:
    cases = []
    for t in range(SHIP_TABLES):
        X, g = song_table(rng, [8] * 6, spread=0.10, tempo_spread=40.0)
        for i in range(len(X)):
            cases.append(HeldOut(f"held-out table {t + 1}, song {i}", {"X": X, "song_id": i, "k": SHIP_K},
                                 genres=g, table=t))
    return cases


SHIP_MISTAKES = [
    Mistake("below_bar", "your shipped recommender does not reach the stated precision@5 on fresh songs"),
    Mistake("unscaled", "your shipped recommender ranks the raw features: tempo dominates and genres get mixed"),
    Mistake("includes_itself", "your shipped recommender recommends the query song to itself"),
    Mistake("wrong_length", "your shipped recommender does not return k songs"),
    Mistake("scores_not_indices", "your shipped recommender returns scores, not song indices"),
    Mistake("one_based", "your shipped recommender's indices are one too large"),
    Mistake("duplicates", "your shipped recommender repeats a song"),
    Mistake("out_of_range", "your shipped recommender returns indices outside the table"),
]


def _judge_ship(cases, outcomes) -> Verdict:
    hits, base, raw_like = [], [], 0
    for case, outcome in zip(cases, outcomes):
        X, i, k = case.args.values()
        r = _as_ranking(case, outcome, len(X), k, "ship(X, song_id, k)")
        if isinstance(r, Verdict):
            return r
        if i in r:
            return _fail(case, f"ship recommended the query song_id={i} to itself ({fmt(r)}); leave it out",
                         "includes_itself")
        if len(r) != k:
            return _fail(case, f"ship returned {len(r)} songs; return exactly k={k}", "wrong_length")
        hits.append(np.mean(case.genres[r] == case.genres[i]))
        base.append(np.mean(case.genres[_recommend_ref(X, i, k, *SHIP_BASELINE)] == case.genres[i]))
        raw = {tuple(_recommend_ref(X, i, k, m, "none")) for m in METRICS}
        raw_like += tuple(r) in raw
    score, baseline = float(np.mean(hits)), float(np.mean(base))
    bar = SHIP_BAR * baseline
    result = (f"on {len(cases)} fresh songs your shipped recommender reaches precision@{SHIP_K} = {score:.3f}; "
              f"cosine on standardised features reaches {baseline:.3f} there, so the bar is "
              f"{SHIP_BAR:.0%} of it, {bar:.3f}")
    if score >= bar:
        return Verdict.ok(result)
    if raw_like >= 0.8 * len(cases):
        return Verdict(False, result + ". It ranks the raw features, where tempo (about 100 BPM) decides the "
                       "neighbours; ship a configuration that scales the columns", "unscaled")
    return Verdict(False, result + ". Compare the configurations in your table and ship one that finds the "
                   "genre more often", "below_bar")


check_ship = register(Check(
    id="songs.ship",
    target="ship",
    summary=f"ship(X, song_id, k) reaches at least {SHIP_BAR:.0%} of the precision@{SHIP_K} of cosine on "
            "standardised features, on fresh songs whose genres it never sees",
    make_cases=_ship_cases,
    judge=_judge_ship,
    tolerance=RANK_TOL,
    kind="ranking",
    mistakes=SHIP_MISTAKES,
)).runner()


def rubric(grade_id: str | None = None) -> str:
    """The graders' rubric: the whole file, or the section of one written answer."""
    import re

    text = RUBRIC_PATH.read_text()
    if grade_id is None:
        return text
    m = re.search(rf"^## {re.escape(grade_id)}\b.*?(?=^## |\Z)", text, re.M | re.S)
    if not m:
        raise KeyError(f"no rubric for {grade_id!r} in {RUBRIC_PATH.name}")
    return m.group(0).strip()
