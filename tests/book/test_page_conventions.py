"""What a reader gets on every page of the table of contents (the conventions in README.md):
captioned figures with alt text, a "What to try" after every live demo, questions and references
at the end of each chapter, numbers in prose computed rather than typed, unique labels."""
import re
from collections import Counter

import pytest

from support import book_pages

PAGES = book_pages.toc_files()
CHAPTERS = [p for p in PAGES if book_pages.page(p).is_chapter]

# A measured-looking number in running text: a decimal (0.95, .5), a percentage or a ratio such
# as "2.3x". Settings belong in maths ($\rho = 0.9$) and measurements in glue.
TYPED_NUMBER = re.compile(r"(?<![\w.])(\d*\.\d+|\d+(\.\d+)?\s?%|\d+(\.\d+)?x\b)")


def _words(text) -> int:
    return len(str(text or "").split())


@pytest.mark.parametrize("rel", PAGES)
def test_every_figure_has_a_caption_saying_what_to_look_for_and_alt_text(rel):
    page = book_pages.page(rel)
    for cell in page.cells:
        if cell.cell_type != "code" or not book_pages.DRAWS_FIGURE.search(cell.source):
            continue
        meta = cell.metadata.get("mystnb", {})
        first_line = cell.source.strip().splitlines()[0]
        where = f"{rel}.md, figure cell starting {first_line!r}"
        figure, image = meta.get("figure", {}), meta.get("image", {})
        assert _words(figure.get("caption")) >= 8, (
            f"{where}: needs mystnb.figure.caption, a sentence saying what to look for")
        assert figure.get("name"), f"{where}: needs mystnb.figure.name (a label such as fig-...)"
        assert _words(image.get("alt")) >= 5, (
            f"{where}: needs mystnb.image.alt describing the plot for a reader who cannot see it")


@pytest.mark.parametrize("rel", PAGES)
def test_every_live_demo_is_followed_by_what_to_try(rel):
    page = book_pages.page(rel)
    cells = page.cells
    for i in page.demo_cells():
        cell = cells[i]
        where = f"{rel}.md, demo {cell.source.strip().splitlines()[-1]!r}"
        assert "remove-input" in cell.metadata.get("tags", []), (
            f"{where}: tag the demo cell remove-input so no code shows above the demo")
        following = cells[i + 1].source.lstrip() if i + 1 < len(cells) else ""
        m = re.match(r"(`{3,}|~{3,})\{admonition\} What to try\s*\n(.*?)\n\1", following, re.S)
        assert m, f"{where}: put a ```{{admonition}} What to try block right after the demo"
        moves = re.findall(r"^\s*[-*] \S", m.group(2), re.M)
        assert 2 <= len(moves) <= 3, (
            f"{where}: 'What to try' lists {len(moves)} moves; give two or three, each a move "
            "and what the reader should see")


@pytest.mark.parametrize("rel", CHAPTERS)
def test_chapter_ends_with_questions_and_references(rel):
    page = book_pages.page(rel)
    titles = [t.strip() for t, _ in page.sections()]
    assert titles[-2:] == ["Questions", "References"], (
        f"{rel}.md: the last two sections must be '## Questions' then '## References'; "
        f"the page's sections are {titles}")


@pytest.mark.parametrize("rel", CHAPTERS)
def test_three_to_five_questions_each_with_a_folded_answer(rel):
    body = book_pages.page(rel).section("Questions") or ""
    questions = re.split(r"^\d+\.\s", body, flags=re.M)[1:]
    assert 3 <= len(questions) <= 5, f"{rel}.md: {len(questions)} numbered questions, want 3-5"
    for n, q in enumerate(questions, 1):
        answers = re.findall(r"^\s+(`{3,}|~{3,})\{dropdown\} Answer", q, re.M)
        assert len(answers) == 1, (
            f"{rel}.md, question {n}: indent one ```{{dropdown}} Answer block under it "
            f"(found {len(answers)})")


@pytest.mark.parametrize("rel", CHAPTERS)
def test_references_list_the_sources(rel):
    body = book_pages.page(rel).section("References") or ""
    items = re.findall(r"^(-|\d+\.) \S", body, re.M)
    assert len(items) >= 2, f"{rel}.md: list the papers and notes the chapter relies on"


@pytest.mark.parametrize("rel", PAGES)
def test_numbers_in_prose_are_computed_not_typed(rel):
    """Judgement encoded as a rule: a decimal, a percentage or an "N.Nx" in running text is
    almost always a measurement, and a measurement typed by hand goes stale when the experiment
    changes. Bind it with glue ({glue:text}`key:.2f`); write settings as maths
    ($\\alpha = 0.1$). References are exempt (volumes, arXiv ids)."""
    page = book_pages.page(rel)
    text = "\n".join(body for title, body in page.sections() if title.strip() != "References")
    text = page.markdown.split("\n## ")[0] + "\n" + text  # the part before the first section
    found = []
    for line in book_pages.prose(text).splitlines():
        found += [f"{m.group(0)!r} in: {line.strip()[:100]}" for m in TYPED_NUMBER.finditer(line)]
    assert not found, (f"{rel}.md has numbers typed into prose; glue them from the experiment "
                       "or write settings as maths:\n  " + "\n  ".join(found))


def test_labels_are_unique_across_the_book():
    labels = []
    for rel in PAGES:
        page = book_pages.page(rel)
        labels += [(label, rel) for label in book_pages.MYST_LABEL.findall(page.markdown)]
        labels += [(cell.metadata["mystnb"]["figure"]["name"], rel) for cell in page.cells
                   if cell.metadata.get("mystnb", {}).get("figure", {}).get("name")]
    counts = Counter(label for label, _ in labels)
    dupes = {label: [rel for lab, rel in labels if lab == label]
             for label, n in counts.items() if n > 1}
    assert not dupes, f"labels defined more than once (label: pages): {dupes}"


def test_every_book_page_is_in_the_table_of_contents():
    listed = set(PAGES)
    pages = {f"book/{p.stem}" for p in (book_pages.ROOT / "book").glob("*.md")}
    assert pages <= listed, f"pages missing from _toc.yml: {sorted(pages - listed)}"
