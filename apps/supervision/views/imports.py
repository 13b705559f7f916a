"""The import of problems from Excel: upload → preview (every row checked, nothing kept) → commit
(apps/core/import_views.preview_import_page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps.core.exports import xlsx_response
from apps.core.import_views import preview_import_page
from apps.supervision import permissions
from apps.supervision.services.importing import import_problems, template_headers


@login_required
def problem_import(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_manage(request.user))

    def done(report) -> HttpResponse:
        messages.success(request, _("已导入 %(n)s 个整改问题。") % {"n": report.created})
        return redirect("supervision:problem_list")

    return preview_import_page(
        request, key="supervision_import", template="supervision/problem_import.html", done=done,
        run=lambda content, commit: import_problems(content=content, commit=commit, by=request.user),
        restart="supervision:problem_import",
    )  # fmt: skip


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """An empty sheet with the import's columns and one example row."""
    permissions.require(permissions.can_manage(request.user))
    example = (
        "政务服务窗口存在“吃拿卡要”现象", "某窗口人员要求企业提供非必要材料", "自查表", "不规范", "2026年第一轮自查",
        "市市场监督管理局", "市政务服务和数据管理局", "1.开展专项整治；2.建立回访制度", "2026-06-30",
    )  # fmt: skip
    return xlsx_response(_("整改问题导入模板"), template_headers(), [example])
