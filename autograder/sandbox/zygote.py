"""The warm sandbox's zygote: runs INSIDE the sandbox as the slot uid, PID 1 of its
namespace (started by warm.py, which copies this file into the slot folder).

    python -I zygote.py SLOT_DIR CTL_FD MODULE,MODULE,... [warm|cold]

It imports the preload modules and the harness, then serves the trusted side on a
SOCK_SEQPACKET socket: "run" (fork a job: new session, wait for the go byte, set the
job's rlimits, run the harness), "clean" (report what a job may have left behind:
other processes, SysV IPC objects, threads), "quit". Standard library only: nothing of
the grader is importable here. The trusted side does not believe these reports alone
(warm.py and tamper.py check the zygote from outside too).
"""
from __future__ import annotations

import array
import atexit
import ctypes
import fcntl
import gc
import json
import os
import resource
import select
import signal
import socket
import sys
import threading
import traceback

PR_SET_DUMPABLE = 4


def tasks(proc: str = "/proc") -> int:
    """Threads of this process."""
    return len(os.listdir(f"{proc}/self/task"))


def other_processes(proc: str = "/proc") -> list[int]:
    """Every process of the namespace but PID 1 (the zygote itself)."""
    return sorted(int(p) for p in os.listdir(proc) if p.isdigit() and p != "1")


def sysv_ipc(proc: str = "/proc") -> list[str]:
    """The kinds of SysV IPC object (shm, sem, msg) that exist in the namespace."""
    found = []
    for kind in ("shm", "sem", "msg"):
        try:
            with open(f"{proc}/sysvipc/{kind}") as fh:
                if len(fh.read().splitlines()) > 1:  # a header line, then one per object
                    found.append(kind)
        except OSError:
            pass
    return found


def clean_report(proc: str = "/proc") -> dict:
    return {"op": "clean", "others": other_processes(proc), "ipc": sysv_ipc(proc), "tasks": tasks(proc)}


def job_rlimits(lim: dict, ntasks: int) -> dict[int, tuple[int, int]]:
    """The job's rlimits; NPROC counts the zygote's own threads (same uid)."""
    nproc = lim["nproc"] + ntasks
    return {resource.RLIMIT_CORE: (0, 0),
            resource.RLIMIT_FSIZE: (lim["fsize"], lim["fsize"]),
            resource.RLIMIT_NPROC: (nproc, nproc),
            resource.RLIMIT_CPU: (lim["cpu"], lim["cpu"] + 1)}


def reap(pid: int | None = None):
    """Reap every finished child; with pid, block until that one ends and return
    (status, cpu seconds)."""
    while True:
        try:
            got, status, ru = os.wait4(-1, 0 if pid else os.WNOHANG)
        except ChildProcessError:
            return None
        if got == 0:
            return None
        if pid is not None and got == pid:
            return status, ru.ru_utime + ru.ru_stime


