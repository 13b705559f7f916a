"""Monthly progress reports: cumulative figures, their recomputation, the rules, and photos."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.core.errors import BusinessRuleError
from apps.investment.models import Stage
from apps.investment.services.workflow import advance_project
from apps.landing.models import ProgressPhoto, ProgressReport
from apps.landing.services.progress import (
    OverContractWarning,
    add_photo,
    remove_photo,
    report_progress,
)
from apps.landing.tests.samples_progress import png_bytes

pytestmark = pytest.mark.django_db


def _report(project, by, month, amount, **extra):
    return report_progress(
        project=project, month=month, invested_in_month=Decimal(amount), description="主体结构施工", by=by, **extra
    )


def _to_date(project) -> dict[date, Decimal]:
    return dict(
        ProgressReport.objects.filter(project=project).order_by("month").values_list("month", "invested_to_date")
    )


def test_the_cumulative_figure_is_the_sum_up_to_each_month(progress_project, officer_a):
    _report(progress_project, officer_a, date(2026, 7, 1), 1000)
    _report(progress_project, officer_a, date(2026, 9, 1), 1500)
    report = _report(progress_project, officer_a, date(2026, 8, 20), 2000)

    assert report.month == date(2026, 8, 1)
    assert report.invested_to_date == Decimal(3000)
    assert _to_date(progress_project) == {
        date(2026, 7, 1): Decimal(1000),
        date(2026, 8, 1): Decimal(3000),
        date(2026, 9, 1): Decimal(4500),
    }


def test_correcting_an_earlier_month_updates_it_and_carries_into_later_months(progress_project, officer_a):
    for month, amount in ((7, 1000), (8, 2000), (9, 1500)):
        _report(progress_project, officer_a, date(2026, month, 1), amount)

    corrected = report_progress(
        project=progress_project,
        month=date(2026, 7, 1),
        invested_in_month=Decimal(500),
        description="更正：七月仅完成场地平整",
        by=officer_a,
    )

    assert ProgressReport.objects.filter(project=progress_project).count() == 3
    assert (corrected.invested_in_month, corrected.description) == (Decimal(500), "更正：七月仅完成场地平整")
    assert _to_date(progress_project) == {
        date(2026, 7, 1): Decimal(500),
        date(2026, 8, 1): Decimal(2500),
        date(2026, 9, 1): Decimal(4000),
    }


@pytest.mark.parametrize(
    ("month", "amount", "message", "field"),
    [
        (date(2026, 12, 1), 100, "不能填报未来月份", "month"),
        (date(2026, 5, 1), 100, "不能早于项目签约的月份（2026年06月）", "month"),
        (date(2026, 10, 1), -1, "不能为负数", "invested_in_month"),
    ],
)
def test_months_and_amounts_are_checked(progress_project, officer_a, month, amount, message, field):
    with pytest.raises(BusinessRuleError, match=message) as error:
        _report(progress_project, officer_a, month, amount)

    assert error.value.field == field
    assert not ProgressReport.objects.exists()


def test_the_signing_month_and_the_current_month_may_be_reported(progress_project, officer_a):
    _report(progress_project, officer_a, date(2026, 6, 1), 100)
    _report(progress_project, officer_a, date(2026, 11, 1), 100)

    assert ProgressReport.objects.filter(project=progress_project).count() == 2


def test_a_project_not_started_reports_nothing(progress_make, officer_a):
    signed = progress_make(officer_a, Stage.SIGNED)

    with pytest.raises(BusinessRuleError, match="登记开工后才能填报"):
        _report(signed, officer_a, date(2026, 10, 1), 100)


def test_a_start_waiting_for_confirmation_already_reports(progress_make, officer_a):
    """The reported stage counts for reporting: the level above confirms the start, not the works."""
    project = progress_make(officer_a, Stage.SIGNED)
    change = advance_project(project=project, happened_on=date(2026, 7, 1), by=officer_a)
    assert change.approval == "pending"

    report = _report(project, officer_a, date(2026, 7, 1), 800)

    assert report.invested_to_date == Decimal(800)


def test_only_the_owning_side_reports(progress_project, officer_b, progress_coordinator, progress_viewer_a):
    for user in (officer_b, progress_coordinator, progress_viewer_a):
        with pytest.raises(BusinessRuleError, match="只有项目责任单位"):
            _report(progress_project, user, date(2026, 10, 1), 100)
    assert not ProgressReport.objects.exists()


def test_more_than_20_percent_above_the_contract_must_be_confirmed(progress_project, officer_a):
    """协议投资 5 亿元 = 50,000 万元: up to 60,000 passes, beyond it the person must confirm."""
    _report(progress_project, officer_a, date(2026, 9, 1), 40000)
    _report(progress_project, officer_a, date(2026, 10, 1), 20000)  # exactly 120 %

    with pytest.raises(
        OverContractWarning, match="累计完成投资将达 60,000.01 万元，超过协议投资 50,000.00 万元的 20%"
    ) as warning:
        _report(progress_project, officer_a, date(2026, 11, 1), Decimal("0.01"))
    assert warning.value.field == "invested_in_month"
    assert not ProgressReport.objects.filter(month=date(2026, 11, 1)).exists()

    report = _report(progress_project, officer_a, date(2026, 11, 1), Decimal("0.01"), confirm_over=True)
    assert report.invested_to_date == Decimal("60000.01")


def test_a_correction_that_lowers_the_total_is_not_warned_about(progress_project, officer_a):
    _report(progress_project, officer_a, date(2026, 9, 1), 70000, confirm_over=True)

    report = _report(progress_project, officer_a, date(2026, 9, 1), 7000)

    assert report.invested_to_date == Decimal(7000)


# ---- photos ---------------------------------------------------------------------------------


@pytest.fixture
def report(progress_project, officer_a, progress_media):
    return _report(progress_project, officer_a, date(2026, 10, 1), 1000)


def _image(kind: str) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (5, 5), (10, 20, 30)).save(buffer, format=kind)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content"), [("现场.png", png_bytes()), ("现场.jpg", _image("JPEG"))])
def test_a_real_png_or_jpeg_is_attached(report, officer_a, name, content):
    photo = add_photo(report=report, image=SimpleUploadedFile(name, content), caption=" 钢结构吊装 ", by=officer_a)

    assert photo.caption == "钢结构吊装"
    assert photo.image.name.startswith("landing/progress/")
    with photo.image.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [("现场.png", "这不是图片，只是改了扩展名的文本".encode()), ("现场.gif", _image("GIF"))],
)
def test_a_file_that_is_not_a_png_or_jpeg_is_refused(report, officer_a, name, content):
    with pytest.raises(BusinessRuleError, match="请上传 JPEG 或 PNG 格式的照片") as error:
        add_photo(report=report, image=SimpleUploadedFile(name, content), by=officer_a)

    assert error.value.field == "image"
    assert not ProgressPhoto.objects.exists()


def test_a_photo_over_10_mb_is_refused(report, officer_a):
    big = SimpleUploadedFile("大图.png", png_bytes() + b"\0" * (10 * 1024 * 1024))

    with pytest.raises(BusinessRuleError, match="不能超过 10 MB"):
        add_photo(report=report, image=big, by=officer_a)


def test_only_the_owning_side_adds_and_removes_photos(report, officer_a, officer_b):
    with pytest.raises(BusinessRuleError, match="只有项目责任单位"):
        add_photo(report=report, image=SimpleUploadedFile("a.png", png_bytes()), by=officer_b)
    photo = add_photo(report=report, image=SimpleUploadedFile("a.png", png_bytes()), by=officer_a)
    with pytest.raises(BusinessRuleError, match="只有项目责任单位"):
        remove_photo(photo=photo, by=officer_b)

    remove_photo(photo=photo, by=officer_a)

    assert not ProgressPhoto.objects.exists()
