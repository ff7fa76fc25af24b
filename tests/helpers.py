"""Shared helpers for the tests: temporary course copies and submission folders."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "course"


def tool_env() -> dict:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["MPLBACKEND"] = "Agg"
    return env


def copy_course(src: Path, dest: Path, generated: bool = True) -> Path:
    """A private copy of a course: source/, config, and (if asked) the generated trees."""
    dest.mkdir(parents=True, exist_ok=True)
    # The fixture course has no configuration of its own: every course uses the real one.
    config = src / "nbgrader_config.py"
    shutil.copy(config if config.exists() else REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    names = ["source", "datasets", "tests"] + (["release", "release-otter", "solutions", "build"] if generated else [])
    for name in names:
        if (src / name).exists():
            shutil.copytree(src / name, dest / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "artifacts"))
    return dest


def put_submission(root: Path, student: str, assignment: str, nb: dict | str | bytes) -> Path:
    folder = root / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.ipynb"
    if isinstance(nb, dict):
        path.write_text(json.dumps(nb))
    elif isinstance(nb, str):
        path.write_text(nb)
    else:
        path.write_bytes(nb)
    return path


def with_answer(nb: dict, grade_id: str, code: str) -> dict:
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            cell["source"] = code
            return nb
    raise KeyError(grade_id)


def run(argv, cwd, check=True, timeout=600) -> subprocess.CompletedProcess:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=tool_env(), timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{argv} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc
