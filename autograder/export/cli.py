"""``python -m autograder export <assignment> --format ...``"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.export.course import add_common_args, collect, out_dir, report_problems

FORMATS = ("canvas", "moodle", "gradescope", "nbgrader", "wide")
FILES = {"canvas": "canvas.csv", "moodle": "moodle.csv", "gradescope": "gradescope-autograder.zip",
         "nbgrader": "nbgrader.csv", "wide": "wide.csv"}


def _formats(values: list[str]) -> list[str]:
    out: list[str] = []
    for v in values or ["all"]:
        for f in v.split(","):
            f = f.strip()
            if f == "all":
                out.extend(x for x in FORMATS if x not in out)
            elif f in FORMATS:
                out.append(f) if f not in out else None
            elif f:
                raise SystemExit(f"unknown format {f!r}; choose from {', '.join(FORMATS)}, all")
    return out


def register(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "export",
        help="export grades for Canvas, Moodle, Gradescope, nbgrader CSV, wide CSV",
        description="Write exports/<assignment>/{canvas.csv,moodle.csv,nbgrader.csv,wide.csv,"
                    "gradescope-autograder.zip} and problems.txt (missing students, students not on "
                    "the roster, duplicate ids).",
    )
    add_common_args(p)
    p.add_argument("--format", action="append", default=[], metavar="FMT",
                   help=f"one of {', '.join(FORMATS)}, all (repeatable or comma-separated; default all)")
    p.add_argument("--canvas-roster", default=None,
                   help="the course's Canvas gradebook export (Grades > Export); default <course>/lms/canvas_gradebook.csv")
    p.add_argument("--canvas-assignment-id", default=None, help="Canvas assignment id (default: from the roster's column)")
    p.add_argument("--canvas-assignment-name", default=None, help="Canvas assignment name (default: from the roster)")
    p.add_argument("--canvas-match", default="auto", choices=["auto", "sis_login_id", "sis_user_id", "id",
                                                              "canvas_id_is_student_id"],
                   help="roster column that holds our student ids (default: the one that matches most)")
    p.add_argument("--moodle-match", default="idnumber", choices=["idnumber", "email"],
                   help="identify Moodle users by ID number (= nbgrader student id) or email address")
    p.add_argument("--moodle-roster", default=None,
                   help="Moodle participants/grades export to follow; default <course>/lms/moodle_roster.csv if present")
    p.add_argument("--moodle-item", default=None, help="grade item name for the Moodle column (default: assignment)")
    p.add_argument("--gradescope-visibility", default="after_published",
                   choices=["hidden", "after_due_date", "after_published", "visible"],
                   help="when students see each hidden check's result on Gradescope")
    p.add_argument("--strict", action="store_true", help="exit with status 1 if any problem was reported "
                   "(hand grading still pending is one, unless --allow-pending)")
    p.add_argument("--allow-pending", action="store_true",
                   help="export students whose hand grading is not done yet without a warning "
                        "(their totals count only what is graded so far)")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    course = Path(args.course)
    formats = _formats(args.format)
    out = out_dir(args, course, "exports")
    # The Gradescope zip is built from the course's notebooks alone: no gradebook needed.
    record = collect(course, args.assignment, args.db_url) if formats != ["gradescope"] else None
    problems = list(record.problems) if record is not None else []
    pending = []
    if record is not None:
        problems += _formula_ids(record)
        pending = record.pending_problems()
    if pending and not args.allow_pending:
        problems += pending
    elif pending:
        print(f"note: {len(pending)} student(s) with hand grading pending exported with the points graded "
              "so far (--allow-pending)")
    written = []
    failed = []
    for fmt in formats:
        path = out / FILES[fmt]
        try:
            wrote = _export_one(fmt, args, course, record, path, problems)
        except SystemExit as exc:  # a clear message about this format; the others still run
            problems.append(f"{fmt}: {exc}; {FILES[fmt]} not written")
            failed.append(fmt)
            continue
        if wrote:
            written.append(path)
        else:
            failed.append(fmt)
    # The first line of each LMS's notes says how to map columns; not a problem, just advice.
    notes = [p for p in problems if p.startswith(("canvas: matched", "moodle: map from"))]
    real = [p for p in problems if p not in notes]
    for n in notes:
        print(f"note: {n}")
    report_problems(real, out / "problems.txt")
    for p in written:
        print(f"export: {p}")
    print(f"export: {len(real)} problem(s), listed in {out / 'problems.txt'}")
    if failed:
        print(f"export: not written: {', '.join(failed)} (see problems.txt)", file=sys.stderr)
        return 2
    return 1 if args.strict and real else 0


def _formula_ids(record) -> list[str]:
    from autograder.export.safe import csv_cell

    return [f"{s.id}: this student id starts with {s.id[0]!r}, which a spreadsheet reads as a formula; it is "
            f"written as {csv_cell(s.id)!r}, which an LMS import will not match: correct the id"
            for s in record.students if csv_cell(s.id) != s.id]


def _export_one(fmt: str, args, course: Path, record, path: Path, problems: list[str]) -> bool:
    if fmt == "canvas":
        from autograder.export.canvas import export_canvas

        roster = Path(args.canvas_roster) if args.canvas_roster else course / "lms" / "canvas_gradebook.csv"
        if not roster.exists():
            problems.append(f"canvas: no Canvas gradebook export at {roster}; canvas.csv not written "
                            "(download it from Canvas: Grades > Export, and pass --canvas-roster)")
            return False
        problems += export_canvas(record, roster, path, args.canvas_assignment_id,
                                  args.canvas_assignment_name, args.canvas_match)
    elif fmt == "moodle":
        from autograder.export.moodle import export_moodle

        roster = args.moodle_roster or (course / "lms" / "moodle_roster.csv")
        roster = roster if Path(roster).exists() else None
        problems += export_moodle(record, path, args.moodle_match, args.moodle_item, roster)
    elif fmt == "gradescope":
        from autograder.export.gradescope import build_zip

        build_zip(course, args.assignment, path, args.gradescope_visibility)
    elif fmt == "nbgrader":
        from autograder.export.tables import export_nbgrader_csv

        export_nbgrader_csv(course, args.assignment, path, args.db_url)
    elif fmt == "wide":
        from autograder.export.tables import export_wide

        export_wide(record, path)
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.export.cli")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
