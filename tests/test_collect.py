"""``collect``: Canvas and Moodle submission downloads unpacked into the layout ``grade``
reads, with the newest attempt, the upload time, and every file it could not place listed."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from contextlib import redirect_stdout
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from autograder.collect import collect, unsafe_reason
from autograder.grade.submission import discover

FIXTURES = Path(__file__).parent / "fixtures" / "lms"
CANVAS_ROSTER = FIXTURES / "canvas_export_real.csv"
MOODLE_ROSTER = FIXTURES / "moodle_participants_real.csv"
A = "01-vectors"
NB = f"{A}.ipynb"
DUE = datetime(2026, 1, 10, 17, 0)


def notebook(tag: str) -> bytes:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {"tag": tag}, "cells": []}).encode()


def make_zip(path: Path, members: list[tuple]) -> Path:
    """members: (name, data, date_time) or (name, data, date_time, unix mode)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data, when, *mode in members:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            if mode:
                info.external_attr = mode[0] << 16
            z.writestr(info, data)
    return path


def tag_of(path: Path) -> str:
    return json.loads(path.read_text())["metadata"]["tag"]


CANVAS_MEMBERS = [
    ("lovelaceada_4101_9001_01-vectors.ipynb", notebook("ada"), (2026, 1, 10, 12, 0, 0)),
    ("gausscarl_4102_8000_01-vectors.ipynb", notebook("carl-first"), (2026, 1, 9, 10, 0, 0)),
    ("gausscarl_LATE_4102_9002_01-vectors-2.ipynb", notebook("carl-newest"), (2026, 1, 11, 19, 0, 0)),
    ("gausscarl_LATE_4102_9002_01-vectors-1.ipynb", notebook("carl-second"), (2026, 1, 11, 18, 0, 0)),
    ("noetheremmy_late_4103_9003_my notebook (2).ipynb", notebook("emmy"), (2026, 1, 11, 23, 0, 0)),
    ("noetheremmy_late_4103_9003_data.csv", b"x,y\n1,2\n", (2026, 1, 11, 23, 0, 0)),
    ("strangerx_4999_9100_01-vectors.ipynb", notebook("stranger"), (2026, 1, 10, 9, 0, 0)),
    ("studenttest_4199_9200_01-vectors.ipynb", notebook("test"), (2026, 1, 10, 9, 0, 0)),
    ("readme.txt", b"hello", (2026, 1, 10, 9, 0, 0)),
]


def test_canvas_zip_newest_attempt_times_and_unmatched(tmp_path):
    zp = make_zip(tmp_path / "submissions.zip", CANVAS_MEMBERS)
    out = tmp_path / "submitted"
    report = collect(zp, A, out, CANVAS_ROSTER)
    assert sorted(report.collected) == ["ab123", "cd456", "ef789"]
    assert tag_of(out / "ab123" / A / NB) == "ada"
    assert tag_of(out / "cd456" / A / NB) == "carl-newest"  # highest submission id, then Canvas's -2
    assert tag_of(out / "ef789" / A / NB) == "emmy"  # the one notebook, saved under the expected name
    assert (out / "ab123" / A / "timestamp.txt").read_text() == "2026-01-10 12:00:00+00:00\n"
    unmatched = "\n".join(report.unmatched)
    assert "Canvas user 4999 (strangerx) is not on the roster" in unmatched
    assert "Canvas user 4199 (studenttest)" in unmatched  # Canvas's Test Student is nobody's work
    assert "readme.txt: not a Canvas submission file name" in unmatched
    notes = "\n".join(report.notes)
    assert "cd456: Canvas marked this submission late" in notes and "ef789: uploaded my notebook (2).ipynb" in notes
    ignored = "\n".join(report.ignored)
    assert "noetheremmy_late_4103_9003_data.csv (not a notebook)" in ignored
    assert "gausscarl_4102_8000_01-vectors.ipynb (an older attempt" in ignored
    assert not list(out.glob("*/*/*.part"))
    # What grade reads: the submission, and the time late penalties are computed from.
    found = {s.student_id: s for s in discover(out, A, NB)}
    assert set(found) == {"ab123", "cd456", "ef789"} and all(s.problem == "" for s in found.values())
    late = found["cd456"].submitted_at.astimezone(timezone.utc).replace(tzinfo=None) - DUE
    assert late == timedelta(hours=26)


