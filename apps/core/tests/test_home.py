import pytest
from django.urls import reverse


def test_home_requires_login(client, db):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("org:login"))


def test_home_shows_empty_state_when_nothing_is_pending(client_for, officer_a):
    response = client_for(officer_a).get(reverse("core:home"))
    assert response.status_code == 200
    assert "暂无待办事项" in response.content.decode()


def test_menu_shows_only_permitted_sections(client_for, audit_admin, system_admin):
    html = client_for(system_admin).get(reverse("core:home")).content.decode()
    assert reverse("org:unit_list") in html
    assert reverse("org:role_list") not in html


@pytest.mark.parametrize(("language", "text"), [("zh-hans", "我的待办"), ("en", "My pending items")])
def test_home_speaks_the_chosen_language(client_for, officer_a, language, text):
    client = client_for(officer_a)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert text in client.get(reverse("core:home")).content.decode()


def test_an_english_browser_still_gets_chinese_by_default(client_for, officer_a):
    response = client_for(officer_a).get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "我的待办" in response.content.decode()
