"""Grade exports for LMSs (``python -m autograder export``): Canvas, Moodle, Gradescope,
nbgrader's CSV and a wide CSV. Scores from the nbgrader gradebook, messages from result.json."""
