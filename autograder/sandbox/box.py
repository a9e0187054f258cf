"""The box a student's kernel runs in: bubblewrap, resource limits, and nothing left behind.

Inside, the kernel sees the Python it runs on and ``trainlab`` (read-only), the kernel bundle
(sandbox/bundle.py) at /opt/autograder, a private copy of its submission folder as working folder
with the files released beside the notebook bound read-only in it, the folder of its Jupyter
connection file and ipc sockets (it has no network), and an empty size-capped /tmp. What it must
not see, and why: autograder/README.md.

Limits: wall clock (enforced by the executor, kernel.py), CPU seconds, memory (RLIMIT_DATA: an
address-space limit breaks ``import torch``), written file size, output bytes (kernel.py), and,
where cgroups are writable (v2 or v1: sandbox/cgroups.py), memory and process count for the
whole box. Nothing outlives the box: bwrap's pid namespace dies with its first process, the
launcher is its own process group that is killed whole, and the box's cgroups are emptied and
removed.
"""
from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass, fields, replace
from pathlib import Path

from autograder.sandbox.cgroups import Cgroups, stale

LIMITS_ENV = "AUTOGRADER_LIMITS"
BWRAP = "bwrap"
# Files under /etc that Python, ipykernel and matplotlib read; never the whole of /etc.
ETC_FILES = ("ld.so.cache", "passwd", "group", "nsswitch.conf", "localtime", "hosts", "mime.types",
             "fonts")
WORKDIR = "/home/student/work"  # the copy of the submission folder, inside the box
SANDBOX_UID = 1000


class SandboxError(RuntimeError):
    """The box could not be set up (bwrap missing or refused); says what to install or fix."""


@dataclass(frozen=True)
class Limits:
    """Per-notebook limits. Set in the environment as ``AUTOGRADER_LIMITS="cell_timeout=5,..."``."""

    cell_timeout: int = 60             # CPU seconds per cell (all the box's processes), then
                                       # the cell is interrupted
    cell_wall_timeout: int = 0         # wall-clock backstop per cell (for code that sleeps or
                                       # blocks); 0: 10 x cell_timeout, at least 120 s
    notebook_timeout: int = 1800       # wall-clock backstop for the whole notebook
    interrupt_grace: int = 10          # seconds an interrupted cell gets to stop
    cpu_seconds: int = 900             # CPU time per process (RLIMIT_CPU)
    memory_mb: int = 3072              # per process (RLIMIT_DATA) and for the box (cgroup)
    max_processes: int = 256           # processes and threads in the box (cgroup pids.max)
    file_mb: int = 64                  # largest file the kernel may write (RLIMIT_FSIZE)
    tmp_mb: int = 256                  # /tmp in the box
    output_bytes: int = 2_000_000      # cell outputs kept for the feedback, whole notebook
    observation_bytes: int = 64_000_000  # hidden-check records, whole notebook

    @property
    def cell_wall_seconds(self) -> int:
        return self.cell_wall_timeout or max(120, 10 * self.cell_timeout)

    @classmethod
    def from_env(cls, base: "Limits | None" = None) -> "Limits":
        base = base or cls()
        text = os.environ.get(LIMITS_ENV, "").strip()
        if not text:
            return base
        known = {f.name for f in fields(cls)}
        values = {}
        for item in filter(None, (p.strip() for p in text.split(","))):
            name, _, value = item.partition("=")
            if name.strip() not in known or not value.strip().isdigit():
                raise SandboxError(f"{LIMITS_ENV}: {item!r} is not NAME=INTEGER with NAME one of "
                                   f"{', '.join(sorted(known))}")
            values[name.strip()] = int(value)
        return replace(base, **values)


def bwrap_available() -> str | None:
    """None if bubblewrap can make a box here, else what is wrong and how to fix it."""
    path = shutil.which(BWRAP)
    if not path:
        return ("bubblewrap (bwrap) is not installed; the grader runs student code only inside "
                "it: apt-get install bubblewrap (scripts/ensure-system-deps.sh)")
    return None


# ---- processes, from /proc ---------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    out = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return out


