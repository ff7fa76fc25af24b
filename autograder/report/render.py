"""Write reports/<assignment>/report.html and its CSVs."""

from __future__ import annotations

import csv
import io
import math
import statistics
from datetime import datetime, timezone
from pathlib import Path

import jinja2

from autograder.export.course import ClassRecord, atomic_write
from autograder.export.safe import csv_cell, student_safe
from autograder.report import analytics, plots

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
)


def _num(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x - round(x)) > 1e-9 else str(int(round(x)))


def _pct(x: float) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{x:.0%}"


def _csv(rows: list[list]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([csv_cell(c) for c in row] for row in rows)
    return buf.getvalue()


def _r(x: float, digits: int = 4) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{round(x, digits):g}"


def write_report(record: ClassRecord, out: Path, item_analysis: bool | None = None, top: int = 15) -> dict[str, Path]:
    out = Path(out)
    phrases = analytics.Phrases()
    questions = analytics.question_stats(record)
    totals = analytics.totals(record)
    mistakes = analytics.mistakes(record, phrases)
    if item_analysis is None:
        item_analysis = record.assignment.startswith("00")
    items = analytics.item_analysis(record, phrases) if item_analysis else []
    gaps = analytics.gaps(record, phrases) if item_analysis else []
    submitted = record.submitted()
    not_graded = [{"id": s.id, "status": s.result.status, "reason": student_safe(s.result.reason).splitlines()[0]
                   if s.result.reason.strip() else ""}
                  for s in submitted if s.result is not None and s.result.status != "graded"]

    files = {}
    files["question_stats.csv"] = _csv(
        [["question", "part", "max_score", "graded", "awaiting_grader", "mean", "median", "sd", "share_full",
          "share_zero"]]
        + [[q.question, q.name, _r(q.max_score), q.n, q.pending, _r(q.mean()), _r(q.median()), _r(q.sd()),
            _r(q.full()), _r(q.zero())] for q in questions]
        + [["TOTAL", "", _r(record.max_score), len(totals), "", _r(statistics.fmean(totals) if totals else math.nan),
            _r(statistics.median(totals) if totals else math.nan),
            _r(statistics.pstdev(totals) if len(totals) > 1 else math.nan), "", ""]])
    files["mistakes.csv"] = _csv(
        [["question", "mistake", "phrase", "count", "graded", "share", "students"]]
        + [[m.question, m.mistake, m.phrase, m.count, m.n, _r(m.share), " ".join(m.students)] for m in mistakes])
    if item_analysis:
        files["item_analysis.csv"] = _csv(
            [["item", "gap", "max_score", "students", "difficulty", "discrimination_corrected_point_biserial",
              "upper_lower_27", "flags"]]
            + [[i.name, i.gap, _r(i.max_score), i.n, _r(i.difficulty), _r(i.discrimination), _r(i.upper_lower),
                "; ".join(i.flags)] for i in items])
        files["gaps.csv"] = _csv(
            [["gap", "title", "students_with_gap", "graded", "share", "review", "students"]]
            + [[g.gap, g.title, g.count, g.n, _r(g.share), g.review, " ".join(g.students)] for g in gaps])

    html = _ENV.get_template("report.html.j2").render(
        assignment=record.assignment,
        generated=f"Generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        n_students=len(record.students),
        n_submitted=len(submitted),
        n_missing=len(record.students) - len(submitted),
        n_not_graded=len(not_graded),
        mean_total=_num(statistics.fmean(totals)) if totals else "n/a",
        median_total=_num(statistics.median(totals)) if totals else "n/a",
        max_score=_num(record.max_score),
        total_plot=plots.histogram(totals, record.max_score, f"Total score ({len(totals)} submissions)")
        if totals else "",
        question_plot=plots.small_multiples([q for q in questions if q.scores]),
        questions=questions,
        mistakes=mistakes,
        top=top,
        not_graded=not_graded,
        items=items,
        gaps=gaps,
        flag_r=analytics.FLAG_DISCRIMINATION, flag_easy=analytics.FLAG_EASY, flag_hard=analytics.FLAG_HARD,
        num=_num, pct=_pct,
    )
    written = {}
    for name, text in {**files, "report.html": html}.items():
        atomic_write(out / name, text)
        written[name] = out / name
    return written
