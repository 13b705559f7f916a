"""The import of problems from Excel: upload → preview (every row checked, nothing kept) → commit.

The uploaded file waits for the confirmation in a private file under MEDIA_ROOT named by a random token kept
in the user's session, so the commit imports exactly the sheet that was previewed.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import ExcelUploadForm, add_rule_error
from apps.supervision import permissions
from apps.supervision.services.importing import import_problems, template_headers

SESSION_KEY = "supervision_import"
TEMPLATE = "supervision/problem_import.html"


def _pending_path(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "supervision" / "imports" / f"{token}.xlsx"


def _keep(request: HttpRequest, content: bytes) -> None:
    _discard(request)
    token = secrets.token_hex(16)
    path = _pending_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    request.session[SESSION_KEY] = token


def _discard(request: HttpRequest) -> None:
    token = request.session.pop(SESSION_KEY, None)
    if token:
        _pending_path(token).unlink(missing_ok=True)


@login_required
def problem_import(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_manage(request.user))
    if request.method == "POST" and "confirm" in request.POST:
        return _commit(request)
    posted = request.method == "POST"
    form = ExcelUploadForm(request.POST, request.FILES) if posted else ExcelUploadForm()
    report = None
    if posted and form.is_valid():
        content = form.cleaned_data["file"].read()
        try:
            report = import_problems(content=content, commit=False, by=request.user)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            if report.ok:
                _keep(request, content)
    return render(request, TEMPLATE, {"form": form, "report": report})


def _commit(request: HttpRequest) -> HttpResponse:
    token = request.session.get(SESSION_KEY)
    path = _pending_path(token) if token else None
    if path is None or not path.exists():
        messages.error(request, _("预览已失效，请重新上传文件。"))
        return redirect("supervision:problem_import")
    try:
        report = import_problems(content=path.read_bytes(), commit=True, by=request.user)
    except BusinessRuleError as error:
        messages.error(request, error.message)
        return redirect("supervision:problem_import")
    _discard(request)
    if not report.ok:
        return render(request, TEMPLATE, {"form": ExcelUploadForm(), "report": report})
    messages.success(request, _("已导入 %(n)s 个整改问题。") % {"n": report.created})
    return redirect("supervision:problem_list")


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """An empty sheet with the import's columns and one example row."""
    permissions.require(permissions.can_manage(request.user))
    example = (
        "政务服务窗口存在“吃拿卡要”现象", "某窗口人员要求企业提供非必要材料", "自查表", "不规范", "2026年第一轮自查",
        "市市场监督管理局", "市政务服务和数据管理局", "1.开展专项整治；2.建立回访制度", "2026-06-30",
    )  # fmt: skip
    return xlsx_response(_("整改问题导入模板"), template_headers(), [example])
