"""One job in a warm zygote, seen from the trusted side: the messages to and from the
zygote, the job's cgroup placement before its code may run, and its supervision.
"""
from __future__ import annotations

import array
import json
import os
import selectors
import signal
import socket
import time
from pathlib import Path

from . import tamper
from .limits import Limits, MemoryCgroup, RunResult, cpu_ceiling
from .supervise import Progress, Tail, drain, exit_reason, watch

REPLY_TIMEOUT_S = 10.0


class ZygoteError(RuntimeError):
    """The zygote could not start or stopped answering: run cold instead."""


def recv(sock: socket.socket, timeout: float) -> dict | None:
    """One message from the zygote; None on EOF or timeout."""
    sock.settimeout(timeout)
    try:
        data = sock.recv(65536)
    except (socket.timeout, OSError):
        return None
    finally:
        sock.settimeout(None)
    if not data:
        return None
    try:
        doc = json.loads(data)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None



def execute(self, job_dir: Path, limits: Limits, on_progress, cgroup: MemoryCgroup,
            start: float) -> RunResult:
    """Run one job in the zygote ``self`` (a slot.Zygote): pass it the pipe ends, put the
    child into the job's memory cgroup before it may start, supervise it, say why it
    ended. Sets ``self.broken`` when the zygote cannot be trusted with another job;
    raises ZygoteError only before the job's code ran."""
    progress = Progress(on_progress)
    out, err = Tail(), Tail()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    prog_r, prog_w = os.pipe()
    go_r, go_w = os.pipe()
    mine = [out_r, err_r, prog_r, go_w]
    theirs = [out_w, err_w, prog_w, go_r]
    tasks = cgroup.tasks_fd()
    if tasks is not None:
        theirs.append(tasks)
    job = {"op": "run", "dir": str(job_dir),
           "limits": {"cpu": cpu_ceiling(limits), "fsize": limits.file_mb * 2**20,
                      "nproc": limits.processes}}
    try:
        self.sock.sendmsg([json.dumps(job).encode()],
                          [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", theirs))])
    except OSError:
        reply = None
    else:
        reply = recv(self.sock, REPLY_TIMEOUT_S)
    finally:
        for fd in theirs:
            os.close(fd)
    if not reply or reply.get("op") != "pid" or not isinstance(reply.get("pid"), int):
        for fd in mine:
            os.close(fd)
        self.broken = "no answer to run"
        raise ZygoteError("the warm sandbox did not start the job")
    child = None
    for pid in tamper.children(self.host_pid):
        if tamper.ns_pid(pid) == (self.host_pid, reply["pid"]):
            child = pid
    moved = child is not None and cgroup._member(child)  # the child joined it itself
    if child is not None and not moved:
        try:
            cgroup.procs_file.write_text(str(child))
            moved = cgroup._member(child)
        except OSError:
            moved = False
    if not moved:  # never let a job run outside its cgroup
        os.write(go_w, b"x")
        for fd in mine:
            os.close(fd)
        if recv(self.sock, REPLY_TIMEOUT_S) is None:
            self.broken = "no answer after an aborted job"
        raise ZygoteError("could not put the job into its memory cgroup")
    os.write(go_w, b"g")
    os.close(go_w)
    mine.remove(go_w)

    sel = selectors.DefaultSelector()
    sel.register(out_r, selectors.EVENT_READ, out)
    sel.register(err_r, selectors.EVENT_READ, err)
    sel.register(prog_r, selectors.EVENT_READ, progress)
    sel.register(self.sock, selectors.EVENT_READ, "ctl")
    for fd in (out_r, err_r, prog_r):
        os.set_blocking(fd, False)
    box: dict = {}

    def on_exit() -> None:
        box["exit"] = zygote_said()
        cgroup.kill_all()  # the run is over: no leftover background process

    def zygote_said() -> dict | None:
        doc = recv(self.sock, 0.5)
        if doc is None or doc.get("op") != "exit":
            self.broken = "the zygote went away during a job"
            return {"status": None, "cpu": 0.0}
        return doc

    try:
        seen = watch(sel, limits, start, progress, exited=lambda: False, on_exit=on_exit,
                     exit_key="ctl")
    finally:
        exit_doc = box.get("exit")
        if exit_doc is None:
            cgroup.kill_all()
            if self.sock in {k.fileobj for k in sel.get_map().values()}:
                sel.unregister(self.sock)
            exit_doc = recv(self.sock, 5.0)
            if not exit_doc or exit_doc.get("op") != "exit":
                self.broken = "the zygote did not report the job's end"
                exit_doc = {"status": None, "cpu": 0.0}
        if not cgroup.kill_all():
            self.broken = "a process of the job could not be killed"
        drain(sel, progress, deadline=time.monotonic() + 0.5)
        sel.close()
        for fd in mine:
            os.close(fd)
        oom = cgroup.oom_kills()
        cgroup.remove()

    status = exit_doc.get("status")
    rc = os.waitstatus_to_exitcode(status) if isinstance(status, int) else -signal.SIGKILL
    cpu = float(exit_doc.get("cpu") or 0.0)
    reason = seen.reason or exit_reason(rc, cpu, limits, oom=bool(oom), status_lost=status is None)
    return RunResult(returncode=rc, timed_out=seen.timed_out, killed_reason=reason,
                     wall_s=round(time.monotonic() - start, 4),
                     stdout_tail=out.text(), stderr_tail=err.text())
