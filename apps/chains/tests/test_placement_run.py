"""Suggestion runs: queued by a keeper (one per chain at a time), run by the task, progress on the page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.chains.models import Placement, PlacementRun
from apps.chains.services.placement_runs import run_suggestions, start_suggesting
from apps.chains.tasks import suggest_placements
from apps.chains.tests.conftest import make_enterprise
from apps.core.errors import BusinessRuleError


def test_a_run_suggests_and_records_its_progress(chain, links, officer_a, django_capture_on_commit_callbacks):
    make_enterprise("示范整车有限公司", industry="36")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = start_suggesting(chain=chain, by=officer_a)
    assert (run.status, run.total, len(callbacks)) == (PlacementRun.Status.QUEUED, 5, 1)
    suggest_placements.call(run.pk)
    run.refresh_from_db()
    assert (run.status, run.processed, run.created) == (PlacementRun.Status.FINISHED, 5, 1)
    assert run.finished_at is not None
    assert Placement.objects.filter(status=Placement.Status.SUGGESTED).count() == 1
    suggest_placements.call(run.pk)  # idempotent: a finished run is not run again
    assert PlacementRun.objects.get(pk=run.pk).created == 1


def test_one_run_per_chain_at_a_time_and_only_keepers_start(chain, links, officer_a, city_leader):
    start_suggesting(chain=chain, by=officer_a)
    with pytest.raises(BusinessRuleError, match="正在进行"):
        start_suggesting(chain=chain, by=officer_a)
    with pytest.raises(PermissionDenied):
        start_suggesting(chain=chain, by=city_leader)
    assert PlacementRun.objects.count() == 1


def test_a_failure_is_recorded_on_the_run(chain, links, monkeypatch):
    run = PlacementRun.objects.create(chain=chain)

    def broken(chain, *, progress=None):
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr("apps.chains.services.placement_runs.suggest_for_chain", broken)
    with pytest.raises(RuntimeError):
        run_suggestions(run)
    run.refresh_from_db()
    assert (run.status, run.error) == (PlacementRun.Status.FAILED, "数据库连接中断")


def test_progress_page_polls_while_running_and_stops_when_done(client_for, city_leader, chain):
    run = PlacementRun.objects.create(chain=chain, status=PlacementRun.Status.RUNNING, total=4, processed=1)
    client = client_for(city_leader)
    fragment = client.get(reverse("chains:placement_run_progress", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    assert "已处理 1 / 4 个环节" in fragment
    assert "<h1" not in fragment
    run.status, run.created = PlacementRun.Status.FINISHED, 7
    run.save()
    page = client.get(reverse("chains:placement_run_detail", args=[run.pk])).content.decode()
    assert "hx-trigger" not in page
    assert 'data-testid="run-created">7<' in page
