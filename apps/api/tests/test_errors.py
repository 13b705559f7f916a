"""Every error body has ``detail``; too many requests of one token are a 429."""

from apps.api.models import IntegrationToken

PROJECTS = "/api/v1/projects/"


def test_a_body_that_is_not_json_is_a_400_with_detail(api_a):
    response = api_a.generic("POST", PROJECTS, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_a_list_body_is_a_400_with_detail(api_a):
    response = api_a.post(PROJECTS, [1, 2], format="json")

    assert response.status_code == 400
    assert response.json()["detail"] == "无效数据。期待为字典类型，得到的是 list 。"


def test_a_missing_record_is_a_404_with_detail(api_a):
    response = api_a.get(f"{PROJECTS}99999999999999999999/")

    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_the_rate_is_limited_per_token(settings, issue, api_for, county_a):
    settings.API_THROTTLE_RATE = "3/min"
    first, second = api_for(issue(county_a)), api_for(issue(county_a, name="第二个对接系统"))

    statuses = [first.get(PROJECTS).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    limited = first.get(PROJECTS)
    assert limited.json()["detail"].startswith("请求已被限流。")
    assert int(limited["Retry-After"]) > 0
    assert second.get(PROJECTS).status_code == 200  # another token has its own allowance
    assert IntegrationToken.objects.count() == 2
