"""The static site checked as a reader with no network would: served from _build/html on
localhost, opened in headless Chromium with every non-local request blocked.

Works for any demo that follows the project's widget convention (trainlab/widgets): the demo's
root element has class `trainlab-demo`, its numbers are `<input type="range">` sliders, its
choices `<select>` menus and its on/off switches `<input type="checkbox">` (controls that can
change nothing in the current state are disabled and skipped), and an element with class
`trainlab-readout` summarises the current result. Every control is used from the keyboard.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from support.book_pages import page as book_page, toc_files
from support.offline_site import (MENUS, SLIDERS, TOGGLES, PageProblems, WidgetsNotRendered,
                                  demo_snapshots, offline_chromium, wait_until_widgets_rendered)

pytestmark = pytest.mark.browser

CHAPTER_1 = "book/01_sgd.html"


def demos_shown(rel: str) -> int:
    """How many live demos a page of the book shows: one per demo cell, each of which imports
    its widget from trainlab.widgets."""
    return (Path(__file__).resolve().parents[2] / f"{rel}.md").read_text(encoding="utf-8").count("from trainlab.widgets import")


# Every chapter page with live demos, and how many it must show.
DEMO_PAGES = {f"{rel}.html": n for rel in toc_files() if book_page(rel).is_chapter
              for n in [demos_shown(rel)] if n}
RENDER_TIMEOUT_S = 30.0  # 2 cores: parsing the 3.6 MB widget manager alone takes ~0.5 s
REDRAW_TIMEOUT_S = 5.0


def wait_for_widgets(page, browser) -> None:
    try:
        wait_until_widgets_rendered(page, browser, timeout_s=RENDER_TIMEOUT_S)
    except WidgetsNotRendered as error:
        pytest.fail(str(error))


def wait_for_mathjax(page) -> None:
    """Wait for MathJax's first typeset, if the page loads MathJax."""
    page.evaluate("() => window.MathJax && window.MathJax.startup && MathJax.startup.promise")


def slider(page, demo: int, index: int):
    return page.locator(".trainlab-demo").nth(demo).locator(SLIDERS).nth(index)


def switch(page, demo: int, index: int):
    return page.locator(".trainlab-demo").nth(demo).locator(TOGGLES).nth(index)


def menu(page, demo: int, index: int):
    return page.locator(".trainlab-demo").nth(demo).locator(MENUS).nth(index)


def press_space(page, demo: int, index: int) -> None:
    """Flip a switch from the keyboard, as a reader without a mouse would."""
    handle = switch(page, demo, index)
    handle.focus()
    handle.press("Space")


def move_to_far_end(page, demo: int, index: int) -> tuple[str, str]:
    """A move a reader can make: focus the slider and press End (or Home if at the max)."""
    handle = slider(page, demo, index)
    before = handle.input_value()
    at_max = handle.evaluate("s => Number(s.value) >= Number(s.max || 100)")
    handle.focus()
    handle.press("Home" if at_max else "End")
    return before, handle.input_value()


def put_back(page, demo: int, index: int, value: str) -> None:
    slider(page, demo, index).evaluate("""(s, v) => {
      s.value = v;
      s.dispatchEvent(new Event('input', { bubbles: true }));
      s.dispatchEvent(new Event('change', { bubbles: true }));
    }""", value)


def wait_for_change(page, demo: int, before: dict) -> dict:
    deadline = time.monotonic() + REDRAW_TIMEOUT_S
    while True:
        now = demo_snapshots(page)[demo]
        if (now["readout"], now["drawing"]) != (before["readout"], before["drawing"]) \
                or time.monotonic() > deadline:
            return now
        page.wait_for_timeout(50)


def check_demos_are_live(page, browser, min_demos: int, where: str) -> None:
    """Every demo on the page draws and has a readout, and every slider and switch a reader can
    use changes what the demo shows."""
    wait_for_widgets(page, browser)
    demos = demo_snapshots(page)
    assert len(demos) >= min_demos, \
        f"{where} must show at least {min_demos} live demos, found {len(demos)}"
    for i in range(len(demos)):
        check_demo_is_live(page, i)


