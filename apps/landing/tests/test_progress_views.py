"""The progress pages: a project's monthly reports and photos, and the monthly ledger with its filters and export."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from apps.investment.models import Stage
from apps.investment.services.workflow import drop_project
from apps.landing.models import ProgressPhoto, ProgressReport
from apps.landing.services.progress import add_photo, report_progress
from apps.landing.tests.samples_progress import png_bytes

pytestmark = pytest.mark.django_db


def _report(project, by, month: date, amount, description="主体结构施工"):
    return report_progress(
        project=project, month=month, invested_in_month=Decimal(amount), description=description, by=by
    )


def _page_url(project) -> str:
    return reverse("landing:project_progress", args=[project.pk])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _login(request, client, persona: str):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def _check(response, expected) -> None:
    if expected == "login":
        assert response.status_code == 302
        assert reverse("org:login") in response["Location"]
    else:
        assert response.status_code == expected


# ---- the report form ------------------------------------------------------------------------


def test_the_form_proposes_last_month(client_for, progress_project, officer_a):
    response = client_for(officer_a).get(_page_url(progress_project))

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"]["month"].value() == date(2026, 10, 1)
    assert 'type="month" name="month" value="2026-10"' in page
    assert "还没有填报建设进度。" in page


def test_a_month_is_reported_through_the_page(client_for, progress_project, officer_a):
    data = {"month": "2026-10", "invested_in_month": "1200.50", "description": "完成厂房基础施工"}

    response = client_for(officer_a).post(_page_url(progress_project), data, follow=True)

    report = ProgressReport.objects.get(project=progress_project)
    assert (report.month, report.invested_in_month, report.invested_to_date, report.reported_by) == (
        date(2026, 10, 1), Decimal("1200.50"), Decimal("1200.50"), officer_a,
    )  # fmt: skip
    assert response.redirect_chain == [(_page_url(progress_project), 302)]
    assert _messages(response) == ["已保存 2026年10月 的建设进度，累计完成投资 1,200.50 万元。"]
    table = response.content.decode().split('data-testid="progress-reports"')[1]
    assert "完成厂房基础施工" in table
    assert "1,200.5 万元" in table


def test_asking_for_a_month_fills_the_form_to_correct_it(client_for, progress_project, officer_a):
    _report(progress_project, officer_a, date(2026, 9, 1), 800, "钢结构吊装")

    response = client_for(officer_a).get(_page_url(progress_project), {"month": "2026-09"})

    form = response.context["form"]
    assert (form["month"].value(), form["invested_in_month"].value(), form["description"].value()) == (
        date(2026, 9, 1), Decimal(800), "钢结构吊装",
    )  # fmt: skip
    assert "?month=2026-09" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"month": "2026-12", "invested_in_month": "100"}, "month", "不能填报未来月份的建设进度。"),
        ({"month": "2026-05", "invested_in_month": "100"}, "month", "月份不能早于项目签约的月份（2026年06月）。"),
        ({"month": "2026-10", "invested_in_month": "-5"}, "invested_in_month", "确保该值大于或等于0。"),
        ({"month": "十月", "invested_in_month": "100"}, "month", "输入一个有效的日期。"),
        ({"month": "2026-10", "invested_in_month": "100", "description": "  "}, "description", "这个字段是必填项。"),
    ],
)
def test_errors_are_shown_on_their_field(client_for, progress_project, officer_a, data, field, message):
    response = client_for(officer_a).post(_page_url(progress_project), {"description": "场地平整", **data})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {field: [message]}
    page = response.content.decode()
    block = page.split(f'name="{field}"')[1].split('<div class="col-12')[0]
    assert f'<div class="invalid-feedback d-block">{message}</div>' in block
    assert not ProgressReport.objects.exists()


def test_a_total_far_above_the_contract_must_be_confirmed_on_the_page(client_for, progress_project, officer_a):
    """协议投资 5 亿元: a cumulative 60,000.01 万元 is more than 20 % above it; the person ticks the box and saves."""
    _report(progress_project, officer_a, date(2026, 9, 1), 40000)
    client = client_for(officer_a)
    data = {"month": "2026-10", "invested_in_month": "20000.01", "description": "设备进场"}

    warned = client.post(_page_url(progress_project), data)

    assert warned.status_code == 200
    assert warned.context["form"].errors["invested_in_month"] == [
        "累计完成投资将达 60,000.01 万元，超过协议投资 50,000.00 万元的 20% 以上。"
        "请核对金额单位（万元）；确属超概算投资的，勾选“确认超出协议投资”后再保存。"
    ]
    assert 'class="form-check-input is-invalid"' in warned.content.decode()
    assert not ProgressReport.objects.filter(month=date(2026, 10, 1)).exists()

    confirmed = client.post(_page_url(progress_project), {**data, "confirm_over": "on"})

    assert confirmed.status_code == 302
    assert ProgressReport.objects.get(month=date(2026, 10, 1)).invested_to_date == Decimal("60000.01")


def test_a_project_not_started_is_refused_without_a_field(client_for, progress_make, officer_a):
    signed = progress_make(officer_a, Stage.SIGNED)

    response = client_for(officer_a).post(
        _page_url(signed), {"month": "2026-10", "invested_in_month": "10", "description": "场地平整"}
    )

    assert response.context["form"].non_field_errors() == ["项目登记开工后才能填报建设进度。"]
    assert (
        '<div class="alert alert-danger"><div>项目登记开工后才能填报建设进度。</div></div>' in response.content.decode()
    )


def test_a_reader_sees_the_reports_without_the_form(client_for, progress_project, officer_a, progress_viewer_a):
    _report(progress_project, officer_a, date(2026, 10, 1), 500, "主体封顶")

    response = client_for(progress_viewer_a).get(_page_url(progress_project))

    page = response.content.decode()
    assert response.context["form"] is None
    assert 'data-testid="progress-form"' not in page
    assert "主体封顶" in page
    assert "?month=" not in page


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("anonymous", "login", "login"),
        ("officer_b", 404, 404),
        ("progress_handler", 404, 404),
        ("progress_viewer_a", 200, 403),
        ("progress_coordinator", 200, 403),
        ("officer_a", 200, 302),
    ],
)
def test_who_may_read_and_report(request, client, progress_project, persona, read, write):
    client = _login(request, client, persona)

    _check(client.get(_page_url(progress_project)), read)
    _check(
        client.post(
            _page_url(progress_project), {"month": "2026-10", "invested_in_month": "10", "description": "施工"}
        ),
        write,
    )

    assert ProgressReport.objects.filter(project=progress_project).count() == (1 if write == 302 else 0)


# ---- photos ---------------------------------------------------------------------------------


@pytest.fixture
def october(progress_project, officer_a, progress_media):
    return _report(progress_project, officer_a, date(2026, 10, 1), 1000)


@pytest.fixture
def photo(october, officer_a):
    return add_photo(
        report=october, image=SimpleUploadedFile("钢结构.png", png_bytes()), caption="钢结构吊装", by=officer_a
    )


def _gif() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    return buffer.getvalue()


def test_a_photo_is_uploaded_and_shown_on_the_page(client_for, october, officer_a):
    client = client_for(officer_a)
    upload = SimpleUploadedFile("现场.png", png_bytes((8, 6)), content_type="image/png")

    response = client.post(
        reverse("landing:photo_add", args=[october.pk]), {"image": upload, "caption": "基础浇筑"}, follow=True
    )

    photo = ProgressPhoto.objects.get()
    assert (photo.report, photo.caption, photo.uploaded_by) == (october, "基础浇筑", officer_a)
    assert _messages(response) == ["已上传 2026年10月 的进度照片。"]
    page = response.content.decode()
    assert f'src="{reverse("landing:photo_view", args=[photo.pk])}" alt="基础浇筑"' in page
    assert reverse("landing:photo_delete", args=[photo.pk]) in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("现场.png", "不是图片".encode(), "请上传一张有效的图片。您所上传的文件不是图片或者是已损坏的图片。"),
        ("现场.gif", _gif(), "请上传 JPEG 或 PNG 格式的照片。"),
    ],
    ids=["text", "gif"],
)
def test_a_file_that_is_no_photo_is_refused_with_a_message(client_for, october, officer_a, name, content, message):
    response = client_for(officer_a).post(
        reverse("landing:photo_add", args=[october.pk]), {"image": SimpleUploadedFile(name, content)}, follow=True
    )

    assert _messages(response) == [message]
    assert not ProgressPhoto.objects.exists()


def test_the_photo_is_served_to_those_who_see_the_project(client_for, photo, officer_a, progress_coordinator):
    for user in (officer_a, progress_coordinator):
        response = client_for(user).get(reverse("landing:photo_view", args=[photo.pk]))

        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "private, max-age=3600"
        assert b"".join(response.streaming_content) == png_bytes()


@pytest.mark.parametrize(
    ("persona", "view", "upload", "delete"),
    [
        ("anonymous", "login", "login", "login"),
        ("officer_b", 404, 404, 404),
        ("progress_handler", 404, 404, 404),
        ("progress_viewer_a", 200, 403, 403),
    ],
)
def test_who_may_see_add_and_delete_photos(request, client, photo, october, persona, view, upload, delete):
    client = _login(request, client, persona)

    _check(client.get(reverse("landing:photo_view", args=[photo.pk])), view)
    _check(
        client.post(
            reverse("landing:photo_add", args=[october.pk]), {"image": SimpleUploadedFile("b.png", png_bytes())}
        ),
        upload,
    )
    _check(client.post(reverse("landing:photo_delete", args=[photo.pk])), delete)

    assert list(ProgressPhoto.objects.all()) == [photo]
    assert photo.image.storage.exists(photo.image.name)


def test_the_owning_side_deletes_a_photo_and_its_file(client_for, photo, officer_a, django_capture_on_commit_callbacks):
    storage, name = photo.image.storage, photo.image.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(officer_a).post(reverse("landing:photo_delete", args=[photo.pk]))

    assert response.status_code == 302
    assert response["Location"] == _page_url(photo.report.project)
    assert not ProgressPhoto.objects.exists()
    assert not storage.exists(name)


def test_deleting_needs_a_post(client_for, photo, officer_a):
    assert client_for(officer_a).get(reverse("landing:photo_delete", args=[photo.pk])).status_code == 405
    assert ProgressPhoto.objects.filter(pk=photo.pk).exists()


# ---- the monthly ledger ---------------------------------------------------------------------


@pytest.fixture
def ledger(progress_make, officer_a, officer_b):
    """东城区: one project reported in October, one not; 西城区: one reported; and projects the ledger leaves out."""
    reported = progress_make(officer_a, name="东城轴承项目")
    _report(reported, officer_a, date(2026, 9, 1), 3000, "基础施工")
    _report(reported, officer_a, date(2026, 10, 1), 2000, "主体封顶")
    missing = progress_make(officer_a, name="东城电池项目")
    _report(missing, officer_a, date(2026, 9, 1), 700, "场地平整")
    west = progress_make(officer_b, name="西城纺织项目")
    _report(west, officer_b, date(2026, 10, 1), 900, "设备安装")
    progress_make(officer_a, Stage.SIGNED, name="东城签约项目")
    dropped = progress_make(officer_a, name="东城终止项目")
    drop_project(project=dropped, happened_on=date(2026, 11, 1), reason="企业放弃", by=officer_a)
    return {"reported": reported, "missing": missing, "west": west}


def _ledger_names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


def test_the_ledger_lists_last_month_for_the_users_projects(client_for, ledger, officer_a):
    response = client_for(officer_a).get(reverse("landing:progress_ledger"))

    page = response.content.decode()
    assert response.context["month"] == date(2026, 10, 1)
    assert _ledger_names(response) == ["东城电池项目", "东城轴承项目"]
    rows = {p.name: (p.reported, p.month_invested, p.to_date) for p in response.context["page"].object_list}
    assert rows == {"东城电池项目": (False, None, Decimal(700)), "东城轴承项目": (True, Decimal(2000), Decimal(5000))}
    assert "建设进度台账 · 2026年10月" in page
    assert page.count(">未填报</span>") == 1
    assert "在建项目 2 个，已填报 1 个，当月完成投资合计 2,000 万元。" in page
    assert "西城纺织项目" not in page


def test_the_ledger_filters_by_month_reporting_and_unit(client_for, ledger, city_leader, county_a, county_b):
    client = client_for(city_leader)
    url = reverse("landing:progress_ledger")

    assert _ledger_names(client.get(url)) == ["东城电池项目", "东城轴承项目", "西城纺织项目"]
    assert _ledger_names(client.get(url, {"reported": "no"})) == ["东城电池项目"]
    assert _ledger_names(client.get(url, {"reported": "yes", "unit": county_b.pk})) == ["西城纺织项目"]
    september = client.get(url, {"month": "2026-09", "unit": county_a.pk})
    assert [(p.name, p.month_invested) for p in september.context["page"].object_list] == [
        ("东城电池项目", Decimal(700)),
        ("东城轴承项目", Decimal(3000)),
    ]
    assert september.context["totals"] == {"count": 2, "reported_count": 2, "invested": Decimal(3700)}


def test_the_ledger_exports_what_it_shows(client_for, ledger, officer_a):
    response = client_for(officer_a).get(reverse("landing:progress_ledger"), {"reported": "yes", "export": "xlsx"})

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = [tuple(r) for r in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert rows[0] == (
        "项目编号", "项目名称", "投资企业", "责任单位", "阶段", "协议投资（万元）", "月份", "填报情况",
        "当月完成投资（万元）", "累计完成投资（万元）", "累计完成比例（%）", "形象进度",
    )  # fmt: skip
    reported = ledger["reported"]
    assert rows[1:] == [
        (
            reported.code, "东城轴承项目", reported.enterprise.name, "东城区", "开工", 50000, "2026-10", "已填报",
            2000, 5000, 10, "主体封顶",
        ),
    ]  # fmt: skip


def test_the_ledger_export_lists_the_unreported_too(client_for, ledger, officer_a):
    response = client_for(officer_a).get(reverse("landing:progress_ledger"), {"reported": "no", "export": "xlsx"})

    rows = [tuple(r) for r in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert [(r[1], r[7], r[8], r[9], r[11]) for r in rows[1:]] == [("东城电池项目", "未填报", None, 700, None)]


def test_the_ledger_needs_the_right_to_read_progress(client, client_for, ledger):
    from apps.org import roles
    from apps.org.tests.factories import UserFactory

    agent = UserFactory(username="pg_agent", unit=ledger["reported"].unit, roles=[roles.HOTLINE_AGENT])

    _check(client.get(reverse("landing:progress_ledger")), "login")
    _check(client_for(agent).get(reverse("landing:progress_ledger")), 403)


def test_a_project_started_after_the_month_is_not_missing_in_it(client_for, progress_make, officer_a):
    """Started on 2 November: nothing is due for October (as the landing status says), so October does not list it."""
    progress_make(officer_a, name="东城十一月开工项目", signed=date(2026, 11, 1))
    progress_make(officer_a, name="东城十月开工项目", signed=date(2026, 10, 30))
    client = client_for(officer_a)

    october = client.get(reverse("landing:progress_ledger"))
    november = client.get(reverse("landing:progress_ledger"), {"month": "2026-11"})

    assert _ledger_names(october) == ["东城十月开工项目"]
    assert october.context["totals"]["count"] == 1
    assert _ledger_names(november) == ["东城十一月开工项目", "东城十月开工项目"]


def test_the_landing_page_shows_progress_only_once_signed(client_for, progress_project, review_project, officer_a):
    client = client_for(officer_a)

    signed = client.get(reverse("landing:project_landing", args=[progress_project.pk])).content.decode()
    in_talks = client.get(reverse("landing:project_landing", args=[review_project.pk])).content.decode()

    assert 'data-testid="progress-panel"' in signed
    assert 'data-testid="progress-panel"' not in in_talks
