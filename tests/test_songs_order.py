"""The song checks' ranking helper, vectorised for speed, orders exactly as its definition:
by increasing key, a chain of keys each within TIE_TOL of the one before it tied and
ordered by index, +inf left out."""
import numpy as np
import pytest

from autograder.checks.songs import TIE_TOL, _order


def _by_definition(key, smaller_first=True):
    idx = np.argsort(key, kind="stable")
    out, group = [], [int(idx[0])]
    for a in idx[1:]:
        if abs(key[a] - key[group[-1]]) <= TIE_TOL:
            group.append(int(a))
        else:
            out += sorted(group, reverse=not smaller_first)
            group = [int(a)]
    out += sorted(group, reverse=not smaller_first)
    return np.array([a for a in out if np.isfinite(key[a])], dtype=int)


@pytest.mark.parametrize("smaller_first", [True, False])
def test_order_matches_its_definition_on_ties_chains_and_infinities(smaller_first):
    rng = np.random.default_rng(0)
    values = [0.0, 1.0, 1.0 + TIE_TOL / 2, 1.0 + 0.9 * TIE_TOL, 1.0 + 1.5 * TIE_TOL, 2.0, -1.0, np.inf]
    for trial in range(3000):
        n = int(rng.integers(1, 15))
        key = rng.choice(values, size=n) if trial % 2 else rng.normal(size=n)
        assert np.array_equal(_order(key, smaller_first), _by_definition(key, smaller_first)), key
