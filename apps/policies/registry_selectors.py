"""Reads of the policy registry: the list with its filters and export rows, the detail page's records."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.org.models import Unit
from apps.policies.models import Policy, PolicyItem, PolicyState

EXPORT_HEADERS = (
    gettext_lazy("政策名称"), gettext_lazy("文号"), gettext_lazy("类别"), gettext_lazy("所属主政策"),
    gettext_lazy("发文单位"), gettext_lazy("发文日期"), gettext_lazy("施行日期"), gettext_lazy("有效期至"),
    gettext_lazy("状态"), gettext_lazy("条款序号"), gettext_lazy("条款名称"), gettext_lazy("支持方式"),
    gettext_lazy("定额（万元）"), gettext_lazy("最高限额（万元）"), gettext_lazy("支持对象"),
    gettext_lazy("申报条件"), gettext_lazy("责任部门"), gettext_lazy("免申即享"), gettext_lazy("申报材料"),
)  # fmt: skip


def list_policies() -> QuerySet:
    """Every document with what the list shows (issuing unit, main policy, item count)."""
    return (
        Policy.objects.select_related("issuing_unit", "parent")
        .annotate(item_count=Count("items"))
        .order_by("-issued_on", "-id")
    )


def filter_policies(policies: QuerySet, data: dict, today: date) -> QuerySet:
    """The list's search (title, number, item title) and filters."""
    if text := (data.get("q") or "").strip():
        items = PolicyItem.objects.filter(title__icontains=text).values("policy_id")
        policies = policies.filter(Q(title__icontains=text) | Q(document_number__icontains=text) | Q(pk__in=items))
    if data.get("state"):
        policies = policies.in_state(data["state"], today)
    if data.get("issuing_unit"):
        policies = policies.filter(issuing_unit=data["issuing_unit"])
    if data.get("benefit_kind"):
        policies = policies.filter(
            pk__in=PolicyItem.objects.filter(benefit_kind=data["benefit_kind"]).values("policy_id")
        )
    if data.get("auto_grant"):
        auto = PolicyItem.objects.filter(auto_grant=True).values("policy_id")
        policies = policies.filter(pk__in=auto) if data["auto_grant"] == "yes" else policies.exclude(pk__in=auto)
    return policies


def issuing_units_in_use() -> QuerySet:
    """The units that issued at least one document (the list's filter)."""
    return Unit.objects.filter(pk__in=Policy.objects.values("issuing_unit_id")).order_by("path")


def with_states(policies, today: date) -> list[Policy]:
    """The documents with ``state`` and ``state_label`` set for the day."""
    labels = dict(PolicyState.choices)
    rows = list(policies)
    for policy in rows:
        policy.state = policy.state_on(today)
        policy.state_label = str(labels[policy.state])
    return rows


def export_rows(policies: QuerySet, today: date) -> list[list]:
    """One row per item (a document without items: one row), documents in the list's order."""
    items = Prefetch("items", queryset=PolicyItem.objects.select_related("department"))
    rows = []
    for policy in with_states(policies.prefetch_related(items), today):
        head = [
            policy.title, policy.document_number, policy.get_kind_display(),
            policy.parent.title if policy.parent else "", policy.issuing_unit.name, policy.issued_on,
            policy.effective_from, policy.expires_on or _("长期有效"), policy.state_label,
        ]  # fmt: skip
        for item in policy.items.all() or [None]:
            rows.append(head + _item_cells(item))
    return rows


def _item_cells(item: PolicyItem | None) -> list:
    if item is None:
        return [""] * 10
    return [
        item.number, item.title, item.get_benefit_kind_display(), item.fixed_amount, item.cap_amount,
        item.beneficiaries, item.conditions, item.department.name, _("是") if item.auto_grant else _("否"),
        "；".join(item.material_list),
    ]  # fmt: skip


def policy_set(policy: Policy, today: date) -> dict:
    """The "1+N" set the document belongs to: its main policy and the main policy's measures, with states."""
    main = policy.parent if policy.parent_id else policy
    measures = with_states(main.measures.select_related("issuing_unit").order_by("issued_on", "id"), today)
    (main_row,) = with_states([main], today)
    return {"main": main_row, "measures": measures}


def policy_items(policy: Policy) -> QuerySet:
    return policy.items.select_related("department")
