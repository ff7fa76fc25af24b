"""``python -m autograder demo``: the whole pipeline on a synthetic class, end to end.

Grades from the committed generated trees (the tests prove them fresh; ``--build`` first
rebuilds the assignments whose inputs changed): makes a class of 01-vectors submissions
(the reference, typical mistakes taken from the check catalogues, a blank notebook, one
that crashes the kernel, one that never stops, a broken file), grades it in the sandbox,
then writes feedback pages, LMS exports and the class report.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from autograder.paths import Course

ASSIGNMENT = "01-vectors"
# Students who each make one catalogued mistake: (student id, check id, mistake name).
MISTAKE_STUDENTS = [
    ("bea", "vectors.cosine_pairwise", "one_norm"),
    ("chen", "vectors.cosine_zero", "zero_nan"),
    ("dara", "vectors.nearest_neighbours", "ascending"),
    ("eli", "vectors.dot", "elementwise"),
    ("fay", "vectors.cosine_batched", "transposed"),
]
HOSTILE = {
    "gus-crash": "import os\nos._exit(3)\n",
    "hal-loop": "while True:\n    pass\n",
}


def register(subparsers) -> None:
    p = subparsers.add_parser("demo", help="run the whole pipeline on a synthetic class")
    p.add_argument("--course", default=None)
    p.add_argument("--build", action="store_true", help="first rebuild the assignments whose inputs changed")
    p.add_argument("--skip-build", action="store_true", help=argparse.SUPPRESS)  # the default now
    p.add_argument("--sandbox", default="auto", choices=["auto", "bwrap", "none"])
    p.set_defaults(func=main)


def _catalogue(course: Course, topic: str):
    from autograder import demo_answers  # the package never imports from tests/
    return demo_answers


def _with_answer(nb, grade_id: str, code: str):
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            cell["source"] = code
            return nb
    raise KeyError(grade_id)


def make_class(course: Course, out: Path) -> list[str]:
    """Write the synthetic class into ``out/<student>/<assignment>/``; returns student ids."""
    from autograder.checks import REGISTRY, load_all

    load_all()
    shutil.rmtree(out, ignore_errors=True)
    solution = json.loads(course.solution_notebook(ASSIGNMENT).read_text())
    release = json.loads(course.release_notebook(ASSIGNMENT).read_text())
    catalogue = _catalogue(course, "vectors")
    students: dict[str, object] = {"ada-reference": solution, "ivo-blank": release}
    for student, check_id, mistake in MISTAKE_STUDENTS:
        entries = [e for e in catalogue.MISTAKES.get(check_id, []) if e[0] == mistake]
        if not entries:
            continue
        target = REGISTRY[check_id].target
        students[student] = _with_answer(solution, target, entries[0][1])
    first = next(c for c in solution["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    for student, code in HOSTILE.items():
        students[student] = _with_answer(solution, first["metadata"]["nbgrader"]["grade_id"], code)
    for student, nb in students.items():
        folder = out / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(nb, indent=1))
    broken = out / "jo-broken" / ASSIGNMENT
    broken.mkdir(parents=True)
    (broken / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [ {"cell_type": "code", "sou')
    return sorted([*students, "jo-broken"])


def main(args) -> int:
    course = Course.find(args.course)
    started = time.monotonic()
    from autograder.build import manifest

    if args.build:
        print("== 1. Rebuild the assignments whose source or checks changed")
        from autograder.build.schedule import build

        build(course)
    else:
        print("== 1. The committed student and solution notebooks (no rebuild)")
        why = manifest.why_stale(course, ASSIGNMENT)
        print(f"   warning: {ASSIGNMENT} is out of date ({why}); `make release` rebuilds it" if why
              else f"   {ASSIGNMENT} is up to date with its source and checks")
    demo = course.root / "demo"
    print(f"\n== 2. A synthetic class for {ASSIGNMENT} in {demo / 'submitted'}")
    students = make_class(course, demo / "submitted")
    print("   " + ", ".join(students))

    print("\n== 3. Grade the class")
    from autograder.grade.batch import Options, grade_class
    from autograder.grade.summary import print_summary
    from autograder.sandbox import Limits

    shutil.rmtree(course.grades / ASSIGNMENT, ignore_errors=True)
    csv_path = demo / "grades.csv"
    # Short limits, so the student whose notebook never stops holds the demo up 15 s, not 2 min.
    limits = Limits(wall_s=300, cpu_s=300, idle_s=15)
    results = grade_class(course, ASSIGNMENT, Options(submitted=demo / "submitted", csv=csv_path,
                                                      sandbox=args.sandbox, force=True, limits=limits))
    print()
    print_summary(results)
    print(f"\n   long CSV: {csv_path}")
    _after_grading(course, demo)
    print(f"\nDemo finished in {time.monotonic() - started:.0f} s. Everything it wrote is under {demo}/.")
    return 0


def _after_grading(course: Course, demo: Path) -> None:
    """Feedback, exports and the report, by the commands a TA would type."""
    from autograder.__main__ import main as cli

    course_args = ["--course", str(course.root)]
    roster = course.root / "tests" / "fixtures" / "lms" / "demo_canvas_gradebook.csv"
    steps = [
        ("feedback pages", ["feedback", ASSIGNMENT, *course_args, "--out", str(demo / "feedback")]),
        ("LMS exports (Canvas, Moodle, Gradescope, nbgrader, wide)",
         ["export", ASSIGNMENT, "--format", "all", "--canvas-roster", str(roster), *course_args,
          "--out", str(demo / "exports")]),
        ("class report", ["report", ASSIGNMENT, *course_args, "--out", str(demo / "report")]),
    ]
    for n, (what, argv) in enumerate(steps, start=4):
        print(f"\n== {n}. {what}: python -m autograder {' '.join(argv[:2])} ...")
        try:
            cli(argv)
        except SystemExit as exc:  # argparse: the command is not available
            print(f"   skipped ({what} is not available: exit {exc.code})")
