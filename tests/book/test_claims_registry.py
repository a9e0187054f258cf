"""The claims registry (book/claims/*.yml), the pages and the claim tests agree, and the checker
that says so can fail: each kind of drift, made on purpose in a scratch copy, is reported."""
import subprocess
import textwrap

import pytest

from support import book_pages

registry = book_pages.registry


def test_registry_pages_and_claim_tests_agree():
    assert registry.problems() == []


def test_every_registry_file_belongs_to_a_page_in_the_table_of_contents():
    listed = set(book_pages.toc_files())
    for path in registry.REGISTRY.glob("*.yml"):
        assert f"book/{path.stem}" in listed, f"{path.name}: no page book/{path.stem} in _toc.yml"


def test_the_claims_and_notation_pages_are_in_the_table_of_contents():
    listed = book_pages.toc_files()
    assert "book/claims" in listed and "book/notation" in listed


@pytest.fixture
def scratch(tmp_path):
    """A tiny book: one page with one label, one registry file, one claim test file."""
    book, reg, tests = tmp_path / "book", tmp_path / "book" / "claims", tmp_path / "tests"
    reg.mkdir(parents=True)
    tests.mkdir()
    (book / "09_demo.md").write_text("# Demo\n\n(sec-demo-a)=\n\n## A\n")
    (reg / "09_demo.yml").write_text("- id: C40\n  claim: Something true.\n  section: sec-demo-a\n")
    (tests / "test_claims_ch09.py").write_text("def test_C40_something_true():\n    pass\n")
    return {"registry": reg, "tests_dir": tests, "book": book}


def _problems(scratch):
    return registry.problems(**scratch)


def test_checker_passes_a_consistent_book(scratch):
    assert _problems(scratch) == []


def test_checker_reports_a_claim_without_a_test(scratch):
    (scratch["tests_dir"] / "test_claims_ch09.py").write_text("def test_other():\n    pass\n")
    assert any("no test asserts it" in p and "C40" in p for p in _problems(scratch))


def test_checker_reports_a_claim_whose_section_is_missing(scratch):
    (scratch["book"] / "09_demo.md").write_text("# Demo\n\n## A\n")
    assert any("sec-demo-a" in p and "not a label" in p for p in _problems(scratch))


def test_checker_reports_a_test_naming_an_unregistered_claim(scratch):
    with open(scratch["tests_dir"] / "test_claims_ch09.py", "a") as f:
        f.write("\n\ndef test_C41_nobody_registered_this():\n    pass\n")
    assert any("C41" in p and "registers" in p for p in _problems(scratch))


def test_checker_reports_a_malformed_entry_and_a_duplicate(scratch):
    (scratch["registry"] / "09_demo.yml").write_text(
        "- id: C40\n  claim: Something true.\n  section: sec-demo-a\n"
        "- id: C40\n  claim: Again.\n  section: sec-demo-a\n")
    assert any("registered twice" in p for p in _problems(scratch))
    (scratch["registry"] / "09_demo.yml").write_text("- id: C40\n  claim: No section.\n")
    assert any("needs exactly the fields" in p for p in _problems(scratch))


def test_claims_page_lists_every_claim_with_its_section_and_tests():
    text = registry.markdown()
    tests = registry.claim_tests()
    for claim in registry.load_claims():
        assert f"**{claim.id}** {claim.claim}" in text
        assert f"{{ref}}`{claim.section}`" in text
        for name in tests[claim.id]:
            assert f"`{name.split('::')[1]}`" in text


# Names of documents outside the repository (split so that this file does not name them).
OUTSIDE = ("sylla" "bus", "/sha" "red/")


def test_the_repository_points_at_its_own_claims_page_not_outside():
    """Comments, tests and the table of contents name claims by the book's claims page; nothing
    tracked refers to documents outside the repository."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=book_pages.ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    offenders = []
    for rel in filter(None, tracked):
        path = book_pages.ROOT / rel
        if rel.startswith("exercises/") or path.suffix not in {".py", ".md", ".yml", ".ipynb",
                                                                ".js", ".sh", ".txt", ".toml"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace").lower()
        offenders += [rel for word in OUTSIDE if word in text]
    assert not offenders, f"files pointing outside the repository: {sorted(set(offenders))}"
