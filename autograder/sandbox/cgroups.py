"""Control groups for one box: memory and process caps on the whole box, and its CPU time.

What the machine has decides how: cgroup v2 (the single hierarchy of current distributions)
where this process may create cgroups below its own, cgroup v1 (a hierarchy per controller)
where it may not, or none, and then the box is limited per process only (rlimits), said once in
the log. A v2 box's cgroup also counts the CPU time of every process that ever ran in it
(``cpu.stat``) and can be killed whole (``cgroup.kill``); a hybrid machine (v1 controllers, v2
without them) gets those from its v2 hierarchy and the caps from v1. What a v2 machine must
grant the grader (a delegated cgroup): autograder/README.md, "Memory and process caps".
"""
from __future__ import annotations

import logging
import os
import shlex
import signal
import time
import uuid
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PREFIX = "autograder-"
# v2 lets a cgroup hand controllers to its children only while no process lives in it, so the
# grader moves its own processes into this leaf of the cgroup it was started in.
LEAF = "autograder-grader"
V2_CONTROLLERS = ("memory", "pids")

log = logging.getLogger(__name__)
_told: set[str] = set()  # fallback reasons already logged by this process


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _membership(text: str) -> dict[str, str]:
    """/proc/self/cgroup as {controller or "" for v2: path}."""
    found = {}
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            for name in parts[1].split(",") if parts[1] else [""]:
                found[name] = parts[2]
    return found


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass
    return True


def stale(paths):
    """Leftovers of grading processes that were killed before they could clean up
    (``<prefix>-<pid>-<random>`` whose pid is gone)."""
    for path in paths:
        parts = path.name.split("-")
        if len(parts) >= 3 and parts[-2].isdigit() and not _pid_alive(int(parts[-2])):
            yield path


def _remove(path: Path) -> None:
    """rmdir: on cgroupfs a cgroup's control files go with it (tests replace this for a fake
    root made of ordinary files)."""
    path.rmdir()


def _rmdir(path: Path) -> None:
    try:
        _remove(path)
    except OSError:
        pass


# ---- where this process may make cgroups ---------------------------------------------------

def v2_mount(root: Path) -> Path | None:
    """The v2 hierarchy: the whole of ``root`` (v2 only) or ``root/unified`` (hybrid)."""
    for mount in (root, root / "unified"):
        if (mount / "cgroup.controllers").is_file():
            return mount
    return None


def _delegated(base: Path, mount: Path) -> bool:
    """Whether the grader may reorganise ``base``: the root of its cgroup namespace (a
    container), a cgroup systemd delegated (marked with an xattr), or, for a user other than
    root, any cgroup it can write (only delegation makes one writable to a user)."""
    if base == mount or os.geteuid() != 0:
        return True
    for name in ("trusted.delegate", "user.delegate"):
        try:
            if os.getxattr(base, name) == b"1":
                return True
        except (OSError, AttributeError):
            pass
    return False


def v2_base(root: Path, membership: str) -> tuple[Path | None, list[str], str]:
    """(the cgroup boxes are made in, the controllers enabled for them, why there are no caps)
    on the v2 hierarchy; (None, [], why) when boxes cannot be made there."""
    mount = v2_mount(root)
    if mount is None:
        return None, [], "no cgroup v2 hierarchy"
    own = _membership(membership).get("")
    if own is None:
        return None, [], "this process is in no cgroup v2 group"
    base = mount / own.lstrip("/")
    if base.name == LEAF:
        base = base.parent  # moved there by an earlier box of this grader
    if not (base.is_dir() and os.access(base, os.W_OK)
            and os.access(base / "cgroup.subtree_control", os.W_OK)):
        return None, [], (f"the grader's cgroup {own} is not writable by it (not delegated)")
    wanted = [c for c in V2_CONTROLLERS if c in _read(base / "cgroup.controllers").split()]
    if not wanted:
        return base, [], f"the cgroup {own} has no memory or pids controller to give"
    missing = [c for c in wanted if c not in _read(base / "cgroup.subtree_control").split()]
    # Only the real root may hold processes and give controllers to children (a container's
    # cgroup namespace root, which also looks like the top, refuses while processes live in it).
    if missing and not (base == mount and _enable(base, missing)):
        if _read(base / "cgroup.procs").split():
            if not _delegated(base, mount):
                return base, [], (f"the cgroup {own} holds processes and was not delegated to "
                                  "the grader, so it cannot give memory and pids to the boxes")
            _move_into_leaf(base)
        if not _enable(base, missing):
            return base, [], f"enabling {' '.join(missing)} in the cgroup {own} was refused"
    return base, wanted, ""  # the kernel takes all of a write or none of it


def _enable(base: Path, controllers: list[str]) -> bool:
    try:
        (base / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in controllers))
        return True
    except OSError:
        return False


