"""Hidden checks for 09-svd: truncated SVD, best rank-k approximation, the Eckart-Young
error, storage of the factors, and the pseudoinverse through the SVD.

Conventions the prompts state and these checks enforce:

* ``truncated_svd(A, k)`` returns ``(U_k, s_k, Vt_k)`` of shapes (m, k), (k,), (k, n),
  singular values in decreasing order; each singular pair's sign is free, but a flipped
  column of U_k must come with the same row of Vt_k flipped (U_k diag(s_k) Vt_k = A_k);
* ``eckart_young_error(s, k, norm)``: norm "fro" is sqrt(sum of s[k:]**2), norm 2 is s[k]
  (0 when k >= len(s));
* ``storage_ratio(shape, k)`` = k (m + n + 1) / (m n): U_k, s_k and Vt_k against A;
* ``pinv(A, rcond)`` treats every singular value <= rcond * (largest) as zero.

Test matrices have exactly known, well-separated singular values, so singular vectors are
unique up to sign. Errors are measured on the scale of the answer,
``max|yours - expected| <= tol * max|expected|``.
"""

from __future__ import annotations

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, Verdict, inputs, register
from autograder.checks._kit.compare import Part, describe_failure, judge_all, judge_parts, scaled_error
from autograder.checks.systems import explaining_all

TOL = Tolerance(1e-6, "scale", floor=1e-8)
EXACT_TOL = Tolerance(1e-8, "scale", floor=1e-8)  # arithmetic on given numbers

NO_LIBRARY_PINV = scratch.Rule(
    "a library pseudoinverse or least-squares solver (np.linalg.pinv, np.linalg.lstsq or scipy's)",
    roots=("numpy", "scipy", "torch"), names=("pinv", "pinvh", "pinv2", "lstsq"))


def _f64(A) -> np.ndarray:
    return np.asarray(A, dtype=np.float64)


def _matrix(rng: np.random.Generator, m: int, n: int, rank: int | None = None, scale: float = 1.0) -> np.ndarray:
    """An (m, n) matrix with exactly known, well-separated singular values."""
    r = min(m, n) if rank is None else rank
    s = scale * np.sqrt(inputs.spectrum(rng, r)) * 3.0
    return inputs.orthonormal(rng, m, r) @ np.diag(s) @ inputs.orthonormal(rng, n, r).T


def _svd(A):
    return np.linalg.svd(_f64(A), full_matrices=False)


def _full_svd(A):
    return np.linalg.svd(_f64(A), full_matrices=True)


def _dims(rng):
    return int(rng.integers(6, 12)), int(rng.integers(4, 9))


def _svd_cases(rng: np.random.Generator) -> list[Case]:
    m, n = _dims(rng)
    return [
        Case("a tall matrix, k = 2", {"A": _matrix(rng, m + 4, n), "k": 2}),
        Case("a wide matrix, k = 3", {"A": _matrix(rng, n, m + 4), "k": 3}),
        Case("a square matrix, k = 1", {"A": _matrix(rng, 6, 6), "k": 1}),
        Case("k equal to min(m, n)", {"A": _matrix(rng, 7, 5), "k": 5}),
        Case("a rank-3 matrix, k = 3", {"A": _matrix(rng, 9, 7, rank=3), "k": 3}),
        Case("a large-scale matrix (entries near 1e4), k = 2", {"A": _matrix(rng, 8, 6, scale=1e4), "k": 2}),
        Case("float32 matrix, k = 2", {"A": _matrix(rng, 8, 5).astype(np.float32), "k": 2}),
    ]


# ---------------------------------------------------------------------------------------
# truncated_svd
# ---------------------------------------------------------------------------------------

def _truncated_ref(A, k):
    U, s, Vt = _svd(A)
    return U[:, :k], s[:k], Vt[:k]


def _align_cols(received, target):
    signs = np.sign(np.sum(received.astype(np.float64) * target, axis=0))
    signs[signs == 0] = 1.0
    return received * signs


def _align_rows(received, target):
    return _align_cols(received.T, target.T).T


SVD_PARTS = [Part("U_k", _align_cols), Part("s_k"), Part("Vt_k", _align_rows)]


