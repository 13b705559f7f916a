"""The page of an all-or-nothing Excel import: upload, check every row, write all or show the report."""

from collections.abc import Callable, Mapping

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
