"""Hidden checks for 14-embeddings: mean pooling with an attention mask, normalising rows,
the cosine similarity matrix, semantic search and word analogies.

Conventions the prompts state and these checks enforce:

* ``mean_pool(token_embeddings, attention_mask)``: (batch, seq, dim) and (batch, seq) in,
  (batch, dim) out; the average of the vectors whose mask is 1; a sentence whose mask is all
  0 gets a zero vector;
* ``normalize_rows(E)`` divides every row by its Euclidean length; a row of zeros stays a row
  of zeros; ``E`` itself is not modified;
* ``similarity_matrix(E)`` is the (n, n) matrix of cosine similarities of the rows; a zero row
  has similarity 0 with every row, itself included;
* ``semantic_search(query_vec, corpus, k, exclude=None)`` returns the indices of the k rows
  with the largest cosine similarity to the query, most similar first; rows with exactly
  equal similarity may come in any order (and any of them may take a tied k-th place); row
  ``exclude`` (when given) never appears;
* ``analogy(a, b, c, vocab)``: ``vocab`` is a dict from word to 1-D vector; the answer is the
  word other than a, b and c whose vector has the largest cosine similarity with
  vocab[b] - vocab[a] + vocab[c], the vectors taken as given; any of several exactly tied
  words is right.

Values are judged on the scale of the answer, ``max|yours - expected| <= 1e-6 * max|expected|``;
rankings and words exactly, by the similarities of the rows or words returned. Ties in the
hidden inputs are exact (small integer vectors whose lengths are powers of 2, repeated or
doubled, so that every way of computing them gives the same numbers); every other pair of
similarities differs by more than 1e-4.
"""

from __future__ import annotations

import numpy as np

from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, register
from autograder.checks._kit.check import each_case
from autograder.checks._kit.compare import describe_failure, fmt, judge_all, raised
from autograder.harness.probes import Outcome

TOL = Tolerance(1e-6, "scale", floor=1e-8)
EXACT = Tolerance(0.0, "exact", floor=0.0)
GAP = 1e-4  # every two similarities that are not an exact tie differ by more than this


def _f(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _norms(X) -> np.ndarray:
    return np.sqrt(np.sum(_f(X) ** 2, axis=-1))


def _unit(X) -> np.ndarray:
    """Rows divided by their lengths; rows of zeros stay zeros."""
    X = _f(X)
    n = _norms(X)[..., None]
    return np.divide(X, n, out=np.zeros_like(X), where=n > 0)


def _spread(scores: np.ndarray) -> bool:
    """Every two finite scores differ by more than GAP."""
    s = np.sort(scores[np.isfinite(scores)])
    return len(s) < 2 or float(np.min(np.diff(s))) > GAP


def _lengths(rng, n: int) -> np.ndarray:
    return 10 ** rng.uniform(-1, 1, size=(n, 1))


# ---------------------------------------------------------------------------------------
# mean_pool
# ---------------------------------------------------------------------------------------

def _mask(lengths, seq: int, left: bool = False) -> np.ndarray:
    pos = np.arange(seq)[None, :]
    lengths = np.asarray(lengths)[:, None]
    keep = pos >= seq - lengths if left else pos < lengths
    return keep.astype(np.int64)


def _pool_case(rng, label: str, batch: int, seq: int, dim: int, lengths, left=False, dtype=np.float64,
               mask_dtype=np.int64) -> Case:
    # Padding positions hold vectors too, as in a real model's output: only the mask says
    # which positions are real tokens.
    tokens = (rng.normal(size=(batch, seq, dim)) + rng.normal(size=(1, 1, dim))).astype(dtype)
    return Case(label, {"token_embeddings": tokens,
                        "attention_mask": _mask(lengths, seq, left).astype(mask_dtype)})


def _pool_cases(rng: np.random.Generator) -> list[Case]:
    dim = int(rng.integers(4, 7))
    seq = dim + int(rng.integers(2, 4))
    return [
        _pool_case(rng, "three sentences of different lengths, padded on the right", 3, seq, dim,
                   [seq, int(rng.integers(2, seq - 1)), 1]),
        _pool_case(rng, "four sentences padded on the left", 4, seq, dim, rng.integers(1, seq, size=4), left=True),
        _pool_case(rng, "one sentence, no padding", 1, seq, dim, [seq]),
        _pool_case(rng, "float32 embeddings and an int64 mask, as a model returns them", 5, seq, dim,
                   [seq, *rng.integers(1, seq, size=4)], dtype=np.float32),
        _pool_case(rng, "a boolean mask", 3, seq, dim, [2, seq, 3], mask_dtype=bool),
        _pool_case(rng, "a float mask of 0.0 and 1.0", 2, seq, dim, [seq - 1, 3], mask_dtype=np.float64),
        _pool_case(rng, "a sentence with no real tokens (its mask is all 0)", 3, seq, dim, [seq - 2, 0, 2]),
    ]


def _masked_sum(T, M) -> np.ndarray:
    return np.sum(_f(T) * _f(M)[:, :, None], axis=1)


def _counts(M) -> np.ndarray:
    return np.sum(_f(M), axis=1)[:, None]


def _pool_ref(T, M):
    return _masked_sum(T, M) / np.maximum(_counts(M), 1.0)


def _masked_max(T, M):
    return np.max(np.where(_f(M)[:, :, None] > 0, _f(T), -np.inf), axis=1)


POOL_MISTAKES = [
    Mistake("padding_counted", "you averaged over every position, padding included; average only the positions whose "
            "attention_mask is 1 (sum of token_embeddings * mask, divided by the number of 1s in the mask)",
            lambda T, M: _f(T).mean(axis=1)),
    Mistake("padding_in_sum", "you added up the padding vectors too and divided by the number of real tokens; "
            "multiply by the mask before summing", lambda T, M: _f(T).sum(axis=1) / _counts(M)),
    Mistake("padded_length", "you zeroed the padding but divided by the padded length; divide by the number of real "
            "tokens of each sentence, mask.sum(axis=1)", lambda T, M: _masked_sum(T, M) / _f(T).shape[1]),
    Mistake("no_division", "you returned the masked sum; divide it by the number of real tokens to get the mean",
            lambda T, M: _masked_sum(T, M)),
    Mistake("batch_count", "you divided by the number of real tokens in the whole batch; each sentence is divided by "
            "its own count, mask.sum(axis=1, keepdims=True)", lambda T, M: _masked_sum(T, M) / _f(M).sum()),
    Mistake("first_token", "you returned the first position's vector (CLS pooling); this model averages the real "
            "tokens", lambda T, M: _f(T)[:, 0]),
    Mistake("max_pool", "you took the largest value over the real tokens (max pooling); mean pooling averages them",
            _masked_max),
    Mistake("normalised", "you normalised the pooled vectors to length 1; mean_pool returns the plain average "
            "(normalize_rows does the normalising)", lambda T, M: _unit(_pool_ref(T, M))),
    Mistake("feature_axis", "you averaged over the features (the last axis); average over the tokens, axis=1, so "
            "that each sentence keeps dim numbers", lambda T, M: _f(T).mean(axis=2)),
    Mistake("empty_nan", "a sentence whose mask is all 0 came out as nan (0 / 0); the rule is a zero vector: divide "
            "by max(count, 1), or clip the count from below",
            lambda T, M: _masked_sum(T, M) / np.where(_counts(M) > 0, _counts(M), np.nan)),
]


def _pool_error(case: Case, outcome: Outcome) -> Verdict | None:
    if not np.all(_f(case.args["attention_mask"]).sum(axis=1) > 0) and not outcome.kind \
            and not outcome.error.startswith("NotImplementedError"):
        return Verdict(False, describe_failure(
            case, f"your code raised an error on a sentence whose mask is all 0 ({outcome.error}); the rule is a "
            "zero vector for such a sentence"), "empty_error")
    return None


check_mean_pool = register(Check(
    id="embeddings.mean_pool",
    target="mean_pool",
    summary="mean_pool averages only the real tokens of each sentence (tolerance 1e-6 relative to the largest entry)",
    make_cases=_pool_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _pool_ref, TOL.value, POOL_MISTAKES,
                                            what="mean_pool(token_embeddings, attention_mask)", on_error=_pool_error),
    tolerance=TOL,
    kind="value",
    mistakes=[*POOL_MISTAKES, Mistake("empty_error", "your code raised an error on a sentence whose mask is all 0; "
                                                     "such a sentence gets a zero vector")],
)).runner()


