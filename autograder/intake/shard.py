"""``--shard i/N``: which students this machine grades when N machines share one gradebook.

``--shard auto/N`` reads the 0-based index a scheduler gives each task of an array job:
``JOB_COMPLETION_INDEX`` (a Kubernetes Indexed Job) or ``SLURM_ARRAY_TASK_ID`` (a Slurm job array
``--array=0-(N-1)``), and grades shard index + 1 of N.

Student s belongs to shard 1 + (SHA-256 of its id mod N). That depends on the id alone: the
same on every machine, in every run, whatever else is in the class, so a student added later
never moves the others to another shard.
"""
from __future__ import annotations

import hashlib
import os
import re

from autograder.course import CourseError


INDEX_VARS = ("JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID")


def parse_shard(text: str, environ=None) -> tuple[int, int]:
    environ = os.environ if environ is None else environ
    auto = re.fullmatch(r"\s*auto\s*/\s*(\d+)\s*", text or "")
    if auto:
        count = int(auto[1])
        var = next((v for v in INDEX_VARS if environ.get(v, "").strip()), None)
        if var is None:
            raise CourseError(f"--shard auto/{count}: neither {' nor '.join(INDEX_VARS)} is set; "
                              "run it as a Kubernetes Indexed Job or a Slurm job array "
                              f"(--array=0-{count - 1}), or give --shard i/{count}")
        value = environ[var].strip()
        if not value.isdigit() or not 0 <= int(value) < count:
            raise CourseError(f"--shard auto/{count}: {var}={value!r} is not an index from 0 to "
                              f"{count - 1} (Slurm: --array=0-{count - 1}; Kubernetes: "
                              f"completions: {count})")
        return int(value) + 1, count
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not match or not 1 <= int(match[1]) <= int(match[2]):
        raise CourseError(f"--shard {text!r} is not i/N with 1 <= i <= N (e.g. --shard 1/2 on one "
                          "machine and --shard 2/2 on the other) or auto/N (in a job array)")
    return int(match[1]), int(match[2])


def shard_of(student: str, count: int) -> int:
    digest = hashlib.sha256(student.encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:8], "big") % count


def in_shard(student: str, shard: tuple[int, int] | None) -> bool:
    return shard is None or shard_of(student, shard[1]) == shard[0]
