"""Run a student's notebook in a sandboxed kernel: nbgrader's Execute step, boxed and bounded.

:class:`SandboxExecute` replaces nbgrader's ``Execute`` in the autograde pipeline. It keeps
nbclient's cell-by-cell execution (so outputs, errors and nbgrader's scoring of visible tests
are exactly those of Jupyter) but:

* starts ipykernel inside a sandbox.Box, over Jupyter's ``ipc`` transport (Unix sockets in a
  folder bound into the box: the box has no network), with message-mode interrupts;
* budgets each cell in CPU time (``cell_timeout``: the CPU seconds all of the box's processes
  used while the cell ran, from the box's cgroup or /proc: Box.cpu_seconds; the machine's load
  does not count), then interrupts it and the next cell runs; a wall-clock backstop per cell
  (``cell_wall_seconds``) and per notebook (``notebook_timeout``) catches code that sleeps or
  blocks; a cell that does not stop within ``interrupt_grace`` after an interrupt ends the run.
  Every limit hit is recorded in the run log (which cell, what it used) for the CSV;
* keeps at most ``output_bytes`` of cell output for the feedback (a 50 MB line is cut, with a
  note) and at most ``observation_bytes`` of hidden-check records;
* when the kernel dies, stops and says why (exit status or signal: os._exit, a crash, a limit)
  in the run log's ``problem``, which autograde turns into the student's status (score 0).

A student whose run ends early gets no grades from it at all, never a partial run's.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Any as AnyTrait, Unicode

from autograder.course import released_files
from autograder.kernel_side.plaindata import MIME
from autograder.sandbox.box import Box, Limits


STUB = 2000  # characters kept of an error, stderr or result beyond the output limit
CPU_ERROR = "CpuTimeLimitError"
WALL_ERROR = "CellTimeoutError"


class CpuWatch(threading.Thread):
    """Interrupts the running cell once the box has used ``budget`` CPU seconds since it was
    armed; kills the box if the cell has not stopped ``grace`` seconds after that."""

    PERIOD = 0.1

    def __init__(self, box: Box, grace: float):
        super().__init__(daemon=True, name="cpu-watch")
        self.box, self.grace = box, grace
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._armed = None  # (base CPU seconds, budget)
        self.used = 0.0     # CPU seconds the last armed cell used
        self.fired_at = None

    def arm(self, budget: float) -> None:
        with self._lock:
            self.used, self.fired_at = 0.0, None
            self._armed = (self.box.cpu_seconds(), budget)

    def disarm(self) -> tuple[float, bool]:
        """(CPU seconds the armed cell used, whether it was interrupted for it); (0, False) when
        nothing was armed (e.g. a markdown cell)."""
        with self._lock:
            if self._armed is None and self.fired_at is None:
                return 0.0, False
            if self._armed is not None and self.fired_at is None:
                self.used = max(self.used, self.box.cpu_seconds() - self._armed[0])
            used, fired = self.used, self.fired_at is not None
            self._armed, self.used, self.fired_at = None, 0.0, None
            return used, fired

    def run(self) -> None:
        while not self._stop.wait(self.PERIOD):
            with self._lock:
                if self._armed is None:
                    continue
                base, budget = self._armed
                self.used = max(self.used, self.box.cpu_seconds() - base)
                if self.fired_at is None and self.used > budget:
                    self.fired_at = time.monotonic()
                    self.box.interrupt()
                elif self.fired_at is not None and time.monotonic() - self.fired_at > self.grace:
                    self._armed = None
                    self.box.kill()

    def stop(self) -> None:
        self._stop.set()


class RunStopped(Exception):
    """The notebook could not be run to its end; the message is for the student."""


class SandboxProvisioner(LocalProvisioner):
    """Launches the kernel command through the box instead of as a plain child process."""

    box = AnyTrait()

    async def launch_kernel(self, cmd, **kwargs):
        self.process = self.box.launch(cmd)
        self.pid = self.process.pid
        self.pgid = self.process.pid  # its own session, so its own process group
        return self.connection_info


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager for one box (subclassed per box by :func:`manager_for`): ipc transport
    with the connection file and sockets in the box's shared folder, message-mode interrupts."""

    box: Box = None

    def __init__(self, **kwargs):
        kwargs.pop("kernel_name", None)
        super().__init__(**kwargs)
        self.transport = "ipc"
        self.ip = str(self.box.conn_dir / "k")
        self.connection_file = str(self.box.conn_dir / "kernel.json")

    @property
    def kernel_spec(self):
        return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f",
                                "{connection_file}"],
                          display_name="Python 3 (sandboxed)", language="python",
                          interrupt_mode="message", metadata={})

    async def _async_pre_start_kernel(self, **kw):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or os.urandom(8).hex()
            self.provisioner = SandboxProvisioner(kernel_id=self.kernel_id,
                                                  kernel_spec=self.kernel_spec, parent=self,
                                                  box=self.box)
        return await super()._async_pre_start_kernel(**kw)


