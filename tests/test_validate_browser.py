"""JupyterLab's Validate button on the untouched 01-vectors release, in headless Chromium:
it fails and names every unanswered function (before, it said the notebook "passes all
the tests"). Screenshot: tests/artifacts/validate-blank.png."""

import shutil
import tempfile

from tests.helpers import REPO, copy_course
from tests.test_feedback import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _browser
from tests.test_formgrader_browser import jupyter_server
from tests.test_validate import TARGETS

ASSIGNMENT = "01-vectors"


def test_validate_button_fails_a_blank_notebook_naming_functions(tmp_path):
    sync_playwright = _browser()
    root = copy_course(REPO, tmp_path / "course")
    work = root / "work"
    shutil.copytree(root / "release" / ASSIGNMENT, work)
    ARTIFACTS.mkdir(exist_ok=True)
    with jupyter_server(root, tmp_path / "jupyter") as base, sync_playwright() as pw, \
            tempfile.TemporaryDirectory() as profile:
        context = pw.chromium.launch_persistent_context(profile, executable_path=str(CHROMIUM), headless=True,
                                                        args=CHROMIUM_ARGS, viewport={"width": 1200, "height": 900})
        try:
            page = context.new_page()
            page.goto(f"{base}/lab/tree/work/{ASSIGNMENT}.ipynb", timeout=120_000)
            page.wait_for_selector(".validate-button", timeout=120_000)
            page.click(".validate-button")
            dialog = page.wait_for_selector(".validation-failed, .validation-success", timeout=300_000)
            text = dialog.inner_text()
            page.screenshot(path=str(ARTIFACTS / "validate-blank.png"))
            # The first error as the student reads it (the dialog lists every failed cell).
            page.locator(".validation-failed pre", has_text="AssertionError: `dot` is not answered yet").first.screenshot(
                path=str(ARTIFACTS / "validate-blank-error.png"))
        finally:
            context.close()
    assert "passes all the tests" not in text
    for target in TARGETS:
        assert f"AssertionError: `{target}` is not answered yet" in text, target
