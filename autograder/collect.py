"""``python -m autograder collect <assignment> --from <zip>``: an LMS's submissions download,
unpacked into the layout ``grade`` reads (nbgrader's ``submitted/<student>/<assignment>/``).

- Canvas, "Download Submissions": ``<name>_<userid>_<submissionid>_<file>``, with ``LATE``
  (or ``late``) after the name when Canvas marked it late. The Canvas user id is mapped to
  the student id through the Canvas gradebook export (its ``ID`` and ``SIS Login ID``) or the
  gradebook's LMS user ids (filled by ``roster import``). A resubmitted file comes back as
  ``<file>-1``, ``<file>-2``: the highest number is the newest attempt.
- Moodle, "Download all submissions": ``<Full Name>_<id>_assignsubmission_file_/<file>``.
  The full name is mapped to the student id through the Moodle participants export (ID number
  or Username) or the gradebook's student names.

The submission time is the zip entry's time (both LMSs stamp each file with its upload
time; ``--timezone`` says which zone the LMS wrote it in, UTC by default). It goes to
nbgrader's ``timestamp.txt``, from which late penalties are computed. Members that are
unsafe (absolute paths, ``..``, links, too large) are refused, and everything that could not
be placed is listed.
"""

from __future__ import annotations

import argparse
import csv
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

MAX_MEMBER_BYTES = 50 * 2**20  # a notebook larger than this is not a notebook
MAX_MEMBERS = 20000

_CANVAS = re.compile(r"^(?P<name>[^_/]+?)_(?:(?P<late>LATE|late)_)?(?P<uid>\d+)_(?:(?P<sub>\d+)_)?(?P<file>[^/]+)$")
_MOODLE = re.compile(r"^(?P<name>.+)_(?P<uid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_$")
# Moodle without "Download submissions in folders": one flat name per file.
_MOODLE_FLAT = re.compile(r"^(?P<name>[^/]+?)_(?P<uid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<file>[^/]+)$")
_ATTEMPT = re.compile(r"^(?P<stem>.*?)(?:-(?P<n>\d+))?$")


@dataclass
class Candidate:
    member: zipfile.ZipInfo
    student: str
    file: str  # the file name as the student uploaded it
    attempt: int  # Canvas's -N suffix (0 for none)
    submission_id: int
    late_flag: bool
    when: datetime | None


@dataclass
class Report:
    collected: dict[str, Candidate] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"unmatched: {x}" for x in self.unmatched] + [f"refused: {x}" for x in self.refused]
        out += [f"ignored: {x}" for x in self.ignored] + [f"note: {x}" for x in self.notes]
        return out


def unsafe_reason(info: zipfile.ZipInfo, limit: int = MAX_MEMBER_BYTES) -> str:
    """Why a zip member must not be unpacked, or ""."""
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    mode = info.external_attr >> 16
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "absolute path"
    if ".." in parts:
        return "path leaves the folder ('..')"
    if stat.S_ISLNK(mode):
        return "symbolic link"
    if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # no type bits: a plain file
        return "not a regular file"
    if info.flag_bits & 0x1:
        return "encrypted"
    if info.file_size > limit:
        return f"too large ({info.file_size / 2**20:.1f} MB; the limit is {limit / 2**20:.0f} MB)"
    if any(ord(c) < 32 for c in name):
        return "control characters in the name"
    return ""


def _norm_name(name: str) -> str:
    """A person's name for matching: no accents, case, spaces or punctuation."""
    name = unicodedata.normalize("NFKD", name)
    return "".join(c for c in name.lower() if c.isalnum())


# -- who is who --------------------------------------------------------------------------------

def canvas_ids(roster: Path | None, db_url: str | None) -> dict[str, str]:
    """Canvas user id -> student id."""
    out: dict[str, str] = {}
    if db_url:
        for sid, _first, _last, lms_id in _gradebook_students(db_url):
            if lms_id:
                out[lms_id] = sid
    if roster is not None and roster.exists():
        from autograder.export.canvas import read_roster

        for row in read_roster(roster).rows:
            if row.get("ID") and row.get("SIS Login ID"):
                out[row["ID"]] = row["SIS Login ID"]
    return out


