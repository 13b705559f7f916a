"""Uploading a region map: the GeoJSON is checked whole before anything is saved."""

import json

from django.db import transaction
from django.utils.translation import gettext as _

from apps.cockpit.models import RegionMap
from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.org.models import Unit

MAX_BYTES = 5 * 1024 * 1024
GEOMETRIES = ("Polygon", "MultiPolygon")


def map_units(unit: Unit):
    """The areas a map of ``unit`` may show: its active counties and development zones."""
    kinds = (Unit.Kind.COUNTY, Unit.Kind.ZONE)
    return Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1, kind__in=kinds, is_active=True)


def parse_geojson(raw: bytes) -> dict:
    """The FeatureCollection in ``raw``; a BusinessRuleError in plain words when it is not one."""
    if len(raw) > MAX_BYTES:
        raise BusinessRuleError(_("GeoJSON 文件不能超过 5 MB。"), field="file")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise BusinessRuleError(_("文件不是有效的 JSON（须为 UTF-8 编码的 GeoJSON）。"), field="file") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BusinessRuleError(_("GeoJSON 的类型须为 FeatureCollection。"), field="file")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BusinessRuleError(_("GeoJSON 中没有任何区域（features 为空）。"), field="file")
    return data


def feature_names(data: dict, name_property: str) -> list[str]:
    """Each feature's name; an error naming the first feature that is not a named polygon."""
    names = []
    for number, feature in enumerate(data["features"], start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRIES:
            raise BusinessRuleError(_("第 %(n)s 个区域不是 Polygon 或 MultiPolygon。") % {"n": number}, field="file")
        name = (feature.get("properties") or {}).get(name_property)
        if not isinstance(name, str) or not name.strip():
            message = _("第 %(n)s 个区域没有名称属性“%(property)s”。") % {"n": number, "property": name_property}
            raise BusinessRuleError(message, field="name_property")
        names.append(name.strip())
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise BusinessRuleError(_("区域名称重复：%(names)s。") % {"names": "、".join(repeated)}, field="file")
    return names


def match_units(names: list[str], unit: Unit) -> dict[str, int]:
    """Each name to the county or zone of ``unit`` it names (full or short name); an error listing the others."""
    by_name: dict[str, int] = {}
    for area in map_units(unit):
        by_name[area.name] = area.pk
        if area.short_name:
            by_name.setdefault(area.short_name, area.pk)
    unmatched = [name for name in names if name not in by_name]
    if unmatched:
        message = _("以下区域在%(unit)s的区县中找不到对应单位：%(names)s。请使区域名称与单位名称或简称一致。")
        raise BusinessRuleError(message % {"unit": unit.name, "names": "、".join(unmatched)}, field="file")
    return {name: by_name[name] for name in names}


@records_actor
@transaction.atomic
def upload_region_map(
    *, unit: Unit, name: str, raw: bytes, name_property: str = "name", activate: bool = True, by
) -> RegionMap:
    """Check the GeoJSON and keep it as a map of ``unit``; the active one when ``activate``."""
    data = parse_geojson(raw)
    mapping = match_units(feature_names(data, name_property), unit)
    region_map = RegionMap(unit=unit, name=name, geojson=data, name_property=name_property, mapping=mapping)
    region_map.uploaded_by = by
    region_map.full_clean()
    if activate:
        RegionMap.objects.filter(unit=unit, active=True).update(active=False)
        region_map.active = True
    region_map.save()
    return region_map


@records_actor
@transaction.atomic
def activate_region_map(*, region_map: RegionMap, by) -> RegionMap:
    """Make ``region_map`` the one its unit's cockpit draws."""
    RegionMap.objects.filter(unit=region_map.unit, active=True).exclude(pk=region_map.pk).update(active=False)
    region_map.active = True
    region_map.save(update_fields=["active"])
    return region_map
