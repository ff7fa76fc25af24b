"""Late penalties and per-student extensions, through nbgrader's late-submission plugin.

The rule: a submission loses ``penalty_per_day`` of its score for every started day
(24 h) past the due date, after ``grace_minutes`` of grace, and never more than
``max_penalty`` of its score. The due date is the assignment's, plus the student's
extension: the larger of the one in ``extensions.csv`` (course root) and the one granted
in formgrader / ``Gradebook.grant_extension`` (extensions do not stack, as in nbgrader).

``extensions.csv`` (one row per extension, header required)::

    student_id,assignment,extra_hours
    ab123,01-vectors,48

Enable it in the course's ``nbgrader_config.py``::

    c.AssignLatePenalties.plugin_class = "autograder.late.LatePenaltyPlugin"
    c.LatePenaltyPlugin.penalty_per_day = 0.10   # fraction of the score per started day late
    c.LatePenaltyPlugin.max_penalty = 0.50       # cap, as a fraction of the score
    c.LatePenaltyPlugin.grace_minutes = 15

``nbgrader autograde`` then calls :meth:`LatePenaltyPlugin.late_submission_penalty` for
each late notebook (nbgrader's ``AssignLatePenalties`` preprocessor, which stores the
result in ``SubmittedNotebook.late_submission_penalty``). This platform's exports and
feedback pages call :func:`apply_late_penalties` with the same policy, so every output
agrees with nbgrader's own CSV, which reads that column.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float, Unicode

EXTENSIONS_FILE = "extensions.csv"
DAY_S = 24 * 3600.0


@dataclass(frozen=True)
class LatePolicy:
    penalty_per_day: float = 0.10  # fraction of the score per started day late
    max_penalty: float = 0.50  # cap, as a fraction of the score
    grace_minutes: float = 0.0

    def describe(self) -> str:
        text = f"{self.penalty_per_day:.0%} of the score per started day late, at most {self.max_penalty:.0%}"
        if self.grace_minutes:
            text += f", after {self.grace_minutes:g} minutes of grace"
        return text

    def fraction(self, seconds_late: float) -> float:
        """The share of the score taken for a submission ``seconds_late`` past its due date."""
        if seconds_late <= self.grace_minutes * 60:
            return 0.0
        days = math.ceil(seconds_late / DAY_S - 1e-9)
        return max(0.0, min(self.max_penalty, self.penalty_per_day * days))


class LatePenaltyPlugin(LateSubmissionPlugin):
    """nbgrader late-submission plugin: a penalty per started day late, with a cap,
    honouring the per-student extensions in ``extensions.csv``."""

    penalty_per_day = Float(0.10, help="Fraction of the score lost per started day late.").tag(config=True)
    max_penalty = Float(0.50, help="Largest penalty, as a fraction of the score.").tag(config=True)
    grace_minutes = Float(0.0, help="Minutes after the due date that are not counted as late.").tag(config=True)
    course_root = Unicode(
        "", help="Course root holding extensions.csv (default: CourseDirectory.root, else the working directory)."
    ).tag(config=True)

    @property
    def policy(self) -> LatePolicy:
        return LatePolicy(self.penalty_per_day, self.max_penalty, self.grace_minutes)

    def _root(self) -> Path:
        if self.course_root:
            return Path(self.course_root)
        root = self.config.get("CourseDirectory", {}).get("root") if self.config else None
        return Path(root) if root else Path(os.getcwd())

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> Optional[float]:
        # nbgrader's AssignLatePenalties (our parent) knows the assignment and holds an open
        # gradebook; use them to recompute lateness against the larger extension.
        parent = self.parent
        assignment = getattr(parent, "assignment_id", None)
        gradebook = getattr(parent, "gradebook", None)
        if assignment and gradebook is not None:
            submission = gradebook.find_submission(assignment, student_id)
            seconds = seconds_late(submission.timestamp, submission.assignment.duedate,
                                   effective_extension(self._root(), assignment, student_id, submission.extension))
        else:
            # No gradebook at hand: nbgrader's figure already counts a formgrader extension.
            extra = extension_from_file(self._root(), assignment, student_id) if assignment else timedelta(0)
            seconds = max(0.0, total_seconds_late - extra.total_seconds())
        return round(score * self.policy.fraction(seconds), 6)


def read_extensions(course: Path | str) -> dict[tuple[str, str], float]:
    """``{(student_id, assignment): extra_hours}`` from ``<course>/extensions.csv``.

    A repeated (student, assignment) keeps its last row, as a later grant replaces an
    earlier one. A malformed row raises ValueError naming the line."""
    path = Path(course) / EXTENSIONS_FILE
    if not path.exists():
        return {}
    out: dict[tuple[str, str], float] = {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = {"student_id", "assignment", "extra_hours"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for row in reader:
            if not (row.get("student_id") or "").strip():
                continue
            try:
                hours = float(row["extra_hours"])
            except (TypeError, ValueError):
                raise ValueError(f"{path}, line {reader.line_num}: extra_hours {row['extra_hours']!r} is not a number")
            out[(row["student_id"].strip(), row["assignment"].strip())] = hours
    return out


def extension_from_file(course: Path | str, assignment: str, student_id: str) -> timedelta:
    return timedelta(hours=read_extensions(course).get((student_id, assignment), 0.0))


def effective_extension(course: Path | str, assignment: str, student_id: str,
                        granted: timedelta | None = None) -> timedelta:
    """The larger of the file's extension and the one granted in the gradebook."""
    return max(extension_from_file(course, assignment, student_id), granted or timedelta(0))


