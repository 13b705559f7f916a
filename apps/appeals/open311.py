"""Open311 GeoReport v2, read part: the code list (services) and the tickets (service requests) as the spec
writes them, so other systems can follow tickets (research/anchors-appeals.md §2.1, §6 item 30).

What is public: every ticket that is not confidential (保密) and not a report (举报: the whistle-blower is
protected), city-wide, with no personal data — no appellant, phone, ID number or enterprise, and phone
numbers, ID numbers and the appellant's name are blotted out of the description. The appellant's own
progress page with the query code (views/public.py) shows more.

Mapping: ``status`` is open until the ticket is 办结, 合并 or 不予受理; ``status_notes`` is the state in words;
``agency_responsible`` the lead unit (主办); ``service_notice`` the reply time limit; ``expected_datetime``
the reply due date; ``updated_datetime`` the close time, or the last event; ``address`` the area (区县);
``notes`` (extension) the state changes. Times are ISO 8601 with +08:00.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from xml.etree import ElementTree

from django.db.models import F, OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from apps.appeals.models import Appeal, Assignment, Category, Event
from apps.appeals.models.appeals import CLOSED_STATES, State
from apps.appeals.models.policies import AppealType

#: the spec's default window and its largest page
DEFAULT_DAYS = 90
MAX_RECORDS = 1000
DESCRIPTION_LIMIT = 4000
HIDDEN = "＊＊＊"
_PERSONAL_NUMBERS = re.compile(
    r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}|[0-9]{7,8})(?![0-9])"
)


class Open311Error(Exception):
    """An error the spec answers with its error list: an HTTP status and a description."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# ---- services -------------------------------------------------------------------------------------------


def services() -> list[dict]:
    """The category code list as GeoReport services (no extra attributes: metadata is false)."""
    categories = Category.objects.filter(is_active=True).select_related("parent__parent").order_by("code")
    rows = []
    for category in categories:
        chain = _chain(category)
        rows.append(
            {
                "service_code": category.code,
                "service_name": category.name,
                "description": " / ".join(c.name for c in chain),
                "metadata": False,
                "type": "realtime",
                "keywords": ", ".join([c.name for c in chain[:-1]] + ([_("涉企")] if category.is_enterprise else [])),
                "group": chain[0].name,
            }
        )
    return rows


def _chain(category: Category) -> list[Category]:
    chain = [category]
    while chain[-1].parent_id is not None:
        chain.append(chain[-1].parent)
    return chain[::-1]


# ---- service requests -----------------------------------------------------------------------------------


def public_appeals():
    """Tickets anyone may follow: not confidential and not a report (举报)."""
    return Appeal.objects.filter(confidential=False).exclude(appeal_type=AppealType.REPORT)


def _rows(appeals):
    last_event = Event.objects.filter(appeal=OuterRef("pk")).order_by("-at", "-pk").values("at")[:1]
    leads = Assignment.objects.filter(role=Assignment.Role.LEAD).exclude(state=Assignment.State.RETURNED)
    changes = Event.objects.exclude(from_state=F("to_state")).order_by("at", "pk")
    return (
        appeals.select_related("category", "area", "policy", "merged_into")
        .annotate(last_event_at=Subquery(last_event))
        .prefetch_related(
            Prefetch("assignments", queryset=leads.select_related("unit"), to_attr="open311_leads"),
            Prefetch("events", queryset=changes, to_attr="open311_changes"),
        )
    )


@dataclass(frozen=True)
class Query:
    ids: list[str]
    codes: list[str]
    start: datetime
    end: datetime
    statuses: list[str]
    page: int
    page_size: int


def _moment(value: str, name: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace(" ", "+"))  # a bare "+" in a query string arrives as a space
        if moment is None and (day := parse_date(value)) is not None:
            moment = datetime.combine(day, datetime.min.time())
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(400, _("%(name)s 应为 W3C 日期时间格式，例如 2025-01-01T00:00:00+08:00。") % {"name": name})
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _window(params, now: datetime) -> tuple[datetime, datetime]:
    start, end = _moment(params.get("start_date", ""), "start_date"), _moment(params.get("end_date", ""), "end_date")
    span = timedelta(days=DEFAULT_DAYS)
    if start is None and end is None:
        return now - span, now
    if start is None:
        return end - span, end
    if end is None:
        return start, start + span
    if end < start:
        raise Open311Error(400, _("end_date 不得早于 start_date。"))
    if end - start > span:
        raise Open311Error(400, _("查询时间范围不得超过 %(days)s 天。") % {"days": DEFAULT_DAYS})
    return start, end


def _number(params, name: str, default: int, largest: int) -> int:
    value = params.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= largest:
        raise Open311Error(400, _("%(name)s 应为 1 至 %(max)s 的整数。") % {"name": name, "max": largest})
    return int(value)


def _list(params, name: str) -> list[str]:
    return [item.strip() for item in params.get(name, "").split(",") if item.strip()]


