"""Class analytics: distributions, most frequent mistakes, diagnostic item analysis."""

from __future__ import annotations

import csv
import io
import math
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from autograder.grade.results import QuestionResult, SubmissionResult
from tests.test_exports import ASSIGNMENT, build_course

QUIZ = "00-diagnostic"
# (grade id, check, gap): four quiz items of 1 point each
ITEMS = [("q1_answer", "diagnostic.reads_a_loop", "python_reading"),
         ("q4_answer", "diagnostic.dot_product", "dot_product"),
         ("q9_answer", "diagnostic.broadcast_shape", "broadcasting"),
         ("q10_answer", "diagnostic.zero_dot_product", "orthogonality")]
# 12 students x 4 items (1 = right). q1 is easy, q9 tracks the rest of the quiz, q10 hardly.
ANSWERS = np.array([
    [1, 1, 1, 0], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 0], [1, 0, 1, 1], [1, 1, 0, 0],
    [1, 0, 0, 1], [1, 1, 0, 0], [1, 0, 0, 1], [0, 0, 0, 0], [1, 0, 0, 0], [1, 1, 1, 1],
])

def build_quiz(root: Path) -> Path:
    from autograder.export.course import create_gradebook

    course = root / "quiz"
    (course / "grades").mkdir(parents=True)
    import warnings

    from sqlalchemy.exc import SAWarning

    with create_gradebook(course / "gradebook.db") as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's add_submission, harmless
        gb.add_assignment(QUIZ, duedate=datetime(2026, 1, 5, 17))
        gb.add_notebook(QUIZ, QUIZ)
        for name, _, _ in ITEMS:
            gb.add_grade_cell(name, QUIZ, QUIZ, max_score=1.0, cell_type="code")
        for i, row in enumerate(ANSWERS):
            sid = f"s{i:02d}"
            gb.add_student(sid)
            gb.add_submission(QUIZ, sid, timestamp=datetime(2026, 1, 4, 12))
            questions = []
            for (name, check, gap), right in zip(ITEMS, row):
                g = gb.find_grade(name, QUIZ, QUIZ, sid)
                g.auto_score, g.needs_manual_grade = float(right), False
                questions.append(QuestionResult(name, float(right), 1.0, feedback="" if right else
                                                f"{name}: is not right. Gap: ...", mistake=None if right else gap,
                                                checks=[check]))
            gb.db.commit()
            SubmissionResult(sid, QUIZ, QUIZ, "graded", questions=questions).save(course / "grades")
    return course


def report(course: Path, assignment: str, *extra: str) -> Path:
    from autograder.report.cli import main

    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        assert main(["report", assignment, "--course", str(course), *extra]) == 0
    return course / "reports" / assignment


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(path.open(newline="")))


@pytest.fixture(scope="module")
def vectors_report(tmp_path_factory):
    course = build_course(tmp_path_factory.mktemp("report"))
    return course, report(course, ASSIGNMENT)


def test_question_stats_csv(vectors_report):
    _, out = vectors_report
    stats = {r["part"]: r for r in rows(out / "question_stats.csv")}
    # Submitted: ab123 cd456 ef789 ij345 kl678. dot_values: 3, 0, 3, 0, 3
    assert stats["dot_values"]["question"] == "dot"
    assert (stats["dot_values"]["graded"], stats["dot_values"]["mean"], stats["dot_values"]["share_full"]) == \
        ("5", "1.8", "0.6")
    assert stats["explain_projection"]["graded"] == "4" and stats["explain_projection"]["awaiting_grader"] == "1"
    assert stats["explain_projection"]["mean"] == "1.875"  # hand grades 1.5, 2, 2, 2
    total = rows(out / "question_stats.csv")[-1]
    assert total["question"] == "TOTAL" and total["graded"] == "5"
    assert float(total["mean"]) == pytest.approx((4.5 + 4 + 5 + 0 + 7) / 5)  # raw, before late penalties


def test_mistakes_use_the_catalogue_phrases(vectors_report):
    _, out = vectors_report
    found = {(r["question"], r["mistake"]): r for r in rows(out / "mistakes.csv")}
    dot = found[("dot_values", "elementwise")]
    # vectors.DOT_MISTAKES "elementwise", not NORM_MISTAKES' mistake of the same name
    assert dot["phrase"] == "returned the element-wise product a * b; the dot product sums it to one number"
    assert (dot["count"], dot["graded"], dot["students"]) == ("1", "5", "cd456")
    assert found[("norm_values", "no_sqrt")]["phrase"] == \
        "returned the squared length v . v; the Euclidean norm is its square root"
    assert found[("norm_values", "wrong_value")]["phrase"] == "returned wrong values that match no catalogued mistake"
    html = (out / "report.html").read_text()
    assert "20% (1 of 5) returned the element-wise product a * b" in html


