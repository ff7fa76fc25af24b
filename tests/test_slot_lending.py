"""A class is graded by more threads than sandbox slots: a slot is lent for each sandbox
run only, so one thread reads or judges a notebook while the others run theirs. A
submission's time limit and its reported duration start when it gets a slot, not while
it waits for one."""
from __future__ import annotations

import json
import threading
import time

import pytest

from autograder.grade import warmup
from autograder.grade.batch import DEFAULT_LIMITS, Options, grade_class
from autograder.paths import Course
from autograder.sandbox import Limits
from tests.helpers import put_submission, with_answer


def _pool_size() -> int:
    return warmup.slot_pool().qsize()


def test_no_slot_is_lent_twice_at_once_and_all_go_back_to_the_pool():
    before = _pool_size()
    slots = warmup.Slots(2)
    assert _pool_size() == before - 2
    held: list[int] = []
    most, twice = [0], []
    lock = threading.Lock()

    def run():
        for _ in range(20):
            with slots.lend() as n:
                with lock:
                    if n in held:
                        twice.append(n)
                    held.append(n)
                    most[0] = max(most[0], len(held))
                time.sleep(0.001)
                with lock:
                    held.remove(n)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert twice == []
    assert most[0] == 2  # six threads, never more than the two slots at once
    slots.close()
    assert _pool_size() == before


def test_a_slot_lent_when_the_class_closes_goes_back_when_its_run_ends_and_a_late_run_still_gets_one():
    before = _pool_size()
    slots = warmup.Slots(1)
    with slots.lend() as n:
        slots.close()
        assert _pool_size() == before - 1  # still in use: not handed to anyone else
    assert _pool_size() == before
    with slots.lend() as late:  # a thread that started before close() and runs after it
        assert isinstance(late, int)
        assert _pool_size() == before - 1
    assert _pool_size() == before
    assert n is not None


SLEEPY = "import time\ntime.sleep(3)\ndef dot(a, b):\n    return float(sum(x * y for x, y in zip(a, b)))\n"


@pytest.mark.sandbox
def test_a_submission_waiting_for_the_only_slot_keeps_its_whole_time_limit(mini_copy, tmp_path):
    """One slot, two 3-second notebooks, a 5-second limit: the second waits about 3 s for
    the slot; counted from the start of the class it would have 2 s left and time out."""
    release = json.loads(Course(mini_copy).release_notebook("mini").read_text())
    sub = tmp_path / "submitted"
    for student in ("ann", "bob"):
        put_submission(sub, student, "mini", with_answer(release, "dot", SLEEPY))
    limits = Limits(**{**DEFAULT_LIMITS, "wall_s": 5.0})
    started = time.monotonic()
    results = grade_class(Course(mini_copy), "mini", Options(submitted=sub, workers=1, progress=False,
                                                             limits=limits), log=lambda *a: None)
    took = time.monotonic() - started
    assert {r.student_id: (r.status, r.score) for r in results} == {"ann": ("graded", 2.0), "bob": ("graded", 2.0)}
    assert took > 6.0  # one after the other: there was a wait
    for r in results:
        assert "wait" not in r.timing
        assert 3.0 <= r.duration_s < 5.0  # its own run, not the other's
