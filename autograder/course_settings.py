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
GRADING_PACKAGES = ("numpy", "scipy", "torch", "scikit-learn", "matplotlib", "pandas")
# Import name of a distribution whose name differs from it.
IMPORT_NAME = {"scikit-learn": "sklearn"}
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


def preload_modules() -> tuple[str, ...]:
    """The import names the warm sandbox may preload, in GRADING_PACKAGES order."""
    return tuple(IMPORT_NAME.get(name, name) for name in GRADING_PACKAGES)