def check_demo_is_live(page, i: int) -> None:
    """The i-th demo of the page draws and has a readout; every slider, menu option and switch
    a reader can use changes what it shows, and each menu option reads or draws differently."""
    demo = demo_snapshots(page)[i]
    assert demo["sliders"] + demo["menus"] + demo["toggles"] >= 1, f"demo {i} has no control"
    assert demo["readout"], f"demo {i} has no .trainlab-readout element"
    assert demo["drawing"], f"demo {i} draws nothing (no canvas or svg)"
    # Each slider is moved from the page's initial state and put back afterwards:
    # some sliders only matter in some states (a seed does nothing at full batch).
    for j in range(demo["sliders"]):
        before = demo_snapshots(page)[i]
        old_value, new_value = move_to_far_end(page, i, j)
        assert new_value != old_value, f"demo {i} slider {j} did not move ({old_value})"
        after = wait_for_change(page, i, before)
        assert (after["readout"], after["drawing"]) != (before["readout"],
                                                        before["drawing"]), (
            f"demo {i}: moving slider {j} from {old_value} to {new_value} changed "
            f"neither the readout {before['readout']} nor the drawing")
        put_back(page, i, j, old_value)
    # Each menu: every other option is chosen (focus, arrow key; the change event fires as
    # it does when a reader picks from the list), then the first choice is restored.
    for j in range(demo["menus"]):
        handle = menu(page, i, j)
        first = handle.evaluate("s => s.selectedIndex")
        count = handle.evaluate("s => s.options.length")
        assert count >= 2, f"demo {i} menu {j} offers no choice"
        start = demo_snapshots(page)[i]
        seen = {(tuple(start["readout"]), tuple(start["drawing"]))}
        # By index: Playwright matches a string against labels too, and "1" is a label here.
        for value in range(count):
            if value == first:
                continue
            before = demo_snapshots(page)[i]
            handle.select_option(index=value)
            after = wait_for_change(page, i, before)
            assert (after["readout"], after["drawing"]) != (before["readout"], before["drawing"]), (
                f"demo {i}: choosing option {value} of menu {j} changed neither the readout "
                "nor the drawing")
            look = (tuple(after["readout"]), tuple(after["drawing"]))
            assert look not in seen, f"demo {i}: option {value} of menu {j} looks like another"
            seen.add(look)
        handle.select_option(index=first)
        wait_for_change(page, i, demo_snapshots(page)[i])
    # Each switch is flipped with the space bar and flipped back.
    for j in range(demo["toggles"]):
        before = demo_snapshots(page)[i]
        press_space(page, i, j)
        after = wait_for_change(page, i, before)
        assert (after["readout"], after["drawing"]) != (before["readout"],
                                                        before["drawing"]), (
            f"demo {i}: clicking switch {j} changed neither the readout nor the drawing")
        press_space(page, i, j)
        restored = wait_for_change(page, i, after)
        assert (restored["readout"], restored["drawing"]) == (before["readout"],
                                                              before["drawing"]), (
            f"demo {i}: clicking switch {j} twice did not restore the demo")


def test_every_chapter_with_demos_is_checked():
    assert {"book/01_sgd.html": 2, "book/02_momentum.html": 2, "book/03_adaptive.html": 3,
            "book/05_second_order.html": 2}.items() <= DEMO_PAGES.items()


@pytest.mark.parametrize("path", sorted(DEMO_PAGES))
def test_page_demos_are_live_with_no_network(site_server: str, built_site: Path, path: str):
    assert (built_site / path).exists(), f"{path} is not in the built site"
    with offline_chromium(site_server) as browser:
        page = browser.open(path)
        check_demos_are_live(page, browser, min_demos=DEMO_PAGES[path], where=path)
        page.wait_for_load_state("networkidle")
    assert not browser.problems, browser.problems.report()


def test_chapter_1_maths_is_typeset_with_no_network(site_server: str, built_site: Path):
    assert (built_site / CHAPTER_1).exists(), f"{CHAPTER_1} is not in the built site"
    with offline_chromium(site_server) as browser:
        page = browser.open(CHAPTER_1)
        wait_for_mathjax(page)
        assert page.evaluate("() => MathJax.version").startswith("3.")
        assert page.locator("mjx-container").count() > 0, "MathJax rendered no formula"
        assert page.locator("mjx-merror").count() == 0, "MathJax reports a TeX error"
        page.wait_for_load_state("networkidle")
    assert not browser.problems, browser.problems.report()


def site_pages(built_site: Path) -> list[str]:
    paths = (p.relative_to(built_site) for p in built_site.rglob("*.html"))
    return sorted(p.as_posix() for p in paths if p.parts[0] not in ("_sources", "_static", "vendor", "lite"))


def test_every_page_loads_with_no_network_and_no_errors(site_server: str, built_site: Path):
    pages = site_pages(built_site)
    assert "index.html" in pages and CHAPTER_1 in pages
    failures = {}
    with offline_chromium(site_server) as browser:
        for path in pages:
            browser.problems = PageProblems()
            page = browser.open(path)
            # The landing index.html is a redirect to the book's root page: follow it.
            refresh = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"',
                                (built_site / path).read_text(encoding="utf-8"))
            if refresh:
                page.wait_for_url(re.compile(re.escape(refresh.group(1)) + "$"))
                page.wait_for_load_state("load")
            wait_for_mathjax(page)
            wait_for_widgets(page, browser)
            page.wait_for_load_state("networkidle")
            page.close()
            if browser.problems:
                failures[path] = browser.problems.report()
    assert not failures, "\n\n".join(f"{path}:\n{report}" for path, report in failures.items())