def moodle_names(roster: Path | None, db_url: str | None) -> tuple[dict[str, str], set[str]]:
    """normalised full name -> student id, and the names shared by two students (ambiguous)."""
    pairs: list[tuple[str, str]] = []
    if db_url:
        pairs += [(_norm_name(f"{first} {last}"), sid) for sid, first, last, _ in _gradebook_students(db_url)
                  if first or last]
    if roster is not None and roster.exists():
        with roster.open(newline="", encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
                sid = row.get("ID number") or row.get("Username")
                if sid:
                    pairs.append((_norm_name(f"{row.get('First name', '')} {row.get('Last name', '')}"), sid))
    out: dict[str, str] = {}
    ambiguous: set[str] = set()
    for name, sid in pairs:
        if name in out and out[name] != sid:
            ambiguous.add(name)
        out.setdefault(name, sid)
    return out, ambiguous


def _gradebook_students(db_url: str):
    from nbgrader.api import Gradebook

    try:
        with Gradebook(db_url) as gb:
            return [(s.id, s.first_name or "", s.last_name or "", s.lms_user_id or "") for s in gb.students]
    except Exception:  # noqa: BLE001 - no gradebook yet: the roster alone must do
        return []


# -- reading the zip ---------------------------------------------------------------------------

def detect(names: list[str]) -> str:
    names = [n.replace("\\", "/") for n in names]
    if any(_MOODLE.match(n.split("/")[0]) for n in names if "/" in n) or any(_MOODLE_FLAT.match(n) for n in names):
        return "moodle"
    return "canvas"


def _when(info: zipfile.ZipInfo, tz) -> datetime | None:
    if info.date_time[0] <= 1980:  # the zip format's "no date"
        return None
    return datetime(*info.date_time, tzinfo=tz).astimezone(timezone.utc)


def _attempt(file: str) -> tuple[str, int]:
    """("vectors.ipynb", 2) for "vectors-2.ipynb" (Canvas's name for a third upload)."""
    p = PurePosixPath(file)
    m = _ATTEMPT.match(p.stem)
    n = int(m.group("n")) if m.group("n") else 0
    return m.group("stem") + p.suffix, n


def read_zip(zf: zipfile.ZipFile, kind: str, ids: dict[str, str], names: tuple[dict, set], tz,
             report: Report, known_students: set[str]) -> dict[str, list[Candidate]]:
    by_student: dict[str, list[Candidate]] = {}
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise SystemExit(f"the zip has {len(infos)} files; more than {MAX_MEMBERS} is not a submissions download")
    for info in infos:
        name = info.filename.replace("\\", "/")
        why = unsafe_reason(info)
        if why:
            report.refused.append(f"{info.filename!r}: {why}")
            continue
        if name.endswith("/"):
            continue
        if kind == "canvas":
            m = _CANVAS.match(name)
            if not m:
                report.unmatched.append(f"{name}: not a Canvas submission file name (<name>_<userid>_<id>_<file>)")
                continue
            student = ids.get(m.group("uid")) or (m.group("name") if m.group("name") in known_students else None)
            if not student:
                report.unmatched.append(f"{name}: Canvas user {m.group('uid')} ({m.group('name')}) is not on the "
                                        "roster; pass --roster <Canvas gradebook export> or run roster import")
                continue
            file, attempt = _attempt(m.group("file"))
            cand = Candidate(info, student, file, attempt, int(m.group("sub") or 0), bool(m.group("late")),
                             _when(info, tz))
        else:
            folder, _, file = name.partition("/")
            m = _MOODLE.match(folder) if file else _MOODLE_FLAT.match(name)
            file = file or (m.group("file") if m else "")
            if not m or not file:
                report.unmatched.append(f"{name}: not a Moodle submission folder (<Full Name>_<id>_assignsubmission_file_)")
                continue
            if m.group("plugin") != "file":
                report.ignored.append(f"{name}: a Moodle {m.group('plugin')} submission, not a file")
                continue
            table, ambiguous = names
            key = _norm_name(m.group("name"))
            student = None if key in ambiguous else table.get(key)
            if not student:
                why = "two students have this name" if key in ambiguous else "not on the roster"
                report.unmatched.append(f"{name}: {m.group('name')} (Moodle participant {m.group('uid')}): {why}; "
                                        "pass --roster <Moodle participants export> or run roster import")
                continue
            cand = Candidate(info, student, PurePosixPath(file).name, 0, int(m.group("uid")), False, _when(info, tz))
        if not _safe_student_id(cand.student):
            report.refused.append(f"{name}: student id {cand.student!r} cannot be a folder name")
            continue
        by_student.setdefault(cand.student, []).append(cand)
    return by_student


def _safe_student_id(sid: str) -> bool:
    return bool(sid) and "/" not in sid and "\\" not in sid and not sid.startswith(".") and "\x00" not in sid


def choose(cands: list[Candidate], notebook: str, report: Report) -> Candidate | None:
    """The newest attempt at a notebook: the one named like the assignment if there is one."""
    notebooks = [c for c in cands if c.file.lower().endswith(".ipynb")]
    for c in cands:
        if c not in notebooks:
            report.ignored.append(f"{c.student}: {c.member.filename} (not a notebook)")
    if not notebooks:
        report.unmatched.append(f"{cands[0].student}: no notebook among {', '.join(c.file for c in cands)}")
        return None
    named = [c for c in notebooks if c.file == notebook] or notebooks
    epoch = datetime.min.replace(tzinfo=timezone.utc)
    named.sort(key=lambda c: (c.submission_id, c.attempt, c.when or epoch))
    best = named[-1]
    for c in notebooks:
        if c is not best:
            report.ignored.append(f"{c.student}: {c.member.filename} (an older attempt or another notebook)")
    return best


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, limit: int = MAX_MEMBER_BYTES) -> None:
    """Copy one member, counting the bytes really unpacked (a zip may lie about sizes)."""
    tmp = dest.with_name(dest.name + ".part")
    total = 0
    with zf.open(info) as src, open(tmp, "wb") as out:
        while chunk := src.read(2**20):
            total += len(chunk)
            if total > limit:
                out.close()
                tmp.unlink()
                raise ValueError(f"unpacks to more than {limit / 2**20:.0f} MB")
            out.write(chunk)
    tmp.replace(dest)


