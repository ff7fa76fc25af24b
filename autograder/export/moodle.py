"""Moodle grade import CSV (Grades > Import > CSV file).

Format followed: MoodleDocs "Grade import" (docs.moodle.org, CSV import): the import
format is the export format; after upload the teacher maps one column to a user field
("Map from" Email address -> "Map to" useremail, or ID number -> useridnumber; the values
are matched exactly, and emails case-sensitively) and each grade column to a grade item.
Column names follow Moodle's own plain-text export (grade/export/lib.php
``format_column_name``: ``<item name> (Real)``; user fields "First name", "Last name",
"ID number", "Email address"). A grade of ``-`` means "no grade" (grade/import/csv
load_data.php), a plain decimal with a point otherwise.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from autograder.export.course import ClassRecord, atomic_write, fmt_points
from autograder.export.safe import csv_cell

HEADER_USER = ["First name", "Last name", "ID number", "Email address"]
KEYS = {"idnumber": ("ID number", "id"), "email": ("Email address", "email")}


def read_roster(path: Path | str) -> list[dict[str, str]]:
    """A Moodle participants / grade export with "ID number" and/or "Email address"."""
    with Path(path).open(newline="", encoding="utf-8-sig") as fh:
        rows = [{k.strip(): (v or "").strip() for k, v in r.items() if k} for r in csv.DictReader(fh)]
    return rows


def student_keys(record: ClassRecord, match: str, roster: list[dict[str, str]] | None) -> dict[str, str]:
    """student id -> the value Moodle matches on. By ID number it is the student id; by email
    it is the gradebook's email (filled by ``roster import``), else the email on the Moodle
    roster row whose ID number or username is the student id."""
    if match == "idnumber":
        return {s.id: s.id for s in record.students}
    from_roster: dict[str, str] = {}
    for row in roster or []:
        email = row.get("Email address", "")
        for column in ("ID number", "Username"):
            if row.get(column) and email:
                from_roster.setdefault(row[column], email)
    # Moodle compares emails exactly; a different case in the gradebook is still the same person,
    # and the roster's own spelling is what gets written.
    return {s.id: (s.email or from_roster.get(s.id, "")).lower() for s in record.students}


def export_moodle(record: ClassRecord, out: Path, match: str = "idnumber", item: str | None = None,
                  roster_path: Path | str | None = None) -> list[str]:
    col, attr = KEYS[match]
    item = item or record.assignment
    problems = [f"moodle: map from {col!r} to {'useremail' if match == 'email' else 'useridnumber'}, "
                f"and column '{item} (Real)' to the grade item"]
    roster = read_roster(roster_path) if roster_path is not None else None
    keys = student_keys(record, match, roster)
    by_key: dict[str, list] = {}
    for s in record.students:
        by_key.setdefault(keys[s.id], []).append(s)
    for k, group in by_key.items():
        if not k:
            where = "the gradebook" + (" or on the Moodle roster (by ID number or username)" if roster else "")
            problems.append(f"moodle: no {col} in {where} for {', '.join(s.id for s in group)}; Moodle cannot "
                            "match them" + ("" if roster is not None else "; exported with it blank")
                            + (". Import the roster that has them: python -m autograder roster import <file>"
                               if match == "email" else ""))
        elif len(group) > 1:
            problems.append(f"moodle: duplicate {col} {k!r} for {', '.join(s.id for s in group)}; left as '-'")

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER_USER + [f"{item} (Real)"])

    def grade(s) -> str:
        if len(by_key.get(keys[s.id], [])) > 1:
            return "-"
        if not s.submitted:
            problems.append(f"moodle: {s.id} submitted nothing; exported as 0")
            return "0"
        return fmt_points(s.score)

    if roster is None:
        for s in record.students:
            w.writerow([csv_cell(x) for x in (s.first_name, s.last_name, s.id, s.email)] + [grade(s)])
    else:
        if roster and col not in roster[0]:
            raise SystemExit(f"{roster_path}: no {col!r} column to match students by")
        counts: dict[str, int] = {}
        first_line: dict[str, int] = {}
        def roster_key(row) -> str:
            return row.get(col, "").lower() if match == "email" else row.get(col, "")

        for line, row in enumerate(roster, start=2):
            k = roster_key(row)
            if k and k in first_line:
                problems.append(f"moodle: duplicate {col} {k!r} on roster lines {first_line[k]} and {line}; left as '-'")
            first_line.setdefault(k, line)
            counts[k] = counts.get(k, 0) + 1
        matched = set()
        for line, row in enumerate(roster, start=2):
            k = roster_key(row)
            first, last = row.get("First name", ""), row.get("Last name", "")
            group = by_key.get(k, []) if k else []
            if not k:
                value = "-"
                problems.append(f"moodle: roster line {line} ({first} {last}) has no {col}; left as '-'")
            elif counts[k] > 1:
                value = "-"
            elif not group:
                value = "-"
                problems.append(f"moodle: {first} {last} ({col} {k}) is on the Moodle roster but not in the "
                                "gradebook; left as '-'")
            else:
                value = grade(group[0])
                matched.update(s.id for s in group)
            w.writerow([csv_cell(x) for x in (first, last, row.get("ID number", ""), row.get("Email address", ""))]
                       + [value])
        for s in record.students:
            if s.id not in matched and s.submitted:
                problems.append(f"moodle: {s.id} has a graded submission but is not on the Moodle roster; not exported")
    atomic_write(out, buf.getvalue())
    return problems
