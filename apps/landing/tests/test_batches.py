"""Batch starts (集中开工): the event, its projects and total, registering the starts, the printed list, the pages."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.errors import BusinessRuleError
from apps.investment.models import Project, Stage, StageChange
from apps.investment.services.workflow import drop_project, pause_project
from apps.landing.models import BatchStart
from apps.landing.services.batches import (
    StartOutcome,
    add_batch_projects,
    create_batch_start,
    register_batch_starts,
    remove_batch_project,
    update_batch_start,
)

pytestmark = pytest.mark.django_db
HELD_ON = date(2026, 11, 10)


def _batch(by, *, name="东城区2026年第四季度重大项目集中开工", held_on=HELD_ON, unit=None, **extra) -> BatchStart:
    return create_batch_start(name=name, unit=unit or by.unit, held_on=held_on, by=by, **extra)


def _starts(project) -> list[StageChange]:
    return list(project.changes.filter(kind=StageChange.Kind.ADVANCE, to_stage=Stage.STARTED).order_by("at"))


def _sheet(response) -> list[tuple]:
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(BytesIO(response.content))
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture
def signed_a(progress_make, officer_a):
    """Two of 东城区's signed projects (5 亿元 and 3 亿元) and one already started."""
    return {
        "battery": progress_make(officer_a, Stage.SIGNED, name="东城电池项目"),
        "glass": progress_make(officer_a, Stage.SIGNED, name="东城玻璃项目", contracted_investment=Decimal(30000)),
        "bearing": progress_make(officer_a, name="东城轴承项目", contracted_investment=Decimal(12000)),
    }


@pytest.fixture
def batch(officer_a, signed_a):
    batch = _batch(officer_a, venue="东城区高新园")
    add_batch_projects(batch=batch, projects=signed_a.values(), by=officer_a)
    return batch


# ---- the event ------------------------------------------------------------------------------


def test_a_batch_start_is_registered_by_its_organiser(officer_a, county_a):
    batch = _batch(officer_a, name="  东城区集中开工  ", venue=" 高新园 ", note=" 区长出席 ")

    batch.refresh_from_db()
    assert (batch.name, batch.unit, batch.held_on, batch.venue, batch.note, batch.created_by) == (
        "东城区集中开工", county_a, HELD_ON, "高新园", "区长出席", officer_a,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("details", "message", "field"),
    [
        ({"name": " "}, "请填写活动名称。", "name"),
        ({"held_on": None}, "请填写开工日期。", "held_on"),
        ({"unit": "county_b"}, "主办单位须是本单位或下级单位。", "unit"),
        ({"unit": "city"}, "主办单位须是本单位或下级单位。", "unit"),
    ],
)
def test_the_events_details_are_checked(request, officer_a, details, message, field):
    if "unit" in details:
        details["unit"] = request.getfixturevalue(details["unit"])

    with pytest.raises(BusinessRuleError) as error:
        _batch(officer_a, **details)

    assert (error.value.message, error.value.field) == (message, field)
    assert not BatchStart.objects.exists()


def test_a_reader_registers_no_batch_start(progress_viewer_a, progress_handler):
    for user in (progress_viewer_a, progress_handler):
        with pytest.raises(BusinessRuleError, match="没有登记集中开工的权限"):
            _batch(user)


def test_only_the_organisers_side_changes_the_event(batch, officer_a, officer_b):
    with pytest.raises(BusinessRuleError, match="只有主办单位可以修改该集中开工活动"):
        update_batch_start(batch=batch, name="西城改名", by=officer_b)
    with pytest.raises(BusinessRuleError, match="请填写活动名称"):
        update_batch_start(batch=batch, name="", by=officer_a)

    update_batch_start(batch=batch, venue=" 东城区会展中心 ", held_on=date(2026, 11, 12), by=officer_a)

    batch.refresh_from_db()
    assert (batch.name, batch.venue, batch.held_on) == (
        "东城区2026年第四季度重大项目集中开工",
        "东城区会展中心",
        date(2026, 11, 12),
    )


