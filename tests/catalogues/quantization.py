"""Correct variants and catalogued mistakes for the 20-quantization checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


# ------------------------------------------------------------------ quantize_symmetric

SYM = _c("""
    import numpy as np
    def quantize_symmetric(x, bits, max_abs=None):
        x = np.asarray(x, dtype=np.float64)
        qmax = 2 ** (bits - 1) - 1
        m = np.max(np.abs(x)) if max_abs is None else max_abs
        scale = m / qmax if m > 0 else 1.0
    """)


def _sym(body: str) -> str:
    return SYM + dedent(body).strip("\n").replace("\n", "\n    ").join(["    ", "\n"])


CORRECT = {
    "quantization.quantize_symmetric": [
        ("np.round and np.clip, int8", _sym("""
            q = np.clip(np.round(x / scale), -qmax, qmax).astype(np.int8)
            return q, scale
            """)),
        ("np.rint, int64 codes, a numpy scalar scale", _c("""
            import numpy as np
            def quantize_symmetric(x, bits, max_abs=None):
                qmax = 2 ** (bits - 1) - 1
                m = np.abs(x).max() if max_abs is None else np.float64(max_abs)
                scale = np.float64(m / qmax) if m != 0 else np.float64(1.0)
                return np.rint(np.clip(x / scale, -qmax, qmax)).astype(np.int64), scale
            """)),
        ("multiply by the inverse scale, float32 arithmetic", _c("""
            import numpy as np
            def quantize_symmetric(x, bits, max_abs=None):
                x = np.asarray(x, dtype=np.float32)
                qmax = 2 ** (bits - 1) - 1
                m = np.float32(np.max(np.abs(x)) if max_abs is None else max_abs)
                if m == 0:
                    return np.zeros(x.shape, dtype=np.int8), 1.0
                inv = np.float32(qmax) / m
                q = np.clip(np.round(x * inv), -qmax, qmax).astype(np.int8)
                return q, float(m / np.float32(qmax))
            """)),
        ("loops with Python's round (half to even)", _c("""
            import numpy as np
            def quantize_symmetric(x, bits, max_abs=None):
                x = np.asarray(x, dtype=float)
                qmax = 2 ** (bits - 1) - 1
                m = max(abs(v) for v in x.ravel()) if max_abs is None else max_abs
                scale = m / qmax if m else 1.0
                codes = [min(qmax, max(-qmax, round(v / scale))) for v in x.ravel()]
                return np.array(codes, dtype=np.int32).reshape(x.shape), scale
            """)),
        ("torch", _c("""
            import torch
            def quantize_symmetric(x, bits, max_abs=None):
                t = torch.as_tensor(x, dtype=torch.float64)
                qmax = 2 ** (bits - 1) - 1
                m = t.abs().max().item() if max_abs is None else max_abs
                scale = m / qmax if m > 0 else 1.0
                q = torch.clamp(torch.round(t / scale), -qmax, qmax).to(torch.int8)
                return q.numpy(), scale
            """)),
    ],
}

SYM_WRONG = "import numpy as np\ndef quantize_symmetric(x, bits, max_abs=None):\n    x = np.asarray(x, dtype=float)\n"

MISTAKES = {
    "quantization.quantize_symmetric": [
        ("scale_128", _c("""
            import numpy as np
            def quantize_symmetric(x, bits, max_abs=None):
                m = np.max(np.abs(x)) if max_abs is None else max_abs
                scale = m / 2 ** (bits - 1) if m > 0 else 1.0
                q = np.clip(np.round(x / scale), -2 ** (bits - 1), 2 ** (bits - 1) - 1)
                return q.astype(np.int8), scale
            """), "2^(b-1) - 1"),
        ("scale_128", _c("""
            import numpy as np
            def quantize_symmetric(x, bits, max_abs=None):
                qmax = 2 ** (bits - 1) - 1
                m = np.max(np.abs(x)) if max_abs is None else max_abs
                scale = m / (qmax + 1) if m > 0 else 1.0
                return np.clip(np.round(x / scale), -qmax, qmax).astype(np.int8), scale
            """), "128 for INT8"),
        ("levels_255", _sym("""
            scale = m / (2 ** bits - 1) if m > 0 else 1.0
            return np.clip(np.round(x / scale), -qmax, qmax).astype(np.int8), scale
            """), "2^b - 1"),
        ("levels_255", _sym("""
            scale = 2 * m / (2 ** bits - 1) if m > 0 else 1.0
            return np.clip(np.round(x / scale), -qmax, qmax).astype(np.int8), scale
            """), "full width"),
        ("no_clamp", _sym("""
            return np.round(x / scale).astype(np.int64), scale
            """), "saturate"),
        ("no_clamp", _sym("""
            return np.round(x / scale).astype(np.int8), scale
            """), "wrapped around"),
        ("max_abs_ignored", _c("""
            import numpy as np
            def quantize_symmetric(x, bits, max_abs=None):
                qmax = 2 ** (bits - 1) - 1
                m = np.max(np.abs(x))
                scale = m / qmax if m > 0 else 1.0
                return np.clip(np.round(x / scale), -qmax, qmax).astype(np.int8), scale
            """), "ignored max_abs"),
        ("floor", _sym("""
            return np.clip(np.floor(x / scale), -qmax, qmax).astype(np.int8), scale
            """), "rounded down"),
        ("truncated", _sym("""
            return np.clip(x / scale, -qmax, qmax).astype(np.int8), scale
            """), "cuts toward zero"),
        ("ties_not_even", _sym("""
            return np.clip(np.floor(x / scale + 0.5), -qmax, qmax).astype(np.int8), scale
            """), "half to even"),
        ("ties_not_even", _sym("""
            r = x / scale
            return np.clip(np.sign(r) * np.floor(np.abs(r) + 0.5), -qmax, qmax).astype(np.int8), scale
            """), "away from zero"),
        ("inverted_scale", _sym("""
            return np.clip(np.round(x / scale), -qmax, qmax).astype(np.int8), 1 / scale
            """), "reciprocal"),
        ("not_abs", _c("""
            import numpy as np
            def quantize_symmetric(x, bits, max_abs=None):
                qmax = 2 ** (bits - 1) - 1
                m = np.max(x) if max_abs is None else max_abs
                scale = m / qmax if m > 0 else 1.0
                return np.clip(np.round(x / scale), -qmax, qmax).astype(np.int8), scale
            """), "max(|x|)"),
        ("float_codes", _sym("""
            return np.clip(np.round(x / scale), -qmax, qmax), scale
            """), "float dtype"),
        ("zero_scale_nan", _c("""
            import numpy as np
            def quantize_symmetric(x, bits, max_abs=None):
                qmax = 2 ** (bits - 1) - 1
                scale = (np.max(np.abs(x)) if max_abs is None else max_abs) / qmax
                with np.errstate(all="ignore"):
                    return np.clip(np.round(x / scale), -qmax, qmax).astype(np.int64), scale
            """), "scale 1.0"),
        ("zero_scale", _c("""
            import numpy as np
            def quantize_symmetric(x, bits, max_abs=None):
                qmax = 2 ** (bits - 1) - 1
                scale = (np.max(np.abs(x)) if max_abs is None else max_abs) / qmax
                if scale == 0:
                    return np.zeros(np.shape(x), dtype=np.int8), 0.0
                return np.clip(np.round(x / scale), -qmax, qmax).astype(np.int8), scale
            """), "returned scale 0"),
        ("wrong_type", _sym("""
            return np.clip(np.round(x / scale), -qmax, qmax).astype(np.int8)
            """), "tuple (q, scale)"),
        ("error", "def quantize_symmetric(x, bits, max_abs=None):\n    raise NotImplementedError()\n", "not answered yet"),
    ],
}


# ------------------------------------------------------------------ dequantize

CORRECT["quantization.dequantize"] = [
    ("float64 first", _c("""
        import numpy as np
        def dequantize(q, scale, zero_point=0):
            return (np.asarray(q, dtype=np.float64) - zero_point) * scale
        """)),
    ("int32 subtraction, then scale", _c("""
        import numpy as np
        def dequantize(q, scale, zero_point=0):
            return (q.astype(np.int32) - np.int32(zero_point)) * np.asarray(scale)
        """)),
    ("float32", _c("""
        import numpy as np
        def dequantize(q, scale, zero_point=0):
            return (q.astype(np.float32) - np.float32(zero_point)) * np.float32(scale)
        """)),
    ("expanded: q * scale - zero_point * scale", _c("""
        import numpy as np
        def dequantize(q, scale, zero_point=0):
            scale = np.asarray(scale, dtype=float)
            return q * scale - zero_point * scale
        """)),
]

DQ = "import numpy as np\ndef dequantize(q, scale, zero_point=0):\n"

MISTAKES["quantization.dequantize"] = [
    ("no_zero_point", DQ + "    return q * np.asarray(scale, dtype=float)\n", "ignored the zero point"),
    ("plus_zero_point", DQ + "    return (q.astype(float) + zero_point) * scale\n", "added the zero point"),
    ("divided", DQ + "    return (q.astype(float) - zero_point) / scale\n", "dequantizing multiplies"),
    ("uint8_wrap", DQ + "    return (q - zero_point) * np.asarray(scale, dtype=float)\n", "wrapped around"),
    ("zero_point_after", DQ + "    return q * np.asarray(scale, dtype=float) - zero_point\n", "after scaling"),
    ("rounded", DQ + "    return np.round((q.astype(float) - zero_point) * scale)\n", "rounded the result"),
    ("scale_axis", DQ + "    return (q.astype(float) - zero_point) * np.ravel(scale)\n", "COLUMNS"),
    ("error", "def dequantize(q, scale, zero_point=0):\n    raise NotImplementedError()\n", "not answered yet"),
]


# ------------------------------------------------------------------ quantize_asymmetric

ASYM = _c("""
    import numpy as np
    def quantize_asymmetric(x, bits):
        x = np.asarray(x, dtype=np.float64)
        top = 2 ** bits - 1
        lo, hi = min(x.min(), 0.0), max(x.max(), 0.0)
        scale = (hi - lo) / top if hi > lo else 1.0
    """)


def _asym(body: str) -> str:
    return ASYM + dedent(body).strip("\n").replace("\n", "\n    ").join(["    ", "\n"])


CORRECT["quantization.quantize_asymmetric"] = [
    ("round(x / scale) + zero_point, uint8", _asym("""
        zero_point = int(np.round(-lo / scale))
        q = np.clip(np.round(x / scale) + zero_point, 0, top).astype(np.uint8)
        return q, scale, zero_point
        """)),
    ("round(x / scale + zero_point), int32, numpy zero point", _asym("""
        zero_point = np.round(-lo / scale).astype(np.int64)
        q = np.clip(np.rint(x / scale + zero_point), 0, top).astype(np.int32)
        return q, scale, zero_point
        """)),
    ("zero point as a whole float, np.minimum/np.maximum", _c("""
        import numpy as np
        def quantize_asymmetric(x, bits):
            top = 2 ** bits - 1
            lo = np.minimum(np.min(x), 0)
            hi = np.maximum(np.max(x), 0)
            if hi == lo:
                return np.zeros(np.shape(x), dtype=np.uint8), 1.0, 0.0
            scale = (hi - lo) / top
            zero_point = float(np.round(-lo / scale))
            q = np.round(x / scale) + zero_point
            return np.minimum(np.maximum(q, 0), top).astype(np.uint16), float(scale), zero_point
        """)),
    ("float32 arithmetic", _c("""
        import numpy as np
        def quantize_asymmetric(x, bits):
            x = np.asarray(x, dtype=np.float32)
            top = 2 ** bits - 1
            lo, hi = min(float(x.min()), 0.0), max(float(x.max()), 0.0)
            scale = np.float32((hi - lo) / top) if hi > lo else np.float32(1.0)
            zero_point = int(np.round(np.float32(-lo) / scale))
            return np.clip(np.round(x / scale) + zero_point, 0, top).astype(np.uint8), scale, zero_point
        """)),
]

MISTAKES["quantization.quantize_asymmetric"] = [
    ("levels_256", _c("""
        import numpy as np
        def quantize_asymmetric(x, bits):
            lo, hi = min(x.min(), 0.0), max(x.max(), 0.0)
            scale = (hi - lo) / 2 ** bits if hi > lo else 1.0
            zero_point = int(np.round(-lo / scale))
            return np.clip(np.round(x / scale) + zero_point, 0, 2 ** bits - 1).astype(np.uint8), scale, zero_point
        """), "2^b - 1 steps"),
    ("range_without_zero", _c("""
        import numpy as np
        def quantize_asymmetric(x, bits):
            top = 2 ** bits - 1
            lo, hi = x.min(), x.max()
            scale = (hi - lo) / top if hi > lo else 1.0
            zero_point = int(np.round(-lo / scale))
            return np.clip(np.round(x / scale) + zero_point, 0, top).astype(np.int64), scale, zero_point
        """), "does not contain 0"),
    ("range_without_zero", _c("""
        import numpy as np
        def quantize_asymmetric(x, bits):
            top = 2 ** bits - 1
            lo, hi = x.min(), x.max()
            scale = (hi - lo) / top if hi > lo else 1.0
            zero_point = int(np.clip(np.round(-lo / scale), 0, top))
            return np.clip(np.round(x / scale) + zero_point, 0, top).astype(np.uint8), scale, zero_point
        """), "min(x, 0)"),
    ("zero_point_sign", _asym("""
        zero_point = int(np.round(lo / scale))
        return np.clip(np.round(x / scale) + zero_point, 0, top).astype(np.uint8), scale, zero_point
        """), "wrong sign"),
    ("floor", _asym("""
        zero_point = int(np.round(-lo / scale))
        return np.clip(np.floor(x / scale) + zero_point, 0, top).astype(np.uint8), scale, zero_point
        """), "rounded down"),
    ("truncated", _asym("""
        zero_point = int(np.round(-lo / scale))
        return np.clip((x / scale).astype(int) + zero_point, 0, top).astype(np.uint8), scale, zero_point
        """), "cuts toward zero"),
    ("int8_wrap", _asym("""
        zero_point = int(np.round(-lo / scale))
        return np.clip(np.round(x / scale) + zero_point, 0, top).astype(np.int8), scale, zero_point
        """), "np.uint8"),
    ("signed_codes", _asym("""
        zero_point = int(np.round(-lo / scale)) - 2 ** (bits - 1)
        q = np.clip(np.round(x / scale) + zero_point, -2 ** (bits - 1), 2 ** (bits - 1) - 1)
        return q.astype(np.int8), scale, zero_point
        """), "unsigned"),
    ("nonint_zero_point", _asym("""
        zero_point = -lo / scale
        return np.clip(np.round(x / scale + zero_point), 0, top).astype(np.uint8), scale, zero_point
        """), "not a whole number"),
    ("float_codes", _asym("""
        zero_point = int(np.round(-lo / scale))
        return np.clip(np.round(x / scale) + zero_point, 0, top), scale, zero_point
        """), "float dtype"),
    ("zero_scale_nan", _c("""
        import numpy as np
        def quantize_asymmetric(x, bits):
            top = 2 ** bits - 1
            lo, hi = min(x.min(), 0.0), max(x.max(), 0.0)
            scale = (hi - lo) / top
            with np.errstate(all="ignore"):
                zero_point = np.round(-lo / scale)
                return np.clip(np.round(x / scale) + zero_point, 0, top).astype(np.int64), scale, zero_point
        """), "scale 1.0"),
    ("zero_scale", _c("""
        import numpy as np
        def quantize_asymmetric(x, bits):
            top = 2 ** bits - 1
            lo, hi = min(x.min(), 0.0), max(x.max(), 0.0)
            if hi == lo:
                return np.zeros(x.shape, dtype=np.uint8), 0.0, 0
            scale = (hi - lo) / top
            zero_point = int(np.round(-lo / scale))
            return np.clip(np.round(x / scale) + zero_point, 0, top).astype(np.uint8), scale, zero_point
        """), "returned scale 0"),
    ("wrong_type", _asym("""
        zero_point = int(np.round(-lo / scale))
        return np.clip(np.round(x / scale) + zero_point, 0, top).astype(np.uint8), scale
        """), "tuple (q, scale, zero_point)"),
    ("error", "def quantize_asymmetric(x, bits):\n    raise NotImplementedError()\n", "not answered yet"),
]


# ------------------------------------------------------------------ quantize_per_channel

CH = _c("""
    import numpy as np
    def quantize_per_channel(W, bits):
        W = np.asarray(W, dtype=np.float64)
        qmax = 2 ** (bits - 1) - 1
    """)


def _ch(body: str) -> str:
    return CH + dedent(body).strip("\n").replace("\n", "\n    ").join(["    ", "\n"])


CORRECT["quantization.quantize_per_channel"] = [
    ("keepdims and np.where", _ch("""
        m = np.max(np.abs(W), axis=1, keepdims=True)
        scales = np.where(m > 0, m / qmax, 1.0)
        return np.clip(np.round(W / scales), -qmax, qmax).astype(np.int8), scales
        """)),
    ("a loop over rows with quantize_symmetric", _c("""
        import numpy as np
        def quantize_symmetric(x, bits):
            qmax = 2 ** (bits - 1) - 1
            m = np.max(np.abs(x))
            scale = m / qmax if m > 0 else 1.0
            return np.clip(np.round(x / scale), -qmax, qmax).astype(np.int8), scale
        def quantize_per_channel(W, bits):
            q = np.zeros(np.shape(W), dtype=np.int8)
            scales = np.zeros((len(W), 1))
            for i, row in enumerate(W):
                q[i], scales[i, 0] = quantize_symmetric(row, bits)
            return q, scales
        """)),
    ("float32, reshape(-1, 1)", _c("""
        import numpy as np
        def quantize_per_channel(W, bits):
            W = np.asarray(W, dtype=np.float32)
            qmax = np.float32(2 ** (bits - 1) - 1)
            m = np.abs(W).max(axis=1)
            m[m == 0] = qmax
            scales = (m / qmax).reshape(-1, 1)
            return np.rint(np.clip(W / scales, -qmax, qmax)).astype(np.int16), scales
        """)),
    ("torch amax", _c("""
        import torch
        def quantize_per_channel(W, bits):
            t = torch.as_tensor(W, dtype=torch.float64)
            qmax = 2 ** (bits - 1) - 1
            m = t.abs().amax(dim=1, keepdim=True)
            scales = torch.where(m > 0, m / qmax, torch.ones_like(m))
            return torch.clamp(torch.round(t / scales), -qmax, qmax).to(torch.int8).numpy(), scales.numpy()
        """)),
]

MISTAKES["quantization.quantize_per_channel"] = [
    ("wrong_axis", _ch("""
        m = np.max(np.abs(W), axis=0, keepdims=True)
        scales = np.where(m > 0, m / qmax, 1.0)
        return np.clip(np.round(W / scales), -qmax, qmax).astype(np.int8), scales
        """), "wrong axis"),
    ("wrong_axis", _ch("""
        m = np.max(np.abs(W), axis=0, keepdims=True)
        scales = np.where(m > 0, m / qmax, 1.0)
        q = np.clip(np.round(W / scales), -qmax, qmax).astype(np.int8)
        return q, scales.reshape(-1, 1)
        """), "per ROW"),
    ("per_tensor", _ch("""
        scale = np.max(np.abs(W)) / qmax
        return np.clip(np.round(W / scale), -qmax, qmax).astype(np.int8), scale
        """), "one scale for the whole matrix"),
    ("per_tensor", _ch("""
        scale = np.max(np.abs(W)) / qmax
        q = np.clip(np.round(W / scale), -qmax, qmax).astype(np.int8)
        return q, np.full((W.shape[0], 1), scale)
        """), "its own scale"),
    ("scale_128", _ch("""
        m = np.max(np.abs(W), axis=1, keepdims=True)
        scales = np.where(m > 0, m / 2 ** (bits - 1), 1.0)
        return np.clip(np.round(W / scales), -qmax - 1, qmax).astype(np.int8), scales
        """), "128 for INT8"),
    ("levels_255", _ch("""
        m = np.max(np.abs(W), axis=1, keepdims=True)
        scales = np.where(m > 0, m / (2 ** bits - 1), 1.0)
        return np.clip(np.round(W / scales), -qmax, qmax).astype(np.int8), scales
        """), "UNSIGNED"),
    ("floor", _ch("""
        m = np.max(np.abs(W), axis=1, keepdims=True)
        scales = np.where(m > 0, m / qmax, 1.0)
        return np.clip(np.floor(W / scales), -qmax, qmax).astype(np.int8), scales
        """), "rounded down"),
    ("truncated", _ch("""
        m = np.max(np.abs(W), axis=1, keepdims=True)
        scales = np.where(m > 0, m / qmax, 1.0)
        return (W / scales).astype(np.int8), scales
        """), "cuts toward zero"),
    ("not_abs", _ch("""
        m = np.max(W, axis=1, keepdims=True)
        scales = np.where(m > 0, m / qmax, 1.0)
        return np.clip(np.round(W / scales), -qmax, qmax).astype(np.int8), scales
        """), "max(|w|)"),
    ("float_codes", _ch("""
        m = np.max(np.abs(W), axis=1, keepdims=True)
        scales = np.where(m > 0, m / qmax, 1.0)
        return np.clip(np.round(W / scales), -qmax, qmax), scales
        """), "float dtype"),
    ("scales_shape", _ch("""
        m = np.max(np.abs(W), axis=1)
        scales = np.where(m > 0, m / qmax, 1.0)
        return np.clip(np.round(W / scales[:, None]), -qmax, qmax).astype(np.int8), scales
        """), "(m, 1)"),
    ("zero_row_nan", _ch("""
        scales = np.max(np.abs(W), axis=1, keepdims=True) / qmax
        with np.errstate(all="ignore"):
            return np.clip(np.round(W / scales), -qmax, qmax).astype(np.int64), scales
        """), "scale 1.0"),
    ("zero_row_scale", _ch("""
        scales = np.max(np.abs(W), axis=1, keepdims=True) / qmax
        safe = np.where(scales > 0, scales, 1.0)
        return np.clip(np.round(W / safe), -qmax, qmax).astype(np.int8), scales
        """), "scale 0"),
    ("error", "def quantize_per_channel(W, bits):\n    raise NotImplementedError()\n", "not answered yet"),
]


# ------------------------------------------------------------------ quantization_error

ERR = _c("""
    import numpy as np
    def _quantize(W, bits, per_channel):
        W = np.asarray(W, dtype=np.float64)
        qmax = 2 ** (bits - 1) - 1
        m = np.max(np.abs(W), axis=1, keepdims=True) if per_channel else np.max(np.abs(W))
        scale = np.where(m > 0, m / qmax, 1.0)
        return np.clip(np.round(W / scale), -qmax, qmax), scale
    def quantization_error(W, bits, per_channel):
        W = np.asarray(W, dtype=np.float64)
        q, scale = _quantize(W, bits, per_channel)
        W_hat = q * scale
    """)


def _err(body: str) -> str:
    return ERR + dedent(body).strip("\n").replace("\n", "\n    ").join(["    ", "\n"])


CORRECT["quantization.quantization_error"] = [
    ("np.linalg.norm ratio", _err("""
        norm = np.linalg.norm(W)
        return 0.0 if norm == 0 else float(np.linalg.norm(W - W_hat) / norm)
        """)),
    ("square root of sums of squares", _err("""
        den = np.sum(W ** 2)
        return np.sqrt(np.sum((W - W_hat) ** 2) / den) if den > 0 else 0.0
        """)),
    ("float32 throughout", _c("""
        import numpy as np
        def quantization_error(W, bits, per_channel):
            W = np.asarray(W, dtype=np.float32)
            qmax = np.float32(2 ** (bits - 1) - 1)
            m = np.abs(W).max(axis=1, keepdims=True) if per_channel else np.abs(W).max()
            scale = np.where(m > 0, m / qmax, np.float32(1.0)).astype(np.float32)
            W_hat = (np.clip(np.round(W / scale), -qmax, qmax) * scale).astype(np.float32)
            norm = np.linalg.norm(W)
            return np.float32(0.0) if norm == 0 else np.linalg.norm(W - W_hat) / norm
        """)),
    ("through the notebook's functions", _c("""
        import numpy as np
        def quantize_symmetric(x, bits, max_abs=None):
            qmax = 2 ** (bits - 1) - 1
            m = np.max(np.abs(x)) if max_abs is None else max_abs
            scale = m / qmax if m > 0 else 1.0
            return np.clip(np.round(x / scale), -qmax, qmax).astype(np.int8), scale
        def quantize_per_channel(W, bits):
            qmax = 2 ** (bits - 1) - 1
            m = np.max(np.abs(W), axis=1, keepdims=True)
            scales = np.where(m > 0, m / qmax, 1.0)
            return np.clip(np.round(W / scales), -qmax, qmax).astype(np.int64), scales
        def dequantize(q, scale, zero_point=0):
            return (q.astype(np.float64) - zero_point) * scale
        def quantization_error(W, bits, per_channel):
            q, s = quantize_per_channel(W, bits) if per_channel else quantize_symmetric(W, bits)
            if not np.any(W):
                return 0.0
            return np.linalg.norm(W - dequantize(q, s), "fro") / np.linalg.norm(W, "fro")
        """)),
]

MISTAKES["quantization.quantization_error"] = [
    ("absolute", _err("return np.linalg.norm(W - W_hat)\n"), "divide by ||W||_F"),
    ("squared", _err("""
        return np.sum((W - W_hat) ** 2) / np.sum(W ** 2) if np.any(W) else 0.0
        """), "squared ratio"),
    ("codes_not_dequantized", _err("""
        return np.linalg.norm(W - q) / np.linalg.norm(W) if np.any(W) else 0.0
        """), "dequantize first"),
    ("per_channel_ignored", _c("""
        import numpy as np
        def quantization_error(W, bits, per_channel):
            qmax = 2 ** (bits - 1) - 1
            m = np.max(np.abs(W))
            scale = m / qmax if m > 0 else 1.0
            W_hat = np.clip(np.round(W / scale), -qmax, qmax) * scale
            return np.linalg.norm(W - W_hat) / np.linalg.norm(W) if m > 0 else 0.0
        """), "per-tensor error in both"),
    ("per_channel_ignored", _c("""
        import numpy as np
        def quantization_error(W, bits, per_channel):
            qmax = 2 ** (bits - 1) - 1
            m = np.max(np.abs(W), axis=1, keepdims=True)
            scale = np.where(m > 0, m / qmax, 1.0)
            W_hat = np.clip(np.round(W / scale), -qmax, qmax) * scale
            return np.linalg.norm(W - W_hat) / np.linalg.norm(W) if np.any(W) else 0.0
        """), "per-channel error in both"),
    ("max_error", _err("""
        return np.max(np.abs(W - W_hat)) / np.max(np.abs(W)) if np.any(W) else 0.0
        """), "largest entry error"),
    ("mse", _err("return np.mean((W - W_hat) ** 2)\n"), "mean squared error"),
    ("relative_to_quantized", _err("""
        return np.linalg.norm(W - W_hat) / np.linalg.norm(W_hat) if np.any(W) else 0.0
        """), "||W_hat||_F"),
    ("l1", _err("""
        return np.sum(np.abs(W - W_hat)) / np.sum(np.abs(W)) if np.any(W) else 0.0
        """), "absolute values"),
    ("scale_128", _c("""
        import numpy as np
        def quantization_error(W, bits, per_channel):
            half = 2 ** (bits - 1)
            m = np.max(np.abs(W), axis=1, keepdims=True) if per_channel else np.max(np.abs(W))
            scale = np.where(m > 0, m / half, 1.0)
            W_hat = np.clip(np.round(W / scale), -half, half - 1) * scale
            return np.linalg.norm(W - W_hat) / np.linalg.norm(W) if np.any(W) else 0.0
        """), "2^(b-1) - 1 (127)"),
    ("zero_matrix_nan", _err("""
        with np.errstate(all="ignore"):
            return np.linalg.norm(W - W_hat) / np.linalg.norm(W)
        """), "0.0"),
    ("error", "def quantization_error(W, bits, per_channel):\n    raise NotImplementedError()\n", "not answered yet"),
]
