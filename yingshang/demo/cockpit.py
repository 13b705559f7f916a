"""The demo city's cockpit: the schematic GeoJSON of 示范市's counties (apps/cockpit/data/shifan.geojson,
hexagons, not real boundaries) uploaded by the system administrator as the city's active map, and last month's
appeals snapshot kept as the hotline office's monthly scan would (the cockpit reads appeals rates from it)."""

from pathlib import Path

from apps.appeals.models import MonthlySnapshot
from apps.appeals.services.statistics import scan_snapshots
from apps.cockpit.models import RegionMap
from apps.cockpit.services import upload_region_map
from apps.org.models import Unit, User
from yingshang.demo.context import DemoContext
from yingshang.demo.org import CITY_CODE

GEOJSON = Path(__file__).resolve().parents[2] / "apps" / "cockpit" / "data" / "shifan.geojson"


def build(ctx: DemoContext) -> None:
    city = Unit.objects.get(code=CITY_CODE, depth=1)
    admin = User.objects.get(username="sysadmin")
    upload_region_map(unit=city, name="示范市区县示意图", raw=GEOJSON.read_bytes(), by=admin)
    scan_snapshots()


def clear() -> None:
    """The map and the kept snapshots (their figures hold units, which the org module deletes last)."""
    RegionMap.objects.all().delete()
    MonthlySnapshot.objects.all().delete()
