"""The Gradescope autograder: a zip that grades one submission per container run.

* ``build``: the zip. It holds the released notebook and a plan (grade ids, points, which
  check judges which function), the checks and the grading engine; never a solution, a
  rubric or the source notebook.
* ``container``: what ``run_autograder`` calls inside Gradescope's container.
* ``isolation``: how student code is kept away from the grader there: bubblewrap when the
  container allows namespaces, else a separate unprivileged uid; if neither holds, the
  submission is not graded at all.
* ``results``: our result as Gradescope's ``results.json``.
"""
