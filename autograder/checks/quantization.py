"""Hidden checks for 20-quantization: symmetric and asymmetric quantization, dequantization,
per-channel scales and the relative Frobenius error.

Conventions the prompts state and these checks enforce:

* symmetric, ``bits`` b in 2..8: qmax = 2**(b-1) - 1 (127 for INT8, 7 for INT4),
  ``scale = max|x| / qmax`` (or ``max_abs / qmax`` when a range is given),
  ``q = clip(round(x / scale), -qmax, qmax)``;
* asymmetric: the range [lo, hi] = [min(x, 0), max(x, 0)] always contains 0,
  ``scale = (hi - lo) / (2**b - 1)``, ``zero_point = round(-lo / scale)`` (a whole number in
  0..2**b - 1), ``q = clip(round(x / scale) + zero_point, 0, 2**b - 1)``;
* rounding is half to even (``np.round``, ``np.rint``, ``torch.round``); exact ties are tested;
* ``q`` has an integer dtype; an all-zero tensor (or row, per channel) gets scale 1.0, codes 0;
* per channel: one scale per output channel = per ROW of the (out, in) weight, shape (m, 1);
* ``dequantize(q, scale, zero_point=0) = (q - zero_point) * scale`` in floating point;
* ``quantization_error`` is ||W - dequantized||_F / ||W||_F (0.0 for an all-zero W).

Codes are compared exactly, except that where x / scale lies within 1e-6 (relative) of a
half-way point, but not exactly on it, either neighbour is accepted: float32 arithmetic may
land on either side. Scales are compared within 1e-6 relative.
"""

from __future__ import annotations

import numpy as np

from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, each_case, register
from autograder.checks._kit.compare import describe_failure, difference, fmt, judge_all, raised, rel_error

TOL = Tolerance(1e-6, "relative", floor=1e-12)       # scales, and the window around a tie
DEQ_TOL = Tolerance(1e-6, "scale", floor=1e-12)
ERR_TOL = Tolerance(1e-4, "scale", floor=1e-12)   # an error measured from float32 weights


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _qmax(bits: int) -> int:
    return 2 ** (bits - 1) - 1


def _levels(bits: int) -> int:
    return 2 ** bits - 1


def _safe(scale):
    """Scale 1.0 where the range is 0 (an all-zero tensor or row)."""
    scale = _f64(scale)
    return np.where(scale > 0, scale, 1.0)


def _ints(q) -> np.ndarray:
    return np.asarray(q).astype(np.int64)


# ---------------------------------------------------------------------------------------
# reference answers
# ---------------------------------------------------------------------------------------

def _sym(x, bits, max_abs=None, *, top=None, div=None, rounder=np.round, lo=None, hi=None):
    """Symmetric quantization with each ingredient replaceable (the reference uses the defaults)."""
    x = _f64(x)
    qmax = _qmax(bits)
    m = (np.max(np.abs(x)) if top is None else top(x)) if max_abs is None else float(max_abs)
    scale = float(_safe(m / (qmax if div is None else div(bits))))
    q = rounder(x / scale)
    q = np.clip(q, -qmax if lo is None else lo, qmax if hi is None else hi)
    return _ints(q), scale


def _sym_ref(x, bits, max_abs=None):
    return _sym(x, bits, max_abs)


def _asym_range(x):
    x = _f64(x)
    return min(float(x.min()), 0.0), max(float(x.max()), 0.0)


def _asym(x, bits, *, levels=None, rng=_asym_range, zp_rule=None, rounder=np.round, codes=None):
    x = _f64(x)
    top = _levels(bits)
    lo, hi = rng(x)
    scale = float(_safe((hi - lo) / (top if levels is None else levels(bits))))
    zp = int(np.round(-lo / scale)) if zp_rule is None else zp_rule(lo, hi, scale, bits)
    q = np.clip(rounder(x / scale) + zp, *((0, top) if codes is None else codes(bits)))
    return _ints(q), scale, zp


def _asym_ref(x, bits):
    return _asym(x, bits)


def _per_channel(W, bits, *, axis=1, top=None, div=None, rounder=np.round, one=False, lo=None):
    W = _f64(W)
    qmax = _qmax(bits)
    if one:
        m = np.full((W.shape[0], 1), np.max(np.abs(W)))
    elif top is not None:
        m = top(W)
    else:
        m = np.max(np.abs(W), axis=axis, keepdims=True)
    scales = _safe(m / (qmax if div is None else div(bits)))
    q = np.clip(rounder(W / scales), -qmax if lo is None else lo, qmax)
    return _ints(q), scales.reshape(-1, 1) if axis == 0 else scales


def _per_channel_ref(W, bits):
    return _per_channel(W, bits)


def _dequant_ref(q, scale, zero_point=0):
    return (_f64(q) - zero_point) * _f64(scale)


def _error_ref(W, bits, per_channel):
    W = _f64(W)
    if per_channel:
        q, s = _per_channel_ref(W, bits)
    else:
        q, s = _sym_ref(W, bits)
    norm = np.linalg.norm(W)
    return 0.0 if norm == 0 else float(np.linalg.norm(W - q * s) / norm)


# ---------------------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------------------

def _weights(rng, m, n, spread=1.0):
    """A weight-like (m, n) matrix: normal entries, each row at its own scale."""
    rows = rng.lognormal(0.0, 0.6 * spread, size=(m, 1))
    return 0.05 * rows * rng.normal(size=(m, n))


def _with_outlier(rng, W, factor=12.0):
    W = np.array(W, dtype=np.float64)
    i, j = int(rng.integers(W.shape[0])), int(rng.integers(W.shape[-1])) if W.ndim > 1 else 0
    where = (i, j) if W.ndim > 1 else (i,)
    W[where] = factor * np.max(np.abs(W)) * rng.choice([-1.0, 1.0])
    return W


