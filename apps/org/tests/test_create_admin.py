import pytest
from django.core.management import CommandError, call_command

from apps.org.models import Unit, User


def test_first_administrator_creates_the_city(db, monkeypatch):
    monkeypatch.setenv("YINGSHANG_ADMIN_PASSWORD", "First-Admin9")

    call_command(
        "create_admin", role="system_admin", username="xitong", name="张三", city_name="新市", city_code="990300"
    )

    person = User.objects.get(username="xitong")
    assert person.unit == Unit.objects.get(depth=1, name="新市")
    assert person.role_codes() == {"system_admin"}
    assert person.must_change_password is True


def test_administrator_without_a_city_is_refused(db, monkeypatch):
    monkeypatch.setenv("YINGSHANG_ADMIN_PASSWORD", "First-Admin9")

    with pytest.raises(CommandError, match="--city-name"):
        call_command("create_admin", role="audit_admin", username="shenji", name="李四")

    assert not User.objects.exists()


def test_weak_password_is_refused_and_nothing_is_created(city, monkeypatch):
    monkeypatch.setenv("YINGSHANG_ADMIN_PASSWORD", "weakpass")

    with pytest.raises(CommandError, match="至少 3 类"):
        call_command("create_admin", role="security_admin", username="anquan", name="王五")

    assert not User.objects.filter(username="anquan").exists()