# ---------------------------------------------------------------------------------------
# normalize_rows
# ---------------------------------------------------------------------------------------

def _rows(rng, n: int, d: int) -> np.ndarray:
    return rng.normal(size=(n, d)) * _lengths(rng, n)


def _with_zero_rows(rng, X: np.ndarray, count: int = 1) -> np.ndarray:
    X = np.array(X, dtype=float)
    X[rng.choice(len(X), size=count, replace=False)] = 0.0
    return X


def _normalize_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(3, 7))
    n = d + int(rng.integers(2, 4))
    tiny = _rows(rng, n, d)
    tiny[int(rng.integers(n))] *= 1e-9
    return [
        Case("rows of very different lengths", {"E": _rows(rng, n, d)}),
        Case("a single row", {"E": _rows(rng, 1, d)}),
        Case("an integer matrix", {"E": rng.integers(-5, 6, size=(n, d)) | 1}),
        Case("float32 rows, as a model returns them", {"E": _rows(rng, n, d).astype(np.float32)}),
        Case("one column", {"E": rng.normal(size=(n, 1)) * 3}),
        Case("a very short row (entries about 1e-9)", {"E": tiny}),
        Case("a row of zeros", {"E": _with_zero_rows(rng, _rows(rng, n, d))}),
        Case("two rows of zeros and an integer matrix", {"E": _with_zero_rows(rng, rng.integers(1, 6, size=(n, d)), 2)
                                                         .astype(np.int64)}),
    ]


def _no_zero(compute):
    """A mistake that divides by something that is 0 for a zero row: leave zero rows at 0."""
    def safe(E):
        out = compute(_f(E))
        return np.where(np.isfinite(out), out, 0.0)
    return safe


