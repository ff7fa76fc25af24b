"""Hidden checks for p2-photo-filters: 2-D convolution by hand, Gaussian kernels, Sobel
edges, a filter as a matrix on the flattened image, colour matrices, and the conversion
back to valid 8-bit pixels.

Conventions the prompts state and these checks enforce:

* ``convolve2d(image, kernel)``: a true convolution (the kernel is flipped), output the same
  size as the image, border rule "repeat the edge pixel" (``np.pad(..., mode="edge")``);
  for a kernel of shape (2r + 1, 2c + 1), out[i, j] = sum over u, v of
  kernel[r + u, c + v] * image[i - u, j - v]; returns floats, unclipped;
* ``gaussian_kernel(size, sigma)``: exp(-(u**2 + v**2) / (2 sigma**2)) on offsets
  u, v = -(size // 2) .. size // 2, divided by its sum;
* ``sobel_edges(image)``: sqrt(gx**2 + gy**2) with gx = convolve2d(image, SOBEL_X) and
  gy = convolve2d(image, SOBEL_X.T), same border rule;
* ``filter_matrix(shape, kernel)``: the (h w, h w) matrix F with
  F @ image.ravel() == convolve2d(image, kernel).ravel() (row-major flattening);
* ``color_transform(image, M)``: every pixel's (r, g, b) replaced by M @ (r, g, b), floats,
  unclipped;
* ``to_uint8(image)``: round to the nearest integer, clip to 0..255, dtype uint8.

Inputs are small synthetic pictures drawn from the seed (smooth shading, a shape, noise),
uint8, float in [0, 1] and float32. Errors are measured on the scale of the answer,
``max|yours - expected| <= tol * max|expected|``.
"""

from __future__ import annotations

import numpy as np

from autograder import scratch
from autograder.checks._kit import Case, Check, Mistake, Tolerance, register
from autograder.checks._kit.compare import judge_all

TOL = Tolerance(1e-6, "scale", floor=1e-8)
EXACT = Tolerance(0.0, "exact", floor=0.0)

NO_LIBRARY_CONVOLUTION = scratch.Rule(
    "a library convolution or filter (scipy.ndimage, scipy.signal, OpenCV, scikit-image, np.convolve or torch's "
    "conv2d)",
    modules=("scipy.ndimage", "scipy.signal", "cv2", "skimage"),
    roots=("numpy", "scipy", "torch"),
    names=("convolve", "correlate", "convolve2d", "correlate2d", "fftconvolve", "oaconvolve", "conv1d", "conv2d",
           "Conv2d", "sobel", "gaussian_filter", "uniform_filter"))

SOBEL_X = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
BOX3 = np.full((3, 3), 1.0 / 9.0)
SEPIA = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]])
GREY = np.tile([0.299, 0.587, 0.114], (3, 1))


def _f64(x) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


# ---------------------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------------------

def _picture(rng: np.random.Generator, h: int, w: int, channels: int = 0) -> np.ndarray:
    """A uint8 picture: smooth shading, a bright disc, noise; (h, w) or (h, w, channels)."""
    y, x = np.mgrid[0:h, 0:w] / max(h, w)
    planes = []
    for _ in range(max(channels, 1)):
        a, b, c = rng.uniform(-1, 1, size=3)
        base = 120 + 70 * np.sin(4 * a * x + 3 * b * y + c)
        cy, cx, r = rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8), rng.uniform(0.15, 0.35)
        base += 70 * (((y - cy) ** 2 + (x - cx) ** 2) < r * r)
        planes.append(base + rng.normal(scale=10, size=(h, w)))
    image = np.stack(planes, axis=2) if channels else planes[0]
    return np.clip(image, 0, 255).astype(np.uint8)


def _asymmetric(rng: np.random.Generator, kh: int, kw: int) -> np.ndarray:
    """A kernel with no symmetry at all, so a flipped or transposed one gives another result."""
    return rng.normal(size=(kh, kw)) + np.arange(kh * kw).reshape(kh, kw) / (kh * kw)


