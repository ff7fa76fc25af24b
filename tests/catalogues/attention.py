"""Correct variants and catalogued mistakes for the 17-attention checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


# A correct numpy attention with switches, so each mistake below differs from it in one place.
SDPA = """
import numpy as np

def _softmax(s, axis=-1):
    m = s.max(axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    e = np.exp(s - m)
    total = e.sum(axis=axis, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=total > 0)
"""


def _s(code: str) -> str:
    """A variant that uses the shared _softmax helper above."""
    return dedent(SDPA).strip() + "\n\n" + _c(code)


# A correct torch multi-head attention; mistakes replace one line of it.
MHA = """
import math
import torch

def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads):
    *lead, n, d = X.shape
    dh = d // n_heads

    def split(T):
        return T.reshape(*lead, n, n_heads, dh).transpose(-3, -2)

    Q, K, V = split(X @ Wq), split(X @ Wk), split(X @ Wv)
    scores = Q @ K.transpose(-2, -1) / math.sqrt(dh)
    e = torch.exp(scores - scores.amax(dim=-1, keepdim=True))
    weights = e / e.sum(dim=-1, keepdim=True)
    heads = weights @ V
    merged = heads.transpose(-3, -2).reshape(*lead, n, d)
    return merged @ Wo, weights