def _utc_naive(value: datetime | None) -> datetime | None:
    # nbgrader stores naive UTC datetimes; bring aware ones to the same footing.
    if value is not None and value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def seconds_late(submitted_at: datetime | None, due: datetime | None, extension: timedelta | None = None) -> float:
    submitted_at, due = _utc_naive(submitted_at), _utc_naive(due)
    if submitted_at is None or due is None:
        return 0.0
    return max(0.0, (submitted_at - (due + (extension or timedelta(0)))).total_seconds())


def late_penalty(course: Path | str, assignment: str, student_id: str, submitted_at: datetime | None,
                 due: datetime | None, score: float, *, granted: timedelta | None = None,
                 policy: LatePolicy | None = None) -> float:
    """Points to subtract from ``score`` for this submission (0.0 when on time).

    ``due`` is the assignment's due date without extensions; the student's extension
    comes from ``extensions.csv`` (and ``granted``, the gradebook's, if larger). The
    policy defaults to the one configured in the course's nbgrader_config.py; a course
    that does not enable LatePenaltyPlugin has no late penalty (0.0)."""
    if policy is None:
        policy = load_policy(course)
        if policy is None:
            return 0.0
    late = seconds_late(submitted_at, due, effective_extension(course, assignment, student_id, granted))
    return round(max(0.0, score) * policy.fraction(late), 6)


def load_policy(course: Path | str) -> LatePolicy | None:
    """The policy of ``<course>/nbgrader_config.py`` if it enables LatePenaltyPlugin, else None."""
    path = Path(course) / "nbgrader_config.py"
    if not path.exists():
        return None
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    plugin_class = config.get("AssignLatePenalties", {}).get("plugin_class")
    name = plugin_class if isinstance(plugin_class, str) else getattr(plugin_class, "__name__", "")
    if not name or not name.endswith("LatePenaltyPlugin"):
        return None
    return LatePenaltyPlugin(config=config).policy


@dataclass
class LateInfo:
    """What a feedback page and the exports say about one submission's lateness."""

    seconds_late: float = 0.0
    extension_hours: float = 0.0
    penalty: float = 0.0
    policy: str = ""

    def describe_lateness(self) -> str:
        s = self.seconds_late
        if s <= 0:
            return "on time"
        days, rest = divmod(int(round(s)), 86400)
        hours, rest = divmod(rest, 3600)
        minutes = rest // 60
        parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
        if hours:
            parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
        if minutes and not days:
            parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
        return (" ".join(parts) or "less than a minute") + " late"


def apply_late_penalties(gradebook, course: Path | str, assignment: str,
                         policy: LatePolicy | None = None) -> dict[str, LateInfo]:
    """Store each late notebook's penalty in the gradebook, as nbgrader's
    AssignLatePenalties does with this plugin, and return what was decided per student.

    With no policy (none given, none enabled in nbgrader_config.py) the gradebook's
    penalties are left as they are and only reported."""
    if policy is None:
        policy = load_policy(course)
    extensions = read_extensions(course)
    out: dict[str, LateInfo] = {}
    for submission in gradebook.find_assignment(assignment).submissions:
        student = submission.student.id
        ext = max(timedelta(hours=extensions.get((student, assignment), 0.0)), submission.extension or timedelta(0))
        late = seconds_late(submission.timestamp, submission.assignment.duedate, ext)
        info = LateInfo(late, ext.total_seconds() / 3600, 0.0, policy.describe() if policy else "")
        for notebook in submission.notebooks:
            if policy is not None:
                penalty = round(max(0.0, notebook.score) * policy.fraction(late), 6)
                notebook.late_submission_penalty = min(penalty, max(0.0, notebook.score)) or None
            info.penalty += notebook.late_submission_penalty or 0.0
        out[student] = info
    if policy is not None:
        gradebook.db.commit()
    return out