def manager_for(box: Box) -> type:
    """nbclient makes (and owns, so shuts down) the kernel manager from a class: one per box."""
    return type("BoxKernelManager", (SandboxKernelManager,), {"box": box})


def _size(msg_content: dict) -> int:
    total = 0
    for key in ("text", "evalue", "ename"):
        value = msg_content.get(key)
        total += len(value) if isinstance(value, str) else 0
    for value in (msg_content.get("data") or {}).values():
        total += len(value) if isinstance(value, str) else len(str(value))
    for line in msg_content.get("traceback") or []:
        total += len(line) if isinstance(line, str) else 0
    return total


class SandboxExecute(Execute):
    """nbgrader's Execute with the kernel in a sandbox and the limits above."""

    limits = AnyTrait(None, allow_none=True, help="a sandbox.Limits (default: from the "
                      "environment)").tag(config=True)
    run_log = AnyTrait(None, allow_none=True, help="an object whose .problem is set to why "
                       "the run stopped early (autograde.RunLog)").tag(config=True)
    release_root = Unicode("", help="the release folder (exercises/): the files beside each "
                           "assignment's notebooks are given to the kernel read-only").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        from autograder.sandbox.bundle import bundle_dir

        limits = self.limits or Limits.from_env(Limits(cell_timeout=self.timeout or 60))
        self._limits = limits
        assignment = resources.get("nbgrader", {}).get("assignment")
        path = resources.get("metadata", {}).get("path") or "."
        self._deadline = time.monotonic() + limits.notebook_timeout
        self._output_left = limits.output_bytes
        self._observations_left = limits.observation_bytes
        self._cut = set()
        self._cell_no = None
        self.timeout_func = self._cell_timeout
        self.shutdown_kernel = "immediate"  # the box and all in it are thrown away anyway
        wall = (f"the cell ran longer than the wall-clock backstop of "
                f"{limits.cell_wall_seconds} s (it sleeps, waits or is starved) and was interrupted")
        self.error_on_timeout = {"ename": WALL_ERROR, "evalue": wall,
                                 "traceback": [f"{WALL_ERROR}: {wall}"]}
        self.iopub_timeout = limits.interrupt_grace
        self.raise_on_iopub_timeout = True
        released = released_files(Path(self.release_root) / assignment) \
            if self.release_root and assignment else []
        with Box(path, bundle_dir(assignment), limits, released) as box:
            self._box = box
            self._watch = CpuWatch(box, limits.interrupt_grace)
            self._last_cpu = (0.0, False)
            self._watch.start()
            self.kernel_manager_class = manager_for(box)
            try:
                return super().preprocess(nb, resources)
            except RunStopped as exc:
                self._stopped(str(exc))
            except DeadKernelError:
                used, fired = self._last_cpu
                if fired:
                    self._stopped(f"cell {self._cell_no} used {used:.1f} s of CPU time, over the "
                                  f"limit of {limits.cell_timeout} s per cell, and did not stop "
                                  "when interrupted", limit=True)
                self._stopped(self._death())
            except ValueError as exc:  # jupyter_client: a message with a bad signature or body
                self._stopped(f"the kernel sent a message the grader could not read while "
                              f"running cell {self._cell_no} ({str(exc)[:80]}); something in the "
                              "notebook wrote to the kernel's channels or used up its resources")
            except CellTimeoutError:
                self._stopped(f"cell {self._cell_no} ran longer than the wall-clock backstop of "
                              f"{limits.cell_wall_seconds} s and did not stop when interrupted",
                              limit=True, backstop=True)
            except RuntimeError as exc:
                if self._cell_no is not None:
                    raise
                self._stopped(f"the sandbox could not start a kernel ({exc}): "
                              f"{' '.join(box.log_tail(300).split())}")
            finally:
                self._watch.stop()
                self._box = None
        return nb, resources

    def _hit(self, what: str, backstop: bool = False) -> None:
        if self.run_log is not None:
            self.run_log.hits.append(what)
            self.run_log.backstop |= backstop

    def _stopped(self, why: str, limit: bool = False, backstop: bool = False) -> None:
        if limit:
            self._hit(why, backstop)
        if self.run_log is not None:
            self.run_log.problem = why
        raise RunStopped(why)

    def _death(self) -> str:
        box = self._box
        for _ in range(20):  # the launcher may take a moment to report
            if box.exit_description():
                break
            time.sleep(0.05)
        how = box.exit_description() or "it stopped responding"
        where = f" while running cell {self._cell_no}" if self._cell_no else " while starting"
        return f"Kernel died{where}: {how}"

    # ---- per cell ------------------------------------------------------------------------------
    def _notebook_over(self, before: str) -> None:
        why = (f"the notebook ran longer than the wall-clock backstop of "
               f"{self._limits.notebook_timeout} s in total (stopped {before})")
        self._stopped(why, limit=True, backstop=True)

    def _cell_timeout(self, cell) -> int:
        left = self._deadline - time.monotonic()
        if left <= 0:
            self._notebook_over(f"at cell {self._cell_no}")
        return max(1, int(min(self._limits.cell_wall_seconds, left)))

    def preprocess_cell(self, cell, resources, index):
        first = next((ln.strip() for ln in cell.source.splitlines() if ln.strip()), "")
        self._cell_no = f"{index + 1} ({first[:40]}{'...' if len(first) > 40 else ''})"
        if time.monotonic() > self._deadline:
            self._notebook_over(f"before cell {index + 1}")
        if cell.cell_type == "code":
            self._watch.arm(self._limits.cell_timeout)
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        finally:
            self._last_cpu = used, fired = self._watch.disarm()
        if fired:
            self._cpu_limit_error(cell, used)
        if any(o.get("ename") == WALL_ERROR for o in cell.get("outputs", [])):
            self._hit(f"cell {self._cell_no} ran longer than the wall-clock backstop of "
                      f"{self._limits.cell_wall_seconds} s and was interrupted", backstop=True)
        if index in self._cut:
            cell.outputs.append(new_output(
                "stream", name="stdout",
                text=f"\n[the grader kept only the first {self._limits.output_bytes} bytes of "
                     f"output; the rest of this cell's output was dropped]\n"))
        return cell, resources

    def _cpu_limit_error(self, cell, used: float) -> None:
        """The cell's KeyboardInterrupt, said as what happened; recorded in the run log."""
        what = (f"the cell used {used:.1f} s of CPU time, over the limit of "
                f"{self._limits.cell_timeout} s per cell, and was interrupted")
        self._hit(f"cell {self._cell_no}: {what[9:]}")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error" and out.get("ename") == "KeyboardInterrupt":
                out["ename"], out["evalue"] = CPU_ERROR, what
                out["traceback"] = [f"{CPU_ERROR}: {what}"]
                return
        cell.outputs.append(new_output("error", ename=CPU_ERROR, evalue=what,
                                       traceback=[f"{CPU_ERROR}: {what}"]))

    def output(self, outs, msg, display_id, cell_index):
        """Keep at most ``output_bytes`` per notebook, but never drop what nbgrader scores by:
        errors, stderr and execute results are always kept (cut short), so a visible test
        cannot pass by flooding the output until its error is dropped."""
        content = msg.get("content", {})
        kind = msg.get("msg_type")
        size = _size(content)
        if MIME in (content.get("data") or {}):
            if size > self._observations_left:
                self._observations_left = -1
                return None  # verdict.py reports the missing record
            self._observations_left -= size
            return super().output(outs, msg, display_id, cell_index)
        if size <= self._output_left:
            self._output_left -= size
            return super().output(outs, msg, display_id, cell_index)
        self._cut.add(cell_index)
        keep = max(self._output_left, 0)
        self._output_left = 0
        if kind == "error":
            content = {**content, "evalue": str(content.get("evalue", ""))[:STUB],
                       "traceback": [str(t)[:STUB] for t in (content.get("traceback") or [])[-3:]]}
        elif kind == "stream":
            if content.get("name") != "stderr" and not keep:
                return None
            content = {**content, "text": str(content.get("text", ""))[:max(keep, STUB)]}
        elif kind == "execute_result":
            text = (content.get("data") or {}).get("text/plain", "")
            content = {**content, "data": {"text/plain": str(text)[:STUB]}}
        else:
            return None
        return super().output(outs, {**msg, "content": content}, display_id, cell_index)

    def on_cell_executed(self, **kwargs):
        reply = kwargs.get("execute_reply") or {}
        content = reply.get("content", {})
        if content.get("status") == "error":  # nbgrader copies this into the cell: keep it small
            content["evalue"] = str(content.get("evalue", ""))[:2000]
            content["traceback"] = [str(t)[:2000] for t in content.get("traceback", [])[:20]]
        return super().on_cell_executed(**kwargs)
