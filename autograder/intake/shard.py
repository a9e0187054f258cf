"""``--shard i/N``: which students this machine grades when N machines share one gradebook.

Student s belongs to shard 1 + (SHA-256 of its id mod N). That depends on the id alone: the
same on every machine, in every run, whatever else is in the class, so a student added later
never moves the others to another shard.
"""
from __future__ import annotations

import hashlib
import re

from autograder.course import CourseError


def parse_shard(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise CourseError(f"--shard {text!r} is not i/N with 1 <= i <= N (e.g. --shard 1/2 on one "
                          "machine and --shard 2/2 on the other)")
    return int(match[1]), int(match[2])


def shard_of(student: str, count: int) -> int:
    digest = hashlib.sha256(student.encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:8], "big") % count


def in_shard(student: str, shard: tuple[int, int] | None) -> bool:
    return shard is None or shard_of(student, shard[1]) == shard[0]
