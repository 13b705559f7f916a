"""Data scope by unit: the one mechanism every page, export, API and search uses.

A user sees the records owned by their unit's subtree plus the records their subtree takes
part in (a ticket dispatched to it, a procedure step it owns). Units form a materialised-path
tree (``path`` holds the ancestors' steps), so "in the subtree of U" is ``path`` starting
with ``U.path`` — one indexed prefix match, no recursion.

A model opts in by using ``ScopedQuerySet`` and naming its owner unit (and participants).
URL patterns that take an object id are declared with ``scoped_path`` so that the URL walker
test (apps/core/tests/test_scope_walk.py) can prove every such view answers 404 for another
county's record.
"""

import operator
from collections.abc import Callable
from functools import reduce

from django.db import models
from django.db.models import Q
from django.urls import URLPattern, path


class ScopedQuerySet(models.QuerySet):
    #: lookup from the record to the Unit that owns it ("" when the record is a Unit)
    scope_owner: str = "unit"
    #: lookups from the record to Units that take part in it
    scope_participants: tuple[str, ...] = ()

    #: probe each condition first and leave out those no record meets (a cheap EXISTS each): on millions of rows
    #: an OR of the owner and participant conditions makes the database read the whole table
    scope_probe: bool = False

    def visible_to(self, user) -> "ScopedQuerySet":
        """Records in the user's unit subtree or in which that subtree takes part."""
        unit = getattr(user, "unit", None) if user.is_authenticated and user.is_active else None
        if unit is None:
            return self.none()
        if self.scope_probe and self.scope_owner:
            return self._probed(unit)
        condition = Q(**{_path_lookup(self.scope_owner): unit.path})
        for participant in self.scope_participants:
            # a subquery rather than a join: no duplicate rows, so no DISTINCT over a large sorted list
            taking_part = self.model._default_manager.filter(**{_path_lookup(participant): unit.path})
            condition |= Q(pk__in=taking_part.values("pk"))
        return self.filter(condition)

    def _probed(self, unit) -> "ScopedQuerySet":
        """The same records, by the subtree's unit ids (one small query), each condition kept only when some record
        meets it (an index probe each). A reverse relation's ids (a ticket's assignments) are read from that
        table's own rows, so the database walks its (unit, record) index in order of the record."""
        ids = list(type(unit)._default_manager.filter(path__startswith=unit.path).values_list("pk", flat=True))
        records = self.model._default_manager
        branches = []
        owned = Q(**{f"{self.scope_owner}__in": ids})
        if records.filter(owned).exists():
            branches.append(owned)
        for participant in self.scope_participants:
            first, _, rest = participant.partition("__")
            field = self.model._meta.get_field(first)
            if field.one_to_many and rest:
                rows = field.related_model._default_manager.filter(**{f"{rest}__in": ids})
                taking_part = rows.values(field.field.attname)
            else:
                rows = records.filter(**{f"{participant}__in": ids})
                taking_part = rows.values("pk")
            if rows.exists():
                branches.append(Q(pk__in=taking_part))
        if not branches:
            return self.none()
        return self.filter(reduce(operator.or_, branches))


def _path_lookup(relation: str) -> str:
    return f"{relation}__path__startswith" if relation else "path__startswith"


def scoped_path(
    route: str, view: Callable, *, name: str, model: type[models.Model] | None, example_kwargs: dict | None = None
) -> URLPattern:
    """A URL pattern whose arguments point at a record of ``model`` (by primary key).

    ``model=None`` declares that the arguments are not record ids (a year, a file name);
    ``example_kwargs`` then gives values the URL walker can use.
    """
    pattern = path(route, view, name=name)
    pattern.scoped_model = model
    pattern.example_kwargs = example_kwargs or {}
    pattern.global_records = False
    return pattern


def global_path(route: str, view: Callable, *, name: str, model: type[models.Model]) -> URLPattern:
    """A URL pattern pointing at a record that belongs to no unit (a role, a code list entry).

    Such records are shared by the whole city; the view still checks the user's permission.
    """
    pattern = scoped_path(route, view, name=name, model=model)
    pattern.global_records = True
    return pattern
