"""Golden summaries of what the build generates beyond the committed notebooks.

``make goldens`` (``python -m tests.goldens refresh``) rebuilds the course in a temporary
directory and rewrites ``tests/goldens/<assignment>.json``; ``tests/test_generated.py``
compares a fresh build with them.
"""

from __future__ import annotations

import json
import sys
import tempfile
import zipfile
from pathlib import Path

from autograder.grade.plan import load_plan
from autograder.paths import Course

GOLDENS = Path(__file__).resolve().parent / "goldens"


def summary(course: Course, assignment: str) -> dict:
    from autograder.build.release import otter_zip

    plan = load_plan(course, assignment)
    with zipfile.ZipFile(otter_zip(course, assignment)) as zf:
        names = sorted(n for n in zf.namelist() if not n.startswith("files/autograder/"))
        tests = {n: zf.read(n).decode() for n in names if n.startswith("tests/")}
        config = json.loads(zf.read("otter_config.json"))
    return {
        "graded_cells": [{"grade_id": c.grade_id, "points": c.points, "manual": c.manual,
                          "checks": [f"{k.check_id}({k.target})" for k in c.calls]} for c in plan.cells],
        "max_score": plan.max_score,
        "otter_zip_files": names,
        "otter_tests": tests,
        "otter_config": config,
    }


def refresh() -> None:
    from tests.helpers import REPO, copy_course, run

    with tempfile.TemporaryDirectory() as tmp:
        root = copy_course(REPO, Path(tmp) / "course", generated=False)
        run([sys.executable, "-m", "autograder", "build", "--course", str(root)], cwd=root, timeout=3600)
        course = Course(root)
        GOLDENS.mkdir(exist_ok=True)
        for assignment in course.assignments():
            path = GOLDENS / f"{assignment}.json"
            path.write_text(json.dumps(summary(course, assignment), indent=1, sort_keys=True) + "\n")
            print(f"wrote {path}")


if __name__ == "__main__":
    if sys.argv[1:] != ["refresh"]:
        sys.exit("usage: python -m tests.goldens refresh")
    refresh()
