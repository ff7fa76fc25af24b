"""Hidden checks for p3-image-compressor: rank-k SVD of each colour channel, the storage it
takes, the PSNR of the result, and the smallest rank that reaches a target quality.

Conventions the prompts state and these checks enforce:

* ``compress_channels(image, k)``: each channel ``image[:, :, c]`` replaced by its own best
  rank-k approximation, floats, unclipped;
* ``storage_ratio(shape, k)`` for ``shape = (h, w, c)``: the numbers kept by the factors of
  every channel, c k (h + w + 1), over the h w c numbers of the image;
* ``psnr(original, compressed, data_range)`` = 10 log10(data_range**2 / MSE), the MSE over
  every entry of every channel, computed in floats; inf when the two are equal;
* ``choose_k(image, target_psnr)``: the smallest k >= 1 whose ``compress_channels`` reaches
  ``psnr >= target_psnr`` with data range 255 (the image is uint8).

Pictures are small and synthetic, drawn from the seed; targets for choose_k sit halfway
between two consecutive ranks' PSNR, so no answer hangs on rounding.
"""

from __future__ import annotations

import numpy as np

from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, register
from autograder.checks._kit.compare import describe_failure, judge_all
from autograder.checks.svd import _compress_ref
from autograder.checks.svd import _low_rank_ref as _low_rank  # 09-svd's rank-k reference, per channel too