def test_canvas_ids_from_the_gradebook_and_logins(tmp_path):
    """No roster file: the gradebook's LMS user ids (roster import) and login names map."""
    from autograder.export.course import create_gradebook

    db = tmp_path / "gradebook.db"
    with create_gradebook(db) as gb:
        gb.add_student("ab123", lms_user_id="4101")
        gb.add_student("strangerx")  # a login that is the student id
    report = collect(make_zip(tmp_path / "s.zip", CANVAS_MEMBERS), A, tmp_path / "out", None, f"sqlite:///{db}")
    assert sorted(report.collected) == ["ab123", "strangerx"]


def test_canvas_time_zone(tmp_path):
    zp = make_zip(tmp_path / "s.zip", CANVAS_MEMBERS[:1])
    from zoneinfo import ZoneInfo

    collect(zp, A, tmp_path / "out", CANVAS_ROSTER, tz=ZoneInfo("Europe/Berlin"))
    assert (tmp_path / "out" / "ab123" / A / "timestamp.txt").read_text() == "2026-01-10 11:00:00+00:00\n"


MOODLE_MEMBERS = [
    ("Ada Lovelace_101_assignsubmission_file_/01-vectors.ipynb", notebook("ada"), (2026, 1, 10, 12, 0, 0)),
    ("Carl Gauss_102_assignsubmission_onlinetext_/onlinetext.html", b"<p>hi</p>", (2026, 1, 10, 12, 0, 0)),
    ("Carl Gauss_102_assignsubmission_file_/vectors final.ipynb", notebook("carl"), (2026, 1, 11, 19, 0, 0)),
    ("EMMY NOETHER_103_assignsubmission_file_/01-vectors.ipynb", notebook("emmy"), (2026, 1, 11, 23, 0, 0)),
    ("Nobody Here_999_assignsubmission_file_/01-vectors.ipynb", notebook("nobody"), (2026, 1, 10, 9, 0, 0)),
]


def test_moodle_zip_by_full_name(tmp_path):
    zp = make_zip(tmp_path / "moodle.zip", MOODLE_MEMBERS)
    out = tmp_path / "submitted"
    report = collect(zp, A, out, MOODLE_ROSTER)
    assert sorted(report.collected) == ["ab123", "cd456", "ef789"]  # Moodle's case differs: still Emmy
    assert tag_of(out / "cd456" / A / NB) == "carl"
    assert (out / "ef789" / A / "timestamp.txt").read_text() == "2026-01-11 23:00:00+00:00\n"
    assert any("Nobody Here (Moodle participant 999): not on the roster" in u for u in report.unmatched)
    assert any("onlinetext" in i for i in report.ignored)


