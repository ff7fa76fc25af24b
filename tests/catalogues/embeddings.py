"""Correct variants and catalogued mistakes for the 14-embeddings checks."""

from textwrap import dedent


def _c(code: str) -> str:
    return dedent(code).strip() + "\n"


# A mean_pool with its last line swapped.
_POOL = """
    import numpy as np
    def mean_pool(token_embeddings, attention_mask):
        T = np.asarray(token_embeddings, dtype=np.float64)
        M = np.asarray(attention_mask, dtype=np.float64)
        summed = (T * M[:, :, None]).sum(axis=1)
        counts = M.sum(axis=1, keepdims=True)
        {line}
"""


def _pool(line: str) -> str:
    return _c(_POOL.format(line=line))


# A normalize_rows with its last lines swapped.
_NORM = """
    import numpy as np
    def normalize_rows(E):
        E = np.asarray(E, dtype=np.float64)
        lengths = np.sqrt((E ** 2).sum(axis=1, keepdims=True))
        with np.errstate(all="ignore"):
            {line}
"""


def _norm(line: str) -> str:
    return _c(_NORM.format(line=line))


_UNIT = _c("""
    import numpy as np
    def normalize_rows(E):
        E = np.asarray(E, dtype=np.float64)
        lengths = np.sqrt((E ** 2).sum(axis=1, keepdims=True))
        return np.divide(E, lengths, out=np.zeros_like(E), where=lengths > 0)
""")

# A similarity_matrix with its last line swapped.
_SIM = _UNIT + """
def similarity_matrix(E):
    E = np.asarray(E, dtype=np.float64)
    U = normalize_rows(E)
    n = np.sqrt((E ** 2).sum(axis=1))
    with np.errstate(all="ignore"):
        {line}
"""


def _sim(line: str) -> str:
    return dedent(_SIM).format(line=line).strip() + "\n"


# A semantic_search whose ranking lines are swapped; `scores` are the cosine similarities.
_SEARCH = _UNIT + """
def semantic_search(query_vec, corpus, k, exclude=None):
    X = np.asarray(corpus, dtype=np.float64)
    q = np.asarray(query_vec, dtype=np.float64)
    scores = normalize_rows(X) @ normalize_rows(q[None, :])[0]
    {body}
"""


def _search(body: str) -> str:
    body = dedent(body).strip().replace("\n", "\n    ")
    return dedent(_SEARCH).format(body=body).strip() + "\n"


_DROP = """
if exclude is not None:
    scores[exclude] = -np.inf
"""

# An analogy whose candidate loop is swapped; `target` is b - a + c.
_ANALOGY = """
import numpy as np
def analogy(a, b, c, vocab):
    target = vocab[b] - vocab[a] + vocab[c]
    best, best_score = None, -np.inf
    for word, v in vocab.items():
        {body}
    return best
"""


def _analogy(body: str) -> str:
    body = dedent(body).strip().replace("\n", "\n        ")
    return dedent(_ANALOGY).format(body=body).strip() + "\n"


_COS_LOOP = """
if word in (a, b, c):
    continue
score = np.dot(v, target) / (np.linalg.norm(v) * np.linalg.norm(target))
if score > best_score:
    best, best_score = word, score
"""


