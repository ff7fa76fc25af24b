"""Save each graded submission (gradebook rows, nbgrader's autograded/ copy, then
``result.json``), in this process or, for a class, in a helper process.

Saving is Python work (nbgrader's ORM, the notebook copy). In the grader process it
takes turns with the grading threads for the interpreter lock, and they wait; in a
helper process it runs beside them. The helper is started for a batch of
``PROCESS_FROM`` submissions or more (starting it costs about a second of imports). It
saves one submission at a time, in the order the grader hands them over, and answers
only when that submission is saved, so "saved" means the same either way. If the helper
dies, the submission it was saving and every later one are saved in this process.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import subprocess
import sys
import threading
import traceback
from pathlib import Path

from tqdm.std import tqdm

# Submissions to save from which a helper process saves them (the variable: for tests).
PROCESS_FROM = int(os.environ.get("AUTOGRADER_SAVE_PROCESS_FROM", "40"))
PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding the autograder package


class SaveFailed(Exception):
    """Saving one submission failed (in the helper process): its error, as text."""


def save(course, db_url, plan, submission, result) -> None:
    """The gradebook rows and nbgrader's autograded/ copy (for formgrader's Manual Grading)
    in one transaction, then ``result.json``. A copy that cannot be made costs nothing
    but the copy: its changes are undone and the grade is saved."""
    from autograder.grade import gradebook
    from autograder.grade.autograded import autograded_copy, write_copy

    copy = None
    with gradebook.session(db_url) as gb:
        gradebook.record(gb, plan, result, submission.submitted_at)
        try:
            with gb.db.begin_nested():  # a failure undoes the copy's changes only
                copy = autograded_copy(gb, db_url, plan, submission, result)
        except Exception as exc:  # noqa: BLE001 - the grade is saved; only the grader's copy is missing
            _no_copy(submission, exc)
    if copy is not None:
        try:
            write_copy(course.root, plan, result, copy)
        except Exception as exc:  # noqa: BLE001
            _no_copy(submission, exc)
    result.save(course.grades)  # last: its presence means "done"


def _no_copy(submission, exc: Exception) -> None:
    tqdm.write(f"{submission.student_id}: formgrader copy not written ({type(exc).__name__}: {exc})",
               file=sys.stderr)


def ready() -> None:
    """Import what saving needs (nbgrader's preprocessors: a second or so)."""
    from autograder.grade.autograded import preprocessors_on_session

    preprocessors_on_session()


class Saver:
    """Saves in this process; :func:`open_saver` gives the helper-process kind for a class."""

    def save(self, course, db_url, plan, submission, result) -> None:
        save(course, db_url, plan, submission, result)

    def close(self) -> None:
        pass


class ProcessSaver(Saver):
    """Saves in a helper process: ``python -m autograder.grade.saver``, a fresh interpreter
    (never a fork of this threaded one) that dies with the grader. Each submission goes
    over a pipe as one pickled frame; the answer is None or the error's text."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (str(PACKAGE_ROOT),
                                                                         os.environ.get("PYTHONPATH")))))
        self.proc = subprocess.Popen([sys.executable, "-m", "autograder.grade.saver", str(os.getpid())],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.lock = threading.Lock()
        self.dead = False

    def save(self, course, db_url, plan, submission, result) -> None:
        with self.lock:
            if not self.dead:
                parsed, submission.parsed = submission.parsed, None  # read again there: cheaper than sending
                try:
                    _send(self.proc.stdin, (course, db_url, plan, submission, result))
                    answer = _receive(self.proc.stdout)
                except (OSError, EOFError, pickle.UnpicklingError) as exc:
                    self._died(exc)
                    submission.parsed = parsed
                else:
                    if answer is not None:
                        raise SaveFailed(answer)
                    return
        save(course, db_url, plan, submission, result)

    def _died(self, exc: BaseException) -> None:
        self.dead = True
        self.proc.kill()
        self.proc.wait()
        tqdm.write(f"the saving process ended ({type(exc).__name__}, exit code {self.proc.returncode}); "
                   "the grader saves the rest itself", file=sys.stderr)

    def close(self) -> None:
        with self.lock:
            for pipe in (self.proc.stdin, self.proc.stdout):
                try:
                    pipe.close()  # the helper reads EOF and exits
                except OSError:
                    pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _send(pipe, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(struct.pack("<Q", len(data)) + data)
    pipe.flush()


def _receive(pipe):
    head = pipe.read(8)
    if len(head) < 8:
        raise EOFError("the other end closed the pipe")
    size = struct.unpack("<Q", head)[0]
    data = pipe.read(size)
    if len(data) < size:
        raise EOFError("the other end closed the pipe")
    return pickle.loads(data)


def open_saver(count: int) -> Saver:
    """The saver for a batch of ``count`` submissions."""
    if count >= PROCESS_FROM:
        try:
            return ProcessSaver()
        except OSError as exc:
            tqdm.write(f"could not start a saving process ({exc}); saving in the grader", file=sys.stderr)
    ready()
    return Saver()


def _serve(grader_pid: int) -> None:
    """The helper process: save what arrives on stdin, answer on stdout, until EOF."""
    _die_with(grader_pid)
    requests = sys.stdin.buffer
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever prints goes to stderr, never into the answers
    sys.stdout = sys.stderr
    ready()
    gc.freeze()  # nbgrader's and sqlalchemy's modules: no collection walks them again
    while True:
        try:
            work = _receive(requests)
        except EOFError:
            return
        try:
            save(*work)
            answer = None
        except Exception as exc:  # noqa: BLE001 - the grader reports it like its own failure
            traceback.print_exc(limit=3, file=sys.stderr)
            answer = f"{type(exc).__name__}: {exc}"
        try:
            _send(answers, answer)
        except OSError:
            return


def _die_with(grader_pid: int) -> None:
    """SIGKILL when the grader dies, so no save runs on behind a killed grader."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != grader_pid:  # the grader died before the line above
        os._exit(0)


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
