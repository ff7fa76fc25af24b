"""make bench compares the median of its three engine runs, and counts a wrong score in any."""
from benchmarks.grading import median_run


def test_the_median_engine_run_is_compared_and_a_wrong_score_in_any_run_counts():
    runs = [{"wall_s": 3.4, "scores": {"a": 2.0, "b": 0.0}},
            {"wall_s": 2.1, "scores": {"a": 2.0, "b": 0.0}},
            {"wall_s": 2.6, "scores": {"a": 2.0, "b": 2.0}}]
    chosen = median_run(runs, {"a": 2.0, "b": 0.0})
    assert chosen["wall_s"] == 2.6
    assert chosen["runs_wall_s"] == [3.4, 2.1, 2.6]
    assert chosen["scores_ok"] == 1  # the 2.6 s run gave b full marks
