"""``python -m autograder roster import <file>``: fill the gradebook's student records
(names, email, LMS user id) from an LMS roster, so exports can match students by email or
Canvas id. Reads a Canvas gradebook export, a Moodle participants export, or a plain CSV
``student_id,first_name,last_name,email``. Students not yet in the gradebook are added
(as ``nbgrader db student import`` does); a blank cell never erases what the gradebook has.
"""

from __future__ import annotations

import argparse
import csv
import warnings
from pathlib import Path

# format -> (default student id column, {gradebook field: roster column})
FORMATS = {
    "canvas": ("SIS Login ID", {"lms_user_id": "ID"}),
    "moodle": ("ID number", {"first_name": "First name", "last_name": "Last name", "email": "Email address"}),
    "plain": ("student_id", {"first_name": "first_name", "last_name": "last_name", "email": "email",
                             "lms_user_id": "lms_user_id"}),
}


def detect(header: list[str]) -> str:
    if {"Student", "ID", "SIS Login ID"} <= set(header):
        return "canvas"
    if "Email address" in header and ("First name" in header or "ID number" in header):
        return "moodle"
    if "student_id" in header:
        return "plain"
    raise SystemExit("not a roster this command reads: expected a Canvas gradebook export (Student, ID, "
                     "SIS Login ID, ...), a Moodle participants export (First name, Last name, ID number, "
                     "Email address) or a CSV with student_id,first_name,last_name,email")


def read_students(path: Path, id_column: str | None = None) -> tuple[list[dict[str, str]], list[str]]:
    """The students of a roster file, as gradebook fields, and the rows skipped (why)."""
    from autograder.export.canvas import is_test_student

    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    header = [h.strip() for h in (rows[0].keys() if rows else [])]
    if not rows:
        raise SystemExit(f"{path}: no rows")
    kind = detect(header)
    default_id, fields = FORMATS[kind]
    id_col = id_column or default_id
    if id_col not in header:
        raise SystemExit(f"{path}: no column {id_col!r} for the student id (columns: {', '.join(header)})")
    students, skipped = [], []
    for line, raw in enumerate(rows, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        label = row.get("Student", "")
        if kind == "canvas" and (label in ("Points Possible", "Manual Posting") or label.startswith("(")):
            continue
        if kind == "canvas" and is_test_student(row):
            skipped.append(f"line {line}: Canvas's Test Student, not a student")
            continue
        sid = row.get(id_col, "")
        if not sid:
            skipped.append(f"line {line}: no {id_col} ({label or row.get('First name', '')} "
                           f"{row.get('Last name', '')})".rstrip())
            continue
        rec = {"id": sid}
        for field, column in fields.items():
            if row.get(column):
                rec[field] = row[column]
        if kind == "canvas" and "," in label:
            last, first = (p.strip() for p in label.split(",", 1))
            rec.update(first_name=first, last_name=last)
        students.append(rec)
    return students, skipped


def import_roster(db_url: str, path: Path, id_column: str | None = None) -> tuple[int, int, list[str]]:
    """(added, updated, skipped-row notes)."""
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    students, skipped = read_students(path, id_column)
    added = updated = 0
    with Gradebook(db_url) as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        for rec in students:
            sid = rec.pop("id")
            try:
                gb.find_student(sid)
                updated += 1
            except MissingEntry:
                added += 1
            gb.update_or_create_student(sid, **rec)
    return added, updated, skipped


def register(subparsers) -> None:
    p = subparsers.add_parser("roster", help="import an LMS roster into the gradebook's student records",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(title="roster commands", metavar="<command>")
    imp = sub.add_parser("import", help="names, emails and LMS ids from a Canvas, Moodle or plain CSV roster")
    imp.add_argument("file", type=Path, help="the roster CSV")
    imp.add_argument("--course", default=".", help="course root (default: .)")
    imp.add_argument("--db-url", default=None, help="gradebook URL; default: sqlite:///<course>/gradebook.db")
    imp.add_argument("--id-column", default=None,
                     help="roster column holding the student id (default: Canvas 'SIS Login ID', "
                          "Moodle 'ID number', plain 'student_id')")
    imp.set_defaults(func=run_import)
    p.set_defaults(func=lambda args: p.print_help() or 0)


def run_import(args) -> int:
    from autograder.export.course import default_db_url

    if not args.file.exists():
        raise SystemExit(f"no roster file at {args.file}")
    added, updated, skipped = import_roster(args.db_url or default_db_url(Path(args.course)), args.file,
                                            args.id_column)
    for note in skipped:
        print(f"skipped {note}")
    print(f"roster: {updated} student(s) updated, {added} added to the gradebook from {args.file}")
    return 0