# ---- its projects ---------------------------------------------------------------------------


def test_signed_and_started_projects_in_scope_are_added_and_summed(client_for, batch, officer_a, signed_a):
    assert set(batch.projects.all()) == set(signed_a.values())

    response = client_for(officer_a).get(reverse("landing:batch_detail", args=[batch.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["total"] == Decimal(92000)
    assert '<div class="fs-4 fw-semibold" data-testid="batch-count">3</div>' in page
    assert '<div class="fs-4 fw-semibold" data-testid="batch-total">9.2 亿元</div>' in page
    assert "登记开工（2 个项目）" in page  # the two still at 签约


@pytest.mark.parametrize("kind", ["other_county", "in_talks", "dropped", "paused", "listed"])
def test_projects_out_of_scope_or_not_ready_are_refused(progress_make, batch, officer_a, officer_b, signed_a, kind):
    if kind == "other_county":
        project = progress_make(officer_b, Stage.SIGNED, name="西城纺织项目")
    elif kind == "in_talks":
        project = progress_make(officer_a, Stage.NEGOTIATION, name="东城洽谈项目")
    elif kind == "listed":
        project = signed_a["battery"]
    else:
        project = progress_make(officer_a, Stage.SIGNED, name="东城停滞项目")
        move = drop_project if kind == "dropped" else pause_project
        move(project=project, happened_on=date(2026, 11, 1), reason="企业资金链断裂", by=officer_a)
    fresh = progress_make(officer_a, Stage.SIGNED, name="东城新材料项目")

    with pytest.raises(BusinessRuleError) as error:
        add_batch_projects(batch=batch, projects=[fresh, project], by=officer_a)

    assert error.value.message == f"只能加入本单位可见、已签约或已开工的项目：{project.name}。"
    assert error.value.field == "projects"
    assert batch.projects.count() == 3
    assert not batch.projects.filter(pk=fresh.pk).exists()


def test_a_project_taken_off_keeps_its_stage(batch, officer_a, officer_b, signed_a):
    with pytest.raises(BusinessRuleError, match="只有主办单位可以调整开工项目"):
        remove_batch_project(batch=batch, project=signed_a["glass"], by=officer_b)

    remove_batch_project(batch=batch, project=signed_a["glass"], by=officer_a)

    assert set(batch.projects.all()) == {signed_a["battery"], signed_a["bearing"]}
    signed_a["glass"].refresh_from_db()
    assert signed_a["glass"].stage == Stage.SIGNED


def test_adding_and_removing_through_the_page(client_for, progress_make, officer_a, officer_b, signed_a):
    batch = _batch(officer_a)
    other = progress_make(officer_b, Stage.SIGNED, name="西城纺织项目")
    client = client_for(officer_a)
    url = reverse("landing:batch_add_projects", args=[batch.pk])

    refused = client.post(url, {"projects": [signed_a["battery"].pk, other.pk]}, follow=True)
    added = client.post(url, {"projects": [signed_a["battery"].pk, signed_a["glass"].pk]}, follow=True)
    removed = client.post(
        reverse("landing:batch_remove_project", args=[batch.pk]), {"project": signed_a["glass"].pk}, follow=True
    )

    assert [str(m) for m in get_messages(refused.wsgi_request)] == ["请选择已签约或已开工、且在本单位范围内的项目。"]
    assert "已加入 2 个开工项目。" in added.content.decode()
    assert "已将“东城玻璃项目”移出本次集中开工。" in removed.content.decode()
    assert list(batch.projects.all()) == [signed_a["battery"]]


# ---- registering the starts -----------------------------------------------------------------


def test_registering_moves_each_signed_project_to_started_on_the_day(batch, officer_a, signed_a, progress_coordinator):
    outcomes = register_batch_starts(batch=batch, by=officer_a)

    assert {o.project.name: o.result for o in outcomes} == {
        "东城电池项目": StartOutcome.PENDING,  # a county's start waits for the level above
        "东城玻璃项目": StartOutcome.PENDING,
        "东城轴承项目": StartOutcome.SKIPPED,
    }
    for key in ("battery", "glass"):
        project = Project.objects.get(pk=signed_a[key].pk)
        [change] = _starts(project)
        assert (project.stage, change.happened_on, change.reason, change.by) == (
            Stage.STARTED, HELD_ON, "集中开工：东城区2026年第四季度重大项目集中开工", officer_a,
        )  # fmt: skip
    assert len(_starts(signed_a["bearing"])) == 1  # started before: no second record


def test_registering_twice_adds_no_second_start(batch, officer_a, signed_a):
    register_batch_starts(batch=batch, by=officer_a)

    again = register_batch_starts(batch=batch, by=officer_a)

    assert [o.result for o in again] == [StartOutcome.SKIPPED] * 3
    assert [len(_starts(p)) for p in signed_a.values()] == [1, 1, 1]


def test_one_refusal_leaves_the_others_registered(progress_make, batch, officer_a, signed_a):
    no_investment = progress_make(officer_a, Stage.SIGNED, name="东城缺材料项目", fixed_asset_investment=None)
    add_batch_projects(batch=batch, projects=[no_investment], by=officer_a)

    outcomes = {o.project.name: o for o in register_batch_starts(batch=batch, by=officer_a)}

    refused = outcomes["东城缺材料项目"]
    assert (refused.result, refused.label) == (StartOutcome.REFUSED, "未能登记")
    assert refused.message == "进入“开工”阶段前须补齐：固定资产投资（万元）。"
    assert Project.objects.get(pk=no_investment.pk).stage == Stage.SIGNED
    assert Project.objects.get(pk=signed_a["battery"].pk).stage == Stage.STARTED


def test_the_starts_wait_for_the_day_of_the_event(officer_a, signed_a):
    batch = _batch(officer_a, held_on=date(2026, 11, 20))
    add_batch_projects(batch=batch, projects=[signed_a["battery"]], by=officer_a)

    with pytest.raises(BusinessRuleError, match="开工日期还未到"):
        register_batch_starts(batch=batch, by=officer_a)

    assert _starts(signed_a["battery"]) == []


def test_the_city_registers_only_its_own_projects(progress_coordinator, signed_a):
    """The city's ceremony lists the counties' projects; each county registers its own start."""
    batch = _batch(progress_coordinator, name="示范市集中开工")
    add_batch_projects(batch=batch, projects=[signed_a["battery"]], by=progress_coordinator)

    [outcome] = register_batch_starts(batch=batch, by=progress_coordinator)

    assert (outcome.result, outcome.message) == (StartOutcome.SKIPPED, "不是本单位负责的项目，由其责任单位登记。")
    assert _starts(signed_a["battery"]) == []


def test_registering_through_the_page_says_how_each_went(client_for, batch, officer_a):
    response = client_for(officer_a).post(reverse("landing:batch_register", args=[batch.pk]), follow=True)

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "东城玻璃项目：已报送开工，待上级确认。",
        "东城电池项目：已报送开工，待上级确认。",
        "东城轴承项目：未处理。项目当前阶段为“开工”。",
        "集中开工登记完成：2 个项目已登记或报送开工。",
    ]


# ---- the list, the printed list and the exports ---------------------------------------------


def test_the_printable_list_gives_every_project_and_the_total(client_for, batch, officer_a):
    response = client_for(officer_a).get(reverse("landing:batch_print", args=[batch.pk]))

    page = response.content.decode()
    table = page.split('data-testid="print-list"')[1].split("</table>")[0]
    assert [name for name in ("东城玻璃项目", "东城电池项目", "东城轴承项目") if name in table] == [
        "东城玻璃项目", "东城电池项目", "东城轴承项目",
    ]  # fmt: skip
    assert table.index("东城玻璃项目") < table.index("东城电池项目") < table.index("东城轴承项目")
    assert "合计 3 个项目" in table
    assert '<th class="text-end text-nowrap" data-testid="print-total">9.2 亿元</th>' in table


def test_the_printable_list_exports_as_excel(client_for, batch, officer_a, signed_a):
    Project.objects.filter(pk=signed_a["glass"].pk).update(description="=年产光伏玻璃1000万平方米")

    rows = _sheet(client_for(officer_a).get(reverse("landing:batch_print", args=[batch.pk]), {"export": "xlsx"}))

    assert rows[0] == ("序号", "项目名称", "投资企业", "责任单位", "总投资（万元）", "建设内容")
    assert [(r[0], r[1], r[3], r[4], r[5]) for r in rows[1:]] == [
        (1, "东城玻璃项目", "东城区", 30000, "'=年产光伏玻璃1000万平方米"),
        (2, "东城电池项目", "东城区", 50000, signed_a["battery"].description or None),
        (3, "东城轴承项目", "东城区", 12000, signed_a["bearing"].description or None),
    ]
    assert rows[1][2] == signed_a["glass"].enterprise.name


def test_the_day_cannot_change_once_starts_were_registered_on_it(batch, officer_a, signed_a, progress_coordinator):
    register_batch_starts(batch=batch, by=officer_a)

    with pytest.raises(BusinessRuleError, match="不能再修改开工日期") as refusal:
        update_batch_start(batch=batch, held_on=date(2026, 11, 12), by=officer_a)

    assert refusal.value.field == "held_on"
    update_batch_start(batch=batch, venue="东城区会展中心", by=officer_a)  # the rest may still change
    batch.refresh_from_db()
    assert (batch.held_on, batch.venue) == (HELD_ON, "东城区会展中心")


def test_the_list_searches_names_and_venues(client_for, batch, officer_a):
    update_batch_start(batch=batch, venue="高新区主会场", by=officer_a)
    _batch(officer_a, name="东城区2026年第三季度集中开工", venue="经开区")
    client = client_for(officer_a)

    def names(**params) -> list[str]:
        return [b.name for b in client.get(reverse("landing:batch_list"), params).context["page"].object_list]

    assert names(q="高新") == ["东城区2026年第四季度重大项目集中开工"]
    assert names(q="第三季度") == ["东城区2026年第三季度集中开工"]
    assert names(q="无此活动") == []


def test_the_list_filters_by_year_and_exports_what_it_shows(client_for, batch, officer_a, officer_b):
    _batch(officer_a, name="东城区2025年集中开工", held_on=date(2025, 4, 8))
    _batch(officer_b, name="西城区集中开工")
    client = client_for(officer_a)
    url = reverse("landing:batch_list")

    everything = client.get(url).content.decode()
    this_year = client.get(url, {"year": 2026}).content.decode()
    rows = _sheet(client.get(url, {"year": 2026, "export": "xlsx"}))

    assert "东城区2025年集中开工" in everything
    assert "东城区2026年第四季度重大项目集中开工" in everything
    assert "西城区集中开工" not in everything
    assert "东城区2025年集中开工" not in this_year
    assert rows == [
        ("活动名称", "主办单位", "开工日期", "主会场", "项目数", "总投资（万元）"),
        ("东城区2026年第四季度重大项目集中开工", "东城区", rows[1][2], "东城区高新园", 3, 92000),
    ]
    assert rows[1][2].date() == HELD_ON


def test_a_county_sees_the_citys_batch_with_its_whole_total(
    client_for, progress_coordinator, signed_a, progress_make, officer_a, officer_b
):
    west = progress_make(officer_b, Stage.SIGNED, name="西城纺织项目", contracted_investment=Decimal(20000))
    batch = _batch(progress_coordinator, name="示范市集中开工")
    add_batch_projects(batch=batch, projects=[signed_a["battery"], west], by=progress_coordinator)

    rows = _sheet(client_for(officer_a).get(reverse("landing:batch_list"), {"export": "xlsx"}))

    assert rows[1:] == [("示范市集中开工", "示范市投资促进局", rows[1][2], None, 2, 70000)]
    detail = client_for(officer_a).get(reverse("landing:batch_detail", args=[batch.pk]))
    assert (detail.status_code, detail.context["can_change"]) == (200, False)


# ---- the pages: forms and permissions -------------------------------------------------------


def test_creating_through_the_page(client_for, officer_a, county_a):
    client = client_for(officer_a)
    data = {"name": "东城区冬季集中开工", "unit": county_a.pk, "held_on": "2026-12-08", "venue": "东城区高新园"}

    response = client.post(reverse("landing:batch_create"), data)

    batch = BatchStart.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("landing:batch_detail", args=[batch.pk])
    assert (batch.name, batch.unit, batch.held_on, batch.created_by) == (
        "东城区冬季集中开工",
        county_a,
        date(2026, 12, 8),
        officer_a,
    )


def test_a_form_with_errors_says_what_is_wrong_in_chinese(client_for, officer_a, county_b):
    response = client_for(officer_a).post(
        reverse("landing:batch_create"), {"name": "", "unit": county_b.pk, "held_on": "明天"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["这个字段是必填项。"]
    assert errors["held_on"] == ["输入一个有效的日期。"]
    assert errors["unit"] == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    assert "这个字段是必填项。" in response.content.decode()
    assert not BatchStart.objects.exists()


def test_editing_through_the_page(client_for, batch, officer_a, county_a):
    data = {"name": "东城区集中开工（改期）", "unit": county_a.pk, "held_on": "2026-11-12", "venue": ""}

    response = client_for(officer_a).post(reverse("landing:batch_edit", args=[batch.pk]), data)

    batch.refresh_from_db()
    assert response.status_code == 302
    assert (batch.name, batch.held_on, batch.venue) == ("东城区集中开工（改期）", date(2026, 11, 12), "")


@pytest.mark.parametrize(
    ("persona", "read", "change"),
    [
        ("anonymous", "login", "login"),
        ("officer_b", 404, 404),
        ("progress_handler", 404, 404),
        ("progress_viewer_a", 200, 403),
    ],
)
def test_who_may_see_and_change_a_batch(request, client, batch, signed_a, county_a, persona, read, change):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    def check(response, expected):
        if expected == "login":
            assert response.status_code == 302
            assert reverse("org:login") in response["Location"]
        else:
            assert response.status_code == expected

    for name in ("batch_detail", "batch_print"):
        check(client.get(reverse(f"landing:{name}", args=[batch.pk])), read)
    posts = {
        "batch_edit": {"name": "改名", "unit": county_a.pk, "held_on": "2026-11-01"},
        "batch_remove_project": {"project": signed_a["glass"].pk},
        "batch_register": {},
    }
    for name, data in posts.items():
        check(client.post(reverse(f"landing:{name}", args=[batch.pk]), data), change)
    check(client.get(reverse("landing:batch_edit", args=[batch.pk])), change)

    batch.refresh_from_db()
    assert (batch.name, batch.held_on, batch.projects.count()) == ("东城区2026年第四季度重大项目集中开工", HELD_ON, 3)
    assert [p.stage for p in Project.objects.filter(pk__in=[p.pk for p in signed_a.values()]).order_by("pk")] == [
        Stage.SIGNED, Stage.SIGNED, Stage.STARTED,
    ]  # fmt: skip


def test_a_reader_sees_no_buttons_to_change(client_for, batch, progress_viewer_a):
    response = client_for(progress_viewer_a).get(reverse("landing:batch_detail", args=[batch.pk]))

    page = response.content.decode()
    assert "东城电池项目" in page
    assert reverse("landing:batch_edit", args=[batch.pk]) not in page
    assert reverse("landing:batch_register", args=[batch.pk]) not in page
    assert "加入开工项目</div>" not in page
