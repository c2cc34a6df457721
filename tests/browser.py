"""Headless Debian Chromium for end-to-end tests, offline: only the server under test is reachable.

Every request the pages of :func:`offline_browser` make goes through a route that lets the
server's own origin through and aborts anything else, recording it in ``blocked``; WebSockets
likewise. Playwright's own browsers are never downloaded: ``make chromium`` installs Debian's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    Route,
    WebSocketRoute,
    sync_playwright,
)

from tests.paths import REPO

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox (tests may run as root in a container), and none of Chromium's own traffic
# (updates, sync, safe browsing, first-run pages), which page routes could not see.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = REPO / "artifacts" / "screenshots"


@dataclass
class OfflineBrowser:
    """A browser context that may reach ``origin`` only, and what its pages tried."""

    context: BrowserContext
    origin: str  # http://127.0.0.1:PORT
    requests: list[Request] = field(default_factory=list)  # local requests, in order
    blocked: list[str] = field(default_factory=list)  # "METHOD URL" of every aborted request
    failed: list[str] = field(default_factory=list)  # local requests that failed or answered >= 400
    errors: list[str] = field(default_factory=list)  # uncaught page errors and console errors

    def is_local(self, url: str) -> bool:
        return url == self.origin or url.startswith(f"{self.origin}/")

    def new_page(self) -> Page:
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("console", self._console)
        return page

    def screenshot(self, page: Page, name: str) -> Path:
        """Save a screenshot as a test artifact: ``artifacts/screenshots/NAME.png``."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    def _route(self, route: Route) -> None:
        request = route.request
        if self.is_local(request.url):
            self.requests.append(request)
            route.continue_()
        else:
            self.blocked.append(f"{request.method} {request.url}")
            route.abort("blockedbyclient")

    def _route_web_socket(self, socket: WebSocketRoute) -> None:
        # A WebSocket's origin is ws://127.0.0.1:PORT; compare it as http.
        if self.is_local(re.sub(r"^ws", "http", socket.url)):
            socket.connect_to_server()
        else:
            self.blocked.append(f"WEBSOCKET {socket.url}")
            socket.close()

    def _response(self, response: Response) -> None:
        if self.is_local(response.url) and response.status >= 400:
            self.failed.append(f"{response.request.method} {response.url}: HTTP {response.status}")

    def _request_failed(self, request: Request) -> None:
        if self.is_local(request.url):
            self.failed.append(f"{request.method} {request.url}: {request.failure}")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")


@contextmanager
def offline_browser(origin: str, width: int = 1400, height: int = 900) -> Iterator[OfflineBrowser]:
    """Headless Chromium whose pages reach ``origin`` and nothing else, closed when the block ends."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: `make chromium` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            offline = OfflineBrowser(context, origin.rstrip("/"))
            context.route("**/*", offline._route)
            context.route_web_socket(re.compile(".*"), offline._route_web_socket)
            context.on("response", offline._response)
            context.on("requestfailed", offline._request_failed)
            yield offline
            context.close()
        finally:
            browser.close()
