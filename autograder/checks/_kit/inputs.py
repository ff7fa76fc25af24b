"""The shared input generators every check draws its cases from.

Each takes the check's generator ``rng`` first, so cases stay a function of the seed.
Hidden cases should cover, where the quantity allows: known-spectrum data, dtype variants,
zero rows, extreme scales, extreme spreads, near-singular and rank-deficient matrices, ties,
masks of -1e9 and -inf, exact zeros and exact orthogonality.
"""

from __future__ import annotations

import numpy as np


def spectrum(rng: np.random.Generator, r: int) -> np.ndarray:
    """r variances in decreasing order, each 0.35-0.6 times the one before: no near-ties."""
    top = rng.uniform(4.0, 9.0)
    ratios = rng.uniform(0.35, 0.6, size=max(r - 1, 0))
    return top * np.concatenate([[1.0], np.cumprod(ratios)])


def orthonormal(rng: np.random.Generator, d: int, r: int) -> np.ndarray:
    """A random (d, r) matrix with orthonormal columns."""
    q, upper = np.linalg.qr(rng.normal(size=(d, r)))
    return q * np.sign(np.diag(upper))


def known_spectrum(rng: np.random.Generator, n: int, d: int, rank: int | None = None) -> np.ndarray:
    """n samples in d features whose sample covariance (n - 1) is exactly
    R diag(spectrum) R.T with R random orthonormal (d, rank), plus a far-off mean.
    With rank < d (or n <= d) the data is rank-deficient."""
    rank = d if rank is None else rank
    z = rng.normal(size=(n, rank))
    z -= z.mean(axis=0)
    q, _ = np.linalg.qr(z)  # centred, orthonormal columns
    latent = q * np.sqrt((n - 1) * spectrum(rng, rank))
    mean = rng.uniform(3.0, 12.0, size=d) * rng.choice([-1.0, 1.0], size=d)
    return latent @ orthonormal(rng, d, rank).T + mean


def orthogonal_pair(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Two vectors with disjoint supports: their dot product is exactly 0 in floating point."""
    a, b = np.zeros(n), np.zeros(n)
    idx = rng.permutation(n)
    a[idx[: n // 2]] = rng.normal(size=n // 2)
    b[idx[n // 2:]] = rng.normal(size=n - n // 2)
    return a, b


def orthogonal_up_to_rounding(rng: np.random.Generator, n: int, scale: float = 1.0):
    """Two orthogonal vectors in general position: their dot product is 0 only up to rounding,
    so an answer that is exactly right in exact arithmetic may differ from 0 by about 1e-16."""
    a = scale * rng.normal(size=n)
    b = scale * rng.normal(size=n)
    b = b - (b @ a) / (a @ a) * a
    return a, b


def extreme_spread(rng: np.random.Generator, shape: tuple[int, ...], spread: float = 2000.0) -> np.ndarray:
    """Values spanning about ``spread`` within every slice: exp of the spread overflows, so
    only the maximum can be subtracted safely (not the minimum, not the mean)."""
    x = rng.uniform(-spread / 2, spread / 2, size=shape)
    x[..., 0] = -spread / 2
    x[..., -1] = spread / 2
    return x


def with_zero_row(rng: np.random.Generator, X: np.ndarray) -> np.ndarray:
    """X with one row set to exact zeros."""
    X = np.array(X, dtype=float)
    X[int(rng.integers(len(X)))] = 0.0
    return X


def masks(rng: np.random.Generator, shape: tuple[int, int]) -> dict[str, np.ndarray]:
    """A boolean keep-mask with every row keeping something, and its additive forms."""
    keep = rng.random(shape) < 0.6
    keep[np.arange(shape[0]), rng.integers(0, shape[1], size=shape[0])] = True
    return {"bool": keep, "minus_1e9": np.where(keep, 0.0, -1e9), "minus_inf": np.where(keep, 0.0, -np.inf)}


def near_singular(rng: np.random.Generator, d: int, condition: float = 1e10) -> np.ndarray:
    """A symmetric positive definite (d, d) matrix with the given condition number."""
    q = orthonormal(rng, d, d)
    values = np.geomspace(1.0, 1.0 / condition, d)
    return (q * values) @ q.T


def ties(rng: np.random.Generator, n: int, d: int, tied: int = 3) -> np.ndarray:
    """n rows of which the last ``tied`` point the same way at different lengths."""
    base = rng.normal(size=d)
    return np.concatenate([rng.normal(size=(n - tied, d)), np.outer(rng.uniform(0.5, 3, size=tied), base)])


def dtype_variants(x: np.ndarray) -> dict[str, np.ndarray]:
    """The same values as float64, float32 and (rounded) integers."""
    return {"float64": np.asarray(x, dtype=np.float64), "float32": np.asarray(x, dtype=np.float32),
            "int": np.rint(x).astype(np.int64)}