CORRECT = {
    "embeddings.mean_pool": [
        ("masked sum over clipped counts", _pool("return summed / np.maximum(counts, 1)")),
        ("sentence-transformers style clamp", _pool("return summed / np.clip(counts, 1e-9, None)")),
        ("loop over sentences", _c("""
            import numpy as np
            def mean_pool(token_embeddings, attention_mask):
                out = np.zeros((token_embeddings.shape[0], token_embeddings.shape[2]))
                for i in range(len(token_embeddings)):
                    real = np.asarray(attention_mask[i]).astype(bool)
                    if real.any():
                        out[i] = token_embeddings[i][real].mean(axis=0)
                return out
        """)),
        ("einsum, float32 kept", _c("""
            import numpy as np
            def mean_pool(token_embeddings, attention_mask):
                m = attention_mask.astype(token_embeddings.dtype)
                summed = np.einsum("bsd,bs->bd", token_embeddings, m)
                return summed / np.maximum(m.sum(axis=1), 1)[:, None]
        """)),
        ("torch", _c("""
            import torch
            def mean_pool(token_embeddings, attention_mask):
                T = torch.as_tensor(token_embeddings, dtype=torch.float64)
                M = torch.as_tensor(attention_mask).to(T.dtype).unsqueeze(-1)
                return ((T * M).sum(1) / M.sum(1).clamp(min=1e-9)).numpy()
        """)),
        ("nan cleaned after dividing", _c("""
            import numpy as np
            def mean_pool(token_embeddings, attention_mask):
                m = np.asarray(attention_mask, dtype=float)[..., None]
                with np.errstate(invalid="ignore"):
                    pooled = (token_embeddings * m).sum(1) / m.sum(1)
                return np.nan_to_num(pooled)
        """)),
    ],
    "embeddings.normalize_rows": [
        ("divide where the length is not 0", _UNIT),
        ("np.linalg.norm with a guard", _c("""
            import numpy as np
            def normalize_rows(E):
                n = np.linalg.norm(E, axis=1, keepdims=True)
                n[n == 0] = 1.0
                return E / n
        """)),
        ("loop over rows", _c("""
            import math
            import numpy as np
            def normalize_rows(E):
                out = np.zeros(np.shape(E))
                for i, row in enumerate(E):
                    length = math.sqrt(sum(float(x) * float(x) for x in row))
                    if length > 0:
                        out[i] = [float(x) / length for x in row]
                return out
        """)),
        ("sklearn", _c("""
            from sklearn.preprocessing import normalize
            def normalize_rows(E):
                return normalize(E, norm="l2", axis=1)
        """)),
        ("torch F.normalize", _c("""
            import torch
            def normalize_rows(E):
                return torch.nn.functional.normalize(torch.as_tensor(E, dtype=torch.float64), dim=1).numpy()
        """)),
        ("float32 kept, clipped length", _c("""
            import numpy as np
            def normalize_rows(E):
                return E / np.maximum(np.sqrt((E * E).sum(axis=1, keepdims=True)), 1e-30)
        """)),
    ],
    "embeddings.similarity_matrix": [
        ("normalise, then U @ U.T", _sim("return U @ U.T")),
        ("divide by the outer product of lengths", _sim(
            "return np.nan_to_num((E @ E.T) / np.outer(n, n))")),
        ("double loop", _c("""
            import math
            def similarity_matrix(E):
                rows = [[float(x) for x in r] for r in E]
                lengths = [math.sqrt(sum(x * x for x in r)) for r in rows]
                out = [[0.0] * len(rows) for _ in rows]
                for i, a in enumerate(rows):
                    for j, b in enumerate(rows):
                        if lengths[i] and lengths[j]:
                            out[i][j] = sum(x * y for x, y in zip(a, b)) / (lengths[i] * lengths[j])
                return out
        """)),
        ("sklearn", "from sklearn.metrics.pairwise import cosine_similarity\n"
                    "def similarity_matrix(E):\n    return cosine_similarity(E)\n"),
        ("einsum in float32", _c("""
            import numpy as np
            def similarity_matrix(E):
                n = np.sqrt(np.einsum("id,id->i", E, E))
                U = E / np.where(n == 0, 1, n)[:, None]
                return np.einsum("id,jd->ij", U, U)
        """)),
    ],
    "embeddings.semantic_search": [
        ("stable argsort", _search(_DROP + "return np.argsort(-scores, kind='stable')[:k]")),
        ("default argsort (ties in any order)", _search(_DROP + "return np.argsort(-scores)[:k]")),
        ("reversed ascending sort", _search(_DROP + "return np.argsort(scores)[::-1][:k]")),
        ("lexsort by score then index", _search(_DROP + "order = np.lexsort((np.arange(len(scores)), -scores))\n"
                                                "return order[:k]")),
        ("sorted() over pairs", _search("""
            pairs = sorted((-float(s), i) for i, s in enumerate(scores) if i != exclude)
            return [i for _, i in pairs[:k]]
        """)),
        ("take k + 1, then drop the excluded index", _search("""
            order = np.argsort(-scores, kind="stable")
            if exclude is None:
                return order[:k]
            return np.array([i for i in order[:k + 1] if i != exclude][:k])
        """)),
        ("loop that keeps the first best", _c("""
            import math
            def semantic_search(query_vec, corpus, k, exclude=None):
                def cos(u, v):
                    uu = math.sqrt(sum(float(x) ** 2 for x in u))
                    vv = math.sqrt(sum(float(x) ** 2 for x in v))
                    return sum(float(x) * float(y) for x, y in zip(u, v)) / (uu * vv) if uu and vv else 0.0
                left = [i for i in range(len(corpus)) if i != exclude]
                scores = {i: cos(query_vec, corpus[i]) for i in left}
                out = []
                for _ in range(k):
                    best = None
                    for i in left:
                        if i not in out and (best is None or scores[i] > scores[best]):
                            best = i
                    out.append(best)
                return out
        """)),
        ("torch topk on float64 with index tie-break", _c("""
            import numpy as np
            import torch
            def semantic_search(query_vec, corpus, k, exclude=None):
                X = torch.as_tensor(np.asarray(corpus, dtype=np.float64))
                q = torch.as_tensor(np.asarray(query_vec, dtype=np.float64))
                s = torch.nn.functional.cosine_similarity(X, q[None, :], dim=1, eps=1e-300)
                s = s.numpy().copy()
                if exclude is not None:
                    s[exclude] = -np.inf
                return np.argsort(-s, kind="stable")[:k]
        """)),
    ],
    "embeddings.analogy": [
        ("loop with >", _analogy(_COS_LOOP)),
        ("loop with >= (the last of tied words)",
         _analogy(_COS_LOOP.replace("score > best_score", "score >= best_score"))),
        ("matrix of candidates", _c("""
            import numpy as np
            def analogy(a, b, c, vocab):
                words = [w for w in vocab if w not in (a, b, c)]
                V = np.array([vocab[w] for w in words], dtype=np.float64)
                t = np.asarray(vocab[b], dtype=np.float64) - vocab[a] + vocab[c]
                scores = V @ t / (np.linalg.norm(V, axis=1) * np.linalg.norm(t))
                return words[int(np.argmax(scores))]
        """)),
        ("max with a key", _c("""
            import math
            def analogy(a, b, c, vocab):
                t = [float(y) - float(x) + float(z) for x, y, z in zip(vocab[a], vocab[b], vocab[c])]
                nt = math.sqrt(sum(x * x for x in t))
                def cos(v):
                    return sum(float(x) * y for x, y in zip(v, t)) / (math.sqrt(sum(float(x) ** 2 for x in v)) * nt)
                return max((w for w in vocab if w not in {a, b, c}), key=lambda w: cos(vocab[w]))
        """)),
        ("sklearn cosine over all words, inputs masked", _c("""
            import numpy as np
            from sklearn.metrics.pairwise import cosine_similarity
            def analogy(a, b, c, vocab):
                words = list(vocab)
                V = np.stack([vocab[w] for w in words])
                t = vocab[b] - vocab[a] + vocab[c]
                s = cosine_similarity(V, t[None, :])[:, 0]
                for w in (a, b, c):
                    s[words.index(w)] = -np.inf
                return words[int(np.argmax(s))]
        """)),
        ("returns a numpy string", _c("""
            import numpy as np
            def analogy(a, b, c, vocab):
                words = np.array([w for w in vocab if w not in (a, b, c)])
                V = np.array([vocab[w] for w in words], dtype=np.float64)
                t = vocab[b] - vocab[a] + vocab[c]
                V = V / np.linalg.norm(V, axis=1, keepdims=True)
                return str(words[np.argmax(V @ t)])
        """)),
    ],
}


