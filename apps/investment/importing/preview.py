"""Which imports a user sees, and the preview of a checked ledger: its rows by kind, and the report to download."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from apps.core.models import LedgerImport
from apps.investment import permissions
from apps.investment.importing.columns import ACTION_CREATE, ACTION_LINK, HEADERS, KIND

# ---- scope ------------------------------------------------------------------------------------


def visible_imports(user):
    """Project ledger imports uploaded by the user's unit subtree."""
    return LedgerImport.objects.visible_to(user).filter(kind=KIND).select_related("unit", "created_by")


def get_import_for_user(user, pk: int) -> LedgerImport:
    """A project ledger import of the user's scope (404 otherwise) if the user may import (403)."""
    ledger_import = visible_imports(user).filter(pk=pk).first()
    if ledger_import is None:
        raise Http404
    if not user.has_perm(permissions.IMPORT):
        raise PermissionDenied
    return ledger_import


# ---- the preview ------------------------------------------------------------------------------

ROW_FILTERS = ("all", "errors", "create", "link", "pending")


def row_filter_labels() -> list[tuple[str, str]]:
    return [
        ("all", _("全部")),
        ("errors", _("有错误")),
        ("create", _("登记新企业")),
        ("link", _("关联已有企业")),
        ("pending", _("阶段待确认")),
    ]


def rows_shown(rows: list[dict], shown: str) -> list[dict]:
    """The preview's rows of one kind (the keys of ROW_FILTERS)."""
    if shown == "errors":
        return [row for row in rows if row["errors"]]
    good = [row for row in rows if not row["errors"]]
    if shown in (ACTION_CREATE, ACTION_LINK):
        return [row for row in good if row["enterprise"]["action"] == shown]
    if shown == "pending":
        return [row for row in good if row["counted_stage"] != row["data"]["stage"]]
    return rows


def row_counts(rows: list[dict]) -> dict[str, int]:
    return {name: len(rows_shown(rows, name)) for name in ROW_FILTERS}


def row_result(row: dict) -> str:
    """A row's check result in words, for the downloadable report."""
    if row["errors"]:
        return "；".join(f"{e['column']}：{e['message']}" if e["column"] else e["message"] for e in row["errors"])
    parts = [_("通过")]
    if row["enterprise"]["action"] == ACTION_LINK:
        parts.append(_("关联已有企业“%(name)s”") % {"name": row["enterprise"]["name"]})
    else:
        parts.append(_("登记新企业"))
    if row["counted_stage"] != row["data"]["stage"]:
        parts.append(_("阶段待上级确认"))
    return "；".join(parts + row["notes"])


def report_rows(rows: list[dict]) -> list[tuple]:
    """The check report: every row as uploaded, with its result."""
    return [(row["number"], *(row["values"].get(h, "") for h in HEADERS), row_result(row)) for row in rows]