def _ties(rng, bits):
    """Entries that land exactly on half-way points x.5 (a power-of-two scale keeps them exact)."""
    qmax = _qmax(bits)
    step = float(2.0 ** int(rng.integers(-6, -1)))
    halves = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, -4.5, 5.5]
    halves = [h for h in halves if abs(h) < qmax] + [1.0, -2.0]
    values = np.array([qmax, -qmax] + halves, dtype=np.float64)
    return step * rng.permutation(values)


def _no_near_tie(make, bits, tries=50):
    """Redraw until the asymmetric zero point -lo/scale is well away from a half-way point."""
    for _ in range(tries):
        x = make()
        lo, hi = _asym_range(x)
        if hi - lo == 0:
            return x
        z = -lo / ((hi - lo) / _levels(bits))
        if abs(abs(z - np.floor(z)) - 0.5) > 1e-3:
            return x
    return x


def _sym_cases(rng):
    m, n = int(rng.integers(8, 14)), int(rng.integers(12, 20))
    negative = rng.normal(scale=0.05, size=(m, n))
    negative[int(rng.integers(m)), int(rng.integers(n))] = -0.5   # the largest entry in size is negative
    clipped = _weights(rng, m, n)
    return [
        Case("weights, INT8", {"x": _weights(rng, m, n), "bits": 8}),
        Case("weights, INT4", {"x": _weights(rng, m, n), "bits": 4}),
        Case("a vector with a planted outlier, INT8", {"x": _with_outlier(rng, rng.normal(size=40) * 0.05), "bits": 8}),
        Case("weights with a planted outlier, INT4", {"x": _with_outlier(rng, _weights(rng, m, n)), "bits": 4}),
        Case("the entry largest in size is negative, INT8", {"x": negative, "bits": 8}),
        Case("exact ties x.5 (round half to even), INT8", {"x": _ties(rng, 8), "bits": 8}),
        Case("exact ties x.5 (round half to even), INT4", {"x": _ties(rng, 4), "bits": 4}),
        Case("max_abs below max|x|: larger values saturate, INT8",
             {"x": clipped, "bits": 8, "max_abs": float(0.4 * np.max(np.abs(clipped)))}),
        Case("max_abs below max|x|: larger values saturate, INT4",
             {"x": _weights(rng, m, n), "bits": 4, "max_abs": 0.03}),
        Case("an all-zero tensor (scale 1.0, codes 0), INT8", {"x": np.zeros((4, 6)), "bits": 8}),
        Case("float32 weights, INT8", {"x": _weights(rng, m, n).astype(np.float32), "bits": 8}),
        Case("3-bit weights", {"x": _weights(rng, m, n), "bits": 3}),
    ]


def _asym_cases(rng):
    m, n = int(rng.integers(8, 14)), int(rng.integers(12, 20))

    def draw(make, bits):
        return _no_near_tie(make, bits)

    relu = lambda: np.maximum(rng.normal(size=(m, n)), 0.0) + rng.uniform(0.05, 0.3)  # noqa: E731 all > 0
    return [
        Case("weights, INT8", {"x": draw(lambda: _weights(rng, m, n) + 0.02, 8), "bits": 8}),
        Case("weights, INT4", {"x": draw(lambda: _weights(rng, m, n) - 0.02, 4), "bits": 4}),
        Case("all values positive (range extended down to 0), INT8", {"x": draw(relu, 8), "bits": 8}),
        Case("all values negative (range extended up to 0), INT4",
             {"x": draw(lambda: -rng.uniform(0.1, 2.0, size=(m, n)), 4), "bits": 4}),
        Case("a skewed vector with a planted outlier, INT8",
             {"x": draw(lambda: _with_outlier(rng, rng.gamma(2.0, 0.1, size=50) - 0.05), 8), "bits": 8}),
        Case("an all-zero tensor (scale 1.0, zero point 0, codes 0), INT8", {"x": np.zeros((3, 5)), "bits": 8}),
        Case("float32 values, INT8", {"x": draw(lambda: (_weights(rng, m, n) + 0.03).astype(np.float32), 8), "bits": 8}),
        Case("3-bit values", {"x": draw(lambda: _weights(rng, m, n) + 0.01, 3), "bits": 3}),
    ]


def _channel_cases(rng):
    m, n = int(rng.integers(10, 16)), int(rng.integers(18, 28))
    zero_row = _weights(rng, m, n)
    zero_row[int(rng.integers(m))] = 0.0
    square = int(rng.integers(8, 12))
    return [
        Case("weights (out, in), rows at different scales, INT8", {"W": _weights(rng, m, n, spread=1.5), "bits": 8}),
        Case("weights (out, in), rows at different scales, INT4", {"W": _weights(rng, m, n, spread=1.5), "bits": 4}),
        Case("a square weight matrix, INT8", {"W": _weights(rng, square, square, spread=1.5), "bits": 8}),
        Case("a planted outlier in one row, INT4", {"W": _with_outlier(rng, _weights(rng, m, n)), "bits": 4}),
        Case("one row all zeros (its scale is 1.0), INT8", {"W": zero_row, "bits": 8}),
        Case("a wide matrix, INT4", {"W": _weights(rng, 5, 40, spread=1.5), "bits": 4}),
        Case("float32 weights, INT8", {"W": _weights(rng, m, n, spread=1.5).astype(np.float32), "bits": 8}),
    ]


# ---------------------------------------------------------------------------------------
# judging codes and scales
# ---------------------------------------------------------------------------------------

