"""Who may see what in the registry.

An enterprise's identity is public to every staff user (that is what lets anyone see that it is
already registered); contacts and imports belong to the unit that recorded them and follow the
data scope; what other apps link to an enterprise follows those apps' own scope.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.enterprises.models import Contact, DuplicateSuggestion, Enterprise, Merge, RegistryImport, Tag

VIEW = "enterprises.view_enterprise"
ADD = "enterprises.add_enterprise"
CHANGE = "enterprises.change_enterprise"
MERGE = "enterprises.merge_enterprise"
IMPORT = "enterprises.import_enterprise"
MANAGE_TAGS = "enterprises.manage_tag"
VIEW_CONTACTS = "enterprises.view_contact"
CHANGE_CONTACTS = "enterprises.change_contact"
REVEAL_PERSONAL_DATA = "org.view_personal_data"


def _require(user, action: str) -> None:
    if not user.has_perm(action):
        raise PermissionDenied


def get_enterprise_for_user(user, pk: int, *, action: str = VIEW) -> Enterprise:
    """Any registered enterprise (identity is city-wide) for a user holding ``action``."""
    _require(user, action)
    enterprise = (
        Enterprise.objects.select_related("parent", "industry", "merged_into", "created_by").filter(pk=pk).first()
    )
    if enterprise is None:
        raise Http404
    return enterprise


def visible_contacts(user):
    """Contacts recorded by the user's unit subtree."""
    return Contact.objects.visible_to(user).select_related("unit")


def get_contact_for_user(user, pk: int, *, action: str = VIEW_CONTACTS) -> Contact:
    """A contact of the user's scope (404 otherwise) if the user holds ``action`` (403)."""
    contact = visible_contacts(user).select_related("enterprise").filter(pk=pk).first()
    if contact is None:
        raise Http404
    _require(user, action)
    return contact


def visible_imports(user):
    """Registry imports uploaded by the user's unit subtree."""
    return RegistryImport.objects.visible_to(user).select_related("unit", "created_by")


def get_import_for_user(user, pk: int) -> RegistryImport:
    """An import of the user's scope (404 otherwise) if the user may import (403)."""
    registry_import = visible_imports(user).filter(pk=pk).first()
    if registry_import is None:
        raise Http404
    _require(user, IMPORT)
    return registry_import


def get_suggestion_for_user(user, pk: int) -> DuplicateSuggestion:
    """A duplicate suggestion (city-wide, like the identities it compares) for a user who may merge."""
    _require(user, MERGE)
    suggestion = DuplicateSuggestion.objects.select_related("first", "second").filter(pk=pk).first()
    if suggestion is None:
        raise Http404
    return suggestion


def get_merge_for_user(user, pk: int) -> Merge:
    """A merge (city-wide) for a user who may merge."""
    _require(user, MERGE)
    merge = Merge.objects.select_related("survivor", "merged", "merged_by", "undone_by").filter(pk=pk).first()
    if merge is None:
        raise Http404
    return merge


def get_tag_for_user(user, pk: int) -> Tag:
    """A tag (a city-wide code list) for a user who manages tags."""
    _require(user, MANAGE_TAGS)
    tag = Tag.objects.filter(pk=pk).first()
    if tag is None:
        raise Http404
    return tag
