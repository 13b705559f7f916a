"""惠企政策兑现 in a real Chromium, as the people who do it: an enterprise sees the item it qualifies for on its
portal (its rule met, with the reason) and applies online with a material; the responsible department proposes an amount, the legal office passes
it (法制把关), the service window records the transfer with its voucher; the enterprise then sees 已兑付 and
downloads the voucher. A second journey: a policy officer tests an item's rule against an enterprise in the rule
editor and reads which condition failed."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from apps.core.tests.test_browser import browser, log_in, open_page  # noqa: F401 - fixtures
from apps.policies.models import Fulfilment, FulfilmentState

pytestmark = pytest.mark.browser

PDF = {"name": "申请表.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 application"}
VOUCHER = {"name": "回单.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 voucher"}
SCREENSHOT = Path("/tmp/yingshang-policies-paid.png")  # noqa: S108 - a fixed place the team looks at


def sign_in(page: Page, username: str, password: str) -> None:
    """A fresh session for the next person at the same browser."""
    page.context.clear_cookies()
    page.goto(reverse("org:login"))
    log_in(page, username, password)


def test_an_online_application_is_reviewed_checked_and_paid_and_the_enterprise_sees_the_voucher(
    open_page, item, enterprise, portal_user, reviewer, legal_reviewer, window_officer, password,  # noqa: F811
):  # fmt: skip
    item.rule = {"all": [{"field": "registered_capital", "op": "gte", "value": "1000"}]}
    item.save()
    page = open_page()

    sign_in(page, "qiye", password)
    expect(page.get_by_text(item.title).first).to_be_visible()
    expect(page.get_by_text("注册资本").first).to_be_visible()  # why it qualifies
    page.get_by_role("link", name="申请", exact=True).click()
    page.get_by_label("联系人").fill("王会计")
    page.get_by_label("联系电话").fill("0755-12345678")
    page.get_by_label("申报金额（万元）").fill("180")
    page.get_by_label("材料 1 名称").fill("申请表")
    page.get_by_label("材料 1 文件").set_input_files(PDF)
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("待审核").first).to_be_visible()
    case = Fulfilment.objects.get()

    sign_in(page, "reviewer", password)
    page.goto(reverse("policies:fulfilment_detail", args=[case.pk]))
    propose = page.get_by_test_id("move-propose")
    propose.get_by_label("拟兑现金额（万元）").fill("150")
    propose.get_by_label("意见或说明").fill("材料齐全，符合条件")
    propose.get_by_role("button", name="提出兑现意见").click()
    expect(page.get_by_text("法制审核").first).to_be_visible()

    sign_in(page, "legal", password)
    page.goto(reverse("policies:fulfilment_detail", args=[case.pk]))
    passing = page.get_by_test_id("move-pass")
    passing.get_by_label("核定金额（万元）").fill("150")
    passing.get_by_role("button", name="法制审核通过").click()
    expect(page.get_by_text("待兑付").first).to_be_visible()

    sign_in(page, "window", password)
    page.goto(reverse("policies:fulfilment_detail", args=[case.pk]))
    pay = page.get_by_test_id("move-pay")
    pay.get_by_label("兑付金额（万元）").fill("150")
    pay.get_by_label("兑付日期").fill(timezone.localdate().isoformat())
    pay.get_by_label("兑付方式").select_option("transfer")
    pay.get_by_label("凭证号").fill("YH20260001")
    pay.get_by_label("兑付凭证（可选）").set_input_files(VOUCHER)
    pay.get_by_role("button", name="登记兑付").click()
    expect(page.get_by_text("已兑付").first).to_be_visible()

    sign_in(page, "qiye", password)
    page.goto(reverse("policies:portal_case", args=[case.pk]))
    expect(page.get_by_text("已兑付").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("voucher").click()
    assert Path(download.value.path()).read_bytes() == VOUCHER["buffer"]
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    case.refresh_from_db()
    assert (case.state, case.paid_amount, case.voucher_number) == (FulfilmentState.PAID, 150, "YH20260001")
    assert list(case.events.values_list("action", flat=True)) == ["apply", "propose", "pass", "pay"]


def test_a_policy_officer_tests_an_unsaved_rule_against_an_enterprise_and_saves_it(
    open_page, item, enterprise, policy_officer, password,  # noqa: F811
):  # fmt: skip
    page = open_page()
    sign_in(page, "policy_officer", password)
    page.goto(reverse("policies:item_rule", args=[item.pk]))

    page.locator('[name="rows-0-field"]').select_option("registered_capital")
    page.locator('[name="rows-0-op"]').select_option("gte")
    page.locator('[name="rows-0-number"]').fill("5000")
    page.locator("#rule-test-search").fill(enterprise.uscc)
    page.get_by_role("button", name=enterprise.name).click()
    page.get_by_role("button", name="测试", exact=True).click()

    result = page.get_by_test_id("rule-test-result")
    expect(result.get_by_test_id("verdict")).to_have_text("不符合")
    expect(result.get_by_test_id("trial-lines")).to_contain_text("注册资本不低于 5,000 万元：不符合（3,000 万元）")
    item.refresh_from_db()
    assert item.rule == {}  # testing saves nothing

    page.get_by_role("button", name="保存资格规则").click()
    expect(page.get_by_test_id("described")).to_contain_text("5,000")
    item.refresh_from_db()
    assert item.rule == {"all": [{"field": "registered_capital", "op": "gte", "value": "5000"}]}
