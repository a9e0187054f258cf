"""Every demo class rendered from its own bundle on one local page in offline Chromium (no book
build needed): it draws, has a readout, and each of its sliders, menu options and switches
changes what it shows (the checks of test_site_browser.py, which runs them on the built pages).
Its own module: the page's browser stays open for all the demos and must close before another
module starts one.
"""
from __future__ import annotations

import pytest

from support.demo_page import demo_index, demo_page
from support.widget_checks import widget_classes
from test_site_browser import check_demo_is_live

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def every_demo():
    """(browser, page): every demo class rendered from its own bundle on one local page."""
    with demo_page() as opened:
        yield opened


@pytest.mark.parametrize("name", [c.__name__ for c in widget_classes()])
def test_every_demo_renders_from_its_bundle_and_its_controls_change_it(every_demo, name):
    browser, page = every_demo
    i = demo_index(page, name)
    assert i >= 0, f"{name} rendered no .trainlab-demo"
    check_demo_is_live(page, i)
    assert not browser.problems, browser.problems.report()
