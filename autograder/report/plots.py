"""Score distributions as PNG images (matplotlib, Agg), embedded in the report as base64."""

from __future__ import annotations

import base64
import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

BLUE = "#0969da"


def _bins(max_score: float, scores: list[float]) -> list[float]:
    """Bin edges centred on the scores a cell can take (halves when any score is fractional)."""
    step = 0.5 if any(abs(s * 2 - round(s * 2)) < 1e-9 and abs(s - round(s)) > 1e-9 for s in scores) else 1.0
    top = max([max_score, *scores]) if scores else max_score
    if top / step > 40:  # long scales: about 20 bins
        step = top / 20
    n = int(math.floor(top / step + 1e-9)) + 1
    return [(i - 0.5) * step for i in range(n + 1)]


def _ticks(ax, max_score: float) -> None:
    """Whole points on the x axis."""
    from matplotlib.ticker import MaxNLocator

    if max_score <= 12:
        ax.set_xticks(range(0, int(math.ceil(max_score)) + 1))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def histogram(scores: list[float], max_score: float, title: str, xlabel: str = "points") -> str:
    fig, ax = plt.subplots(figsize=(6.4, 2.8))
    ax.hist(scores, bins=_bins(max_score, scores), color=BLUE, edgecolor="white")
    ax.set_title(title, fontsize=11)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("students")
    ax.set_xlim(-0.5 * max(1.0, max_score / 20), max_score + 0.5 * max(1.0, max_score / 20))
    ax.yaxis.get_major_locator().set_params(integer=True)
    _ticks(ax, max_score)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def small_multiples(stats, cols: int = 3) -> str:
    """One small histogram per graded cell, in a grid."""
    n = len(stats)
    if n == 0:
        return ""
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.3 * cols, 2.3 * rows), squeeze=False)
    for ax, q in zip(axes.flat, stats):
        ax.hist(q.scores, bins=_bins(q.max_score, q.scores), color=BLUE, edgecolor="white")
        ax.set_title(f"{q.name} (max {q.max_score:g})", fontsize=9)
        pad = 0.5 * max(1.0, q.max_score / 20)
        ax.set_xlim(-pad, q.max_score + pad)
        ax.tick_params(labelsize=8)
        _ticks(ax, q.max_score)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    fig.supylabel("students", fontsize=9)
    fig.supxlabel("points", fontsize=9)
    fig.tight_layout()
    return _png(fig)
