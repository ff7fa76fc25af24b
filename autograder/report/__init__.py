"""Class analytics (``python -m autograder report``): an HTML report with embedded plots,
and the numbers as CSV."""
