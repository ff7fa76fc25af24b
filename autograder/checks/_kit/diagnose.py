"""What to say when a wrong answer matches no catalogued mistake.

:func:`relation` infers how the received answer relates to the expected one (a constant
factor, and which; transposed; sign flipped; shifted; rows reversed or permuted; normalised
along the other axis; nan where a number is expected) and :func:`entry` shows one concrete
failing entry, so that a message is never just "the result is wrong".
"""

from __future__ import annotations

import math

import numpy as np

_CLOSE = 1e-6


def _same(x: np.ndarray, y: np.ndarray) -> bool:
    if x.shape != y.shape or x.size == 0:
        return False
    scale = max(1e-12, float(np.max(np.abs(y))))
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(np.all(np.abs(x - y) <= _CLOSE * scale))


def _factor_names(sizes: set[int]) -> list[tuple[float, str]]:
    """Constant factors a student plausibly slips in, named as the student would write them."""
    names = [(-1.0, "-1 (the sign is flipped)"), (2.0, "2"), (0.5, "1/2"), (3.0, "3"), (1 / 3, "1/3"),
             (100.0, "100 (a percentage?)"), (0.01, "1/100")]
    for n in sorted(s for s in sizes if s > 1):
        names += [(math.sqrt(n), f"sqrt({n})"), (1 / math.sqrt(n), f"1/sqrt({n})"), (float(n), f"{n}"),
                  (1 / n, f"1/{n}"), (n / (n - 1), f"{n}/{n - 1} (n versus n - 1)"),
                  ((n - 1) / n, f"{n - 1}/{n} (n - 1 versus n)"),
                  (math.sqrt(n / (n - 1)), f"sqrt({n}/{n - 1}) (a standard deviation with n - 1 versus n)"),
                  (math.sqrt((n - 1) / n), f"sqrt({n - 1}/{n}) (a standard deviation with n versus n - 1)")]
        if n > 2:
            names += [((n - 1) / (n - 2), f"{n - 1}/{n - 2} (n - 2 where n - 1 belongs)")]
    return names


def sizes_of(args: dict) -> set[int]:
    """Every axis length of the inputs, and every small integer argument."""
    out: set[int] = set()
    for value in args.values():
        if isinstance(value, np.ndarray):
            out.update(int(s) for s in value.shape)
        elif isinstance(value, (int, np.integer)) and not isinstance(value, bool) and 1 < value < 10_000:
            out.add(int(value))
    return out


def relation(received, expected, sizes: set[int] = frozenset()) -> str | None:
    """How ``received`` relates to ``expected``, in words, or None when no simple relation holds."""
    try:
        r = np.asarray(received, dtype=np.float64)
        e = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if r.size == 0 or e.size == 0:
        return None
    if r.shape == e.shape:
        bad = ~np.isfinite(r) & np.isfinite(e)
        if bad.any():
            at = tuple(int(i) for i in np.argwhere(bad)[0])
            return f"it holds nan or inf where a number is expected (first at {list(at)})"
    if r.ndim == 2 and r.shape == e.shape[::-1] and _same(r.T, e):
        return "it is the transpose of the expected answer"
    if r.shape != e.shape or not np.all(np.isfinite(r)) or r.size < 2:
        return None  # one number is off by every factor and every shift: say nothing
    if r.ndim == 2 and r.shape[0] == r.shape[1] and _same(r.T, e) and not _same(r, e):
        return "it is the transpose of the expected answer"
    nonzero = np.abs(e) > 1e-12 * max(1e-300, float(np.max(np.abs(e))))
    if nonzero.any():
        ratio = float(np.sum(r * e) / np.sum(e * e))
        if abs(ratio) > 1e-12 and _same(r, ratio * e):
            for factor, name in _factor_names(set(sizes)):
                if abs(ratio - factor) <= 1e-6 * abs(factor):
                    return f"it is off by a constant factor of {name}"
            return f"it is off by a constant factor of about {ratio:.6g}"
    shift = float(np.mean(r - e))
    if abs(shift) > 1e-12 and _same(r - shift, e):
        return f"every entry is shifted by the same constant, about {shift:.6g}"
    if np.ptp(e) > 0:
        slope, intercept = np.polyfit(e.ravel(), r.ravel(), 1)
        if abs(slope) > 1e-12 and _same(r, slope * e + intercept):
            return (f"it is a linear rescaling of the expected answer, about {slope:.6g} * expected "
                    f"{'+' if intercept >= 0 else '-'} {abs(intercept):.6g}")
    if r.ndim >= 1 and r.shape[0] > 1:
        if _same(r[::-1], e):
            return "the rows (first axis) come in reverse order"
        if _same(np.sort(r, axis=0), np.sort(e, axis=0)) and _same(r[np.lexsort(r.T[::-1])] if r.ndim == 2 else np.sort(r),
                                                                     e[np.lexsort(e.T[::-1])] if e.ndim == 2 else np.sort(e)):
            return "it holds the right entries, but the rows are in a different order"
    if r.ndim >= 2:
        for axis in range(r.ndim):
            if axis == e.ndim - 1:
                continue
            if np.allclose(r.sum(axis=axis), 1.0, atol=1e-6) and not np.allclose(e.sum(axis=axis), 1.0, atol=1e-6):
                return f"it is normalised along axis {axis} instead of the last axis"
    return None


def entry(received, expected) -> str:
    """One concrete failing entry: where, what was received and what was expected."""
    try:
        r = np.asarray(received, dtype=np.float64)
        e = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return ""
    if r.shape != e.shape or r.size == 0:
        return ""
    with np.errstate(invalid="ignore", over="ignore"):
        gap = np.nan_to_num(np.abs(r - e), nan=np.inf)
    gap = np.where(np.isnan(r) & np.isnan(e), 0.0, gap)
    at = np.unravel_index(int(np.argmax(gap)), gap.shape) if r.ndim else ()
    index = "[" + ", ".join(str(int(i)) for i in at) + "]" if at else "the value"
    where = f"entry {index}" if at else index
    return f"{where} is {r[at]:.6g} where {e[at]:.6g} was expected"


def explain(received, expected, args: dict) -> str:
    """The relation (if one holds) and one failing entry, as a clause to append to a message."""
    parts = [p for p in (relation(received, expected, sizes_of(args)), entry(received, expected)) if p]
    return "; ".join(parts)