def _cpu_of(pid: int) -> float:
    """utime + stime + cutime + cstime of one process, in seconds (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return sum(int(x) for x in fields[11:15]) / _TICK


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as fh:
            return fh.read().strip()
    except OSError:
        return ""


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read()
    except OSError:
        return b""


# ---- the box ------------------------------------------------------------------------------------

def _python_dirs() -> list[str]:
    """The interpreter's trees: the venv and the installation it was made from."""
    dirs = {os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix)}
    exe = os.path.realpath(sys.executable)
    if not any(exe.startswith(d + os.sep) for d in dirs):
        dirs.add(os.path.dirname(exe))
    return sorted(d for d in dirs if not d.startswith("/usr/"))


def _package_dirs(names: tuple[str, ...]) -> list[str]:
    """Folders of packages installed in editable mode outside the venv (e.g. trainlab)."""
    import importlib.util

    found = []
    prefix = os.path.realpath(sys.prefix)
    for name in names:
        spec = importlib.util.find_spec(name)  # finds, never imports
        for loc in (spec.submodule_search_locations or []) if spec else []:
            loc = os.path.realpath(loc)
            if not loc.startswith(prefix + os.sep):
                found.append(loc)
    return found


class Box:
    """One sandbox run: a private folder, the cgroups, and the command that starts the kernel.

    Use as a context manager; leaving it kills everything that ran in the box and deletes the
    private folder.
    """

    # Packages the kernel may import that live outside the venv (editable installs).
    EXTRA_PACKAGES = ("trainlab",)

    def __init__(self, submission_dir: Path, bundle_dir: Path | None, limits: Limits,
                 released: list[Path] = ()):
        problem = bwrap_available()
        if problem:
            raise SandboxError(problem)
        self.limits = limits
        self.bundle_dir = bundle_dir
        for old in stale(Path(tempfile.gettempdir()).glob("autograder-box-*")):
            shutil.rmtree(old, ignore_errors=True)
        self.root = Path(tempfile.mkdtemp(prefix=f"autograder-box-{os.getpid()}-"))
        self.conn_dir = self.root / "conn"
        self.work_dir = self.root / "work"
        self.conn_dir.mkdir()
        # A copy: the kernel may write where it runs, and nothing it writes (files, symlinks)
        # may land in the grader's folders.
        shutil.copytree(submission_dir, self.work_dir, symlinks=True)
        # Files released beside the notebook are bound read-only over whatever the submission
        # put there under their names: the kernel reads the release's copies.
        self.released = [Path(p).resolve() for p in released]
        for path in self.released:
            mine = self.work_dir / path.name
            if mine.is_dir() and not mine.is_symlink():
                shutil.rmtree(mine)
            elif mine.exists() or mine.is_symlink():
                mine.unlink()
        for d in (self.root, self.conn_dir, self.work_dir):
            os.chmod(d, 0o700)
        self.log_path = self.root / "kernel.log"
        self.cgroups = Cgroups(limits)
        self.process = None

    def __enter__(self) -> "Box":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # The command ---------------------------------------------------------------------------
    def bwrap_args(self) -> list[str]:
        args = [BWRAP, "--unshare-all", "--unshare-user", "--uid", str(SANDBOX_UID),
                "--gid", str(SANDBOX_UID), "--die-with-parent", "--new-session",
                "--hostname", "sandbox", "--clearenv",
                "--ro-bind", "/usr", "/usr",
                # The private /tmp comes before the binds: a checkout (venv, bundle, submission)
                # that itself lives under /tmp must be bound on top of it, not hidden by it.
                "--size", str(self.limits.tmp_mb * 2 ** 20), "--tmpfs", "/tmp"]
        for link in ("bin", "lib", "lib64", "sbin", "lib32", "libx32"):
            target = Path("/") / link
            if target.is_symlink():
                args += ["--symlink", os.readlink(target), f"/{link}"]
            elif target.is_dir():
                args += ["--ro-bind", str(target), f"/{link}"]
        for name in ETC_FILES:
            path = Path("/etc") / name
            if path.exists():
                args += ["--ro-bind", str(path.resolve()), f"/etc/{name}"]
        for d in _python_dirs() + _package_dirs(self.EXTRA_PACKAGES):
            args += ["--ro-bind", d, d]
        if self.bundle_dir is not None:
            args += ["--ro-bind", str(self.bundle_dir), "/opt/autograder"]
        args += ["--proc", "/proc", "--dev", "/dev",
                 "--bind", str(self.work_dir), WORKDIR,
                 "--bind", str(self.conn_dir), str(self.conn_dir)]
        for path in self.released:
            args += ["--ro-bind", str(path), f"{WORKDIR}/{path.name}"]
        args += ["--chdir", WORKDIR]
        for key, value in self.kernel_env().items():
            args += ["--setenv", key, value]
        return args

    def kernel_env(self) -> dict[str, str]:
        bindir = os.path.join(sys.prefix, "bin")
        env = {"PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin", "HOME": "/home/student",
               "USER": "student", "LANG": "C.UTF-8", "TMPDIR": "/tmp",
               "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": "/tmp/.matplotlib",
               "PYTHONDONTWRITEBYTECODE": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        if self.bundle_dir is not None:
            env["PYTHONPATH"] = "/opt/autograder"
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
            env[var] = "1"  # several boxes share the cores
        return env

    def command(self, kernel_argv: list[str]) -> list[str]:
        """The launcher: join the cgroups, set the rlimits, exec bwrap, exec the kernel."""
        lim = self.limits
        shell = (self.cgroups.join_command()
                 + f"ulimit -c 0; ulimit -t {lim.cpu_seconds}; "
                 + f"ulimit -d {lim.memory_mb * 1024}; ulimit -f {lim.file_mb * 2048}; "
                 + 'exec "$@"')
        return ["/bin/sh", "-c", shell, "sh"] + self.bwrap_args() + ["--"] + kernel_argv

    def launch(self, kernel_argv: list[str]):
        """Start the kernel in the box; returns the Popen of the launcher (its own session)."""
        import subprocess

        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                self.command(kernel_argv), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                close_fds=True, start_new_session=True, cwd=str(self.root),
                env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        return self.process

    # What happened -------------------------------------------------------------------------
    def exit_description(self) -> str | None:
        """How the kernel ended, in words, if it has ended."""
        if self.process is None or self.process.poll() is None:
            return None
        code = self.process.returncode
        sig = -code if code < 0 else code - 128 if code > 128 else 0
        if sig:
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = f"signal {sig}"
            meaning = {"SIGSEGV": "a crash (segmentation fault)", "SIGBUS": "a crash (bus error)",
                       "SIGABRT": "an abort", "SIGKILL": "killed (out of memory or a limit)",
                       "SIGXCPU": f"over the CPU time limit of {self.limits.cpu_seconds} s",
                       "SIGXFSZ": f"a file or raw output over the {self.limits.file_mb} MB limit",
                       "SIGFPE": "a crash (arithmetic error)", "SIGILL": "a crash (illegal "
                       "instruction)"}.get(name, "a signal")
            return f"{name}: {meaning}"
        return f"exit status {code} (os._exit, or exit in a way that stops the kernel)"

    def log_tail(self, limit: int = 2000) -> str:
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(max(0, self.log_path.stat().st_size - limit))
                return fh.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def leftover_pids(self) -> set[int]:
        return self.cgroups.pids()

    # CPU time ---------------------------------------------------------------------------------
    def pids(self) -> list[int]:
        """The launcher and every process below it (host pids), parents first."""
        if self.process is None:
            return []
        found, queue = [], [self.process.pid]
        while queue:
            pid = queue.pop()
            found.append(pid)
            queue += _children(pid)
        return found

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the box's processes have used so far, including that of
        processes that ended. It does not grow with the machine's load the way wall-clock time
        does. From the box's cgroup v2 ``cpu.stat`` where there is one: it counts every
        process that ever ran in the box, to the microsecond, in one read. Else from /proc
        (a parent's accounting holds its reaped children, in clock ticks), which misses
        children whose parent never waits for them (SIGCHLD ignored)."""
        counted = self.cgroups.cpu_seconds()
        if counted is not None:
            return counted
        return sum(_cpu_of(pid) for pid in self.pids())

    def interrupt(self) -> None:
        """SIGINT to the kernel (ipykernel turns it into KeyboardInterrupt in the running cell);
        never to bwrap, whose command line names the kernel too."""
        for pid in self.pids():
            if _comm(pid).startswith("python") and b"ipykernel" in _cmdline(pid):
                try:
                    os.kill(pid, signal.SIGINT)
                except OSError:
                    pass

    # Teardown --------------------------------------------------------------------------------
    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                self.process.wait(timeout=5)
            except Exception:
                pass

    def close(self) -> None:
        self.kill()
        self.cgroups.destroy()
        shutil.rmtree(self.root, ignore_errors=True)
