"""Hidden checks for 17-attention: stable softmax, causal mask, scaled dot-product attention,
multi-head attention.

Conventions the prompts state and these checks enforce:

* ``softmax(x, axis=-1)`` normalises along ``axis`` (numpy in, any numeric array out) and
  must survive logits of size 1e4;
* ``causal_mask(n)`` is a boolean (n, n) array with True = MAY ATTEND (keep): position i
  sees positions 0..i. The same convention as ``torch.nn.functional.scaled_dot_product_attention``;
* ``scaled_dot_product_attention(Q, K, V, mask=None)`` takes numpy arrays of shapes
  (..., n_q, d_k), (..., n_k, d_k), (..., n_k, d_v), an optional boolean mask broadcastable
  to (..., n_q, n_k), and returns ``(output (..., n_q, d_v), weights (..., n_q, n_k))``;
  softmax runs over the LAST axis (the keys); a query whose keys are all blocked gets
  weights 0 and an output row of 0 (never nan);
* ``multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads)`` takes torch float32 tensors,
  X (..., n, d) and weights (d, d) applied as ``X @ W``; heads are split
  (n, d) -> (n, h, d/h) -> (h, n, d/h), each scaled by sqrt(d/h), merged back by the
  inverse, then ``@ Wo``. Returns ``(output (..., n, d), weights (..., h, n, n))``.

Errors are scale-relative (``max|yours - expected| <= tol * max|expected|``, see pca.py).
"""

from __future__ import annotations

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, inputs, register
from autograder.checks._kit.compare import Part, describe_failure, judge_all, scaled_error
from autograder.harness.probes import Outcome

ATTENTION_TOL = 1e-6  # numpy exercises, float64
MHA_TOL = 1e-4  # torch float32 exercise



TOL = Tolerance(ATTENTION_TOL, "scale", floor=1e-8)
NOT_BOOLEAN = Mistake("not_boolean", "your mask has the right pattern but is not boolean; return a bool array "
                      "(e.g. np.tril(np.ones((n, n), dtype=bool))) so that it can select with np.where")
BATCHED_FAILS = Mistake("batched_fails", "your function works on one sequence but raised an error on a batch; write "
                        "it for any number of leading axes")


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


# ---------------------------------------------------------------------------------------
# softmax
# ---------------------------------------------------------------------------------------

def _softmax_ref(x, axis=-1):
    x = _f64(x)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(3, 7))
    m = int(rng.integers(3, 7))
    big_rows = np.stack([1e4 + 5 * rng.normal(size=m), -1e4 + 5 * rng.normal(size=m)])
    return [
        Case("square logits, axis=-1", {"x": 3 * rng.normal(size=(n, n)), "axis": -1}),
        Case("logits, axis=0", {"x": 3 * rng.normal(size=(n, m + 1)), "axis": 0}),
        Case("3-D logits, axis=1", {"x": 3 * rng.normal(size=(2, n, m)), "axis": 1}),
        Case("1-D logits", {"x": 3 * rng.normal(size=m), "axis": -1}),
        Case("logits around 1e4", {"x": 1e4 + 5 * rng.normal(size=(n, m)), "axis": -1}),
        Case("logits around -1e4", {"x": -1e4 + 5 * rng.normal(size=(n, m)), "axis": -1}),
        Case("one row around +1e4, one around -1e4", {"x": big_rows, "axis": -1}),
        Case("equal logits", {"x": np.full((2, m), 0.7), "axis": -1}),
        Case("logits spanning 2000 within each row", {"x": inputs.extreme_spread(rng, (n, m)), "axis": -1}),
    ]


def _exp_over(x, axis, shift):
    e = np.exp(_f64(x) - shift)
    return e / e.sum(axis=axis, keepdims=True)


def _keepdims_forgotten(x, axis=-1):
    x = _f64(x)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis)


