from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.org.validators import CharacterClassesValidator, character_classes


@pytest.mark.parametrize(
    ("password", "classes"), [("abcdefgh", 1), ("abcd1234", 2), ("Abcd1234", 3), ("Abc-1234", 4), ("密码abc123", 3)]
)
def test_character_classes_are_counted(password, classes):
    assert character_classes(password) == classes


def test_two_class_password_is_refused_with_a_chinese_message():
    with pytest.raises(Exception, match="至少 3 类"):
        CharacterClassesValidator(min_classes=3).validate("abcd1234")


def login(client, user, password):
    return client.post(reverse("org:login"), {"username": user.username, "password": password})


def test_first_login_is_sent_to_the_password_change_page(client, officer_a, password):
    officer_a.must_change_password = True
    officer_a.save()

    login(client, officer_a, password)
    response = client.get(reverse("org:unit_list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("org:password_change")


def test_after_changing_the_password_the_user_reaches_home(client, officer_a, password):
    officer_a.must_change_password = True
    officer_a.save()
    login(client, officer_a, password)

    response = client.post(
        reverse("org:password_change"),
        {"old_password": password, "new_password1": "Better-Pass9", "new_password2": "Better-Pass9"},
    )

    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def test_mismatched_new_passwords_are_refused(client_for, officer_a, password):
    response = client_for(officer_a).post(
        reverse("org:password_change"),
        {"old_password": password, "new_password1": "Better-Pass9", "new_password2": "Better-Pass8"},
    )

    assert "两次输入的新密码不一致" in response.content.decode()


def test_expired_password_must_be_changed(client_for, officer_a, settings):
    settings.PASSWORD_EXPIRY_DAYS = 90
    officer_a.password_changed_at = timezone.now() - timedelta(days=91)
    officer_a.save()

    response = client_for(officer_a).get(reverse("core:home"))

    assert response["Location"] == reverse("org:password_change")


def test_expiry_off_by_default(client_for, officer_a):
    officer_a.password_changed_at = timezone.now() - timedelta(days=1000)
    officer_a.save()

    assert client_for(officer_a).get(reverse("core:home")).status_code == 200


def test_idle_session_ends_after_30_minutes(client, officer_a, password):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(client, officer_a, password)
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("core:home")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("core:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:login"))


def test_active_session_ends_after_12_hours(client, officer_a, password):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(client, officer_a, password)
        for _ in range(12 * 3 + 1):
            traveller.shift(timedelta(minutes=20))
            response = client.get(reverse("core:home"))

    assert response.status_code == 302
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("org:login"))


def test_disabled_user_cannot_log_in(client, officer_a, password):
    officer_a.is_active = False
    officer_a.save()

    response = login(client, officer_a, password)

    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()
