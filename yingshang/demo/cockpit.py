"""The demo city's region map: the schematic GeoJSON of 示范市's counties (apps/cockpit/data/shifan.geojson,
hexagons, not real boundaries), uploaded by the system administrator as the city's active map."""

from pathlib import Path

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


def clear() -> None:
    RegionMap.objects.all().delete()
