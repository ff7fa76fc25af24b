"""Correct variants and catalogued mistakes for the p3-image-compressor checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


LOW = _c("""
    import numpy as np
    def _low(A, k):
        U, s, Vt = np.linalg.svd(np.asarray(A, dtype=float), full_matrices=False)
        return (U[:, :k] * s[:k]) @ Vt[:k]
    def _compress(image, k):
        image = np.asarray(image, dtype=float)
        return np.stack([_low(image[:, :, c], k) for c in range(image.shape[2])], axis=2)
    def _psnr(a, b, r=255.0):
        mse = np.mean((np.asarray(a, dtype=float) - np.asarray(b, dtype=float)) ** 2)
        return np.inf if mse == 0 else 10 * np.log10(r ** 2 / mse)
    """)

CORRECT = {
    "compressor.compress_channels": [
        ("loop over channels", _c("""
            import numpy as np
            def compress_channels(image, k):
                image = np.asarray(image, dtype=np.float64)
                out = np.empty_like(image)
                for c in range(image.shape[2]):
                    U, s, Vt = np.linalg.svd(image[:, :, c], full_matrices=False)
                    out[:, :, c] = U[:, :k] @ np.diag(s[:k]) @ Vt[:k]
                return out
            """)),
        ("batched svd over the channel axis", _c("""
            import numpy as np
            def compress_channels(image, k):
                stack = np.moveaxis(np.asarray(image, dtype=float), 2, 0)
                U, s, Vt = np.linalg.svd(stack, full_matrices=False)
                return np.moveaxis((U[:, :, :k] * s[:, None, :k]) @ Vt[:, :k], 0, 2)
            """)),
        ("sum of rank-one layers", _c("""
            import numpy as np
            def compress_channels(image, k):
                image = np.asarray(image, dtype=float)
                out = np.zeros(image.shape)
                for c in range(image.shape[2]):
                    U, s, Vt = np.linalg.svd(image[..., c])
                    for i in range(k):
                        out[..., c] += s[i] * np.outer(U[:, i], Vt[i])
                return out
            """)),
    ],
    "compressor.storage_ratio": [
        ("per channel", _c("""
            def storage_ratio(shape, k):
                h, w, c = shape
                return k * (h + w + 1) / (h * w)
            """)),
        ("all channels counted", _c("""
            import numpy as np
            def storage_ratio(shape, k):
                h, w, c = shape
                stored = c * (h * k + k + k * w)
                return stored / np.prod(shape)
            """)),
    ],
    "compressor.psnr": [
        ("10 log10 of peak squared over MSE", _c("""
            import numpy as np
            def psnr(original, compressed, data_range):
                mse = np.mean((np.asarray(original, dtype=float) - np.asarray(compressed, dtype=float)) ** 2)
                if mse == 0:
                    return np.inf
                return 10 * np.log10(data_range ** 2 / mse)
            """)),
        ("20 log10 of peak over RMSE, numpy inf", _c("""
            import numpy as np
            def psnr(original, compressed, data_range):
                diff = original.astype(np.float64) - compressed.astype(np.float64)
                with np.errstate(divide="ignore"):
                    return 20 * np.log10(data_range / np.sqrt(np.mean(diff * diff)))
            """)),
        ("math module", _c("""
            import math
            import numpy as np
            def psnr(original, compressed, data_range):
                d = (np.asarray(original, dtype=float) - np.asarray(compressed, dtype=float)).ravel()
                mse = float(d @ d) / d.size
                return math.inf if mse == 0 else 10 * math.log10(data_range * data_range / mse)
            """)),
    ],
    "compressor.choose_k": [
        ("try k = 1, 2, ...", LOW + _c("""
            def choose_k(image, target_psnr):
                for k in range(1, min(image.shape[:2]) + 1):
                    if _psnr(image, _compress(image, k)) >= target_psnr:
                        return k
                return min(image.shape[:2])
            """)),
        ("from the singular values (Eckart-Young)", _c("""
            import numpy as np
            def choose_k(image, target_psnr):
                image = np.asarray(image, dtype=float)
                s = np.linalg.svd(np.moveaxis(image, 2, 0), compute_uv=False)
                energy = (s ** 2).sum(axis=0)
                for k in range(1, len(energy) + 1):
                    mse = energy[k:].sum() / image.size
                    if mse <= 0 or 10 * np.log10(255.0 ** 2 / mse) >= target_psnr:
                        return k
                return len(energy)
            """)),
        ("binary search", LOW + _c("""
            def choose_k(image, target_psnr):
                lo, hi = 1, min(image.shape[:2])
                while lo < hi:
                    mid = (lo + hi) // 2
                    if _psnr(image, _compress(image, mid)) >= target_psnr:
                        hi = mid
                    else:
                        lo = mid + 1
                return lo
            """)),
    ],
}

CC = "import numpy as np\ndef _low(A, k):\n    U, s, Vt = np.linalg.svd(np.asarray(A, dtype=float), full_matrices=False)\n" \
     "    return (U[:, :k] * s[:k]) @ Vt[:k]\ndef compress_channels(image, k):\n" \
     "    image = np.asarray(image, dtype=float)\n    h, w, c = image.shape\n"
ST = "def storage_ratio(shape, k):\n    h, w, c = shape\n"
PS = "import numpy as np\ndef psnr(original, compressed, data_range):\n" \
     "    mse = np.mean((np.asarray(original, dtype=float) - np.asarray(compressed, dtype=float)) ** 2)\n"


def _choose(measure: str) -> str:
    return LOW + "def choose_k(image, target_psnr):\n    for k in range(1, min(image.shape[:2]) + 1):\n" \
                 f"        if {measure} >= target_psnr:\n            return k\n    return min(image.shape[:2])\n"


MISTAKES = {
    "compressor.compress_channels": [
        ("channels_jointly", CC + "    return _low(image.reshape(h, w * c), k).reshape(h, w, c)\n", "(h, 3w)"),
        ("channels_jointly", CC + "    tall = np.concatenate([image[:, :, i] for i in range(c)], axis=0)\n"
                                  "    return np.stack(np.split(_low(tall, k), c, axis=0), axis=2)\n", "(3h, w)"),
        ("channels_jointly", CC + "    return _low(image.reshape(h * w, c), k).reshape(h, w, c)\n", "(h * w, 3)"),
        ("grey", CC + "    return np.dstack([_low(image.mean(axis=2), k)] * c)\n", "grey"),
        ("off_by_one", CC + "    return np.dstack([_low(image[:, :, i], k + 1) for i in range(c)])\n", "k + 1"),
        ("off_by_one", CC + "    return np.dstack([_low(image[:, :, i], k - 1) for i in range(c)])\n", "k - 1"),
        ("clipped", CC + "    out = np.dstack([_low(image[:, :, i], k) for i in range(c)])\n"
                         "    return np.clip(out, 0, 255).round()\n", "clipped"),
        ("error", "def compress_channels(image, k):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "compressor.storage_ratio": [
        ("k_m_n", ST + "    return k * h * w / (h * w)\n", "k * h * w"),
        ("inverted", ST + "    return h * w / (k * (h + w + 1))\n", "how many times smaller"),
        ("no_singular_values", ST + "    return k * (h + w) / (h * w)\n", "singular values"),
        ("one_channel", ST + "    return k * (h + w + 1) / (h * w * c)\n", "one channel"),
        ("channels_twice", ST + "    return c * k * (h + w + 1) / (h * w)\n", "all c channels against"),
        ("full_matrices", ST + "    return (h * h + k + w * w) / (h * w)\n", "full U"),
        ("saving", ST + "    return 1 - k * (h + w + 1) / (h * w)\n", "SAVED"),
        ("square_s", ST + "    return (h * k + k * k + k * w) / (h * w)\n", "k x k"),
        ("error", "def storage_ratio(shape, k):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "compressor.psnr": [
        ("wrong_range", PS + "    return np.inf if mse == 0 else 10 * np.log10(255 ** 2 / mse)\n", "peak of 255"),
        ("wrong_range", PS + "    return np.inf if mse == 0 else 10 * np.log10(1 / mse)\n", "peak of 1"),
        ("log_factor", PS + "    return np.inf if mse == 0 else 20 * np.log10(data_range ** 2 / mse)\n", "doubles"),
        ("log_factor", PS + "    return np.inf if mse == 0 else 10 * np.log10(data_range / np.sqrt(mse))\n", "half"),
        ("rmse_for_mse", PS + "    return np.inf if mse == 0 else 10 * np.log10(data_range ** 2 / np.sqrt(mse))\n",
         "root of the mean"),
        ("sum_not_mean", "import numpy as np\ndef psnr(original, compressed, data_range):\n"
                         "    sse = np.sum((np.asarray(original, dtype=float) - np.asarray(compressed, dtype=float)) ** 2)\n"
                         "    return np.inf if sse == 0 else 10 * np.log10(data_range ** 2 / sse)\n", "averaging"),
        ("natural_log", PS + "    return np.inf if mse == 0 else 10 * np.log(data_range ** 2 / mse)\n", "log10"),
        ("channel_average", _c("""
            import numpy as np
            def psnr(original, compressed, data_range):
                o = np.asarray(original, dtype=float)
                c = np.asarray(compressed, dtype=float)
                if o.ndim == 2:
                    o, c = o[:, :, None], c[:, :, None]
                values = []
                for i in range(o.shape[2]):
                    mse = np.mean((o[:, :, i] - c[:, :, i]) ** 2)
                    values.append(np.inf if mse == 0 else 10 * np.log10(data_range ** 2 / mse))
                return float(np.mean(values))
            """), "each channel"),
        ("uint8_overflow", "import numpy as np\ndef psnr(original, compressed, data_range):\n"
                           "    mse = np.mean((original - compressed) ** 2)\n"
                           "    return np.inf if mse == 0 else 10 * np.log10(data_range ** 2 / mse)\n", "wrapped"),
        ("error", "def psnr(original, compressed, data_range):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
    "compressor.choose_k": [
        ("off_by_one", LOW + "def choose_k(image, target_psnr):\n    k = 1\n"
                             "    while _psnr(image, _compress(image, k + 1)) < target_psnr:\n        k += 1\n"
                             "    return k\n", "one too small"),
        ("off_by_one", LOW + "def choose_k(image, target_psnr):\n    for k in range(1, min(image.shape[:2]) + 1):\n"
                             "        if _psnr(image, _compress(image, k)) > target_psnr:\n            return k + 1\n",
         "one too large"),
        ("channels_jointly", _choose("_psnr(image, _low(image.reshape(image.shape[0], -1), k).reshape(image.shape))"),
         "(h, 3w)"),
        ("wrong_range", _choose("_psnr(image, _compress(image, k), 1.0)"), "peak of 1"),
        ("grey", _choose("_psnr(np.dstack([image.mean(axis=2)] * 3), np.dstack([_low(image.mean(axis=2), k)] * 3))"),
         "grey"),
        ("one_channel", _choose("_psnr(image[:, :, 0], _low(image[:, :, 0], k))"), "red channel"),
        ("error", "def choose_k(image, target_psnr):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
}
