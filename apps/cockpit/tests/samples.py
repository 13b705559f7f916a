"""URL-walker samples of the region maps: a map belongs to its unit, with the marker in its name."""

from apps.cockpit.models import RegionMap
from apps.core.tests.samples import sample
from apps.org.models import Unit


@sample(RegionMap)
def make_region_map_sample(unit: Unit, marker: str) -> RegionMap:
    return RegionMap.objects.create(unit=unit, name=marker, geojson={"type": "FeatureCollection", "features": []})