def parse_query(params, now: datetime) -> Query:
    """The spec's filters (and the page/page_size extension) from the query string; bad values are a 400."""
    statuses = _list(params, "status")
    if any(status not in ("open", "closed") for status in statuses):
        raise Open311Error(400, _("status 只能为 open 或 closed。"))
    start, end = _window(params, now)
    return Query(
        ids=_list(params, "service_request_id"), codes=_list(params, "service_code"), start=start, end=end,
        statuses=statuses, page=_number(params, "page", 1, 10**6), page_size=_number(params, "page_size", MAX_RECORDS, MAX_RECORDS),
    )  # fmt: skip


def find_requests(query: Query) -> list[dict]:
    """One page of public tickets matching the query; a list of ids overrides every other filter (the spec)."""
    appeals = public_appeals()
    if query.ids:
        appeals = appeals.filter(number__in=query.ids)
    else:
        appeals = appeals.filter(created_at__gte=query.start, created_at__lte=query.end)
        if query.codes:
            appeals = appeals.filter(category__code__in=query.codes)
        if set(query.statuses) == {"open"}:
            appeals = appeals.exclude(state__in=CLOSED_STATES)
        elif set(query.statuses) == {"closed"}:
            appeals = appeals.filter(state__in=CLOSED_STATES)
    offset = (query.page - 1) * query.page_size
    page = _rows(appeals.order_by("-created_at", "-pk"))[offset : offset + query.page_size]
    return [service_request(appeal) for appeal in page]


def find_request(number: str) -> list[dict]:
    """The one public ticket with this number, as the spec's one-element list; 404 when there is none."""
    appeal = _rows(public_appeals().filter(number=number)).first()
    if appeal is None:
        raise Open311Error(404, _("没有编号为 %(id)s 的公开工单。") % {"id": number})
    return [service_request(appeal)]


# ---- one ticket as a service request ----------------------------------------------------------------------


def iso(moment: datetime | None) -> str:
    """ISO 8601 in local time with its offset (+08:00), to the second."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def scrub(text: str, names: list[str]) -> str:
    """The text without phone or ID numbers and without the given names."""
    text = _PERSONAL_NUMBERS.sub(HIDDEN, text)
    for name in names:
        if name and len(name) >= 2:
            text = text.replace(name, HIDDEN)
    return text[:DESCRIPTION_LIMIT]


def _status_notes(appeal: Appeal) -> str:
    if appeal.state == State.MERGED and appeal.merged_into_id:
        return _("已合并至工单 %(number)s，随主工单答复和回访。") % {"number": appeal.merged_into.number}
    if appeal.state == State.REFUSED:
        return f"{appeal.get_state_display()}：{appeal.get_triage_display()}"  # f-strings make them plain str
    if appeal.state == State.RESOLVED and appeal.solved:
        return f"{appeal.get_state_display()}（{appeal.get_solved_display()}）"
    return appeal.get_state_display()


def _service_notice(appeal: Appeal) -> str:
    policy = appeal.policy
    return _("答复时限：%(amount)s 个%(unit)s") % {
        "amount": policy.reply_amount,
        "unit": policy.get_reply_unit_display(),
    }


def _notes(appeal: Appeal) -> list[dict]:
    return [
        {
            "datetime": iso(event.at),
            "summary": str(event.get_action_display()),
            "description": str(State(event.to_state).label) if event.to_state in State.values else "",
            "type": event.action,
        }
        for event in appeal.open311_changes
    ]


def service_request(appeal: Appeal) -> dict:
    """A ticket with the spec's fields in the spec's order, then the notes extension."""
    lead = appeal.open311_leads[0].unit.name if appeal.open311_leads else ""
    closed = appeal.state in CLOSED_STATES
    updated = appeal.closed_at if closed and appeal.closed_at else (appeal.last_event_at or appeal.created_at)
    return {
        "service_request_id": appeal.number,
        "status": "closed" if closed else "open",
        "status_notes": _status_notes(appeal),
        "service_name": appeal.category.name,  # a model field: already a str
        "service_code": appeal.category.code,
        "description": scrub(appeal.content, [appeal.citizen_name]),
        "agency_responsible": lead,
        "service_notice": _service_notice(appeal),
        "requested_datetime": iso(appeal.created_at),
        "updated_datetime": iso(updated),
        "expected_datetime": iso(appeal.reply_due),
        "address": appeal.area.name if appeal.area_id else "",
        "media_url": "",
        "notes": _notes(appeal),
    }


# ---- XML --------------------------------------------------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _element(parent: ElementTree.Element, tag: str, value) -> None:
    node = ElementTree.SubElement(parent, tag)
    if isinstance(value, list):  # notes: one <note> per entry
        for entry in value:
            _fill(ElementTree.SubElement(node, tag[:-1]), entry)
    else:
        node.text = _text(value)


def _fill(node: ElementTree.Element, row: dict) -> None:
    for key, value in row.items():
        _element(node, key, value)


def to_xml(root: str, item: str, rows: list[dict]) -> bytes:
    """The spec's XML: a root element holding one element per row, with the XML declaration in UTF-8."""
    tree = ElementTree.Element(root)
    for row in rows:
        _fill(ElementTree.SubElement(tree, item), row)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(tree, encoding="unicode").encode()


def error_rows(error: Open311Error) -> list[dict]:
    return [{"code": error.status, "description": error.description}]