def test_moodle_same_name_twice_is_not_guessed(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(MOODLE_ROSTER.read_text(encoding="utf-8-sig") + "Ada,Lovelace,zz001,,,,ada2@uni.example,\n")
    report = collect(make_zip(tmp_path / "m.zip", MOODLE_MEMBERS), A, tmp_path / "out", roster)
    assert "ab123" not in report.collected and "zz001" not in report.collected
    assert any("Ada Lovelace (Moodle participant 101): two students have this name" in u for u in report.unmatched)


def test_unsafe_members_are_refused(tmp_path):
    big = b"\0" * (51 * 2**20)
    zp = make_zip(tmp_path / "evil.zip", [
        ("../lovelaceada_4101_1_01-vectors.ipynb", notebook("up"), (2026, 1, 1, 0, 0, 0)),
        ("/etc/lovelaceada_4101_2_01-vectors.ipynb", notebook("abs"), (2026, 1, 1, 0, 0, 0)),
        ("lovelaceada_4101_3_link.ipynb", b"/etc/passwd", (2026, 1, 1, 0, 0, 0), stat.S_IFLNK | 0o777),
        ("lovelaceada_4101_4_huge.ipynb", big, (2026, 1, 1, 0, 0, 0)),
        ("gausscarl_4102_5_01-vectors.ipynb", notebook("carl"), (2026, 1, 1, 0, 0, 0)),
    ])
    out = tmp_path / "out"
    report = collect(zp, A, out, CANVAS_ROSTER)
    refused = "\n".join(report.refused)
    assert "path leaves the folder ('..')" in refused and "absolute path" in refused
    assert "symbolic link" in refused and "too large (51.0 MB; the limit is 50 MB)" in refused
    assert sorted(report.collected) == ["cd456"]  # the safe member still gets through
    assert not (tmp_path / "lovelaceada_4101_1_01-vectors.ipynb").exists()
    assert [p.name for p in out.rglob("*") if p.is_file()] == [NB, "timestamp.txt"]


def test_a_member_that_lies_about_its_size_is_cut_off(tmp_path):
    from autograder.collect import _copy

    zp = make_zip(tmp_path / "z.zip", [("a_1_2_x.ipynb", b"x" * (2 * 2**20), (2026, 1, 1, 0, 0, 0))])
    with zipfile.ZipFile(zp) as z:
        info = z.infolist()[0]
        assert unsafe_reason(info, limit=2**20).startswith("too large")
        with pytest.raises(ValueError, match="unpacks to more than 1 MB"):
            _copy(z, info, tmp_path / "x.ipynb", limit=2**20)
    assert not (tmp_path / "x.ipynb").exists() and not (tmp_path / "x.ipynb.part").exists()


def test_collect_command_line(tmp_path):
    from autograder.__main__ import main

    course = tmp_path / "course"
    (course / "lms").mkdir(parents=True)
    (course / "lms" / "canvas_gradebook.csv").write_bytes(CANVAS_ROSTER.read_bytes())
    zp = make_zip(tmp_path / "submissions.zip", CANVAS_MEMBERS)
    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(["collect", A, "--from", str(zp), "--course", str(course)])
    assert code == 0
    assert "collect: 3 submission(s) unpacked" in buf.getvalue() and "3 unmatched, 0 refused" in buf.getvalue()
    assert (course / "submitted" / "cd456" / A / NB).exists()
    with redirect_stdout(io.StringIO()):
        assert main(["collect", A, "--from", str(zp), "--course", str(course), "--strict"]) == 1
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(SystemExit, match="not a readable zip file"):
        main(["collect", A, "--from", str(tmp_path / "bad.zip"), "--course", str(course)])


@pytest.mark.parametrize("text, expected", [
    ("2026-01-11 19:00:00+00:00\n", datetime(2026, 1, 11, 19, 0)),  # what collect writes
    ("2026-01-11 19:00:00.000000 UTC\n", datetime(2026, 1, 11, 19, 0)),  # what nbgrader submit writes
    ("not a time\n", None),
])
def test_grade_reads_both_timestamp_formats(tmp_path, text, expected):
    folder = tmp_path / "ab123" / A
    folder.mkdir(parents=True)
    (folder / NB).write_bytes(notebook("x"))
    (folder / "timestamp.txt").write_text(text)
    (sub,) = discover(tmp_path, A, NB)
    got = sub.submitted_at
    if got is not None and got.tzinfo is not None:
        got = got.astimezone(timezone.utc).replace(tzinfo=None)
    assert got == expected


def test_moodle_zip_without_folders(tmp_path):
    """Moodle's "Download submissions in folders" unticked: flat file names."""
    flat = [(n.replace("_/", "_"), data, when) for n, data, when in MOODLE_MEMBERS]
    out = tmp_path / "submitted"
    report = collect(make_zip(tmp_path / "flat.zip", flat), A, out, MOODLE_ROSTER)
    assert sorted(report.collected) == ["ab123", "cd456", "ef789"]
    assert tag_of(out / "cd456" / A / NB) == "carl"
