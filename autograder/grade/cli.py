"""``python -m autograder grade``: grade a class of submissions."""

import sys
from pathlib import Path

from autograder.paths import Course


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "grade", help="grade submitted notebooks (sandboxed, parallel, resumable)",
        description="Grade every submission of an assignment. <dir> holds <student_id>/<notebook>.ipynb "
                    "or nbgrader's <student_id>/<assignment>/<notebook>.ipynb. Run it again after an "
                    "interruption: finished submissions are kept and not graded twice.")
    p.add_argument("assignment", help="assignment id, e.g. 01-vectors")
    p.add_argument("--submitted", required=True, type=Path, help="directory of submissions")
    p.add_argument("--csv", type=Path, help="write the long grades CSV here")
    p.add_argument("--course", help="course directory (default: found from here)")
    p.add_argument("--db-url", help="gradebook URL (default: sqlite:///<course>/gradebook.db; "
                                    "PostgreSQL: postgresql+psycopg://user@host/db)")
    p.add_argument("--sandbox", default="auto", choices=["auto", "warm", "bwrap", "oci", "none"],
                   help="isolation backend (default: warm bubblewrap sandboxes; bwrap: a cold one per "
                        "submission; oci: podman/docker)")
    p.add_argument("--no-sandbox", dest="sandbox", action="store_const", const="none",
                   help="run submissions unisolated (a student's own machine only)")
    p.add_argument("--workers", type=int, default=0, help="concurrent submissions (default: one per core)")
    p.add_argument("--scheduler", help="Dask scheduler address (default: --workers threads in this process)")
    p.add_argument("--student", action="append", default=[], help="regrade only this student (repeatable)")
    p.add_argument("--question", help="regrade only this graded cell; other scores are kept")
    p.add_argument("--force", action="store_true", help="regrade even if already graded")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per notebook (default 600)")
    p.add_argument("--cell-timeout", type=float, default=120.0,
                   help="seconds one cell or one check may run (default 120)")
    p.add_argument("--memory-mb", type=int, default=4096, help="memory per submission (default 4096)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=main)


def main(args) -> int:
    from autograder.grade import warmup

    course = Course.find(args.course)
    if not args.scheduler:  # warm sandboxes start while the grader itself loads
        warmup.prewarm(course, args.assignment, args.submitted, args.sandbox, args.workers, tuple(args.student),
                       bool(args.force or args.student or args.question), args.memory_mb)

    from autograder.grade.batch import Options, grade_class, ungraded
    from autograder.grade.summary import print_summary
    from autograder.sandbox import Limits

    opts = Options(submitted=args.submitted, csv=args.csv, db_url=args.db_url, sandbox=args.sandbox,
                   workers=args.workers, scheduler=args.scheduler, students=tuple(args.student),
                   question=args.question, force=args.force or bool(args.student), progress=not args.quiet,
                   limits=Limits(wall_s=args.timeout, cpu_s=args.timeout, idle_s=args.cell_timeout,
                                 memory_mb=args.memory_mb))
    results = grade_class(course, args.assignment, opts)
    print_summary(results)
    if args.csv:
        print(f"grades written to {args.csv}")
    left = ungraded(results)
    if left:
        print(f"error: the grader itself failed on {len(left)} submission(s), which were not saved: "
              f"{', '.join(left)}; run the same command again to grade them", file=sys.stderr)
        return 1
    return 0
