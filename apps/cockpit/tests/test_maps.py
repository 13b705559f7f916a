"""Uploading a region map: every check refuses the whole file in plain words and saves nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.cockpit import services
from apps.cockpit.models import RegionMap
from apps.cockpit.panels.maps import region_map_for
from apps.cockpit.tests.conftest import geojson
from apps.core.errors import BusinessRuleError
from apps.org.models import Unit

pytestmark = pytest.mark.django_db


def test_a_map_of_the_counties_is_kept_with_each_name_matched_to_its_unit(city, county_a, county_b, system_admin):
    region_map = services.upload_region_map(
        unit=city, name="示意图", raw=geojson("东城区", "西城区", geometry="MultiPolygon"), by=system_admin
    )
    assert region_map.active
    assert region_map.mapping == {"东城区": county_a.pk, "西城区": county_b.pk}
    assert region_map.uploaded_by == system_admin


def test_a_short_name_matches_too(city, county_a, county_b, system_admin):
    county_a.short_name = "东城"
    county_a.save()
    region_map = services.upload_region_map(unit=city, name="示意图", raw=geojson("东城", "西城区"), by=system_admin)
    assert region_map.mapping["东城"] == county_a.pk


def test_a_new_active_map_replaces_the_active_one(city_map, city, system_admin):
    second = services.upload_region_map(unit=city, name="新版", raw=geojson("东城区"), by=system_admin)
    city_map.refresh_from_db()
    assert (city_map.active, second.active) == (False, True)
    services.activate_region_map(region_map=city_map, by=system_admin)
    second.refresh_from_db()
    assert (RegionMap.objects.get(active=True), second.active) == (city_map, False)


BAD_FILES = [
    (b"{not json", "不是有效的 JSON"),
    ("{}".encode("utf-16"), "不是有效的 JSON"),
    (json.dumps({"type": "Feature"}).encode(), "FeatureCollection"),
    (json.dumps({"type": "FeatureCollection", "features": []}).encode(), "features 为空"),
    (geojson("东城区", geometry="Point"), "第 1 个区域不是 Polygon 或 MultiPolygon"),
    (geojson("东城区", "南湖区", "北山区"), "找不到对应单位：南湖区、北山区"),
    (geojson("东城区", "东城区"), "区域名称重复：东城区"),
    (b" " * (services.MAX_BYTES + 1), "不能超过 5 MB"),
]


@pytest.mark.parametrize(("raw", "message"), BAD_FILES)
def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_saved(
    city, county_a, county_b, system_admin, raw, message
):
    with pytest.raises(BusinessRuleError, match=message):
        services.upload_region_map(unit=city, name="示意图", raw=raw, by=system_admin)
    assert not RegionMap.objects.exists()


def test_a_feature_without_the_name_property_is_named_in_the_error(city, county_a, system_admin):
    with pytest.raises(BusinessRuleError, match="第 1 个区域没有名称属性“mc”"):
        services.upload_region_map(unit=city, name="示意图", raw=geojson("东城区"), name_property="mc", by=system_admin)


def test_a_county_officer_gets_the_map_of_their_city(city_map, officer_a, county_a):
    assert region_map_for(officer_a.unit) == city_map
    assert region_map_for(Unit.objects.get(name="东城区东风街道")) == city_map


# ---- the page -----------------------------------------------------------------------------------


def _upload(client, unit, raw, **extra):
    data = {"unit": unit.pk, "name": "示意图", "name_property": "name", "activate": "on", **extra}
    data["file"] = SimpleUploadedFile("map.geojson", raw, content_type="application/geo+json")
    return client.post(reverse("cockpit:map_list"), data)


def test_the_administrator_uploads_a_map_from_the_page(client_for, system_admin, city, county_a, county_b):
    response = _upload(client_for(system_admin), city, geojson("东城区", "西城区"))
    assert response.status_code == 302
    assert RegionMap.objects.get().mapping == {"东城区": county_a.pk, "西城区": county_b.pk}


def test_the_page_shows_an_unmatched_name_and_saves_nothing(client_for, system_admin, city, county_a):
    response = _upload(client_for(system_admin), city, geojson("东城区", "不存在县"))
    assert response.status_code == 400
    assert "找不到对应单位：不存在县" in response.content.decode()
    assert not RegionMap.objects.exists()


def test_the_page_lists_the_maps_and_activates_one(client_for, system_admin, city_map, city):
    second = services.upload_region_map(unit=city, name="新版示意图", raw=geojson("东城区"), by=system_admin)
    client = client_for(system_admin)
    page = client.get(reverse("cockpit:map_list"))
    assert "新版示意图" in page.content.decode()
    assert "示范市示意图" in page.content.decode()
    response = client.post(reverse("cockpit:map_activate", args=[city_map.pk]))
    assert response.status_code == 302
    second.refresh_from_db()
    assert RegionMap.objects.get(active=True) == city_map
    assert not second.active


def test_only_the_system_administrator_keeps_maps(client_for, city_leader, officer_a, city_map):
    for user in (city_leader, officer_a):
        client = client_for(user)
        assert client.get(reverse("cockpit:map_list")).status_code == 403
        assert client.post(reverse("cockpit:map_activate", args=[city_map.pk])).status_code == 403
