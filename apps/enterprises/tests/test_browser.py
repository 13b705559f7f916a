"""The registry's main journey in a real Chromium: find an enterprise while typing, register one,
be warned of the likely duplicate, confirm, and land on its page."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.core.tests.test_browser import browser, log_in, open_page  # noqa: F401 - fixtures
from apps.enterprises.models import DuplicateSuggestion, Enterprise
from apps.enterprises.tests.factories import make_enterprise, valid_uscc
from apps.org import roles
from apps.org.tests.factories import UserFactory

pytestmark = pytest.mark.browser
SCREENSHOT = Path("/tmp/yingshang-enterprise-register.png")  # noqa: S108 - a fixed place the team looks at


def test_search_while_typing_then_register_past_a_likely_duplicate(open_page, live_server, county_a, password):  # noqa: F811
    UserFactory(username="zhao_liu", name="赵六", unit=county_a, roles=[roles.INVESTMENT_OFFICER])
    make_enterprise("华为技术有限公司", uscc=valid_uscc(), short_names=["华为"])
    make_enterprise("示范市东城区华兴电子有限公司")
    page = open_page()
    page.goto(reverse("org:login"))
    log_in(page, "zhao_liu", password)

    page.goto(reverse("enterprises:list"))
    page.locator("#id_q").press_sequentially("hwjs", delay=30)
    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text("华为技术有限公司")
    expect(results).not_to_contain_text("华兴电子")

    page.goto(reverse("enterprises:create"))
    page.locator("#id_name").press_sequentially("华为技术（深圳）有限公司", delay=20)
    warning = page.get_by_test_id("likely-duplicates")
    expect(warning).to_contain_text("华为技术有限公司")
    expect(warning).to_contain_text("可能是同一企业")
    page.get_by_role("button", name="登记").click()
    expect(page.locator("#id_confirm_distinct")).to_be_visible()
    expect(page.get_by_text("确认不是同一家后勾选此项")).to_be_visible()
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.locator("#id_confirm_distinct").check()
    page.get_by_role("button", name="登记").click()

    expect(page.get_by_role("heading", name="华为技术（深圳）有限公司")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("已登记企业")
    assert Enterprise.objects.filter(name="华为技术（深圳）有限公司").exists()
    assert DuplicateSuggestion.objects.filter(source="register").count() == 1
