"""Every page of the built site on a phone, a tablet and a desktop, in light and dark mode, as a
reader with no network: nothing scrolls sideways, the navigation opens, ids are unique, maths is
not a tab stop, text (the demos' tick labels too) keeps WCAG AA contrast, and axe-core (from npm,
tests/site/package.json) reports no serious or critical violation.

Screenshots for a person to look at: TRAINLAB_SCREENSHOTS=<folder> saves one per page and
viewport while the overflow test runs.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from support.offline_site import PageProblems, offline_chromium, wait_until_widgets_rendered

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": (360, 740), "tablet": (768, 1024), "desktop": (1366, 900)}
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = os.environ.get("TRAINLAB_SCREENSHOTS")


def site_pages(built_site: Path) -> list[str]:
    paths = (p.relative_to(built_site) for p in built_site.rglob("*.html"))
    return sorted(p.as_posix() for p in paths
                  if p.parts[0] not in ("_sources", "_static", "vendor", "lite")
                  and p.name not in ("search.html", "genindex.html"))


def redirect_target(built_site: Path, path: str) -> str:
    refresh = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"',
                        (built_site / path).read_text(encoding="utf-8"))
    return (Path(path).parent / refresh.group(1)).as_posix() if refresh else path


@pytest.fixture(scope="module")
def pages(built_site: Path) -> list[str]:
    found = sorted({redirect_target(built_site, p) for p in site_pages(built_site)})
    assert "book/01_sgd.html" in found
    return found


def open_ready(browser, path: str, viewport: str, dark: bool = False):
    """The page at a viewport, widgets rendered and MathJax done."""
    page = browser.open(path, viewport=VIEWPORTS[viewport], dark=dark)
    wait_until_widgets_rendered(page, browser, timeout_s=60)
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.wait_for_timeout(300)  # the site script marks wide boxes on the next frame
    return page


# Horizontal overflow: the page itself, and anything wider than the screen that is not inside a
# box that scrolls on its own. Wide boxes that scroll must say so (caption) and be focusable.
OVERFLOW_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const sticking = [];
  for (const el of document.querySelectorAll('.bd-article *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || r.right <= vw + 1) continue;
    let p = el.parentElement, inBox = false;
    while (p && p !== document.body) {
      const s = getComputedStyle(p);
      if (s.overflowX !== 'visible' && p.scrollWidth > p.clientWidth) { inBox = true; break; }
      p = p.parentElement;
    }
    if (!inBox) sticking.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') + ' right=' + Math.round(r.right));
  }
  const unmarked = [...document.querySelectorAll('mjx-container[display="true"], .bd-article .table-wrapper')]
    .filter(b => b.scrollWidth > b.clientWidth + 1)
    .filter(b => !(b.hasAttribute('data-trainlab-scrolls') && b.tabIndex === 0 &&
                   b.nextElementSibling && b.nextElementSibling.classList.contains('trainlab-scroll-hint') &&
                   b.nextElementSibling.getBoundingClientRect().height > 0))
    .map(b => b.tagName.toLowerCase());
  return { page: document.documentElement.scrollWidth - vw, sticking: sticking.slice(0, 5), unmarked };
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_page_scrolls_sideways_and_wide_boxes_scroll_on_their_own(site_server, pages, viewport):
    failures = {}
    with offline_chromium(site_server) as browser:
        for path in pages:
            browser.problems = PageProblems()
            page = open_ready(browser, path, viewport)
            found = page.evaluate(OVERFLOW_JS)
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{SHOTS}/{Path(path).stem}_{viewport}.png", full_page=True)
            page.close()
            if found["page"] > 0 or found["sticking"] or found["unmarked"] or browser.problems:
                failures[path] = {**found, "problems": browser.problems.report()}
    assert not failures, json.dumps(failures, indent=1)


SIDEBAR_VISIBLE_JS = """(sel) => {
  const el = document.querySelector(sel);
  if (!el) return false;
  const r = el.getBoundingClientRect(), s = getComputedStyle(el);
  return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 100 && r.right > 50 &&
         r.left < innerWidth - 50 && Number(s.opacity) > 0.5;
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_navigation_opens_and_closes(site_server, viewport):
    with offline_chromium(site_server) as browser:
        page = open_ready(browser, "book/01_sgd.html", viewport)
        toggle = page.locator("button.primary-toggle").first
        assert toggle.is_visible(), "no visible button to open the chapters' list"
        if viewport == "desktop":
            # The list is shown beside the text; the button hides it and shows it again.
            assert page.evaluate(SIDEBAR_VISIBLE_JS, "#pst-primary-sidebar")
            toggle.click()
            page.wait_for_timeout(500)
            assert not page.evaluate(SIDEBAR_VISIBLE_JS, "#pst-primary-sidebar"), "menu button did not hide it"
            toggle.click()
            page.wait_for_timeout(500)
            assert page.evaluate(SIDEBAR_VISIBLE_JS, "#pst-primary-sidebar")
        else:
            assert not page.evaluate(SIDEBAR_VISIBLE_JS, "#pst-primary-sidebar")
            toggle.click()
            page.wait_for_timeout(500)
            dialog = page.locator("#pst-primary-sidebar-modal")
            assert page.evaluate(SIDEBAR_VISIBLE_JS, "#pst-primary-sidebar-modal"), "the menu opened nothing"
            assert dialog.get_by_role("link", name=re.compile("momentum", re.I)).first.is_visible()
            page.keyboard.press("Escape")
            page.wait_for_timeout(300)
            assert not page.evaluate(SIDEBAR_VISIBLE_JS, "#pst-primary-sidebar-modal")
        # The page's own contents ("Contents" on narrow screens, beside the text on wide ones).
        contents = page.locator("button.secondary-toggle").first
        if contents.is_visible():
            contents.click()
            page.wait_for_timeout(500)
            assert page.evaluate(SIDEBAR_VISIBLE_JS, "#pst-secondary-sidebar-modal"), "Contents opened nothing"
            page.keyboard.press("Escape")
        else:
            assert page.evaluate(SIDEBAR_VISIBLE_JS, "#pst-secondary-sidebar")
    assert not browser.problems, browser.problems.report()


PAGE_CHECKS_JS = """() => {
  const ids = {};
  for (const el of document.querySelectorAll('[id]')) ids[el.id] = (ids[el.id] || 0) + 1;
  const duplicates = Object.entries(ids).filter(([, n]) => n > 1).map(([id]) => id);
  const mathStops = [...document.querySelectorAll('mjx-container')]
    .filter(m => m.tabIndex >= 0 && !m.hasAttribute('data-trainlab-scrolls')).length;
  const altless = [...document.querySelectorAll('.bd-article img')]
    .filter(i => !i.alt || /\\.(png|svg|jpe?g)$/i.test(i.alt) || /^_?build|jupyter_execute/.test(i.alt))
    .map(i => i.getAttribute('src'));
  const unreachable = [...document.querySelectorAll('.trainlab-demo :is(input, select, button)')]
    .filter(c => !c.disabled && c.tabIndex < 0).length;
  return { duplicates, mathStops, altless, unreachable };
}"""


def test_ids_unique_maths_not_tab_stops_figures_described_controls_reachable(site_server, pages):
    failures = {}
    with offline_chromium(site_server) as browser:
        for path in pages:
            page = open_ready(browser, path, "desktop")
            found = page.evaluate(PAGE_CHECKS_JS)
            page.close()
            if any(found.values()):
                failures[path] = found
    assert not failures, json.dumps(failures, indent=1)


# Contrast of the demos' text and of their canvas tick labels (drawn in `muted`, 0.8 of the
# text colour over the background) against the background they actually sit on.
CONTRAST_JS = """() => {
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
    .map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = el => {
    for (let p = el; p; p = p.parentElement) {
      const c = parse(getComputedStyle(p).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
    }
    return parse(getComputedStyle(document.documentElement).backgroundColor).slice(0, 3);
  };
  return [...document.querySelectorAll('.trainlab-demo')].map(demo => {
    const fg = parse(getComputedStyle(demo).color).slice(0, 3), bg = background(demo);
    const muted = fg.map((v, i) => 0.8 * v + 0.2 * bg[i]);
    return { text: ratio(fg, bg), ticks: ratio(muted, bg), bgLum: lum(bg) };
  });
}"""


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_demos_keep_aa_contrast_and_take_the_page_theme(site_server, pages, dark):
    failures = {}
    with offline_chromium(site_server) as browser:
        for path in pages:
            page = open_ready(browser, path, "desktop", dark=dark)
            assert page.evaluate("document.documentElement.dataset.theme") == ("dark" if dark else "light")
            demos = page.evaluate(CONTRAST_JS)
            figures = page.evaluate("""() => [...document.querySelectorAll('.bd-article .cell_output img')]
              .filter(i => !i.classList.contains('trainlab-photo')).map(i => getComputedStyle(i).filter)""")
            page.close()
            bad = [d for d in demos if d["text"] < 4.5 or d["ticks"] < 4.5
                   or (d["bgLum"] > 0.2 if dark else d["bgLum"] < 0.5)]
            undimmed = [f for f in figures if (f == "none") == dark]
            if bad or undimmed:
                failures[path] = {"demos": bad, "figure filters": undimmed}
    assert not failures, json.dumps(failures, indent=1)


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tests/site` (axe-core, pinned in "
                    "tests/site/package-lock.json)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("viewport, dark", [("desktop", False), ("phone", True)],
                         ids=["desktop-light", "phone-dark"])
def test_axe_finds_no_serious_or_critical_violation(site_server, pages, axe_source, viewport, dark):
    failures = {}
    with offline_chromium(site_server) as browser:
        for path in pages:
            page = open_ready(browser, path, viewport, dark=dark)
            page.add_script_tag(content=axe_source)
            result = page.evaluate("""async () => {
              const r = await axe.run(document, { resultTypes: ['violations'] });
              return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }));
            }""")
            page.close()
            if result:
                failures[path] = result
    assert not failures, json.dumps(failures, indent=1)


def test_keyboard_reaches_the_first_demo_without_stopping_on_maths(site_server):
    with offline_chromium(site_server) as browser:
        page = open_ready(browser, "book/01_sgd.html", "desktop")
        stops = []
        for _ in range(80):
            page.keyboard.press("Tab")
            where = page.evaluate("""() => { const a = document.activeElement;
              return { tag: a.tagName.toLowerCase(), demo: !!a.closest('.trainlab-demo'),
                       math: !!a.closest('mjx-container') && !a.closest('[data-trainlab-scrolls]') }; }""")
            stops.append(where)
            if where["demo"]:
                break
        assert stops[-1]["demo"], "80 Tab presses did not reach a demo's first control"
        assert not any(s["math"] for s in stops), "a formula is a tab stop"
        # The first control works from the keyboard: its value moves with the arrow keys.
        before = page.evaluate("document.activeElement.value")
        page.keyboard.press("ArrowRight" if stops[-1]["tag"] == "input" else "ArrowDown")
        assert page.evaluate("document.activeElement.value") != before
    print(f"Tab presses to chapter 1's first demo control: {len(stops)}")
