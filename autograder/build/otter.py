"""Derive an otter-grader master notebook from an nbgrader source notebook.

One source, two graders: the nbgrader source is the truth, and this module writes the
otter assign (format v1) master that ``otter assign`` turns into otter's student notebook
and Gradescope autograder zip. docs/authoring.md describes the mapping.
"""

from __future__ import annotations

import ast
import builtins
import re
import textwrap

import nbformat

from autograder.build.notebook import grade_id, is_hidden_check, is_manual, is_public_test, is_solution

BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"


def otter_master(source: nbformat.NotebookNode, name: str, requirements: str, data_files: list[str],
                 support_dir: str = "autograder") -> nbformat.NotebookNode:
    """The otter master notebook for an nbgrader source notebook."""
    cells = list(source.cells)
    out = [_raw(_assignment_config(name, requirements, data_files, support_dir))]
    i = 0
    while i < len(cells):
        cell = cells[i]
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        prompt = None
        if cell.cell_type == "markdown" and not is_manual(cell) and nxt is not None and (is_solution(nxt) or is_manual(nxt)):
            prompt, cell, i = cell, nxt, i + 1
        if is_manual(cell):
            out += _manual_question(prompt, cell)
            i += 1
            continue
        if is_solution(cell) and cell.cell_type == "code":
            tests, others, j = _tests_after(cells, i + 1)
            out += _question(prompt, cell, tests)
            out += [_plain(c) for c in others]
            i = j
            continue
        if prompt is not None:
            out.append(_plain(prompt))
        out.append(_plain(cell))
        i += 1
    master = nbformat.v4.new_notebook(cells=out, metadata=dict(source.metadata))
    master.metadata.pop("nbgrader", None)
    return master


def _tests_after(cells, start):
    """Test cells that belong to the question, the other cells met on the way, and where
    the question ends (the next solution cell)."""
    tests, others = [], []
    j = start
    while j < len(cells) and not (is_solution(cells[j]) or is_manual(cells[j])):
        cell = cells[j]
        if cells[j].cell_type == "markdown" and j + 1 < len(cells) and (is_solution(cells[j + 1]) or is_manual(cells[j + 1])):
            break  # the next question's prompt
        (tests if is_public_test(cell) or is_hidden_check(cell) else others).append(cell)
        j += 1
    return tests, others, j


def _question(prompt, solution, tests) -> list:
    name = grade_id(solution)
    out = [_raw(f"# BEGIN QUESTION\nname: {name}")]
    if prompt is not None:
        out.append(_plain(prompt))
    out.append(_raw("# BEGIN SOLUTION"))
    out.append(nbformat.v4.new_code_cell(_otter_solution(solution.source)))
    out.append(_raw("# END SOLUTION"))
    out.append(_raw("# BEGIN TESTS"))
    hidden_points = sum(float(t.metadata["nbgrader"].get("points", 0)) for t in tests if is_hidden_check(t))
    for test in tests:
        out.append(nbformat.v4.new_code_cell(_test_cell(test, hidden_points)))
    out.append(_raw("# END TESTS"))
    out.append(_raw("# END QUESTION"))
    return out


def _manual_question(prompt, answer) -> list:
    points = answer.metadata["nbgrader"].get("points", 0)
    out = [_raw(f"# BEGIN QUESTION\nname: {grade_id(answer)}\nmanual: true\npoints: {_num(points)}")]
    if prompt is not None:
        out.append(_plain(prompt))
    out.append(_raw("# BEGIN SOLUTION"))
    out.append(nbformat.v4.new_markdown_cell(answer.source))
    out.append(_raw("# END SOLUTION"))
    out.append(_raw("# END QUESTION"))
    return out


def _otter_solution(source: str) -> str:
    source = re.sub(r"^(\s*)### BEGIN SOLUTION\s*$", r"\1# BEGIN SOLUTION", source, flags=re.M)
    return re.sub(r"^(\s*)### END SOLUTION\s*$", r"\1# END SOLUTION", source, flags=re.M)


def sanity_message(hidden_points: float) -> str:
    """What ``grader.check`` adds when a question's public tests pass: they are sanity
    checks, and the points come from hidden checks run at grading. (Plain words: otter
    writes it into YAML and into a double-quoted Python string.)"""
    if not hidden_points:
        return "These are sanity checks only. This question is graded when your work is graded."
    pts = f"{_num(hidden_points)} point{'s' if hidden_points != 1 else ''}"
    return (f"These are sanity checks only, not your score. The hidden checks ({pts}) run when your "
            f"work is graded, on fresh inputs, and can still fail.")


def _test_cell(cell, hidden_points: float = 0) -> str:
    """An otter exception-based test: a config block, then one function whose parameters
    are the notebook names the test uses (otter passes them in from the notebook).
    A public test's success message says that the hidden checks run at grading."""
    hidden = is_hidden_check(cell)
    body = _strip_docstring(cell.source.replace(BEGIN_HIDDEN, "").replace(END_HIDDEN, ""))
    points = cell.metadata["nbgrader"].get("points", 0) if hidden else 0
    params = ", ".join(free_names(body))
    message = "" if hidden else f"\nsuccess_message: {sanity_message(hidden_points)}"
    config = (f'""" # BEGIN TEST CONFIG\nhidden: {str(hidden).lower()}\npoints: {_num(points)}{message}\n'
              f'""" # END TEST CONFIG')
    func = f"def test_{grade_id(cell)}({params}):\n" + textwrap.indent(body.strip() or "pass", "    ")
    return f"{config}\n{func}"


def free_names(code: str) -> list[str]:
    """Names a piece of code reads but does not define (excluding builtins), in order."""
    tree = ast.parse(code)
    defined, used = set(), []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            defined |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined.add(node.id)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in used:
            used.append(node.id)
    return [n for n in sorted(used) if n not in defined and not hasattr(builtins, n)]


def _strip_docstring(source: str) -> str:
    tree = ast.parse(source)
    if tree.body and isinstance(tree.body[0], ast.Expr) and isinstance(tree.body[0].value, ast.Constant) \
            and isinstance(tree.body[0].value.value, str):
        lines = source.splitlines()
        return "\n".join(lines[tree.body[0].end_lineno:])
    return source


def _assignment_config(name, requirements, data_files, support_dir) -> str:
    files = "".join(f"\n  - {f}" for f in data_files)
    return (
        "# ASSIGNMENT CONFIG\n"
        f"name: {name}\n"
        f"requirements: {requirements}\n"
        "tests:\n  files: false\n  ok_format: false\n"
        "python_version: \"3.11\"\n"
        "init_cell: true\n"
        "check_all_cell: true\n"
        "export_cell:\n  pdf: false\n  run_tests: true\n"
        "generate:\n  pdf: false\n  show_stdout: false\n"
        f"files:{files if files else ' []'}\n"
        f"autograder_files:\n  - {support_dir}\n"
    )


def _plain(cell):
    """The cell without nbgrader metadata (otter has no use for it)."""
    copy = nbformat.from_dict(dict(cell))
    copy.metadata.pop("nbgrader", None)
    if copy.cell_type == "code":
        copy.outputs, copy.execution_count = [], None
    return copy


def _raw(text: str):
    return nbformat.v4.new_raw_cell(text)


def _num(x):
    return int(x) if float(x).is_integer() else float(x)
