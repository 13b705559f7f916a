"""The pipeline's main journey in a real Chromium: a county officer records a lead from a phone-sized
screen picking the enterprise while typing, is told another county holds it, then the county moves its
own project to signing and the bureau confirms it so that it counts."""

import importlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from apps.core.tests.test_browser import browser, log_in, open_page  # noqa: F401 - fixtures
from apps.enterprises.tests.factories import make_enterprise
from apps.investment.models import ClaimConflict, Project, Stage
from apps.investment.tests.factories import advance_to, lead, ready_to_sign

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def migration_data(transactional_db):
    """A live server's test empties the tables after each test: put back the code lists and default gates
    that the migrations load, when an earlier test took them away."""
    from django.apps import apps

    from apps.enterprises.models import Industry
    from apps.investment.models import StageGate

    if not Industry.objects.exists():
        importlib.import_module("apps.enterprises.migrations.0003_industries_and_builtin_tags").load(apps, None)
    if not StageGate.objects.exists():
        importlib.import_module("apps.investment.migrations.0002_default_gates_and_rules").load(apps, None)


SCREENSHOT = Path("/tmp/yingshang-investment-lead.png")  # noqa: S108 - a fixed place the team looks at


def test_a_lead_on_a_held_enterprise_then_a_signing_confirmed_by_the_bureau(
    open_page, live_server, officer_a, officer_b, coordinator, password,  # noqa: F811
):  # fmt: skip
    held = lead(officer_a, enterprise=make_enterprise("示范市远航新材料股份有限公司"), name="远航新材料项目")
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("org:login"))
    log_in(page, "officer_b", password)

    page.goto(reverse("investment:lead_create"))
    page.locator("#enterprise-search").press_sequentially("远航新材料", delay=30)
    page.get_by_test_id("lookup-results").get_by_role("button").first.click()
    expect(page.get_by_test_id("claim-holder")).to_contain_text("东城区")
    page.locator("#id_name").fill("远航新材料西城基地项目")
    page.locator("#id_channel").select_option(label="以商招商")
    page.locator("#id_planned_investment").fill("80000")
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.get_by_role("button", name="登记").click()

    expect(page.get_by_role("heading", name="远航新材料西城基地项目")).to_be_visible()
    expect(page.get_by_text("已转统筹单位协调")).to_be_visible()
    assert ClaimConflict.objects.filter(holder__project=held).count() == 1

    project = advance_to(ready_to_sign(lead(officer_a, name="东城储能项目"), officer_a), Stage.NEGOTIATION,
                         by=officer_a, start=timezone.localdate() - timedelta(days=5))  # fmt: skip
    page.context.clear_cookies()
    page.goto(reverse("org:login"))
    log_in(page, "officer_a", password)
    page.goto(reverse("investment:project_detail", args=[project.pk]))
    page.get_by_role("link", name="推进到“签约”").click()
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_text("待上级确认后计入统计")).to_be_visible()

    page.context.clear_cookies()
    page.goto(reverse("org:login"))
    log_in(page, "coordinator", password)
    page.goto(reverse("investment:confirmation_list"))
    page.get_by_role("link", name="审核").click()
    page.locator("#id_opinion").fill("协议已核实，同意计入")
    page.get_by_role("button", name="确认，计入统计").click()
    expect(page.get_by_text("已确认，该阶段计入统计")).to_be_visible()
    project.refresh_from_db()
    assert project.counted_stage == Stage.SIGNED
    assert Project.objects.get(pk=project.pk).changes.get(to_stage=Stage.SIGNED).opinion == "协议已核实，同意计入"