NORMALIZE_MISTAKES = [
    Mistake("wrong_axis", "you normalised the columns; normalise each row (axis=1), so that every row has length 1",
            _no_zero(lambda E: E / np.sqrt(np.sum(E ** 2, axis=0, keepdims=True)))),
    Mistake("l1_norm", "you divided by the sum of absolute values (the L1 norm); divide by the Euclidean length, "
            "sqrt of the sum of squares", _no_zero(lambda E: E / np.sum(np.abs(E), axis=1, keepdims=True))),
    Mistake("squared_norm", "you divided by the squared length; divide by the length itself (take the square root)",
            _no_zero(lambda E: E / np.sum(E ** 2, axis=1, keepdims=True))),
    Mistake("max_norm", "you divided by the largest absolute entry of each row; divide by its Euclidean length",
            _no_zero(lambda E: E / np.max(np.abs(E), axis=1, keepdims=True))),
    Mistake("whole_matrix", "you divided by the length of the whole matrix; each row is divided by its own length",
            lambda E: _f(E) / max(float(np.sqrt(np.sum(_f(E) ** 2))), 1e-300)),
    Mistake("returned_norms", "you returned the lengths of the rows; return the rows divided by their lengths",
            lambda E: _norms(E)[:, None]),
    Mistake("returned_norms", "you returned the lengths of the rows; return the rows divided by their lengths",
            lambda E: _norms(E)),
    Mistake("zero_nan", "a row of zeros came out as nan (0 / 0); the rule is that a zero row stays a zero row: "
            "divide only the rows whose length is not 0",
            lambda E: _f(E) / np.where(_norms(E) > 0, _norms(E), np.nan)[:, None]),
    Mistake("zero_ones", "a row of zeros came out as ones; the rule is that a zero row stays a zero row",
            lambda E: np.where(_norms(E)[:, None] > 0, _unit(E), 1.0)),
]

EPSILON = Mistake("epsilon", "a very short row came out shorter than length 1, as if a small number was added to "
                  "its length; divide by the length itself and leave only zero rows alone")


def _normalize_diagnose(case: Case, received: tuple, expected: tuple) -> Verdict | None:
    """Rows that point the right way but come out slightly short: an epsilon in the denominator."""
    (r,), (e,) = received, expected
    if r.shape != e.shape:
        return None
    r = _f(r)
    lengths = _norms(case.args["E"])
    with np.errstate(all="ignore"):
        got = _norms(r)
        cosine = np.sum(r * e, axis=1) / got
    live = lengths > 0
    short = live & (got < 1 - TOL.value)
    if short.any() and np.all(cosine[short] > 1 - 1e-9) and np.all(np.abs(got[live & ~short] - 1) <= 1e-6):
        implied = lengths[short] * (1 / got[short] - 1)
        return Verdict(False, describe_failure(
            case, f"{EPSILON.message} (about {float(np.max(implied)):.0e}): the row of length "
            f"{float(np.min(lengths[short])):.1e} came out with length {float(np.min(got[short])):.6g}"), "epsilon")
    return None


def _zero_error(case: Case, outcome: Outcome) -> Verdict | None:
    E = _f(next(iter(case.args.values())))
    if not outcome.kind and not outcome.error.startswith("NotImplementedError") and np.any(_norms(E) == 0):
        return Verdict(False, describe_failure(
            case, f"your code raised an error on a row of zeros ({outcome.error}); the rule is that a zero row "
            "gives zeros: test for a zero length before dividing"), "zero_error")
    return None


ZERO_ERROR = Mistake("zero_error", "your code raised an error on a row of zeros; a zero row gives zeros")

check_normalize_rows = register(Check(
    id="embeddings.normalize_rows",
    target="normalize_rows",
    summary="normalize_rows gives every row length 1 and keeps zero rows at zero, without changing E (tolerance 1e-6 "
            "relative to the largest entry)",
    make_cases=_normalize_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _unit, TOL.value, NORMALIZE_MISTAKES,
                                            what="normalize_rows(E)", diagnose=_normalize_diagnose,
                                            on_error=_zero_error),
    probe="call_unchanged",  # the prompt says: do not modify E
    tolerance=TOL,
    kind="value",
    mistakes=[*NORMALIZE_MISTAKES, EPSILON, ZERO_ERROR],
)).runner()


# ---------------------------------------------------------------------------------------
# similarity_matrix
# ---------------------------------------------------------------------------------------

def _cosines(E) -> np.ndarray:
    U = _unit(E)
    return U @ U.T


def _similarity_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(3, 6))
    n = d + int(rng.integers(2, 4))
    twins = _rows(rng, n, d)
    twins[1] = 3 * twins[0]
    return [
        Case("rows of very different lengths", {"E": _rows(rng, n, d)}),
        Case("fewer rows than columns", {"E": _rows(rng, d - 1, d + 2)}),
        Case("a row and a multiple of it", {"E": twins}),
        Case("a single row", {"E": _rows(rng, 1, d)}),
        Case("float32 rows, as a model returns them", {"E": _rows(rng, n, d).astype(np.float32)}),
        Case("an integer matrix", {"E": rng.integers(-4, 5, size=(n, d)) | 1}),
        Case("a row of zeros", {"E": _with_zero_rows(rng, _rows(rng, n, d))}),
    ]


def _zero_nan_cosines(E):
    n = _norms(E)
    return (_f(E) @ _f(E).T) / np.outer(np.where(n > 0, n, np.nan), np.where(n > 0, n, np.nan))


def _zero_diagonal_one(E):
    S = _cosines(E)
    np.fill_diagonal(S, 1.0)
    return S