def _gauss(size: int, sigma: float) -> np.ndarray:
    u = np.arange(size) - size // 2
    g = np.exp(-(u[:, None] ** 2 + u[None, :] ** 2) / (2 * sigma**2))
    return g / g.sum()


def _size(rng, low=7, high=13):
    return int(rng.integers(low, high)), int(rng.integers(low + 2, high + 3))


# ---------------------------------------------------------------------------------------
# convolve2d
# ---------------------------------------------------------------------------------------

def _conv(image, kernel, mode: str = "edge") -> np.ndarray:
    """The convolution, written as a sum of shifted copies of the padded image."""
    image, kernel = _f64(image), _f64(kernel)
    kh, kw = kernel.shape
    h, w = image.shape
    padded = np.pad(image, ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode=mode)
    out = np.zeros((h, w))
    for a in range(kh):
        for b in range(kw):
            # kernel[a, b] multiplies image[i - (a - kh // 2), j - (b - kw // 2)]
            out += kernel[a, b] * padded[kh - 1 - a: kh - 1 - a + h, kw - 1 - b: kw - 1 - b + w]
    return out


def _conv_ref(image, kernel):
    return _conv(image, kernel)


def _valid(image, kernel):
    kh, kw = np.shape(kernel)
    full = _conv(image, kernel)
    h, w = full.shape
    if h < kh or w < kw:
        return None
    return full[kh // 2: h - kh // 2, kw // 2: w - kw // 2]


def _in_input_dtype(image, kernel):
    if np.asarray(image).dtype.kind not in "iu":
        return None
    with np.errstate(all="ignore"):
        return _conv(image, kernel).astype(np.asarray(image).dtype)


CONVOLVE_MISTAKES = [
    Mistake("correlation", "you slid the kernel without flipping it (a correlation); a convolution flips the kernel "
            "in both directions: out[i, j] = sum of kernel[r + u, c + v] * image[i - u, j - v], or correlate with "
            "kernel[::-1, ::-1]", lambda image, kernel: _conv(image, _f64(kernel)[::-1, ::-1])),
    Mistake("flip_one_axis", "you flipped the kernel in one direction only; a convolution flips it both up-down "
            "and left-right (kernel[::-1, ::-1])", lambda image, kernel: _conv(image, _f64(kernel)[::-1, :])),
    Mistake("flip_one_axis", "you flipped the kernel in one direction only; a convolution flips it both up-down "
            "and left-right (kernel[::-1, ::-1])", lambda image, kernel: _conv(image, _f64(kernel)[:, ::-1])),
    Mistake("kernel_transposed", "you used the transposed kernel (rows and columns swapped); flipping means "
            "reversing both axes, kernel[::-1, ::-1], not kernel.T",
            lambda image, kernel: _conv(image, _f64(kernel).T) if np.shape(kernel)[0] == np.shape(kernel)[1]
            else None),
    Mistake("zero_border", "you padded the border with zeros, which darkens the edges of a blurred photo; the "
            "border rule here repeats the edge pixel (np.pad(image, ..., mode=\"edge\"))",
            lambda image, kernel: _conv(image, kernel, "constant")),
    Mistake("wrap_border", "your border wraps around to the opposite side of the image (like np.roll); the border "
            "rule here repeats the edge pixel (np.pad(image, ..., mode=\"edge\"))",
            lambda image, kernel: _conv(image, kernel, "wrap")),
    Mistake("mirror_border", "you mirrored the image at the border; the border rule here repeats the edge pixel "
            "(np.pad(image, ..., mode=\"edge\"))", lambda image, kernel: _conv(image, kernel, "reflect")),
    Mistake("mirror_border", "you mirrored the image at the border; the border rule here repeats the edge pixel "
            "(np.pad(image, ..., mode=\"edge\"))", lambda image, kernel: _conv(image, kernel, "symmetric")),
    Mistake("valid_only", "your output is smaller than the image: you kept only the pixels where the kernel fits "
            "inside; pad the image first (repeat the edge pixels) so the output has the image's shape", _valid),
    Mistake("mean_not_sum", "you averaged the products (np.mean) instead of adding them; a convolution is the "
            "weighted SUM, the kernel's own weights do any averaging",
            lambda image, kernel: _conv(image, kernel) / np.size(kernel)),
    Mistake("input_dtype", "your result kept the input's integer dtype (uint8), so every value was cut to a whole "
            "number and negative or large ones wrapped around; compute in floats (image.astype(float)) and return "
            "floats", _in_input_dtype),
]


def _convolve_cases(rng):
    h, w = _size(rng)
    return [
        Case("a uint8 picture, a 3 x 3 kernel with no symmetry", {"image": _picture(rng, h, w),
                                                                 "kernel": _asymmetric(rng, 3, 3)}),
        Case("a float picture in [0, 1], a 3 x 5 kernel with no symmetry",
             {"image": _picture(rng, h + 1, w) / 255.0, "kernel": _asymmetric(rng, 3, 5)}),
        Case("a uint8 picture, the Sobel kernel (negative outputs)", {"image": _picture(rng, h, w + 2),
                                                                     "kernel": SOBEL_X.copy()}),
        Case("a float32 picture, a 5 x 5 Gaussian", {"image": _picture(rng, h, w).astype(np.float32),
                                                     "kernel": _gauss(5, 1.2)}),
        Case("a 3 x 3 box blur", {"image": _picture(rng, h + 2, w - 1), "kernel": BOX3.copy()}),
        Case("a 4 x 5 picture, smaller than its 5 x 5 kernel", {"image": _picture(rng, 4, 5),
                                                                "kernel": _asymmetric(rng, 5, 5)}),
    ]


check_convolve2d = register(Check(
    id="filters.convolve2d",
    target="convolve2d",
    summary="convolve2d(image, kernel) is the convolution with the kernel flipped and the edge pixels repeated "
            "(tolerance 1e-6 relative to the largest entry)",
    make_cases=_convolve_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _conv_ref, TOL.value, CONVOLVE_MISTAKES,
                                            what="convolve2d(image, kernel)"),
    forbidden=NO_LIBRARY_CONVOLUTION,
    tolerance=TOL,
    kind="value",
    mistakes=CONVOLVE_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# gaussian_kernel
# ---------------------------------------------------------------------------------------

def _gauss_with(size, sigma, offsets=None, denominator=None, normalise=True):
    u = np.arange(size) - size // 2 if offsets is None else offsets
    d = 2 * sigma**2 if denominator is None else denominator
    g = np.exp(-(u[:, None] ** 2 + u[None, :] ** 2) / d)
    return g / g.sum() if normalise else g


def _gauss_1d(size, sigma):
    u = np.arange(size) - size // 2
    g = np.exp(-(u**2) / (2 * sigma**2))
    return g / g.sum()


GAUSSIAN_MISTAKES = [
    Mistake("not_normalised", "your weights do not add up to 1 (you did not divide by their sum), so the blur "
            "brightens the photo; divide the kernel by kernel.sum()",
            lambda size, sigma: _gauss_with(size, sigma, normalise=False)),
    Mistake("continuous_constant", "you divided by 2 pi sigma**2, the constant of the continuous Gaussian; on a "
            "small grid the weights then do not add up to exactly 1: divide by kernel.sum() instead",
            lambda size, sigma: _gauss_with(size, sigma, normalise=False) / (2 * np.pi * sigma**2)),
    Mistake("sigma_as_variance", "you used sigma as the variance (exp(-r**2 / (2 sigma))); sigma is the standard "
            "deviation: exp(-r**2 / (2 sigma**2))", lambda size, sigma: _gauss_with(size, sigma, denominator=2 * sigma)),
    Mistake("no_two", "you left out the 2 in the exponent (exp(-r**2 / sigma**2)); the Gaussian is "
            "exp(-r**2 / (2 sigma**2))", lambda size, sigma: _gauss_with(size, sigma, denominator=sigma**2)),
    Mistake("off_centre", "your kernel peaks in a corner: the offsets must run from -(size // 2) to size // 2, "
            "centred on the middle entry (np.arange(size) - size // 2)",
            lambda size, sigma: _gauss_with(size, sigma, offsets=np.arange(size))),
    Mistake("one_d", "you returned the 1-D Gaussian (size,); return the 2-D kernel (size, size), e.g. the outer "
            "product of the 1-D one with itself", _gauss_1d),
    Mistake("rows_normalised", "you made each ROW add up to 1, so the whole kernel adds up to size; divide by the "
            "sum of all the weights", lambda size, sigma: (lambda g: g / g.sum(axis=1, keepdims=True))(
                _gauss_with(size, sigma, normalise=False))),
]


def _gaussian_cases(rng):
    return [
        Case("size 5, sigma 1", {"size": 5, "sigma": 1.0}),
        Case("size 3, sigma 0.5 (a narrow peak)", {"size": 3, "sigma": 0.5}),
        Case("size 7, a random sigma", {"size": 7, "sigma": float(rng.uniform(1.3, 2.5))}),
        Case("size 9, a random sigma", {"size": 9, "sigma": float(rng.uniform(0.6, 1.8))}),
        Case("size 5, sigma 8 (almost a box blur)", {"size": 5, "sigma": 8.0}),
        Case("size 1 (a single weight)", {"size": 1, "sigma": 1.0}),
    ]


check_gaussian_kernel = register(Check(
    id="filters.gaussian_kernel",
    target="gaussian_kernel",
    summary="gaussian_kernel(size, sigma) is the centred 2-D Gaussian with weights adding up to 1 (tolerance 1e-6 "
            "relative to the largest entry)",
    make_cases=_gaussian_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _gauss, TOL.value, GAUSSIAN_MISTAKES,
                                            what="gaussian_kernel(size, sigma)"),
    tolerance=TOL,
    kind="value",
    mistakes=GAUSSIAN_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# sobel_edges
# ---------------------------------------------------------------------------------------

def _gradients(image, mode="edge"):
    return _conv(image, SOBEL_X, mode), _conv(image, SOBEL_X.T, mode)


def _sobel_ref(image):
    gx, gy = _gradients(image)
    return np.sqrt(gx**2 + gy**2)


SOBEL_MISTAKES = [
    Mistake("no_sqrt", "you returned gx**2 + gy**2; the edge strength is its square root, sqrt(gx**2 + gy**2)",
            lambda image: (lambda gx, gy: gx**2 + gy**2)(*_gradients(image))),
    Mistake("abs_sum", "you returned |gx| + |gy|; the edge strength asked for is the length of the gradient, "
            "sqrt(gx**2 + gy**2)", lambda image: (lambda gx, gy: np.abs(gx) + np.abs(gy))(*_gradients(image))),
    Mistake("signed_sum", "you added the two gradients, gx + gy, so edges in the two directions can cancel; the "
            "edge strength is sqrt(gx**2 + gy**2)", lambda image: (lambda gx, gy: gx + gy)(*_gradients(image))),
    Mistake("one_direction", "you used one direction only (|gx|): vertical edges only; combine both, "
            "sqrt(gx**2 + gy**2) with gy from SOBEL_X.T", lambda image: np.abs(_gradients(image)[0])),
    Mistake("one_direction", "you used one direction only (|gy|): horizontal edges only; combine both, "
            "sqrt(gx**2 + gy**2) with gx from SOBEL_X", lambda image: np.abs(_gradients(image)[1])),
    Mistake("zero_border", "you padded with zeros, so the frame of the picture shows up as a strong edge; repeat "
            "the edge pixels (the convolve2d border rule)",
            lambda image: (lambda gx, gy: np.sqrt(gx**2 + gy**2))(*_gradients(image, "constant"))),
    Mistake("rescaled", "you rescaled the edge strength (divided by its largest value); return "
            "sqrt(gx**2 + gy**2) itself, rescale only to display it",
            lambda image: _sobel_ref(image) / max(_sobel_ref(image).max(), 1e-300)),
    Mistake("input_dtype", "your gradients kept the input's integer dtype (uint8), so negative values wrapped "
            "around; convert the image to floats first",
            lambda image: (lambda gx, gy: np.sqrt(gx**2 + gy**2))(
                *(g.astype(np.uint8).astype(float) for g in _gradients(image)))
            if np.asarray(image).dtype == np.uint8 else None),
]


def _ramp(rng, h, w):
    y, x = np.mgrid[0:h, 0:w]
    a, b = rng.uniform(0.5, 3.0, size=2)
    return a * x + b * y + 10.0


def _sobel_cases(rng):
    h, w = _size(rng)
    step = np.zeros((h, w))
    step[:, int(rng.integers(3, w - 3)):] = 200.0
    step += rng.normal(scale=3, size=(h, w))
    return [
        Case("a uint8 picture", {"image": _picture(rng, h, w)}),
        Case("a vertical step edge with noise", {"image": step}),
        Case("a float picture in [0, 1]", {"image": _picture(rng, h + 2, w) / 255.0}),
        Case("a float32 picture", {"image": _picture(rng, h, w + 1).astype(np.float32)}),
        Case("a linear ramp (the same gradient everywhere inside)", {"image": _ramp(rng, h, w)}),
    ]


check_sobel_edges = register(Check(
    id="filters.sobel_edges",
    target="sobel_edges",
    summary="sobel_edges(image) is sqrt(gx**2 + gy**2) from the two Sobel convolutions, edge pixels repeated "
            "(tolerance 1e-6 relative to the largest entry)",
    make_cases=_sobel_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _sobel_ref, TOL.value, SOBEL_MISTAKES,
                                            what="sobel_edges(image)"),
    forbidden=NO_LIBRARY_CONVOLUTION,
    tolerance=TOL,
    kind="value",
    mistakes=SOBEL_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# filter_matrix
# ---------------------------------------------------------------------------------------

def _matrix(shape, kernel, mode="edge", order="C", flip=False):
    """Column q is the filtered image of the q-th basis image (a single 1 at pixel q)."""
    h, w = shape
    kernel = _f64(kernel)[::-1, ::-1] if flip else _f64(kernel)
    columns = []
    for q in range(h * w):
        e = np.zeros(h * w)
        e[q] = 1.0
        columns.append(_conv(e.reshape((h, w), order=order), kernel, mode).ravel(order=order))
    return np.stack(columns, axis=1)


def _matrix_ref(shape, kernel):
    return _matrix(shape, kernel)


def _matrix_valid(shape, kernel):
    h, w = shape
    kh, kw = np.shape(kernel)
    keep = np.zeros((h, w), dtype=bool)
    keep[kh // 2: h - kh // 2, kw // 2: w - kw // 2] = True
    return _matrix(shape, kernel)[keep.ravel()]


MATRIX_MISTAKES = [
    Mistake("transposed", "your matrix is the transpose of the filter matrix: row p must hold the weights that "
            "make output pixel p (F @ image.ravel()), column q is what input pixel q spreads to",
            lambda shape, kernel: _matrix(shape, kernel).T),
    Mistake("column_major", "you flattened the image column by column (order=\"F\"); flatten row by row, like "
            "image.ravel(): pixel (i, j) is entry i * w + j", lambda shape, kernel: _matrix(shape, kernel, order="F")),
    Mistake("correlation", "your matrix applies the kernel without flipping it (a correlation); it must reproduce "
            "convolve2d, which flips the kernel", lambda shape, kernel: _matrix(shape, kernel, flip=True)),
    Mistake("zero_border", "your matrix pads the border with zeros; it must follow the convolve2d border rule, "
            "where a weight that falls outside lands on the nearest edge pixel",
            lambda shape, kernel: _matrix(shape, kernel, "constant")),
    Mistake("wrap_border", "your matrix wraps the border around to the opposite side; a weight that falls outside "
            "lands on the nearest edge pixel", lambda shape, kernel: _matrix(shape, kernel, "wrap")),
    Mistake("mirror_border", "your matrix mirrors the image at the border; a weight that falls outside lands on "
            "the nearest edge pixel", lambda shape, kernel: _matrix(shape, kernel, "reflect")),
    Mistake("valid_only", "your matrix has rows only for the pixels where the kernel fits inside; it must have "
            "one row per pixel, shape (h * w, h * w)", _matrix_valid),
]


def _matrix_cases(rng):
    h, w = int(rng.integers(4, 7)), int(rng.integers(5, 8))
    return [
        Case("a 3 x 3 kernel with no symmetry", {"shape": (h, w), "kernel": _asymmetric(rng, 3, 3)}),
        Case("a 3 x 3 box blur on a square image", {"shape": (5, 5), "kernel": BOX3.copy()}),
        Case("a 3 x 5 kernel with no symmetry", {"shape": (w, h + 1), "kernel": _asymmetric(rng, 3, 5)}),
        Case("the Sobel kernel on a wide image", {"shape": (3, 7), "kernel": SOBEL_X.copy()}),
    ]


check_filter_matrix = register(Check(
    id="filters.filter_matrix",
    target="filter_matrix",
    summary="filter_matrix(shape, kernel) is the (h*w, h*w) matrix of convolve2d on the row-major flattened image "
            "(tolerance 1e-6 relative to the largest entry)",
    make_cases=_matrix_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _matrix_ref, TOL.value, MATRIX_MISTAKES,
                                            what="filter_matrix(shape, kernel)"),
    forbidden=NO_LIBRARY_CONVOLUTION,
    tolerance=TOL,
    kind="value",
    mistakes=MATRIX_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# color_transform
# ---------------------------------------------------------------------------------------

def _colour_ref(image, M):
    return np.einsum("ij,hwj->hwi", _f64(M), _f64(image))


def _mixed_rows(image, M):
    image = _f64(image)
    h, w, _ = image.shape
    return (_f64(M) @ image.reshape(3, -1)).reshape(h, w, 3)


def _not_back(image, M):
    image = _f64(image)
    h, w, _ = image.shape
    return (_f64(M) @ image.reshape(-1, 3).T).reshape(h, w, 3)


COLOUR_MISTAKES = [
    Mistake("transposed", "you multiplied by M instead of M.T (pixels @ M); with pixels as rows, each pixel "
            "becomes M @ pixel when you compute pixels @ M.T", lambda image, M: _f64(image) @ _f64(M)),
    Mistake("channels_mixed", "you reshaped the (h, w, 3) image to (3, h * w), which mixes values of different "
            "pixels into one column; reshape to (h * w, 3) (one pixel per row) and multiply by M.T", _mixed_rows),
    Mistake("channels_mixed", "you computed M @ pixels.T, shape (3, h * w), and reshaped it straight to (h, w, 3), "
            "which scrambles the channels; transpose back first, (M @ pixels.T).T", _not_back),
    Mistake("diagonal_only", "you scaled each channel by the diagonal of M only; each new channel is a mix of all "
            "three old ones: new = M @ (r, g, b)", lambda image, M: _f64(image) * np.diag(_f64(M))),
    Mistake("input_dtype", "your result kept the input's uint8 dtype, so values were cut to whole numbers and "
            "values above 255 wrapped around; compute and return floats",
            lambda image, M: _colour_ref(image, M).astype(np.uint8) if np.asarray(image).dtype == np.uint8 else None),
    Mistake("clipped", "you clipped the result to 0..255; return the transformed values unclipped (to_uint8 "
            "does the clipping, for display)", lambda image, M: np.clip(_colour_ref(image, M), 0, 255)),
    Mistake("rounded", "you rounded the result to whole numbers; return the exact floats",
            lambda image, M: np.round(_colour_ref(image, M))),
]


def _colour_cases(rng):
    h, w = _size(rng, 5, 9)
    random_m = rng.uniform(-0.3, 0.9, size=(3, 3))
    return [
        Case("a uint8 picture, the sepia matrix (values above 255)", {"image": _picture(rng, h, w, 3),
                                                                     "M": SEPIA.copy()}),
        Case("a float picture in [0, 1], a random 3 x 3 matrix", {"image": _picture(rng, h, w + 1, 3) / 255.0,
                                                                  "M": random_m}),
        Case("a float32 picture, the grey matrix", {"image": _picture(rng, h + 1, w, 3).astype(np.float32),
                                                    "M": GREY.copy()}),
        Case("a uint8 picture, a random matrix", {"image": _picture(rng, h, w, 3),
                                                  "M": rng.uniform(-0.5, 1.2, size=(3, 3))}),
    ]


check_color_transform = register(Check(
    id="filters.color_transform",
    target="color_transform",
    summary="color_transform(image, M) replaces every pixel p by M @ p, as floats (tolerance 1e-6 relative to "
            "the largest entry)",
    make_cases=_colour_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _colour_ref, TOL.value, COLOUR_MISTAKES,
                                            what="color_transform(image, M)"),
    tolerance=TOL,
    kind="value",
    mistakes=COLOUR_MISTAKES,
)).runner()


# ---------------------------------------------------------------------------------------
# to_uint8
# ---------------------------------------------------------------------------------------

def _cast(x) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.asarray(x).astype(np.uint8)


def _uint8_ref(image):
    return np.clip(np.round(_f64(image)), 0, 255).astype(np.uint8)


def _stretch(image):
    x = _f64(image)
    span = x.max() - x.min()
    return np.round((x - x.min()) / span * 255).astype(np.uint8) if span > 0 else None


UINT8_MISTAKES = [
    Mistake("overflow", "you converted with .astype(np.uint8) without clipping: values below 0 or above 255 wrap "
            "around (256 becomes 0, -1 becomes 255); clip to 0..255 first", lambda image: _cast(np.round(_f64(image)))),
    Mistake("overflow", "you converted with .astype(np.uint8) without clipping: values below 0 or above 255 wrap "
            "around (256 becomes 0, -1 becomes 255); clip to 0..255 first", lambda image: _cast(image)),
    Mistake("truncated", "you cut off the decimals (.astype truncates: 254.9 becomes 254); round to the nearest "
            "integer first with np.round", lambda image: _cast(np.clip(_f64(image), 0, 255))),
    Mistake("low_end", "you clipped only the top (np.minimum(x, 255)); negative values still wrap around to large "
            "ones: clip both ends, np.clip(x, 0, 255)", lambda image: _cast(np.round(np.minimum(_f64(image), 255)))),
    Mistake("stretched", "you stretched the range (min to 0, max to 255), which changes every pixel; clip "
            "instead: values inside 0..255 stay as they are", _stretch),
    Mistake("unit_range", "you treated the image as floats in [0, 1] (clip to [0, 1], times 255); these values "
            "are already on the 0..255 scale: round and clip to 0..255",
            lambda image: _cast(np.round(np.clip(_f64(image), 0, 1) * 255))),
    Mistake("abs_negative", "you took absolute values, so -40 became 40; negative values clip to 0",
            lambda image: _uint8_ref(np.abs(_f64(image)))),
    Mistake("not_uint8", "the values are right but the dtype is not uint8; return x.astype(np.uint8) after rounding "
            "and clipping"),
]


def _uint8_cases(rng):
    h, w = _size(rng, 5, 9)

    def overshoot(*shape):
        x = rng.uniform(-60.0, 320.0, size=shape)
        x.flat[0], x.flat[1] = -0.4, 255.4  # just outside: round into range
        return x

    return [
        Case("a colour image with values from -60 to 320", {"image": overshoot(h, w, 3)}),
        Case("a grey image with values from -60 to 320", {"image": overshoot(h, w)}),
        Case("a float32 image with values from -60 to 320", {"image": overshoot(h, w + 1, 3).astype(np.float32)}),
        Case("values inside 0..255 only", {"image": rng.uniform(3.0, 250.0, size=(h, w, 3))}),
        Case("integers from -300 to 600 (int64)", {"image": rng.integers(-300, 600, size=(h, w))}),
    ]


check_to_uint8 = register(Check(
    id="filters.to_uint8",
    target="to_uint8",
    summary="to_uint8(image) rounds, clips to 0..255 and returns uint8 (exact)",
    make_cases=_uint8_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _uint8_ref, EXACT.value, UINT8_MISTAKES,
                                            what="to_uint8(image)", dtype_kind="u",
                                            dtype_mistake=("not_uint8", UINT8_MISTAKES[-1].message)),
    tolerance=EXACT,
    kind="value",
    mistakes=UINT8_MISTAKES,
)).runner()
