from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.core.models import Delivery, NoticePreference
from apps.org.models import User

pytestmark = pytest.mark.django_db


def test_demo_people_have_email_settings_and_a_delivery_log(client):
    call_command("demo", tickets=2500, stdout=StringIO())

    assert NoticePreference.objects.filter(email_mode="each").count() == 8
    assert NoticePreference.objects.filter(email_mode="digest").count() == 4
    states = set(Delivery.objects.values_list("state", flat=True))
    assert states == {"sent", "abandoned"}
    assert not Delivery.objects.filter(channel__in=["wecom", "dingtalk"]).exists()

    client.force_login(User.objects.get(username="sysadmin"))
    page = client.get(reverse("core:delivery_list")).content.decode()
    assert "已发送" in page
    assert "放弃" in page
