"""Correct variants and catalogued mistakes for the p2-photo-filters checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


# A convolution with a chosen border and flip, for the mistakes that change only those.
CONV = _c("""
    import numpy as np
    def _conv(image, kernel, mode="edge", flip=True):
        image = np.asarray(image, dtype=float)
        kernel = np.asarray(kernel, dtype=float)
        if flip:
            kernel = kernel[::-1, ::-1]
        kh, kw = kernel.shape
        h, w = image.shape
        padded = np.pad(image, ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode=mode)
        out = np.zeros((h, w))
        for a in range(kh):
            for b in range(kw):
                out += kernel[a, b] * padded[a:a + h, b:b + w]
        return out
    """)

CORRECT = {
    "filters.convolve2d": [
        ("pixel loops, clamped indices", _c("""
            import numpy as np
            def convolve2d(image, kernel):
                image = np.asarray(image, dtype=float)
                kernel = np.asarray(kernel, dtype=float)
                h, w = image.shape
                kh, kw = kernel.shape
                r, c = kh // 2, kw // 2
                out = np.zeros((h, w))
                for i in range(h):
                    for j in range(w):
                        total = 0.0
                        for u in range(-r, r + 1):
                            for v in range(-c, c + 1):
                                y = min(max(i - u, 0), h - 1)
                                x = min(max(j - v, 0), w - 1)
                                total += kernel[r + u, c + v] * image[y, x]
                        out[i, j] = total
                return out
            """)),
        ("flip, pad, shift and add", CONV + "def convolve2d(image, kernel):\n    return _conv(image, kernel)\n"),
        ("sliding windows and einsum", _c("""
            import numpy as np
            from numpy.lib.stride_tricks import sliding_window_view
            def convolve2d(image, kernel):
                kernel = np.asarray(kernel, dtype=np.float64)
                kh, kw = kernel.shape
                padded = np.pad(np.asarray(image, dtype=np.float64), ((kh // 2,) * 2, (kw // 2,) * 2), mode="edge")
                windows = sliding_window_view(padded, (kh, kw))
                return np.einsum("ijab,ab->ij", windows, kernel[::-1, ::-1])
            """)),
        ("float32 throughout", _c("""
            import numpy as np
            def convolve2d(image, kernel):
                image = np.asarray(image, dtype=np.float32)
                k = np.asarray(kernel, dtype=np.float32)[::-1, ::-1]
                kh, kw = k.shape
                h, w = image.shape
                p = np.pad(image, ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode="edge")
                out = np.zeros((h, w), dtype=np.float32)
                for i in range(h):
                    for j in range(w):
                        out[i, j] = np.sum(p[i:i + kh, j:j + kw] * k)
                return out
            """)),
    ],
    "filters.gaussian_kernel": [
        ("meshgrid", _c("""
            import numpy as np
            def gaussian_kernel(size, sigma):
                u = np.arange(size) - size // 2
                x, y = np.meshgrid(u, u)
                g = np.exp(-(x ** 2 + y ** 2) / (2 * sigma ** 2))
                return g / g.sum()
            """)),
        ("outer product of 1-D Gaussians", _c("""
            import numpy as np
            def gaussian_kernel(size, sigma):
                half = (size - 1) / 2
                g = np.exp(-np.linspace(-half, half, size) ** 2 / (2 * sigma ** 2))
                g = g / g.sum()
                return np.outer(g, g)
            """)),
        ("loops, continuous constant then renormalised", _c("""
            import math
            def gaussian_kernel(size, sigma):
                c = size // 2
                rows = [[math.exp(-((i - c) ** 2 + (j - c) ** 2) / (2 * sigma * sigma)) / (2 * math.pi * sigma ** 2)
                         for j in range(size)] for i in range(size)]
                total = sum(sum(r) for r in rows)
                return [[v / total for v in r] for r in rows]
            """)),
    ],
    "filters.sobel_edges": [
        ("hypot of two convolutions", CONV + _c("""
            SOBEL_X = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])
            def sobel_edges(image):
                return np.hypot(_conv(image, SOBEL_X), _conv(image, SOBEL_X.T))
            """)),
        ("opposite sign convention, correlation", CONV + _c("""
            def sobel_edges(image):
                k = np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]])
                gx = _conv(image, k, flip=False)
                gy = _conv(image, k.T, flip=False)
                return np.sqrt(gx * gx + gy * gy)
            """)),
        ("slices of the padded image", _c("""
            import numpy as np
            def sobel_edges(image):
                p = np.pad(np.asarray(image, dtype=float), 1, mode="edge")
                gx = (p[:-2, :-2] + 2 * p[1:-1, :-2] + p[2:, :-2]) - (p[:-2, 2:] + 2 * p[1:-1, 2:] + p[2:, 2:])
                gy = (p[:-2, :-2] + 2 * p[:-2, 1:-1] + p[:-2, 2:]) - (p[2:, :-2] + 2 * p[2:, 1:-1] + p[2:, 2:])
                return np.sqrt(gx ** 2 + gy ** 2)
            """)),
    ],
    "filters.filter_matrix": [
        ("columns are filtered basis images", CONV + _c("""
            def filter_matrix(shape, kernel):
                h, w = shape
                F = np.zeros((h * w, h * w))
                for q in range(h * w):
                    e = np.zeros(h * w)
                    e[q] = 1.0
                    F[:, q] = _conv(e.reshape(h, w), kernel).ravel()
                return F
            """)),
        ("weights added at clamped positions", _c("""
            import numpy as np
            def filter_matrix(shape, kernel):
                h, w = shape
                kernel = np.asarray(kernel, dtype=float)
                kh, kw = kernel.shape
                F = np.zeros((h * w, h * w))
                for i in range(h):
                    for j in range(w):
                        for a in range(kh):
                            for b in range(kw):
                                y = min(max(i - (a - kh // 2), 0), h - 1)
                                x = min(max(j - (b - kw // 2), 0), w - 1)
                                F[i * w + j, y * w + x] += kernel[a, b]
                return F
            """)),
        ("sum of shift matrices", _c("""
            import numpy as np
            def filter_matrix(shape, kernel):
                h, w = shape
                kernel = np.asarray(kernel, dtype=float)
                kh, kw = kernel.shape
                rows = np.arange(h)
                cols = np.arange(w)
                F = np.zeros((h * w, h * w))
                for a in range(kh):
                    Sy = np.zeros((h, h))
                    Sy[rows, np.clip(rows - (a - kh // 2), 0, h - 1)] = 1
                    for b in range(kw):
                        Sx = np.zeros((w, w))
                        Sx[cols, np.clip(cols - (b - kw // 2), 0, w - 1)] = 1
                        F += kernel[a, b] * np.kron(Sy, Sx)
                return F
            """)),
    ],
    "filters.color_transform": [
        ("one matmul with M.T", _c("""
            import numpy as np
            def color_transform(image, M):
                image = np.asarray(image, dtype=float)
                h, w, _ = image.shape
                return (image.reshape(-1, 3) @ np.asarray(M, dtype=float).T).reshape(h, w, 3)
            """)),
        ("einsum", _c("""
            import numpy as np
            def color_transform(image, M):
                return np.einsum("ij,hwj->hwi", M, np.asarray(image, dtype=np.float64))
            """)),
        ("pixel loop", _c("""
            import numpy as np
            def color_transform(image, M):
                image = np.asarray(image, dtype=float)
                out = np.zeros(image.shape)
                for i in range(image.shape[0]):
                    for j in range(image.shape[1]):
                        out[i, j] = M @ image[i, j]
                return out
            """)),
        ("M times pixels as columns, transposed back", _c("""
            import numpy as np
            def color_transform(image, M):
                pixels = np.asarray(image, dtype=float).reshape(-1, 3).T
                return (M @ pixels).T.reshape(np.shape(image))
            """)),
    ],
    "filters.to_uint8": [
        ("round, clip, cast", _c("""
            import numpy as np
            def to_uint8(image):
                return np.clip(np.round(image), 0, 255).astype(np.uint8)
            """)),
        ("clip, add a half, floor", _c("""
            import numpy as np
            def to_uint8(image):
                x = np.clip(np.asarray(image, dtype=np.float64), 0, 255)
                return np.floor(x + 0.5).astype(np.uint8)
            """)),
        ("rint and where", _c("""
            import numpy as np
            def to_uint8(image):
                x = np.rint(np.asarray(image, dtype=float))
                x = np.where(x < 0, 0, np.where(x > 255, 255, x))
                return x.astype("uint8")
            """)),
    ],
}

CV = "import numpy as np\ndef convolve2d(image, kernel):\n"
GK = "import numpy as np\ndef gaussian_kernel(size, sigma):\n    u = np.arange(size) - size // 2\n" \
     "    r2 = u[:, None] ** 2 + u[None, :] ** 2\n"
SB = CONV + "SX = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])\ndef sobel_edges(image):\n" \
            "    gx, gy = _conv(image, SX), _conv(image, SX.T)\n"
FM = CONV + "def filter_matrix(shape, kernel):\n    h, w = shape\n    cols = []\n    for q in range(h * w):\n" \
            "        e = np.zeros(h * w)\n        e[q] = 1.0\n"
CT = "import numpy as np\ndef color_transform(image, M):\n    image = np.asarray(image, dtype=float)\n" \
     "    h, w, _ = image.shape\n"
U8 = "import numpy as np\ndef to_uint8(image):\n    x = np.asarray(image, dtype=float)\n"

MISTAKES = {
    "filters.convolve2d": [
        ("correlation", CONV + CV + "    return _conv(image, kernel, flip=False)\n", "without flipping"),
        ("flip_one_axis", CONV + CV + "    return _conv(image, np.asarray(kernel)[::-1], flip=False)\n",
         "one direction only"),
        ("kernel_transposed", CONV + CV + "    return _conv(image, np.asarray(kernel).T)\n", "kernel.T"),
        ("zero_border", CONV + CV + "    return _conv(image, kernel, mode='constant')\n", "zeros"),
        ("wrap_border", CONV + CV + "    return _conv(image, kernel, mode='wrap')\n", "wraps around"),
        ("mirror_border", CONV + CV + "    return _conv(image, kernel, mode='reflect')\n", "mirrored"),
        ("valid_only", _c("""
            import numpy as np
            def convolve2d(image, kernel):
                k = np.asarray(kernel, dtype=float)[::-1, ::-1]
                image = np.asarray(image, dtype=float)
                kh, kw = k.shape
                h, w = image.shape[0] - kh + 1, image.shape[1] - kw + 1
                out = np.zeros((max(h, 0), max(w, 0)))
                for i in range(out.shape[0]):
                    for j in range(out.shape[1]):
                        out[i, j] = np.sum(image[i:i + kh, j:j + kw] * k)
                return out
            """), "smaller than the image"),
        ("mean_not_sum", _c("""
            import numpy as np
            def convolve2d(image, kernel):
                k = np.asarray(kernel, dtype=float)[::-1, ::-1]
                kh, kw = k.shape
                p = np.pad(np.asarray(image, dtype=float), ((kh // 2,) * 2, (kw // 2,) * 2), mode="edge")
                out = np.zeros(np.shape(image))
                for i in range(out.shape[0]):
                    for j in range(out.shape[1]):
                        out[i, j] = np.mean(p[i:i + kh, j:j + kw] * k)
                return out
            """), "np.mean"),
        ("input_dtype", CONV + CV + "    out = np.zeros_like(image)\n    out[...] = _conv(image, kernel)\n"
                                    "    return out\n", "integer dtype"),
        ("library_used", _c("""
            from scipy import ndimage as nd
            smooth = nd.convolve
            def convolve2d(image, kernel):
                return smooth(image.astype(float), kernel, mode="nearest")
            """), "from scratch"),
        ("error", "def convolve2d(image, kernel):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "filters.gaussian_kernel": [
        ("not_normalised", GK + "    return np.exp(-r2 / (2 * sigma ** 2))\n", "kernel.sum()"),
        ("continuous_constant", GK + "    return np.exp(-r2 / (2 * sigma ** 2)) / (2 * np.pi * sigma ** 2)\n",
         "2 pi sigma**2"),
        ("sigma_as_variance", GK + "    g = np.exp(-r2 / (2 * sigma))\n    return g / g.sum()\n", "variance"),
        ("no_two", GK + "    g = np.exp(-r2 / sigma ** 2)\n    return g / g.sum()\n", "left out the 2"),
        ("off_centre", "import numpy as np\ndef gaussian_kernel(size, sigma):\n    u = np.arange(size)\n"
                       "    g = np.exp(-(u[:, None] ** 2 + u[None, :] ** 2) / (2 * sigma ** 2))\n"
                       "    return g / g.sum()\n", "corner"),
        ("one_d", "import numpy as np\ndef gaussian_kernel(size, sigma):\n    u = np.arange(size) - size // 2\n"
                  "    g = np.exp(-u ** 2 / (2 * sigma ** 2))\n    return g / g.sum()\n", "1-D"),
        ("rows_normalised", GK + "    g = np.exp(-r2 / (2 * sigma ** 2))\n"
                                 "    return g / g.sum(axis=1, keepdims=True)\n", "each ROW"),
        ("error", "def gaussian_kernel(size, sigma):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "filters.sobel_edges": [
        ("no_sqrt", SB + "    return gx ** 2 + gy ** 2\n", "square root"),
        ("abs_sum", SB + "    return np.abs(gx) + np.abs(gy)\n", "|gx| + |gy|"),
        ("signed_sum", SB + "    return gx + gy\n", "cancel"),
        ("one_direction", SB + "    return np.abs(gx)\n", "one direction only"),
        ("one_direction", SB + "    return np.sqrt(gy ** 2)\n", "one direction only"),
        ("zero_border", CONV + "SX = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])\ndef sobel_edges(image):\n"
                               "    gx, gy = _conv(image, SX, 'constant'), _conv(image, SX.T, 'constant')\n"
                               "    return np.sqrt(gx ** 2 + gy ** 2)\n", "zeros"),
        ("rescaled", SB + "    g = np.sqrt(gx ** 2 + gy ** 2)\n    return g / g.max()\n", "rescaled"),
        ("input_dtype", CONV + "SX = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])\ndef sobel_edges(image):\n"
                               "    gx, gy = np.zeros_like(image), np.zeros_like(image)\n"
                               "    gx[...] = _conv(image, SX)\n    gy[...] = _conv(image, SX.T)\n"
                               "    return np.sqrt(gx.astype(float) ** 2 + gy.astype(float) ** 2)\n", "wrapped"),
        ("library_used", _c("""
            import numpy as np
            import scipy.ndimage
            def sobel_edges(image):
                image = np.asarray(image, dtype=float)
                gx = scipy.ndimage.sobel(image, axis=1, mode="nearest")
                gy = scipy.ndimage.sobel(image, axis=0, mode="nearest")
                return np.hypot(gx, gy)
            """), "from scratch"),
        ("error", "def sobel_edges(image):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "filters.filter_matrix": [
        ("transposed", FM + "        cols.append(_conv(e.reshape(h, w), kernel).ravel())\n"
                            "    return np.array(cols)\n", "transpose"),
        ("column_major", FM + "        cols.append(_conv(e.reshape((h, w), order='F'), kernel).ravel(order='F'))\n"
                              "    return np.stack(cols, axis=1)\n", "column by column"),
        ("correlation", FM + "        cols.append(_conv(e.reshape(h, w), kernel, flip=False).ravel())\n"
                             "    return np.stack(cols, axis=1)\n", "without flipping"),
        ("zero_border", FM + "        cols.append(_conv(e.reshape(h, w), kernel, mode='constant').ravel())\n"
                             "    return np.stack(cols, axis=1)\n", "zeros"),
        ("wrap_border", FM + "        cols.append(_conv(e.reshape(h, w), kernel, mode='wrap').ravel())\n"
                             "    return np.stack(cols, axis=1)\n", "wraps"),
        ("mirror_border", FM + "        cols.append(_conv(e.reshape(h, w), kernel, mode='reflect').ravel())\n"
                               "    return np.stack(cols, axis=1)\n", "mirrors"),
        ("valid_only", FM + "        cols.append(_conv(e.reshape(h, w), kernel).ravel())\n"
                            "    F = np.stack(cols, axis=1)\n    kh, kw = np.shape(kernel)\n"
                            "    inside = np.zeros((h, w), dtype=bool)\n"
                            "    inside[kh // 2:h - kh // 2, kw // 2:w - kw // 2] = True\n"
                            "    return F[inside.ravel()]\n", "one row per pixel"),
        ("library_used", _c("""
            import numpy as np
            from scipy.signal import convolve2d as conv
            def filter_matrix(shape, kernel):
                h, w = shape
                cols = []
                for q in range(h * w):
                    e = np.zeros((h, w))
                    e[q // w, q % w] = 1.0
                    cols.append(conv(e, kernel, mode="same", boundary="symm").ravel())
                return np.stack(cols, axis=1)
            """), "from scratch"),
        ("error", "def filter_matrix(shape, kernel):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "filters.color_transform": [
        ("transposed", CT + "    return (image.reshape(-1, 3) @ M).reshape(h, w, 3)\n", "instead of M.T"),
        ("channels_mixed", CT + "    return (M @ image.reshape(3, -1)).reshape(h, w, 3)\n", "(3, h * w)"),
        ("channels_mixed", CT + "    return (M @ image.reshape(-1, 3).T).reshape(h, w, 3)\n", "transpose back"),
        ("diagonal_only", CT + "    return image * np.diag(M)\n", "diagonal"),
        ("input_dtype", "import numpy as np\ndef color_transform(image, M):\n    out = np.empty_like(image)\n"
                        "    out[...] = np.asarray(image, dtype=float) @ np.asarray(M).T\n    return out\n", "uint8"),
        ("clipped", CT + "    return np.clip(image @ M.T, 0, 255)\n", "clipped"),
        ("rounded", CT + "    return np.round(image @ M.T)\n", "rounded"),
        ("error", "def color_transform(image, M):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "filters.to_uint8": [
        ("overflow", U8 + "    return np.round(x).astype(np.uint8)\n", "wrap"),
        ("overflow", U8 + "    return x.astype(np.uint8)\n", "wrap"),
        ("truncated", U8 + "    return np.clip(x, 0, 255).astype(np.uint8)\n", "truncates"),
        ("low_end", U8 + "    return np.round(np.minimum(x, 255)).astype(np.uint8)\n", "only the top"),
        ("stretched", U8 + "    return np.round((x - x.min()) / (x.max() - x.min()) * 255).astype(np.uint8)\n",
         "stretched"),
        ("unit_range", U8 + "    return np.round(np.clip(x, 0, 1) * 255).astype(np.uint8)\n", "[0, 1]"),
        ("abs_negative", U8 + "    return np.clip(np.round(np.abs(x)), 0, 255).astype(np.uint8)\n", "absolute"),
        ("not_uint8", U8 + "    return np.clip(np.round(x), 0, 255)\n", "dtype is not uint8"),
        ("error", "def to_uint8(image):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
}
