"""Fixtures shared across the suite.

`built_site`: path to _build/html, built with `jupyter-book build . --warningiserror
--keep-going` if its index.html is missing (`make test` builds it first through `make book`).
Set TRAINLAB_BOOK_ROOT to test the site of another checkout or a scratch book.
`site_server`: base URL ("http://127.0.0.1:PORT/") of that site served from a thread.
"""

from pathlib import Path

import pytest
import torch

# The suite's torch work is on tiny tensors, where thread start-up costs more than it saves
# (measured: ~0.4 ms per 2-D optimizer step with 1 thread vs ~2.5 ms with 2 under load).
torch.set_num_threads(1)

from support.offline_site import build_site, serve, site_dir


@pytest.fixture(scope="session")
def built_site() -> Path:
    html = site_dir()
    if not (html / "index.html").exists():
        build_site(html.parents[1])
    return html


@pytest.fixture(scope="session")
def site_server(built_site: Path):
    with serve(built_site) as base_url:
        yield base_url