SIMILARITY_MISTAKES = [
    Mistake("dot_product", "you returned the dot products E @ E.T of the rows as given; cosine similarity divides "
            "by both lengths (normalise the rows first), or long rows look more similar",
            lambda E: _f(E) @ _f(E).T),
    Mistake("wrong_axis", "you normalised the columns before multiplying; normalise each row (axis=1)",
            lambda E: (lambda C: C @ C.T)(_unit(_f(E).T).T)),
    Mistake("columns", "you compared the columns (E.T @ E); entry [i, j] compares row i with row j, so the result is "
            "(n, n) for n rows", lambda E: (lambda U: U.T @ U)(_unit(_f(E).T).T) if _f(E).shape[0] > 1 else
            np.empty((0, 0))),
    Mistake("distance", "you returned cosine distances 1 - cos; return the similarities", lambda E: 1 - _cosines(E)),
    Mistake("one_norm", "you divided entry [i, j] by the length of row i only; divide by both lengths, |E[i]| |E[j]|",
            lambda E: _no_zero(lambda X: (X @ X.T) / _norms(X)[:, None])(E)),
    Mistake("one_norm", "you divided entry [i, j] by the length of row j only; divide by both lengths, |E[i]| |E[j]|",
            lambda E: _no_zero(lambda X: (X @ X.T) / _norms(X)[None, :])(E)),
    Mistake("squared_norms", "you divided by the squared lengths; divide entry [i, j] by |E[i]| |E[j]|",
            lambda E: _no_zero(lambda X: (X @ X.T) / np.outer(_norms(X) ** 2, _norms(X) ** 2))(E)),
    Mistake("whole_matrix", "you divided by the length of the whole matrix; each entry is divided by the lengths of "
            "its own two rows", lambda E: (_f(E) @ _f(E).T) / max(float(np.sum(_f(E) ** 2)), 1e-300)),
    Mistake("euclidean", "you returned Euclidean distances between the rows; return cosine similarities",
            lambda E: np.sqrt(np.maximum(np.sum((_f(E)[:, None] - _f(E)[None]) ** 2, axis=-1), 0))),
    Mistake("zero_nan", "a row of zeros gave nan; the rule is that a zero row has similarity 0 with every row",
            _zero_nan_cosines),
    Mistake("zero_diagonal_one", "you put 1 on the diagonal for a row of zeros too; a zero row has no direction, so "
            "its similarity with every row, itself included, is 0", _zero_diagonal_one),
]

check_similarity_matrix = register(Check(
    id="embeddings.similarity_matrix",
    target="similarity_matrix",
    summary="similarity_matrix(E) is the (n, n) matrix of cosine similarities of the rows, 0 for a zero row "
            "(tolerance 1e-6 relative to the largest entry)",
    make_cases=_similarity_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _cosines, TOL.value, SIMILARITY_MISTAKES,
                                            what="similarity_matrix(E)", on_error=_zero_error),
    tolerance=TOL,
    kind="value",
    mistakes=[*SIMILARITY_MISTAKES, ZERO_ERROR],
)).runner()


# ---------------------------------------------------------------------------------------
# semantic_search
# ---------------------------------------------------------------------------------------

def _order(scores: np.ndarray) -> np.ndarray:
    """Indices by decreasing score, equal scores in increasing index order, -inf dropped."""
    order = np.argsort(-scores, kind="stable")
    return order[np.isfinite(scores[order])]


def _search_scores(query, corpus, exclude) -> np.ndarray:
    s = _unit(corpus) @ _unit(query)
    if exclude is not None:
        s[exclude] = -np.inf
    return s


def _without(scores: np.ndarray, exclude) -> np.ndarray:
    scores = np.array(scores, dtype=float)
    if exclude is not None:
        scores[exclude] = -np.inf
    return scores


def _search_alternatives(query, corpus, k, exclude) -> list[tuple[str, str, np.ndarray]]:
    q, X = _f(query), _f(corpus)
    s = _search_scores(q, X, exclude)
    valid = _order(s)
    alternatives = [
        ("ascending", "you returned the k most similar rows in ascending order; put the most similar first",
         valid[:k][::-1]),
        ("least_similar", "you returned the k least similar rows; the most similar have the largest cosine "
         "similarity (sort in decreasing order)", valid[::-1][:k]),
        ("skipped_first", "you left out the most similar row; only row `exclude` may be left out", valid[1:k + 1]),
        ("dot_product", "you ranked by the dot product with the query; cosine similarity divides by the lengths, "
         "or long rows win: normalise the query and the rows first", _order(_without(X @ q, exclude))),
        ("euclidean", "you ranked by Euclidean distance to the query; this search ranks by cosine similarity",
         _order(_without(-_norms(X - q), exclude))),
    ]
    zero = _norms(X) == 0
    if zero.any():
        message = ("a row of zeros got nan similarity (0 / 0), which sorts unpredictably; by the rule its cosine "
                   "similarity is 0")
        raw = _unit(X) @ _unit(q)
        alternatives += [("zero_nan", message, _order(_without(np.where(zero, -np.inf, raw), exclude))),
                         ("zero_nan", message, _order(_without(np.where(zero, 1e300, raw), exclude)))]
    return alternatives


def _distinct(query, corpus, k, exclude) -> bool:
    """Every catalogued wrong ranking picks other rows (or another order) than the right one
    and than each other."""
    s = _search_scores(query, corpus, exclude)
    right = set(_order(s)[:k].tolist())
    alternatives = _search_alternatives(query, corpus, k, exclude)
    picks = [tuple(_order(s)[:k])] + [tuple(r[:k]) for _, _, r in alternatives]
    other_sets = all(set(r[:k].tolist()) != right for name, _, r in alternatives if name != "ascending")
    return len(set(picks)) == len(picks) and other_sets and _spread(s)


