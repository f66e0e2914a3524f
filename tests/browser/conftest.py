"""Browser fixtures: Debian's Chromium driven by Playwright, against pytest-django's live server."""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
# Without the networking flags Chromium calls Google's services, refused on a closed network.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Module scope, not session: while Playwright's loop runs, the ORM in this thread is keyed by async
# context and opens extra connections; later, non-browser tests must not run under it.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium absent ({CHROMIUM}) : apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM then refuses to run
    # ("SynchronousOnlyOperation") although nothing here is async. Only while Playwright runs:
    # set for the whole session, it would leak into subprocesses (and fail check --deploy).
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class PageLog:
    """What a page did besides rendering: every request it made, every console error."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type in {"error", "warning"}:
            self.errors.append(f"{message.type}: {message.text}")

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"pageerror: {error}")


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser: Browser, page_log: PageLog) -> Iterator[Page]:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("request", page_log.on_request)
    page.on("console", page_log.on_console)
    page.on("pageerror", page_log.on_page_error)
    yield page
    context.close()
    # Under Playwright's event loop the ORM keys connections by async context, not by thread:
    # rows created by the test went through a connection pytest-django does not know about.
    # Left open, it keeps the PostgreSQL test database from being dropped at the end of the run.
    connections.close_all()
