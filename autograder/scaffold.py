"""``python -m autograder new <id>``: scaffold the three files of a new assignment.

Writes ``source/<id>/<id>.ipynb`` (a prompt, a solution, a public test and a hidden check),
``autograder/checks/<topic>.py`` (one check declared with the kit) and
``tests/catalogues/<topic>.py`` (correct variants and catalogued mistakes), as a small
working example to replace: ``column_means(X)``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from autograder.paths import Course


def topic_of(assignment: str) -> str:
    """"02-matrix-basics" -> "matrix_basics": the check module's name."""
    name = re.sub(r"^\d+-", "", assignment).replace("-", "_").lower()
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ValueError(f"cannot name a Python module after {assignment!r}")
    return name


CHECKS = '''"""Hidden checks for {assignment}.

Conventions the prompt states and the checks use: column_means(X) returns the (d,) mean of
each column; tolerance {stated} relative to the largest entry.
"""

from __future__ import annotations

import numpy as np

from autograder.checks._kit import Case, Check, Mistake, Tolerance, register
from autograder.checks._kit.compare import judge_all

TOL = Tolerance(1e-8, "scale", floor=1e-12)


def _cases(rng: np.random.Generator) -> list[Case]:
    n, d = int(rng.integers(5, 12)), int(rng.integers(2, 6))
    return [
        Case("random data", {{"X": rng.normal(size=(n, d))}}),
        Case("data far from zero", {{"X": 1e3 + rng.normal(size=(n, d))}}),
        Case("a single row", {{"X": rng.normal(size=(1, d))}}),
        Case("integer data", {{"X": rng.integers(-5, 6, size=(n, d))}}),
    ]


def _reference(X):
    return np.asarray(X, dtype=np.float64).mean(axis=0)


MEAN_MISTAKES = [
    Mistake("row_means", "you averaged each row (axis=1); column_means averages each column, axis=0",
            lambda X: np.asarray(X, dtype=np.float64).mean(axis=1)),
    Mistake("sums", "you returned the column sums; divide them by the number of rows",
            lambda X: np.asarray(X, dtype=np.float64).sum(axis=0)),
]

check_column_means = register(Check(
    id="{topic}.column_means",
    target="column_means",
    summary="column_means(X) returns the mean of each column (tolerance {stated} relative to the largest entry)",
    make_cases=_cases,
    judge=lambda cases, outcomes: judge_all(cases, outcomes, _reference, TOL.value, MEAN_MISTAKES,
                                            what="column_means(X)"),
    tolerance=TOL,
    kind="value",
    mistakes=MEAN_MISTAKES,
)).runner()
'''

CATALOGUE = '''"""Correct variants and catalogued mistakes for the {assignment} checks."""

CORRECT = {{
    "{topic}.column_means": [
        ("np.mean", "import numpy as np\\ndef column_means(X):\\n    return np.mean(X, axis=0)\\n"),
        ("sum / n", "import numpy as np\\ndef column_means(X):\\n    X = np.asarray(X, dtype=float)\\n"
                    "    return X.sum(axis=0) / X.shape[0]\\n"),
    ],
}}

MISTAKES = {{
    "{topic}.column_means": [
        ("row_means", "import numpy as np\\ndef column_means(X):\\n    return np.mean(X, axis=1)\\n", "axis=1"),
        ("sums", "import numpy as np\\ndef column_means(X):\\n    return np.sum(X, axis=0)\\n", "column sums"),
        ("error", "def column_means(X):\\n    raise NotImplementedError()\\n", "not answered yet"),
    ],
}}
'''


def _cell(kind: str, source: str, nbgrader: dict | None = None, tags: list[str] | None = None) -> dict:
    metadata: dict = {}
    if nbgrader is not None:
        metadata["nbgrader"] = {"schema_version": 3, "task": False, **nbgrader}
    if tags:
        metadata["tags"] = tags
    cell = {"cell_type": kind, "metadata": metadata, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def notebook(assignment: str, topic: str, stated: str) -> dict:
    cells = [
        _cell("markdown", f"# {assignment}\n\nReplace this example with the assignment's teaching text."),
        _cell("code", "import numpy as np"),
        _cell("markdown", "## 1. Column means (1 point)\n\nWrite `column_means(X)` that returns the mean of each "
                          "column of the `(n, d)` array `X`, a `(d,)` array.\n\n"
                          f"*Hidden check:* fresh random data, including data far from zero and a single row; "
                          f"tolerance `{stated} × max |expected|`."),
        _cell("code", 'def column_means(X: np.ndarray) -> np.ndarray:\n    """The mean of each column of X, shape (d,)."""\n'
                      "    ### BEGIN SOLUTION\n    return np.asarray(X, dtype=float).mean(axis=0)\n"
                      "    ### END SOLUTION",
              {"grade": False, "grade_id": "column_means", "locked": False, "solution": True}),
        _cell("code", "_m = column_means(np.ones((3, 2)))\nassert np.shape(_m) == (2,), f\"expected shape (2,), got "
                      "{np.shape(_m)}\"",
              {"grade": False, "grade_id": "column_means_public", "locked": True, "solution": False}, ["public-test"]),
        _cell("code", f'"""column_means(X) returns the mean of each column (tolerance {stated} relative to the largest '
                      f'entry)"""\n### BEGIN HIDDEN TESTS\nfrom autograder.checks import {topic}\n'
                      f"{topic}.check_column_means(column_means)\n### END HIDDEN TESTS",
              {"grade": True, "grade_id": "column_means_values", "locked": True, "points": 1, "solution": False}),
    ]
    return {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                        "name": "python3"}, "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def scaffold(root: Path, assignment: str) -> list[Path]:
    """Write the three files; refuses to overwrite any of them."""
    topic = topic_of(assignment)
    stated = "1e-8"
    files = {
        root / "source" / assignment / f"{assignment}.ipynb":
            json.dumps(notebook(assignment, topic, stated), indent=1) + "\n",
        root / "autograder" / "checks" / f"{topic}.py": CHECKS.format(assignment=assignment, topic=topic, stated=stated),
        root / "tests" / "catalogues" / f"{topic}.py": CATALOGUE.format(assignment=assignment, topic=topic),
    }
    existing = [str(p) for p in files if p.exists()]
    if existing:
        raise FileExistsError(f"already there: {', '.join(existing)}")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return list(files)


def register(subparsers) -> None:
    p = subparsers.add_parser("new", help="scaffold a new assignment: notebook, checks module, catalogue")
    p.add_argument("assignment", help="the assignment id, e.g. 02-matrices")
    p.add_argument("--course", default=None)
    p.set_defaults(func=main)


def main(args) -> int:
    course = Course.find(args.course)
    try:
        written = scaffold(course.root, args.assignment)
    except (ValueError, FileExistsError) as exc:
        print(f"new: {exc}")
        return 1
    for path in written:
        print(f"wrote {path.relative_to(course.root)}")
    print("next: replace the example, then `make release` and "
          "`./.venv/bin/python -m pytest tests/test_catalogues.py tests/test_kit.py -q`")
    return 0
