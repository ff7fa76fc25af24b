"""Does any submission go missing under load? ``python -m benchmarks.stress``.

Repeats a batch run of the demo class (reference, mistakes, a blank, a crash, a hang, a
broken notebook) with two ``grade`` commands at once, each on its own copy of the course
and its own gradebook, and counts after every round the students missing from each CSV or
gradebook, and every ``grade`` that exited non-zero. Not part of the test suite: it is run
once and its numbers reported (``--rounds 200``).
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from autograder.demo import ASSIGNMENT, make_class
from autograder.paths import Course
from tests.helpers import REPO, copy_course, tool_env


def _grade(course: Path, submitted: Path) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--course", str(course),
                           "--submitted", str(submitted), "--csv", str(course / "grades.csv"), "--force",
                           "--quiet", "--cell-timeout", "5", "--timeout", "60"],
                          capture_output=True, text=True, env=tool_env(), timeout=900)
    return proc.returncode, proc.stdout[-2000:] + proc.stderr[-2000:]


def _missing(course: Path, students: list[str]) -> list[str]:
    """Students absent from the CSV or from the gradebook."""
    in_csv = {row["student_id"] for row in csv.DictReader((course / "grades.csv").open(newline=""))} \
        if (course / "grades.csv").exists() else set()
    with sqlite3.connect(course / "gradebook.db") as db:
        in_db = {r[0] for r in db.execute(
            "SELECT student.id FROM submitted_assignment JOIN student ON student.id = submitted_assignment.student_id "
            "JOIN assignment ON assignment.id = submitted_assignment.assignment_id WHERE assignment.name = ?",
            (ASSIGNMENT,))}
    return sorted(s for s in students if s not in in_csv or s not in in_db)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.stress", description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=200)
    p.add_argument("--minutes", type=float, default=0, help="stop after this long (0: no limit)")
    p.add_argument("--out", default=str(REPO / "build" / "bench" / "stress.json"))
    args = p.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="la4ml-stress-"))
    courses = [copy_course(REPO, root / f"course{i}") for i in (1, 2)]
    submitted = root / "submitted"
    students = make_class(Course(courses[0]), submitted)
    started, report = time.monotonic(), {"rounds": 0, "grade_runs": 0, "nonzero_exits": 0, "missing": [],
                                         "students_per_run": len(students)}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for n in range(1, args.rounds + 1):
            if args.minutes and time.monotonic() - started > args.minutes * 60:
                break
            outcomes = list(pool.map(lambda c: _grade(c, submitted), courses))
            report["rounds"], report["grade_runs"] = n, report["grade_runs"] + 2
            for course, (rc, tail) in zip(courses, outcomes):
                lost = _missing(course, students)
                if rc != 0:
                    report["nonzero_exits"] += 1
                if lost or rc != 0:
                    report["missing"].append({"round": n, "course": course.name, "exit": rc, "lost": lost,
                                              "output": tail})
            print(f"round {n}: {sum(len(m['lost']) for m in report['missing'])} lost so far, "
                  f"{report['nonzero_exits']} non-zero exits, {time.monotonic() - started:.0f} s", flush=True)
    report["seconds"] = round(time.monotonic() - started, 1)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1))
    lost = sum(len(m["lost"]) for m in report["missing"])
    print(f"{report['rounds']} rounds, {report['grade_runs']} grade runs of {len(students)} students: "
          f"{lost} submissions lost, {report['nonzero_exits']} non-zero exits ({report['seconds']} s); {args.out}")
    return 1 if lost or report["nonzero_exits"] else 0


if __name__ == "__main__":
    sys.exit(main())
