"""The capped paginator: large lists count only so far and say so."""

import pytest
from django.test import RequestFactory

from apps.core.lists import paginate
from apps.org.models import Unit

pytestmark = pytest.mark.django_db


def test_a_capped_count_stops_at_the_limit_and_says_so(city, county_a, county_b):
    units = Unit.objects.order_by("path")  # the city, two counties, their towns and departments
    total = units.count()
    request = RequestFactory().get("/", {"page": "2"})

    capped = paginate(request, units, per_page=2, count_limit=3)
    assert (capped.paginator.count, capped.paginator.capped, capped.paginator.num_pages) == (3, True, 2)
    assert [unit.pk for unit in capped.object_list] == [unit.pk for unit in units[2:3]]

    whole = paginate(request, units, per_page=2, count_limit=total)
    assert (whole.paginator.count, whole.paginator.capped) == (total, False)
    assert not hasattr(paginate(request, units, per_page=2).paginator, "capped")