def _move_into_leaf(base: Path) -> None:
    """The no-internal-processes rule: every process of ``base`` (the grader, and whatever
    started it in a delegated scope or container) moves into a leaf, one pid per write."""
    leaf = base / LEAF
    try:
        leaf.mkdir(exist_ok=True)
    except OSError:
        return
    for pid in _read(base / "cgroup.procs").split():
        try:
            (leaf / "cgroup.procs").write_text(pid)
        except OSError:
            pass  # it exited meanwhile, or is a kernel thread that cannot move
    log.info("cgroup v2: moved the grader's processes into %s so that %s can hold the boxes "
             "with memory and process caps", leaf, base)


def v1_base(root: Path, controller: str, membership: str) -> Path | None:
    mount = root / controller
    if not (mount / "cgroup.procs").exists() or v2_mount(root) == root:
        return None
    own = _membership(membership).get(controller, "").lstrip("/")
    base = mount / own if own and (mount / own).is_dir() else mount
    return base if os.access(base, os.W_OK) else None


def _tell_once(why: str) -> None:
    if why not in _told:
        _told.add(why)
        log.warning("sandbox: memory and process limits are per-process rlimits only, not caps "
                    "on the whole box, because %s (see 'Memory and process caps' in "
                    "autograder/README.md)", why)


# ---- one box's cgroups ---------------------------------------------------------------------

class Cgroups:
    """The cgroups of one box: a v2 cgroup (caps, CPU time, kill) and/or v1 pids and memory
    cgroups, or nothing if none can be made. ``root`` and ``membership`` (the text of
    /proc/self/cgroup) are for tests."""

    def __init__(self, limits, root: Path = ROOT, membership: str | None = None):
        if membership is None:
            membership = _read(Path("/proc/self/cgroup"))
        self.dirs: list[Path] = []
        self.controllers: list[str] = []  # e.g. ["v2:memory", "v2:pids"] or ["v1:pids", ...]
        self.v2: Path | None = None
        name = f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        memory = str(limits.memory_mb * 2 ** 20)

        base, enabled, why = v2_base(root, membership)
        if base is not None:
            values = {}
            if "memory" in enabled:
                values.update({"memory.max": memory, "memory.swap.max": "0"})
            if "pids" in enabled:
                values["pids.max"] = str(limits.max_processes)
            path = self._make(base, name, values, optional={"memory.swap.max"})
            if path is not None:
                self.v2 = path
                self.controllers += [f"v2:{c}" for c in enabled]
        v1 = {"pids": {"pids.max": str(limits.max_processes)},
              "memory": {"memory.limit_in_bytes": memory}}
        for controller, values in v1.items():
            if f"v2:{controller}" in self.controllers:
                continue
            base1 = v1_base(root, controller, membership)
            path = self._make(base1, name, values) if base1 is not None else None
            if path is not None:
                self.controllers.append(f"v1:{controller}")
        if not {c.split(":")[1] for c in self.controllers} >= set(V2_CONTROLLERS):
            _tell_once(why or "no cgroup (v1 or v2) is writable by the grader")

    def _make(self, base: Path, name: str, values: dict[str, str],
              optional: set[str] = frozenset()) -> Path | None:
        for old in stale(base.glob(f"{PREFIX}*")):
            _kill_and_remove(old)
        path = base / name
        try:
            path.mkdir()
            for key, value in values.items():
                try:
                    (path / key).write_text(value)
                except OSError:
                    if key not in optional:
                        raise
        except OSError:
            _rmdir(path)
            return None
        self.dirs.append(path)
        return path

    def join_command(self) -> str:
        """Shell text that moves the shell (and so everything it execs) into the cgroups."""
        return "".join(f"echo $$ > {shlex.quote(str(d / 'cgroup.procs'))}; " for d in self.dirs)

    def pids(self) -> set[int]:
        found = set()
        for d in self.dirs:
            found |= {int(p) for p in _read(d / "cgroup.procs").split()}
        return found

    def cpu_seconds(self) -> float | None:
        """CPU time of every process that ever ran in the box (v2 ``cpu.stat``), or None."""
        if self.v2 is None:
            return None
        for line in _read(self.v2 / "cpu.stat").splitlines():
            key, _, value = line.partition(" ")
            if key == "usage_usec":
                return int(value) / 1e6
        return None

    def destroy(self) -> None:
        """Kill whatever is still in the cgroups, then remove them (a cgroup can only be
        removed once its killed processes have been reaped, which may take a moment)."""
        for d in self.dirs:
            _kill_and_remove(d, self.pids)


def _kill_and_remove(path: Path, pids=None) -> None:
    pids = pids or (lambda: {int(p) for p in _read(path / "cgroup.procs").split()})
    if (path / "cgroup.kill").exists():  # v2, Linux 5.14+: the whole cgroup at once
        try:
            (path / "cgroup.kill").write_text("1")
        except OSError:
            pass
    for _ in range(250):
        left = pids()
        if not left:
            break
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.02)
    for _ in range(100):
        try:
            _remove(path)
            break
        except FileNotFoundError:
            break
        except OSError:
            time.sleep(0.02)
