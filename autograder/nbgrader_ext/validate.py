"""``nbgrader validate`` in this course: a notebook that passes says what passing means.

nbgrader prints "Success! Your notebook passes all the tests." whenever no graded cell
fails. Here the released graded cells run only the public checks (the hidden checks run
at grading), so that sentence would promise more than Validate knows.
"""

from __future__ import annotations

from nbgrader.validator import Validator

PASSED = ("Your notebook passes its public checks. The hidden checks run only when your work is "
          "graded, on fresh inputs: passing here does not mean full marks.\n")


def use_honest_wording() -> None:
    if getattr(Validator, "_honest_wording", False):
        return
    original = Validator._print_num_failed

    def _print_num_failed(self, num_failed: int) -> None:
        if num_failed == 0:
            self.stream.write(PASSED)
        else:
            original(self, num_failed)

    Validator._print_num_failed = _print_num_failed
    Validator._honest_wording = True