def _search_case(rng, label, n, d, k, exclude=False, distinct=False, dtype=np.float64) -> Case:
    for _ in range(500):
        corpus = _rows(rng, n, d)
        if exclude:
            i = int(rng.integers(n))
            query = corpus[i].copy()
        else:
            i, query = None, rng.normal(size=d) * 10 ** rng.uniform(-1, 1)
        corpus, query = corpus.astype(dtype), query.astype(dtype)
        if not _spread(_search_scores(query, corpus, i)):
            continue
        if not distinct or _distinct(query, corpus, k, i):
            break
    return Case(label, {"query_vec": query, "corpus": corpus, "k": k, "exclude": i})


def _twin_case(rng, n, d) -> Case:
    """The query appears twice in the corpus: row i (excluded) and an identical row j < i."""
    for _ in range(500):
        corpus = _rows(rng, n, d)
        i = int(rng.integers(2, n))
        j = int(rng.integers(0, i))
        corpus[j] = corpus[i]
        scores = _search_scores(corpus[i], corpus, i)
        if _spread(scores):
            break
    return Case("the query is row `exclude` and an identical copy of it is another row",
                {"query_vec": corpus[i].copy(), "corpus": corpus, "k": 3, "exclude": i})


def _dyadic(rng, size: int, d: int = 8) -> np.ndarray:
    """Rows of four entries +-1 (length 2) times 1, 2 or 4: every cosine between such rows is a
    multiple of 1/4, computed exactly however it is computed, so equal cosines are exact ties."""
    X = np.zeros((size, d))
    for row in X:
        row[rng.choice(d, size=4, replace=False)] = rng.choice([-1.0, 1.0], size=4)
    return X * rng.choice([1.0, 2.0, 4.0], size=(size, 1))


def _tie_case(rng, n) -> Case:
    """Three rows with exactly the same cosine (a vector, a copy, twice the vector) at the top;
    k = 2 cuts the tie, so any two of the three are right."""
    for _ in range(500):
        q, base = _dyadic(rng, 2)
        others = _dyadic(rng, n - 3)
        corpus = np.concatenate([others, [base, 2 * base, base]])[rng.permutation(n)]
        s = _search_scores(q, corpus, None)
        if np.sum(s == np.max(s)) == 3 and np.max(s) > 0:
            break
    return Case("three rows tied for the top (a vector, its copy, twice it), k=2",
                {"query_vec": q, "corpus": corpus, "k": 2, "exclude": None})


def _zero_row_case(rng, n, d) -> Case:
    """Rows mostly opposite the query, two close to it, and a zero row whose 0.0 belongs in the top 3."""
    q = rng.normal(size=d)
    q = 2 * q / _norms(q)
    for _ in range(500):
        X = -q * rng.uniform(0.5, 2, size=(n, 1)) + 0.3 / np.sqrt(d) * rng.normal(size=(n, d))
        X[:2] = q * rng.uniform(0.5, 2, size=(2, 1)) + 0.3 / np.sqrt(d) * rng.normal(size=(2, d))
        X[int(rng.integers(2, n))] = 0.0
        X = X[rng.permutation(n)]
        if _spread(_search_scores(q, X, None)):
            break
    return Case("a row of zeros in the corpus (its similarity is 0)", {"query_vec": q, "corpus": X, "k": 3,
                                                                       "exclude": None})


def _search_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(4, 7))
    n = int(rng.integers(9, 13))
    return [
        _search_case(rng, "rows of very different lengths, k=3", n, d, 3, distinct=True),
        _search_case(rng, "the query is row `exclude` of the corpus, k=3", n, d, 3, exclude=True, distinct=True),
        _search_case(rng, "k=1", n, d, 1),
        _search_case(rng, "k equal to the number of rows", n, d, n),
        _search_case(rng, "the query is row `exclude`, k = every other row", n, d, n - 1, exclude=True),
        _twin_case(rng, n, d),
        _tie_case(rng, n),
        _zero_row_case(rng, n, d),
        _search_case(rng, "float32 query and corpus, as a model returns them", n, d, 4, dtype=np.float32),
    ]


SEARCH_MISTAKES = (
    Mistake("ascending", "you returned the k most similar rows in ascending order; put the most similar first"),
    Mistake("least_similar", "you returned the k least similar rows; sort by decreasing cosine similarity"),
    Mistake("skipped_first", "you left out the most similar row; only row `exclude` may be left out"),
    Mistake("dot_product", "you ranked by the dot product with the query; cosine similarity divides by the lengths"),
    Mistake("euclidean", "you ranked by Euclidean distance to the query; this search ranks by cosine similarity"),
    Mistake("zero_nan", "a row of zeros got nan similarity (0 / 0); by the rule its cosine similarity is 0"),
    Mistake("k_plus_one", "you returned k + 1 rows; return exactly k, leaving out row `exclude` when it is given"),
    Mistake("includes_excluded", "your results include row `exclude`, the query itself; leave it out"),
    Mistake("not_sorted", "you found the right rows but not in the right order; put the most similar first"),
    Mistake("scores_not_indices", "you returned the similarity scores; return the indices of the rows"),
    Mistake("ignored_k", "you returned a whole ranking; return only the first k"),
    Mistake("one_based", "your indices are one too large: Python counts from 0"),
)


def _indices(outcome: Outcome):
    value = outcome.value
    if isinstance(value, tuple) and all(np.ndim(v) == 0 for v in value):
        value = np.array(value)
    return value


