"""``python -m autograder report <assignment>``: class analytics as HTML and CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.export.course import add_common_args, collect, out_dir


def register(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "report",
        help="class analytics: score distributions, frequent mistakes, diagnostic item analysis",
        description="Write reports/<assignment>/report.html (plots embedded) and question_stats.csv, "
                    "mistakes.csv, and for the diagnostic quiz item_analysis.csv and gaps.csv.",
    )
    add_common_args(p)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--item-analysis", dest="item_analysis", action="store_true", default=None,
                       help="item difficulty and discrimination (default: only for 00-* assignments)")
    group.add_argument("--no-item-analysis", dest="item_analysis", action="store_false")
    p.add_argument("--top", type=int, default=15, help="mistakes listed in the HTML (all are in the CSV)")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    from autograder.report.render import write_report

    course = Path(args.course)
    # Read only: the report shows scores before late penalties and writes nothing to the gradebook.
    record = collect(course, args.assignment, args.db_url, apply_late=False)
    out = out_dir(args, course, "reports")
    written = write_report(record, out, args.item_analysis, args.top)
    for p in written.values():
        print(f"report: {p}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.report.cli")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
