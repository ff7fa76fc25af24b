"""What each assignment's generated trees were built from, so a build can be skipped.

``manifests/<id>.json`` (committed beside the generated trees) records a content hash of
every input of an assignment's build, the hash of every file it generated, and the hash of
its golden summary. An assignment is *fresh* when its inputs still hash the same and its
generated files are still the recorded ones; ``make release`` rebuilds only the others, and
the tests rebuild nothing that is fresh.

The inputs of one assignment: everything in ``source/<id>/`` (data files followed through
their links), the course's ``nbgrader_config.py``, the build code, the modules of this
package the notebook imports or whose checks it calls (with everything those import from
the package), and the versions of the tools that generate or execute the notebooks.
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
from importlib import metadata
from pathlib import Path

from autograder.build import notebook
from autograder.paths import PACKAGE, Course

# The code that decides what is generated (not the code that schedules builds).
BUILD_CODE = ["build/notebook.py", "build/otter.py", "build/release.py"]
TOOLS = ["nbgrader", "otter-grader", "nbconvert", "nbformat", "nbclient", "ipykernel", "numpy", "scipy",
         "scikit-learn", "matplotlib", "pandas", "torch"]
TREES = ["release", "release-otter", "solutions"]


def manifest_path(course: Course, assignment: str) -> Path:
    return course.root / "manifests" / f"{assignment}.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _module_file(name: str) -> Path | None:
    """The file of a module of this package (``autograder.checks.vectors``), if any."""
    parts = name.split(".")
    if parts[0] != "autograder":
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(path: Path) -> set[str]:
    """Modules of this package that a file (or code string) imports."""
    return _imports_of(path.read_text())


def _imports_of(code: str) -> set[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return {n for n in found if n.split(".")[0] == "autograder"}


def package_closure(modules: set[str]) -> list[Path]:
    """Files of every module named, and of every package module they import, recursively
    (a package's ``__init__.py`` included)."""
    seen: set[Path] = set()
    todo = set(modules)
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # autograder, autograder.checks, autograder.checks.core
            path = _module_file(".".join(parts[:i]))
            if path is not None and path not in seen:
                seen.add(path)
                todo |= _imports(path)
    # Checks register their probes through the harness: the probes a check names run too.
    if any(p.parent.name == "checks" for p in seen):
        for path in (PACKAGE / "harness").glob("*.py"):
            if path not in seen:
                seen.add(path)
                for extra in package_closure(_imports(path)):
                    seen.add(extra)
    return sorted(seen)


def _notebook_modules(source: Path) -> set[str]:
    """Package modules the source notebook imports, and the topic of every check it calls."""
    nb = notebook.read(source)
    modules = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        code = cell.source.replace("### BEGIN HIDDEN TESTS", "").replace("### END HIDDEN TESTS", "")
        code = code.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", "")
        modules |= _imports_of(code)
    return modules


def inputs(course: Course, assignment: str) -> dict[str, str]:
    """Every input of the assignment's build, by name, with its content hash."""
    found: dict[str, str] = {}
    folder = course.source / assignment
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and ".ipynb_checkpoints" not in path.parts:
            found[f"source/{path.relative_to(folder.parent).as_posix()}"] = sha256(path.read_bytes())
    config = course.root / "nbgrader_config.py"
    if config.exists():
        found["nbgrader_config.py"] = sha256(config.read_bytes())
    modules = _notebook_modules(course.source_notebook(assignment))
    files = {PACKAGE / name for name in BUILD_CODE} | set(package_closure(modules))
    for path in sorted(files):
        found[f"autograder/{path.relative_to(PACKAGE).as_posix()}"] = sha256(path.read_bytes())
    found["python"] = "%d.%d" % sys.version_info[:2]
    for tool in TOOLS:
        try:
            found[f"tool:{tool}"] = metadata.version(tool)
        except metadata.PackageNotFoundError:
            found[f"tool:{tool}"] = "absent"
    return found


def comparable_solution(path: Path) -> bytes:
    """An executed notebook without what legitimately varies between runs: image bytes."""
    nb = notebook.read(path)
    cells = []
    for cell in nb.cells:
        outputs = []
        for out in cell.get("outputs", []):
            data = {k: v for k, v in out.get("data", {}).items() if not k.startswith("image/")}
            outputs.append({"type": out.output_type, "text": out.get("text", ""), "data": data})
        cells.append({"type": cell.cell_type, "source": cell.source, "outputs": outputs})
    return json.dumps(cells, sort_keys=True).encode()


def file_hash(tree: str, path: Path) -> str:
    if tree == "solutions" and path.suffix == ".ipynb":
        return sha256(comparable_solution(path))
    return sha256(path.read_bytes())


def outputs(course: Course, assignment: str) -> dict[str, str]:
    """Every generated file of the assignment (outside ``build/``), with its hash."""
    found = {}
    for tree in TREES:
        folder = course.root / tree / assignment
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                found[path.relative_to(course.root).as_posix()] = file_hash(tree, path)
    return found


def golden_text(summary: dict) -> str:
    """How a golden summary is written to ``tests/goldens/<id>.json``."""
    return json.dumps(summary, indent=1, sort_keys=True) + "\n"


def summary(course: Course, assignment: str) -> dict:
    """What the build makes beyond the committed notebooks: the graded cells and otter's
    autograder zip (its file list, tests and configuration, without the package copy)."""
    import zipfile

    from autograder.build.release import otter_zip
    from autograder.grade.plan import load_plan

    plan = load_plan(course, assignment)
    with zipfile.ZipFile(otter_zip(course, assignment)) as zf:
        names = sorted(n for n in zf.namelist() if not n.startswith("files/autograder/"))
        tests = {n: zf.read(n).decode() for n in names if n.startswith("tests/")}
        config = json.loads(zf.read("otter_config.json"))
    return {
        "graded_cells": [{"grade_id": c.grade_id, "points": c.points, "manual": c.manual,
                          "checks": [f"{k.check_id}({k.target})" for k in c.calls]} for c in plan.cells],
        "max_score": plan.max_score,
        "otter_zip_files": names,
        "otter_tests": tests,
        "otter_config": config,
    }


def record(course: Course, assignment: str, built_inputs: dict[str, str]) -> dict:
    """Write the manifest of a build that has just finished (otter zip included)."""
    doc = {
        "assignment": assignment,
        "inputs": built_inputs,
        "outputs": outputs(course, assignment),
        "summary_sha256": sha256(golden_text(summary(course, assignment)).encode()),
    }
    path = manifest_path(course, assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
    return doc


def load(course: Course, assignment: str) -> dict | None:
    path = manifest_path(course, assignment)
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return None


def why_stale(course: Course, assignment: str) -> str | None:
    """None if the committed trees are what the current inputs build; else why not."""
    doc = load(course, assignment)
    if doc is None:
        return "it has never been built (no manifest)"
    now = inputs(course, assignment)
    changed = sorted(k for k in set(now) | set(doc["inputs"]) if now.get(k) != doc["inputs"].get(k))
    if changed:
        return "its inputs changed: " + ", ".join(changed[:5]) + (" ..." if len(changed) > 5 else "")
    have = outputs(course, assignment)
    edited = sorted(k for k in set(have) | set(doc["outputs"]) if have.get(k) != doc["outputs"].get(k))
    if edited:
        return "generated files differ from the build: " + ", ".join(edited[:5])
    return None
