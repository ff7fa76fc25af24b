"""The grading result of one submission: what the engine writes and every report reads.

One file per submission, ``grades/<assignment>/<student_id>/result.json``, written
atomically once the submission is graded. Scores are also recorded in the nbgrader
gradebook; this file adds what the gradebook has no place for (the diagnosis of each
failed check, the status and reason of a submission that could not be graded).
"""

from __future__ import annotations

import json
import os
import tempfile
import hashlib
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from pathlib import Path

STATUSES = ("graded", "error", "timeout", "invalid")


@dataclass
class QuestionResult:
    """One graded cell (an nbgrader grade id)."""

    question: str  # the grade id, e.g. "cosine_values"
    score: float
    max_score: float
    status: str = "graded"  # graded | error | timeout | invalid
    # What the check said. It may show the expected value for the fresh random input that
    # failed (useful to the TA, and worthless for any other run); student-facing pages and
    # Gradescope output pass it through autograder.export.safe.student_safe first.
    feedback: str = ""
    mistake: str | None = None  # the named diagnosis ("not_centred"), for class analytics
    checks: list[str] = field(default_factory=list)  # registered check ids in this cell
    manual: bool = False  # graded by hand in formgrader


@dataclass
class SubmissionResult:
    student_id: str
    assignment: str
    notebook: str
    status: str  # graded | error | timeout | invalid
    reason: str = ""  # why, when status is not "graded"
    questions: list[QuestionResult] = field(default_factory=list)
    sha256: str = ""  # of the submitted notebook file, to notice a changed submission
    duration_s: float = 0.0
    graded_at: str = ""  # ISO 8601, UTC
    source_version: str = ""  # of the source notebook it was graded against
    submitted_at: str = ""  # ISO 8601 from nbgrader's timestamp.txt, when there is one
    gradebook: str = ""  # the gradebook the scores were written to (its URL, no password)
    checks_version: str = ""  # of the checks that judged it (autograder.grade.results.checks_version)
    # The public-test cells as they ran beside the student's code: grade id -> None (passed)
    # or what it raised. Worth no points and judged by nobody: shown to students as is.
    public: dict = field(default_factory=dict)
    # The cells that raised when the notebook ran (teaching cells included): each
    # {"cell": its first line, "error": what it raised}. The next cells still ran.
    cell_errors: list = field(default_factory=list)
    # Seconds by phase of the grading (autograder.grade.engine._clock_run), to see where
    # a slow submission spent its time.
    timing: dict = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(q.score for q in self.questions)

    @property
    def max_score(self) -> float:
        return sum(q.max_score for q in self.questions)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict) -> "SubmissionResult":
        known = {f.name for f in fields(cls)}
        questions = [QuestionResult(**q) for q in data.pop("questions", [])]
        return cls(questions=questions, **{k: v for k, v in data.items() if k in known})

    def save(self, root: Path) -> Path:
        path = result_path(root, self.assignment, self.student_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: a grader killed mid-write leaves the old file or none, never half.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            fh.write(self.to_json())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        return path


def result_path(root: Path, assignment: str, student_id: str) -> Path:
    return Path(root) / assignment / student_id / "result.json"


def load_results(root: Path, assignment: str) -> list[SubmissionResult]:
    """Every saved result of an assignment, sorted by student id."""
    out = []
    for path in sorted((Path(root) / assignment).glob("*/result.json")):
        out.append(SubmissionResult.from_dict(json.loads(path.read_text())))
    return out


@lru_cache(maxsize=1)
def checks_version() -> str:
    """A hash of everything that decides a verdict: the checks, the from-scratch rule and
    the harness. A result judged by other checks is not reused."""
    package = Path(__file__).resolve().parent.parent
    files = sorted([*package.glob("checks/*.py"), package / "scratch.py", *package.glob("harness/*.py")])
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(package).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def gradebook_name(db_url: str) -> str:
    """The gradebook's URL without its password, as kept in a result."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unusual URL is kept as it is
        return db_url
