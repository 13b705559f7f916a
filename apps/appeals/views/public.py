"""进度查询: an appellant checks a ticket with its number and query code, without logging in.

Only what the appellant may see is shown: the state, the dates, and the reply once given (a merged ticket
shows its master's). A wrong number or code answers the same "not found" whatever was wrong, so the page
never tells whether a number exists.
"""

import secrets

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.appeals.forms import QueryForm
from apps.appeals.models import Appeal, Assignment
from apps.appeals.models.appeals import State
from apps.appeals.services.follow_ups import root_master

REPLIED_STATES = (State.AWAITING_FOLLOW_UP, State.RESOLVED)


def find_by_code(number: str, code: str) -> Appeal | None:
    """The ticket with this number when the code matches (compared in constant time)."""
    appeal = Appeal.objects.select_related("merged_into").filter(number=number.strip()).first()
    if appeal is None or not secrets.compare_digest(appeal.query_code.upper(), code.strip().upper()):
        return None
    return appeal


def public_reply(appeal: Appeal) -> str:
    """The lead unit's reply the appellant gets (the master's for a merged ticket)."""
    source = root_master(appeal) if appeal.state == State.MERGED else appeal
    if source.state not in REPLIED_STATES:
        return ""
    lead = source.assignments.filter(role=Assignment.Role.LEAD, state=Assignment.State.REPLIED).first()
    return lead.reply if lead else ""


def appeal_query(request: HttpRequest) -> HttpResponse:
    form = QueryForm(request.GET or None)
    appeal, searched = None, False
    if form.is_bound and form.is_valid():
        searched = True
        appeal = find_by_code(form.cleaned_data["number"], form.cleaned_data["code"])
    context = {"form": form, "appeal": appeal, "searched": searched, "reply": public_reply(appeal) if appeal else ""}
    return render(request, "appeals/appeal_query.html", context)
