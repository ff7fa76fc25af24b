"""``nbgrader generate_assignment`` step: what a released hidden-check cell holds.

nbgrader releases a hidden-check cell as what is left outside its hidden block: here a
docstring, which Validate counted as a pass (and echoed as an output that nbgrader tried
to read as a score). Instead the released cell re-runs the public checks of the
function(s) the hidden checks grade, silently, and fails naming the function when it is
unanswered or fails them; its comment says the hidden checks run only at grading.
The hidden block itself is kept for the gradebook and removed by ``ClearHiddenTests``.
"""

from __future__ import annotations

import ast
import textwrap

from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.build import notebook
from autograder.grade.plan import check_calls

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"


def _docstring(source: str) -> str:
    head = source.split(HIDDEN_BEGIN)[0]
    try:
        tree = ast.parse(head)
    except SyntaxError:
        return ""
    return (ast.get_docstring(tree) or "").strip()


def _hidden_block(source: str) -> str:
    at = source.find(HIDDEN_BEGIN)
    return source[at:] if at >= 0 else ""


def public_checks(cells, index: int, target: str) -> str:
    """The code of the public-test cell for ``target``: the one with grade id
    ``<target>_public``, else the nearest public-test cell above the hidden-check cell."""
    for cell in cells:
        if notebook.is_public_test(cell) and notebook.grade_id(cell) == f"{target}_public":
            return cell.source
    for cell in reversed(cells[:index]):
        if notebook.is_public_test(cell):
            return cell.source
    return f"{target}"  # no public test: at least it must be defined


def validation_code(target: str, checks: str) -> str:
    name = f"_public_checks_{target}"
    body = textwrap.indent(checks.strip() or "pass", "    ")
    return (
        f"def {name}():\n{body}\n\n"
        f"try:\n"
        f"    with __import__('contextlib').redirect_stdout(__import__('io').StringIO()):\n"
        f"        {name}()\n"
        f"except NotImplementedError:\n"
        f"    raise AssertionError('`{target}` is not answered yet') from None\n"
        f"except NameError as error:\n"
        f"    raise AssertionError(f'`{target}` is not answered yet, or its cell has not run ({{error}})') from None\n"
        f"except AssertionError as error:\n"
        f"    raise AssertionError(f'`{target}` fails its public checks: {{error}}') from None\n"
        f"except Exception as error:\n"
        f"    raise AssertionError(f'`{target}` fails its public checks: {{type(error).__name__}}: {{error}}') from None\n"
        f"finally:\n"
        f"    del {name}\n"
    )


def released_source(cells, index: int) -> str:
    cell = cells[index]
    points = notebook.meta(cell).get("points", 0)
    targets = list(dict.fromkeys(call.target for call in check_calls(cell.source)))
    what = _docstring(cell.source)
    names = ", ".join(f"`{t}`" for t in targets)
    text = (f"Hidden checks ({points:g} point{'s' if points != 1 else ''})" + (f": {what}." if what else ".")
            + f" They run only when your work is graded, on fresh inputs. Here Validate runs the public"
            f" checks of {names} again: passing them does not mean the hidden checks pass. This cell"
            f" prints nothing when the public checks pass.")
    header = textwrap.fill(text.replace("..", "."), 95, initial_indent="# ", subsequent_indent="# ")
    code = "\n".join(validation_code(t, public_checks(cells, index, t)) for t in targets)
    return f"{header}\n{code}{_hidden_block(cell.source)}"


class ValidatableHiddenChecks(NbGraderPreprocessor):
    """Place between nbgrader's ``SaveCells`` and ``ClearHiddenTests``."""

    def preprocess(self, nb, resources):
        for index, cell in enumerate(nb.cells):
            if notebook.is_hidden_check(cell) and check_calls(cell.source):
                cell.source = released_source(nb.cells, index)
        return nb, resources
