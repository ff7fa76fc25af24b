"""nbgrader configuration for the course. The course directory is this repository."""

import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by nbgrader

# The course's own autograder package (trusted autograde, feedback steps) comes first.
sys.path.insert(0, str(Path(__file__).resolve().parent))

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "la4ml"
c.CourseDirectory.db_url = f"sqlite:///{Path(__file__).resolve().parent / 'gradebook.db'}"

# Student notebooks carry no outputs; hidden tests never reach them.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# A cell that runs longer than this is stopped (nbgrader's limit is per cell).
c.ExecutePreprocessor.timeout = 120
c.Execute.timeout = 120

# `nbgrader autograde` (and formgrader's Autograde button) never runs the hidden checks in
# the student's kernel: the notebook is graded by the platform's engine (sandboxed student
# code, verdicts judged outside it), and each graded cell gets its verdict as its output.
c.Autograde.autograde_preprocessors = [
    "autograder.nbgrader_ext.TrustedExecute",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.TrustedExecute.course_root = str(Path(__file__).resolve().parent)

# Feedback never shows hidden-test source (nbgrader's default feedback does), nor the
# rubric cells the grader's copy carries.
c.GenerateFeedback.preprocessors = [
    "autograder.nbgrader_ext.feedback.RemoveGraderOnly",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
]

# Released hidden-check cells re-run the public checks silently, so Validate fails naming
# an unanswered or failing function and prints nothing that looks like a hidden pass.
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearSolutions",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "autograder.nbgrader_ext.release.ValidatableHiddenChecks",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# `nbgrader validate` says that passing means passing the public checks only.
from autograder.nbgrader_ext.validate import use_honest_wording  # noqa: E402

use_honest_wording()

# Executed solutions, without hidden tests, go to solutions/<id>/.
c.CourseDirectory.solution_directory = "solutions"
c.GenerateSolution.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.ClearMarkScheme",
    "autograder.nbgrader_ext.release.ValidatableHiddenChecks",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.Execute",
]

# Late work: a share of the score per started day late, capped (autograder/late.py);
# per-student extensions in extensions.csv at the course root.
c.AssignLatePenalties.plugin_class = "autograder.late.LatePenaltyPlugin"
c.LatePenaltyPlugin.penalty_per_day = 0.10
c.LatePenaltyPlugin.max_penalty = 0.50
c.LatePenaltyPlugin.grace_minutes = 0
