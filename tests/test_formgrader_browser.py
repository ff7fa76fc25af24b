"""Formgrader's Manual Grading works after `python -m autograder grade`, in a real browser.

`grade` writes nbgrader's autograded/ copy of each submission; formgrader (nbgrader's
JupyterLab server extension) lists it, shows the checks' verdicts and, beside each
free-response answer, the rubric for that question. A score and a comment entered in
Chromium reach the gradebook, the feedback pages and the exports; the rubric reaches
none of them. One case is the interview, one a project (p1-song-recommender). Screenshots
go to tests/artifacts/formgrader-*.png and, of the student's feedback page, feedback-<id>-alice.png.
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
from dataclasses import dataclass
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from tests.helpers import REPO, copy_course, put_submission, run, tool_env
from tests.test_feedback import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _browser

SCORE = "4"


@dataclass(frozen=True)
class Case:
    """One free-response answer graded in formgrader: the assignment, the answer's grade id,
    a line of its rubric, what alice wrote, and the notebook she started from (the blank
    release, or the solution with the cells in ``blank`` left as released)."""

    assignment: str
    grade_id: str
    rubric_line: str
    answer: str
    comment: str
    start: str = "release"
    blank: tuple[str, ...] = ()
    shots: tuple[str, str] = ("formgrader-manual-grading.png", "formgrader-grading-alice.png")


CASES = [
    Case("interview", "why_linear_algebra", "The model runs as linear algebra.",
         "A dense layer is one matrix-vector product W x + b, and a batch is one matrix product.",
         "Clear on the matrix-vector product; say what the GPU does with it."),
    # A project: its rubric lives in autograder/checks/songs_rubric.md.
    Case("p1-song-recommender", "p1_ship_choice", "A clear choice with its evidence.",
         "Ship cosine on standardised features: precision@5 0.86 against 0.69 unscaled; "
         "raw tempo swamps the other columns. Next I would measure diversity per genre.",
         "Good evidence from the table; the cost of the choice is missing.",
         start="solutions", blank=("diversity",),
         shots=("formgrader-manual-grading-p1-song-recommender.png", "formgrader-grading-p1-song-recommender.png")),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _submission(case: Case) -> dict:
    nb = json.loads((REPO / case.start / case.assignment / f"{case.assignment}.ipynb").read_text())
    released = {c["metadata"].get("nbgrader", {}).get("grade_id"): c for c in json.loads(
        (REPO / "release" / case.assignment / f"{case.assignment}.ipynb").read_text())["cells"]}
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid == case.grade_id:
            cell["source"] = case.answer
        elif gid in case.blank:
            cell["source"] = released[gid]["source"]
    return nb


@pytest.fixture(scope="module", params=CASES, ids=[c.assignment for c in CASES])
def case(request):
    return request.param


@pytest.fixture(scope="module")
def course(case, tmp_path_factory):
    root = copy_course(REPO, tmp_path_factory.mktemp("formgrader"))
    put_submission(root / "submitted", "alice", case.assignment, _submission(case))
    run([sys.executable, "-m", "autograder", "grade", case.assignment, "--submitted", "submitted", "--quiet"],
        cwd=root, timeout=900)
    return root


def _verdicts(course: Path, case: Case) -> dict[str, bool]:
    """graded cell -> did its hidden checks pass, from the platform's own result."""
    result = json.loads((course / "grades" / case.assignment / "alice" / "result.json").read_text())
    return {q["question"]: q["score"] >= q["max_score"] for q in result["questions"] if not q["manual"]}


def test_grade_writes_the_autograded_copy(course, case):
    path = course / "autograded" / "alice" / case.assignment / f"{case.assignment}.ipynb"
    nb = json.loads(path.read_text())
    texts = ["".join(c["source"]) for c in nb["cells"]]
    answer = next(i for i, t in enumerate(texts) if case.answer in t)
    assert f"Rubric for `{case.grade_id}`" in texts[answer + 1] and case.rubric_line in texts[answer + 1]
    # Each graded cell says what its checks found: an error output for a failed one.
    verdicts = _verdicts(course, case)
    graded = {c["metadata"]["nbgrader"]["grade_id"]: c for c in nb["cells"]
              if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("grade")}
    assert graded and set(graded) == set(verdicts)
    for gid, cell in graded.items():
        assert (cell["outputs"][0]["output_type"] == "error") == (not verdicts[gid]), gid
    if case.start == "release":  # the blank numeric answers all failed
        assert not any(verdicts.values())
    else:  # the solution passes all but the cells left blank
        assert sorted(g for g, ok in verdicts.items() if not ok) == [f"{b}_values" for b in case.blank]


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


def _saved(course: Path, case: Case) -> bool:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade(case.grade_id, case.assignment, case.assignment, "alice")
        comment = gb.find_comment(case.grade_id, case.assignment, case.assignment, "alice")
        return grade.manual_score is not None and bool(comment.manual_comment)