def _logsumexp(x, axis):
    x = _f64(x)
    m = x.max(axis=axis, keepdims=True)
    return m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def _softmax_on_error(case: Case, outcome: Outcome) -> Verdict | None:
    if "broadcast" in (outcome.error or ""):
        return Verdict(False, describe_failure(
            case, f"your code raised an error: {outcome.error}; the sums along the axis must keep that axis "
            "(keepdims=True) so that they broadcast against x"), "keepdims")
    return None


UNSTABLE_LOGITS = ("your softmax overflows on large logits (exp(1e4) is inf, and inf / inf is nan; exp(-1e4) "
                   "is 0, and 0 / 0 is nan): subtract the maximum along the axis before exponentiating")

SOFTMAX_MISTAKES = [
    Mistake("unstable_softmax", UNSTABLE_LOGITS, lambda x, axis=-1: _exp_over(x, axis, 0.0)),
    Mistake("global_max", "you subtracted the maximum of the whole array; subtract each slice's own maximum "
            "(x.max(axis=axis, keepdims=True)), or slices far below it underflow to 0 / 0",
            lambda x, axis=-1: _exp_over(x, axis, _f64(x).max())),
    Mistake("ignores_axis", "your function ignores its axis argument: it normalised along the last axis",
            lambda x, axis=-1: _softmax_ref(x, -1)),
    Mistake("wrong_axis", "you normalised along axis 0 whatever the axis argument; use the axis you are given",
            lambda x, axis=-1: _softmax_ref(x, 0)),
    Mistake("global_sum", "you divided by the sum over the whole array; each slice along the axis must sum to 1",
            lambda x, axis=-1: np.exp(_f64(x) - _f64(x).max()) / np.exp(_f64(x) - _f64(x).max()).sum()),
    Mistake("keepdims", "you summed without keepdims=True, so the sums broadcast against the wrong axis; "
            "keep the reduced axis", _keepdims_forgotten),
    Mistake("max_in_numerator_only", "you subtracted the maximum in the numerator only; subtract it before "
            "exponentiating and use the same shifted exponentials in the sum",
            lambda x, axis=-1: np.exp(_f64(x) - _f64(x).max(axis=axis, keepdims=True))
            / np.exp(_f64(x)).sum(axis=axis, keepdims=True)),
    Mistake("log_softmax", "you returned log-probabilities (x - logsumexp(x)); softmax returns their exponential",
            lambda x, axis=-1: _f64(x) - _logsumexp(x, axis)),
    Mistake("no_exp", "you divided the logits by their sum without exponentiating; softmax is exp(x) / sum(exp(x))",
            lambda x, axis=-1: _f64(x) / _f64(x).sum(axis=axis, keepdims=True)),
    Mistake("sigmoid", "you applied the sigmoid to each entry; softmax normalises exp(x) along the axis so each "
            "slice sums to 1", lambda x, axis=-1: 1.0 / (1.0 + np.exp(-_f64(x)))),
]


def _large(case: Case, limit: float = 50.0) -> bool:
    """Whether an input is large enough for exp to overflow somewhere (logits, or Q and K
    whose scores reach about 1e4)."""
    return any(isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.size and np.max(np.abs(v)) > limit
               for v in case.args.values())


def _diagnose_nonfinite(name: str, message: str):
    """A catch-all for overflow on large inputs that the computed mistakes missed."""

    def diagnose(case: Case, received: tuple, expected: tuple) -> Verdict | None:
        if _large(case):
            if any(not np.all(np.isfinite(r)) for r in received) and all(np.all(np.isfinite(e)) for e in expected):
                return Verdict(False, describe_failure(case, message), name)
        return None

    return diagnose


check_softmax = register(Check(
    id="attention.softmax",
    target="softmax",
    summary=f"softmax(x, axis) is right along any axis and stable for logits of 1e4 (tolerance "
            f"{ATTENTION_TOL:.0e} relative to the largest entry)",
    make_cases=_softmax_cases,
    judge=lambda cases, outcomes: judge_all(
        cases, outcomes, _softmax_ref, ATTENTION_TOL, SOFTMAX_MISTAKES, what="softmax(x, axis)",
        on_error=_softmax_on_error,
        diagnose=_diagnose_nonfinite("unstable_softmax", UNSTABLE_LOGITS)),
    forbidden=scratch.LIBRARY_SOFTMAX,
    watch=scratch.WATCH_TORCH_SOFTMAX,
    tolerance=TOL,
    kind="value",
    mistakes=[*SOFTMAX_MISTAKES, Mistake("unstable_softmax", UNSTABLE_LOGITS)],
)).runner()


