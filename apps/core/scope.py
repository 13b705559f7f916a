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
from django.db.models import Exists, OuterRef, Q
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
        branches = [Q(**{_path_lookup(self.scope_owner): unit.path})]
        for participant in self.scope_participants:
            # a subquery rather than a join: no duplicate rows, so no DISTINCT over a large sorted list
            branches.append(Q(pk__in=_taking_part(self.model, participant, unit.path)))
        if self.scope_probe:
            relations = (self.scope_owner, *self.scope_participants)
            branches = [b for b, relation in zip(branches, relations, strict=True) if self._met(relation, unit)]
            if not branches:
                return self.none()
        return self.filter(reduce(operator.or_, branches))

    def _met(self, relation: str, unit) -> bool:
        """Some record is related through ``relation`` to a unit of ``unit``'s subtree: asked from the units'
        side (one index probe per unit of the subtree), never by scanning the records."""
        if not relation:
            return True
        units = type(unit)._default_manager.filter(path__startswith=unit.path)
        return units.filter(Exists(self.model._default_manager.filter(**{relation: OuterRef("pk")}))).exists()


def _taking_part(model: type[models.Model], participant: str, path: str):
    """Ids of the records in which units under ``path`` take part. Through a reverse foreign key (a ticket's
    assignments) they are read from that table's own rows, so the database walks its (unit, record) index and
    can merge it with the records' primary key in order."""
    first, _, rest = participant.partition("__")
    field = model._meta.get_field(first)
    if field.one_to_many and rest:
        rows = field.related_model._default_manager.filter(**{_path_lookup(rest): path})
        return rows.values(field.field.attname)
    return model._default_manager.filter(**{_path_lookup(participant): path}).values("pk")


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
