"""The box's cgroups (sandbox/cgroups.py) on the machines graders run on.

cgroup v2 only (systemd's unified hierarchy), hybrid (v1 controllers beside a v2 hierarchy
without them) and no writable cgroups at all are each laid out as files under a temporary
folder (a fake /sys/fs/cgroup) and the tests read back what the grader wrote: the caps, the
controllers it enabled, the processes it moved, and what it removed. A fake root cannot act
like the kernel, so where the kernel acts (rmdir takes the control files with it, cpu.stat
counts) the test does it. On a machine with a real v2 hierarchy a box's CPU time is read from it.
"""
from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from autograder.sandbox import cgroups
from autograder.sandbox.box import Box, Limits, _cpu_of
from autograder.sandbox.cgroups import LEAF, Cgroups

LIMITS = Limits(memory_mb=512, max_processes=40)
SCOPE = "/user.slice/user-1000.slice/user@1000.service/app.slice/run-r1.scope"


def files(folder: Path, **content: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in content.items():
        (folder / name.replace("_", ".", 1)).write_text(text)
    return folder


def v2_machine(tmp_path: Path, procs: str, subtree: str = "") -> tuple[Path, Path]:
    """A v2-only root and the grader's own cgroup in it (a systemd scope)."""
    root = files(tmp_path / "cgroup", cgroup_controllers="cpuset cpu io memory hugetlb pids",
                 cgroup_subtree_control="")
    scope = files(root / SCOPE.lstrip("/"), cgroup_controllers="cpu io memory pids",
                  cgroup_subtree_control=subtree, cgroup_procs=procs)
    return root, scope


@pytest.fixture
def fake_kernel(monkeypatch):
    """rmdir of a cgroup takes its control files with it; each test starts with nothing told."""
    monkeypatch.setattr(cgroups, "_remove", shutil.rmtree)
    monkeypatch.setattr(cgroups, "_told", set())


def box_dir(scope: Path) -> Path:
    (made,) = [p for p in scope.glob("autograder-*") if p.name != LEAF]
    return made


@pytest.mark.usefixtures("fake_kernel")
def test_v2_delegated_scope_moves_the_grader_into_a_leaf_and_caps_the_box(tmp_path, monkeypatch):
    monkeypatch.setattr(cgroups.os, "geteuid", lambda: 1000)  # a user's delegated scope
    me = str(os.getpid())
    root, scope = v2_machine(tmp_path, procs=me + "\n")
    group = Cgroups(LIMITS, root=root, membership=f"0::{SCOPE}\n")

    assert (scope / LEAF / "cgroup.procs").read_text() == me  # out of the way of the rule
    assert (scope / "cgroup.subtree_control").read_text() == "+memory +pids"
    box = box_dir(scope)
    assert group.dirs == [box] and group.v2 == box
    assert group.controllers == ["v2:memory", "v2:pids"]
    assert (box / "memory.max").read_text() == str(512 * 2 ** 20)
    assert (box / "memory.swap.max").read_text() == "0"
    assert (box / "pids.max").read_text() == "40"
    assert group.join_command() == f"echo $$ > {box / 'cgroup.procs'}; "
    assert not (root / "memory").exists() and not (root / "pids").exists()  # no v1 written

    (box / "cpu.stat").write_text("usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n")
    assert group.cpu_seconds() == 2.5

    # The next box of the same grader, which now lives in the leaf: no second move.
    (scope / "cgroup.subtree_control").write_text("memory pids")  # as the kernel lists them
    (scope / LEAF / "cgroup.procs").write_text("untouched")
    second = Cgroups(LIMITS, root=root, membership=f"0::{SCOPE}/{LEAF}\n")
    assert (scope / LEAF / "cgroup.procs").read_text() == "untouched"
    assert second.controllers == ["v2:memory", "v2:pids"] and second.v2.parent == scope

    group.destroy()
    second.destroy()
    assert sorted(p.name for p in scope.iterdir() if p.is_dir()) == [LEAF]


@pytest.mark.usefixtures("fake_kernel")
def test_v2_container_root_refuses_until_its_processes_are_in_a_leaf(tmp_path, monkeypatch):
    """A container's cgroup namespace root looks like the top of the hierarchy, but unlike the
    real root it gives no controllers to children while processes live in it."""
    root = files(tmp_path / "cgroup", cgroup_controllers="cpu memory pids",
                 cgroup_subtree_control="", cgroup_procs="1\n")
    write = cgroups._enable

    def kernel_enable(base: Path, controllers: list[str]) -> bool:
        left = set((base / "cgroup.procs").read_text().split())
        if (base / LEAF).is_dir():
            left -= set((base / LEAF / "cgroup.procs").read_text().split())
        return not left and write(base, controllers)

    monkeypatch.setattr(cgroups, "_enable", kernel_enable)
    monkeypatch.setattr(cgroups.os, "geteuid", lambda: 0)
    group = Cgroups(LIMITS, root=root, membership="0::/\n")
    assert (root / LEAF / "cgroup.procs").read_text() == "1"
    assert (root / "cgroup.subtree_control").read_text() == "+memory +pids"
    assert group.controllers == ["v2:memory", "v2:pids"] and group.v2.parent == root
    group.destroy()


@pytest.mark.usefixtures("fake_kernel")
def test_v2_controllers_already_given_to_children_are_used_as_they_are(tmp_path):
    root, scope = v2_machine(tmp_path, procs="", subtree="memory pids")
    group = Cgroups(LIMITS, root=root, membership=f"0::{SCOPE}\n")
    assert group.controllers == ["v2:memory", "v2:pids"]
    assert not (scope / LEAF).exists()
    assert (scope / "cgroup.subtree_control").read_text() == "memory pids"
    group.destroy()
    assert not list(scope.glob("autograder-*"))


@pytest.mark.usefixtures("fake_kernel")
def test_v2_cgroup_not_delegated_is_left_alone_and_the_log_says_why_once(tmp_path, monkeypatch,
                                                                         caplog):
    monkeypatch.setattr(cgroups.os, "geteuid", lambda: 0)  # root, in a cgroup nobody delegated
    root, scope = v2_machine(tmp_path, procs="1234\n5678\n")
    with caplog.at_level(logging.WARNING, logger=cgroups.__name__):
        first = Cgroups(LIMITS, root=root, membership=f"0::{SCOPE}\n")
        second = Cgroups(LIMITS, root=root, membership=f"0::{SCOPE}\n")
    assert not (scope / LEAF).exists()  # nobody else's processes were moved
    assert (scope / "cgroup.subtree_control").read_text() == ""
    assert first.controllers == [] and not (first.v2 / "memory.max").exists()
    assert first.v2.parent == scope  # still a cgroup of its own: CPU time and kill
    (line,) = [r.getMessage() for r in caplog.records]
    assert "per-process rlimits only" in line and "was not delegated" in line
    assert "autograder/README.md" in line
    first.destroy()
    second.destroy()


@pytest.mark.usefixtures("fake_kernel")
def test_no_writable_cgroup_means_rlimits_only_said_once(tmp_path, caplog):
    root = tmp_path / "nothing"
    root.mkdir()
    with caplog.at_level(logging.WARNING, logger=cgroups.__name__):
        groups = [Cgroups(LIMITS, root=root, membership="0::/\n") for _ in range(3)]
    assert all(g.dirs == [] and g.controllers == [] and g.cpu_seconds() is None for g in groups)
    (line,) = [r.getMessage() for r in caplog.records]
    assert "per-process rlimits only" in line and "no cgroup v2 hierarchy" in line


@pytest.mark.usefixtures("fake_kernel")
def test_hybrid_takes_caps_from_v1_and_cpu_time_from_v2(tmp_path, caplog):
    root = tmp_path / "cgroup"
    unified = files(root / "unified", cgroup_controllers="", cgroup_subtree_control="",
                    cgroup_procs="1\n")
    memory = files(root / "memory" / "job7", cgroup_procs="")
    files(root / "memory", cgroup_procs="")
    pids = files(root / "pids", cgroup_procs="")
    membership = "8:pids:/\n4:memory:/job7\n0::/\n"
    with caplog.at_level(logging.WARNING, logger=cgroups.__name__):
        group = Cgroups(LIMITS, root=root, membership=membership)
    assert sorted(group.controllers) == ["v1:memory", "v1:pids"]
    assert (memory / group.v2.name / "memory.limit_in_bytes").read_text() == str(512 * 2 ** 20)
    assert (pids / group.v2.name / "pids.max").read_text() == "40"
    assert group.v2.parent == unified and not (group.v2 / "memory.max").exists()
    assert (unified / "cgroup.subtree_control").read_text() == ""
    assert not caplog.records  # the box is capped: nothing to warn about
    group.destroy()
    assert not [p for p in (unified, memory, pids) if list(p.glob("autograder-*"))]


@pytest.mark.usefixtures("fake_kernel")
def test_leftovers_of_a_dead_grader_are_removed(tmp_path):
    root, scope = v2_machine(tmp_path, procs="", subtree="memory pids")
    dead = files(scope / "autograder-999999999-deadbeef", cgroup_procs="")
    alive = files(scope / f"autograder-{os.getppid()}-cafecafe", cgroup_procs="")
    group = Cgroups(LIMITS, root=root, membership=f"0::{SCOPE}\n")
    assert not dead.exists() and alive.exists()
    group.destroy()


# ---- a real v2 hierarchy (v2-only or hybrid), where this machine has one --------------------

CHILD_BURNS = """
import os, signal, time
signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # children are reaped by nobody: /proc forgets them
pid = os.fork()
if pid == 0:
    t = time.process_time()
    while time.process_time() - t < 1.5:
        pass
    os._exit(0)
while True:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        break
    time.sleep(0.05)
print("child done", flush=True)
time.sleep(60)
"""


def test_real_v2_counts_cpu_of_children_that_proc_forgets(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    with Box(sub, None, Limits()) as box:
        if box.cgroups.v2 is None:
            pytest.skip("no writable cgroup v2 hierarchy on this machine")
        box.launch([sys.executable, "-c", CHILD_BURNS])
        deadline = time.monotonic() + 120
        while "child done" not in box.log_tail() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "child done" in box.log_tail(), box.log_tail()
        from_proc = sum(_cpu_of(pid) for pid in box.pids())
        assert box.cpu_seconds() >= 1.4, box.cpu_seconds()
        assert from_proc < 1.0, from_proc  # what the /proc walk alone would have seen
        path = box.cgroups.v2
    assert not path.exists()  # killed and removed with the box

