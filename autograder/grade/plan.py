"""What grading an assignment means, read from its trusted source notebook.

The plan lists the graded cells (grade id, points), the hidden checks each one calls, and
the manually graded answers. It is read from ``source/``, never from a submission.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field

from autograder.build import notebook
from autograder.checks import load_all
from autograder.paths import Course


@dataclass
class CheckCall:
    check_id: str  # "vectors.cosine_pairwise"
    target: str  # the notebook name handed to it: "cosine_similarity"


@dataclass
class GradedCell:
    grade_id: str
    points: float
    calls: list[CheckCall] = field(default_factory=list)
    manual: bool = False


@dataclass
class Plan:
    assignment: str
    notebook: str  # file name expected in a submission
    cells: list[GradedCell]
    source: object  # the source notebook (nbformat)
    fingerprint: str  # changes when the source notebook changes
    # The assignment's setting (source notebook metadata autograder.dependent_questions =
    # "keep_points"): a question that fails only through a failed function it calls keeps
    # its points if it passes once that function is the reference. The prompt says so.
    keep_dependent_points: bool = False
    references: dict = field(default_factory=dict)  # function -> its reference solution cell

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.cells)


def check_calls(source: str) -> list[CheckCall]:
    """``<module>.check_<name>(<target>)`` calls in a hidden-check cell."""
    code = source.replace("### BEGIN HIDDEN TESTS", "").replace("### END HIDDEN TESTS", "")
    calls = []
    for node in ast.walk(ast.parse(code)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.attr.startswith("check_")
                and len(node.args) == 1 and isinstance(node.args[0], ast.Name)):
            calls.append(CheckCall(f"{node.func.value.id}.{node.func.attr[len('check_'):]}", node.args[0].id))
    return calls


def load_plan(course: Course, assignment: str) -> Plan:
    path = course.source_notebook(assignment)
    if not path.exists():
        known = ", ".join(course.assignments()) or "none"
        raise FileNotFoundError(f"no assignment {assignment!r} in {course.source} (known: {known})")
    raw = path.read_bytes()
    nb = notebook.read(path)
    registry = load_all()
    cells = []
    for cell in nb.cells:
        if notebook.is_manual(cell):
            cells.append(GradedCell(notebook.grade_id(cell), float(notebook.meta(cell).get("points", 0)), manual=True))
        elif notebook.is_hidden_check(cell):
            calls = check_calls(cell.source)
            if not calls:
                raise ValueError(f"{assignment}: graded cell {notebook.grade_id(cell)} calls no registered check")
            for call in calls:
                if call.check_id not in registry:
                    raise ValueError(f"{assignment}: cell {notebook.grade_id(cell)} calls unknown check {call.check_id}")
            cells.append(GradedCell(notebook.grade_id(cell), float(notebook.meta(cell).get("points", 0)), calls))
    code_version = hashlib.sha256(raw).hexdigest()[:16]
    keep = dependent_setting(nb) == KEEP_POINTS
    return Plan(assignment, path.name, cells, nb, code_version, keep, references(nb) if keep else {})


KEEP_POINTS, LOSE_POINTS = "keep_points", "lose_points"


def dependent_setting(nb) -> str:
    """The assignment's rule for a question that fails through another failed function."""
    value = nb.metadata.get("autograder", {}).get("dependent_questions", LOSE_POINTS)
    if value not in (KEEP_POINTS, LOSE_POINTS):
        raise ValueError(f"autograder.dependent_questions must be {KEEP_POINTS!r} or {LOSE_POINTS!r}, not {value!r}")
    return value


def references(nb) -> dict[str, str]:
    """Each solution cell's reference code, by grade id (the function it defines)."""
    return {notebook.grade_id(c): c.source for c in nb.cells
            if c.cell_type == "code" and notebook.is_solution(c) and notebook.grade_id(c)}