def _near_tie(ratio: np.ndarray) -> np.ndarray:
    """Entries within 1e-6 (relative) of a half-way point but not exactly on it."""
    frac = np.abs(ratio) - np.floor(np.abs(ratio))
    off = np.abs(frac - 0.5)
    return (off > 0) & (off <= TOL.value * np.maximum(np.abs(ratio), 1.0))


def _codes_equal(received, target, ratio, lenient=False) -> bool:
    r, t = np.asarray(received), np.asarray(target)
    if r.shape != t.shape or not np.all(np.isfinite(r.astype(np.float64))):
        return False
    diff = np.abs(r.astype(np.float64) - t.astype(np.float64))
    if lenient:  # a catalogued mistake made in float32: a few codes one step away
        return bool(diff.max(initial=0) <= 1 and np.mean(diff > 0) <= 0.01)
    return bool(np.all((diff == 0) | ((diff <= 1) & _near_tie(ratio))))


def _scale_equal(received, target, shaped: bool) -> bool:
    r, t = _f64(received), _f64(target)
    if shaped:
        if r.shape != t.shape:
            return False
    elif r.size != 1:
        return False
    return bool(np.all(np.isfinite(r)) and rel_error(r.reshape(t.shape), t, TOL.floor) <= TOL.value)


def _parts_equal(received, target, ratio, shaped, lenient=False) -> bool:
    q, *rest = received
    tq, *trest = target
    if not _codes_equal(q, tq, ratio, lenient):
        return False
    if not _scale_equal(rest[0], trest[0], shaped):
        return False
    if len(rest) > 1:  # zero point: a whole number, equal
        z = _f64(rest[1])
        return bool(z.size == 1 and np.isfinite(z).all() and float(z.reshape(())) == float(trest[1]))
    return True


def _compute(mistake, case):
    try:
        with np.errstate(all="ignore"):
            return mistake.compute(*case.args.values())
    except Exception:  # a mistake that cannot occur on this input
        return None


def _quantizer_judge(*, reference, mistakes, names, what, shaped=False, diagnose=None):
    """A judge of (q, scale[, zero_point]): codes exact (near-ties either way), scale within 1e-6."""
    n = len(names)

    def judge_case(case, outcome):
        if outcome.error:
            return raised(case, outcome, what)
        value = outcome.value
        if not isinstance(value, tuple) or len(value) != n:
            got = f"a tuple of {len(value)} items" if isinstance(value, tuple) else f"a single {outcome.kind or 'value'}"
            return Verdict(False, describe_failure(
                case, f"{what} should return a tuple ({', '.join(names)}), but returned {got}"), "wrong_type")
        received = tuple(np.asarray(v) for v in value)
        expected = reference(*case.args.values())
        ratio = _f64(next(iter(case.args.values()))) / _f64(expected[1])
        if _parts_equal(received, expected, ratio, shaped):
            if received[0].dtype.kind in "iu":
                return None
            return Verdict(False, describe_failure(
                case, FLOAT_CODES.message + f" (received dtype {received[0].dtype})"), FLOAT_CODES.name)
        verdict = diagnose(case, received, expected) if diagnose else None
        if verdict is not None:
            return verdict
        for mistake in mistakes:
            if mistake.compute is None:
                continue
            wrong = _compute(mistake, case)
            if wrong is None or _parts_equal(wrong, expected, ratio, shaped, lenient=True):
                continue  # this input cannot tell the mistake apart
            if _parts_equal(received, wrong, ratio, shaped, lenient=True):
                return Verdict(False, describe_failure(case, mistake.message), mistake.name)
        return _wrong_parts(case, received, expected, names, ratio, shaped)

    return each_case(judge_case)


def _wrong_parts(case, received, expected, names, ratio, shaped) -> Verdict:
    q, tq = received[0], expected[0]
    if q.shape != tq.shape:
        return Verdict(False, describe_failure(
            case, f"{names[0]} has shape {q.shape}, expected {tq.shape}: one code per entry of the input"), "wrong_shape")
    if not np.all(np.isfinite(q.astype(np.float64))):
        return Verdict(False, describe_failure(case, f"{names[0]} contains nan or inf: {fmt(q)}"), "not_finite")
    if not _codes_equal(q, tq, ratio):
        wrong = int(np.sum(q.astype(np.float64) != tq))
        return Verdict(False, describe_failure(
            case, f"{names[0]} is wrong: {wrong} of {tq.size} codes differ; {difference(q, tq)}"), "wrong_value")
    s, ts = _f64(received[1]), _f64(expected[1])
    if shaped and s.shape != ts.shape:
        return Verdict(False, describe_failure(case, f"{names[1]} has shape {s.shape}, expected {ts.shape}"),
                       "wrong_shape")
    if not _scale_equal(s, ts, shaped):
        return Verdict(False, describe_failure(
            case, f"{names[1]} is wrong: expected {fmt(ts)}, received {fmt(s)} (relative tolerance {TOL.stated})"),
            "wrong_value")
    return Verdict(False, describe_failure(
        case, f"{names[2]} is wrong: expected {expected[2]}, received {fmt(received[2])}"), "wrong_value")


FLOAT_CODES = Mistake(
    "float_codes", "your codes q have the right values but a float dtype; quantized values are integers: "
    "return q.astype(np.int8) (np.uint8 for asymmetric codes; any integer dtype is accepted)")


def _zero_input(case) -> bool:
    return not np.any(_f64(next(iter(case.args.values()))))


