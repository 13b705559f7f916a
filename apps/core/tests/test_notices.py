import pytest
from django.urls import reverse

from apps.core import notices
from apps.core.models import Notice
from apps.org.tests.factories import UserFactory


def test_one_notice_per_person_per_event(officer_a, officer_b):
    first = notices.notify(recipients=[officer_a, officer_b, officer_a], key="x.1.overdue", title="逾期")
    again = notices.notify(recipients=[officer_a], key="x.1.overdue", title="逾期")

    assert (first, again) == (2, 0)
    assert Notice.objects.filter(key="x.1.overdue").count() == 2


def test_a_new_event_is_a_new_notice(officer_a):
    notices.notify(recipients=[officer_a], key="x.1.overdue", title="逾期")
    notices.notify(recipients=[officer_a], key="x.2.overdue", title="逾期")

    assert notices.unread_count(officer_a) == 2


def test_inbox_shows_only_the_users_own_notices(client_for, officer_a, officer_b):
    notices.notify(recipients=[officer_a], key="mine", title="给东城的消息")
    notices.notify(recipients=[officer_b], key="theirs", title="给西城的消息")

    page = client_for(officer_a).get(reverse("core:notice_list")).content.decode()

    assert "给东城的消息" in page
    assert "给西城的消息" not in page


def test_header_shows_the_unread_count(client_for, officer_a):
    notices.notify(recipients=[officer_a], key="a", title="一")
    notices.notify(recipients=[officer_a], key="b", title="二")

    page = client_for(officer_a).get(reverse("core:home")).content.decode()

    assert 'data-testid="unread-count">2<' in page


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(client_for, officer_a):
    notices.notify(recipients=[officer_a], key="a", title="一", url="/investment/")
    notice = Notice.objects.get(recipient=officer_a)

    response = client_for(officer_a).post(reverse("core:notice_read"), {"notice": notice.pk})

    assert response.status_code == 302
    assert response["Location"] == "/investment/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_another_persons_notice_cannot_be_marked(client_for, officer_a, officer_b):
    notices.notify(recipients=[officer_b], key="a", title="一", url="/investment/")
    notice = Notice.objects.get(recipient=officer_b)

    response = client_for(officer_a).post(reverse("core:notice_read"), {"notice": notice.pk})

    assert response["Location"] == reverse("core:notice_list")
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_link_to_another_site_is_not_followed(client_for, officer_a):
    notices.notify(recipients=[officer_a], key="a", title="一", url="https://example.com/")
    notice = Notice.objects.get(recipient=officer_a)

    response = client_for(officer_a).post(reverse("core:notice_read"), {"notice": notice.pk})

    assert response["Location"] == reverse("core:notice_list")


def test_mark_all_read(client_for, officer_a):
    for key in "abc":
        notices.notify(recipients=[officer_a], key=key, title=key)

    client_for(officer_a).post(reverse("core:notice_read"))

    assert notices.unread_count(officer_a) == 0


@pytest.mark.django_db
def test_the_inbox_needs_a_login(client):
    response = client.get(reverse("core:notice_list"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_unread_filter(client_for, officer_a):
    notices.notify(recipients=[officer_a], key="a", title="已读的消息")
    notices.mark_read(user=officer_a)
    notices.notify(recipients=[officer_a], key="b", title="未读的消息")

    page = client_for(officer_a).get(reverse("core:notice_list"), {"unread": "1"}).content.decode()

    assert "未读的消息" in page
    assert "已读的消息" not in page


def test_recipients_may_be_missing(city):
    leader = UserFactory(username="l1", unit=city)

    assert notices.notify(recipients=[None, leader], key="k", title="t") == 1


def test_many_events_at_once_still_one_notice_per_person_and_event(officer_a, officer_b):
    notices.notify(recipients=[officer_a], key="t.1", title="已发过")
    items = [
        notices.NoticeItem(recipients=[officer_a, officer_b], key="t.1", title="事件一"),
        notices.NoticeItem(recipients=[officer_b, None], key="t.2", title="事件二"),
        notices.NoticeItem(recipients=[officer_b], key="t.2", title="事件二（重复）"),
    ]
    assert notices.notify_many(items) == 2
    assert notices.notify_many(items) == 0
    assert set(Notice.objects.values_list("recipient__username", "key")) == {
        ("officer_a", "t.1"),
        ("officer_b", "t.1"),
        ("officer_b", "t.2"),
    }
