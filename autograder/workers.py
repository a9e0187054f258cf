"""Run a function over items in N forked worker processes; a worker that dies costs one item.

Workers are forked from the caller (they start with its imports: nbgrader, nbconvert, and
whatever was prepared for the assignment) and live for many items, so per-process caches (torch,
the hidden checks' reference results) are filled at most once per worker. Each item's result
comes back through the worker's pipe. A worker that dies (out of memory, a segfault in a library,
a kill) yields a :class:`Failed` for the item it was running and is replaced; the other items
are not affected. Workers are recycled after ``max_tasks`` items to bound leaks.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import traceback
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
MAX_TASKS = 50


@dataclass
class Failed:
    """The worker produced no result: the function raised (``error``) or it died (``exitcode``)."""
    error: str | None = None
    exitcode: int | None = None

    def __str__(self) -> str:
        if self.error:
            return self.error
        code = self.exitcode
        if code is not None and code < 0:
            try:
                return f"the grading process was killed by {signal.Signals(-code).name}"
            except ValueError:
                pass
        return f"the grading process died (exit code {code})"


def _serve(fn, conn: Connection) -> None:
    """A worker: run ``fn`` on each item received until told to stop (None) or the pipe closes."""
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        try:
            result = fn(item[0])
        except BaseException as exc:  # reported to the parent; the worker carries on
            last = traceback.format_exception_only(type(exc), exc)[-1].strip()
            result = Failed(error=f"internal grader error: {last}")
        conn.send(result)


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass
class _Worker:
    proc: multiprocessing.Process
    conn: Connection
    item: object = None
    tasks: int = 0

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.proc.join()
        self.conn.close()


def run_parallel(fn: Callable[[T], object], items: Iterable[T], workers: int,
                 max_tasks: int = MAX_TASKS) -> Iterator[tuple[T, object]]:
    """Yield (item, fn(item) or Failed) as items finish (not in input order). Items and results
    cross a pipe, so they must pickle; ``fn`` need not (workers are forked)."""
    ctx = multiprocessing.get_context("fork")

    def spawn() -> _Worker:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(fn, child))  # not daemonic: fn may fork
        proc.start()
        child.close()
        return _Worker(proc, parent)

    pending, idle, busy = deque(items), [], {}
    try:
        while pending or busy:
            while pending and (idle or len(busy) < max(1, workers)):
                worker = idle.pop() if idle else spawn()
                worker.item = pending.popleft()
                try:
                    worker.conn.send((worker.item,))
                except OSError:  # it died while idle: put the item back, use a fresh worker
                    pending.appendleft(worker.item)
                    worker.stop(kill=True)
                    continue
                busy[worker.conn] = worker
            for conn in wait(list(busy)):
                worker = busy.pop(conn)
                try:
                    result, alive = conn.recv(), True
                except (EOFError, OSError):
                    worker.proc.join()
                    result, alive = Failed(exitcode=worker.proc.exitcode), False
                worker.tasks += 1
                if alive and worker.tasks < max_tasks:
                    idle.append(worker)
                else:
                    worker.stop(kill=not alive)
                yield worker.item, result
    finally:  # done, interrupted (Ctrl-C) or the consumer stopped: no worker outlives the run
        for worker in idle:
            worker.stop()
        for worker in busy.values():
            worker.stop(kill=True)
