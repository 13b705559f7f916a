"""产业链招商 in a real Chromium, as an investment officer works it: from the chain's page to its diagram (the
ECharts tree drawn from our own static files, no script error, no missing file), from the gap list to the empty link, from there
to the recommended targets with their explained scores, and one of them turned into a lead of the pipeline."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from apps.chains.models import LinkLead
from apps.chains.tests.conftest import make_enterprise, place
from apps.core.tests.test_browser import browser, log_in, open_page  # noqa: F401 - fixtures
from apps.enterprises.models import Tag
from apps.investment.models import Project

pytestmark = pytest.mark.browser

SCREENSHOT = Path("/tmp/yingshang-chain-diagram.png")  # noqa: S108 - a fixed place the team looks at


@pytest.fixture(autouse=True)
def industries(transactional_db):
    """A live server's test empties the tables after each test: put back the classification and built-in tags."""
    import importlib

    from django.apps import apps

    from apps.enterprises.models import Industry

    if not Industry.objects.exists():
        importlib.import_module("apps.enterprises.migrations.0003_industries_and_builtin_tags").load(apps, None)


def test_from_the_diagram_to_a_gap_its_targets_and_a_lead(open_page, chain, links, officer_a, password):  # noqa: F811
    links["charging"].industry_codes = ["38"]
    links["charging"].save()
    place(links["motor"], make_enterprise("示范驱动电机有限公司"))
    place(links["motor"], make_enterprise("示范电驱科技有限公司"))
    target = make_enterprise("深圳市远航充电桩科技有限公司", region="440300", industry="38",
                             scope="充电桩、换电站的研发、制造和销售", capital=Decimal("80000"))  # fmt: skip
    target.tags.add(Tag.objects.get(name="行业龙头"))
    errors: list[str] = []
    page = open_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)

    page.goto(reverse("org:login"))
    log_in(page, "officer_a", password)
    page.goto(reverse("chains:chain_detail", args=[chain.pk]))
    page.get_by_test_id("diagram-link").click()
    expect(page.locator("#chain-diagram canvas").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_test_id("gap-list").get_by_role("link", name="充换电").click()
    expect(page.get_by_test_id("link-strength")).to_be_visible()
    page.get_by_test_id("targets-link").click()
    row = page.get_by_test_id("target").filter(has_text=target.name)
    expect(row).to_contain_text("行业龙头")
    expect(row).to_contain_text("充电桩")
    row.get_by_role("button", name="转为招商线索").click()

    expect(page.get_by_text("已转为本单位的招商线索。")).to_be_visible()
    project = Project.objects.get(enterprise=target)
    assert project.unit == officer_a.unit
    assert LinkLead.objects.get(project=project).link == links["charging"]
    assert errors == []
