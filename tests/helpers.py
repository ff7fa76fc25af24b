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
GENERATED = ["release", "release-otter", "solutions", "manifests"]


def tool_env() -> dict:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["MPLBACKEND"] = "Agg"
    return env


def copy_course(src: Path, dest: Path, generated: bool = True) -> Path:
    """A private copy of a course: source/, config, and (if asked) the committed generated
    trees and their manifests (never build/: otter zips are built where a test needs them)."""
    dest.mkdir(parents=True, exist_ok=True)
    # The fixture course has no configuration of its own: every course uses the real one.
    config = src / "nbgrader_config.py"
    shutil.copy(config if config.exists() else REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    names = ["source", "datasets", "tests"] + (GENERATED if generated else [])
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


def run(argv, cwd, check=True, timeout=600, env=None) -> subprocess.CompletedProcess:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env or tool_env(), timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{argv} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def grade_in_process(course, assignment: str, nb, workdir: Path, seed: int = 0) -> dict[str, float]:
    """Auto-graded points per graded cell, as the platform's grader would give them, but
    with the notebook run in this process (no sandbox, no kernel): the source cells with
    the notebook's answers put back, then every hidden check the plan names.

    Public-test cells are run too and must not raise on an answer that passes its checks;
    their failures are returned under the key ``"public tests"``."""
    import contextlib
    import io

    import matplotlib
    import numpy as np

    from autograder.build import notebook as nbtools
    from autograder.checks import load_all
    from autograder.grade.plan import load_plan
    from autograder.grade.submission import merge

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    registry = load_all()
    plan = load_plan(course, assignment)
    merged = merge(plan.source, nb)
    public = [c.source for c in plan.source.cells if nbtools.is_public_test(c)]
    workdir.mkdir(parents=True, exist_ok=True)
    for f in course.data_files(assignment):
        shutil.copy(f, workdir / f.name)
    namespace = {"__name__": "__main__", "display": lambda *a, **k: None}
    failures = []
    here = os.getcwd()
    try:
        os.chdir(workdir)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            for cell in merged.cells:
                try:
                    exec(compile(cell["source"], f"<{assignment} {cell['unit']}>", "exec"), namespace)
                except Exception:  # noqa: BLE001 - a blank answer raises NotImplementedError
                    pass
            for source in public:
                try:
                    exec(compile(source, f"<{assignment} public test>", "exec"), dict(namespace))
                except Exception as exc:  # noqa: BLE001
                    failures.append(f"{type(exc).__name__}: {exc}"[:300])
            rng = np.random.default_rng(seed)
            scores = {}
            for cell in plan.cells:
                if cell.manual:
                    continue
                # the from-scratch scan reads the cells as the engine does, then the check runs
                verdicts = [registry[c.check_id].scan(*merged.scratch_args(c.target))
                            or registry[c.check_id].run(namespace.get(c.target), rng) for c in cell.calls]
                scores[cell.grade_id] = cell.points if all(v.passed for v in verdicts) else 0.0
    finally:
        os.chdir(here)
        plt.close("all")
    return {**scores, "public tests": failures}