def _judge_search_case(case: Case, outcome: Outcome) -> Verdict:
    query, corpus, k, exclude = case.args.values()
    what = "semantic_search(query_vec, corpus, k, exclude)"

    def fail(message, name):
        return Verdict(False, describe_failure(case, message), name)

    if outcome.error:
        return raised(case, outcome, what)
    scores = _search_scores(query, corpus, exclude)
    n = len(scores)
    right = _order(scores)[:k]
    value = _indices(outcome)
    if isinstance(value, (tuple, dict)):
        return fail(f"{what} should return one array of indices, not a {type(value).__name__}", "wrong_type")
    r = np.asarray(value)
    if r.dtype.kind == "f" and not np.all(np.isfinite(r) & (r == np.round(r))):
        finite = scores[np.isfinite(scores)]
        for target in (scores[right], np.sort(finite)[::-1], finite):
            if r.shape == target.shape and np.allclose(r, target, atol=1e-5):
                return fail(f"you returned the similarity scores {fmt(r)}; return the indices of the rows (integers), "
                            "most similar first", "scores_not_indices")
        return fail(f"{what} should contain integer indices, but it holds {fmt(r)}", "wrong_type")
    if r.dtype.kind not in "iuf":
        return fail(f"{what} should contain integer indices, got dtype {r.dtype}", "wrong_type")
    if r.ndim != 1:
        return fail(f"{what} should be a 1-D array of k={k} indices, got shape {r.shape}", "wrong_shape")
    r = r.astype(int)
    n_valid = n - (exclude is not None)
    twin = ""
    if exclude is not None and np.sum(np.all(_f(corpus) == _f(corpus)[exclude], axis=1)) > 1:
        twin = (" (another row is an identical copy of the query: leave out row `exclude` by its index, not the "
                "first result or every result of similarity 1)")
    if len(r) != k:
        if len(r) == k + 1:
            hint = (f"; the query is row exclude={exclude} of the corpus: leave that row out and still return k other "
                    "rows") if exclude is not None else ""
            return fail(f"you returned {len(r)} indices, k + 1; return exactly k={k}{hint}", "k_plus_one")
        if len(r) in (n, n_valid) and k < n_valid:
            return fail(f"you returned {len(r)} indices, a whole ranking; return only the first k={k}", "ignored_k")
        return fail(f"you returned {len(r)} indices; return exactly k={k}", "wrong_length")
    if np.array_equal(r - 1, right):
        return fail(f"your indices {fmt(r)} are one too large: Python counts from 0, so the first row is row 0",
                    "one_based")
    if np.any((r < 0) | (r >= n)):
        return fail(f"{what} holds indices outside 0..{n - 1}: {fmt(r)}", "out_of_range")
    if len(set(r.tolist())) != len(r):
        return fail(f"{what} repeats an index: {fmt(r)}; each row may appear once", "duplicates")
    if exclude is not None and exclude in r:
        return fail(f"your results {fmt(r)} include row exclude={exclude}, the query itself; leave it out and return "
                    f"the k={k} most similar other rows{twin}", "includes_excluded")
    got = scores[r]
    if np.array_equal(got, scores[right]):  # rows with exactly equal similarity in any order
        return Verdict.ok()
    detail = (f"\n  you returned rows {fmt(r)} with cosine similarities {fmt(got)}; expected rows {fmt(right)} with "
              f"cosine similarities {fmt(scores[right])} (rows with exactly equal similarity may come in any order)")
    for name, message, ranking in _search_alternatives(query, corpus, k, exclude):
        ranking = np.asarray(ranking[:k], dtype=int)
        if len(ranking) == k and not np.array_equal(scores[ranking], scores[right]) \
                and np.array_equal(got, scores[ranking]):
            return fail(message + (twin if name == "skipped_first" else "") + detail, name)
    if np.array_equal(np.sort(got), np.sort(scores[right])):
        return fail("you found the right rows but not in the right order; put the most similar first" + detail,
                    "not_sorted")
    return fail(f"{what} is wrong" + detail, "wrong_value")


