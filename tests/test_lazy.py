"""Packages whose start-up grading defers (autograder.lazy) still work when used."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from tests.helpers import REPO

UNZIP = """
import sys
import autograder
from nbgrader import api, utils
print("setuptools before use:", "setuptools" in sys.modules)
utils.unzip(sys.argv[1], sys.argv[2])
print("setuptools after use:", "setuptools" in sys.modules)
"""


def test_the_gradebook_loads_without_setuptools_and_nbgrader_unzip_still_works(tmp_path):
    archive = tmp_path / "hand-in.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("alice/01-vectors.ipynb", "{}")
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run([sys.executable, "-c", UNZIP, str(archive), str(out)], cwd=REPO, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["setuptools before use: False", "setuptools after use: True"]
    assert (out / "alice" / "01-vectors.ipynb").read_text() == "{}"
