"""Hidden checks for 01-vectors: dot, norm, cosine similarity, nearest neighbours."""

from __future__ import annotations

import numpy as np

from autograder.checks.compare import Mistake, judge_cases
from autograder.checks.core import Case, Check, register

DOT_TOL = 1e-8


def _dot_cases(rng: np.random.Generator) -> list[Case]:
    n = int(rng.integers(3, 9))
    return [
        Case("two random vectors", {"a": rng.normal(size=n), "b": rng.normal(size=n)}),
        Case("vectors of length 1", {"a": rng.normal(size=1), "b": rng.normal(size=1)}),
        Case("integer vectors", {"a": rng.integers(-5, 6, size=n), "b": rng.integers(-5, 6, size=n)}),
        Case("orthogonal vectors", {"a": np.array([2.0, 0.0, 0.0]), "b": np.array([0.0, -3.0, 0.0])}),
    ]


def _dot_reference(a, b):
    return float(np.sum(np.asarray(a, dtype=float) * np.asarray(b, dtype=float)))


DOT_MISTAKES = [
    Mistake("elementwise", "you returned the element-wise product a * b; the dot product sums it to one number",
            lambda a, b: np.asarray(a, float) * np.asarray(b, float)),
    Mistake("sum_of_sums", "you returned sum(a) * sum(b); the dot product sums the products a[i] * b[i]",
            lambda a, b: float(np.sum(a) * np.sum(b))),
    Mistake("abs_values", "you took absolute values; the dot product keeps the signs of a[i] * b[i]",
            lambda a, b: float(np.sum(np.abs(np.asarray(a, float) * np.asarray(b, float))))),
]

check_dot = register(Check(
    id="vectors.dot",
    target="dot",
    summary="dot(a, b) matches the reference on fresh random vectors",
    make_cases=_dot_cases,
    judge=lambda cases, outcomes: judge_cases(cases, outcomes, _dot_reference, DOT_TOL, DOT_MISTAKES,
                                              what="dot(a, b)"),
    forbidden={r"\bnp\.dot\b|\bnumpy\.dot\b|\bnp\.inner\b|@|\bnp\.matmul\b|\bnp\.vdot\b": "a NumPy dot-product routine"},
)).runner()