check_semantic_search = register(Check(
    id="embeddings.semantic_search",
    target="semantic_search",
    summary="semantic_search returns the k rows most cosine-similar to the query, most similar first, row "
            "`exclude` left out",
    make_cases=_search_cases,
    judge=each_case(_judge_search_case),
    tolerance=EXACT,
    kind="ranking",
    mistakes=SEARCH_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# analogy
# ---------------------------------------------------------------------------------------

WORDS = ("apple", "river", "queen", "engine", "violin", "tiger", "winter", "doctor", "bread", "castle", "planet",
         "garden", "silver", "pilot", "ocean", "forest", "camera", "summer", "lemon", "thunder", "teacher", "bridge",
         "desert", "piano", "rocket", "harbor", "marble", "island", "farmer", "candle", "window", "valley", "singer",
         "mirror", "meadow", "falcon", "cotton", "village", "station", "glacier", "sailor", "pepper", "canyon",
         "lantern", "painter", "carpet", "orchard", "pebble", "wizard", "saddle", "tunnel", "spider", "blanket",
         "compass", "dolphin", "feather", "hammer", "jungle", "kettle", "ladder")


def _best(scores: np.ndarray, words, skip) -> str:
    """The word with the largest score, skipping ``skip``; the first in ``words`` among ties."""
    scores = np.array(scores, dtype=float)
    for i, w in enumerate(words):
        if w in skip:
            scores[i] = -np.inf
    top = np.max(scores)
    return words[int(np.flatnonzero(scores >= top - 1e-12 * max(1.0, abs(top)))[0])]


def _cos_to(V, t) -> np.ndarray:
    return _unit(V) @ _unit(t)


def _analogy_scores(a, b, c, words, vectors) -> np.ndarray:
    V = _f(vectors)
    at = {w: i for i, w in enumerate(words)}
    return _cos_to(V, V[at[b]] - V[at[a]] + V[at[c]])


def _analogy_ref(a, b, c, words, vectors) -> str:
    return _best(_analogy_scores(a, b, c, words, vectors), words, {a, b, c})


def _analogy_alternatives(a, b, c, words, vectors) -> list[tuple[str, str, str]]:
    V = _f(vectors)
    at = {w: i for i, w in enumerate(words)}
    va, vb, vc = V[at[a]], V[at[b]], V[at[c]]
    t = vb - va + vc
    skip = {a, b, c}
    U = _unit(V)
    signs = "you combined the vectors with the wrong signs; the answer to 'a is to b as c is to ?' is near " \
            "vocab[b] - vocab[a] + vocab[c]"
    return [
        ("returned_input", "your answer is one of the input words; leave a, b and c out of the candidates (they are "
         "often the closest words to b - a + c)", _best(_cos_to(V, t), words, set())),
        ("wrong_signs", signs, _best(_cos_to(V, va - vb + vc), words, skip)),
        ("wrong_signs", signs, _best(_cos_to(V, va + vb - vc), words, skip)),
        ("wrong_signs", signs, _best(_cos_to(V, vb - va - vc), words, skip)),
        ("dot_product", "you ranked the words by their dot product with b - a + c; rank by cosine similarity, or long "
         "vectors win", _best(V @ t, words, skip)),
        ("euclidean", "you took the word nearest to b - a + c in Euclidean distance; rank by cosine similarity",
         _best(-_norms(V - t), words, skip)),
        ("normalised_first", "you normalised the vectors before forming b - a + c; the rule is to use the vectors "
         "of vocab as given", _best(_cos_to(V, U[at[b]] - U[at[a]] + U[at[c]]), words, skip)),
        ("least_similar", "you returned the word least similar to b - a + c; take the largest cosine similarity",
         _best(-_cos_to(V, t), words, skip)),
        ("ignored_offset", "you returned the word closest to c alone; the offset b - a has to be added to c",
         _best(_cos_to(V, vc), words, skip)),
    ]


def _separates(a, b, c, words, V) -> bool:
    """Every catalogued wrong way gives another word than the right one, and the closest word
    of all is an input (so that forgetting to leave the inputs out shows)."""
    alternatives = _analogy_alternatives(a, b, c, words, V)
    others = {word for name, _, word in alternatives if name != "returned_input"}
    return alternatives[0][2] in (a, b, c) and _analogy_ref(a, b, c, words, V) not in others


def _separates_all(a, b, c, words, V) -> bool:
    """Also: different catalogued wrong ways give different words. A quick look in index space
    first, since most draws fail it."""
    at = {w: i for i, w in enumerate(words)}
    ia, ib, ic = at[a], at[b], at[c]
    X = _f(V)
    U = _unit(X)
    va, vb, vc = X[ia], X[ib], X[ic]
    t = vb - va + vc
    C = U @ _unit(np.stack([t, va - vb + vc, va + vb - vc, vb - va - vc, vc, U[ib] - U[ia] + U[ic]])).T
    if int(np.argmax(C[:, 0])) not in (ia, ib, ic):
        return False
    S = np.column_stack([C, X @ t, -_norms(X - t), -C[:, 0]])
    S[[ia, ib, ic]] = -np.inf
    best = S.argmax(axis=0)
    singles = [best[0], *best[4:]]
    if len(set(singles)) != len(singles) or set(best[1:4]) & set(singles):
        return False
    groups: dict[str, set[str]] = {}
    for name, _, word in _analogy_alternatives(a, b, c, words, V):
        groups.setdefault(name, set()).add(word)
    seen = [_analogy_ref(a, b, c, words, V)] + [w for g in groups.values() for w in sorted(g)]
    return len(set(seen)) == len(seen)


def _analogy_case(rng, label, n, d, unit=False, dtype=np.float64, distinct=None) -> Case:
    words = list(rng.choice(WORDS, size=n, replace=False))
    for _ in range(3000):
        V = rng.normal(size=(n, d)) * (1 if unit else _lengths(rng, n))
        if unit:
            V = _unit(V)
        V = V.astype(dtype)
        a, b, c = (str(w) for w in rng.choice(words, size=3, replace=False))
        if distinct is not None and not distinct(a, b, c, words, V):
            continue
        scores = _analogy_scores(a, b, c, words, V)
        if _spread(scores[[i for i, w in enumerate(words) if w not in (a, b, c)]]):
            break
    return Case(label, {"a": a, "b": b, "c": c, "words": [str(w) for w in words], "vectors": V})


def _analogy_tie_case(rng, n) -> Case:
    """Two words with the same vector are the best answer: either is right. Every candidate
    and b - a + c have small integer entries and lengths that are powers of 2, so every cosine
    is computed exactly however it is computed."""
    words = [str(w) for w in rng.choice(WORDS, size=n, replace=False)]
    for _ in range(500):
        V = _dyadic(rng, n)
        target, a_vec, c_vec = _dyadic(rng, 3)
        V[n - 3], V[n - 1], V[n - 2] = a_vec, c_vec, target + a_vec - c_vec
        scores = _cos_to(V, target)[: n - 3]
        best = np.flatnonzero(scores == np.max(scores))
        if len(best) == 1:
            V[rng.choice([i for i in range(n - 3) if i != best[0]])] = V[best[0]]
            break
    perm = rng.permutation(n)
    a, b, c = words[n - 3], words[n - 2], words[n - 1]
    return Case("two words share the best vector (either is right)",
                {"a": a, "b": b, "c": c, "words": [words[i] for i in perm], "vectors": V[perm]})


def _analogy_cases(rng: np.random.Generator) -> list[Case]:
    d = int(rng.integers(5, 9))
    return [
        _analogy_case(rng, "a vocabulary of vectors of very different lengths", 50, 8, distinct=_separates_all),
        _analogy_case(rng, "unit vectors, as the notebook passes them", 20, d, unit=True),
        _analogy_case(rng, "float32 unit vectors", 20, d, unit=True, dtype=np.float32),
        _analogy_tie_case(rng, 16),
        _analogy_case(rng, "a larger vocabulary", 60, 2 * d),
        _analogy_case(rng, "another vocabulary of vectors of very different lengths", 40, d, distinct=_separates),
    ]


ANALOGY_MISTAKES = (
    Mistake("returned_input", "your answer is one of the input words; leave a, b and c out of the candidates"),
    Mistake("wrong_signs", "you combined the vectors with the wrong signs; use vocab[b] - vocab[a] + vocab[c]"),
    Mistake("dot_product", "you ranked the words by their dot product with b - a + c; rank by cosine similarity"),
    Mistake("euclidean", "you took the word nearest to b - a + c in Euclidean distance; rank by cosine similarity"),
    Mistake("normalised_first", "you normalised the vectors before forming b - a + c; use the vectors as given"),
    Mistake("least_similar", "you returned the word least similar to b - a + c; take the largest cosine similarity"),
    Mistake("ignored_offset", "you returned the word closest to c alone; add the offset b - a to c"),
)


def _analogy_matches(case: Case, value) -> list[tuple[str, str]]:
    """The catalogued mistakes (name, message) that give ``value`` on this input."""
    return [(name, message) for name, message, answer in _analogy_alternatives(*case.args.values()) if answer == value]


def _judge_analogy_case(case: Case, outcome: Outcome, prefer: str | None = None) -> tuple[Verdict, set[str]]:
    """The verdict on one input, and the names of the catalogued mistakes that give the word
    returned (more than one when this input cannot tell them apart)."""
    a, b, c, words, vectors = case.args.values()
    what = "analogy(a, b, c, vocab)"
    shown = Case(case.label, {"a": a, "b": b, "c": c, "vocab": f"{len(words)} words of dimension {vectors.shape[1]}"})

    def fail(message, name, names=frozenset()):
        return Verdict(False, describe_failure(shown, message), name), set(names)

    if outcome.error:
        return raised(shown, outcome, what), set()
    value = outcome.value
    expected = _analogy_ref(a, b, c, words, vectors)
    if not isinstance(value, str):
        got = np.asarray(value) if not isinstance(value, (tuple, dict)) else None
        if got is not None and got.ndim == 1 and got.shape[0] == vectors.shape[1]:
            return fail("you returned a vector; return the word (a string), a key of vocab", "wrong_type")
        if got is not None and got.ndim == 0 and got.dtype.kind in "iu":
            return fail(f"you returned the number {got}; return the word (a string), a key of vocab", "wrong_type")
        return fail(f"{what} should return a word (a string), not a {outcome.kind or type(value).__name__}",
                    "wrong_type")
    if value not in words:
        return fail(f"you returned {value!r}, which is not a word of vocab", "wrong_value")
    scores = _analogy_scores(a, b, c, words, vectors)
    at = {w: i for i, w in enumerate(words)}
    if value == expected or (value not in (a, b, c) and scores[at[value]] == scores[at[expected]]):
        return Verdict.ok(), set()  # a word tied exactly with the best is right too
    detail = (f"\n  you returned {value!r} (cosine similarity {scores[at[value]]:.6g} with b - a + c); expected "
              f"{expected!r} (cosine similarity {scores[at[expected]]:.6g})")
    if value in (a, b, c):
        return fail(_analogy_alternatives(*case.args.values())[0][1] + detail, "returned_input")
    matches = _analogy_matches(case, value)
    if matches:
        name, message = next(((n, m) for n, m in matches if n == prefer), matches[0])
        return fail(message + detail, name, {n for n, _ in matches})
    return fail(f"{what} is wrong" + detail, "wrong_value")


def _judge_analogy(cases: list[Case], outcomes: list[Outcome]) -> Verdict:
    """The first failure; when the word it returned fits several catalogued mistakes, the one
    that also explains the words returned for every other input is named."""
    for i, (case, outcome) in enumerate(zip(cases, outcomes)):
        verdict, names = _judge_analogy_case(case, outcome)
        if verdict.passed:
            continue
        if len(names) > 1:
            for other, result in zip(cases, outcomes):
                if isinstance(result.value, str) and not result.error:
                    fits = {n for n, _ in _analogy_matches(other, result.value)}
                    names = names & fits if names & fits else names
            if names:
                preferred = next(n for n, _ in _analogy_matches(case, outcome.value) if n in names)
                verdict, _ = _judge_analogy_case(case, outcome, prefer=preferred)
        return verdict
    return Verdict.ok(f"all {len(cases)} inputs correct")


check_analogy = register(Check(
    id="embeddings.analogy",
    target="analogy",
    summary="analogy(a, b, c, vocab) returns the word other than a, b, c most cosine-similar to b - a + c",
    make_cases=_analogy_cases,
    judge=_judge_analogy,
    probe="call_vocab",
    tolerance=EXACT,
    kind="ranking",
    mistakes=ANALOGY_MISTAKES,
)).runner()
