"""Per-submission grading time of each assignment in the warm sandbox:
``python -m benchmarks.assignments [ids ...] [--n 6]``.

For each assignment, grades N copies of its solution notebook with one worker (the first
one warms the sandbox and is left out) and reports the median and the largest time per
submission, as the engine measures it (``duration_s``: the notebook run in the sandbox,
the checks' probes and the judging). Every copy must get full marks on the automatic part
(hand-graded answers wait for a grader), or the run fails.
Writes build/bench/assignments.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

from autograder.grade.batch import Options, grade_class
from autograder.paths import Course
from tests.helpers import REPO, copy_course, put_submission

OUT = REPO / "build" / "bench" / "assignments.json"


def measure(course: Course, assignment: str, n: int, tmp: Path) -> dict:
    solution = course.solution_notebook(assignment).read_text()
    submitted = tmp / assignment
    for i in range(n):
        put_submission(submitted, f"s{i:02d}", assignment, solution)
    results = sorted(grade_class(course, assignment, Options(submitted=submitted, workers=1, progress=False),
                                 log=lambda *a: None), key=lambda r: r.graded_at)
    def automatic(r):  # the points checks give; hand-graded answers wait for a grader
        return [q for q in r.questions if not q.manual]

    wrong = [r.student_id for r in results if r.status != "graded"
             or sum(q.score for q in automatic(r)) != sum(q.max_score for q in automatic(r))]
    if wrong:
        raise SystemExit(f"{assignment}: the solution did not get full automatic marks for {wrong}")
    times = [r.duration_s for r in results[1:]]
    return {"n": len(times), "median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3),
            "points": results[0].max_score}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.assignments", description=__doc__.split("\n\n")[0])
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--n", type=int, default=6, help="copies of the solution per assignment (default 6)")
    p.add_argument("--out", default=str(OUT))
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="la4ml-bench-") as tmp:
        course = Course(copy_course(REPO, Path(tmp) / "course"))
        report = {}
        for assignment in args.assignments or course.assignments():
            report[assignment] = measure(course, assignment, args.n + 1, Path(tmp) / "submitted")
            r = report[assignment]
            print(f"{assignment:24s} {r['points']:5g} pts   median {r['median_s']:.2f} s   max {r['max_s']:.2f} s",
                  flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