TOL = Tolerance(1e-6, "scale", floor=1e-8)
EXACT_TOL = Tolerance(1e-8, "scale", floor=1e-8)  # arithmetic on given numbers
EXACT = Tolerance(0.0, "exact", floor=0.0)


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _picture(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A uint8 colour picture: smooth shading, a disc, a stripe, noise; channels differ."""
    y, x = np.mgrid[0:h, 0:w] / max(h, w)
    planes = []
    for _ in range(3):
        a, b, c = rng.uniform(-1, 1, size=3)
        base = 120 + 70 * np.sin(4 * a * x + 3 * b * y + c)
        cy, cx, r = rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8), rng.uniform(0.15, 0.35)
        base += 70 * (((y - cy) ** 2 + (x - cx) ** 2) < r * r)
        base += 40 * (np.abs(x - y - rng.uniform(-0.3, 0.3)) < 0.08)
        planes.append(base + rng.normal(scale=rng.uniform(4, 14), size=(h, w)))
    return np.clip(np.stack(planes, axis=2), 0, 255).astype(np.uint8)


# ---------------------------------------------------------------------------------------
# compress_channels
# ---------------------------------------------------------------------------------------

def _joint_wide(image, k):
    image = _f64(image)
    h, w, c = image.shape
    return _low_rank(image.reshape(h, w * c), k).reshape(h, w, c)


def _joint_stacked(image, k):
    image = _f64(image)
    h, w, c = image.shape
    return _low_rank(np.concatenate([image[:, :, i] for i in range(c)], axis=0), k).reshape(c, h, w).transpose(1, 2, 0)


def _joint_pixels(image, k):
    image = _f64(image)
    h, w, c = image.shape
    return _low_rank(image.reshape(h * w, c), k).reshape(h, w, c)


def _grey(image, k):
    image = _f64(image)
    return np.repeat(_low_rank(image.mean(axis=2), k)[:, :, None], image.shape[2], axis=2)


COMPRESS_MISTAKES = [
    Mistake("channels_jointly", "you compressed the three channels together as one (h, 3w) matrix; the project "
            "asks for each channel image[:, :, c] to get its own rank-k SVD", _joint_wide),
    Mistake("channels_jointly", "you compressed the channels together, stacked into one (3h, w) matrix; each "
            "channel image[:, :, c] gets its own rank-k SVD", _joint_stacked),
    Mistake("channels_jointly", "you took the rank-k approximation of the (h * w, 3) matrix of pixels, which "
            "mixes the colours and not the rows; each channel image[:, :, c] is an (h, w) matrix with its own "
            "rank-k SVD", _joint_pixels),
    Mistake("grey", "you compressed the grey image (the mean of the channels) and copied it into every channel; "
            "compress each colour channel on its own", _grey),
    Mistake("off_by_one", "each channel of your result has rank k + 1; keep exactly k singular triples "
            "(s[:k], U[:, :k], Vt[:k])", lambda image, k: _compress_ref(image, k + 1)),
    Mistake("off_by_one", "each channel of your result has rank k - 1; keep exactly k singular triples "
            "(Python slices stop before the end index)", lambda image, k: _compress_ref(image, k - 1)),
    Mistake("clipped", "you clipped or rounded the result to 0..255; return the rank-k approximations as they "
            "are (floats), and clip only to display them",
            lambda image, k: np.clip(np.round(_compress_ref(image, k)), 0, 255)),
]


def _compress_cases(rng):
    def size():
        return int(rng.integers(14, 24)), int(rng.integers(18, 30))

    return [
        Case("a uint8 picture, k = 3", {"image": _picture(rng, *size()), "k": 3}),
        Case("a uint8 picture, k = 1", {"image": _picture(rng, *size()), "k": 1}),
        Case("a float picture in [0, 1], k = 5", {"image": _picture(rng, *size()) / 255.0, "k": 5}),
        Case("a float32 picture, k = 2", {"image": _picture(rng, *size()).astype(np.float32), "k": 2}),
    ]


check_compress_channels = register(Check(
    id="compressor.compress_channels",
    target="compress_channels",
    summary="compress_channels(image, k) gives each colour channel its own best rank-k approximation (tolerance "
            "1e-6 relative to the largest entry)",
    make_cases=_compress_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _compress_ref, TOL.value, COMPRESS_MISTAKES,
                                            what="compress_channels(image, k)"),
    tolerance=TOL,
    kind="value",
    mistakes=COMPRESS_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# storage_ratio
# ---------------------------------------------------------------------------------------

def _storage_ref(shape, k):
    h, w, c = shape
    return c * k * (h + w + 1) / (h * w * c)


STORAGE_MISTAKES = [
    Mistake("k_m_n", "you counted k * h * w numbers per channel, as if the compressed photo stored k full "
            "images; the factors of one channel hold k * (h + w + 1) numbers: U_k (h x k), s_k (k) and Vt_k (k x w)",
            lambda shape, k: float(k)),
    Mistake("inverted", "you returned image / factors (how many times smaller); the ratio asked for is "
            "factors / image, below 1 when the compression saves room", lambda shape, k: 1.0 / _storage_ref(shape, k)),
    Mistake("no_singular_values", "you left out the k singular values; each channel keeps U_k, s_k and Vt_k, "
            "k * (h + w + 1) numbers", lambda shape, k: k * (shape[0] + shape[1]) / (shape[0] * shape[1])),
    Mistake("one_channel", "you counted the factors of one channel against the numbers of all c channels; every "
            "channel has its own factors, c * k * (h + w + 1) in all", lambda shape, k: _storage_ref(shape, k) / shape[2]),
    Mistake("channels_twice", "you counted the factors of all c channels against the numbers of one channel; "
            "compare c * k * (h + w + 1) with h * w * c", lambda shape, k: _storage_ref(shape, k) * shape[2]),
    Mistake("full_matrices", "you counted the full U (h x h) and Vt (w x w); a rank-k approximation keeps only "
            "U_k (h x k), s_k and Vt_k (k x w)",
            lambda shape, k: (shape[0] ** 2 + shape[1] ** 2 + k) / (shape[0] * shape[1])),
    Mistake("saving", "you returned the fraction SAVED, 1 - ratio; return the fraction kept",
            lambda shape, k: 1.0 - _storage_ref(shape, k)),
    Mistake("square_s", "you counted diag(s_k) as a k x k matrix; only its k diagonal values need storing",
            lambda shape, k: (k * (shape[0] + shape[1]) + k * k) / (shape[0] * shape[1])),
]


def _storage_cases(rng):
    h, w = int(rng.integers(200, 700)), int(rng.integers(300, 900))
    return [
        Case("a colour photo, k = 20", {"shape": (h, w, 3), "k": 20}),
        Case("a colour photo, k = 1", {"shape": (w, h, 3), "k": 1}),
        Case("a grey image (one channel), k = 50", {"shape": (h, w, 1), "k": 50}),
        Case("an image with 4 channels, k = 7", {"shape": (int(rng.integers(40, 90)), w, 4), "k": 7}),
        Case("k = min(h, w) (more numbers than the image)", {"shape": (30, 40, 3), "k": 30}),
    ]


check_storage_ratio = register(Check(
    id="compressor.storage_ratio",
    target="storage_ratio",
    summary="storage_ratio(shape, k) is c * k * (h + w + 1) over h * w * c (tolerance 1e-8 relative to the "
            "expected value)",
    make_cases=_storage_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _storage_ref, EXACT_TOL.value, STORAGE_MISTAKES,
                                            what="storage_ratio(shape, k)"),
    tolerance=EXACT_TOL,
    kind="value",
    mistakes=STORAGE_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# psnr
# ---------------------------------------------------------------------------------------

def _psnr_from_mse(mse, data_range):
    with np.errstate(divide="ignore"):
        return float(10 * np.log10(data_range**2 / mse)) if mse > 0 else float("inf")


def _mse(original, compressed):
    return float(np.mean((_f64(original) - _f64(compressed)) ** 2))


def _psnr_ref(original, compressed, data_range):
    return _psnr_from_mse(_mse(original, compressed), data_range)


def _channel_average(original, compressed, data_range):
    o, c = _f64(original), _f64(compressed)
    if o.ndim != 3:
        return None
    return float(np.mean([_psnr_ref(o[:, :, i], c[:, :, i], data_range) for i in range(o.shape[2])]))


def _wrapped(squared_in_uint8):
    def psnr(original, compressed, data_range):
        o, c = np.asarray(original), np.asarray(compressed)
        if o.dtype != np.uint8 or c.dtype != np.uint8:
            return None
        diff = o - c  # wraps around in uint8
        return _psnr_from_mse(float(np.mean(diff**2 if squared_in_uint8 else diff.astype(np.float64) ** 2)),
                              data_range)

    return psnr


PSNR_MISTAKES = [
    Mistake("wrong_range", "you used a peak of 255 for an image whose values run from 0 to 1; use the "
            "data_range given (1.0 here): 10 log10(data_range**2 / MSE)",
            lambda o, c, r: _psnr_from_mse(_mse(o, c), 255.0) if r != 255 else None),
    Mistake("wrong_range", "you used a peak of 1 for an image whose values run from 0 to 255; use the "
            "data_range given (255 here): 10 log10(data_range**2 / MSE)",
            lambda o, c, r: _psnr_from_mse(_mse(o, c), 1.0) if r != 1 else None),
    Mistake("log_factor", "you used 20 log10 with the squared peak over the MSE, which doubles the PSNR; either "
            "10 log10(data_range**2 / MSE) or 20 log10(data_range / sqrt(MSE))",
            lambda o, c, r: 2 * _psnr_ref(o, c, r)),
    Mistake("log_factor", "you used 10 log10(data_range / RMSE), half the PSNR; either "
            "10 log10(data_range**2 / MSE) or 20 log10(data_range / sqrt(MSE))",
            lambda o, c, r: _psnr_ref(o, c, r) / 2),
    Mistake("rmse_for_mse", "you divided by the root of the mean squared error; PSNR divides data_range**2 by "
            "the MSE itself", lambda o, c, r: _psnr_from_mse(np.sqrt(_mse(o, c)), r)),
    Mistake("sum_not_mean", "you added up the squared errors instead of averaging them; the MSE divides by the "
            "number of entries (h * w * channels)",
            lambda o, c, r: _psnr_from_mse(_mse(o, c) * np.size(o), r)),
    Mistake("natural_log", "you used the natural logarithm; decibels use log10",
            lambda o, c, r: float(10 * np.log(r**2 / _mse(o, c)))),
    Mistake("channel_average", "you averaged the PSNR of each channel; the PSNR of a colour image takes one MSE "
            "over every entry of every channel", _channel_average),
    Mistake("uint8_overflow", "you subtracted two uint8 images, so negative differences wrapped around to large "
            "numbers; convert to floats before subtracting", _wrapped(True)),
    Mistake("uint8_overflow", "you subtracted two uint8 images, so negative differences wrapped around to large "
            "numbers; convert to floats before subtracting", _wrapped(False)),
]


def _noisy(rng, image, scales):
    noise = np.stack([rng.normal(scale=s, size=image.shape[:2]) for s in scales], axis=2)
    return _f64(image) + noise


def _psnr_cases(rng):
    h, w = int(rng.integers(12, 20)), int(rng.integers(15, 25))
    photo = _picture(rng, h, w)
    unit = _picture(rng, h + 1, w) / 255.0
    other = _picture(rng, h, w + 2)
    rounded = np.clip(np.round(_noisy(rng, other, (6.0, 2.0, 9.0))), 0, 255).astype(np.uint8)
    return [
        Case("a uint8 photo against a float approximation, data_range 255",
             {"original": photo, "compressed": _noisy(rng, photo, (3.0, 8.0, 15.0)), "data_range": 255}),
        Case("float images in [0, 1], data_range 1.0",
             {"original": unit, "compressed": _noisy(rng, unit, (0.01, 0.03, 0.05)), "data_range": 1.0}),
        Case("two uint8 images, data_range 255", {"original": other, "compressed": rounded, "data_range": 255}),
        Case("float32 images, data_range 255", {"original": photo.astype(np.float32),
                                                "compressed": _noisy(rng, photo, (5.0, 5.0, 1.0)).astype(np.float32),
                                                "data_range": 255}),
        Case("a grey (2-D) image, data_range 255", {"original": photo[:, :, 0],
                                                    "compressed": _noisy(rng, photo, (4.0,))[:, :, 0],
                                                    "data_range": 255}),
        Case("identical images (PSNR inf)", {"original": photo, "compressed": photo.astype(np.float64),
                                             "data_range": 255}),
    ]


check_psnr = register(Check(
    id="compressor.psnr",
    target="psnr",
    summary="psnr(original, compressed, data_range) is 10 log10(data_range**2 / MSE), inf for equal images "
            "(tolerance 1e-6 relative to the expected value)",
    make_cases=_psnr_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _psnr_ref, TOL.value, PSNR_MISTAKES,
                                            what="psnr(original, compressed, data_range)"),
    tolerance=TOL,
    kind="value",
    mistakes=PSNR_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# choose_k
# ---------------------------------------------------------------------------------------

def _curve(matrices, size):
    """PSNR (range 255) of the rank-k approximation for k = 0 .. r, from the tails of the
    singular values (Eckart-Young), the squared errors summed over ``matrices``."""
    tails = []
    for A in matrices:
        s = np.linalg.svd(_f64(A), compute_uv=False)
        energy = s**2
        tails.append(np.concatenate([np.cumsum(energy[::-1])[::-1], [0.0]]))
    r = min(len(t) for t in tails)
    total = np.sum([t[:r] for t in tails], axis=0)
    return np.array([_psnr_from_mse(max(e, 0.0) / size, 255.0) if e > 1e-9 * total[0] else np.inf for e in total])


def _first_reaching(psnrs, target):
    for k in range(1, len(psnrs)):
        if psnrs[k] >= target:
            return k
    return len(psnrs) - 1


def _channels(image):
    image = _f64(image)
    return [image[:, :, c] for c in range(image.shape[2])]


def _choose_ref(image, target_psnr):
    return _first_reaching(_curve(_channels(image), np.size(image)), target_psnr)


def _choose_joint(image, target_psnr):
    image = _f64(image)
    h, w, c = image.shape  # k runs up to min(h, w), a channel's rank, as in the prompt
    return min(_first_reaching(_curve([image.reshape(h, w * c)], image.size), target_psnr), min(h, w))


def _choose_grey(image, target_psnr):
    grey = _f64(image).mean(axis=2)
    return _first_reaching(_curve([grey], grey.size), target_psnr)


def _choose_red(image, target_psnr):
    red = _f64(image)[:, :, 0]
    return _first_reaching(_curve([red], red.size), target_psnr)


def _choose_unit_range(image, target_psnr):
    shift = 20 * np.log10(255.0)
    return _first_reaching(_curve(_channels(image), np.size(image)) - shift, target_psnr)


CHOOSE_MISTAKES = [
    Mistake("off_by_one", "your k is one too small: its PSNR is still below the target; return the smallest k "
            "whose PSNR is >= target_psnr",
            lambda image, t: (lambda k: k - 1 if k > 1 else None)(_choose_ref(image, t))),  # 0 or 1 when k is 1
    Mistake("off_by_one", "your k is one too large: k - 1 already reaches the target; return the smallest k "
            "whose PSNR is >= target_psnr", lambda image, t: _choose_ref(image, t) + 1),
    Mistake("channels_jointly", "you measured the quality of the channels compressed together as one (h, 3w) "
            "matrix; compress each channel on its own (compress_channels) before measuring", _choose_joint),
    Mistake("wrong_range", "your PSNR used a peak of 1 on an image whose values run from 0 to 255, so the target "
            "is reached far too late; the data range here is 255", _choose_unit_range),
    Mistake("grey", "you measured the quality of the compressed grey image; measure the colour image with each "
            "channel compressed (compress_channels) against the original", _choose_grey),
    Mistake("one_channel", "you measured the PSNR of the red channel only; the PSNR takes every channel",
            _choose_red),
]


def _target_for(psnrs, k):
    return float((psnrs[k - 1] + psnrs[k]) / 2)


def _choose_cases(rng):
    def size():
        return int(rng.integers(14, 22)), int(rng.integers(18, 28))

    cases = []
    for label, pick in (("a middle rank", lambda r: int(rng.integers(3, r - 3))), ("rank 2", lambda r: 2),
                        ("a high rank", lambda r: r - 2)):
        image = _picture(rng, *size())
        psnrs = _curve(_channels(image), image.size)
        k = pick(len(psnrs) - 1)
        cases.append(Case(f"a uint8 picture, target halfway to {label}", {"image": image,
                                                                          "target_psnr": _target_for(psnrs, k)}))
    image = _picture(rng, *size())
    psnrs = _curve(_channels(image), image.size)
    cases.append(Case("a target below the PSNR of rank 1 (answer 1)",
                      {"image": image, "target_psnr": float(psnrs[1] - rng.uniform(1.0, 5.0))}))
    cases.append(_telling_case(rng, size))
    return cases


def _telling_case(rng, size):
    """A picture and target at which the per-channel, joint, grey and red measures give four
    different k, so a whole-number answer cannot fit two of those mistakes by chance."""
    for _ in range(50):
        image = _picture(rng, *size())
        psnrs = _curve(_channels(image), image.size)
        for k in range(2, len(psnrs) - 1):
            target = _target_for(psnrs, k)
            answers = {f(image, target) for f in (_choose_ref, _choose_joint, _choose_grey, _choose_red)}
            if len(answers) == 4:
                return Case("a target at which every way of measuring gives a different k",
                            {"image": image, "target_psnr": target})
    return Case("a uint8 picture, target halfway to rank 3", {"image": image, "target_psnr": _target_for(psnrs, 3)})


def _judge_choose(cases, outcomes):
    """A whole number can agree with a mistake by chance on one input, so a mistake is named
    only when it explains the answers to every input it decides (a compute of None leaves
    an input open); otherwise the first wrong answer is
    reported as it is."""
    generic = judge_all(cases, outcomes, _choose_ref, EXACT.value, (), what="choose_k(image, target_psnr)")
    if generic.passed or generic.mistake != "wrong_value":
        return generic
    received = [float(np.asarray(o.value)) for o in outcomes]
    expected = [_choose_ref(*case.args.values()) for case in cases]
    for mistake in CHOOSE_MISTAKES:
        wrong = [mistake.compute(*case.args.values()) for case in cases]
        if all(w is None or r == w for r, w in zip(received, wrong)):
            first = next(i for i, (r, e) in enumerate(zip(received, expected)) if r != e)
            return Verdict(False, describe_failure(
                cases[first], f"{mistake.message} (expected {expected[first]}, received {received[first]:g})"),
                mistake.name)
    return generic


check_choose_k = register(Check(
    id="compressor.choose_k",
    target="choose_k",
    summary="choose_k(image, target_psnr) is the smallest k whose per-channel rank-k compression reaches the "
            "target PSNR (exact)",
    make_cases=_choose_cases,
    judge=_judge_choose,
    tolerance=EXACT,
    kind="value",
    mistakes=CHOOSE_MISTAKES,
)).runner()
