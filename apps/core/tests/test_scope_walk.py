import pytest
from django.contrib.auth.models import Permission

from apps.core.tests.url_walker import make_samples, walk
from apps.org.models import Role
from apps.org.tests.factories import UserFactory


@pytest.fixture
def all_powerful_in_county_a(county_a):
    """A county-A user holding every permission, so only the data scope can stop them."""
    role = Role.objects.create(code="walker", name="越界测试角色")
    role.permissions.set(Permission.objects.all())
    user = UserFactory(username="walker", name="越界测试员", unit=county_a)
    user.roles.add(role)
    return user


@pytest.fixture
def walked(client, all_powerful_in_county_a, county_a, county_b):
    def run():
        client.force_login(all_powerful_in_county_a)
        return walk(client, make_samples(own_unit=county_a, foreign_unit=county_b))

    return run


def test_no_url_shows_another_countys_records(walked):
    assert walked() == []


def test_walker_catches_views_that_forget_the_scope(walked, settings):
    settings.ROOT_URLCONF = "apps.core.tests.leaky_urls"

    problems = walked()

    assert any(p.startswith("leaky_unit_detail: another county's org.Unit answered 200") for p in problems)
    assert any(p.startswith("leaky_person_list: shows another county's record") for p in problems)
    assert any(p.startswith("undeclared_unit_detail: takes ['pk'] but is not declared") for p in problems)