def _eigh_unrooted(A, k):
    values, vectors = np.linalg.eigh(_f64(A).T @ _f64(A))
    order = np.argsort(values)[::-1][:k]
    U, s, Vt = _truncated_ref(A, k)
    return U, values[order], Vt


TRUNCATED_MISTAKES = [
    Mistake("off_by_one", "you kept k + 1 singular triples; keep exactly the first k (U[:, :k], s[:k], Vt[:k])",
            lambda A, k: _truncated_ref(A, k + 1)),
    Mistake("off_by_one", "you kept k - 1 singular triples; keep exactly the first k (U[:, :k], s[:k], Vt[:k]): "
            "Python slices stop before the end index", lambda A, k: _truncated_ref(A, k - 1) if k > 1 else None),
    Mistake("vt_columns", "you took the first k COLUMNS of Vt; the right singular vectors are its first k ROWS, "
            "Vt[:k, :]", lambda A, k: (_svd(A)[0][:, :k], _svd(A)[1][:k], _full_svd(A)[2][:, :k].T)),
    Mistake("returned_v", "you returned V_k (n, k), the right singular vectors as columns; return Vt_k, the first "
            "k ROWS of Vt, shape (k, n)", lambda A, k: (_svd(A)[0][:, :k], _svd(A)[1][:k], _svd(A)[2][:k].T)),
    Mistake("smallest", "you kept the k SMALLEST singular values and their vectors; keep the k largest, in "
            "decreasing order", lambda A, k: (lambda U, s, Vt: (U[:, ::-1][:, :k], s[::-1][:k], Vt[::-1][:k]))(
                *_svd(A))),
    Mistake("eigenvalues", "your s_k are the eigenvalues of A.T @ A, i.e. the singular values SQUARED; take "
            "their square roots", _eigh_unrooted),
    Mistake("not_truncated", "you returned the whole U; keep only its first k columns, U[:, :k]",
            lambda A, k: (_full_svd(A)[0], _svd(A)[1][:k], _svd(A)[2][:k])),
    Mistake("inconsistent_signs", "each of your singular vectors is right up to sign, but some column of U_k was "
            "flipped without flipping the matching row of Vt_k, so U_k @ diag(s_k) @ Vt_k is not the rank-k "
            "approximation; take U and Vt from the same decomposition (or flip both together)"),
]


def _judge_truncated(cases, outcomes):
    if len(outcomes) != len(cases):
        return Verdict(False, "the grader received no result for some inputs", "missing")
    for case, outcome in zip(cases, outcomes):
        A, k = case.args["A"], case.args["k"]
        verdict = judge_parts(case, outcome, _truncated_ref(A, k), TOL.value, TRUNCATED_MISTAKES,
                              what="truncated_svd(A, k)", parts=SVD_PARTS)
        if not verdict.passed:
            return verdict
        U, s, Vt = (_f64(x) for x in outcome.value)
        if scaled_error(U @ np.diag(s) @ Vt, _low_rank_ref(A, k)) > TOL.value:
            return Verdict(False, describe_failure(case, TRUNCATED_MISTAKES[-1].message), "inconsistent_signs")
    return Verdict.ok(f"all {len(cases)} inputs correct")


