"""A throw-away local PostgreSQL server for tests: ``with postgres_server() as url: ...``.

initdb refuses to run as root, so as root the server runs as the ``postgres`` user (Debian's
package creates it) through ``runuser``. Data and socket live in a fresh temp folder owned by that
user; the server listens on a free port on 127.0.0.1 only, trusts local connections, and is
stopped (immediate mode) and deleted on exit, also when the test fails.
"""
from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator



def _pg_bin() -> Path:
    """$AUTOGRADER_PG_BIN, else the newest Debian /usr/lib/postgresql/VERSION/bin."""
    if os.environ.get("AUTOGRADER_PG_BIN"):
        return Path(os.environ["AUTOGRADER_PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()
MISSING = (f"PostgreSQL server programs not found in {PG_BIN} (set AUTOGRADER_PG_BIN to a "
           "folder holding initdb and pg_ctl); install them with scripts/ensure-system-deps.sh "
           "(Debian package postgresql)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


@contextlib.contextmanager
def postgres_server(database: str = "gradebook") -> Iterator[str]:
    """Yield the SQLAlchemy URL of an empty database on a fresh server."""
    if not (PG_BIN / "initdb").exists():
        raise RuntimeError(MISSING)
    base = Path(tempfile.mkdtemp(prefix="autograder-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
    data, port = base / "data", _free_port()
    started = False
    try:
        done = _as_server_user([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres",
                                "--auth=trust", "-E", "UTF8", "--no-sync"])
        if done.returncode:
            raise RuntimeError(f"initdb failed: {done.stderr[-2000:]}")
        options = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        done = _as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options,
                                "-l", str(base / "server.log"), "-w", "-t", "60", "start"])
        started = done.returncode == 0
        if not started:
            log = (base / "server.log").read_text() if (base / "server.log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {done.stderr[-2000:]}\n{log[-2000:]}")
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'CREATE DATABASE "{database}"')
        conn.close()
        yield f"postgresql://postgres@127.0.0.1:{port}/{database}"
    finally:
        if started:
            _as_server_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate",
                             "-w", "stop"], timeout=60)
        shutil.rmtree(base, ignore_errors=True)