# ---------------------------------------------------------------------------------------
# causal_mask
# ---------------------------------------------------------------------------------------

def _causal_cases(rng: np.random.Generator) -> list[Case]:
    return [
        Case("a random length", {"n": int(rng.integers(4, 9))}),
        Case("length 1", {"n": 1}),
        Case("length 2", {"n": 2}),
        Case("a longer sequence", {"n": int(rng.integers(12, 20))}),
    ]


def _tril(n, k=0):
    return np.tril(np.ones((n, n), dtype=bool), k)


CAUSAL_MISTAKES = [
    Mistake("upper_triangle", "your mask is True above the diagonal, which lets each position see the future; "
            "position i may attend to positions 0..i (the lower triangle)", lambda n: _tril(n).T),
    Mistake("inverted", "you marked the BLOCKED positions True; this exercise's convention is True = may attend "
            "(keep), so position i has True in columns 0..i", lambda n: ~_tril(n)),
    Mistake("diagonal_blocked", "you blocked the diagonal; a position may attend to itself (use np.tril, k=0)",
            lambda n: _tril(n, -1)),
    Mistake("one_ahead", "your mask lets each position see one future position; use k=0, not k=1",
            lambda n: _tril(n, 1)),
    Mistake("all_allowed", "your mask allows every position; a causal mask blocks the future (above the "
            "diagonal)", lambda n: np.ones((n, n), dtype=bool)),
    Mistake("additive", "you returned an additive mask (0 where allowed, -inf or a large negative number where "
            "blocked); this exercise asks for a boolean mask, True = may attend",
            lambda n: np.where(_tril(n), 0.0, -np.inf)),
    Mistake("additive", "you returned an additive mask (0 where allowed, a large negative number where "
            "blocked); this exercise asks for a boolean mask, True = may attend",
            lambda n: np.where(_tril(n), 0.0, -1e9)),
]

check_causal_mask = register(Check(
    id="attention.causal_mask",
    target="causal_mask",
    summary="causal_mask(n) is the boolean (n, n) lower triangle, True = may attend",
    make_cases=_causal_cases,
    judge=lambda cases, outcomes: judge_all(
        cases, outcomes, _tril, 0.0, CAUSAL_MISTAKES, what="causal_mask(n)", dtype_kind="b",
        dtype_mistake=(NOT_BOOLEAN.name, NOT_BOOLEAN.message)),
    tolerance=Tolerance(0.0, "exact", floor=0.0),
    kind="value",
    mistakes=[*CAUSAL_MISTAKES, NOT_BOOLEAN],
)).runner()


# ---------------------------------------------------------------------------------------
# scaled_dot_product_attention
# ---------------------------------------------------------------------------------------

def _swap(a):
    return np.swapaxes(a, -1, -2)


def _attend(Q, K, V, mask=None, scale=None, axis=-1, swap_qk=False, fill=-np.inf,
            masked_rows="zero", after=False, shift=True, no_softmax=False, invert=False):
    """The reference, and with one switch flipped, a catalogued mistake."""
    Q, K, V = _f64(Q), _f64(K), _f64(V)
    d_k = Q.shape[-1]
    scale = np.sqrt(d_k) if scale is None else scale
    scores = (K @ _swap(Q) if swap_qk else Q @ _swap(K)) / scale
    if mask is not None and invert:
        mask = ~np.asarray(mask, dtype=bool)
    if no_softmax:
        w = np.where(mask, scores, fill) if mask is not None else scores
        return w @ V, w
    if mask is not None and not after:
        if fill == "additive":  # scores + (0 where kept, -1e9 where blocked)
            scores = scores + np.where(mask, 0.0, -1e9)
        else:
            scores = np.where(mask, scores, fill)
    if shift:
        m = scores.max(axis=axis, keepdims=True)
        if masked_rows == "zero":
            m = np.where(np.isfinite(m), m, 0.0)
        e = np.exp(scores - m)
    else:
        e = np.exp(scores)
    s = e.sum(axis=axis, keepdims=True)
    if masked_rows == "zero":
        w = np.divide(e, s, out=np.zeros_like(e), where=s > 0)
    else:
        w = e / s
    if mask is not None and after:
        w = w * mask
    return w @ V, w