def _type_until_saved(course: Path, case: Case, page, seconds: float = 90) -> None:
    """Type the score and the comment as a grader does, until both are in the gradebook.
    A field typed into before formgrader's scripts bound it saves nothing, so on a slow
    machine the grader types again, as a person would after seeing it unsaved."""
    score, comment = f"#{case.grade_id}", f"#{case.grade_id}-comment"
    deadline, first = time.monotonic() + seconds, True
    while time.monotonic() < deadline:
        if not first:  # the same text again fires no change: clear the fields first
            page.fill(score, "")
            page.fill(comment, "")
        first = False
        page.fill(score, SCORE)
        page.press(score, "Tab")
        page.fill(comment, case.comment)
        page.press(comment, "Tab")
        page.locator(score).scroll_into_view_if_needed()
        retype = time.monotonic() + 10
        while time.monotonic() < min(retype, deadline):
            if _saved(course, case):
                return
            page.wait_for_timeout(250)
    raise AssertionError(f"formgrader did not save the typed score and comment in {seconds:g} s")


def _launch(pw, profile: str, width: int = 1200):
    return pw.chromium.launch_persistent_context(profile, executable_path=str(CHROMIUM), headless=True,
                                                 args=CHROMIUM_ARGS, viewport={"width": width, "height": 900})


def test_manual_grading_in_chromium(course, case, formgrader):
    sync_playwright = _browser()
    ARTIFACTS.mkdir(exist_ok=True)
    a = case.assignment
    auto = sum(q["score"] for q in json.loads((course / "grades" / a / "alice" / "result.json").read_text())["questions"])
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        context = _launch(pw, profile)
        try:
            page = context.new_page()
            page.goto(f"{formgrader}/formgrader/gradebook/{a}/{a}")
            page.wait_for_selector("table tbody tr td a")
            listing = page.inner_text("body")
            page.screenshot(path=str(ARTIFACTS / case.shots[0]), full_page=True)
            assert "No data available" not in listing
            page.click("table tbody tr td a")  # the one submission
            page.wait_for_selector(f"#{case.grade_id}")
            grading = page.inner_text("body")
            assert case.answer in grading
            assert f"Rubric for {case.grade_id}" in grading and case.rubric_line in grading
            assert "Hidden check failed" in grading  # the answers left blank
            if case.start == "solutions":
                assert "Hidden checks passed when graded" in grading
            page.wait_for_load_state("networkidle")  # formgrader's scripts have bound the fields
            _type_until_saved(course, case, page)  # formgrader saves on change, asynchronously
            page.locator(f"#{case.grade_id}").scroll_into_view_if_needed()
            page.evaluate("window.scrollBy(0, -400)")  # the answer above the score box, in view
            page.screenshot(path=str(ARTIFACTS / case.shots[1]))
        finally:
            context.close()

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade(case.grade_id, a, a, "alice")
        comment = gb.find_comment(case.grade_id, a, a, "alice")
        assert grade.manual_score == float(SCORE)
        assert comment.manual_comment == case.comment
        assert gb.find_submission(a, "alice").score == auto + float(SCORE)

    # The platform's feedback page and nbgrader's own both show the score and the comment.
    run([sys.executable, "-m", "autograder", "feedback", a], cwd=course)
    ours = course / "feedback-html" / a / "alice.html"
    run([sys.executable, "-m", "nbgrader", "generate_feedback", a, "--force"], cwd=course)
    theirs = (course / "feedback" / "alice" / a / f"{a}.html").read_text()
    for page_text in (ours.read_text(), theirs):
        assert case.comment in page_text
        assert case.rubric_line not in page_text and "Rubric for" not in page_text
    assert "graded by hand" in ours.read_text()

    # What alice sees: the platform's feedback page, in Chromium.
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        context = _launch(pw, profile, width=1000)
        try:
            page = context.new_page()
            page.goto(ours.as_uri())
            seen, total = page.inner_text("body"), page.inner_text("#score")
            raised = page.locator("#cell-errors li").all_inner_texts()
            rows = {r[1]: r for r in page.eval_on_selector_all(
                "#scores tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))")}
            page.screenshot(path=str(ARTIFACTS / f"feedback-{a}-alice.png"), full_page=True)
        finally:
            context.close()
    assert float(total) == auto + float(SCORE)
    assert case.comment in seen and case.rubric_line not in seen
    assert "No response." not in seen  # nbgrader's note on an unchanged cell is not a grader's comment
    assert rows[case.grade_id][2:] == [SCORE, "5", "graded by hand"], rows
    unwritten = [g for g, r in rows.items() if g != case.grade_id and r[4] == "not answered"]
    assert unwritten == (["attention_is_linear_algebra", "limits_of_vectors", "pca_vs_autoencoder", "why_lora_works"]
                         if a == "interview" else []), rows  # written answers left as their stub
    verdicts = _verdicts(course, case)  # each check's row: passed, or failed with its message
    # Cells that raised while graded: teaching cells that call a function left blank. An
    # answer cell raising its stub's NotImplementedError is not listed (its check says so).
    assert all(r.startswith("the cell starting ") and not r.endswith(":") for r in raised), raised
    assert bool(raised) == bool(case.blank), raised
    assert not raised or "NotImplementedError" in raised[0], raised  # the first is the blank function's
    assert {g: rows[g][4] for g in verdicts} == {g: "passed" if ok else "failed" for g, ok in verdicts.items()}

    # Exports carry the hand-given points.
    run([sys.executable, "-m", "autograder", "export", a, "--format", "wide,nbgrader"], cwd=course)
    rows = list(csv.DictReader(open(course / "exports" / a / "nbgrader.csv")))
    alice = next(r for r in rows if r.get("student_id", r.get("student")) == "alice")
    assert float(alice["score"]) == auto + float(SCORE), alice
