"""Formgrader's Manual Grading works after `python -m autograder grade`, in a real browser.

`grade` writes nbgrader's autograded/ copy of each submission; formgrader (nbgrader's
JupyterLab server extension) lists it, shows the checks' verdicts and, beside each
free-response answer, the rubric for that question. A score and a comment entered in
Chromium reach the gradebook, the feedback pages and the exports; the rubric reaches
none of them. Screenshots go to tests/artifacts/formgrader-*.png.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from tests.helpers import REPO, copy_course, put_submission, run, tool_env
from tests.test_feedback import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _browser

ASSIGNMENT = "interview"
SCORE, COMMENT = "4", "Clear on the matrix-vector product; say what the GPU does with it."
RUBRIC_LINE = "The model runs as linear algebra."  # from the rubric of why_linear_algebra
ANSWER = "A dense layer is one matrix-vector product W x + b, and a batch is one matrix product."


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = copy_course(REPO, tmp_path_factory.mktemp("formgrader"))
    nb = json.loads((root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "why_linear_algebra":
            cell["source"] = ANSWER
    put_submission(root / "submitted", "alice", ASSIGNMENT, nb)
    run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--submitted", "submitted", "--quiet"],
        cwd=root, timeout=900)
    return root


def test_grade_writes_the_autograded_copy(course):
    path = course / "autograded" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = json.loads(path.read_text())
    texts = ["".join(c["source"]) for c in nb["cells"]]
    answer = next(i for i, t in enumerate(texts) if ANSWER in t)
    assert "Rubric for `why_linear_algebra`" in texts[answer + 1] and RUBRIC_LINE in texts[answer + 1]
    # The blank numeric answers failed their checks, and say so in their cells.
    graded = [c for c in nb["cells"] if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("grade")]
    assert graded and all(c["outputs"][0]["output_type"] == "error" for c in graded)


@contextlib.contextmanager
def jupyter_server(root: Path, scratch: Path):
    """A Jupyter server (JupyterLab, formgrader, Validate) on a free port, serving ``root``."""
    port = _free_port()
    env = tool_env()
    env["JUPYTER_CONFIG_DIR"] = str(scratch / "config")
    env["JUPYTER_RUNTIME_DIR"] = str(scratch / "runtime")
    argv = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ServerApp.token=",
            "--ServerApp.password=", f"--ServerApp.root_dir={root}", "--ServerApp.disable_check_xsrf=True"]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    scratch.mkdir(parents=True, exist_ok=True)
    log = open(scratch / "server.log", "w")
    proc = subprocess.Popen(argv, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/formgrader/gradebook", timeout=5)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"jupyter server exited: {(scratch / 'server.log').read_text()[-2000:]}") from None
                time.sleep(0.5)
        else:
            raise RuntimeError("the Jupyter server did not answer in 60 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def formgrader(course, tmp_path_factory):
    with jupyter_server(course, tmp_path_factory.mktemp("jupyter")) as base:
        yield base


def _saved(course: Path) -> bool:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("why_linear_algebra", ASSIGNMENT, ASSIGNMENT, "alice")
        comment = gb.find_comment("why_linear_algebra", ASSIGNMENT, ASSIGNMENT, "alice")
        return grade.manual_score is not None and bool(comment.manual_comment)


def _type_until_saved(course: Path, page, seconds: float = 90) -> None:
    """Type the score and the comment as a grader does, until both are in the gradebook.
    A field typed into before formgrader's scripts bound it saves nothing, so on a slow
    machine the grader types again, as a person would after seeing it unsaved."""
    deadline, first = time.monotonic() + seconds, True
    while time.monotonic() < deadline:
        if not first:  # the same text again fires no change: clear the fields first
            page.fill("#why_linear_algebra", "")
            page.fill("#why_linear_algebra-comment", "")
        first = False
        page.fill("#why_linear_algebra", SCORE)
        page.press("#why_linear_algebra", "Tab")
        page.fill("#why_linear_algebra-comment", COMMENT)
        page.press("#why_linear_algebra-comment", "Tab")
        page.locator("#why_linear_algebra").scroll_into_view_if_needed()
        retype = time.monotonic() + 10
        while time.monotonic() < min(retype, deadline):
            if _saved(course):
                return
            page.wait_for_timeout(250)
    raise AssertionError(f"formgrader did not save the typed score and comment in {seconds:g} s")


def test_manual_grading_in_chromium(course, formgrader):
    sync_playwright = _browser()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(profile, executable_path=str(CHROMIUM), headless=True,
                                                        args=CHROMIUM_ARGS, viewport={"width": 1200, "height": 900})
        try:
            page = context.new_page()
            page.goto(f"{formgrader}/formgrader/gradebook/{ASSIGNMENT}/{ASSIGNMENT}")
            page.wait_for_selector("table tbody tr td a")
            listing = page.inner_text("body")
            page.screenshot(path=str(ARTIFACTS / "formgrader-manual-grading.png"), full_page=True)
            assert "No data available" not in listing
            page.click("table tbody tr td a")  # the one submission
            page.wait_for_selector("#why_linear_algebra")
            grading = page.inner_text("body")
            assert ANSWER in grading
            assert "Rubric for why_linear_algebra" in grading and RUBRIC_LINE in grading
            assert "Hidden check failed" in grading  # the blank numeric answers
            page.wait_for_load_state("networkidle")  # formgrader's scripts have bound the fields
            _type_until_saved(course, page)  # formgrader saves on change, asynchronously
            page.screenshot(path=str(ARTIFACTS / "formgrader-grading-alice.png"))
        finally:
            context.close()

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("why_linear_algebra", ASSIGNMENT, ASSIGNMENT, "alice")
        comment = gb.find_comment("why_linear_algebra", ASSIGNMENT, ASSIGNMENT, "alice")
        assert grade.manual_score == float(SCORE)
        assert comment.manual_comment == COMMENT
        assert gb.find_submission(ASSIGNMENT, "alice").score == float(SCORE)

    # The platform's feedback page and nbgrader's own both show the score and the comment.
    run([sys.executable, "-m", "autograder", "feedback", ASSIGNMENT], cwd=course)
    ours = (course / "feedback-html" / ASSIGNMENT / "alice.html").read_text()
    run([sys.executable, "-m", "nbgrader", "generate_feedback", ASSIGNMENT, "--force"], cwd=course)
    theirs = (course / "feedback" / "alice" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    for page_text in (ours, theirs):
        assert COMMENT in page_text
        assert RUBRIC_LINE not in page_text and "Rubric for" not in page_text
    assert "graded by hand" in ours

    # Exports carry the hand-given points.
    run([sys.executable, "-m", "autograder", "export", ASSIGNMENT, "--format", "wide,nbgrader"], cwd=course)
    rows = list(csv.DictReader(open(course / "exports" / ASSIGNMENT / "nbgrader.csv")))
    alice = next(r for r in rows if r.get("student_id", r.get("student")) == "alice")
    assert float(alice["score"]) == float(SCORE), alice
