"""Feedback pages: what a student sees, checked in a real headless Chromium.

The browser test drives Debian's /usr/bin/chromium through Playwright (no browser
download: scripts/install-browser.sh installs it) and keeps a screenshot of each page
in tests/artifacts/.
"""

from __future__ import annotations

import io
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from tests.test_exports import ASSIGNMENT, HIDDEN_SOURCE, REFERENCE_VALUE, STUDENTS, TA_COMMENT, build_course

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NEVER_SHOWN = ["BEGIN HIDDEN TESTS", "autograder.checks", "check_dot", REFERENCE_VALUE, "relative error"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    from autograder.feedback.cli import main

    course = build_course(tmp_path_factory.mktemp("feedback"))
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        assert main(["feedback", ASSIGNMENT, "--course", str(course)]) == 0
    assert "no submission (no page) for 1: gh012" in err.getvalue()
    return course / "feedback-html" / ASSIGNMENT


def test_one_page_per_submission(pages):
    assert sorted(p.stem for p in pages.glob("*.html")) == ["ab123", "cd456", "ef789", "ij345", "kl678"]


@pytest.mark.parametrize("student", ["ab123", "cd456", "ef789", "ij345", "kl678"])
def test_page_source_leaks_nothing(pages, student):
    html = (pages / f"{student}.html").read_text()
    for secret in NEVER_SHOWN + [HIDDEN_SOURCE]:
        assert secret not in html
    others = [s for s in STUDENTS if s != student]
    for other in others:
        assert other not in html
        assert STUDENTS[other][2] not in html  # nor their email
    assert "<script" not in html and "http" not in html  # self-contained, works offline
    assert "{" not in html.split("</style>")[1]  # no raw JSON or template left over


def test_diagnoses_are_escaped(tmp_path):
    from autograder.export.course import collect
    from autograder.feedback.render import render_page

    course = build_course(tmp_path)
    record = collect(course, ASSIGNMENT)
    ada = record.student("ab123")
    ada.result.questions[1].feedback = "norm: returned <script>alert(1)</script> & more"
    html = render_page(record, ada)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_a_cell_that_raised_is_named_on_the_page(tmp_path):
    from autograder.export.course import collect
    from autograder.feedback.render import render_page

    course = build_course(tmp_path)
    record = collect(course, ASSIGNMENT)
    ada = record.student("ab123")
    assert "Cells that raised an error" not in render_page(record, ada)
    ada.result.cell_errors = [{"cell": "import numpy as np", "error": "line 4: ModuleNotFoundError: No module named 'sns<x>'"}]
    html = render_page(record, ada)
    assert "Cells that raised an error" in html
    assert ("the cell starting <code>import numpy as np</code>: line 4: ModuleNotFoundError: "
            "No module named &#39;sns&lt;x&gt;&#39;") in html


def test_only_one_student_with_option(tmp_path):
    from autograder.feedback.cli import main

    course = build_course(tmp_path)
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        main(["feedback", ASSIGNMENT, "--course", str(course), "--student", "cd456", "--out", str(tmp_path / "fb")])
    assert [p.name for p in (tmp_path / "fb").iterdir()] == ["cd456.html"]


def _browser():
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: run scripts/install-browser.sh (Debian's chromium) to run the browser test")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
    return sync_api.sync_playwright


def test_student_sees_their_feedback_in_chromium(pages):
    sync_playwright = _browser()
    ARTIFACTS.mkdir(exist_ok=True)
    seen = {}
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(profile, executable_path=str(CHROMIUM), headless=True,
                                                        args=CHROMIUM_ARGS, viewport={"width": 1000, "height": 900})
        try:
            page = context.new_page()
            requests = []
            page.on("request", lambda r: requests.append(r.url))
            for student in ("ab123", "cd456", "ef789", "ij345"):
                page.goto((pages / f"{student}.html").as_uri())
                text = page.inner_text("body")
                rows = page.eval_on_selector_all(
                    "#scores tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))")
                seen[student] = (text, rows, page.inner_text("#score"))
                page.screenshot(path=str(ARTIFACTS / f"feedback-{student}.png"), full_page=True)
        finally:
            context.close()
    assert all(u.startswith("file://") for u in requests), requests  # nothing fetched from anywhere

    text, rows, score = seen["ab123"]
    assert score == "4.5" and "Your score: 4.5 / 7" in text
    assert rows == [["dot", "dot_values", "3", "3", "passed"],
                    ["norm", "norm_values", "0", "2", "failed"],
                    ["explain_projection", "explain_projection", "1.5", "2", "graded by hand"]]
    assert "you returned the squared norm sum(x**2); take its square root" in text  # the failed check's message
    assert TA_COMMENT in text
    assert "Late penalty" not in text

    text, rows, score = seen["cd456"]
    assert score == "3.2"
    assert "Late penalty: −0.8 points" in text and "1 day 2 hours late" in text
    assert "10% of the score per started day late, at most 50%" in text
    assert "you returned the element-wise product a * b" in text

    text, rows, score = seen["ef789"]
    assert score == "5" and "You had an extension of 2 days." in text and "Late penalty" not in text
    assert "norm(x) is wrong: expected a different value, received 26.25" in text

    text, rows, score = seen["ij345"]
    assert "Your notebook took too long to run and was stopped." in text
    assert [r[4] for r in rows] == ["not run (time limit)", "not run (time limit)", "waiting for a grader"]

    for student, (text, _, _) in seen.items():
        for secret in NEVER_SHOWN:
            assert secret not in text, (student, secret)
        for other in STUDENTS:
            if other != student:
                assert other not in text, (student, other)
    assert (ARTIFACTS / "feedback-cd456.png").stat().st_size > 10_000