def _zero_scale_verdict(case, received, nan_mistake, zero_mistake):
    """An all-zero input (or row) must get scale 1.0 and codes 0, not 0/0."""
    q, s = received[0].astype(np.float64), _f64(received[1])
    if not np.all(np.isfinite(q)) or not np.all(np.isfinite(s)) or (np.any(s == 0) and np.any(q != 0)):
        return Verdict(False, describe_failure(case, nan_mistake.message), nan_mistake.name)
    if np.any(s == 0):
        return Verdict(False, describe_failure(case, zero_mistake.message), zero_mistake.name)
    return None


# ---------------------------------------------------------------------------------------
# quantize_symmetric
# ---------------------------------------------------------------------------------------

def _wrap_int8(q):
    return ((_ints(q) + 128) % 256) - 128


def _half_up(r):
    return np.floor(r + 0.5)


def _half_away(r):
    return np.sign(r) * np.floor(np.abs(r) + 0.5)


SYM_NAN = Mistake("zero_scale_nan", "an all-zero tensor has max|x| = 0, so your scale is 0 and x / scale gives nan "
                  "(garbage once cast to integers); the rule: when max|x| is 0, use scale 1.0 (every code is then 0)")
SYM_ZERO = Mistake("zero_scale", "for an all-zero tensor you returned scale 0; the rule is scale 1.0 when max|x| "
                   "is 0 (codes all 0), so that dequantizing never divides by or multiplies with a zero range")

SYM_MISTAKES = [
    Mistake("scale_128", "you divided max|x| by 2^(b-1) (128 for INT8); the symmetric range is "
            "-(2^(b-1) - 1) .. 2^(b-1) - 1 (-127..127), so scale = max|x| / 127 for INT8, / 7 for INT4",
            lambda x, bits, max_abs=None: _sym(x, bits, max_abs, div=lambda b: 2 ** (b - 1), lo=-2 ** (bits - 1))),
    Mistake("scale_128", "you divided max|x| by 2^(b-1) (128 for INT8); the symmetric range is "
            "-(2^(b-1) - 1) .. 2^(b-1) - 1 (-127..127), so scale = max|x| / 127 for INT8, / 7 for INT4",
            lambda x, bits, max_abs=None: _sym(x, bits, max_abs, div=lambda b: 2 ** (b - 1))),
    Mistake("levels_255", "you divided by 2^b - 1 (255 for INT8), the number of steps of an UNSIGNED range; "
            "symmetric codes run from -qmax to qmax with qmax = 2^(b-1) - 1, so scale = max|x| / qmax",
            lambda x, bits, max_abs=None: _sym(x, bits, max_abs, div=lambda b: 2 ** b - 1)),
    Mistake("levels_255", "you divided the full width 2 max|x| by 2^b - 1 (255 for INT8); symmetric "
            "quantization maps max|x| to qmax = 2^(b-1) - 1, so scale = max|x| / qmax",
            lambda x, bits, max_abs=None: _sym(x, bits, max_abs, div=lambda b: (2 ** b - 1) / 2)),
    Mistake("no_clamp", "values beyond max_abs must saturate at +-qmax, but your codes go past it: clip them, "
            "np.clip(q, -qmax, qmax), before casting",
            lambda x, bits, max_abs=None: _sym(x, bits, max_abs, lo=-np.inf, hi=np.inf) if max_abs else None),
    Mistake("no_clamp", "values beyond max_abs must saturate at +-qmax, but you did not clip the codes, so the "
            "ones past 127 wrapped around when cast to int8 (128 became -128): np.clip(q, -qmax, qmax) first",
            lambda x, bits, max_abs=None: (lambda q, s: (_wrap_int8(q), s))(
                *_sym(x, bits, max_abs, lo=-np.inf, hi=np.inf)) if max_abs else None),
    Mistake("max_abs_ignored", "you ignored max_abs and used max|x|; when max_abs is given, scale = max_abs / qmax "
            "and everything beyond it saturates",
            lambda x, bits, max_abs=None: _sym(x, bits, None) if max_abs else None),
    Mistake("floor", "you rounded down (np.floor); quantization rounds to the NEAREST level: np.round(x / scale)",
            lambda x, bits, max_abs=None: _sym(x, bits, max_abs, rounder=np.floor)),
    Mistake("truncated", "you cast x / scale to int without rounding, which cuts toward zero (2.9 becomes 2); round "
            "to the nearest level first: np.round(x / scale).astype(np.int8)",
            lambda x, bits, max_abs=None: _sym(x, bits, max_abs, rounder=np.trunc)),
    Mistake("ties_not_even", "your rounding sends exact ties x.5 up (or away from zero); the rule is round half to "
            "even, what np.round and np.rint do (0.5 -> 0, 1.5 -> 2, 2.5 -> 2)",
            lambda x, bits, max_abs=None: _sym(x, bits, max_abs, rounder=_half_up)),
    Mistake("ties_not_even", "your rounding sends exact ties x.5 away from zero (Python's decimal habit, "
            "floor(|r| + 0.5)); the rule is round half to even, what np.round and np.rint do (0.5 -> 0, 2.5 -> 2)",
            lambda x, bits, max_abs=None: _sym(x, bits, max_abs, rounder=_half_away)),
    Mistake("inverted_scale", "your codes are right but you returned qmax / max|x|, the reciprocal; scale is the "
            "step between levels, so that x is about q * scale: scale = max|x| / qmax",
            lambda x, bits, max_abs=None: (lambda q, s: (q, 1.0 / s))(*_sym(x, bits, max_abs))),
    Mistake("not_abs", "you took max(x) instead of max(|x|); when the entry largest in size is negative, max(x) "
            "is too small and that entry gets clipped: scale = np.max(np.abs(x)) / qmax",
            lambda x, bits, max_abs=None: _sym(x, bits, max_abs, top=np.max)),
    FLOAT_CODES,
    SYM_NAN,
    SYM_ZERO,
]