def _sdpa_ref(Q, K, V, mask=None):
    return _attend(Q, K, V, mask)


def _random_mask(rng, shape):
    mask = rng.random(shape) < 0.6
    idx = rng.integers(0, shape[-1], size=shape[:-1])
    np.put_along_axis(mask, idx[..., None], True, axis=-1)  # every query keeps at least one key
    return mask


def _sdpa_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(4, 7))
    d_k = int(rng.integers(3, 6))
    d_v = d_k + 1
    b = d_k + 2  # K.T on a batch then fails loudly instead of silently
    n_q, n_k = n, n + 2
    normal = rng.normal
    masked = _random_mask(rng, (n, n))
    masked[int(rng.integers(0, n))] = False
    return [
        Case("one sequence, no mask", {"Q": normal(size=(n, d_k)), "K": normal(size=(n, d_k)),
                                       "V": normal(size=(n, d_v)), "mask": None}),
        Case("one sequence, causal mask", {"Q": normal(size=(n, d_k)), "K": normal(size=(n, d_k)),
                                           "V": normal(size=(n, d_v)), "mask": _tril(n)}),
        Case("cross-attention (n_q != n_k), random mask", {
            "Q": normal(size=(n_q, d_k)), "K": normal(size=(n_k, d_k)), "V": normal(size=(n_k, d_v)),
            "mask": _random_mask(rng, (n_q, n_k))}),
        Case("batched (b, n, d), one shared causal mask", {
            "Q": normal(size=(b, n, d_k)), "K": normal(size=(b, n, d_k)), "V": normal(size=(b, n, d_v)),
            "mask": _tril(n)}),
        Case("batched, a mask per batch item", {
            "Q": normal(size=(b, n_q, d_k)), "K": normal(size=(b, n_k, d_k)), "V": normal(size=(b, n_k, d_v)),
            "mask": _random_mask(rng, (b, n_q, n_k))}),
        Case("batched over two leading axes (2, 3, n, d)", {
            "Q": normal(size=(2, 3, n, d_k)), "K": normal(size=(2, 3, n, d_k)), "V": normal(size=(2, 3, n, d_v)),
            "mask": None}),
        Case("large scores (about 1e4)", {"Q": 100 * normal(size=(n, d_k)), "K": 100 * normal(size=(n, d_k)),
                                          "V": normal(size=(n, d_v)), "mask": None}),
        Case("a query whose keys are all masked", {"Q": normal(size=(n, d_k)), "K": normal(size=(n, d_k)),
                                                   "V": normal(size=(n, d_v)), "mask": masked}),
    ]


SDPA_PARTS = [Part("output"), Part("weights")]
UNSTABLE_SCORES = ("your softmax overflows on large scores (exp(1e4) is inf and inf / inf is nan): subtract each "
                   "row's maximum score before exponentiating")

