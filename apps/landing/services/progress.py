"""Monthly construction progress (月度建设进度) and its photos.

One report per project and month: reporting a month again corrects it. ``invested_to_date`` is the
sum of the month and every earlier month, so a correction to an earlier month is carried into the
later ones. A cumulative figure more than 20 % above the contracted investment is a *warning* the
person must confirm (``confirm_over=True``), not an error: overruns happen (prices, a larger plant),
but far more often the figure is a typo in 万元 versus 元, so it must not slip in unnoticed.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from apps.core.audit import records_actor
from apps.core.errors import BusinessRuleError
from apps.investment import permissions as pipeline
from apps.investment.models import Project, Stage
from apps.landing import permissions
from apps.landing.models import ProgressPhoto, ProgressReport
from apps.landing.selectors.milestones import signing_day

#: how far above the contracted investment the cumulative figure may go before the person must confirm
OVER_CONTRACT_TOLERANCE = Decimal("1.2")
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_FORMATS = {"JPEG", "PNG"}


class OverContractWarning(BusinessRuleError):  # noqa: N818 - a warning the user confirms, not a failure
    """The cumulative investment would exceed the contracted one by more than 20 %: confirm or correct."""


def can_report(user, project: Project) -> bool:
    """The project's owning side, holding the right to report progress."""
    return user.has_perm(permissions.REPORT_PROGRESS) and pipeline.owns(user, project)


def _check_reportable(project: Project, month: date, by) -> None:
    if not can_report(by, project):
        raise BusinessRuleError(_("只有项目责任单位可以填报建设进度。"))
    if project.status == Project.Status.DROPPED:
        raise BusinessRuleError(_("项目已终止，不再填报建设进度。"))
    if Stage(project.stage).rank < Stage.STARTED.rank:
        raise BusinessRuleError(_("项目登记开工后才能填报建设进度。"))
    if month > timezone.localdate().replace(day=1):
        raise BusinessRuleError(_("不能填报未来月份的建设进度。"), field="month")
    signed = signing_day(project)
    if signed is not None and month < signed.replace(day=1):
        raise BusinessRuleError(
            _("月份不能早于项目签约的月份（%(month)s）。") % {"month": f"{signed:%Y年%m月}"}, field="month"
        )


def _check_total(project: Project, month: date, amount: Decimal) -> None:
    others = project.progress_reports.exclude(month=month).values_list("invested_in_month", flat=True)
    total = sum(others, Decimal(0)) + amount
    contracted = project.contracted_investment
    if contracted and total > contracted * OVER_CONTRACT_TOLERANCE:
        raise OverContractWarning(
            _(
                "累计完成投资将达 %(total)s 万元，超过协议投资 %(contracted)s 万元的 20%% 以上。"
                "请核对金额单位（万元）；确属超概算投资的，勾选“确认超出协议投资”后再保存。"
            )
            % {"total": f"{total:,.2f}", "contracted": f"{contracted:,.2f}"},
            field="invested_in_month",
        )


@records_actor
@transaction.atomic
def report_progress(
    *,
    project: Project,
    month: date,
    invested_in_month: Decimal,
    description: str,
    by: AbstractBaseUser,
    confirm_over: bool = False,
) -> ProgressReport:
    """Enter (or correct) a month's progress; the cumulative figures of this and later months follow."""
    month = month.replace(day=1)
    _check_reportable(project, month, by)
    if invested_in_month is None or invested_in_month < 0:
        raise BusinessRuleError(_("当月完成投资不能为负数。"), field="invested_in_month")
    if not description.strip():
        raise BusinessRuleError(_("请填写形象进度。"), field="description")
    if not confirm_over:
        _check_total(project, month, invested_in_month)
    report, _created = ProgressReport.objects.update_or_create(
        project=project,
        month=month,
        defaults={
            "invested_in_month": invested_in_month,
            "invested_to_date": invested_in_month,  # set properly just below
            "description": description.strip(),
            "reported_by": by,
        },
    )
    recompute_to_date(project)
    report.refresh_from_db()
    return report


def recompute_to_date(project: Project) -> int:
    """Make every month's cumulative figure the sum up to that month; returns how many were corrected."""
    running = Decimal(0)
    corrected = 0
    for report in project.progress_reports.order_by("month"):
        running += report.invested_in_month
        if report.invested_to_date != running:
            report.invested_to_date = running
            report.save(update_fields=["invested_to_date"])  # one by one, so the audit trail sees each
            corrected += 1
    return corrected


def check_photo(upload) -> None:
    """A real JPEG or PNG of at most 10 MB, whatever the file is called."""
    if upload.size > MAX_PHOTO_BYTES:
        raise BusinessRuleError(_("照片不能超过 10 MB。"), field="image")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise BusinessRuleError(_("请上传 JPEG 或 PNG 格式的照片。"), field="image") from error
    finally:
        upload.seek(0)
    if kind not in PHOTO_FORMATS:
        raise BusinessRuleError(_("请上传 JPEG 或 PNG 格式的照片。"), field="image")


@records_actor
@transaction.atomic
def add_photo(*, report: ProgressReport, image, caption: str = "", by: AbstractBaseUser) -> ProgressPhoto:
    """Attach a site photo to a month's report."""
    if not can_report(by, report.project):
        raise BusinessRuleError(_("只有项目责任单位可以上传进度照片。"))
    check_photo(image)
    return ProgressPhoto.objects.create(report=report, image=image, caption=caption.strip()[:100], uploaded_by=by)


@records_actor
@transaction.atomic
def remove_photo(*, photo: ProgressPhoto, by: AbstractBaseUser) -> None:
    """Take a wrong photo off a report (the file goes with it)."""
    if not can_report(by, photo.report.project):
        raise BusinessRuleError(_("只有项目责任单位可以删除进度照片。"))
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))
