"""Where hidden inputs come from: one key per submission, one seed per draw.

    key  = HMAC-SHA256(course secret, "hidden-inputs/v1", assignment, student, code digest)
    seed = first 128 bits of HMAC-SHA256(key, group, check index, draw index)

The code digest (:func:`code_digest`) covers the code a student wrote, so regrading the same
code on any machine draws the same inputs and a changed submission draws new ones. The course
secret never leaves the grader: the kernel gets inputs, never the key or the secret.

Without a secret (an instructor running a solution notebook, the assignment tests) the inputs
come from :data:`DEVELOPMENT`, a fixed public key; grading never uses it (autograde.py always
derives a submission key from the course secret).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field

from autograder.cells import nbgrader_meta

SECRET_ENV = "AUTOGRADER_COURSE_SECRET"
SECRET_BYTES = 32
_HEX = re.compile(r"^[0-9a-f]{64,}$")
_SEP = b"\x1f"  # unit separator: no field below contains it (ids and names are text)


def new_secret() -> str:
    """A fresh course secret: 32 random bytes as 64 hex digits."""
    return secrets.token_hex(SECRET_BYTES)


def check_secret(text: str, where: str) -> str:
    """The secret, normalised; a ValueError saying what is wrong and what to do otherwise."""
    secret = (text or "").strip().lower()
    if not _HEX.match(secret):
        raise ValueError(f"the course secret in {where} must be at least 64 hex digits (make one "
                         "with: python -c 'import secrets; print(secrets.token_hex(32))')")
    return secret


def _mac(key: bytes, *parts: str) -> bytes:
    message = _SEP.join(str(p).encode("utf-8") for p in parts)
    return hmac.new(key, message, hashlib.sha256).digest()


@dataclass(frozen=True)
class DrawKey:
    """The key one submission's hidden inputs are drawn from. Its repr never shows the bytes."""

    key: bytes = field(repr=False)
    label: str = "submission"

    def seed(self, group: str, index: int, draw: int) -> int:
        """The generator seed of draw ``draw`` of check ``index`` of ``group``."""
        return int.from_bytes(_mac(self.key, group, str(index), str(draw))[:16], "big")

    @property
    def fingerprint(self) -> str:
        """A short public name for the key (log lines, tests); reveals nothing about it."""
        return _mac(self.key, "fingerprint").hex()[:12]


# Public on purpose: the inputs of the instructor's own runs, reproducible by anyone.
DEVELOPMENT = DrawKey(hashlib.sha256(b"trainlab hidden inputs: public development key").digest(),
                      "development")


def submission_key(secret: str, assignment: str, student: str, digest: str) -> DrawKey:
    """The key of one submission: the course secret, the assignment, the student, the code."""
    return DrawKey(_mac(bytes.fromhex(check_secret(secret, "the grader")), "hidden-inputs/v1",
                        assignment, student, digest), f"{assignment}/{student}")


def normalise_source(source: str) -> str:
    """A cell's code as it counts for the digest: lines without trailing whitespace, blank lines
    dropped, one newline style (so re-saving in another editor changes nothing)."""
    lines = (line.rstrip() for line in source.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def graded_code(notebook) -> list[str]:
    """The normalised code cells of a (restored) notebook that the student wrote: solution
    cells and cells they added, not locked cells (the release's, put back when grading).
    Outputs, execution counts and metadata other than nbgrader's ``locked`` never count."""
    out = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code" or nbgrader_meta(cell).get("locked"):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        text = normalise_source(source)
        if text:
            out.append(text)
    return out


def code_digest(notebooks: dict) -> str:
    """SHA-256 over {notebook name: notebook} of each notebook's :func:`graded_code`."""
    digest = hashlib.sha256()
    for name in sorted(notebooks):
        digest.update(b"notebook" + _SEP + name.encode() + _SEP)
        for text in graded_code(notebooks[name]):
            digest.update(hashlib.sha256(text.encode("utf-8")).digest())
    return digest.hexdigest()