SDPA_MISTAKES = [
    Mistake("no_scaling", "you did not divide the scores by sqrt(d_k); without it, large d_k pushes the "
            "softmax towards one-hot", lambda Q, K, V, mask=None: _attend(Q, K, V, mask, scale=1.0)),
    Mistake("scaled_by_dk", "you divided the scores by d_k; the scale is sqrt(d_k)",
            lambda Q, K, V, mask=None: _attend(Q, K, V, mask, scale=float(np.shape(Q)[-1]))),
    Mistake("softmax_axis", "your softmax runs over the queries (axis -2), so columns sum to 1; it must run over "
            "the keys, the LAST axis, so that each query's weights sum to 1",
            lambda Q, K, V, mask=None: _attend(Q, K, V, mask, axis=-2)),
    Mistake("keys_queries_swapped", "you computed K @ Q.T (keys and queries swapped), so weights[i, j] scores key "
            "i against query j; the scores are Q @ K.T, one row per query",
            lambda Q, K, V, mask=None: _attend(Q, K, V, mask, swap_qk=True)),
    Mistake("no_softmax", "your weights are the raw scaled scores; apply the softmax over the keys so each "
            "query's weights are positive and sum to 1",
            lambda Q, K, V, mask=None: _attend(Q, K, V, mask, no_softmax=True)),
    Mistake("mask_after_softmax", "you applied the mask after the softmax, so the remaining weights no longer sum "
            "to 1; mask the scores (set blocked ones to -inf) BEFORE the softmax",
            lambda Q, K, V, mask=None: _attend(Q, K, V, mask, after=True)),
    Mistake("mask_inverted", "your mask has the wrong sign: you blocked the positions marked True; in this "
            "exercise True = may attend (keep) and False = blocked",
            lambda Q, K, V, mask=None: _attend(Q, K, V, mask, invert=True)),
    Mistake("mask_inverted", "your mask has the wrong sign: you blocked the positions marked True; in this "
            "exercise True = may attend (keep) and False = blocked",
            lambda Q, K, V, mask=None: _attend(Q, K, V, mask, invert=True, masked_rows="nan")),
    Mistake("masked_row_nan", "a query whose keys are all masked gives nan; this exercise defines its weights as "
            "0 and its output row as 0 (e.g. replace a -inf row maximum by 0, or zero those rows afterwards)",
            lambda Q, K, V, mask=None: _attend(Q, K, V, mask, masked_rows="nan")),
    Mistake("masked_row_uniform", "a query whose keys are all masked should get weights 0 and output 0; yours "
            "spread its weight evenly over the blocked keys (a finite fill value such as -1e9 does that)",
            lambda Q, K, V, mask=None: _attend(Q, K, V, mask, fill=-1e9)),
    Mistake("masked_row_unmasked", "a query whose keys are all masked should get weights 0 and output 0; yours "
            "attends as if nothing were masked (adding -1e9 to every score of a row changes nothing once the row "
            "maximum is subtracted)", lambda Q, K, V, mask=None: _attend(Q, K, V, mask, fill="additive")),
    # after the masked-row mistakes: on a fully masked row an unstable softmax also gives nan
    Mistake("unstable_softmax", UNSTABLE_SCORES,
            lambda Q, K, V, mask=None: _attend(Q, K, V, mask, shift=False, masked_rows="nan")),
]


def _diagnose_sdpa(case: Case, received: tuple, expected: tuple) -> Verdict | None:
    out, w = received
    ref_out, ref_w = expected
    if (out.shape == ref_w.shape and w.shape == ref_out.shape and scaled_error(out, ref_w) <= ATTENTION_TOL
            and scaled_error(w, ref_out) <= ATTENTION_TOL):
        return Verdict(False, describe_failure(
            case, "you returned (weights, output); return (output, weights) in that order"), "tuple_order")
    return _diagnose_nonfinite("unstable_softmax", UNSTABLE_SCORES)(case, received, expected)


def _batched(case: Case) -> bool:
    """Whether the queries carry leading batch axes (more than (n, d))."""
    first = next(iter(case.args.values()))
    return np.ndim(first) > 2


def _batched_on_error(case: Case, outcome: Outcome) -> Verdict | None:
    if _batched(case) and not outcome.kind:
        return Verdict(False, describe_failure(
            case, f"your function works on one sequence but raised an error on a batch: {outcome.error}; write it "
            "for any number of leading axes: read n and d from the last two axes (X.shape[-2:]), transpose only "
            "the last two axes (np.swapaxes(K, -1, -2) or K.transpose(-2, -1); K.T reverses every axis) and "
            "reduce with axis=-1"), "batched_fails")
    return None


