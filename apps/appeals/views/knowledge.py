"""知识库 pages: the searchable list with its export, an article with its versions, events and uses, the owner's
form, the publish/withdraw moves, and the counts per owner department (知识库统计).

Every queryset goes through ``permissions.visible_articles`` (published articles for every ticket reader, the
rest for the owner's subtree and the hotline office); an out-of-scope id is a 404, a move the table does not
allow the user a 403.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.appeals import forms_knowledge, permissions
from apps.appeals.models import Category
from apps.appeals.models.knowledge import ArticleAction, ArticleState
from apps.appeals.services import knowledge
from apps.core.errors import BusinessRuleError
from apps.core.exports import xlsx_response
from apps.core.forms import add_rule_error
from apps.core.lists import paginate, query_without_page, wants_export
from apps.org.models import Unit

VIEW = "appeals.view_appeal"


def filtered_articles(user, data: dict):
    """The visible articles narrowed by the list's filters (the export uses the same)."""
    found = permissions.visible_articles(user)
    text = (data.get("q") or "").strip()
    if text:
        found = found.filter(
            Q(title__icontains=text) | Q(questions__icontains=text) | Q(answer__icontains=text)
            | Q(keywords__icontains=text)
        )  # fmt: skip
    for name in ("category", "owner", "state"):
        if data.get(name):
            found = found.filter(**{name: data[name]})
    if data.get("overdue"):
        found = found.review_overdue()
    return found.select_related("category", "owner")


@login_required
@permission_required(VIEW, raise_exception=True)
def article_list(request: HttpRequest) -> HttpResponse:
    """知识库: search, filters, pagination, review flags and the Excel export of what is shown."""
    visible = permissions.visible_articles(request.user)
    form = forms_knowledge.ArticleFilterForm(
        request.GET or None,
        categories=Category.objects.filter(pk__in=visible.values("category")).order_by("code"),
        owners=Unit.objects.filter(pk__in=visible.values("owner")).order_by("path"),
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = filtered_articles(request.user, data)
    if wants_export(request):
        return _export(found)
    page = paginate(request, found)
    today = timezone.localdate()
    maintains = permissions.can_maintain_article(request.user)
    context = {
        "form": form, "page": page, "query": query_without_page(request), "export": True,
        "rows": [(article, article.review_light(today)) for article in page.object_list],
        "can_create": maintains,
        "own_overdue": visible.review_overdue(today).filter(owner=request.user.unit_id).count() if maintains else 0,
    }  # fmt: skip
    return render(request, "appeals/knowledge/article_list.html", context)


def _export(found) -> HttpResponse:
    headers = [
        _("标题"), _("诉求分类"), _("责任部门"), _("状态"), _("版本号"), _("问题"), _("答复口径"), _("政策依据"),
        _("关键词"), _("复核日期"), _("更新时间"),
    ]  # fmt: skip
    rows = [
        [
            a.title,
            str(a.category),
            a.owner.name,
            a.get_state_display(),
            a.version,
            a.questions,
            a.answer,
            a.legal_basis,
            a.keywords,
            a.review_on,
            timezone.localtime(a.updated_at).strftime("%Y-%m-%d %H:%M"),
        ]  # fmt: skip
        for a in found
    ]
    return xlsx_response(_("知识库"), headers, rows)


@login_required
@permission_required(VIEW, raise_exception=True)
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One article: its text, review flag, earlier versions, history, the tickets answered from it, the moves."""
    article = permissions.get_article_for_user(request.user, pk)
    uses = permissions.visible_appeals(request.user).filter(article_uses__article=article).values("pk")
    context = {
        "article": article,
        "light": article.review_light() if article.state == ArticleState.PUBLISHED else "",
        "versions": article.versions.select_related("saved_by"),
        "events": article.events.select_related("actor"),
        "uses": article.uses.filter(appeal__in=uses).select_related("appeal", "by")[:50],
        "moves": [(a, ArticleAction(a).label) for a in knowledge.allowed_actions_for(article, request.user)],
        "move_form": forms_knowledge.MoveForm(),
        "can_revise": permissions.can_maintain_article(request.user, article),
    }
    return render(request, "appeals/knowledge/article_detail.html", context)


def _fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in knowledge.TEXT_FIELDS}


@login_required
def article_create(request: HttpRequest) -> HttpResponse:
    """新建知识条目 (a draft of the user's own department)."""
    if not permissions.can_maintain_article(request.user):
        raise PermissionDenied
    form = forms_knowledge.ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = knowledge.create_article(fields=_fields(form), by=request.user, now=timezone.now())
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已保存知识条目草稿。"))
            return redirect("appeals:article_detail", pk=article.pk)
    return render(request, "appeals/knowledge/article_form.html", {"form": form, "article": None})


@login_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修订 by the owner department; a published text becomes a new version awaiting publication."""
    article = permissions.get_article_for_user(request.user, pk)
    if not permissions.can_maintain_article(request.user, article):
        raise PermissionDenied
    form = forms_knowledge.ArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        try:
            knowledge.revise_article(
                article=article, fields=_fields(form), note=form.cleaned_data["note"], by=request.user,
                now=timezone.now(),
            )  # fmt: skip
        except BusinessRuleError as error:
            add_rule_error(form, error)
        else:
            messages.success(request, _("已修订知识条目。"))
            return redirect("appeals:article_detail", pk=article.pk)
        article.refresh_from_db()
    return render(request, "appeals/knowledge/article_form.html", {"form": form, "article": article})


@login_required
@require_POST
def article_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Publish, withdraw or return to draft through the transition table."""
    article = permissions.get_article_for_user(request.user, pk)
    if action not in knowledge.allowed_actions_for(article, request.user):
        raise PermissionDenied
    form = forms_knowledge.MoveForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        knowledge.move_article(article=article, action=action, note=note, by=request.user, now=timezone.now())
    except BusinessRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已%(action)s。") % {"action": ArticleAction(action).label})
    return redirect("appeals:article_detail", pk=article.pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def knowledge_stats(request: HttpRequest) -> HttpResponse:
    """知识库统计 per owner department the user reads figures of."""
    today = timezone.localdate()
    form = forms_knowledge.PeriodForm(request.GET or {"start": today - timedelta(days=29), "end": today})
    start, end = (form.cleaned_data["start"], form.cleaned_data["end"]) if form.is_valid() else (today, today)
    visible = permissions.visible_articles(request.user)
    units = list(permissions.statistics_units(request.user).filter(pk__in=visible.values("owner")).order_by("path"))
    counts = knowledge.knowledge_counts(units, start, end)
    rows = [(unit, counts[unit.pk]) for unit in units]
    return render(request, "appeals/knowledge/knowledge_stats.html", {"form": form, "rows": rows})
