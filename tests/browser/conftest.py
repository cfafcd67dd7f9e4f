"""Browser fixtures: the app served by a real HTTP server in a thread, and Debian's Chromium
driven by Playwright with a phone screen and WeChat's user agent.

Never `playwright install`: the browser is the system's /usr/bin/chromium (`make system-deps-test`).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.fixtures.accounts import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# WeChat's in-app browser on an iPhone 12-15 sized screen.
WECHAT_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI Language/zh_CN")
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True, "user_agent": WECHAT_UA, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def live_server(app):
    """Base URL of the app served over real HTTP (threaded: each request in its own thread,
    with its own app context and database session, as under gunicorn)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


CSP_REPORTER = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("Content Security Policy violation: " + e.violatedDirective + " " + e.blockedURI);
});"""


@pytest.fixture(autouse=True)
def no_csp_violations(monkeypatch):
    """Every browser context of a test (the phone's, the tablet's, the camera's) reports what the
    Content-Security-Policy refused; the test fails on any."""
    from playwright.sync_api import Browser

    refused, original = [], Browser.new_context

    def new_context(self, *args, **kwargs):
        context = original(self, *args, **kwargs)
        context.add_init_script(CSP_REPORTER)
        context.on("console", lambda message: refused.append(f"{message.location.get('url')}: {message.text}")
                   if "Content Security Policy" in message.text or message.text.startswith("Refused to")
                   else None)
        return context

    monkeypatch.setattr(Browser, "new_context", new_context)
    yield refused
    assert not refused, f"the Content-Security-Policy refused: {refused}"


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make system-deps-test)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def phone(browser):
    """`phone()` opens a new, isolated browser context (own cookies) with a phone screen in WeChat.
    Page errors (uncaught JS exceptions) fail the test."""
    contexts, page_errors = [], []

    def _open():
        context = browser.new_context(accept_downloads=True, **PHONE)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", lambda page: page.on("pageerror", lambda exc: page_errors.append(str(exc))))
        contexts.append(context)
        return context

    yield _open
    for context in contexts:
        context.close()
    assert not page_errors, f"JavaScript errors in the page: {page_errors}"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# -- helpers for the pages ------------------------------------------------------
def goto(page, url: str):
    """Open `url`; its answer must be a success."""
    response = page.goto(url)
    assert response is not None and response.ok, f"GET {url} -> {response and response.status}"
    return response


def sign_in(page, live_server, user, password: str = PASSWORD):
    """Log `user` in through the login form (by mobile) and wait to leave the login page."""
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", user.mobile)
    page.fill("input[name=password]", password)
    page.locator("form .btn-primary").click()
    page.wait_for_url(lambda url: "/login" not in url)


def assert_fits_phone(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways on a phone: {widths[0]}px > {widths[1]}px"
