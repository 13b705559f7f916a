"""The admonition pages: the ledger with its filters and export, a talk recorded and followed up, and who may."""

from datetime import date
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from apps.assessment.models import Admonition
from apps.assessment.services.admonitions import record_follow_up, record_talk

pytestmark = pytest.mark.django_db

LIST = "assessment:admonition_list"
TALK = {
    "action": "talk", "held_on": "2026-10-20", "leader": "王副市长", "attendees": "南湖区区长",
    "issues": "储备项目不足，签约进度落后", "commitments": "年底前新增储备项目 5 个",
}  # fmt: skip


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _url(admonition) -> str:
    return reverse("assessment:admonition_detail", args=[admonition.pk])


def _rows(response) -> list[str]:
    return response.content.decode().split('data-testid="admonition-row"')[1:]


def _talk(admonition, by):
    data = {key: value for key, value in TALK.items() if key != "action"}
    return record_talk(admonition=admonition, by=by, **{**data, "held_on": date(2026, 10, 20)})


# ---- the ledger -----------------------------------------------------------------------------


def test_the_ledger_lists_the_planned_talk_with_its_rank(client_for, admonished, keeper):
    response = client_for(keeper).get(reverse(LIST))

    rows = _rows(response)
    assert len(rows) == 1
    assert f'href="{_url(admonished)}">南湖区</a>' in rows[0]
    assert "2026年9月" in rows[0]
    assert '<td class="text-end">3</td>' in rows[0]
    assert "待约谈" in rows[0]


def test_the_ledger_filters_by_status_unit_and_scheme(client_for, admonished, keeper, county_a, scheme):
    client = client_for(keeper)
    _talk(admonished, keeper)

    assert len(_rows(client.get(reverse(LIST), {"status": "rectifying"}))) == 1
    assert len(_rows(client.get(reverse(LIST), {"scheme": scheme.pk, "unit": admonished.unit_id}))) == 1
    empty = client.get(reverse(LIST), {"status": "planned"})
    assert _rows(empty) == []
    assert "没有符合条件的约谈" in empty.content.decode()
    not_a_choice = client.get(reverse(LIST), {"unit": county_a.pk})  # 东城区 had no talk, so it is no choice
    assert list(not_a_choice.context["form"].errors) == ["unit"]


def test_the_ledger_exports_what_it_shows(client_for, admonished, keeper):
    _talk(admonished, keeper)

    response = client_for(keeper).get(reverse(LIST), {"export": "xlsx"})

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("考核方案", "依据排名", "被约谈单位", "名次", "状态")
    assert rows[1][:5] == ("2026年度县区招商引资考核", "2026年9月", "南湖区", 3, "整改中")
    assert rows[1][6:10] == ("王副市长", "南湖区区长", "储备项目不足，签约进度落后", "年底前新增储备项目 5 个")


# ---- one talk -------------------------------------------------------------------------------


def test_the_keeper_records_the_talk_then_the_follow_up(client_for, admonished, keeper):
    client = client_for(keeper)
    first = client.get(_url(admonished)).content.decode()
    assert 'data-testid="talk-form"' in first
    assert 'data-testid="follow-form"' not in first  # nothing to follow up before the talk
    assert "第 3 名，得分 52.00" in first

    talked = client.post(_url(admonished), TALK, follow=True)
    admonished.refresh_from_db()
    assert (admonished.status, admonished.held_on, admonished.leader) == ("rectifying", date(2026, 10, 20), "王副市长")
    assert _messages(talked) == ["已登记约谈情况。"]
    assert 'data-testid="follow-form"' in talked.content.decode()

    followed = client.post(
        _url(admonished), {"action": "follow_up", "follow_up": "已新增储备项目 6 个", "followed_on": "2026-11-05"},
        follow=True,
    )  # fmt: skip

    admonished.refresh_from_db()
    assert (admonished.status, admonished.followed_on) == ("done", date(2026, 11, 5))
    assert _messages(followed) == ["已登记整改情况。"]
    page = followed.content.decode().split('data-testid="admonition"')[1]
    assert "已新增储备项目 6 个" in page
    assert "2026年11月5日" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"held_on": "2026-09-20"}, "held_on", "约谈日期须在排名周期结束之后、且不晚于今天。"),
        ({"leader": " "}, "leader", "请填写约谈领导。"),
        ({"commitments": ""}, "commitments", "请填写被约谈单位的整改承诺。"),
        ({"held_on": ""}, "held_on", "这个字段是必填项。"),
    ],
)
def test_a_wrong_talk_shows_the_rule_on_its_field(client_for, admonished, keeper, changes, field, message):
    response = client_for(keeper).post(_url(admonished), {**TALK, **changes})

    assert response.context["talk_form"].errors == {field: [message]}
    assert f'<div class="invalid-feedback d-block">{message}</div>' in response.content.decode()
    admonished.refresh_from_db()
    assert (admonished.status, admonished.leader) == ("planned", "")


def test_a_wrong_follow_up_shows_the_rule(client_for, admonished, keeper):
    _talk(admonished, keeper)
    client = client_for(keeper)

    early = client.post(_url(admonished), {"action": "follow_up", "follow_up": "已整改", "followed_on": "2026-10-01"})
    empty = client.post(_url(admonished), {"action": "follow_up", "follow_up": "", "followed_on": ""})

    assert early.context["follow_form"].errors == {"followed_on": ["整改完成日期须在约谈之后、且不晚于今天。"]}
    assert empty.context["follow_form"].errors == {"follow_up": ["请填写整改情况。"]}
    admonished.refresh_from_db()
    assert (admonished.status, admonished.follow_up) == ("rectifying", "")


# ---- who may ---------------------------------------------------------------------------------


def test_the_admonished_county_reads_its_talk_but_records_nothing(client_for, admonished, keeper, county_keeper_c):
    _talk(admonished, keeper)
    record_follow_up(admonition=admonished, follow_up="整改中", followed_on=None, by=keeper)
    client = client_for(county_keeper_c)

    page = client.get(_url(admonished)).content.decode()
    statuses = [
        client.post(_url(admonished), TALK).status_code,
        client.post(_url(admonished), {"action": "follow_up", "follow_up": "已整改",
                                       "followed_on": "2026-11-05"}).status_code,
    ]  # fmt: skip

    assert "储备项目不足，签约进度落后" in page
    assert 'data-testid="talk-form"' not in page
    assert 'data-testid="follow-form"' not in page
    assert statuses == [403, 403]
    admonished.refresh_from_db()
    assert (admonished.status, admonished.follow_up) == ("rectifying", "整改中")
    assert len(_rows(client.get(reverse(LIST)))) == 1


def test_another_countys_talk_is_not_found(client_for, admonished, county_keeper_a):
    client = client_for(county_keeper_a)

    assert client.get(_url(admonished)).status_code == 404
    assert client.post(_url(admonished), TALK).status_code == 404
    listing = client.get(reverse(LIST))
    assert _rows(listing) == []
    assert "没有符合条件的约谈" in listing.content.decode()
    assert Admonition.objects.get().status == "planned"
