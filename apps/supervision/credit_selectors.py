"""Reads of the credit lists: the filtered ledger, the export's rows, an enterprise's entries and effects."""

from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.enterprises.links import LinkedRecord, LinkSection
from apps.supervision import permissions
from apps.supervision.models import CreditEffectLog, CreditEntry, CreditState


def list_entries() -> QuerySet:
    """Every entry (the lists are city-wide) with what a row shows, in a fixed number of queries."""
    return CreditEntry.objects.select_related("enterprise", "recording_unit").order_by("-decided_on", "-id")


def filter_entries(entries: QuerySet, data: dict, today: date) -> QuerySet:
    """Apply the ledger's filter form; states are computed from the dates on ``today``."""
    entries = entries.search(data.get("q") or "")
    if data.get("kind"):
        entries = entries.filter(kind=data["kind"])
    if data.get("source"):
        entries = entries.filter(source=data["source"])
    if data.get("state"):
        entries = entries.in_state(data["state"], today)
    if data.get("expiring"):
        entries = entries.expiring(today)
    if data.get("decided_from"):
        entries = entries.filter(decided_on__gte=data["decided_from"])
    if data.get("decided_to"):
        entries = entries.filter(decided_on__lte=data["decided_to"])
    return entries


def with_states(entries, today: date) -> list[CreditEntry]:
    """The rows with ``state`` and ``state_label`` set."""
    rows = list(entries)
    for entry in rows:
        entry.state = entry.state_on(today)
        entry.state_label = CreditState(entry.state).label
    return rows


EXPORT_HEADERS = (
    "企业名称", "统一社会信用代码", "名单", "来源", "列入原因", "认定依据", "认定文书号", "认定日期", "生效日期",
    "有效期至", "状态", "登记单位", "修复移出时间",
)  # fmt: skip


def export_rows(entries: QuerySet, today: date) -> list[tuple]:
    """One row per entry with its state today."""
    return [
        (
            e.enterprise.name,
            e.enterprise.uscc or "",
            e.get_kind_display(),
            e.get_source_display(),
            e.reason,
            e.legal_basis,
            e.document_number,
            e.decided_on,
            e.effective_from,
            e.expires_on or "",
            str(CreditState(e.state_on(today)).label),
            e.recording_unit.name,
            f"{timezone.localtime(e.repaired_at):%Y-%m-%d}" if e.repaired_at else "",
        )  # fmt: skip
        for e in entries
    ]


def effect_logs(entries: QuerySet | None = None, *, enterprise=None) -> QuerySet:
    """Effects applied for the entries (or for every entry of the enterprise), latest first."""
    logs = CreditEffectLog.objects.select_related("entry")
    if enterprise is not None:
        logs = logs.filter(entry__enterprise=enterprise)
    if entries is not None:
        logs = logs.filter(entry__in=entries)
    return logs.order_by("-at", "-id")


# ---- the enterprise's page (apps/enterprises/links.py) ---------------------------------------

ENTERPRISE_PAGE_ROWS = 10


def credit_section(enterprise, user):
    """信用记录: the enterprise's entries in every state, for those who read the lists."""

    if not user.has_perm(permissions.VIEW_CREDIT):
        return None
    today = timezone.localdate()
    entries = CreditEntry.objects.filter(enterprise=enterprise).order_by("-decided_on", "-id")
    records = [
        LinkedRecord(
            f"{e.get_kind_display()} · {e.get_source_display()} · {CreditState(e.state_on(today)).label}",
            reverse("supervision:credit_detail", args=[e.pk]),
            f"{e.document_number}：{e.reason[:60]}",
        )
        for e in entries[:ENTERPRISE_PAGE_ROWS]
    ]
    total = len(records) if len(records) < ENTERPRISE_PAGE_ROWS else entries.count()
    more = (
        f"{reverse('supervision:credit_list')}?q={enterprise.uscc}" if total > len(records) and enterprise.uscc else ""
    )
    return LinkSection(_("信用记录"), records, total=total, more_url=more)


def effect_section(enterprise, user):
    """信用记录·措施应用: the effects applied for the enterprise's entries, latest first."""

    if not user.has_perm(permissions.VIEW_CREDIT):
        return None
    logs = list(effect_logs(enterprise=enterprise)[:ENTERPRISE_PAGE_ROWS])
    if not logs:
        return None
    records = [
        LinkedRecord(
            f"{log.get_place_display()} · {log.get_effect_display()} · {log.object_label}",
            log.object_url or reverse("supervision:credit_detail", args=[log.entry_id]),
            f"{log.on:%Y-%m-%d} · {log.entry.get_kind_display()} {log.entry.document_number}",
        )
        for log in logs
    ]
    return LinkSection(_("信用记录·措施应用"), records)
