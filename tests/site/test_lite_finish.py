"""The finish of the built site, checked in headless Chromium with no network: search snippets
read as prose, the theme's icons draw without Font Awesome's script, and the widget manager
served is the trimmed one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.offline_site import offline_chromium, serve

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]
WAIT_MS = 60_000


@pytest.fixture(scope="module")
def offline(built_site: Path):
    with serve(built_site) as url, offline_chromium(url) as browser:
        yield browser


TEX = re.compile(r"\\[A-Za-z]+|\\\(|\\\)|\$\$|\\\[")
CODE = re.compile(r"\bimport\b|from trainlab|\bglue\(|\bdef \w+\(|plt\.")


@pytest.mark.parametrize("query", ["momentum", "learning rate", "gradient"])
def test_search_snippets_are_prose_not_tex_or_hidden_code(offline, query):
    page = offline.open(f"search.html?q={query.replace(' ', '+')}")
    page.locator("#search-results li p.context").first.wait_for(timeout=WAIT_MS)
    page.wait_for_function("() => !document.querySelector('#search-progress')"
                           " || document.querySelector('#search-progress').textContent !== ''",
                           timeout=WAIT_MS)
    snippets = page.locator("#search-results li p.context").all_inner_texts()
    assert snippets, f"no snippet for {query!r}"
    tex = [s for s in snippets if TEX.search(s)]
    code = [s for s in snippets if CODE.search(s)]
    assert not tex, f"snippets show raw TeX: {tex[:2]}"
    assert not code, f"snippets show code: {code[:2]}"
    assert all(len(s.split()) >= 5 for s in snippets), snippets
    assert not offline.problems.page_errors, offline.problems.report()


def test_plain_math_reads_as_symbols(offline):
    page = offline.open("search.html")
    page.wait_for_function("() => window.trainlabSearchProse", timeout=WAIT_MS)
    plain = page.evaluate("""() => [
        trainlabSearchProse.plainMath('\\\\(\\\\alpha < 2/L_{\\\\max}\\\\)'),
        trainlabSearchProse.plainMath('\\\\(\\\\frac{1}{\\\\sqrt{|B|}}\\\\)'),
        trainlabSearchProse.plainMath('\\\\(\\\\beta_1, \\\\beta_2\\\\)')]""")
    assert plain == ["α < 2/L_max", "1/√|B|", "β_1, β_2"], plain


def test_pages_load_no_icon_script_and_still_draw_the_theme_icons(offline, built_site):
    for html in built_site.rglob("*.html"):
        assert "fontawesome.js" not in html.read_text(encoding="utf-8"), html
    page = offline.open("book/01_sgd.html")
    icons = page.locator("i.fa-solid, i.fa-regular, i.fa-brands")
    assert icons.count() > 0, "the theme shows no Font Awesome icon on this page"
    drawn = page.evaluate("""() => [...document.querySelectorAll(
            'i.fa-solid, i.fa-regular, i.fa-brands')].map(i => {
        const before = getComputedStyle(i, '::before');
        return [i.className, before.fontFamily, before.content];
    })""")
    undrawn = [d for d in drawn if "Font Awesome" not in d[1] or d[2] in ("none", '""')]
    assert not undrawn, f"icons without a glyph: {undrawn}"
    page.evaluate("() => document.fonts.ready")
    assert page.evaluate("() => [...document.fonts].some(f => f.family.includes('Font Awesome')"
                         " && f.status === 'loaded')"), "no Font Awesome web font loaded"
    assert not offline.problems, offline.problems.report()


def test_widget_manager_has_no_ipywidgets_7_copy():
    bundle = (REPO / "site_assets/dist/vendor/html-manager/embed-amd.js").read_bytes()
    assert b'define("@jupyter-widgets/base"' in bundle
    assert b'define("@jupyter-widgets/html-manager"' in bundle
    assert b'define("@jupyter-widgets/base7"' not in bundle
    assert b'define("@jupyter-widgets/controls7"' not in bundle
