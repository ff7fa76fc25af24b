"""A small seccomp filter for the bwrap sandbox (classic BPF, x86_64 only).

bwrap runs as root here (it must bind the interpreter out of the 0700 /root),
so it cannot use --disable-userns; without this filter the sandboxed uid could
still create user namespaces, the kernel's largest unprivileged attack surface.
Like Docker's default profile: new user namespaces, clone3 (flags are not
inspectable: ENOSYS makes glibc fall back to clone), io_uring, bpf,
perf_event_open, userfaultfd, keyrings and module/kexec loading are refused;
x32 and 32-bit syscalls kill the process. Everything else is allowed.

ptrace, process_vm_readv/writev and pidfd_getfd are refused too: no run may
read or write another process's memory or file descriptors, even one of its
own uid (the warm backend's zygote, warm.py, shares the slot uid with its jobs).
``program(warm=True)`` adds, for the warm backend, where one namespace outlives
a job: prlimit64 only on the caller itself (pid 0: glibc's setrlimit/getrlimit),
so a job cannot lower the zygote's limits for the jobs after it, and mq_open
(POSIX message queues persist in the IPC namespace and cannot be listed).
"""
from __future__ import annotations

import errno
import platform
import struct

_LD_W_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_ARCH_X86_64 = 0xC000003E
_RET_ALLOW = 0x7FFF0000
_RET_KILL_PROCESS = 0x80000000
_RET_ERRNO = 0x00050000
_X32_BIT = 0x40000000
_CLONE_NEWUSER = 0x10000000

_CLONE, _UNSHARE, _CLONE3 = 56, 272, 435
_DENY = {
    "setns": 308, "bpf": 321, "perf_event_open": 298, "userfaultfd": 323,
    "keyctl": 250, "add_key": 248, "request_key": 249,
    "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
    "kexec_load": 246, "kexec_file_load": 320, "init_module": 175,
    "finit_module": 313, "delete_module": 176, "open_by_handle_at": 304,
    "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "pidfd_getfd": 438,
}
_PRLIMIT64 = 302
_DENY_WARM = {"mq_open": 240}


def program(warm: bool = False) -> bytes | None:
    """The filter as struct sock_filter[], or None on other architectures.
    ``warm``: the stricter variant for the warm backend's zygote and its jobs."""
    if platform.machine() not in ("x86_64", "AMD64"):
        return None
    ins: list[tuple] = []  # (code, jt_label_or_int, jf_label_or_int, k)

    def emit(code, k, jt=0, jf=0):
        ins.append((code, jt, jf, k))

    emit(_LD_W_ABS, 4)                               # arch
    emit(_JEQ, _ARCH_X86_64, jt=1)
    emit(_RET, _RET_KILL_PROCESS)
    emit(_LD_W_ABS, 0)                               # syscall nr
    emit(_JGE, _X32_BIT, jt="kill")
    emit(_JEQ, _CLONE3, jt="enosys")
    emit(_JEQ, _CLONE, jt="flags")
    emit(_JEQ, _UNSHARE, jt="flags")
    if warm:
        emit(_JEQ, _PRLIMIT64, jt="self")
    deny = {**_DENY, **(_DENY_WARM if warm else {})}
    for nr in sorted(deny.values()):
        emit(_JEQ, nr, jt="eperm")
    emit(_RET, _RET_ALLOW)
    labels = {"self": len(ins)}
    emit(_LD_W_ABS, 16)                              # args[0]: pid, 0 = the caller
    emit(_JEQ, 0, jt="allow", jf="eperm")
    labels["allow"] = len(ins)
    emit(_RET, _RET_ALLOW)
    labels["flags"] = len(ins)
    emit(_LD_W_ABS, 16)                              # args[0], low 32 bits
    emit(_JSET, _CLONE_NEWUSER, jt="eperm")
    emit(_RET, _RET_ALLOW)
    labels["eperm"] = len(ins)
    emit(_RET, _RET_ERRNO | errno.EPERM)
    labels["enosys"] = len(ins)
    emit(_RET, _RET_ERRNO | errno.ENOSYS)
    labels["kill"] = len(ins)
    emit(_RET, _RET_KILL_PROCESS)

    out = bytearray()
    for i, (code, jt, jf, k) in enumerate(ins):
        jt = labels[jt] - i - 1 if isinstance(jt, str) else jt
        jf = labels[jf] - i - 1 if isinstance(jf, str) else jf
        assert 0 <= jt < 256 and 0 <= jf < 256
        out += struct.pack("=HBBI", code, jt, jf, k)
    return bytes(out)
