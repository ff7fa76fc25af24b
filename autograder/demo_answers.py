"""The demo class's catalogued mistakes: one wrong answer per student (check id -> entries,
as in the check catalogues: (mistake, code, words)). A test keeps each one failing with its
mistake."""

MISTAKES = {
    'vectors.cosine_pairwise': [('one_norm', 'import numpy as np\ndef cosine_similarity(a, b):\n    a = np.asarray(a, dtype=float)\n    b = np.asarray(b, dtype=float)\n    na, nb = np.sqrt(np.sum(a * a)), np.sqrt(np.sum(b * b))\n    if na == 0 or nb == 0:\n        return 0.0\n    return np.sum(a * b) / na\n', 'only one of the two norms')],
    'vectors.cosine_zero': [('zero_nan', 'import numpy as np\ndef cosine_similarity(a, b):\n    with np.errstate(invalid="ignore"):\n        return np.sum(a * b) / (np.sqrt(np.sum(a * a)) * np.sqrt(np.sum(b * b)))\n', 'nan')],
    'vectors.nearest_neighbours': [('ascending', 'import numpy as np\ndef nearest_neighbours(query, items, k):\n    q = np.asarray(query, dtype=float)\n    X = np.asarray(items, dtype=float)\n    nq = np.sqrt(np.sum(q * q))\n    nx = np.sqrt(np.sum(X * X, axis=1))\n    sims = np.zeros(len(X))\n    ok = (nx > 0) & (nq > 0)\n    sims[ok] = np.sum(X[ok] * q, axis=1) / (nx[ok] * nq)\n    return np.argsort(-sims)[:k][::-1]\n', 'ascending order')],
    'vectors.dot': [('elementwise', 'def dot(a, b):\n    return a * b', 'element-wise product')],
    'vectors.cosine_batched': [('transposed', 'import numpy as np\ndef cosine_similarity(A, B):\n    A = np.asarray(A, dtype=float)\n    B = np.asarray(B, dtype=float)\n    na = np.sqrt(np.sum(A * A, axis=1))\n    nb = np.sqrt(np.sum(B * B, axis=1))\n    dots = np.einsum("id,jd->ij", A, B)\n    with np.errstate(all="ignore"):\n        out = dots.T / np.outer(nb, na)\n    return np.nan_to_num(out) if True else out\n', 'transposed')],
}
