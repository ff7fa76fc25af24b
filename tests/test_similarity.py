"""``similarity``: planted copies (renamed variables, reordered functions, changed comments)
rank at the top; independent solutions, even with an identical short function, do not;
starter code never counts; the page escapes everything a student wrote."""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest

pytest.importorskip("copydetect")

from autograder.similarity import run_similarity, student_code, release_code  # noqa: E402
from tests.fixtures.similarity.students import PUBLIC, STARTER, STUDENTS, _answer  # noqa: E402

A = "vectors"
ARTIFACTS = Path(__file__).parent / "artifacts"


def _cell(kind, source, **nbgrader):
    c = {"cell_type": kind, "metadata": {"nbgrader": {"grade_id": nbgrader.pop("grade_id"), **nbgrader}}
         if nbgrader else {}, "source": source}
    if kind == "code":
        c.update(outputs=[], execution_count=None)
    return c


def release_notebook() -> dict:
    cells = [_cell("markdown", "# Vectors"), _cell("code", "import numpy as np")]
    for name, starter in STARTER.items():
        cells.append(_cell("code", starter, grade_id=name, solution=True, grade=False, locked=False))
        cells.append(_cell("code", PUBLIC[name], grade_id=f"{name}_public", solution=False, grade=False,
                           locked=True))
        cells.append(_cell("code", f'"""{name} is correct on fresh inputs"""', grade_id=f"{name}_values",
                           solution=False, grade=True, locked=True, points=2))
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


def submission(answers: dict) -> dict:
    nb = release_notebook()
    for cell in nb["cells"]:
        gid = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = _answer(gid, answers[gid])
    if "extra" in answers:
        nb["cells"].insert(2, _cell("code", answers["extra"].strip("\n")))
    return nb


def make_course(root: Path, students: dict[str, dict]) -> Path:
    course = root / "course"
    (course / "release" / A).mkdir(parents=True)
    (course / "release" / A / f"{A}.ipynb").write_text(json.dumps(release_notebook()))
    for sid, answers in students.items():
        folder = course / "submitted" / sid / A
        folder.mkdir(parents=True)
        (folder / f"{A}.ipynb").write_text(json.dumps(submission(answers)))
    return course


def test_planted_pairs_rank_first_and_independent_ones_below(tmp_path):
    course = make_course(tmp_path, {**STUDENTS, "hank": {}})
    pairs, skipped, page = run_similarity(course, A, course / "submitted", course / "similarity" / A)
    ranked = [frozenset((p.a, p.b)) for p in pairs]
    assert set(ranked[:2]) == {frozenset(("alice", "bob")), frozenset(("carol", "dan"))}
    planted_low = min(p.score for p in pairs[:2])
    assert planted_low >= 0.6, [(p.a, p.b, round(p.score, 2)) for p in pairs[:4]]
    for p in pairs[2:]:  # every independent pair, frank and gina's identical norm included
        assert p.score < 0.35 and p.score < planted_low / 2, (p.a, p.b, p.score)
    assert skipped == ["hank: no code of their own (the starter code only)"]
    text = page.read_text()
    assert "For review, not a verdict" in text and "<mark>" in text
    rows = (course / "similarity" / A / "pairs.csv").read_text().splitlines()
    assert rows[0] == "rank,student_a,student_b,share_a,share_b,tokens_in_common"
    assert len(rows) == len(pairs) + 1


def test_starter_code_and_tests_are_not_the_students(tmp_path):
    lines, _, fixed = release_code(make_course(tmp_path, {}) / "release" / A / f"{A}.ipynb")
    assert fixed == {f"{n}_{k}" for n in STARTER for k in ("public", "values")}
    path = tmp_path / "alice.ipynb"
    path.write_text(json.dumps(submission(STUDENTS["alice"])))
    code = student_code(path, lines, fixed)
    assert "total += a[i] * b[i]" in code and "def _score_all(query, items):" in code
    assert "def dot(a, b):" not in code and "Return the dot product" not in code  # the release's lines
    assert "import numpy as np" not in code and "assert" not in code
    assert "# score every item" not in code  # comments are not code
    # Two untouched releases share nothing.
    blank = tmp_path / "blank.ipynb"
    blank.write_text(json.dumps(release_notebook()))
    assert student_code(blank, lines, fixed) == ""


@pytest.mark.parametrize("content, reason", [
    (b"", "not a readable notebook"),
    (b"\xff\xfe{", "not a readable notebook"),
    (b'{"cells": {"a": 1}}', "not a notebook (no cells)"),
    (b"[" * 100000 + b"]" * 100000, "not a readable notebook"),
])
def test_broken_notebooks_are_listed_not_fatal(tmp_path, content, reason):
    path = tmp_path / "x.ipynb"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=re.escape(reason)):
        student_code(path, set(), set())


def test_odd_cells_are_skipped(tmp_path):
    nb = submission(STUDENTS["erin"])
    nb["cells"] += [{"cell_type": "code", "source": {"not": "text"}}, "not a cell",
                    {"cell_type": "code", "source": ["x = 1\n", 2, "y = 2\n"], "metadata": []}]
    path = tmp_path / "erin.ipynb"
    path.write_text(json.dumps(nb))
    code = student_code(path, set(), set())
    assert "x = 1\ny = 2" in code and "while n < len(a):" in code


HOSTILE = '<img src=x onerror=alert(1)>'


def test_page_escapes_student_code_and_names(tmp_path):
    from autograder.__main__ import main

    evil = {k: v + f'\n    label = "</pre><script>alert(document.cookie)</script>{HOSTILE}"'
            for k, v in STUDENTS["alice"].items() if k != "extra"}
    evil["extra"] = STUDENTS["alice"]["extra"]
    course = make_course(tmp_path, {"alice": STUDENTS["alice"], HOSTILE: evil, "gina": STUDENTS["gina"]})
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["similarity", A, "--course", str(course)]) == 0
    assert "for review, not a verdict" in buf.getvalue()
    page = (course / "similarity" / A / "similarity.html").read_text()
    assert "<script" not in page and "<img" not in page and "</pre><script" not in page
    assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "default-src 'none'" in page  # nothing could run even if something slipped through


def test_ta_reads_the_page_in_chromium(tmp_path):
    """The ranked table and the highlighted code as a TA sees them (screenshot kept in
    tests/artifacts/similarity.png)."""
    from tests.test_feedback import _browser, CHROMIUM, CHROMIUM_ARGS
    import tempfile

    sync_playwright = _browser()
    course = make_course(tmp_path, STUDENTS)
    _, _, page_path = run_similarity(course, A, course / "submitted", course / "similarity" / A, top=3)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(profile, executable_path=str(CHROMIUM), headless=True,
                                                        args=CHROMIUM_ARGS, viewport={"width": 1300, "height": 900})
        try:
            page = context.new_page()
            requests = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_path.as_uri())
            rows = page.eval_on_selector_all(
                "table tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))")
            marks = page.eval_on_selector_all("#pair-1 ~ .pair mark", "m => m.length")
            first_pair = page.inner_text("#pair-1")
            page.screenshot(path=str(ARTIFACTS / "similarity.png"), full_page=True)
        finally:
            context.close()
    assert all(u.startswith("file://") for u in requests), requests
    assert {frozenset(r[1:3]) for r in rows[:2]} == {frozenset(("alice", "bob")), frozenset(("carol", "dan"))}
    assert all(int(share.rstrip("%")) >= 90 for r in rows[:2] for share in r[3:5])
    assert marks > 0 and first_pair.startswith("1. ")
