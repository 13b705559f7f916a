import pytest
from django.core.management import CommandError, call_command

from apps.core import scans


def test_every_domain_scan_is_registered():
    assert {"investment", "landing"} <= set(scans.names())


def test_enqueue_scans_runs_them_on_the_task_backend(db, capsys):
    # the test settings use django-tasks' immediate backend: enqueueing runs the task at once
    call_command("enqueue_scans", "investment")

    assert "已加入队列：investment" in capsys.readouterr().out


def test_an_unknown_scan_is_refused(db):
    with pytest.raises(CommandError, match="没有这些扫描"):
        call_command("enqueue_scans", "nonsense")


def test_a_scan_runs_by_name(db):
    assert "升级超时线索" in scans.run_scan("investment")
