"""``python -m autograder feedback <assignment>``: one HTML page per student."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.export.course import add_common_args, collect, out_dir


def register(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "feedback",
        help="write one HTML feedback page per student",
        description="Write feedback-html/<assignment>/<student>.html for every submission: score per "
                    "question, each failed check's diagnosis, grader comments, late penalty.",
    )
    add_common_args(p)
    p.add_argument("--student", action="append", default=[], metavar="ID",
                   help="only this student (repeatable); default: every submission")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    from autograder.feedback.render import write_pages

    course = Path(args.course)
    record = collect(course, args.assignment, args.db_url)
    out = out_dir(args, course, "feedback-html")
    paths = write_pages(record, out, args.student)
    missing = [s.id for s in record.students if not s.submitted and (not args.student or s.id in args.student)]
    print(f"feedback: {len(paths)} page(s) in {out}")
    if missing:
        print(f"feedback: no submission (no page) for {len(missing)}: {', '.join(missing)}", file=sys.stderr)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.feedback.cli")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
