"""The grading plan shipped in the zip, derived at build time from what the release
already contains plus the checks: grade ids, points, check ids and targets, and the
released notebook (its locked and test cells; its answer cells are the blank stubs). An
assignment whose dependent questions keep their points ships its reference functions too:
the re-check of such a question runs it with them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat

from autograder.build import notebook
from autograder.grade.plan import CheckCall, GradedCell, Plan, load_plan
from autograder.paths import Course


class StaleRelease(ValueError):
    """The released notebook does not match the source notebook's graded cells."""


def plan_document(course: Course, assignment: str) -> tuple[dict, bytes]:
    """(plan.json document, released notebook bytes). The release must exist and agree with
    the source on every grade id."""
    plan = load_plan(course, assignment)
    release = course.release_notebook(assignment)
    raw = release.read_bytes() if release.exists() else clear(plan.source)
    released = nbformat.reads(raw.decode(), as_version=4)
    source_ids = [notebook.grade_id(c) for c in plan.source.cells]
    release_ids = [notebook.grade_id(c) for c in released.cells]
    if source_ids != release_ids:
        raise StaleRelease(f"{release} does not match source/{assignment}: rebuild it (make release)")
    for cell in released.cells:
        if "BEGIN SOLUTION" in cell.source or "BEGIN HIDDEN TESTS" in cell.source:
            raise StaleRelease(f"{release} still holds a solution or hidden test in cell {notebook.grade_id(cell)}")
    doc = {
        "assignment": assignment,
        "notebook": plan.notebook,
        "fingerprint": hashlib.sha256(raw).hexdigest()[:16],
        "cells": [{"grade_id": c.grade_id, "points": c.points, "manual": c.manual,
                   "calls": [{"check_id": k.check_id, "target": k.target} for k in c.calls]}
                  for c in plan.cells],
    }
    if plan.keep_dependent_points:  # the re-check needs the reference functions (root-only in the zip)
        doc["keep_dependent_points"], doc["references"] = True, plan.references
    return doc, raw


def clear(source) -> bytes:
    """The student version of a source notebook, as nbgrader releases it (solutions and
    hidden tests cleared, no outputs): used when the release has not been built."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearOutput, ClearSolutions

    from autograder.nbgrader_ext.release import ValidatableHiddenChecks

    nb, resources = nbformat.from_dict(source), {}
    for step in (ClearSolutions(), ValidatableHiddenChecks(), ClearHiddenTests(), ClearOutput()):
        nb, resources = step.preprocess(nb, resources)
    return (nbformat.writes(nb) + "\n").encode()


def data_files(course: Course, assignment: str) -> list[Path]:
    """The files the release ships beside the notebook (data), from the release if built."""
    folder = course.release / assignment
    if not folder.is_dir():
        folder = course.source / assignment
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".ipynb" and not p.name.startswith("."))


def load(folder: Path, assignment: str) -> Plan:
    """The Plan the engine grades with, from ``<folder>/<assignment>.json`` and ``.ipynb``."""
    doc = json.loads((folder / f"{assignment}.json").read_text())
    nb = notebook.read(folder / f"{assignment}.ipynb")
    cells = [GradedCell(c["grade_id"], float(c["points"]),
                        [CheckCall(k["check_id"], k["target"]) for k in c["calls"]], bool(c["manual"]))
             for c in doc["cells"]]
    return Plan(doc["assignment"], doc["notebook"], cells, nb, doc["fingerprint"],
                bool(doc.get("keep_dependent_points")), dict(doc.get("references", {})))
