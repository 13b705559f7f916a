from django.urls import path

from apps.core.scope import global_path, scoped_path
from apps.enterprises.models import Contact, DuplicateSuggestion, Enterprise, EnterpriseName, Merge, RegistryImport, Tag
from apps.enterprises.views import contacts, duplicates, imports, registry, tags

app_name = "enterprises"

urlpatterns = [
    path("", registry.enterprise_list, name="list"),
    path("lookup/", registry.enterprise_lookup, name="lookup"),
    path("new/", registry.enterprise_create, name="create"),
    path("check/", registry.enterprise_check, name="check"),
    global_path("<int:pk>/", registry.enterprise_detail, name="detail", model=Enterprise),
    global_path("<int:pk>/edit/", registry.enterprise_edit, name="edit", model=Enterprise),
    global_path("<int:pk>/names/", registry.name_add, name="name_add", model=Enterprise),
    global_path("names/<int:pk>/delete/", registry.name_remove, name="name_remove", model=EnterpriseName),
    global_path("<int:pk>/duplicate/", duplicates.duplicate_mark, name="duplicate_mark", model=Enterprise),
    global_path("<int:pk>/contacts/new/", contacts.contact_create, name="contact_create", model=Enterprise),
    scoped_path("contacts/<int:pk>/edit/", contacts.contact_edit, name="contact_edit", model=Contact),
    scoped_path("contacts/<int:pk>/phone/", contacts.contact_reveal_phone, name="contact_reveal_phone", model=Contact),
    scoped_path("contacts/<int:pk>/delete/", contacts.contact_delete, name="contact_delete", model=Contact),
    path("duplicates/", duplicates.duplicate_list, name="duplicate_list"),
    path("duplicates/scan/", duplicates.scan_start, name="scan_start"),
    path("duplicates/scan/status/", duplicates.scan_status, name="scan_status"),
    global_path(
        "duplicates/<int:pk>/", duplicates.duplicate_detail, name="duplicate_detail", model=DuplicateSuggestion
    ),
    global_path(
        "duplicates/<int:pk>/merge/", duplicates.duplicate_merge, name="duplicate_merge", model=DuplicateSuggestion
    ),
    global_path(
        "duplicates/<int:pk>/dismiss/",
        duplicates.duplicate_dismiss,
        name="duplicate_dismiss",
        model=DuplicateSuggestion,
    ),
    path("merges/", duplicates.merge_list, name="merge_list"),
    global_path("merges/<int:pk>/undo/", duplicates.merge_undo, name="merge_undo", model=Merge),
    path("imports/", imports.import_list, name="import_list"),
    path("imports/template/", imports.import_template, name="import_template"),
    scoped_path("imports/<int:pk>/", imports.import_detail, name="import_detail", model=RegistryImport),
    scoped_path("imports/<int:pk>/commit/", imports.import_commit, name="import_commit", model=RegistryImport),
    path("tags/", tags.tag_list, name="tag_list"),
    path("tags/new/", tags.tag_form, name="tag_create"),
    global_path("tags/<int:pk>/edit/", tags.tag_form, name="tag_edit", model=Tag),
    global_path("tags/<int:pk>/delete/", tags.tag_delete, name="tag_delete", model=Tag),
]
