"""Hand grading still to do is a state, not a zero: grades.csv, the terminal summary and
every export say so, and a grader's score, once entered, is used everywhere."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from autograder.grade.csvout import rows, write_csv
from autograder.grade.handgrades import PENDING, with_hand_grades
from autograder.grade.results import QuestionResult, SubmissionResult, load_results
from autograder.grade.summary import print_summary
from tests.test_exports import ASSIGNMENT, FIXTURES, build_course, read_csv, run_export


def interview_result(student="alice", hand_status=PENDING) -> SubmissionResult:
    """The interview: four derivations worth 2 (automatic), five answers worth 5 (by hand)."""
    auto = [QuestionResult(f"d{i}", 2.0, 2.0) for i in range(1, 5)]
    hand = [QuestionResult(f"q{i}", 0.0, 5.0, status=hand_status, feedback="waiting for a grader", manual=True)
            for i in range(1, 6)]
    return SubmissionResult(student, "interview", "interview", "graded", questions=auto + hand)


def test_grades_csv_pending_row_has_blank_score_and_its_own_status():
    out = {r["question"]: r for r in rows(interview_result())}
    assert (out["q1"]["score"], out["q1"]["max_score"], out["q1"]["status"]) == ("", "5", "needs_grading")
    assert out["q1"]["feedback"] == "waiting for a grader"
    assert (out["d1"]["score"], out["d1"]["status"]) == ("2", "graded")


def test_summary_says_points_waiting_not_a_mean_of_zeros():
    buf = io.StringIO()
    with redirect_stdout(buf):
        print_summary([interview_result("alice"), interview_result("bob")])
    text = buf.getvalue()
    assert "8/8 automatic, 25 points waiting for a grader" in text
    assert "needs_grading" in text
    assert "mean score" not in text  # no "8.00 / 33" as if it were final
    assert "mean automatic score 8.00 / 8" in text and "50 points waiting for a grader" in text


def test_summary_without_hand_grading_is_unchanged():
    r = SubmissionResult("carol", "x", "x", "graded", questions=[QuestionResult("a", 1.0, 2.0, feedback="wrong")])
    buf = io.StringIO()
    with redirect_stdout(buf):
        print_summary([r])
    assert "mean score 1.00 / 2" in buf.getvalue() and "waiting" not in buf.getvalue()


def test_hand_grades_come_from_the_gradebook(tmp_path):
    course = build_course(tmp_path)
    db = f"sqlite:///{course / 'gradebook.db'}"
    results = {r.student_id: r for r in with_hand_grades(db, ASSIGNMENT, ASSIGNMENT,
                                                         load_results(course / "grades", ASSIGNMENT))}
    explain = {sid: next(q for q in r.questions if q.question == "explain_projection") for sid, r in results.items()}
    assert (explain["ab123"].score, explain["ab123"].status, explain["ab123"].feedback) == (1.5, "graded",
                                                                                           "graded by hand")
    assert (explain["ij345"].score, explain["ij345"].status) == (0.0, PENDING)  # nobody graded it yet
    csv_path = tmp_path / "grades.csv"
    write_csv(csv_path, list(results.values()))
    body = {(r[0], r[2]): r for r in read_csv(csv_path)[1:]}
    assert body[("ab123", "explain_projection")][3:6] == ["1.5", "2", "graded"]
    assert body[("ij345", "explain_projection")][3:6] == ["", "2", "needs_grading"]
    # No gradebook reachable: every hand-graded answer is pending, never a zero.
    bare = with_hand_grades(None, ASSIGNMENT, ASSIGNMENT, load_results(course / "grades", ASSIGNMENT))
    assert {q.status for r in bare for q in r.questions if q.manual} == {PENDING}


def _set_manual(course, student, cell, score):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        g = gb.find_grade(cell, ASSIGNMENT, ASSIGNMENT, student)
        g.manual_score = score
        g.needs_manual_grade = score is None
        gb.db.commit()


def test_exports_warn_about_pending_students(tmp_path):
    course = build_course(tmp_path)
    _set_manual(course, "ef789", "explain_projection", None)  # Emmy: 3 + 0 automatic, 2 waiting
    canvas = str(FIXTURES / "canvas_gradebook_export.csv")
    proc = run_export(course, "--format", "canvas,moodle,wide", "--canvas-roster", canvas)
    assert proc.returncode == 0, proc.stderr
    out = course / "exports" / ASSIGNMENT
    problems = (out / "problems.txt").read_text()
    assert ("ef789: hand grading pending for explain_projection (2 of 7 points); exported with the points "
            "graded so far (3)") in problems
    assert "ij345: hand grading pending for explain_projection" in problems
    assert "ab123: hand grading pending" not in problems  # graded by hand already
    wide = {r[0]: r for r in read_csv(out / "wide.csv")[1:]}
    assert wide["ef789"][4:8] == ["needs_grading", "3", "0", ""]  # the pending cell is blank, not 0
    assert wide["ij345"][4] == "timeout"
    # --strict refuses (exit status 1) while hand grading is pending...
    assert run_export(course, "--format", "canvas", "--canvas-roster", canvas, "--strict").returncode == 1
    # ...and --allow-pending exports the points so far without listing them.
    proc = run_export(course, "--format", "wide", "--allow-pending")
    assert "hand grading pending" not in (out / "problems.txt").read_text()
    assert "2 student(s) with hand grading pending" in proc.stdout


def test_score_entered_by_a_grader_reaches_the_exports(tmp_path):
    course = build_course(tmp_path)
    _set_manual(course, "ij345", "explain_projection", 1.0)  # the grader marks Ivan's answer
    proc = run_export(course, "--format", "canvas,wide", "--canvas-roster",
                      str(FIXTURES / "canvas_gradebook_export.csv"))
    assert proc.returncode == 0, proc.stderr
    out = course / "exports" / ASSIGNMENT
    assert "hand grading pending" not in (out / "problems.txt").read_text()
    canvas = {r[3]: r[5] for r in read_csv(out / "canvas.csv")[2:]}
    assert canvas["ij345"] == "1"
    wide = {r[0]: r for r in read_csv(out / "wide.csv")[1:]}
    assert wide["ij345"][7] == "1"


REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_interview_end_to_end(tmp_path):
    """The finding as a TA met it: the interview's reference answers graded for real. The five
    written answers wait for a grader (blank in grades.csv, said in the summary, listed by the
    export); once a grader's score is in the gradebook, grades.csv and Canvas carry it. The
    Canvas column is found by the notebook's title, "Interview deep-dive"."""
    import shutil

    from nbgrader.api import Gradebook

    from autograder.__main__ import main

    course = tmp_path / "course"
    shutil.copytree(REPO / "source" / "interview", course / "source" / "interview")
    shutil.copy(REPO / "nbgrader_config.py", course)
    (tmp_path / "sub" / "ab123").mkdir(parents=True)
    nb = json.loads((REPO / "solutions" / "interview" / "interview.ipynb").read_text())
    for cell in nb["cells"]:  # the student writes every free-response answer
        if cell["cell_type"] == "markdown" and cell["metadata"].get("nbgrader", {}).get("solution"):
            cell["source"] = "Because a weight update of low rank captures most of the change."
    (tmp_path / "sub" / "ab123" / "interview.ipynb").write_text(json.dumps(nb))
    grade = ["grade", "interview", "--course", str(course), "--submitted", str(tmp_path / "sub"),
             "--csv", str(tmp_path / "grades.csv"), "--quiet"]
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(grade) == 0
    assert "8/8 automatic, 25 points waiting for a grader" in buf.getvalue()
    rows = {r[2]: r for r in read_csv(tmp_path / "grades.csv")[1:]}
    assert rows["why_lora_works"][3:6] == ["", "5", "needs_grading"]
    assert rows["qk_multiply_adds"][3:6] == ["2", "2", "graded"]

    roster = tmp_path / "canvas.csv"
    roster.write_text('\ufeffStudent,ID,SIS User ID,SIS Login ID,Integration ID,Section,Interview deep-dive (31337)\n'
                      '    Points Possible,,,,,,33.00\n"Lovelace, Ada",4101,1000123,ab123,,S1,\n'
                      '"Student, Test",4199,,,,S1,\n', encoding="utf-8")
    export = ["export", "interview", "--course", str(course), "--format", "canvas", "--canvas-roster", str(roster)]
    with redirect_stdout(io.StringIO()):
        assert main(export + ["--strict"]) == 1  # refused while hand grading is pending
    problems = (course / "exports" / "interview" / "problems.txt").read_text()
    assert "ab123: hand grading pending for why_linear_algebra, attention_is_linear_algebra" in problems

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:  # a grader marks every answer 4/5
        for name in ("why_linear_algebra", "attention_is_linear_algebra", "limits_of_vectors",
                     "pca_vs_autoencoder", "why_lora_works"):
            g = gb.find_grade(name, "interview", "interview", "ab123")
            g.manual_score, g.needs_manual_grade = 4.0, False
        gb.db.commit()
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(grade) == 0  # already graded: nothing reruns, the CSV is rewritten
        assert main(export + ["--strict"]) == 0
    assert "mean score 28.00 / 33" in buf.getvalue()
    rows = {r[2]: r for r in read_csv(tmp_path / "grades.csv")[1:]}
    assert rows["why_lora_works"][3:7] == ["4", "5", "graded", "graded by hand"]
    canvas = read_csv(course / "exports" / "interview" / "canvas.csv")
    assert canvas[0][5] == "Interview deep-dive (31337)" and canvas[2][3:] == ["ab123", "S1", "28"]


