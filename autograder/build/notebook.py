"""Small helpers on nbgrader notebooks: what a cell is, and a normal form for committing."""

from __future__ import annotations

from pathlib import Path

import nbformat

PUBLIC_TAG = "public-test"


def meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def grade_id(cell) -> str:
    return meta(cell).get("grade_id", "")


def is_solution(cell) -> bool:
    m = meta(cell)
    return bool(m.get("solution")) and not m.get("grade") and cell.cell_type == "code"


def is_manual(cell) -> bool:
    """A free-response answer graded by hand (nbgrader: solution and grade, markdown)."""
    m = meta(cell)
    return bool(m.get("solution")) and bool(m.get("grade")) and cell.cell_type == "markdown"


def is_hidden_check(cell) -> bool:
    m = meta(cell)
    return cell.cell_type == "code" and bool(m.get("grade")) and not m.get("solution")


def is_public_test(cell) -> bool:
    return cell.cell_type == "code" and PUBLIC_TAG in cell.get("metadata", {}).get("tags", [])


def cell_id(index: int) -> str:
    """Released cells get ids from their position, which nbgrader keeps from the source, so
    a submitted cell can be matched to its source cell even without nbgrader metadata."""
    return f"cell-{index:03d}"


def normalise(nb: nbformat.NotebookNode, keep_outputs: bool = False) -> nbformat.NotebookNode:
    """The committed form: stable cell ids, no execution noise, only kernel metadata."""
    nb = nbformat.from_dict(nb)
    nb.nbformat, nb.nbformat_minor = 4, 5
    keep = {"kernelspec", "language_info", "otter"}
    nb.metadata = {k: v for k, v in nb.metadata.items() if k in keep}
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for index, cell in enumerate(nb.cells):
        cell["id"] = cell_id(index)
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        if cell.cell_type == "code":
            if not keep_outputs:
                cell.outputs, cell.execution_count = [], None
            else:
                # How a kernel splits printed text into chunks depends on timing: merge them.
                from nbconvert.preprocessors import CoalesceStreamsPreprocessor  # not needed to grade

                nb.cells[index], _ = CoalesceStreamsPreprocessor().preprocess_cell(cell, {}, index)
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb) + "\n"
    path.write_text(text)


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(path), as_version=4)
