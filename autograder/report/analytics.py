"""Class analytics for one assignment: score distributions, frequent mistakes, and item
analysis of the diagnostic quiz.

Scores are the gradebook's (after hand grading, before any late penalty: lateness says
nothing about what the class understood). Mistakes are the named diagnoses
(``QuestionResult.mistake``) that the checks wrote to result.json.

Item analysis (for 00-diagnostic, or with ``--item-analysis``):

- difficulty p = mean score / max points (classical test theory; 1 = everyone right);
- discrimination = the *corrected point-biserial* correlation: Pearson's r between the
  item's score and the rest score (total minus that item), so the item is not correlated
  with itself. For 0/1 items this is the point-biserial coefficient. The upper-lower index
  D = p(top 27 % by total) - p(bottom 27 %) (Kelley's 27 % groups) is given beside it.
  An item with discrimination below 0.2, or p outside [0.2, 0.9], is flagged for review.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass, field

from autograder.export.course import ClassRecord, StudentRecord

GENERIC = {
    "wrong_value": "returned wrong values that match no catalogued mistake",
    "wrong_shape": "returned an array of the wrong shape",
    "wrong_type": "returned something the grader could not read as numbers",
    "error": "had code that raised an error on the hidden inputs",
    "not_finite": "returned nan or inf where every value should be finite",
    "complex_output": "returned complex numbers where real ones were expected",
    "library_used": "used a library routine the exercise asks them to write from scratch",
    "missing": "gave the grader no result for some inputs",
    "timeout": "had code that did not finish in time on the hidden inputs",
    "not_run": "had a notebook that stopped before this check could run",
}
FLAG_DISCRIMINATION = 0.2
FLAG_EASY, FLAG_HARD = 0.9, 0.2


@dataclass
class QuestionStats:
    name: str
    question: str
    max_score: float
    scores: list[float]
    pending: int = 0

    @property
    def n(self) -> int:
        return len(self.scores)

    def mean(self) -> float:
        return statistics.fmean(self.scores) if self.scores else math.nan

    def median(self) -> float:
        return statistics.median(self.scores) if self.scores else math.nan

    def sd(self) -> float:
        return statistics.pstdev(self.scores) if len(self.scores) > 1 else (0.0 if self.scores else math.nan)

    def share(self, pred) -> float:
        return sum(1 for s in self.scores if pred(s)) / self.n if self.n else math.nan

    def full(self) -> float:
        return self.share(lambda s: s >= self.max_score - 1e-9)

    def zero(self) -> float:
        return self.share(lambda s: s <= 1e-9)


@dataclass
class MistakeCount:
    question: str
    mistake: str
    phrase: str
    count: int
    n: int
    students: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.count / self.n if self.n else 0.0

    def sentence(self) -> str:
        return f"{self.share:.0%} ({self.count} of {self.n}) {self.phrase}"


@dataclass
class ItemStats:
    name: str
    max_score: float
    n: int
    difficulty: float
    discrimination: float  # corrected point-biserial
    upper_lower: float  # Kelley's 27 % index
    gap: str = ""
    flags: list[str] = field(default_factory=list)


# -- mistake phrases -----------------------------------------------------------------

def _declared() -> dict:
    """check id -> Check, every check's declared catalogue of mistakes included."""
    from autograder.checks import load_all

    return load_all()


def class_phrase(message: str) -> str:
    """A student-facing message ("you returned ...") as said of a group ("returned ...")."""
    text = " ".join(message.split())
    text = re.sub(r"^you\s+", "", text, flags=re.I)
    text = re.sub(r"\byour\b", "their", text)
    text = re.sub(r"\byou\b", "they", text)
    return text


def first_line(feedback: str) -> str:
    """The diagnosis without the input it failed on, and without the "target: " prefix."""
    text = feedback.split("\n  input (", 1)[0].strip().splitlines()[0] if feedback.strip() else ""
    return re.sub(r"^`?[A-Za-z_][\w.]*`?:\s+", "", text)


class Phrases:
    """Readable class-level phrases for (checks, mistake id)."""

    def __init__(self):
        try:
            self.checks = _declared()
        except Exception:  # a broken checks module must not stop the report
            self.checks = {}
        try:
            from autograder import remediation
        except ImportError:
            remediation = None
        self.remediation = remediation

    def gap(self, gap_id: str):
        gaps = getattr(self.remediation, "GAPS", {}) if self.remediation else {}
        return gaps.get(gap_id)

    def phrase(self, mistake: str, checks: list[str], feedback: str) -> str:
        for check_id in checks:
            check = self.checks.get(check_id)
            declared = check.declared(mistake) if check is not None else None
            if declared is not None:
                return class_phrase(declared.message)
        if mistake in GENERIC:
            return GENERIC[mistake]
        from autograder.checks._kit import GENERIC_MISTAKES  # what every check can say the same way

        if mistake in GENERIC_MISTAKES:
            return GENERIC_MISTAKES[mistake]
        line = first_line(feedback)
        return class_phrase(line) if line else mistake.replace("_", " ")


# -- the numbers ---------------------------------------------------------------------

