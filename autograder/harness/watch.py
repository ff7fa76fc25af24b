"""While a from-scratch exercise's probe runs, the routines it rules out are out of reach.

Installed once, before any student code runs, as an audit hook (Python gives no way to
remove one). During a watched probe it:

* refuses to import the ruled-out modules (they are taken out of ``sys.modules`` for the
  probe, so even a module imported earlier has to be imported again, and is refused);
* notes every call into ruled-out code (a profile function sees Python and C calls, so a
  reference taken before the probe is caught when it runs);
* refuses, and notes, any attempt to switch that watch off or to start another program.

What it notes goes back to the trusted grader, which fails the check with the reason. A
submission can only lose points by this record, never gain them; the grader's static
reading of the code (autograder.scratch) applies whatever the record says.
"""

from __future__ import annotations

import sys
import threading

_PROGRAM_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                   "os.forkpty", "pty.spawn")
_WATCH_OFF_EVENTS = ("sys.setprofile", "sys.settrace")


def install():
    """Install the audit hook; returns ``(probe, found)``: ``probe(watch)`` is a context
    manager for one check's probe, ``found()`` what was noted, per check."""
    state = {"watch": None, "check": None, "ours": False}
    found: dict[str, str] = {}

    def note(reason: str) -> None:
        check = state["check"]
        if check is not None and check not in found:
            found[check] = reason[:300]

    def refused_import(name: str) -> bool:
        return _under(name, state["watch"])

    def hook(event, args):
        watch = state["watch"]
        if watch is None or state["ours"]:
            return
        if event == "import" and args and isinstance(args[0], str) and refused_import(args[0]):
            note(f"imported {args[0]}")
            raise ImportError(f"{args[0]} cannot be used in this exercise (it asks for your own code)")
        if event in _WATCH_OFF_EVENTS:
            note("tried to switch off the grader's watch over library use")
            raise RuntimeError("this exercise's check does not allow changing the profiler or tracer")
        if event in _PROGRAM_EVENTS:
            note("started another program")
            raise PermissionError("this exercise's check does not allow starting other programs")

    def profile(frame, event, arg):
        watch = state["watch"]
        if watch is None:
            return
        if event == "call":
            module = frame.f_globals.get("__name__", "")
            if not isinstance(module, str):
                return
            if _under(module, watch):
                note(f"ran {module}")
                return
            qualname = getattr(frame.f_code, "co_qualname", frame.f_code.co_name)
            for prefix, name in watch["frames"]:
                if (module == prefix or module.startswith(prefix + ".")) and \
                        (qualname == name or qualname.startswith(name + ".")):
                    note(f"ran {module}.{qualname}")
                    return
        elif event == "c_call":
            name = getattr(arg, "__name__", None)
            if name in watch["cnames"]:
                origin = getattr(arg, "__module__", None) or type(getattr(arg, "__self__", None)).__module__ or ""
                for prefix, wanted in watch["builtins"]:
                    if name == wanted and str(origin).split(".")[0] == prefix:
                        note(f"ran {prefix}'s {name}")
                        return

    sys.addaudithook(hook)

    class _Probe:
        def __init__(self, check: str, watch: dict | None):
            self.check, self.watch, self.stashed = check, _clean(watch), {}

        def __enter__(self):
            if self.watch is None:
                return self
            state["ours"] = True
            try:
                for name in [n for n in sys.modules if _under(n, self.watch)]:  # torch: 1,500 names
                    self.stashed[name] = sys.modules.pop(name)
                state["check"], state["watch"] = self.check, self.watch
                threading.setprofile(profile)
                sys.setprofile(profile)
            finally:
                state["ours"] = False
            return self

        def __exit__(self, *exc):
            if self.watch is None:
                return False
            state["ours"] = True
            try:
                if sys.getprofile() is not profile:
                    note("switched off the grader's watch over library use")
                sys.setprofile(None)
                threading.setprofile(None)
                state["watch"] = state["check"] = None
                sys.modules.update(self.stashed)
            finally:
                state["ours"] = False
            return False

    return _Probe, lambda: dict(found)


def _under(module: str, watch: dict) -> bool:
    """``module`` is one of the watch's ruled-out modules or inside one."""
    return module in watch["imports"] or module.startswith(watch["packages"])


def _clean(watch) -> dict | None:
    """The job's watch description, checked: lists of plain strings only."""
    if not isinstance(watch, dict):
        return None

    def strings(items, width):
        out = []
        for item in items if isinstance(items, list) else []:
            if width == 1 and isinstance(item, str):
                out.append(item)
            elif width == 2 and isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item):
                out.append(tuple(item))
        return tuple(out)

    clean = {"imports": strings(watch.get("imports"), 1), "frames": strings(watch.get("frames"), 2),
             "builtins": strings(watch.get("builtins"), 2)}
    clean["cnames"] = frozenset(name for _prefix, name in clean["builtins"])
    clean["packages"] = tuple(m + "." for m in clean["imports"])  # what is inside them
    if not (clean["imports"] or clean["frames"] or clean["builtins"]):
        return None
    return clean
