"""The web pages served as `make up` serves them, against a stub batch API, in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from local.gateways.static_site import StaticSite
from tests.support.browser import chromium
from tests.web.stub_batch_api import StubBatchApi

WEB_ROOT = Path(__file__).resolve().parents[2] / "web"


@pytest.fixture(scope="module")
def stub_api() -> Iterator[StubBatchApi]:
    api = StubBatchApi()
    api.start()
    yield api
    api.stop()


@pytest.fixture(scope="module")
def site(stub_api: StubBatchApi) -> Iterator[StaticSite]:
    """web/ on its own port, its config.js pointing at the stub (a cross-origin API, as on AWS)."""
    served = StaticSite("127.0.0.1", 0, WEB_ROOT)
    served.configure(stub_api.url, "ws://127.0.0.1:9/unused")
    served.start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def api(stub_api: StubBatchApi) -> StubBatchApi:
    stub_api.reset()
    return stub_api


@pytest.fixture
def report_page(browser, site: StaticSite, api: StubBatchApi):
    """scan.html, loaded; console errors collected in page.console_errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.goto(site.url + "/scan.html")
    yield page
    context.close()
