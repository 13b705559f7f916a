"""A lead-unit flag becomes a rectification problem on the supervision ledger, once per round and indicator."""

import pytest
from django.urls import reverse

from apps.bizenv.services import rectification, results, rounds
from apps.core.errors import BusinessRuleError
from apps.supervision.models import Problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(city, bureau):
    """The city's 督查专员, in the government office (after the bureau: the tree sorts departments by code)."""
    from apps.org import roles
    from apps.org.models import Unit
    from apps.org.tests.factories import UserFactory, make_unit

    office = make_unit(parent=city, name="市政府办公室", kind=Unit.Kind.DEPARTMENT, code="990100D90")
    return UserFactory(username="ducha", name="督查专员", unit=office, roles=[roles.SUPERVISION_OFFICER])


def _published(round_, keeper):
    rounds.close_round(round_=round_, by=keeper)
    return results.publish_round(round_=round_, by=keeper)


def test_a_flag_opens_one_problem_for_its_lead_unit(filled, published, bizenv_keeper, officer, market_bureau):
    steps = published.indicators.get(code="01.02")
    with pytest.raises(BusinessRuleError, match="发布后"):
        rectification.open_rectification(round_=filled, indicator=steps, by=officer)
    _published(filled, bizenv_keeper)
    problem = rectification.open_rectification(round_=filled, indicator=steps, by=officer)
    assert (problem.unit, problem.source) == (market_bureau, Problem.Source.BIZENV_FLAG)
    assert "西城区（22.22）" in problem.description
    assert "东城区（66.67）" in problem.description
    with pytest.raises(BusinessRuleError, match=problem.code):
        rectification.open_rectification(round_=filled, indicator=steps, by=officer)
    with pytest.raises(BusinessRuleError, match="没有低于预警阈值"):
        rectification.open_rectification(round_=filled, indicator=published.indicators.get(code="01.01"), by=officer)


def test_the_flag_page_opens_the_problem_and_then_links_to_it(client_for, filled, published, bizenv_keeper, officer):
    _published(filled, bizenv_keeper)
    from apps.org import roles

    officer.roles.add(*officer.roles.model.objects.filter(code=roles.CITY_LEADER))  # reads the round's flags
    client = client_for(officer)
    page = client.get(reverse("bizenv:flag_list", args=[filled.pk])).content.decode()
    assert 'data-testid="rectify"' in page
    steps = published.indicators.get(code="01.02")
    response = client.post(reverse("bizenv:flag_rectify", args=[filled.pk, steps.pk]))
    problem = Problem.objects.get()
    assert response.url == reverse("supervision:problem_detail", args=[problem.pk])
    assert problem.code in client.get(reverse("bizenv:flag_list", args=[filled.pk])).content.decode()


def test_only_the_supervising_office_opens_problems(client_for, filled, published, bizenv_keeper):
    _published(filled, bizenv_keeper)
    steps = published.indicators.get(code="01.02")
    response = client_for(bizenv_keeper).post(reverse("bizenv:flag_rectify", args=[filled.pk, steps.pk]))
    assert response.status_code == 403
    assert not Problem.objects.exists()