def test_unreadable_notebook_has_nothing_waiting(tmp_path):
    """An invalid submission (no notebook, broken file) has no answer for a grader: its
    hand-graded questions stay 0 with the submission's status, in grades.csv and exports."""
    course = build_course(tmp_path)
    path = course / "grades" / ASSIGNMENT / "ef789" / "result.json"
    result = SubmissionResult.from_dict(__import__("json").loads(path.read_text()))
    result.status, result.reason = "invalid", "the notebook file is empty (0 bytes)"
    for q in result.questions:
        q.status, q.score, q.feedback = "invalid", 0.0, result.reason
    result.save(course / "grades")
    _set_manual(course, "ef789", "explain_projection", None)
    (r,) = with_hand_grades(f"sqlite:///{course / 'gradebook.db'}", ASSIGNMENT, ASSIGNMENT, [result])
    explain = {row["question"]: row for row in rows(r)}["explain_projection"]
    assert (explain["score"], explain["status"]) == ("0", "invalid")
    run_export(course, "--format", "wide")
    assert "ef789: hand grading pending" not in (course / "exports" / ASSIGNMENT / "problems.txt").read_text()


def test_an_answer_left_as_its_stub_is_a_zero_not_pending(tmp_path):
    """nbgrader scores a free-response cell still holding "YOUR ANSWER HERE" 0 ("No
    response."): grades.csv agrees, and nothing waits for a grader."""
    import shutil

    from autograder.__main__ import main

    course = tmp_path / "course"
    shutil.copytree(REPO / "source" / "interview", course / "source" / "interview")
    shutil.copy(REPO / "nbgrader_config.py", course)
    (tmp_path / "sub" / "ab123").mkdir(parents=True)
    shutil.copy(REPO / "solutions" / "interview" / "interview.ipynb", tmp_path / "sub" / "ab123")
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["grade", "interview", "--course", str(course), "--submitted", str(tmp_path / "sub"),
                     "--csv", str(tmp_path / "grades.csv"), "--quiet"]) == 0
    assert "waiting for a grader" not in buf.getvalue()
    rows = {r[2]: r for r in read_csv(tmp_path / "grades.csv")[1:]}
    assert rows["why_lora_works"][3:7] == ["0", "5", "graded", "no answer was written (the cell still holds its stub)"]
