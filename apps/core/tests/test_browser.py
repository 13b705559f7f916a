"""End-to-end journeys in a real headless Chromium (Debian's package) against the live server.

Run only these with ``./dev test -m browser``; skip them with ``-m "not browser"``. Without
/usr/bin/chromium they skip, unless REQUIRE_BROWSER=1 (as in CI), which turns the skip into a failure.
Playwright never downloads a browser here: it drives the system Chromium through executable_path.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect, sync_playwright

from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--lang=zh-CN",  # date inputs then show 年/月/日 as a Chinese user sees them
    "--disable-quic",
    "--no-first-run",
    # The test machines have no internet: without these Chromium keeps trying to reach Google.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOME_SCREENSHOT = Path("/tmp/yingshang-home.png")  # noqa: S108 - a fixed place the team looks at
PHONE = {"width": 390, "height": 844}
NEW_PASSWORD = "Xin-Mima#2026"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (./dev test does it as root)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    # Playwright's sync API runs an asyncio event loop in this thread (in a greenlet) for as long
    # as it is open. Django sees that running loop and refuses ORM calls from the test code and
    # from pytest-django's database teardown (SynchronousOnlyOperation), although they are plain
    # synchronous calls that never run inside the loop. The variable tells Django it is safe; it
    # is set only while this module's browser is open and restored afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_page(browser: Browser, live_server, transactional_db) -> Iterator[Callable[..., Page]]:
    """A fresh browser context (no cookies) per page: ``open_page()`` or ``open_page(viewport=PHONE)``."""
    contexts = []

    def open_(**options) -> Page:
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def log_in(page: Page, username: str, password: str) -> None:
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="登录").click()


def url_of(live_server, name: str) -> re.Pattern:
    return re.compile("^" + re.escape(live_server.url + reverse(name)) + "$")


def test_officer_is_sent_to_login_and_lands_on_home(open_page, live_server, county_a, password):
    UserFactory(username="zhang_san", name="张三", unit=county_a, roles=[roles.INVESTMENT_OFFICER])
    page = open_page()

    page.goto("/")
    expect(page).to_have_url(re.compile(re.escape(reverse("org:login")) + r"\?next=/$"))
    log_in(page, "zhang_san", password)

    expect(page).to_have_url(url_of(live_server, "core:home"))
    expect(page.get_by_text("我的待办")).to_be_visible()
    expect(page.get_by_test_id("pending-empty")).to_contain_text("暂无待办事项")
    expect(page.get_by_test_id("user-menu")).to_contain_text("张三")
    page.screenshot(path=str(HOME_SCREENSHOT), full_page=True)


def test_new_user_must_change_password_before_anything_else(open_page, live_server, county_a, password):
    newcomer = UserFactory(
        username="li_si", name="李四", unit=county_a, roles=[roles.COUNTY_ADMIN], must_change_password=True
    )
    page = open_page()

    page.goto(reverse("org:login"))
    log_in(page, "li_si", password)
    expect(page).to_have_url(url_of(live_server, "org:password_change"))
    page.goto(reverse("core:home"))  # trying to go around the change page leads back to it
    expect(page).to_have_url(url_of(live_server, "org:password_change"))
    page.locator("#id_old_password").fill(password)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()

    expect(page).to_have_url(url_of(live_server, "core:home"))
    expect(page.get_by_role("alert")).to_contain_text("密码已修改。")
    expect(page.get_by_text("我的待办")).to_be_visible()
    newcomer.refresh_from_db()
    assert newcomer.must_change_password is False
    assert newcomer.check_password(NEW_PASSWORD)


def test_navigation_collapses_on_a_phone_and_opens_from_the_toggler(open_page, live_server, county_a, password):
    UserFactory(username="wang_wu", name="王五", unit=county_a, roles=[roles.INVESTMENT_OFFICER])
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(reverse("org:login"))
    log_in(page, "wang_wu", password)
    expect(page).to_have_url(url_of(live_server, "core:home"))

    toggler = page.get_by_role("button", name="展开菜单")
    menu = page.locator("#main-nav")
    expect(toggler).to_be_visible()
    expect(menu).to_be_hidden()
    toggler.click()

    expect(menu).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="首页")).to_be_visible()
    expect(menu.get_by_test_id("user-menu")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"