def collect(zip_path: Path, assignment: str, out: Path, roster: Path | None = None, db_url: str | None = None,
            tz=timezone.utc, kind: str = "auto") -> Report:
    report = Report()
    notebook = f"{assignment}.ipynb"
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SystemExit(f"{zip_path}: not a readable zip file ({exc})")
    with zf:
        names = [i.filename for i in zf.infolist()]
        kind = detect(names) if kind == "auto" else kind
        known = {sid for sid, *_ in _gradebook_students(db_url)} if db_url else set()
        ids = canvas_ids(roster, db_url) if kind == "canvas" else {}
        table = moodle_names(roster, db_url) if kind == "moodle" else ({}, set())
        by_student = read_zip(zf, kind, ids, table, tz, report, known)
        for student in sorted(by_student):
            best = choose(by_student[student], notebook, report)
            if best is None:
                continue
            folder = out / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            try:
                _copy(zf, best.member, folder / notebook)
            except (ValueError, zipfile.BadZipFile, OSError) as exc:
                report.refused.append(f"{best.member.filename!r}: {exc}")
                continue
            stamp = folder / "timestamp.txt"
            if best.when is not None:
                stamp.write_text(best.when.strftime("%Y-%m-%d %H:%M:%S+00:00") + "\n")
            else:
                stamp.unlink(missing_ok=True)
                report.notes.append(f"{student}: the zip holds no upload time; no late penalty can be computed")
            if best.file != notebook:
                report.notes.append(f"{student}: uploaded {best.file}, saved as {notebook}")
            if best.late_flag:
                report.notes.append(f"{student}: Canvas marked this submission late")
            report.collected[student] = best
    return report


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "collect", help="unpack a Canvas or Moodle submissions zip into submitted/",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("assignment", help="assignment id, e.g. 01-vectors")
    p.add_argument("--from", dest="zip", required=True, type=Path,
                   help="the zip from Canvas (Download Submissions) or Moodle (Download all submissions)")
    p.add_argument("--to", type=Path, default=None, help="where to unpack (default: <course>/submitted)")
    p.add_argument("--course", default=".", help="course root (default: .)")
    p.add_argument("--db-url", default=None, help="gradebook URL; default: sqlite:///<course>/gradebook.db")
    p.add_argument("--roster", type=Path, default=None,
                   help="Canvas gradebook export or Moodle participants export mapping LMS users to student ids "
                        "(default: <course>/lms/canvas_gradebook.csv or moodle_roster.csv)")
    p.add_argument("--lms", choices=["auto", "canvas", "moodle"], default="auto", help="default: from the file names")
    p.add_argument("--timezone", default="UTC", help="time zone of the times in the zip (default UTC)")
    p.add_argument("--strict", action="store_true", help="exit with status 1 if anything could not be placed")
    p.set_defaults(func=run)


def run(args) -> int:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from autograder.export.course import default_db_url

    course = Path(args.course)
    try:
        tz = ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SystemExit(f"unknown time zone {args.timezone!r} (e.g. UTC, Europe/Berlin)")
    db = args.db_url or (default_db_url(course) if (course / "gradebook.db").exists() else None)
    kind = args.lms
    if kind == "auto":
        try:
            with zipfile.ZipFile(args.zip) as zf:
                kind = detect(zf.namelist())
        except (zipfile.BadZipFile, OSError) as exc:
            raise SystemExit(f"{args.zip}: not a readable zip file ({exc})")
    roster = args.roster
    if roster is None:
        default = course / "lms" / ("canvas_gradebook.csv" if kind == "canvas" else "moodle_roster.csv")
        roster = default if default.exists() else None
    out = args.to or course / "submitted"
    report = collect(args.zip, args.assignment, out, roster, db, tz, kind)
    for line in report.lines():
        print(line)
    print(f"collect: {len(report.collected)} submission(s) unpacked into {out}; {len(report.unmatched)} unmatched, "
          f"{len(report.refused)} refused")
    return 1 if args.strict and (report.unmatched or report.refused) else 0
