"""No isolation: the same command and limits, as far as they hold without a
sandbox. The engine must warn that the submission ran unisolated.

Enforced: wall and idle timeouts, RLIMIT_CPU, RLIMIT_FSIZE, memory (cgroup
when writable, else RLIMIT_AS), SIGKILL of the process group and of every
process in the memory cgroup. Not enforced: RLIMIT_NPROC (it counts every
process of the engine's own uid, and root ignores it), network, file access.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from .limits import Limits, MemoryCgroup, RunResult, prlimit_args
from .runner import clean_env, execute


class LocalSandbox:
    name = "none"
    isolated = False

    def run(self, argv: list[str], workdir: Path, limits: Limits, slot: int = 0,
            on_progress: Callable[[str], object] | None = None, harness=None) -> RunResult:
        workdir = Path(workdir)
        cgroup = MemoryCgroup.create(slot, limits.memory_mb)
        try:
            env = clean_env(argv[0], home=str(workdir),
                            tmp=os.environ.get("TMPDIR", "/tmp"))
            return execute(list(argv), env=env, cwd=workdir, limits=limits,
                           on_progress=on_progress, cgroup=cgroup,
                           rlimits=prlimit_args(limits, nproc=False,
                                                address_space=cgroup is None),
                           memory_by_rlimit=cgroup is None)
        finally:
            if cgroup is not None:
                cgroup.remove()
