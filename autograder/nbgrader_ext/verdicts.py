"""Put trusted verdicts into the graded cells of a notebook, in the form nbgrader reads.

nbgrader scores a graded code cell from its outputs: an error output gives 0, otherwise
the cell's points. A cell whose hidden checks passed gets a plain line of text; a cell
that lost its points gets an error output that says why (in words a student may read).
Free-response answers get, in the grader's copy only, the rubric points for the question.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from autograder.build import notebook
from autograder.export.safe import student_safe
from autograder.paths import PACKAGE

RUBRICS = PACKAGE / "checks"  # <topic>_rubric.md: "## <grade id>" sections, for graders only
GRADER_ONLY = "grader-only"  # tag of the rubric cells; feedback removes them


def passed_output(points: float) -> dict:
    return nbformat.v4.new_output("stream", name="stdout",
                                  text=f"Hidden checks passed when graded ({points:g} of {points:g} points).\n")


def failed_output(feedback: str, status: str) -> dict:
    message = student_safe(feedback) or "this part was not answered correctly"
    ename = {"timeout": "TimeLimit", "invalid": "InvalidSubmission", "error": "NotGraded"}.get(status, "CheckFailed")
    return nbformat.v4.new_output("error", ename=ename, evalue=message,
                                  traceback=[f"Hidden check failed: {message}"])


def put_verdicts(nb, questions) -> None:
    """Replace the outputs of each auto-graded cell with its trusted verdict."""
    by_id = {q.question: q for q in questions}
    for cell in nb.cells:
        q = by_id.get(notebook.grade_id(cell))
        if q is None or q.manual or cell.cell_type != "code" or not notebook.meta(cell).get("grade"):
            continue
        cell.outputs = [passed_output(q.max_score) if q.score >= q.max_score > 0 or (q.max_score == 0 and
                        q.feedback == "passed") else failed_output(q.feedback, q.status)]
        cell.execution_count = None


def rubric_sections(path: Path | None = None) -> dict[str, str]:
    """grade id -> the rubric text for it: the ``## <grade id>`` sections of one rubric file,
    or of every ``checks/*_rubric.md`` (a grade id may have one rubric in the course)."""
    sections: dict[str, str] = {}
    for f in [path] if path is not None else sorted(RUBRICS.glob("*_rubric.md")):
        if not f.is_file():
            continue
        parts = re.split(r"^## +(\S+)\s*$", f.read_text(), flags=re.M)
        for i in range(1, len(parts) - 1, 2):
            if parts[i] in sections:
                raise ValueError(f"two rubrics for the grade id {parts[i]!r} (the second in {f.name})")
            sections[parts[i]] = parts[i + 1].strip().strip("-").strip()
    return sections


def add_rubric(nb, rubric: dict[str, str] | None = None) -> int:
    """After each free-response answer, a grader-only cell with the rubric for it.
    Returns how many were added; running it twice adds nothing more."""
    rubric = rubric_sections() if rubric is None else rubric
    added, cells = 0, []
    for cell in nb.cells:
        if GRADER_ONLY in cell.get("metadata", {}).get("tags", []):
            continue  # an earlier copy: replaced below
        cells.append(cell)
        gid = notebook.grade_id(cell)
        if notebook.is_manual(cell) and gid in rubric:
            text = f"**Rubric for `{gid}` (graders only; not in the student's feedback)**\n\n{rubric[gid]}"
            cells.append(nbformat.v4.new_markdown_cell(text, metadata={"tags": [GRADER_ONLY]}))
            added += 1
    nb.cells = cells
    return added


def strip_grader_only(nb) -> None:
    nb.cells = [c for c in nb.cells if GRADER_ONLY not in c.get("metadata", {}).get("tags", [])]
