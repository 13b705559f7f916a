"""企业评议 (public, no login): an invited enterprise enters its one-time code and answers once.

The page keeps nothing between its steps but the code in a hidden field: no session, no cookie but CSRF's,
no message storage. The code finds the invitation only to check it and to compute the enterprise's token;
services.submit_response stores the answers without anything that points back to the enterprise.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from apps.appeals.forms_evaluations import AnswerForm, CodeForm
from apps.appeals.models import Question
from apps.appeals.services import evaluations as services
from apps.core.errors import BusinessRuleError
from apps.core.forms import add_rule_error

TEMPLATE = "appeals/evaluations/answer.html"


def evaluation_answer(request: HttpRequest) -> HttpResponse:
    """GET: the code form. POST with a code: the questionnaire. POST with answers: the submission."""
    if request.method != "POST":
        return render(request, TEMPLATE, {"code_form": CodeForm()})
    code_form = CodeForm(request.POST)
    if not code_form.is_valid():
        return render(request, TEMPLATE, {"code_form": code_form})
    code = code_form.cleaned_data["code"]
    invitation = services.find_invitation(code)
    try:
        if invitation is None:
            raise BusinessRuleError(str(services.WRONG_CODE), field="code")
        services.check_open_for_answers(invitation.campaign, timezone.localdate())
        if services.has_answered(invitation):
            raise BusinessRuleError(str(services.ALREADY_ANSWERED), field="code")
    except BusinessRuleError as error:
        add_rule_error(code_form, error)
        return render(request, TEMPLATE, {"code_form": code_form})
    campaign = invitation.campaign
    del invitation  # the questionnaire needs the campaign only
    departments = list(campaign.departments.order_by("path"))
    questions = list(Question.objects.filter(dimension__campaign=campaign).select_related("dimension"))
    kwargs = {"campaign": campaign, "departments": departments, "questions": questions}
    if "submit" not in request.POST:
        form = AnswerForm(initial={"code": code}, **kwargs)
        return render(request, TEMPLATE, {"campaign": campaign, "form": form})
    form = AnswerForm(request.POST, **kwargs)
    if form.is_valid():
        submission = services.Submission(scores=form.scores(), comments=form.comments())
        try:
            services.submit_response(code=code, submission=submission)
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            return render(request, TEMPLATE, {"campaign": campaign, "done": True})
    return render(request, TEMPLATE, {"campaign": campaign, "form": form})