def test_report_html_embeds_plots_and_lists_ungraded(vectors_report):
    _, out = vectors_report
    html = (out / "report.html").read_text()
    assert html.count('src="data:image/png;base64,') == 2  # totals, and one histogram per question
    assert "ij345" in html and "timeout" in html  # the submission that was not fully graded
    assert "Diagnostic items" not in html  # item analysis is for the quiz
    assert not (out / "item_analysis.csv").exists()


def test_report_csvs_never_start_a_formula(vectors_report):
    """Student ids and phrases in the report's CSVs reach a spreadsheet as text; numbers
    (negative ones too) stay numbers."""
    from autograder.report.render import _csv

    text = _csv([["students", "share"], ["=HYPERLINK(\"x\") ab123", -0.25], ["@SUM(A1)", "-1"]])
    assert list(csv.reader(io.StringIO(text))) == [["students", "share"], ["'=HYPERLINK(\"x\") ab123", "-0.25"],
                                                   ["'@SUM(A1)", "-1"]]
    _, out = vectors_report
    for path in out.glob("*.csv"):
        for row in csv.reader(path.open(newline="")):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@")) or _is_number(cell), (path.name, cell)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


def test_mistake_share_counts_hand_regrades(tmp_path):
    """A TA who gives the points back removes the mistake from the class count."""
    from nbgrader.api import Gradebook

    course = build_course(tmp_path)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.find_grade("dot_values", ASSIGNMENT, ASSIGNMENT, "cd456").manual_score = 3.0
        gb.db.commit()
    out = report(course, ASSIGNMENT)
    assert ("dot_values", "elementwise") not in {(r["question"], r["mistake"]) for r in rows(out / "mistakes.csv")}


@pytest.fixture(scope="module")
def quiz_report(tmp_path_factory):
    course = build_quiz(tmp_path_factory.mktemp("quiz"))
    return course, report(course, QUIZ)


def test_item_difficulty_and_discrimination(quiz_report):
    _, out = quiz_report
    items = {r["item"]: r for r in rows(out / "item_analysis.csv")}
    assert list(items) == ["q1_answer", "q4_answer", "q9_answer", "q10_answer"]  # no source notebook: natural order
    total = ANSWERS.sum(axis=1)
    for j, (name, _, gap) in enumerate(ITEMS):
        item = ANSWERS[:, j]
        rest = total - item
        r = np.corrcoef(item, rest)[0, 1]
        k = math.ceil(0.27 * len(total))
        order = np.argsort(total, kind="stable")
        d = item[order[-k:]].mean() - item[order[:k]].mean()
        got = items[name]
        assert got["gap"] == gap and got["students"] == "12"
        assert float(got["difficulty"]) == pytest.approx(item.mean(), abs=1e-4)
        assert float(got["discrimination_corrected_point_biserial"]) == pytest.approx(r, abs=1e-4)
        assert float(got["upper_lower_27"]) == pytest.approx(d, abs=1e-4)
    assert "very easy" in items["q1_answer"]["flags"]
    assert "low discrimination" in items["q10_answer"]["flags"]  # r = 0.17
    assert items["q9_answer"]["flags"] == ""


def test_gaps_with_remediation_paths(quiz_report):
    _, out = quiz_report
    gaps = {r["gap"]: r for r in rows(out / "gaps.csv")}
    assert gaps["broadcasting"]["students_with_gap"] == "6" and gaps["broadcasting"]["graded"] == "12"
    from autograder import remediation

    assert gaps["broadcasting"]["title"] == remediation.GAPS["broadcasting"].title
    assert gaps["broadcasting"]["review"] == ", ".join(remediation.GAPS["broadcasting"].review)
    html = (out / "report.html").read_text()
    assert "50% (6 of 12) showed a gap: NumPy broadcasting (review: 12-tensors)" in html
    assert "Diagnostic items" in html and "corrected point-biserial" in html
    assert "50% (6 of 12)" in html


def test_report_in_chromium(quiz_report, vectors_report):
    """The report renders with its plots (looked at as a screenshot; kept in tests/artifacts)."""
    from tests.test_feedback import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _browser

    sync_playwright = _browser()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            for name, (_, out) in (("vectors", vectors_report), ("diagnostic", quiz_report)):
                page.goto((out / "report.html").as_uri())
                widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
                assert widths and all(w > 200 for w in widths)  # every plot decoded
                page.screenshot(path=str(ARTIFACTS / f"report-{name}.png"), full_page=True)
        finally:
            browser.close()
