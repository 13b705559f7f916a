"""The chain's investment guide (招商指南) as a Word download."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.chains import permissions
from apps.chains.models import Chain
from apps.chains.services.guide import chain_guide as build_guide
from apps.core.audit import record_access

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def chain_guide(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_view(request.user):
        raise PermissionDenied
    chain = get_object_or_404(Chain, pk=pk)
    content = build_guide(chain, unit=getattr(request.user, "unit", None))
    record_access(chain, by=request.user, what="下载招商指南")
    filename = _("%(chain)s产业链招商指南") % {"chain": chain.name} + f"-{timezone.localdate():%Y%m%d}.docx"
    response = HttpResponse(content, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response