class Zygote:
    def __init__(self, slot_dir: str, ctl_fd: int, preload: list[str], warm: bool = True):
        self.slot_dir = slot_dir
        self.ctl = socket.socket(fileno=ctl_fd)
        self.failed: dict[str, str] = {}  # preloads that did not import
        self.not_warmed: dict[str, str] = {}  # imported, but their warm-up failed
        # No collections while the modules load: torch's import runs some 370 of them, and
        # a final one walks its 170,000 objects (0.1 s of CPU per zygote in all). What the
        # imports leave behind, about 1 MB of garbage included, is frozen below; every job
        # starts with the collector on.
        gc.disable()
        for name in preload:
            try:
                __import__(name)
            except BaseException as exc:  # noqa: BLE001 - reported, the job imports it itself
                self.failed[name] = f"{type(exc).__name__}: {exc}"[:300]
        sys.path.insert(0, os.path.join(slot_dir, "lib"))  # the harness (root's, read-only)
        import autograder.harness.probes_all  # noqa: F401
        import autograder.harness.run as harness_run
        from autograder.harness.warm import warm_up

        self.harness_run = harness_run
        # What is loaded now stays for every job: out of the collector's sight, a job's
        # collections do not walk (and copy on write) the preloaded modules' objects. Frozen
        # before the warm-ups: otherwise their first collections walk every object the
        # imports made (0.25 s of CPU per torch zygote), all still in the youngest generation.
        gc.freeze()
        gc.enable()
        if warm:  # each library's first use, paid here once (for a zygote with many jobs ahead)
            self.not_warmed.update(warm_up(preload))
            gc.collect()  # the warm-ups' garbage only: the imports' objects are frozen
            gc.freeze()

    def send(self, doc: dict) -> None:
        self.ctl.send(json.dumps(doc).encode())

    def recv(self) -> tuple[dict, list[int]]:
        fds = array.array("i")
        msg, anc, _flags, _addr = self.ctl.recvmsg(65536, socket.CMSG_SPACE(8 * fds.itemsize))
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
        if not msg:
            os._exit(0)  # the grader is gone
        return json.loads(msg), list(fds)

    def child(self, doc: dict, fds: list[int], ntasks: int, joined: int | None) -> None:
        try:
            self.ctl.close()
            if joined is not None:
                join(fds[4], joined)
            out, err, prog, go = (fcntl.fcntl(fd, fcntl.F_DUPFD, 64) for fd in fds[:4])
            for fd in fds:
                os.close(fd)
            os.setsid()
            if os.read(go, 1) != b"g":
                os._exit(125)
            null = os.open("/dev/null", os.O_RDONLY)
            for src, dest in ((null, 0), (out, 1), (err, 2), (prog, 3)):
                os.dup2(src, dest)
            os.closerange(4, 1 << 20)
            for kind, value in job_rlimits(doc["limits"], ntasks).items():
                resource.setrlimit(kind, value)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            work = doc["dir"]
            os.chdir(work)
            sys.path.insert(0, work)
            sys.argv[:] = ["-c"]
            if "numpy" in sys.modules:
                sys.modules["numpy"].random.seed()  # not the zygote's state (random reseeds at fork)
        except BaseException:  # noqa: BLE001
            os._exit(126)
        try:
            code = self.harness_run.main(work)
        except SystemExit as exc:
            code = exc.code
        except BaseException:  # noqa: BLE001
            traceback.print_exc()
            code = 1
        os._exit(finish(code))

    def run_job(self, doc: dict, fds: list[int]) -> None:
        """``fds``: the job's stdout, stderr, progress and go pipes, and (cgroup v1) the
        job's memory cgroup ``tasks`` file, which the child joins itself before the pid is
        sent: a thread moving itself skips the wait for an RCU grace period (about 12 ms)
        that moving another process costs. The grader checks it is there before "go"."""
        ntasks = tasks()
        joined = os.pipe() if len(fds) == 5 else None
        pid = os.fork()
        if pid == 0:
            try:
                if joined is not None:
                    os.close(joined[0])
                self.child(doc, fds, ntasks, None if joined is None else joined[1])
            finally:
                os._exit(127)
        for fd in fds:
            os.close(fd)
        if joined is not None:
            os.close(joined[1])
            os.read(joined[0], 1)  # b"j", or nothing if the child died first
            os.close(joined[0])
        self.send({"op": "pid", "pid": pid})
        # Wait for the job to end, or for the grader to go away (EOF: the grader died;
        # exiting as PID 1 makes the kernel kill every process of the namespace).
        ended = os.pidfd_open(pid)
        poller = select.poll()
        poller.register(ended, select.POLLIN)
        poller.register(self.ctl.fileno(), select.POLLIN)
        while True:
            ready = {fd for fd, _ in poller.poll()}
            if self.ctl.fileno() in ready:
                os._exit(0)  # the grader sends nothing while a job runs
            if ended in ready:
                break
        os.close(ended)
        status, cpu = reap(pid) or (None, 0.0)
        self.send({"op": "exit", "status": status, "cpu": cpu})

    def serve(self) -> None:
        self.send({"op": "ready", "failed": self.failed, "not_warmed": self.not_warmed, "tasks": tasks()})
        while True:
            doc, fds = self.recv()
            op = doc.get("op")
            if op == "run" and len(fds) in (4, 5):
                self.run_job(doc, fds)
            elif op == "clean":
                reap()
                self.send(clean_report())
            elif op == "quit":
                os._exit(0)
            else:
                for fd in fds:
                    os.close(fd)
                self.send({"op": "error", "what": str(op)})


def join(tasks_fd: int, joined: int) -> None:
    """The forked child moves itself into its job's memory cgroup, then says so."""
    try:
        os.write(tasks_fd, b"0")
    except OSError:
        pass  # the grader then moves it, or refuses to start the job
    os.write(joined, b"j")
    os.close(joined)


def finish(code) -> int:
    """What the interpreter does when it exits (threads, atexit, flush); the exit code."""
    for step in (getattr(threading, "_shutdown", None), atexit._run_exitfuncs):
        try:
            if step:
                step()
        except BaseException:  # noqa: BLE001
            pass
    code = exit_code(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001
            pass
    return code


def exit_code(code) -> int:
    """The exit status of ``sys.exit(code)``: None is 0, a message is printed and is 1."""
    if code is None:
        return 0
    if not isinstance(code, int):
        try:
            print(code, file=sys.stderr)
        except BaseException:  # noqa: BLE001
            pass
        return 1
    return code & 0xFF


def main(argv: list[str]) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:  # no ptrace, no /proc/1/mem by the jobs
        sys.exit("cannot clear PR_SET_DUMPABLE")
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # PID 1 with no handler: jobs cannot signal it
    os.environ.pop("GLIBC_TUNABLES", None)  # read by malloc at start; jobs get the usual environment
    slot_dir, ctl_fd, preload = argv[1], int(argv[2]), [m for m in argv[3].split(",") if m]
    Zygote(slot_dir, ctl_fd, preload, warm=argv[4:5] != ["cold"]).serve()


if __name__ == "__main__":
    main(sys.argv)