check_truncated_svd = register(Check(
    id="svd.truncated_svd",
    target="truncated_svd",
    summary="truncated_svd(A, k) returns (U_k, s_k, Vt_k), signs free but consistent (tolerance 1e-6 relative "
            "to the largest entry)",
    make_cases=_svd_cases,
    judge=_judge_truncated,
    tolerance=TOL,
    kind="parts",
    mistakes=TRUNCATED_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# low_rank
# ---------------------------------------------------------------------------------------

def _low_rank_ref(A, k):
    U, s, Vt = _truncated_ref(A, k)
    return U @ np.diag(s) @ Vt


LOW_RANK_MISTAKES = [
    Mistake("off_by_one", "your matrix has rank k + 1; keep exactly the first k singular triples",
            lambda A, k: _low_rank_ref(A, k + 1)),
    Mistake("off_by_one", "your matrix has rank k - 1; keep exactly the first k singular triples (Python slices "
            "stop before the end index)", lambda A, k: _low_rank_ref(A, k - 1)),
    Mistake("tail", "you returned the tail A - A_k (the part the approximation throws away); return "
            "A_k = U[:, :k] @ diag(s[:k]) @ Vt[:k]", lambda A, k: _f64(A) - _low_rank_ref(A, k)),
    Mistake("vt_columns", "you used the first k COLUMNS of Vt as if np.linalg.svd returned V; it returns Vt, "
            "whose first k ROWS are the right singular vectors: U[:, :k] @ diag(s[:k]) @ Vt[:k]",
            lambda A, k: _full_svd(A)[0][:, :k] @ np.diag(_svd(A)[1][:k]) @ _full_svd(A)[2][:, :k].T),
    Mistake("smallest", "you kept the k SMALLEST singular values; the best rank-k approximation keeps the k "
            "largest", lambda A, k: (lambda U, s, Vt: U[:, -k:] @ np.diag(s[-k:]) @ Vt[-k:])(*_svd(A))),
    Mistake("no_singular_values", "you multiplied U_k @ Vt_k without the singular values in between; "
            "A_k = U_k @ diag(s_k) @ Vt_k", lambda A, k: _svd(A)[0][:, :k] @ _svd(A)[2][:k]),
    Mistake("squared", "you used the squared singular values (eigenvalues of A.T @ A); use the singular values "
            "themselves", lambda A, k: _svd(A)[0][:, :k] @ np.diag(_svd(A)[1][:k] ** 2) @ _svd(A)[2][:k]),
]


check_low_rank = register(Check(
    id="svd.low_rank",
    target="low_rank",
    summary="low_rank(A, k) returns the best rank-k approximation A_k (tolerance 1e-6 relative to the largest "
            "entry)",
    make_cases=_svd_cases,
    # k = min(m, n) / 2 makes the k smallest triples equal A - A_k: name the mistake that fits every input
    judge=explaining_all(_low_rank_ref, LOW_RANK_MISTAKES, "low_rank(A, k)", tol=lambda case: TOL.value),
    tolerance=TOL,
    kind="value",
    mistakes=LOW_RANK_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# eckart_young_error
# ---------------------------------------------------------------------------------------

def _is_fro(norm) -> bool:
    return norm == "fro"


def _ey_ref(s, k, norm):
    s = _f64(s)
    if _is_fro(norm):
        return np.sqrt(np.sum(s[k:] ** 2))
    return s[k] if k < len(s) else 0.0


def _fro_only(wrong):
    return lambda s, k, norm: wrong(_f64(s), k) if _is_fro(norm) else _ey_ref(s, k, norm)


def _spectral_only(wrong):
    return lambda s, k, norm: _ey_ref(s, k, norm) if _is_fro(norm) else wrong(_f64(s), k)


EY_MISTAKES = [
    Mistake("not_squared", "you added up the discarded singular values without squaring them; the Frobenius "
            "error is sqrt(sum of s[k:]**2)", _fro_only(lambda s, k: np.sum(s[k:]))),
    Mistake("no_root", "you returned the sum of the squared discarded singular values; the Frobenius error is "
            "its square root", _fro_only(lambda s, k: np.sum(s[k:] ** 2))),
    Mistake("off_by_one", "you started the tail one index too late: the first discarded singular value is "
            "s[k] (Python counts from 0)", lambda s, k, norm: _ey_ref(s, k + 1, norm)),
    Mistake("off_by_one", "you started the tail one index too early: s[k - 1] is kept by the rank-k "
            "approximation; the first discarded one is s[k]", lambda s, k, norm: _ey_ref(s, k - 1, norm)),
    Mistake("kept_part", "you used the KEPT singular values s[:k]; the error comes from the discarded ones, "
            "s[k:]", lambda s, k, norm: _ey_ref(_f64(s)[:k], 0, norm)),
    Mistake("fro_for_spectral", "for norm 2 (spectral) you returned the Frobenius error; the spectral error "
            "is the single largest discarded singular value, s[k]",
            _spectral_only(lambda s, k: np.sqrt(np.sum(s[k:] ** 2)))),
    Mistake("spectral_sum", "for norm 2 (spectral) you added up the discarded singular values; the spectral "
            "error is the largest of them alone, s[k]", _spectral_only(lambda s, k: np.sum(s[k:]))),
    Mistake("relative", "you divided by the norm of A; return the error itself, not relative to ||A||",
            lambda s, k, norm: _ey_ref(s, k, norm) / _ey_ref(s, 0, norm)),
]


def _ey_cases(rng):
    def sv(r):
        return np.sqrt(inputs.spectrum(rng, r)) * rng.uniform(1.0, 30.0)

    cases = []
    for norm in ("fro", 2):
        r = int(rng.integers(6, 11))
        cases += [
            Case(f"norm {norm!r}, k = 2", {"s": sv(r), "k": 2, "norm": norm}),
            Case(f"norm {norm!r}, k = 1", {"s": sv(r), "k": 1, "norm": norm}),
            Case(f"norm {norm!r}, k = len(s) - 2", {"s": sv(r), "k": r - 2, "norm": norm}),
            Case(f"norm {norm!r}, k = 0 (nothing kept)", {"s": sv(r), "k": 0, "norm": norm}),
            Case(f"norm {norm!r}, k = len(s) (nothing discarded, error 0)", {"s": sv(r), "k": r, "norm": norm}),
        ]
    return cases


check_eckart_young_error = register(Check(
    id="svd.eckart_young_error",
    target="eckart_young_error",
    summary="eckart_young_error(s, k, norm) gives the error of the best rank-k approximation in the Frobenius "
            "and spectral norms (tolerance 1e-8 relative to the expected value)",
    make_cases=_ey_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _ey_ref, EXACT_TOL.value, EY_MISTAKES,
                                            what="eckart_young_error(s, k, norm)"),
    tolerance=EXACT_TOL,
    kind="value",
    mistakes=EY_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# storage_ratio
# ---------------------------------------------------------------------------------------

def _storage_ref(shape, k):
    m, n = shape
    return k * (m + n + 1) / (m * n)


STORAGE_MISTAKES = [
    Mistake("no_singular_values", "you counted U_k and Vt_k but not the k singular values; the factors hold "
            "k * (m + n + 1) numbers", lambda shape, k: k * (shape[0] + shape[1]) / (shape[0] * shape[1])),
    Mistake("inverted", "you returned full / factors (the compression factor); the ratio asked for is "
            "factors / full, k * (m + n + 1) / (m * n)", lambda shape, k: 1.0 / _storage_ref(shape, k)),
    Mistake("full_matrices", "you counted the full U (m, m) and Vt (n, n); a rank-k approximation stores only "
            "U_k (m, k), s_k (k,) and Vt_k (k, n)",
            lambda shape, k: (shape[0] ** 2 + shape[1] ** 2 + k) / (shape[0] * shape[1])),
    Mistake("square_s", "you counted diag(s_k) as a k x k matrix (k * k numbers); only the k singular values "
            "need storing", lambda shape, k: (k * (shape[0] + shape[1]) + k * k) / (shape[0] * shape[1])),
    Mistake("off_by_one", "you counted k + 1 singular triples; each of the k triples stores m + n + 1 numbers",
            lambda shape, k: _storage_ref(shape, k + 1)),
    Mistake("saving", "you returned the fraction SAVED, 1 - ratio; return the fraction kept, "
            "k * (m + n + 1) / (m * n)", lambda shape, k: 1.0 - _storage_ref(shape, k)),
    Mistake("one_side", "you counted only one factor (k * m or k * n numbers); the approximation stores U_k, "
            "s_k and Vt_k", lambda shape, k: k * shape[0] / (shape[0] * shape[1])),
]


def _storage_cases(rng):
    m, n = int(rng.integers(200, 900)), int(rng.integers(100, 700))
    return [
        Case("a photo-sized matrix, k = 20", {"shape": (m, n), "k": 20}),
        Case("a square matrix, k = 1", {"shape": (n, n), "k": 1}),
        Case("a wide matrix, k = 50", {"shape": (int(rng.integers(60, 100)), m), "k": 50}),
        Case("k = min(m, n) (more numbers than the matrix)", {"shape": (40, 30), "k": 30}),
    ]


check_storage_ratio = register(Check(
    id="svd.storage_ratio",
    target="storage_ratio",
    summary="storage_ratio(shape, k) is the numbers stored by U_k, s_k and Vt_k over m * n (tolerance 1e-8 "
            "relative to the expected value)",
    make_cases=_storage_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _storage_ref, EXACT_TOL.value, STORAGE_MISTAKES,
                                            what="storage_ratio(shape, k)"),
    tolerance=EXACT_TOL,
    kind="value",
    mistakes=STORAGE_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# pinv
# ---------------------------------------------------------------------------------------

def _pinv_with(A, keep):
    U, s, Vt = _svd(A)
    inv = np.zeros_like(s)
    inv[keep(s)] = 1.0 / s[keep(s)]
    return Vt.T @ np.diag(inv) @ U.T


def _pinv_ref(A, rcond):
    return _pinv_with(A, lambda s: s > rcond * s.max())


PINV_MISTAKES = [
    Mistake("no_cutoff", "you inverted every singular value, including ones that are zero up to rounding, so "
            "1 / s explodes; set 1 / s to 0 wherever s <= rcond * s.max()"),
    Mistake("absolute_cutoff", "you compared the singular values with rcond itself; the cut-off is relative "
            "to the largest: drop s <= rcond * s.max()", lambda A, rcond: _pinv_with(A, lambda s: s > rcond)),
    Mistake("rcond_ignored", "you ignored rcond (the library default cuts far less); drop every singular value "
            "s <= rcond * s.max()", lambda A, rcond: _pinv_with(A, lambda s: s > 1e-15 * s.max())),
    Mistake("transposed", "your result is the transpose of the pseudoinverse; A+ = V diag(1/s) U.T has shape "
            "(n, m)", lambda A, rcond: _pinv_ref(A, rcond).T),
    Mistake("not_inverted", "you used the singular values themselves; the pseudoinverse uses their "
            "reciprocals 1 / s (for the ones kept)",
            lambda A, rcond: (lambda U, s, Vt: Vt.T @ np.diag(np.where(s > rcond * s.max(), s, 0.0)) @ U.T)(
                *_svd(A))),
    Mistake("squared", "you divided by the squared singular values; the pseudoinverse divides by s itself",
            lambda A, rcond: (lambda U, s, Vt: Vt.T @ np.diag(np.where(s > rcond * s.max(), 1 / s**2, 0.0)) @ U.T)(
                *_svd(A))),
]


def _spectrum_matrix(rng, m, n, s):
    r = len(s)
    return inputs.orthonormal(rng, m, r) @ np.diag(s) @ inputs.orthonormal(rng, n, r).T


def _pinv_cases(rng):
    m, n = _dims(rng)
    return [
        Case("a full-rank tall matrix", {"A": _matrix(rng, m + 3, n), "rcond": 1e-10}),
        Case("a full-rank wide matrix", {"A": _matrix(rng, n, m + 3), "rcond": 1e-10}),
        Case("a rank-deficient square matrix (rank 3 of 6)", {"A": _matrix(rng, 6, 6, rank=3), "rcond": 1e-10}),
        Case("a rank-2 tall matrix", {"A": _matrix(rng, 9, 5, rank=2), "rcond": 1e-10}),
        Case("a small singular value just below rcond * s.max()",
             {"A": _spectrum_matrix(rng, 6, 4, np.array([0.5, 0.2, 0.05, 4e-4])), "rcond": 1e-3}),
        Case("a large-scale matrix with a small singular value to cut",
             {"A": _spectrum_matrix(rng, 7, 5, np.array([4e4, 900.0, 120.0, 30.0, 0.02])), "rcond": 1e-5}),
    ]


def _diagnose_pinv(case, received, expected):
    (r,), (e,) = received, expected
    if r.shape != e.shape:
        return None
    r = r.astype(np.float64)
    if not np.all(np.isfinite(r)) or np.max(np.abs(r)) > 1e3 * np.max(np.abs(e)):
        return Verdict(False, describe_failure(case, PINV_MISTAKES[0].message), "no_cutoff")
    return None


check_pinv = register(Check(
    id="svd.pinv",
    target="pinv",
    summary="pinv(A, rcond) is the pseudoinverse through the SVD, singular values <= rcond * s.max() cut "
            "(tolerance 1e-6 relative to the largest entry)",
    make_cases=_pinv_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _pinv_ref, TOL.value, PINV_MISTAKES,
                                            what="pinv(A, rcond)", diagnose=_diagnose_pinv),
    forbidden=NO_LIBRARY_PINV,
    tolerance=TOL,
    kind="value",
    mistakes=PINV_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# compress
# ---------------------------------------------------------------------------------------

def _compress_ref(image, k):
    image = _f64(image)
    return np.stack([_low_rank_ref(image[:, :, c], k) for c in range(image.shape[2])], axis=2)


def _mixed_wide(image, k):
    image = _f64(image)
    h, w, c = image.shape
    return _low_rank_ref(image.reshape(h, w * c), k).reshape(h, w, c)


def _mixed_stacked(image, k):
    image = _f64(image)
    h, w, c = image.shape
    return _low_rank_ref(image.transpose(2, 0, 1).reshape(c * h, w), k).reshape(c, h, w).transpose(1, 2, 0)


def _one_channel(image, k, which):
    image = _f64(image)
    grey = image.mean(axis=2) if which == "mean" else image[:, :, which]
    return np.repeat(_low_rank_ref(grey, k)[:, :, None], image.shape[2], axis=2)


COMPRESS_MISTAKES = [
    Mistake("channels_mixed", "you approximated the (h, w * 3) matrix of all three channels side by side; "
            "each colour channel image[:, :, c] gets its own rank-k SVD", _mixed_wide),
    Mistake("channels_mixed", "you stacked the three channels into one (3h, w) matrix; each colour channel "
            "image[:, :, c] gets its own rank-k SVD", _mixed_stacked),
    Mistake("grey", "you approximated the grey image (the mean of the channels) and copied it into every "
            "channel; compress each colour channel on its own", lambda image, k: _one_channel(image, k, "mean")),
    Mistake("one_channel", "every channel of your result is the approximation of the first (red) channel; "
            "loop over the channels, image[:, :, c] for c = 0, 1, 2", lambda image, k: _one_channel(image, k, 0)),
    Mistake("off_by_one", "each channel of your result has rank k + 1; keep exactly the first k singular "
            "triples", lambda image, k: _compress_ref(image, k + 1)),
    Mistake("off_by_one", "each channel of your result has rank k - 1; keep exactly the first k singular "
            "triples", lambda image, k: _compress_ref(image, k - 1)),
    Mistake("tail", "you returned what the approximation throws away (channel - its rank-k approximation); "
            "return the rank-k approximation of each channel",
            lambda image, k: _f64(image) - _compress_ref(image, k)),
    Mistake("clipped", "you clipped or rounded the result to whole numbers in 0..255; return the rank-k "
            "approximations as floats, unclipped (clip only to display them)",
            lambda image, k: np.clip(np.round(_compress_ref(image, k)), 0, 255)),
]


def _photo(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A uint8 colour picture: smooth shading, a few shapes, different in each channel, and noise."""
    y, x = np.mgrid[0:h, 0:w] / max(h, w)
    channels = []
    for _ in range(3):
        a, b, c = rng.uniform(-1, 1, size=3)
        base = 128 + 80 * np.sin(3 * a * x + 2 * b * y + c)
        cy, cx, r = rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8), rng.uniform(0.1, 0.3)
        base += 60 * (((y - cy) ** 2 + (x - cx) ** 2) < r * r)
        channels.append(base + rng.normal(scale=8, size=(h, w)))
    return np.clip(np.stack(channels, axis=2), 0, 255).astype(np.uint8)


def _compress_cases(rng):
    def size():
        return int(rng.integers(18, 30)), int(rng.integers(22, 40))

    return [
        Case("a uint8 picture, k = 4", {"image": _photo(rng, *size()), "k": 4}),
        Case("a uint8 picture, k = 1", {"image": _photo(rng, *size()), "k": 1}),
        Case("a float picture with values in [0, 1], k = 6", {"image": _photo(rng, *size()) / 255.0, "k": 6}),
        Case("a float32 picture, k = 3", {"image": _photo(rng, *size()).astype(np.float32), "k": 3}),
    ]


check_compress = register(Check(
    id="svd.compress",
    target="compress",
    summary="compress(image, k) replaces each colour channel by its best rank-k approximation (tolerance 1e-6 "
            "relative to the largest entry)",
    make_cases=_compress_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _compress_ref, TOL.value, COMPRESS_MISTAKES,
                                            what="compress(image, k)"),
    tolerance=TOL,
    kind="value",
    mistakes=COMPRESS_MISTAKES,
)).runner()