"""


def _mha(old: str, new: str) -> str:
    code = _c(MHA)
    assert old in code, old
    return code.replace(old, new)


CORRECT = {
    "attention.softmax": [
        ("max subtraction", _c("""
            import numpy as np
            def softmax(x, axis=-1):
                z = x - np.max(x, axis=axis, keepdims=True)
                e = np.exp(z)
                return e / np.sum(e, axis=axis, keepdims=True)
            """)),
        ("logsumexp by hand", _c("""
            import numpy as np
            def softmax(x, axis=-1):
                m = np.max(x, axis=axis, keepdims=True)
                lse = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
                return np.exp(x - lse)
            """)),
        ("scipy logsumexp", _c("""
            import numpy as np
            from scipy.special import logsumexp
            def softmax(x, axis=-1):
                return np.exp(x - logsumexp(x, axis=axis, keepdims=True))
            """)),
        ("torch primitives, returns a tensor", _c("""
            import torch
            def softmax(x, axis=-1):
                t = torch.as_tensor(x, dtype=torch.float64)
                e = torch.exp(t - t.amax(dim=axis, keepdim=True))
                return e / e.sum(dim=axis, keepdim=True)
            """)),
        ("move the axis last, loop over slices", _c("""
            import math
            import numpy as np
            def softmax(x, axis=-1):
                moved = np.moveaxis(np.asarray(x, dtype=float), axis, -1)
                out = np.empty_like(moved)
                for idx in np.ndindex(moved.shape[:-1]):
                    row = moved[idx]
                    m = max(row)
                    e = [math.exp(v - m) for v in row]
                    out[idx] = [v / sum(e) for v in e]
                return np.moveaxis(out, -1, axis)
            """)),
        ("in place on a copy", _c("""
            import numpy as np
            def softmax(x, axis=-1):
                y = np.array(x, dtype=float)
                y -= y.max(axis=axis, keepdims=True)
                np.exp(y, out=y)
                y /= y.sum(axis=axis, keepdims=True)
                return y
            """)),
    ],
    "attention.causal_mask": [
        ("np.tril of booleans", "import numpy as np\ndef causal_mask(n):\n    return np.tril(np.ones((n, n), dtype=bool))\n"),
        ("index comparison", _c("""
            import numpy as np
            def causal_mask(n):
                i = np.arange(n)
                return i[None, :] <= i[:, None]
            """)),
        ("not of the strict upper triangle", _c("""
            import numpy as np
            def causal_mask(n):
                return ~np.triu(np.ones((n, n), dtype=bool), k=1)
            """)),
        ("torch.tril", "import torch\ndef causal_mask(n):\n    return torch.tril(torch.ones(n, n, dtype=torch.bool))\n"),
        ("loops", _c("""
            import numpy as np
            def causal_mask(n):
                mask = np.zeros((n, n), dtype=bool)
                for i in range(n):
                    for j in range(i + 1):
                        mask[i, j] = True
                return mask
            """)),
    ],
    "attention.scaled_dot_product_attention": [
        ("-inf fill, guarded softmax", _s("""
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                weights = _softmax(scores)
                return weights @ V, weights
            """)),
        ("scale Q instead of the scores", _s("""
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = (Q / np.sqrt(K.shape[-1])) @ K.swapaxes(-1, -2)
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                weights = _softmax(scores)
                return weights @ V, weights
            """)),
        ("finite fill, then zero the blocked weights", _c("""
            import numpy as np
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = np.einsum("...qd,...kd->...qk", Q, K) / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = np.where(mask, scores, -1e9)
                e = np.exp(scores - scores.max(axis=-1, keepdims=True))
                weights = e / e.sum(axis=-1, keepdims=True)
                if mask is not None:
                    weights = weights * mask
                return np.einsum("...qk,...kv->...qv", weights, V), weights
            """)),
        ("logsumexp, nan rows zeroed", _c("""
            import numpy as np
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                m = scores.max(axis=-1, keepdims=True)
                with np.errstate(invalid="ignore"):
                    lse = m + np.log(np.exp(scores - m).sum(axis=-1, keepdims=True))
                    weights = np.nan_to_num(np.exp(scores - lse))
                return weights @ V, weights
            """)),
        ("mask after the softmax, renormalised", _s("""
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
                weights = _softmax(scores)
                if mask is not None:
                    weights = weights * mask
                    total = weights.sum(axis=-1, keepdims=True)
                    weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
                return weights @ V, weights
            """)),
        ("torch primitives, returns tensors", _c("""
            import math
            import torch
            def scaled_dot_product_attention(Q, K, V, mask=None):
                Q, K, V = (torch.as_tensor(a, dtype=torch.float64) for a in (Q, K, V))
                scores = Q @ K.transpose(-2, -1) / math.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = scores.masked_fill(~torch.as_tensor(mask), float("-inf"))
                m = scores.amax(dim=-1, keepdim=True)
                m = torch.where(torch.isfinite(m), m, torch.zeros_like(m))
                e = torch.exp(scores - m)
                total = e.sum(dim=-1, keepdim=True)
                weights = torch.where(total > 0, e / total.clamp_min(1e-300), torch.zeros_like(e))
                return weights @ V, weights
            """)),
    ],
    "attention.multi_head_attention": [
        ("torch, reshape and transpose", _c(MHA)),
        ("loop over heads with column slices", _c("""
            import math
            import torch
            def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads):
                d = X.shape[-1]
                dh = d // n_heads
                Q, K, V = X @ Wq, X @ Wk, X @ Wv
                outs, weights = [], []
                for j in range(n_heads):
                    cols = slice(j * dh, (j + 1) * dh)
                    s = Q[..., cols] @ K[..., cols].transpose(-2, -1) / math.sqrt(dh)
                    s = s - s.max(dim=-1, keepdim=True).values
                    w = torch.exp(s) / torch.exp(s).sum(dim=-1, keepdim=True)
                    outs.append(w @ V[..., cols])
                    weights.append(w)
                return torch.cat(outs, dim=-1) @ Wo, torch.stack(weights, dim=-3)
            """)),
        ("numpy inside, returns arrays", _c("""
            import numpy as np
            def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads):
                X, Wq, Wk, Wv, Wo = (np.asarray(t.numpy(), dtype=np.float64) for t in (X, Wq, Wk, Wv, Wo))
                *lead, n, d = X.shape
                dh = d // n_heads
                split = lambda T: np.swapaxes(T.reshape(*lead, n, n_heads, dh), -3, -2)
                Q, K, V = split(X @ Wq), split(X @ Wk), split(X @ Wv)
                s = np.einsum("...qd,...kd->...qk", Q, K) / np.sqrt(dh)
                e = np.exp(s - s.max(axis=-1, keepdims=True))
                w = e / e.sum(axis=-1, keepdims=True)
                merged = np.swapaxes(w @ V, -3, -2).reshape(*lead, n, d)
                return merged @ Wo, w
            """)),
        ("float64 inside, queries pre-scaled", _mha(
            "    Q, K, V = split(X @ Wq), split(X @ Wk), split(X @ Wv)\n"
            "    scores = Q @ K.transpose(-2, -1) / math.sqrt(dh)\n",
            "    X, Wq, Wk, Wv, Wo = (t.double() for t in (X, Wq, Wk, Wv, Wo))\n"
            "    Q, K, V = split(X @ Wq) / math.sqrt(dh), split(X @ Wk), split(X @ Wv)\n"
            "    scores = Q @ K.transpose(-2, -1)\n")),
        ("Wo applied per head block", _mha(
            "    merged = heads.transpose(-3, -2).reshape(*lead, n, d)\n"
            "    return merged @ Wo, weights\n",
            "    blocks = Wo.reshape(n_heads, dh, d)\n"
            "    return (heads @ blocks).sum(dim=-3), weights\n")),
        ("logsumexp softmax", _mha(
            "    e = torch.exp(scores - scores.amax(dim=-1, keepdim=True))\n"
            "    weights = e / e.sum(dim=-1, keepdim=True)\n",
            "    weights = torch.exp(scores - torch.logsumexp(scores, dim=-1, keepdim=True))\n")),
        ("einsum", _c("""
            import torch
            def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads):
                *lead, n, d = X.shape
                h, dh = n_heads, d // n_heads
                q = (X @ Wq).reshape(*lead, n, h, dh)
                k = (X @ Wk).reshape(*lead, n, h, dh)
                v = (X @ Wv).reshape(*lead, n, h, dh)
                s = torch.einsum("...qhd,...khd->...hqk", q, k) / dh ** 0.5
                s = s - s.amax(-1, keepdim=True)
                w = s.exp() / s.exp().sum(-1, keepdim=True)
                out = torch.einsum("...hqk,...khd->...qhd", w, v).reshape(*lead, n, d)
                return out @ Wo, w
            """)),
    ],
}

MISTAKES = {
    "attention.softmax": [
        ("unstable_softmax", _c("""
            import numpy as np
            def softmax(x, axis=-1):
                e = np.exp(x)
                return e / e.sum(axis=axis, keepdims=True)
            """), "overflows"),
        # stable for large logits of small spread, but exp(x - min) overflows on a spread of 2000
        ("unstable_softmax", _c("""
            import numpy as np
            def softmax(x, axis=-1):
                e = np.exp(x - x.min(axis=axis, keepdims=True))
                return e / e.sum(axis=axis, keepdims=True)
            """), "overflows"),
        ("global_max", _c("""
            import numpy as np
            def softmax(x, axis=-1):
                e = np.exp(x - np.max(x))
                return e / e.sum(axis=axis, keepdims=True)
            """), "whole array"),
        ("ignores_axis", _c("""
            import numpy as np
            def softmax(x, axis=-1):
                e = np.exp(x - x.max(axis=-1, keepdims=True))
                return e / e.sum(axis=-1, keepdims=True)
            """), "ignores its axis"),
        ("wrong_axis", _c("""
            import numpy as np
            def softmax(x, axis=-1):
                e = np.exp(x - x.max(axis=0, keepdims=True))
                return e / e.sum(axis=0, keepdims=True)
            """), "axis 0"),
        ("global_sum", _c("""
            import numpy as np
            def softmax(x, axis=-1):
                e = np.exp(x - x.max())
                return e / e.sum()
            """), "whole array"),
        ("keepdims", _c("""
            import numpy as np
            def softmax(x, axis=-1):
                e = np.exp(x - x.max(axis=axis, keepdims=True))
                return e / e.sum(axis=axis)
            """), "keepdims"),
        ("max_in_numerator_only", _c("""
            import numpy as np
            def softmax(x, axis=-1):
                return np.exp(x - x.max(axis=axis, keepdims=True)) / np.exp(x).sum(axis=axis, keepdims=True)
            """), "numerator only"),
        ("log_softmax", _c("""
            import numpy as np
            def softmax(x, axis=-1):
                m = x.max(axis=axis, keepdims=True)
                return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))
            """), "log-probabilities"),
        ("no_exp", "def softmax(x, axis=-1):\n    return x / x.sum(axis=axis, keepdims=True)\n", "exponentiating"),
        ("sigmoid", "import numpy as np\ndef softmax(x, axis=-1):\n    return 1 / (1 + np.exp(-x))\n", "sigmoid"),
        ("library_used", _c("""
            from scipy.special import softmax as sp_softmax
            def softmax(x, axis=-1):
                return sp_softmax(x, axis=axis)
            """), "library softmax"),
        ("library_used", _c("""
            import torch
            def softmax(x, axis=-1):
                return torch.softmax(torch.as_tensor(x), dim=axis)
            """), "from scratch"),
        ("wrong_value", _c("""
            import numpy as np
            def softmax(x, axis=-1):
                x = np.asarray(x, dtype=np.float32)
                e = np.exp(x - x.max(axis=axis, keepdims=True))
                return e / e.sum(axis=axis, keepdims=True)
            """), "compute in float64"),
        ("error", "def softmax(x, axis=-1):\n    raise NotImplementedError()\n", "NotImplementedError"),
    ],
    "attention.causal_mask": [
        ("upper_triangle", "import numpy as np\ndef causal_mask(n):\n    return np.triu(np.ones((n, n), dtype=bool))\n",
         "future"),
        ("inverted", "import numpy as np\ndef causal_mask(n):\n    return np.triu(np.ones((n, n), dtype=bool), k=1)\n",
         "BLOCKED"),
        ("diagonal_blocked", "import numpy as np\ndef causal_mask(n):\n    return np.tril(np.ones((n, n), dtype=bool), k=-1)\n",
         "diagonal"),
        ("one_ahead", "import numpy as np\ndef causal_mask(n):\n    return np.tril(np.ones((n, n), dtype=bool), k=1)\n",
         "one future"),
        ("all_allowed", "import numpy as np\ndef causal_mask(n):\n    return np.ones((n, n), dtype=bool)\n",
         "every position"),
        ("additive", _c("""
            import numpy as np
            def causal_mask(n):
                return np.where(np.tril(np.ones((n, n))) == 1, 0.0, -np.inf)
            """), "additive"),
        ("additive", _c("""
            import numpy as np
            def causal_mask(n):
                return np.triu(np.full((n, n), -1e9), k=1)
            """), "boolean mask"),
        ("not_boolean", "import numpy as np\ndef causal_mask(n):\n    return np.tril(np.ones((n, n)))\n", "not boolean"),
        ("not_boolean", "import numpy as np\ndef causal_mask(n):\n    return np.tril(np.ones((n, n), dtype=int))\n",
         "bool array"),
        ("wrong_shape", "import numpy as np\ndef causal_mask(n):\n    return np.ones(n, dtype=bool)\n", "expected shape"),
    ],
    "attention.scaled_dot_product_attention": [
        ("no_scaling", _s("""
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ np.swapaxes(K, -1, -2)
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                weights = _softmax(scores)
                return weights @ V, weights
            """), "sqrt(d_k)"),
        ("scaled_by_dk", _s("""
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ np.swapaxes(K, -1, -2) / Q.shape[-1]
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                weights = _softmax(scores)
                return weights @ V, weights
            """), "divided the scores by d_k"),
        ("softmax_axis", _s("""
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                weights = _softmax(scores, axis=-2)
                return weights @ V, weights
            """), "LAST axis"),
        ("keys_queries_swapped", _s("""
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = K @ np.swapaxes(Q, -1, -2) / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                weights = _softmax(scores)
                return weights @ V, weights
            """), "swapped"),
        ("no_softmax", _c("""
            import numpy as np
            def scaled_dot_product_attention(Q, K, V, mask=None):
                weights = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
                return weights @ V, weights
            """), "raw scaled scores"),
        ("mask_after_softmax", _s("""
            def scaled_dot_product_attention(Q, K, V, mask=None):
                weights = _softmax(Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1]))
                if mask is not None:
                    weights = weights * mask
                return weights @ V, weights
            """), "after the softmax"),
        ("mask_inverted", _s("""
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = np.where(mask, -np.inf, scores)
                weights = _softmax(scores)
                return weights @ V, weights
            """), "wrong sign"),
        ("mask_inverted", _c("""
            import numpy as np
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = np.where(mask, -np.inf, scores)
                e = np.exp(scores - scores.max(axis=-1, keepdims=True))
                weights = e / e.sum(axis=-1, keepdims=True)
                return weights @ V, weights
            """), "True = may attend"),
        ("unstable_softmax", _c("""
            import numpy as np
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                e = np.exp(scores)
                weights = e / e.sum(axis=-1, keepdims=True)
                return weights @ V, weights
            """), "overflows"),
        ("masked_row_nan", _c("""
            import numpy as np
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                e = np.exp(scores - scores.max(axis=-1, keepdims=True))
                weights = e / e.sum(axis=-1, keepdims=True)
                return weights @ V, weights
            """), "gives nan"),
        ("masked_row_uniform", _c("""
            import numpy as np
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = np.where(mask, scores, -1e9)
                e = np.exp(scores - scores.max(axis=-1, keepdims=True))
                weights = e / e.sum(axis=-1, keepdims=True)
                return weights @ V, weights
            """), "evenly"),
        ("masked_row_unmasked", _c("""
            import numpy as np
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = scores + (~mask) * -1e9
                e = np.exp(scores - scores.max(axis=-1, keepdims=True))
                weights = e / e.sum(axis=-1, keepdims=True)
                return weights @ V, weights
            """), "as if nothing were masked"),
        ("tuple_order", _s("""
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                weights = _softmax(scores)
                return weights, weights @ V
            """), "(output, weights)"),
        ("batched_fails", _s("""
            def scaled_dot_product_attention(Q, K, V, mask=None):
                scores = Q @ K.T / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                weights = _softmax(scores)
                return weights @ V, weights
            """), "swapaxes"),
        ("library_used", _s("""
            import torch
            import torch.nn.functional as F
            def scaled_dot_product_attention(Q, K, V, mask=None):
                t = [torch.as_tensor(a) for a in (Q, K, V)]
                m = None if mask is None else torch.as_tensor(mask)
                out = F.scaled_dot_product_attention(*t, attn_mask=m)
                scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
                if mask is not None:
                    scores = np.where(mask, scores, -np.inf)
                return out, _softmax(scores)
            """), "built-in"),
        ("wrong_type", _s("""
            def scaled_dot_product_attention(Q, K, V, mask=None):
                weights = _softmax(Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1]))
                return weights @ V
            """), "should return a tuple"),
    ],
    "attention.multi_head_attention": [
        ("split_order", _mha(
            "        return T.reshape(*lead, n, n_heads, dh).transpose(-3, -2)\n",
            "        return T.reshape(*lead, n_heads, n, dh)\n").replace(
            "heads.transpose(-3, -2).reshape(*lead, n, d)", "heads.reshape(*lead, n, d)"), "(n, h, d/h)"),
        ("merge_order", _mha("heads.transpose(-3, -2).reshape(*lead, n, d)", "heads.reshape(*lead, n, d)"),
         "merged them in the wrong order"),
        ("interleaved_heads", _mha(
            "        return T.reshape(*lead, n, n_heads, dh).transpose(-3, -2)\n",
            "        return T.reshape(*lead, n, dh, n_heads).movedim(-1, -3)\n").replace(
            "heads.transpose(-3, -2).reshape(*lead, n, d)", "heads.movedim(-3, -1).reshape(*lead, n, d)"),
         "every h-th feature"),
        ("scaled_by_sqrt_d", _mha("/ math.sqrt(dh)", "/ math.sqrt(d)"), "sqrt(d / n_heads)"),
        ("no_scaling", _mha(" / math.sqrt(dh)", ""), "did not scale"),
        ("no_output_projection", _mha("return merged @ Wo, weights", "return merged, weights"), "Wo"),
        ("weights_transposed", _mha("split(X @ Wq), split(X @ Wk), split(X @ Wv)",
                                    "split(X @ Wq.T), split(X @ Wk.T), split(X @ Wv.T)").replace(
            "merged @ Wo", "merged @ Wo.T"), "X @ W.T"),
        ("keys_queries_swapped", _mha("scores = Q @ K.transpose(-2, -1)", "scores = K @ Q.transpose(-2, -1)"),
         "swapped"),
        ("softmax_axis", _mha(
            "    e = torch.exp(scores - scores.amax(dim=-1, keepdim=True))\n"
            "    weights = e / e.sum(dim=-1, keepdim=True)\n",
            "    e = torch.exp(scores - scores.amax(dim=-2, keepdim=True))\n"
            "    weights = e / e.sum(dim=-2, keepdim=True)\n"), "last axis"),
        ("batched_fails", _mha("    *lead, n, d = X.shape\n", "    n, d = X.shape\n    lead = []\n"),
         "raised an error on a batch"),
        ("library_used", _c("""
            import torch
            def multi_head_attention(X, Wq, Wk, Wv, Wo, n_heads):
                d = X.shape[-1]
                layer = torch.nn.MultiheadAttention(d, n_heads, bias=False, batch_first=True)
                return layer(X, X, X)
            """), "nn.MultiheadAttention"),
        ("library_used", _mha(
            "    heads = weights @ V\n",
            "    heads = torch.nn.functional.scaled_dot_product_attention(Q, K, V)\n"), "from scratch"),
    ],
}
