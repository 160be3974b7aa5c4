"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Nothing here touches the network: every request that does not go to the live server
(OpenStreetMap tiles, fonts, anything) is aborted, so the pages must stay usable without them.

Without Chromium the browser tests are skipped, unless CORDEE_REQUIRE_BROWSER=1 (CI), where
they fail loudly instead.
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("CORDEE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[4]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# A tablet in landscape (the volunteers' usual device) and a small phone.
VIEWPORTS = {
    "tablet": {"width": 1024, "height": 768},
    "phone": {"width": 390, "height": 844},
}


def _no_browser(reason: str) -> None:
    if os.environ.get("CORDEE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"CORDEE_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator[object]:
    """One headless Chromium for the whole session (a new context per test keeps them apart)."""
    from django.db import connections

    if not Path(CHROMIUM).exists():
        _no_browser(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - dev dependency missing
        _no_browser(f"Playwright is not installed ({exc})")
    # Playwright's sync API runs an event loop in this thread; without this Django refuses
    # ORM calls (factories, live-server teardown) as "async unsafe".
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    except Exception as exc:
        playwright.stop()
        _no_browser(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield chromium
    chromium.close()
    connections.close_all()  # the loop's connections, before the test database is dropped
    playwright.stop()


@dataclass
class Visit:
    """A browser page on the live server, plus what happened that a test may check."""

    page: object
    viewport: str
    test_name: str
    base_url: str
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> None:
        self.page.goto(self.url(path))

    def screenshot(self, step: str = "") -> Path:
        """Full-page screenshot: test-artifacts/screenshots/<test>[-<step>]-<viewport>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = "-".join(p for p in (self.test_name, step, self.viewport) if p)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def live_url(live_server, transactional_db) -> str:
    """The live server's address. A transactional test empties every table when it ends,
    so the reference municipalities (loaded by a data migration) are loaded again here."""
    from cordee.core.geography import municipalities_load
    from cordee.core.models import Municipality

    municipalities_load(Municipality)
    return live_server.url


def _test_name(request: pytest.FixtureRequest) -> str:
    name = request.node.originalname or request.node.name
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name.removeprefix("test_"))


@pytest.fixture
def visit_factory(browser, live_url, request) -> Iterator:
    """Open a fresh browser context (no cookies) at a viewport, French first like the users."""
    contexts = []

    def open_page(viewport: str, *, javascript: bool = True) -> Visit:
        context = browser.new_context(
            viewport=VIEWPORTS[viewport],
            java_script_enabled=javascript,
            locale="fr-CA",
            extra_http_headers={"Accept-Language": "fr-CA,fr;q=0.9"},
            has_touch=viewport == "phone",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        visit = Visit(
            page=None, viewport=viewport, test_name=_test_name(request), base_url=live_url
        )

        def route(route_obj) -> None:
            host = urlsplit(route_obj.request.url).hostname
            if host in LOCAL_HOSTS:
                route_obj.continue_()
            else:
                visit.blocked.append(route_obj.request.url)
                route_obj.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda exc: visit.errors.append(str(exc)))
        visit.page = page
        return visit

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(params=list(VIEWPORTS))
def visit(request, visit_factory) -> Visit:
    """A page at each viewport (tablet, phone): tests using it run once per viewport."""
    return visit_factory(request.param)