def _diagnose_sym(case, received, expected):
    if _zero_input(case):
        return _zero_scale_verdict(case, received, SYM_NAN, SYM_ZERO)
    return None


check_quantize_symmetric = register(Check(
    id="quantization.quantize_symmetric",
    target="quantize_symmetric",
    summary="quantize_symmetric(x, bits, max_abs) returns integer codes and the scale, INT8 and INT4, ties to even, "
            "clipped, all-zero input with scale 1.0 (scale tolerance 1e-6 relative)",
    make_cases=_sym_cases,
    judge=_quantizer_judge(
        reference=_sym_ref, mistakes=SYM_MISTAKES, names=("q", "scale"),
        what="quantize_symmetric(x, bits)", diagnose=_diagnose_sym),
    tolerance=TOL,
    kind="parts",
    mistakes=SYM_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# dequantize
# ---------------------------------------------------------------------------------------

def _wrapped_uint8(q, scale, zero_point=0):
    q = np.asarray(q)
    if q.dtype != np.uint8 or not zero_point:
        return None
    return ((_ints(q) - zero_point) % 256) * _f64(scale)


DEQ_MISTAKES = [
    Mistake("no_zero_point", "you ignored the zero point; dequantize subtracts it first: (q - zero_point) * scale",
            lambda q, scale, zero_point=0: _f64(q) * _f64(scale) if zero_point else None),
    Mistake("plus_zero_point", "you added the zero point; the code of real 0 is zero_point, so subtract it: "
            "(q - zero_point) * scale", lambda q, scale, zero_point=0: (_f64(q) + zero_point) * _f64(scale)),
    Mistake("divided", "you divided by the scale; quantizing divides, dequantizing multiplies: "
            "(q - zero_point) * scale", lambda q, scale, zero_point=0: (_f64(q) - zero_point) / _f64(scale)),
    Mistake("uint8_wrap", "you subtracted the zero point inside uint8, so codes below it wrapped around to large "
            "numbers (3 - 5 became 254): convert first, (q.astype(np.float64) - zero_point) * scale",
            _wrapped_uint8),
    Mistake("zero_point_after", "you subtracted the zero point after scaling (q * scale - zero_point); the zero "
            "point is in units of codes: (q - zero_point) * scale",
            lambda q, scale, zero_point=0: _f64(q) * _f64(scale) - zero_point if zero_point else None),
    Mistake("rounded", "you rounded the result to whole numbers; dequantized values are real numbers on the grid "
            "scale * (q - zero_point), not integers",
            lambda q, scale, zero_point=0: np.round(_dequant_ref(q, scale, zero_point))),
    Mistake("scale_axis", "your per-channel scales multiplied the COLUMNS; each row i of q has its own scale "
            "scale[i, 0]: keep scale as the (m, 1) column it is, q * scale broadcasts row by row",
            lambda q, scale, zero_point=0: (_f64(q) - zero_point) * _f64(scale).reshape(1, -1)
            if np.ndim(scale) == 2 and np.shape(scale)[0] == np.shape(q)[1] else None),
]


def _deq_cases(rng):
    m, n = int(rng.integers(6, 10)), int(rng.integers(10, 16))
    sq = int(rng.integers(6, 10))
    asym = lambda bits: rng.integers(0, 2 ** bits, size=(m, n)).astype(np.uint8)  # noqa: E731
    return [
        Case("INT8 symmetric codes (int8), zero point left out",
             {"q": rng.integers(-127, 128, size=(m, n)).astype(np.int8), "scale": float(rng.uniform(0.001, 0.01))}),
        Case("INT8 asymmetric codes (uint8) with a zero point",
             {"q": asym(8), "scale": float(rng.uniform(0.001, 0.01)), "zero_point": int(rng.integers(90, 160))}),
        Case("INT4 asymmetric codes (uint8, 0..15) with a zero point",
             {"q": asym(4), "scale": float(rng.uniform(0.01, 0.1)), "zero_point": int(rng.integers(4, 12))}),
        Case("INT4 symmetric codes with per-channel scales (m, 1)",
             {"q": rng.integers(-7, 8, size=(sq, sq)).astype(np.int8),
              "scale": rng.uniform(0.005, 0.05, size=(sq, 1))}),
        Case("INT8 codes with per-channel scales (m, 1), zero point 0 given",
             {"q": rng.integers(-127, 128, size=(m, n)).astype(np.int8),
              "scale": rng.uniform(0.001, 0.01, size=(m, 1)), "zero_point": 0}),
    ]


check_dequantize = register(Check(
    id="quantization.dequantize",
    target="dequantize",
    summary="dequantize(q, scale, zero_point) returns (q - zero_point) * scale in floating point (tolerance 1e-6 "
            "relative to the largest entry)",
    make_cases=_deq_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _dequant_ref, DEQ_TOL.value, DEQ_MISTAKES,
                                            what="dequantize(q, scale, zero_point)"),
    tolerance=DEQ_TOL,
    kind="value",
    mistakes=DEQ_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# quantize_asymmetric
# ---------------------------------------------------------------------------------------

def _min_max(x):
    x = _f64(x)
    return float(x.min()), float(x.max())


ASYM_NAN = Mistake("zero_scale_nan", "an all-zero tensor has max - min = 0, so your scale is 0 and x / scale gives "
                   "nan (garbage once cast to integers); the rule: when the range is 0, use scale 1.0 and zero point 0 (every code is then 0)")
ASYM_ZERO = Mistake("zero_scale", "for an all-zero tensor you returned scale 0; the rule is scale 1.0, zero point 0 "
                    "and codes 0 when the range is 0")
NONINT_ZP = Mistake("nonint_zero_point", "your zero point is not a whole number; it is the integer code of real 0, "
                    "so round it: zero_point = int(np.round(-lo / scale))")

ASYM_MISTAKES = [
    Mistake("levels_256", "you divided the range by 2^b (256 for INT8); b bits give 2^b levels but 2^b - 1 steps "
            "between them: scale = (hi - lo) / (2^b - 1)",
            lambda x, bits: _asym(x, bits, levels=lambda b: 2 ** b)),
    Mistake("range_without_zero", "your range [min(x), max(x)] does not contain 0; the rule extends it to "
            "[min(x, 0), max(x, 0)] so that real 0 gets an exact code and the zero point stays in 0..2^b - 1",
            lambda x, bits: _asym(x, bits, rng=_min_max)),
    Mistake("range_without_zero", "your range [min(x), max(x)] does not contain 0; the rule extends it to "
            "[min(x, 0), max(x, 0)] so that real 0 gets an exact code and the zero point stays in 0..2^b - 1",
            lambda x, bits: _asym(x, bits, rng=_min_max,
                                  zp_rule=lambda lo, hi, s, b: int(np.clip(np.round(-lo / s), 0, 2 ** b - 1)))),
    Mistake("zero_point_sign", "your zero point has the wrong sign; it is the code that real 0 maps to, "
            "zero_point = round(-lo / scale), which lies in 0..2^b - 1",
            lambda x, bits: _asym(x, bits, zp_rule=lambda lo, hi, s, b: int(np.round(lo / s)))),
    Mistake("floor", "you rounded down (np.floor); quantization rounds to the NEAREST level: np.round(x / scale)",
            lambda x, bits: _asym(x, bits, rounder=np.floor)),
    Mistake("truncated", "you cast x / scale to int without rounding, which cuts toward zero; round to the nearest "
            "level first with np.round", lambda x, bits: _asym(x, bits, rounder=np.trunc)),
    Mistake("int8_wrap", "your asymmetric codes were stored as int8, so the ones above 127 wrapped around to "
            "negative numbers; codes run 0..2^b - 1: use np.uint8 (or a wider integer)",
            lambda x, bits: (lambda q, s, z: (_wrap_int8(q), s, z))(*_asym(x, bits))),
    Mistake("signed_codes", "your codes run from -2^(b-1) to 2^(b-1) - 1; here asymmetric codes are unsigned, "
            "0..2^b - 1 (0..255 for INT8), with zero_point = round(-lo / scale)",
            lambda x, bits: _asym(x, bits, zp_rule=lambda lo, hi, s, b: int(np.round(-lo / s)) - 2 ** (b - 1),
                                  codes=lambda b: (-2 ** (b - 1), 2 ** (b - 1) - 1))),
    FLOAT_CODES,
    NONINT_ZP,
    ASYM_NAN,
    ASYM_ZERO,
]


def _diagnose_asym(case, received, expected):
    z = _f64(received[2])
    if z.size == 1 and np.isfinite(z).all() and float(z.reshape(())) != np.round(float(z.reshape(()))):
        return Verdict(False, describe_failure(case, NONINT_ZP.message + f" (received {float(z.reshape(())):.6g})"),
                       NONINT_ZP.name)
    if _zero_input(case):
        return _zero_scale_verdict(case, received, ASYM_NAN, ASYM_ZERO)
    return None


check_quantize_asymmetric = register(Check(
    id="quantization.quantize_asymmetric",
    target="quantize_asymmetric",
    summary="quantize_asymmetric(x, bits) returns unsigned integer codes, the scale and an integer zero point, with "
            "0 inside the range (scale tolerance 1e-6 relative)",
    make_cases=_asym_cases,
    judge=_quantizer_judge(
        reference=_asym_ref, mistakes=ASYM_MISTAKES, names=("q", "scale", "zero_point"),
        what="quantize_asymmetric(x, bits)", diagnose=_diagnose_asym),
    tolerance=TOL,
    kind="parts",
    mistakes=ASYM_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# quantize_per_channel
# ---------------------------------------------------------------------------------------

CH_NAN = Mistake("zero_row_nan", "a row of zeros has max|w| = 0, so its scale is 0 and 0 / 0 gives nan (garbage once cast to integers); the rule: "
                 "a row whose max|w| is 0 gets scale 1.0 (its codes are then 0)")
CH_ZERO = Mistake("zero_row_scale", "you gave the all-zero row scale 0; the rule is scale 1.0 for a row whose "
                  "max|w| is 0 (its codes are all 0)")
WRONG_AXIS = Mistake("wrong_axis", "your scales run along the wrong axis: one per COLUMN (input feature); a weight "
                     "W has shape (out, in) and per-channel means one scale per output channel, i.e. per ROW: "
                     "np.max(np.abs(W), axis=1, keepdims=True) / qmax, shape (m, 1)")
SCALES_SHAPE = Mistake("scales_shape", "your scales have the right values but shape (m,); return them as a column "
                       "of shape (m, 1) (keepdims=True), so that q * scales scales each row")
PER_TENSOR = Mistake("per_tensor", "you used one scale for the whole matrix; per-channel quantization gives each "
                     "row (output channel) its own scale max|W[i]| / qmax")

CH_MISTAKES = [
    Mistake("wrong_axis", WRONG_AXIS.message,
            lambda W, bits: (lambda q, s: (q, s))(*_per_channel(W, bits, axis=0))
            if np.shape(W)[0] == np.shape(W)[1] else None),
    Mistake("per_tensor", PER_TENSOR.message, lambda W, bits: _per_channel(W, bits, one=True)),
    Mistake("scale_128", "you divided each row's max|w| by 2^(b-1) (128 for INT8); the symmetric range is "
            "-(2^(b-1) - 1) .. 2^(b-1) - 1, so scale = max|w| / 127 for INT8, / 7 for INT4",
            lambda W, bits: _per_channel(W, bits, div=lambda b: 2 ** (b - 1), lo=-2 ** (bits - 1))),
    Mistake("scale_128", "you divided each row's max|w| by 2^(b-1) (128 for INT8); the symmetric range is "
            "-(2^(b-1) - 1) .. 2^(b-1) - 1, so scale = max|w| / 127 for INT8, / 7 for INT4",
            lambda W, bits: _per_channel(W, bits, div=lambda b: 2 ** (b - 1))),
    Mistake("levels_255", "you divided by 2^b - 1 (255 for INT8), the steps of an UNSIGNED range; symmetric codes "
            "run from -qmax to qmax with qmax = 2^(b-1) - 1", lambda W, bits: _per_channel(W, bits, div=lambda b: 2 ** b - 1)),
    Mistake("floor", "you rounded down (np.floor); quantization rounds to the NEAREST level: np.round(W / scales)",
            lambda W, bits: _per_channel(W, bits, rounder=np.floor)),
    Mistake("truncated", "you cast W / scales to int without rounding, which cuts toward zero; round first with "
            "np.round", lambda W, bits: _per_channel(W, bits, rounder=np.trunc)),
    Mistake("not_abs", "you took each row's max(w) instead of max(|w|); a row whose largest entry in size is negative "
            "gets clipped: np.max(np.abs(W), axis=1, keepdims=True)",
            lambda W, bits: _per_channel(W, bits, top=lambda W: np.max(W, axis=1, keepdims=True))),
    FLOAT_CODES,
    SCALES_SHAPE,
    CH_NAN,
    CH_ZERO,
]


def _diagnose_channel(case, received, expected):
    W = _f64(case.args["W"])
    q, s = received[0], _f64(received[1])
    m, n = W.shape
    qmax = _qmax(case.args["bits"])
    if s.size == 1 and m > 1 and q.shape == W.shape:
        return Verdict(False, describe_failure(case, PER_TENSOR.message + " (you returned a single scale)"),
                       PER_TENSOR.name)
    if s.size == n and s.shape != (m, 1):
        cols = _safe(np.max(np.abs(W), axis=0) / qmax)
        if np.all(np.isfinite(s)) and rel_error(s.ravel(), cols) <= 1e-6:
            return Verdict(False, describe_failure(case, WRONG_AXIS.message), WRONG_AXIS.name)
    if s.size == m and s.shape != (m, 1) and np.all(np.isfinite(s)) \
            and rel_error(s.ravel(), _f64(expected[1]).ravel()) <= 1e-6:
        return Verdict(False, describe_failure(case, SCALES_SHAPE.message + f" (received shape {s.shape})"),
                       SCALES_SHAPE.name)
    zero_rows = ~np.any(W, axis=1)
    if zero_rows.any() and s.size == m and q.shape == W.shape:
        rows = np.flatnonzero(zero_rows)
        s_rows = s.reshape(-1)[rows]
        q_rows = q.astype(np.float64)[rows]
        if not np.all(np.isfinite(q_rows)) or not np.all(np.isfinite(s_rows)) \
                or (np.any(s_rows == 0) and np.any(q_rows != 0)):
            return Verdict(False, describe_failure(case, CH_NAN.message), CH_NAN.name)
        if np.any(s_rows == 0):
            return Verdict(False, describe_failure(case, CH_ZERO.message), CH_ZERO.name)
    return None


check_quantize_per_channel = register(Check(
    id="quantization.quantize_per_channel",
    target="quantize_per_channel",
    summary="quantize_per_channel(W, bits) returns integer codes and one symmetric scale per row (output channel), "
            "shape (m, 1), a zero row with scale 1.0 (scale tolerance 1e-6 relative)",
    make_cases=_channel_cases,
    judge=_quantizer_judge(
        reference=_per_channel_ref, mistakes=CH_MISTAKES, names=("q", "scales"),
        what="quantize_per_channel(W, bits)", shaped=True, diagnose=_diagnose_channel),
    tolerance=TOL,
    kind="parts",
    mistakes=CH_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# quantization_error
# ---------------------------------------------------------------------------------------

NO_MATCH = np.full(2, np.nan)  # "this mistake cannot occur here": a shape no answer has


def _err_with(W, bits, per_channel, measure, *, flag=None, quantizer=None):
    W = _f64(W)
    if not np.any(W):
        return NO_MATCH
    pc = per_channel if flag is None else flag(per_channel)
    if quantizer is not None:
        q, s = quantizer(W, bits, pc)
    else:
        q, s = _per_channel_ref(W, bits) if pc else _sym_ref(W, bits)
    with np.errstate(all="ignore"):
        return measure(W, q * s, q)


def _fro_rel(W, Wh, q):
    return np.linalg.norm(W - Wh) / np.linalg.norm(W)


ERR_ZERO = Mistake("zero_matrix_nan", "an all-zero W has ||W||_F = 0, so your relative error is 0 / 0 = nan; the "
                   "rule: the error of an all-zero matrix is 0.0 (it is reproduced exactly)")

ERR_MISTAKES = [
    Mistake("absolute", "you returned the absolute error ||W - W_hat||_F; divide by ||W||_F for the relative error",
            lambda W, bits, pc: _err_with(W, bits, pc, lambda W, Wh, q: np.linalg.norm(W - Wh))),
    Mistake("squared", "you returned the squared ratio ||W - W_hat||^2 / ||W||^2; take the ratio of the norms "
            "themselves (the square root of yours)",
            lambda W, bits, pc: _err_with(W, bits, pc, lambda W, Wh, q: _fro_rel(W, Wh, q) ** 2)),
    Mistake("codes_not_dequantized", "you compared W with the integer codes q; dequantize first, W_hat = q * scale, "
            "then ||W - W_hat||_F / ||W||_F",
            lambda W, bits, pc: _err_with(W, bits, pc, lambda W, Wh, q: np.linalg.norm(W - q) / np.linalg.norm(W))),
    Mistake("per_channel_ignored", "your error is the same whether per_channel is True or False: it is the "
            "per-tensor error in both cases; with per_channel=True quantize each row with its own scale",
            lambda W, bits, pc: _err_with(W, bits, pc, _fro_rel, flag=lambda pc: False) if pc else NO_MATCH),
    Mistake("per_channel_ignored", "your error is the same whether per_channel is True or False: it is the "
            "per-channel error in both cases; with per_channel=False use one scale for the whole matrix",
            lambda W, bits, pc: _err_with(W, bits, pc, _fro_rel, flag=lambda pc: True) if not pc else NO_MATCH),
    Mistake("max_error", "you measured the largest entry error max|W - W_hat| / max|W|; the exercise asks for the "
            "Frobenius norm, ||W - W_hat||_F / ||W||_F (np.linalg.norm of the whole matrix)",
            lambda W, bits, pc: _err_with(W, bits, pc, lambda W, Wh, q: np.max(np.abs(W - Wh)) / np.max(np.abs(W)))),
    Mistake("mse", "you returned the mean squared error; the exercise asks for the relative Frobenius error "
            "||W - W_hat||_F / ||W||_F", lambda W, bits, pc: _err_with(W, bits, pc, lambda W, Wh, q: np.mean((W - Wh) ** 2))),
    Mistake("relative_to_quantized", "you divided by ||W_hat||_F, the norm of the quantized matrix; divide by the "
            "norm of the original, ||W||_F",
            lambda W, bits, pc: _err_with(W, bits, pc, lambda W, Wh, q: np.linalg.norm(W - Wh) / np.linalg.norm(Wh))),
    Mistake("l1", "you measured the error with absolute values (sum |W - W_hat| / sum |W|); the Frobenius norm is "
            "the square root of the sum of squares: np.linalg.norm(W - W_hat) / np.linalg.norm(W)",
            lambda W, bits, pc: _err_with(W, bits, pc, lambda W, Wh, q: np.sum(np.abs(W - Wh)) / np.sum(np.abs(W)))),
    Mistake("scale_128", "your quantization divides max|w| by 2^(b-1) (128 for INT8) instead of 2^(b-1) - 1 (127); "
            "fix the scale and the error follows",
            lambda W, bits, pc: _err_with(
                W, bits, pc, _fro_rel,
                quantizer=lambda W, b, p: _per_channel(W, b, div=lambda k: 2 ** (k - 1), lo=-2 ** (b - 1)) if p
                else _sym(W, b, div=lambda k: 2 ** (k - 1), lo=-2 ** (b - 1)))),
    ERR_ZERO,
]


def _err_cases(rng):
    m, n = int(rng.integers(10, 16)), int(rng.integers(18, 28))
    outlier = _with_outlier(rng, _weights(rng, m, n))
    zero_row = _weights(rng, m, n, spread=1.5)
    zero_row[int(rng.integers(m))] = 0.0
    return [
        Case("weights, INT8, per tensor", {"W": _weights(rng, m, n, spread=1.5), "bits": 8, "per_channel": False}),
        Case("weights, INT8, per channel", {"W": _weights(rng, m, n, spread=1.5), "bits": 8, "per_channel": True}),
        Case("weights, INT4, per tensor", {"W": _weights(rng, m, n, spread=1.5), "bits": 4, "per_channel": False}),
        Case("weights, INT4, per channel", {"W": _weights(rng, m, n, spread=1.5), "bits": 4, "per_channel": True}),
        Case("a planted outlier, INT4, per tensor", {"W": outlier, "bits": 4, "per_channel": False}),
        Case("a planted outlier, INT4, per channel", {"W": outlier, "bits": 4, "per_channel": True}),
        Case("one zero row, INT8, per channel", {"W": zero_row, "bits": 8, "per_channel": True}),
        Case("float32 weights, INT8, per channel",
             {"W": _weights(rng, m, n, spread=1.5).astype(np.float32), "bits": 8, "per_channel": True}),
        Case("an all-zero W (error 0.0), INT8, per tensor", {"W": np.zeros((4, 5)), "bits": 8, "per_channel": False}),
    ]


def _diagnose_error(case, received, expected):
    (r,), _ = received, expected
    if not np.any(_f64(case.args["W"])) and not np.all(np.isfinite(r.astype(np.float64))):
        return Verdict(False, describe_failure(case, ERR_ZERO.message), ERR_ZERO.name)
    return None


check_quantization_error = register(Check(
    id="quantization.quantization_error",
    target="quantization_error",
    summary="quantization_error(W, bits, per_channel) is ||W - W_hat||_F / ||W||_F after symmetric quantization "
            "per tensor or per row (tolerance 1e-4 relative)",
    make_cases=_err_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _error_ref, ERR_TOL.value, ERR_MISTAKES,
                                            what="quantization_error(W, bits, per_channel)", diagnose=_diagnose_error),
    tolerance=ERR_TOL,
    kind="value",
    mistakes=ERR_MISTAKES,
)).runner()
