"""The pages of an all-or-nothing Excel import: upload, check every row, write all or show the report — at once
(``import_page``) or after a preview the user confirms (``preview_import_page``)."""

import secrets
from collections.abc import Callable, Mapping
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from apps.core.errors import BusinessRuleError
from apps.core.forms import ExcelUploadForm, add_rule_error


def import_page(
    request: HttpRequest,
    *,
    template: str,
    context: Mapping[str, object],
    run: Callable[[bytes], object],
    done: Callable[[object], HttpResponse],
    label: str | None = None,
) -> HttpResponse:
    """GET shows the form; POST gives the file's bytes to ``run`` (the import service, which returns a report
    with ``ok`` and ``errors``). A report without errors goes to ``done`` (a message and a redirect); a
    refusal of the whole file shows on the form; a report with errors is shown row by row, nothing written."""
    posted = request.method == "POST"
    form = ExcelUploadForm(request.POST, request.FILES, label=label) if posted else ExcelUploadForm(label=label)
    report = None
    if posted and form.is_valid():
        try:
            report = run(form.cleaned_data["file"].read())
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            if report.ok:
                return done(report)
    return render(request, template, {**context, "form": form, "report": report})


class PendingUpload:
    """A previewed file waiting for 确认导入: kept under MEDIA_ROOT in a private file named by a random token held in
    the user's session, so the confirmation imports exactly the sheet that was previewed."""

    def __init__(self, request: HttpRequest, *, key: str) -> None:
        self.request, self.key = request, key

    def _path(self, token: str) -> Path:
        return Path(settings.MEDIA_ROOT) / "imports" / f"{self.key}-{token}.xlsx"

    def keep(self, content: bytes) -> None:
        self.discard()
        token = secrets.token_hex(16)
        path = self._path(token)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        self.request.session[self.key] = token

    def read(self) -> bytes | None:
        token = self.request.session.get(self.key)
        path = self._path(token) if token else None
        return path.read_bytes() if path is not None and path.exists() else None

    def discard(self) -> None:
        token = self.request.session.pop(self.key, None)
        if token:
            self._path(token).unlink(missing_ok=True)


def preview_import_page(
    request: HttpRequest,
    *,
    key: str,
    template: str,
    run: Callable[..., object],
    done: Callable[[object], HttpResponse],
    restart: str,
) -> HttpResponse:
    """Upload → preview (``run(content, commit=False)``: every row checked, nothing written) → 确认导入 (a POST
    with ``confirm``: ``run(content, commit=True)`` on the kept file, all or nothing). ``done`` answers a committed
    report (a message and a redirect); ``restart`` is the URL name of the page, for an expired preview."""
    pending = PendingUpload(request, key=key)
    if request.method == "POST" and "confirm" in request.POST:
        content = pending.read()
        if content is None:
            messages.error(request, _("预览已失效，请重新上传文件。"))
            return redirect(restart)
        try:
            report = run(content, commit=True)
        except BusinessRuleError as error:
            messages.error(request, error.message)
            return redirect(restart)
        pending.discard()
        if report.ok:
            return done(report)
        return render(request, template, {"form": ExcelUploadForm(), "report": report})
    posted = request.method == "POST"
    form = ExcelUploadForm(request.POST, request.FILES) if posted else ExcelUploadForm()
    report = None
    if posted and form.is_valid():
        content = form.cleaned_data["file"].read()
        try:
            report = run(content, commit=False)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            if report.ok:
                pending.keep(content)
    return render(request, template, {"form": form, "report": report})