check_scaled_dot_product_attention = register(Check(
    id="attention.scaled_dot_product_attention",
    target="scaled_dot_product_attention",
    summary=f"scaled_dot_product_attention returns (output, weights) for single and batched inputs, masks, "
            f"fully masked rows and large scores (tolerance {ATTENTION_TOL:.0e} relative to the largest entry)",
    make_cases=_sdpa_cases,
    judge=lambda cases, outcomes: judge_all(
        cases, outcomes, _sdpa_ref, ATTENTION_TOL, SDPA_MISTAKES, what="scaled_dot_product_attention(Q, K, V, mask)",
        parts=SDPA_PARTS, diagnose=_diagnose_sdpa, on_error=_batched_on_error),
    forbidden=scratch.TORCH_ATTENTION,
    watch=scratch.WATCH_TORCH_ATTENTION,
    tolerance=TOL,
    kind="parts",
    mistakes=[*SDPA_MISTAKES, Mistake("unstable_softmax", UNSTABLE_SCORES), BATCHED_FAILS,
              Mistake("tuple_order", "you returned (weights, output); return (output, weights) in that order")],
)).runner()


# ---------------------------------------------------------------------------------------
# multi_head_attention (torch)
# ---------------------------------------------------------------------------------------

def _heads(T, h, order="right"):
    """(..., n, d) -> (..., h, n, d/h)."""
    *lead, n, d = T.shape
    if order == "right":
        return np.swapaxes(T.reshape(*lead, n, h, d // h), -3, -2)
    if order == "direct":
        return T.reshape(*lead, h, n, d // h)
    return np.moveaxis(T.reshape(*lead, n, d // h, h), -1, -3)  # "interleaved"


def _merge(T, order="right"):
    """(..., h, n, d/h) -> (..., n, d)."""
    *lead, h, n, dh = T.shape
    if order == "right":
        return np.swapaxes(T, -3, -2).reshape(*lead, n, h * dh)
    if order == "direct":
        return T.reshape(*lead, n, h * dh)
    return np.moveaxis(T, -3, -1).reshape(*lead, n, h * dh)  # "interleaved"


def _mha(X, Wq, Wk, Wv, Wo, n_heads, split="right", merge="right", scale=None, transpose_w=False,
         project=True, **attend):
    X = _f64(X)
    Ws = [_f64(W).T if transpose_w else _f64(W) for W in (Wq, Wk, Wv, Wo)]
    d = X.shape[-1]
    Q, K, V = (_heads(X @ W, n_heads, split) for W in Ws[:3])
    scale = np.sqrt(d // n_heads) if scale is None else scale
    out, w = _attend(Q, K, V, scale=scale, **attend)
    merged = _merge(out, merge)
    return (merged @ Ws[3] if project else merged), w


def _mha_ref(X, Wq, Wk, Wv, Wo, n_heads):
    return _mha(X, Wq, Wk, Wv, Wo, n_heads)


def _f32(a):
    return a.astype(np.float32).astype(np.float64)  # exactly what the torch probe hands over


def _mha_cases(rng: np.random.Generator) -> list[Case]:
    def case(label, lead, n, h, dh):
        d = h * dh
        args = {"X": _f32(rng.normal(size=(*lead, n, d)))}
        for name in ("Wq", "Wk", "Wv", "Wo"):
            args[name] = _f32(rng.normal(size=(d, d)) / np.sqrt(d) * 1.5)
        args["n_heads"] = h
        return Case(label + " [as float32 tensors]", args)

    n = int(rng.integers(4, 7))
    return [
        case("one sequence (n, d), 2 heads", (), n, 2, int(rng.integers(2, 5))),
        case("one sequence, 4 heads", (), n + 1, 4, int(rng.integers(2, 4))),
        case("a batch (b, n, d), 3 heads", (2,), n, 3, int(rng.integers(2, 4))),
        case("one head", (), n, 1, int(rng.integers(3, 6))),
        case("head size 1 (as many heads as features)", (3,), n, 4, 1),
    ]


MHA_PARTS = [Part("output"), Part("weights")]

MHA_MISTAKES = [
    Mistake("split_order", "you split the heads in the wrong order: reshaping (n, d) straight to (h, n, d/h) mixes "
            "positions across heads; reshape to (n, h, d/h) first, then move the head axis forward "
            "(transpose to (h, n, d/h))",
            lambda X, Wq, Wk, Wv, Wo, h: _mha(X, Wq, Wk, Wv, Wo, h, split="direct", merge="direct")),
    Mistake("merge_order", "your heads are right but you merged them in the wrong order: (h, n, d/h) must be "
            "transposed back to (n, h, d/h) before reshaping to (n, d)",
            lambda X, Wq, Wk, Wv, Wo, h: _mha(X, Wq, Wk, Wv, Wo, h, merge="direct")),
    Mistake("interleaved_heads", "your heads take every h-th feature (reshape to (n, d/h, h)); head j owns the "
            "contiguous block of features j*d/h .. (j+1)*d/h - 1, so reshape to (n, h, d/h)",
            lambda X, Wq, Wk, Wv, Wo, h: _mha(X, Wq, Wk, Wv, Wo, h, split="interleaved", merge="interleaved")),
    Mistake("scaled_by_sqrt_d", "you scaled the scores by sqrt(d), the full model width; each head scales by "
            "sqrt(d / n_heads), its own key size",
            lambda X, Wq, Wk, Wv, Wo, h: _mha(X, Wq, Wk, Wv, Wo, h, scale=np.sqrt(np.shape(X)[-1]))),
    Mistake("no_scaling", "you did not scale the scores; divide them by sqrt(d / n_heads)",
            lambda X, Wq, Wk, Wv, Wo, h: _mha(X, Wq, Wk, Wv, Wo, h, scale=1.0)),
    Mistake("no_output_projection", "your weights are right but the output misses the final projection: "
            "multiply the merged heads by Wo", lambda X, Wq, Wk, Wv, Wo, h: _mha(X, Wq, Wk, Wv, Wo, h, project=False)),
    Mistake("weights_transposed", "you applied the weight matrices as X @ W.T (nn.Linear's convention); this "
            "exercise applies them as X @ W",
            lambda X, Wq, Wk, Wv, Wo, h: _mha(X, Wq, Wk, Wv, Wo, h, transpose_w=True)),
    Mistake("keys_queries_swapped", "you computed K @ Q.T (keys and queries swapped); the scores are Q @ K.T, one "
            "row per query", lambda X, Wq, Wk, Wv, Wo, h: _mha(X, Wq, Wk, Wv, Wo, h, swap_qk=True)),
    Mistake("softmax_axis", "your softmax runs over the queries (axis -2); it must run over the keys, the last axis",
            lambda X, Wq, Wk, Wv, Wo, h: _mha(X, Wq, Wk, Wv, Wo, h, axis=-2)),
]

check_multi_head_attention = register(Check(
    id="attention.multi_head_attention",
    target="multi_head_attention",
    summary=f"multi_head_attention returns (output, weights) on torch float32 input, single and batched "
            f"(tolerance {MHA_TOL:.0e} relative to the largest entry)",
    make_cases=_mha_cases,
    judge=lambda cases, outcomes: judge_all(
        cases, outcomes, _mha_ref, MHA_TOL, MHA_MISTAKES, what="multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads)",
        parts=MHA_PARTS, on_error=_batched_on_error),
    probe="call_torch",
    forbidden=scratch.TORCH_ATTENTION,
    watch=scratch.WATCH_TORCH_ATTENTION,
    tolerance=Tolerance(MHA_TOL, "scale", floor=1e-8),
    kind="parts",
    mistakes=[*MHA_MISTAKES, BATCHED_FAILS],
)).runner()
