"""Enterprises through the API: the registry's services, the contacts of the scope with masked phones."""

import pytest
from auditlog.models import LogEntry

from apps.api.models import IntegrationToken
from apps.enterprises.models import Contact, Enterprise
from apps.enterprises.tests.factories import make_enterprise, valid_uscc

ENTERPRISES = "/api/v1/enterprises/"


def test_registering_an_enterprise_goes_through_the_registrys_service(api_a):
    code = valid_uscc()

    response = api_a.post(ENTERPRISES, {"name": "示范智能装备有限公司", "uscc": code}, format="json")

    assert response.status_code == 201, response.json()
    enterprise = Enterprise.objects.get(uscc=code)
    assert enterprise.names.filter(name="示范智能装备有限公司").exists()  # the service keeps the names index
    account = IntegrationToken.objects.get().account
    assert LogEntry.objects.get_for_object(enterprise).get(action=LogEntry.Action.CREATE).actor == account


def test_a_registered_code_is_refused_with_the_registrys_message(api_a):
    code = valid_uscc()
    make_enterprise("先登记的企业有限公司", uscc=code)

    response = api_a.post(ENTERPRISES, {"name": "后登记的企业有限公司", "uscc": code}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["uscc"] == [response.json()["detail"]]
    assert "已登记为“先登记的企业有限公司”" in response.json()["detail"]
    assert Enterprise.objects.count() == 1


def test_changing_a_field_keeps_the_others(api_a):
    enterprise = make_enterprise("示范材料有限公司", uscc=valid_uscc(), address="示范市东城区一路1号")

    response = api_a.patch(f"{ENTERPRISES}{enterprise.pk}/", {"address": "示范市东城区二路2号"}, format="json")

    assert response.status_code == 200, response.json()
    enterprise.refresh_from_db()
    assert enterprise.address == "示范市东城区二路2号"
    assert enterprise.name == "示范材料有限公司"
    assert enterprise.uscc


def test_one_enterprise_shows_the_contacts_of_the_scope_with_masked_phones(api_a, county_a, county_b):
    enterprise = make_enterprise("示范联系人有限公司")
    Contact.objects.create(enterprise=enterprise, unit=county_a, name="张经理", phone="13812345678")
    Contact.objects.create(enterprise=enterprise, unit=county_b, name="李经理", phone="13900001111")

    contacts = api_a.get(f"{ENTERPRISES}{enterprise.pk}/").json()["contacts"]

    assert [(c["name"], c["phone"]) for c in contacts] == [("张经理", "138****5678")]


@pytest.mark.parametrize("name", ["", "A"])
def test_a_missing_name_is_refused(api_a, name):
    response = api_a.post(ENTERPRISES, {"name": name}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert not Enterprise.objects.exists()


def test_the_list_searches_and_has_constant_queries(api_a, count_queries):
    api_a.get(ENTERPRISES)

    def add_and_list(n):
        for i in range(n):
            make_enterprise(f"示范第{i}批企业有限公司{n}")
        return lambda: api_a.get(ENTERPRISES, {"q": "示范"})

    assert count_queries(add_and_list(2)) == count_queries(add_and_list(6))
    assert api_a.get(ENTERPRISES, {"q": "第1批企业有限公司6"}).json()["count"] == 1
