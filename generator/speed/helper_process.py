"""A second process for a big build: paper pages are rendered on both cores.

After the records are loaded, a build forks one helper. It renders paper pages,
taking chunks from the front of the list, while this process makes the exports,
feeds and browse index; then this process takes chunks from the back until the
two meet. Measured at 100k papers on 2 cores (benchmarks/README.md). The helper
shares the loaded catalog with this process (copy-on-write), dies with it
(``PR_SET_PDEATHSIG``: a killed build leaves no writer behind), and reports only
how many files it wrote; a failure in it fails the build.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import json
import multiprocessing
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from generator.errors import HelperFailed

T = TypeVar("T")
CHUNK = 256  # pages claimed at a time: small enough to end together, large enough to keep locking rare
_PR_SET_PDEATHSIG = 1



class _Ends:
    """The indexes [front, back) not yet claimed, in memory both processes share."""

    def __init__(self, count: int) -> None:
        self.bounds: Any = multiprocessing.Array("q", [0, count])  # with a lock

    def take(self, from_front: bool) -> range | None:
        with self.bounds.get_lock():
            front, back = self.bounds[0], self.bounds[1]
            if front >= back:
                return None
            size = min(CHUNK, back - front)
            if from_front:
                self.bounds[0] = front + size
                return range(front, front + size)
            self.bounds[1] = back - size
            return range(back - size, back)


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def share_work(count: int, work: Callable[[range], int], meanwhile: Callable[[], T]) -> tuple[T, int]:
    """Run ``work`` over the indexes [0, count) in a helper and here, and ``meanwhile`` here first.

    ``work`` returns how many files it wrote; the result is ``meanwhile``'s and how many the helper wrote.
    """
    ends = _Ends(count)
    reading, writing = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    gc.freeze()  # objects made so far are not traversed by the helper's collector: fewer shared pages copied
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the helper
        _helper(ends, work, reading, writing, parent)
    os.close(writing)
    gc.unfreeze()
    try:
        result = meanwhile()
        while (chunk := ends.take(from_front=False)) is not None:
            work(chunk)
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(reading)
        raise
    with os.fdopen(reading, "rb") as pipe:
        report = pipe.read().decode("utf-8", "replace")
    _, status = os.waitpid(pid, 0)
    if report.startswith(_OS_ERROR):  # no space, read-only...: the same error as in this process
        number, filename = json.loads(report[len(_OS_ERROR):])
        raise OSError(number, os.strerror(number), filename)
    if os.waitstatus_to_exitcode(status) != 0 or not report.startswith("written "):
        raise HelperFailed(f"the helper process rendering paper pages failed: {report.strip() or status}")
    return result, int(report.split()[1])


_OS_ERROR = "os error "


def _helper(ends: _Ends, work: Callable[[range], int], reading: int, writing: int, parent: int) -> None:
    """The forked process: claim chunks from the front until none are left; never returns."""
    code = 1
    try:
        os.close(reading)
        _die_with_parent(parent)
        written = 0
        while (chunk := ends.take(from_front=True)) is not None:
            written += work(chunk)
        report, code = f"written {written}\n", 0
    except OSError as exc:
        report = _OS_ERROR + json.dumps([exc.errno, exc.filename])
    except BaseException:  # reported to the parent, which fails the build
        report = traceback.format_exc()
    try:
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(report.encode("utf-8", "replace"))
    finally:
        os._exit(code)


def _die_with_parent(parent: int) -> None:
    name = ctypes.util.find_library("c")
    if name:
        libc = ctypes.CDLL(name, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


class Aside(Generic[T]):
    """``compute()`` in a forked process, started now, its result picked up later with :meth:`result`.

    The build starts the related-papers model here right after loading, so it runs while MkDocs
    renders its own pages, and its working memory (sparse matrices) never lands in the process
    that renders 100k pages. The result comes back pickled through a pipe; a failure, or a killed
    process, fails the build (:class:`HelperFailed`).
    """

    def __init__(self, compute: Callable[[], T]) -> None:
        reading, writing = os.pipe()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            _aside(compute, reading, writing, parent)
        os.close(writing)
        self._pid, self._reading = pid, reading
        self._done: tuple[bool, Any] | None = None

    def result(self) -> T:
        if self._done is None:
            with os.fdopen(self._reading, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(self._pid, 0)
            try:
                self._done = pickle.loads(data) if data else (False, f"exit status {os.waitstatus_to_exitcode(status)}")
            except Exception as exc:
                self._done = (False, f"{type(exc).__name__}: {exc}")
        ok, value = self._done
        if not ok:
            raise HelperFailed(f"the helper process computing related papers failed: {value}")
        return value  # type: ignore[return-value]  # what compute() returned, unpickled

    def cancel(self) -> None:
        """Stop the computation (the build failed before it needed the result)."""
        if self._done is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            os.close(self._reading)
            self._done = (False, "cancelled")


def _aside(compute: Callable[[], T], reading: int, writing: int, parent: int) -> None:
    """The forked process of :class:`Aside`: compute, send the pickled result; never returns."""
    code = 1
    try:
        os.close(reading)
        _die_with_parent(parent)
        data, code = pickle.dumps((True, compute()), protocol=pickle.HIGHEST_PROTOCOL), 0
    except BaseException:
        data = pickle.dumps((False, traceback.format_exc()))
    try:
        with os.fdopen(writing, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(code)
