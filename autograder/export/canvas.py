"""Canvas gradebook CSV, for Grades > Import in a Canvas course.

Format followed: Canvas's own gradebook export, which is also its import format
(Canvas Instructor Guide, "How do I import grades in the Gradebook?" and "How do I export
grades in the Gradebook?"; summarised in the Ohio State "Import CSV File for Carmen Grades"
guide): a header ``Student,ID,SIS User ID,SIS Login ID,Section`` followed by one column per
assignment named ``<Assignment name> (<Canvas assignment id>)``; an optional second row
``Points Possible`` giving each assignment's points; then one row per student. Canvas
matches a row to a student by ID / SIS User ID / SIS Login ID, so those are copied from a
gradebook export the instructor downloads (``--canvas-roster``), never invented here.
A blank score cell leaves the Canvas grade unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.export.course import ClassRecord, StudentRecord, fmt_points
from autograder.export.safe import csv_cell

FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
REQUIRED = ["Student", "ID", "SIS Login ID"]  # older exports may lack SIS User ID or Section
_ASSIGNMENT_COLUMN = re.compile(r"^(?P<name>.*\S)\s*\((?P<id>\d+)\)$")
# roster column -> student attribute tried when matching roster rows to gradebook students
MATCHES = {
    "sis_login_id": ("SIS Login ID", "id"),
    "sis_user_id": ("SIS User ID", "id"),
    "id": ("ID", "lms_user_id"),
    "canvas_id_is_student_id": ("ID", "id"),
}


@dataclass
class Roster:
    path: Path
    header: list[str]
    rows: list[dict[str, str]]  # student rows only, in file order
    row_numbers: list[int]  # 1-based line of each row in the file
    points_possible: dict[str, str] = field(default_factory=dict)

    def assignment_columns(self) -> dict[str, tuple[str, str]]:
        """``{column: (name, canvas id)}`` for every ``Name (123)`` column."""
        out = {}
        for col in self.header:
            m = _ASSIGNMENT_COLUMN.match(col.strip())
            if m and col not in FIXED:
                out[col] = (m.group("name"), m.group("id"))
        return out


def read_roster(path: Path | str) -> Roster:
    path = Path(path)
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise SystemExit(f"{path}: empty Canvas gradebook export")
    header = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SystemExit(f"{path}: not a Canvas gradebook export (no column {', '.join(missing)}); "
                         "download it from Grades > Export > Export Entire Gradebook")
    roster = Roster(path, header, [], [])
    for line, values in enumerate(rows[1:], start=2):
        row = dict(zip(header, (v.strip() for v in values)))
        label = row.get("Student", "")
        if label == "Points Possible":
            roster.points_possible = {k: v for k, v in row.items() if k not in FIXED}
            continue
        if not row.get("ID") and not row.get("SIS Login ID") and not row.get("SIS User ID"):
            continue  # "Manual Posting" and other non-student rows of newer exports
        roster.rows.append(row)
        roster.row_numbers.append(line)
    return roster


def find_column(roster: Roster, assignment: str, canvas_id: str | None = None,
                name: str | None = None, title: str | None = None) -> tuple[str, str]:
    """(assignment name, canvas id) of the column to write.

    With ``canvas_id`` the roster's column of that id gives the name (else ``name`` or the
    assignment id); without, the roster column whose name matches the assignment id, the
    ``name`` given, or ``title`` (the notebook's own title, e.g. "Interview deep-dive"),
    compared without case, spaces or punctuation."""
    columns = roster.assignment_columns()
    if canvas_id:
        for col_name, col_id in columns.values():
            if col_id == str(canvas_id):
                return name or col_name, col_id
        return name or assignment, str(canvas_id)

    def norm(s: str) -> str:
        return re.sub(r"[^a-z0-9]+", "", s.lower())

    # The name given wins; then the assignment id; then the notebook's title.
    for wanted in ([name] if name else []) + [assignment] + ([title] if title else []):
        found = [(n, i) for n, i in columns.values() if norm(n) == norm(wanted)]
        if len(found) == 1:
            return name or found[0][0], found[0][1]
        if len(found) > 1:
            break
    else:
        found = []
    known = "; ".join(f"{n} ({i})" for n, i in columns.values()) or "none"
    tried = ", ".join(repr(x) for x in dict.fromkeys([assignment] + [x for x in (name, title) if x]))
    raise SystemExit(
        f"{roster.path}: cannot tell which Canvas assignment is {assignment!r} "
        f"({'several' if found else 'no'} columns named {tried}; columns: {known}). "
        "Create the assignment in Canvas, export the gradebook again, or pass --canvas-assignment-id.")


def is_test_student(row: dict[str, str]) -> bool:
    """Canvas's "Test Student" (Student View), which every course export has: it is not a
    student, so it is written blank and never reported."""
    return (row.get("Student", "").strip().lower() in ("student, test", "test student")
            and not row.get("SIS User ID") and not row.get("SIS Login ID"))


def choose_match(roster: Roster, students: list[StudentRecord], match: str = "auto") -> str:
    if match != "auto":
        return match
    best, best_n = "sis_login_id", -1
    for key, (col, attr) in MATCHES.items():
        values = {r.get(col, "") for r in roster.rows} - {""}
        n = sum(1 for s in students if getattr(s, attr) and getattr(s, attr) in values)
        if n > best_n:
            best, best_n = key, n
    return best


def export_canvas(record: ClassRecord, roster_path: Path | str, out: Path, canvas_id: str | None = None,
                  name: str | None = None, match: str = "auto") -> list[str]:
    """Write ``out`` and return the problems found (each also a line in problems.txt)."""
    from autograder.export.course import assignment_title

    roster = read_roster(roster_path)
    col_name, col_id = find_column(roster, record.assignment, canvas_id, name,
                                   assignment_title(record.course, record.assignment))
    key = choose_match(roster, record.students, match)
    col, attr = MATCHES[key]
    problems: list[str] = [f"canvas: matched roster column {col!r} to gradebook student {attr}"]

    by_key = {getattr(s, attr): s for s in record.students if getattr(s, attr)}
    seen: dict[str, int] = {}
    duplicates: set[str] = set()
    for row, line in zip(roster.rows, roster.row_numbers):
        k = row.get(col, "")
        if k and k in seen:
            duplicates.add(k)
            problems.append(f"canvas: duplicate {col} {k!r} on roster lines {seen[k]} and {line}; both left blank")
        seen.setdefault(k, line)

    header = FIXED + [f"{col_name} ({col_id})"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerow(["Points Possible", "", "", "", "", fmt_points(record.max_score)])
    old_points = roster.points_possible.get(f"{col_name} ({col_id})", "")
    if old_points:
        try:
            if abs(float(old_points) - record.max_score) > 1e-9:
                problems.append(f"canvas: the Canvas assignment is worth {old_points} points, the notebook "
                                f"{fmt_points(record.max_score)}; Canvas keeps its own points possible")
        except ValueError:
            pass
    matched = set()
    for row, line in zip(roster.rows, roster.row_numbers):
        k = row.get(col, "")
        student = by_key.get(k) if k and k not in duplicates else None
        if is_test_student(row) and student is None:
            score = ""
        elif k in duplicates:
            score = ""
        elif not k:
            score = ""
            problems.append(f"canvas: roster line {line} ({row.get('Student', '')}) has no {col}; left blank")
        elif student is None:
            score = ""
            problems.append(f"canvas: {row.get('Student', '')} ({col} {k}) is on the Canvas roster but not in "
                            "the gradebook; left blank")
        elif not student.submitted:
            score = "0"
            matched.add(student.id)
            problems.append(f"canvas: {student.id} submitted nothing; exported as 0")
        else:
            score = fmt_points(student.score)
            matched.add(student.id)
        w.writerow([csv_cell(row.get(c, "")) for c in FIXED] + [score])
    for s in record.students:
        if s.id not in matched and s.submitted and getattr(s, attr) not in duplicates:
            problems.append(f"canvas: {s.id} has a graded submission but is not on the Canvas roster; not exported")
    from autograder.export.course import atomic_write

    atomic_write(out, buf.getvalue())
    return problems


def write_sample_roster(students: list[tuple[str, str, str, str, str]], path: Path, assignments: dict[str, str],
                        points: dict[str, str] | None = None) -> Path:
    """A file shaped like a Canvas gradebook export, for demos and tests:
    ``students`` as (Student "Last, First", ID, SIS User ID, SIS Login ID, Section),
    ``assignments`` as {name: canvas id}."""
    cols = [f"{n} ({i})" for n, i in assignments.items()]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIXED + cols + ["Current Score", "Final Score"])
    w.writerow(["    Points Possible", "", "", "", ""] + [(points or {}).get(n, "") for n in assignments]
               + ["(read only)", "(read only)"])
    for s in students:
        w.writerow(list(s) + [""] * len(cols) + ["", ""])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path
