"""Golden summaries of what the build generates beyond the committed notebooks.

``make goldens`` (``python -m tests.goldens refresh [ids]``) rebuilds the course (or the
assignments named) in a temporary directory and rewrites ``tests/goldens/<id>.json``;
``python -m tests.goldens diff [ids]`` shows what a refresh would change.
``tests/test_generated.py`` compares each golden with the summary its build recorded in
``manifests/<id>.json``.
"""

from __future__ import annotations

import difflib
import sys
import tempfile
from pathlib import Path

from autograder.build.manifest import golden_text
from autograder.build.manifest import summary as _summary
from autograder.paths import Course

GOLDENS = Path(__file__).resolve().parent / "goldens"


def summary(course: Course, assignment: str) -> dict:
    return _summary(course, assignment)


def _fresh(assignments: list[str], tmp: str) -> dict[str, str]:
    from tests.helpers import REPO, copy_course, run

    root = copy_course(REPO, Path(tmp) / "course", generated=False)
    course = Course(root)
    wanted = assignments or course.assignments()
    run([sys.executable, "-m", "autograder", "build", *wanted, "--course", str(root), "--force", "--quiet"],
        cwd=root, timeout=3600)
    return {a: golden_text(summary(course, a)) for a in wanted}


def refresh(assignments: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        GOLDENS.mkdir(exist_ok=True)
        for assignment, text in _fresh(assignments, tmp).items():
            path = GOLDENS / f"{assignment}.json"
            path.write_text(text)
            print(f"wrote {path}")


def diff(assignments: list[str]) -> int:
    changed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for assignment, text in _fresh(assignments, tmp).items():
            path = GOLDENS / f"{assignment}.json"
            old = path.read_text() if path.exists() else ""
            lines = list(difflib.unified_diff(old.splitlines(True), text.splitlines(True), str(path), "fresh build"))
            changed += bool(lines)
            sys.stdout.writelines(lines)
    print(f"{changed} golden(s) would change")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["refresh"]:
        refresh(sys.argv[2:])
    elif sys.argv[1:2] == ["diff"]:
        sys.exit(diff(sys.argv[2:]))
    else:
        sys.exit("usage: python -m tests.goldens refresh|diff [assignment ...]")
