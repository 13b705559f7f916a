from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from apps.core.pending import pending_for
from apps.enterprises.tests.factories import make_enterprise
from apps.investment.models import Claim, Project
from apps.investment.services.escalation import scan_pipeline
from apps.investment.services.projects import register_lead
from apps.investment.tests.factories import lead

pytestmark = pytest.mark.django_db


def _unanswered(officer, recorder, *, days_ago: int) -> Project:
    """A lead that ``recorder`` gave to ``officer``'s unit ``days_ago`` calendar days ago, not yet taken up."""
    project = register_lead(
        enterprise=make_enterprise(f"示范市{days_ago}天前科技有限公司"), unit=officer.unit, by=recorder,
        name=f"{days_ago}天前的线索", channel="public",
    ).project  # fmt: skip
    Project.objects.filter(pk=project.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return project


def test_the_scan_escalates_late_leads_once_and_releases_expired_claims(officer_a, department_handler):
    late = _unanswered(officer_a, department_handler, days_ago=10)
    fresh = _unanswered(officer_a, department_handler, days_ago=0)
    expired = lead(officer_a)
    Claim.objects.filter(project=expired).update(expires_on=timezone.localdate() - timedelta(days=1))

    first, second = scan_pipeline(), scan_pipeline()

    assert (first.escalated, first.expired_claims) == (1, 1)
    assert (second.escalated, second.expired_claims) == (0, 0)
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert late.escalated_at is not None
    assert fresh.escalated_at is None


def test_the_command_says_what_it_did(officer_a, department_handler, capsys):
    _unanswered(officer_a, department_handler, days_ago=10)

    call_command("scan_pipeline")

    assert "升级超时线索 1 条" in capsys.readouterr().out


def test_pending_items_point_each_person_to_their_work(officer_a, officer_b, department_handler, coordinator):
    _unanswered(officer_a, department_handler, days_ago=10)
    _unanswered(officer_a, department_handler, days_ago=0)
    held = lead(officer_a)
    lead(officer_b, enterprise=held.enterprise)
    scan_pipeline()

    mine = {item.title: item for item in pending_for(officer_a)}
    bureau = {item.title: item for item in pending_for(coordinator)}

    assert mine["超时未响应或未研判的线索"].count == 1
    assert mine["超时未响应或未研判的线索"].url == reverse("investment:project_list") + "?overdue=on"
    assert mine["待响应的线索"].count == 1
    assert bureau["待协调的多头招商"].count == 1
    assert bureau["区县超时线索（已升级）"].count == 1
    assert not [item for item in pending_for(officer_b) if "线索" in item.title]
