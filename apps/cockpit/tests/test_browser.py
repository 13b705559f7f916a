"""The cockpit in a real Chromium, as the city leader opens it with data: every chart drawn from our own ECharts
(a canvas in each box), the map of the demo's schematic GeoJSON coloured, no script error or console error, no
missing file; then the 大屏 mode, dark and without the menu; and a county officer's cockpit with their county only.
Screenshots go to var/ for a person to look at."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from apps.cockpit.services import upload_region_map
from apps.core.tests.test_browser import browser, log_in, open_page  # noqa: F401 - fixtures
from apps.org.models import Unit
from apps.org.tests.factories import make_unit
from yingshang.demo.cockpit import GEOJSON

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(settings.BASE_DIR) / "var"
#: the demo city's other areas, so that every feature of the schematic map names a unit
MORE_AREAS = (
    ("南湖区", "990103", Unit.Kind.COUNTY), ("北山区", "990104", Unit.Kind.COUNTY),
    ("青河县", "990121", Unit.Kind.COUNTY), ("云岭县", "990122", Unit.Kind.COUNTY),
    ("示范经济技术开发区", "990171", Unit.Kind.ZONE),
)  # fmt: skip


@pytest.fixture
def demo_map(city, county_a, county_b, system_admin):
    for name, code, kind in MORE_AREAS:
        make_unit(parent=city, name=name, kind=kind, code=code)
    return upload_region_map(unit=city, name="示范市区县示意图", raw=GEOJSON.read_bytes(), by=system_admin)


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if _console_error(message) else None)
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    return errors


def _console_error(message) -> bool:
    """An error in the console, other than the browser's own 404 for /favicon.ico."""
    return message.type == "error" and "favicon" not in message.location.get("url", "")


def _charts_drawn(page, boxes: int) -> None:
    expect(page.locator("#cockpit-map canvas")).to_have_count(1)
    expect(page.locator("[data-chart] canvas")).to_have_count(boxes)


def test_the_leader_opens_the_cockpit_and_the_screen(open_page, projects, demo_map, city_leader, password):  # noqa: F811
    SCREENSHOTS.mkdir(exist_ok=True)
    page = open_page(viewport={"width": 1600, "height": 1000})
    errors = _watch(page)
    page.goto(reverse("org:login"))
    log_in(page, "leader", password)

    page.goto(reverse("cockpit:cockpit"))
    expect(page.get_by_test_id("figure-contracted")).to_contain_text("2.8 亿元")
    _charts_drawn(page, boxes=3)  # ranking, trend, funnel (no snapshot, no appeals, no round, no major project)
    page.select_option("#map-figure", "funds")
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "cockpit.png"), full_page=True)

    page.get_by_test_id("screen-link").click()
    expect(page.locator("body.cockpit-screen")).to_be_visible()
    expect(page.locator("#main-nav")).to_have_count(0)
    _charts_drawn(page, boxes=3)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "cockpit-screen.png"), full_page=True)

    page.get_by_test_id("figure-contracted").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("当期签约项目")
    assert errors == []


def test_a_county_officer_sees_their_county(open_page, projects, demo_map, officer_a, password):  # noqa: F811
    page = open_page(viewport={"width": 1600, "height": 1000})
    errors = _watch(page)
    page.goto(reverse("org:login"))
    log_in(page, "officer_a", password)
    page.goto(reverse("cockpit:cockpit"))
    expect(page.get_by_test_id("figure-contracted")).to_contain_text("2 亿元")
    expect(page.locator("#cockpit-map canvas")).to_have_count(1)
    page.screenshot(path=str(SCREENSHOTS / "cockpit-county.png"), full_page=True)
    assert errors == []
