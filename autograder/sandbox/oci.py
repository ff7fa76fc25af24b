"""OCI backend: the same command in the image built from ./Containerfile,
with ``podman run`` or ``docker run``. For hosts where bwrap cannot be used.

The interpreter: an image built with the pinned environment (INSTALL_LOCK=1) has
/opt/venv, and a Python argv[0] is replaced by its interpreter; an image built offline
(INSTALL_LOCK=0, scripts/build-oci-image.sh) gets the host's interpreter and venv bound
read-only at their own paths, as the bwrap backend does. The progress channel is a FIFO
in the workdir (engines cannot pass a file descriptor), opened as fd 3 by the
container's entry shell, so the child sees the same AUTOGRADER_PROGRESS_FD=3.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Callable

from .bwrap import UID_BASE, python_trees
from .jobfs import chown_tree
from .limits import Limits, RunResult, cpu_ceiling
from .runner import clean_env, execute

IMAGE = os.environ.get("AUTOGRADER_IMAGE", "la4ml-autograder:latest")
IMAGE_PYTHON = "/opt/venv/bin/python"
FIFO_NAME = ".autograder-progress"
NOFILE = 4096  # podman's default exceeds the hard limit of hosts without CAP_SYS_RESOURCE


@functools.lru_cache(maxsize=1)
def find_engine() -> str | None:
    """podman or docker, if its daemon/service answers."""
    for name in ("podman", "docker"):
        path = shutil.which(name)
        if path is None:
            continue
        try:
            r = subprocess.run([path, "info"], capture_output=True, timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if r.returncode == 0:
            return path
    return None


@functools.lru_cache(maxsize=8)
def image_has_venv(engine: str, image: str) -> bool:
    """False for an image built with INSTALL_LOCK=0: bind the host's Python instead."""
    try:
        r = subprocess.run([engine, "image", "inspect", "-f",
                            '{{index .Config.Labels "la4ml.install-lock"}}', image],
                           capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return True
    return r.returncode != 0 or r.stdout.strip() != "0"


def runtime_args(engine: str) -> list[str]:
    """crun refuses hybrid cgroup hosts (v1 controllers plus a v2 mount); runc copes."""
    if (os.path.basename(engine) == "podman" and os.path.isdir("/sys/fs/cgroup/unified")
            and os.path.ismount("/sys/fs/cgroup/unified") and shutil.which("runc")):
        return ["--runtime", "runc"]
    return []


class OciSandbox:
    name = "oci"
    isolated = True

    def __init__(self, engine: str | None = None, image: str = IMAGE,
                 uid_base: int = UID_BASE, host_python: bool | None = None):
        """``host_python``: bind the host's interpreter and venv read-only (None: decide
        from the image's la4ml.install-lock label)."""
        self.engine = engine
        self.image = image
        self.uid_base = uid_base
        self.host_python = host_python

    def command(self, argv: list[str], workdir: Path, limits: Limits, slot: int,
                name: str) -> list[str]:
        uid = self.uid_base + slot
        wd = os.path.abspath(workdir)
        engine = self.engine or "docker"
        exe = argv[0]
        host_python = self.host_python
        if host_python is None:
            host_python = not image_has_venv(engine, self.image) if self.engine else False
        binds: list[str] = []
        if host_python:
            for tree in python_trees(exe):
                binds += ["-v", f"{tree}:{tree}:ro"]
        elif os.path.basename(exe).startswith("python"):
            exe = IMAGE_PYTHON
        cpu = cpu_ceiling(limits)
        mem = f"{limits.memory_mb}m"
        a = [engine, *runtime_args(engine), "run", "--name", name, "--init",
             "--network", "none", "--read-only",
             "--tmpfs", f"/tmp:rw,nosuid,nodev,size={mem}",
             "--memory", mem, "--memory-swap", mem,
             "--pids-limit", str(limits.processes),
             "--user", f"{uid}:{uid}", "--cap-drop", "ALL",
             "--security-opt", "no-new-privileges",
             "--ulimit", f"cpu={cpu}:{cpu + 1}",
             "--ulimit", f"fsize={limits.file_mb * 1024 * 1024}",
             "--ulimit", f"nproc={limits.processes}:{limits.processes}",
             "--ulimit", f"nofile={NOFILE}:{NOFILE}",
             "--ulimit", "core=0",
             *binds,
             "-v", f"{wd}:{wd}:rw", "-w", wd]
        env = clean_env(exe if host_python else IMAGE_PYTHON, home="/tmp", tmp="/tmp")
        for k, v in sorted(env.items()):
            a += ["-e", f"{k}={v}"]
        a += ["--entrypoint", "/bin/sh", self.image,
              "-c", 'exec 3>"$0"; exec "$@"', os.path.join(wd, FIFO_NAME),
              exe, *argv[1:]]
        return a

    def run(self, argv: list[str], workdir: Path, limits: Limits, slot: int = 0,
            on_progress: Callable[[str], object] | None = None, harness=None) -> RunResult:
        engine = self.engine or find_engine()
        if engine is None:
            raise RuntimeError("no container engine (podman or docker) answers")
        self.engine = engine
        workdir = Path(workdir)
        uid = self.uid_base + slot
        owner = os.stat(workdir)
        name = f"autograder-{uuid.uuid4().hex[:12]}"
        fifo = workdir / FIFO_NAME
        os.mkfifo(fifo, 0o600)
        os.chmod(fifo, 0o666)

        def stop() -> None:
            subprocess.run([engine, "kill", name], capture_output=True, timeout=30)

        try:
            chown_tree(workdir, uid, uid)
            result = execute(self.command(argv, workdir, limits, slot, name),
                             env=dict(os.environ), cwd=workdir, limits=limits,
                             on_progress=on_progress, rlimits=None,
                             progress_fifo=fifo, on_kill=stop,
                             signal_exit_codes=True)
            r = subprocess.run([engine, "inspect", "-f", "{{.State.OOMKilled}}", name],
                               capture_output=True, text=True, timeout=30)
            if r.stdout.strip() == "true" and not result.killed_reason:
                result.killed_reason = "memory limit"
            return result
        finally:
            subprocess.run([engine, "rm", "-f", name], capture_output=True, timeout=60)
            fifo.unlink(missing_ok=True)
            chown_tree(workdir, owner.st_uid, owner.st_gid)
