"""Grader processes on one machine never share a range of sandbox slots (and so of uids):
cleaning up a slot kills every process of its uid."""
from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO

CLAIM = ("import sys; from autograder.grade import warmup; "
         "print(warmup.slot_pool().get() // 64, flush=True); sys.stdin.read()")


def _start(env):
    return subprocess.Popen([sys.executable, "-c", CLAIM], cwd=REPO, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def test_concurrent_graders_take_different_ranges_and_a_finished_one_frees_its_own(tmp_path):
    import os

    env = {**os.environ, "AUTOGRADER_SLOT_LOCKS": str(tmp_path), "PYTHONPATH": str(REPO)}
    procs = [_start(env) for _ in range(4)]
    try:
        ranges = [int(p.stdout.readline()) for p in procs]
        assert sorted(ranges) == [0, 1, 2, 3]
        first = procs[ranges.index(0)]
        first.communicate("")  # exits: its lock goes with it
        again = _start(env)
        procs.append(again)
        assert int(again.stdout.readline()) == 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.communicate("")
