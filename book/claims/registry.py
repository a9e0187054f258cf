"""The claims registry: every claim the book makes, the section that shows it, the test that
asserts it. One source for the claims page (book/claims.md) and the tests in tests/book/.

A chapter page ``book/<stem>.md`` registers its claims in ``book/claims/<stem>.yml``:

    - id: C18
      claim: One line, in the book's own words.
      section: sec-schedules-plateau   # a MyST label `(sec-schedules-plateau)=` in the page

A claim test lives in ``tests/claims/`` and carries the id in its name,
``test_C18_<what_it_shows>`` (several tests per claim are fine). ``problems()`` lists every way
the three disagree: a claim without a test or without its section, a test naming an
unregistered claim, a malformed entry. The claims page refuses to build while any remain.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
REGISTRY = BOOK / "claims"
CLAIM_TESTS = ROOT / "tests" / "claims"

CLAIM_ID = re.compile(r"C\d{2}[a-z]?")
TEST_DEF = re.compile(r"^def (test_(C\d{2}[a-z]?)_\w+)\(", re.M)
MYST_LABEL = re.compile(r"^\(([A-Za-z0-9_.:-]+)\)=[ \t]*$", re.M)
FIELDS = ("id", "claim", "section")


class RegistryError(ValueError):
    """A registry file that cannot be read as a list of claims."""


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str
    section: str
    page: str  # the page stem, e.g. "01_sgd"


def claim_sort_key(claim_id: str):
    """C00a < C00b < C01 < ... < C37: by number, then by letter."""
    return int(claim_id[1:3]), claim_id[3:]


def load_claims(registry: Path = REGISTRY) -> list[Claim]:
    """Every registered claim, in id order. Raises RegistryError naming the file and entry when
    an entry is not a mapping with exactly the fields id, claim and section."""
    claims = []
    for path in sorted(registry.glob("*.yml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(entries, list):
            raise RegistryError(f"{path.name}: expected a list of claims (lines starting "
                                f"'- id: ...'), got {type(entries).__name__}")
        for i, entry in enumerate(entries, 1):
            if not isinstance(entry, dict) or set(entry) != set(FIELDS):
                got = sorted(entry) if isinstance(entry, dict) else repr(entry)
                raise RegistryError(f"{path.name}, entry {i}: needs exactly the fields "
                                    f"{', '.join(FIELDS)}; got {got}")
            if not all(isinstance(entry[f], str) and entry[f].strip() for f in FIELDS):
                raise RegistryError(f"{path.name}, entry {i}: id, claim and section must be "
                                    "non-empty text")
            claims.append(Claim(entry["id"].strip(), " ".join(entry["claim"].split()),
                                entry["section"].strip(), path.stem))
    return sorted(claims, key=lambda c: claim_sort_key(c.id) if CLAIM_ID.fullmatch(c.id)
                  else (999, c.id))


def claim_tests(tests_dir: Path = CLAIM_TESTS) -> dict[str, list[str]]:
    """Claim id -> the tests that assert it, as ``tests/claims/<file>::<test name>``."""
    found: dict[str, list[str]] = {}
    for path in sorted(tests_dir.glob("test_*.py")):
        rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
        for name, claim_id in TEST_DEF.findall(path.read_text(encoding="utf-8")):
            found.setdefault(claim_id, []).append(f"{rel}::{name}")
    return found


def page_labels(stem: str, book: Path = BOOK) -> set[str]:
    """The MyST labels ``(label)=`` defined in book/<stem>.md (empty if there is no such page)."""
    page = book / f"{stem}.md"
    return set(MYST_LABEL.findall(page.read_text(encoding="utf-8"))) if page.exists() else set()


def page_title(stem: str, book: Path = BOOK) -> str:
    """The first level-1 heading of book/<stem>.md."""
    text = (book / f"{stem}.md").read_text(encoding="utf-8")
    match = re.search(r"^# (.+)$", text, re.M)
    return match.group(1).strip() if match else stem


def problems(registry: Path = REGISTRY, tests_dir: Path = CLAIM_TESTS,
             book: Path = BOOK) -> list[str]:
    """Every disagreement between the registry, the pages and the claim tests, one sentence
    each saying what is wrong and what to do. Empty when all is well."""
    try:
        claims = load_claims(registry)
    except RegistryError as err:
        return [str(err)]
    tests = claim_tests(tests_dir)
    out, seen = [], set()
    for c in claims:
        where = f"{c.page}.yml, {c.id}"
        if not CLAIM_ID.fullmatch(c.id):
            out.append(f"{where}: ids look like C07 or C00a")
        if c.id in seen:
            out.append(f"{where}: registered twice; each claim has one entry in one file")
        seen.add(c.id)
        if not (book / f"{c.page}.md").exists():
            out.append(f"{where}: there is no page book/{c.page}.md for this registry file")
        elif c.section not in page_labels(c.page, book):
            out.append(f"{where}: section '{c.section}' is not a label in book/{c.page}.md; "
                       f"put a line '({c.section})=' above the heading that shows the claim")
        if c.id not in tests:
            out.append(f"{where}: no test asserts it; add test_{c.id}_<what_it_shows> to "
                       "tests/claims/")
    for claim_id, names in sorted(tests.items()):
        if claim_id not in seen:
            out.extend(f"{name}: names {claim_id}, which no book/claims/*.yml registers"
                       for name in names)
    return out


def markdown(claims: list[Claim] | None = None, tests: dict[str, list[str]] | None = None,
             outcomes: dict[str, str] | None = None) -> str:
    """The claims page's body as MyST: one list per chapter, each claim with its one-line
    statement, a link to its section and its tests (with ``outcomes[test] `` when given)."""
    claims = load_claims() if claims is None else claims
    tests = claim_tests() if tests is None else tests
    lines = []
    for stem in dict.fromkeys(c.page for c in claims):
        lines += [f"## {page_title(stem)}", ""]
        for c in (c for c in claims if c.page == stem):
            lines.append(f"- **{c.id}** {c.claim} Shown in {{ref}}`{c.section}`.")
            for name in tests.get(c.id, []):
                status = f" ({outcomes[name]})" if outcomes and name in outcomes else ""
                file, test = name.split("::")
                lines.append(f"  - `{test}` in `{file}`{status}")
        lines.append("")
    return "\n".join(lines)
