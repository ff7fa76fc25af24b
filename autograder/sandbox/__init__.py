"""Run one untrusted submission process in isolation.

    sb = get_sandbox()              # "auto": warm (bwrap + zygote), or a clear error
    res = sb.run([sys.executable, "run_cells.py"], workdir, Limits(idle_s=30),
                 slot=0, on_progress=print)

``workdir`` is the only writable path (plus a private /tmp). The child finds a
progress pipe on fd 3 (AUTOGRADER_PROGRESS_FD=3); every line written to it is
passed to ``on_progress`` and resets the idle (per-cell) timer. The child sees
a clean environment (see runner.PASS_ENV), not the engine's.

Backends: "warm" (warm.py: bwrap isolation, with a per-slot zygote that has the
heavy modules imported and forks each grading job; what "auto" gives), "bwrap"
(bwrap.py: a fresh interpreter per run), "none" (local.py: no isolation), "oci"
(oci.py: podman/docker with the image from ./Containerfile).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol

from .limits import Limits, RunResult
from .preload import HarnessJob, imports_of

__all__ = ["HarnessJob", "Limits", "RunResult", "Sandbox", "SandboxUnavailable", "get_sandbox",
           "imports_of"]

INSTALL_HINT = ("install it with `scripts/install-system-deps.sh` (as root: apt-get "
                "install bubblewrap), or pass --no-sandbox to run submissions "
                "WITHOUT isolation")


class SandboxUnavailable(RuntimeError):
    pass


class Sandbox(Protocol):
    name: str                    # "warm" | "bwrap" | "none" | "oci"
    isolated: bool

    def run(self, argv: list[str], workdir: Path, limits: Limits, slot: int = 0,
            on_progress: Callable[[str], object] | None = None,
            harness: HarnessJob | None = None) -> RunResult: ...


def get_sandbox(name: str = "auto", preload: tuple[str, ...] | None = None) -> Sandbox:
    """"auto" and "warm": the warm bwrap backend, "bwrap": the cold one, both only if
    bwrap is usable, else SandboxUnavailable saying how to fix it; "none": no
    isolation; "oci": podman/docker. ``preload``: modules every zygote of the warm
    backend imports, besides each job's HarnessJob.preload; other backends ignore it."""
    if name in ("auto", "warm"):
        from .bwrap import BwrapSandbox
        from .preload import DEFAULT_PRELOAD
        from .warm import WarmSandbox
        reason = BwrapSandbox.unusable_reason()
        if reason is not None:
            raise SandboxUnavailable(f"cannot sandbox submissions: {reason}; {INSTALL_HINT}")
        return WarmSandbox(preload=tuple(preload) if preload else DEFAULT_PRELOAD)
    if name == "bwrap":
        from .bwrap import BwrapSandbox
        reason = BwrapSandbox.unusable_reason()
        if reason is not None:
            raise SandboxUnavailable(f"cannot sandbox submissions: {reason}; {INSTALL_HINT}")
        return BwrapSandbox()
    if name in ("none", "local"):
        from .local import LocalSandbox
        return LocalSandbox()
    if name == "oci":
        from .oci import OciSandbox, find_engine
        engine = find_engine()
        if engine is None:
            raise SandboxUnavailable("no container engine (podman or docker) answers")
        return OciSandbox(engine=engine)
    raise ValueError(f"unknown sandbox {name!r}: use auto, warm, bwrap, none or oci")