MISTAKES = {
    "embeddings.mean_pool": [
        ("padding_counted", "import numpy as np\ndef mean_pool(token_embeddings, attention_mask):\n"
                            "    return token_embeddings.mean(axis=1)\n", "padding included"),
        ("padding_in_sum", _pool("return np.asarray(token_embeddings).sum(axis=1) / counts"), "multiply by the mask"),
        ("padded_length", _pool("return summed / T.shape[1]"), "padded length"),
        ("no_division", _pool("return summed"), "masked sum"),
        ("batch_count", _pool("return summed / M.sum()"), "whole batch"),
        ("first_token", _pool("return T[:, 0]"), "CLS"),
        ("max_pool", _pool("return np.where(M[:, :, None] > 0, T, -np.inf).max(axis=1)"), "max pooling"),
        ("normalised", _pool("p = summed / np.maximum(counts, 1)\n"
                             "        return p / np.linalg.norm(p, axis=1, keepdims=True)"), "normalised"),
        ("feature_axis", _pool("return T.mean(axis=2)"), "axis=1"),
        ("empty_nan", _pool("with np.errstate(invalid='ignore'):\n            return summed / counts"), "nan"),
        ("empty_error", _c("""
            def mean_pool(token_embeddings, attention_mask):
                out = []
                for t, m in zip(token_embeddings, attention_mask):
                    n = int(sum(m))
                    out.append([sum(float(t[j][d]) for j in range(len(m)) if m[j]) / n for d in range(t.shape[1])])
                return out
        """), "ZeroDivisionError"),
        ("error", "def mean_pool(token_embeddings, attention_mask):\n    raise NotImplementedError()",
         "not answered"),
        ("wrong_type", "def mean_pool(token_embeddings, attention_mask):\n    pass", "return"),
    ],
    "embeddings.normalize_rows": [
        ("wrong_axis", _norm("return E / np.sqrt((E ** 2).sum(axis=0, keepdims=True))"), "columns"),
        ("l1_norm", _norm("return np.nan_to_num(E / np.abs(E).sum(axis=1, keepdims=True))"), "L1"),
        ("squared_norm", _norm("return np.nan_to_num(E / lengths ** 2)"), "squared length"),
        ("max_norm", _norm("return np.nan_to_num(E / np.abs(E).max(axis=1, keepdims=True))"),
         "largest absolute entry"),
        ("whole_matrix", _norm("return E / np.sqrt((E ** 2).sum())"), "whole matrix"),
        ("returned_norms", _norm("return lengths"), "lengths of the rows"),
        ("zero_nan", _norm("return E / lengths"), "nan"),
        ("zero_ones", _norm("return np.where(lengths > 0, E / lengths, 1.0)"), "ones"),
        ("epsilon", _norm("return E / (lengths + 1e-12)"), "small number"),
        ("zero_error", _c("""
            import numpy as np
            def normalize_rows(E):
                lengths = np.linalg.norm(E, axis=1, keepdims=True)
                if np.any(lengths == 0):
                    raise ValueError("zero row")
                return E / lengths
        """), "row of zeros"),
        ("modified_input", _c("""
            import numpy as np
            def normalize_rows(E):
                lengths = np.sqrt((E ** 2).sum(axis=1, keepdims=True))
                lengths[lengths == 0] = 1
                E /= lengths
                return E
        """), "in place"),
        ("error", "def normalize_rows(E):\n    raise NotImplementedError()", "not answered"),
    ],
    "embeddings.similarity_matrix": [
        ("dot_product", _sim("return E @ E.T"), "lengths"),
        ("wrong_axis", _sim("C = E / np.sqrt((E ** 2).sum(axis=0))\n        return C @ C.T"), "columns"),
        ("columns", _sim("C = E / np.sqrt((E ** 2).sum(axis=0))\n        return C.T @ C"), "E.T @ E"),
        ("distance", _sim("return 1 - U @ U.T"), "1 - cos"),
        ("one_norm", _sim("return np.nan_to_num((E @ E.T) / n[:, None])"), "row i only"),
        ("squared_norms", _sim("return np.nan_to_num((E @ E.T) / np.outer(n ** 2, n ** 2))"), "squared"),
        ("whole_matrix", _sim("return (E @ E.T) / (E ** 2).sum()"), "whole matrix"),
        ("euclidean", _sim("return np.sqrt(((E[:, None, :] - E[None, :, :]) ** 2).sum(-1))"), "Euclidean"),
        ("zero_nan", _sim("return (E @ E.T) / np.outer(n, n)"), "nan"),
        ("zero_diagonal_one", _sim("S = U @ U.T\n        np.fill_diagonal(S, 1.0)\n        return S"), "itself"),
        ("zero_error", _c("""
            import numpy as np
            def similarity_matrix(E):
                n = np.linalg.norm(E, axis=1)
                assert np.all(n > 0), "zero row"
                return (E @ E.T) / np.outer(n, n)
        """), "row of zeros"),
        ("wrong_shape", _sim("return U"), "shape"),
    ],
    "embeddings.semantic_search": [
        ("ascending", _search(_DROP + "return np.argsort(-scores, kind='stable')[:k][::-1]"), "ascending"),
        ("least_similar", _search("""
            order = [i for i in np.argsort(scores, kind="stable") if i != exclude]
            return np.array(order[:k])
        """), "least similar"),
        ("dot_product", _search("""
            dots = X @ q
            if exclude is not None:
                dots[exclude] = -np.inf
            return np.argsort(-dots, kind="stable")[:k]
        """), "dot product"),
        ("euclidean", _search("""
            d = np.sqrt(((X - q) ** 2).sum(axis=1))
            if exclude is not None:
                d[exclude] = np.inf
            return np.argsort(d, kind="stable")[:k]
        """), "Euclidean"),
        ("k_plus_one", _search("""
            order = np.argsort(-scores, kind="stable")
            return order[:k + 1] if exclude is not None else order[:k]
        """), "k + 1"),
        ("includes_excluded", _search("return np.argsort(-scores, kind='stable')[:k]"), "query itself"),
        ("includes_excluded", _search("""
            order = np.argsort(-scores, kind="stable")
            return order[1:k + 1] if exclude is not None else order[:k]
        """), "identical copy"),
        ("skipped_first", _search(_DROP + "return np.argsort(-scores, kind='stable')[1:k + 1]"), "most similar row"),
        ("zero_nan", _c("""
            import numpy as np
            def semantic_search(query_vec, corpus, k, exclude=None):
                with np.errstate(invalid="ignore", divide="ignore"):
                    s = corpus @ query_vec / (np.linalg.norm(corpus, axis=1) * np.linalg.norm(query_vec))
                if exclude is not None:
                    s[exclude] = -np.inf
                return np.argsort(-s, kind="stable")[:k]
        """), "nan"),
        ("scores_not_indices", _search(_DROP + "return np.sort(scores)[::-1][:k]"), "indices"),
        ("ignored_k", _search(_DROP + "order = np.argsort(-scores, kind='stable')\n"
                              "return order[np.isfinite(scores[order])]"), "whole ranking"),
        ("one_based", _search(_DROP + "return np.argsort(-scores, kind='stable')[:k] + 1"), "counts from 0"),
        ("not_sorted", _search(_DROP + "return np.roll(np.argsort(-scores, kind='stable')[:k], 1)"),
         "not in the right order"),
        ("error", "def semantic_search(query_vec, corpus, k, exclude=None):\n    raise NotImplementedError()",
         "not answered"),
        ("error", "def semantic_search(query_vec, corpus, k):\n    return list(range(k))", "TypeError"),
    ],
    "embeddings.analogy": [
        ("returned_input", _analogy("""
            score = np.dot(v, target) / (np.linalg.norm(v) * np.linalg.norm(target))
            if score > best_score:
                best, best_score = word, score
        """), "input words"),
        ("returned_input", _analogy("""
            if word == a:
                continue
            score = np.dot(v, target) / (np.linalg.norm(v) * np.linalg.norm(target))
            if score > best_score:
                best, best_score = word, score
        """), "leave a, b and c out"),
        ("wrong_signs", _c("""
            import numpy as np
            def analogy(a, b, c, vocab):
                t = vocab[a] - vocab[b] + vocab[c]
                words = [w for w in vocab if w not in (a, b, c)]
                return max(words, key=lambda w: vocab[w] @ t / (np.linalg.norm(vocab[w]) * np.linalg.norm(t)))
        """), "wrong signs"),
        ("dot_product", _analogy("""
            if word in (a, b, c):
                continue
            score = np.dot(v, target)
            if score > best_score:
                best, best_score = word, score
        """), "dot product"),
        ("euclidean", _analogy("""
            if word in (a, b, c):
                continue
            score = -np.linalg.norm(v - target)
            if score > best_score:
                best, best_score = word, score
        """), "Euclidean"),
        ("normalised_first", _c("""
            import numpy as np
            def analogy(a, b, c, vocab):
                unit = {w: v / np.linalg.norm(v) for w, v in vocab.items()}
                t = unit[b] - unit[a] + unit[c]
                words = [w for w in vocab if w not in (a, b, c)]
                return max(words, key=lambda w: unit[w] @ t / np.linalg.norm(t))
        """), "as given"),
        ("least_similar", _analogy("""
            if word in (a, b, c):
                continue
            score = -np.dot(v, target) / (np.linalg.norm(v) * np.linalg.norm(target))
            if score > best_score:
                best, best_score = word, score
        """), "least similar"),
        ("ignored_offset", _analogy("""
            if word in (a, b, c):
                continue
            score = np.dot(v, vocab[c]) / (np.linalg.norm(v) * np.linalg.norm(vocab[c]))
            if score > best_score:
                best, best_score = word, score
        """), "closest to c"),
        ("wrong_type", _c("""
            import numpy as np
            def analogy(a, b, c, vocab):
                words = [w for w in vocab if w not in (a, b, c)]
                t = vocab[b] - vocab[a] + vocab[c]
                V = np.array([vocab[w] for w in words])
                return int(np.argmax(V @ t / np.linalg.norm(V, axis=1)))
        """), "the number"),
        ("wrong_type", _c("""
            import numpy as np
            def analogy(a, b, c, vocab):
                words = [w for w in vocab if w not in (a, b, c)]
                t = vocab[b] - vocab[a] + vocab[c]
                return max((vocab[w] for w in words), key=lambda v: v @ t / np.linalg.norm(v))
        """), "a vector"),
        ("error", "def analogy(a, b, c, vocab):\n    raise NotImplementedError()", "not answered"),
    ],
}