def question_stats(record: ClassRecord) -> list[QuestionStats]:
    out = []
    for cell in record.cells:
        qs = QuestionStats(cell.name, cell.question, cell.max_score, [])
        for s in record.submitted():
            score = s.cells.get(cell.name)
            if score is None or score.pending:
                qs.pending += 1
            else:
                qs.scores.append(score.score)
        out.append(qs)
    return out


def totals(record: ClassRecord) -> list[float]:
    return [s.raw_score for s in record.submitted()]


def mistakes(record: ClassRecord, phrases: Phrases | None = None) -> list[MistakeCount]:
    phrases = phrases or Phrases()
    counts: dict[tuple[str, str], MistakeCount] = {}
    attempted: dict[str, int] = {}
    for s in record.submitted():
        if s.result is None:
            continue
        for q in s.result.questions:
            if q.manual:
                continue
            attempted[q.question] = attempted.get(q.question, 0) + 1
            final = s.cells.get(q.question)
            score = final.score if final is not None else q.score
            if not q.mistake or score >= q.max_score:
                continue  # a TA may have given the points back
            key = (q.question, q.mistake)
            if key not in counts:
                counts[key] = MistakeCount(q.question, q.mistake, phrases.phrase(q.mistake, q.checks, q.feedback), 0, 0)
            counts[key].count += 1
            counts[key].students.append(s.id)
    for m in counts.values():
        m.n = attempted.get(m.question, 0)
    return sorted(counts.values(), key=lambda m: (-m.share, -m.count, m.question, m.mistake))


def _pearson(x: list[float], y: list[float]) -> float:
    if len(x) < 3:
        return math.nan
    mx, my = statistics.fmean(x), statistics.fmean(y)
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx <= 0 or syy <= 0:
        return math.nan
    return sum((a - mx) * (b - my) for a, b in zip(x, y)) / math.sqrt(sxx * syy)


def item_analysis(record: ClassRecord, phrases: Phrases | None = None) -> list[ItemStats]:
    phrases = phrases or Phrases()
    students: list[StudentRecord] = [s for s in record.submitted()
                                     if all(c.name in s.cells and not s.cells[c.name].pending for c in record.cells)]
    n = len(students)
    total = [sum(s.cells[c.name].score for c in record.cells) for s in students]
    order = sorted(range(n), key=lambda i: total[i])
    k = max(1, math.ceil(0.27 * n)) if n else 0
    lower, upper = order[:k], order[-k:] if k else []
    gap_of = _gap_of(record)
    out = []
    for cell in record.cells:
        item = [s.cells[cell.name].score / cell.max_score if cell.max_score else 0.0 for s in students]
        rest = [t - s.cells[cell.name].score for t, s in zip(total, students)]
        p = statistics.fmean(item) if item else math.nan
        r = _pearson(item, rest)
        d = (statistics.fmean([item[i] for i in upper]) - statistics.fmean([item[i] for i in lower])) if n >= 4 else math.nan
        flags = []
        if not math.isnan(p) and p > FLAG_EASY:
            flags.append("very easy")
        if not math.isnan(p) and p < FLAG_HARD:
            flags.append("very hard")
        if math.isnan(r):
            flags.append("no spread")
        elif r < FLAG_DISCRIMINATION:
            flags.append("low discrimination")
        gap = gap_of.get(cell.name, "")
        out.append(ItemStats(cell.name, cell.max_score, n, p, r, d, gap, flags))
    return out


def _gap_of(record: ClassRecord) -> dict[str, str]:
    """grade id -> gap id, from the remediation gap each check declares."""
    try:
        checks = _declared()
    except Exception:
        checks = {}
    out: dict[str, str] = {}
    for s in record.submitted():
        if s.result is None:
            continue
        for q in s.result.questions:
            for check_id in q.checks:
                gap = getattr(checks.get(check_id), "gap", "")
                if gap:
                    out.setdefault(q.question, gap)
    return out


@dataclass
class GapCount:
    gap: str
    title: str
    review: str
    count: int
    n: int
    students: list[str]

    @property
    def share(self) -> float:
        return self.count / self.n if self.n else 0.0


def gaps(record: ClassRecord, phrases: Phrases | None = None) -> list[GapCount]:
    """Per gap, how many students the quiz found it in (any of its items failed)."""
    phrases = phrases or Phrases()
    found: dict[str, set[str]] = {}
    graded = [s for s in record.submitted() if s.result is not None]
    for s in graded:
        for q in s.result.questions:
            final = s.cells.get(q.question)
            score = final.score if final is not None else q.score
            gap = next((phrases.checks[c].gap for c in q.checks
                        if c in phrases.checks and phrases.checks[c].gap), "")
            if gap and score < q.max_score:
                found.setdefault(gap, set()).add(s.id)
    out = []
    for gap_id, who in found.items():
        g = phrases.gap(gap_id)
        out.append(GapCount(gap_id, g.title if g else gap_id, ", ".join(g.review) if g else "",
                            len(who), len(graded), sorted(who)))
    return sorted(out, key=lambda g: (-g.count, g.gap))
